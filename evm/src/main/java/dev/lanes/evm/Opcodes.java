package dev.lanes.evm;

/** Opcode numbers and mnemonics (Yellow Paper appendix H, plus later EIPs). */
public final class Opcodes {
    private Opcodes() {}

    public static final int STOP = 0x00, ADD = 0x01, MUL = 0x02, SUB = 0x03, DIV = 0x04, SDIV = 0x05, MOD = 0x06,
            SMOD = 0x07, ADDMOD = 0x08, MULMOD = 0x09, EXP = 0x0a, SIGNEXTEND = 0x0b;
    public static final int LT = 0x10, GT = 0x11, SLT = 0x12, SGT = 0x13, EQ = 0x14, ISZERO = 0x15, AND = 0x16,
            OR = 0x17, XOR = 0x18, NOT = 0x19, BYTE = 0x1a, SHL = 0x1b, SHR = 0x1c, SAR = 0x1d, CLZ = 0x1e;
    public static final int KECCAK256 = 0x20;
    public static final int ADDRESS = 0x30, BALANCE = 0x31, ORIGIN = 0x32, CALLER = 0x33, CALLVALUE = 0x34,
            CALLDATALOAD = 0x35, CALLDATASIZE = 0x36, CALLDATACOPY = 0x37, CODESIZE = 0x38, CODECOPY = 0x39,
            GASPRICE = 0x3a, EXTCODESIZE = 0x3b, EXTCODECOPY = 0x3c, RETURNDATASIZE = 0x3d, RETURNDATACOPY = 0x3e,
            EXTCODEHASH = 0x3f;
    public static final int BLOCKHASH = 0x40, COINBASE = 0x41, TIMESTAMP = 0x42, NUMBER = 0x43, PREVRANDAO = 0x44,
            GASLIMIT = 0x45, CHAINID = 0x46, SELFBALANCE = 0x47, BASEFEE = 0x48, BLOBHASH = 0x49, BLOBBASEFEE = 0x4a;
    public static final int POP = 0x50, MLOAD = 0x51, MSTORE = 0x52, MSTORE8 = 0x53, SLOAD = 0x54, SSTORE = 0x55,
            JUMP = 0x56, JUMPI = 0x57, PC = 0x58, MSIZE = 0x59, GAS = 0x5a, JUMPDEST = 0x5b, TLOAD = 0x5c,
            TSTORE = 0x5d, MCOPY = 0x5e, PUSH0 = 0x5f, PUSH1 = 0x60, PUSH2 = 0x61, PUSH32 = 0x7f, DUP1 = 0x80, DUP16 = 0x8f,
            SWAP1 = 0x90, SWAP16 = 0x9f, LOG0 = 0xa0, LOG4 = 0xa4;
    public static final int CREATE = 0xf0, CALL = 0xf1, CALLCODE = 0xf2, RETURN = 0xf3, DELEGATECALL = 0xf4,
            CREATE2 = 0xf5, STATICCALL = 0xfa, REVERT = 0xfd, INVALID = 0xfe, SELFDESTRUCT = 0xff;

    private static final String[] NAMES = new String[256];
    /** Stack items each opcode takes and leaves (0 and 0 for bytes no fork defines). */
    private static final byte[] IN = new byte[256], OUT = new byte[256];

    static {
        int[][] defs = {
            {ADD, 2, 1}, {MUL, 2, 1}, {SUB, 2, 1}, {DIV, 2, 1}, {SDIV, 2, 1}, {MOD, 2, 1}, {SMOD, 2, 1},
            {ADDMOD, 3, 1}, {MULMOD, 3, 1}, {EXP, 2, 1}, {SIGNEXTEND, 2, 1},
            {LT, 2, 1}, {GT, 2, 1}, {SLT, 2, 1}, {SGT, 2, 1}, {EQ, 2, 1}, {ISZERO, 1, 1}, {AND, 2, 1}, {OR, 2, 1},
            {XOR, 2, 1}, {NOT, 1, 1}, {BYTE, 2, 1}, {SHL, 2, 1}, {SHR, 2, 1}, {SAR, 2, 1}, {CLZ, 1, 1},
            {KECCAK256, 2, 1},
            {ADDRESS, 0, 1}, {BALANCE, 1, 1}, {ORIGIN, 0, 1}, {CALLER, 0, 1}, {CALLVALUE, 0, 1}, {CALLDATALOAD, 1, 1},
            {CALLDATASIZE, 0, 1}, {CALLDATACOPY, 3, 0}, {CODESIZE, 0, 1}, {CODECOPY, 3, 0}, {GASPRICE, 0, 1},
            {EXTCODESIZE, 1, 1}, {EXTCODECOPY, 4, 0}, {RETURNDATASIZE, 0, 1}, {RETURNDATACOPY, 3, 0}, {EXTCODEHASH, 1, 1},
            {BLOCKHASH, 1, 1}, {COINBASE, 0, 1}, {TIMESTAMP, 0, 1}, {NUMBER, 0, 1}, {PREVRANDAO, 0, 1}, {GASLIMIT, 0, 1},
            {CHAINID, 0, 1}, {SELFBALANCE, 0, 1}, {BASEFEE, 0, 1}, {BLOBHASH, 1, 1}, {BLOBBASEFEE, 0, 1},
            {POP, 1, 0}, {MLOAD, 1, 1}, {MSTORE, 2, 0}, {MSTORE8, 2, 0}, {SLOAD, 1, 1}, {SSTORE, 2, 0}, {JUMP, 1, 0},
            {JUMPI, 2, 0}, {PC, 0, 1}, {MSIZE, 0, 1}, {GAS, 0, 1}, {TLOAD, 1, 1}, {TSTORE, 2, 0},
            {MCOPY, 3, 0}, {PUSH0, 0, 1},
            {CREATE, 3, 1}, {CALL, 7, 1}, {CALLCODE, 7, 1}, {RETURN, 2, 0}, {DELEGATECALL, 6, 1}, {CREATE2, 4, 1},
            {STATICCALL, 6, 1}, {REVERT, 2, 0}, {SELFDESTRUCT, 1, 0},
        };
        for (int[] d : defs) {
            IN[d[0]] = (byte) d[1];
            OUT[d[0]] = (byte) d[2];
        }
        for (int op = PUSH1; op <= PUSH32; op++) OUT[op] = 1;
        for (int n = 1; n <= 16; n++) {
            IN[DUP1 + n - 1] = (byte) n;
            OUT[DUP1 + n - 1] = (byte) (n + 1);
            IN[SWAP1 + n - 1] = (byte) (n + 1);
            OUT[SWAP1 + n - 1] = (byte) (n + 1);
        }
        for (int n = 0; n <= 4; n++) IN[LOG0 + n] = (byte) (n + 2);
    }

