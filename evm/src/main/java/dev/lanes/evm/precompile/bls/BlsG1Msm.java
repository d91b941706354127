package dev.lanes.evm.precompile.bls;

import dev.lanes.evm.precompile.Precompile;
import java.math.BigInteger;
import supranational.blst.P1;
import supranational.blst.P1_Affine;

/**
 * 0x0c BLS12_G1MSM (EIP-2537, Prague): sum of s_i * P_i over k >= 1 pairs, each a 128-byte G1 point followed by
 * a 32-byte big-endian scalar (any 256-bit value; it need not be below the group order). Every point must be
 * infinity or on the curve and in the prime-order subgroup. Input length must be a positive multiple of 160.
 * Gas: {@code k * 12000 * discount(k) / 1000} with the EIP's G1 table (see {@link MsmPricing}).
 *
 * <p>Scalars are reduced mod r (the points are in the subgroup). Below {@link Pippenger#THRESHOLD} non-trivial
 * terms the sum is one blst scalar multiplication per term; from there on, {@link Pippenger} bucketing.
 */
public final class BlsG1Msm implements Precompile {
    static final long MULTIPLICATION_GAS = 12_000;
    private static final int PAIR_LENGTH = Codec.G1_LENGTH + Codec.SCALAR_LENGTH;

    @Override
    public long gasCost(byte[] input) {
        return MsmPricing.gas(input.length, PAIR_LENGTH, MULTIPLICATION_GAS, MsmPricing.G1_DISCOUNTS);
    }

    @Override
    public byte[] execute(byte[] input) {
        if (input.length == 0 || input.length % PAIR_LENGTH != 0) return null;
        try {
            int k = input.length / PAIR_LENGTH;
            P1_Affine[] points = new P1_Affine[k];
            BigInteger[] scalars = new BigInteger[k];
            int n = 0;
            for (int off = 0; off < input.length; off += PAIR_LENGTH) {
                P1_Affine p = Codec.g1(input, off);
                if (p == null || !p.in_group()) return null;
                // p is in the order-r subgroup, so s and s mod r give the same product; below r, blst can use its
                // GLV multiplication, where a full 256-bit scalar would take its slower generic path.
                BigInteger s = Codec.scalar(input, off + Codec.G1_LENGTH).mod(Codec.R);
                if (s.signum() == 0 || p.is_inf()) continue;
                points[n] = p;
                scalars[n++] = s;
            }
            if (n >= Pippenger.THRESHOLD) {
                long[][] limbs = new long[n][];
                for (int i = 0; i < n; i++) limbs[i] = Pippenger.limbs(scalars[i]);
                return Codec.encode(Pippenger.g1(points, limbs, n));
            }
            P1 sum = new P1();
            for (int i = 0; i < n; i++) sum.add(new P1(points[i]).mult(scalars[i])); // blst updates the receiver
            return Codec.encode(sum);
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }
}
