package dev.lanes.state.trie;

import java.util.Arrays;

/**
 * Nibble paths read in place from packed byte keys, and their hex-prefix encoding (Yellow Paper, Appendix C).
 *
 * <p>The trie never unpacks a key into one-nibble-per-byte form. A path is a range {@code [start, end)} of
 * nibble positions in some key that lies beneath the node: every key under a node agrees on the nibbles
 * from the root to the end of that node's path, so any of them can stand for it. Nibble {@code i} of a
 * key is the high half of byte {@code i / 2} when {@code i} is even, the low half when odd.
 */
public final class Nibbles {
    private Nibbles() {}

    public static int get(byte[] key, int i) {
        int b = key[i >> 1];
        return (i & 1) == 0 ? (b >>> 4) & 0xf : b & 0xf;
    }

    /**
     * The first nibble position at or after {@code from} where {@code a} (read up to nibble {@code aEnd})
     * and {@code b} (up to {@code bEnd}) differ, or the shorter end if one is a prefix of the other. Both
     * are read at the same absolute positions; whole bytes are compared with {@link Arrays#mismatch}.
     */
    public static int mismatch(byte[] a, int aEnd, byte[] b, int bEnd, int from) {
        int limit = Math.min(aEnd, bEnd);
        int i = from;
        if ((i & 1) == 1 && i < limit) {
            if (get(a, i) != get(b, i)) return i;
            i++;
        }
        int byteFrom = i >> 1;
        int byteTo = limit >> 1;
        if (byteFrom < byteTo) {
            int m = Arrays.mismatch(a, byteFrom, byteTo, b, byteFrom, byteTo);
            if (m >= 0) {
                int p = (byteFrom + m) << 1;
                return get(a, p) != get(b, p) ? p : p + 1;
            }
            i = byteTo << 1;
        }
        if (i < limit && get(a, i) == get(b, i)) i++;
        return i;
    }

    /** Length in bytes of the hex-prefix encoding of {@code n} nibbles. */
    static int hexPrefixLength(int n) {
        return n / 2 + 1;
    }

    /**
     * Writes the hex-prefix encoding of nibbles {@code [start, end)} of {@code src} at {@code buf[pos]} and
     * returns the position after it. The first nibble is the flag: 2 for a leaf (terminated) path, 0 for an
     * extension, plus 1 when the path is odd; an odd path's first nibble shares that byte, an even path
     * leaves the low half zero. The rest are packed two to a byte.
     */
    static int writeHexPrefix(byte[] buf, int pos, byte[] src, int start, int end, boolean leaf) {
        int n = end - start;
        int flag = (leaf ? 2 : 0) + (n & 1);
        int i = start;
        if ((n & 1) == 1) {
            buf[pos++] = (byte) (flag << 4 | get(src, i));
            i++;
        } else {
            buf[pos++] = (byte) (flag << 4);
        }
        if ((i & 1) == 0) {
            // The remaining nibbles are byte-aligned in src: copy them whole.
            int bytes = (end - i) >> 1;
            System.arraycopy(src, i >> 1, buf, pos, bytes);
            return pos + bytes;
        }
        for (; i < end; i += 2) buf[pos++] = (byte) (get(src, i) << 4 | get(src, i + 1));
        return pos;
    }
}
