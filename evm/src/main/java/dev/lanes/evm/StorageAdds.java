package dev.lanes.evm;

import static dev.lanes.evm.Opcodes.*;

/**
 * Finds the read-add-write idiom of a storage slot in code: an SLOAD whose result is used only as one operand of an
 * ADD whose result is used only as the value of an SSTORE to the same key, all in one basic block. The idiom is what
 * compilers emit for {@code balances[to] += amount} without an overflow check (OpenZeppelin's ERC-20 credits the
 * recipient so since its version 5).
 *
 * <p>Within such a pair the loaded value {@code v} is observed only through the SSTORE: the stored value is {@code v +
 * d} with {@code d} independent of {@code v}, and SSTORE's gas and refund (every fork's rules) depend only on whether
 * {@code v} is zero and whether {@code v + d} is zero, given that the transaction touches the slot nowhere else (the
 * {@link Journal} checks that at run time). So the transaction's effect on the slot is "add {@code d}", whatever {@code
 * v} is within those two classes: Block-STM records it as a delta and validates only the classes.
 *
 * <p>The analysis is symbolic: each stack item is an id; DUP copies an id, SWAP moves ids, every other instruction
 * pops ids and pushes fresh ones. A candidate dies when its loaded value or its sum (or a copy of either) is consumed
 * by anything but its ADD, its SSTORE or a POP, or a copy is still on the stack at the end of the block. Items below the block's entry get ids on first use,
 * so a key copied before the SLOAD in the same block is recognised as the SSTORE's key. Instructions that a fork does
 * not define halt the frame there, and a halt before the SSTORE leaves the slot read but not stored, which the journal
 * treats as an ordinary read: the analysis may assume the latest fork's stack effects.
 */
final class StorageAdds {
    private StorageAdds() {}

    /** No pair in the code. */
    static final long[][] NONE = {new long[0], new long[0], new long[0]};

    /** Instructions after which the block ends, and bytes no fork defines (they halt). */
    private static final boolean[] ENDS = new boolean[256];

    static {
        for (int op = 0; op < 256; op++) ENDS[op] = !defined(op);
        for (int op : new int[] {STOP, JUMP, JUMPI, RETURN, REVERT, INVALID, SELFDESTRUCT}) ENDS[op] = true;
        // JUMPDEST starts a block (handled in the scan).
    }

    /** Candidates one block holds at once; more are ignored (their SLOADs are simply not treated as adding). */
    private static final int MAX_CANDIDATES = 16;
    /** Stack items tracked: the EVM's limit, and as many below the block's entry. */
    private static final int DEPTH = 1024;

    /** The candidates of one block: an SLOAD, its key's id, its value's id and copies, its sum's id and copies. */
    private static final class Candidates {
        final int[] pc = new int[MAX_CANDIDATES], key = new int[MAX_CANDIDATES];
        final int[] v = new int[MAX_CANDIDATES], vCopies = new int[MAX_CANDIDATES];
        final int[] sum = new int[MAX_CANDIDATES], sumCopies = new int[MAX_CANDIDATES], storePc = new int[MAX_CANDIDATES];
        int live;

        void add(int loadPc, int keyId, int valueId) {
            if (live == MAX_CANDIDATES) return;
            pc[live] = loadPc;
            key[live] = keyId;
            v[live] = valueId;
            vCopies[live] = 1;
            sum[live] = 0;
            sumCopies[live] = 0;
            storePc[live] = -1;
            live++;
        }

        /** The candidate whose value or sum is {@code id}, or -1 (ids are unique: at most one). */
        int of(int id) {
            for (int i = 0; i < live; i++) if (v[i] == id || (sum[i] != 0 && sum[i] == id)) return i;
            return -1;
        }

        void remove(int i) {
            live--;
            pc[i] = pc[live];
            key[i] = key[live];
            v[i] = v[live];
            vCopies[i] = vCopies[live];
            sum[i] = sum[live];
            sumCopies[i] = sumCopies[live];
            storePc[i] = storePc[live];
        }

