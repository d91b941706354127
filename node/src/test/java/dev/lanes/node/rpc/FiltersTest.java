package dev.lanes.node.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lanes.node.Node;
import dev.lanes.node.NodeConfig;
import dev.lanes.node.PubSubConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The polling filters over HTTP (and once over WebSocket), with a short timeout to see them expire. */
class FiltersTest {
    static final String A0 = EthApiTest.A0, A1 = EthApiTest.A1;
    static final Duration TIMEOUT = Duration.ofMillis(1500);
    static final int MAX_FILTERS = 8, MAX_CHANGES = 5;
    static Node node;
    static RpcClient rpc;

    @BeforeAll static void start() throws Exception {
        node = Node.start(NodeConfig.defaults().withPort(0).withThreads(1).withMining(true, null)
                .withPubSub(new PubSubConfig(64 * 1024, 4, 10, 100, MAX_FILTERS, MAX_CHANGES, TIMEOUT, Duration.ofSeconds(30))), null);
        rpc = new RpcClient(node.port());
    }

    @AfterAll static void stop() {
        node.close();
    }

    static String send(Map<String, Object> tx) throws Exception {
        return rpc.result("eth_sendTransaction", tx).asText();
    }

    static int code(JsonNode r) {
        assertTrue(r.has("error"), "expected an error: " + r);
        return r.get("error").get("code").asInt();
    }

    @Test void blockFilterReturnsNewHashesOncePerPoll() throws Exception {
        String id = rpc.result("eth_newBlockFilter").asText();
        assertEquals(0, rpc.result("eth_getFilterChanges", id).size());
        rpc.result("evm_mine");
        String first = rpc.result("eth_getBlockByNumber", "latest", false).get("hash").asText();
        rpc.result("evm_mine");
        String second = rpc.result("eth_getBlockByNumber", "latest", false).get("hash").asText();
        JsonNode changes = rpc.result("eth_getFilterChanges", id);
        assertEquals(List.of(first, second), List.of(changes.get(0).asText(), changes.get(1).asText()));
        assertEquals(2, changes.size());
        assertEquals(0, rpc.result("eth_getFilterChanges", id).size(), "only what came since the last poll");
        assertTrue(rpc.result("eth_uninstallFilter", id).asBoolean());
        assertFalse(rpc.result("eth_uninstallFilter", id).asBoolean());
        assertEquals(-32000, code(rpc.call("eth_getFilterChanges", id)));
    }

    @Test void logFilterCollectsMatchingLogsAndAnswersGetFilterLogs() throws Exception {
        String deploy = send(Map.of("from", A0, "data", EthApiTest.deployer(EthApiTest.logger())));
        JsonNode created = rpc.result("eth_getTransactionReceipt", deploy);
        String contract = created.get("contractAddress").asText();
        String from = created.get("blockNumber").asText();
        String id = rpc.result("eth_newFilter", Map.of("address", contract, "fromBlock", from, "topics", List.of(EthApiTest.TOPIC))).asText();
        String other = rpc.result("eth_newFilter", Map.of("address", A1)).asText();
        String t1 = send(Map.of("from", A0, "to", contract));
        send(Map.of("from", A0, "to", A1, "value", "0x1"));
        String t2 = send(Map.of("from", A0, "to", contract));
        JsonNode changes = rpc.result("eth_getFilterChanges", id);
        assertEquals(2, changes.size());
        assertEquals(t1, changes.get(0).get("transactionHash").asText());
        assertEquals(t2, changes.get(1).get("transactionHash").asText());
        assertEquals(rpc.result("eth_getTransactionReceipt", t1).get("logs").get(0), changes.get(0));
        assertEquals(0, rpc.result("eth_getFilterChanges", id).size());
        assertEquals(0, rpc.result("eth_getFilterChanges", other).size());
        assertEquals(changes, rpc.result("eth_getFilterLogs", id), "the whole range: the two logs");
        String block = rpc.result("eth_newBlockFilter").asText();
        assertEquals(-32000, code(rpc.call("eth_getFilterLogs", block)), "a block filter has no logs");
        assertEquals(-32602, code(rpc.call("eth_newFilter", Map.of("topics", "nope"))));
        assertEquals(-32602, code(rpc.call("eth_newFilter", Map.of("fromBlock", "0x5", "toBlock", "0x2"))));
        for (String f : List.of(id, other, block)) rpc.result("eth_uninstallFilter", f);
    }

