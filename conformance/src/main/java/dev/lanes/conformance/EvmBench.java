package dev.lanes.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lanes.evm.AccountInfo;
import dev.lanes.evm.BlockEnv;
import dev.lanes.evm.CallResult;
import dev.lanes.evm.Code;
import dev.lanes.evm.Fork;
import dev.lanes.evm.ForkRules;
import dev.lanes.evm.Journal;
import dev.lanes.evm.StateReader;
import dev.lanes.evm.TxEnv;
import dev.lanes.evm.interpreter.Evm;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Hex;
import dev.lanes.primitives.Keccak;
import dev.lanes.primitives.UInt256;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Times the interpreter on the evmone benchmark suite exactly as evmone-bench runs it: the case's code
 * executed as a message call at depth 0 with gas 2^63-1, sender and recipient the zero address, value 0,
 * Istanbul rules, a fresh empty state per execution; no transaction-level work. Each case is warmed up,
 * then timed over repeated runs, and the median is reported, once with the code analysis cached per
 * code hash and once analysing the code on every call.
 */
public final class EvmBench {
    public record Case(String name, byte[] code, byte[] input, long expectedGas, String expectedOutput) {}

    /**
     * {@code steps}: instructions one execution runs; {@code bytesPerRun}: heap bytes one execution allocates
     * with the analysis cached (journal, frame, memory, result: per call, not per instruction; the figure
     * divided by {@code steps} shows whether anything allocates per instruction).
     */
    public record Timing(Case c, long gasUsed, boolean outputMatches, double medianNanosCached, double medianNanosAnalysed,
                         long steps, double bytesPerRun) {
        public double mgasPerSecond(boolean cached) {
            return gasUsed / ((cached ? medianNanosCached : medianNanosAnalysed) / 1e3);
        }
    }

    private static final StateReader EMPTY = new StateReader() {
        @Override public AccountInfo account(Address address) { return null; }
        @Override public byte[] code(Hash codeHash) { throw new IllegalStateException("empty state has no code"); }
        @Override public UInt256 storage(Address address, UInt256 key) { return UInt256.ZERO; }
        @Override public Hash blockHash(long number) { return Hash.ZERO; }
    };
    private static final BlockEnv BLOCK = new BlockEnv(Address.ZERO, 1, 1, Long.MAX_VALUE, UInt256.ZERO, UInt256.ZERO,
            UInt256.ONE, UInt256.ONE);
    private static final TxEnv TX = new TxEnv(Address.ZERO, UInt256.ZERO, List.of());
    public static final long GAS = Long.MAX_VALUE;

    public static List<Case> load(Path dir) throws IOException {
        ObjectMapper json = new ObjectMapper();
        JsonNode expected = json.readTree(dir.resolve("expected.json").toFile());
        List<Case> cases = new ArrayList<>();
        for (JsonNode e : expected.path("cases")) {
            Path file = dir.resolve(e.get("file").asText());
            JsonNode root = json.readTree(file.toFile());
            JsonNode test = root.elements().next();
            String code = test.get("pre").get("0xbe7c43a580000000000000000000000000000001").get("code").asText();
            int idx = e.get("data_index").asInt();
            String input = test.get("transaction").get("data").get(idx).asText();
            cases.add(new Case(e.get("case").asText(), Hex.decode(code), Hex.decode(input),
                    e.get("gas_used_istanbul").asLong(), e.get("output").asText()));
        }
        return cases;
    }

    /** One execution on a fresh empty state. */
    public static CallResult runOnce(Evm evm, ForkRules rules, Code code, byte[] input) {
        Journal journal = new Journal(EMPTY, rules);
        evm.reset(rules, journal, BLOCK, TX, null);
        return evm.runCode(code, Address.ZERO, Address.ZERO, UInt256.ZERO, input, GAS);
    }

    /**
     * Round-robin over all cases, both modes, for at least {@code minNanos} and three passes. The interpreter
     * is one method whose JIT-compiled form depends on the opcode profile; warming each case only just
     * before timing it would time the deoptimise-and-recompile that the previous case's profile causes,
     * so the whole selection is warmed first and every case is then timed against the same stable code.
     */
    public static void warmAll(List<Case> cases, long minNanos) {
        ForkRules rules = ForkRules.of(Fork.ISTANBUL);
        Evm evm = new Evm();
        List<Code> codes = new ArrayList<>();
        for (Case c : cases) codes.add(Code.of(Keccak.hashOf(c.code()), c.code()));
        long end = System.nanoTime() + minNanos;
        for (int pass = 0; pass < 3 || System.nanoTime() < end; pass++) {
            for (int i = 0; i < cases.size(); i++) {
                Case c = cases.get(i);
                runOnce(evm, rules, codes.get(i), c.input());
                runOnce(evm, rules, Code.analyze(codes.get(i).hash(), c.code()), c.input());
            }
        }
    }

