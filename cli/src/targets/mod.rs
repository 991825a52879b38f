//! In-process targets, and the registry the CLI's `--target NAME` picks from.
//!
//! To add a target: implement [`cookie_conformance::Target`] in a module here and add one [`TargetEntry`] to
//! [`REGISTRY`].

mod cookie_store;
pub mod http;

pub use self::cookie_store::{CookieStoreTarget, PslError, COOKIE_STORE_VERSION};
pub use cookie_conformance::ReferenceTarget;

use cookie_conformance::target::Target;

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
}, TargetEntry {
    name: "cookie_store",
    description: "the cookie_store crate 0.22 as reqwest's cookie::Jar drives it, with a public suffix list (PSL_FILE)",
    build: || Ok(Box::new(CookieStoreTarget::new()?)),
}, TargetEntry {
    name: "curl",
    description: "the curl command line's cookie engine, live over HTTP(S) against a loopback server (virtual clock through libfaketime when installed)",
    build: || Ok(Box::new(crate::live::CurlTarget::new()?)),
}, TargetEntry {
    name: "wget",
    description: "GNU wget's cookie engine, live over HTTP(S) with the loopback server as its proxy (virtual clock through libfaketime when installed)",
    build: || Ok(Box::new(crate::live::WgetTarget::new()?)),
}, TargetEntry {
    name: "chromium",
    description: "headless Chromium over the DevTools protocol, live against a loopback server on ports 80/443 (root; virtual clock through libfaketime when installed; cross-site link, form POST, <img> and frame requests; third_party block)",
    build: || Ok(Box::new(crate::live::ChromiumTarget::new()?)),
}, TargetEntry {
    name: "firefox",
    description: "headless Firefox ESR over WebDriver BiDi, live with the loopback server as its proxy (any port, no root; real clock; cross-site link, form POST, <img> and frame requests; third_party allow/block/partition)",
    build: || Ok(Box::new(crate::live::FirefoxTarget::new()?)),
}, TargetEntry {
    name: "webkit",
    description: "WebKitGTK's MiniBrowser under WebKitWebDriver (Xvfb when there is no display), live with the loopback server as its proxy (virtual clock through libfaketime when installed; cross-site link, form POST, <img> and frame requests; third_party allow/block (ITP))",
    build: || Ok(Box::new(crate::live::WebkitTarget::new()?)),
}];

/// The registry entry called `name`.
pub fn find(name: &str) -> Option<&'static TargetEntry> {
    REGISTRY.iter().find(|t| t.name == name)
}

/// The registered names, for error messages.
pub fn names() -> Vec<&'static str> {
    REGISTRY.iter().map(|t| t.name).collect()
}
