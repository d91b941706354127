package dev.lanes.evm.precompile.bn254;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** F_p against a BigInteger oracle, including the values next to 0 and p where carries and borrows happen. */
class FpTest {
    private static final BigInteger P = Fp.MODULUS;

    private static List<BigInteger> samples() {
        List<BigInteger> values = new ArrayList<>(List.of(
                BigInteger.ZERO, BigInteger.ONE, BigInteger.TWO, P.subtract(BigInteger.ONE), P.subtract(BigInteger.TWO),
                P.shiftRight(1), P.shiftRight(1).add(BigInteger.ONE), BigInteger.ONE.shiftLeft(64),
                BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE), BigInteger.ONE.shiftLeft(192),
                BigInteger.ONE.shiftLeft(253)));
        TestValues random = new TestValues(1);
        for (int i = 0; i < 200; i++) {
            values.add(random.below(P));
        }
        return values;
    }

    @Test
    void productsOfUnreducedSumsAreReduced() {
        List<BigInteger> values = samples();
        for (int i = 0; i < values.size(); i++) {
            BigInteger a = values.get(i), b = values.get((i * 7 + 3) % values.size());
            BigInteger c = values.get((i * 11 + 5) % values.size()), d = values.get((i * 13 + 1) % values.size());
            Fp sum = Fp.fromBigInteger(a).addUnreduced(Fp.fromBigInteger(b));
            Fp other = Fp.fromBigInteger(c).addUnreduced(Fp.fromBigInteger(d));
            Fp product = sum.mul(other);
            assertEquals(a.add(b).multiply(c.add(d)).mod(P), product.toBigInteger());
            assertEquals(product, Fp.fromBigInteger(a.add(b).multiply(c.add(d))), "canonical limbs");
            assertEquals(a.add(b).multiply(c).mod(P), sum.mul(Fp.fromBigInteger(c)).toBigInteger());
        }
        // The largest operands: limbs p - 1 (the value (p - 1) / R in Montgomery form) doubled, on both sides; and p - 1.
        BigInteger rInverse = BigInteger.ONE.shiftLeft(256).modInverse(P);
        Fp topLimbs = Fp.fromBigInteger(P.subtract(BigInteger.ONE).multiply(rInverse));
        for (Fp x : List.of(topLimbs, Fp.fromBigInteger(P.subtract(BigInteger.ONE)))) {
            Fp s2 = x.addUnreduced(x);
            BigInteger v = x.toBigInteger().shiftLeft(1);
            assertEquals(v.multiply(v).mod(P), s2.mul(s2).toBigInteger());
        }
    }

    @Test
    void arithmeticMatchesBigInteger() {
        List<BigInteger> values = samples();
        for (int i = 0; i < values.size(); i++) {
            BigInteger a = values.get(i);
            BigInteger b = values.get((i * 7 + 3) % values.size());
            Fp fa = Fp.fromBigInteger(a);
            Fp fb = Fp.fromBigInteger(b);
            assertEquals(a, fa.toBigInteger());
            assertEquals(a.add(b).mod(P), fa.add(fb).toBigInteger(), "add");
            assertEquals(a.subtract(b).mod(P), fa.sub(fb).toBigInteger(), "sub");
            assertEquals(a.multiply(b).mod(P), fa.mul(fb).toBigInteger(), "mul");
            assertEquals(a.multiply(a).mod(P), fa.square().toBigInteger(), "square");
            assertEquals(a.negate().mod(P), fa.neg().toBigInteger(), "neg");
            assertEquals(a.shiftLeft(1).mod(P), fa.dbl().toBigInteger(), "dbl");
            if (a.signum() != 0) {
                assertEquals(a.modInverse(P), fa.inverse().toBigInteger(), "inverse");
            }
        }
    }

    @Test
    void bytesRoundTripAndRejectNonCanonical() {
        for (BigInteger a : samples()) {
            byte[] b = toBytes32(a);
            Fp f = Fp.fromBytes(b, 0);
            assertEquals(a, f.toBigInteger());
            byte[] out = new byte[32];
            f.toBytes(out, 0);
            assertArrayEquals(b, out);
        }
        assertNull(Fp.fromBytes(toBytes32(P), 0));
        assertNull(Fp.fromBytes(toBytes32(P.add(BigInteger.ONE)), 0));
        assertNull(Fp.fromBytes(toBytes32(BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE)), 0));
    }

    @Test
    void zeroAndOne() {
        assertTrue(Fp.ZERO.isZero());
        assertEquals(BigInteger.ONE, Fp.ONE.toBigInteger());
        assertTrue(Fp.ZERO.neg().isZero());
        assertEquals(Fp.ZERO, Fp.ONE.sub(Fp.ONE));
    }

    static byte[] toBytes32(BigInteger v) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[32];
        int n = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - n, out, 32 - n, n);
        return out;
    }
}
