package dev.lanes.evm.interpreter;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

import static dev.lanes.evm.Opcodes.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Random programs run twice: compiled ({@link Compiler}, with large and tiny chunks) and by the interpreter
 * stepping every instruction with its own checks. Status, gas left and output must agree. The programs mix
 * every inline instruction, memory, static, computed and invalid jumps, loops, out-of-line instructions,
 * undefined opcodes and small gas limits, so that block checks fail mid-program and the compiled code
 * hands the frame back to the interpreter.
 */
class CompilerDifferentialTest {
    private static final int[] ARITH = {ADD, MUL, SUB, DIV, SDIV, MOD, SMOD, ADDMOD, MULMOD, EXP, SIGNEXTEND, LT, GT,
            SLT, SGT, EQ, ISZERO, AND, OR, XOR, NOT, BYTE, SHL, SHR, SAR};
    private static final int[] OUT_OF_LINE = {CALLDATALOAD, CALLDATASIZE, ADDRESS, CALLVALUE, CODESIZE, RETURNDATASIZE,
            SLOAD, TLOAD};

    @Test void compiledCodeAgreesWithTheInterpreter() throws Exception {
        Random seeds = new Random(20261125);
        int runs = 0, compiledHalts = 0, exceptional = 0;
        Fork[] forks = {Fork.ISTANBUL, Fork.CANCUN, Fork.OSAKA};
        int[] budgets = {120, 400, 5000};
        for (int i = 0; i < 2500; i++) {
            long seed = seeds.nextLong();
            Random r = new Random(seed);
            byte[] program = program(r);
            ForkRules rules = ForkRules.of(forks[r.nextInt(forks.length)]);
            long gas = r.nextInt(4) == 0 ? r.nextInt(3_000) : 3_000 + r.nextInt(300_000);
            byte[] input = new byte[r.nextInt(64)];
            r.nextBytes(input);
            int budget = budgets[r.nextInt(budgets.length)];
            Hash hash = Keccak.hashOf(program);

            CallResult expected = run(rules, Code.analyze(hash, program), input, gas);
            Code compiled = Code.analyze(hash, program);
            BasicBlocks.compileNow(compiled, rules.gas, budget);
            CallResult actual = run(rules, compiled, input, gas);
            String where = "seed " + seed + ", " + rules.fork() + ", gas " + gas + ", chunk budget " + budget
                    + ", program " + Hex.encode(program);
            if (expected.status() != actual.status() || expected.gasLeft() != actual.gasLeft()
                    || !java.util.Arrays.equals(expected.output(), actual.output())) {
                fail("compiled run differs: expected status " + expected.status() + " gas " + expected.gasLeft()
                        + " output " + Hex.encode(expected.output()) + ", got status " + actual.status() + " gas "
                        + actual.gasLeft() + " output " + Hex.encode(actual.output()) + "; " + where);
            }
            runs++;
            if (expected.status() == Status.SUCCESS || expected.status() == Status.REVERT) compiledHalts++;
            if (Status.isExceptional(expected.status())) exceptional++;
        }
        // The generator must produce both kinds of ending in numbers, or the test proves little.
        assertEquals(2500, runs);
        assertTrue(compiledHalts > 300, "too few programs ran to a normal halt: " + compiledHalts);
        assertTrue(exceptional > 300, "too few programs ended exceptionally: " + exceptional);
    }

