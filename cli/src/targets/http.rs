//! A cookie jar behind the adapter protocol `cookie-adapter/1` (adapters/PROTOCOL.md), as a
//! [`Target`].
//!
//! - `--target adapter:http://127.0.0.1:PORT` connects to an adapter someone else started (never
//!   restarted or stopped); `--target NAME` starts the adapter `NAME` of `adapters/targets.yaml`
//!   ([`crate::targets_file`]) and restarts it after a crash (PROTOCOL.md §7.4).
//! - Capabilities come from `GET /info`.
//! - Each [`HttpTarget`] is one session over one keep-alive connection. Operations are queued
//!   and sent as one `batch` (§5.5) when an answer is needed (`get`, `dump`): `reset` and `set`
//!   return nothing the runner looks at, so deferring them changes no outcome. With the corpus
//!   ([`HttpTarget::with_plans`]) the target predicts the rest of the case and sends it all in
//!   that first batch (§7.2: one batch per case), answering later steps from its results and
//!   replaying the case if a call differs from the prediction. Without it, operations still
//!   queued when the next case starts are dropped: no later step of their case observes them.
//! - Several [`HttpTarget`]s (sessions) run cases in parallel ([`workers::run_parallel`]): on
//!   one adapter process when its `/info` says `parallel`, else on one process each.
//! - A crash, hang or garbage answer is a [`TargetError::Failed`] with the reason (and the
//!   adapter's last stderr lines); the next case reconnects, restarting the adapter if the
//!   runner started it, and gives up after [`HttpOptions::max_restarts`] consecutive restarts
//!   without a completed batch.

pub mod process;
pub mod wire;
pub mod workers;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use reference_jar::{Context, UnixTime};
use serde_json::Value;

use cookie_conformance::case::{Case, Step};
use cookie_conformance::load::Corpus;
use cookie_conformance::target::{Capabilities, Setup, StoredCookie, Target, TargetError};
use crate::targets_file::TargetsFile;
use process::AdapterProcess;
use wire::{b64, unb64, Batch, DumpOp, ErrorKind, GetOp, Info, Op, ResetOp, SetOp, WireConfig, WireContext, WireCookie, WireError};

/// The `--target` prefix for an adapter at a URL.
pub const URL_PREFIX: &str = "adapter:";

/// Timeouts and limits of the HTTP target (PROTOCOL.md §7.3, §7.4).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpOptions {
    /// Per request (10 s).
    pub request_timeout: Duration,
    /// Added per operation of a batch (10 ms).
    pub per_op: Duration,
    /// Wait for `LISTENING <port>` (30 s).
    pub start_timeout: Duration,
    /// Consecutive restarts (or reconnections) without a completed batch before giving up (3).
    pub max_restarts: u32,
    /// Retries of a request whose connection was refused (2), 100 ms apart.
    pub connect_retries: u32,
}

impl Default for HttpOptions {
    fn default() -> Self {
        HttpOptions {
            request_timeout: Duration::from_secs(10),
            per_op: Duration::from_millis(10),
            start_timeout: Duration::from_secs(30),
            max_restarts: 3,
            connect_retries: 2,
        }
    }
}

/// Where an adapter is.
#[derive(Clone, Debug, PartialEq)]
pub enum Endpoint {
    /// Started by someone else, at this base URL (`http://127.0.0.1:PORT`).
    Url(String),
    /// Started by the runner from `targets.yaml`.
    Named {
        /// The entry's name.
        name: String,
        /// The start command (`--port 0` is appended).
        command: Vec<String>,
        /// Its working directory.
        cwd: PathBuf,
    },
}

impl Endpoint {
    /// The endpoint a `--target` value names: `adapter:URL`, or an entry of `targets.yaml`
    /// (`None`: neither).
    pub fn resolve(target: &str, file: Option<&TargetsFile>) -> Option<Endpoint> {
        if let Some(url) = target.strip_prefix(URL_PREFIX) {
            return Some(Endpoint::Url(url.trim_end_matches('/').to_owned()));
        }
        let file = file?;
        let entry = file.find(target)?;
        Some(Endpoint::Named { name: entry.name.clone(), command: entry.start.command.clone(), cwd: file.cwd_of(&entry.start) })
    }

    /// [`Endpoint::resolve`] with the default `targets.yaml` (if it loads).
    pub fn resolve_default(target: &str) -> Option<Endpoint> {
        if target.starts_with(URL_PREFIX) {
            return Endpoint::resolve(target, None);
        }
        let file = TargetsFile::load(&TargetsFile::default_path()).ok()?;
        Endpoint::resolve(target, Some(&file))
    }

