package dev.lanes.node.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lanes.evm.interpreter.Evm;
import dev.lanes.evm.trace.Eip3155Tracer;
import dev.lanes.evm.tx.TransactionProcessor;
import dev.lanes.executor.BlockExecutor;
import dev.lanes.node.Block;
import dev.lanes.node.Chain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** debug_traceTransaction and debug_traceCall: struct logs against the evm's EIP-3155 tracer, and callTracer trees. */
class DebugTraceTest extends AutomineNodeTest {

    @Test void structLogsMatchTheEip3155Tracer() throws Exception {
        String contract = send(Map.of("from", A0, "data", EthApiTest.deployer("602a60005560005460005260206000f3"))).get("contractAddress").asText();
        // Two transactions in one block would need interval mining; the replay of a block's first one suffices here.
        JsonNode receipt = send(Map.of("from", A0, "to", contract, "gas", "0x186a0"));
        String hash = receipt.get("transactionHash").asText();
        JsonNode t = rpc.result("debug_traceTransaction", hash);
        assertEquals(Long.decode(receipt.get("gasUsed").asText()), t.get("gas").asLong());
        assertFalse(t.get("failed").asBoolean());
        assertEquals("%064x".formatted(42), t.get("returnValue").asText());
        JsonNode logs = t.get("structLogs");
        // The same transaction through TransactionProcessor with the EIP-3155 tracer, on the parent's state.
        List<String> ref = reference(Long.decode(receipt.get("blockNumber").asText()));
        assertEquals(ref.size(), logs.size());
        for (int i = 0; i < ref.size(); i++) {
            JsonNode r = RpcClient.M.readTree(ref.get(i)), s = logs.get(i);
            assertEquals(r.get("pc").asInt(), s.get("pc").asInt());
            assertEquals(r.get("opName").asText(), s.get("op").asText());
            assertEquals(Long.decode(r.get("gas").asText()), s.get("gas").asLong());
            assertEquals(r.get("depth").asInt(), s.get("depth").asInt());
            assertEquals(r.get("stack"), s.get("stack"));
        }
        // Hand-computed costs: PUSH1 3, SSTORE of a fresh slot 22,100 (20,000 + cold 2,100), SLOAD warm 100.
        assertEquals("PUSH1", logs.get(0).get("op").asText());
        assertEquals(3, logs.get(0).get("gasCost").asInt());
        JsonNode sstore = logs.get(2), sload = logs.get(4);
        assertEquals("SSTORE", sstore.get("op").asText());
        assertEquals(22100, sstore.get("gasCost").asInt());
        String slot0 = "0".repeat(64), v42 = "%064x".formatted(42);
        assertEquals(Map.of(slot0, v42), RpcClient.M.convertValue(sstore.get("storage"), Map.class));
        assertEquals("SLOAD", sload.get("op").asText());
        assertEquals(100, sload.get("gasCost").asInt());
        assertEquals(Map.of(slot0, v42), RpcClient.M.convertValue(sload.get("storage"), Map.class));
        assertFalse(logs.get(0).has("memory"));
        // Options: no stack, memory as 32-byte words, no storage.
        JsonNode o = rpc.result("debug_traceTransaction", hash, Map.of("disableStack", true, "enableMemory", true, "disableStorage", true));
        JsonNode last = o.get("structLogs").get(o.get("structLogs").size() - 1);
        assertEquals("RETURN", last.get("op").asText());
        assertFalse(last.has("stack"));
        assertEquals(List.of(v42), RpcClient.M.convertValue(last.get("memory"), List.class));
        assertFalse(o.get("structLogs").get(2).has("storage"));
        // Errors: unknown transaction, unknown tracer, bad option type.
        assertEquals(-32000, rpc.call("debug_traceTransaction", "0x" + "00".repeat(32)).get("error").get("code").asInt());
        assertEquals(-32602, rpc.call("debug_traceTransaction", hash, Map.of("tracer", "prestateTracer")).get("error").get("code").asInt());
        assertEquals(-32602, rpc.call("debug_traceTransaction", hash, Map.of("disableStack", "yes")).get("error").get("code").asInt());
    }

    /** The EIP-3155 lines of block {@code number}'s first transaction, replayed by hand on the chain thread. */
    static List<String> reference(long number) throws Exception {
        return node.submit(() -> {
            Block b = node.chain().store().byNumber(number);
            var state = node.chain().store().state(number - 1).copy();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            TransactionProcessor.execute(new Evm(), b.transactions().get(0), b.senders().get(0),
                    BlockExecutor.blockEnv(b.header(), Chain.RULES, node.config().chainId()), state, Chain.RULES,
                    new Eip3155Tracer(new PrintStream(out, true, StandardCharsets.UTF_8)));
            return out.toString(StandardCharsets.UTF_8).lines().toList();
        }).get();
    }