        /** An instruction other than the pair's own uses item {@code id}: a candidate it belongs to is out. */
        void consumed(int id) {
            int c = of(id);
            if (c >= 0) remove(c);
        }

        /** Item {@code id} was popped, unobserved. */
        void popped(int id) {
            int c = of(id);
            if (c < 0) return;
            if (v[c] == id) vCopies[c]--;
            else sumCopies[c]--;
        }

        /** Item {@code id} was copied. */
        void copied(int id) {
            int c = of(id);
            if (c < 0) return;
            if (v[c] == id) vCopies[c]++;
            else sumCopies[c]++;
        }
    }

    /**
     * The pairs in {@code code} (the first {@code length} bytes of {@code padded}): bit {@code pc} of the first array
     * marks such an SLOAD, of the second such an SSTORE; the third lists the pairs, {@code load << 32 | store}, sorted. {@link #NONE} when there are none. A pair is proven once the
     * SSTORE has stored the sum to the key and no copy of the value or the sum is left on the stack (copies may be
     * made, as older compilers do, if they are only popped).
     */
    static long[][] analyze(byte[] padded, int length) {
        long[][] out = {null, null, null};
        java.util.ArrayList<Long> pairs = new java.util.ArrayList<>();
        int[] st = new int[2 * DEPTH + 2];
        int sp = DEPTH, known = DEPTH, next = 1;
        Candidates c = new Candidates();
        boolean stores = false, atBlockStart = true;
        for (int pc = 0; pc < length; ) {
            if (atBlockStart) {
                // A block without an SLOAD holds no pair: skip to its end without simulating it.
                atBlockStart = false;
                boolean loads = false;
                int q = pc;
                while (q < length) {
                    int o = padded[q] & 0xff;
                    if (o == JUMPDEST || ENDS[o]) break;
                    loads |= o == SLOAD;
                    stores |= o == SSTORE;
                    q += o >= PUSH1 && o <= PUSH32 ? o - PUSH1 + 2 : 1;
                }
                if (!loads) {
                    pc = q;
                    continue;
                }
            }
            int op = padded[pc] & 0xff;
            int width = op >= PUSH1 && op <= PUSH32 ? op - PUSH1 + 2 : 1;
            int pops = stackIn(op), pushes = stackOut(op);
            if (op == JUMPDEST || ENDS[op] || sp - pops < 0 || sp - pops + pushes > st.length) {
                // A block ends (or the stack leaves what is tracked): whatever is live was not proven in it. The next
                // block starts on unknown items.
                c.live = 0;
                sp = known = DEPTH;
                next = 1;
                pc += width;
                atBlockStart = true;
                continue;
            }
            known = materialize(st, sp - pops, known);
            if (op >= DUP1 && op <= DUP16) {
                int id = st[sp - pops];
                c.copied(id);
                st[sp++] = id;
            } else if (op >= SWAP1 && op <= SWAP16) {
                int t = st[sp - 1];
                st[sp - 1] = st[sp - pops];
                st[sp - pops] = t;
            } else if (op == POP) {
                c.popped(st[--sp]);
            } else if (op == SLOAD) {
                int key = st[sp - 1];
                c.consumed(key);
                int v = next++;
                st[sp - 1] = v;
                c.add(pc, key, v);
            } else if (op == ADD) {
                int a = st[sp - 1], b = st[sp - 2];
                int ca = c.of(a), cb = c.of(b);
                // One operand a candidate's value (its first add), the other anything else: the candidate's sum.
                int k = -1, other = 0;
                if (ca >= 0 && cb < 0 && c.v[ca] == a && c.sum[ca] == 0) { k = ca; other = b; }
                else if (cb >= 0 && ca < 0 && c.v[cb] == b && c.sum[cb] == 0) { k = cb; other = a; }
                sp -= 2;
                int sum = next++;
                if (k >= 0) {
                    c.vCopies[k]--;
                    c.sum[k] = sum;
                    c.sumCopies[k] = 1;
                } else {
                    c.consumed(a);
                    c.consumed(b);
                }
                st[sp++] = sum;
            } else if (op == SSTORE) {
                int key = st[sp - 1], value = st[sp - 2];
                int k = c.of(value);
                if (k >= 0 && c.sum[k] == value && c.key[k] == key && c.storePc[k] < 0) {
                    c.sumCopies[k]--;
                    c.storePc[k] = pc;
                } else {
                    c.consumed(value);
                }
                c.consumed(key);
                sp -= 2;
            } else {
                for (int i = 1; i <= pops; i++) c.consumed(st[sp - i]);
                sp -= pops;
                for (int i = 0; i < pushes; i++) st[sp++] = next++;
            }
            for (int i = 0; i < c.live; ) {
                if (c.storePc[i] >= 0 && c.vCopies[i] == 0 && c.sumCopies[i] == 0) {
                    if (out[0] == null) {
                        out[0] = new long[(length + 63) >>> 6];
                        out[1] = new long[(length + 63) >>> 6];
                    }
                    out[0][c.pc[i] >>> 6] |= 1L << c.pc[i];
                    pairs.add(((long) c.pc[i] << 32) | c.storePc[i]);
                    out[1][c.storePc[i] >>> 6] |= 1L << c.storePc[i];
                    c.remove(i);
                } else {
                    i++;
                }
            }
            pc += width;
        }
        if (!stores) return NONE; // nothing stores: no pair (most calls of view code end here)
        // SLOADs the block pass did not pair: an add checked for overflow spans blocks (a branch to a revert, often an
        // internal function reached by JUMP), so follow the paths out of the SLOAD's block.
        long[] jd = null;
        int blockStart = 0;
        for (int pc = 0; pc < length; ) {
            int op = padded[pc] & 0xff;
            if (op == JUMPDEST) blockStart = pc;
            if (op == SLOAD && (out[0] == null || (out[0][pc >>> 6] & (1L << pc)) == 0)) {
                if (jd == null) jd = Code.jumpdestBitmap(padded, length);
                int store = new PathProof(padded, length, jd).prove(blockStart, pc);
                if (store >= 0) {
                    if (out[0] == null) {
                        out[0] = new long[(length + 63) >>> 6];
                        out[1] = new long[(length + 63) >>> 6];
                    }
                    out[0][pc >>> 6] |= 1L << pc;
                    pairs.add(((long) pc << 32) | store);
                    out[1][store >>> 6] |= 1L << store;
                }
            }
            if (ENDS[op]) blockStart = pc + 1;
            pc += op >= PUSH1 && op <= PUSH32 ? op - PUSH1 + 2 : 1;
        }
        if (out[0] == null) return NONE;
        out[2] = new long[pairs.size()];
        for (int i = 0; i < out[2].length; i++) out[2][i] = pairs.get(i);
        java.util.Arrays.sort(out[2]);
        return out;
    }

