//! Classifying a difference between a target's Cookie header and the reference jar's, using the
//! reference jar's explanations: a cookie the target sends but the reference does not was
//! rejected (a [`Rejection`], with its section) or left out (an [`Exclusion`], with its
//! section) by the reference, or parsed differently; a cookie the reference sends but the target
//! does not is classified from the target's stored cookies when it can list them, else from what
//! the cookie's line carries.

use std::fmt;

use reference_jar::{Cookie, Exclusion, Rejection, SetOutcome};

use super::oracle::{serialize, ExpectRecord, LineRecord, OracleTrace};
use cookie_conformance::compare::pairs;
use cookie_conformance::target::StoredCookie;

/// What kind of rule a difference is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Class {
    /// The cookie-name was parsed differently (§5.6 steps 2-4), or a nameless cookie.
    ParseName,
    /// The cookie-value was parsed differently (§5.6 steps 2-4).
    ParseValue,
    /// An attribute was parsed differently (§5.6.1-§5.6.7, attribute steps 1-8).
    ParseAttribute,
    /// Domain: host canonicalization, public suffixes, domain-match (§5.1.2, §5.1.3, §5.7
    /// steps 7-10, §5.8.3).
    Domain,
    /// Path: default-path, path-match (§5.1.4, §5.6.4, §5.7 step 11).
    Path,
    /// Secure (§5.7 steps 12-13 and 16, §5.8.3).
    Secure,
    /// HttpOnly (§5.7 steps 14-15 and 23).
    HttpOnly,
    /// Cookie name prefixes (§5.4, §5.7 steps 20-22).
    Prefix,
    /// SameSite (§5.6.7, §5.7 steps 17-19, §5.8.3).
    SameSite,
    /// Expiry: Expires, Max-Age, the age cap (§5.5, §5.6.1, §5.6.2, §5.7 step 6).
    Expiry,
    /// The order of the cookie-pairs (§5.8.3 step 4, a SHOULD).
    Order,
    /// Which cookie replaces which (§5.7 step 23), or duplicates.
    Identity,
    /// Size limits (§5.6 step 5, §6.1) and eviction.
    Limit,
    /// CHIPS partitions and third-party policies (§7.1).
    Partition,
    /// The target failed or panicked.
    Error,
}

impl Class {
    /// The class as written in signatures and quirk files.
    pub fn name(self) -> &'static str {
        match self {
            Class::ParseName => "parse:name",
            Class::ParseValue => "parse:value",
            Class::ParseAttribute => "parse:attribute",
            Class::Domain => "domain",
            Class::Path => "path",
            Class::Secure => "secure",
            Class::HttpOnly => "httponly",
            Class::Prefix => "prefix",
            Class::SameSite => "samesite",
            Class::Expiry => "expiry",
            Class::Order => "order",
            Class::Identity => "identity",
            Class::Limit => "limit",
            Class::Partition => "partition",
            Class::Error => "error",
        }
    }

    /// The section of 6265bis-22 a difference of this class is about, when the reference jar
    /// gives no more precise one.
    pub fn section(self) -> &'static str {
        match self {
            Class::ParseName | Class::ParseValue => "5.6",
            Class::ParseAttribute => "5.6",
            Class::Domain => "5.7 step 10",
            Class::Path => "5.1.4",
            Class::Secure => "5.7 step 13",
            Class::HttpOnly => "5.7 step 15",
            Class::Prefix => "5.4",
            Class::SameSite => "5.8.3",
            Class::Expiry => "5.7 step 6",
            Class::Order => "5.8.3 step 4",
            Class::Identity => "5.7 step 23",
            Class::Limit => "6.1",
            Class::Partition => "7.1",
            Class::Error => "5",
        }
    }
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Whether the target sends a cookie-pair the reference does not, or omits one it sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Direction {
    /// The target sends it, the reference does not (`+`).
    Extra,
    /// The reference sends it, the target does not (`-`).
    Missing,
    /// Neither: the same pairs in another order, or an error.
    Neither,
}

impl Direction {
    /// `+`, `-` or nothing.
    pub fn sign(self) -> &'static str {
        match self {
            Direction::Extra => "+",
            Direction::Missing => "-",
            Direction::Neither => "",
        }
    }
}

