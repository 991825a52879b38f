//! A loopback HTTP and HTTPS server for live clients: it answers each request with the
//! `Set-Cookie` lines planned for it and records the `Cookie` header the client sent.
//!
//! A live client (curl, a browser) is pointed at it for every host name of a case (curl's
//! `--connect-to`, Chromium's `--host-resolver-rules`), so the client's own cookie engine sees
//! the case's URLs while every connection lands on 127.0.0.1. The HTTPS listener uses a
//! self-signed certificate generated at start (clients are told to ignore certificate errors).
//!
//! Why the HTTP here is written by hand, when `serve` uses hyper: every answer carries a case's
//! Set-Cookie bytes as they are, and the corpus holds lines with control characters (NUL, CR
//! alone, 0x01-0x1F, DEL) and bytes that are not UTF-8 (`cases/bytes/`, `cases/fuzz-found/`),
//! which HTTP libraries refuse to put in a field value (hyper's `HeaderValue::from_bytes`
//! rejects every control but HTAB); and the request side must keep the client's `Cookie`
//! fields byte for byte, repeated fields included. Only lines that no HTTP/1.1 message can
//! carry (CR or LF, see [`unsendable`]) are refused.
//!
//! The plain listener is also an HTTP proxy, for clients that have no way to map host names
//! but can use a proxy (wget, WebKitGTK): an absolute-form request (`GET http://host/path`) is
//! served as the origin-form one, and `CONNECT host:port` is answered `200` and followed by TLS
//! on the same connection, as the HTTPS listener does. Either way the recorded request is what
//! the origin server would have seen.
//!
//! Exchanges are strictly sequential: the target plans the answers of the next requests
//! ([`LoopbackServer::plan`]), runs the client, then takes what arrived
//! ([`LoopbackServer::take`]). Requests beyond the plan get an answer without cookies.

use std::collections::VecDeque;
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

