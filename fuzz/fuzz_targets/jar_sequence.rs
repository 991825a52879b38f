//! Scenarios (the runner's model, every feature: clock, contexts, script API) on the reference
//! jar: no panic, and at every request the jar never sends a cookie that is expired, whose
//! domain the request host does not match (host-only: an identical host; else a domain-match,
//! §5.1.3), whose path the request path does not path-match (§5.1.4), or that is Secure on a
//! request that is not secure (§5.8.3 step 3). The checks are written here, independently of
//! the jar's own helpers, except for what "secure" means (the jar's configuration decides).
#![no_main]

use cookie_conformance_fuzz::scenario::{Scenario, Step};
use libfuzzer_sys::fuzz_target;
use reference_jar::{Config, Cookie, Jar, RequestUri, EARLIEST};

/// §5.1.3: identical, or a suffix after a "." with a host that is not an IP address.
fn domain_match(host: &str, domain: &str) -> bool {
    host == domain
        || (host.len() > domain.len()
            && host.ends_with(domain)
            && host.as_bytes()[host.len() - domain.len() - 1] == b'.'
            && host.parse::<std::net::Ipv4Addr>().is_err()
            && !host.starts_with('['))
}

/// §5.1.4: identical, or a prefix ending in "/" or followed by "/".
fn path_match(request: &[u8], cookie: &[u8]) -> bool {
    request == cookie
        || (request.starts_with(cookie)
            && (cookie.last() == Some(&b'/') || request.get(cookie.len()) == Some(&b'/')))
}

fuzz_target!(|scenario: Scenario| {
    let config = Config::default();
    let mut jar = Jar::new(config.clone());
    let mut now = cookie_conformance::clock::DEFAULT_START;
    for step in &scenario.steps {
        match step {
            Step::Advance(secs) => now += i64::from(*secs),
            Step::Set { at, ctx, lines } => {
                for line in lines {
                    jar.set_cookie(at.url(), &line.bytes(), &ctx.to_reference(*at), now);
                }
            }
            Step::Expect { at, ctx } => {
                // Every stored cookie, expired ones too (nothing is expired at EARLIEST).
                let all: Vec<Cookie> = jar.cookies(EARLIEST).into_iter().cloned().collect();
                let r = jar.retrieve(at.url(), &ctx.to_reference(*at), now);
                let Ok(uri) = RequestUri::parse(at.url()) else {
                    assert!(r.cookie_string.is_none(), "a cookie-string for a URL that does not parse");
                    continue;
                };
                let host = uri.host.name.as_str();
                for included in &r.included {
                    let c = all
                        .iter()
                        .find(|c| c.name() == included.name && c.domain() == included.domain && c.path() == included.path && c.host_only == included.host_only)
                        .expect("an included cookie is in the store");
                    let what = format!("{} (domain {}, path {}) to {}", String::from_utf8_lossy(c.name()), c.domain(), String::from_utf8_lossy(c.path()), at.url());
                    assert!(!c.is_expired(now), "sent an expired cookie: {what}\n{scenario:?}");
                    if c.host_only {
                        assert_eq!(c.domain(), host, "sent a host-only cookie to another host: {what}\n{scenario:?}");
                    } else {
                        assert!(domain_match(host, c.domain()), "sent a cookie whose domain does not match: {what}\n{scenario:?}");
                    }
                    assert!(path_match(uri.path.as_bytes(), c.path()), "sent a cookie whose path does not match: {what}\n{scenario:?}");
                    assert!(!c.secure_only || uri.is_secure(config.trust_localhost), "sent a Secure cookie over an insecure request: {what}\n{scenario:?}");
                }
                assert_eq!(r.cookie_string.is_some(), !r.included.is_empty());
            }
        }
    }
});
