//! The `cookie_store` crate (0.22, the jar behind reqwest's `cookie::Jar`) as a [`Target`].
//!
//! It is driven the way reqwest 0.13's `cookie::Jar` drives it:
//! - receiving (`CookieStore::set_cookies` in reqwest): every `Set-Cookie` field value is
//!   checked to be UTF-8 (`std::str::from_utf8`), parsed with `cookie::Cookie::parse` (the
//!   `cookie` crate, 0.18), and the cookies that parse are handed, in order, to
//!   `cookie_store::CookieStore::store_response_cookies`. A value that is not UTF-8, or that
//!   the `cookie` crate refuses, is skipped silently, as reqwest does.
//! - sending (`CookieStore::cookies` in reqwest): `get_request_values(url)` joined as
//!   `name=value` with `"; "`; an empty result is no header, and a result that is not a valid
//!   `http::HeaderValue` (a control character other than HTAB) is no header either, since
//!   reqwest's `HeaderValue::from_maybe_shared(..).ok()` drops it.
//!
//! One difference from reqwest's default `Jar`, on purpose: the store is built with a public
//! suffix list (`CookieStore::new_with_public_suffix`, cookie_store's `public_suffix`
//! feature), read from Debian's `publicsuffix` package
//! (`/usr/share/publicsuffix/public_suffix_list.dat`, or the file named by `PSL_FILE`).
//! reqwest's `Jar::default()` has none, which would make every §5.7 step 9 case fail for a
//! reason that is a configuration choice, not a bug.
//!
//! What it cannot model, declared in [`Capabilities`]:
//! - a virtual clock: cookie_store reads the system clock (`time::OffsetDateTime::now_utc()`)
//!   both to compute Max-Age expiry and to decide whether a cookie has expired, and offers no
//!   way to inject a time into `matches`/`get_request_values`. Cases with `now`/`advance` are
//!   skipped.
//! - the script API (reqwest has none), same-site request contexts (cookie_store ignores
//!   SameSite), CHIPS, third-party policies, and every jar option except
//!   `reject_public_suffixes` (which selects a store without the list).
//!
//! Bytes as reqwest receives them: the response head the runner's loopback server would send
//! (the case's Set-Cookie lines as they are) is parsed by `httparse` as hyper's HTTP/1 client
//! parses it, with reqwest's defaults (no lenient options, at most 100 header fields), and the
//! `Set-Cookie` fields it yields are what reach the jar. A response hyper refuses (a control
//! character other than HTAB in a field value, a bare CR, an LF starting a line that is no
//! field, too many fields) never reaches the jar: the case is unsupported, with hyper's reason.
//! An LF followed by a well-formed field splits the line, as on the wire. `ws`/`wss` URLs are
//! unsupported too: reqwest has no WebSocket client. `cookie-conformance fidelity --target
//! rust-cookie-store` checks all of this against reqwest itself, over real sockets.

use std::sync::OnceLock;

use cookie_store::{CookieDomain, CookieExpiration, CookieStore, RawCookie};
use reference_jar::{Api, Context, Profile, UnixTime};

use cookie_conformance::case::{ConfigKey, SameSiteName};
use cookie_conformance::target::{Capabilities, Setup, StoredCookie, Target, TargetError};

/// Environment variable naming the public suffix list file.
pub const PSL_ENV: &str = "PSL_FILE";
/// Where Debian's `publicsuffix` package installs the list.
pub const DEBIAN_PSL: &str = "/usr/share/publicsuffix/public_suffix_list.dat";

/// The public suffix list could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PslError {
    /// The file cannot be read.
    #[error(
        "the cookie_store target needs a public suffix list: cannot read {path}: {message} \
         (install Debian's `publicsuffix` package, or set {PSL_ENV} to the list's path)"
    )]
    Read {
        /// The path tried.
        path: String,
        /// The I/O error.
        message: String,
    },
    /// The file is not a public suffix list.
    #[error("the public suffix list {path} does not parse: {message}")]
    Parse {
        /// The path.
        path: String,
        /// The parser's error.
        message: String,
    },
}

/// The list, parsed once per process: the harness builds one target per trial.
fn suffix_list() -> Result<&'static publicsuffix::List, PslError> {
    static LIST: OnceLock<Result<publicsuffix::List, PslError>> = OnceLock::new();
    LIST.get_or_init(|| load_list(&std::env::var(PSL_ENV).unwrap_or_else(|_| DEBIAN_PSL.to_owned())))
        .as_ref()
        .map_err(Clone::clone)
}

/// Reads and parses a public suffix list file.
fn load_list(path: &str) -> Result<publicsuffix::List, PslError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| PslError::Read { path: path.to_owned(), message: e.to_string() })?;
    text.parse::<publicsuffix::List>()
        .map_err(|e| PslError::Parse { path: path.to_owned(), message: e.to_string() })
}

