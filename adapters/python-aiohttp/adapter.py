#!/usr/bin/env python3
"""cookie-adapter/1 server (../PROTOCOL.md) for `aiohttp.CookieJar`.

The jar is driven the way `aiohttp.ClientSession` drives it: a response's raw Set-Cookie
fields go to `CookieJar.update_cookies_from_headers(headers, response.url)`, and a request's
Cookie header is what `ClientRequest(method, url, cookies=jar.filter_cookies(url))` writes.
The Set-Cookie fields are those aiohttp's own response parser (`HttpResponseParser`, the one
the client's connection uses, with its limits) reads from the header bytes: decoded as UTF-8
with `surrogateescape`, and a response it refuses (a NUL, a bare CR or LF in a field) delivers
nothing, so such a case is unsupported. The server is aiohttp's own web server, so the jar
lives in a running event loop as in a client.
"""
import argparse
import asyncio
import base64
import binascii
import json
import os
import platform
import socket
import time
from importlib.metadata import version

import aiohttp
import aiohttp.cookiejar
from aiohttp import web
from aiohttp.base_protocol import BaseProtocol
from aiohttp.client_exceptions import ClientPayloadError
from aiohttp.client_reqrep import ClientRequest
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.http_parser import HttpResponseParser
from yarl import URL

PROTOCOL = "cookie-adapter/1"
PROFILES = ["rfc6265", "rfc6265bis"]


class LibraryClock:
    """`aiohttp.cookiejar`'s view of the `time` module: the jar calls `time.time()` for Max-Age
    deadlines and expiry. This shim answers the operation's `now` while one runs (operations
    are synchronous, so no other coroutine runs meanwhile) and otherwise forwards to the real
    module. No library code is changed, only the module reference it reads the clock through."""

    def __init__(self):
        self.now = None

    def time(self):
        return float(self.now) if self.now is not None else time.time()

    def __getattr__(self, name):
        return getattr(time, name)


CLOCK = LibraryClock()
aiohttp.cookiejar.time = CLOCK


class AdapterError(Exception):
    def __init__(self, status, kind, message):
        super().__init__(message)
        self.status, self.kind = status, kind


def bad(message):
    return AdapterError(400, "bad_request", message)


def unsupported(message):
    return AdapterError(422, "unsupported", message)


def b64(text):
    return base64.b64encode(text.encode("utf-8", "surrogateescape")).decode("ascii")


def unb64(text):
    try:
        return base64.b64decode(text, validate=True).decode("utf-8", "surrogateescape")
    except (binascii.Error, TypeError) as e:
        raise bad(f"bad base64: {e}") from None


def unb64_bytes(text):
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, TypeError) as e:
        raise bad(f"bad base64: {e}") from None


BODY = b"<!doctype html><title>cookie-conformance</title>"


def delivered(lines):
    """The Set-Cookie fields aiohttp's client reads from a response carrying `lines`: parsed by
    the same HttpResponseParser, with the same limits, as ResponseHandler (client_proto.py)
    builds it."""
    # Framed as a server sends it (the runner's loopback server's shape: Content-Length, the
    # fields, a body): a stray LF can end the header block early, and the body then fails to parse.
    raw = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\n" % len(BODY)
    raw += b"".join(b"Set-Cookie: " + line + b"\r\n" for line in lines) + b"\r\n" + BODY
    parser = HttpResponseParser(
        BaseProtocol(LOOP), LOOP, 2**16, timer=None, payload_exception=ClientPayloadError,
        response_with_body=True, read_until_eof=False, auto_decompress=True,
        max_line_size=8190, max_field_size=8190, max_headers=128,
    )
    try:
        messages, _, _ = parser.feed_data(raw)
    except HttpProcessingError as e:
        message = " ".join(str(e).split())
        raise unsupported(f"aiohttp's HTTP parser refuses the response, so no cookie of it reaches the jar: {message}") from None
    return list(messages[0][0].headers.getall("Set-Cookie", ()))


def url_of(op):
    url = op.get("url")
    if not isinstance(url, str):
        raise bad("field `url` missing or not a string")
    try:
        parsed = URL(url)
    except (ValueError, TypeError) as e:
        raise unsupported(f"yarl.URL rejects the URL: {e}") from None
    if not parsed.absolute:
        raise unsupported("aiohttp requests absolute URLs only")
    return parsed


def context_of(op):
    ctx = op.get("context") or {}
    if not isinstance(ctx, dict):
        raise bad("`context` is not an object")
    if ctx.get("api", "http") != "http":
        raise unsupported("aiohttp's CookieJar has no non-HTTP (script) API")
    return ctx


