package dev.lanes.evm.tx;

import dev.lanes.evm.Fork;

/**
 * The gas a transaction pays before its first instruction runs (Yellow Paper, section 6.2, g0), which its
 * gas limit must cover for the transaction to be valid.
 */
public final class IntrinsicGas {
    static final long TX_BASE = 21_000;
    /** EIP-2 (Homestead): a contract creation pays 32,000 on top of the base, 53,000 in all. */
    static final long TX_CREATE = 32_000;
    static final long DATA_ZERO_BYTE = 4;
    static final long DATA_NONZERO_BYTE_FRONTIER = 68;
    /** EIP-2028 (Istanbul): cheaper non-zero calldata, for layer-2 data availability. */
    static final long DATA_NONZERO_BYTE_ISTANBUL = 16;
    /** EIP-2930 (Berlin): pre-paid warm accounts and slots. */
    static final long ACCESS_LIST_ADDRESS = 2_400;
    static final long ACCESS_LIST_STORAGE_KEY = 1_900;
    /** EIP-3860 (Shanghai): init code pays for the jumpdest analysis of each 32-byte word. */
    static final long INITCODE_WORD = 2;
    /** EIP-7702 (Prague): each authorization is charged as if it created an account; existing ones are refunded. */
    public static final long PER_EMPTY_ACCOUNT_COST = 25_000;
    public static final long PER_AUTH_BASE_COST = 12_500;
    /** EIP-7623 (Prague): calldata floor, per token (a zero byte is 1 token, a non-zero byte 4). */
    static final long FLOOR_PER_TOKEN = 10;
    static final long TOKENS_PER_NONZERO_BYTE = 4;

    private IntrinsicGas() {}

    public static long of(Transaction tx, Fork fork) {
        byte[] data = tx.unsafeData();
        long zeros = zeroBytes(data);
        long nonzeros = data.length - zeros;
        long gas = TX_BASE;
        gas += zeros * DATA_ZERO_BYTE;
        gas += nonzeros * (fork.isEnabled(Fork.ISTANBUL) ? DATA_NONZERO_BYTE_ISTANBUL : DATA_NONZERO_BYTE_FRONTIER);
        if (tx.isCreate()) {
            if (fork.isEnabled(Fork.HOMESTEAD)) gas += TX_CREATE;
            if (fork.isEnabled(Fork.SHANGHAI)) gas += INITCODE_WORD * ((data.length + 31L) / 32);
        }
        for (AccessListEntry e : tx.accessList()) {
            gas += ACCESS_LIST_ADDRESS + ACCESS_LIST_STORAGE_KEY * e.storageKeys().size();
        }
        gas += PER_EMPTY_ACCOUNT_COST * tx.authorizationList().size();
        return gas;
    }

    /**
     * EIP-7623's floor: from Prague a transaction must pay at least 21,000 plus 10 per calldata token however
     * little it executes, so its gas limit must also cover this. Zero before Prague.
     */
    public static long floorOf(Transaction tx, Fork fork) {
        if (!fork.isEnabled(Fork.PRAGUE)) return 0;
        byte[] data = tx.unsafeData();
        long zeros = zeroBytes(data);
        long tokens = zeros + (data.length - zeros) * TOKENS_PER_NONZERO_BYTE;
        return TX_BASE + FLOOR_PER_TOKEN * tokens;
    }

    private static long zeroBytes(byte[] data) {
        long n = 0;
        for (byte b : data) if (b == 0) n++;
        return n;
    }
}
