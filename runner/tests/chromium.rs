//! A few corpus cases against live headless Chromium (runner/src/live/chromium.rs), including
//! cross-site requests made for real (link click, form POST, `<img>`). Skipped, with the reason
//! printed, when Chromium is not installed or ports 80/443 cannot be bound (not root).
//!
//! The whole corpus: `cookie-conformance run --target chromium --xfail runner/xfail/chromium.yaml`
//! (about 90 s); a CI subset: add `--tag samesite`.

use cookie_conformance::live::ChromiumTarget;
use cookie_conformance::reference_jar::Profile;
use cookie_conformance::{Corpus, Outcome, Target};

/// Cases Chromium passes: same-site basics and cross-site contexts of each kind.
const CASES: &[&str] = &[
    "Max-Age=0 deletes an existing cookie",
    "http cannot overwrite a secure cookie with a non-secure one",
    "SameSite value NONE in upper case is recognised as None",
    "Lax cookie is not sent on a cross-site subresource GET",
    "Strict cookie from a cross-site top-level GET navigation response is stored",
    "cross-site top-level GET navigation carries Lax, Default and None cookies but not Strict",
];

#[test]
fn corpus_cases_pass_against_live_chromium() {
    let mut target = match ChromiumTarget::new() {
        Ok(t) => t,
        Err(e) => {
            eprintln!("skipped: the chromium target cannot start: {e}");
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
    assert!(bad.is_empty(), "{} via {}:\n{}", bad.len(), target.name(), bad.join("\n"));
}
