//! Headless Firefox as a [`Target`], driven over its built-in WebDriver BiDi endpoint (no
//! geckodriver): the browser loads the case's URLs from a [`LoopbackServer`] that answers with
//! the case's `Set-Cookie` lines and records the `Cookie` header the browser sends.
//!
//! - The loopback server is Firefox's HTTP and HTTPS proxy (`network.proxy.*` in the profile's
//!   `user.js`, `allow_hijacking_localhost` so that localhost and 127.0.0.1 go through it too):
//!   every host name, IP address and port of a case reaches it (absolute-form requests, CONNECT
//!   tunnels to TLS), any free port works and no root is needed. The session's
//!   `acceptInsecureCerts` accepts its self-signed certificate.
//! - A fresh profile per browser whose prefs silence background traffic and keep `http` URLs
//!   on http (HTTPS-First off). Firefox is started with `--remote-allow-system-access`, so that
//!   the harness can run script in the browser's chrome window: it sets
//!   `network.cookie.cookieBehavior` per case (`third_party: allow|block|partition` → 0, 1, 5)
//!   and lists the cookie store with each cookie's partition key (`Services.cookies`), which
//!   BiDi's `storage.getCookies` does not report.
//! - Requests are routed as for Chromium ([`super::browser::route`]): `set`/`expect` steps
//!   without a client are address-bar navigations (`browsingContext.navigate`); with a client's
//!   site, a link click, a form POST or an `<img>` from a page on that site; `api: script` steps
//!   run `document.cookie` in the page (`script.evaluate`).
//! - Real clock only (the runner sleeps through short `advance` steps). libfaketime was
//!   measured and left out: Firefox 153 starts under it only with libstdc++ preloaded first and
//!   a shim for four symbols glibc 2.36 lacks, then (a) it gives every new cookie a creation time
//!   after all earlier ones of the process and counts Max-Age from it, so a case run after one
//!   that set cookies at a later virtual time gets wrong expiries (a restart per such case
//!   avoids it); (b) on a frozen clock a `Max-Age=0` cookie is still sent, and (c) in runs of
//!   the `expiry` and `dates` cases, navigations failed intermittently ("Address rejected") and
//!   the browser's connection closed mid-run. A clock that yields such errors would make
//!   verdicts about the harness, not the browser.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use reference_jar::{Api, Context, ThirdPartyPolicy, UnixTime};
use serde_json::{json, Value};

use super::browser::{check_response_lines, cookie_assignments, frame_page, route, script_frame, without_fragment, Browser, How, Route, WsRpc, FRAME_PATH, PAGE_PATH};
use super::server::LoopbackServer;
use super::TempDir;
use cookie_conformance::case::{SameSiteName, ThirdParty};
use cookie_conformance::target::{Capabilities, Setup, StoredCookie, Target, TargetError};

/// How long the browser may take to start and print its BiDi address.
const START_TIMEOUT: Duration = Duration::from_secs(30);
/// How long one navigation (or BiDi call) may take.
const STEP_TIMEOUT: Duration = Duration::from_secs(15);

/// Why the Firefox target could not start.
#[derive(Debug, thiserror::Error)]
pub enum FirefoxError {
    /// The browser binary did not run.
    #[error("cannot run `{0}` (is Firefox installed? apt-get install -y firefox-esr, or set FIREFOX): {1}")]
    NotFound(String, std::io::Error),
    /// The browser did not print its BiDi address in time.
    #[error("firefox did not start: {0}")]
    Start(String),
    /// The loopback server could not start.
    #[error(transparent)]
    Server(#[from] super::server::ServerError),
    /// The profile directory could not be made.
    #[error("creating firefox's profile directory: {0}")]
    Profile(std::io::Error),
    /// The WebDriver BiDi protocol failed.
    #[error("WebDriver BiDi: {0}")]
    Bidi(String),
}

/// Headless Firefox (`--target firefox`).
pub struct FirefoxTarget {
    version: String,
    server: LoopbackServer,
    child: Child,
    bidi: Bidi,
    /// The tab's browsing context.
    tab: String,
    /// The browser window's chrome context (privileged script: prefs, the cookie service).
    chrome: String,
    /// `network.cookie.CHIPS.enabled` as the browser reported it at start (then it is set per
    /// case: on for `chips: true`, off otherwise).
    chips: bool,
    clock: super::RealClock,
    // Removed after the browser (field order: dropped last).
    _profile: TempDir,
}

impl std::fmt::Debug for FirefoxTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FirefoxTarget").field("version", &self.version).field("server", &self.server).finish()
    }
}

