package dev.lanes.evm.precompile.bn254;

/**
 * The group G1: the points of E: y^2 = x^3 + 3 over F_p. E(F_p) has prime order r, so every point on the
 * curve is in G1 and decoding needs no subgroup check. Encoding follows EIP-196: x then y, each a 32-byte
 * big-endian integer, with (0, 0) standing for the point at infinity (which is not on the curve).
 */
final class G1 {
    static final Fp B = Fp.of(3);

    /** The generator (1, 2) that EIP-196 and EIP-197 use. */
    static final JacobianPoint<Fp> GENERATOR = JacobianPoint.affine(Fp.of(1), Fp.of(2));

    private G1() {}

    /** Reads a point from 64 bytes at {@code off}; null when a coordinate is not below p or the point is off the curve. */
    static JacobianPoint<Fp> decode(byte[] in, int off) {
        Fp x = Fp.fromBytes(in, off);
        Fp y = Fp.fromBytes(in, off + 32);
        if (x == null || y == null) {
            return null;
        }
        if (x.isZero() && y.isZero()) {
            return JacobianPoint.infinity(x);
        }
        JacobianPoint<Fp> p = JacobianPoint.affine(x, y);
        return p.isOnCurve(B) ? p : null;
    }

    /** Writes the point's affine coordinates as 64 bytes, infinity as zeros. */
    static byte[] encode(JacobianPoint<Fp> p) {
        byte[] out = new byte[64];
        if (!p.isInfinity()) {
            JacobianPoint<Fp> a = p.normalize();
            a.x.toBytes(out, 0);
            a.y.toBytes(out, 32);
        }
        return out;
    }
}
