package dev.lanes.evm.tx;

import dev.lanes.primitives.UInt256;
import dev.lanes.primitives.rlp.Rlp;
import dev.lanes.primitives.rlp.RlpException;
import dev.lanes.primitives.rlp.RlpItem;
import java.util.ArrayList;
import java.util.List;

/**
 * Transaction fields over the shared strict RLP codec ({@code dev.lanes.primitives.rlp}): every error
 * names the field being read, and integers must be canonical (no leading zero bytes, bounded width), so
 * that decoding and re-encoding give back the same bytes and hence the same transaction hash.
 *
 * <p>Errors are {@link IllegalArgumentException}s whose message starts with the field being read.
 */
final class TxRlp {
    private TxRlp() {}

    /** One decoded item, with accessors that check its shape and name the field in errors. */
    record Item(RlpItem item) {
        boolean isList() {
            return item.isList();
        }

        List<Item> list(String what) {
            if (!item.isList()) throw new IllegalArgumentException(what + ": expected a list, found a string");
            List<Item> out = new ArrayList<>(item.items().size());
            for (RlpItem child : item.items()) out.add(new Item(child));
            return out;
        }

        byte[] bytes(String what) {
            if (item.isList()) throw new IllegalArgumentException(what + ": expected a string, found a list");
            return item.bytes().clone();
        }

        /** A string of exactly {@code size} bytes (an address, a hash). */
        byte[] fixed(String what, int size) {
            byte[] b = bytes(what);
            if (b.length != size) throw new IllegalArgumentException(what + ": must be " + size + " bytes, got " + b.length);
            return b;
        }

        /** An unsigned integer of at most 64 bits, returned in a long's 64 bits (read it as unsigned). */
        long uint64(String what) {
            byte[] b = scalar(what, 8);
            long v = 0;
            for (byte x : b) v = (v << 8) | (x & 0xff);
            return v;
        }

        UInt256 uint256(String what) {
            return UInt256.fromBytes(scalar(what, 32));
        }

        private byte[] scalar(String what, int maxBytes) {
            if (item.isList()) throw new IllegalArgumentException(what + ": expected an integer, found a list");
            byte[] b = item.bytes();
            // Zero is the empty string; any other value starts with a non-zero byte.
            if (b.length > 0 && b[0] == 0) throw new IllegalArgumentException(what + ": integer has leading zero bytes");
            if (b.length > maxBytes) throw new IllegalArgumentException(what + ": exceeds " + maxBytes * 8 + " bits");
            return b;
        }
    }

    /** Decodes {@code buf[off..]} as exactly one list and returns its items; trailing bytes are an error. */
    static List<Item> decodeList(byte[] buf, int off, String what) {
        if (off >= buf.length) throw new IllegalArgumentException(what + ": no RLP after the type byte");
        RlpItem top;
        try {
            top = Rlp.decode(off == 0 ? buf : java.util.Arrays.copyOfRange(buf, off, buf.length));
        } catch (RlpException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
        return new Item(top).list(what);
    }

    // ---- encoding ----

    static byte[] string(byte[] payload) {
        return Rlp.encodeBytes(payload);
    }

    /** An unsigned 64-bit integer, minimal big-endian. */
    static byte[] uint(long v) {
        return Rlp.encodeLong(v);
    }

    static byte[] uint(UInt256 v) {
        return Rlp.encodeBytes(v.toMinimalBytes());
    }

    /** A list of already-encoded items. */
    static byte[] list(List<byte[]> items) {
        return Rlp.encodeList(items.toArray(byte[][]::new));
    }
}
