package dev.lanes.executor;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link BlockExecutor#tune}: the settings `bench parallel --compare` passes, and clear errors for bad ones. */
class TuneTest {
    @Test void acceptsEverySetting() {
        try (BlockExecutor e = new BlockExecutor(2)) {
            assertSame(e, e.tune("rolling=off, pipeline=on,block-stm=on,pipeline-bar=4000,min-rest-txs=8,"
                    + "min-rest-nanos=1000000,heavy-tx-nanos=20000,heavy-min-rest-nanos=0,occ=auto,occ-probe-share=8,hand-over-spin=off,claim=2,occ-claim=1"));
        }
    }

    @Test void rejectsBadSettings() {
        try (BlockExecutor e = new BlockExecutor(2)) {
            for (String bad : new String[] {"speed=fast", "rolling=maybe", "min-rest-txs=-1", "heavy-tx-nanos=",
                    "pipeline-bar=12us", "min-rest-nanos=99999999999999999999", "occ-probe-share=x", "occ=sometimes", "hand-over-spin=2", "occ-claim=four"}) {
                IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> e.tune(bad), bad);
                assertTrue(x.getMessage().contains(bad.split("=")[0]), x.getMessage());
            }
        }
    }
}
