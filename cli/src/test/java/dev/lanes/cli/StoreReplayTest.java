package dev.lanes.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.evm.AccountChange;
import dev.lanes.evm.AccountInfo;
import dev.lanes.evm.interpreter.Evm;
import dev.lanes.executor.BlockExecutor;
import dev.lanes.executor.Prefetch;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Keccak;
import dev.lanes.primitives.UInt256;
import dev.lanes.state.ReadPool;
import dev.lanes.state.WorldState;
import dev.lanes.state.db.LanesDb;
import dev.lanes.state.db.StateUpdate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Store-backed replay ({@link StoreReplay}, {@code lanes bench store}) against in-memory execution: the same blocks
 * over LanesDB and over the RocksDB baseline, reading state from the store, give after every block the state root that
 * {@link BlockExecutor} computes on a {@link WorldState} holding the same pre-state.
 */
class StoreReplayTest {
    private static final int ACCOUNTS = 3_000, BLOCKS = 3, TXS = 40;

    /** Synthetic accounts beside the workload's (low addresses; every hundredth with 20 slots), as the bench has. */
    private static StateUpdate synthetic() {
        StateUpdate u = new StateUpdate();
        for (int i = 0; i < ACCOUNTS; i++) {
            Map<UInt256, UInt256> s = new HashMap<>();
            if (i % 100 == 0) for (int k = 0; k < 20; k++) s.put(UInt256.of(k), UInt256.of(1 + i * 31L + k));
            u.account(new StateUpdate.Account(Address.ofLow(i + 1), i % 7, UInt256.of(1_000_000L + i), Hash.EMPTY_CODE, false, false, s));
        }
        return u;
    }

    /** The roots in memory: the pre-state, then after each block. */
    private static List<Hash> inMemory(StoreReplay.Blocks blocks) {
        return StoreReplay.onEvmThread(() -> {
            WorldState state = blocks.preState();
            for (StateUpdate.Account a : synthetic().accounts()) state.put(a.address(), a.nonce(), a.balance(), new byte[0], a.storage());
            List<Hash> roots = new ArrayList<>();
            roots.add(state.stateRoot());
            try (BlockExecutor executor = new BlockExecutor(new Evm())) {
                for (int b = 0; b < blocks.count(); b++) {
                    BlockExecutor.Result r = executor.execute(blocks.workload().header(), blocks.workload().fork(), blocks.txs().get(b),
                            List.of(), 0, state, blocks.senders().get(b));
                    assertTrue(r.valid(), () -> "block invalid: " + r.invalidReason());
                    roots.add(state.stateRoot());
                }
            }
            return roots;
        });
    }

    private interface Store {
        Hash commit(long version, StateUpdate u) throws Exception;
    }

    /** The roots on a store: the synthetic accounts and the pre-state committed, then after each replayed block. */
    private static List<Hash> onStore(StoreReplay.Blocks blocks, StoreReplay.Reference ref, Store store, StoreReplay.Reads reads,
                                      BlockExecutor executor) throws Exception {
        return onStore(blocks, ref, store, reads, executor, null);
    }

    private static List<Hash> onStore(StoreReplay.Blocks blocks, StoreReplay.Reference ref, Store store, StoreReplay.Reads reads,
                                      BlockExecutor executor, ReadPool warm) throws Exception {
        store.commit(0, synthetic());
        List<Hash> roots = new ArrayList<>();
        roots.add(store.commit(1, StoreReplay.load(blocks.preState())));
        for (int b = 0; b < blocks.count(); b++) {
            long v = 2 + b;
            int block = b;
            roots.add(StoreReplay.onEvmThread(() -> StoreReplay.replayBlock(executor, blocks, block, reads, u -> store.commit(v, u), ref, warm)).root());
        }
        return roots;
    }

    /**
     * The same replay pipelined ({@link StoreReplay.Pipeline}): each block executes while the one before commits, over
     * the store with the committing block's writes above it; every root and every block's writes and gas as in memory.
     */
    private static List<Hash> pipelined(StoreReplay.Blocks blocks, StoreReplay.Reference ref, Store store, StoreReplay.Reads reads,
                                        BlockExecutor executor, ReadPool warm) throws Exception {
        store.commit(0, synthetic());
        List<Hash> roots = new ArrayList<>();
        roots.add(store.commit(1, StoreReplay.load(blocks.preState())));
        List<StoreReplay.PipelinedBlock> done = new ArrayList<>();
        try (StoreReplay.Pipeline pipe = new StoreReplay.Pipeline()) {
            for (int b = 0; b < blocks.count(); b++) {
                long v = 2 + b;
                int block = b;
                done.add(StoreReplay.onEvmThread(() -> StoreReplay.replayBlockPipelined(executor, blocks, block, reads,
                        u -> store.commit(v, u), () -> 0, warm, pipe)));
            }
            pipe.await();
        }
        for (int b = 0; b < done.size(); b++) {
            StoreReplay.check(done.get(b), b, ref);
            roots.add(done.get(b).commit().get().root());
        }
        return roots;
    }

