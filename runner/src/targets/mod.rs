//! In-process targets, and the registry the CLI's `--target NAME` picks from.
//!
//! To add a target: implement [`crate::Target`] in a module here and add one [`TargetEntry`] to
//! [`REGISTRY`].

mod reference;

pub use reference::ReferenceTarget;

use crate::target::Target;

/// A target the CLI can run by name.
pub struct TargetEntry {
    /// The `--target` name.
    pub name: &'static str,
    /// One line for `cookie-conformance targets`.
    pub description: &'static str,
    /// Builds a fresh instance (errors: the target cannot start, e.g. an adapter is missing).
    pub build: fn() -> anyhow::Result<Box<dyn Target>>,
}

/// Every target the CLI knows, the default first.
pub static REGISTRY: &[TargetEntry] = &[TargetEntry {
    name: "reference",
    description: "the reference RFC 6265bis jar (in process; every capability)",
    build: || Ok(Box::new(ReferenceTarget::new())),
}];

/// The registry entry called `name`.
pub fn find(name: &str) -> Option<&'static TargetEntry> {
    REGISTRY.iter().find(|t| t.name == name)
}

/// The registered names, for error messages.
pub fn names() -> Vec<&'static str> {
    REGISTRY.iter().map(|t| t.name).collect()
}