/// The cookie_store version the runner is built with (Cargo.lock pins it).
pub const COOKIE_STORE_VERSION: &str = "0.22.1";

/// cookie_store 0.22, driven as reqwest's `cookie::Jar` drives it (see the module docs).
#[derive(Debug)]
pub struct CookieStoreTarget {
    /// The store with the public suffix list (the default).
    with_psl: CookieStore,
    /// A store without it, for cases with `reject_public_suffixes: false`; built on demand.
    without_psl: Option<CookieStore>,
    /// Which of the two the current case uses.
    use_psl: bool,
}

impl CookieStoreTarget {
    /// A target whose store has the public suffix list from `PSL_FILE` or Debian's package.
    pub fn new() -> Result<Self, PslError> {
        let list = suffix_list()?;
        Ok(CookieStoreTarget {
            with_psl: CookieStore::new_with_public_suffix(Some(list.clone())),
            without_psl: None,
            use_psl: true,
        })
    }

    /// What it can model (also the `rust-cookie-store` adapter's `/info`).
    pub fn caps() -> Capabilities {
        Capabilities {
            // cookie_store implements RFC 6265 (its documentation says so); the suite judges
            // it against 6265bis too, the spec this suite is about.
            profiles: vec![Profile::Rfc6265, Profile::Rfc6265bis],
            configurable: vec![ConfigKey::RejectPublicSuffixes],
            storage_dump: true,
            // No virtual clock, script API, SameSite contexts, partitions, third-party
            // policies or sleeping through advances.
            ..Capabilities::default()
        }
    }

    fn store(&mut self) -> &mut CookieStore {
        if self.use_psl {
            &mut self.with_psl
        } else {
            self.without_psl.get_or_insert_with(|| CookieStore::new_with_public_suffix(None))
        }
    }
}

/// Header fields of a response hyper's client accepts by default (hyper's `DEFAULT_MAX_HEADERS`).
const HYPER_MAX_HEADERS: usize = 100;

/// The `Set-Cookie` field values hyper delivers from a response carrying `lines`, framed as the
/// loopback server frames them; `Unsupported` when hyper refuses the response.
fn delivered(lines: &[Vec<u8>]) -> Result<Vec<Vec<u8>>, TargetError> {
    let mut head = b"HTTP/1.1 200 OK\r\nCache-Control: no-store\r\nContent-Type: text/html\r\nContent-Length: 0\r\n".to_vec();
    for line in lines {
        head.extend_from_slice(b"Set-Cookie: ");
        head.extend_from_slice(line);
        head.extend_from_slice(b"\r\n");
    }
    head.extend_from_slice(b"\r\n");
    let mut headers = [httparse::EMPTY_HEADER; HYPER_MAX_HEADERS];
    let mut response = httparse::Response::new(&mut headers);
    let refused = |why: String| TargetError::Unsupported(format!("hyper (reqwest's HTTP/1 parser, httparse) refuses the response: {why}"));
    match httparse::ParserConfig::default().parse_response(&mut response, &head) {
        Ok(httparse::Status::Complete(_)) => {}
        Ok(httparse::Status::Partial) => return Err(refused("the head does not end".to_owned())),
        Err(e) => return Err(refused(e.to_string())),
    }
    Ok(response.headers.iter().filter(|h| h.name.eq_ignore_ascii_case("set-cookie")).map(|h| h.value.to_vec()).collect())
}