/// One classified difference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diff {
    /// Which way.
    pub direction: Direction,
    /// The class.
    pub class: Class,
    /// The reference jar's reason (a `Rejection`/`Exclusion` code, or a short word), if any.
    pub reason: Option<String>,
    /// The section of the rule the reference jar applied (without "§").
    pub section: String,
    /// The cookie-pair concerned (empty for order and errors).
    pub pair: Vec<u8>,
    /// The Set-Cookie line it came from, if known.
    pub line: Option<Vec<u8>>,
    /// That line's place in the scenario: (step, index in the step).
    pub origin: Option<(usize, usize)>,
}

impl Diff {
    /// The signature label: `+domain(PublicSuffix)`, `-parse:value`, `order`.
    pub fn label(&self) -> String {
        match &self.reason {
            Some(r) => format!("{}{}({r})", self.direction.sign(), self.class),
            None => format!("{}{}", self.direction.sign(), self.class),
        }
    }
}

/// The class of a rejection.
pub fn rejection_class(r: Rejection, line: Option<&LineRecord>) -> Class {
    use Rejection::*;
    match r {
        ControlCharacter => match line.and_then(|l| l.pair.as_ref()) {
            Some((n, _)) if n.iter().any(|&b| is_ctl(b)) => Class::ParseName,
            Some((_, v)) if v.iter().any(|&b| is_ctl(b)) => Class::ParseValue,
            _ => Class::ParseAttribute,
        },
        NameValueTooLong => Class::Limit,
        EmptyNameAndValue | NamelessIgnoredByRfc6265 => Class::ParseName,
        DomainNotAscii | HostNotCanonical | PublicSuffix | DomainMismatch | DomainNotAHost | BadRequestUri => Class::Domain,
        SecureFromInsecureOrigin | OverlaysSecureCookie => Class::Secure,
        HttpOnlyFromNonHttp | OverwritesHttpOnly => Class::HttpOnly,
        SameSiteFromCrossSiteDocument | SameSiteFromCrossSiteRequest | SameSiteNoneWithoutSecure => Class::SameSite,
        SecurePrefix | HostPrefix | HttpPrefix | HostHttpPrefix | NamelessWithPrefixValue => Class::Prefix,
        ThirdPartyBlocked | PartitionedWithoutSecure => Class::Partition,
    }
}

/// The class of an exclusion and its short code.
pub fn exclusion_class(e: Exclusion) -> (Class, &'static str) {
    match e {
        Exclusion::HostOnlyMismatch => (Class::Domain, "HostOnlyMismatch"),
        Exclusion::DomainMismatch => (Class::Domain, "DomainMismatch"),
        Exclusion::PublicSuffixDomain => (Class::Domain, "PublicSuffixDomain"),
        Exclusion::PathMismatch => (Class::Path, "PathMismatch"),
        Exclusion::SecureOnly => (Class::Secure, "SecureOnly"),
        Exclusion::HttpOnly => (Class::HttpOnly, "HttpOnly"),
        Exclusion::SameSite(_) => (Class::SameSite, "SameSite"),
        Exclusion::PartitionMismatch => (Class::Partition, "PartitionMismatch"),
        Exclusion::ThirdPartyBlocked => (Class::Partition, "ThirdPartyBlocked"),
    }
}

fn strip_section(s: &str) -> String {
    s.trim_start_matches('§').to_owned()
}

fn is_ctl(b: u8) -> bool {
    b < 0x20 || b == 0x7f
}

/// RFC 6265 §4.1.1 cookie-octet: what a strict server-side grammar allows in a value.
fn is_cookie_octet(b: u8) -> bool {
    matches!(b, 0x21 | 0x23..=0x2B | 0x2D..=0x3A | 0x3C..=0x5B | 0x5D..=0x7E)
}

/// RFC 9110 tchar: what a strict grammar allows in a name.
fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// The class of an attribute's bytes (as generated: separator, name, "=", value), by its name.
pub fn attribute_class(bytes: &[u8]) -> Class {
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim_start_matches(|c: char| c == ';' || c == ',' || c.is_whitespace());
    let name = text.split(['=', ';']).next().unwrap_or("").trim().to_ascii_lowercase();
    match name.as_str() {
        "domain" => Class::Domain,
        "path" => Class::Path,
        "secure" => Class::Secure,
        "httponly" => Class::HttpOnly,
        "max-age" | "expires" => Class::Expiry,
        "samesite" => Class::SameSite,
        "partitioned" => Class::Partition,
        _ => Class::ParseAttribute,
    }
}

