package dev.lanes.node.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A JSON-RPC client over the JDK's WebSocket for the tests: responses and notifications are kept apart, and every
 * wait has a timeout, so a hung connection fails the test instead of blocking it.
 */
final class WsClient implements AutoCloseable {
    final WebSocket ws;
    final BlockingQueue<JsonNode> responses = new LinkedBlockingQueue<>();
    final BlockingQueue<JsonNode> notifications = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    final CompletableFuture<ByteBuffer> pong = new CompletableFuture<>();
    private int ids;

    private WsClient(int port) {
        Listener l = new Listener();
        this.ws = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/"), l).orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** Connects, or throws the handshake failure (a CompletionException). */
    static WsClient connect(int port) {
        return new WsClient(port);
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                try {
                    JsonNode n = RpcClient.M.readTree(text.toString());
                    if (n.isObject() && "eth_subscription".equals(n.path("method").asText())) notifications.add(n);
                    else responses.add(n);
                } catch (Exception e) {
                    responses.add(RpcClient.M.getNodeFactory().textNode("unparsable: " + text));
                }
                text.setLength(0);
            }
            w.request(1);
            return null;
        }

        @Override public CompletionStage<?> onPong(WebSocket w, ByteBuffer message) {
            pong.complete(message);
            w.request(1);
            return null;
        }

        @Override public CompletionStage<?> onClose(WebSocket w, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override public void onError(WebSocket w, Throwable error) {
            closed.complete(-1);
        }
    }

    void sendText(String s) {
        ws.sendText(s, true).orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** The whole response object of one call. */
    JsonNode call(String method, Object... params) throws Exception {
        int id = ++ids;
        sendText(RpcClient.M.writeValueAsString(Map.of("jsonrpc", "2.0", "id", id, "method", method, "params", Arrays.asList(params))));
        JsonNode r = nextResponse();
        if (r.path("id").asInt() != id) throw new AssertionError("response out of order: " + r);
        return r;
    }

    JsonNode result(String method, Object... params) throws Exception {
        JsonNode r = call(method, params);
        if (r.has("error")) throw new AssertionError(method + " failed: " + r.get("error"));
        return r.get("result");
    }

    JsonNode nextResponse() throws InterruptedException {
        JsonNode r = responses.poll(10, TimeUnit.SECONDS);
        if (r == null) throw new AssertionError("no response within 10 s");
        return r;
    }

    /** The next notification (its params: subscription and result). */
    JsonNode nextNotification() throws InterruptedException {
        JsonNode n = notifications.poll(10, TimeUnit.SECONDS);
        if (n == null) throw new AssertionError("no notification within 10 s");
        return n.get("params");
    }

    /** The close code the server sent, waiting up to 10 s. */
    int closeCode() throws Exception {
        return closed.get(10, TimeUnit.SECONDS);
    }

    @Override public void close() {
        ws.abort();
    }
}
