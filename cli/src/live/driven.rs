//! The real client an adapter models, driven live: the adapter's `live:` program (in
//! `adapters/targets.yaml`) fetches each URL with the library's own HTTP client over a real
//! socket from a [`LoopbackServer`], so the client's own parser delivers the Set-Cookie bytes and
//! its own cookie hooks run. `--target <adapter>-live`; `cookie-conformance fidelity` compares it
//! with the adapter ([`crate::fidelity`]).
//!
//! The program reads one JSON object per line on stdin and answers one per line on stdout:
//! `{"op":"reset"}` (a new client and jar; answered `{"ok":true,"virtual_clock":B}`) and
//! `{"op":"fetch","url":U,"method":"GET","http_port":P,"https_port":Q,"now":T}` (fetch U,
//! connecting to 127.0.0.1:P for http and :Q for https while keeping U's host for everything
//! else), answered `{"ok":true}` or `{"error":E,"kind":"unsupported"|"failed"}`. A program that
//! dies, says something else or takes longer than [`ANSWER_TIMEOUT`] fails the step.
//!
//! The clock: a program that can show the library a virtual time (`virtual_clock: true`: the
//! library's own clock lookup answers `now` during the fetch, as its adapter does; the client
//! path is untouched) takes every case; otherwise short advances are slept through. HTTP API
//! only, every request same-site and GET (a client library has no notion of a site for
//! cookies), rfc6265bis.
//!
//! Set-Cookie bytes go on the wire as the case has them, CR and LF included: a server sending
//! such a line ends the field there, and how the client's parser takes the rest is exactly what
//! the fidelity check is about.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use reference_jar::{Api, Context, UnixTime};
use serde_json::{json, Value};

use super::server::{LoopbackServer, Received};
use crate::targets_file::TargetsFile;
use cookie_conformance::target::{Capabilities, Setup, Target, TargetError};

/// The suffix of a live target's name: `python-http-cookiejar-live`.
pub const SUFFIX: &str = "-live";

/// The longest one answer of the program may take (one request to a loopback server).
pub const ANSWER_TIMEOUT: Duration = Duration::from_secs(20);

/// A live client (`--target <adapter>-live`).
pub struct DrivenClient {
    name: String,
    server: LoopbackServer,
    child: Child,
    stdin: ChildStdin,
    answers: Receiver<String>,
    clock: super::RealClock,
    virtual_clock: bool,
}

impl std::fmt::Debug for DrivenClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DrivenClient").field("name", &self.name).finish()
    }
}

/// The `live:` entry of the adapter a `<adapter>-live` name means, if any.
pub fn live_adapter(target: &str) -> Option<(TargetsFile, String)> {
    let adapter = target.strip_suffix(SUFFIX)?;
    let file = TargetsFile::load(&TargetsFile::default_path()).ok()?;
    file.find(adapter)?.live.as_ref()?;
    Some((file, adapter.to_owned()))
}