/// reqwest gives its jar parsed `url::Url`s; a URL that does not parse never reaches it, nor
/// does one of a scheme reqwest has no client for.
fn parse_url(url: &str) -> Result<url::Url, TargetError> {
    let url = url::Url::parse(url)
        .map_err(|e| TargetError::Unsupported(format!("reqwest cannot request `{url}` (the URL does not parse: {e})")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(TargetError::Unsupported(format!("reqwest has no client for {}: URLs", url.scheme())));
    }
    Ok(url)
}

/// `http::HeaderValue`'s rule for the bytes of a field value (HTAB, then 0x20..=0xFF but DEL):
/// reqwest drops a Cookie header that breaks it.
fn valid_header_value(bytes: &[u8]) -> bool {
    bytes.iter().all(|&b| (b >= 0x20 && b != 0x7f) || b == b'\t')
}

fn unix_time(t: time::OffsetDateTime) -> UnixTime {
    t.unix_timestamp()
}

impl Target for CookieStoreTarget {
    fn name(&self) -> String {
        format!("cookie_store {COOKIE_STORE_VERSION} (as reqwest's Jar, with a public suffix list)")
    }

    fn capabilities(&self) -> Capabilities {
        CookieStoreTarget::caps()
    }

    fn reset(&mut self, setup: &Setup) -> Result<(), TargetError> {
        self.use_psl = setup.config.reject_public_suffixes;
        self.store().clear();
        Ok(())
    }

    fn set_cookies(&mut self, url: &str, lines: &[Vec<u8>], ctx: &Context, _now: UnixTime) -> Result<(), TargetError> {
        if ctx.api != Api::Http {
            return Err(TargetError::Unsupported("cookie_store has no script API".to_owned()));
        }
        let url = parse_url(url)?;
        let lines = delivered(lines)?;
        // reqwest's `Cookie::parse`: from_utf8, then cookie::Cookie::parse; failures are
        // filtered out (`filter_map(.. .ok())`) before the store sees the rest.
        let cookies: Vec<RawCookie<'static>> = lines
            .iter()
            .filter_map(|line| std::str::from_utf8(line).ok())
            .filter_map(|text| RawCookie::parse(text).ok().map(RawCookie::into_owned))
            .collect();
        self.store().store_response_cookies(cookies.into_iter(), &url);
        Ok(())
    }

    fn cookie_header(&mut self, url: &str, ctx: &Context, _now: UnixTime) -> Result<Option<Vec<u8>>, TargetError> {
        if ctx.api != Api::Http {
            return Err(TargetError::Unsupported("cookie_store has no script API".to_owned()));
        }
        let url = parse_url(url)?;
        let header = self
            .store()
            .get_request_values(&url)
            .map(|(name, value)| format!("{name}={value}"))
            .collect::<Vec<_>>()
            .join("; ");
        if header.is_empty() || !valid_header_value(header.as_bytes()) {
            return Ok(None);
        }
        Ok(Some(header.into_bytes()))
    }

    fn dump(&mut self, _now: UnixTime) -> Result<Option<Vec<StoredCookie>>, TargetError> {
        let cookies = self
            .store()
            .iter_unexpired()
            .map(|c| {
                let (domain, host_only) = match &c.domain {
                    CookieDomain::HostOnly(h) => (h.clone(), true),
                    CookieDomain::Suffix(s) => (s.clone(), false),
                    // The store never keeps these (insert requires a domain); shown as is.
                    CookieDomain::NotPresent | CookieDomain::Empty => (String::new(), false),
                };
                let expires = match c.expires {
                    CookieExpiration::AtUtc(t) => Some(unix_time(t)),
                    CookieExpiration::SessionEnd => None,
                };
                StoredCookie {
                    name: c.name().as_bytes().to_vec(),
                    value: c.value().as_bytes().to_vec(),
                    domain,
                    path: String::from(&c.path).into_bytes(),
                    host_only,
                    secure: c.secure().unwrap_or(false),
                    http_only: c.http_only().unwrap_or(false),
                    // cookie_store stores the attribute but never acts on it.
                    same_site: match c.same_site() {
                        Some(cookie::SameSite::Strict) => SameSiteName::Strict,
                        Some(cookie::SameSite::Lax) => SameSiteName::Lax,
                        Some(cookie::SameSite::None) => SameSiteName::None,
                        None => SameSiteName::Default,
                    },
                    persistent: expires.is_some(),
                    expires,
                    partition_key: None,
                }
            })
            .collect();
        Ok(Some(cookies))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cookie_conformance::case::CaseConfig;

    /// A target over a two-rule list, so that the tests need no system file.
    fn target() -> CookieStoreTarget {
        let list: publicsuffix::List = "// ===BEGIN ICANN DOMAINS===\ncom\nco.uk\n".parse().unwrap();
        CookieStoreTarget { with_psl: CookieStore::new_with_public_suffix(Some(list)), without_psl: None, use_psl: true }
    }

    fn setup(reject_public_suffixes: bool) -> Setup {
        let options = CaseConfig { reject_public_suffixes: Some(reject_public_suffixes), ..CaseConfig::default() };
        Setup {
            profile: Profile::Rfc6265bis,
            config: options.jar_config(Profile::Rfc6265bis),
            options,
            start: 0,
            case: "t".into(),
        }
    }

    fn set(t: &mut CookieStoreTarget, url: &str, lines: &[&[u8]]) {
        let lines: Vec<Vec<u8>> = lines.iter().map(|l| l.to_vec()).collect();
        t.set_cookies(url, &lines, &Context::http(), 0).unwrap();
    }

    fn header(t: &mut CookieStoreTarget, url: &str) -> Option<String> {
        t.cookie_header(url, &Context::http(), 0).unwrap().map(|h| String::from_utf8(h).unwrap())
    }

    #[test]
    fn lines_that_are_not_utf8_or_do_not_parse_are_skipped_like_reqwest() {
        let mut t = target();
        t.reset(&setup(true)).unwrap();
        set(&mut t, "https://a.example/", &[b"x=caf\xe9", b"nameless", b"=v", b"ok=1"]);
        assert_eq!(header(&mut t, "https://a.example/").as_deref(), Some("ok=1"));
    }

    #[test]
    fn responses_reach_the_jar_as_hyper_parses_them() {
        let mut t = target();
        t.reset(&setup(true)).unwrap();
        set(&mut t, "https://a.example/", &[b"good=1"]);
        assert_eq!(header(&mut t, "https://a.example/").as_deref(), Some("good=1"));
        // A control character other than HTAB: hyper refuses the whole response.
        let refused = t.set_cookies("https://a.example/", &[b"bad=x\x01y".to_vec()], &Context::http(), 0);
        assert!(matches!(&refused, Err(TargetError::Unsupported(why)) if why.contains("hyper")), "{refused:?}");
        // A bare LF ends the field, as on the wire; what follows is a field of its own.
        set(&mut t, "https://a.example/", &[b"lf=1\nX-Other: y"]);
        let mut sent: Vec<String> = header(&mut t, "https://a.example/").unwrap().split("; ").map(str::to_owned).collect();
        sent.sort();
        assert_eq!(sent, ["good=1", "lf=1"]);
        assert_eq!(delivered(&[b"a=1\nX: y".to_vec(), b"b=2".to_vec()]).unwrap(), [b"a=1".to_vec(), b"b=2".to_vec()]);
        assert!(delivered(&vec![b"c=1".to_vec(); HYPER_MAX_HEADERS]).is_err(), "more fields than hyper takes");
        // reqwest has no WebSocket client.
        assert!(matches!(t.set_cookies("wss://a.example/", &[b"w=1".to_vec()], &Context::http(), 0), Err(TargetError::Unsupported(_))));
        assert!(valid_header_value(b"a=\tb\x80\xff"));
        assert!(!valid_header_value(b"a=\x7f"));
    }

    #[test]
    fn public_suffix_rejection_follows_the_case_option() {
        let mut t = target();
        t.reset(&setup(true)).unwrap();
        set(&mut t, "https://www.a.com/", &[b"a=1; Domain=com"]);
        assert_eq!(header(&mut t, "https://www.a.com/"), None);
        t.reset(&setup(false)).unwrap();
        set(&mut t, "https://www.a.com/", &[b"a=1; Domain=com"]);
        assert_eq!(header(&mut t, "https://other.com/").as_deref(), Some("a=1"));
        // reset empties the store.
        t.reset(&setup(false)).unwrap();
        assert_eq!(header(&mut t, "https://other.com/"), None);
    }

    #[test]
    fn dump_maps_the_fields() {
        let mut t = target();
        t.reset(&setup(true)).unwrap();
        set(&mut t, "https://www.a.example/dir/page", &[b"h=1; Secure; HttpOnly; SameSite=Lax", b"d=2; Domain=a.example; Path=/; Max-Age=60"]);
        let mut dump = t.dump(0).unwrap().unwrap();
        dump.sort_by(|a, b| a.name.cmp(&b.name));
        let (d, h) = (&dump[0], &dump[1]);
        assert_eq!((d.name.as_slice(), d.domain.as_str(), d.path.as_slice(), d.host_only), (&b"d"[..], "a.example", &b"/"[..], false));
        assert!(d.persistent && d.expires.is_some());
        assert_eq!((h.domain.as_str(), h.path.as_slice(), h.host_only), ("www.a.example", &b"/dir"[..], true));
        assert!(h.secure && h.http_only && !h.persistent);
        assert_eq!(h.same_site, SameSiteName::Lax);
        assert_eq!(h.expires, None);
    }

    #[test]
    fn unparseable_urls_and_the_script_api_are_unsupported() {
        let mut t = target();
        t.reset(&setup(true)).unwrap();
        let err = t.cookie_header("not a url", &Context::http(), 0).unwrap_err();
        assert!(matches!(err, TargetError::Unsupported(ref m) if m.contains("does not parse")), "{err}");
        let script = Context { api: Api::NonHttp, ..Context::http() };
        assert!(matches!(t.cookie_header("https://a.example/", &script, 0), Err(TargetError::Unsupported(_))));
    }

    #[test]
    fn a_missing_list_is_a_clear_error() {
        let err = load_list("/nonexistent/psl.dat").unwrap_err().to_string();
        assert!(err.contains("cannot read /nonexistent/psl.dat"), "{err}");
        assert!(err.contains("publicsuffix") && err.contains(PSL_ENV), "{err}");
    }
}
