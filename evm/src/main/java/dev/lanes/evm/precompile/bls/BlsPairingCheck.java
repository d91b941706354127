package dev.lanes.evm.precompile.bls;

import dev.lanes.evm.precompile.Precompile;
import supranational.blst.P1_Affine;
import supranational.blst.P2_Affine;
import supranational.blst.PT;

/**
 * 0x0f BLS12_PAIRING_CHECK (EIP-2537, Prague): whether e(P_1, Q_1) * ... * e(P_k, Q_k) is 1 in the target group.
 * Input is k >= 1 slices of 384 bytes, a G1 point then a G2 point, each infinity or on its curve and in the
 * prime-order subgroup. Output is a 32-byte word, 1 for true and 0 for false. Gas: {@code 32600 * k + 37700}.
 *
 * <p>Pairs with an infinity point contribute 1 and are skipped after validation; the others' Miller loops are
 * multiplied together and a single final exponentiation decides.
 */
public final class BlsPairingCheck implements Precompile {
    static final long PER_PAIR_GAS = 32_600;
    static final long BASE_GAS = 37_700;
    private static final int PAIR_LENGTH = Codec.G1_LENGTH + Codec.G2_LENGTH;

    @Override
    public long gasCost(byte[] input) {
        return PER_PAIR_GAS * (input.length / PAIR_LENGTH) + BASE_GAS;
    }

    @Override
    public byte[] execute(byte[] input) {
        if (input.length == 0 || input.length % PAIR_LENGTH != 0) return null;
        try {
            PT product = null;
            for (int off = 0; off < input.length; off += PAIR_LENGTH) {
                P1_Affine p = Codec.g1(input, off);
                P2_Affine q = Codec.g2(input, off + Codec.G1_LENGTH);
                if (p == null || q == null || !p.in_group() || !q.in_group()) return null;
                if (p.is_inf() || q.is_inf()) continue;
                PT miller = new PT(p, q); // the Miller loop only; final exponentiation comes once, below
                product = product == null ? miller : product.mul(miller);
            }
            byte[] out = new byte[32];
            if (product == null || product.final_exp().is_one()) out[31] = 1;
            return out;
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }
}