/// Text with whitespace (any Unicode White_Space) and control characters trimmed from both
/// ends: what lenient parsers make of a name or value.
fn loose(b: &[u8]) -> String {
    String::from_utf8_lossy(b).trim_matches(|c: char| c.is_whitespace() || c.is_control()).to_owned()
}

/// Splits a cookie-pair into name and value (no "=": a nameless cookie).
pub fn split_pair(p: &[u8]) -> (&[u8], &[u8]) {
    match p.iter().position(|&b| b == b'=') {
        Some(i) => (&p[..i], &p[i + 1..]),
        None => (&p[..0], p),
    }
}

/// Compares a target's answer at one `expect` with the reference's, and classifies each
/// difference. `dump` is the target's storage at that moment, when it can list it. Returns
/// nothing when the answers are the same (for `script`, no header and "" are the same).
pub fn classify(
    trace: &OracleTrace,
    expect: &ExpectRecord,
    answer: &Option<Vec<u8>>,
    script: bool,
    dump: Option<&[StoredCookie]>,
) -> Vec<Diff> {
    let reference = expect.retrieval.cookie_string.as_deref().filter(|s| !(script && s.is_empty()));
    let actual = answer.as_deref().filter(|s| !(script && s.is_empty()));
    if reference == actual {
        return Vec::new();
    }
    let rp = reference.map(pairs).unwrap_or_default();
    let tp = actual.map(pairs).unwrap_or_default();
    let mut missing: Vec<&[u8]> = rp.clone();
    let mut extra: Vec<&[u8]> = Vec::new();
    for p in &tp {
        if let Some(i) = missing.iter().position(|m| m == p) {
            missing.remove(i);
        } else {
            extra.push(p);
        }
    }
    if missing.is_empty() && extra.is_empty() {
        // Only "no header" vs "empty header" or the order differ.
        let class = if rp.is_empty() { Class::ParseValue } else { Class::Order };
        return vec![Diff {
            direction: Direction::Neither,
            class,
            reason: rp.is_empty().then(|| "empty-header".to_owned()),
            section: class.section().to_owned(),
            pair: Vec::new(),
            line: None,
            origin: None,
        }];
    }
    let mut diffs = Vec::new();
    let lines_before: Vec<&LineRecord> = trace.lines.iter().filter(|l| l.step < expect.step).collect();
    // No header at all, while the target holds a cookie with a control character (which
    // §5.6 step 1 refuses): an HTTP client drops a Cookie header it cannot send.
    if actual.is_none() {
        if let Some(bad) = dump.and_then(|d| d.iter().find(|c| c.name.iter().chain(&c.value).any(|&b| is_ctl(b) && b != b'\t'))) {
            let pair = serialize(&bad.name, &bad.value);
            let line = lines_before.iter().rev().find(|l| l.serialized().as_deref() == Some(&pair[..])).copied();
            return vec![diff(Direction::Missing, Class::ParseValue, Some("HeaderDroppedForControlCharacter"), "5.6 step 1", &pair, line)];
        }
    }
    for p in &extra {
        diffs.push(classify_extra(p, expect, &lines_before, &rp));
    }
    for p in &missing {
        // A pair of the same name that the target sends instead explains it already.
        let (name, _) = split_pair(p);
        if extra.iter().any(|e| split_pair(e).0 == name) {
            continue;
        }
        let index = rp.iter().position(|r| r == p).unwrap_or(0);
        diffs.push(classify_missing(p, index, expect, &lines_before, dump));
    }
    diffs
}

fn diff(direction: Direction, class: Class, reason: Option<&str>, section: &str, pair: &[u8], line: Option<&LineRecord>) -> Diff {
    Diff {
        direction,
        class,
        reason: reason.map(str::to_owned),
        section: strip_section(section),
        pair: pair.to_vec(),
        line: line.map(|l| l.bytes.clone()),
        origin: line.map(|l| (l.step, l.index)),
    }
}

