package dev.lanes.state.trie;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates ../shared (official vectors, mainnet blocks). Surefire passes {@code lanes.shared}, which points
 * beside the checkout; a git worktree elsewhere has no shared folder beside it, so /work/shared is tried
 * next. Missing data fails the test: these vectors are the point of the tests, not an optional extra.
 */
final class SharedData {
    static final String DEFAULT = "/work/shared";

    private SharedData() {}

    static Path folder(String relative) {
        String configured = System.getProperty("lanes.shared");
        for (String base : new String[] {configured, DEFAULT}) {
            if (base == null) continue;
            Path p = Path.of(base).resolve(relative);
            if (Files.isDirectory(p)) return p;
        }
        throw new AssertionError("shared test data " + relative + " not found under lanes.shared=" + configured
                + " nor " + DEFAULT + "; check out ../shared or pass -Dlanes.shared=<dir>");
    }
}
