package dev.lanes.executor.workload;

import dev.lanes.evm.BlockEnv;
import dev.lanes.evm.Fork;
import dev.lanes.evm.ForkRules;
import dev.lanes.evm.interpreter.Evm;
import dev.lanes.evm.tx.Transaction;
import dev.lanes.evm.tx.TransactionProcessor;
import dev.lanes.evm.tx.TxResult;
import dev.lanes.evm.tx.TxType;
import dev.lanes.executor.Bloom;
import dev.lanes.executor.BlockExecutor;
import dev.lanes.executor.BlockHeader;
import dev.lanes.executor.Receipt;
import dev.lanes.executor.Requests;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Bytes;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Keccak;
import dev.lanes.primitives.UInt256;
import dev.lanes.primitives.crypto.Secp256k1;
import dev.lanes.state.WorldState;
import dev.lanes.state.trie.TrieRoot;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * Builds one workload: deterministic keys and accounts, the setup transactions that produce its pre-state
 * (deployments, token distribution, liquidity, approvals) and the block's transactions, with nonces tracked
 * across both. {@link #finish} runs the setup as a block through the sequential {@link BlockExecutor} on a
 * genesis state of funded accounts and keeps the result as a {@link Snapshot} to copy from.
 *
 * <p>Not thread-safe; {@link #finish} must run on a thread with a deep stack.
 */
final class Setup {
    static final Fork FORK = Fork.PRAGUE;
    /** A Prague-era mainnet block number and a timestamp consistent with it (12-second slots after Prague's activation). */
    static final long NUMBER = 22_531_084L, TIMESTAMP = 1_747_812_311L;
    static final long MIN_GAS_LIMIT = 30_000_000L;
    static final UInt256 BASE_FEE = UInt256.of(7);
    static final long GWEI = 1_000_000_000L;
    static final BigInteger ETHER = BigInteger.TEN.pow(18);
    /** The fee recipient: every transaction pays it a priority fee. */
    static final Address COINBASE = Address.fromWord(Keccak.hash("lanes workload coinbase".getBytes(StandardCharsets.US_ASCII)), 0);

    /** An externally owned account: its private key and address. */
    record Eoa(byte[] key, Address address) {}

    final SplittableRandom random;
    private final long seed;
    private long derived;
    private final LinkedHashMap<Address, BigInteger> genesis = new LinkedHashMap<>();
    private final Map<Address, Long> nonces = new HashMap<>();
    private final List<Unsigned> setupTxs = new ArrayList<>();
    private final List<String> setupLabels = new ArrayList<>();
    private final List<Unsigned> blockTxs = new ArrayList<>();
    private long setupGas, blockGas;

    /** A transaction to sign: signing (with the recovery id search) is the costly part, so it is done in parallel at the end. */
    private record Unsigned(Eoa from, long nonce, Address to, BigInteger value, byte[] data, long gas, long tip) {}

    Setup(long seed) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    // ---- accounts ----

    /** A new account whose private key is keccak256(seed || i) (both 8-byte big-endian), funded in genesis with {@code wei}. */
    Eoa account(BigInteger wei) {
        byte[] key;
        do {
            key = Keccak.hash(seedAnd(derived++, 16));
        } while (!Secp256k1.isValidScalar(key)); // practically never loops
        Eoa e = new Eoa(key, Secp256k1.addressFromPrivate(key));
        if (genesis.containsKey(e.address())) throw new IllegalStateException("derived the same account twice");
        if (wei.signum() > 0) genesis.put(e.address(), wei);
        return e;
    }

    /** A new address nobody holds a key for and which does not exist yet: keccak256(seed || i || 0x01)[12:]. */
    Address freshAddress() {
        byte[] in = seedAnd(derived++, 17);
        in[16] = 1;
        return Address.fromWord(Keccak.hash(in), 0);
    }

    /** Gives {@code a} a balance in genesis. */
    void fund(Address a, BigInteger wei) {
        genesis.merge(a, wei, BigInteger::add);
    }

    /** seed || i (8-byte big-endian each), zero-padded to {@code length}: lengths keep the derivations apart. */
    private byte[] seedAnd(long i, int length) {
        byte[] b = new byte[length];
        Bytes.putLong(b, 0, seed);
        Bytes.putLong(b, 8, i);
        return b;
    }

    // ---- transactions ----

    /** A setup transaction creating a contract; returns the contract's address. */
    Address deploy(String label, Eoa from, byte[] initCode, long gas) {
        Address created = Evm.createAddress(from.address(), nonces.getOrDefault(from.address(), 0L));
        setupTxs.add(next(from, null, BigInteger.ZERO, initCode, gas, GWEI));
        setupLabels.add(label);
        setupGas += gas;
        return created;
    }

    /** A setup transaction calling {@code to}. */
    void setupCall(String label, Eoa from, Address to, BigInteger value, byte[] data, long gas) {
        setupTxs.add(next(from, to, value, data, gas, GWEI));
        setupLabels.add(label);
        setupGas += gas;
    }

    /** A transaction of the block itself, with a priority fee of 1 to 3 gwei. */
    void blockCall(Eoa from, Address to, BigInteger value, byte[] data, long gas) {
        long tip = GWEI + random.nextLong(0, 21) * (GWEI / 10);
        blockTxs.add(next(from, to, value, data, gas, tip));
        blockGas += gas;
    }

    /** Shuffles the block's transactions (only for blocks where every sender is distinct: nonces stay valid). */
    void shuffleBlock() {
        for (int i = blockTxs.size() - 1; i > 0; i--) Collections.swap(blockTxs, i, random.nextInt(i + 1));
    }

    private Unsigned next(Eoa from, Address to, BigInteger value, byte[] data, long gas, long tip) {
        long nonce = nonces.getOrDefault(from.address(), 0L);
        nonces.put(from.address(), nonce + 1);
        return new Unsigned(from, nonce, to, value, data, gas, tip);
    }

    private static Transaction sign(Unsigned u) {
        // What wallets offer: a max fee of twice the base fee plus the tip, so the whole tip is paid.
        UInt256 maxFee = BASE_FEE.mul(UInt256.of(2)).add(UInt256.of(u.tip()));
        return Transaction.builder(TxType.DYNAMIC_FEE)
                .chainId(BlockExecutor.CHAIN_ID)
                .nonce(u.nonce())
                .maxPriorityFeePerGas(UInt256.of(u.tip()))
                .maxFeePerGas(maxFee)
                .gasLimit(u.gas())
                .to(u.to())
                .value(UInt256.fromBigInteger(u.value()))
                .data(u.data())
                .sign(u.from().key());
    }

    /** Signs in parallel on the common pool; the order is kept and signatures are deterministic (RFC 6979). */
    private static List<Transaction> signAll(List<Unsigned> txs) {
        Transaction[] signed = new Transaction[txs.size()];
        IntStream.range(0, signed.length).parallel().forEach(i -> signed[i] = sign(txs.get(i)));
        return List.of(signed);
    }

    // ---- the pre-state and the block ----

    /**
     * Runs the setup and returns the workload: the setup transactions go through {@link BlockExecutor} as the
     * parent block on a genesis state of the funded accounts (every one must succeed), then are replayed once
     * through {@link TransactionProcessor} to collect their write sets into the {@link Snapshot} that the
     * workload copies its pre-state from; the snapshot's state root must equal the executed state's.
     */
    Workload finish(String name) {
        List<Transaction> setup = signAll(setupTxs), txs = signAll(blockTxs);
        Hash grandparent = Keccak.hashOf(seedAnd(NUMBER - 2, 24));
        BlockHeader parent = header(NUMBER - 1, TIMESTAMP - 12, grandparent, setupGas, setup);
        BlockHeader block = header(NUMBER, TIMESTAMP, parent.hash(), blockGas, txs);
        Snapshot snapshot = preState(parent, setup);
        return new Workload(name, block, FORK, txs, snapshot::toWorldState);
    }

    private Snapshot preState(BlockHeader parent, List<Transaction> setup) {
        Snapshot snapshot = new Snapshot();
        genesis.forEach((a, wei) -> snapshot.put(a, 0, UInt256.fromBigInteger(wei)));
        if (setup.isEmpty()) return snapshot;

        WorldState state = snapshot.toWorldState();
        BlockExecutor.SenderError[] error = new BlockExecutor.SenderError[1];
        Address[] senders = BlockExecutor.recoverSenders(setup, FORK, ForkJoinPool.commonPool(), error);
        if (error[0] != null) throw new IllegalStateException("setup transaction " + error[0].index() + " ("
                + setupLabels.get(error[0].index()) + "): " + error[0].message());
        BlockExecutor.Result result;
        try (BlockExecutor executor = new BlockExecutor(new Evm())) {
            result = executor.execute(parent, FORK, setup, List.of(), 0, state, senders);
        }
        if (!result.valid()) throw new IllegalStateException("setup block invalid at transaction " + result.invalidTx()
                + (result.invalidTx() >= 0 ? " (" + setupLabels.get(result.invalidTx()) + ")" : "") + ": " + result.invalidReason());
        List<Receipt> receipts = result.receipts();
        for (int i = 0; i < receipts.size(); i++) {
            if (receipts.get(i).status() != 1)
                throw new IllegalStateException("setup transaction " + i + " (" + setupLabels.get(i) + ") failed");
        }

        // The same transactions once more, collecting each write set (BlockExecutor applies them and lets them go).
        ForkRules rules = ForkRules.of(FORK);
        BlockEnv env = BlockExecutor.blockEnv(parent, rules);
        Evm evm = new Evm();
        WorldState replay = snapshot.toWorldState();
        for (int i = 0; i < setup.size(); i++) {
            TxResult r = TransactionProcessor.execute(evm, setup.get(i), senders[i], env, replay, rules, null);
            replay.apply(r.changes());
            snapshot.apply(r.changes());
        }
        Hash expected = state.stateRoot(), got = snapshot.toWorldState().stateRoot();
        if (!expected.equals(got))
            throw new IllegalStateException("pre-state snapshot root " + got + " differs from the executed state's " + expected);
        return snapshot;
    }

    /**
     * A Prague header. The fields that depend on executing the block (state root, receipts root, logs bloom, gas
     * used) are left zero: nothing checks them here, and the executor computes them. The transactions root is real.
     */
    private BlockHeader header(long number, long timestamp, Hash parentHash, long gas, List<Transaction> txs) {
        List<byte[]> encoded = new ArrayList<>(txs.size());
        for (Transaction tx : txs) encoded.add(tx.encoded());
        return new BlockHeader(parentHash, Hash.EMPTY_LIST, COINBASE, Hash.ZERO, TrieRoot.ordered(encoded), Hash.ZERO,
                new byte[Bloom.BYTES], UInt256.ZERO, number, Math.max(MIN_GAS_LIMIT, gas), 0, timestamp,
                "lanes workload".getBytes(StandardCharsets.US_ASCII), Keccak.hashOf(seedAnd(number, 25)), 0,
                BASE_FEE, Hash.EMPTY_TRIE, 0L, 0L, Keccak.hashOf(seedAnd(number, 26)), Requests.hash());
    }
}