/// What became of a line the reference parsed to `p`.
fn fate(p: &[u8], line: &LineRecord, lines: &[&LineRecord]) -> Diff {
    let ex = Direction::Extra;
    match line.outcome {
        SetOutcome::Rejected(r) => diff(ex, rejection_class(r, Some(line)), Some(r.code()), r.section(), p, Some(line)),
        SetOutcome::Stored { expired: true, .. } => diff(ex, Class::Expiry, Some("AlreadyExpired"), "5.7 step 6", p, Some(line)),
        SetOutcome::Stored { .. } => {
            let name = line.pair.as_ref().map(|x| &x.0);
            let later = lines
                .iter()
                .find(|l| (l.step, l.index) > (line.step, line.index) && l.pair.as_ref().map(|x| &x.0) == name)
                .copied();
            match later {
                // A later line of that name: its fate explains why this one is gone.
                Some(l) if !l.bytes.is_ascii() && std::str::from_utf8(&l.bytes).is_err() => {
                    diff(ex, Class::Identity, Some("ReplacedByNotUtf8"), "5.7 step 23", p, Some(l))
                }
                Some(l) if matches!(l.outcome, SetOutcome::Stored { expired: true, .. }) => {
                    diff(ex, Class::Expiry, Some("DeletedByExpiredCookie"), "5.7 step 23", p, Some(l))
                }
                Some(l) => diff(ex, Class::Identity, Some("Replaced"), "5.7 step 23", p, Some(l)),
                None => diff(ex, Class::Expiry, Some("Expired"), "5.7 step 6", p, Some(line)),
            }
        }
    }
}

/// The target sends `p`; the reference does not.
fn classify_extra(p: &[u8], expect: &ExpectRecord, lines: &[&LineRecord], sent: &[&[u8]]) -> Diff {
    let ex = Direction::Extra;
    let related = |l: &&LineRecord| l.at.family == expect.at.family;
    // Lines that parse to this pair, latest first, those whose name is the pair's name before
    // nameless ones whose value merely looks like it.
    let mut producers: Vec<&LineRecord> =
        lines.iter().rev().filter(|l| l.serialized().as_deref() == Some(p)).copied().collect();
    producers.sort_by_key(|l| l.pair.as_ref().is_some_and(|(n, _)| n.is_empty() && !split_pair(p).0.is_empty()));
    // 1. A cookie the reference holds and left out at this request.
    for c in expect.jar.iter().filter(|c| serialize(c.name(), c.value()) == p) {
        if let Some((_, why)) = expect
            .retrieval
            .excluded
            .iter()
            .find(|(r, _)| r.name == c.name() && r.domain == c.domain() && r.path == c.path() && r.host_only == c.host_only)
        {
            let (class, code) = exclusion_class(*why);
            return diff(ex, class, Some(code), why.section(), p, producers.first().copied());
        }
    }
    // 2. A line from a related host that the reference rejected.
    if let Some(line) = producers.iter().find(|l| related(l) && matches!(l.outcome, SetOutcome::Rejected(_))) {
        return fate(p, line, lines);
    }
    // 3. A line that reads as this pair once whitespace and control characters around the name
    //    and the value are trimmed: the target trims more than §5.6 step 4 (space and tab).
    let (name, value) = split_pair(p);
    let (lname, lvalue) = (loose(name), loose(value));
    let loosely = lines.iter().rev().filter(|l| related(l)).find(|l| {
        l.serialized().as_deref() != Some(p) && l.pair.as_ref().is_some_and(|(n, v)| loose(n) == lname && loose(v) == lvalue)
    });
    if let Some(line) = loosely {
        let class = if line.pair.as_ref().is_some_and(|(n, _)| n == name) { Class::ParseValue } else { Class::ParseName };
        let reason = match line.outcome {
            SetOutcome::Rejected(r @ (Rejection::ControlCharacter | Rejection::NameValueTooLong | Rejection::EmptyNameAndValue)) => {
                Some(r.code())
            }
            _ => None,
        };
        return diff(ex, class, reason, "5.6 step 4", p, Some(line));
    }
    if sent.contains(&p) {
        return diff(ex, Class::Identity, Some("Duplicate"), "5.7 step 23", p, producers.first().copied());
    }
    if let Some(line) = producers.iter().find(|l| related(l)) {
        if !expect.jar.iter().any(|c| serialize(c.name(), c.value()) == p) {
            return fate(p, line, lines);
        }
    }
    // 4. Same name, another value: the target parsed the value differently.
    let same_name = lines.iter().rev().filter(|l| related(l)).find(|l| l.pair.as_ref().is_some_and(|(n, _)| n == name)).copied();
    if let Some(line) = same_name {
        return diff(ex, Class::ParseValue, None, "5.6", p, Some(line));
    }
    // 5. A cookie of an unrelated host.
    if expect.jar.iter().any(|c| serialize(c.name(), c.value()) == p) {
        return diff(ex, Class::Domain, Some("NotADomainOfTheHost"), "5.8.3 step 3 (domain)", p, producers.first().copied());
    }
    if let Some(line) = producers.first() {
        return fate(p, line, lines);
    }
    let same_value = lines.iter().find(|l| l.pair.as_ref().is_some_and(|(_, v)| v == value)).copied();
    diff(ex, Class::ParseName, None, "5.6", p, same_value)
}

