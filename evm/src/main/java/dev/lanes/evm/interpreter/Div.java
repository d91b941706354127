package dev.lanes.evm.interpreter;

/**
 * Division for DIV, MOD, SDIV, SMOD, ADDMOD and MULMOD on 64-bit limbs. Long division is Knuth's
 * Algorithm D (TAOCP vol. 2, 4.3.1) with each quotient limb estimated by a 3-by-2 limb division and
 * single-limb divisors handled by 2-by-1 divisions; both use a precomputed reciprocal of the normalised
 * divisor (Möller and Granlund, "Improved division by invariant integers", 2011), so the inner steps
 * are multiplications rather than hardware divides. The reciprocal of the last divisor is remembered,
 * which pays off for modular arithmetic with a fixed modulus. Scratch arrays belong to one interpreter
 * thread, so no operation allocates.
 */
final class Div {
    private static final long M = 0xffffffffL;

    /** Dividend, normalised in place: up to 8 limbs (a MULMOD product) plus one for the shift. */
    private final long[] un = new long[9];
    /** Divisor, normalised in place. */
    private final long[] vn = new long[4];
    /** Quotient limbs. */
    private final long[] q = new long[8];
    /** Remainder of the last {@link #udivrem2by1} call. */
    private long rem;
    /** Reciprocal caches: 2-by-1 for a normalised limb, 3-by-2 for a normalised limb pair (0 never matches). */
    private long cacheD, cacheV, cacheD1, cacheD0, cacheV3;

    /** s[b] = s[a] / s[b] (unsigned), 0 when dividing by zero. */
    void div(long[] s, int a, int b) {
        long d0 = s[b], d1 = s[b + 1], d2 = s[b + 2], d3 = s[b + 3];
        long x0 = s[a], x1 = s[a + 1], x2 = s[a + 2], x3 = s[a + 3];
        if ((d1 | d2 | d3) == 0) {
            if (d0 == 0) return; // the divisor slot already holds zero
            if ((x1 | x2 | x3) == 0) {
                s[b] = Long.divideUnsigned(x0, d0);
                return;
            }
        }
        if (Long.bitCount(d0) + Long.bitCount(d1) + Long.bitCount(d2) + Long.bitCount(d3) == 1) {
            // A power-of-two divisor is a right shift; compilers emit these for ">>" (sha1_divs is full of them).
            int shift = d0 != 0 ? Long.numberOfTrailingZeros(d0) : d1 != 0 ? 64 + Long.numberOfTrailingZeros(d1)
                    : d2 != 0 ? 128 + Long.numberOfTrailingZeros(d2) : 192 + Long.numberOfTrailingZeros(d3);
            s[b] = x0; s[b + 1] = x1; s[b + 2] = x2; s[b + 3] = x3;
            Arith.shiftRight(s, b, shift, 0);
            return;
        }
        if (less(x0, x1, x2, x3, d0, d1, d2, d3)) {
            s[b] = 0; s[b + 1] = 0; s[b + 2] = 0; s[b + 3] = 0;
            return;
        }
        long[] u = un, v = vn;
        u[0] = x0; u[1] = x1; u[2] = x2; u[3] = x3;
        v[0] = d0; v[1] = d1; v[2] = d2; v[3] = d3;
        int m = limbs(x0, x1, x2, x3), n = limbs(d0, d1, d2, d3);
        divrem(m, n);
        int top = m - n;
        long[] qq = q;
        s[b] = qq[0];
        s[b + 1] = top >= 1 ? qq[1] : 0;
        s[b + 2] = top >= 2 ? qq[2] : 0;
        s[b + 3] = top >= 3 ? qq[3] : 0;
    }

    /** s[b] = s[a] mod s[b] (unsigned), 0 when the modulus is zero. */
    void mod(long[] s, int a, int b) {
        long d0 = s[b], d1 = s[b + 1], d2 = s[b + 2], d3 = s[b + 3];
        long x0 = s[a], x1 = s[a + 1], x2 = s[a + 2], x3 = s[a + 3];
        if ((d1 | d2 | d3) == 0) {
            if (d0 == 0) return;
            if ((x1 | x2 | x3) == 0) {
                s[b] = Long.remainderUnsigned(x0, d0);
                return;
            }
        }
        if (less(x0, x1, x2, x3, d0, d1, d2, d3)) {
            s[b] = x0; s[b + 1] = x1; s[b + 2] = x2; s[b + 3] = x3;
            return;
        }
        long[] u = un, v = vn;
        u[0] = x0; u[1] = x1; u[2] = x2; u[3] = x3;
        v[0] = d0; v[1] = d1; v[2] = d2; v[3] = d3;
        int n = limbs(d0, d1, d2, d3);
        divrem(limbs(x0, x1, x2, x3), n);
        storeRemainder(s, b, n);
    }

    void sdiv(long[] s, int a, int b) {
        boolean na = s[a + 3] < 0, nb = s[b + 3] < 0;
        if (na) negate(s, a); // s[a] is popped by the caller, so it may be clobbered
        if (nb) negate(s, b);
        div(s, a, b);
        if (na != nb) negate(s, b);
    }

    void smod(long[] s, int a, int b) {
        boolean na = s[a + 3] < 0, nb = s[b + 3] < 0;
        if (na) negate(s, a);
        if (nb) negate(s, b);
        mod(s, a, b);
        if (na) negate(s, b);
    }

