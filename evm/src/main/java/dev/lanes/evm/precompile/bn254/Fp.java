package dev.lanes.evm.precompile.bn254;

import java.math.BigInteger;

/**
 * An element of the base field F_p of BN254, immutable, held as four 64-bit limbs (least significant
 * first) in Montgomery form: the limbs store {@code a * R mod p} with {@code R = 2^256}. Every operation
 * returns a fully reduced value (below p), so two elements are equal exactly when their limbs are.
 *
 * <p>Montgomery form lets multiplication reduce with shifts and word multiplies instead of a division;
 * {@link BigInteger} appears only in the one-time constant setup and in {@link #toBigInteger()} for tests.
 */
final class Fp implements FieldElement<Fp> {
    /** The field modulus p = 36u^4 + 36u^3 + 24u^2 + 6u + 1 for u = 4965661367192848881. */
    static final BigInteger MODULUS =
            new BigInteger("30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47", 16);

    private static final long P0 = MODULUS.longValue();
    private static final long P1 = MODULUS.shiftRight(64).longValue();
    private static final long P2 = MODULUS.shiftRight(128).longValue();
    private static final long P3 = MODULUS.shiftRight(192).longValue();

    /** -p^-1 mod 2^64: the multiplier that makes the low word of t + m*p zero in each reduction round. */
    private static final long INV = -inverseMod64(P0);

    /** R^2 mod p: multiplying a plain value by it (Montgomery-style) yields the value's Montgomery form. */
    private static final Fp R_SQUARED = raw(BigInteger.ONE.shiftLeft(512).mod(MODULUS));

    static final Fp ZERO = new Fp(0, 0, 0, 0);
    static final Fp ONE = fromBigInteger(BigInteger.ONE);

    private final long l0, l1, l2, l3;

    private Fp(long l0, long l1, long l2, long l3) {
        this.l0 = l0;
        this.l1 = l1;
        this.l2 = l2;
        this.l3 = l3;
    }

    /** Newton iteration: each step doubles the number of correct low bits of the inverse of an odd x. */
    private static long inverseMod64(long x) {
        long inv = x; // correct to 3 bits for odd x
        for (int i = 0; i < 5; i++) {
            inv *= 2 - x * inv;
        }
        return inv;
    }

    /** Wraps limbs of a value below p without conversion (the value is taken as already in Montgomery form). */
    private static Fp raw(BigInteger v) {
        return new Fp(v.longValue(), v.shiftRight(64).longValue(), v.shiftRight(128).longValue(),
                v.shiftRight(192).longValue());
    }

    /** For constants and tests: the element equal to {@code v mod p}. */
    static Fp fromBigInteger(BigInteger v) {
        return raw(v.mod(MODULUS)).mul(R_SQUARED);
    }

    /** Little-endian 64-bit limbs of a non-negative integer, for exponents and scalars fixed at class load. */
    static long[] limbs(BigInteger v) {
        long[] out = new long[Math.max(1, (v.bitLength() + 63) / 64)];
        for (int i = 0; i < out.length; i++) {
            out[i] = v.shiftRight(64 * i).longValue();
        }
        return out;
    }

    static Fp of(long v) {
        return fromBigInteger(BigInteger.valueOf(v));
    }

    /**
     * Reads a 32-byte big-endian integer at {@code off}; returns null when it is not below p, because the
     * precompiles must reject non-canonical coordinates rather than reduce them.
     */
    static Fp fromBytes(byte[] in, int off) {
        long a3 = readLong(in, off);
        long a2 = readLong(in, off + 8);
        long a1 = readLong(in, off + 16);
        long a0 = readLong(in, off + 24);
        if (!lessThanP(a0, a1, a2, a3)) {
            return null;
        }
        return new Fp(a0, a1, a2, a3).mul(R_SQUARED);
    }

    /** Writes the canonical value as 32 big-endian bytes at {@code off}. */
    void toBytes(byte[] out, int off) {
        Fp plain = mul(new Fp(1, 0, 0, 0)); // multiplying by plain 1 divides by R: leaves Montgomery form
        writeLong(out, off, plain.l3);
        writeLong(out, off + 8, plain.l2);
        writeLong(out, off + 16, plain.l1);
        writeLong(out, off + 24, plain.l0);
    }

    BigInteger toBigInteger() {
        byte[] b = new byte[32];
        toBytes(b, 0);
        return new BigInteger(1, b);
    }

