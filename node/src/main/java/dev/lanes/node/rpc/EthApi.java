package dev.lanes.node.rpc;

import static dev.lanes.node.rpc.RpcJson.F;
import static dev.lanes.node.rpc.RpcJson.hex;
import static dev.lanes.node.rpc.RpcJson.qty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.lanes.evm.AccountInfo;
import dev.lanes.evm.Status;
import dev.lanes.evm.tx.AccessListEntry;
import dev.lanes.evm.tx.Transaction;
import dev.lanes.evm.tx.TxType;
import dev.lanes.node.BlobSidecar;
import dev.lanes.node.Block;
import dev.lanes.node.Calls;
import dev.lanes.node.DevAccounts;
import dev.lanes.node.Node;
import dev.lanes.node.TxPool;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Keccak;
import dev.lanes.primitives.UInt256;
import dev.lanes.state.WorldState;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code web3_}, {@code net_}, {@code eth_} and {@code evm_} methods, named as the specification spells
 * them. Each handler reads and checks its parameters, asks the node (chain, pool, calls), and shapes the answer
 * with {@link RpcJson}; the logs query and the fee history live in {@link LogsAndFees}. Every handler runs on
 * the node's chain thread.
 */
final class EthApi {
    /** The tip eth_maxPriorityFeePerGas suggests and eth_sendTransaction uses: 1 gwei, as Anvil. */
    static final UInt256 SUGGESTED_TIP = UInt256.of(1_000_000_000L);
    static final String CLIENT_VERSION = "lanes/v0.1.0/java" + Runtime.version().feature();

    interface Method {
        JsonNode call(Params p);
    }

    private final Node node;
    private final LogsAndFees logsAndFees;
    final Map<String, Method> methods = new HashMap<>();

