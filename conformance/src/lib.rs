//! # cookie-conformance
//!
//! A conformance suite for HTTP cookie jars, against RFC 6265bis (draft -22): a corpus of YAML
//! cases (embedded through `cookie-conformance-cases`), the [`Target`] trait a jar implements,
//! and a libtest-mimic [`Harness`] that makes every (case, profile) a trial of `cargo test`.
//! A jar's whole conformance test (this example is compiled by `cargo test --doc`):
//!
#![doc = concat!("```no_run\n", include_str!("../tests/consumer/conformance.rs"), "```")]
//!
//! `cargo test` prints one line per trial and the usual summary; trials the target lacks a
//! capability for are ignored with the reason (listed after the run), and a listed expected
//! failure is ignored as `xfail: <reason>`. `COOKIE_CONFORMANCE_JSON=results.json` writes every
//! trial's outcome. See [`harness`] for filters, `--ignored` and the environment variables.
//!
//! The pieces, in the order data flows: [`case`] (the model) ← [`load`] (YAML) → [`select`] →
//! [`run`] (on a [`Target`], compared by [`compare`], explained by [`explain`])
//! → [`outcome`] → [`report`] (JSON) / [`harness`] (libtest). The command-line tool
//! (adapters, live clients, reports, fuzzing) is the `cookie-conformance-cli` crate.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod atomic;
pub mod bytes;
pub mod case;
pub mod clock;
pub mod compare;
mod execution;
pub mod explain;
pub mod harness;
pub mod load;
pub mod needs;
pub mod outcome;
pub mod reference;
pub mod report;
pub mod run;
pub mod schema;
pub mod security;
pub mod select;
pub mod target;
mod trace;
pub mod xfail;

pub use case::Case;
pub use harness::Harness;
pub use load::Corpus;
pub use outcome::{CaseResult, Outcome, Summary};
pub use reference::ReferenceTarget;
pub use run::run_case;
pub use target::{Capabilities, Setup, StoredCookie, Target, TargetError};
pub use xfail::Xfail;

/// The reference jar, re-exported so that targets name its [`reference_jar::Context`] and
/// [`reference_jar::Profile`] without a second dependency.
pub use reference_jar;
