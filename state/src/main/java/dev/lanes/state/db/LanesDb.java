package dev.lanes.state.db;

import dev.lanes.evm.AccountInfo;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Keccak;
import dev.lanes.primitives.UInt256;
import dev.lanes.primitives.rlp.RlpReader;
import dev.lanes.primitives.rlp.RlpWriter;
import dev.lanes.state.WorldState;
import dev.lanes.state.db.CowTrie.Branch;
import dev.lanes.state.db.CowTrie.Ext;
import dev.lanes.state.db.CowTrie.Leaf;
import dev.lanes.state.db.CowTrie.Node;
import dev.lanes.state.trie.NodeEncoder;
import dev.lanes.state.trie.TrieRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.IntStream;

/**
 * LanesDB: the Ethereum state stored as its Merkle Patricia Tries, natively, with a flat index for point reads.
 * Layout, commit protocol and recovery are described in {@code package-info.java}.
 *
 * <p>Threads: reads of the newest state ({@link #account}, {@link #storage}, {@link #code}) and of kept versions may
 * run on many threads at once, but not while {@link #commit} runs (the node commits between blocks). Commit hashes
 * and loads on its own pool of {@link Options#threads} threads; the background compactor (one thread) runs between
 * commits beside the readers.
 */
public final class LanesDb implements AutoCloseable {
    /**
     * {@code keepVersions}: how many newest versions stay readable (0: archive, every version; compaction then has
     * nothing to reclaim and is off). {@code compactLiveRatio}: the oldest segment is compacted once less than this
     * share of its bytes is still in the newest trie. {@code compactBudget}: nodes copied forward per commit at most.
     * {@code compactPerWrite}: within that cap, a commit copies at most this many nodes per node it writes for its own
     * update (and at least {@link #COMPACT_FLOOR}), so that compaction's share of a commit tracks the garbage the
     * commit creates instead of a fixed amount whatever the block's size; 0 lifts this bound (every compacting commit
     * copies {@code compactBudget} nodes).
     * {@code preimages}: also keep the original address and slot of every hashed key ({@code preimages.log}, in the
     * same commit), so that {@link #forEachAccount} can list a version's state by its original keys (what a node
     * needs to rebuild its in-memory state); off by default (a store read only by hashed key does not need them).
     * {@code backgroundCompaction}: copy live nodes forward on a thread of the store's own between commits (what a
     * commit leaves of the budget it is done by the next commit), so that a commit mostly finds the work done; on by
     * default.
     */
    public record Options(long segmentBytes, int keepVersions, int threads, double compactLiveRatio, int compactBudget,
                          double compactPerWrite, boolean preimages, boolean backgroundCompaction, int cachedRecords) {
        /** Nodes a compacting commit may copy forward however few it writes itself. */
        public static final int COMPACT_FLOOR = 512;

        public static Options defaults() {
            return new Options(256L << 20, 128, Runtime.getRuntime().availableProcessors(), 0.5, 20_000, 2.0, false, true, 1 << 16);
        }

        /** The compaction budget of a commit that wrote {@code written} nodes for its own update. */
        int compactBudgetFor(long written) {
            if (compactBudget <= 0 || compactPerWrite <= 0) return Math.max(compactBudget, 0);
            return (int) Math.min(compactBudget, Math.max(COMPACT_FLOOR, (long) Math.ceil(compactPerWrite * written)));
        }

        public Options withCompaction(int budget, double perWrite) {
            return new Options(segmentBytes, keepVersions, threads, compactLiveRatio, budget, perWrite, preimages, backgroundCompaction, cachedRecords);
        }

        public Options withKeepVersions(int n) {
            return new Options(segmentBytes, n, threads, compactLiveRatio, compactBudget, compactPerWrite, preimages, backgroundCompaction, cachedRecords);
        }

        public Options withSegmentBytes(long n) {
            return new Options(n, keepVersions, threads, compactLiveRatio, compactBudget, compactPerWrite, preimages, backgroundCompaction, cachedRecords);
        }

        public Options withThreads(int n) {
            return new Options(segmentBytes, keepVersions, n, compactLiveRatio, compactBudget, compactPerWrite, preimages, backgroundCompaction, cachedRecords);
        }

        public Options withPreimages(boolean on) {
            return new Options(segmentBytes, keepVersions, threads, compactLiveRatio, compactBudget, compactPerWrite, on, backgroundCompaction, cachedRecords);
        }

        /**
         * Records (trie nodes and leaves) kept in the process after they were read, so hot ones skip the file read:
         * rounded up to a power of two, 0 for none. A record never changes at its address (segments are append-only),
         * so the cache needs no invalidation except at a rollback, which cuts and reuses addresses.
         */
        public Options withCachedRecords(int n) {
            return new Options(segmentBytes, keepVersions, threads, compactLiveRatio, compactBudget, compactPerWrite, preimages,
                    backgroundCompaction, n);
        }

        public Options withBackgroundCompaction(boolean on) {
            return new Options(segmentBytes, keepVersions, threads, compactLiveRatio, compactBudget, compactPerWrite, preimages, on, cachedRecords);
        }
    }

    /** What the store has done and holds; byte counts are of the store's own file writes. */
    public record Stats(long bytesWritten, long diskBytes, long indexMemoryBytes, int accountKeys, int storageKeys,
                        long nodeReads, long relocatedNodes, int segments, long writtenNodes) {}

    private static final byte[] EMPTY_ROOT = Hash.EMPTY_TRIE.toArray();