    fn label(&self) -> String {
        match self {
            Endpoint::Url(u) => u.clone(),
            Endpoint::Named { name, .. } => name.clone(),
        }
    }
}

/// One adapter (process or URL), shared by the sessions that use it.
#[derive(Debug)]
pub struct Adapter {
    endpoint: Endpoint,
    options: HttpOptions,
    info: Info,
    caps: Capabilities,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    base: String,
    process: Option<AdapterProcess>,
    /// Bumped by every restart, so that sessions sharing the adapter restart it once.
    generation: u64,
    /// Restarts since the last completed batch.
    restarts: u32,
    /// Set when the adapter keeps failing: every later case errors with this.
    gave_up: Option<String>,
}

/// A reqwest client builder for the tool's plain-HTTP clients (adapters, `serve`). A workspace
/// build unifies reqwest's features with the rust-cookie-store live client's (TLS without a
/// built-in crypto provider), and reqwest then needs a process-wide provider to build any
/// client, so this installs ring's (already installed is fine).
pub fn client_builder() -> reqwest::blocking::ClientBuilder {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::blocking::Client::builder()
}

fn client(options: &HttpOptions) -> Result<reqwest::blocking::Client, String> {
    client_builder()
        .tcp_nodelay(true)
        .pool_max_idle_per_host(1)
        .timeout(options.request_timeout)
        .no_proxy()
        .build()
        .map_err(|e| format!("building the HTTP client: {e}"))
}

/// `GET /info`, checked (PROTOCOL.md §4, §7.1).
fn fetch_info(base: &str, options: &HttpOptions) -> Result<Info, String> {
    let c = client(options)?;
    let resp = c.get(format!("{base}/info")).send().map_err(|e| format!("GET {base}/info: {}", error_chain(&e)))?;
    let status = resp.status().as_u16();
    let body = resp.bytes().map_err(|e| format!("GET /info: reading the body: {e}"))?;
    if status != 200 {
        return Err(format!("GET /info answered status {status}: {}", snippet(&body)));
    }
    let info: Info = serde_json::from_slice(&body).map_err(|e| format!("GET /info: not an info object ({e}): {}", snippet(&body)))?;
    if !info.protocol_ok() {
        return Err(format!("the adapter speaks `{}`, this runner `{}`", info.protocol, wire::PROTOCOL));
    }
    Ok(info)
}

impl Adapter {
    /// Connects to (or starts) the adapter and reads its `/info`.
    pub fn open(endpoint: Endpoint, options: HttpOptions) -> Result<Arc<Adapter>, String> {
        let (base, process) = match &endpoint {
            Endpoint::Url(u) => (u.clone(), None),
            Endpoint::Named { name, command, cwd } => {
                let p = AdapterProcess::start(command, cwd, name, options.start_timeout)
                    .map_err(|e| format!("adapter `{name}` did not start: {e}"))?;
                (format!("http://127.0.0.1:{}", p.port), Some(p))
            }
        };
        let info = match fetch_info(&base, &options) {
            Ok(i) => i,
            Err(e) => {
                let tail = process.as_ref().map(AdapterProcess::log_tail_suffix).unwrap_or_default();
                return Err(format!("adapter `{}`: {e}{tail}", endpoint.label()));
            }
        };
        let (caps, unknown) = info.capabilities.to_caps();
        for u in unknown {
            eprintln!("warning: adapter `{}`: {u} in /info (ignored)", info.name);
        }
        let state = State { base, process, generation: 0, restarts: 0, gave_up: None };
        Ok(Arc::new(Adapter { endpoint, options, info, caps, state: Mutex::new(state) }))
    }

    /// The adapter's `/info`.
    pub fn info(&self) -> &Info {
        &self.info
    }

    /// Its capabilities.
    pub fn capabilities(&self) -> &Capabilities {
        &self.caps
    }