    @Test void logFilterHonoursItsBlockRange() throws Exception {
        String contract = rpc.result("eth_getTransactionReceipt",
                send(Map.of("from", A0, "data", EthApiTest.deployer(EthApiTest.logger())))).get("contractAddress").asText();
        long head = Long.decode(rpc.result("eth_blockNumber").asText());
        String id = rpc.result("eth_newFilter", Map.of("address", contract, "toBlock", "0x" + Long.toHexString(head + 1))).asText();
        send(Map.of("from", A0, "to", contract)); // block head + 1: inside
        send(Map.of("from", A0, "to", contract)); // head + 2: past toBlock
        assertEquals(1, rpc.result("eth_getFilterChanges", id).size());
        rpc.result("eth_uninstallFilter", id);
    }

    @Test void aFilterThatHoldsTooMuchIsDroppedAndSaysSo() throws Exception {
        String id = rpc.result("eth_newBlockFilter").asText();
        for (int i = 0; i < MAX_CHANGES; i++) rpc.result("evm_mine");
        assertEquals(MAX_CHANGES, rpc.result("eth_getFilterChanges", id).size(), "up to the limit: all of them");
        for (int i = 0; i <= MAX_CHANGES; i++) rpc.result("evm_mine");
        JsonNode over = rpc.call("eth_getFilterChanges", id);
        assertEquals(-32005, code(over));
        assertTrue(over.get("error").get("message").asText().contains("more than " + MAX_CHANGES), over.toString());
        assertEquals(-32000, code(rpc.call("eth_getFilterChanges", id)), "gone");
    }

    @Test void pendingTransactionFilter() throws Exception {
        String id = rpc.result("eth_newPendingTransactionFilter").asText();
        String tx = send(Map.of("from", A0, "to", A1, "value", "0x2"));
        JsonNode changes = rpc.result("eth_getFilterChanges", id);
        assertEquals(1, changes.size());
        assertEquals(tx, changes.get(0).asText());
        rpc.result("eth_uninstallFilter", id);
    }

    @Test void filtersExpireWithoutPolling() throws Exception {
        String polled = rpc.result("eth_newBlockFilter").asText();
        String idle = rpc.result("eth_newBlockFilter").asText();
        long end = System.nanoTime() + TIMEOUT.toNanos() * 2;
        while (System.nanoTime() < end) { // polling keeps a filter alive past the timeout
            rpc.result("eth_getFilterChanges", polled);
            Thread.sleep(TIMEOUT.toMillis() / 5);
        }
        assertEquals(-32000, code(rpc.call("eth_getFilterChanges", idle)));
        assertEquals("filter not found", rpc.call("eth_getFilterChanges", idle).get("error").get("message").asText());
        assertTrue(rpc.result("eth_uninstallFilter", polled).asBoolean());
    }

    @Test void theNumberOfFiltersIsBounded() throws Exception {
        Thread.sleep(TIMEOUT.toMillis() + 100); // let filters of other tests expire
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < MAX_FILTERS; i++) ids.add(rpc.result("eth_newBlockFilter").asText());
        JsonNode over = rpc.call("eth_newPendingTransactionFilter");
        assertEquals(-32005, code(over));
        assertTrue(over.get("error").get("message").asText().contains("limit " + MAX_FILTERS));
        assertTrue(rpc.result("eth_uninstallFilter", ids.removeFirst()).asBoolean());
        ids.add(rpc.result("eth_newBlockFilter").asText()); // room again
        for (String id : ids) rpc.result("eth_uninstallFilter", id);
    }

    @Test void subscribeNeedsAWebSocket() throws Exception {
        JsonNode r = rpc.call("eth_subscribe", "newHeads");
        assertEquals(-32601, code(r));
        assertEquals("notifications not supported", r.get("error").get("message").asText());
    }

    @Test void filtersWorkOverWebSocketToo() throws Exception {
        try (WsClient ws = WsClient.connect(node.port())) {
            String id = ws.result("eth_newBlockFilter").asText();
            rpc.result("evm_mine");
            assertEquals(1, ws.result("eth_getFilterChanges", id).size());
            assertEquals(0, rpc.result("eth_getFilterChanges", id).size(), "one table for both transports");
            assertTrue(ws.result("eth_uninstallFilter", id).asBoolean());
        }
    }
}