/// The browser binary: `$FIREFOX`, else `firefox-esr` or `firefox` on PATH.
fn firefox_binary() -> String {
    if let Ok(b) = std::env::var("FIREFOX") {
        return b;
    }
    let on_path = |name: &str| std::env::var_os("PATH").is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(name).is_file()));
    if !on_path("firefox-esr") && on_path("firefox") {
        return "firefox".to_owned();
    }
    "firefox-esr".to_owned()
}

impl FirefoxTarget {
    /// Starts the loopback server on free ports and a headless Firefox (`$FIREFOX`,
    /// `firefox-esr` or `firefox`) with a fresh profile that uses it as its proxy, and opens a
    /// WebDriver BiDi session.
    pub fn new() -> Result<FirefoxTarget, FirefoxError> {
        let binary = firefox_binary();
        let version = firefox_version(&binary)?;
        let server = LoopbackServer::start()?;
        let profile = TempDir::new("firefox").map_err(FirefoxError::Profile)?;
        std::fs::write(profile.path.join("user.js"), user_js(server.http_port())).map_err(FirefoxError::Profile)?;
        let mut child = Command::new(&binary)
            .args(firefox_args(&profile.path))
            // Remote settings stay local (no background fetches at start).
            .env("MOZ_REMOTE_SETTINGS_DEVTOOLS", "1")
            .env("MOZ_CRASHREPORTER_DISABLE", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| FirefoxError::NotFound(binary.clone(), e))?;
        let kill = |child: &mut Child| {
            let _ = child.kill();
            let _ = child.wait();
        };
        let address = match super::browser::ws_address_from_stderr(&mut child, "WebDriver BiDi listening on", START_TIMEOUT) {
            Ok(a) => a,
            Err(e) => {
                kill(&mut child);
                return Err(FirefoxError::Start(e));
            }
        };
        let started = (|| {
            let mut bidi = Bidi { rpc: WsRpc::connect(&format!("{}/session", address.trim_end_matches('/')))? };
            bidi.call("session.new", json!({ "capabilities": { "alwaysMatch": { "acceptInsecureCerts": true } } }))?;
            bidi.call("session.subscribe", json!({ "events": ["browsingContext.load"] }))?;
            let tab = first_context(&bidi.call("browsingContext.getTree", json!({}))?)?;
            let chrome = first_context(&bidi.call("browsingContext.getTree", json!({ "moz:scope": "chrome" }))?)?;
            Ok::<_, String>((bidi, tab, chrome))
        })();
        let (bidi, tab, chrome) = match started {
            Ok(x) => x,
            Err(e) => {
                kill(&mut child);
                return Err(FirefoxError::Bidi(e));
            }
        };
        let mut target = FirefoxTarget {
            version,
            server,
            child,
            bidi,
            tab,
            chrome,
            chips: false,
            clock: super::RealClock::default(),
            _profile: profile,
        };
        target.chips = match target.chrome_eval("Services.prefs.getBoolPref('network.cookie.CHIPS.enabled', false)") {
            Ok(Value::Bool(b)) => b,
            Ok(other) => return Err(FirefoxError::Bidi(format!("reading network.cookie.CHIPS.enabled: {other}"))),
            Err(e) => return Err(FirefoxError::Bidi(format!("script in the chrome window (needs --remote-allow-system-access): {e}"))),
        };
        Ok(target)
    }

