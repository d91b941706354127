package dev.lanes.evm;

import dev.lanes.primitives.Address;

/** The outcome of a message: {@link Status} code, gas left, output (return or revert data), created address. */
public record CallResult(int status, long gasLeft, byte[] output, Address created) {
    public boolean success() {
        return status == Status.SUCCESS;
    }
}
