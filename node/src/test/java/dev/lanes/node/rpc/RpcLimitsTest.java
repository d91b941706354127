package dev.lanes.node.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lanes.node.Calls;
import dev.lanes.node.Node;
import dev.lanes.node.NodeConfig;
import dev.lanes.primitives.Address;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The two limits that keep one client from holding the node: the time cap of eth_call and the like
 * ({@code rpcEvmTimeout}, here 200 ms) and the bound on requests waiting for the chain thread
 * ({@code maxQueuedRequests}, here 2). The gas cap is raised so far that only the time cap can stop an endless
 * loop.
 */
class RpcLimitsTest {
    static final String LOOPER = "0x00000000000000000000000000000000000000aa";
    /** JUMPDEST PUSH1 0 JUMP: loops until the gas runs out. */
    static final String ENDLESS = "0x5b600056";
    /** Counts 300 down in a loop, then returns 42 (an estimate runs it some 25 times, well within the cap). */
    static final String BOUNDED = "0x61012c5b801560105760019003600356" + "5b602a60005260206000f3";
    /** Gas no loop uses up within the test's lifetime. */
    static final String HUGE_GAS = "0xe8d4a51000"; // 10^12

    static Node node;
    static RpcClient rpc;

    @BeforeAll static void start() throws Exception {
        node = Node.start(NodeConfig.defaults().withPort(0).withThreads(1).withMining(true, null)
                .withRpcEvmTimeout(Duration.ofMillis(200)).withMaxQueuedRequests(2).withCallGasCap(Long.MAX_VALUE / 4), null);
        rpc = new RpcClient(node.port());
    }

    @AfterAll static void stop() {
        node.close();
    }

    private static Map<String, Object> code(String code) {
        return Map.of(LOOPER, Map.of("code", code));
    }

    private static void assertTimedOut(JsonNode r, long startNanos) {
        long ms = (System.nanoTime() - startNanos) / 1_000_000;
        assertTrue(r.has("error"), "expected the time cap's error: " + r);
        assertEquals(-32000, r.get("error").get("code").asInt());
        assertEquals("execution aborted (timeout = 200ms)", r.get("error").get("message").asText());
        // 200 ms and the overhead; a generous margin for a loaded machine, far below the loop's real length.
        assertTrue(ms >= 190 && ms < 5_000, "answered after " + ms + " ms");
    }

    private static void stillServing() throws Exception {
        assertEquals("0x7a69", rpc.result("eth_chainId").asText());
        // A bounded loop still runs, and completes, under the cap: the flag of the aborted call is gone.
        assertEquals("0x" + "0".repeat(62) + "2a",
                rpc.result("eth_call", Map.of("to", LOOPER), "latest", code(BOUNDED)).asText());
    }

    @Test void endlessCallIsAbortedAtTheTimeCap() throws Exception {
        long t0 = System.nanoTime();
        long before = node.timedOutCalls();
        assertTimedOut(rpc.call("eth_call", Map.of("to", LOOPER, "gas", HUGE_GAS), "latest", code(ENDLESS)), t0);
        assertEquals(before + 1, node.timedOutCalls());
        stillServing();
    }

    @Test void endlessEstimateIsAbortedAtTheTimeCap() throws Exception {
        long t0 = System.nanoTime();
        assertTimedOut(rpc.call("eth_estimateGas", Map.of("to", LOOPER, "gas", HUGE_GAS), "latest", code(ENDLESS)), t0);
        stillServing();
        long gas = Long.decode(rpc.result("eth_estimateGas", Map.of("to", LOOPER), "latest", code(BOUNDED)).asText());
        assertTrue(gas > 21_000 && gas < 1_000_000, "estimate " + gas);
    }

    @Test void endlessTraceAndAccessListAreAbortedToo() throws Exception {
        long t0 = System.nanoTime();
        assertTimedOut(rpc.call("debug_traceCall", Map.of("to", LOOPER, "gas", HUGE_GAS), "latest",
                Map.of("tracer", "callTracer", "stateOverrides", code(ENDLESS))), t0);
        t0 = System.nanoTime();
        assertTimedOut(rpc.call("eth_createAccessList", Map.of("to", LOOPER, "gas", HUGE_GAS), "latest", code(ENDLESS)), t0);
        stillServing();
    }

