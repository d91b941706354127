package dev.lanes.evm.precompile.bn254;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** The twist, psi, and the fast subgroup check against the definition ([r]Q = infinity). */
class G2Test {
    private final TestValues random = new TestValues(4);

    @Test
    void generatorIsInTheSubgroup() {
        assertTrue(G2.GENERATOR.isOnCurve(G2.B));
        assertTrue(G2.GENERATOR.mul(TestValues.limbs(TestValues.R)).isInfinity());
        assertTrue(G2.isInSubgroup(G2.GENERATOR));
    }

    @Test
    void psiActsAsMultiplicationByP() {
        for (int i = 0; i < 5; i++) {
            JacobianPoint<Fp2> q = random.g2();
            assertTrue(G2.psi(q).isOnCurve(G2.B));
            assertEquals(q.mul(TestValues.limbs(Fp.MODULUS)), G2.psi(q));
            assertTrue(G2.isInSubgroup(q));
        }
    }

    @Test
    void groupLaws() {
        for (int i = 0; i < 10; i++) {
            JacobianPoint<Fp2> a = random.g2();
            JacobianPoint<Fp2> b = random.g2();
            assertEquals(a.add(b), b.add(a));
            assertEquals(a.dbl(), a.add(a));
            assertTrue(a.add(a.neg()).isInfinity());
            BigInteger k = random.scalar();
            assertEquals(a.mul(TestValues.limbs(k)).add(b.mul(TestValues.limbs(k))),
                    a.add(b).mul(TestValues.limbs(k)));
        }
    }

    @Test
    void pointsOutsideTheSubgroupAreRejected() {
        int found = 0;
        for (int i = 0; found < 5 && i < 100; i++) {
            JacobianPoint<Fp2> q = randomTwistPoint();
            if (q == null) continue;
            found++;
            assertTrue(q.isOnCurve(G2.B));
            boolean inSubgroup = q.mul(TestValues.limbs(TestValues.R)).isInfinity();
            assertFalse(inSubgroup, "a random twist point lies in G2 with probability about 1/p");
            assertFalse(G2.isInSubgroup(q));
            // Clearing the cofactor 2p - r lands in G2, and both checks must agree again.
            JacobianPoint<Fp2> cleared = q.mul(TestValues.limbs(Fp.MODULUS.shiftLeft(1).subtract(TestValues.R)));
            assertTrue(cleared.mul(TestValues.limbs(TestValues.R)).isInfinity());
            assertTrue(G2.isInSubgroup(cleared));
        }
        assertTrue(found >= 5);
    }

    /** The cofactor 2p - r of G2 in E'(F_p^2) = 10069 * 5864401 * M. */
    private static final BigInteger COFACTOR = Fp.MODULUS.shiftLeft(1).subtract(TestValues.R);

    @Test
    void membershipByUAgreesWithTheEigenvalueTestAndTheDefinition() {
        assertEquals(BigInteger.ZERO, COFACTOR.mod(BigInteger.valueOf(10069L * 5864401L)));
        for (int i = 0; i < 10; i++) {
            JacobianPoint<Fp2> q = random.g2();
            assertTrue(G2.isInSubgroup(q));
            assertTrue(G2.isInSubgroupByEigenvalue(q));
        }
        assertTrue(G2.isInSubgroup(G2.GENERATOR.mul(TestValues.limbs(TestValues.R)))); // infinity
        int found = 0;
        for (int i = 0; found < 12 && i < 200; i++) {
            JacobianPoint<Fp2> t = randomTwistPoint();
            if (t == null) continue;
            found++;
            // t itself, and its parts in each factor of the cofactor: of order 10069, 5864401 and dividing M, each
            // alone and added to a point of G2 (the theorem must hold for every order the twist group has).
            BigInteger m = COFACTOR.divide(BigInteger.valueOf(10069L * 5864401L));
            BigInteger[] kill = {BigInteger.ONE, TestValues.R.multiply(COFACTOR.divide(BigInteger.valueOf(10069))),
                    TestValues.R.multiply(COFACTOR.divide(BigInteger.valueOf(5864401))),
                    TestValues.R.multiply(BigInteger.valueOf(10069L * 5864401L))};
            for (int k = 0; k < kill.length; k++) {
                JacobianPoint<Fp2> part = t.mul(TestValues.limbs(kill[k]));
                if (k > 0) {
                    BigInteger order = k == 1 ? BigInteger.valueOf(10069) : k == 2 ? BigInteger.valueOf(5864401) : m;
                    assertTrue(part.mul(TestValues.limbs(order)).isInfinity());
                }
                if (part.isInfinity()) continue; // t had no component there (probability about 1/10069 at most)
                boolean inG2 = part.mul(TestValues.limbs(TestValues.R)).isInfinity();
                assertFalse(inG2);
                assertFalse(G2.isInSubgroup(part), "part " + k);
                assertFalse(G2.isInSubgroupByEigenvalue(part), "part " + k);
                JacobianPoint<Fp2> mixed = part.add(random.g2());
                assertFalse(G2.isInSubgroup(mixed), "part " + k + " plus a point of G2");
                assertFalse(G2.isInSubgroupByEigenvalue(mixed), "part " + k + " plus a point of G2");
            }
            JacobianPoint<Fp2> cleared = t.mul(TestValues.limbs(COFACTOR));
            assertTrue(G2.isInSubgroup(cleared));
        }
        assertTrue(found >= 12);
    }

    @Test
    void decodeUsesImaginaryFirstOrder() {
        byte[] enc = encode(G2.GENERATOR);
        assertNotNull(G2.decode(enc, 0));
        assertEquals(G2.GENERATOR, G2.decode(enc, 0));
    }

    /** EIP-197 encoding: x.imaginary, x.real, y.imaginary, y.real. */
    static byte[] encode(JacobianPoint<Fp2> q) {
        byte[] out = new byte[128];
        if (q.isInfinity()) return out;
        JacobianPoint<Fp2> a = q.normalize();
        a.x.c1.toBytes(out, 0);
        a.x.c0.toBytes(out, 32);
        a.y.c1.toBytes(out, 64);
        a.y.c0.toBytes(out, 96);
        return out;
    }

    /** A point on the twist with random x, or null when x^3 + b' is not a square; almost never in G2. */
    JacobianPoint<Fp2> randomTwistPoint() {
        Fp2 x = random.fp2();
        Fp2 y = sqrt(x.square().mul(x).add(G2.B));
        return y == null ? null : JacobianPoint.affine(x, y);
    }

    /**
     * Square root in F_p^2 for tests: with n = sqrt(a0^2 + a1^2) in F_p, a root is x0 + x1 i where
     * x0^2 = (a0 +- n)/2 and x1 = a1 / (2 x0). p = 3 mod 4, so F_p roots are powers (p+1)/4.
     */
    static Fp2 sqrt(Fp2 a) {
        Fp n = sqrtFp(a.c0.square().add(a.c1.square()));
        if (n == null) return null;
        Fp half = Fp.of(2).inverse();
        Fp x0 = sqrtFp(a.c0.add(n).mul(half));
        if (x0 == null) x0 = sqrtFp(a.c0.sub(n).mul(half));
        if (x0 == null || x0.isZero()) return null;
        Fp2 root = new Fp2(x0, a.c1.mul(x0.dbl().inverse()));
        return root.square().equals(a) ? root : null;
    }

    private static Fp sqrtFp(Fp a) {
        Fp r = a.pow(TestValues.limbs(Fp.MODULUS.add(BigInteger.ONE).shiftRight(2)));
        return r.square().equals(a) ? r : null;
    }
}
