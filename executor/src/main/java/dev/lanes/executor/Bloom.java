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
        for (int i = 0; i < 6; i += 2) {
            int bit = ((h[i] & 0xff) << 8 | (h[i + 1] & 0xff)) & 2047;
            bloom[BYTES - 1 - (bit >>> 3)] |= (byte) (1 << (bit & 7));
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
