//! `cookie-conformance serve`: an in-process jar behind the adapter protocol
//! (adapters/PROTOCOL.md). With the reference jar (the default) it is the protocol's reference
//! implementation and a fixture for the HTTP target; with `--jar cookie_store` it is the
//! `rust-cookie-store` adapter (cookie_store driven as reqwest drives it, see
//! targets/cookie_store.rs), so that Rust's jar is tested over the same wire as the others.
//!
//! A small std server: one thread per connection (the protocol's clients hold a few persistent
//! connections), requests parsed by [`http1`], sessions kept apart, each behind its own lock so
//! that sessions really run in parallel (`parallel: true`).

pub mod http1;

use std::collections::HashMap;
use std::io::{BufReader, BufWriter};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use reference_jar::Profile;
use serde_json::{json, Value};

use cookie_conformance::case::CaseConfig;
use cookie_conformance::target::{Capabilities, Setup, Target, TargetError};
use crate::targets::{CookieStoreTarget, ReferenceTarget};
use crate::targets::http::wire::{self, unb64, ErrorKind, Info, Op, WireCapabilities, WireCookie, WireError};
use http1::{read_request, write_response, ReadError};

/// Sessions beyond this many are refused (the protocol asks for at least 16): a runaway
/// client cannot exhaust memory.
const MAX_SESSIONS: usize = 4096;

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

/// The server's shared state.
#[derive(Default)]
struct State {
    served: ServedJar,
    sessions: Mutex<HashMap<String, Arc<Mutex<Session>>>>,
    next_id: AtomicU64,
    shutdown: AtomicBool,
}

impl State {
    fn session(&self, id: &str) -> Result<Arc<Mutex<Session>>, Failure> {
        let map = self.sessions.lock().unwrap_or_else(PoisonError::into_inner);
        map.get(id).cloned().ok_or_else(|| Failure(ErrorKind::NotFound, format!("no session `{id}`")))
    }

    /// Routes one request (PROTOCOL.md §3).
    fn handle(&self, method: &str, path: &str, body: &[u8]) -> Result<Value, Failure> {
        let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        match (method, segments.as_slice()) {
            ("GET", ["info"]) => serde_json::to_value(self.served.info()).map_err(|e| Failure(ErrorKind::Internal, e.to_string())),
            ("POST", ["sessions"]) => {
                let mut map = self.sessions.lock().unwrap_or_else(PoisonError::into_inner);
                if map.len() >= MAX_SESSIONS {
                    return Err(Failure(ErrorKind::Internal, format!("more than {MAX_SESSIONS} live sessions")));
                }
                let id = format!("s{}", self.next_id.fetch_add(1, Ordering::Relaxed));
                map.insert(id.clone(), Arc::new(Mutex::new(Session { jar: self.served.build()? })));
                Ok(json!({ "id": id }))
            }
            ("DELETE", ["sessions", id]) => {
                let mut map = self.sessions.lock().unwrap_or_else(PoisonError::into_inner);
                map.remove(*id).map(|_| json!({})).ok_or_else(|| Failure(ErrorKind::NotFound, format!("no session `{id}`")))
            }
            ("POST", ["sessions", id, "batch"]) => {
                let session = self.session(id)?;
                // Each op is read on its own: an unknown or malformed op fails only itself (§5.5).
                let batch: RawBatch = parse(body)?;
                let mut s = session.lock().unwrap_or_else(PoisonError::into_inner);
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
                let mut s = session.lock().unwrap_or_else(PoisonError::into_inner);
                s.apply(&op)
            }
            ("POST", ["shutdown"]) => {
                self.shutdown.store(true, Ordering::SeqCst);
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

    /// Binds `127.0.0.1:port` (0: any free port) to serve `jar`.
    pub fn bind_jar(port: u16, jar: ServedJar) -> std::io::Result<Server> {
        let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))?;
        Ok(Server { listener, state: Arc::new(State { served: jar, ..State::default() }) })
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    /// Serves until `POST /shutdown`; one thread per connection.
    pub fn run(self) {
        let port = self.port();
        for stream in self.listener.incoming() {
            if self.state.shutdown.load(Ordering::SeqCst) {
                break;
            }
            let Ok(stream) = stream else { continue };
            let state = self.state.clone();
            std::thread::spawn(move || connection(stream, &state, port));
        }
    }

    /// Serves on a background thread (for tests and embedding); the port is
    /// [`Server::port`] of the bound server.
    pub fn spawn(self) -> std::thread::JoinHandle<()> {
        std::thread::spawn(move || self.run())
    }
}

fn connection(stream: TcpStream, state: &State, port: u16) {
    // PROTOCOL.md §1: without TCP_NODELAY each small answer waits for a delayed ACK.
    let _ = stream.set_nodelay(true);
    let Ok(write_half) = stream.try_clone() else { return };
    let mut reader = BufReader::new(stream);
    let mut writer = BufWriter::new(write_half);
    loop {
        let (status, body, keep_alive) = match read_request(&mut reader) {
            Ok(req) => {
                let (status, body) = match state.handle(&req.method, &req.path, &req.body) {
                    Ok(v) => (200, v),
                    Err(f) => (f.0.status(), f.body()),
                };
                (status, body, req.keep_alive)
            }
            Err(ReadError::Closed | ReadError::Io(_)) => return,
            Err(ReadError::Bad(msg)) => (400, Failure::bad(msg).body(), false),
        };
        let bytes = serde_json::to_vec(&body).unwrap_or_else(|_| b"{}".to_vec());
        if write_response(&mut writer, status, &bytes, keep_alive).is_err() || !keep_alive {
            return;
        }
        if state.shutdown.load(Ordering::SeqCst) {
            // Wake the accept loop so that it sees the flag and returns.
            let _ = TcpStream::connect((Ipv4Addr::LOCALHOST, port));
            return;
        }
    }
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
    server.run();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read as _, Write as _};

    fn call(state: &State, method: &str, path: &str, body: &str) -> (u16, Value) {
        match state.handle(method, path, body.as_bytes()) {
            Ok(v) => (200, v),
            Err(f) => (f.0.status(), f.body()),
        }
    }

    #[test]
    fn sessions_ops_and_batches() {
        let s = State::default();
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
        let s = State::default();
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
        handle.join().unwrap();
    }
}
