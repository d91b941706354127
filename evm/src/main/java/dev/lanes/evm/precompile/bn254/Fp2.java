package dev.lanes.evm.precompile.bn254;

/**
 * An element {@code c0 + c1*i} of F_p^2 = F_p[i] / (i^2 + 1), immutable. This is the field G2's coordinates
 * live in and the bottom layer of the F_p^12 tower; -1 is a non-residue because p = 3 mod 4.
 */
final class Fp2 implements FieldElement<Fp2> {
    static final Fp2 ZERO = new Fp2(Fp.ZERO, Fp.ZERO);
    static final Fp2 ONE = new Fp2(Fp.ONE, Fp.ZERO);

    /** xi = 9 + i, the non-residue that defines F_p^6 = F_p^2[v] / (v^3 - xi) and the twist. */
    static final Fp2 XI = new Fp2(Fp.of(9), Fp.ONE);

    final Fp c0;
    final Fp c1;

    Fp2(Fp c0, Fp c1) {
        this.c0 = c0;
        this.c1 = c1;
    }

    @Override
    public Fp2 zero() {
        return ZERO;
    }

    @Override
    public Fp2 one() {
        return ONE;
    }

    @Override
    public boolean isZero() {
        return c0.isZero() && c1.isZero();
    }

    @Override
    public Fp2 add(Fp2 o) {
        return new Fp2(c0.add(o.c0), c1.add(o.c1));
    }

    @Override
    public Fp2 sub(Fp2 o) {
        return new Fp2(c0.sub(o.c0), c1.sub(o.c1));
    }

    @Override
    public Fp2 dbl() {
        return new Fp2(c0.dbl(), c1.dbl());
    }

    @Override
    public Fp2 neg() {
        return new Fp2(c0.neg(), c1.neg());
    }

    /** The Frobenius map x -> x^p, which on F_p^2 is complex conjugation. */
    Fp2 conjugate() {
        return new Fp2(c0, c1.neg());
    }

    /** Karatsuba: three base-field products instead of four; the sums go in unreduced ({@link Fp#addUnreduced}). */
    @Override
    public Fp2 mul(Fp2 o) {
        Fp v0 = c0.mul(o.c0);
        Fp v1 = c1.mul(o.c1);
        Fp cross = c0.addUnreduced(c1).mul(o.c0.addUnreduced(o.c1));
        return new Fp2(v0.sub(v1), cross.sub(v0).sub(v1));
    }

    Fp2 mul(Fp k) {
        return new Fp2(c0.mul(k), c1.mul(k));
    }

    /** (a + bi)^2 = (a + b)(a - b) + 2ab i: two base-field products. */
    @Override
    public Fp2 square() {
        Fp ab = c0.mul(c1);
        return new Fp2(c0.addUnreduced(c1).mul(c0.sub(c1)), ab.dbl());
    }

    /** Multiplication by xi = 9 + i using only additions: (a + bi)(9 + i) = (9a - b) + (a + 9b) i. */
    Fp2 mulByXi() {
        Fp a8 = c0.dbl().dbl().dbl();
        Fp b8 = c1.dbl().dbl().dbl();
        return new Fp2(a8.add(c0).sub(c1), b8.add(c1).add(c0));
    }

    /** 1 / (a + bi) = (a - bi) / (a^2 + b^2); zero maps to zero. */
    @Override
    public Fp2 inverse() {
        Fp t = c0.square().add(c1.square()).inverse();
        return new Fp2(c0.mul(t), c1.mul(t).neg());
    }

    /** Square-and-multiply by a little-endian limb exponent; for one-time constant setup and tests. */
    Fp2 pow(long[] exponent) {
        Fp2 result = ONE;
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
        return o instanceof Fp2 f && f.c0.equals(c0) && f.c1.equals(c1);
    }

    @Override
    public int hashCode() {
        return c0.hashCode() * 31 + c1.hashCode();
    }

    @Override
    public String toString() {
        return "(" + c0 + " + " + c1 + "*i)";
    }
}
