package dev.lanes.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the external tools of the end-to-end tests (npm, node, Hardhat): output logged, failure and timeout fatal. */
final class Processes {
    private Processes() {}

    /** Null when every tool answers {@code --version}, else why not (the tests then skip, saying so). */
    static String missing(List<String> tools) {
        for (String tool : tools) {
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

    /** Runs {@code command} in {@code dir} with extra {@code env}; returns its output; fails on a non-zero exit or timeout. */
    static String run(Path dir, List<String> command, Map<String, String> env, Duration limit) throws Exception {
        Path log = Files.createTempFile("lanes-e2e", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
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
