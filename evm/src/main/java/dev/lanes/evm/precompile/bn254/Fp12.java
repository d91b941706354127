package dev.lanes.evm.precompile.bn254;

import java.math.BigInteger;

/**
 * An element {@code c0 + c1*w} of F_p^12 = F_p^6[w] / (w^2 - v), immutable: the target group of the pairing.
 *
 * <p>Since w^2 = v and v^3 = xi, w^6 = xi and every element is also {@code sum g_k w^k} for k = 0..5 with
 * g_k in F_p^2; c0 holds (g0, g2, g4) and c1 holds (g1, g3, g5). The Frobenius maps are cheapest in that
 * basis: {@code (g w^k)^(p^n) = g^(p^n) * w^k * xi^(k (p^n - 1) / 6)}, so each costs one F_p^2 product
 * per coefficient by a precomputed constant.
 */
final class Fp12 {
    static final Fp12 ONE = new Fp12(Fp6.ONE, Fp6.ZERO);

    /** FROBENIUS[n-1][k] = xi^(k (p^n - 1) / 6) for n = 1..3, computed once at class load. */
    private static final Fp2[][] FROBENIUS = new Fp2[3][6];

    static {
        BigInteger p = Fp.MODULUS;
        for (int n = 1; n <= 3; n++) {
            BigInteger e = p.pow(n).subtract(BigInteger.ONE).divide(BigInteger.valueOf(6));
            for (int k = 0; k < 6; k++) {
                FROBENIUS[n - 1][k] = Fp2.XI.pow(Fp.limbs(e.multiply(BigInteger.valueOf(k))));
            }
        }
    }

    final Fp6 c0;
    final Fp6 c1;

    Fp12(Fp6 c0, Fp6 c1) {
        this.c0 = c0;
        this.c1 = c1;
    }

    /** The constant xi^(k (p^n - 1) / 6); the twist's Frobenius (psi) needs two of them too. */
    static Fp2 frobeniusCoefficient(int n, int k) {
        return FROBENIUS[n - 1][k];
    }

    boolean isOne() {
        return equals(ONE);
    }

    Fp12 mul(Fp12 o) {
        Fp6 t0 = c0.mul(o.c0);
        Fp6 t1 = c1.mul(o.c1);
        Fp6 cross = c0.add(c1).mul(o.c0.add(o.c1)).sub(t0).sub(t1);
        return new Fp12(t0.add(t1.mulByV()), cross);
    }

    /** (a + b w)^2 = (a^2 + b^2 v) + 2ab w, with a^2 + b^2 v = (a + b)(a + b v) - ab - ab v. */
    Fp12 square() {
        Fp6 ab = c0.mul(c1);
        Fp6 r0 = c0.add(c1).mul(c0.add(c1.mulByV())).sub(ab).sub(ab.mulByV());
        return new Fp12(r0, ab.dbl());
    }

    /**
     * The square of an element of the cyclotomic subgroup (norm 1 over F_p^6: every value after the final
     * exponentiation's easy part), by Granger and Scott ("Faster squaring in the cyclotomic subgroup of sixth degree
     * extensions", PKC 2010): over F_p^2 the element is three elements of F_p^4 = F_p^2[w^3], (c0.c0, c1.c1),
     * (c1.c0, c0.c2) and (c0.c1, c1.c2), and in the subgroup each squares with two F_p^2 squarings; nine squarings in
     * all, where {@link #square()} takes two F_p^6 products. Wrong for elements outside the subgroup.
     */
    Fp12 cyclotomicSquare() {
        Fp2 x0 = c0.c0, x1 = c0.c1, x2 = c0.c2, x3 = c1.c0, x4 = c1.c1, x5 = c1.c2;
        // (x0 + x4 w^3)^2, (x3 + x2 w^3)^2, (x1 + x5 w^3)^2 in F_p^4, where (w^3)^2 = xi:
        Fp2 s4 = x4.square(), s0 = x0.square();
        Fp2 a = s4.mulByXi().add(s0); // x0^2 + xi x4^2
        Fp2 b = x0.add(x4).square().sub(s0).sub(s4); // 2 x0 x4
        Fp2 s2 = x2.square(), s3 = x3.square();
        Fp2 c = s2.mulByXi().add(s3); // x3^2 + xi x2^2
        Fp2 d = x3.add(x2).square().sub(s3).sub(s2); // 2 x3 x2
        Fp2 s5 = x5.square(), s1 = x1.square();
        Fp2 e = s5.mulByXi().add(s1); // x1^2 + xi x5^2
        Fp2 g = x1.add(x5).square().sub(s1).sub(s5).mulByXi(); // 2 x1 x5 xi
        // In the subgroup: new = 3 t -/+ 2 old, t the F_p^4 square's part.
        return new Fp12(
                new Fp6(a.sub(x0).dbl().add(a), c.sub(x1).dbl().add(c), e.sub(x2).dbl().add(e)),
                new Fp6(g.add(x3).dbl().add(g), b.add(x4).dbl().add(b), d.add(x5).dbl().add(d)));
    }

    /**
     * Product with a Miller-loop line {@code a + b w + c w^3}, i.e. c0 = (a, 0, 0) and c1 = (b, c, 0) in
     * this tower. Exploiting the zeros costs about thirteen F_p^2 products instead of eighteen.
     */
    Fp12 mulByLine(Fp2 a, Fp2 b, Fp2 c) {
        Fp6 t0 = c0.mul(a);
        Fp6 t1 = c1.mulBy01(b, c);
        Fp6 cross = c0.add(c1).mulBy01(a.add(b), c).sub(t0).sub(t1);
        return new Fp12(t0.add(t1.mulByV()), cross);
    }

    /** x^(p^6): negating the w half. On the cyclotomic subgroup (after the easy part of the final exponentiation) it is the inverse. */
    Fp12 conjugate() {
        return new Fp12(c0, c1.neg());
    }

    /** 1 / (a + b w) = (a - b w) / (a^2 - b^2 v). */
    Fp12 inverse() {
        Fp6 t = c0.square().sub(c1.square().mulByV()).inverse();
        return new Fp12(c0.mul(t), c1.mul(t).neg());
    }

    /** x^(p^n) for n in 1..3. Odd n conjugates the F_p^2 coefficients (their own Frobenius), even n does not. */
    Fp12 frobenius(int n) {
        Fp2[] g = FROBENIUS[n - 1];
        boolean odd = (n & 1) == 1;
        return new Fp12(
                new Fp6(frob(c0.c0, g[0], odd), frob(c0.c1, g[2], odd), frob(c0.c2, g[4], odd)),
                new Fp6(frob(c1.c0, g[1], odd), frob(c1.c1, g[3], odd), frob(c1.c2, g[5], odd)));
    }

    private static Fp2 frob(Fp2 x, Fp2 gamma, boolean conjugate) {
        return (conjugate ? x.conjugate() : x).mul(gamma);
    }

    /** Square-and-multiply by a little-endian limb exponent (tests and reference use). */
    Fp12 pow(long[] exponent) {
        Fp12 result = ONE;
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
        return o instanceof Fp12 f && f.c0.equals(c0) && f.c1.equals(c1);
    }

    @Override
    public int hashCode() {
        return c0.hashCode() * 31 + c1.hashCode();
    }

    @Override
    public String toString() {
        return "{" + c0 + ", " + c1 + "}";
    }
}
