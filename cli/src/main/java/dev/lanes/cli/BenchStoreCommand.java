package dev.lanes.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lanes.evm.AccountInfo;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.UInt256;
import dev.lanes.state.db.LanesDb;
import dev.lanes.state.db.StateUpdate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lanes bench store}: the same state workload on LanesDB and on RocksDB (the standard hash-keyed trie plus flat
 * state, {@link RocksStateStore}), with the state roots of the two compared after every block.
 *
 * <p>Workload: {@code --accounts N} accounts, every hundredth a contract with 100 slots (so N slots in all), loaded in
 * blocks of 50,000 accounts; then for each block size U, {@code --blocks} blocks of U updates: U/2 balance and nonce
 * changes of distinct random accounts and U/2 writes of random slots of random contracts (a slot in [0, 110): mostly
 * updates, some inserts, 5% deletions). Every commit is durable when it returns (fsync) in both stores.
 *
 * <p>Replay: then the pre-state of a generated workload ({@code --replay-workload}, built once from the seed) is
 * committed into each store as one block, and {@code --replay-blocks} blocks of {@code --replay-txs} of its
 * transactions are executed one after the other ({@link StoreReplay}): every account, slot and code the execution
 * reads comes from the store (through an overlay holding the block's own writes; code is cached by hash once read),
 * and each block's writes are committed and its root computed. Reported per store: Mgas/s end to end (execution,
 * commit and root) and of execution alone, the median over the blocks after {@code --replay-warmup}. Each block's
 * writes and gas are checked against the same blocks executed on the workload's pre-state in memory, and the two
 * stores' roots against each other.
 */
@Command(name = "store", mixinStandardHelpOptions = true,
        description = {"LanesDB vs RocksDB (hash-keyed trie + flat state) on the same state workload: load, commit blocks,"
                + " point reads; then a replay of generated blocks (--replay-workload) executed with every account, slot and"
                + " code read from the store, each block committed with its root: Mgas/s end to end and of execution alone.",
                "The state roots of the two stores are compared after every block; each replayed block's writes and gas are"
                + " checked against the same block executed in memory."})
