package dev.lanes.evm.interpreter;

/**
 * 256-bit arithmetic on the interpreter stack, in place. A word occupies four consecutive longs,
 * least-significant limb first: {@code s[i]} = bits 0..63, {@code s[i+3]} = bits 192..255.
 * Binary operations read operands at {@code a} (top) and {@code b} (below it) and write the result at
 * {@code b}, which becomes the new top. Division uses a per-thread scratch {@link int[]} owned by the
 * caller, so nothing is allocated per operation.
 */
final class Arith {
    private Arith() {}

    /**
     * s[b] = s[a] + s[b]. Limb by limb, each stored at once: both operands' limb is read before the result's is
     * written, so {@code a == b} doubles the word; fewer values are live at a time than with all eight loaded first,
     * which matters where this is inlined into the interpreter's loop ({@code Interpreter.stay}, session 37).
     */
    static void add(long[] s, int a, int b) {
        long x = s[a], r = x + s[b];
        long c = Long.compareUnsigned(r, x) < 0 ? 1 : 0;
        s[b] = r;
        x = s[a + 1];
        long t = x + s[b + 1];
        long c1 = Long.compareUnsigned(t, x) < 0 ? 1 : 0;
        r = t + c;
        c = c1 | (Long.compareUnsigned(r, t) < 0 ? 1 : 0);
        s[b + 1] = r;
        x = s[a + 2];
        t = x + s[b + 2];
        c1 = Long.compareUnsigned(t, x) < 0 ? 1 : 0;
        r = t + c;
        c = c1 | (Long.compareUnsigned(r, t) < 0 ? 1 : 0);
        s[b + 2] = r;
        s[b + 3] += s[a + 3] + c;
    }

    /** s[b] = s[a] - s[b]. */
    static void sub(long[] s, int a, int b) {
        long a0 = s[a], a1 = s[a + 1], a2 = s[a + 2], a3 = s[a + 3];
        long b0 = s[b], b1 = s[b + 1], b2 = s[b + 2], b3 = s[b + 3];
        long r0 = a0 - b0;
        long br = Long.compareUnsigned(a0, b0) < 0 ? 1 : 0;
        long t1 = a1 - b1;
        long br1 = Long.compareUnsigned(a1, b1) < 0 ? 1 : 0;
        long r1 = t1 - br;
        br = br1 | (Long.compareUnsigned(t1, br) < 0 ? 1 : 0);
        long t2 = a2 - b2;
        long br2 = Long.compareUnsigned(a2, b2) < 0 ? 1 : 0;
        long r2 = t2 - br;
        br = br2 | (Long.compareUnsigned(t2, br) < 0 ? 1 : 0);
        s[b] = r0;
        s[b + 1] = r1;
        s[b + 2] = r2;
        s[b + 3] = a3 - b3 - br;
    }

