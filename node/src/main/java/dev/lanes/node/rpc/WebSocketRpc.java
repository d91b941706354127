package dev.lanes.node.rpc;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * JSON-RPC over WebSocket on the HTTP port. A GET with {@code Upgrade: websocket} (any path) turns the connection
 * into a WebSocket: Netty's handshaker answers 101 and swaps the HTTP codec for its frame decoder and encoder,
 * which check masking, control frames, UTF-8 in text frames and the frame size (closing with 1002, 1007 or 1009);
 * {@link WebSocketFrameAggregator} joins fragmented messages up to the same size. This handler then takes text
 * messages as JSON-RPC (single calls or batches, answered in the order they arrive because they all run on the
 * chain thread), answers pings, and closes on binary messages (1003), oversized ones (1009) and close frames.
 *
 * <p>A WebSocket lives long and may be silent, so the HTTP read timeout is replaced: when nothing has been read
 * for {@link dev.lanes.node.PubSubConfig#pingInterval()} the server pings, and when nothing (not even the pong)
 * comes for as long again it closes the connection. Only reads count: a subscriber that never sends anything
 * still answers pings, while one that is gone does not, however many notifications are written to it.
 */
final class WebSocketRpc extends SimpleChannelInboundHandler<WebSocketFrame> {
    private final JsonRpc rpc;
    private final WebSocketServerHandshaker handshaker;
    private final Subscriptions.Session session;

    private WebSocketRpc(JsonRpc rpc, WebSocketServerHandshaker handshaker, Subscriptions.Session session) {
        this.rpc = rpc;
        this.handshaker = handshaker;
        this.session = session;
    }

    static boolean isUpgrade(FullHttpRequest req) {
        return req.method().equals(HttpMethod.GET)
                && req.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    }

    /**
     * Upgrades the connection of {@code ctx} (whose handler is the HTTP one, replaced here), or answers with an
     * HTTP error and closes: 429 when the client's address has too many WebSocket connections, 400 for a bad
     * handshake, 426 for an unsupported WebSocket version.
     */
    static void upgrade(ChannelHandlerContext ctx, FullHttpRequest req, JsonRpc rpc, Subscriptions subs) {
        InetAddress address = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        int limit = subs.limits().maxConnectionsPerAddress();
        if (!subs.admit(address)) {
            refuse(ctx, HttpResponseStatus.TOO_MANY_REQUESTS, "too many WebSocket connections from this address (limit " + limit + ")\n");
            return;
        }
        ctx.channel().closeFuture().addListener(f -> subs.release(address));
        int max = subs.limits().maxMessageBytes();
        WebSocketDecoderConfig decoder = WebSocketDecoderConfig.newBuilder().maxFramePayloadLength(max)
                .allowExtensions(false).expectMaskedFrames(true).closeOnProtocolViolation(true).withUTF8Validator(true).build();
        String host = req.headers().get(HttpHeaderNames.HOST, "localhost");
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory("ws://" + host + req.uri(), null, decoder)
                .newHandshaker(req);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel()).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        Subscriptions.Session session = subs.open(ctx.channel());
        ctx.channel().closeFuture().addListener(f -> subs.close(session));
        ChannelPipeline p = ctx.pipeline();
        // Installed before the handshake so that no frame can reach the HTTP handler; Netty's handshake removes
        // the HTTP aggregator and, once the 101 is written, the HTTP codec.
        long ping = subs.limits().pingInterval().toMillis();
        p.replace(ReadTimeoutHandler.class, "ws-idle", new IdleStateHandler(ping, 0, 0, TimeUnit.MILLISECONDS));
        p.replace(ctx.handler(), "ws-rpc", new WebSocketRpc(rpc, handshaker, session));
        p.addBefore("ws-rpc", "ws-aggregator", new WebSocketFrameAggregator(max));
        // Netty's frame decoder leaves UTF-8 checking to this validator (its protocol handler would add it).
        p.addBefore("ws-aggregator", "ws-utf8", new Utf8FrameValidator(true));
        try {
            handshaker.handshake(ctx.channel(), req).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        } catch (WebSocketHandshakeException e) {
            refuse(ctx, HttpResponseStatus.BAD_REQUEST, "bad WebSocket handshake: " + e.getMessage() + "\n");
        }
    }

    private static void refuse(ChannelHandlerContext ctx, HttpResponseStatus status, String why) {
        byte[] body = why.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.channel().writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }

    @Override protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        switch (frame) {
            case TextWebSocketFrame t -> rpc.handle(ByteBufUtil.getBytes(t.content()), session);
            case PingWebSocketFrame ping -> ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
            case PongWebSocketFrame ignored -> { }
            case CloseWebSocketFrame close -> handshaker.close(ctx.channel(), close.retain());
            case BinaryWebSocketFrame ignored -> close(ctx, WebSocketCloseStatus.INVALID_MESSAGE_TYPE,
                    "binary messages are not supported; send JSON-RPC as text");
            default -> close(ctx, WebSocketCloseStatus.PROTOCOL_ERROR, "unexpected frame");
        }
    }

    private static void close(ChannelHandlerContext ctx, WebSocketCloseStatus status, String reason) {
        ctx.channel().writeAndFlush(new CloseWebSocketFrame(status, reason)).addListener(ChannelFutureListener.CLOSE);
    }

    @Override public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent e) {
            // The first event of a silent period pings; the next one, a period later with still nothing read, closes.
            if (e.state() == IdleState.READER_IDLE) {
                if (e.isFirst()) ctx.writeAndFlush(new PingWebSocketFrame());
                else ctx.close();
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A message over the limit assembled from fragments; a single oversized frame is refused by the decoder,
        // which has already sent its close frame, as it has for every other broken frame.
        if (cause instanceof TooLongFrameException && ctx.channel().isActive())
            close(ctx, WebSocketCloseStatus.MESSAGE_TOO_BIG, "message larger than " + handshaker.maxFramePayloadLength() + " bytes");
        else ctx.close();
    }
}
