#!/usr/bin/python3
"""The real client the python-libsoup adapter models, for the fidelity check
(`cookie-conformance fidelity`): a `Soup.Session` with a `Soup.CookieJar()` added as a session
feature (PyGObject, libsoup 3), fetching each URL over a real socket from the runner's loopback
server, so that libsoup's own HTTP/1 client reads the response and the jar's session feature
runs as it runs for any application. ws:// and wss:// URLs go through
`Soup.Session.websocket_connect_async` (the handshake request carries and receives cookies like
any message; the loopback server is no WebSocket server, so the handshake then fails, after the
response headers reached the jar).

Every host reaches the loopback server: the session's `remote-connectable` property (libsoup 3:
"a remote connectable to use instead of the message's URI host") is an object that enumerates
127.0.0.1 at the port of the URL's scheme. The message's URI, its Host header and the cookie
handling keep the URL's host; the TLS server identity is that connectable, so no SNI is sent
(the loopback server does not need one). The self-signed certificate is accepted through the
message's `accept-certificate` signal.

The clock: run through live.sh, which preloads libfaketime as run.sh does for the adapter; each
fetch writes its `now` into the timestamp file, so libsoup sees the case's virtual time exactly
as in the adapter.

Protocol: one JSON object per line on stdin, one answer per line on stdout.
  {"op": "reset"}                       -> {"ok": true, "virtual_clock": true}  (a new session and jar)
  {"op": "fetch", "url": U, "method": M,
   "http_port": P, "https_port": Q, "now": T}  -> {"ok": true} or {"error": E, "kind": K}
K is "unsupported" when libsoup refuses the request (a URL it cannot make a message of) or the
response (a header block its HTTP/1 parser will not parse): then no cookie reaches the jar.
"""
import json
import os
import sys

import gi

gi.require_version("Soup", "3.0")
from gi.repository import Gio, GLib, GObject, Soup  # noqa: E402

from adapter import AdapterError, FakeClock  # noqa: E402  the adapter's clock file writer, same format


class Loopback(GObject.Object, Gio.SocketConnectable):
    """127.0.0.1 at `port`, whatever host the message names."""

    port = 0

    def do_enumerate(self):
        return Gio.InetSocketAddress.new_from_string("127.0.0.1", self.port).enumerate()

    def do_proxy_enumerate(self):
        return self.do_enumerate()

    def do_to_string(self):
        return f"127.0.0.1:{self.port}"


LOOPBACK = Loopback()


def new_session():
    session = Soup.Session(remote_connectable=LOOPBACK, timeout=10)
    jar = Soup.CookieJar()  # accept-policy ALWAYS, as the adapter's
    session.add_feature(jar)
    return session


def accept_any(msg, certificate, errors):
    return True  # the loopback server's certificate is self-signed


def fetch(session, op):
    url, method = op["url"], op.get("method", "GET")
    scheme = url.split(":", 1)[0].lower()
    if scheme not in ("http", "https", "ws", "wss"):
        raise LookupError(f"a Soup.Session requests only http(s) URLs and WebSocket handshakes, not {scheme}:")
    LOOPBACK.port = op["https_port"] if scheme in ("https", "wss") else op["http_port"]
    msg = Soup.Message.new(method, url)
    if msg is None:
        raise LookupError(f"Soup.Message.new refuses the URL {url!r}")
    msg.connect("accept-certificate", accept_any)
    if scheme in ("ws", "wss"):
        ctx = GLib.MainContext.default()
        done = []
        session.websocket_connect_async(msg, None, None, GLib.PRIORITY_DEFAULT, None,
                                        lambda s, res: done.append(res))
        while not done:
            ctx.iteration(True)
        try:
            session.websocket_connect_finish(done[0]).close(1000, None)
        except GLib.Error as e:
            # Not a WebSocket server: the handshake fails after its response headers (and
            # their Set-Cookie fields) were processed.
            if msg.get_status() == 0:
                raise
        return
    body = GLib.Bytes.new(b"x=1") if method == "POST" else None
    if body is not None:
        msg.set_request_body_from_bytes("application/x-www-form-urlencoded", body)
    session.send_and_read(msg, None)


def main():
    clock = FakeClock()
    session = new_session()
    for line in sys.stdin:
        op = json.loads(line)
        try:
            if op["op"] == "reset":
                session.abort()
                session = new_session()
                sys.stdout.write(json.dumps({"ok": True, "virtual_clock": True}) + "\n")
                sys.stdout.flush()
                continue
            elif op["op"] == "fetch":
                clock.set(op.get("now"))
                try:
                    fetch(session, op)
                finally:
                    clock.set(None)
            else:
                raise ValueError(f"unknown op {op['op']!r}")
            answer = {"ok": True}
        except (LookupError, AdapterError) as e:
            answer = {"error": str(e), "kind": "unsupported"}
        except GLib.Error as e:
            if e.matches(Soup.SessionError.quark(), Soup.SessionError.PARSING) or "Header too big" in e.message:
                # libsoup's HTTP/1 client refuses the response: no cookie of it reaches the jar.
                answer = {"error": f"libsoup refuses the response: {e.message}", "kind": "unsupported"}
            else:
                answer = {"error": f"{e.domain}: {e.message}", "kind": "failed"}
        except Exception as e:
            answer = {"error": f"{type(e).__name__}: {e}", "kind": "failed"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()
    clock.remove()


if __name__ == "__main__":
    main()
