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
 * pops ids and pushes fresh ones. A candidate dies when its loaded value or its sum is copied (DUP), consumed by
 * anything else, or still on the stack at the end of the block. Items below the block's entry get ids on first use,
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

    /** Candidates one block holds at once; more are ignored (the code is then simply not treated as adding). */
    private static final int MAX_CANDIDATES = 16;
    /** Stack items tracked: the EVM's limit, and as many below the block's entry. */
    private static final int DEPTH = 1024;

    /**
     * The pairs in {@code code} (the first {@code length} bytes of {@code padded}): bit {@code pc} of the first array
     * marks such an SLOAD, of the second such an SSTORE. {@link #NONE} when there are none.
     */
    static long[][] analyze(byte[] padded, int length) {
        long[] loads = null, stores = null;
        int[] st = new int[2 * DEPTH + 2];
        int sp = DEPTH, known = DEPTH, next = 1;
        // Per live candidate: its SLOAD's pc, the key's id, the loaded value's id, the sum's id (0 before the ADD).
        int[] cPc = new int[MAX_CANDIDATES], cKey = new int[MAX_CANDIDATES], cV = new int[MAX_CANDIDATES], cS = new int[MAX_CANDIDATES];
        int live = 0;
        for (int pc = 0; pc < length; ) {
            int op = padded[pc] & 0xff;
            if (op == JUMPDEST || ENDS[op]) {
                // A block ends: whatever is still live was not stored in it. The next block starts on unknown items.
                live = 0;
                sp = known = DEPTH;
                next = 1;
                pc++;
                continue;
            }
            if (op >= PUSH1 && op <= PUSH32) {
                if (sp >= st.length) { live = 0; sp = known = DEPTH; pc += op - PUSH1 + 2; continue; }
                st[sp++] = next++;
                pc += op - PUSH1 + 2;
                continue;
            }
            if (op >= DUP1 && op <= DUP16) {
                int n = op - DUP1 + 1;
                if (sp - n < 0 || sp >= st.length) { live = 0; sp = known = DEPTH; pc++; continue; }
                known = materialize(st, sp - n, known);
                int id = st[sp - n];
                live = kill(id, cPc, cKey, cV, cS, live); // a copy of a tracked value: it may be observed
                st[sp++] = id;
                pc++;
                continue;
            }
            if (op >= SWAP1 && op <= SWAP16) {
                int n = op - SWAP1 + 1;
                if (sp - n - 1 < 0) { live = 0; sp = known = DEPTH; pc++; continue; }
                known = materialize(st, sp - n - 1, known);
                int t = st[sp - 1];
                st[sp - 1] = st[sp - n - 1];
                st[sp - n - 1] = t;
                pc++;
                continue;
            }
            int pops = stackIn(op), pushes = stackOut(op);
            if (sp - pops < 0) { live = 0; sp = known = DEPTH; pc++; continue; }
            known = materialize(st, sp - pops, known);
            if (op == SLOAD) {
                int key = st[sp - 1];
                live = kill(key, cPc, cKey, cV, cS, live);
                int v = next++;
                st[sp - 1] = v;
                if (live < MAX_CANDIDATES) {
                    cPc[live] = pc;
                    cKey[live] = key;
                    cV[live] = v;
                    cS[live] = 0;
                    live++;
                }
                pc++;
                continue;
            }
            if (op == ADD) {
                int a = st[sp - 1], b = st[sp - 2];
                int ca = candidateOfValue(a, cV, live), cb = candidateOfValue(b, cV, live);
                sp -= 2;
                int sum = next++;
                int c = -1;
                if (ca >= 0 && cb < 0 && !isSum(b, cS, live)) c = ca;
                else if (cb >= 0 && ca < 0 && !isSum(a, cS, live)) c = cb;
                if (c >= 0) {
                    cS[c] = sum;
                    cV[c] = -1; // consumed by its ADD
                } else {
                    live = kill(a, cPc, cKey, cV, cS, live);
                    live = kill(b, cPc, cKey, cV, cS, live);
                }
                st[sp++] = sum;
                pc++;
                continue;
            }
            if (op == SSTORE) {
                int key = st[sp - 1], value = st[sp - 2];
                int c = -1;
                for (int i = 0; i < live; i++) if (cS[i] == value && cS[i] != 0) c = i;
                if (c >= 0 && cKey[c] == key) {
                    if (loads == null) {
                        loads = new long[(length + 63) >>> 6];
                        stores = new long[(length + 63) >>> 6];
                    }
                    loads[cPc[c] >>> 6] |= 1L << cPc[c];
                    stores[pc >>> 6] |= 1L << pc;
                    live = remove(c, cPc, cKey, cV, cS, live);
                } else {
                    live = kill(value, cPc, cKey, cV, cS, live);
                }
                live = kill(key, cPc, cKey, cV, cS, live);
                sp -= 2;
                pc++;
                continue;
            }
            for (int i = 1; i <= pops; i++) live = kill(st[sp - i], cPc, cKey, cV, cS, live);
            sp -= pops;
            if (sp + pushes > st.length) { live = 0; sp = known = DEPTH; pc++; continue; }
            for (int i = 0; i < pushes; i++) st[sp++] = next++;
            pc++;
        }
        return loads == null ? NONE : new long[][] {loads, stores};
    }

    /** Gives the items from {@code from} up to {@code known} ids of their own (items below the block's entry). */
    private static int materialize(int[] st, int from, int known) {
        // Entry items get negative ids, one per depth: distinct from every id pushed in the block, and equal for
        // every use of the same entry item.
        for (int i = known - 1; i >= from; i--) st[i] = -(DEPTH - i) - 1;
        return Math.min(from, known);
    }

    /** The candidate whose loaded value (not yet added) is {@code id}, or -1. */
    private static int candidateOfValue(int id, int[] cV, int live) {
        for (int i = 0; i < live; i++) if (cV[i] == id) return i;
        return -1;
    }

    /** Whether {@code id} is some candidate's sum. */
    private static boolean isSum(int id, int[] cS, int live) {
        for (int i = 0; i < live; i++) if (cS[i] != 0 && cS[i] == id) return true;
        return false;
    }

    /** Drops every candidate whose loaded value or sum is {@code id}; returns the new count. */
    private static int kill(int id, int[] cPc, int[] cKey, int[] cV, int[] cS, int live) {
        for (int i = 0; i < live; ) {
            if (cV[i] == id || (cS[i] != 0 && cS[i] == id)) live = remove(i, cPc, cKey, cV, cS, live);
            else i++;
        }
        return live;
    }

    private static int remove(int i, int[] cPc, int[] cKey, int[] cV, int[] cS, int live) {
        live--;
        cPc[i] = cPc[live];
        cKey[i] = cKey[live];
        cV[i] = cV[live];
        cS[i] = cS[live];
        return live;
    }
}
