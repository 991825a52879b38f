#!/usr/bin/python3
"""cookie-adapter/1 server (../PROTOCOL.md) for GNOME libsoup 3's SoupCookieJar.

The client modelled: a `Soup.Session` with a default `Soup.CookieJar()` added as a session
feature (`session.add_feature(jar)`), the jar WebKitGTK and GNOME applications use. Each `set`
or `get` is one SoupMessage of that session, with the same-site information a libsoup user sets
on it (`soup_message_set_first_party`, `soup_message_set_site_for_cookies`,
`soup_message_set_is_top_level_navigation`, the method), and the jar is called exactly as the
session feature calls it (soupjar.py says which calls). Response bytes go through libsoup's own
HTTP/1 header parser first.

The clock: libsoup reads the time through GLib and libc (`g_date_time_new_now_utc` for Max-Age,
`time (NULL)` in `soup_date_time_is_past`). run.sh preloads libfaketime with a per-process
timestamp file; before each operation this process writes the operation's `now` there as an
absolute UTC time (a frozen clock, exact to the second), and the real clock (`+0`) after it.
"""
import argparse
import atexit
import base64
import binascii
import datetime
import http.server
import json
import os
import platform
import signal
import sys
import threading

import soupjar

PROTOCOL = "cookie-adapter/1"
PROFILES = ["rfc6265", "rfc6265bis"]
NAME = "python-libsoup"


class AdapterError(Exception):
    def __init__(self, status, kind, message):
        super().__init__(message)
        self.status, self.kind = status, kind


def bad(message):
    return AdapterError(400, "bad_request", message)


def unsupported(message):
    return AdapterError(422, "unsupported", message)


class FakeClock:
    """The libfaketime timestamp file (FAKETIME_TIMESTAMP_FILE, read on every time call since
    FAKETIME_NO_CACHE=1). TZ=UTC (run.sh), so the absolute time written is read as UTC."""

    EPOCH = datetime.datetime(1970, 1, 1)

    def __init__(self):
        self.path = os.environ.get("FAKETIME_TIMESTAMP_FILE")
        if not self.path or "libfaketime" not in os.environ.get("LD_PRELOAD", ""):
            sys.exit("python-libsoup: start me with run.sh (libfaketime must be preloaded for the virtual clock)")
        self.write("+0")
        atexit.register(self.remove)

    def write(self, text):
        tmp = self.path + ".new"
        with open(tmp, "w") as f:
            f.write(text + "\n")
        os.replace(tmp, self.path)  # atomic: libfaketime never reads a half-written file

    def set(self, now):
        if now is None:
            self.write("+0")
            return
        try:
            when = self.EPOCH + datetime.timedelta(seconds=now)
        except OverflowError:
            raise unsupported(f"now={now} is outside the years 1-9999 that GDateTime (libsoup's clock) represents") from None
        self.write(when.strftime("%Y-%m-%d %H:%M:%S").rjust(19, "0"))

    def remove(self):
        for p in (self.path, self.path + ".new"):
            try:
                os.unlink(p)
            except FileNotFoundError:
                pass


CLOCK = None
VERSION = None
LOCK = threading.Lock()  # one operation at a time: the clock file is process-wide


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


def message_for(op):
    """The SoupMessage a Soup.Session user sends for this request. The case's context maps to
    what such a user can set on the message:
    - `soup_message_set_first_party`: the top-level document's URL (`top_level`, else the site
      for cookies' URL); not set for a request without a client (the address bar), which the
      jar then treats as same-site.
    - `soup_message_set_site_for_cookies`: the site for cookies' URL; left NULL for an opaque
      one (libsoup's documented meaning of NULL: not same-site with the top-level document).
    - `soup_message_set_is_top_level_navigation`, and the method (SOUP_METHOD_IS_SAFE)."""
    url = field(op, "url", str)
    ctx = op.get("context") or {}
    if not isinstance(ctx, dict):
        raise bad("`context` is not an object")
    if ctx.get("api", "http") != "http":
        raise unsupported("libsoup has no non-HTTP (script) cookie API: WebKitGTK implements document.cookie "
                          "itself (its own HttpOnly checks around soup_cookie_parse and add_cookie_full)")
    site = ctx.get("site_for_cookies")
    top = ctx.get("top_level")
    method = ctx.get("method", "GET")
    if not isinstance(method, str) or not method:
        raise bad("`context.method` is not a non-empty string")
    scheme = url.split(":", 1)[0].lower()
    if scheme not in ("http", "https", "ws", "wss"):
        raise unsupported(f"a Soup.Session requests only http(s) URLs and WebSocket (ws, wss) handshakes, not {scheme}:")
    first_party = top if top is not None else (site if site not in (None, "opaque") else None)
    if site == "opaque" and first_party is None:
        raise unsupported("an opaque site for cookies without `top_level`: a libsoup user sets the top-level "
                          "document's URL as the message's first party, and none is given")
    try:
        return soupjar.Message(method, url, first_party=first_party,
                               site_for_cookies=None if site in (None, "opaque") else site,
                               top_level_navigation=bool(ctx.get("top_level_navigation", False)))
    except soupjar.Refused as e:
        raise unsupported(str(e)) from None