final class BenchStoreCommand implements Callable<Integer> {
    @Option(names = "--accounts", description = "Accounts in the state (default: ${DEFAULT-VALUE}).")
    int accounts = 1_000_000;
    @Option(names = "--blocks", description = "Measured blocks per block size (default: ${DEFAULT-VALUE}).")
    int blocks = 20;
    @Option(names = "--updates-per-block", split = ",", description = "Block sizes in updates, comma-separated (default: 10000,100000).")
    int[] sizes = {10_000, 100_000};
    @Option(names = "--reads", description = "Random point reads for the warm figure (default: ${DEFAULT-VALUE}).")
    int reads = 200_000;
    @Option(names = "--threads", description = "Threads each store may use to load and hash (default: the processors).")
    int threads = Runtime.getRuntime().availableProcessors();
    @Option(names = "--dir", description = "Where the two stores are created (default: a new folder under /tmp; deleted afterwards).")
    Path dir;
    @Option(names = "--keep", description = "Keep the stores' files.")
    boolean keep;
    @Option(names = "--seed", description = "Workload seed (default: ${DEFAULT-VALUE}).")
    long seed = 1;
    @Option(names = "--only", description = "Run one store (lanesdb or rocksdb) and no root comparison, for profiling.")
    String only;
    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;
    @Option(names = "--lanes-compact-budget", description = "LanesDB's compaction budget: trie nodes a commit may copy forward"
            + " out of a mostly dead segment at most; 0 turns compaction off (default: LanesDB's own, 20000).")
    Integer compactBudget;
    @Option(names = "--lanes-compact-per-write", description = "LanesDB's compaction pace: nodes a commit may copy forward"
            + " per node it writes itself (at least " + LanesDb.Options.COMPACT_FLOOR + ", at most the budget); 0 lifts"
            + " this bound, so that every compacting commit copies the whole budget (default: LanesDB's own, 2).")
    Double compactPerWrite;
    @Option(names = "--lanes-background-compaction", arity = "1", description = "LanesDB copies nodes forward on a thread"
            + " of its own between commits (true, the default) or only inside commits (false).")
    boolean backgroundCompaction = true;
    @Option(names = "--block-gap-ms", description = "Pause between measured commits, in milliseconds, standing in for the"
            + " execution of the next block (when a node's store is idle and its compactor works); not timed (default: 0).")
    int blockGapMs;
    @Option(names = "--replay-workload", description = "Workload replayed on each store after the commit blocks: one of "
            + "transfers, transfers-hot, erc20, erc20-hot, uniswap, uniswap-hot, mixed, dependent, chain (default: ${DEFAULT-VALUE}).")
    String replayWorkload = "mixed";
    @Option(names = "--replay-blocks", description = "Replayed blocks, warm-up included; 0 skips the replay (default: ${DEFAULT-VALUE}).")
    int replayBlocks = 8;
    @Option(names = "--replay-txs", description = "Transactions per replayed block (default: ${DEFAULT-VALUE}).")
    int replayTxs = 500;
    @Option(names = "--replay-warmup", description = "Replayed blocks left out of the figures (default: ${DEFAULT-VALUE}).")
    int replayWarmup = 2;
    @Option(names = "--replay-threads", description = "Execution threads for the replayed blocks: 1 runs them sequentially, more"
            + " with Block-STM (default: ${DEFAULT-VALUE}).")
    int replayThreads = 1;
    @Option(names = "--replay-prefetch", description = "What a read pool loads from the store ahead of execution: none, keys"
            + " (senders, recipients and their code, access lists) or execute (keys, then a speculative run of each"
            + " transaction) (default: ${DEFAULT-VALUE}).")
    String replayPrefetch = "none";
    @Option(names = "--replay-read-threads", description = "Threads of the read pool that prefetches (default: ${DEFAULT-VALUE}).")
    int replayReadThreads = 16;
    @Option(names = "--replay-warm-paths", description = "While a replayed block executes, a read pool loads the trie path of"
            + " every key it reads from the store, for its commit (LanesDB; RocksDB ignores it).")
    boolean replayWarmPaths;
    @Option(names = "--replay-async-reads", arity = "1", description = "With --replay-threads above 1 and a read pool"
            + " (--replay-prefetch keys|execute or --replay-warm-paths), Block-STM suspends a transaction whose read is not"
            + " loaded yet instead of waiting for the store (default: ${DEFAULT-VALUE}).")
    boolean replayAsyncReads;
    @Option(names = "--replay-cold", description = "Flush and reopen each store after the replay's pre-state commit (RocksDB's"
            + " memtable and block cache then no longer hold it), and drop the store's files from the OS page cache before"
            + " each replayed block, so its reads go to the disk (LanesDB's flat index stays in memory: it is its design).")
    boolean replayCold;
    @Option(names = "--lanes-cached-records", description = "Records LanesDB keeps in the process after reading them"
            + " (0: none; default: the store's default).")
    Integer cachedRecords;
    @Option(names = "--replay-pipeline", description = "Commit each replayed block (state root, writes, sync) on a thread of its"
            + " own while the next block executes over the store with the committing block's writes above it. A block's"
            + " figure is then the replay's own time for it: execution plus any wait for the commit before it.")
    boolean replayPipeline;

    private static final int LOAD_CHUNK = 50_000, SLOTS = 100, SLOT_RANGE = 110;

    /** The deterministic workload; each store gets its own instance from the same seed. */
    final class Workload {
        final long[] nonce = new long[accounts];
        final Random rnd = new Random(seed);

        Address address(int i) {
            return Address.ofLow(i + 1);
        }

        boolean isContract(int i) {
            return i % 100 == 0;
        }

        int contracts() {
            return (accounts + 99) / 100;
        }

        StateUpdate load(int from, int to) {
            StateUpdate u = new StateUpdate();
            for (int i = from; i < to; i++) {
                Map<UInt256, UInt256> s = new HashMap<>();
                if (isContract(i)) for (int k = 0; k < SLOTS; k++) s.put(UInt256.of(k), UInt256.of(1 + rnd.nextInt(1 << 30)));
                u.account(new StateUpdate.Account(address(i), 0, UInt256.of(1_000_000_000L + rnd.nextInt(1 << 30)), Hash.EMPTY_CODE, false, false, s));
            }
            return u;
        }

