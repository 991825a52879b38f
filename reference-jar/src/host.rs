//! §5.1.2 "Canonicalized Host Names".
//!
//! The spec's algorithm, for a host name:
//!
//! 1. convert it to a sequence of labels;
//! 2. fail unless every label is a U-label, an A-label or an NR-LDH label (RFC 5890 §2.3.1);
//! 3. convert each U-label to its A-label (RFC 5890 §2.3.2.1);
//! 4. fail if any label is a Fake A-label;
//! 5. join the labels with ".".
//!
//! The spec says nothing about IP addresses, yet a request-host can be one. [`canonicalize`]
//! therefore recognizes IP literals first and gives them their canonical text (IPv4 dotted
//! decimal; IPv6 per RFC 5952 inside brackets), so that §5.1.3 domain-match can tell them apart.
//!
//! Decisions the spec leaves open, each explained where it is made:
//! - a trailing dot (the explicit root label) is kept: see [`canonicalize`];
//! - a host whose last label is a number is an IPv4 address or nothing (WHATWG URL "ends in a
//!   number"), never a domain name;
//! - U-label validity is checked with the `idna` crate's UTS #46 processing in its strictest
//!   mode (STD3 rules, CheckHyphens, CheckBidi, CheckJoiners) and *without* mapping: a label
//!   UTS #46 would have to map (uppercase, compatibility characters) is not a U-label.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use idna::uts46::{AsciiDenyList, DnsLength, Hyphens, Uts46};

/// RFC 1034 §3.1 / RFC 5890 §2.3.1: no DNS label exceeds 63 octets.
const MAX_LABEL_OCTETS: usize = 63;

/// RFC 5890 §2.3.1: the ACE prefix that starts every XN-label (and so every A-label).
const ACE_PREFIX: &str = "xn--";

/// What kind of host a [`CanonicalHost`] is (§5.1.3 distinguishes host names from IP
/// addresses).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HostKind {
    /// A domain name: lowercase NR-LDH labels and A-labels separated by ".".
    Domain,
    /// An IPv4 address in dotted-decimal notation.
    Ipv4,
    /// An IPv6 address in RFC 5952 text form inside brackets, e.g. `[::1]`.
    Ipv6,
}

/// A host name canonicalized per §5.1.2 (or an IP address in canonical text).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CanonicalHost {
    /// The canonical text: lowercase ASCII.
    pub name: String,
    /// Whether `name` is a domain name or an IP address.
    pub kind: HostKind,
}

/// Why a label is neither a U-label, an A-label nor an NR-LDH label (§5.1.2 step 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LabelFault {
    /// An ASCII label with a character other than a letter, digit or hyphen (for instance an
    /// underscore): not an LDH label (RFC 5890 §2.3.1).
    NotLdh(char),
    /// An LDH label may not start or end with a hyphen (RFC 5890 §2.3.1, RFC 1123 §2.1).
    HyphenAtEdge,
    /// "--" in the third and fourth positions without the "xn--" prefix: a Reserved LDH label
    /// (R-LDH), which is not an NR-LDH label and cannot be an A-label (RFC 5890 §2.3.1).
    ReservedLdh,
    /// A non-ASCII label that IDNA2008 validity rules reject (disallowed code point, hyphen
    /// rules of RFC 5891 §4.2.3.1, Bidi or joiner rules), so it is not a U-label.
    NotULabel,
    /// A non-ASCII label that is not in the form IDNA processing would produce (uppercase or a
    /// compatibility character that UTS #46 maps, not NFC): not a U-label as it stands.
    UnmappedULabel,
}

impl fmt::Display for LabelFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LabelFault::NotLdh(c) => write!(f, "it contains {c:?}, which is not a letter, digit or hyphen"),
            LabelFault::HyphenAtEdge => f.write_str("it starts or ends with a hyphen"),
            LabelFault::ReservedLdh => {
                f.write_str("it has \"--\" in its third and fourth positions (a reserved LDH label)")
            }
            LabelFault::NotULabel => f.write_str("IDNA2008 validity rules reject it as a U-label"),
            LabelFault::UnmappedULabel => {
                f.write_str("it is not in U-label form (IDNA processing would have to map it)")
            }
        }
    }
}

