package dev.lanes.evm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.primitives.UInt256;
import org.junit.jupiter.api.Test;

/**
 * The excess-blob-gas update (EIP-4844) and EIP-7918's reserve price. Expected values are worked out by hand
 * in the comments. Blob schedules (in blobs of GAS_PER_BLOB = 131,072 gas): Cancun target 3 = 393,216 /
 * max 6, fraction 3,338,477; Prague and Osaka target 6 = 786,432 / max 9 = 1,179,648, fraction 5,007,716.
 */
class BlobGasTest {
    private static final ForkRules CANCUN = ForkRules.of(Fork.CANCUN);
    private static final ForkRules PRAGUE = ForkRules.of(Fork.PRAGUE);
    private static final ForkRules OSAKA = ForkRules.of(Fork.OSAKA);
    private static final long BLOB = 131_072;
    private static final UInt256 ONE_GWEI = UInt256.of(1_000_000_000L);

    @Test
    void eip7918IsOsakaOn() {
        assertFalse(CANCUN.eip7918BlobReservePrice);
        assertFalse(PRAGUE.eip7918BlobReservePrice);
        assertTrue(OSAKA.eip7918BlobReservePrice);
        assertEquals(8192, BlobGas.BLOB_BASE_COST);
        // Osaka keeps Prague's blob schedule.
        assertEquals(6 * BLOB, OSAKA.targetBlobGasPerBlock);
        assertEquals(9 * BLOB, OSAKA.maxBlobGasPerBlock);
        assertEquals(5_007_716, OSAKA.blobBaseFeeUpdateFraction);
    }

    @Test
    void blobBaseFeeValuesUsedBelow() {
        // fake_exponential(1, x, f) ~ e^(x/f): e^(1,000,000/5,007,716) = e^0.1997 = 1.22 -> 1;
        // e^(10,000,000/5,007,716) = e^1.9969 = 7.37 -> 7; zero excess -> exactly 1 (the minimum).
        assertEquals(UInt256.ONE, BlobGas.baseFee(0, 5_007_716));
        assertEquals(UInt256.ONE, BlobGas.baseFee(1_000_000, 5_007_716));
        assertEquals(UInt256.of(7), BlobGas.baseFee(10_000_000, 5_007_716));
    }

    @Test
    void belowTargetIsZero() {
        // 0 + 5 blobs = 655,360 < 786,432: zero, even with a base fee that would trigger the reserve price.
        assertEquals(0, BlobGas.excessBlobGas(0, 5 * BLOB, ONE_GWEI, OSAKA));
        // Cancun: 100,000 + 262,144 = 362,144 < 393,216.
        assertEquals(0, BlobGas.excessBlobGas(100_000, 2 * BLOB, UInt256.ZERO, CANCUN));
        // One gas short of the target.
        assertEquals(0, BlobGas.excessBlobGas(786_431, 0, ONE_GWEI, OSAKA));
    }

    @Test
    void preOsakaIsExcessPlusUsedMinusTarget() {
        // Cancun: 1,000,000 + 786,432 - 393,216 = 1,393,216.
        assertEquals(1_393_216, BlobGas.excessBlobGas(1_000_000, 6 * BLOB, ONE_GWEI, CANCUN));
        // Prague: 1,000,000 + 917,504 - 786,432 = 1,131,072; a base fee of 1 gwei would trigger EIP-7918, which
        // Prague does not have.
        assertEquals(1_131_072, BlobGas.excessBlobGas(1_000_000, 7 * BLOB, ONE_GWEI, PRAGUE));
        // Exactly at the target: 786,432 - 786,432 = 0.
        assertEquals(0, BlobGas.excessBlobGas(0, 6 * BLOB, ONE_GWEI, PRAGUE));
        // With no blobs the excess falls by the target: 1,000,000 - 786,432 = 213,568.
        assertEquals(213_568, BlobGas.excessBlobGas(1_000_000, 0, ONE_GWEI, PRAGUE));
    }

