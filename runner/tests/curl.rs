//! A few corpus cases against the live curl target (runner/src/live/curl.rs): curl fetches
//! the cases' URLs from the runner's loopback HTTP/HTTPS server and its cookie engine must
//! pass them. Skipped, with the reason printed, when curl is not installed.
//!
//! The whole corpus takes minutes (one curl process per step); run it with
//! `cookie-conformance run --target curl --xfail runner/xfail/curl.yaml`.

use cookie_conformance::live::CurlTarget;
use cookie_conformance::reference_jar::Profile;
use cookie_conformance::{Corpus, Outcome, Target};

/// Cases curl 7.88 passes, over http and https, across areas (none needs a capability curl
/// lacks).
const CASES: &[&str] = &[
    "Max-Age=0 deletes an existing cookie",
    "only one leading dot is removed from Domain so two leading dots do not domain-match",
    "Path=/a set from the root is sent only below /a",
    "deleting with a Path removes only the cookie with that path",
    "http cannot overwrite a secure cookie with a non-secure one",
    "HttpOnly does not lift the Secure restriction",
    "__Host- cookie with Path=/a is rejected",
    "deleting the host-only cookie leaves the Domain cookie of the same name",
];

#[test]
fn corpus_cases_pass_against_live_curl() {
    let mut target = match CurlTarget::new() {
        Ok(t) => t,
        Err(e) => {
            eprintln!("skipped: the curl target cannot start: {e}");
            return;
        }
    };
    let caps = target.capabilities();
    let corpus = Corpus::embedded().expect("the embedded corpus loads");
    let mut bad = Vec::new();
    for name in CASES {
        let case = corpus.get(name).unwrap_or_else(|| panic!("no case named {name:?} in the corpus"));
        let r = cookie_conformance::run_case(&mut target, &caps, case, Profile::Rfc6265bis, None, false);
        if r.outcome != Outcome::Pass {
            bad.push(format!("{} [{}]: {}", r.case, r.outcome.name(), r.detail.or(r.reason).unwrap_or_default()));
        }
    }
    assert!(bad.is_empty(), "{} via {}:\n{}", bad.len(), target.version(), bad.join("\n"));
}

#[test]
fn a_known_curl_divergence_is_observed() {
    // §5.1.1 step 3 maps the two-digit year 70 to 1970; curl maps it to 2070 (see
    // xfail/curl.yaml), so the expired cookie survives: the target reports what curl does.
    let mut target = match CurlTarget::new() {
        Ok(t) => t,
        Err(e) => {
            eprintln!("skipped: the curl target cannot start: {e}");
            return;
        }
    };
    let caps = target.capabilities();
    let corpus = Corpus::embedded().expect("the embedded corpus loads");
    let case = corpus.get("two-digit year 70 is 1970").expect("case present");
    let r = cookie_conformance::run_case(&mut target, &caps, case, Profile::Rfc6265bis, None, false);
    assert_eq!(r.outcome, Outcome::Fail, "{r:?}");
    assert_eq!(r.actual, Some(serde_json::json!("a=new")), "{r:?}");
}
