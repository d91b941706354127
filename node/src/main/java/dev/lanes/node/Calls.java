package dev.lanes.node;

import dev.lanes.evm.BlockEnv;
import dev.lanes.evm.Status;
import dev.lanes.evm.Tracer;
import dev.lanes.evm.tx.AccessListEntry;
import dev.lanes.evm.interpreter.Evm;
import dev.lanes.evm.tx.IntrinsicGas;
import dev.lanes.evm.tx.InvalidTransactionException;
import dev.lanes.evm.tx.Transaction;
import dev.lanes.evm.tx.TransactionProcessor;
import dev.lanes.evm.tx.TxResult;
import dev.lanes.evm.tx.TxType;
import dev.lanes.executor.BlockExecutor;
import dev.lanes.executor.BlockHeader;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.UInt256;
import dev.lanes.state.WorldState;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code eth_call} and {@code eth_estimateGas}: the request runs as a transaction through the same
 * {@link TransactionProcessor} blocks use, on a block's post-state, and its write set is thrown away. The sender
 * is given rather than recovered, so the transaction needs no signature; its nonce is the sender's. When the
 * request names no fee the base fee is taken as zero, as geth does, so that an account without ether can call.
 *
 * <p>A time cap bounds each RPC call's executions together ({@link #timed}); block execution does not go
 * through this class and has no such cap.
 */
public final class Calls implements AutoCloseable {
    private final Evm evm = new Evm();
    private final long chainId;
    /** The time cap of one {@link #timed} scope in nanoseconds; 0 for none. */
    private final long timeoutNanos;
    private final String timeoutText;
    /** Fires the aborts; made on first use, so a node without a cap (or without calls) has no such thread. */
    private ScheduledThreadPoolExecutor timer;
    /** The {@link #timed} scope running now (on the chain thread), or null; guarded by {@code this}. */
    private Object scope;
    /** Scopes whose time cap ran out (metrics; read from any thread). */
    private final java.util.concurrent.atomic.AtomicLong timeouts = new java.util.concurrent.atomic.AtomicLong();

    public Calls(long chainId) {
        this(chainId, Duration.ZERO);
    }

    /**
     * @param timeout the wall-clock limit of each {@link #timed} scope (all executions in it together);
     *                {@link Duration#ZERO} for none
     */
    public Calls(long chainId, Duration timeout) {
        this.chainId = chainId;
        this.timeoutNanos = timeout.toNanos();
        this.timeoutText = text(timeout);
    }

    /**
     * The time cap ran out inside a {@link #timed} scope: the execution was aborted and its result discarded.
     * The message is geth's ({@code execution aborted (timeout = 5s)}).
     */
    public static final class TimedOut extends RuntimeException {
        public TimedOut(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Runs {@code work} (one RPC call: an eth_call, a whole eth_estimateGas search...) under the configured time
     * cap: when it runs out, the EVM is aborted from a timer thread (it stops at its next backward jump or
     * message; see {@link Evm#abort}) and the execution that was running, or the next one the work starts,
     * throws {@link TimedOut}. Nested scopes share the outer one's deadline. Call on the chain thread only.
     */
    public <T> T timed(Supplier<T> work) {
        if (timeoutNanos == 0 || scope != null) return work.get();
        Object token = new Object();
        synchronized (this) {
            scope = token;
        }
        evm.clearAbort();
        ScheduledFuture<?> alarm = timer().schedule(() -> {
            synchronized (this) {
                // Only the scope that scheduled this alarm may be aborted, never a later one.
                if (scope == token) evm.abort();
            }
        }, timeoutNanos, TimeUnit.NANOSECONDS);
        try {
            return work.get();
        } finally {
            alarm.cancel(false);
            synchronized (this) {
                scope = null;
            }
            if (evm.aborted()) timeouts.incrementAndGet();
            evm.clearAbort();
        }
    }

    /** How many {@link #timed} scopes ran out of time since start (safe from any thread). */
    public long timeouts() {
        return timeouts.get();
    }

    private synchronized ScheduledThreadPoolExecutor timer() {
        if (timer == null) {
            timer = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "lanes-call-timeout");
                t.setDaemon(true);
                return t;
            });
            timer.setRemoveOnCancelPolicy(true);
        }
        return timer;
    }

    /** Stops the timer thread. */
    @Override public synchronized void close() {
        if (timer != null) timer.shutdownNow();
    }

