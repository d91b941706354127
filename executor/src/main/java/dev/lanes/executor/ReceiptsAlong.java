package dev.lanes.executor;

import dev.lanes.evm.Status;
import dev.lanes.evm.tx.Transaction;
import dev.lanes.evm.tx.TxResult;
import dev.lanes.executor.parallel.ParallelExecutor;
import dev.lanes.state.trie.TrieRoot;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A block's receipts and receipts-trie root made while Block-STM runs it: the rolling commit hands each applied
 * transaction's final outcome here in order ({@link #committed}), which makes its receipt (the cumulative gas is known
 * then), and the workers hash, between their Block-STM tasks ({@link #runOne}), each subtree of the receipts trie whose
 * receipts all exist. What is left when the block has executed (the receipts of transactions the rolling commit did not
 * reach, the last subtrees, the nodes above them) is finished by {@link #finish} and {@link TrieRoot.Split#root()}.
 *
 * <p>The trie's shape depends only on the number of transactions, known before execution; an invalid block (one whose
 * transactions the rolling commit stops at) simply leaves this unused.
 *
 * <p>Memory ordering: the committer writes a receipt, then the volatile {@code ready}; a worker that reads {@code ready}
 * past a task's last index sees every receipt the task encodes. Tasks are claimed in order by one compare-and-set each,
 * so each runs once; their results reach {@code root()} through the block's join (the job's monitor).
 */
final class ReceiptsAlong implements ParallelExecutor.SideWork {
    private final List<Transaction> txs;
    /** The block's first transaction run by Block-STM ({@link #committed}'s index 0). */
    private final int from;
    /** Receipts by block index: the sequential prefix's, then those made at commit or by {@link #finish}. */
    final Receipt[] made;
    /**
     * Receipts encoded by the committer, by block index (null where not, or null when off): the rolling commit mostly
     * runs on the worker that executed the transaction, whose cache holds its logs, while the subtree task that would
     * otherwise encode it runs on any worker and would read them across.
     */
    private final byte[][] encodedAt;
    final TrieRoot.Split split;
    private final int[] lastIndex;
    private final AtomicInteger next = new AtomicInteger();
    /** Receipts exist for block indexes {@code [0, ready)}. */
    private volatile int ready;
    /** The cumulative gas after the last committed transaction, the committed ones' blob gas and bloom (the committer's alone). */
    private long cumulative, blobGas;
    private final byte[] bloom = new byte[Bloom.BYTES];
    /** For {@link #finish}: outcomes and cumulative gas of the transactions the rolling commit did not apply. */
    private ParallelExecutor.Outcome[] outcomes;
    private long[] cumulativeAt;

    /**
     * {@code prefix}: the receipts of the transactions before Block-STM's first ({@code cumulative} gas after them);
     * {@code tasks}: about how many subtree tasks to cut the trie into.
     */
    ReceiptsAlong(List<Transaction> txs, List<Receipt> prefix, long cumulative, int tasks, boolean encodeAtCommit) {
        int n = txs.size();
        this.txs = txs;
        this.from = prefix.size();
        this.made = new Receipt[n];
        this.encodedAt = encodeAtCommit ? new byte[n][] : null;
        for (int i = 0; i < from; i++) made[i] = prefix.get(i);
        this.cumulative = cumulative;
        this.ready = from;
        this.split = TrieRoot.orderedSplit(n, this::encoded, tasks);
        this.lastIndex = new int[split.tasks()];
        for (int t = 0; t < lastIndex.length; t++) lastIndex[t] = split.lastIndex(t);
    }

    @Override public void committed(int k, TxResult r, byte[] bloom) {
        int i = from + k;
        cumulative += r.gasUsed();
        blobGas += r.blobGasUsed();
        Bloom.or(this.bloom, bloom);
        Receipt rc = made[i] = receipt(i, r, bloom, cumulative);
        if (encodedAt != null) encodedAt[i] = rc.encoded();
        ready = i + 1;
    }

    /** Whether the rolling commit made every receipt (then {@link #cumulative()}, {@link #blobGas()} and {@link #bloom()} are the block's). */
    boolean complete() {
        return ready == made.length;
    }

    /** The cumulative gas after the last committed transaction. */
    long cumulative() {
        return cumulative;
    }

    /** The blob gas of the committed transactions. */
    long blobGas() {
        return blobGas;
    }

    /** The bloom of the committed transactions' logs. */
    byte[] bloom() {
        return bloom;
    }

    @Override public boolean runOne() {
        int t = next.get();
        if (t >= lastIndex.length || lastIndex[t] >= ready) return false;
        if (next.compareAndSet(t, t + 1)) split.run(t);
        return true;
    }

    /**
     * After the block executed, with every outcome final and the cumulative gas after each transaction known (the
     * block's fast commit; both may be null when the rolling commit made every receipt): returns the first task not
     * run yet; the tasks from it on must each run once
     * ({@code split.run}) before {@code split.root()}, making the receipts the rolling commit did not reach from these
     * outcomes. Call when no worker is in the block any more.
     */
    int finish(ParallelExecutor.Outcome[] outcomes, long[] cumulativeAt) {
        this.outcomes = outcomes;
        this.cumulativeAt = cumulativeAt;
        ready = made.length;
        return next.get();
    }

    private byte[] encoded(int i) {
        if (encodedAt != null && encodedAt[i] != null) return encodedAt[i];
        Receipt rc = made[i];
        if (rc == null) {
            ParallelExecutor.Outcome o = outcomes[i];
            made[i] = rc = receipt(i, o.txResult(), o.bloom(), cumulativeAt[i]);
        }
        return rc.encoded();
    }

    private Receipt receipt(int i, TxResult r, byte[] bloom, long cumulative) {
        return new Receipt(txs.get(i).type(), r.status() == Status.SUCCESS ? 1 : 0, null, cumulative, r.gasUsed(), bloom,
                r.logs());
    }
}
