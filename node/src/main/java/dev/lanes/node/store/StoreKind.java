package dev.lanes.node.store;

import dev.lanes.node.ChainStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Which persistent store keeps a data directory ({@code lanes node --store}): {@link RocksChainStore} (everything in
 * RocksDB, the default) or {@link LanesChainStore} (the state in LanesDB, blocks in RocksDB). A directory is read
 * only by the kind that made it.
 */
public enum StoreKind {
    ROCKSDB, LANESDB;

    /** The name on the command line: {@code rocksdb} or {@code lanesdb}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static StoreKind parse(String s) {
        for (StoreKind k : values()) if (k.id().equalsIgnoreCase(s.trim())) return k;
        throw new IllegalArgumentException("unknown store " + s + ": rocksdb or lanesdb");
    }

    /** Opens (creating when missing or empty) a data directory of this kind. */
    public ChainStore open(Path dir, long chainId, int stateHistory) {
        return switch (this) {
            case ROCKSDB -> RocksChainStore.open(dir, chainId, stateHistory);
            case LANESDB -> LanesChainStore.open(dir, chainId, stateHistory);
        };
    }

    /**
     * The kind whose files {@code dir} holds: LanesDB's marker file, or a RocksDB database at the top (what
     * {@link RocksChainStore} makes); null for anything else.
     */
    static StoreKind madeBy(Path dir) {
        if (Files.exists(dir.resolve(LanesChainStore.MARKER))) return LANESDB;
        if (Files.exists(dir.resolve("CURRENT"))) return ROCKSDB;
        return null;
    }

    /** Refuses, with a message that says what to do, a directory that the other kind made. */
    static void refuseOther(Path dir, StoreKind wanted) {
        StoreKind k = madeBy(dir);
        if (k != null && k != wanted)
            throw new StoreException("data directory " + dir + " holds a chain made with --store " + k.id() + ", not --store "
                    + wanted.id() + " (start with --store " + k.id() + ", or use another --data-dir)");
    }
}
