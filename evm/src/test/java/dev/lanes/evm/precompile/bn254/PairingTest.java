package dev.lanes.evm.precompile.bn254;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pairing through its defining properties: bilinear, non-degenerate, values of order r. */
class PairingTest {
    private static final BigInteger P = Fp.MODULUS;
    private static final BigInteger R = TestValues.R;
    private final TestValues random = new TestValues(5);

    @Test
    void hardPartDecompositionIsExact() {
        BigInteger u = BigInteger.valueOf(Pairing.U);
        assertEquals(P, poly(u, 1, 6, 24, 36, 36));
        assertEquals(R, poly(u, 1, 6, 18, 36, 36));
        BigInteger l0 = poly(u, -2, -18, -30, -36);
        BigInteger l1 = poly(u, 1, -12, -18, -36);
        BigInteger l2 = poly(u, 1, 0, 6);
        BigInteger hard = P.pow(4).subtract(P.pow(2)).add(BigInteger.ONE);
        assertEquals(BigInteger.ZERO, hard.mod(R));
        assertEquals(hard.divide(R), l0.add(l1.multiply(P)).add(l2.multiply(P.pow(2))).add(P.pow(3)));
    }

    private static BigInteger poly(BigInteger u, long... coefficients) {
        BigInteger sum = BigInteger.ZERO;
        for (int i = coefficients.length - 1; i >= 0; i--) {
            sum = sum.multiply(u).add(BigInteger.valueOf(coefficients[i]));
        }
        return sum;
    }

    @Test
    void finalExponentiationMatchesDirectPower() {
        BigInteger exponent = P.pow(12).subtract(BigInteger.ONE).divide(R);
        for (int i = 0; i < 2; i++) {
            Fp12 f = random.fp12();
            assertEquals(f.pow(TestValues.limbs(exponent)), Pairing.finalExponentiation(f));
        }
    }

    @Test
    void cyclotomicSquareIsTheSquareInTheCyclotomicSubgroup() {
        for (int i = 0; i < 20; i++) {
            Fp12 f = random.fp12();
            // The final exponentiation's easy part, f^((p^6 - 1)(p^2 + 1)), lands in the cyclotomic subgroup.
            Fp12 g = f.conjugate().mul(f.inverse());
            g = g.frobenius(2).mul(g);
            Fp12 plain = g, cyclotomic = g;
            for (int k = 0; k < 5; k++) {
                plain = plain.square();
                cyclotomic = cyclotomic.cyclotomicSquare();
                assertEquals(plain, cyclotomic);
            }
            // Outside the subgroup it is not the square (it relies on the norm being 1).
            assertFalse(f.square().equals(f.cyclotomicSquare()));
        }
    }

    @Test
    void nonDegenerateWithValuesOfOrderR() {
        Fp12 e = Pairing.pair(G1.GENERATOR, G2.GENERATOR);
        assertFalse(e.isOne());
        assertTrue(e.pow(TestValues.limbs(R)).isOne());
    }

    @Test
    void bilinear() {
        JacobianPoint<Fp> p = random.g1();
        JacobianPoint<Fp2> q = random.g2();
        Fp12 e = Pairing.pair(p, q);
        for (int i = 0; i < 3; i++) {
            BigInteger a = random.scalar();
            BigInteger b = random.scalar();
            Fp12 expected = e.pow(TestValues.limbs(a.multiply(b).mod(R)));
            assertEquals(expected, Pairing.pair(p.mul(TestValues.limbs(a)), q.mul(TestValues.limbs(b))));
            assertEquals(expected, Pairing.pair(p.mul(TestValues.limbs(a.multiply(b))), q));
            assertEquals(expected, Pairing.pair(p, q.mul(TestValues.limbs(a.multiply(b)))));
        }
        JacobianPoint<Fp> p2 = random.g1();
        assertEquals(e.mul(Pairing.pair(p2, q)), Pairing.pair(p.add(p2), q));
        JacobianPoint<Fp2> q2 = random.g2();
        assertEquals(e.mul(Pairing.pair(p, q2)), Pairing.pair(p, q.add(q2)));
    }

    @Test
    void productCheck() {
        JacobianPoint<Fp> p = random.g1();
        JacobianPoint<Fp2> q = random.g2();
        assertTrue(Pairing.check(List.of(p, p.neg()), List.of(q, q)));
        assertTrue(Pairing.check(List.of(p, p), List.of(q, q.neg())));
        assertFalse(Pairing.check(List.of(p, p), List.of(q, q)));
        BigInteger a = random.scalar();
        BigInteger b = random.scalar();
        // e(aP, bQ) * e(-abP, Q) = 1, and with three pairs that cancel overall
        assertTrue(Pairing.check(
                List.of(p.mul(TestValues.limbs(a)), p.mul(TestValues.limbs(a.multiply(b))).neg()),
                List.of(q.mul(TestValues.limbs(b)), q)));
        assertTrue(Pairing.check(
                List.of(p, p, p.mul(TestValues.limbs(BigInteger.TWO)).neg()),
                List.of(q, q, q)));
        JacobianPoint<Fp> inf1 = JacobianPoint.infinity(Fp.ZERO);
        JacobianPoint<Fp2> inf2 = JacobianPoint.infinity(Fp2.ZERO);
        assertTrue(Pairing.check(List.of(), List.of()));
        assertTrue(Pairing.check(List.of(inf1, p), List.of(q, inf2)));
        assertFalse(Pairing.check(List.of(inf1, p), List.of(q, q)));
    }
}
