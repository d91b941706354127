package dev.lanes.executor;

import dev.lanes.evm.Fork;
import dev.lanes.evm.ForkRules;
import dev.lanes.evm.interpreter.Evm;
import dev.lanes.evm.tx.Transaction;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Hex;
import dev.lanes.state.WorldState;
import dev.lanes.state.trie.TrieRoot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ForkJoinPool;

/**
 * Replays one {@link MainnetBlock} on a fresh copy of its pre-state and compares the results with its header:
 * {@code gasUsed} and {@code logsBloom} always, {@code receiptsRoot} from Byzantium, {@code blobGasUsed} from
 * Cancun; and, before executing, each transaction's hash and sender against the RPC's {@code hash} and {@code from},
 * the transactions root, the header's hash against the block's {@code hash}, and the block's RLP length against
 * its {@code size} (blocks without uncles) and, from Osaka, EIP-7934's limit. The data carry no receipts, so a gas mismatch cannot be pinned to a transaction; a
 * bloom mismatch names the first transaction whose logs set bits the header's bloom lacks.
 */
public final class BlockReplay {
    /** One replay's outcome; {@code mismatch} is null when the block matched. Times in nanoseconds. */
    public record Report(long number, String fork, int txCount, long gasUsed, long expectedGasUsed, long recoverNanos,
                         long execNanos, boolean receiptsRootChecked, String mismatch) {
        public boolean passed() {
            return mismatch == null;
        }

        public long totalNanos() {
            return recoverNanos + execNanos;
        }

        /** Mgas/s over execution plus sender recovery. */
        public double mgasPerSecond() {
            long t = totalNanos();
            return t == 0 ? 0 : gasUsed * 1e3 / t;
        }
    }

    private BlockReplay() {}

    /** Transactions decoded afresh from their encodings, so that no sender is cached (for timing recovery). */
    public static List<Transaction> freshTransactions(MainnetBlock b) {
        List<Transaction> out = new ArrayList<>(b.transactions.size());
        for (Transaction t : b.transactions) out.add(Transaction.decode(t.encoded()));
        return out;
    }

    public static Report replay(MainnetBlock b, Evm evm, ForkJoinPool pool) {
        return replay(b, freshTransactions(b), b.freshState(), evm, pool);
    }

    /** Replays with the given (uncached) transactions and state; only recovery and execution are timed. */
    public static Report replay(MainnetBlock b, List<Transaction> txs, WorldState state, Evm evm, ForkJoinPool pool) {
        return replay(b, txs, state, new BlockExecutor(evm), pool);
    }

    /** Replays with {@code executor} (sequential or parallel, by its thread count). */
    public static Report replay(MainnetBlock b, List<Transaction> txs, WorldState state, BlockExecutor executor, ForkJoinPool pool) {
        BlockHeader h = b.header;
        Fork fork = MainnetForks.forkAt(h.number(), h.timestamp());
        String forkName = MainnetForks.nameAt(h.number(), h.timestamp());
        boolean byzantium = fork.isEnabled(Fork.BYZANTIUM);

        long t0 = System.nanoTime();
        BlockExecutor.SenderError[] err = new BlockExecutor.SenderError[1];
        Address[] senders = BlockExecutor.recoverSenders(txs, fork, pool, err);
        long t1 = System.nanoTime();
        String mismatch = null;
        if (err[0] != null) mismatch = "transaction " + err[0].index() + ": invalid: " + err[0].message();
        if (mismatch == null) mismatch = checkTransactions(b, txs, senders);
        if (mismatch == null) mismatch = checkHeaderAndSize(b, ForkRules.of(fork));
        BlockExecutor.Result r = null;
        long t2 = System.nanoTime(), t3 = t2;
        if (mismatch == null) {
            r = executor.execute(b.withTransactions(txs), state, senders);
            t3 = System.nanoTime();
            mismatch = compare(b, r, fork);
        }
        return new Report(h.number(), forkName, txs.size(), r == null ? 0 : r.gasUsed(), h.gasUsed(), t1 - t0, t3 - t2,
                byzantium, mismatch);
    }

