//! What the browser targets ([`super::chromium`], [`super::firefox`]) share: the websocket
//! JSON-RPC connection both remote protocols (DevTools, WebDriver BiDi) run on, the routing of
//! a case's request context to the page that makes the request for real (address bar, link
//! click, form POST, `<img>`), and the check that a `document.cookie` step can run in a
//! top-level document.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::process::Child;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use reference_jar::{Context, Profile, SiteForCookies};
use serde_json::{json, Value};
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

use cookie_conformance::target::TargetError;

/// A websocket carrying JSON messages: requests answered by the message with the same `id`,
/// events (messages with a `method` and no matching id) queued until someone waits for them.
pub(crate) struct WsRpc {
    ws: WebSocket<MaybeTlsStream<TcpStream>>,
    next_id: u64,
    /// Events read while waiting for something else, oldest first.
    pub(crate) events: VecDeque<Value>,
}

impl WsRpc {
    pub(crate) fn connect(url: &str) -> Result<WsRpc, String> {
        let (ws, _) = tungstenite::connect(url).map_err(|e| format!("connecting to {url}: {e}"))?;
        if let MaybeTlsStream::Plain(s) = ws.get_ref() {
            // Short reads let `read` honour the deadlines below.
            s.set_read_timeout(Some(Duration::from_millis(200))).map_err(|e| e.to_string())?;
        }
        Ok(WsRpc { ws, next_id: 1, events: VecDeque::new() })
    }

    /// The next message, or `None` at `deadline`.
    fn read(&mut self, deadline: Instant) -> Result<Option<Value>, String> {
        loop {
            if Instant::now() >= deadline {
                return Ok(None);
            }
            match self.ws.read() {
                Ok(Message::Text(t)) => return serde_json::from_str(t.as_str()).map(Some).map_err(|e| format!("bad message from the browser: {e}")),
                Ok(_) => continue,
                Err(tungstenite::Error::Io(e)) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => continue,
                Err(e) => return Err(format!("reading from the browser: {e}")),
            }
        }
    }

    /// Sends `msg` (an object) with a fresh `id` and returns the whole message that answers it,
    /// waiting at most `timeout`; events read meanwhile are queued.
    pub(crate) fn request(&mut self, mut msg: Value, timeout: Duration) -> Result<Value, String> {
        let id = self.next_id;
        self.next_id += 1;
        msg["id"] = json!(id);
        self.ws.send(Message::Text(msg.to_string().into())).map_err(|e| format!("sending: {e}"))?;
        let deadline = Instant::now() + timeout;
        loop {
            let Some(v) = self.read(deadline)? else {
                return Err(format!("no answer within {timeout:?}"));
            };
            if v.get("id").and_then(Value::as_u64) == Some(id) {
                return Ok(v);
            }
            if v.get("method").is_some() {
                self.events.push_back(v);
            }
        }
    }

    /// The first event (queued or new) that `matches`, or an error at `deadline`.
    pub(crate) fn wait_event(&mut self, matches: impl Fn(&Value) -> bool, deadline: Instant) -> Result<Value, String> {
        if let Some(i) = self.events.iter().position(&matches) {
            return Ok(self.events.remove(i).unwrap_or(Value::Null));
        }
        loop {
            let Some(v) = self.read(deadline)? else {
                return Err("not in time".to_owned());
            };
            if matches(&v) {
                return Ok(v);
            }
            if v.get("method").is_some() {
                self.events.push_back(v);
            }
        }
    }
}

/// Reads the browser's stderr until a line containing `marker` and a `ws://` address (the
/// address), then keeps draining it (a full pipe would block the browser).
pub(crate) fn ws_address_from_stderr(child: &mut Child, marker: &'static str, timeout: Duration) -> Result<String, String> {
    let stderr = child.stderr.take().ok_or_else(|| "no stderr pipe".to_owned())?;
    let (tx, rx) = mpsc::channel::<String>();
    std::thread::spawn(move || {
        let mut sent = false;
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if !sent && line.contains(marker) {
                if let Some(i) = line.find("ws://") {
                    let _ = tx.send(line[i..].trim().to_owned());
                    sent = true;
                }
            }
        }
    });
    rx.recv_timeout(timeout).map_err(|_| format!("no `{marker} ws://...` line within {timeout:?}"))
}

