import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.ProtocolException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What java.net.http.HttpClient (JDK 17) does around its CookieHandler, step for step, using the
 * JDK's own code wherever it exists:
 *
 * <ul>
 *   <li>the URI: HttpRequest.newBuilder(uri) accepts http and https URIs with a server host;
 *       a WebSocket (HttpClient.newWebSocketBuilder()) checks a ws/wss URI with
 *       OpeningHandshake.checkURI and sends its handshake to OpeningHandshake.createRequestURI
 *       (ws→http, wss→https). CookieFilter hands that request URI, port and all, to the handler.
 *   <li>a response: the header block is parsed by jdk.internal.net.http.Http1HeaderParser
 *       (bytes as ISO-8859-1, HTAB turned to SP, obs-fold joined, a bare CR or LF ending the
 *       line, values trimmed; a name or value it finds invalid makes it throw, and the client
 *       fails the request); CookieFilter.response then calls put(request URI, headers.map()).
 *   <li>a request: CookieFilter.request calls get(request URI, user headers) and adds every value
 *       of the "Cookie" and "Cookie2" entries that Utils.isValidValue accepts as a system header;
 *       HttpHeaders.of trims them; Http1Request.collectCookies writes them as one
 *       "Cookie: v1; v2" field, and the head is encoded as US-ASCII (a char above 0x7F is sent
 *       as '?').
 * </ul>
 *
 * <p>The internal classes are reached by reflection (run.sh opens java.net.http's packages to
 * the adapter): they are what the client runs, so nothing of their behaviour is re-implemented.
 */
final class HttpClientPath {
    /** The client cannot request the URL, or refuses the response: no cookie is exchanged. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    private static final Constructor<?> PARSER;
    private static final Method PARSE;
    private static final Method HEADERS;
    private static final Method CHECK_WS_URI;
    private static final Method WS_REQUEST_URI;

    static {
        try {
            Class<?> parser = Class.forName("jdk.internal.net.http.Http1HeaderParser");
            PARSER = parser.getDeclaredConstructor();
            PARSE = parser.getDeclaredMethod("parse", ByteBuffer.class);
            HEADERS = parser.getDeclaredMethod("headers");
            Class<?> handshake = Class.forName("jdk.internal.net.http.websocket.OpeningHandshake");
            CHECK_WS_URI = handshake.getDeclaredMethod("checkURI", URI.class);
            WS_REQUEST_URI = handshake.getDeclaredMethod("createRequestURI", URI.class);
            for (var m : List.of(PARSER, PARSE, HEADERS, CHECK_WS_URI, WS_REQUEST_URI)) m.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExceptionInInitializerError("java.net.http's internals are not reachable (run with run.sh's "
                    + "--add-opens): " + e);
        }
    }

    private HttpClientPath() {}

    /** The URI CookieFilter gives the cookie handler for a request to `url`. */
    static URI requestUri(String url) throws Refused {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new Refused("java.net.URI rejects the URL: " + e.getMessage());
        }
        String scheme = uri.getScheme();
        if ("ws".equalsIgnoreCase(scheme) || "wss".equalsIgnoreCase(scheme)) {
            try {
                CHECK_WS_URI.invoke(null, uri);
                return (URI) WS_REQUEST_URI.invoke(null, uri);
            } catch (InvocationTargetException e) {
                throw new Refused("HttpClient's WebSocket builder rejects the URI: " + e.getCause().getMessage());
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        try {
            HttpRequest.newBuilder(uri);
        } catch (IllegalArgumentException e) {
            throw new Refused("HttpRequest.newBuilder rejects the URI: " + e.getMessage());
        }
        return uri;
    }

    /** The response headers HttpClient makes of a response carrying these Set-Cookie lines. */
    static Map<String, List<String>> responseHeaders(List<byte[]> setCookieLines) throws Refused {
        ByteBuffer head = ByteBuffer.allocate(64 + setCookieLines.stream().mapToInt(l -> l.length + 16).sum());
        head.put("HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.US_ASCII));
        for (byte[] line : setCookieLines) {
            head.put("Set-Cookie: ".getBytes(StandardCharsets.US_ASCII)).put(line).put((byte) '\r').put((byte) '\n');
        }
        head.put((byte) '\r').put((byte) '\n').flip();
        try {
            Object parser = PARSER.newInstance();
            if (!(Boolean) PARSE.invoke(parser, head)) throw new Refused("the HTTP/1.1 header block never ends");
            return ((HttpHeaders) HEADERS.invoke(parser)).map();
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof ProtocolException) {
                throw new Refused("java.net.http.HttpClient's HTTP/1.1 parser refuses the response: "
                        + Text.printable(e.getCause().getMessage()));
            }
            throw new IllegalStateException("Http1HeaderParser: " + e.getCause(), e.getCause());
        } catch (InstantiationException | IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The Cookie field value HttpClient sends with what the handler's get() answered, as bytes; null: none. */
    static byte[] cookieHeader(Map<String, List<String>> fromHandler) {
        Map<String, List<String>> system = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : fromHandler.entrySet()) {
            String name = e.getKey();
            if (!"Cookie".equalsIgnoreCase(name) && !"Cookie2".equalsIgnoreCase(name)) continue;
            if (e.getValue() == null) continue;
            for (String v : e.getValue()) {
                if (jdk.internal.net.http.common.Utils.isValidValue(v)) system.computeIfAbsent(name, k -> new ArrayList<>()).add(v);
            }
        }
        List<String> values = HttpHeaders.of(system, (n, v) -> true).allValues("Cookie");
        if (values.isEmpty()) return null;
        byte[] field = String.join("; ", values).getBytes(StandardCharsets.US_ASCII);
        // The value as a server reads the field: without the whitespace around it.
        int start = 0, end = field.length;
        while (start < end && (field[start] == ' ' || field[start] == '\t')) start++;
        while (end > start && (field[end - 1] == ' ' || field[end - 1] == '\t')) end--;
        return java.util.Arrays.copyOfRange(field, start, end);
    }
}
