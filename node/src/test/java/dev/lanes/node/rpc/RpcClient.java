package dev.lanes.node.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Raw JSON-RPC over HTTP for the tests: every request has a timeout, so a hung connection fails the test. */
final class RpcClient {
    static final ObjectMapper M = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI uri;
    private int ids;

    RpcClient(int port) {
        this.uri = URI.create("http://127.0.0.1:" + port + "/");
    }

    HttpResponse<String> post(String body) throws IOException, InterruptedException {
        return post(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    HttpResponse<String> post(byte[] body) throws IOException, InterruptedException {
        HttpRequest r = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return http.send(r, HttpResponse.BodyHandlers.ofString());
    }

    JsonNode raw(String body) throws IOException, InterruptedException {
        HttpResponse<String> r = post(body);
        if (r.statusCode() != 200) throw new AssertionError("HTTP " + r.statusCode() + ": " + r.body());
        return M.readTree(r.body());
    }

    /** The whole response object of one call. */
    JsonNode call(String method, Object... params) throws IOException, InterruptedException {
        String body = M.writeValueAsString(java.util.Map.of("jsonrpc", "2.0", "id", ++ids, "method", method,
                "params", java.util.Arrays.asList(params)));
        return raw(body);
    }

    /** The result of a call that must succeed. */
    JsonNode result(String method, Object... params) throws IOException, InterruptedException {
        JsonNode r = call(method, params);
        if (r.has("error")) throw new AssertionError(method + " failed: " + r.get("error"));
        return r.get("result");
    }
}
