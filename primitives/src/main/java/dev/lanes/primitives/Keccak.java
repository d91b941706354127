package dev.lanes.primitives;

import org.bouncycastle.jcajce.provider.digest.Keccak.Digest256;

/** Keccak-256 (the pre-standard SHA-3 padding Ethereum uses). */
public final class Keccak {
    private Keccak() {}

    public static byte[] hash(byte[] data) {
        return hash(data, 0, data.length);
    }

    public static byte[] hash(byte[] data, int off, int len) {
        Digest256 d = new Digest256();
        d.update(data, off, len);
        return d.digest();
    }

    public static Hash hashOf(byte[] data) {
        return Hash.adopt(hash(data));
    }
}
