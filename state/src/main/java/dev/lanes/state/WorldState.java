package dev.lanes.state;

import dev.lanes.evm.AccountChange;
import dev.lanes.evm.AccountInfo;
import dev.lanes.evm.StateReader;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Keccak;
import dev.lanes.primitives.UInt256;
import dev.lanes.primitives.rlp.RlpWriter;
import dev.lanes.state.trie.MerklePatriciaTrie;
import dev.lanes.state.trie.SecureTrie;
import dev.lanes.state.trie.TrieRoot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongFunction;

/**
 * In-memory world state: accounts, storage and code in hash maps, with the Merkle Patricia state root
 * computed on demand (Yellow Paper section 4.1). It is the {@link StateReader} for sequential execution
 * and applies each transaction's write set with {@link #apply}.
 *
 * <p><b>Over a store</b> ({@link #over}): a state that holds only what a block used. An account, slot or code it
 * does not hold is read from the store on first use and kept (read-through), so every answer is the store's version
 * with this state's writes on top; absent accounts are remembered too. Reads may come from any thread (Block-STM's
 * workers, a {@link ReadPool} prefetching the block's predicted reads): a value read from the store is installed with
 * {@code putIfAbsent}, so a write that got there first wins and a late read never overwrites it. Such a state does
 * not know the whole state, so it has no root of its own: the store computes it from {@link #touched()}
 * ({@link dev.lanes.state.db.StateUpdate#of}); {@link #stateRoot()}, {@link #proof}, {@link #copy()} and
 * {@link #successor()} refuse, and {@link #addresses()}, {@link #size()} and {@link #storageOf} cover what it holds.
 * One approximation, as in other clients' overlays: an account the store holds with storage keeps reporting storage
 * ({@code hasStorage}, asked only by EIP-7610's create-collision rule) after a block clears every one of its slots.
 */
public final class WorldState implements StateReader {
    private static final class Account {
        long nonce;
        UInt256 balance;
        Hash codeHash;
        /**
         * Concurrent so that Block-STM's workers may read an account's slots while its committer applies a committed
         * transaction's writes (one writer at a time; see {@link WorldState}).
         */
        final java.util.concurrent.ConcurrentHashMap<UInt256, UInt256> storage = new java.util.concurrent.ConcurrentHashMap<>();
        /**
         * The storage root as last computed, or null after a storage change: an account whose storage did not
         * change since the last {@link #stateRoot()} is not rehashed (most accounts of a block, and every
         * account of most blocks, keep their storage).
         */
        Hash storageRoot;
        /**
         * The storage trie kept up to date incrementally (see {@link WorldState}), or null: made on the first
         * root computation of an account with {@link #TRIE_MIN} slots or more; {@code dirty} holds the slots
         * written since the trie last caught up (non-null exactly when {@code trie} is).
         */
        MerklePatriciaTrie trie;
        java.util.HashSet<UInt256> dirty;
        /**
         * Over a store only: the account was read from the store and its slots not held here are the store's
         * ({@code storage} then keeps zeros explicitly: an absent key means "ask the store"). False for an account
         * created or wiped here, whose held slots are all it has.
         */
        boolean fromStore;
        /** Over a store: the store said the account has storage, or a non-zero slot was written here since. */
        boolean storeHasStorage;
    }

    /** Over a store: marks an address the store has no account for (a {@link ConcurrentHashMap} holds no nulls). */
    private static final Account ABSENT = new Account();

    /** The store beneath a state made by {@link #over}; null for a complete in-memory state. */
    private final StateReader store;

    /** Accounts with fewer slots get their storage root from scratch (cheap), without a trie kept in memory. */
    private static final int TRIE_MIN = 16;

    /**
     * The account trie (hashed address to account RLP) kept up to date incrementally, or null before the first
     * {@link #stateRoot()}; {@code dirtyAccounts} holds the addresses changed since it last caught up.
     * A root after a block then costs in proportion to what the block changed (the paths to the changed
     * accounts and slots), not to the size of the state. Guarded by this state's monitor, like the tries of
     * its accounts, so that a root computed on one thread and a {@link #successor()} made on another do not
     * interleave.
     */
    private MerklePatriciaTrie accountTrie;
    private java.util.HashSet<Address> dirtyAccounts;

