package dev.lanes.executor.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.evm.AccountInfo;
import dev.lanes.evm.EvmThreads;
import dev.lanes.evm.interpreter.Evm;
import dev.lanes.evm.tx.Transaction;
import dev.lanes.executor.BlockExecutor;
import dev.lanes.executor.MainnetForks;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.UInt256;
import dev.lanes.state.WorldState;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every workload, built with 50 transactions, executes sequentially with every receipt successful, and its
 * transactions had exactly the effects they were meant to: balances and token balances moved by the amounts in
 * the transactions, the coinbase got every tip, each pair's reserves moved as Uniswap's pricing says, the
 * counter counted. Expected values come from the transactions themselves and the pre-state, not from the
 * generator's bookkeeping.
 */
class WorkloadsTest {
    static final int N = 50;
    static final long SEED = 42;

    static final byte[] TRANSFER = Abi.selector(Workloads.TRANSFER);
    static final byte[] SWAP = Abi.selector(Workloads.SWAP_EXACT_IN);
    static final UInt256 RESERVES_SLOT = UInt256.of(8), TOKEN0_SLOT = UInt256.of(6), TOKEN1_SLOT = UInt256.of(7);

    /** A block executed on a copy of its pre-state. */
    record Run(Workload w, WorldState pre, WorldState post, BlockExecutor.Result result) {}

    static Run run(Workload w) throws Throwable {
        return EvmThreads.call("workload-test", () -> {
            WorldState pre = w.preState().get(), post = w.preState().get();
            BlockExecutor.SenderError[] error = new BlockExecutor.SenderError[1];
            Address[] senders = BlockExecutor.recoverSenders(w.transactions(), w.fork(), null, error);
            assertNull(error[0]);
            BlockExecutor.Result r = new BlockExecutor(new Evm()).execute(w.header(), w.fork(), w.transactions(), List.of(), 0, post, senders);
            return new Run(w, pre, post, r);
        });
    }

