package dev.lanes.evm.interpreter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lanes.evm.Fork;
import dev.lanes.evm.ForkRules;
import org.junit.jupiter.api.Test;

/** The run table: static gas, stack needs and growth of the straight-line run from each instruction. */
class BasicBlocksTest {
    private static int run(long gas, int need, int grow) {
        return (int) gas | need << BasicBlocks.NEED_SHIFT | grow << BasicBlocks.GROW_SHIFT;
    }

    private static int[] analyze(int[] gasTable, int... bytes) {
        byte[] code = new byte[bytes.length + 33];
        for (int i = 0; i < bytes.length; i++) code[i] = (byte) bytes[i];
        return BasicBlocks.analyze(code, bytes.length, gasTable);
    }

    @Test
    void runsEndAfterGasAndOverlapAtJumpdest() {
        int[] gas = ForkRules.of(Fork.CANCUN).gas;
        // 0: PUSH1 1, 2: PUSH1 2, 4: ADD, 5: JUMPDEST, 6: POP, 7: GAS, 8: POP, 9: STOP
        int[] runs = analyze(gas, 0x60, 1, 0x60, 2, 0x01, 0x5b, 0x50, 0x5a, 0x50, 0x00);
        assertEquals(run(3 + 3 + 3 + 1 + 2 + 2, 0, 2), runs[0]);
        assertEquals(0, runs[1], "push data is not an instruction");
        assertEquals(run(3 + 1 + 2 + 2, 2, 0), runs[4]);
        assertEquals(run(1 + 2 + 2, 1, 0), runs[5]);
        assertEquals(run(2, 0, 1), runs[7]);
        assertEquals(run(2, 1, 0), runs[8]);
        assertEquals(0, runs[10], "past the end: STOP, nothing to charge");
    }

    @Test
    void undefinedOpcodeOrOversizedRunCannotRunUnchecked() {
        int[] gas = ForkRules.of(Fork.CANCUN).gas;
        int[] runs = analyze(gas, 0x60, 1, 0x0c);
        assertEquals(BasicBlocks.UNCHECKABLE, runs[0]);
        assertEquals(BasicBlocks.UNCHECKABLE, runs[2]);
        int[] pops = new int[200];
        java.util.Arrays.fill(pops, 0x50);
        assertEquals(BasicBlocks.UNCHECKABLE, analyze(gas, pops)[0], "needs more items than the field holds");
        assertEquals(run(2 * 100, 100, 0), analyze(gas, pops)[100]);
    }
}
