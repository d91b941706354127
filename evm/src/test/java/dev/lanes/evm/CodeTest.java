package dev.lanes.evm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The JUMPDEST bitmap, decoded in four overlapping chains, against a plain one-pass decoding. */
class CodeTest {
    /** The definition: one pass from offset 0, skipping each PUSH's immediate. */
    private static long[] reference(byte[] code) {
        long[] jd = new long[(code.length >>> 6) + 1];
        for (int pc = 0; pc < code.length; pc++) {
            int op = code[pc] & 0xff;
            if (op == 0x5b) jd[pc >>> 6] |= 1L << pc;
            else if (op >= 0x60 && op <= 0x7f) pc += op - 0x5f;
        }
        return jd;
    }

    private static void check(byte[] code) {
        assertArrayEquals(reference(code), Code.jumpdestBitmap(code), () -> "code of " + code.length + " bytes");
    }

    @Test
    void randomCodeOfEveryShape() {
        Random r = new Random(19);
        for (int i = 0; i < 20_000; i++) {
            byte[] code = new byte[r.nextInt(3_000)];
            int shape = r.nextInt(5);
            for (int k = 0; k < code.length; k++) {
                code[k] = (byte) switch (shape) {
                    case 0 -> r.nextInt(256);
                    // Only PUSHes and JUMPDESTs: immediates across every boundary.
                    case 1 -> 0x5b + r.nextInt(0x25);
                    // PUSH1 and PUSH32 only: decodings from neighbouring offsets rarely meet.
                    case 2 -> r.nextBoolean() ? 0x60 : 0x7f;
                    case 3 -> r.nextInt(8) == 0 ? 0x5b : 0x60 + r.nextInt(2);
                    default -> r.nextInt(4) == 0 ? 0x60 + r.nextInt(32) : r.nextInt(0x5c);
                };
            }
            check(code);
        }
    }

    @Test
    void decodingsThatNeverMeet() {
        // PUSH1 0x60 PUSH1 0x60 ...: a decoding from an odd offset never meets the true one (the quarter is redone).
        for (int n : new int[] {255, 256, 257, 1_000, 1_001, 4_096, 4_097}) {
            byte[] code = new byte[n];
            java.util.Arrays.fill(code, (byte) 0x60);
            for (int k = 1; k < n; k += 7) code[k] = 0x5b;
            check(code);
        }
    }

    @Test
    void immediatesAcrossEachQuarter() {
        for (int n = 256; n < 1_300; n += 13) {
            for (int len = 1; len <= 32; len += 5) {
                byte[] code = new byte[n];
                java.util.Arrays.fill(code, (byte) 0x5b);
                for (int q = 1; q < 4; q++) {
                    int at = Math.max(0, q * (n >>> 2) - len / 2);
                    code[at] = (byte) (0x5f + len);
                }
                check(code);
                long[] bits = Code.jumpdestBitmap(code);
                assertTrue(Long.bitCount(bits[0]) > 0);
            }
        }
    }
}
