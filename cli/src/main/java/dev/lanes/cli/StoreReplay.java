package dev.lanes.cli;

import dev.lanes.evm.AccountInfo;
import dev.lanes.evm.BlockEnv;
import dev.lanes.evm.EvmThreads;
import dev.lanes.evm.ForkRules;
import dev.lanes.evm.StateReader;
import dev.lanes.evm.tx.Transaction;
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
 * ({@link Workloads}) cut into consecutive blocks, each executed by a {@link BlockExecutor} (sequential, or Block-STM
 * on several threads, with or without a read pool prefetching) on a {@link WorldState#over state over the store}: the
 * store's point reads beneath, the block's own writes above. At block end what the block touched becomes one
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

        /**
         * Loads what a commit writing this account (and slot, when not null) will read, ahead of it; nothing by default
         * (LanesDB: the newest version's trie path, {@link dev.lanes.state.db.LanesDb#warmPath}).
         */
        default void warmPath(Address a, UInt256 slot) {}
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

            @Override public void warmPath(Address a, UInt256 slot) {
                db.warmPath(a, slot);
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

    /**
     * {@code below} with the writes of {@code u} (a block whose commit may still be running) above it: an account the
     * update deleted is absent, a slot it wrote has its new value, a slot of an account it wiped or deleted is zero,
     * its codes are found; everything else is read from {@code below}. An updated account reports storage when the
     * update writes a non-zero slot, else as {@code below} does unless the update wiped it (an account whose every slot
     * the update cleared still reports storage: the same approximation as {@link WorldState#over}; it matters only to
     * EIP-7610's collision check).
     */
    static Reads over(StateUpdate u, Reads below) {
        Map<Address, StateUpdate.Account> byAddress = new HashMap<>(u.accounts().size() * 2);
        for (StateUpdate.Account a : u.accounts()) byAddress.put(a.address(), a);
        return new Reads() {
            public AccountInfo account(Address a) {
                StateUpdate.Account x = byAddress.get(a);
                if (x == null) return below.account(a);
                if (x.deleted()) return null;
                boolean storage = false;
                for (UInt256 v : x.storage().values()) {
                    if (!v.isZero()) {
                        storage = true;
                        break;
                    }
                }
                if (!storage && !x.storageReset()) {
                    AccountInfo b = below.account(a);
                    storage = b != null && b.hasStorage();
                }
                return new AccountInfo(x.nonce(), x.balance(), x.codeHash(), storage);
            }

            public UInt256 storage(Address a, UInt256 slot) {
                StateUpdate.Account x = byAddress.get(a);
                if (x == null) return below.storage(a, slot);
                UInt256 v = x.storage().get(slot);
                if (v != null) return v;
                return x.deleted() || x.storageReset() ? UInt256.ZERO : below.storage(a, slot);
            }

            public byte[] code(Hash h) {
                byte[] c = u.codes().get(h);
                return c != null ? c : below.code(h);
            }

            @Override public void warmPath(Address a, UInt256 slot) {
                below.warmPath(a, slot);
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

    /** Runs {@code task} on a thread with the deep stack nested calls need. */
    static <T> T onEvmThread(java.util.concurrent.Callable<T> task) {
        return EvmThreads.call("store-replay", task);
    }

    /**
     * A store's point reads as the {@link StateReader} beneath a {@link WorldState#over store-backed state}. BLOCKHASH
     * answers zero, as the workload's in-memory pre-state does.
     */
    static StateReader reader(Reads r) {
        return reader(r, null);
    }

    /**
     * As {@link #reader(Reads)}; with {@code warm} not null, each account and slot read from the store also has its
     * trie path loaded on {@code warm}'s pool ({@link Reads#warmPath}): a block writes mostly what it read, so its
     * commit then finds the paths in memory.
     */
    static StateReader reader(Reads r, java.util.function.Consumer<Runnable> warm) {
        return new StateReader() {
            @Override public AccountInfo account(Address a) {
                if (warm != null) warm.accept(() -> r.warmPath(a, null));
                return r.account(a);
            }

            @Override public UInt256 storage(Address a, UInt256 k) {
                if (warm != null) warm.accept(() -> r.warmPath(a, k));
                return r.storage(a, k);
            }

            @Override public byte[] code(Hash h) {
                byte[] c = r.code(h);
                if (c == null) throw new IllegalStateException("the store has no code " + h);
                return c;
            }

            @Override public Hash blockHash(long number) {
                return Hash.ZERO;
            }
        };
    }

    /** Executes block {@code b} with {@code executor} on {@code state}; an invalid block throws. */
    static BlockExecutor.Result execute(BlockExecutor executor, Blocks blocks, int b, WorldState state) {
        BlockExecutor.Result r = executor.execute(blocks.workload.header(), blocks.rules, blocks.txs.get(b), List.of(), List.of(), state,
                blocks.senders.get(b));
        if (!r.valid()) throw new IllegalStateException("replayed block " + b + " is invalid at transaction " + r.invalidTx() + ": " + r.invalidReason());
        return r;
    }

    /** An account as a block left it on the in-memory state: its header (null when deleted) and the slots written. */
    record Expected(AccountInfo info, Map<UInt256, UInt256> slots) {}

    /**
     * The reference: the blocks executed with the sequential {@link BlockExecutor} on the workload's whole pre-state in
     * memory. Per block, what it wrote ({@link Expected} by address: every account its transactions touched and the
     * slots they wrote), its gas, and its execution time in nanoseconds.
     */
    record Reference(List<Map<Address, Expected>> writes, long[] gas, long[] nanos) {}

    static Reference reference(Blocks blocks) {
        WorldState state = blocks.preState();
        int n = blocks.count();
        List<Map<Address, Expected>> writes = new ArrayList<>(n);
        long[] gas = new long[n], nanos = new long[n];
        try (BlockExecutor executor = new BlockExecutor(1)) {
            for (int b = 0; b < n; b++) {
                state.trackChanges();
                long t0 = System.nanoTime();
                gas[b] = execute(executor, blocks, b, state).gasUsed();
                nanos[b] = System.nanoTime() - t0;
                writes.add(expected(state, state.touched()));
            }
        }
        return new Reference(writes, gas, nanos);
    }

    private static Map<Address, Expected> expected(WorldState state, WorldState.Touched touched) {
        Map<Address, Expected> w = new HashMap<>();
        for (Map.Entry<Address, java.util.Set<UInt256>> e : touched.slots().entrySet()) {
            Map<UInt256, UInt256> slots = new HashMap<>();
            for (UInt256 k : e.getValue()) slots.put(k, state.storage(e.getKey(), k));
            w.put(e.getKey(), new Expected(state.account(e.getKey()), slots));
        }
        return w;
    }

    /** Null when {@code got} (a block's writes on a store-backed state) equals {@code want}, else the first difference. */
    static String diff(Map<Address, Expected> got, Map<Address, Expected> want) {
        if (!got.keySet().equals(want.keySet())) {
            return "written accounts differ: " + got.size() + " on the store, " + want.size() + " in memory";
        }
        for (Map.Entry<Address, Expected> x : want.entrySet()) {
            Address a = x.getKey();
            AccountInfo w = x.getValue().info(), g = got.get(a).info();
            if ((g == null) != (w == null) || g != null && (g.nonce() != w.nonce() || !g.balance().equals(w.balance())
                    || !g.codeHash().equals(w.codeHash()))) {
                return "account " + a + ": " + g + " on the store, " + w + " in memory";
            }
            if (!got.get(a).slots().equals(x.getValue().slots())) return "written slots of " + a + " differ";
        }
        return null;
    }

    /**
     * {@code u} without the wipes and deletions of accounts the store does not hold (an account created in the block is
     * marked as wiped; one created and deleted in it, or touched and empty, as deleted): there is nothing to wipe or
     * delete, and the RocksDB baseline supports neither.
     */
    private static StateUpdate update(StateUpdate u, Reads reads) {
        StateUpdate out = new StateUpdate();
        for (StateUpdate.Account a : u.accounts()) {
            if ((a.deleted() || a.storageReset()) && reads.account(a.address()) == null) {
                if (a.deleted()) continue;
                a = new StateUpdate.Account(a.address(), a.nonce(), a.balance(), a.codeHash(), false, false, a.storage());
            }
            out.account(a);
        }
        u.codes().forEach(out::code);
        return out;
    }

    /** What a pipelined block's commit reports when it is done: the root, the commit's time, and its root time. */
    record Committed(Hash root, long commitNanos, long rootNanos) {}

    /**
     * Replay with the commit of each block overlapped with the execution of the next: the commit runs on a thread of its
     * own while the next block executes on a state over {@link #over the committing block's update above the store}
     * (a store's reads run beside its commit and see the version before it, whole, until it switches; either way the
     * overlay answers what the block changed). Commits stay in order, one at a time: a block's commit starts once the one
     * before it is done. This is the overlap a replay allows: the next block's header is known, so it needs nothing the
     * commit computes. A sequencer sealing blocks needs each root before the next block's header, and does not do this.
     */
    static final class Pipeline implements AutoCloseable {
        private final java.util.concurrent.ExecutorService committer = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "store-commit");
            t.setDaemon(true);
            return t;
        });
        private StateUpdate pendingUpdate;
        private java.util.concurrent.Future<Committed> pending;

        /** The store's reads as the next block must see them: the pending update (if any) above them. */
        Reads reads(Reads store) {
            return pendingUpdate == null ? store : over(pendingUpdate, store);
        }

        /** Waits for the running commit, if any; returns its result (null when none ran). */
        Committed await() throws Exception {
            if (pending == null) return null;
            try {
                return pending.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof Exception x ? x : new IllegalStateException(e.getCause());
            } finally {
                pending = null;
                pendingUpdate = null;
            }
        }

        /** Starts committing {@code u} (after {@link #await}); {@code rootNanos} reads the store's root time after it. */
        java.util.concurrent.Future<Committed> start(StateUpdate u, Committer store, java.util.function.LongSupplier rootNanos) {
            if (pending != null) throw new IllegalStateException("a commit is still running");
            pendingUpdate = u;
            pending = committer.submit(() -> {
                long t0 = System.nanoTime();
                Hash root = Objects.requireNonNull(store.commit(u));
                return new Committed(root, System.nanoTime() - t0, rootNanos.getAsLong());
            });
            return pending;
        }

        @Override public void close() {
            committer.shutdown();
        }
    }

    /**
     * One pipelined block: gas, execution time, the replay's own time for it (execution, the update, waiting for the
     * commit before it, starting its own), of which the wait, its commit (a future), and what the reference check needs
     * afterwards (the state and what the block touched).
     */
    record PipelinedBlock(long gas, long execNanos, long loopNanos, long waitNanos, java.util.concurrent.Future<Committed> commit,
                          int accounts, int slots, WorldState state, WorldState.Touched touched) {}

    /**
     * Replays block {@code b} in {@code pipe}: executes it on a state over {@link Pipeline#reads the store and the
     * previous block's pending update}, waits for that block's commit, starts its own and returns (its commit runs on).
     * The reference check is left to {@link #check}, after the timing.
     */
    static PipelinedBlock replayBlockPipelined(BlockExecutor executor, Blocks blocks, int b, Reads store, Committer committer,
                                               java.util.function.LongSupplier rootNanos, dev.lanes.state.ReadPool warmPool,
                                               Pipeline pipe) throws Exception {
        Reads reads = pipe.reads(store);
        Executed x = executeOver(executor, blocks, b, reads, warmPool);
        WorldState state = x.state();
        WorldState.Touched touched = state.touched();
        long gas = x.gas(), t0 = x.startNanos(), t1 = x.endNanos();
        StateUpdate u = update(StateUpdate.of(state, touched), reads);
        long w0 = System.nanoTime();
        pipe.await();
        long w1 = System.nanoTime();
        java.util.concurrent.Future<Committed> f = pipe.start(u, committer, rootNanos);
        long t2 = System.nanoTime();
        return new PipelinedBlock(gas, t1 - t0, t2 - t0, w1 - w0, f, u.accounts().size(), u.slotCount(), state, touched);
    }

    /** A block executed over a store: its state (changes tracked), gas, and when execution started and ended. */
    private record Executed(WorldState state, long gas, long startNanos, long endNanos) {}

    /**
     * Executes block {@code b} with {@code executor} on a new {@link WorldState#over state over} {@code reads}; with
     * {@code warmPool} not null the trie path of every key read from the store is loaded on that pool meanwhile
     * ({@link #reader(Reads, java.util.function.Consumer)}), and what is still queued at the end is dropped.
     */
    private static Executed executeOver(BlockExecutor executor, Blocks blocks, int b, Reads reads, dev.lanes.state.ReadPool warmPool) {
        dev.lanes.state.ReadPool.Batch[] warm = new dev.lanes.state.ReadPool.Batch[1];
        WorldState state = WorldState.over(reader(reads, warmPool == null ? null : task -> warm[0].submit(task)));
        if (warmPool != null) warm[0] = warmPool.batch(state);
        state.trackChanges();
        long t0 = System.nanoTime();
        long gas;
        try {
            gas = execute(executor, blocks, b, state).gasUsed();
        } finally {
            if (warm[0] != null) warm[0].cancel();
        }
        return new Executed(state, gas, t0, System.nanoTime());
    }

    /** Checks a pipelined block's gas and writes against the reference. */
    static void check(PipelinedBlock p, int b, Reference ref) {
        if (ref.gas[b] != p.gas()) throw new IllegalStateException("block " + b + " used " + p.gas() + " gas on the store, " + ref.gas[b] + " in memory");
        String d = diff(expected(p.state(), p.touched()), ref.writes.get(b));
        if (d != null) throw new IllegalStateException("block " + b + " on the store differs from in memory: " + d);
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
     * Replays block {@code b} on a store: executes it with {@code executor} on a new {@link WorldState#over state over
     * the store's reads} (nothing is held from the block before: every account, slot and code the block uses is read
     * from the store, or by the executor's read pool when it prefetches), commits what the block touched, and checks
     * its gas and writes against the reference when one is given.
     */
    static BlockTiming replayBlock(BlockExecutor executor, Blocks blocks, int b, Reads reads, Committer store, Reference ref) throws Exception {
        return replayBlock(executor, blocks, b, reads, store, ref, null);
    }

    /**
     * As {@link #replayBlock(BlockExecutor, Blocks, int, Reads, Committer, Reference)}; with {@code warmPool} not null,
     * the trie path of every key read from the store is loaded on that pool while the block executes
     * ({@link #reader(Reads, java.util.function.Consumer)}); what is still queued when execution ends is dropped.
     */
    static BlockTiming replayBlock(BlockExecutor executor, Blocks blocks, int b, Reads reads, Committer store, Reference ref,
                                   dev.lanes.state.ReadPool warmPool) throws Exception {
        Executed x = executeOver(executor, blocks, b, reads, warmPool);
        WorldState state = x.state();
        WorldState.Touched touched = state.touched();
        long gas = x.gas(), t0 = x.startNanos(), t1 = x.endNanos();
        StateUpdate u = update(StateUpdate.of(state, touched), reads);
        Hash root = store.commit(u);
        long t2 = System.nanoTime();
        if (ref != null) {
            if (ref.gas[b] != gas) throw new IllegalStateException("block " + b + " used " + gas + " gas on the store, " + ref.gas[b] + " in memory");
            String d = diff(expected(state, touched), ref.writes.get(b));
            if (d != null) throw new IllegalStateException("block " + b + " on the store differs from in memory: " + d);
        }
        return new BlockTiming(gas, t1 - t0, t2 - t0, Objects.requireNonNull(root), u.accounts().size(), u.slotCount());
    }
}