    @Test void pipelinedReplayGivesTheInMemoryRoots(@TempDir Path dir) throws Exception {
        StoreReplay.Blocks blocks = StoreReplay.prepare("mixed", 6, TXS, 5);
        List<Hash> want = inMemory(blocks);
        StoreReplay.Reference ref = StoreReplay.onEvmThread(() -> StoreReplay.reference(blocks));
        try (LanesDb db = LanesDb.open(dir.resolve("lanes"), LanesDb.Options.defaults().withThreads(2));
             BlockExecutor executor = new BlockExecutor(1)) {
            assertEquals(want, pipelined(blocks, ref, db::commit, StoreReplay.reads(db), executor, null), "LanesDB");
        }
        try (RocksStateStore db = new RocksStateStore(dir.resolve("rocks"), 2); BlockExecutor executor = new BlockExecutor(1)) {
            assertEquals(want, pipelined(blocks, ref, (v, u) -> db.commit(u), StoreReplay.reads(db), executor, null), "RocksDB");
        }
        try (LanesDb db = LanesDb.open(dir.resolve("lanes-stm"), LanesDb.Options.defaults().withThreads(2).withKeepVersions(1));
             ReadPool pool = new ReadPool(4);
             BlockExecutor executor = new BlockExecutor(2).adaptive(false).prefetch(pool, Prefetch.EXECUTE)) {
            assertEquals(want, pipelined(blocks, ref, db::commit, StoreReplay.reads(db), executor, pool),
                    "LanesDB, one version kept, Block-STM with prefetching and trie paths warmed");
        }
    }

    /**
     * The overlay a pipelined block reads through ({@link StoreReplay#over}) answers as the store does once the update
     * is committed: deletion, re-creation with wiped storage, cleared and written slots, new code.
     */
    @Test void updateOverTheStoreReadsAsTheCommittedStore(@TempDir Path dir) {
        Address a = Address.ofLow(1), b = Address.ofLow(2), c = Address.ofLow(3), d = Address.ofLow(4), e = Address.ofLow(5);
        byte[] code = {0x60, 0x01, 0x60, 0x00};
        Hash codeHash = Keccak.hashOf(code);
        StateUpdate pre = new StateUpdate()
                .account(new StateUpdate.Account(a, 1, UInt256.of(10), Hash.EMPTY_CODE, false, false, Map.of(UInt256.of(1), UInt256.of(11), UInt256.of(2), UInt256.of(22))))
                .account(new StateUpdate.Account(b, 2, UInt256.of(20), Hash.EMPTY_CODE, false, false, Map.of(UInt256.of(1), UInt256.of(5))))
                .account(new StateUpdate.Account(d, 3, UInt256.of(30), Hash.EMPTY_CODE, false, false, Map.of(UInt256.of(3), UInt256.of(33))))
                .account(new StateUpdate.Account(e, 4, UInt256.of(40), Hash.EMPTY_CODE, false, false, Map.of(UInt256.of(4), UInt256.of(44))));
        StateUpdate u = new StateUpdate()
                .account(new StateUpdate.Account(a, 2, UInt256.of(9), Hash.EMPTY_CODE, false, false, Map.of(UInt256.of(1), UInt256.of(12), UInt256.of(2), UInt256.ZERO)))
                .account(StateUpdate.Account.deletion(b))
                .account(new StateUpdate.Account(c, 1, UInt256.ZERO, codeHash, false, true, Map.of(UInt256.of(0), UInt256.of(7))))
                .account(new StateUpdate.Account(d, 0, UInt256.of(1), Hash.EMPTY_CODE, false, true, Map.of(UInt256.of(4), UInt256.of(8))))
                .code(codeHash, code);
        try (LanesDb db = LanesDb.open(dir, LanesDb.Options.defaults())) {
            db.commit(0, pre);
            StoreReplay.Reads over = StoreReplay.over(u, StoreReplay.reads(db));
            List<AccountInfo> accounts = new ArrayList<>();
            List<UInt256> slots = new ArrayList<>();
            for (Address x : List.of(a, b, c, d, e, Address.ofLow(6))) {
                accounts.add(over.account(x));
                for (int k = 0; k < 5; k++) slots.add(over.storage(x, UInt256.of(k)));
            }
            assertEquals(code.length, over.code(codeHash).length);
            db.commit(1, u);
            int i = 0, j = 0;
            for (Address x : List.of(a, b, c, d, e, Address.ofLow(6))) {
                assertEquals(db.account(x), accounts.get(i++), "account " + x);
                for (int k = 0; k < 5; k++) assertEquals(db.storage(x, UInt256.of(k)), slots.get(j++), "slot " + k + " of " + x);
            }
        }
    }