    /// Where it listens now (`http://127.0.0.1:PORT`; changes when it is restarted).
    pub fn base_url(&self) -> String {
        self.base().0
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A worker that panicked while holding the lock left consistent data (plain fields).
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn base(&self) -> (String, u64) {
        let s = self.state();
        (s.base.clone(), s.generation)
    }

    fn stderr_tail(&self) -> String {
        self.state().process.as_ref().map(AdapterProcess::log_tail_suffix).unwrap_or_default()
    }

    fn completed(&self) {
        let mut s = self.state();
        s.restarts = 0;
    }

    /// After a transport failure seen at `generation`: restart (once for all sessions), or
    /// reconnect to a URL adapter; `Err` once it keeps failing (PROTOCOL.md §7.4).
    fn recover(&self, seen: u64, transport_failed: bool) -> Result<(), String> {
        let mut s = self.state();
        if let Some(why) = &s.gave_up {
            return Err(why.clone());
        }
        if !transport_failed || s.generation != seen {
            return Ok(());
        }
        s.restarts += 1;
        if s.restarts > self.options.max_restarts {
            let why = format!("adapter keeps failing ({} restarts without a completed case)", self.options.max_restarts);
            s.gave_up = Some(why.clone());
            return Err(why);
        }
        s.generation += 1;
        let Endpoint::Named { name, command, cwd } = &self.endpoint else { return Ok(()) };
        if let Some(mut old) = s.process.take() {
            old.terminate();
        }
        let p = AdapterProcess::start(command, cwd, name, self.options.start_timeout)
            .map_err(|e| format!("restarting adapter `{name}`: {e}"))?;
        s.base = format!("http://127.0.0.1:{}", p.port);
        s.process = Some(p);
        Ok(())
    }
}

impl Drop for Adapter {
    fn drop(&mut self) {
        let s = self.state.get_mut().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(mut p) = s.process.take() {
            // PROTOCOL.md §7.5: POST /shutdown, then signals.
            let quick = HttpOptions { request_timeout: Duration::from_secs(2), ..self.options.clone() };
            if let Ok(c) = client(&quick) {
                let _ = c.post(format!("{}/shutdown", s.base)).send();
            }
            p.stop();
        }
    }
}

/// Opens `workers` sessions on the adapter at `endpoint`: one adapter process when it serves
/// sessions in parallel (or is at a URL), else one process per worker (PROTOCOL.md §4
/// `parallel`).
pub fn open_workers(endpoint: &Endpoint, workers: usize, options: &HttpOptions) -> Result<Vec<HttpTarget>, String> {
    let first = Adapter::open(endpoint.clone(), options.clone())?;
    let shared = first.info.parallel || matches!(endpoint, Endpoint::Url(_));
    let mut out = vec![HttpTarget::new(first.clone())?];
    for _ in 1..workers.max(1) {
        let adapter = if shared { first.clone() } else { Adapter::open(endpoint.clone(), options.clone())? };
        out.push(HttpTarget::new(adapter)?);
    }
    Ok(out)
}

/// Runs the `install` command of the adapter `name` from the default `targets.yaml`
/// (PROTOCOL.md §7.1: once, when asked to), its output going to the runner's stderr.
pub fn install(name: &str) -> anyhow::Result<()> {
    let path = TargetsFile::default_path();
    let file = TargetsFile::load(&path)?;
    let entry = file.find(name).ok_or_else(|| anyhow::anyhow!("no adapter `{name}` in {}", path.display()))?;
    let Some(cmd) = &entry.install else { return Ok(()) };
    let (program, args) = cmd.command.split_first().ok_or_else(|| anyhow::anyhow!("adapter `{name}`: empty install command"))?;
    let status = std::process::Command::new(program)
        .args(args)
        .current_dir(file.cwd_of(cmd))
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::from(std::io::stderr()))
        .status()
        .map_err(|e| anyhow::anyhow!("adapter `{name}`: running `{}`: {e}", cmd.command.join(" ")))?;
    if !status.success() {
        anyhow::bail!("adapter `{name}`: `{}` failed ({status})", cmd.command.join(" "));
    }
    Ok(())
}

/// Workers for a `--target` value on the command line: `None` when it names no adapter;
/// `jobs` = 0 picks one worker per core (at most 2, PROTOCOL.md §3 "one per core").
pub fn cli_workers(target: &str, jobs: usize, corpus: &Corpus) -> anyhow::Result<Option<Vec<HttpTarget>>> {
    let Some(endpoint) = Endpoint::resolve_default(target) else { return Ok(None) };
    let jobs = if jobs == 0 { std::thread::available_parallelism().map_or(1, |n| n.get().min(2)) } else { jobs };
    let fields = Arc::new(stored_fields(corpus));
    let plans = Arc::new(plans(corpus));
    let workers = open_workers(&endpoint, jobs, &HttpOptions::default())
        .map_err(|e| anyhow::anyhow!("target `{target}` did not start: {e}"))?;
    Ok(Some(workers.into_iter().map(|w| w.with_stored_fields(fields.clone()).with_plans(plans.clone())).collect()))
}

/// One more session on the adapter `worker` uses (the session opens at its first reset), for
/// callers that want a `Box<dyn Target>` next to the workers.
pub fn another_session(worker: &HttpTarget) -> anyhow::Result<Box<dyn Target>> {
    let mut t = HttpTarget::new(worker.adapter.clone()).map_err(anyhow::Error::msg)?;
    t.stored_fields.clone_from(&worker.stored_fields);
    t.plans.clone_from(&worker.plans);
    Ok(Box::new(t))
}

