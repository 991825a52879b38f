//! The scenario model shared by the CLI fuzzer and the cargo-fuzz targets: a short sequence of
//! responses setting cookies, requests reading them, and clock advances, over a small graph of
//! hosts ([`dict::FAMILIES`]) and Set-Cookie lines built from token dictionaries.
//!
//! A scenario is generated from bytes through [`arbitrary::Unstructured`] (the CLI feeds it a
//! seeded generator, libFuzzer feeds it its own input) and converts losslessly to a
//! [`cookie_conformance::case::Case`] ([`Scenario::to_case`]), so every finding prints as a YAML case of the
//! corpus format.

use std::fmt;
use std::sync::OnceLock;

use arbitrary::{Arbitrary, Unstructured};
use reference_jar::{Api, Context, SiteForCookies};

use super::dict::{self, AttrKind, FAMILIES, PATHS};
use cookie_conformance::case::{ApiName, Case, CaseContext, CheckedUrl, CookieExpectation, ExpectStep, SetStep, Site, Step as CaseStep};
use cookie_conformance::clock::Duration;
use cookie_conformance::target::Capabilities;

/// The most steps a generated scenario has (the minimizer only removes).
pub const MAX_STEPS: usize = 8;
/// The most Set-Cookie lines in one response.
pub const MAX_LINES: usize = 3;
/// The most attributes the generator appends to a line.
pub const MAX_ATTRIBUTES: usize = 6;

/// `http` or `https`: whether the request-uri is "secure" (§5.7 step 13, §5.8.3 step 3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Arbitrary)]
pub enum Scheme {
    /// `https`.
    Https,
    /// `http`.
    Http,
}

impl Scheme {
    /// The scheme as written in a URL.
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Https => "https",
            Scheme::Http => "http",
        }
    }

    fn flipped(self) -> Scheme {
        match self {
            Scheme::Https => Scheme::Http,
            Scheme::Http => Scheme::Https,
        }
    }
}

/// A request-uri: a scheme, a host of the graph, a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Place {
    /// The scheme.
    pub scheme: Scheme,
    /// The index into [`dict::FAMILIES`].
    pub family: u8,
    /// The index into the family's `hosts`.
    pub host: u8,
    /// The index into [`dict::PATHS`].
    pub path: u8,
}

/// The largest family, for the URL table.
fn max_hosts() -> usize {
    FAMILIES.iter().map(|f| f.hosts.len()).max().unwrap_or(1)
}

impl Place {
    /// The simplest place: `https://example.com/`.
    pub const SIMPLEST: Place = Place { scheme: Scheme::Https, family: 0, host: 0, path: 0 };

    /// The host as written in the URL.
    pub fn host(&self) -> &'static str {
        FAMILIES[usize::from(self.family)].hosts[usize::from(self.host)]
    }

    /// The URL (from a table built once: scenarios run by the hundred thousand).
    pub fn url(&self) -> &'static str {
        static TABLE: OnceLock<Vec<String>> = OnceLock::new();
        let table = TABLE.get_or_init(|| {
            let mh = max_hosts();
            let mut t = vec![String::new(); 2 * FAMILIES.len() * mh * PATHS.len()];
            for (si, scheme) in [Scheme::Https, Scheme::Http].into_iter().enumerate() {
                for (fi, f) in FAMILIES.iter().enumerate() {
                    for (hi, h) in f.hosts.iter().enumerate() {
                        for (pi, p) in PATHS.iter().enumerate() {
                            t[((si * FAMILIES.len() + fi) * mh + hi) * PATHS.len() + pi] =
                                format!("{}://{h}{p}", scheme.as_str());
                        }
                    }
                }
            }
            t
        });
        &table[self.index()]
    }

    /// The URL parsed as the reference jar parses a request-uri (cached like [`Place::url`]);
    /// `None` when [`reference_jar::RequestUri::parse`] refuses it.
    pub fn request_uri(&self) -> Option<&'static reference_jar::RequestUri> {
        static TABLE: OnceLock<Vec<Option<reference_jar::RequestUri>>> = OnceLock::new();
        let table = TABLE.get_or_init(|| {
            let mut t = Vec::new();
            for scheme in [Scheme::Https, Scheme::Http] {
                for (fi, f) in FAMILIES.iter().enumerate() {
                    for hi in 0..max_hosts() {
                        for pi in 0..PATHS.len() {
                            t.push((hi < f.hosts.len()).then(|| {
                                let p = Place { scheme, family: fi as u8, host: hi as u8, path: pi as u8 };
                                reference_jar::RequestUri::parse(p.url()).ok()
                            }).flatten());
                        }
                    }
                }
            }
            t
        });
        table[self.index()].as_ref()
    }

    fn index(&self) -> usize {
        let si = usize::from(self.scheme == Scheme::Http);
        ((si * FAMILIES.len() + usize::from(self.family)) * max_hosts() + usize::from(self.host)) * PATHS.len()
            + usize::from(self.path)
    }

    fn generate(u: &mut Unstructured<'_>, family: u8, earlier: &[Place]) -> arbitrary::Result<Place> {
        // Half the time a place seen before: cookies are read where they were set.
        if !earlier.is_empty() && chance(u, 128)? {
            return Ok(earlier[u.choose_index(earlier.len())?]);
        }
        let family = if chance(u, 32)? { u.choose_index(FAMILIES.len())? as u8 } else { family };
        let hosts = FAMILIES[usize::from(family)].hosts.len();
        // Simpler entries more often.
        let host = if chance(u, 128)? { 0 } else { u.choose_index(hosts)? as u8 };
        let path = if chance(u, 96)? { 0 } else { u.choose_index(PATHS.len())? as u8 };
        let scheme = if chance(u, 64)? { Scheme::Http } else { Scheme::Https };
        Ok(Place { scheme, family, host, path })
    }
}

