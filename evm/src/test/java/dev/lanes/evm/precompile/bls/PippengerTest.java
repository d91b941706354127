package dev.lanes.evm.precompile.bls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import supranational.blst.P1;
import supranational.blst.P1_Affine;
import supranational.blst.P2;
import supranational.blst.P2_Affine;

/** Bucket MSM against one multiplication per term, on points and scalars chosen to hit edge cases. */
class PippengerTest {
    private static final BigInteger R = Codec.R;

    private static BigInteger scalar(Random rnd, int i) {
        return switch (i % 7) {
            case 0 -> R.subtract(BigInteger.ONE);
            case 1 -> BigInteger.ONE;
            case 2 -> BigInteger.ONE.shiftLeft(254);
            case 3 -> BigInteger.valueOf(rnd.nextInt(1 << 16) + 1);
            default -> new BigInteger(255, rnd).mod(R);
        };
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 31, 32, 33, 130})
    void g1MatchesPlainSum(int n) {
        Random rnd = new Random(n);
        P1_Affine[] points = new P1_Affine[n];
        long[][] limbs = new long[n][];
        P1 expected = new P1();
        P1 base = P1.generator().mult(new BigInteger(200, rnd));
        for (int i = 0; i < n; i++) {
            // Every fifth point repeats the previous one, so buckets see doublings.
            P1 p = i % 5 == 4 ? new P1(points[i - 1]) : base.dup().mult(new BigInteger(250, rnd));
            points[i] = p.to_affine();
            BigInteger s = scalar(rnd, i);
            limbs[i] = Pippenger.limbs(s);
            expected.add(p.dup().mult(s));
        }
        assertTrue(expected.is_equal(Pippenger.g1(points, limbs, n)));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 5, 32, 70})
    void g2MatchesPlainSum(int n) {
        Random rnd = new Random(100 + n);
        P2_Affine[] points = new P2_Affine[n];
        long[][] limbs = new long[n][];
        P2 expected = new P2();
        for (int i = 0; i < n; i++) {
            P2 q = i % 5 == 4 ? new P2(points[i - 1]) : P2.generator().mult(new BigInteger(250, rnd));
            points[i] = q.to_affine();
            BigInteger s = scalar(rnd, i);
            limbs[i] = Pippenger.limbs(s);
            expected.add(q.dup().mult(s));
        }
        assertTrue(expected.is_equal(Pippenger.g2(points, limbs, n)));
    }

    @Test
    void cancellingTermsGiveInfinity() {
        int n = 80;
        P1_Affine[] points = new P1_Affine[n];
        long[][] limbs = new long[n][];
        for (int i = 0; i < n; i += 2) {
            P1 p = P1.generator().mult(BigInteger.valueOf(i + 3));
            points[i] = p.to_affine();
            points[i + 1] = p.dup().neg().to_affine();
            limbs[i] = limbs[i + 1] = Pippenger.limbs(BigInteger.valueOf(1000 + i));
        }
        assertTrue(Pippenger.g1(points, limbs, n).is_inf());
    }

    @Test
    void digits() {
        long[] s = Pippenger.limbs(new BigInteger("f0e1d2c3b4a5968778695a4b3c2d1e0f00112233445566778899aabbccddeeff", 16));
        assertEquals(0xff, Pippenger.digit(s, 0, 8));
        assertEquals(0xeff, Pippenger.digit(s, 0, 12));
        assertEquals(0x2d1e0f, Pippenger.digit(s, 128, 12) | Pippenger.digit(s, 140, 12) << 12);
        assertEquals(0x1e0f0, Pippenger.digit(s, 124, 20), "straddles limbs 1 and 2");
        assertEquals(0x7, Pippenger.digit(s, 253, 3));
        assertEquals(0x7, Pippenger.digit(s, 253, 10), "bits past 255 read as zero");
        for (int n : new int[] {1, 10, 64, 128, 1000, 5000}) {
            int c = Pippenger.window(n);
            assertTrue(c >= 1 && c <= 16);
        }
    }
}
