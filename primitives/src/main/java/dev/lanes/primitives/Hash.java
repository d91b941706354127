package dev.lanes.primitives;

import java.util.Arrays;

/** A 32-byte value: a Keccak-256 digest, a storage key or value in byte form. Immutable. */
public final class Hash implements Comparable<Hash> {
    public static final int LENGTH = 32;
    public static final Hash ZERO = new Hash(new byte[LENGTH]);
    /** keccak256 of the empty byte string: the code hash of an account without code. */
    public static final Hash EMPTY_CODE = fromHex("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
    /** keccak256(rlp("")): the root of an empty Merkle Patricia Trie. */
    public static final Hash EMPTY_TRIE = fromHex("56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421");
    /** keccak256(rlp([])): the hash of an empty list, e.g. an empty uncle list or no logs. */
    public static final Hash EMPTY_LIST = fromHex("1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347");

    private final byte[] bytes;
    private final int hash;

    private Hash(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    public static Hash wrap(byte[] bytes) {
        if (bytes.length != LENGTH) throw new IllegalArgumentException("hash must be 32 bytes, got " + bytes.length);
        return new Hash(bytes.clone());
    }

    /** Takes ownership of the array: the caller must not modify it afterwards. */
    public static Hash adopt(byte[] bytes) {
        if (bytes.length != LENGTH) throw new IllegalArgumentException("hash must be 32 bytes, got " + bytes.length);
        return new Hash(bytes);
    }

    public static Hash fromHex(String hex) {
        return new Hash(Hex.decodeFixed(hex, LENGTH));
    }

    public byte[] toArray() { return bytes.clone(); }

    /** Direct access; callers must not mutate it. */
    public byte[] unsafeBytes() { return bytes; }

    @Override public boolean equals(Object o) {
        return o instanceof Hash h && h.hash == hash && Arrays.equals(h.bytes, bytes);
    }

    @Override public int hashCode() { return hash; }

    @Override public int compareTo(Hash o) { return Arrays.compareUnsigned(bytes, o.bytes); }

    @Override public String toString() { return Hex.prefixed(bytes); }
}
