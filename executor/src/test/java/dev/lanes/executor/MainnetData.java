package dev.lanes.executor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Where the tests find {@code ${lanes.shared}/mainnet-blocks}: the block folders, in block-number order. */
final class MainnetData {
    private MainnetData() {}

    /** The folder, or {@code null} when {@code lanes.shared} is not set. */
    static Path blocksDir() {
        String shared = System.getProperty("lanes.shared");
        return shared == null ? null : Path.of(shared, "mainnet-blocks");
    }

    /** Every folder holding a {@code block.json}; empty when the data are absent. */
    static List<Path> blockDirs() throws IOException {
        Path dir = blocksDir();
        if (dir == null || !Files.isDirectory(dir)) return List.of();
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(d -> Files.isRegularFile(d.resolve("block.json")))
                    .sorted(Comparator.comparingLong(d -> Long.parseLong(d.getFileName().toString())))
                    .forEach(out::add);
        }
        return out;
    }
}
