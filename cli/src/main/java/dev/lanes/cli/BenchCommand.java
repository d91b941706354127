package dev.lanes.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lanes.evm.BlockEnv;
import dev.lanes.evm.EvmThreads;
import dev.lanes.evm.Fork;
import dev.lanes.evm.ForkRules;
import dev.lanes.evm.interpreter.Evm;
import dev.lanes.evm.tx.Transaction;
import dev.lanes.evm.tx.TransactionProcessor;
import dev.lanes.evm.tx.TxResult;
import dev.lanes.executor.BlockExecutor;
import dev.lanes.executor.BlockHeader;
import dev.lanes.executor.BlockReplay;
import dev.lanes.executor.MainnetBlock;
import dev.lanes.executor.MainnetForks;
import dev.lanes.executor.Receipt;
import dev.lanes.executor.Withdrawal;
import dev.lanes.executor.parallel.ParallelExecutor;
import dev.lanes.executor.workload.Workload;
import dev.lanes.executor.workload.Workloads;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.state.WorldState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lanes bench}: benchmarks that are not interpreter micro-benchmarks. */
@Command(name = "bench", description = "Benchmarks (see 'bench parallel', 'bench node', 'bench store', 'bench reads', 'bench analysis').", subcommands = {BenchCommand.Parallel.class, BenchNodeCommand.class, BenchStoreCommand.class, BenchReadsCommand.class, BenchAnalysisCommand.class},
        mixinStandardHelpOptions = true)
final class BenchCommand implements Runnable {
    @Override public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /**
     * {@code lanes bench parallel}: builds a block (a generated workload, or mainnet block folders), checks that
     * Block-STM on every thread count gives the sequential result, and reports per thread count the median time
     * of repeated runs after warm-up, speedup over the sequential path, Mgas/s, executions, re-executions,
     * validation failures and the oracle bound (the best speedup any scheduler could reach on T threads given the
     * block's true dependency graph and each transaction's sequential time: min(T, total / critical path)).
     */
    @Command(name = "parallel", mixinStandardHelpOptions = true,
            description = "Parallel (Block-STM) vs sequential execution of a generated or mainnet block.")
    static final class Parallel implements Callable<Integer> {
        @Option(names = "--workload", required = true, description = "One of: ${COMPLETION-CANDIDATES}, or mainnet (then give block folders).",
                completionCandidates = WorkloadNames.class)
        String workload;
        @Option(names = "--txs", description = "Transactions in the generated block (default: ${DEFAULT-VALUE}).")
        int txs = 2000;
        @Option(names = "--threads", split = ",", description = "Thread counts, comma-separated (default: 1,2).")
        int[] threads = {1, 2};
        @Option(names = "--runs", description = "Measured runs per thread count; the median is reported (default: ${DEFAULT-VALUE}).")
        int runs = 11;
        @Option(names = "--warmup", description = "Warm-up runs per thread count before measuring (default: ${DEFAULT-VALUE}).")
        int warmup = 30;
        @Option(names = "--warmup-seconds", description = "Keep warming up (all thread counts in turn) until the JVM has "
                + "spent at least this long in warm-up runs, counted over all blocks (default: ${DEFAULT-VALUE}). The "
                + "generated EVM code stays in the JIT's profiled tier for seconds on a 2-core machine, and profiled "
                + "code run by two threads at once shares its counters: measured too early, parallel runs look far slower.")
        double warmupSeconds = 8;
        @Option(names = "--seed", description = "Seed of the generated block (default: ${DEFAULT-VALUE}).")
        long seed = 1;
        @Option(names = "--stm-overhead", description = "Also measure Block-STM on one worker thread (its bookkeeping cost).")
        boolean stmOverhead;
        @Option(names = "--compare-rolling", description = "Also measure every thread count above 1 with Block-STM's "
                + "rolling commit switched the other way (rows marked \"rc on\" or \"rc off\"), interleaved in the same JVM.")
        boolean compareRolling;
        @Option(names = "--compare", paramLabel = "SETTINGS", description = "Also measure every thread count above 1 with "
                + "the executor's settings changed (rows marked with them), interleaved in the same JVM: comma-separated, from "
                + "rolling=on|off (Block-STM's rolling commit), encode-at-commit=on|off (the rolling commit encodes each "
                + "receipt, rather than the receipts-trie tasks), pipeline=on|off (the sequential path makes receipts on a "
                + "second thread), block-stm=on|off (off: the sequential path only), pipeline-bar=NANOS (on two threads, "
                + "Block-STM starts only once transactions take this long each on the pipelined path), claim=N (the most "
                + "consecutive transactions a Block-STM worker claims at once; 1: one at a time), occ-claim=N (the same in the "
                + "optimistic mode), commit-own=on|off (a busy worker's "
                + "rolling commit takes only transactions it executed itself), occ=on|off|auto (optimistic mode: executions read the "
                + "committed state and the rolling commit runs again those whose reads changed), occ-probe-share=N (with occ=auto, "
                + "Block-STM judges whether to hand the block to the optimistic mode after 1/N of it, 64 transactions at least), hand-over-spin=on|off (a helper polls for the run that follows a hand-over instead of waiting to be woken), probe-txs=N (transactions run "
                + "sequentially before the adaptive start's estimate), min-rest-txs=N and "
                + "min-rest-nanos=NANOS (Block-STM takes the rest of a block only when at least N transactions and about NANOS "
                + "of sequential work are left), heavy-tx-nanos=NANOS and heavy-min-rest-nanos=NANOS (the lower bar for "
                + "transactions that take that long each).")
        String compare;
        @Option(names = "--alloc", description = "Also report the bytes allocated per transaction, by all threads "
                + "together (HotSpot's per-thread counters; median over the timed runs).")
        boolean alloc;
        @Option(names = "--cpu", description = "Also report the CPU time per block, summed over all threads (HotSpot's "
                + "per-thread CPU clocks; median over the timed runs). Unlike the elapsed time it leaves out time a thread "
                + "was not running (preempted by the JIT compiler or a neighbour): on one worker it gives Block-STM's "
                + "overhead alone, on several the work that running in parallel adds.")
        boolean cpu;
        @Option(names = "--by-cpu", description = "Also report the sequential path's median time per CPU it ran on "
                + "(Linux: read from /proc at each run's start and end; runs that moved are left out). On shared virtual "
                + "machines one vCPU can run 20-40%% slower than another for minutes, and the speedups move with it.")
        boolean byCpu;
        @Option(names = "--ceiling", description = "Also run T independent copies of the sequential path at once for every "
                + "thread count T above 1, each on its own thread and its own copy of the pre-state (rows \"T copies\"; their "
                + "speedup is T x the sequential time / the time until all copies are done): what T threads give on this "
                + "machine right now with nothing shared between them, a ceiling for any executor's speedup. On shared "
                + "virtual machines it moves with the host's load.")
        boolean ceiling;
        @Option(names = "--json", description = "Print one JSON object instead of the table.")
        boolean json;
        @Parameters(arity = "0..*", paramLabel = "PATH", description = "With --workload mainnet: block folders, or folders of them.")
        List<Path> paths = new ArrayList<>();

