//! `cookie-conformance serve`: an in-process jar behind the adapter protocol
//! (adapters/PROTOCOL.md). With the reference jar (the default) it is the protocol's reference
//! implementation and a fixture for the HTTP target; with `--jar cookie_store` it is the
//! `rust-cookie-store` adapter (cookie_store driven as reqwest drives it, see
//! targets/cookie_store.rs), so that Rust's jar is tested over the same wire as the others.
//!
//! HTTP/1.1 is hyper's, on a two-thread tokio runtime; sessions are kept apart, each behind its
//! own lock, so that sessions really run in parallel (`parallel: true`). Everything a client
//! can make it hold is bounded ([`Limits`]): connections, the time to send a request's headers
//! and body, the body's size and the bytes of all bodies being read at once, and sessions
//! (idle ones expire; past the cap the least recently used one makes room). It never panics
//! on resource exhaustion: a failed accept is retried after a pause.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt as _, Full, Limited};
use hyper::body::{Body as _, Bytes, Incoming};
use hyper::header::{HeaderValue, CONNECTION, CONTENT_TYPE};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use reference_jar::Profile;
use serde_json::{json, Value};
use tokio::sync::{Notify, Semaphore};

use crate::targets::http::wire::{self, unb64, ErrorKind, Info, Op, WireCapabilities, WireCookie, WireError};
use crate::targets::{CookieStoreTarget, ReferenceTarget};
use cookie_conformance::case::CaseConfig;
use cookie_conformance::target::{Capabilities, Setup, Target, TargetError};

/// What `serve` lets clients hold at once, and for how long.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Open connections; further ones wait in the listen backlog until one closes.
    pub max_connections: usize,
    /// Time to send a request's header section, counted from the end of the previous answer
    /// on a kept-alive connection (hyper closes the connection after it): also the idle
    /// timeout, so at least PROTOCOL.md §1's 60 s.
    pub header_timeout: Duration,
    /// Time to send a request's body once the headers are in (then `400` and close).
    pub body_timeout: Duration,
    /// One request's body (PROTOCOL.md §1: adapters accept up to 16 MiB).
    pub max_body: usize,
    /// Bytes of all the bodies being read at once; a request waits for room before reading.
    pub body_budget: usize,
    /// Live sessions; creating one more frees the least recently used session.
    pub max_sessions: usize,
    /// A session not used for this long is freed (when the next session is created).
    pub session_idle: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_connections: 2048,
            header_timeout: Duration::from_secs(90),
            body_timeout: Duration::from_secs(30),
            max_body: 16 * 1024 * 1024,
            body_budget: 64 * 1024 * 1024,
            max_sessions: 4096,
            session_idle: Duration::from_secs(15 * 60),
        }
    }
}

/// The jars `serve` can put behind the protocol: the in-process ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ServedJar {
    /// The reference jar (every capability).
    #[default]
    Reference,
    /// cookie_store as reqwest's cookie::Jar drives it (the `rust-cookie-store` adapter).
    CookieStore,
}

impl ServedJar {
    /// The jar called `name` (`reference`, `cookie_store`).
    pub fn from_name(name: &str) -> Option<ServedJar> {
        match name {
            "reference" => Some(ServedJar::Reference),
            "cookie_store" => Some(ServedJar::CookieStore),
            _ => None,
        }
    }

    /// A fresh jar, for one session.
    fn build(self) -> Result<Box<dyn Target + Send>, Failure> {
        match self {
            ServedJar::Reference => Ok(Box::new(ReferenceTarget::new())),
            ServedJar::CookieStore => CookieStoreTarget::new()
                .map(|t| Box::new(t) as Box<dyn Target + Send>)
                .map_err(|e| Failure(ErrorKind::Internal, e.to_string())),
        }
    }