class Session:
    def __init__(self):
        self.jar = aiohttp.CookieJar()  # ClientSession's default: unsafe=False, quote_cookie=True

    def reset(self, op):
        if op.get("profile", "rfc6265bis") not in PROFILES:
            raise unsupported(f"profile {op.get('profile')} not supported")
        config = op.get("config") or {}
        if config.get("chips"):
            raise unsupported("aiohttp's CookieJar has no CHIPS (Partitioned)")
        if config.get("third_party", "allow") != "allow":
            raise unsupported("aiohttp's CookieJar has no third-party cookie policy")
        self.jar = aiohttp.CookieJar()
        return {}

    def set(self, op):
        url, _ = url_of(op), context_of(op)
        lines = op.get("set_cookie")
        if not isinstance(lines, list):
            raise bad("field `set_cookie` missing or not a list")
        self.jar.update_cookies_from_headers(delivered([unb64_bytes(x) for x in lines]), url)
        return {}

    def get(self, op):
        url, ctx = url_of(op), context_of(op)
        request = ClientRequest(
            ctx.get("method", "GET"), url, cookies=self.jar.filter_cookies(url), loop=LOOP
        )
        header = request.headers.get("Cookie")
        return {"cookie": b64(header) if header else None}

    def dump(self, op):
        jar, cookies = self.jar, []
        for m in jar:  # iterating expires cookies first (at the shimmed `now`)
            domain, path = m["domain"], m["path"]
            key = (domain, path.rstrip("/"), m.key)  # the jar's own cookie identity
            deadline = jar._expirations.get(key)  # private: the jar's absolute expiry
            same_site = (m["samesite"] or "").lower()
            cookies.append({
                "name": b64(m.key),
                "value": b64(m.coded_value),  # what the Cookie header carries
                "domain": domain.lower().removeprefix("."),
                "path": b64(path),
                "host_only": key in jar._host_only_cookies,  # private, read only
                "secure": bool(m["secure"]),
                "http_only": bool(m["httponly"]),
                "same_site": same_site if same_site in ("none", "strict", "lax") else "default",
                "persistent": deadline is not None,
                "expires": None if deadline is None else int(deadline),
                "partition_key": None,
            })
        return {"cookies": cookies}


OPS = {"reset": Session.reset, "set": Session.set, "get": Session.get, "dump": Session.dump}
SESSIONS = {}
NEXT_ID = [0]
LOOP = None


def run_op(session, name, op):
    if not isinstance(op, dict):
        raise bad("operation is not an object")
    if name not in OPS:
        raise AdapterError(404, "not_found", f"no operation `{name}`")
    now = op.get("now")  # absent: the real clock
    if now is not None and (not isinstance(now, int) or isinstance(now, bool)):
        raise bad("`now` is not an integer")
    CLOCK.now = now
    try:
        return OPS[name](session, op)
    finally:
        CLOCK.now = None


def run_batch(session, body):
    ops, results = body.get("ops"), []
    if not isinstance(ops, list):
        raise bad("field `ops` missing or not a list")
    for op in ops:
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
        "name": "python-aiohttp",
        "library": "aiohttp",
        "version": aiohttp.__version__,
        "runtime": f"CPython {platform.python_version()}, yarl {version('yarl')}",
        "configuration": "CookieJar() as ClientSession builds it (unsafe=False, quote_cookie=True, "
        "no treat_as_secure_origin); no public suffix list; virtual clock by shimming the "
        "module's `time` reference",
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


def route(method, parts, body):
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
    raise AdapterError(404, "not_found", f"no endpoint {method} /{'/'.join(parts)}")


def answer(status, obj):
    return web.Response(status=status, body=json.dumps(obj).encode(), content_type="application/json")


async def handle(request):
    raw = await request.read()
    try:
        try:
            body = json.loads(raw) if raw.strip() else {}
        except ValueError as e:
            raise bad(f"invalid JSON: {e}") from None
        if not isinstance(body, dict):
            raise bad("body is not an object")
        parts = request.path.strip("/").split("/")
        if request.method == "POST" and parts == ["shutdown"]:
            LOOP.call_later(0.05, os._exit, 0)
            return answer(200, {})
        return answer(200, route(request.method, parts, body))
    except AdapterError as e:
        return answer(e.status, {"error": str(e), "kind": e.kind})
    except Exception as e:
        return answer(500, {"error": f"{type(e).__name__}: {e}", "kind": "internal"})


async def main(port):
    global LOOP
    LOOP = asyncio.get_running_loop()
    app = web.Application(client_max_size=16 * 1024 * 1024)
    app.router.add_route("*", "/{tail:.*}", handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    sock = socket.create_server(("127.0.0.1", port))
    await web.SockSite(runner, sock).start()  # aiohttp sets TCP_NODELAY on each connection
    print(f"LISTENING {sock.getsockname()[1]}", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    try:
        asyncio.run(main(parser.parse_args().port))
    except KeyboardInterrupt:
        pass