/// Why a host cannot be canonicalized (§5.1.2). Label positions (`index`) count from 0 at the
/// leftmost label.
#[derive(Debug, Clone, PartialEq, Eq, Hash, thiserror::Error)]
pub enum HostError {
    /// The host is empty, or is only the root label ".".
    #[error("the host is empty")]
    Empty,
    /// A label is empty ("a..b", ".a", "a.."): not a label of any kind (step 2).
    #[error("label {index} is empty")]
    EmptyLabel {
        /// Position of the label.
        index: usize,
    },
    /// A label is not a U-label, an A-label or an NR-LDH label (step 2).
    #[error("label {index} ({label:?}) is not a U-label, A-label or NR-LDH label: {fault}")]
    InvalidLabel {
        /// Position of the label.
        index: usize,
        /// The label as given.
        label: String,
        /// What disqualifies it.
        fault: LabelFault,
    },
    /// A label starts with "xn--" but is not a valid A-label: it does not decode as Punycode,
    /// decodes to something that is not a U-label, or does not round-trip (step 4, RFC 5890
    /// §2.3.2.1 "Fake A-label").
    #[error("label {index} ({label:?}) is a Fake A-label")]
    FakeALabel {
        /// Position of the label.
        index: usize,
        /// The label, lowercased.
        label: String,
    },
    /// A label (in its A-label form for a U-label) is longer than 63 octets (RFC 1034 §3.1,
    /// RFC 5890 §2.3.1).
    #[error("label {index} is {octets} octets long (at most 63 allowed)")]
    LabelTooLong {
        /// Position of the label.
        index: usize,
        /// Its length in octets (as given, or of its A-label for a U-label).
        octets: usize,
    },
    /// Every label is valid on its own but IDNA processing rejects the name as a whole (the
    /// Bidi rule of RFC 5893 applies to every label of a name that has a right-to-left label).
    #[error("IDNA processing rejects the host name as a whole (for instance the Bidi rule)")]
    Idna,
    /// The host looks like an IP address but is not a valid one: an unterminated or invalid
    /// bracketed IPv6 literal, an IPv6 address without brackets, or a name that ends in a
    /// number but is not an IPv4 address.
    #[error("invalid IP address literal {literal:?}: {reason}")]
    BadIpLiteral {
        /// The literal (shortened to 64 characters).
        literal: String,
        /// What is wrong with it.
        reason: &'static str,
    },
}

/// §5.1.2: canonicalizes `host`, the host of a URL as the `url` crate (WHATWG URL) yields it, or
/// a raw host name (uppercase ASCII and U-labels are accepted).
///
/// - IP literals: a bracketed IPv6 literal becomes its RFC 5952 form in brackets (std's
///   formatting: lowercase, longest zero run compressed, IPv4-mapped addresses as
///   `::ffff:a.b.c.d` per RFC 5952 §5); a dotted-quad IPv4 address stays dotted decimal. A host
///   whose last label is a number is, as in the WHATWG URL host parser, an IPv4 address in any
///   of that parser's notations (`0x7f.1`, `2130706433`) or invalid; never a domain name.
/// - Domain names: steps 1-5 as in the module docs. Labels are separated by U+002E only (other
///   dots are a mapping IDNA2008 leaves to applications; the URL parser already applied it).
///   ASCII labels are lowercased first: DNS compares them case-insensitively, and §5.1.3
///   expects canonical names in lower case.
/// - Trailing dot: it is the explicit root label (RFC 1034 §3.1: a complete domain name ends
///   with the null root label, printed as a trailing dot). IDNA does not classify the root
///   label (RFC 3490 §2 says so explicitly; RFC 5890 §2.3.1's label kinds are all non-empty),
///   so step 2 is not applied to it, and step 5 keeps it: "example.com." and "example.com"
///   stay different hosts, as they are different hosts (and origins) in WHATWG URL and in
///   browsers. Rejecting it instead would make every cookie of such a URL fail §5.7 step 2;
///   stripping it would merge two origins. Any other empty label fails.
///
/// Never panics; the result is idempotent (`canonicalize(&c.name) == Ok(c)`).
pub fn canonicalize(host: &str) -> Result<CanonicalHost, HostError> {
    if host.is_empty() {
        return Err(HostError::Empty);
    }
    if host.starts_with('[') {
        return ipv6_literal(host);
    }
    // Fast path: a strict dotted quad, as the URL parser serializes IPv4 addresses.
    if let Ok(addr) = host.parse::<Ipv4Addr>() {
        return Ok(CanonicalHost { name: addr.to_string(), kind: HostKind::Ipv4 });
    }
    if ends_in_a_number(host) {
        return whatwg_ipv4(host);
    }
    if host.contains(':') && host.parse::<Ipv6Addr>().is_ok() {
        return Err(bad_ip(host, "an IPv6 address must be written in brackets"));
    }
    domain_name(host)
}

