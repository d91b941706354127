package dev.lanes.evm.interpreter;

import static dev.lanes.evm.Opcodes.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.lanes.evm.CallResult;
import dev.lanes.evm.Code;
import dev.lanes.evm.Fork;
import dev.lanes.evm.ForkRules;
import dev.lanes.evm.Status;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Hex;
import dev.lanes.primitives.Keccak;
import dev.lanes.primitives.UInt256;
import java.io.ByteArrayOutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The interpreter's two modes against each other: a code's first execution checks every instruction (no run table
 * yet; {@code Interpreter.execChecked}) until it has looped a few times, later ones check each run once on entry and execute its instructions
 * unchecked, straight-line arithmetic and stack instructions in {@code Interpreter.stay}'s loop. The same program run
 * three times on one {@link Code} must end with the status, gas left and output of a traced run (which checks every
 * instruction, one call per instruction).
 */
class InterpreterTablesTest {
    /** Instructions the unchecked mode runs without returning to the main loop (Interpreter.STAY), by stack need. */
    private static final int[] ONE = {ISZERO, NOT, CLZ};
    private static final int[] TWO = {ADD, MUL, SUB, DIV, SDIV, MOD, SMOD, SIGNEXTEND, LT, GT, SLT, SGT, EQ, AND, OR, XOR,
            BYTE, SHL, SHR, SAR};
    private static final int[] THREE = {ADDMOD, MULMOD};

    @Test void straightLineArithmeticAgreesWithTheCheckedMode() {
        Random seeds = new Random(20261206);
        int normal = 0;
        for (int i = 0; i < 2000; i++) {
            long seed = seeds.nextLong();
            Random r = new Random(seed);
            boolean osaka = r.nextBoolean();
            byte[] program = stretch(r, osaka);
            ForkRules rules = ForkRules.of(osaka ? Fork.OSAKA : Fork.CANCUN);
            long gas = r.nextInt(5) == 0 ? r.nextInt(2_000) : 1_000_000;
            if (threeRunsAgree(rules, program, gas, "seed " + seed)) normal++;
        }
        assertTrue(normal > 1200, "too few programs ran to their end: " + normal);
    }

    /**
     * Every DUPn followed by every binary instruction, MLOAD or MSTORE, which {@code Interpreter.stay} executes as one
     * (the instruction reading its first operand n deep): seventeen words, wide or small (positions and shift counts;
     * memory offsets within and past the active memory for MLOAD and MSTORE), a MUL to go
     * out of line (after it the run goes on in {@code stay}), then pairs of DUPn and the instruction with pushes to keep
     * the depth, and the top twelve words returned; DUP1 reads and writes the same word.
     */
    @Test void dupThenBinaryInstructionAgreesWithTheCheckedMode() {
        Random r = new Random(20261207);
        int[] ops = java.util.Arrays.copyOf(TWO, TWO.length + 2);
        ops[TWO.length] = MLOAD;
        ops[TWO.length + 1] = MSTORE;
        int memoryReturned = 0;
        for (int n = 1; n <= 16; n++) {
            for (int op : ops) {
                boolean memory = op == MLOAD || op == MSTORE;
                for (int k = 0; k < 3; k++) {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    if (memory) { // 1,024 bytes of active memory, the program's own bytes first; offsets below 1,280
                        out.write(PUSH2); out.write(0x04); out.write(0x00); out.write(PUSH0); out.write(PUSH0);
                        out.write(CODECOPY);
                    }
                    for (int w = 0; w < 17; w++) {
                        int len = memory ? 1 + r.nextInt(2) : r.nextBoolean() ? 1 : 1 + r.nextInt(32);
                        out.write(PUSH0 + len);
                        for (int b = 0; b < len; b++) {
                            out.write(memory ? (len == 2 && b == 0 ? r.nextInt(5) : r.nextInt(256))
                                    : len == 1 ? r.nextInt(40) : r.nextInt(256));
                        }
                    }
                    out.write(PUSH1); out.write(1 + r.nextInt(3)); out.write(MUL);
                    for (int p = 0; p < 6; p++) {
                        out.write(DUP1 + n - 1); out.write(op);
                        out.write(DUP1 + r.nextInt(16)); out.write(op); // a second pair, any depth
                        out.write(PUSH1); out.write(r.nextInt(40)); // back to seventeen and more
                        if (memory) { // a wide word on top: what the next MSTORE stores
                            out.write(PUSH32);
                            for (int b = 0; b < 32; b++) out.write(r.nextInt(256));
                        } else {
                            out.write(PUSH1); out.write(r.nextInt(256));
                        }
                    }
                    for (int w = 0; w < 12; w++) {
                        out.write(PUSH2); out.write(0); out.write(32 * w); out.write(MSTORE);
                    }
                    out.write(PUSH2); out.write(1); out.write(128); out.write(PUSH0); out.write(RETURN);
                    boolean returned = threeRunsAgree(ForkRules.of(Fork.CANCUN), out.toByteArray(), 1_000_000,
                            "DUP" + n + " then 0x" + Integer.toHexString(op));
                    // A loaded word used as an offset later can be huge (out of gas): only MLOAD and MSTORE may halt.
                    if (memory) memoryReturned += returned ? 1 : 0;
                    else assertTrue(returned, "DUP" + n + " then 0x" + Integer.toHexString(op) + " halted");
                }
            }
        }
        assertTrue(memoryReturned > 40, "MLOAD and MSTORE programs that returned: " + memoryReturned + " of 96");
    }