    /// Its `/info`.
    pub fn info(self) -> Info {
        match self {
            ServedJar::Reference => Info {
                protocol: wire::PROTOCOL.to_owned(),
                name: "reference".to_owned(),
                library: Some("reference-jar".to_owned()),
                version: Some(env!("CARGO_PKG_VERSION").to_owned()),
                runtime: Some("Rust (cookie-conformance serve)".to_owned()),
                configuration: Some("reference_jar::Jar with the reset's Config".to_owned()),
                parallel: true,
                capabilities: WireCapabilities::from_caps(&Capabilities::all(), Some("psl crate (compiled in)".to_owned())),
            },
            ServedJar::CookieStore => Info {
                protocol: wire::PROTOCOL.to_owned(),
                name: "rust-cookie-store".to_owned(),
                library: Some("cookie_store".to_owned()),
                version: Some(crate::targets::COOKIE_STORE_VERSION.to_owned()),
                runtime: Some("Rust (cookie-conformance serve --jar cookie_store)".to_owned()),
                configuration: Some(
                    "CookieStore::new_with_public_suffix (Debian's list), fed and read as reqwest's cookie::Jar does".to_owned(),
                ),
                parallel: true,
                capabilities: WireCapabilities::from_caps(
                    &CookieStoreTarget::caps(),
                    Some("publicsuffix crate with /usr/share/publicsuffix/public_suffix_list.dat".to_owned()),
                ),
            },
        }
    }
}

/// The `/info` of the reference jar.
pub fn info() -> Info {
    ServedJar::Reference.info()
}

/// A protocol error: status from its kind, and the error object.
#[derive(Debug)]
struct Failure(ErrorKind, String);

impl Failure {
    fn bad(msg: impl Into<String>) -> Self {
        Failure(ErrorKind::BadRequest, msg.into())
    }
    fn body(&self) -> Value {
        serde_json::to_value(WireError { error: self.1.clone(), kind: Some(self.0) }).unwrap_or(Value::Null)
    }
}

/// One independent jar.
struct Session {
    jar: Box<dyn Target + Send>,
}

/// A session and when it was last used (milliseconds since the server started), readable
/// without taking the session's lock.
struct Slot {
    last_used: AtomicU64,
    session: Mutex<Session>,
}

/// The server's shared state.
struct State {
    served: ServedJar,
    limits: Limits,
    sessions: Mutex<HashMap<String, Arc<Slot>>>,
    next_id: AtomicU64,
    started: Instant,
    /// Sessions freed because they idled or made room: a client that leaks them is told once.
    freed: AtomicU64,
    shutdown: AtomicBool,
    /// Wakes the accept loop after `POST /shutdown`.
    stop: Notify,
}

impl State {
    fn new(served: ServedJar, limits: Limits) -> State {
        State {
            served,
            limits,
            sessions: Mutex::new(HashMap::new()),
            next_id: AtomicU64::new(0),
            started: Instant::now(),
            freed: AtomicU64::new(0),
            shutdown: AtomicBool::new(false),
            stop: Notify::new(),
        }
    }

    fn now_ms(&self) -> u64 {
        self.started.elapsed().as_millis().try_into().unwrap_or(u64::MAX)
    }

    fn session(&self, id: &str) -> Result<Arc<Slot>, Failure> {
        let map = self.sessions.lock().unwrap_or_else(PoisonError::into_inner);
        let slot = map.get(id).cloned().ok_or_else(|| Failure(ErrorKind::NotFound, format!("no session `{id}`")))?;
        slot.last_used.store(self.now_ms(), Ordering::Relaxed);
        Ok(slot)
    }

    /// A new session, after freeing the idle ones and, at the cap, the least recently used.
    fn create(&self) -> Result<String, Failure> {
        let jar = self.served.build()?;
        let now = self.now_ms();
        let idle = self.limits.session_idle.as_millis().try_into().unwrap_or(u64::MAX);
        let mut map = self.sessions.lock().unwrap_or_else(PoisonError::into_inner);
        let before = map.len();
        map.retain(|_, slot| now.saturating_sub(slot.last_used.load(Ordering::Relaxed)) < idle);
        while map.len() >= self.limits.max_sessions.max(1) {
            let Some(oldest) = map.iter().min_by_key(|(_, s)| s.last_used.load(Ordering::Relaxed)).map(|(id, _)| id.clone()) else {
                break;
            };
            map.remove(&oldest);
        }
        let freed = (before - map.len()) as u64;
        if freed > 0 && self.freed.fetch_add(freed, Ordering::Relaxed) == 0 {
            eprintln!(
                "serve: freed {freed} session(s) idle for {:?} or beyond the cap of {}; clients should DELETE their sessions",
                self.limits.session_idle, self.limits.max_sessions
            );
        }
        let id = format!("s{}", self.next_id.fetch_add(1, Ordering::Relaxed));
        map.insert(id.clone(), Arc::new(Slot { last_used: AtomicU64::new(now), session: Mutex::new(Session { jar }) }));
        Ok(id)
    }

