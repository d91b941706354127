package dev.lanes.executor.parallel;

import dev.lanes.evm.BlockEnv;
import dev.lanes.evm.EvmThreads;
import dev.lanes.evm.ForkRules;
import dev.lanes.evm.StateReader;
import dev.lanes.evm.interpreter.Evm;
import dev.lanes.evm.tx.Transaction;
import dev.lanes.evm.tx.TransactionProcessor;
import dev.lanes.evm.tx.TxResult;
import dev.lanes.executor.BlockExecutor;
import dev.lanes.executor.Bloom;
import dev.lanes.primitives.Address;
import dev.lanes.state.WorldState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a block's transactions with Block-STM on a fixed set of worker threads, reused from block to block.
 * The result per transaction is exactly what sequential execution would produce: its final incarnation read
 * the state that all lower transactions leave. The caller ({@code BlockExecutor}) then applies the write sets
 * in order, builds receipts and runs the block-level steps exactly as on the sequential path.
 *
 * <p>EVM-aware parts: balances read lazily (the {@code Journal} leaves the coinbase fee and value sent to an
 * account as deltas unless the transaction reads that balance, see {@link MvMemory}); a transaction whose
 * sender also sent an earlier transaction of the block waits for that one's first execution instead of
 * running speculatively on a nonce it cannot have (same-sender chains are known before execution); blocks
 * too small, or made of one sender's chain, run sequentially.
 */
public final class ParallelExecutor implements AutoCloseable {
    /** Fewer transactions than this run sequentially: thread hand-off costs more than it saves. */
    private static final boolean DEBUG = Boolean.getBoolean("lanes.parallel.debug");
    public static final int MIN_TXS = Integer.getInteger("lanes.parallel.minTxs", 4);

    /**
     * One transaction's final outcome: its result, or the exception that made it invalid; {@code bloom} is its
     * logs' bloom, computed by the worker that executed it (so that the in-order commit does less), and
     * {@code gasUsed} the result's gas (0 for an error).
     */
    public record Outcome(TxResult txResult, RuntimeException error, byte[] bloom, long gasUsed) {
        public TxResult result() {
            if (error != null) throw error;
            return txResult;
        }
    }

    /**
     * Counters of the last block: executions (all incarnations run to the end or to an exception),
     * re-executions (incarnations after the first), validations, validation failures (aborts), suspensions
     * on a dependency; {@code sequentialReason} is set when the block was not run in parallel;
     * {@code sequentialFrom} is the first transaction run on the sequential path after an adaptive switch
     * (-1: none); {@code hotLocations} names the locations whose changes aborted the most incarnations.
     */
    public record Stats(int txs, int threads, long executions, long reexecutions, long validations, long validationFailures,
                        long dependencyWaits, String sequentialReason, int sequentialFrom, List<String> hotLocations) {
        Stats(int txs, int threads, long executions, long reexecutions, long validations, long validationFailures,
              long dependencyWaits, String sequentialReason) {
            this(txs, threads, executions, reexecutions, validations, validationFailures, dependencyWaits, sequentialReason, -1,
                    List.of());
        }
    }

    /**
     * The five locations whose changed reads aborted the most incarnations, as "location: count" ({@link
     * Stats#hotLocations}), made on first use rather than when the run ends: the run's end is a serial edge on the
     * calling thread, once per block and so cold code, where sorting the map through a stream took 17-63 us (debug timer,
     * erc20 and mainnet blocks; 1-6 us now: docs/benchmarks.md, session 37). The map is the finished job's: nothing
     * writes to it any more.
     */
    private static List<String> hot(Job j) {
        return j.conflicts.isEmpty() ? List.of() : new HotLocations(j.conflicts);
    }

    /** {@link #hot}'s list: sorted on first access. */
    static final class HotLocations extends java.util.AbstractList<String> {
        private final Map<String, java.util.concurrent.atomic.LongAdder> conflicts;
        private List<String> top;

        HotLocations(Map<String, java.util.concurrent.atomic.LongAdder> conflicts) {
            this.conflicts = conflicts;
        }

        private synchronized List<String> top() {
            if (top == null) {
                top = conflicts.entrySet().stream()
                        .sorted((a, b) -> Long.compare(b.getValue().sum(), a.getValue().sum()))
                        .limit(5).map(e -> e.getKey() + ": " + e.getValue().sum()).toList();
            }
            return top;
        }

        @Override public String get(int i) {
            return top().get(i);
        }

        @Override public int size() {
            return top().size();
        }
    }

    /**
     * The adaptive mode looks at the block once execution has reached this many transactions: if it is too dependent
     * to gain ({@link #tooDependent}), the rest of it runs on the sequential path, from the longest prefix
     * already known to be final.
     */
    static final int PROBE = 32;
    /** A block whose first this many validated transactions form one dependency chain is judged at once. */
    static final int EARLY_CHAIN = Integer.getInteger("lanes.parallel.earlyChain", 8);
    private static final boolean DEBUG_JUDGE = Boolean.getBoolean("lanes.parallel.debugJudge");

    private final int threads;
    private final Worker[] workers;
    /** What the worker threads work on now: a {@link Job} (a block) or a {@link Batch}; null between them. */
    private volatile Object job;
    /**
     * {@code jobSeq} as last published (volatile, written under {@code jobLock} after it): a worker that just
     * finished a block polls it for a while before it parks, so that the block's own next step (the receipts-root
     * tasks, started microseconds later) finds it awake: a wake-up through the monitor costs tens of microseconds
     * on a virtual machine, and a parked helper was seen to be woken onto the caller's CPU.
     */
    private volatile long published;
    /** How long an idle worker polls for the next job before it parks. */
    private static final long SPIN_NANOS = Long.getLong("lanes.parallel.spinNanos", 200_000L);
    /** How long a helper polls for the run that follows a hand-over ({@link #spinAfterHandOver}). */
    private static final long HAND_OVER_SPIN_NANOS = Long.getLong("lanes.parallel.handOverSpinNanos", 3_000_000L);
    /** More workers than the machine has CPUs ({@link Scheduler#crowded}, once per executor): helpers then do not poll long after a hand-over, and idle ones poll less. */
    private final boolean crowded;
    private final Object jobLock = new Object();
    private long jobSeq;
    private Stats last;
    private int[][] lastDependencies;
    private boolean recordDependencies;
    private boolean adaptive = true;
    private int switchAfter = -1;

    public ParallelExecutor(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1");
        this.threads = threads;
        this.crowded = Scheduler.crowded(threads);
        this.workers = new Worker[threads];
        // Worker 0 is the calling thread itself (it would only wait otherwise): one thread fewer to wake per block.
        workers[0] = new Worker(0);
        for (int i = 1; i < threads; i++) {
            workers[i] = new Worker(i);
            Thread t = EvmThreads.newThread(workers[i], "lanes-exec-" + i);
            t.setDaemon(true);
            workers[i].thread = t;
            t.start();
        }
    }

    public Stats lastStats() {
        return last;
    }

    /** Whether blocks that would not gain run sequentially (default); off forces Block-STM. */
    public void adaptive(boolean on) {
        this.adaptive = on;
    }

    /** Whether {@link #run} commits transactions while the block executes (default {@link #ROLLING}). */
    public void rollingCommit(boolean on) {
        this.rolling = on;
    }

    private boolean rolling = ROLLING;

    /**
     * Whether a busy worker's rolling commit takes only the transactions it executed itself (default {@link #COMMIT_OWN});
     * off: any worker commits whatever is next. Results are the same either way.
     */
    public void commitOwn(boolean on) {
        this.commitOwn = on;
    }

    private boolean commitOwn = COMMIT_OWN;

    /**
     * Optimistic mode (default: see {@link #OCC_MODE}): executions write nothing to the multi-version
     * memory and read the committed state; the rolling commit validates each transaction against that state, in order,
     * and runs again on it any whose reads changed, so its outcome is final. No location map is filled or searched per
     * transaction, and no validator aborts anything; a transaction that reads a lower one's write before that one is
     * committed costs an execution on the committer. Where too many commits ran again ({@link #occTooDependent}), the
     * workers stop and the block executor runs the rest on Block-STM proper ({@link #lastOccGaveUp}). Only with the rolling commit on a state in memory; results are the same either way.
     */
    public void occ(boolean on) {
        this.occ = on;
    }