    /// Makes the request to `url` that `ctx` describes, answered with `lines`; the `Cookie`
    /// header the server received with it.
    fn request(&mut self, url: &str, lines: &[Vec<u8>], ctx: &Context) -> Result<Option<Vec<u8>>, TargetError> {
        let (site, how) = match route(&FIREFOX, url, ctx)? {
            Route::Address => return self.navigate(url, lines),
            Route::FromPage(site, how) => (site, how),
            Route::FromFrame { top, frame } => return self.request_from_frame(url, lines, &top, &frame),
        };
        let page_url = format!("{}{PAGE_PATH}", site.origin().ascii_serialization());
        self.server.set_pages(vec![(PAGE_PATH.as_bytes().to_vec(), how.page(&without_fragment(url)).into_bytes())]);
        self.server.only_hosts(vec![host_of(url)?, site.host_str().unwrap_or_default().as_bytes().to_vec()]);
        self.server.plan(vec![Vec::new(), lines.to_vec()]);
        // The image loads with the page: `wait: complete` covers both requests.
        self.load(&page_url)?;
        if let Some(script) = how.script() {
            self.bidi.rpc.events.clear();
            self.evaluate(script)?;
            let tab = self.tab.clone();
            let page = page_url.clone();
            self.bidi
                .rpc
                .wait_event(
                    |v| v["method"] == "browsingContext.load" && v["params"]["context"] == tab.as_str() && v["params"]["url"] != page.as_str(),
                    Instant::now() + STEP_TIMEOUT,
                )
                .map_err(|e| TargetError::failed(format!("loading {url} from {page_url}: browsingContext.load {e}")))?;
        }
        let mut received = self.server.take().into_iter();
        let _page = received.next();
        let Some(r) = received.next() else {
            return Err(TargetError::failed(format!("{how:?} to {url} from {page_url}: the server received no request")));
        };
        if r.tls != url.to_ascii_lowercase().starts_with("https:") {
            return Err(TargetError::Unsupported(format!("Firefox changed the scheme of {url} (mixed content from {page_url})")));
        }
        Ok(r.cookie)
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
        // The frame and its image load with the page: `wait: complete` covers all three.
        self.load(&page_url)?;
        let received = self.server.take();
        let Some(r) = received.get(2) else {
            return Err(TargetError::failed(format!("<img> to {url} from the frame {frame} in {page_url}: the server received {} of the 3 requests", received.len())));
        };
        if r.tls != url.to_ascii_lowercase().starts_with("https:") {
            return Err(TargetError::Unsupported(format!("Firefox changed the scheme of {url} (mixed content from {frame})")));
        }
        Ok(r.cookie.clone())
    }

    /// Loads the document where a script step at `url` runs; the browsing context to run it in
    /// (the tab, or the frame of a page on `top`'s origin that holds the document at `url`).
    fn script_document(&mut self, url: &str, top: Option<&url::Url>) -> Result<String, TargetError> {
        let Some(top) = top else {
            self.navigate(url, &[])?;
            return Ok(self.tab.clone());
        };
        let page_url = format!("{}{PAGE_PATH}", top.origin().ascii_serialization());
        self.server.set_pages(vec![(PAGE_PATH.as_bytes().to_vec(), frame_page(&without_fragment(url)).into_bytes())]);
        self.server.only_hosts(vec![host_of(url)?, top.host_str().unwrap_or_default().as_bytes().to_vec()]);
        self.server.plan(vec![Vec::new(), Vec::new()]);
        self.load(&page_url)?;
        if self.server.take().len() < 2 {
            return Err(TargetError::failed(format!("the frame {url} in {page_url}: the server received no request for it")));
        }
        let tree = self.bidi.call("browsingContext.getTree", json!({ "root": self.tab })).map_err(TargetError::failed)?;
        tree["contexts"][0]["children"][0]["context"]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| TargetError::failed(format!("the frame {url} in {page_url}: no child browsing context in {tree}")))
    }

    /// Navigates the tab to `url` and waits for its load event.
    fn load(&mut self, url: &str) -> Result<(), TargetError> {
        self.bidi
            .call("browsingContext.navigate", json!({ "context": self.tab, "url": url, "wait": "complete" }))
            .map_err(|e| TargetError::failed(format!("navigating to {url}: {e}")))?;
        Ok(())
    }

    /// Navigates the tab to `url` with the response carrying `lines`; the `Cookie` header of the
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

    /// Runs `expression` in the tab's document; its value.
    fn evaluate(&mut self, expression: &str) -> Result<Value, TargetError> {
        let context = self.tab.clone();
        self.evaluate_in(&context, expression)
    }

    /// Runs `expression` in the document of `context`; its value.
    fn evaluate_in(&mut self, context: &str, expression: &str) -> Result<Value, TargetError> {
        self.bidi.evaluate(context, expression).map_err(TargetError::failed)
    }

    /// Runs `expression` in the browser's chrome window (privileged); its value.
    fn chrome_eval(&mut self, expression: &str) -> Result<Value, String> {
        let context = self.chrome.clone();
        self.bidi.evaluate(&context, expression)
    }

    /// The cookie store, every partition, expired cookies left out (Firefox lists them until it
    /// purges them).
    fn stored(&mut self) -> Result<Vec<StoredCookie>, TargetError> {
        let json = match self.chrome_eval(DUMP_SCRIPT).map_err(TargetError::failed)? {
            Value::String(s) => s,
            other => return Err(TargetError::failed(format!("listing cookies returned {other}"))),
        };
        let cookies: Vec<Value> = serde_json::from_str(&json).map_err(|e| TargetError::failed(format!("listing cookies: {e}")))?;
        cookies.iter().map(stored_cookie).collect()
    }
}

