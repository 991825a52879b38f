//! Parsing a set-cookie-string (§5.6) into a cookie-name, a cookie-value and a
//! cookie-attribute-list, on bytes.
//!
//! The attribute list keeps the attributes in order; "last attribute wins" is applied by the
//! storage model (§5.7 steps 6-17), which reads the list, exactly as the spec splits the work.
//! Values that depend on the request (the default-path) or on the clock (Max-Age, the
//! cookie-age-limit) are resolved by the storage model too, so parsing is a pure function of
//! the bytes and the profile.

use crate::config::Profile;
use crate::cookie::SameSite;
use crate::reason::Rejection;
use crate::UnixTime;

/// One entry of the cookie-attribute-list (§5.6.1-§5.6.7), borrowing from the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attribute<'a> {
    /// §5.6.1: an Expires attribute whose value parsed as a cookie-date (not yet capped).
    Expires(UnixTime),
    /// §5.6.2: a Max-Age attribute's delta-seconds (saturated to the `i64` range, not yet
    /// capped).
    MaxAge(i64),
    /// §5.6.3: a Domain attribute's value, leading "." removed, not yet lower-cased (the
    /// storage model lower-cases it into its own buffer).
    Domain(&'a [u8]),
    /// §5.6.4: a Path attribute; `None` stands for "the default-path" (empty value, or a value
    /// not starting with "/").
    Path(Option<&'a [u8]>),
    /// §5.6.5.
    Secure,
    /// §5.6.6.
    HttpOnly,
    /// §5.6.7: the enforcement ("Default" for an unrecognized value).
    SameSite(SameSite),
    /// CHIPS: the Partitioned attribute (acted on only when the jar enables CHIPS).
    Partitioned,
    /// An attribute with an unrecognized name: kept aside for reports, ignored by storage
    /// (§5.6 step 7: "attributes with unrecognized attribute-names are ignored").
    Unknown {
        /// The attribute-name, trimmed.
        name: &'a [u8],
        /// The attribute-value, trimmed.
        value: &'a [u8],
    },
}

/// The result of parsing a set-cookie-string: §5.6 says the user agent then "receives a cookie"
/// with this name, value and attribute list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedCookie<'a> {
    /// The cookie-name (possibly empty).
    pub name: &'a [u8],
    /// The cookie-value (possibly empty).
    pub value: &'a [u8],
    /// The cookie-attribute-list, in order.
    pub attributes: Vec<Attribute<'a>>,
}

/// §5.6 step 1: CTL characters excluding HTAB (the definition the fast scan is tested against).
#[cfg(test)]
fn is_forbidden_ctl(b: u8) -> bool {
    matches!(b, 0x00..=0x08 | 0x0A..=0x1F | 0x7F)
}

/// Whether any byte is a forbidden CTL. A branch-free fold over the whole input (rather than an
/// early-exit search), which the compiler vectorizes: the common case is "none".
fn contains_forbidden_ctl(input: &[u8]) -> bool {
    input.iter().fold(false, |found, &b| found | ((b < 0x20) & (b != b'\t')) | (b == 0x7F))
}

/// WSP (RFC 5234): space and horizontal tab, and nothing else (not NBSP, not U+2000).
fn is_wsp(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// §5.6 step 4 and attribute step 5: remove leading and trailing WSP.
fn trim_wsp(mut s: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = s {
        if !is_wsp(*first) {
            break;
        }
        s = rest;
    }
    while let [rest @ .., last] = s {
        if !is_wsp(*last) {
            break;
        }
        s = rest;
    }
    s
}

/// Splits at the first occurrence of `byte`: (before, Some(after)) or (all, None).
fn split_once(s: &[u8], byte: u8) -> (&[u8], Option<&[u8]>) {
    match s.iter().position(|&b| b == byte) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    }
}

/// ASCII case-insensitive prefix test, used for attribute names and cookie name prefixes.
pub(crate) fn starts_with_ignore_case(s: &[u8], prefix: &[u8]) -> bool {
    s.len() >= prefix.len() && s[..prefix.len()].eq_ignore_ascii_case(prefix)
}

/// The largest name+value size 6265bis accepts (§5.6 step 5, §5.7 step 4).
pub const MAX_NAME_VALUE: usize = 4096;
/// The largest attribute-value 6265bis accepts (§5.6 attribute step 6).
pub const MAX_ATTRIBUTE_VALUE: usize = 1024;

