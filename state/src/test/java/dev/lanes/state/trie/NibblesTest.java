package dev.lanes.state.trie;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lanes.primitives.Hex;
import org.junit.jupiter.api.Test;

class NibblesTest {
    @Test
    void readsHighThenLowHalf() {
        byte[] key = Hex.decode("a1f0");
        assertEquals(0xa, Nibbles.get(key, 0));
        assertEquals(0x1, Nibbles.get(key, 1));
        assertEquals(0xf, Nibbles.get(key, 2));
        assertEquals(0x0, Nibbles.get(key, 3));
    }

    @Test
    void mismatchAtAnyAlignment() {
        byte[] a = Hex.decode("123456789a");
        assertEquals(10, Nibbles.mismatch(a, 10, a, 10, 0));
        assertEquals(10, Nibbles.mismatch(a, 10, a, 10, 3));
        assertEquals(7, Nibbles.mismatch(a, 10, a, 7, 1), "the shorter end");
        assertEquals(5, Nibbles.mismatch(a, 10, Hex.decode("12345f789a"), 10, 0));
        assertEquals(5, Nibbles.mismatch(a, 10, Hex.decode("12345f789a"), 10, 5));
        assertEquals(4, Nibbles.mismatch(a, 10, Hex.decode("1234f6789a"), 10, 1));
        assertEquals(9, Nibbles.mismatch(a, 9, Hex.decode("123456789b"), 10, 0), "odd limit, equal");
        assertEquals(8, Nibbles.mismatch(a, 9, Hex.decode("123456780a"), 10, 0), "odd limit, last differs");
        assertEquals(2, Nibbles.mismatch(a, 2, a, 10, 2), "empty range");
    }

    /** The examples of Yellow Paper Appendix C and their leaf forms. */
    @Test
    void hexPrefix() {
        assertEquals("112345", hp("012345", 1, 6, false));
        assertEquals("00012345", hp("012345", 0, 6, false));
        assertEquals("3f1cb8", hp("0f1cb8", 1, 6, true));
        assertEquals("200f1cb8", hp("0f1cb8", 0, 6, true));
        assertEquals("20", hp("ab", 2, 2, true));
        assertEquals("00", hp("ab", 2, 2, false));
        assertEquals("1b", hp("ab", 1, 2, false));
        assertEquals("00bc", hp("abcd", 1, 3, false), "odd start, even length");
        assertEquals(3, Nibbles.hexPrefixLength(4));
        assertEquals(3, Nibbles.hexPrefixLength(5));
    }

    private static String hp(String src, int start, int end, boolean leaf) {
        byte[] buf = new byte[Nibbles.hexPrefixLength(end - start)];
        int len = Nibbles.writeHexPrefix(buf, 0, Hex.decode(src), start, end, leaf);
        assertEquals(buf.length, len);
        return Hex.encode(buf);
    }
}
