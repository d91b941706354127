package dev.lanes.cli;

import dev.lanes.conformance.EvmBench;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lanes evmbench DIR}: times the interpreter on the evmone benchmark cases. */
@Command(name = "evmbench", description = "Time the interpreter on ../shared/evm-benchmarks (median of repeated runs).")
final class EvmBenchCommand implements Callable<Integer> {
    @Option(names = "--runs", description = "Timed runs per case (default ${DEFAULT-VALUE}).") int runs = 41;
    @Option(names = "--warmup-ms", description = "Minimum warm-up per case in milliseconds (default ${DEFAULT-VALUE}).") long warmMs = 1500;
    @Option(names = "--case", description = "Only cases whose name matches this regular expression.") String filter;
    @Parameters(index = "0", paramLabel = "DIR") Path dir;

    @Override public Integer call() throws Exception {
        return EvmBench.run(dir, filter, runs, warmMs * 1_000_000L, System.out) == 0 ? 0 : 1;
    }
}
