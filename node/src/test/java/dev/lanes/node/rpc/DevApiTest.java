package dev.lanes.node.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The anvil_/hardhat_/evm_ development methods over HTTP. */
class DevApiTest extends AutomineNodeTest {

    @Test void setBalanceCodeNonceAndStorage() throws Exception {
        for (String prefix : List.of("anvil_", "hardhat_")) {
            String a = prefix.equals("anvil_") ? "0x" + "a1".repeat(20) : "0x" + "b2".repeat(20);
            assertTrue(rpc.result(prefix + "setBalance", a, "0xde0b6b3a7640000").asBoolean());
            assertEquals("0xde0b6b3a7640000", rpc.result("eth_getBalance", a, "latest").asText());
            rpc.result(prefix + "setNonce", a, "0x7");
            assertEquals("0x7", rpc.result("eth_getTransactionCount", a, "latest").asText());
            rpc.result(prefix + "setCode", a, "0x60005460005260206000f3"); // returns slot 0
            assertEquals("0x60005460005260206000f3", rpc.result("eth_getCode", a, "latest").asText());
            String word = "0x" + "%064x".formatted(99);
            rpc.result(prefix + "setStorageAt", a, "0x0", word);
            assertEquals(word, rpc.result("eth_getStorageAt", a, "0x0", "latest").asText());
            assertEquals(word, rpc.result("eth_call", Map.of("to", a), "latest").asText());
            // The balance, nonce and code survive the storage change; all of it is in the next block.
            assertEquals("0xde0b6b3a7640000", rpc.result("eth_getBalance", a, "latest").asText());
            rpc.result("evm_mine");
            assertEquals("0x7", rpc.result("eth_getTransactionCount", a, "latest").asText());
            assertEquals(word, rpc.result("eth_getStorageAt", a, "0x0", "latest").asText());
        }
        // A transaction from A2 after its balance was cut: the pool sees the new balance.
        String a2 = "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc";
        rpc.result("anvil_setBalance", a2, "0x0");
        JsonNode err = rpc.call("eth_sendTransaction", Map.of("from", a2, "to", A1, "value", "0x1")).get("error");
        assertTrue(err.get("message").asText().contains("insufficient funds"), err.toString());
        assertEquals(-32602, rpc.call("anvil_setStorageAt", a2, "0x0", "0x1").get("error").get("code").asInt());
        assertEquals(-32602, rpc.call("anvil_setBalance", "0x12", "0x1").get("error").get("code").asInt());
    }

    @Test void impersonation() throws Exception {
        String whale = "0x" + "c3".repeat(20);
        rpc.result("anvil_setBalance", whale, "0x56bc75e2d63100000");
        Map<String, Object> tx = Map.of("from", whale, "to", A1, "value", "0x1234");
        assertEquals(-32000, rpc.call("eth_sendTransaction", tx).get("error").get("code").asInt());
        assertTrue(rpc.result("hardhat_impersonateAccount", whale).asBoolean());
        String before = rpc.result("eth_getBalance", A1, "latest").asText();
        JsonNode receipt = send(tx);
        assertEquals("0x1", receipt.get("status").asText());
        assertEquals(whale, receipt.get("from").asText());
        assertEquals(new java.math.BigInteger(before.substring(2), 16).add(java.math.BigInteger.valueOf(0x1234)),
                new java.math.BigInteger(rpc.result("eth_getBalance", A1, "latest").asText().substring(2), 16));
        assertEquals(whale, rpc.result("eth_getTransactionByHash", receipt.get("transactionHash").asText()).get("from").asText());
        // A legacy one too, and a second transaction from the same account gets the next nonce.
        assertEquals("0x1", send(Map.of("from", whale, "to", A1, "gasPrice", "0x77359400")).get("status").asText());
        assertEquals("0x2", rpc.result("eth_getTransactionCount", whale, "latest").asText());
        rpc.result("anvil_stopImpersonatingAccount", whale);
        assertEquals(-32000, rpc.call("eth_sendTransaction", tx).get("error").get("code").asInt());
    }