    private boolean occ;

    /**
     * Whether the last block's optimistic run stopped because its commit had to run too many transactions again: the
     * block executor then runs the rest on Block-STM proper, whose multi-version memory lets a transaction read the
     * writes of lower ones that are executed but not yet committed.
     */
    public boolean lastOccGaveUp() {
        return lastOccGaveUp;
    }

    private boolean lastOccGaveUp;

    /**
     * Whether Block-STM may stop once its probe shows the block independent so far, for the block executor to run the
     * rest in the optimistic mode ({@link #lastHandsToOcc}); set per run like {@link #occ}.
     */
    public void handToOcc(boolean on) {
        this.handToOcc = on;
    }

    private boolean handToOcc;

    /**
     * Block-STM hands a block to the optimistic mode only after this share of it (1/share, and at least
     * {@link #OCC_MIN_PROBE} transactions) was found independent ({@code -Dlanes.parallel.occProbeShare}, default
     * {@link #OCC_PROBE_SHARE}); set per executor for comparisons ({@code BlockExecutor.tune("occ-probe-share=N")}).
     */
    public void occProbeShare(int share) {
        if (share < 1) throw new IllegalArgumentException("occ probe share must be at least 1: " + share);
        this.occProbeShare = share;
    }

    private int occProbeShare = OCC_PROBE_SHARE;

    /**
     * Whether a helper polls for the next run after a block was handed to the optimistic mode or given back by it
     * (default true, {@code -Dlanes.parallel.spinAfterHandOver}); set per run for comparisons
     * ({@code BlockExecutor.tune("hand-over-spin=on|off")}).
     */
    public void spinAfterHandOver(boolean on) {
        this.spinAfterHandOver = on;
    }

    /** {@link #spinAfterHandOver}'s default. */
    public static final boolean SPIN_AFTER_HAND_OVER = !"false".equals(System.getProperty("lanes.parallel.spinAfterHandOver"));
    private volatile boolean spinAfterHandOver = SPIN_AFTER_HAND_OVER;

    /**
     * Whether the last run stopped after its probe (1/{@link #occProbeShare} of the block, 64 transactions at least)
     * because no transaction there read a near neighbour's write and few ran twice ({@code Worker.judge}): the rest of the block is better run in the optimistic mode, whose
     * per-transaction cost is lower.
     */
    public boolean lastHandsToOcc() {
        return lastHandsToOcc;
    }

    private boolean lastHandsToOcc;

    /**
     * The optimistic mode's default in the block executor ({@code -Dlanes.parallel.occ=on|off|auto}): on, Block-STM starts
     * in it; auto, Block-STM starts as usual and hands the rest of the block to it once its probe found the block
     * independent ({@link #handToOcc}), the default; off, never. Measured on two vCPUs (docs/benchmarks.md, session 32):
     * 2,000 independent ERC-20 transfers 1.12x -> 1.25x of sequential with the mode on from the start, Uniswap swaps
     * 1.74x -> 1.86x; the 47 mainnet blocks slower with on (their transactions read writes of near neighbours, which
     * the committed state does not hold yet); with auto none of them is handed over.
     */
    public static final String OCC_MODE = System.getProperty("lanes.parallel.occ", "auto");
    /**
     * The optimistic mode gives up once more than one committed transaction in this many had to run again, and more than
     * the thread count (the first executions all start before anything is committed).
     */
    static final int OCC_REDO_SHARE = Integer.getInteger("lanes.parallel.occRedoShare", 16);
    /** ... judged once this many transactions are committed (before, every run-again would decide it alone). */
    static final int OCC_MIN_COMMITS = 64;
    /**
     * Block-STM hands a block to the optimistic mode only after 1/this of it (and {@link #OCC_MIN_PROBE} transactions) was
     * independent ({@code -Dlanes.parallel.occProbeShare}). An eighth until session 36; 1/32 (so 64 transactions up to
     * 2,048) ran 2,000 ERC-20 transfers and Uniswap swaps at 0.935-1.003 of the time on two threads in nine JVMs,
     * interleaved with an eighth (docs/benchmarks.md, session 36), and changes nothing for blocks under 512 transactions.
     */
    public static final int OCC_PROBE_SHARE = Math.max(1, Integer.getInteger("lanes.parallel.occProbeShare", 32));
    /** ... and after at least this many transactions. */
    static final int OCC_MIN_PROBE = 64;
    /** A read of a write this many times the thread count below the reader counts as near ({@code Worker.readNear}). */
    static final int OCC_NEAR = 4;
    /** Whether the optimistic mode's scheduler skips validation tasks ({@code -Dlanes.parallel.occValidationTasks=true}: it does not). */
    static final boolean SKIP_VALIDATION = !Boolean.getBoolean("lanes.parallel.occValidationTasks");

    /** Tests: switch to the sequential path after this many executions (-1: only when adaptive decides). */
    public void switchToSequentialAfter(int executions) {
        this.switchAfter = executions;
    }

    /** Whether {@link #run} should also compute each transaction's true dependencies (benchmarks). */
    public void recordDependencies(boolean on) {
        this.recordDependencies = on;
    }

    /**
     * For each transaction of the last block, the lower transactions whose writes its final incarnation read
     * (the block's true dependency graph), when {@link #recordDependencies} was on; else null.
     */
    public int[][] lastDependencies() {
        return lastDependencies;
    }

    /**
     * Executes the transactions on {@code state} (which is only read) and returns their outcomes, or null
     * when the block should run on the sequential path instead ({@link Stats#sequentialReason} says why).
     */
    public Outcome[] run(List<Transaction> txs, Address[] senders, BlockEnv env, ForkRules rules, WorldState state) {
        return run(txs, senders, env, rules, state, -1, -1);
    }

    private dev.lanes.state.ReadPool asyncReads;
    /** Suspended transactions are run once on a read-pool thread before they resume ({@code -Dlanes.parallel.warmRun}). */
    static final boolean WARM_RUN = !"false".equals(System.getProperty("lanes.parallel.warmRun"));

    /**
     * On a state {@link WorldState#over over a store}, executions read what the state does not hold yet through
     * {@code pool} without waiting: the transaction is suspended until the read arrives and the worker runs another
     * task meanwhile (null: reads wait, as on a state in memory).
     */
    public void asyncReads(dev.lanes.state.ReadPool pool) {
        this.asyncReads = pool;
    }

    /** Executions of the last block suspended for a read from the store ({@link #asyncReads}). */
    public long lastReadWaits() {
        return lastReadWaits;
    }

    private long lastReadWaits;

    /**
     * How long after the last run's block was handed to the workers the first helper took it up (nanoseconds), or -1
     * when none did before the calling thread had finished it alone (or with one thread). On the 2-vCPU machines here
     * this is microseconds in some hours and milliseconds in others (docs/benchmarks.md, session 33): a benchmark
     * reports it beside its figures.
     */
    public long lastHelperDelayNanos() {
        return lastHelperDelayNanos;
    }

    private long lastHelperDelayNanos = -1;

    /** Transactions of the last block committed and applied to the state during execution (rolling commit). */
    public int lastCommitted() {
        return lastCommitted;
    }

    private int lastCommitted;

    /**
     * Block-level work that can run while the block executes, fed by the rolling commit: {@link #committed} is called
     * for each transaction the rolling commit applies, in order, by the committer (one at a time, under the commit
     * lock; the outcome it gets is final), and workers call {@link #runOne} between Block-STM tasks to run a piece of
     * the work that has become ready. The block executor uses it to make receipts and hash the receipts trie's
     * subtrees over transactions already committed, instead of after the block.
     */
    public interface SideWork {
        /** Transaction {@code k} (of the list {@link #run} got) is committed with this outcome. */
        void committed(int k, TxResult result, byte[] bloom);

        /** Runs one ready piece of work, if any; returns whether it ran one. */
        boolean runOne();
    }

    /** Side work for the next {@link #run} (null: none); cleared by the run. */
    public void sideWork(SideWork w) {
        this.sideWork = w;
    }

    private SideWork sideWork;

    /** Accounts with many slots written in the last block, for sizing the next block's maps ({@link MvMemory#slotHints()}). */
    private Map<Address, Integer> slotHints = Map.of();

