package dev.lanes.evm.interpreter;

import dev.lanes.evm.Code;
import dev.lanes.evm.ForkRules;

import static dev.lanes.evm.Opcodes.*;

/**
 * Per-code, per-gas-schedule table that lets the {@link Interpreter} charge static gas and check stack
 * bounds once per basic block instead of once per instruction.
 *
 * <p>A <em>block</em> here is the straight-line run of instructions from an entry point up to and
 * including the first instruction that ends a run: a jump, a halt, {@code GAS}, or any instruction the
 * interpreter does not execute inline (state access, environment, copies, logs, calls, creation; see
 * {@link #INLINE}), or an opcode the fork does not define. For every instruction offset the table holds
 * the run starting there: its total static gas, the stack items it needs on entry, and the most items
 * it grows the stack by at any point. Runs may overlap (falling through into a {@code JUMPDEST} simply
 * continues the run that was entered earlier; jumping to it enters the run that starts there), so one
 * backward pass fills every offset ({@link #analyze}). The interpreter does not make that pass: it fills a run's
 * entry, and those of the instructions after it, when it first enters the run ({@link #fill}), so code pays only for
 * the runs it executes. Entries never entered (push data, code not run) stay {@link #UNFILLED}.
 *
 * <p>Entry points are exactly the places the interpreter transfers to after a run-ending instruction:
 * the frame's first instruction, a jump destination, the instruction after {@code JUMPI}, {@code GAS} or
 * an out-of-line instruction. Because every instruction that reads the remaining gas (GAS, CALL*,
 * CREATE*, SSTORE's sentry, RETURN/REVERT and the frame's end) is the last of its run, it sees exactly
 * the gas that per-instruction charging would leave. Inline instructions with dynamic gas (EXP, memory
 * expansion of MLOAD/MSTORE/MSTORE8) may run out of gas earlier than per-instruction charging would, but
 * only when the run would run out of gas before its end anyway, and an exceptional halt is the same
 * halt wherever in the run it happens: all gas consumed, all state reverted.
 *
 * <p>Each entry packs a run into one int: bits 0-16 static gas, bits 17-23 items needed, bits 24-30
 * items of growth, bit 31 "cannot run unchecked" (an undefined opcode, or a value too large for its
 * field; the interpreter then steps that run with per-instruction checks). In {@link #analyze}'s table any offset
 * that is not an instruction holds 0, which passes every check and charges nothing. The interpreter's lazily filled
 * table also marks runs that only jump to a fixed JUMPDEST ({@link #THREAD}, {@link #threadJump}), whose entry it then
 * follows without executing them.
 */
public final class BasicBlocks {
    /** Opcodes executed inline in the interpreter loop without ending a run (keep in step with its switch). */
    static final boolean[] INLINE = new boolean[256];

    static {
        for (int op = ADD; op <= SIGNEXTEND; op++) INLINE[op] = true;
        for (int op = LT; op <= CLZ; op++) INLINE[op] = true;
        for (int op : new int[] {POP, MLOAD, MSTORE, MSTORE8, PC, MSIZE, JUMPDEST}) INLINE[op] = true;
        for (int op = PUSH0; op <= SWAP16; op++) INLINE[op] = true; // PUSH0..PUSH32, DUP1..DUP16, SWAP1..SWAP16
    }

    static final int GAS_MAX = (1 << 17) - 1;
    static final int ITEMS_MAX = (1 << 7) - 1;
    static final int NEED_SHIFT = 17;
    static final int GROW_SHIFT = 24;
    static final int UNCHECKABLE = 1 << 31;
    /**
     * A run that only jumps ({@link #threadJump}): bits 30 and 31 set, bits 17-29 clear, the run's static gas in bits 0-16;
     * negative, so the interpreter's entry check fails on it and its failure branch takes the jump. No other entry has
     * this pattern ({@link #UNFILLED} has every bit set, {@link #UNCHECKABLE} only bit 31, other entries not bit 31).
     */
    static final int THREAD = 3 << 30;
    static final int THREAD_MASK = ~GAS_MAX;

    /** The gas table this was computed for (compared by identity). */
    final int[] gasTable;
    /** Per offset: the packed run starting there (see the class comment); one extra slot for the end. */
    final int[] runs;

