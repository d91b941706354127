package dev.lanes.evm.precompile.bn254;

/**
 * An element {@code c0 + c1*v + c2*v^2} of F_p^6 = F_p^2[v] / (v^3 - xi), immutable; the middle layer of
 * the tower. Reducing by v^3 = xi is what turns the schoolbook products below into "multiply by xi" terms.
 */
final class Fp6 {
    static final Fp6 ZERO = new Fp6(Fp2.ZERO, Fp2.ZERO, Fp2.ZERO);
    static final Fp6 ONE = new Fp6(Fp2.ONE, Fp2.ZERO, Fp2.ZERO);

    final Fp2 c0;
    final Fp2 c1;
    final Fp2 c2;

    Fp6(Fp2 c0, Fp2 c1, Fp2 c2) {
        this.c0 = c0;
        this.c1 = c1;
        this.c2 = c2;
    }

    boolean isZero() {
        return c0.isZero() && c1.isZero() && c2.isZero();
    }

    Fp6 add(Fp6 o) {
        return new Fp6(c0.add(o.c0), c1.add(o.c1), c2.add(o.c2));
    }

    Fp6 sub(Fp6 o) {
        return new Fp6(c0.sub(o.c0), c1.sub(o.c1), c2.sub(o.c2));
    }

    Fp6 dbl() {
        return new Fp6(c0.dbl(), c1.dbl(), c2.dbl());
    }

    Fp6 neg() {
        return new Fp6(c0.neg(), c1.neg(), c2.neg());
    }

    /**
     * Karatsuba over three coefficients: six F_p^2 products. The v^3 and v^4 terms of the schoolbook product
     * fold back into c0 and c1 multiplied by xi.
     */
    Fp6 mul(Fp6 o) {
        Fp2 t0 = c0.mul(o.c0);
        Fp2 t1 = c1.mul(o.c1);
        Fp2 t2 = c2.mul(o.c2);
        Fp2 r0 = c1.add(c2).mul(o.c1.add(o.c2)).sub(t1).sub(t2).mulByXi().add(t0);
        Fp2 r1 = c0.add(c1).mul(o.c0.add(o.c1)).sub(t0).sub(t1).add(t2.mulByXi());
        Fp2 r2 = c0.add(c2).mul(o.c0.add(o.c2)).sub(t0).sub(t2).add(t1);
        return new Fp6(r0, r1, r2);
    }

    /** Squaring with the same Karatsuba shape, using F_p^2 squarings where the operands coincide. */
    Fp6 square() {
        Fp2 t0 = c0.square();
        Fp2 t1 = c1.square();
        Fp2 t2 = c2.square();
        Fp2 r0 = c1.add(c2).square().sub(t1).sub(t2).mulByXi().add(t0);
        Fp2 r1 = c0.add(c1).square().sub(t0).sub(t1).add(t2.mulByXi());
        Fp2 r2 = c0.add(c2).square().sub(t0).sub(t2).add(t1);
        return new Fp6(r0, r1, r2);
    }

    Fp6 mul(Fp2 k) {
        return new Fp6(c0.mul(k), c1.mul(k), c2.mul(k));
    }

    /**
     * Product with the sparse element {@code b0 + b1*v}, the shape a Miller-loop line takes in each half of
     * F_p^12: five F_p^2 products instead of six.
     */
    Fp6 mulBy01(Fp2 b0, Fp2 b1) {
        Fp2 t0 = c0.mul(b0);
        Fp2 t1 = c1.mul(b1);
        Fp2 r0 = c2.mul(b1).mulByXi().add(t0);
        Fp2 r1 = c0.add(c1).mul(b0.add(b1)).sub(t0).sub(t1);
        Fp2 r2 = c2.mul(b0).add(t1);
        return new Fp6(r0, r1, r2);
    }

    /** Multiplication by v: shifts coefficients up, with v^3 = xi wrapping the top one around. */
    Fp6 mulByV() {
        return new Fp6(c2.mulByXi(), c0, c1);
    }

    /**
     * Inverse via the adjugate: for a = c0 + c1 v + c2 v^2, the element A + B v + C v^2 below satisfies
     * a * (A + B v + C v^2) = F, an F_p^2 scalar, so a^-1 = (A + B v + C v^2) / F.
     */
    Fp6 inverse() {
        Fp2 a = c0.square().sub(c1.mul(c2).mulByXi());
        Fp2 b = c2.square().mulByXi().sub(c0.mul(c1));
        Fp2 c = c1.square().sub(c0.mul(c2));
        Fp2 f = c2.mul(b).add(c1.mul(c)).mulByXi().add(c0.mul(a)).inverse();
        return new Fp6(a.mul(f), b.mul(f), c.mul(f));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Fp6 f && f.c0.equals(c0) && f.c1.equals(c1) && f.c2.equals(c2);
    }

    @Override
    public int hashCode() {
        return (c0.hashCode() * 31 + c1.hashCode()) * 31 + c2.hashCode();
    }

    @Override
    public String toString() {
        return "[" + c0 + ", " + c1 + ", " + c2 + "]";
    }
}
