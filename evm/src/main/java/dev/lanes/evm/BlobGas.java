package dev.lanes.evm;

import dev.lanes.primitives.UInt256;
import java.math.BigInteger;

/** EIP-4844 blob base fee: fake_exponential(MIN_BASE_FEE_PER_BLOB_GAS, excess, update_fraction). */
public final class BlobGas {
    private BlobGas() {}

    public static UInt256 baseFee(long excessBlobGas, long updateFraction) {
        BigInteger factor = BigInteger.ONE;
        BigInteger numerator = BigInteger.valueOf(excessBlobGas);
        BigInteger denominator = BigInteger.valueOf(updateFraction);
        BigInteger i = BigInteger.ONE;
        BigInteger output = BigInteger.ZERO;
        BigInteger acc = factor.multiply(denominator);
        while (acc.signum() > 0) {
            output = output.add(acc);
            acc = acc.multiply(numerator).divide(denominator.multiply(i));
            i = i.add(BigInteger.ONE);
        }
        return UInt256.fromBigInteger(output.divide(denominator));
    }
}