impl Drop for FirefoxTarget {
    fn drop(&mut self) {
        let _ = self.bidi.rpc.request(json!({ "method": "browser.close", "params": {} }), Duration::from_secs(5));
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

/// A WebDriver BiDi connection.
struct Bidi {
    rpc: WsRpc,
}

impl Bidi {
    /// Calls `method`; its `result`, or the error the browser answered.
    fn call(&mut self, method: &str, params: Value) -> Result<Value, String> {
        let v = self.rpc.request(json!({ "method": method, "params": params }), STEP_TIMEOUT).map_err(|e| format!("{method}: {e}"))?;
        if v["type"] == "error" {
            return Err(format!("{method}: {}: {}", v["error"].as_str().unwrap_or("error"), v["message"].as_str().unwrap_or_default()));
        }
        Ok(v.get("result").cloned().unwrap_or(Value::Null))
    }

    /// Evaluates `expression` in `context`; its value (primitives: strings, numbers, booleans;
    /// `null` for undefined and objects).
    fn evaluate(&mut self, context: &str, expression: &str) -> Result<Value, String> {
        let r = self.call("script.evaluate", json!({ "expression": expression, "target": { "context": context }, "awaitPromise": false }))?;
        if r["type"] == "exception" {
            let text = r["exceptionDetails"]["text"].as_str().unwrap_or_default();
            return Err(format!("{expression}: {text}"));
        }
        Ok(remote_value(&r["result"]))
    }
}

/// A BiDi `script.RemoteValue` as JSON (primitives only).
fn remote_value(v: &Value) -> Value {
    match v["type"].as_str() {
        Some("string") | Some("boolean") => v["value"].clone(),
        Some("number") => v["value"].clone(),
        _ => Value::Null,
    }
}

/// The first top-level context of a `browsingContext.getTree` answer.
fn first_context(tree: &Value) -> Result<String, String> {
    tree["contexts"][0]["context"].as_str().map(str::to_owned).ok_or_else(|| format!("browsingContext.getTree: no context in {tree}"))
}

fn firefox_version(binary: &str) -> Result<String, FirefoxError> {
    let out = Command::new(binary).arg("--version").output().map_err(|e| FirefoxError::NotFound(binary.to_owned(), e))?;
    let text = String::from_utf8_lossy(&out.stdout);
    // `Mozilla Firefox 153.8.0esr`.
    let version = text.split_whitespace().last().unwrap_or("?");
    Ok(format!("Firefox {version}"))
}

fn firefox_args(profile: &std::path::Path) -> Vec<String> {
    vec![
        "--headless".into(),
        "--no-remote".into(),
        "--profile".into(),
        profile.display().to_string(),
        "--remote-debugging-port=0".into(),
        // Script in the chrome window: prefs at run time, the cookie store with partition keys.
        "--remote-allow-system-access".into(),
        "about:blank".into(),
    ]
}

/// The profile's prefs: the loopback server at `proxy_port` as the proxy for every URL, and
/// the browser kept quiet and on the URLs it is given.
fn user_js(proxy_port: u16) -> String {
    let prefs: Vec<(&str, String)> = vec![
        // Every host, IP address and port through the loopback server.
        ("network.proxy.type", "1".into()),
        ("network.proxy.http", "\"127.0.0.1\"".into()),
        ("network.proxy.http_port", proxy_port.to_string()),
        ("network.proxy.ssl", "\"127.0.0.1\"".into()),
        ("network.proxy.ssl_port", proxy_port.to_string()),
        ("network.proxy.share_proxy_settings", "false".into()),
        ("network.proxy.no_proxies_on", "\"\"".into()),
        ("network.proxy.allow_hijacking_localhost", "true".into()),
        ("network.proxy.socks_remote_dns", "false".into()),
        ("network.trr.mode", "5".into()),
        ("network.http.http3.enable", "false".into()),
        // Cookies: every third-party cookie allowed until a case says otherwise (reset).
        ("network.cookie.cookieBehavior", "0".into()),
        ("network.cookie.cookieBehavior.pbmode", "0".into()),
        // URLs stay as given: no HTTPS-First upgrade of http navigations.
        ("dom.security.https_first", "false".into()),
        ("dom.security.https_first_pbm", "false".into()),
        ("dom.security.https_first_schemeless", "false".into()),
        ("dom.security.https_only_mode", "false".into()),
        ("browser.fixup.alternate.enabled", "false".into()),
        // Background traffic off.
        ("browser.chrome.site_icons", "false".into()),
        ("services.settings.server", "\"http://127.0.0.1:1/\"".into()),
        ("app.normandy.enabled", "false".into()),
        ("app.update.auto", "false".into()),
        ("app.update.checkInstallTime", "false".into()),
        ("app.update.disabledForTesting", "true".into()),
        ("browser.aboutwelcome.enabled", "false".into()),
        ("browser.startup.page", "0".into()),
        ("browser.newtabpage.enabled", "false".into()),
        ("browser.newtab.preload", "false".into()),
        ("browser.places.speculativeConnect.enabled", "false".into()),
        ("browser.safebrowsing.update.enabled", "false".into()),
        ("browser.safebrowsing.provider.mozilla.updateURL", "\"\"".into()),
        ("browser.ping-centre.telemetry", "false".into()),
        ("datareporting.policy.dataSubmissionEnabled", "false".into()),
        ("datareporting.healthreport.uploadEnabled", "false".into()),
        ("toolkit.telemetry.enabled", "false".into()),
        ("toolkit.telemetry.unified", "false".into()),
        ("toolkit.telemetry.server", "\"\"".into()),
        ("extensions.update.enabled", "false".into()),
        ("extensions.getAddons.cache.enabled", "false".into()),
        ("extensions.blocklist.enabled", "false".into()),
        ("network.captive-portal-service.enabled", "false".into()),
        ("network.connectivity-service.enabled", "false".into()),
        ("network.dns.disablePrefetch", "true".into()),
        ("network.prefetch-next", "false".into()),
        ("network.predictor.enabled", "false".into()),
        ("network.http.speculative-parallel-limit", "0".into()),
        ("security.OCSP.enabled", "0".into()),
        ("security.remote_settings.crlite_filters.enabled", "false".into()),
        ("privacy.trackingprotection.enabled", "false".into()),
        ("browser.sessionstore.resume_from_crash", "false".into()),
        ("toolkit.startup.max_resumed_crashes", "-1".into()),
    ];
    prefs.iter().map(|(k, v)| format!("user_pref(\"{k}\", {v});\n")).collect()
}

/// Lists every cookie of the store (all partitions) with its partition key, as JSON; expired
/// cookies left out. `expiry` is in milliseconds in this Firefox (the BiDi storage module
/// divides it by 1000).
const DUMP_SCRIPT: &str = r#"(() => {
  const now = Date.now();
  const sameSite = { [Ci.nsICookie.SAMESITE_NONE]: "None", [Ci.nsICookie.SAMESITE_LAX]: "Lax", [Ci.nsICookie.SAMESITE_STRICT]: "Strict" };
  return JSON.stringify(Services.cookies.cookies
    .filter(c => c.isSession || c.expiry > now)
    .map(c => ({ name: c.name, value: c.value, host: c.host, path: c.path, secure: c.isSecure, httpOnly: c.isHttpOnly,
                 sameSite: sameSite[c.sameSite] ?? "Default", session: c.isSession, expiry: c.expiry,
                 partitionKey: c.originAttributes.partitionKey })));
})()"#;

