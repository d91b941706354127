package dev.lanes.state.trie;

import dev.lanes.primitives.Hash;
import dev.lanes.state.trie.Node.Branch;
import dev.lanes.state.trie.Node.Extension;
import dev.lanes.state.trie.Node.Leaf;
import java.util.Arrays;
import java.util.Objects;

/**
 * A mutable, in-memory Merkle Patricia Trie (Yellow Paper, Appendix D) mapping byte-string keys to non-empty
 * byte-string values.
 *
 * <p>The trie is kept in the canonical shape the root hash is defined over, so equal contents always give
 * equal roots whatever the order of updates:
 * <ul>
 *   <li>a leaf holds the rest of exactly one key;</li>
 *   <li>an extension has a path of at least one nibble and its child is a branch (a leaf or extension
 *       below it would have been merged into it);</li>
 *   <li>a branch has at least two entries among its sixteen children and its value (with one it would
 *       have collapsed into a leaf or extension).</li>
 * </ul>
 * Inserting splits leaves and extensions at the first differing nibble; deleting restores the invariants
 * by merging upwards on the way back out of the recursion.
 *
 * <p>Each node caches its reference. An update clears the cache of exactly the nodes on the path it
 * walked and changed, so {@link #rootHash()} re-encodes and rehashes only those, once each: after a block's
 * updates the cost is proportional to the updates, not to the size of the trie. An update that changes
 * nothing (storing the value already there, removing an absent key) clears nothing.
 *
 * <p>The trie keeps the key and value arrays it is given and returns stored values without copying: callers
 * must not modify an array after passing it in or getting it back. Not thread-safe.
 */
public final class MerklePatriciaTrie {
    private final NodeEncoder encoder = new NodeEncoder();
    /** Scratch for a branch's children's references while it is encoded (filled after they are computed). */
    private final byte[][] childRefs = new byte[16][];
    private Node root;
    /** The cached root, or null when an update has happened since it was computed. */
    private Hash rootHash = Hash.EMPTY_TRIE;
    /** Set by the insert and delete recursions when they modified something, so callers up the path invalidate. */
    private boolean changed;

    public boolean isEmpty() {
        return root == null;
    }

    /** The value stored under {@code key}, or null if none. */
    public byte[] get(byte[] key) {
        int keyEnd = key.length << 1;
        int pos = 0;
        Node node = root;
        while (node != null) {
            switch (node) {
                case Leaf leaf -> {
                    // Every nibble up to here matched on the way down, so the leaf is this key iff the keys are equal.
                    return Arrays.equals(leaf.key, key) ? leaf.value : null;
                }
                case Extension ext -> {
                    if (Nibbles.mismatch(ext.src, ext.end, key, keyEnd, pos) != ext.end) return null;
                    pos = ext.end;
                    node = ext.child;
                }
                case Branch branch -> {
                    if (pos == keyEnd) return branch.value;
                    node = branch.children[Nibbles.get(key, pos++)];
                }
            }
        }
        return null;
    }

    /** Stores {@code value} under {@code key}; an empty value removes the key, as in the state trie. */
    public void put(byte[] key, byte[] value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        if (value.length == 0) {
            remove(key);
            return;
        }
        changed = false;
        root = insert(root, key, 0, value);
        if (changed) rootHash = null;
    }

    /** Removes {@code key}; returns whether it was present. */
    public boolean remove(byte[] key) {
        Objects.requireNonNull(key, "key");
        changed = false;
        root = delete(root, key, 0);
        if (changed) rootHash = null;
        return changed;
    }

    /** The root hash: {@link Hash#EMPTY_TRIE} when empty. Recomputes only the nodes updated since last time. */
    public Hash rootHash() {
        if (rootHash == null) rootHash = root == null ? Hash.EMPTY_TRIE : NodeEncoder.rootHash(ref(root));
        return rootHash;
    }

    /** The smallest stored key greater than {@code key} (unsigned byte order), or null. */
    public byte[] nextKey(byte[] key) {
        return Navigation.next(root, key);
    }

    /** The greatest stored key less than {@code key} (unsigned byte order), or null. */
    public byte[] previousKey(byte[] key) {
        return Navigation.previous(root, key);
    }

