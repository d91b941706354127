package dev.lanes.evm.precompile.bn254;

import java.util.Arrays;

/** Input framing shared by the precompiles. */
final class Inputs {
    private Inputs() {}

    /** The input right-padded with zeros (or cut) to exactly {@code length} bytes, as EIP-196 reads it. */
    static byte[] padded(byte[] input, int length) {
        return input.length == length ? input : Arrays.copyOf(input, length);
    }

    /** A 32-byte big-endian scalar at {@code off} as little-endian 64-bit limbs. */
    static long[] scalar(byte[] in, int off) {
        long[] limbs = new long[4];
        for (int i = 0; i < 32; i++) {
            limbs[3 - i / 8] = (limbs[3 - i / 8] << 8) | (in[off + i] & 0xFF);
        }
        return limbs;
    }
}