    /** s[c] = (s[a] + s[b]) mod s[c]: operands a (top), b, c (third); 257-bit intermediate. */
    void addmod(long[] s, int a, int b, int c) {
        long m0 = s[c], m1 = s[c + 1], m2 = s[c + 2], m3 = s[c + 3];
        if ((m0 | m1 | m2 | m3) == 0) return;
        long a0 = s[a], a1 = s[a + 1], a2 = s[a + 2], a3 = s[a + 3];
        long b0 = s[b], b1 = s[b + 1], b2 = s[b + 2], b3 = s[b + 3];
        long r0 = a0 + b0;
        long cy = Long.compareUnsigned(r0, a0) < 0 ? 1 : 0;
        long t = a1 + b1;
        long cy1 = Long.compareUnsigned(t, a1) < 0 ? 1 : 0;
        long r1 = t + cy;
        cy = cy1 | (Long.compareUnsigned(r1, t) < 0 ? 1 : 0);
        t = a2 + b2;
        cy1 = Long.compareUnsigned(t, a2) < 0 ? 1 : 0;
        long r2 = t + cy;
        cy = cy1 | (Long.compareUnsigned(r2, t) < 0 ? 1 : 0);
        t = a3 + b3;
        cy1 = Long.compareUnsigned(t, a3) < 0 ? 1 : 0;
        long r3 = t + cy;
        cy = cy1 | (Long.compareUnsigned(r3, t) < 0 ? 1 : 0);
        if (less(a0, a1, a2, a3, m0, m1, m2, m3) && less(b0, b1, b2, b3, m0, m1, m2, m3)) {
            // Both reduced already (modular arithmetic): the sum is below 2m, one subtraction at most.
            if (cy != 0 || !less(r0, r1, r2, r3, m0, m1, m2, m3)) {
                long d0 = r0 - m0;
                long br = Long.compareUnsigned(r0, m0) < 0 ? 1 : 0;
                long u1 = r1 - m1;
                long br1 = Long.compareUnsigned(r1, m1) < 0 ? 1 : 0;
                long d1 = u1 - br;
                br = br1 | (Long.compareUnsigned(u1, br) < 0 ? 1 : 0);
                long u2 = r2 - m2;
                long br2 = Long.compareUnsigned(r2, m2) < 0 ? 1 : 0;
                long d2 = u2 - br;
                br = br2 | (Long.compareUnsigned(u2, br) < 0 ? 1 : 0);
                r0 = d0; r1 = d1; r2 = d2; r3 = r3 - m3 - br;
            }
            s[c] = r0; s[c + 1] = r1; s[c + 2] = r2; s[c + 3] = r3;
            return;
        }
        long[] u = un, v = vn;
        u[0] = r0; u[1] = r1; u[2] = r2; u[3] = r3; u[4] = cy;
        int m = cy != 0 ? 5 : limbs(r0, r1, r2, r3);
        int n = limbs(m0, m1, m2, m3);
        if (m < n || (m == n && less(r0, r1, r2, r3, m0, m1, m2, m3))) {
            s[c] = r0; s[c + 1] = r1; s[c + 2] = r2; s[c + 3] = r3;
            return;
        }
        v[0] = m0; v[1] = m1; v[2] = m2; v[3] = m3;
        divrem(m, n);
        storeRemainder(s, c, n);
    }

    /** s[c] = (s[a] * s[b]) mod s[c], with the full 512-bit product. */
    void mulmod(long[] s, int a, int b, int c) {
        long m0 = s[c], m1 = s[c + 1], m2 = s[c + 2], m3 = s[c + 3];
        if ((m0 | m1 | m2 | m3) == 0) return;
        if (BARRETT && m3 != 0) {
            // A modulus with its reciprocal kept (barrett): the product in locals, reduced by multiplications.
            if (m0 == barA0 && m1 == barA1 && m2 == barA2 && m3 == barA3) {
                productReduced(s, a, b, c, m0, m1, m2, m3, muA0, muA1, muA2, muA3, muA4);
                return;
            }
            if (m0 == barB0 && m1 == barB1 && m2 == barB2 && m3 == barB3) {
                productReduced(s, a, b, c, m0, m1, m2, m3, muB0, muB1, muB2, muB3, muB4);
                return;
            }
        }
        long[] u = un;
        fullMul(s[a], s[a + 1], s[a + 2], s[a + 3], s[b], s[b + 1], s[b + 2], s[b + 3], u);
        int m = 8;
        while (m > 0 && u[m - 1] == 0) m--;
        int n = limbs(m0, m1, m2, m3);
        if (m < n || (m == n && less(u[0], u[1], u[2], u[3], m0, m1, m2, m3))) { // n <= 4, so u[m..4) are zero
            s[c] = u[0]; s[c + 1] = u[1]; s[c + 2] = u[2]; s[c + 3] = u[3];
            return;
        }
        if (n == 4 && FOUR_LIMB) {
            if (!BARRETT || !barrett(s, c, m0, m1, m2, m3)) mod8by4(s, c, m0, m1, m2, m3);
            return;
        }
        long[] v = vn;
        v[0] = m0; v[1] = m1; v[2] = m2; v[3] = m3;
        divrem(m, n);
        storeRemainder(s, c, n);
    }

    /** {@link #mod8by4}'s reciprocals of the normalised modulus' top limbs (0 never matches a normalised limb). */
    private long modA1, modA0, modAV, modB1, modB0, modBV;

    /** {@code -Dlanes.interp.mulmod4=false}: MULMOD by a four-limb modulus through the general {@link #divrem}. */
    private static final boolean FOUR_LIMB = !"false".equals(System.getProperty("lanes.interp.mulmod4"));