    /**
     * Minimum length of one timed sample: a sample repeats the execution until it has taken this long and reports the
     * mean, as the evmone driver beside it does (20 ms). Timing single executions instead put the clock read itself
     * into every sample: the thread CPU clock ({@code lanes.evmbench.cpuTime}) costs about 1.5-1.8 us a read on this
     * machine (a system call), as long as a whole swap_math execution.
     */
    static volatile long sampleNanos = 20_000_000L;

    /** Sets {@link #sampleNanos} (0: one execution per sample, the old harness). */
    public static void sampleNanos(long nanos) {
        sampleNanos = Math.max(0, nanos);
    }

    public static Timing measure(Case c, int runs, long minNanos) {
        ForkRules rules = ForkRules.of(Fork.ISTANBUL);
        Evm evm = new Evm();
        Hash hash = Keccak.hashOf(c.code());
        Code cached = Code.of(hash, c.code());
        CallResult first = runOnce(evm, rules, cached, c.input());
        long gasUsed = GAS - first.gasLeft();
        boolean outOk = Hex.encode(first.output()).equals(c.expectedOutput()) && first.success();
        double cachedMedian = time(() -> runOnce(evm, rules, cached, c.input()), runs, minNanos);
        double bytes = allocatedPerRun(() -> runOnce(evm, rules, cached, c.input()), runs);
        double analysedMedian = time(() -> runOnce(evm, rules, Code.analyze(hash, c.code()), c.input()), runs, minNanos);
        return new Timing(c, gasUsed, outOk, cachedMedian, analysedMedian, steps(rules, c), bytes);
    }

    /** Instructions one execution runs, counted by a tracer (which also turns the compiled tier off). */
    static long steps(ForkRules rules, Case c) {
        long[] n = {0};
        Journal journal = new Journal(EMPTY, rules);
        Evm evm = new Evm();
        evm.reset(rules, journal, BLOCK, TX, (frame, pc, op, gas, depth, refund) -> n[0]++);
        evm.runCode(Code.of(Keccak.hashOf(c.code()), c.code()), Address.ZERO, Address.ZERO, UInt256.ZERO, c.input(), GAS);
        return n[0];
    }

