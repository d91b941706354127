package dev.lanes.primitives.crypto;

import dev.lanes.primitives.Address;
import dev.lanes.primitives.Keccak;
import java.util.Arrays;

/**
 * Public-key recovery, key derivation and signing on secp256k1. All methods are static and thread-safe.
 *
 * <p>The work runs in the native libsecp256k1 when it loads. When it does not (an unsupported platform, a
 * locked-down temporary directory), a pure-Java implementation takes over and a single line on stderr says
 * so. Setting the system property {@value #FORCE_JAVA_PROPERTY} to {@code true} selects the Java
 * implementation from the start. The choice is made once, when this class initialises.
 *
 * <p>Scalars travel as 32-byte big-endian arrays. Range checks live here rather than in the back ends so
 * that both reject exactly the same inputs.
 */
public final class Secp256k1 {
    public static final String FORCE_JAVA_PROPERTY = "lanes.secp256k1.forceJava";

    /** The group order n, big-endian. */
    private static final byte[] N = dev.lanes.primitives.Hex.decode(
            "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
    /** floor(n / 2): EIP-2's bound on s, and libsecp256k1's notion of a normalised signature. */
    private static final byte[] HALF_N = dev.lanes.primitives.Hex.decode(
            "7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0");

    private static final Backend BACKEND = select(Boolean.getBoolean(FORCE_JAVA_PROPERTY));

    private Secp256k1() {}

    /** True when libsecp256k1 does the work, false when the pure-Java fallback does. */
    public static boolean usingNative() {
        return BACKEND instanceof NativeBackend;
    }

    /**
     * The signer's 64-byte public key X||Y, or {@code null} when the signature is invalid: r or s outside
     * [1, n-1], a recovery id outside [0, 3], or no curve point behind (r, recId). s above n/2 is accepted;
     * callers that enforce EIP-2 check it themselves with {@link #isLowS}.
     */
    public static byte[] recoverPublicKey(byte[] msgHash32, byte[] r32, byte[] s32, int recId) {
        return recoverPublicKey(BACKEND, msgHash32, r32, s32, recId);
    }

    /** The address of the signer (the last 20 bytes of keccak256(X||Y)), or {@code null} as above. */
    public static Address recoverAddress(byte[] msgHash32, byte[] r32, byte[] s32, int recId) {
        byte[] pub = recoverPublicKey(msgHash32, r32, s32, recId);
        return pub == null ? null : addressOf(pub);
    }

    /** The 64-byte public key X||Y of a private key in [1, n-1]. */
    public static byte[] publicKeyFromPrivate(byte[] priv32) {
        checkPrivate(priv32);
        return BACKEND.publicKey(priv32);
    }

    public static Address addressFromPrivate(byte[] priv32) {
        return addressOf(publicKeyFromPrivate(priv32));
    }

    /** keccak256(X||Y)[12..32], Ethereum's account address for a public key. */
    public static Address addressOf(byte[] publicKey64) {
        check(publicKey64, 64, "public key");
        return Address.fromWord(Keccak.hash(publicKey64), 0);
    }

    /**
     * Signs a 32-byte digest deterministically (RFC 6979) with a low s. Returns {r32, s32, {recId}} where
     * recId is the y parity of R (plus 2 in the negligible case that R.x overflowed n).
     */
    public static byte[][] sign(byte[] msgHash32, byte[] priv32) {
        return sign(BACKEND, msgHash32, priv32);
    }

    /** True when 1 <= s <= n/2, the form EIP-2 requires of transaction signatures from Homestead on. */
    public static boolean isLowS(byte[] s32) {
        check(s32, 32, "s");
        return !isZero(s32) && Arrays.compareUnsigned(s32, HALF_N) <= 0;
    }

    /** True when 1 <= v <= n-1 for a 32-byte big-endian v. */
    public static boolean isValidScalar(byte[] v32) {
        return v32.length == 32 && !isZero(v32) && Arrays.compareUnsigned(v32, N) < 0;
    }

    // ---- shared by the public API and the tests, which call it with each back end in turn ----

    static byte[] recoverPublicKey(Backend backend, byte[] msgHash32, byte[] r32, byte[] s32, int recId) {
        check(msgHash32, 32, "message hash");
        check(r32, 32, "r");
        check(s32, 32, "s");
        if (recId < 0 || recId > 3 || !isValidScalar(r32) || !isValidScalar(s32)) return null;
        byte[] sig = new byte[64];
        System.arraycopy(r32, 0, sig, 0, 32);
        System.arraycopy(s32, 0, sig, 32, 32);
        return backend.recover(msgHash32, sig, recId);
    }

    static byte[][] sign(Backend backend, byte[] msgHash32, byte[] priv32) {
        check(msgHash32, 32, "message hash");
        checkPrivate(priv32);
        byte[] sig = backend.sign(msgHash32, priv32);
        byte[] r = Arrays.copyOfRange(sig, 0, 32);
        byte[] s = Arrays.copyOfRange(sig, 32, 64);
        // Neither back end reports R's parity, so find the recovery id that gives back our own key.
        byte[] pub = backend.publicKey(priv32);
        for (int recId = 0; recId < 4; recId++) {
            if (Arrays.equals(pub, recoverPublicKey(backend, msgHash32, r, s, recId)))
                return new byte[][] {r, s, {(byte) recId}};
        }
        throw new IllegalStateException("signature does not recover its own public key");
    }

    static Backend select(boolean forceJava) {
        if (forceJava) return JavaBackend.INSTANCE;
        try {
            return new NativeBackend();
        } catch (Exception | LinkageError e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            System.err.println("lanes: native libsecp256k1 unavailable (" + cause
                    + "); falling back to the slower pure-Java secp256k1");
            return JavaBackend.INSTANCE;
        }
    }

    private static void checkPrivate(byte[] priv32) {
        check(priv32, 32, "private key");
        if (!isValidScalar(priv32)) throw new IllegalArgumentException("private key must be in [1, n-1]");
    }

    private static void check(byte[] b, int len, String what) {
        if (b == null || b.length != len)
            throw new IllegalArgumentException(what + " must be " + len + " bytes, got " + (b == null ? "null" : b.length));
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) if (x != 0) return false;
        return true;
    }
}
