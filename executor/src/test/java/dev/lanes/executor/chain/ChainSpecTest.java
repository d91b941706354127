package dev.lanes.executor.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.evm.Fork;
import dev.lanes.primitives.UInt256;
import org.junit.jupiter.api.Test;

class ChainSpecTest {
    @Test void singleEras() {
        assertEquals(Fork.CANCUN, ChainSpec.forNetwork("Cancun").eraAt(1, 1, UInt256.ONE).fork());
        assertEquals(Fork.PARIS, ChainSpec.forNetwork("Merge").eraAt(1, 1, UInt256.ONE).fork());
        assertEquals(Fork.PETERSBURG, ChainSpec.forNetwork("ConstantinopleFix").eraAt(1, 1, UInt256.ONE).fork());
        assertEquals(-1, ChainSpec.forNetwork("Cancun").daoBlock());
    }

    @Test void transitionsByNumberTimeAndDifficulty() {
        ChainSpec byNumber = ChainSpec.forNetwork("FrontierToHomesteadAt5");
        assertEquals(Fork.FRONTIER, byNumber.eraAt(4, 1_000_000, UInt256.ONE).fork());
        assertEquals(Fork.HOMESTEAD, byNumber.eraAt(5, 0, UInt256.ONE).fork());

        ChainSpec byTime = ChainSpec.forNetwork("ParisToShanghaiAtTime15k");
        assertEquals(Fork.PARIS, byTime.eraAt(100, 14_999, UInt256.ZERO).fork());
        assertEquals(Fork.SHANGHAI, byTime.eraAt(1, 15_000, UInt256.ZERO).fork());

        ChainSpec byTd = ChainSpec.forNetwork("ArrowGlacierToParisAtDiffC0000");
        assertEquals("ArrowGlacier", byTd.eraAt(5, 5, UInt256.of(0xBFFFF)).name());
        assertEquals("Paris", byTd.eraAt(5, 5, UInt256.of(0xC0000)).name());
        assertEquals(10_700_000, byTd.eraAt(5, 5, UInt256.ZERO).bombDelay());

        ChainSpec dao = ChainSpec.forNetwork("HomesteadToDaoAt5");
        assertEquals(5, dao.daoBlock());
        assertEquals(Fork.HOMESTEAD, dao.eraAt(7, 7, UInt256.ONE).fork());
    }

    @Test void aLoneBlockIsMergedWhenItsDifficultyIsZero() {
        ChainSpec byTd = ChainSpec.forNetwork("ArrowGlacierToParisAtDiffC0000");
        assertEquals("ArrowGlacier", byTd.eraOfLoneBlock(5, 5, UInt256.of(0x20000)).name());
        assertEquals("Paris", byTd.eraOfLoneBlock(5, 5, UInt256.ZERO).name());
        ChainSpec byNumber = ChainSpec.forNetwork("FrontierToHomesteadAt5");
        assertEquals(Fork.FRONTIER, byNumber.eraOfLoneBlock(4, 0, UInt256.ONE).fork());
        assertEquals(Fork.HOMESTEAD, byNumber.eraOfLoneBlock(5, 0, UInt256.ONE).fork());
    }

    @Test void blobSchedulesFromJson() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        var s = ChainSpec.blobSchedules(json.readTree(
                "{\"Cancun\": {\"target\": \"0x03\", \"max\": \"0x06\", \"baseFeeUpdateFraction\": \"0x32f0ed\"},"
                + " \"Prague\": {\"target\": 6, \"max\": 9, \"baseFeeUpdateFraction\": 5007716}}"));
        assertEquals(new ChainSpec.BlobSchedule(3, 6, 3_338_477), s.get("Cancun"));
        assertEquals(new ChainSpec.BlobSchedule(6, 9, 5_007_716), s.get("Prague"));
        assertTrue(ChainSpec.blobSchedules(null).isEmpty());
        var e = assertThrows(IllegalArgumentException.class, () -> ChainSpec.blobSchedules(json.readTree("{\"Cancun\": {\"target\": 3}}")));
        assertTrue(e.getMessage().contains("blobSchedule.Cancun.max"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ChainSpec.blobSchedules(json.readTree(
                "{\"Cancun\": {\"target\": \"x\", \"max\": 6, \"baseFeeUpdateFraction\": 1}}")));
        assertTrue(e.getMessage().contains("blobSchedule.Cancun.target"), e.getMessage());
    }

    @Test void unknownNamesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> ChainSpec.forNetwork("Atlantis"));
        assertThrows(IllegalArgumentException.class, () -> ChainSpec.forNetwork("FrontierToAtlantisAt5"));
        assertThrows(IllegalArgumentException.class, () -> ChainSpec.forNetwork(""));
    }

    @Test void blobParameterOnlyForksAreOsakaWithTheirOwnBlobSchedule() {
        ChainSpec spec = ChainSpec.forNetwork("OsakaToBPO1AtTime15k");
        ChainSpec.Era osaka = spec.eraAt(1, 14_999, UInt256.ZERO), bpo1 = spec.eraAt(2, 15_000, UInt256.ZERO);
        assertEquals(Fork.OSAKA, bpo1.fork());
        assertEquals("BPO1", bpo1.name());
        assertEquals(6L << 17, osaka.rules().targetBlobGasPerBlock);
        assertEquals(10L << 17, bpo1.rules().targetBlobGasPerBlock); // mainnet's BPO1 (EIP-7892)
        assertEquals(15L << 17, bpo1.rules().maxBlobGasPerBlock);
        assertEquals(8_346_193, bpo1.rules().blobBaseFeeUpdateFraction);
        assertEquals(6, bpo1.rules().maxBlobsPerTx, "EIP-7594's per-transaction cap is not part of the schedule");

        // A configured schedule (EIP-7840 blobSchedule) replaces the era's default.
        ChainSpec configured = ChainSpec.forNetwork("BPO2ToBPO3AtTime15k", java.util.Map.of(
                "BPO2", new ChainSpec.BlobSchedule(9, 14, 8_832_827), "BPO3", new ChainSpec.BlobSchedule(21, 32, 20_609_697)));
        assertEquals(9L << 17, configured.eraAt(1, 0, UInt256.ZERO).rules().targetBlobGasPerBlock);
        assertEquals(32L << 17, configured.eraAt(2, 15_000, UInt256.ZERO).rules().maxBlobGasPerBlock);
        assertEquals(6L << 17, ChainSpec.forNetwork("Osaka").eraAt(1, 0, UInt256.ZERO).rules().targetBlobGasPerBlock);
    }

    @Test void aBlobParameterOnlyForkWithoutScheduleIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ChainSpec.forNetwork("BPO2ToBPO3AtTime15k"));
        assertTrue(e.getMessage().contains("BPO3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ChainSpec.BlobSchedule(10, 9, 1));
        assertThrows(IllegalArgumentException.class, () -> new ChainSpec.BlobSchedule(1, 2, 0));
    }
}
