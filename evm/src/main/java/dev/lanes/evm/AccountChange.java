package dev.lanes.evm;

import dev.lanes.primitives.Address;
import dev.lanes.primitives.UInt256;
import java.util.Map;

/**
 * One account's net effect of a transaction: the write set the state (or multi-version memory) applies.
 * {@code info == null} means the account is deleted (self-destructed, or empty and touched under
 * EIP-161). {@code code} is non-null only when code was deployed. {@code storageReset} means the account
 * was created by this transaction, so no earlier storage survives. {@code balanceDelta}, when non-null,
 * means the transaction never read the balance and only added to it: the new balance is the balance
 * before the transaction plus this amount ({@code info.balance()} is then null). {@code storageAdded}, when
 * non-null, names slots of {@code storage} that the transaction only added to (read once by an SLOAD that fed an ADD
 * stored back, see {@code StorageAdds}): each slot's new value is its value before the transaction plus the amount
 * given here (mod 2^256), and the value in {@code storage} is that sum for the value the transaction read, which a
 * parallel executor may have read from a version that was not the final one. Only a reader that versions storage
 * ({@link StateReader#storageDeltas()}) gets such write sets.
 */
public record AccountChange(Address address, AccountInfo info, byte[] code, boolean storageReset,
                            Map<UInt256, UInt256> storage, UInt256 balanceDelta, Map<UInt256, UInt256> storageAdded) {
    public AccountChange(Address address, AccountInfo info, byte[] code, boolean storageReset, Map<UInt256, UInt256> storage) {
        this(address, info, code, storageReset, storage, null, null);
    }

    public AccountChange(Address address, AccountInfo info, byte[] code, boolean storageReset,
                         Map<UInt256, UInt256> storage, UInt256 balanceDelta) {
        this(address, info, code, storageReset, storage, balanceDelta, null);
    }

    public boolean deleted() {
        return info == null;
    }
}
