//! Live clients as targets: real programs whose cookie engine is driven over real HTTP(S)
//! against a loopback server ([`server`]) that plays every host name of a case.
//!
//! - [`curl`]: the `curl` command line (`--target curl`).
//! - [`wget`]: the `wget` command line (`--target wget`).
//! - [`faketime`]: a virtual clock for command-line clients, through libfaketime.
//! - [`chromium`]: headless Chromium over the DevTools protocol (`--target chromium`).
//! - [`firefox`]: headless Firefox over WebDriver BiDi (`--target firefox`).
//! - [`webkit`]: WebKitGTK's MiniBrowser under WebKitWebDriver (`--target webkit`).
//! - [`browser`]: what the browser targets share (websocket JSON-RPC, request routing).
//! - [`driven`]: the client library an adapter models, driven by the adapter's `live:` program
//!   (`--target <adapter>-live`, and `cookie-conformance fidelity`).

pub(crate) mod browser;
pub mod chromium;
pub mod curl;
pub mod driven;
pub mod faketime;
pub mod firefox;
pub mod server;
pub mod webkit;
pub mod wget;

pub use self::chromium::{ChromiumError, ChromiumTarget};
pub use self::curl::{CurlError, CurlTarget};
pub use self::firefox::{FirefoxError, FirefoxTarget};
pub use self::server::LoopbackServer;
pub use self::webkit::{WebkitError, WebkitTarget};
pub use self::wget::{WgetError, WgetTarget};

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use reference_jar::UnixTime;

/// How many seconds of `advance` a live client sleeps through in one case
/// ([`cookie_conformance::Capabilities::sleeps_through_advance`]): enough for the corpus's short Max-Age
/// and lax-window cases, short enough to keep a full run in minutes.
pub const MAX_SLEEP_SECONDS: u64 = 5;

/// A real-clock client's side of a case's virtual clock: between steps it sleeps as long as
/// the case advanced, so that "two seconds later" happens for real.
#[derive(Debug, Default)]
pub(crate) struct RealClock {
    at: Option<UnixTime>,
}

impl RealClock {
    /// A new case starts at `start`.
    pub(crate) fn reset(&mut self, start: UnixTime) {
        self.at = Some(start);
    }

    /// Sleeps from the previous step's time to `now` (the runner only sends cases whose
    /// advances add up to at most [`MAX_SLEEP_SECONDS`]).
    pub(crate) fn catch_up(&mut self, now: UnixTime) {
        let last = *self.at.get_or_insert(now);
        if now > last {
            let seconds = u64::try_from(now - last).unwrap_or(0).min(MAX_SLEEP_SECONDS);
            std::thread::sleep(Duration::from_secs(seconds));
            self.at = Some(now);
        }
    }
}

/// The schemes the loopback server serves.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Scheme {
    Http,
    Https,
}

/// The scheme of `url` (ASCII case-insensitive), when the loopback server serves it.
pub(crate) fn scheme(url: &str) -> Option<Scheme> {
    let colon = url.find(':')?;
    match url[..colon].to_ascii_lowercase().as_str() {
        "http" => Some(Scheme::Http),
        "https" => Some(Scheme::Https),
        _ => None,
    }
}

/// A directory removed on drop (the `tempfile` crate is only a dev-dependency here).
#[derive(Debug)]
pub(crate) struct TempDir {
    pub(crate) path: PathBuf,
}

impl TempDir {
    pub(crate) fn new(label: &str) -> std::io::Result<TempDir> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("cookie-conformance-{label}-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&path)?;
        Ok(TempDir { path })
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes() {
        assert!(matches!(scheme("HTTPS://a/"), Some(Scheme::Https)));
        assert!(matches!(scheme("http://a/"), Some(Scheme::Http)));
        assert!(scheme("ftp://a/").is_none());
        assert!(scheme("nocolon").is_none());
    }
}
