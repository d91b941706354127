package dev.lanes.primitives.rlp;

import dev.lanes.primitives.UInt256;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Objects;

/**
 * Encodes RLP into one growable buffer. Calls chain: {@code new RlpWriter().startList().writeLong(nonce)
 * .writeBytes(to).endList().toByteArray()}.
 *
 * <p>Lists are written before their length is known: {@link #startList()} reserves one header byte and
 * {@link #endList()} fills it in. A payload of 56 bytes or more needs a longer header, and then the payload
 * is moved right by the extra bytes. Only long lists pay for that copy (once per enclosing long list), and in
 * exchange no item has to be measured before it is written.
 *
 * <p>A writer is not thread-safe; {@link #reset()} lets one be reused without reallocating its buffer.
 */
public final class RlpWriter {
    private byte[] buf;
    private int size;
    /** Offsets of the reserved header byte of each list still open, innermost last. */
    private int[] openLists = new int[8];
    private int depth;

    public RlpWriter() {
        this(128);
    }

    public RlpWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    public RlpWriter writeBytes(byte[] bytes) {
        return writeBytes(bytes, 0, bytes.length);
    }

    public RlpWriter writeBytes(byte[] bytes, int off, int len) {
        Objects.checkFromIndexSize(off, len, bytes.length);
        if (len == 1 && (bytes[off] & 0xff) < 0x80) {
            ensure(1);
            buf[size++] = bytes[off];
            return this;
        }
        writeHeader(0x80, len);
        ensure(len);
        System.arraycopy(bytes, off, buf, size, len);
        size += len;
        return this;
    }

    /** An unsigned 64-bit scalar: negative values are read as 2^64 + v, as for uint64 nonces and gas. */
    public RlpWriter writeLong(long v) {
        ensure(9);
        if (v == 0) {
            buf[size++] = (byte) 0x80;
        } else if (v > 0 && v < 0x80) {
            buf[size++] = (byte) v;
        } else {
            int n = byteLength(v);
            buf[size++] = (byte) (0x80 + n);
            putBigEndian(v, n);
        }
        return this;
    }

    public RlpWriter writeUInt256(UInt256 v) {
        if ((v.u1() | v.u2() | v.u3()) == 0) return writeLong(v.u0());
        ensure(33);
        // Find the most significant non-zero limb; every limb below it is written in full.
        int top = v.u3() != 0 ? 3 : v.u2() != 0 ? 2 : 1;
        long topLimb = top == 3 ? v.u3() : top == 2 ? v.u2() : v.u1();
        int topBytes = byteLength(topLimb);
        buf[size++] = (byte) (0x80 + topBytes + 8 * top); // at most 32 bytes, always the short form
        putBigEndian(topLimb, topBytes);
        if (top >= 3) putBigEndian(v.u2(), 8);
        if (top >= 2) putBigEndian(v.u1(), 8);
        putBigEndian(v.u0(), 8);
        return this;
    }

    /** A non-negative scalar of any size (the RLP vectors go beyond 256 bits). */
    public RlpWriter writeBigInteger(BigInteger v) {
        if (v.signum() < 0) throw new IllegalArgumentException("RLP scalars are unsigned, got " + v);
        if (v.bitLength() <= 63) return writeLong(v.longValue());
        byte[] twos = v.toByteArray();
        // toByteArray adds a zero sign byte when the top bit is set; a scalar must not start with zero.
        int skip = twos[0] == 0 ? 1 : 0;
        return writeBytes(twos, skip, twos.length - skip);
    }

    /** Appends an item that is already RLP-encoded, as is. It is not checked. */
    public RlpWriter writeRaw(byte[] encoded) {
        return writeRaw(encoded, 0, encoded.length);
    }

    public RlpWriter writeRaw(byte[] encoded, int off, int len) {
        Objects.checkFromIndexSize(off, len, encoded.length);
        ensure(len);
        System.arraycopy(encoded, off, buf, size, len);
        size += len;
        return this;
    }

    /** One raw byte, outside RLP framing (an EIP-2718 type prefix before the payload). */
    public RlpWriter writeRawByte(int b) {
        ensure(1);
        buf[size++] = (byte) b;
        return this;
    }

    /** Bytes the buffer holds before it must grow. */
    public int capacity() {
        return buf.length;
    }

    public RlpWriter startList() {
        if (depth == openLists.length) openLists = Arrays.copyOf(openLists, depth * 2);
        openLists[depth++] = size;
        ensure(1);
        size++;
        return this;
    }

    public RlpWriter endList() {
        if (depth == 0) throw new IllegalStateException("endList() without a matching startList()");
        int header = openLists[--depth];
        int payload = size - header - 1;
        if (payload < 56) {
            buf[header] = (byte) (0xc0 + payload);
            return this;
        }
        int n = byteLength(payload);
        ensure(n);
        System.arraycopy(buf, header + 1, buf, header + 1 + n, payload);
        buf[header] = (byte) (0xf7 + n);
        for (int i = n; i >= 1; i--) buf[header + i] = (byte) (payload >>> (8 * (n - i)));
        size += n;
        return this;
    }

    /** Bytes written so far, including reserved headers of lists still open. */
    public int size() {
        return size;
    }

    /** Empties the writer, keeping its buffer. */
    public RlpWriter reset() {
        size = 0;
        depth = 0;
        return this;
    }

    public byte[] toByteArray() {
        if (depth != 0) throw new IllegalStateException(depth + " list(s) still open");
        return Arrays.copyOf(buf, size);
    }

    private void writeHeader(int shortBase, int len) {
        ensure(9);
        if (len < 56) {
            buf[size++] = (byte) (shortBase + len);
        } else {
            int n = byteLength(len);
            buf[size++] = (byte) (shortBase + 55 + n);
            putBigEndian(len, n);
        }
    }

    /** Writes the low {@code n} bytes of {@code v}, most significant first; the caller has ensured room. */
    private void putBigEndian(long v, int n) {
        for (int i = n - 1; i >= 0; i--) buf[size++] = (byte) (v >>> (8 * i));
    }

    /** Bytes in the minimal big-endian form of a non-zero unsigned value. */
    private static int byteLength(long v) {
        return 8 - Long.numberOfLeadingZeros(v) / 8;
    }

    private void ensure(int extra) {
        if (buf.length - size < extra) {
            long want = Math.max((long) buf.length * 2, (long) size + extra);
            if (want > Integer.MAX_VALUE - 8) throw new IllegalStateException("RLP output too large");
            buf = Arrays.copyOf(buf, (int) want);
        }
    }
}
