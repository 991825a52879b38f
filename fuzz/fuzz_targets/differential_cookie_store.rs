//! Scenarios on the reference jar and on the cookie_store target (as the CLI's
//! `fuzz --targets reference,cookie_store` compares them): panics on a disagreement that the
//! quirk list (cli/fuzz-quirks/cookie_store.yaml) does not declare, printing the scenario as
//! a YAML case with both answers, so that `cargo fuzz tmin` can minimize a crash input. Most
//! inputs disagree at first: add declared differences to the quirk list, or list known bucket
//! labels in COOKIE_FUZZ_IGNORE (see README.md), to get past them.
#![no_main]

use std::cell::RefCell;

use cookie_conformance_fuzz::engine::Engine;
use cookie_conformance_fuzz::findings::{ignored_labels, reproducer};
use cookie_conformance_fuzz::scenario::Scenario;
use cookie_conformance_cli::fuzz::build_engine;
use libfuzzer_sys::fuzz_target;

thread_local! {
    static ENGINE: RefCell<Option<Engine>> = const { RefCell::new(None) };
    static IGNORED: Vec<String> = ignored_labels();
}

fuzz_target!(|scenario: Scenario| {
    ENGINE.with(|cell| {
        let mut cell = cell.borrow_mut();
        let engine = cell.get_or_insert_with(|| {
            build_engine(&["reference".to_owned(), "cookie_store".to_owned()], &cookie_conformance_cli::fuzz::quirk_dir())
                .expect("the cookie_store target starts (it needs a public suffix list: PSL_FILE)")
        });
        let mut scenario = scenario;
        scenario.restrict(engine.features);
        let out = engine.run(&scenario, false);
        if let Some(panic) = &out.reference_panic {
            panic!("the reference jar panicked: {panic}\n{scenario:?}");
        }
        let known = |f: &&cookie_conformance_fuzz::engine::Finding| IGNORED.with(|i| f.signature.labels.iter().all(|l| i.contains(l)));
        if let Some(f) = out.jar.iter().find(|f| !known(f)) {
            panic!("{}\n{}", f.signature, reproducer(&scenario, &out, f, &engine.last_answers()));
        }
    });
});
