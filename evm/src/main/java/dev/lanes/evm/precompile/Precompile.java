package dev.lanes.evm.precompile;

/**
 * A precompiled contract. Implementations are stateless and thread-safe; fork-dependent pricing is a
 * constructor parameter, so each fork's table holds its own instances.
 */
public interface Precompile {
    /** Gas this input costs; {@code Long.MAX_VALUE} when it exceeds any possible limit. */
    long gasCost(byte[] input);

    /**
     * Runs the contract. Returns the output, or {@code null} when the input is invalid: the call then
     * fails and consumes all gas given to it. Never throws on malformed input.
     */
    byte[] execute(byte[] input);
}