/// The client's site for cookies, relative to the request (§5.2).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Arbitrary)]
pub enum SiteKind {
    /// No client: same-site (§5.2 criterion 2).
    #[default]
    NoClient,
    /// The request's own origin.
    SameOrigin,
    /// The family's first host (same registrable domain for most families), same scheme.
    SameSite,
    /// The same host with the other scheme (schemeful same-site, §5.2).
    OtherScheme,
    /// Another site (`https://other.org/`, or `https://example.com/` from other.org).
    CrossSite,
    /// An opaque origin (§5.2.1).
    Opaque,
}

/// The request method (§5.6.7.1: safe methods).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Arbitrary)]
pub enum Method {
    /// GET.
    #[default]
    Get,
    /// POST (unsafe).
    Post,
    /// HEAD (safe).
    Head,
    /// PUT (unsafe).
    Put,
    /// `get`: methods are case-sensitive, so this is not a safe method.
    LowerGet,
}

impl Method {
    /// The method as sent.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Head => "HEAD",
            Method::Put => "PUT",
            Method::LowerGet => "get",
        }
    }
}

/// The context of a step (§5.2): API, site for cookies, navigation, method.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Arbitrary)]
pub struct Ctx {
    /// A non-HTTP API (`document.cookie`, §5.8.2).
    pub script: bool,
    /// The site for cookies.
    pub site: SiteKind,
    /// A top-level navigation.
    pub navigation: bool,
    /// The method.
    pub method: Method,
}

impl Ctx {
    /// The site-for-cookies URL for a request to `at`, if the context names one.
    fn site_url(&self, at: Place) -> Option<String> {
        let family = &FAMILIES[usize::from(at.family)];
        match self.site {
            SiteKind::NoClient | SiteKind::Opaque => None,
            SiteKind::SameOrigin => Some(format!("{}://{}/", at.scheme.as_str(), at.host())),
            SiteKind::SameSite => Some(format!("{}://{}/", at.scheme.as_str(), family.hosts[0])),
            SiteKind::OtherScheme => Some(format!("{}://{}/", at.scheme.flipped().as_str(), at.host())),
            SiteKind::CrossSite => {
                let other = if usize::from(at.family) == dict::other_family() { "example.com" } else { "other.org" };
                Some(format!("https://{other}/"))
            }
        }
    }

    /// The reference jar's context for a request to `at`; equal to
    /// `self.to_case(at).to_reference()` (tested), built without the detour.
    pub fn to_reference(&self, at: Place) -> Context {
        Context {
            api: if self.script { Api::NonHttp } else { Api::Http },
            site_for_cookies: match (self.site, self.site_url(at)) {
                (SiteKind::Opaque, _) => SiteForCookies::Opaque,
                (_, Some(url)) => SiteForCookies::Origin(url),
                (_, None) => SiteForCookies::NoClient,
            },
            top_level_navigation: self.navigation,
            method: self.method.as_str().to_owned(),
            top_level: None,
        }
    }

