package dev.lanes.evm;

import static dev.lanes.evm.Opcodes.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.primitives.Hash;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The read-add-write pairs {@link StorageAdds} finds, and the shapes it must not take for one. */
class StorageAddsTest {
    private static final int DUP2 = DUP1 + 1, DUP3 = DUP1 + 2, SWAP2 = SWAP1 + 1, SWAP3 = SWAP1 + 2;

    /** The pcs of the SLOADs and SSTOREs marked in {@code ops} (each int an opcode, or PUSH1's immediate after it). */
    private static List<Integer> marked(int... ops) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int op : ops) out.write(op);
        byte[] code = out.toByteArray();
        Code c = Code.analyze(Hash.ZERO, code);
        List<Integer> pcs = new ArrayList<>();
        for (int pc = 0; pc < code.length; pc++) {
            if (c.sloadAdds(pc)) pcs.add(pc);
            if (c.sstoreAdds(pc)) pcs.add(-pc);
        }
        return pcs;
    }

    @Test void theCompilersShape() {
        // key DUP1 SLOAD amount ADD SWAP1 SSTORE: balances[to] += amount, unchecked
        assertEquals(List.of(3, -8), marked(PUSH1, 7, DUP1, SLOAD, PUSH1, 5, ADD, SWAP1, SSTORE, STOP));
        // the value as ADD's second operand
        assertEquals(List.of(3, -8), marked(PUSH1, 7, DUP1, SLOAD, CALLVALUE, SWAP1, ADD, SWAP1, SSTORE));
    }

    @Test void copiesThatAreOnlyPopped() {
        // solc 0.4's WETH9 (balanceOf[dst] += wad): the sum is copied, stored, and the copy popped
        assertEquals(List.of(5, -12), marked(JUMPDEST, PUSH1, 0, DUP3, DUP3, SLOAD, ADD, SWAP3, POP, POP, DUP2, SWAP1, SSTORE,
                POP, STOP));
        // the same, with the copy used in the next block
        assertEquals(List.of(), marked(JUMPDEST, PUSH1, 0, DUP3, DUP3, SLOAD, ADD, SWAP3, POP, POP, DUP2, SWAP1, SSTORE,
                JUMPDEST, PUSH1, 0, MSTORE, STOP));
        // a copy left on the stack when the code ends is never seen
        assertEquals(List.of(5, -12), marked(JUMPDEST, PUSH1, 0, DUP3, DUP3, SLOAD, ADD, SWAP3, POP, POP, DUP2, SWAP1, SSTORE,
                JUMPDEST));
        // a copy of the value popped before the add
        assertEquals(List.of(3, -10), marked(PUSH1, 7, DUP1, SLOAD, DUP1, POP, PUSH1, 5, ADD, SWAP1, SSTORE));
        // a copy of the value added again: two sums
        assertEquals(List.of(), marked(PUSH1, 7, DUP1, SLOAD, DUP1, PUSH1, 5, ADD, SWAP1, PUSH1, 6, ADD, POP, SWAP1, SSTORE));
    }

    @Test void aKeyFromBelowTheBlocksEntry() {
        // JUMPDEST DUP1 SLOAD CALLVALUE ADD DUP2 SSTORE: the key was pushed before the block began
        assertEquals(List.of(2, -6), marked(JUMPDEST, DUP1, SLOAD, CALLVALUE, ADD, DUP2, SSTORE, STOP));
        // the sum moved deep and back, other work between
        assertEquals(List.of(2, -13), marked(JUMPDEST, DUP1, SLOAD, CALLVALUE, ADD, PUSH1, 1, PUSH1, 2, MSTORE, SWAP1, SWAP1, DUP2, SSTORE));
    }

    @Test void theValueObservedElsewhere() {
        // copied before the add
        assertEquals(List.of(), marked(PUSH1, 7, DUP1, SLOAD, DUP1, PUSH1, 5, ADD, SWAP2, SSTORE));
        // the sum copied and used after the store (logged, returned)
        assertEquals(List.of(), marked(PUSH1, 7, DUP1, SLOAD, PUSH1, 5, ADD, DUP1, SWAP2, SSTORE, PUSH1, 0, MSTORE));
        // the value used by another instruction than ADD (a checked add compares it)
        assertEquals(List.of(), marked(PUSH1, 7, DUP1, SLOAD, PUSH1, 5, SUB, SWAP1, SSTORE));
        assertEquals(List.of(), marked(PUSH1, 7, DUP1, SLOAD, PUSH1, 5, ADD, PUSH1, 1, ADD, SWAP1, SSTORE));
        // added to itself
        assertEquals(List.of(), marked(PUSH1, 7, DUP1, SLOAD, DUP1, ADD, SWAP1, SSTORE));
    }

    @Test void theStoresKeyIsCheckedAtRunTime() {
        // The key pushed again rather than copied (solc 0.4 computes it again), or another key: marked, since the
        // journal completes a pair only on the slot the frame's pending load read (StorageDeltaJournalTest).
        assertEquals(List.of(2, -8), marked(PUSH1, 7, SLOAD, PUSH1, 5, ADD, PUSH1, 7, SSTORE));
        assertEquals(List.of(3, -9), marked(PUSH1, 7, DUP1, SLOAD, PUSH1, 5, ADD, PUSH1, 8, SSTORE, POP));
    }

    @Test void pathsOutOfTheBlock() {
        assertEquals(List.of(3, -9), marked(PUSH1, 7, DUP1, SLOAD, PUSH1, 5, JUMPDEST, ADD, SWAP1, SSTORE));
        // the sum decides a JUMPI (a zero test) and is gone: nothing is stored
        assertEquals(List.of(), marked(PUSH1, 7, DUP1, SLOAD, PUSH1, 5, ADD, PUSH1, 20, JUMPI, SWAP1, SSTORE));
        // an undefined byte between halts the frame there
        assertEquals(List.of(), marked(PUSH1, 7, DUP1, SLOAD, PUSH1, 5, ADD, 0x0c, SWAP1, SSTORE));
        // the SLOAD inside PUSH data is no instruction
        assertEquals(List.of(), marked(PUSH2, SLOAD, ADD, STOP));
    }

    @Test void twoPairsInOneBlock() {
        assertEquals(List.of(3, -8, 12, -16), marked(PUSH1, 7, DUP1, SLOAD, PUSH1, 5, ADD, SWAP1, SSTORE,
                PUSH1, 8, DUP1, SLOAD, CALLVALUE, ADD, SWAP1, SSTORE));
        // interleaved: both values live at once
        assertEquals(List.of(3, 7, -11, -15), marked(PUSH1, 7, DUP1, SLOAD, PUSH1, 8, DUP1, SLOAD, CALLVALUE, ADD, SWAP1,
                SSTORE, CALLVALUE, ADD, SWAP1, SSTORE));
    }

    @Test void aCheckedAddAcrossBlocks() {
        // solc 0.8: k DUP1 SLOAD d DUP1 NOT DUP3 GT PUSH1 revert JUMPI ADD SWAP1 SSTORE STOP; revert: JUMPDEST 0 0 REVERT
        int[] checked = {PUSH1, 7, DUP1, SLOAD, CALLVALUE, DUP1, NOT, DUP3, GT, PUSH1, 18, JUMPI, ADD, SWAP1, SSTORE, STOP,
            0x0c, 0x0c, JUMPDEST, PUSH1, 0, DUP1, REVERT};
        assertEquals(List.of(3, -14), marked(checked));
        // the value used on the revert path (as REVERT's offset): not a pair
        int[] leaks = checked.clone();
        leaks[21] = MSTORE;
        assertEquals(List.of(), marked(leaks));
        // the comparison the wrong way round (not a function of overflow alone): not a pair
        int[] lt = checked.clone();
        lt[8] = LT;
        assertEquals(List.of(), marked(lt));
    }

    /**
     * Code from opcodes and labels: {@code "name:"} places a JUMPDEST named so, {@code ">name"} pushes its offset (PUSH1).
     */
    private static int[] asm(Object... parts) {
        java.util.Map<String, Integer> at = new java.util.HashMap<>();
        for (int pass = 0; pass < 2; pass++) {
            List<Integer> out = new ArrayList<>();
            for (Object p : parts) {
                if (p instanceof String l && l.endsWith(":")) {
                    at.put(l.substring(0, l.length() - 1), out.size());
                    out.add(JUMPDEST);
                } else if (p instanceof String l) {
                    out.add(PUSH1);
                    out.add(at.getOrDefault(l.substring(1), 0));
                } else {
                    out.add((Integer) p);
                }
            }
            if (pass == 1) return out.stream().mapToInt(Integer::intValue).toArray();
        }
        throw new AssertionError();
    }

    /** SafeMath's add as solc 0.4 calls it; {@code between}: instructions after the SLOAD. */
    private static int[] safeMath(Object... between) {
        List<Object> p = new ArrayList<>(List.of(">ret", PUSH1, 7, SLOAD));
        p.addAll(List.of(between));
        p.addAll(List.of(CALLVALUE, ">add", JUMP,
                "ret:", PUSH1, 7, SSTORE, STOP, // the key computed again
                "add:", DUP2, DUP2, ADD, DUP3, DUP2, LT, ">revert", JUMPI, SWAP3, SWAP2, POP, POP, JUMP,
                "revert:", PUSH1, 0, DUP1, REVERT));
        return asm(p.toArray());
    }

    @Test void safeMathThroughAnInternalFunction() {
        int[] code = safeMath();
        assertEquals(List.of(4, -12), marked(code));
        // an ordinary SLOAD on the way is allowed; a store or a call is not (the journal pairs a store with the frame's
        // pending load, and another frame could load meanwhile)
        assertEquals(List.of(4, -16), marked(safeMath(PUSH1, 9, SLOAD, POP)));
        assertEquals(List.of(), marked(safeMath(PUSH1, 9, PUSH1, 9, SSTORE)));
        assertEquals(List.of(), marked(safeMath(PUSH1, 0, DUP1, DUP1, DUP1, DUP1, GAS, STATICCALL, POP)));
        // the return address not a constant: the path is not followed
        int[] unknown = code.clone();
        unknown[0] = CALLVALUE;
        unknown[1] = CALLVALUE;
        assertEquals(List.of(), marked(unknown));
    }

    @Test void noPairsInPlainCode() {
        Code c = Code.analyze(Hash.ZERO, new byte[] {(byte) PUSH1, 1, (byte) SLOAD, (byte) POP, (byte) STOP});
        assertFalse(c.sloadAdds(2));
        assertFalse(c.sstoreAdds(2));
        assertFalse(c.sloadAdds(1000));
        assertTrue(StorageAdds.analyze(new byte[40], 0) == StorageAdds.NONE);
    }
}
