package dev.lanes.executor.parallel;

import static dev.lanes.executor.parallel.Contracts.*;

import dev.lanes.evm.Fork;
import dev.lanes.evm.interpreter.Evm;
import dev.lanes.evm.tx.AccessListEntry;
import dev.lanes.evm.tx.Authorization;
import dev.lanes.evm.tx.IntrinsicGas;
import dev.lanes.evm.tx.Transaction;
import dev.lanes.evm.tx.TxType;
import dev.lanes.executor.BlockExecutor;
import dev.lanes.executor.BlockHeader;
import dev.lanes.executor.Bloom;
import dev.lanes.executor.Withdrawal;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Keccak;
import dev.lanes.primitives.UInt256;
import dev.lanes.primitives.crypto.Secp256k1;
import dev.lanes.state.WorldState;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * Random blocks for differential testing, deterministic per seed: a pre-state, a header and a transaction
 * list under one fork, with a contention knob (the probability that each random choice of sender, recipient,
 * contract or storage slot picks from a small hot pool instead of a large cold one).
 *
 * <p>Transactions are plain transfers (hot, cold and new recipients), hub scripts (see {@link Contracts}) that
 * nest calls of every kind, creations, self-destructs, logs, transient storage and observations of balances
 * (the coinbase's too) and code, contract creations, same-sender nonce chains, blob transactions and
 * EIP-7702 set-code transactions whose authorizations delegate EOAs to the hub. Senders that start empty are
 * funded earlier in the block. The generator models every sender's nonce (including nonces bumped by
 * applied authorizations), so a block is valid unless it deliberately holds an invalid transaction, which
 * about one block in sixteen does ({@link Block#expectedInvalidTx}).
 */
final class RandomBlocks {
    private RandomBlocks() {}

    /** One pre-state account. */
    record Account(Address address, long nonce, UInt256 balance, byte[] code, Map<UInt256, UInt256> storage) {}

    /** A generated block. {@code expectedInvalidTx} is -1 for a block meant to be valid. */
    record Block(long seed, Fork fork, double contention, BlockHeader header, List<Transaction> txs,
                 List<Withdrawal> withdrawals, int uncles, List<Account> preState, int expectedInvalidTx, String invalidKind,
                 List<String> txNotes, Map<String, Integer> features) {
        WorldState freshState() {
            WorldState s = new WorldState();
            for (Account a : preState) s.put(a.address, a.nonce, a.balance, a.code, a.storage);
            return s;
        }

        String describe() {
            return "seed " + seed + " (" + fork + ", " + txs.size() + " txs, contention " + String.format("%.2f", contention)
                    + (expectedInvalidTx >= 0 ? ", invalid tx " + expectedInvalidTx + " (" + invalidKind + ")" : "") + ")";
        }
    }

    // ------------------------------------------------------------------ fixed actors

    static final int RICH = 20, DELEGATES = 8, DELEGATES_ABSENT = 2, POOR = 6;
    static final byte[][] RICH_KEYS = keys("rich", RICH), DELEGATE_KEYS = keys("delegate", DELEGATES), POOR_KEYS = keys("poor", POOR);
    static final Address[] RICH_ADDR = addresses(RICH_KEYS), DELEGATE_ADDR = addresses(DELEGATE_KEYS), POOR_ADDR = addresses(POOR_KEYS);
    static final Address[] HUBS = fixed("c0de", 6);
    static final Address[] KILLERS = fixed("dead", 3);
    static final Address COUNTER_ADDR = fixed("c0c0", 1)[0];
    static final Address[] HOT_RECIPIENTS = fixed("1111", 2);
    static final Address IDENTITY = Address.ofLow(4);
    static final Set<Address> HUB_SET = Set.of(HUBS);
    static final Set<Address> DELEGATE_SET = Set.of(DELEGATE_ADDR);

    private static byte[][] keys(String group, int n) {
        byte[][] k = new byte[n][];
        for (int i = 0; i < n; i++) k[i] = Keccak.hash(("lanes-parallel-differential-" + group + "-" + i).getBytes(StandardCharsets.UTF_8));
        return k;
    }

    private static Address[] addresses(byte[][] keys) {
        Address[] a = new Address[keys.length];
        for (int i = 0; i < keys.length; i++) a[i] = Secp256k1.addressFromPrivate(keys[i]);
        return a;
    }

    private static Address[] fixed(String prefix, int n) {
        Address[] a = new Address[n];
        for (int i = 0; i < n; i++) a[i] = Address.fromHex("0x" + prefix + "0".repeat(40 - prefix.length() - 2) + String.format("%02x", i + 1));
        return a;
    }

    /** Init codes of creations: counter, self-destructor (with storage and a log), hub, destroyed or reverted or out of gas
     *  during init, 0xEF code (EIP-3541), counter with storage and a log. */
    static final byte[][] INIT_CODES = {deploy(NO_PRELUDE, COUNTER), deploy(STORE_AND_LOG_PRELUDE, KILLER), deploy(NO_PRELUDE, HUB),
        INIT_SELFDESTRUCT, INIT_REVERT, INIT_OUT_OF_GAS, INIT_EF, deploy(STORE_AND_LOG_PRELUDE, COUNTER)};
    private static final int[] INIT_WEIGHTS = {25, 20, 10, 12, 10, 8, 8, 7};

    static final Fork[] FORKS = {Fork.PRAGUE, Fork.CANCUN, Fork.SHANGHAI, Fork.LONDON, Fork.BERLIN, Fork.ISTANBUL};
    private static final int[] FORK_WEIGHTS = {50, 20, 10, 5, 10, 5};

    static Block generate(long seed) {
        return new Gen(seed).block();
    }

    // ------------------------------------------------------------------ the generator

    /** Where a script runs: the account whose storage, balance and nonce it uses. */
    private record Ctx(Address self, boolean eoa, boolean gasBounded) {
        boolean mayCreate() { return !eoa; }
    }

    private static final class Gen {
        final long seed;
        final Random rnd;
        final Fork fork;
        /** Blobs in the block's valid transactions so far. */
        long blobsUsed;
        final double hot;
        final boolean cancun, prague, london, berlin, shanghai, paris;
        final List<Account> pre = new ArrayList<>();
        final Map<Address, Long> nonce = new HashMap<>();
        final Map<Address, byte[]> key = new HashMap<>();
        final List<Address> senders = new ArrayList<>();
        final List<Address> hotSenders = new ArrayList<>();
        final List<Address> coldEoas = new ArrayList<>();
        final List<Address> created = new ArrayList<>();
        final List<Address> unfundedPoor = new ArrayList<>();
        /** Poor senders funded earlier in the block: address -> wei they may still spend. */
        final Map<Address, UInt256> fundedPoor = new LinkedHashMap<>();
        final TreeMap<Integer, List<Address>> poorSpends = new TreeMap<>();
        final List<Transaction> txs = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        final Map<String, Integer> features = new TreeMap<>();
        final Set<Address> preAddresses = new HashSet<>();
        final Set<Address> sentBefore = new HashSet<>();
        Address coinbase;
        UInt256 baseFee;
        long blockGasLimit;
        int invalidAt = -1;
        String invalidKind;
        List<Hash> currentBlobHashes = List.of();

        Gen(long seed) {
            this.seed = seed;
            this.rnd = new Random(seed * 0x9E3779B97F4A7C15L + 17);
            this.fork = FORKS[weighted(FORK_WEIGHTS)];
            double[] knobs = {0.02, 0.2, 0.5, 0.8, 0.97};
            this.hot = rnd.nextInt(3) == 0 ? rnd.nextDouble() : knobs[rnd.nextInt(knobs.length)];
            cancun = fork.isEnabled(Fork.CANCUN);
            prague = fork.isEnabled(Fork.PRAGUE);
            london = fork.isEnabled(Fork.LONDON);
            berlin = fork.isEnabled(Fork.BERLIN);
            shanghai = fork.isEnabled(Fork.SHANGHAI);
            paris = fork.isEnabled(Fork.PARIS);
        }

        int weighted(int... weights) {
            int total = 0;
            for (int w : weights) total += w;
            int r = rnd.nextInt(total);
            for (int i = 0; i < weights.length; i++) {
                if ((r -= weights[i]) < 0) return i;
            }
            throw new AssertionError();
        }

        boolean chance(double p) {
            return rnd.nextDouble() < p;
        }

        boolean isHot() {
            return chance(hot);
        }

        <T> T pick(List<T> l) {
            return l.get(rnd.nextInt(l.size()));
        }

        <T> T pick(T[] a) {
            return a[rnd.nextInt(a.length)];
        }

        Address randomAddress() {
            byte[] b = new byte[20];
            rnd.nextBytes(b);
            b[0] = (byte) 0xa0; // never a precompile or a fixed actor
            return Address.wrap(b);
        }

        Hash randomHash() {
            byte[] b = new byte[32];
            rnd.nextBytes(b);
            return Hash.wrap(b);
        }

        UInt256 wei(long base, int spread) {
            return UInt256.of(base).mul(UInt256.of(1 + rnd.nextInt(spread)));
        }

        // -------------------------------------------------------------- pre-state

        void account(Address a, long n, UInt256 balance, byte[] code, Map<UInt256, UInt256> storage) {
            pre.add(new Account(a, n, balance, code, storage));
            preAddresses.add(a);
        }

        void feature(String name) {
            features.merge(name, 1, Integer::sum);
        }

        void preState() {
            UInt256 eth = UInt256.of(1_000_000_000_000_000_000L);
            for (int i = 0; i < RICH; i++) {
                long n = chance(0.2) ? 0 : rnd.nextInt(4);
                if (chance(0.05)) n = 1000 + rnd.nextInt(1000);
                account(RICH_ADDR[i], n, eth.mul(UInt256.of(1_000_000 + rnd.nextInt(1000))), new byte[0], Map.of());
                nonce.put(RICH_ADDR[i], n);
                key.put(RICH_ADDR[i], RICH_KEYS[i]);
                senders.add(RICH_ADDR[i]);
            }
            int nHot = 1 + rnd.nextInt(3);
            for (int i = 0; i < nHot; i++) hotSenders.add(RICH_ADDR[i]);
            for (int i = 0; i < DELEGATES; i++) {
                key.put(DELEGATE_ADDR[i], DELEGATE_KEYS[i]);
                if (i >= DELEGATES - DELEGATES_ABSENT) {
                    nonce.put(DELEGATE_ADDR[i], 0L); // not in the pre-state: an authority that does not exist yet
                    continue;
                }
                long n = rnd.nextInt(3);
                byte[] code = new byte[0];
                if (prague && chance(0.4)) code = dev.lanes.evm.Code.delegationTo(chance(0.7) ? HUBS[rnd.nextInt(2)] : COUNTER_ADDR);
                Map<UInt256, UInt256> storage = chance(0.3) ? Map.of(UInt256.ZERO, UInt256.of(5)) : Map.of();
                account(DELEGATE_ADDR[i], n, eth.mul(UInt256.of(10_000)), code, storage);
                nonce.put(DELEGATE_ADDR[i], n);
                senders.add(DELEGATE_ADDR[i]);
            }
            for (int i = 0; i < POOR; i++) {
                key.put(POOR_ADDR[i], POOR_KEYS[i]);
                nonce.put(POOR_ADDR[i], 0L);
                if (chance(0.5)) account(POOR_ADDR[i], 0, UInt256.ZERO, new byte[0], Map.of());
                unfundedPoor.add(POOR_ADDR[i]);
            }
            for (Address h : HUBS) {
                Map<UInt256, UInt256> st = new HashMap<>();
                for (int s = 0; s < 3; s++) if (chance(0.6)) st.put(UInt256.of(s), UInt256.of(1 + rnd.nextInt(1000)));
                for (int s = 0; s < 4; s++) if (chance(0.3)) st.put(UInt256.of(16 + rnd.nextInt(60_000)), UInt256.of(1 + rnd.nextInt(9)));
                if (chance(0.3)) st.put(UInt256.of(OBSERVED_SLOT_BASE + 1), UInt256.of(7));
                account(h, 1, chance(0.3) ? UInt256.ZERO : wei(1_000_000_000_000_000L, 100), HUB, st);
            }
            for (Address k : KILLERS) {
                account(k, 1, chance(0.5) ? UInt256.ZERO : wei(1_000_000_000L, 1000), KILLER, chance(0.5) ? Map.of(UInt256.ONE, UInt256.of(3)) : Map.of());
            }
            account(COUNTER_ADDR, 1, UInt256.ZERO, COUNTER, Map.of(UInt256.ZERO, UInt256.of(rnd.nextInt(3))));
            // EIP-7610: storage but no code and no nonce where the hot hub's CREATE2 with a hot salt would deploy
            for (int i = 0; i < 2; i++) {
                Address a = Evm.create2Address(HUBS[0], UInt256.of(rnd.nextInt(2)), INIT_CODES[rnd.nextInt(INIT_CODES.length)]);
                if (chance(0.5) && !preAddresses.contains(a)) {
                    account(a, 0, chance(0.5) ? UInt256.ZERO : UInt256.of(12_345), new byte[0], Map.of(UInt256.ONE, UInt256.ONE));
                    created.add(a);
                }
            }
            for (Address r : HOT_RECIPIENTS) if (chance(0.6)) account(r, 0, wei(1_000_000L, 1000), new byte[0], Map.of());
            int cold = 6 + rnd.nextInt(8);
            for (int i = 0; i < cold; i++) {
                Address a = randomAddress();
                account(a, rnd.nextInt(3), chance(0.2) ? UInt256.ZERO : wei(1_000_000_000L, 1000), new byte[0], Map.of());
                coldEoas.add(a);
            }
            coinbase = switch (weighted(35, 25, 15, 15, 10)) {
                case 0 -> randomAddress();
                case 1 -> pick(hotSenders);
                case 2 -> HUBS[0];
                case 3 -> HOT_RECIPIENTS[0];
                default -> DELEGATE_ADDR[rnd.nextInt(DELEGATES)];
            };
        }

        // -------------------------------------------------------------- choices

        int slot() {
            return isHot() ? rnd.nextInt(3) : 16 + rnd.nextInt(60_000);
        }

        int mode() {
            if (chance(0.5)) return 0;
            return isHot() ? 1 + rnd.nextInt(2) : 3 + rnd.nextInt(200);
        }

        Address hub() {
            return isHot() ? HUBS[0] : HUBS[1 + rnd.nextInt(HUBS.length - 1)];
        }

        /** An account without code (or possibly delegated): hot recipients, the coinbase, cold, new, senders. */
        Address eoa() {
            if (isHot()) return switch (rnd.nextInt(4)) {
                case 0, 1 -> HOT_RECIPIENTS[rnd.nextInt(HOT_RECIPIENTS.length)];
                case 2 -> coinbase;
                default -> pick(hotSenders);
            };
            return switch (rnd.nextInt(6)) {
                case 0, 1 -> randomAddress();
                case 2 -> pick(coldEoas);
                case 3 -> pick(RICH_ADDR);
                case 4 -> randomAddress(); // (never a poor key: their balances are modelled)
                default -> pick(DELEGATE_ADDR);
            };
        }

        /** Any account worth observing. */
        Address anyAccount() {
            return switch (rnd.nextInt(8)) {
                case 0 -> coinbase;
                case 1 -> hub();
                case 2 -> pick(KILLERS);
                case 3 -> created.isEmpty() ? COUNTER_ADDR : pick(created);
                case 4 -> pick(DELEGATE_ADDR);
                default -> eoa();
            };
        }

        // -------------------------------------------------------------- scripts

        byte[] script(Ctx ctx, int depth) {
            Script s = new Script();
            int n = depth == 0 ? 1 + rnd.nextInt(5) : 1 + rnd.nextInt(3);
            for (int i = 0; i < n; i++) {
                if (command(s, ctx, depth)) break; // a terminating command
            }
            return s.bytes();
        }

        /** Appends one random command; true when it ends the frame. */
        boolean command(Script s, Ctx ctx, int depth) {
            int c = weighted(14, 6, 8, 5, 6, 2, 3, 4, cancun ? 4 : 0, cancun ? 1 : 0, depth < 3 ? 16 : 0,
                    ctx.mayCreate() ? 6 : 0, ctx.mayCreate() ? 2 : 0, 2, 1, 1, ctx.gasBounded() ? 2 : 0, 1);
            switch (c) {
                case 0 -> {
                    switch (rnd.nextInt(6)) {
                        case 0, 1 -> s.sub(slot(), 1 + rnd.nextInt(3));
                        case 2 -> s.safeAdd(slot(), 1 + rnd.nextInt(3));
                        case 3 -> s.checkedAdd(slot(), 1 + rnd.nextInt(3));
                        default -> s.inc(slot());
                    }
                }
                case 1 -> s.set(slot(), chance(0.4) ? 0 : rnd.nextInt(256));
                case 2 -> s.log(rnd.nextInt(5), slot());
                case 3 -> s.sload(slot(), mode());
                case 4 -> s.balance(chance(0.4) ? coinbase : anyAccount(), mode());
                case 5 -> s.coinbaseBalance(mode());
                case 6 -> s.selfBalance(mode());
                case 7 -> {
                    if (chance(0.5)) s.extCodeHash(anyAccount(), mode());
                    else s.extCodeSize(anyAccount(), mode());
                }
                case 8 -> {
                    if (chance(0.5)) s.tstore(rnd.nextInt(3), rnd.nextInt(256));
                    else s.tload(rnd.nextInt(3), mode());
                }
                case 9 -> s.blobHash(rnd.nextInt(4), mode());
                case 10 -> call(s, ctx, depth);
                case 11 -> create(s, ctx);
                case 12 -> {
                    if (!cancun && HUB_SET.contains(ctx.self()) && chance(0.85)) {
                        // before Cancun this deletes the hub for the rest of the block: mostly let a killer die instead
                        s.call(C_CALL, pick(KILLERS), 0, 0, 0, new byte[0]);
                        return false;
                    }
                    s.selfDestruct(chance(0.5) ? eoa() : anyAccount());
                    return true;
                }
                case 13 -> {
                    s.revert();
                    return true;
                }
                case 14 -> {
                    s.invalid();
                    return true;
                }
                case 15 -> {
                    s.burn();
                    return true;
                }
                case 16 -> {
                    s.burnLoop();
                    return true;
                }
                default -> {
                    s.ret();
                    return true;
                }
            }
            return false;
        }

        void call(Script s, Ctx ctx, int depth) {
            int kind = switch (weighted(50, 15, 20, 15)) {
                case 0 -> C_CALL;
                case 1 -> C_DELEGATECALL;
                case 2 -> C_STATICCALL;
                default -> C_CALLCODE;
            };
            boolean codeOnly = kind == C_DELEGATECALL || kind == C_CALLCODE;
            int gasUnits = chance(0.6) ? 0 : 1 + rnd.nextInt(2000);
            // a failing static call burns what it was given: with all the gas, nothing after it could run
            if (kind == C_STATICCALL && gasUnits == 0 && chance(0.7)) gasUnits = 1 + rnd.nextInt(800);
            boolean bounded = ctx.gasBounded() || (gasUnits > 0 && gasUnits <= 400);
            int flags = (chance(0.25) ? CALL_REVERT_ON_FAILURE : 0) | (chance(0.3) ? CALL_LOG_RESULT : 0)
                    | (!ctx.eoa() && chance(0.1) ? CALL_HALF_BALANCE : 0);
            int value = chance(0.5) ? 0 : 1 + rnd.nextInt(65_535);
            Address to;
            byte[] sub = new byte[0];
            if (codeOnly) {
                // runs the target's code in this frame's account: only code that cannot empty an EOA's balance
                to = ctx.eoa() ? (chance(0.85) ? hub() : COUNTER_ADDR) : switch (rnd.nextInt(6)) {
                    case 0 -> pick(KILLERS);
                    case 1 -> COUNTER_ADDR;
                    default -> hub();
                };
                if (HUB_SET.contains(to)) sub = script(new Ctx(ctx.self(), ctx.eoa(), bounded), depth + 1);
            } else {
                switch (weighted(45, prague ? 12 : 0, created.isEmpty() ? 0 : 8, 20, 6, 4, 3)) {
                    case 0 -> {
                        to = hub();
                        sub = script(new Ctx(to, false, bounded), depth + 1);
                    }
                    case 1 -> {
                        to = pick(DELEGATE_ADDR);
                        sub = script(new Ctx(to, true, bounded), depth + 1);
                    }
                    case 2 -> {
                        to = pick(created);
                        sub = script(new Ctx(to, false, bounded), depth + 1);
                    }
                    case 3 -> to = eoa();
                    case 4 -> to = pick(KILLERS);
                    case 5 -> to = COUNTER_ADDR;
                    default -> {
                        to = IDENTITY;
                        sub = new byte[1 + rnd.nextInt(40)];
                        rnd.nextBytes(sub);
                    }
                }
            }
            s.call(kind, to, value, gasUnits, flags, sub);
        }

        byte[] initCode() {
            return INIT_CODES[weighted(INIT_WEIGHTS)];
        }

        void create(Script s, Ctx ctx) {
            byte[] init = initCode();
            int flags = (chance(0.5) ? CREATE_THEN_CALL : 0) | (chance(0.5) ? CREATE_LOG_ADDRESS : 0)
                    | (chance(0.15) ? CREATE_REVERT_ON_FAILURE : 0);
            int value = chance(0.6) ? 0 : 1 + rnd.nextInt(1000);
            if (chance(0.5)) {
                s.create(value, flags, init);
            } else {
                int salt = isHot() ? rnd.nextInt(2) : rnd.nextInt(256);
                s.create2(value, flags, salt, init);
                Address a = Evm.create2Address(ctx.self(), UInt256.of(salt), init);
                if (!created.contains(a)) created.add(a);
            }
        }

        // -------------------------------------------------------------- transactions

        Address sender() {
            return isHot() ? pick(hotSenders) : pick(senders);
        }

        List<AccessListEntry> accessList() {
            if (chance(0.5)) return List.of();
            List<AccessListEntry> l = new ArrayList<>();
            int n = 1 + rnd.nextInt(3);
            for (int i = 0; i < n; i++) {
                Address a = switch (rnd.nextInt(4)) {
                    case 0 -> hub();
                    case 1 -> coinbase;
                    case 2 -> eoa();
                    default -> HUBS[0];
                };
                List<Hash> keys = new ArrayList<>();
                int k = rnd.nextInt(4);
                for (int j = 0; j < k; j++) keys.add(Hash.wrap(UInt256.of(slot()).toBytes()));
                l.add(new AccessListEntry(a, keys));
            }
            return l;
        }

        TxType plainType() {
            List<TxType> types = new ArrayList<>(List.of(TxType.LEGACY));
            if (berlin) types.add(TxType.ACCESS_LIST);
            if (london) types.add(TxType.DYNAMIC_FEE);
            return pick(types);
        }

        /** Fills in fees (valid for the block unless {@code lowFee}) and the chain id. */
        Transaction.Builder builder(TxType type, boolean lowFee) {
            Transaction.Builder b = Transaction.builder(type);
            if (type != TxType.LEGACY || chance(0.8)) b.chainId(BlockExecutor.CHAIN_ID);
            long base = london ? baseFee.u0() : 0;
            if (type == TxType.LEGACY || type == TxType.ACCESS_LIST) {
                long price = base + rnd.nextInt(20);
                if (!london && chance(0.1)) price = 0;
                b.gasPrice(UInt256.of(lowFee ? base - 1 : price));
            } else {
                long max = lowFee ? base - 1 : base + rnd.nextInt(50);
                b.maxFeePerGas(UInt256.of(max)).maxPriorityFeePerGas(UInt256.of(chance(0.2) ? max : rnd.nextInt((int) Math.min(max, 60) + 1)));
            }
            if (type != TxType.LEGACY) b.accessList(accessList());
            return b;
        }

        /** The intrinsic gas (or EIP-7623 floor) of what the builder holds, from a provisional signature. */
        long intrinsicOf(Transaction.Builder b, TxType type) {
            // v = 37 encodes chain id 1 for a legacy transaction; a typed one takes the y parity
            Transaction t = b.gasLimit(0).withSignature(type == TxType.LEGACY ? UInt256.of(37) : UInt256.ZERO, UInt256.ONE, UInt256.ONE);
            return Math.max(IntrinsicGas.of(t, fork), IntrinsicGas.floorOf(t, fork));
        }

        /** The gas limit: generous, or (tight) barely above the intrinsic gas. */
        long gas(Transaction.Builder b, TxType type, boolean tight) {
            long g = intrinsicOf(b, type);
            return tight ? g + rnd.nextInt(25_000) : g + 100_000 + rnd.nextInt(1_400_000);
        }

        Transaction.Builder body(Transaction.Builder b, Address to, UInt256 value, byte[] data) {
            return b.to(to).value(value).data(data);
        }

        Transaction sign(Transaction.Builder b, Address sender, String note) {
            long n = nonce.get(sender);
            nonce.put(sender, n + 1);
            Transaction t = b.nonce(n).sign(key.get(sender));
            if (!sentBefore.add(sender)) feature("transactions from a sender that already sent one in the block");
            txs.add(t);
            notes.add(note);
            return t;
        }

        void transfer() {
            Address from = sender();
            TxType type = plainType();
            Address to = eoa();
            UInt256 value = switch (rnd.nextInt(4)) {
                case 0 -> UInt256.ZERO;
                case 1 -> UInt256.of(1 + rnd.nextInt(1000));
                default -> wei(1_000_000_000_000L, 1_000_000);
            };
            byte[] data = new byte[chance(0.8) ? 0 : rnd.nextInt(40)];
            rnd.nextBytes(data);
            Transaction.Builder b = body(builder(type, false), to, value, data);
            long g = intrinsicOf(b, type);
            b.gasLimit(chance(0.7) ? g : g + rnd.nextInt(30_000));
            feature("plain transfers");
            if (!preAddresses.contains(to)) feature("plain transfers to accounts not in the pre-state");
            if (to.equals(coinbase) || List.of(HOT_RECIPIENTS).contains(to)) feature("plain transfers to hot recipients or the coinbase");
            sign(b, from, "transfer " + from + " -> " + to);
        }

        void scriptTx(TxType type) {
            Address from = sender();
            boolean tight = chance(0.12);
            Address to;
            byte[] data;
            if (prague && chance(0.15)) {
                to = pick(DELEGATE_ADDR);
                data = script(new Ctx(to, true, tight), 0);
            } else if (chance(0.05)) {
                to = pick(KILLERS);
                data = new byte[0];
            } else if (!created.isEmpty() && chance(0.1)) {
                to = pick(created);
                data = script(new Ctx(to, false, tight), 0);
            } else {
                to = hub();
                data = script(new Ctx(to, false, tight), 0);
            }
            UInt256 value = chance(0.6) ? UInt256.ZERO : UInt256.of(1 + rnd.nextInt(1_000_000));
            Transaction.Builder b = body(builder(type, false), to, value, data);
            if (type == TxType.BLOB) blob(b, false);
            b.gasLimit(gas(b, type, tight));
            if (tight) feature("script transactions with tight gas limits");
            if (DELEGATE_SET.contains(to)) feature("script transactions to EIP-7702 delegate EOAs");
            sign(b, from, type + " script " + from + " -> " + to + (tight ? " (tight gas)" : ""));
        }

        /** Blobs the block still has room for (EIP-4844: a valid block stays within the fork's blob gas). */
        long blobRoom() {
            return dev.lanes.evm.ForkRules.of(fork).maxBlobGasPerBlock / dev.lanes.evm.tx.TransactionProcessor.GAS_PER_BLOB - blobsUsed;
        }

        void blob(Transaction.Builder b, boolean lowBlobFee) {
            List<Hash> hashes = new ArrayList<>();
            int n = 1 + rnd.nextInt(3);
            if (!lowBlobFee) n = (int) Math.min(n, blobRoom()); // the invalid one is rejected before its blobs count
            blobsUsed += lowBlobFee ? 0 : n;
            for (int i = 0; i < n; i++) {
                byte[] h = randomHash().toArray();
                h[0] = Transaction.VERSIONED_HASH_VERSION_KZG;
                hashes.add(Hash.wrap(h));
            }
            b.blobVersionedHashes(hashes).maxFeePerBlobGas(UInt256.of(lowBlobFee ? 0 : 1 + rnd.nextInt(10)));
        }

        void createTx() {
            Address from = sender();
            TxType type = plainType();
            byte[] init = initCode();
            long n = nonce.get(from);
            Transaction.Builder b = body(builder(type, false), null, chance(0.5) ? UInt256.ZERO : UInt256.of(rnd.nextInt(10_000)), init);
            b.gasLimit(gas(b, type, chance(0.1)));
            sign(b, from, "create from " + from);
            created.add(Evm.createAddress(from, n));
        }

        void setCodeTx() {
            Address from = sender();
            boolean tight = chance(0.1);
            long senderNonce = nonce.get(from);
            nonce.put(from, senderNonce + 1); // the sender's nonce goes up before the authorizations are applied
            List<Authorization> auths = new ArrayList<>();
            int n = 1 + rnd.nextInt(3);
            StringBuilder note = new StringBuilder();
            for (int i = 0; i < n; i++) {
                Address authority = DELEGATE_SET.contains(from) && chance(0.25) ? from : pick(DELEGATE_ADDR);
                long current = nonce.get(authority);
                long an = chance(0.85) ? current : current + (chance(0.5) || current == 0 ? 1 : -1);
                long chain = switch (weighted(75, 18, 7)) {
                    case 0 -> BlockExecutor.CHAIN_ID;
                    case 1 -> 0; // valid on any chain
                    default -> 7; // another chain: skipped
                };
                Address target = switch (weighted(40, 25, 10, 15, 10)) {
                    case 0 -> HUBS[0];
                    case 1 -> hub();
                    case 2 -> COUNTER_ADDR;
                    case 3 -> Address.ZERO; // clears the delegation
                    default -> randomAddress(); // delegates to an account without code
                };
                auths.add(Authorization.sign(UInt256.of(chain), target, an, key.get(authority)));
                boolean applies = an == current && chain != 7;
                if (applies) nonce.put(authority, current + 1);
                feature(applies ? "authorizations expected to apply" : "authorizations expected to be skipped");
                if (authority.equals(from)) feature("authorizations signed by the transaction's sender");
                note.append(' ').append(applies ? "+" : "-").append(authority);
            }
            Address to = chance(0.7) ? pick(DELEGATE_ADDR) : hub();
            byte[] data = script(new Ctx(to, DELEGATE_SET.contains(to), tight), 0);
            Transaction.Builder b = body(builder(TxType.SET_CODE, false), to, chance(0.7) ? UInt256.ZERO : UInt256.of(rnd.nextInt(1000)), data);
            b.authorizationList(auths);
            b.gasLimit(gas(b, TxType.SET_CODE, tight));
            txs.add(b.nonce(senderNonce).sign(key.get(from)));
            notes.add("set-code " + from + " -> " + to + " auths" + note);
        }

        void fundPoor() {
            Address poor = unfundedPoor.remove(rnd.nextInt(unfundedPoor.size()));
            Address from = sender();
            TxType type = plainType();
            UInt256 amount = wei(1_000_000_000_000_000L, 10);
            Transaction.Builder b = body(builder(type, false), poor, amount, new byte[0]);
            b.gasLimit(intrinsicOf(b, type));
            sign(b, from, "fund " + poor);
            fundedPoor.put(poor, amount);
            int at = txs.size() + rnd.nextInt(8);
            poorSpends.computeIfAbsent(at, k -> new ArrayList<>()).add(poor);
            if (chance(0.4)) poorSpends.computeIfAbsent(at + 1 + rnd.nextInt(4), k -> new ArrayList<>()).add(poor);
        }

        void poorSpend(Address poor) {
            TxType type = plainType();
            UInt256 budget = fundedPoor.get(poor);
            boolean script = chance(0.5);
            Address to = script ? hub() : eoa();
            byte[] data = script ? script(new Ctx(to, false, false), 0) : new byte[0];
            UInt256 value = UInt256.of(rnd.nextInt(1_000_000));
            Transaction.Builder b = body(builder(type, false), to, value, data);
            long g = script ? gas(b, type, false) : intrinsicOf(b, type);
            b.gasLimit(g);
            UInt256 price = UInt256.of(london ? baseFee.u0() + 60 : 20);
            UInt256 cost = UInt256.of(g).mul(price).add(value);
            if (budget.lessThan(cost)) throw new AssertionError("poor sender budget too small");
            fundedPoor.put(poor, budget.sub(cost));
            feature("transactions from senders funded earlier in the block");
            sign(b, poor, "poor spend " + poor);
        }

        // -------------------------------------------------------------- invalid transactions

        void invalidTx() {
            invalidAt = txs.size();
            List<String> kinds = new ArrayList<>(List.of("nonce gap", "block gas exceeded"));
            if (senders.stream().anyMatch(a -> nonce.get(a) > 0)) kinds.add("nonce too low");
            if (!unfundedPoor.isEmpty()) kinds.add("insufficient funds");
            if (london) kinds.add("fee below base fee");
            if (cancun) kinds.add("blob fee too low");
            invalidKind = pick(kinds);
            Address from = sender();
            TxType type = plainType();
            Address to = eoa();
            UInt256 value = UInt256.of(1 + rnd.nextInt(1000));
            Transaction.Builder b;
            long n = nonce.get(from);
            switch (invalidKind) {
                case "nonce gap" -> {
                    b = body(builder(type, false), to, value, new byte[0]);
                    n += 1 + rnd.nextInt(3);
                }
                case "nonce too low" -> {
                    List<Address> withNonce = senders.stream().filter(a -> nonce.get(a) > 0).toList();
                    from = pick(withNonce);
                    n = nonce.get(from) - 1 - rnd.nextInt((int) Math.min(nonce.get(from), 3));
                    b = body(builder(type, false), to, value, new byte[0]);
                }
                case "insufficient funds" -> {
                    from = pick(unfundedPoor);
                    n = 0;
                    b = body(builder(type, false), to, value, new byte[0]);
                }
                case "fee below base fee" -> {
                    type = chance(0.5) ? TxType.DYNAMIC_FEE : TxType.LEGACY;
                    b = body(builder(type, true), to, value, new byte[0]);
                }
                case "blob fee too low" -> {
                    type = TxType.BLOB;
                    b = body(builder(type, false), hub(), value, script(new Ctx(HUBS[0], false, false), 0));
                    blob(b, true);
                }
                default -> b = body(builder(type, false), to, value, new byte[0]); // block gas exceeded
            }
            long g = intrinsicOf(b, type);
            b.gasLimit(invalidKind.equals("block gas exceeded") ? blockGasLimit : g + rnd.nextInt(50_000));
            txs.add(b.nonce(n).sign(key.get(from)));
            notes.add("INVALID (" + invalidKind + ") from " + from);
        }

        // -------------------------------------------------------------- the block

        Block block() {
            preState();
            baseFee = london ? UInt256.of(2 + rnd.nextInt(1000)) : null;
            blockGasLimit = 150_000_000L;
            int n = 10 + rnd.nextInt(51);
            int invalid = chance(1.0 / 16) ? 1 + rnd.nextInt(n - 1) : -1;
            for (int i = 0; i < n; i++) {
                if (i == invalid) {
                    invalidTx();
                    continue;
                }
                List<Address> due = poorSpends.remove(txs.size());
                if (due != null) {
                    for (Address p : due) poorSpend(p);
                    continue;
                }
                int kind = weighted(20, 40, 7, prague ? 9 : 0, cancun ? 7 : 0, unfundedPoor.isEmpty() ? 0 : 4);
                switch (kind) {
                    case 0 -> transfer();
                    case 1 -> scriptTx(plainType());
                    case 2 -> createTx();
                    case 3 -> setCodeTx();
                    case 4 -> scriptTx(blobRoom() > 0 ? TxType.BLOB : TxType.DYNAMIC_FEE);
                    default -> fundPoor();
                }
            }
            List<Withdrawal> withdrawals = new ArrayList<>();
            if (shanghai) {
                int w = rnd.nextInt(4);
                for (int i = 0; i < w; i++) {
                    Address a = switch (rnd.nextInt(4)) {
                        case 0 -> HOT_RECIPIENTS[0];
                        case 1 -> HUBS[0];
                        case 2 -> coinbase;
                        default -> randomAddress();
                    };
                    withdrawals.add(new Withdrawal(i, rnd.nextInt(1000), a, chance(0.2) ? 0 : rnd.nextInt(1_000_000)));
                }
            }
            int uncles = paris ? 0 : rnd.nextInt(3);
            BlockHeader h = new BlockHeader(randomHash(), Hash.EMPTY_LIST, coinbase, Hash.ZERO, Hash.ZERO, Hash.ZERO,
                    new byte[Bloom.BYTES], paris ? UInt256.ZERO : UInt256.of(1 + rnd.nextInt(1_000_000_000)),
                    20_000_000L + rnd.nextInt(1_000_000), blockGasLimit, 0, 1_750_000_000L + rnd.nextInt(1_000_000),
                    new byte[0], randomHash(), 0, baseFee, shanghai ? Hash.EMPTY_TRIE : null, cancun ? 0L : null,
                    cancun ? 0L : null, cancun ? randomHash() : null, prague ? randomHash() : null);
            return new Block(seed, fork, hot, h, List.copyOf(txs), withdrawals, uncles, List.copyOf(pre), invalidAt, invalidKind,
                    List.copyOf(notes), Map.copyOf(features));
        }
    }
}