    @TestFactory
    List<DynamicTest> everyWorkloadSucceedsWithItsIntendedEffects() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : Workloads.NAMES) {
            tests.add(DynamicTest.dynamicTest(name, () -> {
                Workload w = Workloads.build(name, N, SEED);
                assertEquals(name, w.name());
                assertEquals(N, w.transactions().size());
                checkHeader(w);
                Run run = run(w);
                assertTrue(run.result().valid(), () -> "invalid: tx " + run.result().invalidTx() + ": " + run.result().invalidReason());
                assertEquals(N, run.result().receipts().size());
                for (int i = 0; i < N; i++) assertEquals(1, run.result().receipts().get(i).status(), name + ": receipt " + i);
                Effects e = checkEffects(run);
                checkShape(name, run, e);
            }));
        }
        return tests;
    }

    static void checkHeader(Workload w) {
        var h = w.header();
        assertEquals(w.fork(), MainnetForks.forkAt(h.number(), h.timestamp()));
        assertEquals(UInt256.of(7), h.baseFee());
        assertNotEquals(Address.ZERO, h.coinbase());
        long limits = w.transactions().stream().mapToLong(Transaction::gasLimit).sum();
        assertTrue(h.gasLimit() >= 30_000_000L && h.gasLimit() >= limits);
    }

    /** What the block did, by kind of transaction, as {@link #checkEffects} found it. */
    record Effects(int plain, int tokenTransfers, int swaps, int counterCalls, Set<Address> senders,
                   Map<Address, Integer> ethRecipients, Map<List<Address>, Integer> tokenRecipients,
                   Map<Address, Integer> swapsByPair, Map<Address, Integer> counters) {}

    static Effects checkEffects(Run run) {
        Workload w = run.w();
        WorldState pre = run.pre(), post = run.post();
        UInt256 baseFee = w.header().baseFee();
        BigInteger tips = BigInteger.ZERO;
        Map<Address, BigInteger> spent = new LinkedHashMap<>();
        Map<Address, Long> sent = new HashMap<>();
        Map<Address, BigInteger> ethIn = new LinkedHashMap<>();
        Map<List<Address>, BigInteger> tokenDelta = new LinkedHashMap<>();
        Map<List<Address>, Integer> tokenRecipients = new LinkedHashMap<>();
        Map<Address, Integer> ethRecipients = new LinkedHashMap<>();
        Map<Address, Integer> swapsByPair = new LinkedHashMap<>();
        Map<Address, Integer> counters = new LinkedHashMap<>();
        Map<Address, BigInteger[]> reserves = new HashMap<>(); // pair -> reserves as they evolve through the block
        int plain = 0, transfers = 0, swaps = 0, counterCalls = 0;

        for (int i = 0; i < w.transactions().size(); i++) {
            Transaction tx = w.transactions().get(i);
            Address from = tx.sender(), to = tx.to();
            long gasUsed = run.result().receipts().get(i).gasUsed();
            UInt256 tip = tx.maxPriorityFeePerGas();
            UInt256 room = tx.maxFeePerGas().sub(baseFee);
            if (room.lessThan(tip)) tip = room;
            assertTrue(!tip.isZero(), "every transaction tips the coinbase");
            tips = tips.add(big(tip).multiply(BigInteger.valueOf(gasUsed)));
            spent.merge(from, big(baseFee.add(tip)).multiply(BigInteger.valueOf(gasUsed)).add(big(tx.value())), BigInteger::add);
            sent.merge(from, 1L, Long::sum);
            byte[] data = tx.data();
            assertNotNull(to, "the block creates no contracts");

            if (data.length == 0 && !hasCode(pre, to)) {
                plain++;
                ethIn.merge(to, big(tx.value()), BigInteger::add);
                ethRecipients.merge(to, 1, Integer::sum);
            } else if (data.length == 0) {
                counterCalls++;
                counters.merge(to, 1, Integer::sum);
            } else if (Arrays.equals(Arrays.copyOf(data, 4), TRANSFER)) {
                transfers++;
                Address recipient = word(data, 0);
                BigInteger amount = big(data, 1);
                tokenDelta.merge(List.of(to, recipient), amount, BigInteger::add);
                tokenDelta.merge(List.of(to, from), amount.negate(), BigInteger::add);
                tokenRecipients.merge(List.of(to, recipient), 1, Integer::sum);
            } else if (Arrays.equals(Arrays.copyOf(data, 4), SWAP)) {
                swaps++;
                Address pair = word(data, 0), tokenIn = word(data, 1), trader = word(data, 4);
                BigInteger amountIn = big(data, 2), minOut = big(data, 3);
                assertEquals(from, trader, "traders swap for themselves");
                Address token0 = Address.fromWord(pre.storage(pair, TOKEN0_SLOT).toBytes(), 0);
                Address token1 = Address.fromWord(pre.storage(pair, TOKEN1_SLOT).toBytes(), 0);
                boolean zeroForOne = tokenIn.equals(token0);
                assertTrue(zeroForOne || tokenIn.equals(token1));
                Address tokenOut = zeroForOne ? token1 : token0;
                BigInteger[] r = reserves.computeIfAbsent(pair, p -> reservesOf(pre, p));
                int in = zeroForOne ? 0 : 1;
                BigInteger out = Workloads.amountOut(amountIn, r[in], r[1 - in]);
                assertTrue(out.compareTo(minOut) >= 0, "output above the minimum");
                r[in] = r[in].add(amountIn);
                r[1 - in] = r[1 - in].subtract(out);
                tokenDelta.merge(List.of(tokenIn, trader), amountIn.negate(), BigInteger::add);
                tokenDelta.merge(List.of(tokenOut, trader), out, BigInteger::add);
                tokenDelta.merge(List.of(tokenIn, pair), amountIn, BigInteger::add);
                tokenDelta.merge(List.of(tokenOut, pair), out.negate(), BigInteger::add);
                swapsByPair.merge(pair, 1, Integer::sum);
            } else {
                throw new AssertionError("unexpected transaction " + i + " to " + to);
            }
        }

        Address coinbase = w.header().coinbase();
        assertEquals(tips, balance(post, coinbase).subtract(balance(pre, coinbase)), "the coinbase got every tip");
        spent.forEach((a, wei) -> {
            assertEquals(wei, balance(pre, a).subtract(balance(post, a)), "sender " + a + " paid value and fees");
            assertEquals(nonce(pre, a) + sent.get(a), nonce(post, a), "sender " + a + " nonce");
        });
        ethIn.forEach((a, wei) -> {
            assertTrue(!spent.containsKey(a) && !a.equals(coinbase));
            assertEquals(wei, balance(post, a).subtract(balance(pre, a)), "ETH received by " + a);
        });
        tokenDelta.forEach((k, delta) -> assertEquals(delta, tokenBalance(post, k.get(0), k.get(1)).subtract(tokenBalance(pre, k.get(0), k.get(1))),
                "token " + k.get(0) + " balance of " + k.get(1)));
        reserves.forEach((pair, r) -> {
            BigInteger[] after = reservesOf(post, pair);
            assertEquals(r[0], after[0], "reserve0 of " + pair);
            assertEquals(r[1], after[1], "reserve1 of " + pair);
            assertEquals(w.header().timestamp(), post.storage(pair, RESERVES_SLOT).toBigInteger().shiftRight(224).longValueExact(),
                    "blockTimestampLast of " + pair);
        });
        counters.forEach((c, calls) -> assertEquals(UInt256.of(calls), post.storage(c, UInt256.ZERO).sub(pre.storage(c, UInt256.ZERO)),
                "counter " + c));
        return new Effects(plain, transfers, swaps, counterCalls, spent.keySet(), ethRecipients, tokenRecipients, swapsByPair, counters);
    }

    static void checkShape(String name, Run run, Effects e) {
        int distinctSenders = e.senders().size();
        switch (name) {
            case "transfers" -> {
                assertEquals(N, e.plain());
                assertEquals(N, distinctSenders);
                assertEquals(N, e.ethRecipients().size());
                e.ethRecipients().keySet().forEach(a -> assertNull(run.pre().account(a), "recipients are new accounts"));
            }
            case "transfers-hot" -> {
                assertEquals(N, e.plain());
                assertEquals(N, distinctSenders);
                assertEquals(1, e.ethRecipients().size());
            }
            case "erc20" -> {
                assertEquals(N, e.tokenTransfers());
                assertEquals(N, distinctSenders);
                assertEquals(N, e.tokenRecipients().size());
                assertEquals(1, e.tokenRecipients().keySet().stream().map(k -> k.get(0)).distinct().count(), "one token");
            }
            case "erc20-hot" -> {
                assertEquals(N, e.tokenTransfers());
                assertEquals(N, distinctSenders);
                assertEquals(1, e.tokenRecipients().size(), "one token, one recipient");
            }
            case "uniswap" -> {
                assertEquals(N, e.swaps());
                assertEquals(N, distinctSenders);
                assertEquals(N, e.swapsByPair().size(), "a pair per swap");
            }
            case "uniswap-hot" -> {
                assertEquals(N, e.swaps());
                assertEquals(N, distinctSenders);
                assertEquals(1, e.swapsByPair().size(), "one pair");
            }
            case "mixed" -> {
                assertEquals(N * 4 / 10, e.plain());
                assertEquals(N * 3 / 10, e.tokenTransfers());
                assertEquals(N - N * 4 / 10 - N * 3 / 10, e.swaps());
                assertEquals(N, distinctSenders);
                assertTrue(e.ethRecipients().values().stream().anyMatch(c -> c > 1), "a hot ETH recipient");
                assertTrue(e.tokenRecipients().values().stream().anyMatch(c -> c > 1), "a hot token recipient");
                assertTrue(e.swapsByPair().values().stream().anyMatch(c -> c > 1), "a hot pair");
                assertTrue(e.swapsByPair().size() > 1, "and pairs of their own");
                assertFalse(run.w().transactions().subList(0, N * 4 / 10).stream().allMatch(t -> t.unsafeData().length == 0),
                        "shuffled, not grouped by kind");
            }
            case "dependent" -> {
                assertEquals(N, e.counterCalls());
                assertEquals(N, distinctSenders);
                assertEquals(1, e.counters().size());
                Address counter = e.counters().keySet().iterator().next();
                assertEquals(UInt256.ZERO, run.pre().storage(counter, UInt256.ZERO));
                assertEquals(UInt256.of(N), run.post().storage(counter, UInt256.ZERO));
            }
            case "chain" -> {
                assertEquals(N, e.plain());
                assertEquals(1, distinctSenders);
                assertEquals(N, e.ethRecipients().size());
                List<Transaction> txs = run.w().transactions();
                for (int i = 0; i < N; i++) assertEquals(txs.get(0).nonce() + i, txs.get(i).nonce());
            }
            default -> throw new AssertionError(name);
        }
    }

    @Test
    void theSameSeedGivesTheSameBlockAndPreState() {
        Workload a = Workloads.build("mixed", 20, 7), b = Workloads.build("mixed", 20, 7), c = Workloads.build("mixed", 20, 8);
        assertEquals(a.header().hash(), b.header().hash());
        assertEquals(a.transactions(), b.transactions());
        assertEquals(a.preState().get().stateRoot(), b.preState().get().stateRoot());
        assertNotEquals(a.header().hash(), c.header().hash());
        assertNotEquals(a.preState().get().stateRoot(), c.preState().get().stateRoot());
    }

    @Test
    void preStateCopiesAreIndependent() throws Throwable {
        Workload w = Workloads.build("uniswap-hot", 10, 3);
        Hash root = w.preState().get().stateRoot();
        Run r = run(w);
        assertTrue(r.result().valid());
        assertNotEquals(root, r.post().stateRoot());
        assertEquals(root, w.preState().get().stateRoot(), "executing one copy leaves the next untouched");
        assertEquals(root, r.pre().stateRoot());
    }

    @Test
    void unknownNamesAndEmptyBlocksAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Workloads.build("nope", 10, 1));
        assertThrows(IllegalArgumentException.class, () -> Workloads.build("transfers", 0, 1));
    }

    @Test
    void smallCountsWork() throws Throwable {
        for (String name : Workloads.NAMES) {
            Run r = run(Workloads.build(name, 1, 5));
            assertTrue(r.result().valid(), name);
            assertEquals(1, r.result().receipts().get(0).status(), name);
        }
    }

    @Test
    void tokensForPairs() {
        assertEquals(2, Workloads.tokensForPairs(1));
        assertEquals(3, Workloads.tokensForPairs(3));
        assertEquals(4, Workloads.tokensForPairs(4));
        assertEquals(11, Workloads.tokensForPairs(50));
    }

    // ---- reading state ----

    static boolean hasCode(WorldState s, Address a) {
        AccountInfo i = s.account(a);
        return i != null && i.hasCode();
    }

    static BigInteger balance(WorldState s, Address a) {
        AccountInfo i = s.account(a);
        return i == null ? BigInteger.ZERO : big(i.balance());
    }

    static long nonce(WorldState s, Address a) {
        AccountInfo i = s.account(a);
        return i == null ? 0 : i.nonce();
    }

    /** OpenZeppelin ERC20 (v5) keeps {@code _balances} at slot 0. */
    static BigInteger tokenBalance(WorldState s, Address token, Address holder) {
        return big(s.storage(token, Abi.mappingSlot(holder, 0)));
    }

    /** UniswapV2Pair slot 8: reserve0 (112 bits), reserve1 (112 bits), blockTimestampLast (32 bits), low to high. */
    static BigInteger[] reservesOf(WorldState s, Address pair) {
        BigInteger packed = big(s.storage(pair, RESERVES_SLOT));
        BigInteger mask = BigInteger.ONE.shiftLeft(112).subtract(BigInteger.ONE);
        return new BigInteger[] {packed.and(mask), packed.shiftRight(112).and(mask)};
    }

    static BigInteger big(UInt256 u) {
        return u.toBigInteger();
    }

    /** Argument {@code i} of calldata, as an unsigned integer. */
    static BigInteger big(byte[] data, int i) {
        return UInt256.fromBytes(data, 4 + 32 * i, 32).toBigInteger();
    }

    /** Argument {@code i} of calldata, as an address. */
    static Address word(byte[] data, int i) {
        return Address.fromWord(data, 4 + 32 * i);
    }
}
