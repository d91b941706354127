package dev.lanes.evm.interpreter;

import dev.lanes.evm.Status;
import dev.lanes.primitives.Bytes;

/**
 * The bodies of the inline instructions, shared by the {@link Interpreter}'s switch and code compiled by
 * {@link Compiler}, so both execute the same code. Each is a small static method that C2 inlines into the
 * interpreter loop and into compiled blocks. {@code t} is always the index of the first free stack long at
 * the instruction, that is the interpreter's {@code sp}.
 */
final class JitOps {
    private JitOps() {}

    /** Returned by compiled code when the interpreter must carry on from the frame's pc, sp and gas. */
    static final int BAIL = -100;
    /** Returned by a compiled chunk when execution continues in another chunk at the frame's pc. */
    static final int NEXT = -101;

    /** The block check at a dynamic entry: gas left after the run's static gas, or -1 to hand over. */
    static long enter(long[] runs, int pc, int sp, long gas) {
        long r = runs[pc];
        long g = gas - (r & ((1L << 40) - 1));
        int need = (int) ((r >>> 40) & 0xfff) << 2;
        int grow = (int) ((r >>> 52) & 0x7ff) << 2;
        return (g | r | (sp - need) | (Frame.STACK_LIMIT * 4 - grow - sp)) < 0 ? -1 : g;
    }

    static int unreachable(int pc) {
        throw new IllegalStateException("compiled code dispatched to offset " + pc + ", which it has no label for");
    }

    static int finish(Frame f, int status, int pc, int sp, long gas) {
        f.pc = pc;
        f.sp = sp;
        f.gas = Status.isExceptional(status) ? 0 : gas;
        return status;
    }

    static int bail(Frame f, int pc, int sp, long gas) {
        f.pc = pc;
        f.sp = sp;
        f.gas = gas;
        return BAIL;
    }

    static int next(Frame f, int pc, int sp, long gas) {
        f.pc = pc;
        f.sp = sp;
        f.gas = gas;
        return NEXT;
    }

    static void push(long[] s, int t, long v0, long v1, long v2, long v3) {
        s[t] = v0;
        s[t + 1] = v1;
        s[t + 2] = v2;
        s[t + 3] = v3;
    }

    static void push1(long[] s, int t, long v) {
        s[t] = v;
        s[t + 1] = 0;
        s[t + 2] = 0;
        s[t + 3] = 0;
    }

    /** DUPn: {@code back} = n * 4. */
    static void dup(long[] s, int t, int back) {
        int src = t - back;
        s[t] = s[src];
        s[t + 1] = s[src + 1];
        s[t + 2] = s[src + 2];
        s[t + 3] = s[src + 3];
    }

    /** SWAPn: {@code back} = (n + 1) * 4. */
    static void swap(long[] s, int t, int back) {
        int a = t - 4, b = t - back;
        long t0 = s[a], t1 = s[a + 1], t2 = s[a + 2], t3 = s[a + 3];
        s[a] = s[b];
        s[a + 1] = s[b + 1];
        s[a + 2] = s[b + 2];
        s[a + 3] = s[b + 3];
        s[b] = t0;
        s[b + 1] = t1;
        s[b + 2] = t2;
        s[b + 3] = t3;
    }

    static void add(long[] s, int t) { Arith.add(s, t - 4, t - 8); }
    static void mul(long[] s, int t) { Arith.mul(s, t - 4, t - 8); }
    static void sub(long[] s, int t) { Arith.sub(s, t - 4, t - 8); }
    static void div(Evm evm, long[] s, int t) { evm.div.div(s, t - 4, t - 8); }
    static void sdiv(Evm evm, long[] s, int t) { evm.div.sdiv(s, t - 4, t - 8); }
    static void mod(Evm evm, long[] s, int t) { evm.div.mod(s, t - 4, t - 8); }
    static void smod(Evm evm, long[] s, int t) { evm.div.smod(s, t - 4, t - 8); }
    static void addmod(Evm evm, long[] s, int t) { evm.div.addmod(s, t - 4, t - 8, t - 12); }
    static void mulmod(Evm evm, long[] s, int t) { evm.div.mulmod(s, t - 4, t - 8, t - 12); }
    static void signextend(long[] s, int t) { Arith.signextend(s, t - 4, t - 8); }
    static void lt(long[] s, int t) { setBool(s, t - 8, Arith.lt(s, t - 4, t - 8)); }
    static void gt(long[] s, int t) { setBool(s, t - 8, Arith.lt(s, t - 8, t - 4)); }
    static void slt(long[] s, int t) { setBool(s, t - 8, Arith.slt(s, t - 4, t - 8)); }
    static void sgt(long[] s, int t) { setBool(s, t - 8, Arith.slt(s, t - 8, t - 4)); }
    static void eq(long[] s, int t) { setBool(s, t - 8, Arith.eq(s, t - 4, t - 8)); }
    static void byteOp(long[] s, int t) { Arith.byteOp(s, t - 4, t - 8); }
    static void shl(long[] s, int t) { Arith.shl(s, t - 4, t - 8); }
    static void shr(long[] s, int t) { Arith.shr(s, t - 4, t - 8); }
    static void sar(long[] s, int t) { Arith.sar(s, t - 4, t - 8); }
    static void clz(long[] s, int t) { Instructions.clz(s, t - 4); }