        @Override public Integer call() {
            try {
                return EvmThreads.call("bench", this::run);
            } catch (IllegalArgumentException e) {
                System.err.println("lanes bench parallel: " + e.getMessage());
                return 2;
            }
        }

        private int run() throws Exception {
            List<Block> blocks = new ArrayList<>();
            if (workload.equals("mainnet")) {
                if (paths.isEmpty()) throw new IllegalArgumentException("--workload mainnet needs block folders");
                for (Path d : blockDirs(paths)) blocks.add(Block.of(MainnetBlock.load(d)));
                blocks.sort(Comparator.comparingLong(b -> b.header.number()));
            } else {
                if (!Workloads.NAMES.contains(workload)) {
                    throw new IllegalArgumentException("unknown workload '" + workload + "'; one of " + Workloads.NAMES + " or mainnet");
                }
                if (txs < 1) throw new IllegalArgumentException("--txs must be at least 1");
                blocks.add(Block.of(Workloads.build(workload, txs, seed)));
            }
            for (int t : threads) if (t < 1) throw new IllegalArgumentException("thread counts must be at least 1");
            if (runs < 1 || warmup < 0 || !(warmupSeconds >= 0)) {
                throw new IllegalArgumentException("--runs must be >= 1, --warmup and --warmup-seconds >= 0");
            }
            int[] counts = Arrays.stream(threads).distinct().sorted().toArray();
            if (counts[0] != 1) counts = prepend(1, counts); // the sequential path is the reference

            Map<Integer, BlockExecutor> executors = new LinkedHashMap<>();
            for (int t : counts) executors.put(t, new BlockExecutor(t));
            if (stmOverhead) {
                // Row "0" stands for Block-STM on one worker: listed after the sequential path.
                counts = prepend(1, prepend(0, Arrays.copyOfRange(counts, 1, counts.length)));
                executors.put(0, BlockExecutor.blockStm(1));
            }
            if (compareRolling && compare != null) throw new IllegalArgumentException("--compare-rolling and --compare: one at a time");
            if (compareRolling) compare = "rolling=" + (ParallelExecutor.ROLLING ? "off" : "on");
            if (compare != null) {
                BlockExecutor probe = new BlockExecutor(1);
                probe.tune(compare); // rejects a bad setting before anything runs
                probe.close();
                // Row "-T" stands for T threads with the settings of --compare, listed after row T.
                List<Integer> withVariants = new ArrayList<>();
                for (int t : counts) {
                    withVariants.add(t);
                    if (t > 1) {
                        withVariants.add(-t);
                        executors.put(-t, new BlockExecutor(t).tune(compare));
                    }
                }
                counts = withVariants.stream().mapToInt(Integer::intValue).toArray();
            }
            if (ceiling) {
                // Row COPIES + T stands for T independent copies of the sequential path, listed after row T.
                List<Integer> withCopies = new ArrayList<>();
                for (int t : counts) {
                    withCopies.add(t);
                    if (t > 1) {
                        withCopies.add(COPIES + t);
                        copies.put(COPIES + t, new Copies(t));
                    }
                }
                counts = withCopies.stream().mapToInt(Integer::intValue).toArray();
            }
            BlockExecutor deps = new BlockExecutor(2).adaptive(false).recordDependencies(true);
            List<BlockReport> reports = new ArrayList<>();
            boolean allEqual = true;
            try {
                // Every block is checked first, then all of them warm up together, then each is timed: warming
                // one block at a time left the later blocks of a folder measured while HotSpot was still compiling
                // their contracts' generated classes on the other core.
                for (Block b : blocks) {
                    BlockReport r = prepare(b, counts, executors, deps);
                    allEqual &= r.mismatch == null;
                    reports.add(r);
                }
                List<BlockReport> timed = reports.stream().filter(r -> r.timed).toList();
                warmUp(timed, counts, executors);
                roundTripBefore = CoreLatency.roundTripNanos(ROUND_TRIPS);
                time(timed, counts, executors);
                roundTripAfter = CoreLatency.roundTripNanos(ROUND_TRIPS);
                if (!json) {
                    if (roundTripBefore > 0) {
                        System.out.printf("a cache line's round trip between two threads: %.0f ns before the timed runs, %.0f ns after"
                                + " (shared lines cost Block-STM about half of it per transfer)%n", roundTripBefore, roundTripAfter);
                    }
                    for (var e : helperDelays.entrySet()) {
                        HelperDelay h = HelperDelay.of(e.getValue());
                        System.out.printf("helpers took up a block's Block-STM run (%d threads): median %.3f ms, 90th percentile %.3f ms"
                                + " after it was handed over; the caller finished it alone in %d of %d timed runs%n", e.getKey(),
                                h.medianMs(), h.p90Ms(), h.never(), h.runs());
                    }
                    for (BlockReport r : reports) print(r, counts);
                }
            } finally {
                for (BlockExecutor e : executors.values()) e.close();
                for (Copies c : copies.values()) c.close();
                deps.close();
            }
            if (json) System.out.println(toJson(reports, counts));
            else if (reports.size() > 1) printTotal(reports, counts);
            return allEqual ? 0 : 1;
        }

        // ---- measurement ----

        /** Round trips per measurement of the cores' cache-line latency (about 0.3 s in all where it is 450 ns). */
        private static final int ROUND_TRIPS = 200_000;
        /** {@link CoreLatency#roundTripNanos} around the timed runs (-1: one processor). */
        private double roundTripBefore = -1, roundTripAfter = -1;

