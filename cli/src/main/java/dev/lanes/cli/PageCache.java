package dev.lanes.cli;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Drops a store's files from the operating system's page cache ({@code posix_fadvise(POSIX_FADV_DONTNEED)} on each file,
 * through the JDK's foreign function interface), so that the reads after it go to the disk: what a store holding more
 * state than memory sees. Needs no privileges (unlike {@code /proc/sys/vm/drop_caches}); pages with unwritten changes
 * stay, so call it after a durable commit. Linux only.
 */
final class PageCache {
    private PageCache() {}

    private static final int O_RDONLY = 0, POSIX_FADV_DONTNEED = 4;
    private static final MethodHandle OPEN, FADVISE, CLOSE;

    static {
        Linker linker = Linker.nativeLinker();
        SymbolLookup libc = linker.defaultLookup();
        OPEN = linker.downcallHandle(libc.find("open").orElseThrow(), FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        FADVISE = linker.downcallHandle(libc.find("posix_fadvise").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
        CLOSE = linker.downcallHandle(libc.find("close").orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    /** {@code open(path, O_RDONLY)}: a file descriptor, or -1 (the file is gone, say). */
    static int openReadOnly(Path file) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) OPEN.invokeExact(arena.allocateFrom(file.toString()), O_RDONLY);
        } catch (Throwable t) {
            throw new IllegalStateException("open " + file, t);
        }
    }

    /** {@code close(fd)}; false when it failed. */
    static boolean close(int fd) {
        try {
            return (int) CLOSE.invokeExact(fd) == 0;
        } catch (Throwable t) {
            throw new IllegalStateException("close " + fd, t);
        }
    }

    /** Evicts every regular file under {@code dir}; returns the bytes of the files advised. */
    static long evict(Path dir) throws IOException {
        long bytes = 0;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                int fd = openReadOnly(f);
                if (fd < 0) continue; // deleted meanwhile (a compacted segment, a RocksDB file)
                int rc;
                try {
                    rc = (int) FADVISE.invokeExact(fd, 0L, 0L, POSIX_FADV_DONTNEED);
                } catch (Throwable t) {
                    close(fd);
                    throw new IOException("cannot advise the page cache for " + f, t);
                }
                boolean closed = close(fd);
                if (rc != 0) throw new IOException("posix_fadvise failed on " + f + ": error " + rc);
                if (!closed) throw new IOException("close failed on " + f);
                try {
                    bytes += Files.size(f);
                } catch (java.nio.file.NoSuchFileException gone) {
                    // deleted after it was advised
                }
            }
        }
        return bytes;
    }
}
