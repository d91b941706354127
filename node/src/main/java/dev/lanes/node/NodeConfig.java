package dev.lanes.node;

import java.time.Duration;

/**
 * Everything a node is started with. The limits are checked before any work is done for a request, as named
 * configuration rather than constants scattered through the handlers.
 *
 * @param blockTime      interval mining: the longest time between blocks (a block is also mined as soon as
 *                       transactions wait); ignored with {@code automine}
 * @param automine       one block per accepted transaction, mined before the RPC call returns
 * @param threads        execution threads of the {@code BlockExecutor} (1 = sequential)
 * @param stateHistory   how many recent blocks keep their post-state for historical queries
 * @param maxBodyBytes   largest HTTP request body
 * @param maxBatch       most requests in one JSON-RPC batch
 * @param callGasCap     most gas an {@code eth_call} or {@code eth_estimateGas} may use
 * @param maxLogBlocks   widest block range of one {@code eth_getLogs}
 * @param maxLogs        most logs one {@code eth_getLogs} returns
 * @param maxPoolSize    most transactions the pool holds
 * @param rpcEvmTimeout  wall-clock limit of one {@code eth_call}, {@code eth_estimateGas} (its whole search),
 *                       {@code eth_createAccessList} or {@code debug_traceCall}; zero for none. Blocks are never
 *                       subject to it
 * @param maxQueuedRequests most RPC requests (a batch counts once) waiting for the chain thread; more are
 *                       answered at once with -32005
 * @param pubsub         WebSocket, subscription and filter limits
 * @param dataDir        the data directory, or null to keep the chain in memory only
 * @param store          which persistent store keeps {@code dataDir} (RocksDB by default, or LanesDB for the state)
 */
