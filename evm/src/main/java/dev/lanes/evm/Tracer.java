package dev.lanes.evm;

import dev.lanes.evm.interpreter.Frame;

/**
 * Execution hooks. The interpreter calls {@link #step} before each instruction when a tracer is set
 * (the check costs one predictable branch per instruction when none is). EIP-3155 traces, the runtime
 * guard and contention reports are all tracers.
 */
public interface Tracer {
    /** Before executing {@code op} at {@code pc}; {@code gas} is the gas left before its static cost. */
    void step(Frame frame, int pc, int op, long gas, int depth, long refund);

    /** A call frame finished. */
    default void frameEnd(Frame frame, int status, long gasLeft, byte[] output) {}
}
