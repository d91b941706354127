package dev.lanes.evm.interpreter;

import dev.lanes.evm.ForkRules;
import dev.lanes.evm.Status;
import dev.lanes.evm.Tracer;

import static dev.lanes.evm.Opcodes.*;

/**
 * The interpreter loop. {@link #exec} keeps pc, sp and gas in locals and executes the most frequent
 * instructions (pushes, DUP, SWAP, POP, JUMPDEST, JUMP/JUMPI, ADD, AND, ISZERO, MLOAD/MSTORE within the
 * active memory) written out in place, with no calls; every other instruction goes through one call site
 * to {@link #slow}, which executes it on the frame (through the {@link JitOps} bodies shared with compiled
 * code, or one static call into {@link Instructions} for dynamic gas, state access, calls and the rest).
 * The split is for HotSpot's C2: compiled as one loop over a large switch, the loop's state lives in stack
 * slots and the index arithmetic that many cases share is computed before the dispatch, whether or not
 * those cases ever run, and every call site on a path back to the loop head adds spills; a small switch
 * with one call site keeps pc, sp and gas in registers (docs/benchmarks.md, session 14). Nothing allocates.
 *
 * <p>Static gas and stack bounds are checked per basic block, not per instruction: at each entry point
 * (frame start, jump destination, after JUMPI, GAS or an out-of-line instruction) the loop charges the
 * whole run's static gas and checks its stack needs at once from {@link BasicBlocks}, then executes the
 * run's instructions with no per-instruction checks. That class explains why this is exact. When the
 * run's check fails (out of gas, stack under- or overflow, an undefined opcode somewhere in it) nothing
 * is charged and the run is stepped in <em>checked</em> mode ({@link #execStepped}): fetch, charge static gas from the fork's
 * table, check the stack bounds from two static tables, dispatch, exactly as per-instruction charging
 * does, so the halt happens at the same instruction with the same status. The next entry point tries
 * the block check again. On a code's first execution (see {@link BasicBlocks#runs}) every instruction is
 * checked, in a copy of the loop without the block checks ({@link #execChecked}) (until the frame has spent enough gas in loops, {@code -Dlanes.interp.loopGasPerByte}, 4 per code byte by default: {@link BasicBlocks#whenLooping} then gives the code its table at a
 * backward jump, and the rest of the execution enters runs in {@link #exec}); later executions have the table from the start. A table
 * starts empty: the loop fills a run's entry the first time it enters the run ({@link BasicBlocks#fill}). With a tracer, {@link #run} steps one instruction per call of {@link #execStepped}.
 *
 * <p>{@link Evm#abort} is noticed on backward jumps (a taken JUMP or JUMPI whose target is not after it), the
 * one place every loop passes: one comparison and, for a back-edge, one read of a volatile flag, nothing per
 * instruction. Compiled code checks at the same places.
 */
final class Interpreter {
    /** Minimum stack size (in longs) an opcode needs. */
    static final int[] STACK_MIN = new int[256];
    /** Maximum stack size (in longs) before an opcode that would otherwise overflow. */
    static final int[] STACK_MAX = new int[256];
    /** Items an opcode adds to the stack (negative: removes). */
    static final int[] STACK_DELTA = new int[256];

    static {
        for (int op = 0; op < 256; op++) {
            int in = stackIn(op), out = stackOut(op);
            STACK_MIN[op] = in * 4;
            int growth = out - in;
            STACK_DELTA[op] = growth;
            STACK_MAX[op] = (Frame.STACK_LIMIT - Math.max(growth, 0)) * 4;
        }
    }

    private final Evm evm;

    Interpreter(Evm evm) {
        this.evm = evm;
    }

    /** Returned by {@link #execStepped} in single-step mode after one instruction. */
    private static final int STEPPED = -1;
    /** Returned by {@link #slow} when execution goes on: in the same run, or at an entry point. */
    private static final int SAME_RUN = -2, ENTRY = -3;
    /** Returned by {@link #execChecked} when the frame got its code's run table at a backward jump: go on in {@link #exec}. */
    private static final int WITH_TABLE = -4;

    /** Runs the frame to completion and returns its {@link Status}; gas left and output stay in the frame. */
    int run(Frame f) {
        final Evm evm = this.evm;
        if (f.pc == 0 && evm.tracer == null) {
            if (Compiler.THRESHOLD == 0) BasicBlocks.runs(f.code, evm.rules.gas);
            CompiledCode compiled = BasicBlocks.compiled(f.code, evm.rules.gas);
            if (compiled != null) {
                int st = compiled.run(evm, f);
                if (st != JitOps.BAIL) return st;
                if (Compiler.VERBOSE) System.err.println("lanes: bail at pc " + f.pc + " sp " + f.sp + " gas " + f.gas + " code " + f.code.length);
                // Bailed out: a block's check failed; step on from the frame's pc, sp and gas.
            }
        }
        final Tracer tracer = evm.tracer;
        final int[] runs = tracer == null ? BasicBlocks.runs(f.code, evm.rules.gas) : null;
        final long startGas = f.gas;
        f.blockGas = 0;
        f.backEdges = 0;
        f.loopA = f.loopB = -1;
        f.noStretchBelow = 0;
        f.gasAtStart = startGas;
        int status;
        if (tracer == null) {
            if (runs != null) {
                status = exec(evm, f, runs);
            } else {
                // A code's first execution: checked instruction by instruction in a loop of its own.
                status = execChecked(evm, f);
                while (status == STRETCH_NEXT) status = stretchThenChecked(evm, f);
                if (status == WITH_TABLE) status = exec(evm, f, BasicBlocks.runs(f.code, evm.rules.gas));
            }
        } else {
            do {
                tracer.step(f, f.pc, f.code.padded[f.pc] & 0xff, f.gas, f.depth + 1, evm.host.refund());
                status = execStepped(evm, f, SINGLE);
            } while (status == STEPPED);
        }
        if (Status.isExceptional(status)) f.gas = 0;
        if (runs != null && Compiler.ENABLED) BasicBlocks.record(f.code, runs, startGas - f.gas, f.blockGas);
        return status;
    }

