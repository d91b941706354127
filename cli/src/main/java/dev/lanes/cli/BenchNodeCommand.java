package dev.lanes.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lanes.evm.tx.Transaction;
import dev.lanes.evm.tx.TxType;
import dev.lanes.executor.workload.Erc20;
import dev.lanes.node.Chain;
import dev.lanes.node.DevAccounts;
import dev.lanes.node.Node;
import dev.lanes.node.NodeConfig;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Hex;
import dev.lanes.primitives.Keccak;
import dev.lanes.primitives.UInt256;
import dev.lanes.primitives.crypto.Secp256k1;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lanes bench node}: the node under load from loopback JSON-RPC clients. Starts a node in this process
 * (interval mining: a block as soon as transactions wait), deploys the workloads' OpenZeppelin ERC-20, funds
 * {@code --senders} fresh accounts with ether and tokens, signs {@code --txs} token transfers in advance (signing
 * is the client's cost, not the node's, and would otherwise throttle the clients on the same cores), then lets
 * {@code --clients} threads send them with {@code eth_sendRawTransaction} over HTTP, each sender's nonces in
 * order, for at most {@code --duration} seconds. Reports accepted transactions per second (successful sends over
 * the sending window), included per second (transactions in blocks over the time from the first send to the
 * last inclusion), and receipt latency (from the start of the send to the sealing of its block, when its receipt
 * becomes readable) at p50 and p99. Checks at the end that the recipients' token balances add up to the included
 * transfers.
 */
@Command(name = "node", mixinStandardHelpOptions = true,
        description = "The node under load: signed ERC-20 transfers from loopback JSON-RPC clients.")
final class BenchNodeCommand implements Callable<Integer> {
    @Option(names = "--txs", description = "Transfers to sign and send (default: ${DEFAULT-VALUE}).")
    int txs = 100_000;
    @Option(names = "--duration", description = "Longest sending window in seconds (default: ${DEFAULT-VALUE}).")
    double duration = 20;
    @Option(names = "--warmup", paramLabel = "SECONDS", description = "Send the same load for this long before the "
            + "measured window opens, not counted (JIT warm-up of the node: in the first seconds of a fresh JVM its "
            + "compiler threads take a fifth of the CPU); it draws on the --txs transfers (default: ${DEFAULT-VALUE}).")
    double warmup = 10;
    @Option(names = "--clients", description = "Client threads sending concurrently (default: ${DEFAULT-VALUE}).")
    int clients = 8;
    @Option(names = "--senders", description = "Distinct sending accounts (default: ${DEFAULT-VALUE}).")
    int senders = 400;
    @Option(names = "--batch", description = "Transactions per HTTP request (JSON-RPC batch; default: ${DEFAULT-VALUE}).")
    int batch = 1;
    @Option(names = "--threads", description = "The node's execution threads (default: available processors).")
    int threads = Runtime.getRuntime().availableProcessors();
    @Option(names = "--store", paramLabel = "KIND",
            description = "Keep the node's chain on disk with this store (rocksdb or lanesdb), in --data-dir or a temporary "
                    + "directory deleted afterwards; by default the chain stays in memory.")
    String store;
    @Option(names = "--data-dir", paramLabel = "DIR", description = "With --store: the data directory (must be new or empty).")
    String dataDir;
    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;
    @Option(names = "--url", description = "Drive a node that is already running there (e.g. a Hardhat or Anvil node, "
            + "whose first test-mnemonic account funds the run) instead of starting one; blocks are then observed by polling.")
    String url;

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The send time recorded for a transfer sent during the warm-up. */
    private static final long WARMUP = Long.MIN_VALUE;
    /** Warm-up transfers included in blocks (they count in the final balance check only). */
    private final AtomicLong warmIncluded = new AtomicLong();
    private static final long GWEI = 1_000_000_000L;
    private static final long TRANSFER_GAS = 60_000;

