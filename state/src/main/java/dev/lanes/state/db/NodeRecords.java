package dev.lanes.state.db;

import dev.lanes.state.db.CowTrie.Branch;
import dev.lanes.state.db.CowTrie.Ext;
import dev.lanes.state.db.CowTrie.Leaf;
import dev.lanes.state.db.CowTrie.Node;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The byte layout of one trie node in a segment (see {@code package-info}). A parent keeps, for each child, the
 * child's address, the smallest segment of the child's subtree and the child's reference (its hash), so that
 * rehashing a changed parent never reads its unchanged children and compaction can skip subtrees that hold
 * nothing old.
 *
 * <pre>
 * leaf:   kind(1 | 0x10 owner | 0x20 storage) start key[32] [owner[32]] [storagePtr u64, storageMinSeg u32] valueLen(u8) value
 * ext:    kind(2) start end nibbleBytes[(end+1)/2 - start/2] childPtr u64, childMinSeg u32, refLen u8, ref
 * branch: kind(3) mask u16, then per present child: ptr u64, minSeg u32, refLen u8, ref
 * </pre>
 */
final class NodeRecords {
    static final int LEAF = 1, EXT = 2, BRANCH = 3;
    private static final int HAS_OWNER = 0x10, HAS_STORAGE = 0x20;
    /** Big enough for any record: a full branch is 3 + 16 * 45 = 723 bytes; a leaf value is at most 255. */
    static final int MAX_RECORD = 1024;

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);

    private NodeRecords() {}

    /** Encodes {@code n} (children already written) into {@code buf}; returns its length. */
    static int encode(Node n, byte[] buf) {
        int p = 0;
        switch (n) {
            case Leaf l -> {
                if (l.value.length > 255) throw new IllegalArgumentException("leaf value of " + l.value.length + " bytes");
                int kind = LEAF | (l.owner != null ? HAS_OWNER : 0) | (l.storagePtr != 0 ? HAS_STORAGE : 0);
                buf[p++] = (byte) kind;
                buf[p++] = (byte) l.start;
                System.arraycopy(l.key, 0, buf, p, 32);
                p += 32;
                if (l.owner != null) {
                    System.arraycopy(l.owner, 0, buf, p, 32);
                    p += 32;
                }
                if (l.storagePtr != 0) {
                    LONG.set(buf, p, l.storagePtr);
                    INT.set(buf, p + 8, l.storageMinSeg);
                    p += 12;
                }
                buf[p++] = (byte) l.value.length;
                System.arraycopy(l.value, 0, buf, p, l.value.length);
                p += l.value.length;
            }
            case Ext e -> {
                buf[p++] = EXT;
                buf[p++] = (byte) e.start;
                buf[p++] = (byte) e.end;
                int from = e.start >> 1, to = (e.end + 1) >> 1;
                System.arraycopy(e.src, from, buf, p, to - from);
                p += to - from;
                p = child(buf, p, e.kidPtr, e.kidMinSeg, e.kidRef);
            }
            case Branch b -> {
                buf[p++] = BRANCH;
                int mask = 0;
                for (int i = 0; i < 16; i++) if (b.kidRef[i] != null) mask |= 1 << i;
                SHORT.set(buf, p, (short) mask);
                p += 2;
                for (int i = 0; i < 16; i++) if (b.kidRef[i] != null) p = child(buf, p, b.kidPtr[i], b.kidMinSeg[i], b.kidRef[i]);
            }
        }
        return p;
    }

    private static int child(byte[] buf, int p, long ptr, int minSeg, byte[] ref) {
        if (ptr == 0 || ref == null) throw new IllegalStateException("child not written");
        LONG.set(buf, p, ptr);
        INT.set(buf, p + 8, minSeg);
        buf[p + 12] = (byte) ref.length;
        System.arraycopy(ref, 0, buf, p + 13, ref.length);
        return p + 13 + ref.length;
    }

    /**
     * Decodes the record in {@code buf[0, len)}; {@code path}'s nibbles {@code [0, depth)} lead to it (a leaf may be
     * read with depth -1 and no path, from the flat index).
     *
     * @throws CorruptStoreException when the bytes are not a well-formed record for that place
     */
    static Node decode(byte[] buf, int len, byte[] path, int depth) {
        try {
            int kind = buf[0] & 0xff;
            int p = 1;
            switch (kind & 0x0f) {
                case LEAF -> {
                    int start = buf[p++] & 0xff;
                    if (depth >= 0 && start != depth) throw new CorruptStoreException("leaf at depth " + depth + " says " + start);
                    byte[] key = new byte[32];
                    System.arraycopy(buf, p, key, 0, 32);
                    p += 32;
                    byte[] owner = null;
                    if ((kind & HAS_OWNER) != 0) {
                        owner = new byte[32];
                        System.arraycopy(buf, p, owner, 0, 32);
                        p += 32;
                    }
                    long storagePtr = 0;
                    int storageMinSeg = CowTrie.NO_SEGMENT;
                    if ((kind & HAS_STORAGE) != 0) {
                        storagePtr = (long) LONG.get(buf, p);
                        storageMinSeg = (int) INT.get(buf, p + 8);
                        p += 12;
                    }
                    int vlen = buf[p++] & 0xff;
                    if (p + vlen != len) throw new CorruptStoreException("leaf record length " + len + ", expected " + (p + vlen));
                    byte[] value = new byte[vlen];
                    System.arraycopy(buf, p, value, 0, vlen);
                    Leaf l = new Leaf(key, start, value);
                    l.owner = owner;
                    l.storagePtr = storagePtr;
                    l.storageMinSeg = storageMinSeg;
                    return l;
                }
                case EXT -> {
                    int start = buf[p++] & 0xff, end = buf[p++] & 0xff;
                    if (start != depth || end <= start || end >= CowTrie.KEY_NIBBLES) {
                        throw new CorruptStoreException("extension [" + start + ", " + end + ") at depth " + depth);
                    }
                    byte[] src = path.clone();
                    int from = start >> 1, to = (end + 1) >> 1;
                    System.arraycopy(buf, p, src, from, to - from);
                    p += to - from;
                    Ext e = new Ext(src, start, end);
                    e.kidPtr = (long) LONG.get(buf, p);
                    e.kidMinSeg = (int) INT.get(buf, p + 8);
                    int rl = buf[p + 12] & 0xff;
                    e.kidRef = java.util.Arrays.copyOfRange(buf, p + 13, p + 13 + rl);
                    if (p + 13 + rl != len || rl == 0 || rl > 32) throw new CorruptStoreException("bad extension record");
                    return e;
                }
                case BRANCH -> {
                    Branch b = new Branch();
                    int mask = (short) SHORT.get(buf, p) & 0xffff;
                    p += 2;
                    if (Integer.bitCount(mask) < 2) throw new CorruptStoreException("branch with " + Integer.bitCount(mask) + " children");
                    for (int i = 0; i < 16; i++) {
                        if ((mask & (1 << i)) == 0) continue;
                        b.kidPtr[i] = (long) LONG.get(buf, p);
                        b.kidMinSeg[i] = (int) INT.get(buf, p + 8);
                        int rl = buf[p + 12] & 0xff;
                        if (rl == 0 || rl > 32) throw new CorruptStoreException("child reference of " + rl + " bytes");
                        b.kidRef[i] = java.util.Arrays.copyOfRange(buf, p + 13, p + 13 + rl);
                        p += 13 + rl;
                    }
                    if (p != len) throw new CorruptStoreException("branch record length " + len + ", expected " + p);
                    return b;
                }
                default -> throw new CorruptStoreException("unknown node kind " + kind);
            }
        } catch (ArrayIndexOutOfBoundsException e) {
            throw new CorruptStoreException("truncated node record");
        }
    }
}