    /** The code compiled to JVM bytecode ({@link Compiler}), once it has run often enough; null before. */
    private volatile CompiledCode compiled;
    /** Interpreted executions (frames) and the most gas one used, for the decision to compile. */
    private int executions;
    private long maxGasUsed;
    /**
     * The gas path's window ({@link Compiler#GAS_WINDOW_NANOS}): executions and gas since {@code windowStart}
     * (System.nanoTime at the end of the window's first execution; 0 before it).
     */
    private int windowExecutions;
    private long windowGas, windowStart;
    /** Static gas of the runs its executions entered (about 3 per instruction executed), summed. */
    private long totalBlockGas;
    private boolean compiling, compileFailed, notWorthCompiling;

    /**
     * The same code's table for another gas schedule, or null: a short list (at most {@link #TABLES}), so that blocks
     * of different forks executing one contract (replay across forks) do not discard each other's analysis and
     * compiled code. Written racily: a lost link only means a table is built again.
     */
    private volatile BasicBlocks next;
    static final int TABLES = 8;

    /** The table in {@code cached}'s list for {@code gasTable}, or null. */
    private static BasicBlocks find(Object cached, int[] gasTable) {
        for (Object o = cached; o instanceof BasicBlocks b; o = b.next) if (b.gasTable == gasTable) return b;
        return null;
    }

    /** The table in {@code cached}'s list whose run table is {@code runs}, or null. */
    private static BasicBlocks findRuns(Object cached, int[] runs) {
        for (Object o = cached; o instanceof BasicBlocks b; o = b.next) if (b.runs == runs) return b;
        return null;
    }

    /** Puts {@code b} first in {@code code}'s list, keeping at most {@link #TABLES} tables. */
    private static void install(Code code, BasicBlocks b) {
        if (code.interpreterCache instanceof BasicBlocks old) {
            b.next = old;
            BasicBlocks t = old;
            for (int k = 2; k < TABLES && t.next != null; k++) t = t.next;
            t.next = null;
        }
        code.interpreterCache = b;
    }

    /** Counts one interpreted execution of {@code code} with this table (no-op when the table was replaced). */
    static void record(Code code, int[] runs, long gasUsed, long blockGas) {
        BasicBlocks b = findRuns(code.interpreterCache, runs);
        // Once decided, stop: the counters are shared by every thread running the code (Block-STM's workers).
        if (b != null && !b.notWorthCompiling && !b.compileFailed && b.compiled == null) {
            b.executions++;
            b.totalBlockGas = Math.min(Long.MAX_VALUE / 2, b.totalBlockGas + blockGas);
            if (gasUsed > b.maxGasUsed) b.maxGasUsed = gasUsed;
            b.windowExecutions++;
            b.windowGas = Math.min(Long.MAX_VALUE / 2, b.windowGas + blockGas);
            if (b.windowStart == 0) b.windowStart = System.nanoTime();
        }
    }

    /**
     * The compiled form of {@code code} for {@code gasTable}, compiling it on its {@link Compiler#THRESHOLD}th
     * execution; null while it is not (yet) worth compiling, or when compilation is off or failed.
     */
    static CompiledCode compiled(Code code, int[] gasTable) {
        if (!Compiler.ENABLED) return null;
        BasicBlocks b = find(code.interpreterCache, gasTable);
        if (b == null) return null;
        CompiledCode c = b.compiled;
        if (c != null || b.compileFailed || b.notWorthCompiling) return c;
        boolean byCount = b.windowExecutions >= Compiler.THRESHOLD;
        boolean byGas = b.windowGas >= Compiler.GAS_THRESHOLD && b.windowGas >= Compiler.AVG_GAS_THRESHOLD * b.windowExecutions;
        if (!byCount && !byGas) return null;
        if (Compiler.THRESHOLD > 0) {
            long elapsed = System.nanoTime() - b.windowStart;
            if (!(byCount && elapsed <= Compiler.COUNT_WINDOW_NANOS) && !(byGas && elapsed <= Compiler.GAS_WINDOW_NANOS)) {
                // Used, but not hot: the executions or the gas came over too long a time. Start a new window (racy
                // writes: counts only).
                b.windowGas = 0;
                b.windowExecutions = 0;
                b.windowStart = 0;
                return null;
            }
        }
        // One thread compiles; others keep interpreting meanwhile instead of waiting for it.
        synchronized (b) {
            if (b.compiling || b.compiled != null || b.compileFailed || b.notWorthCompiling) return b.compiled;
            if (Compiler.THRESHOLD > 0 && Compiler.compiledCount() >= Compiler.MAX_COMPILED) {
                b.notWorthCompiling = true;
                return null;
            }
            if (Compiler.THRESHOLD > 0 && b.totalBlockGas < Compiler.MIN_BLOCK_GAS_PER_BYTE * code.length * b.executions) {
                b.notWorthCompiling = true;
                if (Compiler.VERBOSE) System.err.printf("lanes: not compiling %d bytes of code (%d executions, %.3f block gas"
                        + " per byte per execution)%n", code.length, b.executions, (double) b.totalBlockGas / b.executions / code.length);
                return null;
            }
            if (Compiler.THRESHOLD > 0 && !Compiler.worthCompiling(code, b.maxGasUsed)) {
                b.notWorthCompiling = true;
                if (Compiler.VERBOSE) System.err.println("lanes: not compiling " + code.length + " bytes of code ("
                        + b.executions + " executions, at most " + b.maxGasUsed + " gas)");
                return null;
            }
            b.compiling = true;
        }
        if (Compiler.VERBOSE) System.err.printf("lanes: compiling %d bytes of code: %d executions, %.0f block gas"
                + " per execution (%.3f per byte)%n", code.length, b.executions,
                (double) b.totalBlockGas / b.executions, (double) b.totalBlockGas / b.executions / code.length);
        CompiledCode compiled = null;
        try {
            compiled = Compiler.compile(code, b.gasTable);
            if (Compiler.VERBOSE) System.err.println("lanes: compiled " + code.length + " bytes of code " + code.hash());
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // LinkageError: the JVM refused the generated class (a compiler bug); interpret instead.
            System.err.println("lanes: could not compile code " + code.hash() + " (interpreting it): " + e);
        }
        synchronized (b) {
            b.compiling = false;
            if (compiled == null) b.compileFailed = true;
            else b.compiled = compiled;
        }
        return compiled;
    }

