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
        // the same, with the copy left on the stack at the block's end: it may be used later
        assertEquals(List.of(), marked(JUMPDEST, PUSH1, 0, DUP3, DUP3, SLOAD, ADD, SWAP3, POP, POP, DUP2, SWAP1, SSTORE,
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
        // the sum copied (logged, compared, returned)
        assertEquals(List.of(), marked(PUSH1, 7, DUP1, SLOAD, PUSH1, 5, ADD, DUP1, SWAP2, SSTORE));
        // the value used by another instruction than ADD (a checked add compares it)
        assertEquals(List.of(), marked(PUSH1, 7, DUP1, SLOAD, PUSH1, 5, SUB, SWAP1, SSTORE));
        assertEquals(List.of(), marked(PUSH1, 7, DUP1, SLOAD, PUSH1, 5, ADD, PUSH1, 1, ADD, SWAP1, SSTORE));
        // added to itself
        assertEquals(List.of(), marked(PUSH1, 7, DUP1, SLOAD, DUP1, ADD, SWAP1, SSTORE));
        // the sum stored elsewhere
        assertEquals(List.of(), marked(PUSH1, 7, DUP1, SLOAD, PUSH1, 5, ADD, PUSH1, 8, SSTORE, POP));
        // the key pushed again rather than copied: equal at run time, but not provably the same item here
        assertEquals(List.of(), marked(PUSH1, 7, SLOAD, PUSH1, 5, ADD, PUSH1, 7, SSTORE));
    }

    @Test void onlyWithinOneBlock() {
        assertEquals(List.of(), marked(PUSH1, 7, DUP1, SLOAD, PUSH1, 5, JUMPDEST, ADD, SWAP1, SSTORE));
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

    @Test void noPairsInPlainCode() {
        Code c = Code.analyze(Hash.ZERO, new byte[] {(byte) PUSH1, 1, (byte) SLOAD, (byte) POP, (byte) STOP});
        assertFalse(c.sloadAdds(2));
        assertFalse(c.sstoreAdds(2));
        assertFalse(c.sloadAdds(1000));
        assertTrue(StorageAdds.analyze(new byte[40], 0) == StorageAdds.NONE);
    }
}
