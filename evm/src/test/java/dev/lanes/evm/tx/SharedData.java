package dev.lanes.evm.tx;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates ../shared (the official vectors). Surefire passes {@code lanes.shared}, computed from the
 * top-level project directory; a git worktree placed elsewhere than the main checkout has no shared folder
 * beside it, so the machine-wide /work/shared is tried next. Missing data fails the test rather than
 * skipping it: silently skipped conformance tests pass for the wrong reason.
 */
final class SharedData {
    private static final Path DEFAULT = Path.of("/work/shared");

    private SharedData() {}

    static Path dir() {
        String prop = System.getProperty("lanes.shared");
        if (prop != null && Files.isDirectory(Path.of(prop, "ethereum-tests"))) return Path.of(prop);
        if (Files.isDirectory(DEFAULT.resolve("ethereum-tests"))) return DEFAULT;
        throw new IllegalStateException("shared test data not found: lanes.shared=" + prop + ", and no " + DEFAULT
                + "/ethereum-tests; pass -Dlanes.shared=/path/to/shared");
    }
}