    #[cfg(test)]
    fn live_sessions(&self) -> usize {
        self.sessions.lock().unwrap_or_else(PoisonError::into_inner).len()
    }

    /// Routes one request (PROTOCOL.md §3).
    fn handle(&self, method: &str, path: &str, body: &[u8]) -> Result<Value, Failure> {
        let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        match (method, segments.as_slice()) {
            ("GET", ["info"]) => serde_json::to_value(self.served.info()).map_err(|e| Failure(ErrorKind::Internal, e.to_string())),
            ("POST", ["sessions"]) => Ok(json!({ "id": self.create()? })),
            ("DELETE", ["sessions", id]) => {
                let mut map = self.sessions.lock().unwrap_or_else(PoisonError::into_inner);
                map.remove(*id).map(|_| json!({})).ok_or_else(|| Failure(ErrorKind::NotFound, format!("no session `{id}`")))
            }
            ("POST", ["sessions", id, "batch"]) => {
                let session = self.session(id)?;
                // Each op is read on its own: an unknown or malformed op fails only itself (§5.5).
                let batch: RawBatch = parse(body)?;
                let mut s = session.session.lock().unwrap_or_else(PoisonError::into_inner);
                let mut results = Vec::with_capacity(batch.ops.len());
                for op in batch.ops {
                    // §5.5: a failing op's result is its error object; the rest are not run.
                    match read_op(op).and_then(|op| s.apply(&op)) {
                        Ok(v) => results.push(v),
                        Err(f) => {
                            results.push(f.body());
                            break;
                        }
                    }
                }
                Ok(json!({ "results": results }))
            }
            ("POST", ["sessions", id, op @ ("reset" | "set" | "get" | "dump")]) => {
                let session = self.session(id)?;
                // The op's fields as the body, plus its tag (§5: the same object as in a batch).
                let mut v: Value = parse(body)?;
                let Some(obj) = v.as_object_mut() else { return Err(Failure::bad("the body is not a JSON object")) };
                obj.insert("op".to_owned(), Value::String((*op).to_owned()));
                let op: Op = serde_json::from_value(v).map_err(|e| Failure::bad(e.to_string()))?;
                let mut s = session.session.lock().unwrap_or_else(PoisonError::into_inner);
                s.apply(&op)
            }
            ("POST", ["shutdown"]) => {
                self.shutdown.store(true, Ordering::SeqCst);
                self.stop.notify_one();
                Ok(json!({}))
            }
            _ => Err(Failure(ErrorKind::NotFound, format!("no endpoint {method} {path}"))),
        }
    }
}

/// A batch whose ops are not read yet.
#[derive(serde::Deserialize)]
struct RawBatch {
    ops: Vec<Value>,
}

/// One op of a batch: an unknown `op` is `not_found` (as an unknown endpoint would be), a
/// malformed one `bad_request`.
fn read_op(op: Value) -> Result<Op, Failure> {
    let tag = op.get("op").and_then(Value::as_str).unwrap_or_default().to_owned();
    if !matches!(tag.as_str(), "reset" | "set" | "get" | "dump") {
        return Err(Failure(ErrorKind::NotFound, format!("no operation `{tag}`")));
    }
    serde_json::from_value(op).map_err(|e| Failure::bad(format!("malformed `{tag}`: {e}")))
}

/// A target's error as a protocol error: what it cannot model is `unsupported` (§5.5).
fn target_failure(e: TargetError) -> Failure {
    match e {
        TargetError::Unsupported(why) => Failure(ErrorKind::Unsupported, why),
        TargetError::Failed(why) => Failure(ErrorKind::Internal, why),
    }
}

fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, Failure> {
    // `GET`-like requests may come without a body; `{}` is what they mean.
    let body = if body.iter().all(u8::is_ascii_whitespace) { &b"{}"[..] } else { body };
    serde_json::from_slice(body).map_err(|e| Failure::bad(format!("malformed request: {e}")))
}

impl Session {
    /// One operation on the jar (PROTOCOL.md §5.1–5.4).
    fn apply(&mut self, op: &Op) -> Result<Value, Failure> {
        match op {
            Op::Reset(r) => {
                let profile = Profile::from_name(&r.profile)
                    .ok_or_else(|| Failure(ErrorKind::Unsupported, format!("unknown profile `{}`", r.profile)))?;
                let config = r.config.to_config(profile).map_err(Failure::bad)?;
                let setup = Setup { profile, config, options: CaseConfig::default(), start: r.now, case: String::new() };
                self.jar.reset(&setup).map_err(target_failure)?;
                Ok(json!({}))
            }
            Op::Set(s) => {
                let ctx = s.context.to_context().map_err(Failure::bad)?;
                let mut lines = Vec::with_capacity(s.set_cookie.len());
                for l in &s.set_cookie {
                    lines.push(unb64(l).map_err(Failure::bad)?);
                }
                // A rejected cookie is a result, not an error (§5.2).
                self.jar.set_cookies(&s.url, &lines, &ctx, s.now).map_err(target_failure)?;
                Ok(json!({}))
            }
            Op::Get(g) => {
                let ctx = g.context.to_context().map_err(Failure::bad)?;
                let header = self.jar.cookie_header(&g.url, &ctx, g.now).map_err(target_failure)?;
                Ok(json!({ "cookie": header.map(|h| wire::b64(&h)) }))
            }
            Op::Dump(d) => {
                let Some(stored) = self.jar.dump(d.now).map_err(target_failure)? else {
                    return Err(Failure(ErrorKind::Unsupported, "this jar cannot list its cookies".to_owned()));
                };
                let cookies: Vec<WireCookie> = stored.iter().map(WireCookie::from_stored).collect();
                Ok(json!({ "cookies": cookies }))
            }
        }
    }
}

/// A bound server.
pub struct Server {
    listener: TcpListener,
    state: Arc<State>,
}

impl Server {
    /// Binds `127.0.0.1:port` (0: any free port) to serve the reference jar.
    pub fn bind(port: u16) -> std::io::Result<Server> {
        Server::bind_jar(port, ServedJar::Reference)
    }

    /// Binds `127.0.0.1:port` (0: any free port) to serve `jar`, with the default [`Limits`].
    pub fn bind_jar(port: u16, jar: ServedJar) -> std::io::Result<Server> {
        Server::bind_with(port, jar, Limits::default())
    }

    /// Binds `127.0.0.1:port` (0: any free port) to serve `jar` within `limits`.
    pub fn bind_with(port: u16, jar: ServedJar, limits: Limits) -> std::io::Result<Server> {
        let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))?;
        listener.set_nonblocking(true)?;
        Ok(Server { listener, state: Arc::new(State::new(jar, limits)) })
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    /// Serves until `POST /shutdown`, then lets open requests finish (up to 2 s).
    pub fn run(self) -> std::io::Result<()> {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
        runtime.block_on(serve(self.listener, self.state))
    }

    /// Serves on a background thread (for tests and embedding); the port is
    /// [`Server::port`] of the bound server.
    pub fn spawn(self) -> std::thread::JoinHandle<std::io::Result<()>> {
        std::thread::spawn(move || self.run())
    }
}

