package dev.lanes.evm.precompile;

import org.bouncycastle.crypto.digests.RIPEMD160Digest;

/** 0x03: RIPEMD-160 of the input, left-padded with zeros to a 32-byte word. 600 gas plus 120 per word. */
public final class Ripemd160 implements Precompile {
    @Override
    public long gasCost(byte[] input) {
        return WordGas.cost(input.length, 600, 120);
    }

    @Override
    public byte[] execute(byte[] input) {
        RIPEMD160Digest digest = new RIPEMD160Digest();
        digest.update(input, 0, input.length);
        byte[] out = new byte[32];
        // The 20-byte digest goes in the low-order bytes, as if it were a number in a 256-bit word.
        digest.doFinal(out, 32 - digest.getDigestSize());
        return out;
    }
}
