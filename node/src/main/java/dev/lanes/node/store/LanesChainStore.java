package dev.lanes.node.store;

import dev.lanes.evm.tx.Transaction;
import dev.lanes.node.Block;
import dev.lanes.node.ChainStore;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Bytes;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.UInt256;
import dev.lanes.state.WorldState;
import dev.lanes.state.db.CorruptStoreException;
import dev.lanes.state.db.LanesDb;
import dev.lanes.state.db.StateUpdate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The chain with its state in LanesDB (docs/node.md, "Storage"; {@code lanes node --store lanesdb}).
 *
 * <p>Layout of the data directory: {@code LANES-STORE} (the marker, "lanesdb"), {@code state/} (a LanesDB with
 * preimages: one version per block, version number = block number) and {@code blocks/} (a RocksDB database:
 * {@code headers}, {@code bodies}, {@code receipts} by number, {@code hashes}, {@code txs}, and in {@code default}
 * the format tag, chain id, head number, the first block whose state is kept, and the genesis state whole). Blocks
 * stay in RocksDB: they are key-value data (the transaction index above all) that RocksDB already writes atomically
 * with one synced batch, and LanesDB stores tries, not blocks.
 *
 * <p>Commit order of {@link #append}: (1) the state as LanesDB version N, durable when {@code commit} returns (its
 * root is checked against the header's); (2) the block's RocksDB batch with the head pointer N, synced. Truncation
 * is the other way round: first the RocksDB batch that drops the blocks and moves the head back, then the LanesDB
 * rollback. So LanesDB is never behind the head, and at most ahead of it. Recovery at open: if LanesDB's newest
 * version is above the head, it is rolled back to the head's version (kept, since LanesDB keeps
 * {@code stateHistory + 1} versions), or, for a truncation to genesis whose version was pruned, emptied and given
 * the stored genesis state again; then its root must equal the head's state root. After a kill at any moment the
 * directory holds the blocks whose {@code append} returned, or one more fully written, with their state.
 *
 * <p>State: the head's state is kept in memory as a {@link WorldState}, rebuilt at open from LanesDB's listing of the
 * head version under original addresses and slots (the preimages) and checked against the head's state root. An
 * older kept block's state is read the same way from its own LanesDB version (no undo records); the last few are
 * cached.
 *
 * <p>Not thread-safe: the node calls it from its chain thread.
 */
public final class LanesChainStore implements ChainStore {
    static final String FORMAT = "lanes-chain-lanesdb-v1";
    /** The file that says which store made the directory. */
    public static final String MARKER = "LANES-STORE";
    private static final List<String> FAMILIES = List.of("default", "headers", "bodies", "receipts", "hashes", "txs");
    private static final byte[] K_FORMAT = bytes("format"), K_CHAIN_ID = bytes("chainId"), K_HEAD = bytes("head"),
            K_GENESIS_STATE = bytes("genesisState"), K_FIRST_STATE = bytes("firstState");
    private static final int BLOCK_CACHE = 256, STATE_CACHE = 4;

    static {
        RocksDB.loadLibrary();
    }

    private final Path dir;
    private final int stateHistory;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions cfOptions;
    private final WriteOptions sync = new WriteOptions().setSync(true);
    private final RocksDB db;
    private final List<ColumnFamilyHandle> handles;
    private final ColumnFamilyHandle meta, headers, bodies, receipts, hashes, txs;
    private LanesDb lanes;

    private Block head;
    private WorldState headState, genesisState;
    /** The oldest block above genesis whose state is kept (states of blocks firstState..head, and genesis). */
    private long firstState = 1;
    private final LinkedHashMap<Long, Block> blocks = lru(BLOCK_CACHE);
    private final LinkedHashMap<Long, WorldState> states = lru(STATE_CACHE);

