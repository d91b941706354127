package dev.lanes.node.rpc;

import static dev.lanes.node.rpc.RpcJson.F;
import static dev.lanes.node.rpc.RpcJson.hex;
import static dev.lanes.node.rpc.RpcJson.qty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lanes.evm.tx.AccessListEntry;
import dev.lanes.node.Block;
import dev.lanes.node.Calls;
import dev.lanes.node.Chain;
import dev.lanes.node.Node;
import dev.lanes.node.trace.AccessListTracer;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.UInt256;
import dev.lanes.state.WorldState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code eth_getProof} (EIP-1186) and {@code eth_createAccessList} (EIP-2930), on any kept block. */
final class StateApi {
    /** geth gives up on an access list that has not settled after this many runs. */
    private static final int MAX_ACCESS_LIST_RUNS = 16;
    private static final int MAX_PROOF_KEYS = 1024;

    private final Node node;
    private final EthApi eth;

    StateApi(Node node, EthApi eth) {
        this.node = node;
        this.eth = eth;
    }

    void register(Map<String, EthApi.Method> methods) {
        methods.put("eth_getProof", this::getProof);
        // Every run of the iteration under one time cap.
        methods.put("eth_createAccessList", p -> node.calls().timed(() -> createAccessList(p)));
    }

    private JsonNode getProof(Params p) {
        p.atMost(3);
        Address a = p.address(0);
        JsonNode keys = p.node(1);
        if (!keys.isArray()) throw RpcError.invalidParams("argument 1: expected an array of storage keys");
        if (keys.size() > MAX_PROOF_KEYS) throw RpcError.invalidParams("too many storage keys (at most " + MAX_PROOF_KEYS + ")");
        List<UInt256> slots = new ArrayList<>();
        List<String> given = new ArrayList<>();
        for (JsonNode k : keys) {
            // geth accepts keys as quantities or 32-byte data and echoes them as given.
            slots.add(Params.quantity(k, "storage key"));
            given.add(k.asText());
        }
        WorldState state = eth.stateAt(p, 2);
        WorldState.AccountProof proof = state.proof(a, slots);
        ObjectNode o = F.objectNode();
        o.put("address", a.toString());
        o.set("accountProof", nodes(proof.accountProof()));
        o.put("balance", qty(proof.balance()));
        o.put("codeHash", proof.codeHash().toString());
        o.put("nonce", qty(proof.nonce()));
        o.put("storageHash", proof.storageHash().toString());
        ArrayNode sp = o.putArray("storageProof");
        for (int i = 0; i < slots.size(); i++) {
            WorldState.StorageProof s = proof.storageProofs().get(i);
            ObjectNode e = sp.addObject();
            e.put("key", given.get(i));
            e.put("value", qty(s.value()));
            e.set("proof", nodes(s.proof()));
        }
        return o;
    }

    private static ArrayNode nodes(List<byte[]> proof) {
        ArrayNode a = F.arrayNode();
        for (byte[] n : proof) a.add(hex(n));
        return a;
    }

    /**
     * Runs the call with an {@link AccessListTracer}, then again with the list found, until the list stops
     * changing (a new slot can open a new path), and answers the last list with the gas that run used.
     */
    private JsonNode createAccessList(Params p) {
        p.atMost(3);
        Calls.Request r = EthApi.callRequest(p.node(0));
        Block b = eth.blockByTag(p, 1);
        if (b == null) throw RpcError.server("header not found");
        WorldState state = p.has(2) ? StateOverrides.apply(eth.stateOf(b), p.node(2)) : eth.stateOf(b);
        Address from = r.from() == null ? Address.ZERO : r.from();
        Address to = r.to() != null ? r.to()
                : dev.lanes.evm.interpreter.Evm.createAddress(from, state.account(from) == null ? 0 : state.account(from).nonce());
        List<AccessListEntry> list = r.accessList() == null ? List.of() : r.accessList();
        for (int run = 0; run < MAX_ACCESS_LIST_RUNS; run++) {
            AccessListTracer t = new AccessListTracer(x -> x.equals(from) || x.equals(to) || Chain.RULES.isPrecompile(x), list);
            Calls.Outcome out;
            try {
                out = node.calls().call(r.withAccessList(list), b.header(), state, node.config().callGasCap(), t);
            } catch (Calls.Invalid e) {
                throw RpcError.server(e.getMessage());
            }
            List<AccessListEntry> found = t.accessList();
            if (found.equals(list)) {
                ObjectNode o = F.objectNode();
                o.set("accessList", json(found));
                o.put("gasUsed", qty(out.gasUsed()));
                if (!out.success()) o.put("error", dev.lanes.node.trace.CallTracer.error(out.status()));
                return o;
            }
            list = found;
        }
        throw RpcError.server("access list did not settle after " + MAX_ACCESS_LIST_RUNS + " runs");
    }

    static ArrayNode json(List<AccessListEntry> list) {
        ArrayNode a = F.arrayNode();
        for (AccessListEntry e : list) {
            ObjectNode o = a.addObject();
            o.put("address", e.address().toString());
            ArrayNode keys = o.putArray("storageKeys");
            for (Hash k : e.storageKeys()) keys.add(k.toString());
        }
        return a;
    }
}
