package dev.lanes.node.rpc;

import static dev.lanes.node.rpc.RpcJson.F;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lanes.evm.tx.Transaction;
import dev.lanes.node.Block;
import dev.lanes.node.Node;
import dev.lanes.node.NodeEvents;
import dev.lanes.node.PubSubConfig;
import dev.lanes.primitives.Address;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code eth_subscribe} over WebSocket: the open connections ({@link Session}), each with its subscriptions, and
 * the fan-out of the chain thread's events to them as geth's {@code eth_subscription} notifications.
 *
 * <p>Delivery never blocks the chain thread: a notification is serialized there and handed to Netty, which
 * writes it on the connection's event loop. Each connection counts the messages handed over but not yet written;
 * a client that lets more than {@link PubSubConfig#maxQueuedMessages()} pile up (it stopped reading, or reads
 * slower than the chain produces) is disconnected with a log line, so that one slow client cannot make the node
 * buffer without bound. The JSON of a block header or transaction is built once per event, whatever the number
 * of subscribers.
 */
final class Subscriptions implements NodeEvents.Listener {
    private final PubSubConfig limits;
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    private final Map<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();

    Subscriptions(Node node) {
        this.limits = node.config().pubsub();
        node.events().add(this);
    }

    PubSubConfig limits() {
        return limits;
    }

    /** Counts a new connection from {@code address}; false (and nothing counted) when it has too many already. */
    boolean admit(InetAddress address) {
        boolean[] admitted = {false};
        // One atomic step per address, so that concurrent upgrades cannot both take the last place.
        perAddress.compute(address, (a, n) -> {
            int open = n == null ? 0 : n;
            if (open >= limits.maxConnectionsPerAddress()) return n;
            admitted[0] = true;
            return open + 1;
        });
        return admitted[0];
    }

    /** Forgets a connection counted by {@link #admit}. */
    void release(InetAddress address) {
        perAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }

    Session open(Channel channel) {
        Session s = new Session(channel);
        sessions.add(s);
        return s;
    }

    /** Ends the session's subscriptions (the connection closed). */
    void close(Session s) {
        s.closed = true;
        sessions.remove(s);
    }

    int openSessions() {
        return sessions.size();
    }

    private enum Kind { NEW_HEADS, LOGS, PENDING_HASHES, PENDING_FULL }

    private record Sub(Kind kind, LogCriteria criteria) {}

    @Override public void onBlock(Block b) {
        byte[] header = null;
        for (Session s : sessions) {
            for (Map.Entry<String, Sub> e : s.subs.entrySet()) {
                Sub sub = e.getValue();
                if (sub.kind == Kind.NEW_HEADS) {
                    if (header == null) header = json(RpcJson.header(b));
                    s.notify(e.getKey(), header);
                } else if (sub.kind == Kind.LOGS) {
                    for (ObjectNode log : sub.criteria.matching(b)) s.notify(e.getKey(), json(log));
                }
            }
        }
    }

    @Override public void onPendingTransaction(Transaction tx, Address sender) {
        byte[] hash = null, full = null;
        for (Session s : sessions) {
            for (Map.Entry<String, Sub> e : s.subs.entrySet()) {
                Sub sub = e.getValue();
                if (sub.kind == Kind.PENDING_HASHES) {
                    if (hash == null) hash = json(F.textNode(tx.hash().toString()));
                    s.notify(e.getKey(), hash);
                } else if (sub.kind == Kind.PENDING_FULL) {
                    if (full == null) full = json(RpcJson.transaction(tx, sender, null, 0));
                    s.notify(e.getKey(), full);
                }
            }
        }
    }

    private static byte[] json(JsonNode n) {
        try {
            return JsonRpc.MAPPER.writeValueAsBytes(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final byte[] NOTE_START = "{\"jsonrpc\":\"2.0\",\"method\":\"eth_subscription\",\"params\":{\"subscription\":\""
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NOTE_MIDDLE = "\",\"result\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NOTE_END = "}}".getBytes(StandardCharsets.US_ASCII);

    /**
     * One WebSocket connection: its subscriptions (read and changed only on the chain thread, where both the
     * methods and the events run) and its bounded outgoing queue (any thread).
     */
    final class Session implements JsonRpc.Session {
        private final Channel channel;
        private final Map<String, Sub> subs = new LinkedHashMap<>();
        private final AtomicInteger queued = new AtomicInteger();
        private final AtomicBoolean dropped = new AtomicBoolean();
        private volatile boolean closed;
        private final Map<String, EthApi.Method> methods = Map.of(
                "eth_subscribe", this::subscribe,
                "eth_unsubscribe", p -> {
                    // geth: an unknown id is an error, not false.
                    if (subs.remove(p.atMost(1).text(0)) == null) throw RpcError.server("subscription not found");
                    return F.booleanNode(true);
                });

        private Session(Channel channel) {
            this.channel = channel;
        }

        @Override public EthApi.Method method(String name) {
            return methods.get(name);
        }

        int subscriptions() {
            return subs.size();
        }

        private JsonNode subscribe(Params p) {
            String kind = p.text(0);
            Sub sub = switch (kind) {
                case "newHeads" -> {
                    p.atMost(1);
                    yield new Sub(Kind.NEW_HEADS, null);
                }
                case "logs" -> new Sub(Kind.LOGS, LogCriteria.parse(p.atMost(2).has(1) ? p.node(1) : null, false));
                case "newPendingTransactions" -> new Sub(p.atMost(2).bool(1, false) ? Kind.PENDING_FULL : Kind.PENDING_HASHES, null);
                default -> throw new RpcError(RpcError.METHOD_NOT_FOUND, "no \"" + kind + "\" subscription in eth namespace");
            };
            if (subs.size() >= limits.maxSubscriptionsPerConnection())
                throw new RpcError(RpcError.LIMIT_EXCEEDED, "too many subscriptions on this connection (limit "
                        + limits.maxSubscriptionsPerConnection() + ")");
            String id = LogCriteria.newId();
            if (!closed) subs.put(id, sub);
            return F.textNode(id);
        }

        private void notify(String id, byte[] result) {
            ByteArrayOutputStream b = new ByteArrayOutputStream(NOTE_START.length + id.length() + result.length + 16);
            b.writeBytes(NOTE_START);
            b.writeBytes(id.getBytes(StandardCharsets.US_ASCII));
            b.writeBytes(NOTE_MIDDLE);
            b.writeBytes(result);
            b.writeBytes(NOTE_END);
            send(b.toByteArray());
        }

        @Override public void send(byte[] message) {
            if (closed || dropped.get()) return;
            if (queued.incrementAndGet() > limits.maxQueuedMessages()) {
                if (dropped.compareAndSet(false, true)) {
                    System.err.println("lanes node: closing WebSocket connection from " + channel.remoteAddress() + ": more than "
                            + limits.maxQueuedMessages() + " messages queued; the client reads too slowly");
                    channel.close();
                }
                return;
            }
            // Thread-safe and non-blocking: off the event loop, Netty queues the write as a task for it.
            channel.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(message)))
                    .addListener(f -> queued.decrementAndGet());
        }
    }
}
