import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.socket.ConnectionSocketFactory;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.config.RegistryBuilder;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.util.TimeValue;

/**
 * An HTTP/1.1 server in memory, for one client: the client's connections are {@link Socket}s
 * whose output collects the request and whose input then yields the planned response bytes.
 * Everything above the socket is the client's own: its connection pool, its connection
 * ({@code DefaultManagedHttpClientConnection}), its request writer and its response parser
 * ({@code DefaultHttpResponseParser} over {@code SessionInputBufferImpl}), so the Set-Cookie
 * bytes reach {@code ResponseProcessCookies} exactly as they would from a socket, and the Cookie
 * header is read back from the bytes the client wrote.
 *
 * <p>It answers like the runner's loopback server (cli/src/live/server.rs): the same status
 * line, headers and body, the Set-Cookie lines as raw bytes, keep-alive; requests beyond the
 * plan get an answer without cookies.
 */
final class MemoryWire {
    static final byte[] BODY = "<!doctype html><title>cookie-conformance</title>".getBytes(StandardCharsets.US_ASCII);

    private final ArrayDeque<List<byte[]>> planned = new ArrayDeque<>();
    private final List<String> cookieHeaders = new ArrayList<>();
    private int requests;

    /** Plans the Set-Cookie lines of the next response and forgets what was received. */
    void plan(List<byte[]> setCookieLines) {
        planned.clear();
        planned.add(setCookieLines);
        cookieHeaders.clear();
        requests = 0;
    }

    int requests() {
        return requests;
    }

    /**
     * The Cookie header of the last request as the server reads it: every Cookie field, its
     * optional whitespace trimmed, joined with "; " (as ISO-8859-1 characters, one per octet);
     * null when there was none.
     */
    String cookieHeader() {
        return cookieHeaders.isEmpty() ? null : String.join("; ", cookieHeaders);
    }

    /** The connection manager of {@code PoolingHttpClientConnectionManagerBuilder.create().build()}
     *  with its connections leading here (http and https alike; the route stays secure for https). */
    PoolingHttpClientConnectionManager connectionManager() {
        ConnectionSocketFactory factory = new ConnectionSocketFactory() {
            @Override
            public Socket createSocket(HttpContext context) {
                return new MemorySocket();
            }

            @Override
            public Socket connectSocket(TimeValue connectTimeout, Socket socket, HttpHost host,
                    InetSocketAddress remoteAddress, InetSocketAddress localAddress, HttpContext context) {
                return socket;
            }
        };
        return new PoolingHttpClientConnectionManager(
                RegistryBuilder.<ConnectionSocketFactory>create().register("http", factory).register("https", factory).build(),
                null, null, null, null, Clients.LOOPBACK_DNS, null);
    }

    static byte[] responseBytes(List<byte[]> lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("HTTP/1.1 200 OK\r\nCache-Control: no-store\r\nContent-Type: text/html; charset=utf-8\r\n"
                + "Content-Length: " + BODY.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] line : lines) {
            out.writeBytes("Set-Cookie: ".getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(line);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(BODY);
        return out.toByteArray();
    }

    /** A request head has arrived: record its Cookie fields and queue the answer. */
    private byte[] answer(byte[] head) {
        requests++;
        cookieHeaders.clear();
        String text = new String(head, StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\r?\n", -1);
        for (int k = 1; k < lines.length; k++) {
            int colon = lines[k].indexOf(':');
            if (colon < 0 || !lines[k].substring(0, colon).equalsIgnoreCase("cookie")) continue;
            cookieHeaders.add(lines[k].substring(colon + 1).replaceAll("^[ \t]+|[ \t]+$", ""));
        }
        List<byte[]> lines2 = planned.isEmpty() ? List.of() : planned.poll();
        return responseBytes(lines2);
    }

    private final class MemorySocket extends Socket {
        private final ByteArrayOutputStream request = new ByteArrayOutputStream();
        private byte[] pending = new byte[0];
        private int pos;
        private boolean closed;
        private int timeout;

        private void received() {
            byte[] sent = request.toByteArray();
            for (int k = 0; k + 3 < sent.length; k++) {
                if (sent[k] == '\r' && sent[k + 1] == '\n' && sent[k + 2] == '\r' && sent[k + 3] == '\n') {
                    // A GET has no body: the head is the whole request.
                    byte[] head = Arrays.copyOf(sent, k + 4);
                    request.reset();
                    request.write(sent, k + 4, sent.length - k - 4);
                    // After anything of the previous answer still unread, as on a socket.
                    byte[] more = answer(head);
                    byte[] rest = Arrays.copyOfRange(pending, pos, pending.length);
                    pending = Arrays.copyOf(rest, rest.length + more.length);
                    System.arraycopy(more, 0, pending, rest.length, more.length);
                    pos = 0;
                    return;
                }
            }
        }

        private final InputStream in = new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (closed) throw new SocketException("Socket closed");
                if (len == 0) return 0;
                if (pos >= pending.length) {
                    // Nothing sent yet: a real server's socket would wait for the read timeout
                    // (what the pool's stale-connection check expects).
                    throw new SocketTimeoutException("Read timed out");
                }
                int n = Math.min(len, pending.length - pos);
                System.arraycopy(pending, pos, b, off, n);
                pos += n;
                return n;
            }

            @Override
            public int available() {
                return pending.length - pos;
            }
        };

        private final OutputStream out = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (closed) throw new SocketException("Socket closed");
                request.write(b, off, len);
                received();
            }
        };

        @Override public InputStream getInputStream() { return in; }
        @Override public OutputStream getOutputStream() { return out; }
        @Override public boolean isConnected() { return true; }
        @Override public boolean isBound() { return true; }
        @Override public boolean isClosed() { return closed; }
        @Override public boolean isInputShutdown() { return closed; }
        @Override public boolean isOutputShutdown() { return closed; }
        @Override public void shutdownInput() {}
        @Override public void shutdownOutput() {}
        @Override public synchronized void close() { closed = true; }
        @Override public synchronized void setSoTimeout(int t) { timeout = t; }
        @Override public synchronized int getSoTimeout() { return timeout; }
        @Override public void setTcpNoDelay(boolean on) {}
        @Override public void setKeepAlive(boolean on) {}
        @Override public void setReuseAddress(boolean on) {}
        @Override public void setSoLinger(boolean on, int linger) {}
        @Override public void setReceiveBufferSize(int size) {}
        @Override public void setSendBufferSize(int size) {}
        @Override public InetAddress getInetAddress() { return InetAddress.getLoopbackAddress(); }
        @Override public InetAddress getLocalAddress() { return InetAddress.getLoopbackAddress(); }
        @Override public int getPort() { return 0; }
        @Override public int getLocalPort() { return 0; }
        @Override public SocketAddress getRemoteSocketAddress() { return new InetSocketAddress(getInetAddress(), 0); }
        @Override public SocketAddress getLocalSocketAddress() { return new InetSocketAddress(getLocalAddress(), 0); }
        @Override public String toString() { return "MemorySocket"; }
    }
}
