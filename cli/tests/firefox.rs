//! A few corpus cases against live headless Firefox (cli/src/live/firefox.rs), including
//! cross-site requests made for real (link click, form POST, `<img>`, a cross-site frame),
//! CHIPS and the three third-party policies. Skipped, with the reason printed, when Firefox is
//! not installed (`firefox-esr`, `firefox` or `$FIREFOX`); with `CI` set, a Firefox that
//! cannot start fails the test instead.
//!
//! The whole corpus: `cookie-conformance run --target firefox --xfail cli/xfail/firefox.yaml`
//! (about 5 minutes, both profiles); a CI subset: add `--tag samesite --tag chips`.

mod live_common;

use cookie_conformance::Target;
use cookie_conformance_cli::live::FirefoxTarget;
use live_common::failures;

/// Cases Firefox passes: same-site basics, cross-site contexts of each kind, CHIPS, policies.
const CASES: &[&str] = &[
    "Max-Age=0 deletes an existing cookie",
    "http cannot overwrite a secure cookie with a non-secure one",
    "SameSite value NONE in upper case is recognised as None",
    "Lax cookie is not sent on a cross-site subresource GET",
    "Strict cookie from a cross-site top-level GET navigation response is stored",
    "cross-site top-level GET navigation carries Lax, Default and None cookies but not Strict",
    "partitioned cookie set in a third-party iframe is sent under the same top-level site only",
    "without CHIPS the Partitioned attribute is ignored and the cookie follows the widget everywhere",
    "third-party partitioning keys an iframe cookie by the top-level site without Partitioned",
];

#[test]
fn corpus_cases_pass_against_live_firefox() {
    let mut target = match FirefoxTarget::new() {
        Ok(t) => t,
        Err(e) if std::env::var_os("CI").is_some() => panic!("CI is set and the firefox target cannot start: {e}"),
        Err(e) => {
            eprintln!("skipped: the firefox target cannot start: {e}");
            return;
        }
    };
    let bad = failures(&mut target, CASES);
    assert!(bad.is_empty(), "{} via {}:\n{}", bad.len(), target.name(), bad.join("\n"));
}
