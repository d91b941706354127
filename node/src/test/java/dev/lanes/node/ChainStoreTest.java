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
import dev.lanes.node.store.LanesChainStore;
import dev.lanes.node.store.RocksChainStore;
import dev.lanes.node.store.StoreException;
import dev.lanes.node.store.StoreKind;
import dev.lanes.state.db.LanesDb;
import dev.lanes.state.db.StateUpdate;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;

/**
 * The persistent stores ({@link RocksChainStore}, {@link LanesChainStore}) against {@link MemoryChainStore}: the same
 * blocks are mined on each (same genesis time, transactions and timestamps, so the same hashes), and everything the
 * store answers (blocks, receipts, the transaction index, every kept state, truncation) must equal the memory store's,
 * before and after a reopen. Then a long randomized run on both persistent stores at once, and LanesChainStore's
 * recovery rule (its state store ahead of the head).
 */
class ChainStoreTest {
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

    private ChainStore open(StoreKind kind) {
        return open(kind, dir);
    }

    private ChainStore open(StoreKind kind, Path where) {
        ChainStore s = kind.open(where, TestTxs.CHAIN_ID, HISTORY);
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

    @ParameterizedTest @EnumSource(StoreKind.class) void roundTripHistoryReopenAndTruncate(StoreKind kind) {
        MemoryChainStore memStore = new MemoryChainStore(HISTORY);
        Chain mem = chain(memStore);
        ChainStore store = open(kind);
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
        ChainStore again = open(kind);
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
        ChainStore third = open(kind);
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
        ChainStore fourth = open(kind); // the rewritten state passes the root check
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

    @ParameterizedTest @EnumSource(StoreKind.class) void aStoreForAnotherChainOrAnotherGenesisIsRefused(StoreKind kind) {
        ChainStore s = open(kind);
        chain(s).mine(List.of(transfer(0, 1, 0)), 2_000);
        s.close();
        open.remove(s);
        StoreException e = assertThrows(StoreException.class, () -> kind.open(dir, 5, HISTORY));
        assertTrue(e.getMessage().contains("chain id 31337"), e.getMessage());
        ChainStore t = open(kind);
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

    @Test void eachStoreRefusesTheOthersDirectoryAndLanesDbDamageIsReported() throws Exception {
        Path r = dir.resolve("r"), l = dir.resolve("l");
        chain(open(StoreKind.ROCKSDB, r));
        chain(open(StoreKind.LANESDB, l));
        for (ChainStore s : open) s.close();
        open.clear();
        StoreException e = assertThrows(StoreException.class, () -> LanesChainStore.open(r, TestTxs.CHAIN_ID, HISTORY));
        assertTrue(e.getMessage().contains("made with --store rocksdb"), e.getMessage());
        e = assertThrows(StoreException.class, () -> RocksChainStore.open(l, TestTxs.CHAIN_ID, HISTORY));
        assertTrue(e.getMessage().contains("made with --store lanesdb"), e.getMessage());

        Path foreign = dir.resolve("foreign");
        Files.createDirectories(foreign);
        Files.writeString(foreign.resolve("notes.txt"), "hello");
        e = assertThrows(StoreException.class, () -> LanesChainStore.open(foreign, 1, HISTORY));
        assertTrue(e.getMessage().contains("holds no Lanes chain"), e.getMessage());

        // A second opener while the first holds the directory.
        try (ChainStore first = LanesChainStore.open(l, TestTxs.CHAIN_ID, HISTORY)) {
            e = assertThrows(StoreException.class, () -> LanesChainStore.open(l, TestTxs.CHAIN_ID, HISTORY));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
        }
        // The preimages cut short: LanesDB refuses the store, reported as corrupt.
        Files.write(l.resolve("state").resolve("preimages.log"), new byte[0]);
        e = assertThrows(StoreException.class, () -> LanesChainStore.open(l, TestTxs.CHAIN_ID, HISTORY));
        assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
    }

    /**
     * Recovery of {@link LanesChainStore}: its state store written ahead of the head (a kill between the LanesDB
     * commit and the block's batch, or between a truncation's batch and its rollback) is rolled back at open; when
     * the head is genesis and its version was pruned, the genesis state is written again.
     */
    @Test void lanesDbAheadOfTheHeadIsRolledBackAtOpen() {
        MemoryChainStore memStore = new MemoryChainStore(HISTORY);
        Chain mem = chain(memStore);
        ChainStore store = open(StoreKind.LANESDB);
        Chain disk = chain(store);
        Address contract = Evm.createAddress(TestTxs.address(5), 0);
        for (int i = 0; i < 12; i++) {
            long[] saved = nonces.clone();
            mem.mine(txsFor(i, contract), 2_000 + i);
            System.arraycopy(saved, 0, nonces, 0, nonces.length);
            disk.mine(txsFor(i, contract), 2_000 + i);
        }
        store.close();
        open.remove(store);
        LanesDb.Options opts = LanesDb.Options.defaults().withKeepVersions(HISTORY + 1).withPreimages(true);
        // Three versions past the head (one would be the kill inside append; several, inside a truncation).
        try (LanesDb db = LanesDb.open(dir.resolve("state"), opts)) {
            for (int v = 13; v <= 15; v++) db.commit(v, junk(v));
        }
        ChainStore again = open(StoreKind.LANESDB);
        assertSameChain(memStore, again);
        again.close();
        open.remove(again);

        // A chain at genesis whose state store went on past the kept window: genesis is written again.
        Path g = dir.resolve("genesis");
        MemoryChainStore memGenesis = new MemoryChainStore(HISTORY);
        Chain mg = chain(memGenesis);
        ChainStore s = open(StoreKind.LANESDB, g);
        chain(s);
        s.close();
        open.remove(s);
        try (LanesDb db = LanesDb.open(g.resolve("state"), opts)) {
            for (int v = 1; v <= 3 * HISTORY; v++) db.commit(v, junk(v));
            assertTrue(!db.isReadable(0));
        }
        ChainStore back = open(StoreKind.LANESDB, g);
        assertSameChain(memGenesis, back);
        Block a = mg.mine(List.of(transfer(0, 1, 0)), 9_000).block();
        assertEquals(a.hash(), chain(back).mine(List.of(transfer(0, 1, 0)), 9_000).block().hash());
        assertSameChain(memGenesis, back);
    }

    /** A state change no block made (only its being there matters). */
    private static StateUpdate junk(long v) {
        return new StateUpdate().account(new StateUpdate.Account(Address.ofLow(0xdead), v, UInt256.of(v), dev.lanes.primitives.Hash.EMPTY_CODE,
                false, false, java.util.Map.of(UInt256.of(v), UInt256.ONE)));
    }

    /**
     * A long randomized run on both persistent stores at once: transfers (many to new accounts), storage writes and
     * clears in several contracts, every block on both; the blocks (so the state roots) must be equal on every block,
     * LanesChainStore checks LanesDB's own root against each header as it appends, and every few blocks both stores are
     * reopened (each reloads its state from disk and checks the head's root) and sometimes truncated a few blocks back,
     * after which every kept state must agree. Seeded; the seed is printed.
     */
    @Test void longRandomizedRunKeepsBothStoresRootsEqual() {
        long seed = System.nanoTime();
        System.out.println("ChainStoreTest random seed " + seed);
        java.util.Random rnd = new java.util.Random(seed);
        Path rd = dir.resolve("rocks"), ld = dir.resolve("lanes");
        ChainStore r = open(StoreKind.ROCKSDB, rd), l = open(StoreKind.LANESDB, ld);
        Chain rc = chain(r), lc = chain(l);
        int contracts = 3;
        List<Address> deployed = new ArrayList<>();
        long ts = 10_000;
        int blocks = Integer.getInteger("lanes.store.randomBlocks", 150);
        for (int i = 0; i < blocks; i++) {
            List<Transaction> txs = new ArrayList<>();
            if (deployed.size() < contracts) {
                int from = 5 + deployed.size();
                deployed.add(Evm.createAddress(TestTxs.address(from), nonces[from]));
                txs.add(Transaction.builder(TxType.DYNAMIC_FEE).chainId(TestTxs.CHAIN_ID).nonce(nonces[from]++).gasLimit(200_000)
                        .maxFeePerGas(TestTxs.GWEI.mul(10)).maxPriorityFeePerGas(TestTxs.GWEI).data(INIT)
                        .sign(TestTxs.ACCOUNTS.get(from).privateKey()));
            }
            int n = rnd.nextInt(12);
            for (int k = 0; k < n; k++) {
                int op = rnd.nextInt(10);
                if (op < 4 || deployed.size() < contracts) {
                    int from = rnd.nextInt(5);
                    Address to = op < 2 ? Address.ofLow(0x10000 + rnd.nextInt(5_000)) : TestTxs.address(rnd.nextInt(10));
                    txs.add(Transaction.builder(TxType.DYNAMIC_FEE).chainId(TestTxs.CHAIN_ID).nonce(nonces[from]++).gasLimit(21_000)
                            .maxFeePerGas(TestTxs.GWEI.mul(10)).maxPriorityFeePerGas(TestTxs.GWEI).to(to)
                            .value(UInt256.of(1 + rnd.nextInt(1000))).sign(TestTxs.ACCOUNTS.get(from).privateKey()));
                } else {
                    int from = 5 + rnd.nextInt(5);
                    long value = rnd.nextInt(3) == 0 ? 0 : 1 + rnd.nextInt(1_000_000);
                    txs.add(call(from, deployed.get(rnd.nextInt(contracts)), rnd.nextInt(40), value));
                }
            }
            Block a = rc.mine(txs, ts + i).block(), b = lc.mine(txs, ts + i).block();
            assertEquals(a.hash(), b.hash(), "block " + a.number() + " (seed " + seed + ")");
            assertEquals(txs.size(), a.transactions().size(), "every transaction is included");
            if (i % 25 == 24) {
                r.close();
                l.close();
                open.clear();
                r = open(StoreKind.ROCKSDB, rd);
                l = open(StoreKind.LANESDB, ld);
                if (rnd.nextBoolean()) {
                    long to = r.head().number() - 1 - rnd.nextInt(HISTORY - 1);
                    r.truncate(to);
                    l.truncate(to);
                    for (int k = 0; k < 10; k++) {
                        var acc = r.state(to).account(TestTxs.address(k));
                        nonces[k] = acc == null ? 0 : acc.nonce();
                    }
                    // Contracts whose deployment was cut off are deployed again.
                    while (!deployed.isEmpty() && r.state(to).account(deployed.getLast()) == null) deployed.removeLast();
                }
                rc = chain(r);
                lc = chain(l);
                assertSameChain(r, l);
            }
        }
        assertSameChain(r, l);
    }
}
