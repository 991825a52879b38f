<?php
/**
 * The real client the php-guzzle adapter models, for the fidelity check (`cookie-conformance
 * fidelity --target php-guzzle`): a GuzzleHttp\Client(['cookies' => true]) with its default
 * handler (curl, since ext-curl is loaded) fetching each URL over a real socket from the runner's
 * loopback server, so libcurl and Guzzle's own header callback deliver the Set-Cookie bytes and
 * Middleware::cookies() runs as it runs for users.
 *
 * Every host reaches the loopback server: the `curl` request option sets CURLOPT_CONNECT_TO
 * "::127.0.0.1:<port>" (any host, any port → 127.0.0.1 at the port for the URL's scheme), so
 * the URL's host stays the request's host for cookies, the Host header and TLS SNI.
 * `verify => false`: the server's certificate is self-signed. Nothing else is changed: the
 * loopback server answers 200, so http_errors and redirects keep their defaults.
 *
 * The clock: as in the adapter, uopz makes time() and strtotime() answer the fetch's `now`.
 *
 * Protocol (cli/src/live/driven.rs): one JSON object per line on stdin, one answer per line.
 *   {"op": "reset"}  -> {"ok": true, "virtual_clock": true}   (a new client and jar)
 *   {"op": "fetch", "url": U, "method": M, "http_port": P, "https_port": Q, "now": T}
 *                    -> {"ok": true} or {"error": E, "kind": "unsupported"|"failed"}
 * "unsupported" when Guzzle refuses the URL or the response (a RequestException: curl or the
 * PSR-7 Response refused the head), so no cookie of it reached the jar.
 */

declare(strict_types=1);

require __DIR__ . '/guzzle_path.php';

use GuzzleHttp\Client;
use GuzzleHttp\Exception\ConnectException;
use GuzzleHttp\Exception\RequestException;

VirtualClock::install();

function new_client(): Client
{
    return new Client(['cookies' => true, 'verify' => false]);
}

function answer(array $obj): void
{
    fwrite(STDOUT, json_encode($obj, JSON_UNESCAPED_SLASHES | JSON_INVALID_UTF8_SUBSTITUTE) . "\n");
    fflush(STDOUT);
}

function fetch(Client $client, array $op): array
{
    $url = (string) $op['url'];
    try {
        $uri = new \GuzzleHttp\Psr7\Uri($url);
    } catch (\InvalidArgumentException $e) {
        return ['error' => 'Guzzle cannot request this URL: ' . $e->getMessage(), 'kind' => 'unsupported'];
    }
    $scheme = strtolower($uri->getScheme());
    if (!in_array($scheme, ['http', 'https'], true) || $uri->getHost() === '') {
        return ['error' => "Guzzle's curl handler cannot fetch $url (only http/https URLs with a host)", 'kind' => 'unsupported'];
    }
    $port = $scheme === 'https' ? (int) $op['https_port'] : (int) $op['http_port'];
    $method = $op['method'] ?? 'GET';
    VirtualClock::$now = $op['now'] ?? null;
    try {
        $client->request($method, $url, [
            'curl' => [CURLOPT_CONNECT_TO => ["::127.0.0.1:$port"]],
            'timeout' => 10,
        ]);
        return ['ok' => true];
    } catch (ConnectException $e) {
        return ['error' => 'ConnectException: ' . $e->getMessage(), 'kind' => 'failed'];
    } catch (RequestException $e) {
        return ['error' => 'Guzzle refuses the response: ' . $e->getMessage(), 'kind' => 'unsupported'];
    } catch (\Throwable $e) {
        return ['error' => get_class($e) . ': ' . $e->getMessage(), 'kind' => 'failed'];
    } finally {
        VirtualClock::$now = null;
    }
}

$client = new_client();
while (($line = fgets(STDIN)) !== false) {
    if (trim($line) === '') {
        continue;
    }
    $op = json_decode($line, true);
    if (!is_array($op)) {
        answer(['error' => 'not a JSON object: ' . substr($line, 0, 80), 'kind' => 'failed']);
        continue;
    }
    switch ($op['op'] ?? null) {
        case 'reset':
            $client = new_client();
            answer(['ok' => true, 'virtual_clock' => true]);
            break;
        case 'fetch':
            answer(fetch($client, $op));
            break;
        default:
            answer(['error' => 'unknown op ' . json_encode($op['op'] ?? null), 'kind' => 'failed']);
    }
}
