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
     * Bloom computation that remembers each address's and topic's bit indexes, so that a value repeated across
     * a block's logs (a token's address, the Transfer topic, a holder's address) is hashed once. Not thread-safe.
     */
    public static final class Memo {
        private final java.util.HashMap<Object, Long> bits = new java.util.HashMap<>();

        public byte[] of(List<Log> logs) {
            byte[] bloom = new byte[BYTES];
            for (Log l : logs) {
                setBits(bloom, bitsFor(l.address(), l.address().unsafeBytes()));
                for (Hash t : l.topics()) setBits(bloom, bitsFor(t, t.unsafeBytes()));
            }
            return bloom;
        }

        private long bitsFor(Object key, byte[] bytes) {
            Long b = bits.get(key);
            if (b == null) {
                b = bitsOf(Keccak.hash(bytes));
                bits.put(key, b);
            }
            return b;
        }
    }

    public static void or(byte[] into, byte[] other) {
        for (int i = 0; i < BYTES; i++) into[i] |= other[i];
    }

    /** True when every bit of {@code sub} is set in {@code sup}. */
    public static boolean contains(byte[] sup, byte[] sub) {
        for (int i = 0; i < BYTES; i++) if ((sub[i] & ~sup[i]) != 0) return false;
        return true;
    }
}
