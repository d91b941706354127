package dev.lanes.cli;

import dev.lanes.evm.AccountChange;
import dev.lanes.evm.AccountInfo;
import dev.lanes.evm.BlockEnv;
import dev.lanes.evm.EvmThreads;
import dev.lanes.evm.ForkRules;
import dev.lanes.evm.StateReader;
import dev.lanes.evm.interpreter.Evm;
import dev.lanes.evm.tx.Transaction;
import dev.lanes.evm.tx.TransactionProcessor;
import dev.lanes.evm.tx.TxResult;
import dev.lanes.executor.BlockExecutor;
import dev.lanes.executor.workload.Workload;
import dev.lanes.executor.workload.Workloads;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.UInt256;
import dev.lanes.state.WorldState;
import dev.lanes.state.db.StateUpdate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ForkJoinPool;

/**
 * Block replay over a state store, for {@code lanes bench store}: the transactions of a generated workload
 * ({@link Workloads}) cut into consecutive blocks, each executed in order with {@link TransactionProcessor} over an
 * {@link Overlay}: the store's point reads beneath, the block's own writes above. At block end the overlay becomes one
 * {@link StateUpdate} for the store's commit.
 *
 * <p>The workload is built as one block of {@code blocks * txsPerBlock} transactions and cut into consecutive runs of
 * {@code txsPerBlock}: executing them in order, block after block, is executing the one block (its senders are
 * distinct or in nonce order, and the state carries over), under the workload's header (Prague, base fee 7 wei; its gas
 * limit covers the whole). Senders are recovered once when the blocks are prepared, outside any timing.
 */
final class StoreReplay {
    private StoreReplay() {}

    /** A store's point reads, beneath the overlay. */
    interface Reads {
        /** The account, or null. */
        AccountInfo account(Address a);

        UInt256 storage(Address a, UInt256 slot);

        /** The code with this hash (never called with the empty code's hash). */
        byte[] code(Hash h);
    }

    /** LanesDB's point reads. */
    static Reads reads(dev.lanes.state.db.LanesDb db) {
        return new Reads() {
            public AccountInfo account(Address a) {
                return db.account(a);
            }

            public UInt256 storage(Address a, UInt256 slot) {
                return db.storage(a, slot);
            }

            public byte[] code(Hash h) {
                return db.code(h);
            }
        };
    }