    /// The case format's context for a request to `at`.
    pub fn to_case(&self, at: Place) -> CaseContext {
        CaseContext {
            api: if self.script { ApiName::Script } else { ApiName::Http },
            site: match (self.site, self.site_url(at)) {
                (SiteKind::Opaque, _) => Some(Site::Opaque),
                (_, Some(url)) => Some(Site::Url(CheckedUrl(url))),
                (_, None) => None,
            },
            navigation: self.navigation,
            method: (self.method != Method::Get).then(|| self.method.as_str().to_owned()),
            top_level: None,
        }
    }

    /// Whether this is the default context (HTTP, no client, GET, no navigation).
    pub fn is_default(&self) -> bool {
        *self == Ctx::default()
    }

    fn generate(u: &mut Unstructured<'_>) -> arbitrary::Result<Ctx> {
        if chance(u, 96)? {
            Ctx::arbitrary(u)
        } else {
            Ok(Ctx::default())
        }
    }
}

/// One token of a Set-Cookie line.
#[derive(Clone, PartialEq, Eq, Hash)]
pub enum Tok {
    /// A dictionary entry.
    S(&'static [u8]),
    /// Bytes (the minimizer turns dictionary entries into bytes to shorten them).
    B(Vec<u8>),
    /// `len` copies of `byte`: values near the size limits.
    Run {
        /// The byte.
        byte: u8,
        /// How many.
        len: u16,
    },
}

impl Tok {
    /// The number of bytes.
    pub fn len(&self) -> usize {
        match self {
            Tok::S(s) => s.len(),
            Tok::B(b) => b.len(),
            Tok::Run { len, .. } => usize::from(*len),
        }
    }

    /// Whether the token is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Appends the bytes.
    pub fn write(&self, out: &mut Vec<u8>) {
        match self {
            Tok::S(s) => out.extend_from_slice(s),
            Tok::B(b) => out.extend_from_slice(b),
            Tok::Run { byte, len } => out.resize(out.len() + usize::from(*len), *byte),
        }
    }

    /// The bytes.
    pub fn bytes(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(self.len());
        self.write(&mut v);
        v
    }
}

impl fmt::Debug for Tok {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tok::Run { byte, len } => write!(f, "{:?}×{len}", char::from(*byte)),
            t => write!(f, "\"{}\"", cookie_conformance::bytes::escape(&t.bytes())),
        }
    }
}

/// A Set-Cookie field value: the name-value-pair's tokens, then one token list per attribute
/// (each starting, as generated, with a separator such as `"; "`). The bytes are the
/// concatenation of every token, so any byte string is representable and the minimizer may
/// drop separators too.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct Line {
    /// The tokens before the first attribute.
    pub head: Vec<Tok>,
    /// The attributes' tokens.
    pub attrs: Vec<Vec<Tok>>,
}

impl Line {
    /// A line of one literal: `Line::literal(b"a=b")`.
    pub fn literal(bytes: &[u8]) -> Line {
        Line { head: vec![Tok::B(bytes.to_vec())], attrs: Vec::new() }
    }

    /// Appends the bytes.
    pub fn write(&self, out: &mut Vec<u8>) {
        for t in self.head.iter().chain(self.attrs.iter().flatten()) {
            t.write(out);
        }
    }

    /// The set-cookie-string.
    pub fn bytes(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(self.len());
        self.write(&mut v);
        v
    }

    /// The length in bytes.
    pub fn len(&self) -> usize {
        self.head.iter().chain(self.attrs.iter().flatten()).map(Tok::len).sum()
    }

    /// Whether the line is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every token list (head first), for the minimizer.
    pub fn lists_mut(&mut self) -> impl Iterator<Item = &mut Vec<Tok>> {
        std::iter::once(&mut self.head).chain(self.attrs.iter_mut())
    }