        /** Checks every thread count's first run against the sequential one and computes the oracle bound. */
        private BlockReport prepare(Block b, int[] counts, Map<Integer, BlockExecutor> executors, BlockExecutor depExec) {
            Run reference = once(executors.get(1), b);
            BlockReport report = new BlockReport(b, reference.result.gasUsed(), counts);
            if (!reference.result.valid()) {
                report.mismatch = "the block is invalid sequentially: " + reference.result.invalidReason();
                return report;
            }
            // True dependencies from a forced Block-STM run, per-transaction sequential times from the plain loop.
            once(depExec, b);
            int[][] deps = depExec.lastDependencies();
            long[] txNanos = perTransactionNanos(b);
            report.oracle(deps, txNanos, counts);
            if (Boolean.getBoolean("lanes.bench.printTxs")) { // each transaction's sequential time and what it waits for
                for (int i = 0; i < txNanos.length; i++) {
                    System.err.printf("tx %d: %.1f us, depends on %s%n", i, txNanos[i] / 1e3,
                            deps == null || deps[i] == null ? "[]" : Arrays.toString(deps[i]));
                }
            }

            for (int i = 0; i < counts.length; i++) {
                Run first = row(executors, counts[i], b, false, false);
                String diff = difference(reference, first);
                if (diff != null && report.mismatch == null) report.mismatch = label(counts[i]) + " threads: " + diff;
            }
            report.timed = true;
            return report;
        }

        /**
         * Warm-up: rounds over every block and thread count, at least {@link #warmup} rounds and until
         * {@link #warmupSeconds} have passed; the rounds are those of {@link #time}, untimed.
         */
        private void warmUp(List<BlockReport> timed, int[] counts, Map<Integer, BlockExecutor> executors) {
            long warmStart = System.nanoTime();
            for (int w = 0; w < warmup || System.nanoTime() - warmStart < warmupSeconds * 1e9; w++) {
                for (BlockReport r : timed) round(r, counts, executors, w, null, null, null, null);
            }
        }

        /**
         * The timed runs: {@link #runs} rounds over every block, so that the blocks run in the same order and at the
         * same rate as in the warm-up. Timing one block's runs back to back repeated its contracts many times a second:
         * the compiled tier (whose bar is a call rate) then compiled some of them only while that block was timed, and
         * HotSpot spent up to 0.7 s compiling the generated classes on the other core meanwhile. Notes how long HotSpot
         * compiled during each block's runs.
         */
        private void time(List<BlockReport> timed, int[] counts, Map<Integer, BlockExecutor> executors) {
            java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
            boolean timesJit = jit != null && jit.isCompilationTimeMonitoringSupported();
            long[][][] times = new long[timed.size()][counts.length][runs];
            long[][][] allocs = new long[timed.size()][counts.length][runs];
            long[][][] cpus = new long[timed.size()][counts.length][runs];
            for (BlockReport report : timed) report.jitMillis = timesJit ? 0 : -1;
            for (int r = 0; r < runs; r++) {
                for (int k = 0; k < timed.size(); k++) {
                    BlockReport report = timed.get(k);
                    long jit0 = timesJit ? jit.getTotalCompilationTime() : 0;
                    round(report, counts, executors, r, times[k], allocs[k], cpus[k], report.stats);
                    if (timesJit) report.jitMillis += jit.getTotalCompilationTime() - jit0;
                }
            }
            if (Boolean.getBoolean("lanes.bench.printRuns")) {
                for (int k = 0; k < timed.size(); k++) for (int i = 0; i < counts.length; i++) {
                    System.err.println("runs " + timed.get(k).block.header.number() + " " + counts[i] + ": "
                            + Arrays.stream(times[k][i]).mapToObj(t -> String.format("%.2f", t / 1e6)).toList());
                }
            }
            for (int k = 0; k < timed.size(); k++) {
                for (int i = 0; i < counts.length; i++) {
                    timed.get(k).medianNanos[i] = median(times[k][i]);
                    timed.get(k).medianAlloc[i] = alloc ? median(allocs[k][i]) : -1;
                    timed.get(k).medianCpu[i] = cpu ? median(cpus[k][i]) : -1;
                }
            }
        }

        /**
         * One block's turn in a round: an untimed run first (the block before it in the round left other state and
         * code in the caches; without it the first thread count timed paid for that and the next did not), then one run
         * per thread count, in turn-dependent order, so that drift affects all counts alike; their times go to
         * {@code times[i][r]} when not null.
         */
        private void round(BlockReport report, int[] counts, Map<Integer, BlockExecutor> executors, int r, long[][] times,
                           long[][] allocs, long[][] cpus, ParallelExecutor.Stats[] stats) {
            int k = counts.length;
            row(executors, counts[order(k, r, 0)], report.block, false, false);
            for (int step = 0; step < k; step++) {
                int i = order(k, r, step);
                int cpu0 = byCpu && times != null && counts[i] == 1 ? currentCpu() : -1;
                Run x = row(executors, counts[i], report.block, alloc && times != null, cpu && times != null);
                if (cpu0 >= 0 && currentCpu() == cpu0) report.seqByCpu.computeIfAbsent(cpu0, c -> new ArrayList<>()).add(x.nanos);
                if (times != null) {
                    if (counts[i] > 1 && counts[i] < COPIES) {
                        long d = executors.get(counts[i]).lastHelperDelayNanos();
                        if (d >= -1) helperDelays.computeIfAbsent(counts[i], t -> new ArrayList<>()).add(d);
                    }
                    times[i][r] = x.nanos;
                    if (alloc) allocs[i][r] = x.allocated;
                    if (cpu) cpus[i][r] = x.cpuNanos;
                    stats[i] = counts[i] >= COPIES ? null : executors.get(counts[i]).lastStats();
                }
            }
        }

        /**
         * The row run at {@code step} of round {@code r} among {@code k}: a Williams design (a Latin square whose first
         * row is 0, 1, k-1, 2, k-2, ..., each further row that plus one, modulo k), then its rows reversed, so that over
         * 2k rounds each row runs first equally often and runs right after each other row equally often. Rotations alone
         * put the same row after the sequential one in most rounds: on the mainnet blocks (2-6 ms each) the row run second
         * measured 0-11% faster than the one before it, the same setting against itself included (docs/benchmarks.md,
         * session 24).
         */
        static int order(int k, int r, int step) {
            int q = r % (2 * k);
            int pos = q < k ? step : k - 1 - step;
            int w = pos == 0 ? 0 : (pos & 1) == 1 ? (pos + 1) / 2 : k - pos / 2;
            return (w + q % k) % k;
        }

        private record Run(BlockExecutor.Result result, Hash stateRoot, long nanos, long allocated, long cpuNanos) {}

        /**
         * Per thread count, over the timed runs that started Block-STM: how long after the block executor handed the
         * block's first Block-STM run to the workers the first helper took it up (-1: none did before the caller finished
         * it alone). On the 2-vCPU machines here it is microseconds in some hours and milliseconds in others, and the
         * speedups of short blocks move with it (docs/benchmarks.md, session 33).
         */
        private final Map<Integer, List<Long>> helperDelays = new java.util.TreeMap<>();

