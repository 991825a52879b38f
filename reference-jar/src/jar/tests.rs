//! Tests of the storage model (§5.7) and the retrieval model (§5.8), written from the spec text.

use super::*;

const T0: UnixTime = 1_767_225_600; // 2026-01-01T00:00:00Z

fn jar() -> Jar {
    Jar::new(Config::default())
}

fn jar_with(f: impl FnOnce(&mut Config)) -> Jar {
    let mut config = Config::default();
    f(&mut config);
    Jar::new(config)
}

fn set(jar: &mut Jar, url: &str, line: &str) -> SetOutcome {
    jar.set_cookie(url, line.as_bytes(), &Context::http(), T0)
}

fn set_ctx(jar: &mut Jar, url: &str, line: &str, ctx: &Context) -> SetOutcome {
    jar.set_cookie(url, line.as_bytes(), ctx, T0)
}

fn get(jar: &mut Jar, url: &str) -> Option<String> {
    get_ctx(jar, url, &Context::http())
}

fn get_ctx(jar: &mut Jar, url: &str, ctx: &Context) -> Option<String> {
    jar.cookie_header(url, ctx, T0).map(|b| String::from_utf8(b).expect("utf-8 in tests"))
}

fn rejected(outcome: SetOutcome) -> Option<Rejection> {
    match outcome {
        SetOutcome::Rejected(r) => Some(r),
        SetOutcome::Stored { .. } => None,
    }
}

const STORED: SetOutcome = SetOutcome::Stored { replaced: false, expired: false };
const REPLACED: SetOutcome = SetOutcome::Stored { replaced: true, expired: false };

#[test]
fn step2_empty_name_and_value_is_ignored() {
    let mut j = jar();
    assert_eq!(rejected(set(&mut j, "https://example.com/", "=")), Some(Rejection::EmptyNameAndValue));
    assert_eq!(rejected(set(&mut j, "https://example.com/", "  ")), Some(Rejection::EmptyNameAndValue));
    assert_eq!(set(&mut j, "https://example.com/", "=v"), STORED);
    assert_eq!(get(&mut j, "https://example.com/").as_deref(), Some("v"));
}

#[test]
fn step3_control_characters_from_any_api_are_rejected() {
    let mut j = jar();
    let ctx = Context::script();
    assert_eq!(rejected(set_ctx(&mut j, "https://example.com/", "a=b\x07", &ctx)), Some(Rejection::ControlCharacter));
}

#[test]
fn step6_max_age_wins_over_expires_and_persistence() {
    let mut j = jar();
    set(&mut j, "https://example.com/", "a=1; Max-Age=60; Expires=Thu, 01 Jan 1970 00:00:00 GMT");
    set(&mut j, "https://example.com/", "b=2; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=60");
    set(&mut j, "https://example.com/", "c=3");
    let cookies = j.cookies(T0);
    let by_name = |n: &[u8]| cookies.iter().find(|c| c.name() == n).copied();
    assert_eq!(by_name(b"a").map(|c| (c.persistent, c.expiry_time)), Some((true, T0 + 60)));
    assert_eq!(by_name(b"b").map(|c| c.expiry_time), Some(T0 + 60));
    assert_eq!(by_name(b"c").map(|c| (c.persistent, c.expiry_time)), Some((false, LATEST)));
    assert_eq!(j.cookie_header("https://example.com/", &Context::http(), T0 + 60).as_deref(), Some(&b"a=1; b=2; c=3"[..]));
    assert_eq!(j.cookie_header("https://example.com/", &Context::http(), T0 + 61).as_deref(), Some(&b"c=3"[..]));
}

#[test]
fn step6_last_max_age_wins_and_nonpositive_expires_now() {
    let mut j = jar();
    set(&mut j, "https://example.com/", "a=1; Max-Age=10; Max-Age=100");
    assert_eq!(j.cookies(T0)[0].expiry_time, T0 + 100);
    assert_eq!(set(&mut j, "https://example.com/", "a=1; Max-Age=0"), SetOutcome::Stored { replaced: true, expired: true });
    assert!(j.is_empty());
    set(&mut j, "https://example.com/", "a=1; Max-Age=-5");
    assert!(j.is_empty());
}

#[test]
fn lifetime_limit_caps_max_age_and_expires() {
    let mut j = jar();
    set(&mut j, "https://example.com/", "a=1; Max-Age=99999999999");
    set(&mut j, "https://example.com/", "b=1; Expires=Fri, 31 Dec 9999 23:59:59 GMT");
    for c in j.cookies(T0) {
        assert_eq!(c.expiry_time, T0 + crate::DEFAULT_AGE_LIMIT, "§5.5");
    }
    let mut old = jar_with(|c| c.profile = Profile::Rfc6265);
    set(&mut old, "https://example.com/", "b=1; Expires=Fri, 31 Dec 9999 23:59:59 GMT");
    assert!(old.cookies(T0)[0].expiry_time > T0 + crate::DEFAULT_AGE_LIMIT);
}

