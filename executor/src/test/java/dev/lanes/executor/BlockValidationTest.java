package dev.lanes.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.evm.Fork;
import dev.lanes.evm.ForkRules;
import dev.lanes.evm.tx.Transaction;
import dev.lanes.evm.tx.TxType;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.UInt256;
import java.util.List;
import org.junit.jupiter.api.Test;

/** EIP-7934 (block RLP size cap) and the header-level excess-blob-gas check (EIP-4844 with EIP-7918). */
class BlockValidationTest {
    private static final ForkRules CANCUN = ForkRules.of(Fork.CANCUN);
    private static final ForkRules PRAGUE = ForkRules.of(Fork.PRAGUE);
    private static final ForkRules OSAKA = ForkRules.of(Fork.OSAKA);
    private static final long BLOB = 131_072;

    @Test
    void eip7934IsOsakaOn() {
        for (Fork f : Fork.values()) assertEquals(f.isEnabled(Fork.OSAKA), ForkRules.of(f).eip7934BlockSizeLimit, f.toString());
        // 10 MiB - 2 MiB = 10,485,760 - 2,097,152 = 8,388,608 = 2^23.
        assertEquals(1 << 23, BlockValidation.MAX_RLP_BLOCK_SIZE);
    }

    @Test
    void rlpSizeLimitAtTheBoundary() {
        assertNull(BlockValidation.checkRlpSize(8_388_608, OSAKA));
        String reason = BlockValidation.checkRlpSize(8_388_609, OSAKA);
        assertNotNull(reason);
        assertTrue(reason.contains("EIP-7934") && reason.contains("8388609"), reason);
        assertNull(BlockValidation.checkRlpSize(0, OSAKA));
        // No limit before Osaka.
        assertNull(BlockValidation.checkRlpSize(8_388_609, PRAGUE));
        assertNull(BlockValidation.checkRlpSize(1L << 40, PRAGUE));
        assertNull(BlockValidation.checkRlpSize(8_388_609, ForkRules.of(Fork.FRONTIER)));
        assertThrows(IllegalArgumentException.class, () -> BlockValidation.checkRlpSize(-1, OSAKA));
    }

    /** A whole encoded block, grown to exactly the limit with one transaction's data, then one byte more. */
    @Test
    void anEncodedBlockAtTheBoundary() {
        BlockHeader h = header(UInt256.of(7), 0L, 0L);
        List<Withdrawal> ws = List.of(new Withdrawal(1, 2, Address.ofLow(3), 4));
        int probe = 8_000_000;
        int probeSize = BlockRlp.encode(h, List.of(legacyTx(probe)), List.of(), ws).length;
        // Between 65,536 and 16 MiB every length prefix involved is 3 bytes, so one more data byte is one more
        // block byte.
        int exact = probe + (BlockValidation.MAX_RLP_BLOCK_SIZE - probeSize);
        byte[] atLimit = BlockRlp.encode(h, List.of(legacyTx(exact)), List.of(), ws);
        byte[] overLimit = BlockRlp.encode(h, List.of(legacyTx(exact + 1)), List.of(), ws);
        assertEquals(8_388_608, atLimit.length);
        assertEquals(8_388_609, overLimit.length);
        assertNull(BlockValidation.checkRlpSize(atLimit, OSAKA));
        assertNotNull(BlockValidation.checkRlpSize(overLimit, OSAKA));
        assertNull(BlockValidation.checkRlpSize(overLimit, PRAGUE));
    }

