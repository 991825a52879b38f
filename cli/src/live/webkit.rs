//! WebKitGTK as a [`Target`]: Debian's MiniBrowser (the WebKitGTK test browser) driven by
//! `WebKitWebDriver` over classic WebDriver, loading the case's URLs from a [`LoopbackServer`]
//! that answers with the case's `Set-Cookie` lines and records the `Cookie` header it receives.
//!
//! - MiniBrowser has no headless mode: without a `DISPLAY` the target starts Xvfb on a free
//!   display number.
//! - The loopback server is MiniBrowser's proxy (`--proxy=http://127.0.0.1:PORT`; WebDriver's
//!   `proxy` capability reaches only http URLs), so every host, IP address and port reaches it;
//!   `acceptInsecureCerts` takes its self-signed certificate.
//! - The cookie policy is a MiniBrowser argument, fixed per session: `third_party: allow` runs
//!   `--cookies-policy=always`; `block` runs `no-third-party` with Intelligent Tracking
//!   Prevention (`--enable-itp`), the third-party blocking Safari ships.
//! - Every case gets a new session: a new MiniBrowser with an empty cookie jar and new web
//!   processes. Deleting cookies over WebDriver is not enough (measured: after "Delete All
//!   Cookies" on every host, `document.cookie` in the next case still returned a deleted
//!   cookie the Cookie header no longer carried). Two drivers take turns, so that the next
//!   case's session starts while this one runs.
//! - No storage dump: WebDriver lists only the cookies the current document would see. No CHIPS:
//!   WebKitGTK ignores `Partitioned` (the cookie is stored unpartitioned).
//! - Requests are routed as for the other browsers ([`super::browser::route`]): address-bar
//!   navigations, link clicks, form POSTs and `<img>` from a page on the client's site, `<img>`
//!   and `document.cookie` in cross-site frames, `document.cookie` in the page.
//! - A virtual clock through libfaketime when it is installed ([`super::faketime::ClockFile`]):
//!   MiniBrowser is started by a wrapper script that preloads it; the offset file is rewritten
//!   when a case starts and when it advances, and WebKit reads it at every clock read.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use reference_jar::{Api, Context, ThirdPartyPolicy, UnixTime};
use serde_json::{json, Value};

use super::browser::{check_response_lines, cookie_assignments, frame_page, route, script_frame, without_fragment, Browser, How, Route, FRAME_PATH, PAGE_PATH};
use super::faketime::BrowserClock;
use super::server::LoopbackServer;
use super::TempDir;
use cookie_conformance::case::ThirdParty;
use cookie_conformance::target::{Capabilities, Setup, StoredCookie, Target, TargetError};

/// How long Xvfb, the driver and a new session may take to start.
const START_TIMEOUT: Duration = Duration::from_secs(30);
/// How long one navigation (or WebDriver call) may take.
const STEP_TIMEOUT: Duration = Duration::from_secs(15);
/// Debian's MiniBrowser (package libwebkit2gtk-4.1-0).
const MINIBROWSER: &str = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";

/// Why the WebKit target could not start.
#[derive(Debug, thiserror::Error)]
pub enum WebkitError {
    /// A program did not run.
    #[error("cannot run `{0}` (is WebKitGTK's driver installed? apt-get install -y webkit2gtk-driver xvfb): {1}")]
    NotFound(String, std::io::Error),
    /// MiniBrowser is not where Debian puts it.
    #[error("no MiniBrowser at {0} (apt-get install -y webkit2gtk-driver, or set MINIBROWSER)")]
    NoMiniBrowser(String),
    /// Xvfb, the driver or the first session did not start.
    #[error("webkit did not start: {0}")]
    Start(String),
    /// The loopback server could not start.
    #[error(transparent)]
    Server(#[from] super::server::ServerError),
    /// The working directory (wrapper script, clock file) could not be made.
    #[error("creating webkit's working directory: {0}")]
    Dir(std::io::Error),
}

/// MiniBrowser under WebKitWebDriver (`--target webkit`).
pub struct WebkitTarget {
    version: String,
    server: LoopbackServer,
    /// The current case's session.
    session: Option<Session>,
    /// The next case's session, starting on the other driver.
    spare: Option<JoinHandle<Result<Session, String>>>,
    /// What a new session needs.
    plan: SessionPlan,
    /// The current browsing context is a frame (switch back before navigating).
    in_frame: bool,
    clock: BrowserClock,
    _xvfb: Option<Xvfb>,
    // Removed last (field order).
    _dir: TempDir,
}

impl std::fmt::Debug for WebkitTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebkitTarget").field("version", &self.version).field("server", &self.server).finish()
    }
}