    /**
     * Byte arrays viewed as big-endian longs (memory, push immediates) and as little-endian longs (the JUMPDEST
     * scan), used directly in {@link #exec} and {@link #execChecked}: no wrapper method whose inlining the JIT would have to weigh.
     */
    private static final java.lang.invoke.VarHandle BE =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.BIG_ENDIAN);
    private static final java.lang.invoke.VarHandle LE =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /** {@link #execStepped}'s modes: one instruction (a tracer); checked up to the next entry point (a run whose check failed). */
    private static final int SINGLE = 1, UNTIL_ENTRY = 2;
    /** Returned by {@link #execStepped} in mode {@link #UNTIL_ENTRY} at the next entry point, the frame's pc, sp and gas there. */
    private static final int NEXT_ENTRY = -5;

    /**
     * Instruction by instruction, each one's static gas and stack bounds checked first, as {@link #execChecked} does: in
     * mode {@link #SINGLE} one instruction (a tracer's step; {@link #STEPPED}), in mode {@link #UNTIL_ENTRY} the rest of
     * a run whose entry check failed in {@link #exec}, up to the next entry point ({@link #NEXT_ENTRY}, the frame's pc,
     * sp and gas there), so that a halt happens at the same instruction with the same status as per-instruction
     * charging; or the frame's final status. Neither is a hot path (a tracer; a run that cannot pay for all of itself
     * or would leave the stack's bounds, usually its frame's last), so this loop keeps to the checks and the control
     * flow and runs the instructions through the bodies the other loops share ({@link JitOps}, {@link #slow}): one
     * copy of each instruction's semantics fewer to keep in step.
     */
    private static int execStepped(Evm evm, Frame f, int mode) {
        final boolean single = mode == SINGLE;
        final long[] s = f.stack;
        final byte[] code = f.code.padded;
        final int[] gasTable = evm.rules.gas;
        int pc = f.pc;
        int sp = f.sp;
        long gas = f.gas;
        int status;
        loop:
        for (int steps = 0; ; steps++) {
            if (single && steps == 1) { status = STEPPED; break; }
            int op = code[pc] & 0xff;
            int cost = gasTable[op];
            if (cost == ForkRules.UNDEFINED) { status = Status.INVALID_OPCODE; break; }
            gas -= cost;
            if (gas < 0) { status = Status.OUT_OF_GAS; break; }
            // Both stack bounds in one test; which one failed is sorted out only then.
            if (((sp - STACK_MIN[op]) | (STACK_MAX[op] - sp)) < 0) {
                status = sp < STACK_MIN[op] ? Status.STACK_UNDERFLOW : Status.STACK_OVERFLOW;
                break;
            }
            if (op == STOP) { status = Status.SUCCESS; break; }
            if (op == JUMP || op == JUMPI) {
                int t = sp - 4;
                sp = op == JUMP ? t : sp - 8;
                if (op == JUMPI && (s[sp] | s[sp + 1] | s[sp + 2] | s[sp + 3]) == 0) {
                    pc++;
                } else {
                    long d = s[t];
                    if ((s[t + 1] | s[t + 2] | s[t + 3]) != 0 || !f.code.isJumpdest(d)) {
                        status = Status.BAD_JUMP;
                        break;
                    }
                    // A backward jump is where every loop passes: stop here when aborted (see Evm.abort).
                    if (d <= pc && evm.aborted) { status = Status.ABORTED; break; }
                    pc = (int) d;
                }
                if (!single) { status = NEXT_ENTRY; break; }
                continue;
            }
            if (op == JUMPDEST) {
                pc++;
                if (!single) {
                    // The JUMPDESTs that follow, as many as the gas pays for (each costs its static gas; the run stops
                    // where the gas does, and that JUMPDEST then halts, checked, in the next round).
                    int k = pc;
                    while (code[k] == (byte) JUMPDEST) k++;
                    long c = gasTable[JUMPDEST];
                    long n = k - pc;
                    if (gas < n * c) n = gas / c; // n * c > gas >= 0, so c > 0
                    gas -= n * c;
                    pc += (int) n;
                }
                continue;
            }
            if (op >= PUSH0 && op <= PUSH32) {
                int n = op - PUSH0, end = pc + 1 + n;
                long v0 = 0, v1 = 0, v2 = 0, v3 = 0;
                for (int i = pc + 1; i < end; i++) {
                    v3 = v3 << 8 | v2 >>> 56;
                    v2 = v2 << 8 | v1 >>> 56;
                    v1 = v1 << 8 | v0 >>> 56;
                    v0 = v0 << 8 | (code[i] & 0xff);
                }
                JitOps.push(s, sp, v0, v1, v2, v3);
                sp += 4;
                pc = end;
                continue;
            }
            // The instructions exec runs in place and slow() therefore does not have; the rest through slow().
            switch (op) {
                case ADD -> { JitOps.add(s, sp); sp -= 4; }
                case AND -> { JitOps.and(s, sp); sp -= 4; }
                case ISZERO -> JitOps.iszero(s, sp);
                case POP -> sp -= 4;
                case 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0x8e, 0x8f -> {
                    JitOps.dup(s, sp, (op - 0x7f) << 2);
                    sp += 4;
                }
                case 0x90, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f ->
                    JitOps.swap(s, sp, (op - 0x8e) << 2);
                default -> {
                    // slow() keeps pc, sp and gas in the frame; ENTRY: the next instruction is an entry point.
                    f.pc = pc; f.sp = sp; f.gas = gas;
                    int r = slow(evm, f, op, false, false);
                    if (r >= 0) return r;
                    pc = f.pc; sp = f.sp; gas = f.gas;
                    if (r == ENTRY && !single) { status = NEXT_ENTRY; break loop; }
                    continue;
                }
            }
            pc++;
        }
        f.pc = pc;
        f.sp = sp;
        f.gas = gas;
        return status;
    }

    /**
     * The loop. Its switch holds only the most frequent instructions, written out in place, and every other
     * instruction goes through one call to {@link #slow}: HotSpot's C2 compiles a loop over a large switch
     * badly even when most of its cases never run (the loop's pc, sp and gas end up in stack slots, and
     * index arithmetic shared by many cases is computed before the dispatch), so the cases are kept few.
     * Measured with ten and thirty extra cold cases in a small model of this loop: 2.6 to 3.8 and 5.0 ns per
     * instruction; the same cases behind a call from {@code default}, 2.0.
     *
     * <p>Every instruction here runs unchecked: its run's static gas and stack bounds were checked on entry. A run whose
     * check fails (out of gas, a stack bound, an undefined opcode in it) is stepped instruction by instruction in
     * {@link #execStepped} up to the next entry point, where this loop takes over again. The checked mode was a mode
     * word of this loop until session 29; without it, in one JVM (tools/interp-ab CasesAB, cached, the two alternating),
     * the evmbench cases that loop ran 0.90-0.97 of their time (jump_around 0.77-0.86, blake2b_shifts 0.90-0.94) and the
     * rest level.
     */
    private static int exec(Evm evm, Frame f, int[] runs) {
        final long[] s = f.stack;
        final byte[] code = f.code.padded;
        final int[] gasTable = evm.rules.gas;
        int pc = f.pc;
        int sp = f.sp;
        long gas = f.gas;
        // The frame's first instruction (or where compiled code bailed) is an entry point.
        boolean enter = true;
        int status;
        loop:
        while (true) {
            if (enter) {
                // Charge the run's static gas and check its stack bounds at once (see BasicBlocks).
                enter = false;
                int r = runs[pc];
                long g = gas - (r & BasicBlocks.GAS_MAX);
                int need = (r >>> (BasicBlocks.NEED_SHIFT - 2)) & (BasicBlocks.ITEMS_MAX << 2);
                int grow = (r >>> (BasicBlocks.GROW_SHIFT - 2)) & (BasicBlocks.ITEMS_MAX << 2);
                if ((g | r | (sp - need) | (Frame.STACK_LIMIT * 4 - grow - sp)) < 0) {
                    if (r == BasicBlocks.UNFILLED) {
                        // First entry into this run: fill its entry (off the loop's fast path), then check again.
                        BasicBlocks.fill(code, runs, pc, gasTable, evm);
                        BasicBlocks.threadJump(f.code, runs, pc);
                        enter = true;
                        continue;
                    }
                    if ((r & BasicBlocks.THREAD_MASK) == BasicBlocks.THREAD) {
                        // A run that only jumps (JUMPDEST PUSHn X JUMP, X a JUMPDEST): its gas and one stack slot, then X.
                        long gt = gas - (r & BasicBlocks.GAS_MAX);
                        int d = runs[pc + 2];
                        if ((gt | d | (Frame.STACK_LIMIT * 4 - 4 - sp)) >= 0) {
                            if (d <= pc && evm.aborted) { status = Status.ABORTED; break; }
                            f.blockGas += gas - gt;
                            gas = gt;
                            pc = d;
                            enter = true;
                            continue;
                        }
                    }
                    // The run's check failed: step it checked, in exec, up to the next entry point.
                    f.pc = pc; f.sp = sp; f.gas = gas;
                    int st = execStepped(evm, f, UNTIL_ENTRY);
                    if (st != NEXT_ENTRY) return st;
                    pc = f.pc; sp = f.sp; gas = f.gas;
                    enter = true;
                    continue;
                } else {
                    f.blockGas += gas - g;
                    gas = g;
                }
            }
            int op = code[pc] & 0xff;
            // PUSH1, PUSH0/PUSH2..32 and DUP leave the word they push in v0..v3 for one tail after the switch. Written
            // in each of the three cases, the stores' indices sp..sp+3 were values shared by several cases, and C2
            // computes such values before the dispatch, for every instruction, where they crowd pc out of its
            // register (tools/jit-asm.sh; docs/benchmarks.md, session 21). viaSlow: the instruction goes to slow().
            long v0 = 0, v1 = 0, v2 = 0, v3 = 0;
            boolean viaSlow = false;
            switch (op) {
                case STOP -> { status = Status.SUCCESS; break loop; }
                case ADD -> {
                    int a = sp - 4, b = sp - 8;
                    long a0 = s[a], a1 = s[a + 1], a2 = s[a + 2];
                    long r0 = a0 + s[b];
                    long c = Long.compareUnsigned(r0, a0) < 0 ? 1 : 0;
                    long t1 = a1 + s[b + 1];
                    long c1 = Long.compareUnsigned(t1, a1) < 0 ? 1 : 0;
                    long r1 = t1 + c;
                    c = c1 | (Long.compareUnsigned(r1, t1) < 0 ? 1 : 0);
                    long t2 = a2 + s[b + 2];
                    long c2 = Long.compareUnsigned(t2, a2) < 0 ? 1 : 0;
                    long r2 = t2 + c;
                    c = c2 | (Long.compareUnsigned(r2, t2) < 0 ? 1 : 0);
                    s[b + 3] += s[a + 3] + c;
                    s[b] = r0;
                    s[b + 1] = r1;
                    s[b + 2] = r2;
                    sp = a;
                    pc++;
                    continue;
                }
                case ISZERO -> {
                    int a = sp - 4;
                    boolean z = (s[a] | s[a + 1] | s[a + 2] | s[a + 3]) == 0;
                    s[a] = z ? 1 : 0; s[a + 1] = 0; s[a + 2] = 0; s[a + 3] = 0;
                    pc++;
                    continue;
                }
                case AND -> {
                    int a = sp - 4, b = sp - 8;
                    s[b] &= s[a]; s[b + 1] &= s[a + 1]; s[b + 2] &= s[a + 2]; s[b + 3] &= s[a + 3];
                    sp = a;
                    pc++;
                    continue;
                }
                case POP -> { sp -= 4; pc++; continue; }
                case MLOAD -> {
                    // Within the active memory: read in place. Growing it goes through slow().
                    int a = sp - 4;
                    long off = s[a];
                    if ((s[a + 1] | s[a + 2] | s[a + 3]) == 0 && off >= 0 && off <= f.memSize - 32) {
                        byte[] m = f.mem;
                        int o = (int) off;
                        s[a + 3] = (long) BE.get(m, o);
                        s[a + 2] = (long) BE.get(m, o + 8);
                        s[a + 1] = (long) BE.get(m, o + 16);
                        s[a] = (long) BE.get(m, o + 24);
                        pc++;
                        continue;
                    }
                    viaSlow = true;
                }
                case MSTORE -> {
                    int a = sp - 4;
                    long off = s[a];
                    if ((s[a + 1] | s[a + 2] | s[a + 3]) == 0 && off >= 0 && off <= f.memSize - 32) {
                        byte[] m = f.mem;
                        int o = (int) off;
                        BE.set(m, o, s[a - 1]);
                        BE.set(m, o + 8, s[a - 2]);
                        BE.set(m, o + 16, s[a - 3]);
                        BE.set(m, o + 24, s[a - 4]);
                        sp -= 8;
                        pc++;
                        continue;
                    }
                    viaSlow = true;
                }
                case JUMP, JUMPI -> {
                    int t = sp - 4;
                    sp = op == JUMP ? t : sp - 8;
                    if (op == JUMPI && (s[sp] | s[sp + 1] | s[sp + 2] | s[sp + 3]) == 0) {
                        pc++;
                    } else {
                        long d = s[t];
                        // Code.isJumpdest written out: the call is not always inlined, and a call here costs the loop.
                        if ((s[t + 1] | s[t + 2] | s[t + 3]) != 0 || d < 0 || d >= f.code.length
                                || (f.code.jumpdestBits()[(int) (d >>> 6)] & (1L << d)) == 0) {
                            status = Status.BAD_JUMP;
                            break loop;
                        }
                        if (d <= pc) {
                            // A backward jump is where every loop passes: stop here when aborted (see Evm.abort).
                            if (evm.aborted) { status = Status.ABORTED; break loop; }
                            // A code's first execution, checked instruction by instruction, that turns out to loop
                            // takes the code's run table from here on (BasicBlocks.whenLooping).
                        }
                        pc = (int) d;
                    }
                    enter = true;
                    continue;
                }
                case JUMPDEST -> {
                    // A run of JUMPDESTs (no stack effect, fixed cost) is consumed here without a trip
                    // through dispatch: unchecked, the block already paid for them; checked, each costs its
                    // static gas, and the run stops where the gas does (that JUMPDEST then halts, checked);
                    // stepped (a tracer), every instruction is stepped on its own.
                    // Unchecked: the run already paid for a run of JUMPDESTs; skip them eight bytes at a time.
                    pc++;
                    int k = pc;
                    long w;
                    while ((w = (long) LE.get(code, k) ^ 0x5b5b5b5b5b5b5b5bL) == 0) k += 8;
                    pc = k + (Long.numberOfTrailingZeros(w) >>> 3);
                    continue;
                }
                case PUSH1 -> { v0 = code[pc + 1] & 0xff; pc += 2; }
                case PUSH0, PUSH2, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f,
                     0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x7b, 0x7c, 0x7d, 0x7e, 0x7f -> {
                    // PUSH0, PUSH2..PUSH32: eight bytes at a time (the code is padded), the top limb shifted into place.
                    int n = op - PUSH0;
                    int start = pc + 1, end = start + n;
                    if (n <= 8) {
                        if (n != 0) v0 = (long) BE.get(code, start) >>> (64 - 8 * n);
                    } else if (n <= 16) {
                        v0 = (long) BE.get(code, end - 8);
                        v1 = (long) BE.get(code, start) >>> (128 - 8 * n);
                    } else if (n <= 24) {
                        v0 = (long) BE.get(code, end - 8);
                        v1 = (long) BE.get(code, end - 16);
                        v2 = (long) BE.get(code, start) >>> (192 - 8 * n);
                    } else {
                        v0 = (long) BE.get(code, end - 8);
                        v1 = (long) BE.get(code, end - 16);
                        v2 = (long) BE.get(code, end - 24);
                        v3 = (long) BE.get(code, start) >>> (256 - 8 * n);
                    }
                    pc = end;
                }
                case 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0x8e, 0x8f -> {
                    int src = sp - ((op - 0x7f) << 2);
                    v0 = s[src]; v1 = s[src + 1]; v2 = s[src + 2]; v3 = s[src + 3];
                    pc++;
                }
                case 0x90, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f -> {
                    // a (sp - 4) from b, not from sp: sp - 4 .. sp - 1 are the JUMP case's indices too (see v0..v3).
                    int b = sp - ((op - 0x8e) << 2), a = b + ((op - 0x8f) << 2);
                    long t0 = s[a], t1 = s[a + 1], t2 = s[a + 2], t3 = s[a + 3];
                    s[a] = s[b]; s[a + 1] = s[b + 1]; s[a + 2] = s[b + 2]; s[a + 3] = s[b + 3];
                    s[b] = t0; s[b + 1] = t1; s[b + 2] = t2; s[b + 3] = t3;
                    pc++;
                    continue;
                }
                default -> viaSlow = true;
            }
            if (!viaSlow) {
                // PUSH1, PUSH0/PUSH2..32, DUP: the word they push, written here once for the three.
                s[sp] = v0; s[sp + 1] = v1; s[sp + 2] = v2; s[sp + 3] = v3;
                sp += 4;
                continue;
            }
            // Everything else (and MLOAD, MSTORE growing memory), through this one call site: the frame holds
            // pc, sp and gas across it.
            f.pc = pc; f.sp = sp; f.gas = gas;
            int r = slow(evm, f, op, true, false);
            if (r >= 0) return r;
            pc = f.pc; sp = f.sp; gas = f.gas;
            if (r == ENTRY) enter = true;
        }
        f.pc = pc;
        f.sp = sp;
        f.gas = gas;
        return status;
    }

    /**
     * {@link #exec} for a frame without a run table (a code's first execution): every instruction's static gas and
     * stack bounds checked before it runs, as {@code exec} does in its checked mode, with the same in-place cases and
     * the same one call site to {@link #slow}. A copy rather than a mode of {@code exec}: without the run entry check,
     * the mode word and the single-step case (which {@code exec} itself has shed since: session 29), C2 keeps more of the loop in registers, and each loop is compiled with
     * the profile of its own kind of code. Measured in one JVM, the two alternating per sample (thread CPU time):
     * evmbench's analysed column 5-17% faster on every case but JUMPDEST_n0, straight-line micro-programs checked 12-23%
     * faster (docs/benchmarks.md, session 27). When {@link BasicBlocks#whenLooping} gives the code its table at a backward
     * jump, it returns {@link #WITH_TABLE} with the frame at the jump's target, and {@code exec} takes over. Changes to
     * an instruction here must be made in {@code exec} and {@link #execStepped} too; {@code InterpreterTablesTest}
     * compares them (the tracer's single steps run in {@code execStepped}) on random programs.
     */
    private static int execChecked(Evm evm, Frame f) {
        final long[] s = f.stack;
        final byte[] code = f.code.padded;
        final int[] gasTable = evm.rules.gas;
        int pc = f.pc;
        int sp = f.sp;
        long gas = f.gas;
        int status;
        loop:
        while (true) {
            int op = code[pc] & 0xff;
            {
                int cost = gasTable[op];
                if (cost == ForkRules.UNDEFINED) { status = Status.INVALID_OPCODE; break; }
                gas -= cost;
                if (gas < 0) { status = Status.OUT_OF_GAS; break; }
                // Both stack bounds in one test; which one failed is sorted out only then.
                if (((sp - STACK_MIN[op]) | (STACK_MAX[op] - sp)) < 0) {
                    status = sp < STACK_MIN[op] ? Status.STACK_UNDERFLOW : Status.STACK_OVERFLOW;
                    break;
                }
            }
            // PUSH1, PUSH0/PUSH2..32 and DUP leave the word they push in v0..v3 for one tail after the switch. Written
            // in each of the three cases, the stores' indices sp..sp+3 were values shared by several cases, and C2
            // computes such values before the dispatch, for every instruction, where they crowd pc out of its
            // register (tools/jit-asm.sh; docs/benchmarks.md, session 21). viaSlow: the instruction goes to slow().
            long v0 = 0, v1 = 0, v2 = 0, v3 = 0;
            boolean viaSlow = false;
            switch (op) {
                case STOP -> { status = Status.SUCCESS; break loop; }
                case ADD -> {
                    int a = sp - 4, b = sp - 8;
                    long a0 = s[a], a1 = s[a + 1], a2 = s[a + 2];
                    long r0 = a0 + s[b];
                    long c = Long.compareUnsigned(r0, a0) < 0 ? 1 : 0;
                    long t1 = a1 + s[b + 1];
                    long c1 = Long.compareUnsigned(t1, a1) < 0 ? 1 : 0;
                    long r1 = t1 + c;
                    c = c1 | (Long.compareUnsigned(r1, t1) < 0 ? 1 : 0);
                    long t2 = a2 + s[b + 2];
                    long c2 = Long.compareUnsigned(t2, a2) < 0 ? 1 : 0;
                    long r2 = t2 + c;
                    c = c2 | (Long.compareUnsigned(r2, t2) < 0 ? 1 : 0);
                    s[b + 3] += s[a + 3] + c;
                    s[b] = r0;
                    s[b + 1] = r1;
                    s[b + 2] = r2;
                    sp = a;
                    pc++;
                    continue;
                }
                case ISZERO -> {
                    int a = sp - 4;
                    boolean z = (s[a] | s[a + 1] | s[a + 2] | s[a + 3]) == 0;
                    s[a] = z ? 1 : 0; s[a + 1] = 0; s[a + 2] = 0; s[a + 3] = 0;
                    pc++;
                    continue;
                }
                case AND -> {
                    int a = sp - 4, b = sp - 8;
                    s[b] &= s[a]; s[b + 1] &= s[a + 1]; s[b + 2] &= s[a + 2]; s[b + 3] &= s[a + 3];
                    sp = a;
                    pc++;
                    continue;
                }
                case POP -> { sp -= 4; pc++; continue; }
                case MLOAD -> {
                    // Within the active memory: read in place. Growing it goes through slow().
                    int a = sp - 4;
                    long off = s[a];
                    if ((s[a + 1] | s[a + 2] | s[a + 3]) == 0 && off >= 0 && off <= f.memSize - 32) {
                        byte[] m = f.mem;
                        int o = (int) off;
                        s[a + 3] = (long) BE.get(m, o);
                        s[a + 2] = (long) BE.get(m, o + 8);
                        s[a + 1] = (long) BE.get(m, o + 16);
                        s[a] = (long) BE.get(m, o + 24);
                        pc++;
                        continue;
                    }
                    viaSlow = true;
                }
                case MSTORE -> {
                    int a = sp - 4;
                    long off = s[a];
                    if ((s[a + 1] | s[a + 2] | s[a + 3]) == 0 && off >= 0 && off <= f.memSize - 32) {
                        byte[] m = f.mem;
                        int o = (int) off;
                        BE.set(m, o, s[a - 1]);
                        BE.set(m, o + 8, s[a - 2]);
                        BE.set(m, o + 16, s[a - 3]);
                        BE.set(m, o + 24, s[a - 4]);
                        sp -= 8;
                        pc++;
                        continue;
                    }
                    viaSlow = true;
                }
                case JUMP, JUMPI -> {
                    int t = sp - 4;
                    sp = op == JUMP ? t : sp - 8;
                    if (op == JUMPI && (s[sp] | s[sp + 1] | s[sp + 2] | s[sp + 3]) == 0) {
                        pc++;
                    } else {
                        long d = s[t];
                        // Code.isJumpdest written out: the call is not always inlined, and a call here costs the loop.
                        // Before the code has its bitmap, the bytes around the target decide where they can.
                        long[] jd = LOCAL_JUMPDEST ? f.code.jumpdestBitsIfMade() : f.code.jumpdestBits();
                        if ((s[t + 1] | s[t + 2] | s[t + 3]) != 0 || d < 0 || d >= f.code.length
                                || (jd != null ? (jd[(int) (d >>> 6)] & (1L << d)) == 0 : !f.code.isJumpdestBeforeBitmap(d))) {
                            status = Status.BAD_JUMP;
                            break loop;
                        }
                        if (d <= pc) {
                            // A backward jump is where every loop passes: stop here when aborted (see Evm.abort).
                            if (evm.aborted) { status = Status.ABORTED; break loop; }
                            // A code's first execution, checked instruction by instruction, that turns out to loop
                            // takes the code's run table from here on (BasicBlocks.whenLooping).
                            if (BasicBlocks.whenLooping(f, (int) d, gas, gasTable) != null) {
                                // The code has its run table now: the rest of the frame runs a block at a time (exec).
                                pc = (int) d;
                                status = WITH_TABLE;
                                break loop;
                            }
                        }
                        pc = (int) d;
                    }
                    continue;
                }
                case JUMPDEST -> {
                    // A run of JUMPDESTs (no stack effect, fixed cost) is consumed here without a trip
                    // through dispatch: unchecked, the block already paid for them; checked, each costs its
                    // static gas, and the run stops where the gas does (that JUMPDEST then halts, checked);
                    // stepped (a tracer), every instruction is stepped on its own.
                    pc++;
                    // Eight bytes at a time (the padding's zeros end the scan): the first byte that differs.
                    int k = pc;
                    long w;
                    while ((w = (long) LE.get(code, k) ^ 0x5b5b5b5b5b5b5b5bL) == 0) k += 8;
                    k += Long.numberOfTrailingZeros(w) >>> 3;
                    // As many as the gas pays for; divide only when it does not pay for all.
                    long c = gasTable[JUMPDEST];
                    long n = k - pc;
                    if (gas < n * c) n = gas / c; // n * c > gas >= 0, so c > 0
                    gas -= n * c;
                    pc += (int) n;
                    continue;
                }
                case PUSH1 -> { v0 = code[pc + 1] & 0xff; pc += 2; }
                case PUSH2 -> {
                    v0 = ((code[pc + 1] & 0xff) << 8) | (code[pc + 2] & 0xff);
                    pc += 3;
                    int next = code[pc] & 0xff;
                    if (FUSE_JUMP && (next == JUMP || next == JUMPI)) {
                        // PUSH2 X JUMP / JUMPI (a compiler's static jump): the jump takes X from the code, not through
                        // the stack, one dispatch fewer. Checked as the jump alone would be: its gas, then its stack
                        // (JUMPI's condition below the pushed X); X is now on the stack and the jump takes it off.
                        gas -= gasTable[next];
                        if (gas < 0) { status = Status.OUT_OF_GAS; break loop; }
                        if (next == JUMPI) {
                            if (sp < 4) { status = Status.STACK_UNDERFLOW; break loop; }
                            sp -= 4;
                            if ((s[sp] | s[sp + 1] | s[sp + 2] | s[sp + 3]) == 0) { pc++; continue; }
                        }
                        long[] jd = LOCAL_JUMPDEST ? f.code.jumpdestBitsIfMade() : f.code.jumpdestBits();
                        if (v0 >= f.code.length || (jd != null ? (jd[(int) (v0 >>> 6)] & (1L << v0)) == 0 : !f.code.isJumpdestBeforeBitmap(v0))) {
                            status = Status.BAD_JUMP;
                            break loop;
                        }
                        if (v0 <= pc) {
                            // As in the JUMP case: the abort check and the switch to the run table.
                            if (evm.aborted) { status = Status.ABORTED; break loop; }
                            if (BasicBlocks.whenLooping(f, (int) v0, gas, gasTable) != null) {
                                pc = (int) v0;
                                status = WITH_TABLE;
                                break loop;
                            }
                        }
                        pc = (int) v0;
                        continue;
                    }
                }
                case PUSH0, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f,
                     0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x7b, 0x7c, 0x7d, 0x7e, 0x7f -> {
                    // PUSH0, PUSH3..PUSH32 (PUSH2 above): eight bytes at a time (the code is padded), the top limb shifted into place.
                    int n = op - PUSH0;
                    int start = pc + 1, end = start + n;
                    if (n <= 8) {
                        if (n != 0) v0 = (long) BE.get(code, start) >>> (64 - 8 * n);
                    } else if (n <= 16) {
                        v0 = (long) BE.get(code, end - 8);
                        v1 = (long) BE.get(code, start) >>> (128 - 8 * n);
                    } else if (n <= 24) {
                        v0 = (long) BE.get(code, end - 8);
                        v1 = (long) BE.get(code, end - 16);
                        v2 = (long) BE.get(code, start) >>> (192 - 8 * n);
                    } else {
                        v0 = (long) BE.get(code, end - 8);
                        v1 = (long) BE.get(code, end - 16);
                        v2 = (long) BE.get(code, end - 24);
                        v3 = (long) BE.get(code, start) >>> (256 - 8 * n);
                    }
                    pc = end;
                }
                case 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0x8e, 0x8f -> {
                    int src = sp - ((op - 0x7f) << 2);
                    v0 = s[src]; v1 = s[src + 1]; v2 = s[src + 2]; v3 = s[src + 3];
                    pc++;
                }
                case 0x90, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f -> {
                    // a (sp - 4) from b, not from sp: sp - 4 .. sp - 1 are the JUMP case's indices too (see v0..v3).
                    int b = sp - ((op - 0x8e) << 2), a = b + ((op - 0x8f) << 2);
                    long t0 = s[a], t1 = s[a + 1], t2 = s[a + 2], t3 = s[a + 3];
                    s[a] = s[b]; s[a + 1] = s[b + 1]; s[a + 2] = s[b + 2]; s[a + 3] = s[b + 3];
                    s[b] = t0; s[b + 1] = t1; s[b + 2] = t2; s[b + 3] = t3;
                    pc++;
                    continue;
                }
                default -> viaSlow = true;
            }
            if (!viaSlow) {
                // PUSH1, PUSH0/PUSH2..32, DUP: the word they push, written here once for the three.
                s[sp] = v0; s[sp + 1] = v1; s[sp + 2] = v2; s[sp + 3] = v3;
                sp += 4;
                continue;
            }
            // Everything else (and MLOAD, MSTORE growing memory), through this one call site: the frame holds
            // pc, sp and gas across it.
            f.pc = pc; f.sp = sp; f.gas = gas;
            int r = slow(evm, f, op, false, STRETCH);
            if (r >= 0 || r == STRETCH_NEXT) return r;
            pc = f.pc; sp = f.sp; gas = f.gas;
        }
        f.pc = pc;
        f.sp = sp;
        f.gas = gas;
        return status;
    }

    /**
     * Instructions that {@link #stay} executes: the arithmetic that has only static gas, and the stack instructions
     * between them (DUPn, SWAPn, PUSH0..PUSH32, POP, and the ADD, AND and ISZERO that {@code exec} also has). When {@link #slow}
     * has executed an instruction of a run that was checked on entry and the next one is of these, it hands over to
     * {@code stay}, so straight-line arithmetic (SIGNEXTEND after DUP, a hash's rounds) runs in that method's loop rather
     * than paying a call and the frame's pc, sp and gas written and read again per instruction. All of them are inline
     * instructions whose static gas and stack bounds the run's entry check covered; MLOAD and MSTORE are here for the
     * case where they grow memory (exec runs them in place otherwise; once in {@code stay}, so does it); anything else
     * goes back to {@code exec}.
     */
    static final boolean[] STAY = new boolean[256];
    /** {@code -Dlanes.interp.fuse=false}: {@link #stay} runs DUPn and a binary instruction after it as two (for comparison). */
    private static final boolean FUSE = !"false".equals(System.getProperty("lanes.interp.fuse"));

    /** {@code -Dlanes.interp.stay=false}: {@link #slow} executes one instruction per call (for comparison). */
    private static final boolean STAYS = !"false".equals(System.getProperty("lanes.interp.stay"));

    static {
        for (int op : new int[] {ADD, MUL, SUB, DIV, SDIV, MOD, SMOD, ADDMOD, MULMOD, SIGNEXTEND, LT, GT, SLT, SGT, EQ,
                ISZERO, AND, OR, XOR, NOT, BYTE, SHL, SHR, SAR, CLZ, POP, MLOAD, MSTORE}) STAY[op] = STAYS;
        for (int op = PUSH0; op <= PUSH32; op++) STAY[op] = STAYS;
        for (int op = DUP1; op <= SWAP16; op++) STAY[op] = STAYS;
    }

    /**
     * One instruction that {@link #exec} does not execute in place, at the frame's pc with its static gas
     * charged: the frame's final status (f.gas as it stands; the caller zeroes it for an exceptional halt), or
     * {@link #SAME_RUN} / {@link #ENTRY} with the frame's pc, sp and gas moved on. With {@code unchecked} (the run
     * was checked on entry) the {@link #STAY} instructions after it run in {@link #stay} before it returns. With
     * {@code stretch} (checked execution, {@link #execChecked}; never for a tracer's single steps) it returns
     * {@link #STRETCH_NEXT} there instead, unless the frame marked that stretch as not worth scanning
     * ({@code Frame.noStretchBelow}), and {@link #stretchThenChecked} goes on from it. (A checked copy of
     * {@code stay}, per-instruction checks in its loop, had measured no gain: session 18.)
     * {@code exec}'s own instructions (pushes, DUP, SWAP, POP, ADD, AND, ISZERO, JUMPDEST, jumps) never come here.
     */
    private static int slow(Evm evm, Frame f, int op, boolean unchecked, boolean stretch) {
        long[] s = f.stack;
        int sp = f.sp;
        long gas = f.gas;
        int pc = f.pc;
        switch (op) {
            case MUL -> { JitOps.mul(s, sp); sp -= 4; }
            case SUB -> { JitOps.sub(s, sp); sp -= 4; }
            case DIV -> { JitOps.div(evm, s, sp); sp -= 4; }
            case SDIV -> { JitOps.sdiv(evm, s, sp); sp -= 4; }
            case MOD -> { JitOps.mod(evm, s, sp); sp -= 4; }
            case SMOD -> { JitOps.smod(evm, s, sp); sp -= 4; }
            case ADDMOD -> { JitOps.addmod(evm, s, sp); sp -= 8; }
            case MULMOD -> { JitOps.mulmod(evm, s, sp); sp -= 8; }
            case EXP -> {
                gas = JitOps.expGas(evm, s, sp, gas);
                if (gas < 0) return Status.OUT_OF_GAS;
                JitOps.exp(s, sp);
                sp -= 4;
            }
            case SIGNEXTEND -> { JitOps.signextend(s, sp); sp -= 4; }
            case LT -> { JitOps.lt(s, sp); sp -= 4; }
            case GT -> { JitOps.gt(s, sp); sp -= 4; }
            case SLT -> { JitOps.slt(s, sp); sp -= 4; }
            case SGT -> { JitOps.sgt(s, sp); sp -= 4; }
            case EQ -> { JitOps.eq(s, sp); sp -= 4; }
            case OR -> { JitOps.or(s, sp); sp -= 4; }
            case XOR -> { JitOps.xor(s, sp); sp -= 4; }
            case NOT -> JitOps.not(s, sp);
            case BYTE -> { JitOps.byteOp(s, sp); sp -= 4; }
            case SHL -> { JitOps.shl(s, sp); sp -= 4; }
            case SHR -> { JitOps.shr(s, sp); sp -= 4; }
            case SAR -> { JitOps.sar(s, sp); sp -= 4; }
            case CLZ -> JitOps.clz(s, sp);
            // MLOAD and MSTORE come here only to grow memory.
            case MLOAD -> {
                gas = JitOps.mload(f, s, sp, gas);
                if (gas < 0) return Status.OUT_OF_GAS;
            }
            case MSTORE -> {
                gas = JitOps.mstore(f, s, sp, gas);
                if (gas < 0) return Status.OUT_OF_GAS;
                sp -= 8;
            }
            case MSTORE8 -> {
                gas = JitOps.mstore8(f, s, sp, gas);
                if (gas < 0) return Status.OUT_OF_GAS;
                sp -= 8;
            }
            case PC -> { JitOps.push1(s, sp, pc); sp += 4; }
            case MSIZE -> { JitOps.msize(f, s, sp); sp += 4; }
            case GAS -> {
                // Reads the gas left, so it ends a run: the next instruction is an entry point.
                JitOps.push1(s, sp, gas);
                f.sp = sp + 4;
                f.pc = pc + 1;
                return ENTRY;
            }
            case RETURN, REVERT -> {
                gas = Instructions.setOutput(f, gas);
                f.gas = gas;
                return gas < 0 ? Status.OUT_OF_GAS : op == RETURN ? Status.SUCCESS : Status.REVERT;
            }
            default -> {
                // State access, environment, copies, logs, calls, creation, halts: ends a run.
                f.pc = pc; f.sp = sp;
                int st = Instructions.execute(evm, f, op);
                return st == Instructions.CONTINUE ? ENTRY : st;
            }
        }
        pc++;
        byte[] code = f.code.padded;
        if (STAY[code[pc] & 0xff]) {
            if (unchecked) {
                f.gas = gas;
                long r = stay(evm, f, s, code, pc, sp);
                if (r == OUT_OF_GAS_IN_STAY) return Status.OUT_OF_GAS;
                gas = f.gas;
                pc = (int) (r >>> 32);
                sp = (int) r;
            } else if (stretch && pc >= f.noStretchBelow) {
                f.sp = sp;
                f.gas = gas;
                f.pc = pc;
                return STRETCH_NEXT;
            }
        }
        f.sp = sp;
        f.gas = gas;
        f.pc = pc;
        return SAME_RUN;
    }

    /**
     * Returned by {@link #slow} in checked execution (and passed on by {@link #execChecked}) where a stretch of STAY
     * instructions follows: {@link #run} hands it to {@link #stretchThenChecked}, outside the two large loops, so that
     * the stretch's scan keeps its values in registers (inlined into {@code slow}, with the frame's pc, sp and gas live
     * across it, C2 kept the scan's position in a stack slot and the scan ran at about 2.5 ns an instruction, not 1).
     */
    private static final int STRETCH_NEXT = -6;

    /**
     * Checked execution (no run table) at a stretch of STAY instructions: when {@link #stretch} finds it paid for (its
     * static gas charged to the frame) and within the stack's bounds, as a run's entry check does, it runs unchecked in
     * {@link #stay}; when not (it cannot pay for itself or leaves the stack's bounds: the frame halts within it, since
     * nothing in it leaves the stretch), or when it is short, it runs checked, and is not scanned again. Then checked
     * execution goes on.
     */
    private static int stretchThenChecked(Evm evm, Frame f) {
        byte[] code = f.code.padded;
        long g = stretch(evm.rules.gas, code, f.pc, f.sp, f.gas);
        if (g < 0) {
            f.noStretchBelow = (int) ~g;
        } else {
            f.gas = g;
            long r = stay(evm, f, f.stack, code, f.pc, f.sp);
            if (r == OUT_OF_GAS_IN_STAY) return Status.OUT_OF_GAS;
            f.pc = (int) (r >>> 32);
            f.sp = (int) r;
        }
        return execChecked(evm, f);
    }

    /**
     * Whether checked execution validates a jump before the code has its JUMPDEST bitmap from the bytes around the target
     * ({@code Code.isJumpdestBeforeBitmap}; {@code -Dlanes.interp.localJumpdest=false}: the bitmap is made on the first jump).
     */
    private static final boolean LOCAL_JUMPDEST = !"false".equals(System.getProperty("lanes.interp.localJumpdest"));
    /** {@code -Dlanes.interp.fuseJump=false}: {@link #execChecked} runs PUSH2 X JUMP / JUMPI as two instructions (for comparison). */
    private static final boolean FUSE_JUMP = !"false".equals(System.getProperty("lanes.interp.fuseJump"));

    /** {@code -Dlanes.interp.stretch=false}: checked execution does not hand stretches of STAY instructions to {@link #stay}. */
    private static final boolean STRETCH = !"false".equals(System.getProperty("lanes.interp.stretch"));

    /**
     * For checked execution (a code's first run, without its run table): the stretch of {@link #STAY} instructions from
     * {@code pc} up to the first instruction that is not one, which is where {@link #stay} returns. Returns the gas left
     * after the stretch's static gas, or, when the stretch is longer than the gas pays for, leaves the stack's bounds
     * or holds an opcode the fork does not define, the complement of the stretch's end (negative). Nothing in a stretch
     * transfers control or halts but by an exceptional halt, so a frame whose stretch fails here halts within it
     * whatever it does, and one whose stretch passes runs all of it: charging its static gas at once is exact, as for a
     * run's entry check ({@link BasicBlocks}); memory expansion stays dynamic, charged in {@code stay}.
     */
    private static long stretch(int[] gasTable, byte[] code, int pc, int sp, long gas) {
        // One pass with no exit but the stretch's end (d: the stack depth in items before each instruction). Written
        // for the CPU: no chain through two loads (an instruction's length from a branch, predicted, not from the
        // table) and no min/max (flags set in branches that are not taken): about 1 ns an instruction, against 2-2.5
        // with the bounds kept as a running minimum and maximum.
        int p = pc, n = 0, d = sp >> 2;
        boolean bad = false;
        long total = 0;
        final int[] scan = SCAN;
        while (true) {
            int op = code[p] & 0xff;
            int e = scan[op];
            if (e == 0) break;
            total += gasTable[op];
            if (d < (e & SCAN_NEED)) bad = true;
            d += e >> SCAN_DELTA_SHIFT;
            if (d > Frame.STACK_LIMIT) bad = true;
            if ((op - PUSH1) >>> 5 == 0) p += op - PUSH0 + 1;
            else p++;
            n++;
        }
        // An undefined opcode costs ForkRules.UNDEFINED (2^31 - 1), more than any stretch of defined ones adds up to.
        if (bad || total >= ForkRules.UNDEFINED || total > gas) return ~(long) p;
        return n < MIN_STRETCH ? ~(long) (p + SHORT_SKIP) : gas - total;
    }

    /**
     * For {@link #stretch}, per opcode: 0 where it is not a {@link #STAY} instruction (the stretch ends there), else the
     * items it needs (bits 0-5), a marker (bit 7) and its stack change (bits 8 up, signed).
     */
    private static final int[] SCAN = new int[256];
    private static final int SCAN_NEED = 0x3f, SCAN_DELTA_SHIFT = 8;

    static {
        for (int op = 0; op < 256; op++) {
            if (STAY[op]) SCAN[op] = (STACK_MIN[op] >> 2) | 0x80 | STACK_DELTA[op] << SCAN_DELTA_SHIFT;
        }
    }

    private static final int MIN_STRETCH = Integer.getInteger("lanes.interp.minStretch", 16);
    private static final int SHORT_SKIP = Integer.getInteger("lanes.interp.shortSkip", 128);

    /** The highest offset {@link #stay} grows memory to in place (beyond it, and past the buffer, through {@code JitOps}). */
    private static final long GROW_MAX = Instructions.MAX_MEM - 32;

    /** Returned by {@link #stay} when a memory expansion ran out of gas (no pc and sp packs to it: pc is never -1). */
    private static final long OUT_OF_GAS_IN_STAY = -1L;

    /**
     * The {@link #STAY} instructions from {@code pc} on, in a loop of their own; returns the next pc in the high half and
     * sp in the low half, or {@link #OUT_OF_GAS_IN_STAY}. Its run was checked on entry, so there is no static gas to
     * charge and no stack bound to check; the only dynamic gas is an MLOAD's or MSTORE's memory expansion, charged to
     * {@code f.gas}, which the caller stored before and reads after. Growing memory word by word (an array being
     * filled, a free-memory pointer bumped) then stays here instead of a trip from {@link #exec} through {@code slow}
     * for every word (session 28).
     *
     * <p>The loop makes calls from few places. The pushes, DUP, SWAP, POP, AND, ISZERO, MLOAD and MSTORE within the
     * active memory, and DUPn followed by SIGNEXTEND, MLOAD or MSTORE, are written out here; ADD and DUPn ADD call
     * {@code Arith.add}, which C2 inlines where the profile finds the site hot and leaves a call where the program never
     * reaches it (session 39: the written-out copies cost the memory_grow cases, which never run a plain ADD); every other
     * instruction (and DUPn followed by another binary instruction, which then reads its first operand where the
     * duplicated word lies) runs in {@link #stayOut}, called from one place at the loop's end. An MLOAD or MSTORE that
     * grows memory within the frame's buffer (kept zero past the active memory) charges the expansion here and stays
     * in place, fused or not (memory_grow by32 0.79-0.82 of its time, by16 0.86-0.87, the others 0.95-0.98); past the
     * buffer it calls {@code JitOps}. HotSpot's compiled Java code keeps no register across a call; the loop before had a call in nearly
     * every case (about fifty call sites, most on paths cold in a given program), and C2 kept pc, sp, the stack and the
     * code in stack slots there, loading and storing them at every instruction (tools/jit-asm.sh on
     * memory_grow_mstore/nogrow). C2 still spills some of them here, but fewer. Measured against the loop before in JVMs
     * of one case each, alternating (evmbench, cached): memory_grow nogrow 0.84-0.89 of its time, blake2b_huff/empty
     * 0.84, signextend 0.93, the looping cases' analysed column level within 4%, but memory_grow by32 1.03-1.10 (every
     * word there grows memory). In one JVM over all cases (tools/interp-ab) it had looked better still (signextend
     * 0.74-0.77, sha1 0.81-0.91): the same overstatement a copied method showed in session 30 (docs/benchmarks.md,
     * session 31).
     *
     * <p>DUPn and the instruction after it run as one where that instruction reads the duplicated word (session 30): no
     * copy, one dispatch for two.
     */
    private static long stay(Evm evm, Frame f, long[] s, byte[] code, int pc, int sp) {
        while (true) {
            int op = code[pc] & 0xff;
            int src = -1;
            switch (op) {
                case ADD -> {
                    Arith.add(s, sp - 4, sp - 8); // limb by limb (see there): fewer values live at a time in this loop
                    sp -= 4;
                    pc++;
                    continue;
                }
                case AND -> {
                    int a = sp - 4, b = sp - 8;
                    s[b] &= s[a]; s[b + 1] &= s[a + 1]; s[b + 2] &= s[a + 2]; s[b + 3] &= s[a + 3];
                    sp = a;
                    pc++;
                    continue;
                }
                case ISZERO -> {
                    int a = sp - 4;
                    boolean z = (s[a] | s[a + 1] | s[a + 2] | s[a + 3]) == 0;
                    s[a] = z ? 1 : 0; s[a + 1] = 0; s[a + 2] = 0; s[a + 3] = 0;
                    pc++;
                    continue;
                }
                case POP -> { sp -= 4; pc++; continue; }
                case PUSH1 -> {
                    s[sp] = code[pc + 1] & 0xff; s[sp + 1] = 0; s[sp + 2] = 0; s[sp + 3] = 0;
                    sp += 4;
                    pc += 2;
                    continue;
                }
                case PUSH0, PUSH2, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f,
                     0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x7b, 0x7c, 0x7d, 0x7e, 0x7f -> {
                    int n = op - PUSH0;
                    int start = pc + 1, end = start + n;
                    long v0 = 0, v1 = 0, v2 = 0, v3 = 0;
                    if (n <= 8) {
                        if (n != 0) v0 = (long) BE.get(code, start) >>> (64 - 8 * n);
                    } else if (n <= 16) {
                        v0 = (long) BE.get(code, end - 8);
                        v1 = (long) BE.get(code, start) >>> (128 - 8 * n);
                    } else if (n <= 24) {
                        v0 = (long) BE.get(code, end - 8);
                        v1 = (long) BE.get(code, end - 16);
                        v2 = (long) BE.get(code, start) >>> (192 - 8 * n);
                    } else {
                        v0 = (long) BE.get(code, end - 8);
                        v1 = (long) BE.get(code, end - 16);
                        v2 = (long) BE.get(code, end - 24);
                        v3 = (long) BE.get(code, start) >>> (256 - 8 * n);
                    }
                    s[sp] = v0; s[sp + 1] = v1; s[sp + 2] = v2; s[sp + 3] = v3;
                    sp += 4;
                    pc = end;
                    continue;
                }
                case 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0x8e, 0x8f -> {
                    int d = sp - ((op - 0x7f) << 2);
                    if (FUSE) {
                        int next = code[pc + 1] & 0xff;
                        if (next == ADD) {
                            Arith.add(s, d, sp - 4); // the duplicated word added to the top in place (d == sp - 4: doubled)
                            pc += 2;
                            continue;
                        }
                        if (next == MLOAD || next == MSTORE) {
                            long off = s[d];
                            byte[] m = f.mem;
                            if ((s[d + 1] | s[d + 2] | s[d + 3]) == 0 && off >= 0 && off <= m.length - 32 && off <= GROW_MAX) {
                                if (off > f.memSize - 32) {
                                    // Growing within the buffer (kept zero past the active memory): the expansion's gas here.
                                    long nw = Instructions.words(off + 32), ow = f.memSize >>> 5;
                                    long g = f.gas - (Instructions.memoryCost(nw) - Instructions.memoryCost(ow));
                                    if (g < 0) return OUT_OF_GAS_IN_STAY;
                                    f.gas = g;
                                    f.memSize = nw << 5;
                                }
                                int o = (int) off;
                                if (next == MLOAD) {
                                    s[sp + 3] = (long) BE.get(m, o);
                                    s[sp + 2] = (long) BE.get(m, o + 8);
                                    s[sp + 1] = (long) BE.get(m, o + 16);
                                    s[sp] = (long) BE.get(m, o + 24);
                                    sp += 4;
                                } else {
                                    int b = sp - 4;
                                    BE.set(m, o, s[b + 3]);
                                    BE.set(m, o + 8, s[b + 2]);
                                    BE.set(m, o + 16, s[b + 1]);
                                    BE.set(m, o + 24, s[b]);
                                    sp = b;
                                }
                                pc += 2;
                                continue;
                            }
                        } else if (next == SIGNEXTEND) {
                            Arith.signextend(s, d, sp - 4);
                            pc += 2;
                            continue;
                        } else if (FUSED[next]) {
                            src = d;
                            op = next;
                            pc++;
                        }
                    }
                    if (src < 0) {
                        System.arraycopy(s, d, s, sp, 4);
                        sp += 4;
                        pc++;
                        continue;
                    }
                }
                case 0x90, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f -> {
                    int a = sp - 4, b = sp - ((op - 0x8e) << 2);
                    long t0 = s[a], t1 = s[a + 1], t2 = s[a + 2], t3 = s[a + 3];
                    s[a] = s[b]; s[a + 1] = s[b + 1]; s[a + 2] = s[b + 2]; s[a + 3] = s[b + 3];
                    s[b] = t0; s[b + 1] = t1; s[b + 2] = t2; s[b + 3] = t3;
                    pc++;
                    continue;
                }
                case MLOAD -> {
                    int a = sp - 4;
                    long off = s[a];
                    byte[] m = f.mem;
                    if ((s[a + 1] | s[a + 2] | s[a + 3]) == 0 && off >= 0 && off <= m.length - 32 && off <= GROW_MAX) {
                        if (off > f.memSize - 32) {
                            // Growing within the buffer (kept zero past the active memory): the expansion's gas here.
                            long nw = Instructions.words(off + 32), ow = f.memSize >>> 5;
                            long g = f.gas - (Instructions.memoryCost(nw) - Instructions.memoryCost(ow));
                            if (g < 0) return OUT_OF_GAS_IN_STAY;
                            f.gas = g;
                            f.memSize = nw << 5;
                        }
                        int o = (int) off;
                        s[a + 3] = (long) BE.get(m, o);
                        s[a + 2] = (long) BE.get(m, o + 8);
                        s[a + 1] = (long) BE.get(m, o + 16);
                        s[a] = (long) BE.get(m, o + 24);
                        pc++;
                        continue;
                    }
                    long g = JitOps.mload(f, s, sp, f.gas);
                    if (g < 0) return OUT_OF_GAS_IN_STAY;
                    f.gas = g;
                    pc++;
                    continue;
                }
                case MSTORE -> {
                    int a = sp - 4;
                    long off = s[a];
                    byte[] m = f.mem;
                    if ((s[a + 1] | s[a + 2] | s[a + 3]) == 0 && off >= 0 && off <= m.length - 32 && off <= GROW_MAX) {
                        if (off > f.memSize - 32) {
                            // Growing within the buffer (kept zero past the active memory): the expansion's gas here.
                            long nw = Instructions.words(off + 32), ow = f.memSize >>> 5;
                            long g = f.gas - (Instructions.memoryCost(nw) - Instructions.memoryCost(ow));
                            if (g < 0) return OUT_OF_GAS_IN_STAY;
                            f.gas = g;
                            f.memSize = nw << 5;
                        }
                        int o = (int) off;
                        BE.set(m, o, s[a - 1]);
                        BE.set(m, o + 8, s[a - 2]);
                        BE.set(m, o + 16, s[a - 3]);
                        BE.set(m, o + 24, s[a - 4]);
                        sp -= 8;
                        pc++;
                        continue;
                    }
                    long g = JitOps.mstore(f, s, sp, f.gas);
                    if (g < 0) return OUT_OF_GAS_IN_STAY;
                    f.gas = g;
                    sp -= 8;
                    pc++;
                    continue;
                }
                default -> {
                    if (!STAY[op]) return (long) pc << 32 | (sp & 0xffffffffL);
                }
            }
            // The one call site: op out of line (with src >= 0, on the word the DUP before it duplicated, n deep).
            sp = stayOut(evm, s, op, sp, src);
            pc++;
        }
    }

    /** The binary instructions that run with the DUPn before them in {@link #stayOut} (ADD and SIGNEXTEND do in {@link #stay}). */
    private static final boolean[] FUSED = new boolean[256];

    static {
        for (int op : new int[] {SUB, MUL, LT, GT, SLT, SGT, EQ, AND, OR, XOR, BYTE, SHL, SHR, SAR}) FUSED[op] = true;
    }

    /**
     * One instruction of {@link #stay} out of line: the new sp. With {@code src >= 0} the DUPn before it was counted
     * already (sp includes its word, not written): the binary instruction reads its first operand at {@code src} and
     * writes over the top.
     */
    private static int stayOut(Evm evm, long[] s, int op, int sp, int src) {
        if (src >= 0) {
            int b = sp - 4;
            switch (op) {
                case SUB -> Arith.sub(s, src, b);
                case MUL -> Arith.mul(s, src, b);
                case SIGNEXTEND -> Arith.signextend(s, src, b);
                case LT -> JitOps.setBool(s, b, Arith.lt(s, src, b));
                case GT -> JitOps.setBool(s, b, Arith.lt(s, b, src));
                case SLT -> JitOps.setBool(s, b, Arith.slt(s, src, b));
                case SGT -> JitOps.setBool(s, b, Arith.slt(s, b, src));
                case EQ -> JitOps.setBool(s, b, Arith.eq(s, src, b));
                case AND -> Arith.and(s, src, b);
                case OR -> Arith.or(s, src, b);
                case XOR -> Arith.xor(s, src, b);
                case BYTE -> Arith.byteOp(s, src, b);
                case SHL -> Arith.shl(s, src, b);
                case SHR -> Arith.shr(s, src, b);
                default -> Arith.sar(s, src, b);
            }
            return sp;
        }
        switch (op) {
            case MUL -> { JitOps.mul(s, sp); return sp - 4; }
            case SUB -> { JitOps.sub(s, sp); return sp - 4; }
            case DIV -> { JitOps.div(evm, s, sp); return sp - 4; }
            case SDIV -> { JitOps.sdiv(evm, s, sp); return sp - 4; }
            case MOD -> { JitOps.mod(evm, s, sp); return sp - 4; }
            case SMOD -> { JitOps.smod(evm, s, sp); return sp - 4; }
            case ADDMOD -> { JitOps.addmod(evm, s, sp); return sp - 8; }
            case MULMOD -> { JitOps.mulmod(evm, s, sp); return sp - 8; }
            case SIGNEXTEND -> { JitOps.signextend(s, sp); return sp - 4; }
            case LT -> { JitOps.lt(s, sp); return sp - 4; }
            case GT -> { JitOps.gt(s, sp); return sp - 4; }
            case SLT -> { JitOps.slt(s, sp); return sp - 4; }
            case SGT -> { JitOps.sgt(s, sp); return sp - 4; }
            case EQ -> { JitOps.eq(s, sp); return sp - 4; }
            case OR -> { JitOps.or(s, sp); return sp - 4; }
            case XOR -> { JitOps.xor(s, sp); return sp - 4; }
            case NOT -> { JitOps.not(s, sp); return sp; }
            case BYTE -> { JitOps.byteOp(s, sp); return sp - 4; }
            case SHL -> { JitOps.shl(s, sp); return sp - 4; }
            case SHR -> { JitOps.shr(s, sp); return sp - 4; }
            case SAR -> { JitOps.sar(s, sp); return sp - 4; }
            case CLZ -> { JitOps.clz(s, sp); return sp; }
            default -> throw new IllegalStateException("not an out-of-line instruction of stay: " + op);
        }
    }
}
