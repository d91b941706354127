package dev.lanes.evm.tx;

/**
 * A well-formed transaction that breaks a validity rule (signature range, chain id, fee relation, intrinsic
 * gas, a type not yet active). Malformed bytes are reported earlier, by
 * {@link Transaction#decode}, as plain {@link IllegalArgumentException}s.
 */
public final class InvalidTransactionException extends RuntimeException {
    public InvalidTransactionException(String message) {
        super(message);
    }
}
