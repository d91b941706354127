package dev.lanes.evm.precompile.bn254;

import java.math.BigInteger;

/**
 * The group G2, represented on the sextic twist E': y^2 = x^3 + 3/xi over F_p^2 (xi = 9 + i). The map
 * (x, y) -> (x w^2, y w^3) carries E' into E over F_p^12, since w^6 = xi; this is the "untwist" that the
 * Miller loop's line formulas assume.
 *
 * <p>Unlike G1, E'(F_p^2) has a large cofactor (2p - r = 10069 * 5864401 * a 65-digit number), so EIP-197
 * requires a subgroup check. It uses the endomorphism psi = untwist^-1 . Frobenius . untwist, which acts on G2
 * as multiplication by p. Dai, Lin, Zhao and Zhou ("Fast subgroup membership testings for G1, G2 and GT on
 * pairing-friendly curves", IACR eprint 2022/348, the BN case) prove that on a BN curve whose parameter u is
 * neither 4 mod 13 nor 92 mod 97 (ours: 0 and 49, checked when the class loads) a point Q of E'(F_p^2) lies in
 * G2 exactly when [u+1]Q + psi([u]Q) + psi^2([u]Q) = psi^3([2u]Q): one multiplication by the 63-bit u
 * ({@link #isInSubgroup}). The older test psi(Q) = [6u^2]Q ({@link #isInSubgroupByEigenvalue}, a 127-bit
 * multiplication) is proved directly: 6u^2 = p (mod r), and a point with psi(Q) = [6u^2]Q is killed by 6u^2
 * squared minus t times 6u^2 plus p (the characteristic polynomial of psi, trace t = 6u^2 + 1), which is
 * p + 1 - t = r. {@code G2Test} checks the two agree on points of G2, on random points of the twist, and on
 * points whose order divides the cofactor's small factors, alone and added to points of G2.
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
            Fp.limbs(BigInteger.valueOf(Pairing.U).pow(2).multiply(BigInteger.valueOf(6)));

    /** u, the BN parameter, as a scalar. */
    private static final long[] U = {Pairing.U};

    static {
        // The conditions of the membership theorem (see the class comment).
        if (Pairing.U % 13 == 4 || Pairing.U % 97 == 92) throw new AssertionError("u outside the membership theorem");
    }

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

    /**
     * Subgroup membership for a point already known to be on the twist: [u+1]Q + psi([u]Q) + psi^2([u]Q) =
     * psi^3([2u]Q) (see the class comment).
     */
    static boolean isInSubgroup(JacobianPoint<Fp2> q) {
        JacobianPoint<Fp2> uq = q.mul(U);
        JacobianPoint<Fp2> psiUq = psi(uq);
        JacobianPoint<Fp2> left = uq.add(q).add(psiUq).add(psi(psiUq));
        return left.equals(psi(psi(psi(uq.dbl()))));
    }

    /** Subgroup membership by psi(Q) = [6u^2]Q, the test used before {@link #isInSubgroup}; kept for the tests. */
    static boolean isInSubgroupByEigenvalue(JacobianPoint<Fp2> q) {
        return psi(q).equals(q.mul(SIX_U_SQUARED));
    }
}
