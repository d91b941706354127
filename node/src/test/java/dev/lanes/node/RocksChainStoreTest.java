package dev.lanes.node;

import static dev.lanes.node.TestTxs.transfer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.evm.interpreter.Evm;
import dev.lanes.evm.tx.Transaction;
import dev.lanes.evm.tx.TxType;
import dev.lanes.executor.BlockExecutor;
import dev.lanes.executor.Receipt;
import dev.lanes.node.store.RocksChainStore;
import dev.lanes.node.store.StoreException;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hex;
import dev.lanes.primitives.UInt256;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;

/**
 * {@link RocksChainStore} against {@link MemoryChainStore}: the same blocks are mined on both (same genesis time,
 * transactions and timestamps, so the same hashes), and everything the store answers (blocks, receipts, the
 * transaction index, every kept state, truncation) must equal the memory store's, before and after a reopen.
 */
class RocksChainStoreTest {
    static final int HISTORY = 6;
    /** Runtime: sstore(calldata[0:32], calldata[32:64]); log1(topic = the key). Init code returns it. */
    static final byte[] INIT = Hex.decode("6f6020356000355560003560006000a1006000526010" + "6010f3");

    @TempDir Path dir;
    private final BlockExecutor executor = new BlockExecutor(1).chainId(TestTxs.CHAIN_ID);
    private final NodeConfig config = NodeConfig.defaults().withMining(true, null);
    private final List<ChainStore> open = new ArrayList<>();
    private final long[] nonces = new long[10];

    @AfterEach void close() {
        for (ChainStore s : open) s.close();
        executor.close();
    }

    private RocksChainStore rocks() {
        RocksChainStore s = RocksChainStore.open(dir, TestTxs.CHAIN_ID, HISTORY);
        open.add(s);
        return s;
    }

    private Chain chain(ChainStore store) {
        return new Chain(config, store, executor, TestTxs.ACCOUNTS, 1_000);
    }

    private Transaction call(int from, Address to, long key, long value) {
        byte[] data = new byte[64];
        System.arraycopy(UInt256.of(key).toBytes(), 0, data, 0, 32);
        System.arraycopy(UInt256.of(value).toBytes(), 0, data, 32, 32);
        return Transaction.builder(TxType.DYNAMIC_FEE).chainId(TestTxs.CHAIN_ID).nonce(nonces[from]++).gasLimit(100_000)
                .maxFeePerGas(TestTxs.GWEI.mul(10)).maxPriorityFeePerGas(TestTxs.GWEI).to(to).data(data)
                .sign(TestTxs.ACCOUNTS.get(from).privateKey());
    }

    /** Block i's transactions: transfers (some to new accounts), a deployment, storage writes, overwrites, clears. */
    private List<Transaction> txsFor(int i, Address contract) {
        List<Transaction> txs = new ArrayList<>();
        txs.add(transfer(i % 4, 1 + i % 3, nonces[i % 4]++));
        txs.add(Transaction.builder(TxType.DYNAMIC_FEE).chainId(TestTxs.CHAIN_ID).nonce(nonces[4]++).gasLimit(21_000)
                .maxFeePerGas(TestTxs.GWEI.mul(10)).maxPriorityFeePerGas(TestTxs.GWEI).to(Address.ofLow(0x1000 + i))
                .value(UInt256.of(1 + i)).sign(TestTxs.ACCOUNTS.get(4).privateKey()));
        if (i == 1) {
            txs.add(Transaction.builder(TxType.DYNAMIC_FEE).chainId(TestTxs.CHAIN_ID).nonce(nonces[5]++).gasLimit(200_000)
                    .maxFeePerGas(TestTxs.GWEI.mul(10)).maxPriorityFeePerGas(TestTxs.GWEI).data(INIT)
                    .sign(TestTxs.ACCOUNTS.get(5).privateKey()));
        } else if (i > 1) {
            txs.add(call(6, contract, i % 5, i));      // new slots, then overwrites
            if (i % 3 == 0) txs.add(call(6, contract, (i + 1) % 5, 0)); // clears
        }
        return txs;
    }

