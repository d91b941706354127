package dev.lanes.state.trie;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Keccak;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class TrieRootTest {
    @Test
    void empty() {
        assertEquals(Hash.EMPTY_TRIE, TrieRoot.of(new TreeMap<>(Arrays::compareUnsigned)));
        assertEquals(Hash.EMPTY_TRIE, TrieRoot.ordered(List.of()));
        assertEquals(Hash.EMPTY_TRIE, TrieRoot.ofSorted(List.of(new byte[] {1}), List.of(new byte[0])), "empty value is absent");
    }

    /** Randomized with a fixed seed: random key sets of many sizes and shapes against the mutable trie. */
    @Test
    void agreesWithMutableTrie() {
        Random random = new Random(20240601L);
        for (int round = 0; round < 150; round++) {
            int size = round < 50 ? round : random.nextInt(2_000);
            int maxLen = 1 + random.nextInt(round % 3 == 0 ? 4 : 40);
            TreeMap<byte[], byte[]> model = new TreeMap<>(Arrays::compareUnsigned);
            MerklePatriciaTrie trie = new MerklePatriciaTrie();
            for (int i = 0; i < size; i++) {
                byte[] key = new byte[random.nextInt(maxLen + 1)];
                random.nextBytes(key);
                byte[] value = new byte[1 + random.nextInt(round % 2 == 0 ? 8 : 100)];
                random.nextBytes(value);
                model.put(key, value);
                trie.put(key, value);
            }
            assertEquals(trie.rootHash(), TrieRoot.of(model), "round " + round + ", " + model.size() + " keys");
        }
    }

    @Test
    void agreesWithReference() {
        Random random = new Random(99);
        TreeMap<byte[], byte[]> model = new TreeMap<>(Arrays::compareUnsigned);
        for (int i = 0; i < 500; i++) {
            byte[] key = new byte[random.nextInt(4)];
            for (int j = 0; j < key.length; j++) key[j] = (byte) (random.nextInt(3) * 0x11);
            byte[] value = new byte[1 + random.nextInt(60)];
            random.nextBytes(value);
            model.put(key, value);
        }
        assertEquals(ReferenceTrie.root(model), TrieRoot.of(model));
    }

    /** Index keys rlp(i) sort 1..127, 0, 128...: sizes around each boundary against a trie keyed the same way. */
    @Test
    void orderedMatchesRlpIndexKeys() {
        Random random = new Random(5);
        for (int n : new int[] {1, 2, 3, 16, 17, 127, 128, 129, 200, 255, 256, 257, 1_000, 70_000}) {
            List<byte[]> values = new ArrayList<>();
            MerklePatriciaTrie trie = new MerklePatriciaTrie();
            for (int i = 0; i < n; i++) {
                byte[] v = new byte[1 + random.nextInt(120)];
                random.nextBytes(v);
                values.add(v);
                trie.put(Rlp.encodeScalar(i), v);
            }
            assertEquals(trie.rootHash(), TrieRoot.ordered(values), n + " values");
        }
    }

    /**
     * The split form gives the same root for every size around the key-length boundaries and every task count,
     * with tasks run out of order by several threads, and calls {@code valueOf} exactly once per index.
     */
    @Test
    void splitMatchesOrdered() throws Exception {
        Random random = new Random(8);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            for (int n : new int[] {1, 2, 15, 16, 17, 127, 128, 129, 255, 256, 257, 300, 2_000, 4_097, 70_000}) {
                List<byte[]> values = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    byte[] v = new byte[1 + random.nextInt(300)];
                    random.nextBytes(v);
                    values.add(v);
                }
                Hash expected = TrieRoot.ordered(values);
                for (int tasks : new int[] {1, 2, 7, 64, 10_000}) {
                    java.util.concurrent.atomic.AtomicIntegerArray calls = new java.util.concurrent.atomic.AtomicIntegerArray(n);
                    TrieRoot.Split split = TrieRoot.orderedSplit(n, i -> {
                        calls.incrementAndGet(i);
                        return values.get(i);
                    }, tasks);
                    List<Integer> order = new ArrayList<>();
                    for (int t = 0; t < split.tasks(); t++) order.add(t);
                    java.util.Collections.shuffle(order, random);
                    List<java.util.concurrent.Future<?>> done = new ArrayList<>();
                    for (int t : order) done.add(pool.submit(() -> split.run(t)));
                    for (var f : done) f.get();
                    assertEquals(expected, split.root(), n + " values, " + tasks + " tasks");
                    for (int i = 0; i < n; i++) assertEquals(1, calls.get(i), "valueOf(" + i + ") calls");
                }
            }
        } finally {
            pool.shutdownNow();
        }
        TrieRoot.Split unfinished = TrieRoot.orderedSplit(300, i -> new byte[] {1}, 4);
        assertThrows(IllegalStateException.class, unfinished::root);
        TrieRoot.Split empty = TrieRoot.orderedSplit(300, i -> new byte[0], 4);
        assertThrows(IllegalArgumentException.class, () -> empty.run(0));
    }

    @Test
    void secureMatchesSecureTrie() {
        Random random = new Random(11);
        List<byte[]> keys = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        SecureTrie trie = new SecureTrie();
        for (int i = 0; i < 1_000; i++) {
            byte[] k = new byte[20];
            random.nextBytes(k);
            byte[] v = new byte[1 + random.nextInt(70)];
            random.nextBytes(v);
            keys.add(k);
            values.add(v);
            trie.put(k, v);
        }
        assertEquals(trie.rootHash(), TrieRoot.secure(keys, values));
        assertThrows(IllegalArgumentException.class,
                () -> TrieRoot.secure(List.of(keys.get(0), keys.get(0)), List.of(values.get(0), values.get(1))));
    }

    @Test
    void rejectsUnsortedKeys() {
        byte[] v = {1};
        assertThrows(IllegalArgumentException.class, () -> TrieRoot.ofSorted(List.of(new byte[] {2}, new byte[] {1}), List.of(v, v)));
        assertThrows(IllegalArgumentException.class, () -> TrieRoot.ofSorted(List.of(new byte[] {1}, new byte[] {1}), List.of(v, v)));
        // Unsigned order: 0x7f before 0x80.
        assertThrows(IllegalArgumentException.class,
                () -> TrieRoot.ofSorted(List.of(new byte[] {(byte) 0x80}, new byte[] {0x7f}), List.of(v, v)));
        assertThrows(IllegalArgumentException.class, () -> TrieRoot.ofSorted(List.of(new byte[] {1}), List.of()));
        TreeMap<byte[], byte[]> signed = new TreeMap<>(Arrays::compare);
        signed.put(new byte[] {(byte) 0x80}, v);
        signed.put(new byte[] {0x7f}, v);
        assertThrows(IllegalArgumentException.class, () -> TrieRoot.of(signed), "a map sorted with signed bytes");
        assertEquals(Keccak.hashOf(Rlp.encodeList(Rlp.encodeString(new byte[] {0x20, 0x01}), Rlp.encodeString(v))),
                TrieRoot.ofSorted(List.of(new byte[] {1}), List.of(v)));
    }
}
