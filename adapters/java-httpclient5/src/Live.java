import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.SchemePortResolver;
import org.apache.hc.client5.http.cookie.BasicCookieStore;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.io.HttpClientConnectionManager;
import org.apache.hc.client5.http.ssl.NoopHostnameVerifier;
import org.apache.hc.client5.http.ssl.SSLConnectionSocketFactory;
import org.apache.hc.client5.http.ssl.TrustAllStrategy;
import org.apache.hc.core5.ssl.SSLContexts;

/**
 * The real client the java-httpclient5 adapter models, for the fidelity check
 * (`cookie-conformance fidelity`, protocol in cli/src/live/driven.rs): the same
 * {@code HttpClients.custom().setDefaultCookieStore(new BasicCookieStore())} client, fetching
 * each URL over a real socket from the runner's loopback server.
 *
 * <p>Its connection manager is {@code PoolingHttpClientConnectionManagerBuilder}'s with three
 * settings: a {@code DnsResolver} answering 127.0.0.1 for every host, a
 * {@code SchemePortResolver} giving the loopback server's port for http and https (used only
 * to connect: the route, the Host header, SNI and the cookie origin keep the URL's host and
 * port), and an {@code SSLConnectionSocketFactory} trusting the server's self-signed
 * certificate. The clock: libfaketime, as in the adapter ({@link FakeClock}; live.sh preloads
 * it), reads the fetch's {@code now} while it runs.
 */
public final class Live {
    static int httpPort;
    static int httpsPort;

    static final SchemePortResolver LOOPBACK_PORTS = host -> {
        String scheme = host.getSchemeName();
        if ("http".equalsIgnoreCase(scheme)) return httpPort;
        if ("https".equalsIgnoreCase(scheme)) return httpsPort;
        return -1; // as DefaultSchemePortResolver: the socket factory registry then refuses the scheme
    };

    static HttpClientConnectionManager connectionManager() throws GeneralSecurityException {
        SSLContext ssl = SSLContexts.custom().loadTrustMaterial(TrustAllStrategy.INSTANCE).build();
        return PoolingHttpClientConnectionManagerBuilder.create()
                .setSSLSocketFactory(new SSLConnectionSocketFactory(ssl, NoopHostnameVerifier.INSTANCE))
                .setDnsResolver(Clients.LOOPBACK_DNS)
                .setSchemePortResolver(LOOPBACK_PORTS)
                .build();
    }

    static void say(Object answer) {
        System.out.println(Json.write(answer));
        System.out.flush();
    }

    public static void main(String[] args) throws Exception {
        FakeClock clock = FakeClock.fromEnvironment();
        CloseableHttpClient client = null;
        boolean rebase = true;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) continue;
            Map<?, ?> op = (Map<?, ?>) Json.parse(line);
            Object kind = op.get("op");
            if ("reset".equals(kind)) {
                if (client != null) client.close();
                client = Clients.build(new BasicCookieStore(), connectionManager());
                rebase = true;
                say(Adapter.obj("ok", true, "virtual_clock", clock != null));
                continue;
            }
            if (!"fetch".equals(kind) || client == null) {
                say(Adapter.obj("error", "unknown op " + kind + " (or fetch before reset)", "kind", "failed"));
                continue;
            }
            httpPort = ((Long) op.get("http_port")).intValue();
            httpsPort = ((Long) op.get("https_port")).intValue();
            Object now = op.get("now");
            if (now instanceof Long && clock != null) {
                if (!FakeClock.showable((Long) now)) {
                    say(Adapter.obj("error", "the virtual clock covers the years 1 to 9999 only", "kind", "unsupported"));
                    continue;
                }
                // The first fetch after a reset re-bases the clock, as the adapter's reset does.
                clock.show((Long) now, rebase);
                rebase = false;
            }
            try {
                Clients.fetch(client, (String) op.get("url"));
                say(Adapter.obj("ok", true));
            } catch (Clients.Refused e) {
                say(Adapter.obj("error", e.getMessage(), "kind", "unsupported"));
            } catch (RuntimeException e) {
                say(Adapter.obj("error", Clients.describe(e), "kind", "failed"));
            }
        }
        if (client != null) client.close();
    }
}