    private static void assertSameBlock(Block want, Block got) {
        assertEquals(want.header(), got.header());
        assertEquals(want.hash(), got.hash());
        assertEquals(want.size(), got.size());
        assertEquals(want.senders(), got.senders());
        assertEquals(want.transactions().size(), got.transactions().size());
        for (int i = 0; i < want.transactions().size(); i++) {
            assertArrayEquals(want.transactions().get(i).encoded(), got.transactions().get(i).encoded());
            Receipt a = want.receipts().get(i), b = got.receipts().get(i);
            assertArrayEquals(a.encoded(), b.encoded());
            assertEquals(a.gasUsed(), b.gasUsed());
        }
    }

    /** Blocks, the tx index and every state (kept or not) of {@code got} equal {@code want}'s. */
    private static void assertSameChain(ChainStore want, ChainStore got) {
        assertEquals(want.head().number(), got.head().number());
        for (long n = 0; n <= want.head().number() + 1; n++) {
            Block w = want.byNumber(n), g = got.byNumber(n);
            if (w == null) {
                assertNull(g);
                continue;
            }
            assertSameBlock(w, g);
            assertSameBlock(w, got.byHash(w.hash()));
            for (int i = 0; i < w.transactions().size(); i++)
                assertEquals(new Block.TxLocation(n, i), got.transaction(w.transactions().get(i).hash()));
            var ws = want.state(n);
            var gs = got.state(n);
            if (ws == null) assertNull(gs, "state " + n + " should not be kept");
            else assertEquals(ws.stateRoot(), gs.stateRoot(), "state of block " + n);
        }
    }

    @Test void roundTripHistoryReopenAndTruncate() {
        MemoryChainStore memStore = new MemoryChainStore(HISTORY);
        Chain mem = chain(memStore);
        RocksChainStore store = rocks();
        Chain disk = chain(store);
        Address contract = Evm.createAddress(TestTxs.address(5), 0);
        long ts = 2_000;
        for (int i = 0; i < 20; i++) {
            long[] saved = nonces.clone();
            Block a = mem.mine(txsFor(i, contract), ts + i).block();
            System.arraycopy(saved, 0, nonces, 0, nonces.length);
            Block b = disk.mine(txsFor(i, contract), ts + i).block();
            assertEquals(a.hash(), b.hash(), "block " + i);
            assertTrue(a.receipts().stream().allMatch(r -> r.status() == 1), "every transaction succeeds");
        }
        assertTrue(memStore.state(20).storageOf(contract).size() >= 2, "the contract holds storage");
        assertSameChain(memStore, store);

        // Reopen: the same chain, states rebuilt from the flat entries and undo records.
        store.close();
        open.remove(store);
        RocksChainStore again = rocks();
        assertSameChain(memStore, again);

        // Truncate (evm_revert) inside the kept window, reopen, and continue: both stores stay identical.
        Transaction kept = memStore.byNumber(17).transactions().getFirst(), dropped = memStore.byNumber(18).transactions().getFirst();
        var droppedBlock = memStore.byNumber(18).hash();
        memStore.truncate(17);
        again.truncate(17);
        assertSameChain(memStore, again);
        assertNotNull(again.transaction(kept.hash()));
        assertNull(again.transaction(dropped.hash()));
        assertNull(again.byHash(droppedBlock));
        again.close();
        open.remove(again);
        RocksChainStore third = rocks();
        assertSameChain(memStore, third);
        Chain disk3 = chain(third);
        for (int i = 0; i < 10; i++) {
            // The nonces go on from the truncated head's state.
            for (int k = 0; k < 10; k++) {
                var acc = memStore.state(memStore.head().number()).account(TestTxs.address(k));
                nonces[k] = acc == null ? 0 : acc.nonce();
            }
            long[] saved = nonces.clone();
            Block a = mem.mine(txsFor(30 + i, contract), 3_000 + i).block();
            System.arraycopy(saved, 0, nonces, 0, nonces.length);
            Block b = disk3.mine(txsFor(30 + i, contract), 3_000 + i).block();
            assertEquals(a.hash(), b.hash());
        }
        assertSameChain(memStore, third);

        // Back to genesis, whose undo records were pruned long ago (evm_revert to a snapshot taken at start).
        assertNull(third.state(1));
        memStore.truncate(0);
        third.truncate(0);
        assertSameChain(memStore, third);
        third.close();
        open.remove(third);
        RocksChainStore fourth = rocks(); // the rewritten flat state passes the root check
        assertSameChain(memStore, fourth);
        Arrays.fill(nonces, 0);
        Chain disk4 = chain(fourth);
        for (int i = 0; i < 3; i++) {
            long[] saved = nonces.clone();
            Block a = mem.mine(txsFor(i, contract), 4_000 + i).block();
            System.arraycopy(saved, 0, nonces, 0, nonces.length);
            assertEquals(a.hash(), disk4.mine(txsFor(i, contract), 4_000 + i).block().hash());
        }
        assertSameChain(memStore, fourth);
    }

