package dev.lanes.node.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lanes.node.Node;
import dev.lanes.node.NodeConfig;
import dev.lanes.node.PubSubConfig;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** JSON-RPC over WebSocket on an automining node: subscriptions of each kind, batches, limits and broken frames. */
class WebSocketTest {
    static final String A0 = EthApiTest.A0, A1 = EthApiTest.A1;
    static final PubSubConfig LIMITS = new PubSubConfig(64 * 1024, 4, 3, 50, 5, 100, Duration.ofMinutes(5), Duration.ofSeconds(30));
    static Node node;
    static RpcClient http;

    @BeforeAll static void start() throws Exception {
        node = Node.start(NodeConfig.defaults().withPort(0).withThreads(1).withMining(true, null).withPubSub(LIMITS), null);
        http = new RpcClient(node.port());
    }

    @AfterAll static void stop() {
        node.close();
    }

    static String send(Map<String, Object> tx) throws Exception {
        return http.result("eth_sendTransaction", tx).asText();
    }

    static String deployLogger() throws Exception {
        String hash = send(Map.of("from", A0, "data", EthApiTest.deployer(EthApiTest.logger())));
        return http.result("eth_getTransactionReceipt", hash).get("contractAddress").asText();
    }

    /** No notification arrives within a short wait. */
    static void quiet(WsClient ws) throws InterruptedException {
        assertNull(ws.notifications.poll(300, TimeUnit.MILLISECONDS));
    }

    @Test void newHeadsNotifiesEachBlockUntilUnsubscribed() throws Exception {
        try (WsClient ws = WsClient.connect(node.port())) {
            String id = ws.result("eth_subscribe", "newHeads").asText();
            assertTrue(id.matches("0x[0-9a-f]{1,32}"), id);
            http.result("evm_mine");
            JsonNode n = ws.nextNotification();
            assertEquals(id, n.get("subscription").asText());
            JsonNode head = n.get("result");
            JsonNode block = http.result("eth_getBlockByNumber", "latest", false);
            assertEquals(block.get("hash").asText(), head.get("hash").asText());
            assertEquals(block.get("number").asText(), head.get("number").asText());
            for (String f : List.of("parentHash", "stateRoot", "receiptsRoot", "logsBloom", "baseFeePerGas", "timestamp", "gasLimit",
                    "gasUsed", "miner", "mixHash", "nonce", "withdrawalsRoot", "requestsHash", "parentBeaconBlockRoot"))
                assertEquals(block.get(f), head.get(f), f);
            for (String f : List.of("transactions", "uncles", "size", "totalDifficulty")) assertFalse(head.has(f), f);
            send(Map.of("from", A0, "to", A1, "value", "0x1"));
            assertEquals(Long.decode(head.get("number").asText()) + 1, Long.decode(ws.nextNotification().get("result").get("number").asText()));
            assertTrue(ws.result("eth_unsubscribe", id).asBoolean());
            http.result("evm_mine");
            quiet(ws);
            assertEquals(-32000, ws.call("eth_unsubscribe", id).get("error").get("code").asInt());
        }
    }