    /**
     * The remainder of the product in un[0..8) by a four-limb modulus (m3 != 0), to s[c..c+4): {@link #divrem}'s
     * algorithm for this one shape, with the divisor and the top of the dividend in locals and the five quotient
     * steps' multiply-and-subtract written out (the quotient itself is not kept). Moduli of 193 to 256 bits are what
     * modular arithmetic in contracts uses (the bn254 and secp256k1 primes); weierstrudel spent 70% of its time in
     * divrem's loops over the scratch arrays.
     */
    private void mod8by4(long[] s, int c, long m0, long m1, long m2, long m3) {
        long[] u = un;
        long u4 = u[4], u5 = u[5], u6 = u[6], u7 = u[7];
        long d3 = m3, d2 = m2, d1 = m1, d0 = m0;
        long r3, r2, r1, r0; // the dividend's top four limbs, then each step's remainder
        int sh = Long.numberOfLeadingZeros(m3);
        if (sh != 0) {
            int rs = 64 - sh;
            d3 = d3 << sh | d2 >>> rs; d2 = d2 << sh | d1 >>> rs; d1 = d1 << sh | d0 >>> rs; d0 <<= sh;
            r3 = u7 >>> rs; r2 = u7 << sh | u6 >>> rs; r1 = u6 << sh | u5 >>> rs; r0 = u5 << sh | u4 >>> rs;
            long u3 = u[3], u2 = u[2], u1 = u[1], u0 = u[0];
            u[4] = u4 << sh | u3 >>> rs; u[3] = u3 << sh | u2 >>> rs; u[2] = u2 << sh | u1 >>> rs; u[1] = u1 << sh | u0 >>> rs;
            u[0] = u0 << sh;
        } else {
            r3 = 0; r2 = u7; r1 = u6; r0 = u5;
        }
        // Two reciprocals remembered, the last used first: code often alternates between two moduli (a field's
        // prime and its group order), and a reciprocal costs two hardware divisions.
        long inv;
        if (d3 == modA1 && d2 == modA0) {
            inv = modAV;
        } else {
            inv = d3 == modB1 && d2 == modB0 ? modBV : reciprocal3by2(d3, d2);
            modB1 = modA1; modB0 = modA0; modBV = modAV;
            modA1 = d3; modA0 = d2; modAV = inv;
        }
        for (int j = 4; j >= 0; j--) {
            // The window (r3 r2 r1 r0 x) is below d * 2^64; subtract q * d for its quotient limb q.
            long x = u[j];
            long q = (r3 == d3 && r2 == d2) ? -1L : udiv3by2(r3, r2, r1, d3, d2, inv);
            long lo = q * d0, hi = Math.unsignedMultiplyHigh(q, d0);
            long w0 = x - lo;
            long borrow = hi + (Long.compareUnsigned(x, lo) < 0 ? 1 : 0);
            lo = q * d1; hi = Math.unsignedMultiplyHigh(q, d1);
            lo += borrow; hi += Long.compareUnsigned(lo, borrow) < 0 ? 1 : 0;
            long w1 = r0 - lo;
            borrow = hi + (Long.compareUnsigned(r0, lo) < 0 ? 1 : 0);
            lo = q * d2; hi = Math.unsignedMultiplyHigh(q, d2);
            lo += borrow; hi += Long.compareUnsigned(lo, borrow) < 0 ? 1 : 0;
            long w2 = r1 - lo;
            borrow = hi + (Long.compareUnsigned(r1, lo) < 0 ? 1 : 0);
            lo = q * d3; hi = Math.unsignedMultiplyHigh(q, d3);
            lo += borrow; hi += Long.compareUnsigned(lo, borrow) < 0 ? 1 : 0;
            long w3 = r2 - lo;
            borrow = hi + (Long.compareUnsigned(r2, lo) < 0 ? 1 : 0);
            long top = r3 - borrow;
            if (Long.compareUnsigned(r3, borrow) < 0) {
                // q was too large (by one; by two only after the clamp): add d back until the top carries out.
                while (true) {
                    long t = w0 + d0;
                    long cy = Long.compareUnsigned(t, d0) < 0 ? 1 : 0;
                    w0 = t;
                    t = w1 + d1;
                    long c1 = Long.compareUnsigned(t, d1) < 0 ? 1 : 0;
                    t += cy;
                    cy = c1 | (Long.compareUnsigned(t, cy) < 0 ? 1 : 0);
                    w1 = t;
                    t = w2 + d2;
                    c1 = Long.compareUnsigned(t, d2) < 0 ? 1 : 0;
                    t += cy;
                    cy = c1 | (Long.compareUnsigned(t, cy) < 0 ? 1 : 0);
                    w2 = t;
                    t = w3 + d3;
                    c1 = Long.compareUnsigned(t, d3) < 0 ? 1 : 0;
                    t += cy;
                    cy = c1 | (Long.compareUnsigned(t, cy) < 0 ? 1 : 0);
                    w3 = t;
                    top += cy;
                    if (cy != 0 && top == 0) break;
                }
            }
            r3 = w3; r2 = w2; r1 = w1; r0 = w0;
        }
        if (sh != 0) {
            int rs = 64 - sh;
            r0 = r0 >>> sh | r1 << rs; r1 = r1 >>> sh | r2 << rs; r2 = r2 >>> sh | r3 << rs; r3 >>>= sh;
        }
        s[c] = r0; s[c + 1] = r1; s[c + 2] = r2; s[c + 3] = r3;
    }

    /**
     * {@code -Dlanes.interp.barrett=false}: MULMOD by a repeated four-limb modulus through {@link #mod8by4}'s division
     * rather than {@link #barrett}'s reduction.
     */
    private static final boolean BARRETT = !"false".equals(System.getProperty("lanes.interp.barrett"));

    /** {@link #barrett}'s moduli and their reciprocals floor(2^512 / m) (five limbs each), the last used first. */
    private long barA0, barA1, barA2, barA3, muA0, muA1, muA2, muA3, muA4;
    private long barB0, barB1, barB2, barB3, muB0, muB1, muB2, muB3, muB4;
    /** The last four-limb modulus reduced by without a reciprocal: seen again, it gets one. */
    private long seen0, seen1, seen2, seen3;

    /**
     * For a four-limb modulus m (m3 != 0) without a kept reciprocal: the remainder of the product in un[0..8) by it, to
     * s[c..c+4), when it is met the second time ({@link #mulmod} reduces by the two kept in {@link #productReduced}), by
     * Barrett's reduction (Handbook of Applied Cryptography, algorithm 14.42, base 2^64, k = 4) with the reciprocal
     * mu = floor(2^512 / m) of a modulus used before: q = floor(floor(x / 2^192) * mu / 2^320) is the quotient or up to
     * two below it, and x - q * m (below 2^320) is brought under m by at most two subtractions. Multiplications only,
     * all independent of each other but for their carries, where {@link #mod8by4}'s five quotient steps each wait for
     * the last: contracts that do modular arithmetic (weierstrudel's elliptic curve: 60% of its time in MULMOD by the
     * bn254 prime) use one or two moduli over and over. Returns false, reducing nothing, for a modulus met the first
     * time (it is noted; the next MULMOD by it makes the reciprocal, costing about one {@link #mod8by4}) and for a power
     * of two (floor((2^512 - 1) / m), the division made, is floor(2^512 / m) for any other modulus).
     */
    private boolean barrett(long[] s, int c, long m0, long m1, long m2, long m3) {
        // Not one of the two kept (mulmod looked): a modulus met the first time is noted, one met again gets its reciprocal.
        if (m0 != seen0 || m1 != seen1 || m2 != seen2 || m3 != seen3) {
            seen0 = m0; seen1 = m1; seen2 = m2; seen3 = m3;
            return false;
        }
        if (Long.bitCount(m0) + Long.bitCount(m1) + Long.bitCount(m2) + Long.bitCount(m3) == 1) return false;
        long[] u = un;
        long x0 = u[0], x1 = u[1], x2 = u[2], x3 = u[3], x4 = u[4], x5 = u[5], x6 = u[6], x7 = u[7];
        // mu = floor((2^512 - 1) / m): five limbs, as m >= 2^192
        for (int i = 0; i < 8; i++) u[i] = -1L;
        long[] v = vn;
        v[0] = m0; v[1] = m1; v[2] = m2; v[3] = m3;
        divrem(8, 4);
        long[] qq = q;
        long mu0 = qq[0], mu1 = qq[1], mu2 = qq[2], mu3 = qq[3], mu4 = qq[4];
        barB0 = barA0; barB1 = barA1; barB2 = barA2; barB3 = barA3;
        muB0 = muA0; muB1 = muA1; muB2 = muA2; muB3 = muA3; muB4 = muA4;
        barA0 = m0; barA1 = m1; barA2 = m2; barA3 = m3;
        muA0 = mu0; muA1 = mu1; muA2 = mu2; muA3 = mu3; muA4 = mu4;
        reduce(s, c, x0, x1, x2, x3, x4, x5, x6, x7, m0, m1, m2, m3, mu0, mu1, mu2, mu3, mu4);
        return true;
    }