async fn serve(listener: TcpListener, state: Arc<State>) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let connections = Arc::new(Semaphore::new(state.limits.max_connections.max(1)));
    let bodies = Arc::new(Semaphore::new(kib(state.limits.body_budget)));
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(state.limits.header_timeout);
    let graceful = GracefulShutdown::new();
    let mut accept_errors = 0u64;
    while !state.shutdown.load(Ordering::SeqCst) {
        let permit = tokio::select! {
            permit = connections.clone().acquire_owned() => match permit { Ok(p) => p, Err(_) => break },
            () = state.stop.notified() => break,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of descriptors or memory, or an aborted handshake: never fatal. Say
                    // so once in a while, and pause so that a full table can drain.
                    accept_errors += 1;
                    if accept_errors.is_power_of_two() {
                        eprintln!("serve: accept failed ({accept_errors} times so far): {e}");
                    }
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = state.stop.notified() => break,
        };
        // PROTOCOL.md §1: without TCP_NODELAY each small answer waits for a delayed ACK.
        let _ = stream.set_nodelay(true);
        let (state, bodies) = (state.clone(), bodies.clone());
        let service = hyper::service::service_fn(move |req| respond(state.clone(), bodies.clone(), req));
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            // A client that breaks off mid-request is its own problem, not the server's.
            let _ = connection.await;
            drop(permit);
        });
    }
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(Duration::from_secs(2)) => {}
    }
    Ok(())
}

/// Kibibytes, rounded up, as semaphore permits (at least one, at most what a semaphore holds).
fn kib(bytes: usize) -> usize {
    bytes.div_ceil(1024).clamp(1, Semaphore::MAX_PERMITS)
}

/// One request: its body read within the limits, then routed by [`State::handle`].
async fn respond(state: Arc<State>, bodies: Arc<Semaphore>, req: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    let limits = &state.limits;
    let method = req.method().as_str().to_owned();
    let path = req.uri().path().to_owned();
    let declared = req.body().size_hint().upper().unwrap_or(limits.max_body as u64);
    if declared > limits.max_body as u64 {
        let message = format!("a body of {declared} bytes exceeds the {}-byte limit", limits.max_body);
        return Ok(answer(StatusCode::PAYLOAD_TOO_LARGE, &Failure::bad(message).body(), true));
    }
    // Room for the body among all the bodies being read, before reading it.
    // Never more than the whole budget, or a body larger than it would wait forever.
    let wanted = kib(usize::try_from(declared).unwrap_or(usize::MAX)).min(kib(limits.body_budget));
    let Ok(_room) = bodies.acquire_many_owned(u32::try_from(wanted).unwrap_or(u32::MAX)).await else {
        return Ok(answer(StatusCode::SERVICE_UNAVAILABLE, &Failure(ErrorKind::Internal, "shutting down".into()).body(), true));
    };
    let read = tokio::time::timeout(limits.body_timeout, Limited::new(req.into_body(), limits.max_body).collect()).await;
    let body = match read {
        Ok(Ok(collected)) => collected.to_bytes(),
        Ok(Err(e)) => return Ok(answer(StatusCode::BAD_REQUEST, &Failure::bad(format!("reading the body: {e}")).body(), true)),
        Err(_) => {
            let message = format!("the body did not arrive within {:?}", limits.body_timeout);
            return Ok(answer(StatusCode::REQUEST_TIMEOUT, &Failure::bad(message).body(), true));
        }
    };
    let (status, value) = match state.handle(&method, &path, &body) {
        Ok(v) => (StatusCode::OK, v),
        Err(f) => (StatusCode::from_u16(f.0.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR), f.body()),
    };
    Ok(answer(status, &value, false))
}

fn answer(status: StatusCode, body: &Value, close: bool) -> Response<Full<Bytes>> {
    let bytes = serde_json::to_vec(body).unwrap_or_else(|_| b"{}".to_vec());
    let mut response = Response::new(Full::new(Bytes::from(bytes)));
    *response.status_mut() = status;
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if close {
        response.headers_mut().insert(CONNECTION, HeaderValue::from_static("close"));
    }
    response
}