/// Parses a set-cookie-string per §5.6 (or RFC 6265 §5.2 for [`Profile::Rfc6265`]).
///
/// Returns the cookie the user agent "receives", or the reason the whole string is ignored.
pub fn parse(input: &[u8], profile: Profile) -> Result<ParsedCookie<'_>, Rejection> {
    let bis = profile.is_bis();
    // §5.6 step 1: reject CTLs other than HTAB anywhere in the string. (RFC 6265 had no
    // such step.)
    if bis && contains_forbidden_ctl(input) {
        return Err(Rejection::ControlCharacter);
    }
    // §5.6 step 2: the name-value-pair ends at the first ";".
    let (name_value_pair, unparsed_attributes) = split_once(input, b';');
    // §5.6 step 3: no "=" means an empty name and the whole pair as the value.
    let (name, value) = match split_once(name_value_pair, b'=') {
        (name, Some(value)) => (name, value),
        (value, None) => {
            // RFC 6265 §5.2 step 2: a pair without "=" is ignored entirely.
            if !bis {
                return Err(Rejection::NamelessIgnoredByRfc6265);
            }
            (&name_value_pair[..0], value)
        }
    };
    // §5.6 step 4: trim WSP (space and tab) only.
    let (name, value) = (trim_wsp(name), trim_wsp(value));
    // RFC 6265 §5.2 step 5: an empty name is ignored entirely.
    if !bis && name.is_empty() {
        return Err(Rejection::NamelessIgnoredByRfc6265);
    }
    // §5.6 step 5: name plus value over 4096 octets is ignored entirely.
    if bis && name.len() + value.len() > MAX_NAME_VALUE {
        return Err(Rejection::NameValueTooLong);
    }
    // One allocation: at most one attribute per ";".
    let mut attributes = Vec::with_capacity(unparsed_attributes.map_or(0, |rest| 1 + rest.iter().filter(|&&b| b == b';').count()));
    if let Some(rest) = unparsed_attributes {
        parse_attributes(rest, profile, &mut attributes);
    }
    // §5.6 step 6.
    Ok(ParsedCookie { name, value, attributes })
}

/// The attribute loop of §5.6 (steps 1-8 of the second algorithm). `rest` follows the first
/// ";" (step 2 discards it).
fn parse_attributes<'a>(mut rest: &'a [u8], profile: Profile, out: &mut Vec<Attribute<'a>>) {
    let bis = profile.is_bis();
    loop {
        // Step 3: consume up to the next ";".
        let (cookie_av, remaining) = split_once(rest, b';');
        // Step 4: split at the first "=".
        let (attribute_name, attribute_value) = match split_once(cookie_av, b'=') {
            (n, Some(v)) => (n, v),
            (n, None) => (n, &cookie_av[..0]),
        };
        // Step 5: trim WSP.
        let (attribute_name, attribute_value) = (trim_wsp(attribute_name), trim_wsp(attribute_value));
        // Step 6: an attribute-value over 1024 octets is ignored.
        if !(bis && attribute_value.len() > MAX_ATTRIBUTE_VALUE) {
            // Step 7: process the attribute.
            if let Some(attribute) = process_attribute(attribute_name, attribute_value, profile) {
                out.push(attribute);
            }
        }
        // Step 8 / step 1: stop when nothing remains.
        match remaining {
            Some(r) => rest = r,
            None => break,
        }
    }
}

/// §5.6.1-§5.6.7: turn one cookie-av into an attribute, or `None` when the cookie-av is ignored.
fn process_attribute<'a>(name: &'a [u8], value: &'a [u8], profile: Profile) -> Option<Attribute<'a>> {
    let is = |expected: &[u8]| name.eq_ignore_ascii_case(expected);
    if is(b"expires") {
        // §5.6.1 steps 1-2: unparseable dates are ignored. The cap (steps 3-4) needs the clock
        // and is applied by the storage model.
        crate::date::parse_cookie_date(value).map(Attribute::Expires)
    } else if is(b"max-age") {
        parse_max_age(value, profile).map(Attribute::MaxAge)
    } else if is(b"domain") {
        // RFC 6265 §5.2.3: an empty Domain value SHOULD be ignored.
        if !profile.is_bis() && value.is_empty() {
            return None;
        }
        // §5.6.3 step 2: drop one leading ".".
        let value = value.strip_prefix(b".").unwrap_or(value);
        Some(Attribute::Domain(value))
    } else if is(b"path") {
        // §5.6.4 step 1: an empty value or one not starting with "/" means the default-path.
        // layered-cookies ("Parse a Cookie", Path): such a value is ignored instead.
        if value.first() == Some(&b'/') {
            Some(Attribute::Path(Some(value)))
        } else if profile == Profile::LayeredCookies {
            None
        } else {
            Some(Attribute::Path(None))
        }
    } else if is(b"secure") {
        // §5.6.5: any value is ignored; the attribute counts.
        Some(Attribute::Secure)
    } else if is(b"httponly") {
        // §5.6.6.
        Some(Attribute::HttpOnly)
    } else if is(b"samesite") && profile.is_bis() {
        // §5.6.7 steps 1-5: unrecognized values give "Default". layered-cookies ignores them.
        let enforcement = if value.eq_ignore_ascii_case(b"none") {
            SameSite::None
        } else if value.eq_ignore_ascii_case(b"strict") {
            SameSite::Strict
        } else if value.eq_ignore_ascii_case(b"lax") {
            SameSite::Lax
        } else if profile == Profile::LayeredCookies {
            return None;
        } else {
            SameSite::Default
        };
        Some(Attribute::SameSite(enforcement))
    } else if is(b"partitioned") {
        Some(Attribute::Partitioned)
    } else {
        Some(Attribute::Unknown { name, value })
    }
}

