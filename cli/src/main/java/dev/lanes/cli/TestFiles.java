package dev.lanes.cli;

import dev.lanes.evm.EvmThreads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Stream;

/** What {@code statetest} and {@code blocktest} share: finding the vector files and running them in parallel. */
final class TestFiles {
    private TestFiles() {}

    /**
     * The {@code .json} files under {@code paths} (recursively, sorted), or null after printing a FAIL line and the
     * summary for a path that does not exist.
     */
    static List<Path> find(List<Path> paths) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path p : paths) {
            if (!Files.exists(p)) {
                System.out.println("FAIL " + p + ": no such file or folder");
                System.out.println("0 passed, 1 failed");
                return null;
            }
            try (Stream<Path> s = Files.walk(p)) {
                s.filter(f -> Files.isRegularFile(f) && f.toString().endsWith(".json")).sorted().forEach(files::add);
            }
        }
        return files;
    }

    /**
     * {@code run} on every file, on {@code threads} workers with deep stacks (call chains recurse 1,024 frames
     * deep); the results in file order.
     */
    static <R> List<List<R>> runAll(List<Path> files, int threads, String name, Function<Path, List<R>> run) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads),
                r -> { Thread t = EvmThreads.newThread(r, name); t.setDaemon(true); return t; });
        try {
            List<Future<List<R>>> futures = new ArrayList<>();
            for (Path f : files) futures.add(pool.submit(() -> run.apply(f)));
            List<List<R>> out = new ArrayList<>(futures.size());
            for (Future<List<R>> fu : futures) out.add(new ArrayList<>(fu.get()));
            return out;
        } finally {
            pool.shutdown();
        }
    }
}
