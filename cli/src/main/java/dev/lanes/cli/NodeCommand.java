package dev.lanes.cli;

import dev.lanes.node.Block;
import dev.lanes.node.Chain;
import dev.lanes.node.DevAccounts;
import dev.lanes.node.Metrics;
import dev.lanes.node.Node;
import dev.lanes.node.NodeConfig;
import dev.lanes.node.store.StoreException;
import dev.lanes.node.store.StoreKind;
import dev.lanes.primitives.Hex;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lanes node}: the development sequencer node with JSON-RPC over HTTP and WebSocket (docs/node.md). */
@Command(name = "node", mixinStandardHelpOptions = true,
        description = {"Run the sequencer node: a development chain (Osaka rules) with ten prefunded accounts,",
            "JSON-RPC over HTTP and WebSocket. See docs/node.md for the methods and what is not done yet."})
final class NodeCommand implements Callable<Integer> {
    @Option(names = "--host", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host = "127.0.0.1";

    @Option(names = {"-p", "--port"}, description = "JSON-RPC HTTP port (default: ${DEFAULT-VALUE}).")
    int port = 8545;

    @Option(names = "--chain-id", description = "Chain id (default: ${DEFAULT-VALUE}).")
    long chainId = NodeConfig.DEFAULT_CHAIN_ID;

    @Option(names = {"-b", "--block-time"}, paramLabel = "SECONDS",
            description = "Interval mining: a block at least every SECONDS (decimals allowed), and as soon as transactions wait (default: ${DEFAULT-VALUE}).")
    double blockTime = 1;

    @Option(names = "--automine", description = "Mine one block per transaction, before eth_sendRawTransaction returns.")
    boolean automine;

    @Option(names = "--threads", description = "Block execution threads: 1 is sequential, more runs Block-STM (default: available processors).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where the chain is kept; a restart resumes from it (default: ${DEFAULT-VALUE}).")
    String dataDir = "./data";

    @Option(names = "--store", paramLabel = "KIND",
            description = "What keeps --data-dir: rocksdb (everything in RocksDB) or lanesdb (the state in LanesDB, "
                    + "blocks in RocksDB). A data directory is only opened by the kind that made it (default: ${DEFAULT-VALUE}).")
    String store = "rocksdb";

    @Option(names = "--in-memory", description = "Keep the chain in memory only (lost on exit); --data-dir is ignored.")
    boolean inMemory;

    @Option(names = "--rpc-evm-timeout", paramLabel = "SECONDS",
            description = "Time cap of one eth_call, eth_estimateGas (its whole search), eth_createAccessList or debug_traceCall;"
                    + " decimals allowed, 0 = no limit (default: ${DEFAULT-VALUE}).")
    double rpcEvmTimeout = NodeConfig.DEFAULT_RPC_EVM_TIMEOUT.toMillis() / 1000.0;

    @Option(names = "--max-queued-requests", paramLabel = "N",
            description = "Most RPC requests waiting for the chain thread (a batch counts once); more are answered at once"
                    + " with -32005 (default: ${DEFAULT-VALUE}).")
    int maxQueuedRequests = NodeConfig.DEFAULT_MAX_QUEUED_REQUESTS;

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Serve Prometheus metrics on this port of --host (GET /metrics); off by default.")
    Integer metricsPort;

    @Override public Integer call() throws Exception {
        if (blockTime <= 0 && !automine) {
            System.err.println("lanes node: --block-time must be positive");
            return 2;
        }
        if (rpcEvmTimeout < 0 || Double.isNaN(rpcEvmTimeout)) {
            System.err.println("lanes node: --rpc-evm-timeout must be 0 (no limit) or positive");
            return 2;
        }
        NodeConfig config;
        try {
            config = NodeConfig.defaults().withHost(host).withPort(port).withChainId(chainId).withThreads(threads)
                    .withMining(automine, Duration.ofMillis(Math.round(blockTime * 1000)))
                    .withDataDir(inMemory ? null : java.nio.file.Path.of(dataDir)).withStore(StoreKind.parse(store))
                    .withRpcEvmTimeout(Duration.ofMillis(Math.round(rpcEvmTimeout * 1000)))
                    .withMaxQueuedRequests(maxQueuedRequests);
        } catch (IllegalArgumentException e) {
            System.err.println("lanes node: " + e.getMessage());
            return 2;
        }
        // The banner comes first, so that no block line can be printed in the middle of it.
        System.out.println("Available accounts (10000 ETH each)\n");
        var accounts = DevAccounts.derive(config.mnemonic(), config.accounts());
        for (int i = 0; i < accounts.size(); i++) System.out.printf("(%d) %s%n", i, accounts.get(i).address());
        System.out.println("\nPrivate keys\n");
        for (int i = 0; i < accounts.size(); i++) System.out.printf("(%d) %s%n", i, Hex.prefixed(accounts.get(i).privateKey()));
        System.out.println("\nMnemonic:        " + DevAccounts.TEST_MNEMONIC);
        System.out.println("Derivation path: m/44'/60'/0'/0/");
        System.out.println("Chain id:        " + config.chainId());
        System.out.println("Mining:          " + (automine ? "automine (one block per transaction)"
                : "every " + blockTime + " s, or as soon as transactions wait"));
        System.out.println("Threads:         " + config.threads());
        System.out.println("Data:            " + (inMemory ? "in memory (lost on exit)"
                : java.nio.file.Path.of(dataDir).toAbsolutePath().normalize() + " (" + config.store().id() + ")"));
        Node node;
        Metrics metrics = new Metrics(NodeCommand::progress);
        try {
            node = Node.start(config, metrics);
        } catch (StoreException e) {
            System.err.println("lanes node: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            // Netty rethrows a busy port's BindException without declaring it.
            if (e instanceof java.net.SocketException || e.getCause() instanceof java.net.SocketException)
                System.err.println("lanes node: cannot listen on " + config.host() + ":" + config.port() + ": " + e);
            else System.err.println("lanes node: cannot start: " + e);
            return 1;
        }
        if (metricsPort != null) {
            try {
                metrics.serve(node, config.host(), metricsPort);
            } catch (java.io.IOException e) {
                System.err.println("lanes node: cannot serve metrics on " + config.host() + ":" + metricsPort + ": " + e);
                node.close();
                return 1;
            }
            System.out.println("Metrics:         http://" + config.host() + ":" + metrics.port() + "/metrics");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nlanes node: shutting down");
            metrics.stop();
            node.close();
            stopped.countDown();
        }, "lanes-shutdown"));
        long head = node.submit(() -> node.chain().head().number()).get();
        if (head > 0) System.out.println("\nResuming at block " + head);
        System.out.println("\nListening on " + config.host() + ":" + node.port());
        stopped.await();
        return 0;
    }

    private static void progress(Chain.Sealed s) {
        Block b = s.block();
        double seconds = s.nanos() / 1e9;
        var p = s.parallel();
        // Parallel: executions and re-executions of Block-STM, or why the block ran on the sequential path.
        String parallel = p == null ? "" : p.sequentialReason() != null ? "  sequential (" + p.sequentialReason() + ")"
                : "  parallel: " + p.executions() + " executions, " + p.reexecutions() + " re-executions"
                        + (p.sequentialFrom() >= 0 ? ", sequential from tx " + p.sequentialFrom() : "");
        System.out.printf("block %d  txs %d  gas %d  %.1f Mgas/s  %.1f ms%s  hash %s%n", b.number(), b.transactions().size(),
                b.header().gasUsed(), seconds > 0 ? b.header().gasUsed() / 1e6 / seconds : 0.0, s.nanos() / 1e6, parallel, b.hash());
        for (int i = 0; i < s.rejected().size(); i++)
            System.out.println("  dropped " + s.rejected().get(i).hash() + ": " + s.reasons().get(i));
    }
}
