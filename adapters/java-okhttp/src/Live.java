import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.CookieManager;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import okhttp3.JavaNetCookieJar;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The real client the java-okhttp adapter models, for the fidelity check: an OkHttpClient with
 * {@code cookieJar(new JavaNetCookieJar(new CookieManager()))}, fetching each URL over a real
 * socket from the runner's loopback server, so that OkHttp's own HTTP/1 codec reads the
 * Set-Cookie bytes and its BridgeInterceptor runs as in any application.
 *
 * <p>Every host reaches the loopback server: the Dns answers 127.0.0.1 for every name and the
 * SocketFactory connects to the runner's port for the URL's scheme, while the request, its Host
 * header, the TLS server name and the cookie jar keep the URL's host. Certificates are not
 * verified (the server's is self-signed). The clock: libfaketime shows the fetch's `now` to the
 * whole process during the fetch (Clock), as in the adapter.
 *
 * <p>Protocol (cli/src/live/driven.rs): one JSON object per line on stdin, one answer per line.
 * {"op":"reset"} -> {"ok":true,"virtual_clock":B}; {"op":"fetch","url":U,"method":M,
 * "http_port":P,"https_port":Q,"now":T} -> {"ok":true} or {"error":E,"kind":K}, K "unsupported"
 * when OkHttp refuses the request or the response (then no cookie reaches the jar).
 */
public final class Live {
    static int httpPort;
    static int httpsPort;
    static boolean httpsNow;

    /** Plain sockets whose connect() lands on the runner's port for the current scheme. */
    static final class LoopbackSocketFactory extends SocketFactory {
        private static Socket socket() {
            return new Socket() {
                @Override
                public void connect(SocketAddress endpoint, int timeout) throws IOException {
                    InetSocketAddress a = (InetSocketAddress) endpoint;
                    super.connect(new InetSocketAddress(a.getAddress(), httpsNow ? httpsPort : httpPort), timeout);
                }
            };
        }

        @Override
        public Socket createSocket() {
            return socket();
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            Socket s = socket();
            s.connect(new InetSocketAddress(host, port));
            return s;
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return createSocket(host, port);
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            Socket s = socket();
            s.connect(new InetSocketAddress(host, port));
            return s;
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
            return createSocket(address, port);
        }
    }

    static final X509TrustManager TRUST_ALL = new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    };

    static OkHttpClient newClient() throws Exception {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {TRUST_ALL}, new SecureRandom());
        return new OkHttpClient.Builder()
                .cookieJar(new JavaNetCookieJar(new CookieManager()))
                .dns(host -> List.of(InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1})))
                .socketFactory(new LoopbackSocketFactory())
                .sslSocketFactory(tls.getSocketFactory(), TRUST_ALL)
                .hostnameVerifier((host, session) -> true)
                .build();
    }

    static String answer(Object... kv) {
        return Json.write(Adapter.obj(kv));
    }

    @SuppressWarnings("unchecked")
    static String fetch(OkHttpClient client, Map<String, Object> op) {
        httpPort = ((Long) op.get("http_port")).intValue();
        httpsPort = ((Long) op.get("https_port")).intValue();
        String method = String.valueOf(op.getOrDefault("method", "GET"));
        Request request;
        try {
            request = new Request.Builder()
                    .url((String) op.get("url"))
                    .method(method, method.equals("POST") ? RequestBody.create(null, "x=1") : null)
                    .build();
        } catch (IllegalArgumentException e) {
            return answer("error", "OkHttp cannot request this URL: " + e.getMessage(), "kind", "unsupported");
        }
        httpsNow = request.url().isHttps();
        Clock.set((Long) op.get("now")); // stays until a fetch with another `now` (Clock)
        try (Response response = client.newCall(request).execute()) {
            response.body().bytes();
            return answer("ok", true);
        } catch (IllegalArgumentException e) {
            return answer("error", "OkHttp's call fails before it is sent: " + e.getMessage(), "kind", "unsupported");
        } catch (ProtocolException | EOFException e) {
            return answer("error", "OkHttp's HTTP/1 parser refuses the response: " + e, "kind", "unsupported");
        } catch (IOException e) {
            return answer("error", e.toString(), "kind", "failed");
        }
    }

    @SuppressWarnings("unchecked")
    public static void main(String[] args) throws Exception {
        Clock.init();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        OkHttpClient client = newClient();
        for (String line; (line = in.readLine()) != null; ) {
            Map<String, Object> op = (Map<String, Object>) Json.parse(line);
            String out;
            switch (String.valueOf(op.get("op"))) {
                case "reset":
                    Clock.forget();
                    client.connectionPool().evictAll();
                    client = newClient();
                    out = answer("ok", true, "virtual_clock", Clock.available());
                    break;
                case "fetch":
                    out = fetch(client, op);
                    break;
                default:
                    out = answer("error", "unknown op " + op.get("op"), "kind", "failed");
            }
            System.out.println(out);
            System.out.flush();
        }
        System.exit(0);
    }
}
