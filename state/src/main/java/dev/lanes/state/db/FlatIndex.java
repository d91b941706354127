package dev.lanes.state.db;

/**
 * The in-memory part of the flat latest-state index: a 64-bit fingerprint of a key (taken from its Keccak-256
 * hash) mapped to the address of the key's newest leaf record, in an open-addressing table of two {@code long}
 * arrays (linear probing, backward-shift deletion, grown at 3/4 full). 16 bytes per slot, so 21-43 bytes per key
 * depending on where the table is between growths; nothing is allocated per key.
 *
 * <p>A fingerprint is not the key: a lookup reads the leaf and compares its full key, and two keys may share a
 * fingerprint (each has its own entry). Updates therefore name the old address they replace, never just the
 * fingerprint, and stay exact without reading anything.
 *
 * <p>Lookups may run on many threads while no update runs; updates are single-threaded.
 */
final class FlatIndex {
    private long[] fps;
    private long[] ptrs;
    private int mask;
    private int size;

    FlatIndex(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, (int) Math.min(1 << 30, expected * 4L / 3 + 1)) - 1) << 1;
        fps = new long[cap];
        ptrs = new long[cap];
        mask = cap - 1;
    }

    /** 0 marks an empty slot, so fingerprint 0 is stored as 1. */
    static long fp(long f) {
        return f == 0 ? 1 : f;
    }

    private static int home(long fp, int mask) {
        return (int) (fp ^ (fp >>> 29)) & mask;
    }

    int size() {
        return size;
    }

    long memoryBytes() {
        return 16L * fps.length;
    }

    /** First slot holding {@code fp} at or after {@code from} in its probe run, or -1; start with {@code from = -1}. */
    int next(long fp, int from) {
        int i = from < 0 ? home(fp, mask) : (from + 1) & mask;
        while (true) {
            long f = fps[i];
            if (f == 0) return -1;
            if (f == fp) return i;
            i = (i + 1) & mask;
        }
    }

    long ptrAt(int slot) {
        return ptrs[slot];
    }

    /** Adds {@code fp -> ptr} ({@code oldPtr == 0}) or replaces the entry {@code fp -> oldPtr}. */
    void put(long fp, long oldPtr, long ptr) {
        if (oldPtr != 0) {
            for (int s = next(fp, -1); s >= 0; s = next(fp, s)) {
                if (ptrs[s] == oldPtr) {
                    ptrs[s] = ptr;
                    return;
                }
            }
            throw new IllegalStateException("flat index lost the entry at " + Ptr.toString(oldPtr));
        }
        if (size + 1 > (mask + 1) / 4 * 3) grow();
        insert(fps, ptrs, mask, fp, ptr);
        size++;
    }

    private static void insert(long[] fps, long[] ptrs, int mask, long fp, long ptr) {
        int i = home(fp, mask);
        while (fps[i] != 0) i = (i + 1) & mask;
        fps[i] = fp;
        ptrs[i] = ptr;
    }

    /** Removes the entry {@code fp -> ptr}. */
    void remove(long fp, long ptr) {
        int s = next(fp, -1);
        while (s >= 0 && ptrs[s] != ptr) s = next(fp, s);
        if (s < 0) throw new IllegalStateException("flat index has no entry at " + Ptr.toString(ptr));
        // Backward-shift deletion: pull later members of the probe run into the hole so lookups never stop early.
        int hole = s;
        int i = (s + 1) & mask;
        while (fps[i] != 0) {
            int h = home(fps[i], mask);
            // Move i into the hole when its home is not in (hole, i] (cyclically).
            boolean between = hole <= i ? (h > hole && h <= i) : (h > hole || h <= i);
            if (!between) {
                fps[hole] = fps[i];
                ptrs[hole] = ptrs[i];
                hole = i;
            }
            i = (i + 1) & mask;
        }
        fps[hole] = 0;
        ptrs[hole] = 0;
        size--;
    }

    private void grow() {
        long[] f2 = new long[fps.length * 2];
        long[] p2 = new long[fps.length * 2];
        int m2 = f2.length - 1;
        for (int i = 0; i < fps.length; i++) if (fps[i] != 0) insert(f2, p2, m2, fps[i], ptrs[i]);
        fps = f2;
        ptrs = p2;
        mask = m2;
    }

    /** Calls {@code f} with every (fingerprint, address). */
    void forEach(java.util.function.BiConsumer<Long, Long> f) {
        for (int i = 0; i < fps.length; i++) if (fps[i] != 0) f.accept(fps[i], ptrs[i]);
    }

    /** For snapshots: the raw arrays' occupied entries, as pairs. */
    void writeTo(java.io.DataOutputStream out) throws java.io.IOException {
        out.writeInt(size);
        for (int i = 0; i < fps.length; i++) {
            if (fps[i] != 0) {
                out.writeLong(fps[i]);
                out.writeLong(ptrs[i]);
            }
        }
    }

    static FlatIndex readFrom(java.io.DataInputStream in) throws java.io.IOException {
        int n = in.readInt();
        if (n < 0) throw new CorruptStoreException("bad index snapshot size " + n);
        FlatIndex x = new FlatIndex(n);
        for (int i = 0; i < n; i++) x.put(in.readLong(), 0, in.readLong());
        return x;
    }
}
