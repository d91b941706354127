package dev.lanes.node.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Hex;
import dev.lanes.primitives.Keccak;
import dev.lanes.primitives.UInt256;
import dev.lanes.primitives.rlp.RlpWriter;
import dev.lanes.state.trie.TrieProof;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** eth_getProof checked by {@link TrieProof#verify} against the block's state root; eth_createAccessList; state overrides. */
class ProofAndAccessListTest extends AutomineNodeTest {

    static List<byte[]> bytes(JsonNode proof) {
        List<byte[]> l = new ArrayList<>();
        for (JsonNode n : proof) l.add(Hex.decode(n.asText()));
        return l;
    }

    @Test void proofOfAContractAndItsSlots() throws Exception {
        String contract = send(Map.of("from", A0, "data", EthApiTest.deployer("602a60005500"))).get("contractAddress").asText();
        JsonNode receipt = send(Map.of("from", A0, "to", contract, "gas", "0x186a0"));
        String number = receipt.get("blockNumber").asText();
        Hash root = Hash.fromHex(rpc.result("eth_getBlockByNumber", number, false).get("stateRoot").asText());
        JsonNode p = rpc.result("eth_getProof", contract, List.of("0x0", "0x1"), number);
        assertEquals(List.of("accountProof", "address", "balance", "codeHash", "nonce", "storageHash", "storageProof"),
                fieldNames(p));
        assertEquals(contract, p.get("address").asText());
        assertEquals("0x1", p.get("nonce").asText()); // EIP-161: a created contract starts at nonce 1
        assertEquals(Keccak.hashOf(Hex.decode("602a60005500")).toString(), p.get("codeHash").asText());
        // The account leaf the proof shows is exactly RLP([nonce, balance, storageHash, codeHash]) from the answer.
        byte[] leaf = TrieProof.verify(root, Keccak.hash(Hex.decode(contract)), bytes(p.get("accountProof")));
        byte[] expected = new RlpWriter().startList().writeLong(1).writeUInt256(UInt256.ZERO)
                .writeBytes(Hex.decode(p.get("storageHash").asText())).writeBytes(Hex.decode(p.get("codeHash").asText()))
                .endList().toByteArray();
        assertArrayEquals(expected, leaf);
        Hash storageRoot = Hash.fromHex(p.get("storageHash").asText());
        JsonNode s0 = p.get("storageProof").get(0), s1 = p.get("storageProof").get(1);
        assertEquals("0x0", s0.get("key").asText());
        assertEquals("0x2a", s0.get("value").asText());
        assertArrayEquals(new RlpWriter().writeUInt256(UInt256.of(42)).toByteArray(),
                TrieProof.verify(storageRoot, Keccak.hash(new byte[32]), bytes(s0.get("proof"))));
        assertEquals("0x0", s1.get("value").asText());
        assertNull(TrieProof.verify(storageRoot, Keccak.hash(UInt256.ONE.toBytes()), bytes(s1.get("proof"))), "absence proof");
        // At the block before the call, slot 0 was still empty.
        String before = "0x" + Long.toHexString(Long.decode(number) - 1);
        assertEquals("0x0", rpc.result("eth_getProof", contract, List.of("0x0"), before).get("storageProof").get(0).get("value").asText());
        // An account that does not exist: zeros and the empty hashes, with a proof of absence.
        JsonNode none = rpc.result("eth_getProof", "0x" + "12".repeat(20), List.of(), number);
        assertEquals(Hash.EMPTY_CODE.toString(), none.get("codeHash").asText());
        assertEquals(Hash.EMPTY_TRIE.toString(), none.get("storageHash").asText());
        assertNull(TrieProof.verify(root, Keccak.hash(Hex.decode("12".repeat(20))), bytes(none.get("accountProof"))));
        assertEquals(-32602, rpc.call("eth_getProof", contract, "0x0", number).get("error").get("code").asInt());
    }

    static List<String> fieldNames(JsonNode o) {
        List<String> l = new ArrayList<>();
        o.fieldNames().forEachRemaining(l::add);
        l.sort(null);
        return l;
    }

    @Test void accessListOfSloadAndBalance() throws Exception {
        // SLOAD(0); BALANCE(A1); STOP.
        String code = "6000545073" + A1.substring(2) + "315000";
        String contract = send(Map.of("from", A0, "data", EthApiTest.deployer(code))).get("contractAddress").asText();
        JsonNode r = rpc.result("eth_createAccessList", Map.of("from", A0, "to", contract), "latest");
        JsonNode list = r.get("accessList");
        assertEquals(2, list.size(), list.toString());
        // The recipient's slots are listed (worth declaring), the recipient itself as an address only through them.
        assertEquals(contract, list.get(0).get("address").asText());
        assertEquals("0x" + "0".repeat(64), list.get(0).get("storageKeys").get(0).asText());
        assertEquals(A1, list.get(1).get("address").asText());
        assertEquals(0, list.get(1).get("storageKeys").size());
        // 21000 + 2 addresses x 2400 + 1 key x 1900, then PUSH1 SLOAD(warm) POP PUSH20 BALANCE(warm) POP STOP.
        assertEquals("0x" + Long.toHexString(21000 + 4800 + 1900 + 3 + 100 + 2 + 3 + 100 + 2), r.get("gasUsed").asText());
        // The sender, the recipient as an address, and precompiles are left out: a plain transfer lists nothing.
        assertEquals(0, rpc.result("eth_createAccessList", Map.of("from", A0, "to", A1, "value", "0x1")).get("accessList").size());
    }

    @Test void stateOverridesChangeTheResult() throws Exception {
        String target = "0x" + "77".repeat(20);
        String readSlot0 = "0x60005460005260206000f3"; // return SLOAD(0)
        Map<String, Object> call = Map.of("to", target);
        assertEquals("0x", rpc.result("eth_call", call, "latest").asText()); // no code there
        String seven = "0x" + "%064x".formatted(7);
        assertEquals(seven, rpc.result("eth_call", call, "latest",
                Map.of(target, Map.of("code", readSlot0, "stateDiff", Map.of("0x" + "0".repeat(64), seven)))).asText());
        // The override is per call: nothing stays.
        assertEquals("0x", rpc.result("eth_getCode", target, "latest").asText());
        // state replaces all storage; stateDiff keeps what is not named. The contract of another test stores 42.
        String stored = send(Map.of("from", A0, "data", EthApiTest.deployer("602a60005500"))).get("contractAddress").asText();
        send(Map.of("from", A0, "to", stored, "gas", "0x186a0"));
        String word42 = "0x" + "%064x".formatted(42);
        assertEquals(word42, rpc.result("eth_call", Map.of("to", stored), "latest",
                Map.of(stored, Map.of("code", readSlot0, "stateDiff", Map.of("0x" + "0".repeat(63) + "1", seven)))).asText());
        assertEquals("0x" + "0".repeat(64), rpc.result("eth_call", Map.of("to", stored), "latest",
                Map.of(stored, Map.of("code", readSlot0, "state", Map.of("0x" + "0".repeat(63) + "1", seven)))).asText());
        // Balance: a poor account cannot send 1 ether, with an overridden balance it can (and estimateGas agrees).
        String poor = "0x" + "66".repeat(20);
        Map<String, Object> pay = Map.of("from", poor, "to", A1, "value", "0xde0b6b3a7640000", "gasPrice", "0x2540be400");
        assertEquals(-32000, rpc.call("eth_call", pay, "latest").get("error").get("code").asInt());
        Map<String, Object> rich = Map.of(poor, Map.of("balance", "0x56bc75e2d63100000"));
        assertEquals("0x", rpc.result("eth_call", pay, "latest", rich).asText());
        assertEquals("0x5208", rpc.result("eth_estimateGas", pay, "latest", rich).asText());
        // Nonce: a CREATE from an overridden nonce (the address the contract would get is not checked here).
        assertEquals("0x", rpc.result("eth_call", Map.of("from", poor, "to", A1), "latest", Map.of(poor, Map.of("nonce", "0x5"))).asText());
        // Bad overrides are parameter errors.
        assertEquals(-32602, rpc.call("eth_call", call, "latest", Map.of(target, Map.of("state", Map.of(), "stateDiff", Map.of())))
                .get("error").get("code").asInt());
        assertEquals(-32602, rpc.call("eth_call", call, "latest", Map.of("0x12", Map.of())).get("error").get("code").asInt());
        assertEquals(-32602, rpc.call("eth_call", call, "latest", Map.of(target, Map.of("bogus", "0x1"))).get("error").get("code").asInt());
        assertTrue(rpc.call("eth_call", call, "latest", List.of()).has("error"));
    }
}
