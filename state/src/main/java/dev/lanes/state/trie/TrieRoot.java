package dev.lanes.state.trie;

import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Keccak;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * The root hash of a whole key set at once, without building a mutable trie: for transaction, receipt and
 * withdrawal roots, and for the state root of a state built from scratch.
 *
 * <p>Given the keys in increasing unsigned order, every subtree is a contiguous run of them, so the trie can
 * be encoded bottom-up by recursion over index ranges: a run of one key is a leaf; a run whose first and
 * last keys (hence all of its keys) share nibbles beyond the current depth is an extension over those; any
 * other run is a branch whose value is the key ending at this depth (it sorts first) and whose children are
 * the sub-runs by next nibble. Only references are kept, one array of sixteen per level of depth, so the
 * whole build allocates little beyond the node references themselves and hashes every node exactly once.
 *
 * <p>As in {@link MerklePatriciaTrie}, an empty value means "absent": such entries are skipped.
 */
public final class TrieRoot {
    private final byte[][] keys;
    private final byte[][] values;
    private final NodeEncoder encoder = new NodeEncoder();
    /** Branch scratch by depth: the recursion holds at most one unfinished branch per depth. */
    private final List<byte[][]> scratch = new ArrayList<>();

    private TrieRoot(byte[][] keys, byte[][] values) {
        this.keys = keys;
        this.values = values;
    }

    /** Root of the entries of a map whose iteration order is increasing unsigned byte order of keys. */
    public static Hash of(SortedMap<byte[], byte[]> entries) {
        byte[][] keys = new byte[entries.size()][];
        byte[][] values = new byte[entries.size()][];
        int i = 0;
        for (Map.Entry<byte[], byte[]> e : entries.entrySet()) {
            keys[i] = e.getKey();
            values[i++] = e.getValue();
        }
        return ofSortedArrays(keys, values);
    }

    /** Root of {@code keys[i] -> values[i]}, keys strictly increasing in unsigned byte order. */
    public static Hash ofSorted(List<byte[]> keys, List<byte[]> values) {
        if (keys.size() != values.size()) {
            throw new IllegalArgumentException(keys.size() + " keys but " + values.size() + " values");
        }
        return ofSortedArrays(keys.toArray(byte[][]::new), values.toArray(byte[][]::new));
    }

    /**
     * Root of an index-keyed trie, {@code rlp(i) -> values[i]}: the transactions, receipts and withdrawals
     * roots of a block header.
     */
    public static Hash ordered(List<byte[]> values) {
        int n = values.size();
        byte[][] keys = new byte[n][];
        byte[][] vals = new byte[n][];
        // Sorted order of rlp(i) without sorting: single bytes 0x01..0x7f are i = 1..127, then 0x80 is i = 0,
        // then 0x81 xx (i = 128..255), 0x82 xx xx, ...: a longer header byte sorts later, and equal headers
        // compare as the big-endian numbers that follow.
        int k = 0;
        for (int i = 1; i < Math.min(n, 0x80); i++, k++) {
            keys[k] = Rlp.encodeScalar(i);
            vals[k] = values.get(i);
        }
        if (n > 0) {
            keys[k] = Rlp.encodeScalar(0);
            vals[k++] = values.get(0);
        }
        for (int i = 0x80; i < n; i++, k++) {
            keys[k] = Rlp.encodeScalar(i);
            vals[k] = values.get(i);
        }
        return ofSortedArrays(keys, vals);
    }

    /**
     * Root of a secure trie, {@code keccak256(keys[i]) -> values[i]}, as the state and storage tries are;
     * the keys need not be in any order, but must be distinct.
     */
    public static Hash secure(List<byte[]> keys, List<byte[]> values) {
        if (keys.size() != values.size()) {
            throw new IllegalArgumentException(keys.size() + " keys but " + values.size() + " values");
        }
        int n = keys.size();
        Integer[] order = new Integer[n];
        byte[][] hashed = new byte[n][];
        for (int i = 0; i < n; i++) {
            order[i] = i;
            hashed[i] = Keccak.hash(keys.get(i));
        }
        Arrays.sort(order, Comparator.comparing(i -> hashed[i], Arrays::compareUnsigned));
        byte[][] sortedKeys = new byte[n][];
        byte[][] sortedValues = new byte[n][];
        for (int i = 0; i < n; i++) {
            sortedKeys[i] = hashed[order[i]];
            sortedValues[i] = values.get(order[i]);
        }
        return ofSortedArrays(sortedKeys, sortedValues);
    }

    private static Hash ofSortedArrays(byte[][] keys, byte[][] values) {
        int n = 0;
        for (int i = 0; i < keys.length; i++) {
            if (i > 0 && Arrays.compareUnsigned(keys[i - 1], keys[i]) >= 0) {
                throw new IllegalArgumentException("keys not strictly increasing at index " + i);
            }
            if (values[i].length == 0) continue;
            keys[n] = keys[i];
            values[n++] = values[i];
        }
        if (n == 0) return Hash.EMPTY_TRIE;
        TrieRoot builder = new TrieRoot(keys, values);
        return NodeEncoder.rootHash(builder.node(0, n, 0));
    }

    /** Reference of the subtree holding keys {@code [lo, hi)}, which agree on their first {@code depth} nibbles. */
    private byte[] node(int lo, int hi, int depth) {
        byte[] first = keys[lo];
        if (hi - lo == 1) return encoder.leaf(first, depth, first.length << 1, values[lo]);
        byte[] last = keys[hi - 1];
        int shared = Nibbles.mismatch(first, first.length << 1, last, last.length << 1, depth);
        if (shared == depth) return branch(lo, hi, depth);
        return encoder.extension(first, depth, shared, branch(lo, hi, shared));
    }

    private byte[] branch(int lo, int hi, int depth) {
        byte[] value = null;
        int i = lo;
        if (keys[i].length << 1 == depth) value = values[i++];
        // Child references must all be computed before this branch is encoded; deeper branches use deeper scratch.
        while (scratch.size() <= depth) scratch.add(new byte[16][]);
        byte[][] children = scratch.get(depth);
        Arrays.fill(children, null);
        while (i < hi) {
            int slot = Nibbles.get(keys[i], depth);
            int j = i + 1;
            while (j < hi && Nibbles.get(keys[j], depth) == slot) j++;
            children[slot] = node(i, j, depth + 1);
            i = j;
        }
        return encoder.branch(children, value);
    }
}
