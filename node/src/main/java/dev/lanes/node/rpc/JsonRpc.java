package dev.lanes.node.rpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lanes.node.Calls;
import dev.lanes.node.Node;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * JSON-RPC 2.0 envelopes: parses a request body (one call or a batch), checks each call's shape, runs the calls
 * on the node's chain thread and builds the response. Every failure becomes an error object with the code the
 * specification assigns ({@link RpcError}); nothing a client sends can escape as an exception. A call without an
 * {@code id} member is a notification: it runs and gets no response (a body of notifications only gets an empty
 * response).
 */
public final class JsonRpc {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final Node node;
    private final EthApi api;
    private final int maxBatch;

    public JsonRpc(Node node) {
        this.node = node;
        this.api = new EthApi(node);
        this.maxBatch = node.config().maxBatch();
    }

    /**
     * A connection that can push messages (a WebSocket): its own methods ({@code eth_subscribe}) come before the
     * shared table, and every response goes out through {@link #send}.
     */
    interface Session {
        /** This connection's handler for {@code name}, or null to use the shared one. */
        EthApi.Method method(String name);

        /** Queues one message for the client; called from the chain thread or Netty's. */
        void send(byte[] message);
    }

    /** The response body for {@code body}, or an empty array when there is nothing to answer. */
    public CompletableFuture<byte[]> handle(byte[] body) {
        return handle(body, null);
    }

    /**
     * As {@link #handle(byte[])}, and with a session each non-empty response is also handed to
     * {@link Session#send} on the chain thread, inside the task that made it: a response to {@code eth_subscribe}
     * is then queued before any notification of the new subscription, which the chain thread publishes later.
     */
    CompletableFuture<byte[]> handle(byte[] body, Session session) {
        JsonNode req;
        try {
            req = MAPPER.readTree(body);
        } catch (IOException e) {
            return done(error(F.nullNode(), new RpcError(RpcError.PARSE_ERROR, "parse error: " + firstLine(e))), session);
        }
        if (req == null || req.isMissingNode())
            return done(error(F.nullNode(), new RpcError(RpcError.PARSE_ERROR, "parse error: empty body")), session);
        if (req.isArray()) {
            if (req.isEmpty()) return done(error(F.nullNode(), new RpcError(RpcError.INVALID_REQUEST, "empty batch")), session);
            if (req.size() > maxBatch)
                return done(error(F.nullNode(), new RpcError(RpcError.INVALID_REQUEST, "batch of " + req.size()
                        + " requests exceeds the limit of " + maxBatch)), session);
            for (JsonNode r : req) api.prepare(r);
            // The whole batch runs as one task, so it sees one head and is not interleaved with mining. Its calls
            // share one time cap (eth_call and the like; see Calls.timed): once it has run out, the batch's
            // remaining executions fail at once, so a batch holds the chain thread no longer than one call can.
            return node.submitRequest(() -> {
                ArrayNode out = node.calls().timed(() -> {
                    ArrayNode o = F.arrayNode();
                    for (JsonNode r : req) {
                        ObjectNode resp = call(r, session);
                        if (resp != null) o.add(resp);
                    }
                    return o;
                });
                return sent(out.isEmpty() ? new byte[0] : MAPPER.writeValueAsBytes(out), session);
            }).exceptionally(t -> sent(t instanceof Node.Busy b ? refused(req, b) : internal(t), session));
        }
        api.prepare(req);
        return node.submitRequest(() -> {
            ObjectNode resp = call(req, session);
            return sent(resp == null ? new byte[0] : MAPPER.writeValueAsBytes(resp), session);
        }).exceptionally(t -> sent(t instanceof Node.Busy b ? refused(req, b) : internal(t), session));
    }

    /** A request (or batch) refused as busy: what {@link EthApi#prepare} kept for it goes, and the errors. */
    private byte[] refused(JsonNode req, Node.Busy b) {
        if (req.isArray()) for (JsonNode r : req) api.unprepare(r);
        else api.unprepare(req);
        return busy(req, b);
    }

