package dev.lanes.node.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lanes.evm.tx.Transaction;
import dev.lanes.evm.tx.TxType;
import dev.lanes.node.DevAccounts;
import dev.lanes.node.Node;
import dev.lanes.node.NodeConfig;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hex;
import dev.lanes.primitives.UInt256;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The methods end to end over HTTP, on an automining node (each transaction is mined before its call returns). */
class EthApiTest {
    static final String A0 = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", A1 = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
    static final String TOPIC = "0x" + "ab".repeat(32);
    static Node node;
    static RpcClient rpc;

    @BeforeAll static void start() throws Exception {
        node = Node.start(NodeConfig.defaults().withPort(0).withThreads(2).withMining(true, null), null);
        rpc = new RpcClient(node.port());
    }

    @AfterAll static void stop() {
        node.close();
    }

    /** Init code that deploys {@code runtime}. */
    static String deployer(String runtimeHex) {
        int n = runtimeHex.length() / 2;
        if (n > 255) throw new IllegalArgumentException("runtime too long for this helper");
        String len = String.format("%02x", n);
        return "0x60" + len + "600c60003960" + len + "6000f3" + runtimeHex;
    }

    /** Runtime code that reverts with Error("nope"). */
    static String reverter() {
        String data = "08c379a0" + "%064x".formatted(32) + "%064x".formatted(4)
                + Hex.encode("nope".getBytes(StandardCharsets.US_ASCII)) + "00".repeat(28);
        return "6064600c600039" + "60646000fd" + data;
    }

    /** Runtime code that stores 42 at memory 0 and logs it under TOPIC. */
    static String logger() {
        return "602a600052" + "7f" + TOPIC.substring(2) + "60206000a1" + "00";
    }

    static JsonNode send(Map<String, Object> tx) throws Exception {
        String hash = rpc.result("eth_sendTransaction", tx).asText();
        JsonNode receipt = rpc.result("eth_getTransactionReceipt", hash);
        assertFalse(receipt.isNull(), "automine: the receipt exists when the call returns");
        return receipt;
    }

    @Test void transferReceiptBlockAndTransaction() throws Exception {
        JsonNode receipt = send(Map.of("from", A0, "to", A1, "value", "0x10"));
        assertEquals("0x1", receipt.get("status").asText());
        assertEquals("0x5208", receipt.get("gasUsed").asText());
        assertEquals("0x2", receipt.get("type").asText());
        assertTrue(receipt.get("contractAddress").isNull());
        String blockHash = receipt.get("blockHash").asText();
        JsonNode block = rpc.result("eth_getBlockByHash", blockHash, true);
        assertEquals(receipt.get("blockNumber").asText(), block.get("number").asText());
        assertEquals(receipt.get("transactionHash").asText(), block.get("transactions").get(0).get("hash").asText());
        for (String f : List.of("parentHash", "stateRoot", "transactionsRoot", "receiptsRoot", "logsBloom", "baseFeePerGas",
                "withdrawalsRoot", "blobGasUsed", "excessBlobGas", "parentBeaconBlockRoot", "requestsHash", "size", "mixHash",
                "nonce", "totalDifficulty", "uncles", "timestamp", "gasLimit", "gasUsed", "miner", "extraData", "sha3Uncles"))
            assertTrue(block.has(f), "block field " + f);
        JsonNode tx = rpc.result("eth_getTransactionByHash", receipt.get("transactionHash").asText());
        assertEquals(A0, tx.get("from").asText());
        assertEquals("0x10", tx.get("value").asText());
        assertEquals(receipt.get("effectiveGasPrice").asText(), tx.get("gasPrice").asText());
        assertEquals("0x1", rpc.result("eth_getBlockTransactionCountByHash", blockHash).asText());
        assertEquals(tx, rpc.result("eth_getTransactionByBlockHashAndIndex", blockHash, "0x0"));
        assertEquals(receipt, rpc.result("eth_getBlockReceipts", receipt.get("blockNumber").asText()).get(0));
        assertTrue(rpc.result("eth_getTransactionByBlockNumberAndIndex", "latest", "0x5").isNull());
    }

    @Test void historicalStateAndBlockTags() throws Exception {
        send(Map.of("from", A0, "to", A1, "value", "0x1"));
        assertEquals("0x21e19e0c9bab2400000", rpc.result("eth_getBalance", A1, "earliest").asText()); // 10000 ether
        assertEquals("0x0", rpc.result("eth_getTransactionCount", A0, "0x0").asText());
        long head = Long.decode(rpc.result("eth_blockNumber").asText());
        assertTrue(Long.decode(rpc.result("eth_getTransactionCount", A0, "latest").asText()) >= 1);
        assertTrue(rpc.result("eth_getBlockByNumber", "0x" + Long.toHexString(head + 1), false).isNull());
        JsonNode err = rpc.call("eth_getBalance", A1, "0x" + Long.toHexString(head + 5));
        assertEquals(-32000, err.get("error").get("code").asInt());
    }