        /** One block of {@code updates} updates; returns it with {@code counted[0]} = accounts + slots written. */
        StateUpdate block(int updates, long[] counted) {
            Map<Integer, Map<UInt256, UInt256>> slots = new HashMap<>();
            for (int k = 0; k < updates / 2; k++) {
                int c = rnd.nextInt(contracts()) * 100;
                UInt256 v = rnd.nextInt(20) == 0 ? UInt256.ZERO : UInt256.of(1 + rnd.nextInt(1 << 30));
                slots.computeIfAbsent(c, x -> new HashMap<>()).put(UInt256.of(rnd.nextInt(SLOT_RANGE)), v);
            }
            Set<Integer> touched = new HashSet<>(slots.keySet());
            int target = touched.size() + (updates - updates / 2);
            while (touched.size() < Math.min(target, accounts)) touched.add(rnd.nextInt(accounts));
            StateUpdate u = new StateUpdate();
            long n = 0;
            Integer[] order = touched.toArray(Integer[]::new);
            Arrays.sort(order);
            for (int i : order) {
                nonce[i]++;
                Map<UInt256, UInt256> s = slots.getOrDefault(i, Map.of());
                n += 1 + s.size();
                u.account(new StateUpdate.Account(address(i), nonce[i], UInt256.of(1 + rnd.nextInt(1 << 30)), Hash.EMPTY_CODE, false, false, s));
            }
            counted[0] = n;
            return u;
        }
    }

    /** What the bench needs of a store. */
    interface Store extends AutoCloseable {
        Hash commit(long version, StateUpdate u) throws Exception;

        long rootNanos();

        long bytesWritten();

        void settle() throws Exception;

        AccountInfo account(Address a) throws Exception;

        UInt256 storage(Address a, UInt256 slot) throws Exception;

        Store reopen() throws Exception;

        /** The store's point reads, for replay. */
        StoreReplay.Reads reads();

        /** Trie nodes the store's compaction has copied forward so far (LanesDB; 0 for RocksDB, whose compaction runs in the background). */
        default long relocatedNodes() {
            return 0;
        }

        /** Trie nodes the store has written so far, relocated ones included (LanesDB; 0 for RocksDB). */
        default long writtenNodes() {
            return 0;
        }

        @Override void close();
    }

    static final class Lanes implements Store {
        final Path dir;
        final LanesDb.Options opts;
        final LanesDb db;

        Lanes(Path dir, LanesDb.Options opts) {
            this.dir = dir;
            this.opts = opts;
            this.db = LanesDb.open(dir, opts);
        }

        public Hash commit(long v, StateUpdate u) {
            return db.commit(v, u);
        }

        public long rootNanos() {
            return db.lastRootNanos();
        }

        public long bytesWritten() {
            return db.stats().bytesWritten();
        }

        public void settle() {}

        public AccountInfo account(Address a) {
            return db.account(a);
        }

        public UInt256 storage(Address a, UInt256 s) {
            return db.storage(a, s);
        }

        public Store reopen() {
            db.close();
            return new Lanes(dir, opts);
        }

        public long relocatedNodes() {
            return db.stats().relocatedNodes();
        }

        public long writtenNodes() {
            return db.stats().writtenNodes();
        }

        public StoreReplay.Reads reads() {
            return StoreReplay.reads(db);
        }

        public void close() {
            db.close();
        }
    }

    static final class Rocks implements Store {
        final Path dir;
        final int threads;
        final RocksStateStore db;

        Rocks(Path dir, int threads, Hash root) throws Exception {
            this.dir = dir;
            this.threads = threads;
            this.db = new RocksStateStore(dir, threads);
            if (root != null) db.setRoot(root);
        }

        public Hash commit(long v, StateUpdate u) throws Exception {
            return db.commit(u);
        }

        public long rootNanos() {
            return db.lastRootNanos;
        }

        public long bytesWritten() {
            return db.bytesWritten();
        }

        public void settle() throws Exception {
            db.settle();
        }

        public AccountInfo account(Address a) throws Exception {
            return db.account(a);
        }

        public UInt256 storage(Address a, UInt256 s) throws Exception {
            return db.storage(a, s);
        }

        public Store reopen() throws Exception {
            Hash r = db.root();
            db.close();
            return new Rocks(dir, threads, r);
        }

        public StoreReplay.Reads reads() {
            return StoreReplay.reads(db);
        }

        public void close() {
            db.close();
        }
    }

