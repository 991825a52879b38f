#!/usr/bin/python3
# Reproducer: limits::nameless value of 4097 octets is rejected [rfc6265bis] on python-libsoup
#
# Library:  libsoup (SoupCookieJar) 3.2.3
# Target:   libsoup (SoupCookieJar) 3.2.3 (Debian 3.2.3-0+deb12u2), as Soup.Session with a Soup.CookieJar feature (libsoup 3, PyGObject) drives it, through its adapter (checked against that client by `fidelity`)
# Case:     cases/limits/name-value-size.yaml:48 (cookie-conformance corpus)
# Spec:     RFC 6265bis-22 §5.6 step 5  https://datatracker.ietf.org/doc/html/draft-ietf-httpbis-rfc6265bis-22#section-5.6
#
# Recorded on libsoup (SoupCookieJar) 3.2.3 (2026-12-07T04:30:01Z): xfail, at step 2
#   observed: Cookie: "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
#   expected: (no Cookie header)
# Known divergence (expected-failures file): libsoup has no 4096-octet limit on name plus value (§5.7 step 1): the cookie is stored and sent
#
# What the spec says happens, step by step (the reference jar's account):
#   1. rejected: the cookie name and value together exceed 4096 octets [§5.6 step 5]
#   2. sends (no Cookie header)
#
# It prints each request's Cookie header next to what the spec expects, and exits 1 while
# the jar diverges from the spec, 0 once it follows it.
# Generated by: cookie-conformance repro --target python-libsoup 'limits::nameless value of 4097 octets is rejected [rfc6265bis]'
#
# Run: /usr/bin/python3 THIS_FILE   (Debian 12: gir1.2-soup-3.0 (libsoup-3.0-0) and libfaketime;
# Debian's python3, which finds libsoup-3.0.so.0; ctypes only)
#
# The jar is called as a Soup.Session calls its SoupCookieJar feature for a message
# (libsoup/cookies/soup-cookie-jar.c): when the message starts,
# soup_cookie_jar_get_cookie_list_with_same_site_info(jar, uri, first_party, site_for_cookies,
# TRUE, SOUP_METHOD_IS_SAFE(method), is_top_level_navigation) and soup_cookies_to_cookie_header
# make the Cookie header (none when the list is empty); on the response, the header block is
# parsed by soup_headers_parse_response (libsoup's HTTP/1 parser) and each cookie of
# soup_cookies_from_response is stored with soup_cookie_jar_add_cookie_full(jar, cookie, uri,
# first_party). A request context is set on the SoupMessage as a libsoup user sets it:
# soup_message_set_first_party (the top-level document), soup_message_set_site_for_cookies
# (NULL when opaque), soup_message_set_is_top_level_navigation, the method.
#
# The clock: libsoup reads the time through GLib and libc, so this program runs itself again
# with libfaketime preloaded and writes the virtual time into libfaketime's timestamp file
# before each call.
import ctypes
import datetime
import os
import sys
import tempfile

FAKETIME = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"
if "FAKETIME_TIMESTAMP_FILE" not in os.environ:
    fd, stamp = tempfile.mkstemp(prefix="libsoup-repro-clock.")
    os.write(fd, b"+0\n")
    os.close(fd)
    env = dict(os.environ, LD_PRELOAD=FAKETIME, FAKETIME_TIMESTAMP_FILE=stamp, FAKETIME_NO_CACHE="1",
               FAKETIME_DONT_FAKE_MONOTONIC="1", TZ="UTC")
    pid = os.fork()
    if pid == 0:
        os.execve(sys.executable, [sys.executable, os.path.abspath(__file__)], env)
    _, status = os.waitpid(pid, 0)
    os.unlink(stamp)
    sys.exit(os.waitstatus_to_exitcode(status))

P, I, S = ctypes.c_void_p, ctypes.c_int, ctypes.c_char_p
soup = ctypes.CDLL("libsoup-3.0.so.0")
glib = ctypes.CDLL("libglib-2.0.so.0")


class GSList(ctypes.Structure):
    pass


