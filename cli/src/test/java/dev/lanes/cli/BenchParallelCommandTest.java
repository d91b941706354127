package dev.lanes.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code lanes bench parallel} end to end on a small generated block: the rows it reports (the sequential path, two
 * threads, Block-STM on one worker, and with {@code --ceiling} two independent copies of the sequential path at once),
 * parallel equal to sequential, and the copies row's figures counted for two blocks' work. No timing is asserted.
 */
class BenchParallelCommandTest {
    @Test void reportsEveryRowWithTheCeiling() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        int rc;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            rc = new CommandLine(new BenchCommand.Parallel()).execute("--workload", "erc20", "--txs", "300", "--threads", "1,2",
                    "--stm-overhead", "--ceiling", "--runs", "2", "--warmup", "1", "--warmup-seconds", "0", "--json");
        } finally {
            System.setOut(old);
        }
        assertEquals(0, rc, out.toString(StandardCharsets.UTF_8));
        JsonNode j = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertTrue(j.get("parallel_equals_sequential").asBoolean());
        JsonNode rows = j.get("results");
        assertEquals(4, rows.size(), rows.toString());
        int copiesRows = 0;
        for (JsonNode r : rows) {
            assertTrue(r.get("time_ms").asDouble() > 0, r.toString());
            assertTrue(r.get("speedup").asDouble() > 0, r.toString());
            // Both schedules are real schedules of the block's transactions: at most the oracle, and the better of two
            // orders at least the one in block order.
            double oracle = r.get("oracle_speedup").asDouble();
            double inOrder = r.get("in_order_schedule_speedup").asDouble(), best = r.get("best_schedule_speedup").asDouble();
            assertTrue(inOrder <= best + 1e-9 && best <= oracle + 1e-9, r.toString());
            if (r.path("independent_copies").asBoolean()) {
                copiesRows++;
                assertEquals(2, r.get("threads").asInt());
                assertEquals(2.0, r.get("oracle_speedup").asDouble(), 1e-9);
                // Two blocks' gas in the row's time: its Mgas/s over its speedup is the sequential path's Mgas/s.
                double seqRate = rows.get(0).get("mgas_per_s").asDouble() / rows.get(0).get("speedup").asDouble();
                assertEquals(seqRate, r.get("mgas_per_s").asDouble() / r.get("speedup").asDouble(), seqRate * 1e-6);
            }
        }
        assertEquals(1, copiesRows);
    }
}
