package dev.lanes.node.rpc;

import dev.lanes.node.Node;
import dev.lanes.node.NodeConfig;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * JSON-RPC over HTTP and WebSocket on one port with Netty. The pipeline is the HTTP codec, an aggregator that
 * refuses bodies over the configured limit before reading them (413, as geth), and {@link Handler}, which answers
 * CORS preflights, hands POST bodies to {@link JsonRpc}, and hands a GET with {@code Upgrade: websocket} to
 * {@link WebSocketRpc}, which turns that connection's pipeline into a WebSocket one. HTTP connections idle for
 * {@value #IDLE_SECONDS} s are closed, so a client that stops mid-request holds nothing.
 */
public final class RpcServer implements AutoCloseable {
    static final int IDLE_SECONDS = 60;
    private final EventLoopGroup group;
    private final Channel channel;

    private RpcServer(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    public static RpcServer start(Node node, NodeConfig config) throws InterruptedException {
        JsonRpc rpc = new JsonRpc(node);
        Subscriptions subs = new Subscriptions(node);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(Math.min(4, Runtime.getRuntime().availableProcessors()),
                NioIoHandler.newFactory());
        try {
            ServerBootstrap b = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new ReadTimeoutHandler(IDLE_SECONDS))
                                    .addLast(new HttpServerCodec())
                                    .addLast(new HttpObjectAggregator(config.maxBodyBytes()))
                                    .addLast(new Handler(rpc, subs));
                        }
                    });
            Channel ch = b.bind(config.host(), config.port()).sync().channel();
            return new RpcServer(group, ch);
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully();
            throw e;
        }
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final JsonRpc rpc;
        private final Subscriptions subs;

        Handler(JsonRpc rpc, Subscriptions subs) {
            this.rpc = rpc;
            this.subs = subs;
        }

        @Override protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            if (!req.decoderResult().isSuccess()) {
                respond(ctx, HttpResponseStatus.BAD_REQUEST, "bad HTTP request\n".getBytes(StandardCharsets.UTF_8), "text/plain", false);
                return;
            }
            if (WebSocketRpc.isUpgrade(req)) {
                WebSocketRpc.upgrade(ctx, req, rpc, subs);
                return;
            }
            if (req.method().equals(HttpMethod.OPTIONS)) {
                respond(ctx, HttpResponseStatus.OK, new byte[0], "text/plain", keepAlive);
                return;
            }
            if (!req.method().equals(HttpMethod.POST)) {
                respond(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "JSON-RPC expects POST\n".getBytes(StandardCharsets.UTF_8),
                        "text/plain", keepAlive);
                return;
            }
            byte[] body = ByteBufUtil.getBytes(req.content());
            rpc.handle(body).whenComplete((out, err) -> {
                if (err != null) {
                    respond(ctx, HttpResponseStatus.INTERNAL_SERVER_ERROR, ("internal error: " + err + "\n").getBytes(StandardCharsets.UTF_8),
                            "text/plain", false);
                } else {
                    respond(ctx, HttpResponseStatus.OK, out, "application/json", keepAlive);
                }
            });
        }

        private static void respond(ChannelHandlerContext ctx, HttpResponseStatus status, byte[] body, String type, boolean keepAlive) {
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
            r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
            r.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
            r.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "POST, GET, OPTIONS");
            r.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, "*");
            r.headers().set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, "86400");
            if (keepAlive) r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            var f = ctx.writeAndFlush(r);
            if (!keepAlive) f.addListener(ChannelFutureListener.CLOSE);
        }

        @Override public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // Timeouts and resets of one connection concern only that connection.
            ctx.close();
        }
    }
}
