import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.cookie.CookieStore;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.io.HttpClientConnectionManager;
import org.apache.hc.core5.http.io.entity.EntityUtils;

/**
 * What the adapter, the live program and the reproducer share: the client as a user builds it,
 * and how one request goes through it.
 *
 * <p>The client is {@code HttpClients.custom().setDefaultCookieStore(store)
 * .setConnectionManager(manager).build()}: everything else (the cookie spec registry of
 * {@code CookieSpecSupport.createDefault()} with {@code PublicSuffixMatcherLoader.getDefault()},
 * {@code RequestConfig.DEFAULT} whose null cookie spec means "strict", the exec chain with
 * {@code RequestAddCookies} and {@code ResponseProcessCookies}, redirects, retries) is what
 * {@code HttpClients.createDefault()} builds. The store passed in is a {@code BasicCookieStore},
 * the one the builder would create itself; passing it only lets the adapter list it. The
 * connection manager differs from the default only in where its connections lead (see
 * {@link Adapter} and {@link Live}).
 */
final class Clients {
    private Clients() {}

    /** Every host name resolves to the loopback address: no DNS lookup ever leaves the machine. */
    static final DnsResolver LOOPBACK_DNS = new DnsResolver() {
        @Override
        public InetAddress[] resolve(String host) {
            return new InetAddress[] {InetAddress.getLoopbackAddress()};
        }

        @Override
        public String resolveCanonicalHostname(String host) throws UnknownHostException {
            return host;
        }
    };

    static CloseableHttpClient build(CookieStore store, HttpClientConnectionManager manager) {
        return HttpClients.custom().setDefaultCookieStore(store).setConnectionManager(manager).build();
    }

    /** Why the client cannot make this request or take its response, when it cannot. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    /**
     * One GET of {@code url} through the client, its body read to the end (which returns the
     * connection to the pool), as {@code client.execute(request, handler)} does it.
     */
    static void fetch(CloseableHttpClient client, String url) throws Refused {
        HttpGet get;
        try {
            get = new HttpGet(url);
        } catch (IllegalArgumentException e) { // java.net.URI rejects the URL
            throw new Refused("HttpGet rejects the URL: " + e.getMessage());
        }
        try {
            client.execute(get, response -> {
                EntityUtils.consume(response.getEntity());
                return null;
            });
        } catch (java.io.IOException e) {
            // ClientProtocolException (a response head its parser refuses, a URL without a
            // host), UnsupportedSchemeException (ws:, wss:, ...): no cookie of it reaches the jar.
            throw new Refused("HttpClient fails the request: " + describe(e));
        }
    }

    static String describe(Throwable e) {
        List<String> parts = new ArrayList<>();
        for (Throwable t = e; t != null && parts.size() < 4; t = t.getCause()) {
            parts.add(t.getClass().getSimpleName() + ": " + t.getMessage());
        }
        return String.join(" <- ", parts);
    }
}
