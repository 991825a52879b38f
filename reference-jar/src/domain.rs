//! §5.1.3 "Domain Matching", and the public suffix questions of §5.7 step 9, §5.8.3 step 3 and
//! §2.3 ("public suffix", "registrable domain") answered with the Public Suffix List bundled in
//! the `psl` crate (ICANN and private sections).
//!
//! All functions take canonicalized hosts (§5.1.2, [`crate::host::canonicalize`]): lowercase
//! ASCII, A-labels, IPv4 dotted decimal or bracketed IPv6. They never allocate and never panic.

use std::net::Ipv4Addr;

/// "psl" and the version of the `psl` crate this crate was built and tested with. The crate
/// regenerates its list from publicsuffix.org and bumps its patch version for every list
/// update, so the version names the list; the crate exposes no list date. Checked against
/// `Cargo.lock` by a test.
const PSL_VERSION: &str = "psl 2.1.247";

/// §5.1.3: whether `string` domain-matches `domain`. Both must be canonicalized (§5.1.2).
///
/// True when the two are identical, or when all of: `domain` is a suffix of `string`; the
/// last character of `string` not in that suffix is "."; and `string` is a host name, not an
/// IP address (dotted-quad IPv4 or bracketed IPv6, the canonical IP forms).
///
/// An empty `domain` matches only an empty `string`: the empty string is no canonical host
/// (§5.7 step 10 handles an empty domain-attribute before domain-matching), and letting it
/// match every fully qualified name ("example.com." ends in "" preceded by ".") would be an
/// artifact of the literal wording.
pub fn domain_match(string: &str, domain: &str) -> bool {
    if string == domain {
        return true;
    }
    if domain.is_empty() || string.len() <= domain.len() || !string.ends_with(domain) {
        return false;
    }
    let boundary = string.len() - domain.len() - 1;
    string.as_bytes().get(boundary) == Some(&b'.') && !is_ip_address(string)
}

/// Whether a canonical host is an IP address: a bracketed IPv6 literal or a dotted-quad IPv4
/// address (what §5.1.2 canonicalization produces for IPs).
fn is_ip_address(host: &str) -> bool {
    // The digit test is a cheap filter before the parse: most host names end in a letter.
    host.starts_with('[')
        || (host.as_bytes().last().is_some_and(u8::is_ascii_digit) && host.parse::<Ipv4Addr>().is_ok())
}

/// Whether the Public Suffix List can say anything about `s`: a name with no empty label (a
/// single trailing root dot aside) that is not an IP address. The `psl` crate gives nonsense
/// for empty labels ("a..com" would have the registrable domain ".com").
fn is_domain_like(s: &str) -> bool {
    let body = s.strip_suffix('.').unwrap_or(s);
    !body.is_empty()
        && !body.starts_with('.')
        && !body.ends_with('.')
        && !body.contains("..")
        && !is_ip_address(s)
}

/// §5.7 step 9, §5.8.3 step 3: whether the whole of `domain` is a public suffix (§2.3: "the
/// portion of a domain that is controlled by a public registry").
///
/// Uses the Public Suffix List algorithm with both sections of the list, including its
/// implicit "*" rule: a single label absent from the list ("example", "localhost", "test") is a
/// public suffix, which is what §5.7 step 9's note expects ("Domain=example" from
/// `attacker.example` is rejected). Multi-label rules ("co.uk", "github.io"), wildcards ("*.ck"
/// makes "anything.ck" a suffix) and exceptions ("!www.ck" makes "www.ck" registrable) apply.
///
/// IP addresses are never public suffixes; nor are the empty string, "." and names with empty
/// labels. A trailing root dot is ignored by the list ("com." is a public suffix, like "com").
/// Labels must be lowercase A-labels: the list is matched byte for byte.
pub fn is_public_suffix(domain: &str) -> bool {
    if !is_domain_like(domain) {
        return false;
    }
    psl::suffix(domain.as_bytes()).is_some_and(|suffix| suffix.as_bytes().len() == domain.len())
}

