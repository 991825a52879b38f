//! Set-Cookie lines on the reference jar's parser (§5.6) and on `cookie::Cookie::parse` (the
//! cookie crate, 0.18): panics on a difference in name, value or an attribute that the quirk
//! list (cli/fuzz-quirks/cookie.yaml) does not declare, printing the line as a YAML case
//! with both readings, so that `cargo fuzz tmin` can minimize a crash input. Known bucket labels
//! listed in COOKIE_FUZZ_IGNORE (see README.md) pass.
#![no_main]

use std::cell::RefCell;

use cookie_conformance_fuzz::engine::Engine;
use cookie_conformance_fuzz::findings::{ignored_labels, reproducer};
use cookie_conformance_fuzz::scenario::{Ctx, LineInput, Place, Scenario, Step};
use cookie_conformance_cli::fuzz::build_engine;
use libfuzzer_sys::fuzz_target;

thread_local! {
    static ENGINE: RefCell<Option<Engine>> = const { RefCell::new(None) };
    static IGNORED: Vec<String> = ignored_labels();
}

fuzz_target!(|input: LineInput| {
    ENGINE.with(|cell| {
        let mut cell = cell.borrow_mut();
        let engine = cell.get_or_insert_with(|| {
            build_engine(&["reference".to_owned(), "cookie".to_owned()], &cookie_conformance_cli::fuzz::quirk_dir()).expect("builds")
        });
        let at = Place::SIMPLEST;
        let scenario = Scenario {
            steps: vec![
                Step::Set { at, ctx: Ctx::default(), lines: vec![input.0] },
                Step::Expect { at, ctx: Ctx::default() },
            ],
        };
        let out = engine.run(&scenario, false);
        let known = |f: &&cookie_conformance_fuzz::engine::Finding| IGNORED.with(|i| f.signature.labels.iter().all(|l| i.contains(l)));
        if let Some(f) = out.parse.iter().find(|f| !known(f)) {
            panic!("{}\n{}", f.signature, reproducer(&scenario, &out, f, &[]));
        }
    });
});