    /**
     * keccak256 of each address seen, the secure-trie key (addresses recur block after block); shared by a state
     * and its copies (values never change, so sharing is safe; concurrent because copies may be used by other
     * threads).
     */
    private final java.util.concurrent.ConcurrentHashMap<Address, byte[]> hashedAddresses;

    // Concurrent maps: during a Block-STM block, workers read the pre-state while one thread at a time (the committer)
    // applies committed transactions' writes. Readers need no more than that: a read racing an apply sees the value
    // before or after it (account fields are single references or aligned longs), and Block-STM re-validates every
    // read exactly before a transaction is committed, with no apply running (docs/parallel.md, rolling commit).
    private final java.util.concurrent.ConcurrentHashMap<Address, Account> accounts = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.ConcurrentHashMap<Hash, byte[]> codes = new java.util.concurrent.ConcurrentHashMap<>();
    private LongFunction<Hash> blockHashes = n -> Hash.ZERO;
    // What put/apply changed since trackChanges(), for a persistent store that writes only those keys; null when
    // not tracking, so that execution without a store pays nothing.
    private HashMap<Address, java.util.Set<UInt256>> touchedSlots;
    private java.util.Set<Address> touchedWhole;

    /**
     * The accounts {@link #put} and {@link #apply} touched since {@link #trackChanges()}: {@code slots} has every
     * touched address with the storage slots written (possibly none); {@code wholeStorage} the addresses whose
     * storage may have changed beyond those slots (account created anew, deleted or replaced). A superset of
     * what changed: a store compares old and new values to find the real changes.
     */
    public record Touched(Map<Address, java.util.Set<UInt256>> slots, java.util.Set<Address> wholeStorage) {}

    /** Starts recording what {@link #put} and {@link #apply} touch (see {@link #touched()}); a copy does not inherit it. */
    public void trackChanges() {
        touchedSlots = new HashMap<>();
        touchedWhole = new java.util.HashSet<>();
    }

    /** What was touched since {@link #trackChanges()} (read-only views), or null when not tracking. */
    public Touched touched() {
        if (touchedSlots == null) return null;
        return new Touched(java.util.Collections.unmodifiableMap(touchedSlots), java.util.Collections.unmodifiableSet(touchedWhole));
    }

    private void touch(Address a, boolean whole, java.util.Collection<UInt256> slots) {
        if (touchedSlots == null) return;
        touchedSlots.computeIfAbsent(a, x -> new java.util.HashSet<>()).addAll(slots);
        if (whole) touchedWhole.add(a);
    }

    public WorldState() {
        this(new java.util.concurrent.ConcurrentHashMap<>(), null);
    }

    private WorldState(java.util.concurrent.ConcurrentHashMap<Address, byte[]> hashedAddresses, StateReader store) {
        this.hashedAddresses = hashedAddresses;
        this.store = store;
    }

    /**
     * A state over {@code store} (see the class comment): it starts empty and reads what it is asked for from the
     * store, which must answer from any thread and must not change while this state is used (the parent block's
     * version). BLOCKHASH answers zero until {@link #setBlockHashes} is called.
     */
    public static WorldState over(StateReader store) {
        return new WorldState(new java.util.concurrent.ConcurrentHashMap<>(), java.util.Objects.requireNonNull(store));
    }

    /** Whether this state reads through to a store ({@link #over}). */
    public boolean overStore() {
        return store != null;
    }

    /**
     * The account as held, reading it from the store first when over one and not held yet; null when absent.
     * Concurrent loads of one address install one object (the first {@code putIfAbsent}); an account this state
     * wrote or deleted meanwhile is never replaced by the store's older answer.
     */
    private Account held(Address address) {
        Account a = accounts.get(address);
        if (a == null) {
            if (store == null) return null;
            a = load(address);
        }
        return a == ABSENT ? null : a;
    }

    private Account load(Address address) {
        AccountInfo info = store.account(address);
        Account loaded = ABSENT;
        if (info != null) {
            loaded = new Account();
            loaded.nonce = info.nonce();
            loaded.balance = info.balance();
            loaded.codeHash = info.codeHash();
            loaded.fromStore = true;
            loaded.storeHasStorage = info.hasStorage();
        }
        Account raced = accounts.putIfAbsent(address, loaded);
        return raced != null ? raced : loaded;
    }