/// The largest request head accepted (clients send small ones; this bounds memory).
const MAX_HEAD: usize = 256 * 1024;
/// A client that stalls this long mid-request is dropped.
const IO_TIMEOUT: Duration = Duration::from_secs(10);

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// Binding or configuring a listener failed.
    #[error("loopback server: {0}")]
    Io(#[from] io::Error),
    /// Generating the self-signed certificate failed.
    #[error("loopback server: generating the self-signed certificate: {0}")]
    Certificate(#[from] rcgen::Error),
    /// rustls refused the configuration.
    #[error("loopback server: TLS configuration: {0}")]
    Tls(#[from] rustls::Error),
}

/// One request as the server received it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Received {
    /// `true` when it came over TLS.
    pub tls: bool,
    /// The request line's method.
    pub method: String,
    /// The request-target (path and query).
    pub target: Vec<u8>,
    /// The `Host` header field value.
    pub host: Option<Vec<u8>>,
    /// The `Cookie` header field value; several `Cookie` fields are joined with `"; "` (the
    /// client should send one: RFC 6265bis §5.8.1).
    pub cookie: Option<Vec<u8>>,
}

#[derive(Default)]
struct Exchange {
    planned: VecDeque<Vec<Vec<u8>>>,
    received: Vec<Received>,
    /// The body answered to requests whose path is the first element (see
    /// [`LoopbackServer::set_pages`]).
    pages: Vec<(Vec<u8>, Vec<u8>)>,
    /// When not empty, only requests for these hosts take planned answers and are recorded.
    hosts: Vec<Vec<u8>>,
}

struct Shared {
    exchange: Mutex<Exchange>,
    stop: AtomicBool,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Exchange> {
        // A panicking connection thread cannot leave the exchange half-updated in a way that
        // matters (each update is one push or pop), so a poisoned lock is still usable.
        self.exchange.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The server: an HTTP and an HTTPS listener on 127.0.0.1, stopped on drop.
pub struct LoopbackServer {
    http: SocketAddr,
    https: SocketAddr,
    shared: Arc<Shared>,
    threads: Vec<JoinHandle<()>>,
}

impl std::fmt::Debug for LoopbackServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoopbackServer").field("http", &self.http).field("https", &self.https).finish()
    }
}

impl LoopbackServer {
    /// Binds both listeners on free ports and starts serving.
    pub fn start() -> Result<LoopbackServer, ServerError> {
        LoopbackServer::start_on(0, 0)
    }

    /// Binds the listeners on these ports (0: any free port) and starts serving. A browser
    /// whose host names are mapped to 127.0.0.1 keeps the URL's port, so it needs 80 and 443.
    pub fn start_on(http_port: u16, https_port: u16) -> Result<LoopbackServer, ServerError> {
        let tls = Arc::new(tls_config()?);
        let shared = Arc::new(Shared { exchange: Mutex::new(Exchange::default()), stop: AtomicBool::new(false) });
        let http_listener = TcpListener::bind(("127.0.0.1", http_port))?;
        let https_listener = TcpListener::bind(("127.0.0.1", https_port))?;
        let http = http_listener.local_addr()?;
        let https = https_listener.local_addr()?;
        let mut threads = Vec::new();
        let s = shared.clone();
        let t = tls.clone();
        threads.push(std::thread::spawn(move || accept_loop(http_listener, s, t, false)));
        let s = shared.clone();
        threads.push(std::thread::spawn(move || accept_loop(https_listener, s, tls, true)));
        Ok(LoopbackServer { http, https, shared, threads })
    }

    /// The port of the plain HTTP listener.
    pub fn http_port(&self) -> u16 {
        self.http.port()
    }

    /// The port of the HTTPS listener.
    pub fn https_port(&self) -> u16 {
        self.https.port()
    }

    /// Clears what was planned and received, and queues the `Set-Cookie` lines of the next
    /// responses, one entry per request.
    pub fn plan(&self, responses: Vec<Vec<Vec<u8>>>) {
        let mut ex = self.shared.lock();
        ex.planned = responses.into();
        ex.received.clear();
    }

    /// Serves `body` as `text/html` for requests whose target is `path` (for browsers, which
    /// need a page to click on). Replaces all pages.
    pub fn set_pages(&self, pages: Vec<(Vec<u8>, Vec<u8>)>) {
        self.shared.lock().pages = pages;
    }

    /// Only requests whose `Host` (without port, ASCII case-insensitive) is one of `hosts` take
    /// the planned answers and are recorded; others (a browser's own background requests, sent
    /// here too when every host name maps to 127.0.0.1) get an answer without cookies. Empty:
    /// every request counts.
    pub fn only_hosts(&self, hosts: Vec<Vec<u8>>) {
        self.shared.lock().hosts = hosts;
    }

    /// How many requests have been recorded since the last [`LoopbackServer::plan`] (for a
    /// client that cannot say when a navigation it started has reached the server).
    pub fn received_count(&self) -> usize {
        self.shared.lock().received.len()
    }

    /// The requests received since the last [`LoopbackServer::plan`], in order.
    pub fn take(&self) -> Vec<Received> {
        std::mem::take(&mut self.shared.lock().received)
    }
}

impl Drop for LoopbackServer {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        // Wake both accept loops so that they see the flag.
        for addr in [self.http, self.https] {
            let _ = TcpStream::connect_timeout(&addr, Duration::from_secs(1));
        }
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

/// A rustls server configuration with a fresh self-signed certificate. The certificate names
/// `localhost` only: clients are run with certificate checks off, since a case may use any host.
fn tls_config() -> Result<rustls::ServerConfig, ServerError> {
    let certified = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()])?;
    let cert = certified.cert.der().clone();
    let key = rustls::pki_types::PrivatePkcs8KeyDer::from(certified.signing_key.serialize_der());
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(vec![cert], key.into())?;
    Ok(config)
}