    /**
     * The proof for one SLOAD along every path from it (both ways at each JUMPI, constant JUMP targets followed, at
     * most {@link #STEPS} instructions in all): the loaded value {@code v} may be added once to an item {@code d}
     * (giving the sum), popped, tested for zero, compared with the sum (LT, GT, EQ in either order: a function of
     * whether {@code v + d} overflowed and whether {@code d} is zero), or compared as {@code v > NOT(d)} or {@code v >
     * MAX - d} (overflow); the sum may be popped, tested for zero, compared with {@code v}, or stored once; a test's
     * result may be negated, popped, or decide a JUMPI. Anything else that consumes one of them fails the proof, as
     * does a JUMP to a target that is not a constant, more paths than the bound, or an SSTORE, a call or a creation
     * before the sum is stored. A path ends at the frame's end (STOP, RETURN, REVERT, INVALID, an invalid jump) or once
     * the sum is stored and none of these items is left on the stack. The SSTORE must be the same on every path that
     * stores. Its key need not be the SLOAD's key item (solc 0.4 computes it again): the journal completes a pair only
     * when the store's slot is the one the frame's pending SLOAD-for-add loaded ({@link Journal#sstoreAdded}), and since
     * nothing stores or calls between the two, that load is this SLOAD's. So the transaction depends on {@code v}
     * only through three tests (zero, sum zero, overflow), which Block-STM validates.
     */
    private static final class PathProof {
        /**
         * Instructions followed over all paths of one SLOAD; the shapes above take a few dozen (SafeMath's call, solc
         * 0.8's panic path), and every SLOAD of a code is tried once, when the code first runs under Block-STM.
         */
        static final int STEPS = 512;
        /** Stack items tracked on a path: BASE below the SLOAD's block entry, SIZE in all (a branch copies them). */
        static final int BASE = 64, SIZE = 256;
        /** Item tags: the loaded value, the sum, a test of them, NOT(x) or MAX - x for some x (see {@link #notOf}). */
        static final byte V = 1, SUM = 2, TEST = 3, NOT_D = 4, MAX = 5;

