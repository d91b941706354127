package dev.lanes.cli;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Which way of reading a store's records is fastest here: random positional reads of node-sized records (64-600 bytes
 * at random offsets) from one file, through {@link FileChannel#read(ByteBuffer, long)} into a wrapped heap array (what
 * LanesDB's {@code Segments.read} does), through a {@link FileChannel} into a direct buffer, through {@code pread(2)}
 * called with the JDK's foreign function interface into native memory, and from a read-only memory map; each copies
 * the record into a Java array, as the store needs it there. Measured with the file in the page cache (warm) and with
 * it dropped before each run ({@link PageCache}, cold), on 1 and on many threads (a read pool). The answer decides
 * whether LanesDB should move off {@code FileChannel} (issue 15: FFM or io_uring only where they measurably win).
 */
@Command(name = "reads", mixinStandardHelpOptions = true,
        description = "Random record reads from one file: FileChannel (LanesDB's path) against FFM pread and a memory map, with"
                + " the page cache warm and dropped, on 1 and more threads.")
final class BenchReadsCommand implements Callable<Integer> {
    @Option(names = "--file-mb", description = "Size of the file read (default: ${DEFAULT-VALUE}).")
    int fileMb = 2048;
    @Option(names = "--reads", description = "Reads per warm run (default: ${DEFAULT-VALUE}).")
    int reads = 400_000;
    @Option(names = "--cold-reads", description = "Reads per cold run (default: ${DEFAULT-VALUE}).")
    int coldReads = 20_000;
    @Option(names = "--threads", split = ",", description = "Thread counts (default: 1,16).")
    int[] threads = {1, 16};
    @Option(names = "--runs", description = "Runs per method, interleaved; the median is reported (default: ${DEFAULT-VALUE}).")
    int runs = 5;
    @Option(names = "--dir", description = "Where the file is made (default: a new folder under /tmp; deleted afterwards).")
    Path dir;
    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    static final String[] METHODS = {"channel-heap", "channel-direct", "ffm-pread", "mmap"};
    private static final int MAX_LEN = 600, MIN_LEN = 64;
    private static final MethodHandle PREAD;

    static {
        Linker linker = Linker.nativeLinker();
        PREAD = linker.downcallHandle(linker.defaultLookup().find("pread").orElseThrow(),
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    }

    /** One way of reading: reads {@code len} bytes at {@code off} into {@code dst}. Per thread (holds its buffers). */
    interface Reader {
        void read(long off, int len, byte[] dst);
    }

    @Override public Integer call() throws Exception {
        if (fileMb < 1 || reads < 1 || coldReads < 1 || runs < 1) throw new picocli.CommandLine.ParameterException(
                new picocli.CommandLine(this), "--file-mb, --reads, --cold-reads and --runs must be at least 1");
        for (int t : threads) {
            if (t < 1) throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--threads must be at least 1: " + t);
        }
        boolean made = dir == null;
        Path base = made ? Files.createTempDirectory("lanes-reads-") : Files.createDirectories(dir);
        Path file = base.resolve("records.bin");
        ObjectMapper om = new ObjectMapper();
        ObjectNode out = om.createObjectNode();
        try {
            long size = (long) fileMb << 20;
            long t0 = System.nanoTime();
            write(file, size);
            out.put("file_mb", fileMb);
            out.put("write_s", (System.nanoTime() - t0) / 1e9);
            out.put("cores", Runtime.getRuntime().availableProcessors());
            ArrayNode results = out.putArray("results");
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                int fd = PageCache.openReadOnly(file);
                if (fd < 0) throw new IOException("open failed: " + file);
                try {
                    for (boolean cold : new boolean[] {false, true}) {
                        if (!cold) warm(ch, size);
                        for (int t : threads) {
                            int n = cold ? coldReads : reads;
                            List<List<Double>> rates = new ArrayList<>();
                            for (int m = 0; m < METHODS.length; m++) rates.add(new ArrayList<>());
                            for (int r = 0; r < runs + 1; r++) { // the first round warms the JIT and is left out
                                for (int m = 0; m < METHODS.length; m++) {
                                    if (cold) PageCache.evict(base);
                                    double rate;
                                    // a fresh mapping per run, unmapped after it: the page cache cannot drop mapped pages
                                    try (Arena mapping = Arena.ofShared()) {
                                        MemorySegment map = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, mapping);
                                        rate = run(METHODS[m], ch, map, fd, size, t, n, 31L * r + m);
                                    }
                                    if (r > 0) rates.get(m).add(rate);
                                }
                            }
                            for (int m = 0; m < METHODS.length; m++) {
                                List<Double> v = rates.get(m);
                                v.sort(null);
                                ObjectNode o = results.addObject();
                                o.put("cache", cold ? "cold" : "warm");
                                o.put("threads", t);
                                o.put("method", METHODS[m]);
                                o.put("reads_per_s", v.get(v.size() / 2));
                                o.put("min", v.getFirst());
                                o.put("max", v.getLast());
                            }
                        }
                    }
                } finally {
                    PageCache.close(fd);
                }
            }
        } finally {
            Files.deleteIfExists(file);
            if (made) Files.deleteIfExists(base);
        }
        if (json) {
            System.out.println(om.writeValueAsString(out));
        } else {
            System.out.printf("%d MiB file, %d cores; reads per second, median of %d runs (min-max)%n", fileMb, out.get("cores").asInt(), runs);
            System.out.printf("%-6s %8s %-16s %14s %24s%n", "cache", "threads", "method", "reads/s", "range");
            for (var o : out.get("results")) {
                System.out.printf("%-6s %8d %-16s %,14.0f %,11.0f-%,-12.0f%n", o.get("cache").asText(), o.get("threads").asInt(),
                        o.get("method").asText(), o.get("reads_per_s").asDouble(), o.get("min").asDouble(), o.get("max").asDouble());
            }
        }
        return 0;
    }

    private static void write(Path file, long size) throws IOException {
        Random rnd = new Random(1);
        byte[] chunk = new byte[8 << 20];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long p = 0; p < size; p += chunk.length) {
                rnd.nextBytes(chunk);
                ByteBuffer b = ByteBuffer.wrap(chunk, 0, (int) Math.min(chunk.length, size - p));
                while (b.hasRemaining()) ch.write(b, p + b.position());
            }
            ch.force(true);
        }
    }

    /** Reads the whole file once, so that the warm runs find it in the page cache. */
    private static void warm(FileChannel ch, long size) throws IOException {
        ByteBuffer b = ByteBuffer.allocateDirect(8 << 20);
        for (long p = 0; p < size; ) {
            b.clear();
            int n = ch.read(b, p);
            if (n <= 0) break;
            p += n;
        }
    }

    /** Reads per second of {@code n} random record reads spread over {@code threads} threads. */
    private static double run(String method, FileChannel ch, MemorySegment map, int fd, long size, int threads, int n, long seed)
            throws InterruptedException {
        Thread[] ts = new Thread[threads];
        long[] sink = new long[threads * 8];
        RuntimeException[] error = new RuntimeException[1];
        java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(threads), go = new java.util.concurrent.CountDownLatch(1);
        for (int i = 0; i < threads; i++) {
            int id = i, count = n / threads + (i < n % threads ? 1 : 0);
            ts[i] = new Thread(() -> {
                try (Arena arena = Arena.ofConfined()) {
                    Reader r = reader(method, ch, map, fd, arena);
                    Random rnd = new Random(seed * 1000 + id);
                    long[] offs = new long[count];
                    int[] lens = new int[count];
                    for (int k = 0; k < count; k++) {
                        lens[k] = MIN_LEN + rnd.nextInt(MAX_LEN - MIN_LEN + 1);
                        offs[k] = (rnd.nextLong() >>> 1) % (size - MAX_LEN);
                    }
                    byte[] dst = new byte[MAX_LEN];
                    long s = 0;
                    ready.countDown();
                    go.await();
                    for (int k = 0; k < count; k++) {
                        r.read(offs[k], lens[k], dst);
                        s += dst[0] + dst[lens[k] - 1];
                    }
                    sink[id * 8] = s;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    error[0] = e;
                }
            }, "bench-reads-" + i);
            ts[i].start();
        }
        ready.await();
        long t0 = System.nanoTime();
        go.countDown();
        for (Thread t : ts) t.join();
        long t1 = System.nanoTime();
        if (error[0] != null) throw error[0];
        return n / ((t1 - t0) / 1e9);
    }

    private static Reader reader(String method, FileChannel ch, MemorySegment map, int fd, Arena arena) {
        return switch (method) {
            case "channel-heap" -> {
                ByteBuffer[] wrap = {null}; // the destination array wrapped, as LanesDB reads into its per-thread array
                yield (off, len, dst) -> {
                    if (wrap[0] == null || wrap[0].array() != dst) wrap[0] = ByteBuffer.wrap(dst);
                    wrap[0].clear().limit(len);
                    readFully(ch, wrap[0], off);
                };
            }
            case "channel-direct" -> {
                ByteBuffer direct = ByteBuffer.allocateDirect(MAX_LEN);
                yield (off, len, dst) -> {
                    direct.clear().limit(len);
                    readFully(ch, direct, off);
                    direct.get(0, dst, 0, len);
                };
            }
            case "ffm-pread" -> {
                MemorySegment buf = arena.allocate(MAX_LEN, 64);
                yield (off, len, dst) -> {
                    long got;
                    try {
                        got = (long) PREAD.invokeExact(fd, buf, (long) len, off);
                    } catch (Throwable t) {
                        throw new IllegalStateException(t);
                    }
                    if (got != len) throw new UncheckedIOException(new IOException("short pread: " + got + " of " + len));
                    MemorySegment.copy(buf, JAVA_BYTE, 0, dst, 0, len);
                };
            }
            case "mmap" -> (off, len, dst) -> MemorySegment.copy(map, JAVA_BYTE, off, dst, 0, len);
            default -> throw new IllegalArgumentException(method);
        };
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long off) {
        try {
            long p = off;
            while (b.hasRemaining()) {
                int n = ch.read(b, p);
                if (n < 0) throw new IOException("end of file");
                p += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
