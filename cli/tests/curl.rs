//! A few corpus cases against the live curl target (cli/src/live/curl.rs): curl fetches
//! the cases' URLs from the runner's loopback HTTP/HTTPS server and its cookie engine must
//! pass them. Skipped, with the reason printed, when curl is not installed.
//!
//! The whole corpus takes minutes (one curl process per step); run it with
//! `cookie-conformance run --target curl --xfail cli/xfail/curl.yaml`.

mod live_common;

use cookie_conformance_cli::live::CurlTarget;
use cookie_conformance::{Corpus, Outcome};
use live_common::{failures, run_named, started};

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
    let Some(mut target) = started(CurlTarget::new(), "curl") else { return };
    let bad = failures(&mut target, CASES);
    assert!(bad.is_empty(), "{} via {}:\n{}", bad.len(), target.version(), bad.join("\n"));
}

#[test]
fn a_known_curl_divergence_is_observed() {
    // §5.1.1 step 3 maps the two-digit year 70 to 1970; curl maps it to 2070 (see
    // xfail/curl.yaml), so the expired cookie survives: the target reports what curl does.
    let Some(mut target) = started(CurlTarget::new(), "curl") else { return };
    let corpus = Corpus::embedded().expect("the embedded corpus loads");
    let r = run_named(&mut target, &corpus, "two-digit year 70 is 1970");
    assert_eq!(r.outcome, Outcome::Fail, "{r:?}");
    assert_eq!(r.actual, Some(serde_json::json!("a=new")), "{r:?}");
}
