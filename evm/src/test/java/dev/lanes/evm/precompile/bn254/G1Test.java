package dev.lanes.evm.precompile.bn254;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** G1 arithmetic against affine formulas over BigInteger, and the group laws. */
class G1Test {
    private static final BigInteger P = Fp.MODULUS;
    private final TestValues random = new TestValues(3);

    /** Textbook affine addition over BigInteger; null stands for infinity. */
    private static BigInteger[] affineAdd(BigInteger[] a, BigInteger[] b) {
        if (a == null) return b;
        if (b == null) return a;
        BigInteger slope;
        if (a[0].equals(b[0])) {
            if (a[1].add(b[1]).mod(P).signum() == 0) return null;
            slope = a[0].pow(2).multiply(BigInteger.valueOf(3)).multiply(a[1].shiftLeft(1).modInverse(P)).mod(P);
        } else {
            slope = b[1].subtract(a[1]).multiply(b[0].subtract(a[0]).modInverse(P)).mod(P);
        }
        BigInteger x = slope.pow(2).subtract(a[0]).subtract(b[0]).mod(P);
        BigInteger y = slope.multiply(a[0].subtract(x)).subtract(a[1]).mod(P);
        return new BigInteger[] {x, y};
    }

    private static BigInteger[] toAffine(JacobianPoint<Fp> p) {
        if (p.isInfinity()) return null;
        return new BigInteger[] {p.affineX().toBigInteger(), p.affineY().toBigInteger()};
    }

    @Test
    void generatorHasOrderR() {
        assertTrue(G1.GENERATOR.isOnCurve(G1.B));
        assertTrue(G1.GENERATOR.mul(TestValues.limbs(TestValues.R)).isInfinity());
        assertEquals(G1.GENERATOR, G1.GENERATOR.mul(TestValues.limbs(TestValues.R.add(BigInteger.ONE))));
    }

    @Test
    void additionMatchesAffineOracle() {
        for (int i = 0; i < 30; i++) {
            JacobianPoint<Fp> a = random.g1();
            JacobianPoint<Fp> b = random.g1();
            assertTrue(a.isOnCurve(G1.B));
            BigInteger[] expected = affineAdd(toAffine(a), toAffine(b));
            BigInteger[] sum = toAffine(a.add(b));
            assertEquals(expected[0], sum[0]);
            assertEquals(expected[1], sum[1]);
            BigInteger[] doubled = toAffine(a.dbl());
            BigInteger[] expectedDouble = affineAdd(toAffine(a), toAffine(a));
            assertEquals(expectedDouble[0], doubled[0]);
            assertEquals(expectedDouble[1], doubled[1]);
        }
    }

    @Test
    void groupLaws() {
        JacobianPoint<Fp> inf = JacobianPoint.infinity(Fp.ZERO);
        for (int i = 0; i < 20; i++) {
            JacobianPoint<Fp> a = random.g1();
            JacobianPoint<Fp> b = random.g1();
            JacobianPoint<Fp> c = random.g1();
            assertEquals(a.add(b).add(c), a.add(b.add(c)));
            assertEquals(a.add(b), b.add(a));
            assertEquals(a.dbl(), a.add(a));
            assertTrue(a.add(a.neg()).isInfinity());
            assertEquals(a, a.add(inf));
            assertEquals(a, inf.add(a));
        }
    }

    @Test
    void scalarMultiplicationMatchesRepeatedAddition() {
        JacobianPoint<Fp> p = random.g1();
        JacobianPoint<Fp> acc = JacobianPoint.infinity(Fp.ZERO);
        for (int k = 0; k < 40; k++) {
            assertEquals(acc, p.mul(new long[] {k}), "k=" + k);
            acc = acc.add(p);
        }
        for (int i = 0; i < 10; i++) {
            BigInteger a = random.scalar();
            BigInteger b = random.scalar();
            assertEquals(p.mul(TestValues.limbs(a)).add(p.mul(TestValues.limbs(b))),
                    p.mul(TestValues.limbs(a.add(b))));
            assertEquals(p.mul(TestValues.limbs(a)).mul(TestValues.limbs(b)),
                    p.mul(TestValues.limbs(a.multiply(b).mod(TestValues.R))));
        }
    }

    @Test
    void decodeValidates() {
        byte[] g = new byte[64];
        g[31] = 1;
        g[63] = 2;
        assertNotNull(G1.decode(g, 0));
        g[63] = 3; // (1, 3) is not on the curve
        assertNull(G1.decode(g, 0));
        byte[] inf = new byte[64];
        assertTrue(G1.decode(inf, 0).isInfinity());
        // (0, 0) is infinity, but (0, y) is an ordinary (and here invalid) point.
        inf[63] = 1;
        assertNull(G1.decode(inf, 0));
        // x + p encodes the same residue but is not canonical.
        byte[] big = new byte[64];
        System.arraycopy(FpTest.toBytes32(P.add(BigInteger.ONE)), 0, big, 0, 32);
        big[63] = 2;
        assertNull(G1.decode(big, 0));
    }
}