    @Test
    void excessBlobGasFromTheParentHeader() {
        // Parent: excess 1,000,000 (blob base fee 1), 7 blobs = 917,504 used, base fee 17.
        // 8,192 x 17 = 139,264 > 131,072 x 1, so Osaka takes the reserve branch:
        //   1,000,000 + 917,504 x 3 / 9 = 1,305,834 (floor of 305,834.67);
        // Prague the normal one: 1,000,000 + 917,504 - 786,432 = 1,131,072.
        BlockHeader parent = header(UInt256.of(17), 7 * BLOB, 1_000_000L);
        assertEquals(1_305_834, BlockValidation.expectedExcessBlobGas(parent, OSAKA));
        assertEquals(1_131_072, BlockValidation.expectedExcessBlobGas(parent, PRAGUE));

        assertNull(BlockValidation.checkExcessBlobGas(parent, header(UInt256.of(9), 0L, 1_305_834L), OSAKA));
        String reason = BlockValidation.checkExcessBlobGas(parent, header(UInt256.of(9), 0L, 1_131_072L), OSAKA);
        assertNotNull(reason);
        assertTrue(reason.contains("1305834") && reason.contains("EIP-7918"), reason);
        assertNull(BlockValidation.checkExcessBlobGas(parent, header(UInt256.of(9), 0L, 1_131_072L), PRAGUE));

        // At equality (base fee 16: 8,192 x 16 = 131,072 x 1) Osaka keeps the normal rule.
        assertEquals(1_131_072, BlockValidation.expectedExcessBlobGas(header(UInt256.of(16), 7 * BLOB, 1_000_000L), OSAKA));
    }

    @Test
    void theFirstBlobBlocksParentCountsAsZero() {
        // A Shanghai parent has no blob fields: excess 0 + used 0 < target -> 0.
        BlockHeader shanghaiParent = new BlockHeader(Hash.ZERO, Hash.EMPTY_LIST, Address.ZERO, Hash.ZERO, Hash.EMPTY_TRIE,
                Hash.EMPTY_TRIE, new byte[256], UInt256.ZERO, 1, 30_000_000, 0, 1, new byte[0], Hash.ZERO, 0,
                UInt256.of(1_000_000_000L), Hash.EMPTY_TRIE, null, null, null, null);
        assertEquals(0, BlockValidation.expectedExcessBlobGas(shanghaiParent, CANCUN));
        assertNull(BlockValidation.checkExcessBlobGas(shanghaiParent, header(UInt256.ONE, 0L, 0L), CANCUN));
        assertNotNull(BlockValidation.checkExcessBlobGas(shanghaiParent, header(UInt256.ONE, 0L, 1L), CANCUN));
    }

    @Test
    void badHeadersAreReported() {
        BlockHeader parent = header(UInt256.ONE, 0L, 0L);
        BlockHeader noExcess = new BlockHeader(Hash.ZERO, Hash.EMPTY_LIST, Address.ZERO, Hash.ZERO, Hash.EMPTY_TRIE,
                Hash.EMPTY_TRIE, new byte[256], UInt256.ZERO, 2, 30_000_000, 0, 2, new byte[0], Hash.ZERO, 0,
                UInt256.ONE, Hash.EMPTY_TRIE, 0L, null, null, null);
        String reason = BlockValidation.checkExcessBlobGas(parent, noExcess, OSAKA);
        assertTrue(reason != null && reason.contains("excessBlobGas"), reason);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BlockValidation.expectedExcessBlobGas(noExcess, OSAKA));
        assertTrue(e.getMessage().contains("no excessBlobGas"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BlockValidation.expectedExcessBlobGas(parent, ForkRules.of(Fork.SHANGHAI)));
        assertThrows(IllegalArgumentException.class, () -> BlockValidation.expectedExcessBlobGas(null, OSAKA));
        assertFalse(PRAGUE.eip7918BlobReservePrice);
    }

    /** An Osaka-shaped header (all 21 fields). */
    private static BlockHeader header(UInt256 baseFee, Long blobGasUsed, Long excessBlobGas) {
        return new BlockHeader(Hash.ZERO, Hash.EMPTY_LIST, Address.ofLow(0x42), Hash.ZERO, Hash.EMPTY_TRIE,
                Hash.EMPTY_TRIE, new byte[256], UInt256.ZERO, 23_000_000, 45_000_000, 0, 1_765_000_000L, new byte[0],
                Hash.ZERO, 0, baseFee, Hash.EMPTY_TRIE, blobGasUsed, excessBlobGas, Hash.ZERO, Hash.EMPTY_TRIE);
    }

    private static Transaction legacyTx(int dataLength) {
        return Transaction.builder(TxType.LEGACY).nonce(1).gasPrice(UInt256.of(1_000_000_000L)).gasLimit(30_000_000)
                .to(Address.ofLow(0x1234)).data(new byte[dataLength])
                .withSignature(UInt256.of(37), UInt256.ONE, UInt256.ONE);
    }
}