        /** {@link #helperDelays} of one thread count summed up; a run where none took it up counts as the longest. */
        record HelperDelay(double medianMs, double p90Ms, int never, int runs) {
            static HelperDelay of(List<Long> delays) {
                long[] d = delays.stream().mapToLong(x -> x < 0 ? Long.MAX_VALUE : x).sorted().toArray();
                int never = (int) delays.stream().filter(x -> x < 0).count();
                if (d.length == 0) return new HelperDelay(0, 0, 0, 0);
                long med = d[d.length / 2], p90 = d[Math.min(d.length - 1, (int) (d.length * 0.9))];
                return new HelperDelay(med == Long.MAX_VALUE ? -1 : med / 1e6, p90 == Long.MAX_VALUE ? -1 : p90 / 1e6, never, d.length);
            }
        }

        /** Row key COPIES + T: T independent copies of the sequential path at once (--ceiling). */
        static final int COPIES = 1 << 20;
        private final Map<Integer, Copies> copies = new LinkedHashMap<>();

        /** One run of row {@code key}: its executor on the block, or for a copies row T copies at once. */
        private Run row(Map<Integer, BlockExecutor> executors, int key, Block b, boolean countAlloc, boolean countCpu) {
            if (key >= COPIES) return copies.get(key).run(b, countAlloc, countCpu);
            return once(executors.get(key), b, countAlloc, countCpu);
        }

        /**
         * T copies of the sequential path run at once (--ceiling): the calling thread runs one, T - 1 helper threads (EVM
         * threads, each with its own {@link BlockExecutor} of one thread, reused across runs) the others, each on its own
         * fresh copy of the pre-state. Every copy prepares its state first; the helpers then wait, polling, until the
         * caller starts the clock, so the time is from the common start to the last copy's end. Nothing is shared
         * between the copies but the JVM (the code cache, the compiled contracts, the allocator, the collector).
         */
        private final class Copies implements AutoCloseable {
            final int t;
            final BlockExecutor[] execs;
            final Thread[] helpers;
            final java.util.concurrent.SynchronousQueue<Runnable>[] jobs;
            volatile boolean closed;

            @SuppressWarnings("unchecked")
            Copies(int t) {
                this.t = t;
                execs = new BlockExecutor[t];
                for (int k = 0; k < t; k++) execs[k] = new BlockExecutor(1);
                helpers = new Thread[t - 1];
                jobs = new java.util.concurrent.SynchronousQueue[t - 1];
                for (int k = 0; k < t - 1; k++) {
                    var q = jobs[k] = new java.util.concurrent.SynchronousQueue<>();
                    helpers[k] = EvmThreads.newThread(() -> {
                        try {
                            while (!closed) q.take().run();
                        } catch (InterruptedException e) {
                            // closed
                        }
                    }, "lanes-copy-" + (k + 1));
                    helpers[k].setDaemon(true);
                    helpers[k].start();
                }
            }

            Run run(Block b, boolean countAlloc, boolean countCpu) {
                java.util.concurrent.atomic.AtomicInteger ready = new java.util.concurrent.atomic.AtomicInteger();
                java.util.concurrent.atomic.AtomicBoolean go = new java.util.concurrent.atomic.AtomicBoolean();
                java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(t - 1);
                BlockExecutor.Result[] results = new BlockExecutor.Result[t];
                Throwable[] errors = new Throwable[t];
                WorldState mine = b.pre.get();
                for (int k = 1; k < t; k++) {
                    int at = k;
                    Runnable job = () -> {
                        try {
                            WorldState state = b.pre.get();
                            ready.incrementAndGet();
                            while (!go.get()) Thread.onSpinWait();
                            results[at] = execs[at].execute(b.header, b.fork, b.txs, b.withdrawals, b.uncles, state, b.senders);
                        } catch (Throwable e) {
                            errors[at] = e;
                            ready.incrementAndGet();
                        } finally {
                            done.countDown();
                        }
                    };
                    try {
                        jobs[k - 1].put(job);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted", e);
                    }
                }
                while (ready.get() < t - 1) Thread.onSpinWait();
                long a0 = countAlloc ? allocatedBytes() : 0;
                long c0 = countCpu ? cpuNanos() : 0;
                long t0 = System.nanoTime();
                go.set(true);
                results[0] = execs[0].execute(b.header, b.fork, b.txs, b.withdrawals, b.uncles, mine, b.senders);
                try {
                    done.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
                long t1 = System.nanoTime();
                long cpuTaken = countCpu ? cpuNanos() - c0 : -1;
                long allocated = countAlloc ? allocatedBytes() - a0 : -1;
                for (int k = 1; k < t; k++) {
                    if (errors[k] != null) throw new IllegalStateException("copy " + k + " failed", errors[k]);
                    if (results[k].gasUsed() != results[0].gasUsed() || !java.util.Objects.equals(results[k].receiptsRoot(),
                            results[0].receiptsRoot())) {
                        throw new IllegalStateException("copy " + k + " of the sequential path gave a different result");
                    }
                }
                return new Run(results[0], mine.stateRoot(), t1 - t0, allocated, cpuTaken);
            }

            @Override public void close() {
                closed = true;
                for (Thread h : helpers) h.interrupt();
                for (BlockExecutor e : execs) e.close();
            }
        }

        /** The CPU this thread runs on now (field 39 of /proc/thread-self/stat), or -1 where that cannot be read. */
        private static int currentCpu() {
            try {
                String st = java.nio.file.Files.readString(Path.of("/proc/thread-self/stat"));
                // The command name (field 2) is in parentheses and may hold spaces: count fields after its ')'.
                String[] f = st.substring(st.lastIndexOf(')') + 2).trim().split(" ");
                return Integer.parseInt(f[36]); // field 39 overall: 2 before the name's end, then 37 more
            } catch (java.io.IOException | RuntimeException e) {
                return -1;
            }
        }

        /**
         * Bytes allocated so far by all live threads (the executors' workers live across runs, so a difference
         * over one block's execution counts its allocation).
         */
        private static long allocatedBytes() {
            var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            long sum = 0;
            for (long b : mx.getThreadAllocatedBytes(mx.getAllThreadIds())) if (b > 0) sum += b;
            return sum;
        }

        /**
         * CPU time so far of all live threads (summed; the executors' workers live across runs, and a parked one uses
         * none, so a difference over one block's execution counts the CPU time it took).
         */
        private static long cpuNanos() {
            var mx = java.lang.management.ManagementFactory.getThreadMXBean();
            long sum = 0;
            for (long id : mx.getAllThreadIds()) {
                long t = mx.getThreadCpuTime(id);
                if (t > 0) sum += t;
            }
            return sum;
        }