#[test]
fn step7_to_10_domain_attribute() {
    let mut j = jar();
    assert_eq!(set(&mut j, "https://www.example.com/", "a=1; Domain=.EXAMPLE.com"), STORED);
    let c = j.cookies(T0)[0].clone();
    assert_eq!((c.domain(), c.host_only), ("example.com", false));
    assert_eq!(get(&mut j, "https://sub.example.com/").as_deref(), Some("a=1"));
    assert_eq!(get(&mut j, "https://example.com/").as_deref(), Some("a=1"));
    assert_eq!(get(&mut j, "https://example.org/"), None);
    // Step 10: the request host must domain-match the attribute.
    assert_eq!(rejected(set(&mut j, "https://www.example.com/", "a=1; Domain=other.com")), Some(Rejection::DomainMismatch));
    assert_eq!(rejected(set(&mut j, "https://example.com/", "a=1; Domain=www.example.com")), Some(Rejection::DomainMismatch));
    assert_eq!(rejected(set(&mut j, "https://foobar.com/", "a=1; Domain=bar.com")), Some(Rejection::DomainMismatch));
    // Last Domain attribute wins, and an empty one means host-only.
    let mut j = jar();
    set(&mut j, "https://www.example.com/", "a=1; Domain=example.com; Domain=");
    assert!(j.cookies(T0)[0].host_only);
}

#[test]
fn step8_non_ascii_domain_is_rejected() {
    let mut j = jar();
    let line = "a=1; Domain=b\u{fc}cher.example".as_bytes();
    let outcome = j.set_cookie("https://xn--bcher-kva.example/", line, &Context::http(), T0);
    assert_eq!(rejected(outcome), Some(Rejection::DomainNotAscii));
}

#[test]
fn step9_public_suffix_domain() {
    let mut j = jar();
    assert_eq!(rejected(set(&mut j, "https://www.example.co.uk/", "a=1; Domain=co.uk")), Some(Rejection::PublicSuffix));
    assert_eq!(rejected(set(&mut j, "https://attacker.example/", "a=1; Domain=example")), Some(Rejection::PublicSuffix));
    // Identical to the request host: becomes host-only.
    assert_eq!(set(&mut j, "https://github.io/", "a=1; Domain=github.io"), STORED);
    assert!(j.cookies(T0)[0].host_only);
    assert_eq!(get(&mut j, "https://foo.github.io/"), None);
    // With the check off, the public suffix is a domain like any other.
    let mut lax = jar_with(|c| c.reject_public_suffixes = false);
    assert_eq!(set(&mut lax, "https://www.example.co.uk/", "a=1; Domain=co.uk"), STORED);
    assert_eq!(get(&mut lax, "https://other.co.uk/").as_deref(), Some("a=1"));
}

#[test]
fn step10_ip_hosts_only_match_themselves() {
    let mut j = jar();
    assert_eq!(set(&mut j, "http://192.168.0.1/", "a=1; Domain=192.168.0.1"), STORED);
    assert_eq!(rejected(set(&mut j, "http://192.168.0.1/", "b=1; Domain=168.0.1")), Some(Rejection::DomainMismatch));
    assert_eq!(get(&mut j, "http://192.168.0.1/").as_deref(), Some("a=1"));
}

#[test]
fn step11_path_attribute_and_default_path() {
    let mut j = jar();
    set(&mut j, "https://example.com/a/b/c", "d=1");
    set(&mut j, "https://example.com/a/b/c", "p=1; Path=/x");
    set(&mut j, "https://example.com/a/b/c", "q=1; Path=relative");
    set(&mut j, "https://example.com/a/b/c", "r=1; Path=/x; Path=");
    let path = |name: &[u8]| j.cookies(T0).into_iter().find(|c| c.name() == name).map(|c| c.path().to_vec());
    assert_eq!(path(b"d"), Some(b"/a/b".to_vec()));
    assert_eq!(path(b"p"), Some(b"/x".to_vec()));
    assert_eq!(path(b"q"), Some(b"/a/b".to_vec()));
    assert_eq!(path(b"r"), Some(b"/a/b".to_vec()));
}

#[test]
fn step13_secure_requires_a_secure_origin() {
    let mut j = jar();
    assert_eq!(rejected(set(&mut j, "http://example.com/", "a=1; Secure")), Some(Rejection::SecureFromInsecureOrigin));
    assert_eq!(set(&mut j, "https://example.com/", "a=1; Secure"), STORED);
    assert_eq!(get(&mut j, "http://example.com/"), None);
    assert_eq!(get(&mut j, "wss://example.com/").as_deref(), Some("a=1"));
    // Loopback counts as secure when trusted (the default), not otherwise.
    assert_eq!(set(&mut j, "http://localhost/", "b=1; Secure"), STORED);
    let mut strict = jar_with(|c| c.trust_localhost = false);
    assert_eq!(rejected(set(&mut strict, "http://localhost/", "b=1; Secure")), Some(Rejection::SecureFromInsecureOrigin));
    let mut old = jar_with(|c| c.profile = Profile::Rfc6265);
    assert_eq!(set(&mut old, "http://example.com/", "a=1; Secure"), STORED);
}