    /// Generates a line whose Domain values favour `family`.
    pub fn generate(u: &mut Unstructured<'_>, family: u8) -> arbitrary::Result<Line> {
        let mut head = Vec::with_capacity(4);
        match u.int_in_range(0u8..=99)? {
            // name=value, the usual shape
            0..=64 => {
                head.push(Tok::S(pick_biased(u, dict::NAMES)?));
                head.push(Tok::S(b"="));
                head.push(Tok::S(pick_biased(u, dict::VALUES)?));
            }
            // no "=": a nameless cookie (§5.6 step 3)
            65..=71 => head.push(Tok::S(pick_biased(u, dict::VALUES)?)),
            // "=value"
            72..=75 => {
                head.push(Tok::S(b"="));
                head.push(Tok::S(pick_biased(u, dict::VALUES)?));
            }
            // near the 4096-octet name+value limit (§5.6 step 5)
            76..=80 => {
                let name_len = *u.choose(&[1u16, 2, 96, 1024, 4096])?;
                head.push(Tok::Run { byte: b'n', len: name_len });
                head.push(Tok::S(b"="));
                let total = *u.choose(&[4094u16, 4095, 4096, 4097, 4098])?;
                head.push(Tok::Run { byte: b'v', len: total.saturating_sub(name_len) });
            }
            // several tokens on each side
            _ => {
                head.push(Tok::S(pick(u, dict::NAMES)?));
                head.push(Tok::S(pick(u, dict::NAMES)?));
                head.push(Tok::S(pick(u, dict::EQUALS)?));
                head.push(Tok::S(pick(u, dict::VALUES)?));
                head.push(Tok::S(pick(u, dict::VALUES)?));
            }
        }
        if chance(u, 40)? {
            let at = u.choose_index(head.len() + 1)?;
            head.insert(at, Tok::S(pick(u, dict::SPICE)?));
        }
        let mut attrs = Vec::new();
        while attrs.len() < MAX_ATTRIBUTES && chance(u, 170)? {
            attrs.push(attribute(u, family)?);
        }
        Ok(Line { head, attrs })
    }
}

/// One attribute: separator, name in some spelling, "=", a value of the attribute's kind.
fn attribute(u: &mut Unstructured<'_>, family: u8) -> arbitrary::Result<Vec<Tok>> {
    const WEIGHTS: [(AttrKind, u8); 9] = [
        (AttrKind::Domain, 20),
        (AttrKind::Path, 18),
        (AttrKind::Secure, 14),
        (AttrKind::HttpOnly, 6),
        (AttrKind::MaxAge, 12),
        (AttrKind::Expires, 12),
        (AttrKind::SameSite, 10),
        (AttrKind::Partitioned, 3),
        (AttrKind::Other, 5),
    ];
    let total: u32 = WEIGHTS.iter().map(|(_, w)| u32::from(*w)).sum();
    let mut roll = u.int_in_range(0..=total - 1)?;
    let mut kind = AttrKind::Other;
    for (k, w) in WEIGHTS {
        if roll < u32::from(w) {
            kind = k;
            break;
        }
        roll -= u32::from(w);
    }
    let spellings = dict::ATTRIBUTES.iter().find(|(k, _)| *k == kind).map_or(&[][..], |(_, s)| *s);
    let mut toks = Vec::with_capacity(6);
    toks.push(Tok::S(if chance(u, 200)? { b"; " } else { pick(u, dict::SEPARATORS)? }));
    if let Some(first) = spellings.first() {
        toks.push(Tok::S(if chance(u, 190)? { first } else { pick(u, spellings)? }));
    }
    let valueless = matches!(kind, AttrKind::Secure | AttrKind::HttpOnly | AttrKind::Partitioned);
    if valueless && chance(u, 220)? {
        // no value
    } else {
        toks.push(Tok::S(if chance(u, 210)? { b"=" } else { pick(u, dict::EQUALS)? }));
        match kind {
            AttrKind::Domain => {
                let f = if chance(u, 64)? { u.choose_index(FAMILIES.len())? } else { usize::from(family) };
                toks.push(Tok::S(pick_biased_str(u, FAMILIES[f].domains)?));
            }
            AttrKind::Path => {
                if chance(u, 10)? {
                    toks.push(Tok::S(b"/"));
                    let len = *u.choose(&[1021u16, 1022, 1023, 1024, 1025])?;
                    toks.push(Tok::Run { byte: b'p', len });
                } else {
                    toks.push(Tok::S(pick_biased(u, dict::PATH_VALUES)?));
                }
            }
            AttrKind::MaxAge => toks.push(Tok::S(pick_biased(u, dict::MAX_AGE_VALUES)?)),
            AttrKind::Expires => date(u, &mut toks)?,
            AttrKind::SameSite => toks.push(Tok::S(pick_biased(u, dict::SAMESITE_VALUES)?)),
            AttrKind::Secure | AttrKind::HttpOnly | AttrKind::Partitioned | AttrKind::Other => {
                if chance(u, 8)? {
                    let len = *u.choose(&[1023u16, 1024, 1025])?;
                    toks.push(Tok::Run { byte: b'x', len });
                } else {
                    toks.push(Tok::S(pick(u, dict::OTHER_VALUES)?));
                }
            }
        }
    }
    if chance(u, 20)? {
        let at = u.int_in_range(1..=toks.len())?;
        toks.insert(at, Tok::S(pick(u, dict::SPICE)?));
    }
    Ok(toks)
}