GSList._fields_ = [("data", P), ("next", ctypes.POINTER(GSList))]
LIST = ctypes.POINTER(GSList)
for lib, name, res, args in [
    (soup, "soup_cookie_jar_new", P, []),
    (soup, "soup_cookie_jar_get_cookie_list_with_same_site_info", LIST, [P, P, P, P, I, I, I]),
    (soup, "soup_cookie_jar_get_cookie_list", LIST, [P, P, I]),
    (soup, "soup_cookie_jar_add_cookie_full", None, [P, P, P, P]),
    (soup, "soup_cookie_jar_all_cookies", LIST, [P]),
    (soup, "soup_cookies_to_cookie_header", P, [LIST]),
    (soup, "soup_cookies_from_response", LIST, [P]),
    (soup, "soup_cookies_free", None, [LIST]),
    (soup, "soup_cookie_get_name", S, [P]),
    (soup, "soup_cookie_get_value", S, [P]),
    (soup, "soup_cookie_get_domain", S, [P]),
    (soup, "soup_cookie_get_path", S, [P]),
    (soup, "soup_cookie_get_expires", P, [P]),
    (soup, "soup_cookie_get_secure", I, [P]),
    (soup, "soup_cookie_get_http_only", I, [P]),
    (soup, "soup_cookie_get_same_site_policy", I, [P]),
    (soup, "soup_message_new", P, [S, S]),
    (soup, "soup_message_get_uri", P, [P]),
    (soup, "soup_message_set_first_party", None, [P, P]),
    (soup, "soup_message_get_first_party", P, [P]),
    (soup, "soup_message_set_site_for_cookies", None, [P, P]),
    (soup, "soup_message_get_site_for_cookies", P, [P]),
    (soup, "soup_message_set_is_top_level_navigation", None, [P, I]),
    (soup, "soup_message_get_is_top_level_navigation", I, [P]),
    (soup, "soup_message_get_method", S, [P]),
    (soup, "soup_message_get_response_headers", P, [P]),
    (soup, "soup_headers_parse_response", I, [S, I, P, P, P, P]),
    (glib, "g_free", None, [P]),
    (glib, "g_slist_free", None, [LIST]),
    (glib, "g_uri_build", P, [I, S, S, S, I, S, S, S]),
    (glib, "g_date_time_to_unix", ctypes.c_int64, [P]),
]:
    f = getattr(lib, name)
    f.restype, f.argtypes = res, args
SAFE_METHODS = {b"GET", b"HEAD", b"OPTIONS", b"PROPFIND", b"TRACE"}  # SOUP_METHOD_IS_SAFE


class VirtualClock:
    """The case's clock, shown to libsoup through libfaketime's timestamp file (UTC)."""

    def __init__(self, start):
        self.now = start

    def show(self):
        when = datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=self.now)
        tmp = os.environ["FAKETIME_TIMESTAMP_FILE"] + ".new"
        with open(tmp, "w") as f:
            f.write(when.strftime("%Y-%m-%d %H:%M:%S").rjust(19, "0") + "\n")
        os.replace(tmp, os.environ["FAKETIME_TIMESTAMP_FILE"])


CLOCK = VirtualClock(1767225600)
jar = soup.soup_cookie_jar_new()  # what Soup.CookieJar() builds: accept-policy ALWAYS
diverged = []


def items(lst):
    out = []
    while lst:
        out.append(lst.contents.data)
        lst = lst.contents.next
    return out


def message(url, context):
    """A SoupMessage with the request context set as a libsoup user sets it."""
    context = context or {}
    msg = soup.soup_message_new(context.get("method", "GET").encode(), url.encode())
    site, top = context.get("site_for_cookies"), context.get("top_level")
    first_party = top if top is not None else (site if site not in (None, "opaque") else None)
    for setter, value in ((soup.soup_message_set_first_party, first_party),
                          (soup.soup_message_set_site_for_cookies, None if site in (None, "opaque") else site)):
        if value is not None:
            setter(msg, soup.soup_message_get_uri(soup.soup_message_new(b"GET", value.encode())))
    soup.soup_message_set_is_top_level_navigation(msg, 1 if context.get("top_level_navigation") else 0)
    return msg


def cookie_header(msg):
    """msg_starting_cb: the Cookie header the session sends, or None."""
    lst = soup.soup_cookie_jar_get_cookie_list_with_same_site_info(
        jar, soup.soup_message_get_uri(msg), soup.soup_message_get_first_party(msg),
        soup.soup_message_get_site_for_cookies(msg), 1,
        1 if soup.soup_message_get_method(msg) in SAFE_METHODS else 0,
        soup.soup_message_get_is_top_level_navigation(msg))
    if not lst:
        return None
    text = soup.soup_cookies_to_cookie_header(lst)
    value = ctypes.string_at(text)
    glib.g_free(text)
    soup.soup_cookies_free(lst)
    return value