    @Test
    void osakaReservePriceBranch() {
        // Parent excess 1,000,000 -> blob base fee 1, so GAS_PER_BLOB x 1 = 131,072. Base fee 17:
        // 8,192 x 17 = 139,264 > 131,072 -> reserve branch:
        // 1,000,000 + 917,504 x (9 - 6) / 9 = 1,000,000 + 2,752,512 / 9 = 1,000,000 + 305,834 (floor) = 1,305,834.
        assertEquals(1_305_834, BlobGas.excessBlobGas(1_000_000, 7 * BLOB, UInt256.of(17), OSAKA));
        // The same parent under Prague takes the normal rule: 1,131,072.
        assertEquals(1_131_072, BlobGas.excessBlobGas(1_000_000, 7 * BLOB, UInt256.of(17), PRAGUE));
        // An empty parent block no longer lowers the excess: 1,000,000 + 0 x 3 / 9 = 1,000,000 (normal: 213,568).
        assertEquals(1_000_000, BlobGas.excessBlobGas(1_000_000, 0, ONE_GWEI, OSAKA));
        // A full parent: 1,000,000 + 1,179,648 x 3 / 9 = 1,000,000 + 393,216 = 1,393,216 (the normal rule gives
        // the same, 1,000,000 + 1,179,648 - 786,432, since max - target = 3 blobs either way).
        assertEquals(1_393_216, BlobGas.excessBlobGas(1_000_000, 9 * BLOB, ONE_GWEI, OSAKA));
    }

    @Test
    void osakaAtExactEqualityTakesTheNormalBranch() {
        // Blob base fee 1: 8,192 x 16 = 131,072 = 131,072 x 1, not greater -> normal: 1,131,072.
        assertEquals(1_131_072, BlobGas.excessBlobGas(1_000_000, 7 * BLOB, UInt256.of(16), OSAKA));
        // Blob base fee 7 (excess 10,000,000): 131,072 x 7 = 917,504 = 8,192 x 112.
        // Base fee 112 -> equal -> normal: 10,000,000 + 917,504 - 786,432 = 10,131,072.
        assertEquals(10_131_072, BlobGas.excessBlobGas(10_000_000, 7 * BLOB, UInt256.of(112), OSAKA));
        // Base fee 113: 925,696 > 917,504 -> reserve: 10,000,000 + 305,834 = 10,305,834.
        assertEquals(10_305_834, BlobGas.excessBlobGas(10_000_000, 7 * BLOB, UInt256.of(113), OSAKA));
        // Zero excess, target reached exactly, base fee 16 (equal) -> normal: 0; base fee 17 -> reserve:
        // 0 + 786,432 x 3 / 9 = 262,144.
        assertEquals(0, BlobGas.excessBlobGas(0, 6 * BLOB, UInt256.of(16), OSAKA));
        assertEquals(262_144, BlobGas.excessBlobGas(0, 6 * BLOB, UInt256.of(17), OSAKA));
    }

    @Test
    void aCustomBlobScheduleKeepsTheReservePrice() {
        // Target 10, max 15 blobs: 0 + 10 blobs reaches the target; base fee 17 > 16 -> reserve:
        // 1,310,720 x (15 - 10) / 15 = 436,906 (6,553,600 / 15 = 436,906.67).
        ForkRules custom = OSAKA.withBlobSchedule(10, 15, 8_346_193);
        assertEquals(436_906, BlobGas.excessBlobGas(0, 10 * BLOB, UInt256.of(17), custom));
    }

    @Test
    void badInputIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BlobGas.excessBlobGas(0, 0, UInt256.ZERO, ForkRules.of(Fork.SHANGHAI)));
        assertTrue(e.getMessage().contains("no blob gas"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BlobGas.excessBlobGas(0, 0, null, OSAKA));
        assertTrue(e.getMessage().contains("baseFeePerGas"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BlobGas.excessBlobGas(-1, 0, UInt256.ZERO, OSAKA));
        assertThrows(ArithmeticException.class, () -> BlobGas.excessBlobGas(Long.MAX_VALUE, 1, UInt256.ZERO, OSAKA));
    }
}
