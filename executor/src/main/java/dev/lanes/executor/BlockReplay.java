package dev.lanes.executor;

import dev.lanes.evm.Fork;
import dev.lanes.evm.ForkRules;
import dev.lanes.evm.interpreter.Evm;
import dev.lanes.evm.tx.Transaction;
import dev.lanes.executor.chain.BlockImporter;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Hex;
import dev.lanes.primitives.Keccak;
import dev.lanes.primitives.rlp.RlpWriter;
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
 * the transactions root, the header's hash against the block's {@code hash}, the parent's and uncles' hashes when
 * the folder has their headers, and the block's RLP length against its {@code size} (when its uncles can be
 * encoded) and, from Osaka, EIP-7934's limit. The data carry no receipts, so a gas mismatch cannot be pinned to a
 * transaction; a bloom mismatch names the first transaction whose logs set bits the header's bloom lacks.
 *
 * <p>With {@code checkStateRoot} it also checks the post-state root against the header's {@code stateRoot},
 * which only a pre-state holding the whole state can give, and, before Byzantium, the receipts root (whose
 * receipts carry the state root after each transaction). When the folder has the parent's header, the pre-state's
 * root must first equal the parent's {@code stateRoot}: otherwise the pre-state is not the whole state and the
 * block is reported as not checkable. A block with uncles needs their headers ({@code uncles.json}), since the
 * uncle miners' rewards are part of the state.
 */
public final class BlockReplay {
    /**
     * One replay's outcome; {@code mismatch} is null when the block matched. Times in nanoseconds.
     * {@code stateRootChecked}: the post-state root was compared with the header's (and matched, if passed).
     */
    public record Report(long number, String fork, int txCount, long gasUsed, long expectedGasUsed, long recoverNanos,
                         long execNanos, boolean receiptsRootChecked, boolean stateRootChecked, String mismatch) {
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

    /** Replays with {@code executor} (sequential or parallel, by its thread count), without the state root. */
    public static Report replay(MainnetBlock b, List<Transaction> txs, WorldState state, BlockExecutor executor, ForkJoinPool pool) {
        return replay(b, txs, state, executor, pool, false);
    }

    /**
     * Replays with {@code executor}, and with {@code checkStateRoot} also checks the post-state root (see the class
     * comment). Sets the executor's chain id to the block's and its intermediate state roots to {@code checkStateRoot}.
     */
    public static Report replay(MainnetBlock b, List<Transaction> txs, WorldState state, BlockExecutor executor, ForkJoinPool pool,
                                boolean checkStateRoot) {
        BlockHeader h = b.header;
        ForkRules rules = b.rules();
        Fork fork = rules.fork();
        String forkName = b.forkName();
        boolean byzantium = fork.isEnabled(Fork.BYZANTIUM);
        executor.chainId(b.chainId).intermediateStateRoots(checkStateRoot);

        long t0 = System.nanoTime();
        BlockExecutor.SenderError[] err = new BlockExecutor.SenderError[1];
        Address[] senders = BlockExecutor.recoverSenders(txs, fork, pool, err, b.chainId);
        long t1 = System.nanoTime();
        String mismatch = null;
        if (err[0] != null) mismatch = "transaction " + err[0].index() + ": invalid: " + err[0].message();
        if (mismatch == null) mismatch = checkTransactions(b, txs, senders);
        if (mismatch == null) mismatch = checkHeaderAndSize(b, rules);
        // Whether the state root can be checked is known before execution (which changes the state); the block
        // still runs, so that its other results are checked and reported first.
        String uncheckable = mismatch == null && checkStateRoot ? checkPreState(b, state) : null;
        BlockExecutor.Result r = null;
        long t2 = System.nanoTime(), t3 = t2;
        if (mismatch == null) {
            if (h.number() == b.daoBlock()) BlockImporter.applyDaoFork(state, rules);
            r = executor.execute(b.withTransactions(txs), state, senders);
            t3 = System.nanoTime();
            mismatch = compare(b, r, fork);
            if (mismatch == null && checkStateRoot) mismatch = uncheckable != null ? uncheckable : compareStateRoot(b, r, state, fork);
        }
        return new Report(h.number(), forkName, txs.size(), r == null ? 0 : r.gasUsed(), h.gasUsed(), t1 - t0, t3 - t2,
                byzantium || checkStateRoot, checkStateRoot, mismatch);
    }

    /**
     * Whether the state root can be checked: the uncles' miners must be known and, when the folder has the
     * parent's header, the pre-state must have the parent's state root (that is, be the whole state).
     */
    private static String checkPreState(MainnetBlock b, WorldState state) {
        if (b.uncleCount > 0 && b.uncles == null)
            return "stateRoot cannot be checked: the block has " + b.uncleCount + " uncle(s) and the folder no uncles.json"
                    + " (the uncle miners' rewards are part of the state)";
        if (b.parent != null) {
            Hash root = state.stateRoot();
            if (!root.equals(b.parent.stateRoot()))
                return "stateRoot cannot be checked: pre_state.json is not the parent's whole state (its root " + root
                        + ", parent.json's stateRoot " + b.parent.stateRoot() + ")";
        }
        return null;
    }

    /** The post-state root, then (before Byzantium) the receipts root, whose intermediate roots come from that state. */
    private static String compareStateRoot(MainnetBlock b, BlockExecutor.Result r, WorldState state, Fork fork) {
        BlockHeader h = b.header;
        Hash root = state.stateRoot();
        if (!root.equals(h.stateRoot())) {
            return "stateRoot " + root + ", expected " + h.stateRoot() + (b.parent != null ? ""
                    : " (no parent.json to show that pre_state.json is the whole state; a pre-state of only the accounts"
                    + " the block touches cannot give the header's root)");
        }
        if (!fork.isEnabled(Fork.BYZANTIUM) && !h.receiptsRoot().equals(r.receiptsRoot()))
            return "receiptsRoot " + r.receiptsRoot() + ", expected " + h.receiptsRoot() + " (stateRoot matches: a log, the gas"
                    + " or an intermediate state root differs)";
        return null;
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
        if (b.parent != null && !b.parent.hash().equals(b.header.parentHash()))
            return "parent.json hashes to " + b.parent.hash() + ", the block's parentHash is " + b.header.parentHash();
        if (b.uncles != null) {
            if (b.uncles.size() != b.uncleCount)
                return "uncles.json holds " + b.uncles.size() + " header(s), the block names " + b.uncleCount + " uncle(s)";
            for (int i = 0; i < b.uncleCount; i++) {
                Hash u = b.uncles.get(i).hash();
                if (!u.equals(b.uncleHashes.get(i))) return "uncles.json[" + i + "] hashes to " + u + ", the block's uncles[" + i + "] is " + b.uncleHashes.get(i);
            }
            RlpWriter w = new RlpWriter().startList();
            for (BlockHeader u : b.uncles) u.writeTo(w);
            Hash ommersHash = Keccak.hashOf(w.endList().toByteArray());
            if (!ommersHash.equals(b.header.ommersHash()))
                return "uncles.json's headers hash to " + ommersHash + ", the header's sha3Uncles is " + b.header.ommersHash();
        }
        Optional<byte[]> rlp = b.rlp();
        if (rlp.isEmpty()) {
            return rules.eip7934BlockSizeLimit ? "cannot check the EIP-7934 size limit: the uncle headers (uncles.json) are missing" : null;
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