#[test]
fn step15_and_23_2_httponly_and_non_http_apis() {
    let mut j = jar();
    let script = Context::script();
    assert_eq!(rejected(set_ctx(&mut j, "https://example.com/", "a=1; HttpOnly", &script)), Some(Rejection::HttpOnlyFromNonHttp));
    set(&mut j, "https://example.com/", "a=1; HttpOnly");
    assert_eq!(rejected(set_ctx(&mut j, "https://example.com/", "a=2", &script)), Some(Rejection::OverwritesHttpOnly));
    assert_eq!(get_ctx(&mut j, "https://example.com/", &script), None);
    assert_eq!(get(&mut j, "https://example.com/").as_deref(), Some("a=1"));
    assert_eq!(set(&mut j, "https://example.com/", "a=3"), REPLACED);
    assert_eq!(get_ctx(&mut j, "https://example.com/", &script).as_deref(), Some("a=3"));
}

#[test]
fn step16_leave_secure_cookies_alone() {
    let mut j = jar();
    set(&mut j, "https://example.com/login", "a=secure; Secure; Path=/login");
    // The spec's own example: "/" and "/foo" may be set, "/login" and "/login/en" not.
    assert_eq!(set(&mut j, "http://example.com/", "a=1; Path=/"), STORED);
    assert_eq!(set(&mut j, "http://example.com/", "a=1; Path=/foo"), STORED);
    assert_eq!(rejected(set(&mut j, "http://example.com/", "a=1; Path=/login")), Some(Rejection::OverlaysSecureCookie));
    assert_eq!(rejected(set(&mut j, "http://example.com/", "a=1; Path=/login/en")), Some(Rejection::OverlaysSecureCookie));
    // Domain-matching either way.
    assert_eq!(rejected(set(&mut j, "http://www.example.com/login", "a=1; Path=/login")), Some(Rejection::OverlaysSecureCookie));
    let mut k = jar();
    set(&mut k, "https://www.example.com/", "s=1; Secure");
    assert_eq!(rejected(set(&mut k, "http://www.example.com/", "s=2; Domain=example.com")), Some(Rejection::OverlaysSecureCookie));
    // Other names, and secure origins, are unaffected.
    assert_eq!(set(&mut k, "http://www.example.com/", "t=1"), STORED);
    assert_eq!(set(&mut k, "https://www.example.com/", "s=3"), REPLACED);
}

#[test]
fn step18_samesite_cookies_from_cross_site_contexts() {
    let mut j = jar();
    let cross = Context::from_site("https://other.example/");
    assert_eq!(rejected(set_ctx(&mut j, "https://example.com/", "a=1; SameSite=Lax", &cross)), Some(Rejection::SameSiteFromCrossSiteRequest));
    assert_eq!(rejected(set_ctx(&mut j, "https://example.com/", "a=1", &cross)), Some(Rejection::SameSiteFromCrossSiteRequest));
    assert_eq!(set_ctx(&mut j, "https://example.com/", "n=1; SameSite=None; Secure", &cross), STORED);
    let navigation = Context { top_level_navigation: true, method: "POST".into(), ..cross.clone() };
    assert_eq!(set_ctx(&mut j, "https://example.com/", "s=1; SameSite=Strict", &navigation), STORED);
    let same = Context::from_site("https://www.example.com/");
    assert_eq!(set_ctx(&mut j, "https://example.com/", "l=1; SameSite=Lax", &same), STORED);
    let script = Context { site_for_cookies: SiteForCookies::Opaque, ..Context::script() };
    assert_eq!(rejected(set_ctx(&mut j, "https://example.com/", "x=1", &script)), Some(Rejection::SameSiteFromCrossSiteDocument));
    // Schemeful: http and https of one host are cross-site.
    let http_site = Context::from_site("http://example.com/");
    assert_eq!(rejected(set_ctx(&mut j, "https://example.com/", "y=1; SameSite=Strict", &http_site)), Some(Rejection::SameSiteFromCrossSiteRequest));
}

#[test]
fn step19_samesite_none_requires_secure() {
    let mut j = jar();
    assert_eq!(rejected(set(&mut j, "https://example.com/", "a=1; SameSite=None")), Some(Rejection::SameSiteNoneWithoutSecure));
    assert_eq!(set(&mut j, "https://example.com/", "a=1; SameSite=None; Secure"), STORED);
}

