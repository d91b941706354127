package dev.lanes.primitives.crypto;

/**
 * One implementation of the three curve operations Lanes needs. Callers have already checked every
 * argument's length and range (scalars in [1, n-1], recovery id in [0, 3]), so implementations only
 * report what the curve itself decides: a recovery that finds no point returns {@code null}.
 */
interface Backend {
    /** 64-byte X||Y of the signer, or {@code null} when (r, s, recId) names no valid public key. */
    byte[] recover(byte[] msgHash32, byte[] sig64, int recId);

    /** 64-byte X||Y of d·G. */
    byte[] publicKey(byte[] priv32);

    /** RFC 6979 deterministic signature r||s (64 bytes) with s in the lower half of the group order. */
    byte[] sign(byte[] msgHash32, byte[] priv32);
}
