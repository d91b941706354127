package dev.lanes.executor;

import dev.lanes.evm.BlobGas;
import dev.lanes.evm.BlockEnv;
import dev.lanes.evm.Fork;
import dev.lanes.evm.ForkRules;
import dev.lanes.evm.Journal;
import dev.lanes.evm.Message;
import dev.lanes.evm.TxEnv;
import dev.lanes.evm.interpreter.Evm;
import dev.lanes.evm.tx.InvalidTransactionException;
import dev.lanes.evm.tx.Transaction;
import dev.lanes.evm.tx.TransactionProcessor;
import dev.lanes.evm.tx.TxResult;
import dev.lanes.evm.tx.TxType;
import dev.lanes.executor.parallel.ParallelExecutor;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Bytes;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.UInt256;
import dev.lanes.state.ReadPool;
import dev.lanes.state.WorldState;
import dev.lanes.state.trie.TrieRoot;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * Sequential block execution on a {@link WorldState}: the EIP-4788 beacon-root system call (Cancun), every
 * transaction in order with its receipt, withdrawals (Shanghai) and the pre-merge block reward.
 *
 * <p>Sender recovery, the costly part that needs no state, is done for the whole block up front and in
 * parallel by {@link #recoverSenders}.
 *
 * <p>Uncle miners' rewards need the uncle headers: the overloads that take them ({@code BlockImporter}, replay of
 * a folder with {@code uncles.json}) pay them; a block body from RPC carries only their hashes, so without them
 * only the miner's reward (including 1/32 per uncle) is paid; receipts never depend on it.
 */
public final class BlockExecutor implements AutoCloseable {
    /** EIP-4788. */
    public static final Address SYSTEM_ADDRESS = Address.fromHex("0xfffffffffffffffffffffffffffffffffffffffe");
    public static final Address BEACON_ROOTS_ADDRESS = Address.fromHex("0x000F3df6D732807Ef1319fB7B8bB8522d0Beac02");
    public static final long SYSTEM_CALL_GAS = 30_000_000L;
    /** EIP-2935 block-hash history contract. */
    public static final Address HISTORY_STORAGE_ADDRESS = Address.fromHex("0x0000f90827f1c53a10cb7a02335b175320002935");
    /** The default chain id (mainnet), for replay and the benchmarks; a node sets its own with {@link #chainId(long)}. */
    public static final long CHAIN_ID = 1;
    /**
     * Blocks with at least this many receipts hash the receipts trie on the worker threads (when there are
     * any): below it, waking them costs about what the split saves.
     */
    static final int PARALLEL_ROOT_MIN = Integer.getInteger("lanes.parallel.rootMin", 64);
    /**
     * The adaptive executor hands the rest of a block to Block-STM only when at least this many transactions
     * remain and their estimated sequential time is long enough ({@link #PARALLEL_MIN_NANOS}, or
     * {@link #HEAVY_MIN_NANOS} for heavy transactions): waking the workers and the multi-version bookkeeping cost
     * more than a small block saves.
     */
    static final int PARALLEL_MIN_TXS = Integer.getInteger("lanes.parallel.minRest", 16);
    /**
     * The least estimated sequential time of the transactions left for which Block-STM is started (adaptive), for
     * light transactions: Block-STM costs its two workers some microseconds per transaction on the 2-vCPU machines
     * here (a cache line moved between the cores costs ~200 ns), which transactions of 5-10 us (ERC-20 transfers)
     * repay only in long blocks; until then the pipelined sequential path is faster (docs/benchmarks.md, session 18:
     * 256 ERC-20 transfers (1.3 ms) ran at 0.76x on Block-STM, 512 at 0.88-0.90x, 1,024 at 0.91x).
     */
    static final long PARALLEL_MIN_NANOS = Long.getLong("lanes.parallel.minRestNanos", 5_000_000L);
    /** Transactions that take at least this long each on average (in the probe) are heavy: {@link #HEAVY_MIN_NANOS}. */
    static final long HEAVY_TX_NANOS = Long.getLong("lanes.parallel.heavyTxNanos", 15_000L);
    /**
     * The least estimated sequential time of the transactions left for which Block-STM is started when they are heavy:
     * its cost per transaction is then small beside their own (docs/benchmarks.md, session 18: on the mainnet blocks
     * with 16 transactions and 0.5 ms left, against 64 and 5 ms, blocks of 2-5 ms such as 7279999 went from 1.04x to
     * 1.49x on two threads, 5283152 from 1.09x to 1.31x).
     */
    static final long HEAVY_MIN_NANOS = Long.getLong("lanes.parallel.heavyMinRestNanos", 500_000L);
    /**
     * Whether Block-STM's workers make receipts and hash the receipts trie over the transactions its rolling commit has
     * applied while the block still executes ({@link ReceiptsAlong}; {@code -Dlanes.parallel.receiptsAlong=false}: after it).
     */
    static final boolean ALONG = !"false".equals(System.getProperty("lanes.parallel.receiptsAlong"));
    /** Receipts per subtree task when the receipts trie is hashed during execution. */
    static final int ALONG_LEAVES = Integer.getInteger("lanes.parallel.alongLeaves", 32);
    /** Transactions run sequentially before the estimate is trusted (adaptive). */
    static final int PROBE_TXS = 4;
    /**
     * ... or fewer, once they have taken this long ({@code -Dlanes.parallel.probeNanos}): a block whose first transaction
     * is heavy is judged on it alone, rather than running three more alone first (mainnet block 19933597's first four
     * took 0.8-1.0 ms of its 4.9).
     */
    static final long PROBE_NANOS = Long.getLong("lanes.parallel.probeNanos", 150_000L);
    /**
     * Whether the sequential path on more than one thread makes receipts, blooms and the receipts trie on a worker
     * thread beside the execution ({@link ReceiptsPipeline}; {@code -Dlanes.pipeline=false} turns it off).
     */
    static final boolean PIPELINE = !"false".equals(System.getProperty("lanes.pipeline"));
    /** Transactions left below which the sequential path makes receipts itself: handing them over would cost more. */
    static final int PIPELINE_MIN_TXS = Integer.getInteger("lanes.pipelineMinTxs", 32);
    /**
     * On two threads, Block-STM's own cost per transaction as the choice between it and the pipelined sequential path
     * counts it (see the probe in {@code execute}; about 3-5 us of the two workers' time per transaction on the 2-vCPU
     * machines here, where a cache line moved between the cores costs about 200 ns). 0, the default: no such choice,
     * Block-STM starts as on more threads. Not on by default because the choice misjudged too often (docs/benchmarks.md,
     * session 17: the block's thread ran up to twice as slow per transaction in some JVMs while the pipeline ran beside
     * it, and the worker sometimes woke milliseconds late; the 47 mainnet blocks ran at 1.09x with it against 1.20x
     * without). {@code -Dlanes.pipelineBarNanos=4000} or {@code --compare pipeline-bar=4000} try it.
     */
    static final long PIPELINE_BAR_NANOS = Long.getLong("lanes.pipelineBarNanos", 0L);
    /** Transactions run on the pipelined path before its time per transaction is compared with the bar above. */
    static final int PIPELINE_PROBE_TXS = 32;
    private static final boolean DEBUG_PIPE = Boolean.getBoolean("lanes.debugPipeline");
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    private static final boolean DEBUG = Boolean.getBoolean("lanes.parallel.debug");
    private final Evm evm;
    /** Bloom bits of recent log addresses and topics (the sequential path's; each worker has its own). */
    private final Bloom.Memo blooms = new Bloom.Memo();
    private final int threads;
    private ParallelExecutor parallel;
    /** See {@link #lastHelperDelayNanos()}. */
    private long lastHelperDelayNanos = -2;

