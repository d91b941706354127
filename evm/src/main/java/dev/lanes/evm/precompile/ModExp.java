package dev.lanes.evm.precompile;

import java.math.BigInteger;

/**
 * 0x05 MODEXP (EIP-198): {@code BASE ** EXPONENT % MODULUS} on arbitrary-length unsigned big-endian integers.
 *
 * <p>Input is {@code <len(BASE)> <len(EXPONENT)> <len(MODULUS)> <BASE> <EXPONENT> <MODULUS>}, each length a
 * 32-byte word. Input is read as if right-padded with infinitely many zero bytes, and bytes past the modulus are
 * ignored. The output is exactly {@code len(MODULUS)} bytes; a zero modulus gives all zeros.
 *
 * <p>The lengths are 256-bit numbers chosen by the caller, so nothing here trusts them: gas arithmetic saturates
 * at {@link Long#MAX_VALUE} (no gas limit comes near 2<sup>63</sup>), and no buffer is sized from a length before
 * the length is known to be payable.
 */
public final class ModExp implements Precompile {

    /** The pricing (and, from Osaka, the input bounds) in force. */
    public enum Rules {
        /** EIP-198: Karatsuba-shaped complexity on bytes, divided by GQUADDIVISOR = 20, no minimum. */
        BYZANTIUM,
        /** EIP-2565: complexity ceil(maxLen / 8)^2 on 64-bit limbs, divided by 3, at least 200. */
        BERLIN,
        /**
         * EIP-7883: complexity 16 up to 32 bytes then 2 * ceil(maxLen / 8)^2, no divisor, exponent bytes past 32
         * count 16 iterations each, at least 500; and EIP-7823: every length above 1024 bytes is invalid.
         */
        OSAKA
    }

    private static final int HEADER = 96;
    private static final byte[] EMPTY = new byte[0];
    /** EIP-7823's bound on each of the three lengths. */
    private static final long OSAKA_MAX_LENGTH = 1024;
    /**
     * Before Osaka nothing bounds the lengths but gas. An operand this long costs at least 0.4 gas per exponent
     * byte under the cheapest rules (Byzantium: 8 iterations per byte over 32, divided by 20), about 1.07e8 gas
     * here, and vastly more as a base or modulus; that is beyond every gas limit under which those rules
     * applied. Refusing such lengths outright keeps BigInteger within its 2^31-bit limit and the heap sane.
     */
    private static final long MAX_OPERAND_BYTES = 1L << 28;

    private final Rules rules;

    public ModExp(Rules rules) {
        this.rules = rules;
    }

    public Rules rules() {
        return rules;
    }

    @Override
    public long gasCost(byte[] input) {
        long baseLen = length(input, 0);
        long expLen = length(input, 32);
        long modLen = length(input, 64);
        long maxLen = Math.max(baseLen, modLen);
        int expHeadBits = exponentHeadBitLength(input, baseLen, expLen);
        return switch (rules) {
            case BYZANTIUM -> {
                long complexity = byzantiumComplexity(maxLen);
                long iterations = iterationCount(expLen, expHeadBits, 8);
                yield complexity == 0 ? 0 : saturatedDiv(saturatedMul(complexity, iterations), 20);
            }
            case BERLIN -> {
                long words = ceilWords(maxLen);
                long complexity = saturatedMul(words, words);
                long iterations = iterationCount(expLen, expHeadBits, 8);
                yield Math.max(200, saturatedDiv(saturatedMul(complexity, iterations), 3));
            }
            case OSAKA -> {
                long words = ceilWords(maxLen);
                long complexity = maxLen <= 32 ? 16 : saturatedMul(2, saturatedMul(words, words));
                long iterations = iterationCount(expLen, expHeadBits, 16);
                yield Math.max(500, saturatedMul(complexity, iterations));
            }
        };
    }