        private static Run once(BlockExecutor exec, Block b) {
            return once(exec, b, false, false);
        }

        /**
         * One execution of the block on a fresh copy of its pre-state; with {@code countAlloc}, what it allocated, with
         * {@code countCpu} the CPU time it took (-1 when not asked).
         */
        private static Run once(BlockExecutor exec, Block b, boolean countAlloc, boolean countCpu) {
            WorldState state = b.pre.get();
            long a0 = countAlloc ? allocatedBytes() : 0;
            long c0 = countCpu ? cpuNanos() : 0;
            long t0 = System.nanoTime();
            BlockExecutor.Result r = exec.execute(b.header, b.fork, b.txs, b.withdrawals, b.uncles, state, b.senders);
            long t1 = System.nanoTime();
            long cpuTaken = countCpu ? cpuNanos() - c0 : -1;
            long allocated = countAlloc ? allocatedBytes() - a0 : -1;
            return new Run(r, state.stateRoot(), t1 - t0, allocated, cpuTaken);
        }

        private static String difference(Run want, Run got) {
            BlockExecutor.Result w = want.result, g = got.result;
            if (!java.util.Objects.equals(w.invalidReason(), g.invalidReason())) return "validity differs: " + g.invalidReason();
            if (w.receipts().size() != g.receipts().size()) return "receipt count differs";
            for (int i = 0; i < w.receipts().size(); i++) {
                Receipt a = w.receipts().get(i), c = g.receipts().get(i);
                if (a.gasUsed() != c.gasUsed() || !Arrays.equals(a.encoded(), c.encoded())) return "receipt " + i + " differs";
            }
            if (w.gasUsed() != g.gasUsed()) return "gasUsed differs";
            if (!java.util.Objects.equals(w.receiptsRoot(), g.receiptsRoot())) return "receiptsRoot differs";
            if (!want.stateRoot.equals(got.stateRoot)) return "state root differs";
            return null;
        }

        /** Each transaction's time in the plain sequential loop (execute, apply), median over the runs. */
        private long[] perTransactionNanos(Block b) {
            int n = b.txs.size();
            int rounds = Math.max(3, Math.min(runs, 7));
            long[][] t = new long[n][rounds];
            ForkRules rules = ForkRules.of(b.fork);
            BlockEnv env = BlockExecutor.blockEnv(b.header, rules);
            Evm evm = new Evm();
            for (int r = 0; r < rounds + 1; r++) {
                WorldState state = b.pre.get();
                for (int i = 0; i < n; i++) {
                    long t0 = System.nanoTime();
                    TxResult res;
                    try {
                        res = TransactionProcessor.execute(evm, b.txs.get(i), b.senders[i], env, state, rules, null);
                    } catch (RuntimeException e) {
                        break;
                    }
                    state.apply(res.changes());
                    if (r > 0) t[i][r - 1] = System.nanoTime() - t0; // round 0 warms up
                }
            }
            long[] out = new long[n];
            for (int i = 0; i < n; i++) out[i] = Math.max(1, median(t[i]));
            return out;
        }

        // ---- reporting ----

        private void print(BlockReport r, int[] counts) {
            System.out.printf("%s: %d txs, %,d gas; critical path %.1f%% of sequential work%s%s%n", r.block.label, r.block.txs.size(),
                    r.gas, 100.0 * r.criticalPath / Math.max(1, r.totalWork), r.mismatch == null ? "; parallel == sequential on every count"
                            : "; MISMATCH: " + r.mismatch, r.jitMillis > 0 ? "; HotSpot compiled for " + r.jitMillis + " ms while it was timed" : "");
            System.out.printf("  %9s %10s %8s %9s %8s %8s %8s %7s %7s %6s%s  %s%n", "threads", "time ms", "speedup", "Mgas/s",
                    "execs", "reexecs", "aborts", "waits", "oracle", "order", (alloc ? String.format(" %8s", "B/tx") : "")
                            + (cpu ? String.format(" %8s", "cpu ms") : ""), "");
            for (int i = 0; i < counts.length; i++) {
                ParallelExecutor.Stats s = r.stats[i];
                boolean par = s != null && s.sequentialReason() == null && counts[i] != 1;
                System.out.printf("  %9s %10.3f %8.2f %9.1f %8s %8s %8s %7s %7.2f %6.2f%s  %s%n", label(counts[i]), r.medianNanos[i] / 1e6,
                        r.speedup(i), r.mgas(i), par ? s.executions() : "-", par ? s.reexecutions() : "-",
                        par ? s.validationFailures() : "-", par ? s.dependencyWaits() : "-", r.oracle[i], r.schedule[i],
                        (alloc ? String.format(" %8d", r.medianAlloc[i] / Math.max(1, r.block.txs.size())) : "")
                                + (cpu ? String.format(" %8.3f", r.medianCpu[i] / 1e6) : ""),
                        counts[i] == 1 ? "sequential path" : counts[i] == 0 ? "Block-STM on one worker"
                                : counts[i] >= COPIES ? "independent copies of the sequential path at once: the machine's ceiling"
                                : par ? (s.sequentialFrom() >= 0 ? "switched to sequential at transaction " + s.sequentialFrom() : "") : "ran sequentially: " + (s == null ? "?" : s.sequentialReason()));
            }
            if (!r.seqByCpu.isEmpty()) {
                StringBuilder b = new StringBuilder("  sequential path by CPU:");
                r.seqMsByCpu().forEach((cpu, ms) -> b.append(String.format(" cpu %d %.3f ms (%d runs);", cpu, ms,
                        r.seqByCpu.get(cpu).size())));
                System.out.println(b.substring(0, b.length() - 1));
            }
            printHot(r, counts);
        }

        private void printHot(BlockReport r, int[] counts) {
            for (int i = counts.length - 1; i >= 0; i--) {
                ParallelExecutor.Stats s = r.stats[i];
                if (s != null && s.hotLocations() != null && !s.hotLocations().isEmpty()) {
                    System.out.println("  most contended (" + label(counts[i]) + " threads): " + String.join("; ", s.hotLocations()));
                    return;
                }
            }
        }

