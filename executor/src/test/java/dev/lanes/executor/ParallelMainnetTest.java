package dev.lanes.executor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lanes.evm.EvmThreads;
import dev.lanes.evm.Fork;
import dev.lanes.evm.tx.Transaction;
import dev.lanes.executor.parallel.ParallelExecutor;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.state.WorldState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every block in {@code ${lanes.shared}/mainnet-blocks} executed with Block-STM on 2, 3, 4 and 8 threads gives
 * what the sequential path gives: validity, every receipt (status, cumulative gas, bloom, logs), gas, bloom,
 * receipts root and the post-state root of the (partial) state. A watchdog fails the test instead of hanging.
 */
class ParallelMainnetTest {
    private record Outcome(BlockExecutor.Result result, Hash stateRoot) {}

    private static Outcome run(BlockExecutor exec, MainnetBlock b) {
        return EvmThreads.call("parallel-mainnet", () -> {
            List<Transaction> txs = BlockReplay.freshTransactions(b);
            BlockHeader h = b.header;
            Fork fork = MainnetForks.forkAt(h.number(), h.timestamp());
            BlockExecutor.SenderError[] e = new BlockExecutor.SenderError[1];
            Address[] senders = BlockExecutor.recoverSenders(txs, fork, null, e);
            WorldState state = b.freshState();
            BlockExecutor.Result r = exec.execute(b.withTransactions(txs), state, senders);
            return new Outcome(r, state.stateRoot());
        });
    }

    @Test
    void everyMainnetBlockInParallelEqualsSequential() throws Throwable {
        List<Path> dirs = MainnetData.blockDirs();
        assumeTrue(!dirs.isEmpty(), "no mainnet blocks under " + MainnetData.blocksDir());
        List<MainnetBlock> blocks = new ArrayList<>();
        for (Path d : dirs) blocks.add(MainnetBlock.load(d));
        int[] threadCounts = {2, 3, 4, 8};
        BlockExecutor seq = new BlockExecutor(1);
        List<BlockExecutor> pars = new ArrayList<>();
        for (int t : threadCounts) pars.add(new BlockExecutor(t));
        long parallelBlocks = 0, reexecutions = 0;
        try {
            for (MainnetBlock b : blocks) {
                Outcome want = run(seq, b);
                assertNull(want.result().invalidReason(), "block " + b.header.number() + " is valid sequentially");
                for (BlockExecutor p : pars) {
                    Outcome got = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> run(p, b),
                            "block " + b.header.number() + " with " + p.threads() + " threads: no deadlock");
                    String where = "block " + b.header.number() + ", " + p.threads() + " threads";
                    ParallelExecutor.Stats st = p.lastStats();
                    if (st != null && st.sequentialReason() == null) {
                        parallelBlocks++;
                        reexecutions += st.reexecutions();
                    }
                    assertSame(want, got, where);
                }
            }
        } finally {
            seq.close();
            for (BlockExecutor p : pars) p.close();
        }
        System.out.println("ParallelMainnetTest: " + blocks.size() + " blocks x " + threadCounts.length
                + " thread counts equal sequential; " + parallelBlocks + " runs in parallel, " + reexecutions + " re-executions");
        assertEquals(true, parallelBlocks > blocks.size(), "most blocks really ran in parallel");
    }

    static void assertSame(Outcome want, Outcome got, String where) {
        BlockExecutor.Result w = want.result(), g = got.result();
        assertEquals(w.invalidReason(), g.invalidReason(), where + ": validity");
        assertEquals(w.invalidTx(), g.invalidTx(), where + ": invalid transaction");
        assertEquals(w.receipts().size(), g.receipts().size(), where + ": receipt count");
        for (int i = 0; i < w.receipts().size(); i++) {
            Receipt a = w.receipts().get(i), c = g.receipts().get(i);
            assertEquals(a.gasUsed(), c.gasUsed(), where + ": gas of transaction " + i);
            assertEquals(a.status(), c.status(), where + ": status of transaction " + i);
            assertArrayEquals(a.encoded(), c.encoded(), where + ": receipt of transaction " + i);
        }
        assertEquals(w.gasUsed(), g.gasUsed(), where + ": gasUsed");
        assertArrayEquals(w.logsBloom(), g.logsBloom(), where + ": logsBloom");
        assertEquals(w.receiptsRoot(), g.receiptsRoot(), where + ": receiptsRoot");
        assertEquals(want.stateRoot(), got.stateRoot(), where + ": state root");
    }
}