/// A single HTTP target for a `--target` value (`None`: it names no adapter), with the
/// embedded corpus's `stored` fields.
pub fn cli_target(target: &str) -> Option<anyhow::Result<Box<dyn Target>>> {
    let endpoint = Endpoint::resolve_default(target)?;
    Some((|| {
        let mut t = HttpTarget::open(&endpoint, &HttpOptions::default())
            .map_err(|e| anyhow::anyhow!("target `{target}` did not start: {e}"))?;
        if let Ok(corpus) = Corpus::embedded() {
            t = t.with_stored_fields(Arc::new(stored_fields(&corpus))).with_plans(Arc::new(plans(&corpus)));
        }
        Ok(Box::new(t) as Box<dyn Target>)
    })())
}

/// For each case (full name), the stored-cookie fields its `stored` assertions look at.
pub fn stored_fields(corpus: &Corpus) -> HashMap<String, Vec<&'static str>> {
    let mut out = HashMap::new();
    for case in corpus.cases() {
        let mut fields: Vec<&'static str> = Vec::new();
        for step in &case.steps {
            let Step::Expect(e) = step else { continue };
            for s in e.stored.iter().flatten() {
                let given = [
                    ("name", s.name.is_some()),
                    ("value", s.value.is_some()),
                    ("domain", s.domain.is_some()),
                    ("path", s.path.is_some()),
                    ("host_only", s.host_only.is_some()),
                    ("secure", s.secure.is_some()),
                    ("http_only", s.http_only.is_some()),
                    ("same_site", s.same_site.is_some()),
                    ("persistent", s.persistent.is_some()),
                    ("expires", s.expires.is_some()),
                ];
                for (f, on) in given {
                    if on && !fields.contains(&f) {
                        fields.push(f);
                    }
                }
            }
        }
        out.insert(case.full_name(), fields);
    }
    out
}

/// One session of an adapter, as a [`Target`].
#[derive(Debug)]
pub struct HttpTarget {
    adapter: Arc<Adapter>,
    client: reqwest::blocking::Client,
    session: Option<String>,
    /// The adapter generation the session belongs to.
    generation: u64,
    pending: Vec<Op>,
    /// The session must be recreated before the next case.
    stale: bool,
    /// ...and the adapter restarted (it crashed, hung or answered garbage).
    transport_failed: bool,
    case: String,
    stored_fields: Option<Arc<HashMap<String, Vec<&'static str>>>>,
    requests: u64,
    /// The cases by full name, to predict a whole case's operations (see [`Speculation`]).
    plans: Option<Arc<HashMap<String, Case>>>,
    /// Every operation of the current case so far, its reset first (to replay it when a
    /// prediction turns out wrong).
    history: Vec<Op>,
    speculation: Option<Speculation>,
}

/// A whole case sent as one batch (PROTOCOL.md §7.2) before the runner asks for each step.
///
/// The [`Target`] API hands over one step at a time, but a case's operations follow from the
/// case alone (the steps, the virtual clock), so at the first answer the runner needs, the
/// target sends every remaining predicted operation along and answers the later steps from the
/// results. Each call is checked against the prediction; on a difference, the case is replayed
/// from its reset, one batch per answer, as without prediction.
#[derive(Debug)]
struct Speculation {
    /// The predicted operations after the reset.
    predicted: Vec<Op>,
    /// How many of them the runner has asked for.
    cursor: usize,
    /// The batch's results (`[reset, predicted...]`), once sent.
    results: Option<Vec<Value>>,
    /// Results before this index were checked for errors.
    checked: usize,
}

/// How a request went wrong.
enum Failure {
    /// Refused, closed, timed out, or garbage: restart.
    Transport(String),
    /// A well-formed error answer.
    Answer(u16, WireError),
}

impl HttpTarget {
    /// A target on `adapter` (its session is created at the first reset).
    pub fn new(adapter: Arc<Adapter>) -> Result<HttpTarget, String> {
        let (_, generation) = adapter.base();
        let client = client(&adapter.options)?;
        Ok(HttpTarget {
            adapter,
            client,
            session: None,
            generation,
            pending: Vec::new(),
            stale: false,
            transport_failed: false,
            case: String::new(),
            stored_fields: None,
            requests: 0,
            plans: None,
            history: Vec::new(),
            speculation: None,
        })
    }

    /// Lets the target predict each case's operations from `corpus` and send a whole case as
    /// one batch (fewer requests; the outcomes are the same).
    pub fn with_plans(mut self, plans: Arc<HashMap<String, Case>>) -> Self {
        self.plans = Some(plans);
        self
    }

    /// Connects to (or starts) one adapter and opens one session.
    pub fn open(endpoint: &Endpoint, options: &HttpOptions) -> Result<HttpTarget, String> {
        HttpTarget::new(Adapter::open(endpoint.clone(), options.clone())?)
    }