        private void printTotal(List<BlockReport> reports, int[] counts) {
            System.out.printf("all %d blocks:%n", reports.size());
            for (int i = 0; i < counts.length; i++) {
                long ns = 0;
                for (BlockReport r : reports) ns += r.medianNanos[i];
                if (counts[i] >= COPIES) {
                    System.out.printf("  %7s: speedup %.2f (sum of medians, %.1f ms for %d copies of every block), the machine's"
                            + " ceiling%n", label(counts[i]), totalSpeedup(reports, i), ns / 1e6, threadsOf(counts[i]));
                    continue;
                }
                System.out.printf("  %7s threads: speedup %.2f (sum of medians, %.1f ms), oracle %.2f", label(counts[i]),
                        totalSpeedup(reports, i), ns / 1e6, totalOracle(reports, i, counts[i]));
                OracleShare share = oracleShare(reports, i);
                if (i > 0 && share.blocks() > 0) {
                    System.out.printf("; blocks with oracle >= %.1f: %d, geometric mean of speedup / oracle %.2f, %d at %.0f%% of it or more",
                            ORACLE_MIN, share.blocks(), share.geomean(), share.reaching(), ORACLE_SHARE * 100);
                    OracleShare sched = scheduleShare(reports, i);
                    System.out.printf("; of the schedule in block order %.2f (its speedup %.2f), %d at %.0f%% of it or more",
                            sched.geomean(), totalSchedule(reports, i), sched.reaching(), ORACLE_SHARE * 100);
                    int c = indexOf(counts, COPIES + counts[i]);
                    if (c >= 0) {
                        OracleShare b = boundShare(reports, i, c);
                        System.out.printf("; of the lower of its oracle and its ceiling %.2f, %d at %.0f%% of that or more",
                                b.geomean(), b.reaching(), ORACLE_SHARE * 100);
                    }
                }
                System.out.println();
            }
        }

        /** P6's mainnet measure: the blocks whose oracle bound is at least this ... */
        static final double ORACLE_MIN = 1.3;
        /** ... each reach this share of it. */
        static final double ORACLE_SHARE = 0.85;

        record OracleShare(int blocks, double geomean, int reaching) {}

        /** Over the blocks whose oracle for column {@code i} is at least {@link #ORACLE_MIN}: how close each came to it. */
        private static OracleShare oracleShare(List<BlockReport> reports, int i) {
            if (!reports.isEmpty() && reports.get(0).keys[i] >= COPIES) return new OracleShare(0, 0, 0);
            return boundShare(reports, i, -1);
        }

        /**
         * Over the blocks whose oracle for column {@code i} is at least {@link #ORACLE_MIN}: the speedup over the lower of
         * the oracle and the block's ceiling (column {@code c}, T independent copies; --ceiling), or over the oracle alone
         * when {@code c} is -1. The ceiling is not a strict bound: the copies have T times the working set, where
         * Block-STM's workers share one state.
         */
        private static OracleShare boundShare(List<BlockReport> reports, int i, int c) {
            return share(reports, i, r -> c >= 0 && r.medianNanos[c] == 0 ? 0
                    : c < 0 ? r.oracle[i] : Math.min(r.oracle[i], r.speedup(c)));
        }

        /**
         * Over the same blocks as {@link #oracleShare} (oracle at least {@link #ORACLE_MIN}): the speedup over the schedule
         * in block order ({@link BlockReport#schedule}), which an executor without costs of its own reaches in that order.
         */
        private static OracleShare scheduleShare(List<BlockReport> reports, int i) {
            return share(reports, i, r -> r.schedule[i]);
        }

        /** Over the blocks whose oracle for column {@code i} is at least {@link #ORACLE_MIN}: the speedup over {@code bound} (0: left out). */
        private static OracleShare share(List<BlockReport> reports, int i, java.util.function.ToDoubleFunction<BlockReport> bound) {
            int blocks = 0, reaching = 0;
            double logs = 0;
            for (BlockReport r : reports) {
                if (!r.timed || r.oracle[i] < ORACLE_MIN || r.medianNanos[i] == 0) continue;
                double b = bound.applyAsDouble(r);
                if (b <= 0) continue;
                double share = r.speedup(i) / b;
                blocks++;
                logs += Math.log(share);
                if (share >= ORACLE_SHARE) reaching++;
            }
            return new OracleShare(blocks, blocks == 0 ? 0 : Math.exp(logs / blocks), reaching);
        }

        /** The in-order schedules' speedup over all blocks: their work over the sum of their makespans. */
        private static double totalSchedule(List<BlockReport> reports, int i) {
            double work = 0, span = 0;
            for (BlockReport r : reports) {
                work += r.totalWork;
                span += r.makespan[i] > 0 ? r.makespan[i] : r.totalWork;
            }
            return span == 0 ? 0 : work / span;
        }

        private static int indexOf(int[] xs, int x) {
            for (int k = 0; k < xs.length; k++) if (xs[k] == x) return k;
            return -1;
        }

        private static double totalSpeedup(List<BlockReport> reports, int i) {
            long seq = 0, par = 0;
            for (BlockReport r : reports) {
                seq += r.medianNanos[0];
                par += r.medianNanos[i];
            }
            return par == 0 ? 0 : (double) seq * (reports.isEmpty() ? 1 : blocksPerRun(reports.get(0).keys[i])) / par;
        }

        /** The thread count of a row key: 0 is Block-STM on one worker, -T is T threads with the settings of --compare. */
        private static int threadsOf(int key) {
            return key == 0 ? 1 : key >= COPIES ? key - COPIES : Math.abs(key);
        }

        /** How many blocks' worth of work one run of row {@code key} does: T for T copies, else 1. */
        private static int blocksPerRun(int key) {
            return key >= COPIES ? key - COPIES : 1;
        }

        private String label(int key) {
            if (key == 0) return "1 (STM)";
            if (key < 0) return -key + " (" + compare + ")";
            if (key >= COPIES) return (key - COPIES) + " copies";
            return String.valueOf(key);
        }

        private static double totalOracle(List<BlockReport> reports, int i, int t) {
            double work = 0, span = 0;
            for (BlockReport r : reports) {
                work += r.totalWork;
                span += Math.max(r.criticalPath, (double) r.totalWork / threadsOf(t));
            }
            return span == 0 ? 0 : work / span;
        }