    @Override public Integer call() throws Exception {
        if (txs < 1 || clients < 1 || senders < 1 || batch < 1 || duration <= 0 || threads < 1)
            throw new IllegalArgumentException("--txs, --clients, --senders, --batch, --threads and --duration must be positive");
        if (!(warmup >= 0)) throw new IllegalArgumentException("--warmup must be zero or positive");
        senders = Math.min(senders, txs);
        clients = Math.min(clients, senders);
        ConcurrentHashMap<Hash, Long> sentAt = new ConcurrentHashMap<>();
        long[] latencies = new long[txs];
        AtomicLong included = new AtomicLong(), lastInclusion = new AtomicLong(), blocks = new AtomicLong();
        java.util.function.Consumer<List<Hash>> sealed = hashes -> {
            long now = System.nanoTime();
            blocks.incrementAndGet();
            for (Hash h : hashes) {
                Long t0 = sentAt.remove(h);
                if (t0 == null) continue; // setup transactions
                if (t0 == WARMUP) { // sent before the measured window
                    warmIncluded.incrementAndGet();
                    continue;
                }
                long k = included.getAndIncrement();
                if (k < latencies.length) latencies[(int) k] = now - t0;
                lastInclusion.set(now);
            }
        };
        Node.Listener listener = (Chain.Sealed s) -> sealed.accept(s.block().transactions().stream().map(Transaction::hash).toList());
        NodeConfig config = NodeConfig.defaults().withPort(0).withThreads(threads).withMining(false, Duration.ofSeconds(1));
        java.nio.file.Path tempDir = null;
        if (store != null) {
            java.nio.file.Path d = dataDir != null ? java.nio.file.Path.of(dataDir)
                    : (tempDir = java.nio.file.Files.createTempDirectory("lanes-bench-node-"));
            config = config.withStore(dev.lanes.node.store.StoreKind.parse(store)).withDataDir(d);
        }
        try {
            return run(config, listener, sealed, sentAt, latencies, included, lastInclusion, blocks);
        } finally {
            if (tempDir != null) deleteTree(tempDir);
        }
    }

