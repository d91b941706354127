package dev.lanes.node.rpc;

import static dev.lanes.node.rpc.RpcJson.F;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lanes.evm.Status;
import dev.lanes.evm.Tracer;
import dev.lanes.evm.tx.TxResult;
import dev.lanes.node.Block;
import dev.lanes.node.Calls;
import dev.lanes.node.Node;
import dev.lanes.node.trace.CallTracer;
import dev.lanes.node.trace.StructLogger;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Hex;
import dev.lanes.state.WorldState;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * {@code debug_traceTransaction}, {@code debug_traceCall}, {@code debug_traceBlockByNumber}/{@code ByHash}
 * with geth's two built-in tracers that tools use most: the default struct logger (options disableStack,
 * enableMemory, disableStorage, limit) and {@code callTracer} (tracerConfig.onlyTopCall). A transaction is
 * traced by re-executing its block up to it on the parent's kept state.
 */
final class DebugApi {
    private static final Set<String> OPTIONS = Set.of("tracer", "tracerConfig", "disableStack", "enableMemory",
            "disableStorage", "enableReturnData", "limit", "timeout", "stateOverrides", "blockOverrides", "reexec");

    private final Node node;
    private final EthApi eth;

    DebugApi(Node node, EthApi eth) {
        this.node = node;
        this.eth = eth;
    }

    void register(Map<String, EthApi.Method> methods) {
        methods.put("debug_traceTransaction", this::traceTransaction);
        methods.put("debug_traceCall", p -> node.calls().timed(() -> traceCall(p)));
        methods.put("debug_traceBlockByNumber", p -> traceBlock(eth.blockByTag(p.atMost(2), 0), p));
        methods.put("debug_traceBlockByHash", p -> traceBlock(node.chain().store().byHash(p.atMost(2).hash(0)), p));
    }

    /** One tracer for one run, and how to render its result. */
    private final class Run {
        final boolean call;
        final CallTracer callTracer;
        final StructLogger structLogger;

        Run(JsonNode opts) {
            if (opts != null && !opts.isObject()) throw RpcError.invalidParams("tracer options: expected an object");
            if (opts != null) for (Iterator<String> it = opts.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!OPTIONS.contains(f)) throw RpcError.invalidParams("tracer options: unknown field " + f);
            }
            String tracer = opts != null && opts.hasNonNull("tracer") ? opts.get("tracer").asText() : null;
            if (tracer != null && !tracer.equals("callTracer") && !tracer.equals("structLogger"))
                throw RpcError.invalidParams("tracer " + tracer + " is not supported (callTracer or the default struct logger)");
            call = "callTracer".equals(tracer);
            if (call) {
                JsonNode cfg = opts.get("tracerConfig");
                boolean onlyTop = cfg != null && cfg.isObject() && cfg.path("onlyTopCall").asBoolean(false);
                callTracer = new CallTracer(node.calls().evm(), onlyTop);
                structLogger = null;
            } else {
                callTracer = null;
                structLogger = new StructLogger(node.calls().evm(), new StructLogger.Options(flag(opts, "disableStack"),
                        flag(opts, "enableMemory"), flag(opts, "disableStorage"),
                        opts != null && opts.has("limit") ? opts.get("limit").asInt(0) : 0));
            }
        }

        Tracer tracer() {
            return call ? callTracer : structLogger;
        }

        JsonNode result(long gasLimit, long gasUsed, int status, byte[] output) {
            if (call) {
                ObjectNode o = callTracer.result(gasLimit, gasUsed);
                return o == null ? F.nullNode() : o;
            }
            ObjectNode o = F.objectNode();
            o.put("gas", gasUsed);
            o.put("failed", status != Status.SUCCESS);
            // geth's struct logger prints the return value as hex without 0x.
            o.put("returnValue", Hex.encode(output == null ? new byte[0] : output));
            o.set("structLogs", structLogger.logs());
            return o;
        }
    }

    private static boolean flag(JsonNode opts, String name) {
        if (opts == null || !opts.has(name)) return false;
        if (!opts.get(name).isBoolean()) throw RpcError.invalidParams("tracer options." + name + ": expected a boolean");
        return opts.get(name).asBoolean();
    }

    private JsonNode traceTransaction(Params p) {
        p.atMost(2);
        Hash h = p.hash(0);
        Block.TxLocation loc = node.chain().store().transaction(h);
        if (loc == null) throw RpcError.server("transaction " + h + " not found");
        Block b = node.chain().store().byNumber(loc.blockNumber());
        return traceAt(b, loc.index(), p.has(1) ? p.node(1) : null);
    }

    private JsonNode traceAt(Block b, int index, JsonNode opts) {
        Run run = new Run(opts);
        TxResult r = node.calls().replay(node.chain().store(), b, index, run.tracer());
        if (r == null) throw RpcError.server("state of block " + (b.number() - 1) + " is not kept (only the last "
                + node.config().stateHistory() + " blocks and genesis are)");
        return run.result(b.transactions().get(index).gasLimit(), r.gasUsed(), r.status(), r.output());
    }

    private JsonNode traceBlock(Block b, Params p) {
        if (b == null) throw RpcError.server("block not found");
        JsonNode opts = p.has(1) ? p.node(1) : null;
        ArrayNode a = F.arrayNode();
        for (int i = 0; i < b.transactions().size(); i++) {
            ObjectNode o = a.addObject();
            o.put("txHash", b.transactions().get(i).hash().toString());
            o.set("result", traceAt(b, i, opts));
        }
        return a;
    }

    private JsonNode traceCall(Params p) {
        p.atMost(3);
        Calls.Request r = EthApi.callRequest(p.node(0));
        Block b = eth.blockByTag(p, 1);
        if (b == null) throw RpcError.server("header not found");
        JsonNode opts = p.has(2) ? p.node(2) : null;
        Run run = new Run(opts);
        if (opts != null && opts.hasNonNull("blockOverrides"))
            throw RpcError.invalidParams("blockOverrides are not supported");
        WorldState state = opts != null && opts.hasNonNull("stateOverrides")
                ? StateOverrides.apply(eth.stateOf(b), opts.get("stateOverrides")) : eth.stateOf(b);
        Calls.Outcome out;
        try {
            out = node.calls().call(r, b.header(), state, node.config().callGasCap(), run.tracer());
        } catch (Calls.Invalid e) {
            throw RpcError.server(e.getMessage());
        }
        long gasLimit = r.gas() == 0 ? Math.min(node.config().callGasCap(), b.header().gasLimit()) : Math.min(r.gas(), node.config().callGasCap());
        return run.result(gasLimit, out.gasUsed(), out.status(), out.output());
    }
}
