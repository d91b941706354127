package dev.lanes.evm.precompile.bn254;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The optimal ate pairing e: G1 x G2 -> GT on BN254, and the product-of-pairings check EIP-197 asks for.
 *
 * <p>e(P, Q) = (f_{6u+2,Q}(P) * l_{[6u+2]Q, psi(Q)}(P) * l_{[6u+2]Q + psi(Q), -psi^2(Q)}(P))^((p^12-1)/r),
 * where f is built by the Miller loop over the signed binary digits of 6u+2 and l_{A,B} is the line through
 * A and B (the tangent when A = B), evaluated at P. A check of n pairs runs one Miller loop that shares the
 * squarings of f across all pairs, then a single final exponentiation.
 *
 * <p>Line values are multiplied by convenient F_p^2 factors (to avoid inversions with Jacobian T). That is
 * harmless: (p^12-1)/r is a multiple of p^2-1, so the final exponentiation sends every nonzero F_p^2
 * element to 1.
 */
final class Pairing {
    /** The BN parameter u; p and r are polynomials in it. */
    static final long U = 4965661367192848881L;

    /** Non-adjacent form of 6u+2, least significant digit first: fewer nonzero digits, fewer additions. */
    private static final byte[] LOOP_NAF = naf(BigInteger.valueOf(U).multiply(BigInteger.valueOf(6)).add(BigInteger.TWO));

    private Pairing() {}

    private static byte[] naf(BigInteger k) {
        byte[] digits = new byte[k.bitLength() + 1];
        int n = 0;
        while (k.signum() > 0) {
            int digit = 0;
            if (k.testBit(0)) {
                digit = 2 - k.mod(BigInteger.valueOf(4)).intValue(); // +1 or -1, leaving k - digit divisible by 4
                k = k.subtract(BigInteger.valueOf(digit));
            }
            digits[n++] = (byte) digit;
            k = k.shiftRight(1);
        }
        return Arrays.copyOf(digits, n);
    }

    /** e(P, Q) for a single pair; either at infinity gives 1. For tests and exploration. */
    static Fp12 pair(JacobianPoint<Fp> p, JacobianPoint<Fp2> q) {
        return finalExponentiation(millerLoop(List.of(p), List.of(q)));
    }

    /** Whether the product of e(ps[i], qs[i]) is 1. Points must already be validated (G2 in the subgroup). */
    static boolean check(List<JacobianPoint<Fp>> ps, List<JacobianPoint<Fp2>> qs) {
        return finalExponentiation(millerLoop(ps, qs)).isOne();
    }

    /** The product of the Miller-loop values of all pairs, pairs with a point at infinity contributing 1. */
    static Fp12 millerLoop(List<JacobianPoint<Fp>> ps, List<JacobianPoint<Fp2>> qs) {
        List<LoopState> pairs = new ArrayList<>(ps.size());
        for (int i = 0; i < ps.size(); i++) {
            if (!ps.get(i).isInfinity() && !qs.get(i).isInfinity()) {
                pairs.add(new LoopState(ps.get(i).normalize(), qs.get(i).normalize()));
            }
        }
        Fp12 f = Fp12.ONE;
        if (pairs.isEmpty()) {
            return f;
        }
        for (int i = LOOP_NAF.length - 2; i >= 0; i--) {
            if (i != LOOP_NAF.length - 2) {
                f = f.square(); // the first square would be of 1
            }
            for (LoopState s : pairs) {
                f = s.doubleStep(f);
            }
            if (LOOP_NAF[i] == 1) {
                for (LoopState s : pairs) {
                    f = s.addStep(f, s.qx, s.qy);
                }
            } else if (LOOP_NAF[i] == -1) {
                for (LoopState s : pairs) {
                    f = s.addStep(f, s.qx, s.qyNeg);
                }
            }
        }
        // The two extra lines of the optimal ate pairing, with psi(Q) and -psi^2(Q) on the twist.
        Fp2 g12 = Fp12.frobeniusCoefficient(1, 2);
        Fp2 g13 = Fp12.frobeniusCoefficient(1, 3);
        Fp2 g22 = Fp12.frobeniusCoefficient(2, 2);
        Fp2 g23 = Fp12.frobeniusCoefficient(2, 3);
        for (LoopState s : pairs) {
            f = s.addStep(f, s.qx.conjugate().mul(g12), s.qy.conjugate().mul(g13));
            f = s.addStep(f, s.qx.mul(g22), s.qy.mul(g23).neg());
        }
        return f;
    }

