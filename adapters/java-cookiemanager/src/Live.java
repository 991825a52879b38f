import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.CookieManager;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The real client the java-cookiemanager adapter models, for the fidelity check
 * (`cookie-conformance fidelity`, protocol in cli/src/live/driven.rs): a
 * {@code HttpClient.newBuilder().cookieHandler(new CookieManager()).build()} fetching each URL
 * over real sockets from the runner's loopback server, so that its own HTTP/1.1 parser,
 * CookieFilter and request writer run. ws/wss URLs open a WebSocket with the same client
 * (newWebSocketBuilder), whose opening handshake goes through CookieFilter too; the loopback
 * server answers 200 instead of 101, so the handshake fails after the cookies were exchanged.
 *
 * <p>Reaching the loopback server: the URL must stay as the case has it, port-less, because
 * CookieManager sees the request URI's port (a cookie's Port attribute is checked against it,
 * and an empty Port list becomes that port). So the client is given a proxy (ProxySelector.of)
 * that this program runs on 127.0.0.1: it relays a CONNECT tunnel, or a plain request in
 * absolute form, byte for byte to the loopback server's port for the scheme of the fetch under
 * way. The client resolves no host name (the proxy receives the name), and CookieFilter uses the
 * request URI whatever the route. TLS: a trust-all SSLContext for the self-signed certificate,
 * and live.sh sets -Djdk.internal.httpclient.disableHostnameVerification.
 *
 * <p>The clock: as in the adapter, live.sh preloads libfaketime and FakeClock shows the fetch's
 * `now` to System.currentTimeMillis() (which HttpCookie reads) for the whole fetch.
 *
 * <p>Answers: {"ok":true} after a completed exchange; {"error":E,"kind":"unsupported"} when the
 * client cannot request the URL or its parser refuses the response (then no cookie of it is
 * stored); {"error":E,"kind":"failed"} for anything else.
 */
public final class Live {
    static final FakeClock CLOCK = FakeClock.fromEnvironment();
    /** Only for the WebSocket future; the client itself keeps its defaults (no timeouts). */
    static final long WEBSOCKET_WAIT_SECONDS = 15;

    /** The loopback server's port for the fetch under way (fetches are strictly sequential). */
    static volatile int upstreamPort;

    static HttpClient client;