    private static String checkTransactions(MainnetBlock b, List<Transaction> txs, Address[] senders) {
        List<byte[]> enc = new ArrayList<>(txs.size());
        for (int i = 0; i < txs.size(); i++) {
            Transaction tx = txs.get(i);
            Hash declared = b.declaredHashes.get(i);
            if (declared != null && !declared.equals(tx.hash()))
                return "transaction " + i + ": hash " + tx.hash() + ", expected " + declared;
            Address from = b.declaredSenders.get(i);
            if (from != null && !from.equals(senders[i]))
                return "transaction " + i + ": sender " + senders[i] + ", expected (from) " + from;
            enc.add(tx.encoded());
        }
        Hash txRoot = TrieRoot.ordered(enc);
        if (!txRoot.equals(b.header.transactionsRoot())) return "transactionsRoot " + txRoot + ", expected " + b.header.transactionsRoot();
        return null;
    }

    /**
     * The header hashes to the block's {@code hash}; the block's encoding is as long as its {@code size} field
     * says and, from Osaka, within EIP-7934's limit. A block with uncles cannot be encoded (the data hold only
     * their hashes), so its size is not checked.
     */
    private static String checkHeaderAndSize(MainnetBlock b, ForkRules rules) {
        Hash hash = b.header.hash();
        if (!hash.equals(b.declaredHash)) return "header hash " + hash + ", expected " + b.declaredHash;
        Optional<byte[]> rlp = b.rlp();
        if (rlp.isEmpty()) {
            return rules.eip7934BlockSizeLimit ? "cannot check the EIP-7934 size limit: the uncle headers are missing" : null;
        }
        int size = rlp.get().length;
        if (b.declaredSize != null && size != b.declaredSize) return "block RLP is " + size + " bytes, expected (size) " + b.declaredSize;
        return BlockValidation.checkRlpSize(size, rules);
    }

    private static String compare(MainnetBlock b, BlockExecutor.Result r, Fork fork) {
        BlockHeader h = b.header;
        if (!r.valid()) return (r.invalidTx() >= 0 ? "transaction " + r.invalidTx() + ": rejected: " : "block rejected: ") + r.invalidReason();
        if (r.gasUsed() != h.gasUsed()) {
            String where = "";
            List<Receipt> rs = r.receipts();
            for (int i = 0; i < rs.size(); i++) {
                if (rs.get(i).cumulativeGasUsed() > h.gasUsed()) {
                    where = "; cumulative gas first exceeds the header's at transaction " + i;
                    break;
                }
            }
            return "gasUsed " + r.gasUsed() + ", expected " + h.gasUsed() + " (diff " + (r.gasUsed() - h.gasUsed())
                    + "; no per-transaction receipts in the data" + where + ")";
        }
        if (!Arrays.equals(r.logsBloom(), h.logsBloom())) {
            String where = "";
            List<Receipt> rs = r.receipts();
            for (int i = 0; i < rs.size(); i++) {
                if (!Bloom.contains(h.logsBloom(), rs.get(i).bloom())) {
                    where = " (transaction " + i + " sets bits the header's bloom lacks)";
                    break;
                }
            }
            if (where.isEmpty()) where = " (some expected log is missing; no transaction sets extra bits)";
            return "logsBloom " + Hex.prefixed(r.logsBloom()) + " differs" + where;
        }
        if (fork.isEnabled(Fork.BYZANTIUM) && !h.receiptsRoot().equals(r.receiptsRoot()))
            return "receiptsRoot " + r.receiptsRoot() + ", expected " + h.receiptsRoot()
                    + " (gasUsed and logsBloom match: a status or a log's data differs)";
        if (h.requestsHash() != null && r.requestsHash() != null && !h.requestsHash().equals(r.requestsHash()))
            return "requestsHash " + r.requestsHash() + ", expected " + h.requestsHash();
        if (h.blobGasUsed() != null && h.blobGasUsed() != r.blobGasUsed())
            return "blobGasUsed " + r.blobGasUsed() + ", expected " + h.blobGasUsed();
        return null;
    }
}
