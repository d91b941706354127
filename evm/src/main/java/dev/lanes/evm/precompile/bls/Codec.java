package dev.lanes.evm.precompile.bls;

import java.math.BigInteger;
import supranational.blst.P1;
import supranational.blst.P1_Affine;
import supranational.blst.P2;
import supranational.blst.P2_Affine;

/**
 * The EIP-2537 byte encodings, translated to and from blst's points.
 *
 * <p>EIP-2537 writes an F_p element as 64 bytes big-endian whose top 16 bytes must be zero and whose value must
 * be below p; an F_p2 element c0 + c1*i as c0 then c1; a point as x then y; the point at infinity as all zeros.
 * blst's uncompressed (ZCash) serialization instead uses 48-byte coordinates, writes F_p2 elements as c1 then c0,
 * and marks infinity with the 0x40 flag bit. The decoders here return {@code null} for anything the EIP calls
 * invalid: a bad field element or a point that is neither infinity nor on the curve. Subgroup membership is left
 * to the callers that require it.
 */
final class Codec {
    static final int FP_LENGTH = 64;
    static final int FP2_LENGTH = 128;
    static final int G1_LENGTH = 128;
    static final int G2_LENGTH = 256;
    static final int SCALAR_LENGTH = 32;

    /** The base field modulus. */
    static final BigInteger P = new BigInteger(
            "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab", 16);

    /** The order of G1 and G2. */
    static final BigInteger R = new BigInteger("73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001", 16);

    private static final byte[] P_BYTES = toBytes48(P);
    private static final int PAD = FP_LENGTH - 48;

    private Codec() {}

    /** True when {@code in[offset, offset+64)} is a canonical F_p element: 16 zero bytes, then a value below p. */
    static boolean isFp(byte[] in, int offset) {
        for (int i = 0; i < PAD; i++) {
            if (in[offset + i] != 0) return false;
        }
        return java.util.Arrays.compareUnsigned(in, offset + PAD, offset + FP_LENGTH, P_BYTES, 0, 48) < 0;
    }

    /** The F_p element at {@code offset}, or null when it is not canonical. */
    static BigInteger fp(byte[] in, int offset) {
        if (!isFp(in, offset)) return null;
        return new BigInteger(1, java.util.Arrays.copyOfRange(in, offset + PAD, offset + FP_LENGTH));
    }

    private static boolean allZero(byte[] in, int offset, int length) {
        for (int i = 0; i < length; i++) {
            if (in[offset + i] != 0) return false;
        }
        return true;
    }

    /** The G1 point (x, y) at {@code offset}, or null when a coordinate is not canonical or the point is off E. */
    static P1_Affine g1(byte[] in, int offset) {
        if (!isFp(in, offset) || !isFp(in, offset + FP_LENGTH)) return null;
        if (allZero(in, offset, G1_LENGTH)) return new P1_Affine();
        if (allZero(in, offset, FP_LENGTH)) {
            // x = 0: (0, 2) and (0, -2), of order 3, are on the curve. blst's parser refuses them ("not in
            // group"), but G1ADD must accept them, so they are built from blst's in-memory form instead.
            BigInteger y = fp(in, offset + FP_LENGTH);
            if (!y.multiply(y).mod(P).equals(BigInteger.valueOf(4))) return null;
            return g1FromCoordinates(BigInteger.ZERO, y);
        }
        byte[] raw = new byte[96];
        System.arraycopy(in, offset + PAD, raw, 0, 48);
        System.arraycopy(in, offset + FP_LENGTH + PAD, raw, 48, 48);
        return g1FromRaw(raw);
    }

    /** 2^384 mod p: blst keeps F_p elements in Montgomery form, a * 2^384 mod p in six little-endian 64-bit limbs. */
    private static final BigInteger MONTGOMERY_R = BigInteger.ONE.shiftLeft(384).mod(P);