    /**
     * For the last block's first Block-STM run: how long after it was handed to the workers the first helper took it up
     * ({@link ParallelExecutor#lastHelperDelayNanos}; -1: none did before the calling thread finished it), or -2 when the
     * block ran no Block-STM.
     */
    public long lastHelperDelayNanos() {
        return lastHelperDelayNanos;
    }
    private boolean adaptive = true, recordDependencies, forceBlockStm, intermediateRoots;
    private int switchAfter = -1;
    /**
     * Tests: Block-STM starts at this transaction (a sequential prefix, then Block-STM) instead of where the timed
     * probe decides; -1: not set (the adaptive executor probes, a non-adaptive one starts at 0).
     */
    private int parallelFrom = -1;
    /** Why the last block ran sequentially when the adaptive probe decided so (else null: see the executor's stats). */
    private ParallelExecutor.Stats probeStats;
    /** The adaptive probe's last estimate when it kept the block sequential (probeAt > 0; see lastStats). */
    private int probeAt;
    private long probePerTx;
    private boolean probePipelined;
    private long chainId = CHAIN_ID;
    private ReadPool readPool;
    private Prefetch prefetch = Prefetch.NONE;
    private boolean asyncReads;
    private long lastPrefetched;
    /** The running block's prefetch batch (told each transaction the sequential loop starts), or null. */
    private ReadPool.Batch currentReads;
    private boolean lastCommitFast;
    private int lastRollingCommits;
    /** Transactions of the last block committed by Block-STM in its optimistic mode (see {@link ParallelExecutor#occ}). */
    private int lastOptimistic;

    /** A sequential executor that runs on the caller's thread with {@code evm}. */
    public BlockExecutor(Evm evm) {
        this.evm = evm;
        this.threads = 1;
    }

    /**
     * An executor with {@code threads} execution threads: 1 is the plain sequential path on the caller's
     * thread; more runs each block's transactions with Block-STM ({@link ParallelExecutor}) on that many
     * worker threads, which are started on first use and reused for every block until {@link #close()}.
     * The caller's thread needs a deep stack either way (nested calls recurse; see {@code ReplayCommand}).
     */
    public BlockExecutor(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1: " + threads);
        this.evm = new Evm();
        this.threads = threads;
    }

    /**
     * An executor that runs every block through Block-STM, even on one thread (measures the machinery's own
     * cost against the sequential path; not adaptive).
     */
    public static BlockExecutor blockStm(int threads) {
        BlockExecutor e = new BlockExecutor(threads);
        e.forceBlockStm = true;
        e.adaptive = false;
        return e;
    }

    /**
     * Blocks run on a state {@link WorldState#over over a store} have their predicted reads loaded by {@code pool}
     * while they execute ({@link Prefetch}; {@link Prefetch#NONE} loads nothing ahead), and Block-STM's reads of what
     * is not held go through it without waiting ({@link #asyncReads}); {@code pool} null turns both off. A state held
     * wholly in memory is never prefetched for. The pool is the caller's (it may serve several executors).
     */
    public BlockExecutor prefetch(ReadPool pool, Prefetch mode) {
        this.readPool = pool;
        this.prefetch = java.util.Objects.requireNonNull(mode);
        return this;
    }

    /**
     * With a read pool ({@link #prefetch}) and a state over a store, Block-STM's executions do not wait for the store:
     * a transaction whose read is not held yet is suspended while the pool loads it, and the worker runs other tasks
     * (off by default: they wait, as the sequential path does). A suspended transaction is run once on the pool against
     * the pre-state after its read arrives (loading the rest of its reads) and then starts again from the beginning. On
     * two cores it gained over waiting with {@link Prefetch#KEYS} and lost with {@link Prefetch#EXECUTE}, the fastest
     * setting cold (docs/benchmarks.md).
     */
    public BlockExecutor asyncReads(boolean on) {
        this.asyncReads = on;
        return this;
    }

    /** Block-STM executions of the last block suspended for a read from the store ({@link #asyncReads}). */
    public long lastReadWaits() {
        return parallel == null ? 0 : parallel.lastReadWaits();
    }

    /** Reads (tasks) the last block queued for prefetching; 0 when it prefetched nothing. */
    public long lastPrefetched() {
        return lastPrefetched;
    }

    /** The chain id that CHAINID returns in blocks this executor runs (default {@link #CHAIN_ID}). */
    public BlockExecutor chainId(long chainId) {
        this.chainId = chainId;
        return this;
    }

    public long chainId() {
        return chainId;
    }

    public int threads() {
        return threads;
    }

    /**
     * What the last block did in Block-STM (executions, re-executions, ...; counted over the transactions it ran,
     * after any sequential prefix), or why it ran sequentially ({@link ParallelExecutor.Stats#sequentialReason});
     * {@code null} on a one-thread executor.
     */
    public ParallelExecutor.Stats lastStats() {
        if (probeStats != null) return probeStats;
        if (!blockStm && threads > 1 && !forceBlockStm) {
            return new ParallelExecutor.Stats(lastTxs, threads, 0, 0, 0, 0, 0, "Block-STM not allowed (allowBlockStm)", -1, List.of());
        }
        if (probeAt > 0) {
            return new ParallelExecutor.Stats(lastTxs, threads, 0, 0, 0, 0, 0, probePipelined
                    ? "about " + probePerTx / 1000 + " us per transaction: pipelined on two threads"
                    : "about " + (probePerTx * (lastTxs - probeAt) / 1000) + " us of work left after " + probeAt + " transactions",
                    -1, List.of());
        }
        return parallel == null ? null : parallel.lastStats();
    }

    /**
     * Tests: run the first {@code k} transactions of each block on the sequential path and hand the rest to
     * Block-STM (the adaptive executor does the same at a point it picks by timing the first ones; a test that
     * sets {@code k} skips that timing, while Block-STM's own adaptive test still follows {@link #adaptive}).
     */
    public BlockExecutor parallelFrom(int k) {
        if (k < 0) throw new IllegalArgumentException("parallelFrom must be >= 0: " + k);
        this.parallelFrom = k;
        return this;
    }

    /**
     * Whether a block that would not gain (too few transactions, one sender's chain) runs on the sequential
     * path (default on); off forces Block-STM for every block (tests, dependency measurement).
     */
    public BlockExecutor adaptive(boolean on) {
        this.adaptive = on;
        return this;
    }

    /**
     * Whether Block-STM commits and applies transactions to the state while the block executes (the rolling
     * commit; on by default, {@code -Dlanes.parallel.rollingCommit=false} turns it off). Results are the same either way.
     */
    public BlockExecutor rollingCommit(boolean on) {
        this.rollingCommit = on;
        return this;
    }

