package dev.lanes.node.rpc;

import static dev.lanes.node.rpc.RpcJson.F;
import static dev.lanes.node.rpc.RpcJson.qty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lanes.evm.BlobGas;
import dev.lanes.evm.Log;
import dev.lanes.evm.tx.Transaction;
import dev.lanes.executor.BlockHeader;
import dev.lanes.executor.Receipt;
import dev.lanes.node.Block;
import dev.lanes.node.Chain;
import dev.lanes.node.Node;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.UInt256;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** {@code eth_getLogs} and {@code eth_feeHistory}: the two methods that scan a range of blocks, with their limits. */
final class LogsAndFees {
    /** Most blocks one eth_feeHistory covers (geth's limit). */
    static final int MAX_FEE_HISTORY = 1024;
    private final Node node;
    private final EthApi api;

    LogsAndFees(Node node, EthApi api) {
        this.node = node;
        this.api = api;
    }

    JsonNode getLogs(Params p) {
        JsonNode f = p.atMost(1).node(0);
        if (!f.isObject()) throw RpcError.invalidParams("argument 0: expected a filter object");
        List<Block> blocks = new ArrayList<>();
        if (f.hasNonNull("blockHash")) {
            if (f.hasNonNull("fromBlock") || f.hasNonNull("toBlock"))
                throw RpcError.invalidParams("cannot specify both blockHash and fromBlock/toBlock");
            Block b = node.chain().store().byHash(Params.hash(f.get("blockHash"), "blockHash"));
            if (b == null) throw RpcError.server("unknown block");
            blocks.add(b);
        } else {
            Block head = node.chain().head();
            Block from = f.hasNonNull("fromBlock") ? api.blockByTag(f.get("fromBlock"), "fromBlock") : head;
            Block to = f.hasNonNull("toBlock") ? api.blockByTag(f.get("toBlock"), "toBlock") : head;
            long lo = from == null ? head.number() + 1 : from.number(), hi = to == null ? head.number() : to.number();
            if (lo > hi && from != null) throw RpcError.invalidParams("invalid block range params: fromBlock after toBlock");
            if (hi - lo + 1 > node.config().maxLogBlocks())
                throw new RpcError(RpcError.LIMIT_EXCEEDED, "query exceeds max block range " + node.config().maxLogBlocks());
            for (long n = lo; n <= hi; n++) blocks.add(node.chain().store().byNumber(n));
        }
        Set<Address> addresses = addresses(f.get("address"));
        List<Set<Hash>> topics = topics(f.get("topics"));
        ArrayNode out = F.arrayNode();
        for (Block b : blocks) {
            int logIndex = 0;
            for (int t = 0; t < b.receipts().size(); t++) {
                for (Log l : b.receipts().get(t).logs()) {
                    if (matches(l, addresses, topics)) {
                        if (out.size() >= node.config().maxLogs())
                            throw new RpcError(RpcError.LIMIT_EXCEEDED, "query returned more than " + node.config().maxLogs() + " results");
                        out.add(RpcJson.log(b, t, logIndex, l));
                    }
                    logIndex++;
                }
            }
        }
        return out;
    }

    static Set<Address> addresses(JsonNode n) {
        if (n == null || n.isNull()) return null;
        Set<Address> s = new HashSet<>();
        if (n.isArray()) {
            for (JsonNode a : n) s.add(Params.address(a, "address"));
            return s.isEmpty() ? null : s;
        }
        s.add(Params.address(n, "address"));
        return s;
    }

    /** Position i: null matches anything, else one of the set. */
    static List<Set<Hash>> topics(JsonNode n) {
        List<Set<Hash>> out = new ArrayList<>();
        if (n == null || n.isNull()) return out;
        if (!n.isArray()) throw RpcError.invalidParams("topics: expected an array");
        if (n.size() > 4) throw RpcError.invalidParams("topics: at most 4 positions");
        for (JsonNode t : n) {
            if (t.isNull()) {
                out.add(null);
            } else if (t.isArray()) {
                Set<Hash> s = new HashSet<>();
                for (JsonNode h : t) {
                    if (h.isNull()) { s = null; break; } // a null inside an alternative list matches anything
                    s.add(Params.hash(h, "topics"));
                }
                out.add(s == null || s.isEmpty() ? null : s);
            } else {
                out.add(Set.of(Params.hash(t, "topics")));
            }
        }
        return out;
    }