impl CanonicalHost {
    /// Whether the host is a loopback host, which user agents commonly treat as "secure"
    /// (§5.7 step 13 and §5.8.3 leave "secure" to the user agent; W3C Secure Contexts count
    /// these as potentially trustworthy): "localhost" and names under ".localhost" (RFC 6761
    /// §6.3, with or without the trailing root dot), 127.0.0.0/8, and `[::1]`.
    pub fn is_loopback(&self) -> bool {
        match self.kind {
            HostKind::Domain => {
                let name = self.name.strip_suffix('.').unwrap_or(&self.name);
                name == "localhost" || name.ends_with(".localhost")
            }
            HostKind::Ipv4 => self.name.parse::<Ipv4Addr>().is_ok_and(|a| a.is_loopback()),
            HostKind::Ipv6 => self.name == "[::1]",
        }
    }
}

/// A bracketed IPv6 literal (RFC 3986 §3.2.2 IP-literal, without IPvFuture or zone ids, which
/// the URL standard rejects too).
fn ipv6_literal(host: &str) -> Result<CanonicalHost, HostError> {
    let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) else {
        return Err(bad_ip(host, "a bracketed IPv6 literal must end with ']'"));
    };
    match inner.parse::<Ipv6Addr>() {
        Ok(addr) => Ok(CanonicalHost { name: format!("[{addr}]"), kind: HostKind::Ipv6 }),
        Err(_) => Err(bad_ip(host, "not an IPv6 address")),
    }
}

/// WHATWG URL "ends in a number checker": after dropping one trailing empty label, the last
/// label is all ASCII digits or "0x"/"0X" followed by hex digits. The URL parser treats such a
/// host as IPv4 or rejects it, so it is never a domain name.
fn ends_in_a_number(host: &str) -> bool {
    let body = host.strip_suffix('.').unwrap_or(host);
    let last = body.rsplit('.').next().unwrap_or("");
    if !last.is_empty() && last.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    match last.get(..2) {
        Some("0x" | "0X") => last.bytes().skip(2).all(|b| b.is_ascii_hexdigit()),
        _ => false,
    }
}

/// IPv4 addresses in the WHATWG URL host parser's other notations (hex, octal, fewer parts,
/// a trailing dot): the `url` crate implements that parser.
fn whatwg_ipv4(host: &str) -> Result<CanonicalHost, HostError> {
    match url::Host::parse(host) {
        Ok(url::Host::Ipv4(addr)) => Ok(CanonicalHost { name: addr.to_string(), kind: HostKind::Ipv4 }),
        _ => Err(bad_ip(host, "the host ends in a number but is not an IPv4 address")),
    }
}

fn bad_ip(host: &str, reason: &'static str) -> HostError {
    HostError::BadIpLiteral { literal: excerpt(host), reason }
}

/// At most 64 characters of `s`, so that an error about a huge input stays small.
fn excerpt(s: &str) -> String {
    match s.char_indices().nth(64) {
        Some((end, _)) => format!("{}…", &s[..end]),
        None => s.to_owned(),
    }
}

/// Steps 1-5 for a domain name.
fn domain_name(host: &str) -> Result<CanonicalHost, HostError> {
    // The explicit root label (see `canonicalize`): not subject to step 2, restored at step 5.
    let (body, rooted) = match host.strip_suffix('.') {
        Some(body) => (body, true),
        None => (host, false),
    };
    if body.is_empty() {
        return Err(HostError::Empty);
    }
    let mut name = String::with_capacity(host.len());
    let mut has_idn = false;
    // Step 1: the labels. Steps 2-4 per label; step 5 joins them with ".".
    for (index, label) in body.split('.').enumerate() {
        if index > 0 {
            name.push('.');
        }
        has_idn |= push_label(label, index, &mut name)?;
    }
    // IDNA validity has one rule across labels: RFC 5893's Bidi rule binds every label of a
    // name that has a right-to-left label. Checking the whole A-label name once catches it.
    if has_idn && !is_valid_idna_name(&name) {
        return Err(HostError::Idna);
    }
    if rooted {
        name.push('.');
    }
    Ok(CanonicalHost { name, kind: HostKind::Domain })
}

