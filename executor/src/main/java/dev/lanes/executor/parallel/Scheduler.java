package dev.lanes.executor.parallel;

import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Block-STM's collaborative scheduler (Gelashvili et al., arXiv 2203.06871, Algorithms 4-5): worker threads
 * take execution tasks in transaction order from {@code executionIdx} and validation tasks from
 * {@code validationIdx}, always the lower of the two first, so that the block commits in order without a
 * central coordinator. An aborted transaction gets a new incarnation and lowers {@code validationIdx} so
 * that everything above it is validated again; a transaction that meets an ESTIMATE is suspended on the
 * blocking transaction and resumed when that one finishes executing.
 *
 * <p>Memory ordering: the four counters ({@code executionIdx}, {@code validationIdx}, {@code decreaseCnt},
 * {@code numActiveTasks}) are elements of one padded {@link AtomicIntegerArray} whose reads and
 * read-modify-writes are sequentially consistent (Java volatile semantics), which the paper's proofs assume for them; in
 * particular {@link #checkDone} reads {@code decreaseCnt} before and after the indices, and any decrease
 * increments it after lowering the index, so a decrease racing with the check is always seen.
 * A transaction's status, incarnation and dependency list are guarded by the monitor of its lock object;
 * the monitor also orders the multi-version writes made before {@code finishExecution} (and the read set)
 * before any validation that observed the EXECUTED status, and an abort's ESTIMATE conversion before the
 * re-execution that picks up the READY status. {@code done} is volatile: once true, no task remains.
 */
final class Scheduler {
    /** COMMITTED: executed, validated against final lower transactions and applied; never aborted again. */
    static final int READY = 0, EXECUTING = 1, EXECUTED = 2, ABORTING = 3, COMMITTED = 4;

    /** A task: execute or validate incarnation {@code incarnation} of {@code tx}. */
    record Task(boolean validation, int tx, int incarnation) {}

    private final int n;
    /**
     * The paper's four shared counters, each on its own cache line (128 bytes apart, so that neither adjacent
     * lines prefetched in pairs nor the array header share one): every task does several read-modify-writes on
     * them from every worker, and counters packed into one line would make each of those a transfer of the
     * line between cores even when two workers touch different counters (false sharing).
     */
    private final AtomicIntegerArray counters = new AtomicIntegerArray(6 * PAD);
    private static final int PAD = 32, EXECUTION_IDX = PAD, VALIDATION_IDX = 2 * PAD, DECREASE_CNT = 3 * PAD,
            NUM_ACTIVE = 4 * PAD, COMMITTED_BELOW = 5 * PAD;
    private volatile boolean done;

    private final Object[] locks;
    private final int[] status;
    private final int[] incarnation;
    private final ArrayList<Integer>[] dependencies;
    /** Whether the transaction has finished at least one execution (same-sender chains wait for it). */
    private final boolean[] executedOnce;

    /** Idle workers wait here instead of spinning; woken whenever new work may have appeared. */
    private final Object idle = new Object();
    private static final boolean DEBUG_IDLE = Boolean.getBoolean("lanes.parallel.debugIdle");
    /** Written under the monitor of {@code idle}; volatile so that a waker can skip the monitor when nobody waits. */
    private volatile int idleWaiters;
    final AtomicInteger idleWaits = new AtomicInteger();

    /**
     * How far the block is known (volatile reads): the lower of the execution and validation indexes, so the
     * transactions below it have executed and been validated at least once since the last lowering.
     */
    int validatedReach() {
        return Math.min(counters.get(EXECUTION_IDX), counters.get(VALIDATION_IDX));
    }

    /** Indices claimed at once past the first {@code batchFrom} transactions (see {@link Claims}). */
    private final int claim, batchFrom;

    /** A scheduler for {@code n} transactions run by {@code threads} workers. */
    Scheduler(int n, int claim, int batchFrom, int threads) {
        this(n, claim, batchFrom, crowded(threads));
    }

    /** Whether {@code threads} workers are more than the machine has CPUs (then idle workers poll less, see {@link #idleSpinNanos}). */
    static boolean crowded(int threads) {
        return threads > Runtime.getRuntime().availableProcessors();
    }

    /** A scheduler for {@code n} transactions, its workers {@link #crowded} or not (known to the caller once per executor). */
    @SuppressWarnings("unchecked")
    Scheduler(int n, int claim, int batchFrom, boolean crowded) {
        if (claim < 1) throw new IllegalArgumentException("claim must be at least 1");
        this.n = n;
        this.claim = claim;
        this.batchFrom = batchFrom;
        this.idleSpinNanos = crowded ? IDLE_SPIN_NANOS_CROWDED : IDLE_SPIN_NANOS;
        locks = new Object[n];
        status = new int[n];
        incarnation = new int[n];
        dependencies = new ArrayList[n];
        executedOnce = new boolean[n];
        for (int i = 0; i < n; i++) {
            locks[i] = new Object();
        }
    }

    boolean done() {
        return done;
    }

    private void decreaseExecutionIdx(int target) {
        counters.getAndAccumulate(EXECUTION_IDX, target, Math::min);
        counters.incrementAndGet(DECREASE_CNT);
        wakeIdle();
    }

    private void decreaseValidationIdx(int target) {
        counters.getAndAccumulate(VALIDATION_IDX, target, Math::min);
        counters.incrementAndGet(DECREASE_CNT);
        wakeIdle();
    }

    private void checkDone() {
        int observed = counters.get(DECREASE_CNT);
        if (Math.min(counters.get(EXECUTION_IDX), counters.get(VALIDATION_IDX)) >= n && counters.get(NUM_ACTIVE) == 0
                && observed == counters.get(DECREASE_CNT)) {
            done = true;
            wakeIdle();
        }
    }

    private Task tryIncarnate(int tx) {
        if (tx < n) {
            synchronized (locks[tx]) {
                if (status[tx] == READY) {
                    status[tx] = EXECUTING;
                    return new Task(false, tx, incarnation[tx]);
                }
            }
        }
        return null;
    }

    /**
     * The next execution task from this worker's claimed run of indices, claiming a new run (once per call) when it is
     * used up; null when none of them is ready.
     */
    private Task nextVersionToExecute(Claims c) {
        Claims.Run run = c.exec;
        boolean claimed = false;
        while (true) {
            if (run.empty()) {
                if (claimed) return null;
                int idx = counters.get(EXECUTION_IDX);
                if (idx >= n || !claimRun(run, EXECUTION_IDX, idx)) return null;
                claimed = true;
            }
            Task t = tryIncarnate(run.next++);
            if (t != null) return t;
        }
    }

    /**
     * Claims the next run of indices from {@code counter} (just read as {@code idx}) into {@code run}: one index within
     * the block's first {@code batchFrom}, else {@code claim}; false when none is left.
     */
    private boolean claimRun(Claims.Run run, int counter, int idx) {
        int size = idx < batchFrom ? 1 : claim;
        int base = counters.getAndAdd(counter, size);
        if (base >= n) return false;
        run.next = base;
        run.end = Math.min(base + size, n);
        return true;
    }

    /** As {@link #nextVersionToExecute}, for validation tasks. */
    private Task nextVersionToValidate(Claims c) {
        Claims.Run run = c.val;
        boolean claimed = false;
        while (true) {
            if (run.empty()) {
                if (claimed) return null;
                int idx = counters.get(VALIDATION_IDX);
                if (idx >= n) return null;
                int cb = committedBelow();
                if (idx < cb) {
                    counters.getAndAccumulate(VALIDATION_IDX, cb, Math::max);
                    if (cb >= n) return null;
                    idx = cb;
                }
                // Nothing at or past the execution index has executed: claiming it would only skip it (and make its
                // executor validate it itself). Left unclaimed, it is validated by a later claim, or committed first.
                if (idx >= counters.get(EXECUTION_IDX) || !claimRun(run, VALIDATION_IDX, idx)) return null;
                claimed = true;
            }
            int tx = run.next++;
            synchronized (locks[tx]) {
                if (status[tx] == EXECUTED) return new Task(true, tx, incarnation[tx]);
            }
            // Not executed yet: its own finishExecution sees the validation index past it and validates it then.
            // Committed: never validated again. Either way, on to the next claimed index in this call (returning
            // empty-handed for each committed one made a worker poll, and past its spins wait, once per committed
            // transaction whenever the validation index dropped below a committed run: measured on a mainnet block,
            // 950 idle waits and 480 ms for a block of 25 ms).
        }
    }

    /**
     * One worker's claims on the scheduler: whether it holds one count of {@code numActiveTasks}, and the runs of
     * execution and validation indices it has taken but not yet tried. Owned by one worker, reset per block.
     *
     * <p>The paper increments the count before each claim and decrements it after each task, and claims one index
     * per fetch-and-increment. Here a worker that goes from one task to the next keeps its count and gives it back
     * only when {@link #nextTask} finds nothing (or hands it to a suspended transaction, {@link #suspendForRead}),
     * and past the block's first {@code batchFrom} transactions it claims {@code claim} consecutive indices at once.
     * Both only change who does a task and when {@link #checkDone} can succeed: a claimed index is still tried
     * (a transaction not READY is skipped, as in the paper), every decrease of an index still happens before the
     * count is given back, and a worker holding claimed indices holds its count. What they save is the shared
     * counters' cache lines: every read-modify-write of one moves its line between cores, about 200 ns each on the
     * two-vCPU machine (a round trip between its cores measured 430-470 ns), several per transaction.
     */
    static final class Claims {
        boolean held;
        final Run exec = new Run(), val = new Run();

        /** Indices {@code next} to {@code end} (exclusive), claimed and not yet tried. */
        static final class Run {
            int next, end;

            boolean empty() {
                return next >= end;
            }
        }

        void reset() {
            held = false;
            exec.next = exec.end = val.next = val.end = 0;
        }
    }

    /**
     * The next task, or null when there is none right now (the caller may {@link #idle}): the lower-indexed kind
     * first, as in the paper, judged by this worker's claimed runs where it has some and by the shared indices where
     * not. {@code c} is the calling worker's {@link Claims}: its count is taken before claiming and given back (and
     * the block checked for completion) when nothing is found.
     */
    Task nextTask(Claims c) {
        if (!c.held) {
            counters.incrementAndGet(NUM_ACTIVE);
            c.held = true;
        }
        int v = noValidation ? n : c.val.empty() ? counters.get(VALIDATION_IDX) : c.val.next;
        int e = c.exec.empty() ? counters.get(EXECUTION_IDX) : c.exec.next;
        Task t;
        if (v < e) {
            t = nextVersionToValidate(c);
            if (t == null) t = nextVersionToExecute(c);
        } else {
            t = nextVersionToExecute(c);
            if (t == null && !noValidation) t = nextVersionToValidate(c);
        }
        if (t == null) {
            counters.decrementAndGet(NUM_ACTIVE);
            c.held = false;
            checkDone();
        }
        return t;
    }

    /**
     * Suspends {@code tx} (now executing) until {@code blocking} finishes an execution. Returns false when
     * {@code blocking} already has: then {@code tx} should simply run again.
     */
    boolean addDependency(int tx, int blocking) {
        synchronized (locks[blocking]) {
            if (status[blocking] == EXECUTED || status[blocking] == COMMITTED) return false;
            synchronized (locks[tx]) {
                status[tx] = ABORTING;
            }
            if (dependencies[blocking] == null) dependencies[blocking] = new ArrayList<>(2);
            dependencies[blocking].add(tx);
        }
        return true; // the worker keeps its count (Claims) for its next task
    }

    /**
     * Suspends {@code tx} (now executing) until a pre-state read it needs has been loaded from the store; the loader
     * calls {@link #resumeAfterRead}. Unlike a dependency the task keeps its place in {@code numActiveTasks} while
     * suspended: no transaction is executing for it that would keep the block from looking done, so the count does.
     */
    void suspendForRead(int tx, Claims c) {
        synchronized (locks[tx]) {
            status[tx] = ABORTING;
        }
        c.held = false; // the worker's count now stands for the suspended task: resumeAfterRead gives it back
    }

    /**
     * The read {@code tx} waited for is loaded: it is ready to execute again (the same incarnation: the suspended one
     * recorded nothing). Lowers the execution index to it before giving up the suspended task's active count, so that
     * {@link #checkDone} cannot see both the block finished and no task active in between.
     */
    void resumeAfterRead(int tx) {
        synchronized (locks[tx]) {
            status[tx] = READY;
        }
        decreaseExecutionIdx(tx);
        counters.decrementAndGet(NUM_ACTIVE);
    }

    /** Whether {@code tx}'s current incarnation has finished executing (and not been aborted since). */
    boolean isExecuted(int tx) {
        synchronized (locks[tx]) {
            return status[tx] == EXECUTED || status[tx] == COMMITTED;
        }
    }

    /** The incarnation of {@code tx} when it has executed and is not committed yet, else -1. */
    int executedIncarnation(int tx) {
        synchronized (locks[tx]) {
            return status[tx] == EXECUTED ? incarnation[tx] : -1;
        }
    }

    /**
     * Marks incarnation {@code inc} of {@code tx} committed if it is still the executed one (no validator aborted
     * it meanwhile); from then on {@link #tryValidationAbort} refuses it.
     */
    boolean tryCommit(int tx, int inc) {
        synchronized (locks[tx]) {
            if (status[tx] != EXECUTED || incarnation[tx] != inc) return false;
            status[tx] = COMMITTED;
        }
        // Commits are in order: every transaction below is committed.
        if (!noValidation) counters.set(COMMITTED_BELOW, tx + 1);
        return true;
    }

    /**
     * Every transaction below {@code counters[COMMITTED_BELOW]} is committed (a volatile write after each in-order
     * commit, on a line of its own: as a field of this object it shared a line with the references every scheduler call
     * reads, and each commit took that line from the other workers). Validation skips them without taking their locks:
     * a committed transaction is never validated again, and no index is ever lowered below it (only uncommitted
     * transactions are aborted or re-executed), so raising the validation index to it is safe.
     */
    private int committedBelow() {
        return counters.get(COMMITTED_BELOW);
    }

    /**
     * Whether this block schedules no validation tasks (Block-STM's optimistic mode: its commit validates each
     * transaction itself); set by {@link #skipValidation} before any worker takes a task.
     */
    private boolean noValidation;

    /**
     * No validation tasks for this block: the validation index starts past the end, so no worker claims one (a shared
     * read-modify-write per transaction, and its cache line moved between the cores with each), and no execution returns
     * one. Called before the block is published to the workers (the publication orders it before their first task).
     */
    void skipValidation() {
        noValidation = true;
        counters.set(VALIDATION_IDX, n);
    }

    /** Whether {@code tx} has finished an execution at least once. */
    boolean executedOnce(int tx) {
        synchronized (locks[tx]) {
            return executedOnce[tx];
        }
    }

    private void setReady(int tx) {
        synchronized (locks[tx]) {
            incarnation[tx]++;
            status[tx] = READY;
        }
    }

    /** After an execution: resumes waiters and returns a validation task for {@code tx} when it is due now. */
    Task finishExecution(int tx, int inc, boolean wroteNewLocation) {
        ArrayList<Integer> deps;
        synchronized (locks[tx]) {
            status[tx] = EXECUTED;
            executedOnce[tx] = true;
            deps = dependencies[tx];
            dependencies[tx] = null;
        }
        if (deps != null) {
            int min = Integer.MAX_VALUE;
            for (int d : deps) {
                // A dependency is only ever added for a lower-indexed blocking transaction.
                synchronized (locks[d]) {
                    status[d] = READY;
                }
                min = Math.min(min, d);
            }
            decreaseExecutionIdx(min);
        }
        if (!noValidation && counters.get(VALIDATION_IDX) > tx) {
            if (wroteNewLocation) {
                decreaseValidationIdx(tx);
            } else {
                return new Task(true, tx, inc);
            }
        }
        return null; // the worker keeps its count (Claims)
    }

    /** Claims the abort of incarnation {@code inc} of {@code tx}; false when another validator already did. */
    boolean tryValidationAbort(int tx, int inc) {
        synchronized (locks[tx]) {
            if (incarnation[tx] == inc && status[tx] == EXECUTED) {
                status[tx] = ABORTING;
                return true;
            }
            return false;
        }
    }

    /** After a validation: an aborted transaction gets its next incarnation, returned as a task when due now. */
    Task finishValidation(int tx, boolean aborted) {
        if (aborted) {
            setReady(tx);
            decreaseValidationIdx(tx + 1);
            if (counters.get(EXECUTION_IDX) > tx) {
                return tryIncarnate(tx);
            }
        }
        return null; // the worker keeps its count (Claims)
    }

    /**
     * How long an idle worker polls for work before it waits on the monitor when the block has no more workers than the
     * machine has CPUs ({@code -Dlanes.parallel.idleSpinNanos} sets it for every block). 2 ms: on the 2-vCPU machines
     * here, a worker that went to wait while the other still executed a transaction left that execution stalled for
     * 25-55 ms in a third of the runs of mainnet block 12243999 (5-10 ms otherwise; the stalled execution used a tenth of
     * a millisecond of CPU in that time, on a thread that was runnable); polling for 2 ms or more before waiting, no run
     * of that block stalled (docs/benchmarks.md, session 25). Polling costs the idle worker's CPU only while the block
     * runs, at its end or while a dependency is pending.
     */
    static final long IDLE_SPIN_NANOS = Long.getLong("lanes.parallel.idleSpinNanos", 2_000_000L);
    /** The same with more workers than CPUs, where a polling worker takes a CPU that a working one could use. */
    static final long IDLE_SPIN_NANOS_CROWDED = Long.getLong("lanes.parallel.idleSpinNanos", 50_000L);

    /** This block's polling time before an idle worker waits: from its worker count (see {@link #IDLE_SPIN_NANOS}). */
    private final long idleSpinNanos;

    /**
     * An idle worker's wait for new work: for the first {@link #idleSpinNanos} of being idle ({@code idleNanos}) one
     * spin-wait hint per call (the caller polls), then a wait on the monitor of at most a millisecond, which returns
     * when work is published or the block is done.
     */
    void idle(long idleNanos) {
        if (done) return;
        if (idleNanos < idleSpinNanos) {
            Thread.onSpinWait();
            return;
        }
        int w = idleWaits.incrementAndGet();
        if (DEBUG_IDLE && (w < 12 || w % 100 == 0)) {
            int low = -1;
            for (int i = 0; i < n; i++) if (status[i] != COMMITTED && status[i] != EXECUTED) { low = i; break; }
            System.err.printf("idle %d: exec %d val %d active %d lowest not executed %d (status %d)%n", w, counters.get(EXECUTION_IDX),
                    counters.get(VALIDATION_IDX), counters.get(NUM_ACTIVE), low, low < 0 ? -1 : status[low]);
        }
        synchronized (idle) {
            // Count this waiter before reading done (both volatile): a checkDone that sets done and then reads the
            // count either sees this waiter (and notifies it once it waits) or is seen here.
            idleWaiters++;
            try {
                if (done) return;
                idle.wait(0, 200_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                idleWaiters--;
            }
        }
    }

    private void wakeIdle() {
        // The counter change that made work appear is a sequentially consistent write before this volatile read;
        // a worker that starts waiting after it re-reads the counters within its (bounded) wait in any case.
        if (idleWaiters == 0) return;
        synchronized (idle) {
            if (idleWaiters > 0) idle.notifyAll();
        }
    }
}
