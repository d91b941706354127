package dev.lanes.evm.precompile;

/** 0x04: returns its input. 15 gas plus 3 per word. */
public final class Identity implements Precompile {
    @Override
    public long gasCost(byte[] input) {
        return WordGas.cost(input.length, 15, 3);
    }

    @Override
    public byte[] execute(byte[] input) {
        // A copy, so that the caller's buffer and the returned data can never alias each other.
        return input.clone();
    }
}