    /**
     * Straight-line stretches of stack operations, the inline arithmetic and constant shifts (what the compiler's virtual
     * stack keeps in locals), with DUP and SWAP reaching below what the stretch pushed, instructions that read the array
     * between them, and jumps; the epilogue stores the top twelve items, so every value the stretches leave is compared.
     */
    @Test void virtualStackAgreesWithTheInterpreter() throws Exception {
        Random seeds = new Random(20261205);
        int[] kept = {ADD, SUB, AND, OR, XOR, NOT, ISZERO, EQ, LT, GT, SHL, SHR, POP};
        int[] other = {MUL, DIV, SIGNEXTEND, BYTE, SAR, SLT, EXP, ADDMOD, MULMOD, CLZ, CALLDATASIZE, MSIZE};
        int[] shifts = {0, 1, 7, 63, 64, 65, 127, 128, 129, 191, 192, 200, 255, 256, 257, 1000};
        int[] positions = {0, 1, 3, 6, 7, 8, 9, 14, 15, 16, 17, 22, 23, 24, 25, 29, 30, 31, 32, 33, 255, 256, 1000};
        int normal = 0;
        for (int i = 0; i < 3000; i++) {
            long seed = seeds.nextLong();
            Random r = new Random(seed);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int k = 0; k < 17; k++) out.writeBytes(wide(r));
            int length = 10 + r.nextInt(200);
            List<Integer> fixups = new ArrayList<>(); // offsets of PUSH2 jump targets to point at the epilogue
            for (int k = 0; k < length; k++) {
                int x = r.nextInt(100);
                if (x < 22) out.writeBytes(r.nextInt(3) == 0 ? wide(r) : push(r));
                else if (x < 32) out.write(DUP1 + r.nextInt(16));
                else if (x < 42) out.write(SWAP1 + r.nextInt(16));
                else if (x < 50) {
                    // A constant first operand: shifts, and SIGNEXTEND's byte position and BYTE's index around every
                    // limb boundary and past the end (the compiler does these on locals); now and then a wide one.
                    int op = new int[] {SHL, SHR, SAR, BYTE, SIGNEXTEND}[r.nextInt(5)];
                    int n = op == BYTE || op == SIGNEXTEND ? positions[r.nextInt(positions.length)] : shifts[r.nextInt(shifts.length)];
                    if (r.nextInt(12) == 0) out.writeBytes(wide(r));
                    else out.writeBytes(new byte[] {(byte) PUSH2, (byte) (n >> 8), (byte) n});
                    out.write(op);
                } else if (x < 80) out.write(kept[r.nextInt(kept.length)]);
                else if (x < 86) out.write(other[r.nextInt(other.length)]);
                else if (x < 90) out.writeBytes(new byte[] {(byte) PUSH1, (byte) (r.nextInt(3) == 0 ? r.nextInt(130) : 32 * r.nextInt(4)),
                        (byte) new int[] {MSTORE, MLOAD, MSTORE8}[r.nextInt(3)]});
                else if (x < 93) {
                    // A static JUMPI over nothing (to the next instruction), or to the epilogue.
                    if (r.nextInt(4) == 0) {
                        out.write(PUSH2);
                        fixups.add(out.size());
                        out.writeBytes(new byte[] {0, 0, (byte) JUMPI});
                    } else {
                        int at = out.size() + 4;
                        out.writeBytes(new byte[] {(byte) PUSH2, (byte) (at >> 8), (byte) at, (byte) JUMPI, (byte) JUMPDEST});
                    }
                } else if (x < 95) {
                    int at = out.size() + 7;
                    out.writeBytes(new byte[] {(byte) PUSH2, (byte) (at >> 8), (byte) at, (byte) PUSH1, 0, (byte) ADD,
                            (byte) (r.nextBoolean() ? JUMP : JUMPI), (byte) JUMPDEST}); // computed
                } else if (x < 97) out.write(JUMPDEST);
                else out.writeBytes(new byte[] {(byte) PUSH1, (byte) r.nextInt(40), (byte) PC, (byte) GAS, (byte) POP, (byte) POP});
            }
            int epilogue = out.size();
            out.write(JUMPDEST);
            for (int k = 0; k < 12; k++) out.writeBytes(new byte[] {(byte) PUSH2, 1, (byte) (32 * k), (byte) MSTORE});
            out.writeBytes(new byte[] {(byte) PUSH2, 2, (byte) 128, (byte) PUSH1, 0, (byte) RETURN});
            byte[] program = out.toByteArray();
            for (int f : fixups) {
                program[f] = (byte) (epilogue >> 8);
                program[f + 1] = (byte) epilogue;
            }
            ForkRules rules = ForkRules.of(r.nextBoolean() ? Fork.CANCUN : Fork.OSAKA);
            long gas = r.nextInt(5) == 0 ? r.nextInt(2_000) : 1_000_000;
            int budget = new int[] {120, 400, 5000}[r.nextInt(3)];
            Hash hash = Keccak.hashOf(program);
            CallResult expected = run(rules, Code.analyze(hash, program), new byte[7], gas);
            Code compiled = Code.analyze(hash, program);
            BasicBlocks.compileNow(compiled, rules.gas, budget);
            CallResult actual = run(rules, compiled, new byte[7], gas);
            if (expected.status() != actual.status() || expected.gasLeft() != actual.gasLeft()
                    || !java.util.Arrays.equals(expected.output(), actual.output())) {
                fail("compiled run differs: expected status " + expected.status() + " gas " + expected.gasLeft()
                        + " output " + Hex.encode(expected.output()) + ", got status " + actual.status() + " gas "
                        + actual.gasLeft() + " output " + Hex.encode(actual.output()) + "; seed " + seed + ", budget "
                        + budget + ", program " + Hex.encode(program));
            }
            if (expected.status() == Status.SUCCESS) normal++;
        }
        assertTrue(normal > 1000, "too few programs ran to their epilogue: " + normal);
    }

    /**
     * SHL, SHR, SAR, BYTE and SIGNEXTEND with a constant first operand and a value from calldata (so not folded at compile
     * time: the compiler's limb operations on locals), every position and shift around the limb boundaries and past the
     * end, on values whose sign bits, and the bits next to them, are set and clear; compiled against the interpreter.
     */
    @Test void constantFirstOperandsOnLocals() throws Exception {
        Random r = new Random(6);
        int[] ops = {SHL, SHR, SAR, BYTE, SIGNEXTEND};
        ForkRules rules = ForkRules.of(Fork.CANCUN);
        int checked = 0;
        for (int op : ops) {
            for (int n = 0; n <= 300; n++) {
                if (op != BYTE && op != SIGNEXTEND && n > 70 && n % 7 != 0 && n < 250) continue;
                // x = calldata word 0; result = op(n, x), stored and returned
                byte[] program = {(byte) PUSH1, 0, (byte) CALLDATALOAD, (byte) PUSH2, (byte) (n >> 8), (byte) n, (byte) op,
                        (byte) PUSH1, 0, (byte) MSTORE, (byte) PUSH1, 32, (byte) PUSH1, 0, (byte) RETURN};
                Hash hash = Keccak.hashOf(program);
                Code compiled = Code.analyze(hash, program);
                BasicBlocks.compileNow(compiled, rules.gas, 5000);
                for (int k = 0; k < 12; k++) {
                    byte[] x = new byte[32];
                    r.nextBytes(x);
                    if (k % 3 == 0) java.util.Arrays.fill(x, 0, 1 + r.nextInt(31), (byte) (k % 2 == 0 ? 0xff : 0)); // sign runs
                    if (k % 4 == 1) x[r.nextInt(32)] ^= (byte) 0x80;
                    CallResult expected = run(rules, Code.analyze(hash, program), x, 100_000);
                    CallResult actual = run(rules, compiled, x, 100_000);
                    assertEquals(Status.SUCCESS, expected.status());
                    assertArrayEquals(expected.output(), actual.output(), () -> "op " + op + " n " + program[5] + " x " + Hex.encode(x));
                    assertEquals(expected.gasLeft(), actual.gasLeft());
                    checked++;
                }
            }
        }
        assertTrue(checked > 5000, "cases: " + checked);
    }

    /**
     * EXP with a constant exponent (its gas charged from the exponent's known length) on a calldata base, with both
     * constant (folded), and with a calldata exponent (the array path), in Frontier (10 gas per exponent byte) and
     * Cancun (50); and each with too little gas for the exponent, so that the compiled code halts out of gas where the
     * interpreter does.
     */
    @Test void expWithConstantOperands() throws Exception {
        Random r = new Random(7);
        int checked = 0;
        for (Fork fork : new Fork[] {Fork.FRONTIER, Fork.CANCUN}) {
            ForkRules rules = ForkRules.of(fork);
            for (int t = 0; t < 120; t++) {
                byte[] e = new byte[t < 40 ? t % 4 : 1 + r.nextInt(32)];
                r.nextBytes(e);
                if (t % 5 == 0 && e.length > 0) e[0] = 0; // a leading zero byte: not counted
                // exponents 0, 1 and 2, written in one and in two bytes, for each shape (t % 3)
                if (t >= 40 && t < 58) e = new byte[][] {{0}, {1}, {2}, {0, 0}, {0, 1}, {0, 2}}[(t - 40) / 3];
                byte[] base = new byte[1 + r.nextInt(32)];
                r.nextBytes(base);
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                int shape = t % 3; // 0: constant exponent, calldata base; 1: both constant; 2: calldata exponent, constant base
                // The calldata word is loaded first: an out-of-line instruction ends the stretch, and a constant pushed
                // before it would be in the array, not a constant, by the time EXP runs.
                if (shape == 0) out.writeBytes(new byte[] {(byte) PUSH1, 0, (byte) CALLDATALOAD}); // base
                if (shape == 2) out.writeBytes(new byte[] {(byte) PUSH1, 0, (byte) CALLDATALOAD}); // exponent
                else out.writeBytes(push(e));
                if (shape == 0) out.write(SWAP1); // base on top
                else out.writeBytes(push(base));
                out.writeBytes(new byte[] {(byte) EXP, (byte) PUSH1, 0, (byte) MSTORE, (byte) PUSH1, 32, (byte) PUSH1, 0, (byte) RETURN});
                byte[] program = out.toByteArray();
                byte[] input = new byte[32];
                if (shape == 2) System.arraycopy(e, 0, input, 32 - e.length, e.length);
                else r.nextBytes(input);
                Hash hash = Keccak.hashOf(program);
                Code compiled = Code.analyze(hash, program);
                BasicBlocks.compileNow(compiled, rules.gas, 5000);
                for (long gas : new long[] {100_000, 40, 60, 90}) {
                    CallResult expected = run(rules, Code.analyze(hash, program), input, gas);
                    CallResult actual = run(rules, compiled, input, gas);
                    String what = fork + " shape " + shape + " exponent " + Hex.encode(e) + " gas " + gas;
                    assertEquals(expected.status(), actual.status(), what);
                    assertEquals(expected.gasLeft(), actual.gasLeft(), what);
                    assertArrayEquals(expected.output(), actual.output(), what);
                    checked++;
                }
            }
        }
        assertTrue(checked == 960, "cases: " + checked);
    }

    /** PUSH of exactly these bytes (PUSH1 0 for none: Frontier has no PUSH0). */
    private static byte[] push(byte[] v) {
        if (v.length == 0) return new byte[] {(byte) PUSH1, 0};
        byte[] b = new byte[v.length + 1];
        b[0] = (byte) (PUSH0 + v.length);
        System.arraycopy(v, 0, b, 1, v.length);
        return b;
    }

    /**
     * A code with more distinct 64-bit constants than one class's constant pool can hold (65,535 entries, two per long):
     * 9,000 random 32-byte values, each stored to memory (so each is loaded, four limbs), then a RETURN of a hash of
     * memory's last word and MSIZE. It must compile (the constants past the pool's limit come from the class's array)
     * and agree with the interpreter; before, the class-file API refused such a class and the code was interpreted.
     */
    @Test void codeWithMoreConstantsThanOnePoolCompiles() throws Exception {
        Random r = new Random(20261205);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < 9_000; i++) {
            out.write(PUSH32);
            byte[] v = new byte[32];
            r.nextBytes(v);
            out.write(v, 0, 32);
            out.write(PUSH2);
            out.write((i % 64) * 32 >> 8);
            out.write((i % 64) * 32 & 0xff);
            out.write(MSTORE);
        }
        out.write(new byte[] {(byte) PUSH2, 0x08, 0x00, (byte) PUSH1, 0, (byte) KECCAK256, (byte) PUSH1, 0, (byte) MSTORE,
                (byte) MSIZE, (byte) PUSH1, 32, (byte) MSTORE, (byte) PUSH1, 64, (byte) PUSH1, 0, (byte) RETURN}, 0, 18);
        byte[] program = out.toByteArray();
        ForkRules rules = ForkRules.of(Fork.CANCUN);
        Hash hash = Keccak.hashOf(program);
        CallResult expected = run(rules, Code.analyze(hash, program), new byte[0], 10_000_000);
        assertEquals(Status.SUCCESS, expected.status());
        for (int budget : new int[] {300, 5000}) {
            Code compiled = Code.analyze(hash, program);
            assertNotNull(BasicBlocks.compileNow(compiled, rules.gas, budget), "budget " + budget);
            CallResult actual = run(rules, compiled, new byte[0], 10_000_000);
            assertEquals(expected.status(), actual.status(), "budget " + budget);
            assertEquals(expected.gasLeft(), actual.gasLeft(), "budget " + budget);
            assertArrayEquals(expected.output(), actual.output(), "budget " + budget);
        }
    }

    /** A PUSH of 1 to 32 bytes of any value. */
    private static byte[] wide(Random r) {
        int n = 1 + r.nextInt(32);
        byte[] b = new byte[n + 1];
        b[0] = (byte) (PUSH1 + n - 1);
        for (int i = 1; i <= n; i++) b[i] = (byte) r.nextInt(256);
        return b;
    }

    private static CallResult run(ForkRules rules, Code code, byte[] input, long gas) {
        Evm evm = new Evm();
        EmptyWorld.reset(evm, rules, null);
        return evm.runCode(code, Address.ZERO, Address.ZERO, UInt256.ZERO, input, gas);
    }

    /** A random program; jumps refer to JUMPDEST items, resolved to offsets when assembled. */
    static byte[] program(Random r) {
        List<int[]> items = new ArrayList<>(); // {kind, a, b}: 0 raw bytes in a list below, 1 jump to label a (op b), 2 label
        List<byte[]> raw = new ArrayList<>();
        int labels = 1 + r.nextInt(12);
        int placed = 0;
        int length = 5 + r.nextInt(r.nextInt(4) == 0 ? 600 : 80);
        // A few words on the stack to start with.
        for (int i = 0; i < r.nextInt(6); i++) addRaw(items, raw, push(r));
        for (int i = 0; i < length; i++) {
            int k = r.nextInt(100);
            if (k < 22) addRaw(items, raw, push(r));
            else if (k < 34) addRaw(items, raw, new byte[] {(byte) (DUP1 + (r.nextInt(3) == 0 ? r.nextInt(16) : r.nextInt(3)))});
            else if (k < 42) addRaw(items, raw, new byte[] {(byte) (SWAP1 + (r.nextInt(3) == 0 ? r.nextInt(16) : r.nextInt(3)))});
            else if (k < 62) addRaw(items, raw, new byte[] {(byte) ARITH[r.nextInt(ARITH.length)]});
            else if (k < 66) addRaw(items, raw, new byte[] {(byte) POP});
            else if (k < 72) {
                int op = new int[] {MLOAD, MSTORE, MSTORE8}[r.nextInt(3)];
                int off = r.nextInt(10) == 0 ? 0xffff : r.nextInt(320);
                addRaw(items, raw, new byte[] {(byte) PUSH2, (byte) (off >> 8), (byte) off, (byte) op});
            } else if (k < 75) addRaw(items, raw, new byte[] {(byte) new int[] {PC, MSIZE, GAS}[r.nextInt(3)]});
            else if (k < 81 && placed < labels) items.add(new int[] {2, placed++, 0});
            else if (k < 86) items.add(new int[] {1, r.nextInt(labels), JUMPI});
            else if (k < 88) items.add(new int[] {1, r.nextInt(labels), JUMP});
            else if (k < 90) items.add(new int[] {3, r.nextInt(labels), r.nextBoolean() ? JUMP : JUMPI}); // computed target
            else if (k < 91) addRaw(items, raw, new byte[] {(byte) PUSH2, (byte) r.nextInt(256), (byte) r.nextInt(256),
                    (byte) (r.nextBoolean() ? JUMP : JUMPI)}); // most likely not a JUMPDEST
            else if (k < 95) addRaw(items, raw, new byte[] {(byte) OUT_OF_LINE[r.nextInt(OUT_OF_LINE.length)]});
            else if (k < 96) addRaw(items, raw, new byte[] {(byte) PUSH1, 32, (byte) PUSH1, 0, (byte) KECCAK256});
            else if (k < 97) addRaw(items, raw, new byte[] {(byte) (r.nextBoolean() ? 0x0c : INVALID)});
            else if (k < 98) addRaw(items, raw, new byte[] {(byte) (r.nextBoolean() ? STOP : REVERT)});
            else addRaw(items, raw, new byte[] {(byte) JUMPDEST});
        }
        while (placed < labels) items.add(new int[] {2, placed++, 0});
        // Epilogue: store what is on the stack and return memory, so the output shows the machine state.
        addRaw(items, raw, new byte[] {(byte) JUMPDEST, (byte) PUSH1, 0, (byte) MSTORE, (byte) PUSH1, 32, (byte) MSTORE,
                (byte) PUSH2, 1, 0, (byte) PUSH1, 0, (byte) RETURN});
        // Assemble twice: offsets of labels first.
        int[] labelAt = new int[labels];
        for (int pass = 0; pass < 2; pass++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int[] it : items) {
                switch (it[0]) {
                    case 0 -> out.writeBytes(raw.get(it[1]));
                    case 1 -> out.writeBytes(new byte[] {(byte) PUSH2, (byte) (labelAt[it[1]] >> 8), (byte) labelAt[it[1]], (byte) it[2]});
                    case 2 -> { labelAt[it[1]] = out.size(); out.write(JUMPDEST); }
                    default -> out.writeBytes(new byte[] {(byte) PUSH2, (byte) (labelAt[it[1]] >> 8), (byte) labelAt[it[1]],
                            (byte) PUSH1, 0, (byte) ADD, (byte) it[2]});
                }
            }
            if (pass == 1) return out.toByteArray();
        }
        throw new AssertionError();
    }

    private static void addRaw(List<int[]> items, List<byte[]> raw, byte[] bytes) {
        items.add(new int[] {0, raw.size(), 0});
        raw.add(bytes);
    }

    private static byte[] push(Random r) {
        int n = r.nextInt(4) == 0 ? 1 + r.nextInt(32) : 1 + r.nextInt(2);
        byte[] b = new byte[n + 1];
        b[0] = (byte) (PUSH1 + n - 1);
        for (int i = 1; i <= n; i++) b[i] = (byte) (r.nextInt(3) == 0 ? r.nextInt(256) : r.nextInt(4));
        return b;
    }
}