    private boolean rollingCommit = ParallelExecutor.ROLLING;

    /**
     * The most consecutive transactions a Block-STM worker claims at once (default {@code -Dlanes.parallel.claim}, 1:
     * one at a time, as in the paper). Results are the same either way.
     */
    public BlockExecutor claim(int most) {
        if (most < 1) throw new IllegalArgumentException("claim must be at least 1");
        this.claim = most;
        return this;
    }

    private int claim = ParallelExecutor.CLAIM_MAX;
    /** Setting {@code occ-claim=N}: see {@link ParallelExecutor#OCC_CLAIM_MAX}. */
    private int occClaim = ParallelExecutor.OCC_CLAIM_MAX;
    /** Setting {@code commit-own=on|off}: see {@link ParallelExecutor#commitOwn}. */
    private boolean commitOwn = ParallelExecutor.COMMIT_OWN;
    /** Setting {@code occ=on|off|auto}: see {@link ParallelExecutor#OCC_MODE}. */
    private String occ = occMode(ParallelExecutor.OCC_MODE);
    /** Setting {@code occ-probe-share=N}: see {@link ParallelExecutor#occProbeShare}. */
    private int occProbeShare = ParallelExecutor.OCC_PROBE_SHARE;
    /** Setting {@code hand-over-spin=on|off}: see {@link ParallelExecutor#spinAfterHandOver}. */
    private boolean handOverSpin = ParallelExecutor.SPIN_AFTER_HAND_OVER;

    private static String occMode(String v) {
        if (!v.equals("on") && !v.equals("off") && !v.equals("auto")) throw new IllegalArgumentException("occ must be on, off or auto: " + v);
        return v;
    }

    /**
     * Whether the sequential path, on more than one thread, makes receipts and the receipts trie on a worker thread
     * beside the execution (default {@link #PIPELINE}; results are the same).
     */
    public BlockExecutor pipeline(boolean on) {
        this.pipeline = on;
        return this;
    }

    private boolean pipeline = PIPELINE;

    /** Whether blocks may run on Block-STM (default); off: the sequential path only, pipelined on more than one thread. */
    public BlockExecutor allowBlockStm(boolean on) {
        this.blockStm = on;
        return this;
    }

    private boolean blockStm = true;

    /**
     * On two threads, Block-STM's own cost per transaction as the choice between it and the pipelined sequential path
     * counts it (default {@link #PIPELINE_BAR_NANOS}; 0: no pipelined choice, Block-STM starts as on more threads).
     */
    public BlockExecutor pipelineBar(long nanosPerTx) {
        this.pipelineBar = nanosPerTx;
        return this;
    }

    private long pipelineBar = PIPELINE_BAR_NANOS;
    /** The adaptive start's bars (defaults {@link #PARALLEL_MIN_TXS}, {@link #PARALLEL_MIN_NANOS}); see {@link #tune}. */
    private int minRestTxs = PARALLEL_MIN_TXS;
    private long minRestNanos = PARALLEL_MIN_NANOS, heavyTxNanos = HEAVY_TX_NANOS, heavyMinRestNanos = HEAVY_MIN_NANOS;
    /** Transactions run sequentially before the probe's estimate is trusted (setting {@code probe-txs}). */
    private int probeTxs = PROBE_TXS;
    /** The probe also ends once it has run this long (setting {@code probe-nanos}; 0: it runs {@link #probeTxs} in any case). */
    private long probeNanos = PROBE_NANOS;
    /**
     * Whether the rolling commit encodes each receipt as it commits the transaction (see {@link ReceiptsAlong}); default
     * on ({@code -Dlanes.parallel.encodeAtCommit=false} or the setting {@code encode-at-commit=off}: the receipts-trie
     * tasks encode them).
     */
    private boolean encodeAtCommit = !"false".equals(System.getProperty("lanes.parallel.encodeAtCommit"));

    /**
     * Settings from text, for benchmarks that compare them: comma-separated {@code rolling=on|off} (Block-STM's
     * rolling commit), {@code encode-at-commit=on|off} (see {@link #encodeAtCommit}), {@code probe-txs=N} (the
     * transactions run sequentially before the adaptive start's estimate, default {@link #PROBE_TXS}), {@code probe-nanos=NANOS}
     * (or fewer once they took this long, default {@link #PROBE_NANOS}; 0: no bound), {@code pipeline=on|off} (see {@link #pipeline}), {@code block-stm=on|off} (see {@link #allowBlockStm}),
     * {@code pipeline-bar=NANOS} (see {@link #pipelineBar}), {@code claim=N} (see {@link #claim}), {@code occ-claim=N} (the same in the optimistic mode, see {@link ParallelExecutor#OCC_CLAIM_MAX}), {@code commit-own=on|off}
     * (see {@link ParallelExecutor#commitOwn}), {@code occ=on|off|auto} (see {@link ParallelExecutor#OCC_MODE}), {@code hand-over-spin=on|off} (see {@link ParallelExecutor#spinAfterHandOver}), {@code min-rest-txs=N}, {@code min-rest-nanos=NANOS},
     * {@code heavy-tx-nanos=NANOS} and {@code heavy-min-rest-nanos=NANOS} (the adaptive start's bars, see
     * {@link #PARALLEL_MIN_TXS} and the three after it). Throws IllegalArgumentException on anything else.
     */
    public BlockExecutor tune(String settings) {
        for (String part : settings.split(",")) {
            String[] kv = part.trim().split("=", 2);
            String v = kv.length == 2 ? kv[1].trim() : "";
            switch (kv[0].trim()) {
                case "rolling" -> rollingCommit(onOff(part, v));
                case "encode-at-commit" -> encodeAtCommit = onOff(part, v);
                case "pipeline" -> pipeline(onOff(part, v));
                case "block-stm" -> allowBlockStm(onOff(part, v));
                case "pipeline-bar" -> {
                    pipelineBar(number(part, v));
                }
                case "commit-own" -> commitOwn = onOff(part, v);
                case "occ" -> occ = occMode(v);
                case "occ-probe-share" -> occProbeShare = (int) Math.max(1, Math.min(1 << 20, number(part, v)));
                case "hand-over-spin" -> handOverSpin = onOff(part, v);
                case "claim" -> claim((int) Math.max(1, Math.min(1 << 20, number(part, v))));
                case "occ-claim" -> occClaim = (int) Math.max(1, Math.min(1 << 20, number(part, v)));
                case "probe-txs" -> probeTxs = (int) Math.max(1, Math.min(1 << 20, number(part, v)));
                case "probe-nanos" -> probeNanos = number(part, v);
                case "min-rest-txs" -> minRestTxs = (int) Math.min(Integer.MAX_VALUE, number(part, v));
                case "min-rest-nanos" -> minRestNanos = number(part, v);
                case "heavy-tx-nanos" -> heavyTxNanos = number(part, v);
                case "heavy-min-rest-nanos" -> heavyMinRestNanos = number(part, v);
                default -> throw new IllegalArgumentException("unknown setting '" + part + "' (rolling=on|off, encode-at-commit=on|off, probe-txs=N, probe-nanos=NANOS, pipeline=on|off, "
                        + "block-stm=on|off, pipeline-bar=NANOS, claim=N, occ-claim=N, commit-own=on|off, occ=on|off|auto, occ-probe-share=N, hand-over-spin=on|off, min-rest-txs=N, min-rest-nanos=NANOS, heavy-tx-nanos=NANOS, "
                        + "heavy-min-rest-nanos=NANOS)");
            }
        }
        return this;
    }