    static boolean matches(Log l, Set<Address> addresses, List<Set<Hash>> topics) {
        if (addresses != null && !addresses.contains(l.address())) return false;
        if (topics.size() > l.topics().size()) {
            for (int i = l.topics().size(); i < topics.size(); i++) if (topics.get(i) != null) return false;
        }
        for (int i = 0; i < topics.size() && i < l.topics().size(); i++) {
            if (topics.get(i) != null && !topics.get(i).contains(l.topics().get(i))) return false;
        }
        return true;
    }

    /**
     * eth_feeHistory(blockCount, newestBlock, rewardPercentiles): base fees (one more than the blocks: the next
     * block's), gas used ratios, blob fields, and per block the effective tips at the given percentiles of gas.
     */
    JsonNode feeHistory(Params p) {
        p.atMost(3);
        long count = Params.u63(p.node(0), "blockCount");
        Block newest = api.blockByTag(p.node(1), "newestBlock");
        if (newest == null) throw RpcError.server("header not found");
        double[] pct = null;
        if (p.has(2)) {
            JsonNode a = p.node(2);
            if (!a.isArray()) throw RpcError.invalidParams("rewardPercentiles: expected an array");
            if (a.size() > 100) throw RpcError.invalidParams("rewardPercentiles: at most 100");
            pct = new double[a.size()];
            for (int i = 0; i < pct.length; i++) {
                if (!a.get(i).isNumber()) throw RpcError.invalidParams("rewardPercentiles: expected numbers");
                pct[i] = a.get(i).asDouble();
                if (pct[i] < 0 || pct[i] > 100 || (i > 0 && pct[i] < pct[i - 1]))
                    throw RpcError.invalidParams("rewardPercentiles: must be ascending and in [0, 100]");
            }
        }
        count = Math.min(Math.min(count, MAX_FEE_HISTORY), newest.number() + 1);
        long oldest = newest.number() - count + 1;
        ObjectNode o = F.objectNode();
        o.put("oldestBlock", qty(count == 0 ? newest.number() : oldest));
        ArrayNode baseFees = o.putArray("baseFeePerGas"), ratios = o.putArray("gasUsedRatio");
        ArrayNode blobFees = o.putArray("baseFeePerBlobGas"), blobRatios = o.putArray("blobGasUsedRatio");
        ArrayNode rewards = pct == null ? null : o.putArray("reward");
        for (long n = oldest; n <= newest.number() && count > 0; n++) {
            Block b = node.chain().store().byNumber(n);
            BlockHeader h = b.header();
            baseFees.add(qty(h.baseFee()));
            ratios.add((double) h.gasUsed() / h.gasLimit());
            blobFees.add(qty(BlobGas.baseFee(h.excessBlobGas(), Chain.RULES.blobBaseFeeUpdateFraction)));
            blobRatios.add((double) h.blobGasUsed() / Chain.RULES.maxBlobGasPerBlock);
            if (rewards != null) rewards.add(rewards(b, pct));
        }
        if (count > 0) {
            baseFees.add(qty(Chain.nextBaseFee(newest.header())));
            blobFees.add(qty(BlobGas.baseFee(dev.lanes.executor.BlockValidation.expectedExcessBlobGas(newest.header(), Chain.RULES),
                    Chain.RULES.blobBaseFeeUpdateFraction)));
        }
        return o;
    }

    /** The effective tips at the percentiles, weighting each transaction by the gas it used (geth's method). */
    private static ArrayNode rewards(Block b, double[] pct) {
        ArrayNode out = F.arrayNode();
        int n = b.transactions().size();
        if (n == 0) {
            for (double ignored : pct) out.add("0x0");
            return out;
        }
        UInt256 baseFee = b.header().baseFee();
        List<long[]> byTip = new ArrayList<>(); // {index, gasUsed}
        List<UInt256> tips = new ArrayList<>();
        long prev = 0;
        for (int i = 0; i < n; i++) {
            Receipt r = b.receipts().get(i);
            byTip.add(new long[] {i, r.cumulativeGasUsed() - prev});
            prev = r.cumulativeGasUsed();
            Transaction tx = b.transactions().get(i);
            tips.add(RpcJson.effectivePrice(tx, baseFee).sub(baseFee));
        }
        byTip.sort((x, y) -> tips.get((int) x[0]).compareTo(tips.get((int) y[0])));
        int k = 0;
        long sum = byTip.getFirst()[1];
        for (double q : pct) {
            double threshold = b.header().gasUsed() * q / 100;
            while (sum < threshold && k < n - 1) sum += byTip.get(++k)[1];
            out.add(qty(tips.get((int) byTip.get(k)[0])));
        }
        return out;
    }
}
