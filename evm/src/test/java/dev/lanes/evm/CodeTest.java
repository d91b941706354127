package dev.lanes.evm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The JUMPDEST bitmap, decoded in four overlapping chains, and jump targets checked before the bitmap exists
 * ({@link Code#isJumpdestBeforeBitmap}), against a plain one-pass decoding.
 */
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
        for (int i = 0; i < 20_000; i++) check(randomCode(r, 3_000));
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

    /** Random code of {@code maxLength - 1} bytes at most, in one of eight shapes. */
    private static byte[] randomCode(Random r, int maxLength) {
        byte[] code = new byte[r.nextInt(maxLength)];
        int shape = r.nextInt(8);
        for (int k = 0; k < code.length; k++) {
            code[k] = (byte) switch (shape) {
                case 0 -> r.nextInt(256);
                // Only PUSHes and JUMPDESTs: immediates across every boundary.
                case 1 -> 0x5b + r.nextInt(0x25);
                // PUSH1 and PUSH32 only: decodings from neighbouring offsets rarely meet.
                case 2 -> r.nextBoolean() ? 0x60 : 0x7f;
                case 3 -> r.nextInt(8) == 0 ? 0x5b : 0x60 + r.nextInt(2);
                // PUSH1 and PUSH32 with many JUMPDEST bytes among them: targets that only a decoding settles.
                case 4 -> r.nextInt(3) == 0 ? 0x5b : r.nextBoolean() ? 0x60 : 0x7f;
                // Compiled-code-like: mostly one-byte instructions, PUSH1/PUSH2 often, the odd long PUSH.
                case 5 -> r.nextInt(6) == 0 ? 0x5b : r.nextInt(4) == 0 ? 0x60 + r.nextInt(2) : r.nextInt(40) == 0 ? 0x60 + r.nextInt(32) : r.nextInt(0x5b);
                // JUMPDEST bytes among PUSHes of every length.
                case 6 -> r.nextInt(4) == 0 ? 0x5b : r.nextInt(4) == 0 ? 0x60 + r.nextInt(32) : r.nextInt(0x5c);
                default -> r.nextInt(4) == 0 ? 0x60 + r.nextInt(32) : r.nextInt(0x5c);
            };
        }
        return code;
    }

    /** The local test's definition, byte by byte: no PUSHk among the 32 bytes before d with k at least its distance. */
    private static boolean noPushReachesReference(byte[] code, int d) {
        for (int i = 1; i <= Math.min(32, d); i++) {
            int b = code[d - i] & 0xff;
            if (b >= 0x60 && b <= 0x7f && b - 0x5f >= i) return false;
        }
        return true;
    }

    @Test
    void theLocalTestOfAJumpTargetAgreesWithItsBytewiseDefinitionAndNeverAcceptsPushData() {
        Random r = new Random(36);
        for (int i = 0; i < 3_000; i++) {
            byte[] raw = randomCode(r, 600);
            Code c = Code.analyze(null, raw);
            long[] truth = reference(raw);
            for (int d = 0; d < raw.length; d++) {
                boolean local = Code.noPushReaches(c.padded, d);
                int at = d;
                assertEquals(noPushReachesReference(raw, d), local, () -> "offset " + at + " of " + java.util.HexFormat.of().formatHex(raw));
                // Sound: a 0x5b byte it accepts is a JUMPDEST instruction.
                if (local && raw[d] == 0x5b) assertTrue((truth[d >>> 6] & (1L << d)) != 0, () -> "offset " + at + " accepted as an instruction");
            }
        }
        // Every byte value at every distance, the SWAR path (a target 32 bytes or more in) and the short one.
        for (int d : new int[] {5, 31, 32, 33, 40, 64, 100}) {
            for (int dist = 1; dist <= Math.min(32, d); dist++) {
                for (int b = 0; b < 256; b++) {
                    byte[] raw = new byte[d + 1];
                    java.util.Arrays.fill(raw, (byte) 0x01);
                    raw[d] = 0x5b;
                    raw[d - dist] = (byte) b;
                    Code c = Code.analyze(null, raw);
                    int fd = d, fdist = dist, fb = b;
                    assertEquals(noPushReachesReference(raw, d), Code.noPushReaches(c.padded, d),
                            () -> "byte " + fb + " at distance " + fdist + " before " + fd);
                }
            }
        }
    }

    @Test
    void jumpTargetsCheckedBeforeTheBitmapAgreeWithTheBitmap() {
        Random r = new Random(360);
        for (int i = 0; i < 3_000; i++) {
            byte[] raw = randomCode(r, 700);
            long[] truth = reference(raw);
            // One code asked about every offset in a random order (its budget of local answers runs out and the bitmap
            // is made midway), and each offset on a fresh code (always before the bitmap).
            Code shared = Code.analyze(null, raw);
            int[] order = new int[raw.length + 4];
            for (int k = 0; k < order.length; k++) order[k] = k - 2;
            for (int k = order.length - 1; k > 0; k--) {
                int j = r.nextInt(k + 1), t = order[k];
                order[k] = order[j];
                order[j] = t;
            }
            for (int d : order) {
                boolean want = d >= 0 && d < raw.length && (truth[d >>> 6] & (1L << d)) != 0;
                int at = d;
                assertEquals(want, shared.isJumpdestBeforeBitmap(d), () -> "offset " + at + " (shared code)");
                if (r.nextInt(4) == 0) assertEquals(want, Code.analyze(null, raw).isJumpdestBeforeBitmap(d), () -> "offset " + at + " (fresh code)");
            }
            assertEquals(false, shared.isJumpdestBeforeBitmap(Long.MAX_VALUE));
            assertEquals(false, shared.isJumpdestBeforeBitmap(-1L << 40));
        }
    }
}
