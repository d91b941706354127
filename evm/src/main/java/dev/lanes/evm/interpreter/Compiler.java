package dev.lanes.evm.interpreter;

import dev.lanes.evm.Code;
import dev.lanes.evm.Status;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.classfile.MethodModel;
import java.lang.classfile.instruction.SwitchCase;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static dev.lanes.evm.Opcodes.*;

/**
 * Compiles a contract's code to JVM bytecode, one hidden class per code and gas table, so that HotSpot
 * compiles each contract's basic blocks as straight-line machine code: no opcode dispatch, PUSH values as
 * constants, stack offsets within a block as constants, static jump targets as direct branches.
 *
 * <p>Semantics are the interpreter's, by construction: a block is entered exactly where the interpreter
 * calls {@code enter} (frame start, jump destination, after JUMPI, GAS or an out-of-line instruction) and
 * checks the same {@link BasicBlocks} entry (static gas, stack needs and growth); instruction bodies are
 * the {@link JitOps} methods, which mirror the interpreter's switch arms; out-of-line instructions call
 * the same {@link Instructions#execute}. Whenever a block's check fails, compiled code hands the frame back
 * to the interpreter ({@link JitOps#BAIL}), which steps that block with per-instruction checks and so
 * halts at the same instruction with the same status.
 *
 * <p>HotSpot does not compile methods over 8,000 bytes of bytecode, so the code is split into chunks, each
 * one method, cut only where the interpreter would check a block anyway (after a run-ending instruction);
 * jumps within a chunk are branches, jumps and fall-through into another chunk return to
 * {@link CompiledCode#run}.
 *
 * <p>{@link Evm#abort}: a static backward jump reads the Evm's flag before it branches, a computed jump does when
 * its target turns out not to be after it, as the interpreter does; forward jumps and straight-line code pay
 * nothing.
 */
final class Compiler {
    /** {@code -Dlanes.jit=false} turns compilation off. */
    static final boolean ENABLED = !"false".equals(System.getProperty("lanes.jit"));
    static final boolean VERBOSE = Boolean.getBoolean("lanes.jit.verbose");
    /**
     * At most this many codes are compiled in one JVM (when compiling on a threshold): each is a class and
     * machine code, and a node meets an unbounded number of contracts. Past it, code stays interpreted.
     */
    static final int MAX_COMPILED = Integer.getInteger("lanes.jit.max", 16_384);
    /**
     * Or: static gas of the runs a code's executions entered (its compute, not the storage or call gas it paid), in
     * all, so that long-running code compiles after a few runs, when its executions used at least
     * {@link #AVG_GAS_THRESHOLD} each on average (code that loops or does much work per call). Until session 9 any
     * code past 10M gas used compiled: on mainnet blocks that took every busy contract (a token's transfers pass 10M
     * in a few hundred calls, mostly storage gas). Until session 15 this path still counted gas used, and took mainnet
     * contracts whose calls paid 250k gas on average in storage and calls while running 1-7 static gas per byte.
     */
    static final long GAS_THRESHOLD = Long.getLong("lanes.jit.gasThreshold", 10_000_000L);
    /** The average static gas per execution for {@link #GAS_THRESHOLD} to count. */
    static final long AVG_GAS_THRESHOLD = Long.getLong("lanes.jit.avgGas", 250_000L);
    /**
     * And: the {@link #GAS_THRESHOLD} gas was used within this time (from the end of the first execution counted),
     * else counting starts over. Compiled code runs in HotSpot's bytecode interpreter and then its profiling tier
     * until HotSpot has compiled it, which takes hundreds of calls or a long loop; heavy code called a few times a
     * second never gets there (session 10: the 47 mainnet blocks replayed ten times compiled 12 such codes, each run
     * 2 to 41 times in all, and execution was 20% slower for it).
     */
    static final long GAS_WINDOW_NANOS = Long.getLong("lanes.jit.gasWindowMs", 100) * 1_000_000L;
    /**
     * And the {@link #THRESHOLD} executions within this time: code compiled pays once HotSpot has compiled its class,
     * which takes hundreds of calls; a contract called a few hundred times a second does not get there before its
     * compiled form is slower than the interpreter.
     */
    static final long COUNT_WINDOW_NANOS = Long.getLong("lanes.jit.countWindowMs", 1000) * 1_000_000L;
    /**
     * Static gas of the runs an execution enters, on average, per byte of code, for a code to be compiled at all (1.0
     * is about a third of an instruction executed per byte of code per call; 0 turns the bar off). Mainnet contracts
     * run a small part of their code per call (0.11-0.98 per byte over the 47 blocks in ../shared, the evmone
     * benchmark cases 1.1-6,000): compiled whole, most of their generated methods are entered too rarely for HotSpot
     * to finish compiling them, and two Block-STM workers running them in HotSpot's profiling tier share its
     * counters. Session 10 had turned the bar off, as the executions' rate ({@link #COUNT_WINDOW_NANOS}) seemed to
     * tell the two apart; it does not when blocks repeat: `./lanes bench parallel --workload mainnet` compiled 22
     * such codes (the Uniswap V2 pair code at 0.24-0.72 per byte, 10,240 calls in a window), HotSpot compiled for
     * 3 s of its 5 s of timed runs, and both the sequential and the 2-thread times were worse than with the tier off
     * (session 15, docs/benchmarks.md). The bar costs the generated Uniswap block (its pair code runs 0.88 per byte
     * there and ran 10-20% faster compiled on one thread).
     */
    static final double MIN_BLOCK_GAS_PER_BYTE = Double.parseDouble(System.getProperty("lanes.jit.minBlockGasPerByte", "1.0"));
    /** Executions of a code (with its block table built) before it is compiled. */
    static final int THRESHOLD = Integer.getInteger("lanes.jit.threshold", 1024);
    /** Estimated bytecode bytes per chunk method; HotSpot's limit for compiling a method is 8,000. */
    private static final int CHUNK_BUDGET = Integer.getInteger("lanes.jit.chunk", 5000);
    private static final int HUGE_METHOD = 7900;

    private static final ClassDesc CD_COMPILED = ClassDesc.of(CompiledCode.class.getName());
    private static final ClassDesc CD_EVM = ClassDesc.of(Evm.class.getName());
    private static final ClassDesc CD_FRAME = ClassDesc.of(Frame.class.getName());
    private static final ClassDesc CD_OPS = ClassDesc.of(JitOps.class.getName());
    private static final ClassDesc CD_LONGS = ConstantDescs.CD_long.arrayType();
    private static final ClassDesc CD_INTS = ConstantDescs.CD_int.arrayType();
    private static final MethodTypeDesc MTD_CHUNK = MethodTypeDesc.of(ConstantDescs.CD_int, CD_EVM, CD_FRAME, CD_LONGS, ConstantDescs.CD_int, CD_LONGS);
    private static final MethodTypeDesc MTD_CHUNK_VIRTUAL = MethodTypeDesc.of(ConstantDescs.CD_int, ConstantDescs.CD_int, CD_EVM, CD_FRAME, CD_LONGS, ConstantDescs.CD_int, CD_LONGS);
    private static final MethodTypeDesc MTD_ENTER = MethodTypeDesc.of(ConstantDescs.CD_long, CD_LONGS, ConstantDescs.CD_int, ConstantDescs.CD_int, ConstantDescs.CD_long);
    private static final MethodTypeDesc MTD_ST = MethodTypeDesc.ofDescriptor("([JI)V");
    private static final MethodTypeDesc MTD_EST = MethodTypeDesc.of(ConstantDescs.CD_void, CD_EVM, CD_LONGS, ConstantDescs.CD_int);
    private static final MethodTypeDesc MTD_STI = MethodTypeDesc.ofDescriptor("([JII)V");
    private static final MethodTypeDesc MTD_PUSH1 = MethodTypeDesc.ofDescriptor("([JIJ)V");
    private static final MethodTypeDesc MTD_PUSH = MethodTypeDesc.ofDescriptor("([JIJJJJ)V");
    private static final MethodTypeDesc MTD_MEM = MethodTypeDesc.of(ConstantDescs.CD_long, CD_FRAME, CD_LONGS, ConstantDescs.CD_int, ConstantDescs.CD_long);
    private static final MethodTypeDesc MTD_EXPGAS = MethodTypeDesc.of(ConstantDescs.CD_long, CD_EVM, CD_LONGS, ConstantDescs.CD_int, ConstantDescs.CD_long);
    private static final MethodTypeDesc MTD_FST = MethodTypeDesc.of(ConstantDescs.CD_void, CD_FRAME, CD_LONGS, ConstantDescs.CD_int);
    private static final MethodTypeDesc MTD_FINISH = MethodTypeDesc.of(ConstantDescs.CD_int, CD_FRAME, ConstantDescs.CD_int, ConstantDescs.CD_int, ConstantDescs.CD_int, ConstantDescs.CD_long);
    private static final MethodTypeDesc MTD_STATE = MethodTypeDesc.of(ConstantDescs.CD_int, CD_FRAME, ConstantDescs.CD_int, ConstantDescs.CD_int, ConstantDescs.CD_long);
    private static final MethodTypeDesc MTD_RET = MethodTypeDesc.of(ConstantDescs.CD_int, CD_FRAME, ConstantDescs.CD_int, ConstantDescs.CD_int, ConstantDescs.CD_long, ConstantDescs.CD_boolean);
    private static final MethodTypeDesc MTD_CALL = MethodTypeDesc.of(ConstantDescs.CD_int, CD_EVM, CD_FRAME, ConstantDescs.CD_int, ConstantDescs.CD_int, ConstantDescs.CD_int, ConstantDescs.CD_long);
    private static final MethodTypeDesc MTD_JUMPDEST = MethodTypeDesc.of(ConstantDescs.CD_int, CD_FRAME, CD_LONGS, ConstantDescs.CD_int);
    private static final MethodTypeDesc MTD_COND = MethodTypeDesc.of(ConstantDescs.CD_boolean, CD_LONGS, ConstantDescs.CD_int);