    private final Path dir;
    private final Options opts;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Segments segments;
    private final VersionLog versions;
    private CodeLog codeLog;
    /** keccak(address) and keccak(slot) to the address or slot, when {@link Options#preimages} is on; else null. */
    private CodeLog preimages;
    private FlatIndex accountIndex;
    private FlatIndex storageIndex;
    /** The newest committed version (volatile: read without the gate by {@link #version()} and {@link #root()}). */
    private volatile VersionLog.Entry head;
    private CowTrie trie;
    /**
     * Reads against the moment a commit makes its version the newest. Every public read holds it shared; a commit holds
     * it exclusively only while it applies its flat-index changes, advances {@link #head} and deletes segments no kept
     * version reaches (rollback and close hold it throughout). Until then the commit changes nothing a read uses: its
     * nodes go to new bytes of the segments, its index changes to {@link #indexOps}. So reads of the newest state may run
     * while a commit works (a pipelined replay executes the next block meanwhile) and see the version before it, whole.
     * Not reentrant: public reads call only unlocked internals.
     */
    private final java.util.concurrent.locks.StampedLock gate = new java.util.concurrent.locks.StampedLock();
    /**
     * The flat-index changes of the next version, in the order made: the compactor's since the last commit, then the
     * running commit's (kind, fingerprint, old pointer, new pointer), applied at the commit's switch. Guarded by this
     * store's monitor.
     */
    private long[] indexOps = new long[256];
    private int indexOpsLen;
    private static final int OP_PUT_STORAGE = 0, OP_PUT_ACCOUNT = 1, OP_REMOVE_STORAGE = 2, OP_REMOVE_ACCOUNT = 3;
    /** Bytes per segment still part of the newest trie. */
    private long[] live = new long[16];
    private final ArrayDeque<Integer> keptMinSegs = new ArrayDeque<>();
    private int compactBelow;
    private final ForkJoinPool pool;
    private final ThreadLocal<NodeEncoder> encoders = ThreadLocal.withInitial(NodeEncoder::new);
    private final ThreadLocal<byte[]> readBufs = ThreadLocal.withInitial(() -> new byte[NodeRecords.MAX_RECORD * 4]);
    private final ThreadLocal<ByteBuffer> readWraps = ThreadLocal.withInitial(() -> ByteBuffer.wrap(readBufs.get()));
    private final byte[] writeBuf = new byte[NodeRecords.MAX_RECORD * 4];
    private final LongAdder nodeReads = new LongAdder();
    /**
     * Records read before, by address ({@link Options#cachedRecords}; null when 0): direct-mapped, each slot an
     * immutable entry written and read without a lock (a reader sees nothing, another address's entry, or this one's).
     * Addresses are never rewritten while the store is open except by a rollback, which empties it.
     */
    private final CachedRecord[] cache;
    private long relocated;
    /** Trie nodes written (commits' own and relocated ones). */
    private long nodesWritten;
    private long lastRootNanos;
    private long snapshotBytes;
    private volatile Throwable failed;
    private volatile boolean closed;

    // ---- background compaction (Options.backgroundCompaction; every field below is guarded by this store's monitor
    // unless marked otherwise) ----
    /** The compactor thread, or null. */
    private final Thread compactor;
    private volatile boolean stopCompactor;
    /** Set by a commit for the compactor (volatile: read while parked). */
    private volatile boolean compactorWork;
    /** Commits, rollbacks and closes waiting for the monitor: the compactor yields it between slices while non-zero. */
    private final java.util.concurrent.atomic.AtomicInteger exclusiveWaiting = new java.util.concurrent.atomic.AtomicInteger();
    /** Nodes the compactor may copy before the next commit, and how many it has. */
    private int bgBudget, bgDone;
    /** Whether {@code segments.beginBlock} was called for the next version's data (by the compactor or a commit). */
    private boolean blockOpen;
    /** True while the compactor writes (readers run meanwhile; its index changes wait in {@link #indexOps}). */
    private boolean inBackground;
    /** Accounts whose storage trie the compactor moved since the last commit: new root pointer and smallest segment. */
    private final Map<Hash, long[]> movedStorage = new HashMap<>();
    /** Changes the compactor made to {@link #live} since the last commit, undone if no commit follows (close, rollback). */
    private long[] bgLive = new long[16];
    /** Nodes the compactor copied in all (tests, diagnostics; racy read). */
    private volatile long bgRelocatedTotal;
    /** Nodes one compactor slice copies at most before it lets a waiting commit in. */
    private static final int SLICE = 256;

    private final CowTrie.Source store = new CowTrie.Source() {
        @Override public Node load(long ptr, byte[] ref, byte[] path, int depth) {
            byte[] buf = readRecord(ptr);
            return NodeRecords.decode(buf, Ptr.length(ptr), path, depth);
        }

        @Override public void dead(long ptr) {
            synchronized (live) {
                live[Ptr.segment(ptr)] -= Ptr.length(ptr);
                if (inBackground) bgLiveAdd(Ptr.segment(ptr), -Ptr.length(ptr));
            }
        }
    };

