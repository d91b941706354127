package dev.lanes.state.db;

import dev.lanes.evm.AccountInfo;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.UInt256;
import dev.lanes.state.WorldState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything one block changes, handed to {@link LanesDb#commit} at block end: per account its new header (or its
 * deletion), whether its old storage is wiped first, and the slots written (zero deletes); and new code by hash.
 */
public final class StateUpdate {
    /**
     * One account's change. {@code storageReset}: the old storage is dropped before {@code storage} applies (an
     * account created anew). {@code deleted}: the account and its storage go; the other fields are ignored.
     */
    public record Account(Address address, long nonce, UInt256 balance, Hash codeHash, boolean deleted,
                          boolean storageReset, Map<UInt256, UInt256> storage) {
        public static Account deletion(Address a) {
            return new Account(a, 0, UInt256.ZERO, Hash.EMPTY_CODE, true, true, Map.of());
        }
    }

    final List<Account> accounts = new ArrayList<>();
    final Map<Hash, byte[]> codes = new HashMap<>();

    public StateUpdate account(Account a) {
        accounts.add(a);
        return this;
    }

    public StateUpdate code(Hash hash, byte[] code) {
        codes.put(hash, code);
        return this;
    }

    public List<Account> accounts() {
        return accounts;
    }

    public Map<Hash, byte[]> codes() {
        return codes;
    }

    public int slotCount() {
        int n = 0;
        for (Account a : accounts) n += a.storage.size();
        return n;
    }

    /**
     * The update that brings a store holding the pre-state to {@code post}, from what the block touched
     * ({@link WorldState#touched()}; a superset is fine, unchanged values are not rewritten).
     */
    public static StateUpdate of(WorldState post, WorldState.Touched touched) {
        StateUpdate u = new StateUpdate();
        Set<Address> whole = touched.wholeStorage();
        for (Map.Entry<Address, Set<UInt256>> e : touched.slots().entrySet()) {
            Address a = e.getKey();
            AccountInfo info = post.account(a);
            if (info == null) {
                u.account(Account.deletion(a));
                continue;
            }
            Map<UInt256, UInt256> slots = new HashMap<>();
            boolean reset = whole.contains(a);
            if (reset) slots.putAll(post.storageOf(a));
            else for (UInt256 k : e.getValue()) slots.put(k, post.storage(a, k));
            u.account(new Account(a, info.nonce(), info.balance(), info.codeHash(), false, reset, slots));
            if (info.hasCode()) u.code(info.codeHash(), post.code(info.codeHash()));
        }
        return u;
    }
}
