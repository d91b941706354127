import java.util.concurrent.atomic.AtomicLong;

/**
 * How long a cache line takes to move between two cores: two threads pass a counter back and forth, each waiting
 * for the other's store before it stores the next value, so every step is one line moving one way.
 * Run with {@code $JAVA_HOME/bin/java tools/coreping/CorePing.java [rounds]} (docs/benchmarks.md, session 17).
 */
public final class CorePing {
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int trips = 2_000_000;
        AtomicLong x = new AtomicLong();
        for (int r = 0; r < rounds; r++) {
            x.set(0);
            Thread other = new Thread(() -> {
                for (long i = 1; i < 2L * trips; i += 2) {
                    while (x.get() != i) Thread.onSpinWait();
                    x.set(i + 1);
                }
            });
            other.start();
            long t0 = System.nanoTime();
            for (long i = 0; i < 2L * trips; i += 2) {
                while (x.get() != i) Thread.onSpinWait();
                x.set(i + 1);
            }
            while (x.get() != 2L * trips) Thread.onSpinWait();
            long dt = System.nanoTime() - t0;
            other.join();
            System.out.printf("round trip %.1f ns, one way %.1f ns%n", dt / (double) trips, dt / (2.0 * trips));
        }
    }
}
