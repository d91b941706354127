package dev.lanes.node.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lanes.node.Node;
import dev.lanes.node.NodeConfig;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Whatever a client sends, the server answers with a JSON-RPC error (or an HTTP error) and keeps serving. */
class MalformedRequestTest {
    static Node node;
    static RpcClient rpc;

    @BeforeAll static void start() throws Exception {
        node = Node.start(NodeConfig.defaults().withPort(0).withThreads(1).withMining(true, null).withLimits(64 * 1024, 10), null);
        rpc = new RpcClient(node.port());
    }

    @AfterAll static void stop() {
        node.close();
    }

    private static int code(JsonNode response) {
        assertTrue(response.has("error"), "expected an error: " + response);
        return response.get("error").get("code").asInt();
    }

    private static void stillServing() throws Exception {
        assertEquals("0x7a69", rpc.result("eth_chainId").asText());
    }

    @Test void badJsonIsAParseError() throws Exception {
        assertEquals(-32700, code(rpc.raw("{\"jsonrpc\":\"2.0\",")));
        assertEquals(-32700, code(rpc.raw("")));
        assertEquals(-32700, code(rpc.raw("{} {}")));
        assertEquals(-32700, code(rpc.raw("\u00ff\u00fe garbage")));
        stillServing();
    }

    @Test void nonObjectsAreInvalidRequests() throws Exception {
        assertEquals(-32600, code(rpc.raw("null")));
        assertEquals(-32600, code(rpc.raw("42")));
        assertEquals(-32600, code(rpc.raw("\"eth_chainId\"")));
        assertEquals(-32600, code(rpc.raw("[]")));
        JsonNode batch = rpc.raw("[1, null, {\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"eth_chainId\"}]");
        assertEquals(3, batch.size());
        assertEquals(-32600, code(batch.get(0)));
        assertEquals(-32600, code(batch.get(1)));
        assertEquals("0x7a69", batch.get(2).get("result").asText());
        assertEquals(-32600, code(rpc.raw("{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"eth_chainId\"}")));
        assertEquals(-32600, code(rpc.raw("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":5}")));
        assertEquals(-32600, code(rpc.raw("{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"eth_chainId\"}")));
        stillServing();
    }

    @Test void batchOverTheLimitIsRefusedWhole() throws Exception {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < 11; i++) b.append(i == 0 ? "" : ",").append("{\"jsonrpc\":\"2.0\",\"id\":").append(i).append(",\"method\":\"eth_chainId\"}");
        JsonNode r = rpc.raw(b.append("]").toString());
        assertTrue(r.isObject());
        assertEquals(-32600, code(r));
        stillServing();
    }

    @Test void bodyOverTheLimitIsRefusedBeforeParsing() throws Exception {
        HttpResponse<String> r = rpc.post(new byte[65 * 1024]);
        assertEquals(413, r.statusCode());
        stillServing();
    }

    @Test void unknownMethodsAndBadParams() throws Exception {
        assertEquals(-32601, code(rpc.call("eth_noSuchMethod")));
        String a = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";
        assertEquals(-32602, code(rpc.call("eth_getBalance", "0x1234", "latest")));       // short address
        assertEquals(-32602, code(rpc.call("eth_getBalance", a.replace('f', 'g'), "latest"))); // bad hex
        assertEquals(-32602, code(rpc.call("eth_getBalance", 5, "latest")));              // wrong type
        assertEquals(-32602, code(rpc.call("eth_getBalance", a, "lastest")));             // bad tag
        assertEquals(-32602, code(rpc.call("eth_getBalance", a, "latest", "extra")));      // too many
        assertEquals(-32602, code(rpc.call("eth_getBlockByNumber", "0x0", "yes")));       // not a boolean
        assertEquals(-32602, code(rpc.call("eth_getBlockByHash", "0x00")));               // short hash
        assertEquals(-32602, code(rpc.call("eth_sendRawTransaction", "0xc0")));            // not a transaction
        assertEquals(-32602, code(rpc.call("eth_sendRawTransaction", "0x123")));           // odd length
        assertEquals(-32602, code(rpc.call("eth_call", "not an object")));
        assertEquals(-32602, code(rpc.raw("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_getBalance\",\"params\":{\"a\":1}}")));
        assertEquals(-32602, code(rpc.call("eth_getLogs", java.util.Map.of("topics", "nope"))));
        assertEquals(-32602, code(rpc.call("eth_feeHistory", "0x2", "latest", java.util.List.of(50, 10))));
        stillServing();
    }

    @Test void notificationsGetNoResponse() throws Exception {
        HttpResponse<String> r = rpc.post("{\"jsonrpc\":\"2.0\",\"method\":\"eth_chainId\"}");
        assertEquals(200, r.statusCode());
        assertEquals("", r.body());
        stillServing();
    }

    @Test void corsPreflight() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var req = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + node.port() + "/"))
                .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody())
                .header("Origin", "http://example.test").timeout(java.time.Duration.ofSeconds(5)).build();
        var r = http.send(req, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals("*", r.headers().firstValue("access-control-allow-origin").orElse(null));
        assertEquals("*", rpc.post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\"}").headers()
                .firstValue("access-control-allow-origin").orElse(null));
    }
}