    /**
     * As {@link #run(List, Address[], BlockEnv, ForkRules, WorldState)}, with the rolling commit when
     * {@code gasLeft >= 0}: a worker that finds the lowest uncommitted transaction executed validates it once more
     * (exactly: every lower one is committed), marks it committed and applies its write set to {@code state} at once,
     * while the others go on executing, as long as the block's gas ({@code gasLeft}) and blob gas ({@code blobGasLeft})
     * allow it and no transaction is rejected. {@link #lastCommitted()} says how many leading transactions are applied
     * already; their outcomes are returned as usual (the caller must not apply them again). On a fallback after
     * commits the committed prefix is returned with null beyond it, never null.
     */
    public Outcome[] run(List<Transaction> txs, Address[] senders, BlockEnv env, ForkRules rules, WorldState state,
                         long gasLeft, long blobGasLeft) {
        lastCommitted = 0;
        lastHelperDelayNanos = -1;
        long tIn = System.nanoTime();
        int n = txs.size();
        lastDependencies = null;
        // Each transaction's previous one from the same sender, and the longest such chain, in one pass.
        int[] previousOfSender = new int[n];
        int[] chainLength = new int[n];
        HashMap<Address, Integer> lastOf = new HashMap<>(Math.max(16, n * 2));
        int most = 0;
        for (int i = 0; i < n; i++) {
            Integer p = lastOf.put(senders[i], i);
            previousOfSender[i] = p == null ? -1 : p;
            chainLength[i] = p == null ? 1 : chainLength[p] + 1;
            most = Math.max(most, chainLength[i]);
        }
        String reason = adaptive ? reasonToRunSequentially(n, most) : n == 0 ? "no transactions" : null;
        if (reason != null) {
            sideWork = null;
            last = new Stats(n, threads, 0, 0, 0, 0, 0, reason);
            return null;
        }
        long t0 = System.nanoTime();
        boolean async = asyncReads != null && state.overStore();
        StateReader execBase = async ? state.nonBlocking(asyncReads) : state;
        // The optimistic mode needs the rolling commit, a state in memory, and no dependency graph asked for (it
        // records no writes to find one in).
        boolean optimistic = rolling && gasLeft >= 0 && occ && !async && !recordDependencies;
        Job j = new Job(txs, senders, previousOfSender, env, rules, new MvMemory(state, execBase, n, slotHints),
                new Scheduler(n, claimSize(n, threads, optimistic ? occClaimMax : claimMax), adaptive ? Math.max(PROBE, n / 64) : 0, crowded), adaptive,
                switchAfter);
        if (async) j.readPool = asyncReads;
        j.commitOwn = commitOwn;
        if (rolling && gasLeft >= 0) {
            j.commitTo = state;
            j.commitGasLeft = gasLeft;
            j.commitBlobLeft = blobGasLeft;
            j.side = sideWork;
            j.occ = optimistic;
            if (j.occ && SKIP_VALIDATION) j.scheduler.skipValidation(); // the commit validates
            j.handToOcc = !j.occ && handToOcc && adaptive && !async && !recordDependencies && switchAfter < 0;
            j.occProbeShare = occProbeShare;
        }
        sideWork = null;
        j.publishedAt = System.nanoTime();
        synchronized (jobLock) {
            job = j;
            jobSeq++;
            published = jobSeq;
            if (threads > 1) jobLock.notifyAll();
        }
        long tJob = System.nanoTime();
        j.enter();
        workers[0].runJob(j);
        long tWork = System.nanoTime();
        synchronized (j) {
            // Waits for the helpers that joined, not for those still waking up: they find the job closed and
            // skip it (a parked thread can take longer to wake than a small block takes to run).
            j.closed = true;
            lastHelperDelayNanos = j.firstHelperAt == 0 ? -1 : j.firstHelperAt - j.publishedAt; // no helper enters after closed
            while (j.active > 0) {
                try {
                    j.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while executing a block", e);
                }
            }
        }
        job = null;
        int drainFrom = j.commitIdx;
        if (j.occ) drainOcc(j);
        if (DEBUG && j.occ) System.err.printf("  drained by the caller: %d transactions from %d%n", j.commitIdx - drainFrom, drainFrom);
        slotHints = j.mv.slotHints();
        if (DEBUG) System.err.printf("run: setup %.3f (job %.3f), caller in job %.3f, wait for helpers %.3f ms%n", (t0 - tIn) / 1e6, (tJob - t0) / 1e6, (tWork - tJob) / 1e6, (System.nanoTime() - tWork) / 1e6);
        if (DEBUG) System.err.printf("parallel: %d txs, %.3f ms in workers (%.3f ms busy in all, cpu %.3f), %d executions, %d idle waits; exec %.3f record %.3f validate %.3f ms, %d empty polls, %d committed (stopped %b, %d invalid at commit; commit validate %.3f apply %.3f ms)%n", n,
                (System.nanoTime() - t0) / 1e6, j.busy.get() / 1e6, j.cpu.get() / 1e6, j.executions.get(), j.scheduler.idleWaits.get(),
                j.execNanos.get() / 1e6, j.recordNanos.get() / 1e6, j.validateNanos.get() / 1e6, j.nullTasks.get(), j.commitIdx, j.commitStopped, j.commitMisses.get(), j.commitValidateNanos.get() / 1e6, j.commitApplyNanos.get() / 1e6);
        if ((DEBUG || DEBUG_JUDGE) && j.occ) System.err.printf("  optimistic: %d committed, %d run again at commit, gave up %b (stop %b, commit stopped %b, fatal %s, next executed %d)%n", j.commitIdx, j.commitRedos, j.occGaveUp,
                j.stop, j.commitStopped, j.fatal.get(), j.commitIdx < n ? j.scheduler.executedIncarnation(j.commitIdx) : -9);
        if (DEBUG) System.err.printf("  more: tryCommit all %.3f side %.3f nextTask %.3f book %.3f finishExec %.3f ms%n", j.commitAllNanos.get() / 1e6,
                j.sideNanos.get() / 1e6, j.schedNanos.get() / 1e6, j.bookNanos.get() / 1e6, j.finishNanos.get() / 1e6);
        int committed = j.commitIdx;
        lastCommitted = committed;
        lastOccGaveUp = j.occ && j.occGaveUp;
        lastHandsToOcc = j.handedToOcc;
        lastReadWaits = j.readWaits.get();
        if (j.fatal.get() != null) {
            last = new Stats(n, threads, j.executions.get(), j.reexecutions.get(), j.validations.get(),
                    j.failures.get(), j.waits.get(), "fell back: " + j.fatal.get());
            return committed == 0 ? null : committedPrefix(j, committed);
        }
        // Normally every transaction is final; after a switch, only the longest prefix whose transactions have
        // executed and whose reads are still valid, checked in order (each against final lower transactions).
        // Optimistic mode: exactly the committed transactions are final (an executed one above them may have read a
        // state that a lower one then changed).
        int prefix = j.occ ? j.commitIdx : j.scheduler.done() ? n : finalPrefix(j);
        // Usually every transaction is final and none threw: the workers' outcomes are the answer as they stand.
        Outcome[] ready = prefix == n && !j.errorSeen ? allOutcomes(j) : null;
        Outcome[] out = ready != null ? ready : new Outcome[n];
        for (int i = ready != null ? prefix : 0; i < prefix; i++) {
            RuntimeException e = j.done[i].error();
            if (e != null) {
                if (!BlockExecutor.rejectsTransaction(e)) {
                    // Not a rejection the block executor reports: let the sequential path raise it exactly.
                    last = new Stats(n, threads, j.executions.get(), j.reexecutions.get(), j.validations.get(),
                            j.failures.get(), j.waits.get(), "fell back: transaction " + i + " threw " + e);
                    return committed == 0 ? null : committedPrefix(j, committed); // never commits an error: committed <= i
                }
                out[i] = new Outcome(null, e, null, 0);
                for (int k = i + 1; k < n; k++) out[k] = new Outcome(null, e, null, 0); // never reached: the block is invalid at i
                break;
            }
            out[i] = outcome(j, i);
        }
        if (recordDependencies && prefix == n) {
            int[][] deps = new int[n][];
            for (int i = 0; i < n; i++) {
                Set<Integer> s = MvReader.sources(j.mv, i, j.done[i].reads());
                deps[i] = s.stream().mapToInt(Integer::intValue).toArray();
            }
            lastDependencies = deps;
        }
        last = new Stats(n, threads, j.executions.get(), j.reexecutions.get(), j.validations.get(), j.failures.get(),
                j.waits.get(), null, prefix < n ? prefix : -1, hot(j));
        return out;
    }