    /** s[c..c+4) = (s[a] * s[b]) mod m for a modulus whose reciprocal {@code mu} {@link #barrett} kept. */
    private static void productReduced(long[] s, int a, int b, int c, long m0, long m1, long m2, long m3,
                                       long mu0, long mu1, long mu2, long mu3, long mu4) {
        long a0 = s[a], a1 = s[a + 1], a2 = s[a + 2], a3 = s[a + 3];
        long b0 = s[b], b1 = s[b + 1], b2 = s[b + 2], b3 = s[b + 3];
        // The 512-bit product column by column into three limbs (c2:c1:c0), each column's low limb its digit.
        long lo, hi, c0 = 0, c1 = 0, c2 = 0;
        lo = a0 * b0; hi = Math.unsignedMultiplyHigh(a0, b0);
        c0 += lo; hi += Long.compareUnsigned(c0, lo) < 0 ? 1 : 0;
        c1 += hi; c2 += Long.compareUnsigned(c1, hi) < 0 ? 1 : 0;
        long x0 = c0;
        c0 = c1; c1 = c2; c2 = 0;
        lo = a0 * b1; hi = Math.unsignedMultiplyHigh(a0, b1);
        c0 += lo; hi += Long.compareUnsigned(c0, lo) < 0 ? 1 : 0;
        c1 += hi; c2 += Long.compareUnsigned(c1, hi) < 0 ? 1 : 0;
        lo = a1 * b0; hi = Math.unsignedMultiplyHigh(a1, b0);
        c0 += lo; hi += Long.compareUnsigned(c0, lo) < 0 ? 1 : 0;
        c1 += hi; c2 += Long.compareUnsigned(c1, hi) < 0 ? 1 : 0;
        long x1 = c0;
        c0 = c1; c1 = c2; c2 = 0;
        lo = a0 * b2; hi = Math.unsignedMultiplyHigh(a0, b2);
        c0 += lo; hi += Long.compareUnsigned(c0, lo) < 0 ? 1 : 0;
        c1 += hi; c2 += Long.compareUnsigned(c1, hi) < 0 ? 1 : 0;
        lo = a1 * b1; hi = Math.unsignedMultiplyHigh(a1, b1);
        c0 += lo; hi += Long.compareUnsigned(c0, lo) < 0 ? 1 : 0;
        c1 += hi; c2 += Long.compareUnsigned(c1, hi) < 0 ? 1 : 0;
        lo = a2 * b0; hi = Math.unsignedMultiplyHigh(a2, b0);
        c0 += lo; hi += Long.compareUnsigned(c0, lo) < 0 ? 1 : 0;
        c1 += hi; c2 += Long.compareUnsigned(c1, hi) < 0 ? 1 : 0;
        long x2 = c0;
        c0 = c1; c1 = c2; c2 = 0;
        lo = a0 * b3; hi = Math.unsignedMultiplyHigh(a0, b3);
        c0 += lo; hi += Long.compareUnsigned(c0, lo) < 0 ? 1 : 0;
        c1 += hi; c2 += Long.compareUnsigned(c1, hi) < 0 ? 1 : 0;
        lo = a1 * b2; hi = Math.unsignedMultiplyHigh(a1, b2);
        c0 += lo; hi += Long.compareUnsigned(c0, lo) < 0 ? 1 : 0;
        c1 += hi; c2 += Long.compareUnsigned(c1, hi) < 0 ? 1 : 0;
        lo = a2 * b1; hi = Math.unsignedMultiplyHigh(a2, b1);
        c0 += lo; hi += Long.compareUnsigned(c0, lo) < 0 ? 1 : 0;
        c1 += hi; c2 += Long.compareUnsigned(c1, hi) < 0 ? 1 : 0;
        lo = a3 * b0; hi = Math.unsignedMultiplyHigh(a3, b0);
        c0 += lo; hi += Long.compareUnsigned(c0, lo) < 0 ? 1 : 0;
        c1 += hi; c2 += Long.compareUnsigned(c1, hi) < 0 ? 1 : 0;
        long x3 = c0;
        c0 = c1; c1 = c2; c2 = 0;
        lo = a1 * b3; hi = Math.unsignedMultiplyHigh(a1, b3);
        c0 += lo; hi += Long.compareUnsigned(c0, lo) < 0 ? 1 : 0;
        c1 += hi; c2 += Long.compareUnsigned(c1, hi) < 0 ? 1 : 0;
        lo = a2 * b2; hi = Math.unsignedMultiplyHigh(a2, b2);
        c0 += lo; hi += Long.compareUnsigned(c0, lo) < 0 ? 1 : 0;
        c1 += hi; c2 += Long.compareUnsigned(c1, hi) < 0 ? 1 : 0;
        lo = a3 * b1; hi = Math.unsignedMultiplyHigh(a3, b1);
        c0 += lo; hi += Long.compareUnsigned(c0, lo) < 0 ? 1 : 0;
        c1 += hi; c2 += Long.compareUnsigned(c1, hi) < 0 ? 1 : 0;
        long x4 = c0;
        c0 = c1; c1 = c2; c2 = 0;
        lo = a2 * b3; hi = Math.unsignedMultiplyHigh(a2, b3);
        c0 += lo; hi += Long.compareUnsigned(c0, lo) < 0 ? 1 : 0;
        c1 += hi; c2 += Long.compareUnsigned(c1, hi) < 0 ? 1 : 0;
        lo = a3 * b2; hi = Math.unsignedMultiplyHigh(a3, b2);
        c0 += lo; hi += Long.compareUnsigned(c0, lo) < 0 ? 1 : 0;
        c1 += hi; c2 += Long.compareUnsigned(c1, hi) < 0 ? 1 : 0;
        long x5 = c0;
        c0 = c1; c1 = c2; c2 = 0;
        lo = a3 * b3; hi = Math.unsignedMultiplyHigh(a3, b3);
        c0 += lo; hi += Long.compareUnsigned(c0, lo) < 0 ? 1 : 0;
        c1 += hi; c2 += Long.compareUnsigned(c1, hi) < 0 ? 1 : 0;
        long x6 = c0;
        c0 = c1; c1 = c2; c2 = 0;
        long x7 = c0;
        reduce(s, c, x0, x1, x2, x3, x4, x5, x6, x7, m0, m1, m2, m3, mu0, mu1, mu2, mu3, mu4);
    }

