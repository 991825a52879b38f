// Reproducer: limits::name of 4097 octets with an empty value is rejected [rfc6265bis] on java-httpclient5
//
// Library:  Apache HttpClient 5.2.1
// Target:   Apache HttpClient 5 (Debian libhttpclient5-java) 5.2.1 (Debian 12 libhttpclient5-java 5.2.1-1, libhttpcore5-java 5.2.1-1), OpenJDK 17, as HttpClients.custom().build() (CloseableHttpClient, default BasicCookieStore and cookie specs) drives it, through its adapter (checked against that client by `fidelity`)
// Case:     cases/limits/name-value-size.yaml:27 (cookie-conformance corpus)
// Spec:     RFC 6265bis-22 §5.6 step 5  https://datatracker.ietf.org/doc/html/draft-ietf-httpbis-rfc6265bis-22#section-5.6
//
// Recorded on Apache HttpClient 5.2.1 (2026-12-07T04:30:01Z): xfail, at step 2
//   observed: Cookie: "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn="
//   expected: (no Cookie header)
// Known divergence (expected-failures file): no name+value size limit: the 4097-octet name is stored and sent
//
// What the spec says happens, step by step (the reference jar's account):
//   1. rejected: the cookie name and value together exceed 4096 octets [§5.6 step 5]
//   2. sends (no Cookie header)
//
// It prints each request's Cookie header next to what the spec expects, and exits 1 while
// the jar diverges from the spec, 0 once it follows it.
// Generated by: cookie-conformance repro --target java-httpclient5 'limits::name of 4097 octets with an empty value is rejected [rfc6265bis]'
//
// Run (OpenJDK 17 and Debian 12's libhttpclient5-java, libhttpcore5-java, libslf4j-java and
// libfaketime; single-file source launch):
//   java -cp /usr/share/java/httpclient5.jar:/usr/share/java/httpcore5.jar:/usr/share/java/httpcore5-h2.jar:/usr/share/java/slf4j-api.jar:/usr/share/java/slf4j-nop.jar THIS_FILE
//
// The client is HttpClients.custom().setDefaultCookieStore(new BasicCookieStore()) with the
// default cookie spec registry, as HttpClients.createDefault() builds it; its connections lead to
// a server in memory that answers each request with the step's Set-Cookie lines as raw bytes, so
// HttpClient's own response parser, ResponseProcessCookies and RequestAddCookies run, and the
// Cookie header is read back from the bytes the client wrote. The library reads the clock through
// Instant.now(): this program re-runs itself with libfaketime preloaded and moves that clock.
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.cookie.BasicCookieStore;
import org.apache.hc.client5.http.cookie.Cookie;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.socket.ConnectionSocketFactory;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.config.RegistryBuilder;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.util.TimeValue;

public class Repro {
    static final String FAKETIME = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1";
    static final List<Integer> DIVERGED = new ArrayList<>();
    static final BasicCookieStore STORE = new BasicCookieStore(); // the builder's default store
    static final Wire WIRE = new Wire();
    static CloseableHttpClient client;
    static long now = 1767225600L;

    // ---- The virtual clock: libfaketime re-reads this file at every clock read; it holds an
    // offset from the real clock so that Instant.now() reads `now` + 1 ms and runs from there.
    static Path clockFile;
    static BigDecimal offset = BigDecimal.ZERO;

