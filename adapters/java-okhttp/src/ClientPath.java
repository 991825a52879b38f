import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.CookieManager;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.List;
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

/**
 * One OkHttp client's cookie path, without sockets: each exchange runs OkHttp's own
 * {@link BridgeInterceptor} (the interceptor of a real OkHttpClient that loads the Cookie header
 * from the CookieJar and saves a response's cookies with {@code Cookie.parseAll}), and the
 * response it sees is read by OkHttp's own HTTP/1 codec ({@link Http1Codec#readResponseHeaders})
 * from the raw bytes the loopback server of the live check sends. The Cookie header's bytes are
 * what the same codec writes ({@link Http1Codec#writeRequest}).
 *
 * <p>The jar: {@code new JavaNetCookieJar(new CookieManager())}, the one CookieJar OkHttp ships
 * (okhttp-urlconnection), around the JDK's CookieManager with its defaults
 * (CookiePolicy.ACCEPT_ORIGINAL_SERVER, in-memory CookieStore).
 */
final class ClientPath {
    /** The client cannot complete the exchange: the case is unsupported, with this reason. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    static {
        // OkHttpClient's static initializer installs okhttp3.internal.Internal, through which
        // the codec's readHeaders calls Headers.Builder.addLenient, as in any application that
        // has created a client. (Building a client is not needed here: it would only load the
        // platform's trust store, which these exchanges never use.)
        try {
            Class.forName(OkHttpClient.class.getName(), true, ClientPath.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final CookieManager manager = new CookieManager();
    private final BridgeInterceptor bridge = new BridgeInterceptor(new JavaNetCookieJar(manager));

    /** The response head of the runner's loopback server (cli/src/live/server.rs), body empty. */
    static byte[] responseHead(List<byte[]> setCookie) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("HTTP/1.1 200 OK\r\nCache-Control: no-store\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: 0\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        for (byte[] line : setCookie) {
            out.writeBytes("Set-Cookie: ".getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(line);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** The Request OkHttp builds for a URL (it maps ws: to http: and wss: to https: itself). */
    static Request request(String url, String method) throws Refused {
        try {
            return new Request.Builder().url(url).method(method, null).build();
        } catch (IllegalArgumentException e) {
            throw new Refused("OkHttp cannot request this URL: " + e.getMessage());
        }
    }

    /**
     * One request to `url` answered with these Set-Cookie field values: returns the bytes of the
     * Cookie header the request carried, or null when it had none.
     */
    byte[] exchange(Request request, List<byte[]> setCookie) throws Refused {
        Exchange chain = new Exchange(request, responseHead(setCookie));
        try {
            bridge.intercept(chain);
        } catch (IllegalArgumentException e) {
            // Headers.Builder refuses the Cookie value BridgeInterceptor builds: the call fails
            // before anything is sent (OkHttp's call throws it to the application).
            throw new Refused("OkHttp's call fails before it is sent: " + e.getMessage());
        } catch (ProtocolException | EOFException e) {
            throw new Refused("OkHttp's HTTP/1 parser refuses the response: " + e);
        } catch (IOException e) {
            throw new IllegalStateException("reading a response from memory failed: " + e, e);
        }
        return chain.cookieHeaderOnTheWire;
    }

    /** The part of OkHttp's interceptor chain below BridgeInterceptor, with the wire in memory. */
    static final class Exchange implements Interceptor.Chain {
        private final Request request;
        private final byte[] responseHead;
        byte[] cookieHeaderOnTheWire;

        Exchange(Request request, byte[] responseHead) {
            this.request = request;
            this.responseHead = responseHead;
        }

        @Override
        public Request request() {
            return request;
        }

        @Override
        public Response proceed(Request sent) throws IOException {
            Buffer toServer = new Buffer();
            Buffer fromServer = new Buffer().write(responseHead);
            Http1Codec codec = new Http1Codec(null, null, fromServer, toServer);
            codec.writeRequest(sent.headers(), sent.method() + " " + sent.url().encodedPath() + " HTTP/1.1");
            cookieHeaderOnTheWire = cookieField(toServer.readByteArray());
            return codec.readResponseHeaders(false)
                    .request(sent)
                    .body(ResponseBody.create(null, new byte[0]))
                    .build();
        }

        /** The value of the Cookie field in a written request head, or null. */
        private static byte[] cookieField(byte[] head) {
            byte[] prefix = "\r\nCookie: ".getBytes(StandardCharsets.US_ASCII);
            outer:
            for (int i = 0; i + prefix.length <= head.length; i++) {
                for (int k = 0; k < prefix.length; k++) if (head[i + k] != prefix[k]) continue outer;
                int start = i + prefix.length, end = start;
                while (end + 1 < head.length && !(head[end] == '\r' && head[end + 1] == '\n')) end++;
                byte[] v = new byte[end - start];
                System.arraycopy(head, start, v, 0, v.length);
                return v;
            }
            return null;
        }

        @Override
        public Connection connection() {
            return null;
        }

        @Override
        public Call call() {
            return null;
        }

        @Override
        public int connectTimeoutMillis() {
            return 10_000;
        }

        @Override
        public Interceptor.Chain withConnectTimeout(int timeout, TimeUnit unit) {
            return this;
        }

        @Override
        public int readTimeoutMillis() {
            return 10_000;
        }

        @Override
        public Interceptor.Chain withReadTimeout(int timeout, TimeUnit unit) {
            return this;
        }

        @Override
        public int writeTimeoutMillis() {
            return 10_000;
        }

        @Override
        public Interceptor.Chain withWriteTimeout(int timeout, TimeUnit unit) {
            return this;
        }
    }
}