/// The reference sends `p` (the `index`-th pair of its cookie-string); the target does not.
fn classify_missing(
    p: &[u8],
    index: usize,
    expect: &ExpectRecord,
    lines: &[&LineRecord],
    dump: Option<&[StoredCookie]>,
) -> Diff {
    let mi = Direction::Missing;
    let producer = lines
        .iter()
        .rev()
        .find(|l| l.serialized().as_deref() == Some(p) && matches!(l.outcome, SetOutcome::Stored { .. }))
        .copied();
    // The reference's cookies that serialize as `p`; when several do, the one the target does
    // not hold (or, held alike, a Secure one on an insecure request) is the one it left out.
    let _ = index;
    let candidates: Vec<&Cookie> = expect
        .retrieval
        .included
        .iter()
        .filter_map(|r| {
            expect.jar.iter().find(|c| c.name() == r.name && c.domain() == r.domain && c.path() == r.path && c.host_only == r.host_only)
        })
        .filter(|c| serialize(c.name(), c.value()) == p)
        .collect();
    let held_alike = |c: &Cookie| {
        dump.is_some_and(|d| {
            d.iter().any(|s| s.name == c.name() && s.value == c.value() && s.path == c.path() && s.host_only == c.host_only)
        })
    };
    let cookie: Option<&Cookie> = candidates
        .iter()
        .find(|c| dump.is_some() && !held_alike(c))
        .or_else(|| candidates.iter().find(|c| c.secure_only && expect.at.scheme == super::scenario::Scheme::Http))
        .or_else(|| candidates.first())
        .copied();
    let producer = cookie
        .and_then(|c| {
            lines
                .iter()
                .rev()
                .find(|l| {
                    l.pair.as_ref().is_some_and(|(n, v)| *n == c.name() && *v == c.value())
                        && matches!(l.outcome, SetOutcome::Stored { .. })
                })
                .copied()
        })
        .or(producer);
    // With the target's storage: compare the cookie it holds under that name.
    if let (Some(dump), Some(c)) = (dump, cookie) {
        // Fewer cookies of this name and value than the reference holds: the target merged
        // cookies the reference keeps apart (§5.7 step 23 identity).
        let held = dump.iter().filter(|s| s.name == c.name() && s.value == c.value()).count();
        let reference_holds = expect.jar.iter().filter(|x| x.name() == c.name() && x.value() == c.value()).count();
        if held > 0 && held < reference_holds {
            return diff(mi, Class::Identity, Some("Merged"), "5.7 step 23", p, producer);
        }
        let same_name: Vec<&StoredCookie> = dump.iter().filter(|s| s.name == c.name()).collect();
        if let Some(s) = same_name.iter().find(|s| s.value == c.value()) {
            // The target may hold it from a later line the reference refused: that refusal is
            // the difference.
            let refused_later = lines.iter().rev().find(|l| {
                l.pair.as_ref().is_some_and(|(n, v)| *n == c.name() && *v == c.value())
                    && matches!(l.outcome, SetOutcome::Rejected(_))
                    && producer.is_none_or(|p| (l.step, l.index) > (p.step, p.index))
            });
            if let Some(l) = refused_later {
                if let SetOutcome::Rejected(r) = l.outcome {
                    return diff(mi, rejection_class(r, Some(l)), Some(r.code()), r.section(), p, Some(l));
                }
            }
            // (The dump lists unexpired cookies only, so expiry cannot explain a cookie held
            // but not sent; HttpOnly only matters to the script API.)
            let class = if s.domain != c.domain() || s.host_only != c.host_only {
                Class::Domain
            } else if s.path != c.path() {
                Class::Path
            } else if s.secure != c.secure_only {
                Class::Secure
            } else if s.http_only != c.http_only && expect.ctx.script {
                Class::HttpOnly
            } else {
                // Stored alike, not sent: the target's retrieval differs.
                return diff(mi, retrieval_class(expect, c), Some("NotSent"), "5.8.3 step 3", p, producer);
            };
            return diff(mi, class, Some("StoredDifferently"), class.section(), p, producer);
        }
        if !same_name.is_empty() {
            return diff(mi, Class::Identity, Some("OtherValue"), "5.7 step 23", p, producer);
        }
        return not_stored(p, producer, lines, Some("NotStored"));
    }
    not_stored(p, producer, lines, None)
}

