package dev.lanes.node.rpc;

import static dev.lanes.node.rpc.RpcJson.F;
import static dev.lanes.node.rpc.RpcJson.qty;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lanes.evm.AccountInfo;
import dev.lanes.node.Node;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.UInt256;
import dev.lanes.state.WorldState;
import java.util.HashMap;
import java.util.Map;

/**
 * The development methods of Anvil and Hardhat, under both prefixes where both exist: set an account's balance,
 * code, nonce or a storage slot on the head state (seen by the next block and by calls on latest, as in Anvil),
 * impersonate an account, move the clock, mine several blocks, switch automine.
 */
final class DevApi {
    /** A bound on anvil_mine's count, so one request cannot keep the chain thread for long. */
    static final long MAX_MINE = 10_000;

    private final Node node;

    DevApi(Node node, EthApi eth) {
        this.node = node;
    }

    void register(Map<String, EthApi.Method> m) {
        for (String prefix : new String[] {"anvil_", "hardhat_"}) {
            m.put(prefix + "setBalance", p -> {
                Address a = p.atMost(2).address(0);
                UInt256 balance = p.quantity(1);
                edit(a, (nonce, bal, code, storage) -> new Account(nonce, balance, code, storage));
                return F.booleanNode(true);
            });
            m.put(prefix + "setNonce", p -> {
                Address a = p.atMost(2).address(0);
                long nonce = Params.u63(p.node(1), "argument 1");
                edit(a, (n, bal, code, storage) -> new Account(nonce, bal, code, storage));
                return F.booleanNode(true);
            });
            m.put(prefix + "setCode", p -> {
                Address a = p.atMost(2).address(0);
                byte[] code = p.data(1);
                if (code.length > 0 && (code[0] & 0xff) == 0xef && code.length != 23)
                    throw RpcError.invalidParams("code starting with 0xef must be an EIP-7702 delegation (23 bytes)");
                edit(a, (nonce, bal, c, storage) -> new Account(nonce, bal, code, storage));
                return F.booleanNode(true);
            });
            m.put(prefix + "setStorageAt", p -> {
                Address a = p.atMost(3).address(0);
                UInt256 slot = p.quantity(1);
                // The value is a 32-byte word (Hardhat insists on it; Anvil also takes it so).
                Hash value = p.hash(2);
                edit(a, (nonce, bal, code, storage) -> {
                    storage.put(slot, UInt256.fromBytes(value.toArray()));
                    return new Account(nonce, bal, code, storage);
                });
                return F.booleanNode(true);
            });
            m.put(prefix + "impersonateAccount", p -> {
                node.impersonated().add(p.atMost(1).address(0));
                return F.booleanNode(true);
            });
            m.put(prefix + "stopImpersonatingAccount", p -> {
                node.impersonated().remove(p.atMost(1).address(0));
                return F.booleanNode(true);
            });
            m.put(prefix + "mine", p -> {
                p.atMost(2);
                long n = p.has(0) ? Params.u63(p.node(0), "argument 0") : 1;
                long interval = p.has(1) ? Params.u63(p.node(1), "argument 1") : 1;
                if (n > MAX_MINE) throw RpcError.invalidParams("at most " + MAX_MINE + " blocks per call");
                for (long i = 0; i < n; i++) {
                    // Later blocks are spaced by the interval (seconds), as Hardhat; the chain keeps them increasing.
                    if (i == 0) node.mine();
                    else node.mine(node.chain().head().header().timestamp() + Math.max(1, interval));
                }
                return F.booleanNode(true);
            });
        }
        m.put("anvil_setAutomine", this::setAutomine);
        m.put("evm_setAutomine", this::setAutomine);
        m.put("anvil_getAutomine", p -> F.booleanNode(node.automine()));
        m.put("hardhat_getAutomine", p -> F.booleanNode(node.automine()));
        m.put("evm_increaseTime", p -> {
            JsonNode n = p.atMost(1).node(0);
            // Hardhat takes a JSON number, Anvil a number or a hex quantity.
            long s = n.isIntegralNumber() && n.canConvertToLong() && n.asLong() >= 0 ? n.asLong() : Params.u63(n, "argument 0");
            return F.textNode(qty(node.increaseTime(s)));
        });
        m.put("evm_setNextBlockTimestamp", p -> {
            JsonNode n = p.atMost(1).node(0);
            long t = n.isIntegralNumber() && n.canConvertToLong() && n.asLong() >= 0 ? n.asLong() : Params.u63(n, "argument 0");
            long head = node.chain().head().header().timestamp();
            if (t <= head) throw RpcError.server("timestamp " + t + " is not after the head's " + head);
            node.setNextBlockTimestamp(t);
            return F.nullNode();
        });
    }

    private JsonNode setAutomine(Params p) {
        node.setAutomine(p.atMost(1).bool(0, true));
        return F.booleanNode(true);
    }

    private record Account(long nonce, UInt256 balance, byte[] code, Map<UInt256, UInt256> storage) {}

    private interface Edit {
        Account apply(long nonce, UInt256 balance, byte[] code, Map<UInt256, UInt256> storage);
    }

    /** Rewrites one account of the head state from its current fields. */
    private void edit(Address a, Edit e) {
        node.editHeadState((WorldState s) -> {
            AccountInfo info = s.account(a);
            byte[] code = info == null || info.codeHash().equals(Hash.EMPTY_CODE) ? new byte[0] : s.code(info.codeHash());
            Account n = e.apply(info == null ? 0 : info.nonce(), info == null ? UInt256.ZERO : info.balance(), code,
                    new HashMap<>(s.storageOf(a)));
            s.put(a, n.nonce(), n.balance(), n.code(), n.storage());
        });
    }
}