/// Refuses the Set-Cookie lines a browser never hands its cookie parser: those no response can
/// carry (CR, LF), and those with a NUL, for which the browser fails the whole response
/// (`nul_refusal`: the error it was observed to give).
pub(crate) fn check_response_lines(browser: &str, lines: &[Vec<u8>], nul_refusal: &str) -> Result<(), TargetError> {
    if let Some(why) = lines.iter().find_map(|l| super::server::unsendable(l)) {
        return Err(TargetError::Unsupported(why.to_owned()));
    }
    if lines.iter().any(|l| l.contains(&0)) {
        return Err(TargetError::Unsupported(format!(
            "{browser} refuses a response whose header holds a NUL byte ({nul_refusal}): its cookie parser never sees the line"
        )));
    }
    Ok(())
}

/// The script statements `document.cookie = "<line>"`, one per line (a script step).
pub(crate) fn cookie_assignments(lines: &[Vec<u8>]) -> Result<Vec<String>, TargetError> {
    lines
        .iter()
        .map(|line| {
            let text = std::str::from_utf8(line)
                .map_err(|_| TargetError::Unsupported("document.cookie takes a string: this assignment is not UTF-8".to_owned()))?;
            Ok(format!("document.cookie = {}", serde_json::to_string(text).map_err(TargetError::failed)?))
        })
        .collect()
}

