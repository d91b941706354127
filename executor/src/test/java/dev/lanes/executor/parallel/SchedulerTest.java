package dev.lanes.executor.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The scheduler's task flow on one worker: every transaction executed once and validated, or only executed. */
class SchedulerTest {
    /** Runs every task the scheduler hands out, counting each kind per transaction; returns {executions, validations}. */
    private static int[][] drain(Scheduler s, int n) {
        int[] executions = new int[n], validations = new int[n];
        Scheduler.Claims c = new Scheduler.Claims();
        for (int guard = 0; !s.done() && guard < 100 * n; guard++) {
            Scheduler.Task t = s.nextTask(c);
            while (t != null) {
                if (t.validation()) {
                    validations[t.tx()]++;
                    t = s.finishValidation(t.tx(), false);
                } else {
                    executions[t.tx()]++;
                    t = s.finishExecution(t.tx(), t.incarnation(), false);
                }
            }
        }
        return new int[][] {executions, validations};
    }

    @Test void everyTransactionExecutedOnceAndValidated() {
        for (int claim : new int[] {1, 4}) {
            int n = 37;
            Scheduler s = new Scheduler(n, claim, 8, 1);
            int[][] counts = drain(s, n);
            assertTrue(s.done(), "done after every task (claim " + claim + ")");
            for (int i = 0; i < n; i++) {
                assertEquals(1, counts[0][i], "executions of " + i);
                // At least once: with claimed runs, one claimed before its execution finished is validated by the
                // execution's own finish too (harmless: a validation changes nothing when it passes).
                assertTrue(counts[1][i] >= 1, "validations of " + i);
            }
        }
    }

    @Test void skipValidationHandsOutExecutionsOnly() {
        for (int claim : new int[] {1, 4}) {
            int n = 37;
            Scheduler s = new Scheduler(n, claim, 8, 1);
            s.skipValidation();
            int[][] counts = drain(s, n);
            assertTrue(s.done(), "done once every transaction executed (claim " + claim + ")");
            for (int i = 0; i < n; i++) {
                assertEquals(1, counts[0][i], "executions of " + i);
                assertEquals(0, counts[1][i], "validations of " + i);
            }
            // The optimistic mode's commit marks them committed in order afterwards.
            for (int i = 0; i < n; i++) assertTrue(s.tryCommit(i, 0), "commit of " + i);
            assertFalse(s.tryCommit(0, 0), "committed once");
        }
    }

    @Test void noValidationTaskAfterAnExecution() {
        Scheduler s = new Scheduler(3, 1, 8, 1);
        s.skipValidation();
        Scheduler.Claims c = new Scheduler.Claims();
        Scheduler.Task t = s.nextTask(c);
        assertEquals(0, t.tx());
        assertEquals(-1, s.executedIncarnation(0), "not executed yet");
        assertNull(s.finishExecution(0, t.incarnation(), true), "no validation task, even for a new location");
        assertEquals(0, s.executedIncarnation(0));
        assertTrue(s.tryCommit(0, 0));
        assertEquals(-1, s.executedIncarnation(0), "committed, no longer merely executed");
    }
}
