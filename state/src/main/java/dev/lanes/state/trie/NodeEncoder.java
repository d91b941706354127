package dev.lanes.state.trie;

import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Keccak;
import java.util.Arrays;

/**
 * Turns one node into its reference: the function {@code n(J, i)} of Yellow Paper Appendix D. A node is
 * RLP-encoded into a buffer reused across calls; if the encoding is shorter than 32 bytes the reference is
 * that encoding itself (the parent embeds it), otherwise it is the Keccak-256 of it. A reference is therefore
 * a hash exactly when it is 32 bytes long, which is how callers tell the two apart.
 *
 * <p>Public for the on-disk store ({@code dev.lanes.state.db}), which keeps children's references beside their
 * file offsets and so encodes nodes with the same function.
 *
 * <p>Callers pass children's references, already computed: encoding is one pass over one node, so each
 * dirty node is encoded once and hashed at most once. Not thread-safe: one encoder per trie or builder.
 */
public final class NodeEncoder {
    private static final int HASH_ITEM = 1 + Hash.LENGTH;

    private byte[] buf = new byte[1024];
    /** Keccak-256 computations so far; tests use it to check that only dirty nodes are rehashed. */
    long hashes;

    /** True when {@code ref} is a node hash rather than an embedded node encoding. */
    public static boolean isHash(byte[] ref) {
        return ref.length == Hash.LENGTH;
    }

    /**
     * The trie root for a root node's reference. The root is always hashed, even when its encoding is short
     * enough that a parent would have embedded it.
     */
    public static Hash rootHash(byte[] ref) {
        // References are never mutated once made, so the hash may share the array.
        return isHash(ref) ? Hash.adopt(ref) : Keccak.hashOf(ref);
    }

    /** Leaf {@code [HP(path, terminated), value]} with path = nibbles {@code [start, end)} of {@code key}. */
    public byte[] leaf(byte[] key, int start, int end, byte[] value) {
        int hp = Nibbles.hexPrefixLength(end - start);
        int payload = Rlp.stringLength(hp, 0) + Rlp.stringLength(value);
        int pos = listHeader(payload);
        pos = hexPrefixString(pos, key, start, end, true, hp);
        pos = Rlp.writeString(buf, pos, value);
        return finish(pos);
    }

    /** Extension {@code [HP(path, not terminated), child]}. */
    public byte[] extension(byte[] src, int start, int end, byte[] childRef) {
        int hp = Nibbles.hexPrefixLength(end - start);
        int payload = Rlp.stringLength(hp, 0) + itemLength(childRef);
        int pos = listHeader(payload);
        pos = hexPrefixString(pos, src, start, end, false, hp);
        pos = writeRef(pos, childRef);
        return finish(pos);
    }

    /** Branch {@code [c0, ..., c15, value]}; null children and a null value encode as the empty string. */
    public byte[] branch(byte[][] childRefs, byte[] value) {
        int payload = value == null ? 1 : Rlp.stringLength(value);
        for (int i = 0; i < 16; i++) payload += childRefs[i] == null ? 1 : itemLength(childRefs[i]);
        int pos = listHeader(payload);
        for (int i = 0; i < 16; i++) {
            byte[] ref = childRefs[i];
            if (ref == null) buf[pos++] = Rlp.EMPTY_STRING;
            else pos = writeRef(pos, ref);
        }
        if (value == null) buf[pos++] = Rlp.EMPTY_STRING;
        else pos = Rlp.writeString(buf, pos, value);
        return finish(pos);
    }

    /** Reserves room for the whole node, writes its list header and returns the position after it. */
    private int listHeader(int payload) {
        int total = Rlp.headerLength(payload) + payload;
        if (buf.length < total) buf = new byte[Math.max(total, buf.length * 2)];
        return Rlp.writeHeader(buf, 0, payload, Rlp.LIST_SHORT);
    }

    /** The hex-prefixed path as an RLP string; its first byte is a flag below 0x80, so one byte needs no header. */
    private int hexPrefixString(int pos, byte[] src, int start, int end, boolean leaf, int hpLength) {
        if (hpLength > 1) pos = Rlp.writeHeader(buf, pos, hpLength, Rlp.STRING_SHORT);
        return Nibbles.writeHexPrefix(buf, pos, src, start, end, leaf);
    }

    /** A hash is embedded as a 32-byte string; a short node's encoding is spliced in as it is. */
    private static int itemLength(byte[] ref) {
        return isHash(ref) ? HASH_ITEM : ref.length;
    }

    private int writeRef(int pos, byte[] ref) {
        if (isHash(ref)) buf[pos++] = (byte) (Rlp.STRING_SHORT + Hash.LENGTH);
        System.arraycopy(ref, 0, buf, pos, ref.length);
        return pos + ref.length;
    }

    /** When set, every node comes back as its encoding, never hashed (for proofs). */
    boolean raw;
    private int lastLength;

    public NodeEncoder() {}

    /** An encoder whose nodes come back as their encodings, never hashed (for proofs and hash-keyed stores). */
    public static NodeEncoder raw() {
        NodeEncoder e = new NodeEncoder();
        e.raw = true;
        return e;
    }

    /** The encoding of the node last passed to {@link #leaf}, {@link #extension} or {@link #branch} (a copy). */
    public byte[] lastEncoding() {
        return Arrays.copyOf(buf, lastLength);
    }

    private byte[] finish(int len) {
        lastLength = len;
        if (raw || len < Hash.LENGTH) return Arrays.copyOf(buf, len);
        hashes++;
        return Keccak.hash(buf, 0, len);
    }
}
