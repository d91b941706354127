package dev.lanes.evm.tx;

import dev.lanes.primitives.Bytes;
import dev.lanes.primitives.UInt256;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The little RLP (Yellow Paper, appendix B) that transactions need, strict in the way consensus requires:
 * every length and every integer must be in its one canonical form, so that decoding and re-encoding give
 * back the same bytes and hence the same transaction hash. Stands in until the shared
 * {@code dev.lanes.primitives.rlp} package is merged.
 *
 * <p>Errors are {@link IllegalArgumentException}s whose message starts with the field being read.
 */
final class TxRlp {
    private TxRlp() {}

    /** One decoded item: a string payload or a list payload at {@code [start, start + length)} of {@code buf}. */
    record Item(byte[] buf, int start, int length, boolean isList) {
        List<Item> list(String what) {
            if (!isList) throw new IllegalArgumentException(what + ": expected a list, found a string");
            return children(buf, start, start + length, what);
        }

        byte[] bytes(String what) {
            if (isList) throw new IllegalArgumentException(what + ": expected a string, found a list");
            return Arrays.copyOfRange(buf, start, start + length);
        }

        /** A string of exactly {@code size} bytes (an address, a hash). */
        byte[] fixed(String what, int size) {
            byte[] b = bytes(what);
            if (b.length != size) throw new IllegalArgumentException(what + ": must be " + size + " bytes, got " + b.length);
            return b;
        }

        /** An unsigned integer of at most 64 bits, returned in a long's 64 bits (read it as unsigned). */
        long uint64(String what) {
            checkScalar(what, 8);
            long v = 0;
            for (int i = 0; i < length; i++) v = (v << 8) | (buf[start + i] & 0xff);
            return v;
        }

        UInt256 uint256(String what) {
            checkScalar(what, 32);
            return UInt256.fromBytes(buf, start, length);
        }

        private void checkScalar(String what, int maxBytes) {
            if (isList) throw new IllegalArgumentException(what + ": expected an integer, found a list");
            // Zero is the empty string; any other value starts with a non-zero byte.
            if (length > 0 && buf[start] == 0) throw new IllegalArgumentException(what + ": integer has leading zero bytes");
            if (length > maxBytes) throw new IllegalArgumentException(what + ": exceeds " + maxBytes * 8 + " bits");
        }
    }

    /** Decodes {@code buf[off..]} as exactly one list and returns its items; trailing bytes are an error. */
    static List<Item> decodeList(byte[] buf, int off, String what) {
        if (off >= buf.length) throw new IllegalArgumentException(what + ": no RLP after the type byte");
        Item top = item(buf, off, buf.length, what);
        int end = top.start + top.length;
        if (end != buf.length)
            throw new IllegalArgumentException(what + ": " + (buf.length - end) + " trailing bytes after the RLP list");
        return top.list(what);
    }

    private static List<Item> children(byte[] buf, int pos, int end, String what) {
        List<Item> out = new ArrayList<>();
        while (pos < end) {
            Item it = item(buf, pos, end, what);
            out.add(it);
            pos = it.start + it.length;
        }
        return out;
    }

    /** Parses the item whose header starts at {@code pos}; it must end at or before {@code end}. */
    private static Item item(byte[] buf, int pos, int end, String what) {
        int b = buf[pos] & 0xff;
        if (b < 0x80) return new Item(buf, pos, 1, false);
        boolean isList = b >= 0xc0;
        int base = isList ? 0xc0 : 0x80;
        long len;
        int start;
        if (b - base <= 55) {
            len = b - base;
            start = pos + 1;
        } else {
            int lenOfLen = b - base - 55;
            if (pos + 1 + lenOfLen > end) throw new IllegalArgumentException(what + ": input ends inside an RLP length");
            if (buf[pos + 1] == 0) throw new IllegalArgumentException(what + ": RLP length has leading zero bytes");
            len = 0;
            for (int i = 0; i < lenOfLen; i++) {
                if (len >>> 55 != 0) throw new IllegalArgumentException(what + ": RLP length exceeds the input");
                len = (len << 8) | (buf[pos + 1 + i] & 0xff);
            }
            if (len <= 55) throw new IllegalArgumentException(what + ": RLP length " + len + " should use the short form");
            start = pos + 1 + lenOfLen;
        }
        if (len > end - start)
            throw new IllegalArgumentException(what + ": RLP item of " + len + " bytes exceeds the " + (end - start) + " available");
        if (!isList && len == 1 && (buf[start] & 0xff) < 0x80)
            throw new IllegalArgumentException(what + ": single byte below 0x80 must be encoded as itself");
        return new Item(buf, start, (int) len, isList);
    }

    // ---- encoding ----

    static byte[] string(byte[] payload) {
        if (payload.length == 1 && (payload[0] & 0xff) < 0x80) return payload.clone();
        return Bytes.concat(header(payload.length, 0x80), payload);
    }

    /** An unsigned 64-bit integer, minimal big-endian. */
    static byte[] uint(long v) {
        return string(Bytes.trimmed(v));
    }

    static byte[] uint(UInt256 v) {
        return string(v.toMinimalBytes());
    }

    /** A list of already-encoded items. */
    static byte[] list(List<byte[]> items) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int n = 0;
        for (byte[] it : items) n += it.length;
        out.writeBytes(header(n, 0xc0));
        for (byte[] it : items) out.writeBytes(it);
        return out.toByteArray();
    }

    private static byte[] header(int len, int base) {
        if (len <= 55) return new byte[] {(byte) (base + len)};
        byte[] l = Bytes.trimmed(len);
        return Bytes.concat(new byte[] {(byte) (base + 55 + l.length)}, l);
    }
}