        final byte[] code;
        final int length;
        final long[] jd;
        /**
         * Per item id made on the path (ids count up from 1; items below the block's entry have negative ids and no
         * entry): its tag (0: none), for a NOT_D item the x it negates, and whether it is a constant (a PUSH of at most
         * 8 bytes, or an AND of two constants) and which. Arrays rather than maps: every SLOAD of a code is tried.
         */
        byte[] tags = new byte[256];
        int[] notOf = new int[256];
        long[] constants = new long[256];
        boolean[] isConstant = new boolean[256];
        int next = 1, steps, dId, storePc = -1;
        boolean failed;

        PathProof(byte[] code, int length, long[] jd) {
            this.code = code;
            this.length = length;
            this.jd = jd;
        }

        /** Makes room for ids up to {@code id}. */
        private void room(int id) {
            if (id < tags.length) return;
            int n = Math.max(id + 1, tags.length * 2);
            tags = java.util.Arrays.copyOf(tags, n);
            notOf = java.util.Arrays.copyOf(notOf, n);
            constants = java.util.Arrays.copyOf(constants, n);
            isConstant = java.util.Arrays.copyOf(isConstant, n);
        }

        private void setTag(int id, byte t) {
            room(id);
            tags[id] = t;
        }

        private void setConstant(int id, long c) {
            room(id);
            constants[id] = c;
            isConstant[id] = true;
        }

        private Long constantOf(int id) {
            return id > 0 && id < tags.length && isConstant[id] ? constants[id] : null;
        }

        /** The paired SSTORE's pc, or -1. Simulates from {@code start} (a block's first instruction) to the SLOAD. */
        int prove(int start, int sloadPc) {
            int[] st = new int[SIZE];
            int sp = BASE, known = BASE;
            for (int pc = start; pc < sloadPc; ) {
                int op = code[pc] & 0xff;
                int pops = stackIn(op), pushes = stackOut(op);
                if (sp - pops < 0 || sp - pops + pushes > st.length) return -1;
                known = materialize(st, sp - pops, known);
                if (op >= DUP1 && op <= DUP16) {
                    st[sp] = st[sp - pops];
                    sp++;
                } else if (op >= SWAP1 && op <= SWAP16) {
                    int t = st[sp - 1];
                    st[sp - 1] = st[sp - pops];
                    st[sp - pops] = t;
                } else {
                    Long folded = fold(op, st, sp);
                    sp -= pops;
                    for (int i = 0; i < pushes; i++) st[sp++] = next++;
                    if (op >= PUSH0 && op <= PUSH1 + 7) setConstant(st[sp - 1], constant(pc, op));
                    else if (folded != null) setConstant(st[sp - 1], folded);
                }
                pc += op >= PUSH1 && op <= PUSH32 ? op - PUSH1 + 2 : 1;
            }
            if (sp - 1 < 0) return -1;
            known = materialize(st, sp - 1, known);
            int v = next++;
            st[sp - 1] = v;
            setTag(v, V);
            walk(sloadPc + 1, st, sp, known, false, false, 0);
            return failed ? -1 : storePc;
        }

