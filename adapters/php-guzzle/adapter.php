<?php
/**
 * cookie-adapter/1 server (../PROTOCOL.md) for Guzzle's cookie jar, GuzzleHttp\Cookie\CookieJar,
 * driven through the real GuzzleHttp\Client, exactly as `new Client(['cookies' => true])` uses
 * it: the default HandlerStack (http_errors, allow_redirects, cookies, prepare_body) with
 * Middleware::cookies(), which calls CookieJar::withCookieHeader($request) before the request
 * is sent and CookieJar::extractCookies($request, $response) on the response. Only the bottom
 * transport handler is replaced: instead of sending, it records the request (its Cookie header
 * is the answer of `get`) and answers the Response Guzzle's curl handler would build from the
 * Set-Cookie bytes (guzzle_path.php). The library reads the clock through time() and
 * strtotime(), which answer each op's `now` (VirtualClock).
 *
 * Usage: php adapter.php [--port N]   (prints `LISTENING <port>`, then serves 127.0.0.1:N)
 */

declare(strict_types=1);

require __DIR__ . '/guzzle_path.php';

use GuzzleHttp\Client;
use GuzzleHttp\ClientInterface;
use GuzzleHttp\Cookie\CookieJar;
use GuzzleHttp\Cookie\SetCookie;
use GuzzleHttp\HandlerStack;
use GuzzleHttp\Promise\Create;
use GuzzleHttp\Psr7\Response;
use Psr\Http\Message\RequestInterface;

const PROTOCOL = 'cookie-adapter/1';
const PROFILES = ['rfc6265', 'rfc6265bis'];
const MAX_BODY = 16 * 1024 * 1024 + 65536;

final class AdapterError extends \RuntimeException
{
    public int $status;
    public string $kind;

    public function __construct(int $status, string $kind, string $message)
    {
        parent::__construct($message);
        $this->status = $status;
        $this->kind = $kind;
    }
}

function bad(string $message): AdapterError
{
    return new AdapterError(400, 'bad_request', $message);
}

function unsupported(string $message): AdapterError
{
    return new AdapterError(422, 'unsupported', $message);
}

function unb64($text): string
{
    if (!is_string($text)) {
        throw bad('a Set-Cookie line is not a base64 string');
    }
    $bytes = base64_decode($text, true);
    if ($bytes === false || base64_encode($bytes) !== $text) {
        throw bad("bad base64: " . substr($text, 0, 40));
    }
    return $bytes;
}

/** One jar: a Client as `new Client(['cookies' => true])` builds it, but with a transport that
 * does not send (see the file comment). */
final class Session
{
    public CookieJar $jar;
    private ClientInterface $client;
    /** @var string[]|null the Set-Cookie lines the next response carries */
    private ?array $answer = null;
    private ?RequestInterface $sent = null;

    public function __construct()
    {
        $this->fresh();
    }

    private function fresh(): void
    {
        // What `'cookies' => true` makes: `new CookieJar()` (not strict).
        $this->jar = new CookieJar();
        $transport = function (RequestInterface $request, array $options) {
            $this->sent = $request;
            $lines = $this->answer ?? [];
            return Create::promiseFor($lines ? curl_delivered_response($lines) : new Response(200, ['Content-Length' => '0']));
        };
        $this->client = new Client(['cookies' => $this->jar, 'handler' => HandlerStack::create($transport)]);
    }

    public function reset(array $op): array
    {
        $profile = $op['profile'] ?? 'rfc6265bis';
        if (!in_array($profile, PROFILES, true)) {
            throw unsupported("profile $profile not supported");
        }
        $config = $op['config'] ?? [];
        if (!is_array($config)) {
            throw bad('`config` is not an object');
        }
        if (!empty($config['chips'])) {
            throw unsupported('Guzzle has no CHIPS (Partitioned)');
        }
        if (($config['third_party'] ?? 'allow') !== 'allow') {
            throw unsupported('Guzzle has no third-party cookie policy');
        }
        $this->fresh();
        return [];
    }

