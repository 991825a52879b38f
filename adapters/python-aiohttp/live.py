#!/usr/bin/env python3
"""The real client the python-aiohttp adapter models, for the fidelity check
(`cookie-conformance fidelity --target python-aiohttp`): an aiohttp.ClientSession with its
default CookieJar fetching each URL over a real socket from the runner's loopback server, so
that aiohttp's own HTTP parser delivers the Set-Cookie bytes and the session's own cookie
handling (update_cookies_from_headers on the response, filter_cookies on the request) runs.

Every host reaches the loopback server: the connector's name resolution answers 127.0.0.1 and
the loopback port for the URL's scheme, while the request, its Host header, the TLS server name and
the jar keep the URL's host. Certificates are not verified (`ssl=False`: the server's is
self-signed). The clock: aiohttp.cookiejar reads `time.time()` through its module's `time`
reference; as in the adapter, that reference answers the fetch's `now` while a fetch runs.

Protocol: one JSON object per line on stdin, one answer per line on stdout.
  {"op": "reset"}                              -> {"ok": true, "virtual_clock": true}
  {"op": "fetch", "url": U, "method": M,
   "http_port": P, "https_port": Q, "now": T}  -> {"ok": true} or {"error": E, "kind": K}
K is "unsupported" when aiohttp refuses the request (a URL it cannot fetch) or the response (a
header block its parser rejects): then no cookie reaches the jar.
"""
import asyncio
import json
import socket
import sys

import aiohttp
import aiohttp.cookiejar

# The adapter's clock shim (importing the module installs it on the library), so that both
# see the same virtual time the same way.
from adapter import CLOCK


PORTS = {80: 0, 443: 0}


class LoopbackConnector(aiohttp.TCPConnector):
    """Every host (names and address literals alike) is 127.0.0.1, on the loopback listener for
    the URL's scheme. Only name resolution is replaced: connecting, TLS and HTTP are aiohttp's."""

    secure_ports = set()

    async def _resolve_host(self, host, port, traces=None):
        target = PORTS[443] if port in self.secure_ports else PORTS[80]
        return [{"hostname": host, "host": "127.0.0.1", "port": target, "family": socket.AF_INET, "proto": 0, "flags": 0}]


async def main():
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    secure_ports = LoopbackConnector.secure_ports
    session = None

    async def new_session():
        nonlocal session
        if session is not None:
            await session.close()
        # ClientSession's default CookieJar(); only the connector's name resolution is ours.
        connector = LoopbackConnector(ssl=False, force_close=True, use_dns_cache=False)
        session = aiohttp.ClientSession(connector=connector)

    await new_session()
    while line := await reader.readline():
        op = json.loads(line)
        try:
            if op["op"] == "reset":
                await new_session()
                answer = {"ok": True, "virtual_clock": True}
            elif op["op"] == "fetch":
                PORTS[80], PORTS[443] = op["http_port"], op["https_port"]
                url = aiohttp.client.URL(op["url"])
                if url.scheme not in ("http", "https", "ws", "wss"):
                    raise LookupError(f"aiohttp fetches http(s) URLs, not {url.scheme}:")
                secure_ports.clear()
                if url.scheme in ("https", "wss"):
                    secure_ports.add(url.port)
                CLOCK.now = op.get("now")
                try:
                    # ws and wss go as they are: ws_connect makes its handshake GET with them.
                    async with session.request(op.get("method", "GET"), url) as response:
                        await response.read()
                except aiohttp.ClientResponseError as e:
                    raise LookupError(f"aiohttp refuses the response: {e}") from None
                except aiohttp.InvalidURL as e:
                    raise LookupError(f"aiohttp refuses the URL: {e}") from None
                finally:
                    CLOCK.now = None
                answer = {"ok": True}
            else:
                raise ValueError(f"unknown op {op['op']!r}")
        except LookupError as e:
            answer = {"error": str(e), "kind": "unsupported"}
        except Exception as e:  # the client failed otherwise: the harness's problem
            answer = {"error": f"{type(e).__name__}: {e}", "kind": "failed"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()
    if session is not None:
        await session.close()


if __name__ == "__main__":
    asyncio.run(main())