    /// Tells the target which fields each case's `stored` assertions check (see
    /// [`stored_fields`]): a dump with `null` in a field a case does not check is then still
    /// usable. Without it, any `null` field skips the case.
    pub fn with_stored_fields(mut self, fields: Arc<HashMap<String, Vec<&'static str>>>) -> Self {
        self.stored_fields = Some(fields);
        self
    }

    /// The adapter.
    pub fn adapter(&self) -> &Arc<Adapter> {
        &self.adapter
    }

    /// HTTP requests sent so far.
    pub fn requests(&self) -> u64 {
        self.requests
    }

    fn send(&mut self, method: reqwest::Method, path: &str, body: Option<Vec<u8>>, timeout: Duration) -> Result<Value, Failure> {
        let (base, _) = self.adapter.base();
        let url = format!("{base}{path}");
        let mut attempt = 0;
        let resp = loop {
            let mut req = self.client.request(method.clone(), &url).timeout(timeout);
            if let Some(b) = &body {
                req = req.header("content-type", "application/json").body(b.clone());
            }
            self.requests += 1;
            match req.send() {
                Ok(r) => break r,
                // Refused before anything was sent: safe to retry (bounded).
                Err(e) if e.is_connect() && attempt < self.adapter.options.connect_retries => {
                    attempt += 1;
                    std::thread::sleep(Duration::from_millis(100));
                    self.client = client(&self.adapter.options).map_err(Failure::Transport)?;
                }
                Err(e) => {
                    let what = if e.is_timeout() { format!("timed out after {} ms", timeout.as_millis()) } else { error_chain(&e) };
                    return Err(Failure::Transport(format!("{method} {path}: {what}")));
                }
            }
        };
        let status = resp.status().as_u16();
        let bytes = resp.bytes().map_err(|e| {
            let what = if e.is_timeout() { format!("timed out after {} ms", timeout.as_millis()) } else { error_chain(&e) };
            Failure::Transport(format!("{method} {path}: reading the answer: {what}"))
        })?;
        let value: Value = serde_json::from_slice(&bytes)
            .map_err(|e| Failure::Transport(format!("{method} {path}: status {status}, body is not JSON ({e}): {}", snippet(&bytes))))?;
        if status == 200 {
            if !value.is_object() {
                return Err(Failure::Transport(format!("{method} {path}: the answer is not a JSON object: {}", snippet(&bytes))));
            }
            return Ok(value);
        }
        match serde_json::from_value::<WireError>(value) {
            Ok(err) => Err(Failure::Answer(status, err)),
            Err(_) => Err(Failure::Transport(format!("{method} {path}: status {status} without an error object: {}", snippet(&bytes)))),
        }
    }

    /// Turns a failure into the case's error, remembering what the next case must repair.
    fn fail(&mut self, f: Failure) -> TargetError {
        match f {
            Failure::Transport(msg) => {
                self.stale = true;
                self.transport_failed = true;
                TargetError::Failed(format!("{msg}{}", self.adapter.stderr_tail()))
            }
            Failure::Answer(status, err) => answer_error(status, err, None, &mut self.stale),
        }
    }

    fn ensure_session(&mut self) -> Result<(), TargetError> {
        if self.stale {
            let old = self.session.take();
            // The adapter lives on when it is at a URL (a runner-started one is restarted,
            // and its sessions with it): free the session it may still hold (best effort).
            if let (Some(id), true, Endpoint::Url(_)) = (&old, self.transport_failed, &self.adapter.endpoint) {
                let (base, _) = self.adapter.base();
                let _ = self.client.delete(format!("{base}/sessions/{id}")).timeout(Duration::from_secs(1)).send();
            }
            if let Err(why) = self.adapter.recover(self.generation, self.transport_failed) {
                return Err(TargetError::Failed(why));
            }
            // Count the next failure against the adapter as it is now: without this, a session
            // that could not even be created kept the generation it first saw, and every later
            // failure looked like one that another session had already recovered from
            // (PROTOCOL.md §7.4: the run must give up).
            self.generation = self.adapter.base().1;
            self.stale = false;
            self.transport_failed = false;
            self.client = client(&self.adapter.options).map_err(TargetError::Failed)?;
        }
        if let Some(why) = &self.adapter.state().gave_up {
            return Err(TargetError::Failed(why.clone()));
        }
        if self.session.is_none() {
            let (_, generation) = self.adapter.base();
            let timeout = self.adapter.options.request_timeout;
            let v = self.send(reqwest::Method::POST, "/sessions", Some(b"{}".to_vec()), timeout).map_err(|f| self.fail(f))?;
            let id = v.get("id").and_then(Value::as_str).filter(|id| valid_session_id(id));
            match id {
                Some(id) => {
                    self.session = Some(id.to_owned());
                    self.generation = generation;
                }
                None => return Err(self.fail(Failure::Transport(format!("POST /sessions: no valid session id in {v}")))),
            }
        }
        Ok(())
    }

