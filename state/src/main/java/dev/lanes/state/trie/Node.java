package dev.lanes.state.trie;

/**
 * A node of the mutable trie. Nodes are mutated in place by the one trie that owns them; {@link #ref}
 * caches the node's reference (see {@link NodeEncoder}) and is null exactly when the node, or something
 * beneath it, changed since the reference was last computed.
 *
 * <p>Paths are nibble ranges of a key beneath the node (see {@link Nibbles}), and {@code start} is always
 * the node's depth in nibbles from the root.
 */
abstract sealed class Node permits Node.Leaf, Node.Extension, Node.Branch {
    byte[] ref;

    /** The rest of one key, nibbles {@code [start, 2 * key.length)}, and its value. */
    static final class Leaf extends Node {
        /** The whole key; it is what the trie was given, never copied. */
        final byte[] key;
        int start;
        byte[] value;

        Leaf(byte[] key, int start, byte[] value) {
            this.key = key;
            this.start = start;
            this.value = value;
        }
    }

    /** A shared path {@code [start, end)} of at least one nibble, above a branch. */
    static final class Extension extends Node {
        /** A key whose first {@code end} nibbles are this node's absolute path; it may since have been deleted. */
        final byte[] src;
        int start;
        final int end;
        Node child;

        Extension(byte[] src, int start, int end, Node child) {
            this.src = src;
            this.start = start;
            this.end = end;
            this.child = child;
        }
    }

    /** Sixteen children by next nibble, and the value of the key that ends here. */
    static final class Branch extends Node {
        final Node[] children = new Node[16];
        byte[] value;
    }

    /** A key, possibly since deleted, whose nibbles spell the absolute path down to and through {@code node}. */
    static byte[] anyKeyBelow(Node node) {
        while (true) {
            switch (node) {
                case Leaf leaf -> {
                    return leaf.key;
                }
                case Extension ext -> {
                    return ext.src;
                }
                case Branch branch -> {
                    // A branch always has a child: with only a value left it would have become a leaf.
                    int i = 0;
                    while (branch.children[i] == null) i++;
                    node = branch.children[i];
                }
            }
        }
    }
}