/// A cookie-date (§5.1.1) in one of several layouts, from fragments.
fn date(u: &mut Unstructured<'_>, toks: &mut Vec<Tok>) -> arbitrary::Result<()> {
    let year = |u: &mut Unstructured<'_>| -> arbitrary::Result<&'static [u8]> {
        if chance(u, 48)? {
            pick(u, dict::NEAR_YEARS)
        } else {
            pick_biased(u, dict::FAR_YEARS)
        }
    };
    let delim = |u: &mut Unstructured<'_>, usual: &'static [u8]| -> arbitrary::Result<&'static [u8]> {
        if chance(u, 220)? {
            Ok(usual)
        } else {
            pick(u, dict::DATE_DELIMITERS)
        }
    };
    match u.int_in_range(0u8..=9)? {
        // RFC 1123: Thu, 01 Jan 1970 00:00:00 GMT
        0..=3 => {
            toks.push(Tok::S(pick_biased(u, dict::WEEKDAYS)?));
            toks.push(Tok::S(pick_biased(u, dict::DAYS)?));
            toks.push(Tok::S(delim(u, b" ")?));
            toks.push(Tok::S(pick_biased(u, dict::MONTHS)?));
            toks.push(Tok::S(delim(u, b" ")?));
            toks.push(Tok::S(year(u)?));
            toks.push(Tok::S(delim(u, b" ")?));
            toks.push(Tok::S(pick_biased(u, dict::TIMES)?));
            toks.push(Tok::S(pick_biased(u, dict::ZONES)?));
        }
        // RFC 850: Thursday, 01-Jan-70 00:00:00 GMT
        4..=5 => {
            toks.push(Tok::S(b"Thursday, "));
            toks.push(Tok::S(pick_biased(u, dict::DAYS)?));
            toks.push(Tok::S(delim(u, b"-")?));
            toks.push(Tok::S(pick_biased(u, dict::MONTHS)?));
            toks.push(Tok::S(delim(u, b"-")?));
            toks.push(Tok::S(year(u)?));
            toks.push(Tok::S(b" "));
            toks.push(Tok::S(pick_biased(u, dict::TIMES)?));
            toks.push(Tok::S(b" GMT"));
        }
        // asctime: Thu Jan  1 00:00:00 1970
        6 => {
            toks.push(Tok::S(b"Thu "));
            toks.push(Tok::S(pick_biased(u, dict::MONTHS)?));
            toks.push(Tok::S(delim(u, b" ")?));
            toks.push(Tok::S(pick_biased(u, dict::DAYS)?));
            toks.push(Tok::S(b" "));
            toks.push(Tok::S(pick_biased(u, dict::TIMES)?));
            toks.push(Tok::S(delim(u, b" ")?));
            toks.push(Tok::S(year(u)?));
        }
        // ISO 8601 (not a cookie-date layout)
        7 => {
            toks.push(Tok::S(year(u)?));
            toks.push(Tok::S(b"-01-01T"));
            toks.push(Tok::S(pick_biased(u, dict::TIMES)?));
            toks.push(Tok::S(b"Z"));
        }
        // fragments in any order
        _ => {
            let n = u.int_in_range(2u8..=6)?;
            for i in 0..n {
                if i > 0 {
                    toks.push(Tok::S(pick(u, dict::DATE_DELIMITERS)?));
                }
                let fragment = match u.int_in_range(0u8..=4)? {
                    0 => pick(u, dict::DAYS)?,
                    1 => pick(u, dict::MONTHS)?,
                    2 => year(u)?,
                    3 => pick(u, dict::TIMES)?,
                    _ => pick(u, dict::WEEKDAYS)?,
                };
                toks.push(Tok::S(fragment));
            }
        }
    }
    Ok(())
}

