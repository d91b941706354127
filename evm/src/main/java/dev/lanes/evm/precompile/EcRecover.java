package dev.lanes.evm.precompile;

import dev.lanes.primitives.Address;
import dev.lanes.primitives.crypto.Secp256k1;
import java.util.Arrays;

/**
 * ECRECOVER, precompile 0x01 (Yellow Paper, appendix E): input hash || v || r || s, each a 32-byte word,
 * zero-padded to 128 bytes; output the signer's address left-padded to 32 bytes.
 *
 * <p>Unlike transactions, it accepts s above n/2 (EIP-2 applies to transactions only). Invalid input is not a
 * failure of the call: it succeeds with empty output and the caller still pays the fixed price.
 */
public final class EcRecover implements Precompile {
    public static final long GAS = 3_000;
    private static final int INPUT_LENGTH = 128;

    @Override public long gasCost(byte[] input) {
        return GAS;
    }

    @Override public byte[] execute(byte[] input) {
        byte[] in = input.length == INPUT_LENGTH ? input : Arrays.copyOf(input, INPUT_LENGTH);
        // v is a full word: 27 or 28 with nothing in the upper 31 bytes.
        for (int i = 32; i < 63; i++) if (in[i] != 0) return new byte[0];
        int v = in[63] & 0xff;
        if (v != 27 && v != 28) return new byte[0];
        Address signer = Secp256k1.recoverAddress(Arrays.copyOfRange(in, 0, 32),
                Arrays.copyOfRange(in, 64, 96), Arrays.copyOfRange(in, 96, 128), v - 27);
        if (signer == null) return new byte[0];
        byte[] out = new byte[32];
        System.arraycopy(signer.unsafeBytes(), 0, out, 12, Address.LENGTH);
        return out;
    }
}
