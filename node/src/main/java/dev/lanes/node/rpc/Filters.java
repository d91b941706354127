package dev.lanes.node.rpc;

import static dev.lanes.node.rpc.RpcJson.F;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.lanes.evm.tx.Transaction;
import dev.lanes.node.Block;
import dev.lanes.node.Node;
import dev.lanes.node.NodeEvents;
import dev.lanes.node.PubSubConfig;
import dev.lanes.primitives.Address;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Polling filters, over HTTP and WebSocket alike: {@code eth_newFilter}, {@code eth_newBlockFilter},
 * {@code eth_newPendingTransactionFilter}, {@code eth_getFilterChanges}, {@code eth_getFilterLogs},
 * {@code eth_uninstallFilter}. A filter collects what arrives after it is installed (block hashes, transaction
 * hashes, matching logs) until the next {@code eth_getFilterChanges} hands it over. As geth, a filter that is
 * not polled for {@link PubSubConfig#filterTimeout()} is removed with what it collected, so that abandoned
 * filters cannot grow without bound; the number of filters is capped by {@link PubSubConfig#maxFilters()}, and
 * what one holds by {@link PubSubConfig#maxFilterChanges()}: a filter that would need more has lost changes, so
 * it is dropped and its next poll gets an error saying so rather than a silently incomplete answer.
 *
 * <p>Everything here runs on the chain thread (the methods through {@link JsonRpc}, the events from
 * {@link NodeEvents}), so the table needs no lock. Expired filters are swept on every event and call.
 */
final class Filters implements NodeEvents.Listener {
    private enum Kind { LOGS, BLOCKS, PENDING }

    private static final class Filter {
        final Kind kind;
        final LogCriteria criteria;
        final JsonNode query; // the eth_newFilter object, for eth_getFilterLogs
        ArrayNode changes = F.arrayNode();
        long lastPoll;
        boolean overflowed;

        Filter(Kind kind, LogCriteria criteria, JsonNode query, long now) {
            this.kind = kind;
            this.criteria = criteria;
            this.query = query;
            this.lastPoll = now;
        }
    }

    private final LogsAndFees logs;
    private final PubSubConfig limits;
    private final LongSupplier nanoClock;
    private final Map<String, Filter> filters = new LinkedHashMap<>();

    Filters(Node node, LogsAndFees logs, LongSupplier nanoClock) {
        this.logs = logs;
        this.limits = node.config().pubsub();
        this.nanoClock = nanoClock;
        node.events().add(this);
    }

    /** Adds the filter methods, and the refusal of {@code eth_subscribe} outside a WebSocket, to {@code methods}. */
    void register(Map<String, EthApi.Method> methods) {
        methods.put("eth_newFilter", p -> install(Kind.LOGS, LogCriteria.parse(p.atMost(1).node(0), true), p.node(0)));
        methods.put("eth_newBlockFilter", p -> {
            p.atMost(0);
            return install(Kind.BLOCKS, null, null);
        });
        methods.put("eth_newPendingTransactionFilter", p -> {
            p.atMost(0);
            return install(Kind.PENDING, null, null);
        });
        methods.put("eth_getFilterChanges", p -> {
            String id = p.atMost(1).text(0);
            Filter f = find(id);
            if (f.overflowed) {
                filters.remove(id);
                throw new RpcError(RpcError.LIMIT_EXCEEDED, "filter dropped: more than " + limits.maxFilterChanges()
                        + " changes since the last poll; install a new one");
            }
            ArrayNode out = f.changes;
            f.changes = F.arrayNode();
            return out;
        });
        methods.put("eth_getFilterLogs", p -> {
            Filter f = find(p.atMost(1).text(0));
            if (f.kind != Kind.LOGS) throw RpcError.server("filter not found");
            return logs.getLogs(new Params(F.arrayNode().add(f.query)));
        });
        methods.put("eth_uninstallFilter", p -> {
            sweep();
            return F.booleanNode(filters.remove(p.atMost(1).text(0)) != null);
        });
        // geth's answer over HTTP: subscriptions need a connection to push notifications on.
        EthApi.Method noNotifications = p -> {
            throw new RpcError(RpcError.METHOD_NOT_FOUND, "notifications not supported");
        };
        methods.put("eth_subscribe", noNotifications);
        methods.put("eth_unsubscribe", noNotifications);
    }

    private JsonNode install(Kind kind, LogCriteria criteria, JsonNode query) {
        sweep();
        if (filters.size() >= limits.maxFilters())
            throw new RpcError(RpcError.LIMIT_EXCEEDED, "too many filters (limit " + limits.maxFilters() + ")");
        String id = LogCriteria.newId();
        filters.put(id, new Filter(kind, criteria, query, nanoClock.getAsLong()));
        return F.textNode(id);
    }

    /** The filter and a new deadline for it, or geth's error for an unknown (or expired) id. */
    private Filter find(String id) {
        sweep();
        Filter f = filters.get(id);
        if (f == null) throw RpcError.server("filter not found");
        f.lastPoll = nanoClock.getAsLong();
        return f;
    }

    private void sweep() {
        long now = nanoClock.getAsLong(), timeout = limits.filterTimeout().toNanos();
        for (Iterator<Filter> it = filters.values().iterator(); it.hasNext(); )
            if (now - it.next().lastPoll > timeout) it.remove();
    }

    int size() {
        return filters.size();
    }

    @Override public void onBlock(Block b) {
        sweep();
        for (Filter f : filters.values()) {
            switch (f.kind) {
                case BLOCKS -> collect(f, List.of(F.textNode(b.hash().toString())));
                case LOGS -> collect(f, f.criteria.matching(b));
                case PENDING -> { }
            }
        }
    }

    private void collect(Filter f, List<? extends JsonNode> items) {
        if (f.overflowed || items.isEmpty()) return;
        if (f.changes.size() + items.size() > limits.maxFilterChanges()) {
            f.overflowed = true;
            f.changes = F.arrayNode(); // what it held is incomplete now; free it
        } else {
            f.changes.addAll(items);
        }
    }

    @Override public void onPendingTransaction(Transaction tx, Address sender) {
        if (filters.isEmpty()) return;
        List<JsonNode> hash = List.of(F.textNode(tx.hash().toString()));
        for (Filter f : filters.values()) if (f.kind == Kind.PENDING) collect(f, hash);
    }
}