/// An Xvfb server, stopped on drop.
struct Xvfb {
    child: Child,
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        // SIGTERM: Xvfb then removes its lock file and socket (SIGKILL leaves them, and the
        // display number taken).
        crate::targets::http::process::terminate(&mut self.child, Duration::from_secs(2));
    }
}

/// Starts Xvfb on the first free display number from 90; the display (`:N`).
fn start_xvfb() -> Result<(Xvfb, String), WebkitError> {
    for n in 90..190 {
        if Path::new(&format!("/tmp/.X{n}-lock")).exists() || Path::new(&format!("/tmp/.X11-unix/X{n}")).exists() {
            continue;
        }
        let mut child = Command::new("Xvfb")
            .args([format!(":{n}").as_str(), "-screen", "0", "1280x1024x24", "-nolisten", "tcp"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| WebkitError::NotFound("Xvfb".to_owned(), e))?;
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if Path::new(&format!("/tmp/.X11-unix/X{n}")).exists() {
                return Ok((Xvfb { child }, format!(":{n}")));
            }
            if let Ok(Some(_)) = child.try_wait() {
                break; // Another server took the number meanwhile: try the next.
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = child.kill();
        let _ = child.wait();
    }
    Err(WebkitError::Start("no Xvfb display could be started on :90 to :189".to_owned()))
}

/// A WebKitWebDriver process and its HTTP endpoint.
struct WebDriver {
    child: Child,
    base: String,
    http: reqwest::blocking::Client,
}

impl Drop for WebDriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl WebDriver {
    fn start(display: &str) -> Result<WebDriver, WebkitError> {
        let binary = std::env::var("WEBKIT_WEBDRIVER").unwrap_or_else(|_| "WebKitWebDriver".to_owned());
        let port = TcpListener::bind(("127.0.0.1", 0)).and_then(|l| l.local_addr()).map_err(|e| WebkitError::Start(format!("finding a free port: {e}")))?.port();
        let child = Command::new(&binary)
            .arg(format!("--port={port}"))
            .env("DISPLAY", display)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| WebkitError::NotFound(binary.clone(), e))?;
        let http = crate::targets::http::client_builder()
            .no_proxy()
            .timeout(START_TIMEOUT)
            .build()
            .map_err(|e| WebkitError::Start(format!("building the HTTP client: {e}")))?;
        let driver = WebDriver { child, base: format!("http://127.0.0.1:{port}"), http };
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if driver.http.get(format!("{}/status", driver.base)).send().is_ok() {
                return Ok(driver);
            }
            if Instant::now() > deadline {
                return Err(WebkitError::Start(format!("{binary} did not answer on port {port}")));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Calls the endpoint; its `value`, or the error WebDriver answered.
    fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Result<Value, String> {
        let mut req = self.http.request(method.clone(), format!("{}{path}", self.base)).timeout(STEP_TIMEOUT);
        if let Some(b) = body {
            req = req.header(reqwest::header::CONTENT_TYPE, "application/json").body(b.to_string());
        }
        let resp = req.send().map_err(|e| format!("{method} {path}: {e}"))?;
        let status = resp.status();
        let body = resp.bytes().map_err(|e| format!("{method} {path}: {status}: {e}"))?;
        let v: Value = serde_json::from_slice(&body).map_err(|e| format!("{method} {path}: {status}, not JSON: {e}"))?;
        let value = v.get("value").cloned().unwrap_or(Value::Null);
        if !status.is_success() {
            return Err(format!(
                "{method} {path}: {}: {}",
                value["error"].as_str().unwrap_or(status.as_str()),
                value["message"].as_str().unwrap_or_default()
            ));
        }
        Ok(value)
    }
}

/// What starting a session takes: the display for new drivers, the browser program WebDriver
/// starts (MiniBrowser, or the wrapper preloading libfaketime) and the proxy's port.
#[derive(Clone)]
struct SessionPlan {
    display: String,
    browser: PathBuf,
    proxy_port: u16,
}

/// A WebDriver session: a MiniBrowser started with `policy`, on its driver.
struct Session {
    driver: WebDriver,
    id: String,
    policy: ThirdPartyPolicy,
    /// The capabilities the session answered with.
    capabilities: Value,
}

impl Session {
    /// Starts a session with `policy` on `driver` (a new driver when `None`).
    fn open(driver: Option<WebDriver>, plan: &SessionPlan, policy: ThirdPartyPolicy) -> Result<Session, String> {
        let driver = match driver {
            Some(d) => d,
            None => WebDriver::start(&plan.display).map_err(|e| e.to_string())?,
        };
        let caps = json!({ "capabilities": { "alwaysMatch": {
            "acceptInsecureCerts": true,
            "webkitgtk:browserOptions": { "binary": plan.browser, "args": browser_args(plan.proxy_port, policy) },
        } } });
        let v = driver.call(reqwest::Method::POST, "/session", Some(caps)).map_err(|e| format!("starting MiniBrowser: {e}"))?;
        let id = v["sessionId"].as_str().ok_or_else(|| format!("new session: no sessionId in {v}"))?.to_owned();
        Ok(Session { driver, id, policy, capabilities: v["capabilities"].clone() })
    }

    /// Ends the session (the driver stops its MiniBrowser); the driver, for the next one.
    fn close(self) -> WebDriver {
        let _ = self.driver.call(reqwest::Method::DELETE, &format!("/session/{}", self.id), None);
        self.driver
    }
}

/// MiniBrowser's arguments for a session with `policy`, through the proxy at `proxy_port`.
fn browser_args(proxy_port: u16, policy: ThirdPartyPolicy) -> Vec<String> {
    let mut args = vec!["--automation".to_owned(), format!("--proxy=http://127.0.0.1:{proxy_port}")];
    match policy {
        ThirdPartyPolicy::Allow => args.push("--cookies-policy=always".to_owned()),
        // Safari's default: third-party cookies blocked, with ITP (which also keeps a tracker's
        // first-party cookies out of third-party requests; `no-third-party` alone sends them).
        ThirdPartyPolicy::Block => args.extend(["--cookies-policy=no-third-party".to_owned(), "--enable-itp".to_owned()]),
        ThirdPartyPolicy::Partition => {}
    }
    args
}

/// The wrapper that starts MiniBrowser on the clock file's time.
fn wrapper_script(minibrowser: &str, env: &[(&'static str, std::ffi::OsString)]) -> String {
    let quote = |s: &str| format!("'{}'", s.replace('\'', "'\\''"));
    let exports: Vec<String> = env.iter().map(|(k, v)| format!("export {k}={}", quote(&v.to_string_lossy()))).collect();
    format!("#!/bin/sh\n{}\nexec {} \"$@\"\n", exports.join("\n"), quote(minibrowser))
}

impl WebkitTarget {
    /// Starts Xvfb (without a `DISPLAY`), the loopback server, WebKitWebDriver and a first
    /// session (third parties allowed).
    pub fn new() -> Result<WebkitTarget, WebkitError> {
        let minibrowser = std::env::var("MINIBROWSER").unwrap_or_else(|_| MINIBROWSER.to_owned());
        if !Path::new(&minibrowser).is_file() {
            return Err(WebkitError::NoMiniBrowser(minibrowser));
        }
        let dir = TempDir::new("webkit").map_err(WebkitError::Dir)?;
        let clock = BrowserClock::find(&dir.path).map_err(WebkitError::Dir)?;
        // WebDriver starts the browser with its own environment: a wrapper sets the clock's.
        let browser = if clock.is_virtual() {
            let wrapper = dir.path.join("minibrowser");
            std::fs::write(&wrapper, wrapper_script(&minibrowser, &clock.env())).map_err(WebkitError::Dir)?;
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).map_err(WebkitError::Dir)?;
            }
            wrapper
        } else {
            PathBuf::from(&minibrowser)
        };
        let (xvfb, display) = match std::env::var("DISPLAY") {
            Ok(d) if !d.is_empty() => (None, d),
            _ => {
                let (x, d) = start_xvfb()?;
                (Some(x), d)
            }
        };
        let server = LoopbackServer::start()?;
        let plan = SessionPlan { display, browser, proxy_port: server.http_port() };
        let driver = WebDriver::start(&plan.display)?;
        let first = Session::open(Some(driver), &plan, ThirdPartyPolicy::Allow).map_err(WebkitError::Start)?;
        // The session's `browserVersion` is WebKitGTK's.
        let version = format!("WebKitGTK {}", first.capabilities["browserVersion"].as_str().unwrap_or("?"));
        Ok(WebkitTarget { version, server, session: Some(first), spare: None, plan, in_frame: false, clock, _xvfb: xvfb, _dir: dir })
    }

    /// Ends the current session and makes the one of `policy` current: the spare started for
    /// this case when it has that policy, else a new one; then starts the next case's spare
    /// (same policy) on the driver just freed.
    fn fresh_session(&mut self, policy: ThirdPartyPolicy) -> Result<(), TargetError> {
        let freed = self.session.take().map(Session::close);
        let spare = self.spare.take().map(|h| h.join().unwrap_or_else(|_| Err("the thread starting a session panicked".to_owned())));
        let (next, other) = match spare {
            Some(Ok(s)) if s.policy == policy => (Ok(s), freed),
            Some(Ok(s)) => (Session::open(Some(s.close()), &self.plan, policy), freed),
            Some(Err(_)) | None => (Session::open(freed, &self.plan, policy), None),
        };
        let next = next.map_err(TargetError::failed)?;
        self.session = Some(next);
        self.in_frame = false;
        let plan = self.plan.clone();
        self.spare = Some(std::thread::spawn(move || Session::open(other, &plan, policy)));
        Ok(())
    }

    /// A call within the session.
    fn call(&mut self, method: reqwest::Method, path: &str, body: Option<Value>) -> Result<Value, TargetError> {
        let s = self.session.as_ref().ok_or_else(|| TargetError::failed("no WebDriver session"))?;
        s.driver.call(method, &format!("/session/{}{path}", s.id), body).map_err(TargetError::failed)
    }

    /// Runs `script` (a function body) in the current browsing context; its value.
    fn execute(&mut self, script: &str) -> Result<Value, TargetError> {
        self.call(reqwest::Method::POST, "/execute/sync", Some(json!({ "script": script, "args": [] })))
    }

    /// Loads `url` in the top-level browsing context; WebDriver answers after its load event
    /// (images and frames included).
    fn load(&mut self, url: &str) -> Result<(), TargetError> {
        if self.in_frame {
            self.call(reqwest::Method::POST, "/frame", Some(json!({ "id": null })))?;
            self.in_frame = false;
        }
        self.call(reqwest::Method::POST, "/url", Some(json!({ "url": url })))
            .map_err(|e| TargetError::failed(format!("navigating to {url}: {e}")))?;
        Ok(())
    }

    /// Makes the request to `url` that `ctx` describes, answered with `lines`; the `Cookie`
    /// header the server received with it.
    fn request(&mut self, url: &str, lines: &[Vec<u8>], ctx: &Context) -> Result<Option<Vec<u8>>, TargetError> {
        let (site, how) = match route(&WEBKIT, url, ctx)? {
            Route::Address => return self.navigate(url, lines),
            Route::FromPage(site, how) => (site, how),
            Route::FromFrame { top, frame } => return self.request_from_frame(url, lines, &top, &frame),
        };
        let page_url = format!("{}{PAGE_PATH}", site.origin().ascii_serialization());
        self.server.set_pages(vec![(PAGE_PATH.as_bytes().to_vec(), how.page(&without_fragment(url)).into_bytes())]);
        self.server.only_hosts(vec![host_of(url)?, site.host_str().unwrap_or_default().as_bytes().to_vec()]);
        self.server.plan(vec![Vec::new(), lines.to_vec()]);
        // An image loads with the page: the load covers both requests.
        self.load(&page_url)?;
        if let Some(script) = how.script() {
            self.execute(script)?;
            self.wait_navigation(url, &page_url)?;
        }
        let mut received = self.server.take().into_iter();
        let _page = received.next();
        let Some(r) = received.next() else {
            return Err(TargetError::failed(format!("{how:?} to {url} from {page_url}: the server received no request")));
        };
        if r.tls != url.to_ascii_lowercase().starts_with("https:") {
            return Err(TargetError::Unsupported(format!("WebKit changed the scheme of {url} (mixed content from {page_url})")));
        }
        Ok(r.cookie)
    }

    /// Waits until a navigation started by script from `page_url` has reached the server and
    /// its document has loaded (a click returns before the navigation starts).
    fn wait_navigation(&mut self, url: &str, page_url: &str) -> Result<(), TargetError> {
        let deadline = Instant::now() + STEP_TIMEOUT;
        while self.server.received_count() < 2 {
            if Instant::now() > deadline {
                return Err(TargetError::failed(format!("navigating to {url} from {page_url}: the server received no request in {STEP_TIMEOUT:?}")));
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        // Script waits while a navigation is under way: the new document, once complete, has
        // processed the response's cookies.
        loop {
            let state = self.execute("return [location.href, document.readyState]");
            if let Ok(Value::Array(v)) = &state {
                if v.first().and_then(Value::as_str) != Some(page_url) && v.get(1).and_then(Value::as_str) == Some("complete") {
                    return Ok(());
                }
            }
            if Instant::now() > deadline {
                return Err(TargetError::failed(format!("navigating to {url} from {page_url}: the document did not load ({state:?})")));
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// The `<img>` request to `url` from the document `frame` nested in a page on `top`'s
    /// origin, answered with `lines`; the `Cookie` header the server received with it.
    fn request_from_frame(&mut self, url: &str, lines: &[Vec<u8>], top: &url::Url, frame: &url::Url) -> Result<Option<Vec<u8>>, TargetError> {
        let page_url = format!("{}{PAGE_PATH}", top.origin().ascii_serialization());
        self.server.set_pages(vec![
            (PAGE_PATH.as_bytes().to_vec(), frame_page(frame.as_str()).into_bytes()),
            (FRAME_PATH.as_bytes().to_vec(), How::Image.page(&without_fragment(url)).into_bytes()),
        ]);
        let host = |u: &url::Url| u.host_str().unwrap_or_default().as_bytes().to_vec();
        self.server.only_hosts(vec![host_of(url)?, host(top), host(frame)]);
        self.server.plan(vec![Vec::new(), Vec::new(), lines.to_vec()]);
        self.load(&page_url)?;
        let received = self.server.take();
        let Some(r) = received.get(2) else {
            return Err(TargetError::failed(format!("<img> to {url} from the frame {frame} in {page_url}: the server received {} of the 3 requests", received.len())));
        };
        if r.tls != url.to_ascii_lowercase().starts_with("https:") {
            return Err(TargetError::Unsupported(format!("WebKit changed the scheme of {url} (mixed content from {frame})")));
        }
        Ok(r.cookie.clone())
    }

    /// Navigates to `url` with the response carrying `lines`; the `Cookie` header of the
    /// request the server received.
    fn navigate(&mut self, url: &str, lines: &[Vec<u8>]) -> Result<Option<Vec<u8>>, TargetError> {
        check_url(url)?;
        self.server.only_hosts(vec![host_of(url)?]);
        self.server.plan(vec![lines.to_vec()]);
        // A fragment would make a navigation within the current document (no request).
        self.load(&without_fragment(url))?;
        match self.server.take().into_iter().next() {
            Some(r) => Ok(r.cookie),
            None => Err(TargetError::failed(format!("navigating to {url}: the server received no request"))),
        }
    }

    /// Loads the document where a script step at `url` runs and makes it the current browsing
    /// context (the top-level document, or the frame of a page on `top`'s origin).
    fn script_document(&mut self, url: &str, top: Option<&url::Url>) -> Result<(), TargetError> {
        let Some(top) = top else {
            self.navigate(url, &[])?;
            return Ok(());
        };
        let page_url = format!("{}{PAGE_PATH}", top.origin().ascii_serialization());
        self.server.set_pages(vec![(PAGE_PATH.as_bytes().to_vec(), frame_page(&without_fragment(url)).into_bytes())]);
        self.server.only_hosts(vec![host_of(url)?, top.host_str().unwrap_or_default().as_bytes().to_vec()]);
        self.server.plan(vec![Vec::new(), Vec::new()]);
        self.load(&page_url)?;
        if self.server.take().len() < 2 {
            return Err(TargetError::failed(format!("the frame {url} in {page_url}: the server received no request for it")));
        }
        self.call(reqwest::Method::POST, "/frame", Some(json!({ "id": 0 })))?;
        self.in_frame = true;
        Ok(())
    }
}

impl Drop for WebkitTarget {
    fn drop(&mut self) {
        // Ending the session makes the driver stop MiniBrowser (killing the driver would leave
        // the browser and its web processes running).
        if let Some(s) = self.session.take() {
            s.close();
        }
        if let Some(Ok(Ok(s))) = self.spare.take().map(JoinHandle::join) {
            s.close();
        }
    }
}

/// What the shared request routing may ask of WebKit.
const WEBKIT: Browser = Browser { name: "WebKit", check_url };

/// Through the proxy every host and port reaches the server; other schemes do not.
fn check_url(url: &str) -> Result<(), TargetError> {
    super::browser::check_proxied_url("WebKit", url)
}

fn host_of(url: &str) -> Result<Vec<u8>, TargetError> {
    super::browser::host_of("WebKit", url)
}

impl Target for WebkitTarget {
    fn name(&self) -> String {
        self.version.clone()
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            virtual_clock: self.clock.is_virtual(),
            script_api: true,
            same_site_contexts: true,
            third_party_policies: vec![ThirdParty::Allow, ThirdParty::Block],
            sleeps_through_advance: self.clock.sleeps_through_advance(),
            profiles: super::browser::PROFILES.to_vec(),
            ..Capabilities::default()
        }
    }

    fn reset(&mut self, setup: &Setup) -> Result<(), TargetError> {
        self.clock.reset(setup.start)?;
        let policy = setup.config.third_party;
        if policy == ThirdPartyPolicy::Partition {
            return Err(TargetError::Unsupported("WebKit has no policy that partitions every third-party cookie".to_owned()));
        }
        self.fresh_session(policy)
    }

    fn set_cookies(&mut self, url: &str, lines: &[Vec<u8>], ctx: &Context, now: UnixTime) -> Result<(), TargetError> {
        self.clock.at(now)?;
        if ctx.api == Api::Http {
            // Observed: a NUL fails the whole response ("Could not parse HTTP response").
            check_response_lines("WebKit", lines, "Could not parse HTTP response")?;
            return self.request(url, lines, ctx).map(|_| ());
        }
        let top = script_frame(&WEBKIT, url, ctx)?;
        self.script_document(url, top.as_ref())?;
        for assignment in cookie_assignments(lines)? {
            self.execute(&assignment)?;
        }
        Ok(())
    }

    fn cookie_header(&mut self, url: &str, ctx: &Context, now: UnixTime) -> Result<Option<Vec<u8>>, TargetError> {
        self.clock.at(now)?;
        if ctx.api == Api::Http {
            return self.request(url, &[], ctx);
        }
        let top = script_frame(&WEBKIT, url, ctx)?;
        self.script_document(url, top.as_ref())?;
        match self.execute("return document.cookie")? {
            Value::String(s) if s.is_empty() => Ok(None),
            Value::String(s) => Ok(Some(s.into_bytes())),
            other => Err(TargetError::failed(format!("document.cookie returned {other}"))),
        }
    }

    fn dump(&mut self, now: UnixTime) -> Result<Option<Vec<StoredCookie>>, TargetError> {
        self.clock.at(now)?;
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policies_map_to_minibrowser_arguments() {
        let allow = browser_args(4321, ThirdPartyPolicy::Allow);
        assert_eq!(allow, ["--automation", "--proxy=http://127.0.0.1:4321", "--cookies-policy=always"]);
        let block = browser_args(4321, ThirdPartyPolicy::Block);
        assert!(block.iter().any(|a| a == "--cookies-policy=no-third-party") && block.iter().any(|a| a == "--enable-itp"), "{block:?}");
    }

    #[test]
    fn the_wrapper_exports_the_clock_and_quotes_paths() {
        let script = wrapper_script("/opt/Mini Browser", &[("LD_PRELOAD", "/lib/it's.so".into()), ("FAKETIME_NO_CACHE", "1".into())]);
        assert!(script.starts_with("#!/bin/sh\n"), "{script}");
        assert!(script.contains("export LD_PRELOAD='/lib/it'\\''s.so'\n"), "{script}");
        assert!(script.ends_with("exec '/opt/Mini Browser' \"$@\"\n"), "{script}");
    }

    #[test]
    fn urls_of_any_port_and_host_shape_are_served_other_schemes_skipped() {
        for url in ["http://a.example:8080/", "https://[::1]:3000/", "http://127.0.0.1/"] {
            assert!(check_url(url).is_ok(), "{url}");
        }
        assert!(matches!(check_url("wss://a.example/"), Err(TargetError::Unsupported(_))));
    }
}
