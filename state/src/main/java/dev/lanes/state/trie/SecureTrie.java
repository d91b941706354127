package dev.lanes.state.trie;

import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Keccak;

/**
 * A {@link MerklePatriciaTrie} keyed by {@code keccak256(key)}: the form of the world state trie (keyed by
 * address) and of each account's storage trie (keyed by the 32-byte slot), Yellow Paper section 4.1. Hashing
 * the keys keeps the trie balanced whatever keys an attacker chooses and every path 64 nibbles long.
 *
 * <p>The same ownership rules as the underlying trie: values are kept and returned without copying.
 */
public final class SecureTrie {
    private final MerklePatriciaTrie trie = new MerklePatriciaTrie();

    public byte[] get(byte[] key) {
        return trie.get(Keccak.hash(key));
    }

    /** Stores {@code value} under {@code keccak256(key)}; an empty value removes it. */
    public void put(byte[] key, byte[] value) {
        trie.put(Keccak.hash(key), value);
    }

    public boolean remove(byte[] key) {
        return trie.remove(Keccak.hash(key));
    }

    // For callers that already hold keccak256(key), e.g. cached per account: these skip the hashing.

    public byte[] getHashed(Hash hashedKey) {
        return trie.get(hashedKey.unsafeBytes());
    }

    public void putHashed(Hash hashedKey, byte[] value) {
        trie.put(hashedKey.unsafeBytes(), value);
    }

    public boolean removeHashed(Hash hashedKey) {
        return trie.remove(hashedKey.unsafeBytes());
    }

    public boolean isEmpty() {
        return trie.isEmpty();
    }

    /** The proof for {@code key} (see {@link MerklePatriciaTrie#proof}): the path of {@code keccak256(key)}. */
    public java.util.List<byte[]> proof(byte[] key) {
        return trie.proof(Keccak.hash(key));
    }

    public Hash rootHash() {
        return trie.rootHash();
    }
}
