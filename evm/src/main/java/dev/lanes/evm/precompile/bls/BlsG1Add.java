package dev.lanes.evm.precompile.bls;

import dev.lanes.evm.precompile.Precompile;
import supranational.blst.P1;
import supranational.blst.P1_Affine;

/**
 * 0x0b BLS12_G1ADD (EIP-2537, Prague): the sum of two G1 points. Input is exactly 256 bytes, two encoded points;
 * each must be infinity or on the curve, but need not be in the prime-order subgroup. Output is the 128-byte sum.
 * Gas is a flat 375.
 */
public final class BlsG1Add implements Precompile {
    static final long GAS = 375;

    @Override
    public long gasCost(byte[] input) {
        return GAS;
    }

    @Override
    public byte[] execute(byte[] input) {
        if (input.length != 2 * Codec.G1_LENGTH) return null;
        try {
            P1_Affine a = Codec.g1(input, 0);
            P1_Affine b = Codec.g1(input, Codec.G1_LENGTH);
            if (a == null || b == null) return null;
            return Codec.encode(new P1(a).add(b));
        } catch (RuntimeException | LinkageError e) {
            return null; // only a native library that cannot load gets here; failing the call is the safe answer
        }
    }
}
