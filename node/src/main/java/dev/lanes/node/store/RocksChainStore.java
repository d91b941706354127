package dev.lanes.node.store;

import dev.lanes.evm.AccountChange;
import dev.lanes.evm.AccountInfo;
import dev.lanes.evm.tx.Transaction;
import dev.lanes.node.Block;
import dev.lanes.node.ChainStore;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Bytes;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.UInt256;
import dev.lanes.state.WorldState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The chain in a RocksDB data directory (docs/node.md, "Storage").
 *
 * <p>Layout, one column family each: {@code headers}, {@code bodies}, {@code receipts} by block number (8 bytes,
 * big-endian, so blocks sort in order); {@code hashes} (block hash to number); {@code txs} (transaction hash to
 * [number, index]); the latest state as flat entries, {@code accounts} (address to [nonce, balance, codeHash]),
 * {@code storage} (address || slot to value) and {@code code} (hash to code); {@code undo} (block number to the
 * previous value of every flat key the block changed); and {@code default} for the head pointer, the chain id,
 * the format tag and the genesis state.
 *
 * <p>Atomicity: everything one block changes (block, receipts, indexes, state, undo record, head pointer, pruning
 * of the oldest undo record) is one {@link WriteBatch} written with {@code sync}, so after a crash the directory
 * holds exactly the blocks whose {@code append} returned, or one more whose write had reached the log.
 *
 * <p>State: the head's state is kept in memory as a {@link WorldState} (loaded from the flat entries at open and
 * checked against the head's state root); an older block's state is that one with the undo records from the head
 * down to it applied, available for the last {@code stateHistory} blocks plus genesis (stored whole). Undo
 * records beat per-block snapshots here because a block writes only what it touched.
 *
 * <p>Not thread-safe: the node calls it from its chain thread.
 */
public final class RocksChainStore implements ChainStore {
    static final String FORMAT = "lanes-chain-v1";
    private static final List<String> FAMILIES = List.of("default", "headers", "bodies", "receipts", "hashes", "txs",
            "accounts", "storage", "code", "undo");
    private static final byte[] K_FORMAT = bytes("format"), K_CHAIN_ID = bytes("chainId"), K_HEAD = bytes("head"),
            K_GENESIS_STATE = bytes("genesisState");
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
    private final ColumnFamilyHandle meta, headers, bodies, receipts, hashes, txs, accounts, storage, code, undo;

    private Block head;
    private WorldState headState, genesisState;
    private long firstUndo; // the oldest block with an undo record (records are contiguous up to the head)
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
     * Opens (creating it when missing or empty) the data directory {@code dir} for chain {@code chainId}, loads
     * the head and its state and checks the state root.
     *
     * @throws StoreException when the directory is locked, not a Lanes store, for another chain, or corrupt
     */
    public static RocksChainStore open(Path dir, long chainId, int stateHistory) {
        return new RocksChainStore(dir, chainId, stateHistory);
    }

    private RocksChainStore(Path dir, long chainId, int stateHistory) {
        if (stateHistory < 1) throw new IllegalArgumentException("stateHistory must be at least 1");
        this.dir = dir;
        this.stateHistory = stateHistory;
        boolean fresh = checkDirectory(dir);
        if (fresh) {
            try {
                Files.createDirectories(dir);
            } catch (java.io.IOException e) {
                throw new StoreException("cannot create data directory " + dir + ": " + e, e);
            }
        }
        dbOptions = new DBOptions().setCreateIfMissing(fresh).setCreateMissingColumnFamilies(fresh).setParanoidChecks(true);
        cfOptions = new ColumnFamilyOptions();
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        for (String f : FAMILIES) descriptors.add(new ColumnFamilyDescriptor(bytes(f), cfOptions));
        handles = new ArrayList<>();
        try {
            db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
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
        accounts = handles.get(6);
        storage = handles.get(7);
        code = handles.get(8);
        undo = handles.get(9);
        try {
            load(chainId);
        } catch (StoreException e) {
            close();
            throw e;
        } catch (RocksDBException | RuntimeException e) {
            close();
            throw new StoreException("data directory " + dir + " is corrupt: " + e.getMessage(), e);
        }
    }

    /**
     * True when {@code dir} is to be created: missing or empty. A non-empty directory must be a Lanes store with
     * exactly our column families; anything else is refused before RocksDB writes a byte into it.
     */
    private static boolean checkDirectory(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) throw new StoreException("data directory " + dir + " is not a directory");
        try (var entries = Files.exists(dir) ? Files.list(dir) : null) {
            if (entries == null || entries.findAny().isEmpty()) return true;
        } catch (java.io.IOException e) {
            throw new StoreException("cannot read data directory " + dir + ": " + e.getMessage(), e);
        }
        StoreKind.refuseOther(dir, StoreKind.ROCKSDB);
        if (!Files.exists(dir.resolve("CURRENT")))
            throw new StoreException("data directory " + dir + " is not empty and holds no Lanes chain (no RocksDB database in it)");
        List<byte[]> found;
        try (Options o = new Options()) {
            found = RocksDB.listColumnFamilies(o, dir.toString());
        } catch (RocksDBException e) {
            throw new StoreException("data directory " + dir + " holds no readable database: " + e.getMessage(), e);
        }
        Set<String> names = new HashSet<>();
        for (byte[] f : found) names.add(new String(f, StandardCharsets.UTF_8));
        if (!names.equals(new HashSet<>(FAMILIES)))
            throw new StoreException("data directory " + dir + " holds a database that is not a Lanes chain (column families " + names + ")");
        return false;
    }