    static void iszero(long[] s, int t) {
        int a = t - 4;
        setBool(s, a, (s[a] | s[a + 1] | s[a + 2] | s[a + 3]) == 0);
    }

    static void and(long[] s, int t) { Arith.and(s, t - 4, t - 8); }

    static void or(long[] s, int t) { Arith.or(s, t - 4, t - 8); }

    static void xor(long[] s, int t) { Arith.xor(s, t - 4, t - 8); }

    static void not(long[] s, int t) {
        int a = t - 4;
        s[a] = ~s[a]; s[a + 1] = ~s[a + 1]; s[a + 2] = ~s[a + 2]; s[a + 3] = ~s[a + 3];
    }

    /** EXP's dynamic gas; the caller halts with out-of-gas when the result is negative. */
    static long expGas(Evm evm, long[] s, int t, long gas) {
        return gas - Instructions.expCost(s, t - 8, evm.rules.expByteGas);
    }

    static void exp(long[] s, int t) { Arith.exp(s, t - 4, t - 8); }

    /** EXP's dynamic gas for an exponent of {@code bytes} bytes known at compile time: the gas left (negative: out of gas). */
    static long expGasBytes(Evm evm, int bytes, long gas) {
        return gas - (long) evm.rules.expByteGas * bytes;
    }

    /** MLOAD: gas left, or -1 for out of gas. */
    static long mload(Frame f, long[] s, int t, long gas) {
        int a = t - 4;
        long off = s[a];
        if ((s[a + 1] | s[a + 2] | s[a + 3]) != 0 || off < 0 || off > Instructions.MAX_MEM) return -1;
        if (off + 32 > f.memSize) {
            gas = Instructions.expand(f, gas, off + 32);
            if (gas < 0) return -1;
        }
        byte[] m = f.mem;
        int o = (int) off;
        s[a + 3] = Bytes.getLong(m, o);
        s[a + 2] = Bytes.getLong(m, o + 8);
        s[a + 1] = Bytes.getLong(m, o + 16);
        s[a] = Bytes.getLong(m, o + 24);
        return gas;
    }

    static long mstore(Frame f, long[] s, int t, long gas) {
        int a = t - 4;
        long off = s[a];
        if ((s[a + 1] | s[a + 2] | s[a + 3]) != 0 || off < 0 || off > Instructions.MAX_MEM) return -1;
        if (off + 32 > f.memSize) {
            gas = Instructions.expand(f, gas, off + 32);
            if (gas < 0) return -1;
        }
        byte[] m = f.mem;
        int o = (int) off;
        int v = t - 8;
        Bytes.putLong(m, o, s[v + 3]);
        Bytes.putLong(m, o + 8, s[v + 2]);
        Bytes.putLong(m, o + 16, s[v + 1]);
        Bytes.putLong(m, o + 24, s[v]);
        return gas;
    }

    static long mstore8(Frame f, long[] s, int t, long gas) {
        int a = t - 4;
        long off = s[a];
        if ((s[a + 1] | s[a + 2] | s[a + 3]) != 0 || off < 0 || off > Instructions.MAX_MEM) return -1;
        if (off + 1 > f.memSize) {
            gas = Instructions.expand(f, gas, off + 1);
            if (gas < 0) return -1;
        }
        f.mem[(int) off] = (byte) s[t - 8];
        return gas;
    }

    // The memory instructions on operands the compiled code holds in locals (Compiler's virtual stack): the offset's
    // low limb and the OR of its three high limbs; gas left, or -1 for out of gas, as above.

