package dev.lanes.evm.precompile.bn254;

import dev.lanes.evm.precompile.Precompile;
import java.util.ArrayList;
import java.util.List;

/**
 * Precompile 0x08, ECPAIRING (EIP-197): whether e(P1, Q1) * ... * e(Pk, Qk) = 1 in GT. The input is k
 * 192-byte pairs, each a G1 point (64 bytes, as for ECADD) and a G2 point (128 bytes: x then y, each as
 * imaginary part then real part). A length that is not a multiple of 192, a coordinate not below p, a point
 * off its curve, or a G2 point outside the order-r subgroup makes the call fail. The output is a 32-byte
 * word, 1 or 0; no pairs at all give 1.
 *
 * <p>Gas is {@code base + perPair * k}: 100000 + 80000k from Byzantium, 45000 + 34000k from Istanbul
 * (EIP-1108).
 */
public final class Bn254Pairing implements Precompile {
    private static final int PAIR_LENGTH = 192;

    private final long base;
    private final long perPair;

    public Bn254Pairing(long base, long perPair) {
        this.base = base;
        this.perPair = perPair;
    }

    @Override
    public long gasCost(byte[] input) {
        long pairs = input.length / PAIR_LENGTH;
        // Input lengths are bounded by an int, so this only saturates for absurd prices.
        if (perPair != 0 && pairs > (Long.MAX_VALUE - base) / perPair) {
            return Long.MAX_VALUE;
        }
        return base + perPair * pairs;
    }

    @Override
    public byte[] execute(byte[] input) {
        if (input.length % PAIR_LENGTH != 0) {
            return null;
        }
        int k = input.length / PAIR_LENGTH;
        List<JacobianPoint<Fp>> ps = new ArrayList<>(k);
        List<JacobianPoint<Fp2>> qs = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            JacobianPoint<Fp> p = G1.decode(input, i * PAIR_LENGTH);
            JacobianPoint<Fp2> q = G2.decode(input, i * PAIR_LENGTH + 64);
            if (p == null || q == null) {
                return null;
            }
            ps.add(p);
            qs.add(q);
        }
        byte[] out = new byte[32];
        if (Pairing.check(ps, qs)) {
            out[31] = 1;
        }
        return out;
    }
}
