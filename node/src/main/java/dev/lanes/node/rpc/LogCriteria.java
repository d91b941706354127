package dev.lanes.node.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lanes.evm.Log;
import dev.lanes.node.Block;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a log filter or a {@code logs} subscription selects from each new block: addresses, topic positions
 * (read as {@code eth_getLogs} reads them) and, for filters, an optional block range. Parsed once, when the filter
 * is installed, so that a bad filter is refused at once rather than at the first block.
 *
 * @param from first block whose logs count, -1 for no bound ("latest", "pending", absent)
 * @param to   last block whose logs count, -1 for no bound
 */
record LogCriteria(Set<Address> addresses, List<Set<Hash>> topics, long from, long to) {
    private static final SecureRandom RANDOM = new SecureRandom();

    static LogCriteria parse(JsonNode f, boolean rangeAllowed) {
        if (f == null || f.isNull()) return new LogCriteria(null, List.of(), -1, -1);
        if (!f.isObject()) throw RpcError.invalidParams("expected a filter object");
        if (f.hasNonNull("blockHash")) throw RpcError.invalidParams("blockHash is not supported here (use eth_getLogs)");
        if (!rangeAllowed && (f.hasNonNull("fromBlock") || f.hasNonNull("toBlock")))
            throw RpcError.invalidParams("fromBlock/toBlock are not supported in a logs subscription");
        long from = bound(f.get("fromBlock"), "fromBlock"), to = bound(f.get("toBlock"), "toBlock");
        if (from >= 0 && to >= 0 && from > to) throw RpcError.invalidParams("invalid block range params: fromBlock after toBlock");
        return new LogCriteria(LogsAndFees.addresses(f.get("address")), LogsAndFees.topics(f.get("topics")), from, to);
    }

    private static long bound(JsonNode n, String what) {
        if (n == null || n.isNull()) return -1;
        if (n.isTextual()) {
            switch (n.asText()) {
                case "latest", "pending", "safe", "finalized" -> { return -1; }
                case "earliest" -> { return 0; }
                default -> { }
            }
        }
        return Params.u63(n, what);
    }

    /** The logs of {@code b} that match, as JSON (with block-wide log indices and {@code removed: false}). */
    List<ObjectNode> matching(Block b) {
        List<ObjectNode> out = new ArrayList<>();
        if ((from >= 0 && b.number() < from) || (to >= 0 && b.number() > to)) return out;
        int logIndex = 0;
        for (int t = 0; t < b.receipts().size(); t++) {
            for (Log l : b.receipts().get(t).logs()) {
                if (LogsAndFees.matches(l, addresses, topics)) out.add(RpcJson.log(b, t, logIndex, l));
                logIndex++;
            }
        }
        return out;
    }

    /** A fresh filter or subscription id as geth makes them: 16 random bytes as hex without leading zeros. */
    static String newId() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        String hex = new java.math.BigInteger(1, b).toString(16);
        return "0x" + (hex.isEmpty() ? "0" : hex);
    }
}
