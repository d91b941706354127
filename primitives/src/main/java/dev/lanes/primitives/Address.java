package dev.lanes.primitives;

import java.util.Arrays;

/** A 20-byte account address. Immutable; equality by content, hash code cached. */
public final class Address implements Comparable<Address> {
    public static final int LENGTH = 20;
    public static final Address ZERO = new Address(new byte[LENGTH]);

    private final byte[] bytes;
    private final int hash;

    private Address(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /** Wraps a copy of exactly 20 bytes. */
    public static Address wrap(byte[] bytes) {
        if (bytes.length != LENGTH) throw new IllegalArgumentException("address must be 20 bytes, got " + bytes.length);
        return new Address(bytes.clone());
    }

    /** The low 20 bytes of a 32-byte big-endian word. */
    public static Address fromWord(byte[] word32, int off) {
        return new Address(Arrays.copyOfRange(word32, off + 12, off + 32));
    }

    /** Builds an address from the low 160 bits of a 256-bit word given as limbs (u0 least significant). */
    public static Address fromLimbs(long u0, long u1, long u2) {
        byte[] b = new byte[LENGTH];
        Bytes.putLong(b, 12, u0);
        Bytes.putLong(b, 4, u1);
        Bytes.putInt(b, 0, (int) u2);
        return new Address(b);
    }

    public static Address fromHex(String hex) {
        return new Address(Hex.decodeFixed(hex, LENGTH));
    }

    /** The address 0x00..0n, e.g. precompile n. */
    public static Address ofLow(int n) {
        byte[] b = new byte[LENGTH];
        Bytes.putInt(b, 16, n);
        return new Address(b);
    }

    public byte[] toArray() {
        return bytes.clone();
    }

    /** Direct access for hashing and copying; callers must not mutate it. */
    public byte[] unsafeBytes() {
        return bytes;
    }

    public long limb0() { return Bytes.getLong(bytes, 12); }
    public long limb1() { return Bytes.getLong(bytes, 4); }
    public long limb2() { return Bytes.getInt(bytes, 0) & 0xffffffffL; }

    /** True when the address is 0x00..0000nn with nn in [lo, hi]. */
    public boolean isLowInRange(int lo, int hi) {
        for (int i = 0; i < 18; i++) if (bytes[i] != 0) return false;
        int v = ((bytes[18] & 0xff) << 8) | (bytes[19] & 0xff);
        return v >= lo && v <= hi;
    }

    @Override public boolean equals(Object o) {
        return o instanceof Address a && a.hash == hash && Arrays.equals(a.bytes, bytes);
    }

    @Override public int hashCode() { return hash; }

    @Override public int compareTo(Address o) { return Arrays.compareUnsigned(bytes, o.bytes); }

    @Override public String toString() { return Hex.prefixed(bytes); }
}
