package dev.lanes.conformance;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lanes.conformance.StateTestRunner.Result;
import dev.lanes.evm.Fork;
import dev.lanes.evm.ForkRules;
import dev.lanes.evm.interpreter.Evm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The execution-spec-tests additions to the state-test layout: config.chainid, config.blobSchedule, _info. */
class EestFormatTest {
    @TempDir Path dir;

    @Test void blobScheduleOverridesTheForkDefaults() {
        ForkRules r = ForkRules.of(Fork.CANCUN).withBlobSchedule(10, 15, 8346193);
        assertEquals(10 * 131072L, r.targetBlobGasPerBlock);
        assertEquals(15 * 131072L, r.maxBlobGasPerBlock);
        assertEquals(8346193, r.blobBaseFeeUpdateFraction);
        assertEquals(786432, ForkRules.of(Fork.CANCUN).maxBlobGasPerBlock, "the shared rules are untouched");
    }

    @Test void officialVectorWithEestConfigStillPasses() throws Exception {
        Path src = GeneralStateTestsTest.shared().resolve("ethereum-tests/GeneralStateTests/stExample/add11.json");
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(src.toFile());
        ObjectNode test = (ObjectNode) root.elements().next();
        ObjectNode config = test.putObject("config");
        config.put("chainid", "0x01");
        config.putObject("blobSchedule").putObject("Cancun").put("target", "0x03").put("max", "0x06")
                .put("baseFeeUpdateFraction", "0x32f0ed");
        test.putObject("_info").put("comment", "EEST-style metadata");
        Path f = dir.resolve("add11.json");
        json.writeValue(f.toFile(), root);
        List<Result> r = new StateTestRunner(x -> x == Fork.CANCUN, null, null).runFile(f, new Evm());
        assertFalse(r.isEmpty());
        for (Result res : r) assertTrue(res.passed(), res.id() + ": " + res.message());
    }
}