    /** s[c..c+4) = x mod m, for the 512-bit x and the four-limb m (m3 != 0) with mu = floor(2^512 / m) (see {@link #barrett}). */
    private static void reduce(long[] s, int c, long x0, long x1, long x2, long x3, long x4, long x5, long x6, long x7,
                               long m0, long m1, long m2, long m3, long mu0, long mu1, long mu2, long mu3, long mu4) {
        // Products summed column by column into three limbs (c2:c1:c0); each column's low limb is its digit.
        long lo, hi, c0 = 0, c1 = 0, c2 = 0;
        // q3 = floor(floor(x / 2^192) * mu / 2^320): columns 5-9 of the product, the lower ones for their carries
        lo = x3 * mu0; hi = Math.unsignedMultiplyHigh(x3, mu0);
        c0 += lo; hi += Long.compareUnsigned(c0, lo) < 0 ? 1 : 0;
        c1 += hi; c2 += Long.compareUnsigned(c1, hi) < 0 ? 1 : 0;
        c0 = c1; c1 = c2; c2 = 0;
        lo = x3 * mu1; hi = Math.unsignedMultiplyHigh(x3, mu1);
        c0 += lo; hi += Long.compareUnsigned(c0, lo) < 0 ? 1 : 0;
        c1 += hi; c2 += Long.compareUnsigned(c1, hi) < 0 ? 1 : 0;
        lo = x4 * mu0; hi = Math.unsignedMultiplyHigh(x4, mu0);
        c0 += lo; hi += Long.compareUnsigned(c0, lo) < 0 ? 1 : 0;
        c1 += hi; c2 += Long.compareUnsigned(c1, hi) < 0 ? 1 : 0;
        c0 = c1; c1 = c2; c2 = 0;
        lo = x3 * mu2; hi = Math.unsignedMultiplyHigh(x3, mu2);
        c0 += lo; hi += Long.compareUnsigned(c0, lo) < 0 ? 1 : 0;
        c1 += hi; c2 += Long.compareUnsigned(c1, hi) < 0 ? 1 : 0;
        lo = x4 * mu1; hi = Math.unsignedMultiplyHigh(x4, mu1);
        c0 += lo; hi += Long.compareUnsigned(c0, lo) < 0 ? 1 : 0;
        c1 += hi; c2 += Long.compareUnsigned(c1, hi) < 0 ? 1 : 0;
        lo = x5 * mu0; hi = Math.unsignedMultiplyHigh(x5, mu0);
        c0 += lo; hi += Long.compareUnsigned(c0, lo) < 0 ? 1 : 0;
        c1 += hi; c2 += Long.compareUnsigned(c1, hi) < 0 ? 1 : 0;
        c0 = c1; c1 = c2; c2 = 0;
        lo = x3 * mu3; hi = Math.unsignedMultiplyHigh(x3, mu3);
        c0 += lo; hi += Long.compareUnsigned(c0, lo) < 0 ? 1 : 0;
        c1 += hi; c2 += Long.compareUnsigned(c1, hi) < 0 ? 1 : 0;
        lo = x4 * mu2; hi = Math.unsignedMultiplyHigh(x4, mu2);
        c0 += lo; hi += Long.compareUnsigned(c0, lo) < 0 ? 1 : 0;
        c1 += hi; c2 += Long.compareUnsigned(c1, hi) < 0 ? 1 : 0;
        lo = x5 * mu1; hi = Math.unsignedMultiplyHigh(x5, mu1);
        c0 += lo; hi += Long.compareUnsigned(c0, lo) < 0 ? 1 : 0;
        c1 += hi; c2 += Long.compareUnsigned(c1, hi) < 0 ? 1 : 0;
        lo = x6 * mu0; hi = Math.unsignedMultiplyHigh(x6, mu0);
        c0 += lo; hi += Long.compareUnsigned(c0, lo) < 0 ? 1 : 0;
        c1 += hi; c2 += Long.compareUnsigned(c1, hi) < 0 ? 1 : 0;
        c0 = c1; c1 = c2; c2 = 0;
        lo = x3 * mu4; hi = Math.unsignedMultiplyHigh(x3, mu4);
        c0 += lo; hi += Long.compareUnsigned(c0, lo) < 0 ? 1 : 0;
        c1 += hi; c2 += Long.compareUnsigned(c1, hi) < 0 ? 1 : 0;
        lo = x4 * mu3; hi = Math.unsignedMultiplyHigh(x4, mu3);
        c0 += lo; hi += Long.compareUnsigned(c0, lo) < 0 ? 1 : 0;
        c1 += hi; c2 += Long.compareUnsigned(c1, hi) < 0 ? 1 : 0;
        lo = x5 * mu2; hi = Math.unsignedMultiplyHigh(x5, mu2);
        c0 += lo; hi += Long.compareUnsigned(c0, lo) < 0 ? 1 : 0;
        c1 += hi; c2 += Long.compareUnsigned(c1, hi) < 0 ? 1 : 0;
        lo = x6 * mu1; hi = Math.unsignedMultiplyHigh(x6, mu1);
        c0 += lo; hi += Long.compareUnsigned(c0, lo) < 0 ? 1 : 0;
        c1 += hi; c2 += Long.compareUnsigned(c1, hi) < 0 ? 1 : 0;
        lo = x7 * mu0; hi = Math.unsignedMultiplyHigh(x7, mu0);
        c0 += lo; hi += Long.compareUnsigned(c0, lo) < 0 ? 1 : 0;
        c1 += hi; c2 += Long.compareUnsigned(c1, hi) < 0 ? 1 : 0;
        c0 = c1; c1 = c2; c2 = 0;
        lo = x4 * mu4; hi = Math.unsignedMultiplyHigh(x4, mu4);
        c0 += lo; hi += Long.compareUnsigned(c0, lo) < 0 ? 1 : 0;
        c1 += hi; c2 += Long.compareUnsigned(c1, hi) < 0 ? 1 : 0;
        lo = x5 * mu3; hi = Math.unsignedMultiplyHigh(x5, mu3);
        c0 += lo; hi += Long.compareUnsigned(c0, lo) < 0 ? 1 : 0;
        c1 += hi; c2 += Long.compareUnsigned(c1, hi) < 0 ? 1 : 0;
        lo = x6 * mu2; hi = Math.unsignedMultiplyHigh(x6, mu2);
        c0 += lo; hi += Long.compareUnsigned(c0, lo) < 0 ? 1 : 0;
        c1 += hi; c2 += Long.compareUnsigned(c1, hi) < 0 ? 1 : 0;
        lo = x7 * mu1; hi = Math.unsignedMultiplyHigh(x7, mu1);
        c0 += lo; hi += Long.compareUnsigned(c0, lo) < 0 ? 1 : 0;
        c1 += hi; c2 += Long.compareUnsigned(c1, hi) < 0 ? 1 : 0;
        long q0 = c0;
        c0 = c1; c1 = c2; c2 = 0;
        lo = x5 * mu4; hi = Math.unsignedMultiplyHigh(x5, mu4);
        c0 += lo; hi += Long.compareUnsigned(c0, lo) < 0 ? 1 : 0;
        c1 += hi; c2 += Long.compareUnsigned(c1, hi) < 0 ? 1 : 0;
        lo = x6 * mu3; hi = Math.unsignedMultiplyHigh(x6, mu3);
        c0 += lo; hi += Long.compareUnsigned(c0, lo) < 0 ? 1 : 0;
        c1 += hi; c2 += Long.compareUnsigned(c1, hi) < 0 ? 1 : 0;
        lo = x7 * mu2; hi = Math.unsignedMultiplyHigh(x7, mu2);
        c0 += lo; hi += Long.compareUnsigned(c0, lo) < 0 ? 1 : 0;
        c1 += hi; c2 += Long.compareUnsigned(c1, hi) < 0 ? 1 : 0;
        long q1 = c0;
        c0 = c1; c1 = c2; c2 = 0;
        lo = x6 * mu4; hi = Math.unsignedMultiplyHigh(x6, mu4);
        c0 += lo; hi += Long.compareUnsigned(c0, lo) < 0 ? 1 : 0;
        c1 += hi; c2 += Long.compareUnsigned(c1, hi) < 0 ? 1 : 0;
        lo = x7 * mu3; hi = Math.unsignedMultiplyHigh(x7, mu3);
        c0 += lo; hi += Long.compareUnsigned(c0, lo) < 0 ? 1 : 0;
        c1 += hi; c2 += Long.compareUnsigned(c1, hi) < 0 ? 1 : 0;
        long q2 = c0;
        c0 = c1; c1 = c2; c2 = 0;
        lo = x7 * mu4; hi = Math.unsignedMultiplyHigh(x7, mu4);
        c0 += lo; hi += Long.compareUnsigned(c0, lo) < 0 ? 1 : 0;
        c1 += hi; c2 += Long.compareUnsigned(c1, hi) < 0 ? 1 : 0;
        long q3 = c0;
        c0 = c1; c1 = c2; c2 = 0;
        long q4 = c0;
        // q3 * m mod 2^320: columns 0-4
        c0 = 0; c1 = 0; c2 = 0;
        lo = q0 * m0; hi = Math.unsignedMultiplyHigh(q0, m0);
        c0 += lo; hi += Long.compareUnsigned(c0, lo) < 0 ? 1 : 0;
        c1 += hi; c2 += Long.compareUnsigned(c1, hi) < 0 ? 1 : 0;
        long t0 = c0;
        c0 = c1; c1 = c2; c2 = 0;
        lo = q0 * m1; hi = Math.unsignedMultiplyHigh(q0, m1);
        c0 += lo; hi += Long.compareUnsigned(c0, lo) < 0 ? 1 : 0;
        c1 += hi; c2 += Long.compareUnsigned(c1, hi) < 0 ? 1 : 0;
        lo = q1 * m0; hi = Math.unsignedMultiplyHigh(q1, m0);
        c0 += lo; hi += Long.compareUnsigned(c0, lo) < 0 ? 1 : 0;
        c1 += hi; c2 += Long.compareUnsigned(c1, hi) < 0 ? 1 : 0;
        long t1 = c0;
        c0 = c1; c1 = c2; c2 = 0;
        lo = q0 * m2; hi = Math.unsignedMultiplyHigh(q0, m2);
        c0 += lo; hi += Long.compareUnsigned(c0, lo) < 0 ? 1 : 0;
        c1 += hi; c2 += Long.compareUnsigned(c1, hi) < 0 ? 1 : 0;
        lo = q1 * m1; hi = Math.unsignedMultiplyHigh(q1, m1);
        c0 += lo; hi += Long.compareUnsigned(c0, lo) < 0 ? 1 : 0;
        c1 += hi; c2 += Long.compareUnsigned(c1, hi) < 0 ? 1 : 0;
        lo = q2 * m0; hi = Math.unsignedMultiplyHigh(q2, m0);
        c0 += lo; hi += Long.compareUnsigned(c0, lo) < 0 ? 1 : 0;
        c1 += hi; c2 += Long.compareUnsigned(c1, hi) < 0 ? 1 : 0;
        long t2 = c0;
        c0 = c1; c1 = c2; c2 = 0;
        lo = q0 * m3; hi = Math.unsignedMultiplyHigh(q0, m3);
        c0 += lo; hi += Long.compareUnsigned(c0, lo) < 0 ? 1 : 0;
        c1 += hi; c2 += Long.compareUnsigned(c1, hi) < 0 ? 1 : 0;
        lo = q1 * m2; hi = Math.unsignedMultiplyHigh(q1, m2);
        c0 += lo; hi += Long.compareUnsigned(c0, lo) < 0 ? 1 : 0;
        c1 += hi; c2 += Long.compareUnsigned(c1, hi) < 0 ? 1 : 0;
        lo = q2 * m1; hi = Math.unsignedMultiplyHigh(q2, m1);
        c0 += lo; hi += Long.compareUnsigned(c0, lo) < 0 ? 1 : 0;
        c1 += hi; c2 += Long.compareUnsigned(c1, hi) < 0 ? 1 : 0;
        lo = q3 * m0; hi = Math.unsignedMultiplyHigh(q3, m0);
        c0 += lo; hi += Long.compareUnsigned(c0, lo) < 0 ? 1 : 0;
        c1 += hi; c2 += Long.compareUnsigned(c1, hi) < 0 ? 1 : 0;
        long t3 = c0;
        c0 = c1; c1 = c2; c2 = 0;
        lo = q1 * m3; hi = Math.unsignedMultiplyHigh(q1, m3);
        c0 += lo; hi += Long.compareUnsigned(c0, lo) < 0 ? 1 : 0;
        c1 += hi; c2 += Long.compareUnsigned(c1, hi) < 0 ? 1 : 0;
        lo = q2 * m2; hi = Math.unsignedMultiplyHigh(q2, m2);
        c0 += lo; hi += Long.compareUnsigned(c0, lo) < 0 ? 1 : 0;
        c1 += hi; c2 += Long.compareUnsigned(c1, hi) < 0 ? 1 : 0;
        lo = q3 * m1; hi = Math.unsignedMultiplyHigh(q3, m1);
        c0 += lo; hi += Long.compareUnsigned(c0, lo) < 0 ? 1 : 0;
        c1 += hi; c2 += Long.compareUnsigned(c1, hi) < 0 ? 1 : 0;
        lo = q4 * m0; hi = Math.unsignedMultiplyHigh(q4, m0);
        c0 += lo; hi += Long.compareUnsigned(c0, lo) < 0 ? 1 : 0;
        c1 += hi; c2 += Long.compareUnsigned(c1, hi) < 0 ? 1 : 0;
        long t4 = c0;

        // r = x - q * m, modulo 2^320 (it is below 3m < 2^320), then at most two subtractions of m
        long r0 = x0 - t0;
        long br = Long.compareUnsigned(x0, t0) < 0 ? 1 : 0;
        long d = x1 - t1;
        long b1 = Long.compareUnsigned(x1, t1) < 0 ? 1 : 0;
        long r1 = d - br;
        br = b1 | (Long.compareUnsigned(d, br) < 0 ? 1 : 0);
        d = x2 - t2;
        b1 = Long.compareUnsigned(x2, t2) < 0 ? 1 : 0;
        long r2 = d - br;
        br = b1 | (Long.compareUnsigned(d, br) < 0 ? 1 : 0);
        d = x3 - t3;
        b1 = Long.compareUnsigned(x3, t3) < 0 ? 1 : 0;
        long r3 = d - br;
        br = b1 | (Long.compareUnsigned(d, br) < 0 ? 1 : 0);
        long r4 = x4 - t4 - br;
        // At most twice (HAC, fact 14.43); bounded, so that an error here would show as a wrong result, not a hang.
        for (int k = 0; k < 2 && (r4 != 0 || !less(r0, r1, r2, r3, m0, m1, m2, m3)); k++) {
            d = r0 - m0;
            br = Long.compareUnsigned(r0, m0) < 0 ? 1 : 0;
            r0 = d;
            d = r1 - m1;
            b1 = Long.compareUnsigned(r1, m1) < 0 ? 1 : 0;
            r1 = d - br;
            br = b1 | (Long.compareUnsigned(d, br) < 0 ? 1 : 0);
            d = r2 - m2;
            b1 = Long.compareUnsigned(r2, m2) < 0 ? 1 : 0;
            r2 = d - br;
            br = b1 | (Long.compareUnsigned(d, br) < 0 ? 1 : 0);
            d = r3 - m3;
            b1 = Long.compareUnsigned(r3, m3) < 0 ? 1 : 0;
            r3 = d - br;
            br = b1 | (Long.compareUnsigned(d, br) < 0 ? 1 : 0);
            r4 -= br;
        }
        s[c] = r0; s[c + 1] = r1; s[c + 2] = r2; s[c + 3] = r3;
    }