    // ---- reads that do not wait for the store ----

    /**
     * Thrown by a {@link #nonBlocking} read of something this state does not hold: the read was handed to the read pool
     * and {@code loaded} completes once it is held (or the load failed: the next read then blocks and reports the
     * error). No stack trace: it is control flow, like Block-STM's ESTIMATE.
     */
    public static final class NotHeld extends RuntimeException {
        public final java.util.concurrent.CompletableFuture<Void> loaded;

        NotHeld(java.util.concurrent.CompletableFuture<Void> loaded) {
            super(null, null, false, false);
            this.loaded = loaded;
        }
    }

    private record SlotKey(Address address, UInt256 slot) {}

    /** Loads in flight by key (an Address, a SlotKey or a code Hash), so that one key is read from the store once. */
    private final ConcurrentHashMap<Object, java.util.concurrent.CompletableFuture<Void>> loading = new ConcurrentHashMap<>();
    /** Keys whose load failed: a non-blocking read of them blocks instead (and meets the error). */
    private final java.util.Set<Object> failedLoads = ConcurrentHashMap.newKeySet();

    /**
     * A view of this state (over a store) whose reads answer at once from what is held, and otherwise start loading the
     * missing account, slot or code on {@code pool} and throw {@link NotHeld}: for Block-STM's workers, which suspend the
     * transaction and run another instead of waiting for the disk. Writes are not made through it.
     */
    public StateReader nonBlocking(ReadPool pool) {
        if (store == null) throw new IllegalStateException("a whole in-memory state holds everything");
        java.util.Objects.requireNonNull(pool);
        return new StateReader() {
            @Override public AccountInfo account(Address address) {
                Account a = accounts.get(address);
                if (a == null) {
                    if (failedLoads.contains(address)) return WorldState.this.account(address);
                    throw notHeld(pool, address, () -> WorldState.this.account(address));
                }
                return a == ABSENT ? null : info(a);
            }

            @Override public UInt256 storage(Address address, UInt256 key) {
                Account a = accounts.get(address);
                if (a == null) {
                    if (failedLoads.contains(address)) return WorldState.this.storage(address, key);
                    throw notHeld(pool, address, () -> WorldState.this.account(address));
                }
                if (a == ABSENT) return UInt256.ZERO;
                UInt256 v = a.storage.get(key);
                if (v != null) return v;
                if (!a.fromStore) return UInt256.ZERO;
                SlotKey k = new SlotKey(address, key);
                if (failedLoads.contains(k)) return WorldState.this.storage(address, key);
                throw notHeld(pool, k, () -> WorldState.this.storage(address, key));
            }

            @Override public byte[] code(Hash codeHash) {
                byte[] c = codes.get(codeHash);
                if (c != null) return c;
                if (failedLoads.contains(codeHash)) return WorldState.this.code(codeHash);
                throw notHeld(pool, codeHash, () -> WorldState.this.code(codeHash));
            }

            @Override public Hash blockHash(long number) {
                return WorldState.this.blockHash(number);
            }
        };
    }

    private NotHeld notHeld(ReadPool pool, Object key, Runnable load) {
        java.util.concurrent.CompletableFuture<Void> f = loading.computeIfAbsent(key, k -> {
            java.util.concurrent.CompletableFuture<Void> mine = new java.util.concurrent.CompletableFuture<>();
            pool.execute(() -> {
                try {
                    load.run();
                } catch (RuntimeException | Error e) {
                    failedLoads.add(k);
                } finally {
                    loading.remove(k, mine);
                    mine.complete(null);
                }
            });
            return mine;
        });
        return new NotHeld(f);
    }

    private void requireComplete(String what) {
        if (store != null) {
            throw new UnsupportedOperationException(what + " needs the whole state; this state holds only what it read"
                    + " from its store (commit touched() to the store for the root)");
        }
    }

    /** Sets or replaces an account (used to load pre-states). */
    public void put(Address a, long nonce, UInt256 balance, byte[] code, Map<UInt256, UInt256> storage) {
        Account acc = new Account();
        acc.nonce = nonce;
        acc.balance = balance;
        acc.codeHash = code.length == 0 ? Hash.EMPTY_CODE : Keccak.hashOf(code);
        if (code.length > 0) codes.put(acc.codeHash, code.clone());
        storage.forEach((k, v) -> {
            if (!v.isZero()) acc.storage.put(k, v);
        });
        accounts.put(a, acc);
        if (dirtyAccounts != null) dirtyAccounts.add(a);
        touch(a, true, List.of());
    }