    /**
     * The affine G1 point (x, y), both in [0, p), built straight from blst's in-memory layout (x then y, each in
     * Montgomery form) without blst's parser or any check. The caller vouches that it is on the curve.
     */
    static P1_Affine g1FromCoordinates(BigInteger x, BigInteger y) {
        long[] limbs = new long[12];
        montgomeryLimbs(x, limbs, 0);
        montgomeryLimbs(y, limbs, 6);
        return new RawG1(limbs);
    }

    private static void montgomeryLimbs(BigInteger a, long[] out, int offset) {
        BigInteger m = a.multiply(MONTGOMERY_R).mod(P);
        for (int i = 0; i < 6; i++) out[offset + i] = m.shiftRight(64 * i).longValue();
    }

    /** Reaches P1_Affine's protected constructor from the raw struct. */
    private static final class RawG1 extends P1_Affine {
        RawG1(long[] limbs) {
            super(limbs);
        }
    }

    /** A G1 point from blst's 96-byte uncompressed form (flags clear), or null when it is not on E. */
    static P1_Affine g1FromRaw(byte[] raw) {
        try {
            P1_Affine p = new P1_Affine(raw);
            return p.on_curve() ? p : null;
        } catch (RuntimeException e) {
            return null; // blst reports an off-curve or badly encoded point by throwing
        }
    }

    /** The G2 point at {@code offset}, or null when a coordinate is not canonical or the point is off E'. */
    static P2_Affine g2(byte[] in, int offset) {
        for (int i = 0; i < 4; i++) {
            if (!isFp(in, offset + i * FP_LENGTH)) return null;
        }
        if (allZero(in, offset, G2_LENGTH)) return new P2_Affine();
        byte[] raw = new byte[192];
        // EIP order x.c0 x.c1 y.c0 y.c1; blst order x.c1 x.c0 y.c1 y.c0.
        System.arraycopy(in, offset + FP_LENGTH + PAD, raw, 0, 48);
        System.arraycopy(in, offset + PAD, raw, 48, 48);
        System.arraycopy(in, offset + 3 * FP_LENGTH + PAD, raw, 96, 48);
        System.arraycopy(in, offset + 2 * FP_LENGTH + PAD, raw, 144, 48);
        return g2FromRaw(raw);
    }

    /** A G2 point from blst's 192-byte uncompressed form, or null when it is not on E'. */
    static P2_Affine g2FromRaw(byte[] raw) {
        try {
            P2_Affine q = new P2_Affine(raw);
            return q.on_curve() ? q : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The 128-byte EIP encoding of {@code p}. */
    static byte[] encode(P1 p) {
        byte[] out = new byte[G1_LENGTH];
        if (p.is_inf()) return out;
        byte[] raw = p.serialize();
        System.arraycopy(raw, 0, out, PAD, 48);
        System.arraycopy(raw, 48, out, FP_LENGTH + PAD, 48);
        return out;
    }

    /** The 256-byte EIP encoding of {@code q}. */
    static byte[] encode(P2 q) {
        byte[] out = new byte[G2_LENGTH];
        if (q.is_inf()) return out;
        byte[] raw = q.serialize();
        System.arraycopy(raw, 0, out, FP_LENGTH + PAD, 48);
        System.arraycopy(raw, 48, out, PAD, 48);
        System.arraycopy(raw, 96, out, 3 * FP_LENGTH + PAD, 48);
        System.arraycopy(raw, 144, out, 2 * FP_LENGTH + PAD, 48);
        return out;
    }

    /** The 32-byte big-endian scalar at {@code offset}, as an unsigned integer (not reduced). */
    static BigInteger scalar(byte[] in, int offset) {
        return new BigInteger(1, java.util.Arrays.copyOfRange(in, offset, offset + SCALAR_LENGTH));
    }

    /** {@code v} (below 2^384) as 48 bytes big-endian. */
    static byte[] toBytes48(BigInteger v) {
        byte[] b = v.toByteArray();
        byte[] out = new byte[48];
        int n = Math.min(b.length, 48);
        System.arraycopy(b, b.length - n, out, 48 - n, n);
        return out;
    }
}