/// Steps 2-4 for one label: appends its canonical (lowercase NR-LDH or A-label) form to `out`.
/// Returns whether it is an internationalized label (an A-label, given or converted).
fn push_label(label: &str, index: usize, out: &mut String) -> Result<bool, HostError> {
    if label.is_empty() {
        return Err(HostError::EmptyLabel { index });
    }
    if label.is_ascii() {
        if label.len() > MAX_LABEL_OCTETS {
            return Err(HostError::LabelTooLong { index, octets: label.len() });
        }
        let start = out.len();
        out.extend(label.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        return check_ascii_label(&out[start..], index);
    }
    // A non-ASCII label can only be a U-label. Its A-label is at least as many characters
    // long as it has code points (RFC 3492 §6.3 emits one or more digits per code point), so
    // an overlong label fails here, before quadratic Punycode work on a huge input.
    if label.chars().count() > MAX_LABEL_OCTETS {
        return Err(HostError::LabelTooLong { index, octets: label.len() });
    }
    // ASCII letters in a U-label are compared case-insensitively like any LDH letters.
    let lowered = label.to_ascii_lowercase();
    match u_label_to_a_label(&lowered) {
        // Step 3: the U-label becomes its A-label.
        Ok(a_label) if a_label.len() <= MAX_LABEL_OCTETS => {
            out.push_str(&a_label);
            Ok(true)
        }
        Ok(a_label) => Err(HostError::LabelTooLong { index, octets: a_label.len() }),
        Err(fault) => Err(HostError::InvalidLabel { index, label: label.to_owned(), fault }),
    }
}

/// Step 2 (and step 4 for "xn--" labels) for a lowercase ASCII label of 1-63 octets.
fn check_ascii_label(label: &str, index: usize) -> Result<bool, HostError> {
    let bytes = label.as_bytes();
    let xn = label.starts_with(ACE_PREFIX);
    // Any "xn--" label that is not a valid A-label is a Fake A-label (RFC 5890 §2.3.2.1), the
    // most useful thing to say about it, whichever LDH rule it breaks too.
    let fake = || HostError::FakeALabel { index, label: label.to_owned() };
    let invalid = |fault| HostError::InvalidLabel { index, label: label.to_owned(), fault };
    // LDH label (RFC 5890 §2.3.1): letters, digits, hyphen...
    if let Some(&b) = bytes.iter().find(|b| !(b.is_ascii_lowercase() || b.is_ascii_digit() || **b == b'-')) {
        return Err(if xn { fake() } else { invalid(LabelFault::NotLdh(char::from(b))) });
    }
    // ... with no hyphen at either end.
    if bytes.first() == Some(&b'-') || bytes.last() == Some(&b'-') {
        return Err(if xn { fake() } else { invalid(LabelFault::HyphenAtEdge) });
    }
    // "--" in positions 3-4 makes it a Reserved LDH label: only an A-label may be one.
    if bytes.get(2..4) == Some(b"--".as_slice()) {
        if !xn {
            return Err(invalid(LabelFault::ReservedLdh));
        }
        return if is_a_label(label) { Ok(true) } else { Err(fake()) };
    }
    // An NR-LDH label.
    Ok(false)
}

/// Whether a lowercase, LDH-syntax "xn--" label is an A-label (RFC 5890 §2.3.2.1): its
/// Punycode part decodes to a U-label (which has at least one non-ASCII character), and that
/// U-label converts back to exactly this label. Anything else is a Fake A-label (step 4).
fn is_a_label(label: &str) -> bool {
    let Some(payload) = label.strip_prefix(ACE_PREFIX) else { return false };
    let Some(u_label) = idna::punycode::decode_to_string(payload) else { return false };
    if u_label.is_ascii() {
        return false;
    }
    u_label_to_a_label(&u_label).is_ok_and(|a| a == label)
}

/// UTS #46 ToASCII in its strictest configuration: STD3 ASCII rules (letters, digits, hyphen
/// only), CheckHyphens (RFC 5891 §4.2.3.1), CheckBidi and CheckJoiners (always on in the
/// `idna` crate), nontransitional (ß, ς, ZWJ and ZWNJ are kept, as in IDNA2008).
fn strict_to_ascii(input: &str) -> Option<std::borrow::Cow<'_, str>> {
    Uts46::new()
        .to_ascii(input.as_bytes(), AsciiDenyList::STD3, Hyphens::Check, DnsLength::Ignore)
        .ok()
}