def header_block(lines):
    """The response head as libsoup's HTTP/1 client reads it (soup_message_io_data_read_headers):
    up to the first empty line, which a CR LF or LF inside a line can bring forward; None past its
    64 KiB limit ("Header too big")."""
    raw = b"HTTP/1.1 200 OK\r\n" + b"".join(b"Set-Cookie: " + line + b"\r\n" for line in lines) + b"\r\n"
    end = min(i for i in (raw.find(b"\n\n"), raw.find(b"\n\r\n")) if i >= 0)
    return raw[:end + 1] if end + 1 <= 64 * 1024 else None


def set_cookies(url, lines, context=None):
    CLOCK.show()
    msg = message(url, context)
    cookie_header(msg)  # the request goes out first (the jar drops this host's expired cookies)
    block = header_block(lines)
    if block is None or not soup.soup_headers_parse_response(block, len(block), soup.soup_message_get_response_headers(msg),
                                            None, None, None):
        print(f"  (libsoup's HTTP/1 parser refuses this response: no cookie of it reaches the jar)")
        return
    lst = soup.soup_cookies_from_response(msg)
    for cookie in items(lst):  # process_set_cookie_header
        soup.soup_cookie_jar_add_cookie_full(jar, cookie, soup.soup_message_get_uri(msg),
                                             soup.soup_message_get_first_party(msg))
    glib.g_slist_free(lst)


def advance(seconds):
    CLOCK.now += seconds


def shown(value):
    """Octets for people and for machines: printable ASCII as is, the rest as \\xNN."""
    if value is None:
        return "(no Cookie header)"
    return '"' + "".join(
        chr(b) if 0x20 <= b < 0x7F and b not in (0x22, 0x5C) else "\\x%02x" % b for b in value
    ) + '"'


def expect_cookie(step, url, expected, context=None):
    CLOCK.show()
    observed = cookie_header(message(url, context))
    ok = observed in expected
    print(f"step {step}: {(context or {}).get('method', 'GET')} {url}" + (f"  context {context}" if context else ""))
    print(f"  observed: {shown(observed)}")
    print(f"  expected: {' or '.join(shown(e) for e in expected)}")
    print("  ok" if ok else "  DIVERGES from the spec")
    if not ok:
        diverged.append(step)


def dump():
    """Every cookie, after the jar's own expiry: a lookup for each domain held drops the
    expired ones, as the session's next request to that host would."""
    CLOCK.show()
    lst = soup.soup_cookie_jar_all_cookies(jar)
    domains = {soup.soup_cookie_get_domain(c) for c in items(lst)}
    soup.soup_cookies_free(lst)
    for domain in domains:
        uri = glib.g_uri_build(0, b"http", None, domain.lstrip(b".") if domain.startswith(b".") else domain,
                               -1, b"/", None, None)
        if uri:
            soup.soup_cookies_free(soup.soup_cookie_jar_get_cookie_list(jar, uri, 1))
    lst = soup.soup_cookie_jar_all_cookies(jar)
    out = []
    for c in items(lst):
        domain = soup.soup_cookie_get_domain(c).decode("utf-8", "replace").lower()
        expires = soup.soup_cookie_get_expires(c)
        out.append({
            "name": soup.soup_cookie_get_name(c),
            "value": soup.soup_cookie_get_value(c),
            "domain": domain[1:] if domain.startswith(".") else domain,
            "path": soup.soup_cookie_get_path(c),
            "host_only": str(not domain.startswith(".")).lower(),
            "secure": str(bool(soup.soup_cookie_get_secure(c))).lower(),
            "http_only": str(bool(soup.soup_cookie_get_http_only(c))).lower(),
            # SOUP_SAME_SITE_POLICY_NONE stands for both SameSite=None and no attribute.
            "same_site": {0: "none", 1: "lax", 2: "strict"}[soup.soup_cookie_get_same_site_policy(c)],
            "persistent": str(bool(expires)).lower(),
            "expires": str(glib.g_date_time_to_unix(expires)) if expires else "null",
            "partition_key": "null",
        })
    soup.soup_cookies_free(lst)
    return out


def octets(v):
    return v if isinstance(v, bytes) else str(v).encode("utf-8")


def expect_stored(step, expected):
    stored = dump()
    # Each expected entry (only the fields it gives) must match a different stored cookie.
    free = list(stored)
    ok = len(expected) == len(stored)
    for spec in expected:
        match = next((c for c in free if all(octets(c.get(k)) == octets(v) for k, v in spec.items())), None)
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


set_cookies("https://example.com/", [b"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"])
expect_cookie(2, "https://example.com/", [None])

sys.exit(1 if diverged else 0)
