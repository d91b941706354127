package dev.lanes.executor.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/** The contention report's list ({@code Stats.hotLocations}), made on first use from a finished run's conflict counts. */
class HotLocationsTest {
    private static ConcurrentHashMap<String, LongAdder> counts(Object... pairs) {
        ConcurrentHashMap<String, LongAdder> m = new ConcurrentHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            LongAdder a = new LongAdder();
            a.add((Integer) pairs[i + 1]);
            m.put((String) pairs[i], a);
        }
        return m;
    }

    @Test
    void theFiveMostCountedFirst() {
        List<String> hot = new ParallelExecutor.HotLocations(counts("a", 3, "b", 7, "c", 1, "d", 9, "e", 5, "f", 2, "g", 4));
        assertEquals(List.of("d: 9", "b: 7", "e: 5", "g: 4", "a: 3"), hot);
        assertEquals(5, hot.size());
        assertEquals("d: 9", hot.get(0));
        assertThrows(UnsupportedOperationException.class, () -> hot.add("x"));
    }

    @Test
    void fewerThanFive() {
        assertEquals(List.of("only: 2"), new ParallelExecutor.HotLocations(counts("only", 2)));
    }
}
