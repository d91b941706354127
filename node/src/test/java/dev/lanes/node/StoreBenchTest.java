package dev.lanes.node;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lanes.evm.tx.Transaction;
import dev.lanes.evm.tx.TxType;
import dev.lanes.executor.BlockExecutor;
import dev.lanes.node.store.RocksChainStore;
import dev.lanes.node.store.StoreKind;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.UInt256;
import dev.lanes.state.WorldState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commit time of a persistent store's {@code append} per block of 100 transfers ({@link RocksChainStore}: one
 * synced WriteBatch; {@link dev.lanes.node.store.LanesChainStore}: a LanesDB commit, then the block's synced batch),
 * and the time to reopen the directory afterwards. A measurement, not a check: it runs only when asked,
 * {@code -Dlanes.storeBench=BLOCKS}, on both stores one after the other, or on one with
 * {@code -Dlanes.storeBench.store=rocksdb|lanesdb} (docs/benchmarks.md has the command and the figures).
 */
class StoreBenchTest {
    @TempDir Path dir;

    /** Times each append of the store it wraps. */
    static final class Timed implements ChainStore {
        final ChainStore inner;
        final List<Long> nanos = new ArrayList<>();

        Timed(ChainStore inner) {
            this.inner = inner;
        }

        @Override public void append(Block block, WorldState postState, WorldState.Touched touched) {
            long t0 = System.nanoTime();
            inner.append(block, postState, touched);
            nanos.add(System.nanoTime() - t0);
        }

        @Override public Block head() { return inner.head(); }
        @Override public Block byNumber(long number) { return inner.byNumber(number); }
        @Override public Block byHash(Hash hash) { return inner.byHash(hash); }
        @Override public Block.TxLocation transaction(Hash txHash) { return inner.transaction(txHash); }
        @Override public WorldState state(long number) { return inner.state(number); }
        @Override public void truncate(long number) { inner.truncate(number); }
        @Override public void close() { inner.close(); }
    }

    @Test void commitTimePerBlock() throws Exception {
        String prop = System.getProperty("lanes.storeBench");
        assumeTrue(prop != null && !prop.isBlank(), "a measurement: run with -Dlanes.storeBench=BLOCKS");
        String only = System.getProperty("lanes.storeBench.store");
        for (StoreKind kind : StoreKind.values()) {
            if (only == null || only.isBlank() || StoreKind.parse(only) == kind) run(kind, Integer.parseInt(prop));
        }
    }

    private void run(StoreKind kind, int blocks) throws Exception {
        int perBlock = 100;
        NodeConfig config = NodeConfig.defaults().withMining(true, null);
        long[] nonces = new long[10];
        Path data = dir.resolve("data-" + kind.id());
        Timed store = new Timed(kind.open(data, TestTxs.CHAIN_ID, 128));
        long build = 0;
        try (BlockExecutor executor = new BlockExecutor(1).chainId(TestTxs.CHAIN_ID)) {
            Chain chain = new Chain(config, store, executor, TestTxs.ACCOUNTS, 1_000);
            for (int b = 0; b < blocks; b++) {
                List<Transaction> txs = new ArrayList<>(perBlock);
                for (int i = 0; i < perBlock; i++) {
                    int from = i % 10;
                    // 1,000 recipients in turn: the state grows to about a thousand accounts, then stays.
                    txs.add(Transaction.builder(TxType.DYNAMIC_FEE).chainId(TestTxs.CHAIN_ID).nonce(nonces[from]++)
                            .gasLimit(21_000).maxFeePerGas(TestTxs.GWEI.mul(100)).maxPriorityFeePerGas(TestTxs.GWEI)
                            .to(Address.ofLow(0x10000 + (b * perBlock + i) % 1000)).value(UInt256.of(1))
                            .sign(TestTxs.ACCOUNTS.get(from).privateKey()));
                }
                long t0 = System.nanoTime();
                Block blk = chain.mine(txs, 2_000 + b).block();
                build += System.nanoTime() - t0;
                if (blk.transactions().size() != perBlock) throw new AssertionError("block " + b + " has " + blk.transactions().size());
            }
        }
        store.close();
        long[] t = store.nanos.stream().skip(1).mapToLong(Long::longValue).toArray(); // without genesis
        Arrays.sort(t);
        long t0 = System.nanoTime();
        try (ChainStore again = kind.open(data, TestTxs.CHAIN_ID, 128)) {
            long reopen = System.nanoTime() - t0;
            long size;
            try (Stream<Path> files = Files.walk(data)) {
                size = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
            }
            System.out.printf("store bench (" + kind.id() + "): %d blocks x %d transfers; append p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms,"
                            + " mean %.2f ms; whole block build (execute, roots, append) mean %.2f ms; reopen %d ms"
                            + " (head %d, %d accounts); data dir %.1f MiB%n",
                    blocks, perBlock, t[t.length / 2] / 1e6, t[t.length * 9 / 10] / 1e6, t[t.length * 99 / 100] / 1e6,
                    t[t.length - 1] / 1e6, Arrays.stream(t).average().orElse(0) / 1e6, build / 1e6 / blocks,
                    reopen / 1_000_000, again.head().number(), again.state(again.head().number()).size(), size / 1048576.0);
        }
    }
}