/// §5.6.2 steps 1-4: the delta-seconds of a Max-Age value, or `None` when the cookie-av is
/// ignored. Values beyond the `i64` range saturate (they are capped by the storage model).
fn parse_max_age(value: &[u8], profile: Profile) -> Option<i64> {
    let (negative, digits) = match value {
        // Step 1: empty values are ignored.
        [] => return None,
        [b'-', rest @ ..] => (true, rest),
        _ => (false, value),
    };
    // Step 2: the first character must be a DIGIT, or "-" followed by a DIGIT (6265bis; RFC
    // 6265 allowed a lone "-" here but then had no number to convert, so both reject it).
    // Step 3: the remainder must be DIGITs only.
    let _ = profile;
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    // Step 4: base 10, saturating.
    let magnitude = digits
        .iter()
        .fold(0i64, |acc, d| acc.saturating_mul(10).saturating_add(i64::from(d - b'0')));
    Some(if negative { -magnitude } else { magnitude })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bis(input: &str) -> ParsedCookie<'_> {
        parse(input.as_bytes(), Profile::Rfc6265bis).expect("parses")
    }

    #[test]
    fn step1_rejects_ctl_but_not_htab() {
        for b in (0x00u8..=0x08).chain(0x0A..=0x1F).chain([0x7F]) {
            let input = [b'a', b'=', b'b', b, b'c'];
            assert_eq!(parse(&input, Profile::Rfc6265bis), Err(Rejection::ControlCharacter), "byte {b:#x}");
            // In an attribute too: the check is on the whole set-cookie-string.
            let input = [b'a', b'=', b'b', b';', b'x', b, b'y'];
            assert_eq!(parse(&input, Profile::Rfc6265bis), Err(Rejection::ControlCharacter));
        }
        assert_eq!(bis("a=b\tc").value, b"b\tc");
        // RFC 6265 had no such step.
        assert!(parse(b"a=b\x01c", Profile::Rfc6265).is_ok());
    }

    #[test]
    fn fast_ctl_scan_agrees_with_the_definition() {
        for b in 0..=255u8 {
            assert_eq!(contains_forbidden_ctl(&[b'a', b, b'z']), is_forbidden_ctl(b), "{b:#x}");
        }
    }

    #[test]
    fn step2_name_value_pair_ends_at_first_semicolon() {
        let c = bis("a=b;c=d; Secure");
        assert_eq!((c.name, c.value), (&b"a"[..], &b"b"[..]));
        assert_eq!(c.attributes, vec![Attribute::Unknown { name: b"c", value: b"d" }, Attribute::Secure]);
    }

    #[test]
    fn step3_first_equals_splits_and_missing_equals_means_nameless() {
        let c = bis("a=b=c");
        assert_eq!((c.name, c.value), (&b"a"[..], &b"b=c"[..]));
        let c = bis("justvalue");
        assert_eq!((c.name, c.value), (&b""[..], &b"justvalue"[..]));
        let c = bis("=v");
        assert_eq!((c.name, c.value), (&b""[..], &b"v"[..]));
        let c = bis("n=");
        assert_eq!((c.name, c.value), (&b"n"[..], &b""[..]));
        assert_eq!(parse(b"justvalue", Profile::Rfc6265), Err(Rejection::NamelessIgnoredByRfc6265));
        assert_eq!(parse(b"=v", Profile::Rfc6265), Err(Rejection::NamelessIgnoredByRfc6265));
    }

    #[test]
    fn step4_trims_space_and_tab_only() {
        let c = bis(" \t a b \t=\t c d  ");
        assert_eq!((c.name, c.value), (&b"a b"[..], &b"c d"[..]));
        let nbsp = "a=\u{a0}b\u{a0}";
        assert_eq!(bis(nbsp).value, "\u{a0}b\u{a0}".as_bytes());
        assert_eq!(bis("a=\"b\"").value, b"\"b\"");
    }

    #[test]
    fn step5_limits_name_plus_value_to_4096_after_trimming() {
        let ok = format!("{}={}", "n".repeat(96), "v".repeat(4000));
        assert!(parse(ok.as_bytes(), Profile::Rfc6265bis).is_ok());
        let padded = format!("  {}  =  {}  ", "n".repeat(96), "v".repeat(4000));
        assert!(parse(padded.as_bytes(), Profile::Rfc6265bis).is_ok());
        let too_long = format!("{}={}", "n".repeat(97), "v".repeat(4000));
        assert_eq!(parse(too_long.as_bytes(), Profile::Rfc6265bis), Err(Rejection::NameValueTooLong));
        assert!(parse(too_long.as_bytes(), Profile::Rfc6265).is_ok());
    }

    #[test]
    fn attributes_are_case_insensitive_and_trimmed() {
        let c = bis("a=b; sEcUrE ; HTTPONLY;\tpath = /x ; DOMAIN= .Example.com");
        assert_eq!(
            c.attributes,
            vec![
                Attribute::Secure,
                Attribute::HttpOnly,
                Attribute::Path(Some(b"/x")),
                Attribute::Domain(b"Example.com"),
            ]
        );
    }

    #[test]
    fn empty_and_valueless_attributes() {
        let c = bis("a=b;;  ; =x; Secure=no");
        assert_eq!(
            c.attributes,
            vec![
                Attribute::Unknown { name: b"", value: b"" },
                Attribute::Unknown { name: b"", value: b"" },
                Attribute::Unknown { name: b"", value: b"x" },
                Attribute::Secure,
            ]
        );
    }

    #[test]
    fn attribute_values_over_1024_octets_are_ignored() {
        let ok = format!("a=b; Path=/{}", "p".repeat(1023));
        assert_eq!(bis(&ok).attributes.len(), 1);
        let long = format!("a=b; Path=/{}", "p".repeat(1024));
        assert!(bis(&long).attributes.is_empty());
        assert_eq!(parse(long.as_bytes(), Profile::Rfc6265).map(|c| c.attributes.len()), Ok(1));
    }

    #[test]
    fn max_age_forms() {
        let m = |v: &str| parse_max_age(v.as_bytes(), Profile::Rfc6265bis);
        assert_eq!(m("0"), Some(0));
        assert_eq!(m("007"), Some(7));
        assert_eq!(m("-1"), Some(-1));
        assert_eq!(m("-0"), Some(0));
        assert_eq!(m("99999999999999999999999"), Some(i64::MAX));
        assert_eq!(m("-99999999999999999999999"), Some(-i64::MAX));
        for bad in ["", "-", "+1", "1.5", "1e3", " 1", "1 ", "--1", "0x10", "١"] {
            assert_eq!(m(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn domain_drops_one_leading_dot() {
        assert_eq!(bis("a=b; Domain=..x.com").attributes, vec![Attribute::Domain(b".x.com")]);
        assert_eq!(bis("a=b; Domain=").attributes, vec![Attribute::Domain(b"")]);
        assert!(parse(b"a=b; Domain=", Profile::Rfc6265).map(|c| c.attributes.is_empty()) == Ok(true));
    }

    #[test]
    fn path_without_leading_slash_means_default_path() {
        assert_eq!(bis("a=b; Path=").attributes, vec![Attribute::Path(None)]);
        assert_eq!(bis("a=b; Path=x/y").attributes, vec![Attribute::Path(None)]);
        let layered = parse(b"a=b; Path=x", Profile::LayeredCookies).map(|c| c.attributes);
        assert_eq!(layered, Ok(vec![]));
    }

    #[test]
    fn samesite_values() {
        fn s(v: &str) -> Vec<Attribute<'_>> {
            bis(v).attributes
        }
        assert_eq!(s("a=b; SameSite=strict"), vec![Attribute::SameSite(SameSite::Strict)]);
        assert_eq!(s("a=b; SameSite=LAX"), vec![Attribute::SameSite(SameSite::Lax)]);
        assert_eq!(s("a=b; SameSite=None"), vec![Attribute::SameSite(SameSite::None)]);
        assert_eq!(s("a=b; SameSite=bogus"), vec![Attribute::SameSite(SameSite::Default)]);
        assert_eq!(s("a=b; SameSite"), vec![Attribute::SameSite(SameSite::Default)]);
        let layered = parse(b"a=b; SameSite=bogus", Profile::LayeredCookies).map(|c| c.attributes);
        assert_eq!(layered, Ok(vec![]));
        let old = parse(b"a=b; SameSite=Strict", Profile::Rfc6265).map(|c| c.attributes);
        assert_eq!(old, Ok(vec![Attribute::Unknown { name: b"SameSite", value: b"Strict" }]));
    }

    #[test]
    fn percent_sequences_are_not_decoded() {
        assert_eq!(bis("a%3D=b%3Bc").name, b"a%3D");
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_is_deterministic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..300)) {
            for profile in Profile::ALL {
                let first = parse(&bytes, profile);
                proptest::prop_assert_eq!(first, parse(&bytes, profile));
            }
        }
    }
}
