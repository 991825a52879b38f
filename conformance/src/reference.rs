//! The reference jar as a [`Target`]: every capability, every profile, every option.

use reference_jar::{Config, Context, Jar, UnixTime};

use crate::target::{Capabilities, Setup, StoredCookie, Target, TargetError};

/// The reference jar (`reference-jar`), in process.
#[derive(Debug)]
pub struct ReferenceTarget {
    jar: Jar,
}

impl ReferenceTarget {
    /// A reference jar with the default configuration (reset per case).
    pub fn new() -> Self {
        ReferenceTarget { jar: Jar::new(Config::default()) }
    }
}

impl Default for ReferenceTarget {
    fn default() -> Self {
        ReferenceTarget::new()
    }
}

impl Target for ReferenceTarget {
    fn name(&self) -> String {
        format!("reference-jar {}", env!("CARGO_PKG_VERSION"))
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::all()
    }

    fn reset(&mut self, setup: &Setup) -> Result<(), TargetError> {
        self.jar = Jar::new(setup.config.clone());
        Ok(())
    }

    fn set_cookies(&mut self, url: &str, lines: &[Vec<u8>], ctx: &Context, now: UnixTime) -> Result<(), TargetError> {
        for line in lines {
            // A rejected cookie is a normal outcome here; the runner asks the reference jar
            // separately (explain.rs) when it needs the reason.
            let _ = self.jar.set_cookie(url, line, ctx, now);
        }
        Ok(())
    }

    fn cookie_header(&mut self, url: &str, ctx: &Context, now: UnixTime) -> Result<Option<Vec<u8>>, TargetError> {
        Ok(self.jar.cookie_header(url, ctx, now))
    }

    fn dump(&mut self, now: UnixTime) -> Result<Option<Vec<StoredCookie>>, TargetError> {
        Ok(Some(self.jar.cookies(now).into_iter().map(StoredCookie::from).collect()))
    }
}
