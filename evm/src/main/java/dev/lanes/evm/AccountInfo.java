package dev.lanes.evm;

import dev.lanes.primitives.Hash;
import dev.lanes.primitives.UInt256;

/**
 * An account's header as state stores it. {@code hasStorage} tells whether its storage is non-empty,
 * which CREATE's address-collision rule (EIP-7610) needs without reading every slot.
 */
public record AccountInfo(long nonce, UInt256 balance, Hash codeHash, boolean hasStorage) {
    public boolean hasCode() {
        return !codeHash.equals(Hash.EMPTY_CODE);
    }
}
