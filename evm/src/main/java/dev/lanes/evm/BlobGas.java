package dev.lanes.evm;

import dev.lanes.evm.tx.TransactionProcessor;
import dev.lanes.primitives.UInt256;
import java.math.BigInteger;

/**
 * Blob gas pricing: the EIP-4844 blob base fee, and the per-block update of the excess blob gas that drives
 * it (EIP-4844, with EIP-7918's reserve price from Osaka). Not on a hot path: both run once per block.
 */
public final class BlobGas {
    /**
     * EIP-7918: a blob is never priced below {@code BLOB_BASE_COST} units of execution gas, i.e. while
     * {@code BLOB_BASE_COST * baseFeePerGas > GAS_PER_BLOB * blobBaseFee} the excess stops falling.
     */
    public static final long BLOB_BASE_COST = 1L << 13;

    private BlobGas() {}

    /** EIP-4844: fake_exponential(MIN_BASE_FEE_PER_BLOB_GAS = 1, excessBlobGas, updateFraction). */
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

    /**
     * The {@code excessBlobGas} a block must carry, from its parent's {@code excessBlobGas},
     * {@code blobGasUsed} and {@code baseFeePerGas} (all zero when the parent predates Cancun), under the
     * block's own rules (its blob schedule and whether EIP-7918 applies):
     * <ul>
     *   <li>below target ({@code parentExcess + parentUsed < target}): zero;</li>
     *   <li>EIP-7918, when execution gas makes blobs look cheap
     *       ({@code BLOB_BASE_COST * parentBaseFee > GAS_PER_BLOB * baseFee(parentExcess)}): the excess grows by
     *       {@code parentUsed * (maxBlobs - targetBlobs) / maxBlobs} and never shrinks;</li>
     *   <li>otherwise: {@code parentExcess + parentUsed - target}.</li>
     * </ul>
     * The comparison is strict: at equality the normal rule applies.
     *
     * @throws IllegalArgumentException when the rules have no blobs (before Cancun) or a value is negative
     * @throws ArithmeticException when the sum overflows 64 bits (the spec's uint64 would too)
     */
    public static long excessBlobGas(long parentExcessBlobGas, long parentBlobGasUsed, UInt256 parentBaseFee,
                                     ForkRules rules) {
        if (!rules.eip4844) throw new IllegalArgumentException(rules.fork() + " has no blob gas (EIP-4844 is Cancun)");
        if (parentExcessBlobGas < 0) throw new IllegalArgumentException("parent excessBlobGas is negative: " + parentExcessBlobGas);
        if (parentBlobGasUsed < 0) throw new IllegalArgumentException("parent blobGasUsed is negative: " + parentBlobGasUsed);
        if (parentBaseFee == null) throw new IllegalArgumentException("parent baseFeePerGas is missing");
        long target = rules.targetBlobGasPerBlock;
        long parentBlobGas = Math.addExact(parentExcessBlobGas, parentBlobGasUsed);
        if (parentBlobGas < target) return 0;
        if (rules.eip7918BlobReservePrice) {
            BigInteger executionPrice = BigInteger.valueOf(BLOB_BASE_COST).multiply(parentBaseFee.toBigInteger());
            BigInteger blobPrice = BigInteger.valueOf(TransactionProcessor.GAS_PER_BLOB)
                    .multiply(baseFee(parentExcessBlobGas, rules.blobBaseFeeUpdateFraction).toBigInteger());
            if (executionPrice.compareTo(blobPrice) > 0) {
                long targetBlobs = target / TransactionProcessor.GAS_PER_BLOB;
                long maxBlobs = rules.maxBlobGasPerBlock / TransactionProcessor.GAS_PER_BLOB;
                return Math.addExact(parentExcessBlobGas,
                        Math.multiplyExact(parentBlobGasUsed, maxBlobs - targetBlobs) / maxBlobs);
            }
        }
        return parentBlobGas - target;
    }
}
