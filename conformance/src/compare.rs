//! Comparing what a target answered with what a case expects: cookie-strings (with the
//! order-only distinction) and stored cookies.

use crate::bytes::{escape, Bytes};
use crate::case::{CookieExpectation, StoredSpec};
use crate::clock::format_timestamp;
use crate::target::StoredCookie;

/// How an actual cookie-string relates to the expectation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Exactly an acceptable answer.
    Match,
    /// The same cookie-pairs as an acceptable answer, in another order. §5.8.3 step 4's order is
    /// a SHOULD, so reports say so; it still counts as a failure.
    OrderOnly,
    /// Something else.
    Mismatch,
}

/// The cookie-pairs of a cookie-string, split on "; " (the separator §5.8.3 step 4 serializes
/// with).
pub fn pairs(cookie_string: &[u8]) -> Vec<&[u8]> {
    if cookie_string.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut rest = cookie_string;
    while let Some(i) = rest.windows(2).position(|w| w == b"; ") {
        out.push(&rest[..i]);
        rest = &rest[i + 2..];
    }
    out.push(rest);
    out
}

/// Compares one actual answer with one acceptable answer. With `script` (`document.cookie`), no
/// cookie and the empty string are the same answer.
fn compare_one(expected: Option<&[u8]>, actual: Option<&[u8]>, script: bool) -> Verdict {
    fn norm(v: Option<&[u8]>, script: bool) -> Option<&[u8]> {
        if script && v.is_some_and(<[u8]>::is_empty) {
            None
        } else {
            v
        }
    }
    match (norm(expected, script), norm(actual, script)) {
        (None, None) => Verdict::Match,
        (Some(e), Some(a)) if e == a => Verdict::Match,
        (Some(e), Some(a)) => {
            let (mut pe, mut pa) = (pairs(e), pairs(a));
            pe.sort_unstable();
            pa.sort_unstable();
            if pe == pa {
                Verdict::OrderOnly
            } else {
                Verdict::Mismatch
            }
        }
        _ => Verdict::Mismatch,
    }
}

/// Compares an actual answer with every acceptable one: the best verdict wins.
pub fn compare(expected: &CookieExpectation, actual: Option<&[u8]>, script: bool) -> Verdict {
    let mut best = Verdict::Mismatch;
    for alt in expected.alternatives() {
        match compare_one(alt.as_ref().map(Bytes::as_slice), actual, script) {
            Verdict::Match => return Verdict::Match,
            Verdict::OrderOnly => best = Verdict::OrderOnly,
            Verdict::Mismatch => {}
        }
    }
    best
}

/// A cookie-string for a human: `"a=b; c=d"`, or `(no Cookie header)`.
pub fn show_header(v: Option<&[u8]>) -> String {
    match v {
        Some(b) => format!("\"{}\"", escape(b)),
        None => "(no Cookie header)".to_owned(),
    }
}

/// A line diff of expected vs actual cookie-pairs, one pair a line (`-` expected only, `+` actual
/// only).
pub fn diff(expected: Option<&[u8]>, actual: Option<&[u8]>) -> String {
    let lines = |v: Option<&[u8]>| match v {
        None => "(no Cookie header)\n".to_owned(),
        Some(b) => pairs(b).iter().map(|p| format!("{}\n", escape(p))).collect(),
    };
    let (e, a) = (lines(expected), lines(actual));
    let diff = similar::TextDiff::from_lines(&e, &a);
    let mut out = String::new();
    for change in diff.iter_all_changes() {
        let sign = match change.tag() {
            similar::ChangeTag::Delete => '-',
            similar::ChangeTag::Insert => '+',
            similar::ChangeTag::Equal => ' ',
        };
        out.push(sign);
        out.push_str(change.value());
    }
    out
}

/// Checks a dump against a `stored` list: the same number of cookies, and a one-to-one matching
/// in which each expected entry agrees with its cookie on every field it gives.
pub fn check_stored(expected: &[StoredSpec], actual: &[StoredCookie]) -> Result<(), String> {
    if expected.len() != actual.len() {
        return Err(format!(
            "expected {} stored cookie(s), the jar holds {}:\n{}",
            expected.len(),
            actual.len(),
            show_stored(actual)
        ));
    }
    // Bipartite matching (Kuhn): lists are short, and a greedy match could fail where a
    // matching exists because specs may give few fields.
    let fits: Vec<Vec<usize>> = expected
        .iter()
        .map(|spec| (0..actual.len()).filter(|&j| spec_matches(spec, &actual[j])).collect())
        .collect();
    let mut owner: Vec<Option<usize>> = vec![None; actual.len()];
    for (i, spec) in expected.iter().enumerate() {
        let mut seen = vec![false; actual.len()];
        if !augment(i, &fits, &mut owner, &mut seen) {
            return Err(format!(
                "no stored cookie matches expected entry #{} ({})\nthe jar holds:\n{}",
                i + 1,
                show_spec(spec),
                show_stored(actual)
            ));
        }
    }
    Ok(())
}

fn augment(i: usize, fits: &[Vec<usize>], owner: &mut [Option<usize>], seen: &mut [bool]) -> bool {
    for &j in &fits[i] {
        if seen[j] {
            continue;
        }
        seen[j] = true;
        if owner[j].is_none_or(|k| augment(k, fits, owner, seen)) {
            owner[j] = Some(i);
            return true;
        }
    }
    false
}

