import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * cookie-adapter/1 server (../PROTOCOL.md) for java.net.CookieManager.
 *
 * <p>The jar is driven the way HttpURLConnection drives its CookieHandler: all Set-Cookie
 * fields of a response go to {@code put(uri, responseHeaders)} in one call, and the request's
 * Cookie header is the "Cookie" list of {@code get(uri, requestHeaders)} joined with "; " (or no
 * header when the list is empty). Header bytes are ISO-8859-1, as the JDK's HTTP stack reads
 * and writes them. HttpCookie reads System.currentTimeMillis() itself: real clock only.
 */
public final class Adapter {
    static final String PROTOCOL = "cookie-adapter/1";
    static final List<String> PROFILES = List.of("rfc6265", "rfc6265bis");

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

    static String unb64(Object o) throws AdapterError {
        if (!(o instanceof String)) throw bad("a base64 string was expected");
        try {
            return new String(Base64.getDecoder().decode((String) o), StandardCharsets.ISO_8859_1);
        } catch (IllegalArgumentException e) {
            throw bad("bad base64: " + e.getMessage());
        }
    }

    static Map<String, Object> obj(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int k = 0; k < kv.length; k += 2) m.put((String) kv[k], kv[k + 1]);
        return m;
    }

    /** One jar. Operations on a session are serialized; sessions run in parallel. */
    static final class Session {
        // What an application installs for HttpURLConnection / HttpClient: accept everything.
        private CookieManager manager = new CookieManager(null, CookiePolicy.ACCEPT_ALL);

        synchronized Map<String, Object> run(String name, Map<String, Object> op) throws AdapterError {
            Object now = op.get("now");
            if (now != null && !(now instanceof Long)) throw bad("`now` is not an integer");
            switch (name) {
                case "reset": return reset(op);
                case "set": return set(op);
                case "get": return get(op);
                case "dump": return dump();
                default: throw new AdapterError(404, "not_found", "no operation `" + name + "`");
            }
        }

        private Map<String, Object> reset(Map<String, Object> op) throws AdapterError {
            Object profile = op.getOrDefault("profile", "rfc6265bis");
            if (!PROFILES.contains(profile)) throw unsupported("profile " + profile + " not supported");
            Object config = op.get("config");
            if (config instanceof Map) {
                Map<?, ?> c = (Map<?, ?>) config;
                if (Boolean.TRUE.equals(c.get("chips"))) throw unsupported("CookieManager has no CHIPS (Partitioned)");
                Object tp = c.get("third_party");
                if (tp != null && !"allow".equals(tp)) throw unsupported("CookieManager has no third-party cookie policy");
            }
            manager = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
            return obj();
        }

        private Map<String, Object> set(Map<String, Object> op) throws AdapterError {
            URI uri = uriOf(op);
            Object lines = op.get("set_cookie");
            if (!(lines instanceof List)) throw bad("field `set_cookie` missing or not a list");
            List<String> values = new ArrayList<>();
            for (Object line : (List<?>) lines) values.add(unb64(line));
            try {
                manager.put(uri, Map.of("Set-Cookie", values));
            } catch (IOException e) {
                throw new AdapterError(500, "internal", "CookieManager.put: " + e);
            }
            return obj();
        }

        private Map<String, Object> get(Map<String, Object> op) throws AdapterError {
            URI uri = uriOf(op);
            List<String> values;
            try {
                values = manager.get(uri, Map.of()).get("Cookie");
            } catch (IOException e) {
                throw new AdapterError(500, "internal", "CookieManager.get: " + e);
            }
            boolean none = values == null || values.isEmpty();
            return obj("cookie", none ? null : b64(String.join("; ", values)));
        }

        private Map<String, Object> dump() {
            List<Object> out = new ArrayList<>();
            for (HttpCookie c : manager.getCookieStore().getCookies()) { // drops expired ones
                String domain = c.getDomain() == null ? null : c.getDomain().toLowerCase();
                if (domain != null && domain.startsWith(".")) domain = domain.substring(1);
                boolean persistent = c.getMaxAge() != -1;
                out.add(obj(
                        "name", b64(c.getName()),
                        "value", b64(c.getValue() == null ? "" : c.getValue()),
                        "domain", domain,
                        "path", c.getPath() == null ? null : b64(c.getPath()),
                        "host_only", null, // HttpCookie has no host-only flag
                        "secure", c.getSecure(),
                        "http_only", c.isHttpOnly(),
                        "same_site", null, // HttpCookie ignores SameSite
                        "persistent", persistent,
                        "expires", null, // HttpCookie keeps Max-Age relative to a private creation time
                        "partition_key", null));
            }
            return obj("cookies", out);
        }
    }

    static URI uriOf(Map<String, Object> op) throws AdapterError {
        Object url = op.get("url");
        if (!(url instanceof String)) throw bad("field `url` missing or not a string");
        Object ctx = op.get("context");
        if (ctx instanceof Map && "script".equals(((Map<?, ?>) ctx).get("api"))) {
            throw unsupported("CookieManager has no non-HTTP (script) API");
        }
        try {
            URI uri = new URI((String) url);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw unsupported("java.net.URI finds no scheme or server host in the URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw unsupported("java.net.URI rejects the URL: " + e.getMessage());
        }
    }

    static final Map<String, Session> SESSIONS = new ConcurrentHashMap<>();
    static final AtomicLong NEXT_ID = new AtomicLong();

    static Map<String, Object> info() {
        return obj(
                "protocol", PROTOCOL,
                "name", "java-cookiemanager",
                "library", "java.net.CookieManager (JDK)",
                "version", Runtime.version().toString(),
                "runtime", System.getProperty("java.vm.name") + " " + Runtime.version(),
                "configuration", "new CookieManager(null, CookiePolicy.ACCEPT_ALL) with the default "
                        + "in-memory CookieStore; no public suffix list; real clock only",
                "parallel", true,
                "capabilities", obj(
                        "virtual_clock", false,
                        "script_api", false,
                        "same_site_contexts", false,
                        "partitioned", false,
                        "third_party_policies", List.of("allow"),
                        "profiles", PROFILES,
                        "configurable", List.of(),
                        "storage_dump", true,
                        "public_suffix_list", null));
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

    static void answer(HttpExchange ex, int status, Object body) throws IOException {
        byte[] data = Json.write(body).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, data.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(data);
        }
    }

    @SuppressWarnings("unchecked")
    static void handle(HttpExchange ex) throws IOException {
        try {
            String text = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Object body;
            try {
                body = text.isBlank() ? obj() : Json.parse(text);
            } catch (IllegalArgumentException e) {
                throw bad(e.getMessage());
            }
            if (!(body instanceof Map)) throw bad("body is not an object");
            String path = ex.getRequestURI().getPath().replaceAll("^/+|/+$", "");
            String[] parts = path.split("/");
            if (ex.getRequestMethod().equals("POST") && path.equals("shutdown")) {
                answer(ex, 200, obj());
                new Thread(() -> System.exit(0)).start();
                return;
            }
            answer(ex, 200, route(ex.getRequestMethod(), parts, (Map<String, Object>) body));
        } catch (AdapterError e) {
            answer(ex, e.status, obj("error", e.getMessage(), "kind", e.kind));
        } catch (RuntimeException e) {
            answer(ex, 500, obj("error", e.toString(), "kind", "internal"));
        }
    }

    public static void main(String[] args) throws IOException {
        int port = 0;
        for (int k = 0; k + 1 < args.length; k++) if (args[k].equals("--port")) port = Integer.parseInt(args[k + 1]);
        // Read by the JDK's server when it is first created: TCP_NODELAY on accepted sockets,
        // and idle keep-alive connections kept for an hour instead of 30 s.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        System.setProperty("sun.net.httpserver.idleInterval", "3600");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        server.createContext("/", Adapter::handle);
        server.setExecutor(Executors.newFixedThreadPool(Math.max(4, Runtime.getRuntime().availableProcessors() * 2)));
        server.start();
        System.out.println("LISTENING " + server.getAddress().getPort());
        System.out.flush();
    }
}
