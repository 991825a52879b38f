"""libsoup 3's SoupCookieJar, called the way its SoupSession feature calls it for a message.

The calls go to the installed libsoup-3.0.so.0 through ctypes rather than through PyGObject, so
that the bytes stay bytes: libsoup keeps cookie names, values and paths as C strings that need
not be UTF-8 (its header parser turns invalid UTF-8 into U+FFFD, but a control octet or a Latin-1
byte that came from a script is kept), and PyGObject would decode every such string as UTF-8.

What SoupCookieJar's session feature does (libsoup/cookies/soup-cookie-jar.c, 3.2):
- `request_queued` connects `msg_starting_cb` to the message's "starting" signal: it calls
  `soup_cookie_jar_get_cookie_list_with_same_site_info (jar, uri, first_party,
  site_for_cookies, TRUE, SOUP_METHOD_IS_SAFE (method), is_top_level_navigation)` with the
  message's own getters, and sets `Cookie:` to `soup_cookies_to_cookie_header (list)` when the
  list is not empty (an empty string included), else removes the header;
- and a "got-headers" handler for Set-Cookie, `process_set_cookie_header`:
  `soup_cookies_from_response (msg)`, then `soup_cookie_jar_add_cookie_full (jar, cookie,
  soup_message_get_uri (msg), soup_message_get_first_party (msg))` for each cookie.
The response headers reach the message through `soup_headers_parse_response`, which is what the
HTTP/1 client (soup-client-message-io-http1.c, `parse_headers`) calls on the header block that
`soup_message_io_data_read_headers` read up to the first empty line (64 KiB at most).
"""
import ctypes

P = ctypes.c_void_p
_soup = ctypes.CDLL("libsoup-3.0.so.0")
_glib = ctypes.CDLL("libglib-2.0.so.0")
_gobject = ctypes.CDLL("libgobject-2.0.so.0")


class GSList(ctypes.Structure):
    pass


GSList._fields_ = [("data", P), ("next", ctypes.POINTER(GSList))]
LIST = ctypes.POINTER(GSList)


def _fn(lib, name, restype, *argtypes):
    f = getattr(lib, name)
    f.restype, f.argtypes = restype, list(argtypes)
    return f


I = ctypes.c_int
S = ctypes.c_char_p
g_object_unref = _fn(_gobject, "g_object_unref", None, P)
g_uri_unref = _fn(_glib, "g_uri_unref", None, P)
g_uri_build = _fn(_glib, "g_uri_build", P, I, S, S, S, I, S, S, S)
g_free = _fn(_glib, "g_free", None, P)
g_slist_free = _fn(_glib, "g_slist_free", None, LIST)
g_date_time_to_unix = _fn(_glib, "g_date_time_to_unix", ctypes.c_int64, P)
soup_get_major_version = _fn(_soup, "soup_get_major_version", ctypes.c_uint)
soup_get_minor_version = _fn(_soup, "soup_get_minor_version", ctypes.c_uint)
soup_get_micro_version = _fn(_soup, "soup_get_micro_version", ctypes.c_uint)
soup_cookie_jar_new = _fn(_soup, "soup_cookie_jar_new", P)
soup_cookie_jar_get_accept_policy = _fn(_soup, "soup_cookie_jar_get_accept_policy", I, P)
soup_cookie_jar_get_cookie_list_with_same_site_info = _fn(
    _soup, "soup_cookie_jar_get_cookie_list_with_same_site_info", LIST, P, P, P, P, I, I, I
)
soup_cookie_jar_get_cookie_list = _fn(_soup, "soup_cookie_jar_get_cookie_list", LIST, P, P, I)
soup_cookie_jar_add_cookie_full = _fn(_soup, "soup_cookie_jar_add_cookie_full", None, P, P, P, P)
soup_cookie_jar_all_cookies = _fn(_soup, "soup_cookie_jar_all_cookies", LIST, P)
soup_cookies_to_cookie_header = _fn(_soup, "soup_cookies_to_cookie_header", P, LIST)
soup_cookies_from_response = _fn(_soup, "soup_cookies_from_response", LIST, P)
soup_cookies_free = _fn(_soup, "soup_cookies_free", None, LIST)
soup_cookie_get_name = _fn(_soup, "soup_cookie_get_name", S, P)
soup_cookie_get_value = _fn(_soup, "soup_cookie_get_value", S, P)
soup_cookie_get_domain = _fn(_soup, "soup_cookie_get_domain", S, P)
soup_cookie_get_path = _fn(_soup, "soup_cookie_get_path", S, P)
soup_cookie_get_expires = _fn(_soup, "soup_cookie_get_expires", P, P)
soup_cookie_get_secure = _fn(_soup, "soup_cookie_get_secure", I, P)
soup_cookie_get_http_only = _fn(_soup, "soup_cookie_get_http_only", I, P)
soup_cookie_get_same_site_policy = _fn(_soup, "soup_cookie_get_same_site_policy", I, P)
soup_message_new = _fn(_soup, "soup_message_new", P, S, S)
soup_message_get_uri = _fn(_soup, "soup_message_get_uri", P, P)
soup_message_set_first_party = _fn(_soup, "soup_message_set_first_party", None, P, P)
soup_message_get_first_party = _fn(_soup, "soup_message_get_first_party", P, P)
soup_message_set_site_for_cookies = _fn(_soup, "soup_message_set_site_for_cookies", None, P, P)
soup_message_get_site_for_cookies = _fn(_soup, "soup_message_get_site_for_cookies", P, P)
soup_message_set_is_top_level_navigation = _fn(_soup, "soup_message_set_is_top_level_navigation", None, P, I)
soup_message_get_is_top_level_navigation = _fn(_soup, "soup_message_get_is_top_level_navigation", I, P)
soup_message_get_method = _fn(_soup, "soup_message_get_method", S, P)
soup_message_get_response_headers = _fn(_soup, "soup_message_get_response_headers", P, P)
soup_headers_parse_response = _fn(_soup, "soup_headers_parse_response", I, S, I, P, P, P, P)

