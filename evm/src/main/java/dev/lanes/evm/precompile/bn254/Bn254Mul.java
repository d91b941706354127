package dev.lanes.evm.precompile.bn254;

import dev.lanes.evm.precompile.Precompile;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * Precompile 0x07, ECMUL (EIP-196): a G1 point times a scalar. The input is read as if right-padded with
 * zeros to 96 bytes: the point, then a 256-bit big-endian scalar taken as is (it may exceed the group order;
 * the result is the same as for the scalar reduced mod r). The price is flat: 40000 gas from Byzantium,
 * 6000 from Istanbul (EIP-1108).
 */
public final class Bn254Mul implements Precompile {
    private static final int INPUT_LENGTH = 96;

    private final long gas;

    public Bn254Mul(long gas) {
        this.gas = gas;
    }

    @Override
    public long gasCost(byte[] input) {
        return gas;
    }

    @Override
    public byte[] execute(byte[] input) {
        byte[] in = Inputs.padded(input, INPUT_LENGTH);
        JacobianPoint<Fp> p = G1.decode(in, 0);
        if (p == null) {
            return null;
        }
        return G1.encode(Glv.mul(p, new BigInteger(1, Arrays.copyOfRange(in, 64, 96))));
    }
}
