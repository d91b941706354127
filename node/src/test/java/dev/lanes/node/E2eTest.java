package dev.lanes.node;


import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The node against real clients: starts it in-process on a free port with interval mining (the default mode),
 * installs the pinned ethers, viem and solc from {@code e2e/package-lock.json} with {@code npm ci}, and runs
 * {@code e2e/e2e.mjs} (ethers v6: transfers, a compiled contract, events, revert reasons, gas estimates, then
 * block and event listeners over WebSocket) and {@code e2e/viem.mjs} (viem 2 over HTTP and WebSocket: block
 * watchers, contract event watchers, filters, receipts, estimates, logs). Fails when a script fails; skips,
 * saying why, only when Node.js or npm is not installed. Each script runs against the node in memory, on RocksDB and on
 * LanesDB ({@code --store}).
 */
class E2eTest {
    private static final Path DIR = Path.of("e2e").toAbsolutePath();
    private static boolean installed;

    @TempDir Path dataDir;

    @ParameterizedTest @ValueSource(strings = {"memory", "rocksdb", "lanesdb"})
    void ethersScriptPasses(String store) throws Exception {
        runScript("e2e.mjs", Stores.config(store, dataDir));
    }

    @ParameterizedTest @ValueSource(strings = {"memory", "rocksdb", "lanesdb"})
    void viemScriptPasses(String store) throws Exception {
        runScript("viem.mjs", Stores.config(store, dataDir));
    }

    private static void runScript(String script, NodeConfig base) throws Exception {
        String missing = Processes.missing(List.of("node", "npm"));
        if (missing != null) {
            System.out.println("E2eTest skipped: " + missing);
            Assumptions.abort(missing);
        }
        if (!installed) {
            Processes.run(DIR, List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), Map.of(), Duration.ofMinutes(5));
            installed = true;
        }
        NodeConfig config = base.withPort(0).withThreads(2).withMining(false, Duration.ofMillis(500));
        try (Node node = Node.start(config, null)) {
            Processes.run(DIR, List.of("node", script, "http://127.0.0.1:" + node.port()), Map.of(), Duration.ofMinutes(3));
        }
    }
}
