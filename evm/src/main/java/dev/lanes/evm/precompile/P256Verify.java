package dev.lanes.evm.precompile;

import java.math.BigInteger;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;

/**
 * 0x100 P256VERIFY (EIP-7951): ECDSA verification over secp256r1 (NIST P-256) of an already-hashed message.
 *
 * <p>Input is exactly 160 bytes: message hash {@code h}, signature {@code r}, {@code s}, public key {@code qx},
 * {@code qy}, each a 32-byte big-endian number. Output is the word 1 for a valid signature and empty for
 * anything else: a bad signature and a malformed input alike. The precompile never fails the call, so
 * {@link #execute} never returns {@code null}; the flat 6900 gas is charged either way.
 *
 * <p>Verification is done here on BouncyCastle's curve arithmetic rather than through a JCA signature, because
 * the input is a bare hash (JCA's SHA256withECDSA would hash it again) and EIP-7951 pins every validation step.
 */
public final class P256Verify implements Precompile {
    private static final long GAS = 6900;
    private static final int INPUT_LENGTH = 160;
    private static final byte[] EMPTY = new byte[0];

    private static final X9ECParameters PARAMS = CustomNamedCurves.getByName("secp256r1");
    private static final ECCurve CURVE = PARAMS.getCurve();
    private static final ECPoint G = PARAMS.getG();
    private static final BigInteger N = PARAMS.getN();
    private static final BigInteger P = CURVE.getField().getCharacteristic();
    private static final BigInteger A = CURVE.getA().toBigInteger();
    private static final BigInteger B = CURVE.getB().toBigInteger();

    @Override
    public long gasCost(byte[] input) {
        return GAS;
    }

    @Override
    public byte[] execute(byte[] input) {
        return verify(input) ? success() : EMPTY;
    }

    private static byte[] success() {
        byte[] out = new byte[32];
        out[31] = 1;
        return out;
    }

    /** EIP-7951's algorithm, step by step; false for every invalid input. */
    static boolean verify(byte[] input) {
        if (input.length != INPUT_LENGTH) return false;
        BigInteger h = word(input, 0);
        BigInteger r = word(input, 32);
        BigInteger s = word(input, 64);
        BigInteger qx = word(input, 96);
        BigInteger qy = word(input, 128);

        if (!inRange(r) || !inRange(s)) return false;
        if (qx.compareTo(P) >= 0 || qy.compareTo(P) >= 0) return false;
        // (0, 0) is the conventional encoding of infinity; it is not on the curve (b != 0), so the curve-equation
        // check below rejects it too, but the EIP lists it as its own rule.
        if (qx.signum() == 0 && qy.signum() == 0) return false;
        if (!onCurve(qx, qy)) return false;

        ECPoint q = CURVE.createPoint(qx, qy);
        BigInteger sInv = s.modInverse(N);
        // The hash is used whole: P-256's order has 256 bits, so no truncation applies, and h >= n simply
        // reduces mod n inside the scalar multiplication.
        BigInteger u1 = h.multiply(sInv).mod(N);
        BigInteger u2 = r.multiply(sInv).mod(N);
        ECPoint rPoint = ECAlgorithms.sumOfTwoMultiplies(G, u1, q, u2).normalize();
        if (rPoint.isInfinity()) return false;
        return rPoint.getAffineXCoord().toBigInteger().mod(N).equals(r);
    }

    private static boolean inRange(BigInteger v) {
        return v.signum() > 0 && v.compareTo(N) < 0;
    }

    /** y^2 == x^3 + ax + b (mod p), for coordinates already known to be below p. */
    private static boolean onCurve(BigInteger x, BigInteger y) {
        BigInteger lhs = y.multiply(y).mod(P);
        BigInteger rhs = x.multiply(x).add(A).multiply(x).add(B).mod(P);
        return lhs.equals(rhs);
    }

    private static BigInteger word(byte[] input, int offset) {
        byte[] w = new byte[32];
        System.arraycopy(input, offset, w, 0, 32);
        return new BigInteger(1, w);
    }
}
