package dev.lanes.executor.workload;

import dev.lanes.evm.EvmThreads;
import dev.lanes.executor.workload.Setup.Eoa;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Bytes;
import dev.lanes.primitives.Hex;
import dev.lanes.primitives.Keccak;
import dev.lanes.primitives.UInt256;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Realistic blocks for the parallel executor's benchmarks and tests, generated deterministically from a seed.
 * Every block runs under Prague on a Prague-era header (base fee 7 wei, gas limit the larger of 30M and the
 * sum of its transactions' limits) and every transaction is an EIP-1559 transaction paying the coinbase a tip
 * of 1 to 3 gwei, so the coinbase is written by all of them. The workloads ({@link #NAMES}):
 * <ul>
 *   <li>{@code transfers}: plain ETH transfers, distinct senders to distinct new accounts;
 *   <li>{@code transfers-hot}: plain ETH transfers from distinct senders all into one account;
 *   <li>{@code erc20}: ERC-20 {@code transfer}s on one OpenZeppelin token, distinct holders to distinct new holders;
 *   <li>{@code erc20-hot}: the same, all to one recipient (one balance slot written by every transaction);
 *   <li>{@code uniswap}: Uniswap V2 swaps, each on its own pair (pairs among a pool of tokens);
 *   <li>{@code uniswap-hot}: Uniswap V2 swaps all on one deep pair (ten times the liquidity), alternating direction;
 *   <li>{@code mixed}: 40% transfers (one in five to an exchange account), 30% ERC-20 transfers on one token (one
 *       in four to the exchange) and 30% swaps (one in three on one hot pair, the rest each on its own), shuffled;
 *   <li>{@code dependent}: every transaction, from its own sender, increments one counter slot and logs the new
 *       value, so each depends on the one before;
 *   <li>{@code chain}: transfers all from one sender, a nonce chain.
 * </ul>
 * Swaps go through {@code Swapper} ({@code tools/workloads/Swapper.sol}), which prices the swap from the
 * reserves, pulls the input from the trader (who approved it) into the pair and calls {@code swap}: the
 * single-hop path of Uniswap's router. Each swap's minimum output is 99% of its quote at the start of the block.
 *
 * <p>The pre-state is built for real: contracts deployed, tokens handed out, pairs created and funded,
 * approvals given, all by transactions run through the sequential block executor as the parent block
 * (see {@link Setup#finish}). {@link Workload#preState()} hands out copies of it. Each {@link #build} call does
 * all of this anew (nothing is cached across calls): keep the {@link Workload} to run it again. The setup is
 * several transactions per block transaction (a swap needs its pair created and funded, and the trader funded
 * and approving), run twice, so building takes much longer than executing: about 15 s for {@code uniswap} with
 * 10,000 transactions on two cores.
 */
public final class Workloads {
    public static final List<String> NAMES = List.of("transfers", "transfers-hot", "erc20", "erc20-hot", "uniswap",
            "uniswap-hot", "mixed", "dependent", "chain");

    /** Gas limits of the block's transactions: what a wallet would set from an estimate, with headroom. */
    static final long TRANSFER_GAS = 21_000, ERC20_TRANSFER_GAS = 65_000, SWAP_GAS = 200_000, COUNTER_GAS = 60_000;

    static final String TRANSFER = "transfer(address,uint256)";
    static final String APPROVE = "approve(address,uint256)";
    static final String CREATE_PAIR = "createPair(address,address)";
    static final String MINT = "mint(address)";
    static final String SWAP_EXACT_IN = "swapExactIn(address,address,uint256,uint256,address)";

    /** One whole token (18 decimals). */
    static final BigInteger TOKEN = BigInteger.TEN.pow(18);
    /** Every token's supply, minted to its deployer: 10^12 tokens (pair reserves are uint112, about 5.2 * 10^33). */
    static final BigInteger SUPPLY = TOKEN.multiply(BigInteger.TEN.pow(12));

    /**
     * The counter of {@code dependent}: {@code sstore(0, sload(0) + 1)} and a log of the new value, as PUSH0 SLOAD PUSH1 1
     * ADD DUP1 PUSH0 SSTORE PUSH0 MSTORE PUSH1 32 PUSH0 LOG0 STOP, behind init code that returns it (PUSH1 15 PUSH1 10
     * PUSH0 CODECOPY PUSH1 15 PUSH0 RETURN). The log makes each transaction's outcome depend on the one before; a
     * counter that only added would be recorded as a delta and run in parallel (docs/parallel.md, lazy increments).
     */
    static final byte[] COUNTER_INIT = Hex.decode("600f600a5f39600f5ff3" + "5f54600101805f555f5260205fa000");

    private Workloads() {}

    /**
     * Builds workload {@code name} with {@code txCount} transactions from {@code seed}: the same arguments give
     * the same block and pre-state. Runs the setup on a thread of its own with a deep stack.
     *
     * @throws IllegalArgumentException for an unknown name or a count below 1
     */
    public static Workload build(String name, int txCount, long seed) {
        if (!NAMES.contains(name)) throw new IllegalArgumentException("unknown workload '" + name + "'; known: " + NAMES);
        if (txCount < 1) throw new IllegalArgumentException("a workload needs at least one transaction: " + txCount);
        return EvmThreads.call("workload-setup", () -> {
            Setup s = new Setup(seed);
            switch (name) {
                case "transfers" -> transfers(s, txCount, false);
                case "transfers-hot" -> transfers(s, txCount, true);
                case "erc20" -> erc20(s, txCount, false);
                case "erc20-hot" -> erc20(s, txCount, true);
                case "uniswap" -> uniswap(s, txCount, false);
                case "uniswap-hot" -> uniswap(s, txCount, true);
                case "mixed" -> mixed(s, txCount);
                case "dependent" -> dependent(s, txCount);
                case "chain" -> chain(s, txCount);
                default -> throw new AssertionError(name);
            }
            return s.finish(name);
        });
    }

    // ---- the workloads ----

    private static void transfers(Setup s, int n, boolean hot) {
        Address sink = null;
        if (hot) {
            sink = s.freshAddress(); // an exchange's deposit account, already in use
            s.fund(sink, ether(3));
        }
        for (int i = 0; i < n; i++) {
            Eoa from = s.account(ether(100));
            s.blockCall(from, hot ? sink : s.freshAddress(), ethAmount(s), Bytes.EMPTY, TRANSFER_GAS);
        }
    }

    private static void erc20(Setup s, int n, boolean hot) {
        Eoa treasury = s.account(ether(1_000));
        Address token = deployToken(s, treasury, "Lanes Dollar", "LUSD");
        Address sink = null;
        if (hot) {
            sink = s.freshAddress();
            s.setupCall("LUSD to the hot recipient", treasury, token, BigInteger.ZERO, Abi.call(TRANSFER, sink, TOKEN.multiply(BigInteger.valueOf(5_000))), 100_000);
        }
        for (int i = 0; i < n; i++) tokenTransfer(s, treasury, token, hot ? sink : s.freshAddress());
    }

    private static void uniswap(Setup s, int n, boolean hot) {
        Eoa treasury = s.account(ether(10_000));
        Dex dex = deployDex(s, treasury);
        if (hot) {
            List<Address> tokens = deployTokens(s, treasury, 2);
            Pair pair = createPair(s, treasury, dex, tokens.get(0), tokens.get(1), HOT_DEPTH);
            for (int i = 0; i < n; i++) swap(s, treasury, dex, pair, i % 2 == 0);
        } else {
            List<Pair> pairs = createPairs(s, treasury, dex, deployTokens(s, treasury, tokensForPairs(n)), n, DEPTH);
            for (int i = 0; i < n; i++) swap(s, treasury, dex, pairs.get(i), s.random.nextBoolean());
        }
    }

    private static void mixed(Setup s, int n) {
        int transfers = n * 4 / 10, erc20 = n * 3 / 10, swaps = n - transfers - erc20;
        int hotSwaps = (swaps + 2) / 3, ownPairs = swaps - hotSwaps;
        Eoa treasury = s.account(ether(10_000));
        Address exchange = s.freshAddress(); // the hot spot: an exchange receiving ETH and the stablecoin
        s.fund(exchange, ether(50));
        Dex dex = deployDex(s, treasury);
        List<Address> tokens = deployTokens(s, treasury, tokensForPairs(ownPairs + 1));
        List<Pair> pairs = createPairs(s, treasury, dex, tokens, ownPairs + 1, HOT_DEPTH);
        Address stable = tokens.get(0);
        Pair hotPair = pairs.get(0);
        for (int i = 0; i < transfers; i++) {
            Eoa from = s.account(ether(100));
            s.blockCall(from, i % 5 == 0 ? exchange : s.freshAddress(), ethAmount(s), Bytes.EMPTY, TRANSFER_GAS);
        }
        for (int i = 0; i < erc20; i++) tokenTransfer(s, treasury, stable, i % 4 == 0 ? exchange : s.freshAddress());
        for (int i = 0, own = 1, onHot = 0; i < swaps; i++) {
            if (i % 3 == 0) swap(s, treasury, dex, hotPair, onHot++ % 2 == 0);
            else swap(s, treasury, dex, pairs.get(own++), s.random.nextBoolean());
        }
        s.shuffleBlock();
    }

    private static void dependent(Setup s, int n) {
        Eoa owner = s.account(ether(10));
        Address counter = s.deploy("counter", owner, COUNTER_INIT, 100_000);
        for (int i = 0; i < n; i++) s.blockCall(s.account(ether(1)), counter, BigInteger.ZERO, Bytes.EMPTY, COUNTER_GAS);
    }

    private static void chain(Setup s, int n) {
        Eoa whale = s.account(ether(n + 1_000L));
        for (int i = 0; i < n; i++) s.blockCall(whale, s.freshAddress(), ethAmount(s), Bytes.EMPTY, TRANSFER_GAS);
    }

    // ---- building blocks ----

    /** A new holder receives 1,000 tokens from the treasury in setup, then sends 1 to 100 of them in the block. */
    private static void tokenTransfer(Setup s, Eoa treasury, Address token, Address to) {
        Eoa holder = s.account(ether(1));
        s.setupCall("tokens to a holder", treasury, token, BigInteger.ZERO, Abi.call(TRANSFER, holder.address(), TOKEN.multiply(BigInteger.valueOf(1_000))), 100_000);
        s.blockCall(holder, token, BigInteger.ZERO, Abi.call(TRANSFER, to, tokenAmount(s, 1, 100)), ERC20_TRANSFER_GAS);
    }

    private static Address deployToken(Setup s, Eoa deployer, String name, String symbol) {
        byte[] init = Bytes.concat(Artifacts.TOKEN, Abi.encode(name, symbol, SUPPLY));
        return s.deploy("deploy " + symbol, deployer, init, 3_000_000);
    }

    private static List<Address> deployTokens(Setup s, Eoa deployer, int count) {
        List<Address> tokens = new ArrayList<>(count);
        for (int i = 0; i < count; i++) tokens.add(deployToken(s, deployer, "Lanes Token " + i, "LT" + i));
        return tokens;
    }

    /** The smallest k with k(k-1)/2 >= pairs: how many tokens give that many distinct pairs. */
    static int tokensForPairs(int pairs) {
        int k = 2;
        while ((long) k * (k - 1) / 2 < pairs) k++;
        return k;
    }

    record Dex(Address factory, Address swapper) {}

    private static Dex deployDex(Setup s, Eoa deployer) {
        Address factory = s.deploy("deploy UniswapV2Factory", deployer,
                Bytes.concat(Artifacts.UNISWAP_FACTORY, Abi.encode(deployer.address())), 6_000_000);
        Address swapper = s.deploy("deploy Swapper", deployer, Artifacts.SWAPPER, 1_000_000);
        return new Dex(factory, swapper);
    }

    /** A pair and its reserves at the start of the block. */
    record Pair(Address address, Address token0, Address token1, BigInteger reserve0, BigInteger reserve1) {}

    /** The first {@code count} pairs of {@code tokens} in (i, j) order, i < j; the first with {@code firstDepth} liquidity. */
    private static List<Pair> createPairs(Setup s, Eoa deployer, Dex dex, List<Address> tokens, int count, long firstDepth) {
        List<Pair> pairs = new ArrayList<>(count);
        for (int i = 0; i < tokens.size() && pairs.size() < count; i++) {
            for (int j = i + 1; j < tokens.size() && pairs.size() < count; j++) {
                pairs.add(createPair(s, deployer, dex, tokens.get(i), tokens.get(j), pairs.isEmpty() ? firstDepth : DEPTH));
            }
        }
        return pairs;
    }

    /** Liquidity of a pair, in whole tokens of its first token: a million, and ten million for a hot pair. */
    static final long DEPTH = 1_000_000, HOT_DEPTH = 10_000_000;

    /**
     * {@code factory.createPair}, then liquidity as the router adds it: both tokens sent to the pair, then
     * {@code pair.mint}. Token {@code a} gets {@code depth} whole tokens, {@code b} half to twice that.
     */
    private static Pair createPair(Setup s, Eoa deployer, Dex dex, Address a, Address b, long depth) {
        s.setupCall("createPair", deployer, dex.factory(), BigInteger.ZERO, Abi.call(CREATE_PAIR, a, b), 4_000_000);
        boolean aFirst = a.compareTo(b) < 0;
        Address token0 = aFirst ? a : b, token1 = aFirst ? b : a;
        Address pair = pairAddress(dex.factory(), token0, token1);
        BigInteger amountA = TOKEN.multiply(BigInteger.valueOf(depth));
        BigInteger amountB = tokenAmount(s, depth / 2, depth * 2);
        s.setupCall("liquidity to a pair", deployer, a, BigInteger.ZERO, Abi.call(TRANSFER, pair, amountA), 100_000);
        s.setupCall("liquidity to a pair", deployer, b, BigInteger.ZERO, Abi.call(TRANSFER, pair, amountB), 100_000);
        s.setupCall("pair.mint", deployer, pair, BigInteger.ZERO, Abi.call(MINT, deployer.address()), 400_000);
        return aFirst ? new Pair(pair, token0, token1, amountA, amountB) : new Pair(pair, token0, token1, amountB, amountA);
    }

    /** The factory's CREATE2 address for a pair: salt keccak256(token0 . token1), init code the pair's creation code. */
    static Address pairAddress(Address factory, Address token0, Address token1) {
        byte[] buf = new byte[85];
        buf[0] = (byte) 0xff;
        System.arraycopy(factory.unsafeBytes(), 0, buf, 1, 20);
        System.arraycopy(Keccak.hash(Bytes.concat(token0.unsafeBytes(), token1.unsafeBytes())), 0, buf, 21, 32);
        System.arraycopy(Artifacts.UNISWAP_PAIR_INIT_HASH.unsafeBytes(), 0, buf, 53, 32);
        return Address.fromWord(Keccak.hash(buf), 0);
    }

    /**
     * A new trader gets twice the input from the treasury and approves the swapper (unlimited) in setup, then
     * swaps in the block the worth of 1 to 10 of the pair's token0 (at the pool's price), so that swaps both
     * ways on a hot pair balance out and its price stays near where it started. The minimum output is 99% of
     * the quote at the start of the block.
     */
    private static void swap(Setup s, Eoa treasury, Dex dex, Pair pair, boolean zeroForOne) {
        Address tokenIn = zeroForOne ? pair.token0() : pair.token1();
        BigInteger reserveIn = zeroForOne ? pair.reserve0() : pair.reserve1();
        BigInteger reserveOut = zeroForOne ? pair.reserve1() : pair.reserve0();
        BigInteger amountIn = tokenAmount(s, 1, 10).multiply(reserveIn).divide(pair.reserve0());
        Eoa trader = s.account(ether(1));
        s.setupCall("tokens to a trader", treasury, tokenIn, BigInteger.ZERO, Abi.call(TRANSFER, trader.address(), amountIn.shiftLeft(1)), 100_000);
        s.setupCall("approve the swapper", trader, tokenIn, BigInteger.ZERO, Abi.call(APPROVE, dex.swapper(), UInt256.MAX), 100_000);
        BigInteger minOut = amountOut(amountIn, reserveIn, reserveOut).multiply(BigInteger.valueOf(99)).divide(BigInteger.valueOf(100));
        s.blockCall(trader, dex.swapper(), BigInteger.ZERO,
                Abi.call(SWAP_EXACT_IN, pair.address(), tokenIn, amountIn, minOut, trader.address()), SWAP_GAS);
    }

    /** Uniswap V2's getAmountOut: the output for {@code in} after the 0.3% fee. */
    static BigInteger amountOut(BigInteger in, BigInteger reserveIn, BigInteger reserveOut) {
        BigInteger inWithFee = in.multiply(BigInteger.valueOf(997));
        return inWithFee.multiply(reserveOut).divide(reserveIn.multiply(BigInteger.valueOf(1000)).add(inWithFee));
    }

    private static BigInteger ether(long n) {
        return Setup.ETHER.multiply(BigInteger.valueOf(n));
    }

    /** 0.001 to 1 ETH. */
    private static BigInteger ethAmount(Setup s) {
        return BigInteger.valueOf(s.random.nextLong(1_000_000_000_000_000L, 1_000_000_000_000_000_000L));
    }

    /** {@code min} to {@code max} tokens, in millionths of a token. */
    private static BigInteger tokenAmount(Setup s, long min, long max) {
        return BigInteger.valueOf(s.random.nextLong(min * 1_000_000, max * 1_000_000 + 1)).multiply(BigInteger.TEN.pow(12));
    }
}