    static void showClock() throws IOException {
        Instant seen = Instant.now();
        BigDecimal real = BigDecimal.valueOf(seen.getEpochSecond())
                .add(BigDecimal.valueOf(seen.getNano()).movePointLeft(9)).subtract(offset);
        offset = BigDecimal.valueOf(now).subtract(real).add(new BigDecimal("0.001"));
        Path tmp = clockFile.resolveSibling(clockFile.getFileName() + ".new");
        Files.writeString(tmp, (offset.signum() >= 0 ? "+" : "") + offset.toPlainString() + "\n");
        Files.move(tmp, clockFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static void advance(long seconds) throws IOException {
        now += seconds;
        showClock();
    }

    // ---- One request through the client.
    static void fetch(String url, List<byte[]> lines) throws Exception {
        WIRE.plan(lines);
        client.execute(new HttpGet(url), response -> {
            EntityUtils.consume(response.getEntity());
            return null;
        });
    }

    static void setCookies(String url, String... lines) throws Exception {
        List<byte[]> raw = new ArrayList<>();
        for (String l : lines) raw.add(l.getBytes(StandardCharsets.ISO_8859_1)); // one char per octet
        fetch(url, raw);
    }

    /** Octets for people and for machines: printable ASCII as is, the rest as \xNN. */
    static String shown(String v) {
        if (v == null) return "(no Cookie header)";
        StringBuilder b = new StringBuilder("\"");
        for (char c : v.toCharArray()) {
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') b.append(c);
            else if (c < 0x100) b.append(String.format("\\x%02x", (int) c));
            else b.append(String.format("\\u%04x", (int) c));
        }
        return b.append('"').toString();
    }

    static void expectCookie(int step, String url, String[] expected) throws Exception {
        fetch(url, List.of());
        String observed = WIRE.cookieHeader;
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

    /** The stored cookies (after the expiry RequestAddCookies applies), as the adapter dumps them. */
    static List<Map<String, String>> dump() {
        STORE.clearExpired(Instant.now());
        List<Map<String, String>> out = new ArrayList<>();
        for (Cookie c : STORE.getCookies()) {
            String domain = c.getDomain() == null ? "null" : c.getDomain().toLowerCase(Locale.ROOT);
            if (domain.startsWith(".")) domain = domain.substring(1);
            Map<String, String> m = new LinkedHashMap<>();
            m.put("name", c.getName());
            m.put("value", c.getValue() == null ? "" : c.getValue());
            m.put("domain", domain);
            m.put("path", String.valueOf(c.getPath()));
            m.put("host_only", String.valueOf(!c.containsAttribute(Cookie.DOMAIN_ATTR)));
            m.put("secure", String.valueOf(c.isSecure()));
            m.put("http_only", String.valueOf(c.isHttpOnly()));
            m.put("persistent", String.valueOf(c.isPersistent()));
            m.put("expires", c.getExpiryInstant() == null ? "null" : String.valueOf(c.getExpiryInstant().getEpochSecond()));
            m.put("partition_key", "null");
            out.add(m);
        }
        return out;
    }

    static void expectStored(int step, List<Map<String, String>> expected) {
        List<Map<String, String>> stored = dump();
        // Each expected entry (only the fields it gives) must match a different stored cookie.
        List<Map<String, String>> free = new ArrayList<>(stored);
        boolean ok = expected.size() == stored.size();
        for (Map<String, String> spec : expected) {
            Map<String, String> match = null;
            for (Map<String, String> c : free) {
                boolean all = true;
                for (Map.Entry<String, String> f : spec.entrySet()) all &= f.getValue().equals(c.get(f.getKey()));
                if (all) { match = c; break; }
            }
            if (match == null) ok = false;
            else free.remove(match);
        }
        System.out.println("step " + step + ": the jar holds " + stored.size() + " cookie(s)");
        for (Map<String, String> c : stored) System.out.println("  stored:   " + shownMap(c));
        for (Map<String, String> spec : expected) System.out.println("  expected: " + shownMap(spec));
        System.out.println(ok ? "  ok" : "  DIVERGES from the spec");
        if (!ok) DIVERGED.add(step);
    }

    static String shownMap(Map<String, String> m) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, String> e : m.entrySet()) parts.add(e.getKey() + "=" + shown(e.getValue()));
        return "{" + String.join(", ", parts) + "}";
    }

    /** Runs this same command again with libfaketime preloaded, and exits with its status. */
    static void relaunchUnderFaketime() throws Exception {
        if (!Files.exists(Path.of(FAKETIME))) {
            System.err.println("libfaketime is missing: apt-get install libfaketime");
            System.exit(2);
        }
        ProcessHandle.Info self = ProcessHandle.current().info();
        List<String> command = new ArrayList<>();
        command.add(self.command().orElse("java"));
        command.addAll(Arrays.asList(self.arguments().orElseThrow(() -> new IllegalStateException("cannot read this process's arguments"))));
        Path file = Files.createTempFile("repro-clock", ".txt");
        int status;
        try {
            Files.writeString(file, "+0\n");
            ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
            Map<String, String> env = pb.environment();
            env.put("LD_PRELOAD", FAKETIME);
            env.put("FAKETIME_TIMESTAMP_FILE", file.toString());
            env.put("FAKETIME_NO_CACHE", "1");
            env.put("FAKETIME_DONT_FAKE_MONOTONIC", "1");
            env.put("FAKETIME_FORCE_MONOTONIC_FIX", "0");
            env.put("TZ", "UTC");
            status = pb.start().waitFor();
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".new"));
        }
        System.exit(status);
    }

    public static void main(String[] args) throws Exception {
        String file = System.getenv("FAKETIME_TIMESTAMP_FILE");
        if (file == null) {
            relaunchUnderFaketime();
            return;
        }
        clockFile = Path.of(file);
        showClock();
        client = HttpClients.custom().setDefaultCookieStore(STORE).setConnectionManager(WIRE.connectionManager()).build();
        setCookies("https://example.com/", "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn=");
        expectCookie(2, "https://example.com/", new String[] {null});
        System.exit(DIVERGED.isEmpty() ? 0 : 1);
    }

    /**
     * An HTTP/1.1 server in memory: the client's sockets collect the request and then yield the
     * planned response, as the runner's loopback server writes it (status, headers, the
     * Set-Cookie lines as raw bytes, a small body, keep-alive).
     */
    static final class Wire {
        static final byte[] BODY = "<!doctype html><title>cookie-conformance</title>".getBytes(StandardCharsets.US_ASCII);
        List<byte[]> planned = List.of();
        String cookieHeader;

        void plan(List<byte[]> lines) {
            planned = lines;
            cookieHeader = null;
        }

        PoolingHttpClientConnectionManager connectionManager() {
            ConnectionSocketFactory factory = new ConnectionSocketFactory() {
                @Override
                public Socket createSocket(HttpContext context) {
                    return new MemorySocket();
                }

                @Override
                public Socket connectSocket(TimeValue t, Socket s, HttpHost h, InetSocketAddress r, InetSocketAddress l, HttpContext c) {
                    return s;
                }
            };
            DnsResolver loopback = new DnsResolver() {
                @Override
                public InetAddress[] resolve(String host) {
                    return new InetAddress[] {InetAddress.getLoopbackAddress()};
                }

                @Override
                public String resolveCanonicalHostname(String host) {
                    return host;
                }
            };
            return new PoolingHttpClientConnectionManager(
                    RegistryBuilder.<ConnectionSocketFactory>create().register("http", factory).register("https", factory).build(),
                    null, null, null, null, loopback, null);
        }

        byte[] answer(byte[] head) {
            List<String> cookies = new ArrayList<>();
            String[] lines = new String(head, StandardCharsets.ISO_8859_1).split("\r?\n", -1);
            for (int k = 1; k < lines.length; k++) {
                int colon = lines[k].indexOf(':');
                if (colon < 0 || !lines[k].substring(0, colon).equalsIgnoreCase("cookie")) continue;
                cookies.add(lines[k].substring(colon + 1).replaceAll("^[ \t]+|[ \t]+$", ""));
            }
            cookieHeader = cookies.isEmpty() ? null : String.join("; ", cookies);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(("HTTP/1.1 200 OK\r\nCache-Control: no-store\r\nContent-Type: text/html; charset=utf-8\r\n"
                    + "Content-Length: " + BODY.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (byte[] line : planned) {
                out.writeBytes("Set-Cookie: ".getBytes(StandardCharsets.US_ASCII));
                out.writeBytes(line);
                out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(BODY);
            planned = List.of(); // requests beyond the plan get no cookies
            return out.toByteArray();
        }

        final class MemorySocket extends Socket {
            final ByteArrayOutputStream request = new ByteArrayOutputStream();
            byte[] pending = new byte[0];
            int pos;
            boolean closed;
            int timeout;

            void received() {
                byte[] sent = request.toByteArray();
                for (int k = 0; k + 3 < sent.length; k++) {
                    if (sent[k] == '\r' && sent[k + 1] == '\n' && sent[k + 2] == '\r' && sent[k + 3] == '\n') {
                        request.reset();
                        request.write(sent, k + 4, sent.length - k - 4);
                        byte[] more = answer(Arrays.copyOf(sent, k + 4));
                        byte[] rest = Arrays.copyOfRange(pending, pos, pending.length);
                        pending = Arrays.copyOf(rest, rest.length + more.length);
                        System.arraycopy(more, 0, pending, rest.length, more.length);
                        pos = 0;
                        return;
                    }
                }
            }

            final InputStream in = new InputStream() {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (closed) throw new SocketException("Socket closed");
                    if (len == 0) return 0;
                    if (pos >= pending.length) throw new SocketTimeoutException("Read timed out");
                    int n = Math.min(len, pending.length - pos);
                    System.arraycopy(pending, pos, b, off, n);
                    pos += n;
                    return n;
                }
            };

            final OutputStream out = new OutputStream() {
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
        }
    }
}