    /**
     * A Merkle proof for {@code key} (EIP-1186's {@code accountProof}/{@code storageProof} form): the RLP
     * encodings of the nodes on the path from the root towards the key, root first, each node that its parent
     * references by hash (nodes under 32 bytes are embedded in their parent's encoding and not listed). It
     * proves the value when the key is present and the absence otherwise (the path ends at a node that
     * diverges from the key). Empty for an empty trie.
     */
    public java.util.List<byte[]> proof(byte[] key) {
        java.util.List<byte[]> out = new java.util.ArrayList<>();
        if (root == null) return out;
        rootHash(); // every reference on the path is now cached
        NodeEncoder enc = new NodeEncoder();
        enc.raw = true;
        int keyEnd = key.length << 1;
        int pos = 0;
        Node node = root;
        boolean first = true;
        while (node != null) {
            if (first || NodeEncoder.isHash(node.ref)) out.add(encoding(enc, node));
            first = false;
            switch (node) {
                case Leaf leaf -> node = null;
                case Extension ext -> {
                    if (Nibbles.mismatch(ext.src, ext.end, key, keyEnd, pos) != ext.end) node = null;
                    else {
                        pos = ext.end;
                        node = ext.child;
                    }
                }
                case Branch branch -> node = pos == keyEnd ? null : branch.children[Nibbles.get(key, pos++)];
            }
        }
        return out;
    }

    /** The RLP encoding of one node whose children's references are cached. */
    private static byte[] encoding(NodeEncoder enc, Node node) {
        return switch (node) {
            case Leaf leaf -> enc.leaf(leaf.key, leaf.start, leaf.key.length << 1, leaf.value);
            case Extension ext -> enc.extension(ext.src, ext.start, ext.end, ext.child.ref);
            case Branch branch -> {
                byte[][] refs = new byte[16][];
                for (int i = 0; i < 16; i++) refs[i] = branch.children[i] == null ? null : branch.children[i].ref;
                yield enc.branch(refs, branch.value);
            }
        };
    }

    /** Keccak-256 computations this trie has done; for tests of the dirty-path caching. */
    long hashCount() {
        return encoder.hashes;
    }

    private Node insert(Node node, byte[] key, int pos, byte[] value) {
        int keyEnd = key.length << 1;
        switch (node) {
            case null -> {
                changed = true;
                return new Leaf(key, pos, value);
            }
            case Leaf leaf -> {
                int leafEnd = leaf.key.length << 1;
                int m = Nibbles.mismatch(leaf.key, leafEnd, key, keyEnd, pos);
                if (m == leafEnd && m == keyEnd) {
                    if (Arrays.equals(leaf.value, value)) return leaf;
                    leaf.value = value;
                    leaf.ref = null;
                    changed = true;
                    return leaf;
                }
                // Split at the first differing nibble m: a branch there, an extension above it if m > pos.
                changed = true;
                Branch branch = new Branch();
                if (m == leafEnd) {
                    branch.value = leaf.value;
                } else {
                    leaf.start = m + 1;
                    leaf.ref = null;
                    branch.children[Nibbles.get(leaf.key, m)] = leaf;
                }
                addToNewBranch(branch, key, m, value);
                return m > pos ? new Extension(key, pos, m, branch) : branch;
            }
            case Extension ext -> {
                int m = Nibbles.mismatch(ext.src, ext.end, key, keyEnd, pos);
                if (m == ext.end) {
                    Node child = insert(ext.child, key, m, value);
                    if (changed) {
                        ext.child = child;
                        ext.ref = null;
                    }
                    return ext;
                }
                // The key leaves the shared path at m: a branch there; what is left of the path below it
                // is this extension shortened, or nothing if only the branching nibble was left.
                changed = true;
                Branch branch = new Branch();
                int slot = Nibbles.get(ext.src, m);
                if (m + 1 == ext.end) {
                    branch.children[slot] = ext.child;
                } else {
                    ext.start = m + 1;
                    ext.ref = null;
                    branch.children[slot] = ext;
                }
                addToNewBranch(branch, key, m, value);
                return m > pos ? new Extension(key, pos, m, branch) : branch;
            }
            case Branch branch -> {
                if (pos == keyEnd) {
                    if (Arrays.equals(branch.value, value)) return branch;
                    branch.value = value;
                    branch.ref = null;
                    changed = true;
                    return branch;
                }
                int slot = Nibbles.get(key, pos);
                Node child = insert(branch.children[slot], key, pos + 1, value);
                if (changed) {
                    branch.children[slot] = child;
                    branch.ref = null;
                }
                return branch;
            }
        }
    }