    /** One request through the client; the request as the transport saw it. */
    private function request(array $op, ?array $lines): RequestInterface
    {
        $url = $op['url'] ?? null;
        if (!is_string($url)) {
            throw bad('field `url` missing or not a string');
        }
        $ctx = $op['context'] ?? [];
        if (!is_array($ctx)) {
            throw bad('`context` is not an object');
        }
        if (($ctx['api'] ?? 'http') !== 'http') {
            throw unsupported('Guzzle has no non-HTTP (script) cookie API');
        }
        $method = $ctx['method'] ?? 'GET';
        try {
            $uri = new \GuzzleHttp\Psr7\Uri($url);
        } catch (\InvalidArgumentException $e) {
            throw unsupported('Guzzle cannot request this URL: ' . $e->getMessage());
        }
        // The curl handler (Debian libcurl 7.88) speaks http and https only: a ws/wss request
        // fails in curl before any response, so its cookies never go anywhere.
        if (!in_array(strtolower($uri->getScheme()), ['http', 'https'], true) || $uri->getHost() === '') {
            throw unsupported("Guzzle's curl handler cannot fetch $url (only http/https URLs with a host)");
        }
        $this->answer = $lines;
        $this->sent = null;
        try {
            $this->client->request($method, $url);
        } catch (Unsupported $e) {
            throw unsupported($e->getMessage());
        } finally {
            $this->answer = null;
        }
        return $this->sent;
    }

    public function set(array $op): array
    {
        $lines = $op['set_cookie'] ?? null;
        if (!is_array($lines)) {
            throw bad('field `set_cookie` missing or not a list');
        }
        $this->request($op, array_map('unb64', array_values($lines)));
        return [];
    }

    public function get(array $op): array
    {
        $sent = $this->request($op, null);
        // Middleware::cookies sets one Cookie value (withHeader), which curl sends as is.
        $cookie = $sent->hasHeader('Cookie') ? $sent->getHeader('Cookie')[0] : null;
        return ['cookie' => $cookie === null ? null : base64_encode($cookie)];
    }

    public function dump(array $op): array
    {
        // Guzzle never evicts: an expired cookie stays in the jar (toArray(), count(),
        // getCookieByName() show it) and is only skipped by withCookieHeader (isExpired()).
        $out = [];
        foreach ($this->jar as $c) {
            $out[] = dumped($c);
        }
        return ['cookies' => $out];
    }
}

function dumped(SetCookie $c): array
{
    $domain = strtolower((string) $c->getDomain());
    if (substr($domain, 0, 1) === '.') {
        $domain = substr($domain, 1);
    }
    $expires = $c->getExpires();
    // Expires is an int (Max-Age, or a parsed date), a numeric string kept as given, null
    // (session cookie) or false (strtotime() could not parse it: isExpired() is then always
    // true, since `time() > false`), which has no time to report.
    return [
        'name' => base64_encode((string) $c->getName()),
        'value' => base64_encode((string) $c->getValue()),
        'domain' => $domain,
        'path' => base64_encode((string) $c->getPath()),
        'host_only' => null, // Guzzle has no host-only flag: every cookie domain-matches subdomains
        'secure' => (bool) $c->getSecure(), // withCookieHeader tests it for truthiness
        'http_only' => (bool) $c->getHttpOnly(),
        'same_site' => null, // SameSite is kept as an unknown attribute and never used
        'persistent' => $expires !== null,
        'expires' => is_numeric($expires) ? (int) $expires : null,
        'partition_key' => null,
    ];
}

function info(): array
{
    $guzzle = \GuzzleHttp\ClientInterface::MAJOR_VERSION;
    return [
        'protocol' => PROTOCOL,
        'name' => 'php-guzzle',
        'library' => 'Guzzle (GuzzleHttp\\Cookie\\CookieJar)',
        'version' => debian_version('php-guzzlehttp-guzzle') ?? "$guzzle.x",
        'runtime' => 'PHP ' . PHP_VERSION . ', libcurl ' . curl_version()['version'] . ', guzzlehttp/psr7 ' . (debian_version('php-guzzlehttp-psr7') ?? '?'),
        'configuration' => "GuzzleHttp\\Client(['cookies' => true]) with the default HandlerStack: Middleware::cookies() "
            . 'calls CookieJar::withCookieHeader before each request and extractCookies after it; new CookieJar() (not '
            . 'strict); Set-Cookie bytes delivered as the default curl handler parses the head (libcurl 7.88 lines, '
            . 'CurlFactory header callback, PSR-7 Response checks); no host-only flag, no public suffix list; virtual '
            . 'clock by uopz on time() and strtotime()',
        'parallel' => false,
        'capabilities' => [
            'virtual_clock' => true,
            'script_api' => false,
            'same_site_contexts' => false,
            'partitioned' => false,
            'third_party_policies' => ['allow'],
            'profiles' => PROFILES,
            'configurable' => [],
            'storage_dump' => true,
            'public_suffix_list' => null,
        ],
    ];
}

