package dev.lanes.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Prometheus metrics: after automined transfers the scrape shows the head, the counts and the pool. */
class MetricsTest {
    @Test void scrapeReflectsSealedBlocks() throws Exception {
        Metrics metrics = new Metrics(null);
        try (Node node = Node.start(NodeConfig.defaults().withPort(0).withThreads(2).withMining(true, null), metrics)) {
            metrics.serve(node, "127.0.0.1", 0);
            try {
                for (int i = 0; i < 3; i++) {
                    var tx = TestTxs.transfer(0, 1, i);
                    node.submit(() -> node.sendTransaction(tx)).get();
                }
                HttpClient http = HttpClient.newHttpClient();
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metrics.port() + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode());
                assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/plain"));
                Map<String, Double> samples = new HashMap<>();
                for (String line : r.body().split("\n")) {
                    if (line.startsWith("#") || line.isBlank()) continue;
                    String[] kv = line.split(" ");
                    samples.put(kv[0], Double.parseDouble(kv[1]));
                }
                assertEquals(3.0, samples.get("lanes_head_block_number"));
                assertEquals(3.0, samples.get("lanes_blocks_sealed_total"));
                assertEquals(3.0, samples.get("lanes_transactions_included_total"));
                assertEquals(3 * 21_000.0, samples.get("lanes_gas_used_total"));
                assertEquals(0.0, samples.get("lanes_txpool_transactions"));
                assertTrue(samples.get("lanes_block_build_seconds_total") > 0);
                // One-transaction blocks are below the parallel executor's minimum: each ran sequentially.
                assertEquals(3.0, samples.get("lanes_parallel_sequential_blocks_total"));
                assertEquals(0.0, samples.get("lanes_rpc_queued_requests"));
                assertEquals(0.0, samples.get("lanes_rpc_refused_requests_total"));
                assertEquals(0.0, samples.get("lanes_rpc_evm_timeouts_total"));
                HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metrics.port() + "/metrics"))
                        .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(405, post.statusCode());
            } finally {
                metrics.stop();
            }
        }
    }
}
