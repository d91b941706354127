package dev.lanes.primitives;

import java.math.BigInteger;

/**
 * An unsigned 256-bit value as four 64-bit limbs, {@code u0} least significant. This is the value type
 * for APIs (balances, storage values); the interpreter works on the same limb layout in place on its
 * {@code long[]} stack and never allocates one of these per operation.
 */
public record UInt256(long u0, long u1, long u2, long u3) implements Comparable<UInt256> {
    public static final UInt256 ZERO = new UInt256(0, 0, 0, 0);
    public static final UInt256 ONE = new UInt256(1, 0, 0, 0);
    public static final UInt256 MAX = new UInt256(-1, -1, -1, -1);
    private static final BigInteger MOD = BigInteger.ONE.shiftLeft(256);

    /**
     * Written out rather than the record's generated method (an invokedynamic through {@code ObjectMethods}, whose
     * method-handle chain C2 did not always inline inside the map lookups this type is the key of: storage slots in
     * every state map). The same value as the generated one: each limb's {@link Long#hashCode}, combined by 31.
     */
    @Override public int hashCode() {
        int h = Long.hashCode(u0);
        h = 31 * h + Long.hashCode(u1);
        h = 31 * h + Long.hashCode(u2);
        return 31 * h + Long.hashCode(u3);
    }

    /** Written out, as {@link #hashCode}. */
    @Override public boolean equals(Object o) {
        return this == o || o instanceof UInt256 v && u0 == v.u0 && u1 == v.u1 && u2 == v.u2 && u3 == v.u3;
    }

    public static UInt256 of(long v) {
        if (v < 0) throw new IllegalArgumentException("negative: " + v);
        return v == 0 ? ZERO : new UInt256(v, 0, 0, 0);
    }

    /** Big-endian bytes, at most 32 (shorter input is zero-extended on the left). */
    public static UInt256 fromBytes(byte[] b) {
        return fromBytes(b, 0, b.length);
    }

    public static UInt256 fromBytes(byte[] b, int off, int len) {
        if (len > 32) throw new IllegalArgumentException("value longer than 32 bytes: " + len);
        long[] limbs = new long[4];
        for (int i = 0; i < len; i++) {
            int bitPos = (len - 1 - i) * 8;
            limbs[bitPos >>> 6] |= (long) (b[off + i] & 0xff) << (bitPos & 63);
        }
        return new UInt256(limbs[0], limbs[1], limbs[2], limbs[3]);
    }

