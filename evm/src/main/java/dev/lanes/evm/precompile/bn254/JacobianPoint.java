package dev.lanes.evm.precompile.bn254;

/**
 * A point on a short Weierstrass curve y^2 = x^3 + b (a = 0) in Jacobian coordinates, immutable: (X, Y, Z)
 * stands for the affine point (X/Z^2, Y/Z^3), and Z = 0 is the point at infinity. Working projectively
 * defers the one field inversion to {@link #affineX()}/{@link #affineY()}. The formulas do not depend on b,
 * so the same class serves G1 over F_p and G2 on the twist over F_p^2.
 *
 * <p>Not constant time: every input to the precompiles is public.
 */
final class JacobianPoint<F extends FieldElement<F>> {
    final F x;
    final F y;
    final F z;

    JacobianPoint(F x, F y, F z) {
        this.x = x;
        this.y = y;
        this.z = z;
    }

    static <F extends FieldElement<F>> JacobianPoint<F> affine(F x, F y) {
        return new JacobianPoint<>(x, y, x.one());
    }

    static <F extends FieldElement<F>> JacobianPoint<F> infinity(F anyElement) {
        return new JacobianPoint<>(anyElement.one(), anyElement.one(), anyElement.zero());
    }

    boolean isInfinity() {
        return z.isZero();
    }

    JacobianPoint<F> neg() {
        return new JacobianPoint<>(x, y.neg(), z);
    }

    /**
     * Doubling for a = 0 (the "dbl-2009-l" formulas of the Explicit-Formulas Database): 2M + 5S. A point
     * with Y = 0 would have order two, which neither group has; Z3 = 2YZ turns it into infinity anyway.
     */
    JacobianPoint<F> dbl() {
        if (isInfinity()) {
            return this;
        }
        F a = x.square();
        F b = y.square();
        F c = b.square();
        F d = x.add(b).square().sub(a).sub(c).dbl();
        F e = a.dbl().add(a);
        F x3 = e.square().sub(d.dbl());
        F y3 = e.mul(d.sub(x3)).sub(c.dbl().dbl().dbl());
        F z3 = y.mul(z).dbl();
        return new JacobianPoint<>(x3, y3, z3);
    }

    /**
     * General addition ("add-2007-bl"): compares both points scaled to a common Z, so it detects P == Q
     * (and doubles) and P == -Q (and returns infinity), which the precompile inputs can provoke.
     */
    JacobianPoint<F> add(JacobianPoint<F> o) {
        if (isInfinity()) {
            return o;
        }
        if (o.isInfinity()) {
            return this;
        }
        F z1z1 = z.square();
        F z2z2 = o.z.square();
        F u1 = x.mul(z2z2);
        F u2 = o.x.mul(z1z1);
        F s1 = y.mul(o.z).mul(z2z2);
        F s2 = o.y.mul(z).mul(z1z1);
        F h = u2.sub(u1);
        F r = s2.sub(s1).dbl();
        if (h.isZero()) {
            return r.isZero() ? dbl() : infinity(x);
        }
        F i = h.dbl().square();
        F j = h.mul(i);
        F v = u1.mul(i);
        F x3 = r.square().sub(j).sub(v.dbl());
        F y3 = r.mul(v.sub(x3)).sub(s1.mul(j).dbl());
        F z3 = z.add(o.z).square().sub(z1z1).sub(z2z2).mul(h);
        return new JacobianPoint<>(x3, y3, z3);
    }

    /**
     * Scalar multiplication by a little-endian limb scalar. A fixed 4-bit window: one table of 15 multiples,
     * then four doublings and at most one addition per nibble, about a third fewer additions than
     * bit-by-bit double-and-add for a full 256-bit scalar.
     */
    JacobianPoint<F> mul(long[] scalar) {
        JacobianPoint<F>[] table = multiples();
        JacobianPoint<F> acc = infinity(x);
        for (int nibble = scalar.length * 16 - 1; nibble >= 0; nibble--) {
            acc = acc.dbl().dbl().dbl().dbl();
            int digit = (int) (scalar[nibble >>> 4] >>> ((nibble & 15) * 4)) & 15;
            if (digit != 0) {
                acc = acc.add(table[digit]);
            }
        }
        return acc;
    }

    /** [i]P at index i for i in 1..15 (index 0 unused): the table of a 4-bit window, also {@link Glv}'s. */
    JacobianPoint<F>[] multiples() {
        @SuppressWarnings("unchecked")
        JacobianPoint<F>[] table = new JacobianPoint[16];
        table[1] = this;
        for (int i = 2; i < 16; i++) {
            table[i] = (i & 1) == 0 ? table[i / 2].dbl() : table[i - 1].add(this);
        }
        return table;
    }

    /** Affine x; only meaningful for a finite point. */
    F affineX() {
        F zInv = z.inverse();
        return x.mul(zInv.square());
    }

    /** Affine y; only meaningful for a finite point. */
    F affineY() {
        F zInv = z.inverse();
        return y.mul(zInv.square().mul(zInv));
    }

    /** The affine form (Z = 1), so callers that need both coordinates pay for one inversion. */
    JacobianPoint<F> normalize() {
        if (isInfinity() || z.equals(z.one())) {
            return this;
        }
        F zInv = z.inverse();
        F zInv2 = zInv.square();
        return affine(x.mul(zInv2), y.mul(zInv2).mul(zInv));
    }

    /** Whether (x/z^2, y/z^3) satisfies y^2 = x^3 + b, i.e. Y^2 = X^3 + b Z^6; infinity counts as on the curve. */
    boolean isOnCurve(F b) {
        if (isInfinity()) {
            return true;
        }
        F z2 = z.square();
        F z6 = z2.square().mul(z2);
        return y.square().equals(x.square().mul(x).add(b.mul(z6)));
    }

    /** Equality of the points represented, not of the coordinates: cross-multiplied by the other Z. */
    @Override
    public boolean equals(Object other) {
        if (!(other instanceof JacobianPoint<?> p) || p.x.getClass() != x.getClass()) {
            return false;
        }
        @SuppressWarnings("unchecked")
        JacobianPoint<F> o = (JacobianPoint<F>) p;
        if (isInfinity() || o.isInfinity()) {
            return isInfinity() && o.isInfinity();
        }
        F z1z1 = z.square();
        F z2z2 = o.z.square();
        return x.mul(z2z2).equals(o.x.mul(z1z1))
                && y.mul(o.z).mul(z2z2).equals(o.y.mul(z).mul(z1z1));
    }

    @Override
    public int hashCode() {
        return isInfinity() ? 0 : normalize().x.hashCode();
    }

    @Override
    public String toString() {
        if (isInfinity()) {
            return "infinity";
        }
        JacobianPoint<F> a = normalize();
        return "(" + a.x + ", " + a.y + ")";
    }
}
