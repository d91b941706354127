package dev.lanes.state;

import dev.lanes.evm.AccountInfo;
import dev.lanes.evm.EvmThreads;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.UInt256;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Threads that read state from a store ahead of execution: a block's predicted reads (senders, recipients and their
 * code, access lists; or a speculative run of each transaction) are handed here as the block starts, and the pool's
 * threads load them into the block's {@link WorldState#over store-backed state} while the executing threads run.
 * A store read is a blocking positional read (or an LSM lookup); many of them in flight at once keep the disk's queue
 * full where one executing thread would wait for each in turn. Execution never waits for the pool: a read it needs
 * that the pool has not loaded yet it makes itself (both answers are the store's, so either may install it).
 *
 * <p>Work comes in {@link Batch}es, one per block; {@link Batch#cancel()} at the block's end drops what is still
 * queued (a task checks its batch before it reads). A task that fails is ignored: a prefetch is advice, and the read
 * execution makes itself reports the error where it matters. Threads have an EVM-sized stack
 * (a speculative run executes transactions) and are daemons; {@link #close()} stops them.
 */
public final class ReadPool implements AutoCloseable {
    /** Reads someone waits for ({@link #execute}) go to the front, prefetches to the back; threads take from the front. */
    private final java.util.concurrent.LinkedBlockingDeque<Runnable> queue = new java.util.concurrent.LinkedBlockingDeque<>();
    private final Thread[] threads;
    private volatile boolean closed;

    /** A pool of {@code threads} reader threads (more than cores is the point when the reads wait for a disk). */
    public ReadPool(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1: " + threads);
        this.threads = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            Thread t = EvmThreads.newThread(this::loop, "lanes-read-" + i);
            t.setDaemon(true);
            this.threads[i] = t;
            t.start();
        }
    }

    private void loop() {
        while (!closed) {
            Runnable r;
            try {
                r = queue.takeFirst();
            } catch (InterruptedException e) {
                if (closed) return;
                continue;
            }
            runQuietly(r);
        }
    }

    /** A read someone waits for: never dropped, run by {@link #close()} if still queued then. */
    private record Urgent(Runnable task) implements Runnable {
        @Override public void run() {
            task.run();
        }
    }

    /**
     * Runs {@code task} on a pool thread (outside any batch: a read some thread waits for, which no cancel drops). When
     * the pool is closed the task runs on the caller's thread, so that whoever waits for it is not left waiting.
     */
    public void execute(Runnable task) {
        if (closed) {
            task.run();
            return;
        }
        queue.addFirst(new Urgent(task));
        if (closed) drainUrgent(); // closed meanwhile: the threads may be gone
    }

    /** Starts a batch of reads into {@code state}, which must be over a store. */
    public Batch batch(WorldState state) {
        if (!state.overStore()) throw new IllegalArgumentException("prefetching needs a state over a store");
        if (closed) throw new IllegalStateException("read pool closed");
        return new Batch(state);
    }

    /**
     * Stops the threads once their current task ends. They are not interrupted: an interrupt during a read closes the
     * store's {@link java.nio.channels.FileChannel} (an interruptible channel) for every thread; a no-op task per thread
     * wakes the idle ones instead. Reads someone waits for that are still queued run here.
     */
    @Override public void close() {
        closed = true;
        drainUrgent();
        queue.clear();
        for (int i = 0; i < threads.length; i++) queue.addLast(() -> {});
    }

    private void drainUrgent() {
        for (Runnable r; (r = queue.pollFirst()) != null; ) {
            if (r instanceof Urgent) runQuietly(r);
        }
    }

    /** Runs a task; a failure is dropped (a prefetch is advice; a waited-for load records its own failure). */
    private static void runQuietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException | Error e) {
            // dropped: keeps the thread alive for the next task
        }
    }

    /** One block's reads. */
    public final class Batch {
        private final WorldState state;
        private volatile boolean cancelled;
        private final AtomicLong submitted = new AtomicLong();
        /** How far the executing thread has come (its transaction index); -1 before it starts. */
        private volatile int progress = -1;

        private Batch(WorldState state) {
            this.state = state;
        }

        /** Loads an account and, when it has code, the code. */
        public void account(Address a) {
            submit(() -> {
                AccountInfo info = state.account(a);
                if (info != null && info.hasCode()) state.code(info.codeHash());
            });
        }

        /** Loads one storage slot (and its account). */
        public void storage(Address a, UInt256 slot) {
            submit(() -> state.storage(a, slot));
        }

        /**
         * Runs {@code task} on a pool thread unless the batch was cancelled first (for reads that need more than one
         * key, such as a speculative execution over the batch's state).
         */
        public void submit(Runnable task) {
            if (cancelled) return;
            submitted.incrementAndGet();
            queue.addLast(() -> {
                if (!cancelled) task.run(); // a failure is dropped by the thread's loop
            });
        }

        /**
         * The executing thread has started item {@code i} (a transaction index): work for items up to it is of no use
         * any more (a plain volatile store, once per item).
         */
        public void progress(int i) {
            progress = i;
        }

        /** The last item the executing thread reported starting ({@link #progress(int)}), or -1. */
        public int progress() {
            return progress;
        }

        /** Tasks submitted to this batch. */
        public long submitted() {
            return submitted.get();
        }

        /** Drops this batch's queued tasks (they are skipped when reached); running ones finish. */
        public void cancel() {
            cancelled = true;
        }
    }
}
