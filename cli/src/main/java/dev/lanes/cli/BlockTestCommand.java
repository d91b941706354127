package dev.lanes.cli;

import dev.lanes.conformance.BlockchainTestRunner;
import dev.lanes.conformance.BlockchainTestRunner.Result;
import dev.lanes.evm.EvmThreads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lanes blocktest}: imports BlockchainTests chains block by block, files in parallel. */
@Command(name = "blocktest", description = "Run BlockchainTests JSON files or folders (recursively): import each"
        + " chain block by block and check rejections, the head hash and the post state. Seals are not verified"
        + " (NoProof tests only).")
final class BlockTestCommand implements Callable<Integer> {
    @Option(names = "--fork", description = "Only tests whose network is this name, e.g. Cancun or FrontierToHomesteadAt5.") String fork;
    @Option(names = "--run", description = "Only tests whose name matches this regular expression.") String run;
    @Option(names = "--explain", description = "Print, for each block the test expects to fail, the reason it was rejected.") boolean explain;
    @Option(names = "--threads", description = "Worker threads (default: all cores).") int threads = Runtime.getRuntime().availableProcessors();
    @Parameters(arity = "1..*", paramLabel = "PATH") List<Path> paths;

    @Override public Integer call() throws Exception {
        Pattern pattern = run == null ? null : Pattern.compile(run);
        List<Path> files = new ArrayList<>();
        for (Path p : paths) {
            if (!Files.exists(p)) {
                System.out.println("FAIL " + p + ": no such file or folder");
                System.out.println("0 passed, 1 failed");
                return 1;
            }
            try (Stream<Path> s = Files.walk(p)) {
                s.filter(f -> Files.isRegularFile(f) && f.toString().endsWith(".json")).sorted().forEach(files::add);
            }
        }
        BlockchainTestRunner runner = new BlockchainTestRunner(n -> fork == null || n.equalsIgnoreCase(fork), pattern);
        if (explain) runner.explain(line -> { synchronized (System.out) { System.out.println("  " + line); } });
        // Deep call chains recurse: give workers room for 1024 nested frames.
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads),
                r -> { Thread t = EvmThreads.newThread(r, "blocktest"); t.setDaemon(true); return t; });
        List<Future<List<Result>>> futures = new ArrayList<>();
        for (Path f : files) futures.add(pool.submit(() -> runner.runFile(f)));
        int passed = 0, failed = 0;
        for (Future<List<Result>> fu : futures) {
            List<Result> rs = new ArrayList<>(fu.get());
            rs.sort(Comparator.comparing(Result::id));
            for (Result r : rs) {
                if (r.passed()) passed++;
                else {
                    failed++;
                    System.out.println("FAIL " + r.file() + " " + r.test() + " [" + r.network() + "]: " + r.message());
                }
            }
        }
        pool.shutdown();
        System.out.println(passed + " passed, " + failed + " failed");
        return failed == 0 ? 0 : 1;
    }
}