        /**
         * AND of two constants (solc 0.4 masks an internal function's address with {@code AND 0xffffffff} before it
         * jumps there), or null.
         */
        private Long fold(int op, int[] st, int sp) {
            if (op != AND) return null;
            Long x = constantOf(st[sp - 1]), y = constantOf(st[sp - 2]);
            return x == null || y == null ? null : x & y;
        }

        /** The value PUSH0-PUSH8 at {@code pc} pushes. */
        private long constant(int pc, int op) {
            long c = 0;
            for (int i = 1, n = op - PUSH0; i <= n; i++) c = (c << 8) | (code[pc + i] & 0xff);
            return c;
        }

        private byte tag(int id) {
            return id > 0 && id < tags.length ? tags[id] : 0;
        }

        private boolean tracked(int id) {
            byte t = tag(id);
            return t == V || t == SUM || t == TEST;
        }

        /** Branches followed at most on one path. */
        static final int DEPTH_MAX = 32;

        /**
         * Follows one path from {@code pc} with the stack {@code st[..sp)} (its own copy); {@code stored}: the sum was
         * stored on it, {@code added}: the sum was made on it; {@code depth}: branches taken so far.
         */
        private void walk(int pc, int[] st, int sp, int known, boolean stored, boolean added, int depth) {
            while (!failed) {
                if (++steps > STEPS) {
                    fail();
                    return;
                }
                if (stored) {
                    boolean left = false;
                    for (int i = Math.max(known, 0); i < sp && !left; i++) left = tracked(st[i]);
                    if (!left) return; // stored, and nothing of the value, the sum or a test is left
                }
                if (pc >= length) return; // the frame stops
                int op = code[pc] & 0xff;
                if (op == STOP || op == INVALID || !defined(op)) return;
                int pops = stackIn(op), pushes = stackOut(op);
                // Beyond the items tracked (BASE below the block's entry, SIZE in all): not followed, so not proven.
                if (sp - pops < 0 || sp - pops + pushes > st.length) { fail(); return; }
                known = materialize(st, sp - pops, known);
                int width = op >= PUSH1 && op <= PUSH32 ? op - PUSH1 + 2 : 1;
                if (op >= PUSH0 && op <= PUSH32) {
                    int id = next++;
                    int n = width - 1;
                    if (n <= 8) {
                        setConstant(id, constant(pc, op));
                    } else if (n == 32) {
                        boolean max = true;
                        for (int i = 1; i <= 32 && max; i++) max = code[pc + i] == (byte) 0xff;
                        if (max) setTag(id, MAX);
                    }
                    st[sp++] = id;
                    pc += width;
                    continue;
                }
                if (op >= DUP1 && op <= DUP16) {
                    st[sp] = st[sp - pops];
                    sp++;
                    pc++;
                    continue;
                }
                if (op >= SWAP1 && op <= SWAP16) {
                    int t = st[sp - 1];
                    st[sp - 1] = st[sp - pops];
                    st[sp - pops] = t;
                    pc++;
                    continue;
                }
                int a = st[sp - 1], b = pops >= 2 ? st[sp - 2] : 0;
                byte ta = tag(a), tb = pops >= 2 ? tag(b) : 0;
                switch (op) {
                    case POP -> {
                        sp--;
                        pc++;
                        continue;
                    }
                    case JUMP -> {
                        if (tracked(a)) { fail(); return; }
                        Long target = constantOf(a);
                        if (target == null) { fail(); return; }
                        if (!isJumpdest(target)) return; // an invalid jump: the frame fails
                        sp--;
                        pc = (int) (long) target;
                        continue;
                    }
                    case JUMPI -> {
                        if (tracked(a)) { fail(); return; }
                        Long target = constantOf(a);
                        // Either way: a condition made from the value or the sum is one of the tests Block-STM
                        // validates, and any other condition is independent of them.
                        if (target == null || depth >= DEPTH_MAX) { fail(); return; }
                        sp -= 2;
                        if (isJumpdest(target)) walk((int) (long) target, st.clone(), sp, known, stored, added, depth + 1);
                        pc++;
                        continue;
                    }
                    case SSTORE -> {
                        // The key need not be the SLOAD's key item (solc 0.4 computes it again): the journal pairs the
                        // store with the slot its last SLOAD-for-add loaded, at run time.
                        if (tb == SUM && !tracked(a) && !stored && (storePc < 0 || storePc == pc)) {
                            storePc = pc;
                            stored = true;
                            sp -= 2;
                            pc++;
                            continue;
                        }
                        // Before the sum is stored no other store (another pair's SSTORE could be taken for this one's:
                        // the journal pairs a store with the frame's pending SLOAD-for-add by slot).
                        if (!stored || tracked(a) || tracked(b) || tb == SUM) { fail(); return; }
                    }
                    case CALL, CALLCODE, DELEGATECALL, STATICCALL, CREATE, CREATE2 -> {
                        if (!stored) { fail(); return; }
                    }
                    case ADD -> {
                        if ((ta == V) != (tb == V) && !tracked(ta == V ? b : a)) {
                            int d = ta == V ? b : a;
                            if (added || (dId != 0 && dId != d)) { fail(); return; }
                            dId = d;
                            added = true;
                            int sum = next++;
                            setTag(sum, SUM);
                            sp -= 2;
                            st[sp++] = sum;
                            pc++;
                            continue;
                        }
                    }
                    case NOT -> {
                        if (!tracked(a)) {
                            int id = next++;
                            setTag(id, NOT_D);
                            notOf[id] = a;
                            st[sp - 1] = id;
                            pc++;
                            continue;
                        }
                    }
                    case SUB -> {
                        if (ta == MAX && !tracked(b)) { // MAX - b
                            int id = next++;
                            setTag(id, NOT_D);
                            notOf[id] = b;
                            sp -= 2;
                            st[sp++] = id;
                            pc++;
                            continue;
                        }
                    }
                    case ISZERO -> {
                        if (tracked(a)) {
                            int id = next++;
                            setTag(id, TEST);
                            st[sp - 1] = id;
                            pc++;
                            continue;
                        }
                    }
                    case LT, GT, EQ -> {
                        boolean vs = (ta == V && tb == SUM) || (ta == SUM && tb == V);
                        // GT(v, NOT d): a = v, b = NOT d; LT(NOT d, v): a = NOT d, b = v
                        int negated = op == GT && ta == V && tb == NOT_D ? b : op == LT && ta == NOT_D && tb == V ? a : 0;
                        if (negated != 0) {
                            int d = notOf[negated];
                            if (dId != 0 && dId != d) { fail(); return; }
                            dId = d;
                        }
                        if (vs || negated != 0) {
                            int id = next++;
                            setTag(id, TEST);
                            sp -= 2;
                            st[sp++] = id;
                            pc++;
                            continue;
                        }
                    }
                    default -> { }
                }
                // Any other instruction: it may not consume the value, the sum or a test.
                for (int i = 1; i <= pops; i++) {
                    if (tracked(st[sp - i])) { fail(); return; }
                }
                if (op == RETURN || op == REVERT || op == SELFDESTRUCT) return; // the frame ends
                Long folded = fold(op, st, sp);
                sp -= pops;
                for (int i = 0; i < pushes; i++) st[sp++] = next++;
                if (folded != null) setConstant(st[sp - 1], folded);
                pc += width;
            }
        }

        /** The proof fails: the walk stops and the code's SLOADs are not recorded as adds. */
        void fail() {
            failed = true;
        }

        private boolean isJumpdest(long target) {
            return target >= 0 && target < length && (jd[(int) (target >>> 6)] & (1L << target)) != 0;
        }
    }

    /** Gives the items from {@code from} up to {@code known} ids of their own (items below the block's entry). */
    private static int materialize(int[] st, int from, int known) {
        // Entry items get negative ids, one per depth: distinct from every id pushed in the block, and equal for
        // every use of the same entry item.
        for (int i = known - 1; i >= from; i--) st[i] = -(DEPTH - i) - 1;
        return Math.min(from, known);
    }
}
