//! A few corpus cases against live WebKitGTK (MiniBrowser under WebKitWebDriver,
//! cli/src/live/webkit.rs): cross-site requests made for real (link click, form POST, `<img>`,
//! a cross-site frame), both third-party policies, the virtual clock, and a jar emptied between
//! cases of one session. Skipped, with the reason printed, when WebKitWebDriver is not installed;
//! with `CI` set, a WebKit that cannot start fails the test instead.
//!
//! The whole corpus: `cookie-conformance run --target webkit --xfail cli/xfail/webkit.yaml`;
//! a CI subset: add `--tag samesite --tag chips --tag third-party --tag seed`.

mod live_common;

use cookie_conformance::reference_jar::{Context, Profile};
use cookie_conformance::target::Setup;
use cookie_conformance::Target;
use cookie_conformance_cli::live::WebkitTarget;
use live_common::failures;

/// Cases WebKit passes: same-site basics, cross-site contexts of each kind, both policies, and
/// expiry on the virtual clock (a year-long case and a Max-Age countdown).
const CASES: &[&str] = &[
    "Max-Age=0 deletes an existing cookie",
    "http cannot overwrite a secure cookie with a non-secure one",
    "Lax cookie is not sent on a cross-site subresource GET",
    "Strict cookie from a cross-site top-level GET navigation response is stored",
    "third-party block keeps a first-party cookie out of third-party requests",
    "seed table - a cross-site pixel's SameSite=None Secure cookie is sent from another top-level site (third parties allowed)",
    "seed table - the tracker's own first-party cookie is not sent on its pixel from another site (third parties blocked)",
    "Max-Age=60 cookie is sent at 59 seconds and gone at 61 seconds",
    "Expires one day ahead keeps the cookie for a day",
];

fn start() -> Option<WebkitTarget> {
    match WebkitTarget::new() {
        Ok(t) => Some(t),
        Err(e) if std::env::var_os("CI").is_some() => panic!("CI is set and the webkit target cannot start: {e}"),
        Err(e) => {
            eprintln!("skipped: the webkit target cannot start: {e}");
            None
        }
    }
}

#[test]
fn corpus_cases_pass_against_live_webkit() {
    let Some(mut target) = start() else { return };
    let bad = failures(&mut target, CASES);
    assert!(bad.is_empty(), "{} via {}:\n{}", bad.len(), target.name(), bad.join("\n"));
}

/// Cookies of every kind the previous case left (host-only with a path, a domain cookie set from
/// a subdomain, a Secure one, one set by script) are gone after `reset`, for the Cookie header
/// and for `document.cookie` (measured: WebDriver's cookie deletion left a deleted cookie visible
/// to `document.cookie` in the next case; the target now starts a new session per case).
#[test]
fn reset_empties_the_jar() {
    let Some(mut target) = start() else { return };
    let corpus = cookie_conformance::Corpus::embedded().expect("the embedded corpus loads");
    let case = corpus.get("Max-Age=0 deletes an existing cookie").expect("a case to take the setup from");
    let setup = Setup {
        profile: Profile::Rfc6265bis,
        config: case.config.jar_config(Profile::Rfc6265bis),
        options: case.config.clone(),
        start: case.start(),
        case: case.full_name(),
    };
    let now = case.start();
    let http = Context::http();
    target.reset(&setup).unwrap();
    let lines = [b"h=1; Path=/dir".to_vec(), b"d=2; Domain=example.com".to_vec(), b"s=3; Secure".to_vec()];
    target.set_cookies("https://www.example.com/dir/page", &lines, &http, now).unwrap();
    target.set_cookies("https://other.example/", &[b"js=4".to_vec()], &Context::script(), now).unwrap();
    let before = target.cookie_header("https://www.example.com/dir/x", &http, now).unwrap().unwrap_or_default();
    // In any order (WebKit's is not the corpus's concern here).
    let mut pairs: Vec<&[u8]> = before.split(|&b| b == b';').map(|p| p.trim_ascii()).collect();
    pairs.sort();
    assert_eq!(pairs, [&b"d=2"[..], b"h=1", b"s=3"], "the cookies were not set: {:?}", String::from_utf8_lossy(&before));
    target.reset(&setup).unwrap();
    for url in ["https://www.example.com/dir/x", "https://example.com/", "https://other.example/"] {
        let after = target.cookie_header(url, &http, now).unwrap();
        assert_eq!(after, None, "{url} still gets {:?} after reset", after.as_deref().map(String::from_utf8_lossy));
        let script = target.cookie_header(url, &Context::script(), now).unwrap();
        assert_eq!(script, None, "document.cookie at {url} still shows {:?} after reset", script.as_deref().map(String::from_utf8_lossy));
    }
}
