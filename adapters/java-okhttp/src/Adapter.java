import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpCookie;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.Request;

/**
 * cookie-adapter/1 server (../PROTOCOL.md) for OkHttp 3 with its JavaNetCookieJar.
 *
 * <p>Every operation runs the cookie path of an OkHttpClient (ClientPath): OkHttp's own
 * BridgeInterceptor loads the request's Cookie header from the jar and hands the response's
 * cookies, parsed by Cookie.parseAll, to the jar; the response head is read from the raw bytes
 * by OkHttp's own HTTP/1 codec, which decodes header lines as UTF-8 (okio readUtf8LineStrict),
 * so that the jar sees exactly what OkHttp delivers. The clock: libfaketime (Clock), so
 * operations run one at a time. The HTTP server is written by hand on a ServerSocket because it
 * must read no wall clock (the JDK's com.sun.net.httpserver times idle connections with
 * System.currentTimeMillis(), which jumps by decades between operations here).
 */
public final class Adapter {
    static final String PROTOCOL = "cookie-adapter/1";
    static final List<String> PROFILES = List.of("rfc6265", "rfc6265bis");
    /** Operations one at a time: the libfaketime clock is process-wide. */
    static final Object LOCK = new Object();

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

    /** A string the JDK holds (its chars are UTF-16 code units) as the UTF-8 OkHttp would write. */
    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
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

    /** One jar: one OkHttp client's cookie path. */
    static final class Session {
        private ClientPath client = new ClientPath();

        Map<String, Object> run(String name, Map<String, Object> op) throws AdapterError {
            Object now = op.get("now");
            if (now != null && !(now instanceof Long)) throw bad("`now` is not an integer");
            synchronized (LOCK) {
                if (name.equals("reset")) Clock.forget();
                Clock.set((Long) now); // stays until an operation with another `now` (Clock)
                switch (name) {
                    case "reset": return reset(op);
                    case "set": return set(op);
                    case "get": return get(op);
                    case "dump": return dump();
                    default: throw new AdapterError(404, "not_found", "no operation `" + name + "`");
                }
            }
        }

        private Map<String, Object> reset(Map<String, Object> op) throws AdapterError {
            Object profile = op.getOrDefault("profile", "rfc6265bis");
            if (!PROFILES.contains(profile)) throw unsupported("profile " + profile + " not supported");
            Object config = op.get("config");
            if (config instanceof Map) {
                Map<?, ?> c = (Map<?, ?>) config;
                if (Boolean.TRUE.equals(c.get("chips"))) throw unsupported("OkHttp has no CHIPS (Partitioned)");
                Object tp = c.get("third_party");
                if (tp != null && !"allow".equals(tp)) throw unsupported("OkHttp has no third-party cookie policy");
            }
            client = new ClientPath();
            return obj();
        }

        private Map<String, Object> set(Map<String, Object> op) throws AdapterError {
            Request request = requestOf(op);
            Object lines = op.get("set_cookie");
            if (!(lines instanceof List)) throw bad("field `set_cookie` missing or not a list");
            List<byte[]> values = new ArrayList<>();
            for (Object line : (List<?>) lines) values.add(unb64(line));
            try {
                client.exchange(request, values);
            } catch (ClientPath.Refused e) {
                throw unsupported(e.getMessage());
            }
            return obj();
        }

        private Map<String, Object> get(Map<String, Object> op) throws AdapterError {
            Request request = requestOf(op);
            byte[] header;
            try {
                header = client.exchange(request, List.of());
            } catch (ClientPath.Refused e) {
                throw unsupported(e.getMessage());
            }
            return obj("cookie", header == null ? null : b64(header));
        }

