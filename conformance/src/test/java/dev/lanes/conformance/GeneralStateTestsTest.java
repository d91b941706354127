package dev.lanes.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.conformance.StateTestRunner.Result;
import dev.lanes.evm.EvmThreads;
import dev.lanes.evm.Fork;
import dev.lanes.evm.interpreter.Evm;
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
 * Every Cancun vector of ../shared/ethereum-tests/GeneralStateTests must pass, except those listed one by
 * one, each with its reason, in {@code known-failures.txt} (mirrored in docs/conformance.md). A listed
 * vector that starts passing fails the test too, so the list cannot go stale.
 */
class GeneralStateTestsTest {
    static Path shared() {
        Path p = Path.of(System.getProperty("lanes.shared", "../shared"));
        if (!Files.isDirectory(p.resolve("ethereum-tests"))) p = Path.of("/work/shared");
        assertTrue(Files.isDirectory(p.resolve("ethereum-tests/GeneralStateTests")),
                "../shared/ethereum-tests/GeneralStateTests not found (looked at " + p + ")");
        return p;
    }

    static Set<String> knownFailures() throws IOException {
        Set<String> known = new TreeSet<>();
        try (var in = GeneralStateTestsTest.class.getResourceAsStream("/known-failures.txt")) {
            if (in == null) return known;
            for (String line : new String(in.readAllBytes()).split("\n")) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) continue;
                known.add(line.split("\\s+#")[0].strip());
            }
        }
        return known;
    }

    @Test void cancunVectorsPass() throws Exception {
        Path root = shared().resolve("ethereum-tests/GeneralStateTests");
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        StateTestRunner runner = new StateTestRunner(f -> f == Fork.CANCUN, null, null);
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        ThreadLocal<Evm> evms = ThreadLocal.withInitial(Evm::new);
        ExecutorService pool = Executors.newFixedThreadPool(threads,
                r -> { Thread t = EvmThreads.newThread(r, "statetest"); t.setDaemon(true); return t; });
        List<Future<List<Result>>> futures = new ArrayList<>();
        for (Path f : files) futures.add(pool.submit(() -> runner.runFile(f, evms.get())));
        int passed = 0;
        Set<String> known = knownFailures();
        List<String> unexpected = new ArrayList<>();
        Set<String> failedIds = new TreeSet<>();
        for (Future<List<Result>> fu : futures) {
            for (Result r : fu.get()) {
                if (r.passed()) { passed++; continue; }
                failedIds.add(r.id());
                if (!known.contains(r.id())) unexpected.add(r.id() + ": " + r.message());
            }
        }
        pool.shutdown();
        Set<String> nowPassing = new TreeSet<>(known);
        nowPassing.removeAll(failedIds);
        System.out.println("GeneralStateTests (Cancun): " + passed + " passed, " + failedIds.size() + " failed ("
                + known.size() + " listed as known)");
        assertTrue(passed > 20_000, "expected over 20,000 Cancun vectors, ran " + passed);
        if ("0".equals(System.getProperty("lanes.jit.threshold"))) {
            // The compiler differential run (conformance/pom.xml): the vectors must really have run compiled.
            System.out.println("compiled codes: " + Evm.compiledCodes());
            assertTrue(Evm.compiledCodes() > 10_000, "expected the vectors' code compiled, got " + Evm.compiledCodes());
        }
        assertEquals(List.of(), unexpected, "vectors failing that are not in known-failures.txt");
        assertEquals(Set.of(), nowPassing, "vectors listed in known-failures.txt that now pass: remove them");
    }
}
