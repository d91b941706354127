package dev.lanes.evm.precompile.bn254;

import dev.lanes.evm.precompile.Precompile;

/**
 * Precompile 0x06, ECADD (EIP-196): the sum of two G1 points. The input is read as if right-padded with
 * zeros to 128 bytes (bytes past 128 are ignored); invalid points (a coordinate not below p, or a point off
 * the curve) make the call fail. The price is flat: 500 gas from Byzantium, 150 from Istanbul (EIP-1108).
 */
public final class Bn254Add implements Precompile {
    private static final int INPUT_LENGTH = 128;

    private final long gas;

    public Bn254Add(long gas) {
        this.gas = gas;
    }

    @Override
    public long gasCost(byte[] input) {
        return gas;
    }

    @Override
    public byte[] execute(byte[] input) {
        byte[] in = Inputs.padded(input, INPUT_LENGTH);
        JacobianPoint<Fp> a = G1.decode(in, 0);
        JacobianPoint<Fp> b = G1.decode(in, 64);
        if (a == null || b == null) {
            return null;
        }
        return G1.encode(a.add(b));
    }
}
