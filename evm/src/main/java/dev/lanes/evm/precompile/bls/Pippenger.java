package dev.lanes.evm.precompile.bls;

import java.math.BigInteger;
import java.util.Arrays;
import supranational.blst.P1;
import supranational.blst.P1_Affine;
import supranational.blst.P2;
import supranational.blst.P2_Affine;

/**
 * Bucket (Pippenger) multi-scalar multiplication over blst's point additions, for scalars below 2^255 (reduced
 * mod r). Each c-bit window of the scalars sorts the points into 2^c - 1 buckets by that window's digit, then
 * sum_j j * bucket_j comes from two running sums; windows combine by c doublings each. The cost is about
 * (255 / c) * (n + 2^(c+1)) additions, against n full scalar multiplications for the plain method, so it pays
 * only for larger n ({@link #THRESHOLD}).
 */
final class Pippenger {
    /**
     * From this many non-trivial terms on, bucketing beats one blst multiplication per term: measured crossovers
     * (one shared 2-core development machine) were near 24 terms for G1 and 28 for G2; at 1024 terms bucketing
     * took 31% (G1) and 37% (G2) of the time.
     */
    static final int THRESHOLD = 32;
    private static final int SCALAR_BITS = 255;

    private Pippenger() {}

    /** Four little-endian 64-bit limbs of {@code s}, which is below 2^256. */
    static long[] limbs(BigInteger s) {
        long[] out = new long[4];
        for (int i = 0; i < 4; i++) out[i] = s.shiftRight(64 * i).longValue();
        return out;
    }

    /** The window width minimising (255 / c) * (n + 2^(c+1)). */
    static int window(int n) {
        int best = 1;
        long bestCost = Long.MAX_VALUE;
        for (int c = 1; c <= 16; c++) {
            long cost = (long) ((SCALAR_BITS + c - 1) / c) * (n + (2L << c));
            if (cost < bestCost) {
                bestCost = cost;
                best = c;
            }
        }
        return best;
    }

    /** Bits [start, start + width) of the scalar, width <= 16. */
    static int digit(long[] s, int start, int width) {
        int limb = start >>> 6;
        int shift = start & 63;
        long v = s[limb] >>> shift;
        if (shift + width > 64 && limb + 1 < s.length) v |= s[limb + 1] << (64 - shift);
        return (int) (v & ((1L << width) - 1));
    }

    static P1 g1(P1_Affine[] points, long[][] scalars, int n) {
        int c = window(n);
        int windows = (SCALAR_BITS + c - 1) / c;
        P1[] buckets = new P1[(1 << c) - 1];
        P1 acc = new P1();
        for (int w = windows - 1; w >= 0; w--) {
            for (int i = 0; i < c && w != windows - 1; i++) acc.dbl(); // blst updates the receiver in place
            Arrays.fill(buckets, null);
            for (int i = 0; i < n; i++) {
                int d = digit(scalars[i], w * c, c);
                if (d == 0) continue;
                if (buckets[d - 1] == null) buckets[d - 1] = new P1(points[i]);
                else buckets[d - 1].add(points[i]);
            }
            P1 running = new P1();
            P1 sum = new P1();
            for (int j = buckets.length - 1; j >= 0; j--) {
                if (buckets[j] != null) running.add(buckets[j]);
                sum.add(running);
            }
            acc.add(sum);
        }
        return acc;
    }

    static P2 g2(P2_Affine[] points, long[][] scalars, int n) {
        int c = window(n);
        int windows = (SCALAR_BITS + c - 1) / c;
        P2[] buckets = new P2[(1 << c) - 1];
        P2 acc = new P2();
        for (int w = windows - 1; w >= 0; w--) {
            for (int i = 0; i < c && w != windows - 1; i++) acc.dbl();
            Arrays.fill(buckets, null);
            for (int i = 0; i < n; i++) {
                int d = digit(scalars[i], w * c, c);
                if (d == 0) continue;
                if (buckets[d - 1] == null) buckets[d - 1] = new P2(points[i]);
                else buckets[d - 1].add(points[i]);
            }
            P2 running = new P2();
            P2 sum = new P2();
            for (int j = buckets.length - 1; j >= 0; j--) {
                if (buckets[j] != null) running.add(buckets[j]);
                sum.add(running);
            }
            acc.add(sum);
        }
        return acc;
    }
}