        private String toJson(List<BlockReport> reports, int[] counts) {
            ObjectMapper m = new ObjectMapper();
            ObjectNode root = m.createObjectNode();
            root.put("workload", workload);
            root.put("runs", runs);
            root.put("warmup", warmup);
            root.put("warmup_seconds", warmupSeconds);
            root.put("cores", Runtime.getRuntime().availableProcessors());
            if (roundTripBefore > 0) {
                root.put("core_round_trip_ns_before", Math.round(roundTripBefore));
                root.put("core_round_trip_ns_after", Math.round(roundTripAfter));
            }
            ArrayNode helpers = root.putArray("helper_delay");
            for (var e : helperDelays.entrySet()) {
                HelperDelay h = HelperDelay.of(e.getValue());
                ObjectNode o = helpers.addObject();
                o.put("threads", e.getKey());
                o.put("median_ms", h.medianMs());
                o.put("p90_ms", h.p90Ms());
                o.put("caller_alone", h.never());
                o.put("runs", h.runs());
            }
            boolean equal = reports.stream().allMatch(r -> r.mismatch == null);
            root.put("parallel_equals_sequential", equal);
            root.put("jit_ms_while_timed", reports.stream().mapToLong(r -> Math.max(0, r.jitMillis)).sum());
            ArrayNode blocksNode = root.putArray("blocks");
            for (BlockReport r : reports) {
                ObjectNode b = blocksNode.addObject();
                b.put("block", r.block.label);
                b.put("txs", r.block.txs.size());
                b.put("gas", r.gas);
                b.put("critical_path_fraction", (double) r.criticalPath / Math.max(1, r.totalWork));
                b.put("jit_ms_while_timed", r.jitMillis);
                if (!r.seqByCpu.isEmpty()) {
                    ObjectNode byCpu = b.putObject("sequential_ms_by_cpu");
                    r.seqMsByCpu().forEach((cpu, ms) -> byCpu.put(Integer.toString(cpu), ms));
                }
                if (r.mismatch != null) b.put("mismatch", r.mismatch);
                ArrayNode res = b.putArray("results");
                for (int i = 0; i < counts.length; i++) res.add(row(m, r, i, counts[i]));
            }
            ArrayNode results = root.putArray("results");
            if (reports.size() == 1) {
                results.addAll((ArrayNode) blocksNode.get(0).get("results"));
                root.put("txs", reports.get(0).block.txs.size());
                root.put("gas", reports.get(0).gas);
            } else {
                long gas = reports.stream().mapToLong(r -> r.gas).sum();
                for (int i = 0; i < counts.length; i++) {
                    long nanos = reports.stream().mapToLong(r -> r.medianNanos[0]).sum();
                    long tn = 0;
                    for (BlockReport r : reports) tn += r.medianNanos[i];
                    ObjectNode o = results.addObject();
                    o.put("threads", threadsOf(counts[i]));
                    if (counts[i] < 0) o.put("rolling_commit", !ParallelExecutor.ROLLING);
                    if (counts[i] >= COPIES) o.put("independent_copies", true);
                    o.put("time_ms", tn / 1e6);
                    o.put("speedup", totalSpeedup(reports, i));
                    o.put("mgas_per_s", tn == 0 ? 0 : gas * blocksPerRun(counts[i]) * 1e3 / tn);
                    long ex = 0, re = 0, fails = 0;
                    for (BlockReport r : reports) {
                        ParallelExecutor.Stats s = r.stats[i];
                        if (s != null && counts[i] != 1 && s.sequentialReason() == null) {
                            ex += s.executions();
                            re += s.reexecutions();
                            fails += s.validationFailures();
                        }
                    }
                    o.put("executions", ex);
                    o.put("reexecutions", re);
                    o.put("validation_failures", fails);
                    o.put("oracle_speedup", totalOracle(reports, i, counts[i]));
                    o.put("sequential_time_ms", nanos / 1e6);
                    OracleShare share = oracleShare(reports, i);
                    o.put("blocks_with_oracle_at_least_1_3", share.blocks());
                    o.put("geomean_speedup_over_oracle", share.geomean());
                    o.put("blocks_at_85_percent_of_oracle", share.reaching());
                    if (counts[i] < COPIES) {
                        OracleShare sched = scheduleShare(reports, i);
                        o.put("in_order_schedule_speedup", totalSchedule(reports, i));
                        o.put("geomean_speedup_over_in_order_schedule", sched.geomean());
                        o.put("blocks_at_85_percent_of_in_order_schedule", sched.reaching());
                    }
                    int c = counts[i] > 0 && counts[i] < COPIES ? indexOf(counts, COPIES + counts[i]) : -1;
                    if (c >= 0) {
                        OracleShare b = boundShare(reports, i, c);
                        o.put("geomean_speedup_over_oracle_or_ceiling", b.geomean());
                        o.put("blocks_at_85_percent_of_oracle_or_ceiling", b.reaching());
                    }
                }
            }
            return root.toString();
        }

        private ObjectNode row(ObjectMapper m, BlockReport r, int i, int t) {
            ObjectNode o = m.createObjectNode();
            ParallelExecutor.Stats s = r.stats[i];
            boolean par = s != null && s.sequentialReason() == null && t != 1;
            o.put("threads", threadsOf(t));
            if (t == 0) o.put("block_stm_on_one_thread", true);
            if (t < 0) o.put("settings", compare);
            if (t >= COPIES) o.put("independent_copies", true);
            o.put("time_ms", r.medianNanos[i] / 1e6);
            if (r.medianAlloc[i] >= 0) o.put("allocated_bytes", r.medianAlloc[i]);
            if (r.medianCpu[i] >= 0) o.put("cpu_ms", r.medianCpu[i] / 1e6);
            o.put("speedup", r.speedup(i));
            o.put("mgas_per_s", r.mgas(i));
            o.put("executions", par ? s.executions() : r.block.txs.size());
            o.put("reexecutions", par ? s.reexecutions() : 0);
            o.put("validation_failures", par ? s.validationFailures() : 0);
            o.put("dependency_waits", par ? s.dependencyWaits() : 0);
            o.put("oracle_speedup", r.oracle[i]);
            o.put("in_order_schedule_speedup", r.schedule[i]);
            o.put("best_schedule_speedup", r.bestSchedule[i]);
            if (par && s.sequentialFrom() >= 0) o.put("sequential_from", s.sequentialFrom());
            if (par && s.hotLocations() != null && !s.hotLocations().isEmpty()) {
                ArrayNode hot = o.putArray("hot_locations");
                for (String h : s.hotLocations()) hot.add(h);
            }
            if (t != 1 && !par) o.put("sequential_reason", s == null ? "unknown" : s.sequentialReason());
            return o;
        }

        // ---- data ----

