package dev.lanes.node;

import static dev.lanes.node.TestTxs.transfer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.evm.tx.Transaction;
import dev.lanes.node.store.StoreException;
import dev.lanes.node.store.StoreKind;
import dev.lanes.primitives.Hash;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/** A whole {@link Node} stopped and started again on the same data directory, on each persistent store. */
class NodeRestartTest {
    @TempDir Path dir;

    private NodeConfig config(StoreKind kind) {
        return NodeConfig.defaults().withPort(0).withThreads(1).withMining(true, null).withDataDir(dir).withStore(kind);
    }

    private static Hash send(Node node, Transaction tx) throws Exception {
        return node.submit(() -> node.sendTransaction(tx)).get();
    }

    @ParameterizedTest @EnumSource(StoreKind.class) void theChainAndThePendingTransactionsSurviveARestart(StoreKind kind) throws Exception {
        Transaction gap = transfer(0, 2, 5); // nonce 5 while the account is at 3: waits in the pool
        Block head;
        try (Node node = Node.start(config(kind), null)) {
            for (int n = 0; n < 3; n++) send(node, transfer(0, 1, n));
            send(node, gap);
            head = node.submit(() -> node.chain().head()).get();
            assertEquals(4, head.number()); // automine seals a block (empty here) for the gap transaction too
            assertNotNull(node.submit(() -> node.pool().get(gap.hash())).get());
        }
        assertTrue(Files.exists(dir.resolve(PendingFile.NAME)), "the pool was saved at shutdown");
        try (Node node = Node.start(config(kind), null)) {
            assertEquals(head.hash(), node.submit(() -> node.chain().head().hash()).get());
            for (int n = 1; n <= 3; n++) {
                long number = n;
                Block b = node.submit(() -> node.chain().store().byNumber(number)).get();
                assertEquals(1, b.receipts().getFirst().status());
                assertEquals(new Block.TxLocation(number, 0), node.submit(() -> node.chain().store().transaction(b.transactions().getFirst().hash())).get());
            }
            assertNotNull(node.submit(() -> node.pool().get(gap.hash())).get(), "the gap transaction came back");
            assertFalse(Files.exists(dir.resolve(PendingFile.NAME)), "the file is consumed");
            // Filling the gap mines the restored transaction too.
            send(node, transfer(0, 1, 3));
            Transaction last = transfer(0, 1, 4);
            send(node, last);
            Block.TxLocation where = node.submit(() -> node.chain().store().transaction(gap.hash())).get();
            assertNotNull(where);
            assertEquals(node.submit(() -> node.chain().store().transaction(last.hash())).get().blockNumber(), where.blockNumber());
        }
    }

    @ParameterizedTest @EnumSource(StoreKind.class) void restoredTransactionsThatAreNoLongerValidAreDropped(StoreKind kind) throws Exception {
        Transaction mined = transfer(0, 1, 0), stale = transfer(0, 1, 0, 10, 2, TestTxs.GWEI), fresh = transfer(0, 1, 1);
        try (Node node = Node.start(config(kind), null)) {
            send(node, mined);
        }
        // As if saved before the block with nonce 0 was mined: the stale one now has a used nonce.
        PendingFile.save(dir, List.of(stale, fresh));
        try (Node node = Node.start(config(kind), null)) {
            assertNull(node.submit(() -> node.pool().get(stale.hash())).get());
            assertNull(node.submit(() -> node.chain().store().transaction(stale.hash())).get());
            // Automine seals the restored transaction at start.
            assertEquals(2, node.submit(() -> node.chain().store().transaction(fresh.hash())).get().blockNumber());
        }
        // A damaged file is set aside with a message, and the node starts.
        Files.write(dir.resolve(PendingFile.NAME), new byte[] {(byte) 0xc5, 1, 2});
        try (Node node = Node.start(config(kind), null)) {
            assertEquals(0, (int) node.submit(() -> node.pool().size()).get());
        }
        assertTrue(Files.exists(dir.resolve(PendingFile.NAME + ".bad")));
    }

    @ParameterizedTest @EnumSource(StoreKind.class) void anotherChainIdOrAForeignDirectoryIsRefused(StoreKind kind) throws Exception {
        try (Node node = Node.start(config(kind), null)) {
            send(node, transfer(0, 1, 0));
        }
        StoreException e = assertThrows(StoreException.class, () -> Node.start(config(kind).withChainId(7), null));
        assertTrue(e.getMessage().contains("chain id"), e.getMessage());
        Path foreign = dir.resolve("sub");
        Files.createDirectories(foreign);
        Files.writeString(foreign.resolve("x"), "not a database");
        e = assertThrows(StoreException.class, () -> Node.start(config(kind).withDataDir(foreign), null));
        assertTrue(e.getMessage().contains("no Lanes chain"), e.getMessage());
        // The refused starts released the directory: the right configuration still opens it.
        try (Node node = Node.start(config(kind), null)) {
            assertEquals(1, (long) node.submit(() -> node.chain().head().number()).get());
        }
    }
}