#[test]
fn steps20_21_prefixes_case_insensitive() {
    let mut j = jar();
    let u = "https://site.example/";
    // §5.4's lists of rejected and accepted examples.
    for line in [
        "__Secure-SID=12345; Domain=site.example",
        "__secure-SID=12345; Domain=site.example",
        "__SECURE-SID=12345; Domain=site.example",
        "__Host-SID=12345",
        "__host-SID=12345; Secure",
        "__host-SID=12345; Domain=site.example",
        "__HOST-SID=12345; Domain=site.example; Path=/",
        "__Host-SID=12345; Secure; Domain=site.example; Path=/",
        "__host-SID=12345; Secure; Domain=site.example; Path=/",
        "__HOST-SID=12345; Secure; Domain=site.example; Path=/",
    ] {
        assert!(rejected(set(&mut j, u, line)).is_some(), "{line}");
    }
    for line in [
        "__Secure-SID=12345; Domain=site.example; Secure",
        "__secure-SID=12345; Domain=site.example; Secure",
        "__SECURE-SID=12345; Domain=site.example; Secure",
        "__Host-SID=12345; Secure; Path=/",
        "__host-SID=12345; Secure; Path=/",
        "__HOST-SID=12345; Secure; Path=/",
    ] {
        assert!(rejected(set(&mut j, u, line)).is_none(), "{line}");
    }
    assert_eq!(rejected(set(&mut j, "https://site.example/a/", "__Host-x=1; Secure; Path=/a")), Some(Rejection::HostPrefix));
    let mut old = jar_with(|c| c.profile = Profile::Rfc6265);
    assert_eq!(set(&mut old, "http://site.example/", "__Host-x=1"), STORED);
}

#[test]
fn layered_http_prefixes() {
    let mut j = jar_with(|c| c.profile = Profile::LayeredCookies);
    let u = "https://site.example/";
    assert_eq!(rejected(set(&mut j, u, "__Http-a=1; Secure")), Some(Rejection::HttpPrefix));
    assert_eq!(set(&mut j, u, "__Http-a=1; Secure; HttpOnly"), STORED);
    assert_eq!(rejected(set(&mut j, u, "__Host-Http-b=1; Secure; HttpOnly")), Some(Rejection::HostPrefix));
    assert_eq!(set(&mut j, u, "__Host-Http-b=1; Secure; HttpOnly; Path=/"), STORED);
    assert_eq!(rejected(set(&mut j, u, "=__http-x")), Some(Rejection::NamelessWithPrefixValue));
    assert_eq!(rejected(set(&mut j, u, "a=1; Domain=")), Some(Rejection::DomainNotAHost));
    // Under 6265bis "__Http-" means nothing.
    assert_eq!(set(&mut jar(), u, "__Http-a=1"), STORED);
}

#[test]
fn step22_nameless_cookies_that_look_prefixed() {
    let mut j = jar();
    for line in ["__Secure-x=1", "=__secure-x=1", "__HOST-x", "=__Host-"] {
        let outcome = set(&mut j, "https://example.com/", line);
        if line.starts_with('=') || !line.contains('=') {
            assert_eq!(rejected(outcome), Some(Rejection::NamelessWithPrefixValue), "{line}");
        }
    }
}

#[test]
fn step23_replacement_keeps_creation_time_and_identity_includes_host_only() {
    let mut j = jar();
    set(&mut j, "https://example.com/", "a=1");
    set(&mut j, "https://example.com/", "b=1");
    let later = T0 + 10;
    j.set_cookie("https://example.com/", b"a=2", &Context::http(), later);
    let a = j.cookies(later).into_iter().find(|c| c.name() == b"a").cloned();
    assert_eq!(a.map(|c| (c.value().to_vec(), c.creation_time)), Some((b"2".to_vec(), T0)));
    assert_eq!(j.cookie_header("https://example.com/", &Context::http(), later).as_deref(), Some(&b"a=2; b=1"[..]));
    // A domain cookie with the same name, domain and path is a different cookie.
    set(&mut j, "https://example.com/", "a=3; Domain=example.com");
    assert_eq!(j.len(), 3);
    let mut old = jar_with(|c| c.profile = Profile::Rfc6265);
    set(&mut old, "https://example.com/", "a=1");
    assert_eq!(set(&mut old, "https://example.com/", "a=2; Domain=example.com"), REPLACED);
}

#[test]
fn retrieval_conditions() {
    let mut j = jar();
    set(&mut j, "https://www.example.com/docs/a", "host=1");
    set(&mut j, "https://www.example.com/", "dom=1; Domain=example.com; Path=/");
    set(&mut j, "https://www.example.com/", "http=1; HttpOnly");
    assert_eq!(get(&mut j, "https://www.example.com/docs/x").as_deref(), Some("host=1; dom=1; http=1"));
    assert_eq!(get(&mut j, "https://www.example.com/docsx"), Some("dom=1; http=1".into()));
    assert_eq!(get(&mut j, "https://a.www.example.com/docs/"), Some("dom=1".into()));
    assert_eq!(get_ctx(&mut j, "https://www.example.com/", &Context::script()).as_deref(), Some("dom=1"));
    let r = j.retrieve("https://a.www.example.com/docs/", &Context::http(), T0);
    let reasons: Vec<Exclusion> = r.excluded.iter().map(|(_, e)| *e).collect();
    assert!(reasons.contains(&Exclusion::HostOnlyMismatch));
    assert_eq!(j.retrieve("https://exa mple.com/", &Context::http(), T0), Retrieval::default());
}