    /** Mean heap bytes allocated by one run of {@code r} on this thread (after the timing runs warmed it). */
    private static double allocatedPerRun(Runnable r, int runs) {
        if (!(THREADS instanceof com.sun.management.ThreadMXBean t) || !t.isThreadAllocatedMemorySupported()) return Double.NaN;
        long before = t.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < runs; i++) r.run();
        return (t.getCurrentThreadAllocatedBytes() - before) / (double) runs;
    }

    /**
     * Time source for the samples: wall-clock by default; with {@code lanes.evmbench.cpuTime=true} the
     * thread's CPU time, which ignores time spent descheduled on a loaded machine (for A/B comparisons).
     */
    private static final boolean CPU_TIME = Boolean.getBoolean("lanes.evmbench.cpuTime");
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    private static long now() {
        return CPU_TIME ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    /**
     * Whether the warm-up goes on past its minimum while HotSpot is still compiling ({@code -Dlanes.evmbench.settle}, on
     * by default): a code the compiled tier has just turned into a class has its chunk methods compiled by C2 one after
     * another for up to a second on this machine (40-100 ms each), and samples taken meanwhile time a mix of tiers.
     * swap_math/spent after a 400 ms warm-up measured 639-1,483 Mgas/s over six JVMs, after 1,500 ms 1,690-1,765.
     */
    private static final boolean SETTLE = !"false".equals(System.getProperty("lanes.evmbench.settle"));
    /** How long the compilers must have been idle, and the most the warm-up is extended by. */
    private static final long QUIET_NANOS = 150_000_000L, SETTLE_MAX_NANOS = 3_000_000_000L;

    /**
     * Runs {@code r} until HotSpot's compilers have compiled nothing for {@link #QUIET_NANOS} (their total compilation
     * time, in milliseconds, unchanged), or for at most {@link #SETTLE_MAX_NANOS}; returns the runs made.
     */
    private static int settle(Runnable r) {
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        if (!SETTLE || jit == null || !jit.isCompilationTimeMonitoringSupported()) return 0;
        long start = System.nanoTime(), quietSince = start, checked = start;
        long compiled = jit.getTotalCompilationTime();
        int n = 0;
        while (true) {
            r.run();
            n++;
            long now = System.nanoTime();
            if (now - checked < 10_000_000L) continue;
            checked = now;
            long c = jit.getTotalCompilationTime();
            if (c != compiled) {
                compiled = c;
                quietSince = now;
            } else if (now - quietSince >= QUIET_NANOS) {
                return n;
            }
            if (now - start >= SETTLE_MAX_NANOS) return n;
        }
    }

    private static double time(Runnable r, int runs, long minNanos) {
        // Warm-up: let the JIT compile the loop and everything under it.
        long warmStart = System.nanoTime();
        long warmEnd = warmStart + minNanos;
        int warm = 0;
        while (warm < 5 || (System.nanoTime() < warmEnd && warm < 10_000_000)) { r.run(); warm++; }
        warm += settle(r);
        // Executions per sample, from the warm-up's pace (its later runs are the faster ones: an overestimate of the
        // time per run, so samples come out at least about as long as asked).
        double perRun = (double) (System.nanoTime() - warmStart) / warm;
        long target = sampleNanos;
        int batch = (int) Math.max(1, Math.min(10_000_000, Math.ceil(target / Math.max(1.0, perRun))));
        double[] samples = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = now();
            for (int k = 0; k < batch; k++) r.run();
            samples[i] = (double) (now() - t0) / batch;
        }
        // -Dlanes.evmbench.samples=true: every sample, in the order taken (a step in the middle is the machine or the JIT).
        if (Boolean.getBoolean("lanes.evmbench.samples")) System.err.println("batch " + batch + " samples ns " + Arrays.toString(Arrays.stream(samples).mapToLong(x -> (long) x).toArray()));
        Arrays.sort(samples);
        return runs % 2 == 1 ? samples[runs / 2] : (samples[runs / 2 - 1] + samples[runs / 2]) / 2.0;
    }

    /** Runs every case and prints the table; returns the number of cases whose gas or output differs. */
    public static int run(Path dir, String filter, int runs, long warmNanos, PrintStream out) throws IOException {
        List<Case> cases = load(dir);
        if (filter != null) cases.removeIf(c -> !java.util.regex.Pattern.compile(filter).matcher(c.name()).find());
        out.printf("%-40s %12s %12s %12s %10s %12s %10s %12s %10s%n", "case", "gas used", "expected", "cached us", "Mgas/s",
                "analysed us", "Mgas/s", "alloc B/run", "B/1k ins");
        warmAll(cases, warmNanos);
        double logSumCached = 0, logSumAnalysed = 0;
        int bad = 0;
        for (Case c : cases) {
            Timing t = measure(c, runs, warmNanos);
            boolean ok = t.gasUsed() == c.expectedGas() && t.outputMatches();
            if (!ok) bad++;
            out.printf("%-40s %12d %12d %12.1f %10.1f %12.1f %10.1f %12.0f %10.2f%s%n", c.name(), t.gasUsed(), c.expectedGas(),
                    t.medianNanosCached() / 1e3, t.mgasPerSecond(true), t.medianNanosAnalysed() / 1e3, t.mgasPerSecond(false),
                    t.bytesPerRun(), t.bytesPerRun() * 1000 / Math.max(1, t.steps()),
                    ok ? "" : "  MISMATCH" + (t.outputMatches() ? "" : " (output)"));
            logSumCached += Math.log(t.mgasPerSecond(true));
            logSumAnalysed += Math.log(t.mgasPerSecond(false));
        }
        out.printf("geometric mean: %.1f Mgas/s (analysis cached), %.1f Mgas/s (analysis per call) over %d cases%n",
                Math.exp(logSumCached / cases.size()), Math.exp(logSumAnalysed / cases.size()), cases.size());
        out.println((cases.size() - bad) + " passed, " + bad + " failed");
        return bad;
    }
}
