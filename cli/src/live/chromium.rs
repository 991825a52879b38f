//! Headless Chromium as a [`Target`], driven over the DevTools protocol (CDP): the browser
//! loads the case's URLs from a [`LoopbackServer`] that answers with the case's `Set-Cookie`
//! lines and records the `Cookie` header the browser sends.
//!
//! - `--host-resolver-rules="MAP * 127.0.0.1"` sends every host name to the loopback server;
//!   the port stays the URL's, so the server listens on 80 and 443 (root needed) and URLs with
//!   another port are skipped. `--ignore-certificate-errors` accepts its self-signed
//!   certificate.
//! - A fresh profile per browser, with third-party cookies allowed
//!   (`{"profile":{"cookie_controls_mode":0}}` in its Preferences: Chromium blocks them by
//!   default).
//! - `set` and `expect` steps of the HTTP API are browser-initiated top-level navigations
//!   (`Page.navigate`), i.e. requests without a client's site, as the corpus's default context
//!   says (§5.2); `api: script` steps navigate to the URL and run `document.cookie` there
//!   (`Runtime.evaluate`).
//! - Requests with a client (`site: S`) are produced for real from a page the server serves on
//!   S's origin: a top-level navigation by a link click (`navigation: true`), a form POST
//!   (`navigation: true, method: POST`), a subresource `<img>` (GET, not a navigation).
//! - An opaque site for cookies under a `top_level` is a cross-site frame (as for Firefox,
//!   [`super::browser::route`]): a page on the top-level origin nests an `<iframe>` whose
//!   document makes the `<img>` request, or is the document at the step's URL where
//!   `document.cookie` runs. Site isolation puts that frame in a process of its own: the page's
//!   session auto-attaches it (`Target.setAutoAttach`, flattened) and the script runs over the
//!   frame's session (`Runtime.evaluate` in its main world). Other contexts (other nested
//!   documents, other methods, mixed content) are skipped with the reason.
//! - A virtual clock through libfaketime when it is installed ([`BrowserClock`]): the browser and
//!   every process it starts read the offset file, rewritten when a case starts and when it
//!   advances; the store's expired cookies are left out of the dump by the step's time.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use reference_jar::{Api, Context, ThirdPartyPolicy, UnixTime};
use serde_json::{json, Value};

use super::browser::{check_response_lines, cookie_assignments, frame_page, route, script_frame, Browser, How, Route, WsRpc, FRAME_PATH, PAGE_PATH};
use super::faketime::BrowserClock;
use super::server::LoopbackServer;
use super::TempDir;
use cookie_conformance::case::{SameSiteName, ThirdParty};
use cookie_conformance::target::{Capabilities, Setup, StoredCookie, Target, TargetError};

/// How long the browser may take to start and print its DevTools address.
const START_TIMEOUT: Duration = Duration::from_secs(30);
/// How long one navigation (or CDP call) may take.
const STEP_TIMEOUT: Duration = Duration::from_secs(15);

/// Why the Chromium target could not start.
#[derive(Debug, thiserror::Error)]
pub enum ChromiumError {
    /// The browser binary did not run.
    #[error("cannot run `{0}` (is Debian's chromium installed? apt-get install -y chromium): {1}")]
    NotFound(String, std::io::Error),
    /// The browser did not print its DevTools address in time.
    #[error("chromium did not start: {0}")]
    Start(String),
    /// The loopback server could not bind ports 80 and 443.
    #[error("{0} (the Chromium target binds 127.0.0.1:80 and :443, which needs root or CAP_NET_BIND_SERVICE)")]
    Server(#[from] super::server::ServerError),
    /// The profile directory could not be made.
    #[error("creating chromium's profile directory: {0}")]
    Profile(std::io::Error),
    /// The DevTools protocol failed.
    #[error("DevTools protocol: {0}")]
    Cdp(String),
}

/// Headless Chromium (`--target chromium`).
pub struct ChromiumTarget {
    version: String,
    server: LoopbackServer,
    child: Child,
    cdp: Cdp,
    session: String,
    /// Third-party cookies blocked (the case's `third_party: block`), for the frames' sessions.
    block: bool,
    /// The sessions of the out-of-process frames attached during the last page load, in order.
    frames: Vec<String>,
    clock: BrowserClock,
    // Removed after the browser (field order: dropped last).
    _profile: TempDir,
}

impl std::fmt::Debug for ChromiumTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChromiumTarget").field("version", &self.version).field("server", &self.server).finish()
    }
}