        private Map<String, Object> dump() {
            List<Object> out = new ArrayList<>();
            for (HttpCookie c : client.manager.getCookieStore().getCookies()) { // drops expired ones
                String domain = c.getDomain() == null ? null : c.getDomain().toLowerCase();
                if (domain != null && domain.startsWith(".")) domain = domain.substring(1);
                out.add(obj(
                        "name", b64(c.getName()),
                        "value", b64(c.getValue() == null ? "" : c.getValue()),
                        "domain", domain,
                        "path", c.getPath() == null ? null : b64(c.getPath()),
                        "host_only", null, // HttpCookie has no host-only flag
                        "secure", c.getSecure(),
                        "http_only", c.isHttpOnly(),
                        "same_site", null, // neither OkHttp's Cookie nor HttpCookie keeps SameSite
                        "persistent", c.getMaxAge() != -1,
                        "expires", null, // HttpCookie keeps Max-Age relative to a private creation time
                        "partition_key", null));
            }
            return obj("cookies", out);
        }
    }

    static Request requestOf(Map<String, Object> op) throws AdapterError {
        Object url = op.get("url");
        if (!(url instanceof String)) throw bad("field `url` missing or not a string");
        Object ctx = op.get("context");
        if (ctx instanceof Map && "script".equals(((Map<?, ?>) ctx).get("api"))) {
            throw unsupported("OkHttp has no non-HTTP (script) API");
        }
        try {
            // The method changes nothing on OkHttp's cookie path: every request is a GET.
            return ClientPath.request((String) url, "GET");
        } catch (ClientPath.Refused e) {
            throw unsupported(e.getMessage());
        }
    }

    static final Map<String, Session> SESSIONS = new ConcurrentHashMap<>();
    static final AtomicLong NEXT_ID = new AtomicLong();