    @Override
    public byte[] execute(byte[] input) {
        long baseLen = length(input, 0);
        long expLen = length(input, 32);
        long modLen = length(input, 64);
        if (rules == Rules.OSAKA
                && (baseLen > OSAKA_MAX_LENGTH || expLen > OSAKA_MAX_LENGTH || modLen > OSAKA_MAX_LENGTH)) {
            return null;
        }
        // The output is modLen bytes whatever the operands, so an empty modulus needs none of them read.
        if (modLen == 0) return EMPTY;
        if (baseLen > MAX_OPERAND_BYTES || expLen > MAX_OPERAND_BYTES || modLen > MAX_OPERAND_BYTES) return null;

        BigInteger mod = operand(input, HEADER + baseLen + expLen, modLen);
        byte[] out = new byte[(int) modLen];
        // x mod 0 is undefined; EIP-198 clients agree on an all-zero result.
        if (mod.signum() == 0) return out;
        BigInteger base = operand(input, HEADER, baseLen);
        BigInteger exp = operand(input, HEADER + baseLen, expLen);
        // modPow handles even moduli and 0^0 = 1 (reduced mod m) as the other clients do.
        byte[] result = base.modPow(exp, mod).toByteArray();
        // toByteArray may carry a leading sign byte; the value itself is below mod, so it fits in modLen bytes.
        int skip = result.length > 1 && result[0] == 0 ? 1 : 0;
        int n = result.length - skip;
        System.arraycopy(result, skip, out, out.length - n, n);
        return out;
    }

    // ---- gas helpers ----

    /** EIP-198 mult_complexity(x), saturating. */
    private static long byzantiumComplexity(long x) {
        if (x <= 64) return x * x;
        if (x <= 1024) return x * x / 4 + 96 * x - 3072;
        // Both terms grow with x, so once either saturates the true value is beyond any gas limit as well.
        long sum = saturatedAdd(saturatedDiv(saturatedMul(x, x), 16), saturatedMul(480, x));
        return sum == Long.MAX_VALUE ? sum : sum - 199680;
    }

    /** ceil(x / 8) without overflow at Long.MAX_VALUE. */
    private static long ceilWords(long x) {
        return x / 8 + (x % 8 == 0 ? 0 : 1);
    }

    /**
     * The "adjusted exponent length" of EIP-198 (iteration count in EIP-2565/7883): the index of the highest set
     * bit of the exponent's first (up to) 32 bytes, plus {@code perExtraByte} for every exponent byte past 32;
     * never below 1.
     */
    private static long iterationCount(long expLen, int headBitLength, long perExtraByte) {
        long count = expLen > 32 ? saturatedMul(expLen - 32, perExtraByte) : 0;
        if (headBitLength > 0) count = saturatedAdd(count, headBitLength - 1);
        return Math.max(count, 1);
    }

    /**
     * Bit length of the exponent's first {@code min(expLen, 32)} bytes as a big-endian number, reading
     * zero past the end of the input.
     */
    private static int exponentHeadBitLength(byte[] input, long baseLen, long expLen) {
        int headLen = (int) Math.min(expLen, 32);
        long available = input.length - (long) HEADER;
        if (headLen == 0 || available <= baseLen) return 0;
        int start = (int) (HEADER + baseLen);
        int end = (int) Math.min((long) start + headLen, input.length);
        for (int i = start; i < end; i++) {
            int b = input[i] & 0xff;
            if (b != 0) {
                int bytesAfter = start + headLen - i - 1;
                return bytesAfter * 8 + (32 - Integer.numberOfLeadingZeros(b));
            }
        }
        return 0;
    }

    private static long saturatedMul(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        // Both operands are non-negative here, so the product fits exactly when the high word is zero and
        // the low word did not spill into the sign bit.
        return hi == 0 && lo >= 0 ? lo : Long.MAX_VALUE;
    }

    /** Division that keeps a saturated value saturated (it stands for "too large", not for 2^63 - 1). */
    private static long saturatedDiv(long a, long divisor) {
        return a == Long.MAX_VALUE ? a : a / divisor;
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    // ---- input parsing ----

    /** The 32-byte big-endian length word at {@code offset}, zero-padded, clamped to Long.MAX_VALUE. */
    private static long length(byte[] input, int offset) {
        long value = 0;
        for (int i = 0; i < 32; i++) {
            int idx = offset + i;
            int b = idx < input.length ? input[idx] & 0xff : 0;
            if (i < 24) {
                if (b != 0) return Long.MAX_VALUE;
            } else {
                value = (value << 8) | b;
            }
        }
        return value < 0 ? Long.MAX_VALUE : value;
    }

    /** The unsigned integer in {@code input[offset, offset + len)}, reading zeros past the end. */
    private static BigInteger operand(byte[] input, long offset, long len) {
        if (len == 0 || offset >= input.length) return BigInteger.ZERO;
        byte[] bytes = new byte[(int) len];
        int n = (int) Math.min(len, input.length - offset);
        System.arraycopy(input, (int) offset, bytes, 0, n);
        return new BigInteger(1, bytes);
    }
}