    /** Parses "0x..." hex or a decimal string (as the JSON test formats use both). */
    public static UInt256 parse(String s) {
        String t = s.trim();
        if (t.startsWith("0x") || t.startsWith("0X")) {
            byte[] b = Hex.decode(t);
            b = Bytes.trimLeadingZeros(b);
            if (b.length > 32) throw new IllegalArgumentException("value exceeds 256 bits: " + Hex.abbreviate(s));
            return fromBytes(b);
        }
        if (t.isEmpty()) throw new IllegalArgumentException("empty number");
        BigInteger bi;
        try {
            bi = new BigInteger(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid number: " + Hex.abbreviate(s));
        }
        return fromBigInteger(bi);
    }

    public static UInt256 fromBigInteger(BigInteger v) {
        if (v.signum() < 0 || v.bitLength() > 256) throw new IllegalArgumentException("out of 256-bit range: " + v);
        return new UInt256(v.longValue(), v.shiftRight(64).longValue(), v.shiftRight(128).longValue(), v.shiftRight(192).longValue());
    }

    public BigInteger toBigInteger() {
        byte[] b = toBytes();
        return new BigInteger(1, b);
    }

    public byte[] toBytes() {
        byte[] b = new byte[32];
        Bytes.putLong(b, 0, u3);
        Bytes.putLong(b, 8, u2);
        Bytes.putLong(b, 16, u1);
        Bytes.putLong(b, 24, u0);
        return b;
    }

    /** Minimal big-endian bytes (empty for zero), the RLP scalar form. */
    public byte[] toMinimalBytes() {
        return Bytes.trimLeadingZeros(toBytes());
    }

    public boolean isZero() { return (u0 | u1 | u2 | u3) == 0; }

    /** The word held as four limbs at {@code limbs[at..at+3]}, least significant first (the EVM stack's layout). */
    public static UInt256 ofLimbs(long[] limbs, int at) {
        return new UInt256(limbs[at], limbs[at + 1], limbs[at + 2], limbs[at + 3]);
    }

    /** Writes this word as four limbs to {@code limbs[at..at+3]}, least significant first. */
    public void toLimbs(long[] limbs, int at) {
        limbs[at] = u0;
        limbs[at + 1] = u1;
        limbs[at + 2] = u2;
        limbs[at + 3] = u3;
    }

    /** True when the value fits in a non-negative long. */
    public boolean fitsLong() { return (u1 | u2 | u3) == 0 && u0 >= 0; }

    public long longValueExact() {
        if (!fitsLong()) throw new ArithmeticException("value does not fit in a long: " + this);
        return u0;
    }

    public UInt256 add(UInt256 o) {
        long r0 = u0 + o.u0;
        long c = Long.compareUnsigned(r0, u0) < 0 ? 1 : 0;
        long r1 = u1 + o.u1 + c;
        c = (c == 0 ? Long.compareUnsigned(r1, u1) < 0 : Long.compareUnsigned(r1, u1) <= 0) ? 1 : 0;
        long r2 = u2 + o.u2 + c;
        c = (c == 0 ? Long.compareUnsigned(r2, u2) < 0 : Long.compareUnsigned(r2, u2) <= 0) ? 1 : 0;
        long r3 = u3 + o.u3 + c;
        return new UInt256(r0, r1, r2, r3);
    }

    public UInt256 sub(UInt256 o) {
        long r0 = u0 - o.u0;
        long b = Long.compareUnsigned(u0, o.u0) < 0 ? 1 : 0;
        long r1 = u1 - o.u1 - b;
        b = (b == 0 ? Long.compareUnsigned(u1, o.u1) < 0 : Long.compareUnsigned(u1, o.u1) <= 0) ? 1 : 0;
        long r2 = u2 - o.u2 - b;
        b = (b == 0 ? Long.compareUnsigned(u2, o.u2) < 0 : Long.compareUnsigned(u2, o.u2) <= 0) ? 1 : 0;
        long r3 = u3 - o.u3 - b;
        return new UInt256(r0, r1, r2, r3);
    }

    /** Product modulo 2^256 (fee arithmetic; schoolbook on the four limbs, without BigInteger). */
    public UInt256 mul(UInt256 o) {
        long a0 = u0, a1 = u1, a2 = u2, a3 = u3, b0 = o.u0, b1 = o.u1, b2 = o.u2, b3 = o.u3;
        // Two 64-bit operands (gas times a price, most of a transaction's fee arithmetic): one 64x64 -> 128 product.
        if ((a1 | a2 | a3 | b1 | b2 | b3) == 0) return new UInt256(a0 * b0, Math.unsignedMultiplyHigh(a0, b0), 0, 0);
        // Column sums, low half then high half of each partial product, carried limb by limb.
        long r0 = a0 * b0;
        long c = Math.unsignedMultiplyHigh(a0, b0);
        long r1, r2, r3;
        // r1 = hi(a0b0) + lo(a0b1) + lo(a1b0)
        long t = c + a0 * b1;
        long k = Long.compareUnsigned(t, c) < 0 ? 1 : 0;
        long hi1 = Math.unsignedMultiplyHigh(a0, b1);
        long t2 = t + a1 * b0;
        k += Long.compareUnsigned(t2, t) < 0 ? 1 : 0;
        long hi2 = Math.unsignedMultiplyHigh(a1, b0);
        r1 = t2;
        // r2 = carries + hi(a0b1) + hi(a1b0) + lo(a0b2) + lo(a1b1) + lo(a2b0)
        long acc = k;
        long k2 = 0;
        long n;
        n = acc + hi1;
        k2 += Long.compareUnsigned(n, acc) < 0 ? 1 : 0;
        acc = n;
        n = acc + hi2;
        k2 += Long.compareUnsigned(n, acc) < 0 ? 1 : 0;
        acc = n;
        n = acc + a0 * b2;
        k2 += Long.compareUnsigned(n, acc) < 0 ? 1 : 0;
        acc = n;
        n = acc + a1 * b1;
        k2 += Long.compareUnsigned(n, acc) < 0 ? 1 : 0;
        acc = n;
        n = acc + a2 * b0;
        k2 += Long.compareUnsigned(n, acc) < 0 ? 1 : 0;
        acc = n;
        r2 = acc;
        // r3 = carries + hi(a0b2) + hi(a1b1) + hi(a2b0) + lo(a0b3) + lo(a1b2) + lo(a2b1) + lo(a3b0) (mod 2^64)
        r3 = k2 + Math.unsignedMultiplyHigh(a0, b2) + Math.unsignedMultiplyHigh(a1, b1) + Math.unsignedMultiplyHigh(a2, b0)
                + a0 * b3 + a1 * b2 + a2 * b1 + a3 * b0;
        return new UInt256(r0, r1, r2, r3);
    }

    /** Whether {@code this * m} (m an unsigned 64-bit number) exceeds 256 bits. */
    public boolean mulOverflows(long m) {
        long carry = Math.unsignedMultiplyHigh(u0, m);
        long[] limbs = {u1, u2, u3};
        for (long x : limbs) {
            long lo = x * m;
            long sum = lo + carry;
            carry = Math.unsignedMultiplyHigh(x, m) + (Long.compareUnsigned(sum, lo) < 0 ? 1 : 0);
        }
        return carry != 0;
    }

    public UInt256 mul(long o) {
        return mul(of(o));
    }

    @Override public int compareTo(UInt256 o) {
        int c = Long.compareUnsigned(u3, o.u3);
        if (c != 0) return c;
        c = Long.compareUnsigned(u2, o.u2);
        if (c != 0) return c;
        c = Long.compareUnsigned(u1, o.u1);
        if (c != 0) return c;
        return Long.compareUnsigned(u0, o.u0);
    }

    public boolean lessThan(UInt256 o) { return compareTo(o) < 0; }

    public String toHex() {
        return isZero() ? "0x0" : "0x" + toBigInteger().toString(16);
    }

    @Override public String toString() { return toHex(); }
}
