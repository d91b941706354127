package dev.lanes.executor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lanes.evm.Log;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Keccak;
import java.util.List;
import org.junit.jupiter.api.Test;

class BloomTest {
    @Test
    void memoisedBloomEqualsDirectBloom() {
        Address a = Address.fromHex("0x00000000000000000000000000000000000000aa");
        Hash t0 = Keccak.hashOf(new byte[] {1}), t1 = Keccak.hashOf(new byte[] {2});
        List<Log> logs = List.of(new Log(a, List.of(t0, t1), new byte[0]), new Log(a, List.of(t0), new byte[] {5}));
        Bloom.Memo memo = new Bloom.Memo();
        assertArrayEquals(Bloom.of(logs), memo.of(logs));
        assertArrayEquals(Bloom.of(logs), memo.of(logs)); // second time from the memo
        // Many values, so that every bit position of the packed indexes is exercised, one log at a time, and more
        // than the memo's slots, so that slots are overwritten (and earlier values come back after that).
        for (int i = 0; i < 3 * Bloom.Memo.SLOTS; i++) {
            Hash t = Keccak.hashOf(new byte[] {(byte) i, (byte) (i >> 8)});
            List<Log> one = List.of(new Log(a, List.of(t), new byte[0]));
            assertArrayEquals(Bloom.of(one), memo.of(one), "topic " + i);
            assertArrayEquals(Bloom.of(one), memo.of(one), "topic " + i + " memoised");
            Hash back = Keccak.hashOf(new byte[] {(byte) (i / 2), (byte) (i / 2 >> 8)});
            List<Log> earlier = List.of(new Log(a, List.of(back), new byte[0]));
            assertArrayEquals(Bloom.of(earlier), memo.of(earlier), "topic " + i / 2 + " again");
        }
    }

    @Test
    void setsAtMostThreeBitsPerValue() {
        Log l = new Log(Address.fromHex("0x0000000000000000000000000000000000000001"), List.of(), new byte[0]);
        int bits = 0;
        for (byte b : Bloom.of(List.of(l))) bits += Integer.bitCount(b & 0xff);
        assertEquals(true, bits >= 1 && bits <= 3);
    }
}
