//! The parse-level comparison: what a Set-Cookie parser makes of one line (name, value, and the
//! effective attributes after "last attribute wins"), compared with the reference jar's §5.6
//! parser ([`reference_jar::set_cookie::parse`]). Parsers that are not jars (the `cookie`
//! crate, which servers and HTTP clients use) plug in here through [`ParseTarget`].

use reference_jar::set_cookie::{self, Attribute};
use reference_jar::{Profile, SameSite};

use super::classify::{rejection_class, Class, Diff, Direction};

/// A parser's reading of a set-cookie-string, normalized so that equal meanings compare equal:
/// an empty Domain is no Domain, a Path that is empty or does not start with "/" is no Path
/// (both give the default-path; only a `__Host-` cookie could tell them apart, and the jar
/// level sees that), a non-positive Max-Age is 0 (expire now), an unrecognized SameSite is the
/// default.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseView {
    /// The cookie-name.
    pub name: Vec<u8>,
    /// The cookie-value.
    pub value: Vec<u8>,
    /// The Domain attribute (leading dot removed), if any.
    pub domain: Option<Vec<u8>>,
    /// The Path attribute, when it gives a path (not the default-path).
    pub path: Option<Vec<u8>>,
    /// Secure.
    pub secure: bool,
    /// HttpOnly.
    pub http_only: bool,
    /// SameSite, `None` for the default.
    pub same_site: Option<SameSite>,
    /// Max-Age in seconds, non-positive values as 0.
    pub max_age: Option<i64>,
    /// Expires, in Unix seconds.
    pub expires: Option<i64>,
    /// Partitioned.
    pub partitioned: bool,
}

/// What a parser answered: a view, or why it refused the line.
pub type ParseAnswer = Result<ParseView, String>;

/// A Set-Cookie parser under comparison.
pub trait ParseTarget {
    /// The `--targets` key (`cookie`), also the quirk file's name.
    fn key(&self) -> &'static str;
    /// A name for reports (`cookie 0.18`).
    fn name(&self) -> String;
    /// Parses one line.
    fn parse(&self, line: &[u8]) -> ParseAnswer;
}

/// The reference jar's §5.6 parser (rfc6265bis profile).
pub fn reference(line: &[u8]) -> ParseAnswer {
    let parsed = set_cookie::parse(line, Profile::Rfc6265bis).map_err(|r| r.code().to_owned())?;
    let mut v = ParseView {
        name: parsed.name.to_vec(),
        value: parsed.value.to_vec(),
        domain: None,
        path: None,
        secure: false,
        http_only: false,
        same_site: None,
        max_age: None,
        expires: None,
        partitioned: false,
    };
    for a in &parsed.attributes {
        match *a {
            Attribute::Expires(t) => v.expires = Some(t),
            Attribute::MaxAge(d) => v.max_age = Some(d.max(0)),
            Attribute::Domain(d) => v.domain = (!d.is_empty()).then(|| d.to_vec()),
            Attribute::Path(p) => v.path = p.map(<[u8]>::to_vec),
            Attribute::Secure => v.secure = true,
            Attribute::HttpOnly => v.http_only = true,
            Attribute::SameSite(s) => v.same_site = (s != SameSite::Default).then_some(s),
            Attribute::Partitioned => v.partitioned = true,
            Attribute::Unknown { .. } => {}
        }
    }
    Ok(v)
}

/// `cookie::Cookie::parse` (the `cookie` crate, 0.18): what cookie_store, reqwest and most Rust
/// servers parse Set-Cookie with. It takes `&str`, so a line that is not UTF-8 is refused.
#[derive(Debug, Default, Clone, Copy)]
pub struct CookieCrate;

impl ParseTarget for CookieCrate {
    fn key(&self) -> &'static str {
        "cookie"
    }

    fn name(&self) -> String {
        "cookie 0.18 (Cookie::parse)".to_owned()
    }

    fn parse(&self, line: &[u8]) -> ParseAnswer {
        let text = std::str::from_utf8(line).map_err(|_| "Utf8Error".to_owned())?;
        let c = cookie::Cookie::parse(text).map_err(|e| match e {
            cookie::ParseError::MissingPair => "MissingPair".to_owned(),
            cookie::ParseError::EmptyName => "EmptyName".to_owned(),
            cookie::ParseError::Utf8Error(_) => "Utf8Error".to_owned(),
            _ => "Other".to_owned(),
        })?;
        Ok(ParseView {
            name: c.name().as_bytes().to_vec(),
            value: c.value().as_bytes().to_vec(),
            domain: c.domain().filter(|d| !d.is_empty()).map(|d| d.as_bytes().to_vec()),
            path: c.path().filter(|p| p.starts_with('/')).map(|p| p.as_bytes().to_vec()),
            secure: c.secure().unwrap_or(false),
            http_only: c.http_only().unwrap_or(false),
            same_site: c.same_site().map(|s| match s {
                cookie::SameSite::Strict => SameSite::Strict,
                cookie::SameSite::Lax => SameSite::Lax,
                cookie::SameSite::None => SameSite::None,
            }),
            max_age: c.max_age().map(|d| d.whole_seconds().max(0)),
            expires: c.expires_datetime().map(|t| t.unix_timestamp()),
            partitioned: c.partitioned().unwrap_or(false),
        })
    }
}