    @Test void logsNotifiesEachMatchingLog() throws Exception {
        String contract = deployLogger();
        try (WsClient ws = WsClient.connect(node.port())) {
            String all = ws.result("eth_subscribe", "logs", Map.of("address", contract)).asText();
            String byTopic = ws.result("eth_subscribe", "logs", Map.of("topics", List.of(EthApiTest.TOPIC))).asText();
            String other = ws.result("eth_subscribe", "logs", Map.of("address", A1)).asText();
            String tx = send(Map.of("from", A0, "to", contract));
            JsonNode receiptLog = http.result("eth_getTransactionReceipt", tx).get("logs").get(0);
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                JsonNode n = ws.nextNotification();
                seen.add(n.get("subscription").asText());
                JsonNode log = n.get("result");
                assertEquals(receiptLog, log);
                assertFalse(log.get("removed").asBoolean());
                assertEquals(contract, log.get("address").asText());
                assertEquals(tx, log.get("transactionHash").asText());
            }
            assertEquals(List.of(all, byTopic), seen);
            send(Map.of("from", A0, "to", A1, "value", "0x1")); // no logs
            quiet(ws);
            assertTrue(ws.result("eth_unsubscribe", other).asBoolean());
            assertEquals(-32602, ws.call("eth_subscribe", "logs", Map.of("fromBlock", "0x0")).get("error").get("code").asInt());
            assertEquals(-32602, ws.call("eth_subscribe", "logs", Map.of("topics", "nope")).get("error").get("code").asInt());
        }
    }

    @Test void pendingTransactionsAsHashesOrFull() throws Exception {
        try (WsClient ws = WsClient.connect(node.port())) {
            String hashes = ws.result("eth_subscribe", "newPendingTransactions").asText();
            String full = ws.result("eth_subscribe", "newPendingTransactions", true).asText();
            String tx = send(Map.of("from", A0, "to", A1, "value", "0x5"));
            JsonNode a = ws.nextNotification(), b = ws.nextNotification();
            assertEquals(hashes, a.get("subscription").asText());
            assertEquals(tx, a.get("result").asText());
            assertEquals(full, b.get("subscription").asText());
            assertEquals(tx, b.get("result").get("hash").asText());
            assertEquals(A0, b.get("result").get("from").asText());
            assertEquals("0x5", b.get("result").get("value").asText());
            assertTrue(b.get("result").get("blockHash").isNull(), "pending when announced");
        }
    }

    @Test void unknownSubscriptionsAndBadParams() throws Exception {
        try (WsClient ws = WsClient.connect(node.port())) {
            assertEquals(-32601, ws.call("eth_subscribe", "syncingSoon").get("error").get("code").asInt());
            assertEquals(-32602, ws.call("eth_subscribe").get("error").get("code").asInt());
            assertEquals(-32602, ws.call("eth_subscribe", "newHeads", "extra").get("error").get("code").asInt());
            assertEquals(-32602, ws.call("eth_subscribe", "newPendingTransactions", "yes").get("error").get("code").asInt());
            assertEquals(-32000, ws.call("eth_unsubscribe", "0x1234").get("error").get("code").asInt());
            ws.sendText("{\"jsonrpc\":\"2.0\",");
            assertEquals(-32700, ws.nextResponse().get("error").get("code").asInt());
            assertEquals("0x7a69", ws.result("eth_chainId").asText());
        }
    }

    @Test void batchesAndOrdinaryMethodsOverWebSocket() throws Exception {
        try (WsClient ws = WsClient.connect(node.port())) {
            ws.sendText("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\"},"
                    + "{\"jsonrpc\":\"2.0\",\"method\":\"eth_blockNumber\"},"
                    + "{\"jsonrpc\":\"2.0\",\"id\":\"s\",\"method\":\"eth_subscribe\",\"params\":[\"newHeads\"]},"
                    + "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"eth_nope\"}]");
            JsonNode batch = ws.nextResponse();
            assertEquals(3, batch.size(), "the notification gets no response: " + batch);
            assertEquals("0x7a69", batch.get(0).get("result").asText());
            String id = batch.get(1).get("result").asText();
            assertEquals(-32601, batch.get(2).get("error").get("code").asInt());
            http.result("evm_mine");
            assertEquals(id, ws.nextNotification().get("subscription").asText());
            assertEquals(http.result("eth_blockNumber"), ws.result("eth_blockNumber"));
            assertTrue(ws.result("eth_getBalance", A0, "latest").asText().startsWith("0x"));
        }
    }

    @Test void subscriptionsPerConnectionAreLimited() throws Exception {
        try (WsClient ws = WsClient.connect(node.port())) {
            for (int i = 0; i < LIMITS.maxSubscriptionsPerConnection(); i++) ws.result("eth_subscribe", "newHeads");
            JsonNode over = ws.call("eth_subscribe", "newHeads");
            assertEquals(-32005, over.get("error").get("code").asInt());
            assertTrue(over.get("error").get("message").asText().contains("limit 3"));
        }
        try (WsClient other = WsClient.connect(node.port())) {
            other.result("eth_subscribe", "newHeads"); // the limit is per connection
        }
    }

    @Test void connectionsPerAddressAreLimitedAndFreedOnClose() throws Exception {
        try (Node n = Node.start(NodeConfig.defaults().withPort(0).withThreads(1).withMining(true, null).withPubSub(LIMITS), null)) {
            List<WsClient> open = new ArrayList<>();
            for (int i = 0; i < LIMITS.maxConnectionsPerAddress(); i++) open.add(WsClient.connect(n.port()));
            CompletionException e = assertThrows(CompletionException.class, () -> WsClient.connect(n.port()));
            assertTrue(e.getCause() instanceof WebSocketHandshakeException, String.valueOf(e.getCause()));
            assertEquals(429, ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode());
            assertEquals("0x7a69", new RpcClient(n.port()).result("eth_chainId").asText(), "HTTP is not counted");
            open.removeFirst().close();
            WsClient again = null;
            for (int i = 0; i < 50 && again == null; i++) { // the server sees the close a moment later
                try {
                    again = WsClient.connect(n.port());
                } catch (CompletionException retry) {
                    Thread.sleep(100);
                }
            }
            assertTrue(again != null, "a closed connection frees its place");
            again.close();
            open.forEach(WsClient::close);
        }
    }

    @Test void pingsAreAnswered() throws Exception {
        try (WsClient ws = WsClient.connect(node.port())) {
            ws.ws.sendPing(ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII))).join();
            ByteBuffer pong = ws.pong.get(10, TimeUnit.SECONDS);
            assertEquals("hello", StandardCharsets.US_ASCII.decode(pong).toString());
            assertEquals("0x7a69", ws.result("eth_chainId").asText());
        }
    }

    @Test void oversizedMessagesAreClosedWith1009() throws Exception {
        try (WsClient ws = WsClient.connect(node.port())) {
            ws.ws.sendText("[" + " ".repeat(LIMITS.maxMessageBytes()) + "]", true);
            assertEquals(1009, ws.closeCode());
        }
        try (RawWs raw = new RawWs(node.port(), 0)) { // the same in fragments, each under the limit
            byte[] half = new byte[LIMITS.maxMessageBytes() / 2 + 10];
            java.util.Arrays.fill(half, (byte) ' ');
            raw.send(RawWs.frame(1, half, false, true));
            raw.send(RawWs.frame(0, half, false, true));
            assertEquals(1009, raw.closeCodeThenEnd());
        }
        assertEquals("0x7a69", http.result("eth_chainId").asText());
    }

    @Test void binaryMessagesAreClosedWith1003() throws Exception {
        try (WsClient ws = WsClient.connect(node.port())) {
            ws.ws.sendBinary(ByteBuffer.wrap("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\"}".getBytes(StandardCharsets.UTF_8)), true);
            assertEquals(1003, ws.closeCode());
        }
    }

    @Test void brokenFramesCloseTheConnection() throws Exception {
        // An unmasked client frame, a reserved opcode, reserved bits, a 2^63-byte length, bad UTF-8, a fragmented ping.
        byte[][] broken = {
            RawWs.frame(1, "{}".getBytes(StandardCharsets.US_ASCII), true, false),
            RawWs.frame(3, new byte[] {1}, true, true),
            {(byte) 0xF1, (byte) 0x80, 1, 2, 3, 4},
            {(byte) 0x81, (byte) 0xFF, 0x7f, -1, -1, -1, -1, -1, -1, -1, 1, 2, 3, 4},
            RawWs.frame(1, new byte[] {(byte) 0xC3, (byte) 0x28}, true, true),
            RawWs.frame(9, new byte[] {1}, false, true),
        };
        int[] expected = {1002, 1002, 1002, 1009, 1007, 1002};
        for (int i = 0; i < broken.length; i++) {
            try (RawWs raw = new RawWs(node.port(), 0)) {
                raw.sendText("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\"}");
                assertTrue(raw.read().text().contains("0x7a69"));
                raw.send(broken[i]);
                int code;
                try {
                    code = raw.closeCodeThenEnd();
                } catch (AssertionError e) {
                    throw new AssertionError("frame " + i + ": " + e.getMessage(), e);
                }
                assertEquals(expected[i], code, "frame " + i + ": close code");
            }
        }
        try (RawWs raw = new RawWs(node.port(), 0)) { // half a frame, then the client goes away
            raw.send(new byte[] {(byte) 0x81, (byte) 0x85, 1, 2});
        }
        assertEquals("0x7a69", http.result("eth_chainId").asText());
    }

    @Test void silentClientsArePingedAndDroppedWhenTheyStaySilent() throws Exception {
        PubSubConfig fast = new PubSubConfig(64 * 1024, 4, 3, 50, 5, 100, Duration.ofMinutes(5), Duration.ofMillis(300));
        try (Node n = Node.start(NodeConfig.defaults().withPort(0).withThreads(1).withMining(true, null).withPubSub(fast), null);
             WsClient answers = WsClient.connect(n.port()); // the JDK's client answers pings by itself
             RawWs silent = new RawWs(n.port(), 0)) {
            answers.result("eth_subscribe", "newHeads");
            long t0 = System.nanoTime();
            RawWs.Frame ping = silent.read();
            assertEquals(9, ping.opcode(), "a ping");
            assertEquals(0, silent.closeCodeThenEnd(), "then the connection ends, without a close frame");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 250, "closed after the second silent period, not at once: " + ms + " ms");
            Thread.sleep(1000);
            assertEquals("0x7a69", answers.result("eth_chainId").asText(), "a client that answers pings stays");
            assertFalse(answers.closed.isDone());
        }
    }

    /** The HTTP answer to a hand-written upgrade request (its status line). */
    static String upgradeStatus(String extraHeaders) throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", node.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" + extraHeaders
                    + "\r\n").getBytes(StandardCharsets.US_ASCII));
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII); // the node closes
            return all.substring(0, all.indexOf('\r'));
        }
    }

    @Test void badHandshakesGetHttpErrorsAndAClose() throws Exception {
        assertTrue(upgradeStatus("Sec-WebSocket-Version: 13\r\n").startsWith("HTTP/1.1 400"), "no key");
        assertTrue(upgradeStatus("Sec-WebSocket-Version: 99\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n")
                .startsWith("HTTP/1.1 426"), "unknown version");
        assertEquals("0x7a69", http.result("eth_chainId").asText());
    }

    @Test void closeFrameIsEchoed() throws Exception {
        try (RawWs raw = new RawWs(node.port(), 0)) {
            raw.send(RawWs.frame(8, new byte[] {0x03, (byte) 0xE8}, true, true));
            assertEquals(1000, raw.closeCodeThenEnd());
        }
    }

    @Test void aClientThatStopsReadingIsDisconnected() throws Exception {
        try (RawWs raw = new RawWs(node.port(), 4096)) {
            raw.sendText("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_subscribe\",\"params\":[\"newHeads\"]}");
            assertTrue(raw.read().text().contains("result"));
            // Stop reading; the node keeps sealing blocks. Once the socket buffers are full, notifications queue in
            // the node until the bound (50 here), and then the connection is dropped.
            StringBuilder mines = new StringBuilder("[");
            for (int i = 0; i < 500; i++) mines.append(i == 0 ? "" : ",").append("{\"jsonrpc\":\"2.0\",\"id\":").append(i).append(",\"method\":\"evm_mine\"}");
            String batch = mines.append("]").toString();
            int blocks = 0;
            for (int round = 0; round < 20; round++) {
                http.raw(batch);
                blocks += 500;
            }
            int notes = 0;
            try {
                RawWs.Frame f;
                while ((f = raw.read()) != null) if (f.opcode() == 1) notes++;
            } catch (java.net.SocketException reset) {
                // dropped
            }
            assertTrue(notes < blocks, "disconnected before all " + blocks + " notifications: got " + notes);
        }
        assertEquals("0x7a69", http.result("eth_chainId").asText());
    }
}
