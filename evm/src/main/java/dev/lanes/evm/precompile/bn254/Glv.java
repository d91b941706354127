package dev.lanes.evm.precompile.bn254;

import java.math.BigInteger;

/**
 * Scalar multiplication in G1 by the Gallant-Lambert-Vanstone method. BN254's curve y^2 = x^3 + 3 has the
 * endomorphism phi(x, y) = (beta x, y), beta a cube root of unity in F_p, which acts on G1 (of prime order r) as
 * multiplication by lambda, a cube root of unity mod r. A scalar k splits as k = k1 + k2 lambda (mod r) with k1 and k2
 * of about 128 bits each, so [k]P = [k1]P + [k2]phi(P) takes half the doublings of a 254-bit multiplication: both halves
 * are run through one loop of four doublings per 4-bit digit, each half adding its own window's multiple.
 *
 * <p>The constants are derived when the class loads, not copied: beta and lambda as non-trivial cube roots of unity
 * paired on the generator (phi(G) = [lambda]G, checked with the plain multiplication), and the short lattice basis of
 * {(a, b) : a + b lambda = 0 mod r} from the extended Euclidean algorithm on (r, lambda), as in GLV's paper.
 */
final class Glv {
    /** The order of G1. */
    static final BigInteger R = new BigInteger("30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001", 16);

    static final Fp BETA;
    static final BigInteger LAMBDA;
    /** The basis vectors (A1, B1) and (A2, B2) and their determinant. */
    private static final BigInteger A1, B1, A2, B2, DET;

    static {
        BigInteger p = Fp.MODULUS;
        BigInteger beta = cubeRootOfUnity(p), lambda = cubeRootOfUnity(R);
        Fp b = Fp.fromBigInteger(beta);
        JacobianPoint<Fp> g = G1.GENERATOR;
        JacobianPoint<Fp> phiG = new JacobianPoint<>(g.x.mul(b), g.y, g.z);
        if (!g.mul(Fp.limbs(lambda)).equals(phiG)) lambda = lambda.multiply(lambda).mod(R); // the other root
        if (!g.mul(Fp.limbs(lambda)).equals(phiG)) throw new ExceptionInInitializerError("no lambda matches beta");
        BETA = b;
        LAMBDA = lambda;
        // Extended Euclid on (r, lambda): s r + t lambda = rem at every step; stop at the first rem below sqrt(r).
        BigInteger sqrt = R.sqrt();
        BigInteger r0 = R, r1 = lambda, t0 = BigInteger.ZERO, t1 = BigInteger.ONE;
        while (r1.compareTo(sqrt) >= 0) {
            BigInteger[] qr = r0.divideAndRemainder(r1);
            BigInteger t2 = t0.subtract(qr[0].multiply(t1));
            r0 = r1; r1 = qr[1];
            t0 = t1; t1 = t2;
        }
        // (r1, -t1) is the first short vector; the second is the shorter of (r0, -t0) and the next one.
        BigInteger[] qr = r0.divideAndRemainder(r1);
        BigInteger r2 = qr[1], t2 = t0.subtract(qr[0].multiply(t1));
        A1 = r1; B1 = t1.negate();
        if (r0.pow(2).add(t0.pow(2)).compareTo(r2.pow(2).add(t2.pow(2))) <= 0) {
            A2 = r0; B2 = t0.negate();
        } else {
            A2 = r2; B2 = t2.negate();
        }
        DET = A1.multiply(B2).subtract(A2.multiply(B1));
    }

    private Glv() {}

    /** A cube root of unity other than 1 modulo the prime {@code q} (q = 1 mod 3). */
    private static BigInteger cubeRootOfUnity(BigInteger q) {
        BigInteger e = q.subtract(BigInteger.ONE).divide(BigInteger.valueOf(3));
        for (int g = 2; ; g++) {
            BigInteger c = BigInteger.valueOf(g).modPow(e, q);
            if (!c.equals(BigInteger.ONE)) return c;
        }
    }

    /** {k1, k2} with k = k1 + k2 lambda (mod r), each of absolute value about sqrt(r) at most; k in [0, 2^256). */
    static BigInteger[] split(BigInteger k) {
        k = k.mod(R);
        // (k, 0) in the basis, rounded: c1 = round(k B2 / det), c2 = round(-k B1 / det).
        BigInteger c1 = roundDiv(k.multiply(B2), DET), c2 = roundDiv(k.multiply(B1).negate(), DET);
        BigInteger k1 = k.subtract(c1.multiply(A1)).subtract(c2.multiply(A2));
        BigInteger k2 = c1.multiply(B1).add(c2.multiply(B2)).negate();
        return new BigInteger[] {k1, k2};
    }

    private static BigInteger roundDiv(BigInteger n, BigInteger d) {
        if (d.signum() < 0) { n = n.negate(); d = d.negate(); }
        BigInteger twice = n.shiftLeft(1).add(d);
        BigInteger q = twice.divide(d.shiftLeft(1));
        if (twice.signum() < 0 && !q.multiply(d.shiftLeft(1)).equals(twice)) q = q.subtract(BigInteger.ONE); // floor
        return q;
    }

    /** [k]P for P in G1 and a scalar k in [0, 2^256) (taken mod r, as every point has order r). */
    static JacobianPoint<Fp> mul(JacobianPoint<Fp> p, BigInteger k) {
        if (p.isInfinity()) return p;
        BigInteger[] ks = split(k);
        JacobianPoint<Fp> p1 = ks[0].signum() < 0 ? p.neg() : p;
        JacobianPoint<Fp> phi = new JacobianPoint<>(p.x.mul(BETA), p.y, p.z);
        JacobianPoint<Fp> p2 = ks[1].signum() < 0 ? phi.neg() : phi;
        long[] k1 = Fp.limbs(ks[0].abs()), k2 = Fp.limbs(ks[1].abs());
        JacobianPoint<Fp>[] t1 = p1.multiples(), t2 = p2.multiples();
        int bits = Math.max(ks[0].abs().bitLength(), ks[1].abs().bitLength());
        JacobianPoint<Fp> acc = JacobianPoint.infinity(p.x);
        for (int nibble = (bits + 3) / 4 - 1; nibble >= 0; nibble--) {
            acc = acc.dbl().dbl().dbl().dbl();
            int d1 = digit(k1, nibble), d2 = digit(k2, nibble);
            if (d1 != 0) acc = acc.add(t1[d1]);
            if (d2 != 0) acc = acc.add(t2[d2]);
        }
        return acc;
    }

    private static int digit(long[] k, int nibble) {
        int limb = nibble >>> 4;
        return limb < k.length ? (int) (k[limb] >>> ((nibble & 15) * 4)) & 15 : 0;
    }
}