    private static long readLong(byte[] in, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (in[off + i] & 0xFF);
        }
        return v;
    }

    private static void writeLong(byte[] out, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            out[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    private static boolean lessThanP(long a0, long a1, long a2, long a3) {
        if (a3 != P3) return Long.compareUnsigned(a3, P3) < 0;
        if (a2 != P2) return Long.compareUnsigned(a2, P2) < 0;
        if (a1 != P1) return Long.compareUnsigned(a1, P1) < 0;
        return Long.compareUnsigned(a0, P0) < 0;
    }

    @Override
    public Fp zero() {
        return ZERO;
    }

    @Override
    public Fp one() {
        return ONE;
    }

    @Override
    public boolean isZero() {
        return (l0 | l1 | l2 | l3) == 0;
    }

    /** 1 when {@code sum}, the result of an unsigned addition with operand {@code x}, wrapped past 2^64. */
    private static long carry(long sum, long x) {
        return Long.compareUnsigned(sum, x) < 0 ? 1 : 0;
    }

    /** Carry out of {@code x + y + carryIn = s}: the majority of the top bits, as in a full adder. */
    private static long carryOut(long x, long y, long s) {
        return ((x & y) | ((x | y) & ~s)) >>> 63;
    }

    /** 1 when the unsigned subtraction {@code x - y - borrowIn} (yielding {@code d}) went below zero. */
    private static long borrow(long x, long y, long d) {
        return ((~x & y) | (~(x ^ y) & d)) >>> 63;
    }

    /** Subtracts p once when {@code a >= p}; valid for inputs below 2p, which every caller guarantees. */
    private static Fp reduceOnce(long a0, long a1, long a2, long a3) {
        long d0 = a0 - P0;
        long b = borrow(a0, P0, d0);
        long d1 = a1 - P1 - b;
        b = borrow(a1, P1, d1);
        long d2 = a2 - P2 - b;
        b = borrow(a2, P2, d2);
        long d3 = a3 - P3 - b;
        b = borrow(a3, P3, d3);
        return b != 0 ? new Fp(a0, a1, a2, a3) : new Fp(d0, d1, d2, d3);
    }

    @Override
    public Fp add(Fp o) {
        Fp s = addUnreduced(o);
        return reduceOnce(s.l0, s.l1, s.l2, s.l3);
    }

    /**
     * {@code this + o} without the final subtraction of p: a value below 2p, not an element in canonical form, for use
     * only as an operand of {@link #mul}, which accepts operands below 2p (see there) and returns a reduced value.
     * Karatsuba's sums in {@link Fp2} skip a conditional subtraction each this way.
     */
    Fp addUnreduced(Fp o) {
        // p < 2^254, so the sum of two reduced values fits in 256 bits without a carry out.
        long s0 = l0 + o.l0;
        long c = carryOut(l0, o.l0, s0);
        long s1 = l1 + o.l1 + c;
        c = carryOut(l1, o.l1, s1);
        long s2 = l2 + o.l2 + c;
        c = carryOut(l2, o.l2, s2);
        return new Fp(s0, s1, s2, l3 + o.l3 + c);
    }

    @Override
    public Fp dbl() {
        return add(this);
    }

    @Override
    public Fp sub(Fp o) {
        long d0 = l0 - o.l0;
        long b = borrow(l0, o.l0, d0);
        long d1 = l1 - o.l1 - b;
        b = borrow(l1, o.l1, d1);
        long d2 = l2 - o.l2 - b;
        b = borrow(l2, o.l2, d2);
        long d3 = l3 - o.l3 - b;
        b = borrow(l3, o.l3, d3);
        if (b == 0) {
            return new Fp(d0, d1, d2, d3);
        }
        // Went below zero: add p back (the final carry out cancels the borrow).
        long s0 = d0 + P0;
        long c = carryOut(d0, P0, s0);
        long s1 = d1 + P1 + c;
        c = carryOut(d1, P1, s1);
        long s2 = d2 + P2 + c;
        c = carryOut(d2, P2, s2);
        long s3 = d3 + P3 + c;
        return new Fp(s0, s1, s2, s3);
    }

    @Override
    public Fp neg() {
        return isZero() ? this : ZERO.sub(this);
    }

    /**
     * Montgomery product {@code this * o / R mod p} by coarsely integrated operand scanning (CIOS), fully
     * unrolled so the intermediate words stay in registers. Operands may be below 2p rather than below p (an
     * {@link #addUnreduced} sum): 4p < 2^256, so the running value stays below a + p < 3p < 2^256 after each round,
     * four words plus one spill word suffice, and the result, below ab/R + p < (4p/R + 1)p < 2p, needs one
     * conditional subtraction.
     */
    @Override
    public Fp mul(Fp o) {
        long a0 = l0, a1 = l1, a2 = l2, a3 = l3;
        long b0 = o.l0, b1 = o.l1, b2 = o.l2, b3 = o.l3;
        long t0, t1, t2, t3, t4, c, lo, hi, m;
        // round 0: t += a * b0, then divide t by 2^64 after making it divisible by adding m * p
        lo = a0 * b0; hi = Math.unsignedMultiplyHigh(a0, b0);
        t0 = lo; c = hi;
        lo = a1 * b0; hi = Math.unsignedMultiplyHigh(a1, b0);
        lo += c; hi += carry(lo, c);
        t1 = lo; c = hi;
        lo = a2 * b0; hi = Math.unsignedMultiplyHigh(a2, b0);
        lo += c; hi += carry(lo, c);
        t2 = lo; c = hi;
        lo = a3 * b0; hi = Math.unsignedMultiplyHigh(a3, b0);
        lo += c; hi += carry(lo, c);
        t3 = lo; t4 = hi;
        m = t0 * INV;
        lo = m * P0; hi = Math.unsignedMultiplyHigh(m, P0);
        lo += t0; c = hi + carry(lo, t0);
        lo = m * P1; hi = Math.unsignedMultiplyHigh(m, P1);
        lo += t1; hi += carry(lo, t1);
        lo += c; hi += carry(lo, c);
        t0 = lo; c = hi;
        lo = m * P2; hi = Math.unsignedMultiplyHigh(m, P2);
        lo += t2; hi += carry(lo, t2);
        lo += c; hi += carry(lo, c);
        t1 = lo; c = hi;
        lo = m * P3; hi = Math.unsignedMultiplyHigh(m, P3);
        lo += t3; hi += carry(lo, t3);
        lo += c; hi += carry(lo, c);
        t2 = lo; c = hi;
        t3 = t4 + c;
        // round 1: t += a * b1, then divide t by 2^64 after making it divisible by adding m * p
        lo = a0 * b1; hi = Math.unsignedMultiplyHigh(a0, b1);
        lo += t0; hi += carry(lo, t0);
        t0 = lo; c = hi;
        lo = a1 * b1; hi = Math.unsignedMultiplyHigh(a1, b1);
        lo += t1; hi += carry(lo, t1);
        lo += c; hi += carry(lo, c);
        t1 = lo; c = hi;
        lo = a2 * b1; hi = Math.unsignedMultiplyHigh(a2, b1);
        lo += t2; hi += carry(lo, t2);
        lo += c; hi += carry(lo, c);
        t2 = lo; c = hi;
        lo = a3 * b1; hi = Math.unsignedMultiplyHigh(a3, b1);
        lo += t3; hi += carry(lo, t3);
        lo += c; hi += carry(lo, c);
        t3 = lo; t4 = hi;
        m = t0 * INV;
        lo = m * P0; hi = Math.unsignedMultiplyHigh(m, P0);
        lo += t0; c = hi + carry(lo, t0);
        lo = m * P1; hi = Math.unsignedMultiplyHigh(m, P1);
        lo += t1; hi += carry(lo, t1);
        lo += c; hi += carry(lo, c);
        t0 = lo; c = hi;
        lo = m * P2; hi = Math.unsignedMultiplyHigh(m, P2);
        lo += t2; hi += carry(lo, t2);
        lo += c; hi += carry(lo, c);
        t1 = lo; c = hi;
        lo = m * P3; hi = Math.unsignedMultiplyHigh(m, P3);
        lo += t3; hi += carry(lo, t3);
        lo += c; hi += carry(lo, c);
        t2 = lo; c = hi;
        t3 = t4 + c;
        // round 2: t += a * b2, then divide t by 2^64 after making it divisible by adding m * p
        lo = a0 * b2; hi = Math.unsignedMultiplyHigh(a0, b2);
        lo += t0; hi += carry(lo, t0);
        t0 = lo; c = hi;
        lo = a1 * b2; hi = Math.unsignedMultiplyHigh(a1, b2);
        lo += t1; hi += carry(lo, t1);
        lo += c; hi += carry(lo, c);
        t1 = lo; c = hi;
        lo = a2 * b2; hi = Math.unsignedMultiplyHigh(a2, b2);
        lo += t2; hi += carry(lo, t2);
        lo += c; hi += carry(lo, c);
        t2 = lo; c = hi;
        lo = a3 * b2; hi = Math.unsignedMultiplyHigh(a3, b2);
        lo += t3; hi += carry(lo, t3);
        lo += c; hi += carry(lo, c);
        t3 = lo; t4 = hi;
        m = t0 * INV;
        lo = m * P0; hi = Math.unsignedMultiplyHigh(m, P0);
        lo += t0; c = hi + carry(lo, t0);
        lo = m * P1; hi = Math.unsignedMultiplyHigh(m, P1);
        lo += t1; hi += carry(lo, t1);
        lo += c; hi += carry(lo, c);
        t0 = lo; c = hi;
        lo = m * P2; hi = Math.unsignedMultiplyHigh(m, P2);
        lo += t2; hi += carry(lo, t2);
        lo += c; hi += carry(lo, c);
        t1 = lo; c = hi;
        lo = m * P3; hi = Math.unsignedMultiplyHigh(m, P3);
        lo += t3; hi += carry(lo, t3);
        lo += c; hi += carry(lo, c);
        t2 = lo; c = hi;
        t3 = t4 + c;
        // round 3: t += a * b3, then divide t by 2^64 after making it divisible by adding m * p
        lo = a0 * b3; hi = Math.unsignedMultiplyHigh(a0, b3);
        lo += t0; hi += carry(lo, t0);
        t0 = lo; c = hi;
        lo = a1 * b3; hi = Math.unsignedMultiplyHigh(a1, b3);
        lo += t1; hi += carry(lo, t1);
        lo += c; hi += carry(lo, c);
        t1 = lo; c = hi;
        lo = a2 * b3; hi = Math.unsignedMultiplyHigh(a2, b3);
        lo += t2; hi += carry(lo, t2);
        lo += c; hi += carry(lo, c);
        t2 = lo; c = hi;
        lo = a3 * b3; hi = Math.unsignedMultiplyHigh(a3, b3);
        lo += t3; hi += carry(lo, t3);
        lo += c; hi += carry(lo, c);
        t3 = lo; t4 = hi;
        m = t0 * INV;
        lo = m * P0; hi = Math.unsignedMultiplyHigh(m, P0);
        lo += t0; c = hi + carry(lo, t0);
        lo = m * P1; hi = Math.unsignedMultiplyHigh(m, P1);
        lo += t1; hi += carry(lo, t1);
        lo += c; hi += carry(lo, c);
        t0 = lo; c = hi;
        lo = m * P2; hi = Math.unsignedMultiplyHigh(m, P2);
        lo += t2; hi += carry(lo, t2);
        lo += c; hi += carry(lo, c);
        t1 = lo; c = hi;
        lo = m * P3; hi = Math.unsignedMultiplyHigh(m, P3);
        lo += t3; hi += carry(lo, t3);
        lo += c; hi += carry(lo, c);
        t2 = lo; c = hi;
        t3 = t4 + c;

        return reduceOnce(t0, t1, t2, t3);
    }

    @Override
    public Fp square() {
        return mul(this);
    }

    /** Inverse by Fermat's little theorem, a^(p-2); the inverse of zero is taken to be zero. */
    @Override
    public Fp inverse() {
        return pow(P_MINUS_2);
    }

    private static final long[] P_MINUS_2 = {P0 - 2, P1, P2, P3};

    /** Left-to-right square-and-multiply over a little-endian limb exponent. Not constant time: inputs are public. */
    Fp pow(long[] exponent) {
        Fp result = ONE;
        for (int i = exponent.length * 64 - 1; i >= 0; i--) {
            result = result.square();
            if (((exponent[i >>> 6] >>> (i & 63)) & 1) != 0) {
                result = result.mul(this);
            }
        }
        return result;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Fp f && f.l0 == l0 && f.l1 == l1 && f.l2 == l2 && f.l3 == l3;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(l0 ^ l1 * 31 ^ l2 * 961 ^ l3 * 29791);
    }

    @Override
    public String toString() {
        return "0x" + toBigInteger().toString(16);
    }
}
