//! Shared by the live-client tests (curl.rs, chromium.rs): start the client or skip with the
//! reason, and run named corpus cases on it.
// Each test binary compiles this module and uses only some of it.
#![allow(dead_code)]

use cookie_conformance::reference_jar::Profile;
use cookie_conformance::{CaseResult, Corpus, Target};

/// The started target, or `None` (the test is skipped) with the reason printed.
pub fn started<T, E: std::fmt::Display>(target: Result<T, E>, name: &str) -> Option<T> {
    match target {
        Ok(t) => Some(t),
        Err(e) => {
            eprintln!("skipped: the {name} target cannot start: {e}");
            None
        }
    }
}

/// The embedded corpus case called `name`, run on `target` under rfc6265bis.
pub fn run_named(target: &mut dyn Target, corpus: &Corpus, name: &str) -> CaseResult {
    let case = corpus.get(name).unwrap_or_else(|| panic!("no case named {name:?} in the corpus"));
    let caps = target.capabilities();
    cookie_conformance::run_case(target, &caps, case, Profile::Rfc6265bis, None, false)
}

/// The cases of `names` that do not pass on `target`, each with its outcome and detail.
pub fn failures(target: &mut dyn Target, names: &[&str]) -> Vec<String> {
    let corpus = Corpus::embedded().expect("the embedded corpus loads");
    names
        .iter()
        .map(|name| run_named(target, &corpus, name))
        .filter(|r| r.outcome != cookie_conformance::Outcome::Pass)
        .map(|r| format!("{} [{}]: {}", r.case, r.outcome.name(), r.detail.or(r.reason).unwrap_or_default()))
        .collect()
}
