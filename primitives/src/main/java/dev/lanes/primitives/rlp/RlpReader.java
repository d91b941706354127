package dev.lanes.primitives.rlp;

import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.UInt256;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Objects;

/**
 * Decodes RLP in place, item by item, accepting only canonical encodings (see the package documentation).
 *
 * <p>A cursor walks the input. Lists are entered and left explicitly; while inside a list no item may run
 * past the list's end, so a lying inner length is caught at the item that lies:
 * <pre>{@code
 * int end = r.enterList();
 * long nonce = r.readLong();
 * while (r.hasMore(end)) items.add(r.readBytes());
 * r.leaveList(end);   // rejects items left unread
 * r.requireEnd();     // rejects bytes after the top-level item
 * }</pre>
 * Positions ({@link #position()}, the end returned by {@link #enterList()}, {@link RlpException#offset()})
 * are indexes into the array given to the constructor.
 *
 * <p>A reader is not thread-safe. It allocates only what it returns, plus its list-depth stack when lists
 * nest deeper than eight.
 */
public final class RlpReader {
    private final byte[] data;
    private final int inputEnd;
    private int pos;
    /** End of the innermost entered list, or of the input at top level. */
    private int limit;
    private int[] outerLimits = new int[8];
    private int depth;

    // The header of the item at pos, as last parsed by header().
    private int payloadStart;
    private int payloadLength;
    private boolean payloadIsList;

    public RlpReader(byte[] data) {
        this(data, 0, data.length);
    }

    public RlpReader(byte[] data, int off, int len) {
        Objects.checkFromIndexSize(off, len, data.length);
        this.data = data;
        this.pos = off;
        this.inputEnd = off + len;
        this.limit = inputEnd;
    }

    public int position() {
        return pos;
    }

    /** True when an item starts before {@code end}, the value {@link #enterList()} returned. */
    public boolean hasMore(int end) {
        return pos < end;
    }

    /** True when an item remains in the current list, or in the input at top level. */
    public boolean hasMore() {
        return pos < limit;
    }

    /** Whether the next item is a list; looks at its first byte only. */
    public boolean isList() {
        requireItem();
        return (data[pos] & 0xff) >= 0xc0;
    }

    /** Whether the next item is the empty string (0x80), e.g. the absent {@code to} of a contract creation. */
    public boolean isEmptyString() {
        requireItem();
        return data[pos] == (byte) 0x80;
    }

    /** Steps into the list at the cursor and returns the position just past its last item. */
    public int enterList() {
        header();
        if (!payloadIsList) throw new RlpException("expected a list, found a string", pos);
        if (depth == outerLimits.length) outerLimits = Arrays.copyOf(outerLimits, depth * 2);
        outerLimits[depth++] = limit;
        limit = payloadStart + payloadLength;
        pos = payloadStart;
        return limit;
    }

    /** Steps out of the list {@code end} belongs to; every item in it must have been read or skipped. */
    public void leaveList(int end) {
        if (depth == 0 || end != limit) throw new IllegalStateException("leaveList(" + end + ") does not match the innermost open list");
        if (pos != end) throw new RlpException("unexpected extra item in list ending at " + end, pos);
        limit = outerLimits[--depth];
    }

    /** Rejects anything after the last top-level item read (a decoded message must be exactly one item). */
    public void requireEnd() {
        if (depth != 0) throw new IllegalStateException(depth + " list(s) entered but not left");
        if (pos != inputEnd) throw new RlpException((inputEnd - pos) + " trailing byte(s) after the RLP item", pos);
    }

    /** The payload of the string at the cursor, copied. */
    public byte[] readBytes() {
        stringHeader("a string");
        byte[] out = Arrays.copyOfRange(data, payloadStart, payloadStart + payloadLength);
        pos = payloadStart + payloadLength;
        return out;
    }

    /** A string of exactly 32 bytes, e.g. a hash or a storage key. */
    public Hash readHash() {
        stringHeader("a 32-byte hash");
        if (payloadLength != Hash.LENGTH) throw new RlpException("expected 32 bytes, found " + payloadLength, pos);
        return Hash.adopt(readPayload());
    }

    /** A string of exactly 20 bytes. An empty string is not an address; check {@link #isEmptyString()} first where one may be absent. */
    public Address readAddress() {
        stringHeader("a 20-byte address");
        if (payloadLength != Address.LENGTH) throw new RlpException("expected 20 bytes, found " + payloadLength, pos);
        return Address.wrap(readPayload());
    }

