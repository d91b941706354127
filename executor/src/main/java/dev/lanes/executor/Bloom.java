package dev.lanes.executor;

import dev.lanes.evm.Log;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Keccak;
import java.util.List;

/** The 2048-bit logs bloom (Yellow Paper 4.3.1): three 11-bit indexes from keccak of the address and each topic. */
public final class Bloom {
    public static final int BYTES = 256;

    private Bloom() {}

    public static byte[] of(List<Log> logs) {
        byte[] bloom = new byte[BYTES];
        for (Log l : logs) add(bloom, l);
        return bloom;
    }

    public static void add(byte[] bloom, Log log) {
        addHash(bloom, Keccak.hash(log.address().unsafeBytes()));
        for (Hash t : log.topics()) addHash(bloom, Keccak.hash(t.unsafeBytes()));
    }

    private static void addHash(byte[] bloom, byte[] h) {
        setBits(bloom, bitsOf(h));
    }

    /** The three 11-bit indexes of a keccak digest, packed 11 bits apiece. */
    private static long bitsOf(byte[] h) {
        long packed = 0;
        for (int i = 0; i < 6; i += 2) packed = packed << 11 | (((h[i] & 0xff) << 8 | (h[i + 1] & 0xff)) & 2047);
        return packed;
    }

    private static void setBits(byte[] bloom, long packed) {
        for (int k = 0; k < 3; k++, packed >>>= 11) {
            int bit = (int) (packed & 2047);
            bloom[BYTES - 1 - (bit >>> 3)] |= (byte) (1 << (bit & 7));
        }
    }

    /**
     * Bloom computation that remembers the bit indexes of recently seen addresses and topics, so that a value
     * repeated across a block's logs (a token's address, the Transfer topic, a holder's address) is hashed once.
     * A direct-mapped cache of {@link #SLOTS} entries: a value that is never seen again (most holders' topics)
     * only overwrites a slot, so a block of thousands of distinct topics costs no map growth and no boxing (the
     * hash map this replaces spent as long on its own upkeep as on the hashing it saved). Not thread-safe.
     */
    public static final class Memo {
        static final int SLOTS = 1024;
        private final Object[] keys = new Object[SLOTS];
        private final long[] bits = new long[SLOTS];

        public byte[] of(List<Log> logs) {
            byte[] bloom = new byte[BYTES];
            for (int i = 0, n = logs.size(); i < n; i++) {
                Log l = logs.get(i);
                setBits(bloom, bitsFor(l.address(), l.address().unsafeBytes()));
                List<Hash> topics = l.topics();
                for (int k = 0, m = topics.size(); k < m; k++) {
                    Hash t = topics.get(k);
                    setBits(bloom, bitsFor(t, t.unsafeBytes()));
                }
            }
            return bloom;
        }

        private long bitsFor(Object key, byte[] bytes) {
            int h = key.hashCode() * 0x9E3779B9;
            int slot = (h ^ h >>> 16) & (SLOTS - 1);
            Object k = keys[slot];
            if (k != null && (k == key || k.equals(key))) return bits[slot];
            long b = bitsOf(Keccak.hash(bytes));
            keys[slot] = key;
            bits[slot] = b;
            return b;
        }
    }

    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /** {@code into |= other}, eight bytes at a time. */
    public static void or(byte[] into, byte[] other) {
        if (into.length != BYTES || other.length != BYTES) throw new IllegalArgumentException("a bloom is " + BYTES + " bytes");
        for (int i = 0; i < BYTES; i += 8) LONGS.set(into, i, (long) LONGS.get(into, i) | (long) LONGS.get(other, i));
    }

    /** True when every bit of {@code sub} is set in {@code sup}. */
    public static boolean contains(byte[] sup, byte[] sub) {
        for (int i = 0; i < BYTES; i++) if ((sub[i] & ~sup[i]) != 0) return false;
        return true;
    }
}
