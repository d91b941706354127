package dev.lanes.evm.precompile.bn254;

import java.math.BigInteger;
import java.util.Random;

/** Seeded random field elements, points and scalars for the property tests. */
final class TestValues {
    static final BigInteger P = Fp.MODULUS;
    static final BigInteger R =
            new BigInteger("30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001", 16);

    private final Random random;

    TestValues(long seed) {
        random = new Random(seed);
    }

    BigInteger below(BigInteger bound) {
        BigInteger v;
        do {
            v = new BigInteger(bound.bitLength(), random);
        } while (v.compareTo(bound) >= 0);
        return v;
    }

    Fp fp() {
        return Fp.fromBigInteger(below(P));
    }

    Fp2 fp2() {
        return new Fp2(fp(), fp());
    }

    Fp6 fp6() {
        return new Fp6(fp2(), fp2(), fp2());
    }

    Fp12 fp12() {
        return new Fp12(fp6(), fp6());
    }

    BigInteger scalar() {
        return below(R);
    }

    JacobianPoint<Fp> g1() {
        return G1.GENERATOR.mul(Fp.limbs(scalar()));
    }

    JacobianPoint<Fp2> g2() {
        return G2.GENERATOR.mul(Fp.limbs(scalar()));
    }

    static long[] limbs(BigInteger v) {
        return Fp.limbs(v);
    }
}