/** The installed Debian package version (upstream part), for /info. */
function debian_version(string $package): ?string
{
    static $cache = [];
    if (!array_key_exists($package, $cache)) {
        $cache[$package] = null;
        $status = @file_get_contents('/var/lib/dpkg/status');
        if ($status !== false && preg_match('/^Package: ' . preg_quote($package, '/') . '\n(?:[^\n]+\n)*?Version: (?:\d+:)?([^\s-]+)/m', $status, $m)) {
            $cache[$package] = $m[1];
        }
    }
    return $cache[$package];
}

final class Server
{
    /** @var Session[] */
    private array $sessions = [];
    private int $nextId = 0;

    public function runOp(Session $s, $name, $op): array
    {
        if (!is_array($op)) {
            throw bad('operation is not an object');
        }
        if (!in_array($name, ['reset', 'set', 'get', 'dump'], true)) {
            throw new AdapterError(404, 'not_found', 'no operation `' . (is_string($name) ? $name : json_encode($name)) . '`');
        }
        $now = $op['now'] ?? null; // absent: the real clock
        if ($now !== null && !is_int($now)) {
            throw bad('`now` is not an integer');
        }
        VirtualClock::$now = $now;
        try {
            return $s->$name($op);
        } finally {
            VirtualClock::$now = null;
        }
    }

    public function batch(Session $s, array $body): array
    {
        $ops = $body['ops'] ?? null;
        if (!is_array($ops)) {
            throw bad('field `ops` missing or not a list');
        }
        $results = [];
        foreach ($ops as $op) {
            try {
                $results[] = (object) $this->runOp($s, is_array($op) ? ($op['op'] ?? null) : null, $op);
            } catch (AdapterError $e) {
                $results[] = ['error' => $e->getMessage(), 'kind' => $e->kind];
                break;
            } catch (\Throwable $e) {
                $results[] = ['error' => get_class($e) . ': ' . $e->getMessage(), 'kind' => 'internal'];
                break;
            }
        }
        return ['results' => $results];
    }

    public function route(string $method, string $path, array $body): array
    {
        $parts = explode('/', trim($path, '/'));
        if ($method === 'GET' && $parts === ['info']) {
            return info();
        }
        if ($method === 'POST' && $parts === ['sessions']) {
            $id = (string) ++$this->nextId;
            $this->sessions[$id] = new Session();
            return ['id' => $id];
        }
        if (count($parts) >= 2 && $parts[0] === 'sessions') {
            $session = $this->sessions[$parts[1]] ?? null;
            if ($session === null) {
                throw new AdapterError(404, 'not_found', "no session {$parts[1]}");
            }
            if ($method === 'DELETE' && count($parts) === 2) {
                unset($this->sessions[$parts[1]]);
                return [];
            }
            if ($method === 'POST' && count($parts) === 3) {
                return $parts[2] === 'batch' ? $this->batch($session, $body) : $this->runOp($session, $parts[2], $body);
            }
        }
        throw new AdapterError(404, 'not_found', "no endpoint $method $path");
    }

    /** @return array{int, array} status and JSON object for one request */
    public function handle(string $method, string $path, string $raw): array
    {
        try {
            $body = [];
            if (trim($raw) !== '') {
                $body = json_decode($raw, true, 512, JSON_BIGINT_AS_STRING);
                if (json_last_error() !== JSON_ERROR_NONE) {
                    throw bad('invalid JSON: ' . json_last_error_msg());
                }
                if (!is_array($body) || (array_is_list($body) && $body !== [])) {
                    throw bad('body is not an object');
                }
            }
            return [200, $this->route($method, $path, $body)];
        } catch (AdapterError $e) {
            return [$e->status, ['error' => $e->getMessage(), 'kind' => $e->kind]];
        } catch (\Throwable $e) {
            return [500, ['error' => get_class($e) . ': ' . $e->getMessage(), 'kind' => 'internal']];
        }
    }
}

const REASONS = [200 => 'OK', 400 => 'Bad Request', 404 => 'Not Found', 413 => 'Payload Too Large', 422 => 'Unprocessable Entity', 500 => 'Internal Server Error'];

function http_answer(int $status, array $obj): string
{
    $data = json_encode($obj === [] ? new \stdClass() : $obj, JSON_UNESCAPED_SLASHES | JSON_INVALID_UTF8_SUBSTITUTE);
    return "HTTP/1.1 $status " . (REASONS[$status] ?? 'Error') . "\r\nContent-Type: application/json\r\n"
        . 'Content-Length: ' . strlen($data) . "\r\n\r\n" . $data;
}

/**
 * A small HTTP/1.1 server on stream_select: persistent connections, any number of them open at
 * once, requests served one at a time (the library's clock hook is process-wide anyway). PHP's
 * built-in web server is not used because it closes every connection.
 */