    EthApi(Node node) {
        this.node = node;
        this.logsAndFees = new LogsAndFees(node, this);
        new Filters(node, logsAndFees, System::nanoTime).register(methods); // eth_newFilter and the like
        methods.put("web3_clientVersion", p -> text(p.atMost(0), CLIENT_VERSION));
        methods.put("web3_sha3", p -> F.textNode(Keccak.hashOf(p.atMost(1).data(0)).toString()));
        methods.put("net_version", p -> text(p.atMost(0), Long.toString(node.config().chainId())));
        methods.put("net_listening", p -> F.booleanNode(true));
        methods.put("eth_chainId", p -> text(p.atMost(0), qty(node.config().chainId())));
        methods.put("eth_syncing", p -> F.booleanNode(false));
        methods.put("eth_blockNumber", p -> text(p.atMost(0), qty(node.chain().head().number())));
        methods.put("eth_accounts", p -> {
            ArrayNode a = F.arrayNode();
            for (DevAccounts.Account acc : node.accounts()) a.add(acc.address().toString());
            return a;
        });
        methods.put("eth_getBalance", p -> F.textNode(qty(stateAt(p.atMost(2), 1).balance(p.address(0)))));
        methods.put("eth_getTransactionCount", this::transactionCount);
        methods.put("eth_getCode", p -> {
            AccountInfo a = stateAt(p.atMost(2), 1).account(p.address(0));
            return F.textNode(a == null || a.codeHash().equals(Hash.EMPTY_CODE) ? "0x" : hex(stateAt(p, 1).code(a.codeHash())));
        });
        methods.put("eth_getStorageAt", p -> {
            UInt256 slot = Params.quantity(p.atMost(3).node(1), "argument 1");
            return F.textNode(hex(stateAt(p, 2).storage(p.address(0), slot).toBytes()));
        });
        // Under the time cap (NodeConfig.rpcEvmTimeout): the whole estimateGas search shares one deadline.
        methods.put("eth_call", p -> node.calls().timed(() -> call(p)));
        methods.put("eth_estimateGas", p -> node.calls().timed(() -> estimateGas(p)));
        methods.put("eth_gasPrice", p -> F.textNode(qty(node.chain().pendingBaseFee().add(SUGGESTED_TIP))));
        methods.put("eth_maxPriorityFeePerGas", p -> F.textNode(qty(SUGGESTED_TIP)));
        methods.put("eth_blobBaseFee", p -> F.textNode(qty(node.chain().pendingBlobBaseFee())));
        methods.put("eth_feeHistory", logsAndFees::feeHistory);
        methods.put("eth_getLogs", logsAndFees::getLogs);
        methods.put("eth_sendRawTransaction", p -> {
            Transaction tx;
            try {
                JsonNode text = p.atMost(1).node(0);
                Transaction pre = text != null && text.isTextual() ? predecoded.remove(text.asText()) : null;
                byte[] raw = p.data(0);
                tx = pre != null ? pre : decodeRaw(raw);
                // A blob transaction is only accepted with its blobs (the network form), as geth does.
                if (tx.type() == TxType.BLOB && !BlobSidecar.isNetworkForm(raw))
                    throw RpcError.invalidParams("blob transaction without its sidecar (send the network form: tx, blobs, commitments, proofs)");
            } catch (IllegalArgumentException e) {
                throw RpcError.invalidParams("invalid transaction: " + e.getMessage());
            }
            return send(tx);
        });
        methods.put("eth_sendTransaction", this::sendTransaction);
        methods.put("eth_getTransactionByHash", this::transactionByHash);
        methods.put("eth_getTransactionReceipt", p -> {
            Block.TxLocation loc = node.chain().store().transaction(p.atMost(1).hash(0));
            return loc == null ? F.nullNode() : RpcJson.receipt(node.chain().store().byNumber(loc.blockNumber()), loc.index());
        });
        methods.put("eth_getBlockByNumber", p -> {
            Block b = blockByTag(p.atMost(2), 0);
            return b == null ? F.nullNode() : RpcJson.block(b, p.bool(1, false));
        });
        methods.put("eth_getBlockByHash", p -> {
            Block b = node.chain().store().byHash(p.atMost(2).hash(0));
            return b == null ? F.nullNode() : RpcJson.block(b, p.bool(1, false));
        });
        methods.put("eth_getBlockTransactionCountByNumber", p -> {
            Block b = blockByTag(p.atMost(1), 0);
            return b == null ? F.nullNode() : F.textNode(qty(b.transactions().size()));
        });
        methods.put("eth_getBlockTransactionCountByHash", p -> {
            Block b = node.chain().store().byHash(p.atMost(1).hash(0));
            return b == null ? F.nullNode() : F.textNode(qty(b.transactions().size()));
        });
        methods.put("eth_getTransactionByBlockNumberAndIndex", p -> txAt(blockByTag(p.atMost(2), 0), p));
        methods.put("eth_getTransactionByBlockHashAndIndex", p -> txAt(node.chain().store().byHash(p.atMost(2).hash(0)), p));
        methods.put("eth_getBlockReceipts", p -> {
            JsonNode tag = p.atMost(1).node(0);
            Block b = tag.isTextual() && tag.asText().length() == 66 ? node.chain().store().byHash(p.hash(0)) : blockByTag(p, 0);
            if (b == null) return F.nullNode();
            ArrayNode a = F.arrayNode();
            for (int i = 0; i < b.transactions().size(); i++) a.add(RpcJson.receipt(b, i));
            return a;
        });
        methods.put("evm_mine", p -> {
            if (p.atMost(1).has(0) && !p.node(0).isObject()) node.mine(Params.u63(p.node(0), "timestamp"));
            else node.mine();
            return F.textNode("0x0");
        });
        methods.put("evm_snapshot", p -> text(p.atMost(0), qty(node.snapshot())));
        methods.put("evm_revert", p -> F.booleanNode(node.revert(Params.u63(p.atMost(1).node(0), "snapshot id"))));
        new StateApi(node, this).register(methods);
        new DebugApi(node, this).register(methods);
        new DevApi(node, this).register(methods);
    }

    private static JsonNode text(Params p, String s) {
        return F.textNode(s);
    }

    // ---- block tags ----

    /**
     * The block a tag names: latest (also safe, finalized and pending: a development chain seals at once and has
     * no separate pending block), earliest, a number, or an EIP-1898 object with blockNumber or blockHash. Null
     * when the number is past the head.
     */
    Block blockByTag(Params p, int i) {
        if (!p.has(i)) return node.chain().head();
        return blockByTag(p.node(i), "argument " + i);
    }