    private static long number(String part, String v) {
        try {
            long x = Long.parseLong(v);
            if (x >= 0) return x;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("setting '" + part + "': needs a number of at least 0");
    }

    private static boolean onOff(String part, String v) {
        return switch (v) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("setting '" + part + "': on or off");
        };
    }

    /** Tests: make Block-STM hand the rest of each block to the sequential path after this many executions. */
    public BlockExecutor switchToSequentialAfter(int executions) {
        this.switchAfter = executions;
        return this;
    }

    /** Whether parallel runs also compute each transaction's true dependencies ({@link #lastDependencies()}). */
    public BlockExecutor recordDependencies(boolean on) {
        this.recordDependencies = on;
        return this;
    }

    /**
     * Whether receipts before Byzantium carry the state root after their transaction (the receipts root needs
     * it: EIP-658 replaced it with a status). Off by default: replay's partial pre-state cannot produce true
     * roots, and computing one per transaction is costly; a block importer with the whole state turns it on.
     */
    public BlockExecutor intermediateStateRoots(boolean on) {
        this.intermediateRoots = on;
        return this;
    }

    /** How many transactions of the last block Block-STM committed in its optimistic mode (tests, benchmarks). */
    public int lastOptimistic() {
        return lastOptimistic;
    }

    /** Whether the optimistic mode gave the last block back to Block-STM proper (tests, benchmarks). */
    public boolean lastOptimisticGaveUp() {
        return lastOptimisticGaveUp;
    }

    private boolean lastOptimisticGaveUp;

    /** How many transactions of the last block Block-STM's rolling commit applied while the block executed (tests). */
    public int lastRollingCommits() {
        return lastRollingCommits;
    }

    /**
     * Receipts-trie subtrees the last block's Block-STM workers hashed while it executed ({@link ReceiptsAlong}; tests).
     */
    public int lastRootTasksAlong() {
        return lastRootTasksAlong;
    }

    private int lastRootTasksAlong;

    /** Transactions of the last block whose receipts the pipeline's worker made ({@link #pipeline}); 0: none. */
    public int lastPipelined() {
        return lastPipelined;
    }

    private int lastPipelined;
    /** The last block's transaction count (for {@link #lastStats}'s reasons). */
    private int lastTxs;
    /** The pipeline of the block being executed, until it is closed (an exception leaves it to {@link #execute}'s finally). */
    private ReceiptsPipeline activePipe;

    /** Whether the last block's receipts were made by the fast commit (tests; see {@code fastCommit}). */
    public boolean lastCommitFast() {
        return lastCommitFast;
    }

    /** For each transaction of the last parallel block, the transactions whose writes it read; null if not recorded. */
    public int[][] lastDependencies() {
        return parallel == null ? null : parallel.lastDependencies();
    }

    /** Stops the worker threads, if any were started. */
    @Override public void close() {
        if (parallel != null) parallel.close();
        parallel = null;
    }

    /**
     * The result of executing a block. {@code invalidReason} is set when the block is invalid; then
     * {@code invalidTx} is the transaction that could not be included, or -1 when the block itself is at fault.
     */
    public record Result(List<Receipt> receipts, long gasUsed, long blobGasUsed, byte[] logsBloom, Hash receiptsRoot,
                         int invalidTx, String invalidReason, Hash requestsHash) {
        public boolean valid() {
            return invalidReason == null;
        }
    }

    /** A sender recovery failure: the transaction index and why. */
    public record SenderError(int index, String message) {}

    /**
     * Validates every transaction against {@code fork} and recovers its sender, in parallel on {@code pool}.
     * Returns the senders, index-aligned; throws nothing: the first failure is reported in {@code error[0]}.
     */
    public static Address[] recoverSenders(List<Transaction> txs, Fork fork, ForkJoinPool pool, SenderError[] error) {
        return recoverSenders(txs, fork, pool, error, CHAIN_ID);
    }

    /** {@link #recoverSenders(List, Fork, ForkJoinPool, SenderError[])} on the chain {@code chainId}. */
    public static Address[] recoverSenders(List<Transaction> txs, Fork fork, ForkJoinPool pool, SenderError[] error,
                                           long chainId) {
        Address[] senders = new Address[txs.size()];
        String[] errors = new String[txs.size()];
        Runnable work = () -> IntStream.range(0, txs.size()).parallel().forEach(i -> {
            try {
                Transaction tx = txs.get(i);
                tx.validate(fork, chainId);
                senders[i] = tx.sender();
            } catch (RuntimeException e) {
                errors[i] = e.getMessage();
            }
        });
        if (pool == null || txs.size() < 2) work.run();
        else pool.submit(work).join();
        for (int i = 0; i < errors.length; i++) {
            if (errors[i] != null) {
                error[0] = new SenderError(i, errors[i]);
                break;
            }
        }
        return senders;
    }

    /** The block environment for transactions: PREVRANDAO is the difficulty before Paris and mixHash after. */
    public static BlockEnv blockEnv(BlockHeader h, ForkRules rules) {
        return blockEnv(h, rules, CHAIN_ID);
    }

    /** {@link #blockEnv(BlockHeader, ForkRules)} on the chain {@code chainId}. */
    public static BlockEnv blockEnv(BlockHeader h, ForkRules rules, long chainId) {
        UInt256 randao = rules.eip4399Prevrandao ? UInt256.fromBytes(h.mixHash().unsafeBytes()) : h.difficulty();
        UInt256 blobBaseFee = UInt256.ONE;
        if (rules.eip4844) blobBaseFee = BlobGas.baseFee(h.excessBlobGas() == null ? 0 : h.excessBlobGas(), rules.blobBaseFeeUpdateFraction);
        return new BlockEnv(h.coinbase(), h.number(), h.timestamp(), h.gasLimit(), h.baseFee(), randao,
                UInt256.of(chainId), blobBaseFee);
    }

    /**
     * Executes {@code block} on {@code state} with senders from {@link #recoverSenders}, under the block's rules
     * ({@link MainnetBlock#rules()}), paying its uncles' miners when the folder has their headers. The DAO
     * fork's balance move, the chain id and intermediate roots are the caller's ({@code BlockReplay}).
     */
    public Result execute(MainnetBlock block, WorldState state, Address[] senders) {
        return execute(block.header, block.rules(), block.transactions, block.withdrawals, block.uncleCount, block.uncles,
                state, senders);
    }