/// Empties the store and the permissions (storage-access grants), sets the cookie policy and
/// CHIPS; answers the two prefs as `behavior,chips` once set.
fn reset_script(behavior: i64, chips: bool) -> String {
    format!(
        "Services.cookies.removeAll(); Services.perms.removeAll(); \
         Services.prefs.setIntPref('network.cookie.cookieBehavior', {behavior}); \
         Services.prefs.setBoolPref('network.cookie.CHIPS.enabled', {chips}); \
         Services.prefs.getIntPref('network.cookie.cookieBehavior') + ',' + Services.prefs.getBoolPref('network.cookie.CHIPS.enabled')"
    )
}

/// `network.cookie.cookieBehavior` for a case's third-party policy: 0 accepts every cookie, 1
/// rejects third-party ones, 5 partitions them by top-level site (Total Cookie Protection,
/// Firefox's default).
fn cookie_behavior(policy: ThirdPartyPolicy) -> i64 {
    match policy {
        ThirdPartyPolicy::Allow => 0,
        ThirdPartyPolicy::Block => 1,
        ThirdPartyPolicy::Partition => 5,
    }
}

/// One cookie of [`DUMP_SCRIPT`]: `host` has a leading dot for a domain cookie; `partitionKey`
/// is `(scheme,site[,port][,f])` or empty.
fn stored_cookie(c: &Value) -> Result<StoredCookie, TargetError> {
    let text = |k: &str| c[k].as_str().ok_or_else(|| TargetError::failed(format!("Services.cookies: a cookie without `{k}`: {c}")));
    let flag = |k: &str| c[k].as_bool().unwrap_or(false);
    let host = text("host")?;
    let session = flag("session");
    Ok(StoredCookie {
        name: text("name")?.as_bytes().to_vec(),
        value: text("value")?.as_bytes().to_vec(),
        domain: host.trim_start_matches('.').to_ascii_lowercase(),
        path: text("path")?.as_bytes().to_vec(),
        host_only: !host.starts_with('.'),
        secure: flag("secure"),
        http_only: flag("httpOnly"),
        same_site: match c["sameSite"].as_str() {
            Some("Strict") => SameSiteName::Strict,
            Some("Lax") => SameSiteName::Lax,
            Some("None") => SameSiteName::None,
            _ => SameSiteName::Default,
        },
        persistent: !session,
        expires: (!session).then(|| c["expiry"].as_f64().map(|ms| (ms / 1000.0).floor() as i64)).flatten(),
        partition_key: c["partitionKey"].as_str().and_then(partition_site),
    })
}