    private static void deleteTree(java.nio.file.Path dir) throws java.io.IOException {
        try (var paths = java.nio.file.Files.walk(dir)) {
            for (java.nio.file.Path p : (Iterable<java.nio.file.Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator)
                java.nio.file.Files.deleteIfExists(p);
        }
    }

    private Integer run(NodeConfig config, Node.Listener listener, java.util.function.Consumer<List<Hash>> sealed,
                        ConcurrentHashMap<Hash, Long> sentAt, long[] latencies,
                        AtomicLong included, AtomicLong lastInclusion, AtomicLong blocks) throws Exception {
        try (Node node = url == null ? Node.start(config, listener) : null;
             BlockWatcher watcher = url == null ? null : new BlockWatcher(url, sealed)) {
            String target = url != null ? url : "http://127.0.0.1:" + node.port();
            URI uri = URI.create(target);
            Rpc rpc = new Rpc(target);
            long chainId = url == null ? node.config().chainId() : Long.decode(rpc.call("eth_chainId").asText());
            DevAccounts.Account funder = url == null ? node.accounts().get(0) : DevAccounts.derive(DevAccounts.TEST_MNEMONIC, 1).get(0);
            if (watcher != null) watcher.start();
            log("setup: deploying the ERC-20 and funding " + senders + " senders");
            long nonce = Long.decode(rpc.call("eth_getTransactionCount", funder.address().toString(), "pending").asText());
            UInt256 fee = UInt256.of(100 * GWEI);
            Transaction deploy = sign(chainId, funder.privateKey(), nonce++, null, Erc20.creationCode("Bench", "BNCH",
                    UInt256.fromBigInteger(BigInteger.TEN.pow(30))), 3_000_000, fee);
            rpc.send(List.of(deploy));
            Address token = Address.fromHex(rpc.receipt(deploy.hash(), Duration.ofSeconds(30)).get("contractAddress").asText());
            byte[][] keys = new byte[senders][];
            Address[] from = new Address[senders];
            List<Transaction> funding = new ArrayList<>();
            for (int i = 0; i < senders; i++) {
                keys[i] = Keccak.hash(("lanes bench node sender " + i).getBytes(StandardCharsets.US_ASCII));
                from[i] = Secp256k1.addressFromPrivate(keys[i]);
                funding.add(sign(chainId, funder.privateKey(), nonce++, from[i], new byte[0], 21_000, fee,
                        UInt256.fromBigInteger(BigInteger.TEN.pow(19))));
                funding.add(sign(chainId, funder.privateKey(), nonce++, token,
                        Erc20.transfer(from[i], UInt256.of(1_000_000_000L)), TRANSFER_GAS, fee));
            }
            for (int i = 0; i < funding.size(); i += 200) rpc.send(funding.subList(i, Math.min(funding.size(), i + 200)));
            JsonNode last = rpc.receipt(funding.getLast().hash(), Duration.ofSeconds(120));
            if (!"0x1".equals(last.get("status").asText())) throw new IllegalStateException("funding failed: " + last);

            // Recipients: a fixed set of fresh addresses, so the final balance check is exact.
            Address[] to = new Address[64];
            for (int i = 0; i < to.length; i++) to[i] = Address.wrap(Arrays.copyOf(Keccak.hash(("lanes bench node recipient " + i).getBytes(StandardCharsets.US_ASCII)), 20));
            log("signing " + txs + " transfers");
            Transaction[][] perSender = new Transaction[senders][];
            IntStream.range(0, senders).parallel().forEach(s -> {
                int n = txs / senders + (s < txs % senders ? 1 : 0);
                perSender[s] = new Transaction[n];
                for (int k = 0; k < n; k++) {
                    perSender[s][k] = sign(chainId, keys[s], k, token, Erc20.transfer(to[(s + k) % to.length], UInt256.ONE),
                            TRANSFER_GAS, UInt256.of(10 * GWEI));
                    perSender[s][k].hash();
                }
            });

            log("sending with " + clients + " clients: " + (warmup > 0 ? warmup + " s of warm-up, then " : "") + "at most "
                    + duration + " s measured");
            AtomicLong accepted = new AtomicLong(), rejected = new AtomicLong(), warmRejected = new AtomicLong();
            AtomicReference<String> firstError = new AtomicReference<>();
            // The sending starts once every client has its requests ready; the measured window is [window[0], window[1]],
            // after the warm-up.
            long[] window = new long[2];
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            Thread[] workers = new Thread[clients];
            for (int c = 0; c < clients; c++) {
                int client = c;
                // This client's senders, interleaved so consecutive requests come from different accounts; every
                // request is serialized before the window opens, so that the client spends its time on the wire.
                List<Transaction> order = new ArrayList<>();
                int most = 0;
                for (int s = client; s < senders; s += clients) most = Math.max(most, perSender[s].length);
                for (int k = 0; k < most; k++)
                    for (int s = client; s < senders; s += clients) if (k < perSender[s].length) order.add(perSender[s][k]);
                List<List<Transaction>> parts = new ArrayList<>();
                List<byte[]> requests = new ArrayList<>();
                for (int i = 0; i < order.size(); i += batch) {
                    List<Transaction> part = order.subList(i, Math.min(order.size(), i + batch));
                    parts.add(part);
                    requests.add(RawHttp.request(Rpc.sendRawBody(part, i)));
                }
                workers[c] = Thread.ofPlatform().name("bench-client-" + c).start(() -> {
                    try (RawHttp conn = new RawHttp(uri.getHost(), uri.getPort() < 0 ? 80 : uri.getPort())) {
                        go.await();
                        long deadline = window[1], opens = window[0];
                        for (int i = 0; i < parts.size() && System.nanoTime() < deadline; i++) {
                            List<Transaction> part = parts.get(i);
                            long t0 = System.nanoTime();
                            boolean warm = t0 < opens;
                            for (Transaction tx : part) sentAt.put(tx.hash(), warm ? WARMUP : t0);
                            try {
                                String body = new String(conn.post(requests.get(i)), StandardCharsets.UTF_8);
                                // Each response object holds either "result" or "error": count the errors.
                                int errors = 0;
                                for (int at = body.indexOf("\"error\""); at >= 0; at = body.indexOf("\"error\"", at + 1)) errors++;
                                if (errors > 0) {
                                    (warm ? warmRejected : rejected).addAndGet(errors);
                                    firstError.compareAndSet(null, body.length() > 300 ? body.substring(0, 300) : body);
                                }
                                if (!warm) accepted.addAndGet(part.size() - errors);
                            } catch (Exception e) {
                                (warm ? warmRejected : rejected).addAndGet(part.size());
                                firstError.compareAndSet(null, e.toString());
                            }
                        }
                    } catch (Exception e) {
                        firstError.compareAndSet(null, e.toString());
                    }
                });
            }
            long start = System.nanoTime() + (long) (warmup * 1e9);
            window[0] = start;
            window[1] = start + (long) (duration * 1e9);
            go.countDown(); // orders the window's writes before the clients' reads
            for (Thread w : workers) w.join();
            long sendEnd = System.nanoTime();
            long waitUntil = sendEnd + Duration.ofSeconds(60).toNanos();
            if (sendEnd <= start || accepted.get() == 0)
                throw new IllegalStateException("every transfer was sent during the " + warmup + " s warm-up: raise --txs or lower --warmup");
            while (included.get() < accepted.get() && System.nanoTime() < waitUntil) Thread.sleep(5);
            long inc = Math.min(included.get(), latencies.length);
            long[] lat = Arrays.copyOf(latencies, (int) inc);
            Arrays.sort(lat);
            double sendSeconds = (sendEnd - start) / 1e9;
            double inclusionSeconds = (lastInclusion.get() - start) / 1e9;
            BigInteger received = BigInteger.ZERO;
            for (Address a : to) {
                received = received.add(new BigInteger(1, Hex.decode(rpc.call("eth_call", callObject(token, Erc20.balanceOf(a)), "latest").asText())));
            }
            long warmInc = warmIncluded.get();
            boolean balancesAddUp = received.equals(BigInteger.valueOf(inc + warmInc));

            ObjectNode out = JSON.createObjectNode();
            if (url != null) out.put("url", url);
            out.put("txs_signed", txs).put("warmup_seconds", warmup).put("warmup_included", warmInc).put("clients", clients).put("senders", senders).put("batch", batch).put("threads", threads)
                    .put("accepted", accepted.get()).put("rejected", rejected.get()).put("included", inc)
                    .put("blocks", blocks.get()).put("send_seconds", sendSeconds).put("inclusion_seconds", inclusionSeconds)
                    .put("accepted_tx_per_s", accepted.get() / sendSeconds)
                    .put("included_tx_per_s", inc / inclusionSeconds)
                    .put("latency_p50_ms", percentile(lat, 0.50) / 1e6).put("latency_p99_ms", percentile(lat, 0.99) / 1e6)
                    .put("balances_add_up", balancesAddUp);
            if (firstError.get() != null) out.put("first_error", firstError.get());
            if (json) {
                System.out.println(out);
            } else {
                System.out.printf("node: %s; clients: %d threads, %d senders, batch %d%n",
                        url == null ? threads + " execution threads" : url, clients, senders, batch);
                System.out.printf("accepted %,d (rejected %,d) in %.2f s: %,.0f tx/s%n", accepted.get(), rejected.get(), sendSeconds, accepted.get() / sendSeconds);
                System.out.printf("included %,d in %,d blocks within %.2f s of the first send: %,.0f tx/s%n", inc, blocks.get(), inclusionSeconds, inc / inclusionSeconds);
                System.out.printf("receipt latency: p50 %.1f ms, p99 %.1f ms%n", percentile(lat, 0.50) / 1e6, percentile(lat, 0.99) / 1e6);
                System.out.println("recipients' token balances " + (balancesAddUp ? "add up to" : "DO NOT add up to") + " the included transfers ("
                        + received + " vs " + inc + " measured + " + warmInc + " sent during the warm-up)");
                if (firstError.get() != null) System.out.println("first error: " + firstError.get());
            }
            return balancesAddUp && rejected.get() == 0 && warmRejected.get() == 0 ? 0 : 1;
        }
    }

    private static void log(String s) {
        System.err.println("bench node: " + s);
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) return Double.NaN;
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * (sorted.length - 1)))];
    }

    private static ObjectNode callObject(Address to, byte[] data) {
        ObjectNode o = JSON.createObjectNode();
        o.put("to", to.toString());
        o.put("data", Hex.prefixed(data));
        return o;
    }

    private static Transaction sign(long chainId, byte[] key, long nonce, Address to, byte[] data, long gas, UInt256 maxFee) {
        return sign(chainId, key, nonce, to, data, gas, maxFee, UInt256.ZERO);
    }

    private static Transaction sign(long chainId, byte[] key, long nonce, Address to, byte[] data, long gas, UInt256 maxFee,
                                    UInt256 value) {
        return Transaction.builder(TxType.DYNAMIC_FEE).chainId(chainId).nonce(nonce).maxPriorityFeePerGas(UInt256.of(GWEI))
                .maxFeePerGas(maxFee).gasLimit(gas).to(to).value(value).data(data).sign(key);
    }

    /** A minimal JSON-RPC client over one keep-alive HTTP/1.1 connection per instance. */
    private static final class Rpc {
        final String url;
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        private long id;

        Rpc(String url) {
            this.url = url;
        }

        JsonNode post(JsonNode body) throws Exception {
            HttpRequest req = HttpRequest.newBuilder(URI.create(url)).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build();
            HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) throw new IllegalStateException("HTTP " + r.statusCode());
            return JSON.readTree(r.body());
        }

        JsonNode call(String method, Object... params) throws Exception {
            ObjectNode req = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", ++id).put("method", method);
            req.set("params", JSON.valueToTree(params));
            JsonNode r = post(req);
            if (r.has("error")) throw new IllegalStateException(method + ": " + r.get("error"));
            return r.get("result");
        }

        /** The JSON body of {@link #sendRaw} for {@code part}, with ids from {@code firstId}. */
        static byte[] sendRawBody(List<Transaction> part, long firstId) throws Exception {
            ArrayNode reqs = JSON.createArrayNode();
            for (Transaction tx : part) {
                ObjectNode req = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", firstId++).put("method", "eth_sendRawTransaction");
                req.putArray("params").add(Hex.prefixed(tx.encoded()));
                reqs.add(req);
            }
            return JSON.writeValueAsBytes(part.size() == 1 ? reqs.get(0) : reqs);
        }

        /** One request per transaction in a batch (or a plain request for one); the responses in order. */
        List<JsonNode> sendRaw(List<Transaction> part) throws Exception {
            ArrayNode reqs = JSON.createArrayNode();
            for (Transaction tx : part) {
                ObjectNode req = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", ++id).put("method", "eth_sendRawTransaction");
                req.putArray("params").add(Hex.prefixed(tx.encoded()));
                reqs.add(req);
            }
            if (part.size() == 1) return List.of(post(reqs.get(0)));
            JsonNode r = post(reqs);
            List<JsonNode> out = new ArrayList<>();
            r.forEach(out::add);
            return out;
        }

        void send(List<Transaction> txs) throws Exception {
            for (JsonNode r : sendRaw(txs)) if (r.has("error")) throw new IllegalStateException("setup transaction refused: " + r.get("error"));
        }

        JsonNode receipt(Hash tx, Duration limit) throws Exception {
            long end = System.nanoTime() + limit.toNanos();
            while (System.nanoTime() < end) {
                JsonNode r = call("eth_getTransactionReceipt", tx.toString());
                if (r != null && !r.isNull()) return r;
                Thread.sleep(20);
            }
            throw new IllegalStateException("no receipt for " + tx + " within " + limit);
        }
    }

    /**
     * The load generator's connection: HTTP/1.1 keep-alive over a plain socket, requests serialized in advance,
     * responses read by their Content-Length. A general-purpose client (java.net.http) spends about as much CPU
     * per request as the node does; on a two-core machine that would measure the client more than the node.
     */
    static final class RawHttp implements AutoCloseable {
        private final java.net.Socket socket;
        private final java.io.InputStream in;
        private final java.io.OutputStream out;
        private byte[] head = new byte[1024];

        RawHttp(String host, int port) throws java.io.IOException {
            socket = new java.net.Socket(host, port);
            socket.setTcpNoDelay(true);
            in = new java.io.BufferedInputStream(socket.getInputStream(), 1 << 16);
            out = socket.getOutputStream();
        }

        /** A complete POST request for {@code body}. */
        static byte[] request(byte[] body) {
            byte[] h = ("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] r = Arrays.copyOf(h, h.length + body.length);
            System.arraycopy(body, 0, r, h.length, body.length);
            return r;
        }

        /** Sends {@code request} and returns the response body; throws on a status other than 200. */
        byte[] post(byte[] request) throws java.io.IOException {
            out.write(request);
            out.flush();
            int n = 0;
            while (n < 4 || head[n - 4] != '\r' || head[n - 3] != '\n' || head[n - 2] != '\r' || head[n - 1] != '\n') {
                int b = in.read();
                if (b < 0) throw new java.io.EOFException("connection closed by the node");
                if (n == head.length) head = Arrays.copyOf(head, n * 2);
                head[n++] = (byte) b;
            }
            String headers = new String(head, 0, n, StandardCharsets.US_ASCII);
            if (!headers.startsWith("HTTP/1.1 200")) throw new java.io.IOException("HTTP " + headers.lines().findFirst().orElse(""));
            int length = -1;
            for (String line : headers.split("\r\n")) {
                if (line.regionMatches(true, 0, "content-length:", 0, 15)) length = Integer.parseInt(line.substring(15).trim());
            }
            if (length < 0) throw new java.io.IOException("response without Content-Length");
            return in.readNBytes(length);
        }

        @Override public void close() throws java.io.IOException {
            socket.close();
        }
    }

    /**
     * Follows another node's chain by polling (every 2 ms): each new block's transaction hashes go to
     * {@code sealed}, timed when first seen (so latencies include up to one poll interval).
     */
    static final class BlockWatcher implements AutoCloseable {
        private final Rpc rpc;
        private final java.util.function.Consumer<List<Hash>> sealed;
        private final Thread thread;
        private volatile boolean stop;
        private long next = -1;

        BlockWatcher(String url, java.util.function.Consumer<List<Hash>> sealed) {
            this.rpc = new Rpc(url);
            this.sealed = sealed;
            this.thread = Thread.ofPlatform().daemon().name("bench-watcher").unstarted(this::run);
        }

        void start() throws Exception {
            next = Long.decode(rpc.call("eth_blockNumber").asText()) + 1;
            thread.start();
        }

        private void run() {
            while (!stop) {
                try {
                    long head = Long.decode(rpc.call("eth_blockNumber").asText());
                    while (next <= head) {
                        // New blocks in batches of up to 100 (an automining node makes a block per transaction).
                        ArrayNode reqs = JSON.createArrayNode();
                        for (long n = next; n <= head && n < next + 100; n++) {
                            ObjectNode req = reqs.addObject().put("jsonrpc", "2.0").put("id", n).put("method", "eth_getBlockByNumber");
                            req.putArray("params").add("0x" + Long.toHexString(n)).add(false);
                        }
                        JsonNode rs = rpc.post(reqs);
                        java.util.TreeMap<Long, JsonNode> byNumber = new java.util.TreeMap<>();
                        for (JsonNode r : rs) {
                            if (!r.has("result") || r.get("result").isNull()) throw new IllegalStateException("block " + r.get("id") + ": " + r);
                            byNumber.put(r.get("id").asLong(), r.get("result"));
                        }
                        for (JsonNode b : byNumber.values()) {
                            List<Hash> hashes = new ArrayList<>();
                            for (JsonNode h : b.get("transactions")) hashes.add(Hash.fromHex(h.asText()));
                            sealed.accept(hashes);
                            next++;
                        }
                    }
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    System.err.println("bench node: watching blocks failed: " + e);
                    return;
                }
            }
        }

        @Override public void close() throws InterruptedException {
            stop = true;
            thread.join(5_000);
        }
    }
}
