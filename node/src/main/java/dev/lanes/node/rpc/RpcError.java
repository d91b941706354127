package dev.lanes.node.rpc;

/**
 * A JSON-RPC error: the code and message of the error object, and its optional {@code data} (revert data as
 * 0x-hex). All codes are named here, so that the mapping from failure to code is in one place.
 */
public final class RpcError extends RuntimeException {
    public static final int PARSE_ERROR = -32700, INVALID_REQUEST = -32600, METHOD_NOT_FOUND = -32601,
            INVALID_PARAMS = -32602, INTERNAL_ERROR = -32603, SERVER_ERROR = -32000, LIMIT_EXCEEDED = -32005;
    /** geth's code for a call that reverted; {@code data} holds the revert data. */
    public static final int EXECUTION_REVERTED = 3;

    public final int code;
    public final String data;

    public RpcError(int code, String message) {
        this(code, message, null);
    }

    public RpcError(int code, String message, String data) {
        super(message, null, false, false);
        this.code = code;
        this.data = data;
    }

    public static RpcError invalidParams(String message) {
        return new RpcError(INVALID_PARAMS, message);
    }

    public static RpcError server(String message) {
        return new RpcError(SERVER_ERROR, message);
    }
}
