package dev.lanes.conformance;

import static org.junit.jupiter.api.Assertions.*;

import dev.lanes.conformance.StateTestRunner.Result;
import dev.lanes.evm.interpreter.Evm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input gives a failed result naming the file and vector, never an exception out of the runner. */
class MalformedInputTest {
    @TempDir Path dir;

    List<Result> run(String json) throws Exception {
        Path f = dir.resolve("t.json");
        Files.writeString(f, json);
        return new StateTestRunner(x -> true, null, null).runFile(f, new Evm());
    }

    @Test void brokenJson() throws Exception {
        List<Result> r = run("{\"a\": [1, 2");
        assertEquals(1, r.size());
        assertFalse(r.getFirst().passed());
        assertTrue(r.getFirst().message().startsWith("cannot read JSON"), r.getFirst().message());
    }

    @Test void notAnObject() throws Exception {
        assertFalse(run("[1,2,3]").getFirst().passed());
    }

    @Test void badHexInPreStateNamesTheVector() throws Exception {
        String t = """
            {"badHex": {
              "env": {"currentCoinbase": "0x2adc25665018aa1fe0e6bc666dac8fc2697ff9ba", "currentGasLimit": "0x1000000",
                      "currentNumber": "0x1", "currentTimestamp": "0x3e8", "currentBaseFee": "0x7", "currentDifficulty": "0x0",
                      "currentRandom": "0x0000000000000000000000000000000000000000000000000000000000020000"},
              "pre": {"0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b": {"balance": "0xzz", "code": "0x", "nonce": "0x0", "storage": {}}},
              "transaction": {"data": ["0x"], "gasLimit": ["0x5208"], "value": ["0x0"], "nonce": "0x0", "gasPrice": "0xa",
                      "to": "0x095e7baea6a6c7c4c2dfeb977efac326af552d87",
                      "secretKey": "0x45a915e4d060149eb4365960e6a7a45f334393093061116b197e3240065ff2d8"},
              "post": {"Cancun": [{"indexes": {"data": 0, "gas": 0, "value": 0}, "hash": "0x00", "logs": "0x00"}]}}}
            """;
        List<Result> r = run(t);
        assertEquals(1, r.size());
        Result res = r.getFirst();
        assertFalse(res.passed());
        assertEquals("badHex", res.test());
        assertTrue(res.message().contains("invalid hex character 'z'"), res.message());
    }

    @Test void missingFieldIsReported() throws Exception {
        List<Result> r = run("{\"noPost\": {\"env\": {}, \"pre\": {}}}");
        assertEquals(1, r.size());
        assertTrue(r.getFirst().message().contains("missing field 'post'"), r.getFirst().message());
    }
}