    private static <V> LinkedHashMap<Long, V> lru(int size) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override protected boolean removeEldestEntry(Map.Entry<Long, V> e) {
                return size() > size;
            }
        };
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Opens (creating it when missing or empty) the data directory {@code dir} for chain {@code chainId}, brings the
     * state store back to the head (see the class comment), loads the head's state and checks its root.
     *
     * @throws StoreException when the directory is locked, not a Lanes store of this kind, for another chain, or
     *                        corrupt
     */
    public static LanesChainStore open(Path dir, long chainId, int stateHistory) {
        return new LanesChainStore(dir, chainId, stateHistory);
    }

    private LanesChainStore(Path dir, long chainId, int stateHistory) {
        if (stateHistory < 1) throw new IllegalArgumentException("stateHistory must be at least 1");
        this.dir = dir;
        this.stateHistory = stateHistory;
        prepareDirectory(dir);
        dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true).setParanoidChecks(true);
        cfOptions = new ColumnFamilyOptions();
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        for (String f : FAMILIES) descriptors.add(new ColumnFamilyDescriptor(bytes(f), cfOptions));
        handles = new ArrayList<>();
        try {
            db = RocksDB.open(dbOptions, dir.resolve("blocks").toString(), descriptors, handles);
        } catch (RocksDBException e) {
            closeOptions();
            String m = String.valueOf(e.getMessage());
            if (m.contains("lock")) throw new StoreException("data directory " + dir + " is in use by another process (" + m + ")", e);
            throw new StoreException("cannot open data directory " + dir + ": " + m, e);
        }
        meta = handles.get(0);
        headers = handles.get(1);
        bodies = handles.get(2);
        receipts = handles.get(3);
        hashes = handles.get(4);
        txs = handles.get(5);
        try {
            lanes = LanesDb.open(dir.resolve("state"),
                    LanesDb.Options.defaults().withKeepVersions(stateHistory + 1).withPreimages(true));
            load(chainId);
        } catch (StoreException e) {
            close();
            throw e;
        } catch (RocksDBException | RuntimeException e) {
            close();
            String m = String.valueOf(e.getMessage());
            if (m.contains("in use")) throw new StoreException("data directory " + dir + " is in use by another process (" + m + ")", e);
            throw new StoreException("data directory " + dir + " is corrupt: " + m, e);
        }
    }

    /**
     * A missing or empty directory is created with the marker (written before anything else, so a directory with
     * our files always has it); a non-empty one must carry the marker: another store's directory, or anything else,
     * is refused before a byte is written into it.
     */
    private static void prepareDirectory(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) throw new StoreException("data directory " + dir + " is not a directory");
        boolean empty;
        try (var entries = Files.exists(dir) ? Files.list(dir) : null) {
            empty = entries == null || entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new StoreException("cannot read data directory " + dir + ": " + e.getMessage(), e);
        }
        try {
            if (empty) {
                Files.createDirectories(dir);
                Path tmp = dir.resolve(MARKER + ".tmp");
                Files.write(tmp, bytes(StoreKind.LANESDB.id() + "\n"));
                try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
                Files.move(tmp, dir.resolve(MARKER), StandardCopyOption.ATOMIC_MOVE);
                try (var d = java.nio.channels.FileChannel.open(dir, java.nio.file.StandardOpenOption.READ)) {
                    d.force(true);
                } catch (IOException ignored) {
                    // some file systems refuse to fsync a directory
                }
                return;
            }
        } catch (IOException e) {
            throw new StoreException("cannot create data directory " + dir + ": " + e.getMessage(), e);
        }
        StoreKind.refuseOther(dir, StoreKind.LANESDB);
        Path marker = dir.resolve(MARKER);
        if (!Files.exists(marker))
            throw new StoreException("data directory " + dir + " is not empty and holds no Lanes chain (no " + MARKER + " file in it)");
        try {
            String kind = Files.readString(marker, StandardCharsets.UTF_8).trim();
            if (!kind.equals(StoreKind.LANESDB.id()))
                throw new StoreException("data directory " + dir + " was made by an unknown store (" + MARKER + " says " + kind + ")");
        } catch (IOException e) {
            throw new StoreException("cannot read " + marker + ": " + e.getMessage(), e);
        }
    }

    private void load(long chainId) throws RocksDBException {
        byte[] format = db.get(meta, K_FORMAT);
        if (format == null) {
            if (db.get(meta, K_HEAD) != null) throw new StoreException("data directory " + dir + " has a head but no format tag");
            try (WriteBatch b = new WriteBatch()) {
                b.put(meta, K_FORMAT, bytes(FORMAT));
                b.put(meta, K_CHAIN_ID, StoreCodec.u64(chainId));
                db.write(sync, b);
            }
        } else if (!Arrays.equals(format, bytes(FORMAT))) {
            throw new StoreException("data directory " + dir + " has format " + new String(format, StandardCharsets.UTF_8)
                    + ", this version reads " + FORMAT);
        }
        byte[] id = db.get(meta, K_CHAIN_ID);
        if (id == null) throw new StoreException("data directory " + dir + " is corrupt: the chain id is missing");
        long stored = StoreCodec.u64(id);
        if (stored != chainId)
            throw new StoreException("data directory " + dir + " holds chain id " + stored + ", but the node was started with chain id "
                    + chainId + " (use another --data-dir, or the same --chain-id)");
        byte[] h = db.get(meta, K_HEAD);
        if (h == null) {
            // Nothing committed, or a genesis whose state was written but whose block was not: start empty.
            if (lanes.version() >= 0) lanes.rollback(-1);
            return;
        }
        long number = StoreCodec.u64(h);
        head = read(number);
        if (head == null) throw new StoreException("data directory " + dir + " is corrupt: head block " + number + " is missing");
        byte[] g = db.get(meta, K_GENESIS_STATE);
        if (g == null) throw new StoreException("data directory " + dir + " is corrupt: the genesis state is missing");
        genesisState = StoreCodec.state(g);
        genesisState.setBlockHashes(this::blockHash);
        byte[] f = db.get(meta, K_FIRST_STATE);
        if (f == null) throw new StoreException("data directory " + dir + " is corrupt: the first kept state is missing");
        firstState = StoreCodec.u64(f);
        // Recovery: the state store may be one append (or one truncation) ahead of the head; never behind.
        long v = lanes.version();
        if (v < number)
            throw new StoreException("data directory " + dir + " is corrupt: the state store ends at block " + v
                    + ", below head block " + number);
        if (v > number) {
            if (lanes.isReadable(number)) lanes.rollback(number);
            else if (number == 0) resetToGenesis();
            else throw new StoreException("data directory " + dir + " is corrupt: the state store is at block " + v
                        + " and no longer holds head block " + number + "'s state");
        }
        if (!lanes.root().equals(head.header().stateRoot()))
            throw new StoreException("data directory " + dir + " is corrupt: the state store's root " + lanes.root()
                    + " differs from head block " + number + "'s state root " + head.header().stateRoot());
        headState = loadState(number);
        Hash root = headState.stateRoot();
        if (!root.equals(head.header().stateRoot()))
            throw new StoreException("data directory " + dir + " is corrupt: the loaded state's root " + root
                    + " differs from head block " + number + "'s state root " + head.header().stateRoot());
    }

    /** The state of LanesDB version {@code version} (a kept block) as a WorldState under its original keys. */
    private WorldState loadState(long version) {
        WorldState s = new WorldState();
        try {
            lanes.forEachAccount(version, (a, info, slots) -> s.put(a, info.nonce(), info.balance(), codeOf(info.codeHash()), slots));
        } catch (CorruptStoreException e) {
            throw new StoreException("data directory " + dir + " is corrupt: " + e.getMessage(), e);
        }
        s.setBlockHashes(this::blockHash);
        return s;
    }

    private byte[] codeOf(Hash codeHash) {
        if (codeHash.equals(Hash.EMPTY_CODE)) return Bytes.EMPTY;
        byte[] c = lanes.code(codeHash);
        if (c == null) throw new StoreException("data directory " + dir + " is corrupt: code " + codeHash + " is missing");
        return c;
    }

    /** Empties LanesDB and commits the stored genesis state as its version 0 (a revert to genesis past the window). */
    private void resetToGenesis() {
        lanes.rollback(-1);
        lanes.commit(0, StateUpdate.of(genesisState, everything(genesisState)));
    }

    /** Every account and slot of {@code s} as touched, to write a whole state. */
    private static WorldState.Touched everything(WorldState s) {
        Map<Address, Set<UInt256>> slots = new HashMap<>();
        for (Address a : s.addresses()) slots.put(a, new HashSet<>(s.storageOf(a).keySet()));
        return new WorldState.Touched(slots, Set.of());
    }

    // ---- writes ----

    @Override public void append(Block block, WorldState postState, WorldState.Touched touched) {
        long number = block.number();
        long expected = head == null ? 0 : head.number() + 1;
        if (number != expected)
            throw new IllegalArgumentException("block " + number + " does not follow head " + (expected - 1));
        if (head != null && !block.header().parentHash().equals(head.hash()))
            throw new IllegalArgumentException("block " + number + " does not point at the head's hash");
        if (touched == null) throw new IllegalArgumentException("a persistent store needs the block's touched accounts");
        // (1) The state, as LanesDB version `number`: durable when commit returns.
        Hash root;
        try {
            root = lanes.commit(number, StateUpdate.of(postState, touched));
        } catch (RuntimeException e) {
            throw new StoreException("cannot write the state of block " + number + " to " + dir + ": " + e.getMessage(), e);
        }
        if (!root.equals(block.header().stateRoot())) {
            lanes.rollback(number - 1);
            throw new IllegalStateException("the state store's root " + root + " for block " + number
                    + " differs from the block's state root " + block.header().stateRoot());
        }
        // (2) The block and the head pointer, one synced batch: the commit point of the append.
        long first = number == 0 ? 1 : Math.max(firstState, number - stateHistory + 1);
        try (WriteBatch b = new WriteBatch()) {
            byte[] key = StoreCodec.u64(number);
            b.put(headers, key, block.header().rlp());
            b.put(bodies, key, StoreCodec.body(block));
            b.put(receipts, key, StoreCodec.receipts(block.receipts()));
            b.put(hashes, block.hash().unsafeBytes(), key);
            List<Transaction> list = block.transactions();
            for (int i = 0; i < list.size(); i++)
                b.put(txs, list.get(i).hash().unsafeBytes(), StoreCodec.txLocation(new Block.TxLocation(number, i)));
            if (number == 0) b.put(meta, K_GENESIS_STATE, StoreCodec.state(postState));
            b.put(meta, K_FIRST_STATE, StoreCodec.u64(first));
            b.put(meta, K_HEAD, key);
            db.write(sync, b);
        } catch (RocksDBException e) {
            lanes.rollback(number - 1); // keep the two in step while the process lives; open would do it too
            throw new StoreException("cannot write block " + number + " to " + dir + ": " + e.getMessage(), e);
        }
        firstState = first;
        if (number == 0) genesisState = postState;
        head = block;
        headState = postState;
        blocks.put(number, block);
    }

    /**
     * Drops the blocks above {@code number}: first one synced RocksDB batch (blocks, indexes, head pointer), then
     * LanesDB back to version {@code number} (or, for genesis when its version is no longer kept, emptied and given the
     * genesis state again). A crash between the two is finished by the next open.
     */
    @Override public void truncate(long number) {
        if (head == null || number >= head.number()) return;
        if (number < 0) throw new IllegalArgumentException("cannot truncate below genesis");
        WorldState target = state(number);
        if (target == null) throw new IllegalStateException("the state of block " + number + " is no longer kept");
        long first = number < firstState ? number : firstState; // back to genesis: its state is the only one left
        try (WriteBatch b = new WriteBatch()) {
            for (long n = head.number(); n > number; n--) {
                Block blk = byNumber(n);
                byte[] key = StoreCodec.u64(n);
                for (Transaction tx : blk.transactions()) b.delete(txs, tx.hash().unsafeBytes());
                b.delete(hashes, blk.hash().unsafeBytes());
                b.delete(headers, key);
                b.delete(bodies, key);
                b.delete(receipts, key);
            }
            b.put(meta, K_FIRST_STATE, StoreCodec.u64(first));
            b.put(meta, K_HEAD, StoreCodec.u64(number));
            db.write(sync, b);
        } catch (RocksDBException e) {
            throw new StoreException("cannot truncate " + dir + " to block " + number + ": " + e.getMessage(), e);
        }
        if (lanes.isReadable(number)) lanes.rollback(number);
        else resetToGenesis(); // number is 0 here: every other kept state is a kept LanesDB version
        for (long n = head.number(); n > number; n--) blocks.remove(n);
        states.clear();
        firstState = first;
        head = byNumber(number);
        headState = target;
    }

    // ---- reads ----

    private Hash blockHash(long number) {
        Block b = byNumber(number);
        return b == null ? Hash.ZERO : b.hash();
    }

    @Override public Block head() {
        return head;
    }

    @Override public Block byNumber(long number) {
        if (head == null || number < 0 || number > head.number()) return null;
        Block b = blocks.get(number);
        if (b != null) return b;
        try {
            b = read(number);
        } catch (RocksDBException | RuntimeException e) {
            throw new StoreException("data directory " + dir + " is corrupt: block " + number + " cannot be read: " + e.getMessage(), e);
        }
        if (b != null) blocks.put(number, b);
        return b;
    }

    private Block read(long number) throws RocksDBException {
        byte[] key = StoreCodec.u64(number);
        byte[] h = db.get(headers, key), body = db.get(bodies, key), rc = db.get(receipts, key);
        if (h == null) return null;
        if (body == null || rc == null) throw new IllegalStateException("block " + number + " has a header but no body or receipts");
        return StoreCodec.block(h, body, rc);
    }

    @Override public Block byHash(Hash hash) {
        try {
            byte[] n = db.get(hashes, hash.unsafeBytes());
            if (n == null) return null;
            Block b = byNumber(StoreCodec.u64(n));
            return b != null && b.hash().equals(hash) ? b : null;
        } catch (RocksDBException e) {
            throw new StoreException("cannot read " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override public Block.TxLocation transaction(Hash txHash) {
        try {
            byte[] v = db.get(txs, txHash.unsafeBytes());
            return v == null ? null : StoreCodec.txLocation(v);
        } catch (RocksDBException e) {
            throw new StoreException("cannot read " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The head's state as is; genesis from its stored copy; another kept block's state from its LanesDB version
     * (a walk of that version's tries: cost in proportion to the state), the last few cached.
     */
    @Override public WorldState state(long number) {
        if (head == null || number < 0 || number > head.number()) return null;
        if (number == head.number()) return headState;
        if (number == 0) return genesisState;
        if (number < firstState || !lanes.isReadable(number)) return null;
        WorldState cached = states.get(number);
        if (cached != null) return cached;
        WorldState s = loadState(number);
        states.put(number, s);
        return s;
    }

    @Override public void close() {
        if (lanes != null) {
            lanes.close();
            lanes = null;
        }
        if (handles != null) for (ColumnFamilyHandle h : handles) h.close();
        if (db != null) db.close();
        closeOptions();
    }

    private void closeOptions() {
        sync.close();
        if (cfOptions != null) cfOptions.close();
        if (dbOptions != null) dbOptions.close();
    }
}
