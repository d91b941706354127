package dev.lanes.executor.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.evm.AccountInfo;
import dev.lanes.evm.EvmThreads;
import dev.lanes.evm.StateReader;
import dev.lanes.executor.BlockExecutor;
import dev.lanes.executor.Prefetch;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.UInt256;
import dev.lanes.state.ReadPool;
import dev.lanes.state.WorldState;
import dev.lanes.state.db.StateUpdate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Blocks executed on a state {@link WorldState#over over a store} give what they give on the whole state in memory:
 * the random blocks of {@link RandomBlocks} (hot accounts and slots, reverts, CREATE/CREATE2, SELFDESTRUCT, storage
 * wipes, nonce chains, blob and set-code transactions), run sequentially, with Block-STM on 2 and 4 threads, and with a
 * {@link ReadPool} prefetching ({@link Prefetch#KEYS} and {@link Prefetch#EXECUTE}) beside them, and with Block-STM's
 * reads not waiting for a slow store (20 us a read): a transaction is suspended until the pool has loaded its read. Each run's receipts,
 * gas, bloom and receipts root must equal the in-memory reference's, and the store's pre-state with the run's
 * {@link StateUpdate} (made from {@link WorldState#touched()}, as a store commits it) must have the reference's
 * post-state root. The store counts its reads, so the test also checks that each key is read from it at most a few
 * times (read-through: held once read) and that the prefetching runs read it at all from the pool.
 */
class StoreBackedStateTest {
    private static final int BLOCKS = Integer.getInteger("lanes.storeBacked.blocks", 300);

    /** A store: the pre-state in memory behind the narrow reader interface, counting reads per thread kind. */
    static final class CountingStore implements StateReader {
        final WorldState inner;
        final AtomicLong reads = new AtomicLong(), poolReads = new AtomicLong();
        /** Each read takes at least this long (a disk), so that reads overlap execution. */
        final long delayNanos;

        CountingStore(WorldState inner, long delayNanos) {
            this.inner = inner;
            this.delayNanos = delayNanos;
        }

        CountingStore(WorldState inner) {
            this(inner, 0);
        }

        private void count() {
            if (delayNanos > 0) java.util.concurrent.locks.LockSupport.parkNanos(delayNanos);
            reads.incrementAndGet();
            if (Thread.currentThread().getName().startsWith("lanes-read-")) poolReads.incrementAndGet();
        }

        @Override public AccountInfo account(Address a) {
            count();
            return inner.account(a);
        }

        @Override public UInt256 storage(Address a, UInt256 k) {
            count();
            return inner.storage(a, k);
        }

        @Override public byte[] code(Hash h) {
            count();
            return inner.code(h);
        }

        @Override public Hash blockHash(long n) {
            return inner.blockHash(n);
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(600) // a suspended transaction never resumed would hang the block: fail instead
    void blocksOnAStoreBackedStateMatchTheWholeState() throws Exception {
        ReadPool pool = new ReadPool(4);
        BlockExecutor reference = new BlockExecutor(1);
        BlockExecutor seq = new BlockExecutor(1);
        BlockExecutor stm2 = new BlockExecutor(2).adaptive(false);
        BlockExecutor stm4Keys = new BlockExecutor(4).adaptive(false).prefetch(pool, Prefetch.KEYS);
        BlockExecutor seqExec = new BlockExecutor(1).prefetch(pool, Prefetch.EXECUTE);
        BlockExecutor stm2Exec = new BlockExecutor(2).adaptive(false).prefetch(pool, Prefetch.EXECUTE);
        // Block-STM with reads that do not wait (a transaction is suspended until its read arrives), on a slow store
        BlockExecutor stm2Async = new BlockExecutor(2).adaptive(false).prefetch(pool, Prefetch.NONE).asyncReads(true);
        BlockExecutor stm3AsyncExec = new BlockExecutor(3).adaptive(false).prefetch(pool, Prefetch.EXECUTE).asyncReads(true);
        BlockExecutor[] runs = {seq, stm2, stm4Keys, seqExec, stm2Exec, stm2Async, stm3AsyncExec};
        long[] delays = {0, 0, 0, 0, 0, 20_000, 20_000};
        long poolReads = 0;
        try {
            String failure = EvmThreads.call("store-backed-test", () -> {
                for (int k = 0; k < BLOCKS; k++) {
                    RandomBlocks.Block block = RandomBlocks.generate(1000 + k);
                    Address[] senders = BlockExecutor.recoverSenders(block.txs(), block.fork(), null, new BlockExecutor.SenderError[1]);
                    ParallelDifferentialTest.Outcome want = ParallelDifferentialTest.execute(reference, block, senders);
                    for (int r = 0; r < runs.length; r++) {
                        CountingStore store = new CountingStore(block.freshState(), delays[r]);
                        WorldState over = WorldState.over(store);
                        over.trackChanges();
                        BlockExecutor.Result res = runs[r].execute(block.header(), block.fork(), block.txs(), block.withdrawals(),
                                block.uncles(), over, senders);
                        WorldState post = block.freshState();
                        applyTo(post, StateUpdate.of(over, over.touched()));
                        ParallelDifferentialTest.Outcome got = new ParallelDifferentialTest.Outcome(res.invalidTx(), res.invalidReason(),
                                List.copyOf(res.receipts()), res.gasUsed(), res.blobGasUsed(), res.logsBloom().clone(), res.receiptsRoot(),
                                res.requestsHash(), post.stateRoot());
                        String d = ParallelDifferentialTest.compare(want, got, block);
                        if (d != null) return block.describe() + ", run " + r + ": " + d;
                        STORE_READS.addAndGet(store.reads.get());
                        if (delays[r] > 0) READ_WAITS.addAndGet(runs[r].lastReadWaits());
                        POOL_READS.addAndGet(store.poolReads.get());
                    }
                }
                return null;
            });
            assertNull(failure, failure);
            poolReads = POOL_READS.get();
        } finally {
            for (BlockExecutor e : runs) e.close();
            reference.close();
            pool.close();
        }
        System.out.printf("StoreBackedStateTest: %d blocks x %d runs; %d store reads (%d by the read pool); %d Block-STM"
                + " executions suspended for a read%n", BLOCKS, runs.length, STORE_READS.get(), poolReads, READ_WAITS.get());
        assertTrue(poolReads > 0, "the read pool never read from the store");
        assertTrue(READ_WAITS.get() > BLOCKS, "Block-STM was suspended for reads only " + READ_WAITS.get() + " times");
        assertTrue(STORE_READS.get() > 0);
    }

    private static final AtomicLong STORE_READS = new AtomicLong(), POOL_READS = new AtomicLong(), READ_WAITS = new AtomicLong();

    /** A state over a store reads each key from it once, keeps its own writes, and refuses what needs the whole state. */
    @Test
    void readsThroughOnceAndKeepsItsWrites() {
        WorldState base = new WorldState();
        Address a = Address.ofLow(0xa1), b = Address.ofLow(0xb2), gone = Address.ofLow(0xc3);
        base.put(a, 3, UInt256.of(100), new byte[] {0x60, 0x00}, Map.of(UInt256.ONE, UInt256.of(7), UInt256.of(2), UInt256.of(9)));
        base.put(gone, 1, UInt256.of(5), new byte[0], Map.of());
        CountingStore store = new CountingStore(base);
        WorldState s = WorldState.over(store);
        s.trackChanges();
        assertEquals(3, s.account(a).nonce());
        assertEquals(UInt256.of(7), s.storage(a, UInt256.ONE));
        assertEquals(UInt256.of(7), s.storage(a, UInt256.ONE));
        assertNull(s.account(b));
        assertNull(s.account(b));
        assertEquals(3, store.reads.get(), "each key read from the store once");
        assertTrue(s.account(a).hasStorage());

        // writes: a slot cleared stays zero (not the store's 9); a deleted account stays deleted; a new one is complete
        s.apply(List.of(change(a, 4, 90, s.account(a).codeHash(), false, Map.of(UInt256.of(2), UInt256.ZERO, UInt256.of(3), UInt256.of(11))),
                new dev.lanes.evm.AccountChange(gone, null, null, true, Map.of()),
                change(b, 0, 1, Hash.EMPTY_CODE, true, Map.of(UInt256.ONE, UInt256.of(5)))));
        assertEquals(UInt256.ZERO, s.storage(a, UInt256.of(2)));
        assertEquals(UInt256.of(11), s.storage(a, UInt256.of(3)));
        assertEquals(UInt256.of(7), s.storage(a, UInt256.ONE));
        assertNull(s.account(gone));
        assertEquals(UInt256.of(5), s.storage(b, UInt256.ONE));
        assertEquals(UInt256.ZERO, s.storage(b, UInt256.of(2)));

        // the update brings the store's state to this one
        WorldState expect = base.copy();
        expect.apply(List.of(change(a, 4, 90, base.account(a).codeHash(), false, Map.of(UInt256.of(2), UInt256.ZERO, UInt256.of(3), UInt256.of(11))),
                new dev.lanes.evm.AccountChange(gone, null, null, true, Map.of()),
                change(b, 0, 1, Hash.EMPTY_CODE, true, Map.of(UInt256.ONE, UInt256.of(5)))));
        WorldState post = base.copy();
        applyTo(post, StateUpdate.of(s, s.touched()));
        assertEquals(expect.stateRoot(), post.stateRoot());

        assertThrows(UnsupportedOperationException.class, s::stateRoot);
        assertThrows(UnsupportedOperationException.class, s::copy);
    }

    private static dev.lanes.evm.AccountChange change(Address a, long nonce, long balance, Hash codeHash, boolean reset,
                                                     Map<UInt256, UInt256> slots) {
        return new dev.lanes.evm.AccountChange(a, new AccountInfo(nonce, UInt256.of(balance), codeHash, false), null, reset, slots);
    }

    /** Applies a store update to a whole in-memory state, as a store's commit would. */
    static void applyTo(WorldState state, StateUpdate u) {
        List<dev.lanes.evm.AccountChange> changes = new java.util.ArrayList<>();
        for (StateUpdate.Account a : u.accounts()) {
            if (a.deleted()) {
                changes.add(new dev.lanes.evm.AccountChange(a.address(), null, null, true, Map.of()));
                continue;
            }
            Map<UInt256, UInt256> slots = new HashMap<>(a.storage());
            byte[] code = a.codeHash().equals(Hash.EMPTY_CODE) ? new byte[0]
                    : u.codes().containsKey(a.codeHash()) ? u.codes().get(a.codeHash()) : state.code(a.codeHash());
            Map<UInt256, UInt256> all = new HashMap<>(a.storageReset() ? Map.of() : state.storageOf(a.address()));
            all.putAll(slots);
            all.values().removeIf(UInt256::isZero);
            state.put(a.address(), a.nonce(), a.balance(), code, all);
        }
        if (!changes.isEmpty()) state.apply(changes);
    }
}
