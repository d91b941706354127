package dev.lanes.evm;

/** How a call frame ended. Everything from {@link #OUT_OF_GAS} on is an exceptional halt: all gas is lost. */
public final class Status {
    private Status() {}

    public static final int SUCCESS = 0;
    public static final int REVERT = 1;
    public static final int OUT_OF_GAS = 2;
    public static final int INVALID_OPCODE = 3;
    public static final int STACK_UNDERFLOW = 4;
    public static final int STACK_OVERFLOW = 5;
    public static final int BAD_JUMP = 6;
    public static final int STATIC_VIOLATION = 7;
    public static final int RETURNDATA_OUT_OF_BOUNDS = 8;
    public static final int CREATE_COLLISION = 9;
    public static final int CODE_TOO_LARGE = 10;
    public static final int INVALID_CODE_PREFIX = 11;
    public static final int PRECOMPILE_FAILURE = 12;
    /** Soft failures that do not consume gas: call depth exceeded, insufficient balance, nonce overflow. */
    public static final int CALL_DEPTH = 13;
    public static final int INSUFFICIENT_BALANCE = 14;
    public static final int NONCE_OVERFLOW = 15;
    /**
     * Execution stopped from outside ({@code Evm.abort()}: an RPC call's time cap), not by the EVM's rules. An
     * exceptional halt like the others (all gas lost); its result means nothing and is thrown away by whoever
     * aborted it. Block execution never aborts.
     */
    public static final int ABORTED = 16;

    public static boolean isExceptional(int status) {
        return status >= OUT_OF_GAS && status <= PRECOMPILE_FAILURE || status == ABORTED;
    }

    public static String name(int status) {
        return switch (status) {
            case SUCCESS -> "success";
            case REVERT -> "reverted";
            case OUT_OF_GAS -> "out of gas";
            case INVALID_OPCODE -> "invalid opcode";
            case STACK_UNDERFLOW -> "stack underflow";
            case STACK_OVERFLOW -> "stack overflow";
            case BAD_JUMP -> "invalid jump destination";
            case STATIC_VIOLATION -> "state change in static call";
            case RETURNDATA_OUT_OF_BOUNDS -> "return data out of bounds";
            case CREATE_COLLISION -> "contract address collision";
            case CODE_TOO_LARGE -> "max code size exceeded";
            case INVALID_CODE_PREFIX -> "invalid code: must not begin with 0xef";
            case PRECOMPILE_FAILURE -> "precompile failed";
            case CALL_DEPTH -> "max call depth exceeded";
            case INSUFFICIENT_BALANCE -> "insufficient balance for transfer";
            case NONCE_OVERFLOW -> "nonce overflow";
            case ABORTED -> "execution aborted";
            default -> "status " + status;
        };
    }
}
