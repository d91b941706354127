package dev.lanes.evm.interpreter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Checks every 256-bit stack operation in {@link Arith} and {@link Div} against {@link BigInteger} on
 * edge cases (zero, one, max, powers of two and their neighbours, 64-bit values, signed extremes) and on
 * many random operands of mixed bit lengths, including operands that share high limbs.
 */
class ArithTest {
    private static final BigInteger TWO_256 = BigInteger.ONE.shiftLeft(256);
    private static final BigInteger MASK = TWO_256.subtract(BigInteger.ONE);
    private static final BigInteger TWO_255 = BigInteger.ONE.shiftLeft(255);
    private static final int RANDOM = 20_000;

    // ---- operand generation ----

    private static final List<BigInteger> EDGES = new ArrayList<>();

    static {
        BigInteger[] base = {BigInteger.ZERO, BigInteger.ONE, BigInteger.TWO, BigInteger.valueOf(3), BigInteger.valueOf(7),
                BigInteger.valueOf(31), BigInteger.valueOf(32), BigInteger.valueOf(255), BigInteger.valueOf(256),
                BigInteger.valueOf(257), MASK, MASK.subtract(BigInteger.ONE), TWO_255, TWO_255.subtract(BigInteger.ONE),
                TWO_255.add(BigInteger.ONE),
                new BigInteger("30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47", 16), // bn254 p
                new BigInteger("fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f", 16), // secp256k1 p
                new BigInteger("ffffffffffffffff0000000000000000ffffffffffffffff0000000000000000", 16),
                new BigInteger("0000000000000000ffffffffffffffff0000000000000000ffffffffffffffff", 16),
                new BigInteger("8000000000000000000000000000000000000000000000000000000000000001", 16),
                new BigInteger("00000000000000000000000000000001ffffffffffffffffffffffffffffffff", 16)};
        for (BigInteger b : base) EDGES.add(b);
        for (int k = 1; k < 256; k++) {
            BigInteger p = BigInteger.ONE.shiftLeft(k);
            EDGES.add(p);
            if (k % 8 == 0 || k % 32 == 31 || k % 32 == 1) {
                EDGES.add(p.subtract(BigInteger.ONE));
                EDGES.add(p.add(BigInteger.ONE));
                EDGES.add(MASK.subtract(p.subtract(BigInteger.ONE))); // -2^k
            }
        }
    }

    private static BigInteger random(SplittableRandom r) {
        switch (r.nextInt(8)) {
            case 0: return EDGES.get(r.nextInt(EDGES.size()));
            case 1: return BigInteger.valueOf(r.nextLong()).and(MASK); // 64-bit, or sign-extended negative
            case 2: return new BigInteger(64, new java.util.Random(r.nextLong()));
            case 3: { // dense limbs: each limb all-ones, zero, or random
                BigInteger v = BigInteger.ZERO;
                for (int i = 0; i < 4; i++) {
                    long limb = switch (r.nextInt(4)) { case 0 -> 0; case 1 -> -1L; case 2 -> Long.MIN_VALUE; default -> r.nextLong(); };
                    v = v.or(new BigInteger(Long.toUnsignedString(limb)).shiftLeft(64 * i));
                }
                return v;
            }
            default: {
                int bits = 1 + r.nextInt(256);
                return new BigInteger(bits, new java.util.Random(r.nextLong()));
            }
        }
    }

    /** Pairs where the second is close to the first (shares high limbs), the hard case for division. */
    private static BigInteger near(SplittableRandom r, BigInteger x) {
        BigInteger delta = new BigInteger(1 + r.nextInt(140), new java.util.Random(r.nextLong()));
        BigInteger v = r.nextBoolean() ? x.add(delta) : x.subtract(delta);
        if (r.nextInt(4) == 0) v = x.shiftRight(r.nextInt(200));
        return v.and(MASK);
    }

    // ---- stack helpers ----