def dumped(c):
    domain = c["domain"].decode("utf-8", "replace").lower()
    return {
        "name": b64(c["name"]),
        "value": b64(c["value"]),
        "domain": domain[1:] if domain.startswith(".") else domain,
        "path": b64(c["path"]),
        # libsoup marks a domain cookie by the leading dot of its domain (soup_cookie_parse).
        "host_only": not c["domain"].startswith(b"."),
        "secure": c["secure"],
        "http_only": c["http_only"],
        # SOUP_SAME_SITE_POLICY_NONE is both "SameSite=None" and "no/unknown attribute": the
        # jar does not keep the difference, so that cookie's same_site is not exposed.
        "same_site": None if c["same_site"] == "none" else c["same_site"],
        "persistent": c["expires"] is not None,
        "expires": c["expires"],
        "partition_key": None,
    }


class Session:
    def __init__(self):
        self.jar = soupjar.Jar()

    def reset(self, op):
        if op.get("profile", "rfc6265bis") not in PROFILES:
            raise unsupported(f"profile {op.get('profile')} not supported")
        config = op.get("config") or {}
        if config.get("chips"):
            raise unsupported("libsoup has no CHIPS (Partitioned)")
        if config.get("third_party", "allow") != "allow":
            raise unsupported("only the default accept policy (SOUP_COOKIE_JAR_ACCEPT_ALWAYS) is modelled")
        self.jar = soupjar.Jar()
        return {}

    def set(self, op):
        lines = [unb64(x) for x in field(op, "set_cookie", list)]
        msg = message_for(op)
        try:
            self.jar.exchange(msg, lines)
        except soupjar.Refused as e:
            raise unsupported(str(e)) from None
        return {}

    def get(self, op):
        header = self.jar.cookie_header(message_for(op))
        return {"cookie": None if header is None else b64(header)}

    def dump(self, op):
        return {"cookies": [dumped(c) for c in self.jar.cookies()]}


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
        CLOCK.set(now)
        try:
            return OPS[name](session, op)
        finally:
            CLOCK.set(None)


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


def package_version():
    """libsoup's own version. Debian's package version (run.sh reads it with dpkg-query before
    preloading libfaketime; the package carries security fixes that change parsing, e.g. the NUL
    refusal) is reported in `runtime`."""
    return soupjar.version()


def psl_version():
    try:
        import ctypes
        psl = ctypes.CDLL("libpsl.so.5")
        psl.psl_get_version.restype = ctypes.c_char_p
        return psl.psl_get_version().decode()
    except (OSError, AttributeError):
        return "?"


def info():
    return {
        "protocol": PROTOCOL,
        "name": NAME,
        "library": "libsoup (SoupCookieJar)",
        "version": VERSION,
        "runtime": f"CPython {platform.python_version()} (ctypes on Debian's libsoup-3.0.so.0"
        + (f", package {os.environ['LIBSOUP_DEB_VERSION']}" if os.environ.get("LIBSOUP_DEB_VERSION") else "")
        + f"), libpsl {psl_version()}",
        "configuration": "Soup.Session with a default Soup.CookieJar() session feature (accept-policy ALWAYS): "
        "get_cookie_list_with_same_site_info + cookies_to_cookie_header when a message starts, "
        "soup_headers_parse_response + cookies_from_response + add_cookie_full(uri, first_party) on its "
        "response; context as first_party/site_for_cookies/is_top_level_navigation/method of the "
        "SoupMessage; public suffixes from libpsl psl_latest(); virtual clock by libfaketime",
        "parallel": False,
        "capabilities": {
            "virtual_clock": True,
            "script_api": False,
            "same_site_contexts": True,
            "partitioned": False,
            "third_party_policies": ["allow"],
            "profiles": PROFILES,
            "configurable": [],
            "storage_dump": True,
            "public_suffix_list": f"libpsl {psl_version()} psl_latest(): the newer of its built-in list and "
            "Debian's publicsuffix DAFSA",
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
        # send_response_only: no Date header, whose time.time() would read the virtual clock
        # of an operation running on another connection.
        self.send_response_only(status)
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
                CLOCK.remove()
                os._exit(0)
            self.answer(200, route(self.command, self.path, body))
        except AdapterError as e:
            self.answer(e.status, {"error": str(e), "kind": e.kind})
        except Exception as e:
            self.answer(500, {"error": f"{type(e).__name__}: {e}", "kind": "internal"})

    do_GET = do_POST = do_DELETE = handle_any


def main():
    global CLOCK, VERSION
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    CLOCK = FakeClock()
    VERSION = package_version()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # runs the atexit cleanup
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    print(f"LISTENING {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