    /**
     * An independent copy (accounts and storage copied; code, immutable once stored, shared), for a block
     * importer that keeps each block's post-state while side chains grow from older blocks. BLOCKHASH
     * answers as in this state until {@link #setBlockHashes} is called on the copy. It costs time and memory in
     * proportion to the whole state.
     */
    public WorldState copy() {
        requireComplete("copy()");
        WorldState c = new WorldState(hashedAddresses, null);
        for (Map.Entry<Address, Account> e : accounts.entrySet()) {
            Account a = e.getValue(), b = new Account();
            b.nonce = a.nonce;
            b.balance = a.balance;
            b.codeHash = a.codeHash;
            b.storage.putAll(a.storage);
            b.storageRoot = a.storageRoot;
            c.accounts.put(e.getKey(), b);
        }
        c.codes.putAll(codes);
        c.blockHashes = blockHashes;
        return c;
    }

    /**
     * A copy for the next block built on this state: as {@link #copy()}, and it takes over this state's
     * incremental tries, so that its {@link #stateRoot()} rehashes only what changed since this state's root.
     * This state keeps every root it computed; a root asked of it after further changes is rebuilt from scratch.
     * A plain {@link #copy()} (an eth_call's scratch state) takes no tries and leaves them here.
     */
    public synchronized WorldState successor() {
        requireComplete("successor()");
        WorldState c = copy();
        if (accountTrie != null) {
            c.accountTrie = accountTrie;
            c.dirtyAccounts = dirtyAccounts;
            accountTrie = null;
            dirtyAccounts = null;
        }
        for (Map.Entry<Address, Account> e : accounts.entrySet()) {
            Account a = e.getValue();
            if (a.trie == null) continue;
            Account b = c.accounts.get(e.getKey());
            b.trie = a.trie;
            b.dirty = a.dirty;
            a.trie = null;
            a.dirty = null;
        }
        return c;
    }

    /**
     * The addresses of every account, in no particular order (for diffs against an expected state); over a store,
     * of the accounts held (read or written here).
     */
    public java.util.Set<Address> addresses() {
        if (store != null) {
            java.util.Set<Address> held = new java.util.HashSet<>();
            accounts.forEach((k, v) -> {
                if (v != ABSENT) held.add(k);
            });
            return java.util.Collections.unmodifiableSet(held);
        }
        return java.util.Collections.unmodifiableSet(accounts.keySet());
    }

    /**
     * The non-zero storage slots of {@code address} (empty when it has none or does not exist), read-only; over a
     * store, of an account read from it, the slots held here (zeros included).
     */
    public Map<UInt256, UInt256> storageOf(Address address) {
        Account a = accounts.get(address);
        return a == null || a == ABSENT ? Map.of() : java.util.Collections.unmodifiableMap(a.storage);
    }

    public void setBlockHashes(LongFunction<Hash> blockHashes) {
        this.blockHashes = blockHashes;
    }

    @Override public AccountInfo account(Address address) {
        Account a = held(address);
        return a == null ? null : info(a);
    }

    /** An account's header as a reader sees it (over a store, a store account's storage flag is the store's). */
    private static AccountInfo info(Account a) {
        return new AccountInfo(a.nonce, a.balance, a.codeHash, a.fromStore ? a.storeHasStorage : !a.storage.isEmpty());
    }

    @Override public byte[] code(Hash codeHash) {
        byte[] c = codes.get(codeHash);
        if (c == null && store != null) {
            c = store.code(codeHash);
            if (c != null) {
                byte[] raced = codes.putIfAbsent(codeHash, c);
                if (raced != null) c = raced;
            }
        }
        if (c == null) throw new IllegalStateException("missing code for hash " + codeHash);
        return c;
    }

    @Override public UInt256 storage(Address address, UInt256 key) {
        Account a = held(address);
        if (a == null) return UInt256.ZERO;
        UInt256 v = a.storage.get(key);
        if (v != null) return v;
        if (!a.fromStore) return UInt256.ZERO;
        v = store.storage(address, key);
        UInt256 raced = a.storage.putIfAbsent(key, v);
        return raced != null ? raced : v;
    }