    private void load(long chainId) throws RocksDBException {
        byte[] format = db.get(meta, K_FORMAT);
        if (format == null) {
            // A new store (or one whose creation crashed before the tag was written): tag it, then expect genesis.
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
            headState = null;
            firstUndo = 1;
            return;
        }
        long number = StoreCodec.u64(h);
        head = read(number);
        if (head == null) throw new StoreException("data directory " + dir + " is corrupt: head block " + number + " is missing");
        byte[] g = db.get(meta, K_GENESIS_STATE);
        if (g == null) throw new StoreException("data directory " + dir + " is corrupt: the genesis state is missing");
        genesisState = StoreCodec.state(g);
        genesisState.setBlockHashes(this::blockHash);
        headState = loadFlatState();
        headState.setBlockHashes(this::blockHash);
        Hash root = headState.stateRoot();
        if (!root.equals(head.header().stateRoot()))
            throw new StoreException("data directory " + dir + " is corrupt: the stored state's root " + root
                    + " differs from head block " + number + "'s state root " + head.header().stateRoot());
        try (RocksIterator it = db.newIterator(undo)) {
            it.seekToFirst();
            firstUndo = it.isValid() ? StoreCodec.u64(it.key()) : number + 1;
        }
    }

    /** The flat account and storage entries as a WorldState (one pass over each column, both sorted by address). */
    private WorldState loadFlatState() throws RocksDBException {
        Map<Address, Map<UInt256, UInt256>> slots = new HashMap<>();
        try (RocksIterator it = db.newIterator(storage)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] k = it.key();
                if (k.length != Address.LENGTH + 32) throw new IllegalArgumentException("storage key of " + k.length + " bytes");
                Address a = Address.wrap(Arrays.copyOf(k, Address.LENGTH));
                slots.computeIfAbsent(a, x -> new HashMap<>()).put(UInt256.fromBytes(k, Address.LENGTH, 32), UInt256.fromBytes(it.value()));
            }
        }
        WorldState s = new WorldState();
        try (RocksIterator it = db.newIterator(accounts)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                if (it.key().length != Address.LENGTH) throw new IllegalArgumentException("account key of " + it.key().length + " bytes");
                Address a = Address.wrap(it.key());
                StoreCodec.Account acc = StoreCodec.account(it.value());
                Map<UInt256, UInt256> st = slots.remove(a);
                s.put(a, acc.nonce(), acc.balance(), codeOf(acc.codeHash()), st == null ? Map.of() : st);
                if (!s.account(a).codeHash().equals(acc.codeHash())) throw new IllegalArgumentException("code of " + a + " does not match its hash");
            }
        }
        if (!slots.isEmpty()) throw new IllegalArgumentException("storage of " + slots.size() + " account(s) without an account entry");
        return s;
    }

    private byte[] codeOf(Hash codeHash) throws RocksDBException {
        if (codeHash.equals(Hash.EMPTY_CODE)) return Bytes.EMPTY;
        byte[] c = db.get(code, codeHash.unsafeBytes());
        if (c == null) throw new IllegalArgumentException("code " + codeHash + " is missing");
        return c;
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
        try (WriteBatch b = new WriteBatch()) {
            byte[] key = StoreCodec.u64(number);
            b.put(headers, key, block.header().rlp());
            b.put(bodies, key, StoreCodec.body(block));
            b.put(receipts, key, StoreCodec.receipts(block.receipts()));
            b.put(hashes, block.hash().unsafeBytes(), key);
            List<Transaction> list = block.transactions();
            for (int i = 0; i < list.size(); i++)
                b.put(txs, list.get(i).hash().unsafeBytes(), StoreCodec.txLocation(new Block.TxLocation(number, i)));
            List<StoreCodec.UndoEntry> undoEntries = writeState(b, headState == null ? new WorldState() : headState, postState, touched);
            if (number == 0) b.put(meta, K_GENESIS_STATE, StoreCodec.state(postState));
            else b.put(undo, key, StoreCodec.undo(undoEntries));
            // Prune: the state of block n needs the undo records n+1..head, and states are kept for the last
            // stateHistory blocks, so records below number - stateHistory + 2 are no longer needed.
            long keepFrom = Math.max(1, number - stateHistory + 2);
            if (number > 0 && keepFrom > firstUndo) b.deleteRange(undo, StoreCodec.u64(firstUndo), StoreCodec.u64(keepFrom));
            b.put(meta, K_HEAD, key);
            db.write(sync, b);
            if (number > 0) firstUndo = Math.max(firstUndo, keepFrom);
            if (number == 0) genesisState = postState;
        } catch (RocksDBException e) {
            throw new StoreException("cannot write block " + number + " to " + dir + ": " + e.getMessage(), e);
        }
        head = block;
        headState = postState;
        blocks.put(number, block);
    }

    /**
     * Writes the flat entries that differ between {@code pre} and {@code post} among the touched keys, and returns
     * each one's previous value (the undo record). Comparing values, not trusting the touched set alone, keeps
     * the undo record to the real changes and makes a superset of touched keys harmless.
     */
    private List<StoreCodec.UndoEntry> writeState(WriteBatch b, WorldState pre, WorldState post, WorldState.Touched touched)
            throws RocksDBException {
        List<StoreCodec.UndoEntry> out = new ArrayList<>();
        for (Map.Entry<Address, Set<UInt256>> e : touched.slots().entrySet()) {
            Address a = e.getKey();
            AccountInfo before = pre.account(a), after = post.account(a);
            byte[] oldV = before == null ? null : StoreCodec.account(before.nonce(), before.balance(), before.codeHash());
            byte[] newV = after == null ? null : StoreCodec.account(after.nonce(), after.balance(), after.codeHash());
            if (!Arrays.equals(oldV, newV)) {
                byte[] k = a.toArray();
                if (newV == null) b.delete(accounts, k);
                else b.put(accounts, k, newV);
                out.add(new StoreCodec.UndoEntry(StoreCodec.ACCOUNT, k, oldV));
                // Code is content-addressed and never deleted: a rolled-back deployment leaves only an unused entry.
                if (after != null && after.hasCode() && (before == null || !before.codeHash().equals(after.codeHash())))
                    b.put(code, after.codeHash().unsafeBytes(), post.code(after.codeHash()));
            }
            Set<UInt256> keys = e.getValue();
            if (touched.wholeStorage().contains(a)) {
                keys = new HashSet<>(keys);
                keys.addAll(pre.storageOf(a).keySet());
                keys.addAll(post.storageOf(a).keySet());
            }
            for (UInt256 slot : keys) {
                UInt256 was = pre.storage(a, slot), is = post.storage(a, slot);
                if (was.equals(is)) continue;
                byte[] k = StoreCodec.storageKey(a, slot);
                if (is.isZero()) b.delete(storage, k);
                else b.put(storage, k, is.toBytes());
                out.add(new StoreCodec.UndoEntry(StoreCodec.STORAGE, k, was.isZero() ? null : was.toBytes()));
            }
        }
        return out;
    }

    @Override public void truncate(long number) {
        if (head == null || number >= head.number()) return;
        if (number < 0) throw new IllegalArgumentException("cannot truncate below genesis");
        WorldState target = state(number);
        if (target == null) throw new IllegalStateException("the state of block " + number + " is no longer kept");
        // Back to genesis after its undo records were pruned: the flat state is rewritten from the genesis copy.
        boolean rewrite = number + 1 < firstUndo;
        try (WriteBatch b = new WriteBatch()) {
            if (rewrite) {
                b.deleteRange(accounts, new byte[0], filled(Address.LENGTH + 1));
                b.deleteRange(storage, new byte[0], filled(Address.LENGTH + 33));
                WorldState.Touched all = everything(target);
                writeState(b, new WorldState(), target, all);
                b.deleteRange(undo, StoreCodec.u64(0), StoreCodec.u64(head.number() + 1));
            }
            // Newest record first: for a key several blocks changed, the oldest previous value is written last.
            for (long n = head.number(); n > number; n--) {
                if (!rewrite) {
                    for (StoreCodec.UndoEntry u : readUndo(n)) {
                        ColumnFamilyHandle cf = u.kind() == StoreCodec.ACCOUNT ? accounts : storage;
                        if (u.value() == null) b.delete(cf, u.key());
                        else b.put(cf, u.key(), u.value());
                    }
                }
                Block blk = byNumber(n);
                byte[] key = StoreCodec.u64(n);
                for (Transaction tx : blk.transactions()) b.delete(txs, tx.hash().unsafeBytes());
                b.delete(hashes, blk.hash().unsafeBytes());
                b.delete(headers, key);
                b.delete(bodies, key);
                b.delete(receipts, key);
                b.delete(undo, key);
            }
            b.put(meta, K_HEAD, StoreCodec.u64(number));
            db.write(sync, b);
        } catch (RocksDBException e) {
            throw new StoreException("cannot truncate " + dir + " to block " + number + ": " + e.getMessage(), e);
        }
        for (long n = head.number(); n > number; n--) blocks.remove(n);
        states.clear();
        head = byNumber(number);
        headState = target;
        firstUndo = rewrite ? number + 1 : Math.min(firstUndo, number + 1);
    }

    /** A key above every key shorter than {@code length} (the end of a whole-column delete range). */
    private static byte[] filled(int length) {
        byte[] k = new byte[length];
        Arrays.fill(k, (byte) 0xff);
        return k;
    }

    /** Every account and slot of {@code s} as touched, to write a whole state. */
    private static WorldState.Touched everything(WorldState s) {
        Map<Address, Set<UInt256>> slots = new HashMap<>();
        for (Address a : s.addresses()) slots.put(a, new HashSet<>(s.storageOf(a).keySet()));
        return new WorldState.Touched(slots, Set.of());
    }

    private List<StoreCodec.UndoEntry> readUndo(long n) throws RocksDBException {
        byte[] v = db.get(undo, StoreCodec.u64(n));
        if (v == null) throw new StoreException("data directory " + dir + " is corrupt: the undo record of block " + n + " is missing");
        return StoreCodec.undo(v);
    }

    // ---- reads ----

    /** What BLOCKHASH sees in the states this store loads (the chain sets the same on the states it executes). */
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
     * The head's state is returned as is; genesis from its stored copy; another kept block's state is rebuilt from
     * the head's by applying the undo records from the head down (cost: a copy of the state plus the records),
     * and the last few rebuilt are cached.
     */
    @Override public WorldState state(long number) {
        if (head == null || number < 0 || number > head.number()) return null;
        if (number == head.number()) return headState;
        if (number == 0) return genesisState;
        if (number + 1 < firstUndo) return null;
        WorldState cached = states.get(number);
        if (cached != null) return cached;
        WorldState s = headState.copy();
        try {
            for (long n = head.number(); n > number; n--) undoInto(s, readUndo(n));
        } catch (RocksDBException e) {
            throw new StoreException("cannot read " + dir + ": " + e.getMessage(), e);
        }
        states.put(number, s);
        return s;
    }

    /** Puts back the previous values of one block's undo record into {@code s}. */
    private void undoInto(WorldState s, List<StoreCodec.UndoEntry> entries) throws RocksDBException {
        Map<Address, StoreCodec.UndoEntry> accountEntries = new LinkedHashMap<>();
        Map<Address, Map<UInt256, UInt256>> slotEntries = new LinkedHashMap<>();
        for (StoreCodec.UndoEntry u : entries) {
            Address a = Address.wrap(Arrays.copyOf(u.key(), Address.LENGTH));
            if (u.kind() == StoreCodec.ACCOUNT) accountEntries.put(a, u);
            else slotEntries.computeIfAbsent(a, x -> new HashMap<>()).put(UInt256.fromBytes(u.key(), Address.LENGTH, 32),
                    u.value() == null ? UInt256.ZERO : UInt256.fromBytes(u.value()));
        }
        Set<Address> all = new java.util.LinkedHashSet<>(accountEntries.keySet());
        all.addAll(slotEntries.keySet());
        List<AccountChange> changes = new ArrayList<>();
        for (Address a : all) {
            StoreCodec.UndoEntry u = accountEntries.get(a);
            Map<UInt256, UInt256> slots = slotEntries.getOrDefault(a, Map.of());
            AccountInfo info;
            if (u != null && u.value() == null) {
                changes.add(new AccountChange(a, null, null, false, Map.of())); // did not exist before the block
                continue;
            } else if (u != null) {
                StoreCodec.Account acc = StoreCodec.account(u.value());
                info = new AccountInfo(acc.nonce(), acc.balance(), acc.codeHash(), false);
            } else {
                info = s.account(a);
                if (info == null) throw new IllegalStateException("undo record changes storage of missing account " + a);
            }
            changes.add(new AccountChange(a, info, codeOf(info.codeHash()), false, slots));
        }
        s.apply(changes);
    }

    @Override public void close() {
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