    /**
     * Memory growing word by word, as in an array being filled: MLOAD and MSTORE at an offset advanced by a step of 0 to
     * 64 bytes, with out-of-line arithmetic between them (so that growth is met in {@code Interpreter.stay} as well as
     * in {@code exec}), offsets with high limbs or past the memory limit, and gas that runs out during an expansion;
     * the program returns its whole memory (MSIZE bytes), so contents and size are compared too.
     */
    @Test void memoryGrowthAgreesWithTheCheckedMode() {
        Random seeds = new Random(20261228);
        int normal = 0, outOfGas = 0;
        for (int i = 0; i < 1500; i++) {
            long seed = seeds.nextLong();
            Random r = new Random(seed);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(PUSH1); out.write(r.nextInt(65)); // step
            out.write(PUSH1); out.write(r.nextInt(256)); // offset
            int n = 1 + r.nextInt(120);
            for (int k = 0; k < n; k++) {
                int x = r.nextInt(100);
                if (x < 35) { // store the offset at the offset, advance
                    out.write(DUP1); out.write(DUP1); out.write(MSTORE); out.write(DUP1 + 1); out.write(ADD);
                } else if (x < 70) { // load at the offset, drop it, advance
                    out.write(DUP1); out.write(MLOAD); out.write(POP); out.write(DUP1 + 1); out.write(ADD);
                } else if (x < 85) { // an instruction that goes out of line first (then the stay loop runs on)
                    out.write(DUP1); out.write(PUSH1); out.write(1 + r.nextInt(3)); out.write(MUL); out.write(PUSH1);
                    out.write(r.nextInt(64)); out.write(ADD); out.write(r.nextBoolean() ? MLOAD : DUP1);
                    if (out.toByteArray()[out.size() - 1] == DUP1) out.write(MSTORE); else out.write(POP);
                } else if (x < 95) { // a new step
                    out.write(SWAP1); out.write(POP); out.write(PUSH1); out.write(r.nextInt(65)); out.write(SWAP1);
                } else if (x < 96 && r.nextInt(8) == 0) { // an offset with a high limb set, or past the memory limit: out of gas
                    out.write(PUSH32);
                    for (int b = 0; b < 32; b++) out.write(b == 0 && r.nextBoolean() ? 1 : b >= 28 ? 0xff : 0);
                    out.write(r.nextBoolean() ? MLOAD : DUP1);
                    if (out.toByteArray()[out.size() - 1] == DUP1) out.write(MSTORE); else out.write(POP);
                } else { // a large step at once
                    out.write(PUSH2); out.write(r.nextInt(4)); out.write(r.nextInt(256)); out.write(ADD);
                }
            }
            out.write(MSIZE); out.write(PUSH1); out.write(0); out.write(RETURN);
            ForkRules rules = ForkRules.of(r.nextBoolean() ? Fork.OSAKA : Fork.ISTANBUL);
            long gas = r.nextInt(3) == 0 ? 100 + r.nextInt(3_000) : 1_000_000;
            if (threeRunsAgree(rules, out.toByteArray(), gas, "seed " + seed)) normal++; else outOfGas++;
        }
        assertTrue(normal > 500 && outOfGas > 200, "programs that returned " + normal + ", that halted " + outOfGas);
    }

