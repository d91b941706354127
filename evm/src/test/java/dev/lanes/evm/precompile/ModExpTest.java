package dev.lanes.evm.precompile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.lanes.evm.precompile.ModExp.Rules;
import dev.lanes.primitives.Hex;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class ModExpTest {
    private static final ModExp BYZANTIUM = new ModExp(Rules.BYZANTIUM);
    private static final ModExp BERLIN = new ModExp(Rules.BERLIN);
    private static final ModExp OSAKA = new ModExp(Rules.OSAKA);
    private static final BigInteger MAX_UINT256 = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);

    static List<Vectors.Vector> byzantium() {
        return Vectors.load("modexp.json");
    }

    static List<Vectors.Vector> berlin() {
        return Vectors.load("modexp_eip2565.json");
    }

    static List<Vectors.Vector> osaka() {
        return Vectors.load("modexp_eip7883.json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("byzantium")
    void eip198Vectors(Vectors.Vector v) {
        check(BYZANTIUM, v);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("berlin")
    void eip2565Vectors(Vectors.Vector v) {
        check(BERLIN, v);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("osaka")
    void eip7883Vectors(Vectors.Vector v) {
        check(OSAKA, v);
    }

    private static void check(ModExp p, Vectors.Vector v) {
        assertEquals(v.gas(), p.gasCost(v.input()), "gas");
        assertArrayEquals(v.expected(), p.execute(v.input()), "output");
    }

    // ---- EIP-198's worked examples ----

    @Test
    void fermatExampleAndItsPrices() {
        byte[] in = input(1, 32, 32, "03",
                "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2e",
                "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f");
        for (ModExp p : List.of(BYZANTIUM, BERLIN, OSAKA)) assertArrayEquals(word(1), p.execute(in));
        assertEquals(13056, BYZANTIUM.gasCost(in)); // mult_complexity(32) * 255 / 20, as the EIP computes
        assertEquals(1360, BERLIN.gasCost(in));     // 16 * 255 / 3
        assertEquals(4080, OSAKA.gasCost(in));      // 16 * 255
    }

    @Test
    void trailingBytesPastTheModulusAreIgnored() {
        byte[] in = input(1, 2, 32, "03", "ffff",
                "8000000000000000000000000000000000000000000000000000000000000000", "07");
        BigInteger expected = BigInteger.valueOf(3).modPow(BigInteger.valueOf(0xffff), BigInteger.ONE.shiftLeft(255));
        assertArrayEquals(word(expected), BERLIN.execute(in));
    }

    @Test
    void emptyBaseReadsTheExponentImmediately() {
        byte[] in = input(0, 32, 32,
                "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2e",
                "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f");
        assertArrayEquals(new byte[32], BYZANTIUM.execute(in));
    }

    // ---- padding and degenerate operands ----

    @Test
    void shortInputIsZeroPaddedOnTheRight() {
        // Modulus declared as 2 bytes but only its first byte 0x01 is present: it reads as 0x0100 = 256.
        byte[] in = input(1, 1, 2, "05", "03", "01");
        assertArrayEquals(new byte[] {0, 125}, BERLIN.execute(in));
        // Nothing past the header: base 0, exponent 0, modulus 0 -> zero output of the declared length.
        assertArrayEquals(new byte[3], BERLIN.execute(input(1, 1, 3)));
        // Not even a full header: the missing length bytes are zero.
        assertArrayEquals(new byte[0], BERLIN.execute(new byte[40]));
        assertArrayEquals(new byte[0], BERLIN.execute(new byte[0]));
    }

    @Test
    void zeroModulusGivesZeros() {
        assertArrayEquals(new byte[4], OSAKA.execute(input(1, 1, 4, "07", "02", "00000000")));
    }

    @Test
    void zeroToTheZeroIsOne() {
        assertArrayEquals(new byte[] {0, 1}, OSAKA.execute(input(1, 1, 2, "00", "00", "0005")));
        assertArrayEquals(new byte[] {0, 0}, OSAKA.execute(input(1, 1, 2, "00", "00", "0001")));
    }

    @Test
    void evenModulus() {
        byte[] in = input(32, 32, 32,
                "0fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
                "00000000000000000000000000000000000000000000000000000000000fffff",
                "1000000000000000000000000000000000000000000000000000000000000000");
        BigInteger base = new BigInteger("0fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", 16);
        BigInteger expected = base.modPow(BigInteger.valueOf(0xfffff), BigInteger.ONE.shiftLeft(252));
        assertArrayEquals(word(expected), OSAKA.execute(in));
    }

    @Test
    void emptyModulusGivesEmptyOutput() {
        assertArrayEquals(new byte[0], BYZANTIUM.execute(input(1, 1, 0, "02", "03")));
    }

    // ---- hostile lengths ----

    @ParameterizedTest
    @EnumSource(Rules.class)
    void hugeModulusLengthIsUnpayableAndHarmless(Rules rules) {
        ModExp p = new ModExp(rules);
        byte[] in = input(BigInteger.ONE, BigInteger.ONE, MAX_UINT256, "02", "03", "05");
        assertEquals(Long.MAX_VALUE, p.gasCost(in));
        assertNull(p.execute(in));
        byte[] in63 = input(BigInteger.ONE, BigInteger.ONE, BigInteger.ONE.shiftLeft(63), "02", "03", "05");
        assertEquals(Long.MAX_VALUE, p.gasCost(in63));
        assertNull(p.execute(in63));
    }

    @ParameterizedTest
    @EnumSource(Rules.class)
    void hugeExponentLengthIsUnpayableAndHarmless(Rules rules) {
        ModExp p = new ModExp(rules);
        byte[] in = input(BigInteger.ONE, MAX_UINT256, BigInteger.ONE, "02", "ff");
        assertEquals(Long.MAX_VALUE, p.gasCost(in));
        assertNull(p.execute(in));
    }

    @ParameterizedTest
    @EnumSource(Rules.class)
    void hugeBaseLengthIsUnpayableAndHarmless(Rules rules) {
        ModExp p = new ModExp(rules);
        byte[] in = input(MAX_UINT256, BigInteger.ONE, BigInteger.ONE, "02", "ff");
        assertEquals(Long.MAX_VALUE, p.gasCost(in));
        assertNull(p.execute(in));
    }

    @Test
    void noBaseAndNoModulusCostsTheMinimumWhateverTheExponent() {
        // Iterations saturate, but with nothing to multiply Byzantium charges zero and the later rules their floor.
        byte[] in = input(BigInteger.ZERO, MAX_UINT256, BigInteger.ZERO, "ff");
        assertEquals(0, BYZANTIUM.gasCost(in));
        assertEquals(200, BERLIN.gasCost(in));
        assertArrayEquals(new byte[0], BYZANTIUM.execute(in));
        assertArrayEquals(new byte[0], BERLIN.execute(in));
        // Osaka: the gas is formula-bound, but EIP-7823 rejects the exponent length.
        assertEquals(Long.MAX_VALUE, OSAKA.gasCost(in));
        assertNull(OSAKA.execute(in));
    }

    @Test
    void largeButPayableExponentLengthPricesEachExtraByte() {
        // expLen 100 with a zero head: iterations = 8 * (100 - 32) (16 * under Osaka); complexity of 1 byte.
        byte[] in = input(1, 100, 1, "02");
        assertEquals(8 * 68 / 20, BYZANTIUM.gasCost(in));
        assertEquals(200, BERLIN.gasCost(in));
        assertEquals(16 * 16 * 68, OSAKA.gasCost(in));
        // EIP-198's prose example: a 100-byte exponent starting 00 00 01. The head's highest set bit is bit
        // 232 (the EIP's text says 253, which its own definition does not give; clients follow the definition).
        byte[] exp = new byte[100];
        exp[2] = 1;
        byte[] withHead = input(1, 100, 1, "02", Hex.encode(exp));
        assertEquals((8 * 68 + 232) / 20, BYZANTIUM.gasCost(withHead));
        assertEquals((8 * 68 + 232) / 3, BERLIN.gasCost(withHead));
        assertEquals(16 * (16 * 68 + 232), OSAKA.gasCost(withHead));
    }

    @Test
    void exponentHeadPastTheEndOfInputReadsAsZero() {
        String base = "ff".repeat(256);
        String exp = "ff".repeat(32);
        // With the exponent present: ceil(256/8)^2 * 255 / 3.
        assertEquals(1024 * 255 / 3, BERLIN.gasCost(input(256, 32, 256, base, exp)));
        // Input ending with the base: the exponent reads as zero, so one iteration.
        assertEquals(1024 / 3, BERLIN.gasCost(input(256, 32, 256, base)));
        // Input ending inside the base: likewise.
        assertEquals(1024 / 3, BERLIN.gasCost(input(256, 32, 256, "ff")));
        // Input ending inside the exponent head: the missing low bytes are zeros, so the top bit still counts.
        assertEquals(1024 * 255 / 3, BERLIN.gasCost(input(256, 32, 256, base, "80")));
    }

    @Test
    void osakaBoundsEachLengthAt1024Bytes() {
        byte[] ok = input(1024, 1, 1024);
        assertEquals(1024, OSAKA.execute(ok).length);
        for (int[] lens : new int[][] {{1025, 1, 1}, {1, 1025, 1}, {1, 1, 1025}, {1025, 0, 0}}) {
            byte[] in = input(lens[0], lens[1], lens[2]);
            assertNull(OSAKA.execute(in), Arrays.toString(lens));
            // Before Osaka the same input is valid and merely priced.
            byte[] out = BERLIN.execute(in);
            assertEquals(lens[2], out.length, Arrays.toString(lens));
        }
    }

    // ---- helpers ----

    private static byte[] input(long baseLen, long expLen, long modLen, String... data) {
        return input(BigInteger.valueOf(baseLen), BigInteger.valueOf(expLen), BigInteger.valueOf(modLen), data);
    }

    private static byte[] input(BigInteger baseLen, BigInteger expLen, BigInteger modLen, String... data) {
        StringBuilder hex = new StringBuilder();
        for (BigInteger len : List.of(baseLen, expLen, modLen)) hex.append(Hex.encode(word(len)));
        for (String d : data) hex.append(d);
        return Hex.decode(hex.toString());
    }

    private static byte[] word(long v) {
        return word(BigInteger.valueOf(v));
    }

    private static byte[] word(BigInteger v) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[32];
        int skip = raw.length > 32 ? raw.length - 32 : 0;
        System.arraycopy(raw, skip, out, 32 - (raw.length - skip), raw.length - skip);
        return out;
    }
}
