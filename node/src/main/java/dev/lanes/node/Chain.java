package dev.lanes.node;

import dev.lanes.evm.BlobGas;
import dev.lanes.evm.Fork;
import dev.lanes.evm.ForkRules;
import dev.lanes.evm.tx.Transaction;
import dev.lanes.executor.BlockExecutor;
import dev.lanes.executor.BlockHeader;
import dev.lanes.executor.BlockRlp;
import dev.lanes.executor.BlockValidation;
import dev.lanes.executor.Bloom;
import dev.lanes.executor.Requests;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Bytes;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Keccak;
import dev.lanes.primitives.UInt256;
import dev.lanes.state.WorldState;
import dev.lanes.state.trie.TrieRoot;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The chain the node seals: a genesis block holding the prefunded development accounts, then blocks built from
 * the pool's pending transactions and executed by the {@link BlockExecutor} under Osaka rules. Every header
 * field is computed as a consensus client would check it: EIP-1559 base fee, EIP-4844/7918 excess blob gas,
 * empty withdrawals (EIP-4895), a zero parent beacon root (EIP-4788; there is no beacon chain), and the
 * EIP-7685 requests hash.
 *
 * <p>The system contracts (beacon roots, history storage, withdrawal and consolidation requests) are not in the
 * genesis state, so the executor skips their system calls and the requests hash is that of no requests.
 *
 * <p>Not thread-safe: the node calls it from its one chain thread, which has the deep stack the EVM needs.
 */
public final class Chain {
    public static final Fork FORK = Fork.OSAKA;
    public static final ForkRules RULES = ForkRules.of(FORK);
    /** EIP-1559 parameters. */
    static final long ELASTICITY = 2, BASE_FEE_CHANGE_DENOMINATOR = 8;
    static final UInt256 DEV_BALANCE = UInt256.fromBigInteger(BigInteger.TEN.pow(22)); // 10,000 ether

    private final NodeConfig config;
    private final ChainStore store;
    private final BlockExecutor executor;

    /**
     * A block just sealed, how long building it took (for the progress line), the transactions refused while
     * building it, and the executor's counters for it ({@code null} on the sequential path: one thread).
     */
    public record Sealed(Block block, long nanos, List<Transaction> rejected, List<String> reasons,
                         dev.lanes.executor.parallel.ParallelExecutor.Stats parallel) {}

    public Chain(NodeConfig config, ChainStore store, BlockExecutor executor, List<DevAccounts.Account> accounts,
                 long genesisTimestamp) {
        this.config = config;
        this.store = store;
        this.executor = executor;
        if (store.head() != null) {
            // A chain from a data directory: its genesis must hold the accounts this configuration funds.
            Hash expected = genesisState(accounts).stateRoot(), found = store.byNumber(0).header().stateRoot();
            if (!expected.equals(found))
                throw new dev.lanes.node.store.StoreException("the stored chain's genesis state (root " + found
                        + ") is not the one this configuration makes (root " + expected
                        + "): another mnemonic or account count; use another --data-dir");
        } else {
            WorldState state = genesisState(accounts);
            state.setBlockHashes(this::blockHash);
            BlockHeader h = new BlockHeader(Hash.ZERO, Hash.EMPTY_LIST, Address.ZERO, state.stateRoot(), Hash.EMPTY_TRIE,
                    Hash.EMPTY_TRIE, new byte[Bloom.BYTES], UInt256.ZERO, 0, config.gasLimit(), 0, genesisTimestamp,
                    Bytes.EMPTY, Hash.ZERO, 0, UInt256.of(config.genesisBaseFee()), Hash.EMPTY_TRIE, 0L, 0L, Hash.ZERO,
                    Requests.hash());
            store.append(seal(h, List.of(), List.of(), List.of()), state, state.touched());
        }
    }

    /** The prefunded dev accounts, with change tracking on so that a store sees them as touched. */
    private static WorldState genesisState(List<DevAccounts.Account> accounts) {
        WorldState state = new WorldState();
        state.trackChanges();
        for (DevAccounts.Account a : accounts) state.put(a.address(), 0, DEV_BALANCE, Bytes.EMPTY, Map.of());
        return state;
    }

    public ChainStore store() {
        return store;
    }

    public NodeConfig config() {
        return config;
    }

    public Block head() {
        return store.head();
    }

    /** The hash of block {@code number}, or zero when unknown (what BLOCKHASH sees). */
    private Hash blockHash(long number) {
        Block b = store.byNumber(number);
        return b == null ? Hash.ZERO : b.hash();
    }

    /** The base fee the block after {@code parent} must have (EIP-1559). */
    public static UInt256 nextBaseFee(BlockHeader parent) {
        BigInteger base = parent.baseFee().toBigInteger();
        long target = parent.gasLimit() / ELASTICITY;
        long used = parent.gasUsed();
        if (used == target || target == 0) return parent.baseFee();
        BigInteger delta = base.multiply(BigInteger.valueOf(Math.abs(used - target)))
                .divide(BigInteger.valueOf(target)).divide(BigInteger.valueOf(BASE_FEE_CHANGE_DENOMINATOR));
        if (used > target) return UInt256.fromBigInteger(base.add(delta.max(BigInteger.ONE)));
        return UInt256.fromBigInteger(base.subtract(delta).max(BigInteger.ZERO));
    }

