package dev.lanes.executor.parallel;

import dev.lanes.evm.AccountChange;
import dev.lanes.evm.AccountInfo;
import dev.lanes.evm.StateReader;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.UInt256;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Block-STM's multi-version data structure (the paper's {@code MVMemory}): for every state location, the
 * value each transaction wrote there, keyed by transaction index, so that transaction {@code j} reads the
 * write of the highest {@code i < j}, or the block's pre-state when there is none.
 *
 * <p>Locations ({@link Loc}) are an account's header (existence, nonce, code hash), its balance, one storage
 * slot, and its storage "epoch" (a marker written when a transaction wipes the account's storage by
 * creating or deleting it: a slot written before the latest wipe reads as zero). A balance cell may hold a
 * <em>delta</em> instead of a value: a transaction that only added to an account it never read (the
 * coinbase fee, value sent to a recipient) records the amount, and a reader sums the deltas down to the
 * nearest value. So transactions paying one account do not depend on each other; one that reads the
 * balance depends on all of them.
 *
 * <p>Cells are immutable; a location's versions live in a {@link Versions} list under its own monitor, so a
 * reader sees a cell either before or after a replacement, never a torn one. An {@link #ESTIMATE} cell marks the write of an aborted incarnation
 * that will probably be written again: a reader that meets one stops and waits for that transaction
 * ({@link Blocked}).
 *
 * <p>Validation is by value: a read is still valid when resolving it again yields an equal value. The
 * incarnation that made a read saw exactly the inputs it would see now, so its output is what a
 * re-execution would produce.
 */
final class MvMemory {
    /** Kinds of location. */
    static final byte ACCOUNT = 0, BALANCE = 1, STORAGE = 2, EPOCH = 3;

    /** A state location ({@code slot} is null but for STORAGE). */
    static final class Loc {
        final byte kind;
        final Address address;
        final UInt256 slot;
        private final int hash;

        Loc(byte kind, Address address, UInt256 slot) {
            this.kind = kind;
            this.address = address;
            this.slot = slot;
            this.hash = (address.hashCode() * 31 + (slot == null ? 0 : slot.hashCode())) * 4 + kind;
        }

        @Override public int hashCode() {
            return hash;
        }

        @Override public boolean equals(Object o) {
            return o instanceof Loc l && l.hash == hash && l.kind == kind && l.address.equals(address)
                    && java.util.Objects.equals(l.slot, slot);
        }

        @Override public String toString() {
            return switch (kind) {
                case ACCOUNT -> "account " + address;
                case BALANCE -> "balance " + address;
                case STORAGE -> "storage " + address + " " + slot;
                default -> "storage epoch " + address;
            };
        }
    }

    /** An account's header as versioned here; {@link #ABSENT} for a non-existent account. */
    record Meta(boolean exists, long nonce, Hash codeHash) {
        static final Meta ABSENT = new Meta(false, 0, Hash.EMPTY_CODE);
    }

    static final byte VALUE = 0, DELTA = 1, ESTIMATE = 2;

    /** One version: written by incarnation {@code incarnation} of {@code tx}; {@code kind} is VALUE, DELTA or ESTIMATE. */
    record Cell(int tx, int incarnation, byte kind, Object value) {}

    /**
     * One location's versions, sorted by transaction index, under the object's monitor. Transactions mostly
     * write in index order, so an insert is usually an append; the monitor is held for a binary search and a
     * few stores, so even the hottest location (the coinbase balance, written by every transaction) is not a
     * bottleneck. The monitor gives every read a consistent snapshot and orders writes before later reads.
     */
    static final class Versions {
        private int[] txs = new int[2];
        private Cell[] cells = new Cell[2];
        private int size;

        /** Index of the highest entry with tx < {@code tx}, or -1. Caller holds the monitor. */
        private int below(int tx) {
            int lo = 0, hi = size - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (txs[mid] < tx) lo = mid + 1;
                else hi = mid - 1;
            }
            return hi;
        }

        synchronized Cell cellBelow(int tx) {
            int i = below(tx);
            return i < 0 ? null : cells[i];
        }

        synchronized void put(Cell c) {
            int i = below(c.tx) + 1;
            if (i < size && txs[i] == c.tx) {
                cells[i] = c;
                return;
            }
            if (size == txs.length) {
                txs = java.util.Arrays.copyOf(txs, size * 2);
                cells = java.util.Arrays.copyOf(cells, size * 2);
            }
            System.arraycopy(txs, i, txs, i + 1, size - i);
            System.arraycopy(cells, i, cells, i + 1, size - i);
            txs[i] = c.tx;
            cells[i] = c;
            size++;
        }

        synchronized void remove(int tx) {
            int i = below(tx) + 1;
            if (i < size && txs[i] == tx) {
                System.arraycopy(txs, i + 1, txs, i, size - i - 1);
                System.arraycopy(cells, i + 1, cells, i, size - i - 1);
                cells[--size] = null;
            }
        }

        synchronized void markEstimate(int tx) {
            int i = below(tx) + 1;
            if (i < size && txs[i] == tx) cells[i] = new Cell(tx, cells[i].incarnation, ESTIMATE, cells[i].value);
        }

        /**
         * The nearest VALUE below {@code tx} plus the DELTAs above it: returns the value, or {@code null} with
         * the deltas' sum in {@code sum[0]} when there is no VALUE (the pre-state's balance is the base).
         */
        synchronized UInt256 resolve(int tx, UInt256[] sum, List<Integer> sources) {
            UInt256 acc = UInt256.ZERO;
            for (int i = below(tx); i >= 0; i--) {
                Cell c = cells[i];
                if (c.kind == ESTIMATE) throw new Blocked(c.tx);
                if (sources != null) sources.add(c.tx);
                if (c.kind == VALUE) return ((UInt256) c.value).add(acc);
                acc = acc.add((UInt256) c.value);
            }
            sum[0] = acc;
            return null;
        }
    }

    /** Thrown by a read that meets an ESTIMATE: the reading incarnation must wait for {@code tx}. */
    static final class Blocked extends RuntimeException {
        final int tx;

        Blocked(int tx) {
            super(null, null, false, false);
            this.tx = tx;
        }
    }

    /** Thrown when a read cannot be answered exactly from the versions here; the block runs sequentially. */
    static final class Unsupported extends RuntimeException {
        Unsupported(String why) {
            super(why, null, false, false);
        }
    }

    private static final Boolean WIPED = Boolean.TRUE;

    private final StateReader base;
    private final ConcurrentHashMap<Loc, Versions> data;
    /** Every slot of an account that any incarnation in this block wrote (grows only). */
    private final ConcurrentHashMap<Address, Set<UInt256>> writtenSlots = new ConcurrentHashMap<>();
    /** Code deployed by any incarnation, by hash (content-addressed, so never stale). */
    private final ConcurrentHashMap<Hash, byte[]> codes = new ConcurrentHashMap<>();
    /** Per transaction: the locations its last incarnation wrote (read and replaced only by the executing worker). */
    private final Loc[][] lastWritten;

    MvMemory(StateReader base, int txs) {
        this.base = base;
        this.lastWritten = new Loc[txs][];
        this.data = new ConcurrentHashMap<>(Math.max(16, txs * 8));
    }

    StateReader base() {
        return base;
    }

    // ---- reads ----

    private Cell below(Loc loc, int tx) {
        Versions versions = data.get(loc);
        if (versions == null) return null;
        Cell c = versions.cellBelow(tx);
        if (c != null && c.kind == ESTIMATE) throw new Blocked(c.tx);
        return c;
    }

    Meta account(Address a, int tx) {
        Cell c = below(new Loc(ACCOUNT, a, null), tx);
        if (c != null) return (Meta) c.value;
        AccountInfo i = base.account(a);
        return i == null ? Meta.ABSENT : new Meta(true, i.nonce(), i.codeHash());
    }

    /** The balance: the nearest value below {@code tx} (or the pre-state's) plus every delta above it. */
    UInt256 balance(Address a, int tx, List<Integer> sources) {
        Versions versions = data.get(new Loc(BALANCE, a, null));
        if (versions == null) return base.balance(a);
        UInt256[] sum = new UInt256[1];
        UInt256 v = versions.resolve(tx, sum, sources);
        return v != null ? v : base.balance(a).add(sum[0]);
    }

    UInt256 storage(Address a, UInt256 key, int tx, List<Integer> sources) {
        Cell s = below(new Loc(STORAGE, a, key), tx);
        Cell w = below(new Loc(EPOCH, a, null), tx);
        if (s != null && (w == null || s.tx >= w.tx)) {
            if (sources != null) sources.add(s.tx);
            return (UInt256) s.value;
        }
        if (w != null) {
            if (sources != null) sources.add(w.tx);
            return UInt256.ZERO;
        }
        return base.storage(a, key);
    }

    /** Whether the account's storage holds a non-zero slot before {@code tx} (EIP-7610's collision rule). */
    boolean hasStorage(Address a, int tx) {
        Set<UInt256> written = writtenSlots.getOrDefault(a, Set.of());
        for (UInt256 k : written) {
            if (!storage(a, k, tx, null).isZero()) return true;
        }
        if (below(new Loc(EPOCH, a, null), tx) != null) return false;
        if (!base.hasStorage(a)) return false;
        for (UInt256 k : written) {
            // A pre-state slot was cleared: whether any other remains is not known without listing them all.
            if (!base.storage(a, k).isZero()) throw new Unsupported("storage emptiness of " + a + " after slots were cleared");
        }
        return true;
    }

    /** The transaction whose header write {@code account} resolves to, if any. */
    void accountSource(Address a, int tx, List<Integer> sources) {
        Cell c = below(new Loc(ACCOUNT, a, null), tx);
        if (c != null) sources.add(c.tx);
    }

    /** The transactions {@code hasStorage} depends on: every writer of a slot of the account, and the last wipe. */
    void hasStorageSources(Address a, int tx, List<Integer> sources) {
        for (UInt256 k : writtenSlots.getOrDefault(a, Set.of())) storage(a, k, tx, sources);
        Cell w = below(new Loc(EPOCH, a, null), tx);
        if (w != null) sources.add(w.tx);
    }

    byte[] code(Hash h) {
        byte[] c = codes.get(h);
        return c != null ? c : base.code(h);
    }

    // ---- writes ----

    /**
     * Records the write set of incarnation {@code incarnation} of {@code tx}, derived from the transaction's
     * {@link AccountChange}s and the incarnation's reads (an unchanged header or balance is not written, so
     * that touching an account does not make later readers of it depend on this transaction).
     * Returns whether it wrote a location that the previous incarnation did not (the paper's
     * {@code wrote_new_location}), after removing the previous incarnation's writes that were not repeated.
     */
    boolean record(int tx, int incarnation, List<AccountChange> changes, List<MvReader.Read> reads) {
        ArrayList<Loc> locs = new ArrayList<>(changes == null ? 0 : changes.size() * 2 + 2);
        ArrayList<Cell> cells = new ArrayList<>(changes == null ? 0 : changes.size() * 2 + 2);
        if (changes != null) {
            for (AccountChange c : changes) {
                Address a = c.address();
                if (c.code() != null && c.code().length > 0) codes.putIfAbsent(c.info().codeHash(), c.code());
                if (c.deleted()) {
                    locs.add(new Loc(ACCOUNT, a, null));
                    cells.add(new Cell(tx, incarnation, VALUE, Meta.ABSENT));
                    locs.add(new Loc(BALANCE, a, null));
                    cells.add(new Cell(tx, incarnation, VALUE, UInt256.ZERO));
                    locs.add(new Loc(EPOCH, a, null));
                    cells.add(new Cell(tx, incarnation, VALUE, WIPED));
                    continue;
                }
                if (c.storageReset()) {
                    locs.add(new Loc(EPOCH, a, null));
                    cells.add(new Cell(tx, incarnation, VALUE, WIPED));
                }
                Meta before = (Meta) readValue(reads, MvReader.R_ACCOUNT, a);
                Meta after = new Meta(true, c.info().nonce(), c.info().codeHash());
                if (!after.equals(before)) {
                    locs.add(new Loc(ACCOUNT, a, null));
                    cells.add(new Cell(tx, incarnation, VALUE, after));
                }
                if (c.balanceDelta() != null) {
                    if (!c.balanceDelta().isZero()) {
                        locs.add(new Loc(BALANCE, a, null));
                        cells.add(new Cell(tx, incarnation, DELTA, c.balanceDelta()));
                    }
                } else {
                    UInt256 was = (UInt256) readValue(reads, MvReader.R_BALANCE, a);
                    if (was == null && before != null && !before.exists()) was = UInt256.ZERO;
                    if (!c.info().balance().equals(was)) {
                        locs.add(new Loc(BALANCE, a, null));
                        cells.add(new Cell(tx, incarnation, VALUE, c.info().balance()));
                    }
                }
                if (!c.storage().isEmpty()) {
                    Set<UInt256> slots = writtenSlots.computeIfAbsent(a, k -> ConcurrentHashMap.newKeySet());
                    for (Map.Entry<UInt256, UInt256> s : c.storage().entrySet()) {
                        slots.add(s.getKey());
                        locs.add(new Loc(STORAGE, a, s.getKey()));
                        cells.add(new Cell(tx, incarnation, VALUE, s.getValue()));
                    }
                }
            }
        }
        Loc[] written = locs.toArray(new Loc[0]);
        for (int i = 0; i < written.length; i++) {
            Versions v = data.get(written[i]);
            if (v == null) v = data.computeIfAbsent(written[i], k -> new Versions());
            v.put(cells.get(i));
        }
        Loc[] previous = lastWritten[tx];
        boolean wroteNew;
        if (previous != null && previous.length > 0) {
            java.util.HashSet<Loc> now = new java.util.HashSet<>(java.util.Arrays.asList(written));
            for (Loc l : previous) {
                if (!now.contains(l)) data.get(l).remove(tx);
            }
            java.util.HashSet<Loc> before = new java.util.HashSet<>(java.util.Arrays.asList(previous));
            wroteNew = !before.containsAll(now);
        } else {
            wroteNew = written.length > 0;
        }
        lastWritten[tx] = written;
        return wroteNew;
    }

    /** The value the incarnation read at ({@code kind}, {@code a}), or null when it did not read it. */
    private static Object readValue(List<MvReader.Read> reads, byte kind, Address a) {
        for (int i = 0, n = reads.size(); i < n; i++) {
            MvReader.Read r = reads.get(i);
            if (r.kind() == kind && r.address().equals(a)) return r.value();
        }
        return null;
    }

    /** Marks every write of {@code tx}'s last incarnation as an ESTIMATE (its incarnation was aborted). */
    void convertWritesToEstimates(int tx) {
        Loc[] written = lastWritten[tx];
        if (written == null) return;
        for (Loc l : written) data.get(l).markEstimate(tx);
    }

    /** The locations {@code tx}'s last incarnation wrote (for contention reports). */
    List<Loc> written(int tx) {
        Loc[] s = lastWritten[tx];
        return s == null ? List.of() : List.of(s);
    }

    static List<Integer> newSources() {
        return new ArrayList<>(2);
    }
}
