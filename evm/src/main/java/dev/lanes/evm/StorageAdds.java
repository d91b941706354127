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
    static final long[][] NONE = {new long[0], new long[0]};

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
     * marks such an SLOAD, of the second such an SSTORE. {@link #NONE} when there are none. A pair is proven once the
     * SSTORE has stored the sum to the key and no copy of the value or the sum is left on the stack (copies may be
     * made, as older compilers do, if they are only popped).
     */
    static long[][] analyze(byte[] padded, int length) {
        long[][] out = {null, null};
        int[] st = new int[2 * DEPTH + 2];
        int sp = DEPTH, known = DEPTH, next = 1;
        Candidates c = new Candidates();
        for (int pc = 0; pc < length; ) {
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
                    out[1][c.storePc[i] >>> 6] |= 1L << c.storePc[i];
                    c.remove(i);
                } else {
                    i++;
                }
            }
            pc += width;
        }
        return out[0] == null ? NONE : out;
    }

    /** Gives the items from {@code from} up to {@code known} ids of their own (items below the block's entry). */
    private static int materialize(int[] st, int from, int known) {
        // Entry items get negative ids, one per depth: distinct from every id pushed in the block, and equal for
        // every use of the same entry item.
        for (int i = known - 1; i >= from; i--) st[i] = -(DEPTH - i) - 1;
        return Math.min(from, known);
    }
}