    /// Sends `ops` as one batch; the results, checked for shape (one object per operation,
    /// or fewer ending with an error object) but not for errors.
    fn send_batch(&mut self, ops: Vec<Op>) -> Result<Vec<Value>, TargetError> {
        let Some(session) = self.session.clone() else {
            return Err(TargetError::failed("no session (the reset failed)"));
        };
        let n = ops.len();
        let timeout = self.adapter.options.request_timeout + self.adapter.options.per_op * u32::try_from(n).unwrap_or(u32::MAX);
        let body = serde_json::to_vec(&Batch { ops }).map_err(TargetError::failed)?;
        let path = format!("/sessions/{session}/batch");
        let mut v = self.send(reqwest::Method::POST, &path, Some(body), timeout).map_err(|f| self.fail(f))?;
        if !v.get("results").is_some_and(Value::is_array) {
            return Err(self.garbage(format!("POST {path}: no `results` array in {}", snippet(v.to_string().as_bytes()))));
        }
        let Some(Value::Array(results)) = v.get_mut("results").map(Value::take) else {
            return Err(self.garbage(format!("POST {path}: no `results` array")));
        };
        if let Some(i) = results.iter().position(|r| !r.is_object()) {
            return Err(self.garbage(format!("POST {path}: result {} is not an object: {}", i + 1, results[i])));
        }
        let ends_in_error = results.last().is_some_and(|r| r.get("error").is_some());
        if results.len() > n || (results.len() < n && !ends_in_error) {
            return Err(self.garbage(format!("POST {path}: {} results for {n} operations", results.len())));
        }
        // A well-formed answer, errors included: the adapter works (PROTOCOL.md §7.4 counts
        // restarts without one).
        self.adapter.completed();
        Ok(results)
    }

