package dev.lanes.node.rpc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A WebSocket spoken byte by byte over a plain socket, for what a well-behaved client library cannot send: broken
 * frames, unmasked frames, lying lengths, and a client that stops reading.
 */
final class RawWs implements AutoCloseable {
    final Socket socket;
    final InputStream in;
    final OutputStream out;

    /** Connects and upgrades; {@code receiveBuffer} > 0 shrinks the socket's receive buffer (a slow reader). */
    RawWs(int port, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) socket.setReceiveBufferSize(receiveBuffer);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
        String key = Base64.getEncoder().encodeToString("lanes-test-key-1".getBytes(StandardCharsets.US_ASCII));
        out.write(("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String head = readHead();
        if (!head.startsWith("HTTP/1.1 101")) throw new IOException("upgrade refused: " + head);
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            b.write(c);
            byte[] a = b.toByteArray();
            int n = a.length;
            if (n >= 4 && a[n - 4] == '\r' && a[n - 3] == '\n' && a[n - 2] == '\r' && a[n - 1] == '\n') break;
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    /** A frame as a client sends it: FIN as given, masked with a fixed key when {@code masked}. */
    static byte[] frame(int opcode, byte[] payload, boolean fin, boolean masked) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write((fin ? 0x80 : 0) | opcode);
        int m = masked ? 0x80 : 0;
        if (payload.length < 126) b.write(m | payload.length);
        else if (payload.length < 65536) {
            b.write(m | 126);
            b.write(payload.length >>> 8);
            b.write(payload.length & 0xff);
        } else {
            b.write(m | 127);
            for (int i = 7; i >= 0; i--) b.write((int) ((long) payload.length >>> (8 * i)) & 0xff);
        }
        byte[] key = {1, 2, 3, 4};
        if (masked) b.writeBytes(key);
        for (int i = 0; i < payload.length; i++) b.write(masked ? payload[i] ^ key[i & 3] : payload[i]);
        return b.toByteArray();
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void sendText(String s) throws IOException {
        send(frame(1, s.getBytes(StandardCharsets.UTF_8), true, true));
    }

    /** One server frame: {opcode, payload}. */
    record Frame(int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The status code of a close frame. */
        int closeCode() {
            return payload.length < 2 ? -1 : ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
        }
    }

    Frame read() throws IOException {
        int b0 = in.read(), b1 = in.read();
        if (b0 < 0 || b1 < 0) return null;
        long len = b1 & 0x7f;
        if (len == 126) len = (in.read() << 8) | in.read();
        else if (len == 127) {
            len = 0;
            for (int i = 0; i < 8; i++) len = (len << 8) | in.read();
        }
        byte[] p = in.readNBytes((int) len);
        return new Frame(b0 & 0x0f, p);
    }

    /**
     * Reads until the server closes the connection: the close frame's code, or 0 when the connection ended without
     * one. Fails when nothing ends it within the socket timeout.
     */
    int closeCodeThenEnd() throws IOException {
        int code = 0;
        socket.setSoTimeout(5_000);
        try {
            Frame f;
            while ((f = read()) != null) if (f.opcode() == 8) code = f.closeCode();
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not close the connection (close code so far " + code + ")", e);
        } catch (SocketException e) {
            // reset by the server: closed as well
        }
        return code;
    }

    @Override public void close() throws IOException {
        socket.close();
    }
}
