package dev.lanes.evm.interpreter;

/**
 * Division for DIV, MOD, SDIV, SMOD, ADDMOD, MULMOD and the EXP/limb helpers: Knuth's Algorithm D
 * (TAOCP vol. 2, 4.3.1) on 32-bit digits held in ints, working in scratch arrays owned by one
 * interpreter thread so that no operation allocates. Fast paths cover divisors and dividends that fit
 * in 64 bits, which are the common case in compiled contracts.
 */
final class Div {
    private static final long M = 0xffffffffL;

    // Scratch: dividend digits (up to 16 for a 512-bit MULMOD product, +1 for normalisation), divisor,
    // quotient, normalised copies.
    final int[] u = new int[17];
    final int[] v = new int[8];
    final int[] q = new int[17];
    final int[] un = new int[18];
    final int[] vn = new int[8];
    final long[] prod = new long[8];

    /** s[b] = s[a] / s[b] (unsigned), 0 when dividing by zero. */
    void div(long[] s, int a, int b) {
        long d0 = s[b], d1 = s[b + 1], d2 = s[b + 2], d3 = s[b + 3];
        if ((d1 | d2 | d3) == 0) {
            if (d0 == 0) return; // already zero
            if ((s[a + 1] | s[a + 2] | s[a + 3]) == 0) {
                s[b] = Long.divideUnsigned(s[a], d0);
                return;
            }
        }
        if (lessThan(s, a, b)) {
            s[b] = s[b + 1] = s[b + 2] = s[b + 3] = 0;
            return;
        }
        int m = load(s, a, u, 8);
        int n = load(s, b, v, 8);
        divmod(m, n);
        storeQ(s, b);
    }

    /** s[b] = s[a] mod s[b] (unsigned), 0 when the modulus is zero. */
    void mod(long[] s, int a, int b) {
        long d0 = s[b], d1 = s[b + 1], d2 = s[b + 2], d3 = s[b + 3];
        if ((d1 | d2 | d3) == 0) {
            if (d0 == 0) return;
            if ((s[a + 1] | s[a + 2] | s[a + 3]) == 0) {
                s[b] = Long.remainderUnsigned(s[a], d0);
                return;
            }
        }
        if (lessThan(s, a, b)) {
            s[b] = s[a];
            s[b + 1] = s[a + 1];
            s[b + 2] = s[a + 2];
            s[b + 3] = s[a + 3];
            return;
        }
        int m = load(s, a, u, 8);
        int n = load(s, b, v, 8);
        divmod(m, n);
        storeR(s, b, n);
    }

    void sdiv(long[] s, int a, int b) {
        boolean na = s[a + 3] < 0, nb = s[b + 3] < 0;
        if (na) negate(s, a);
        if (nb) negate(s, b);
        div(s, a, b);
        if (na != nb) negate(s, b);
        if (na) negate(s, a); // restore the popped operand's slot is unnecessary but keeps s[a] well-defined
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
        if ((s[c] | s[c + 1] | s[c + 2] | s[c + 3]) == 0) return;
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
        prod[0] = r0; prod[1] = r1; prod[2] = r2; prod[3] = r3; prod[4] = cy;
        reduceProd(5, s, c);
    }

    /** s[c] = (s[a] * s[b]) mod s[c], with the full 512-bit product. */
    void mulmod(long[] s, int a, int b, int c) {
        if ((s[c] | s[c + 1] | s[c + 2] | s[c + 3]) == 0) return;
        fullMul(s[a], s[a + 1], s[a + 2], s[a + 3], s[b], s[b + 1], s[b + 2], s[b + 3], prod);
        reduceProd(8, s, c);
    }

    /** prod[0..limbs) mod s[c] into s[c]. */
    private void reduceProd(int limbs, long[] s, int c) {
        int m = 0;
        for (int i = 0; i < limbs; i++) {
            u[2 * i] = (int) prod[i];
            u[2 * i + 1] = (int) (prod[i] >>> 32);
        }
        m = 2 * limbs;
        while (m > 0 && u[m - 1] == 0) m--;
        int n = load(s, c, v, 8);
        if (m < n) { // product already smaller than the modulus
            for (int i = 0; i < 4; i++) s[c + i] = i < limbs ? prod[i] : 0;
            return;
        }
        if (n == 1) {
            long k = divSmall(m, v[0] & M);
            s[c] = k; s[c + 1] = 0; s[c + 2] = 0; s[c + 3] = 0;
            return;
        }
        divmod(m, n);
        storeR(s, c, n);
    }

