#!/usr/bin/env python3
@@header@@
#
# Run: pip install 'aiohttp==3.14.5' && python3 THIS_FILE
#
# The jar is driven as aiohttp.ClientSession drives it: a response's Set-Cookie fields, as
# aiohttp's own HTTP parser (HttpResponseParser) reads them from the bytes a server sends, go to
# CookieJar.update_cookies_from_headers(headers, url), and a request's Cookie header is what
# ClientRequest(method, url, cookies=jar.filter_cookies(url)) writes. The jar reads the clock
# through its module's `time` reference; this program points that reference at a virtual clock.
import asyncio
import sys
import time

import aiohttp
import aiohttp.cookiejar
from aiohttp.base_protocol import BaseProtocol
from aiohttp.client_exceptions import ClientPayloadError
from aiohttp.client_reqrep import ClientRequest
from aiohttp.http_parser import HttpResponseParser
from yarl import URL


class VirtualClock:
    """What aiohttp.cookiejar sees as the `time` module: time.time() is the case's clock."""

    def __init__(self, start):
        self.now = start

    def time(self):
        return float(self.now)

    def __getattr__(self, name):
        return getattr(time, name)


CLOCK = VirtualClock(@@start@@)
aiohttp.cookiejar.time = CLOCK
diverged = []


def text(octets):
    return octets.decode("utf-8", "surrogateescape")


def octets(value):
    return value.encode("utf-8", "surrogateescape")


def shown(value):
    """Octets for people and for machines: printable ASCII as is, the rest as \\xNN."""
    if value is None:
        return "(no Cookie header)"
    return '"' + "".join(
        chr(b) if 0x20 <= b < 0x7F and b not in (0x22, 0x5C) else "\\x%02x" % b for b in value
    ) + '"'


async def main():
    jar = aiohttp.CookieJar()  # ClientSession's default: unsafe=False, quote_cookie=True
    loop = asyncio.get_running_loop()

    def delivered(lines):
        """The Set-Cookie fields aiohttp's client parser reads from a response carrying `lines`."""
        body = b"<!doctype html><title>cookie-conformance</title>"
        raw = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\n" % len(body)
        raw += b"".join(b"Set-Cookie: " + line + b"\r\n" for line in lines) + b"\r\n" + body
        parser = HttpResponseParser(
            BaseProtocol(loop), loop, 2**16, timer=None, payload_exception=ClientPayloadError,
            response_with_body=True, read_until_eof=False, auto_decompress=True,
            max_line_size=8190, max_field_size=8190, max_headers=128,
        )
        messages, _, _ = parser.feed_data(raw)
        return list(messages[0][0].headers.getall("Set-Cookie", ()))

    def set_cookies(url, lines, context=None):
        jar.update_cookies_from_headers(delivered(lines), URL(url))

    def advance(seconds):
        CLOCK.now += seconds

    def expect_cookie(step, url, expected, context=None):
        method = (context or {}).get("method", "GET")
        request = ClientRequest(method, URL(url), cookies=jar.filter_cookies(URL(url)), loop=loop)
        header = request.headers.get("Cookie")
        observed = octets(header) if header else None
        ok = observed in expected
        print(f"step {step}: {method} {url}")
        print(f"  observed: {shown(observed)}")
        print(f"  expected: {' or '.join(shown(e) for e in expected)}")
        print("  ok" if ok else "  DIVERGES from the spec")
        if not ok:
            diverged.append(step)

    def dump():
        out = []
        for m in jar:  # iterating drops expired cookies first
            domain, path = m["domain"], m["path"]
            key = (domain, path.rstrip("/"), m.key)
            deadline = jar._expirations.get(key)  # private, read only: the absolute expiry
            same_site = (m["samesite"] or "").lower()
            out.append({
                "name": m.key,
                "value": m.coded_value,
                "domain": domain.lower().removeprefix("."),
                "path": path,
                "host_only": str(key in jar._host_only_cookies).lower(),  # private, read only
                "secure": str(bool(m["secure"])).lower(),
                "http_only": str(bool(m["httponly"])).lower(),
                "same_site": same_site if same_site in ("none", "strict", "lax") else "default",
                "persistent": str(deadline is not None).lower(),
                "expires": "null" if deadline is None else str(int(deadline)),
                "partition_key": "null",
            })
        return out

    def expect_stored(step, expected):
        stored = dump()
        # Each expected entry (only the fields it gives) must match a different stored cookie.
        free = list(stored)
        ok = len(expected) == len(stored)
        for spec in expected:
            spec = {k: (text(v.encode("latin-1")) if k in ("name", "value", "path") else v) for k, v in spec.items()}
            match = next((c for c in free if all(c.get(k) == v for k, v in spec.items())), None)
            if match is None:
                ok = False
            else:
                free.remove(match)
        print(f"step {step}: the jar holds {len(stored)} cookie(s)")
        for c in stored:
            print(f"  stored:   {c}")
        for spec in expected:
            print(f"  expected: {spec}")
        print("  ok" if ok else "  DIVERGES from the spec")
        if not ok:
            diverged.append(step)

    @@steps@@


asyncio.run(main())
sys.exit(1 if diverged else 0)
