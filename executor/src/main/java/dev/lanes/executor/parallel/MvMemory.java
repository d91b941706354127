package dev.lanes.executor.parallel;

import dev.lanes.evm.AccountChange;
import dev.lanes.evm.AccountInfo;
import dev.lanes.evm.StateReader;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.UInt256;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

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
 * <p>Cells are immutable; a location's versions live in a {@link ConcurrentSkipListMap} (lock-free reads,
 * and each {@code put}/{@code remove} is linearizable, so a reader sees a cell either before or after a
 * replacement, never a torn one). An {@link #ESTIMATE} cell marks the write of an aborted incarnation
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

    /** A state location. */
    record Loc(byte kind, Address address, UInt256 slot) {}

    /** An account's header as versioned here; {@link #ABSENT} for a non-existent account. */
    record Meta(boolean exists, long nonce, Hash codeHash) {
        static final Meta ABSENT = new Meta(false, 0, Hash.EMPTY_CODE);
    }

    static final byte VALUE = 0, DELTA = 1, ESTIMATE = 2;

    /** One version: written by incarnation {@code incarnation}; {@code kind} is VALUE, DELTA or ESTIMATE. */
    record Cell(int incarnation, byte kind, Object value) {}

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
    private final ConcurrentHashMap<Loc, ConcurrentSkipListMap<Integer, Cell>> data = new ConcurrentHashMap<>();
    /** Every slot of an account that any incarnation in this block wrote (grows only). */
    private final ConcurrentHashMap<Address, Set<UInt256>> writtenSlots = new ConcurrentHashMap<>();
    /** Code deployed by any incarnation, by hash (content-addressed, so never stale). */
    private final ConcurrentHashMap<Hash, byte[]> codes = new ConcurrentHashMap<>();
    /** Per transaction: the locations its last incarnation wrote (read and replaced only by the executing worker). */
    private final Set<Loc>[] lastWritten;

    @SuppressWarnings("unchecked")
    MvMemory(StateReader base, int txs) {
        this.base = base;
        this.lastWritten = new Set[txs];
    }

    StateReader base() {
        return base;
    }

    // ---- reads ----

    private Map.Entry<Integer, Cell> below(Loc loc, int tx) {
        ConcurrentSkipListMap<Integer, Cell> versions = data.get(loc);
        if (versions == null) return null;
        Map.Entry<Integer, Cell> e = versions.lowerEntry(tx);
        if (e != null && e.getValue().kind == ESTIMATE) throw new Blocked(e.getKey());
        return e;
    }

    Meta account(Address a, int tx) {
        Map.Entry<Integer, Cell> e = below(new Loc(ACCOUNT, a, null), tx);
        if (e != null) return (Meta) e.getValue().value;
        AccountInfo i = base.account(a);
        return i == null ? Meta.ABSENT : new Meta(true, i.nonce(), i.codeHash());
    }

    /** The balance: the nearest value below {@code tx} (or the pre-state's) plus every delta above it. */
    UInt256 balance(Address a, int tx, List<Integer> sources) {
        UInt256 sum = UInt256.ZERO;
        ConcurrentSkipListMap<Integer, Cell> versions = data.get(new Loc(BALANCE, a, null));
        Integer at = tx;
        while (versions != null) {
            Map.Entry<Integer, Cell> e = versions.lowerEntry(at);
            if (e == null) break;
            Cell c = e.getValue();
            if (c.kind == ESTIMATE) throw new Blocked(e.getKey());
            if (sources != null) sources.add(e.getKey());
            if (c.kind == VALUE) return ((UInt256) c.value).add(sum);
            sum = sum.add((UInt256) c.value);
            at = e.getKey();
        }
        return base.balance(a).add(sum);
    }

    UInt256 storage(Address a, UInt256 key, int tx, List<Integer> sources) {
        Map.Entry<Integer, Cell> s = below(new Loc(STORAGE, a, key), tx);
        Map.Entry<Integer, Cell> w = below(new Loc(EPOCH, a, null), tx);
        if (s != null && (w == null || s.getKey() >= w.getKey())) {
            if (sources != null) sources.add(s.getKey());
            return (UInt256) s.getValue().value;
        }
        if (w != null) {
            if (sources != null) sources.add(w.getKey());
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
        Map.Entry<Integer, Cell> e = below(new Loc(ACCOUNT, a, null), tx);
        if (e != null) sources.add(e.getKey());
    }

    /** The transactions {@code hasStorage} depends on: every writer of a slot of the account, and the last wipe. */
    void hasStorageSources(Address a, int tx, List<Integer> sources) {
        for (UInt256 k : writtenSlots.getOrDefault(a, Set.of())) storage(a, k, tx, sources);
        Map.Entry<Integer, Cell> w = below(new Loc(EPOCH, a, null), tx);
        if (w != null) sources.add(w.getKey());
    }

    byte[] code(Hash h) {
        byte[] c = codes.get(h);
        return c != null ? c : base.code(h);
    }

    // ---- writes ----

    /**
     * Records the write set of incarnation {@code incarnation} of {@code tx}, derived from the transaction's
     * {@link AccountChange}s and what it read ({@code metaRead}, {@code balanceRead}: an unchanged header or
     * balance is not written, so that reading an account does not make later readers depend on it).
     * Returns whether it wrote a location that the previous incarnation did not (the paper's
     * {@code wrote_new_location}), after removing the previous incarnation's writes that were not repeated.
     */
    boolean record(int tx, int incarnation, List<AccountChange> changes, Map<Address, Meta> metaRead,
                   Map<Address, UInt256> balanceRead) {
        HashMap<Loc, Cell> writes = new HashMap<>();
        if (changes != null) {
            for (AccountChange c : changes) {
                Address a = c.address();
                if (c.code() != null && c.code().length > 0) codes.putIfAbsent(c.info().codeHash(), c.code());
                if (c.deleted()) {
                    writes.put(new Loc(ACCOUNT, a, null), new Cell(incarnation, VALUE, Meta.ABSENT));
                    writes.put(new Loc(BALANCE, a, null), new Cell(incarnation, VALUE, UInt256.ZERO));
                    writes.put(new Loc(EPOCH, a, null), new Cell(incarnation, VALUE, WIPED));
                    continue;
                }
                if (c.storageReset()) writes.put(new Loc(EPOCH, a, null), new Cell(incarnation, VALUE, WIPED));
                Meta before = metaRead.get(a);
                Meta after = new Meta(true, c.info().nonce(), c.info().codeHash());
                if (!after.equals(before)) writes.put(new Loc(ACCOUNT, a, null), new Cell(incarnation, VALUE, after));
                if (c.balanceDelta() != null) {
                    if (!c.balanceDelta().isZero()) writes.put(new Loc(BALANCE, a, null), new Cell(incarnation, DELTA, c.balanceDelta()));
                } else {
                    UInt256 was = balanceRead.get(a);
                    if (was == null && before != null && !before.exists()) was = UInt256.ZERO;
                    if (!c.info().balance().equals(was)) {
                        writes.put(new Loc(BALANCE, a, null), new Cell(incarnation, VALUE, c.info().balance()));
                    }
                }
                if (!c.storage().isEmpty()) {
                    Set<UInt256> slots = writtenSlots.computeIfAbsent(a, k -> ConcurrentHashMap.newKeySet());
                    for (Map.Entry<UInt256, UInt256> s : c.storage().entrySet()) {
                        slots.add(s.getKey());
                        writes.put(new Loc(STORAGE, a, s.getKey()), new Cell(incarnation, VALUE, s.getValue()));
                    }
                }
            }
        }
        Integer key = tx;
        for (Map.Entry<Loc, Cell> w : writes.entrySet()) {
            data.computeIfAbsent(w.getKey(), k -> new ConcurrentSkipListMap<>()).put(key, w.getValue());
        }
        Set<Loc> previous = lastWritten[tx];
        boolean wroteNew = false;
        if (previous != null) {
            for (Loc l : previous) {
                if (!writes.containsKey(l)) data.get(l).remove(key);
            }
            for (Loc l : writes.keySet()) {
                if (!previous.contains(l)) {
                    wroteNew = true;
                    break;
                }
            }
        } else {
            wroteNew = !writes.isEmpty();
        }
        lastWritten[tx] = writes.keySet();
        return wroteNew;
    }

    /** Marks every write of {@code tx}'s last incarnation as an ESTIMATE (its incarnation was aborted). */
    void convertWritesToEstimates(int tx) {
        Set<Loc> written = lastWritten[tx];
        if (written == null) return;
        Integer key = tx;
        for (Loc l : written) {
            ConcurrentSkipListMap<Integer, Cell> versions = data.get(l);
            Cell c = versions.get(key);
            versions.put(key, new Cell(c.incarnation, ESTIMATE, c.value));
        }
    }

    /** The locations {@code tx}'s last incarnation wrote (for contention reports). */
    Set<Loc> written(int tx) {
        Set<Loc> s = lastWritten[tx];
        return s == null ? Set.of() : s;
    }

    static List<Integer> newSources() {
        return new ArrayList<>(2);
    }
}
