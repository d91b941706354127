package dev.lanes.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Schedules of a block's transactions on T threads, given their dependencies and sequential times, for
 * {@code ./lanes bench parallel}'s bounds. The oracle, {@code work / max(path, work / T)}, is an upper bound on what
 * any scheduler reaches (a makespan is never shorter than the critical path or the work split evenly), but it may not
 * be reachable. A list schedule is a real one: whenever a thread is free it takes the ready transaction that comes
 * first by some priority. {@link #inOrder} takes them in block order, as Block-STM's scheduler hands out execution
 * tasks: an executor with no cost of its own that knew every dependency in advance but kept that order reaches
 * {@code work / inOrder}; a long chain that starts late in the block (a sender's run of transactions at index 33 of 56)
 * leaves threads idle at the end in that order, where an order by longest remaining path ({@link #longestPathFirst})
 * would start it first.
 */
final class Schedules {
    private Schedules() {}

    /**
     * The shorter makespan of two list schedules on {@code threads} threads: transactions by block order (Block-STM's own
     * priority, {@link #inOrder}) and by longest remaining path first ({@link #longestPathFirst}). {@code deps[i]} holds the
     * transactions {@code i} must wait for (lower indices only; null or empty: none; repeats allowed).
     */
    static long bestMakespan(long[] nanos, int[][] deps, int threads) {
        return Math.min(inOrder(nanos, deps, threads), longestPathFirst(nanos, deps, threads));
    }

    /** The list schedule by longest remaining path first (the classic critical-path rule). */
    static long longestPathFirst(long[] nanos, int[][] deps, int threads) {
        int n = nanos.length;
        if (n == 0) return 0;
        int[][] succ = successors(deps, n);
        // Bottom level: a transaction's time plus the longest path after it (successors have higher indices).
        long[] level = new long[n];
        for (int i = n - 1; i >= 0; i--) {
            long after = 0;
            for (int s : succ[i]) after = Math.max(after, level[s]);
            level[i] = nanos[i] + after;
        }
        return makespan(nanos, deps, succ, threads, level);
    }

    /** The list schedule in block order ({@link #makespan} with no levels). */
    static long inOrder(long[] nanos, int[][] deps, int threads) {
        if (nanos.length == 0) return 0;
        return makespan(nanos, deps, successors(deps, nanos.length), threads, null);
    }

    /**
     * One list schedule: a thread that falls free takes the ready transaction with the highest {@code level} (ties and
     * {@code level == null}: the lowest index). Returns when the last transaction finishes.
     */
    static long makespan(long[] nanos, int[][] deps, int[][] succ, int threads, long[] level) {
        int n = nanos.length;
        int[] waiting = new int[n];
        for (int i = 0; i < n; i++) waiting[i] = distinct(deps, i).length;
        PriorityQueue<Integer> ready = new PriorityQueue<>(level == null ? Integer::compare
                : (a, b) -> level[a] != level[b] ? Long.compare(level[b], level[a]) : Integer.compare(a, b));
        for (int i = 0; i < n; i++) if (waiting[i] == 0) ready.add(i);
        // Running transactions by finish time: {finish, index}.
        PriorityQueue<long[]> running = new PriorityQueue<>((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        long now = 0;
        int free = Math.max(1, threads), done = 0;
        while (done < n) {
            while (free > 0 && !ready.isEmpty()) {
                int t = ready.poll();
                running.add(new long[] {now + nanos[t], t});
                free--;
            }
            if (running.isEmpty()) throw new IllegalArgumentException("dependencies form a cycle");
            long[] e = running.poll();
            now = e[0];
            free++;
            done++;
            for (int s : succ[(int) e[1]]) if (--waiting[s] == 0) ready.add(s);
        }
        return now;
    }

    private static int[][] successors(int[][] deps, int n) {
        List<List<Integer>> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(new ArrayList<>(2));
        for (int i = 0; i < n; i++) {
            for (int d : distinct(deps, i)) {
                if (d < 0 || d >= i) throw new IllegalArgumentException("transaction " + i + " depends on " + d + ": not a lower one");
                out.get(d).add(i);
            }
        }
        int[][] succ = new int[n][];
        for (int i = 0; i < n; i++) succ[i] = out.get(i).stream().mapToInt(Integer::intValue).toArray();
        return succ;
    }

    private static int[] distinct(int[][] deps, int i) {
        if (deps == null || deps[i] == null || deps[i].length == 0) return new int[0];
        return Arrays.stream(deps[i]).distinct().toArray();
    }
}