/// §2.3 "registrable domain": the public suffix of `host` plus the label to its left (eTLD+1),
/// as a subslice of `host`; `None` for IP addresses, for public suffixes themselves, for the
/// empty string and for names with empty labels. A trailing root dot stays on the result
/// ("www.example.com." gives "example.com."). Same list and rules as [`is_public_suffix`].
pub fn registrable_domain(host: &str) -> Option<&str> {
    if !is_domain_like(host) {
        return None;
    }
    let registrable = psl::domain(host.as_bytes())?;
    let start = host.len().checked_sub(registrable.as_bytes().len())?;
    host.get(start..)
}

/// Which Public Suffix List answers [`is_public_suffix`] and [`registrable_domain`]: the
/// version of the `psl` crate that bundles it (each list update is a new patch release of the
/// crate; the crate exposes no list date).
pub fn psl_version() -> &'static str {
    PSL_VERSION
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::canonicalize;
    use proptest::prelude::*;

    #[test]
    fn identical_strings_match() {
        assert!(domain_match("example.com", "example.com"));
        assert!(domain_match("1.2.3.4", "1.2.3.4"));
        assert!(domain_match("[::1]", "[::1]"));
        assert!(domain_match("com", "com"));
        assert!(domain_match("", ""));
    }

    #[test]
    fn suffix_on_a_dot_boundary_matches() {
        assert!(domain_match("www.example.com", "example.com"));
        assert!(domain_match("a.b.example.com", "example.com"));
        assert!(domain_match("a.b.example.com", "b.example.com"));
        assert!(domain_match("www.example.com", "com"));
        assert!(domain_match("www.example.com.", "example.com."));
        assert!(domain_match("xn--bcher-kva.example", "example"));
    }

    #[test]
    fn suffix_without_a_dot_boundary_does_not_match() {
        assert!(!domain_match("foobar.com", "bar.com"));
        assert!(!domain_match("bar.com", "foobar.com"));
        assert!(!domain_match("example.com", "www.example.com"));
        assert!(!domain_match("example.com", "xample.com"));
        assert!(!domain_match("example.com", ".com"));
        assert!(!domain_match("example.com", "com."));
        assert!(!domain_match("example.com.", "example.com"));
        assert!(!domain_match("example.com", "example.com."));
        assert!(!domain_match("example.com.", "."));
        assert!(!domain_match("example.com.", ""));
        assert!(!domain_match("example.com", ""));
    }

    #[test]
    fn ip_addresses_never_suffix_match() {
        assert!(!domain_match("1.2.3.4", "2.3.4"));
        assert!(!domain_match("1.2.3.4", "3.4"));
        assert!(!domain_match("1.2.3.4", "4"));
        assert!(!domain_match("10.0.0.1", "0.0.1"));
        assert!(!domain_match("[::1]", "1]"));
        assert!(!domain_match("[2001:db8::1.2.3.4]", "3.4]"));
        assert!(!domain_match("[::ffff:1.2.3.4]", "2.3.4]"));
        // A host name ending in digits is still a host name.
        assert!(domain_match("a.1.2.3.example", "2.3.example"));
    }

    #[test]
    fn matching_is_case_sensitive_on_canonical_input() {
        // Both inputs are canonical (lowercase); anything else is the caller's error.
        assert!(!domain_match("www.Example.com", "example.com"));
        assert!(!domain_match("WWW.EXAMPLE.COM", "EXAMPLE.com"));
        assert!(domain_match("WWW.EXAMPLE.COM", "EXAMPLE.COM"));
    }

    #[test]
    fn public_suffixes() {
        for suffix in [
            "com", "org", "uk", "co.uk", "github.io", "pvt.k12.ma.us", "example", "localhost", "test",
            "invalid", "foo.ck", "anything.ck", "xn--fiqs8s", "xn--55qx5d.cn", "com.",
            "blogspot.com", "s3.amazonaws.com",
        ] {
            assert!(is_public_suffix(suffix), "{suffix} is a public suffix");
        }
    }

    #[test]
    fn not_public_suffixes() {
        for host in [
            "", ".", "example.com", "www.example.com", "site.example", "bbc.co.uk", "user.github.io",
            "www.ck", "foo.bar.ck", "a.localhost", "example.com.", "1.2.3.4", "127.0.0.1", "[::1]",
            // Empty labels: no domain name (and never a canonical host).
            ".com", "a..com", "com..", "..",
            "xn--85x722f.xn--fiqs8s",
        ] {
            assert!(!is_public_suffix(host), "{host} is not a public suffix");
        }
    }

    #[test]
    fn registrable_domains() {
        let cases = [
            ("www.example.com", Some("example.com")),
            ("example.com", Some("example.com")),
            ("a.b.c.example.co.uk", Some("example.co.uk")),
            ("user.github.io", Some("user.github.io")),
            ("x.user.github.io", Some("user.github.io")),
            ("www.site.example", Some("site.example")),
            ("a.localhost", Some("a.localhost")),
            ("www.ck", Some("www.ck")),
            ("a.www.ck", Some("www.ck")),
            ("a.b.foo.ck", Some("b.foo.ck")),
            ("www.example.com.", Some("example.com.")),
            ("www.xn--85x722f.xn--fiqs8s", Some("xn--85x722f.xn--fiqs8s")),
            ("com", None),
            ("co.uk", None),
            ("github.io", None),
            ("foo.ck", None),
            ("example", None),
            ("localhost", None),
            ("", None),
            (".", None),
            ("a..com", None),
            ("com..", None),
            (".example.com", None),
            ("1.2.3.4", None),
            ("[::1]", None),
        ];
        for (host, expected) in cases {
            assert_eq!(registrable_domain(host), expected, "{host}");
        }
    }

    #[test]
    fn registrable_domain_is_a_subslice() {
        let host = String::from("www.example.co.uk");
        let registrable = registrable_domain(&host).expect("has a registrable domain");
        let offset = registrable.as_ptr() as usize - host.as_ptr() as usize;
        assert_eq!(offset + registrable.len(), host.len());
    }

    #[test]
    fn psl_version_names_the_locked_crate() {
        let version = psl_version().strip_prefix("psl ");
        // Keep the constant in step with the lock file when the crate is updated.
        let lock = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock");
        if let Ok(lock) = std::fs::read_to_string(lock) {
            let locked = lock
                .split("[[package]]")
                .find(|p| p.contains("name = \"psl\"\n"))
                .and_then(|p| p.lines().find_map(|l| l.strip_prefix("version = \"")))
                .map(|v| v.trim_end_matches('"'));
            assert_eq!(locked, version, "update PSL_VERSION");
        }
    }

    proptest! {
        #[test]
        fn never_panics(a in "\\PC*", b in "\\PC*") {
            let _ = domain_match(&a, &b);
            let _ = is_public_suffix(&a);
            let _ = registrable_domain(&a);
        }

        #[test]
        fn never_panics_on_host_like_strings(a in "[a-z0-9.\\-\\[\\]:*!]{0,20}", b in "[a-z0-9.\\-]{0,12}") {
            let _ = domain_match(&a, &b);
            let _ = domain_match(&b, &a);
            prop_assert!(!(is_public_suffix(&a) && registrable_domain(&a).is_some()));
        }

        #[test]
        fn canonical_hosts_domain_match_themselves(s in "[a-zA-Z0-9.\\-\\[\\]:ü]{1,30}") {
            if let Ok(c) = canonicalize(&s) {
                prop_assert!(domain_match(&c.name, &c.name));
            }
        }

        #[test]
        fn registrable_domain_properties(
            s in "([a-z]{1,3}\\.){0,3}(com|co\\.uk|github\\.io|ck|www\\.ck|example)"
        ) {
            if let Some(r) = registrable_domain(&s) {
                prop_assert!(s.ends_with(r));
                prop_assert!(domain_match(&s, r));
                prop_assert!(!is_public_suffix(r));
                // Dropping its first label leaves the public suffix.
                let (_, suffix) = r.split_once('.').expect("eTLD+1 has two labels or more");
                prop_assert!(is_public_suffix(suffix));
            } else {
                prop_assert!(is_public_suffix(&s));
            }
        }
    }
}