SAME_SITE = {0: "none", 1: "lax", 2: "strict"}  # SoupSameSitePolicy
# SOUP_METHOD_IS_SAFE (soup-misc.h) compares the message's interned method with these, so it is
# case-sensitive, and PROPFIND counts as safe.
SAFE_METHODS = {b"GET", b"HEAD", b"OPTIONS", b"PROPFIND", b"TRACE"}
# soup-message-io-data.c: the client gives up ("Header too big") past this many header octets.
HEADER_SIZE_LIMIT = 64 * 1024
RESPONSE_BLOCK_SIZE = 8192


def version():
    return f"{soup_get_major_version()}.{soup_get_minor_version()}.{soup_get_micro_version()}"


class Refused(Exception):
    """The client path never hands these bytes or this request to the jar."""


def _items(lst):
    out, node = [], lst
    while node:
        out.append(node.contents.data)
        node = node.contents.next
    return out


def header_block(lines):
    """The header block libsoup's HTTP/1 client parses for a response carrying `lines`, as
    `soup_message_io_data_read_headers` cuts it: lines up to LF, ending at the first line that is
    only LF or CR LF (a CR or LF inside a Set-Cookie value ends the field, and an empty line
    inside one ends the headers). Raises Refused past the client's 64 KiB limit."""
    raw = b"HTTP/1.1 200 OK\r\n" + b"".join(b"Set-Cookie: " + line + b"\r\n" for line in lines) + b"\r\n"
    out, pos = b"", 0
    while pos < len(raw):
        lf = raw.find(b"\n", pos)
        end = len(raw) if lf < 0 else lf + 1
        line = raw[pos:end]
        pos = end
        if line in (b"\n", b"\r\n") and out.endswith(b"\n"):
            return out
        # read_line hands over at most RESPONSE_BLOCK_SIZE octets at a time; the size check
        # runs after each piece.
        for i in range(0, len(line), RESPONSE_BLOCK_SIZE):
            out += line[i:i + RESPONSE_BLOCK_SIZE]
            if len(out) > HEADER_SIZE_LIMIT:
                raise Refused("libsoup's HTTP/1 client refuses a response whose header block exceeds 64 KiB "
                              "(\"Header too big\"): the message fails before its Set-Cookie fields reach the jar")
    return out