    /** Tests: the run table of {@code code} for {@code gasTable} if one was built, else null. */
    static int[] runsIfBuilt(Code code, int[] gasTable) {
        BasicBlocks b = find(code.interpreterCache, gasTable);
        return b == null ? null : b.runs;
    }

    /** Whether {@code code} currently runs compiled (tests, diagnostics). */
    static boolean isCompiled(Code code) {
        return code.interpreterCache instanceof BasicBlocks b && b.compiled != null;
    }

    /** Tests: builds the table for {@code code} and compiles it now, with chunks of about {@code budget} bytes. */
    static CompiledCode compileNow(Code code, int[] gasTable, int budget) throws ReflectiveOperationException {
        BasicBlocks b = new BasicBlocks(gasTable, analyze(code.padded, code.length, gasTable));
        b.compiled = Compiler.compile(code, b.gasTable, budget);
        install(code, b);
        return b.compiled;
    }

    private BasicBlocks(int[] gasTable, int[] runs) {
        this.gasTable = gasTable;
        this.runs = runs;
    }

    /** Marks code that has been executed once and not yet analysed. */
    private static final Object SEEN_ONCE = new Object();

    /**
     * An entry not filled yet: negative, so the interpreter's entry check fails on it as on {@link #UNCHECKABLE}, and
     * then fills it ({@link #fill}). No filled entry has this value.
     */
    static final int UNFILLED = -1;

    /**
     * The run table for {@code code} under {@code gasTable}, kept on the code; null the first time a code is executed
     * (that frame checks every instruction: a table costs an int per code byte, which pays off only for code that runs
     * again). A table starts {@link #UNFILLED} and the interpreter fills a run's entry when it first enters the run, so
     * code pays only for the runs it executes (a contract's unused functions, a large code's cold paths: nothing).
     */
    static int[] runs(Code code, int[] gasTable) {
        Object cached = code.interpreterCache;
        BasicBlocks hit = find(cached, gasTable);
        if (hit != null) return hit.runs;
        if (cached == null && Compiler.THRESHOLD > 0) {
            code.interpreterCache = SEEN_ONCE;
            return null;
        }
        return newTable(code, gasTable);
    }

    /** A new table for {@code code} under {@code gasTable}, all {@link #UNFILLED}, installed first in its list. */
    private static int[] newTable(Code code, int[] gasTable) {
        int[] runs = new int[code.length + 1];
        java.util.Arrays.fill(runs, UNFILLED);
        install(code, new BasicBlocks(gasTable, runs));
        return runs;
    }

