//! # cookie-conformance
//!
//! A conformance suite for HTTP cookie jars, against RFC 6265bis (draft -22): a corpus of YAML
//! cases (embedded in this crate), the [`Target`] trait a jar implements, a libtest-mimic
//! [`Harness`] for `cargo test`, and the `cookie-conformance` command line.
//!
//! ```no_run
//! // tests/conformance.rs of a cookie jar crate, with `harness = false`:
//! # use cookie_conformance::targets::ReferenceTarget as MyJar;
//! fn main() {
//!     cookie_conformance::Harness::new(MyJar::default).xfail_file("tests/xfail.yaml").run()
//! }
//! ```
//!
//! The pieces, in the order data flows: [`case`] (the model) ← [`load`] (YAML) → [`select`] →
//! [`run`] (on a [`Target`], compared by [`compare`], explained by [`explain`]) → [`outcome`] →
//! [`report`] (JSON) / [`harness`] (libtest).
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod bytes;
pub mod case;
pub mod clock;
pub mod compare;
pub mod explain;
pub mod fuzz;
pub mod harness;
pub mod import;
pub mod live;
pub mod bench;
pub mod load;
pub mod needs;
pub mod outcome;
pub mod report;
pub mod reports;
pub mod run;
pub mod schema;
pub mod select;
pub mod serve;
pub mod target;
pub mod targets;
pub mod targets_file;
mod trace;
pub mod xfail;

pub use case::Case;
pub use harness::Harness;
pub use load::Corpus;
pub use outcome::{CaseResult, Outcome, Summary};
pub use run::run_case;
pub use target::{Capabilities, Setup, StoredCookie, Target, TargetError};
pub use xfail::Xfail;

/// The reference jar, re-exported so that targets name its [`reference_jar::Context`] and
/// [`reference_jar::Profile`] without a second dependency.
pub use reference_jar;