/// One step of a scenario.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Step {
    /// A response from `at` carries these Set-Cookie lines (or, with a script context, these
    /// `document.cookie` assignments).
    Set {
        /// The request-uri.
        at: Place,
        /// The context.
        ctx: Ctx,
        /// The lines, in order.
        lines: Vec<Line>,
    },
    /// A request to `at`: every target's cookie-string is compared.
    Expect {
        /// The request-uri.
        at: Place,
        /// The context.
        ctx: Ctx,
    },
    /// The clock moves forward this many seconds.
    Advance(u32),
}

/// What a set of targets can all model: the generator's output is projected onto it
/// ([`Scenario::restrict`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Features {
    /// A virtual clock: `advance` steps and dates near the clock's start.
    pub clock: bool,
    /// Same-site contexts (site for cookies, navigation, method).
    pub contexts: bool,
    /// The script API.
    pub script: bool,
}

impl Features {
    /// Everything (the reference jar alone).
    pub const ALL: Features = Features { clock: true, contexts: true, script: true };

    /// What a target with these capabilities can model.
    pub fn of(caps: &Capabilities) -> Features {
        Features { clock: caps.virtual_clock, contexts: caps.same_site_contexts, script: caps.script_api }
    }

    /// What both can model.
    pub fn and(self, other: Features) -> Features {
        Features {
            clock: self.clock && other.clock,
            contexts: self.contexts && other.contexts,
            script: self.script && other.script,
        }
    }
}

/// A fuzz scenario: the steps of a case, without expectations (the reference jar supplies them).
///
/// Its `Debug` form is a runnable reproducer: the YAML case, with the reference jar's answers
/// as expectations (so `cargo fuzz fmt` prints a case ready for `cases/`).
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Scenario {
    /// The steps, in order.
    pub steps: Vec<Step>,
}

impl Scenario {
    /// Generates a scenario from bytes (what [`Arbitrary`] does; exposed for callers that hold
    /// an `Unstructured`).
    pub fn generate(u: &mut Unstructured<'_>) -> arbitrary::Result<Scenario> {
        let family = if chance(u, 100)? { 0 } else { u.choose_index(FAMILIES.len())? as u8 };
        let mut places: Vec<Place> = Vec::with_capacity(MAX_STEPS);
        let mut steps = Vec::with_capacity(MAX_STEPS);
        let first = Place::generate(u, family, &places)?;
        places.push(first);
        steps.push(Step::Set { at: first, ctx: Ctx::generate(u)?, lines: lines(u, family)? });
        while steps.len() < MAX_STEPS - 1 && chance(u, 190)? {
            let roll = u.int_in_range(0u8..=9)?;
            let at = Place::generate(u, family, &places)?;
            let step = match roll {
                0..=3 => {
                    places.push(at);
                    Step::Set { at, ctx: Ctx::generate(u)?, lines: lines(u, family)? }
                }
                4..=7 => Step::Expect { at, ctx: Ctx::generate(u)? },
                _ => {
                    let secs = if chance(u, 40)? { u.int_in_range(0u32..=100_000)? } else { *u.choose(dict::ADVANCES)? };
                    Step::Advance(secs)
                }
            };
            steps.push(step);
        }
        // Always end by reading: at the first place set (or a related one).
        if !matches!(steps.last(), Some(Step::Expect { .. })) {
            let at = if chance(u, 80)? { Place::generate(u, family, &[])? } else { first };
            steps.push(Step::Expect { at, ctx: Ctx::generate(u)? });
        }
        Ok(Scenario { steps })
    }

