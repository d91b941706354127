package dev.lanes.state.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The append-only segment files {@code seg-NNNNNN.lseg} that hold trie nodes. One segment is active (appended to,
 * through a buffer); the others are only read, with positional reads that may run on many threads at once. A
 * position is {@code segment << 32 | offset}; a node's address is a {@link Ptr}.
 *
 * <p>Every segment starts with a 16-byte header (magic and id) so that a stray file is refused rather than read as
 * nodes. The bytes appended since {@link #beginBlock} are checksummed (CRC32C) as they go, so the version record
 * can carry the checksum of its block's data.
 */
final class Segments implements AutoCloseable {
    static final int HEADER = 16;
    private static final byte[] MAGIC = "LANESSEG".getBytes(StandardCharsets.US_ASCII);

    private final Path dir;
    private final long segmentBytes;
    /** Read channels by segment id; replaced (copy-on-write) when segments come and go, so readers need no lock. */
    private volatile FileChannel[] channels = new FileChannel[16];
    /** Logical length of every segment (the active one's includes the buffer). */
    private long[] sizes = new long[16];
    private int active;
    private FileChannel out;
    private long flushed;
    /**
     * {@code pos(active, flushed)}, for readers on other threads: it only grows (a new segment starts past the old
     * one's end), so a reader of a committed record, which is always below it, never touches the write buffer, even
     * when it sees {@link #active} and {@link #flushed} from different moments. Only the writing thread itself reads
     * records still in the buffer.
     */
    private volatile long flushedPos;
    private final ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
    private final CRC32C crc = new CRC32C();
    private final List<FileChannel> unsynced = new ArrayList<>();
    private boolean newFiles;
    private long blockStart;
    /** Bytes appended in this process's life (node records and headers). */
    long bytesWritten;

    Segments(Path dir, long segmentBytes) {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
    }

    static Path file(Path dir, int id) {
        return dir.resolve(String.format("seg-%06d.lseg", id));
    }

    static long pos(int segment, long offset) {
        return (long) segment << 32 | offset;
    }

    /** Ids of the segment files present, ascending. */
    static List<Integer> list(Path dir) throws IOException {
        List<Integer> ids = new ArrayList<>();
        try (var s = Files.list(dir)) {
            s.forEach(p -> {
                String n = p.getFileName().toString();
                if (n.matches("seg-\\d{6}\\.lseg")) ids.add(Integer.parseInt(n.substring(4, 10)));
            });
        }
        ids.sort(null);
        return ids;
    }

    /** Opens every segment file present, for reading (recovery checks versions' data before choosing the head). */
    void openAll() throws IOException {
        for (int id : list(dir)) {
            FileChannel ch = FileChannel.open(file(dir, id), StandardOpenOption.READ, StandardOpenOption.WRITE);
            if (!headerOk(ch, id)) {
                // A kill between creating a segment and writing its header: only acceptable past the committed end.
                ch.close();
                unreadable.add(id);
                continue;
            }
            install(id, ch, ch.size());
        }
    }

    private final List<Integer> unreadable = new ArrayList<>();

    /**
     * Makes the store's newest committed data end at {@code end} (a position; 0 for an empty store): the segment
     * holding it is truncated there and becomes the active one, later segments are deleted.
     */
    void truncateTo(long end) throws IOException {
        int endSeg = (int) (end >>> 32);
        // Bytes appended since the last sync (the background compactor's, for a version that will not come) lie past
        // `end`: drop them rather than write them over the cut.
        buf.clear();
        for (int id : unreadable) {
            if (id <= endSeg) throw new CorruptStoreException(file(dir, id) + " has a bad header but holds committed data");
        }
        FileChannel[] cs = channels;
        for (int id : list(dir)) {
            if (id <= endSeg) continue;
            if (id < cs.length && cs[id] != null) {
                cs[id].close();
                FileChannel[] c2 = channels.clone();
                c2[id] = null;
                channels = c2;
                sizes[id] = 0;
            }
            Files.delete(file(dir, id));
            newFiles = true;
        }
        unreadable.clear(); // all past endSeg, so deleted above; a later rollback must not trip over their ids
        unsynced.removeIf(ch -> !ch.isOpen());
        if (endSeg == 0) {
            startSegment(1);
            return;
        }
        FileChannel ch = channel(endSeg);
        if (ch == null) throw new CorruptStoreException("segment " + endSeg + " holding the newest version is missing");
        long off = end & 0xffffffffL;
        if (ch.size() < off) throw new CorruptStoreException("segment " + endSeg + " is shorter than its committed data");
        if (ch.size() > off) {
            ch.truncate(off);
            ch.force(true);
        }
        active = endSeg;
        out = ch;
        flushed = off;
        flushedPos = pos(endSeg, off);
        sizes[endSeg] = off;
    }

    static int count(Segments s) {
        int n = 0;
        for (FileChannel ch : s.channels) if (ch != null) n++;
        return n;
    }

    private static boolean headerOk(FileChannel ch, int id) throws IOException {
        ByteBuffer h = ByteBuffer.allocate(HEADER);
        while (h.hasRemaining() && ch.read(h, h.position()) > 0) { }
        if (h.position() < HEADER) return false;
        byte[] m = new byte[8];
        h.flip().get(m);
        return java.util.Arrays.equals(m, MAGIC) && h.getLong() == id;
    }

    private void install(int id, FileChannel ch, long size) {
        FileChannel[] cs = channels;
        if (id >= cs.length) {
            cs = java.util.Arrays.copyOf(cs, Math.max(id + 1, cs.length * 2));
            sizes = java.util.Arrays.copyOf(sizes, cs.length);
        } else {
            cs = cs.clone();
        }
        cs[id] = ch;
        sizes[id] = size;
        channels = cs;
    }

    private void startSegment(int id) throws IOException {
        if (id > Ptr.MAX_SEGMENT) throw new IllegalStateException("out of segment ids");
        FileChannel ch = FileChannel.open(file(dir, id), StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
        ByteBuffer h = ByteBuffer.allocate(HEADER).put(MAGIC).putLong(id).flip();
        while (h.hasRemaining()) ch.write(h, HEADER - h.remaining());
        install(id, ch, HEADER);
        active = id;
        out = ch;
        flushed = HEADER;
        flushedPos = pos(id, HEADER);
        newFiles = true;
        bytesWritten += HEADER;
    }

    FileChannel channel(int id) {
        FileChannel[] cs = channels;
        return id < cs.length ? cs[id] : null;
    }

    long size(int id) {
        return id < sizes.length ? sizes[id] : 0;
    }

    int active() {
        return active;
    }

    /** The smallest segment id present (segments are only ever deleted from the bottom), or the active one. */
    int lowest() {
        FileChannel[] cs = channels;
        for (int id = 1; id < cs.length; id++) if (cs[id] != null) return id;
        return active;
    }

    /** The position after the last appended byte. */
    long end() {
        return pos(active, sizes[active]);
    }

    void beginBlock() {
        crc.reset();
        blockStart = end();
    }

    long blockStart() {
        return blockStart;
    }

    int blockCrc() {
        return (int) crc.getValue();
    }

    /** Appends one record and returns its address. */
    long append(byte[] rec, int len) {
        try {
            long off = sizes[active];
            if (off + len > segmentBytes && off > HEADER) {
                flush();
                unsynced.add(out);
                startSegment(active + 1);
                off = HEADER;
            }
            if (buf.remaining() < len) flush();
            buf.put(rec, 0, len);
            crc.update(rec, 0, len);
            sizes[active] = off + len;
            bytesWritten += len;
            return Ptr.of(active, off, len);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void flush() throws IOException {
        buf.flip();
        while (buf.hasRemaining()) flushed += out.write(buf, flushed);
        buf.clear();
        flushedPos = pos(active, flushed);
    }

    /** Makes everything appended durable: data of rolled-over segments, the active one, and new directory entries. */
    void sync() throws IOException {
        flush();
        for (FileChannel ch : unsynced) ch.force(false);
        unsynced.clear();
        out.force(false);
        if (newFiles) {
            syncDir(dir);
            newFiles = false;
        }
    }

    static void syncDir(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some file systems refuse to open a directory for fsync; the data files themselves are synced.
        }
    }

    /** Reads the record at {@code ptr} into {@code dst[0, length)}. */
    void read(long ptr, byte[] dst, ByteBuffer wrap) {
        int seg = Ptr.segment(ptr);
        long off = Ptr.offset(ptr);
        int len = Ptr.length(ptr);
        FileChannel ch = channel(seg);
        if (ch == null) throw new CorruptStoreException("node " + Ptr.toString(ptr) + " is in a segment that is gone");
        if (pos(seg, off + len) > flushedPos) {
            synchronized (this) {
                try {
                    flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        wrap.clear().limit(len);
        try {
            long p = off;
            while (wrap.hasRemaining()) {
                int n = ch.read(wrap, p);
                if (n < 0) throw new CorruptStoreException("node " + Ptr.toString(ptr) + " lies past the end of its segment");
                p += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** CRC32C of the bytes in {@code [from, to)} (positions), across segments; -1 when some are missing. */
    long crcOf(long from, long to) throws IOException {
        CRC32C c = new CRC32C();
        ByteBuffer b = ByteBuffer.allocate(1 << 20);
        int seg = (int) (from >>> 32);
        long off = from & 0xffffffffL;
        int endSeg = (int) (to >>> 32);
        while (true) {
            FileChannel ch = channel(seg);
            if (ch == null) return -1;
            long limit = seg == endSeg ? to & 0xffffffffL : ch.size();
            if (ch.size() < limit) return -1;
            while (off < limit) {
                b.clear().limit((int) Math.min(b.capacity(), limit - off));
                int n = ch.read(b, off);
                if (n <= 0) return -1;
                c.update(b.flip());
                off += n;
            }
            if (seg == endSeg) return c.getValue();
            seg++;
            off = HEADER;
        }
    }

    /** Deletes segment {@code id} (never the active one). */
    void delete(int id) throws IOException {
        if (id == active) throw new IllegalStateException("deleting the active segment");
        FileChannel ch = channel(id);
        if (ch == null) return;
        FileChannel[] cs = channels.clone();
        cs[id] = null;
        channels = cs;
        sizes[id] = 0;
        ch.close();
        try {
            Files.delete(file(dir, id));
        } catch (NoSuchFileException e) {
            // already gone
        }
        newFiles = true;
    }

    /** Total bytes of the segment files. */
    long diskBytes() {
        long t = 0;
        for (long s : sizes) t += s;
        return t;
    }

    @Override public void close() throws IOException {
        if (out != null) flush();
        for (FileChannel ch : channels) if (ch != null) ch.close();
    }
}
