package dev.lanes.evm.precompile.bn254;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** GLV's multiplication against the plain windowed one, and its constants against their definitions. */
class GlvTest {
    private final TestValues random = new TestValues(11);

    @Test
    void constantsAreCubeRootsPairedOnTheGenerator() {
        assertEquals(TestValues.R, Glv.R);
        assertEquals(BigInteger.ONE, Glv.LAMBDA.modPow(BigInteger.valueOf(3), Glv.R));
        assertTrue(!Glv.LAMBDA.equals(BigInteger.ONE));
        assertEquals(Fp.ONE, Glv.BETA.square().mul(Glv.BETA));
        assertTrue(!Glv.BETA.equals(Fp.ONE));
        for (int i = 0; i < 5; i++) {
            JacobianPoint<Fp> p = random.g1();
            assertEquals(p.mul(TestValues.limbs(Glv.LAMBDA)), new JacobianPoint<>(p.x.mul(Glv.BETA), p.y, p.z));
        }
    }

    @Test
    void splitIsExactAndShort() {
        Random r = new Random(3);
        for (int i = 0; i < 2000; i++) {
            BigInteger k = new BigInteger(256, r);
            BigInteger[] ks = Glv.split(k);
            assertEquals(k.mod(Glv.R), ks[0].add(ks[1].multiply(Glv.LAMBDA)).mod(Glv.R));
            assertTrue(ks[0].abs().bitLength() <= 128 && ks[1].abs().bitLength() <= 128, "k1 " + ks[0] + " k2 " + ks[1]);
        }
    }

    @Test
    void agreesWithThePlainMultiplication() {
        List<BigInteger> scalars = new ArrayList<>();
        BigInteger r = Glv.R;
        for (BigInteger k : new BigInteger[] {BigInteger.ZERO, BigInteger.ONE, BigInteger.TWO, r.subtract(BigInteger.ONE), r,
                r.add(BigInteger.ONE), r.shiftLeft(1), BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE),
                BigInteger.ONE.shiftLeft(255), Glv.LAMBDA, Glv.LAMBDA.add(BigInteger.ONE), Glv.LAMBDA.negate().mod(r),
                BigInteger.ONE.shiftLeft(128), BigInteger.ONE.shiftLeft(127).subtract(BigInteger.ONE)}) {
            scalars.add(k);
        }
        Random rnd = new Random(5);
        for (int i = 0; i < 60; i++) scalars.add(new BigInteger(1 + rnd.nextInt(256), rnd));
        List<JacobianPoint<Fp>> points = new ArrayList<>(List.of(G1.GENERATOR, JacobianPoint.infinity(Fp.ONE)));
        for (int i = 0; i < 4; i++) points.add(random.g1());
        for (JacobianPoint<Fp> p : points) {
            for (BigInteger k : scalars) {
                long[] limbs = limbs256(k);
                assertEquals(p.mul(limbs), Glv.mul(p, k), "k = " + k.toString(16));
            }
        }
    }

    private static long[] limbs256(BigInteger k) {
        long[] out = new long[4];
        for (int i = 0; i < 4; i++) out[i] = k.shiftRight(64 * i).longValue();
        return out;
    }
}
