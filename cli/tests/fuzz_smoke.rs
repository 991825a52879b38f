//! CI smoke test of the differential fuzzer (`cookie-conformance fuzz`): bounded, seeded runs
//! of the in-process engine that fail when the reference jar panics on a generated scenario, or
//! when the same seed gives different buckets (or different minimized cases) twice.
//!
//! `cargo test -p cookie-conformance-cli --test fuzz_smoke` (well under 30 s in debug builds).

use std::time::Duration;

use cookie_conformance_cli::fuzz::{run, Options, RunResult};

fn options(targets: &[&str], seed: u64, scenarios: u64) -> Options {
    Options {
        targets: targets.iter().map(|t| (*t).to_owned()).collect(),
        seed,
        time: Duration::from_secs(60),
        max_scenarios: Some(scenarios),
        jobs: 1,
        minimize_budget: 400,
        quirk_dir: cookie_conformance_cli::fuzz::quirk_dir(),
        progress: false,
    }
}

fn no_reference_panic(r: &RunResult) {
    let panics: Vec<String> = r.reference_panics().iter().map(|b| b.case_yaml(r.info.seed, &r.info.command)).collect();
    assert!(panics.is_empty(), "the reference jar panicked:\n{}", panics.join("\n"));
}

#[test]
fn the_reference_jar_alone_never_panics_and_never_disagrees_with_itself() {
    let r = run(&options(&["reference"], 20260101, 60_000)).expect("runs");
    assert_eq!(r.info.scenarios, 60_000);
    no_reference_panic(&r);
    assert!(r.buckets.is_empty(), "{:?}", r.signatures());
}

#[test]
fn a_seed_gives_the_same_buckets_and_cases_twice() {
    // cookie_store's store is built on hash maps whose iteration order changes from one
    // instance to the next; its order differences are declared quirks, so the buckets must
    // still be stable. The cookie crate's parser is deterministic.
    let targets: &[&str] = if cookie_conformance_cli::targets::find("cookie_store").is_some_and(|t| (t.build)().is_ok()) {
        &["reference", "cookie_store", "cookie"]
    } else {
        eprintln!("cookie_store cannot start here (no public suffix list?): comparing with the cookie crate only");
        &["reference", "cookie"]
    };
    let a = run(&options(targets, 7, 3_000)).expect("runs");
    let b = run(&options(targets, 7, 3_000)).expect("runs");
    no_reference_panic(&a);
    assert!(!a.buckets.is_empty(), "a seeded run against other parsers finds something");
    assert_eq!(a.signatures(), b.signatures());
    for (x, y) in a.buckets.iter().zip(&b.buckets) {
        assert_eq!(x.hits, y.hits, "{}", x.signature);
        assert_eq!(x.case_yaml(7, "x"), y.case_yaml(7, "x"), "{}", x.signature);
    }
}

#[test]
fn an_adapter_over_http_is_a_fuzz_column_and_the_served_reference_agrees_with_itself() {
    // The reference jar behind the adapter protocol (`serve`), fuzzed against the in-process
    // reference: every scenario goes through the HTTP target and the wire format, so any
    // difference is a bug of the wire, the server or the client.
    let server = cookie_conformance_cli::serve::Server::bind(0).expect("binds");
    let url = format!("adapter:http://127.0.0.1:{}", server.port());
    server.spawn();
    let r = run(&options(&["reference", &url], 11, 1_500)).expect("runs");
    assert_eq!(r.info.scenarios, 1_500);
    no_reference_panic(&r);
    assert!(r.buckets.is_empty(), "the served reference jar disagrees with itself: {:?}", r.signatures());
}
