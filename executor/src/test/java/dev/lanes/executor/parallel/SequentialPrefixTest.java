package dev.lanes.executor.parallel;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.executor.BlockExecutor;
import dev.lanes.primitives.Address;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The other hand-over: the adaptive executor runs a block's first transactions on the sequential path (they tell it
 * how long the block will take) and hands the rest to Block-STM, whose pre-state is then the state those left.
 * Forced here at transactions 1, 3 and 11 on generated blocks (system calls, same-sender chains, coinbase
 * reads, reverts, creations, invalid transactions), with and without a later switch back to the sequential path;
 * the result must equal the sequential one in every respect.
 */
class SequentialPrefixTest {
    /**
     * The adaptive start's probe bounded in time (setting {@code probe-nanos}): with a bound of 1 ns it is past the bound
     * before the first transaction has run (which once divided by the zero transactions run so far), and with no bar on
     * the work left Block-STM starts after the first transaction.
     */
    @Test
    void probeBoundedInTimeStartsBlockStmAfterTheFirstTransaction() throws Throwable {
        int[] started = new int[1];
        Watchdog.run("probe test", 5, () -> {
            try (BlockExecutor reference = new BlockExecutor(1);
                 BlockExecutor probing = new BlockExecutor(2).tune("probe-nanos=1,min-rest-txs=1,min-rest-nanos=0,heavy-min-rest-nanos=0")) {
                for (long seed = 710_001; seed < 710_041; seed++) {
                    RandomBlocks.Block block = RandomBlocks.generate(seed);
                    BlockExecutor.SenderError[] e = new BlockExecutor.SenderError[1];
                    Address[] senders = BlockExecutor.recoverSenders(block.txs(), block.fork(), null, e);
                    ParallelDifferentialTest.Outcome want = ParallelDifferentialTest.execute(reference, block, senders);
                    ParallelDifferentialTest.Outcome got = ParallelDifferentialTest.execute(probing, block, senders);
                    assertNull(ParallelDifferentialTest.compare(want, got, block), "seed " + seed);
                    ParallelExecutor.Stats st = probing.lastStats();
                    if (st != null && st.sequentialReason() == null && st.executions() > 0) started[0]++;
                }
            }
        });
        assertTrue(started[0] > 0, "Block-STM started in some blocks");
    }

    @Test
    void sequentialPrefixThenBlockStmGivesTheSequentialResult() throws Throwable {
        int blocks = Integer.getInteger("lanes.parallel.prefixBlocks", 200);
        int[][] variants = {{2, 1, -1}, {2, 3, -1}, {3, 11, -1}, {2, 3, 4}};
        int[] ranInStm = new int[1];
        Watchdog.run("prefix test", 10, () -> {
            BlockExecutor reference = new BlockExecutor(1);
            List<BlockExecutor> parallel = new ArrayList<>();
            for (int[] v : variants) {
                parallel.add(new BlockExecutor(v[0]).adaptive(false).parallelFrom(v[1]).switchToSequentialAfter(v[2]));
            }
            try {
                for (long seed = 700_001; seed < 700_001 + blocks; seed++) {
                    RandomBlocks.Block block = RandomBlocks.generate(seed);
                    BlockExecutor.SenderError[] e = new BlockExecutor.SenderError[1];
                    Address[] senders = BlockExecutor.recoverSenders(block.txs(), block.fork(), null, e);
                    ParallelDifferentialTest.Outcome want = ParallelDifferentialTest.execute(reference, block, senders);
                    for (int k = 0; k < variants.length; k++) {
                        ParallelDifferentialTest.Outcome got = ParallelDifferentialTest.execute(parallel.get(k), block, senders);
                        String diff = ParallelDifferentialTest.compare(want, got, block);
                        assertNull(diff, "seed " + seed + ", " + variants[k][0] + " threads, Block-STM from transaction "
                                + variants[k][1] + ": " + diff);
                        ParallelExecutor.Stats st = parallel.get(k).lastStats();
                        if (st != null && st.sequentialReason() == null && st.executions() > 0) ranInStm[0]++;
                    }
                }
            } finally {
                reference.close();
                for (BlockExecutor p : parallel) p.close();
            }
        });
        System.out.println("SequentialPrefixTest: " + blocks + " blocks x " + variants.length + " variants equal sequential; "
                + ranInStm[0] + " runs handed the rest of the block to Block-STM");
        assertTrue(ranInStm[0] > blocks, "Block-STM really ran the rest in most runs");
    }
}