    @Override public Hash blockHash(long number) {
        return blockHashes.apply(number);
    }

    public boolean contains(Address a) {
        return held(a) != null;
    }

    /**
     * Applies one transaction's write set (a {@link AccountChange#balanceDelta() balance delta} adds to the balance, a
     * {@link AccountChange#storageAdded() slot added to} adds to the slot's value).
     */
    public void apply(List<AccountChange> changes) {
        for (AccountChange c : changes) {
            Account a = held(c.address());
            if (touchedSlots != null) {
                touch(c.address(), c.deleted() || c.storageReset() || a == null,
                        c.storage() == null ? List.of() : c.storage().keySet());
            }
            if (dirtyAccounts != null) dirtyAccounts.add(c.address());
            if (c.deleted()) {
                if (store != null) accounts.put(c.address(), ABSENT); // not the store's account any more
                else accounts.remove(c.address());
                continue;
            }
            UInt256 prior = a == null ? UInt256.ZERO : a.balance;
            AccountInfo info = c.info();
            UInt256 balance = c.balanceDelta() != null ? prior.add(c.balanceDelta()) : info.balance();
            // A new (or storage-reset) account is published only once built: Block-STM's workers read this map
            // while the rolling commit applies, and an account put first and filled in after was seen with a
            // null balance (ParallelDifferentialTest, 8 threads, 1 block in 3,000).
            Account fresh = a == null || c.storageReset() ? new Account() : null;
            Account w = fresh != null ? fresh : a;
            // Fields written only when they change: Block-STM's workers read this account (a contract's `storage` map
            // above all) while the rolling commit applies, and a store of the same value still takes the cache line
            // away from every core that reads it.
            if (w.nonce != info.nonce()) w.nonce = info.nonce();
            if (w.balance == null || !w.balance.equals(balance)) w.balance = balance;
            if (!java.util.Objects.equals(w.codeHash, info.codeHash())) w.codeHash = info.codeHash();
            if (c.code() != null && c.code().length > 0) codes.putIfAbsent(info.codeHash(), c.code());
            Map<UInt256, UInt256> added = c.storageAdded();
            for (Map.Entry<UInt256, UInt256> e : c.storage().entrySet()) {
                UInt256 value = e.getValue();
                if (added != null) {
                    // Only added to: the value before this transaction (all earlier ones applied) plus the amount.
                    UInt256 d = added.get(e.getKey());
                    if (d != null) value = storage(c.address(), e.getKey()).add(d);
                }
                if (!value.isZero()) {
                    w.storage.put(e.getKey(), value);
                    if (!w.storeHasStorage) w.storeHasStorage = true;
                } else if (w.fromStore) {
                    w.storage.put(e.getKey(), UInt256.ZERO); // held as zero: an absent key would ask the store
                } else {
                    w.storage.remove(e.getKey());
                }
                if (w.dirty != null) w.dirty.add(e.getKey());
            }
            if (!c.storage().isEmpty() && w.storageRoot != null) w.storageRoot = null;
            if (fresh != null) accounts.put(c.address(), fresh); // publishes the fields above (happens-before)
        }
    }

    /**
     * The state root: a secure trie of RLP([nonce, balance, storageRoot, codeHash]) by address. The first call
     * builds the account trie (and the storage tries of accounts with many slots); later calls update them with
     * what changed since, and rehash only the changed paths.
     */
    public synchronized Hash stateRoot() {
        requireComplete("stateRoot()");
        if (accountTrie == null) {
            accountTrie = new MerklePatriciaTrie();
            for (Map.Entry<Address, Account> e : accounts.entrySet()) {
                Account a = e.getValue();
                accountTrie.put(hashedAddress(e.getKey()), encodeAccount(a, storageRoot(a)));
            }
            dirtyAccounts = new java.util.HashSet<>();
        } else {
            for (Address address : dirtyAccounts) {
                Account a = accounts.get(address);
                if (a == null) accountTrie.remove(hashedAddress(address));
                else accountTrie.put(hashedAddress(address), encodeAccount(a, storageRoot(a)));
            }
            dirtyAccounts.clear();
        }
        return accountTrie.rootHash();
    }