    /** Bytes this process caused to be written to storage so far (Linux {@code /proc/self/io}), or -1. */
    static long osWriteBytes() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/io"))) if (l.startsWith("write_bytes:")) return Long.parseLong(l.substring(12).trim());
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    /** Milliseconds the JVM's collectors have spent so far. */
    static long gcMillis() {
        long t = 0;
        for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) t += Math.max(0, gc.getCollectionTime());
        return t;
    }

    static long dirBytes(Path d) throws IOException {
        try (var s = Files.walk(d)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    static double pct(List<Double> xs, double p) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(Comparator.naturalOrder());
        return s.get(Math.min(s.size() - 1, (int) Math.ceil(p * s.size()) - 1));
    }

    private ObjectNode run(String name, Path path, List<Hash> roots, ObjectMapper om, StoreReplay.Blocks replay,
                           StoreReplay.Reference ref) throws Exception {
        boolean first = roots.isEmpty();
        ObjectNode r = om.createObjectNode();
        Store s = name.equals("lanesdb") ? new Lanes(path, lanesOptions()) : new Rocks(path, threads, null);
        Workload w = new Workload();
        long version = 0;
        long t0 = System.nanoTime();
        for (int from = 0; from < accounts; from += LOAD_CHUNK) {
            Hash root = s.commit(version, w.load(from, Math.min(accounts, from + LOAD_CHUNK)));
            check(roots, first, version++, root, name);
        }
        s.settle();
        r.put("load_s", (System.nanoTime() - t0) / 1e9);
        ArrayNode bySize = r.putArray("by_block_size");
        for (int size : sizes) {
            s.settle();
            long b0 = s.bytesWritten(), o0 = osWriteBytes(), updates = 0, g0 = gcMillis();
            List<Double> commits = new ArrayList<>(), rootTimes = new ArrayList<>();
            List<Long> disk = new ArrayList<>();
            long[] counted = new long[1];
            for (int b = 0; b < blocks; b++) {
                StateUpdate u = w.block(size, counted);
                updates += counted[0];
                long c0 = System.nanoTime();
                Hash root = s.commit(version, u);
                commits.add((System.nanoTime() - c0) / 1e6);
                rootTimes.add(s.rootNanos() / 1e6);
                check(roots, first, version++, root, name);
                disk.add(dirBytes(path)); // after the timed commit: the space a long run holds, block by block
                if (blockGapMs > 0) Thread.sleep(blockGapMs);
            }
            s.settle();
            long b1 = s.bytesWritten(), o1 = osWriteBytes(), g1 = gcMillis();
            ObjectNode z = bySize.addObject();
            z.put("updates_per_block", size);
            z.put("blocks", blocks);
            z.put("commit_p50_ms", pct(commits, 0.5));
            z.put("commit_p99_ms", pct(commits, 0.99));
            z.put("root_ms", pct(rootTimes, 0.5));
            z.put("bytes_per_update", (double) (b1 - b0) / updates);
            if (o0 >= 0) z.put("os_bytes_per_update", (double) (o1 - o0) / updates);
            z.put("gc_ms", g1 - g0);
            ArrayNode each = z.putArray("commit_ms");
            for (double c : commits) each.add(Math.round(c * 10) / 10.0);
            ArrayNode diskMb = z.putArray("disk_mb");
            for (long d : disk) diskMb.add(Math.round(d / 1e5) / 10.0);
        }
        long r0 = System.nanoTime();
        s = s.reopen();
        r.put("reopen_ms", (System.nanoTime() - r0) / 1e6);
        Random rr = new Random(seed + 7);
        r.put("reads_cold_per_s", reads(s, w, rr, Math.min(20_000, reads)));
        r.put("reads_per_s", reads(s, w, rr, reads));
        if (replay != null) {
            Store[] st = {s};
            long v0 = version;
            ObjectNode rp = StoreReplay.onEvmThread(() -> replay(st, v0, replay, ref, roots, first, name, om));
            s = st[0];
            version += 1 + replay.count();
            r.set("replay", rp);
            for (String f : List.of("replay_mgas_per_s", "replay_exec_mgas_per_s")) r.set(f, rp.get(f.replace("replay_", "")));
        }
        if (s instanceof Lanes l) {
            LanesDb.Stats st = l.db.stats();
            r.put("index_memory_bytes", st.indexMemoryBytes());
            r.put("index_keys", st.accountKeys() + st.storageKeys());
            r.put("relocated_nodes", st.relocatedNodes());
        }
        s.close();
        r.put("disk_bytes", dirBytes(path));
        ObjectNode first10k = (ObjectNode) bySize.get(0);
        for (String f : List.of("bytes_per_update", "commit_p50_ms", "commit_p99_ms", "root_ms")) r.set(f, first10k.get(f));
        return r;
    }

    /**
     * The replay on one store: the workload's pre-state as one commit (version {@code version}), then each block
     * executed over the store and committed.
     */
    private ObjectNode replay(Store[] holder, long version, StoreReplay.Blocks blocks, StoreReplay.Reference ref, List<Hash> roots,
                              boolean first, String name, ObjectMapper om) throws Exception {
        Store s0 = holder[0];
        ObjectNode r = om.createObjectNode();
        long t0 = System.nanoTime();
        check(roots, first, version, s0.commit(version, StoreReplay.load(blocks.preState())), name);
        r.put("pre_state_commit_ms", (System.nanoTime() - t0) / 1e6);
        if (replayCold) {
            // The workload's state was just written: RocksDB would serve it from its memtable and block cache, which
            // dropping the page cache does not reach. Flushed and reopened, both stores read it from their files.
            s0.settle();
            s0 = s0.reopen();
            holder[0] = s0;
        }
        final Store s = s0;
        dev.lanes.executor.Prefetch mode = dev.lanes.executor.Prefetch.valueOf(replayPrefetch.toUpperCase(java.util.Locale.ROOT));
        dev.lanes.state.ReadPool pool = mode == dev.lanes.executor.Prefetch.NONE && !replayWarmPaths ? null
                : new dev.lanes.state.ReadPool(replayReadThreads);
        List<Double> total = new ArrayList<>(), exec = new ArrayList<>();
        ArrayNode each = r.putArray("blocks");
        long g0 = gcMillis();
        if (replayPipeline) {
            try {
                pipelined(s, version, blocks, ref, roots, first, name, pool, mode, each, total, exec);
            } finally {
                if (pool != null) pool.close();
            }
            r.put("gc_ms", gcMillis() - g0);
            r.put("mgas_per_s", pct(total, 0.5));
            r.put("exec_mgas_per_s", pct(exec, 0.5));
            r.put("pipelined", true);
            return r;
        }
        try (dev.lanes.executor.BlockExecutor executor = new dev.lanes.executor.BlockExecutor(replayThreads).prefetch(pool, mode)
                .asyncReads(replayAsyncReads)) {
        for (int b = 0; b < blocks.count(); b++) {
            long v = ++version, rel0 = s.relocatedNodes(), wr0 = s.writtenNodes();
            if (replayCold) PageCache.evict(dir(s));
            StoreReplay.BlockTiming t = StoreReplay.replayBlock(executor, blocks, b, s.reads(), u -> s.commit(v, u), ref,
                    replayWarmPaths ? pool : null);
            check(roots, first, v, t.root(), name);
            ObjectNode o = each.addObject();
            if (pool != null) o.put("prefetched", executor.lastPrefetched());
            dev.lanes.executor.parallel.ParallelExecutor.Stats st = executor.lastStats();
            if (replayThreads > 1 && st != null) {
                o.put("executions", st.executions());
                o.put("reexecutions", st.reexecutions());
                if (pool != null) o.put("read_waits", executor.lastReadWaits());
                if (st.sequentialReason() != null) o.put("sequential_from", st.sequentialFrom()).put("sequential_reason", st.sequentialReason());
            }
            o.put("gas", t.gas());
            o.put("exec_ms", Math.round(t.execNanos() / 1e4) / 100.0);
            o.put("total_ms", Math.round(t.totalNanos() / 1e4) / 100.0);
            o.put("root_ms", Math.round(s.rootNanos() / 1e4) / 100.0);
            o.put("accounts_written", t.accounts());
            o.put("slots_written", t.slots());
            if (name.equals("lanesdb")) {
                long rel = s.relocatedNodes() - rel0;
                o.put("relocated_nodes", rel);
                o.put("own_nodes", s.writtenNodes() - wr0 - rel);
            }
            if (b < replayWarmup) continue;
            total.add(t.gas() / (t.totalNanos() / 1e3));
            exec.add(t.gas() / (t.execNanos() / 1e3));
        }
        } finally {
            if (pool != null) pool.close();
        }
        r.put("gc_ms", gcMillis() - g0);
        r.put("mgas_per_s", pct(total, 0.5));
        r.put("exec_mgas_per_s", pct(exec, 0.5));
        return r;
    }

    /**
     * The replay with each commit overlapped with the next block's execution ({@link StoreReplay.Pipeline}). A block's
     * {@code total_ms} is the replay's own time for it: its execution, its update, the wait for the commit before it
     * ({@code wait_ms}) and starting its own; {@code commit_ms} and {@code root_ms} are its commit's, run meanwhile. The
     * page-cache drop ({@code --replay-cold}) is left out of both, as in the plain replay; the reference checks run
     * after the last block.
     */
    private void pipelined(Store s, long version, StoreReplay.Blocks blocks, StoreReplay.Reference ref, List<Hash> roots, boolean first,
                           String name, dev.lanes.state.ReadPool pool, dev.lanes.executor.Prefetch mode, ArrayNode each,
                           List<Double> total, List<Double> exec) throws Exception {
        List<StoreReplay.PipelinedBlock> done = new ArrayList<>();
        try (dev.lanes.executor.BlockExecutor executor = new dev.lanes.executor.BlockExecutor(replayThreads).prefetch(pool, mode)
                .asyncReads(replayAsyncReads);
             StoreReplay.Pipeline pipe = new StoreReplay.Pipeline()) {
            for (int b = 0; b < blocks.count(); b++) {
                long v = version + 1 + b;
                if (replayCold) PageCache.evict(dir(s));
                StoreReplay.PipelinedBlock t = StoreReplay.replayBlockPipelined(executor, blocks, b, s.reads(), u -> s.commit(v, u),
                        s::rootNanos, replayWarmPaths ? pool : null, pipe);
                done.add(t);
                ObjectNode o = each.addObject();
                if (pool != null) o.put("prefetched", executor.lastPrefetched());
                o.put("gas", t.gas());
                o.put("exec_ms", Math.round(t.execNanos() / 1e4) / 100.0);
                o.put("total_ms", Math.round(t.loopNanos() / 1e4) / 100.0);
                o.put("wait_ms", Math.round(t.waitNanos() / 1e4) / 100.0);
                o.put("accounts_written", t.accounts());
                o.put("slots_written", t.slots());
                if (b < replayWarmup) continue;
                total.add(t.gas() / (t.loopNanos() / 1e3));
                exec.add(t.gas() / (t.execNanos() / 1e3));
            }
            pipe.await();
        }
        for (int b = 0; b < done.size(); b++) {
            StoreReplay.PipelinedBlock t = done.get(b);
            StoreReplay.Committed c = t.commit().get();
            check(roots, first, version + 1 + b, c.root(), name);
            ((ObjectNode) each.get(b)).put("commit_ms", Math.round(c.commitNanos() / 1e4) / 100.0)
                    .put("root_ms", Math.round(c.rootNanos() / 1e4) / 100.0);
            if (ref != null) StoreReplay.check(t, b, ref);
        }
    }

    private static Path dir(Store s) {
        return s instanceof Lanes l ? l.dir : ((Rocks) s).dir;
    }

    private void check(List<Hash> roots, boolean first, long version, Hash root, String name) {
        if (first) roots.add(root);
        else if (!roots.get((int) version).equals(root)) {
            throw new IllegalStateException(name + " root " + root + " differs from lanesdb's " + roots.get((int) version) + " at block " + version);
        }
    }

    /** Random point reads (half accounts, half contract slots), single-threaded; each answer is checked. */
    private double reads(Store s, Workload w, Random rnd, int n) throws Exception {
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            if ((i & 1) == 0) {
                int a = rnd.nextInt(accounts);
                AccountInfo info = s.account(w.address(a));
                if (info == null || info.nonce() != w.nonce[a]) throw new IllegalStateException("wrong read of account " + a);
            } else {
                s.storage(w.address(rnd.nextInt(w.contracts()) * 100), UInt256.of(rnd.nextInt(SLOTS)));
            }
        }
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    private LanesDb.Options lanesOptions() {
        LanesDb.Options o = LanesDb.Options.defaults().withThreads(threads);
        if (cachedRecords != null) o = o.withCachedRecords(cachedRecords);
        return o.withCompaction(compactBudget == null ? o.compactBudget() : compactBudget,
                compactPerWrite == null ? o.compactPerWrite() : compactPerWrite).withBackgroundCompaction(backgroundCompaction);
    }

    private void validate() {
        picocli.CommandLine cl = new picocli.CommandLine(this);
        if (only != null && !only.equals("lanesdb") && !only.equals("rocksdb")) {
            throw new picocli.CommandLine.ParameterException(cl, "--only takes lanesdb or rocksdb, not '" + only + "'");
        }
        if (accounts < 1) throw new picocli.CommandLine.ParameterException(cl, "--accounts must be at least 1: " + accounts);
        if (blocks < 1) throw new picocli.CommandLine.ParameterException(cl, "--blocks must be at least 1: " + blocks);
        for (int size : sizes) {
            if (size < 1) throw new picocli.CommandLine.ParameterException(cl, "--updates-per-block takes sizes of at least 1: " + size);
        }
        if (threads < 1) throw new picocli.CommandLine.ParameterException(cl, "--threads must be at least 1: " + threads);
        if (reads < 1) throw new picocli.CommandLine.ParameterException(cl, "--reads must be at least 1: " + reads);
        if (cachedRecords != null && cachedRecords < 0) {
            throw new picocli.CommandLine.ParameterException(cl, "--lanes-cached-records must be 0 or more: " + cachedRecords);
        }
        if (compactBudget != null && compactBudget < 0) {
            throw new picocli.CommandLine.ParameterException(cl, "--lanes-compact-budget must be 0 or more: " + compactBudget);
        }
        if (compactPerWrite != null && !(compactPerWrite >= 0)) {
            throw new picocli.CommandLine.ParameterException(cl, "--lanes-compact-per-write must be 0 or more: " + compactPerWrite);
        }
        if (replayBlocks < 0) throw new picocli.CommandLine.ParameterException(cl, "--replay-blocks must be 0 or more: " + replayBlocks);
        if (replayBlocks == 0) return;
        if (!dev.lanes.executor.workload.Workloads.NAMES.contains(replayWorkload)) {
            throw new picocli.CommandLine.ParameterException(cl, "--replay-workload: unknown workload '" + replayWorkload + "'; known: "
                    + String.join(", ", dev.lanes.executor.workload.Workloads.NAMES));
        }
        if (replayThreads < 1) throw new picocli.CommandLine.ParameterException(cl, "--replay-threads must be at least 1: " + replayThreads);
        if (replayReadThreads < 1) {
            throw new picocli.CommandLine.ParameterException(cl, "--replay-read-threads must be at least 1: " + replayReadThreads);
        }
        if (!List.of("none", "keys", "execute").contains(replayPrefetch)) {
            throw new picocli.CommandLine.ParameterException(cl, "--replay-prefetch takes none, keys or execute, not '" + replayPrefetch + "'");
        }
        if (replayTxs < 1) throw new picocli.CommandLine.ParameterException(cl, "--replay-txs must be at least 1: " + replayTxs);
        if (replayWarmup < 0 || replayWarmup >= replayBlocks) {
            throw new picocli.CommandLine.ParameterException(cl, "--replay-warmup must be at least 0 and below --replay-blocks ("
                    + replayBlocks + "): " + replayWarmup);
        }
        if ((long) replayBlocks * replayTxs > 1_000_000) {
            throw new picocli.CommandLine.ParameterException(cl, "--replay-blocks times --replay-txs must be at most 1,000,000: "
                    + (long) replayBlocks * replayTxs);
        }
    }

    @Override public Integer call() throws Exception {
        validate();
        Path base = dir != null ? dir : Files.createTempDirectory(Path.of("/tmp"), "lanes-bench-store-");
        Files.createDirectories(base);
        ObjectMapper om = new ObjectMapper();
        ObjectNode out = om.createObjectNode();
        out.put("accounts", accounts);
        out.put("slots", (long) ((accounts + 99) / 100) * SLOTS);
        out.put("blocks_per_size", blocks);
        out.put("threads", threads);
        out.put("lanes_compact_budget", lanesOptions().compactBudget());
        out.put("lanes_compact_per_write", lanesOptions().compactPerWrite());
        List<Hash> roots = new ArrayList<>();
        StoreReplay.Blocks replay = null;
        StoreReplay.Reference ref = null;
        if (replayBlocks > 0) {
            long t0 = System.nanoTime();
            replay = StoreReplay.prepare(replayWorkload, replayBlocks, replayTxs, seed);
            out.put("replay_build_s", (System.nanoTime() - t0) / 1e9);
            StoreReplay.Blocks rb = replay;
            ref = StoreReplay.onEvmThread(() -> StoreReplay.reference(rb));
            out.put("replay_workload", replayWorkload);
            out.put("replay_blocks", replayBlocks);
            out.put("replay_warmup", replayWarmup);
            out.put("replay_txs_per_block", replayTxs);
            out.put("replay_threads", replayThreads);
            out.put("replay_prefetch", replayPrefetch);
            if (!replayPrefetch.equals("none") || replayWarmPaths) out.put("replay_read_threads", replayReadThreads);
            out.put("replay_cold", replayCold);
            out.put("replay_warm_paths", replayWarmPaths);
            out.put("replay_async_reads", replayAsyncReads);
            out.put("replay_pre_state_accounts", replay.preState().addresses().size());
            List<Double> gas = new ArrayList<>();
            for (int b = replayWarmup; b < replayBlocks; b++) gas.add((double) ref.gas()[b]);
            out.put("replay_gas_per_block", pct(gas, 0.5));
        }
        try {
            if (only != null) {
                out.set(only, run(only, base.resolve(only), roots, om, replay, ref));
                System.out.println(om.writeValueAsString(out));
                return 0;
            }
            out.set("lanesdb", run("lanesdb", base.resolve("lanesdb"), roots, om, replay, ref));
            out.set("rocksdb", run("rocksdb", base.resolve("rocksdb"), roots, om, replay, ref));
            out.put("roots_agree_on_blocks", roots.size());
            if (replay != null) {
                // The same blocks once more in memory, timed now that the JIT has compiled as much as for the stores.
                StoreReplay.Blocks rb = replay;
                StoreReplay.Reference again = StoreReplay.onEvmThread(() -> StoreReplay.reference(rb));
                List<Double> mem = new ArrayList<>();
                for (int b = replayWarmup; b < replayBlocks; b++) mem.add(again.gas()[b] / (again.nanos()[b] / 1e3));
                out.put("replay_memory_exec_mgas_per_s", pct(mem, 0.5));
            }
        } finally {
            if (!keep) deleteTree(base);
        }
        if (json) {
            System.out.println(om.writeValueAsString(out));
            return 0;
        }
        System.out.printf("%d accounts, %d slots; %d blocks per size; roots of both stores agree on all %d blocks%n", accounts,
                out.get("slots").asLong(), blocks, roots.size());
        System.out.printf("%-8s %8s %6s %10s %10s %9s %11s %12s %11s %11s %10s%n", "store", "updates", "load s", "commit p50",
                "commit p99", "root p50", "bytes/upd", "os bytes/upd", "reads/s cold", "reads/s", "disk MB");
        for (String name : List.of("lanesdb", "rocksdb")) {
            ObjectNode r = (ObjectNode) out.get(name);
            for (var z : r.get("by_block_size")) {
                System.out.printf("%-8s %8d %6.1f %10.1f %10.1f %9.1f %11.0f %12.0f %11.0f %11.0f %10.0f%n", name, z.get("updates_per_block").asInt(),
                        r.get("load_s").asDouble(), z.get("commit_p50_ms").asDouble(), z.get("commit_p99_ms").asDouble(), z.get("root_ms").asDouble(),
                        z.get("bytes_per_update").asDouble(), z.path("os_bytes_per_update").asDouble(-1), r.get("reads_cold_per_s").asDouble(),
                        r.get("reads_per_s").asDouble(), r.get("disk_bytes").asDouble() / 1e6);
            }
        }
        if (replayBlocks > 0) {
            System.out.printf("replay: %s, %d blocks of %d transactions (%d warm-up), median %.1f Mgas per block; state read from the store%n",
                    replayWorkload, replayBlocks, replayTxs, replayWarmup, out.get("replay_gas_per_block").asDouble() / 1e6);
            System.out.printf("%-8s %14s %14s %16s%n", "store", "Mgas/s e2e", "Mgas/s exec", "pre-state ms");
            for (String name : List.of("lanesdb", "rocksdb")) {
                ObjectNode r = (ObjectNode) out.get(name);
                System.out.printf("%-8s %14.1f %14.1f %16.0f%n", name, r.get("replay_mgas_per_s").asDouble(),
                        r.get("replay_exec_mgas_per_s").asDouble(), r.get("replay").get("pre_state_commit_ms").asDouble());
            }
            System.out.printf("%-8s %14s %14.1f %16s   (the same blocks on the workload's pre-state alone, in memory)%n", "memory", "",
                    out.get("replay_memory_exec_mgas_per_s").asDouble(), "");
        }
        ObjectNode l = (ObjectNode) out.get("lanesdb");
        System.out.printf("lanesdb flat index: %d keys, %.1f MB in memory (%.1f bytes/key)%n", l.get("index_keys").asLong(),
                l.get("index_memory_bytes").asDouble() / 1e6, l.get("index_memory_bytes").asDouble() / l.get("index_keys").asDouble());
        return 0;
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (var s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(x);
        }
    }
}
