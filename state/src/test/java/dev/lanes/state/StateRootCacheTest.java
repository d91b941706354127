package dev.lanes.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lanes.evm.AccountChange;
import dev.lanes.evm.AccountInfo;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.UInt256;
import dev.lanes.primitives.rlp.RlpWriter;
import dev.lanes.state.trie.TrieRoot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The cached storage roots and hashed addresses of {@link WorldState#stateRoot()}: after every round of random
 * changes (storage writes and clears, resets, deletions, new accounts) to a state and to copies of it, the root
 * equals that of a state rebuilt from scratch with the same contents.
 */
class StateRootCacheTest {
    @Test void cachedRootsMatchARebuild() {
        Random r = new Random(42);
        List<Address> pool = new ArrayList<>();
        for (int i = 0; i < 40; i++) pool.add(Address.ofLow(0x1000 + i));
        WorldState s = new WorldState();
        for (int i = 0; i < 20; i++) s.put(pool.get(i), i, UInt256.of(i + 1), new byte[0], Map.of(UInt256.of(i), UInt256.ONE));
        List<WorldState> copies = new ArrayList<>();
        for (int round = 0; round < 200; round++) {
            WorldState target = copies.isEmpty() || r.nextBoolean() ? s : copies.get(r.nextInt(copies.size()));
            target.stateRoot(); // fill the caches, so the next changes must invalidate them
            List<AccountChange> changes = new ArrayList<>();
            for (int k = 0; k < 1 + r.nextInt(4); k++) {
                Address a = pool.get(r.nextInt(pool.size()));
                int kind = r.nextInt(10);
                if (kind == 0) {
                    changes.add(new AccountChange(a, null, null, false, Map.of())); // deleted
                    continue;
                }
                Map<UInt256, UInt256> st = new HashMap<>();
                // up to 40 slots per account: some accounts pass the size at which a storage trie is kept
                for (int j = 0; j < r.nextInt(12); j++) st.put(UInt256.of(r.nextInt(40)), UInt256.of(r.nextInt(3)));
                changes.add(new AccountChange(a, new AccountInfo(r.nextInt(5), UInt256.of(r.nextInt(100)), Hash.EMPTY_CODE, false),
                        null, kind == 1, st)); // kind 1: storage reset first (a re-created account)
            }
            target.apply(changes);
            if (r.nextInt(10) == 0) copies.add(target.copy());
            if (r.nextInt(6) == 0) {
                // the next block's state takes over the incremental tries; the old one must still answer right
                WorldState next = target.successor();
                copies.add(target);
                if (target == s) s = next;
                else copies.set(copies.indexOf(target), next);
                target = next;
            }
            assertEquals(referenceRoot(target), target.stateRoot(), "round " + round);
            assertEquals(rebuild(target).stateRoot(), target.stateRoot(), "round " + round);
        }
        for (WorldState c : copies) assertEquals(referenceRoot(c), c.stateRoot());
    }

    /** The root computed independently of the state's tries: every trie built from scratch by {@link TrieRoot}. */
    static Hash referenceRoot(WorldState s) {
        List<byte[]> keys = new ArrayList<>(), values = new ArrayList<>();
        for (Address a : s.addresses()) {
            List<byte[]> sk = new ArrayList<>(), sv = new ArrayList<>();
            for (Map.Entry<UInt256, UInt256> e : s.storageOf(a).entrySet()) {
                sk.add(e.getKey().toBytes());
                sv.add(new RlpWriter().writeUInt256(e.getValue()).toByteArray());
            }
            Hash storageRoot = sk.isEmpty() ? Hash.EMPTY_TRIE : TrieRoot.secure(sk, sv);
            AccountInfo i = s.account(a);
            RlpWriter w = new RlpWriter();
            w.startList();
            w.writeLong(i.nonce());
            w.writeUInt256(i.balance());
            w.writeBytes(storageRoot.unsafeBytes());
            w.writeBytes(i.codeHash().unsafeBytes());
            w.endList();
            keys.add(a.toArray());
            values.add(w.toByteArray());
        }
        return keys.isEmpty() ? Hash.EMPTY_TRIE : TrieRoot.secure(keys, values);
    }

    private static WorldState rebuild(WorldState s) {
        WorldState fresh = new WorldState();
        for (Address a : s.addresses()) {
            AccountInfo i = s.account(a);
            fresh.put(a, i.nonce(), i.balance(), new byte[0], s.storageOf(a));
        }
        return fresh;
    }
}
