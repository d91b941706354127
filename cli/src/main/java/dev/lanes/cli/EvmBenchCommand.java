package dev.lanes.cli;

import dev.lanes.conformance.EvmBench;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lanes evmbench DIR}: times the interpreter on the evmone benchmark cases. */
@Command(name = "evmbench", description = "Time the interpreter on ../shared/evm-benchmarks (median of repeated runs).")
final class EvmBenchCommand implements Callable<Integer> {
    @Option(names = "--runs", description = "Timed samples per case (default ${DEFAULT-VALUE}; see --sample-ms).") int runs = 41;
    @Option(names = "--warmup-ms", description = "Minimum warm-up per case in milliseconds (default ${DEFAULT-VALUE}); it goes on "
            + "until HotSpot has compiled nothing for 150 ms, at most 3 s more (-Dlanes.evmbench.settle=false: not).") long warmMs = 1500;
    @Option(names = "--sample-ms", description = "Minimum length of one timed sample in milliseconds: each sample repeats"
            + " the execution until then and counts the mean, as the evmone driver does (default ${DEFAULT-VALUE}; 0: one"
            + " execution per sample).") long sampleMs = 20;
    @Option(names = "--case", description = "Only cases whose name matches this regular expression.") String filter;
    @Option(names = "--isolate", description = "Time each case in a JVM of its own (as JMH forks do), so no case's"
            + " JIT profile shapes another's; prints the same table.") boolean isolate;
    @Parameters(index = "0", paramLabel = "DIR") Path dir;

    @Override public Integer call() throws Exception {
        EvmBench.sampleNanos(sampleMs * 1_000_000L);
        if (isolate) return runIsolated();
        return EvmBench.run(dir, filter, runs, warmMs * 1_000_000L, System.out) == 0 ? 0 : 1;
    }

    /** Re-runs this command once per case in a child JVM with the same classpath and flags, and merges the rows. */
    private int runIsolated() throws Exception {
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        List<String> jvmArgs = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments();
        List<EvmBench.Case> cases = EvmBench.load(dir);
        if (filter != null) cases.removeIf(c -> !Pattern.compile(filter).matcher(c.name()).find());
        double logCached = 0, logAnalysed = 0;
        int bad = 0, header = 0;
        for (EvmBench.Case c : cases) {
            List<String> cmd = new ArrayList<>();
            cmd.add(javaBin);
            cmd.addAll(jvmArgs);
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.lanes.cli.Main", "evmbench",
                    "--case", "^" + Pattern.quote(c.name()) + "$", "--runs", Integer.toString(runs),
                    "--warmup-ms", Long.toString(warmMs), "--sample-ms", Long.toString(sampleMs), dir.toString()));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            List<String> lines = new String(p.getInputStream().readAllBytes()).lines().toList();
            int rc = p.waitFor();
            String row = lines.stream().filter(l -> l.startsWith(c.name() + " ")).findFirst().orElse(null);
            if (header++ == 0) lines.stream().filter(l -> l.startsWith("case ")).findFirst().ifPresent(System.out::println);
            if (row == null) {
                System.out.println(c.name() + "  ERROR: child exited " + rc + ": " + String.join(" | ", lines));
                bad++;
                continue;
            }
            System.out.println(row);
            if (rc != 0) bad++;
            String[] f = row.trim().split("\\s+");
            logCached += Math.log(Double.parseDouble(f[4]));
            logAnalysed += Math.log(Double.parseDouble(f[6]));
        }
        int n = cases.size();
        System.out.printf("geometric mean: %.1f Mgas/s (analysis cached), %.1f Mgas/s (analysis per call) over %d cases,"
                + " one JVM per case%n", Math.exp(logCached / n), Math.exp(logAnalysed / n), n);
        System.out.println((n - bad) + " passed, " + bad + " failed");
        return bad == 0 ? 0 : 1;
    }
}
