package dev.lanes.evm.precompile.bn254;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/**
 * The extension fields checked through the field axioms and identities that pin down each special-purpose
 * routine (squaring, sparse products, Frobenius) against the generic ones.
 */
class TowerTest {
    private final TestValues random = new TestValues(2);

    @Test
    void fp2() {
        for (int i = 0; i < 50; i++) {
            Fp2 a = random.fp2();
            Fp2 b = random.fp2();
            Fp2 c = random.fp2();
            assertEquals(a.mul(b).mul(c), a.mul(b.mul(c)));
            assertEquals(a.mul(b.add(c)), a.mul(b).add(a.mul(c)));
            assertEquals(a.mul(a), a.square());
            assertEquals(Fp2.ONE, a.mul(a.inverse()));
            assertEquals(a.mul(Fp2.XI), a.mulByXi());
            assertEquals(a.pow(TestValues.limbs(Fp.MODULUS)), a.conjugate());
        }
        Fp2 i = new Fp2(Fp.ZERO, Fp.ONE);
        assertEquals(Fp2.ONE.neg(), i.square());
    }

    @Test
    void fp6() {
        Fp6 v = new Fp6(Fp2.ZERO, Fp2.ONE, Fp2.ZERO);
        assertEquals(new Fp6(Fp2.XI, Fp2.ZERO, Fp2.ZERO), v.mul(v).mul(v));
        for (int i = 0; i < 50; i++) {
            Fp6 a = random.fp6();
            Fp6 b = random.fp6();
            Fp6 c = random.fp6();
            assertEquals(a.mul(b).mul(c), a.mul(b.mul(c)));
            assertEquals(a.mul(b), b.mul(a));
            assertEquals(a.mul(b.add(c)), a.mul(b).add(a.mul(c)));
            assertEquals(a.mul(a), a.square());
            assertEquals(Fp6.ONE, a.mul(a.inverse()));
            assertEquals(a.mul(v), a.mulByV());
            Fp2 s = random.fp2();
            Fp2 t = random.fp2();
            assertEquals(a.mul(new Fp6(s, t, Fp2.ZERO)), a.mulBy01(s, t));
            assertEquals(a.mul(new Fp6(s, Fp2.ZERO, Fp2.ZERO)), a.mul(s));
        }
    }

    @Test
    void fp12() {
        Fp12 w = new Fp12(Fp6.ZERO, Fp6.ONE);
        assertEquals(new Fp12(new Fp6(Fp2.ZERO, Fp2.ONE, Fp2.ZERO), Fp6.ZERO), w.mul(w));
        for (int i = 0; i < 20; i++) {
            Fp12 a = random.fp12();
            Fp12 b = random.fp12();
            Fp12 c = random.fp12();
            assertEquals(a.mul(b).mul(c), a.mul(b.mul(c)));
            assertEquals(a.mul(b), b.mul(a));
            assertEquals(a.mul(a), a.square());
            assertEquals(Fp12.ONE, a.mul(a.inverse()));
            Fp2 l0 = random.fp2();
            Fp2 l1 = random.fp2();
            Fp2 l3 = random.fp2();
            Fp12 line = new Fp12(new Fp6(l0, Fp2.ZERO, Fp2.ZERO), new Fp6(l1, l3, Fp2.ZERO));
            assertEquals(a.mul(line), a.mulByLine(l0, l1, l3));
        }
    }

    @Test
    void frobeniusIsPowerOfP() {
        BigInteger p = Fp.MODULUS;
        for (int i = 0; i < 3; i++) {
            Fp12 a = random.fp12();
            Fp12 ap = a.pow(TestValues.limbs(p));
            assertEquals(ap, a.frobenius(1));
            assertEquals(ap.pow(TestValues.limbs(p)), a.frobenius(2));
            assertEquals(a.frobenius(1).frobenius(2), a.frobenius(3));
            assertEquals(a.pow(TestValues.limbs(p.pow(6))), a.conjugate());
            assertNotEquals(a, a.frobenius(1));
        }
    }
}
