package dev.lanes.node;

import dev.lanes.evm.tx.Transaction;
import dev.lanes.primitives.Address;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the chain thread publishes for subscriptions and filters: each sealed block (with its receipts) and each
 * transaction accepted into the pool. Listeners are called on the chain thread, in registration order, so they
 * see events in chain order and may read the chain without locks; they must not block or do slow work there
 * (the WebSocket layer only queues bytes for Netty to write). A listener that throws is reported and skipped, so
 * that a bug in one subscriber cannot stop mining.
 */
public final class NodeEvents {
    /** Called on the chain thread. */
    public interface Listener {
        default void onBlock(Block block) {}

        default void onPendingTransaction(Transaction tx, Address sender) {}
    }

    // Registered from any thread (a server starting), called from the chain thread: copy-on-write suits that.
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    public void add(Listener l) {
        listeners.add(l);
    }

    public void remove(Listener l) {
        listeners.remove(l);
    }

    void block(Block b) {
        for (Listener l : listeners) {
            try {
                l.onBlock(b);
            } catch (RuntimeException e) {
                System.err.println("lanes node: block listener failed: " + e);
            }
        }
    }

    void pendingTransaction(Transaction tx, Address sender) {
        for (Listener l : listeners) {
            try {
                l.onPendingTransaction(tx, sender);
            } catch (RuntimeException e) {
                System.err.println("lanes node: transaction listener failed: " + e);
            }
        }
    }
}
