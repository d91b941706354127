package dev.lanes.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.lanes.node.store.StoreKind;
import dev.lanes.primitives.Hex;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 while the node takes transactions, five times on each persistent store: the node runs as its own JVM ({@link CrashNodeMain},
 * automine), four client threads send signed transfers over HTTP and record each transaction whose receipt came
 * back; the process is killed at a random moment and started again on the same directory. After each restart
 * every recorded receipt must still be there in the same block, the blocks must link by parent hash, the node
 * must have accepted its state (it refuses to start when the head's state root differs from the loaded state's)
 * and new transactions must mine. The seed is printed, to replay a failure.
 */
class CrashTest {
    static final ObjectMapper M = new ObjectMapper();
    static final int ROUNDS = 5, SENDERS = 4;
    @TempDir Path tmp;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    record Recorded(String tx, String blockNumber, String blockHash) {}

    record Started(Process process, int port, Path log) {}

    private Started start(Path data, StoreKind kind, int round) throws Exception {
        Path log = tmp.resolve("node-" + round + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xss16m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), CrashNodeMain.class.getName(),
                data.toString(), kind.id());
        pb.redirectError(log.toFile());
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith("PORT ")) {
            p.destroyForcibly().waitFor();
            fail("round " + round + ": the node did not start: " + line + "\n" + Files.readString(log));
        }
        Thread drain = new Thread(() -> {
            try {
                while (out.readLine() != null) { /* keep the pipe empty */ }
            } catch (IOException ignored) {
                // the process is gone
            }
        });
        drain.setDaemon(true);
        drain.start();
        return new Started(p, Integer.parseInt(line.substring(5).trim()), log);
    }

    private JsonNode rpc(int port, String method, Object... params) throws IOException, InterruptedException {
        String body = M.writeValueAsString(Map.of("jsonrpc", "2.0", "id", 1, "method", method, "params", List.of(params)));
        JsonNode r = M.readTree(post(port, body));
        if (r.has("error")) throw new IllegalStateException(method + ": " + r.get("error"));
        return r.get("result");
    }

    private String post(int port, String body) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(req, HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Every recorded receipt is where it was, and blocks 1..head link to their parents. Returns the head. */
    private long verify(int port, List<Recorded> recorded, int round) throws Exception {
        synchronized (recorded) {
            for (Recorded r : recorded) {
                JsonNode rc = rpc(port, "eth_getTransactionReceipt", r.tx);
                assertTrue(rc != null && !rc.isNull(), "round " + round + ": receipt of " + r.tx + " lost");
                assertEquals(r.blockNumber, rc.get("blockNumber").asText(), "round " + round + ": " + r.tx);
                assertEquals(r.blockHash, rc.get("blockHash").asText(), "round " + round + ": " + r.tx);
                assertEquals("0x1", rc.get("status").asText());
            }
        }
        long head = Long.decode(rpc(port, "eth_blockNumber").asText());
        String parent = null;
        for (long from = 0; from <= head; from += 500) {
            ArrayNode batch = M.createArrayNode();
            for (long n = from; n <= Math.min(head, from + 499); n++)
                batch.add(M.valueToTree(Map.of("jsonrpc", "2.0", "id", n, "method", "eth_getBlockByNumber",
                        "params", List.of("0x" + Long.toHexString(n), false))));
            JsonNode answers = M.readTree(post(port, M.writeValueAsString(batch)));
            List<JsonNode> sorted = new ArrayList<>();
            answers.forEach(sorted::add);
            sorted.sort((a, b) -> Long.compare(a.get("id").asLong(), b.get("id").asLong()));
            for (JsonNode a : sorted) {
                JsonNode b = a.get("result");
                if (parent != null) assertEquals(parent, b.get("parentHash").asText(), "round " + round + ": block " + b.get("number"));
                parent = b.get("hash").asText();
            }
        }
        return head;
    }

    /** One sender's loop: signed transfers until the node goes away; each receipt that comes back is recorded. */
    private void sendUntilKilled(int port, int sender, List<Recorded> recorded) {
        try {
            long nonce = Long.decode(rpc(port, "eth_getTransactionCount", TestTxs.address(sender).toString(), "latest").asText());
            while (true) {
                var tx = TestTxs.transfer(sender, 9, nonce);
                String hash = rpc(port, "eth_sendRawTransaction", Hex.prefixed(tx.encoded())).asText();
                JsonNode rc = rpc(port, "eth_getTransactionReceipt", hash);
                recorded.add(new Recorded(hash, rc.get("blockNumber").asText(), rc.get("blockHash").asText()));
                nonce++;
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            // The node was killed mid-request (or refused the connection): this sender's round is over.
        }
    }

    @ParameterizedTest @EnumSource(StoreKind.class) void everyReturnedReceiptSurvivesKillMinus9(StoreKind kind) throws Exception {
        long seed = System.nanoTime();
        System.out.println("CrashTest " + kind.id() + " seed " + seed);
        Random random = new Random(seed);
        Path data = tmp.resolve("data");
        List<Recorded> recorded = Collections.synchronizedList(new ArrayList<>());
        long lastHead = 0;
        for (int round = 0; round <= ROUNDS; round++) {
            Started node = start(data, kind, round);
            try {
                long head = verify(node.port, recorded, round);
                assertTrue(head >= lastHead, "round " + round + ": head went back from " + lastHead + " to " + head);
                if (round == ROUNDS) {
                    // The last start only checks, then shows that new transactions still mine.
                    var tx = TestTxs.transfer(8, 9, Long.decode(rpc(node.port, "eth_getTransactionCount",
                            TestTxs.address(8).toString(), "latest").asText()));
                    String hash = rpc(node.port, "eth_sendRawTransaction", Hex.prefixed(tx.encoded())).asText();
                    assertEquals("0x1", rpc(node.port, "eth_getTransactionReceipt", hash).get("status").asText());
                    break;
                }
                List<Thread> senders = new ArrayList<>();
                for (int s = 0; s < SENDERS; s++) {
                    int sender = s;
                    senders.add(Thread.ofPlatform().start(() -> sendUntilKilled(node.port, sender, recorded)));
                }
                Thread.sleep(300 + random.nextInt(1200));
                node.process.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
                assertTrue(node.process.waitFor(10, TimeUnit.SECONDS));
                for (Thread t : senders) t.join(15_000);
                lastHead = head;
            } finally {
                node.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        assertTrue(recorded.size() >= ROUNDS * 5, "only " + recorded.size() + " receipts recorded: the test barely ran");
        // The directory as the store sees it: open checks the head's state root against the loaded state.
        try (ChainStore store = kind.open(data, TestTxs.CHAIN_ID, 128)) {
            assertEquals(store.head().header().stateRoot(), store.state(store.head().number()).stateRoot());
        }
        System.out.println("CrashTest " + kind.id() + ": " + recorded.size() + " receipts recorded over " + ROUNDS + " kills");
    }
}
