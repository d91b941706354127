package dev.lanes.evm.precompile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lanes.primitives.Hex;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class P256VerifyTest {
    private static final String N = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";
    private static final String P = "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff";
    private final P256Verify p256 = new P256Verify();

    static List<Vectors.Vector> vectors() {
        return Vectors.load("p256Verify.json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void matchesVector(Vectors.Vector v) {
        assertEquals(v.gas(), p256.gasCost(v.input()));
        assertArrayEquals(v.expected(), p256.execute(v.input()));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 159, 161, 192})
    void wrongLengthReturnsEmptyNotFailure(int length) {
        byte[] input = new byte[length];
        assertArrayEquals(new byte[0], p256.execute(input));
        assertEquals(6900, p256.gasCost(input));
    }

    @Test
    void validBaselineVerifies() {
        assertArrayEquals(one(), p256.execute(valid()));
    }

    @Test
    void signatureScalarsMustBeInOneToNMinusOne() {
        assertEmpty(with(valid(), 32, "00".repeat(32)));   // r = 0
        assertEmpty(with(valid(), 64, "00".repeat(32)));   // s = 0
        assertEmpty(with(valid(), 32, N));                 // r = n
        assertEmpty(with(valid(), 64, N));                 // s = n
        assertEmpty(with(valid(), 64, "ff".repeat(32)));   // s > n
    }

    @Test
    void publicKeyMustBeAnAffinePointOnTheCurve() {
        assertEmpty(with(valid(), 96, "00".repeat(64)));   // (0, 0): infinity
        assertEmpty(with(valid(), 96, P));                 // qx = p
        assertEmpty(with(valid(), 128, P));                // qy = p
        byte[] offCurve = valid();
        offCurve[159] ^= 1;
        assertEmpty(offCurve);
    }

    @Test
    void tamperedHashFails() {
        byte[] in = valid();
        in[0] ^= 1;
        assertEmpty(in);
    }

    private void assertEmpty(byte[] input) {
        assertArrayEquals(new byte[0], p256.execute(input));
    }

    private static byte[] one() {
        byte[] out = new byte[32];
        out[31] = 1;
        return out;
    }

    private static byte[] valid() {
        for (Vectors.Vector v : vectors()) {
            if (v.expected().length == 32) return v.input().clone();
        }
        throw new IllegalStateException("no valid vector");
    }

    private static byte[] with(byte[] input, int offset, String hex) {
        byte[] patch = Hex.decode(hex);
        System.arraycopy(patch, 0, input, offset, patch.length);
        return input;
    }
}