#[test]
fn retrieval_samesite_rules() {
    let mut j = jar();
    let u = "https://example.com/";
    for line in ["s=1; SameSite=Strict", "l=1; SameSite=Lax", "d=1", "n=1; SameSite=None; Secure"] {
        set(&mut j, u, line);
    }
    let cross = Context::from_site("https://other.example/");
    assert_eq!(get_ctx(&mut j, u, &cross).as_deref(), Some("n=1"));
    let nav = Context { top_level_navigation: true, ..cross.clone() };
    assert_eq!(get_ctx(&mut j, u, &nav).as_deref(), Some("l=1; d=1; n=1"));
    let post = Context { method: "POST".into(), ..nav.clone() };
    assert_eq!(get_ctx(&mut j, u, &post).as_deref(), Some("n=1"));
    assert_eq!(get_ctx(&mut j, u, &Context::from_site("https://sub.example.com/")).as_deref(), Some("s=1; l=1; d=1; n=1"));
    // Lax-allowing-unsafe: young Default cookies on unsafe top-level navigations.
    let mut k = jar_with(|c| c.lax_allowing_unsafe = Some(120));
    set(&mut k, u, "d=1");
    set(&mut k, u, "l=1; SameSite=Lax");
    assert_eq!(k.cookie_header(u, &post, T0 + 120).as_deref(), Some(&b"d=1"[..]));
    assert_eq!(k.cookie_header(u, &post, T0 + 121), None);
}

#[test]
fn retrieval_orders_by_path_length_then_creation() {
    let mut j = jar();
    set(&mut j, "https://example.com/", "a=1; Path=/");
    j.set_cookie("https://example.com/", b"b=1; Path=/x/y", &Context::http(), T0 + 1);
    j.set_cookie("https://example.com/", b"c=1; Path=/x", &Context::http(), T0 + 2);
    j.set_cookie("https://example.com/", b"d=1; Path=/", &Context::http(), T0 + 3);
    assert_eq!(j.cookie_header("https://example.com/x/y", &Context::http(), T0 + 4).as_deref(), Some(&b"b=1; c=1; a=1; d=1"[..]));
}

#[test]
fn serialization_of_nameless_and_empty_values() {
    let mut j = jar();
    set(&mut j, "https://example.com/", "novalue");
    set(&mut j, "https://example.com/", "empty=");
    assert_eq!(get(&mut j, "https://example.com/").as_deref(), Some("novalue; empty="));
}

#[test]
fn retrieval_updates_last_access_time() {
    let mut j = jar();
    set(&mut j, "https://example.com/", "a=1");
    j.cookie_header("https://example.com/", &Context::http(), T0 + 50);
    assert_eq!(j.cookies(T0 + 50)[0].last_access_time, T0 + 50);
}

#[test]
fn eviction_per_domain_prefers_non_secure_then_least_recently_accessed() {
    let mut j = jar_with(|c| c.max_cookies_per_domain = 4);
    j.set_cookie("https://example.com/", b"s=1; Secure", &Context::http(), T0);
    j.set_cookie("https://example.com/", b"a=1", &Context::http(), T0 + 1);
    j.set_cookie("https://example.com/", b"b=1; Path=/b", &Context::http(), T0 + 2);
    j.set_cookie("https://example.com/", b"c=1; Path=/c", &Context::http(), T0 + 3);
    // Over http only "a" is sent, so its last-access-time moves on while the Secure "s" keeps
    // the oldest one; "s" must still survive, because non-secure cookies go first.
    j.cookie_header("http://example.com/", &Context::http(), T0 + 4);
    j.set_cookie("https://example.com/", b"d=1; Path=/d", &Context::http(), T0 + 5);
    let mut names: Vec<Vec<u8>> = j.cookies(T0 + 5).into_iter().map(|c| c.name().to_vec()).collect();
    names.sort();
    assert_eq!(names, vec![b"a".to_vec(), b"c".to_vec(), b"d".to_vec(), b"s".to_vec()]);
}

#[test]
fn eviction_total_bound() {
    let mut j = jar_with(|c| c.max_cookies_total = 2);
    j.set_cookie("https://a.example/", b"a=1", &Context::http(), T0);
    j.set_cookie("https://b.example/", b"b=1", &Context::http(), T0 + 1);
    j.cookie_header("https://a.example/", &Context::http(), T0 + 2);
    j.set_cookie("https://c.example/", b"c=1", &Context::http(), T0 + 3);
    assert_eq!(j.len(), 2);
    assert_eq!(j.cookie_header("https://b.example/", &Context::http(), T0 + 4), None);
}

