package dev.lanes.evm;

import dev.lanes.evm.interpreter.Frame;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.UInt256;

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

    /**
     * A message starts: {@code kind} is the opcode that made it (CALL, CALLCODE, DELEGATECALL, STATICCALL,
     * CREATE, CREATE2; the transaction's own message is CALL or CREATE), {@code depth} 0 for the transaction's.
     * Unlike {@link #frameEnd} it is called for every message, also those that run no code (transfers,
     * precompiles) and those refused before running (depth, balance), so a call tracer sees the whole tree.
     */
    default void enter(int kind, Address from, Address to, UInt256 value, byte[] input, long gas, int depth) {}

    /** The message {@link #enter} announced ended: its status, gas left, and output (revert data on REVERT). */
    default void exit(int status, long gasLeft, byte[] output) {}
}