    static void fullMul(long a0, long a1, long a2, long a3, long b0, long b1, long b2, long b3, long[] r) {
        long[] a = {a0, a1, a2, a3};
        long[] bb = {b0, b1, b2, b3};
        java.util.Arrays.fill(r, 0);
        for (int i = 0; i < 4; i++) {
            long carry = 0;
            long ai = a[i];
            for (int j = 0; j < 4; j++) {
                long lo = ai * bb[j];
                long hi = Math.unsignedMultiplyHigh(ai, bb[j]);
                long x = r[i + j];
                lo += x;
                hi += Long.compareUnsigned(lo, x) < 0 ? 1 : 0;
                lo += carry;
                hi += Long.compareUnsigned(lo, carry) < 0 ? 1 : 0;
                r[i + j] = lo;
                carry = hi;
            }
            r[i + 4] = carry;
        }
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

    /** Splits a word into 32-bit digits; returns the number of significant digits. */
    private static int load(long[] s, int a, int[] d, int max) {
        for (int i = 0; i < 4; i++) {
            d[2 * i] = (int) s[a + i];
            d[2 * i + 1] = (int) (s[a + i] >>> 32);
        }
        int n = max;
        while (n > 0 && d[n - 1] == 0) n--;
        return n;
    }

    private void storeQ(long[] s, int b) {
        for (int i = 0; i < 4; i++) s[b + i] = (q[2 * i] & M) | ((long) q[2 * i + 1] << 32);
    }

    private void storeR(long[] s, int b, int n) {
        // remainder was left in u[0..n)
        for (int i = 0; i < 4; i++) {
            long lo = 2 * i < n ? u[2 * i] & M : 0;
            long hi = 2 * i + 1 < n ? u[2 * i + 1] & M : 0;
            s[b + i] = lo | (hi << 32);
        }
    }

    /** Divides u[0..m) by a single digit; quotient to q, returns the remainder. */
    private long divSmall(int m, long d) {
        java.util.Arrays.fill(q, 0);
        long k = 0;
        for (int j = m - 1; j >= 0; j--) {
            long t = (k << 32) | (u[j] & M);
            long qj = Long.divideUnsigned(t, d);
            q[j] = (int) qj;
            k = t - qj * d;
        }
        return k;
    }

    /**
     * u[0..m) / v[0..n), m >= n >= 1, v[n-1] != 0. Quotient to q (zero-filled), remainder left in u[0..n).
     */
    private void divmod(int m, int n) {
        java.util.Arrays.fill(q, 0);
        if (n == 1) {
            long r = divSmall(m, v[0] & M);
            u[0] = (int) r;
            return;
        }
        int sh = Integer.numberOfLeadingZeros(v[n - 1]);
        for (int i = n - 1; i > 0; i--) vn[i] = (int) (((v[i] & M) << sh) | ((v[i - 1] & M) >>> (32 - sh)));
        vn[0] = v[0] << sh;
        un[m] = (int) ((u[m - 1] & M) >>> (32 - sh));
        for (int i = m - 1; i > 0; i--) un[i] = (int) (((u[i] & M) << sh) | ((u[i - 1] & M) >>> (32 - sh)));
        un[0] = u[0] << sh;
        long vTop = vn[n - 1] & M, vNext = vn[n - 2] & M;
        for (int j = m - n; j >= 0; j--) {
            long num = ((un[j + n] & M) << 32) | (un[j + n - 1] & M);
            long qhat = Long.divideUnsigned(num, vTop);
            long rhat = num - qhat * vTop;
            while (qhat > M || Long.compareUnsigned(qhat * vNext, (rhat << 32) | (un[j + n - 2] & M)) > 0) {
                qhat--;
                rhat += vTop;
                if (rhat > M) break;
            }
            long k = 0, t;
            for (int i = 0; i < n; i++) {
                long p = qhat * (vn[i] & M);
                t = (un[i + j] & M) - k - (p & M);
                un[i + j] = (int) t;
                k = (p >>> 32) - (t >> 32);
            }
            t = (un[j + n] & M) - k;
            un[j + n] = (int) t;
            if (t < 0) {
                qhat--;
                k = 0;
                for (int i = 0; i < n; i++) {
                    t = (un[i + j] & M) + (vn[i] & M) + k;
                    un[i + j] = (int) t;
                    k = t >>> 32;
                }
                un[j + n] = (int) ((un[j + n] & M) + k);
            }
            q[j] = (int) qhat;
        }
        for (int i = 0; i < n; i++) u[i] = (int) (((un[i] & M) >>> sh) | ((un[i + 1] & M) << (32 - sh)));
    }
}
