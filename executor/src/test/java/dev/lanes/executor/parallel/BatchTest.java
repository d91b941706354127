package dev.lanes.executor.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link ParallelExecutor#start}: every item exactly once, failures rethrown by join, workers reusable after. */
@Timeout(60)
class BatchTest {
    @Test
    void runsEveryItemOnceAndRethrows() {
        for (int threads : new int[] {1, 2, 3, 8}) {
            try (ParallelExecutor p = new ParallelExecutor(threads)) {
                for (int round = 0; round < 200; round++) {
                    int n = round % 50;
                    AtomicIntegerArray calls = new AtomicIntegerArray(Math.max(n, 1));
                    ConcurrentHashMap<Thread, Boolean> seen = new ConcurrentHashMap<>();
                    ParallelExecutor.Batch b = p.start(n, i -> {
                        calls.incrementAndGet(i);
                        seen.put(Thread.currentThread(), true);
                    });
                    b.join();
                    for (int i = 0; i < n; i++) assertEquals(1, calls.get(i), threads + " threads, item " + i);
                    assertTrue(seen.size() <= threads);
                }
                ParallelExecutor.Batch failing = p.start(100, i -> {
                    if (i == 37) throw new IllegalArgumentException("item 37");
                });
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, failing::join);
                assertEquals("item 37", e.getMessage());
                // The workers are free again afterwards.
                AtomicIntegerArray calls = new AtomicIntegerArray(10);
                p.start(10, calls::incrementAndGet).join();
                for (int i = 0; i < 10; i++) assertEquals(1, calls.get(i));
            }
        }
    }
}