    /** The next block's base fee. */
    public UInt256 pendingBaseFee() {
        return nextBaseFee(head().header());
    }

    /**
     * Builds, executes and commits the next block from {@code candidates} (in block order, each sender's nonces
     * in sequence), taking those that fit the gas limit. A transaction the executor refuses (it can no longer pay,
     * say) is left out with every later one of its sender, and the block is executed again without them; the
     * refused ones are returned so that the pool can drop them.
     */
    public Sealed mine(List<Transaction> candidates, long timestamp) {
        long t0 = System.nanoTime();
        Block parent = head();
        BlockHeader ph = parent.header();
        long number = ph.number() + 1;
        long time = Math.max(timestamp, ph.timestamp() + 1); // strictly increasing, even several blocks a second
        List<Transaction> txs = new ArrayList<>();
        long gas = 0, blobGas = 0;
        UInt256 blobBaseFee = pendingBlobBaseFee();
        Set<Address> blobHeld = new HashSet<>();
        for (Transaction tx : candidates) {
            // The sum of gas limits bounds the sum of gas used, so the block can never run out of gas midway.
            if (gas + tx.gasLimit() > config.gasLimit()) continue;
            // A blob transaction over the block's blob room or under the blob base fee waits, and so do its
            // sender's later ones (they would have a nonce gap).
            if (blobHeld.contains(tx.sender())) continue;
            if (tx.type() == dev.lanes.evm.tx.TxType.BLOB) {
                long g = tx.blobVersionedHashes().size() * dev.lanes.evm.tx.TransactionProcessor.GAS_PER_BLOB;
                if (blobGas + g > RULES.maxBlobGasPerBlock || tx.maxFeePerBlobGas().lessThan(blobBaseFee)) {
                    blobHeld.add(tx.sender());
                    continue;
                }
                blobGas += g;
            }
            txs.add(tx);
            gas += tx.gasLimit();
        }
        List<Transaction> rejected = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        UInt256 baseFee = nextBaseFee(ph);
        long excessBlobGas = BlockValidation.expectedExcessBlobGas(ph, RULES);
        Hash mixHash = Keccak.hashOf(ph.hash().toArray()); // PREVRANDAO: deterministic, there is no beacon chain
        while (true) {
            WorldState state = store.state(parent.number()).successor();
            state.setBlockHashes(this::blockHash);
            state.trackChanges();
            BlockHeader draft = new BlockHeader(parent.hash(), Hash.EMPTY_LIST, Address.ZERO, Hash.ZERO, Hash.ZERO,
                    Hash.ZERO, new byte[Bloom.BYTES], UInt256.ZERO, number, config.gasLimit(), 0, time, Bytes.EMPTY,
                    mixHash, 0, baseFee, Hash.EMPTY_TRIE, 0L, excessBlobGas, Hash.ZERO, null);
            Address[] senders = new Address[txs.size()];
            for (int i = 0; i < senders.length; i++) senders[i] = txs.get(i).sender();
            BlockExecutor.Result r = executor.execute(draft, FORK, txs, List.of(), 0, state, senders);
            if (!r.valid()) {
                if (r.invalidTx() < 0) throw new IllegalStateException("block " + number + " is invalid: " + r.invalidReason());
                Transaction bad = txs.get(r.invalidTx());
                rejected.add(bad);
                reasons.add(r.invalidReason());
                Address who = senders[r.invalidTx()];
                Set<Transaction> drop = new HashSet<>();
                for (int i = r.invalidTx(); i < txs.size(); i++)
                    if (senders[i].equals(who) && Long.compareUnsigned(txs.get(i).nonce(), bad.nonce()) >= 0) drop.add(txs.get(i));
                txs.removeIf(drop::contains);
                continue;
            }
            List<byte[]> encoded = new ArrayList<>(txs.size());
            for (Transaction tx : txs) encoded.add(tx.encoded());
            BlockHeader h = new BlockHeader(parent.hash(), Hash.EMPTY_LIST, Address.ZERO, state.stateRoot(),
                    TrieRoot.ordered(encoded), r.receiptsRoot(), r.logsBloom(), UInt256.ZERO, number, config.gasLimit(),
                    r.gasUsed(), time, Bytes.EMPTY, mixHash, 0, baseFee, Hash.EMPTY_TRIE, r.blobGasUsed(),
                    excessBlobGas, Hash.ZERO, r.requestsHash() != null ? r.requestsHash() : Requests.hash());
            Block block = seal(h, txs, Arrays.asList(senders), r.receipts());
            store.append(block, state, state.touched());
            return new Sealed(block, System.nanoTime() - t0, rejected, reasons, executor.lastStats());
        }
    }

    private static Block seal(BlockHeader h, List<Transaction> txs, List<Address> senders, List<dev.lanes.executor.Receipt> receipts) {
        long size = BlockRlp.encode(h, txs, List.of(), List.of()).length;
        return new Block(h, h.hash(), txs, senders, receipts, size);
    }

    /** The blob base fee of the next block (EIP-4844). */
    public UInt256 pendingBlobBaseFee() {
        return BlobGas.baseFee(BlockValidation.expectedExcessBlobGas(head().header(), RULES), RULES.blobBaseFeeUpdateFraction);
    }
}
