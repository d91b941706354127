package dev.lanes.executor.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.executor.parallel.MvMemory.Cell;
import dev.lanes.executor.parallel.MvMemory.Versions;
import dev.lanes.primitives.UInt256;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * One location's version list in all three representations (small view, dense slots, skip list for huge
 * blocks) against a sorted map, and the dense one under concurrent writers and readers.
 */
class VersionsTest {
    @Test void smallAndDenseMatchASortedMap() {
        for (int txs : new int[] {40, 1000, Versions.DENSE_MAX_TXS + 5}) {
            Random rnd = new Random(txs);
            for (int round = 0; round < 20; round++) {
                Versions v = new Versions(txs);
                TreeMap<Integer, Cell> ref = new TreeMap<>();
                for (int op = 0; op < 400; op++) {
                    int tx = rnd.nextInt(Math.min(txs, 300));
                    int what = rnd.nextInt(10);
                    if (what < 6) {
                        Cell c = new Cell(tx, op, rnd.nextBoolean() ? MvMemory.VALUE : MvMemory.DELTA, UInt256.of(rnd.nextInt(1000)));
                        v.put(c);
                        ref.put(tx, c);
                    } else if (what < 8) {
                        v.remove(tx);
                        ref.remove(tx);
                    } else {
                        v.markEstimate(tx);
                        Cell c = ref.get(tx);
                        if (c != null) ref.put(tx, new Cell(tx, c.incarnation(), MvMemory.ESTIMATE, c.value()));
                    }
                    int q = rnd.nextInt(Math.min(txs, 301) + 1);
                    Map.Entry<Integer, Cell> want = ref.lowerEntry(q);
                    Cell got = v.cellBelow(q);
                    if (want == null) assertNull(got, "below " + q);
                    else assertEquals(want.getValue(), got, "below " + q);
                    assertResolves(v, ref, q);
                }
            }
        }
    }

    private static void assertResolves(Versions v, TreeMap<Integer, Cell> ref, int q) {
        UInt256 acc = UInt256.ZERO;
        UInt256 want = null;
        Integer blockedBy = null;
        for (Cell c : ref.headMap(q, false).descendingMap().values()) {
            if (c.kind() == MvMemory.ESTIMATE) {
                blockedBy = c.tx();
                break;
            }
            if (c.kind() == MvMemory.VALUE) {
                want = ((UInt256) c.value()).add(acc);
                break;
            }
            acc = acc.add((UInt256) c.value());
        }
        UInt256[] sum = new UInt256[1];
        try {
            UInt256 got = v.resolve(q, sum, null);
            assertNull(blockedBy, "should block on " + blockedBy);
            if (want != null) assertEquals(want, got);
            else {
                assertNull(got);
                assertEquals(acc, sum[0]);
            }
        } catch (MvMemory.Blocked b) {
            assertEquals(blockedBy, b.tx);
        }
    }

    @Test void denseUnderConcurrentWritersAndReaders() throws Exception {
        int txs = 4096, writers = 4;
        for (int round = 0; round < 10; round++) {
            Versions v = new Versions(txs);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int id = w;
                threads.add(new Thread(() -> {
                    try {
                        Random rnd = new Random(id * 31L + 7);
                        // Each writer owns the transactions congruent to its id (one writer per slot, as in Block-STM).
                        for (int k = 0; k < 3000; k++) {
                            int tx = rnd.nextInt(txs / writers) * writers + id;
                            int what = rnd.nextInt(4);
                            if (what < 2) v.put(new Cell(tx, k, MvMemory.VALUE, UInt256.of(tx)));
                            else if (what == 2) v.remove(tx);
                            else v.markEstimate(tx);
                        }
                        for (int tx = id; tx < txs; tx += writers) v.put(new Cell(tx, 1 << 20, MvMemory.VALUE, UInt256.of(tx)));
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                }));
            }
            for (int r = 0; r < 2; r++) {
                int seed = r;
                threads.add(new Thread(() -> {
                    try {
                        Random rnd = new Random(seed);
                        for (int k = 0; k < 20000; k++) {
                            int q = rnd.nextInt(txs + 1);
                            Cell c = v.cellBelow(q);
                            if (c != null) {
                                assertTrue(c.tx() < q, "cell " + c.tx() + " not below " + q);
                                assertEquals(UInt256.of(c.tx()), c.value());
                            }
                        }
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                }));
            }
            for (Thread t : threads) t.start();
            for (Thread t : threads) t.join();
            if (failure.get() != null) throw new AssertionError(failure.get());
            for (int q = 0; q <= txs; q++) {
                Cell c = v.cellBelow(q);
                if (q == 0) assertNull(c);
                else {
                    assertEquals(q - 1, c.tx());
                    assertEquals(MvMemory.VALUE, c.kind());
                }
            }
        }
    }
}
