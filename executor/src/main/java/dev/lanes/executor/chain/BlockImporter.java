package dev.lanes.executor.chain;

import dev.lanes.evm.Fork;
import dev.lanes.evm.ForkRules;
import dev.lanes.evm.Journal;
import dev.lanes.evm.interpreter.Evm;
import dev.lanes.evm.tx.Transaction;
import dev.lanes.executor.BlockExecutor;
import dev.lanes.executor.BlockHeader;
import dev.lanes.executor.BlockValidation;
import dev.lanes.executor.Withdrawal;
import dev.lanes.executor.chain.ChainSpec.Era;
import dev.lanes.executor.chain.ChainStore.Stored;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Keccak;
import dev.lanes.primitives.UInt256;
import dev.lanes.primitives.rlp.RlpWriter;
import dev.lanes.state.WorldState;
import dev.lanes.state.trie.TrieRoot;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Imports blocks into a {@link ChainStore}: decodes the RLP, validates the header against its parent
 * ({@link HeaderValidator}) and the ommers against the chain, executes the body on a copy of the parent's
 * post-state and checks every commitment of the header against the result (transactions, withdrawals,
 * receipts and state roots, logs bloom, gas and blob gas used, requests hash). An invalid block leaves the
 * store as it was, with the reason in the {@link Outcome}.
 *
 * <p>Execution runs on the caller's thread, which needs a deep stack ({@code EvmThreads}).
 */
public final class BlockImporter {
    /** Yellow Paper: an uncle is at most six generations older than the block that includes it. */
    public static final int MAX_OMMER_DEPTH = 6, MAX_OMMERS = 2;

    /** The result of one import: the block's hash (null when it could not be decoded) and, if invalid, why. */
    public record Outcome(Hash hash, String error) {
        public boolean imported() {
            return error == null;
        }
    }

    private final ChainSpec spec;
    private final ChainStore store;
    private final BlockExecutor executor = new BlockExecutor(new Evm()).intermediateStateRoots(true);

    /**
     * A chain from {@code genesis} with {@code genesisState} (taken over, not copied), which must have the
     * header's state root.
     */
    public BlockImporter(ChainSpec spec, BlockHeader genesis, WorldState genesisState) {
        this.spec = spec;
        Hash root = genesisState.stateRoot();
        if (!root.equals(genesis.stateRoot()))
            throw new IllegalArgumentException("genesis state root " + root + " differs from the header's " + genesis.stateRoot());
        Era era = spec.eraAt(genesis.number(), genesis.timestamp(), null);
        this.store = new ChainStore(new Stored(genesis, genesis.hash(), era, genesis.difficulty(), genesisState, List.of(), null));
    }

    public ChainStore store() {
        return store;
    }

    /** Decodes, validates and executes one block; on success it is stored and may become the head. */
    public Outcome importBlock(byte[] rlp) {
        BlockDecoder.Block b;
        try {
            b = BlockDecoder.decode(rlp);
        } catch (BlockDecoder.MalformedBlockException e) {
            return new Outcome(null, e.getMessage());
        }
        if (store.get(b.hash()) != null) return new Outcome(b.hash(), null);
        Stored parent = store.get(b.header().parentHash());
        if (parent == null) return new Outcome(b.hash(), "unknown parent " + b.header().parentHash());
        String why;
        try {
            why = importChecked(b, parent);
        } catch (RuntimeException e) {
            // Execution faults on hostile input must reject the block, not end the import.
            why = "cannot process block: " + e;
        }
        return new Outcome(b.hash(), why);
    }

    private String importChecked(BlockDecoder.Block b, Stored parent) {
        BlockHeader h = b.header();
        Era era = spec.eraAt(h.number(), h.timestamp(), parent.totalDifficulty());
        Fork fork = era.fork();
        ForkRules rules = era.rules();
        String why = HeaderValidator.validate(h, era, parent.header(), parent.hash(), parent.era(), spec);
        if (why != null) return why;
        why = BlockValidation.checkRlpSize(b.size(), rules);
        if (why != null) return why;
        why = checkOmmers(b, parent);
        if (why != null) return why;

        boolean shanghai = fork.isEnabled(Fork.SHANGHAI);
        if (shanghai != (b.withdrawals() != null))
            return shanghai ? "block body has no withdrawals list (EIP-4895)" : "block body has a withdrawals list before Shanghai";
        List<Withdrawal> withdrawals = shanghai ? b.withdrawals() : List.of();

        BlockExecutor.SenderError[] err = new BlockExecutor.SenderError[1];
        Address[] senders = BlockExecutor.recoverSenders(b.transactions(), fork, null, err);
        if (err[0] != null) return "transaction " + err[0].index() + ": " + err[0].message();

        WorldState state = parent.state().successor();
        state.setBlockHashes(n -> {
            Stored s = ChainStore.ancestor(parent, n);
            return s == null ? Hash.ZERO : s.hash();
        });
        if (h.number() == spec.daoBlock()) applyDaoFork(state, rules);
        BlockExecutor.Result r = executor.execute(h, rules, b.transactions(), withdrawals, b.ommers(), state, senders);
        if (!r.valid()) return (r.invalidTx() >= 0 ? "transaction " + r.invalidTx() + ": " : "") + r.invalidReason();
        // The commitments are compared after execution, in the specification's order, so that a block with an
        // invalid transaction is rejected for that transaction even when its transactions root is also off.
        if (r.gasUsed() != h.gasUsed()) return "gas used " + r.gasUsed() + ", header says " + h.gasUsed();
        List<byte[]> encodedTxs = new ArrayList<>(b.transactions().size());
        for (Transaction tx : b.transactions()) encodedTxs.add(tx.encoded());
        Hash txRoot = TrieRoot.ordered(encodedTxs);
        if (!txRoot.equals(h.transactionsRoot())) return "transactions root " + txRoot + ", header says " + h.transactionsRoot();
        if (shanghai) {
            List<byte[]> enc = new ArrayList<>(withdrawals.size());
            for (Withdrawal w : withdrawals) enc.add(w.writeTo(new RlpWriter()).toByteArray());
            Hash root = TrieRoot.ordered(enc);
            if (!root.equals(h.withdrawalsRoot())) return "withdrawals root " + root + ", header says " + h.withdrawalsRoot();
        }
        if (rules.eip4844 && r.blobGasUsed() != h.blobGasUsed())
            return "blob gas used " + r.blobGasUsed() + ", header says " + h.blobGasUsed() + " (EIP-4844)";
        if (!Arrays.equals(r.logsBloom(), h.logsBloom())) return "logs bloom differs from the header's";
        if (!r.receiptsRoot().equals(h.receiptsRoot())) return "receipts root " + r.receiptsRoot() + ", header says " + h.receiptsRoot();
        if (rules.eip7685Requests) {
            if (r.requestsHash() == null) return "the EIP-7002/EIP-7251 system contracts are missing from the state (EIP-7685)";
            if (!r.requestsHash().equals(h.requestsHash())) return "requests hash " + r.requestsHash() + ", header says " + h.requestsHash();
        }
        Hash root = state.stateRoot();
        if (!root.equals(h.stateRoot())) return "state root " + root + ", header says " + h.stateRoot();
        state.setBlockHashes(n -> Hash.ZERO); // the stored state must not keep the whole chain reachable through BLOCKHASH
        store.add(new Stored(h, b.hash(), era, parent.totalDifficulty().add(h.difficulty()), state, b.ommerHashes(), parent));
        return null;
    }