    @Test void callTracerOfACallThatReverts() throws Exception {
        String inner = send(Map.of("from", A0, "data", EthApiTest.deployer(EthApiTest.reverter()))).get("contractAddress").asText();
        // CALL(gas, inner, 0, 0, 0, 0, 0); RETURNDATACOPY(0, 0, RETURNDATASIZE); REVERT(0, RETURNDATASIZE).
        String outerCode = "60006000600060006000" + "73" + inner.substring(2) + "5af1" + "3d6000803e" + "3d6000fd";
        String outer = send(Map.of("from", A0, "data", EthApiTest.deployer(outerCode))).get("contractAddress").asText();
        JsonNode r = rpc.result("debug_traceCall", Map.of("from", A0, "to", outer, "data", "0xabcd", "gas", "0x30d40"),
                "latest", Map.of("tracer", "callTracer"));
        assertEquals("CALL", r.get("type").asText());
        assertEquals(A0, r.get("from").asText());
        assertEquals(outer, r.get("to").asText());
        assertEquals("0x0", r.get("value").asText());
        assertEquals("0x30d40", r.get("gas").asText());
        assertEquals("0xabcd", r.get("input").asText());
        assertEquals("execution reverted", r.get("error").asText());
        assertEquals("nope", r.get("revertReason").asText());
        JsonNode c = r.get("calls").get(0);
        assertEquals(1, r.get("calls").size());
        assertEquals("CALL", c.get("type").asText());
        assertEquals(outer, c.get("from").asText());
        assertEquals(inner, c.get("to").asText());
        assertEquals("0x", c.get("input").asText());
        assertEquals("execution reverted", c.get("error").asText());
        assertEquals("nope", c.get("revertReason").asText());
        assertEquals(r.get("output"), c.get("output"));
        assertTrue(c.get("output").asText().startsWith("0x08c379a0"));
        // The reverter: three PUSH1, CODECOPY of 100 bytes (3 + 4 words x 3 + memory 4 words x 3), two PUSH1, REVERT.
        assertEquals("0x" + Long.toHexString(9 + 27 + 6), c.get("gasUsed").asText());
        assertFalse(c.has("calls"));
        // onlyTopCall drops the sub-calls.
        JsonNode top = rpc.result("debug_traceCall", Map.of("from", A0, "to", outer), "latest",
                Map.of("tracer", "callTracer", "tracerConfig", Map.of("onlyTopCall", true)));
        assertFalse(top.has("calls"));
        assertEquals("execution reverted", top.get("error").asText());
        // stateOverrides inside the tracer options: the outer contract replaced by one that returns 42.
        JsonNode overridden = rpc.result("debug_traceCall", Map.of("from", A0, "to", outer), "latest",
                Map.of("tracer", "callTracer", "stateOverrides", Map.of(outer, Map.of("code", "0x602a60005260206000f3"))));
        assertFalse(overridden.has("error"));
        assertEquals("0x" + "%064x".formatted(42), overridden.get("output").asText());
        // A mined transaction traced the same way: the gas used of the top call is the receipt's.
        JsonNode receipt = send(Map.of("from", A0, "to", outer, "gas", "0x30d40"));
        assertEquals("0x0", receipt.get("status").asText());
        JsonNode tx = rpc.result("debug_traceTransaction", receipt.get("transactionHash").asText(), Map.of("tracer", "callTracer"));
        assertEquals(receipt.get("gasUsed").asText(), tx.get("gasUsed").asText());
        assertEquals(inner, tx.get("calls").get(0).get("to").asText());
    }

    @Test void callTracerOfCreationsAndValue() throws Exception {
        // Init code that CREATEs a child with runtime 0x00 and sends 1 wei to A1 with a plain CALL.
        // child init: PUSH1 0 PUSH1 0 RETURN -> empty code "60006000f3" (5 bytes), stored at memory 0 via PUSH5/MSTORE.
        String code = "6460006000f3" + "600052" + "6005601b6000f0" + "50"
                + "6000600060006000600173" + A1.substring(2) + "5af1" + "50" + "00";
        JsonNode r = rpc.result("debug_traceCall", Map.of("from", A0, "data", "0x" + code, "value", "0x5", "gas", "0x30d40"),
                "latest", Map.of("tracer", "callTracer"));
        assertEquals("CREATE", r.get("type").asText(), r.toString());
        assertEquals("0x5", r.get("value").asText());
        JsonNode create = r.get("calls").get(0), pay = r.get("calls").get(1);
        assertEquals("CREATE", create.get("type").asText());
        assertEquals(r.get("to").asText(), create.get("from").asText());
        assertEquals("0x60006000f3", create.get("input").asText());
        assertEquals("CALL", pay.get("type").asText());
        assertEquals(A1, pay.get("to").asText());
        assertEquals("0x1", pay.get("value").asText());
        assertEquals("0x0", pay.get("gasUsed").asText()); // a transfer to an account without code uses none of what it got
    }
}