        /** A block to measure: header, body, pre-state, senders recovered once (sender recovery is not timed). */
        private record Block(String label, BlockHeader header, Fork fork, List<Transaction> txs, List<Withdrawal> withdrawals,
                             int uncles, Supplier<WorldState> pre, Address[] senders) {
            static Block of(MainnetBlock b) {
                Fork fork = MainnetForks.forkAt(b.header.number(), b.header.timestamp());
                List<Transaction> txs = BlockReplay.freshTransactions(b);
                return new Block("block " + b.header.number() + " (" + MainnetForks.nameAt(b.header.number(), b.header.timestamp()) + ")",
                        b.header, fork, txs, b.withdrawals, b.uncleCount, b::freshState, senders(txs, fork));
            }

            static Block of(Workload w) {
                return new Block("workload " + w.name(), w.header(), w.fork(), w.transactions(), List.of(), 0, w.preState(),
                        senders(w.transactions(), w.fork()));
            }

            private static Address[] senders(List<Transaction> txs, Fork fork) {
                BlockExecutor.SenderError[] err = new BlockExecutor.SenderError[1];
                Address[] s = BlockExecutor.recoverSenders(txs, fork, null, err);
                if (err[0] != null) throw new IllegalArgumentException("transaction " + err[0].index() + ": " + err[0].message());
                return s;
            }
        }

        private static final class BlockReport {
            final Block block;
            final long gas;
            final long[] medianNanos;
            /** With --by-cpu: the sequential path's timed runs by the CPU they ran on (start and end the same). */
            final Map<Integer, List<Long>> seqByCpu = new java.util.HashMap<>();

            /** The median of {@link #seqByCpu}'s runs per CPU, in milliseconds, by CPU number. */
            Map<Integer, Double> seqMsByCpu() {
                Map<Integer, Double> out = new java.util.TreeMap<>();
                seqByCpu.forEach((cpu, ns) -> out.put(cpu, median(ns.stream().mapToLong(Long::longValue).toArray()) / 1e6));
                return out;
            }
            /** Median bytes allocated per run (all threads), -1 when not measured. */
            final long[] medianAlloc;
            /** Median CPU time per run (all threads), -1 when not measured. */
            final long[] medianCpu;
            final ParallelExecutor.Stats[] stats;
            final double[] oracle;
            /**
             * Per row: the speedup of the list schedule of the transactions in block order with their true dependencies
             * and sequential times ({@link Schedules#inOrder}): what an executor with no cost of its own reaches when it
             * starts transactions in block order, as Block-STM does. At most {@link #oracle}; lower where a long chain
             * starts late in the block.
             */
            final double[] schedule;
            /** Per row: the makespan of that schedule in nanoseconds (0 where the row is not a Block-STM one). */
            final long[] makespan;
            /**
             * Per row: the speedup of the better of that schedule and one by longest remaining path first ({@link
             * Schedules#bestMakespan}), what an executor that knew every dependency and time in advance could start in
             * another order; JSON only ({@code best_schedule_speedup}).
             */
            final double[] bestSchedule;
            long totalWork, criticalPath;
            String mismatch;
            /** Whether the block is timed (it is valid sequentially). */
            boolean timed;
            /** Milliseconds HotSpot's compiler threads spent compiling while this block was timed (-1: unknown). */
            long jitMillis = -1;

            /** The row keys (see {@link #label}). */
            final int[] keys;

            BlockReport(Block block, long gas, int[] keys) {
                this.block = block;
                this.gas = gas;
                this.keys = keys;
                int counts = keys.length;
                this.medianNanos = new long[counts];
                this.medianAlloc = new long[counts];
                this.medianCpu = new long[counts];
                this.stats = new ParallelExecutor.Stats[counts];
                this.oracle = new double[counts];
                this.schedule = new double[counts];
                this.makespan = new long[counts];
                this.bestSchedule = new double[counts];
            }

            /** Critical path of the dependency DAG weighted by sequential times; bound min(T, work / path). */
            void oracle(int[][] deps, long[] nanos, int[] counts) {
                int n = nanos.length;
                long[] finish = new long[n];
                long work = 0, path = 0;
                for (int i = 0; i < n; i++) {
                    long start = 0;
                    if (deps != null && deps[i] != null) for (int d : deps[i]) start = Math.max(start, finish[d]);
                    finish[i] = start + nanos[i];
                    work += nanos[i];
                    path = Math.max(path, finish[i]);
                }
                if (deps == null) path = work; // no dependency data: assume a chain
                totalWork = work;
                criticalPath = path;
                for (int i = 0; i < counts.length; i++) {
                    oracle[i] = counts[i] >= COPIES ? threadsOf(counts[i]) // independent copies: no dependencies between them
                            : path == 0 ? 1 : Math.min(threadsOf(counts[i]), (double) work / path);
                    if (counts[i] >= COPIES) {
                        schedule[i] = oracle[i];
                        bestSchedule[i] = oracle[i];
                    } else {
                        int t = Math.max(1, threadsOf(counts[i]));
                        // no dependency data: a chain, as for the oracle
                        makespan[i] = deps == null ? work : Schedules.inOrder(nanos, deps, t);
                        schedule[i] = makespan[i] == 0 ? 1 : Math.min(oracle[i], (double) work / makespan[i]);
                        // the better of that and longest-path-first (Schedules.bestMakespan, the in-order one not redone)
                        long best = deps == null ? work : Math.min(makespan[i], Schedules.longestPathFirst(nanos, deps, t));
                        bestSchedule[i] = best == 0 ? 1 : Math.min(oracle[i], (double) work / best);
                    }
                }
            }

            double speedup(int i) {
                return medianNanos[i] == 0 ? 0 : (double) medianNanos[0] * blocksPerRun(keys[i]) / medianNanos[i];
            }

            double mgas(int i) {
                return medianNanos[i] == 0 ? 0 : gas * blocksPerRun(keys[i]) * 1e3 / medianNanos[i];
            }
        }

        private static int[] prepend(int x, int[] xs) {
            int[] out = new int[xs.length + 1];
            out[0] = x;
            System.arraycopy(xs, 0, out, 1, xs.length);
            return out;
        }

        static long median(long[] xs) {
            long[] c = xs.clone();
            Arrays.sort(c);
            return c[c.length / 2];
        }

        static List<Path> blockDirs(List<Path> paths) throws Exception {
            List<Path> dirs = new ArrayList<>();
            for (Path p : paths) {
                if (Files.isRegularFile(p.resolve("block.json"))) {
                    dirs.add(p);
                    continue;
                }
                if (!Files.isDirectory(p)) throw new IllegalArgumentException(p + ": no such folder");
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(d -> Files.isRegularFile(d.resolve("block.json"))).sorted().forEach(dirs::add);
                }
            }
            return dirs;
        }
    }

    /** The workload names for picocli's help. */
    static final class WorkloadNames extends ArrayList<String> {
        WorkloadNames() {
            super(Workloads.NAMES);
        }
    }
}
