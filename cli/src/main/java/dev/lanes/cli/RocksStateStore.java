package dev.lanes.cli;

import dev.lanes.evm.AccountInfo;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Keccak;
import dev.lanes.primitives.UInt256;
import dev.lanes.primitives.rlp.RlpReader;
import dev.lanes.primitives.rlp.RlpWriter;
import dev.lanes.state.db.HashKeyedTrie;
import dev.lanes.state.db.StateUpdate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Statistics;
import org.rocksdb.TickerType;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The baseline of {@code lanes bench store}: the state on RocksDB the way geth's hash scheme (plus its snapshot) and
 * Besu keep it: trie nodes as RLP under their Keccak-256 hash ({@code nodes}), and flat entries for point reads
 * ({@code accounts}: keccak(address) to account RLP; {@code storage}: keccak(address) ‖ keccak(slot) to value RLP).
 * A block is one {@link WriteBatch} written with sync (durable when commit returns, as LanesDB's commit is). Roots are
 * computed by {@link HashKeyedTrie}, the same update and hashing code LanesDB uses, so the two differ only in storage.
 * Options: 512 MiB LRU block cache with index and filter blocks in it, 10-bit Bloom filters, 64 MiB write buffers
 * (3), dynamic level sizes, LZ4, two background jobs. Stale nodes are never deleted (the hash scheme's archive
 * behaviour; deleting them would only add writes). Account deletion and storage wipes are not supported (the bench
 * workload has none).
 */
final class RocksStateStore implements AutoCloseable {
    static {
        RocksDB.loadLibrary();
    }

    private final Statistics stats = new Statistics();
    private final LRUCache cache = new LRUCache(512L << 20);
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions cfOptions;
    private final RocksDB db;
    private final List<ColumnFamilyHandle> handles = new ArrayList<>();
    private final ColumnFamilyHandle nodes, accounts, storage;
    private final WriteOptions sync = new WriteOptions().setSync(true);
    private final ForkJoinPool pool;
    private Hash root = Hash.EMPTY_TRIE;
    private HashKeyedTrie accountTrie;
    long lastRootNanos;

    RocksStateStore(Path dir, int threads) throws RocksDBException {
        dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true).setStatistics(stats)
                .setMaxBackgroundJobs(2).setBytesPerSync(1 << 20);
        BlockBasedTableConfig table = new BlockBasedTableConfig().setBlockCache(cache).setFilterPolicy(new BloomFilter(10))
                .setCacheIndexAndFilterBlocks(true).setPinL0FilterAndIndexBlocksInCache(true);
        cfOptions = new ColumnFamilyOptions().setTableFormatConfig(table).setWriteBufferSize(64L << 20).setMaxWriteBufferNumber(3)
                .setLevelCompactionDynamicLevelBytes(true).setCompressionType(CompressionType.LZ4_COMPRESSION);
        List<ColumnFamilyDescriptor> cfs = List.of(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions),
                new ColumnFamilyDescriptor("nodes".getBytes(), cfOptions), new ColumnFamilyDescriptor("accounts".getBytes(), cfOptions),
                new ColumnFamilyDescriptor("storage".getBytes(), cfOptions));
        db = RocksDB.open(dbOptions, dir.toString(), cfs, handles);
        nodes = handles.get(1);
        accounts = handles.get(2);
        storage = handles.get(3);
        pool = threads > 1 ? new ForkJoinPool(threads) : null;
        accountTrie = new HashKeyedTrie(this::node, root);
    }

    private byte[] node(byte[] hash) {
        try {
            return db.get(nodes, hash);
        } catch (RocksDBException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class Work {
        byte[] hk;
        HashKeyedTrie storageTrie;
        Hash storageRoot = Hash.EMPTY_TRIE;
        List<byte[]> slotKeys = new ArrayList<>();
        List<byte[]> slotValues = new ArrayList<>();
    }

    Hash commit(StateUpdate u) throws RocksDBException {
        long t0 = System.nanoTime();
        List<StateUpdate.Account> list = u.accounts();
        int n = list.size();
        Work[] work = new Work[n];
        Runnable phaseA = () -> IntStream.range(0, n).parallel().forEach(i -> work[i] = prepare(list.get(i)));
        if (pool != null) pool.submit(phaseA).join();
        else for (int i = 0; i < n; i++) work[i] = prepare(list.get(i));
        try (WriteBatch batch = new WriteBatch()) {
            List<byte[]> keys = new ArrayList<>(n), values = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Work w = work[i];
                StateUpdate.Account a = list.get(i);
                if (w.storageTrie != null) {
                    w.storageTrie.write((h, enc) -> put(batch, nodes, h, enc));
                    for (int s = 0; s < w.slotKeys.size(); s++) {
                        byte[] v = w.slotValues.get(s);
                        if (v.length == 0) delete(batch, storage, w.slotKeys.get(s));
                        else put(batch, storage, w.slotKeys.get(s), v);
                    }
                }
                byte[] acc = encodeAccount(a.nonce(), a.balance(), w.storageRoot, a.codeHash());
                keys.add(w.hk);
                values.add(acc);
                put(batch, accounts, w.hk, acc);
            }
            accountTrie.apply(keys, values, pool);
            root = accountTrie.hash(pool);
            lastRootNanos = System.nanoTime() - t0;
            accountTrie.write((h, enc) -> put(batch, nodes, h, enc));
            for (Map.Entry<Hash, byte[]> c : u.codes().entrySet()) put(batch, handles.get(0), c.getKey().toArray(), c.getValue());
            db.write(sync, batch);
        }
        return root;
    }

    private Work prepare(StateUpdate.Account a) {
        if (a.deleted() || a.storageReset()) throw new UnsupportedOperationException("the RocksDB baseline has no account deletion or storage wipe");
        Work w = new Work();
        w.hk = Keccak.hash(a.address().unsafeBytes());
        byte[] old;
        try {
            old = db.get(accounts, w.hk);
        } catch (RocksDBException e) {
            throw new IllegalStateException(e);
        }
        w.storageRoot = old == null ? Hash.EMPTY_TRIE : storageRootOf(old);
        if (a.storage().isEmpty()) return w;
        List<byte[]> trieKeys = new ArrayList<>(a.storage().size());
        for (Map.Entry<UInt256, UInt256> e : a.storage().entrySet()) {
            byte[] sk = Keccak.hash(e.getKey().toBytes());
            byte[] v = e.getValue().isZero() ? new byte[0] : new RlpWriter().writeUInt256(e.getValue()).toByteArray();
            byte[] flat = new byte[64];
            System.arraycopy(w.hk, 0, flat, 0, 32);
            System.arraycopy(sk, 0, flat, 32, 32);
            trieKeys.add(sk);
            w.slotKeys.add(flat);
            w.slotValues.add(v);
        }
        w.storageTrie = new HashKeyedTrie(this::node, w.storageRoot);
        w.storageTrie.apply(trieKeys, w.slotValues, null);
        w.storageRoot = w.storageTrie.hash(null);
        return w;
    }

    private static void put(WriteBatch b, ColumnFamilyHandle cf, byte[] k, byte[] v) {
        try {
            b.put(cf, k, v);
        } catch (RocksDBException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void delete(WriteBatch b, ColumnFamilyHandle cf, byte[] k) {
        try {
            b.delete(cf, k);
        } catch (RocksDBException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] encodeAccount(long nonce, UInt256 balance, Hash storageRoot, Hash codeHash) {
        RlpWriter w = new RlpWriter();
        w.startList();
        w.writeLong(nonce);
        w.writeUInt256(balance);
        w.writeBytes(storageRoot.unsafeBytes());
        w.writeBytes(codeHash.unsafeBytes());
        w.endList();
        return w.toByteArray();
    }

    private static Hash storageRootOf(byte[] rlp) {
        RlpReader r = new RlpReader(rlp);
        r.enterList();
        r.skip();
        r.skip();
        return r.readHash();
    }

    AccountInfo account(Address a) throws RocksDBException {
        byte[] v = db.get(accounts, Keccak.hash(a.unsafeBytes()));
        if (v == null) return null;
        RlpReader r = new RlpReader(v);
        r.enterList();
        long nonce = r.readLong();
        UInt256 balance = r.readUInt256();
        Hash sr = r.readHash();
        return new AccountInfo(nonce, balance, r.readHash(), !sr.equals(Hash.EMPTY_TRIE));
    }

    UInt256 storage(Address a, UInt256 slot) throws RocksDBException {
        byte[] k = new byte[64];
        System.arraycopy(Keccak.hash(a.unsafeBytes()), 0, k, 0, 32);
        System.arraycopy(Keccak.hash(slot.toBytes()), 0, k, 32, 32);
        byte[] v = db.get(storage, k);
        return v == null ? UInt256.ZERO : new RlpReader(v).readUInt256();
    }

    /** The code with this hash (kept in the default column family by hash), or null. */
    byte[] code(Hash codeHash) throws RocksDBException {
        return db.get(handles.get(0), codeHash.unsafeBytes());
    }

    /** Bytes RocksDB wrote to files: write-ahead log, memtable flushes and compactions (its statistics). */
    long bytesWritten() {
        return stats.getTickerCount(TickerType.WAL_FILE_BYTES) + stats.getTickerCount(TickerType.FLUSH_WRITE_BYTES)
                + stats.getTickerCount(TickerType.COMPACT_WRITE_BYTES);
    }

    /** Flushes the memtables and waits until no compaction is pending or running, so their writes are counted. */
    void settle() throws RocksDBException, InterruptedException {
        try (FlushOptions f = new FlushOptions().setWaitForFlush(true)) {
            db.flush(f, handles);
        }
        while (true) {
            long pending = 0;
            for (ColumnFamilyHandle h : handles) pending += db.getLongProperty(h, "rocksdb.compaction-pending");
            if (pending == 0 && db.getLongProperty("rocksdb.num-running-compactions") == 0) return;
            Thread.sleep(50);
        }
    }

    Hash root() {
        return root;
    }

    void setRoot(Hash r) {
        root = r;
        accountTrie = new HashKeyedTrie(this::node, r);
    }

    @Override public void close() {
        for (ColumnFamilyHandle h : handles) h.close();
        db.close();
        sync.close();
        cfOptions.close();
        dbOptions.close();
        cache.close();
        stats.close();
        if (pool != null) pool.shutdown();
    }
}
