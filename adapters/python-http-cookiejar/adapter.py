#!/usr/bin/env python3
"""cookie-adapter/1 server (../PROTOCOL.md) for CPython's `http.cookiejar`.

The jar is driven the way `urllib.request.HTTPCookieProcessor` drives it: every request first
goes through `CookieJar.add_cookie_header(request)` (its `http_request`, which also clears
expired cookies), and a response's Set-Cookie fields reach
`CookieJar.extract_cookies(response, request)` (its `http_response`) through a response whose
`info()` is the `http.client.HTTPMessage` that `http.client.parse_headers` makes of the raw
header bytes: split into lines and decoded as ISO-8859-1 exactly as urllib receives them, so a
bare CR or LF inside a line ends the field there, as it does on the wire.
"""
import argparse
import base64
import binascii
import http.client
import http.cookiejar
import http.server
import io
import json
import os
import platform
import sys
import threading
import time
import urllib.request

PROTOCOL = "cookie-adapter/1"
PROFILES = ["rfc6265", "rfc6265bis"]


class LibraryClock:
    """`http.cookiejar`'s view of the `time` module. The library calls `time.time()` for
    expiry (Max-Age, Expires, eviction); this shim answers the operation's `now` while one runs
    and otherwise forwards to the real module. No library code is changed: only the module
    reference the library looks the clock up through."""

    def __init__(self):
        self.now = None

    def time(self):
        return float(self.now) if self.now is not None else time.time()

    def __getattr__(self, name):
        return getattr(time, name)


CLOCK = LibraryClock()
http.cookiejar.time = CLOCK
LOCK = threading.Lock()  # one operation at a time: the clock shim is process-wide


class AdapterError(Exception):
    def __init__(self, status, kind, message):
        super().__init__(message)
        self.status, self.kind = status, kind


def bad(message):
    return AdapterError(400, "bad_request", message)


def unsupported(message):
    return AdapterError(422, "unsupported", message)


def field(obj, name, kind, default=None):
    value = obj.get(name, default)
    if not isinstance(value, kind) or isinstance(value, bool) and kind is int:
        raise bad(f"field `{name}` missing or not {kind.__name__}")
    return value


def b64(data):
    return base64.b64encode(data).decode("ascii")


def unb64(text):
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, TypeError) as e:
        raise bad(f"bad base64: {e}") from None


class Response:
    """What `extract_cookies` needs of a urllib response: `info()` with the headers, parsed from
    the raw header block by http.client, as urllib's response has them."""

    def __init__(self, lines):
        raw = b"".join(b"Set-Cookie: " + line + b"\r\n" for line in lines) + b"\r\n"
        self.headers = http.client.parse_headers(io.BytesIO(raw))

    def info(self):
        return self.headers


def new_jar():
    # `HTTPCookieProcessor()` builds exactly this: CookieJar() with a default policy.
    return http.cookiejar.CookieJar(http.cookiejar.DefaultCookiePolicy())


def request_for(url, ctx):
    try:
        request = urllib.request.Request(url, method=ctx.get("method", "GET"))
    except ValueError as e:  # urllib cannot request this URL at all
        raise unsupported(f"urllib.request.Request rejects the URL: {e}") from None
    # urllib's opener has handlers for http and https only: a ws/wss URL is "unknown url type"
    # before HTTPCookieProcessor sees it (http.cookiejar itself would take wss as secure).
    if request.type not in ("http", "https"):
        raise unsupported(f"urllib has no handler for {request.type}: URLs, so its cookie processor never runs for one")
    return request


def context_of(op):
    ctx = op.get("context") or {}
    if not isinstance(ctx, dict):
        raise bad("`context` is not an object")
    if ctx.get("api", "http") != "http":
        raise unsupported("http.cookiejar has no non-HTTP (script) API")
    return ctx


def rest_attr(cookie, name):
    """A non-standard attribute (HttpOnly, SameSite) as stored, matched case-insensitively:
    the library keeps unknown attribute names with their original case."""
    for key, value in cookie._rest.items():
        if key.lower() == name:
            return True, value
    return False, None


def dumped(c):
    has_same_site, same_site = rest_attr(c, "samesite")
    same_site = (same_site or "").lower() if has_same_site else ""
    domain = c.domain.lower()
    return {
        "name": b64(c.name.encode("latin-1")),
        "value": b64((c.value or "").encode("latin-1")),
        "domain": domain[1:] if domain.startswith(".") else domain,
        "path": b64(c.path.encode("latin-1")),
        "host_only": not c.domain_specified,
        "secure": bool(c.secure),
        "http_only": rest_attr(c, "httponly")[0],
        "same_site": same_site if same_site in ("none", "strict", "lax") else "default",
        "persistent": not c.discard,
        "expires": None if c.discard or c.expires is None else int(c.expires),
        "partition_key": None,
    }


