package dev.lanes.evm.precompile;

import ethereum.ckzg4844.CKZG4844JNI;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * 0x0a KZG point evaluation (EIP-4844): proves that the blob committed to by {@code commitment} evaluates to
 * {@code y} at {@code z}.
 *
 * <p>Input is exactly 192 bytes: {@code versioned_hash} (32), {@code z} (32), {@code y} (32), {@code commitment}
 * (48), {@code proof} (48). The versioned hash must be {@code 0x01 || sha256(commitment)[1:]} and the proof must
 * verify against the mainnet trusted setup; otherwise the input is invalid. On success the output is
 * {@code FIELD_ELEMENTS_PER_BLOB} and {@code BLS_MODULUS}, each a 32-byte big-endian word. Gas is a flat 50000.
 *
 * <p>Verification is c-kzg's, through its JNI binding; see {@link KzgTrustedSetup} for how it is loaded. Where the
 * native library cannot load, every call is treated as invalid (and said so once on stderr): failing the call is
 * the only answer that cannot accept a false proof.
 */
public final class PointEvaluation implements Precompile {
    private static final long GAS = 50_000;
    private static final int INPUT_LENGTH = 192;
    private static final byte VERSION_KZG = 0x01;
    static final int FIELD_ELEMENTS_PER_BLOB = 4096;
    static final BigInteger BLS_MODULUS =
            new BigInteger("73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001", 16);
    private static final byte[] RESULT = result();

    @Override
    public long gasCost(byte[] input) {
        return GAS;
    }

    @Override
    public byte[] execute(byte[] input) {
        if (input.length != INPUT_LENGTH) return null;
        byte[] commitment = slice(input, 96, 48);
        byte[] hash = Sha256.digest(commitment);
        hash[0] = VERSION_KZG;
        if (!Arrays.equals(hash, 0, 32, input, 0, 32)) return null;
        if (!KzgTrustedSetup.ensureLoaded()) return null;
        boolean valid;
        try {
            valid = CKZG4844JNI.verifyKzgProof(commitment, slice(input, 32, 32), slice(input, 64, 32), slice(input, 144, 48));
        } catch (RuntimeException e) {
            // c-kzg throws for inputs that do not decode: z or y not below BLS_MODULUS, a commitment or proof
            // that is not a valid compressed G1 point in the subgroup. All are invalid inputs, not faults.
            return null;
        }
        return valid ? RESULT.clone() : null;
    }

    private static byte[] slice(byte[] input, int offset, int length) {
        byte[] out = new byte[length];
        System.arraycopy(input, offset, out, 0, length);
        return out;
    }

    private static byte[] result() {
        byte[] out = new byte[64];
        out[30] = (byte) (FIELD_ELEMENTS_PER_BLOB >>> 8);
        out[31] = (byte) FIELD_ELEMENTS_PER_BLOB;
        byte[] modulus = BLS_MODULUS.toByteArray(); // 32 bytes: the top bit is clear, so no sign byte
        System.arraycopy(modulus, 0, out, 64 - modulus.length, modulus.length);
        return out;
    }
}
