package dev.lanes.evm.precompile;

/** The "base + per 32-byte word" pricing shared by the hash and copy precompiles. */
final class WordGas {
    private WordGas() {}

    /** {@code base + perWord * ceil(length / 32)}; cannot overflow for any array length. */
    static long cost(int length, long base, long perWord) {
        long words = (length + 31L) >>> 5;
        return base + perWord * words;
    }
}
