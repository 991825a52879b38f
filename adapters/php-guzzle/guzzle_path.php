<?php
/**
 * What the php-guzzle adapter (adapter.php) and its live client (live.php) share: the Guzzle
 * autoloader, the virtual clock, and how Guzzle's default (curl) handler turns the bytes of a
 * response head into the PSR-7 Response the cookie middleware reads.
 *
 * No cookie logic lives here: cookies are parsed, stored, matched and serialised by Guzzle's
 * own CookieJar/SetCookie, reached through its own Client and Middleware::cookies().
 */

declare(strict_types=1);

// Logs and PHP notices go to stderr: stdout carries `LISTENING <port>` (adapter) or the JSON
// answers (live client) and nothing else.
ini_set('display_errors', 'stderr');
error_reporting(E_ALL & ~E_DEPRECATED & ~E_USER_DEPRECATED);

// uopz by default swallows `exit`: without this, `exit(1)` would end nothing.
if (function_exists('uopz_allow_exit')) {
    uopz_allow_exit(true);
}

const GUZZLE_AUTOLOAD = '/usr/share/php/GuzzleHttp/autoload.php';
if (!is_file(GUZZLE_AUTOLOAD)) {
    fwrite(STDERR, "php-guzzle: " . GUZZLE_AUTOLOAD . " missing (run install.sh: Debian php-guzzlehttp-guzzle)\n");
    exit(2);
}
require_once GUZZLE_AUTOLOAD;

use GuzzleHttp\Handler\HeaderProcessor;
use GuzzleHttp\Psr7\Response;

/** The op cannot be modelled, or the client refuses the response (PROTOCOL.md §6 `unsupported`). */
final class Unsupported extends \RuntimeException
{
}

/**
 * The library's clock. Guzzle reads it in exactly three places, all in Cookie/SetCookie.php:
 * `\time()` for Max-Age (the constructor) and for isExpired(), and `\strtotime()` for Expires
 * (setExpires), whose relative formats ("tomorrow", "+1 day") and missing fields (a date without
 * a year) are filled from the current time. uopz replaces both functions process-wide with
 * closures that answer the op's `now`; the real functions are called through ReflectionFunction,
 * which uopz does not intercept, so every argument keeps its real meaning. Outside an op
 * ($now === null) both are the real clock.
 */
final class VirtualClock
{
    public static ?int $now = null;

    public static function install(): void
    {
        if (!function_exists('uopz_set_return')) {
            fwrite(STDERR, "php-guzzle: the uopz extension is not loaded (Debian php8.2-uopz; run install.sh)\n");
            exit(2);
        }
        $time = new \ReflectionFunction('time');
        $strtotime = new \ReflectionFunction('strtotime');
        uopz_set_return('time', static function () use ($time): int {
            return VirtualClock::$now ?? $time->invoke();
        }, true);
        uopz_set_return('strtotime', static function (string $datetime, ?int $baseTimestamp = null) use ($strtotime) {
            return $strtotime->invoke($datetime, $baseTimestamp ?? VirtualClock::$now);
        }, true);
    }
}

/**
 * The Response Guzzle's default handler (CurlMultiHandler/CurlHandler, chosen whenever ext-curl
 * is loaded) builds from a response whose head carries `Set-Cookie: <line>` per line.
 *
 * libcurl 7.88 reads the head line by line, a line ending at LF only (a bare CR stays inside
 * the line); a line that starts with CR or LF ends the head; a NUL anywhere in a header line,
 * or a field line without a colon that is not an obs-fold continuation, fails the transfer with
 * CURLE_WEIRD_SERVER_REPLY ("Nul byte in header", "Header without colon"); obs-fold lines are
 * handed over as lines of their own. Each line reaches CurlFactory's header callback, which this
 * repeats step for step (trim(), an empty line creates the response, a line after one starts a
 * new head); EasyHandle::createResponse is then Guzzle's own HeaderProcessor::parseHeaders and
 * the PSR-7 Response constructor, whose checks (field names are tokens, values only HTAB, SP,
 * VCHAR and 0x80-0xFF) refuse the response by throwing: the request fails and no cookie of it
 * reaches the jar, so the op is `unsupported`. The bytes themselves are never decoded: PHP
 * strings are octets end to end.
 */
function curl_delivered_response(array $setCookieLines): Response
{
    $head = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n";
    foreach ($setCookieLines as $line) {
        $head .= "Set-Cookie: " . $line . "\r\n";
    }
    $head .= "\r\n";

    // libcurl: split into lines.
    $delivered = [];
    $pos = 0;
    while (($nl = strpos($head, "\n", $pos)) !== false) {
        $line = substr($head, $pos, $nl - $pos + 1);
        $pos = $nl + 1;
        if (strpos($line, "\0") !== false) {
            throw new Unsupported('Guzzle (curl handler) refuses the response: cURL error 8: Nul byte in header');
        }
        $delivered[] = $line;
        if ($line[0] === "\r" || $line[0] === "\n") {
            break; // the end of the head for libcurl; what follows is the body
        }
        // libcurl's verify_header: after the status line, a line without a colon is refused
        // unless it is a folded continuation (starts with SP or HTAB) of a field line.
        $index = count($delivered); // 1: the status line, 2: the first field line
        $folded = $index > 2 && ($line[0] === ' ' || $line[0] === "\t");
        if ($index >= 2 && !$folded && strpos($line, ':') === false) {
            throw new Unsupported('Guzzle (curl handler) refuses the response: cURL error 8: Header without colon');
        }
    }

    // CurlFactory::createHeaderFn, then EasyHandle::createResponse.
    $headers = [];
    $startingResponse = false;
    $response = null;
    foreach ($delivered as $h) {
        $value = trim($h);
        if ($value === '') {
            $startingResponse = true;
            try {
                [$ver, $status, $reason, $parsed] = HeaderProcessor::parseHeaders($headers);
                $response = new Response($status, $parsed, null, $ver, $reason);
            } catch (\Exception $e) {
                throw new Unsupported('Guzzle (curl handler) refuses the response: An error was encountered while creating the response: ' . $e->getMessage());
            }
        } elseif ($startingResponse) {
            $startingResponse = false;
            $headers = [$value];
        } else {
            $headers[] = $value;
        }
    }
    if ($response === null) {
        throw new Unsupported('Guzzle (curl handler) refuses the response: the header callback never saw the end of the head');
    }
    return $response;
}
