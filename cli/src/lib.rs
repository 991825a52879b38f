//! # cookie-conformance-cli
//!
//! The `cookie-conformance` tool, as a library for the binary and for the cargo-fuzz targets
//! in `fuzz/`: the targets a jar author does not need in `cargo test` (HTTP adapters, the
//! in-process `cookie_store` target, the live curl and Chromium clients), `serve`, reports,
//! importers, `bench` and the `fuzz` command. The case model, corpus, runner and harness are
//! the `cookie-conformance` crate; the fuzzing engine is `cookie-conformance-fuzz`.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod bench;
pub mod fidelity;
pub mod fuzz;
pub mod import;
pub mod interrupt;
pub mod live;
pub mod repro;
pub mod reports;
pub mod serve;
pub mod targets;
pub mod targets_file;
