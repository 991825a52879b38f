import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hc.client5.http.cookie.BasicCookieStore;
import org.apache.hc.client5.http.cookie.Cookie;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.util.VersionInfo;

/**
 * cookie-adapter/1 server (../PROTOCOL.md) for Apache HttpClient 5 (Debian's libhttpclient5-java).
 *
 * <p>Each session is a real {@code CloseableHttpClient} as {@code HttpClients.custom().build()}
 * makes it, with its default {@code BasicCookieStore} and cookie spec registry, whose
 * connections lead to an in-memory server ({@link MemoryWire}): a {@code set} is one GET of the
 * URL answered with the op's Set-Cookie lines as raw response bytes, a {@code get} one GET
 * answered without cookies whose written Cookie header is the result. So HttpClient's own
 * request interceptors, exec chain, response parser and cookie handling all run; nothing of the
 * library is called directly except {@code BasicCookieStore} for {@code dump}.
 *
 * <p>The HTTP server of the protocol is written here on plain sockets rather than with
 * com.sun.net.httpserver, whose idle-connection timers read the wall clock that the virtual
 * clock ({@link FakeClock}) moves.
 */
public final class Adapter {
    static final String PROTOCOL = "cookie-adapter/1";
    static final List<String> PROFILES = List.of("rfc6265", "rfc6265bis");
    static final FakeClock CLOCK = FakeClock.fromEnvironment();
    static final Object LOCK = new Object(); // one operation at a time: the clock is process-wide

    static final class AdapterError extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;
        final String kind;

