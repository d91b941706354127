package dev.lanes.node;

import dev.lanes.evm.EvmThreads;
import dev.lanes.evm.tx.Transaction;
import dev.lanes.executor.BlockExecutor;
import dev.lanes.node.rpc.RpcServer;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.UInt256;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The sequencer node: the chain, the pool and the miner behind a JSON-RPC server.
 *
 * <p>Threading: everything that reads or changes the chain, the pool or state runs on one <em>chain thread</em>
 * (made by {@link EvmThreads}, as the EVM recurses deeply), in submission order. RPC requests are parsed on
 * Netty's threads and handed over with {@link #submitRequest} (at most {@link NodeConfig#maxQueuedRequests}
 * waiting); mining is a task on the same thread. One thread makes every request see a consistent head without
 * locks; the cost is that a long {@code eth_call} delays the next block (by at most
 * {@link NodeConfig#rpcEvmTimeout}), acceptable for a development node and the first thing to revisit for a
 * production one.
 *
 * <p>Mining: with {@code automine} each accepted transaction is sealed in its own block before its RPC call
 * returns. Otherwise a block is mined as soon as transactions wait (after the current task, so a burst that
 * arrives together shares a block) and at the latest every {@code blockTime}, empty if need be.
 */
public final class Node implements AutoCloseable {
    /** Called on the chain thread after each block. */
    public interface Listener {
        void onBlock(Chain.Sealed sealed);
    }

    private final NodeConfig config;
    private final List<DevAccounts.Account> accounts;
    private final BlockExecutor executor;
    private final Chain chain;
    private final TxPool pool;
    private final Calls calls;
    private final ScheduledExecutorService thread;
    private final Listener listener;
    private final List<Long> snapshots = new ArrayList<>();
    private final NodeEvents events = new NodeEvents();
    /** RPC requests submitted and not yet started (see {@link #submitRequest}). */
    private final java.util.concurrent.atomic.AtomicInteger queuedRequests = new java.util.concurrent.atomic.AtomicInteger();
    /** Requests refused by that bound since start. */
    private final java.util.concurrent.atomic.AtomicLong refusedRequests = new java.util.concurrent.atomic.AtomicLong();
    private RpcServer server;
    private long lastBlockNanos = System.nanoTime();
    private boolean mineScheduled;
    /** Dev-tool state (anvil_/evm_ methods): automine now, the clock offset, the next block's timestamp. */
    private volatile boolean automine;
    private long timeOffset;
    private long nextTimestamp = -1;
    private final java.util.Set<Address> impersonated = new java.util.HashSet<>();
    private boolean closed;

    private Node(NodeConfig config, Listener listener) {
        this.config = config;
        this.listener = listener == null ? s -> {} : listener;
        this.accounts = DevAccounts.derive(config.mnemonic(), config.accounts());
        this.executor = new BlockExecutor(config.threads()).chainId(config.chainId());
        ChainStore store = config.dataDir() == null ? new MemoryChainStore(config.stateHistory())
                : config.store().open(config.dataDir(), config.chainId(), config.stateHistory());
        try {
            this.chain = new Chain(config, store, executor, accounts, System.currentTimeMillis() / 1000);
        } catch (RuntimeException e) {
            store.close();
            executor.close();
            throw e;
        }
        this.pool = new TxPool(config.chainId(), Chain.FORK, config.maxPoolSize());
        this.calls = new Calls(config.chainId(), config.rpcEvmTimeout());
        this.automine = config.automine();
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = EvmThreads.newThread(r, "lanes-chain");
            th.setDaemon(true);
            return th;
        });
        t.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.thread = t;
    }

    /**
     * Starts a node: the chain (from {@code config.dataDir()} when set, else a new genesis), the pending
     * transactions saved by the last clean shutdown, the miner and the RPC server on
     * {@code config.host():config.port()}.
     *
     * @throws dev.lanes.node.store.StoreException when the data directory cannot be used (the message says why)
     */
    public static Node start(NodeConfig config, Listener listener) throws InterruptedException {
        // Blob transactions and the point evaluation precompile need the KZG setup: load it now, beside the start.
        dev.lanes.evm.precompile.KzgTrustedSetup.preloadInBackground();
        Node n = new Node(config, listener);
        if (config.dataDir() != null) {
            try {
                n.submit(() -> {
                    PendingFile.restore(config.dataDir(), n);
                    // Automine seals what can go in now, as it would have when these arrived; a gap still waits.
                    var state = n.chain.store().state(n.chain.head().number());
                    if (n.automine && !n.pool.pending(state, n.chain.pendingBaseFee()).isEmpty()) n.mine();
                    return null;
                }).get();
            } catch (java.util.concurrent.ExecutionException e) {
                n.close();
                throw new IllegalStateException("restoring the pending transactions failed", e.getCause());
            }
        }
        {   // ticks run in both modes, so anvil_setAutomine can switch; they do nothing while automining
            long ms = blockTimeNanos(config) / 1_000_000;
            n.thread.scheduleWithFixedDelay(n::intervalTick, ms, Math.max(10, ms / 10), TimeUnit.MILLISECONDS);
        }
        try {
            n.server = RpcServer.start(n, config);
        } catch (InterruptedException | RuntimeException e) {
            n.close();
            throw e;
        }
        return n;
    }

    public NodeConfig config() {
        return config;
    }

    public List<DevAccounts.Account> accounts() {
        return accounts;
    }

    /** The port the RPC server listens on (the real one when the config asked for port 0). */
    public int port() {
        return server.port();
    }

    // ---- for the RPC layer: call these only from the chain thread (inside submit) ----

    public Chain chain() {
        return chain;
    }

    public TxPool pool() {
        return pool;
    }

    public Calls calls() {
        return calls;
    }

    /** Sealed blocks and accepted transactions, published on the chain thread (subscriptions, filters). */
    public NodeEvents events() {
        return events;
    }

    /**
     * An RPC request refused because {@link NodeConfig#maxQueuedRequests} requests already wait for the chain
     * thread; the client should try again later.
     */
    public static final class Busy extends RuntimeException {
        public Busy(int limit) {
            super("node busy: " + limit + " requests already wait for the chain thread; try again later", null, false, false);
        }
    }

    /**
     * Runs an RPC request's {@code task} on the chain thread, as {@link #submit}, unless
     * {@link NodeConfig#maxQueuedRequests} requests already wait there: then the future fails at once with
     * {@link Busy}, without queuing anything. Only requests count and only requests are refused: the miner's
     * tasks, shutdown and the node's own work use {@link #submit}, which is never refused while the node runs.
     */
    public <T> CompletableFuture<T> submitRequest(Callable<T> task) {
        int limit = config.maxQueuedRequests();
        if (queuedRequests.incrementAndGet() > limit) {
            queuedRequests.decrementAndGet();
            refusedRequests.incrementAndGet();
            return CompletableFuture.failedFuture(new Busy(limit));
        }
        CompletableFuture<T> f = new CompletableFuture<>();
        try {
            thread.execute(() -> {
                queuedRequests.decrementAndGet(); // no longer waiting: running
                try {
                    f.complete(task.call());
                } catch (Throwable e) {
                    f.completeExceptionally(e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            queuedRequests.decrementAndGet();
            f.completeExceptionally(new IllegalStateException("the node is shutting down"));
        }
        return f;
    }

    /** RPC requests handed to the chain thread that have not started yet (safe from any thread). */
    public int queuedRequests() {
        return queuedRequests.get();
    }

    /** RPC requests refused as busy since start (safe from any thread). */
    public long refusedRequests() {
        return refusedRequests.get();
    }

    /** RPC calls (or batches) stopped by the time cap since start (safe from any thread). */
    public long timedOutCalls() {
        return calls.timeouts();
    }

    /** Runs {@code task} on the chain thread (unbounded: for the node's own work; requests use {@link #submitRequest}). */
    public <T> CompletableFuture<T> submit(Callable<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        try {
            thread.execute(() -> {
                try {
                    f.complete(task.call());
                } catch (Throwable e) {
                    f.completeExceptionally(e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            f.completeExceptionally(new IllegalStateException("the node is shutting down"));
        }
        return f;
    }

    /** Adds a signed transaction to the pool (throws {@link TxPool.Rejected}) and mines as the mode says. */
    public Hash sendTransaction(Transaction tx) {
        Address sender = pool.add(tx, chain.store().state(chain.head().number()), chain.pendingBaseFee(), config.gasLimit());
        events.pendingTransaction(tx, sender);
        if (automine) mine();
        else if (!mineScheduled) {
            mineScheduled = true;
            thread.execute(() -> {
                mineScheduled = false;
                // Only transactions that can go in now: a nonce gap alone waits for the next tick.
                var state = chain.store().state(chain.head().number());
                if (!pool.pending(state, chain.pendingBaseFee()).isEmpty()) mineReporting();
            });
        }
        return tx.hash();
    }

    /** The dev account that holds {@code address}'s key, or null. */
    public DevAccounts.Account account(Address address) {
        for (DevAccounts.Account a : accounts) if (a.address().equals(address)) return a;
        return null;
    }

    /** Mines one block now from the pool's pending transactions. */
    public Block mine() {
        long t = nextTimestamp >= 0 ? nextTimestamp : now();
        nextTimestamp = -1;
        return mine(t);
    }

    /** The clock blocks take their timestamps from: the wall clock plus the evm_increaseTime offset. */
    public long now() {
        return System.currentTimeMillis() / 1000 + timeOffset;
    }

    /** evm_increaseTime: moves the clock forward; returns the total offset in seconds. */
    public long increaseTime(long seconds) {
        timeOffset = Math.addExact(timeOffset, seconds);
        return timeOffset;
    }

    /** evm_setNextBlockTimestamp: the next mined block's timestamp; later blocks continue from it. */
    public void setNextBlockTimestamp(long timestamp) {
        nextTimestamp = timestamp;
        timeOffset = timestamp - System.currentTimeMillis() / 1000;
    }

    public boolean automine() {
        return automine;
    }

    /** anvil_setAutomine: in automine each transaction gets its own block; otherwise the interval miner runs. */
    public void setAutomine(boolean on) {
        automine = on;
        lastBlockNanos = System.nanoTime();
    }

    /** anvil_impersonateAccount: transactions from these addresses are accepted without a signature. */
    public java.util.Set<Address> impersonated() {
        return impersonated;
    }

    /**
     * Changes the head block's post-state in place (anvil_setBalance and the like), as Anvil does: the next
     * block and calls on latest see it; the head header's state root then no longer matches it.
     */
    public void editHeadState(java.util.function.Consumer<dev.lanes.state.WorldState> edit) {
        edit.accept(chain.store().state(chain.head().number()));
    }

    public Block mine(long timestamp) {
        var state = chain.store().state(chain.head().number());
        UInt256 baseFee = chain.pendingBaseFee();
        Chain.Sealed s = chain.mine(pool.pending(state, baseFee), timestamp);
        for (Transaction bad : s.rejected()) pool.drop(bad);
        pool.prune(chain.store().state(s.block().number()));
        lastBlockNanos = System.nanoTime();
        listener.onBlock(s);
        events.block(s.block());
        return s.block();
    }

    /** The interval miner's period: the configured block time, 1 s when started in automine without one. */
    private static long blockTimeNanos(NodeConfig config) {
        return config.blockTime() == null ? 1_000_000_000L : config.blockTime().toNanos();
    }

    private void intervalTick() {
        if (automine) return;
        if (System.nanoTime() - lastBlockNanos >= blockTimeNanos(config)) mineReporting();
    }

    /** Mines, reporting a failure instead of throwing it into the executor, which would drop it silently. */
    private void mineReporting() {
        try {
            mine();
        } catch (RuntimeException e) {
            // A failing block must not stop the miner for good: report it and try again at the next tick.
            System.err.println("lanes node: mining failed: " + e);
        }
    }

    /** evm_snapshot: remembers the head; returns the snapshot id. */
    public long snapshot() {
        snapshots.add(chain.head().number());
        return snapshots.size() - 1;
    }

    /**
     * evm_revert: goes back to the head of snapshot {@code id} (dropping it and later ones) and empties the pool.
     * False when the id is unknown or the block's state is no longer kept.
     */
    public boolean revert(long id) {
        if (id < 0 || id >= snapshots.size()) return false;
        long number = snapshots.get((int) id);
        if (chain.store().state(number) == null) return false;
        chain.store().truncate(number);
        snapshots.subList((int) id, snapshots.size()).clear();
        pool.clear();
        return true;
    }

    /**
     * Stops the RPC server, saves the pool's transactions to the data directory (if any), then stops the chain
     * thread and the executor's workers and closes the store. Idempotent.
     */
    @Override public synchronized void close() {
        if (closed) return;
        closed = true;
        if (server != null) server.close();
        if (config.dataDir() != null) {
            try {
                // On the chain thread, after any block in progress, so that the pool is not read mid-change.
                submit(() -> {
                    PendingFile.save(config.dataDir(), pool.all());
                    return null;
                }).get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("lanes node: could not save the pending transactions: " + e);
            }
        }
        thread.shutdownNow();
        boolean stopped = false;
        try {
            stopped = thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor.close();
        calls.close();
        // Closing RocksDB under a task still running would crash the JVM in native code; leave it to the OS then.
        if (stopped) chain.store().close();
    }
}