    private static void put(long[] s, int i, BigInteger v) {
        for (int k = 0; k < 4; k++) s[i + k] = v.shiftRight(64 * k).longValue();
    }

    private static BigInteger get(long[] s, int i) {
        BigInteger v = BigInteger.ZERO;
        for (int k = 3; k >= 0; k--) v = v.shiftLeft(64).or(new BigInteger(Long.toUnsignedString(s[i + k])));
        return v;
    }

    private static BigInteger signed(BigInteger v) {
        return v.testBit(255) ? v.subtract(TWO_256) : v;
    }

    private static BigInteger unsigned(BigInteger v) {
        return v.mod(TWO_256);
    }

    interface Binary { void apply(long[] s, int a, int b); }
    interface Ternary { void apply(long[] s, int a, int b, int c); }
    interface Model2 { BigInteger apply(BigInteger a, BigInteger b); }
    interface Model3 { BigInteger apply(BigInteger a, BigInteger b, BigInteger c); }

    /** a on top (s[4..8)), b below (s[0..4)); result at b. Garbage around the operands catches stray writes. */
    private static void check2(String name, Binary op, Model2 model, BigInteger a, BigInteger b) {
        long[] s = new long[16];
        java.util.Arrays.fill(s, 0x5a5a5a5a5a5a5a5aL);
        put(s, 4, a);
        put(s, 0, b);
        op.apply(s, 4, 0);
        BigInteger want = model.apply(a, b);
        assertEquals(want.toString(16), get(s, 0).toString(16), () -> name + "(" + a.toString(16) + ", " + b.toString(16) + ")");
        for (int i = 8; i < 16; i++) assertEquals(0x5a5a5a5a5a5a5a5aL, s[i], name + " wrote above its operands");
    }

    private static void check3(String name, Ternary op, Model3 model, BigInteger a, BigInteger b, BigInteger c) {
        long[] s = new long[16];
        java.util.Arrays.fill(s, 0x5a5a5a5a5a5a5a5aL);
        put(s, 8, a);
        put(s, 4, b);
        put(s, 0, c);
        op.apply(s, 8, 4, 0);
        BigInteger want = model.apply(a, b, c);
        assertEquals(want.toString(16), get(s, 0).toString(16),
                () -> name + "(" + a.toString(16) + ", " + b.toString(16) + ", " + c.toString(16) + ")");
        for (int i = 12; i < 16; i++) assertEquals(0x5a5a5a5a5a5a5a5aL, s[i], name + " wrote above its operands");
    }

    private static void binary(String name, Binary op, Model2 model) {
        for (BigInteger a : EDGES) for (BigInteger b : EDGES) check2(name, op, model, a, b);
        SplittableRandom r = new SplittableRandom(name.hashCode());
        for (int i = 0; i < RANDOM; i++) {
            BigInteger a = random(r), b = r.nextInt(3) == 0 ? near(r, a) : random(r);
            check2(name, op, model, a, b);
            check2(name, op, model, b, a);
        }
    }

    private static void ternary(String name, Ternary op, Model3 model) {
        SplittableRandom r = new SplittableRandom(name.hashCode());
        for (BigInteger c : EDGES) {
            for (int i = 0; i < 40; i++) {
                check3(name, op, model, random(r), random(r), c);
                check3(name, op, model, near(r, c), near(r, c), c);
            }
        }
        for (int i = 0; i < 3 * RANDOM; i++) {
            BigInteger c = random(r);
            BigInteger a = r.nextBoolean() ? near(r, c) : random(r);
            BigInteger b = r.nextBoolean() ? near(r, c) : random(r);
            check3(name, op, model, a, b, c);
        }
    }

    private static BigInteger div(BigInteger a, BigInteger b) {
        return b.signum() == 0 ? BigInteger.ZERO : a.divide(b);
    }

    private static BigInteger mod(BigInteger a, BigInteger b) {
        return b.signum() == 0 ? BigInteger.ZERO : a.mod(b);
    }

    // ---- tests ----

