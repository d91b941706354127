package dev.lanes.executor.parallel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.BiConsumer;

/**
 * A concurrent map that only grows, for the multi-version memory's per-block maps (accounts, an account's slots):
 * lock-free reads and inserts into an open-addressed table of immutable entries, and no size counter.
 *
 * <p>Why not {@link java.util.concurrent.ConcurrentHashMap}: every insert there adds to a count kept in the map
 * object, on the cache line that also holds the table reference every lookup reads first. Block-STM's workers insert
 * into these maps all the time (a transaction's first write to an account or slot), so with two workers nearly every
 * lookup after the other worker's insert missed its cache for that line; on the 2-vCPU machines here a line moved
 * between cores costs about 220 ns (docs/benchmarks.md, session 17). Here a lookup reads the table reference (final)
 * and the slots it probes, and an insert writes one slot with a compare-and-set.
 *
 * <p>A key's slots are a window of {@link #PROBE} consecutive slots from its hash. An insert takes the first empty
 * slot of the window; a window found full (without the key) sends the key on to the next table, four times larger,
 * made on first need (so a map outgrows its first table as a chain of tables, never by moving entries). Slots never
 * empty again, so a lookup that meets an empty slot in a window knows the key is in no later table, and a full window
 * stays full: a key is in exactly one table. After {@link #LEVELS} tables the chain ends in a
 * {@link java.util.concurrent.ConcurrentHashMap}: keys that share a hash code fill the same window in every table,
 * however large, so a chain of tables alone would grow without bound for them (a contract can write any slot numbers).
 */
final class InsertOnlyMap<K, V> {
    private record Entry(int hash, Object key, Object value) {}

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Entry[].class);
    static final int PROBE = 8;
    /** Tables in a chain before the overflow map. */
    static final int LEVELS = 4;

    private final Entry[] table;
    private final int mask;
    private volatile InsertOnlyMap<K, V> next;
    /** The last table's overflow, made on first need. */
    private volatile java.util.concurrent.ConcurrentHashMap<K, V> overflow;
    private final int level;

    /** A map for about {@code expected} keys in its first table (at least twice as many slots). */
    InsertOnlyMap(int expected) {
        this(expected, 0);
    }

    private InsertOnlyMap(int expected, int level) {
        this.level = level;
        int cap = Integer.highestOneBit(Math.max(8, Math.min(1 << 26, expected)) * 2 - 1) << 1;
        table = new Entry[cap];
        mask = cap - 1;
    }

    private static int spread(int h) {
        h *= 0x9E3779B1;
        return h ^ (h >>> 16);
    }

    V get(Object key) {
        return get(key, spread(key.hashCode()));
    }

    @SuppressWarnings("unchecked")
    private V get(Object key, int h) {
        InsertOnlyMap<K, V> m = this;
        while (true) {
            Entry[] t = m.table;
            for (int p = 0; p < PROBE; p++) {
                Entry e = (Entry) SLOT.getAcquire(t, (h + p) & m.mask);
                if (e == null) return null;
                if (e.hash == h && (e.key == key || e.key.equals(key))) return (V) e.value;
            }
            InsertOnlyMap<K, V> n = m.next;
            if (n == null) {
                java.util.concurrent.ConcurrentHashMap<K, V> o = m.overflow;
                return o == null ? null : o.get(key);
            }
            m = n;
        }
    }

    /** Maps {@code key} to {@code value} unless it has a value; returns the value it had, or null when it put this one. */
    @SuppressWarnings("unchecked")
    V putIfAbsent(K key, V value) {
        int h = spread(key.hashCode());
        Entry mine = null;
        InsertOnlyMap<K, V> m = this;
        while (true) {
            Entry[] t = m.table;
            for (int p = 0; p < PROBE; p++) {
                int i = (h + p) & m.mask;
                Entry e = (Entry) SLOT.getAcquire(t, i);
                if (e == null) {
                    if (mine == null) mine = new Entry(h, key, value);
                    e = (Entry) SLOT.compareAndExchangeRelease(t, i, (Entry) null, mine);
                    if (e == null) return null;
                }
                if (e.hash == h && (e.key == key || e.key.equals(key))) return (V) e.value;
            }
            if (m.level == LEVELS - 1) {
                java.util.concurrent.ConcurrentHashMap<K, V> o = m.overflow;
                if (o == null) {
                    synchronized (m) {
                        o = m.overflow;
                        if (o == null) m.overflow = o = new java.util.concurrent.ConcurrentHashMap<>();
                    }
                }
                return o.putIfAbsent(key, value);
            }
            InsertOnlyMap<K, V> n = m.next;
            if (n == null) {
                synchronized (m) {
                    n = m.next;
                    if (n == null) m.next = n = new InsertOnlyMap<>(m.table.length * 2, m.level + 1);
                }
            }
            m = n;
        }
    }

    /** Calls {@code action} for every entry (entries inserted meanwhile may or may not be seen). */
    @SuppressWarnings("unchecked")
    void forEach(BiConsumer<? super K, ? super V> action) {
        for (InsertOnlyMap<K, V> m = this; m != null; m = m.next) {
            for (int i = 0; i < m.table.length; i++) {
                Entry e = (Entry) SLOT.getAcquire(m.table, i);
                if (e != null) action.accept((K) e.key, (V) e.value);
            }
            java.util.concurrent.ConcurrentHashMap<K, V> o = m.overflow;
            if (o != null) o.forEach(action);
        }
    }

    /** The number of entries, counted (exact when no insert runs meanwhile). */
    long size() {
        long[] n = {0};
        forEach((k, v) -> n[0]++);
        return n[0];
    }
}