fn spec_matches(s: &StoredSpec, c: &StoredCookie) -> bool {
    s.name.as_ref().is_none_or(|v| v.0 == c.name)
        && s.value.as_ref().is_none_or(|v| v.0 == c.value)
        && s.domain.as_ref().is_none_or(|v| *v == c.domain)
        && s.path.as_ref().is_none_or(|v| v.0 == c.path)
        && s.host_only.is_none_or(|v| v == c.host_only)
        && s.secure.is_none_or(|v| v == c.secure)
        && s.http_only.is_none_or(|v| v == c.http_only)
        && s.same_site.is_none_or(|v| v == c.same_site)
        && s.persistent.is_none_or(|v| v == c.persistent)
        && s.expires.is_none_or(|v| Some(v.0) == c.expires)
        && s.partition_key.as_ref().is_none_or(|v| *v == c.partition_key)
}

fn show_spec(s: &StoredSpec) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// One line per stored cookie.
pub fn show_stored(cookies: &[StoredCookie]) -> String {
    if cookies.is_empty() {
        return "    (no cookies)".to_owned();
    }
    cookies.iter().map(|c| format!("    {}", describe(c))).collect::<Vec<_>>().join("\n")
}

/// `a=b domain=example.com path=/ host-only secure ...` for messages.
pub fn describe(c: &StoredCookie) -> String {
    let mut s = format!(
        "{}={} domain={} path={}",
        escape(&c.name),
        escape(&c.value),
        c.domain,
        escape(&c.path)
    );
    for (on, flag) in [(c.host_only, " host-only"), (c.secure, " secure"), (c.http_only, " http-only")] {
        if on {
            s.push_str(flag);
        }
    }
    s.push_str(&format!(" same-site={:?}", c.same_site));
    match c.expires {
        Some(t) => s.push_str(&format!(" expires={}", format_timestamp(t))),
        None => s.push_str(" session"),
    }
    if let Some(k) = &c.partition_key {
        s.push_str(&format!(" partition={k}"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::SameSiteName;

    fn exactly(s: Option<&str>) -> CookieExpectation {
        CookieExpectation::Exactly(s.map(Bytes::from))
    }

    #[test]
    fn split_pairs() {
        assert_eq!(pairs(b"a=b; c=d"), vec![&b"a=b"[..], b"c=d"]);
        assert_eq!(pairs(b"a=b;c=d"), vec![&b"a=b;c=d"[..]]);
        assert!(pairs(b"").is_empty());
    }

    #[test]
    fn verdicts() {
        assert_eq!(compare(&exactly(Some("a=b; c=d")), Some(b"a=b; c=d"), false), Verdict::Match);
        assert_eq!(compare(&exactly(Some("a=b; c=d")), Some(b"c=d; a=b"), false), Verdict::OrderOnly);
        assert_eq!(compare(&exactly(Some("a=b; c=d")), Some(b"c=d"), false), Verdict::Mismatch);
        assert_eq!(compare(&exactly(Some("a=b; a=b")), Some(b"a=b"), false), Verdict::Mismatch);
        assert_eq!(compare(&exactly(None), None, false), Verdict::Match);
        assert_eq!(compare(&exactly(None), Some(b""), false), Verdict::Mismatch);
        assert_eq!(compare(&exactly(Some("a=b")), None, false), Verdict::Mismatch);
    }

    #[test]
    fn script_treats_null_and_empty_alike() {
        assert_eq!(compare(&exactly(None), Some(b""), true), Verdict::Match);
        assert_eq!(compare(&exactly(Some("")), None, true), Verdict::Match);
    }

    #[test]
    fn any_of_takes_the_best() {
        let e = CookieExpectation::AnyOf(vec![Some(Bytes::from("a=1; b=2")), None]);
        assert_eq!(compare(&e, None, false), Verdict::Match);
        assert_eq!(compare(&e, Some(b"b=2; a=1"), false), Verdict::OrderOnly);
        assert_eq!(compare(&e, Some(b"x=1"), false), Verdict::Mismatch);
    }

    #[test]
    fn diff_is_per_pair() {
        let d = diff(Some(b"a=b; c=d"), Some(b"a=b; e=f"));
        assert_eq!(d, " a=b\n-c=d\n+e=f\n");
        assert_eq!(diff(Some(b"a=b"), None), "-a=b\n+(no Cookie header)\n");
    }

    fn cookie(name: &str, path: &str) -> StoredCookie {
        StoredCookie {
            name: name.into(),
            value: b"v".to_vec(),
            domain: "example.com".into(),
            path: path.into(),
            host_only: true,
            secure: false,
            http_only: false,
            same_site: SameSiteName::Default,
            persistent: false,
            expires: None,
            partition_key: None,
        }
    }

    #[test]
    fn stored_matching_is_one_to_one() {
        let actual = [cookie("a", "/x"), cookie("a", "/")];
        // The first spec fits both cookies, the second only the first: a greedy match would
        // take cookie 0 for spec 0 and fail; the matching must find 0→1, 1→0.
        let specs = [
            StoredSpec { name: Some("a".into()), ..Default::default() },
            StoredSpec { path: Some("/x".into()), ..Default::default() },
        ];
        assert_eq!(check_stored(&specs, &actual), Ok(()));
        let wrong = [StoredSpec { name: Some("a".into()), ..Default::default() }];
        assert!(check_stored(&wrong, &actual).unwrap_err().contains("expected 1 stored cookie(s), the jar holds 2"));
        let nomatch = [StoredSpec { secure: Some(true), ..Default::default() }, StoredSpec::default()];
        let err = check_stored(&nomatch, &actual).unwrap_err();
        assert!(err.contains("entry #1"), "{err}");
        assert!(err.contains("a=v domain=example.com path=/x host-only"), "{err}");
        assert_eq!(check_stored(&[StoredSpec { partition_key: Some(None), ..Default::default() }], &actual[..1]), Ok(()));
    }
}