    private void storeRemainder(long[] s, int b, int n) {
        long[] u = un;
        s[b] = u[0];
        s[b + 1] = n > 1 ? u[1] : 0;
        s[b + 2] = n > 2 ? u[2] : 0;
        s[b + 3] = n > 3 ? u[3] : 0;
    }

    /** The 512-bit product a * b into r[0..8). */
    static void fullMul(long a0, long a1, long a2, long a3, long b0, long b1, long b2, long b3, long[] r) {
        long lo, hi, carry;
        lo = a0 * b0; r[0] = lo; carry = Math.unsignedMultiplyHigh(a0, b0);
        lo = a0 * b1 + carry; hi = Math.unsignedMultiplyHigh(a0, b1) + (Long.compareUnsigned(lo, carry) < 0 ? 1 : 0); r[1] = lo; carry = hi;
        lo = a0 * b2 + carry; hi = Math.unsignedMultiplyHigh(a0, b2) + (Long.compareUnsigned(lo, carry) < 0 ? 1 : 0); r[2] = lo; carry = hi;
        lo = a0 * b3 + carry; hi = Math.unsignedMultiplyHigh(a0, b3) + (Long.compareUnsigned(lo, carry) < 0 ? 1 : 0); r[3] = lo;
        r[4] = hi;
        row(r, 1, a1, b0, b1, b2, b3);
        row(r, 2, a2, b0, b1, b2, b3);
        row(r, 3, a3, b0, b1, b2, b3);
    }