    /**
     * Starts {@code body.accept(0 .. count-1)} on the worker threads other than the caller and returns at once;
     * the caller does other work, then {@link Batch#join()}s, running whatever items are still unclaimed. Used
     * for the block-level work after execution (hashing the receipts trie) that would otherwise leave all
     * workers but one idle. Not reentrant: one batch or block at a time, from the thread that calls {@link #run}.
     */
    public Batch start(int count, IntConsumer body) {
        Batch b = new Batch(count, body);
        if (threads > 1) {
            synchronized (jobLock) {
                job = b;
                jobSeq++;
                published = jobSeq;
                jobLock.notifyAll();
            }
        }
        return b;
    }

    /**
     * Items handed out by one atomic counter (getAndIncrement: each item runs exactly once). The monitor
     * orders everything the helpers wrote before the joining caller reads it: a helper's writes happen before
     * its {@code active--} under the monitor, which happens before the caller's read of {@code active}. A helper
     * that wakes only after the caller closed the batch does nothing (the caller ran every item it left).
     */
    public final class Batch {
        private final AtomicInteger next = new AtomicInteger();
        private final int count;
        private final IntConsumer body;
        /** Helpers working on this batch, and whether it takes no more (guarded by the batch's monitor). */
        private int active;
        private boolean closed;
        private Throwable failure;

        private Batch(int count, IntConsumer body) {
            this.count = count;
            this.body = body;
        }

        private void work() {
            synchronized (this) {
                if (closed) return; // woke after the caller had finished every item
                active++;
            }
            Throwable t = null;
            try {
                for (int i; (i = next.getAndIncrement()) < count; ) body.accept(i);
            } catch (Throwable e) {
                t = e;
                next.set(count); // the others stop taking items
            }
            synchronized (this) {
                if (t != null && failure == null) failure = t;
                active--;
                notifyAll();
            }
        }

        /** Runs the unclaimed items on the calling thread, waits for the helpers, rethrows the first failure. */
        public void join() {
            try {
                for (int i; (i = next.getAndIncrement()) < count; ) body.accept(i);
            } finally {
                synchronized (this) {
                    closed = true;
                    while (active > 0) {
                        try {
                            wait();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IllegalStateException("interrupted while waiting for worker threads", e);
                        }
                    }
                }
                job = null;
            }
            if (failure instanceof RuntimeException e) throw e;
            if (failure instanceof Error e) throw e;
            if (failure != null) throw new IllegalStateException(failure);
        }
    }

    /**
     * The adaptive test: the first {@code reach} transactions have executed and been validated, and the longest
     * dependency chain among those run so far is {@code depth} transactions long, so the block offers about
     * {@code reach / depth} transactions that can run at once (a chain: 1, whatever the thread count). That
     * parallelism, capped at {@code threads} and scaled by the share of {@code executions} that were not
     * re-executions, is the useful work per unit of time; below {@link #MIN_GAIN} the block is too dependent.
     * Judging the chain rather than how near a source lies keeps the test independent of the thread count: a
     * read of a write a few transactions below serializes two threads, yet sixteen may find many such pairs to
     * run side by side.
     */
    static boolean tooDependent(int threads, long executions, long reexecutions, int reach, int depth) {
        double parallelism = Math.min(threads, (double) reach / depth);
        return parallelism * (executions - reexecutions) < MIN_GAIN * executions;
    }

    /**
     * The adaptive test's bar: the threads' useful work (the prefix's parallelism, capped at the thread count,
     * times the share of executions not thrown away) must be at least this many sequential threads' worth.
     * Block-STM's own bookkeeping costs 10-20% on one worker; below this the block runs no faster in parallel.
     */
    static final double MIN_GAIN = 1.4;
    /** Executions a worker makes before its share of re-executions counts in the adaptive test. */
    static final int MIN_OWN_EXECUTIONS = 8;

    /** The outcomes of the first {@code committed} transactions (already applied), null beyond. */
    private static Outcome[] committedPrefix(Job j, int committed) {
        Outcome[] out = new Outcome[j.txs.size()];
        for (int i = 0; i < committed; i++) out[i] = outcome(j, i);
        return out;
    }

    /** The final outcome of transaction {@code i}, which executed without an error. */
    private static Outcome outcome(Job j, int i) {
        Executed d = j.done[i];
        return new Outcome(d.result(), null, d.bloom(), d.result().gasUsed());
    }

    /**
     * Every transaction final and none threw: the outcomes the workers left ({@link Job#outcomes}), or null if one is
     * missing (not expected; the caller then makes them from {@link Job#done}).
     */
    private static Outcome[] allOutcomes(Job j) {
        Outcome[] out = j.outcomes;
        for (Outcome o : out) if (o == null) return null;
        return out;
    }

    /**
     * Whether Block-STM commits and applies transactions while the block executes, by default
     * ({@code -Dlanes.parallel.rollingCommit=false} turns it off; {@link #rollingCommit(boolean)} per executor). On:
     * each write set is applied soon after its transaction ran, while what it touched is still in cache, instead of
     * all of them after the parallel phase (docs/benchmarks.md, session 8: 5-7% faster blocks measured in one JVM).
     */
    public static final boolean ROLLING = Boolean.parseBoolean(System.getProperty("lanes.parallel.rollingCommit", "true"));
    /**
     * Whether a busy worker commits only transactions it executed itself ({@code -Dlanes.parallel.commitOwn}, default
     * true): on two cores whose cache lines take ~200 ns to move, committing another worker's result read it all across.
     */
    public static final boolean COMMIT_OWN = !"false".equals(System.getProperty("lanes.parallel.commitOwn"));
    /** Transactions one call of {@link #tryCommit} commits at most. */
    static final int COMMIT_BATCH = Integer.getInteger("lanes.parallel.commitBatch", 8);
    /** A busy worker commits any transaction once the commit is this many per worker behind its own last execution. */
    static final int COMMIT_LAG = 4;

    /**
     * The rolling commit (see {@link #run(List, Address[], BlockEnv, ForkRules, WorldState, long, long)}): commits
     * from {@code j.commitIdx} on while the lowest uncommitted transaction has executed and validates against the
     * committed ones. One committer at a time (a try-lock: a worker that finds it held goes back to work). The
     * transaction's read set, result and error are those of incarnation {@code inc}, published by its executor's
     * monitor release in {@code finishExecution} and read after {@code executedIncarnation} took the same monitor;
     * if a validator aborted it meanwhile (and a new incarnation rewrote them), the incarnation has changed and
     * {@link Scheduler#tryCommit} fails, so nothing read here is applied.
     */
    private static void tryCommit(Job j, Worker w, boolean any) {
        if (j.commitStopped || !j.commitLock.tryLock()) return;
        try {
            // A few at a time, between tasks: a committer that drained a long backlog alone would leave the other
            // workers to finish the block and then make the caller wait for it; once the block is done, what is
            // left is applied by the caller.
            for (int batch = 0; batch < COMMIT_BATCH && !j.commitStopped && !j.scheduler.done(); batch++) {
                if (!commitNext(j, w, any, true)) return;
            }
        } finally {
            j.commitLock.unlock();
        }
    }

