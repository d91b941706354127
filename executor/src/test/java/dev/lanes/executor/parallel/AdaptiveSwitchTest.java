package dev.lanes.executor.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.executor.BlockExecutor;
import dev.lanes.executor.workload.Workload;
import dev.lanes.executor.workload.Workloads;
import dev.lanes.primitives.Address;
import dev.lanes.state.WorldState;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The adaptive test judges a block by its dependency chain, whatever the thread count: a block whose
 * transactions each depend on the one before switches to the sequential path on 2 and on 8 threads, and a block
 * of independent transactions does not switch on either (before, on 8 threads a worker judged the block after 4
 * attempts and counted any read of a write within 8 transactions as a chain, so real blocks fell back to
 * sequential after a handful of transactions on many cores). Results are compared with the sequential path too.
 */
class AdaptiveSwitchTest {
    @Test
    void theBarScalesWithTheChainNotTheThreadCount() {
        // a chain: as many transactions as links, at any thread count
        assertTrue(ParallelExecutor.tooDependent(2, 40, 0, 40, 40));
        assertTrue(ParallelExecutor.tooDependent(16, 40, 0, 40, 38));
        // independent, no re-executions
        assertFalse(ParallelExecutor.tooDependent(2, 40, 0, 40, 1));
        assertFalse(ParallelExecutor.tooDependent(16, 10, 0, 64, 1));
        // some parallelism: enough for sixteen threads, and for two
        assertFalse(ParallelExecutor.tooDependent(16, 10, 0, 64, 20));
        assertFalse(ParallelExecutor.tooDependent(2, 10, 0, 64, 20));
        // most executions thrown away
        assertTrue(ParallelExecutor.tooDependent(2, 20, 10, 64, 1));
        assertFalse(ParallelExecutor.tooDependent(16, 20, 10, 64, 1));
    }

    @Test
    void chainsSwitchAndIndependentBlocksDoNot() throws Throwable {
        Watchdog.run("adaptive test", 5, () -> {
            check(Workloads.build("dependent", 1_000, 3), true);
            check(Workloads.build("erc20", 2_000, 3), false);
            // every transfer credits one account: a delta of its balance slot, not a chain (StorageAdds)
            check(Workloads.build("erc20-hot", 2_000, 3), false);
        });
    }

    private static void check(Workload w, boolean chain) {
        BlockExecutor.SenderError[] e = new BlockExecutor.SenderError[1];
        Address[] senders = BlockExecutor.recoverSenders(w.transactions(), w.fork(), null, e);
        BlockExecutor.Result want;
        WorldState wantState = w.preState().get();
        try (BlockExecutor seq = new BlockExecutor(1)) {
            want = seq.execute(w.header(), w.fork(), w.transactions(), List.of(), 0, wantState, senders);
        }
        for (int threads : new int[] {2, 8}) {
            // Block-STM from the first transaction (no timed sequential probe), the adaptive test on
            try (BlockExecutor par = new BlockExecutor(threads).parallelFrom(0)) {
                WorldState state = w.preState().get();
                BlockExecutor.Result got = par.execute(w.header(), w.fork(), w.transactions(), List.of(), 0, state, senders);
                assertTrue(want.valid() && got.valid(), w.name() + " on " + threads + " threads");
                assertEquals(want.receiptsRoot(), got.receiptsRoot(), w.name() + " on " + threads + " threads");
                assertEquals(want.gasUsed(), got.gasUsed(), w.name() + " on " + threads + " threads");
                assertEquals(wantState.stateRoot(), state.stateRoot(), w.name() + " on " + threads + " threads");
                ParallelExecutor.Stats st = par.lastStats();
                assertNotNull(st);
                if (chain) {
                    assertTrue(st.sequentialFrom() >= 0 && st.sequentialFrom() < w.transactions().size() / 4,
                            w.name() + " on " + threads + " threads switches early: " + st);
                    // A chain from the first transaction is judged early (ParallelExecutor.EARLY_CHAIN), not after the
                    // full probe of 32 (measured: prefix 26 without it, 1 with it, on 2 threads).
                    assertTrue(st.sequentialFrom() < 2 * ParallelExecutor.EARLY_CHAIN,
                            w.name() + " on " + threads + " threads switches within " + 2 * ParallelExecutor.EARLY_CHAIN + " transactions: " + st);
                } else {
                    assertEquals(-1, st.sequentialFrom(), w.name() + " on " + threads + " threads stays parallel: " + st);
                }
            }
        }
    }
}