#[test]
fn expired_cookies_are_evicted_and_never_sent() {
    let mut j = jar();
    set(&mut j, "https://example.com/", "a=1; Max-Age=10");
    assert_eq!(j.cookie_header("https://example.com/", &Context::http(), T0 + 10).as_deref(), Some(&b"a=1"[..]));
    assert_eq!(j.cookie_header("https://example.com/", &Context::http(), T0 + 11), None);
    assert!(j.is_empty());
}

#[test]
fn expired_cookies_are_not_replaced_nor_protected() {
    let mut j = jar();
    set(&mut j, "https://example.com/", "a=1; Max-Age=10; Secure; HttpOnly");
    j.set_cookie("https://example.com/", b"b=1", &Context::http(), T0 + 5);
    // Step 23: the expired "a" is gone, so the new "a" gets its own creation-time (after "b"),
    // and a non-HTTP API may set it (step 23.2).
    let later = T0 + 20;
    assert_eq!(j.set_cookie("https://example.com/", b"a=2", &Context::script(), later), STORED);
    assert_eq!(j.cookie_header("https://example.com/", &Context::http(), later).as_deref(), Some(&b"b=1; a=2"[..]));
    // Step 16: an expired Secure cookie does not block a non-secure one.
    let mut k = jar();
    set(&mut k, "https://example.com/", "s=1; Secure; Max-Age=10");
    assert_eq!(k.set_cookie("http://example.com/", b"s=2", &Context::http(), T0 + 11), STORED);
}

#[test]
fn top_level_navigations_are_first_party() {
    let nav = Context { top_level_navigation: true, ..Context::from_site("https://news.example/") };
    let mut block = jar_with(|c| c.third_party = ThirdPartyPolicy::Block);
    assert_eq!(set_ctx(&mut block, "https://shop.example/", "a=1", &nav), STORED);
    assert_eq!(get_ctx(&mut block, "https://shop.example/", &nav).as_deref(), Some("a=1"));
    let mut partition = jar_with(|c| c.third_party = ThirdPartyPolicy::Partition);
    set_ctx(&mut partition, "https://shop.example/", "a=1", &nav);
    assert_eq!(partition.cookies(T0)[0].partition_key, None);
}

#[test]
fn session_end_removes_non_persistent_cookies() {
    let mut j = jar();
    set(&mut j, "https://example.com/", "a=1");
    set(&mut j, "https://example.com/", "b=1; Max-Age=100");
    j.end_session();
    assert_eq!(get(&mut j, "https://example.com/").as_deref(), Some("b=1"));
}

#[test]
fn chips_partitioned_cookies() {
    let mut j = jar_with(|c| c.chips = true);
    let widget = "https://widget.example/";
    let under = |top: &str| Context {
        site_for_cookies: SiteForCookies::Opaque,
        top_level: Some(top.to_owned()),
        ..Context::http()
    };
    let in_a = under("https://a.example/");
    let in_b = under("https://b.example/");
    assert_eq!(set_ctx(&mut j, widget, "p=a; Secure; Partitioned; SameSite=None", &in_a), STORED);
    assert_eq!(get_ctx(&mut j, widget, &in_a).as_deref(), Some("p=a"));
    assert_eq!(get_ctx(&mut j, widget, &in_b), None);
    assert_eq!(set_ctx(&mut j, widget, "p=b; Secure; Partitioned; SameSite=None", &in_b), STORED);
    assert_eq!(get_ctx(&mut j, widget, &in_b).as_deref(), Some("p=b"));
    assert_eq!(rejected(set_ctx(&mut j, widget, "q=1; Partitioned; SameSite=None", &in_a)), Some(Rejection::PartitionedWithoutSecure));
    // Without CHIPS, Partitioned is an unknown attribute.
    let mut plain = jar();
    set_ctx(&mut plain, widget, "p=x; Secure; Partitioned; SameSite=None", &in_a);
    assert_eq!(get_ctx(&mut plain, widget, &in_b).as_deref(), Some("p=x"));
}

#[test]
fn third_party_policies() {
    let tracker = "https://tracker.example/pixel";
    let third = Context::from_site("https://news.example/");
    let line = "id=1; SameSite=None; Secure";
    let mut block = jar_with(|c| c.third_party = ThirdPartyPolicy::Block);
    assert_eq!(rejected(set_ctx(&mut block, tracker, line, &third)), Some(Rejection::ThirdPartyBlocked));
    set(&mut block, tracker, line);
    assert_eq!(get(&mut block, tracker).as_deref(), Some("id=1"));
    assert_eq!(get_ctx(&mut block, tracker, &third), None);

    let mut partition = jar_with(|c| c.third_party = ThirdPartyPolicy::Partition);
    assert_eq!(set_ctx(&mut partition, tracker, line, &third), STORED);
    assert_eq!(get_ctx(&mut partition, tracker, &third).as_deref(), Some("id=1"));
    assert_eq!(get_ctx(&mut partition, tracker, &Context::from_site("https://shop.example/")), None);
    assert_eq!(get(&mut partition, tracker), None);
}

