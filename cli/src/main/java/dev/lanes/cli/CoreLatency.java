package dev.lanes.cli;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How long a cache line takes to go from one core to another and back, as two threads see it: they hand a counter back
 * and forth (each waits for the other's increment, then increments it) and the time per exchange is reported. On the
 * 2-vCPU machines here it has measured about 450 ns in some hours; every line Block-STM's workers share costs about half
 * of it per transfer, so parallel figures are only comparable between runs that saw a similar value.
 */
final class CoreLatency {
    private CoreLatency() {}

    /**
     * The median over three rounds of {@code exchanges} round trips, in nanoseconds per round trip; -1 with fewer than
     * two processors (the threads would take turns on one, measuring the scheduler instead).
     */
    static double roundTripNanos(int exchanges) {
        if (Runtime.getRuntime().availableProcessors() < 2) return -1;
        double[] rounds = new double[3];
        for (int r = 0; r < rounds.length; r++) rounds[r] = round(exchanges);
        java.util.Arrays.sort(rounds);
        return rounds[1];
    }

    private static double round(int exchanges) {
        AtomicLong counter = new AtomicLong();
        long last = 2L * exchanges;
        Thread other = new Thread(() -> {
            for (long v = 1; v < last; v += 2) {
                while (counter.get() != v) Thread.onSpinWait();
                counter.set(v + 1);
            }
        }, "lanes-core-latency");
        other.setDaemon(true);
        other.start();
        // The first tenth warms both loops up and lets the other thread start; only the rest is timed.
        long warm = 2L * (exchanges / 10);
        long t0 = 0;
        for (long v = 0; v < last; v += 2) {
            if (v == warm) t0 = System.nanoTime();
            while (counter.get() != v) Thread.onSpinWait();
            counter.set(v + 1);
        }
        while (counter.get() != last) Thread.onSpinWait();
        long t1 = System.nanoTime();
        try {
            other.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return (double) (t1 - t0) / (exchanges - exchanges / 10);
    }
}
