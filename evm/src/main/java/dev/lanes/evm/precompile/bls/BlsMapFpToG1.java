package dev.lanes.evm.precompile.bls;

import dev.lanes.evm.precompile.Precompile;
import java.math.BigInteger;

/**
 * 0x10 BLS12_MAP_FP_TO_G1 (EIP-2537, Prague): maps one F_p element (exactly 64 bytes, canonically encoded) to a
 * G1 point with the simplified SWU map, the 11-isogeny and cofactor clearing ({@link MapToCurve}). Output is
 * the 128-byte point. Gas is a flat 5500.
 */
public final class BlsMapFpToG1 implements Precompile {
    static final long GAS = 5_500;

    @Override
    public long gasCost(byte[] input) {
        return GAS;
    }

    @Override
    public byte[] execute(byte[] input) {
        if (input.length != Codec.FP_LENGTH) return null;
        BigInteger u = Codec.fp(input, 0);
        if (u == null) return null;
        try {
            return Codec.encode(MapToCurve.g1(u));
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }
}