    /**
     * Commits transaction {@code j.commitIdx} if it can be now (the caller holds the commit lock); returns whether it
     * did. With {@link Job#occ}, an execution whose reads no longer hold (or that ended in an error it may owe to a read
     * made before a lower transaction was applied) runs again here, on the committed state, which holds exactly what
     * every lower transaction left: that execution is final by construction.
     */
    private static boolean commitNext(Job j, Worker w, boolean any, boolean mayRedo) {
        int n = j.txs.size();
        int k = j.commitIdx;
        if (k >= n) return false;
        int inc = j.scheduler.executedIncarnation(k);
        if (inc < 0) return false;
        Executed d = j.done[k];
        if (!any && d.executedBy() != w.id && j.commitOwn) return false; // its executor commits it, with its results in cache
        boolean final_ = d.readsFinal() == inc + 1;
        boolean redo = false;
        if (d.error() != null) {
            if (!j.occ || final_) { // a rejection, if final: the block executor reports it
                j.commitStopped = true;
                return false;
            }
            redo = true; // a speculative execution's error is never trusted: it may come from a read of a state being changed
        }
        Transaction tx = j.txs.get(k);
        long blob = BlockExecutor.blobGasOf(tx);
        if (Long.compareUnsigned(tx.gasLimit(), j.commitGasLeft - j.commitGas) > 0
                || (blob > 0 && blob > j.commitBlobLeft - j.commitBlob)) {
            j.commitStopped = true; // the block is invalid here: the block executor reports it
            return false;
        }
        if (!redo) {
            if (d.reads() == null || d.result() == null) return false;
            long v0 = DEBUG ? System.nanoTime() : 0;
            try {
                MvReader.Read bad = j.firstInvalid(k, inc, d);
                if (DEBUG) j.commitValidateNanos.addAndGet(System.nanoTime() - v0);
                if (bad != null) {
                    if (DEBUG) j.commitMisses.incrementAndGet();
                    if (!j.occ) return false; // a validator will abort it
                    if (DEBUG_JUDGE) System.err.println("optimistic commit of " + k + " runs it again: " + MvReader.describe(bad));
                    redo = true;
                }
            } catch (MvMemory.Blocked | MvMemory.Unsupported e) {
                return false;
            }
        }
        if (redo) {
            if (!mayRedo) return false;
            d = w.executeFinal(j, k, inc);
            if (d == null) return false; // fatal set
            j.commitRedos++;
            if (d.error() != null) {
                j.commitStopped = true; // a rejection on the committed state: the block executor reports it
                return false;
            }
        }
        if (!j.scheduler.tryCommit(k, inc)) return false;
        TxResult r = d.result();
        long a0 = DEBUG ? System.nanoTime() : 0;
        if (!j.occ) j.mv.beforeApply(k, r.changes());
        j.commitTo.apply(r.changes());
        if (DEBUG) j.commitApplyNanos.addAndGet(System.nanoTime() - a0);
        j.commitGas += r.gasUsed();
        j.commitBlob += r.blobGasUsed();
        j.commitIdx = k + 1;
        if (j.side != null) j.side.committed(k, r, d.bloom());
        return true;
    }

    /**
     * {@link Job#occ}, after the workers have left: commits on the calling thread the transactions not yet committed that
     * have executed, in order; stops at the first that has not executed, or where the block is invalid or full. Those
     * whose reads changed run again here (see {@link #commitNext}) only while the block is judged worth the mode: after
     * a stop (the adaptive test's, or this mode's giving up, {@link #occTooDependent}) the commit ends at the first of
     * them, and the block executor runs the rest on Block-STM proper or the sequential path rather than this thread
     * running them again one by one.
     */
    private void drainOcc(Job j) {
        Worker w = workers[0];
        long e0 = w.executions, r0 = w.reexecutions;
        j.commitLock.lock();
        try {
            while (!j.commitStopped && j.fatal.get() == null) {
                boolean mayRedo = !j.stop;
                if (mayRedo && occTooDependent(j)) {
                    j.occGaveUp = true;
                    j.stop = true;
                    mayRedo = false;
                }
                if (!commitNext(j, w, true, mayRedo)) break;
            }
        } finally {
            j.commitLock.unlock();
        }
        j.executions.addAndGet(w.executions - e0);
        j.reexecutions.addAndGet(w.reexecutions - r0);
    }

    /**
     * {@link Job#occ}: once {@link #OCC_MIN_COMMITS} transactions are committed, whether the commit has had to run so many
     * transactions again ({@link #OCC_REDO_SHARE}) that Block-STM proper would do better: each runs on the committer
     * alone, after another worker's execution of it was thrown away, where Block-STM's would have read the lower
     * transaction's write from the multi-version memory.
     */
    private boolean occTooDependent(Job j) {
        int c = j.commitIdx;
        return j.adaptive && j.switchAfter < 0 && c >= OCC_MIN_COMMITS && j.commitRedos > threads && j.commitRedos * OCC_REDO_SHARE > c;
    }

    /** After the workers stopped early: how many leading transactions are final (see {@link #run}). */
    private static int finalPrefix(Job j) {
        int n = j.txs.size();
        // Committed transactions are final (and must not be validated again: the base state now holds the writes of
        // committed transactions above them).
        for (int i = j.commitIdx; i < n; i++) {
            if (!j.scheduler.isExecuted(i) || j.done[i] == null) return i;
            try {
                if (!MvReader.valid(j.mv, i, j.done[i].reads())) return i;
            } catch (MvMemory.Unsupported e) {
                return i;
            }
        }
        return n;
    }

    /**
     * Consecutive transactions a worker claims from the scheduler at once past the adaptive probe ({@link Scheduler.Claims}):
     * enough that the shared indices move once per several transactions, few enough that every worker still has about
     * four runs to take (a run is executed in order by one worker, so a large one on a small block would leave the
     * others idle at its end). At most {@code -Dlanes.parallel.claim} (default 1: one at a time, as in the paper; on
     * the two-vCPU machine 8 measured slower on independent ERC-20 transfers, docs/benchmarks.md, session 20). Past
     * the adaptive probe only ({@code batchFrom}): the probe judges the chain among transactions claimed one by one.
     */
    static int claimSize(int n, int threads, int most) {
        return Math.max(1, Math.min(most, n / (threads * 4)));
    }

    /** The most transactions a worker claims at once ({@link #claimSize}; 1: one at a time). */
    public void claim(int most) {
        if (most < 1) throw new IllegalArgumentException("claim must be at least 1");
        this.claimMax = most;
    }

    private int claimMax = CLAIM_MAX;

    public static final int CLAIM_MAX = Integer.getInteger("lanes.parallel.claim", 1);

    /** As {@link #claim}, for runs in the optimistic mode ({@link #occ}; default {@link #OCC_CLAIM_MAX}). */
    public void occClaim(int most) {
        if (most < 1) throw new IllegalArgumentException("claim must be at least 1");
        this.occClaimMax = most;
    }

    private int occClaimMax = OCC_CLAIM_MAX;

    /**
     * The most consecutive transactions a worker claims at once in the optimistic mode ({@code -Dlanes.parallel.occClaim},
     * default 4; {@link #claimSize} makes it smaller in small blocks). That mode runs only blocks found independent, and
     * there each busy worker commits its own transactions ({@link #COMMIT_OWN}): claimed one at a time, neighbours
     * alternate between the workers and the commit's lock and state move between the cores at every transaction; in runs
     * of four they move once per four. Measured on two far vCPUs (docs/benchmarks.md, session 39): ERC-20 transfers and
     * Uniswap swaps 1-4% faster with runs of four, eight slower for the transfers; Block-STM proper, which runs the
     * dependent blocks, keeps {@link #CLAIM_MAX} (the mainnet blocks measured level to 2% slower with runs of four).
     */
    public static final int OCC_CLAIM_MAX = Math.max(1, Integer.getInteger("lanes.parallel.occClaim", 4));

    private static String reasonToRunSequentially(int n, int most) {
        if (n < MIN_TXS) return "fewer than " + MIN_TXS + " transactions";
        // One sender's chain is inherently sequential: each transaction needs the previous one's nonce.
        if (most * 10 >= n * 9) return "one sender sends " + most + " of " + n + " transactions";
        return null;
    }

    @Override public void close() {
        for (Worker w : workers) if (w.thread != null) w.thread.interrupt();
    }

    /**
     * What one execution of a transaction left, in one object made by the worker that ran it: the result (or the
     * error), its logs' bloom, its read set, {@code readsFinal} (1 + the incarnation when it started with every
     * lower transaction committed, so that its reads are final and validating them again cannot fail; else 0) and the
     * worker's index ({@code executedBy}: the rolling commit leaves a transaction to the worker that ran it while that
     * worker is busy, see {@link #tryCommit}). One object rather than an array per field: neighbouring transactions run
     * on different workers, and every per-transaction array entry they wrote shared a cache line with its neighbours'.
     */
    record Executed(TxResult result, byte[] bloom, RuntimeException error, List<MvReader.Read> reads,
                    int readsFinal, int executedBy) {}

