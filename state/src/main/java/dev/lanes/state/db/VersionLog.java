package dev.lanes.state.db;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * {@code versions.log}: a 64-byte header, then one fixed-size record per committed version, appended and fsynced
 * after the version's data is durable. A record is valid only if its own CRC32C matches, so a torn append is
 * recognised and cut off at open; its data checksum lets open also reject a version whose node bytes were damaged.
 *
 * <pre>
 * 0 magic u32 | 4 format u32 | 8 version u64 | 16 rootPtr u64 | 24 rootMinSeg u32 | 28 rootHash[32]
 * 60 dataStart u64 | 68 dataEnd u64 | 76 codeEnd u64 | 84 dataCrc u32 | 88 preimageEnd u64 | 96 reserved[28]
 * 124 recordCrc u32
 * </pre>
 * {@code preimageEnd} (the preimage log's end, see {@link LanesDb.Options#preimages}) was reserved, zero, before
 * preimages existed, so older records read as "no preimages".
 */
final class VersionLog implements AutoCloseable {
    static final int HEADER = 64, RECORD = 128;
    private static final byte[] MAGIC = "LANESDB-VERSIONS".getBytes(StandardCharsets.US_ASCII);
    private static final int RECORD_MAGIC = 0x4c564552; // "LVER"

    record Entry(long version, long rootPtr, int rootMinSeg, byte[] rootHash, long dataStart, long dataEnd, long codeEnd, int dataCrc,
                 long preimageEnd) {}

    private final FileChannel ch;
    /** Volatile: versioned reads look records up while a commit appends. */
    private volatile long count;
    private long firstVersion = -1;
    long bytesWritten;

    VersionLog(Path file) throws IOException {
        ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        long size = ch.size();
        if (size == 0) {
            ByteBuffer h = ByteBuffer.allocate(HEADER).put(MAGIC);
            h.clear();
            ch.write(h, 0);
            ch.force(true);
            bytesWritten += HEADER;
            size = HEADER;
        }
        ByteBuffer h = ByteBuffer.allocate(HEADER);
        ch.read(h, 0);
        byte[] m = new byte[MAGIC.length];
        h.flip();
        if (h.remaining() < HEADER) throw new CorruptStoreException(file + " has a short header");
        h.get(m);
        if (!java.util.Arrays.equals(m, MAGIC)) throw new CorruptStoreException(file + " is not a LanesDB version log");
        count = (size - HEADER) / RECORD;
        if (count > 0) {
            Entry first = read(0);
            firstVersion = first == null ? -1 : first.version;
        }
    }

    long count() {
        return count;
    }

    long firstVersion() {
        return firstVersion;
    }

    /** The record at index {@code i}, or null when it is torn or damaged. */
    Entry read(long i) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(RECORD);
        long at = HEADER + i * RECORD;
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) return null;
        }
        byte[] r = b.array();
        CRC32C c = new CRC32C();
        c.update(r, 0, 124);
        b.clear();
        if (b.getInt(124) != (int) c.getValue() || b.getInt(0) != RECORD_MAGIC || b.getInt(4) != 1) return null;
        byte[] root = new byte[32];
        b.get(28, root);
        return new Entry(b.getLong(8), b.getLong(16), b.getInt(24), root, b.getLong(60), b.getLong(68), b.getLong(76), b.getInt(84),
                b.getLong(88));
    }

    /** The entry for {@code version}, or null when the log does not hold it. */
    Entry find(long version) throws IOException {
        if (firstVersion < 0 || version < firstVersion || version - firstVersion >= count) return null;
        Entry e = read(version - firstVersion);
        if (e == null || e.version != version) throw new CorruptStoreException("version record " + version + " is damaged");
        return e;
    }

    /** Drops every record from index {@code keep} on (a torn or rejected tail). */
    void truncate(long keep) throws IOException {
        ch.truncate(HEADER + keep * RECORD);
        ch.force(true);
        count = keep;
        if (keep == 0) firstVersion = -1;
    }

    /** Appends and fsyncs one record: when this returns the version is committed. */
    void append(Entry e) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(RECORD);
        b.putInt(0, RECORD_MAGIC).putInt(4, 1).putLong(8, e.version).putLong(16, e.rootPtr).putInt(24, e.rootMinSeg)
                .put(28, e.rootHash).putLong(60, e.dataStart).putLong(68, e.dataEnd).putLong(76, e.codeEnd).putInt(84, e.dataCrc)
                .putLong(88, e.preimageEnd);
        CRC32C c = new CRC32C();
        c.update(b.array(), 0, 124);
        b.putInt(124, (int) c.getValue());
        long at = HEADER + count * RECORD;
        while (b.hasRemaining()) ch.write(b, at + b.position());
        ch.force(false);
        if (count == 0) firstVersion = e.version;
        count++;
        bytesWritten += RECORD;
    }

    long diskBytes() {
        return HEADER + count * RECORD;
    }

    @Override public void close() throws IOException {
        ch.close();
    }
}
