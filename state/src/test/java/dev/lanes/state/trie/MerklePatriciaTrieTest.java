package dev.lanes.state.trie;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Hex;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class MerklePatriciaTrieTest {
    @Test
    void emptyTrie() {
        MerklePatriciaTrie trie = new MerklePatriciaTrie();
        assertTrue(trie.isEmpty());
        assertEquals(Hash.EMPTY_TRIE, trie.rootHash());
        assertNull(trie.get(utf8("a")));
        assertFalse(trie.remove(utf8("a")));
        assertNull(trie.nextKey(new byte[0]));
        assertNull(trie.previousKey(utf8("z")));
    }

    @Test
    void emptyValueDeletes() {
        MerklePatriciaTrie trie = new MerklePatriciaTrie();
        trie.put(utf8("dog"), utf8("puppy"));
        trie.put(utf8("dog"), new byte[0]);
        assertTrue(trie.isEmpty());
        assertEquals(Hash.EMPTY_TRIE, trie.rootHash());
    }

    /** A lone short leaf is embedded nowhere, yet the root is still the hash of its encoding. */
    @Test
    void shortRootIsHashed() {
        MerklePatriciaTrie trie = new MerklePatriciaTrie();
        trie.put(utf8("a"), utf8("b"));
        assertEquals(ReferenceTrie.root(Map.of(utf8("a"), utf8("b"))), trie.rootHash());
    }

    /**
     * Random puts and removes over keys from a tiny alphabet of varied lengths, so that keys are often
     * prefixes of each other (branch values), share long paths (extensions) and collapse on deletion; after
     * every batch the root must equal both the one-pass builder's and the literal reference's, and reads and
     * neighbours must match a sorted map.
     */
    @Test
    void randomUpdatesMatchModelAndReference() {
        Random random = new Random(0x1a2e5L);
        byte[] alphabet = {0x00, 0x01, 0x10, 0x11, (byte) 0xf0, (byte) 0xff};
        MerklePatriciaTrie trie = new MerklePatriciaTrie();
        TreeMap<byte[], byte[]> model = new TreeMap<>(Arrays::compareUnsigned);
        for (int op = 1; op <= 12_000; op++) {
            byte[] key = new byte[random.nextInt(7)];
            for (int i = 0; i < key.length; i++) key[i] = alphabet[random.nextInt(alphabet.length)];
            if (random.nextInt(10) < 6) {
                // Values of 1 to 80 bytes: below and above both the 32-byte inlining line and RLP's 56-byte one.
                byte[] value = new byte[1 + random.nextInt(80)];
                random.nextBytes(value);
                trie.put(key, value);
                model.put(key, value);
            } else {
                assertEquals(model.remove(key) != null, trie.remove(key), "remove result");
            }
            if (op % 97 == 0) {
                assertEquals(TrieRoot.of(model), trie.rootHash(), "root after op " + op);
                if (op % 5 == 0) assertEquals(ReferenceTrie.root(model), trie.rootHash(), "reference root after op " + op);
                for (int probe = 0; probe < 20; probe++) {
                    byte[] k = new byte[random.nextInt(7)];
                    for (int i = 0; i < k.length; i++) k[i] = alphabet[random.nextInt(alphabet.length)];
                    assertArrayEquals(model.get(k), trie.get(k), "get");
                    assertArrayEquals(model.higherKey(k), trie.nextKey(k), "next of " + Hex.encode(k));
                    assertArrayEquals(model.lowerKey(k), trie.previousKey(k), "previous of " + Hex.encode(k));
                }
            }
        }
        for (byte[] key : new ArrayList<>(model.keySet())) assertTrue(trie.remove(key));
        assertTrue(trie.isEmpty());
        assertEquals(Hash.EMPTY_TRIE, trie.rootHash());
    }

    @Test
    void rootIndependentOfHistory() {
        Random random = new Random(7);
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            byte[] k = new byte[1 + random.nextInt(20)];
            random.nextBytes(k);
            keys.add(k);
        }
        Hash expected = null;
        for (int round = 0; round < 3; round++) {
            Collections.shuffle(keys, random);
            MerklePatriciaTrie trie = new MerklePatriciaTrie();
            // Interleave decoys that are removed again: the shape left behind must still be canonical.
            for (byte[] k : keys) {
                trie.put(k, k);
                trie.put(decoy(k, round), k);
            }
            for (byte[] k : keys) trie.remove(decoy(k, round));
            Hash root = trie.rootHash();
            if (expected == null) expected = root;
            assertEquals(expected, root, "round " + round);
        }
        TreeMap<byte[], byte[]> model = new TreeMap<>(Arrays::compareUnsigned);
        for (byte[] k : keys) model.put(k, k);
        // Random keys collide into duplicates only with negligible chance; the model decides either way.
        assertEquals(TrieRoot.of(model), expected);
    }

    /** A key extending {@code k} by three bytes: equal to another test key only with negligible chance. */
    private static byte[] decoy(byte[] k, int round) {
        byte[] d = Arrays.copyOf(k, k.length + 3);
        d[k.length] = (byte) round;
        d[k.length + 1] = (byte) 0xde;
        d[k.length + 2] = (byte) 0xc0;
        return d;
    }

    /** After a root is computed, one update rehashes only the nodes on that key's path. */
    @Test
    void rehashesOnlyDirtyPath() {
        Random random = new Random(42);
        MerklePatriciaTrie trie = new MerklePatriciaTrie();
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            byte[] k = new byte[32];
            random.nextBytes(k);
            keys.add(k);
            trie.put(k, k);
        }
        Hash before = trie.rootHash();
        long hashes = trie.hashCount();
        assertSame(before, trie.rootHash(), "cached");
        assertEquals(hashes, trie.hashCount());

        trie.put(keys.get(0), keys.get(0).clone());
        assertSame(before, trie.rootHash(), "storing the same value changes nothing");
        assertFalse(trie.remove(new byte[32]));
        assertSame(before, trie.rootHash(), "removing an absent key changes nothing");
        assertEquals(hashes, trie.hashCount());

        trie.put(keys.get(1), utf8("changed value, long enough to be hashed"));
        Hash after = trie.rootHash();
        // 10,000 random keys: about log16(10,000) = 3.3 branches above each leaf, plus the leaf.
        long rehashed = trie.hashCount() - hashes;
        assertTrue(rehashed >= 3 && rehashed <= 6, "rehashed " + rehashed + " nodes");

        trie.put(keys.get(1), keys.get(1));
        assertEquals(before, trie.rootHash(), "restoring the value restores the root");
        assertTrue(!after.equals(before));
    }

    @Test
    void longKeysAndValues() {
        Random random = new Random(3);
        MerklePatriciaTrie trie = new MerklePatriciaTrie();
        TreeMap<byte[], byte[]> model = new TreeMap<>(Arrays::compareUnsigned);
        byte[] prefix = new byte[70];
        random.nextBytes(prefix);
        for (int i = 0; i < 200; i++) {
            // Keys over 55 bytes give hex-prefix paths with long RLP headers; values up to 2 KiB, long list headers.
            byte[] key = Arrays.copyOf(prefix, 60 + random.nextInt(20));
            key[key.length - 1 - random.nextInt(3)] = (byte) random.nextInt();
            byte[] value = new byte[1 + random.nextInt(2048)];
            random.nextBytes(value);
            trie.put(key, value);
            model.put(key, value);
        }
        assertEquals(ReferenceTrie.root(model), trie.rootHash());
        assertEquals(TrieRoot.of(model), trie.rootHash());
        for (Map.Entry<byte[], byte[]> e : model.entrySet()) assertArrayEquals(e.getValue(), trie.get(e.getKey()));
    }

    @Test
    void secureTrieHashesKeys() {
        SecureTrie secure = new SecureTrie();
        MerklePatriciaTrie plain = new MerklePatriciaTrie();
        for (int i = 0; i < 100; i++) {
            byte[] key = utf8("key" + i);
            secure.put(key, key);
            plain.put(dev.lanes.primitives.Keccak.hash(key), key);
        }
        assertEquals(plain.rootHash(), secure.rootHash());
        assertArrayEquals(utf8("key7"), secure.get(utf8("key7")));
        assertArrayEquals(utf8("key8"), secure.getHashed(dev.lanes.primitives.Keccak.hashOf(utf8("key8"))));
        assertTrue(secure.remove(utf8("key7")));
        assertNull(secure.get(utf8("key7")));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