    /** One block's shared state. */
    private final class Job {
        final List<Transaction> txs;
        final Address[] senders;
        final BlockEnv env;
        final ForkRules rules;
        final MvMemory mv;
        /** The pool that loads reads executions do not wait for (asynchronous reads), or null. */
        dev.lanes.state.ReadPool readPool;
        final Scheduler scheduler;
        final int[] previousOfSender;
        /**
         * Per transaction, what its last execution left ({@link Executed}); written by the executing worker before
         * {@code finishExecution}, read by the validator and the committer after they saw the EXECUTED status (the
         * scheduler's monitor orders the two).
         */
        final Executed[] done;
        /**
         * Each transaction's outcome as its last execution left it, written by the worker that ran it (before {@link #done},
         * so that a committer re-running it writes after): {@link #run} returns this array itself when every transaction is
         * final and none threw ({@link #errorSeen}), instead of making the outcomes on the caller's serial edge. A plain
         * array and field: the caller reads them after every worker left the job (synchronized on the job).
         */
        final Outcome[] outcomes;
        /** Whether any execution of this job threw (then {@link #run} makes the outcomes from {@link #done}). */
        boolean errorSeen;
        final AtomicLong executions = new AtomicLong(), reexecutions = new AtomicLong(), validations = new AtomicLong(),
                failures = new AtomicLong(), waits = new AtomicLong(), readWaits = new AtomicLong();
        final AtomicReference<String> fatal = new AtomicReference<>();
        final boolean adaptive;
        /** {@link ParallelExecutor#commitOwn}: set before the workers start. */
        boolean commitOwn = COMMIT_OWN;
        final int switchAfter;
        /** Transactions reached before the adaptive test: {@link #PROBE}, or a sixty-fourth of a large block. */
        final int probe;
        /** Set once the block is found too dependent: workers finish their task and stop. */
        volatile boolean stop;
        /**
         * Per transaction, the length of the longest dependency chain ending in its last execution (1: it read only
         * the pre-state); 0 before it runs. Written by the executing worker with a plain store, read by others
         * through {@link MvReader} and the same-sender check with plain loads: the adaptive test is a heuristic.
         */
        final int[] depth;
        /** The largest {@code depth} entry so far; written (compare-and-set) only when it grows. */
        final java.util.concurrent.atomic.AtomicInteger maxDepth = new java.util.concurrent.atomic.AtomicInteger();
        /** Validation failures by the location whose read changed (the contention report). */
        final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.atomic.LongAdder> conflicts =
                new java.util.concurrent.ConcurrentHashMap<>();
        final AtomicLong busy = new AtomicLong(), execNanos = new AtomicLong(), recordNanos = new AtomicLong(), validateNanos = new AtomicLong(), nullTasks = new AtomicLong(), cpu = new AtomicLong(), commitMisses = new AtomicLong(), commitValidateNanos = new AtomicLong(), commitApplyNanos = new AtomicLong();
        /** Debug timers: tryCommit as a whole, side work, nextTask, an execution's bookkeeping after record, finishExecution. */
        final AtomicLong commitAllNanos = new AtomicLong(), sideNanos = new AtomicLong(), schedNanos = new AtomicLong(),
                bookNanos = new AtomicLong(), finishNanos = new AtomicLong();
        /** The rolling commit: the state to apply committed transactions to (null: off) and the block's limits left. */
        WorldState commitTo;
        /** Told of each commit and run between tasks (see {@link SideWork}); null: none. */
        SideWork side;
        long commitGasLeft, commitBlobLeft;
        /** Guards the fields below it (the committer's walk); the job's monitor publishes them to the caller at the end. */
        final java.util.concurrent.locks.ReentrantLock commitLock = new java.util.concurrent.locks.ReentrantLock();
        /**
         * Written only by the committer; volatile so that workers read it without the lock: an execution of transaction
         * {@code k} that starts when it is at least {@code k} reads only final values ({@link Executed#readsFinal}).
         */
        volatile int commitIdx;
        long commitGas, commitBlob;
        volatile boolean commitStopped;
        /** Transactions the commit ran again ({@link #occ}; written under the commit lock, read as a heuristic). */
        int commitRedos;
        /**
         * Optimistic mode (see {@link ParallelExecutor#occ}): executions record no writes in the multi-version memory, so
         * every read goes to the committed state; the rolling commit validates each transaction against that state and
         * runs again, there, any whose reads changed. Needs the rolling commit; set before the workers start.
         */
        boolean occ;
        /** Set when the optimistic mode stopped because the commit ran too many transactions again. */
        volatile boolean occGaveUp;
        /** Whether this Block-STM run may stop for the optimistic mode ({@link ParallelExecutor#handToOcc}), and whether it did. */
        volatile boolean handToOcc;
        /** {@link ParallelExecutor#occProbeShare} for this run. */
        int occProbeShare = OCC_PROBE_SHARE;
        volatile boolean handedToOcc;
        /** When the block was handed to the workers, and when the first helper took it up (0: none yet; under this monitor). */
        long publishedAt, firstHelperAt;
        /** The thread that runs the block (worker 0). */
        final Thread caller = Thread.currentThread();
        /** Workers working on this block, and whether it takes no more (both guarded by this job's monitor). */
        int active;
        boolean closed;

        /**
         * The first read of {@code reads} (incarnation {@code inc} of {@code tx}) that would not return the same value
         * now, or null; not checked when that incarnation's reads were final ({@link Executed#readsFinal}).
         */
        MvReader.Read firstInvalid(int tx, int inc, Executed d) {
            return d.readsFinal() == inc + 1 ? null : MvReader.firstInvalid(mv, tx, d.reads(), occ);
        }

        /** Joins this block unless it is already closed; a joined worker leaves through {@link Worker#runJob}. */
        synchronized boolean enter() {
            if (closed) return false;
            active++;
            if (firstHelperAt == 0 && Thread.currentThread() != caller) firstHelperAt = System.nanoTime();
            return true;
        }

        @SuppressWarnings("unchecked")
        Job(List<Transaction> txs, Address[] senders, int[] previousOfSender, BlockEnv env, ForkRules rules, MvMemory mv, Scheduler scheduler,
            boolean adaptive, int switchAfter) {
            this.adaptive = adaptive;
            this.switchAfter = switchAfter;
            this.probe = Math.max(PROBE, txs.size() / 64);
            this.txs = txs;
            this.senders = senders;
            this.env = env;
            this.rules = rules;
            this.mv = mv;
            this.scheduler = scheduler;
            int n = txs.size();
            done = new Executed[n];
            outcomes = new Outcome[n];
            depth = new int[n];
            this.previousOfSender = previousOfSender;
        }
    }

    private final class Worker implements Runnable {
        Thread thread;
        /** This worker's index, which {@link Job#executedBy} records. */
        final int id;

        Worker(int id) {
            this.id = id;
        }

        final Evm evm = new Evm();
        /** Bloom bits of log addresses and topics this worker saw lately (blooms repeat them, block after block). */
        final Bloom.Memo memo = new Bloom.Memo();
        /** This worker's claims on the scheduler (see {@link Scheduler.Claims}). */
        final Scheduler.Claims claims = new Scheduler.Claims();
        long seenSeq;

