package dev.lanes.evm.precompile;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** 0x02: SHA-256 of the input. 60 gas plus 12 per word. */
public final class Sha256 implements Precompile {
    @Override
    public long gasCost(byte[] input) {
        return WordGas.cost(input.length, 60, 12);
    }

    @Override
    public byte[] execute(byte[] input) {
        return digest(input);
    }

    /** SHA-256 through the JDK provider; also used by the KZG point evaluation for the versioned hash. */
    static byte[] digest(byte[] data) {
        try {
            // A fresh instance per call: MessageDigest is not thread-safe and getInstance is cheap next to hashing.
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            // Every Java SE implementation must provide SHA-256, so this is a broken runtime, not bad input.
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