    /// The error object among `results[from..to]`, if any, as the case's error.
    fn error_in(&mut self, results: &[Value], ops: &[&'static str], from: usize, to: usize) -> Option<TargetError> {
        let n = ops.len();
        for (i, r) in results.iter().enumerate().take(to).skip(from) {
            if r.get("error").is_some() {
                let err: WireError = serde_json::from_value(r.clone()).unwrap_or(WireError { error: r.to_string(), kind: None });
                let status = err.kind.map_or(500, ErrorKind::status);
                let at = format!("op {} of {n} (`{}`)", i + 1, ops.get(i).copied().unwrap_or("?"));
                return Some(answer_error(status, err, Some(&at), &mut self.stale));
            }
        }
        None
    }

    /// Sends the queued operations as one batch; the last operation's result.
    fn flush(&mut self) -> Result<Value, TargetError> {
        let ops = std::mem::take(&mut self.pending);
        let names: Vec<&'static str> = ops.iter().map(Op::name).collect();
        let results = self.send_batch(ops)?;
        if let Some(e) = self.error_in(&results, &names, 0, results.len()) {
            return Err(e);
        }
        Ok(results.last().cloned().unwrap_or(Value::Null))
    }

    /// The operations `case` will make after its reset, as [`cookie_conformance::run`] drives a target.
    fn predict(&self, case: &Case, start: UnixTime) -> Vec<Op> {
        let mut ops = Vec::new();
        let mut now = start;
        for step in &case.steps {
            match step {
                Step::Advance(d) => now = now.saturating_add(d.seconds()),
                Step::Set(set) => ops.push(set_op(&set.url, &set.cookies, &set.context.to_reference(), now)),
                Step::Expect(e) => {
                    if let (Some(url), Some(_)) = (&e.url, &e.cookie) {
                        ops.push(get_op(url, &e.context.to_reference(), now));
                    }
                    if e.stored.is_some() {
                        if !self.adapter.caps.storage_dump {
                            break;
                        }
                        ops.push(Op::Dump(DumpOp { now }));
                    }
                }
            }
        }
        ops
    }

    /// One operation of the current case: `None` for a set, the result for a get or dump.
    fn call(&mut self, op: Op) -> Result<Option<Value>, TargetError> {
        self.history.push(op.clone());
        let observed = !matches!(op, Op::Set(_));
        if let Some(mut spec) = self.speculation.take() {
            if spec.predicted.get(spec.cursor) == Some(&op) {
                let idx = spec.cursor + 1; // the index in the batch (the reset is 0)
                spec.cursor += 1;
                if spec.results.is_none() {
                    if !observed {
                        self.pending.push(op);
                        self.speculation = Some(spec);
                        return Ok(None);
                    }
                    let mut ops = std::mem::take(&mut self.pending);
                    ops.push(op);
                    ops.extend(spec.predicted[spec.cursor..].iter().cloned());
                    let results = self.send_batch(ops)?;
                    spec.results = Some(results);
                }
                let results = spec.results.take().unwrap_or_default();
                let names: Vec<&'static str> =
                    std::iter::once("reset").chain(spec.predicted.iter().map(Op::name)).collect();
                if let Some(e) = self.error_in(&results, &names, spec.checked, idx + 1) {
                    return Err(e);
                }
                spec.checked = idx + 1;
                let Some(answer) = results.get(idx).cloned() else {
                    return Err(self.garbage(format!("batch: no result for op {}", idx + 1)));
                };
                spec.results = Some(results);
                self.speculation = Some(spec);
                return Ok(observed.then_some(answer));
            }
            // A call the prediction did not foresee: replay the case so far without it.
            self.pending = self.history.clone();
        } else {
            self.pending.push(op);
        }
        if observed {
            self.flush().map(Some)
        } else {
            Ok(None)
        }
    }

    fn garbage(&mut self, what: String) -> TargetError {
        self.fail(Failure::Transport(what))
    }
}

fn set_op(url: &str, lines: &[Vec<u8>], ctx: &Context, now: UnixTime) -> Op {
    Op::Set(SetOp {
        url: url.to_owned(),
        context: WireContext::from_context(ctx, url),
        now,
        set_cookie: lines.iter().map(|l| b64(l)).collect(),
    })
}

fn get_op(url: &str, ctx: &Context, now: UnixTime) -> Op {
    Op::Get(GetOp { url: url.to_owned(), context: WireContext::from_context(ctx, url), now })
}

/// The cases of `corpus` by full name, for [`HttpTarget::with_plans`].
pub fn plans(corpus: &Corpus) -> HashMap<String, Case> {
    corpus.cases().iter().map(|c| (c.full_name(), c.clone())).collect()
}

/// A session id as PROTOCOL.md §3 allows it (it goes into paths).
fn valid_session_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// PROTOCOL.md §6: 422 skips the case; 400, 404 and 500 error it (404: the session is gone).
fn answer_error(status: u16, err: WireError, at: Option<&str>, stale: &mut bool) -> TargetError {
    let at = at.map(|a| format!(" at {a}")).unwrap_or_default();
    match (status, err.kind) {
        (422, _) | (_, Some(ErrorKind::Unsupported)) => TargetError::Unsupported(err.error),
        (_, kind) => {
            if status == 404 || kind == Some(ErrorKind::NotFound) {
                *stale = true;
            }
            let kind = kind
                .and_then(|k| serde_json::to_value(k).ok())
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_else(|| "error".to_owned());
            TargetError::Failed(format!("the adapter answered {status} {kind}{at}: {}", err.error))
        }
    }
}

impl Drop for HttpTarget {
    fn drop(&mut self) {
        // Only for adapters someone else runs: the runner's own are stopped anyway.
        if let (Some(id), Endpoint::Url(_)) = (&self.session, &self.adapter.endpoint) {
            let (base, _) = self.adapter.base();
            let _ = self.client.delete(format!("{base}/sessions/{id}")).timeout(Duration::from_secs(1)).send();
        }
    }
}

impl Target for HttpTarget {
    fn name(&self) -> String {
        self.adapter.info.display_name()
    }

    fn capabilities(&self) -> Capabilities {
        self.adapter.caps.clone()
    }

    fn reset(&mut self, setup: &Setup) -> Result<(), TargetError> {
        self.pending.clear();
        self.history.clear();
        self.speculation = None;
        self.case.clone_from(&setup.case);
        self.ensure_session()?;
        let reset = Op::Reset(ResetOp {
            profile: setup.profile.name().to_owned(),
            config: WireConfig::from_config(&setup.config),
            now: setup.start,
        });
        self.history.push(reset.clone());
        self.pending.push(reset);
        let plan = self.plans.as_ref().and_then(|p| p.get(&setup.case)).map(|case| self.predict(case, setup.start));
        self.speculation = plan.map(|predicted| Speculation { predicted, cursor: 0, results: None, checked: 0 });
        Ok(())
    }

    fn set_cookies(&mut self, url: &str, lines: &[Vec<u8>], ctx: &Context, now: UnixTime) -> Result<(), TargetError> {
        self.call(set_op(url, lines, ctx, now)).map(|_| ())
    }