    Block blockByTag(JsonNode n, String what) {
        if (n.isObject()) {
            if (n.has("blockHash")) {
                Block b = node.chain().store().byHash(Params.hash(n.get("blockHash"), what + ".blockHash"));
                if (b == null) throw RpcError.server("header for hash not found");
                return b;
            }
            if (n.has("blockNumber")) return blockByTag(n.get("blockNumber"), what + ".blockNumber");
            throw RpcError.invalidParams(what + ": object needs blockHash or blockNumber");
        }
        if (!n.isTextual()) throw RpcError.invalidParams(what + ": expected a block tag or number");
        return switch (n.asText()) {
            case "latest", "pending", "safe", "finalized" -> node.chain().head();
            case "earliest" -> node.chain().store().byNumber(0);
            default -> node.chain().store().byNumber(Params.u63(n, what));
        };
    }

    /** The post-state of the block named by argument {@code i} (latest when absent). */
    WorldState stateAt(Params p, int i) {
        Block b = blockByTag(p, i);
        if (b == null) throw RpcError.server("header not found");
        return stateOf(b);
    }

    WorldState stateOf(Block b) {
        WorldState s = node.chain().store().state(b.number());
        if (s == null) throw RpcError.server("state of block " + b.number() + " is not kept (only the last "
                + node.config().stateHistory() + " blocks and genesis are)");
        return s;
    }

    // ---- handlers ----

    private JsonNode transactionCount(Params p) {
        p.atMost(2);
        Address a = p.address(0);
        if (p.has(1) && p.node(1).isTextual() && p.node(1).asText().equals("pending")) {
            return F.textNode(qty(node.pool().nextNonce(a, stateOf(node.chain().head()))));
        }
        AccountInfo info = stateAt(p, 1).account(a);
        return F.textNode(qty(info == null ? 0 : info.nonce()));
    }

    private JsonNode txAt(Block b, Params p) {
        long i = Params.u63(p.node(1), "argument 1");
        if (b == null || i >= b.transactions().size()) return F.nullNode();
        return RpcJson.transaction(b.transactions().get((int) i), b.senders().get((int) i), b, (int) i);
    }

    private JsonNode transactionByHash(Params p) {
        Hash h = p.atMost(1).hash(0);
        Block.TxLocation loc = node.chain().store().transaction(h);
        if (loc != null) {
            Block b = node.chain().store().byNumber(loc.blockNumber());
            return RpcJson.transaction(b.transactions().get(loc.index()), b.senders().get(loc.index()), b, loc.index());
        }
        Transaction tx = node.pool().get(h);
        return tx == null ? F.nullNode() : RpcJson.transaction(tx, node.pool().sender(h), null, 0);
    }

    /**
     * Raw transactions decoded, with their senders recovered, on Netty's thread before their call reaches the
     * chain thread ({@link #prepare}): signature recovery is the most expensive step of admitting a transaction,
     * and the chain thread is the node's bottleneck. Keyed by the request's hex text; the call takes its entry
     * out. Bounded: past the limit requests are simply decoded on the chain thread.
     */
    private final java.util.concurrent.ConcurrentHashMap<String, Transaction> predecoded = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int PREDECODED_MAX = 4096;

    /** A raw transaction as eth_sendRawTransaction takes it: the network form of a blob transaction, or the canonical form. */
    private static Transaction decodeRaw(byte[] raw) {
        return BlobSidecar.isNetworkForm(raw) ? BlobSidecar.unwrap(raw) : Transaction.decode(raw);
    }

    /** Work on one request that may run on any thread before the request's call (see {@link #predecoded}). */
    void prepare(JsonNode request) {
        if (!request.isObject() || predecoded.size() >= PREDECODED_MAX) return;
        JsonNode method = request.get("method"), params = request.get("params");
        if (method == null || !"eth_sendRawTransaction".equals(method.asText()) || params == null || !params.isArray()
                || params.size() != 1 || !params.get(0).isTextual()) return;
        String text = params.get(0).asText();
        try {
            byte[] raw = Params.data(params.get(0), "argument 0");
            Transaction tx = decodeRaw(raw);
            tx.sender();
            predecoded.put(text, tx);
        } catch (RuntimeException e) {
            // Malformed: the call itself decodes it again on the chain thread and reports the error there.
        }
    }