    /// Drops what `features` cannot model: advances and dates near the clock's start without a
    /// virtual clock, contexts, the script API.
    pub fn restrict(&mut self, features: Features) {
        if !features.clock {
            self.steps.retain(|s| !matches!(s, Step::Advance(_)));
        }
        for step in &mut self.steps {
            let (ctx, lines) = match step {
                Step::Set { ctx, lines, .. } => (ctx, Some(lines)),
                Step::Expect { ctx, .. } => (ctx, None),
                Step::Advance(_) => continue,
            };
            if !features.script {
                ctx.script = false;
            }
            if !features.contexts {
                let script = ctx.script;
                *ctx = Ctx { script, ..Ctx::default() };
            }
            if let (false, Some(lines)) = (features.clock, lines) {
                for line in lines.iter_mut() {
                    for list in line.lists_mut() {
                        for t in list.iter_mut() {
                            if let Tok::S(s) = t {
                                if let Some(i) = dict::NEAR_YEARS.iter().position(|y| y == s) {
                                    *t = Tok::S(dict::FAR_YEARS[i % dict::FAR_YEARS.len()]);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The number of Set-Cookie lines.
    pub fn line_count(&self) -> usize {
        self.steps.iter().map(|s| if let Step::Set { lines, .. } = s { lines.len() } else { 0 }).sum()
    }

    /// The case this scenario is, with `expected[i]` as the cookie-string of the i-th `expect`
    /// step (the reference jar's answers), under the rfc6265bis profile with the default
    /// configuration and clock start.
    pub fn to_case(&self, name: String, spec: Vec<String>, tags: Vec<String>, expected: &[Option<Vec<u8>>]) -> Case {
        let mut answers = expected.iter();
        let steps = self
            .steps
            .iter()
            .map(|s| match s {
                Step::Set { at, ctx, lines } => CaseStep::Set(SetStep {
                    url: at.url().to_owned(),
                    cookies: lines.iter().map(Line::bytes).collect(),
                    context: ctx.to_case(*at),
                }),
                Step::Expect { at, ctx } => CaseStep::Expect(ExpectStep {
                    url: Some(at.url().to_owned()),
                    context: ctx.to_case(*at),
                    cookie: Some(CookieExpectation::Exactly(
                        answers.next().cloned().flatten().map(cookie_conformance::bytes::Bytes),
                    )),
                    note: None,
                    stored: None,
                }),
                Step::Advance(secs) => CaseStep::Advance(Duration(i64::from(*secs))),
            })
            .collect();
        Case {
            name,
            spec,
            tags,
            security: Vec::new(),
            profiles: vec![reference_jar::Profile::Rfc6265bis],
            config: Default::default(),
            now: None,
            steps,
            origin: Default::default(),
        }
    }
}

fn lines(u: &mut Unstructured<'_>, family: u8) -> arbitrary::Result<Vec<Line>> {
    let mut v = vec![Line::generate(u, family)?];
    while v.len() < MAX_LINES && chance(u, 60)? {
        v.push(Line::generate(u, family)?);
    }
    Ok(v)
}

impl<'a> Arbitrary<'a> for Scenario {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        Scenario::generate(u)
    }

    /// The same as [`Arbitrary::arbitrary`], so that libFuzzer inputs and the CLI's seeded
    /// buffers map to the same scenarios.
    fn arbitrary_take_rest(mut u: Unstructured<'a>) -> arbitrary::Result<Self> {
        Scenario::generate(&mut u)
    }
}

/// A line on its own (the parser fuzz target): generated like a scenario's lines.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct LineInput(pub Line);

impl<'a> Arbitrary<'a> for LineInput {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        let family = u.choose_index(FAMILIES.len())? as u8;
        Line::generate(u, family).map(LineInput)
    }

    fn arbitrary_take_rest(mut u: Unstructured<'a>) -> arbitrary::Result<Self> {
        LineInput::arbitrary(&mut u)
    }
}

/// True with probability `p`/256; false once the input is exhausted (so loops end).
fn chance(u: &mut Unstructured<'_>, p: u8) -> arbitrary::Result<bool> {
    let x: u8 = u.arbitrary()?;
    Ok(x > 255 - p)
}

/// Any entry.
fn pick<T: Copy>(u: &mut Unstructured<'_>, list: &[T]) -> arbitrary::Result<T> {
    u.choose(list).copied()
}

/// The first entry half the time (the lists are simplest first), else any.
fn pick_biased<T: Copy>(u: &mut Unstructured<'_>, list: &[T]) -> arbitrary::Result<T> {
    if chance(u, 128)? {
        pick(u, list)
    } else {
        list.first().copied().ok_or(arbitrary::Error::EmptyChoose)
    }
}

fn pick_biased_str(u: &mut Unstructured<'_>, list: &[&'static str]) -> arbitrary::Result<&'static [u8]> {
    pick_biased(u, list).map(str::as_bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::SplitMix64;

    pub(crate) fn scenario(seed: u64) -> Scenario {
        let mut buf = [0u8; 1024];
        SplitMix64::new(seed).fill(&mut buf);
        Scenario::generate(&mut Unstructured::new(&buf)).unwrap()
    }

    #[test]
    fn generation_is_deterministic_and_ends_with_an_expect() {
        for seed in 0..500 {
            let s = scenario(seed);
            assert_eq!(s, scenario(seed));
            assert!(matches!(s.steps.last(), Some(Step::Expect { .. })), "{s:?}");
            assert!(matches!(s.steps.first(), Some(Step::Set { .. })));
            assert!(s.steps.len() <= MAX_STEPS);
        }
    }

    #[test]
    fn exhausted_input_gives_a_small_scenario() {
        let s = Scenario::generate(&mut Unstructured::new(&[])).unwrap();
        assert_eq!(s.steps.len(), 2, "{s:?}");
        let Step::Set { lines, .. } = &s.steps[0] else { panic!() };
        assert_eq!(lines[0].bytes(), b"a=1");
    }

    #[test]
    fn contexts_convert_like_the_case_format() {
        for seed in 0..300 {
            let mut buf = [0u8; 64];
            SplitMix64::new(seed).fill(&mut buf);
            let mut u = Unstructured::new(&buf);
            let ctx = Ctx::arbitrary(&mut u).unwrap();
            let at = Place::generate(&mut u, (seed % FAMILIES.len() as u64) as u8, &[]).unwrap();
            assert_eq!(ctx.to_case(at).to_reference(), ctx.to_reference(at), "{ctx:?} {at:?}");
        }
    }

    #[test]
    fn restrict_removes_what_targets_cannot_model() {
        let none = Features { clock: false, contexts: false, script: false };
        for seed in 0..300 {
            let mut s = scenario(seed);
            s.restrict(none);
            for step in &s.steps {
                match step {
                    Step::Advance(_) => panic!("advance kept"),
                    Step::Set { ctx, lines, .. } => {
                        assert!(ctx.is_default());
                        for l in lines {
                            for t in l.head.iter().chain(l.attrs.iter().flatten()) {
                                assert!(!matches!(t, Tok::S(s) if dict::NEAR_YEARS.contains(s)));
                            }
                        }
                    }
                    Step::Expect { ctx, .. } => assert!(ctx.is_default()),
                }
            }
        }
    }

    #[test]
    fn request_uris_come_from_the_table() {
        for (f, family) in FAMILIES.iter().enumerate() {
            for h in 0..family.hosts.len() {
                let p = Place { scheme: Scheme::Http, family: f as u8, host: h as u8, path: 1 };
                assert_eq!(p.request_uri().cloned(), reference_jar::RequestUri::parse(p.url()).ok(), "{}", p.url());
            }
        }
    }

    #[test]
    fn urls_come_from_the_table() {
        let p = Place { scheme: Scheme::Http, family: 1, host: 1, path: 3 };
        assert_eq!(p.url(), "http://www.example.co.uk/a/b");
        assert_eq!(Place::SIMPLEST.url(), "https://example.com/");
    }

    #[test]
    fn to_case_is_lossless() {
        for seed in 0..100 {
            let s = scenario(seed);
            let expects = s.steps.iter().filter(|s| matches!(s, Step::Expect { .. })).count();
            let answers: Vec<Option<Vec<u8>>> = (0..expects).map(|i| (i % 2 == 0).then(|| b"a=1".to_vec())).collect();
            let case = s.to_case("x".into(), vec!["5.6".into()], vec![], &answers);
            assert_eq!(case.steps.len(), s.steps.len());
            for (cs, ss) in case.steps.iter().zip(&s.steps) {
                match (cs, ss) {
                    (CaseStep::Set(c), Step::Set { at, ctx, lines }) => {
                        assert_eq!(c.url, at.url());
                        assert_eq!(c.context.to_reference(), ctx.to_reference(*at));
                        assert_eq!(c.cookies, lines.iter().map(Line::bytes).collect::<Vec<_>>());
                    }
                    (CaseStep::Expect(c), Step::Expect { at, ctx }) => {
                        assert_eq!(c.url.as_deref(), Some(at.url()));
                        assert_eq!(c.context.to_reference(), ctx.to_reference(*at));
                    }
                    (CaseStep::Advance(d), Step::Advance(secs)) => assert_eq!(d.seconds(), i64::from(*secs)),
                    other => panic!("step kinds differ: {other:?}"),
                }
            }
        }
    }
}
