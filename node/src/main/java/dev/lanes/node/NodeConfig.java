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
 * @param pubsub         WebSocket, subscription and filter limits
 * @param dataDir        the data directory, or null to keep the chain in memory only
 * @param store          which persistent store keeps {@code dataDir} (RocksDB by default, or LanesDB for the state)
 */
public record NodeConfig(String host, int port, long chainId, Duration blockTime, boolean automine, int threads,
                         long gasLimit, long genesisBaseFee, int accounts, String mnemonic, int stateHistory,
                         int maxBodyBytes, int maxBatch, long callGasCap, long maxLogBlocks, int maxLogs,
                         int maxPoolSize, PubSubConfig pubsub, java.nio.file.Path dataDir,
                         dev.lanes.node.store.StoreKind store) {
    public static final long DEFAULT_CHAIN_ID = 31337;

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
        if (store == null) throw new IllegalArgumentException("store kind missing");
    }

    /** The defaults: 127.0.0.1:8545, chain 31337, a block every second, all cores, 30M gas, ten accounts. */
    public static NodeConfig defaults() {
        return new NodeConfig("127.0.0.1", 8545, DEFAULT_CHAIN_ID, Duration.ofSeconds(1), false,
                Runtime.getRuntime().availableProcessors(), 30_000_000L, 1_000_000_000L, 10, DevAccounts.TEST_MNEMONIC,
                128, 5 * 1024 * 1024, 1000, 50_000_000L, 10_000, 10_000, 10_000,
                PubSubConfig.defaults(), null, dev.lanes.node.store.StoreKind.ROCKSDB);
    }

    public NodeConfig withPort(int p) {
        return new NodeConfig(host, p, chainId, blockTime, automine, threads, gasLimit, genesisBaseFee, accounts, mnemonic,
                stateHistory, maxBodyBytes, maxBatch, callGasCap, maxLogBlocks, maxLogs, maxPoolSize, pubsub, dataDir, store);
    }

    public NodeConfig withHost(String h) {
        return new NodeConfig(h, port, chainId, blockTime, automine, threads, gasLimit, genesisBaseFee, accounts, mnemonic,
                stateHistory, maxBodyBytes, maxBatch, callGasCap, maxLogBlocks, maxLogs, maxPoolSize, pubsub, dataDir, store);
    }

    public NodeConfig withChainId(long id) {
        return new NodeConfig(host, port, id, blockTime, automine, threads, gasLimit, genesisBaseFee, accounts, mnemonic,
                stateHistory, maxBodyBytes, maxBatch, callGasCap, maxLogBlocks, maxLogs, maxPoolSize, pubsub, dataDir, store);
    }

    public NodeConfig withMining(boolean auto, Duration interval) {
        return new NodeConfig(host, port, chainId, interval, auto, threads, gasLimit, genesisBaseFee, accounts, mnemonic,
                stateHistory, maxBodyBytes, maxBatch, callGasCap, maxLogBlocks, maxLogs, maxPoolSize, pubsub, dataDir, store);
    }

    public NodeConfig withThreads(int t) {
        return new NodeConfig(host, port, chainId, blockTime, automine, t, gasLimit, genesisBaseFee, accounts, mnemonic,
                stateHistory, maxBodyBytes, maxBatch, callGasCap, maxLogBlocks, maxLogs, maxPoolSize, pubsub, dataDir, store);
    }

    /** Keeps the chain in {@code dir} (with {@link #store}), or in memory when null. */
    public NodeConfig withDataDir(java.nio.file.Path dir) {
        return new NodeConfig(host, port, chainId, blockTime, automine, threads, gasLimit, genesisBaseFee, accounts, mnemonic,
                stateHistory, maxBodyBytes, maxBatch, callGasCap, maxLogBlocks, maxLogs, maxPoolSize, pubsub, dir, store);
    }

    /** Which store keeps the data directory. */
    public NodeConfig withStore(dev.lanes.node.store.StoreKind kind) {
        return new NodeConfig(host, port, chainId, blockTime, automine, threads, gasLimit, genesisBaseFee, accounts, mnemonic,
                stateHistory, maxBodyBytes, maxBatch, callGasCap, maxLogBlocks, maxLogs, maxPoolSize, pubsub, dataDir, kind);
    }

    public NodeConfig withLimits(int body, int batch) {
        return new NodeConfig(host, port, chainId, blockTime, automine, threads, gasLimit, genesisBaseFee, accounts, mnemonic,
                stateHistory, body, batch, callGasCap, maxLogBlocks, maxLogs, maxPoolSize, pubsub, dataDir, store);
    }

    public NodeConfig withPubSub(PubSubConfig p) {
        return new NodeConfig(host, port, chainId, blockTime, automine, threads, gasLimit, genesisBaseFee, accounts, mnemonic,
                stateHistory, maxBodyBytes, maxBatch, callGasCap, maxLogBlocks, maxLogs, maxPoolSize, p, dataDir, store);
    }
}
