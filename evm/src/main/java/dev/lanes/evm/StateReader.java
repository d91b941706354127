package dev.lanes.evm;

import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.UInt256;

/**
 * The one seam beneath the interpreter: everything the EVM ever reads from committed state goes
 * through these four methods. The {@link Journal} buffers all writes on top of it, so a reader never
 * sees a write. The state module implements it over stored state; the parallel executor implements it
 * over multi-version memory and records where each read came from.
 */
public interface StateReader {
    /** The account, or {@code null} when it does not exist. */
    AccountInfo account(Address address);

    /** The code whose keccak256 is {@code codeHash}; never called with {@link Hash#EMPTY_CODE}. */
    byte[] code(Hash codeHash);

    /** A storage slot's committed value ({@link UInt256#ZERO} when unset). */
    UInt256 storage(Address address, UInt256 key);

    /** The hash of block {@code number}, or {@link Hash#ZERO} when unknown. */
    Hash blockHash(long number);
}
