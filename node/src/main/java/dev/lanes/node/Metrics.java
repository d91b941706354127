package dev.lanes.node;

import com.sun.net.httpserver.HttpServer;
import dev.lanes.executor.parallel.ParallelExecutor;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * The operator's numbers in Prometheus' text format, on a port of their own ({@code GET /metrics}): the head,
 * blocks, transactions and gas sealed, build time, the pool's size, and the parallel executor's executions,
 * re-executions and blocks it ran sequentially. It is a {@link Node.Listener} (the chain thread reports each
 * sealed block; counters are atomics so the HTTP thread reads them without locks) and serves with the JDK's
 * built-in HTTP server: one scrape every few seconds needs nothing more.
 */
public final class Metrics implements Node.Listener {
    private final AtomicLong head = new AtomicLong(), blocks = new AtomicLong(), txs = new AtomicLong(), gas = new AtomicLong(),
            dropped = new AtomicLong(), executions = new AtomicLong(), reexecutions = new AtomicLong(),
            validationFailures = new AtomicLong(), sequentialBlocks = new AtomicLong();
    private final DoubleAdder buildSeconds = new DoubleAdder();
    private final Node.Listener next;
    private volatile Node node;
    private HttpServer server;

    /** Counts each block, then passes it on to {@code next} (the progress printer; may be null). */
    public Metrics(Node.Listener next) {
        this.next = next;
    }

    @Override public void onBlock(Chain.Sealed s) {
        head.set(s.block().number());
        blocks.incrementAndGet();
        txs.addAndGet(s.block().transactions().size());
        gas.addAndGet(s.block().header().gasUsed());
        dropped.addAndGet(s.rejected().size());
        buildSeconds.add(s.nanos() / 1e9);
        ParallelExecutor.Stats p = s.parallel();
        if (p != null) {
            executions.addAndGet(p.executions());
            reexecutions.addAndGet(p.reexecutions());
            validationFailures.addAndGet(p.validationFailures());
            if (p.sequentialReason() != null) sequentialBlocks.incrementAndGet();
        }
        if (next != null) next.onBlock(s);
    }

    /** Serves {@code /metrics} on {@code host:port} (port 0: any free port, see {@link #port()}). */
    public void serve(Node node, String host, int port) throws IOException {
        this.node = node;
        server = HttpServer.create(new InetSocketAddress(host, port), 16);
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "lanes-metrics");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/metrics", ex -> {
            byte[] body;
            int status = 200;
            if (!"GET".equals(ex.getRequestMethod())) {
                status = 405;
                body = "GET only\n".getBytes(StandardCharsets.US_ASCII);
            } else {
                body = text().getBytes(StandardCharsets.UTF_8);
            }
            ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            ex.sendResponseHeaders(status, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public void stop() {
        if (server != null) server.stop(0);
    }

    /** The exposition text: one HELP/TYPE pair and one sample per metric. */
    String text() {
        StringBuilder b = new StringBuilder(2048);
        gauge(b, "lanes_head_block_number", "Number of the head block.", head.get());
        counter(b, "lanes_blocks_sealed_total", "Blocks sealed since start.", blocks.get());
        counter(b, "lanes_transactions_included_total", "Transactions included in sealed blocks.", txs.get());
        counter(b, "lanes_gas_used_total", "Gas used by sealed blocks.", gas.get());
        counter(b, "lanes_transactions_dropped_total", "Pool transactions refused while building a block.", dropped.get());
        counter(b, "lanes_block_build_seconds_total", "Time spent building blocks (selection, execution, roots, commit).",
                buildSeconds.sum());
        counter(b, "lanes_parallel_executions_total", "Transaction executions by the parallel executor (incarnations).", executions.get());
        counter(b, "lanes_parallel_reexecutions_total", "Re-executions after a conflict.", reexecutions.get());
        counter(b, "lanes_parallel_validation_failures_total", "Validations that found a changed read.", validationFailures.get());
        counter(b, "lanes_parallel_sequential_blocks_total", "Blocks the parallel executor left to the sequential path.",
                sequentialBlocks.get());
        Node n = node;
        if (n != null) {
            gauge(b, "lanes_rpc_queued_requests", "RPC requests waiting for the chain thread.", n.queuedRequests());
            counter(b, "lanes_rpc_refused_requests_total", "RPC requests refused because too many were waiting (-32005).",
                    n.refusedRequests());
            counter(b, "lanes_rpc_evm_timeouts_total", "RPC calls or batches stopped by the EVM time cap.", n.timedOutCalls());
            try {
                int size = n.submit(() -> n.pool().size()).get(2, TimeUnit.SECONDS);
                gauge(b, "lanes_txpool_transactions", "Transactions waiting in the pool.", size);
            } catch (Exception e) {
                // The chain thread is busy or stopping: leave the sample out rather than stall the scrape.
            }
        }
        return b.toString();
    }

    private static void counter(StringBuilder b, String name, String help, double v) {
        sample(b, name, help, "counter", v);
    }

    private static void gauge(StringBuilder b, String name, String help, double v) {
        sample(b, name, help, "gauge", v);
    }

    private static void sample(StringBuilder b, String name, String help, String type, double v) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        b.append(name).append(' ');
        if (v == Math.rint(v) && Math.abs(v) < 1e15) b.append((long) v);
        else b.append(v);
        b.append('\n');
    }
}
