package dev.lanes.evm.precompile.bn254;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Framing, validation, infinity handling and pricing of 0x06, 0x07 and 0x08 through their byte interface. */
class Bn254PrecompilesTest {
    private static final BigInteger P = Fp.MODULUS;
    private static final byte[] ZERO_POINT = new byte[64];
    private static final byte[] ONE = word(BigInteger.ONE);
    private static final byte[] ZERO = new byte[32];

    private final Bn254Add add = new Bn254Add(150);
    private final Bn254Mul mul = new Bn254Mul(6000);
    private final Bn254Pairing pairing = new Bn254Pairing(45000, 34000);
    private final TestValues random = new TestValues(6);

    private static byte[] word(BigInteger v) {
        return FpTest.toBytes32(v);
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        byte[] out = new byte[n];
        int off = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, off, p.length);
            off += p.length;
        }
        return out;
    }

    private static byte[] g1(JacobianPoint<Fp> p) {
        return G1.encode(p);
    }

    private static byte[] g2(JacobianPoint<Fp2> q) {
        return G2Test.encode(q);
    }

    @Test
    void pricing() {
        assertEquals(500, new Bn254Add(500).gasCost(new byte[0]));
        assertEquals(40000, new Bn254Mul(40000).gasCost(new byte[96]));
        Bn254Pairing byzantium = new Bn254Pairing(100000, 80000);
        assertEquals(100000, byzantium.gasCost(new byte[0]));
        assertEquals(260000, byzantium.gasCost(new byte[384]));
        assertEquals(45000 + 34000 * 3, pairing.gasCost(new byte[576]));
        assertEquals(45000, pairing.gasCost(new byte[191])); // priced by whole pairs; execution then fails
    }

    @Test
    void addHandlesInfinityInverseAndDoubling() {
        JacobianPoint<Fp> p = random.g1();
        assertArrayEquals(g1(p), add.execute(concat(g1(p), ZERO_POINT)));
        assertArrayEquals(g1(p), add.execute(concat(ZERO_POINT, g1(p))));
        assertArrayEquals(g1(p), add.execute(g1(p))); // second point padded to infinity
        assertArrayEquals(ZERO_POINT, add.execute(concat(g1(p), g1(p.neg()))));
        assertArrayEquals(g1(p.dbl()), add.execute(concat(g1(p), g1(p))));
        byte[] extra = concat(g1(p), g1(p), new byte[] {1, 2, 3});
        assertArrayEquals(g1(p.dbl()), add.execute(extra));
    }

    @Test
    void addRejectsInvalidPoints() {
        JacobianPoint<Fp> p = random.g1();
        byte[] offCurve = g1(p);
        offCurve[63] ^= 1;
        assertNull(add.execute(concat(g1(p), offCurve)));
        assertNull(add.execute(concat(offCurve, g1(p))));
        // The generator with x + p: same residue, not canonical.
        byte[] big = concat(word(P.add(BigInteger.ONE)), word(BigInteger.TWO));
        assertNull(add.execute(concat(big, ZERO_POINT)));
        byte[] yBig = concat(word(BigInteger.ONE), word(P.add(BigInteger.TWO)));
        assertNull(add.execute(concat(ZERO_POINT, yBig)));
        // A truncated second point is padded with zeros: (x, 0) is off the curve.
        assertNull(add.execute(Arrays.copyOf(concat(g1(p), g1(p)), 100)));
    }

    @Test
    void mulMatchesRepeatedAdditionAndReducesLargeScalars() {
        JacobianPoint<Fp> p = random.g1();
        byte[] acc = ZERO_POINT;
        for (int k = 0; k < 12; k++) {
            assertArrayEquals(acc, mul.execute(concat(g1(p), word(BigInteger.valueOf(k)))), "k=" + k);
            acc = add.execute(concat(acc, g1(p)));
        }
        BigInteger r = TestValues.R;
        assertArrayEquals(ZERO_POINT, mul.execute(concat(g1(p), word(r))));
        assertArrayEquals(g1(p), mul.execute(concat(g1(p), word(r.add(BigInteger.ONE)))));
        BigInteger max = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);
        assertArrayEquals(mul.execute(concat(g1(p), word(max.mod(r)))), mul.execute(concat(g1(p), word(max))));
        assertArrayEquals(ZERO_POINT, mul.execute(concat(ZERO_POINT, word(max))));
        // Missing scalar bytes are zero: a point alone multiplies by 0; a half scalar is its high half.
        assertArrayEquals(ZERO_POINT, mul.execute(g1(p)));
        byte[] half = Arrays.copyOf(concat(g1(p), word(BigInteger.ONE.shiftLeft(200))), 80);
        assertArrayEquals(mul.execute(concat(g1(p), word(BigInteger.ONE.shiftLeft(200)))), mul.execute(half));
        assertArrayEquals(g1(p), mul.execute(concat(g1(p), ONE, new byte[] {9, 9})));
    }

    @Test
    void mulRejectsInvalidPoints() {
        byte[] offCurve = concat(word(BigInteger.ONE), word(BigInteger.valueOf(3)));
        assertNull(mul.execute(concat(offCurve, ONE)));
        assertNull(mul.execute(concat(offCurve, ZERO))); // validated even when the result would be infinity
        assertNull(mul.execute(concat(word(P), word(BigInteger.ZERO), ONE)));
    }

    @Test
    void pairingResults() {
        JacobianPoint<Fp> p = random.g1();
        JacobianPoint<Fp2> q = random.g2();
        BigInteger a = random.scalar();
        BigInteger b = random.scalar();
        assertArrayEquals(ONE, pairing.execute(new byte[0]));
        assertArrayEquals(ZERO, pairing.execute(concat(g1(p), g2(q))));
        assertArrayEquals(ONE, pairing.execute(concat(g1(p), g2(q), g1(p.neg()), g2(q))));
        assertArrayEquals(ONE, pairing.execute(concat(
                g1(p.mul(TestValues.limbs(a))), g2(q.mul(TestValues.limbs(b))),
                g1(p.mul(TestValues.limbs(a.multiply(b))).neg()), g2(q))));
        assertArrayEquals(ZERO, pairing.execute(concat(
                g1(p.mul(TestValues.limbs(a))), g2(q.mul(TestValues.limbs(b))),
                g1(p.mul(TestValues.limbs(a.multiply(b)))), g2(q))));
        // Pairs with a point at infinity contribute 1.
        assertArrayEquals(ONE, pairing.execute(concat(ZERO_POINT, g2(q))));
        assertArrayEquals(ONE, pairing.execute(concat(g1(p), new byte[128])));
        assertArrayEquals(ONE, pairing.execute(concat(ZERO_POINT, g2(q), g1(p), new byte[128])));
    }

    @Test
    void pairingRejectsMalformedInput() {
        byte[] good = concat(g1(G1.GENERATOR), g2(G2.GENERATOR));
        assertNotNull(pairing.execute(good));
        assertNull(pairing.execute(Arrays.copyOf(good, 191)));
        assertNull(pairing.execute(Arrays.copyOf(good, 193)));
        assertNull(pairing.execute(new byte[1]));

        byte[] badG1 = good.clone();
        badG1[63] ^= 1;
        assertNull(pairing.execute(badG1));

        byte[] badG2 = good.clone();
        badG2[191] ^= 1; // y.real changed: off the twist
        assertNull(pairing.execute(badG2));

        // Real and imaginary parts in the wrong order: not a point of the twist.
        byte[] swapped = good.clone();
        System.arraycopy(good, 96, swapped, 64, 32);
        System.arraycopy(good, 64, swapped, 96, 32);
        System.arraycopy(good, 160, swapped, 128, 32);
        System.arraycopy(good, 128, swapped, 160, 32);
        assertNull(pairing.execute(swapped));

        // A coordinate not below p.
        byte[] bigCoordinate = good.clone();
        System.arraycopy(word(P), 0, bigCoordinate, 64, 32);
        assertNull(pairing.execute(bigCoordinate));
        byte[] bigG1 = concat(word(P.add(BigInteger.ONE)), word(BigInteger.TWO), g2(G2.GENERATOR));
        assertNull(pairing.execute(bigG1));

        // On the twist but outside G2: must fail even though paired with infinity.
        JacobianPoint<Fp2> outside = null;
        G2Test g2Test = new G2Test();
        while (outside == null) {
            outside = g2Test.randomTwistPoint();
        }
        assertNull(pairing.execute(concat(g1(G1.GENERATOR), g2(outside))));
        assertNull(pairing.execute(concat(ZERO_POINT, g2(outside))));
        // An invalid later pair fails the whole call.
        assertNull(pairing.execute(concat(good, g1(G1.GENERATOR), g2(outside))));
    }

    @Test
    void neverThrowsOnArbitraryBytes() {
        Random r = new Random(7);
        for (int i = 0; i < 300; i++) {
            byte[] input = new byte[r.nextInt(400)];
            r.nextBytes(input);
            if (r.nextBoolean()) {
                // Keep some coordinates small so that some decode as field elements.
                for (int j = 0; j < input.length; j += 32) input[j] = 0;
            }
            add.execute(input);
            mul.execute(input);
            pairing.execute(input);
            pairing.execute(Arrays.copyOf(input, input.length / 192 * 192));
        }
    }
}
