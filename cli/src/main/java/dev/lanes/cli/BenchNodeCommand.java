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
    int txs = 30_000;
    @Option(names = "--duration", description = "Longest sending window in seconds (default: ${DEFAULT-VALUE}).")
    double duration = 20;
    @Option(names = "--clients", description = "Client threads sending concurrently (default: ${DEFAULT-VALUE}).")
    int clients = 8;
    @Option(names = "--senders", description = "Distinct sending accounts (default: ${DEFAULT-VALUE}).")
    int senders = 400;
    @Option(names = "--batch", description = "Transactions per HTTP request (JSON-RPC batch; default: ${DEFAULT-VALUE}).")
    int batch = 1;
    @Option(names = "--threads", description = "The node's execution threads (default: available processors).")
    int threads = Runtime.getRuntime().availableProcessors();
    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long GWEI = 1_000_000_000L;
    private static final long TRANSFER_GAS = 60_000;

    @Override public Integer call() throws Exception {
        if (txs < 1 || clients < 1 || senders < 1 || batch < 1 || duration <= 0 || threads < 1)
            throw new IllegalArgumentException("--txs, --clients, --senders, --batch, --threads and --duration must be positive");
        senders = Math.min(senders, txs);
        clients = Math.min(clients, senders);
        ConcurrentHashMap<Hash, Long> sentAt = new ConcurrentHashMap<>();
        long[] latencies = new long[txs];
        AtomicLong included = new AtomicLong(), lastInclusion = new AtomicLong(), blocks = new AtomicLong();
        Node.Listener listener = (Chain.Sealed s) -> {
            long now = System.nanoTime();
            blocks.incrementAndGet();
            for (Transaction tx : s.block().transactions()) {
                Long t0 = sentAt.remove(tx.hash());
                if (t0 == null) continue; // setup transactions
                long k = included.getAndIncrement();
                if (k < latencies.length) latencies[(int) k] = now - t0;
                lastInclusion.set(now);
            }
        };
        NodeConfig config = NodeConfig.defaults().withPort(0).withThreads(threads).withMining(false, Duration.ofSeconds(1));
        try (Node node = Node.start(config, listener)) {
            Rpc rpc = new Rpc("http://127.0.0.1:" + node.port());
            long chainId = node.config().chainId();
            DevAccounts.Account funder = node.accounts().get(0);
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

            log("sending with " + clients + " clients for at most " + duration + " s");
            AtomicLong accepted = new AtomicLong(), rejected = new AtomicLong();
            AtomicReference<String> firstError = new AtomicReference<>();
            long start = System.nanoTime();
            long deadline = start + (long) (duration * 1e9);
            Thread[] workers = new Thread[clients];
            for (int c = 0; c < clients; c++) {
                int client = c;
                workers[c] = Thread.ofPlatform().name("bench-client-" + c).start(() -> {
                    Rpc mine = new Rpc(rpc.url);
                    // This client's senders, interleaved so consecutive requests come from different accounts.
                    List<Transaction> order = new ArrayList<>();
                    int most = 0;
                    for (int s = client; s < senders; s += clients) most = Math.max(most, perSender[s].length);
                    for (int k = 0; k < most; k++)
                        for (int s = client; s < senders; s += clients) if (k < perSender[s].length) order.add(perSender[s][k]);
                    for (int i = 0; i < order.size() && System.nanoTime() < deadline; i += batch) {
                        List<Transaction> part = order.subList(i, Math.min(order.size(), i + batch));
                        long t0 = System.nanoTime();
                        for (Transaction tx : part) sentAt.put(tx.hash(), t0);
                        try {
                            for (JsonNode r : mine.sendRaw(part)) {
                                if (r.has("error")) {
                                    rejected.incrementAndGet();
                                    firstError.compareAndSet(null, r.get("error").toString());
                                } else {
                                    accepted.incrementAndGet();
                                }
                            }
                        } catch (Exception e) {
                            rejected.addAndGet(part.size());
                            firstError.compareAndSet(null, e.toString());
                        }
                    }
                });
            }
            for (Thread w : workers) w.join();
            long sendEnd = System.nanoTime();
            long waitUntil = sendEnd + Duration.ofSeconds(60).toNanos();
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
            boolean balancesAddUp = received.equals(BigInteger.valueOf(inc));

            ObjectNode out = JSON.createObjectNode();
            out.put("txs_signed", txs).put("clients", clients).put("senders", senders).put("batch", batch).put("threads", threads)
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
                System.out.printf("node: %d execution threads; clients: %d threads, %d senders, batch %d%n", threads, clients, senders, batch);
                System.out.printf("accepted %,d (rejected %,d) in %.2f s: %,.0f tx/s%n", accepted.get(), rejected.get(), sendSeconds, accepted.get() / sendSeconds);
                System.out.printf("included %,d in %,d blocks within %.2f s of the first send: %,.0f tx/s%n", inc, blocks.get(), inclusionSeconds, inc / inclusionSeconds);
                System.out.printf("receipt latency: p50 %.1f ms, p99 %.1f ms%n", percentile(lat, 0.50) / 1e6, percentile(lat, 0.99) / 1e6);
                System.out.println("recipients' token balances " + (balancesAddUp ? "add up to" : "DO NOT add up to") + " the included transfers ("
                        + received + " vs " + inc + ")");
                if (firstError.get() != null) System.out.println("first error: " + firstError.get());
            }
            return balancesAddUp && rejected.get() == 0 ? 0 : 1;
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
}
