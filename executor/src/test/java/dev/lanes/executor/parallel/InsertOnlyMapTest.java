package dev.lanes.executor.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;

class InsertOnlyMapTest {
    /** A key whose hash code is chosen, so that tests can pile keys into one probe window. */
    record Key(int id, int hash) {
        @Override public int hashCode() {
            return hash;
        }
    }

    @Test void growsPastItsFirstTableAndFindsEveryKey() {
        InsertOnlyMap<Key, Integer> m = new InsertOnlyMap<>(4);
        Map<Key, Integer> want = new HashMap<>();
        for (int i = 0; i < 5_000; i++) {
            // a third of the keys collide on a handful of hash codes: full windows send them to later tables
            Key k = new Key(i, i % 3 == 0 ? i % 7 : i * 31);
            assertNull(m.putIfAbsent(k, i));
            want.put(k, i);
        }
        for (Map.Entry<Key, Integer> e : want.entrySet()) {
            assertEquals(e.getValue(), m.get(e.getKey()));
            assertEquals(e.getValue(), m.putIfAbsent(e.getKey(), -1), "a second put keeps the first value");
        }
        assertNull(m.get(new Key(-1, 3)));
        assertEquals(want.size(), m.size());
        Map<Key, Integer> seen = new HashMap<>();
        m.forEach(seen::put);
        assertEquals(want, seen);
    }

    @Test void concurrentInsertsOfTheSameKeysAgreeOnOneValue() throws Exception {
        for (int round = 0; round < 20; round++) {
            int keys = 20_000;
            InsertOnlyMap<Key, Object> m = new InsertOnlyMap<>(64);
            // winner[i]: the value the map holds for key i, as each thread saw it after its put
            AtomicReferenceArray<Object> seenA = new AtomicReferenceArray<>(keys), seenB = new AtomicReferenceArray<>(keys);
            CountDownLatch go = new CountDownLatch(1);
            Thread a = new Thread(() -> insertAll(m, keys, "a", seenA, go));
            Thread b = new Thread(() -> insertAll(m, keys, "b", seenB, go));
            a.start();
            b.start();
            go.countDown();
            a.join();
            b.join();
            for (int i = 0; i < keys; i++) {
                Object v = m.get(new Key(i, i % 50));
                assertSame(v, seenA.get(i), "key " + i);
                assertSame(v, seenB.get(i), "key " + i);
            }
            assertEquals(keys, m.size());
        }
    }

    private static void insertAll(InsertOnlyMap<Key, Object> m, int keys, String who, AtomicReferenceArray<Object> seen,
                                  CountDownLatch go) {
        try {
            go.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        for (int i = 0; i < keys; i++) {
            Object mine = who + i;
            Object had = m.putIfAbsent(new Key(i, i % 50), mine);
            seen.set(i, had == null ? mine : had);
        }
    }
}
