package dev.lanes.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SchedulesTest {
    @Test
    void independentTransactionsShareTheThreads() {
        long[] t = {5, 5, 5, 5, 5};
        assertEquals(15, Schedules.bestMakespan(t, new int[5][], 2));
        assertEquals(5, Schedules.bestMakespan(t, new int[5][], 8));
        assertEquals(25, Schedules.bestMakespan(t, new int[5][], 1));
    }

    @Test
    void aChainRunsOneAfterAnother() {
        long[] t = {1, 2, 3, 4};
        int[][] deps = {null, {0}, {1, 1}, {2}};
        assertEquals(10, Schedules.bestMakespan(t, deps, 4));
    }

    @Test
    void aLongTransactionLastIsStartedFirstByTheCriticalPathRule() {
        // In block order the long one starts at 2 and ends at 6; longest path first gives 4 (= the oracle's bound).
        long[] t = {1, 1, 1, 1, 4};
        int[][] none = new int[5][];
        int[][] succ = {{}, {}, {}, {}, {}};
        assertEquals(6, Schedules.makespan(t, none, succ, 2, null));
        assertEquals(6, Schedules.inOrder(t, none, 2));
        assertEquals(4, Schedules.bestMakespan(t, none, 2));
    }

    @Test
    void inBlockOrderAWaitingTransactionIsPassedBy() {
        // 1 waits for 0; in block order 2 and 3 run meanwhile: {0, 1} on one thread, {2, 3} on the other.
        long[] t = {2, 2, 1, 1};
        assertEquals(4, Schedules.inOrder(t, new int[][] {null, {0}, null, null}, 2));
    }

    @Test
    void aScheduleCanBeLongerThanTheBound() {
        // The bound max(path, work / T) is 6 ({3, 3} and {2, 2, 2}); both list schedules take 7.
        long[] t = {3, 3, 2, 2, 2};
        assertEquals(7, Schedules.bestMakespan(t, new int[5][], 2));
    }

    @Test
    void neverBelowTheBoundNorAboveTheWork() {
        Random rnd = new Random(7);
        for (int round = 0; round < 300; round++) {
            int n = 1 + rnd.nextInt(60), threads = 1 + rnd.nextInt(8);
            long[] t = new long[n];
            int[][] deps = new int[n][];
            long work = 0;
            long[] finish = new long[n];
            long path = 0;
            for (int i = 0; i < n; i++) {
                t[i] = 1 + rnd.nextInt(100);
                work += t[i];
                int k = i == 0 ? 0 : rnd.nextInt(Math.min(i, 3) + 1);
                deps[i] = new int[k];
                long start = 0;
                for (int j = 0; j < k; j++) {
                    deps[i][j] = rnd.nextInt(i);
                    start = Math.max(start, finish[deps[i][j]]);
                }
                finish[i] = start + t[i];
                path = Math.max(path, finish[i]);
            }
            long m = Schedules.bestMakespan(t, deps, threads);
            assertTrue(Schedules.inOrder(t, deps, threads) >= m, "in order shorter than the best of both");
            assertTrue(m >= Math.max(path, (work + threads - 1) / threads), "below the bound");
            assertTrue(m <= work, "longer than running everything in a row");
            if (threads == 1) assertEquals(work, m);
        }
    }

    @Test
    void rejectsADependencyThatIsNotLower() {
        assertThrows(IllegalArgumentException.class, () -> Schedules.bestMakespan(new long[] {1, 1}, new int[][] {{1}, null}, 2));
    }
}