        @Override public void run() {
            boolean spin = false;
            long spinNanos = SPIN_NANOS;
            while (true) {
                Object j;
                // Polls for the block's next step only when one is coming at once: after a block that switched to the
                // sequential path the caller runs the rest alone first, and a helper that polls meanwhile may share
                // its CPU (a woken thread is often placed on the waker's).
                long until = spin ? System.nanoTime() + spinNanos : 0;
                while (published == seenSeq && System.nanoTime() < until) Thread.onSpinWait();
                synchronized (jobLock) {
                    while (jobSeq == seenSeq) {
                        try {
                            jobLock.wait();
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    seenSeq = jobSeq;
                    j = job;
                }
                if (j instanceof Job block) {
                    if (DEBUG) System.err.printf("helper %d takes up the block %.3f ms after it was published%n", id, (System.nanoTime() - block.publishedAt) / 1e6);
                    if (block.enter()) runJob(block);
                    // A block stopped for the optimistic mode (or given back by it) goes on at once in a new run:
                    // poll for it, rather than wait to be woken (a wake-up here took 0.3-0.6 ms at the 90th percentile).
                    // (Not with more workers than CPUs: the pollers would take the CPU the caller sets the run up on.)
                    boolean handOver = spinAfterHandOver && !crowded && (block.handedToOcc || block.occGaveUp);
                    spin = !block.stop || handOver;
                    // The next run starts once the caller has set it up (for 2,000 transactions a few tenths of a
                    // millisecond, more when its vCPU stalls): poll that long.
                    spinNanos = handOver ? HAND_OVER_SPIN_NANOS : SPIN_NANOS;
                } else if (j instanceof Batch batch) {
                    batch.work();
                    spin = true;
                    spinNanos = SPIN_NANOS;
                }
            }
        }

        /** Works on {@code j} (entered) until it is done (or stopped), then leaves it. */
        void runJob(Job j) {
            long t0 = System.nanoTime();
            long c0 = DEBUG ? java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() : 0;
            try {
                work(j);
                if (DEBUG) j.busy.addAndGet(System.nanoTime() - t0);
                if (DEBUG) j.cpu.addAndGet(java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - c0);
            } catch (Throwable t) {
                j.fatal.compareAndSet(null, t.toString());
            } finally {
                synchronized (j) {
                    j.active--;
                    j.notifyAll();
                }
            }
        }

        /** This worker's counts for the current block, added to the job's totals when it stops. */
        long executions, reexecutions, validations, failures, waits, readWaits;
        /** Whether this worker's adaptive test has seen the block's probe reached (it then judges less often). */
        boolean pastProbe;

        private void work(Job j) {
            executions = reexecutions = validations = failures = waits = readWaits = 0;
            pastProbe = false;
            claims.reset(); // a block left on a stop or a failure may have left claims; that block is over
            try {
                workLoop(j);
                // The block is done: the side work that became ready is shared out before leaving, rather than
                // left to the caller alone after it has waited for this worker.
                if (j.side != null && j.scheduler.done() && j.fatal.get() == null) while (j.side.runOne()) { }
            } finally {
                j.executions.addAndGet(executions);
                j.reexecutions.addAndGet(reexecutions);
                j.validations.addAndGet(validations);
                j.failures.addAndGet(failures);
                j.waits.addAndGet(waits);
                j.readWaits.addAndGet(readWaits);
            }
        }

        private void workLoop(Job j) {
            Scheduler s = j.scheduler;
            Scheduler.Task task = null;
            long idleSince = -1; // when this worker last found no task after having one (-1: it has one)
            int lastTx = -1; // the transaction this worker executed last
            while (!s.done() && !j.stop) {
                if (j.fatal.get() != null) return;
                if (task != null && !task.validation()) {
                    lastTx = task.tx();
                    task = execute(j, task);
                }
                if (task != null && task.validation()) task = validate(j, task);
                if (task == null) {
                    long q0 = DEBUG ? System.nanoTime() : 0;
                    // Between tasks: commit what became final; only this worker's own transactions while it has work
                    // (their results are in its cache), any once it found none.
                    if (j.commitTo != null) {
                        // Any transaction, also while the commit lags this worker's executions by more than COMMIT_LAG
                        // per worker: with each busy worker committing only its own, neighbours alternating between
                        // workers, the commit advances no faster than the executions, so a lag once formed (a worker
                        // preempted, or slow in a block's first, colder runs) stayed to the end and was drained there by
                        // the caller alone: in the first 20 blocks of a run of 2,000 Uniswap swaps, 77-379 of a block in
                        // 7 blocks, 26-125 in 5 with this (session 33). ERC-20 transfers' first 40 blocks still drain
                        // 50-840 with it (not found why; none of the later, timed, blocks drains more than a few).
                        tryCommit(j, this, idleSince >= 0 || lastTx - j.commitIdx > COMMIT_LAG * threads);
                        if (j.occ && !j.stop && occTooDependent(j)) {
                            j.occGaveUp = true;
                            j.stop = true;
                        }
                    }
                    long q1 = DEBUG ? System.nanoTime() : 0;
                    if (DEBUG) j.commitAllNanos.addAndGet(q1 - q0);
                    boolean ran = j.side != null && j.side.runOne(); // then block-level work over committed ones
                    long q2 = DEBUG ? System.nanoTime() : 0;
                    if (DEBUG) j.sideNanos.addAndGet(q2 - q1);
                    if (ran) continue;
                    task = s.nextTask(claims);
                    if (DEBUG) j.schedNanos.addAndGet(System.nanoTime() - q2);
                    if (task != null) {
                        idleSince = -1;
                    } else {
                        long now = System.nanoTime();
                        if (idleSince < 0) idleSince = now;
                        s.idle(now - idleSince);
                        if (DEBUG) j.nullTasks.incrementAndGet();
                    }
                }
            }
        }

        /** The paper's {@code try_execute}: runs an incarnation and records its reads and writes. */
        private Scheduler.Task execute(Job j, Scheduler.Task task) {
            int tx = task.tx();
            Scheduler s = j.scheduler;
            int prev = j.previousOfSender[tx];
            if (prev >= 0 && !s.executedOnce(prev) && s.addDependency(tx, prev)) {
                waits++;
                judge(j);
                return null;
            }
            while (true) {
                // Every lower transaction committed: whatever this incarnation reads is final.
                boolean belowFinal = j.commitTo != null && j.commitIdx >= tx;
                MvReader reader = new MvReader(j.mv, tx, j.depth);
                TxResult result = null;
                RuntimeException error = null;
                try {
                    long e0 = DEBUG ? System.nanoTime() : 0;
                    result = TransactionProcessor.execute(evm, j.txs.get(tx), j.senders[tx], j.env, reader, j.rules, null);
                    if (DEBUG) j.execNanos.addAndGet(System.nanoTime() - e0);
                } catch (MvMemory.Blocked b) {
                    if (s.addDependency(tx, b.tx)) {
                        waits++;
                        judge(j);
                        return null;
                    }
                    continue; // the blocking transaction finished meanwhile: read again
                } catch (dev.lanes.state.WorldState.NotHeld nh) {
                    // The pre-state read is on its way from the store: run other tasks meanwhile; the read's
                    // completion makes this transaction ready again (at once if it is loaded already).
                    readWaits++;
                    s.suspendForRead(tx, claims);
                    java.util.concurrent.CompletableFuture<Void> ready = nh.loaded;
                    if (j.readPool != null && WARM_RUN) {
                        // Once that read is in, the pool runs the transaction once on the pre-state (result thrown
                        // away) to load the rest of what it reads, so it is suspended about once, not once per read.
                        dev.lanes.state.ReadPool pool = j.readPool;
                        ready = nh.loaded.thenRunAsync(() -> dev.lanes.executor.Prefetch.runAhead(j.txs.get(tx), j.senders[tx], j.env,
                                j.mv.base(), j.rules), pool::execute);
                    }
                    ready.whenComplete((x, e) -> s.resumeAfterRead(tx));
                    return null;
                } catch (MvMemory.Unsupported u) {
                    j.fatal.compareAndSet(null, u.getMessage());
                    return null;
                } catch (RuntimeException e) {
                    error = e;
                } catch (StackOverflowError e) {
                    j.fatal.compareAndSet(null, "stack overflow in transaction " + tx);
                    return null;
                }
                if (result != null) reader.markAdds(result.changes());
                executions++;
                if (task.incarnation() > 0) reexecutions++;
                // Its chain: one longer than the longest among the transactions it read from and its sender's
                // previous transaction (a chain is as long as the transactions before it; independent ones are 1).
                // Written before its cells are recorded: a transaction that reads one of them then reads this entry
                // too (the cell's publication orders it). Written after, a reader could meet the cell and the entry
                // still 0, count its chain from 1, and break the chain the adaptive test looks for (AdaptiveSwitchTest
                // once saw a fully dependent block judged only after 35 transactions instead of 8).
                int d = reader.sourceDepth;
                if (prev >= 0 && j.depth[prev] > d) d = j.depth[prev];
                j.depth[tx] = ++d;
                for (int m = j.maxDepth.get(); d > m && !j.maxDepth.compareAndSet(m, d); ) m = j.maxDepth.get();
                long r0 = DEBUG ? System.nanoTime() : 0;
                boolean wroteNew = !j.occ && j.mv.record(tx, task.incarnation(), result == null ? null : result.changes(),
                        reader.reads);
                if (DEBUG) j.recordNanos.addAndGet(System.nanoTime() - r0);
                long b0 = DEBUG ? System.nanoTime() : 0;
                leave(j, tx, result, error, reader.reads, belowFinal ? task.incarnation() + 1 : 0);
                if (j.switchAfter >= 0 ? executions >= j.switchAfter : judge(j)) j.stop = true;
                long b1 = DEBUG ? System.nanoTime() : 0;
                if (DEBUG) j.bookNanos.addAndGet(b1 - b0);
                Scheduler.Task nt = s.finishExecution(tx, task.incarnation(), wroteNew);
                if (DEBUG) j.finishNanos.addAndGet(System.nanoTime() - b1);
                return nt;
            }
        }

        /**
         * {@link Job#occ}: runs transaction {@code k} on the committed state (every lower transaction committed, the caller
         * holding the commit lock), so that what it reads is final; returns what it left (incarnation {@code inc}'s, its
         * reads marked final), or null after setting {@code fatal}.
         */
        Executed executeFinal(Job j, int k, int inc) {
            MvReader reader = new MvReader(j.mv, k, j.depth);
            TxResult result = null;
            RuntimeException error = null;
            try {
                result = TransactionProcessor.execute(evm, j.txs.get(k), j.senders[k], j.env, reader, j.rules, null);
            } catch (MvMemory.Blocked | MvMemory.Unsupported | dev.lanes.state.WorldState.NotHeld e) {
                // Not in this mode: nothing is recorded to block on, and it is off over a store.
                j.fatal.compareAndSet(null, "optimistic commit of transaction " + k + ": " + e);
                return null;
            } catch (RuntimeException e) {
                error = e;
            } catch (StackOverflowError e) {
                j.fatal.compareAndSet(null, "stack overflow in transaction " + k);
                return null;
            }
            if (result != null) reader.markAdds(result.changes());
            executions++;
            reexecutions++;
            return leave(j, k, result, error, reader.reads, inc + 1);
        }

        /**
         * Leaves an execution of transaction {@code tx} in the job: its outcome first ({@link Job#outcomes}; or {@link
         * Job#errorSeen} when it threw), then the execution itself, which publishes it to the committer.
         */
        private Executed leave(Job j, int tx, TxResult result, RuntimeException error, List<MvReader.Read> reads, int readsFinal) {
            byte[] bloom = result == null ? null : memo.of(result.logs());
            if (result != null && error == null) j.outcomes[tx] = new Outcome(result, null, bloom, result.gasUsed());
            else j.errorSeen = true;
            Executed d = new Executed(result, bloom, error, reads, readsFinal, id);
            j.done[tx] = d;
            return d;
        }

        /**
         * The adaptive test ({@link #tooDependent}), after an execution or a suspension, once the block's first
         * {@link Job#probe} transactions are validated (or the first {@link #EARLY_CHAIN} form one chain): the chain and
         * the reach are the block's (one volatile read each), the re-executions this worker's own (no counter shared
         * between workers on the per-transaction path). Sets {@code stop} and returns true when it fails.
         */
        private boolean judge(Job j) {
            // The optimistic mode judges itself at commit (occTooDependent): it hands a dependent block to Block-STM
            // proper, whose own test then decides about the sequential path.
            if (!j.adaptive || j.switchAfter >= 0 || executions == 0 || j.occ) return false;
            // Past the probe, every eighth execution of this worker: the test reads two scheduler counters that the
            // other workers write all the time (a cache-line transfer each, per execution, on a machine with slow ones).
            if (pastProbe && (executions & 7) != 0) return false;
            int reach = Math.min(j.scheduler.validatedReach(), j.txs.size());
            int depth = j.maxDepth.get();
            if (depth == 0) return false;
            // How far the block is known final: validated, or committed (the rolling commit may run ahead of the
            // validation index, whose tasks skip committed transactions).
            int known = Math.max(reach, j.commitIdx);
            if (j.handToOcc && known >= Math.max(OCC_MIN_PROBE, j.txs.size() / j.occProbeShare)
                    && reexecutions * OCC_REDO_SHARE <= executions) {
                j.handToOcc = false; // judged once
                if (!readsNear(j, known)) {
                    // In the block's first 1/occProbeShare (64 transactions at least) no transaction read a write of one
                    // just below it (which the optimistic mode would have run again: its reads see only committed
                    // transactions), and few ran twice: the optimistic mode runs the rest at less cost (and gives it
                    // back if it has to run many again). With one in 16 allowed, some mainnet blocks were handed over
                    // and given back, and the 47 ran 2-5% slower in three runs of four; with none, no mainnet block is.
                    if (DEBUG_JUDGE) System.err.printf("hand to the optimistic mode: %d txs, known %d, chain %d%n", j.txs.size(), known, depth);
                    j.handedToOcc = true;
                    j.stop = true;
                    return true;
                }
            }
            // A chain from the start (every transaction validated so far depends on the one before it) is judged
            // early: waiting for the full probe makes a fully dependent block pay Block-STM's cost for 32 transactions.
            boolean chain = reach >= EARLY_CHAIN && depth >= reach;
            if (reach < j.probe && !chain) return false;
            if (reach >= j.probe) pastProbe = true;
            // Re-executions are judged on this worker's own counts once they are a sample (no shared counter
            // on the per-transaction path); the chain on the block's.
            long wasted = executions >= MIN_OWN_EXECUTIONS ? reexecutions : 0;
            if (tooDependent(threads, executions, wasted, reach, depth)) {
                if (DEBUG_JUDGE) System.err.printf("adaptive switch: threads %d, executions %d, re-executions %d, suspensions %d, reach %d, chain %d%n",
                        threads, executions, reexecutions, waits, reach, depth);
                j.stop = true;
                return true;
            }
            return false;
        }

        /**
         * Whether any of the first {@code known} transactions (executed, and validated or committed) read a write of one
         * of the {@link #OCC_NEAR} times {@code threads} transactions below it: one the optimistic mode would likely have
         * run again, as the transaction read would seldom be committed yet. A read of a write far below costs that mode
         * nothing. The block's first transactions are not counted: they all start before anything is committed, so any
         * write among them is near (a block whose first transaction creates the coinbase account that every later fee
         * goes to; the optimistic mode also lets the first executions run again without giving up). Each read's sources
         * as noted when it was made ({@link MvReader#sourceFrom}): resolving every read of the prefix again took the
         * judging worker 0.23 ms for 252 ERC-20 transfers (session 33), while the other worker ran on past the prefix.
         */
        private boolean readsNear(Job j, int known) {
            for (int i = OCC_NEAR * threads; i < known; i++) {
                Executed d = j.done[i];
                if (d == null || d.reads() == null) continue;
                try {
                    if (MvReader.sourceFrom(j.mv, i, d.reads(), i - OCC_NEAR * threads)) return true;
                } catch (MvMemory.Blocked | MvMemory.Unsupported e) {
                    return true;
                }
            }
            return false;
        }

        /** The paper's {@code needs_reexecution}: validates the read set, aborting the incarnation if it changed. */
        private Scheduler.Task validate(Job j, Scheduler.Task task) {
            int tx = task.tx();
            long v0 = DEBUG ? System.nanoTime() : 0;
            validations++;
            boolean valid;
            MvReader.Read bad;
            try {
                // Optimistic mode: the commit validates (and runs again what changed); nothing is aborted here.
                bad = j.occ ? null : j.firstInvalid(tx, task.incarnation(), j.done[tx]);
                valid = bad == null;
            } catch (MvMemory.Unsupported u) {
                j.fatal.compareAndSet(null, u.getMessage());
                return null;
            }
            boolean aborted = !valid && j.scheduler.tryValidationAbort(tx, task.incarnation());
            if (aborted) {
                failures++;
                j.conflicts.computeIfAbsent(MvReader.describe(bad), k -> new java.util.concurrent.atomic.LongAdder()).increment();
                j.mv.convertWritesToEstimates(tx);
            }
            if (DEBUG) j.validateNanos.addAndGet(System.nanoTime() - v0);
            return j.scheduler.finishValidation(tx, aborted);
        }
    }
}
