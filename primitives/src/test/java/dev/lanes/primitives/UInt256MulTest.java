package dev.lanes.primitives;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link UInt256#mul} and {@link UInt256#mulOverflows} against BigInteger on random and edge operands. */
class UInt256MulTest {
    private static final BigInteger MOD = BigInteger.ONE.shiftLeft(256);

    private static UInt256 random(Random r) {
        long[] l = new long[4];
        for (int i = 0; i < 4; i++) {
            int pick = r.nextInt(5);
            l[i] = pick == 0 ? 0 : pick == 1 ? -1L : pick == 2 ? r.nextInt(1000) : r.nextLong();
        }
        int width = r.nextInt(4);
        for (int i = width + 1; i < 4; i++) if (r.nextBoolean()) l[i] = 0;
        return new UInt256(l[0], l[1], l[2], l[3]);
    }

    @Test
    void productModulo2To256MatchesBigInteger() {
        Random r = new Random(7);
        for (int i = 0; i < 200_000; i++) {
            UInt256 a = random(r), b = random(r);
            BigInteger want = a.toBigInteger().multiply(b.toBigInteger()).mod(MOD);
            assertEquals(want, a.mul(b).toBigInteger(), a + " * " + b);
        }
    }

    @Test
    void overflowOfAProductWithA64BitNumber() {
        Random r = new Random(8);
        for (int i = 0; i < 200_000; i++) {
            UInt256 a = random(r);
            long m = r.nextInt(3) == 0 ? -1L : r.nextBoolean() ? r.nextLong() : r.nextInt(100_000);
            boolean want = a.toBigInteger().multiply(new BigInteger(Long.toUnsignedString(m))).bitLength() > 256;
            assertEquals(want, a.mulOverflows(m), a + " * " + Long.toUnsignedString(m));
        }
    }
}