    /** The RocksDB baseline's point reads (its flat entries). */
    static Reads reads(RocksStateStore db) {
        return new Reads() {
            public AccountInfo account(Address a) {
                try {
                    return db.account(a);
                } catch (org.rocksdb.RocksDBException e) {
                    throw new IllegalStateException(e);
                }
            }

            public UInt256 storage(Address a, UInt256 slot) {
                try {
                    return db.storage(a, slot);
                } catch (org.rocksdb.RocksDBException e) {
                    throw new IllegalStateException(e);
                }
            }

            public byte[] code(Hash h) {
                try {
                    return db.code(h);
                } catch (org.rocksdb.RocksDBException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }

    /** The prepared blocks: the workload's pre-state, header, rules and its transactions cut into blocks. */
    record Blocks(Workload workload, ForkRules rules, BlockEnv env, List<List<Transaction>> txs, List<Address[]> senders) {
        int count() {
            return txs.size();
        }

        WorldState preState() {
            return workload.preState().get();
        }
    }

    /**
     * Builds workload {@code name} with {@code blocks * txsPerBlock} transactions from {@code seed} and cuts it into
     * blocks; recovers every sender.
     */
    static Blocks prepare(String name, int blocks, int txsPerBlock, long seed) {
        Workload w = Workloads.build(name, Math.multiplyExact(blocks, txsPerBlock), seed);
        ForkRules rules = ForkRules.of(w.fork());
        BlockExecutor.SenderError[] error = new BlockExecutor.SenderError[1];
        Address[] all = BlockExecutor.recoverSenders(w.transactions(), w.fork(), ForkJoinPool.commonPool(), error);
        if (error[0] != null) throw new IllegalStateException("workload transaction " + error[0].index() + ": " + error[0].message());
        List<List<Transaction>> txs = new ArrayList<>(blocks);
        List<Address[]> senders = new ArrayList<>(blocks);
        for (int b = 0; b < blocks; b++) {
            int from = b * txsPerBlock, to = from + txsPerBlock;
            txs.add(w.transactions().subList(from, to));
            senders.add(java.util.Arrays.copyOfRange(all, from, to));
        }
        return new Blocks(w, rules, BlockExecutor.blockEnv(w.header(), rules), txs, senders);
    }

    /** The whole of {@code state} as one update (every account, its slots and code), to load it into a store. */
    static StateUpdate load(WorldState state) {
        StateUpdate u = new StateUpdate();
        for (Address a : state.addresses()) {
            AccountInfo info = state.account(a);
            u.account(new StateUpdate.Account(a, info.nonce(), info.balance(), info.codeHash(), false, false,
                    new HashMap<>(state.storageOf(a))));
            if (info.hasCode()) u.code(info.codeHash(), state.code(info.codeHash()));
        }
        return u;
    }

    /**
     * Executes one block's transactions in order over {@code state}, handing each write set to {@code apply} before
     * the next runs; returns the gas used. Every transaction must be valid (an invalid one throws).
     */
    static long execute(Evm evm, Blocks blocks, int block, StateReader state, java.util.function.Consumer<List<AccountChange>> apply) {
        List<Transaction> txs = blocks.txs.get(block);
        Address[] senders = blocks.senders.get(block);
        long gas = 0;
        for (int i = 0; i < txs.size(); i++) {
            TxResult r = TransactionProcessor.execute(evm, txs.get(i), senders[i], blocks.env, state, blocks.rules, null);
            apply.accept(r.changes());
            gas += r.gasUsed();
        }
        return gas;
    }

    /** Runs {@code task} on a thread with the deep stack nested calls need. */
    static <T> T onEvmThread(java.util.concurrent.Callable<T> task) {
        return EvmThreads.call("store-replay", task);
    }

    /**
     * A block's writes over a store's reads: a {@link StateReader} that answers from the writes of the transactions
     * applied so far ({@link #apply}, with {@link WorldState#apply}'s semantics) and otherwise from the store. Code is
     * kept in memory by hash once read (immutable, as clients cache it); accounts and slots not written in the block
     * are read from the store every time they are asked for.
     *
     * <p>{@code hasStorage} of an account the block wrote is the store's answer (or, for one created in the block,
     * whether it wrote a non-zero slot) or-ed with whether the block wrote a non-zero slot: a block that clears every
     * slot of an account still reports storage (only EIP-7610's create-collision rule asks, for an address that would
     * need code or a nonce as well to matter; the workloads create no contracts in their blocks).
     */
    static final class Overlay implements StateReader {
        private static final class Entry {
            boolean deleted, reset, hasStorage;
            long nonce;
            UInt256 balance;
            Hash codeHash;
            HashMap<UInt256, UInt256> slots;
        }

        private final Reads base;
        private final HashMap<Address, Entry> writes = new HashMap<>();
        private final HashMap<Hash, byte[]> newCode = new HashMap<>();
        private final HashMap<Hash, byte[]> codeCache = new HashMap<>();

        Overlay(Reads base) {
            this.base = base;
        }

        @Override public AccountInfo account(Address a) {
            Entry e = writes.get(a);
            if (e == null) return base.account(a);
            return e.deleted ? null : new AccountInfo(e.nonce, e.balance, e.codeHash, e.hasStorage);
        }

        @Override public boolean hasStorage(Address a) {
            Entry e = writes.get(a);
            if (e == null) {
                AccountInfo info = base.account(a);
                return info != null && info.hasStorage();
            }
            return !e.deleted && e.hasStorage;
        }

        @Override public UInt256 storage(Address a, UInt256 key) {
            Entry e = writes.get(a);
            if (e == null) return base.storage(a, key);
            if (e.deleted) return UInt256.ZERO;
            UInt256 v = e.slots == null ? null : e.slots.get(key);
            if (v != null) return v;
            return e.reset ? UInt256.ZERO : base.storage(a, key);
        }

        @Override public byte[] code(Hash h) {
            byte[] c = newCode.get(h);
            if (c != null) return c;
            c = codeCache.get(h);
            if (c == null) {
                c = base.code(h);
                if (c == null) throw new IllegalStateException("the store has no code " + h);
                codeCache.put(h, c);
            }
            return c;
        }

        @Override public Hash blockHash(long number) {
            return Hash.ZERO; // as the workload's in-memory pre-state answers
        }

        /** Applies one transaction's write set. */
        void apply(List<AccountChange> changes) {
            for (int i = 0, n = changes.size(); i < n; i++) {
                AccountChange c = changes.get(i);
                Entry e = writes.get(c.address());
                if (c.deleted()) {
                    if (e == null) writes.put(c.address(), e = new Entry());
                    e.deleted = true;
                    e.reset = true;
                    e.hasStorage = false;
                    if (e.slots != null) e.slots.clear();
                    continue;
                }
                UInt256 prior = null;
                if (c.balanceDelta() != null) {
                    if (e == null) prior = base.account(c.address()) instanceof AccountInfo b ? b.balance() : UInt256.ZERO;
                    else prior = e.deleted ? UInt256.ZERO : e.balance;
                }
                if (e == null) writes.put(c.address(), e = new Entry());
                if (c.storageReset() || e.deleted) {
                    e.reset = true;
                    if (e.slots != null) e.slots.clear();
                }
                e.deleted = false;
                AccountInfo info = c.info();
                e.nonce = info.nonce();
                e.balance = prior != null ? prior.add(c.balanceDelta()) : info.balance();
                e.codeHash = info.codeHash();
                if (c.code() != null && c.code().length > 0) newCode.putIfAbsent(info.codeHash(), c.code());
                boolean nonZero = false;
                if (!c.storage().isEmpty()) {
                    if (e.slots == null) e.slots = new HashMap<>();
                    for (Map.Entry<UInt256, UInt256> s : c.storage().entrySet()) {
                        e.slots.put(s.getKey(), s.getValue());
                        nonZero |= !s.getValue().isZero();
                    }
                }
                e.hasStorage = info.hasStorage() || nonZero;
            }
        }

        /**
         * The block's writes as one update. An account created and deleted within the block is left out; a storage
         * wipe is kept only for an account the store holds (there is nothing to wipe otherwise).
         */
        StateUpdate update() {
            StateUpdate u = new StateUpdate();
            for (Map.Entry<Address, Entry> x : writes.entrySet()) {
                Address a = x.getKey();
                Entry e = x.getValue();
                if (e.deleted) {
                    if (base.account(a) != null) u.account(StateUpdate.Account.deletion(a));
                    continue;
                }
                boolean reset = e.reset && base.account(a) != null;
                u.account(new StateUpdate.Account(a, e.nonce, e.balance, e.codeHash, false, reset,
                        e.slots == null ? Map.of() : e.slots));
                byte[] code = newCode.get(e.codeHash);
                if (code != null) u.code(e.codeHash, code);
            }
            return u;
        }

        /** Forgets the block's writes (after its commit); the code cache stays. */
        void clear() {
            writes.clear();
            newCode.clear();
        }

        /**
         * Checks this block's writes against {@code expected} (what the same block wrote on an in-memory state): the
         * same accounts and slots written, with the same values. Returns null when they agree, else the first difference.
         */
        String diff(Map<Address, Expected> expected) {
            if (!expected.keySet().equals(writes.keySet())) {
                return "written accounts differ: " + writes.size() + " here, " + expected.size() + " in memory";
            }
            for (Map.Entry<Address, Entry> x : writes.entrySet()) {
                Address a = x.getKey();
                Expected want = expected.get(a);
                AccountInfo got = account(a);
                if ((got == null) != (want.info == null) || got != null && (got.nonce() != want.info.nonce()
                        || !got.balance().equals(want.info.balance()) || !got.codeHash().equals(want.info.codeHash()))) {
                    return "account " + a + ": " + got + " here, " + want.info + " in memory";
                }
                java.util.Set<UInt256> keys = x.getValue().slots == null ? java.util.Set.of() : x.getValue().slots.keySet();
                if (!keys.equals(want.slots.keySet())) return "written slots of " + a + " differ";
                for (Map.Entry<UInt256, UInt256> s : want.slots.entrySet()) {
                    if (!storage(a, s.getKey()).equals(s.getValue())) {
                        return "slot " + s.getKey() + " of " + a + ": " + storage(a, s.getKey()) + " here, " + s.getValue() + " in memory";
                    }
                }
            }
            return null;
        }
    }

    /** An account as a block left it on the in-memory state: its header (null when deleted) and the slots written. */
    record Expected(AccountInfo info, Map<UInt256, UInt256> slots) {}

    /**
     * The reference: the blocks executed on the workload's in-memory pre-state, with the same loop. Per block, what it
     * wrote ({@link Expected} by address), its gas, and its execution time in nanoseconds.
     */
    record Reference(List<Map<Address, Expected>> writes, long[] gas, long[] nanos) {}

    static Reference reference(Blocks blocks) {
        WorldState state = blocks.preState();
        Evm evm = new Evm();
        int n = blocks.count();
        List<Map<Address, Expected>> writes = new ArrayList<>(n);
        long[] gas = new long[n], nanos = new long[n];
        for (int b = 0; b < n; b++) {
            Map<Address, java.util.Set<UInt256>> touched = new HashMap<>();
            long t0 = System.nanoTime();
            gas[b] = execute(evm, blocks, b, state, changes -> {
                state.apply(changes);
                for (AccountChange c : changes) {
                    java.util.Set<UInt256> s = touched.computeIfAbsent(c.address(), x -> new java.util.HashSet<>());
                    if (c.deleted()) s.clear();
                    else if (c.storageReset()) s.clear();
                    if (!c.deleted()) s.addAll(c.storage().keySet());
                }
            });
            nanos[b] = System.nanoTime() - t0;
            Map<Address, Expected> w = new HashMap<>();
            for (Map.Entry<Address, java.util.Set<UInt256>> e : touched.entrySet()) {
                Map<UInt256, UInt256> slots = new HashMap<>();
                for (UInt256 k : e.getValue()) slots.put(k, state.storage(e.getKey(), k));
                w.put(e.getKey(), new Expected(state.account(e.getKey()), slots));
            }
            writes.add(w);
        }
        return new Reference(writes, gas, nanos);
    }

    /**
     * One replayed block on a store: gas, execution time, execution + commit (with the root) time, the root, and the
     * accounts and slots its update wrote.
     */
    record BlockTiming(long gas, long execNanos, long totalNanos, Hash root, int accounts, int slots) {}

    /** A store's commit, as the bench sees it. */
    interface Committer {
        Hash commit(StateUpdate u) throws Exception;
    }

    /**
     * Replays block {@code b} on a store: executes it over {@code overlay} (the store beneath), commits the writes,
     * checks them against the reference when one is given, and clears the overlay.
     */
    static BlockTiming replayBlock(Evm evm, Blocks blocks, int b, Overlay overlay, Committer store, Reference ref) throws Exception {
        long t0 = System.nanoTime();
        long gas = execute(evm, blocks, b, overlay, overlay::apply);
        long t1 = System.nanoTime();
        StateUpdate u = overlay.update();
        Hash root = store.commit(u);
        long t2 = System.nanoTime();
        if (ref != null) {
            if (ref.gas[b] != gas) throw new IllegalStateException("block " + b + " used " + gas + " gas on the store, " + ref.gas[b] + " in memory");
            String d = overlay.diff(ref.writes.get(b));
            if (d != null) throw new IllegalStateException("block " + b + " on the store differs from in memory: " + d);
        }
        overlay.clear();
        return new BlockTiming(gas, t1 - t0, t2 - t0, Objects.requireNonNull(root), u.accounts().size(), u.slotCount());
    }
}
