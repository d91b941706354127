package dev.lanes.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.conformance.BlockchainTestRunner.Result;
import dev.lanes.evm.EvmThreads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every test of ../shared/ethereum-tests/BlockchainTests (ValidBlocks, InvalidBlocks, TransitionTests) must
 * pass, except those listed one by one, each with its reason, in {@code blockchain-known-failures.txt}
 * (mirrored in docs/conformance.md). A listed test that starts passing fails the build too.
 */
class BlockchainTestsTest {
    static Set<String> knownFailures() throws IOException {
        Set<String> known = new TreeSet<>();
        try (var in = BlockchainTestsTest.class.getResourceAsStream("/blockchain-known-failures.txt")) {
            if (in == null) return known;
            for (String line : new String(in.readAllBytes()).split("\n")) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) continue;
                String[] parts = line.split("\\s+#", 2);
                assertTrue(parts.length == 2 && !parts[1].isBlank(), "known failure without a reason: " + line);
                known.add(parts[0].strip());
            }
        }
        return known;
    }

    @Test void allFoldersPass() throws Exception {
        Path root = GeneralStateTestsTest.shared().resolve("ethereum-tests/BlockchainTests");
        BlockchainTestRunner runner = new BlockchainTestRunner(n -> true, null);
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        ExecutorService pool = Executors.newFixedThreadPool(threads,
                r -> { Thread t = EvmThreads.newThread(r, "blocktest"); t.setDaemon(true); return t; });
        Set<String> known = knownFailures();
        List<String> unexpected = new ArrayList<>();
        Set<String> failedIds = new TreeSet<>();
        int total = 0;
        for (String folder : List.of("ValidBlocks", "InvalidBlocks", "TransitionTests")) {
            List<Path> files;
            try (Stream<Path> s = Files.walk(root.resolve(folder))) {
                files = s.filter(f -> f.toString().endsWith(".json")).sorted().toList();
            }
            List<Future<List<Result>>> futures = new ArrayList<>();
            for (Path f : files) futures.add(pool.submit(() -> runner.runFile(f)));
            int passed = 0, failed = 0;
            for (Future<List<Result>> fu : futures) {
                for (Result r : fu.get()) {
                    if (r.passed()) { passed++; continue; }
                    failed++;
                    failedIds.add(r.id());
                    if (!known.contains(r.id())) unexpected.add(folder + "/" + r.id() + ": " + r.message());
                }
            }
            System.out.println("BlockchainTests/" + folder + ": " + passed + " passed, " + failed + " failed");
            total += passed + failed;
        }
        pool.shutdown();
        Set<String> nowPassing = new TreeSet<>(known);
        nowPassing.removeAll(failedIds);
        // 594 tests in the copy of ethereum/tests (README.md there); fewer means files were skipped.
        assertTrue(total >= 594, "expected at least 594 blockchain tests, ran " + total);
        assertEquals(List.of(), unexpected, "blockchain tests failing that are not in blockchain-known-failures.txt");
        assertEquals(Set.of(), nowPassing, "tests listed in blockchain-known-failures.txt that now pass: remove them");
    }
}
