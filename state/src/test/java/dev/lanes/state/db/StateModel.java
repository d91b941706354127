package dev.lanes.state.db;

import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Keccak;
import dev.lanes.primitives.UInt256;
import dev.lanes.state.WorldState;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * A plain model of world state for the store's tests: random blocks of account creations, updates, deletions,
 * storage writes and wipes, each turned into a {@link StateUpdate}; the expected root comes from {@link WorldState}.
 * Deterministic from its seed, so a child process and its parent generate the same blocks.
 */
final class StateModel {
    static final class Acct {
        long nonce;
        UInt256 balance = UInt256.ZERO;
        byte[] code = new byte[0];
        final TreeMap<UInt256, UInt256> storage = new TreeMap<>();
    }

    final Map<Address, Acct> accounts = new HashMap<>();
    private final Random rnd;
    private final int addresses;
    private final int slots;

    StateModel(long seed, int addresses, int slots) {
        this.rnd = new Random(seed);
        this.addresses = addresses;
        this.slots = slots;
    }

    /** Generates one block of {@code ops} random operations, applies it to the model and returns its update. */
    StateUpdate block(int ops) {
        Set<Address> touched = new HashSet<>();
        Set<Address> reset = new HashSet<>();
        Map<Address, Set<UInt256>> written = new HashMap<>();
        for (int i = 0; i < ops; i++) {
            Address a = Address.ofLow(1 + rnd.nextInt(addresses));
            touched.add(a);
            int op = rnd.nextInt(100);
            Acct acc = accounts.get(a);
            if (op < 6) {
                accounts.remove(a);
                reset.add(a);
                written.remove(a);
                continue;
            }
            if (acc == null || op < 12) {
                acc = new Acct();
                if (rnd.nextInt(4) == 0) {
                    acc.code = new byte[1 + rnd.nextInt(40)];
                    rnd.nextBytes(acc.code);
                }
                accounts.put(a, acc);
                reset.add(a);
            }
            acc.nonce += 1 + rnd.nextInt(3);
            acc.balance = UInt256.of(rnd.nextLong() & Long.MAX_VALUE);
            int writes = rnd.nextInt(3) == 0 ? 0 : 1 + rnd.nextInt(6);
            for (int w = 0; w < writes; w++) {
                UInt256 k = UInt256.of(rnd.nextInt(slots));
                UInt256 v = rnd.nextInt(4) == 0 ? UInt256.ZERO : UInt256.of((rnd.nextLong() >>> 1) >>> rnd.nextInt(63));
                if (v.isZero()) acc.storage.remove(k);
                else acc.storage.put(k, v);
                written.computeIfAbsent(a, x -> new HashSet<>()).add(k);
            }
        }
        StateUpdate u = new StateUpdate();
        for (Address a : touched) {
            Acct acc = accounts.get(a);
            if (acc == null) {
                u.account(StateUpdate.Account.deletion(a));
                continue;
            }
            Hash codeHash = acc.code.length == 0 ? Hash.EMPTY_CODE : Keccak.hashOf(acc.code);
            Map<UInt256, UInt256> s = new HashMap<>();
            boolean wipe = reset.contains(a);
            if (wipe) s.putAll(acc.storage);
            else for (UInt256 k : written.getOrDefault(a, Set.of())) s.put(k, acc.storage.getOrDefault(k, UInt256.ZERO));
            u.account(new StateUpdate.Account(a, acc.nonce, acc.balance, codeHash, false, wipe, s));
            if (acc.code.length > 0) u.code(codeHash, acc.code);
        }
        return u;
    }

    WorldState worldState() {
        WorldState ws = new WorldState();
        accounts.forEach((a, acc) -> ws.put(a, acc.nonce, acc.balance, acc.code, acc.storage));
        return ws;
    }

    Hash root() {
        return worldState().stateRoot();
    }
}