function serve(int $port): void
{
    $listener = @stream_socket_server("tcp://127.0.0.1:$port", $errno, $errstr);
    if ($listener === false) {
        fwrite(STDERR, "php-guzzle: cannot listen on 127.0.0.1:$port: $errstr\n");
        exit(1);
    }
    $name = stream_socket_get_name($listener, false);
    $bound = (int) substr($name, strrpos($name, ':') + 1);
    fwrite(STDOUT, "LISTENING $bound\n");
    fflush(STDOUT);

    $server = new Server();
    $clients = [];
    $buffers = [];
    while (true) {
        $read = array_merge([$listener], array_values($clients));
        $write = $except = null;
        if (@stream_select($read, $write, $except, null) === false) {
            continue; // interrupted by a signal: its handler has run
        }
        foreach ($read as $stream) {
            if ($stream === $listener) {
                $conn = @stream_socket_accept($listener, 0);
                if ($conn === false) {
                    continue;
                }
                // TCP_NODELAY, or every small answer waits ~40 ms for a delayed ACK.
                $sock = socket_import_stream($conn);
                if ($sock !== false && $sock !== null) {
                    socket_set_option($sock, SOL_TCP, TCP_NODELAY, 1);
                }
                stream_set_blocking($conn, false);
                $id = (int) $conn;
                $clients[$id] = $conn;
                $buffers[$id] = '';
                continue;
            }
            $id = (int) $stream;
            $chunk = @fread($stream, 1 << 20);
            if ($chunk === false || ($chunk === '' && feof($stream))) {
                fclose($stream);
                unset($clients[$id], $buffers[$id]);
                continue;
            }
            $buffers[$id] .= $chunk;
            // Every complete request in the buffer (the runner never pipelines, but be exact).
            while (($end = strpos($buffers[$id], "\r\n\r\n")) !== false) {
                $head = substr($buffers[$id], 0, $end);
                $length = preg_match('/\r\ncontent-length:[ \t]*(\d+)/i', $head, $m) ? (int) $m[1] : 0;
                if ($length > MAX_BODY) {
                    write_all($stream, http_answer(413, ['error' => 'request body too large', 'kind' => 'bad_request']));
                    fclose($stream);
                    unset($clients[$id], $buffers[$id]);
                    continue 2;
                }
                if (strlen($buffers[$id]) < $end + 4 + $length) {
                    break;
                }
                $body = substr($buffers[$id], $end + 4, $length);
                $buffers[$id] = (string) substr($buffers[$id], $end + 4 + $length);
                $requestLine = explode(' ', substr($head, 0, (int) strcspn($head, "\r\n")));
                $method = $requestLine[0];
                $path = $requestLine[1] ?? '/';
                if ($method === 'POST' && $path === '/shutdown') {
                    write_all($stream, http_answer(200, []));
                    exit(0);
                }
                [$status, $obj] = $server->handle($method, $path, $body);
                if (!write_all($stream, http_answer($status, $obj))) {
                    fclose($stream);
                    unset($clients[$id], $buffers[$id]);
                    continue 2;
                }
            }
        }
    }
}

/** Writes all of $data to a non-blocking stream; false when the peer is gone. */
function write_all($stream, string $data): bool
{
    while ($data !== '') {
        $n = @fwrite($stream, $data);
        if ($n === false) {
            return false;
        }
        if ($n === 0) {
            $r = null;
            $w = [$stream];
            $e = null;
            if (@stream_select($r, $w, $e, 10) === 0) {
                return false;
            }
            continue;
        }
        $data = substr($data, $n);
    }
    return true;
}

function main(array $argv): void
{
    $port = 0;
    for ($i = 1; $i < count($argv); $i++) {
        if ($argv[$i] === '--port' && isset($argv[$i + 1])) {
            $port = (int) $argv[++$i];
        } elseif (strpos($argv[$i], '--port=') === 0) {
            $port = (int) substr($argv[$i], 7);
        } else {
            fwrite(STDERR, "usage: php adapter.php [--port N]\n");
            exit(2);
        }
    }
    if (function_exists('pcntl_async_signals')) {
        pcntl_async_signals(true);
        $stop = function (): void {
            exit(0);
        };
        // restart_syscalls false: the signal interrupts stream_select() at once instead of
        // waiting for the next connection activity.
        pcntl_signal(SIGTERM, $stop, false);
        pcntl_signal(SIGINT, $stop, false);
    }
    VirtualClock::install();
    serve($port);
}

main($argv);
