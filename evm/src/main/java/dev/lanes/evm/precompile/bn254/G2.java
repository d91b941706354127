package dev.lanes.evm.precompile.bn254;

import java.math.BigInteger;

/**
 * The group G2, represented on the sextic twist E': y^2 = x^3 + 3/xi over F_p^2 (xi = 9 + i). The map
 * (x, y) -> (x w^2, y w^3) carries E' into E over F_p^12, since w^6 = xi; this is the "untwist" that the
 * Miller loop's line formulas assume.
 *
 * <p>Unlike G1, E'(F_p^2) has a large cofactor, so EIP-197 requires a subgroup check. It uses the
 * endomorphism psi = untwist^-1 . Frobenius . untwist, which acts on G2 as multiplication by p, and
 * p = 6u^2 (mod r). Conversely, a point with psi(Q) = [6u^2]Q is killed by 6u^2 squared minus t times 6u^2
 * plus p (the characteristic polynomial of psi, trace t = 6u^2 + 1), and that number is p + 1 - t = r.
 * So Q is in G2 exactly when psi(Q) = [6u^2]Q: a 127-bit scalar multiplication instead of a 254-bit one.
 */
final class G2 {
    /** b' = 3 / xi. */
    static final Fp2 B = new Fp2(Fp.of(3), Fp.ZERO).mul(Fp2.XI.inverse());

    /** The generator of G2 given in EIP-197. */
    static final JacobianPoint<Fp2> GENERATOR = JacobianPoint.affine(
            new Fp2(fp("1800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed"),
                    fp("198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c2")),
            new Fp2(fp("12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa"),
                    fp("090689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975b")));

    /** 6u^2, the eigenvalue of psi on G2 (u = 4965661367192848881, the BN parameter). */
    private static final long[] SIX_U_SQUARED =
            Fp.limbs(BigInteger.valueOf(4965661367192848881L).pow(2).multiply(BigInteger.valueOf(6)));

    private G2() {}

    private static Fp fp(String hex) {
        return Fp.fromBigInteger(new BigInteger(hex, 16));
    }

    /**
     * Reads a point from 128 bytes at {@code off} in EIP-197 order: x imaginary, x real, y imaginary, y real.
     * Null when a coordinate is not below p, or the point is off the twist or outside the order-r subgroup.
     */
    static JacobianPoint<Fp2> decode(byte[] in, int off) {
        Fp xi = Fp.fromBytes(in, off);
        Fp xr = Fp.fromBytes(in, off + 32);
        Fp yi = Fp.fromBytes(in, off + 64);
        Fp yr = Fp.fromBytes(in, off + 96);
        if (xi == null || xr == null || yi == null || yr == null) {
            return null;
        }
        Fp2 x = new Fp2(xr, xi);
        Fp2 y = new Fp2(yr, yi);
        if (x.isZero() && y.isZero()) {
            return JacobianPoint.infinity(x);
        }
        JacobianPoint<Fp2> q = JacobianPoint.affine(x, y);
        return q.isOnCurve(B) && isInSubgroup(q) ? q : null;
    }

    /** psi(x, y) = (conj(x) * xi^((p-1)/3), conj(y) * xi^((p-1)/2)); conjugating Z too keeps it Jacobian. */
    static JacobianPoint<Fp2> psi(JacobianPoint<Fp2> q) {
        return new JacobianPoint<>(
                q.x.conjugate().mul(Fp12.frobeniusCoefficient(1, 2)),
                q.y.conjugate().mul(Fp12.frobeniusCoefficient(1, 3)),
                q.z.conjugate());
    }

    /** Subgroup membership for a point already known to be on the twist; see the class comment. */
    static boolean isInSubgroup(JacobianPoint<Fp2> q) {
        return psi(q).equals(q.mul(SIX_U_SQUARED));
    }
}
