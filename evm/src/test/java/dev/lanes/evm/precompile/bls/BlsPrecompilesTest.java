package dev.lanes.evm.precompile.bls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.evm.precompile.Precompile;
import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import supranational.blst.P1;
import supranational.blst.P2;

/** Pricing, framing, encoding rules, infinity and subgroup handling of 0x0b-0x11 through their byte interface. */
class BlsPrecompilesTest {
    private static final BigInteger P = Codec.P;
    private static final BigInteger R =
            new BigInteger("73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001", 16);
    private static final byte[] G1_INF = new byte[128];
    private static final byte[] G2_INF = new byte[256];
    private static final byte[] G = Codec.encode(P1.generator());
    private static final byte[] H = Codec.encode(P2.generator());
    private static final byte[] TRUE = word32(BigInteger.ONE);
    private static final byte[] FALSE = new byte[32];

    private final BlsG1Add g1Add = new BlsG1Add();
    private final BlsG1Msm g1Msm = new BlsG1Msm();
    private final BlsG2Add g2Add = new BlsG2Add();
    private final BlsG2Msm g2Msm = new BlsG2Msm();
    private final BlsPairingCheck pairing = new BlsPairingCheck();
    private final BlsMapFpToG1 mapG1 = new BlsMapFpToG1();
    private final BlsMapFp2ToG2 mapG2 = new BlsMapFp2ToG2();

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

    private static byte[] word32(BigInteger v) {
        byte[] b = v.toByteArray();
        byte[] out = new byte[32];
        int n = Math.min(b.length, 32);
        System.arraycopy(b, b.length - n, out, 32 - n, n);
        return out;
    }

    private static byte[] fp(BigInteger v) {
        return concat(new byte[16], Codec.toBytes48(v));
    }

    private static byte[] neg(byte[] point) {
        return point.length == 128
                ? Codec.encode(new P1(Codec.g1(point, 0)).neg())
                : Codec.encode(new P2(Codec.g2(point, 0)).neg());
    }

    /** An on-curve G1 point outside the order-r subgroup: the first x >= 1 with x^3 + 4 square. */
    private static byte[] g1OutsideSubgroup() {
        for (BigInteger x = BigInteger.ONE; ; x = x.add(BigInteger.ONE)) {
            BigInteger rhs = x.pow(3).add(BigInteger.valueOf(4)).mod(P);
            if (Fp2.isSquare(rhs)) {
                byte[] out = concat(fp(x), fp(Fp2.sqrt(rhs)));
                if (!Codec.g1(out, 0).in_group()) return out;
            }
        }
    }

    /** An on-twist G2 point outside the order-r subgroup: x = (c, 0) for the first c >= 1 that works. */
    private static byte[] g2OutsideSubgroup() {
        Fp2 b = Fp2.of(4, 4);
        for (long c = 1; ; c++) {
            Fp2 x = Fp2.of(c, 0);
            Fp2 rhs = x.square().mul(x).add(b);
            if (rhs.isSquare()) {
                Fp2 y = rhs.sqrt();
                byte[] out = concat(fp(x.c0()), fp(x.c1()), fp(y.c0()), fp(y.c1()));
                if (!Codec.g2(out, 0).in_group()) return out;
            }
        }
    }

    @Test
    void pricing() {
        assertEquals(375, g1Add.gasCost(new byte[0]));
        assertEquals(600, g2Add.gasCost(new byte[7]));
        assertEquals(5500, mapG1.gasCost(new byte[64]));
        assertEquals(23800, mapG2.gasCost(new byte[1]));

        assertEquals(0, g1Msm.gasCost(new byte[0]));
        assertEquals(0, g1Msm.gasCost(new byte[159]));
        assertEquals(12000, g1Msm.gasCost(new byte[160]));
        assertEquals(12000, g1Msm.gasCost(new byte[319])); // floor(len / 160) pairs
        assertEquals(2 * 12000 * 949 / 1000, g1Msm.gasCost(new byte[320]));
        assertEquals(128L * 12000 * 519 / 1000, g1Msm.gasCost(new byte[128 * 160]));
        assertEquals(1000L * 12000 * 519 / 1000, g1Msm.gasCost(new byte[1000 * 160])); // max_discount past 128

        assertEquals(0, g2Msm.gasCost(new byte[287]));
        assertEquals(22500, g2Msm.gasCost(new byte[288]));
        assertEquals(45000, g2Msm.gasCost(new byte[2 * 288])); // G2's table keeps 1000 at k = 2
        assertEquals(3L * 22500 * 923 / 1000, g2Msm.gasCost(new byte[3 * 288]));
        assertEquals(129L * 22500 * 524 / 1000, g2Msm.gasCost(new byte[129 * 288]));

        assertEquals(37700, pairing.gasCost(new byte[0]));
        assertEquals(37700, pairing.gasCost(new byte[383]));
        assertEquals(37700 + 32600, pairing.gasCost(new byte[384]));
        assertEquals(37700 + 3 * 32600, pairing.gasCost(new byte[3 * 384 + 5]));
    }

