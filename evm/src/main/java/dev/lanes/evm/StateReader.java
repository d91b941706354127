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
    /**
     * The account, or {@code null} when it does not exist. A reader may leave the balance {@code null}
     * (read lazily through {@link #balance}) and may answer {@code hasStorage} conservatively with
     * {@code true} (exactly through {@link #hasStorage}).
     */
    AccountInfo account(Address address);

    /** The account's balance (zero when it does not exist). */
    default UInt256 balance(Address address) {
        AccountInfo a = account(address);
        return a == null ? UInt256.ZERO : a.balance();
    }

    /** Whether the account's storage holds any non-zero slot (EIP-7610's collision rule). */
    default boolean hasStorage(Address address) {
        AccountInfo a = account(address);
        return a != null && a.hasStorage();
    }

    /** The code whose keccak256 is {@code codeHash}; never called with {@link Hash#EMPTY_CODE}. */
    byte[] code(Hash codeHash);

    /** A storage slot's committed value ({@link UInt256#ZERO} when unset). */
    UInt256 storage(Address address, UInt256 key);

    /**
     * Whether a transaction that reads a slot only to add to it and store the sum back may record that as a delta
     * ({@link Host#sloadForAdd}): a reader that versions storage (Block-STM's) says yes; the slot's value is then
     * still read through {@link #storageForAdd}.
     */
    default boolean storageDeltas() {
        return false;
    }

    /** {@link #storage} for a read that will probably only be added to ({@link #storageDeltas()}). */
    default UInt256 storageForAdd(Address address, UInt256 key) {
        return storage(address, key);
    }

    /** The hash of block {@code number}, or {@link Hash#ZERO} when unknown. */
    Hash blockHash(long number);
}
