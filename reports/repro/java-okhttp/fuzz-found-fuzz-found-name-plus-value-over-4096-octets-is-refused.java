// Reproducer: fuzz-found::fuzz-found: name plus value over 4096 octets is refused [rfc6265bis] on java-okhttp
//
// Library:  OkHttp (okhttp3) with JavaNetCookieJar 3.13.1
// Target:   OkHttp 3 (okhttp3) with its JavaNetCookieJar over java.net.CookieManager 3.13.1 (Debian libokhttp-java), okio 1.16.0, OpenJDK 17, as OkHttpClient with cookieJar(new JavaNetCookieJar(new CookieManager())) drives it, through its adapter (checked against that client by `fidelity`)
// Case:     cases/fuzz-found/jar-786a8000.yaml:5 (cookie-conformance corpus)
// Spec:     RFC 6265bis-22 §5.6  https://datatracker.ietf.org/doc/html/draft-ietf-httpbis-rfc6265bis-22#section-5.6
//           RFC 6265bis-22 §6.1  https://datatracker.ietf.org/doc/html/draft-ietf-httpbis-rfc6265bis-22#section-6.1
//
// Recorded on OkHttp (okhttp3) with JavaNetCookieJar 3.13.1 (2026-12-07T04:30:01Z): xfail, at step 2
//   observed: Cookie: "nn=vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
//   expected: (no Cookie header)
// Known divergence (expected-failures file): no name-plus-value size limit: Cookie.parse and CookieManager accept a cookie over 4096 octets
//
// What the spec says happens, step by step (the reference jar's account):
//   1. rejected: the cookie name and value together exceed 4096 octets [§5.6 step 5]
//   2. sends (no Cookie header)
//
// It prints each request's Cookie header next to what the spec expects, and exits 1 while
// the jar diverges from the spec, 0 once it follows it.
// Generated by: cookie-conformance repro --target java-okhttp 'fuzz-found::fuzz-found: name plus value over 4096 octets is refused [rfc6265bis]'
//
// Run: java -cp /usr/share/java/okhttp.jar:/usr/share/java/okhttp-urlconnection.jar:/usr/share/java/okio.jar THIS_FILE
//   (Debian 12: apt-get install openjdk-17-jdk-headless libokhttp-java libokio-java libfaketime;
//   single-file source launch, JDK 11 or later, tested on OpenJDK 17)
//
// The jar is OkHttp 3's cookie path with cookieJar(new JavaNetCookieJar(new CookieManager())):
// each request goes through OkHttp's own BridgeInterceptor, which loads the Cookie header from
// the jar and saves the response's cookies (Cookie.parseAll), and the response is read from its
// raw bytes by OkHttp's own HTTP/1 codec (Http1Codec), which decodes header lines as UTF-8. The
// Cookie header's bytes are what the same codec writes. The clock: OkHttp and java.net.HttpCookie
// read System.currentTimeMillis(), so this program runs itself again under libfaketime
// (LD_PRELOAD) and shows the case's virtual time through a timestamp file of its own.
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Connection;
import okhttp3.Interceptor;
import okhttp3.JavaNetCookieJar;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okhttp3.internal.http.BridgeInterceptor;
import okhttp3.internal.http1.Http1Codec;
import okio.Buffer;

public class Repro {
    static final String FAKETIME = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1";
    static final CookieManager MANAGER = new CookieManager(); // CookiePolicy.ACCEPT_ORIGINAL_SERVER
    static final BridgeInterceptor BRIDGE = new BridgeInterceptor(new JavaNetCookieJar(MANAGER));
    static final List<Integer> DIVERGED = new ArrayList<>();
    static long now = 1767225600L; // the case's virtual clock, Unix seconds

    // ---- the clock: a libfaketime offset ("+S.NNNNNNNNN" seconds from the real clock) ----
    static Path clockFile;
    static long baseRealMillis, baseNanos;