    @Test
    void exactLengthsOnly() {
        Precompile[] all = {g1Add, g1Msm, g2Add, g2Msm, pairing, mapG1, mapG2};
        int[] unit = {256, 160, 512, 288, 384, 64, 128};
        for (int i = 0; i < all.length; i++) {
            assertNull(all[i].execute(new byte[0]), "empty input, precompile " + i);
            assertNull(all[i].execute(new byte[unit[i] - 1]), "short input, precompile " + i);
            assertNull(all[i].execute(new byte[unit[i] + 1]), "long input, precompile " + i);
        }
        assertNull(g1Add.execute(new byte[512]));
        assertNull(mapG1.execute(new byte[128]));
        assertNotNull(g1Msm.execute(new byte[2 * 160])); // multiples are fine: infinity * 0 twice
        assertNotNull(pairing.execute(new byte[2 * 384]));
    }

    @Test
    void fieldElementsMustBeCanonical() {
        byte[] bigX = concat(fp(P), new byte[64]);
        assertNull(g1Add.execute(concat(bigX, G)));
        byte[] padded = G.clone();
        padded[0] = 1; // non-zero in the 16 padding bytes, the 48 value bytes untouched
        assertNull(g1Add.execute(concat(padded, G)));
        byte[] paddedY = G.clone();
        paddedY[64 + 15] = 1;
        assertNull(g1Msm.execute(concat(paddedY, word32(BigInteger.ONE))));
        byte[] h = H.clone();
        h[128] = (byte) 0x80; // padding of y.c0
        assertNull(g2Add.execute(concat(h, H)));

        assertNull(mapG1.execute(fp(P)));
        assertNotNull(mapG1.execute(fp(P.subtract(BigInteger.ONE))));
        byte[] u = fp(BigInteger.ONE);
        u[3] = 1;
        assertNull(mapG1.execute(u));
        assertNull(mapG2.execute(concat(fp(BigInteger.ONE), fp(P))));
        assertNull(mapG2.execute(concat(fp(P.add(BigInteger.ONE)), fp(BigInteger.ONE))));
    }

    @Test
    void pointsMustBeOnTheCurve() {
        byte[] off = G.clone();
        off[127] ^= 1;
        assertNull(g1Add.execute(concat(G, off)));
        assertNull(g1Msm.execute(concat(off, word32(BigInteger.ONE))));
        byte[] off2 = H.clone();
        off2[255] ^= 1;
        assertNull(g2Add.execute(concat(off2, H)));
        assertNull(g2Msm.execute(concat(off2, word32(BigInteger.TWO))));
        assertNull(pairing.execute(concat(off, H)));
        assertNull(pairing.execute(concat(G, off2)));
        // (0, 3) is not the infinity encoding and not on the curve ((0, +-2) are: see the next test).
        assertNull(g1Add.execute(concat(concat(new byte[64], fp(BigInteger.valueOf(3))), G)));
        assertNull(g1Add.execute(concat(G, concat(new byte[64], fp(BigInteger.ONE)))));
    }

