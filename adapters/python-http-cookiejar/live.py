#!/usr/bin/env python3
"""The real client the python-http-cookiejar adapter models, for the fidelity check
(`cookie-conformance fidelity`): urllib.request with HTTPCookieProcessor fetching each URL over
a real socket from the runner's loopback server, so that http.client's own parser delivers the
Set-Cookie bytes and the cookie processor runs as urllib runs it.

The clock: http.cookiejar reads `time.time()` through its module's `time` reference; as in the
adapter, that reference answers the fetch's `now` (the case's virtual clock) while a fetch runs.
Nothing of the client path (urllib, http.client, sockets) is touched by this.

Every host name reaches the loopback server: the connection classes below connect to
127.0.0.1 (the port for the URL's scheme) while the request, its Host header, TLS server name
and cookie handling keep the URL's host. Certificates are not verified (the server's is
self-signed). Nothing else of urllib is changed.

Protocol: one JSON object per line on stdin, one answer per line on stdout.
  {"op": "reset"}                       -> {"ok": true, "virtual_clock": true}  (a new jar and opener)
  {"op": "fetch", "url": U, "method": M,
   "http_port": P, "https_port": Q, "now": T}  -> {"ok": true} or {"error": E, "kind": K}
K is "unsupported" when urllib refuses the request (a URL it cannot fetch) or the response (a
header block http.client will not parse): then no cookie reaches the jar.
"""
import http.client
import http.cookiejar
import json
import socket
import ssl
import sys
import urllib.error
import urllib.request

# The adapter's clock shim (importing the module installs it on the library), so that both
# see the same virtual time the same way.
from adapter import CLOCK

PORTS = {"http": 0, "https": 0}




class LoopbackHTTPConnection(http.client.HTTPConnection):
    def connect(self):
        self.sock = socket.create_connection(("127.0.0.1", PORTS["http"]), self.timeout)


class LoopbackHTTPSConnection(http.client.HTTPSConnection):
    def connect(self):
        sock = socket.create_connection(("127.0.0.1", PORTS["https"]), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


UNVERIFIED = ssl.create_default_context()
UNVERIFIED.check_hostname = False
UNVERIFIED.verify_mode = ssl.CERT_NONE


class LoopbackHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(LoopbackHTTPConnection, req)


class LoopbackHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self):
        super().__init__(context=UNVERIFIED)

    def https_open(self, req):
        return self.do_open(LoopbackHTTPSConnection, req, context=UNVERIFIED)


def new_opener():
    # What `build_opener(HTTPCookieProcessor())` gives a user, with the loopback connections.
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(jar), LoopbackHTTPHandler, LoopbackHTTPSHandler()
    )


def main():
    opener = new_opener()
    for line in sys.stdin:
        op = json.loads(line)
        try:
            if op["op"] == "reset":
                opener = new_opener()
                sys.stdout.write(json.dumps({"ok": True, "virtual_clock": True}) + "\n")
                sys.stdout.flush()
                continue
            elif op["op"] == "fetch":
                PORTS["http"], PORTS["https"] = op["http_port"], op["https_port"]
                data = b"x=1" if op.get("method", "GET") == "POST" else None
                try:
                    request = urllib.request.Request(op["url"], data=data, method=op.get("method", "GET"))
                except ValueError as e:
                    raise LookupError(f"urllib.request.Request rejects the URL: {e}") from None
                if request.type not in ("http", "https"):
                    raise LookupError(f"urllib has no cookie-carrying handler for {request.type}: URLs")
                CLOCK.now = op.get("now")
                try:
                    with opener.open(request, timeout=10) as response:
                        response.read()
                except http.client.HTTPException as e:
                    # http.client refuses the response (a line too long, too many headers, ...):
                    # no cookie of it reaches the jar.
                    raise LookupError(f"urllib (http.client) refuses the response: {type(e).__name__}: {e}") from None
                finally:
                    CLOCK.now = None
            else:
                raise ValueError(f"unknown op {op['op']!r}")
            answer = {"ok": True}
        except LookupError as e:
            answer = {"error": str(e), "kind": "unsupported"}
        except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as e:
            answer = {"error": f"{type(e).__name__}: {e}", "kind": "failed"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