    /** MLOAD: the word goes to {@code s[t - 4 .. t)} (the result's slot). */
    static long mloadV(Frame f, long[] s, int t, long gas, long off, long offHigh) {
        if (offHigh != 0 || off < 0 || off > Instructions.MAX_MEM) return -1;
        if (off + 32 > f.memSize) {
            gas = Instructions.expand(f, gas, off + 32);
            if (gas < 0) return -1;
        }
        byte[] m = f.mem;
        int o = (int) off, a = t - 4;
        s[a + 3] = Bytes.getLong(m, o);
        s[a + 2] = Bytes.getLong(m, o + 8);
        s[a + 1] = Bytes.getLong(m, o + 16);
        s[a] = Bytes.getLong(m, o + 24);
        return gas;
    }

    static long mstoreV(Frame f, long gas, long off, long offHigh, long v0, long v1, long v2, long v3) {
        if (offHigh != 0 || off < 0 || off > Instructions.MAX_MEM) return -1;
        if (off + 32 > f.memSize) {
            gas = Instructions.expand(f, gas, off + 32);
            if (gas < 0) return -1;
        }
        byte[] m = f.mem;
        int o = (int) off;
        Bytes.putLong(m, o, v3);
        Bytes.putLong(m, o + 8, v2);
        Bytes.putLong(m, o + 16, v1);
        Bytes.putLong(m, o + 24, v0);
        return gas;
    }

    static long mstore8V(Frame f, long gas, long off, long offHigh, long v0) {
        if (offHigh != 0 || off < 0 || off > Instructions.MAX_MEM) return -1;
        if (off + 1 > f.memSize) {
            gas = Instructions.expand(f, gas, off + 1);
            if (gas < 0) return -1;
        }
        f.mem[(int) off] = (byte) v0;
        return gas;
    }

    static void msize(Frame f, long[] s, int t) { push1(s, t, f.memSize); }

    /** The destination of a JUMP or JUMPI whose target is on the stack at {@code t - 4}; -1 when invalid. */
    static int jumpDest(Frame f, long[] s, int t) {
        int a = t - 4;
        if ((s[a + 1] | s[a + 2] | s[a + 3]) != 0 || !f.code.isJumpdest(s[a])) return -1;
        return (int) s[a];
    }

    /** JUMPI's condition (at {@code t - 8}) is non-zero. */
    static boolean cond(long[] s, int t) {
        int c = t - 8;
        return (s[c] | s[c + 1] | s[c + 2] | s[c + 3]) != 0;
    }

    /** RETURN / REVERT at {@code pc}: the frame's final status, the frame finished as the interpreter does. */
    static int ret(Frame f, int pc, int sp, long gas, boolean revert) {
        f.sp = sp;
        f.gas = gas;
        gas = Instructions.setOutput(f, gas);
        int status = gas < 0 ? Status.OUT_OF_GAS : revert ? Status.REVERT : Status.SUCCESS;
        return finish(f, status, pc, sp, gas);
    }

    /**
     * An out-of-line instruction at {@code pc}: CONTINUE with the frame's sp and gas updated (the caller
     * reloads them), or the frame's final status, finished as the interpreter does.
     */
    static int call(Evm evm, Frame f, int op, int pc, int sp, long gas) {
        f.pc = pc;
        f.sp = sp;
        f.gas = gas;
        int st = Instructions.execute(evm, f, op);
        if (st != Instructions.CONTINUE) return finish(f, st, pc, sp, f.gas);
        return st;
    }

    // Comparisons on values the compiled code holds in locals (see Compiler's virtual stack): 1 or 0.

    static long isZero(long a0, long a1, long a2, long a3) {
        return (a0 | a1 | a2 | a3) == 0 ? 1 : 0;
    }

    static long eqv(long a0, long a1, long a2, long a3, long b0, long b1, long b2, long b3) {
        return ((a0 ^ b0) | (a1 ^ b1) | (a2 ^ b2) | (a3 ^ b3)) == 0 ? 1 : 0;
    }

    /** Unsigned a < b. */
    static long ltv(long a0, long a1, long a2, long a3, long b0, long b1, long b2, long b3) {
        if (a3 != b3) return Long.compareUnsigned(a3, b3) < 0 ? 1 : 0;
        if (a2 != b2) return Long.compareUnsigned(a2, b2) < 0 ? 1 : 0;
        if (a1 != b1) return Long.compareUnsigned(a1, b1) < 0 ? 1 : 0;
        return Long.compareUnsigned(a0, b0) < 0 ? 1 : 0;
    }

    static void setBool(long[] s, int t, boolean v) {
        s[t] = v ? 1 : 0;
        s[t + 1] = 0;
        s[t + 2] = 0;
        s[t + 3] = 0;
    }
}