/// The reference stored `p` from `producer`; the target does not hold it.
fn not_stored(p: &[u8], producer: Option<&LineRecord>, lines: &[&LineRecord], reason: Option<&str>) -> Diff {
    let mi = Direction::Missing;
    if let Some(line) = producer {
        if std::str::from_utf8(&line.bytes).is_err() {
            return diff(mi, Class::ParseValue, Some("NotUtf8"), "5.6", p, Some(line));
        }
        // An unusual name or value explains a refusal better than a later line.
        let class = line_class(Some(line));
        if matches!(class, Class::ParseName | Class::ParseValue) {
            return diff(mi, class, reason, class.section(), p, Some(line));
        }
        // A later line of the same name (give or take trimming) may have removed it: if the
        // reference refused that line, the refusal is the difference.
        let name = line.pair.as_ref().map(|x| loose(&x.0));
        let later = lines
            .iter()
            .find(|l| {
                (l.step, l.index) > (line.step, line.index)
                    && l.at.family == line.at.family
                    && l.pair.as_ref().map(|x| loose(&x.0)) == name
            })
            .copied();
        if let Some(l) = later {
            if let SetOutcome::Rejected(r) = l.outcome {
                return diff(mi, rejection_class(r, Some(l)), Some(r.code()), r.section(), p, Some(l));
            }
            let class = if l.attrs.expiry { Class::Expiry } else { Class::Identity };
            return diff(mi, class, Some("RemovedByLaterLine"), class.section(), p, Some(l));
        }
    }
    let class = line_class(producer);
    diff(mi, class, reason, class.section(), p, producer)
}

/// The likeliest reason a target leaves out a cookie it stored as the reference did.
fn retrieval_class(expect: &ExpectRecord, c: &Cookie) -> Class {
    if c.secure_only {
        Class::Secure
    } else if c.path().len() > 1 {
        Class::Path
    } else if !expect.ctx.is_default() {
        Class::SameSite
    } else {
        Class::Domain
    }
}

