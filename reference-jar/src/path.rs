//! §5.1.4 "Paths and Path-Match": the default-path of a cookie and the path-match relation.
//!
//! Both work on raw path bytes exactly as they appear in the request-uri: nothing is
//! percent-decoded, case-folded or normalized (§5.1.4 notes that this differs from RFC 3986
//! path equivalence on purpose, so `/a` and `/%61` are different paths).

/// Computes the default-path of a cookie (§5.1.4, first algorithm) from the uri-path.
///
/// §5.1.4 step 1 (taking the path portion of the request-uri, or the empty string when there is
/// none) is the caller's job: `uri_path` is that path. The result borrows from `uri_path`, or is
/// the static `/`.
///
/// ```
/// use reference_jar::path::default_path;
/// assert_eq!(default_path(b"/docs/web/index.html"), b"/docs/web");
/// assert_eq!(default_path(b"/docs"), b"/");
/// assert_eq!(default_path(b""), b"/");
/// ```
#[must_use]
pub fn default_path(uri_path: &[u8]) -> &[u8] {
    const ROOT: &[u8] = b"/";

    // §5.1.4 step 2: an empty uri-path, or one that does not start with "/", gives "/".
    if uri_path.first() != Some(&b'/') {
        return ROOT;
    }

    // §5.1.4 step 3: a uri-path with no more than one "/" gives "/". (Counting stops at the
    // second "/", so this costs at most one scan and no allocation.)
    if uri_path.iter().filter(|&&b| b == b'/').take(2).count() <= 1 {
        return ROOT;
    }

    // §5.1.4 step 4: everything before the right-most "/". Step 3 guarantees there are at least
    // two, so the right-most one is not the leading one and the result starts with "/" and is
    // non-empty.
    match uri_path.iter().rposition(|&b| b == b'/') {
        Some(last_slash) => &uri_path[..last_slash],
        // Unreachable after step 3; "/" keeps the function total.
        None => ROOT,
    }
}

