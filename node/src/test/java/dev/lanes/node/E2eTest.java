package dev.lanes.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The node against real clients: starts it in-process on a free port with interval mining (the default mode),
 * installs the pinned ethers, viem and solc from {@code e2e/package-lock.json} with {@code npm ci}, and runs
 * {@code e2e/e2e.mjs} (ethers v6: transfers, a compiled contract, events, revert reasons, gas estimates, then
 * block and event listeners over WebSocket) and {@code e2e/viem.mjs} (viem 2 over HTTP and WebSocket: block
 * watchers, contract event watchers, filters, receipts, estimates, logs). Fails when a script fails; skips,
 * saying why, only when Node.js or npm is not installed.
 */
class E2eTest {
    private static final Path DIR = Path.of("e2e").toAbsolutePath();
    private static boolean installed;

    @Test void ethersScriptPasses() throws Exception {
        runScript("e2e.mjs");
    }

    @Test void viemScriptPasses() throws Exception {
        runScript("viem.mjs");
    }

    private static void runScript(String script) throws Exception {
        String missing = missingTool();
        if (missing != null) {
            System.out.println("E2eTest skipped: " + missing);
            Assumptions.abort(missing);
        }
        if (!installed) {
            run(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), Duration.ofMinutes(5));
            installed = true;
        }
        NodeConfig config = NodeConfig.defaults().withPort(0).withThreads(2).withMining(false, Duration.ofMillis(500));
        try (Node node = Node.start(config, null)) {
            run(List.of("node", script, "http://127.0.0.1:" + node.port()), Duration.ofMinutes(3));
        }
    }

    /** Null when both node and npm run, else why not. */
    private static String missingTool() {
        for (String tool : List.of("node", "npm")) {
            try {
                Process p = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) return tool + " --version failed";
            } catch (IOException e) {
                return tool + " is not installed (" + e.getMessage() + ")";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }
        return null;
    }

    private static void run(List<String> command, Duration limit) throws Exception {
        Path log = Files.createTempFile("lanes-e2e", ".log");
        Process p = new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        boolean done = p.waitFor(limit.toSeconds(), TimeUnit.SECONDS);
        if (!done) p.destroyForcibly().waitFor();
        String out = Files.readString(log);
        Files.deleteIfExists(log);
        System.out.println("$ " + String.join(" ", command) + "\n" + out);
        if (!done) throw new AssertionError(String.join(" ", command) + " did not finish within " + limit);
        assertEquals(0, p.exitValue(), String.join(" ", command) + " failed:\n" + out);
    }
}