    @Test void storeBackedReplayGivesTheInMemoryRoots(@TempDir Path dir) throws Exception {
        StoreReplay.Blocks blocks = StoreReplay.prepare("mixed", BLOCKS, TXS, 3);
        List<Hash> want = inMemory(blocks);
        StoreReplay.Reference ref = StoreReplay.onEvmThread(() -> StoreReplay.reference(blocks));
        for (long gas : ref.gas()) assertTrue(gas > TXS * 21_000L, "blocks do work: " + gas);

        // sequentially; with Block-STM on two threads and a read pool running each transaction ahead and loading trie paths
        try (LanesDb db = LanesDb.open(dir.resolve("lanes"), LanesDb.Options.defaults().withThreads(2));
             BlockExecutor executor = new BlockExecutor(1)) {
            List<Hash> got = onStore(blocks, ref, db::commit, StoreReplay.reads(db), executor);
            assertEquals(want, got, "LanesDB");
        }
        try (RocksStateStore db = new RocksStateStore(dir.resolve("rocks"), 2); BlockExecutor executor = new BlockExecutor(1)) {
            List<Hash> got = onStore(blocks, ref, (v, u) -> db.commit(u), StoreReplay.reads(db), executor);
            assertEquals(want, got, "RocksDB");
        }
        try (LanesDb db = LanesDb.open(dir.resolve("lanes-stm"), LanesDb.Options.defaults().withThreads(2));
             ReadPool pool = new ReadPool(4);
             BlockExecutor executor = new BlockExecutor(2).adaptive(false).prefetch(pool, Prefetch.EXECUTE)) {
            List<Hash> got = onStore(blocks, ref, db::commit, StoreReplay.reads(db), executor, pool);
            assertEquals(want, got, "LanesDB, Block-STM with prefetching and trie paths warmed");
        }
    }

    /**
     * A state over the store answers as {@link WorldState#apply} leaves a whole state: deletion, re-creation, balance
     * deltas, slots; and its touched keys commit to the same root.
     */
    @Test void stateOverTheStoreFollowsWorldStateApply(@TempDir Path dir) {
        Address a = Address.ofLow(1), b = Address.ofLow(2), c = Address.ofLow(3);
        byte[] code = {0x60, 0x00};
        Hash codeHash = Keccak.hashOf(code);
        WorldState mem = new WorldState();
        mem.put(a, 1, UInt256.of(100), new byte[0], Map.of(UInt256.of(1), UInt256.of(11), UInt256.of(2), UInt256.of(22)));
        mem.put(b, 2, UInt256.of(200), new byte[0], Map.of());
        try (LanesDb db = LanesDb.open(dir, LanesDb.Options.defaults())) {
            db.commit(0, StoreReplay.load(mem));
            WorldState o = WorldState.over(StoreReplay.reader(StoreReplay.reads(db)));
            o.trackChanges();
            List<List<AccountChange>> txs = List.of(
                    // a: slot 1 changed, a balance delta of 5 (balance never read)
                    List.of(new AccountChange(a, new AccountInfo(1, null, Hash.EMPTY_CODE, true), null, false, Map.of(UInt256.of(1), UInt256.of(12)), UInt256.of(5))),
                    // b deleted; c created with code and a slot
                    List.of(new AccountChange(b, null, null, true, Map.of()),
                            new AccountChange(c, new AccountInfo(1, UInt256.of(7), codeHash, true), code, true, Map.of(UInt256.of(9), UInt256.of(99)))),
                    // b created anew with a balance delta; a's slot 2 cleared
                    List.of(new AccountChange(b, new AccountInfo(0, null, Hash.EMPTY_CODE, false), null, false, Map.of(), UInt256.of(3)),
                            new AccountChange(a, new AccountInfo(2, UInt256.of(50), Hash.EMPTY_CODE, true), null, false, Map.of(UInt256.of(2), UInt256.ZERO))));
            for (List<AccountChange> tx : txs) {
                mem.apply(tx);
                o.apply(tx);
            }
            for (Address x : List.of(a, b, c)) {
                AccountInfo m = mem.account(x), s = o.account(x);
                assertEquals(m.nonce(), s.nonce(), x + " nonce");
                assertEquals(m.balance(), s.balance(), x + " balance");
                assertEquals(m.codeHash(), s.codeHash(), x + " code hash");
                for (int k = 0; k < 10; k++) assertEquals(mem.storage(x, UInt256.of(k)), o.storage(x, UInt256.of(k)), x + " slot " + k);
            }
            assertEquals(UInt256.of(50), o.account(a).balance());
            assertEquals(UInt256.of(3), o.account(b).balance());
            assertFalse(o.hasStorage(b));
            assertTrue(o.hasStorage(c));
            assertEquals(code.length, o.code(codeHash).length);
            // committed, the store holds what memory holds
            mem.stateRoot();
            assertEquals(mem.stateRoot(), db.commit(1, StateUpdate.of(o, o.touched())));
            WorldState next = WorldState.over(StoreReplay.reader(StoreReplay.reads(db)));
            assertEquals(UInt256.of(99), next.storage(c, UInt256.of(9)));
            assertNull(next.account(Address.ofLow(4)));
        }
    }
}