    /** r[i..i+4] += ai * b, where r[i+4] is not yet written. */
    private static void row(long[] r, int i, long ai, long b0, long b1, long b2, long b3) {
        long carry = mac(r, i, ai, b0, 0);
        carry = mac(r, i + 1, ai, b1, carry);
        carry = mac(r, i + 2, ai, b2, carry);
        r[i + 4] = mac(r, i + 3, ai, b3, carry);
    }

    /** r[k] += x * y + carry; returns the new carry. */
    private static long mac(long[] r, int k, long x, long y, long carry) {
        long lo = x * y, hi = Math.unsignedMultiplyHigh(x, y);
        long t = r[k];
        lo += t;
        hi += Long.compareUnsigned(lo, t) < 0 ? 1 : 0;
        lo += carry;
        hi += Long.compareUnsigned(lo, carry) < 0 ? 1 : 0;
        r[k] = lo;
        return hi;
    }

    // ---- long division ----

    /**
     * un[0..m) / vn[0..n), with 1 <= n <= m, vn[n-1] != 0 and un[m..] free. Quotient limbs to q[0..m-n],
     * remainder to un[0..n); vn is clobbered.
     */
    private void divrem(int m, int n) {
        long[] u = un, v = vn;
        int sh = Long.numberOfLeadingZeros(v[n - 1]);
        if (sh != 0) {
            int rs = 64 - sh;
            for (int i = n - 1; i > 0; i--) v[i] = (v[i] << sh) | (v[i - 1] >>> rs);
            v[0] <<= sh;
            u[m] = u[m - 1] >>> rs;
            for (int i = m - 1; i > 0; i--) u[i] = (u[i] << sh) | (u[i - 1] >>> rs);
            u[0] <<= sh;
        } else {
            u[m] = 0;
        }
        long[] qq = q;
        if (n == 1) {
            long d = v[0];
            long inv = d == cacheD ? cacheV : reciprocal(d);
            cacheD = d;
            cacheV = inv;
            long r = u[m];
            for (int j = m - 1; j >= 0; j--) {
                qq[j] = udivrem2by1(r, u[j], d, inv);
                r = rem;
            }
            u[0] = r >>> sh;
            return;
        }
        long d1 = v[n - 1], d0 = v[n - 2];
        long inv;
        if (d1 == cacheD1 && d0 == cacheD0) {
            inv = cacheV3;
        } else {
            inv = reciprocal3by2(d1, d0);
            cacheD1 = d1;
            cacheD0 = d0;
            cacheV3 = inv;
        }
        for (int j = m - n; j >= 0; j--) {
            long u2 = u[j + n], u1 = u[j + n - 1];
            long qhat = (u2 == d1 && u1 == d0) ? -1L : udiv3by2(u2, u1, u[j + n - 2], d1, d0, inv);
            // u[j..j+n] -= qhat * v
            long borrow = 0;
            for (int i = 0; i < n; i++) {
                long vi = v[i];
                long plo = qhat * vi, phi = Math.unsignedMultiplyHigh(qhat, vi);
                plo += borrow;
                if (Long.compareUnsigned(plo, borrow) < 0) phi++;
                long x = u[i + j];
                if (Long.compareUnsigned(x, plo) < 0) phi++;
                u[i + j] = x - plo;
                borrow = phi;
            }
            long x = u[j + n];
            u[j + n] = x - borrow;
            if (Long.compareUnsigned(x, borrow) < 0) {
                // qhat was too large (rarely, by one; by two only after the clamp above): add back
                // until the partial remainder is non-negative again, i.e. the addition carries out.
                while (true) {
                    qhat--;
                    long c = 0;
                    for (int i = 0; i < n; i++) {
                        long t = u[i + j] + v[i];
                        long c1 = Long.compareUnsigned(t, v[i]) < 0 ? 1 : 0;
                        t += c;
                        c1 |= Long.compareUnsigned(t, c) < 0 ? 1 : 0;
                        u[i + j] = t;
                        c = c1;
                    }
                    long topLimb = u[j + n] + c;
                    u[j + n] = topLimb;
                    if (c != 0 && topLimb == 0) break;
                }
            }
            qq[j] = qhat;
        }
        if (sh != 0) {
            int rs = 64 - sh;
            for (int i = 0; i < n - 1; i++) u[i] = (u[i] >>> sh) | (u[i + 1] << rs);
            u[n - 1] >>>= sh;
        }
    }

