package dev.lanes.node.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lanes.evm.AccountInfo;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.UInt256;
import dev.lanes.state.WorldState;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * geth's state override set (the third argument of {@code eth_call}, {@code eth_estimateGas} and
 * {@code debug_traceCall}): per address, {@code balance}, {@code nonce}, {@code code}, and either {@code state}
 * (the whole storage replaced) or {@code stateDiff} (the given slots changed). It is applied to a copy of the
 * block's state, so the kept state is never touched.
 */
final class StateOverrides {
    private static final Set<String> FIELDS = Set.of("balance", "nonce", "code", "state", "stateDiff");

    private StateOverrides() {}

    static WorldState apply(WorldState base, JsonNode set) {
        if (!set.isObject()) throw RpcError.invalidParams("state overrides: expected an object keyed by address");
        WorldState s = base.copy();
        for (Iterator<Map.Entry<String, JsonNode>> it = set.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String what = "state overrides[" + e.getKey() + "]";
            Address a = Params.address(com.fasterxml.jackson.databind.node.TextNode.valueOf(e.getKey()), what);
            JsonNode o = e.getValue();
            if (!o.isObject()) throw RpcError.invalidParams(what + ": expected an object");
            for (Iterator<String> f = o.fieldNames(); f.hasNext(); ) {
                String name = f.next();
                if (!FIELDS.contains(name)) throw RpcError.invalidParams(what + ": unknown field " + name);
            }
            if (o.hasNonNull("state") && o.hasNonNull("stateDiff"))
                throw RpcError.invalidParams("account " + a + " has both 'state' and 'stateDiff'");
            AccountInfo info = s.account(a);
            long nonce = o.hasNonNull("nonce") ? Params.u63(o.get("nonce"), what + ".nonce") : info == null ? 0 : info.nonce();
            UInt256 balance = o.hasNonNull("balance") ? Params.quantity(o.get("balance"), what + ".balance")
                    : info == null ? UInt256.ZERO : info.balance();
            byte[] code = o.hasNonNull("code") ? Params.data(o.get("code"), what + ".code")
                    : info == null || info.codeHash().equals(Hash.EMPTY_CODE) ? new byte[0] : s.code(info.codeHash());
            Map<UInt256, UInt256> storage = new HashMap<>();
            if (o.hasNonNull("state")) storage.putAll(slots(o.get("state"), what + ".state"));
            else {
                storage.putAll(s.storageOf(a));
                if (o.hasNonNull("stateDiff")) storage.putAll(slots(o.get("stateDiff"), what + ".stateDiff"));
            }
            s.put(a, nonce, balance, code, storage);
        }
        return s;
    }

    /** Slots as geth takes them: 32-byte hex keys and values. */
    private static Map<UInt256, UInt256> slots(JsonNode o, String what) {
        if (!o.isObject()) throw RpcError.invalidParams(what + ": expected an object of slot to value");
        Map<UInt256, UInt256> m = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Hash k = Params.hash(com.fasterxml.jackson.databind.node.TextNode.valueOf(e.getKey()), what + " key");
            Hash v = Params.hash(e.getValue(), what + "[" + e.getKey() + "]");
            m.put(UInt256.fromBytes(k.toArray()), UInt256.fromBytes(v.toArray()));
        }
        return m;
    }
}