/// `tls`: the certificate of the HTTPS listener (`is_tls`) and of tunnels the plain one opens.
fn accept_loop(listener: TcpListener, shared: Arc<Shared>, tls: Arc<rustls::ServerConfig>, is_tls: bool) {
    for conn in listener.incoming() {
        if shared.stop.load(Ordering::SeqCst) {
            return;
        }
        let Ok(stream) = conn else { continue };
        let shared = shared.clone();
        let tls = tls.clone();
        // One thread per connection: a browser opens several at once and may leave some idle.
        std::thread::spawn(move || {
            let _ = serve_connection(stream, &shared, tls, is_tls);
        });
    }
}

fn serve_connection(stream: TcpStream, shared: &Shared, tls: Arc<rustls::ServerConfig>, is_tls: bool) -> io::Result<()> {
    stream.set_read_timeout(Some(IO_TIMEOUT))?;
    stream.set_write_timeout(Some(IO_TIMEOUT))?;
    stream.set_nodelay(true)?;
    if is_tls {
        return serve_tls(stream, shared, tls);
    }
    let mut stream = stream;
    match serve_requests(&mut stream, shared, false)? {
        Tunnel::Closed => Ok(()),
        // The client asked for a tunnel: TLS starts on this connection.
        Tunnel::Requested => serve_tls(stream, shared, tls),
    }
}

fn serve_tls(stream: TcpStream, shared: &Shared, config: Arc<rustls::ServerConfig>) -> io::Result<()> {
    let conn = rustls::ServerConnection::new(config).map_err(io::Error::other)?;
    let mut tls_stream = rustls::StreamOwned::new(conn, stream);
    let r = serve_requests(&mut tls_stream, shared, true).map(|_| ());
    tls_stream.conn.send_close_notify();
    let _ = tls_stream.flush();
    let _ = tls_stream.sock.shutdown(Shutdown::Both);
    r
}

/// How [`serve_requests`] ended.
enum Tunnel {
    /// The connection closed.
    Closed,
    /// A `CONNECT` was answered `200`: what follows is a TLS handshake.
    Requested,
}

/// Serves requests on one connection until the client closes it (keep-alive: browsers reuse
/// connections; curl closes after its one request) or, on the plain listener, asks for a tunnel.
fn serve_requests<S: Read + Write>(stream: &mut S, shared: &Shared, tls: bool) -> io::Result<Tunnel> {
    let mut buf: Vec<u8> = Vec::new();
    loop {
        let Some((head, rest)) = read_head(stream, std::mem::take(&mut buf))? else {
            return Ok(Tunnel::Closed);
        };
        let req = parse_head(&head, tls);
        if !tls && req.as_ref().is_some_and(|r| r.method == "CONNECT") {
            // A client waits for the answer before its handshake, so nothing is buffered.
            stream.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")?;
            stream.flush()?;
            return Ok(Tunnel::Requested);
        }
        // Request bodies (a form POST) are read and dropped: only the headers matter.
        let body_len = content_length(&head);
        buf = rest;
        while buf.len() < body_len {
            let mut chunk = [0u8; 8192];
            let n = stream.read(&mut chunk)?;
            if n == 0 {
                return Ok(Tunnel::Closed);
            }
            buf.extend_from_slice(&chunk[..n]);
        }
        buf.drain(..body_len.min(buf.len()));
        let Some(req) = req else {
            stream.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")?;
            stream.flush()?;
            return Ok(Tunnel::Closed);
        };
        let response = {
            let mut ex = shared.lock();
            let page = ex.pages.iter().find(|(p, _)| *p == req.target).map(|(_, b)| b.clone());
            // Browsers ask for /favicon.ico on their own: answer it without consuming the plan.
            let foreign = !ex.hosts.is_empty()
                && !ex.hosts.iter().any(|h| req.host.as_deref().is_some_and(|v| host_part(v).eq_ignore_ascii_case(h)));
            let incidental = foreign || (req.target == b"/favicon.ico" && page.is_none());
            let lines = if incidental { Vec::new() } else { ex.planned.pop_front().unwrap_or_default() };
            if !incidental {
                ex.received.push(req);
            }
            response_bytes(&lines, page.as_deref())
        };
        stream.write_all(&response)?;
        stream.flush()?;
    }
}

