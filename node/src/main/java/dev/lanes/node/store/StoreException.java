package dev.lanes.node.store;

/**
 * The data directory cannot be used: corrupt, written by something else, for another chain, or locked by
 * another process. The message says which and is meant for the operator as is (the command prints it without a
 * stack trace).
 */
public final class StoreException extends RuntimeException {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
