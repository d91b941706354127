package dev.lanes.evm.interpreter;

import dev.lanes.evm.Code;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Bytes;
import dev.lanes.primitives.UInt256;
import java.util.Arrays;

/**
 * One call frame's machine state. Frames are pooled per call depth and reused, so the 32 KiB stack and
 * the memory buffer are allocated once per depth per thread. The stack is 1024 words of four longs,
 * least-significant limb first; {@code sp} is the index of the first free long (items x 4).
 */
public final class Frame {
    public static final int STACK_LIMIT = 1024;

    public final long[] stack = new long[STACK_LIMIT * 4];
    public int sp;
    public byte[] mem = new byte[1024];
    /** Active memory size in bytes, always a multiple of 32. */
    public long memSize;
    public long gas;
    public int pc;
    public Code code;
    public Address address;
    public Address caller;
    public Address codeAddress;
    public UInt256 value;
    public byte[] input;
    public boolean isStatic;
    public int depth;
    /**
     * This activation of the frame, unique among the frames one {@link Evm} runs (frames are reused): an add pair's
     * SSTORE counts only in the activation that made its SLOAD ({@link dev.lanes.evm.Host#sstoreAdded}).
     */
    public long activation;
    /** Output of the most recent completed sub-call (RETURNDATASIZE/RETURNDATACOPY). */
    public byte[] returnData = Bytes.EMPTY;
    /** This frame's own output range in memory, set by RETURN/REVERT. */
    public long outOffset, outLength;
    /** Static gas of the basic blocks the interpreter entered unchecked in this frame (the compile policy's measure). */
    long blockGas;
    /**
     * Backward jumps taken in this frame, while it ran without a run table, to one of the last two targets of such jumps
     * ({@code loopA}, {@code loopB}): the loops it is running (see {@link BasicBlocks#whenLooping}).
     */
    int backEdges, loopA, loopB;
    /**
     * Checked execution (no run table): where the last stretch of {@link Interpreter#STAY} instructions that runs checked
     * ends (one unable to pay for itself or to keep within the stack's bounds; past a short one, a further 128 bytes), so
     * that it is not scanned again (see Interpreter.stretchThenChecked).
     */
    int noStretchBelow;
    /** The frame's gas when the interpreter took it over (for {@link BasicBlocks#whenLooping}: the gas spent since). */
    long gasAtStart;

    void reset(Code code, Address address, Address caller, Address codeAddress, UInt256 value, byte[] input,
               long gas, boolean isStatic, int depth) {
        this.code = code;
        this.address = address;
        this.caller = caller;
        this.codeAddress = codeAddress;
        this.value = value;
        this.input = input;
        this.gas = gas;
        this.isStatic = isStatic;
        this.depth = depth;
        this.sp = 0;
        this.pc = 0;
        // The buffer past the active memory is kept zero (so growing it is only bookkeeping): what the last frame at
        // this depth used is zeroed here, in one pass, rather than a word at a time as memory grows.
        if (memSize != 0) Arrays.fill(mem, 0, (int) memSize, (byte) 0);
        this.memSize = 0;
        this.returnData = Bytes.EMPTY;
        this.outOffset = 0;
        this.outLength = 0;
    }

    /** Stack item {@code i} from the top (0 = top) as a value, for tracers. */
    public UInt256 peek(int i) {
        int b = sp - 4 * (i + 1);
        return new UInt256(stack[b], stack[b + 1], stack[b + 2], stack[b + 3]);
    }

    public int stackSize() {
        return sp >> 2;
    }

    byte[] output() {
        if (outLength == 0) return Bytes.EMPTY;
        return Arrays.copyOfRange(mem, (int) outOffset, (int) (outOffset + outLength));
    }

    /**
     * Grows the buffer to hold {@code end} bytes. The newly active range is zero already: the buffer is zero past
     * {@link #memSize} (see {@link #reset}; a grown copy is zero past the old length).
     */
    void ensureCapacity(long end) {
        int e = (int) end;
        // Grow geometrically, so a memory that expands a word at a time is copied O(log n) times.
        if (e > mem.length) mem = Arrays.copyOf(mem, (int) Math.max(e, Math.min(Integer.MAX_VALUE - 64, 2L * mem.length)));
    }
}
