// Reproducer: limits::name and value of 4097 octets are rejected and leave the old cookie [rfc6265bis] on java-cookiemanager
//
// Library:  java.net.CookieManager (JDK) 17.0.15+6-Debian-1deb12u1
// Target:   java.net.CookieManager (JDK) OpenJDK 17 (Debian openjdk-17-jdk-headless), as java.net.http.HttpClient with cookieHandler(new CookieManager()) drives it, through its adapter (checked against that client by `fidelity`)
// Case:     cases/limits/name-value-size.yaml:12 (cookie-conformance corpus)
// Spec:     RFC 6265bis-22 §5.6 step 5  https://datatracker.ietf.org/doc/html/draft-ietf-httpbis-rfc6265bis-22#section-5.6
//           RFC 6265bis-22 §5.7 step 4  https://datatracker.ietf.org/doc/html/draft-ietf-httpbis-rfc6265bis-22#section-5.7
//
// Recorded on java.net.CookieManager (JDK) 17.0.15+6-Debian-1deb12u1 (2026-12-07T04:30:01Z): xfail, at step 3
//   observed: Cookie: "a=vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
//   expected: Cookie: "a=old"
// Known divergence (expected-failures file): java.net.HttpCookie has no size limits: neither the 4096-octet name+value limit nor the 1024-octet attribute-value limit of §5.6 is applied
//
// What the spec says happens, step by step (the reference jar's account):
//   1. stored: a=old domain=example.com path=/ host-only same-site=Default session
//   2. rejected: the cookie name and value together exceed 4096 octets [§5.6 step 5]
//   3. sends "a=old"
//
// It prints each request's Cookie header next to what the spec expects, and exits 1 while
// the jar diverges from the spec, 0 once it follows it.
// Generated by: cookie-conformance repro --target java-cookiemanager 'limits::name and value of 4097 octets are rejected and leave the old cookie [rfc6265bis]'
//
// Run: java THIS_FILE   (OpenJDK 17, single-file source launch)
//
// The jar is driven as java.net.http.HttpClient drives it when built with
// HttpClient.newBuilder().cookieHandler(new CookieManager()).build(): a response's header block
// goes through the JDK's own HTTP/1.1 parser (jdk.internal.net.http.Http1HeaderParser: HTAB
// becomes SP, values are trimmed, a control character fails the request), then all its fields go
// to CookieManager.put(uri, headers) in one call; the request's Cookie header is the "Cookie"
// values of CookieManager.get(uri, {}) that the client accepts (Utils.isValidValue), joined with
// "; " and sent as US-ASCII (non-ASCII chars become '?'). ws/wss URLs are WebSocket handshakes,
// whose request URI is http/https.
//
// The program starts itself again with the JVM options the parser needs (--add-opens) and, when
// Debian's libfaketime is installed, under libfaketimeMT with a timestamp file, so that
// HttpCookie's System.currentTimeMillis() answers the case's clock: it starts at the case's start
// time and `advance` moves it. Without libfaketime the real clock runs and `advance` sleeps.
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.ProtocolException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public class Repro {
    static final String FAKETIME = "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1";
    // What HttpClient.newBuilder().cookieHandler(new CookieManager()) holds: the default policy
    // (ACCEPT_ORIGINAL_SERVER) and in-memory store.
    static final CookieManager MANAGER = new CookieManager();
    static final List<Integer> DIVERGED = new ArrayList<>();
    static long clock = 1767225600L; // the case's clock, Unix seconds
    static Path clockFile;

    /** Shows `clock` to the JVM's wall clock (libfaketime reads the file on every call). */
    static void showClock() throws Exception {
        if (clockFile == null) return;
        Path tmp = clockFile.resolveSibling(clockFile.getFileName() + ".new");
        String date = LocalDateTime.ofEpochSecond(clock, 0, ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss"));
        Files.writeString(tmp, date + "\n");
        Files.move(tmp, clockFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static void advance(long seconds) throws Exception {
        clock += seconds;
        if (clockFile == null) Thread.sleep(seconds * 1000);
    }

    /** The URI HttpClient's CookieFilter hands to the cookie handler. */
    static URI requestUri(String url) throws Exception {
        URI uri = new URI(url);
        String scheme = uri.getScheme();
        if ("ws".equalsIgnoreCase(scheme) || "wss".equalsIgnoreCase(scheme)) {
            Class<?> handshake = Class.forName("jdk.internal.net.http.websocket.OpeningHandshake");
            Method check = handshake.getDeclaredMethod("checkURI", URI.class);
            Method toHttp = handshake.getDeclaredMethod("createRequestURI", URI.class);
            check.setAccessible(true);
            toHttp.setAccessible(true);
            check.invoke(null, uri);
            return (URI) toHttp.invoke(null, uri);
        }
        HttpRequest.newBuilder(uri); // throws for a URI HttpClient cannot request
        return uri;
    }

    static String cookieHeader(URI uri) throws Exception {
        Method isValidValue = Class.forName("jdk.internal.net.http.common.Utils").getMethod("isValidValue", String.class);
        Map<String, List<String>> system = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : MANAGER.get(uri, Map.of()).entrySet()) {
            if (!"Cookie".equalsIgnoreCase(e.getKey()) && !"Cookie2".equalsIgnoreCase(e.getKey())) continue;
            for (String v : e.getValue()) {
                if ((Boolean) isValidValue.invoke(null, v)) system.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(v);
            }
        }
        List<String> values = HttpHeaders.of(system, (n, v) -> true).allValues("Cookie");
        if (values.isEmpty()) return null;
        byte[] wire = String.join("; ", values).getBytes(StandardCharsets.US_ASCII);
        return new String(wire, StandardCharsets.ISO_8859_1).strip();
    }

    /** A response from `url` with these Set-Cookie lines (one octet per char, as written here). */
    static void setCookies(String url, String... lines) throws Exception {
        showClock();
        URI uri = requestUri(url);
        cookieHeader(uri); // the request goes out first (CookieFilter.request)
        StringBuilder head = new StringBuilder("HTTP/1.1 200 OK\r\n");
        for (String line : lines) head.append("Set-Cookie: ").append(line).append("\r\n");
        head.append("\r\n");
        Class<?> parserClass = Class.forName("jdk.internal.net.http.Http1HeaderParser");
        Constructor<?> make = parserClass.getDeclaredConstructor();
        Method parse = parserClass.getDeclaredMethod("parse", ByteBuffer.class);
        Method headers = parserClass.getDeclaredMethod("headers");
        make.setAccessible(true);
        parse.setAccessible(true);
        headers.setAccessible(true);
        Object parser = make.newInstance();
        try {
            parse.invoke(parser, ByteBuffer.wrap(head.toString().getBytes(StandardCharsets.ISO_8859_1)));
        } catch (InvocationTargetException e) {
            if (!(e.getCause() instanceof ProtocolException)) throw e;
            System.out.println("HttpClient refuses this response (" + e.getCause().getMessage() + "): no cookie of it is stored");
            return;
        }
        MANAGER.put(uri, ((HttpHeaders) headers.invoke(parser)).map());
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
        showClock();
        String observed = cookieHeader(requestUri(url));
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

    /** The stored cookies, with the fields HttpCookie has (no host-only flag, SameSite or expiry). */
    static List<Map<String, String>> dump() {
        List<Map<String, String>> out = new ArrayList<>();
        for (HttpCookie c : MANAGER.getCookieStore().getCookies()) { // drops expired ones
            String domain = c.getDomain() == null ? "null" : c.getDomain().toLowerCase();
            if (domain.startsWith(".")) domain = domain.substring(1);
            Map<String, String> m = new LinkedHashMap<>();
            m.put("name", c.getName());
            m.put("value", c.getValue() == null ? "" : c.getValue());
            m.put("domain", domain);
            m.put("path", c.getPath() == null ? "null" : c.getPath());
            m.put("secure", String.valueOf(c.getSecure()));
            m.put("http_only", String.valueOf(c.isHttpOnly()));
            m.put("persistent", String.valueOf(c.getMaxAge() != -1));
            m.put("partition_key", "null");
            out.add(m);
        }
        return out;
    }

    static void expectStored(int step, List<Map<String, String>> expected) throws Exception {
        showClock();
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
        for (Map<String, String> c : stored) System.out.println("  stored:   " + c);
        for (Map<String, String> spec : expected) System.out.println("  expected: " + spec);
        System.out.println(ok ? "  ok" : "  DIVERGES from the spec");
        if (!ok) DIVERGED.add(step);
    }

    /** Starts this program again with the parser opened and, if installed, under libfaketime. */
    static int relaunch() throws Exception {
        ProcessHandle.Info self = ProcessHandle.current().info();
        List<String> command = new ArrayList<>();
        command.add(self.command().orElse("java"));
        command.addAll(List.of("-Drepro.child=1",
                "--add-opens", "java.net.http/jdk.internal.net.http=ALL-UNNAMED",
                "--add-opens", "java.net.http/jdk.internal.net.http.websocket=ALL-UNNAMED",
                "--add-opens", "java.net.http/jdk.internal.net.http.common=ALL-UNNAMED"));
        command.addAll(Arrays.asList(self.arguments().orElseThrow(() -> new IllegalStateException("cannot read this JVM's arguments"))));
        ProcessBuilder child = new ProcessBuilder(command).inheritIO();
        Path file = null;
        if (Files.isReadable(Path.of(FAKETIME))) {
            file = Files.createTempFile("repro-clock", "");
            Files.writeString(file, "+0\n");
            child.environment().putAll(Map.of("LD_PRELOAD", FAKETIME, "FAKETIME_TIMESTAMP_FILE", file.toString(),
                    "FAKETIME_NO_CACHE", "1", "FAKETIME_DONT_FAKE_MONOTONIC", "1", "FAKETIME_FORCE_MONOTONIC_FIX", "0", "TZ", "UTC"));
        } else {
            System.out.println("(libfaketime is not installed: the real clock runs and advance sleeps)");
        }
        try {
            return child.start().waitFor();
        } finally {
            if (file != null) {
                Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".new"));
                Files.deleteIfExists(file);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("repro.child") == null) System.exit(relaunch());
        String file = System.getenv("FAKETIME_TIMESTAMP_FILE");
        if (file != null) clockFile = Path.of(file);
        setCookies("https://example.com/", "a=old");
        setCookies("https://example.com/", "a=vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv");
        expectCookie(3, "https://example.com/", new String[] {"a=old"});
        System.exit(DIVERGED.isEmpty() ? 0 : 1);
    }
}