    static void writeClock(String line) throws IOException {
        Path tmp = clockFile.resolveSibling(clockFile.getFileName() + ".new");
        Files.write(tmp, (line + "\n").getBytes(StandardCharsets.US_ASCII));
        Files.move(tmp, clockFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Shows `now` to System.currentTimeMillis() (now*1000 plus the milliseconds since). */
    static void showClock() throws Exception {
        for (int attempt = 0; attempt < 20; attempt++) {
            long realNanos = baseRealMillis * 1_000_000L + (System.nanoTime() - baseNanos);
            long offset = now * 1_000_000_000L + 100_000L - realNanos;
            writeClock(String.format(Locale.ROOT, "%s%d.%09d", offset < 0 ? "-" : "+",
                    Math.abs(offset) / 1_000_000_000L, Math.abs(offset) % 1_000_000_000L));
            Thread.sleep(3); // let a JVM thread that read the old line finish with it
            if (Math.floorDiv(System.currentTimeMillis(), 1000) == now) return;
        }
        throw new IllegalStateException("libfaketime does not show Unix time " + now);
    }

    // ---- OkHttp's cookie path for one request and its response ----
    static {
        try { // installs okhttp3.internal.Internal, which the codec's readHeaders goes through
            Class.forName(OkHttpClient.class.getName());
        } catch (ClassNotFoundException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static final class Exchange implements Interceptor.Chain {
        final Request request;
        final byte[] responseHead;
        byte[] cookieHeader;

        Exchange(Request request, byte[] responseHead) {
            this.request = request;
            this.responseHead = responseHead;
        }

        public Request request() { return request; }
        public Connection connection() { return null; }
        public Call call() { return null; }
        public int connectTimeoutMillis() { return 10_000; }
        public Interceptor.Chain withConnectTimeout(int t, TimeUnit u) { return this; }
        public int readTimeoutMillis() { return 10_000; }
        public Interceptor.Chain withReadTimeout(int t, TimeUnit u) { return this; }
        public int writeTimeoutMillis() { return 10_000; }
        public Interceptor.Chain withWriteTimeout(int t, TimeUnit u) { return this; }

        public Response proceed(Request sent) throws IOException {
            Buffer toServer = new Buffer();
            Http1Codec codec = new Http1Codec(null, null, new Buffer().write(responseHead), toServer);
            codec.writeRequest(sent.headers(), sent.method() + " " + sent.url().encodedPath() + " HTTP/1.1");
            String head = toServer.readString(StandardCharsets.ISO_8859_1); // octets as chars
            int at = head.indexOf("\r\nCookie: ");
            if (at >= 0) {
                int start = at + "\r\nCookie: ".length();
                cookieHeader = head.substring(start, head.indexOf("\r\n", start)).getBytes(StandardCharsets.ISO_8859_1);
            }
            return codec.readResponseHeaders(false).request(sent).body(ResponseBody.create(null, new byte[0])).build();
        }
    }

    /** One GET of `url` answered with these Set-Cookie lines; the Cookie header's octets or null. */
    static byte[] exchange(String url, String... setCookie) throws Exception {
        showClock();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        head.writeBytes("HTTP/1.1 200 OK\r\nCache-Control: no-store\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: 0\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        for (String line : setCookie) { // each char of `line` is one octet
            head.writeBytes("Set-Cookie: ".getBytes(StandardCharsets.US_ASCII));
            head.writeBytes(line.getBytes(StandardCharsets.ISO_8859_1));
            head.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        head.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        Exchange chain = new Exchange(new Request.Builder().url(url).build(), head.toByteArray());
        BRIDGE.intercept(chain);
        return chain.cookieHeader;
    }

    static void setCookies(String url, String... lines) throws Exception {
        exchange(url, lines);
    }

    static void advance(long seconds) {
        now += seconds;
    }

    /** Octets for people and for machines: printable ASCII as is, the rest as \xNN. */
    static String shown(String v) {
        if (v == null) return "(no Cookie header)";
        StringBuilder b = new StringBuilder("\"");
        for (char c : v.toCharArray()) {
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') b.append(c);
            else b.append(String.format("\\x%02x", (int) c));
        }
        return b.append('"').toString();
    }

    static void expectCookie(int step, String url, String[] expected) throws Exception {
        byte[] header = exchange(url);
        String observed = header == null ? null : new String(header, StandardCharsets.ISO_8859_1);
        boolean ok = false;
        List<String> shownExpected = new ArrayList<>();
        for (String e : expected) {
            shownExpected.add(shown(e));
            if (e == null ? observed == null : e.equals(observed)) ok = true;
        }
        System.out.println("step " + step + ": GET " + url);
        System.out.println("  observed: " + shown(observed));
        System.out.println("  expected: " + String.join(" or ", shownExpected));
        System.out.println(ok ? "  ok" : "  DIVERGES from the spec");
        if (!ok) DIVERGED.add(step);
    }

    static String octets(String s) { // a decoded string as the UTF-8 octets OkHttp would write
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    /** CookieManager's store (no host-only flag, SameSite or absolute expiry in HttpCookie). */
    static List<Map<String, String>> dump() throws Exception {
        showClock();
        List<Map<String, String>> out = new ArrayList<>();
        for (HttpCookie c : MANAGER.getCookieStore().getCookies()) { // drops expired ones
            String domain = c.getDomain() == null ? "null" : c.getDomain().toLowerCase(Locale.ROOT);
            if (domain.startsWith(".")) domain = domain.substring(1);
            Map<String, String> m = new LinkedHashMap<>();
            m.put("name", octets(c.getName()));
            m.put("value", octets(c.getValue() == null ? "" : c.getValue()));
            m.put("domain", domain);
            m.put("path", c.getPath() == null ? "null" : octets(c.getPath()));
            m.put("secure", String.valueOf(c.getSecure()));
            m.put("http_only", String.valueOf(c.isHttpOnly()));
            m.put("persistent", String.valueOf(c.getMaxAge() != -1));
            m.put("partition_key", "null");
            out.add(m);
        }
        return out;
    }

    static void expectStored(int step, List<Map<String, String>> expected) throws Exception {
        List<Map<String, String>> stored = dump();
        // Each expected entry (only the fields it gives) must match a different stored cookie;
        // fields HttpCookie does not keep (host_only, same_site, expires) cannot be checked.
        List<Map<String, String>> free = new ArrayList<>(stored);
        boolean ok = expected.size() == stored.size();
        for (Map<String, String> spec : expected) {
            Map<String, String> match = null;
            for (Map<String, String> c : free) {
                boolean all = true;
                for (Map.Entry<String, String> f : spec.entrySet()) {
                    if (c.containsKey(f.getKey())) all &= f.getValue().equals(c.get(f.getKey()));
                }
                if (all) { match = c; break; }
            }
            if (match == null) ok = false;
            else free.remove(match);
        }
        System.out.println("step " + step + ": the jar holds " + stored.size() + " cookie(s)");
        for (Map<String, String> c : stored) System.out.println("  stored:   " + c);
        for (Map<String, String> spec : expected) System.out.println("  expected: " + spec);
        System.out.println(ok ? "  ok" : "  DIVERGES from the spec");
        if (!ok) DIVERGED.add(step);
    }

    static void steps() throws Exception {
        setCookies("https://example.com/", "nn=vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv");
        expectCookie(2, "https://example.com/", new String[] {null});
    }

    public static void main(String[] args) throws Exception {
        String file = System.getenv("FAKETIME_TIMESTAMP_FILE");
        if (file == null) {
            // Run this same command again under libfaketime, with a timestamp file of its own.
            Path clock = Files.createTempFile("repro-faketime", "");
            int status;
            try {
                Files.writeString(clock, "+0\n");
                ProcessHandle.Info me = ProcessHandle.current().info();
                List<String> command = new ArrayList<>();
                command.add(me.command().orElseThrow());
                command.addAll(List.of(me.arguments().orElseThrow()));
                ProcessBuilder child = new ProcessBuilder(command).inheritIO();
                Map<String, String> env = child.environment();
                env.put("LD_PRELOAD", FAKETIME);
                env.put("FAKETIME_TIMESTAMP_FILE", clock.toString());
                env.put("FAKETIME_NO_CACHE", "1");
                env.put("FAKETIME_DONT_FAKE_MONOTONIC", "1");
                env.put("FAKETIME_FORCE_MONOTONIC_FIX", "0"); // timed waits keep real deadlines
                env.put("TZ", "UTC");
                status = child.start().waitFor();
            } finally {
                Files.deleteIfExists(clock.resolveSibling(clock.getFileName() + ".new"));
                Files.deleteIfExists(clock);
            }
            System.exit(status);
        }
        clockFile = Path.of(file);
        writeClock("+0");
        baseNanos = System.nanoTime();
        baseRealMillis = System.currentTimeMillis();
        steps();
        System.exit(DIVERGED.isEmpty() ? 0 : 1);
    }
}