    /**
     * Gas a frame without a run table spends, per byte of its code, before it gets one while looping
     * ({@link #whenLooping}): a table costs an int per code byte to allocate and mark {@link #UNFILLED}, and each run
     * entered costs a pass to fill its entry, which running the rest of the call unchecked must pay back.
     * {@code -Dlanes.interp.loopGasPerByte=N} (a value of 2^40 or more turns it off, {@link #LOOP_OFF}); 4 by default
     * since session 29. Session 24 had left it off: at 4 evmbench's analysed column gained 3-18% on its looping cases,
     * but first executions on the mainnet blocks measured 4-7% slower at 4 and at 16 (many contracts there run once,
     * and a table made in their first call is never used again). With session 29's faster table-mode loops, in one JVM
     * (tools/interp-ab): the analysed column's looping cases 0.76-0.90 of their time (sha1 0.81-0.89, blake2b
     * 0.76-0.89, structarray 0.90; snailtracer 1.02), and the 47 mainnet blocks with every call a first execution
     * 1.010 and 1.017 (at 16: 1.013), within the A/B's range (docs/benchmarks.md, session 29). Read on the
     * backward-jump path only, so tests may change it ({@link #loopGasPerByte(long)}).
     */
    private static volatile long loopGasPerByte = clampLoopGas(Long.getLong("lanes.interp.loopGasPerByte", 4));
    static final long LOOP_OFF = 1L << 40;

    private static long clampLoopGas(long v) {
        return Math.min(LOOP_OFF, Math.max(0, v));
    }

    /** Tests: sets {@link #loopGasPerByte} (at least {@link #LOOP_OFF}: off); returns the previous value. */
    static long loopGasPerByte(long v) {
        long old = loopGasPerByte;
        loopGasPerByte = clampLoopGas(v);
        return old;
    }

    /** Loop iterations (backward jumps to a recent target) a frame runs before it may get its table. */
    static final int LOOP_EDGES = 2;

    /**
     * Called by the interpreter at each backward jump (to {@code target}, with {@code gas} left) of a frame that runs
     * without a run table (a code's first execution, which {@link #runs} leaves checked instruction by instruction). A
     * backward jump counts as a loop iteration when it goes to one of the last two targets of such jumps (a loop's head;
     * two, so that a loop whose body calls an internal function, jumping back to the function and back to the head in
     * turn, counts too); code that jumps backwards to ever new places (jump_around) is not looping and keeps no table, as
     * entering each run once and filling its entry costs more than checking its instructions (jump_around 3x slower,
     * session 21). Once the frame has looped and spent {@link #loopGasPerByte} gas per code byte (a loop body of a
     * few instructions repeated, or blake2b_huff's 13,000-gas unrolled rounds, 65 iterations): the code's table for
     * {@code f}'s gas schedule, created if there is none, so that the rest of this execution, not only the next one,
     * runs a block at a time. Null until then.
     */
    static int[] whenLooping(Frame f, int target, long gas, int[] gasTable) {
        long perByte = loopGasPerByte;
        if (perByte >= LOOP_OFF) return null; // off (the default): no bookkeeping either
        if (target != f.loopA && target != f.loopB) {
            f.loopB = f.loopA;
            f.loopA = target;
            return null;
        }
        Code code = f.code;
        if (++f.backEdges < LOOP_EDGES || f.gasAtStart - gas < perByte * code.length) return null;
        BasicBlocks hit = find(code.interpreterCache, gasTable);
        return hit != null ? hit.runs : newTable(code, gasTable);
    }

    /**
     * Fills {@code runs[pc]} (an instruction offset where a run is entered, still {@link #UNFILLED}) and returns it,
     * with the entries of the instructions after it in its run that were not filled yet: a pass forward to the run's
     * end, or to the first instruction already filled (whose entry then stands for the rest of the run), and a pass
     * back that applies {@link #analyze}'s recurrence, so every entry equals the one {@code analyze} computes. Every
     * instruction is decoded at most once per table, so entering a long run at many places (jumps into a stretch of
     * JUMPDESTs) costs no more than one pass over it. Several threads may fill one table at once: an entry is a pure
     * function of the code, the same int whoever writes it, and the pass back takes the offsets from its own pass
     * forward ({@code evm}'s scratch array, the calling thread's), not from the shared table.
     */
    static int fill(byte[] code, int[] runs, int pc, int[] gasTable, Evm evm) {
        int[] at = evm.fillScratch;
        int n = 0, end = pc, last = runs.length - 1, tail = 0;
        while (true) {
            if (n == at.length) evm.fillScratch = at = java.util.Arrays.copyOf(at, n * 2);
            at[n++] = end;
            int op = code[end] & 0xff;
            end += (op >= PUSH1 && op <= PUSH32) ? op - PUSH0 + 1 : 1;
            // Past the code's last byte the padding reads STOP, which ends the run and charges nothing.
            if (!INLINE[op] || end >= last) break;
            int next = runs[end];
            if (next != UNFILLED) {
                if ((next & THREAD_MASK) != THREAD) { tail = next; break; }
                // A jump-only run entered by falling through: its plain entry, from its PUSH's (filled before the mark).
                int push = runs[end + 1];
                if (push != UNFILLED) { tail = prepend(code[end] & 0xff, push, gasTable); break; }
            }
        }
        int rest = tail;
        for (int k = n - 1; k >= 0; k--) {
            int i = at[k];
            int op = code[i] & 0xff;
            runs[i] = rest = prepend(op, INLINE[op] ? rest : 0, gasTable);
        }
        return runs[pc];
    }

