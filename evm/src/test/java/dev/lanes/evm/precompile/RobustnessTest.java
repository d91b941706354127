package dev.lanes.evm.precompile;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Random and half-valid inputs: no precompile may throw, and gas is never negative. */
class RobustnessTest {
    private static final List<Precompile> ALL = List.of(
            new Sha256(), new Ripemd160(), new Identity(),
            new ModExp(ModExp.Rules.BYZANTIUM), new ModExp(ModExp.Rules.BERLIN), new ModExp(ModExp.Rules.OSAKA),
            new Blake2f(), new PointEvaluation(), new P256Verify());

    @Test
    void randomInputs() {
        Random rnd = new Random(7951);
        for (int i = 0; i < 3000; i++) {
            byte[] input = new byte[pickLength(rnd)];
            rnd.nextBytes(input);
            // Keep a well-formed BLAKE2 F input's round count (up to 2^32, paid for by gas) small.
            if (input.length == 213) input[0] = input[1] = 0;
            for (Precompile p : ALL) exercise(p, input);
        }
    }

    @Test
    void modExpWithSmallRandomLengths() {
        // Random bytes make the length words astronomically large; also try lengths that are actually read.
        Random rnd = new Random(198);
        for (int i = 0; i < 1000; i++) {
            byte[] input = new byte[96 + rnd.nextInt(200)];
            rnd.nextBytes(input);
            // Lengths up to 80 bytes (0x50) keep the exponentiations cheap while reaching past the input's end.
            for (int w = 0; w < 3; w++) {
                for (int b = 0; b < 31; b++) input[32 * w + b] = 0;
                input[32 * w + 31] = (byte) rnd.nextInt(81);
            }
            for (Precompile p : ALL.subList(3, 6)) exercise(p, input);
        }
    }

    @Test
    void pointEvaluationWithMatchingHashButRandomPoints() {
        Random rnd = new Random(4844);
        PointEvaluation kzg = new PointEvaluation();
        for (int i = 0; i < 200; i++) {
            byte[] input = new byte[192];
            rnd.nextBytes(input);
            if (rnd.nextBoolean()) input[96] = (byte) (0x80 | (input[96] & 0x1f)); // compressed flag, sometimes valid x
            byte[] commitment = Arrays.copyOfRange(input, 96, 144);
            byte[] hash = Sha256.digest(commitment);
            hash[0] = 1;
            System.arraycopy(hash, 0, input, 0, 32);
            exercise(kzg, input);
        }
    }

    private static int pickLength(Random rnd) {
        return switch (rnd.nextInt(6)) {
            case 0 -> 0;
            case 1 -> 160;
            case 2 -> 192;
            case 3 -> 213;
            default -> rnd.nextInt(400);
        };
    }

    private static void exercise(Precompile p, byte[] input) {
        byte[] copy = input.clone();
        assertDoesNotThrow(() -> {
            assertTrue(p.gasCost(copy) >= 0);
            p.execute(copy);
        }, p.getClass().getSimpleName());
    }
}