    /**
     * Executes a block body under {@code fork}'s rules on {@code state} (which it leaves as the post-state), with
     * senders from {@link #recoverSenders}. The result is the same whatever the thread count.
     */
    public Result execute(BlockHeader h, Fork fork, List<Transaction> txs, List<Withdrawal> withdrawals, int uncleCount,
                          WorldState state, Address[] senders) {
        return execute(h, fork, txs, withdrawals, uncleCount, null, state, senders);
    }

    /**
     * As {@link #execute(BlockHeader, Fork, List, List, int, WorldState, Address[])}, with the uncle headers, so
     * that each uncle's miner is paid too: {@code reward * (8 + uncle.number - block.number) / 8} (Yellow Paper
     * section 11.3).
     */
    public Result execute(BlockHeader h, Fork fork, List<Transaction> txs, List<Withdrawal> withdrawals,
                          List<BlockHeader> ommers, WorldState state, Address[] senders) {
        return execute(h, ForkRules.of(fork), txs, withdrawals, ommers.size(), ommers, state, senders);
    }

    /**
     * As {@link #execute(BlockHeader, Fork, List, List, List, WorldState, Address[])}, under {@code rules}: a
     * fork's rules as a chain configures them, e.g. with its own blob schedule (EIP-7840, EIP-7892).
     */
    public Result execute(BlockHeader h, ForkRules rules, List<Transaction> txs, List<Withdrawal> withdrawals,
                          List<BlockHeader> ommers, WorldState state, Address[] senders) {
        return execute(h, rules, txs, withdrawals, ommers.size(), ommers, state, senders);
    }

    private Result execute(BlockHeader h, Fork fork, List<Transaction> txs, List<Withdrawal> withdrawals, int uncleCount,
                           List<BlockHeader> ommers, WorldState state, Address[] senders) {
        return execute(h, ForkRules.of(fork), txs, withdrawals, uncleCount, ommers, state, senders);
    }

    private Result execute(BlockHeader h, ForkRules rules, List<Transaction> txs, List<Withdrawal> withdrawals, int uncleCount,
                           List<BlockHeader> ommers, WorldState state, Address[] senders) {
        BlockEnv env = blockEnv(h, rules, chainId);
        ReadPool.Batch reads = readPool != null && state.overStore()
                ? prefetch.start(readPool, state, txs, senders, env, rules) : null;
        lastPrefetched = reads == null ? 0 : reads.submitted();
        currentReads = reads;
        try {
            return execute(h, rules, env, txs, withdrawals, uncleCount, ommers, state, senders);
        } finally {
            if (activePipe != null) { // the block threw: stop the pipeline's worker
                activePipe.close();
                activePipe = null;
            }
            currentReads = null;
            if (reads != null) reads.cancel();
        }
    }

