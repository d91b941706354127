package dev.lanes.primitives;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class HexTest {
    @Test void roundTrip() {
        assertArrayEquals(new byte[] {0x01, (byte) 0xab}, Hex.decode("0x01ab"));
        assertEquals("01ab", Hex.encode(new byte[] {0x01, (byte) 0xab}));
        assertArrayEquals(new byte[] {0x0f}, Hex.decode("0xf"));
        assertArrayEquals(new byte[0], Hex.decode("0x"));
    }

    @Test void rejectsBadDigit() {
        var e = assertThrows(IllegalArgumentException.class, () -> Hex.decode("0x0g"));
        assertTrue(e.getMessage().contains("'g'"));
    }

    @Test void keccakOfEmpty() {
        assertEquals(Hash.EMPTY_CODE, Keccak.hashOf(new byte[0]));
    }

    @Test void uint256Arithmetic() {
        UInt256 max = UInt256.MAX;
        assertEquals(UInt256.ZERO, max.add(UInt256.ONE));
        assertEquals(max, UInt256.ZERO.sub(UInt256.ONE));
        assertEquals(UInt256.parse("0x10000000000000000"), UInt256.of(-1L >>> 1).add(UInt256.of(-1L >>> 1)).add(UInt256.of(2)));
        assertEquals(UInt256.parse("1000"), UInt256.of(1000));
    }
}