    @Test
    void additionNeedsNoSubgroupButMsmAndPairingDo() {
        byte[] q1 = g1OutsideSubgroup();
        byte[] q2 = g2OutsideSubgroup();
        assertArrayEquals(q1, g1Add.execute(concat(q1, G1_INF)));
        assertArrayEquals(G1_INF, g1Add.execute(concat(q1, neg(q1))));
        assertArrayEquals(q2, g2Add.execute(concat(G2_INF, q2)));
        assertNull(g1Msm.execute(concat(q1, word32(BigInteger.ONE))));
        assertNull(g1Msm.execute(concat(G, word32(BigInteger.ONE), q1, new byte[32]))); // even with scalar 0
        assertNull(g2Msm.execute(concat(q2, word32(BigInteger.ONE))));
        assertNull(pairing.execute(concat(q1, H)));
        assertNull(pairing.execute(concat(q1, G2_INF))); // the other point being infinity does not excuse it
        assertNull(pairing.execute(concat(G1_INF, q2)));
    }

    @Test
    void rawG1LayoutMatchesBlst() {
        // Codec.g1FromCoordinates writes blst's struct directly; check it against blst's own parser.
        P1 g = P1.generator();
        for (int i = 0; i < 3; i++) {
            byte[] enc = Codec.encode(g);
            BigInteger x = new BigInteger(1, java.util.Arrays.copyOfRange(enc, 16, 64));
            BigInteger y = new BigInteger(1, java.util.Arrays.copyOfRange(enc, 80, 128));
            supranational.blst.P1_Affine raw = Codec.g1FromCoordinates(x, y);
            assertTrue(raw.is_equal(g.to_affine()));
            assertTrue(raw.on_curve() && raw.in_group());
            assertArrayEquals(enc, Codec.encode(new P1(raw)));
            g = g.dup().add(g.dup().dbl());
        }
    }

    @Test
    void pointsWithXZeroAreOrdinaryPoints() {
        // (0, 2) is on y^2 = x^3 + 4 and has order 3: a valid ADD input, not infinity, not in the subgroup.
        byte[] t = concat(fp(BigInteger.ZERO), fp(BigInteger.TWO));
        byte[] minusT = concat(fp(BigInteger.ZERO), fp(P.subtract(BigInteger.TWO)));
        assertArrayEquals(t, g1Add.execute(concat(t, G1_INF)));
        assertArrayEquals(minusT, g1Add.execute(concat(t, t)));
        assertArrayEquals(G1_INF, g1Add.execute(concat(t, minusT)));
        assertNull(g1Msm.execute(concat(t, word32(BigInteger.valueOf(3)))));
        assertNull(pairing.execute(concat(t, H)));
        // Should the G1 map's isogeny ever land on (0, +-2), cofactor clearing must still give infinity.
        assertTrue(MapToCurve.clearCofactorG1(BigInteger.ZERO, BigInteger.TWO).is_inf());
        assertTrue(MapToCurve.clearCofactorG1(BigInteger.ZERO, P.subtract(BigInteger.TWO)).is_inf());
        // The same on the twist when 4(1 + i) has a square root there.
        Fp2 y = Fp2.of(4, 4).sqrt();
        if (y != null) {
            byte[] t2 = concat(fp(BigInteger.ZERO), fp(BigInteger.ZERO), fp(y.c0()), fp(y.c1()));
            assertArrayEquals(t2, g2Add.execute(concat(G2_INF, t2)));
            assertArrayEquals(neg(t2), g2Add.execute(concat(t2, t2)));
            assertNull(g2Msm.execute(concat(t2, word32(BigInteger.ONE))));
        }
    }

    @Test
    void additionAndInfinity() {
        assertArrayEquals(G1_INF, g1Add.execute(new byte[256]));
        assertArrayEquals(G2_INF, g2Add.execute(new byte[512]));
        assertArrayEquals(G, g1Add.execute(concat(G1_INF, G)));
        assertArrayEquals(G1_INF, g1Add.execute(concat(G, neg(G))));
        assertArrayEquals(G2_INF, g2Add.execute(concat(neg(H), H)));
        assertArrayEquals(Codec.encode(P1.generator().dbl()), g1Add.execute(concat(G, G)));
        assertArrayEquals(Codec.encode(P2.generator().dbl()), g2Add.execute(concat(H, H)));
    }

