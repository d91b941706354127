package dev.lanes.state.db;

import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Keccak;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * {@code code.log}: contract code by hash, append-only ({@code [len u32][hash 32][code][crc32c u32]} per code),
 * with an in-memory map from hash to offset rebuilt by one scan at open. Code is content-addressed and small next to
 * the state, so it is never pruned or compacted. Appended within a commit and synced before the version record;
 * open cuts it back to the newest version's {@code codeEnd}.
 */
final class CodeLog implements AutoCloseable {
    private final FileChannel ch;
    /** Concurrent: a commit appends while reads of the newest state look codes up (see LanesDb's gate). */
    private final java.util.concurrent.ConcurrentHashMap<Hash, Long> offsets = new java.util.concurrent.ConcurrentHashMap<>();
    private long end;
    private boolean dirty;
    long bytesWritten;

    CodeLog(Path file, long committedEnd) throws IOException {
        ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        if (ch.size() < committedEnd) throw new CorruptStoreException(file + " is shorter than its committed data");
        if (ch.size() > committedEnd) {
            ch.truncate(committedEnd);
            ch.force(true);
        }
        long p = 0;
        ByteBuffer head = ByteBuffer.allocate(36);
        while (p < committedEnd) {
            head.clear();
            ch.read(head, p);
            if (head.position() < 36) throw new CorruptStoreException(file + " is torn at " + p);
            int len = head.getInt(0);
            if (len < 0 || p + 40 + len > committedEnd) throw new CorruptStoreException(file + " has a bad record at " + p);
            byte[] h = new byte[32];
            head.get(4, h);
            offsets.put(Hash.wrap(h), p);
            p += 40 + len;
        }
        end = committedEnd;
    }

    boolean contains(Hash h) {
        return offsets.containsKey(h);
    }

    /** Appends {@code code} unless present. */
    void put(Hash hash, byte[] code) {
        if (offsets.containsKey(hash)) return;
        ByteBuffer b = ByteBuffer.allocate(40 + code.length);
        b.putInt(code.length).put(hash.unsafeBytes()).put(code);
        CRC32C c = new CRC32C();
        c.update(b.array(), 0, 36 + code.length);
        b.putInt((int) c.getValue()).flip();
        try {
            while (b.hasRemaining()) ch.write(b, end + b.position());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        offsets.put(hash, end);
        end += b.limit();
        bytesWritten += b.limit();
        dirty = true;
    }

    /** The code with this hash, or null; a damaged record is an error, not a null. */
    byte[] get(Hash hash) {
        Long at = offsets.get(hash);
        if (at == null) return null;
        try {
            ByteBuffer head = ByteBuffer.allocate(4);
            ch.read(head, at);
            int len = head.getInt(0);
            ByteBuffer b = ByteBuffer.allocate(40 + len);
            while (b.hasRemaining()) if (ch.read(b, at + b.position()) < 0) throw new CorruptStoreException("code record torn");
            CRC32C c = new CRC32C();
            c.update(b.array(), 0, 36 + len);
            if (b.getInt(36 + len) != (int) c.getValue()) throw new CorruptStoreException("code " + hash + " is damaged");
            byte[] code = java.util.Arrays.copyOfRange(b.array(), 36, 36 + len);
            if (!Keccak.hashOf(code).equals(hash)) throw new CorruptStoreException("code " + hash + " does not match its hash");
            return code;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long end() {
        return end;
    }

    void sync() throws IOException {
        if (dirty) {
            ch.force(false);
            dirty = false;
        }
    }

    @Override public void close() throws IOException {
        ch.close();
    }
}