    /** The whole item at the cursor, header included, copied: what a hash over a sub-item is taken of. */
    public byte[] readRaw() {
        int start = pos;
        skip();
        return Arrays.copyOfRange(data, start, pos);
    }

    /** Steps over the item at the cursor, list or string, validating only its header. */
    public void skip() {
        header();
        pos = payloadStart + payloadLength;
    }

    /** An unsigned scalar of at most 64 bits; values of 2^63 and above come back negative, as two's complement. */
    public long readLong() {
        scalarHeader(8, "a 64-bit scalar");
        long v = 0;
        for (int i = payloadStart, end = payloadStart + payloadLength; i < end; i++) v = (v << 8) | (data[i] & 0xff);
        pos = payloadStart + payloadLength;
        return v;
    }

    public UInt256 readUInt256() {
        scalarHeader(32, "a 256-bit scalar");
        UInt256 v = UInt256.fromBytes(data, payloadStart, payloadLength);
        pos = payloadStart + payloadLength;
        return v;
    }

    /** A scalar of any length. */
    public BigInteger readBigInteger() {
        scalarHeader(Integer.MAX_VALUE, "a scalar");
        BigInteger v = payloadLength == 0 ? BigInteger.ZERO : new BigInteger(1, data, payloadStart, payloadLength);
        pos = payloadStart + payloadLength;
        return v;
    }

    private byte[] readPayload() {
        byte[] out = Arrays.copyOfRange(data, payloadStart, payloadStart + payloadLength);
        pos = payloadStart + payloadLength;
        return out;
    }

    private void stringHeader(String expected) {
        header();
        if (payloadIsList) throw new RlpException("expected " + expected + ", found a list", pos);
    }

    /** A scalar is a string with no leading zero byte: zero itself is the empty string, never 0x00. */
    private void scalarHeader(int maxBytes, String expected) {
        stringHeader(expected);
        if (payloadLength > maxBytes) throw new RlpException(payloadLength + "-byte value is too large for " + expected, pos);
        if (payloadLength > 0 && data[payloadStart] == 0) throw new RlpException("scalar with a leading zero byte", pos);
    }

    private void requireItem() {
        if (pos >= limit) throw new RlpException(limit == inputEnd && depth == 0 ? "unexpected end of input" : "no more items in this list", pos);
    }

    /** Parses and validates the header of the item at {@code pos} into the payload fields; does not move. */
    private void header() {
        requireItem();
        int b = data[pos] & 0xff;
        int start;
        long len;
        if (b < 0x80) {
            payloadStart = pos;
            payloadLength = 1;
            payloadIsList = false;
            return;
        } else if (b < 0xb8) {
            start = pos + 1;
            len = b - 0x80;
        } else if (b < 0xc0) {
            start = pos + 1 + (b - 0xb7);
            len = longLength(b - 0xb7);
        } else if (b < 0xf8) {
            start = pos + 1;
            len = b - 0xc0;
        } else {
            start = pos + 1 + (b - 0xf7);
            len = longLength(b - 0xf7);
        }
        // len may be negative here: an 8-byte length with its top bit set, i.e. far beyond any input.
        if (len < 0 || len > limit - start) {
            throw new RlpException("item declares " + Long.toUnsignedString(len) + " payload bytes but only "
                    + (limit - start) + " remain" + (depth > 0 ? " in the enclosing list" : ""), pos);
        }
        if (b == 0x81 && (data[start] & 0xff) < 0x80) {
            throw new RlpException("single byte 0x" + Integer.toHexString(data[start] & 0xff) + " must be encoded as itself, not with a 0x81 prefix", pos);
        }
        payloadStart = start;
        payloadLength = (int) len;
        payloadIsList = b >= 0xc0;
    }

    /** Reads the big-endian length that follows a long-form prefix, rejecting any form but the shortest. */
    private long longLength(int lengthBytes) {
        int at = pos + 1;
        if (lengthBytes > limit - at) throw new RlpException("length field of " + lengthBytes + " bytes runs past the end", pos);
        if (data[at] == 0) throw new RlpException("length field with a leading zero byte", pos);
        long len = 0;
        for (int i = 0; i < lengthBytes; i++) len = (len << 8) | (data[at + i] & 0xff);
        if (len >= 0 && len < 56) throw new RlpException("length " + len + " uses the long form; below 56 the short form is required", pos);
        return len;
    }
}
