package dev.lanes.evm;

import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Keccak;
import dev.lanes.primitives.UInt256;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link Host} for one transaction: reads fall through to a {@link StateReader} once per account or
 * slot and are cached; every change is applied in place and recorded as an undo entry, so reverting a
 * call frame is replaying entries backwards to a checkpoint (the entry list's length). At the end,
 * {@link #changes()} yields the transaction's write set.
 *
 * <p>Balances may be read lazily: when the reader's {@link StateReader#account} leaves an existing account's
 * balance {@code null} (the parallel executor's reader does), additions to that account are accumulated
 * without reading it (the coinbase fee, value sent to it), and the balance is read only when something
 * needs its value (a BALANCE, a debit, an emptiness check). An account whose balance was never read
 * yields a write set with a {@link AccountChange#balanceDelta() balance delta} instead of a balance, so
 * that transactions paying the same account do not depend on each other.
 */
public final class Journal implements Host {
    private static final Address RIPEMD = Address.ofLow(3);

    private final StateReader reader;
    /** EIP-161 (Spurious Dragon): touched empty accounts are deleted at the end of the transaction. */
    private final boolean deleteTouchedEmpty;
    /** EIP-6780 (Cancun): SELFDESTRUCT only deletes accounts created in the same transaction. */
    private final boolean selfDestructOnlyIfCreated;

    private final HashMap<Address, Acct> accounts = new HashMap<>();
    private final HashMap<SlotKey, UInt256> transientStorage = new HashMap<>();
    private final java.util.HashSet<Address> warmAccounts = new java.util.HashSet<>();
    private final java.util.HashSet<SlotKey> warmSlots = new java.util.HashSet<>();
    /** Presized: a token transfer makes about twenty entries, and each growth of the list copies it. */
    private final ArrayList<Entry> entries = new ArrayList<>(32);
    private final ArrayList<Log> logs = new ArrayList<>();
    private long refund;

    /** Slots only added to are written as deltas ({@link StateReader#storageDeltas()}). */
    private final boolean storageDeltas;

    public Journal(StateReader reader, ForkRules rules) {
        this.reader = reader;
        this.storageDeltas = reader.storageDeltas();
        this.deleteTouchedEmpty = rules.eip161;
        this.selfDestructOnlyIfCreated = rules.eip6780;
    }

    static final class Acct {
        final Address address;
        final AccountInfo original;
        boolean exists;
        long nonce;
        UInt256 balance;
        Hash codeHash;
        /** False while the balance has not been read (lazy): {@code balance} is then meaningless. */
        boolean balanceKnown;
        /** The balance the reader gave, once read. */
        UInt256 readBalance;
        /** Sum added while the balance was unknown; once known, {@code balance} includes it. */
        UInt256 lazyAdded = UInt256.ZERO;
        Code code;
        boolean codeChanged;
        boolean created;
        boolean destructed;
        boolean touched;
        /** The slots used, made on the first one ({@link #slots()}): most accounts a transaction touches have none. */
        HashMap<Word, Slot> storage;

        HashMap<Word, Slot> slots() {
            HashMap<Word, Slot> m = storage;
            if (m == null) storage = m = new HashMap<>();
            return m;
        }

        Acct(Address address, AccountInfo info) {
            this.address = address;
            this.original = info;
            if (info != null) {
                exists = true;
                nonce = info.nonce();
                balance = info.balance();
                readBalance = balance;
                balanceKnown = balance != null;
                codeHash = info.codeHash();
            } else {
                balance = UInt256.ZERO;
                readBalance = UInt256.ZERO;
                balanceKnown = true;
                codeHash = Hash.EMPTY_CODE;
            }
        }
    }

    /** The account's balance, reading it now if it was left unread (lazy). */
    private UInt256 bal(Acct a) {
        if (!a.balanceKnown) {
            a.readBalance = reader.balance(a.address);
            a.balance = a.readBalance.add(a.lazyAdded);
            a.balanceKnown = true;
        }
        return a.balance;
    }

    private boolean isEmpty(Acct a) {
        if (a.nonce != 0 || !a.codeHash.equals(Hash.EMPTY_CODE)) return false;
        if (!a.balanceKnown && !a.lazyAdded.isZero()) return false; // something was added: not empty
        return bal(a).isZero();
    }

    /** A slot's use by the transaction so far: anything else than the two below ({@link Slot#add}). */
    static final byte USED = 0;
    /** Read for the first time by an SLOAD whose value only feeds an ADD stored back ({@link Host#sloadForAdd}). */
    static final byte LOADED_FOR_ADD = 1;
    /** ... and then written by that pair's SSTORE, and touched in no other way: the write is a delta. */
    static final byte ADDED = 2;

    static final class Slot {
        final UInt256 key;
        UInt256 original;
        UInt256 current;
        /** {@link #USED}, {@link #LOADED_FOR_ADD} or {@link #ADDED}. */
        byte add;

        Slot(UInt256 key) {
            this.key = key;
        }
    }

    /**
     * A storage key as its four limbs (least significant first), the key of an account's slot map. Equal only to
     * another {@code Word}. The journal looks slots up with one reused {@link #wordProbe}, so an SLOAD or SSTORE of a
     * slot the transaction already used allocates nothing; a stored key is a copy, never the probe.
     */
    static final class Word {
        long u0, u1, u2, u3;

        Word set(long a, long b, long c, long d) {
            u0 = a;
            u1 = b;
            u2 = c;
            u3 = d;
            return this;
        }

        Word copy() {
            return new Word().set(u0, u1, u2, u3);
        }

        @Override public int hashCode() {
            return mix(u0, u1, u2, u3);
        }

        @Override public boolean equals(Object o) {
            return o instanceof Word w && w.u0 == u0 && w.u1 == u1 && w.u2 == u2 && w.u3 == u3;
        }
    }

    /** An account and a storage key (warm slots, transient storage); probed the same way ({@link #slotProbe}). */
    static final class SlotKey {
        Address address;
        long u0, u1, u2, u3;

        SlotKey set(Address a, long k0, long k1, long k2, long k3) {
            address = a;
            u0 = k0;
            u1 = k1;
            u2 = k2;
            u3 = k3;
            return this;
        }

        SlotKey copy() {
            return new SlotKey().set(address, u0, u1, u2, u3);
        }

        @Override public int hashCode() {
            return address.hashCode() * 31 + mix(u0, u1, u2, u3);
        }

        @Override public boolean equals(Object o) {
            return o instanceof SlotKey k && k.u0 == u0 && k.u1 == u1 && k.u2 == u2 && k.u3 == u3 && k.address.equals(address);
        }
    }

    /** A 32-bit hash of a storage key's limbs (each limb multiplied by its own odd constant, folded). */
    private static int mix(long u0, long u1, long u2, long u3) {
        long h = u0 * 0x9E3779B97F4A7C15L ^ u1 * 0xC2B2AE3D27D4EB4FL ^ u2 * 0x165667B19E3779F9L ^ u3 * 0xD6E8FEB86659FD93L;
        return (int) (h ^ h >>> 32);
    }

    /** Reused lookup keys (a journal serves one transaction on one thread); never stored in a map. */
    private final Word wordProbe = new Word();
    private final SlotKey slotProbe = new SlotKey();

    /** Undo records, one kind per change. */
    private sealed interface Entry {}
    private record BalanceChange(Acct a, UInt256 old, boolean oldExists) implements Entry {}
    private record LazyAdd(Acct a, UInt256 oldAdded, boolean oldExists) implements Entry {}
    private record NonceChange(Acct a, long old, boolean oldExists) implements Entry {}
    private record CodeChange(Acct a, Hash oldHash, Code oldCode, boolean oldChanged) implements Entry {}
    private record StorageChange(Slot s, UInt256 old) implements Entry {}
    private record SlotWarmed(SlotKey key) implements Entry {}
    private record AccountWarmed(Address address) implements Entry {}
    private record Touched(Acct a, boolean oldExists) implements Entry {}
    private record Created(Acct a, boolean oldCreated, boolean oldExists, long oldNonce, HashMap<Word, Slot> oldStorage) implements Entry {}
    private record Destructed(Acct a, boolean old, UInt256 oldBalance) implements Entry {}
    private record RefundChange(long old) implements Entry {}
    private record TransientChange(SlotKey key, UInt256 old) implements Entry {}
    private record LogAdded() implements Entry {}

    private Acct acct(Address a) {
        Acct acct = accounts.get(a);
        if (acct == null) {
            acct = new Acct(a, reader.account(a));
            accounts.put(a, acct);
        }
        return acct;
    }

    private Slot slot(Acct acct, UInt256 key) {
        return slot(acct, key.u0(), key.u1(), key.u2(), key.u3(), key);
    }

    /** The slot with key {@code k0..k3} ({@code key}, when the caller has it as a {@link UInt256}, else null). */
    private Slot slot(Acct acct, long k0, long k1, long k2, long k3, UInt256 key) {
        return slot(acct, k0, k1, k2, k3, key, false);
    }

    /**
     * As above; {@code forAdd}: the first read of the slot is an SLOAD that only adds ({@link Host#sloadForAdd}), and
     * is marked {@link #LOADED_FOR_ADD} when it reads the reader. Any other first or later use marks it {@link #USED}.
     */
    private Slot slot(Acct acct, long k0, long k1, long k2, long k3, UInt256 key, boolean forAdd) {
        HashMap<Word, Slot> slots = acct.slots();
        Slot s = slots.get(wordProbe.set(k0, k1, k2, k3));
        if (s == null) {
            s = new Slot(key != null ? key : new UInt256(k0, k1, k2, k3));
            boolean read = !(acct.created || acct.original == null || !acct.original.hasStorage());
            UInt256 v = !read ? UInt256.ZERO
                    : forAdd ? reader.storageForAdd(acct.address, s.key) : reader.storage(acct.address, s.key);
            s.original = acct.created ? UInt256.ZERO : v;
            s.current = s.original;
            if (forAdd && read && !acct.created) s.add = LOADED_FOR_ADD;
            slots.put(wordProbe.copy(), s);
        } else if (s.add != USED) {
            s.add = USED;
        }
        return s;
    }

    // ---- reads ----

    @Override public boolean exists(Address a) { return acct(a).exists; }

    @Override public boolean isEmpty(Address a) {
        Acct acct = acct(a);
        return !acct.exists || isEmpty(acct);
    }

    @Override public UInt256 balance(Address a) { return bal(acct(a)); }

    @Override public long nonce(Address a) { return acct(a).nonce; }

    @Override public Code code(Address a) {
        Acct acct = acct(a);
        if (acct.code == null) {
            acct.code = acct.codeHash.equals(Hash.EMPTY_CODE) ? Code.EMPTY : Code.of(acct.codeHash, reader.code(acct.codeHash));
        }
        return acct.code;
    }

    @Override public Hash codeHash(Address a) {
        Acct acct = acct(a);
        return !acct.exists || isEmpty(acct) ? Hash.ZERO : acct.codeHash;
    }

    @Override public UInt256 sload(Address a, UInt256 key) { return slot(acct(a), key).current; }

    @Override public void sload(Address a, long[] s, int t) {
        UInt256 v = slot(acct(a), s[t], s[t + 1], s[t + 2], s[t + 3], null).current;
        s[t] = v.u0();
        s[t + 1] = v.u1();
        s[t + 2] = v.u2();
        s[t + 3] = v.u3();
    }

    @Override public boolean storageDeltas() { return storageDeltas; }

    /**
     * The slot the frame's pending {@link #sloadForAdd} read: an add pair's SSTORE counts only on it, in the same frame
     * activation (the analysis proves that what the first store after the load stores is that load's value plus an
     * amount, not always that the key is the same item). A second such load in the frame before a store clears it.
     */
    private Slot lastAdd;
    /** The frame activation that made it, and the SLOAD's pc. */
    private long lastAddFrame;
    private int lastAddPc;

    @Override public void sloadForAdd(Address a, long[] s, int t, long frame, int pc) {
        Slot sl = slot(acct(a), s[t], s[t + 1], s[t + 2], s[t + 3], null, storageDeltas);
        if (lastAdd != null && lastAddFrame == frame) {
            lastAdd = null; // two loads pending in one frame: neither store is taken for a pair (the slots stay read)
        } else {
            lastAdd = sl;
            lastAddFrame = frame;
            lastAddPc = pc;
        }
        UInt256 v = sl.current;
        s[t] = v.u0();
        s[t + 1] = v.u1();
        s[t + 2] = v.u2();
        s[t + 3] = v.u3();
    }

    @Override public UInt256 originalStorage(Address a, UInt256 key) { return slot(acct(a), key).original; }

    @Override public UInt256 tload(Address a, UInt256 key) {
        UInt256 v = transientStorage.get(slotProbe.set(a, key.u0(), key.u1(), key.u2(), key.u3()));
        return v == null ? UInt256.ZERO : v;
    }

    @Override public void tload(Address a, long[] s, int t) {
        UInt256 v = transientStorage.get(slotProbe.set(a, s[t], s[t + 1], s[t + 2], s[t + 3]));
        if (v == null) v = UInt256.ZERO;
        s[t] = v.u0();
        s[t + 1] = v.u1();
        s[t + 2] = v.u2();
        s[t + 3] = v.u3();
    }

    @Override public Hash blockHash(long number) { return reader.blockHash(number); }

    @Override public long refund() { return refund; }

    @Override public boolean hasSelfDestructed(Address a) { return acct(a).destructed; }

    /** The storage of an account has any non-zero slot at the start of the transaction (EIP-7610). */
    public boolean hasInitialStorage(Address a) {
        Acct acct = acct(a);
        return acct.original != null && !acct.created && reader.hasStorage(a);
    }

    // ---- access lists (EIP-2929) ----

    // Warm sets are kept apart from the accounts and slots, so that warming one (the precompiles, the
    // coinbase, an access list) reads nothing from state: a read is a dependency for the parallel executor.

    /**
     * Makes every precompile of {@code rules} warm (EIP-2929: they are in the accessed set from the start of a
     * transaction) without adding them to the set: a range check answers for them, instead of some twenty set
     * insertions per transaction. Nothing ever removes them again: they are warm before the first checkpoint.
     */
    public void warmPrecompiles(ForkRules rules) {
        this.warmPrecompiles = rules;
    }

    private ForkRules warmPrecompiles;

    @Override public boolean warmAccount(Address a) {
        if (warmPrecompiles != null && warmPrecompiles.isPrecompile(a)) return true;
        if (!warmAccounts.add(a)) return true;
        entries.add(new AccountWarmed(a));
        return false;
    }

    @Override public boolean warmSlot(Address a, UInt256 key) {
        return warmSlot(a, key.u0(), key.u1(), key.u2(), key.u3());
    }

    @Override public boolean warmSlot(Address a, long[] s, int t) {
        return warmSlot(a, s[t], s[t + 1], s[t + 2], s[t + 3]);
    }

    private boolean warmSlot(Address a, long k0, long k1, long k2, long k3) {
        if (warmSlots.contains(slotProbe.set(a, k0, k1, k2, k3))) return true;
        SlotKey k = slotProbe.copy();
        warmSlots.add(k);
        entries.add(new SlotWarmed(k));
        return false;
    }

    // ---- writes ----

    @Override public void sstore(Address a, UInt256 key, UInt256 value) {
        Slot s = slot(acct(a), key);
        entries.add(new StorageChange(s, s.current));
        s.current = value;
    }

    // SSTORE's gas reads these two before the store itself; they leave a slot's add state as it is (the store then
    // decides it), since an add pair's SSTORE observes the loaded value only through its gas, which the delta's
    // validation covers.
    @Override public UInt256 storageValue(Address a, long[] s, int t) {
        return storeSlot(acct(a), s[t], s[t + 1], s[t + 2], s[t + 3]).current;
    }

    @Override public UInt256 originalStorage(Address a, long[] s, int t) {
        return storeSlot(acct(a), s[t], s[t + 1], s[t + 2], s[t + 3]).original;
    }

    /** The slot as an SSTORE's gas reads it: a slot already used keeps its add state. */
    private Slot storeSlot(Acct acct, long k0, long k1, long k2, long k3) {
        HashMap<Word, Slot> slots = acct.slots();
        Slot s = slots.get(wordProbe.set(k0, k1, k2, k3));
        return s != null ? s : slot(acct, k0, k1, k2, k3, null);
    }

    @Override public void sstore(Address a, long[] s, int t, int v) {
        Slot sl = slot(acct(a), s[t], s[t + 1], s[t + 2], s[t + 3], null);
        UInt256 c = sl.current;
        UInt256 value = c.u0() == s[v] && c.u1() == s[v + 1] && c.u2() == s[v + 2] && c.u3() == s[v + 3] ? c
                : (s[v] | s[v + 1] | s[v + 2] | s[v + 3]) == 0 ? UInt256.ZERO : new UInt256(s[v], s[v + 1], s[v + 2], s[v + 3]);
        entries.add(new StorageChange(sl, c));
        sl.current = value;
    }

    @Override public void sstoreAdded(Address a, long[] s, int t, int v, long frame, Code code, int pc) {
        HashMap<Word, Slot> slots = acct(a).slots();
        Slot sl = slots.get(wordProbe.set(s[t], s[t + 1], s[t + 2], s[t + 3]));
        byte was = sl == null || sl != lastAdd || frame != lastAddFrame || !code.addPair(lastAddPc, pc) ? USED : sl.add;
        lastAdd = null;
        sstore(a, s, t, v); // marks the slot USED
        if (was == LOADED_FOR_ADD) sl.add = ADDED;
    }

    @Override public void tstore(Address a, UInt256 key, UInt256 value) {
        SlotKey k = new SlotKey().set(a, key.u0(), key.u1(), key.u2(), key.u3());
        UInt256 old = transientStorage.put(k, value);
        entries.add(new TransientChange(k, old));
    }

    @Override public void addBalance(Address a, UInt256 amount) {
        Acct acct = acct(a);
        if (!acct.balanceKnown) {
            entries.add(new LazyAdd(acct, acct.lazyAdded, acct.exists));
            acct.lazyAdded = acct.lazyAdded.add(amount);
        } else {
            entries.add(new BalanceChange(acct, acct.balance, acct.exists));
            acct.balance = acct.balance.add(amount);
        }
        acct.exists = true;
        markTouched(acct);
    }

    private void subBalance(Acct acct, UInt256 amount) {
        UInt256 b = bal(acct);
        entries.add(new BalanceChange(acct, b, acct.exists));
        acct.balance = b.sub(amount);
        acct.exists = true;
        markTouched(acct);
    }

    /** Sender pays for gas up front; the caller has checked the balance. */
    public void debit(Address a, UInt256 amount) {
        subBalance(acct(a), amount);
    }

    @Override public boolean transfer(Address from, Address to, UInt256 amount) {
        Acct f = acct(from);
        if (bal(f).lessThan(amount)) return false;
        subBalance(f, amount);
        addBalance(to, amount);
        return true;
    }

    @Override public void incrementNonce(Address a) {
        Acct acct = acct(a);
        entries.add(new NonceChange(acct, acct.nonce, acct.exists));
        acct.nonce++;
        acct.exists = true;
        markTouched(acct);
    }

    @Override public void createAccount(Address a, long nonce) {
        Acct acct = acct(a);
        entries.add(new Created(acct, acct.created, acct.exists, acct.nonce, new HashMap<>(acct.slots())));
        acct.created = true;
        acct.exists = true;
        acct.nonce = nonce;
        // Slots read before creation (only possible through a collision we rejected) must not survive.
        acct.slots().replaceAll((k, s) -> {
            Slot n = new Slot(s.key);
            n.original = UInt256.ZERO;
            n.current = UInt256.ZERO;
            return n;
        });
        markTouched(acct);
    }

    @Override public void setCode(Address a, byte[] code) {
        Acct acct = acct(a);
        entries.add(new CodeChange(acct, acct.codeHash, acct.code, acct.codeChanged));
        Hash h = Keccak.hashOf(code);
        acct.codeHash = h;
        acct.code = code.length == 0 ? Code.EMPTY : Code.of(h, code);
        acct.codeChanged = true;
    }

    @Override public void touch(Address a) {
        markTouched(acct(a));
    }

    private void markTouched(Acct acct) {
        if (!acct.touched || !acct.exists) {
            entries.add(new Touched(acct, acct.exists));
            acct.touched = true;
            acct.exists = true;
        }
    }

    @Override public void log(Log log) {
        logs.add(log);
        entries.add(new LogAdded());
    }

    @Override public void selfDestruct(Address a, Address beneficiary) {
        Acct acct = acct(a);
        UInt256 bal = bal(acct);
        if (selfDestructOnlyIfCreated) {
            // EIP-6780: value moves; the account survives unless created in this transaction.
            subBalance(acct, bal);
            addBalance(beneficiary, bal);
            if (!acct.created) return;
        } else {
            addBalance(beneficiary, bal);
        }
        entries.add(new Destructed(acct, acct.destructed, acct.balance));
        acct.destructed = true;
        acct.balance = UInt256.ZERO;
    }

    @Override public void addRefund(long gas) {
        entries.add(new RefundChange(refund));
        refund += gas;
    }

    @Override public void subRefund(long gas) {
        entries.add(new RefundChange(refund));
        refund -= gas;
    }

    @Override public int checkpoint() { return entries.size(); }

    @Override public void revertTo(int checkpoint) {
        for (int i = entries.size() - 1; i >= checkpoint; i--) {
            switch (entries.remove(i)) {
                case BalanceChange e -> { e.a.balance = e.old; e.a.exists = e.oldExists; }
                case LazyAdd e -> {
                    // Entries are undone last-first, so if the balance was read since, it now equals the read
                    // balance plus everything added lazily up to here: take this addition back out of both.
                    if (e.a.balanceKnown) e.a.balance = e.a.balance.sub(e.a.lazyAdded.sub(e.oldAdded));
                    e.a.lazyAdded = e.oldAdded;
                    e.a.exists = e.oldExists;
                }
                case NonceChange e -> { e.a.nonce = e.old; e.a.exists = e.oldExists; }
                case CodeChange e -> { e.a.codeHash = e.oldHash; e.a.code = e.oldCode; e.a.codeChanged = e.oldChanged; }
                case StorageChange e -> {
                    e.s.current = e.old;
                    if (e.s.add != USED) e.s.add = USED; // an undone add: the read stands as an ordinary one
                }
                case SlotWarmed e -> warmSlots.remove(e.key);
                case AccountWarmed e -> warmAccounts.remove(e.address);
                case Touched e -> {
                    // Quirk kept by every client since mainnet block 2,675,119: a touch of the RIPEMD-160
                    // precompile survives the revert of the call that touched it.
                    if (!e.a.address.equals(RIPEMD)) e.a.touched = false;
                    e.a.exists = e.oldExists;
                }
                case Created e -> {
                    e.a.created = e.oldCreated;
                    e.a.exists = e.oldExists;
                    e.a.nonce = e.oldNonce;
                    e.a.slots().clear();
                    e.a.slots().putAll(e.oldStorage);
                }
                case Destructed e -> { e.a.destructed = e.old; e.a.balance = e.oldBalance; }
                case RefundChange e -> refund = e.old;
                case TransientChange e -> {
                    if (e.old == null) transientStorage.remove(e.key);
                    else transientStorage.put(e.key, e.old);
                }
                case LogAdded e -> logs.removeLast();
            }
        }
    }

    /** Called once when a transaction is accepted, before execution: nothing before it can be reverted. */
    public void commitCheckpoint() {
        entries.clear();
    }

    public List<Log> logs() { return logs; }

    /** The transaction's net write set, in first-touch order. */
    public List<AccountChange> changes() {
        List<AccountChange> out = new ArrayList<>(accounts.size());
        for (Acct a : accounts.values()) {
            boolean delete = a.destructed || (deleteTouchedEmpty && a.touched && a.exists && isEmpty(a));
            if (delete) {
                if (a.original != null || a.created) out.add(new AccountChange(a.address, null, null, true, Map.of()));
                continue;
            }
            if (!a.exists) continue;
            Map<UInt256, UInt256> writes = Map.of(); // a map only for an account with writes
            Map<UInt256, UInt256> added = null;
            boolean anyNonZero = false;
            if (a.storage != null) for (Slot s : a.storage.values()) {
                if (!s.current.equals(s.original) || (a.created && !s.current.isZero())) {
                    if (writes.isEmpty()) writes = LinkedHashMap.newLinkedHashMap(a.storage.size());
                    writes.put(s.key, s.current);
                    if (s.add == ADDED) {
                        if (added == null) added = new LinkedHashMap<>(4);
                        added.put(s.key, s.current.sub(s.original));
                    }
                }
            }
            boolean balanceChanged = a.balanceKnown ? !a.balance.equals(a.readBalance) : !a.lazyAdded.isZero();
            boolean headerChanged = a.original == null || a.created || a.nonce != a.original.nonce()
                    || balanceChanged || a.codeChanged;
            if (!headerChanged && writes.isEmpty()) continue;
            boolean hasStorage;
            if (a.created) {
                for (UInt256 v : writes.values()) anyNonZero |= !v.isZero();
                hasStorage = anyNonZero; // refined by the state when it applies the writes
            } else {
                hasStorage = a.original != null && a.original.hasStorage();
            }
            AccountInfo info = new AccountInfo(a.nonce, a.balanceKnown ? a.balance : null, a.codeHash, hasStorage);
            out.add(new AccountChange(a.address, info, a.codeChanged ? a.code.bytes() : null, a.created, writes,
                    a.balanceKnown ? null : a.lazyAdded, added));
        }
        return out;
    }
}