    static void mul(long[] s, int a, int b) {
        long a0 = s[a], a1 = s[a + 1], a2 = s[a + 2], a3 = s[a + 3];
        long b0 = s[b], b1 = s[b + 1], b2 = s[b + 2], b3 = s[b + 3];
        long r0 = 0, r1 = 0, r2 = 0, r3 = 0, carry, lo, hi;
        carry = 0;
        lo = a0 * b0; hi = Math.unsignedMultiplyHigh(a0, b0);
        lo += r0; hi += Long.compareUnsigned(lo, r0) < 0 ? 1 : 0;
        lo += carry; hi += Long.compareUnsigned(lo, carry) < 0 ? 1 : 0;
        r0 = lo; carry = hi;
        lo = a0 * b1; hi = Math.unsignedMultiplyHigh(a0, b1);
        lo += r1; hi += Long.compareUnsigned(lo, r1) < 0 ? 1 : 0;
        lo += carry; hi += Long.compareUnsigned(lo, carry) < 0 ? 1 : 0;
        r1 = lo; carry = hi;
        lo = a0 * b2; hi = Math.unsignedMultiplyHigh(a0, b2);
        lo += r2; hi += Long.compareUnsigned(lo, r2) < 0 ? 1 : 0;
        lo += carry; hi += Long.compareUnsigned(lo, carry) < 0 ? 1 : 0;
        r2 = lo; carry = hi;
        r3 = r3 + a0 * b3 + carry;
        carry = 0;
        lo = a1 * b0; hi = Math.unsignedMultiplyHigh(a1, b0);
        lo += r1; hi += Long.compareUnsigned(lo, r1) < 0 ? 1 : 0;
        lo += carry; hi += Long.compareUnsigned(lo, carry) < 0 ? 1 : 0;
        r1 = lo; carry = hi;
        lo = a1 * b1; hi = Math.unsignedMultiplyHigh(a1, b1);
        lo += r2; hi += Long.compareUnsigned(lo, r2) < 0 ? 1 : 0;
        lo += carry; hi += Long.compareUnsigned(lo, carry) < 0 ? 1 : 0;
        r2 = lo; carry = hi;
        r3 = r3 + a1 * b2 + carry;
        carry = 0;
        lo = a2 * b0; hi = Math.unsignedMultiplyHigh(a2, b0);
        lo += r2; hi += Long.compareUnsigned(lo, r2) < 0 ? 1 : 0;
        lo += carry; hi += Long.compareUnsigned(lo, carry) < 0 ? 1 : 0;
        r2 = lo; carry = hi;
        r3 = r3 + a2 * b1 + carry;
        carry = 0;
        r3 = r3 + a3 * b0 + carry;
        s[b] = r0;
        s[b + 1] = r1;
        s[b + 2] = r2;
        s[b + 3] = r3;
    }

    /** s[b] = s[a] ** s[b] mod 2^256 by square-and-multiply on limbs, without allocation. */
    static void exp(long[] s, int a, int b) {
        long e0 = s[b], e1 = s[b + 1], e2 = s[b + 2], e3 = s[b + 3];
        long x0 = s[a], x1 = s[a + 1], x2 = s[a + 2], x3 = s[a + 3];
        long r0 = 1, r1 = 0, r2 = 0, r3 = 0;
        for (int limb = 0; limb < 4; limb++) {
            long bits = limb == 0 ? e0 : limb == 1 ? e1 : limb == 2 ? e2 : e3;
            long rest = limb == 0 ? (e1 | e2 | e3) : limb == 1 ? (e2 | e3) : limb == 2 ? e3 : 0;
            for (int i = 0; i < 64; i++) {
                if ((bits & 1) != 0) {
                    // r *= x
                    long t0 = r0, t1 = r1, t2 = r2, t3 = r3;
                    r0 = mulLimb(t0, t1, t2, t3, x0, x1, x2, x3, 0);
                    r1 = mulLimb(t0, t1, t2, t3, x0, x1, x2, x3, 1);
                    r2 = mulLimb(t0, t1, t2, t3, x0, x1, x2, x3, 2);
                    r3 = mulLimb(t0, t1, t2, t3, x0, x1, x2, x3, 3);
                }
                bits >>>= 1;
                if (bits == 0 && rest == 0) {
                    s[b] = r0; s[b + 1] = r1; s[b + 2] = r2; s[b + 3] = r3;
                    return;
                }
                long y0 = x0, y1 = x1, y2 = x2, y3 = x3;
                x0 = mulLimb(y0, y1, y2, y3, y0, y1, y2, y3, 0);
                x1 = mulLimb(y0, y1, y2, y3, y0, y1, y2, y3, 1);
                x2 = mulLimb(y0, y1, y2, y3, y0, y1, y2, y3, 2);
                x3 = mulLimb(y0, y1, y2, y3, y0, y1, y2, y3, 3);
            }
        }
        s[b] = r0; s[b + 1] = r1; s[b + 2] = r2; s[b + 3] = r3;
    }