    /**
     * The answer to a request (or batch) refused because too many wait for the chain thread: -32005 for each
     * call with an id, nothing for notifications, as if each call had failed.
     */
    private static byte[] busy(JsonNode req, Node.Busy b) {
        RpcError e = new RpcError(RpcError.LIMIT_EXCEEDED, b.getMessage());
        try {
            if (!req.isArray()) {
                ObjectNode resp = busy(req, e);
                return resp == null ? new byte[0] : MAPPER.writeValueAsBytes(resp);
            }
            ArrayNode out = F.arrayNode();
            for (JsonNode r : req) {
                ObjectNode resp = busy(r, e);
                if (resp != null) out.add(resp);
            }
            return out.isEmpty() ? new byte[0] : MAPPER.writeValueAsBytes(out);
        } catch (JsonProcessingException x) {
            throw new IllegalStateException(x);
        }
    }

    private static ObjectNode busy(JsonNode r, RpcError e) {
        if (!r.isObject()) return error(F.nullNode(), e);
        JsonNode id = r.get("id");
        if (id == null) return null; // a notification
        return error(id.isNull() || id.isTextual() || id.isIntegralNumber() ? id : F.nullNode(), e);
    }

    private static byte[] sent(byte[] response, Session session) {
        if (session != null && response.length > 0) session.send(response);
        return response;
    }

    /** One call's response, or null for a notification. Runs on the chain thread. */
    private ObjectNode call(JsonNode r, Session session) {
        if (!r.isObject()) return error(F.nullNode(), new RpcError(RpcError.INVALID_REQUEST, "invalid request: not a JSON object"));
        JsonNode id = r.get("id");
        boolean notification = id == null;
        if (id != null && !(id.isNull() || id.isTextual() || id.isIntegralNumber()))
            return error(F.nullNode(), new RpcError(RpcError.INVALID_REQUEST, "invalid request: id must be a string, number or null"));
        JsonNode idOut = id == null ? F.nullNode() : id;
        JsonNode version = r.get("jsonrpc");
        if (version == null || !version.isTextual() || !version.asText().equals("2.0"))
            return error(idOut, new RpcError(RpcError.INVALID_REQUEST, "invalid request: jsonrpc must be \"2.0\""));
        JsonNode method = r.get("method");
        if (method == null || !method.isTextual())
            return error(idOut, new RpcError(RpcError.INVALID_REQUEST, "invalid request: method must be a string"));
        EthApi.Method m = session == null ? null : session.method(method.asText());
        if (m == null) m = api.methods.get(method.asText());
        ObjectNode resp;
        if (m == null) {
            resp = error(idOut, new RpcError(RpcError.METHOD_NOT_FOUND, "the method " + method.asText() + " does not exist/is not available"));
        } else {
            try {
                JsonNode result = m.call(new Params(r.get("params")));
                resp = F.objectNode();
                resp.put("jsonrpc", "2.0");
                resp.set("id", idOut);
                resp.set("result", result);
            } catch (RpcError e) {
                resp = error(idOut, e);
            } catch (Calls.TimedOut e) {
                // The time cap of eth_call and the like: geth's code and message.
                resp = error(idOut, RpcError.server(e.getMessage()));
            } catch (RuntimeException | StackOverflowError e) {
                // A bug of ours, not the client's: say so, and keep serving.
                System.err.println("lanes node: internal error in " + method.asText() + ": " + e);
                resp = error(idOut, new RpcError(RpcError.INTERNAL_ERROR, "internal error: " + e));
            }
        }
        return notification ? null : resp;
    }

    static ObjectNode error(JsonNode id, RpcError e) {
        ObjectNode o = F.objectNode();
        o.put("jsonrpc", "2.0");
        o.set("id", id);
        ObjectNode err = o.putObject("error");
        err.put("code", e.code);
        err.put("message", e.getMessage());
        if (e.data != null) err.put("data", e.data);
        return o;
    }

    private static CompletableFuture<byte[]> done(ObjectNode response, Session session) {
        try {
            return CompletableFuture.completedFuture(sent(MAPPER.writeValueAsBytes(response), session));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] internal(Throwable t) {
        Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        try {
            return MAPPER.writeValueAsBytes(error(F.nullNode(), new RpcError(RpcError.INTERNAL_ERROR, "internal error: " + cause.getMessage())));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
