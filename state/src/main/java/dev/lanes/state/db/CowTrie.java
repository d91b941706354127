package dev.lanes.state.db;

import dev.lanes.primitives.Hash;
import dev.lanes.state.trie.NodeEncoder;
import dev.lanes.state.trie.Nibbles;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * The touched part of one stored trie (the account trie or one storage trie), held in memory for the length of a
 * commit: nodes on the paths of the block's keys are loaded from a {@link Source}, changed copy-on-write (a changed
 * node is marked dirty and will be written at a new place; the stored original is left alone for older versions),
 * hashed bottom-up, then written children first so that every parent learns its children's new addresses.
 *
 * <p>Every key is 32 bytes (a Keccak-256 hash), so every path is 64 nibbles and no branch ever holds a value.
 * A child slot of a branch or extension is either a loaded {@link Node} (authoritative when present) or the stored
 * triple (address, reference, smallest segment of the subtree); a child that was never touched is never loaded.
 *
 * <p>The same code serves the hash-keyed RocksDB baseline of {@code lanes bench store}: its source decodes
 * standard RLP nodes found by hash, and its addresses are all 0.
 *
 * <p>Not thread-safe, except that {@link #applyParallel} and {@link #hashParallel} split the work by the root's
 * sixteen subtries, which share nothing.
 */
final class CowTrie {
    static final int KEY_BYTES = 32;
    static final int KEY_NIBBLES = 2 * KEY_BYTES;
    static final int NO_SEGMENT = Integer.MAX_VALUE;

    /** Where nodes come from. Implementations must allow concurrent loads. */
    interface Source {
        /**
         * The node stored at {@code ptr} whose reference is {@code ref}; {@code path} is a key whose nibbles
         * {@code [0, depth)} lead to it (a stored extension keeps only its own nibbles, and needs the rest).
         */
        Node load(long ptr, byte[] ref, byte[] path, int depth);

        /** The stored node at {@code ptr} is no longer part of the newest trie (for compaction's accounting). */
        default void dead(long ptr) {}
    }

    abstract static sealed class Node permits Leaf, Ext, Branch {
        /** Where the node is stored; 0 while dirty (or in a store without addresses). */
        long ptr;
        /** The node's reference (hash, or encoding when shorter than 32 bytes); null while dirty and unhashed. */
        byte[] ref;
        /** The smallest segment id in the stored subtree; valid once written. */
        int minSeg = NO_SEGMENT;
        boolean dirty;
        /** The node's RLP, kept by hashing only for hash-keyed stores (see {@link #keepEncodings}). */
        byte[] enc;
    }

    static final class Leaf extends Node {
        final byte[] key;
        int start;
        byte[] value;
        /** Account leaves: the account's storage trie root (0 when empty) and its smallest segment. */
        long storagePtr;
        int storageMinSeg = NO_SEGMENT;
        /** Storage leaves: keccak256 of the owning address, so that the flat index can check a hit exactly. */
        byte[] owner;
        /** Where the newest stored copy of this key's leaf was before this commit changed it (0: none), for the flat index. */
        long oldPtr;

        Leaf(byte[] key, int start, byte[] value) {
            this.key = key;
            this.start = start;
            this.value = value;
        }
    }

    static final class Ext extends Node {
        /** A key whose nibbles {@code [0, end)} are this node's absolute path. */
        byte[] src;
        int start;
        int end;
        Node kid;
        long kidPtr;
        byte[] kidRef;
        int kidMinSeg = NO_SEGMENT;

        Ext(byte[] src, int start, int end) {
            this.src = src;
            this.start = start;
            this.end = end;
        }
    }

    static final class Branch extends Node {
        final Node[] kids = new Node[16];
        final long[] kidPtr = new long[16];
        final byte[][] kidRef = new byte[16][];
        final int[] kidMinSeg = new int[16];

        Branch() {
            Arrays.fill(kidMinSeg, NO_SEGMENT);
        }

        boolean has(int i) {
            return kids[i] != null || kidRef[i] != null;
        }
    }

    /** Returned by removal when the key was absent, so nothing changed. */
    private static final Leaf UNCHANGED = new Leaf(new byte[0], 0, null);

    private final Source source;
    /** The root: a loaded node, or (when {@code root == null}) the stored triple, or empty when rootRef is null. */
    private Node root;
    private long rootPtr;
    private byte[] rootRef;
    private int rootMinSeg = NO_SEGMENT;
    boolean keepEncodings;

    CowTrie(Source source, long rootPtr, byte[] rootRef, int rootMinSeg) {
        this.source = source;
        this.rootPtr = rootPtr;
        this.rootRef = rootRef;
        this.rootMinSeg = rootMinSeg;
    }

    /** The root node, loading it if needed; null for the empty trie. */
    Node root() {
        if (root == null && rootRef != null) root = loaded(source.load(rootPtr, rootRef, new byte[KEY_BYTES], 0), rootPtr, rootRef, rootMinSeg);
        return root;
    }

    boolean isEmpty() {
        return root == null && rootRef == null;
    }

    private static Node loaded(Node n, long ptr, byte[] ref, int minSeg) {
        n.ptr = ptr;
        n.ref = ref;
        n.minSeg = minSeg;
        n.dirty = false;
        return n;
    }

    /** The node in slot {@code i} of {@code b} (loaded if stored), or null; {@code path}'s first {@code depth} nibbles lead to it. */
    private Node kid(Branch b, int i, byte[] path, int depth) {
        Node k = b.kids[i];
        if (k == null && b.kidRef[i] != null) {
            k = loaded(source.load(b.kidPtr[i], b.kidRef[i], path, depth), b.kidPtr[i], b.kidRef[i], b.kidMinSeg[i]);
            b.kids[i] = k;
        }
        return k;
    }

    private Node kid(Ext e, byte[] path) {
        if (e.kid == null) e.kid = loaded(source.load(e.kidPtr, e.kidRef, path, e.end), e.kidPtr, e.kidRef, e.kidMinSeg);
        return e.kid;
    }

    /** Marks {@code n} changed: its stored copy stops being part of the newest trie and it will be rewritten. */
    private void touch(Node n) {
        if (n.dirty) {
            n.ref = null;
            n.enc = null;
            return;
        }
        if (n.ptr != 0) {
            source.dead(n.ptr);
            if (n instanceof Leaf l) l.oldPtr = n.ptr;
        }
        n.dirty = true;
        n.ptr = 0;
        n.ref = null;
        n.enc = null;
    }

    /** Marks {@code n} for rewriting at a new place with the same content: its reference stays valid. */
    private void move(Node n) {
        if (n.dirty) return;
        if (n.ptr != 0) {
            source.dead(n.ptr);
            if (n instanceof Leaf l) l.oldPtr = n.ptr;
        }
        n.dirty = true;
        n.ptr = 0;
    }

    /** Leaves this commit removed that were stored before it (their {@link Leaf#oldPtr} is set), for the flat index. */
    final List<Leaf> removed = new ArrayList<>();

    private static void setKid(Branch b, int i, Node n) {
        b.kids[i] = n;
        b.kidRef[i] = null;
        b.kidPtr[i] = 0;
        b.kidMinSeg[i] = NO_SEGMENT;
    }

    private static void setKid(Ext e, Node n) {
        e.kid = n;
        e.kidRef = null;
        e.kidPtr = 0;
        e.kidMinSeg = NO_SEGMENT;
    }

    /** The leaf for {@code key}, or null. */
    Leaf get(byte[] key) {
        Node n = root();
        int depth = 0;
        while (n != null) {
            switch (n) {
                case Leaf l -> {
                    return Arrays.equals(l.key, key) ? l : null;
                }
                case Ext e -> {
                    if (Nibbles.mismatch(e.src, e.end, key, KEY_NIBBLES, depth) != e.end) return null;
                    depth = e.end;
                    n = kid(e, key);
                }
                case Branch b -> {
                    n = kid(b, Nibbles.get(key, depth), key, depth + 1);
                    depth++;
                }
            }
        }
        return null;
    }

    /** The nodes on the path of {@code key}, root first, as far as the trie goes (for proofs). */
    List<Node> path(byte[] key) {
        List<Node> out = new ArrayList<>();
        Node n = root();
        int depth = 0;
        while (n != null) {
            out.add(n);
            switch (n) {
                case Leaf l -> n = null;
                case Ext e -> {
                    if (Nibbles.mismatch(e.src, e.end, key, KEY_NIBBLES, depth) != e.end) n = null;
                    else {
                        depth = e.end;
                        n = kid(e, key);
                    }
                }
                case Branch b -> {
                    n = kid(b, Nibbles.get(key, depth), key, depth + 1);
                    depth++;
                }
            }
        }
        return out;
    }

    /** The node's RLP encoding (its children's references must be known, as they are for loaded nodes). */
    static byte[] encoding(Node n, NodeEncoder raw) {
        return switch (n) {
            case Leaf l -> raw.leaf(l.key, l.start, KEY_NIBBLES, l.value);
            case Ext e -> raw.extension(e.src, e.start, e.end, e.kidRef);
            case Branch b -> raw.branch(b.kidRef, null);
        };
    }

    /** Sets {@code leaf.key} to {@code leaf} (its {@code start} is set here); an existing leaf is updated in place. */
    void put(Leaf leaf) {
        root = put(root(), leaf, 0);
        rootRef = null;
    }

    /** Removes {@code key}; false when it was absent. */
    boolean remove(byte[] key) {
        Node r = root();
        if (r == null) return false;
        Node n = remove(r, key, 0);
        if (n == UNCHANGED) return false;
        root = n;
        rootRef = null;
        rootPtr = 0;
        rootMinSeg = NO_SEGMENT;
        return true;
    }

    private Node put(Node n, Leaf fresh, int depth) {
        byte[] key = fresh.key;
        if (n == null) {
            fresh.start = depth;
            fresh.dirty = true;
            return fresh;
        }
        switch (n) {
            case Leaf l -> {
                if (Arrays.equals(l.key, key)) {
                    if (Arrays.equals(l.value, fresh.value) && l.storagePtr == fresh.storagePtr
                            && l.storageMinSeg == fresh.storageMinSeg) {
                        return l; // unchanged: keep the stored copy
                    }
                    touch(l);
                    l.value = fresh.value;
                    l.storagePtr = fresh.storagePtr;
                    l.storageMinSeg = fresh.storageMinSeg;
                    l.owner = fresh.owner;
                    return l;
                }
                int m = Nibbles.mismatch(l.key, KEY_NIBBLES, key, KEY_NIBBLES, depth);
                touch(l); // its path gets shorter
                l.start = m + 1;
                fresh.start = m + 1;
                fresh.dirty = true;
                Branch b = new Branch();
                b.dirty = true;
                b.kids[Nibbles.get(l.key, m)] = l;
                b.kids[Nibbles.get(key, m)] = fresh;
                if (m == depth) return b;
                Ext e = new Ext(key, depth, m);
                e.dirty = true;
                e.kid = b;
                return e;
            }
            case Ext e -> {
                int m = Nibbles.mismatch(e.src, e.end, key, KEY_NIBBLES, depth);
                if (m == e.end) {
                    Node k = put(kid(e, key), fresh, e.end);
                    touch(e);
                    setKid(e, k);
                    return e;
                }
                touch(e);
                Branch b = new Branch();
                b.dirty = true;
                int ei = Nibbles.get(e.src, m);
                if (m + 1 == e.end) {
                    // The extension's child moves into the new branch as it is, loaded or not.
                    b.kids[ei] = e.kid;
                    b.kidPtr[ei] = e.kidPtr;
                    b.kidRef[ei] = e.kidRef;
                    b.kidMinSeg[ei] = e.kidMinSeg;
                } else {
                    Ext rest = new Ext(e.src, m + 1, e.end);
                    rest.dirty = true;
                    rest.kid = e.kid;
                    rest.kidPtr = e.kidPtr;
                    rest.kidRef = e.kidRef;
                    rest.kidMinSeg = e.kidMinSeg;
                    b.kids[ei] = rest;
                }
                fresh.start = m + 1;
                fresh.dirty = true;
                b.kids[Nibbles.get(key, m)] = fresh;
                if (m == depth) return b;
                e.end = m;
                setKid(e, b);
                return e;
            }
            case Branch b -> {
                int i = Nibbles.get(key, depth);
                Node k = put(kid(b, i, key, depth + 1), fresh, depth + 1);
                if (k == b.kids[i] && !k.dirty) return b; // unchanged leaf below
                touch(b);
                setKid(b, i, k);
                return b;
            }
        }
    }

    private Node remove(Node n, byte[] key, int depth) {
        switch (n) {
            case Leaf l -> {
                if (!Arrays.equals(l.key, key)) return UNCHANGED;
                touch(l);
                if (l.oldPtr != 0) removed.add(l);
                return null;
            }
            case Ext e -> {
                if (Nibbles.mismatch(e.src, e.end, key, KEY_NIBBLES, depth) != e.end) return UNCHANGED;
                Node k = remove(kid(e, key), key, e.end);
                if (k == UNCHANGED) return UNCHANGED;
                touch(e);
                // An extension's child is a branch with two or more children, so it never vanishes; it may
                // have collapsed into a leaf or extension, which then absorbs this extension's path.
                switch (k) {
                    case Leaf l -> {
                        l.start = e.start;
                        return l;
                    }
                    case Ext x -> {
                        x.start = e.start;
                        return x;
                    }
                    case Branch b -> {
                        setKid(e, b);
                        return e;
                    }
                }
            }
            case Branch b -> {
                int i = Nibbles.get(key, depth);
                Node child = kid(b, i, key, depth + 1);
                if (child == null) return UNCHANGED;
                Node k = remove(child, key, depth + 1);
                if (k == UNCHANGED) return UNCHANGED;
                touch(b);
                setKid(b, i, k);
                int count = 0, last = -1;
                for (int j = 0; j < 16; j++) {
                    if (b.has(j)) {
                        count++;
                        last = j;
                    }
                }
                if (count >= 2) return b;
                // One child left: the branch goes, and the child takes over its path.
                byte[] path = key.clone();
                setNibble(path, depth, last);
                Node c = kid(b, last, path, depth + 1);
                switch (c) {
                    case Leaf l -> {
                        touch(l);
                        l.start = depth;
                        return l;
                    }
                    case Ext x -> {
                        touch(x);
                        x.start = depth;
                        return x;
                    }
                    case Branch cb -> {
                        Ext x = new Ext(path, depth, depth + 1);
                        x.dirty = true;
                        x.kid = cb;
                        return x;
                    }
                }
            }
        }
    }

    static void setNibble(byte[] key, int i, int v) {
        int b = i >> 1;
        key[b] = (i & 1) == 0 ? (byte) ((key[b] & 0x0f) | (v << 4)) : (byte) ((key[b] & 0xf0) | v);
    }

    /**
     * Applies puts (then removals) split by the root's sixteen subtries, one task each, when the root is a branch
     * that stays one: the subtries share no node, so tasks need no locks. Falls back to one thread otherwise.
     */
    void applyParallel(List<Leaf> puts, List<byte[]> removals, ForkJoinPool pool) {
        Node r = root();
        if (!(r instanceof Branch b) || puts.size() < 256 || pool == null) {
            for (Leaf l : puts) put(l);
            for (byte[] k : removals) remove(k);
            return;
        }
        @SuppressWarnings("unchecked") List<Leaf>[] groups = new List[16];
        for (Leaf l : puts) {
            int i = Nibbles.get(l.key, 0);
            if (groups[i] == null) groups[i] = new ArrayList<>();
            groups[i].add(l);
        }
        List<ForkJoinTask<?>> tasks = new ArrayList<>();
        Node[] results = new Node[16];
        for (int i = 0; i < 16; i++) {
            if (groups[i] == null) continue;
            int slot = i;
            List<Leaf> g = groups[i];
            tasks.add(pool.submit(() -> {
                Node k = kid(b, slot, g.get(0).key, 1);
                for (Leaf l : g) k = put(k, l, 1);
                results[slot] = k;
            }));
        }
        for (ForkJoinTask<?> t : tasks) t.join();
        touch(b);
        for (int i = 0; i < 16; i++) {
            if (results[i] != null && (results[i] != b.kids[i] || results[i].dirty)) setKid(b, i, results[i]);
        }
        rootRef = null;
        for (byte[] k : removals) remove(k);
    }

    /** Hashes every dirty node and returns the root hash ({@link Hash#EMPTY_TRIE} when empty). */
    Hash hash(NodeEncoder enc) {
        Node r = root;
        if (r == null) return rootRef == null ? Hash.EMPTY_TRIE : NodeEncoder.rootHash(rootRef);
        return NodeEncoder.rootHash(ref(r, enc));
    }

    /** {@link #hash} with the root's dirty subtries hashed as parallel tasks (each with its own encoder). */
    Hash hashParallel(ForkJoinPool pool, ThreadLocal<NodeEncoder> encoders) {
        if (pool != null && root instanceof Branch b && b.dirty && b.ref == null) {
            List<ForkJoinTask<?>> tasks = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                Node k = b.kids[i];
                if (k != null && k.ref == null) tasks.add(pool.submit(() -> ref(k, encoders.get())));
            }
            for (ForkJoinTask<?> t : tasks) t.join();
        }
        return hash(encoders.get());
    }

    /** The reference of {@code n}, hashing it (and its dirty descendants) when needed. */
    private byte[] ref(Node n, NodeEncoder enc) {
        if (n.ref != null) return n.ref;
        byte[] r;
        switch (n) {
            case Leaf l -> r = enc.leaf(l.key, l.start, KEY_NIBBLES, l.value);
            case Ext e -> {
                if (e.kid != null) e.kidRef = ref(e.kid, enc);
                r = enc.extension(e.src, e.start, e.end, e.kidRef);
            }
            case Branch b -> {
                for (int i = 0; i < 16; i++) if (b.kids[i] != null) b.kidRef[i] = ref(b.kids[i], enc);
                r = enc.branch(b.kidRef, null);
            }
        }
        if (keepEncodings) n.enc = r.length < Hash.LENGTH ? r : enc.lastEncoding();
        n.ref = r;
        return r;
    }

    /** Receives dirty nodes children first; returns where each was put (0 in a store without addresses). */
    interface Writer {
        long write(Node n);
    }

    /**
     * Writes every dirty node, children before parents, and returns the root's address (0 when empty).
     * {@link #hash} must have run. Afterwards every node is clean, with its new address.
     */
    long write(Writer w) {
        if (root == null) return rootRef == null ? 0 : rootPtr;
        write(root, w);
        rootPtr = root.ptr;
        rootRef = root.ref;
        rootMinSeg = root.minSeg;
        return rootPtr;
    }

    private void write(Node n, Writer w) {
        if (!n.dirty) return;
        switch (n) {
            case Leaf l -> { }
            case Ext e -> {
                if (e.kid != null) {
                    write(e.kid, w);
                    e.kidRef = e.kid.ref;
                    e.kidPtr = e.kid.ptr;
                    e.kidMinSeg = e.kid.minSeg;
                }
            }
            case Branch b -> {
                for (int i = 0; i < 16; i++) {
                    Node k = b.kids[i];
                    if (k == null) continue;
                    write(k, w);
                    b.kidRef[i] = k.ref;
                    b.kidPtr[i] = k.ptr;
                    b.kidMinSeg[i] = k.minSeg;
                }
            }
        }
        n.ptr = w.write(n);
        n.dirty = false;
        n.enc = null;
    }

    long rootPtr() {
        return root != null ? root.ptr : rootPtr;
    }

    byte[] rootRef() {
        return root != null ? root.ref : rootRef;
    }

    int rootMinSeg() {
        return root != null ? root.minSeg : rootMinSeg;
    }

    /**
     * Drops loaded nodes deeper than {@code depth} so that a trie kept across commits holds only its top levels
     * (the rest is reloaded on demand). Only for a clean trie.
     */
    void trim(int depth) {
        if (root != null) trim(root, depth);
    }

    private static void trim(Node n, int depth) {
        switch (n) {
            case Leaf l -> { }
            case Ext e -> {
                if (e.kid == null) return;
                if (depth <= 1) e.kid = null;
                else trim(e.kid, depth - 1);
            }
            case Branch b -> {
                for (int i = 0; i < 16; i++) {
                    if (b.kids[i] == null) continue;
                    if (depth <= 1) b.kids[i] = null;
                    else trim(b.kids[i], depth - 1);
                }
            }
        }
    }

    /**
     * Compaction: loads and marks for rewriting (with unchanged content, so nothing is rehashed) every node of the newest trie stored in a segment below {@code belowSeg},
     * together with its ancestors, so that the next {@link #write} copies them forward; {@code account} is told
     * about account leaves whose storage trie reaches below {@code belowSeg} (it relocates up to the budget it is
     * given of that trie, puts the leaf back and returns how many nodes it used). Stops after about {@code budget}
     * nodes, storage nodes included (it may pass it by the ancestors of the last node marked); returns how many nodes
     * of this trie it marked.
     */
    int relocate(int belowSeg, int budget, StorageRelocator account) {
        Node r = root();
        if (r == null) return 0;
        int[] left = {budget};
        int[] marked = {0};
        relocate(r, new byte[KEY_BYTES], 0, belowSeg, left, account, marked);
        return marked[0];
    }

    /** Relocates up to {@code budget} nodes of an account leaf's storage trie; returns how many it marked. */
    interface StorageRelocator {
        int relocate(Leaf account, int budget);
    }

    /** Dirty nodes of the trie: what the next {@link #write} writes. */
    int dirtyNodes() {
        return root == null ? 0 : dirtyNodes(root);
    }

    private static int dirtyNodes(Node n) {
        if (!n.dirty) return 0;
        int c = 1;
        switch (n) {
            case Leaf l -> { }
            case Ext e -> {
                if (e.kid != null) c += dirtyNodes(e.kid);
            }
            case Branch b -> {
                for (int i = 0; i < 16; i++) if (b.kids[i] != null) c += dirtyNodes(b.kids[i]);
            }
        }
        return c;
    }

    /** Returns true when it marked {@code n} dirty. */
    private boolean relocate(Node n, byte[] path, int depth, int belowSeg, int[] left, StorageRelocator account, int[] marked) {
        if (left[0] <= 0) return false;
        if (!n.dirty && n.minSeg >= belowSeg) return false;
        boolean mark = !n.dirty && n.ptr != 0 && Ptr.segment(n.ptr) < belowSeg;
        switch (n) {
            case Leaf l -> {
                if (l.storagePtr != 0 && l.storageMinSeg < belowSeg) {
                    left[0] -= account.relocate(l, left[0]);
                    mark = true;
                }
            }
            case Ext e -> {
                if (e.kid != null || e.kidMinSeg < belowSeg) {
                    System.arraycopy(e.src, 0, path, 0, KEY_BYTES);
                    if (relocate(kid(e, path), path, e.end, belowSeg, left, account, marked)) mark = true;
                }
            }
            case Branch b -> {
                for (int i = 0; i < 16 && left[0] > 0; i++) {
                    if (b.kids[i] == null && (b.kidRef[i] == null || b.kidMinSeg[i] >= belowSeg)) continue;
                    setNibble(path, depth, i);
                    Node k = kid(b, i, path, depth + 1);
                    if (relocate(k, path, depth + 1, belowSeg, left, account, marked)) mark = true;
                }
            }
        }
        if (mark && !n.dirty) { // a node this commit already rewrites costs nothing more
            move(n);
            left[0]--;
            marked[0]++;
        }
        return mark || n.dirty;
    }

    /** Calls {@code visit} for every stored node of the trie (loading all of it), leaves with their full key. */
    void forEachStored(java.util.function.Consumer<Node> visit) {
        Node r = root();
        if (r != null) walk(r, new byte[KEY_BYTES], 0, visit);
    }

    private void walk(Node n, byte[] path, int depth, java.util.function.Consumer<Node> visit) {
        visit.accept(n);
        switch (n) {
            case Leaf l -> { }
            case Ext e -> {
                byte[] p = e.src.clone();
                walk(kid(e, p), p, e.end, visit);
                e.kid = null; // walks cover whole tries: keep memory flat
            }
            case Branch b -> {
                for (int i = 0; i < 16; i++) {
                    if (!b.has(i)) continue;
                    setNibble(path, depth, i);
                    walk(kid(b, i, path, depth + 1), path, depth + 1, visit);
                    b.kids[i] = null;
                }
            }
        }
    }
}