class Message:
    """A SoupMessage as a Soup.Session user builds it: method, URI, and the same-site
    information WebKitGTK-style callers set (first party, site for cookies, top-level
    navigation)."""

    def __init__(self, method, url, first_party=None, site_for_cookies=None, top_level_navigation=False):
        self.ptr = soup_message_new(method.encode(), url.encode())
        if not self.ptr:
            raise Refused(f"soup_message_new refuses the URL {url!r} (GUri cannot parse it or it has no host)")
        for setter, value in ((soup_message_set_first_party, first_party),
                              (soup_message_set_site_for_cookies, site_for_cookies)):
            if value is None:
                continue
            probe = soup_message_new(b"GET", value.encode())  # parsed with the flags libsoup uses
            if not probe:
                raise Refused(f"libsoup cannot parse the context URL {value!r}")
            setter(self.ptr, soup_message_get_uri(probe))
            g_object_unref(probe)
        soup_message_set_is_top_level_navigation(self.ptr, 1 if top_level_navigation else 0)

    def __del__(self):
        if getattr(self, "ptr", None):
            g_object_unref(self.ptr)


class Jar:
    def __init__(self):
        self.ptr = soup_cookie_jar_new()  # accept-policy: SOUP_COOKIE_JAR_ACCEPT_ALWAYS (0)
        assert soup_cookie_jar_get_accept_policy(self.ptr) == 0

    def __del__(self):
        if getattr(self, "ptr", None):
            g_object_unref(self.ptr)

    def cookie_header(self, msg):
        """`msg_starting_cb`: the Cookie header the session sends (bytes), or None for none."""
        m = msg.ptr
        lst = soup_cookie_jar_get_cookie_list_with_same_site_info(
            self.ptr, soup_message_get_uri(m), soup_message_get_first_party(m),
            soup_message_get_site_for_cookies(m), 1,
            1 if soup_message_get_method(m) in SAFE_METHODS else 0,
            soup_message_get_is_top_level_navigation(m))
        if not lst:
            return None
        text = soup_cookies_to_cookie_header(lst)
        value = ctypes.string_at(text)
        g_free(text)
        soup_cookies_free(lst)
        return value

    def receive(self, msg, lines):
        """The response side: the header block parsed into the message's response headers by
        `soup_headers_parse_response`, then `process_set_cookie_header`."""
        block = header_block(lines)
        if not soup_headers_parse_response(block, len(block), soup_message_get_response_headers(msg.ptr),
                                           None, None, None):
            raise Refused("libsoup's HTTP/1 parser (soup_headers_parse_response) refuses this header block "
                          "(a NUL octet is refused since Debian's fix of CVE-2024-52530): the message fails "
                          "with \"Could not parse HTTP response\" and no Set-Cookie field reaches the jar")
        lst = soup_cookies_from_response(msg.ptr)
        for cookie in _items(lst):  # add_cookie_full takes ownership of each cookie
            soup_cookie_jar_add_cookie_full(self.ptr, cookie, soup_message_get_uri(msg.ptr),
                                            soup_message_get_first_party(msg.ptr))
        g_slist_free(lst)

    def exchange(self, msg, lines):
        """One request/response of a session: the Cookie header is computed when the message
        starts (which is also when the jar drops expired cookies of the host), then the
        response's Set-Cookie fields are stored."""
        self.cookie_header(msg)
        self.receive(msg, lines)

    def cookies(self):
        """Every stored cookie. The jar drops an expired cookie only when a lookup for its host
        runs into it, so a lookup (`soup_cookie_jar_get_cookie_list`) for each domain held runs
        first: it expires what the jar itself would expire now, and nothing else."""
        lst = soup_cookie_jar_all_cookies(self.ptr)
        domains = {soup_cookie_get_domain(c) for c in _items(lst)}
        soup_cookies_free(lst)
        for domain in domains:
            host = domain[1:] if domain.startswith(b".") else domain
            uri = g_uri_build(0, b"http", None, host, -1, b"/", None, None)
            if uri:
                soup_cookies_free(soup_cookie_jar_get_cookie_list(self.ptr, uri, 1))
                g_uri_unref(uri)
        lst = soup_cookie_jar_all_cookies(self.ptr)
        out = []
        for c in _items(lst):
            expires = soup_cookie_get_expires(c)
            out.append({
                "name": soup_cookie_get_name(c),
                "value": soup_cookie_get_value(c),
                "domain": soup_cookie_get_domain(c),
                "path": soup_cookie_get_path(c),
                "secure": bool(soup_cookie_get_secure(c)),
                "http_only": bool(soup_cookie_get_http_only(c)),
                "same_site": SAME_SITE.get(soup_cookie_get_same_site_policy(c)),
                "expires": g_date_time_to_unix(expires) if expires else None,
            })
        soup_cookies_free(lst)
        return out