/// Step 3 (RFC 5890 §2.3.2.1): the A-label of a U-label, or why `u_label` is not one.
///
/// The `idna` crate implements UTS #46, not IDNA2008's tables (RFC 5892), so validity is
/// approximated: the label must pass [`strict_to_ascii`], and must be what UTS #46 mapping
/// leaves unchanged (its A-label decodes back to it). Known gap: some symbols (e.g. U+2603
/// SNOWMAN) are valid under UTS #46 but DISALLOWED under IDNA2008; they are accepted here.
fn u_label_to_a_label(u_label: &str) -> Result<String, LabelFault> {
    let a_label = strict_to_ascii(u_label).ok_or(LabelFault::NotULabel)?;
    // A mapping that produced ASCII only (fullwidth letters, U+3002 as a dot, ...) or a
    // different Unicode string means the input was not itself a U-label.
    let round_trips = a_label
        .strip_prefix(ACE_PREFIX)
        .and_then(idna::punycode::decode_to_string)
        .is_some_and(|decoded| decoded == u_label);
    if round_trips {
        Ok(a_label.into_owned())
    } else {
        Err(LabelFault::UnmappedULabel)
    }
}

/// The cross-label IDNA check of [`domain_name`] on an all-ASCII name.
fn is_valid_idna_name(name: &str) -> bool {
    strict_to_ascii(name).is_some_and(|a| a == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ok(host: &str) -> CanonicalHost {
        match canonicalize(host) {
            Ok(c) => c,
            Err(e) => panic!("{host:?} should canonicalize: {e}"),
        }
    }

    fn name(host: &str) -> String {
        ok(host).name
    }

    fn err(host: &str) -> HostError {
        match canonicalize(host) {
            Ok(c) => panic!("{host:?} should fail, got {c:?}"),
            Err(e) => e,
        }
    }

    fn fault(host: &str) -> LabelFault {
        match err(host) {
            HostError::InvalidLabel { fault, .. } => fault,
            e => panic!("{host:?}: expected InvalidLabel, got {e:?}"),
        }
    }

    fn is_fake(host: &str) -> bool {
        matches!(err(host), HostError::FakeALabel { .. })
    }

    #[test]
    fn ascii_nr_ldh_names_pass_unchanged() {
        assert_eq!(ok("example.com"), CanonicalHost { name: "example.com".into(), kind: HostKind::Domain });
        assert_eq!(name("a"), "a");
        assert_eq!(name("www.sub-domain.example"), "www.sub-domain.example");
        // RFC 1123 §2.1: a label may start with a digit.
        assert_eq!(name("3com.example"), "3com.example");
        // "--" anywhere but positions 3-4 keeps an LDH label non-reserved.
        assert_eq!(name("a--b.example"), "a--b.example");
        assert_eq!(name("abc--d.example"), "abc--d.example");
        assert_eq!(name("x-n.example"), "x-n.example");
    }

    #[test]
    fn uppercase_ascii_is_lowercased() {
        assert_eq!(name("EXAMPLE.Com"), "example.com");
        assert_eq!(name("WWW.Example.ORG"), "www.example.org");
        assert_eq!(name("LOCALHOST"), "localhost");
    }

    #[test]
    fn u_labels_become_a_labels() {
        // Step 3, RFC 5890 §2.3.2.1.
        assert_eq!(name("bücher.example"), "xn--bcher-kva.example");
        assert_eq!(name("Bücher.example"), "xn--bcher-kva.example");
        assert_eq!(name("例え.テスト"), "xn--r8jz45g.xn--zckzah");
        assert_eq!(name("www.食狮.中国"), "www.xn--85x722f.xn--fiqs8s");
        // Nontransitional processing keeps the IDNA2008-valid sharp s.
        assert_eq!(name("faß.de"), "xn--fa-hia.de");
        assert_eq!(ok("bücher.example").kind, HostKind::Domain);
    }

    #[test]
    fn labels_that_need_mapping_are_not_u_labels() {
        // Uppercase non-ASCII: UTS #46 would map Ü to ü; as given it is not a U-label.
        assert_eq!(fault("BÜCHER.example"), LabelFault::UnmappedULabel);
        // Fullwidth letters map to ASCII.
        assert_eq!(fault("ｅｘａｍｐｌｅ.com"), LabelFault::UnmappedULabel);
        // U+3002 IDEOGRAPHIC FULL STOP is not a label separator here.
        assert_eq!(fault("a。b"), LabelFault::UnmappedULabel);
        // Not NFC: u + COMBINING DIAERESIS.
        assert_eq!(fault("bu\u{308}cher.example"), LabelFault::UnmappedULabel);
    }

    #[test]
    fn invalid_u_labels_fail() {
        // A non-ASCII label with an underscore breaks the STD3 rules.
        assert_eq!(fault("bü_cher.example"), LabelFault::NotULabel);
        // RFC 5891 §4.2.3.1: no leading hyphen in a U-label.
        assert_eq!(fault("-bücher.example"), LabelFault::NotULabel);
        // A combining mark may not start a label (RFC 5891 §4.2.3.2).
        assert_eq!(fault("\u{308}a.example"), LabelFault::NotULabel);
        // Unassigned / disallowed code points.
        assert_eq!(fault("a\u{fffd}.example"), LabelFault::NotULabel);
        assert_eq!(fault("\u{0}ü.example"), LabelFault::NotULabel);
    }

    #[test]
    fn bidi_rule_applies_across_labels() {
        // A right-to-left label alone is fine...
        assert_eq!(name("a.\u{5d0}\u{5d1}"), "a.xn--4dbc");
        // ... but then an LTR label may not start with a digit (RFC 5893 rule 1).
        assert_eq!(err("0a.\u{5d0}\u{5d1}"), HostError::Idna);
        assert_eq!(err("\u{5d0}\u{5d1}.1a"), HostError::Idna);
    }

    #[test]
    fn a_labels_pass_and_are_lowercased() {
        assert_eq!(name("xn--bcher-kva.example"), "xn--bcher-kva.example");
        assert_eq!(name("XN--BCHER-KVA.EXAMPLE"), "xn--bcher-kva.example");
        assert_eq!(name("xn--r8jz45g.xn--zckzah"), "xn--r8jz45g.xn--zckzah");
    }

    #[test]
    fn fake_a_labels_fail() {
        // Step 4. Trailing hyphen: decodes to the ASCII "abc", not a U-label.
        assert!(is_fake("xn--abc-.example"));
        // Not a U-label when decoded.
        assert!(is_fake("xn--zz.example"));
        // Punycode decoding fails.
        assert!(is_fake("xn--.example"));
        assert!(is_fake("xn--99999999999.example"));
        // Decodes to ASCII only.
        assert!(is_fake("xn--abc.example"));
        assert!(is_fake("xn--abc-def.example"));
        // Decodes to a label starting with a combining mark (RFC 5891 §4.2.3.2).
        assert!(is_fake("xn--a-ecp.example"));
        // Decodes to "-" + Cyrillic: a hyphen at the start of the U-label.
        assert!(is_fake("xn----7sb.example"));
        // Not LDH.
        assert!(is_fake("xn--a_b.example"));
        assert!(is_fake("XN--A.example"));
    }

    #[test]
    fn valid_a_labels_for_other_u_labels_pass() {
        // Perturbed Punycode is often still the A-label of some other valid U-label; what
        // matters is that whatever passes round-trips.
        for label in ["xn--bcher-jua", "xn--bcher-kvaa", "xn--tda", "xn--zca"] {
            let c = ok(label);
            assert!(is_a_label(&c.name), "{label} passed without being an A-label");
        }
    }

    #[test]
    fn nr_ldh_rejections() {
        assert_eq!(fault("-example.com"), LabelFault::HyphenAtEdge);
        assert_eq!(fault("example-.com"), LabelFault::HyphenAtEdge);
        assert_eq!(fault("-"), LabelFault::HyphenAtEdge);
        assert_eq!(fault("foo_bar.example"), LabelFault::NotLdh('_'));
        assert_eq!(fault("_dmarc.example"), LabelFault::NotLdh('_'));
        assert_eq!(fault("a b.example"), LabelFault::NotLdh(' '));
        assert_eq!(fault("a%41.example"), LabelFault::NotLdh('%'));
        assert_eq!(fault("a*.example"), LabelFault::NotLdh('*'));
        // R-LDH labels: "--" in positions 3 and 4 without the "xn--" prefix.
        assert_eq!(fault("ab--cd.example"), LabelFault::ReservedLdh);
        assert_eq!(fault("ab--c.example"), LabelFault::ReservedLdh);
        assert_eq!(fault("XY--z.example"), LabelFault::ReservedLdh);
        // The failing label is named.
        assert_eq!(
            err("ok.foo_bar.example"),
            HostError::InvalidLabel { index: 1, label: "foo_bar".into(), fault: LabelFault::NotLdh('_') }
        );
    }

    #[test]
    fn label_length_limit() {
        let l63 = "a".repeat(63);
        let l64 = "a".repeat(64);
        assert_eq!(name(&format!("{l63}.example")), format!("{l63}.example"));
        assert_eq!(err(&format!("{l64}.example")), HostError::LabelTooLong { index: 0, octets: 64 });
        assert_eq!(err(&format!("x.{l64}")), HostError::LabelTooLong { index: 1, octets: 64 });
        // A U-label whose A-label exceeds 63 octets.
        // (Punycode compresses repeats, so use 30 distinct ideographs.)
        let long_u: String = (0..30u32).filter_map(|i| char::from_u32(0x4E00 + 97 * i)).collect();
        assert!(matches!(err(&format!("{long_u}.example")), HostError::LabelTooLong { index: 0, .. }));
        // A huge non-ASCII label fails fast.
        let huge_u = "ü".repeat(100_000);
        assert!(matches!(err(&huge_u), HostError::LabelTooLong { index: 0, .. }));
    }

    #[test]
    fn empty_labels() {
        assert_eq!(err(""), HostError::Empty);
        assert_eq!(err("."), HostError::Empty);
        assert_eq!(err(".."), HostError::EmptyLabel { index: 0 });
        assert_eq!(err(".example"), HostError::EmptyLabel { index: 0 });
        assert_eq!(err("a..b"), HostError::EmptyLabel { index: 1 });
        assert_eq!(err("example.com.."), HostError::EmptyLabel { index: 2 });
    }

    #[test]
    fn trailing_root_dot_is_kept() {
        assert_eq!(name("example.com."), "example.com.");
        assert_eq!(name("Example.COM."), "example.com.");
        assert_eq!(name("bücher.example."), "xn--bcher-kva.example.");
        assert_ne!(ok("example.com."), ok("example.com"));
    }

    #[test]
    fn ipv4_literals() {
        assert_eq!(ok("1.2.3.4"), CanonicalHost { name: "1.2.3.4".into(), kind: HostKind::Ipv4 });
        assert_eq!(ok("127.0.0.1").kind, HostKind::Ipv4);
        // WHATWG URL notations (the URL parser would already have converted these).
        assert_eq!(name("0x7f.1"), "127.0.0.1");
        assert_eq!(name("2130706433"), "127.0.0.1");
        assert_eq!(name("1.2.3.4."), "1.2.3.4");
        assert_eq!(name("010.0.0.1"), "8.0.0.1");
        // Ends in a number but is no IPv4 address.
        // "0x" alone is the number 0 to the WHATWG IPv4 parser.
        assert_eq!(name("1.2.3.0x"), "1.2.3.0");
        for bad in ["1.2.3.256", "1.2.3.4.5", "a.1", "example.123", "foo.0X1G"] {
            if bad == "foo.0X1G" {
                // "0X1G" is not hex: not a number, so an ordinary (valid) label.
                assert_eq!(name(bad), "foo.0x1g");
                continue;
            }
            assert!(matches!(err(bad), HostError::BadIpLiteral { .. }), "{bad}");
        }
    }

    #[test]
    fn ipv6_literals() {
        assert_eq!(ok("[::1]"), CanonicalHost { name: "[::1]".into(), kind: HostKind::Ipv6 });
        // RFC 5952: compressed, lowercase.
        assert_eq!(name("[0:0:0:0:0:0:0:1]"), "[::1]");
        assert_eq!(name("[2001:DB8:0:0:1:0:0:1]"), "[2001:db8::1:0:0:1]");
        assert_eq!(name("[2001:0db8::0001]"), "[2001:db8::1]");
        // RFC 5952 §5: IPv4-mapped addresses end in dotted decimal.
        assert_eq!(name("[::ffff:1.2.3.4]"), "[::ffff:1.2.3.4]");
        assert_eq!(name("[::FFFF:102:304]"), "[::ffff:1.2.3.4]");
        for bad in ["[", "[]", "[::1", "[::1]x", "[1.2.3.4]", "[fe80::1%25eth0]", "[::g]"] {
            assert!(matches!(err(bad), HostError::BadIpLiteral { .. }), "{bad}");
        }
        assert!(matches!(err("::1"), HostError::BadIpLiteral { .. }));
        assert!(matches!(err("a:b"), HostError::InvalidLabel { fault: LabelFault::NotLdh(':'), .. }));
    }

    #[test]
    fn url_crate_hosts_are_accepted() {
        for (url, expected) in [
            ("http://BÜCHER.example/", "xn--bcher-kva.example"),
            ("https://Example.COM./x", "example.com."),
            ("http://[0::1]/", "[::1]"),
            ("http://0x7f.1/", "127.0.0.1"),
            ("http://[::ffff:7f00:1]/", "[::ffff:127.0.0.1]"),
        ] {
            let parsed = url::Url::parse(url).expect("test URL parses");
            let raw = match parsed.host() {
                Some(url::Host::Domain(d)) => d.to_owned(),
                Some(url::Host::Ipv4(a)) => a.to_string(),
                Some(url::Host::Ipv6(a)) => format!("[{a}]"),
                None => panic!("{url} has a host"),
            };
            assert_eq!(name(&raw), expected, "{url}");
        }
    }

    #[test]
    fn loopback_detection() {
        for host in ["localhost", "LOCALHOST", "localhost.", "a.localhost", "x.y.localhost", "127.0.0.1",
            "127.255.0.9", "[::1]", "[0:0:0:0:0:0:0:1]"]
        {
            assert!(ok(host).is_loopback(), "{host}");
        }
        for host in ["example.com", "localhost.example", "notlocalhost", "128.0.0.1", "[::2]",
            "[::ffff:127.0.0.1]", "0.0.0.0"]
        {
            assert!(!ok(host).is_loopback(), "{host}");
        }
    }

    #[test]
    fn errors_stay_small() {
        let huge = format!("[{}", "1".repeat(1_000_000));
        match err(&huge) {
            HostError::BadIpLiteral { literal, .. } => assert!(literal.chars().count() <= 65),
            e => panic!("{e:?}"),
        }
        assert!(matches!(err(&"a_".repeat(500_000)), HostError::LabelTooLong { .. }));
        assert!(err("a_b").to_string().contains("a_b"));
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC*") {
            let _ = canonicalize(&s);
        }

        #[test]
        fn never_panics_on_any_chars(s in any::<String>()) {
            let _ = canonicalize(&s);
        }

        #[test]
        fn idempotent_on_host_like_strings(s in "[a-zA-Z0-9._\\-:\\[\\]üßÖ\u{5d0}\u{308}]{0,30}") {
            if let Ok(c) = canonicalize(&s) {
                prop_assert_eq!(canonicalize(&c.name), Ok(c.clone()));
                prop_assert!(c.name.is_ascii());
                prop_assert_eq!(c.name.to_ascii_lowercase(), c.name.clone());
            }
        }

        #[test]
        fn idempotent_on_any_string(s in "\\PC{0,40}") {
            if let Ok(c) = canonicalize(&s) {
                prop_assert_eq!(canonicalize(&c.name), Ok(c.clone()));
            }
        }

        #[test]
        fn idempotent_on_ip_addresses(v4 in any::<[u8; 4]>(), v6 in any::<[u16; 8]>()) {
            let a = Ipv4Addr::from(v4).to_string();
            let c = canonicalize(&a);
            prop_assert_eq!(c.clone().map(|c| c.kind), Ok(HostKind::Ipv4));
            prop_assert_eq!(c.clone().map(|c| c.name), Ok(a));
            let b = format!("[{}]", Ipv6Addr::from(v6));
            let c = canonicalize(&b);
            prop_assert_eq!(c.clone().map(|c| c.kind), Ok(HostKind::Ipv6));
            prop_assert_eq!(c.map(|c| c.name), Ok(b));
        }
    }
}