    /** Limb k of the low 256 bits of a*b. Recomputes partial columns; EXP is rare enough that clarity wins. */
    private static long mulLimb(long a0, long a1, long a2, long a3, long b0, long b1, long b2, long b3, int k) {
        long r0 = 0, r1 = 0, r2 = 0, r3 = 0, carry, lo, hi;
        // row 0
        lo = a0 * b0; hi = Math.unsignedMultiplyHigh(a0, b0); r0 = lo; carry = hi;
        lo = a0 * b1; hi = Math.unsignedMultiplyHigh(a0, b1); lo += carry; hi += Long.compareUnsigned(lo, carry) < 0 ? 1 : 0; r1 = lo; carry = hi;
        lo = a0 * b2; hi = Math.unsignedMultiplyHigh(a0, b2); lo += carry; hi += Long.compareUnsigned(lo, carry) < 0 ? 1 : 0; r2 = lo; carry = hi;
        r3 = a0 * b3 + carry;
        if (k == 0) return r0;
        // row 1
        lo = a1 * b0; hi = Math.unsignedMultiplyHigh(a1, b0); lo += r1; hi += Long.compareUnsigned(lo, r1) < 0 ? 1 : 0; r1 = lo; carry = hi;
        lo = a1 * b1; hi = Math.unsignedMultiplyHigh(a1, b1); lo += r2; hi += Long.compareUnsigned(lo, r2) < 0 ? 1 : 0;
        lo += carry; hi += Long.compareUnsigned(lo, carry) < 0 ? 1 : 0; r2 = lo; carry = hi;
        r3 = r3 + a1 * b2 + carry;
        if (k == 1) return r1;
        // row 2
        lo = a2 * b0; hi = Math.unsignedMultiplyHigh(a2, b0); lo += r2; hi += Long.compareUnsigned(lo, r2) < 0 ? 1 : 0; r2 = lo; carry = hi;
        r3 = r3 + a2 * b1 + carry;
        if (k == 2) return r2;
        // row 3
        r3 = r3 + a3 * b0;
        return r3;
    }

    /** s[b] = s[a] & s[b]. */
    static void and(long[] s, int a, int b) {
        s[b] &= s[a]; s[b + 1] &= s[a + 1]; s[b + 2] &= s[a + 2]; s[b + 3] &= s[a + 3];
    }

    /** s[b] = s[a] | s[b]. */
    static void or(long[] s, int a, int b) {
        s[b] |= s[a]; s[b + 1] |= s[a + 1]; s[b + 2] |= s[a + 2]; s[b + 3] |= s[a + 3];
    }

    /** s[b] = s[a] ^ s[b]. */
    static void xor(long[] s, int a, int b) {
        s[b] ^= s[a]; s[b + 1] ^= s[a + 1]; s[b + 2] ^= s[a + 2]; s[b + 3] ^= s[a + 3];
    }

    /** SIGNEXTEND: s[b] = sign-extend s[b] from byte s[a] (0 = lowest byte). */
    static void signextend(long[] s, int a, int b) {
        if ((s[a + 1] | s[a + 2] | s[a + 3]) != 0 || Long.compareUnsigned(s[a], 31) >= 0) return;
        // Branch-free below: which limb holds the sign bit, and the sign, vary from call to call in real code (a
        // loop over int8..int248 values) and as mispredicted branches they cost more than the arithmetic.
        int bit = (int) s[a] * 8 + 7;
        int limb = bit >>> 6;
        long keep = -1L >>> (63 - (bit & 63)); // bits 0..bit of that limb
        long v = s[b + limb];
        long sign = -((v >>> (bit & 63)) & 1); // 0 or all ones
        long nv = (v & keep) | (sign & ~keep);
        long l0 = s[b], l1 = s[b + 1], l2 = s[b + 2];
        s[b] = limb == 0 ? nv : l0;
        s[b + 1] = limb == 1 ? nv : limb < 1 ? sign : l1;
        s[b + 2] = limb == 2 ? nv : limb < 2 ? sign : l2;
        s[b + 3] = limb == 3 ? nv : sign;
    }