    static Map<String, Object> info() {
        return obj(
                "protocol", PROTOCOL,
                "name", "java-okhttp",
                "library", "OkHttp (okhttp3) with JavaNetCookieJar",
                "version", okhttp3.internal.Version.userAgent().replace("okhttp/", ""),
                "runtime", System.getProperty("java.vm.name") + " " + Runtime.version() + ", okio 1.16.0, Debian libokhttp-java",
                "configuration", "OkHttpClient cookie path: OkHttp's BridgeInterceptor with "
                        + "cookieJar(new JavaNetCookieJar(new CookieManager())) (CookiePolicy.ACCEPT_ORIGINAL_SERVER, "
                        + "in-memory CookieStore); responses read by OkHttp's Http1Codec (UTF-8 header lines); "
                        + "OkHttp's bundled public suffix list; virtual clock by libfaketime",
                "parallel", false,
                "capabilities", obj(
                        "virtual_clock", Clock.available(),
                        "script_api", false,
                        "same_site_contexts", false,
                        "partitioned", false,
                        "third_party_policies", List.of("allow"),
                        "profiles", PROFILES,
                        "configurable", List.of(),
                        "storage_dump", true,
                        "public_suffix_list", "OkHttp 3.13.1's bundled publicsuffixes.gz"));
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
                    } catch (RuntimeException e) { // the library failed: report, stop the batch
                        results.add(obj("error", e.toString(), "kind", "internal"));
                        break;
                    }
                }
                return obj("results", results);
            }
        }
        throw new AdapterError(404, "not_found", "no endpoint " + method + " /" + String.join("/", parts));
    }

    /** The largest request head and body accepted (the protocol needs 16 MiB bodies). */
    static final int MAX_HEAD = 64 * 1024;
    static final int MAX_BODY = 64 * 1024 * 1024;

    /** A request as read off the connection. */
    static final class HttpRequest {
        String method;
        String path;
        boolean close;
        byte[] body;
    }

    /** Reads one request (HTTP/1.1, Content-Length bodies only); null when the peer closed first. */
    static HttpRequest read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0; // of "\r\n\r\n"
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                if (head.size() == 0) return null;
                throw new EOFException("connection closed inside a request head");
            }
            head.write(b);
            if (head.size() > MAX_HEAD) throw new IOException("request head over " + MAX_HEAD + " bytes");
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        String[] requestLine = lines[0].split(" ");
        if (requestLine.length != 3) throw new IOException("bad request line: " + lines[0]);
        HttpRequest r = new HttpRequest();
        r.method = requestLine[0];
        String target = requestLine[1];
        int query = target.indexOf('?');
        r.path = query < 0 ? target : target.substring(0, query);
        long length = 0;
        for (int k = 1; k < lines.length; k++) {
            int colon = lines[k].indexOf(':');
            if (colon < 0) continue;
            String name = lines[k].substring(0, colon).trim();
            String value = lines[k].substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) length = Long.parseLong(value);
            else if (name.equalsIgnoreCase("Transfer-Encoding")) throw new IOException("chunked requests are not supported");
            else if (name.equalsIgnoreCase("Connection") && value.equalsIgnoreCase("close")) r.close = true;
        }
        if (length < 0 || length > MAX_BODY) throw new IOException("request body of " + length + " bytes");
        r.body = in.readNBytes((int) length);
        if (r.body.length != length) throw new EOFException("connection closed inside a request body");
        return r;
    }

    static void write(OutputStream out, int status, Object body) throws IOException {
        byte[] data = Json.write(body).getBytes(StandardCharsets.UTF_8);
        String reason = status == 200 ? "OK" : status == 400 ? "Bad Request" : status == 404 ? "Not Found"
                : status == 422 ? "Unprocessable Content" : "Internal Server Error";
        out.write(("HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: application/json\r\nContent-Length: "
                + data.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(data);
        out.flush();
    }

    /** Serves one keep-alive connection until the peer closes it. */
    @SuppressWarnings("unchecked")
    static void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = new BufferedOutputStream(socket.getOutputStream());
            HttpRequest r;
            while ((r = read(in)) != null) {
                int status = 200;
                Object answer;
                boolean shutdown = false;
                try {
                    String text = new String(r.body, StandardCharsets.UTF_8);
                    Object body;
                    try {
                        body = text.isBlank() ? obj() : Json.parse(text);
                    } catch (IllegalArgumentException e) {
                        throw bad(e.getMessage());
                    }
                    if (!(body instanceof Map)) throw bad("body is not an object");
                    String path = r.path.replaceAll("^/+|/+$", "");
                    if (r.method.equals("POST") && path.equals("shutdown")) {
                        shutdown = true;
                        answer = obj();
                    } else {
                        answer = route(r.method, path.split("/"), (Map<String, Object>) body);
                    }
                } catch (AdapterError e) {
                    status = e.status;
                    answer = obj("error", e.getMessage(), "kind", e.kind);
                } catch (RuntimeException e) {
                    status = 500;
                    answer = obj("error", e.toString(), "kind", "internal");
                }
                write(out, status, answer);
                if (shutdown) System.exit(0);
                if (r.close) return;
            }
        } catch (IOException e) {
            System.err.println("connection: " + e);
        }
    }

    public static void main(String[] args) throws IOException {
        int port = 0;
        for (int k = 0; k + 1 < args.length; k++) if (args[k].equals("--port")) port = Integer.parseInt(args[k + 1]);
        Clock.init();
        // Load OkHttp, its public suffix list and CookieManager by one exchange before listening:
        // done lazily, the first case's requests can take seconds on a busy machine (every clock
        // call of the JVM reads libfaketime's file) and approach the runner's 10 s timeout.
        try {
            ClientPath warm = new ClientPath();
            warm.exchange(ClientPath.request("https://www.warm-up.example/", "GET"),
                    List.of("w=1; Max-Age=60; Domain=warm-up.example".getBytes(StandardCharsets.US_ASCII)));
            warm.exchange(ClientPath.request("https://www.warm-up.example/", "GET"), List.of());
        } catch (ClientPath.Refused e) {
            throw new IllegalStateException("the warm-up exchange failed: " + e.getMessage(), e);
        }
        ServerSocket server = new ServerSocket(port, 64, InetAddress.getLoopbackAddress());
        System.out.println("LISTENING " + server.getLocalPort());
        System.out.flush();
        ExecutorService connections = Executors.newCachedThreadPool(task -> {
            Thread t = new Thread(task, "connection");
            t.setDaemon(true);
            return t;
        });
        while (true) {
            Socket socket = server.accept();
            connections.execute(() -> serve(socket));
        }
    }
}
