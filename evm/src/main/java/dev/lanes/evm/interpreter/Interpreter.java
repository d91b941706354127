package dev.lanes.evm.interpreter;

import dev.lanes.evm.ForkRules;
import dev.lanes.evm.Status;
import dev.lanes.evm.Tracer;
import dev.lanes.primitives.Bytes;

import static dev.lanes.evm.Opcodes.*;

/**
 * The interpreter loop. Cheap instructions work in place on the frame's {@code long[]} stack through the
 * small {@link JitOps} bodies it shares with compiled code (inlined by the JIT);
 * anything with dynamic gas, memory growth or state access is one static call into {@link Instructions},
 * with pc, stack pointer and gas handed over through the frame. The loop keeps pc, sp and gas in locals,
 * and allocates nothing.
 *
 * <p>Static gas and stack bounds are checked per basic block, not per instruction: at each entry point
 * (frame start, jump destination, after JUMPI, GAS or an out-of-line instruction) the loop charges the
 * whole run's static gas and checks its stack needs at once from {@link BasicBlocks}, then executes the
 * run's instructions with no per-instruction checks. That class explains why this is exact. When the
 * run's check fails (out of gas, stack under- or overflow, an undefined opcode somewhere in it) nothing
 * is charged and the loop drops into <em>checked</em> mode: fetch, charge static gas from the fork's
 * table, check the stack bounds from two static tables, dispatch, exactly as per-instruction charging
 * does, so the halt happens at the same instruction with the same status. The next entry point tries
 * the block check again. With a tracer, and on a code's first execution (see {@link BasicBlocks#runs}),
 * every instruction is stepped in checked mode.
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
        int[][] io = new int[256][];
        for (int i = 0; i < 256; i++) io[i] = new int[] {0, 0};
        int[][] defs = {
            {STOP, 0, 0}, {ADD, 2, 1}, {MUL, 2, 1}, {SUB, 2, 1}, {DIV, 2, 1}, {SDIV, 2, 1}, {MOD, 2, 1}, {SMOD, 2, 1},
            {ADDMOD, 3, 1}, {MULMOD, 3, 1}, {EXP, 2, 1}, {SIGNEXTEND, 2, 1},
            {LT, 2, 1}, {GT, 2, 1}, {SLT, 2, 1}, {SGT, 2, 1}, {EQ, 2, 1}, {ISZERO, 1, 1}, {AND, 2, 1}, {OR, 2, 1},
            {XOR, 2, 1}, {NOT, 1, 1}, {BYTE, 2, 1}, {SHL, 2, 1}, {SHR, 2, 1}, {SAR, 2, 1}, {CLZ, 1, 1},
            {KECCAK256, 2, 1},
            {ADDRESS, 0, 1}, {BALANCE, 1, 1}, {ORIGIN, 0, 1}, {CALLER, 0, 1}, {CALLVALUE, 0, 1}, {CALLDATALOAD, 1, 1},
            {CALLDATASIZE, 0, 1}, {CALLDATACOPY, 3, 0}, {CODESIZE, 0, 1}, {CODECOPY, 3, 0}, {GASPRICE, 0, 1},
            {EXTCODESIZE, 1, 1}, {EXTCODECOPY, 4, 0}, {RETURNDATASIZE, 0, 1}, {RETURNDATACOPY, 3, 0}, {EXTCODEHASH, 1, 1},
            {BLOCKHASH, 1, 1}, {COINBASE, 0, 1}, {TIMESTAMP, 0, 1}, {NUMBER, 0, 1}, {PREVRANDAO, 0, 1}, {GASLIMIT, 0, 1},
            {CHAINID, 0, 1}, {SELFBALANCE, 0, 1}, {BASEFEE, 0, 1}, {BLOBHASH, 1, 1}, {BLOBBASEFEE, 0, 1},
            {POP, 1, 0}, {MLOAD, 1, 1}, {MSTORE, 2, 0}, {MSTORE8, 2, 0}, {SLOAD, 1, 1}, {SSTORE, 2, 0}, {JUMP, 1, 0},
            {JUMPI, 2, 0}, {PC, 0, 1}, {MSIZE, 0, 1}, {GAS, 0, 1}, {JUMPDEST, 0, 0}, {TLOAD, 1, 1}, {TSTORE, 2, 0},
            {MCOPY, 3, 0}, {PUSH0, 0, 1},
            {CREATE, 3, 1}, {CALL, 7, 1}, {CALLCODE, 7, 1}, {RETURN, 2, 0}, {DELEGATECALL, 6, 1}, {CREATE2, 4, 1},
            {STATICCALL, 6, 1}, {REVERT, 2, 0}, {INVALID, 0, 0}, {SELFDESTRUCT, 1, 0},
        };
        for (int[] d : defs) io[d[0]] = new int[] {d[1], d[2]};
        for (int op = PUSH1; op <= PUSH32; op++) io[op] = new int[] {0, 1};
        for (int n = 1; n <= 16; n++) {
            io[DUP1 + n - 1] = new int[] {n, n + 1};
            io[SWAP1 + n - 1] = new int[] {n + 1, n + 1};
        }
        for (int n = 0; n <= 4; n++) io[LOG0 + n] = new int[] {n + 2, 0};
        for (int op = 0; op < 256; op++) {
            int in = io[op][0], out = io[op][1];
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

    /** Runs the frame to completion and returns its {@link Status}; gas left and output stay in the frame. */
    int run(Frame f) {
        final Evm evm = this.evm; // a local: the abort flag's volatile read must not make the loop reload the field
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
        final long[] s = f.stack;
        final byte[] code = f.code.padded;
        final ForkRules rules = evm.rules;
        final int[] gasTable = rules.gas;
        final Tracer tracer = evm.tracer;
        final int[] runs = tracer == null ? BasicBlocks.runs(f.code, gasTable) : null;
        final boolean blocks = runs != null;
        int pc = f.pc;
        int sp = f.sp;
        long gas = f.gas;
        final long startGas = gas;
        // Static gas of the runs entered unchecked: instructions executed, for the compile policy (BasicBlocks.record).
        long blockGas = 0;
        boolean checked = true;
        if (blocks) {
            long g = enter(runs, pc, sp, gas);
            checked = g < 0;
            if (!checked) { blockGas += gas - g; gas = g; }
        }
        int status;
        loop:
        while (true) {
            int op = code[pc] & 0xff;
            if (checked) {
                if (tracer != null) {
                    f.pc = pc; f.sp = sp; f.gas = gas;
                    tracer.step(f, pc, op, gas, f.depth + 1, evm.host.refund());
                }
                int cost = gasTable[op];
                if (cost == ForkRules.UNDEFINED) { status = Status.INVALID_OPCODE; break; }
                gas -= cost;
                if (gas < 0) { status = Status.OUT_OF_GAS; break; }
                if (sp < STACK_MIN[op]) { status = Status.STACK_UNDERFLOW; break; }
                if (sp > STACK_MAX[op]) { status = Status.STACK_OVERFLOW; break; }
            }
            switch (op) {
                case STOP -> { status = Status.SUCCESS; break loop; }
                case ADD -> { JitOps.add(s, sp); sp -= 4; pc++; }
                case MUL -> { JitOps.mul(s, sp); sp -= 4; pc++; }
                case SUB -> { JitOps.sub(s, sp); sp -= 4; pc++; }
                case DIV -> { JitOps.div(evm, s, sp); sp -= 4; pc++; }
                case SDIV -> { JitOps.sdiv(evm, s, sp); sp -= 4; pc++; }
                case MOD -> { JitOps.mod(evm, s, sp); sp -= 4; pc++; }
                case SMOD -> { JitOps.smod(evm, s, sp); sp -= 4; pc++; }
                case ADDMOD -> { JitOps.addmod(evm, s, sp); sp -= 8; pc++; }
                case MULMOD -> { JitOps.mulmod(evm, s, sp); sp -= 8; pc++; }
                case EXP -> {
                    gas = JitOps.expGas(evm, s, sp, gas);
                    if (gas < 0) { status = Status.OUT_OF_GAS; break loop; }
                    JitOps.exp(s, sp); sp -= 4; pc++;
                }
                case SIGNEXTEND -> { JitOps.signextend(s, sp); sp -= 4; pc++; }
                case LT -> { JitOps.lt(s, sp); sp -= 4; pc++; }
                case GT -> { JitOps.gt(s, sp); sp -= 4; pc++; }
                case SLT -> { JitOps.slt(s, sp); sp -= 4; pc++; }
                case SGT -> { JitOps.sgt(s, sp); sp -= 4; pc++; }
                case EQ -> { JitOps.eq(s, sp); sp -= 4; pc++; }
                case ISZERO -> { JitOps.iszero(s, sp); pc++; }
                case AND -> { JitOps.and(s, sp); sp -= 4; pc++; }
                case OR -> { JitOps.or(s, sp); sp -= 4; pc++; }
                case XOR -> { JitOps.xor(s, sp); sp -= 4; pc++; }
                case NOT -> { JitOps.not(s, sp); pc++; }
                case BYTE -> { JitOps.byteOp(s, sp); sp -= 4; pc++; }
                case SHL -> { JitOps.shl(s, sp); sp -= 4; pc++; }
                case SHR -> { JitOps.shr(s, sp); sp -= 4; pc++; }
                case SAR -> { JitOps.sar(s, sp); sp -= 4; pc++; }
                case CLZ -> { JitOps.clz(s, sp); pc++; }
                case POP -> { sp -= 4; pc++; }
                case MLOAD -> {
                    gas = JitOps.mload(f, s, sp, gas);
                    if (gas < 0) { status = Status.OUT_OF_GAS; break loop; }
                    pc++;
                }
                case MSTORE -> {
                    gas = JitOps.mstore(f, s, sp, gas);
                    if (gas < 0) { status = Status.OUT_OF_GAS; break loop; }
                    sp -= 8;
                    pc++;
                }
                case MSTORE8 -> {
                    gas = JitOps.mstore8(f, s, sp, gas);
                    if (gas < 0) { status = Status.OUT_OF_GAS; break loop; }
                    sp -= 8;
                    pc++;
                }
                case JUMP -> {
                    int t = sp - 4;
                    if ((s[t + 1] | s[t + 2] | s[t + 3]) != 0 || !f.code.isJumpdest(s[t])) { status = Status.BAD_JUMP; break loop; }
                    // A backward jump is where every loop passes: stop here when aborted (see Evm.abort).
                    if (s[t] <= pc && evm.aborted) { status = Status.ABORTED; break loop; }
                    pc = (int) s[t];
                    sp = t;
                    if (blocks) {
                        long g = enter(runs, pc, sp, gas);
                        checked = g < 0;
                        if (!checked) { blockGas += gas - g; gas = g; }
                    }
                }
                case JUMPI -> {
                    int t = sp - 4, c = sp - 8;
                    sp = c;
                    if ((s[c] | s[c + 1] | s[c + 2] | s[c + 3]) != 0) {
                        if ((s[t + 1] | s[t + 2] | s[t + 3]) != 0 || !f.code.isJumpdest(s[t])) { status = Status.BAD_JUMP; break loop; }
                        if (s[t] <= pc && evm.aborted) { status = Status.ABORTED; break loop; }
                        pc = (int) s[t];
                    } else {
                        pc++;
                    }
                    if (blocks) {
                        long g = enter(runs, pc, sp, gas);
                        checked = g < 0;
                        if (!checked) { blockGas += gas - g; gas = g; }
                    }
                }
                case PC -> { JitOps.push1(s, sp, pc); sp += 4; pc++; }
                case MSIZE -> { JitOps.msize(f, s, sp); sp += 4; pc++; }
                case GAS -> {
                    JitOps.push1(s, sp, gas); sp += 4; pc++;
                    if (blocks) {
                        long g = enter(runs, pc, sp, gas);
                        checked = g < 0;
                        if (!checked) { blockGas += gas - g; gas = g; }
                    }
                }
                case JUMPDEST -> {
                    // A run of JUMPDESTs (no stack effect, fixed cost) is consumed here without a trip
                    // through dispatch: unchecked, the block already paid for them; checked, each is
                    // charged, and with a tracer every instruction must be stepped individually.
                    pc++;
                    if (!checked) {
                        while (code[pc] == (byte) JUMPDEST) pc++;
                    } else if (tracer == null) {
                        int c = gasTable[JUMPDEST];
                        while (code[pc] == (byte) JUMPDEST && gas >= c) {
                            gas -= c;
                            pc++;
                        }
                    }
                }
                case PUSH0 -> { JitOps.push1(s, sp, 0); sp += 4; pc++; }
                case PUSH1 -> { JitOps.push1(s, sp, code[pc + 1] & 0xff); sp += 4; pc += 2; }
                case PUSH2 -> { JitOps.push1(s, sp, ((code[pc + 1] & 0xff) << 8) | (code[pc + 2] & 0xff)); sp += 4; pc += 3; }
                case 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f,
                     0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x7b, 0x7c, 0x7d, 0x7e, 0x7f -> {
                    int n = op - 0x5f;
                    push(s, sp, code, pc + 1, n);
                    sp += 4;
                    pc += 1 + n;
                }
                case 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0x8e, 0x8f -> {
                    JitOps.dup(s, sp, (op - 0x7f) << 2);
                    sp += 4;
                    pc++;
                }
                case 0x90, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f -> {
                    JitOps.swap(s, sp, (op - 0x8e) << 2);
                    pc++;
                }
                case RETURN, REVERT -> {
                    f.sp = sp; f.gas = gas;
                    gas = Instructions.setOutput(f, gas);
                    if (gas < 0) { status = Status.OUT_OF_GAS; break loop; }
                    status = op == RETURN ? Status.SUCCESS : Status.REVERT;
                    break loop;
                }
                default -> {
                    // Everything else: state access, environment, copies, logs, calls, creation.
                    f.pc = pc; f.sp = sp; f.gas = gas;
                    int st = Instructions.execute(evm, f, op);
                    if (st != Instructions.CONTINUE) {
                        status = st;
                        gas = f.gas;
                        break loop;
                    }
                    pc = f.pc; sp = f.sp; gas = f.gas;
                    if (blocks) {
                        long g = enter(runs, pc, sp, gas);
                        checked = g < 0;
                        if (!checked) { blockGas += gas - g; gas = g; }
                    }
                }
            }
        }
        f.pc = pc;
        f.sp = sp;
        f.gas = Status.isExceptional(status) ? 0 : gas;
        if (blocks && Compiler.ENABLED) BasicBlocks.record(f.code, runs, startGas - f.gas, blockGas);
        return status;
    }

    /**
     * Enters the run starting at {@code pc}: its static gas charged and its stack bounds checked at once.
     * Returns the gas left, or -1 when the run cannot be entered unchecked (the caller then steps it in
     * checked mode, charging nothing here).
     */
    private static long enter(int[] runs, int pc, int sp, long gas) {
        int r = runs[pc];
        long g = gas - (r & BasicBlocks.GAS_MAX);
        int need = (r >>> (BasicBlocks.NEED_SHIFT - 2)) & (BasicBlocks.ITEMS_MAX << 2);
        int grow = (r >>> (BasicBlocks.GROW_SHIFT - 2)) & (BasicBlocks.ITEMS_MAX << 2);
        return (g | r | (sp - need) | (Frame.STACK_LIMIT * 4 - grow - sp)) < 0 ? -1 : g;
    }

    /**
     * PUSH3..PUSH32: n bytes from {@code code[start..]} as a big-endian word, read eight bytes at a time.
     * The code is padded, so reads past the end of a truncated push see zeros.
     */
    static void push(long[] s, int sp, byte[] code, int start, int n) {
        int end = start + n;
        if (n <= 8) {
            s[sp] = Bytes.getLong(code, start) >>> (64 - 8 * n);
            s[sp + 1] = 0;
            s[sp + 2] = 0;
            s[sp + 3] = 0;
        } else if (n <= 16) {
            s[sp] = Bytes.getLong(code, end - 8);
            s[sp + 1] = Bytes.getLong(code, start) >>> (128 - 8 * n);
            s[sp + 2] = 0;
            s[sp + 3] = 0;
        } else if (n <= 24) {
            s[sp] = Bytes.getLong(code, end - 8);
            s[sp + 1] = Bytes.getLong(code, end - 16);
            s[sp + 2] = Bytes.getLong(code, start) >>> (192 - 8 * n);
            s[sp + 3] = 0;
        } else {
            s[sp] = Bytes.getLong(code, end - 8);
            s[sp + 1] = Bytes.getLong(code, end - 16);
            s[sp + 2] = Bytes.getLong(code, end - 24);
            s[sp + 3] = Bytes.getLong(code, start) >>> (256 - 8 * n);
        }
    }

}