    /**
     * Marks the run entered at {@code pc} (just filled) as a jump-only run when it is exactly {@code JUMPDEST PUSHn X JUMP}
     * (n = 1..4) with X a JUMPDEST of the code: its entry becomes {@link #THREAD} with the run's static gas, and X goes
     * into the entry of the PUSH's first data byte, which no run is ever entered at. The interpreter then goes from an
     * entry at {@code pc} straight to X, charging the run's gas and checking its one stack slot, instead of dispatching
     * three instructions and validating the jump (a compiler's trampolines and shared exits; evmbench's jump_around is
     * all such runs). The target is written first and the mark with release semantics; a thread that sees the mark but
     * still the target {@link #UNFILLED} steps the run checked instead. Several threads may mark one entry at once (the
     * same ints); a thread still filling may write the plain entry back over the mark, which only loses the shortcut.
     */
    static void threadJump(Code c, int[] runs, int pc) {
        byte[] code = c.padded;
        int r = runs[pc];
        if (r < 0 || (code[pc] & 0xff) != JUMPDEST) return;
        int push = code[pc + 1] & 0xff;
        if (push < PUSH1 || push > PUSH1 + 3) return;
        int n = push - PUSH0, jump = pc + 2 + n;
        if (jump >= c.length || (code[jump] & 0xff) != JUMP) return;
        long x = 0;
        for (int i = 0; i < n; i++) x = x << 8 | (code[pc + 2 + i] & 0xff);
        if (!c.isJumpdest(x)) return;
        runs[pc + 2] = (int) x;
        RUNS.setRelease(runs, pc, THREAD | (r & GAS_MAX));
    }

    private static final java.lang.invoke.VarHandle RUNS = java.lang.invoke.MethodHandles.arrayElementVarHandle(int[].class);

    /**
     * The packed run that starts with {@code op} and goes on as {@code rest} (the packed run from the next instruction,
     * 0 where {@code op} ends the run): {@link #analyze}'s and {@link #fill}'s step. {@link #UNCHECKABLE} when
     * {@code rest} is, when {@code op} is undefined, or when a field overflows.
     */
    private static int prepend(int op, int rest, int[] gasTable) {
        int cost = gasTable[op];
        if (rest < 0 || cost == ForkRules.UNDEFINED) return UNCHECKABLE;
        long gas = (rest & GAS_MAX) + (long) cost;
        int delta = Interpreter.STACK_DELTA[op];
        int need = Math.max(Interpreter.STACK_MIN[op] >> 2, ((rest >>> NEED_SHIFT) & ITEMS_MAX) - delta);
        int grow = Math.max(0, delta + ((rest >>> GROW_SHIFT) & ITEMS_MAX));
        if (gas > GAS_MAX || need > ITEMS_MAX || grow > ITEMS_MAX) return UNCHECKABLE;
        return (int) gas | need << NEED_SHIFT | grow << GROW_SHIFT;
    }

    static int[] analyze(byte[] code, int length, int[] gasTable) {
        // Forward pass: mark instruction offsets (-1 is never a packed run).
        int[] runs = new int[length + 1];
        for (int pc = 0; pc < length; ) {
            runs[pc] = -1;
            int op = code[pc] & 0xff;
            pc += (op >= PUSH1 && op <= PUSH32) ? op - PUSH0 + 1 : 1;
        }
        // Backward pass: each run is its first instruction followed by the run from the next instruction,
        // unless the first instruction ends the run. Past the end the padding reads STOP: nothing to charge.
        int rest = 0;
        for (int pc = length - 1; pc >= 0; pc--) {
            if (runs[pc] != -1) continue;
            int op = code[pc] & 0xff;
            runs[pc] = rest = prepend(op, INLINE[op] ? rest : 0, gasTable);
        }
        return runs;
    }
}
