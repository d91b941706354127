package dev.lanes.state.db;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Keccak;
import dev.lanes.state.trie.TrieRoot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

/** The hash-keyed baseline trie computes the roots {@link TrieRoot} does, batch after batch, reading only stored nodes. */
class HashKeyedTrieTest {
    @Test void batchesOfPutsAndRemovesGiveTheReferenceRoot() {
        Map<Hash, byte[]> nodes = new ConcurrentHashMap<>();
        Map<Hash, byte[]> model = new HashMap<>();
        Random rnd = new Random(9);
        Hash root = Hash.EMPTY_TRIE;
        ForkJoinPool pool = new ForkJoinPool(2);
        for (int batch = 0; batch < 60; batch++) {
            HashKeyedTrie t = new HashKeyedTrie(h -> nodes.get(Hash.wrap(h)), root);
            List<byte[]> keys = new ArrayList<>();
            List<byte[]> values = new ArrayList<>();
            int n = batch == 0 ? 3000 : 1 + rnd.nextInt(400);
            java.util.Set<Hash> seen = new java.util.HashSet<>();
            for (int i = 0; i < n; i++) {
                byte[] k = Keccak.hash(new byte[] {(byte) rnd.nextInt(20), (byte) rnd.nextInt(256)});
                if (!seen.add(Hash.wrap(k))) continue;
                byte[] v = rnd.nextInt(5) == 0 ? new byte[0] : new byte[1 + rnd.nextInt(40)];
                rnd.nextBytes(v);
                keys.add(k);
                values.add(v);
                if (v.length == 0) model.remove(Hash.wrap(k));
                else model.put(Hash.wrap(k), v);
            }
            t.apply(keys, values, pool);
            root = t.hash(pool);
            t.write((h, enc) -> nodes.put(Hash.wrap(h.clone()), enc));
            List<byte[]> mk = new ArrayList<>(), mv = new ArrayList<>();
            model.forEach((k, v) -> {
                mk.add(k.toArray());
                mv.add(v);
            });
            assertEquals(TrieRoot.secureHashed(mk, mv), root, "batch " + batch);
            HashKeyedTrie fresh = new HashKeyedTrie(h -> nodes.get(Hash.wrap(h)), root);
            for (int i = 0; i < Math.min(20, keys.size()); i++) {
                byte[] want = model.get(Hash.wrap(keys.get(i)));
                byte[] got = fresh.get(keys.get(i));
                if (want == null) assertEquals(null, got);
                else assertArrayEquals(want, got);
            }
        }
        pool.shutdown();
    }
}