class Session:
    def __init__(self):
        self.jar = new_jar()

    def reset(self, op):
        if op.get("profile", "rfc6265bis") not in PROFILES:
            raise unsupported(f"profile {op.get('profile')} not supported")
        config = op.get("config") or {}
        if config.get("chips"):
            raise unsupported("http.cookiejar has no CHIPS (Partitioned)")
        if config.get("third_party", "allow") != "allow":
            raise unsupported("http.cookiejar has no third-party cookie policy")
        self.jar = new_jar()
        return {}

    def set(self, op):
        url, ctx = field(op, "url", str), context_of(op)
        lines = [unb64(x) for x in field(op, "set_cookie", list)]
        request = request_for(url, ctx)
        self.jar.add_cookie_header(request)  # HTTPCookieProcessor.http_request, before sending
        self.jar.extract_cookies(Response(lines), request)  # .http_response
        return {}

    def get(self, op):
        url, ctx = field(op, "url", str), context_of(op)
        request = request_for(url, ctx)
        self.jar.add_cookie_header(request)
        header = request.get_header("Cookie")
        return {"cookie": None if header is None else b64(header.encode("latin-1"))}

    def dump(self, op):
        self.jar.clear_expired_cookies()
        return {"cookies": [dumped(c) for c in self.jar]}


OPS = {"reset": Session.reset, "set": Session.set, "get": Session.get, "dump": Session.dump}
SESSIONS = {}
NEXT_ID = [0]


def run_op(session, name, op):
    if not isinstance(op, dict):
        raise bad("operation is not an object")
    if name not in OPS:
        raise AdapterError(404, "not_found", f"no operation `{name}`")
    now = op.get("now")  # absent: the real clock
    if now is not None and (not isinstance(now, int) or isinstance(now, bool)):
        raise bad("`now` is not an integer")
    with LOCK:
        CLOCK.now = now
        try:
            return OPS[name](session, op)
        finally:
            CLOCK.now = None


def run_batch(session, body):
    results = []
    for op in field(body, "ops", list):
        try:
            results.append(run_op(session, op.get("op") if isinstance(op, dict) else None, op))
        except AdapterError as e:
            results.append({"error": str(e), "kind": e.kind})
            break
        except Exception as e:  # the library failed: report, stop the batch
            results.append({"error": f"{type(e).__name__}: {e}", "kind": "internal"})
            break
    return {"results": results}


def info():
    return {
        "protocol": PROTOCOL,
        "name": "python-http-cookiejar",
        "library": "http.cookiejar (CPython standard library)",
        "version": platform.python_version(),
        "runtime": f"CPython {platform.python_version()}",
        "configuration": "urllib.request with HTTPCookieProcessor: CookieJar(DefaultCookiePolicy()) "
        "(Netscape cookies, RFC 2965 off), add_cookie_header on every request, extract_cookies on "
        "every response, headers parsed by http.client; no public suffix list; virtual clock by "
        "shimming the module's `time` reference",
        "parallel": False,
        "capabilities": {
            "virtual_clock": True,
            "script_api": False,
            "same_site_contexts": False,
            "partitioned": False,
            "third_party_policies": ["allow"],
            "profiles": PROFILES,
            "configurable": [],
            "storage_dump": True,
            "public_suffix_list": None,
        },
    }


def route(method, path, body):
    parts = path.strip("/").split("/")
    if method == "GET" and parts == ["info"]:
        return info()
    if method == "POST" and parts == ["sessions"]:
        NEXT_ID[0] += 1
        sid = str(NEXT_ID[0])
        SESSIONS[sid] = Session()
        return {"id": sid}
    if len(parts) >= 2 and parts[0] == "sessions":
        session = SESSIONS.get(parts[1])
        if session is None:
            raise AdapterError(404, "not_found", f"no session {parts[1]}")
        if method == "DELETE" and len(parts) == 2:
            del SESSIONS[parts[1]]
            return {}
        if method == "POST" and len(parts) == 3:
            if parts[2] == "batch":
                return run_batch(session, body)
            return run_op(session, parts[2], body)
    raise AdapterError(404, "not_found", f"no endpoint {method} {path}")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive
    disable_nagle_algorithm = True  # TCP_NODELAY, or every answer waits ~40 ms for an ACK

    def log_message(self, *args):
        pass

    def answer(self, status, obj):
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            try:
                body = json.loads(raw) if raw.strip() else {}
            except ValueError as e:
                raise bad(f"invalid JSON: {e}") from None
            if not isinstance(body, dict):
                raise bad("body is not an object")
            if self.command == "POST" and self.path == "/shutdown":
                self.answer(200, {})
                self.wfile.flush()
                os._exit(0)
            self.answer(200, route(self.command, self.path, body))
        except AdapterError as e:
            self.answer(e.status, {"error": str(e), "kind": e.kind})
        except Exception as e:
            self.answer(500, {"error": f"{type(e).__name__}: {e}", "kind": "internal"})

    do_GET = do_POST = do_DELETE = handle_any


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    print(f"LISTENING {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
