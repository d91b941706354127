package dev.lanes.executor.workload;

import dev.lanes.evm.AccountChange;
import dev.lanes.evm.AccountInfo;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Bytes;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.UInt256;
import dev.lanes.state.WorldState;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A whole world state held as plain data, from which independent {@link WorldState} copies are made
 * ({@link WorldState} itself cannot be copied or enumerated). It starts as the genesis accounts and folds in
 * transaction write sets in order, with {@link WorldState#apply}'s semantics; {@link Setup} checks the
 * result against the state the block executor produced, root for root.
 *
 * <p>Mutated only while it is being built, on one thread; afterwards {@link #toWorldState} may be called from
 * any thread.
 */
final class Snapshot {
    private static final class Account {
        long nonce;
        UInt256 balance = UInt256.ZERO;
        Hash codeHash = Hash.EMPTY_CODE;
        final Map<UInt256, UInt256> storage = new HashMap<>();
    }

    private final LinkedHashMap<Address, Account> accounts = new LinkedHashMap<>();
    private final Map<Hash, byte[]> codes = new HashMap<>();

    /** Sets a genesis account without code or storage. */
    void put(Address address, long nonce, UInt256 balance) {
        Account a = new Account();
        a.nonce = nonce;
        a.balance = balance;
        accounts.put(address, a);
    }

    /** Folds in one transaction's write set. */
    void apply(List<AccountChange> changes) {
        for (AccountChange c : changes) {
            if (c.deleted()) {
                accounts.remove(c.address());
                continue;
            }
            Account a = accounts.get(c.address());
            if (a == null || c.storageReset()) {
                a = new Account();
                accounts.put(c.address(), a);
            }
            AccountInfo info = c.info();
            // Sequential execution on a WorldState reads every balance it changes, so write sets carry balances.
            if (info.balance() == null) throw new IllegalStateException("write set without a balance for " + c.address());
            if (c.storageAdded() != null) throw new IllegalStateException("write set with storage deltas for " + c.address());
            a.nonce = info.nonce();
            a.balance = info.balance();
            a.codeHash = info.codeHash();
            if (c.code() != null && c.code().length > 0) codes.putIfAbsent(info.codeHash(), c.code().clone());
            for (Map.Entry<UInt256, UInt256> e : c.storage().entrySet()) {
                if (e.getValue().isZero()) a.storage.remove(e.getKey());
                else a.storage.put(e.getKey(), e.getValue());
            }
        }
    }

    /** A fresh world state holding every account. */
    WorldState toWorldState() {
        WorldState s = new WorldState();
        for (Map.Entry<Address, Account> e : accounts.entrySet()) {
            Account a = e.getValue();
            byte[] code = Bytes.EMPTY;
            if (!a.codeHash.equals(Hash.EMPTY_CODE)) {
                code = codes.get(a.codeHash);
                if (code == null) throw new IllegalStateException("no code for " + e.getKey() + " (" + a.codeHash + ")");
            }
            s.put(e.getKey(), a.nonce, a.balance, code, a.storage);
        }
        return s;
    }

    int size() {
        return accounts.size();
    }
}
