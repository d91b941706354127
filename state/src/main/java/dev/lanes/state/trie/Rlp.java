package dev.lanes.state.trie;

import java.util.Arrays;

/**
 * The few pieces of RLP (Yellow Paper, Appendix B) that trie nodes need: byte strings and list headers,
 * written straight into a caller's buffer so that encoding a node allocates nothing.
 *
 * <p>Package-private on purpose: it stands in for the shared RLP codec until that lands, and it only
 * encodes. A byte string is one byte when it is a single byte below 0x80, otherwise a header (0x80 + length
 * below 56 bytes, else 0xb7 + the length of the big-endian length) and the bytes; a list is the same with
 * 0xc0 / 0xf7 over the concatenated encodings of its items.
 */
final class Rlp {
    static final int STRING_SHORT = 0x80;
    static final int LIST_SHORT = 0xc0;
    /** RLP of the empty byte string, which stands for an absent child or value. */
    static final byte EMPTY_STRING = (byte) STRING_SHORT;

    private Rlp() {}

    /** Bytes of a string or list header announcing {@code len} bytes of payload. */
    static int headerLength(int len) {
        return len < 56 ? 1 : 1 + lengthOfLength(len);
    }

    /** Encoded size of a byte string of {@code len} bytes whose first byte is {@code first}. */
    static int stringLength(int len, int first) {
        return (len == 1 && first < 0x80) ? 1 : headerLength(len) + len;
    }

    static int stringLength(byte[] s) {
        return stringLength(s.length, s.length == 0 ? 0 : s[0] & 0xff);
    }

    /** Writes a header ({@code base} is 0x80 for strings, 0xc0 for lists); returns the position after it. */
    static int writeHeader(byte[] buf, int pos, int len, int base) {
        if (len < 56) {
            buf[pos] = (byte) (base + len);
            return pos + 1;
        }
        int n = lengthOfLength(len);
        buf[pos++] = (byte) (base + 55 + n);
        for (int shift = (n - 1) * 8; shift >= 0; shift -= 8) buf[pos++] = (byte) (len >>> shift);
        return pos;
    }

    /** Writes {@code s} as an RLP string; returns the position after it. */
    static int writeString(byte[] buf, int pos, byte[] s) {
        if (s.length == 1 && (s[0] & 0xff) < 0x80) {
            buf[pos] = s[0];
            return pos + 1;
        }
        pos = writeHeader(buf, pos, s.length, STRING_SHORT);
        System.arraycopy(s, 0, buf, pos, s.length);
        return pos + s.length;
    }

    /** A fresh array holding {@code rlp(s)}. */
    static byte[] encodeString(byte[] s) {
        byte[] out = new byte[stringLength(s)];
        writeString(out, 0, s);
        return out;
    }

    /** {@code rlp(n)} for a non-negative scalar: its minimal big-endian bytes as a string (0 is empty). */
    static byte[] encodeScalar(long n) {
        if (n < 0) throw new IllegalArgumentException("negative scalar " + n);
        if (n == 0) return new byte[] {EMPTY_STRING};
        if (n < 0x80) return new byte[] {(byte) n};
        int len = 8 - Long.numberOfLeadingZeros(n) / 8;
        byte[] out = new byte[1 + len];
        out[0] = (byte) (STRING_SHORT + len);
        for (int i = len; i >= 1; i--, n >>>= 8) out[i] = (byte) n;
        return out;
    }

    /** A list of items that are already RLP-encoded. */
    static byte[] encodeList(byte[]... encodedItems) {
        int payload = 0;
        for (byte[] item : encodedItems) payload += item.length;
        byte[] out = new byte[headerLength(payload) + payload];
        int pos = writeHeader(out, 0, payload, LIST_SHORT);
        for (byte[] item : encodedItems) {
            System.arraycopy(item, 0, out, pos, item.length);
            pos += item.length;
        }
        assert pos == out.length : Arrays.toString(out);
        return out;
    }

    private static int lengthOfLength(int len) {
        return 4 - Integer.numberOfLeadingZeros(len) / 8;
    }
}
