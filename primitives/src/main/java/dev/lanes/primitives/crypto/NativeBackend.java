package dev.lanes.primitives.crypto;

import fr.acinq.secp256k1.Secp256k1Exception;
import java.util.Arrays;

/**
 * libsecp256k1 through the secp256k1-kmp JNI binding. Its context is created once by the binding and is
 * safe for concurrent use, since none of these calls mutate it.
 */
final class NativeBackend implements Backend {
    private final fr.acinq.secp256k1.Secp256k1 lib;

    /** Loads the shared library and proves it works; throws when either fails. */
    NativeBackend() {
        lib = fr.acinq.secp256k1.Secp256k1.Companion.get();
        byte[] one = new byte[32];
        one[31] = 1;
        if (publicKey(one).length != 64) throw new IllegalStateException("libsecp256k1 self-test failed");
    }

    @Override public byte[] recover(byte[] msgHash32, byte[] sig64, int recId) {
        try {
            return dropPrefix(lib.ecdsaRecover(sig64, msgHash32, recId));
        } catch (Secp256k1Exception e) {
            return null; // no curve point with x = r, or the recovered point is infinity
        }
    }

    @Override public byte[] publicKey(byte[] priv32) {
        return dropPrefix(lib.pubkeyCreate(priv32));
    }

    @Override public byte[] sign(byte[] msgHash32, byte[] priv32) {
        // libsecp256k1 signs with RFC 6979 nonces and always returns the low-s form.
        return lib.sign(msgHash32, priv32, null); // no extra entropy: pure RFC 6979
    }

    /** The binding returns SEC 1 uncompressed points, 0x04 || X || Y. */
    private static byte[] dropPrefix(byte[] uncompressed65) {
        if (uncompressed65.length != 65 || uncompressed65[0] != 4)
            throw new IllegalStateException("unexpected public key encoding from libsecp256k1");
        return Arrays.copyOfRange(uncompressed65, 1, 65);
    }
}
