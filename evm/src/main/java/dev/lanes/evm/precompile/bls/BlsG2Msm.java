package dev.lanes.evm.precompile.bls;

import dev.lanes.evm.precompile.Precompile;
import java.math.BigInteger;
import supranational.blst.P2;
import supranational.blst.P2_Affine;

/**
 * 0x0e BLS12_G2MSM (EIP-2537, Prague): sum of s_i * Q_i over k >= 1 pairs, each a 256-byte G2 point followed by
 * a 32-byte big-endian scalar (not reduced). Every point must be infinity or on the twist and in the prime-order
 * subgroup. Input length must be a positive multiple of 288. Gas: {@code k * 22500 * discount(k) / 1000} with
 * the EIP's G2 table (see {@link MsmPricing}).
 *
 * <p>Scalars are reduced mod r (the points are in the subgroup). Below {@link Pippenger#THRESHOLD} non-trivial
 * terms the sum is one blst scalar multiplication per term; from there on, {@link Pippenger} bucketing.
 */
public final class BlsG2Msm implements Precompile {
    static final long MULTIPLICATION_GAS = 22_500;
    private static final int PAIR_LENGTH = Codec.G2_LENGTH + Codec.SCALAR_LENGTH;

    @Override
    public long gasCost(byte[] input) {
        return MsmPricing.gas(input.length, PAIR_LENGTH, MULTIPLICATION_GAS, MsmPricing.G2_DISCOUNTS);
    }

    @Override
    public byte[] execute(byte[] input) {
        if (input.length == 0 || input.length % PAIR_LENGTH != 0) return null;
        try {
            int k = input.length / PAIR_LENGTH;
            P2_Affine[] points = new P2_Affine[k];
            BigInteger[] scalars = new BigInteger[k];
            int n = 0;
            for (int off = 0; off < input.length; off += PAIR_LENGTH) {
                P2_Affine q = Codec.g2(input, off);
                if (q == null || !q.in_group()) return null;
                // q is in the order-r subgroup, so s and s mod r give the same product; below r, blst can use its
                // GLV multiplication, where a full 256-bit scalar would take its slower generic path.
                BigInteger s = Codec.scalar(input, off + Codec.G2_LENGTH).mod(Codec.R);
                if (s.signum() == 0 || q.is_inf()) continue;
                points[n] = q;
                scalars[n++] = s;
            }
            if (n >= Pippenger.THRESHOLD) {
                long[][] limbs = new long[n][];
                for (int i = 0; i < n; i++) limbs[i] = Pippenger.limbs(scalars[i]);
                return Codec.encode(Pippenger.g2(points, limbs, n));
            }
            P2 sum = new P2();
            for (int i = 0; i < n; i++) sum.add(new P2(points[i]).mult(scalars[i])); // blst updates the receiver
            return Codec.encode(sum);
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }
}