    /** Stack items {@code op} needs (DUPn: n, SWAPn: n + 1). */
    public static int stackIn(int op) {
        return IN[op & 0xff];
    }

    /** Stack items {@code op} leaves in place of those it needs (DUPn: n + 1, SWAPn: n + 1). */
    public static int stackOut(int op) {
        return OUT[op & 0xff];
    }

    /** Whether some fork defines {@code op} (others are INVALID everywhere). */
    public static boolean defined(int op) {
        return NAMES[op & 0xff] != null;
    }

    static {
        String[] base = {"STOP", "ADD", "MUL", "SUB", "DIV", "SDIV", "MOD", "SMOD", "ADDMOD", "MULMOD", "EXP", "SIGNEXTEND"};
        for (int i = 0; i < base.length; i++) NAMES[i] = base[i];
        String[] cmp = {"LT", "GT", "SLT", "SGT", "EQ", "ISZERO", "AND", "OR", "XOR", "NOT", "BYTE", "SHL", "SHR", "SAR", "CLZ"};
        for (int i = 0; i < cmp.length; i++) NAMES[0x10 + i] = cmp[i];
        NAMES[0x20] = "KECCAK256";
        String[] env = {"ADDRESS", "BALANCE", "ORIGIN", "CALLER", "CALLVALUE", "CALLDATALOAD", "CALLDATASIZE", "CALLDATACOPY",
            "CODESIZE", "CODECOPY", "GASPRICE", "EXTCODESIZE", "EXTCODECOPY", "RETURNDATASIZE", "RETURNDATACOPY", "EXTCODEHASH"};
        for (int i = 0; i < env.length; i++) NAMES[0x30 + i] = env[i];
        String[] blk = {"BLOCKHASH", "COINBASE", "TIMESTAMP", "NUMBER", "PREVRANDAO", "GASLIMIT", "CHAINID", "SELFBALANCE",
            "BASEFEE", "BLOBHASH", "BLOBBASEFEE"};
        for (int i = 0; i < blk.length; i++) NAMES[0x40 + i] = blk[i];
        String[] st = {"POP", "MLOAD", "MSTORE", "MSTORE8", "SLOAD", "SSTORE", "JUMP", "JUMPI", "PC", "MSIZE", "GAS", "JUMPDEST",
            "TLOAD", "TSTORE", "MCOPY", "PUSH0"};
        for (int i = 0; i < st.length; i++) NAMES[0x50 + i] = st[i];
        for (int i = 1; i <= 32; i++) NAMES[0x5f + i] = "PUSH" + i;
        for (int i = 1; i <= 16; i++) NAMES[0x7f + i] = "DUP" + i;
        for (int i = 1; i <= 16; i++) NAMES[0x8f + i] = "SWAP" + i;
        for (int i = 0; i <= 4; i++) NAMES[0xa0 + i] = "LOG" + i;
        NAMES[0xf0] = "CREATE"; NAMES[0xf1] = "CALL"; NAMES[0xf2] = "CALLCODE"; NAMES[0xf3] = "RETURN";
        NAMES[0xf4] = "DELEGATECALL"; NAMES[0xf5] = "CREATE2"; NAMES[0xfa] = "STATICCALL"; NAMES[0xfd] = "REVERT";
        NAMES[0xfe] = "INVALID"; NAMES[0xff] = "SELFDESTRUCT";
    }

    public static String name(int op) {
        String n = NAMES[op & 0xff];
        return n != null ? n : String.format("0x%02x", op & 0xff);
    }
}
