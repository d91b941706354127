package dev.lanes.executor.parallel;

import dev.lanes.evm.AccountInfo;
import dev.lanes.evm.StateReader;
import dev.lanes.executor.parallel.MvMemory.Meta;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.UInt256;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link StateReader} one incarnation of transaction {@code tx} executes against: every answer comes
 * from {@link MvMemory} as of just before {@code tx}, and is recorded with its value in the read set that
 * validation later re-checks. The header read leaves the balance unread ({@code null}), so the
 * {@code Journal} reads a balance only when execution needs its value; {@code hasStorage} is answered
 * conservatively there and exactly through {@link #hasStorage}.
 */
final class MvReader implements StateReader, java.util.function.IntConsumer {
    /** Kinds of read, for re-resolution at validation. */
    static final byte R_ACCOUNT = 0, R_BALANCE = 1, R_STORAGE = 2, R_HAS_STORAGE = 3;
    /**
     * A storage read the transaction only added to ({@code AccountChange.storageAdded}): its value is an {@link Added}
     * and it is valid while the slot's value and the sum are zero exactly when they were (what the SSTORE's gas saw).
     */
    static final byte R_STORAGE_ADDED = 4;

    /** {@link #R_STORAGE_ADDED} reads found invalid (a zero test changed), all blocks together (for tests). */
    static final java.util.concurrent.atomic.LongAdder ADDED_INVALID = new java.util.concurrent.atomic.LongAdder();

    /** What an {@link #R_STORAGE_ADDED} read saw: the value read, and the amount the transaction added to it. */
    record Added(UInt256 read, UInt256 amount) {
        /**
         * Whether a transaction that read {@code now} instead would have run the same way: the value and the sum are
         * zero, and the sum overflowed, exactly when they did ({@code StorageAdds}: the only tests of the value).
         */
        boolean sameFor(UInt256 now) {
            UInt256 sumNow = now.add(amount), sumRead = read.add(amount);
            return now.isZero() == read.isZero() && sumNow.isZero() == sumRead.isZero()
                    && sumNow.lessThan(now) == sumRead.lessThan(read);
        }
    }

    /**
     * One read: where, what it returned, and the highest transaction among those whose versions it resolved to when it
     * was made ({@code source}; -1: the pre-state alone, no version below; not filled in for {@link #R_HAS_STORAGE}).
     */
    record Read(byte kind, Address address, UInt256 slot, Object value, int source) {
        /** Whether it resolved to the pre-state alone. */
        boolean fromBase() {
            return source < 0;
        }
    }

    private final MvMemory mv;
    private final int tx;
    final ArrayList<Read> reads = new ArrayList<>(32);
    /**
     * The longest dependency chain below this incarnation: the largest {@code depths} entry of the transactions
     * whose writes it read (0: only the pre-state). Feeds the adaptive test, a heuristic: {@code depths} is read
     * with plain loads (another worker's entry may be stale; an int is never torn).
     */
    int sourceDepth;
    private final int[] depths;
    /** The highest transaction the read being made resolved to a version of (-1: none, the pre-state). */
    private int readSource = -1;
    /**
     * Receives the transactions a read resolves to ({@code MvMemory}'s reads take this reader as their sink: no boxing,
     * no list, only the longest chain is kept).
     */
    @Override public void accept(int t) {
        if (t > readSource) readSource = t;
        if (quiet) return;
        int d = depths[t];
        if (d > sourceDepth) sourceDepth = d;
    }

    /** Where the last read came from (see {@link Read#source}), and resets it for the next. */
    private int noteSources() {
        int s = readSource;
        readSource = -1;
        return s;
    }

    MvReader(MvMemory mv, int tx, int[] depths) {
        this.mv = mv;
        this.tx = tx;
        this.depths = depths;
    }

    @Override public AccountInfo account(Address a) {
        Meta m = mv.account(mv.execBase, a, tx, this);
        reads.add(new Read(R_ACCOUNT, a, null, m, noteSources()));
        return m.exists() ? new AccountInfo(m.nonce(), null, m.codeHash(), true) : null;
    }

    @Override public UInt256 balance(Address a) {
        UInt256 b = mv.balance(mv.execBase, a, tx, this);
        reads.add(new Read(R_BALANCE, a, null, b, noteSources()));
        return b;
    }

    @Override public UInt256 storage(Address a, UInt256 key) {
        UInt256 v = mv.storage(mv.execBase, a, key, tx, this);
        reads.add(new Read(R_STORAGE, a, key, v, noteSources()));
        return v;
    }

    @Override public boolean storageDeltas() {
        return true;
    }

    /** While set, a read's sources do not lengthen this incarnation's dependency chain ({@link #accept}). */
    private boolean quiet;

    /**
     * A slot read that the transaction will probably only add to: read as any other (and recorded as an {@link
     * #R_STORAGE} read until {@link #markAdds} says otherwise), but its sources do not count in the dependency chain
     * the adaptive test judges: a delta does not wait for the deltas below it.
     */
    @Override public UInt256 storageForAdd(Address a, UInt256 key) {
        quiet = true;
        try {
            return storage(a, key);
        } finally {
            quiet = false;
        }
    }

    /**
     * After the execution: the storage reads of slots the transaction only added to (its write set's {@code
     * storageAdded}) become {@link #R_STORAGE_ADDED} reads, validated by the value's and the sum's zero-ness.
     */
    void markAdds(List<dev.lanes.evm.AccountChange> changes) {
        for (int i = 0, n = changes.size(); i < n; i++) {
            dev.lanes.evm.AccountChange c = changes.get(i);
            java.util.Map<UInt256, UInt256> added = c.storageAdded();
            if (added == null) continue;
            for (int k = 0, m = reads.size(); k < m; k++) {
                Read r = reads.get(k);
                if (r.kind != R_STORAGE || !r.address.equals(c.address())) continue;
                UInt256 d = added.get(r.slot);
                if (d != null) reads.set(k, new Read(R_STORAGE_ADDED, r.address, r.slot, new Added((UInt256) r.value, d), r.source));
            }
        }
    }

    @Override public boolean hasStorage(Address a) {
        boolean has = mv.hasStorage(a, tx);
        reads.add(new Read(R_HAS_STORAGE, a, null, has, Integer.MAX_VALUE)); // never taken as a pre-state read
        return has;
    }

    @Override public byte[] code(Hash codeHash) {
        return mv.code(mv.execBase, codeHash);
    }

    @Override public Hash blockHash(long number) {
        return mv.base().blockHash(number);
    }

    /**
     * Whether every read of {@code reads} would return the same value now, as of just before {@code tx} (see
     * {@link #firstInvalid}).
     */
    static boolean valid(MvMemory mv, int tx, List<Read> reads) {
        return firstInvalid(mv, tx, reads) == null;
    }

    /**
     * The first read of {@code reads} that would not return the same value now, as of just before {@code tx}
     * (one that meets an ESTIMATE counts as changed), or null when all are still valid.
     */
    static Read firstInvalid(MvMemory mv, int tx, List<Read> reads) {
        return firstInvalid(mv, tx, reads, false);
    }

    /**
     * As {@link #firstInvalid(MvMemory, int, List)}; with {@code exact}, a read that came from the base state is compared
     * with it again too, rather than taken as valid while no version lies below it: the optimistic mode records no
     * versions, and its base is the committed state, which changes as transactions are applied.
     */
    static Read firstInvalid(MvMemory mv, int tx, List<Read> reads, boolean exact) {
        for (Read r : reads) {
            // A pre-state read with still no version below it is valid as it stands: the pre-state never changes.
            if (!exact && r.fromBase() && r.kind != R_HAS_STORAGE && mv.noVersionBelow(r.kind, r.address, r.slot, tx)) continue;
            Object now;
            try {
                now = switch (r.kind) {
                    case R_ACCOUNT -> mv.account(r.address, tx);
                    case R_BALANCE -> mv.balance(r.address, tx, null);
                    case R_STORAGE, R_STORAGE_ADDED -> mv.storage(r.address, r.slot, tx, null);
                    default -> mv.hasStorage(r.address, tx);
                };
            } catch (MvMemory.Blocked b) {
                return r;
            }
            if (r.kind == R_STORAGE_ADDED) {
                if (!((Added) r.value).sameFor((UInt256) now)) {
                    ADDED_INVALID.increment();
                    return r;
                }
            } else if (!now.equals(r.value)) {
                return r;
            }
        }
        return null;
    }

    /** The location a read names, for contention reports. */
    static String describe(Read r) {
        return switch (r.kind) {
            case R_ACCOUNT -> "account " + r.address;
            case R_BALANCE -> "balance " + r.address;
            case R_STORAGE -> "storage " + r.address + " slot " + r.slot;
            case R_STORAGE_ADDED -> "storage added to " + r.address + " slot " + r.slot;
            default -> "storage emptiness " + r.address;
        };
    }

    /**
     * Whether any read of {@code reads} (of transaction {@code tx}) resolved to a version of transaction {@code min} or
     * above when it was made: {@link #sources} as of the execution, from the reads' own {@code source}, without resolving
     * them again (a delta read counts as independent there too); the storage-emptiness reads, which do not note their
     * sources, are resolved.
     */
    static boolean sourceFrom(MvMemory mv, int tx, List<Read> reads, int min) {
        for (int i = 0, n = reads.size(); i < n; i++) {
            Read r = reads.get(i);
            if (r.kind == R_STORAGE_ADDED) continue;
            if (r.kind != R_HAS_STORAGE) {
                if (r.source >= min) return true;
                continue;
            }
            boolean[] near = new boolean[1];
            mv.hasStorageSources(r.address, tx, t -> near[0] |= t >= min);
            if (near[0]) return true;
        }
        return false;
    }

    /** The transactions whose writes the reads of {@code reads} resolve to, as of just before {@code tx} (the block's true dependencies). */
    static java.util.Set<Integer> sources(MvMemory mv, int tx, List<Read> reads) {
        java.util.Set<Integer> out = new java.util.TreeSet<>();
        java.util.function.IntConsumer s = out::add;
        for (Read r : reads) {
            switch (r.kind) {
                case R_ACCOUNT -> mv.account(r.address, tx, s);
                case R_BALANCE -> mv.balance(r.address, tx, s);
                case R_STORAGE -> mv.storage(r.address, r.slot, tx, s);
                // A delta depends on the writes below only through the zero tests; counted as independent.
                case R_STORAGE_ADDED -> { }
                default -> mv.hasStorageSources(r.address, tx, s);
            }
        }
        return out;
    }
}