    @Test
    void msmScalarsAreUnreduced256BitIntegers() {
        byte[] max = new byte[32];
        java.util.Arrays.fill(max, (byte) 0xff);
        BigInteger maxMod = new BigInteger(1, max).mod(R);
        assertArrayEquals(g1Msm.execute(concat(G, word32(maxMod))), g1Msm.execute(concat(G, max)));
        assertArrayEquals(g2Msm.execute(concat(H, word32(maxMod))), g2Msm.execute(concat(H, max)));
        assertArrayEquals(G1_INF, g1Msm.execute(concat(G, word32(R))));
        assertArrayEquals(G, g1Msm.execute(concat(G, word32(R.add(BigInteger.ONE)))));
        assertArrayEquals(G2_INF, g2Msm.execute(concat(H, new byte[32])));
        assertArrayEquals(H, g2Msm.execute(concat(H, word32(R.add(BigInteger.ONE)))));
    }

    @Test
    void msmHandlesRepeatedAndCancellingTerms() {
        byte[] one = word32(BigInteger.ONE);
        assertArrayEquals(Codec.encode(P1.generator().dbl()), g1Msm.execute(concat(G, one, G, one)));
        assertArrayEquals(G1_INF, g1Msm.execute(concat(G, one, neg(G), one)));
        assertArrayEquals(G1_INF, g1Msm.execute(concat(G, word32(R.subtract(BigInteger.ONE)), G, one)));
        assertArrayEquals(Codec.encode(P2.generator().dbl()), g2Msm.execute(concat(H, one, H, one)));
        assertArrayEquals(G2_INF, g2Msm.execute(concat(H, one, neg(H), one)));
        assertArrayEquals(H, g2Msm.execute(concat(G2_INF, one, H, one, H, new byte[32])));
    }

    @Test
    void msmIsTheSumOfTheProducts() {
        Random rnd = new Random(2537);
        byte[] in1 = new byte[0];
        byte[] in2 = new byte[0];
        P1 sum1 = new P1();
        P2 sum2 = new P2();
        for (int i = 0; i < 5; i++) {
            BigInteger a = new BigInteger(256, rnd);
            BigInteger s = new BigInteger(256, rnd);
            P1 p = P1.generator().mult(a);
            P2 q = P2.generator().mult(a);
            in1 = concat(in1, Codec.encode(p), word32(s));
            in2 = concat(in2, Codec.encode(q), word32(s));
            sum1 = sum1.add(p.dup().mult(s));
            sum2 = sum2.add(q.dup().mult(s));
        }
        assertArrayEquals(Codec.encode(sum1), g1Msm.execute(in1));
        assertArrayEquals(Codec.encode(sum2), g2Msm.execute(in2));
    }

    @Test
    void pairingCheck() {
        assertArrayEquals(FALSE, pairing.execute(concat(G, H)));
        assertArrayEquals(TRUE, pairing.execute(concat(G, H, neg(G), H)));
        assertArrayEquals(TRUE, pairing.execute(concat(G, H, G, neg(H))));
        assertArrayEquals(TRUE, pairing.execute(concat(G1_INF, H)));
        assertArrayEquals(TRUE, pairing.execute(concat(G, G2_INF)));
        assertArrayEquals(TRUE, pairing.execute(new byte[384]));
        assertArrayEquals(FALSE, pairing.execute(concat(G1_INF, H, G, H)));
        // Bilinearity: e(2G, 3H) * e(-6G, H) = 1.
        byte[] g2 = g1Msm.execute(concat(G, word32(BigInteger.TWO)));
        byte[] h3 = g2Msm.execute(concat(H, word32(BigInteger.valueOf(3))));
        byte[] g6 = g1Msm.execute(concat(G, word32(BigInteger.valueOf(6))));
        assertArrayEquals(TRUE, pairing.execute(concat(g2, h3, neg(g6), H)));
        assertArrayEquals(FALSE, pairing.execute(concat(g2, h3, neg(g2), H)));
    }

