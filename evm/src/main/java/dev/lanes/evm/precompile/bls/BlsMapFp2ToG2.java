package dev.lanes.evm.precompile.bls;

import dev.lanes.evm.precompile.Precompile;
import java.math.BigInteger;

/**
 * 0x11 BLS12_MAP_FP2_TO_G2 (EIP-2537, Prague): maps one F_p2 element (exactly 128 bytes, c0 then c1, each
 * canonically encoded) to a G2 point with the simplified SWU map, the 3-isogeny and cofactor clearing
 * ({@link MapToCurve}). Output is the 256-byte point. Gas is a flat 23800.
 */
public final class BlsMapFp2ToG2 implements Precompile {
    static final long GAS = 23_800;

    @Override
    public long gasCost(byte[] input) {
        return GAS;
    }

    @Override
    public byte[] execute(byte[] input) {
        if (input.length != Codec.FP2_LENGTH) return null;
        BigInteger c0 = Codec.fp(input, 0);
        BigInteger c1 = Codec.fp(input, Codec.FP_LENGTH);
        if (c0 == null || c1 == null) return null;
        try {
            return Codec.encode(MapToCurve.g2(new Fp2(c0, c1)));
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }
}
