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

    /**
     * Filling the table lazily, entry by entry in any order, gives every entry it fills the value the whole-code pass
     * gives it: random codes of inline instructions, run ends, undefined opcodes, pushes running past the end and long
     * runs of POPs or JUMPDESTs (needs and gas past their fields), entered at random instruction offsets.
     */
    @Test
    void fillingOnEntryAgreesWithTheWholeCodePass() {
        java.util.Random rnd = new java.util.Random(7);
        Evm evm = new Evm();
        int[][] tables = {ForkRules.of(Fork.CANCUN).gas, ForkRules.of(Fork.FRONTIER).gas};
        int[] common = {0x01, 0x02, 0x03, 0x04, 0x0b, 0x10, 0x14, 0x15, 0x16, 0x1b, 0x50, 0x51, 0x52, 0x53, 0x56, 0x57,
            0x58, 0x59, 0x5a, 0x5b, 0x5f, 0x60, 0x61, 0x7f, 0x80, 0x81, 0x8f, 0x90, 0x9f, 0x00, 0x54, 0x55, 0xf1, 0x0c, 0xfe};
        for (int t = 0; t < 3000; t++) {
            int len = 1 + rnd.nextInt(t % 10 == 0 ? 3000 : 120);
            byte[] code = new byte[len + 33];
            int shape = rnd.nextInt(4);
            for (int i = 0; i < len; i++) {
                int op = shape == 1 && rnd.nextInt(4) != 0 ? 0x50 : shape == 2 && rnd.nextInt(4) != 0 ? 0x5b
                        : rnd.nextInt(8) == 0 ? rnd.nextInt(256) : common[rnd.nextInt(common.length)];
                code[i] = (byte) op;
            }
            int[] gas = tables[rnd.nextInt(tables.length)];
            int[] whole = BasicBlocks.analyze(code, len, gas);
            java.util.List<Integer> starts = new java.util.ArrayList<>();
            for (int pc = 0; pc < len; ) {
                starts.add(pc);
                int op = code[pc] & 0xff;
                pc += op >= 0x60 && op <= 0x7f ? op - 0x5f + 1 : 1;
            }
            java.util.Collections.shuffle(starts, rnd);
            int[] lazy = new int[len + 1];
            java.util.Arrays.fill(lazy, BasicBlocks.UNFILLED);
            for (int pc : starts) {
                if (lazy[pc] == BasicBlocks.UNFILLED) assertEquals(whole[pc], BasicBlocks.fill(code, lazy, pc, gas, evm), "entry " + pc);
            }
            for (int pc = 0; pc <= len; pc++) {
                if (lazy[pc] != BasicBlocks.UNFILLED) assertEquals(whole[pc], lazy[pc], "code " + t + " offset " + pc);
            }
        }
    }

    /**
     * A jump-only run ({@code JUMPDEST PUSHn X JUMP}) is marked with its gas and target, and a run that falls into it,
     * filled after the mark, still gets the whole-code pass's entry; runs that are not exactly that shape, or whose
     * target is no JUMPDEST, are left alone.
     */
    @Test
    void jumpOnlyRunsAreMarkedAndRunsFallingIntoThemFillAsBefore() {
        Evm evm = new Evm();
        int[] gas = ForkRules.of(Fork.CANCUN).gas;
        // 0: PUSH1 1 POP (falls into 3)  3: JUMPDEST PUSH2 0x000c JUMP  8: JUMPDEST PUSH1 10 JUMP (10 is no JUMPDEST)
        // 12: JUMPDEST PUSH1 3 PUSH1 0 JUMP (not jump-only)  18: JUMPDEST PUSH1 3 JUMP
        byte[] program = dev.lanes.primitives.Hex.decode("600150" + "5b61000c56" + "5b600a56" + "5b6003600056" + "5b600356");
        dev.lanes.evm.Code c = dev.lanes.evm.Code.analyze(dev.lanes.primitives.Keccak.hashOf(program), program);
        int[] whole = BasicBlocks.analyze(c.padded, c.length, gas);
        int[] lazy = new int[c.length + 1];
        java.util.Arrays.fill(lazy, BasicBlocks.UNFILLED);
        for (int pc : new int[] {3, 8, 12, 18}) {
            BasicBlocks.fill(c.padded, lazy, pc, gas, evm);
            BasicBlocks.threadJump(c, lazy, pc);
        }
        assertEquals(BasicBlocks.THREAD | (whole[3] & BasicBlocks.GAS_MAX), lazy[3]);
        assertEquals(12, lazy[5], "the target, in the PUSH's first data byte");
        assertEquals(BasicBlocks.THREAD | (whole[18] & BasicBlocks.GAS_MAX), lazy[18]);
        assertEquals(3, lazy[20]);
        assertEquals(whole[8], lazy[8], "target 10 is no JUMPDEST");
        assertEquals(whole[12], lazy[12], "not jump-only");
        assertEquals(whole[0], BasicBlocks.fill(c.padded, lazy, 0, gas, evm), "a run falling into a marked one");
        assertEquals(whole[4], lazy[4]);
    }
}