    @Test
    void mapsLandInTheSubgroupAndAreOdd() {
        BigInteger[] us = {BigInteger.ZERO, BigInteger.ONE, BigInteger.TWO, P.subtract(BigInteger.ONE), P.shiftRight(1)};
        for (BigInteger u : us) {
            byte[] p = mapG1.execute(fp(u));
            assertNotNull(p);
            assertTrue(Codec.g1(p, 0).in_group());
            // map(-u) = -map(u): the SWU sign follows sgn0(u), and the isogeny and cofactor clearing are homomorphisms.
            if (u.signum() != 0) { // 0 is its own negation
                byte[] minus = mapG1.execute(fp(u.negate().mod(P)));
                assertArrayEquals(G1_INF, g1Add.execute(concat(p, minus)), "u = " + u);
            }

            byte[] q = mapG2.execute(concat(fp(u), fp(BigInteger.valueOf(7))));
            assertNotNull(q);
            assertTrue(Codec.g2(q, 0).in_group());
            byte[] qMinus = mapG2.execute(concat(fp(u.negate().mod(P)), fp(P.subtract(BigInteger.valueOf(7)))));
            assertArrayEquals(G2_INF, g2Add.execute(concat(q, qMinus)), "u = " + u);
        }
        assertNotNull(mapG2.execute(new byte[128]));
        assertFalse(java.util.Arrays.equals(G1_INF, mapG1.execute(fp(BigInteger.ZERO))));
    }

    @Test
    void g1MapExceptionalInputs() {
        // den = Z^2 u^4 + Z u^2 vanishes at u = 0 and where Z u^2 = -1 (-1/11 is a square in F_p: both -1 and
        // 11 are non-squares). Both take x = B / (Z A), so they map to the same point up to sign.
        BigInteger u = Fp2.sqrt(BigInteger.valueOf(11).modInverse(P).negate().mod(P));
        assertNotNull(u);
        byte[] atZero = mapG1.execute(fp(BigInteger.ZERO));
        byte[] atU = mapG1.execute(fp(u));
        byte[] atMinusU = mapG1.execute(fp(P.subtract(u)));
        assertNotNull(atU);
        assertTrue(java.util.Arrays.equals(atZero, atU) || java.util.Arrays.equals(atZero, atMinusU));
        assertArrayEquals(G1_INF, g1Add.execute(concat(atU, atMinusU)));
    }

    @Test
    void g2CofactorClearingByPsiMatchesHEff() {
        // Points on the twist outside the subgroup, so all of h_eff matters.
        byte[] q = g2OutsideSubgroup();
        P2 point = new P2(Codec.g2(q, 0));
        for (int i = 0; i < 4; i++) {
            P2 byPsi = MapToCurve.clearCofactorG2(point);
            assertTrue(byPsi.is_equal(MapToCurve.clearCofactorG2ByScalar(point)));
            assertTrue(byPsi.to_affine().in_group());
            point = point.dup().add(point.dup().dbl()); // 3 * point, still outside the subgroup
        }
        assertTrue(MapToCurve.clearCofactorG2(new P2()).is_inf());
    }

    @Test
    void fp2SquareRoots() {
        Random rnd = new Random(9380);
        for (int i = 0; i < 200; i++) {
            Fp2 a = new Fp2(new BigInteger(381, rnd).mod(P), new BigInteger(381, rnd).mod(P));
            Fp2 sq = a.square();
            assertTrue(sq.isSquare());
            assertEquals(sq, sq.sqrt().square());
            if (i < 4) {
                assertEquals(Fp2.ONE, a.mul(a.inv0()));
            }
        }
        Fp2 nonSquare = Fp2.of(-2, -1); // the SWU Z for G2 is a non-square by construction
        assertFalse(nonSquare.isSquare());
        assertNull(nonSquare.sqrt());
        assertNull(Fp2.sqrt(P.subtract(BigInteger.ONE))); // -1 is not a square in F_p
        assertEquals(Fp2.of(-3, 0), Fp2.of(-3, 0).sqrt().square()); // c1 = 0 and c0 not a square in F_p
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void garbageNeverThrows(int seed) {
        Random rnd = new Random(seed);
        Precompile[] all = {g1Add, g1Msm, g2Add, g2Msm, pairing, mapG1, mapG2};
        int[] unit = {256, 160, 512, 288, 384, 64, 128};
        for (int round = 0; round < 50; round++) {
            for (int i = 0; i < all.length; i++) {
                byte[] in = new byte[round % 3 == 0 ? rnd.nextInt(3 * unit[i]) : unit[i] * (1 + rnd.nextInt(2))];
                rnd.nextBytes(in);
                if (round % 2 == 0) {
                    for (int off = 0; off + 64 <= in.length; off += 64) java.util.Arrays.fill(in, off, off + 16, (byte) 0);
                }
                all[i].gasCost(in);
                all[i].execute(in); // null or a result; never an exception
            }
        }
    }
}
