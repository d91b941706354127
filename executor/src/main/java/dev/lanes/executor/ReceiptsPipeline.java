package dev.lanes.executor;

import dev.lanes.evm.Status;
import dev.lanes.evm.tx.Transaction;
import dev.lanes.evm.tx.TxResult;
import dev.lanes.executor.parallel.ParallelExecutor;
import dev.lanes.state.trie.TrieRoot;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The sequential path's second thread: while the block's thread executes transactions one by one and applies
 * them, a worker thread makes what follows from each result and does not feed the next transaction: the logs'
 * bloom, the receipt, the block's bloom, and the receipts trie, subtree by subtree as their receipts exist.
 * On the sequential path that is about 40% of a block of ERC-20 transfers (docs/benchmarks.md, session 17);
 * here it runs beside the execution instead of after it, on any block, however dependent its transactions.
 *
 * <p>The block's thread {@link #add}s each transaction's result in order; {@link #close} then waits for the
 * worker to catch up. The trie's shape depends only on the number of transactions, so its subtrees can be hashed
 * before the block ends; receipts before {@code from} (made by the block's thread before the pipeline started) are
 * given at construction.
 *
 * <p>Handing over: each transaction's result goes into a slot of its own 128-byte stretch of one array (a release
 * store, which the block's thread does not wait for), and the worker polls the next slot (acquire loads). No counter
 * or array element is written by one thread next to one the other reads: on the machines measured here a cache line
 * that moves between cores costs about 200 ns (a first version with a shared "how many" counter and packed arrays
 * measured the block's thread 20% slower at executing, though part of that may be the neighbour effect measured later,
 * docs/benchmarks.md, session 17). The worker stops at an empty slot once {@code closed} is set (a volatile write
 * after the last slot's store, so a worker that saw it sees every slot). Everything the worker writes reaches the
 * block's thread through the batch's join in {@link #close}. If no worker picks the batch up, the join runs it on the
 * block's thread after {@code closed} is set, which does the same work in the same order.
 */
final class ReceiptsPipeline {
    private final List<Transaction> txs;
    final int from;
    /** Receipts by block index: the prefix given, then the worker's. */
    final Receipt[] made;
    final TrieRoot.Split split;
    private final int[] lastIndex;
    /** One transaction's handover. */
    private record Item(TxResult result, byte[] bloom, long cumulative) {}

    private static final java.lang.invoke.VarHandle SLOT = java.lang.invoke.MethodHandles.arrayElementVarHandle(Item[].class);
    /** Slot {@code i} is element {@code i << SPREAD}: 32 references (128 bytes with compressed pointers) apart. */
    private static final int SPREAD = 5;
    private final Item[] slots;
    /** The bloom of the logs of transactions {@code from} on (the worker's). */
    final byte[] bloom = new byte[Bloom.BYTES];
    private final Bloom.Memo memo = new Bloom.Memo();
    /** The block's thread's count of transactions added (its own: the worker polls the slots). */
    private int added;
    private volatile boolean closed;
    /** Written by the worker: receipts made below this; subtree tasks run below {@code nextTask}. */
    private int done, nextTask;
    /** The worker's time making receipts and hashing, and how many receipts, as of its last report (every 16). */
    private volatile long reportedNanos;
    private volatile int reportedReceipts;
    private long workNanos;
    /** Whether the worker times its work for {@link #nanosPerReceipt} (only the two-thread choice reads it). */
    private final boolean timed;
    private final ParallelExecutor.Batch batch;

    /**
     * Starts the worker on {@code threads}' helper threads: transactions {@code from} on (of {@code txs}) will be
     * added; {@code prefix} holds the receipts of those before. With {@code timed}, the worker measures its time per
     * receipt ({@link #nanosPerReceipt}).
     */
    ReceiptsPipeline(List<Transaction> txs, List<Receipt> prefix, ParallelExecutor threads, int tasks, boolean timed) {
        int n = txs.size();
        this.txs = txs;
        this.from = prefix.size();
        this.made = new Receipt[n];
        for (int i = 0; i < from; i++) made[i] = prefix.get(i);
        this.slots = new Item[n << SPREAD];
        this.split = TrieRoot.orderedSplit(n, i -> made[i].encoded(), tasks);
        this.lastIndex = new int[split.tasks()];
        for (int t = 0; t < lastIndex.length; t++) lastIndex[t] = split.lastIndex(t);
        this.done = from;
        this.added = from;
        this.timed = timed;
        this.batch = threads.start(1, x -> work());
    }

    /** Transaction {@code i} (the next in order) has this result, with {@code bloom} if known (null: the worker makes it). */
    void add(int i, TxResult r, byte[] bloom, long cumulative) {
        SLOT.setRelease(slots, i << SPREAD, new Item(r, bloom, cumulative));
        added = i + 1;
    }

    /** How many transactions were added (the receipts {@link #close} leaves are those below this). */
    int added() {
        return added;
    }

    /**
     * The worker's time per receipt so far (making it, its bloom, and the trie's subtrees over it), in nanoseconds, or
     * -1 before it has made 16 or when not {@code timed}.
     */
    long nanosPerReceipt() {
        int n = reportedReceipts;
        return n == 0 ? -1 : reportedNanos / n;
    }

    /** No more transactions: waits until the worker made every added receipt and ran every subtree task it can. */
    void close() {
        closed = true;
        batch.join();
    }

    private void work() {
        long idleSince = 0;
        int n = made.length;
        while (true) {
            Item it = done < n ? (Item) SLOT.getAcquire(slots, done << SPREAD) : null;
            if (it == null && closed) {
                it = done < n ? (Item) SLOT.getAcquire(slots, done << SPREAD) : null;
                if (it == null) return; // closed after the last add: no more will come
            }
            if (it != null) {
                long t0 = timed ? System.nanoTime() : 0;
                receipt(done++, it);
                while (nextTask < lastIndex.length && lastIndex[nextTask] < done) split.run(nextTask++);
                if (timed) workNanos += System.nanoTime() - t0;
                if (timed && ((done - from) & 15) == 0) {
                    reportedNanos = workNanos;
                    reportedReceipts = done - from;
                }
                idleSince = 0;
                continue;
            }
            // Waiting for the next result (a few microseconds, typically): spin, then back off politely.
            long now = System.nanoTime();
            if (idleSince == 0) idleSince = now;
            if (now - idleSince < 100_000) Thread.onSpinWait();
            else LockSupport.parkNanos(20_000);
        }
    }

    private void receipt(int i, Item it) {
        TxResult r = it.result;
        byte[] b = it.bloom;
        if (b == null) b = memo.of(r.logs());
        Bloom.or(bloom, b);
        made[i] = new Receipt(txs.get(i).type(), r.status() == Status.SUCCESS ? 1 : 0, null, it.cumulative, r.gasUsed(), b,
                r.logs());
    }
}