impl ChromiumTarget {
    /// Starts the loopback server on ports 80 and 443 and a headless Chromium (`chromium`, or
    /// `$CHROMIUM`) with a fresh profile, and opens a page over CDP.
    pub fn new() -> Result<ChromiumTarget, ChromiumError> {
        let binary = std::env::var("CHROMIUM").unwrap_or_else(|_| "chromium".to_owned());
        let version = chromium_version(&binary)?;
        let server = LoopbackServer::start_on(80, 443)?;
        let profile = TempDir::new("chromium").map_err(ChromiumError::Profile)?;
        let default = profile.path.join("Default");
        std::fs::create_dir_all(&default).map_err(ChromiumError::Profile)?;
        // Chromium blocks third-party cookies by default; mode 0 allows them (FACTS.md).
        std::fs::write(default.join("Preferences"), r#"{"profile":{"cookie_controls_mode":0}}"#).map_err(ChromiumError::Profile)?;
        let clock = BrowserClock::find(&profile.path).map_err(ChromiumError::Profile)?;
        let mut child = Command::new(&binary)
            .args(chromium_args(&profile.path))
            .envs(clock.env())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| ChromiumError::NotFound(binary.clone(), e))?;
        let ws_url = match devtools_url(&mut child) {
            Ok(u) => u,
            Err(e) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(e);
            }
        };
        let started = (|| {
            let mut cdp = Cdp::connect(&ws_url)?;
            let target = cdp.call(None, "Target.createTarget", json!({ "url": "about:blank" }))?;
            let target_id = target["targetId"].as_str().ok_or("Target.createTarget: no targetId")?.to_owned();
            let attached = cdp.call(None, "Target.attachToTarget", json!({ "targetId": target_id, "flatten": true }))?;
            let session = attached["sessionId"].as_str().ok_or("Target.attachToTarget: no sessionId")?.to_owned();
            cdp.call(Some(&session), "Page.enable", json!({}))?;
            cdp.call(Some(&session), "Network.enable", json!({}))?;
            // Cross-site frames are out-of-process (site isolation): each is a target of its
            // own, attached to this session so that script can run in its document.
            // Each waits until it has the case's cookie controls (see `wait_load`).
            cdp.call(Some(&session), "Target.setAutoAttach", json!({ "autoAttach": true, "waitForDebuggerOnStart": true, "flatten": true }))?;
            // Chromium blocks third-party cookies by default; the profile preference above is
            // not enough in headless mode, so lift the restriction over CDP too.
            cdp.call(Some(&session), "Network.setCookieControls", cookie_controls(false))?;
            Ok::<_, String>((cdp, session))
        })();
        let (cdp, session) = match started {
            Ok(x) => x,
            Err(e) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(ChromiumError::Cdp(e));
            }
        };
        Ok(ChromiumTarget { version, server, child, cdp, session, block: false, frames: Vec::new(), clock, _profile: profile })
    }

    /// Makes the request to `url` that `ctx` describes, answered with `lines`; the `Cookie`
    /// header the server received with it.
    fn request(&mut self, url: &str, lines: &[Vec<u8>], ctx: &Context) -> Result<Option<Vec<u8>>, TargetError> {
        let (site, how) = match route(&CHROMIUM, url, ctx)? {
            Route::Address => return self.navigate(url, lines),
            Route::FromPage(site, how) => (site, how),
            Route::FromFrame { top, frame } => return self.request_from_frame(url, lines, &top, &frame),
        };
        let page_url = format!("{}{PAGE_PATH}", site.origin().ascii_serialization());
        self.server.set_pages(vec![(PAGE_PATH.as_bytes().to_vec(), how.page(url).into_bytes())]);
        self.server.only_hosts(vec![host_of(url)?, site.host_str().unwrap_or_default().as_bytes().to_vec()]);
        self.server.plan(vec![Vec::new(), lines.to_vec()]);
        self.cdp.rpc.events.clear();
        // The image loads with the page: its load event covers both requests.
        self.load(&page_url)?;
        if let Some(script) = how.script() {
            self.cdp.rpc.events.clear();
            self.evaluate(script)?;
            self.wait_load(&format!("{url} from {page_url}"))?;
        }
        let mut received = self.server.take().into_iter();
        let _page = received.next();
        let Some(r) = received.next() else {
            return Err(TargetError::failed(format!("{how:?} to {url} from {page_url}: the server received no request")));
        };
        if r.tls != url.to_ascii_lowercase().starts_with("https:") {
            return Err(TargetError::Unsupported(format!("Chromium changed the scheme of {url} (mixed content from {page_url})")));
        }
        Ok(r.cookie)
    }

    /// The `<img>` request to `url` from the document `frame` nested in a page on `top`'s
    /// origin, answered with `lines`; the `Cookie` header the server received with it.
    fn request_from_frame(&mut self, url: &str, lines: &[Vec<u8>], top: &url::Url, frame: &url::Url) -> Result<Option<Vec<u8>>, TargetError> {
        let page_url = format!("{}{PAGE_PATH}", top.origin().ascii_serialization());
        self.server.set_pages(vec![
            (PAGE_PATH.as_bytes().to_vec(), frame_page(frame.as_str()).into_bytes()),
            (FRAME_PATH.as_bytes().to_vec(), How::Image.page(url).into_bytes()),
        ]);
        let host = |u: &url::Url| u.host_str().unwrap_or_default().as_bytes().to_vec();
        self.server.only_hosts(vec![host_of(url)?, host(top), host(frame)]);
        self.server.plan(vec![Vec::new(), Vec::new(), lines.to_vec()]);
        self.cdp.rpc.events.clear();
        // The top-level load event waits for the frame's, which waits for its image.
        self.load(&page_url)?;
        let received = self.server.take();
        let Some(r) = received.get(2) else {
            return Err(TargetError::failed(format!("<img> to {url} from the frame {frame} in {page_url}: the server received {} of the 3 requests", received.len())));
        };
        if r.tls != url.to_ascii_lowercase().starts_with("https:") {
            return Err(TargetError::Unsupported(format!("Chromium changed the scheme of {url} (mixed content from {frame})")));
        }
        Ok(r.cookie.clone())
    }

    /// Loads the document where a script step at `url` runs; the session to run it in (the
    /// page's, or that of the out-of-process frame of a page on `top`'s origin that holds the
    /// document at `url`).
    fn script_document(&mut self, url: &str, top: Option<&url::Url>) -> Result<String, TargetError> {
        let Some(top) = top else {
            self.navigate(url, &[])?;
            return Ok(self.session.clone());
        };
        let page_url = format!("{}{PAGE_PATH}", top.origin().ascii_serialization());
        self.server.set_pages(vec![(PAGE_PATH.as_bytes().to_vec(), frame_page(url).into_bytes())]);
        self.server.only_hosts(vec![host_of(url)?, top.host_str().unwrap_or_default().as_bytes().to_vec()]);
        self.server.plan(vec![Vec::new(), Vec::new()]);
        self.cdp.rpc.events.clear();
        self.frames.clear();
        self.load(&page_url)?;
        if self.server.take().len() < 2 {
            return Err(TargetError::failed(format!("the frame {url} in {page_url}: the server received no request for it")));
        }
        self.frames.last().cloned().ok_or_else(|| TargetError::failed(format!("the frame {url} in {page_url}: no out-of-process frame was attached")))
    }

    /// Navigates the page to `url` and waits for its load event.
    fn load(&mut self, url: &str) -> Result<(), TargetError> {
        let r = self.cdp.call(Some(&self.session), "Page.navigate", json!({ "url": url })).map_err(TargetError::failed)?;
        if let Some(err) = r.get("errorText").and_then(Value::as_str) {
            return Err(TargetError::failed(format!("navigating to {url}: {err}")));
        }
        if r.get("loaderId").is_none() {
            return Err(TargetError::Unsupported(format!("navigating to {url} stays in the same document: no request is made")));
        }
        self.wait_load(url)
    }

    /// Waits for the page's load event. Meanwhile each frame the page's session attaches (an
    /// out-of-process frame, paused before its document loads) gets the case's cookie controls
    /// (a frame's requests and `document.cookie` follow its own session's, not the page's) and
    /// is resumed; the frames' sessions are kept in `self.frames`.
    fn wait_load(&mut self, what: &str) -> Result<(), TargetError> {
        let deadline = Instant::now() + STEP_TIMEOUT;
        let session = self.session.clone();
        loop {
            let v = self
                .cdp
                .rpc
                .wait_event(
                    |v| v["sessionId"] == session.as_str() && (v["method"] == "Page.loadEventFired" || v["method"] == "Target.attachedToTarget"),
                    deadline,
                )
                .map_err(|_| TargetError::failed(format!("loading {what}: no Page.loadEventFired in time")))?;
            if v["method"] == "Page.loadEventFired" {
                return Ok(());
            }
            let child = v["params"]["sessionId"].as_str().ok_or_else(|| TargetError::failed(format!("Target.attachedToTarget without a sessionId: {v}")))?.to_owned();
            // The controls apply only where the Network domain is enabled.
            self.cdp.call(Some(&child), "Network.enable", json!({})).map_err(TargetError::failed)?;
            self.cdp.call(Some(&child), "Network.setCookieControls", cookie_controls(self.block)).map_err(TargetError::failed)?;
            self.cdp.call(Some(&child), "Runtime.runIfWaitingForDebugger", json!({})).map_err(TargetError::failed)?;
            if v["params"]["targetInfo"]["type"] == "iframe" {
                self.frames.push(child);
            }
        }
    }

    /// Navigates the page to `url` with the response carrying `lines`; the `Cookie` header of
    /// the request the server received.
    fn navigate(&mut self, url: &str, lines: &[Vec<u8>]) -> Result<Option<Vec<u8>>, TargetError> {
        check_url(url)?;
        self.server.only_hosts(vec![host_of(url)?]);
        self.server.plan(vec![lines.to_vec()]);
        self.cdp.rpc.events.clear();
        self.load(url)?;
        let received = self.server.take();
        match received.into_iter().next() {
            Some(r) => Ok(r.cookie),
            None => Err(TargetError::failed(format!("navigating to {url}: the server received no request"))),
        }
    }

    fn evaluate(&mut self, expression: &str) -> Result<Value, TargetError> {
        let session = self.session.clone();
        self.evaluate_in(&session, expression)
    }

    /// Runs `expression` in the main document of the target of `session`; its value.
    fn evaluate_in(&mut self, session: &str, expression: &str) -> Result<Value, TargetError> {
        let r = self
            .cdp
            .call(Some(session), "Runtime.evaluate", json!({ "expression": expression, "returnByValue": true }))
            .map_err(TargetError::failed)?;
        if let Some(ex) = r.get("exceptionDetails") {
            return Err(TargetError::failed(format!("{expression}: {ex}")));
        }
        Ok(r["result"]["value"].clone())
    }
}

