package dev.lanes.executor;

import dev.lanes.evm.BlobGas;
import dev.lanes.evm.ForkRules;
import dev.lanes.primitives.UInt256;

/**
 * Block-validity rules that need no state, as pure functions of the block (or its parent header) and the
 * block's fork rules. Each check returns {@code null} when the block is valid and otherwise the reason.
 *
 * <ul>
 *   <li>EIP-7934 (Osaka): the block's RLP encoding may be at most {@link #MAX_RLP_BLOCK_SIZE} bytes.</li>
 *   <li>EIP-4844 / EIP-7918: the header's {@code excessBlobGas} must follow from its parent's
 *       ({@link BlobGas#excessBlobGas}, which holds the formula).</li>
 * </ul>
 * The replay data hold no parent headers, so the excess-blob-gas check is for a node that keeps the chain.
 */
public final class BlockValidation {
    /** EIP-7934: the networking layer's message cap (10 MiB). */
    public static final int MAX_BLOCK_SIZE = 10_485_760;
    /** EIP-7934: room left under the cap for the consensus layer's wrapping (2 MiB). */
    public static final int SAFETY_MARGIN = 2_097_152;
    /** EIP-7934: the longest valid block RLP, 8,388,608 bytes. */
    public static final int MAX_RLP_BLOCK_SIZE = MAX_BLOCK_SIZE - SAFETY_MARGIN;

    private BlockValidation() {}

    /** EIP-7934: {@code null} when a block whose RLP is {@code rlpLength} bytes long is within the limit of its fork. */
    public static String checkRlpSize(long rlpLength, ForkRules rules) {
        if (rlpLength < 0) throw new IllegalArgumentException("negative block length " + rlpLength);
        if (!rules.eip7934BlockSizeLimit || rlpLength <= MAX_RLP_BLOCK_SIZE) return null;
        return "block RLP is " + rlpLength + " bytes, more than the EIP-7934 limit of " + MAX_RLP_BLOCK_SIZE;
    }

    /** EIP-7934 on an encoded block ({@link BlockRlp#encode}). */
    public static String checkRlpSize(byte[] encodedBlock, ForkRules rules) {
        return checkRlpSize(encodedBlock.length, rules);
    }

    /**
     * The {@code excessBlobGas} a child of {@code parent} must carry under the child's {@code rules}. A parent
     * without blob fields (the block before Cancun's first) counts as zero excess, zero blob gas used and
     * zero base fee, as the specification says for the fork block.
     *
     * @throws IllegalArgumentException when the rules have no blobs, or the parent has only one of the two
     *     blob fields (a header with blob fields always has a base fee: see {@link BlockHeader})
     */
    public static long expectedExcessBlobGas(BlockHeader parent, ForkRules rules) {
        if (parent == null) throw new IllegalArgumentException("parent header is missing");
        Long used = parent.blobGasUsed(), excess = parent.excessBlobGas();
        if (used == null && excess == null) return BlobGas.excessBlobGas(0, 0, UInt256.ZERO, rules);
        if (used == null || excess == null)
            throw new IllegalArgumentException("parent header " + parent.number() + " has "
                    + (used == null ? "excessBlobGas but no blobGasUsed" : "blobGasUsed but no excessBlobGas"));
        return BlobGas.excessBlobGas(excess, used, parent.baseFeePerGas(), rules);
    }

    /** {@code null} when {@code header.excessBlobGas} is what its parent implies under {@code rules} (the child's). */
    public static String checkExcessBlobGas(BlockHeader parent, BlockHeader header, ForkRules rules) {
        if (header == null) throw new IllegalArgumentException("header is missing");
        if (header.excessBlobGas() == null) return "header " + header.number() + " has no excessBlobGas (required from Cancun)";
        long expected = expectedExcessBlobGas(parent, rules);
        if (header.excessBlobGas() != expected)
            return "excessBlobGas " + header.excessBlobGas() + ", expected " + expected + " from the parent"
                    + (rules.eip7918BlobReservePrice ? " (with the EIP-7918 reserve price)" : "");
        return null;
    }
}
