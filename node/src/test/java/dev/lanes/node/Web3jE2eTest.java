package dev.lanes.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * The node from Java with web3j, as a Java application would use it: chain id and client version, balances, a
 * legacy EIP-155 transfer and an EIP-1559 transfer signed by web3j, a contract deployed and called (hand-assembled
 * below, so the test needs no compiler), its log read back by receipt and by {@code eth_getLogs}, storage, an
 * {@code eth_call} and a gas estimate.
 */
class Web3jE2eTest {
    private static final long CHAIN_ID = 31337;
    /** Account 0 of the standard test mnemonic, prefunded by the node. */
    private static final Credentials KEY = Credentials.create("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
    private static final String OTHER = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
    private static final String TOPIC = "0x" + "ab".repeat(32);
    /**
     * Runtime: with no calldata, returns storage slot 0; otherwise stores the first word in slot 0 and logs it
     * (LOG1 with {@link #TOPIC}). Byte offsets in the comments.
     */
    private static final String RUNTIME = "36" + "15" + "6038" + "57"            // 0: CALLDATASIZE ISZERO PUSH1 0x38 JUMPI
            + "600035" + "600055"                                              // 5: sstore(0, calldataload(0))
            + "600035" + "600052"                                              // 11: mstore(0, calldataload(0))
            + "7f" + TOPIC.substring(2) + "6020" + "6000" + "a1"               // 17: log1(0, 32, TOPIC)
            + "00"                                                             // 55: STOP
            + "5b" + "600054" + "600052" + "6020" + "6000" + "f3";             // 56: JUMPDEST mstore(0, sload(0)) return(0, 32)
    /** Init code: copies the 68-byte runtime (which starts at byte 11) to memory and returns it. */
    private static final String INIT = "6044" + "80" + "600b" + "6000" + "39" + "6000" + "f3" + RUNTIME;

    @org.junit.jupiter.api.io.TempDir java.nio.file.Path dataDir;

    /** In memory, and with its chain on each store ({@code --store}). */
    @org.junit.jupiter.params.ParameterizedTest @org.junit.jupiter.params.provider.ValueSource(strings = {"memory", "rocksdb", "lanesdb"})
    void web3jWorksAgainstTheNode(String store) throws Exception {
        NodeConfig config = Stores.config(store, dataDir).withPort(0).withThreads(2).withMining(false, Duration.ofMillis(300));
        try (Node node = Node.start(config, null)) {
            Web3j web3 = Web3j.build(new HttpService("http://127.0.0.1:" + node.port()));
            try {
                assertEquals(BigInteger.valueOf(CHAIN_ID), web3.ethChainId().send().getChainId());
                assertEquals(Long.toString(CHAIN_ID), web3.netVersion().send().getNetVersion());
                assertFalse(web3.web3ClientVersion().send().getWeb3ClientVersion().isEmpty());
                BigInteger balance = web3.ethGetBalance(KEY.getAddress(), DefaultBlockParameterName.LATEST).send().getBalance();
                assertTrue(balance.compareTo(BigInteger.TEN.pow(21)) > 0, "prefunded: " + balance);

                BigInteger gasPrice = web3.ethGasPrice().send().getGasPrice();
                BigInteger before = web3.ethGetBalance(OTHER, DefaultBlockParameterName.LATEST).send().getBalance();
                // Legacy, EIP-155 protected.
                TransactionReceipt legacy = mined(web3, send(web3, TransactionEncoder.signMessage(
                        RawTransaction.createEtherTransaction(nonce(web3), gasPrice, BigInteger.valueOf(21_000), OTHER,
                                BigInteger.valueOf(1_000)), CHAIN_ID, KEY)));
                assertEquals("0x1", legacy.getStatus());
                assertEquals(BigInteger.valueOf(21_000), legacy.getGasUsed());
                // EIP-1559.
                TransactionReceipt dynamic = mined(web3, send(web3, TransactionEncoder.signMessage(
                        RawTransaction.createEtherTransaction(CHAIN_ID, nonce(web3), BigInteger.valueOf(21_000), OTHER,
                                BigInteger.valueOf(2_000), BigInteger.valueOf(1_000_000_000L), gasPrice.multiply(BigInteger.TWO)), KEY)));
                assertEquals("0x1", dynamic.getStatus());
                assertEquals("0x2", dynamic.getType());
                assertEquals(before.add(BigInteger.valueOf(3_000)),
                        web3.ethGetBalance(OTHER, DefaultBlockParameterName.LATEST).send().getBalance());

                // A contract: deploy, check its code, store 7 through a transaction, read it back three ways.
                TransactionReceipt deployed = mined(web3, send(web3, TransactionEncoder.signMessage(
                        RawTransaction.createContractTransaction(nonce(web3), gasPrice, BigInteger.valueOf(200_000),
                                BigInteger.ZERO, "0x" + INIT), CHAIN_ID, KEY)));
                String contract = deployed.getContractAddress();
                assertNotNull(contract, "contractAddress");
                assertEquals("0x" + RUNTIME, web3.ethGetCode(contract, DefaultBlockParameterName.LATEST).send().getCode());
                String seven = "0x" + "0".repeat(63) + "7";
                BigInteger estimate = web3.ethEstimateGas(Transaction.createFunctionCallTransaction(KEY.getAddress(), null,
                        null, null, contract, seven)).send().getAmountUsed();
                assertTrue(estimate.compareTo(BigInteger.valueOf(21_000 + 20_000)) > 0, "estimate " + estimate);
                TransactionReceipt stored = mined(web3, send(web3, TransactionEncoder.signMessage(
                        RawTransaction.createTransaction(nonce(web3), gasPrice, estimate, contract, seven), CHAIN_ID, KEY)));
                assertEquals("0x1", stored.getStatus());
                assertEquals(1, stored.getLogs().size());
                assertEquals(List.of(TOPIC), stored.getLogs().get(0).getTopics());
                assertEquals(seven, stored.getLogs().get(0).getData());
                assertEquals(seven, web3.ethGetStorageAt(contract, BigInteger.ZERO, DefaultBlockParameterName.LATEST).send().getData());
                assertEquals(seven, web3.ethCall(Transaction.createEthCallTransaction(KEY.getAddress(), contract, "0x"),
                        DefaultBlockParameterName.LATEST).send().getValue());
                EthFilter filter = new EthFilter(DefaultBlockParameterName.EARLIEST, DefaultBlockParameterName.LATEST, contract);
                List<EthLog.LogResult> logs = web3.ethGetLogs(filter).send().getLogs();
                assertEquals(1, logs.size());
                assertEquals(stored.getTransactionHash(), ((EthLog.LogObject) logs.get(0)).getTransactionHash());
            } finally {
                web3.shutdown();
            }
        }
    }

    private static BigInteger nonce(Web3j web3) throws Exception {
        return web3.ethGetTransactionCount(KEY.getAddress(), DefaultBlockParameterName.PENDING).send().getTransactionCount();
    }

    private static String send(Web3j web3, byte[] signed) throws Exception {
        EthSendTransaction r = web3.ethSendRawTransaction(Numeric.toHexString(signed)).send();
        if (r.hasError()) throw new AssertionError("eth_sendRawTransaction: " + r.getError().getMessage());
        return r.getTransactionHash();
    }

    private static TransactionReceipt mined(Web3j web3, String hash) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            var r = web3.ethGetTransactionReceipt(hash).send().getTransactionReceipt();
            if (r.isPresent()) return r.get();
            Thread.sleep(50);
        }
        throw new AssertionError("no receipt for " + hash + " within 30 s");
    }
}