public record NodeConfig(String host, int port, long chainId, Duration blockTime, boolean automine, int threads,
                         long gasLimit, long genesisBaseFee, int accounts, String mnemonic, int stateHistory,
                         int maxBodyBytes, int maxBatch, long callGasCap, long maxLogBlocks, int maxLogs,
                         int maxPoolSize, Duration rpcEvmTimeout, int maxQueuedRequests, PubSubConfig pubsub,
                         java.nio.file.Path dataDir, dev.lanes.node.store.StoreKind store) {
    public static final long DEFAULT_CHAIN_ID = 31337;
    /** geth's RPC EVM timeout ({@code --rpc.evmtimeout}). */
    public static final Duration DEFAULT_RPC_EVM_TIMEOUT = Duration.ofSeconds(5);
    public static final int DEFAULT_MAX_QUEUED_REQUESTS = 5_000;

    public NodeConfig {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be in [0, 65535]: " + port);
        if (chainId < 1) throw new IllegalArgumentException("chain id must be positive: " + chainId);
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1: " + threads);
        if (!automine && (blockTime == null || blockTime.isZero() || blockTime.isNegative()))
            throw new IllegalArgumentException("block time must be positive (or use automine)");
        if (gasLimit < 21_000) throw new IllegalArgumentException("gas limit below 21000: " + gasLimit);
        if (accounts < 0 || accounts > 1000) throw new IllegalArgumentException("accounts must be in [0, 1000]: " + accounts);
        if (pubsub == null) throw new IllegalArgumentException("pubsub limits missing");
        if (stateHistory < 1) throw new IllegalArgumentException("state history must be at least 1 block");
        if (rpcEvmTimeout == null || rpcEvmTimeout.isNegative())
            throw new IllegalArgumentException("RPC EVM timeout must be zero (no limit) or positive: " + rpcEvmTimeout);
        if (maxQueuedRequests < 1)
            throw new IllegalArgumentException("queued requests limit must be at least 1: " + maxQueuedRequests);
        if (store == null) throw new IllegalArgumentException("store kind missing");
    }

    /** The defaults: 127.0.0.1:8545, chain 31337, a block every second, all cores, 30M gas, ten accounts. */
    public static NodeConfig defaults() {
        return new NodeConfig("127.0.0.1", 8545, DEFAULT_CHAIN_ID, Duration.ofSeconds(1), false,
                Runtime.getRuntime().availableProcessors(), 30_000_000L, 1_000_000_000L, 10, DevAccounts.TEST_MNEMONIC,
                128, 5 * 1024 * 1024, 1000, 50_000_000L, 10_000, 10_000, 10_000,
                DEFAULT_RPC_EVM_TIMEOUT, DEFAULT_MAX_QUEUED_REQUESTS, PubSubConfig.defaults(), null,
                dev.lanes.node.store.StoreKind.ROCKSDB);
    }

    public NodeConfig withPort(int p) {
        return new NodeConfig(host, p, chainId, blockTime, automine, threads, gasLimit, genesisBaseFee, accounts, mnemonic,
                stateHistory, maxBodyBytes, maxBatch, callGasCap, maxLogBlocks, maxLogs, maxPoolSize, rpcEvmTimeout, maxQueuedRequests, pubsub, dataDir, store);
    }

    public NodeConfig withHost(String h) {
        return new NodeConfig(h, port, chainId, blockTime, automine, threads, gasLimit, genesisBaseFee, accounts, mnemonic,
                stateHistory, maxBodyBytes, maxBatch, callGasCap, maxLogBlocks, maxLogs, maxPoolSize, rpcEvmTimeout, maxQueuedRequests, pubsub, dataDir, store);
    }

    public NodeConfig withChainId(long id) {
        return new NodeConfig(host, port, id, blockTime, automine, threads, gasLimit, genesisBaseFee, accounts, mnemonic,
                stateHistory, maxBodyBytes, maxBatch, callGasCap, maxLogBlocks, maxLogs, maxPoolSize, rpcEvmTimeout, maxQueuedRequests, pubsub, dataDir, store);
    }

    public NodeConfig withMining(boolean auto, Duration interval) {
        return new NodeConfig(host, port, chainId, interval, auto, threads, gasLimit, genesisBaseFee, accounts, mnemonic,
                stateHistory, maxBodyBytes, maxBatch, callGasCap, maxLogBlocks, maxLogs, maxPoolSize, rpcEvmTimeout, maxQueuedRequests, pubsub, dataDir, store);
    }

    public NodeConfig withThreads(int t) {
        return new NodeConfig(host, port, chainId, blockTime, automine, t, gasLimit, genesisBaseFee, accounts, mnemonic,
                stateHistory, maxBodyBytes, maxBatch, callGasCap, maxLogBlocks, maxLogs, maxPoolSize, rpcEvmTimeout, maxQueuedRequests, pubsub, dataDir, store);
    }

    /** Keeps the chain in {@code dir} (with {@link #store}), or in memory when null. */
    public NodeConfig withDataDir(java.nio.file.Path dir) {
        return new NodeConfig(host, port, chainId, blockTime, automine, threads, gasLimit, genesisBaseFee, accounts, mnemonic,
                stateHistory, maxBodyBytes, maxBatch, callGasCap, maxLogBlocks, maxLogs, maxPoolSize, rpcEvmTimeout, maxQueuedRequests, pubsub, dir, store);
    }

    /** Which store keeps the data directory. */
    public NodeConfig withStore(dev.lanes.node.store.StoreKind kind) {
        return new NodeConfig(host, port, chainId, blockTime, automine, threads, gasLimit, genesisBaseFee, accounts, mnemonic,
                stateHistory, maxBodyBytes, maxBatch, callGasCap, maxLogBlocks, maxLogs, maxPoolSize, rpcEvmTimeout, maxQueuedRequests, pubsub, dataDir, kind);
    }

    public NodeConfig withLimits(int body, int batch) {
        return new NodeConfig(host, port, chainId, blockTime, automine, threads, gasLimit, genesisBaseFee, accounts, mnemonic,
                stateHistory, body, batch, callGasCap, maxLogBlocks, maxLogs, maxPoolSize, rpcEvmTimeout, maxQueuedRequests, pubsub, dataDir, store);
    }

    /** The most gas one eth_call or eth_estimateGas may use. */
    public NodeConfig withCallGasCap(long cap) {
        return new NodeConfig(host, port, chainId, blockTime, automine, threads, gasLimit, genesisBaseFee, accounts, mnemonic,
                stateHistory, maxBodyBytes, maxBatch, cap, maxLogBlocks, maxLogs, maxPoolSize, rpcEvmTimeout, maxQueuedRequests, pubsub, dataDir, store);
    }

    /** The time cap of eth_call and the like ({@link Duration#ZERO}: none). */
    public NodeConfig withRpcEvmTimeout(Duration t) {
        return new NodeConfig(host, port, chainId, blockTime, automine, threads, gasLimit, genesisBaseFee, accounts, mnemonic,
                stateHistory, maxBodyBytes, maxBatch, callGasCap, maxLogBlocks, maxLogs, maxPoolSize, t, maxQueuedRequests, pubsub, dataDir, store);
    }

    /** The bound on requests waiting for the chain thread. */
    public NodeConfig withMaxQueuedRequests(int n) {
        return new NodeConfig(host, port, chainId, blockTime, automine, threads, gasLimit, genesisBaseFee, accounts, mnemonic,
                stateHistory, maxBodyBytes, maxBatch, callGasCap, maxLogBlocks, maxLogs, maxPoolSize, rpcEvmTimeout, n, pubsub, dataDir, store);
    }

    public NodeConfig withPubSub(PubSubConfig p) {
        return new NodeConfig(host, port, chainId, blockTime, automine, threads, gasLimit, genesisBaseFee, accounts, mnemonic,
                stateHistory, maxBodyBytes, maxBatch, callGasCap, maxLogBlocks, maxLogs, maxPoolSize, rpcEvmTimeout, maxQueuedRequests, p, dataDir, store);
    }
}
