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
 * {@code lanes replay}: executes block folders (block.json, pre_state.json and the optional files of
 * {@link MainnetBlock}), such as real mainnet blocks, and checks gasUsed, logsBloom and, from Byzantium,
 * receiptsRoot; with {@code --state-root} also the post-state root (see {@link BlockReplay}).
 */
@Command(name = "replay", description = "Replay block folders (block.json + pre_state.json, e.g. mainnet blocks) and check the results.")
final class ReplayCommand implements Callable<Integer> {
    @Option(names = "--state-root", description = "Also check the post-state root against the header (and, before Byzantium,"
            + " the receipts root). Needs a pre_state.json holding the whole state: with parent.json it is checked to be"
            + " the parent's; otherwise a partial pre-state (as in ../shared/mainnet-blocks) shows as a stateRoot mismatch."
            + " Blocks with uncles need uncles.json.")
    boolean stateRoot;
    @Option(names = "--threads", description = "Execution threads (1: the sequential path; more: Block-STM), also used for the parallel sender recovery (default: all cores).")
    int threads = Runtime.getRuntime().availableProcessors();
    @Option(names = "--repeat", description = "Replay everything this many times (JIT warm-up); times are the median of the last half of the rounds.")
    int repeat = 1;
    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Block folders, or folders holding block folders at any depth.") List<Path> paths;

    @Override public Integer call() throws Exception {
        List<Path> dirs = new ArrayList<>();
        for (Path p : paths) {
            if (!Files.isDirectory(p)) {
                System.out.println("FAIL " + p + ": no such folder");
                System.out.println("0 passed, 1 failed");
                return 1;
            }
            try (Stream<Path> s = Files.walk(p)) {
                s.filter(d -> Files.isRegularFile(d.resolve("block.json"))).sorted().forEach(dirs::add);
            }
        }
        if (dirs.isEmpty()) {
            System.out.println("FAIL no block folder (a folder with block.json) under " + paths);
            System.out.println("0 passed, 1 failed");
            return 1;
        }
        // The KZG setup loads in seconds; beside the first blocks rather than inside the first Cancun one's time.
        dev.lanes.evm.precompile.KzgTrustedSetup.preloadInBackground();
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
        // Blocks are named by number, or by folder where numbers repeat (e.g. blocks converted from many tests).
        boolean byFolder = blocks.stream().map(b -> b.header.number()).distinct().count() < blocks.size();
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
                    r = BlockReplay.replay(b, txs, state, executor, pool, stateRoot);
                } catch (RuntimeException | StackOverflowError e) {
                    r = new Report(b.header.number(), "-", b.transactions.size(), 0, b.header.gasUsed(), 0, 0, false, false,
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
            if (r.passed() && r.stateRootChecked()) note += " [stateRoot]";
            String name = byFolder ? blocks.get(i).dir.toString() : Long.toString(r.number());
            System.out.printf("%s %s %s txs=%d gas=%,d time=%.3f ms (recover %.3f, exec %.3f) %.1f Mgas/s%s%s%n",
                    r.passed() ? "PASS" : "FAIL", name, r.fork(), r.txCount(), r.passed() ? r.gasUsed() : r.expectedGasUsed(),
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
