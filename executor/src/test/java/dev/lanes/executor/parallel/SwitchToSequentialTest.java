package dev.lanes.executor.parallel;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.executor.BlockExecutor;
import dev.lanes.primitives.Address;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The adaptive switch: Block-STM stops early (as it does on a too dependent block), the longest final prefix is
 * kept and the rest of the block runs on the sequential path. Forced here after 1, 5 and 17 executions on
 * generated blocks, the result must still equal the sequential one in every respect.
 */
class SwitchToSequentialTest {
    @Test
    void switchingMidBlockGivesTheSequentialResult() throws Throwable {
        int blocks = Integer.getInteger("lanes.parallel.switchBlocks", 300);
        int[][] variants = {{2, 1}, {2, 5}, {4, 17}, {3, 5}};
        int[] switched = new int[1];
        Watchdog.run("switch test", 10, () -> {
            BlockExecutor reference = new BlockExecutor(1);
            List<BlockExecutor> parallel = new ArrayList<>();
            for (int[] v : variants) parallel.add(new BlockExecutor(v[0]).adaptive(false).switchToSequentialAfter(v[1]));
            try {
                for (long seed = 500_001; seed < 500_001 + blocks; seed++) {
                    RandomBlocks.Block block = RandomBlocks.generate(seed);
                    BlockExecutor.SenderError[] e = new BlockExecutor.SenderError[1];
                    Address[] senders = BlockExecutor.recoverSenders(block.txs(), block.fork(), null, e);
                    ParallelDifferentialTest.Outcome want = ParallelDifferentialTest.execute(reference, block, senders);
                    for (int k = 0; k < variants.length; k++) {
                        ParallelDifferentialTest.Outcome got = ParallelDifferentialTest.execute(parallel.get(k), block, senders);
                        String diff = ParallelDifferentialTest.compare(want, got, block);
                        assertNull(diff, "seed " + seed + ", " + variants[k][0] + " threads, switch after " + variants[k][1]
                                + " executions: " + diff);
                        ParallelExecutor.Stats st = parallel.get(k).lastStats();
                        if (st != null && st.sequentialFrom() >= 0) switched[0]++;
                    }
                }
            } finally {
                reference.close();
                for (BlockExecutor p : parallel) p.close();
            }
        });
        System.out.println("SwitchToSequentialTest: " + blocks + " blocks x " + variants.length + " variants equal sequential; "
                + switched[0] + " runs switched to the sequential path mid-block");
        assertTrue(switched[0] > blocks, "the switch really happened in most runs");
    }
}
