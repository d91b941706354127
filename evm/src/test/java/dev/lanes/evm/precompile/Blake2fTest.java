package dev.lanes.evm.precompile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class Blake2fTest {
    private final Blake2f blake2f = new Blake2f();

    static List<Vectors.Vector> vectors() {
        return Vectors.load("blake2F.json");
    }

    static List<Vectors.Vector> failures() {
        return Vectors.load("fail-blake2f.json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void matchesVector(Vectors.Vector v) {
        assertEquals(v.gas(), blake2f.gasCost(v.input()));
        assertArrayEquals(v.expected(), blake2f.execute(v.input()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void rejectsMalformedInput(Vectors.Vector v) {
        assertNull(blake2f.execute(v.input()));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 212, 214, 300})
    void wrongLengthIsInvalid(int length) {
        byte[] input = new byte[length];
        assertNull(blake2f.execute(input));
        assertEquals(0, blake2f.gasCost(input));
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 0x80, 0xff})
    void finalFlagMustBeZeroOrOne(int flag) {
        byte[] input = validInput();
        input[212] = (byte) flag;
        assertNull(blake2f.execute(input));
    }

    @Test
    void roundsAreAnUnsignedBigEndianCount() {
        byte[] input = validInput();
        input[0] = (byte) 0xff;
        input[1] = (byte) 0xff;
        input[2] = (byte) 0xff;
        input[3] = (byte) 0xff;
        assertEquals(0xffffffffL, blake2f.gasCost(input));
        input[0] = 0;
        input[1] = 0;
        input[2] = 1;
        input[3] = 2;
        assertEquals(258, blake2f.gasCost(input));
    }

    /** A 12-round vector's input. */
    private static byte[] validInput() {
        for (Vectors.Vector v : vectors()) {
            if (v.gas() == 12) return v.input().clone();
        }
        throw new IllegalStateException("no 12-round vector");
    }
}
