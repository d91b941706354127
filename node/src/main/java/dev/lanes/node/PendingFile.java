package dev.lanes.node;

import dev.lanes.evm.tx.Transaction;
import dev.lanes.primitives.rlp.RlpReader;
import dev.lanes.primitives.rlp.RlpWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The pool's transactions across a clean restart: {@code pending-txs.rlp} in the data directory, an RLP list of
 * the raw signed transactions in arrival order. Written at shutdown (to a temporary file, then renamed, so a crash
 * while writing leaves the previous file or none), read and deleted at start. A kill loses the pool, as it lives
 * in memory; the chain itself is in the store.
 */
final class PendingFile {
    static final String NAME = "pending-txs.rlp";

    private PendingFile() {}

    static void save(Path dir, List<Transaction> txs) throws IOException {
        Path file = dir.resolve(NAME), tmp = dir.resolve(NAME + ".tmp");
        if (txs.isEmpty()) {
            Files.deleteIfExists(file);
            return;
        }
        RlpWriter w = new RlpWriter();
        w.startList();
        for (Transaction tx : txs) w.writeBytes(tx.encoded());
        Files.write(tmp, w.endList().toByteArray());
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Re-adds the saved transactions through the pool's checks against the current head (so those mined, now
     * underpriced or unaffordable are dropped), says on stderr how many came back, and deletes the file. An
     * unreadable file is kept aside as {@code pending-txs.rlp.bad} with a message rather than lost silently.
     */
    static void restore(Path dir, Node node) throws IOException {
        Path file = dir.resolve(NAME);
        if (!Files.exists(file)) return;
        List<Transaction> txs = new ArrayList<>();
        try {
            RlpReader r = new RlpReader(Files.readAllBytes(file));
            int end = r.enterList();
            while (r.hasMore(end)) txs.add(Transaction.decode(r.readBytes()));
            r.leaveList(end);
            r.requireEnd();
        } catch (RuntimeException e) {
            Path bad = dir.resolve(NAME + ".bad");
            Files.move(file, bad, StandardCopyOption.REPLACE_EXISTING);
            System.err.println("lanes node: ignoring the unreadable pending transactions (moved to " + bad + "): " + e.getMessage());
            return;
        }
        int kept = 0;
        List<String> dropped = new ArrayList<>();
        Chain chain = node.chain();
        for (Transaction tx : txs) {
            try {
                node.pool().add(tx, chain.store().state(chain.head().number()), chain.pendingBaseFee(), node.config().gasLimit());
                kept++;
            } catch (TxPool.Rejected | IllegalArgumentException e) {
                dropped.add(tx.hash() + ": " + e.getMessage());
            }
        }
        Files.delete(file);
        System.err.println("lanes node: restored " + kept + " pending transaction(s)"
                + (dropped.isEmpty() ? "" : ", dropped " + dropped.size() + " no longer valid"));
        for (String d : dropped) System.err.println("  dropped " + d);
    }
}