    @Test void add() { binary("add", Arith::add, (a, b) -> unsigned(a.add(b))); }

    @Test void sub() { binary("sub", Arith::sub, (a, b) -> unsigned(a.subtract(b))); }

    @Test void mul() { binary("mul", Arith::mul, (a, b) -> unsigned(a.multiply(b))); }

    @Test void div() { Div d = new Div(); binary("div", d::div, ArithTest::div); }

    @Test void mod() { Div d = new Div(); binary("mod", d::mod, ArithTest::mod); }

    @Test void sdiv() {
        Div d = new Div();
        binary("sdiv", d::sdiv, (a, b) -> {
            BigInteger x = signed(a), y = signed(b);
            return y.signum() == 0 ? BigInteger.ZERO : unsigned(x.divide(y)); // BigInteger truncates toward zero
        });
    }

    @Test void smod() {
        Div d = new Div();
        binary("smod", d::smod, (a, b) -> {
            BigInteger x = signed(a), y = signed(b);
            return y.signum() == 0 ? BigInteger.ZERO : unsigned(x.remainder(y)); // sign of the dividend
        });
    }

    @Test void signedExtremes() {
        Div d = new Div();
        BigInteger minusOne = MASK;
        check2("sdiv", d::sdiv, (a, b) -> TWO_255, TWO_255, minusOne); // -2^255 / -1 overflows to -2^255
        check2("smod", d::smod, (a, b) -> BigInteger.ZERO, TWO_255, minusOne);
        check2("sdiv", d::sdiv, (a, b) -> BigInteger.ONE, TWO_255, TWO_255);
        check2("sdiv", d::sdiv, (a, b) -> MASK, BigInteger.ONE, minusOne);
    }

    @Test void addmod() {
        Div d = new Div();
        ternary("addmod", d::addmod, (a, b, c) -> mod(a.add(b), c));
    }

    @Test void mulmod() {
        Div d = new Div();
        ternary("mulmod", d::mulmod, (a, b, c) -> mod(a.multiply(b), c));
    }