impl DrivenClient {
    /// Starts the loopback server and the `live:` program of `adapter` in `file`.
    pub fn start(file: &TargetsFile, adapter: &str) -> anyhow::Result<DrivenClient> {
        let entry = file.find(adapter).ok_or_else(|| anyhow::anyhow!("no adapter `{adapter}`"))?;
        let live = entry.live.as_ref().ok_or_else(|| anyhow::anyhow!("adapter `{adapter}` has no `live:` client"))?;
        let (program, args) =
            live.command.split_first().ok_or_else(|| anyhow::anyhow!("adapter `{adapter}`: empty `live` command"))?;
        let server = LoopbackServer::start()?;
        let mut child = Command::new(program)
            .args(args)
            .current_dir(file.cwd_of(live))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| anyhow::anyhow!("adapter `{adapter}`: starting `{}`: {e}", live.command.join(" ")))?;
        let stdin = child.stdin.take().ok_or_else(|| anyhow::anyhow!("no stdin"))?;
        let stdout = child.stdout.take().ok_or_else(|| anyhow::anyhow!("no stdout"))?;
        let (tx, answers) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let description = entry.live_client.clone().unwrap_or_else(|| format!("{adapter}'s client"));
        let name = format!("{adapter}{SUFFIX} ({description}, live over loopback)");
        let mut client =
            DrivenClient { name, server, child, stdin, answers, clock: super::RealClock::default(), virtual_clock: false };
        let hello = client.call(json!({"op": "reset"})).map_err(|e| anyhow::anyhow!("adapter `{adapter}`'s live client: {e:?}"))?;
        client.virtual_clock = hello.get("virtual_clock") == Some(&Value::Bool(true));
        Ok(client)
    }

    fn call(&mut self, op: Value) -> Result<Value, TargetError> {
        let line = format!("{op}\n");
        self.stdin
            .write_all(line.as_bytes())
            .and_then(|()| self.stdin.flush())
            .map_err(|e| TargetError::failed(format!("the live client's stdin: {e}")))?;
        let answer = self
            .answers
            .recv_timeout(ANSWER_TIMEOUT)
            .map_err(|_| TargetError::failed(format!("the live client did not answer {op} within {ANSWER_TIMEOUT:?}")))?;
        let v: Value = serde_json::from_str(&answer)
            .map_err(|e| TargetError::failed(format!("the live client answered {answer:?}: {e}")))?;
        if v.get("ok") == Some(&Value::Bool(true)) {
            return Ok(v);
        }
        let error = v.get("error").and_then(Value::as_str).unwrap_or("no error message").to_owned();
        match v.get("kind").and_then(Value::as_str) {
            Some("unsupported") => Err(TargetError::Unsupported(error)),
            _ => Err(TargetError::failed(error)),
        }
    }

    /// One request to `url` at `now`, answered with `lines`; the request as the server received
    /// it.
    fn exchange(&mut self, url: &str, lines: &[Vec<u8>], now: UnixTime) -> Result<Received, TargetError> {
        if !self.virtual_clock {
            self.clock.catch_up(now);
        }
        self.server.plan(vec![lines.to_vec()]);
        let op = json!({
            "op": "fetch",
            "url": url,
            "method": "GET",
            "http_port": self.server.http_port(),
            "https_port": self.server.https_port(),
            "now": now,
        });
        self.call(op)?;
        let received = self.server.take();
        match <[Received; 1]>::try_from(received) {
            Ok([r]) => Ok(r),
            Err(v) => Err(TargetError::failed(format!("{url}: the server received {} requests, expected 1", v.len()))),
        }
    }
}

impl Drop for DrivenClient {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Target for DrivenClient {
    fn name(&self) -> String {
        self.name.clone()
    }

    fn capabilities(&self) -> Capabilities {
        if self.virtual_clock {
            Capabilities { virtual_clock: true, ..Capabilities::default() }
        } else {
            Capabilities { sleeps_through_advance: super::MAX_SLEEP_SECONDS, ..Capabilities::default() }
        }
    }

    fn reset(&mut self, setup: &Setup) -> Result<(), TargetError> {
        self.clock.reset(setup.start);
        self.call(json!({"op": "reset"})).map(|_| ())
    }

    fn set_cookies(&mut self, url: &str, lines: &[Vec<u8>], ctx: &Context, now: UnixTime) -> Result<(), TargetError> {
        if ctx.api != Api::Http {
            return Err(TargetError::Unsupported("an HTTP client has no non-HTTP cookie API".to_owned()));
        }
        self.exchange(url, lines, now).map(|_| ())
    }

    fn cookie_header(&mut self, url: &str, ctx: &Context, now: UnixTime) -> Result<Option<Vec<u8>>, TargetError> {
        if ctx.api != Api::Http {
            return Err(TargetError::Unsupported("an HTTP client has no non-HTTP cookie API".to_owned()));
        }
        Ok(self.exchange(url, &[], now)?.cookie)
    }
}