    public static void main(String[] args) throws Exception {
        Runtime.getRuntime().addShutdownHook(new Thread(CLOCK::delete));
        int proxyPort = startProxy();
        SSLContext trustAll = trustAll();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) continue;
            Map<String, Object> answer;
            try {
                Object parsed = Json.parse(line);
                if (!(parsed instanceof Map)) throw new IllegalArgumentException("not a JSON object");
                Map<?, ?> op = (Map<?, ?>) parsed;
                if ("reset".equals(op.get("op"))) {
                    // What a user writes; the proxy and TLS settings only route to the loopback server.
                    client = HttpClient.newBuilder()
                            .cookieHandler(new CookieManager())
                            .proxy(ProxySelector.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), proxyPort)))
                            .sslContext(trustAll)
                            .build();
                    answer = Map.of("ok", true, "virtual_clock", CLOCK.active());
                } else if ("fetch".equals(op.get("op"))) {
                    answer = fetch(op);
                } else {
                    answer = Map.of("error", "unknown op " + op.get("op"), "kind", "failed");
                }
            } catch (RuntimeException e) {
                answer = Map.of("error", e.toString(), "kind", "failed");
            }
            System.out.println(Json.write(answer));
            System.out.flush();
        }
        System.exit(0);
    }

    static Map<String, Object> unsupported(String why) {
        return Map.of("error", why, "kind", "unsupported");
    }

    static Map<String, Object> fetch(Map<?, ?> op) {
        if (client == null) return Map.of("error", "fetch before reset", "kind", "failed");
        String url = (String) op.get("url");
        Object now = op.get("now");
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return unsupported("java.net.URI rejects the URL: " + e.getMessage());
        }
        String scheme = String.valueOf(uri.getScheme()).toLowerCase();
        boolean secure = scheme.equals("https") || scheme.equals("wss");
        upstreamPort = ((Long) op.get(secure ? "https_port" : "http_port")).intValue();
        boolean webSocket = scheme.equals("ws") || scheme.equals("wss");
        HttpRequest request = null;
        if (!webSocket) {
            try {
                request = HttpRequest.newBuilder(uri).GET().build();
            } catch (IllegalArgumentException e) {
                return unsupported("HttpRequest.newBuilder rejects the URI: " + e.getMessage());
            }
        }
        if (now != null && CLOCK.active() && !FakeClock.expressible((Long) now)) {
            return unsupported("libfaketime's date format cannot show Unix time " + now);
        }
        try {
            if (CLOCK.active()) CLOCK.show((Long) now);
            if (webSocket) return openWebSocket(uri);
            client.send(request, HttpResponse.BodyHandlers.discarding());
            return Map.of("ok", true);
        } catch (IOException e) {
            if (refusal(e)) {
                return unsupported("java.net.http.HttpClient refuses the response: " + Text.printable(String.valueOf(e.getMessage())));
            }
            return Map.of("error", e.toString(), "kind", "failed");
        } catch (InterruptedException e) {
            return Map.of("error", e.toString(), "kind", "failed");
        } finally {
            try {
                if (CLOCK.active()) CLOCK.show(null);
            } catch (IOException e) {
                System.err.println("live: resetting the clock: " + e);
            }
        }
    }

    /** A WebSocket handshake by the same client; a non-101 answer still exchanged the cookies. */
    static Map<String, Object> openWebSocket(URI uri) {
        try {
            client.newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {})
                    .get(WEBSOCKET_WAIT_SECONDS, TimeUnit.SECONDS).abort();
            return Map.of("ok", true);
        } catch (IllegalArgumentException e) {
            return unsupported("HttpClient's WebSocket builder rejects the URI: " + e.getMessage());
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof WebSocketHandshakeException) return Map.of("ok", true); // the 200 answer
            if (cause instanceof IllegalArgumentException) {
                return unsupported("HttpClient's WebSocket builder rejects the URI: " + cause.getMessage());
            }
            if (refusal(cause)) {
                return unsupported("java.net.http.HttpClient refuses the response: " + Text.printable(String.valueOf(cause.getMessage())));
            }
            return Map.of("error", String.valueOf(cause), "kind", "failed");
        } catch (InterruptedException | TimeoutException e) {
            return Map.of("error", e.toString(), "kind", "failed");
        }
    }

    /** Whether the client failed because its HTTP/1.1 parser refused the response head. */
    static boolean refusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) if (t instanceof ProtocolException) return true;
        return false;
    }

    static SSLContext trustAll() throws Exception {
        TrustManager trustAll = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {trustAll}, new SecureRandom());
        return context;
    }

    /** The relay the client uses as its proxy; returns its port. */
    static int startProxy() throws IOException {
        ServerSocket listener = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(() -> {
            while (true) {
                try {
                    Socket client = listener.accept();
                    Thread t = new Thread(() -> relay(client), "proxy");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    System.err.println("live: proxy accept: " + e);
                    return;
                }
            }
        }, "proxy-accept");
        accept.setDaemon(true);
        accept.start();
        return listener.getLocalPort();
    }

    /**
     * One proxied connection: CONNECT gets "200" and a tunnel; anything else (a plain request
     * in absolute form) is passed on as received. Either way to the loopback server.
     */
    static void relay(Socket client) {
        try (client; Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
            InputStream fromClient = client.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            while (matched < 4) {
                int b = fromClient.read();
                if (b < 0) return;
                head.write(b);
                matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            OutputStream toClient = client.getOutputStream();
            OutputStream toUpstream = upstream.getOutputStream();
            if (head.toString(StandardCharsets.ISO_8859_1).startsWith("CONNECT ")) {
                toClient.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                toClient.flush();
            } else {
                toUpstream.write(head.toByteArray());
                toUpstream.flush();
            }
            Thread back = new Thread(() -> pipe(upstream, client), "proxy-back");
            back.setDaemon(true);
            back.start();
            pipe(client, upstream);
            back.join();
        } catch (IOException | InterruptedException e) {
            // The client or the server closed the connection: nothing to relay any more.
        }
    }

    /**
     * Copies one direction until it ends, then closes both sockets: when the loopback server drops
     * a connection, the client must see it closed at once (not half-open) to stop reusing it.
     */
    static void pipe(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException e) {
            // One side closed.
        } finally {
            for (Socket s : new Socket[] {from, to}) {
                try {
                    s.close();
                } catch (IOException e) {
                    // Already closed.
                }
            }
        }
    }
}