    /** Drops what {@link #prepare} kept for a request that will not run (refused: the node was busy). */
    void unprepare(JsonNode request) {
        if (!request.isObject()) return;
        JsonNode method = request.get("method"), params = request.get("params");
        if (method == null || !"eth_sendRawTransaction".equals(method.asText()) || params == null || !params.isArray()
                || params.size() != 1 || !params.get(0).isTextual()) return;
        predecoded.remove(params.get(0).asText());
    }

    private JsonNode send(Transaction tx) {
        try {
            return F.textNode(node.sendTransaction(tx).toString());
        } catch (TxPool.Rejected e) {
            throw RpcError.server(e.getMessage());
        }
    }

    private JsonNode sendTransaction(Params p) {
        JsonNode o = p.atMost(1).node(0);
        if (!o.isObject()) throw RpcError.invalidParams("argument 0: expected a transaction object");
        Calls.Request r = callRequest(o);
        if (r.from() == null) throw RpcError.invalidParams("from: required");
        DevAccounts.Account acc = node.account(r.from());
        boolean impersonated = acc == null && node.impersonated().contains(r.from());
        if (acc == null && !impersonated)
            throw RpcError.server("unknown account " + r.from() + ": this node signs only for eth_accounts and impersonated accounts");
        Block head = node.chain().head();
        WorldState state = stateOf(head);
        long nonce = o.hasNonNull("nonce") ? Params.u63(o.get("nonce"), "nonce") : node.pool().nextNonce(r.from(), state);
        long gas = r.gas();
        if (gas == 0) gas = node.calls().timed(() -> estimate(r, head, state));
        Transaction.Builder b;
        boolean listed = !r.accessList().isEmpty();
        if (r.gasPrice() != null) {
            b = Transaction.builder(listed ? TxType.ACCESS_LIST : TxType.LEGACY).chainId(node.config().chainId()).gasPrice(r.gasPrice());
        } else {
            UInt256 tip = r.maxPriorityFeePerGas() != null ? r.maxPriorityFeePerGas() : SUGGESTED_TIP;
            UInt256 maxFee = r.maxFeePerGas() != null ? r.maxFeePerGas() : node.chain().pendingBaseFee().mul(2).add(tip);
            b = Transaction.builder(TxType.DYNAMIC_FEE).chainId(node.config().chainId()).maxFeePerGas(maxFee).maxPriorityFeePerGas(tip);
        }
        b.nonce(nonce).gasLimit(gas).to(r.to()).value(r.value() == null ? UInt256.ZERO : r.value())
                .data(r.data() == null ? new byte[0] : r.data());
        if (listed) b.accessList(r.accessList());
        if (acc != null) return send(b.sign(acc.privateKey()));
        // Impersonated: no key. Fake but well-formed signature values derived from the sender keep the hashes of
        // different senders' otherwise equal transactions apart (r is the address plus one: never zero, below the curve order).
        UInt256 v = r.gasPrice() != null && !listed ? UInt256.of(35 + 2 * node.config().chainId()) : UInt256.ZERO;
        return send(b.withImpersonatedSender(r.from(), v, UInt256.fromBytes(r.from().toArray()).add(UInt256.ONE), UInt256.ONE));
    }

