package dev.lanes.cli;

import dev.lanes.evm.EvmThreads;
import dev.lanes.evm.tx.Transaction;
import dev.lanes.executor.BlockExecutor;
import dev.lanes.executor.BlockReplay.Report;
import dev.lanes.executor.BlockReplay;
import dev.lanes.executor.MainnetBlock;
import dev.lanes.state.WorldState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lanes replay}: executes real mainnet blocks (folders with block.json, pre_state.json and optional
 * block_hashes.json) sequentially and checks gasUsed, logsBloom and, from Byzantium, receiptsRoot.
 */
@Command(name = "replay", description = "Replay mainnet block folders (block.json + pre_state.json) and check the results.")
final class ReplayCommand implements Callable<Integer> {
    @Option(names = "--threads", description = "Execution threads (1: the sequential path; more: Block-STM), also used for the parallel sender recovery (default: all cores).")
    int threads = Runtime.getRuntime().availableProcessors();
    @Option(names = "--repeat", description = "Replay everything this many times (JIT warm-up); times are the median of the last half of the rounds.")
    int repeat = 1;
    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Block folders, or folders of block folders.") List<Path> paths;

    @Override public Integer call() throws Exception {
        List<Path> dirs = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isRegularFile(p.resolve("block.json"))) {
                dirs.add(p);
                continue;
            }
            if (!Files.isDirectory(p)) {
                System.out.println("FAIL " + p + ": no such folder");
                System.out.println("0 passed, 1 failed");
                return 1;
            }
            try (Stream<Path> s = Files.list(p)) {
                s.filter(d -> Files.isRegularFile(d.resolve("block.json"))).forEach(dirs::add);
            }
        }
        return EvmThreads.call("replay", () -> run(dirs));
    }

    private int run(List<Path> dirs) throws Exception {
        List<MainnetBlock> blocks = new ArrayList<>();
        int failed = 0, passed = 0;
        for (Path d : dirs) {
            try {
                blocks.add(MainnetBlock.load(d));
            } catch (Exception e) {
                System.out.println("FAIL " + d + ": cannot load: " + e.getMessage());
                failed++;
            }
        }
        blocks.sort(Comparator.comparingLong(b -> b.header.number()));
        ForkJoinPool pool = new ForkJoinPool(Math.max(1, threads));
        BlockExecutor executor = new BlockExecutor(Math.max(1, threads));
        int rounds = Math.max(1, repeat);
        int kept = Math.max(1, rounds / 2);
        long[][] recover = new long[blocks.size()][kept], exec = new long[blocks.size()][kept];
        Report[] last = new Report[blocks.size()];
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < blocks.size(); i++) {
                MainnetBlock b = blocks.get(i);
                List<Transaction> txs = BlockReplay.freshTransactions(b);
                WorldState state = b.freshState();
                Report r;
                try {
                    r = BlockReplay.replay(b, txs, state, executor, pool);
                } catch (RuntimeException | StackOverflowError e) {
                    r = new Report(b.header.number(), "-", b.transactions.size(), 0, b.header.gasUsed(), 0, 0, false,
                            "error: " + e);
                }
                int k = round - (rounds - kept);
                if (k >= 0) {
                    recover[i][k] = r.recoverNanos();
                    exec[i][k] = r.execNanos();
                }
                last[i] = r;
            }
        }
        pool.shutdown();
        executor.close();
        long totalGas = 0, totalNanos = 0, totalExec = 0;
        for (int i = 0; i < blocks.size(); i++) {
            Report r = last[i];
            long rec = median(recover[i]), ex = median(exec[i]);
            long tot = rec + ex;
            String note = r.receiptsRootChecked() ? "" : " [pre-Byzantium: gasUsed+logsBloom only]";
            System.out.printf("%s %d %s txs=%d gas=%,d time=%.3f ms (recover %.3f, exec %.3f) %.1f Mgas/s%s%s%n",
                    r.passed() ? "PASS" : "FAIL", r.number(), r.fork(), r.txCount(), r.passed() ? r.gasUsed() : r.expectedGasUsed(),
                    tot / 1e6, rec / 1e6, ex / 1e6, tot == 0 ? 0.0 : r.gasUsed() * 1e3 / tot, note,
                    r.passed() ? "" : ": " + r.mismatch());
            if (r.passed()) {
                passed++;
                totalGas += r.gasUsed();
                totalNanos += tot;
                totalExec += ex;
            } else {
                failed++;
            }
        }
        if (totalNanos > 0) {
            System.out.printf("total (passed blocks): gas=%,d time=%.3f ms %.1f Mgas/s (exec only %.1f Mgas/s)%s%n", totalGas,
                    totalNanos / 1e6, totalGas * 1e3 / totalNanos, totalGas * 1e3 / Math.max(1, totalExec),
                    rounds > 1 ? " [median of the last " + kept + " of " + rounds + " rounds]" : "");
        }
        System.out.println(passed + " passed, " + failed + " failed");
        return failed == 0 ? 0 : 1;
    }

    private static long median(long[] xs) {
        long[] c = xs.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }
}
