package dev.lanes.executor.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

    @Test void unknownNamesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> ChainSpec.forNetwork("Atlantis"));
        assertThrows(IllegalArgumentException.class, () -> ChainSpec.forNetwork("FrontierToAtlantisAt5"));
        assertThrows(IllegalArgumentException.class, () -> ChainSpec.forNetwork(""));
    }
}
