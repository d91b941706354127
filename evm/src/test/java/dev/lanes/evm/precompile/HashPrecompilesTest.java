package dev.lanes.evm.precompile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import dev.lanes.primitives.Hex;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HashPrecompilesTest {
    private static final byte[] ABC = "abc".getBytes(StandardCharsets.US_ASCII);

    @Test
    void sha256() {
        Sha256 p = new Sha256();
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Hex.encode(p.execute(new byte[0])));
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Hex.encode(p.execute(ABC)));
        assertEquals(60, p.gasCost(new byte[0]));
        assertEquals(72, p.gasCost(new byte[1]));
        assertEquals(72, p.gasCost(new byte[32]));
        assertEquals(84, p.gasCost(new byte[33]));
    }

    @Test
    void ripemd160IsLeftPaddedToAWord() {
        Ripemd160 p = new Ripemd160();
        assertEquals("0000000000000000000000009c1185a5c5e9fc54612808977ee8f548b2258d31", Hex.encode(p.execute(new byte[0])));
        assertEquals("0000000000000000000000008eb208f7e05d987a9b044a8e98c6b087f15a0bfc", Hex.encode(p.execute(ABC)));
        assertEquals(600, p.gasCost(new byte[0]));
        assertEquals(720, p.gasCost(new byte[32]));
        assertEquals(840, p.gasCost(new byte[33]));
    }

    @Test
    void identityCopies() {
        Identity p = new Identity();
        assertArrayEquals(new byte[0], p.execute(new byte[0]));
        byte[] in = {1, 2, 3};
        byte[] out = p.execute(in);
        assertArrayEquals(in, out);
        assertNotSame(in, out);
        assertEquals(15, p.gasCost(new byte[0]));
        assertEquals(18, p.gasCost(new byte[32]));
        assertEquals(21, p.gasCost(new byte[33]));
        assertEquals(15 + 3 * 1024, p.gasCost(new byte[32 * 1024]));
    }
}