impl Drop for ChromiumTarget {
    fn drop(&mut self) {
        let _ = self.cdp.call(None, "Browser.close", json!({}));
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn chromium_version(binary: &str) -> Result<String, ChromiumError> {
    let out = Command::new(binary).arg("--version").output().map_err(|e| ChromiumError::NotFound(binary.to_owned(), e))?;
    let text = String::from_utf8_lossy(&out.stdout);
    // `Chromium 148.0.7778.167 built on Debian GNU/Linux 12 (bookworm)`.
    let line = text.lines().find(|l| l.starts_with("Chromium")).unwrap_or("Chromium");
    Ok(line.split_whitespace().take(2).collect::<Vec<_>>().join(" "))
}

/// The flags this machine needs (FACTS.md) plus the ones that keep the browser quiet.
fn chromium_args(profile: &std::path::Path) -> Vec<String> {
    vec![
        "--headless".into(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--disable-quic".into(),
        "--no-first-run".into(),
        "--disable-background-networking".into(),
        "--disable-component-update".into(),
        "--disable-sync".into(),
        "--disable-extensions".into(),
        // Keep http:// URLs on http: HTTPS upgrades would turn http cases into https ones.
        "--disable-features=HttpsUpgrades,HttpsFirstBalancedModeAutoEnable".into(),
        "--host-resolver-rules=MAP * 127.0.0.1".into(),
        "--ignore-certificate-errors".into(),
        "--remote-debugging-port=0".into(),
        format!("--user-data-dir={}", profile.display()),
        "about:blank".into(),
    ]
}

/// Reads `DevTools listening on ws://...` from the browser's stderr.
fn devtools_url(child: &mut Child) -> Result<String, ChromiumError> {
    super::browser::ws_address_from_stderr(child, "DevTools listening on", START_TIMEOUT).map_err(ChromiumError::Start)
}

/// The host the browser puts in the `Host` field for `url` (IDNA-encoded, IPv6 in brackets).
fn host_of(url: &str) -> Result<Vec<u8>, TargetError> {
    super::browser::host_of("Chromium", url)
}

/// What the shared request routing may ask of Chromium (frames are out-of-process, reached
/// over auto-attached DevTools sessions).
const CHROMIUM: Browser = Browser { name: "Chromium", check_url };

/// The browser keeps the URL's port, and the server listens on 80 and 443 only.
fn check_url(url: &str) -> Result<(), TargetError> {
    let parsed = url::Url::parse(url).map_err(|e| TargetError::Unsupported(format!("the Chromium target cannot navigate to {url:?}: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(TargetError::Unsupported(format!("the Chromium target serves only http and https URLs ({url})")));
    }
    if parsed.port().is_some() {
        return Err(TargetError::Unsupported(format!("the Chromium target serves only ports 80 and 443 ({url})")));
    }
    Ok(())
}

impl Target for ChromiumTarget {
    fn name(&self) -> String {
        self.version.clone()
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            script_api: true,
            same_site_contexts: true,
            storage_dump: true,
            // CHIPS is on in Chromium; third-party cookies can be blocked over the protocol.
            partitioned: true,
            third_party_policies: vec![ThirdParty::Allow, ThirdParty::Block],
            virtual_clock: self.clock.is_virtual(),
            sleeps_through_advance: self.clock.sleeps_through_advance(),
            profiles: super::browser::PROFILES.to_vec(),
            ..Capabilities::default()
        }
    }

    fn reset(&mut self, setup: &Setup) -> Result<(), TargetError> {
        self.clock.reset(setup.start)?;
        self.cdp.call(Some(&self.session), "Network.clearBrowserCookies", json!({})).map_err(TargetError::failed)?;
        // `block` is Chromium with third-party cookies blocked (the setting users and Incognito
        // get); `allow` lifts the restriction, as at start.
        let block = match setup.config.third_party {
            ThirdPartyPolicy::Allow => false,
            ThirdPartyPolicy::Block => true,
            ThirdPartyPolicy::Partition => {
                return Err(TargetError::Unsupported("Chromium has no policy that partitions every third-party cookie".to_owned()))
            }
        };
        self.cdp.call(Some(&self.session), "Network.setCookieControls", cookie_controls(block)).map_err(TargetError::failed)?;
        self.block = block;
        Ok(())
    }

    fn set_cookies(&mut self, url: &str, lines: &[Vec<u8>], ctx: &Context, now: UnixTime) -> Result<(), TargetError> {
        self.clock.at(now)?;
        if ctx.api == Api::Http {
            // Observed: a NUL fails the whole response (net::ERR_INVALID_HTTP_RESPONSE).
            check_response_lines("Chromium", lines, "net::ERR_INVALID_HTTP_RESPONSE")?;
            return self.request(url, lines, ctx).map(|_| ());
        }
        let top = script_frame(&CHROMIUM, url, ctx)?;
        let session = self.script_document(url, top.as_ref())?;
        for assignment in cookie_assignments(lines)? {
            self.evaluate_in(&session, &assignment)?;
        }
        // The setter does not wait for the store (observed once: the next navigation went
        // without the cookie); the getter's round trip on the same pipe comes after the sets.
        self.evaluate_in(&session, "document.cookie")?;
        Ok(())
    }

    fn cookie_header(&mut self, url: &str, ctx: &Context, now: UnixTime) -> Result<Option<Vec<u8>>, TargetError> {
        self.clock.at(now)?;
        if ctx.api == Api::Http {
            return self.request(url, &[], ctx);
        }
        let top = script_frame(&CHROMIUM, url, ctx)?;
        let session = self.script_document(url, top.as_ref())?;
        match self.evaluate_in(&session, "document.cookie")? {
            Value::String(s) if s.is_empty() => Ok(None),
            Value::String(s) => Ok(Some(s.into_bytes())),
            other => Err(TargetError::failed(format!("document.cookie returned {other}"))),
        }
    }

    fn dump(&mut self, now: UnixTime) -> Result<Option<Vec<StoredCookie>>, TargetError> {
        self.clock.at(now)?;
        self.stored(now).map(Some)
    }
}

impl ChromiumTarget {
    /// The browser's cookie store as the DevTools protocol lists it (`Storage.getCookies`: every
    /// cookie of the default browser context, partitioned ones with their partition key).
    /// Expired cookies are left out: Chromium removes one when it next looks at it, so the list
    /// may still hold it.
    fn stored(&mut self, now: UnixTime) -> Result<Vec<StoredCookie>, TargetError> {
        let answer = self.cdp.call(None, "Storage.getCookies", json!({})).map_err(TargetError::failed)?;
        let cookies = answer["cookies"].as_array().ok_or_else(|| TargetError::failed(format!("Storage.getCookies answered {answer}")))?;
        let all = cookies.iter().map(stored_cookie).collect::<Result<Vec<_>, _>>()?;
        Ok(all.into_iter().filter(|c| c.expires.is_none_or(|e| e > now)).collect())
    }
}

/// One cookie of `Storage.getCookies`. The protocol's `domain` has a leading dot for a domain
/// cookie and none for a host-only one; `expires` is -1 for a session cookie; a cookie without
/// a SameSite attribute has no `sameSite`; `partitionKey` is `{topLevelSite, ...}` (or, in
/// older versions, the site as a string).
fn stored_cookie(c: &Value) -> Result<StoredCookie, TargetError> {
    let text = |k: &str| c[k].as_str().ok_or_else(|| TargetError::failed(format!("Storage.getCookies: a cookie without `{k}`: {c}")));
    let flag = |k: &str| c[k].as_bool().unwrap_or(false);
    let domain = text("domain")?;
    let session = flag("session");
    let partition_key = match &c["partitionKey"] {
        Value::Object(k) => k.get("topLevelSite").and_then(Value::as_str).map(str::to_owned),
        Value::String(s) => Some(s.clone()),
        _ => None,
    };
    Ok(StoredCookie {
        name: text("name")?.as_bytes().to_vec(),
        value: text("value")?.as_bytes().to_vec(),
        domain: domain.trim_start_matches('.').to_ascii_lowercase(),
        path: text("path")?.as_bytes().to_vec(),
        host_only: !domain.starts_with('.'),
        secure: flag("secure"),
        http_only: flag("httpOnly"),
        same_site: match c["sameSite"].as_str() {
            Some("Strict") => SameSiteName::Strict,
            Some("Lax") => SameSiteName::Lax,
            Some("None") => SameSiteName::None,
            _ => SameSiteName::Default,
        },
        persistent: !session,
        // Whole seconds, as the store keeps them (the protocol answers a float).
        expires: (!session).then(|| c["expires"].as_f64().map(|e| e.floor() as i64)).flatten(),
        partition_key,
    })
}

/// `Network.setCookieControls`: third-party cookies blocked or allowed, nothing else changed.
fn cookie_controls(block: bool) -> Value {
    json!({ "enableThirdPartyCookieRestriction": block, "disableThirdPartyCookieMetadata": false, "disableThirdPartyCookieHeuristics": false })
}

/// A DevTools protocol connection: calls by id (with an optional session), events queued
/// until someone waits for them.
struct Cdp {
    rpc: WsRpc,
}

impl Cdp {
    fn connect(url: &str) -> Result<Cdp, String> {
        Ok(Cdp { rpc: WsRpc::connect(url)? })
    }

    fn call(&mut self, session: Option<&str>, method: &str, params: Value) -> Result<Value, String> {
        let mut msg = json!({ "method": method, "params": params });
        if let Some(s) = session {
            msg["sessionId"] = Value::String(s.to_owned());
        }
        let v = self.rpc.request(msg, STEP_TIMEOUT).map_err(|e| format!("{method}: {e}"))?;
        if let Some(err) = v.get("error") {
            return Err(format!("{method}: {err}"));
        }
        Ok(v.get("result").cloned().unwrap_or(Value::Null))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devtools_cookies_map_to_stored_cookies() {
        let domain = json!({"name": "a", "value": "b", "domain": ".Example.com", "path": "/", "expires": 1767225600.5,
            "session": false, "secure": true, "httpOnly": true, "sameSite": "Lax"});
        let c = stored_cookie(&domain).unwrap();
        assert_eq!((c.domain.as_str(), c.host_only, c.persistent, c.expires), ("example.com", false, true, Some(1_767_225_600)));
        assert_eq!((c.secure, c.http_only, c.same_site, c.partition_key), (true, true, SameSiteName::Lax, None));
        let host = json!({"name": "", "value": "v", "domain": "a.example", "path": "/p", "expires": -1, "session": true,
            "partitionKey": {"topLevelSite": "https://top.example", "hasCrossSiteAncestor": true}});
        let c = stored_cookie(&host).unwrap();
        assert_eq!((c.host_only, c.persistent, c.expires, c.same_site), (true, false, None, SameSiteName::Default));
        assert_eq!(c.partition_key.as_deref(), Some("https://top.example"));
        assert!(stored_cookie(&json!({"value": "v"})).is_err());
    }

    #[test]
    fn urls_with_other_ports_or_schemes_are_skipped() {
        assert!(check_url("https://a.example/x").is_ok());
        assert!(check_url("http://a.example:80/").is_ok());
        assert!(matches!(check_url("http://a.example:8888/"), Err(TargetError::Unsupported(_))));
        assert!(matches!(check_url("wss://a.example/"), Err(TargetError::Unsupported(_))));
    }

    #[test]
    fn opaque_sites_are_cross_site_frames_on_ports_80_and_443() {
        let ctx = Context {
            site_for_cookies: reference_jar::SiteForCookies::Opaque,
            top_level: Some("https://top-a.example/".to_owned()),
            ..Context::default()
        };
        let Ok(Route::FromFrame { top, frame }) = route(&CHROMIUM, "https://widget.example/api", &ctx) else { panic!() };
        assert_eq!((top.as_str(), frame.as_str()), ("https://top-a.example/", "https://widget.example/__cookie_conformance/frame"));
        assert!(matches!(route(&CHROMIUM, "https://widget.example:8443/", &ctx), Err(TargetError::Unsupported(_))));
        let mut script = ctx.clone();
        script.api = Api::NonHttp;
        assert_eq!(script_frame(&CHROMIUM, "https://widget.example/", &script).unwrap().map(|u| u.to_string()).as_deref(), Some("https://top-a.example/"));
        assert_eq!(cookie_controls(true)["enableThirdPartyCookieRestriction"], true);
        assert_eq!(cookie_controls(false)["enableThirdPartyCookieRestriction"], false);
    }

    #[test]
    fn flags_map_every_host_to_loopback() {
        let a = chromium_args(std::path::Path::new("/tmp/p"));
        assert!(a.iter().any(|x| x == "--host-resolver-rules=MAP * 127.0.0.1"));
        assert!(a.iter().any(|x| x == "--user-data-dir=/tmp/p"));
    }
}