    /** A batch's calls share one cap: ten endless calls take one cap, not ten, and the other methods still answer. */
    @Test void batchOfEndlessCallsSharesOneCap() throws Exception {
        StringBuilder b = new StringBuilder("[");
        String call = RpcClient.M.writeValueAsString(List.of(Map.of("to", LOOPER, "gas", HUGE_GAS), "latest", code(ENDLESS)));
        for (int i = 0; i < 10; i++) b.append("{\"jsonrpc\":\"2.0\",\"id\":").append(i).append(",\"method\":\"eth_call\",\"params\":")
                .append(call).append("},");
        b.append("{\"jsonrpc\":\"2.0\",\"id\":10,\"method\":\"eth_chainId\"}]");
        long t0 = System.nanoTime();
        JsonNode r = rpc.raw(b.toString());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(11, r.size());
        for (int i = 0; i < 10; i++) assertEquals("execution aborted (timeout = 200ms)", r.get(i).get("error").get("message").asText());
        assertEquals("0x7a69", r.get(10).get("result").asText());
        // One cap per call would take at least 2,000 ms.
        assertTrue(ms >= 190 && ms < 1_900, "answered after " + ms + " ms");
        stillServing();
    }

    /** One deadline for all executions of a scope (as estimateGas's whole search), not one per execution. */
    @Test void oneDeadlineForAllExecutionsOfARequest() throws Exception {
        int[] runs = {0};
        long t0 = System.nanoTime();
        Throwable thrown = node.submit(() -> {
            Calls calls = node.calls();
            var head = node.chain().head();
            var state = node.chain().store().state(head.number());
            Calls.Request req = new Calls.Request(null, Address.fromHex(LOOPER), 0, null, null, null, null, new byte[0]);
            return assertThrows(Calls.TimedOut.class, () -> calls.timed(() -> {
                // Each execution is short (no code); only their sum reaches the cap.
                while (true) {
                    calls.call(req, head.header(), state, 100_000);
                    runs[0]++;
                }
            }));
        }).get(10, TimeUnit.SECONDS);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals("execution aborted (timeout = 200ms)", thrown.getMessage());
        assertTrue(runs[0] > 10, "only " + runs[0] + " executions");
        assertTrue(ms >= 190 && ms < 5_000, "took " + ms + " ms");
        stillServing();
    }

    @Test void requestsOverTheQueueBoundAreRefusedAtOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        // Hold the chain thread with the node's own (unbounded) submit, which the bound never refuses.
        CompletableFuture<Object> holder = node.submit(() -> release.await(20, TimeUnit.SECONDS));
        List<CompletableFuture<HttpResponse<String>>> queued = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                queued.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return rpc.post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_blockNumber\"}");
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                }));
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (node.queuedRequests() < 2 && System.nanoTime() < deadline) Thread.sleep(5);
            assertEquals(2, node.queuedRequests());
            // Full: the third request is answered at once, without waiting for the chain thread.
            long t0 = System.nanoTime();
            JsonNode r = rpc.raw("{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"method\":\"eth_chainId\"}");
            assertTrue((System.nanoTime() - t0) / 1_000_000 < 5_000);
            assertEquals(-32005, r.get("error").get("code").asInt(), r.toString());
            assertEquals("x", r.get("id").asText());
            assertTrue(r.get("error").get("message").asText().startsWith("node busy"), r.toString());
            // A batch: one error per call with an id, none for the notification.
            JsonNode batch = rpc.raw("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\"},"
                    + "{\"jsonrpc\":\"2.0\",\"method\":\"eth_chainId\"},{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"eth_chainId\"}]");
            assertEquals(2, batch.size(), batch.toString());
            assertEquals(1, batch.get(0).get("id").asInt());
            assertEquals(-32005, batch.get(0).get("error").get("code").asInt());
            assertEquals(3, batch.get(1).get("id").asInt());
            assertEquals(-32005, batch.get(1).get("error").get("code").asInt());
            // The node's own work is not subject to the bound: a mined block still goes through (after the rest).
            CompletableFuture<Long> mined = node.submit(() -> node.mine().number());
            release.countDown();
            holder.get(10, TimeUnit.SECONDS);
            for (CompletableFuture<HttpResponse<String>> q : queued) {
                JsonNode ok = RpcClient.M.readTree(q.get(10, TimeUnit.SECONDS).body());
                assertTrue(ok.has("result"), ok.toString());
            }
            assertTrue(mined.get(10, TimeUnit.SECONDS) > 0);
        } finally {
            release.countDown();
        }
        assertEquals(0, node.queuedRequests());
        assertTrue(node.refusedRequests() >= 2, "refused " + node.refusedRequests());
        stillServing();
    }
}
