//! A few corpus cases against live headless Chromium (cli/src/live/chromium.rs), including
//! cross-site requests made for real (link click, form POST, `<img>`). Skipped, with the reason
//! printed, when Chromium is not installed or ports 80/443 cannot be bound (not root).
//!
//! The whole corpus: `cookie-conformance run --target chromium --xfail cli/xfail/chromium.yaml`
//! (about 90 s); a CI subset: add `--tag samesite`.

mod live_common;

use cookie_conformance_cli::live::ChromiumTarget;
use cookie_conformance::Target;
use live_common::{failures, started};

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
    let Some(mut target) = started(ChromiumTarget::new(), "chromium") else { return };
    let bad = failures(&mut target, CASES);
    assert!(bad.is_empty(), "{} via {}:\n{}", bad.len(), target.name(), bad.join("\n"));
}
