package dev.lanes.evm.precompile.bn254;

import java.util.Arrays;

/** Input framing shared by the precompiles. */
final class Inputs {
    private Inputs() {}

    /** The input right-padded with zeros (or cut) to exactly {@code length} bytes, as EIP-196 reads it. */
    static byte[] padded(byte[] input, int length) {
        return input.length == length ? input : Arrays.copyOf(input, length);
    }
}