        AdapterError(int status, String kind, String message) {
            super(message);
            this.status = status;
            this.kind = kind;
        }
    }

    static AdapterError bad(String m) {
        return new AdapterError(400, "bad_request", m);
    }

    static AdapterError unsupported(String m) {
        return new AdapterError(422, "unsupported", m);
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    static byte[] unb64(Object o) throws AdapterError {
        if (!(o instanceof String)) throw bad("a base64 string was expected");
        try {
            return Base64.getDecoder().decode((String) o);
        } catch (IllegalArgumentException e) {
            throw bad("bad base64: " + e.getMessage());
        }
    }

    static Map<String, Object> obj(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int k = 0; k < kv.length; k += 2) m.put((String) kv[k], kv[k + 1]);
        return m;
    }

    /** One jar: a client with its own cookie store and in-memory server. */
    static final class Session {
        private MemoryWire wire;
        private BasicCookieStore store;
        private CloseableHttpClient client;

        Session() {
            fresh();
        }

        private void fresh() {
            close();
            wire = new MemoryWire();
            store = new BasicCookieStore(); // what HttpClientBuilder.build() creates by default
            client = Clients.build(store, wire.connectionManager());
        }

        void close() {
            if (client == null) return;
            try {
                client.close();
            } catch (IOException e) {
                // In-memory connections: closing cannot fail in a way that matters.
            }
        }

        Map<String, Object> run(String name, Map<String, Object> op) throws AdapterError {
            Object now = op.get("now");
            if (now != null && !(now instanceof Long)) throw bad("`now` is not an integer");
            switch (name) {
                case "reset": case "set": case "get": case "dump": break;
                default: throw new AdapterError(404, "not_found", "no operation `" + name + "`");
            }
            synchronized (LOCK) {
                if (now != null && CLOCK == null) throw new AdapterError(500, "internal", "no virtual clock: run.sh preloads libfaketime");
                if (now != null && !FakeClock.showable((Long) now)) throw unsupported("the virtual clock covers the years 1 to 9999 only");
                try {
                    if (now != null) CLOCK.show((Long) now, name.equals("reset"));
                    else if (CLOCK != null) CLOCK.real();
                } catch (IOException e) {
                    throw new AdapterError(500, "internal", "writing the clock file: " + e);
                }
                switch (name) {
                    case "reset": return reset(op);
                    case "set": return set(op);
                    case "get": return get(op);
                    default: return dump();
                }
            }
        }

        private Map<String, Object> reset(Map<String, Object> op) throws AdapterError {
            Object profile = op.getOrDefault("profile", "rfc6265bis");
            if (!PROFILES.contains(profile)) throw unsupported("profile " + profile + " not supported");
            Object config = op.get("config");
            if (config instanceof Map) {
                Map<?, ?> c = (Map<?, ?>) config;
                if (Boolean.TRUE.equals(c.get("chips"))) throw unsupported("HttpClient has no CHIPS (Partitioned)");
                Object tp = c.get("third_party");
                if (tp != null && !"allow".equals(tp)) throw unsupported("HttpClient has no third-party cookie policy");
            }
            fresh();
            return obj();
        }

        private Map<String, Object> set(Map<String, Object> op) throws AdapterError {
            String url = urlOf(op);
            Object lines = op.get("set_cookie");
            if (!(lines instanceof List)) throw bad("field `set_cookie` missing or not a list");
            List<byte[]> values = new ArrayList<>();
            for (Object line : (List<?>) lines) values.add(unb64(line));
            exchange(url, values);
            return obj();
        }

        private Map<String, Object> get(Map<String, Object> op) throws AdapterError {
            exchange(urlOf(op), List.of());
            String header = wire.cookieHeader();
            return obj("cookie", header == null ? null : b64(header));
        }

        private void exchange(String url, List<byte[]> lines) throws AdapterError {
            wire.plan(lines);
            try {
                Clients.fetch(client, url);
            } catch (Clients.Refused e) {
                throw unsupported(e.getMessage());
            }
            if (wire.requests() != 1) {
                throw new AdapterError(500, "internal", url + ": the client sent " + wire.requests() + " requests, expected 1");
            }
        }

        private Map<String, Object> dump() {
            // The expiry the client applies before each request (RequestAddCookies).
            store.clearExpired(Instant.now());
            List<Object> out = new ArrayList<>();
            for (Cookie c : store.getCookies()) {
                String domain = c.getDomain() == null ? null : c.getDomain().toLowerCase(Locale.ROOT);
                if (domain != null && domain.startsWith(".")) domain = domain.substring(1);
                Instant expiry = c.getExpiryInstant();
                out.add(obj(
                        "name", b64(c.getName()),
                        "value", b64(c.getValue() == null ? "" : c.getValue()),
                        "domain", domain,
                        "path", c.getPath() == null ? null : b64(c.getPath()),
                        // BasicDomainHandler.match: a cookie without a Domain attribute goes
                        // to its own host only.
                        "host_only", !c.containsAttribute(Cookie.DOMAIN_ATTR),
                        "secure", c.isSecure(),
                        "http_only", c.isHttpOnly(),
                        "same_site", null, // kept as an uninterpreted attribute, never used
                        "persistent", c.isPersistent(),
                        "expires", expiry == null ? null : expiry.getEpochSecond(),
                        "partition_key", null));
            }
            return obj("cookies", out);
        }
    }

    static String urlOf(Map<String, Object> op) throws AdapterError {
        Object url = op.get("url");
        if (!(url instanceof String)) throw bad("field `url` missing or not a string");
        Object ctx = op.get("context");
        if (ctx != null && !(ctx instanceof Map)) throw bad("`context` is not an object");
        if (ctx instanceof Map && "script".equals(((Map<?, ?>) ctx).get("api"))) {
            throw unsupported("HttpClient has no non-HTTP (script) API");
        }
        return (String) url;
    }

    static final Map<String, Session> SESSIONS = new ConcurrentHashMap<>();
    static final AtomicLong NEXT_ID = new AtomicLong();

    static String libraryVersion() {
        VersionInfo v = VersionInfo.loadVersionInfo("org.apache.hc.client5", Adapter.class.getClassLoader());
        if (v != null && !VersionInfo.UNAVAILABLE.equals(v.getRelease())) return v.getRelease();
        String impl = CloseableHttpClient.class.getPackage().getImplementationVersion();
        return impl != null ? impl : "unknown";
    }

    static Map<String, Object> info() {
        return obj(
                "protocol", PROTOCOL,
                "name", "java-httpclient5",
                "library", "Apache HttpClient",
                "version", libraryVersion(),
                "runtime", System.getProperty("java.vm.name") + " " + Runtime.version() + ", Debian libhttpclient5-java",
                "configuration", "HttpClients.custom().build() defaults: BasicCookieStore, CookieSpecSupport.createDefault() "
                        + "registry, RequestConfig.DEFAULT (cookie spec null = strict: RFC6265StrictSpec), "
                        + "PublicSuffixMatcherLoader.getDefault() (Debian's jar lacks the bundled list: a matcher "
                        + "holding only 'com'); requests through the real exec chain over in-memory connections; "
                        + "virtual clock by libfaketime",
                "parallel", false,
                "capabilities", obj(
                        "virtual_clock", CLOCK != null,
                        "script_api", false,
                        "same_site_contexts", false,
                        "partitioned", false,
                        "third_party_policies", List.of("allow"),
                        "profiles", PROFILES,
                        "configurable", List.of(),
                        "storage_dump", true,
                        "public_suffix_list", "PublicSuffixMatcherLoader.getDefault() without Debian's missing "
                                + "mozilla/public-suffix-list.txt resource: the single rule 'com'"));
    }

    @SuppressWarnings("unchecked")
    static Object route(String method, String[] parts, Map<String, Object> body) throws AdapterError {
        if (method.equals("GET") && parts.length == 1 && parts[0].equals("info")) return info();
        if (method.equals("POST") && parts.length == 1 && parts[0].equals("sessions")) {
            String id = Long.toString(NEXT_ID.incrementAndGet());
            SESSIONS.put(id, new Session());
            return obj("id", id);
        }
        if (parts.length >= 2 && parts[0].equals("sessions")) {
            Session s = SESSIONS.get(parts[1]);
            if (s == null) throw new AdapterError(404, "not_found", "no session " + parts[1]);
            if (method.equals("DELETE") && parts.length == 2) {
                SESSIONS.remove(parts[1]);
                s.close();
                return obj();
            }
            if (method.equals("POST") && parts.length == 3) {
                if (!parts[2].equals("batch")) return s.run(parts[2], body);
                Object ops = body.get("ops");
                if (!(ops instanceof List)) throw bad("field `ops` missing or not a list");
                List<Object> results = new ArrayList<>();
                for (Object op : (List<Object>) ops) {
                    try {
                        if (!(op instanceof Map)) throw bad("operation is not an object");
                        Map<String, Object> m = (Map<String, Object>) op;
                        results.add(s.run(String.valueOf(m.get("op")), m));
                    } catch (AdapterError e) {
                        results.add(obj("error", e.getMessage(), "kind", e.kind));
                        break;
                    } catch (RuntimeException | LinkageError e) { // the library failed: report, stop the batch
                        results.add(obj("error", Clients.describe(e), "kind", "internal"));
                        break;
                    }
                }
                return obj("results", results);
            }
        }
        throw new AdapterError(404, "not_found", "no endpoint " + method + " /" + String.join("/", parts));
    }

    // ---- The protocol's HTTP/1.1 server: keep-alive, Content-Length bodies, one thread per
    // connection (the runner opens few).

    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') b.write(c);
        if (c == -1 && b.size() == 0) return null;
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    static void answer(OutputStream out, int status, Object body, boolean close) throws IOException {
        byte[] data = Json.write(body).getBytes(StandardCharsets.UTF_8);
        String reason = status == 200 ? "OK" : status == 400 ? "Bad Request" : status == 404 ? "Not Found"
                : status == 422 ? "Unprocessable Entity" : "Internal Server Error";
        String head = "HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: application/json\r\nContent-Length: "
                + data.length + "\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(data);
        out.flush();
    }

    @SuppressWarnings("unchecked")
    static void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (true) {
                String requestLine = readLine(in);
                if (requestLine == null) return;
                if (requestLine.isEmpty()) continue;
                String[] rl = requestLine.split(" ");
                if (rl.length < 2) {
                    answer(out, 400, obj("error", "bad request line", "kind", "bad_request"), true);
                    return;
                }
                long length = 0;
                boolean close = false;
                String line;
                while ((line = readLine(in)) != null && !line.isEmpty()) {
                    int colon = line.indexOf(':');
                    if (colon < 0) continue;
                    String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                    String value = line.substring(colon + 1).trim();
                    if (name.equals("content-length")) length = Long.parseLong(value);
                    if (name.equals("connection") && value.equalsIgnoreCase("close")) close = true;
                }
                if (length > 64L << 20) {
                    answer(out, 400, obj("error", "body too large", "kind", "bad_request"), true);
                    return;
                }
                byte[] raw = in.readNBytes((int) length);
                String method = rl[0];
                String path = rl[1].replaceAll("\\?.*$", "").replaceAll("^/+|/+$", "");
                int status = 200;
                Object result;
                try {
                    String text = new String(raw, StandardCharsets.UTF_8);
                    Object body;
                    try {
                        body = text.isBlank() ? obj() : Json.parse(text);
                    } catch (IllegalArgumentException e) {
                        throw bad(e.getMessage());
                    }
                    if (!(body instanceof Map)) throw bad("body is not an object");
                    if (method.equals("POST") && path.equals("shutdown")) {
                        answer(out, 200, obj(), true);
                        System.exit(0);
                    }
                    result = route(method, path.split("/"), (Map<String, Object>) body);
                } catch (AdapterError e) {
                    status = e.status;
                    result = obj("error", e.getMessage(), "kind", e.kind);
                } catch (RuntimeException | LinkageError e) {
                    status = 500;
                    result = obj("error", Clients.describe(e), "kind", "internal");
                }
                answer(out, status, result, close);
                if (close) return;
            }
        } catch (IOException | NumberFormatException e) {
            // The runner closed the connection (or sent garbage): nothing left to answer.
        }
    }

    public static void main(String[] args) throws IOException {
        int port = 0;
        for (int k = 0; k + 1 < args.length; k++) if (args[k].equals("--port")) port = Integer.parseInt(args[k + 1]);
        ServerSocket server = new ServerSocket(port, 64, InetAddress.getLoopbackAddress());
        System.out.println("LISTENING " + server.getLocalPort());
        System.out.flush();
        while (true) {
            Socket s = server.accept();
            Thread t = new Thread(() -> serve(s), "conn-" + s.getPort());
            t.setDaemon(true);
            t.start();
        }
    }
}