    private TimedOut timedOut() {
        return new TimedOut("execution aborted (timeout = " + timeoutText + ")");
    }

    /** A duration as geth prints it in the message: 5s, 200ms, 1.5s. */
    private static String text(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 == 0) return ms / 1000 + "s";
        if (ms < 1000) return ms + "ms";
        return java.math.BigDecimal.valueOf(ms, 3).stripTrailingZeros().toPlainString() + "s";
    }

    /** A call request; {@code gas} 0 means "the cap", null fees mean "none given". */
    public record Request(Address from, Address to, long gas, UInt256 gasPrice, UInt256 maxFeePerGas,
                          UInt256 maxPriorityFeePerGas, UInt256 value, byte[] data, List<AccessListEntry> accessList) {
        public Request(Address from, Address to, long gas, UInt256 gasPrice, UInt256 maxFeePerGas,
                       UInt256 maxPriorityFeePerGas, UInt256 value, byte[] data) {
            this(from, to, gas, gasPrice, maxFeePerGas, maxPriorityFeePerGas, value, data, List.of());
        }

        /** The same request with another access list (eth_createAccessList iterates on it). */
        public Request withAccessList(List<AccessListEntry> list) {
            return new Request(from, to, gas, gasPrice, maxFeePerGas, maxPriorityFeePerGas, value, data, list);
        }
    }

    /** The outcome: success with output, or the frame status (revert data in {@code output}). */
    public record Outcome(int status, byte[] output, long gasUsed) {
        public boolean success() {
            return status == Status.SUCCESS;
        }
    }

    /** Thrown when the request could never be a valid transaction (insufficient funds, gas below intrinsic...). */
    public static final class Invalid extends RuntimeException {
        public Invalid(String message) {
            super(message);
        }
    }

    public Outcome call(Request req, BlockHeader at, WorldState state, long gasCap) {
        return call(req, at, state, gasCap, null);
    }

    /** A call with a tracer watching it (debug_traceCall, eth_createAccessList); null for none. */
    public Outcome call(Request req, BlockHeader at, WorldState state, long gasCap, Tracer tracer) {
        long gas = req.gas() == 0 ? Math.min(gasCap, at.gasLimit()) : Math.min(req.gas(), gasCap);
        return run(req, at, state, gas, tracer);
    }

    /** The EVM instance calls run on, for tracers that read state through its host while they step. */
    public Evm evm() {
        return evm;
    }

    /**
     * The least gas limit with which the request succeeds, by binary search between the gas it used with the
     * most gas and that most gas. Throws {@link Invalid} when it fails even with the most gas and returns the
     * failing outcome through {@link Failed} so that a revert can be reported with its data.
     */
    public long estimate(Request req, BlockHeader at, WorldState state, long gasCap) {
        long hi = req.gas() == 0 ? Math.min(gasCap, Math.min(at.gasLimit(), Transaction.MAX_GAS_LIMIT_OSAKA))
                : Math.min(req.gas(), gasCap);
        Outcome top = run(req, at, state, hi, null);
        if (!top.success()) throw new Failed(top, hi);
        long lo = top.gasUsed() - 1; // less than what it used can never be enough
        // Most calls need little more than they used (the 63/64 rule, refunds): try that first.
        long guess = Math.min(hi, (top.gasUsed() + 2300) * 64 / 63);
        if (guess < hi && succeeds(req, at, state, guess)) hi = guess;
        else if (guess < hi) lo = guess;
        while (hi - lo > 1) {
            long mid = lo + (hi - lo) / 2;
            if (succeeds(req, at, state, mid)) hi = mid;
            else lo = mid;
        }
        return hi;
    }

    /** The request failed even with {@code gas}: the failing outcome. */
    public static final class Failed extends RuntimeException {
        public final Outcome outcome;
        public final long gas;

        Failed(Outcome outcome, long gas) {
            super(Status.name(outcome.status()));
            this.outcome = outcome;
            this.gas = gas;
        }
    }

    private boolean succeeds(Request req, BlockHeader at, WorldState state, long gas) {
        try {
            return run(req, at, state, gas, null).success();
        } catch (Invalid e) {
            return false;
        }
    }