/// `cookie-conformance serve [--port P] [--jar J]`: binds, prints `LISTENING <port>`
/// (PROTOCOL.md §2), serves until `POST /shutdown` (or a signal, which ends the process).
pub fn main(port: u16, jar: ServedJar) -> std::io::Result<()> {
    use std::io::Write as _;
    let server = Server::bind_jar(port, jar)?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "LISTENING {}", server.port())?;
    out.flush()?;
    drop(out);
    server.run()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read as _, Write as _};
    use std::net::TcpStream;

    fn call(state: &State, method: &str, path: &str, body: &str) -> (u16, Value) {
        match state.handle(method, path, body.as_bytes()) {
            Ok(v) => (200, v),
            Err(f) => (f.0.status(), f.body()),
        }
    }

    #[test]
    fn sessions_ops_and_batches() {
        let s = State::new(ServedJar::Reference, Limits::default());
        let (_, v) = call(&s, "POST", "/sessions", "");
        let id = v["id"].as_str().unwrap().to_owned();
        let (_, v2) = call(&s, "POST", "/sessions", "{}");
        assert_ne!(v2["id"], v["id"]);
        let base = format!("/sessions/{id}");
        assert_eq!(call(&s, "POST", &format!("{base}/reset"), r#"{"profile":"rfc6265bis","now":0}"#), (200, json!({})));
        let set = r#"{"url":"https://a.example/","now":0,"set_cookie":["YT1i","Yz1kOyBIdHRwT25seQ=="]}"#;
        assert_eq!(call(&s, "POST", &format!("{base}/set"), set).0, 200);
        let (_, got) = call(&s, "POST", &format!("{base}/get"), r#"{"url":"https://a.example/","now":1}"#);
        assert_eq!(unb64(got["cookie"].as_str().unwrap()).unwrap(), b"a=b; c=d");
        let (_, script) = call(&s, "POST", &format!("{base}/get"), r#"{"url":"https://a.example/","now":1,"context":{"api":"script"}}"#);
        assert_eq!(unb64(script["cookie"].as_str().unwrap()).unwrap(), b"a=b");
        let (_, dump) = call(&s, "POST", &format!("{base}/dump"), r#"{"now":1}"#);
        assert_eq!(dump["cookies"].as_array().unwrap().len(), 2);
        let http_only: Vec<&Value> = dump["cookies"].as_array().unwrap().iter().map(|c| &c["http_only"]).collect();
        assert!(http_only.contains(&&json!(true)) && http_only.contains(&&json!(false)), "{dump}");
        // The other session is empty.
        let (_, other) = call(&s, "POST", &format!("/sessions/{}/get", v2["id"].as_str().unwrap()), r#"{"url":"https://a.example/","now":1}"#);
        assert_eq!(other, json!({"cookie": null}));
        let batch = r#"{"ops":[{"op":"reset","profile":"rfc6265","config":{"chips":false}},{"op":"get","url":"https://a.example/","now":1},{"op":"reset","profile":"rfc1"},{"op":"dump","now":1}]}"#;
        let (status, b) = call(&s, "POST", &format!("{base}/batch"), batch);
        assert_eq!(status, 200);
        let results = b["results"].as_array().unwrap();
        assert_eq!(results.len(), 3, "{b}");
        assert_eq!(results[1], json!({"cookie": null}));
        assert_eq!(results[2]["kind"], "unsupported");
        let bogus = r#"{"ops":[{"op":"get","url":"https://a.example/","now":1},{"op":"bogus"},{"op":"get","url":"https://a.example/","now":1}]}"#;
        let (_, b) = call(&s, "POST", &format!("{base}/batch"), bogus);
        assert_eq!((b["results"].as_array().map(Vec::len), &b["results"][1]["kind"]), (Some(2), &json!("not_found")), "{b}");
        assert_eq!(call(&s, "DELETE", &base, "").0, 200);
        assert_eq!(call(&s, "DELETE", &base, "").0, 404);
    }

    #[test]
    fn errors_have_kinds() {
        let s = State::new(ServedJar::Reference, Limits::default());
        assert_eq!(call(&s, "GET", "/nope", "").1["kind"], "not_found");
        assert_eq!(call(&s, "POST", "/sessions/x/get", "{}").0, 404);
        let (_, v) = call(&s, "POST", "/sessions", "");
        let id = v["id"].as_str().unwrap();
        let (status, e) = call(&s, "POST", &format!("/sessions/{id}/get"), "{\"url\": 3}");
        assert_eq!((status, e["kind"].as_str()), (400, Some("bad_request")));
        assert_eq!(call(&s, "POST", &format!("/sessions/{id}/set"), r#"{"url":"https://a/","now":0,"set_cookie":["%%"]}"#).0, 400);
        assert_eq!(call(&s, "POST", &format!("/sessions/{id}/batch"), "[1]").0, 400);
        let info = call(&s, "GET", "/info", "").1;
        assert_eq!(info["protocol"], wire::PROTOCOL);
        assert_eq!(info["capabilities"]["profiles"][2], "layered-cookies");
    }

    #[test]
    fn speaks_http_over_tcp_and_shuts_down() {
        let server = Server::bind(0).unwrap();
        let port = server.port();
        let handle = server.spawn();
        let mut conn = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).unwrap();
        // Two requests on one connection, then garbage (400 and close).
        conn.write_all(b"GET /info HTTP/1.1\r\nHost: x\r\n\r\nPOST /sessions HTTP/1.1\r\nContent-Length: 0\r\n\r\nBAD\r\n\r\n").unwrap();
        let mut all = String::new();
        conn.read_to_string(&mut all).unwrap();
        assert_eq!(all.matches("HTTP/1.1 200 OK").count(), 2, "{all}");
        assert!(all.contains("HTTP/1.1 400 Bad Request"), "{all}");
        let mut conn = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).unwrap();
        conn.write_all(b"POST /shutdown HTTP/1.1\r\nContent-Length: 0\r\n\r\n").unwrap();
        let mut answer = String::new();
        conn.read_to_string(&mut answer).unwrap();
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        handle.join().unwrap().unwrap();
    }

    fn created(s: &State) -> String {
        call(s, "POST", "/sessions", "").1["id"].as_str().unwrap().to_owned()
    }

    #[test]
    fn leaked_sessions_are_freed() {
        // 10,000 sessions nobody deletes: the cap holds, the newest still work.
        let s = State::new(ServedJar::Reference, Limits::default());
        let ids: Vec<String> = (0..10_000).map(|_| created(&s)).collect();
        assert_eq!(s.live_sessions(), 4096);
        assert_eq!(call(&s, "POST", &format!("/sessions/{}/get", ids[0]), r#"{"url":"https://a/","now":0}"#).0, 404);
        let last = &ids[9_999];
        assert_eq!(call(&s, "POST", &format!("/sessions/{last}/get"), r#"{"url":"https://a/","now":0}"#), (200, json!({"cookie": null})));
        // The least recently *used* session makes room, not the oldest one.
        let s = State::new(ServedJar::Reference, Limits { max_sessions: 2, ..Limits::default() });
        let (a, b) = (created(&s), created(&s));
        std::thread::sleep(Duration::from_millis(5));
        assert_eq!(call(&s, "POST", &format!("/sessions/{a}/dump"), r#"{"now":0}"#).0, 200);
        let c = created(&s);
        assert_eq!(call(&s, "POST", &format!("/sessions/{b}/dump"), r#"{"now":0}"#).0, 404);
        for id in [&a, &c] {
            assert_eq!(call(&s, "POST", &format!("/sessions/{id}/dump"), r#"{"now":0}"#).0, 200);
        }
        // Idle sessions expire.
        let s = State::new(ServedJar::Reference, Limits { session_idle: Duration::from_millis(30), ..Limits::default() });
        created(&s);
        created(&s);
        std::thread::sleep(Duration::from_millis(40));
        created(&s);
        assert_eq!(s.live_sessions(), 1);
    }

    fn limited(limits: Limits) -> (u16, std::thread::JoinHandle<std::io::Result<()>>) {
        let server = Server::bind_with(0, ServedJar::Reference, limits).unwrap();
        (server.port(), server.spawn())
    }

    fn shut_down(port: u16, handle: std::thread::JoinHandle<std::io::Result<()>>) {
        let mut conn = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).unwrap();
        conn.write_all(b"POST /shutdown HTTP/1.1\r\nContent-Length: 0\r\n\r\n").unwrap();
        handle.join().unwrap().unwrap();
    }

    fn exchange(port: u16, request: &[u8]) -> String {
        let mut conn = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).unwrap();
        conn.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        conn.write_all(request).unwrap();
        let mut answer = String::new();
        let _ = conn.read_to_string(&mut answer);
        answer
    }

    #[test]
    fn slow_clients_are_cut_off_and_others_served() {
        let limits = Limits { header_timeout: Duration::from_millis(800), body_timeout: Duration::from_millis(300), ..Limits::default() };
        let (port, handle) = limited(limits);
        // 1,000 connections that never finish their headers (slowloris).
        let mut slow: Vec<TcpStream> = (0..1000)
            .map(|_| {
                let mut c = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).unwrap();
                c.write_all(b"GET /info HTTP/1.1\r\nHost: x\r\nX-Slow: ").unwrap();
                c
            })
            .collect();
        let started = Instant::now();
        let info = exchange(port, b"GET /info HTTP/1.1\r\nConnection: close\r\n\r\n");
        assert!(info.starts_with("HTTP/1.1 200") && info.contains("cookie-adapter/1"), "{info}");
        assert!(started.elapsed() < Duration::from_millis(800), "answered only after {:?}", started.elapsed());
        // After the header timeout, the slow connections are closed.
        std::thread::sleep(Duration::from_millis(1200));
        for c in slow.iter_mut().step_by(97) {
            c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
            let mut rest = Vec::new();
            assert!(c.read_to_end(&mut rest).is_ok(), "a slow connection is still open");
        }
        // A body that stops short: 408 after the body timeout, and the connection closes.
        let short = exchange(port, b"POST /sessions HTTP/1.1\r\nContent-Length: 10\r\n\r\n{}");
        assert!(short.starts_with("HTTP/1.1 408") && short.contains("did not arrive"), "{short}");
        // A body over the limit is refused before it is read.
        let big = exchange(port, b"POST /sessions HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n");
        assert!(big.starts_with("HTTP/1.1 413") && big.contains("exceeds"), "{big}");
        shut_down(port, handle);
    }

    #[test]
    fn ten_thousand_leaked_sessions_over_http() {
        let (port, handle) = limited(Limits::default());
        let client = crate::targets::http::client_builder().build().unwrap();
        let base = format!("http://127.0.0.1:{port}");
        let mut last = String::new();
        for _ in 0..10_000 {
            let v: Value = serde_json::from_slice(&client.post(format!("{base}/sessions")).body("{}").send().unwrap().bytes().unwrap()).unwrap();
            last = v["id"].as_str().unwrap().to_owned();
        }
        let set = r#"{"url":"https://a.example/","now":0,"set_cookie":["YT1i"]}"#;
        assert_eq!(client.post(format!("{base}/sessions/{last}/set")).body(set).send().unwrap().status(), 200);
        let got = client.post(format!("{base}/sessions/{last}/get")).body(r#"{"url":"https://a.example/","now":1}"#).send().unwrap();
        let got: Value = serde_json::from_slice(&got.bytes().unwrap()).unwrap();
        assert_eq!(got["cookie"], "YT1i");
        // The first sessions made room for the last ones.
        assert_eq!(client.post(format!("{base}/sessions/s0/dump")).body(r#"{"now":1}"#).send().unwrap().status(), 404);
        shut_down(port, handle);
    }

    #[test]
    fn connections_beyond_the_limit_wait_their_turn() {
        let (port, handle) = limited(Limits { max_connections: 2, ..Limits::default() });
        let held: Vec<TcpStream> = (0..2).map(|_| TcpStream::connect((Ipv4Addr::LOCALHOST, port)).unwrap()).collect();
        let waiting = std::thread::spawn(move || exchange(port, b"GET /info HTTP/1.1\r\nConnection: close\r\n\r\n"));
        std::thread::sleep(Duration::from_millis(200));
        assert!(!waiting.is_finished(), "a third connection was served while two were held");
        drop(held);
        assert!(waiting.join().unwrap().starts_with("HTTP/1.1 200"));
        shut_down(port, handle);
    }
}