    fn cookie_header(&mut self, url: &str, ctx: &Context, now: UnixTime) -> Result<Option<Vec<u8>>, TargetError> {
        let r = self.call(get_op(url, ctx, now))?.unwrap_or(Value::Null);
        match r.get("cookie") {
            Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => match unb64(s) {
                Ok(b) => Ok(Some(b)),
                Err(e) => Err(self.garbage(format!("get: {e}"))),
            },
            _ => Err(self.garbage(format!("get: the result has no `cookie` string or null: {r}"))),
        }
    }

    fn dump(&mut self, now: UnixTime) -> Result<Option<Vec<StoredCookie>>, TargetError> {
        if !self.adapter.caps.storage_dump {
            return Ok(None);
        }
        let r = self.call(Op::Dump(DumpOp { now }))?.unwrap_or(Value::Null);
        let Some(list) = r.get("cookies").cloned() else {
            return Err(self.garbage(format!("dump: the result has no `cookies`: {r}")));
        };
        let cookies: Vec<WireCookie> = match serde_json::from_value(list) {
            Ok(c) => c,
            Err(e) => return Err(self.garbage(format!("dump: malformed `cookies` ({e})"))),
        };
        let mut unknown: Vec<&'static str> = Vec::new();
        for c in &cookies {
            for f in c.unknown_fields() {
                if !unknown.contains(&f) {
                    unknown.push(f);
                }
            }
        }
        let checked: Vec<&'static str> = match &self.stored_fields {
            // A case missing from the map (another corpus) is treated as checking everything.
            Some(map) => match map.get(&self.case) {
                Some(fields) => unknown.into_iter().filter(|f| fields.contains(f)).collect(),
                None => unknown,
            },
            None => unknown,
        };
        if !checked.is_empty() {
            // PROTOCOL.md §5.4: a `stored` assertion about a field the library does not expose
            // cannot be checked; the case is skipped with the reason.
            return Err(TargetError::Unsupported(format!(
                "the adapter does not expose `{}` of stored cookies (null in its dump)",
                checked.join("`, `")
            )));
        }
        let mut out = Vec::with_capacity(cookies.len());
        for c in &cookies {
            match c.to_stored() {
                Ok(s) => out.push(s),
                Err(e) => return Err(self.garbage(format!("dump: {e}"))),
            }
        }
        Ok(Some(out))
    }
}

/// An error and its sources, on one line.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut msg = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !msg.contains(&text) {
            msg.push_str(": ");
            msg.push_str(&text);
        }
        source = s.source();
    }
    msg
}

/// At most 200 characters of a body, for messages.
fn snippet(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut out: String = text.chars().take(200).collect();
    if text.chars().count() > 200 {
        out.push('…');
    }
    format!("{out:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_resolve() {
        assert_eq!(Endpoint::resolve("adapter:http://127.0.0.1:9/", None), Some(Endpoint::Url("http://127.0.0.1:9".into())));
        assert_eq!(Endpoint::resolve("go-cookiejar", None), None);
        let file = TargetsFile::parse(
            "protocol: cookie-adapter/1\nadapters:\n  - name: x\n    start: { command: [bash, run.sh], cwd: x }\n",
            std::path::Path::new("/a/targets.yaml"),
        )
        .unwrap();
        let Some(Endpoint::Named { name, command, cwd }) = Endpoint::resolve("x", Some(&file)) else { panic!() };
        assert_eq!((name.as_str(), command.len(), cwd), ("x", 2, PathBuf::from("/a/x")));
        assert_eq!(Endpoint::resolve("reference", Some(&file)), None);
    }

    #[test]
    fn session_ids_and_errors() {
        assert!(valid_session_id("s-1_A"));
        assert!(!valid_session_id("a/b") && !valid_session_id("") && !valid_session_id(&"a".repeat(65)));
        let mut stale = false;
        let e = answer_error(422, WireError { error: "no CHIPS".into(), kind: Some(ErrorKind::Unsupported) }, None, &mut stale);
        assert_eq!(e, TargetError::Unsupported("no CHIPS".into()));
        let e = answer_error(404, WireError { error: "who?".into(), kind: Some(ErrorKind::NotFound) }, Some("op 2"), &mut stale);
        assert!(stale);
        assert_eq!(e, TargetError::Failed("the adapter answered 404 not_found at op 2: who?".into()));
    }

    #[test]
    fn unreachable_adapter_fails_to_open() {
        // Port 9 (discard) is closed on a test machine; the connection is refused.
        let opts = HttpOptions { connect_retries: 0, ..HttpOptions::default() };
        let e = Adapter::open(Endpoint::Url("http://127.0.0.1:9".into()), opts).unwrap_err();
        assert!(e.contains("GET http://127.0.0.1:9/info"), "{e}");
    }
}