    private Outcome run(Request req, BlockHeader at, WorldState state, long gas, Tracer tracer) {
        if (evm.aborted()) throw timedOut(); // the scope's time ran out between two executions
        Address from = req.from() == null ? Address.ZERO : req.from();
        boolean priced = req.gasPrice() != null || req.maxFeePerGas() != null || req.maxPriorityFeePerGas() != null;
        Transaction.Builder b;
        boolean listed = req.accessList() != null && !req.accessList().isEmpty();
        if (req.gasPrice() != null && listed) {
            b = Transaction.builder(TxType.ACCESS_LIST).chainId(chainId).gasPrice(req.gasPrice());
        } else if (req.gasPrice() != null) {
            b = Transaction.builder(TxType.LEGACY).gasPrice(req.gasPrice()); // v = 27 below: no chain id needed
        } else {
            UInt256 maxFee = req.maxFeePerGas() != null ? req.maxFeePerGas() : priced ? at.baseFee().add(req.maxPriorityFeePerGas()) : UInt256.ZERO;
            UInt256 tip = req.maxPriorityFeePerGas() != null ? req.maxPriorityFeePerGas() : UInt256.ZERO;
            if (maxFee.lessThan(tip)) throw new Invalid("maxPriorityFeePerGas " + tip.toBigInteger() + " exceeds maxFeePerGas " + maxFee.toBigInteger());
            b = Transaction.builder(TxType.DYNAMIC_FEE).chainId(chainId).maxFeePerGas(maxFee).maxPriorityFeePerGas(tip);
        }
        if (listed) b.accessList(req.accessList());
        var account = state.account(from);
        b.nonce(account == null ? 0 : account.nonce()).gasLimit(gas).to(req.to())
                .value(req.value() == null ? UInt256.ZERO : req.value()).data(req.data() == null ? new byte[0] : req.data());
        // The sender is passed to the processor, so any well-formed signature values do.
        Transaction tx = b.withSignature(req.gasPrice() != null && !listed ? UInt256.of(27) : UInt256.ZERO, UInt256.ONE, UInt256.ONE);
        long intrinsic = Math.max(IntrinsicGas.of(tx, Chain.FORK), IntrinsicGas.floorOf(tx, Chain.FORK));
        if (gas < intrinsic) throw new Invalid("intrinsic gas too low: gas " + gas + ", minimum needed " + intrinsic);
        BlockEnv env = BlockExecutor.blockEnv(at, Chain.RULES, chainId);
        if (!priced) env = new BlockEnv(env.coinbase(), env.number(), env.timestamp(), env.gasLimit(), UInt256.ZERO,
                env.prevRandao(), env.chainId(), env.blobBaseFee());
        if (gas > env.gasLimit()) env = new BlockEnv(env.coinbase(), env.number(), env.timestamp(), gas, env.baseFee(),
                env.prevRandao(), env.chainId(), env.blobBaseFee());
        try {
            TxResult r = TransactionProcessor.execute(evm, tx, from, env, state, Chain.RULES, tracer);
            // Aborted (now, or before it began): whatever it returned is not the call's outcome.
            if (evm.aborted()) throw timedOut();
            return new Outcome(r.status(), r.output(), r.gasUsed());
        } catch (InvalidTransactionException e) {
            throw new Invalid(e.getMessage());
        }
    }

    /**
     * Re-executes transaction {@code index} of block {@code b} as the block ran it: on the parent's post-state
     * with the block's transactions before it applied, with {@code tracer} watching (debug_traceTransaction).
     * Null when the parent's state is no longer kept.
     */
    public TxResult replay(ChainStore store, Block b, int index, Tracer tracer) {
        WorldState kept = b.number() == 0 ? null : store.state(b.number() - 1);
        if (kept == null) return null;
        WorldState state = kept.copy();
        BlockEnv env = BlockExecutor.blockEnv(b.header(), Chain.RULES, chainId);
        try {
            // Not capped by itself, but it may run inside a batch's timed scope, on the same Evm: an aborted
            // execution's changes must not be applied, nor its result reported.
            for (int i = 0; i < index; i++) {
                TxResult r = TransactionProcessor.execute(evm, b.transactions().get(i), b.senders().get(i), env, state, Chain.RULES, null);
                if (evm.aborted()) throw timedOut();
                state.apply(r.changes());
            }
            TxResult r = TransactionProcessor.execute(evm, b.transactions().get(index), b.senders().get(index), env, state, Chain.RULES, tracer);
            if (evm.aborted()) throw timedOut();
            return r;
        } catch (InvalidTransactionException e) {
            // The block was valid when sealed on this very state, so this is a bug of ours.
            throw new IllegalStateException("replaying block " + b.number() + ": " + e.getMessage(), e);
        }
    }
}
