package dev.lanes.state.trie;

import dev.lanes.state.trie.Node.Branch;
import dev.lanes.state.trie.Node.Extension;
import dev.lanes.state.trie.Node.Leaf;
import java.util.Arrays;

/**
 * Ordered neighbours of a key in a trie: the next and previous stored keys. Unsigned byte order of keys is
 * the order of their nibble paths with a prefix first, so within a branch its own value comes before every
 * child and the children come in nibble order.
 *
 * <p>Each search walks down the path of the probe key while the trie agrees with it; where they part, the
 * answer is the first (or last) key of the nearest subtree on the correct side.
 */
final class Navigation {
    private Navigation() {}

    static byte[] next(Node root, byte[] key) {
        return next(root, key, 0);
    }

    static byte[] previous(Node root, byte[] key) {
        return previous(root, key, 0);
    }

    /** The smallest key greater than {@code key} under {@code node}, whose path so far equals key's first {@code pos} nibbles. */
    private static byte[] next(Node node, byte[] key, int pos) {
        int keyEnd = key.length << 1;
        switch (node) {
            case null -> {
                return null;
            }
            case Leaf leaf -> {
                return Arrays.compareUnsigned(leaf.key, key) > 0 ? leaf.key.clone() : null;
            }
            case Extension ext -> {
                int m = Nibbles.mismatch(ext.src, ext.end, key, keyEnd, pos);
                if (m == ext.end) return next(ext.child, key, ext.end);
                // The key ends inside the path (everything below is longer, hence greater) or parts from it.
                if (m == keyEnd || Nibbles.get(ext.src, m) > Nibbles.get(key, m)) return first(ext.child, ext.end);
                return null;
            }
            case Branch branch -> {
                int from = 0; // if the key ends here, this branch's value equals it and every child is greater
                if (pos < keyEnd) {
                    int slot = Nibbles.get(key, pos);
                    byte[] found = next(branch.children[slot], key, pos + 1);
                    if (found != null) return found;
                    from = slot + 1;
                }
                for (int i = from; i < 16; i++) {
                    if (branch.children[i] != null) return first(branch.children[i], pos + 1);
                }
                return null;
            }
        }
    }

    /** The greatest key less than {@code key} under {@code node}, whose path so far equals key's first {@code pos} nibbles. */
    private static byte[] previous(Node node, byte[] key, int pos) {
        int keyEnd = key.length << 1;
        switch (node) {
            case null -> {
                return null;
            }
            case Leaf leaf -> {
                return Arrays.compareUnsigned(leaf.key, key) < 0 ? leaf.key.clone() : null;
            }
            case Extension ext -> {
                int m = Nibbles.mismatch(ext.src, ext.end, key, keyEnd, pos);
                if (m == ext.end) return previous(ext.child, key, ext.end);
                if (m < keyEnd && Nibbles.get(ext.src, m) < Nibbles.get(key, m)) return last(ext.child, ext.end);
                return null;
            }
            case Branch branch -> {
                // If the key ends here, its value equals the key and every child is greater: nothing below.
                if (pos == keyEnd) return null;
                int slot = Nibbles.get(key, pos);
                byte[] found = previous(branch.children[slot], key, pos + 1);
                if (found != null) return found;
                for (int i = slot - 1; i >= 0; i--) {
                    if (branch.children[i] != null) return last(branch.children[i], pos + 1);
                }
                return branch.value == null ? null : ownKey(branch, pos);
            }
        }
    }

    private static byte[] first(Node node, int depth) {
        while (true) {
            switch (node) {
                case Leaf leaf -> {
                    return leaf.key.clone();
                }
                case Extension ext -> {
                    depth = ext.end;
                    node = ext.child;
                }
                case Branch branch -> {
                    if (branch.value != null) return ownKey(branch, depth);
                    int i = 0;
                    while (branch.children[i] == null) i++;
                    node = branch.children[i];
                    depth++;
                }
            }
        }
    }

    private static byte[] last(Node node, int depth) {
        while (true) {
            switch (node) {
                case Leaf leaf -> {
                    return leaf.key.clone();
                }
                case Extension ext -> {
                    depth = ext.end;
                    node = ext.child;
                }
                case Branch branch -> {
                    int i = 15;
                    while (i >= 0 && branch.children[i] == null) i--;
                    if (i < 0) return ownKey(branch, depth);
                    node = branch.children[i];
                    depth++;
                }
            }
        }
    }

    /** The key whose value a branch at {@code depth} holds: the branch's path, shared by every key below it. */
    private static byte[] ownKey(Branch branch, int depth) {
        return Arrays.copyOf(Node.anyKeyBelow(branch), depth >> 1);
    }
}
