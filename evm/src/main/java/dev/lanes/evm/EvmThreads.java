package dev.lanes.evm;

import java.util.concurrent.Callable;

/**
 * Threads that can run the EVM: nested calls recurse through the interpreter (up to 1,024 frames deep), which
 * needs far more stack than a default thread has. Every thread that executes transactions is made here.
 */
public final class EvmThreads {
    /** Stack size of an EVM thread: room for the deepest call chain (reserved, not committed, memory). */
    public static final long STACK_SIZE = 1L << 30;

    private EvmThreads() {}

    /** A new (unstarted) thread with an EVM-sized stack. */
    public static Thread newThread(Runnable task, String name) {
        return new Thread(null, task, name, STACK_SIZE);
    }

    /**
     * Runs {@code task} on a new EVM thread, waits for it and returns its result. An unchecked exception or
     * error it throws is rethrown as it is; a checked one is wrapped in an {@link IllegalStateException}.
     */
    public static <T> T call(String name, Callable<T> task) {
        Object[] result = new Object[1];
        Throwable[] error = new Throwable[1];
        Thread t = newThread(() -> {
            try {
                result[0] = task.call();
            } catch (Throwable e) {
                error[0] = e;
            }
        }, name);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        }
        Throwable e = error[0];
        if (e instanceof RuntimeException r) throw r;
        if (e instanceof Error err) throw err;
        if (e != null) throw new IllegalStateException(e);
        @SuppressWarnings("unchecked")
        T r = (T) result[0];
        return r;
    }
}
