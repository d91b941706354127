package dev.lanes.primitives.rlp;

import java.util.ArrayList;
import java.util.List;

/** One-call RLP encoding and decoding; {@link RlpWriter} and {@link RlpReader} do the work. */
public final class Rlp {
    /**
     * Deepest list nesting {@link #decode} accepts. It recurses per level, and one byte per level ({@code 0xc1 0xc1 ..})
     * would otherwise let hostile input exhaust the thread stack. Ethereum's own structures nest a few levels.
     */
    public static final int MAX_TREE_DEPTH = 1024;

    private Rlp() {}

    public static byte[] encodeBytes(byte[] bytes) {
        return new RlpWriter(bytes.length + 9).writeBytes(bytes).toByteArray();
    }

    /** See {@link RlpWriter#writeLong(long)}: the value is unsigned. */
    public static byte[] encodeLong(long v) {
        return new RlpWriter(16).writeLong(v).toByteArray();
    }

    /** A list of items that are each already encoded. */
    public static byte[] encodeList(byte[]... encodedItems) {
        int payload = 0;
        for (byte[] item : encodedItems) payload += item.length;
        RlpWriter w = new RlpWriter(payload + 9).startList();
        for (byte[] item : encodedItems) w.writeRaw(item);
        return w.endList().toByteArray();
    }

    public static byte[] encode(RlpItem item) {
        RlpWriter w = new RlpWriter();
        write(w, item);
        return w.toByteArray();
    }

    private static void write(RlpWriter w, RlpItem item) {
        switch (item) {
            case RlpItem.ByteArray b -> w.writeBytes(b.bytes());
            case RlpItem.Sequence s -> {
                w.startList();
                for (RlpItem child : s.items()) write(w, child);
                w.endList();
            }
        }
    }

    /** Decodes exactly one canonical item spanning all of {@code encoded}. */
    public static RlpItem decode(byte[] encoded) {
        RlpReader r = new RlpReader(encoded);
        RlpItem item = read(r, 0);
        r.requireEnd();
        return item;
    }

    private static RlpItem read(RlpReader r, int depth) {
        if (!r.isList()) return new RlpItem.ByteArray(r.readBytes());
        if (depth == MAX_TREE_DEPTH) throw new RlpException("lists nested deeper than " + MAX_TREE_DEPTH, r.position());
        int end = r.enterList();
        List<RlpItem> items = new ArrayList<>();
        while (r.hasMore(end)) items.add(read(r, depth + 1));
        r.leaveList(end);
        return new RlpItem.Sequence(items);
    }
}