    private Result execute(BlockHeader h, ForkRules rules, BlockEnv env, List<Transaction> txs, List<Withdrawal> withdrawals,
                           int uncleCount, List<BlockHeader> ommers, WorldState state, Address[] senders) {
        Fork fork = rules.fork();
        lastCommitFast = false;
        lastRollingCommits = 0;
        lastHelperDelayNanos = -2;
        lastOptimistic = 0;
        lastOptimisticGaveUp = false;
        lastRootTasksAlong = 0;
        lastPipelined = 0;
        lastTxs = txs.size();

        if (rules.eip4788 && h.parentBeaconBlockRoot() != null && state.contains(BEACON_ROOTS_ADDRESS)) {
            // The pre-state holds the contract only when the block's transactions touch it; otherwise its
            // storage cannot influence any receipt and the call is skipped.
            systemCall(rules, env, state, BEACON_ROOTS_ADDRESS, h.parentBeaconBlockRoot().toArray());
        }
        if (rules.eip2935 && state.contains(HISTORY_STORAGE_ADDRESS)) {
            // EIP-2935: the parent's hash goes into the history contract's ring buffer (same caveat as above).
            systemCall(rules, env, state, HISTORY_STORAGE_ADDRESS, h.parentHash().toArray());
        }

        // Block-STM runs the transactions from some index on (outcomes[i] for those): from the first with a forced
        // executor; with an adaptive one, from the point where the sequential run so far predicts that the rest is
        // long enough to gain (small blocks, like a sequencer's blocks under light load, stay sequential).
        ParallelExecutor.Outcome[] outcomes = null;
        int n = txs.size();
        boolean mayParallel = (threads > 1 && blockStm || forceBlockStm) && n > 0;
        boolean probing = mayParallel && adaptive && !forceBlockStm && parallelFrom < 0;
        // Where Block-STM starts when not probing, and whether it runs in the optimistic mode (off for the rest of the
        // block once that mode gave up on it: the rest then runs on Block-STM proper).
        int startAt = parallelFrom;
        boolean occNow = occ.equals("on"), occHandOver = occ.equals("auto");
        probeAt = 0;
        probeStats = probing ? new ParallelExecutor.Stats(n, threads, 0, 0, 0, 0, 0,
                "fewer than " + minRestTxs + " transactions", -1, List.of()) : null;
        long loopStart = System.nanoTime();
        long cpuStart = DEBUG ? THREADS.getCurrentThreadCpuTime() : 0;
        long tCommit = loopStart, tStart = loopStart, dbgExec = 0, dbgApply = 0, dbgBloom = 0;
        List<Receipt> receipts = new ArrayList<>(n);
        byte[] blockBloom = new byte[Bloom.BYTES];
        long cumulative = 0, blobGas = 0;
        // When every transaction from Block-STM's first on has its outcome, their write sets are applied after the
        // receipts are made, while the other workers already hash the receipts trie; otherwise each result is
        // applied before the next transaction runs (the sequential path, a sequential prefix, or the rest of a
        // block after an adaptive switch).
        boolean deferApply = false;
        TxResult[] results = null;
        // The fast commit: every receipt from madeFrom on is made by the receipts-root tasks (see fastCommit).
        Receipt[] made = null;
        long[] madeCumulative = null; // per transaction from madeFrom on, the cumulative gas after it
        int madeFrom = n;
        // The sequential path's receipts, blooms and receipts trie, made on a worker thread beside the execution.
        ReceiptsPipeline pipe = null;
        long pipeAt16 = -1; // this thread's CPU time when the pipeline's 16th transaction started
        // When the receipts root was begun during Block-STM (ReceiptsAlong): it, and its first task not run yet.
        ReceiptsAlong receiptsAlong = null;
        int alongFirst = 0;
        // Transactions before appliedTo were applied to the state by Block-STM's rolling commit already.
        int appliedTo = 0;
        for (int i = 0; i < n; i++) {
            if (mayParallel) {
                boolean start;
                if (!probing) {
                    start = i >= startAt;
                } else if (n - i < minRestTxs) {
                    start = false;
                    mayParallel = false; // too few left: the rest runs sequentially
                } else if (i < probeTxs && (i == 0 || probeNanos <= 0 || System.nanoTime() - loopStart < probeNanos)) {
                    start = false;
                } else {
                    long elapsed = System.nanoTime() - loopStart;
                    long perTx = elapsed / i;
                    long rest = perTx * (n - i);
                    start = rest >= minRestNanos || perTx >= heavyTxNanos && rest >= heavyMinRestNanos;
                    boolean pipelined = false;
                    if (start && pipe != null && threads == 2 && pipelineBar > 0) {
                        // On two threads the pipelined path takes max(E, R) per transaction (E: this thread's time per
                        // transaction, R: the pipeline worker's), Block-STM about (E + R + c) / 2 with c its own cost per
                        // transaction on two workers: it gains only where E > R + c (c: pipelineBar). Judged on
                        // PIPELINE_PROBE_TXS transactions at least (the first few and the pipeline's start are slower),
                        // every 16th (the worker's figure is on a cache line it writes).
                        long r = i - pipe.from >= PIPELINE_PROBE_TXS && (i & 15) == 0 ? pipe.nanosPerReceipt() : -1;
                        // this thread's CPU time per transaction since the 16th (the first ones, and the start, are
                        // slower; a collection's pause, which stops both threads, is not this thread's time)
                        long e = r < 0 || pipeAt16 < 0 ? 0 : (THREADS.getCurrentThreadCpuTime() - pipeAt16) / (i - pipe.from - 16);
                        pipelined = r < 0 || e < r + pipelineBar;
                        if (DEBUG_PIPE && r >= 0) System.err.printf("pipeline probe at %d of %d: e %d r %d ns -> %s%n", i, n, e, r, pipelined ? "pipeline" : "block-stm");
                        if (pipelined) start = false;
                    }
                    if (!start) { // the reason, made into text only if asked for (lastStats): this runs per transaction
                        probeStats = null;
                        probeAt = i;
                        probePerTx = perTx;
                        probePipelined = pipelined;
                    }
                }
                if (start) {
                    mayParallel = false;
                    probeStats = null;
                    probeAt = 0;
                    if (pipe != null) { // Block-STM makes the receipts from here on
                        drain(pipe, receipts, blockBloom);
                        pipe = null;
                    }
                    if (parallel == null) parallel = new ParallelExecutor(threads);
                    parallel.adaptive(adaptive);
                    parallel.recordDependencies(recordDependencies);
                    parallel.switchToSequentialAfter(switchAfter);
                    parallel.rollingCommit(rollingCommit);
                    parallel.claim(claim);
                    parallel.occClaim(occClaim);
                    parallel.commitOwn(commitOwn);
                    parallel.occ(occNow);
                    parallel.handToOcc(occHandOver && !occNow);
                    parallel.occProbeShare(occProbeShare);
                    parallel.spinAfterHandOver(handOverSpin);
                    parallel.asyncReads(asyncReads ? readPool : null);
                    if (DEBUG) tStart = System.nanoTime();
                    // The rolling commit applies transactions to the state as they become final, except where a
                    // receipt needs the state root after its own transaction (pre-Byzantium, when asked for).
                    boolean rolling = !(intermediateRoots && !rules.eip658Status);
                    // Receipts and the receipts trie made as the rolling commit applies transactions (see ReceiptsAlong).
                    ReceiptsAlong along = rolling && rules.eip658Status && n >= PARALLEL_ROOT_MIN && ALONG
                            ? new ReceiptsAlong(txs, receipts, cumulative, Math.max(8 * threads, n / ALONG_LEAVES), encodeAtCommit) : null;
                    parallel.sideWork(along);
                    ParallelExecutor.Outcome[] rest = parallel.run(i == 0 ? txs : txs.subList(i, n),
                            i == 0 ? senders : java.util.Arrays.copyOfRange(senders, i, n), env, rules, state,
                            rolling ? h.gasLimit() - cumulative : -1, rolling ? rules.maxBlobGasPerBlock - blobGas : -1);
                    appliedTo = i + parallel.lastCommitted();
                    if (lastHelperDelayNanos == -2) lastHelperDelayNanos = parallel.lastHelperDelayNanos();
                    lastRollingCommits += appliedTo - i;
                    if (occNow) lastOptimistic += appliedTo - i;
                    // The optimistic run committed a prefix and found the block too dependent for it: Block-STM proper
                    // takes the rest from there (the transactions between run here as outcomes, none when it committed
                    // all it executed), and keeps it. Or Block-STM's probe found the block independent: the
                    // optimistic mode takes the rest from the end of the final prefix. Each at most once per block.
                    boolean gaveUp = occNow && parallel.lastOccGaveUp();
                    boolean handed = !occNow && parallel.lastHandsToOcc() && parallel.lastStats().sequentialFrom() >= 0;
                    if (gaveUp || handed) {
                        lastOptimisticGaveUp |= gaveUp;
                        occNow = handed;
                        occHandOver = false;
                        mayParallel = true;
                        probing = false;
                        startAt = Math.max(gaveUp ? appliedTo : i + parallel.lastStats().sequentialFrom(), i + 1);
                    }
                    if (rest != null) {
                        outcomes = new ParallelExecutor.Outcome[n];
                        System.arraycopy(rest, 0, outcomes, i, n - i);
                        // a pre-Byzantium receipt's root needs the state after its transaction
                        deferApply = outcomes[n - 1] != null && !(intermediateRoots && !rules.eip658Status);
                        if (deferApply) results = new TxResult[n];
                    }
                    tCommit = System.nanoTime();
                    // The rolling commit may have applied every transaction and made every receipt (checking each
                    // against the block's gas and blob gas as it went): then nothing is deferred and the block's totals
                    // are its; otherwise the fast commit checks the outcomes and sums them.
                    boolean committedAll = along != null && rest != null && along.complete();
                    if (committedAll) {
                        cumulative = along.cumulative();
                        blobGas += along.blobGas();
                        Bloom.or(blockBloom, along.bloom());
                    }
                    long[] cumulativeAt = !committedAll && deferApply && rules.eip658Status && n >= PARALLEL_ROOT_MIN ? new long[n + 1] : null;
                    if (committedAll || cumulativeAt != null
                            && fastCommit(h, rules, txs, outcomes, results, i, appliedTo, cumulative, blobGas, cumulativeAt, blockBloom)) {
                        // Every outcome from i on is valid: their receipts are made by the root tasks below.
                        if (cumulativeAt != null) {
                            cumulative = cumulativeAt[n - 1];
                            blobGas = cumulativeAt[n];
                        }
                        if (along != null) {
                            alongFirst = along.finish(outcomes, cumulativeAt);
                            lastRootTasksAlong = alongFirst;
                            receiptsAlong = along;
                            made = along.made;
                        } else {
                            made = new Receipt[n];
                            for (int x = 0; x < i; x++) made[x] = receipts.get(x);
                        }
                        madeCumulative = cumulativeAt;
                        madeFrom = i;
                        lastCommitFast = true;
                        break;
                    }
                }
            }
            if (pipe == null && threads > 1 && pipeline && n - i >= PIPELINE_MIN_TXS && rules.eip658Status
                    && !intermediateRoots && made == null && receiptsAlong == null && (outcomes == null || outcomes[i] == null)) {
                if (parallel == null) parallel = new ParallelExecutor(threads);
                pipe = activePipe = new ReceiptsPipeline(txs, receipts, parallel, Math.max(8 * threads, n / ALONG_LEAVES),
                        pipelineBar > 0);
                pipeAt16 = -1;
            }
            if (pipe != null && pipelineBar > 0 && i == pipe.from + 16) pipeAt16 = THREADS.getCurrentThreadCpuTime();
            if (currentReads != null) currentReads.progress(i);
            Transaction tx = txs.get(i);
            if (Long.compareUnsigned(tx.gasLimit(), h.gasLimit() - cumulative) > 0) {
                applyDeferred(state, results, i);
                if (pipe != null) drain(pipe, receipts, blockBloom); // its receipts so far, for the report
                return invalid(receipts, cumulative, blobGas, blockBloom, i, "gas limit " + tx.gasLimit()
                        + " exceeds the block's remaining gas " + (h.gasLimit() - cumulative));
            }
            // EIP-4844: the block's blob gas, next in the specification's check_transaction (the header's own
            // limit on blobGasUsed would reject such a block too, but not for this transaction).
            long txBlobGas = blobGasOf(tx);
            if (txBlobGas > 0 && txBlobGas > rules.maxBlobGasPerBlock - blobGas) {
                applyDeferred(state, results, i);
                if (pipe != null) drain(pipe, receipts, blockBloom); // its receipts so far, for the report
                return invalid(receipts, cumulative, blobGas, blockBloom, i, "blob gas " + txBlobGas
                        + " exceeds the block's remaining blob gas " + (rules.maxBlobGasPerBlock - blobGas));
            }
            // After a switch to the sequential path (a too dependent block) the rest has no outcome: it runs here.
            ParallelExecutor.Outcome done = outcomes == null ? null : outcomes[i];
            TxResult r;
            long x0 = DEBUG ? System.nanoTime() : 0;
            try {
                r = done != null ? done.result() : TransactionProcessor.execute(evm, tx, senders[i], env, state, rules, null);
                if (DEBUG) dbgExec += System.nanoTime() - x0;
            } catch (RuntimeException e) {
                if (!rejectsTransaction(e)) throw e;
                applyDeferred(state, results, i);
                if (pipe != null) drain(pipe, receipts, blockBloom); // its receipts so far, for the report
                return invalid(receipts, cumulative, blobGas, blockBloom, i, e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            long x1 = DEBUG ? System.nanoTime() : 0;
            if (deferApply) results[i] = i < appliedTo ? null : r;
            else if (i >= appliedTo) state.apply(r.changes());
            if (DEBUG) dbgApply += System.nanoTime() - x1;
            cumulative += r.gasUsed();
            blobGas += r.blobGasUsed();
            if (pipe != null) {
                pipe.add(i, r, done != null ? done.bloom() : null, cumulative);
                continue;
            }
            long x2 = DEBUG ? System.nanoTime() : 0;
            byte[] bloom = done != null ? done.bloom() : blooms.of(r.logs());
            if (DEBUG) dbgBloom += System.nanoTime() - x2;
            Bloom.or(blockBloom, bloom);
            Hash postState = intermediateRoots && !rules.eip658Status ? state.stateRoot() : null;
            receipts.add(new Receipt(tx.type(), r.status() == dev.lanes.evm.Status.SUCCESS ? 1 : 0, postState, cumulative,
                    r.gasUsed(), bloom, r.logs()));
        }

        // The receipts root: on the worker threads when there are any (each encodes and hashes whole subtrees,
        // then this thread joins in and hashes the few nodes above them), while this thread applies the write
        // sets and runs the block-level steps below.
        TrieRoot.Split split = null;
        ParallelExecutor.Batch hashing = null;
        if (pipe != null) {
            long tPipe = System.nanoTime();
            pipe.close(); // every receipt made, every subtree but the nodes above them hashed
            activePipe = null;
            lastPipelined += n - pipe.from;
            if (DEBUG) System.err.printf("pipeline from %d: close %.3f ms, block thread cpu %.3f ms in %.3f%n", pipe.from, (System.nanoTime() - tPipe) / 1e6,
                    (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e6, (System.nanoTime() - loopStart) / 1e6);
            Bloom.or(blockBloom, pipe.bloom);
            made = pipe.made;
            madeFrom = pipe.from;
            split = pipe.split;
        } else if (receiptsAlong != null) {
            split = receiptsAlong.split;
            int first = alongFirst;
            TrieRoot.Split sp = split;
            if (first < split.tasks()) hashing = parallel.start(split.tasks() - first, x -> sp.run(first + x));
        } else if (made != null) {
            Receipt[] all = made;
            ParallelExecutor.Outcome[] os = outcomes;
            int from = madeFrom;
            long[] cumulativeAt = madeCumulative;
            split = TrieRoot.orderedSplit(n, i -> {
                if (i < from) return all[i].encoded();
                TxResult r = os[i].txResult();
                Receipt rc = new Receipt(txs.get(i).type(), r.status() == dev.lanes.evm.Status.SUCCESS ? 1 : 0, null,
                        cumulativeAt[i], r.gasUsed(), os[i].bloom(), r.logs());
                all[i] = rc;
                return rc.encoded();
            }, 8 * threads);
            hashing = parallel.start(split.tasks(), split::run);
        } else if (rules.eip658Status && parallel != null && receipts.size() >= PARALLEL_ROOT_MIN) {
            split = TrieRoot.orderedSplit(receipts.size(), i -> receipts.get(i).encoded(), 8 * threads);
            hashing = parallel.start(split.tasks(), split::run);
        }
        String requestsError = null;
        Hash requestsHash = null;
        long tApply = System.nanoTime();
        try {
            applyDeferred(state, results, txs.size());
            if (DEBUG) System.err.printf("receipts loop: %.3f ms, apply %.3f ms%n", (tApply - tCommit) / 1e6, (System.nanoTime() - tApply) / 1e6);
            if (DEBUG) System.err.printf("commit loop: %.3f ms%n", (System.nanoTime() - tCommit) / 1e6);
            if (rules.fork().isEnabled(Fork.SHANGHAI)) {
                Journal j = new Journal(state, rules);
                // A zero withdrawal still touches its address (EIP-4895 with EIP-161): an existing empty account
                // is removed, a missing one is not created; the journal's touched-empty rule does both.
                for (Withdrawal w : withdrawals) {
                    // The amount is an unsigned 64-bit Gwei count: the limb is taken as is, never as a signed long.
                    j.addBalance(w.address(), new UInt256(w.amountGwei(), 0, 0, 0).mul(UInt256.of(1_000_000_000L)));
                }
                state.apply(j.changes());
            }
            BigInteger reward = MainnetForks.blockReward(fork);
            if (reward.signum() > 0) {
                // The miner gets the reward plus 1/32 of it per uncle.
                BigInteger minerReward = reward.add(reward.shiftRight(5).multiply(BigInteger.valueOf(uncleCount)));
                Journal j = new Journal(state, rules);
                j.addBalance(h.coinbase(), UInt256.fromBigInteger(minerReward));
                if (ommers != null) {
                    for (BlockHeader o : ommers) {
                        BigInteger r = reward.multiply(BigInteger.valueOf(8 + o.number() - h.number())).shiftRight(3);
                        j.addBalance(o.coinbase(), UInt256.fromBigInteger(r));
                    }
                }
                state.apply(j.changes());
            }

            if (rules.eip7685Requests) {
                // EIP-7685: deposits from logs, then the withdrawal and consolidation queues drained by system
                // calls. Without those contracts in the (partial) pre-state the commitment cannot be computed.
                if (state.contains(Requests.WITHDRAWAL_REQUESTS) && state.contains(Requests.CONSOLIDATION_REQUESTS)) {
                    List<List<dev.lanes.evm.Log>> logs = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) logs.add(i < madeFrom ? receipts.get(i).logs() : made != null && made[i] != null ? made[i].logs() : outcomes[i].txResult().logs());
                    byte[] deposits = null;
                    try {
                        deposits = Requests.deposits(logs);
                    } catch (IllegalArgumentException e) {
                        requestsError = e.getMessage();
                    }
                    if (requestsError == null) {
                        byte[] withdrawalRequests = systemCall(rules, env, state, Requests.WITHDRAWAL_REQUESTS, Bytes.EMPTY);
                        byte[] consolidations = systemCall(rules, env, state, Requests.CONSOLIDATION_REQUESTS, Bytes.EMPTY);
                        requestsHash = Requests.hash(deposits, withdrawalRequests, consolidations);
                    }
                }
            }
        } finally {
            long tJoin = System.nanoTime();
            if (hashing != null) hashing.join();
            if (DEBUG && hashing != null) System.err.printf("root join: %.3f ms (%d tasks)%n", (System.nanoTime() - tJoin) / 1e6, split.tasks());
        }

        List<Receipt> all = made == null ? receipts : java.util.Arrays.asList(made);
        if (requestsError != null) return invalid(all, cumulative, blobGas, blockBloom, -1, requestsError);
        long tRoot = System.nanoTime();
        Hash root = null;
        if (split != null) {
            root = split.root();
        } else if (rules.eip658Status || intermediateRoots) {
            List<byte[]> enc = new ArrayList<>(receipts.size());
            for (Receipt rc : receipts) enc.add(rc.encoded());
            root = TrieRoot.ordered(enc);
        }
        if (DEBUG) System.err.printf("receipts root: %.3f ms%n", (System.nanoTime() - tRoot) / 1e6);
        if (DEBUG) System.err.printf("timeline%s: probe %.3f, run %.3f, loop %.3f, post %.3f, total %.3f ms, seq exec %.3f apply %.3f bloom %.3f%n", pipe != null ? " (pipeline)" : threads > 1 ? " (2+)" : "", (tStart - loopStart) / 1e6,
                (tCommit - tStart) / 1e6, (tApply - tCommit) / 1e6, (System.nanoTime() - tApply) / 1e6, (System.nanoTime() - loopStart) / 1e6,
                dbgExec / 1e6, dbgApply / 1e6, dbgBloom / 1e6);
        return new Result(all, cumulative, blobGas, blockBloom, root, -1, null, requestsHash);
    }

    /**
     * Ends {@code pipe} before the block's end (Block-STM takes the rest, or the block is invalid): the receipts it made
     * go to {@code receipts}, its bloom into {@code blockBloom}.
     */
    private void drain(ReceiptsPipeline pipe, List<Receipt> receipts, byte[] blockBloom) {
        pipe.close();
        activePipe = null;
        lastPipelined += pipe.added() - pipe.from;
        for (int i = pipe.from, end = pipe.added(); i < end; i++) receipts.add(pipe.made[i]);
        Bloom.or(blockBloom, pipe.bloom);
    }

    /**
     * The fast commit of a block whose transactions from {@code from} on all have their final outcome: checks in
     * order (a cheap scan) that every one of them may be included (no rejection, the block's gas and blob gas
     * limits), fills {@code results}, {@code cumulativeAt} (the cumulative gas after each transaction, and the
     * block's blob gas at index n) and {@code blockBloom}, and returns true; the root tasks then make the receipts,
     * on the worker threads. Returns false, changing nothing, when some transaction fails a check: then the
     * ordinary loop commits the block and reports it exactly.
     */
    private static boolean fastCommit(BlockHeader h, ForkRules rules, List<Transaction> txs, ParallelExecutor.Outcome[] outcomes,
                                      TxResult[] results, int from, int appliedTo, long cumulative, long blobGas,
                                      long[] cumulativeAt, byte[] blockBloom) {
        int n = txs.size();
        // The outcomes were just made on this thread; the results, written by other threads, are not touched here
        // (a pass over them costs a cache miss or more per transaction).
        for (int i = from; i < n; i++) {
            ParallelExecutor.Outcome o = outcomes[i];
            if (o == null || o.error() != null) return false;
            Transaction tx = txs.get(i);
            if (Long.compareUnsigned(tx.gasLimit(), h.gasLimit() - cumulative) > 0) return false;
            long txBlobGas = blobGasOf(tx);
            if (txBlobGas > 0 && txBlobGas > rules.maxBlobGasPerBlock - blobGas) return false;
            cumulative += o.gasUsed();
            blobGas += txBlobGas;
            cumulativeAt[i] = cumulative;
        }
        cumulativeAt[n] = blobGas;
        for (int i = from; i < n; i++) {
            results[i] = i < appliedTo ? null : outcomes[i].txResult(); // applied by the rolling commit already
            Bloom.or(blockBloom, outcomes[i].bloom());
        }
        return true;
    }

    /** A transaction's blob gas: its blobs' for a blob transaction (what TransactionProcessor charges), else 0. */
    public static long blobGasOf(Transaction tx) {
        return tx.type() == TxType.BLOB ? tx.blobVersionedHashes().size() * TransactionProcessor.GAS_PER_BLOB : 0;
    }

    /**
     * Applies the deferred write sets of transactions {@code [0, end)} in order (none when not deferred; a
     * sequential prefix was applied as it ran and has none).
     */
    private static void applyDeferred(WorldState state, TxResult[] results, int end) {
        if (results == null) return;
        for (int i = 0; i < end; i++) if (results[i] != null) state.apply(results[i].changes());
    }

    /**
     * Whether {@code e}, thrown while processing a transaction, means the transaction may not be included (the
     * block is invalid there) rather than a fault of the executor. The parallel executor applies the same rule.
     */
    public static boolean rejectsTransaction(RuntimeException e) {
        return e instanceof InvalidTransactionException || e instanceof IllegalArgumentException
                || e instanceof IllegalStateException || e instanceof ArithmeticException;
    }

    private static Result invalid(List<Receipt> receipts, long gas, long blobGas, byte[] bloom, int i, String why) {
        return new Result(receipts, gas, blobGas, bloom, null, i, why, null);
    }

    /** A system call (EIP-4788 style): no fees, no nonce, gas not counted in the block. */
    private byte[] systemCall(ForkRules rules, BlockEnv env, WorldState state, Address to, byte[] input) {
        Journal j = new Journal(state, rules);
        evm.reset(rules, j, env, new TxEnv(SYSTEM_ADDRESS, UInt256.ZERO, List.of()), null);
        byte[] out = evm.execute(Message.call(SYSTEM_ADDRESS, to, UInt256.ZERO, input, SYSTEM_CALL_GAS)).output();
        state.apply(j.changes());
        return out;
    }
}