/// Reads until the end of a request head; `None` when the connection closed before one.
fn read_head<S: Read>(stream: &mut S, mut buf: Vec<u8>) -> io::Result<Option<(Vec<u8>, Vec<u8>)>> {
    loop {
        if let Some(end) = find(&buf, b"\r\n\r\n") {
            let rest = buf.split_off(end + 4);
            return Ok(Some((buf, rest)));
        }
        if buf.len() > MAX_HEAD {
            return Err(io::Error::other("request head too large"));
        }
        let mut chunk = [0u8; 8192];
        let n = match stream.read(&mut chunk) {
            Ok(n) => n,
            // An idle keep-alive connection closed or timed out: not an error worth reporting.
            Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut | io::ErrorKind::ConnectionReset | io::ErrorKind::UnexpectedEof) => return Ok(None),
            Err(e) => return Err(e),
        };
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The request line and the `Host` and `Cookie` fields of a request head.
fn parse_head(head: &[u8], tls: bool) -> Option<Received> {
    let mut lines = head.split(|&b| b == b'\n').map(|l| l.strip_suffix(b"\r").unwrap_or(l));
    let request_line = lines.next()?;
    let mut parts = request_line.split(|&b| b == b' ');
    let method = String::from_utf8_lossy(parts.next()?).into_owned();
    let target = origin_form(parts.next()?);
    let mut host = None;
    let mut cookies: Vec<&[u8]> = Vec::new();
    for line in lines {
        let Some(colon) = line.iter().position(|&b| b == b':') else { continue };
        let name = &line[..colon];
        let value = trim_ows(&line[colon + 1..]);
        if name.eq_ignore_ascii_case(b"host") {
            host = Some(value.to_vec());
        } else if name.eq_ignore_ascii_case(b"cookie") {
            cookies.push(value);
        }
    }
    let cookie = if cookies.is_empty() { None } else { Some(cookies.join(&b"; "[..])) };
    Some(Received { tls, method, target, host, cookie })
}

/// The origin-form of a request-target: a proxy's absolute-form `http://host[:port]/p?q`
/// becomes `/p?q` (`/` when it has no path), what the origin server would have been sent.
fn origin_form(target: &[u8]) -> Vec<u8> {
    let Some(rest) = target.strip_prefix(b"http://") else { return target.to_vec() };
    match rest.iter().position(|&b| b == b'/' || b == b'?') {
        Some(i) if rest[i] == b'/' => rest[i..].to_vec(),
        // An empty path is `/` (RFC 9112 §3.2.1).
        Some(i) => [&b"/"[..], &rest[i..]].concat(),
        None => b"/".to_vec(),
    }
}

/// The host of a `Host` field value, without the port (`[::1]:443` → `[::1]`).
fn host_part(v: &[u8]) -> &[u8] {
    if v.first() == Some(&b'[') {
        return v.iter().position(|&b| b == b']').map_or(v, |e| &v[..=e]);
    }
    v.iter().position(|&b| b == b':').map_or(v, |c| &v[..c])
}

fn content_length(head: &[u8]) -> usize {
    head.split(|&b| b == b'\n')
        .filter_map(|l| {
            let l = l.strip_suffix(b"\r").unwrap_or(l);
            let colon = l.iter().position(|&b| b == b':')?;
            if !l[..colon].eq_ignore_ascii_case(b"content-length") {
                return None;
            }
            std::str::from_utf8(trim_ows(&l[colon + 1..])).ok()?.parse().ok()
        })
        .next()
        .unwrap_or(0)
}

/// Strips the optional whitespace around a field value (RFC 9110 §5.5: SP and HTAB).
fn trim_ows(v: &[u8]) -> &[u8] {
    let start = v.iter().position(|&b| b != b' ' && b != b'\t').unwrap_or(v.len());
    let end = v.iter().rposition(|&b| b != b' ' && b != b'\t').map_or(start, |e| e + 1);
    &v[start..end]
}

fn response_bytes(set_cookie_lines: &[Vec<u8>], page: Option<&[u8]>) -> Vec<u8> {
    // A small HTML document by default: a browser needs one for `document.cookie`.
    let body = page.unwrap_or(b"<!doctype html><title>cookie-conformance</title>");
    let mut out = Vec::with_capacity(128 + body.len());
    out.extend_from_slice(b"HTTP/1.1 200 OK\r\nCache-Control: no-store\r\n");
    out.extend_from_slice(b"Content-Type: text/html; charset=utf-8\r\n");
    out.extend_from_slice(format!("Content-Length: {}\r\n", body.len()).as_bytes());
    for line in set_cookie_lines {
        // Raw bytes, as the case wrote them: the client's parser is what is under test.
        out.extend_from_slice(b"Set-Cookie: ");
        out.extend_from_slice(line);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(body);
    out
}

/// Why `line` cannot be carried in a real response, if it cannot: a CR or LF would end the
/// header field early (RFC 9112 §2.2), so the client would see other bytes than the case's.
pub fn unsendable(line: &[u8]) -> Option<&'static str> {
    if line.iter().any(|&b| b == b'\r' || b == b'\n') {
        return Some("a Set-Cookie line containing CR or LF cannot be sent in a real HTTP response");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(port: u16, head: &str) -> String {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.write_all(head.as_bytes()).unwrap();
        s.shutdown(Shutdown::Write).unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        out
    }

    #[test]
    fn answers_the_planned_set_cookie_lines_and_records_the_cookie_header() {
        let server = LoopbackServer::start().unwrap();
        server.plan(vec![vec![b"a=b; Path=/".to_vec(), b"c=d".to_vec()]]);
        let resp = get(server.http_port(), "GET /x?y HTTP/1.1\r\nHost: www.example.com\r\nCookie:  z=1 \r\n\r\n");
        assert!(resp.starts_with("HTTP/1.1 200 OK\r\n"), "{resp}");
        assert!(resp.contains("\r\nSet-Cookie: a=b; Path=/\r\nSet-Cookie: c=d\r\n"), "{resp}");
        let got = server.take();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].target, b"/x?y");
        assert_eq!(got[0].host.as_deref(), Some(&b"www.example.com"[..]));
        assert_eq!(got[0].cookie.as_deref(), Some(&b"z=1"[..]));
        // Beyond the plan: no cookies, and no Cookie header recorded as None.
        let resp = get(server.http_port(), "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        assert!(!resp.contains("Set-Cookie"), "{resp}");
        assert_eq!(server.take()[0].cookie, None);
    }

    #[test]
    fn requests_for_other_hosts_do_not_take_the_plan() {
        let server = LoopbackServer::start().unwrap();
        server.only_hosts(vec![b"site.example".to_vec()]);
        server.plan(vec![vec![b"a=b".to_vec()]]);
        let resp = get(server.http_port(), "GET /bg HTTP/1.1\r\nHost: accounts.google.com\r\n\r\n");
        assert!(!resp.contains("Set-Cookie"), "{resp}");
        let resp = get(server.http_port(), "GET / HTTP/1.1\r\nHost: SITE.example:80\r\n\r\n");
        assert!(resp.contains("Set-Cookie: a=b"), "{resp}");
        let got = server.take();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].target, b"/");
        assert_eq!(host_part(b"[::1]:443"), b"[::1]");
    }

    #[test]
    fn joins_several_cookie_fields() {
        let req = parse_head(b"GET / HTTP/1.1\r\nCookie: a=1\r\ncookie: b=2\r\n\r\n", false).unwrap();
        assert_eq!(req.cookie.as_deref(), Some(&b"a=1; b=2"[..]));
    }

    #[test]
    fn http_libraries_refuse_the_bytes_this_server_must_send() {
        // The reason this server writes its answers by hand (module docs).
        for line in [&b"a=\x01b"[..], b"a=b\x00", b"a=\x7f", b"a\rb=c"] {
            assert!(hyper::header::HeaderValue::from_bytes(line).is_err(), "{line:?}");
        }
    }

    #[test]
    fn serves_as_a_proxy_absolute_form_and_connect_tunnels() {
        let server = LoopbackServer::start().unwrap();
        server.plan(vec![vec![b"a=b".to_vec()], vec![b"c=d".to_vec()]]);
        let resp = get(server.http_port(), "GET http://www.example.com/x?y HTTP/1.1\r\nHost: www.example.com\r\n\r\n");
        assert!(resp.contains("Set-Cookie: a=b"), "{resp}");
        let got = server.take();
        assert_eq!(got[0].target, b"/x?y");
        assert!(!got[0].tls);
        assert_eq!(origin_form(b"http://h?q"), b"/?q");
        assert_eq!(origin_form(b"http://h:8080"), b"/");
        assert_eq!(origin_form(b"/p"), b"/p");

        // CONNECT, then TLS through the tunnel (certificate checks off, as clients are run).
        let mut tcp = TcpStream::connect(("127.0.0.1", server.http_port())).unwrap();
        tcp.write_all(b"CONNECT secure.example:443 HTTP/1.1\r\nHost: secure.example:443\r\n\r\n").unwrap();
        let mut answer = [0u8; 39];
        tcp.read_exact(&mut answer).unwrap();
        assert_eq!(&answer[..], b"HTTP/1.1 200 Connection established\r\n\r\n");
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(AcceptAny))
            .with_no_client_auth();
        let name = rustls::pki_types::ServerName::try_from("secure.example").unwrap();
        let conn = rustls::ClientConnection::new(Arc::new(config), name).unwrap();
        let mut tls = rustls::StreamOwned::new(conn, tcp);
        tls.write_all(b"GET /s HTTP/1.1\r\nHost: secure.example\r\nCookie: z=1\r\nConnection: close\r\n\r\n").unwrap();
        let mut out = Vec::new();
        let _ = tls.read_to_end(&mut out);
        assert!(String::from_utf8_lossy(&out).contains("Set-Cookie: c=d"));
        let got = server.take();
        assert_eq!((got[0].tls, &got[0].target[..], got[0].cookie.as_deref()), (true, &b"/s"[..], Some(&b"z=1"[..])));
    }

    /// A certificate verifier that accepts anything (the server's certificate is self-signed).
    #[derive(Debug)]
    struct AcceptAny;

    impl rustls::client::danger::ServerCertVerifier for AcceptAny {
        fn verify_server_cert(
            &self,
            _: &rustls::pki_types::CertificateDer<'_>,
            _: &[rustls::pki_types::CertificateDer<'_>],
            _: &rustls::pki_types::ServerName<'_>,
            _: &[u8],
            _: rustls::pki_types::UnixTime,
        ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
            Ok(rustls::client::danger::ServerCertVerified::assertion())
        }
        fn verify_tls12_signature(
            &self,
            _: &[u8],
            _: &rustls::pki_types::CertificateDer<'_>,
            _: &rustls::DigitallySignedStruct,
        ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
            Ok(rustls::client::danger::HandshakeSignatureValid::assertion())
        }
        fn verify_tls13_signature(
            &self,
            _: &[u8],
            _: &rustls::pki_types::CertificateDer<'_>,
            _: &rustls::DigitallySignedStruct,
        ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
            Ok(rustls::client::danger::HandshakeSignatureValid::assertion())
        }
        fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
            rustls::crypto::ring::default_provider().signature_verification_algorithms.supported_schemes()
        }
    }

    #[test]
    fn refuses_lines_with_cr_or_lf() {
        assert!(unsendable(b"a=b\r\nX: y").is_some());
        assert!(unsendable(b"a=b\x01").is_none());
    }
}