/// The differences between the reference's reading and a parser's, classified. The section of
/// each is the reference's rule.
pub fn compare(line: &[u8], reference: &ParseAnswer, other: &ParseAnswer) -> Vec<Diff> {
    let d = |direction, class, reason: Option<String>, section: &str| Diff {
        direction,
        class,
        reason,
        section: section.to_owned(),
        pair: Vec::new(),
        line: Some(line.to_vec()),
        origin: None,
    };
    match (reference, other) {
        (Err(code), Ok(_)) => {
            // The parser accepts what §5.6 refuses whole.
            let r = rejection_from_code(code);
            let class = r.map_or(Class::ParseName, |r| rejection_class(r, None));
            let class = if class == Class::ParseAttribute { control_class(line) } else { class };
            let section = r.map_or("5.6".to_owned(), |r| r.section().trim_start_matches('§').to_owned());
            vec![d(Direction::Extra, class, Some(code.clone()), &section)]
        }
        (Ok(_), Err(why)) => vec![d(Direction::Missing, Class::ParseName, Some(why.clone()), "5.6")],
        (Err(_), Err(_)) => Vec::new(),
        (Ok(r), Ok(o)) => {
            let mut out = Vec::new();
            if r.name != o.name {
                out.push(d(Direction::Neither, Class::ParseName, None, "5.6 step 4"));
            }
            if r.value != o.value {
                out.push(d(Direction::Neither, Class::ParseValue, None, "5.6 step 4"));
            }
            let mut attr = |differs: bool, which: &str, section: &str| {
                if differs {
                    out.push(d(Direction::Neither, Class::ParseAttribute, Some(which.to_owned()), section));
                }
            };
            attr(r.domain != o.domain, "domain", "5.6.3");
            attr(r.path != o.path, "path", "5.6.4");
            attr(r.secure != o.secure, "secure", "5.6.5");
            attr(r.http_only != o.http_only, "httponly", "5.6.6");
            attr(r.same_site != o.same_site, "samesite", "5.6.7");
            attr(r.max_age != o.max_age, "max-age", "5.6.2");
            attr(r.expires != o.expires, "expires", "5.6.1");
            attr(r.partitioned != o.partitioned, "partitioned", "5.6");
            out
        }
    }
}

/// Where the control character of a line §5.6 step 1 refused sits.
fn control_class(line: &[u8]) -> Class {
    let ctl = |b: &u8| *b < 0x20 && *b != b'\t' || *b == 0x7f;
    let pair_end = line.iter().position(|&b| b == b';').unwrap_or(line.len());
    let pair = &line[..pair_end];
    match pair.iter().position(|&b| b == b'=') {
        Some(eq) if pair[..eq].iter().any(ctl) => Class::ParseName,
        _ if pair.iter().any(ctl) => Class::ParseValue,
        _ => Class::ParseAttribute,
    }
}

fn rejection_from_code(code: &str) -> Option<reference_jar::Rejection> {
    use reference_jar::Rejection::*;
    [ControlCharacter, NameValueTooLong, EmptyNameAndValue].into_iter().find(|r| r.code() == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(line: &[u8]) -> Vec<String> {
        compare(line, &reference(line), &CookieCrate.parse(line)).iter().map(Diff::label).collect()
    }

    #[test]
    fn agreeing_lines() {
        for line in [&b"a=b"[..], b"a=b; Path=/x; Domain=.example.com; Secure; HttpOnly; SameSite=Lax; Max-Age=60", b"a=b; Max-Age=-5"] {
            assert!(labels(line).is_empty(), "{:?}", String::from_utf8_lossy(line));
        }
    }

    #[test]
    fn known_differences_are_classified() {
        assert_eq!(labels(b"a=b\x01"), ["+parse:value(ControlCharacter)"]);
        assert_eq!(labels(b"novalue"), ["-parse:name(MissingPair)"]);
        assert_eq!(labels(b"a=\xc2\xa0b"), ["parse:value"]);
        assert_eq!(labels(b"a=\xff"), ["-parse:name(Utf8Error)"]);
        let long_path = format!("a=b; Path=/{}", "p".repeat(1024));
        assert_eq!(labels(long_path.as_bytes()), ["parse:attribute(path)"]);
    }
}
