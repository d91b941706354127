package dev.lanes.evm.precompile.bls;

import dev.lanes.evm.precompile.Precompile;
import supranational.blst.P2;
import supranational.blst.P2_Affine;

/**
 * 0x0d BLS12_G2ADD (EIP-2537, Prague): the sum of two G2 points. Input is exactly 512 bytes, two encoded points;
 * each must be infinity or on the twist, but need not be in the prime-order subgroup. Output is the 256-byte
 * sum. Gas is a flat 600.
 */
public final class BlsG2Add implements Precompile {
    static final long GAS = 600;

    @Override
    public long gasCost(byte[] input) {
        return GAS;
    }

    @Override
    public byte[] execute(byte[] input) {
        if (input.length != 2 * Codec.G2_LENGTH) return null;
        try {
            P2_Affine a = Codec.g2(input, 0);
            P2_Affine b = Codec.g2(input, Codec.G2_LENGTH);
            if (a == null || b == null) return null;
            return Codec.encode(new P2(a).add(b));
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }
}
