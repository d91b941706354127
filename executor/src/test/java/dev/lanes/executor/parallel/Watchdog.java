package dev.lanes.executor.parallel;

import dev.lanes.evm.EvmThreads;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a parallel test's body on an EVM thread (nested calls need its deep stack) and fails rather than hangs when it
 * does not finish in time (a deadlock in the executor); rethrows whatever the body threw.
 */
final class Watchdog {
    private Watchdog() {}

    interface Body {
        void run() throws Throwable;
    }

    static void run(String what, int minutes, Body body) throws Throwable {
        AtomicReference<Throwable> err = new AtomicReference<>();
        Thread t = EvmThreads.newThread(() -> {
            try {
                body.run();
            } catch (Throwable x) {
                err.set(x);
            }
        }, what);
        t.start();
        t.join(minutes * 60_000L);
        if (t.isAlive()) throw new AssertionError(what + " did not finish in " + minutes + " minutes (deadlock?)");
        if (err.get() != null) throw err.get();
    }
}
