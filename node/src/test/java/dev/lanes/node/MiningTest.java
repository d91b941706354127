package dev.lanes.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.evm.tx.Transaction;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The interval mode: empty blocks at the block time, and transactions mined at once rather than at the next tick. */
class MiningTest {
    @Test void emptyBlocksAtTheBlockTime() throws Exception {
        try (Node node = Node.start(NodeConfig.defaults().withPort(0).withThreads(1).withMining(false, Duration.ofMillis(200)), null)) {
            Thread.sleep(1_500);
            long head = node.submit(() -> node.chain().head().number()).get();
            assertTrue(head >= 3 && head <= 8, "about one block per 200 ms, got " + head + " in 1.5 s");
        }
    }

    @Test void waitingTransactionsDoNotWaitForTheNextTick() throws Exception {
        try (Node node = Node.start(NodeConfig.defaults().withPort(0).withThreads(1).withMining(false, Duration.ofSeconds(60)), null)) {
            Transaction tx = TestTxs.transfer(0, 1, 0);
            node.submit(() -> node.sendTransaction(tx)).get();
            Block.TxLocation where = null;
            for (int i = 0; i < 50 && where == null; i++) {
                Thread.sleep(100);
                where = node.submit(() -> node.chain().store().transaction(tx.hash())).get();
            }
            assertNotNull(where, "mined within 5 s although the block time is 60 s");
            assertEquals(1, where.blockNumber());
        }
    }
}