    private LanesDb(Path dir, Options opts) throws IOException {
        this.dir = dir;
        this.opts = opts;
        Files.createDirectories(dir);
        lockChannel = FileChannel.open(dir.resolve("LOCK"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = lockChannel.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            lockChannel.close();
            throw new IllegalStateException("LanesDB directory " + dir + " is in use by another process");
        }
        lock = l;
        pool = opts.threads > 1 ? new ForkJoinPool(opts.threads) : null;
        cache = opts.cachedRecords > 0 ? new CachedRecord[Integer.highestOneBit(Math.min(opts.cachedRecords, 1 << 24) * 2 - 1)] : null;
        versions = new VersionLog(dir.resolve("versions.log"));
        segments = new Segments(dir, opts.segmentBytes);
        head = recover();
        openLogs();
        Segments.syncDir(dir);
        resetHead();
        if (!loadSnapshot()) rebuildIndex();
        if (opts.backgroundCompaction && opts.keepVersions > 0 && opts.compactBudget > 0) {
            compactor = Thread.ofPlatform().daemon().name("lanesdb-compactor").unstarted(this::compactorLoop);
            compactor.start();
        } else {
            compactor = null;
        }
    }

    /** Opens the code log (and the preimage log) cut back to the head version's ends. */
    private void openLogs() throws IOException {
        codeLog = new CodeLog(dir.resolve("code.log"), head == null ? 0 : head.codeEnd());
        if (opts.preimages) {
            long end = head == null ? 0 : head.preimageEnd();
            if (head != null && end == 0 && head.rootPtr() != 0) {
                throw new CorruptStoreException("LanesDB in " + dir + " was written without preimages");
            }
            preimages = new CodeLog(dir.resolve("preimages.log"), end);
        }
    }

    /** The newest trie and the kept versions' smallest segments, from {@link #head} (at open and after a rollback). */
    private void resetHead() throws IOException {
        trie = head == null ? new CowTrie(store, 0, null, CowTrie.NO_SEGMENT)
                : new CowTrie(store, head.rootPtr(), head.rootHash(), head.rootMinSeg());
        keptMinSegs.clear();
        compactBelow = 0;
        if (head != null && opts.keepVersions > 0) {
            for (long v = Math.max(versions.firstVersion(), head.version() - opts.keepVersions + 1); v <= head.version(); v++) {
                keptMinSegs.addLast(versions.find(v).rootMinSeg());
            }
        }
    }

    /** Opens (creating when missing) the store in {@code dir}, recovering to the newest intact version. */
    public static LanesDb open(Path dir, Options opts) {
        try {
            return new LanesDb(dir, opts);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open LanesDB in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Finds the newest version whose record and data are intact, cuts off everything after it (a torn or damaged
     * tail: records, node bytes, code) and returns it, or null for an empty store.
     */
    private VersionLog.Entry recover() throws IOException {
        long count = versions.count();
        segments.openAll(); // nothing cut yet
        VersionLog.Entry found = null;
        boolean anyRecord = false;
        long keep = 0;
        for (long i = count - 1; i >= 0 && found == null; i--) {
            VersionLog.Entry e = versions.read(i);
            if (e == null) continue;
            anyRecord = true;
            long crc = segments.crcOf(e.dataStart(), e.dataEnd());
            if (crc == (e.dataCrc() & 0xffffffffL)) {
                found = e;
                keep = i + 1;
            }
        }
        if (found == null && anyRecord) {
            throw new CorruptStoreException("LanesDB in " + dir + ": no version's data is intact");
        }
        if (keep < count) versions.truncate(keep);
        segments.truncateTo(found == null ? 0 : found.dataEnd());
        return found;
    }

    // ---- reads of the newest state ----

    /** The newest committed version, or -1 when nothing was committed. */
    public long version() {
        return head == null ? -1 : head.version();
    }

    /** The state root of the newest version ({@link Hash#EMPTY_TRIE} when empty). */
    public Hash root() {
        return head == null ? Hash.EMPTY_TRIE : Hash.wrap(head.rootHash());
    }

    public AccountInfo account(Address address) {
        long stamp = gate.readLock();
        try {
            return accountNewest(address);
        } finally {
            gate.unlockRead(stamp);
        }
    }

    private AccountInfo accountNewest(Address address) {
        checkUsable();
        byte[] hk = Keccak.hash(address.unsafeBytes());
        long fp = accountFp(hk);
        for (int s = accountIndex.next(fp, -1); s >= 0; s = accountIndex.next(fp, s)) {
            long ptr = accountIndex.ptrAt(s);
            byte[] buf = readRecord(ptr);
            if (java.util.Arrays.equals(buf, 2, 34, hk, 0, 32)) return decodeAccount(leafValue(buf, Ptr.length(ptr)));
        }
        return null;
    }

    public UInt256 storage(Address address, UInt256 slot) {
        long stamp = gate.readLock();
        try {
            return storageNewest(address, slot);
        } finally {
            gate.unlockRead(stamp);
        }
    }

    private UInt256 storageNewest(Address address, UInt256 slot) {
        checkUsable();
        byte[] hk = Keccak.hash(address.unsafeBytes());
        byte[] sk = Keccak.hash(slot.toBytes());
        long fp = storageFp(hk, sk);
        for (int s = storageIndex.next(fp, -1); s >= 0; s = storageIndex.next(fp, s)) {
            long ptr = storageIndex.ptrAt(s);
            byte[] buf = readRecord(ptr);
            if (java.util.Arrays.equals(buf, 2, 34, sk, 0, 32) && java.util.Arrays.equals(buf, 34, 66, hk, 0, 32)) {
                return new RlpReader(leafValue(buf, Ptr.length(ptr))).readUInt256();
            }
        }
        return UInt256.ZERO;
    }

    public byte[] code(Hash codeHash) {
        if (codeHash.equals(Hash.EMPTY_CODE)) return new byte[0];
        long stamp = gate.readLock();
        try {
            checkUsable();
            return codeLog.get(codeHash);
        } finally {
            gate.unlockRead(stamp);
        }
    }

    /** The value bytes of the leaf record in {@code buf} (see {@link NodeRecords}). */
    private static byte[] leafValue(byte[] buf, int len) {
        int kind = buf[0] & 0xff;
        if ((kind & 0x0f) != NodeRecords.LEAF) throw new CorruptStoreException("flat index points at a non-leaf");
        int p = 34 + ((kind & 0x10) != 0 ? 32 : 0) + ((kind & 0x20) != 0 ? 12 : 0);
        int vlen = buf[p] & 0xff;
        if (p + 1 + vlen != len) throw new CorruptStoreException("leaf record of bad length");
        return java.util.Arrays.copyOfRange(buf, p + 1, p + 1 + vlen);
    }

    /** Reads the record at {@code ptr} into this thread's buffer, from the record cache when it holds it. */
    private byte[] readRecord(long ptr) {
        byte[] buf = readBufs.get();
        CachedRecord[] c = cache;
        if (c == null) {
            segments.read(ptr, buf, readWraps.get());
            nodeReads.increment();
            return buf;
        }
        int slot = (int) ((ptr * 0x9E3779B97F4A7C15L) >>> 40) & (c.length - 1);
        CachedRecord hit = c[slot];
        if (hit != null && hit.ptr == ptr) {
            System.arraycopy(hit.bytes, 0, buf, 0, hit.bytes.length);
            return buf;
        }
        segments.read(ptr, buf, readWraps.get());
        nodeReads.increment();
        c[slot] = new CachedRecord(ptr, java.util.Arrays.copyOf(buf, Ptr.length(ptr)));
        return buf;
    }

    /** One cached record: its address and bytes (immutable, so a slot may be read and replaced without a lock). */
    private record CachedRecord(long ptr, byte[] bytes) {}

    static long accountFp(byte[] hk) {
        return FlatIndex.fp(first8(hk));
    }

    static long storageFp(byte[] ownerHk, byte[] slotHk) {
        return FlatIndex.fp(first8(slotHk) ^ Long.rotateLeft(first8(ownerHk) * 0x9E3779B97F4A7C15L, 31));
    }

    private static long first8(byte[] b) {
        long v = 0;
        for (int i = 0; i < 8; i++) v = v << 8 | (b[i] & 0xff);
        return v;
    }

    static AccountInfo decodeAccount(byte[] rlp) {
        RlpReader r = new RlpReader(rlp);
        int end = r.enterList();
        long nonce = r.readLong();
        UInt256 balance = r.readUInt256();
        Hash storageRoot = r.readHash();
        Hash codeHash = r.readHash();
        r.leaveList(end);
        return new AccountInfo(nonce, balance, codeHash, !storageRoot.equals(Hash.EMPTY_TRIE));
    }

    private static byte[] storageRootOf(byte[] accountRlp) {
        RlpReader r = new RlpReader(accountRlp);
        r.enterList();
        r.skip();
        r.skip();
        return r.readHash().toArray();
    }

    static byte[] encodeAccount(long nonce, UInt256 balance, byte[] storageRoot, Hash codeHash) {
        RlpWriter w = new RlpWriter();
        w.startList();
        w.writeLong(nonce);
        w.writeUInt256(balance);
        w.writeBytes(storageRoot);
        w.writeBytes(codeHash.unsafeBytes());
        w.endList();
        return w.toByteArray();
    }

    // ---- commit ----

    /** Per-account work of one commit. */
    private static final class Work {
        final StateUpdate.Account upd;
        byte[] hk;
        List<Leaf> wiped;
        CowTrie storage;
        long storagePtr;
        int storageMinSeg = CowTrie.NO_SEGMENT;
        byte[] storageRoot = EMPTY_ROOT;
        /** With preimages on: the hashes of the slots this update writes (non-zero), in {@code upd.storage()} order. */
        List<byte[]> slotHashes;

        Work(StateUpdate.Account upd) {
            this.upd = upd;
        }
    }

    /**
     * Applies {@code update} as version {@code version} (the next after {@link #version()}, or any for the first) and
     * returns the new state root. When it returns the version is durable; if it throws, the store must be closed and
     * reopened (which recovers the last committed version).
     */
    public Hash commit(long version, StateUpdate update) {
        exclusiveWaiting.incrementAndGet();
        try {
            synchronized (this) {
                return commitLocked(version, update);
            }
        } finally {
            exclusiveWaiting.decrementAndGet();
        }
    }

    private Hash commitLocked(long version, StateUpdate update) {
        checkUsable();
        if (head != null && version != head.version() + 1) {
            throw new IllegalArgumentException("version " + version + " does not follow " + head.version());
        }
        if (version < 0) throw new IllegalArgumentException("negative version");
        try {
            return doCommit(version, update);
        } catch (Throwable t) {
            failed = t;
            throw t instanceof IOException io ? new UncheckedIOException(io) : (t instanceof RuntimeException r ? r : new RuntimeException(t));
        }
    }

    private Hash doCommit(long version, StateUpdate update) throws IOException {
        long started = System.nanoTime();
        openBlock();
        // What the compactor did since the last commit becomes part of this version: its storage-index changes (already
        // in indexOps, ahead of this commit's), and the storage roots it moved, which prepare() must start from instead
        // of the stored account leaves' (the in-memory trie already holds them).
        int leftOver = Math.max(0, bgBudget - bgDone);
        long writtenBefore = nodesWritten;
        for (Map.Entry<Hash, byte[]> c : update.codes.entrySet()) codeLog.put(c.getKey(), c.getValue());
        int n = update.accounts.size();
        Work[] work = new Work[n];
        for (int i = 0; i < n; i++) work[i] = new Work(update.accounts.get(i));
        // Phase A, in parallel: find each account's leaf, drop wiped storage, apply and hash its storage updates.
        if (pool != null && n >= 64) pool.submit(() -> IntStream.range(0, n).parallel().forEach(i -> prepare(work[i]))).join();
        else for (Work w : work) prepare(w);
        if (preimages != null) recordPreimages(work);
        CowTrie.Writer writer = this::writeNode;
        // Phase B: write the storage tries (children first), keeping the flat index in step.
        for (Work w : work) {
            if (w.wiped != null) for (Leaf l : w.wiped) indexOp(OP_REMOVE_STORAGE, storageFp(w.hk, l.key), l.ptr, 0);
            if (w.storage != null) {
                for (Leaf l : w.storage.removed) indexOp(OP_REMOVE_STORAGE, storageFp(w.hk, l.key), l.oldPtr, 0);
                w.storagePtr = w.storage.write(writer);
                w.storageMinSeg = w.storage.rootMinSeg();
            }
        }
        // Phase C: the account trie.
        int target = compactionTarget();
        List<Leaf> puts = new ArrayList<>(n);
        List<byte[]> dels = new ArrayList<>();
        for (Work w : work) {
            if (w.upd.deleted()) {
                dels.add(w.hk);
                continue;
            }
            Leaf l = new Leaf(w.hk, 0, encodeAccount(w.upd.nonce(), w.upd.balance(), w.storageRoot, w.upd.codeHash()));
            l.storagePtr = w.storagePtr;
            l.storageMinSeg = w.storagePtr == 0 ? CowTrie.NO_SEGMENT : w.storageMinSeg;
            puts.add(l);
        }
        trie.applyParallel(puts, dels, pool);
        for (Leaf l : trie.removed) indexOp(OP_REMOVE_ACCOUNT, accountFp(l.key), l.oldPtr, 0);
        trie.removed.clear();
        if (target > 0) {
            // The commit's own writes: its storage-trie nodes (written above) and its dirty account-trie nodes.
            long own = nodesWritten - writtenBefore + trie.dirtyNodes();
            // Not `relocated += trie.relocate(...)`: that would read `relocated` before the storage tries' counts
            // are added to it during the call, and lose them.
            // With the compactor, the commit copies only what the compactor left of the last allowance.
            int budget = compactor == null ? opts.compactBudgetFor(own) : leftOver;
            bgBudget = opts.compactBudgetFor(own);
            int accountNodes = budget <= 0 ? 0 : trie.relocate(target, budget, (l, b) -> relocateStorage(l, target, b));
            relocated += accountNodes;
        }
        Hash root = trie.hashParallel(pool, encoders);
        lastRootNanos = System.nanoTime() - started;
        long rootPtr = trie.write(writer);
        int rootMinSeg = trie.rootMinSeg();
        trie.trim(3);
        // Durability: data first, then the record that makes it a version.
        segments.sync();
        codeLog.sync();
        if (preimages != null) preimages.sync();
        VersionLog.Entry e = new VersionLog.Entry(version, rootPtr, rootMinSeg, root.toArray(), segments.blockStart(),
                segments.end(), codeLog.end(), segments.blockCrc(), preimages == null ? 0 : preimages.end());
        versions.append(e);
        // The switch: readers see the version before until here, and this one whole after it.
        long stamp = gate.writeLock();
        try {
            // The compactor's index changes since the last commit, then this commit's, in the order made.
            applyIndexOps();
            head = e;
            dropDeadSegments(rootMinSeg);
        } finally {
            gate.unlockWrite(stamp);
        }
        blockOpen = false;
        movedStorage.clear();
        java.util.Arrays.fill(bgLive, 0);
        bgDone = 0;
        if (target == 0) bgBudget = 0;
        if (compactBelow > 0 && rootMinSeg >= compactBelow) compactBelow = 0;
        if (compactor != null && bgBudget > 0) {
            compactorWork = true;
            java.util.concurrent.locks.LockSupport.unpark(compactor);
        }
        return root;
    }

    private void prepare(Work w) {
        StateUpdate.Account a = w.upd;
        w.hk = Keccak.hash(a.address().unsafeBytes());
        Leaf old = accountLeaf(w.hk);
        long sPtr = old == null ? 0 : old.storagePtr;
        int sMin = old == null ? CowTrie.NO_SEGMENT : old.storageMinSeg;
        long[] moved = old == null || movedStorage.isEmpty() ? null : movedStorage.get(Hash.wrap(w.hk));
        if (moved != null) {
            sPtr = moved[0];
            sMin = (int) moved[1];
        }
        byte[] sRoot = old == null ? EMPTY_ROOT : storageRootOf(old.value);
        if ((a.deleted() || a.storageReset()) && sPtr != 0) {
            List<Leaf> wiped = new ArrayList<>();
            new CowTrie(store, sPtr, sRoot, sMin).forEachStored(node -> {
                store.dead(node.ptr);
                if (node instanceof Leaf l) wiped.add(l);
            });
            w.wiped = wiped;
            sPtr = 0;
            sMin = CowTrie.NO_SEGMENT;
            sRoot = EMPTY_ROOT;
        } else if (a.deleted() || a.storageReset()) {
            sPtr = 0;
            sRoot = EMPTY_ROOT;
        }
        if (a.deleted()) return;
        w.storagePtr = sPtr;
        w.storageMinSeg = sMin;
        w.storageRoot = sRoot;
        if (a.storage().isEmpty()) return;
        CowTrie st = new CowTrie(store, sPtr, sPtr == 0 ? null : sRoot, sMin);
        if (opts.preimages) w.slotHashes = new ArrayList<>(a.storage().size());
        for (Map.Entry<UInt256, UInt256> s : a.storage().entrySet()) {
            byte[] sk = Keccak.hash(s.getKey().toBytes());
            if (s.getValue().isZero()) {
                st.remove(sk);
            } else {
                if (w.slotHashes != null) w.slotHashes.add(sk);
                Leaf l = new Leaf(sk, 0, new RlpWriter().writeUInt256(s.getValue()).toByteArray());
                l.owner = w.hk;
                st.put(l);
            }
        }
        w.storageRoot = st.hash(encoders.get()).toArray();
        w.storage = st;
    }

    /**
     * Appends the preimage of every key this commit writes that the log does not hold yet (same commit: synced before
     * the version record). Deleted keys need none; a key deleted and written again later finds its preimage kept.
     */
    private void recordPreimages(Work[] work) {
        for (Work w : work) {
            if (w.upd.deleted()) continue;
            preimages.put(Hash.wrap(w.hk), w.upd.address().toArray());
            if (w.slotHashes == null) continue;
            int i = 0;
            for (Map.Entry<UInt256, UInt256> s : w.upd.storage().entrySet()) {
                if (s.getValue().isZero()) continue;
                preimages.put(Hash.wrap(w.slotHashes.get(i++)), s.getKey().toBytes());
            }
        }
    }

    /** The newest leaf of an account, through the flat index (one read), or null. */
    private Leaf accountLeaf(byte[] hk) {
        long fp = accountFp(hk);
        for (int s = accountIndex.next(fp, -1); s >= 0; s = accountIndex.next(fp, s)) {
            long ptr = accountIndex.ptrAt(s);
            Leaf l = (Leaf) NodeRecords.decode(readRecord(ptr), Ptr.length(ptr), null, -1);
            if (java.util.Arrays.equals(l.key, hk)) {
                l.ptr = ptr;
                return l;
            }
        }
        return null;
    }

    /** Appends one dirty node; keeps segment accounting and, for leaves, the flat index in step. */
    private long writeNode(Node n) {
        int len = NodeRecords.encode(n, writeBuf);
        long ptr = segments.append(writeBuf, len);
        nodesWritten++;
        int seg = Ptr.segment(ptr);
        synchronized (live) {
            if (seg >= live.length) live = java.util.Arrays.copyOf(live, Math.max(seg + 1, live.length * 2));
            live[seg] += len;
            if (inBackground) bgLiveAdd(seg, len);
        }
        int min = seg;
        switch (n) {
            case Leaf l -> {
                if (l.storagePtr != 0) min = Math.min(min, l.storageMinSeg);
                if (l.owner != null) indexOp(OP_PUT_STORAGE, storageFp(l.owner, l.key), l.oldPtr, ptr);
                else if (inBackground) throw new IllegalStateException("the compactor wrote an account leaf");
                else indexOp(OP_PUT_ACCOUNT, accountFp(l.key), l.oldPtr, ptr);
                l.oldPtr = 0;
            }
            case Ext e -> min = Math.min(min, e.kidMinSeg);
            case Branch b -> {
                for (int i = 0; i < 16; i++) if (b.kidRef[i] != null) min = Math.min(min, b.kidMinSeg[i]);
            }
        }
        n.minSeg = min;
        return ptr;
    }

    // ---- pruning and compaction ----

    /**
     * The segment bound below which this commit copies live nodes forward, or 0. Compaction starts when the oldest
     * segment the newest trie still uses has fallen below the live ratio, and runs (a budget of nodes per commit)
     * until the newest trie no longer reaches below it.
     */
    private int compactionTarget() {
        if (opts.keepVersions <= 0 || opts.compactBudget <= 0) return 0;
        if (compactBelow == 0 && head != null) {
            int s0 = head.rootMinSeg();
            if (s0 < segments.active() && live(s0) < opts.compactLiveRatio * segments.size(s0)) compactBelow = s0 + 1;
        }
        return compactBelow;
    }

    private long live(int seg) {
        synchronized (live) {
            return seg < live.length ? live[seg] : 0;
        }
    }

    /**
     * Copies up to about {@code budget} of an account's storage-trie nodes below {@code below} forward and points the
     * leaf at the new root (a trie left partly below is continued by a later commit); returns the nodes copied.
     */
    private int relocateStorage(Leaf l, int below, int budget) {
        CowTrie st = new CowTrie(store, l.storagePtr, storageRootOf(l.value), l.storageMinSeg);
        int n = st.relocate(below, budget, (x, b) -> 0);
        relocated += n;
        l.storagePtr = st.write(this::writeNode);
        l.storageMinSeg = st.rootMinSeg();
        if (inBackground) movedStorage.put(Hash.wrap(l.key), new long[] {l.storagePtr, l.storageMinSeg});
        return n;
    }

    /** Starts the next version's data (its checksum and start) unless the compactor or a commit already did. */
    private void openBlock() {
        if (!blockOpen) {
            segments.beginBlock();
            blockOpen = true;
        }
    }

    /** Records one flat-index change of the next version, applied at its commit's switch ({@link #applyIndexOps}). */
    private void indexOp(int kind, long fp, long a, long b) {
        if (indexOpsLen + 4 > indexOps.length) indexOps = java.util.Arrays.copyOf(indexOps, indexOps.length * 2);
        indexOps[indexOpsLen++] = kind;
        indexOps[indexOpsLen++] = fp;
        indexOps[indexOpsLen++] = a;
        indexOps[indexOpsLen++] = b;
    }

    /** Applies the recorded flat-index changes (under the gate's write lock). */
    private void applyIndexOps() {
        long[] ops = indexOps;
        for (int i = 0; i < indexOpsLen; i += 4) {
            long fp = ops[i + 1], a = ops[i + 2], b = ops[i + 3];
            switch ((int) ops[i]) {
                case OP_PUT_STORAGE -> storageIndex.put(fp, a, b);
                case OP_PUT_ACCOUNT -> accountIndex.put(fp, a, b);
                case OP_REMOVE_STORAGE -> storageIndex.remove(fp, a);
                case OP_REMOVE_ACCOUNT -> accountIndex.remove(fp, a);
                default -> throw new IllegalStateException("index op " + ops[i]);
            }
        }
        indexOpsLen = 0;
        if (indexOps.length > 1 << 16) indexOps = new long[256];
    }

    /** Under {@code live}'s lock. */
    private void bgLiveAdd(int seg, long delta) {
        if (seg >= bgLive.length) bgLive = java.util.Arrays.copyOf(bgLive, Math.max(seg + 1, bgLive.length * 2));
        bgLive[seg] += delta;
    }

    /**
     * Drops what the compactor did since the last commit (at close or rollback): its bytes lie past the last version
     * and are cut off at the next open or by the rollback; its {@link #live} changes are undone.
     */
    private void abandonBackgroundWork() {
        synchronized (live) {
            for (int i = 0; i < bgLive.length && i < live.length; i++) live[i] -= bgLive[i];
            java.util.Arrays.fill(bgLive, 0);
        }
        indexOpsLen = 0;
        movedStorage.clear();
        bgBudget = 0;
        bgDone = 0;
        blockOpen = false;
    }

    /**
     * The compactor: after each commit that left compaction work, copies live nodes forward in slices of {@link #SLICE}
     * nodes under the store's monitor, letting any waiting commit, rollback or close in between slices. Reads of the
     * newest state run meanwhile: it changes nothing they use (the flat index's updates wait for the next commit; the
     * nodes it copies stay where they were until a commit makes the copies part of a version).
     */
    private void compactorLoop() {
        while (!stopCompactor) {
            if (!compactorWork) {
                java.util.concurrent.locks.LockSupport.parkNanos(this, 100_000_000L);
                continue;
            }
            compactorWork = false;
            while (!stopCompactor && exclusiveWaiting.get() == 0) {
                synchronized (this) {
                    if (stopCompactor || exclusiveWaiting.get() > 0 || closed || failed != null) break;
                    int left = bgBudget - bgDone;
                    int target = compactionTarget();
                    if (left <= 0 || target == 0) break;
                    openBlock();
                    long before = relocated;
                    inBackground = true;
                    try {
                        // As in the commit: not `relocated += trie.relocate(...)`, which would lose the storage tries'
                        // counts that relocateStorage adds during the call.
                        int accountNodes = trie.relocate(target, Math.min(left, SLICE), (l, b) -> relocateStorage(l, target, b));
                        relocated += accountNodes;
                    } catch (Throwable t) {
                        failed = t; // as a failed commit: the store must be reopened
                        break;
                    } finally {
                        inBackground = false;
                    }
                    long did = relocated - before;
                    if (did == 0) {
                        bgBudget = bgDone; // nothing left below the target this side of the next commit
                        break;
                    }
                    bgDone += (int) did;
                    bgRelocatedTotal += did;
                }
            }
        }
    }

    private void stopCompactor() {
        if (compactor == null) return;
        stopCompactor = true;
        java.util.concurrent.locks.LockSupport.unpark(compactor);
        boolean interrupted = false;
        while (true) {
            try {
                compactor.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    /** Deletes segments no kept version reaches (never in archive mode). */
    private void dropDeadSegments(int rootMinSeg) throws IOException {
        if (opts.keepVersions <= 0) return;
        keptMinSegs.addLast(rootMinSeg);
        while (keptMinSegs.size() > opts.keepVersions) keptMinSegs.removeFirst();
        int floor = Integer.MAX_VALUE;
        for (int s : keptMinSegs) floor = Math.min(floor, s);
        floor = Math.min(floor, segments.active());
        for (int s = 1; s < floor; s++) if (segments.channel(s) != null) segments.delete(s);
    }

    // ---- versions ----

    /**
     * Whether {@code version} is still readable: kept by pruning (or archive mode), and its nodes' segments all still
     * there (after a {@link #rollback} the window reaches back again over versions whose segments were deleted).
     */
    public boolean isReadable(long version) {
        long stamp = gate.readLock();
        try {
            return readable(version);
        } finally {
            gate.unlockRead(stamp);
        }
    }

    private boolean readable(long version) {
        if (head == null || version > head.version() || version < versions.firstVersion()) return false;
        if (opts.keepVersions > 0 && version <= head.version() - opts.keepVersions) return false;
        VersionLog.Entry e;
        try {
            e = versions.find(version);
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
        return e != null && (e.rootPtr() == 0 || e.rootMinSeg() >= segments.lowest());
    }

    /**
     * Makes {@code version} the newest version again ({@code -1}: the empty store), dropping every later one: their
     * version records, node bytes, code and preimages are cut off, and the flat index is rebuilt from that version's
     * trie. Durable when it returns; the cut of the version log comes first, so a crash midway reopens at either
     * the old newest version or {@code version}, never at anything else.
     *
     * @throws IllegalArgumentException when {@code version} is newer than the newest or no longer readable
     */
    public void rollback(long version) {
        exclusiveWaiting.incrementAndGet();
        try {
            synchronized (this) {
                long stamp = gate.writeLock();
                try {
                    rollbackLocked(version);
                } finally {
                    gate.unlockWrite(stamp);
                }
            }
        } finally {
            exclusiveWaiting.decrementAndGet();
        }
    }

    private void rollbackLocked(long version) {
        checkUsable();
        if (version == version()) return;
        if (version > version() || version < -1) {
            throw new IllegalArgumentException("cannot roll back to version " + version + " (newest " + version() + ")");
        }
        if (version >= 0 && !readable(version)) {
            throw new IllegalArgumentException("version " + version + " is no longer kept (newest " + version() + ")");
        }
        try {
            abandonBackgroundWork();
            // The cut below reuses addresses: what the cache holds for them would be the dropped versions' records.
            if (cache != null) java.util.Arrays.fill(cache, null);
            VersionLog.Entry e = version < 0 ? null : versions.find(version);
            versions.truncate(e == null ? 0 : version - versions.firstVersion() + 1); // the commit point
            segments.truncateTo(e == null ? 0 : e.dataEnd());
            codeLog.close();
            if (preimages != null) preimages.close();
            head = e;
            openLogs();
            Segments.syncDir(dir);
            live = new long[16];
            resetHead();
            rebuildIndex();
        } catch (Throwable t) {
            failed = t;
            throw t instanceof IOException io ? new UncheckedIOException(io) : (t instanceof RuntimeException r ? r : new RuntimeException(t));
        }
    }

    /** One account of a version, by its original address, with its storage by original slot (non-zero values). */
    public interface AccountVisitor {
        void visit(Address address, AccountInfo account, Map<UInt256, UInt256> storage);
    }

    /**
     * Lists every account of a kept version with its storage, under their original addresses and slots (from the
     * preimages): what a node rebuilds its in-memory state from. Needs {@link Options#preimages}. Not while a commit
     * runs.
     *
     * @throws CorruptStoreException when a key's preimage is missing or does not hash to it
     */
    public void forEachAccount(long version, AccountVisitor visitor) {
        long stamp = gate.readLock();
        try {
            forEachAccountAt(version, visitor);
        } finally {
            gate.unlockRead(stamp);
        }
    }

    private void forEachAccountAt(long version, AccountVisitor visitor) {
        checkUsable();
        if (preimages == null) throw new IllegalStateException("LanesDB was opened without preimages");
        VersionLog.Entry e = entry(version);
        if (e.rootPtr() == 0) return;
        new CowTrie(store, e.rootPtr(), e.rootHash(), e.rootMinSeg()).forEachStored(n -> {
            if (!(n instanceof Leaf l)) return;
            Address address = Address.wrap(preimage(l.key, Address.LENGTH));
            Map<UInt256, UInt256> slots = new HashMap<>();
            if (l.storagePtr != 0) {
                new CowTrie(store, l.storagePtr, storageRootOf(l.value), l.storageMinSeg).forEachStored(sn -> {
                    if (sn instanceof Leaf sl) {
                        slots.put(UInt256.fromBytes(preimage(sl.key, 32)), new RlpReader(sl.value).readUInt256());
                    }
                });
            }
            visitor.visit(address, decodeAccount(l.value), slots);
        });
    }

    private byte[] preimage(byte[] hashedKey, int length) {
        byte[] p = preimages.get(Hash.wrap(hashedKey));
        if (p == null || p.length != length) {
            throw new CorruptStoreException("LanesDB in " + dir + ": no preimage of key " + Hash.wrap(hashedKey));
        }
        return p;
    }

    private VersionLog.Entry entry(long version) {
        if (!readable(version)) {
            throw new IllegalArgumentException("version " + version + " is not kept (newest " + version() + ", keeping "
                    + (opts.keepVersions <= 0 ? "all" : opts.keepVersions) + ")");
        }
        try {
            return versions.find(version);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Hash root(long version) {
        long stamp = gate.readLock();
        try {
            return Hash.wrap(entry(version).rootHash());
        } finally {
            gate.unlockRead(stamp);
        }
    }

    private CowTrie trieAt(long version) {
        VersionLog.Entry e = entry(version);
        return new CowTrie(store, e.rootPtr(), e.rootPtr() == 0 ? null : e.rootHash(), e.rootMinSeg());
    }

    /** An account as of a kept version (walks that version's trie), or null. */
    public AccountInfo account(long version, Address address) {
        long stamp = gate.readLock();
        try {
            return accountAt(version, address);
        } finally {
            gate.unlockRead(stamp);
        }
    }

    private AccountInfo accountAt(long version, Address address) {
        checkUsable();
        Leaf l = trieAt(version).get(Keccak.hash(address.unsafeBytes()));
        return l == null ? null : decodeAccount(l.value);
    }

    /** A storage slot as of a kept version. */
    public UInt256 storage(long version, Address address, UInt256 slot) {
        long stamp = gate.readLock();
        try {
            return storageAt(version, address, slot);
        } finally {
            gate.unlockRead(stamp);
        }
    }

    private UInt256 storageAt(long version, Address address, UInt256 slot) {
        checkUsable();
        Leaf l = trieAt(version).get(Keccak.hash(address.unsafeBytes()));
        if (l == null || l.storagePtr == 0) return UInt256.ZERO;
        Leaf s = new CowTrie(store, l.storagePtr, storageRootOf(l.value), l.storageMinSeg).get(Keccak.hash(slot.toBytes()));
        return s == null ? UInt256.ZERO : new RlpReader(s.value).readUInt256();
    }

    /**
     * Reads the stored nodes on the newest version's path to {@code address} (and, when {@code slot} is not null, on its
     * storage trie's path to {@code slot}): the nodes a commit that writes that key will load. Called from a read pool
     * while a block executes, it brings them into the OS page cache before the commit needs them; it changes nothing.
     */
    public void warmPath(Address address, UInt256 slot) {
        long stamp = gate.readLock();
        try {
            long v = version();
            if (v < 0) return;
            if (slot == null) accountAt(v, address);
            else storageAt(v, address, slot);
        } finally {
            gate.unlockRead(stamp);
        }
    }

    /** An EIP-1186 proof of an account and some of its slots as of a kept version, from stored nodes (no rehash). */
    public WorldState.AccountProof proof(long version, Address address, List<UInt256> slots) {
        long stamp = gate.readLock();
        try {
            return proofAt(version, address, slots);
        } finally {
            gate.unlockRead(stamp);
        }
    }

    private WorldState.AccountProof proofAt(long version, Address address, List<UInt256> slots) {
        checkUsable();
        NodeEncoder raw = NodeEncoder.raw();
        byte[] hk = Keccak.hash(address.unsafeBytes());
        CowTrie t = trieAt(version);
        List<Node> path = t.path(hk);
        Leaf leaf = !path.isEmpty() && path.getLast() instanceof Leaf l && java.util.Arrays.equals(l.key, hk) ? l : null;
        AccountInfo info = leaf == null ? null : decodeAccount(leaf.value);
        byte[] sRoot = leaf == null ? EMPTY_ROOT : storageRootOf(leaf.value);
        CowTrie st = leaf == null || leaf.storagePtr == 0 ? null : new CowTrie(store, leaf.storagePtr, sRoot, leaf.storageMinSeg);
        List<WorldState.StorageProof> sp = new ArrayList<>();
        for (UInt256 k : slots) {
            byte[] sk = Keccak.hash(k.toBytes());
            List<Node> p = st == null ? List.of() : st.path(sk);
            Leaf sl = !p.isEmpty() && p.getLast() instanceof Leaf l && java.util.Arrays.equals(l.key, sk) ? l : null;
            sp.add(new WorldState.StorageProof(k, sl == null ? UInt256.ZERO : new RlpReader(sl.value).readUInt256(), encodings(p, raw)));
        }
        return new WorldState.AccountProof(address, info == null ? 0 : info.nonce(), info == null ? UInt256.ZERO : info.balance(),
                info == null ? Hash.EMPTY_CODE : info.codeHash(), Hash.wrap(sRoot), encodings(path, raw), sp);
    }

    private static List<byte[]> encodings(List<Node> path, NodeEncoder raw) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < path.size(); i++) {
            byte[] enc = CowTrie.encoding(path.get(i), raw);
            // Nodes shorter than a hash are embedded in their parent's encoding, so proofs leave them out.
            if (i == 0 || enc.length >= Hash.LENGTH) out.add(enc);
        }
        return out;
    }

    // ---- the flat index: rebuild, snapshot, check ----

    /** Rebuilds the flat index and the per-segment live counts by walking the newest trie (after a crash). */
    private void rebuildIndex() {
        accountIndex = new FlatIndex(1024);
        storageIndex = new FlatIndex(1024);
        if (head == null || head.rootPtr() == 0) return;
        new CowTrie(store, head.rootPtr(), head.rootHash(), head.rootMinSeg()).forEachStored(n -> {
            addLive(n.ptr);
            if (!(n instanceof Leaf l)) return;
            if (l.owner != null) throw new CorruptStoreException("storage leaf in the account trie");
            accountIndex.put(accountFp(l.key), 0, l.ptr);
            if (l.storagePtr != 0) {
                new CowTrie(store, l.storagePtr, storageRootOf(l.value), l.storageMinSeg).forEachStored(s -> {
                    addLive(s.ptr);
                    if (s instanceof Leaf sl) {
                        if (sl.owner == null || !java.util.Arrays.equals(sl.owner, l.key)) {
                            throw new CorruptStoreException("storage leaf with the wrong owner");
                        }
                        storageIndex.put(storageFp(l.key, sl.key), 0, sl.ptr);
                    }
                });
            }
        });
    }

    private void addLive(long ptr) {
        int seg = Ptr.segment(ptr);
        if (seg >= live.length) live = java.util.Arrays.copyOf(live, Math.max(seg + 1, live.length * 2));
        live[seg] += Ptr.length(ptr);
    }

    private static final long SNAPSHOT_MAGIC = 0x4c414e4553494458L; // "LANESIDX"

    /** Loads {@code index.snap} when it is intact and for the newest version; it is deleted either way. */
    private boolean loadSnapshot() throws IOException {
        Path f = dir.resolve("index.snap");
        if (!Files.exists(f)) return false;
        try (var in = new java.util.zip.CheckedInputStream(new java.io.BufferedInputStream(Files.newInputStream(f), 1 << 16), new java.util.zip.CRC32C());
             var d = new java.io.DataInputStream(in)) {
            if (d.readLong() != SNAPSHOT_MAGIC || head == null || d.readLong() != head.version()) return false;
            byte[] root = new byte[32];
            d.readFully(root);
            if (!java.util.Arrays.equals(root, head.rootHash())) return false;
            FlatIndex a = FlatIndex.readFrom(d);
            FlatIndex s = FlatIndex.readFrom(d);
            int nl = d.readInt();
            if (nl < 0 || nl > Ptr.MAX_SEGMENT + 1) return false;
            long[] lv = new long[Math.max(16, nl)];
            for (int i = 0; i < nl; i++) lv[i] = d.readLong();
            long expect = in.getChecksum().getValue();
            if (d.readLong() != expect) return false;
            accountIndex = a;
            storageIndex = s;
            live = lv;
            return true;
        } catch (IOException | RuntimeException e) {
            return false; // a damaged snapshot only costs a rebuild
        } finally {
            Files.deleteIfExists(f);
        }
    }

    private void writeSnapshot() throws IOException {
        if (head == null) return;
        Path tmp = dir.resolve("index.snap.tmp");
        var crc = new java.util.zip.CRC32C();
        try (var fo = new java.io.FileOutputStream(tmp.toFile());
             var out = new java.util.zip.CheckedOutputStream(new java.io.BufferedOutputStream(fo, 1 << 16), crc);
             var d = new java.io.DataOutputStream(out)) {
            d.writeLong(SNAPSHOT_MAGIC);
            d.writeLong(head.version());
            d.write(head.rootHash());
            accountIndex.writeTo(d);
            storageIndex.writeTo(d);
            d.writeInt(live.length);
            for (long v : live) d.writeLong(v);
            d.flush();
            d.writeLong(crc.getValue());
            d.flush();
            fo.getFD().sync();
        }
        snapshotBytes += Files.size(tmp);
        Files.move(tmp, dir.resolve("index.snap"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Segments.syncDir(dir);
    }

    /**
     * Recomputes the newest state root from the flat index alone (every leaf it points at, storage roots included)
     * and checks it against the trie's: the consistency check the crash tests run after every recovery.
     *
     * @throws CorruptStoreException when the index and the trie disagree
     */
    public Hash checkConsistency() {
        long stamp = gate.readLock();
        try {
            return checkConsistencyLocked();
        } finally {
            gate.unlockRead(stamp);
        }
    }

    private Hash checkConsistencyLocked() {
        checkUsable();
        Map<Hash, List<byte[][]>> slotsByOwner = new HashMap<>();
        List<CorruptStoreException> bad = new ArrayList<>();
        storageIndex.forEach((fp, ptr) -> {
            Leaf l = (Leaf) NodeRecords.decode(readRecord(ptr), Ptr.length(ptr), null, -1);
            if (l.owner == null || storageFp(l.owner, l.key) != fp) bad.add(new CorruptStoreException("storage index entry mismatch"));
            else slotsByOwner.computeIfAbsent(Hash.wrap(l.owner), k -> new ArrayList<>()).add(new byte[][] {l.key, l.value});
        });
        List<byte[]> keys = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        accountIndex.forEach((fp, ptr) -> {
            Leaf l = (Leaf) NodeRecords.decode(readRecord(ptr), Ptr.length(ptr), null, -1);
            if (accountFp(l.key) != fp) bad.add(new CorruptStoreException("account index entry mismatch"));
            List<byte[][]> slots = slotsByOwner.remove(Hash.wrap(l.key));
            Hash sRoot = Hash.EMPTY_TRIE;
            if (slots != null) {
                List<byte[]> sk = new ArrayList<>(), sv = new ArrayList<>();
                for (byte[][] kv : slots) {
                    sk.add(kv[0]);
                    sv.add(kv[1]);
                }
                sRoot = TrieRoot.secureHashed(sk, sv);
            }
            if (!sRoot.equals(Hash.wrap(storageRootOf(l.value)))) bad.add(new CorruptStoreException("storage root of " + Hash.wrap(l.key) + " differs from its slots"));
            keys.add(l.key);
            values.add(l.value);
        });
        if (!slotsByOwner.isEmpty()) bad.add(new CorruptStoreException(slotsByOwner.size() + " storage owners have no account"));
        if (!bad.isEmpty()) throw bad.getFirst();
        Hash r = TrieRoot.secureHashed(keys, values);
        if (!r.equals(root())) throw new CorruptStoreException("flat state root " + r + " differs from the trie's " + root());
        return r;
    }

    /**
     * Nanoseconds the last commit took to reach its state root (loading touched paths, updating, hashing; storage tries
     * included), before writing and syncing.
     */
    public long lastRootNanos() {
        return lastRootNanos;
    }

    /** Trie nodes the background compactor copied forward since the store was opened. */
    public long backgroundRelocated() {
        return bgRelocatedTotal;
    }

    public Stats stats() {
        return new Stats(segments.bytesWritten + versions.bytesWritten + codeLog.bytesWritten + snapshotBytes, diskBytes(),
                accountIndex.memoryBytes() + storageIndex.memoryBytes(), accountIndex.size(), storageIndex.size(),
                nodeReads.sum(), relocated, Segments.count(segments), nodesWritten);
    }

    /** Bytes of every file of the store. */
    public long diskBytes() {
        long t = 0;
        try (var s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) t += Files.size(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return t;
    }

    private void checkUsable() {
        if (closed) throw new IllegalStateException("LanesDB is closed");
        if (failed != null) throw new IllegalStateException("LanesDB failed during a commit; reopen it", failed);
    }

    /** Closes the files; after a clean run the flat index is saved so the next open needs no trie walk. */
    @Override public void close() {
        stopCompactor();
        synchronized (this) {
            long stamp = gate.writeLock();
            try {
                closeLocked();
            } finally {
                gate.unlockWrite(stamp);
            }
        }
    }

    private void closeLocked() {
        if (closed) return;
        closed = true;
        abandonBackgroundWork();
        try {
            if (failed == null) writeSnapshot();
            segments.close();
            versions.close();
            codeLog.close();
            if (preimages != null) preimages.close();
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (pool != null) pool.shutdownNow();
        }
    }
}