/// Firefox's partition key `(https,example.com)` (also `(http,localhost,8080)` with a port and
/// `(https,example.com,f)` with the cross-site-ancestor bit) as a site: `https://example.com`.
fn partition_site(key: &str) -> Option<String> {
    let inner = key.strip_prefix('(')?.strip_suffix(')')?;
    let mut parts = inner.split(',');
    let scheme = parts.next().filter(|s| !s.is_empty())?;
    let host = parts.next().filter(|s| !s.is_empty())?;
    let port = parts.find(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    Some(match port {
        Some(p) => format!("{scheme}://{host}:{p}"),
        None => format!("{scheme}://{host}"),
    })
}

/// What the shared request routing may ask of Firefox.
const FIREFOX: Browser = Browser { name: "Firefox", check_url };

/// Through the proxy every host and port reaches the server; other schemes do not.
fn check_url(url: &str) -> Result<(), TargetError> {
    super::browser::check_proxied_url("Firefox", url)
}

fn host_of(url: &str) -> Result<Vec<u8>, TargetError> {
    super::browser::host_of("Firefox", url)
}

impl Target for FirefoxTarget {
    fn name(&self) -> String {
        self.version.clone()
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            script_api: true,
            same_site_contexts: true,
            storage_dump: true,
            // `network.cookie.CHIPS.enabled` (read at start).
            partitioned: self.chips,
            third_party_policies: vec![ThirdParty::Allow, ThirdParty::Block, ThirdParty::Partition],
            sleeps_through_advance: super::MAX_SLEEP_SECONDS,
            profiles: super::browser::PROFILES.to_vec(),
            ..Capabilities::default()
        }
    }

    fn reset(&mut self, setup: &Setup) -> Result<(), TargetError> {
        self.clock.reset(setup.start);
        let behavior = cookie_behavior(setup.config.third_party);
        // CHIPS follows the case (a Firefox with `network.cookie.CHIPS.enabled` off ignores
        // Partitioned), when this Firefox has it at all.
        let chips = self.chips && setup.config.chips;
        let want = format!("{behavior},{chips}");
        match self.chrome_eval(&reset_script(behavior, chips)).map_err(TargetError::failed)? {
            Value::String(s) if s == want => {}
            other => return Err(TargetError::failed(format!("cookieBehavior,CHIPS.enabled are {other} after setting them to {want}"))),
        }
        // A new tab per case: a content process keeps its own copy of the cookies its documents
        // read, which the store's removeAll does not reach (measured: a case's document.cookie
        // answer depended on the case run before it in the same tab).
        let fresh = self.bidi.call("browsingContext.create", json!({ "type": "tab" })).map_err(TargetError::failed)?;
        let fresh = fresh["context"].as_str().ok_or_else(|| TargetError::failed(format!("browsingContext.create answered {fresh}")))?.to_owned();
        let old = std::mem::replace(&mut self.tab, fresh);
        self.bidi.call("browsingContext.close", json!({ "context": old })).map_err(TargetError::failed)?;
        Ok(())
    }

    fn set_cookies(&mut self, url: &str, lines: &[Vec<u8>], ctx: &Context, now: UnixTime) -> Result<(), TargetError> {
        self.clock.catch_up(now);
        if ctx.api == Api::Http {
            // Observed: a NUL fails the whole response (browsingContext.navigate answers
            // NS_ERROR_DOM_INVALID_HEADER_VALUE).
            check_response_lines("Firefox", lines, "NS_ERROR_DOM_INVALID_HEADER_VALUE")?;
            return self.request(url, lines, ctx).map(|_| ());
        }
        let top = script_frame(&FIREFOX, url, ctx)?;
        let context = self.script_document(url, top.as_ref())?;
        for assignment in cookie_assignments(lines)? {
            self.evaluate_in(&context, &assignment)?;
        }
        Ok(())
    }

    fn cookie_header(&mut self, url: &str, ctx: &Context, now: UnixTime) -> Result<Option<Vec<u8>>, TargetError> {
        self.clock.catch_up(now);
        if ctx.api == Api::Http {
            return self.request(url, &[], ctx);
        }
        let top = script_frame(&FIREFOX, url, ctx)?;
        let context = self.script_document(url, top.as_ref())?;
        match self.evaluate_in(&context, "document.cookie")? {
            Value::String(s) if s.is_empty() => Ok(None),
            Value::String(s) => Ok(Some(s.into_bytes())),
            other => Err(TargetError::failed(format!("document.cookie returned {other}"))),
        }
    }

    fn dump(&mut self, now: UnixTime) -> Result<Option<Vec<StoredCookie>>, TargetError> {
        self.clock.catch_up(now);
        self.stored().map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn firefox_cookies_map_to_stored_cookies() {
        let domain = json!({"name": "a", "value": "b", "host": ".Example.com", "path": "/", "secure": true, "httpOnly": true,
            "sameSite": "Lax", "session": false, "expiry": 1767225600500.0_f64, "partitionKey": ""});
        let c = stored_cookie(&domain).unwrap();
        assert_eq!((c.domain.as_str(), c.host_only, c.persistent, c.expires), ("example.com", false, true, Some(1_767_225_600)));
        assert_eq!((c.secure, c.http_only, c.same_site, c.partition_key), (true, true, SameSiteName::Lax, None));
        let host = json!({"name": "", "value": "v", "host": "a.example", "path": "/p", "secure": false, "httpOnly": false,
            "sameSite": "Default", "session": true, "expiry": 9e15, "partitionKey": "(https,top.example)"});
        let c = stored_cookie(&host).unwrap();
        assert_eq!((c.host_only, c.persistent, c.expires, c.same_site), (true, false, None, SameSiteName::Default));
        assert_eq!(c.partition_key.as_deref(), Some("https://top.example"));
        assert!(stored_cookie(&json!({"value": "v"})).is_err());
    }

    #[test]
    fn partition_keys_become_sites() {
        assert_eq!(partition_site("(https,top-a.example)").as_deref(), Some("https://top-a.example"));
        assert_eq!(partition_site("(https,top-a.example,f)").as_deref(), Some("https://top-a.example"));
        assert_eq!(partition_site("(http,localhost,8080)").as_deref(), Some("http://localhost:8080"));
        assert_eq!(partition_site("(http,localhost,8080,f)").as_deref(), Some("http://localhost:8080"));
        assert_eq!(partition_site(""), None);
        assert_eq!(partition_site("junk"), None);
    }

    #[test]
    fn policies_map_to_cookie_behavior() {
        assert_eq!(cookie_behavior(ThirdPartyPolicy::Allow), 0);
        assert_eq!(cookie_behavior(ThirdPartyPolicy::Block), 1);
        assert_eq!(cookie_behavior(ThirdPartyPolicy::Partition), 5);
        let script = reset_script(5, false);
        assert!(script.contains("setIntPref('network.cookie.cookieBehavior', 5)"), "{script}");
        assert!(script.contains("setBoolPref('network.cookie.CHIPS.enabled', false)"), "{script}");
    }

    #[test]
    fn prefs_route_everything_through_the_loopback_proxy() {
        let js = user_js(4321);
        for line in [
            "user_pref(\"network.proxy.type\", 1);",
            "user_pref(\"network.proxy.http_port\", 4321);",
            "user_pref(\"network.proxy.ssl_port\", 4321);",
            "user_pref(\"network.proxy.no_proxies_on\", \"\");",
            "user_pref(\"network.proxy.allow_hijacking_localhost\", true);",
            "user_pref(\"dom.security.https_first\", false);",
            "user_pref(\"browser.chrome.site_icons\", false);",
        ] {
            assert!(js.lines().any(|l| l == line), "{line} missing from\n{js}");
        }
        let args = firefox_args(std::path::Path::new("/tmp/p"));
        assert!(args.windows(2).any(|w| w[0] == "--profile" && w[1] == "/tmp/p"));
        assert!(args.iter().any(|a| a == "--remote-allow-system-access"));
    }

    #[test]
    fn urls_of_any_port_and_host_shape_are_served_other_schemes_skipped() {
        for url in ["http://a.example:8080/", "https://[::1]:3000/", "http://127.0.0.1/", "http://localhost/x"] {
            assert!(check_url(url).is_ok(), "{url}");
        }
        assert!(matches!(check_url("wss://a.example/"), Err(TargetError::Unsupported(_))));
        assert_eq!(without_fragment("https://a.example/p?q#f"), "https://a.example/p?q");
        assert_eq!(host_of("http://[::FFFF:1.2.3.4]:80/").unwrap(), b"[::ffff:102:304]");
    }
}