    @Test void storageNowAndInAnEarlierBlock() throws Exception {
        // Runtime code: SSTORE(0, 42).
        String contract = send(Map.of("from", A0, "data", deployer("602a60005500"))).get("contractAddress").asText();
        JsonNode receipt = send(Map.of("from", A0, "to", contract, "gas", "0x186a0"));
        String block = receipt.get("blockNumber").asText(), before = "0x" + Long.toHexString(Long.decode(block) - 1);
        assertEquals("0x" + "%064x".formatted(42), rpc.result("eth_getStorageAt", contract, "0x0", block).asText());
        assertEquals("0x" + "0".repeat(64), rpc.result("eth_getStorageAt", contract, "0x0", before).asText());
        assertEquals("0x" + "%064x".formatted(42), rpc.result("eth_getStorageAt", contract, "0x0",
                Map.of("blockHash", receipt.get("blockHash").asText())).asText());
        assertEquals("0x602a60005500", rpc.result("eth_getCode", contract, "latest").asText());
        assertEquals("0x", rpc.result("eth_getCode", contract, "earliest").asText());
    }

    @Test void revertReasonAndEstimate() throws Exception {
        JsonNode receipt = send(Map.of("from", A0, "data", deployer(reverter())));
        String contract = receipt.get("contractAddress").asText();
        assertFalse(rpc.result("eth_getCode", contract, "latest").asText().equals("0x"));
        JsonNode err = rpc.call("eth_call", Map.of("to", contract, "data", "0x"), "latest").get("error");
        assertEquals(3, err.get("code").asInt());
        assertEquals("execution reverted: nope", err.get("message").asText());
        assertTrue(err.get("data").asText().startsWith("0x08c379a0"));
        JsonNode est = rpc.call("eth_estimateGas", Map.of("from", A0, "to", contract)).get("error");
        assertEquals(3, est.get("code").asInt());
        assertEquals("0x5208", rpc.result("eth_estimateGas", Map.of("from", A0, "to", A1, "value", "0x1")).asText());
        // CHAINID through eth_call: the node's chain id, not mainnet's.
        JsonNode chainIdCode = send(Map.of("from", A0, "data", deployer("4660005260206000f3")));
        assertEquals("0x" + "%064x".formatted(31337),
                rpc.result("eth_call", Map.of("to", chainIdCode.get("contractAddress").asText()), "latest").asText());
    }

    @Test void logsAndFilters() throws Exception {
        JsonNode deployed = send(Map.of("from", A0, "data", deployer(logger())));
        String contract = deployed.get("contractAddress").asText();
        String gas = rpc.result("eth_estimateGas", Map.of("from", A0, "to", contract)).asText();
        JsonNode receipt = send(Map.of("from", A0, "to", contract, "gas", gas));
        assertEquals("0x1", receipt.get("status").asText());
        JsonNode log = receipt.get("logs").get(0);
        assertEquals(TOPIC, log.get("topics").get(0).asText());
        assertEquals("0x" + "%064x".formatted(42), log.get("data").asText());
        String n = receipt.get("blockNumber").asText();
        JsonNode logs = rpc.result("eth_getLogs", Map.of("fromBlock", "0x0", "toBlock", "latest", "address", contract));
        assertEquals(1, logs.size());
        assertEquals(log, logs.get(0));
        assertEquals(1, rpc.result("eth_getLogs", Map.of("blockHash", receipt.get("blockHash").asText(),
                "topics", List.of(List.of(TOPIC, "0x" + "cd".repeat(32))))).size());
        assertEquals(0, rpc.result("eth_getLogs", Map.of("fromBlock", n, "toBlock", n, "topics",
                List.of("0x" + "cd".repeat(32)))).size());
    }

    @Test void rawTransactionsAndPoolErrors() throws Exception {
        DevAccounts.Account acc = node.accounts().get(3);
        long nonce = Long.decode(rpc.result("eth_getTransactionCount", acc.address().toString(), "pending").asText());
        Transaction legacy = Transaction.builder(TxType.LEGACY).chainId(31337).nonce(nonce).gasLimit(21_000)
                .gasPrice(UInt256.of(5_000_000_000L)).to(Address.fromHex(A1)).value(UInt256.ONE).sign(acc.privateKey());
        String raw = Hex.prefixed(legacy.encoded());
        assertEquals(legacy.hash().toString(), rpc.result("eth_sendRawTransaction", raw).asText());
        assertEquals("0x0", rpc.result("eth_getTransactionReceipt", legacy.hash().toString()).get("type").asText());
        JsonNode err = rpc.call("eth_sendRawTransaction", raw).get("error");
        assertEquals(-32000, err.get("code").asInt());
        assertTrue(err.get("message").asText().startsWith("nonce too low"), err.toString());
    }

    @Test void feesAndMisc() throws Exception {
        assertEquals("0x3b9aca00", rpc.result("eth_maxPriorityFeePerGas").asText());
        JsonNode h = rpc.result("eth_feeHistory", "0x2", "latest", List.of(25, 75));
        assertEquals(3, h.get("baseFeePerGas").size());
        assertEquals(2, h.get("reward").size());
        assertEquals("31337", rpc.result("net_version").asText());
        assertEquals("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470", rpc.result("web3_sha3", "0x").asText());
        assertEquals(10, rpc.result("eth_accounts").size());
        assertFalse(rpc.result("eth_syncing").asBoolean());
    }

    @Test void snapshotAndRevert() throws Exception {
        String id = rpc.result("evm_snapshot").asText();
        long before = Long.decode(rpc.result("eth_blockNumber").asText());
        rpc.result("evm_mine");
        rpc.result("evm_mine");
        assertEquals(before + 2, Long.decode(rpc.result("eth_blockNumber").asText()));
        assertTrue(rpc.result("evm_revert", id).asBoolean());
        assertEquals(before, Long.decode(rpc.result("eth_blockNumber").asText()));
        assertFalse(rpc.result("evm_revert", id).asBoolean()); // a snapshot is used up by reverting to it
    }
}