#[test]
fn bad_urls_are_rejected_not_panicking() {
    let mut j = jar();
    assert_eq!(rejected(set(&mut j, "not a url", "a=1")), Some(Rejection::BadRequestUri));
    assert_eq!(rejected(set(&mut j, "data:text/plain,x", "a=1")), Some(Rejection::BadRequestUri));
    assert_eq!(get(&mut j, "not a url"), None);
}

#[test]
fn replacing_and_deleting_cookies_in_any_position_keeps_every_other_cookie_findable() {
    // The store keeps a domain's cookies in a vector with an identity index: removing one
    // moves the last into its place, which must stay findable for later replacements.
    let mut j = jar();
    let url = "https://example.com/";
    for line in ["a=1", "b=1", "c=1", "d=1"] {
        j.set_cookie(url, line.as_bytes(), &Context::http(), T0);
    }
    j.set_cookie(url, b"a=; Max-Age=0", &Context::http(), T0 + 1); // removes the first
    j.set_cookie(url, b"d=2", &Context::http(), T0 + 2); // the moved one, replaced
    j.set_cookie(url, b"b=2", &Context::http(), T0 + 3);
    j.set_cookie(url, b"c=; Max-Age=0", &Context::http(), T0 + 4);
    j.set_cookie(url, b"d=3", &Context::http(), T0 + 5);
    assert_eq!(j.len(), 2);
    // Creation-times are kept through replacement: b before d.
    assert_eq!(j.cookie_header(url, &Context::http(), T0 + 6).as_deref(), Some(&b"b=2; d=3"[..]));
    // A host-only group is skipped for other hosts, and still found for its own.
    assert_eq!(j.cookie_header("https://www.example.com/", &Context::http(), T0 + 6), None);
    j.set_cookie("https://www.example.com/", b"e=1; Domain=example.com", &Context::http(), T0 + 7);
    assert_eq!(j.cookie_header("https://www.example.com/", &Context::http(), T0 + 8).as_deref(), Some(&b"e=1"[..]));
    assert_eq!(j.cookie_header(url, &Context::http(), T0 + 8).as_deref(), Some(&b"b=2; d=3; e=1"[..]));
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn line() -> impl Strategy<Value = Vec<u8>> {
        let token = prop_oneof![
            Just(b"a=b".to_vec()),
            Just(b"=".to_vec()),
            Just(b";".to_vec()),
            Just(b" ".to_vec()),
            Just(b"Secure".to_vec()),
            Just(b"HttpOnly".to_vec()),
            Just(b"Domain=example.com".to_vec()),
            Just(b"Domain=.www.example.com".to_vec()),
            Just(b"Path=/a".to_vec()),
            Just(b"Max-Age=30".to_vec()),
            Just(b"Max-Age=-1".to_vec()),
            Just(b"Expires=Wed, 01 Jan 2020 00:00:00 GMT".to_vec()),
            Just(b"SameSite=None".to_vec()),
            Just(b"SameSite=Lax".to_vec()),
            Just(b"__Host-".to_vec()),
            Just(b"Partitioned".to_vec()),
            proptest::collection::vec(any::<u8>(), 0..8),
        ];
        proptest::collection::vec(token, 0..10).prop_map(|t| t.concat())
    }

    fn url() -> impl Strategy<Value = &'static str> {
        prop_oneof![
            Just("https://example.com/"),
            Just("http://example.com/a/b"),
            Just("https://www.example.com/a"),
            Just("https://sub.www.example.com/"),
            Just("http://192.168.0.1/"),
            Just("https://example.org/"),
        ]
    }

    #[derive(Debug, Clone)]
    enum StoreOp {
        Set { host: &'static str, name: u8, domain_attr: bool, path: &'static str, max_age: Option<i64>, advance: i64 },
        Get { host: &'static str, advance: i64 },
        EvictExpired,
        EndSession,
    }

    /// Operations on a few related hosts, with enough names for a domain's group to outgrow
    /// its linear search, short lifetimes, deletions and session ends.
    fn store_op() -> impl Strategy<Value = StoreOp> {
        let host = prop_oneof![Just("example.com"), Just("www.example.com"), Just("a.www.example.com"), Just("example.org")];
        let path = prop_oneof![Just("/"), Just("/a")];
        let max_age = prop_oneof![Just(None), Just(Some(0)), (1i64..5).prop_map(Some), Just(Some(1000))];
        prop_oneof![
            6 => (host.clone(), 0u8..14, any::<bool>(), path, max_age, 0i64..3).prop_map(|(host, name, domain_attr, path, max_age, advance)| StoreOp::Set { host, name, domain_attr, path, max_age, advance }),
            2 => (host, 0i64..3).prop_map(|(host, advance)| StoreOp::Get { host, advance }),
            1 => Just(StoreOp::EvictExpired),
            1 => Just(StoreOp::EndSession),
        ]
    }

    fn context() -> impl Strategy<Value = Context> {
        (any::<bool>(), any::<bool>(), any::<bool>(), prop_oneof![Just("GET"), Just("POST")]).prop_map(
            |(script, cross, nav, method)| Context {
                api: if script { Api::NonHttp } else { Api::Http },
                site_for_cookies: if cross { SiteForCookies::Origin("https://other.example/".into()) } else { SiteForCookies::NoClient },
                top_level_navigation: nav,
                method: method.into(),
                top_level: None,
            },
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        /// No byte string panics the jar, and the Cookie header only ever carries cookies that
        /// domain-match, path-match, are unexpired, and are not Secure over http.
        #[test]
        fn header_only_carries_matching_unexpired_cookies(
            ops in proptest::collection::vec((url(), line(), context(), 0i64..100), 1..12),
            request in url(),
            ctx in context(),
            profile in prop_oneof![Just(Profile::Rfc6265), Just(Profile::Rfc6265bis), Just(Profile::LayeredCookies)],
            chips in any::<bool>(),
        ) {
            let mut j = jar_with(|c| { c.profile = profile; c.chips = chips; });
            let mut now = T0;
            for (u, l, c, dt) in &ops {
                now += dt;
                let _ = j.set_cookie(u, l, c, now);
            }
            let uri = RequestUri::parse(request).expect("test URLs parse");
            let retrieval = j.retrieve(request, &ctx, now);
            let stored = j.cookies(now);
            for included in &retrieval.included {
                let c = stored.iter().find(|c| c.name() == included.name && c.domain() == included.domain && c.path() == included.path && c.host_only == included.host_only);
                let c = c.expect("included cookies are stored");
                prop_assert!(!c.is_expired(now));
                if c.host_only {
                    prop_assert_eq!(c.domain(), uri.host.name.as_str());
                } else {
                    prop_assert!(domain_match(&uri.host.name, c.domain()));
                }
                prop_assert!(path_match(uri.path.as_bytes(), c.path()));
                prop_assert!(!c.secure_only || uri.is_secure(true));
            }
            // Deterministic: the same operations give the same header.
            let mut again = jar_with(|c| { c.profile = profile; c.chips = chips; });
            let mut now2 = T0;
            for (u, l, c, dt) in &ops {
                now2 += dt;
                let _ = again.set_cookie(u, l, c, now2);
            }
            // ... and the header alone (which skips what only an explanation reads) is the
            // explained retrieval's cookie-string.
            prop_assert_eq!(again.cookie_header(request, &ctx, now2), retrieval.cookie_string);
        }

        /// The store's indexes (groups by domain, identity indexes of large groups, the set of
        /// domains holding domain cookies, sites) agree with its cookies after every operation,
        /// and a header, which skips parents holding only host-only cookies, is the explained
        /// retrieval's cookie-string, which reads every parent.
        #[test]
        fn store_indexes_stay_consistent(
            ops in proptest::collection::vec(store_op(), 1..60),
            per_domain in prop_oneof![Just(usize::MAX), 1usize..12],
            total in prop_oneof![Just(usize::MAX), 1usize..30],
            profile in prop_oneof![Just(Profile::Rfc6265), Just(Profile::Rfc6265bis)],
        ) {
            let mut j = jar_with(|c| { c.profile = profile; c.max_cookies_per_domain = per_domain; c.max_cookies_total = total; });
            let mut now = T0;
            for op in &ops {
                match op {
                    StoreOp::Set { host, name, domain_attr, path, max_age, advance } => {
                        now += advance;
                        let mut line = format!("n{name}=v; Path={path}");
                        if *domain_attr {
                            line.push_str("; Domain=example.com");
                        }
                        if let Some(age) = max_age {
                            line.push_str(&format!("; Max-Age={age}"));
                        }
                        let _ = j.set_cookie(&format!("https://{host}/"), line.as_bytes(), &Context::http(), now);
                    }
                    StoreOp::Get { host, advance } => {
                        now += advance;
                        let url = format!("https://{host}/a/");
                        let header = j.cookie_header(&url, &Context::http(), now);
                        prop_assert_eq!(header, j.retrieve(&url, &Context::http(), now).cookie_string);
                    }
                    StoreOp::EvictExpired => j.evict_expired(now),
                    StoreOp::EndSession => j.end_session(),
                }
                j.store.assert_consistent();
            }
        }

        #[test]
        fn arbitrary_bytes_and_urls_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200), url in ".{0,40}") {
            let mut j = jar();
            let _ = j.set_cookie(&url, &bytes, &Context::http(), T0);
            let _ = j.set_cookie("https://example.com/", &bytes, &Context::script(), T0);
            let _ = j.retrieve(&url, &Context::http(), T0);
        }
    }
}