    @Test void aStoreForAnotherChainOrAnotherGenesisIsRefused() {
        RocksChainStore s = rocks();
        chain(s).mine(List.of(transfer(0, 1, 0)), 2_000);
        s.close();
        open.remove(s);
        StoreException e = assertThrows(StoreException.class, () -> RocksChainStore.open(dir, 5, HISTORY));
        assertTrue(e.getMessage().contains("chain id 31337"), e.getMessage());
        RocksChainStore t = rocks();
        e = assertThrows(StoreException.class,
                () -> new Chain(config, t, executor, DevAccounts.derive(DevAccounts.TEST_MNEMONIC, 3), 1_000));
        assertTrue(e.getMessage().contains("genesis"), e.getMessage());
    }

    @Test void aForeignOrCorruptDirectoryIsRefusedWithAMessage() throws Exception {
        Path foreign = dir.resolve("foreign");
        Files.createDirectories(foreign);
        Files.writeString(foreign.resolve("notes.txt"), "hello");
        StoreException e = assertThrows(StoreException.class, () -> RocksChainStore.open(foreign, 1, HISTORY));
        assertTrue(e.getMessage().contains("holds no Lanes chain"), e.getMessage());

        Path file = dir.resolve("a-file");
        Files.writeString(file, "x");
        assertThrows(StoreException.class, () -> RocksChainStore.open(file, 1, HISTORY));

        // Another RocksDB database (only the default column family).
        Path other = dir.resolve("other");
        try (org.rocksdb.Options o = new org.rocksdb.Options().setCreateIfMissing(true); RocksDB db = RocksDB.open(o, other.toString())) {
            db.put("k".getBytes(StandardCharsets.UTF_8), "v".getBytes(StandardCharsets.UTF_8));
        }
        e = assertThrows(StoreException.class, () -> RocksChainStore.open(other, 1, HISTORY));
        assertTrue(e.getMessage().contains("not a Lanes chain"), e.getMessage());

        // A changed balance in the flat state: the loaded state's root no longer matches the head's.
        Path chainDir = dir.resolve("chain");
        RocksChainStore s = RocksChainStore.open(chainDir, TestTxs.CHAIN_ID, HISTORY);
        chain(s).mine(List.of(transfer(0, 1, 0)), 2_000);
        s.close();
        List<ColumnFamilyDescriptor> cfs = new ArrayList<>();
        for (byte[] name : RocksDB.listColumnFamilies(new org.rocksdb.Options(), chainDir.toString()))
            cfs.add(new ColumnFamilyDescriptor(name));
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions o = new DBOptions(); RocksDB db = RocksDB.open(o, chainDir.toString(), cfs, handles)) {
            ColumnFamilyHandle accounts = null;
            for (ColumnFamilyHandle h : handles) if (new String(h.getName(), StandardCharsets.UTF_8).equals("accounts")) accounts = h;
            byte[] key = TestTxs.address(9).toArray();
            byte[] v = db.get(accounts, key);
            v[v.length - 40] ^= 1; // a bit of the balance
            db.put(accounts, key, v);
            for (ColumnFamilyHandle h : handles) h.close();
        }
        e = assertThrows(StoreException.class, () -> RocksChainStore.open(chainDir, TestTxs.CHAIN_ID, HISTORY));
        assertTrue(e.getMessage().contains("corrupt"), e.getMessage());

        // A second opener while the first holds the directory.
        Path locked = dir.resolve("locked");
        try (RocksChainStore first = RocksChainStore.open(locked, TestTxs.CHAIN_ID, HISTORY)) {
            e = assertThrows(StoreException.class, () -> RocksChainStore.open(locked, TestTxs.CHAIN_ID, HISTORY));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
        }
    }
}