    /**
     * A code's first execution (checked, no run table) hands a stretch of {@code Interpreter.STAY} instructions after an
     * out-of-line one to {@code Interpreter.stay} once {@code Interpreter.stretch} has charged the stretch's static gas
     * and checked its stack bounds at once: long stretches (DUPn SIGNEXTEND pairs, arithmetic, memory growing word by
     * word) with every gas limit from too little for the prefix to enough for all, stretches that overflow the stack
     * midway, and stretches holding an opcode the fork does not define (PUSH0 before Shanghai, SHL before
     * Constantinople, CLZ before Osaka), each against the traced run. A stretch charged 3 gas short, or an undefined
     * opcode not stopping it, fails it.
     */
    @Test void firstExecutionStretchesAgreeWithTheTracedRun() {
        Random r = new Random(20261207L);
        int halted = 0, returned = 0;
        for (int shape = 0; shape < 4; shape++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int k = 0; k < 17; k++) { out.write(PUSH1); out.write(r.nextInt(40)); }
            out.write(PUSH1); out.write(3); out.write(MUL); // out of line: the stretch starts after it
            int pairs = 20 + r.nextInt(20);
            for (int k = 0; k < pairs; k++) {
                switch (shape) {
                    case 0 -> { out.write(DUP1 + r.nextInt(16)); out.write(SIGNEXTEND); }
                    case 1 -> { out.write(DUP1 + r.nextInt(16)); out.write(TWO[r.nextInt(TWO.length)]); }
                    case 2 -> { out.write(PUSH2); out.write(0); out.write(32 * k); out.write(DUP1 + 1); out.write(SWAP1); out.write(MSTORE); }
                    default -> { out.write(DUP1 + r.nextInt(16)); out.write(PUSH1); out.write(r.nextInt(256)); out.write(XOR); }
                }
            }
            for (int k = 0; k < 4; k++) { out.write(PUSH2); out.write(0); out.write(32 * k); out.write(MSTORE); }
            out.write(PUSH1); out.write(128); out.write(PUSH1); out.write(0); out.write(RETURN);
            byte[] program = out.toByteArray();
            long full = 60_000;
            for (long gas = 0; gas < 3_000; gas += 1 + gas / 200) {
                if (threeRunsAgree(ForkRules.of(Fork.CANCUN), program, gas, "shape " + shape + ", gas " + gas)) returned++;
                else halted++;
            }
            assertTrue(threeRunsAgree(ForkRules.of(Fork.CANCUN), program, full, "shape " + shape), "shape " + shape + " returns");
        }
        assertTrue(halted > 100 && returned > 100, "halted " + halted + ", returned " + returned);
        // The stack overflows midway through a stretch: 1,000 items pushed, then a stretch of DUPs and arithmetic.
        ByteArrayOutputStream deep = new ByteArrayOutputStream();
        for (int k = 0; k < 1000; k++) deep.write(CALLVALUE);
        deep.write(PUSH1); deep.write(2); deep.write(MUL);
        for (int k = 0; k < 40; k++) { deep.write(DUP1 + 1); deep.write(DUP1); deep.write(NOT); }
        deep.write(STOP);
        assertTrue(!threeRunsAgree(ForkRules.of(Fork.CANCUN), deep.toByteArray(), 1_000_000, "overflow"));
        // An opcode the fork does not define inside a stretch: halts there, in every fork without it.
        int[][] undefined = {{PUSH0, Fork.BERLIN.ordinal()}, {SHL, Fork.BYZANTIUM.ordinal()}, {CLZ, Fork.PRAGUE.ordinal()}};
        for (int[] u : undefined) {
            ByteArrayOutputStream x = new ByteArrayOutputStream();
            for (int k = 0; k < 4; k++) { x.write(PUSH1); x.write(7 + k); }
            x.write(PUSH1); x.write(2); x.write(MUL);
            for (int k = 0; k < 20; k++) { x.write(DUP1 + 1); x.write(DUP1 + 1); x.write(XOR); x.write(POP); }
            x.write(DUP1); x.write(u[0]);
            for (int k = 0; k < 20; k++) { x.write(DUP1); x.write(POP); }
            x.write(STOP);
            Fork fork = Fork.values()[u[1]];
            assertTrue(!threeRunsAgree(ForkRules.of(fork), x.toByteArray(), 1L << 40, "0x" + Integer.toHexString(u[0]) + " in " + fork),
                    "0x" + Integer.toHexString(u[0]) + " halts in " + fork);
        }
    }

    /**
     * {@code PUSH2 X JUMP} and {@code PUSH2 X JUMPI}, which checked execution (a code's first run) runs as one: the jump
     * charged and checked after the push, its target taken from the code. A loop counted down by a backward JUMPI (so
     * that the first run takes its run table midway, at a fused jump), forward jumps to a JUMPDEST, to a byte that is
     * not one, to a JUMPDEST inside push data and past the code, a JUMPI with nothing below its target (stack
     * underflow) and every gas limit up to the program's need, against the traced run.
     */
    @Test void pushTwoThenJumpAgreesWithTheTracedRun() {
        ForkRules rules = ForkRules.of(Fork.CANCUN);
        // n = 60; loop: JUMPDEST, n - 1, DUP1, PUSH2 loop JUMPI (back while n != 0); then PUSH2 end JUMP over a
        // JUMPDEST that is push data; end: JUMPDEST, store n and return it.
        String loop = "603c" + "5b" + "600190038061" + "0002" + "57" + "61" + "0014" + "56" + "625b5b5b"
                + "5b" + "60005260206000f3";
        byte[] program = Hex.decode(loop);
        assertEquals(0x5b, program[0x14] & 0xff, "the end label");
        int returned = 0;
        for (long gas = 0; gas < 2_000; gas += 1 + gas / 100) {
            if (threeRunsAgree(rules, program, gas, "loop, gas " + gas)) returned++;
        }
        assertTrue(returned > 10, "returned " + returned);
        long before = BasicBlocks.loopGasPerByte(0); // take the table at the first backward jump
        try {
            assertTrue(threeRunsAgree(rules, program, 100_000, "loop, table at once"));
        } finally {
            BasicBlocks.loopGasPerByte(before);
        }
        // Targets: a byte that is no JUMPDEST, a JUMPDEST in push data, past the code, and JUMPI taken or not.
        String[] bad = {"610004" + "56" + "00", "610005" + "56" + "625b5b5b00", "61ffff" + "56" + "00",
                "6001" + "610007" + "57" + "00" + "5b00", "6000" + "610007" + "57" + "00" + "5b00", "610005" + "57" + "00" + "5b00"};
        for (String b : bad) threeRunsAgree(rules, Hex.decode(b), 100_000, b);
        assertEquals(Status.BAD_JUMP, run(rules, Code.analyze(Keccak.hashOf(Hex.decode(bad[0])), Hex.decode(bad[0])), 100_000).status());
        assertEquals(Status.STACK_UNDERFLOW, run(rules, Code.analyze(Keccak.hashOf(Hex.decode(bad[5])), Hex.decode(bad[5])), 100_000).status());
        assertEquals(Status.SUCCESS, run(rules, Code.analyze(Keccak.hashOf(Hex.decode(bad[3])), Hex.decode(bad[3])), 100_000).status());
    }

    /**
     * Jump-only runs ({@code JUMPDEST PUSHn X JUMP}, which the table marks to jump straight to X: {@code
     * BasicBlocks.threadJump}) among runs that push, pop, branch and stop: chains of them, targets that are no JUMPDEST
     * or lie past the code, runs entered by falling through (so that filling a run meets a marked entry), loops that
     * overflow the stack at a jump-only run's PUSH, and gas that runs out anywhere; against the traced run.
     */
    @Test void jumpOnlyRunsAgreeWithTheCheckedMode() {
        Random seeds = new Random(20261229);
        int[] outcomes = new int[4];
        for (int i = 0; i < 1500; i++) {
            long seed = seeds.nextLong();
            Random r = new Random(seed);
            int blocks = 2 + r.nextInt(40);
            // Block i starts at 8 * i (padded with JUMPDESTs after its instructions, which later runs fall through).
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int b = 0; b < blocks; b++) {
                int start = out.size(), kind = r.nextInt(100);
                out.write(JUMPDEST);
                int target = 8 * r.nextInt(blocks);
                if (kind < 8) target = r.nextInt(3) == 0 ? 8 * blocks + 40 : target + 1 + r.nextInt(7); // no JUMPDEST there
                if (kind < 55) { // jump-only, PUSH1..PUSH4 (leading zeros where the target needs fewer bytes)
                    int n = target < 256 && r.nextBoolean() ? 1 : 2 + r.nextInt(3);
                    out.write(PUSH0 + n);
                    for (int k = n - 1; k >= 0; k--) out.write(k >= 4 ? 0 : (target >>> (8 * k)) & 0xff);
                    out.write(JUMP);
                } else if (kind < 70) { // push one (falls through; loops of these overflow the stack)
                    out.write(PUSH1); out.write(r.nextInt(256));
                } else if (kind < 78) { // pop one (underflows when the stack is empty)
                    out.write(POP);
                } else if (kind < 93) { // branch on a pushed condition, else fall through
                    out.write(PUSH1); out.write(r.nextInt(2));
                    out.write(PUSH1); out.write(8 * r.nextInt(Math.min(blocks, 32)));
                    out.write(JUMPI);
                } else {
                    out.write(STOP);
                }
                while (out.size() < start + 8) out.write(JUMPDEST);
            }
            byte[] program = out.toByteArray();
            ForkRules rules = ForkRules.of(r.nextBoolean() ? Fork.OSAKA : Fork.ISTANBUL);
            long gas = r.nextInt(3) == 0 ? r.nextInt(2_000) : 20_000 + r.nextInt(200_000);
            CallResult reference = run(rules, Code.analyze(Keccak.hashOf(program), program), gas,
                    (frame, pc, op, g, depth, refund) -> { });
            threeRunsAgree(rules, program, gas, "seed " + seed);
            int st = reference.status();
            outcomes[st == Status.SUCCESS ? 0 : st == Status.OUT_OF_GAS ? 1 : st == Status.BAD_JUMP ? 2 : 3]++;
        }
        // Every ending is met often: returned, out of gas, a bad jump, a stack under- or overflow.
        for (int k = 0; k < 4; k++) assertTrue(outcomes[k] > 50, "outcomes " + java.util.Arrays.toString(outcomes));
    }

    @Test void randomProgramsAgreeWithTheCheckedMode() {
        randomProgramsAgree(20261207, 2000);
    }

    /** {@code count} of {@link CompilerDifferentialTest}'s random programs (jumps, memory, out-of-line instructions). */
    private static void randomProgramsAgree(long seedOfSeeds, int count) {
        Random seeds = new Random(seedOfSeeds);
        for (int i = 0; i < count; i++) {
            long seed = seeds.nextLong();
            Random r = new Random(seed);
            byte[] program = CompilerDifferentialTest.program(r);
            ForkRules rules = ForkRules.of(r.nextBoolean() ? Fork.OSAKA : Fork.ISTANBUL);
            long gas = r.nextInt(4) == 0 ? r.nextInt(3_000) : 3_000 + r.nextInt(300_000);
            threeRunsAgree(rules, program, gas, "seed " + seed);
        }
    }

    /**
     * Runs {@code program} with a tracer (every instruction checked, one at a time: the reference), then three times on
     * one Code (the first without a run table until it loops, the others with it); fails unless all four agree; returns
     * whether it returned normally.
     */
    private static boolean threeRunsAgree(ForkRules rules, byte[] program, long gas, String where) {
        Hash hash = Keccak.hashOf(program);
        CallResult reference = run(rules, Code.analyze(hash, program), gas, (frame, pc, op, g, depth, refund) -> { });
        Code code = Code.analyze(hash, program);
        for (int k = 0; k < 3; k++) {
            CallResult again = run(rules, code, gas, null);
            if (reference.status() != again.status() || reference.gasLeft() != again.gasLeft()
                    || !java.util.Arrays.equals(reference.output(), again.output())) {
                fail("run " + (k + 1) + " differs from the traced run: status " + reference.status() + " gas "
                        + reference.gasLeft() + " output " + Hex.encode(reference.output()) + ", then status "
                        + again.status() + " gas " + again.gasLeft() + " output " + Hex.encode(again.output()) + "; "
                        + rules.fork() + ", gas " + gas + ", " + where + ", program " + Hex.encode(program));
            }
        }
        return reference.status() == Status.SUCCESS;
    }

    private static CallResult run(ForkRules rules, Code code, long gas) {
        return run(rules, code, gas, null);
    }

    private static CallResult run(ForkRules rules, Code code, long gas, dev.lanes.evm.Tracer tracer) {
        Evm evm = new Evm();
        EmptyWorld.reset(evm, rules, tracer);
        return evm.runCode(code, Address.ZERO, Address.ZERO, UInt256.ZERO, new byte[0], gas);
    }

    /**
     * Seventeen wide words, then a stretch of the instructions above with DUPn, SWAPn, PUSH1 and POP between them (the
     * stack never below seventeen items), then the top twelve words stored to memory and returned; CLZ (Osaka) only
     * with {@code clz}.
     */
    private static byte[] stretch(Random r, boolean clz) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int k = 0; k < 17; k++) {
            int n = 1 + r.nextInt(32);
            out.write(PUSH0 + n);
            for (int b = 0; b < n; b++) out.write(r.nextInt(4) == 0 ? 0xff : r.nextInt(256));
        }
        int depth = 17;
        int length = 20 + r.nextInt(400);
        for (int k = 0; k < length; k++) {
            int x = r.nextInt(100);
            if (x < 15 && depth < 1000) {
                out.write(PUSH1);
                out.write(r.nextInt(3) == 0 ? r.nextInt(40) : r.nextInt(256)); // small: positions, shifts
                depth++;
            } else if (x < 30 && depth < 1000) {
                out.write(DUP1 + r.nextInt(16));
                depth++;
            } else if (x < 42) {
                out.write(SWAP1 + r.nextInt(16));
            } else if (x < 47 && depth > 17) {
                out.write(POP);
                depth--;
            } else if (x < 55) {
                out.write(ONE[r.nextInt(clz ? ONE.length : ONE.length - 1)]);
            } else if (x < 95 && depth > 17) {
                out.write(TWO[r.nextInt(TWO.length)]);
                depth--;
            } else if (depth > 18) {
                out.write(THREE[r.nextInt(THREE.length)]);
                depth -= 2;
            }
        }
        for (int k = 0; k < 12; k++) {
            out.write(PUSH2);
            out.write(0);
            out.write(32 * k);
            out.write(MSTORE);
        }
        out.write(PUSH2);
        out.write(1);
        out.write(128);
        out.write(PUSH0);
        out.write(RETURN);
        return out.toByteArray();
    }

    @Test void stretchesRunUncheckedOnTheSecondExecution() {
        // The premise of the tests above: the first execution has no run table, the second has one.
        byte[] program = stretch(new Random(1), true);
        Code code = Code.analyze(Keccak.hashOf(program), program);
        ForkRules rules = ForkRules.of(Fork.OSAKA);
        run(rules, code, 1_000_000);
        assertEquals(null, BasicBlocks.runsIfBuilt(code, rules.gas));
        run(rules, code, 1_000_000);
        assertTrue(BasicBlocks.runsIfBuilt(code, rules.gas) != null);
    }

    @Test void aLoopingFirstExecutionTakesTheTableMidway() {
        long before = BasicBlocks.loopGasPerByte(4); // the default since session 29; set here whatever the default
        try {
            loopSwitchesMidway();
        } finally {
            BasicBlocks.loopGasPerByte(before);
        }
    }

    @Test void randomProgramsAgreeWithTheSwitchOn() {
        long before = BasicBlocks.loopGasPerByte(0);
        try {
            randomProgramsAgree(20261208, 1000);
        } finally {
            BasicBlocks.loopGasPerByte(before);
        }
    }

    private static void loopSwitchesMidway() {
        // A counter from 200 down to 0 (a backward jump per iteration), then the counter's final value returned.
        byte[] program = Hex.decode("60c8" + "5b" + "6001900380" + "600257" + "60005260206000f3");
        Code code = Code.analyze(Keccak.hashOf(program), program);
        ForkRules rules = ForkRules.of(Fork.OSAKA);
        CallResult traced = run(rules, Code.analyze(Keccak.hashOf(program), program), 100_000,
                (frame, pc, op, g, depth, refund) -> { });
        assertEquals(null, BasicBlocks.runsIfBuilt(code, rules.gas));
        CallResult first = run(rules, code, 100_000);
        assertTrue(BasicBlocks.runsIfBuilt(code, rules.gas) != null, "the first execution looped: it built the table");
        assertEquals(traced.status(), first.status());
        assertEquals(traced.gasLeft(), first.gasLeft());
        assertEquals(Hex.encode(traced.output()), Hex.encode(first.output()));
        // Out of gas inside the loop, after the switch: the same halt as checked execution.
        for (long gas : new long[] {500, 1_000, 2_001, 3_333}) {
            CallResult t = run(rules, Code.analyze(Keccak.hashOf(program), program), gas, (frame, pc, op, g, depth, refund) -> { });
            CallResult u = run(rules, Code.analyze(Keccak.hashOf(program), program), gas);
            assertEquals(t.status(), u.status(), "gas " + gas);
            assertEquals(t.gasLeft(), u.gasLeft(), "gas " + gas);
        }
    }
}