    /** BYTE: s[b] = byte s[a] of s[b], 0 = most significant. */
    static void byteOp(long[] s, int a, int b) {
        long r = 0;
        if ((s[a + 1] | s[a + 2] | s[a + 3]) == 0 && Long.compareUnsigned(s[a], 32) < 0) {
            int i = (int) s[a];
            int limb = 3 - (i >>> 3);
            int shift = (7 - (i & 7)) * 8;
            r = (s[b + limb] >>> shift) & 0xff;
        }
        s[b] = r; s[b + 1] = 0; s[b + 2] = 0; s[b + 3] = 0;
    }

    /** SHL: s[b] = s[b] << s[a]. */
    static void shl(long[] s, int a, int b) {
        if ((s[a + 1] | s[a + 2] | s[a + 3]) != 0 || Long.compareUnsigned(s[a], 256) >= 0) {
            s[b] = s[b + 1] = s[b + 2] = s[b + 3] = 0;
            return;
        }
        int n = (int) s[a];
        int limbs = n >>> 6, bits = n & 63;
        long v0 = s[b], v1 = s[b + 1], v2 = s[b + 2], v3 = s[b + 3];
        // shift by whole limbs
        for (int k = 0; k < limbs; k++) { v3 = v2; v2 = v1; v1 = v0; v0 = 0; }
        if (bits != 0) {
            v3 = (v3 << bits) | (v2 >>> (64 - bits));
            v2 = (v2 << bits) | (v1 >>> (64 - bits));
            v1 = (v1 << bits) | (v0 >>> (64 - bits));
            v0 = v0 << bits;
        }
        s[b] = v0; s[b + 1] = v1; s[b + 2] = v2; s[b + 3] = v3;
    }

    /** SHR: s[b] = s[b] >>> s[a]. */
    static void shr(long[] s, int a, int b) {
        if ((s[a + 1] | s[a + 2] | s[a + 3]) != 0 || Long.compareUnsigned(s[a], 256) >= 0) {
            s[b] = s[b + 1] = s[b + 2] = s[b + 3] = 0;
            return;
        }
        shiftRight(s, b, (int) s[a], 0);
    }

    /** SAR: arithmetic shift right. */
    static void sar(long[] s, int a, int b) {
        long fill = s[b + 3] < 0 ? -1L : 0;
        if ((s[a + 1] | s[a + 2] | s[a + 3]) != 0 || Long.compareUnsigned(s[a], 256) >= 0) {
            s[b] = s[b + 1] = s[b + 2] = s[b + 3] = fill;
            return;
        }
        shiftRight(s, b, (int) s[a], fill);
    }

    static void shiftRight(long[] s, int b, int n, long fill) {
        int limbs = n >>> 6, bits = n & 63;
        long v0 = s[b], v1 = s[b + 1], v2 = s[b + 2], v3 = s[b + 3];
        for (int k = 0; k < limbs; k++) { v0 = v1; v1 = v2; v2 = v3; v3 = fill; }
        if (bits != 0) {
            v0 = (v0 >>> bits) | (v1 << (64 - bits));
            v1 = (v1 >>> bits) | (v2 << (64 - bits));
            v2 = (v2 >>> bits) | (v3 << (64 - bits));
            v3 = fill == 0 ? v3 >>> bits : v3 >> bits;
        }
        s[b] = v0; s[b + 1] = v1; s[b + 2] = v2; s[b + 3] = v3;
    }

    static boolean lt(long[] s, int a, int b) {
        return Div.lessThan(s, a, b);
    }

    static boolean slt(long[] s, int a, int b) {
        if (s[a + 3] != s[b + 3]) return s[a + 3] < s[b + 3];
        if (s[a + 2] != s[b + 2]) return Long.compareUnsigned(s[a + 2], s[b + 2]) < 0;
        if (s[a + 1] != s[b + 1]) return Long.compareUnsigned(s[a + 1], s[b + 1]) < 0;
        return Long.compareUnsigned(s[a], s[b]) < 0;
    }

    static boolean eq(long[] s, int a, int b) {
        return s[a] == s[b] && s[a + 1] == s[b + 1] && s[a + 2] == s[b + 2] && s[a + 3] == s[b + 3];
    }
}
