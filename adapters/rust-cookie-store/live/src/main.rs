//! The real client the rust-cookie-store adapter models, for `cookie-conformance fidelity`:
//! reqwest's blocking `Client` with its cookie `Jar` (`ClientBuilder::cookie_provider`),
//! fetching each URL over a real socket from the runner's loopback server, so that hyper's own
//! parser delivers the Set-Cookie bytes and reqwest's cookie layer runs as it runs for users.
//!
//! Protocol (cli/src/live/driven.rs): one JSON object per line on stdin, one answer per line.
//!   {"op":"reset"}  -> {"ok":true,"virtual_clock":false}   (a new Jar)
//!   {"op":"fetch","url":U,"method":M,"http_port":P,"https_port":Q,"now":T}
//!                   -> {"ok":true} or {"error":E,"kind":"unsupported"|"failed"}
//!
//! Reaching the loopback server: it is the client's proxy (`Proxy::all`), which it also is for
//! wget: an `http` URL goes to it in absolute form, an `https` one through a `CONNECT` tunnel.
//! The URL, and so everything the cookie layer sees, stays the case's, IP-address and IPv6
//! hosts included. Certificates are not verified (the server's is self-signed).
//!
//! The clock: cookie_store reads the system time itself, so this client runs on the real
//! clock (`virtual_clock: false`), as the adapter does.
//!
//! One configuration differs from the adapter, on purpose: reqwest's `Jar` is
//! `CookieStore::default()`, without a public suffix list, while the adapter loads Debian's
//! list (its README says why); the fidelity file lists the cases where that shows.

use std::io::{BufRead, Write};
use std::sync::Arc;
use std::time::Duration;

use reqwest::blocking::Client;
use reqwest::cookie::Jar;
use serde_json::{json, Value};

fn main() {
    if rustls::crypto::ring::default_provider().install_default().is_err() {
        eprintln!("rust-cookie-store-live: a TLS crypto provider was already installed");
    }
    let stdin = std::io::stdin();
    let mut out = std::io::stdout().lock();
    let mut jar = Arc::new(Jar::default());
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        let answer = match serde_json::from_str::<Value>(&line) {
            Ok(op) => match op.get("op").and_then(Value::as_str) {
                Some("reset") => {
                    jar = Arc::new(Jar::default());
                    json!({"ok": true, "virtual_clock": false})
                }
                Some("fetch") => match fetch(&jar, &op) {
                    Ok(()) => json!({"ok": true}),
                    Err(Failure::Unsupported(e)) => json!({"error": e, "kind": "unsupported"}),
                    Err(Failure::Failed(e)) => json!({"error": e, "kind": "failed"}),
                },
                other => json!({"error": format!("unknown op {other:?}"), "kind": "failed"}),
            },
            Err(e) => json!({"error": format!("bad request line: {e}"), "kind": "failed"}),
        };
        if writeln!(out, "{answer}").and_then(|()| out.flush()).is_err() {
            break;
        }
    }
}

enum Failure {
    /// reqwest cannot make this request, or hyper refuses the response: no cookie of it
    /// reaches the jar.
    Unsupported(String),
    /// Anything else (the loopback server not answering, a bad op).
    Failed(String),
}

fn fetch(jar: &Arc<Jar>, op: &Value) -> Result<(), Failure> {
    let field = |k: &str| op.get(k).ok_or_else(|| Failure::Failed(format!("fetch without `{k}`")));
    let url = field("url")?.as_str().ok_or_else(|| Failure::Failed("`url` is not a string".into()))?;
    let method = op.get("method").and_then(Value::as_str).unwrap_or("GET");
    let port = |k: &str| -> Result<u16, Failure> {
        field(k)?.as_u64().and_then(|p| u16::try_from(p).ok()).ok_or_else(|| Failure::Failed(format!("bad `{k}`")))
    };
    // The plain listener is the proxy for both schemes (it answers CONNECT).
    let proxy_port = port("http_port")?;
    let url = url::Url::parse(url).map_err(|e| Failure::Unsupported(format!("reqwest cannot parse the URL: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Failure::Unsupported(format!("reqwest has no client for {}: URLs", url.scheme())));
    }
    let proxy = reqwest::Proxy::all(format!("http://127.0.0.1:{proxy_port}"))
        .map_err(|e| Failure::Failed(format!("the proxy: {e}")))?;
    let client = Client::builder()
        .cookie_provider(jar.clone())
        .proxy(proxy)
        .danger_accept_invalid_certs(true)
        .timeout(Duration::from_secs(10))
        .build()
        .map_err(|e| Failure::Failed(format!("building the client: {e}")))?;
    let method = reqwest::Method::from_bytes(method.as_bytes()).map_err(|e| Failure::Failed(format!("method: {e}")))?;
    let mut request = client.request(method.clone(), url);
    if method == reqwest::Method::POST {
        request = request.body("x=1");
    }
    match request.send() {
        Ok(response) => {
            let _ = response.bytes();
            Ok(())
        }
        // hyper refusing the response head (a control character in a field, a bare CR, too
        // many fields): the request failed before reqwest's cookie layer saw any Set-Cookie.
        // Through the proxy, reqwest's tunnel names an IPv6 literal for TLS with its brackets,
        // which rustls refuses ("Invalid Server Name"): a limit of this harness's route to the
        // loopback server, not of the jar; the fidelity file lists the case.
        Err(e) if chain(&e).contains("Invalid Server Name") => {
            Err(Failure::Unsupported(format!("{} (an IPv6 literal through the loopback proxy)", chain(&e))))
        }
        Err(e) if e.is_connect() || e.is_timeout() => Err(Failure::Failed(chain(&e))),
        Err(e) if e.is_request() || e.is_builder() => Err(Failure::Unsupported(chain(&e))),
        Err(e) => Err(Failure::Failed(chain(&e))),
    }
}

/// An error and its sources on one line.
fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut source = e.source();
    while let Some(inner) = source {
        s.push_str(": ");
        s.push_str(&inner.to_string());
        source = inner.source();
    }
    s
}
