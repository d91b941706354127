package dev.lanes.node.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lanes.node.Node;
import dev.lanes.node.NodeConfig;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of the RPC tests that need one automining node for the whole class (one thread, in memory) and a client
 * for it. JUnit runs the inherited {@code @BeforeAll}/{@code @AfterAll} around each subclass; test classes run one
 * after another, so the shared static fields hold the current class's node.
 */
abstract class AutomineNodeTest {
    static final String A0 = EthApiTest.A0, A1 = EthApiTest.A1;
    static Node node;
    static RpcClient rpc;

    @BeforeAll static void startNode() throws Exception {
        node = Node.start(NodeConfig.defaults().withPort(0).withThreads(1).withMining(true, null), null);
        rpc = new RpcClient(node.port());
    }

    @AfterAll static void stopNode() {
        node.close();
    }

    /** Sends with eth_sendTransaction (a dev account signs) and returns the receipt (automine: already mined). */
    static JsonNode send(Map<String, Object> tx) throws Exception {
        return rpc.result("eth_getTransactionReceipt", rpc.result("eth_sendTransaction", tx).asText());
    }
}
