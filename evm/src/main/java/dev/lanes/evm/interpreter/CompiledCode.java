package dev.lanes.evm.interpreter;

/**
 * A contract's code compiled to JVM bytecode by {@link Compiler}: one hidden class per code and gas table,
 * whose chunk methods each cover a contiguous range of the code (a JVM method must stay small for the JIT
 * to compile it). Execution moves between chunks through {@link #run}.
 */
public abstract class CompiledCode {
    /** For each code offset that can start a chunk's execution, the chunk's index; -1 elsewhere. */
    int[] chunkOf;
    /** The run table the code was compiled with (see {@code Compiler.Program.runs}). */
    long[] runs;

    /** Runs chunk {@code k} from {@code pc}; returns a final status, {@link JitOps#BAIL} or {@link JitOps#NEXT}. */
    protected abstract int chunk(int k, Evm evm, Frame f, long[] s, int pc, long[] runs);

    /** Runs the frame from its pc (0) until it halts or bails out to the interpreter ({@link JitOps#BAIL}). */
    final int run(Evm evm, Frame f) {
        long[] s = f.stack;
        int pc = f.pc;
        while (true) {
            int at = pc & ~Compiler.CONT;
            int k = at < chunkOf.length ? chunkOf[at] : -1;
            if (k < 0) {
                f.pc = at; // not an entry of any chunk (cannot happen for offsets the chunks hand over)
                return JitOps.BAIL;
            }
            int st = chunk(k, evm, f, s, pc, runs);
            if (st != JitOps.NEXT) return st;
            pc = f.pc;
        }
    }
}