    /**
     * Raises to (p^12 - 1)/r = (p^6 - 1)(p^2 + 1) * (p^4 - p^2 + 1)/r. The first two factors are cheap
     * with Frobenius and one inversion, and leave f in the cyclotomic subgroup, where inversion is
     * conjugation. The hard part (p^4 - p^2 + 1)/r equals l0 + l1 p + l2 p^2 + l3 p^3 with
     * l3 = 1, l2 = 6u^2 + 1, l1 = -36u^3 - 18u^2 - 12u + 1, l0 = -36u^3 - 30u^2 - 18u - 2
     * (Scott et al., "On the final exponentiation for calculating pairings on ordinary elliptic curves"):
     * three exponentiations by u, then the multi-exponentiation of the y_i below by (1, 2, 6, 12, 18, 30, 36)
     * in a short addition chain.
     */
    static Fp12 finalExponentiation(Fp12 f) {
        f = f.conjugate().mul(f.inverse());
        f = f.frobenius(2).mul(f);

        Fp12 fu = expByU(f);
        Fp12 fu2 = expByU(fu);
        Fp12 fu3 = expByU(fu2);

        Fp12 y0 = f.frobenius(1).mul(f.frobenius(2)).mul(f.frobenius(3)); // exponent p + p^2 + p^3
        Fp12 y1 = f.conjugate(); // -1
        Fp12 y2 = fu2.frobenius(2); // u^2 p^2
        Fp12 y3 = fu.frobenius(1).conjugate(); // -u p
        Fp12 y4 = fu.mul(fu2.frobenius(1)).conjugate(); // -u - u^2 p
        Fp12 y5 = fu2.conjugate(); // -u^2
        Fp12 y6 = fu3.mul(fu3.frobenius(1)).conjugate(); // -u^3 - u^3 p

        // y0 * y1^2 * y2^6 * y3^12 * y4^18 * y5^30 * y6^36; past the easy part every value is in the cyclotomic
        // subgroup, where squaring is cheaper (Fp12.cyclotomicSquare).
        Fp12 t0 = y6.cyclotomicSquare().mul(y4).mul(y5);
        Fp12 t1 = y3.mul(y5).mul(t0);
        t0 = t0.mul(y2);
        t1 = t1.cyclotomicSquare().mul(t0).cyclotomicSquare();
        t0 = t1.mul(y1);
        t1 = t1.mul(y0);
        return t0.cyclotomicSquare().mul(t1);
    }

    /** f^u by square-and-multiply over the 63 bits of u; f must be in the cyclotomic subgroup (cheaper squarings). */
    static Fp12 expByU(Fp12 f) {
        Fp12 result = f;
        for (int bit = 63 - Long.numberOfLeadingZeros(U) - 1; bit >= 0; bit--) { // top bit: result = f
            result = result.cyclotomicSquare();
            if (((U >>> bit) & 1) != 0) {
                result = result.mul(f);
            }
        }
        return result;
    }

    /**
     * One pair's share of the Miller loop: P (affine, in G1), Q (affine, on the twist) and the running
     * point T = [k]Q in Jacobian coordinates. Each step moves T and multiplies f by the line it used.
     */
    private static final class LoopState {
        final Fp px;
        final Fp py;
        final Fp2 qx;
        final Fp2 qy;
        final Fp2 qyNeg;
        Fp2 tx;
        Fp2 ty;
        Fp2 tz;

        LoopState(JacobianPoint<Fp> p, JacobianPoint<Fp2> q) {
            px = p.x;
            py = p.y;
            qx = q.x;
            qy = q.y;
            qyNeg = q.y.neg();
            tx = q.x;
            ty = q.y;
            tz = Fp2.ONE;
        }

        /**
         * T = 2T, f *= tangent at T evaluated at P. Untwisted, the tangent with slope s = 3x^2/(2y) (twist
         * coordinates) is yP - s xP w + (s x - y) w^3; multiplied by 2 Y Z^3 it becomes
         * 2 Y Z^3 yP - 3 X^2 Z^2 xP w + (3 X^3 - 2 Y^2) w^3, free of divisions.
         */
        Fp12 doubleStep(Fp12 f) {
            Fp2 a = tx.square();
            Fp2 b = ty.square();
            Fp2 c = b.square();
            Fp2 d = tx.add(b).square().sub(a).sub(c).dbl();
            Fp2 e = a.dbl().add(a); // 3 X^2
            Fp2 zz = tz.square();
            Fp2 x3 = e.square().sub(d.dbl());
            Fp2 y3 = e.mul(d.sub(x3)).sub(c.dbl().dbl().dbl());
            Fp2 z3 = ty.mul(tz).dbl(); // 2 Y Z

            Fp2 l0 = z3.mul(zz).mul(py);
            Fp2 l1 = e.mul(zz).mul(px).neg();
            Fp2 l3 = e.mul(tx).sub(b.dbl());
            tx = x3;
            ty = y3;
            tz = z3;
            return f.mulByLine(l0, l1, l3);
        }

        /**
         * T = T + (x2, y2), f *= line through them at P. With H = x2 Z^2 - X and R = y2 Z^3 - Y the slope is
         * R / (Z H); multiplied by Z3 = Z H the line is Z3 yP - R xP w + (R x2 - Z3 y2) w^3.
         */
        Fp12 addStep(Fp12 f, Fp2 x2, Fp2 y2) {
            Fp2 zz = tz.square();
            Fp2 h = x2.mul(zz).sub(tx);
            Fp2 r = y2.mul(tz).mul(zz).sub(ty);
            Fp2 hh = h.square();
            Fp2 hhh = hh.mul(h);
            Fp2 v = tx.mul(hh);
            Fp2 x3 = r.square().sub(hhh).sub(v.dbl());
            Fp2 y3 = r.mul(v.sub(x3)).sub(ty.mul(hhh));
            Fp2 z3 = tz.mul(h);

            Fp2 l0 = z3.mul(py);
            Fp2 l1 = r.mul(px).neg();
            Fp2 l3 = r.mul(x2).sub(z3.mul(y2));
            tx = x3;
            ty = y3;
            tz = z3;
            return f.mulByLine(l0, l1, l3);
        }
    }
}
