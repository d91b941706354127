package dev.lanes.cli;

import dev.lanes.conformance.BlockchainTestRunner;
import dev.lanes.conformance.BlockchainTestRunner.Result;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
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
    @Option(names = "--write-folders", paramLabel = "DIR", description = "For each passing test, write every block of its"
            + " final chain as a block folder for `replay --state-root` (whole pre-state, parent header, uncle headers,"
            + " network) under DIR/<folder>/<file>/<test>/<number>.") Path writeFolders;
    @Parameters(arity = "1..*", paramLabel = "PATH") List<Path> paths;

    @Override public Integer call() throws Exception {
        Pattern pattern = run == null ? null : Pattern.compile(run);
        List<Path> files = TestFiles.find(paths);
        if (files == null) return 1;
        BlockchainTestRunner runner = new BlockchainTestRunner(n -> fork == null || n.equalsIgnoreCase(fork), pattern);
        if (writeFolders != null) runner.writeFolders(writeFolders);
        if (explain) runner.explain(line -> { synchronized (System.out) { System.out.println("  " + line); } });
        int passed = 0, failed = 0;
        for (List<Result> rs : TestFiles.runAll(files, threads, "blocktest", runner::runFile)) {
            rs.sort(Comparator.comparing(Result::id));
            for (Result r : rs) {
                if (r.passed()) passed++;
                else {
                    failed++;
                    System.out.println("FAIL " + r.file() + " " + r.test() + " [" + r.network() + "]: " + r.message());
                }
            }
        }
        System.out.println(passed + " passed, " + failed + " failed");
        return failed == 0 ? 0 : 1;
    }
}
