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
 * <p>Locations (one {@link Versions} list each, grouped per account in {@link AccountVersions}) are an account's header (existence, nonce, code hash), its balance, one storage
 * slot, and its storage "epoch" (a marker written when a transaction wipes the account's storage by
 * creating or deleting it: a slot written before the latest wipe reads as zero). A balance cell may hold a
 * <em>delta</em> instead of a value: a transaction that only added to an account it never read (the
 * coinbase fee, value sent to a recipient) records the amount, and a reader sums the deltas down to the
 * nearest value. So transactions paying one account do not depend on each other; one that reads the
 * balance depends on all of them.
 *
 * <p>Cells are immutable; a location's versions live in a {@link Versions} list that readers search without
 * locking (see there), so a reader sees a cell either before or after a replacement, never a torn one. An {@link #ESTIMATE} cell marks the write of an aborted incarnation
 * that will probably be written again: a reader that meets one stops and waits for that transaction
 * ({@link Blocked}).
 *
 * <p>Validation is by value: a read is still valid when resolving it again yields an equal value. The
 * incarnation that made a read saw exactly the inputs it would see now, so its output is what a
 * re-execution would produce.
 */
final class MvMemory {
    /** An account's header as versioned here; {@link #ABSENT} for a non-existent account. */
    record Meta(boolean exists, long nonce, Hash codeHash) {
        static final Meta ABSENT = new Meta(false, 0, Hash.EMPTY_CODE);
    }

    static final byte VALUE = 0, DELTA = 1, ESTIMATE = 2;

    /** One version: written by incarnation {@code incarnation} of {@code tx}; {@code kind} is VALUE, DELTA or ESTIMATE. */
    record Cell(int tx, int incarnation, byte kind, Object value) {}

    /**
     * A storage slot's DELTA: the transaction only added {@code amount} to the slot ({@code AccountChange.storageAdded}).
     * {@code total} is the slot's exact value after the transaction, set by the committer when the transaction is
     * committed (and never changed after: a committed transaction is final), so that a reader summing deltas downward
     * stops at the highest committed one instead of walking to the block's start.
     */
    static final class SlotDelta {
        /** The amount's limbs, least significant first: a reader summing a run of deltas touches only this object. */
        final long a0, a1, a2, a3;
        volatile UInt256 total;

        SlotDelta(UInt256 amount) {
            this.a0 = amount.u0();
            this.a1 = amount.u1();
            this.a2 = amount.u2();
            this.a3 = amount.u3();
        }

        UInt256 amount() {
            return new UInt256(a0, a1, a2, a3);
        }

        @Override public String toString() {
            return "+" + amount() + (total != null ? " = " + total : "");
        }
    }

    /**
     * One location's versions, sorted by transaction index. Two representations:
     *
     * <p><b>Small</b> (the common case: most locations are written by a few transactions): readers never lock;
     * they read the current {@link View} (a volatile read) and binary-search it; a view's entries below its
     * size never change. Writers serialize on the monitor: an append within capacity stores the entry past the
     * end and then publishes a new view one longer (the volatile write orders the stores before any reader's
     * use); every other change (a replacement, an ESTIMATE mark, an insert out of order, a removal) copies the
     * arrays into a new view.
     *
     * <p><b>Dense</b> (a hot location: past {@link #SMALL} versions, e.g. the coinbase balance that every
     * transaction adds its fee to): one slot per transaction of the block and a bitmap of the occupied slots,
     * no lock at all. Slot {@code tx} has one writer at a time (the worker executing {@code tx}, or the
     * validator that aborted it, which marks the ESTIMATE before the next incarnation can start: the scheduler
     * orders the two), so a write is a release store of the cell followed by a release OR of its bit; a reader
     * scans the bitmap downward (acquire loads, 64 transactions per word) and loads the cell with acquire, so it
     * sees every cell whose bit it saw. A removal clears the cell and then its bit; a reader that finds a set bit
     * over an empty slot treats the slot as empty (it raced with a removal, and either order is a state that
     * existed during its read). Copying a long array on every out-of-order insert would make a hot location
     * quadratic; a skip list allocates a node and boxes a key per write.
     *
     * <p>The switch is made once, under the monitor, and published through the volatile {@code dense} field:
     * a reader that saw {@code dense == null} and then reads the last view sees the state at the switch.
     */
    static final class Versions {
        private volatile View view = View.EMPTY;
        private volatile Dense dense;
        static final int SMALL = 32;
        /** Versions kept small before the switch; {@link #SMALL}, lowered by tests to put every list through it. */
        static int denseAfter = SMALL;
        /** Blocks larger than this keep hot locations in a skip list: a slot per transaction would cost too much memory. */
        static final int DENSE_MAX_TXS = 1 << 17;
        private volatile java.util.concurrent.ConcurrentSkipListMap<Integer, Cell> big;
        private final int txs;
        /**
         * The location's value before the block (a storage slot's, or an account's balance), for readers that sum DELTAs
         * down to the block's start: set once (compare-and-set from null) by the first such reader or by the committer
         * before it applies the first committed change to the location; from then on the base state may hold committed
         * changes, which the deltas here already count. A reader installs the value it read before its compare-and-set,
         * the committer before it changes the base, so whichever wins, the installed value was read before any committed
         * change to the location.
         */
        volatile UInt256 pre;
        private static final java.lang.invoke.VarHandle PRE;
        static {
            try {
                PRE = java.lang.invoke.MethodHandles.lookup().findVarHandle(Versions.class, "pre", UInt256.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        /** A storage slot's pre-block value: installed from {@code base} if nobody has (see {@link #pre}). */
        UInt256 preStorage(StateReader base, Address a, UInt256 key) {
            UInt256 p = pre;
            return p != null ? p : installPre(base.storage(a, key));
        }

        /** A balance's pre-block value: installed from {@code base} if nobody has (see {@link #pre}). */
        UInt256 preBalance(StateReader base, Address a) {
            UInt256 p = pre;
            return p != null ? p : installPre(base.balance(a));
        }

        private UInt256 installPre(UInt256 read) {
            return PRE.compareAndSet(this, (UInt256) null, read) ? read : pre;
        }

        Versions(int txs) {
            this.txs = txs;
        }

        /**
         * A list that starts with {@code first} in it (a location's first write in the block): no monitor and no copy.
         * It must be published safely (a volatile write, a compare-and-set, a concurrent map), as every creator here does.
         */
        Versions(int txs, Cell first) {
            this.txs = txs;
            int[] t = new int[2];
            Cell[] c = new Cell[2];
            t[0] = first.tx;
            c[0] = first;
            this.view = new View(t, c, 1);
        }

        private record View(int[] txs, Cell[] cells, int size) {
            static final View EMPTY = new View(new int[0], new Cell[0], 0);

            /** Index of the highest entry with tx < {@code tx}, or -1. */
            int below(int tx) {
                int lo = 0, hi = size - 1;
                while (lo <= hi) {
                    int mid = (lo + hi) >>> 1;
                    if (txs[mid] < tx) lo = mid + 1;
                    else hi = mid - 1;
                }
                return hi;
            }
        }

        /** The dense representation: {@code cells[tx]} and bit {@code tx} of {@code bits}. */
        private static final class Dense {
            private static final java.lang.invoke.VarHandle CELLS =
                    java.lang.invoke.MethodHandles.arrayElementVarHandle(Cell[].class);
            private static final java.lang.invoke.VarHandle BITS =
                    java.lang.invoke.MethodHandles.arrayElementVarHandle(long[].class);
            final Cell[] cells;
            final long[] bits;

            Dense(int txs) {
                cells = new Cell[txs];
                bits = new long[(txs + 63) >>> 6];
            }

            void put(Cell c) {
                CELLS.setRelease(cells, c.tx, c);
                BITS.getAndBitwiseOrRelease(bits, c.tx >>> 6, 1L << c.tx);
            }

            void remove(int tx) {
                CELLS.setRelease(cells, tx, (Cell) null);
                BITS.getAndBitwiseAndRelease(bits, tx >>> 6, ~(1L << tx));
            }

            Cell get(int tx) {
                return (Cell) CELLS.getAcquire(cells, tx);
            }

            /** The index of the highest occupied slot below {@code tx} with a cell, or -1. */
            int below(int tx) {
                int i = tx - 1;
                while (i >= 0) {
                    int w = i >>> 6;
                    long word = (long) BITS.getAcquire(bits, w) & (-1L >>> (63 - (i & 63)));
                    while (word != 0) {
                        int b = 63 - Long.numberOfLeadingZeros(word);
                        int at = (w << 6) + b;
                        if (CELLS.getAcquire(cells, at) != null) return at;
                        word &= ~(1L << b);
                    }
                    i = (w << 6) - 1;
                }
                return -1;
            }
        }

        Cell cellBelow(int tx) {
            Dense d = dense;
            if (d != null) {
                // A removal between below() and get() leaves null: look again below that slot.
                for (int at = d.below(tx); at >= 0; at = d.below(at)) {
                    Cell c = d.get(at);
                    if (c != null) return c;
                }
                return null;
            }
            java.util.concurrent.ConcurrentSkipListMap<Integer, Cell> b = big;
            if (b != null) {
                Map.Entry<Integer, Cell> e = b.lowerEntry(tx);
                return e == null ? null : e.getValue();
            }
            View v = view;
            int i = v.below(tx);
            return i < 0 ? null : v.cells[i];
        }

        void put(Cell c) {
            Dense d = dense;
            if (d != null) {
                d.put(c);
                return;
            }
            synchronized (this) {
                d = dense;
                if (d != null) {
                    d.put(c);
                    return;
                }
                putSmall(c);
            }
        }

        private void putSmall(Cell c) {
            if (big != null) {
                big.put(c.tx, c);
                return;
            }
            View v = view;
            if (v.size >= denseAfter) {
                if (txs <= DENSE_MAX_TXS) {
                    Dense d = new Dense(txs);
                    for (int k = 0; k < v.size; k++) d.put(v.cells[k]);
                    d.put(c);
                    dense = d;
                } else {
                    java.util.concurrent.ConcurrentSkipListMap<Integer, Cell> m = new java.util.concurrent.ConcurrentSkipListMap<>();
                    for (int k = 0; k < v.size; k++) m.put(v.txs[k], v.cells[k]);
                    m.put(c.tx, c);
                    big = m;
                }
                return;
            }
            int i = v.below(c.tx) + 1;
            if (i == v.size && v.size < v.txs.length) {
                v.txs[i] = c.tx;
                v.cells[i] = c;
                view = new View(v.txs, v.cells, v.size + 1);
                return;
            }
            boolean replace = i < v.size && v.txs[i] == c.tx;
            int n = replace ? v.size : v.size + 1;
            int cap = Math.max(4, n > v.txs.length ? v.txs.length * 2 : v.txs.length);
            int[] txs = new int[cap];
            Cell[] cells = new Cell[cap];
            System.arraycopy(v.txs, 0, txs, 0, i);
            System.arraycopy(v.cells, 0, cells, 0, i);
            txs[i] = c.tx;
            cells[i] = c;
            int from = replace ? i + 1 : i;
            System.arraycopy(v.txs, from, txs, i + 1, v.size - from);
            System.arraycopy(v.cells, from, cells, i + 1, v.size - from);
            view = new View(txs, cells, n);
        }

        void remove(int tx) {
            Dense d = dense;
            if (d != null) {
                d.remove(tx);
                return;
            }
            synchronized (this) {
                d = dense;
                if (d != null) {
                    d.remove(tx);
                    return;
                }
                if (big != null) {
                    big.remove(tx);
                    return;
                }
                View v = view;
                int i = v.below(tx) + 1;
                if (i < v.size && v.txs[i] == tx) {
                    int[] txs = new int[v.txs.length];
                    Cell[] cells = new Cell[v.txs.length];
                    System.arraycopy(v.txs, 0, txs, 0, i);
                    System.arraycopy(v.cells, 0, cells, 0, i);
                    System.arraycopy(v.txs, i + 1, txs, i, v.size - i - 1);
                    System.arraycopy(v.cells, i + 1, cells, i, v.size - i - 1);
                    view = new View(txs, cells, v.size - 1);
                }
            }
        }

        /**
         * Replaces {@code tx}'s own cell, if any, by an ESTIMATE of it, through {@link #put} (whatever the form).
         * Only the validator that aborted {@code tx} writes its cell now, so the cell read here is still current.
         */
        void markEstimate(int tx) {
            Cell c = cellBelow(tx + 1);
            if (c != null && c.tx == tx) put(new Cell(tx, c.incarnation, ESTIMATE, c.value));
        }

        /**
         * The nearest VALUE below {@code tx} plus the DELTAs above it: returns the value, or {@code null} with
         * the deltas' sum in {@code sum[0]} when there is no VALUE (the pre-state's balance is the base).
         */
        UInt256 resolve(int tx, UInt256[] sum, java.util.function.IntConsumer sources) {
            UInt256 acc = UInt256.ZERO;
            // Downward one version at a time, in any form; a version replaced meanwhile is seen before or after
            // the change, as any read here may be (validation re-checks the value).
            for (Cell c = cellBelow(tx); c != null; c = cellBelow(c.tx)) {
                if (c.kind == ESTIMATE) throw new Blocked(c.tx);
                if (sources != null) sources.accept(c.tx);
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

    /**
     * One account's locations: header, balance, storage epoch, and the slots written in this block. Each is
     * made on its first write (most accounts in a block have one or two written), published through a
     * volatile field; readers treat a missing list as "no version".
     */
    static final class AccountVersions {
        /** The block's transaction count (the size of a dense version list). */
        private final int txs;
        volatile Versions meta, balance, epoch;

        /** The initial capacity of {@link #slots}: the number of slots the account had written in a recent block. */
        private final int slotsHint;
        /** The account, and the block's list of accounts with slots written, which this one joins on its first slot write. */
        private final Address address;
        private final java.util.Queue<AccountVersions> withSlots;

        AccountVersions(int txs, int slotsHint, Address address, java.util.Queue<AccountVersions> withSlots) {
            this.txs = txs;
            this.slotsHint = slotsHint;
            this.address = address;
            this.withSlots = withSlots;
        }

        volatile InsertOnlyMap<UInt256, Versions> slots;

        private static final java.lang.invoke.VarHandle META, BALANCE, EPOCH;
        static {
            try {
                java.lang.invoke.MethodHandles.Lookup l = java.lang.invoke.MethodHandles.lookup();
                META = l.findVarHandle(AccountVersions.class, "meta", Versions.class);
                BALANCE = l.findVarHandle(AccountVersions.class, "balance", Versions.class);
                EPOCH = l.findVarHandle(AccountVersions.class, "epoch", Versions.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        /**
         * Writes {@code c} into the location held in the field behind {@code h}: a first write installs a list made
         * with the cell in it (compare-and-set from null, which publishes it whole); a loser of that race, and every
         * later write, puts the cell into the installed list. Returns the list written.
         */
        private Versions write(java.lang.invoke.VarHandle h, Cell c) {
            Versions v = (Versions) h.getVolatile(this);
            if (v == null) {
                Versions made = new Versions(txs, c);
                v = (Versions) h.compareAndExchange(this, (Versions) null, made);
                if (v == null) return made;
            }
            v.put(c);
            return v;
        }

        Versions writeMeta(Cell c) {
            return write(META, c);
        }

        Versions writeBalance(Cell c) {
            return write(BALANCE, c);
        }

        Versions writeEpoch(Cell c) {
            return write(EPOCH, c);
        }

        Versions slotOrNull(UInt256 key) {
            InsertOnlyMap<UInt256, Versions> m = slots;
            return m == null ? null : m.get(key);
        }

        /** The slots written so far (a copy: slots written meanwhile may or may not be in it). */
        List<UInt256> slotKeys() {
            InsertOnlyMap<UInt256, Versions> m = slots;
            if (m == null) return List.of();
            ArrayList<UInt256> keys = new ArrayList<>();
            m.forEach((k, v) -> keys.add(k));
            return keys;
        }

        /** Writes {@code c} into slot {@code key}'s list (made with the cell in it on the slot's first write); returns the list. */
        Versions writeSlot(UInt256 key, Cell c) {
            InsertOnlyMap<UInt256, Versions> m = slots;
            if (m == null) {
                synchronized (this) {
                    m = slots;
                    if (m == null) {
                        slots = m = new InsertOnlyMap<>(slotsHint);
                        withSlots.add(this);
                    }
                }
            }
            Versions v = m.get(key);
            if (v == null) {
                Versions made = new Versions(txs, c);
                v = m.putIfAbsent(key, made);
                if (v == null) return made;
            }
            v.put(c);
            return v;
        }
    }

    /** Slot deltas recorded, all blocks together (for tests: that the differential test exercises them). */
    static final java.util.concurrent.atomic.LongAdder SLOT_DELTAS = new java.util.concurrent.atomic.LongAdder();

    private final StateReader base;
    /** The pre-state as executions read it (see the constructor); {@code base} itself unless reads are asynchronous. */
    final StateReader execBase;
    private final InsertOnlyMap<Address, AccountVersions> accounts;
    /** The accounts with at least one slot written in this block (each added once, when its slot map is made). */
    private final java.util.Queue<AccountVersions> withSlots = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** Code deployed by any incarnation, by hash (content-addressed, so never stale). */
    private final ConcurrentHashMap<Hash, byte[]> codes = new ConcurrentHashMap<>();
    /** Per transaction: the version lists its last incarnation wrote (read and replaced only by its executor). */
    private final Versions[][] lastWritten;
    private static final Versions[] NONE = new Versions[0];

    private final int txCount;

    /**
     * Accounts that had many slots written in a recent block, with that count (read-only here): their slot maps
     * start at that size instead of growing from 16 one doubling at a time (a token contract written by every
     * transaction of a block otherwise spends a few percent of Block-STM's time in map resizes).
     */
    private final Map<Address, Integer> slotHints;
    /** Slot maps at least this large are remembered by {@link #slotHints()}. */
    static final int HINT_MIN_SLOTS = 64;
    /** At most this many accounts are remembered. */
    static final int HINT_MAX_ACCOUNTS = 256;

    MvMemory(StateReader base, int txs, Map<Address, Integer> slotHints) {
        this(base, base, txs, slotHints);
    }

    /**
     * With {@code execBase} the pre-state as executions read it: the same state, but its reads may throw
     * {@link dev.lanes.state.WorldState.NotHeld} instead of waiting for a store ({@link MvReader} suspends the
     * transaction then). Validation, the committer and everything else read {@code base}, which waits.
     */
    MvMemory(StateReader base, StateReader execBase, int txs, Map<Address, Integer> slotHints) {
        this.base = base;
        this.execBase = execBase;
        this.txCount = txs;
        this.lastWritten = new Versions[txs][];
        this.accounts = new InsertOnlyMap<>(Math.max(16, txs * 4));
        this.slotHints = slotHints;
    }

    /**
     * The hints for the next block: this block's accounts with at least {@link #HINT_MIN_SLOTS} slots written (the
     * largest {@link #HINT_MAX_ACCOUNTS}). Call after the workers finished. A hint only sizes a map: no result
     * depends on it.
     */
    Map<Address, Integer> slotHints() {
        java.util.HashMap<Address, Integer> found = new java.util.HashMap<>();
        // Only the accounts with slots written: scanning the whole account map cost about 2% of a block of 2,000
        // ERC-20 transfers on one worker (its table holds twice the accounts of the block, and is cold by now).
        for (AccountVersions av : withSlots) {
            InsertOnlyMap<UInt256, Versions> m = av.slots;
            long size = m.size();
            if (size >= HINT_MIN_SLOTS) found.put(av.address, (int) Math.min(size, 1 << 20));
        }
        java.util.HashMap<Address, Integer> out = found;
        if (out.size() > HINT_MAX_ACCOUNTS) {
            java.util.List<Map.Entry<Address, Integer>> all = new java.util.ArrayList<>(out.entrySet());
            all.sort(Map.Entry.<Address, Integer>comparingByValue().reversed());
            out = new java.util.HashMap<>();
            for (Map.Entry<Address, Integer> e : all.subList(0, HINT_MAX_ACCOUNTS)) out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    StateReader base() {
        return base;
    }

    private AccountVersions versions(Address a) {
        AccountVersions v = accounts.get(a);
        if (v != null) return v;
        Integer hint = slotHints.isEmpty() ? null : slotHints.get(a);
        AccountVersions made = new AccountVersions(txCount, hint == null ? 16 : hint, a, withSlots);
        v = accounts.putIfAbsent(a, made);
        return v != null ? v : made;
    }

    // ---- reads ----

    private static Cell below(Versions versions, int tx) {
        if (versions == null) return null;
        Cell c = versions.cellBelow(tx);
        if (c != null && c.kind == ESTIMATE) throw new Blocked(c.tx);
        return c;
    }

    Meta account(Address a, int tx) {
        return account(a, tx, null);
    }

    Meta account(Address a, int tx, java.util.function.IntConsumer sources) {
        return account(base, a, tx, sources);
    }

    /** As {@link #account(Address, int, java.util.function.IntConsumer)}, reading the pre-state through {@code pre}. */
    Meta account(StateReader pre, Address a, int tx, java.util.function.IntConsumer sources) {
        AccountVersions av = accounts.get(a);
        Cell c = av == null ? null : below(av.meta, tx);
        if (c != null) {
            if (sources != null) sources.accept(c.tx);
            return (Meta) c.value;
        }
        AccountInfo i = pre.account(a);
        return i == null ? Meta.ABSENT : new Meta(true, i.nonce(), i.codeHash());
    }

    /** The balance: the nearest value below {@code tx} (or the pre-state's) plus every delta above it. */
    UInt256 balance(Address a, int tx, java.util.function.IntConsumer sources) {
        return balance(base, a, tx, sources);
    }

    /** As {@link #balance(Address, int, java.util.function.IntConsumer)}, reading the pre-state through {@code pre}. */
    UInt256 balance(StateReader pre, Address a, int tx, java.util.function.IntConsumer sources) {
        AccountVersions av = accounts.get(a);
        if (av == null) return pre.balance(a);
        UInt256[] sum = new UInt256[1];
        Versions bv = av.balance;
        if (bv == null) return pre.balance(a);
        UInt256 v = bv.resolve(tx, sum, sources);
        return v != null ? v : bv.preBalance(pre, a).add(sum[0]);
    }

    /**
     * Before the committer applies a committed transaction's writes to the base state: fixes the pre-block balance
     * of each account it changes that has balance versions here (readers sum deltas onto it, and the base is about
     * to count this transaction's change).
     */
    void beforeApply(int tx, List<AccountChange> changes) {
        for (int i = 0, n = changes.size(); i < n; i++) {
            AccountChange c = changes.get(i);
            Address a = c.address();
            AccountVersions av = accounts.get(a);
            if (av != null && av.balance != null) av.balance.preBalance(base, a);
            Map<UInt256, UInt256> added = c.storageAdded();
            if (av != null && added != null) {
                for (Map.Entry<UInt256, UInt256> e : added.entrySet()) {
                    Versions sv = av.slotOrNull(e.getKey());
                    if (sv == null) continue;
                    // The pre-block value first (the base is about to count this delta), then the exact total, which
                    // readers summing down stop at: the base holds every lower transaction's writes now.
                    sv.preStorage(base, a, e.getKey());
                    Cell own = sv.cellBelow(tx + 1);
                    if (own != null && own.tx == tx && own.value instanceof SlotDelta d) {
                        d.total = base.storage(a, e.getKey()).add(d.amount());
                    }
                }
            }
        }
    }

    UInt256 storage(Address a, UInt256 key, int tx, java.util.function.IntConsumer sources) {
        return storage(base, a, key, tx, sources);
    }

    /** As {@link #storage(Address, UInt256, int, java.util.function.IntConsumer)}, reading the pre-state through {@code pre}. */
    UInt256 storage(StateReader pre, Address a, UInt256 key, int tx, java.util.function.IntConsumer sources) {
        AccountVersions av = accounts.get(a);
        if (av == null) return pre.storage(a, key);
        Versions sv = av.slotOrNull(key);
        Cell s = below(sv, tx);
        Cell w = below(av.epoch, tx);
        if (s != null && (w == null || s.tx >= w.tx)) {
            if (sources != null) sources.accept(s.tx);
            if (s.kind == VALUE) return (UInt256) s.value;
            return sumDeltas(pre, a, key, sv, s, w, sources);
        }
        if (w != null) {
            if (sources != null) sources.accept(w.tx);
            return UInt256.ZERO;
        }
        return pre.storage(a, key);
    }

    /**
     * A slot whose highest version below the reader is the DELTA {@code c}: the deltas summed downward onto the
     * nearest committed total, VALUE, the latest wipe ({@code w}: zero) or the pre-block value.
     */
    private static UInt256 sumDeltas(StateReader pre, Address a, UInt256 key, Versions sv, Cell c, Cell w,
                                     java.util.function.IntConsumer sources) {
        // The sum in four limbs (mod 2^256), so that a long run of deltas allocates nothing.
        long s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        while (true) {
            SlotDelta d = (SlotDelta) c.value;
            UInt256 total = d.total;
            if (total != null) return total.add(new UInt256(s0, s1, s2, s3));
            long r0 = s0 + d.a0;
            long c0 = Long.compareUnsigned(r0, s0) < 0 ? 1 : 0;
            long r1 = s1 + d.a1 + c0;
            long c1 = (c0 == 0 ? Long.compareUnsigned(r1, s1) < 0 : Long.compareUnsigned(r1, s1) <= 0) ? 1 : 0;
            long r2 = s2 + d.a2 + c1;
            long c2 = (c1 == 0 ? Long.compareUnsigned(r2, s2) < 0 : Long.compareUnsigned(r2, s2) <= 0) ? 1 : 0;
            s3 = s3 + d.a3 + c2;
            s0 = r0;
            s1 = r1;
            s2 = r2;
            c = sv.cellBelow(c.tx);
            if (c == null || (w != null && c.tx < w.tx)) break;
            if (c.kind == ESTIMATE) throw new Blocked(c.tx);
            if (sources != null) sources.accept(c.tx);
            if (c.kind == VALUE) return ((UInt256) c.value).add(new UInt256(s0, s1, s2, s3));
        }
        UInt256 acc = new UInt256(s0, s1, s2, s3);
        return w != null ? acc : sv.preStorage(pre, a, key).add(acc);
    }

    /**
     * Whether no version (not even an ESTIMATE) lies below {@code tx} for this read: the account's header,
     * balance, or the slot together with the account's storage epoch.
     */
    boolean noVersionBelow(byte readKind, Address a, UInt256 key, int tx) {
        AccountVersions av = accounts.get(a);
        if (av == null) return true;
        return switch (readKind) {
            case MvReader.R_ACCOUNT -> none(av.meta, tx);
            case MvReader.R_BALANCE -> none(av.balance, tx);
            default -> none(av.slotOrNull(key), tx) && none(av.epoch, tx);
        };
    }

    private static boolean none(Versions v, int tx) {
        return v == null || v.cellBelow(tx) == null;
    }

    /** Whether the account's storage holds a non-zero slot before {@code tx} (EIP-7610's collision rule). */
    boolean hasStorage(Address a, int tx) {
        AccountVersions av = accounts.get(a);
        if (av == null) return base.hasStorage(a);
        for (UInt256 k : av.slotKeys()) {
            if (!storage(a, k, tx, null).isZero()) return true;
        }
        if (below(av.epoch, tx) != null) return false;
        if (!base.hasStorage(a)) return false;
        for (UInt256 k : av.slotKeys()) {
            // A pre-state slot was cleared: whether any other remains is not known without listing them all.
            if (!base.storage(a, k).isZero()) throw new Unsupported("storage emptiness of " + a + " after slots were cleared");
        }
        return true;
    }

    /** The transactions {@code hasStorage} depends on: every writer of a slot of the account, and the last wipe. */
    void hasStorageSources(Address a, int tx, java.util.function.IntConsumer sources) {
        AccountVersions av = accounts.get(a);
        if (av == null) return;
        for (UInt256 k : av.slotKeys()) storage(a, k, tx, sources);
        Cell w = below(av.epoch, tx);
        if (w != null) sources.accept(w.tx);
    }

    byte[] code(Hash h) {
        return code(base, h);
    }

    byte[] code(StateReader pre, Hash h) {
        byte[] c = codes.get(h);
        return c != null ? c : pre.code(h);
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
        int most = 0;
        if (changes != null) for (int i = 0, n = changes.size(); i < n; i++) {
            Map<UInt256, UInt256> st = changes.get(i).storage();
            most += 3 + (st == null ? 0 : st.size());
        }
        Versions[] written = most == 0 ? NONE : new Versions[most];
        int count = 0;
        if (changes != null) {
            for (AccountChange c : changes) {
                Address a = c.address();
                AccountVersions av = versions(a);
                if (c.code() != null && c.code().length > 0) codes.putIfAbsent(c.info().codeHash(), c.code());
                if (c.deleted()) {
                    written[count++] = av.writeMeta(new Cell(tx, incarnation, VALUE, Meta.ABSENT));
                    written[count++] = av.writeBalance(new Cell(tx, incarnation, VALUE, UInt256.ZERO));
                    written[count++] = av.writeEpoch(new Cell(tx, incarnation, VALUE, WIPED));
                    continue;
                }
                if (c.storageReset()) written[count++] = av.writeEpoch(new Cell(tx, incarnation, VALUE, WIPED));
                Meta before = (Meta) readValue(reads, MvReader.R_ACCOUNT, a);
                // Unchanged (the common case for every account but the sender): nothing written, nothing allocated.
                if (before == null || !before.exists() || before.nonce() != c.info().nonce() || !java.util.Objects.equals(before.codeHash(), c.info().codeHash())) {
                    Meta after = new Meta(true, c.info().nonce(), c.info().codeHash());
                    written[count++] = av.writeMeta(new Cell(tx, incarnation, VALUE, after));
                }
                if (c.balanceDelta() != null) {
                    if (!c.balanceDelta().isZero()) written[count++] = av.writeBalance(new Cell(tx, incarnation, DELTA, c.balanceDelta()));
                } else {
                    UInt256 was = (UInt256) readValue(reads, MvReader.R_BALANCE, a);
                    if (was == null && before != null && !before.exists()) was = UInt256.ZERO;
                    if (!c.info().balance().equals(was)) written[count++] = av.writeBalance(new Cell(tx, incarnation, VALUE, c.info().balance()));
                }
                Map<UInt256, UInt256> added = c.storageAdded();
                for (Map.Entry<UInt256, UInt256> s : c.storage().entrySet()) {
                    UInt256 d = added == null ? null : added.get(s.getKey());
                    if (d != null) SLOT_DELTAS.increment();
                    written[count++] = av.writeSlot(s.getKey(), d != null ? new Cell(tx, incarnation, DELTA, new SlotDelta(d))
                            : new Cell(tx, incarnation, VALUE, s.getValue()));
                }
            }
        }
        Versions[] now = count == written.length ? written : count == 0 ? NONE : java.util.Arrays.copyOf(written, count);
        Versions[] previous = lastWritten[tx];
        boolean wroteNew;
        if (previous != null && previous.length > 0) {
            java.util.Set<Versions> nowSet = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            java.util.Collections.addAll(nowSet, now);
            for (Versions v : previous) {
                if (!nowSet.contains(v)) v.remove(tx);
            }
            java.util.Set<Versions> before = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            java.util.Collections.addAll(before, previous);
            wroteNew = !before.containsAll(nowSet);
        } else {
            wroteNew = now.length > 0;
        }
        lastWritten[tx] = now;
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
        Versions[] written = lastWritten[tx];
        if (written == null) return;
        for (Versions v : written) v.markEstimate(tx);
    }
}