    /** Reads a call/transaction object: from, to, gas, gasPrice, maxFeePerGas, maxPriorityFeePerGas, value, input/data. */
    static Calls.Request callRequest(JsonNode o) {
        if (!o.isObject()) throw RpcError.invalidParams("expected a call object");
        Address from = o.hasNonNull("from") ? Params.address(o.get("from"), "from") : null;
        Address to = o.hasNonNull("to") ? Params.address(o.get("to"), "to") : null;
        long gas = o.hasNonNull("gas") ? Params.u63(o.get("gas"), "gas") : 0;
        UInt256 gasPrice = o.hasNonNull("gasPrice") ? Params.quantity(o.get("gasPrice"), "gasPrice") : null;
        UInt256 maxFee = o.hasNonNull("maxFeePerGas") ? Params.quantity(o.get("maxFeePerGas"), "maxFeePerGas") : null;
        UInt256 tip = o.hasNonNull("maxPriorityFeePerGas") ? Params.quantity(o.get("maxPriorityFeePerGas"), "maxPriorityFeePerGas") : null;
        if (gasPrice != null && (maxFee != null || tip != null))
            throw RpcError.invalidParams("both gasPrice and (maxFeePerGas or maxPriorityFeePerGas) specified");
        UInt256 value = o.hasNonNull("value") ? Params.quantity(o.get("value"), "value") : null;
        byte[] input = o.hasNonNull("input") ? Params.data(o.get("input"), "input") : null;
        byte[] data = o.hasNonNull("data") ? Params.data(o.get("data"), "data") : null;
        if (input != null && data != null && !Arrays.equals(input, data))
            throw RpcError.invalidParams("both \"data\" and \"input\" are set and not equal");
        List<AccessListEntry> list = o.hasNonNull("accessList") ? accessList(o.get("accessList")) : List.of();
        return new Calls.Request(from, to, gas, gasPrice, maxFee, tip, value, input != null ? input : data, list);
    }

    /** An EIP-2930 access list: [{address, storageKeys: [32-byte hex]}]. */
    static List<AccessListEntry> accessList(JsonNode a) {
        if (!a.isArray()) throw RpcError.invalidParams("accessList: expected an array");
        List<AccessListEntry> out = new ArrayList<>();
        for (JsonNode e : a) {
            if (!e.isObject()) throw RpcError.invalidParams("accessList: expected objects {address, storageKeys}");
            List<Hash> keys = new ArrayList<>();
            if (e.hasNonNull("storageKeys")) {
                if (!e.get("storageKeys").isArray()) throw RpcError.invalidParams("accessList.storageKeys: expected an array");
                for (JsonNode k : e.get("storageKeys")) keys.add(Params.hash(k, "accessList.storageKeys"));
            }
            out.add(new AccessListEntry(Params.address(e.get("address"), "accessList.address"), keys));
        }
        return out;
    }

    private JsonNode call(Params p) {
        p.atMost(3);
        Calls.Request r = callRequest(p.node(0));
        Block b = blockByTag(p, 1);
        if (b == null) throw RpcError.server("header not found");
        Calls.Outcome out;
        try {
            out = node.calls().call(r, b.header(), stateWithOverrides(p, b), node.config().callGasCap());
        } catch (Calls.Invalid e) {
            throw RpcError.server(e.getMessage());
        }
        if (out.success()) return F.textNode(hex(out.output()));
        throw failure(out);
    }

    private JsonNode estimateGas(Params p) {
        p.atMost(3);
        Calls.Request r = callRequest(p.node(0));
        Block b = blockByTag(p, 1);
        if (b == null) throw RpcError.server("header not found");
        return F.textNode(qty(estimate(r, b, stateWithOverrides(p, b))));
    }

    /** Block {@code b}'s state, or a copy with the state overrides of argument 2 when given. */
    WorldState stateWithOverrides(Params p, Block b) {
        return p.has(2) ? StateOverrides.apply(stateOf(b), p.node(2)) : stateOf(b);
    }

    private long estimate(Calls.Request r, Block b, WorldState state) {
        try {
            return node.calls().estimate(r, b.header(), state, node.config().callGasCap());
        } catch (Calls.Invalid e) {
            throw RpcError.server(e.getMessage());
        } catch (Calls.Failed e) {
            if (e.outcome.status() == Status.REVERT) throw failure(e.outcome);
            throw RpcError.server("gas required exceeds allowance (" + e.gas + ")");
        }
    }

    /** A failed call as geth reports it: code 3 with the revert data, or -32000 with the halt reason. */
    static RpcError failure(Calls.Outcome out) {
        if (out.status() != Status.REVERT) return RpcError.server(Status.name(out.status()));
        String reason = revertReason(out.output());
        return new RpcError(RpcError.EXECUTION_REVERTED, reason == null ? "execution reverted" : "execution reverted: " + reason,
                hex(out.output()));
    }

    /** The string of ABI {@code Error(string)} revert data (selector 0x08c379a0), or null. */
    static String revertReason(byte[] d) {
        return dev.lanes.node.trace.CallTracer.revertReason(d);
    }
}
