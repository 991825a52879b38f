//! Live clients as targets: real programs whose cookie engine is driven over real HTTP(S)
//! against a loopback server ([`server`]) that plays every host name of a case.
//!
//! - [`curl`]: the `curl` command line (`--target curl`).
//! - [`chromium`]: headless Chromium over the DevTools protocol (`--target chromium`).

pub mod chromium;
pub mod curl;
pub mod server;

pub use self::chromium::{ChromiumError, ChromiumTarget};
pub use self::curl::{CurlError, CurlTarget};
pub use self::server::LoopbackServer;

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

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

