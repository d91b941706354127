package dev.lanes.node;

import java.time.Duration;

/**
 * The limits of WebSocket connections, subscriptions and filters (part of {@link NodeConfig}). Each is checked
 * before the work it bounds is done: the message size by Netty's decoder before a frame is buffered, connections
 * at the upgrade, subscriptions and filters before they are installed.
 *
 * @param maxMessageBytes            largest WebSocket frame and largest message (the frames of one message together)
 * @param maxConnectionsPerAddress   most open WebSocket connections from one client IP address
 * @param maxSubscriptionsPerConnection most live {@code eth_subscribe} subscriptions on one connection
 * @param maxQueuedMessages          most messages (responses and notifications) waiting to be written to one
 *                                   connection; a client that falls further behind is disconnected
 * @param maxFilters                 most installed filters ({@code eth_newFilter} and the like), all clients together
 * @param maxFilterChanges           most entries (hashes or logs) a filter holds between two polls; a filter that
 *                                   would need more is dropped, and its next poll says so
 * @param filterTimeout              a filter not polled for this long is removed (geth: 5 minutes)
 * @param pingInterval               a WebSocket client not heard from for this long is pinged, and disconnected
 *                                   when it stays silent (not even a pong) as long again
 */
public record PubSubConfig(int maxMessageBytes, int maxConnectionsPerAddress, int maxSubscriptionsPerConnection,
                           int maxQueuedMessages, int maxFilters, int maxFilterChanges, Duration filterTimeout,
                           Duration pingInterval) {
    public PubSubConfig {
        if (maxMessageBytes < 1024) throw new IllegalArgumentException("WebSocket message limit below 1 KiB: " + maxMessageBytes);
        if (maxConnectionsPerAddress < 1 || maxSubscriptionsPerConnection < 1 || maxQueuedMessages < 1 || maxFilters < 1
                || maxFilterChanges < 1)
            throw new IllegalArgumentException("pub/sub limits must be at least 1");
        if (filterTimeout == null || filterTimeout.isNegative() || filterTimeout.isZero())
            throw new IllegalArgumentException("filter timeout must be positive");
        if (pingInterval == null || pingInterval.toMillis() < 1) throw new IllegalArgumentException("ping interval must be at least 1 ms");
    }

    /**
     * 5 MiB messages (the HTTP body limit), 64 connections per address, 1,000 subscriptions per connection, 10,000
     * queued messages per connection, 10,000 filters holding up to 10,000 changes each, filters expire after 5
     * minutes, pings after 30 s of silence.
     */
    public static PubSubConfig defaults() {
        return new PubSubConfig(5 * 1024 * 1024, 64, 1000, 10_000, 10_000, 10_000, Duration.ofMinutes(5),
                Duration.ofSeconds(30));
    }
}