    /** Puts a new key into a branch just made at depth {@code depth}: as its value, or as a leaf below. */
    private static void addToNewBranch(Branch branch, byte[] key, int depth, byte[] value) {
        if (depth == key.length << 1) branch.value = value;
        else branch.children[Nibbles.get(key, depth)] = new Leaf(key, depth + 1, value);
    }

    private Node delete(Node node, byte[] key, int pos) {
        int keyEnd = key.length << 1;
        switch (node) {
            case null -> {
                return null;
            }
            case Leaf leaf -> {
                if (!Arrays.equals(leaf.key, key)) return leaf;
                changed = true;
                return null;
            }
            case Extension ext -> {
                if (Nibbles.mismatch(ext.src, ext.end, key, keyEnd, pos) != ext.end) return ext;
                Node child = delete(ext.child, key, ext.end);
                if (!changed) return ext;
                ext.ref = null;
                // The child was a branch with two or more entries, so it is still there, possibly collapsed
                // into a leaf or extension, which then absorbs this extension's path.
                switch (child) {
                    case Leaf leaf -> {
                        leaf.start = ext.start;
                        leaf.ref = null;
                        return leaf;
                    }
                    case Extension below -> {
                        below.start = ext.start;
                        below.ref = null;
                        return below;
                    }
                    case Branch branch -> {
                        ext.child = branch;
                        return ext;
                    }
                    case null -> throw new AssertionError("extension above an empty branch");
                }
            }
            case Branch branch -> {
                if (pos == keyEnd) {
                    if (branch.value == null) return branch;
                    branch.value = null;
                } else {
                    int slot = Nibbles.get(key, pos);
                    Node child = branch.children[slot];
                    if (child == null) return branch;
                    child = delete(child, key, pos + 1);
                    if (!changed) return branch;
                    branch.children[slot] = child;
                }
                changed = true;
                branch.ref = null;
                return collapse(branch, key, pos);
            }
        }
    }

    /** Restores the branch invariant after a deletion from a branch at depth {@code depth}. */
    private static Node collapse(Branch branch, byte[] deletedKey, int depth) {
        int slot = -1;
        int children = 0;
        for (int i = 0; i < 16; i++) {
            if (branch.children[i] != null) {
                children++;
                slot = i;
            }
        }
        if (children + (branch.value == null ? 0 : 1) >= 2) return branch;
        if (children == 0) {
            // Only the value is left. Its key is the branch's own path, which the deleted key ran through.
            return new Leaf(Arrays.copyOf(deletedKey, depth >> 1), depth, branch.value);
        }
        Node only = branch.children[slot];
        only.ref = null;
        switch (only) {
            case Leaf leaf -> {
                leaf.start = depth;
                return leaf;
            }
            case Extension ext -> {
                ext.start = depth;
                return ext;
            }
            case Branch below -> {
                return new Extension(Node.anyKeyBelow(below), depth, depth + 1, below);
            }
        }
    }

    private byte[] ref(Node node) {
        if (node.ref != null) return node.ref;
        byte[] ref = switch (node) {
            case Leaf leaf -> encoder.leaf(leaf.key, leaf.start, leaf.key.length << 1, leaf.value);
            case Extension ext -> encoder.extension(ext.src, ext.start, ext.end, ref(ext.child));
            case Branch branch -> {
                // Children first: their encodings reuse the encoder's buffer and this scratch array.
                for (Node child : branch.children) if (child != null) ref(child);
                for (int i = 0; i < 16; i++) {
                    Node child = branch.children[i];
                    childRefs[i] = child == null ? null : child.ref;
                }
                yield encoder.branch(childRefs, branch.value);
            }
        };
        node.ref = ref;
        return ref;
    }
}