    // Local variable slots of a chunk method.
    private static final int L_EVM = 0, L_F = 1, L_S = 2, L_PC = 3, L_RUNS = 4, L_SP = 5, L_GAS = 6, L_DEST = 8, L_G = 9,
            L_COND = 11, L_FREE = 12;

    /** Flag on a pc handed between chunks: continue the current run there without a block check. */
    static final int CONT = 1 << 30;

    private static final AtomicLong COUNTER = new AtomicLong();
    private static final ClassFile CLASS_FILE = ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(
            ClassHierarchyResolver.defaultResolver().orElse(ClassHierarchyResolver.ofClassLoading(Compiler.class.getClassLoader()))));

    private Compiler() {}

    /** Code whose compiled form is estimated at most this many bytecode bytes is always compiled. */
    private static final int SMALL = Integer.getInteger("lanes.jit.smallBytes", 64 * 1024);
    /** Larger code is compiled when an execution has used at least this much gas per byte of code (it loops). */
    private static final int LOOPING = Integer.getInteger("lanes.jit.loopGasPerByte", 8);

    /**
     * The compile policy. Compiled code pays off where execution revisits it: small code (all of it stays
     * in the instruction cache) or code that loops. Large straight-line code run once per call is faster
     * in the interpreter, whose own loop stays cached, than as hundreds of kilobytes of machine code each
     * executed once.
     */
    static boolean worthCompiling(Code code, long maxGasPerExecution) {
        if (maxGasPerExecution >= (long) LOOPING * code.length) return true;
        byte[] b = code.padded;
        long size = 0;
        for (int pc = 0; pc < code.length && size <= SMALL; ) {
            int op = b[pc] & 0xff;
            size += op == JUMPDEST ? 2 : Program.estimate(op);
            pc += (op >= PUSH1 && op <= PUSH32) ? op - PUSH0 + 1 : 1;
        }
        return size <= SMALL;
    }

    private static final AtomicLong COMPILED = new AtomicLong();

    static long compiledCount() {
        return COMPILED.get();
    }

    /** Compiles {@code code} for the gas table its {@code runs} were computed with. */
    static CompiledCode compile(Code code, int[] gasTable) throws ReflectiveOperationException {
        return compile(code, gasTable, CHUNK_BUDGET);
    }

    static CompiledCode compile(Code code, int[] gasTable, int chunkBudget) throws ReflectiveOperationException {
        Program p = new Program(code, gasTable);
        for (int budget = chunkBudget; ; budget /= 2) {
            p.split(budget);
            byte[] bytes;
            try {
                bytes = p.emit();
            } catch (IllegalArgumentException e) {
                // The class-file API refuses a constant pool past 65,535 entries ("... is not a valid index"): what the
                // soft limit left in the pool plus the entries added after it was passed. Once more with every large
                // constant in K; that leaves the pool the method references and names only.
                if (p.poolLimit == 0) throw e;
                p.poolLimit = 0;
                bytes = p.emit();
            }
            int largest = largestMethod(bytes);
            if (VERBOSE) System.err.printf("lanes: %d bytes of code, chunk budget %d: %d chunks, largest method %d bytes%n",
                    code.length, budget, p.chunkStart.length - 1, largest);
            if (largest <= HUGE_METHOD || budget < 200) {
                long[] data = p.classData();
                MethodHandles.Lookup lookup = data == null ? MethodHandles.lookup().defineHiddenClass(bytes, true)
                        : MethodHandles.lookup().defineHiddenClassWithClassData(bytes, data, true);
                CompiledCode c = (CompiledCode) lookup.lookupClass().getDeclaredConstructor().newInstance();
                c.chunkOf = p.chunkOf;
                c.runs = p.runs;
                COMPILED.incrementAndGet();
                return c;
            }
        }
    }

    private static int largestMethod(byte[] bytes) {
        ClassModel m = ClassFile.of().parse(bytes);
        int max = 0;
        StringBuilder sizes = VERBOSE ? new StringBuilder() : null;
        for (MethodModel mm : m.methods()) {
            if (mm.code().isPresent()) {
                int len = ((java.lang.classfile.attribute.CodeAttribute) mm.code().get()).codeLength();
                max = Math.max(max, len);
                if (sizes != null) sizes.append(' ').append(len);
            }
        }
        if (sizes != null) System.err.println("lanes: method sizes" + sizes);
        return max;
    }

    private static final int GROUP = 64;
    /** Constant pool entries past which large constants go to the class's array instead ({@code ChunkEmitter.lconst}). */
    static final int POOL_SOFT_LIMIT = Integer.getInteger("lanes.jit.poolSoftLimit", 60_000);

    /**
     * Emits {@code switch (k / divisor or k - first) { case i -> return target(i)(k, ...); }}: with
     * {@code divisor} > 0 the targets are group methods (same signature), else chunk methods.
     */
    private static void dispatch(CodeBuilder c, ClassDesc self, int n, int unused, java.util.function.IntFunction<String> target, int divisor) {
        Label bad = c.newLabel();
        List<SwitchCase> cases = new ArrayList<>();
        List<Label> labels = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Label l = c.newLabel();
            labels.add(l);
            cases.add(SwitchCase.of(i, l));
        }
        c.iload(1);
        if (divisor > 0) c.loadConstant(divisor).idiv(); else c.loadConstant(GROUP).irem();
        c.tableswitch(0, n - 1, bad, cases);
        for (int i = 0; i < n; i++) {
            c.labelBinding(labels.get(i));
            if (divisor > 0) {
                c.aload(0).iload(1).aload(2).aload(3).aload(4).iload(5).aload(6)
                        .invokevirtual(self, target.apply(i), MTD_CHUNK_VIRTUAL).ireturn();
            } else {
                c.aload(2).aload(3).aload(4).iload(5).aload(6).invokestatic(self, target.apply(i), MTD_CHUNK).ireturn();
            }
        }
        c.labelBinding(bad);
        c.loadConstant(JitOps.BAIL).ireturn();
    }

    /** The decoded code and its chunking. */
    private static final class Program {
        final Code code;
        final byte[] bytes;
        /** Per instruction offset: the run starting there, packed as {@link JitOps#enter} reads it. */
        final long[] runs;
        final int[] pcs;       // instruction offsets in order
        final boolean[] entry; // per offset: the interpreter checks a block here
        final boolean[] afterEnder; // per offset: the previous instruction ends a run (or offset 0)
        boolean[] contEntry;   // per offset: a chunk starts here in the middle of a run (entered unchecked)
        int[] chunkStart;      // instruction index where each chunk starts; one extra at the end
        int[] chunkOf;
        /** The class being emitted, and the constants it loads from its array {@code K} (see {@link ChunkEmitter#lconst}). */
        ClassDesc self;
        long[] spilled = new long[16];
        int spilledCount;
        /**
         * Constant pool entries past which large constants are spilled to {@code K}: {@link #POOL_SOFT_LIMIT}, or 0 (every
         * large constant spilled) after a class of this code overflowed its pool anyway.
         */
        int poolLimit = POOL_SOFT_LIMIT;

        Program(Code code, int[] gasTable) {
            this.code = code;
            this.bytes = code.padded;
            this.runs = runs(code, gasTable);
            int n = code.length;
            List<Integer> list = new ArrayList<>();
            entry = new boolean[n + 1];
            afterEnder = new boolean[n + 1];
            entry[0] = true;
            afterEnder[0] = true;
            for (int pc = 0; pc < n; ) {
                list.add(pc);
                int op = bytes[pc] & 0xff;
                int next = pc + ((op >= PUSH1 && op <= PUSH32) ? op - PUSH0 + 1 : 1);
                if (op == JUMPDEST) entry[pc] = true;
                if (!BasicBlocks.INLINE[op] && next <= n) {
                    afterEnder[next] = true;
                    if (op != JUMP && op != STOP && op != RETURN && op != REVERT) entry[next] = true;
                }
                pc = next;
            }
            pcs = list.stream().mapToInt(Integer::intValue).toArray();
        }

        /**
         * The runs as {@link BasicBlocks} defines them (same entry points, same ends), with exact static gas,
         * stack needs and growth instead of BasicBlocks' 17- and 7-bit fields, so that no run is unchecked
         * merely for being long or deep: bits 0-39 gas, 40-51 items needed, 52-62 items of growth, bit 63 an
         * undefined opcode in the run.
         */
        static long[] runs(Code code, int[] gasTable) {
            byte[] b = code.padded;
            int n = code.length;
            long[] runs = new long[n + 1];
            boolean[] isInstruction = new boolean[n + 1];
            for (int pc = 0; pc < n; ) {
                isInstruction[pc] = true;
                int op = b[pc] & 0xff;
                pc += (op >= PUSH1 && op <= PUSH32) ? op - PUSH0 + 1 : 1;
            }
            long gas = 0;
            int need = 0, grow = 0;
            boolean bad = false;
            for (int pc = n - 1; pc >= 0; pc--) {
                if (!isInstruction[pc]) continue;
                int op = b[pc] & 0xff;
                if (!BasicBlocks.INLINE[op]) { gas = 0; need = 0; grow = 0; bad = false; }
                int cost = gasTable[op];
                if (cost == dev.lanes.evm.ForkRules.UNDEFINED) bad = true;
                else gas += cost;
                int delta = Interpreter.STACK_DELTA[op];
                need = Math.max(Interpreter.STACK_MIN[op] >> 2, need - delta);
                grow = Math.max(0, delta + grow);
                boolean unchecked = bad || gas >= (1L << 40) || need > 0xfff || grow > 0x7ff;
                runs[pc] = unchecked ? Long.MIN_VALUE : gas | (long) need << 40 | (long) grow << 52;
            }
            return runs;
        }

        /** Splits into chunks of about {@code budget} estimated bytecode bytes, cut only after run enders. */
        void split(int budget) {
            List<Integer> starts = new ArrayList<>();
            starts.add(0);
            contEntry = new boolean[code.length + 1];
            int size = 0;
            for (int i = 0; i < pcs.length; i++) {
                int pc = pcs[i];
                // Cut after a run ender when over budget; in a run that long, cut anywhere (the next chunk
                // then continues the run without a check, as the interpreter does).
                if (i > starts.getLast() && (size >= budget && afterEnder[pc] || size >= budget + budget / 2)) {
                    starts.add(i);
                    if (!afterEnder[pc]) contEntry[pc] = true;
                    size = 0;
                }
                size += estimate(bytes[pc] & 0xff);
            }
            starts.add(pcs.length);
            chunkStart = starts.stream().mapToInt(Integer::intValue).toArray();
            chunkOf = new int[code.length + 1];
            Arrays.fill(chunkOf, -1);
            for (int k = 0; k + 1 < chunkStart.length; k++) {
                for (int i = chunkStart[k]; i < chunkStart[k + 1]; i++) {
                    if (entry[pcs[i]] || contEntry[pcs[i]]) chunkOf[pcs[i]] = k;
                }
            }
        }

        static int estimate(int op) {
            if (VIRTUAL) {
                // With the virtual stack (Compiler.VIRTUAL): a stack operation costs nothing where it happens, the
                // items it leaves cost a flush (about 44 bytes each) before the next instruction that reads the array.
                if (op >= PUSH0 && op <= DUP16) return 28;
                if (op >= SWAP1 && op <= SWAP16 || op == POP || op == JUMPDEST) return 6;
                if (op == ADD || op == SUB) return 170;
                if (op == AND || op == OR || op == XOR || op == NOT || op == SHL || op == SHR) return 60;
                // A constant operand: a few limb operations; otherwise both operands written out and a call.
                if (op == SIGNEXTEND || op == BYTE || op == SAR) return 14 + 44 * 2;
                if (op == EXP) return 40 + 44 * 2;
                if (op == LT || op == GT || op == EQ || op == ISZERO) return 70;
                // Done on the array: its operands written out first (44 bytes each, when they were virtual).
                if (op == MLOAD || op == MSTORE || op == MSTORE8) return 60;
                if (ARRAY_IO[op] != null) return (op == EXP ? 40 : 14) + 44 * ARRAY_IO[op][0];
            }
            if (op >= PUSH1 && op <= PUSH32) return 32;
            if (op == JUMP || op == JUMPI) return 48;
            if (op == MLOAD || op == MSTORE || op == MSTORE8 || op == EXP) return 40;
            if (!BasicBlocks.INLINE[op]) return 64;
            return 14;
        }

        byte[] emit() {
            String name = Compiler.class.getPackageName() + ".Compiled" + COUNTER.incrementAndGet();
            int chunks = chunkStart.length - 1;
            spilledCount = 0;
            ClassDesc self = ClassDesc.of(name);
            this.self = self;
            return CLASS_FILE.build(self, cb -> {
                cb.withFlags(ClassFile.ACC_PUBLIC | ClassFile.ACC_FINAL | ClassFile.ACC_SUPER);
                cb.withSuperclass(CD_COMPILED);
                cb.withMethodBody("<init>", ConstantDescs.MTD_void, ClassFile.ACC_PUBLIC, c -> c
                        .aload(0).invokespecial(CD_COMPILED, "<init>", ConstantDescs.MTD_void).return_());
                // chunk(k, ...) -> group k / GROUP -> c<k>: two levels of tableswitch, so that no dispatch
                // method grows past what HotSpot compiles, however many chunks there are.
                int groups = (chunks + GROUP - 1) / GROUP;
                cb.withMethodBody("chunk", MTD_CHUNK_VIRTUAL, ClassFile.ACC_PROTECTED, c ->
                        dispatch(c, self, groups, 1, k -> "g" + k, GROUP));
                for (int g = 0; g < groups; g++) {
                    int first = g * GROUP, count = Math.min(GROUP, chunks - first);
                    cb.withMethodBody("g" + g, MTD_CHUNK_VIRTUAL, ClassFile.ACC_PRIVATE, c ->
                            dispatch(c, self, count, 0, k -> "c" + (first + k), 0));
                }
                for (int k = 0; k < chunks; k++) {
                    int from = chunkStart[k], to = chunkStart[k + 1];
                    cb.withMethodBody("c" + k, MTD_CHUNK, ClassFile.ACC_PRIVATE | ClassFile.ACC_STATIC,
                            c -> new ChunkEmitter(this, c, from, to).emit());
                }
                if (spilledCount > 0) {
                    // K = the class data (the spilled constants), once, when the class initializes.
                    cb.withField("K", CD_LONGS, ClassFile.ACC_PRIVATE | ClassFile.ACC_STATIC | ClassFile.ACC_FINAL);
                    cb.withMethodBody("<clinit>", ConstantDescs.MTD_void, ClassFile.ACC_STATIC, c -> c
                            .ldc(java.lang.constant.DynamicConstantDesc.ofNamed(ConstantDescs.BSM_CLASS_DATA,
                                    ConstantDescs.DEFAULT_NAME, CD_LONGS))
                            .putstatic(self, "K", CD_LONGS).return_());
                }
            });
        }

        /** The spilled constants, for the class data (null when none were spilled). */
        long[] classData() {
            return spilledCount == 0 ? null : java.util.Arrays.copyOf(spilled, spilledCount);
        }
    }

    /**
     * Compiled code keeps the stack items of a straight-line stretch in JVM locals and constants instead of the array
     * ({@code -Dlanes.jit.virtualStack=false}: every item through the array, as before session 19).
     */
    static final boolean VIRTUAL = !"false".equals(System.getProperty("lanes.jit.virtualStack"));

    /** Opcodes the virtual stack handles without writing it to the array first. */
    private static final boolean[] KEPT = new boolean[256];
    /**
     * Instructions done on the array through JitOps with only the items they touch written out ({@code ChunkEmitter.arrayOp}):
     * {items read, results, items pushed past the top}; null for the rest.
     */
    private static final int[][] ARRAY_IO = new int[256][];

    static {
        for (int op : new int[] {MUL, DIV, SDIV, MOD, SMOD, SLT, SGT}) ARRAY_IO[op] = new int[] {2, 1, 0};
        for (int op : new int[] {ADDMOD, MULMOD}) ARRAY_IO[op] = new int[] {3, 1, 0};
        ARRAY_IO[CLZ] = new int[] {1, 1, 0};
        ARRAY_IO[MSIZE] = new int[] {0, 1, 1};
        ARRAY_IO[GAS] = new int[] {0, 1, 1};
    }

    static {
        // SIGNEXTEND, BYTE and SAR: on locals when their first operand (the byte position, the byte index, the shift) is a
        // constant, as compilers emit them; otherwise on the array ({@code ChunkEmitter.vConstFirst}). EXP: folded or its
        // gas known when its exponent is a constant ({@code ChunkEmitter.vexp}).
        for (int op : new int[] {JUMPDEST, POP, ADD, SUB, LT, GT, EQ, ISZERO, AND, OR, XOR, NOT, SHL, SHR, PC, JUMP, JUMPI, STOP,
                MLOAD, MSTORE, MSTORE8, SIGNEXTEND, BYTE, SAR, EXP}) KEPT[op] = true;
        for (int op = PUSH0; op <= SWAP16; op++) KEPT[op] = true; // PUSH0..PUSH32, DUP1..DUP16, SWAP1..SWAP16
    }

    /**
     * A stack item held outside the array within a straight-line stretch: a constant ({@code k}, four limbs), four long
     * locals from {@code local} (limb i at {@code local + 2 * i}), or the array slot at {@code arr} relative to the
     * local sp, read when used (an item DUP copied or SWAP moved, not yet loaded). Values are never changed in place:
     * two items may share one.
     */
    private record Val(long[] k, int local, int arr) {
        /** Whether the value is in the array (at {@code arr}), not a constant or locals. */
        boolean inArray() {
            return k == null && local < 0;
        }
    }

    /** The most items a straight-line stretch keeps virtual; past it the bottom quarter goes to the array. */
    private static final int WINDOW_MAX = 24;

    /** Emits one chunk method. */
    private static final class ChunkEmitter {
        final Program p;
        final CodeBuilder c;
        final int from, to;
        final int lo, hi; // code offsets covered: [lo, hi)
        final Label[] bodyLabel;
        /** Checks the block at DEST (generic, from the run table), then goes to its body. */
        final Label dispatchChecked;
        /** Goes to the body at DEST unchecked. */
        final Label dispatchBody;
        /** Stack offset (in longs) of the current instruction relative to the local sp. */
        int d;
        boolean reachable;
        /** Value of the immediately preceding PUSH in the same run, or -1. */
        long lastPush = -1;
        /**
         * The virtual stack: the top items of the EVM stack that this straight-line stretch holds outside the array (see
         * {@link Val}), bottom first; item i sits at {@code d - 4 * (vs.size() - i)} relative to the local sp. The array
         * is written only by {@link #flush} (and by the JitOps calls that follow a flush), so an item that names an array
         * slot reads what was there when the stretch began.
         */
        final ArrayList<Val> vs = new ArrayList<>();
        /** The next free local slot; every value gets fresh ones, all dead again after a flush. */
        int nextLocal = L_FREE;

        ChunkEmitter(Program p, CodeBuilder c, int from, int to) {
            this.p = p;
            this.c = c;
            this.from = from;
            this.to = to;
            this.lo = from < p.pcs.length ? p.pcs[from] : p.code.length;
            this.hi = to < p.pcs.length ? p.pcs[to] : p.code.length + 1;
            bodyLabel = new Label[hi - lo];
            for (int i = from; i < to; i++) {
                int pc = p.pcs[i];
                if (p.entry[pc] || p.contEntry[pc]) bodyLabel[pc - lo] = c.newLabel();
            }
            dispatchChecked = c.newLabel();
            dispatchBody = c.newLabel();
        }

        void emit() {
            // Prologue: sp and gas from the frame; a pc flagged CONT continues a run unchecked.
            c.aload(L_F).getfield(CD_FRAME, "sp", ConstantDescs.CD_int).istore(L_SP);
            c.aload(L_F).getfield(CD_FRAME, "gas", ConstantDescs.CD_long).lstore(L_GAS);
            c.iload(L_PC).loadConstant(~CONT).iand().istore(L_DEST);
            c.iload(L_PC).loadConstant(CONT).iand().ifne(dispatchBody);
            c.goto_(dispatchChecked);
            reachable = false;
            for (int i = from; i < to; i++) instruction(p.pcs[i]);
            if (reachable) {
                if (to == p.pcs.length) {
                    // Past the last instruction the padding reads STOP.
                    finish(Status.SUCCESS, p.code.length);
                } else {
                    // Falls through into the next chunk: checked there after a run ender, else continued.
                    materialize();
                    state("next", p.contEntry[hi] ? hi | CONT : hi);
                    c.ireturn();
                }
            }
            // Generic block check at DEST (as the interpreter's enter), or hand the frame to the interpreter.
            c.labelBinding(dispatchChecked);
            Label enterOk = c.newLabel();
            c.aload(L_RUNS).iload(L_DEST).iload(L_SP).lload(L_GAS).invokestatic(CD_OPS, "enter", MTD_ENTER).lstore(L_G);
            c.lload(L_G).lconst_0().lcmp().ifge(enterOk);
            c.aload(L_F).iload(L_DEST).iload(L_SP).lload(L_GAS).invokestatic(CD_OPS, "bail", MTD_STATE).ireturn();
            c.labelBinding(enterOk);
            c.lload(L_G).lstore(L_GAS);
            c.labelBinding(dispatchBody);
            Label other = c.newLabel();
            List<SwitchCase> cases = new ArrayList<>();
            for (int i = from; i < to; i++) {
                int pc = p.pcs[i];
                if (bodyLabel[pc - lo] != null) cases.add(SwitchCase.of(pc, bodyLabel[pc - lo]));
            }
            c.iload(L_DEST).lookupswitch(other, cases);
            // Every offset that reaches here has a label (run() and the range test on dynamic jumps see to
            // it); were one missing, its block may already be charged, so failing loudly is the only safe act.
            c.labelBinding(other);
            c.iload(L_DEST).invokestatic(CD_OPS, "unreachable", MethodTypeDesc.of(ConstantDescs.CD_int, ConstantDescs.CD_int)).ireturn();
        }

        private void materialize() {
            flush();
            if (d != 0) c.iinc(L_SP, d);
            d = 0;
        }

        // ---- the virtual stack ----

        private static Val constant(long v0, long v1, long v2, long v3) {
            return new Val(new long[] {v0, v1, v2, v3}, -1, 0);
        }

        /**
         * Pushes the long {@code v}. Values that fit a short go in the instruction (no constant pool entry); others are
         * pooled (ldc2_w) until the class's constant pool nears its limit of 65,535 entries, and loaded from the class's
         * array {@code K} after that. All chunks of a code share one class, and a large code with the stack's constants
         * folded can hold more distinct 64-bit values than one pool can (a state-test code did: 66,346 entries).
         */
        private void lconst(long v) {
            if (v == (short) v) {
                c.loadConstant((int) v).i2l();
            } else if (c.constantPool().size() < p.poolLimit) {
                c.loadConstant(v);
            } else {
                spilled(v);
            }
        }

        /** As {@link #lconst}, for an int (code offsets past 32,767, in a large code). */
        private void iconst(int v) {
            if (v == (short) v || c.constantPool().size() < p.poolLimit) {
                c.loadConstant(v);
            } else {
                spilled(v);
                c.l2i();
            }
        }

        /** Loads {@code v} from the class's array {@code K}, adding it there; the index is built without the pool. */
        private void spilled(long v) {
            if (p.spilledCount == p.spilled.length) p.spilled = java.util.Arrays.copyOf(p.spilled, p.spilled.length * 2);
            int i = p.spilledCount++;
            p.spilled[i] = v;
            c.getstatic(p.self, "K", CD_LONGS);
            if (i <= Short.MAX_VALUE) c.loadConstant(i);
            else c.loadConstant(i >>> 15).loadConstant(15).ishl().loadConstant(i & 0x7fff).ior();
            c.laload();
        }

        private void loadLimb(Val v, int k) {
            if (v.k != null) {
                lconst(v.k[k]);
            } else if (v.local >= 0) {
                c.lload(v.local + 2 * k);
            } else {
                c.aload(L_S).iload(L_SP).loadConstant(v.arr + k).iadd().laload();
            }
        }

        private int allocValue() {
            int l = nextLocal;
            nextLocal += 8;
            return l;
        }

        private int allocLong() {
            int l = nextLocal;
            nextLocal += 2;
            return l;
        }

        /** An array item read into fresh locals now (a constant or a local stays as it is). */
        private Val toLocal(Val v) {
            if (!v.inArray()) return v;
            int l = allocValue();
            for (int k = 0; k < 4; k++) {
                loadLimb(v, k);
                c.lstore(l + 2 * k);
            }
            return new Val(null, l, 0);
        }

        private void vpush(Val v) {
            vs.add(v);
            d += 4;
            if (vs.size() > WINDOW_MAX) spillBottom(WINDOW_MAX / 4);
        }

        /**
         * Writes the bottom {@code k} virtual items to their slots and leaves them there (every item that names one of
         * those slots read into locals first), so that the window, and the flush that ends it, stays bounded.
         */
        private void spillBottom(int k) {
            int base = d - 4 * vs.size();
            loadNaming(base, base + 4 * k);
            for (int i = 0; i < k; i++) store(vs.get(i), base + 4 * i);
            vs.subList(0, k).clear();
        }

        private Val vpop() {
            d -= 4;
            return vs.isEmpty() ? new Val(null, -1, d) : vs.removeLast();
        }

        /** The n-th item from the top (1 = top). */
        private Val vpeek(int n) {
            int i = vs.size() - n;
            return i >= 0 ? vs.get(i) : new Val(null, -1, d - 4 * n);
        }

        /** Makes the top n items virtual (array items below the window join it, in place). */
        private void vextend(int n) {
            while (vs.size() < n) vs.addFirst(new Val(null, -1, d - 4 * (vs.size() + 1)));
        }

        /** Writes the virtual items to their array slots (every array item first read into locals). */
        private void flush() {
            int n = vs.size();
            if (n == 0) return;
            int base = d - 4 * n;
            loadNaming(Integer.MIN_VALUE, Integer.MAX_VALUE);
            for (int i = 0; i < n; i++) store(vs.get(i), base + 4 * i);
            vs.clear();
            nextLocal = L_FREE;
        }

        /**
         * Before an instruction done on the array through JitOps, which reads the top {@code reads} items in place and
         * writes its results over them (and, pushing, up to {@code above} items past the top): those items are stored
         * to their slots, and every virtual item that names an array slot the instruction writes is read into locals
         * first. Items below stay virtual.
         */
        private void arrayOp(int reads, int above) {
            vextend(reads);
            int n = vs.size(), base = d - 4 * n;
            loadNaming(d - 4 * reads, d + 4 * above);
            for (int i = n - reads; i < n; i++) {
                int own = base + 4 * i;
                store(vs.get(i), own);
                vs.set(i, new Val(null, -1, own));
            }
        }

        /**
         * Reads into locals every virtual item that names an array slot in {@code [lo, hi)} other than its own, before
         * those slots are written.
         */
        private void loadNaming(int lo, int hi) {
            int base = d - 4 * vs.size();
            for (int i = 0; i < vs.size(); i++) {
                Val v = vs.get(i);
                if (v.inArray() && v.arr != base + 4 * i && v.arr >= lo && v.arr < hi) vs.set(i, toLocal(v));
            }
        }

        /** Writes {@code v} to the slot at {@code own} (nothing when it is already there). */
        private void store(Val v, int own) {
            if (v.inArray() && v.arr == own) return;
            for (int k = 0; k < 4; k++) {
                c.aload(L_S).iload(L_SP).loadConstant(own + k).iadd();
                loadLimb(v, k);
                c.lastore();
            }
        }

        /** After {@link #arrayOp}: its {@code reads} items are gone, its {@code results} are in place on top (d is updated). */
        private void afterArrayOp(int reads, int results) {
            for (int i = 0; i < reads; i++) vs.removeLast();
            for (int j = 0; j < results; j++) vs.add(new Val(null, -1, d - 4 * (results - j)));
        }

        private Val fold(String op, Val a, Val b) {
            long[] t = new long[8];
            System.arraycopy(b.k, 0, t, 0, 4);
            System.arraycopy(a.k, 0, t, 4, 4);
            switch (op) {
                case "add" -> JitOps.add(t, 8);
                case "sub" -> JitOps.sub(t, 8);
                case "and" -> JitOps.and(t, 8);
                case "or" -> JitOps.or(t, 8);
                case "xor" -> JitOps.xor(t, 8);
                case "eq" -> JitOps.eq(t, 8);
                case "lt" -> JitOps.lt(t, 8);
                case "gt" -> JitOps.gt(t, 8);
                case "shl" -> JitOps.shl(t, 8);
                case "shr" -> JitOps.shr(t, 8);
                case "signextend" -> JitOps.signextend(t, 8);
                case "byteOp" -> JitOps.byteOp(t, 8);
                case "sar" -> JitOps.sar(t, 8);
                case "exp" -> JitOps.exp(t, 8);
                default -> throw new IllegalArgumentException(op);
            }
            return constant(t[0], t[1], t[2], t[3]);
        }

        /** ADD or SUB of the top two items into fresh locals (a = top). */
        private void vaddSub(boolean add) {
            Val a = vpop(), b = vpop();
            if (a.k != null && b.k != null) {
                vpush(fold(add ? "add" : "sub", a, b));
                return;
            }
            a = toLocal(a);
            b = toLocal(b);
            int r = allocValue(), cy = allocLong();
            for (int k = 0; k < 4; k++) {
                loadLimb(a, k);
                loadLimb(b, k);
                if (add) c.ladd(); else c.lsub();
                if (k > 0) {
                    c.lload(cy);
                    if (add) c.ladd(); else c.lsub();
                }
                c.lstore(r + 2 * k);
                if (k == 3) break;
                if (add) {
                    // carry = ((a & b) | ((a | b) & ~r)) >>> 63
                    loadLimb(a, k); loadLimb(b, k); c.land();
                    loadLimb(a, k); loadLimb(b, k); c.lor();
                    c.lload(r + 2 * k).loadConstant(-1L).lxor().land().lor();
                } else {
                    // borrow = ((~a & b) | (~(a ^ b) & r)) >>> 63
                    loadLimb(a, k); c.loadConstant(-1L).lxor(); loadLimb(b, k); c.land();
                    loadLimb(a, k); loadLimb(b, k); c.lxor().loadConstant(-1L).lxor();
                    c.lload(r + 2 * k).land().lor();
                }
                c.loadConstant(63).lushr().lstore(cy);
            }
            vpush(new Val(null, r, 0));
        }

        /** AND, OR or XOR of the top two items, limb by limb, constants folded per limb. */
        private void vbitwise(int op) {
            Val a = vpop(), b = vpop();
            String name = op == AND ? "and" : op == OR ? "or" : "xor";
            if (a.k != null && b.k != null) {
                vpush(fold(name, a, b));
                return;
            }
            a = toLocal(a);
            b = toLocal(b);
            int r = allocValue();
            for (int k = 0; k < 4; k++) {
                Val x = a, y = b;
                if (x.k == null) { x = b; y = a; } // a constant limb, if any, in x
                if (x.k != null && op == AND && x.k[k] == 0) c.lconst_0();
                else if (x.k != null && op != AND && x.k[k] == 0) loadLimb(y, k);
                else if (x.k != null && op == AND && x.k[k] == -1L) loadLimb(y, k);
                else if (x.k != null && op == OR && x.k[k] == -1L) c.loadConstant(-1L);
                else {
                    loadLimb(a, k);
                    loadLimb(b, k);
                    if (op == AND) c.land(); else if (op == OR) c.lor(); else c.lxor();
                }
                c.lstore(r + 2 * k);
            }
            vpush(new Val(null, r, 0));
        }

        /** SHL or SHR by a constant amount (the top item), limb by limb; otherwise through the array. */
        private void vshift(boolean left) {
            Val a = vpeek(1);
            if (a.k == null) {
                onArray(left ? "shl" : "shr");
                return;
            }
            vpop();
            Val b = vpop();
            boolean big = (a.k[1] | a.k[2] | a.k[3]) != 0 || Long.compareUnsigned(a.k[0], 256) >= 0;
            if (big) {
                vpush(constant(0, 0, 0, 0));
                return;
            }
            int n = (int) a.k[0], q = n >>> 6, r = n & 63;
            if (b.k != null) {
                vpush(fold(left ? "shl" : "shr", a, b));
                return;
            }
            b = toLocal(b);
            int res = allocValue();
            for (int k = 0; k < 4; k++) {
                // SHL: limb k = b[k - q] << r | b[k - q - 1] >>> (64 - r); SHR: b[k + q] >>> r | b[k + q + 1] << (64 - r).
                int main = left ? k - q : k + q, spill = left ? k - q - 1 : k + q + 1;
                boolean hasMain = main >= 0 && main <= 3, hasSpill = r != 0 && spill >= 0 && spill <= 3;
                if (!hasMain) {
                    c.lconst_0();
                } else {
                    loadLimb(b, main);
                    if (r != 0) {
                        c.loadConstant(r);
                        if (left) c.lshl(); else c.lushr();
                    }
                    if (hasSpill) {
                        loadLimb(b, spill);
                        c.loadConstant(64 - r);
                        if (left) c.lushr(); else c.lshl();
                        c.lor();
                    }
                }
                c.lstore(res + 2 * k);
            }
            vpush(new Val(null, res, 0));
        }

        private static final MethodTypeDesc MTD_MLOADV = MethodTypeDesc.of(ConstantDescs.CD_long, CD_FRAME, CD_LONGS,
                ConstantDescs.CD_int, ConstantDescs.CD_long, ConstantDescs.CD_long, ConstantDescs.CD_long);
        private static final MethodTypeDesc MTD_MSTOREV = MethodTypeDesc.ofDescriptor("(L" + Frame.class.getName().replace('.', '/') + ";JJJJJJJ)J");
        private static final MethodTypeDesc MTD_MSTORE8V = MethodTypeDesc.ofDescriptor("(L" + Frame.class.getName().replace('.', '/') + ";JJJJ)J");

        /** The offset's low limb, then the OR of its high limbs (folded for a constant). */
        private void offsetArgs(Val o) {
            loadLimb(o, 0);
            if (o.k != null) {
                lconst(o.k[1] | o.k[2] | o.k[3]);
            } else {
                loadLimb(o, 1); loadLimb(o, 2); c.lor(); loadLimb(o, 3); c.lor();
            }
        }

        /** MLOAD of a virtual offset: the word goes to the result's slot (items naming that slot loaded first). */
        private void vmload(int pc) {
            Val o = vpop();
            loadNaming(d, d + 4);
            c.aload(L_F).aload(L_S).iload(L_SP).loadConstant(d + 4).iadd().lload(L_GAS);
            offsetArgs(o);
            c.invokestatic(CD_OPS, "mloadV", MTD_MLOADV).lstore(L_GAS);
            oogIfNegative(pc);
            vpush(new Val(null, -1, d));
        }

        /** MSTORE / MSTORE8 of virtual operands: nothing goes through the array. */
        private void vmstore(int pc, boolean single) {
            Val o = vpop(), v = vpop();
            c.aload(L_F).lload(L_GAS);
            offsetArgs(o);
            loadLimb(v, 0);
            if (single) {
                c.invokestatic(CD_OPS, "mstore8V", MTD_MSTORE8V);
            } else {
                loadLimb(v, 1); loadLimb(v, 2); loadLimb(v, 3);
                c.invokestatic(CD_OPS, "mstoreV", MTD_MSTOREV);
            }
            c.lstore(L_GAS);
            oogIfNegative(pc);
        }

        /**
         * SIGNEXTEND, BYTE or SAR whose first operand (the top item) is a constant, as compilers emit them (the width of
         * an intN, a byte's index, an arithmetic shift by a constant): limb operations on the second item, with no
         * branch on its value; both constant: folded. A first operand not constant: on the array, as before.
         */
        private void vConstFirst(int op) {
            String name = op == SIGNEXTEND ? "signextend" : op == BYTE ? "byteOp" : "sar";
            Val a = vpeek(1);
            if (a.k == null) {
                onArray(name);
                return;
            }
            vpop();
            Val b = vpop();
            if (b.k != null) {
                vpush(fold(name, a, b));
                return;
            }
            boolean small = (a.k[1] | a.k[2] | a.k[3]) == 0 && a.k[0] >= 0;
            long n = small ? a.k[0] : Long.MAX_VALUE;
            if (op == SIGNEXTEND && n >= 31) { // no byte above 30 to extend from: the value itself
                vpush(b);
                return;
            }
            if (op == BYTE && n >= 32) {
                vpush(constant(0, 0, 0, 0));
                return;
            }
            b = toLocal(b);
            int r = allocValue();
            if (op == SIGNEXTEND) {
                // The sign bit is bit 8n + 7: limb q, bit t. Limbs below q stay, limb q is extended from bit t, the ones
                // above are copies of its sign.
                int bit = 8 * (int) n + 7, q = bit >>> 6, t = bit & 63;
                for (int k = 0; k < q; k++) {
                    loadLimb(b, k);
                    c.lstore(r + 2 * k);
                }
                loadLimb(b, q);
                if (t != 63) c.loadConstant(63 - t).lshl().loadConstant(63 - t).lshr();
                c.lstore(r + 2 * q);
                for (int k = q + 1; k < 4; k++) c.lload(r + 2 * q).loadConstant(63).lshr().lstore(r + 2 * k);
            } else if (op == BYTE) {
                // Byte n counts from the most significant: limb 3 - n / 8, bits 56 - 8 * (n % 8) up.
                int i = (int) n, limb = 3 - (i >>> 3), shift = 56 - 8 * (i & 7);
                loadLimb(b, limb);
                if (shift != 0) c.loadConstant(shift).lushr();
                c.loadConstant(0xffL).land().lstore(r);
                for (int k = 1; k < 4; k++) c.lconst_0().lstore(r + 2 * k);
            } else {
                // SAR: SHR's limb moves, with the sign (limb 3 shifted arithmetically, then its copies) coming in from above.
                if (n >= 256) {
                    loadLimb(b, 3);
                    c.loadConstant(63).lshr().lstore(r);
                    for (int k = 1; k < 4; k++) c.lload(r).lstore(r + 2 * k);
                } else {
                    int q = (int) n >>> 6, t = (int) n & 63;
                    for (int k = 0; k < 4; k++) {
                        int src = k + q;
                        if (src > 3) {
                            loadLimb(b, 3);
                            c.loadConstant(63).lshr();
                        } else if (src == 3) {
                            loadLimb(b, 3);
                            if (t != 0) c.loadConstant(t).lshr();
                        } else {
                            loadLimb(b, src);
                            if (t != 0) {
                                c.loadConstant(t).lushr();
                                loadLimb(b, src + 1);
                                c.loadConstant(64 - t).lshl().lor();
                            }
                        }
                        c.lstore(r + 2 * k);
                    }
                }
            }
            vpush(new Val(null, r, 0));
        }

        private static final MethodTypeDesc MTD_EXPGAS_BYTES = MethodTypeDesc.of(ConstantDescs.CD_long, CD_EVM, ConstantDescs.CD_int, ConstantDescs.CD_long);

        /**
         * EXP (base on top, exponent below). A constant exponent's byte length is known here, so its dynamic gas is charged
         * without reading the array ({@code JitOps.expGasBytes}: the fork's per-byte cost is read at run time, as forks
         * with equal static tables share compiled code); with the base constant too the result is folded, an exponent
         * of 0 or 1 gives 1 or the base. Anything else: on the array, as before.
         */
        private void vexp(int pc) {
            Val a = vpeek(1), b = vpeek(2);
            if (b.k == null) {
                arrayOp(2, 0);
                expOnArray(pc);
                afterArrayOp(2, 1);
                return;
            }
            int bytes = Instructions.byteLength(b.k[0], b.k[1], b.k[2], b.k[3]);
            if (bytes > 0) {
                c.aload(L_EVM).loadConstant(bytes).lload(L_GAS).invokestatic(CD_OPS, "expGasBytes", MTD_EXPGAS_BYTES).lstore(L_GAS);
                oogIfNegative(pc);
            }
            boolean small = (b.k[1] | b.k[2] | b.k[3]) == 0;
            if (a.k != null) {
                vpop();
                vpop();
                vpush(fold("exp", a, b));
            } else if (small && b.k[0] == 0) {
                vpop();
                vpop();
                vpush(constant(1, 0, 0, 0));
            } else if (small && b.k[0] == 1) {
                a = toLocal(vpop());
                vpop();
                vpush(a);
            } else {
                onArray("exp"); // its gas is charged above
            }
        }

        /** EXP on the array (its operands there): its gas from the exponent in the array, then its {@code JitOps} body. */
        private void expOnArray(int pc) {
            c.aload(L_EVM).aload(L_S);
            spd();
            c.lload(L_GAS).invokestatic(CD_OPS, "expGas", MTD_EXPGAS).lstore(L_GAS);
            oogIfNegative(pc);
            binary("exp");
        }

        /** A two-operand instruction through its {@code JitOps} body on the array: operands written out, one result. */
        private void onArray(String name) {
            arrayOp(2, 0);
            binary(name);
            afterArrayOp(2, 1);
        }

        private void vnot() {
            Val a = vpop();
            if (a.k != null) {
                vpush(constant(~a.k[0], ~a.k[1], ~a.k[2], ~a.k[3]));
                return;
            }
            int r = allocValue();
            for (int k = 0; k < 4; k++) {
                loadLimb(a, k);
                c.loadConstant(-1L).lxor().lstore(r + 2 * k);
            }
            vpush(new Val(null, r, 0));
        }

        private static final MethodTypeDesc MTD_L4 = MethodTypeDesc.ofDescriptor("(JJJJ)J");
        private static final MethodTypeDesc MTD_L8 = MethodTypeDesc.ofDescriptor("(JJJJJJJJ)J");

        /** ISZERO, EQ, LT, GT: a 0/1 result through a JitOps helper on the limbs. */
        private void vcompare(int op) {
            if (op == ISZERO) {
                Val a = vpop();
                if (a.k != null) {
                    vpush(constant((a.k[0] | a.k[1] | a.k[2] | a.k[3]) == 0 ? 1 : 0, 0, 0, 0));
                    return;
                }
                for (int k = 0; k < 4; k++) loadLimb(a, k);
                c.invokestatic(CD_OPS, "isZero", MTD_L4);
            } else {
                Val a = vpop(), b = vpop();
                if (a.k != null && b.k != null) {
                    vpush(fold(op == EQ ? "eq" : op == LT ? "lt" : "gt", a, b));
                    return;
                }
                // LT: a < b; GT: a > b, i.e. b < a.
                Val x = op == GT ? b : a, y = op == GT ? a : b;
                for (int k = 0; k < 4; k++) loadLimb(x, k);
                for (int k = 0; k < 4; k++) loadLimb(y, k);
                c.invokestatic(CD_OPS, op == EQ ? "eqv" : "ltv", MTD_L8);
            }
            int r = allocValue();
            c.lstore(r);
            for (int k = 1; k < 4; k++) c.lconst_0().lstore(r + 2 * k);
            vpush(new Val(null, r, 0));
        }

        /** Pushes s and sp + d (the interpreter's sp) for a JitOps call. */
        private void st() {
            c.aload(L_S).iload(L_SP);
            if (d != 0) c.loadConstant(d).iadd();
        }

        private void spd() {
            spdAnyway();
        }

        /** sp + d whatever the virtual stack holds: for a halt, after which the stack is not read. */
        private void spdAnyway() {
            c.iload(L_SP);
            if (d != 0) c.loadConstant(d).iadd();
        }

        /** Emits {@code return JitOps.<kind>(f, pc, sp + d, gas)}. */
        private void state(String kind, int pc) {
            // The interpreter (or the next chunk) goes on from the array: nothing may be left virtual.
            if (!vs.isEmpty()) throw new IllegalStateException("virtual stack not flushed before " + kind);
            c.aload(L_F);
            iconst(pc);
            spd();
            c.lload(L_GAS).invokestatic(CD_OPS, kind, MTD_STATE);
        }

        private void finish(int status, int pc) {
            c.aload(L_F).loadConstant(status);
            iconst(pc);
            spdAnyway();
            c.lload(L_GAS).invokestatic(CD_OPS, "finish", MTD_FINISH).ireturn();
            reachable = false;
        }

        /**
         * The block check for the run at {@code pc} with its constants inlined: charge its static gas, or
         * hand the frame to the interpreter at {@code pc}. sp must be materialized.
         */
        private void check(int pc) {
            long r = p.runs[pc];
            if (r < 0) {
                state("bail", pc);
                c.ireturn();
                return;
            }
            long gas = r & ((1L << 40) - 1);
            int need = (int) ((r >>> 40) & 0xfff) << 2;
            int grow = (int) ((r >>> 52) & 0x7ff) << 2;
            Label fail = c.newLabel(), ok = c.newLabel();
            c.lload(L_GAS);
            lconst(gas);
            c.lcmp().iflt(fail);
            if (need > 0) c.iload(L_SP).loadConstant(need).if_icmplt(fail);
            if (grow > 0) c.iload(L_SP).loadConstant(Frame.STACK_LIMIT * 4 - grow).if_icmpgt(fail);
            if (gas != 0) {
                c.lload(L_GAS);
                lconst(gas);
                c.lsub().lstore(L_GAS);
            }
            c.goto_(ok);
            c.labelBinding(fail);
            state("bail", pc);
            c.ireturn();
            c.labelBinding(ok);
        }

        private void instruction(int pc) {
            int op = p.bytes[pc] & 0xff;
            if (!reachable) { // every jump into a label carries sp materialized
                d = 0;
                vs.clear();
                nextLocal = L_FREE;
            }
            if (bodyLabel[pc - lo] != null) {
                if (reachable) {
                    materialize();
                    // Fall-through: the interpreter checks a block here only after a run ender.
                    if (p.afterEnder[pc]) check(pc);
                }
                c.labelBinding(bodyLabel[pc - lo]);
                reachable = true;
                lastPush = -1;
                nextLocal = L_FREE;
            }
            if (!reachable) return;
            int[] io = VIRTUAL ? ARRAY_IO[op] : null;
            if (io != null) arrayOp(io[0], io[2]);
            else if (!VIRTUAL || !KEPT[op]) flush();
            long push = -1;
            switch (op) {
                case JUMPDEST -> { }
                case PUSH0 -> { if (VIRTUAL) vpush(constant(0, 0, 0, 0)); else { st(); c.lconst_0().invokestatic(CD_OPS, "push1", MTD_PUSH1); d += 4; } push = 0; }
                case POP -> { if (VIRTUAL) vpop(); else d -= 4; }
                case ADD -> { if (VIRTUAL) vaddSub(true); else binary("add"); }
                case MUL -> binary("mul");
                case SUB -> { if (VIRTUAL) vaddSub(false); else binary("sub"); }
                case DIV -> evmBinary("div", 4);
                case SDIV -> evmBinary("sdiv", 4);
                case MOD -> evmBinary("mod", 4);
                case SMOD -> evmBinary("smod", 4);
                case ADDMOD -> evmBinary("addmod", 8);
                case MULMOD -> evmBinary("mulmod", 8);
                case SIGNEXTEND -> { if (VIRTUAL) vConstFirst(SIGNEXTEND); else binary("signextend"); }
                case LT -> { if (VIRTUAL) vcompare(LT); else binary("lt"); }
                case GT -> { if (VIRTUAL) vcompare(GT); else binary("gt"); }
                case SLT -> binary("slt");
                case SGT -> binary("sgt");
                case EQ -> { if (VIRTUAL) vcompare(EQ); else binary("eq"); }
                case AND, OR, XOR -> { if (VIRTUAL) vbitwise(op); else binary(op == AND ? "and" : op == OR ? "or" : "xor"); }
                case BYTE -> { if (VIRTUAL) vConstFirst(BYTE); else binary("byteOp"); }
                case SHL -> { if (VIRTUAL) vshift(true); else binary("shl"); }
                case SHR -> { if (VIRTUAL) vshift(false); else binary("shr"); }
                case SAR -> { if (VIRTUAL) vConstFirst(SAR); else binary("sar"); }
                case ISZERO -> { if (VIRTUAL) vcompare(ISZERO); else unary("iszero"); }
                case NOT -> { if (VIRTUAL) vnot(); else unary("not"); }
                case CLZ -> unary("clz");
                case EXP -> {
                    if (VIRTUAL) vexp(pc); else expOnArray(pc);
                }
                case MLOAD -> { if (VIRTUAL) vmload(pc); else memory("mload", pc, 0); }
                case MSTORE -> { if (VIRTUAL) vmstore(pc, false); else memory("mstore", pc, -8); }
                case MSTORE8 -> { if (VIRTUAL) vmstore(pc, true); else memory("mstore8", pc, -8); }
                case PC -> { if (VIRTUAL) vpush(constant(pc, 0, 0, 0)); else { st(); lconst(pc); c.invokestatic(CD_OPS, "push1", MTD_PUSH1); d += 4; } }
                case MSIZE -> { c.aload(L_F).aload(L_S); spd(); c.invokestatic(CD_OPS, "msize", MTD_FST); d += 4; }
                case GAS -> { st(); c.lload(L_GAS).invokestatic(CD_OPS, "push1", MTD_PUSH1); d += 4; }
                case JUMP -> jump(pc, false);
                case JUMPI -> jump(pc, true);
                case STOP -> finish(Status.SUCCESS, pc);
                case RETURN, REVERT -> {
                    c.aload(L_F);
                    iconst(pc);
                    spd();
                    c.lload(L_GAS).loadConstant(op == REVERT ? 1 : 0).invokestatic(CD_OPS, "ret", MTD_RET).ireturn();
                    reachable = false;
                }
                default -> {
                    if (op >= PUSH1 && op <= PUSH32) {
                        push = pushValue(pc, op - PUSH0);
                    } else if (op >= DUP1 && op <= DUP16 && VIRTUAL) {
                        vpush(vpeek(op - DUP1 + 1));
                    } else if (op >= SWAP1 && op <= SWAP16 && VIRTUAL) {
                        int n = op - SWAP1 + 1;
                        vextend(n + 1);
                        int top = vs.size() - 1;
                        Val t = vs.get(top);
                        vs.set(top, vs.get(top - n));
                        vs.set(top - n, t);
                    } else if (op >= DUP1 && op <= DUP16) {
                        st();
                        c.loadConstant((op - DUP1 + 1) * 4).invokestatic(CD_OPS, "dup", MTD_STI);
                        d += 4;
                    } else if (op >= SWAP1 && op <= SWAP16) {
                        st();
                        c.loadConstant((op - SWAP1 + 2) * 4).invokestatic(CD_OPS, "swap", MTD_STI);
                    } else if (p.runs[pc] < 0) {
                        materialize();
                        state("bail", pc);
                        c.ireturn();
                        reachable = false;
                    } else {
                        outOfLine(pc, op);
                    }
                }
            }
            if (io != null) afterArrayOp(io[0], io[1]);
            lastPush = push;
        }

        private void binary(String name) {
            st();
            c.invokestatic(CD_OPS, name, MTD_ST);
            d -= 4;
        }

        private void unary(String name) {
            st();
            c.invokestatic(CD_OPS, name, MTD_ST);
        }

        private void evmBinary(String name, int pop) {
            c.aload(L_EVM).aload(L_S);
            spd();
            c.invokestatic(CD_OPS, name, MTD_EST);
            d -= pop;
        }

        private void memory(String name, int pc, int delta) {
            c.aload(L_F).aload(L_S);
            spd();
            c.lload(L_GAS).invokestatic(CD_OPS, name, MTD_MEM).lstore(L_GAS);
            oogIfNegative(pc);
            d += delta;
        }

        private void oogIfNegative(int pc) {
            Label ok = c.newLabel();
            c.lload(L_GAS).lconst_0().lcmp().ifge(ok);
            finish(Status.OUT_OF_GAS, pc);
            c.labelBinding(ok);
            reachable = true;
        }

        /** PUSHn with its value as constants; returns the value when it fits in 31 bits, else -1. */
        private long pushValue(int pc, int n) {
            byte[] b = p.bytes;
            long[] limbs = new long[4];
            for (int i = 0; i < n; i++) {
                int bytePos = n - 1 - i; // 0 = least significant byte
                int v = b[pc + 1 + i] & 0xff;
                limbs[bytePos >>> 3] |= (long) v << ((bytePos & 7) * 8);
            }
            if (VIRTUAL) {
                vpush(constant(limbs[0], limbs[1], limbs[2], limbs[3]));
            } else {
                st();
                if (limbs[1] == 0 && limbs[2] == 0 && limbs[3] == 0) {
                    lconst(limbs[0]);
                    c.invokestatic(CD_OPS, "push1", MTD_PUSH1);
                } else {
                    lconst(limbs[0]);
                    lconst(limbs[1]);
                    lconst(limbs[2]);
                    lconst(limbs[3]);
                    c.invokestatic(CD_OPS, "push", MTD_PUSH);
                }
                d += 4;
            }
            boolean small = limbs[1] == 0 && limbs[2] == 0 && limbs[3] == 0 && limbs[0] >= 0 && limbs[0] < Integer.MAX_VALUE;
            return small ? limbs[0] : -1;
        }

        private void jump(int pc, boolean conditional) {
            long target = lastPush;
            boolean dynamic = target < 0;
            if (dynamic) flush();
            if (!dynamic && VIRTUAL) {
                // The destination is the constant on top (the PUSH just before); the condition, if any, below it.
                vpop();
                if (conditional) {
                    Val cv = vpop();
                    loadLimb(cv, 0); loadLimb(cv, 1); c.lor(); loadLimb(cv, 2); c.lor(); loadLimb(cv, 3); c.lor();
                    c.lconst_0().lcmp().istore(L_COND);
                }
                Label fallThrough = c.newLabel();
                if (conditional) {
                    materialize();
                    c.iload(L_COND).ifeq(fallThrough);
                }
                if (!p.code.isJumpdest(target)) {
                    finish(Status.BAD_JUMP, pc);
                } else {
                    materialize();
                    jumpTo(pc, (int) target);
                }
                c.labelBinding(fallThrough);
                reachable = conditional;
                return;
            }
            if (dynamic) {
                c.aload(L_F).aload(L_S);
                spd();
                c.invokestatic(CD_OPS, "jumpDest", MTD_JUMPDEST).istore(L_DEST);
            }
            Label fallThrough = c.newLabel();
            if (conditional) {
                // Both outcomes pop the destination and the condition (the interpreter sets sp first).
                c.aload(L_S);
                spd();
                c.invokestatic(CD_OPS, "cond", MTD_COND);
                d -= 8;
                materialize();
                c.ifeq(fallThrough);
            } else if (dynamic) {
                Label ok = c.newLabel();
                c.iload(L_DEST).ifge(ok);
                finish(Status.BAD_JUMP, pc); // the interpreter halts before popping
                c.labelBinding(ok);
            }
            // Taken.
            if (dynamic) {
                if (conditional) {
                    Label ok = c.newLabel();
                    c.iload(L_DEST).ifge(ok);
                    finish(Status.BAD_JUMP, pc);
                    c.labelBinding(ok);
                } else {
                    d -= 4;
                    materialize();
                }
                abortCheck(pc, true);
                Label away = c.newLabel();
                c.iload(L_DEST);
                iconst(lo);
                c.if_icmplt(away);
                c.iload(L_DEST);
                iconst(hi);
                c.if_icmpge(away);
                c.goto_(dispatchChecked);
                c.labelBinding(away);
                c.aload(L_F).iload(L_DEST).iload(L_SP).lload(L_GAS).invokestatic(CD_OPS, "next", MTD_STATE).ireturn();
            } else if (!p.code.isJumpdest(target)) {
                finish(Status.BAD_JUMP, pc);
            } else {
                if (!conditional) {
                    d -= 4;
                    materialize();
                }
                jumpTo(pc, (int) target);
            }
            c.labelBinding(fallThrough);
            // Condition zero: continue at pc + 1, where the interpreter checks a block. A JUMP never falls through.
            reachable = conditional;
        }

        /** A taken static jump from {@code pc} to the JUMPDEST {@code t}; sp must be materialized. */
        private void jumpTo(int pc, int t) {
            if (t <= pc) abortCheck(pc, false); // a back-edge: where the interpreter checks too
            if (t >= lo && t < hi && bodyLabel[t - lo] != null) {
                check(t);
                c.goto_(bodyLabel[t - lo]);
            } else {
                state("next", t);
                c.ireturn();
            }
        }

        /**
         * On a taken jump at {@code pc}: halt with {@link Status#ABORTED} when the Evm was aborted, as the
         * interpreter does on backward jumps. {@code dynamic}: the target is in DEST, so test at run time that it
         * is backward; a static jump's caller emits this only for a backward one. sp must be materialized.
         */
        private void abortCheck(int pc, boolean dynamic) {
            Label go = c.newLabel();
            if (dynamic) {
                c.iload(L_DEST);
                iconst(pc);
                c.if_icmpgt(go);
            }
            c.aload(L_EVM).getfield(CD_EVM, "aborted", ConstantDescs.CD_boolean).ifeq(go);
            finish(Status.ABORTED, pc);
            c.labelBinding(go);
            reachable = true;
        }

        private void outOfLine(int pc, int op) {
            Label cont = c.newLabel();
            c.aload(L_EVM).aload(L_F).loadConstant(op);
            iconst(pc);
            spd();
            c.lload(L_GAS).invokestatic(CD_OPS, "call", MTD_CALL).dup().loadConstant(Instructions.CONTINUE).if_icmpeq(cont);
            c.ireturn();
            c.labelBinding(cont);
            c.pop();
            c.aload(L_F).getfield(CD_FRAME, "sp", ConstantDescs.CD_int).istore(L_SP);
            c.aload(L_F).getfield(CD_FRAME, "gas", ConstantDescs.CD_long).lstore(L_GAS);
            d = 0;
            boolean halts = op == INVALID || op == SELFDESTRUCT;
            reachable = !halts;
        }
    }

}
