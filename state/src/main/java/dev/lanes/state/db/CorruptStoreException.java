package dev.lanes.state.db;

/** The store's files do not hold what they should (damaged, truncated, or not a LanesDB directory). */
public final class CorruptStoreException extends RuntimeException {
    public CorruptStoreException(String message) {
        super(message);
    }

    public CorruptStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
