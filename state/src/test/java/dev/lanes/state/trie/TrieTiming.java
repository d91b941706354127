package dev.lanes.state.trie;

import dev.lanes.primitives.Hash;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Timing, not a test (surefire runs only *Test classes): 100,000 random 32-byte keys with 32-byte values,
 * inserted into a fresh {@link MerklePatriciaTrie} and hashed to a root; the same set through
 * {@link TrieRoot}; and 1,000 updates to the full trie followed by a root, the block-execution case.
 * Three warm-up runs, then the median of five.
 *
 * <pre>java -cp state/target/classes:state/target/test-classes:primitives/target/classes:BCPROV dev.lanes.state.trie.TrieTiming</pre>
 */
public final class TrieTiming {
    private static final int KEYS = 100_000;
    private static final int UPDATES = 1_000;

    public static void main(String[] args) {
        SplittableRandom random = new SplittableRandom(1);
        byte[][] keys = new byte[KEYS][];
        byte[][] values = new byte[KEYS][];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = bytes(random, 32);
            values[i] = bytes(random, 32);
        }
        Integer[] order = new Integer[KEYS];
        for (int i = 0; i < KEYS; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Arrays.compareUnsigned(keys[a], keys[b]));
        List<byte[]> sortedKeys = new ArrayList<>(KEYS);
        List<byte[]> sortedValues = new ArrayList<>(KEYS);
        for (int i : order) {
            sortedKeys.add(keys[i]);
            sortedValues.add(values[i]);
        }
        byte[][] updates = new byte[UPDATES][];
        for (int i = 0; i < UPDATES; i++) updates[i] = bytes(random, 32);

        Hash[] roots = new Hash[3];
        report("mutable trie: 100k puts + rootHash", () -> {
            MerklePatriciaTrie trie = new MerklePatriciaTrie();
            for (int i = 0; i < KEYS; i++) trie.put(keys[i], values[i]);
            roots[0] = trie.rootHash();
        });
        report("TrieRoot.ofSorted over the same 100k (pre-sorted)", () -> roots[1] = TrieRoot.ofSorted(sortedKeys, sortedValues));
        if (!roots[0].equals(roots[1])) throw new AssertionError(roots[0] + " != " + roots[1]);

        MerklePatriciaTrie full = new MerklePatriciaTrie();
        for (int i = 0; i < KEYS; i++) full.put(keys[i], values[i]);
        full.rootHash();
        Random pick = new Random(2);
        report("1,000 updates to the hashed 100k trie + rootHash", () -> {
            for (int i = 0; i < UPDATES; i++) full.put(keys[pick.nextInt(KEYS)], updates[i]);
            roots[2] = full.rootHash();
        });
        System.out.println("root " + roots[0]);
    }

    private static void report(String what, Runnable run) {
        for (int i = 0; i < 3; i++) run.run();
        long[] ns = new long[5];
        for (int i = 0; i < ns.length; i++) {
            long t0 = System.nanoTime();
            run.run();
            ns[i] = System.nanoTime() - t0;
        }
        Arrays.sort(ns);
        System.out.printf("%-52s median %8.2f ms  (min %.2f, max %.2f)%n", what, ns[2] / 1e6, ns[0] / 1e6, ns[4] / 1e6);
    }

    private static byte[] bytes(SplittableRandom random, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i += 8) {
            long v = random.nextLong();
            for (int j = 0; j < 8 && i + j < n; j++) b[i + j] = (byte) (v >>> (8 * j));
        }
        return b;
    }
}
