package dev.lanes.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@code bench parallel}'s order of rows within a round: over 2k rounds balanced for position and for predecessor. */
class BenchOrderTest {
    @Test void everyRowFirstAndAfterEveryOtherEquallyOften() {
        for (int k = 1; k <= 6; k++) {
            int[] first = new int[k];
            int[][] after = new int[k][k];
            for (int r = 0; r < 2 * k; r++) {
                boolean[] seen = new boolean[k];
                int prev = -1;
                for (int step = 0; step < k; step++) {
                    int i = BenchCommand.Parallel.order(k, r, step);
                    assertEquals(false, seen[i], "row " + i + " twice in round " + r + " of " + k);
                    seen[i] = true;
                    if (step == 0) first[i]++;
                    else after[prev][i]++;
                    prev = i;
                }
            }
            for (int i = 0; i < k; i++) {
                assertEquals(2, first[i], "rounds that start with row " + i + " of " + k);
                for (int j = 0; j < k; j++) if (i != j) assertEquals(2, after[i][j], "row " + j + " right after row " + i + " of " + k);
            }
        }
    }
}