/// For a browser whose proxy is the loopback server: every host and port reaches the server,
/// other schemes than http and https do not.
pub(crate) fn check_proxied_url(browser: &str, url: &str) -> Result<(), TargetError> {
    let parsed = url::Url::parse(url).map_err(|e| TargetError::Unsupported(format!("the {browser} target cannot navigate to {url:?}: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(TargetError::Unsupported(format!("the {browser} target serves only http and https URLs ({url})")));
    }
    Ok(())
}

/// The URL without its fragment (the request is the same; a fragment-only change of the
/// current URL would not make one).
pub(crate) fn without_fragment(url: &str) -> String {
    url.split('#').next().unwrap_or(url).to_owned()
}

/// The host the browser puts in the `Host` field for `url` (IDNA-encoded, IPv6 in brackets).
pub(crate) fn host_of(browser: &str, url: &str) -> Result<Vec<u8>, TargetError> {
    let parsed = url::Url::parse(url).map_err(|e| TargetError::Unsupported(format!("the {browser} target cannot navigate to {url:?}: {e}")))?;
    Ok(parsed.host_str().unwrap_or_default().as_bytes().to_vec())
}

/// The profiles a browser target runs: 6265bis, and the layered-cookies draft, whose user-agent
/// user-agent requirements name web browsers first among the implementations they are for
/// ("Cookie Consuming Implementations").
pub(crate) const PROFILES: [Profile; 2] = [Profile::Rfc6265bis, Profile::LayeredCookies];

/// Where the page that makes a request with a client lives (on the client's origin).
pub(crate) const PAGE_PATH: &str = "/__cookie_conformance/page";
/// Where the document of a frame that makes a request lives (on the frame's origin).
pub(crate) const FRAME_PATH: &str = "/__cookie_conformance/frame";
/// The host of a frame that must be cross-site to both the top-level document and the URL
/// requested from it (when the URL is same-site with the top-level document).
pub(crate) const NEUTRAL_FRAME_HOST: &str = "frame.cookie-conformance.example";

/// What a browser target can produce, for [`route`].
pub(crate) struct Browser {
    /// The browser's name in reasons.
    pub(crate) name: &'static str,
    /// Refuses the URLs (of a request, a client's site, a top-level document) it cannot load.
    pub(crate) check_url: fn(&str) -> Result<(), TargetError>,
}

/// How a request is made.
#[derive(Debug)]
pub(crate) enum Route {
    /// A navigation from the address bar: browser-initiated, without a client (§5.2).
    Address,
    /// From a page on this site's origin.
    FromPage(url::Url, How),
    /// An `<img>` (GET subresource) from the document `frame` nested in a page on `top`'s
    /// origin: the site for cookies is opaque, the top-level site `top`'s.
    FromFrame { top: url::Url, frame: url::Url },
}

/// The top-level page that nests the frame `src`.
pub(crate) fn frame_page(src: &str) -> String {
    format!("<!doctype html><iframe src=\"{}\"></iframe>", crate::reports::html::escape_text(src))
}

/// The host a site is known by (registrable domain, else the host; no scheme: enough to tell
/// whether a frame on `a` under `b` is cross-site).
fn site_host(u: &url::Url) -> String {
    let host = u.host_str().unwrap_or_default().to_ascii_lowercase();
    reference_jar::domain::registrable_domain(&host).unwrap_or(&host).to_owned()
}

/// The document of a frame under `top` that requests `url` as a cross-site frame: on `url`'s
/// origin when that is cross-site to `top` (an embedded widget calling its own server), else on
/// [`NEUTRAL_FRAME_HOST`].
fn frame_for(url: &url::Url, top: &url::Url) -> Result<url::Url, TargetError> {
    let origin = if site_host(url) != site_host(top) {
        url.origin().ascii_serialization()
    } else {
        format!("{}://{NEUTRAL_FRAME_HOST}", url.scheme())
    };
    url::Url::parse(&format!("{origin}{FRAME_PATH}")).map_err(|e| TargetError::failed(format!("frame URL for {url}: {e}")))
}

/// Where `document.cookie` runs for a script step at `url` in `ctx`: `None` in a top-level
/// document at `url`, `Some(top)` in a document at `url` nested in a frame of a page on
/// `top` (an opaque site for cookies).
pub(crate) fn script_frame(b: &Browser, url: &str, ctx: &Context) -> Result<Option<url::Url>, TargetError> {
    let (SiteForCookies::Opaque, Some(top)) = (&ctx.site_for_cookies, &ctx.top_level) else {
        check_script_context(url, ctx)?;
        return Ok(None);
    };
    (b.check_url)(top)?;
    let top_url = url::Url::parse(top).map_err(|e| TargetError::Unsupported(format!("top-level document {top:?}: {e}")))?;
    let doc = url::Url::parse(url).map_err(|e| TargetError::Unsupported(format!("{url:?}: {e}")))?;
    if site_host(&doc) == site_host(&top_url) {
        return Err(TargetError::Unsupported(format!("a document at {url} nested under {top} is same-site with it: its site for cookies is not opaque")));
    }
    if top_url.scheme() == "https" && doc.scheme() == "http" {
        return Err(TargetError::Unsupported(format!("{} blocks an http frame in the https page {top} (mixed content)", b.name)));
    }
    Ok(Some(top_url))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum How {
    /// A top-level navigation by a link click (GET).
    Link,
    /// A top-level navigation by a form submission (POST).
    Form,
    /// A subresource: `<img src>` (GET, not a navigation).
    Image,
}

impl How {
    /// The page that makes the request to `target` (clicked or submitted by script; an image
    /// loads with the page).
    pub(crate) fn page(self, target: &str) -> String {
        let target = crate::reports::html::escape_text(target);
        match self {
            How::Link => format!("<!doctype html><a id=\"go\" href=\"{target}\">go</a>"),
            How::Form => format!("<!doctype html><form id=\"go\" method=\"POST\" action=\"{target}\"><input type=\"hidden\" name=\"x\" value=\"1\"></form>"),
            How::Image => format!("<!doctype html><img src=\"{target}\">"),
        }
    }

    /// The script that starts a navigating request from the page, if it is one.
    pub(crate) fn script(self) -> Option<&'static str> {
        match self {
            How::Link => Some("document.getElementById('go').click()"),
            How::Form => Some("document.getElementById('go').submit()"),
            How::Image => None,
        }
    }
}

/// How the browser `b` makes the request to `url` in `ctx`.
pub(crate) fn route(b: &Browser, url: &str, ctx: &Context) -> Result<Route, TargetError> {
    let (browser, check_url) = (b.name, b.check_url);
    let method = ctx.method.to_ascii_uppercase();
    let site = match &ctx.site_for_cookies {
        SiteForCookies::NoClient if method == "GET" => return Ok(Route::Address),
        SiteForCookies::NoClient => {
            return Err(TargetError::Unsupported(format!("the {browser} target makes requests without a client by address-bar navigation (GET), not {method}")))
        }
        // Documents nested in cross-site frames: an opaque site for cookies under a `top_level`.
        SiteForCookies::Opaque => return frame_route(b, url, ctx),
        SiteForCookies::Origin(s) => s,
    };
    check_url(site)?;
    let site_url = url::Url::parse(site).map_err(|e| TargetError::Unsupported(format!("site {site:?}: {e}")))?;
    if let Some(top) = &ctx.top_level {
        let same = url::Url::parse(top).map(|t| t.origin() == site_url.origin()).unwrap_or(false);
        if !same {
            return Err(TargetError::Unsupported(format!("a document nested under {top} (a frame) is not produced yet")));
        }
    }
    let mixed = site_url.scheme() == "https" && url.to_ascii_lowercase().starts_with("http:");
    let how = match (ctx.top_level_navigation, method.as_str()) {
        (true, "GET") => How::Link,
        (true, "POST") if !mixed => How::Form,
        (false, "GET") if !mixed => How::Image,
        (true, "POST") | (false, "GET") => {
            return Err(TargetError::Unsupported(format!("{browser} blocks or upgrades an http request from the https page of {site} (mixed content)")))
        }
        (nav, m) => {
            let what = if nav { "top-level navigation" } else { "subresource request" };
            return Err(TargetError::Unsupported(format!("the {browser} target makes no {what} with method {m} from a page")));
        }
    };
    Ok(Route::FromPage(site_url, how))
}

/// An opaque site for cookies: a GET `<img>` from a cross-site frame under `ctx.top_level`.
fn frame_route(b: &Browser, url: &str, ctx: &Context) -> Result<Route, TargetError> {
    let Some(top) = &ctx.top_level else {
        return Err(TargetError::Unsupported(format!("the {} target produces an opaque site for cookies only in a frame under a given top_level", b.name)));
    };
    let method = ctx.method.to_ascii_uppercase();
    if ctx.top_level_navigation || method != "GET" {
        return Err(TargetError::Unsupported(format!("the {} target makes only GET subresource requests from a frame", b.name)));
    }
    (b.check_url)(top)?;
    (b.check_url)(url)?;
    let top_url = url::Url::parse(top).map_err(|e| TargetError::Unsupported(format!("top-level document {top:?}: {e}")))?;
    let target = url::Url::parse(url).map_err(|e| TargetError::Unsupported(format!("{url:?}: {e}")))?;
    if top_url.scheme() == "https" && target.scheme() == "http" {
        return Err(TargetError::Unsupported(format!("{} blocks an http frame or request in the https page {top} (mixed content)", b.name)));
    }
    let frame = frame_for(&target, &top_url)?;
    Ok(Route::FromFrame { top: top_url, frame })
}

/// `document.cookie` runs in a top-level document at `url`: a script context whose site or
/// top-level document is elsewhere would need a frame.
pub(crate) fn check_script_context(url: &str, ctx: &Context) -> Result<(), TargetError> {
    let host = |u: &str| url::Url::parse(u).ok().and_then(|u| u.host_str().map(str::to_owned));
    let elsewhere = match &ctx.site_for_cookies {
        SiteForCookies::NoClient => false,
        SiteForCookies::Opaque => true,
        SiteForCookies::Origin(s) => host(s) != host(url),
    } || ctx.top_level.as_deref().is_some_and(|t| host(t) != host(url));
    if elsewhere {
        return Err(TargetError::Unsupported("document.cookie in a document nested in a frame is not produced yet".to_owned()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn any(_: &str) -> Result<(), TargetError> {
        Ok(())
    }

    const TEST: Browser = Browser { name: "Test", check_url: any };

    fn opaque_under(top: &str) -> Context {
        Context { site_for_cookies: SiteForCookies::Opaque, top_level: Some(top.to_owned()), ..Context::default() }
    }

    #[test]
    fn opaque_sites_route_to_a_cross_site_frame() {
        let ctx = opaque_under("https://top-a.example/");
        let Ok(Route::FromFrame { top, frame }) = route(&TEST, "https://widget.example/api", &ctx) else { panic!() };
        assert_eq!((top.as_str(), frame.as_str()), ("https://top-a.example/", "https://widget.example/__cookie_conformance/frame"));
        // Same-site with the top-level page: the frame goes elsewhere to make the context opaque.
        let Ok(Route::FromFrame { frame, .. }) = route(&TEST, "https://www.top-a.example/", &ctx) else { panic!() };
        assert_eq!(frame.as_str(), "https://frame.cookie-conformance.example/__cookie_conformance/frame");
        assert!(matches!(route(&TEST, "http://widget.example/", &ctx), Err(TargetError::Unsupported(_))));
        let mut nav = ctx.clone();
        nav.top_level_navigation = true;
        assert!(matches!(route(&TEST, "https://widget.example/", &nav), Err(TargetError::Unsupported(_))));
        let mut no_top = ctx.clone();
        no_top.top_level = None;
        assert!(matches!(route(&TEST, "https://widget.example/", &no_top), Err(TargetError::Unsupported(_))));
    }

    #[test]
    fn script_in_an_opaque_context_runs_in_a_frame_of_the_top_level_page() {
        let mut ctx = opaque_under("https://top-a.example/");
        ctx.api = reference_jar::Api::NonHttp;
        assert_eq!(script_frame(&TEST, "https://widget.example/", &ctx).unwrap().map(|u| u.to_string()).as_deref(), Some("https://top-a.example/"));
        assert!(script_frame(&TEST, "https://top-a.example/x", &ctx).is_err());
        assert_eq!(script_frame(&TEST, "https://a.example/", &Context::default()).unwrap(), None);
        assert!(frame_page("https://w.example/?a&b").contains("<iframe src=\"https://w.example/?a&amp;b\">"));
    }

    #[test]
    fn contexts_route_to_address_bar_link_form_or_image() {
        let ctx = |site: SiteForCookies, nav: bool, method: &str| Context {
            site_for_cookies: site,
            top_level_navigation: nav,
            method: method.to_owned(),
            ..Context::default()
        };
        let other = || SiteForCookies::Origin("https://other.example/".to_owned());
        let r = |url: &str, c: &Context| route(&TEST, url, c);
        assert!(matches!(r("https://a.example/", &Context::http()), Ok(Route::Address)));
        assert!(matches!(r("https://a.example/", &ctx(other(), true, "GET")), Ok(Route::FromPage(_, How::Link))));
        assert!(matches!(r("https://a.example/", &ctx(other(), true, "POST")), Ok(Route::FromPage(_, How::Form))));
        assert!(matches!(r("https://a.example/", &ctx(other(), false, "GET")), Ok(Route::FromPage(_, How::Image))));
        assert!(matches!(r("http://a.example/", &ctx(other(), false, "GET")), Err(TargetError::Unsupported(_))));
        assert!(matches!(r("https://a.example/", &ctx(other(), false, "PUT")), Err(TargetError::Unsupported(_))));
        assert!(matches!(r("https://a.example/", &ctx(SiteForCookies::Opaque, false, "GET")), Err(TargetError::Unsupported(_))));
        let mut nested = ctx(other(), false, "GET");
        nested.top_level = Some("https://top.example/".to_owned());
        assert!(matches!(r("https://a.example/", &nested), Err(TargetError::Unsupported(_))));
    }

    #[test]
    fn pages_escape_the_target_and_say_how_to_start_the_request() {
        assert!(How::Image.page("https://a.example/?a=1&b=\"2\"").contains("src=\"https://a.example/?a=1&amp;b=&quot;2&quot;\""));
        assert!(How::Form.page("https://a.example/").contains("method=\"POST\""));
        assert_eq!(How::Link.script(), Some("document.getElementById('go').click()"));
        assert_eq!(How::Image.script(), None);
    }

    #[test]
    fn script_context_must_be_the_top_level_document() {
        let mut ctx = Context::default();
        assert!(check_script_context("https://a.example/", &ctx).is_ok());
        ctx.site_for_cookies = SiteForCookies::Origin("https://a.example/".to_owned());
        assert!(check_script_context("https://a.example/x", &ctx).is_ok());
        ctx.site_for_cookies = SiteForCookies::Origin("https://b.example/".to_owned());
        assert!(check_script_context("https://a.example/x", &ctx).is_err());
    }
}
