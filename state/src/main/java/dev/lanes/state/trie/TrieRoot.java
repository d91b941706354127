package dev.lanes.state.trie;

import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Keccak;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.function.IntFunction;

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

    /** Subtrees already hashed by {@link Split} tasks: the task starting at each key position, or -1; null when none. */
    private final int[] taskAt;
    private final Split split;

    private TrieRoot(byte[][] keys, byte[][] values) {
        this(keys, values, null);
    }

    private TrieRoot(byte[][] keys, byte[][] values, Split split) {
        this.keys = keys;
        this.values = values;
        this.split = split;
        this.taskAt = split == null ? null : split.taskAt;
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
     * The root of an index-keyed trie ({@link #ordered}) hashed by several threads: {@link Split#tasks()}
     * disjoint subtrees, each a task that any thread may run ({@link Split#run(int)}), then {@link Split#root()}
     * for the few nodes above them. {@code valueOf(i)} is called once per index, from the thread that hashes
     * it, so encoding the values is spread out too; values must not be empty.
     *
     * @param tasks about how many tasks to cut the work into (a few per thread evens out their sizes)
     */
    public static Split orderedSplit(int n, IntFunction<byte[]> valueOf, int tasks) {
        return new Split(n, valueOf, tasks);
    }

    /**
     * One root computation cut into subtree tasks (see {@link #orderedSplit}). Threads may run distinct tasks
     * at once; {@link #root()} must happen after all of them (a join, a lock or a volatile write/read between).
     */
    public static final class Split {
        private final byte[][] keys;
        private final byte[][] values;
        private final IntFunction<byte[]> valueOf;
        private final int n;
        /** Per task: its key positions {@code [taskLo, taskHi)}, the depth its subtree starts at, its reference. */
        private final int[] taskAt;
        private int[] taskLo = new int[16], taskHi = new int[16], taskDepth = new int[16];
        private byte[][] refs;
        private int count;
        private final int target;

        private Split(int n, IntFunction<byte[]> valueOf, int tasks) {
            if (n < 1) throw new IllegalArgumentException("a split needs at least one entry");
            this.n = n;
            this.valueOf = valueOf;
            keys = new byte[n][];
            values = new byte[n][];
            for (int k = 0; k < n; k++) keys[k] = Rlp.encodeScalar(indexAt(k));
            taskAt = new int[n];
            Arrays.fill(taskAt, -1);
            target = Math.max(16, n / Math.max(1, tasks));
            plan(0, n, 0);
            refs = new byte[count][];
        }

        /** The index whose key sorts at position {@code k} (see {@link #ordered}: 1..127, then 0, then 128..). */
        private int indexAt(int k) {
            int small = Math.min(n, 0x80);
            return k < small - 1 ? k + 1 : k == small - 1 ? 0 : k;
        }

        /** Cuts the subtree {@code node(lo, hi, depth)} into tasks of at most about {@code target} keys. */
        private void plan(int lo, int hi, int depth) {
            if (hi - lo <= target) {
                if (count == taskLo.length) {
                    taskLo = Arrays.copyOf(taskLo, count * 2);
                    taskHi = Arrays.copyOf(taskHi, count * 2);
                    taskDepth = Arrays.copyOf(taskDepth, count * 2);
                }
                taskAt[lo] = count;
                taskLo[count] = lo;
                taskHi[count] = hi;
                taskDepth[count++] = depth;
                return;
            }
            // The same walk as node() and branch(): past any shared nibbles, a branch whose children are runs.
            byte[] first = keys[lo], last = keys[hi - 1];
            int shared = Nibbles.mismatch(first, first.length << 1, last, last.length << 1, depth);
            int i = lo;
            if (keys[i].length << 1 == shared) value(i++); // the branch's own value, hashed by root()
            while (i < hi) {
                int slot = Nibbles.get(keys[i], shared);
                int j = i + 1;
                while (j < hi && Nibbles.get(keys[j], shared) == slot) j++;
                plan(i, j, shared + 1);
                i = j;
            }
        }

        private void value(int k) {
            if (values[k] != null) return;
            byte[] v = valueOf.apply(indexAt(k));
            if (v == null || v.length == 0) throw new IllegalArgumentException("empty value at index " + indexAt(k));
            values[k] = v;
        }

        public int tasks() {
            return count;
        }

        /** The highest index whose value task {@code t} encodes: the task can run once values up to it exist. */
        public int lastIndex(int t) {
            int max = -1;
            for (int k = taskLo[t]; k < taskHi[t]; k++) max = Math.max(max, indexAt(k));
            return max;
        }

        /** Encodes the values of task {@code t} and hashes its subtree. */
        public void run(int t) {
            for (int k = taskLo[t]; k < taskHi[t]; k++) value(k);
            refs[t] = new TrieRoot(keys, values).node(taskLo[t], taskHi[t], taskDepth[t]);
        }

        /** The root, from the tasks' subtree references (every task must have run). */
        public Hash root() {
            for (int t = 0; t < count; t++) {
                if (refs[t] == null) throw new IllegalStateException("task " + t + " of " + count + " has not run");
            }
            return NodeEncoder.rootHash(new TrieRoot(keys, values, this).node(0, n, 0));
        }
    }

    /**
     * Root of a secure trie, {@code keccak256(keys[i]) -> values[i]}, as the state and storage tries are;
     * the keys need not be in any order, but must be distinct.
     */
    public static Hash secure(List<byte[]> keys, List<byte[]> values) {
        if (keys.size() != values.size()) {
            throw new IllegalArgumentException(keys.size() + " keys but " + values.size() + " values");
        }
        List<byte[]> hashed = new ArrayList<>(keys.size());
        for (byte[] k : keys) hashed.add(Keccak.hash(k));
        return secureHashed(hashed, values);
    }

    /**
     * {@link #secure} for callers that already hold {@code keccak256} of each key (cached across blocks, say):
     * {@code hashedKeys[i] -> values[i]}, in any order, distinct.
     */
    public static Hash secureHashed(List<byte[]> hashedKeys, List<byte[]> values) {
        if (hashedKeys.size() != values.size()) {
            throw new IllegalArgumentException(hashedKeys.size() + " keys but " + values.size() + " values");
        }
        int n = hashedKeys.size();
        Integer[] order = new Integer[n];
        byte[][] hashed = hashedKeys.toArray(byte[][]::new);
        for (int i = 0; i < n; i++) order[i] = i;
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
        if (taskAt != null) {
            int t = taskAt[lo];
            if (t >= 0 && split.taskHi[t] == hi && split.taskDepth[t] == depth) return split.refs[t];
        }
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