    /** The same Div instance with a repeated modulus (its reciprocal may be cached) and then a different one. */
    @Test void mulmodRepeatedModulus() {
        Div d = new Div();
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < RANDOM; i++) {
            BigInteger c = EDGES.get(r.nextInt(EDGES.size()));
            for (int k = 0; k < 3; k++) {
                check3("mulmod", d::mulmod, (a, b, m) -> mod(a.multiply(b), m), random(r), random(r), c);
                check3("addmod", d::addmod, (a, b, m) -> mod(a.add(b), m), random(r), random(r), c);
                check2("mod", d::mod, ArithTest::mod, random(r), c);
                check2("div", d::div, ArithTest::div, random(r), c);
            }
        }
    }

    /**
     * MULMOD by moduli used again, which {@code Div.barrett} reduces with a reciprocal made on a modulus' second use and
     * kept for the last two: moduli just above 2^192 (the smallest it takes), near 2^256, odd and even, powers of two
     * (left to the division), in runs and alternating among three (so that the two kept reciprocals are replaced),
     * with operands random, near the modulus, at m - 1 and at or just below 2^256 - 1.
     */
    @Test void mulmodByAReusedModulus() {
        Div d = new Div();
        SplittableRandom r = new SplittableRandom(34);
        List<BigInteger> moduli = new java.util.ArrayList<>(List.of(
                BigInteger.ONE.shiftLeft(192).add(BigInteger.ONE),
                BigInteger.ONE.shiftLeft(192).add(BigInteger.TWO),
                BigInteger.ONE.shiftLeft(192),
                BigInteger.ONE.shiftLeft(200),
                TWO_255,
                TWO_256.subtract(BigInteger.ONE),
                TWO_256.subtract(BigInteger.TWO),
                TWO_256.subtract(BigInteger.ONE.shiftLeft(64)),
                new BigInteger("30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47", 16),
                new BigInteger("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", 16)));
        for (int i = 0; i < 200; i++) {
            BigInteger m = new BigInteger(193 + r.nextInt(64), new java.util.Random(r.nextLong()));
            if (m.bitLength() > 192) moduli.add(m);
        }
        Model3 model = (x, y, z) -> mod(x.multiply(y), z);
        for (BigInteger m : moduli) {
            for (int k = 0; k < 24; k++) {
                BigInteger a = switch (k % 4) {
                    case 0 -> random(r);
                    case 1 -> m.subtract(BigInteger.ONE);
                    case 2 -> TWO_256.subtract(BigInteger.ONE);
                    default -> near(r, m);
                };
                BigInteger b = k % 3 == 0 ? near(r, m) : k % 3 == 1 ? TWO_256.subtract(BigInteger.valueOf(1 + r.nextInt(1000))) : random(r);
                check3("mulmod", d::mulmod, model, a, b, m);
            }
        }
        for (int i = 0; i < 30_000; i++) {
            BigInteger m = moduli.get(r.nextInt(3) + 8 * (i / 10_000));
            check3("mulmod", d::mulmod, model, r.nextBoolean() ? near(r, m) : random(r), random(r), m);
        }
    }

    /**
     * MULMOD by four-limb moduli where a quotient step's window starts with the modulus' own top two limbs (the
     * estimate is clamped to 2^64 - 1 and may be two too large): (d - k) * (2^256 - j) leaves d's top limbs at the
     * top of the product. Random operands almost never reach that step.
     */
    @Test void mulmodClampedQuotientStep() {
        Div d = new Div();
        BigInteger[] moduli = {
                new BigInteger("fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f", 16),
                new BigInteger("8000000000000000000000000000000000000000000000000000000000000001", 16),
                new BigInteger("ffffffffffffffff0000000000000000ffffffffffffffff0000000000000000", 16),
                new BigInteger("30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47", 16),
                new BigInteger("1000000000000000000000000000000000000000000000000000000000000000", 16).add(BigInteger.valueOf(12345)),
                TWO_255.add(TWO_255.shiftRight(1)).subtract(BigInteger.ONE)};
        for (BigInteger m : moduli) {
            for (int k = 1; k <= 40; k++) {
                for (int j = 1; j <= 40; j++) {
                    BigInteger a = m.subtract(BigInteger.valueOf(k)), b = TWO_256.subtract(BigInteger.valueOf(j));
                    check3("mulmod", d::mulmod, (x, y, z) -> mod(x.multiply(y), z), a, b, m);
                    // the same shape for moduli with leading zero bits: the normalised product's top limbs
                    int sh = 256 - m.bitLength();
                    BigInteger bb = TWO_256.subtract(BigInteger.valueOf(j)).shiftRight(sh);
                    check3("mulmod", d::mulmod, (x, y, z) -> mod(x.multiply(y), z), a, bb, m);
                }
            }
        }
    }

    @Test void exp() {
        binary("exp", Arith::exp, (a, b) -> a.modPow(b, TWO_256));
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 2000; i++) {
            BigInteger base = random(r), e = BigInteger.valueOf(r.nextInt(300));
            check2("exp", Arith::exp, (a, b) -> a.modPow(b, TWO_256), base, e);
        }
    }

    @Test void expCost() {
        for (BigInteger e : EDGES) {
            long[] s = new long[4];
            put(s, 0, e);
            long bytes = (e.bitLength() + 7) / 8;
            assertEquals(50 * bytes, Instructions.expCost(s, 0, 50), e.toString(16));
        }
    }

    @Test void signextend() {
        binary("signextend", Arith::signextend, (a, b) -> {
            if (a.compareTo(BigInteger.valueOf(31)) >= 0) return b;
            int bit = a.intValue() * 8 + 7;
            BigInteger low = b.and(BigInteger.ONE.shiftLeft(bit + 1).subtract(BigInteger.ONE));
            return b.testBit(bit) ? low.or(MASK.subtract(BigInteger.ONE.shiftLeft(bit + 1).subtract(BigInteger.ONE))) : low;
        });
        for (int k = 0; k < 40; k++) {
            for (BigInteger b : EDGES) {
                BigInteger a = BigInteger.valueOf(k);
                check2("signextend", Arith::signextend, (x, y) -> {
                    if (x.intValue() >= 31) return y;
                    int bit = x.intValue() * 8 + 7;
                    BigInteger m = BigInteger.ONE.shiftLeft(bit + 1).subtract(BigInteger.ONE);
                    return y.testBit(bit) ? y.and(m).or(MASK.xor(m)) : y.and(m);
                }, a, b);
            }
        }
    }

    @Test void byteOp() {
        Model2 model = (i, x) -> i.compareTo(BigInteger.valueOf(32)) >= 0 ? BigInteger.ZERO
                : x.shiftRight(8 * (31 - i.intValue())).and(BigInteger.valueOf(0xff));
        binary("byte", Arith::byteOp, model);
        for (int k = 0; k < 40; k++) for (BigInteger b : EDGES) check2("byte", Arith::byteOp, model, BigInteger.valueOf(k), b);
    }

    private static final int[] SHIFTS = {0, 1, 2, 7, 8, 31, 32, 63, 64, 65, 127, 128, 129, 191, 192, 193, 254, 255, 256, 257, 300, 511, 512, 1 << 20};

    private static void shifts(String name, Binary op, Model2 model) {
        binary(name, op, model);
        SplittableRandom r = new SplittableRandom(11);
        for (int sh : SHIFTS) {
            for (BigInteger v : EDGES) check2(name, op, model, BigInteger.valueOf(sh), v);
            for (int i = 0; i < 200; i++) check2(name, op, model, BigInteger.valueOf(sh), random(r));
        }
        for (int sh = 0; sh <= 260; sh++) check2(name, op, model, BigInteger.valueOf(sh), random(r));
        // a shift amount with high limbs set is "large" even when its low limb is small
        check2(name, op, model, BigInteger.ONE.shiftLeft(64).add(BigInteger.ONE), MASK);
        check2(name, op, model, BigInteger.ONE.shiftLeft(200), TWO_255);
    }

    private static boolean big(BigInteger sh) {
        return sh.compareTo(BigInteger.valueOf(256)) >= 0;
    }

    @Test void shl() { shifts("shl", Arith::shl, (sh, v) -> big(sh) ? BigInteger.ZERO : v.shiftLeft(sh.intValue()).and(MASK)); }

    @Test void shr() { shifts("shr", Arith::shr, (sh, v) -> big(sh) ? BigInteger.ZERO : v.shiftRight(sh.intValue())); }

    @Test void sar() {
        shifts("sar", Arith::sar, (sh, v) -> unsigned(signed(v).shiftRight(big(sh) ? 256 : sh.intValue())));
    }

    @Test void comparisons() {
        binary("lt", (s, a, b) -> setBool(s, b, Arith.lt(s, a, b)), (a, b) -> bit(a.compareTo(b) < 0));
        binary("gt", (s, a, b) -> setBool(s, b, Arith.lt(s, b, a)), (a, b) -> bit(a.compareTo(b) > 0));
        binary("slt", (s, a, b) -> setBool(s, b, Arith.slt(s, a, b)), (a, b) -> bit(signed(a).compareTo(signed(b)) < 0));
        binary("sgt", (s, a, b) -> setBool(s, b, Arith.slt(s, b, a)), (a, b) -> bit(signed(a).compareTo(signed(b)) > 0));
        binary("eq", (s, a, b) -> setBool(s, b, Arith.eq(s, a, b)), (a, b) -> bit(a.equals(b)));
    }

    private static BigInteger bit(boolean b) {
        return b ? BigInteger.ONE : BigInteger.ZERO;
    }

    private static void setBool(long[] s, int t, boolean v) {
        s[t] = v ? 1 : 0;
        s[t + 1] = s[t + 2] = s[t + 3] = 0;
    }
}
