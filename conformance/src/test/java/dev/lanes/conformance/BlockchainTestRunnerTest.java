package dev.lanes.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lanes.conformance.BlockchainTestRunner.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad blockchain-test input gives a failed result naming the test, never an exception out of the runner;
 * and a real fixture, altered, fails for the right reason (the runner checks what it claims to check).
 */
class BlockchainTestRunnerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path dir;

    private List<Result> run(String json) throws Exception {
        Path f = dir.resolve("t.json");
        Files.writeString(f, json);
        return new BlockchainTestRunner(n -> true, null).runFile(f);
    }

    private static ObjectNode fixture() throws Exception {
        Path f = GeneralStateTestsTest.shared().resolve("ethereum-tests/BlockchainTests/ValidBlocks/bcExample/basefeeExample.json");
        return (ObjectNode) JSON.readTree(f.toFile());
    }

    private static ObjectNode only(ObjectNode fixture) {
        return (ObjectNode) fixture.elements().next();
    }

    @Test void brokenJsonAndShapes() throws Exception {
        assertTrue(run("{\"a\": [1, 2").getFirst().message().startsWith("cannot read JSON"));
        assertFalse(run("[1]").getFirst().passed());
        Result r = run("{\"t\": {\"network\": \"Cancun\"}}").getFirst();
        assertEquals("t", r.test());
        assertTrue(r.message().contains("missing field 'genesisRLP'"), r.message());
        assertTrue(run("{\"t\": {\"network\": \"Atlantis\"}}").getFirst().message().startsWith("unsupported network"));
    }

    @Test void theUnalteredFixturePasses() throws Exception {
        assertNull(run(JSON.writeValueAsString(fixture())).getFirst().message());
    }

    @Test void aWrongPostStateFails() throws Exception {
        ObjectNode f = fixture();
        ObjectNode post = (ObjectNode) only(f).get("postState");
        ObjectNode acct = (ObjectNode) post.elements().next();
        acct.put("balance", "0x0badbeef");
        String msg = run(JSON.writeValueAsString(f)).getFirst().message();
        assertTrue(msg != null && msg.startsWith("post state differs") && msg.contains("balance"), msg);
    }

    @Test void aWrongHeadFails() throws Exception {
        ObjectNode f = fixture();
        only(f).put("lastblockhash", "0x" + "11".repeat(32));
        String msg = run(JSON.writeValueAsString(f)).getFirst().message();
        assertTrue(msg != null && msg.startsWith("head is block"), msg);
    }

    @Test void aValidBlockMarkedInvalidFails() throws Exception {
        ObjectNode f = fixture();
        ((ObjectNode) only(f).get("blocks").get(0)).put("expectException", "BlockException.ANYTHING");
        String msg = run(JSON.writeValueAsString(f)).getFirst().message();
        assertTrue(msg != null && msg.contains("imported, expected BlockException.ANYTHING"), msg);
    }

    @Test void aCorruptedBlockIsRejectedNotCrashed() throws Exception {
        ObjectNode f = fixture();
        ObjectNode block = (ObjectNode) only(f).get("blocks").get(0);
        String rlp = block.get("rlp").asText();
        block.put("rlp", rlp.substring(0, rlp.length() - 6));
        String msg = run(JSON.writeValueAsString(f)).getFirst().message();
        assertTrue(msg != null && msg.contains("rejected: malformed block RLP"), msg);
        block.put("rlp", "0xzz");
        msg = run(JSON.writeValueAsString(f)).getFirst().message();
        assertTrue(msg != null && msg.contains("not hex"), msg);
        ((ArrayNode) only(f).get("blocks")).removeAll();
        msg = run(JSON.writeValueAsString(f)).getFirst().message();
        assertTrue(msg != null && msg.startsWith("head is block 0"), msg);
    }
}