    /**
     * Ommer rules (execution specs {@code validate_ommers}): the list hashes to the header's ommers hash; at
     * most two, distinct; each a valid header against its own parent, one to six generations back, a child of
     * a recent ancestor but not a sibling of this block, neither an ancestor nor already included by one.
     */
    private String checkOmmers(BlockDecoder.Block b, Stored parent) {
        BlockHeader h = b.header();
        RlpWriter w = new RlpWriter().startList();
        for (BlockHeader o : b.ommers()) o.writeTo(w);
        Hash ommersHash = Keccak.hashOf(w.endList().toByteArray());
        if (!ommersHash.equals(h.ommersHash())) return "ommers hash " + ommersHash + ", header says " + h.ommersHash();
        if (b.ommers().isEmpty()) return null;
        if (b.ommers().size() > MAX_OMMERS) return b.ommers().size() + " ommers, at most " + MAX_OMMERS + " allowed";
        if (new HashSet<>(b.ommerHashes()).size() != b.ommerHashes().size()) return "the same ommer is included twice";
        Set<Hash> recent = new HashSet<>(), recentOmmers = new HashSet<>();
        Stored s = parent;
        for (int i = 0; i <= MAX_OMMER_DEPTH && s != null; i++, s = s.parent()) {
            recent.add(s.hash());
            recentOmmers.addAll(s.ommerHashes());
        }
        for (int i = 0; i < b.ommers().size(); i++) {
            BlockHeader o = b.ommers().get(i);
            Hash oh = b.ommerHashes().get(i);
            String which = "ommer " + i + " (" + oh + "): ";
            long age = h.number() - o.number();
            if (o.number() < 1 || age < 1 || age > MAX_OMMER_DEPTH)
                return which + "number " + o.number() + " is not 1 to " + MAX_OMMER_DEPTH + " generations back";
            if (oh.equals(b.hash()) || recent.contains(oh)) return which + "is this block or one of its ancestors";
            if (recentOmmers.contains(oh)) return which + "was already included by an ancestor";
            if (!recent.contains(o.parentHash())) return which + "its parent is not one of the block's recent ancestors";
            if (o.parentHash().equals(h.parentHash())) return which + "is a sibling of this block, not an uncle";
            Stored op = store.get(o.parentHash());
            Era era = spec.eraAt(o.number(), o.timestamp(), op.totalDifficulty());
            String why = HeaderValidator.validate(o, era, op.header(), op.hash(), op.era(), spec);
            if (why != null) return which + "invalid header: " + why;
        }
        return null;
    }

    private static final List<Address> DAO_ACCOUNTS = loadDaoAccounts();
    /** The DAO refund contract that receives the drained balances. */
    public static final Address DAO_REFUND = Address.fromHex("0xbf4ed7b27f1d666546e30d74d50d173d20bca754");

    /**
     * The DAO fork's irregular state change, before the fork block's transactions: every DAO account's balance
     * moves to {@link #DAO_REFUND} (block replay applies it too).
     */
    public static void applyDaoFork(WorldState state, ForkRules rules) {
        Journal j = new Journal(state, rules);
        UInt256 total = UInt256.ZERO;
        for (Address a : DAO_ACCOUNTS) {
            UInt256 balance = j.balance(a);
            j.debit(a, balance);
            total = total.add(balance);
        }
        j.addBalance(DAO_REFUND, total);
        state.apply(j.changes());
    }

    private static List<Address> loadDaoAccounts() {
        try (InputStream in = BlockImporter.class.getResourceAsStream("dao-accounts.txt")) {
            if (in == null) throw new IllegalStateException("resource dao-accounts.txt is missing");
            List<Address> out = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                line = line.strip();
                if (!line.isEmpty() && !line.startsWith("#")) out.add(Address.fromHex(line));
            }
            return List.copyOf(out);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read dao-accounts.txt", e);
        }
    }
}