/// Tells whether `request_path` path-matches `cookie_path` (§5.1.4, second algorithm).
///
/// True when at least one of the three conditions of §5.1.4 holds:
/// 1. the cookie-path and the request-path are identical (byte for byte: case-sensitive and
///    without percent-decoding);
/// 2. the cookie-path is a prefix of the request-path and the cookie-path ends with `/`;
/// 3. the cookie-path is a prefix of the request-path and the first request-path byte after
///    that prefix is `/`.
///
/// So cookie-path `/a` matches `/a`, `/a/` and `/a/b`, but not `/ab` or `/A`.
///
/// ```
/// use reference_jar::path::path_match;
/// assert!(path_match(b"/a/b", b"/a"));
/// assert!(!path_match(b"/ab", b"/a"));
/// ```
#[must_use]
pub fn path_match(request_path: &[u8], cookie_path: &[u8]) -> bool {
    // §5.1.4 path-match, condition 1: identical.
    if cookie_path == request_path {
        return true;
    }
    if !request_path.starts_with(cookie_path) {
        // Conditions 2 and 3 both require the cookie-path to be a prefix of the request-path.
        return false;
    }
    // §5.1.4 path-match, condition 2: the cookie-path ends with "/".
    if cookie_path.last() == Some(&b'/') {
        return true;
    }
    // §5.1.4 path-match, condition 3: the first character of the request-path not included in
    // the cookie-path is "/". (Not identical and a prefix, so that character exists.)
    request_path.get(cookie_path.len()) == Some(&b'/')
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    // ---- default-path ---------------------------------------------------------------------

    #[test]
    fn default_path_step2_empty_or_not_starting_with_slash() {
        assert_eq!(default_path(b""), b"/");
        assert_eq!(default_path(b"no-slash"), b"/");
        assert_eq!(default_path(b"a/b/c"), b"/");
        assert_eq!(default_path(b"*"), b"/");
        assert_eq!(default_path(b" /a/b"), b"/");
        assert_eq!(default_path(b"%2Fa/b"), b"/", "an encoded slash is not a slash");
    }

    #[test]
    fn default_path_step3_at_most_one_slash() {
        assert_eq!(default_path(b"/"), b"/");
        assert_eq!(default_path(b"/a"), b"/");
        assert_eq!(default_path(b"/index.html"), b"/");
        assert_eq!(default_path(b"/a%2Fb"), b"/");
    }

    #[test]
    fn default_path_step4_up_to_rightmost_slash() {
        assert_eq!(default_path(b"/a/"), b"/a");
        assert_eq!(default_path(b"/a/b"), b"/a");
        assert_eq!(default_path(b"/a/b/"), b"/a/b");
        assert_eq!(default_path(b"/a/b/c.html"), b"/a/b");
        assert_eq!(default_path(b"//"), b"/");
        assert_eq!(default_path(b"//a"), b"/");
        assert_eq!(default_path(b"///"), b"//");
        assert_eq!(default_path(b"/a//b"), b"/a/");
        assert_eq!(default_path(b"/%C3%A9/x"), b"/%C3%A9", "no percent-decoding");
        assert_eq!(default_path(b"/\xff\x00/x"), b"/\xff\x00", "any bytes");
    }

    #[test]
    fn default_path_borrows_from_input() {
        let input = b"/a/b/c".to_vec();
        let out = default_path(&input);
        assert_eq!(out.as_ptr(), input.as_ptr());
    }

    // ---- path-match ----------------------------------------------------------------------

    #[test]
    fn condition1_identical() {
        assert!(path_match(b"/", b"/"));
        assert!(path_match(b"/a", b"/a"));
        assert!(path_match(b"/a/", b"/a/"));
        assert!(path_match(b"", b""));
        assert!(path_match(b"no-slash", b"no-slash"));
    }

    #[test]
    fn condition2_cookie_path_ends_with_slash() {
        assert!(path_match(b"/a", b"/"));
        assert!(path_match(b"/a/b", b"/a/"));
        assert!(path_match(b"/a/bc", b"/a/"));
        assert!(path_match(b"/a//", b"/a/"));
        // A prefix is still required.
        assert!(!path_match(b"/b/c", b"/a/"));
        // "/a/" vs "/a": the cookie-path is longer, so not a prefix.
        assert!(!path_match(b"/a", b"/a/"));
    }

    #[test]
    fn condition3_next_request_char_is_slash() {
        assert!(path_match(b"/a/", b"/a"));
        assert!(path_match(b"/a/b", b"/a"));
        assert!(path_match(b"/a/b/", b"/a/b"));
        assert!(path_match(b"/a/b/c", b"/a"));
        // "/a" vs "/ab": prefix, but the next character is "b".
        assert!(!path_match(b"/ab", b"/a"));
        assert!(!path_match(b"/a.html", b"/a"));
        assert!(!path_match(b"/a%2Fb", b"/a"), "an encoded slash is not a slash");
    }

    #[test]
    fn no_condition_holds() {
        assert!(!path_match(b"/", b"/a"));
        assert!(!path_match(b"/b", b"/a"));
        assert!(!path_match(b"", b"/"));
        assert!(!path_match(b"/a", b"/a/b"));
    }

    #[test]
    fn case_sensitive() {
        assert!(!path_match(b"/A", b"/a"));
        assert!(!path_match(b"/a", b"/A"));
        assert!(!path_match(b"/A/b", b"/a"));
        assert!(!path_match(b"/a%2f", b"/a%2F"));
    }

    #[test]
    fn no_percent_decoding() {
        assert!(!path_match(b"/%61", b"/a"));
        assert!(!path_match(b"/a", b"/%61"));
        assert!(path_match(b"/%61/b", b"/%61"));
    }

    #[test]
    fn empty_cookie_path_taken_literally() {
        // Never produced by §5.6.4 (which substitutes the default-path), but the conditions as
        // written give: "" is a prefix of everything, and condition 3 then looks at the first
        // request-path character.
        assert!(path_match(b"/a", b""));
        assert!(!path_match(b"a", b""));
        assert!(path_match(b"", b""));
    }

    /// The three conditions, spelled out once more in the most literal way, as an oracle.
    fn literal_path_match(request: &[u8], cookie: &[u8]) -> bool {
        let is_prefix = cookie.len() <= request.len() && &request[..cookie.len()] == cookie;
        let c1 = cookie == request;
        let c2 = is_prefix && !cookie.is_empty() && cookie[cookie.len() - 1] == b'/';
        let c3 = is_prefix && request.len() > cookie.len() && request[cookie.len()] == b'/';
        c1 || c2 || c3
    }

    /// The default-path steps with a literal slash count, as an oracle.
    fn literal_default_path(uri_path: &[u8]) -> Vec<u8> {
        if uri_path.is_empty() || uri_path[0] != b'/' {
            return b"/".to_vec();
        }
        if uri_path.iter().filter(|&&b| b == b'/').count() <= 1 {
            return b"/".to_vec();
        }
        let last = uri_path.iter().rposition(|&b| b == b'/').unwrap_or(0);
        uri_path[..last].to_vec()
    }

    fn path_bytes() -> impl Strategy<Value = Vec<u8>> {
        let byte = prop_oneof![
            4 => Just(b'/'),
            4 => prop::sample::select(b"abAB%2F.".to_vec()),
            1 => any::<u8>(),
        ];
        prop::collection::vec(byte, 0..16)
    }

    proptest! {
        #[test]
        fn path_matches_itself(p in prop::collection::vec(any::<u8>(), 0..64)) {
            prop_assert!(path_match(&p, &p));
        }

        #[test]
        fn path_matches_its_default_path(rest in path_bytes()) {
            let mut p = vec![b'/'];
            p.extend_from_slice(&rest);
            prop_assert!(path_match(&p, default_path(&p)));
        }

        #[test]
        fn default_path_is_a_slash_prefixed_prefix(p in path_bytes()) {
            let d = default_path(&p);
            prop_assert!(d.first() == Some(&b'/'));
            prop_assert!(d == b"/" || p.starts_with(d));
            let literal = literal_default_path(&p);
            prop_assert_eq!(d, literal.as_slice());
        }

        #[test]
        fn path_match_agrees_with_literal_conditions(r in path_bytes(), c in path_bytes()) {
            prop_assert_eq!(path_match(&r, &c), literal_path_match(&r, &c));
        }

        #[test]
        fn never_panics(
            r in prop::collection::vec(any::<u8>(), 0..64),
            c in prop::collection::vec(any::<u8>(), 0..64),
        ) {
            let _ = path_match(&r, &c);
            let _ = default_path(&r);
            let _ = default_path(&c);
        }
    }
}