    /**
     * floor((u1:u0) / d) for normalised d (top bit set) and u1 < d, with the reciprocal of d; the
     * remainder goes to {@link #rem}. Möller and Granlund, algorithm 4.
     */
    private long udivrem2by1(long u1, long u0, long d, long inv) {
        long lo = inv * u1, hi = Math.unsignedMultiplyHigh(inv, u1);
        long q0 = lo + u0;
        long q1 = hi + u1 + (Long.compareUnsigned(q0, lo) < 0 ? 1 : 0) + 1;
        long r = u0 - q1 * d;
        if (Long.compareUnsigned(r, q0) > 0) {
            q1--;
            r += d;
        }
        if (Long.compareUnsigned(r, d) >= 0) {
            q1++;
            r -= d;
        }
        rem = r;
        return q1;
    }

    /**
     * floor((u2:u1:u0) / (d1:d0)) for normalised d1 and (u2:u1) < (d1:d0), with the 3-by-2 reciprocal.
     * Möller and Granlund, algorithm 5 (the remainder is not needed here).
     */
    static long udiv3by2(long u2, long u1, long u0, long d1, long d0, long inv) {
        long lo = inv * u2, hi = Math.unsignedMultiplyHigh(inv, u2);
        long q0 = lo + u1;
        long q1 = hi + u2 + (Long.compareUnsigned(q0, lo) < 0 ? 1 : 0);
        long r1 = u1 - q1 * d1;
        long t0 = d0 * q1, t1 = Math.unsignedMultiplyHigh(d0, q1);
        long r0 = u0 - t0;
        r1 = r1 - t1 - (Long.compareUnsigned(u0, t0) < 0 ? 1 : 0);
        long br = Long.compareUnsigned(r0, d0) < 0 ? 1 : 0;
        r0 -= d0;
        r1 = r1 - d1 - br;
        q1++;
        if (Long.compareUnsigned(r1, q0) >= 0) {
            q1--;
            long s0 = r0 + d0;
            r1 = r1 + d1 + (Long.compareUnsigned(s0, r0) < 0 ? 1 : 0);
            r0 = s0;
        }
        if (Long.compareUnsigned(r1, d1) > 0 || (r1 == d1 && Long.compareUnsigned(r0, d0) >= 0)) q1++;
        return q1;
    }

    /** floor((2^128 - 1) / d) - 2^64 for normalised d. */
    static long reciprocal(long d) {
        return div128(~d, -1L, d);
    }

    /** The 3-by-2 reciprocal floor((2^192 - 1) / (d1:d0)) - 2^64 for normalised d1. Algorithm 6. */
    static long reciprocal3by2(long d1, long d0) {
        long v = reciprocal(d1);
        long p = d1 * v + d0;
        if (Long.compareUnsigned(p, d0) < 0) {
            v--;
            if (Long.compareUnsigned(p, d1) >= 0) {
                v--;
                p -= d1;
            }
            p -= d1;
        }
        long t0 = v * d0, t1 = Math.unsignedMultiplyHigh(v, d0);
        p += t1;
        if (Long.compareUnsigned(p, t1) < 0) {
            v--;
            if (Long.compareUnsigned(p, d1) > 0 || (p == d1 && Long.compareUnsigned(t0, d0) >= 0)) v--;
        }
        return v;
    }

    /**
     * floor((u1:u0) / d) for normalised d and u1 < d, by two 64/32-bit steps on hardware division
     * (Hacker's Delight, divlu). Only used to compute reciprocals.
     */
    static long div128(long u1, long u0, long d) {
        long dh = d >>> 32, dl = d & M;
        long n1 = u0 >>> 32, n0 = u0 & M;
        long q1 = Long.divideUnsigned(u1, dh);
        long rhat = u1 - q1 * dh;
        while (q1 > M || Long.compareUnsigned(q1 * dl, (rhat << 32) | n1) > 0) {
            q1--;
            rhat += dh;
            if (rhat > M) break;
        }
        long mid = ((u1 << 32) | n1) - q1 * d;
        long q0 = Long.divideUnsigned(mid, dh);
        rhat = mid - q0 * dh;
        while (q0 > M || Long.compareUnsigned(q0 * dl, (rhat << 32) | n0) > 0) {
            q0--;
            rhat += dh;
            if (rhat > M) break;
        }
        return (q1 << 32) | q0;
    }

    // ---- helpers ----

    private static int limbs(long x0, long x1, long x2, long x3) {
        return x3 != 0 ? 4 : x2 != 0 ? 3 : x1 != 0 ? 2 : x0 != 0 ? 1 : 0;
    }

    /** x < y, unsigned 256-bit. */
    static boolean less(long x0, long x1, long x2, long x3, long y0, long y1, long y2, long y3) {
        if (x3 != y3) return Long.compareUnsigned(x3, y3) < 0;
        if (x2 != y2) return Long.compareUnsigned(x2, y2) < 0;
        if (x1 != y1) return Long.compareUnsigned(x1, y1) < 0;
        return Long.compareUnsigned(x0, y0) < 0;
    }

    static boolean lessThan(long[] s, int a, int b) {
        if (s[a + 3] != s[b + 3]) return Long.compareUnsigned(s[a + 3], s[b + 3]) < 0;
        if (s[a + 2] != s[b + 2]) return Long.compareUnsigned(s[a + 2], s[b + 2]) < 0;
        if (s[a + 1] != s[b + 1]) return Long.compareUnsigned(s[a + 1], s[b + 1]) < 0;
        return Long.compareUnsigned(s[a], s[b]) < 0;
    }

    static void negate(long[] s, int a) {
        long r0 = ~s[a] + 1;
        long c = r0 == 0 ? 1 : 0;
        long r1 = ~s[a + 1] + c;
        c = (c == 1 && r1 == 0) ? 1 : 0;
        long r2 = ~s[a + 2] + c;
        c = (c == 1 && r2 == 0) ? 1 : 0;
        s[a + 3] = ~s[a + 3] + c;
        s[a] = r0;
        s[a + 1] = r1;
        s[a + 2] = r2;
    }
}
