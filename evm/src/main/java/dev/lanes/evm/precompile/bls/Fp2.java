package dev.lanes.evm.precompile.bls;

import java.math.BigInteger;

/**
 * An element c0 + c1*i of F_p2 = F_p[i]/(i^2 + 1) on {@link BigInteger}s, each coordinate in [0, p), with the
 * F_p helpers it builds on. Slow but plain: it serves only the map-to-curve precompiles, which run one SWU map
 * and one isogeny per call.
 */
record Fp2(BigInteger c0, BigInteger c1) {
    static final BigInteger P = Codec.P;
    static final Fp2 ZERO = new Fp2(BigInteger.ZERO, BigInteger.ZERO);
    static final Fp2 ONE = new Fp2(BigInteger.ONE, BigInteger.ZERO);
    private static final BigInteger SQRT_EXP = P.add(BigInteger.ONE).shiftRight(2); // p = 3 mod 4
    private static final BigInteger LEGENDRE_EXP = P.subtract(BigInteger.ONE).shiftRight(1);
    private static final BigInteger HALF = BigInteger.TWO.modInverse(P);

    // ---- F_p ----

    static BigInteger mod(BigInteger a) {
        return a.mod(P);
    }

    static BigInteger inv0(BigInteger a) {
        return a.signum() == 0 ? BigInteger.ZERO : a.modInverse(P);
    }

    /** Whether {@code a} is a square in F_p (zero counts). */
    static boolean isSquare(BigInteger a) {
        return a.signum() == 0 || a.modPow(LEGENDRE_EXP, P).equals(BigInteger.ONE);
    }

    /** A square root of {@code a} (in [0, p)), or null when it has none: one exponentiation, then a check. */
    static BigInteger sqrt(BigInteger a) {
        BigInteger r = a.modPow(SQRT_EXP, P);
        return r.multiply(r).mod(P).equals(a) ? r : null;
    }

    /** RFC 9380 sgn0 for F_p: the parity of the canonical representative. */
    static boolean sgn0(BigInteger a) {
        return a.testBit(0);
    }

    // ---- F_p2 ----

    static Fp2 of(long c0, long c1) {
        return new Fp2(mod(BigInteger.valueOf(c0)), mod(BigInteger.valueOf(c1)));
    }

    boolean isZero() {
        return c0.signum() == 0 && c1.signum() == 0;
    }

    Fp2 add(Fp2 o) {
        return new Fp2(mod(c0.add(o.c0)), mod(c1.add(o.c1)));
    }

    Fp2 sub(Fp2 o) {
        return new Fp2(mod(c0.subtract(o.c0)), mod(c1.subtract(o.c1)));
    }

    Fp2 neg() {
        return new Fp2(mod(c0.negate()), mod(c1.negate()));
    }

    Fp2 mul(Fp2 o) {
        return new Fp2(mod(c0.multiply(o.c0).subtract(c1.multiply(o.c1))), mod(c0.multiply(o.c1).add(c1.multiply(o.c0))));
    }

    Fp2 square() {
        return mul(this);
    }

    /** The conjugate c0 - c1*i, which is also the p-power Frobenius. */
    Fp2 conjugate() {
        return new Fp2(c0, mod(c1.negate()));
    }

    /** This to the power {@code e} >= 0, by square-and-multiply. */
    Fp2 pow(BigInteger e) {
        Fp2 acc = ONE;
        for (int i = e.bitLength() - 1; i >= 0; i--) {
            acc = acc.square();
            if (e.testBit(i)) acc = acc.mul(this);
        }
        return acc;
    }

    /** The norm c0^2 + c1^2, in F_p. */
    BigInteger norm() {
        return mod(c0.multiply(c0).add(c1.multiply(c1)));
    }

    /** The inverse, or zero for zero (RFC 9380 inv0). */
    Fp2 inv0() {
        BigInteger n = inv0(norm());
        return new Fp2(mod(c0.multiply(n)), mod(c1.negate().multiply(n)));
    }

    /** Whether this is a square in F_p2: exactly when its norm is a square in F_p. */
    boolean isSquare() {
        return isSquare(norm());
    }

    /** A square root, or null when this is not a square. */
    Fp2 sqrt() {
        if (c1.signum() == 0) {
            // -1 is not a square in F_p, so exactly one of c0 and -c0 is (or c0 is 0); either way a root exists.
            BigInteger r = sqrt(c0);
            return r != null ? new Fp2(r, BigInteger.ZERO) : new Fp2(BigInteger.ZERO, sqrt(mod(c0.negate())));
        }
        // (x0 + x1 i)^2 = c0 + c1 i  <=>  x0^2 - x1^2 = c0, 2 x0 x1 = c1; x0^2 is (c0 +- sqrt(norm)) / 2.
        BigInteger n = sqrt(norm());
        if (n == null) return null; // a non-square norm means a non-square element
        BigInteger x0 = sqrt(mod(c0.add(n).multiply(HALF)));
        if (x0 == null) x0 = sqrt(mod(c0.subtract(n).multiply(HALF)));
        if (x0 == null || x0.signum() == 0) return null; // neither happens for a square with c1 != 0
        BigInteger x1 = mod(c1.multiply(x0.shiftLeft(1).modInverse(P)));
        return new Fp2(x0, x1);
    }

    /** RFC 9380 sgn0 for F_p2: the parity of c0, or of c1 when c0 is zero. */
    boolean sgn0() {
        return c0.testBit(0) || (c0.signum() == 0 && c1.testBit(0));
    }
}
