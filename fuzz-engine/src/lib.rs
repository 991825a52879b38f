//! # cookie-conformance-fuzz
//!
//! Differential fuzzing that turns disagreements into minimized cases: the engine behind the
//! `cookie-conformance fuzz` command and the cargo-fuzz targets in `fuzz/`.
//!
//! ```text
//! seeded bytes ─▶ Scenario (Arbitrary) ─▶ Engine: reference jar + N targets ─▶ classified
//! differences − quirks ─▶ Signature (verdict grid + classes) ─▶ bucket ─▶ minimize ─▶ Case (YAML)
//! ```
//! - [`scenario`]: the model (hosts, paths, contexts, clock, Set-Cookie lines from token
//!   [`dict`]ionaries), shared with the cargo-fuzz targets in `/fuzz`;
//! - [`engine`]: runs and compares, with [`oracle`] (the reference jar's account),
//!   [`classify`] (why answers differ), [`quirks`] (declared differences) and [`parse_level`]
//!   (Set-Cookie parsers that are not jars, such as the `cookie` crate);
//! - [`minimize`]: delta debugging while the signature holds; [`emit`]: YAML;
//!   [`findings`]: the report. The command that drives a session (targets by name, time
//!   budget, Ctrl-C) is in `cookie-conformance-cli`.

pub mod classify;
pub mod dict;
pub mod emit;
pub mod engine;
pub mod findings;
pub mod minimize;
pub mod oracle;
pub mod parse_level;
pub mod quirks;
pub mod rng;
pub mod scenario;

pub use engine::{Engine, Signature};
pub use scenario::{Features, Scenario};