    private byte[] hashedAddress(Address a) {
        byte[] h = hashedAddresses.get(a);
        if (h == null) {
            h = Keccak.hash(a.unsafeBytes());
            hashedAddresses.putIfAbsent(a, h);
        }
        return h;
    }

    private static Hash storageRoot(Account a) {
        if (a.storageRoot != null) return a.storageRoot;
        Hash root;
        if (a.trie != null) {
            for (UInt256 k : a.dirty) {
                UInt256 v = a.storage.get(k);
                byte[] key = Keccak.hash(k.toBytes());
                if (v == null) a.trie.remove(key);
                else a.trie.put(key, new RlpWriter().writeUInt256(v).toByteArray());
            }
            a.dirty.clear();
            root = a.trie.rootHash();
        } else if (a.storage.size() >= TRIE_MIN) {
            a.trie = new MerklePatriciaTrie();
            a.dirty = new java.util.HashSet<>();
            for (Map.Entry<UInt256, UInt256> e : a.storage.entrySet()) {
                a.trie.put(Keccak.hash(e.getKey().toBytes()), new RlpWriter().writeUInt256(e.getValue()).toByteArray());
            }
            root = a.trie.rootHash();
        } else if (a.storage.isEmpty()) {
            root = Hash.EMPTY_TRIE;
        } else {
            List<byte[]> keys = new ArrayList<>(a.storage.size());
            List<byte[]> values = new ArrayList<>(a.storage.size());
            for (Map.Entry<UInt256, UInt256> e : a.storage.entrySet()) {
                keys.add(e.getKey().toBytes());
                values.add(new RlpWriter().writeUInt256(e.getValue()).toByteArray());
            }
            root = TrieRoot.secure(keys, values);
        }
        a.storageRoot = root;
        return root;
    }

    /** One slot's EIP-1186 proof: the key, its value (zero when absent) and the storage-trie path. */
    public record StorageProof(UInt256 key, UInt256 value, List<byte[]> proof) {}

    /**
     * An account's EIP-1186 proof ({@code eth_getProof}): its fields (zeros and the empty hashes for an absent
     * account), the state-trie path of its address, and the storage-trie path of each requested slot, all
     * against {@link #stateRoot()}. Builds the tries it needs (cost proportional to the state): meant for RPC
     * answers, not for block processing.
     */
    public record AccountProof(Address address, long nonce, UInt256 balance, Hash codeHash, Hash storageHash,
                               List<byte[]> accountProof, List<StorageProof> storageProofs) {}

    public synchronized AccountProof proof(Address address, List<UInt256> slots) {
        requireComplete("proof()");
        SecureTrie accountsTrie = new SecureTrie();
        for (Map.Entry<Address, Account> e : accounts.entrySet()) {
            accountsTrie.put(e.getKey().unsafeBytes(), encodeAccount(e.getValue(), storageRoot(e.getValue())));
        }
        Account a = accounts.get(address);
        SecureTrie storage = new SecureTrie();
        if (a != null) {
            for (Map.Entry<UInt256, UInt256> e : a.storage.entrySet()) {
                storage.put(e.getKey().toBytes(), new RlpWriter().writeUInt256(e.getValue()).toByteArray());
            }
        }
        List<StorageProof> proofs = new ArrayList<>(slots.size());
        for (UInt256 k : slots) proofs.add(new StorageProof(k, storage(address, k), storage.proof(k.toBytes())));
        return new AccountProof(address, a == null ? 0 : a.nonce, a == null ? UInt256.ZERO : a.balance,
                a == null ? Hash.EMPTY_CODE : a.codeHash, storage.rootHash(), accountsTrie.proof(address.unsafeBytes()),
                proofs);
    }

    private static byte[] encodeAccount(Account a, Hash storageRoot) {
        RlpWriter w = new RlpWriter();
        w.startList();
        w.writeLong(a.nonce);
        w.writeUInt256(a.balance);
        w.writeBytes(storageRoot.unsafeBytes());
        w.writeBytes(a.codeHash.unsafeBytes());
        w.endList();
        return w.toByteArray();
    }

    /** The number of accounts; over a store, of the accounts held. */
    public int size() {
        return store != null ? addresses().size() : accounts.size();
    }
}