/// The likeliest reason a target refuses a line the reference stored, from what it carries.
fn line_class(line: Option<&LineRecord>) -> Class {
    let Some(line) = line else { return Class::Identity };
    if let Some((n, v)) = &line.pair {
        if n.is_empty() || !n.iter().all(|&b| is_tchar(b)) {
            return Class::ParseName;
        }
        if !v.iter().all(|&b| is_cookie_octet(b)) {
            return Class::ParseValue;
        }
        if n.starts_with(b"__") {
            return Class::Prefix;
        }
    }
    let host = line.at.host();
    let a = line.attrs;
    if a.domain {
        Class::Domain
    } else if a.expiry {
        Class::Expiry
    } else if line.at.family != 0 || host.bytes().any(|b| b.is_ascii_uppercase()) || host.ends_with('.') {
        Class::Domain
    } else if a.path {
        Class::Path
    } else if a.secure {
        Class::Secure
    } else if a.same_site || !line.ctx.is_default() {
        Class::SameSite
    } else {
        Class::ParseAttribute
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Ctx, Line, Place, Scenario, Scheme, Step};
    use reference_jar::Config;

    fn trace(lines: &[&[u8]], expect_at: Place) -> OracleTrace {
        let s = Scenario {
            steps: vec![
                Step::Set { at: Place::SIMPLEST, ctx: Ctx::default(), lines: lines.iter().map(|l| Line::literal(l)).collect() },
                Step::Expect { at: expect_at, ctx: Ctx::default() },
            ],
        };
        OracleTrace::replay(&s, &Config::default())
    }

    fn labels(d: &[Diff]) -> Vec<String> {
        d.iter().map(Diff::label).collect()
    }

    #[test]
    fn same_answers_have_no_diff() {
        let t = trace(&[b"a=1"], Place::SIMPLEST);
        assert!(classify(&t, &t.expects[0], &Some(b"a=1".to_vec()), false, None).is_empty());
    }

    #[test]
    fn extra_cookies_carry_the_reference_reason() {
        let t = trace(&[b"a=1; Domain=com", b"b=2; Path=/x"], Place::SIMPLEST);
        let d = classify(&t, &t.expects[0], &Some(b"a=1; b=2".to_vec()), false, None);
        assert_eq!(labels(&d), ["+domain(PublicSuffix)", "+path(PathMismatch)"]);
        assert_eq!(d[0].section, "5.7 step 9");
        assert_eq!(d[0].line.as_deref(), Some(&b"a=1; Domain=com"[..]));
    }

    #[test]
    fn secure_exclusion_over_http() {
        let http = Place { scheme: Scheme::Http, ..Place::SIMPLEST };
        let t = trace(&[b"a=1; Secure"], http);
        let d = classify(&t, &t.expects[0], &Some(b"a=1".to_vec()), false, None);
        assert_eq!(labels(&d), ["+secure(SecureOnly)"]);
    }

    #[test]
    fn order_and_parse_differences() {
        let t = trace(&[b"a=1", b"b=2"], Place::SIMPLEST);
        assert_eq!(labels(&classify(&t, &t.expects[0], &Some(b"b=2; a=1".to_vec()), false, None)), ["order"]);
        let t = trace(&[b"a=\"1\""], Place::SIMPLEST);
        // The target strips the quotes: one extra pair of the same name explains the missing one.
        assert_eq!(labels(&classify(&t, &t.expects[0], &Some(b"a=1".to_vec()), false, None)), ["+parse:value"]);
        // Trimming NBSP or a vertical tab.
        let t = trace(&[b"a=\xc2\xa01", b"b=\x0b"], Place::SIMPLEST);
        assert_eq!(
            labels(&classify(&t, &t.expects[0], &Some(b"a=1; b=".to_vec()), false, None)),
            ["+parse:value", "+parse:value(ControlCharacter)"]
        );
        let t = trace(&[b"\na=1"], Place::SIMPLEST);
        assert_eq!(labels(&classify(&t, &t.expects[0], &Some(b"a=1".to_vec()), false, None)), ["+parse:name(ControlCharacter)"]);
        let t = trace(&[b"a b=1"], Place::SIMPLEST);
        assert_eq!(labels(&classify(&t, &t.expects[0], &None, false, None)), ["-parse:name"]);
    }

    #[test]
    fn control_characters_rejected_by_the_reference() {
        let t = trace(&[b"a=1\x01"], Place::SIMPLEST);
        assert_eq!(labels(&classify(&t, &t.expects[0], &Some(b"a=1\x01".to_vec()), false, None)), ["+parse:value(ControlCharacter)"]);
    }

    #[test]
    fn missing_with_a_dump() {
        let t = trace(&[b"a=1; Domain=example.com"], Place::SIMPLEST);
        let stored = StoredCookie {
            name: b"a".to_vec(),
            value: b"1".to_vec(),
            domain: "example.com".into(),
            path: b"/".to_vec(),
            host_only: true,
            secure: false,
            http_only: false,
            same_site: cookie_conformance::case::SameSiteName::Default,
            persistent: false,
            expires: None,
            partition_key: None,
        };
        let d = classify(&t, &t.expects[0], &None, false, Some(&[stored]));
        assert_eq!(labels(&d), ["-domain(StoredDifferently)"]);
        let d = classify(&t, &t.expects[0], &None, false, Some(&[]));
        assert_eq!(labels(&d), ["-domain(NotStored)"]);
        // A later line of that name, refused by the reference, may have removed it.
        let t = trace(&[b"a=1", b"a=2\x01; Max-Age=0"], Place::SIMPLEST);
        assert_eq!(labels(&classify(&t, &t.expects[0], &None, false, Some(&[]))), ["-parse:value(ControlCharacter)"]);
    }
}
