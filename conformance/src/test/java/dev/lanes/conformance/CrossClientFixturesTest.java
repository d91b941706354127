package dev.lanes.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.conformance.StateTestRunner.Result;
import dev.lanes.evm.Fork;
import dev.lanes.evm.interpreter.Evm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Runs the fixtures under src/test/resources/fixtures, whose expected results come from ethereumjs (see its README). */
class CrossClientFixturesTest {
    @Test void pragueFixturesAgreeWithEthereumjs() throws Exception {
        Path dir = Path.of(CrossClientFixturesTest.class.getResource("/fixtures/prague").toURI());
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        StateTestRunner runner = new StateTestRunner(f -> f == Fork.PRAGUE, null, null);
        Evm evm = new Evm();
        List<String> failures = new ArrayList<>();
        int passed = 0;
        for (Path f : files) {
            for (Result r : runner.runFile(f, evm)) {
                if (r.passed()) passed++;
                else failures.add(r.id() + ": " + r.message());
            }
        }
        assertTrue(passed >= 11, "expected at least 11 Prague fixture vectors, ran " + passed);
        assertEquals(List.of(), failures);
    }
}