    @Test void timeAndMining() throws Exception {
        long t0 = Long.decode(rpc.result("eth_getBlockByNumber", "latest", false).get("timestamp").asText());
        long n0 = Long.decode(rpc.result("eth_blockNumber").asText());
        long target = t0 + 10_000;
        rpc.result("evm_setNextBlockTimestamp", "0x" + Long.toHexString(target));
        rpc.result("evm_mine");
        assertEquals(target, Long.decode(rpc.result("eth_getBlockByNumber", "latest", false).get("timestamp").asText()));
        assertEquals(-32000, rpc.call("evm_setNextBlockTimestamp", target).get("error").get("code").asInt());
        long offset = Long.decode(rpc.result("evm_increaseTime", 3600).asText());
        assertTrue(offset >= 3600 + 9_000, "the offset includes the jump to the set timestamp: " + offset);
        rpc.result("evm_mine");
        long t2 = Long.decode(rpc.result("eth_getBlockByNumber", "latest", false).get("timestamp").asText());
        assertTrue(t2 >= target + 3600, t2 + " vs " + target);
        rpc.result("anvil_mine", "0x3");
        rpc.result("hardhat_mine", "0x2", "0x3c");
        assertEquals(n0 + 2 + 5, Long.decode(rpc.result("eth_blockNumber").asText()));
        long last = Long.decode(rpc.result("eth_getBlockByNumber", "latest", false).get("timestamp").asText());
        long prev = Long.decode(rpc.result("eth_getBlockByNumber", "0x" + Long.toHexString(n0 + 6), false).get("timestamp").asText());
        assertEquals(60, last - prev);
        assertEquals(-32602, rpc.call("anvil_mine", "0xffffffff").get("error").get("code").asInt());
    }

    @Test void automineOffBatchesTwoTransactionsIntoOneBlockAndTheTraceReplaysTheFirst() throws Exception {
        // A counter: SSTORE(0, SLOAD(0) + 1).
        String counter = send(Map.of("from", A0, "data", EthApiTest.deployer("60005460010160005500"))).get("contractAddress").asText();
        assertTrue(rpc.result("anvil_getAutomine").asBoolean());
        rpc.result("evm_setAutomine", false);
        assertFalse(rpc.result("hardhat_getAutomine").asBoolean());
        try {
            // One batch is one task on the chain thread: both transactions wait, then go into one block.
            String body = RpcClient.M.writeValueAsString(List.of(
                    Map.of("jsonrpc", "2.0", "id", 1, "method", "eth_sendTransaction", "params", List.of(Map.of("from", A0, "to", counter, "gas", "0x186a0"))),
                    Map.of("jsonrpc", "2.0", "id", 2, "method", "eth_sendTransaction", "params", List.of(Map.of("from", A0, "to", counter, "gas", "0x186a0")))));
            JsonNode res = rpc.raw(body);
            String h2 = res.get(1).get("result").asText();
            JsonNode receipt = null;
            for (int i = 0; i < 100 && (receipt == null || receipt.isNull()); i++) {
                Thread.sleep(50);
                receipt = rpc.result("eth_getTransactionReceipt", h2);
            }
            assertEquals("0x1", receipt.get("transactionIndex").asText());
            JsonNode t = rpc.result("debug_traceTransaction", h2);
            // Only with the first transaction applied is the second's SSTORE 1 -> 2 (2,900, the slot warm from the SLOAD),
            // not 0 -> 1 (20,000).
            assertEquals(Long.decode(receipt.get("gasUsed").asText()), t.get("gas").asLong());
            JsonNode sstore = null;
            for (JsonNode l : t.get("structLogs")) if (l.get("op").asText().equals("SSTORE")) sstore = l;
            assertEquals(2900, sstore.get("gasCost").asInt());
            JsonNode block = rpc.result("debug_traceBlockByNumber", receipt.get("blockNumber").asText(), Map.of("tracer", "callTracer"));
            assertEquals(2, block.size());
            assertEquals(h2, block.get(1).get("txHash").asText());
        } finally {
            rpc.result("anvil_setAutomine", true);
        }
    }
}
