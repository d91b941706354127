package dev.lanes.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code lanes bench reads} on a small file: every method, cache state and thread count reports a rate; bad input is refused. */
class BenchReadsCommandTest {
    @Test void reportsEveryMethodWarmAndCold(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        int rc;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            rc = new CommandLine(new BenchReadsCommand()).execute("--file-mb", "4", "--reads", "2000", "--cold-reads", "50",
                    "--runs", "1", "--threads", "1,2", "--dir", dir.toString(), "--json");
        } finally {
            System.setOut(old);
        }
        assertEquals(0, rc);
        JsonNode j = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        Set<String> seen = new HashSet<>();
        for (JsonNode r : j.get("results")) {
            assertTrue(r.get("reads_per_s").asDouble() > 0, r.toString());
            seen.add(r.get("cache").asText() + "/" + r.get("threads").asInt() + "/" + r.get("method").asText());
        }
        assertEquals(2 * 2 * BenchReadsCommand.METHODS.length, seen.size(), seen.toString());
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count(), "the file it made is deleted");
        }
    }

    @Test void refusesBadInput() {
        CommandLine cl = new CommandLine(new BenchReadsCommand());
        cl.setErr(new java.io.PrintWriter(new java.io.StringWriter()));
        assertEquals(2, cl.execute("--threads", "0"));
        assertEquals(2, cl.execute("--runs", "0"));
    }
}
