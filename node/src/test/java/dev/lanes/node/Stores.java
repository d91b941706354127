package dev.lanes.node;

import dev.lanes.node.store.StoreKind;
import java.nio.file.Path;

/** The node configurations the end-to-end tests run on: in memory, or with a data directory on either store. */
final class Stores {
    private Stores() {}

    /** {@code memory}, or a store kind ({@code rocksdb}, {@code lanesdb}) keeping {@code dir}. */
    static NodeConfig config(String store, Path dir) {
        NodeConfig c = NodeConfig.defaults();
        return store.equals("memory") ? c : c.withDataDir(dir).withStore(StoreKind.parse(store));
    }
}
