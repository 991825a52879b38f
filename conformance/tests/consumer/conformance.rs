// tests/conformance.rs of a cookie jar crate, with its known failures in tests/xfail.yaml.
// Cargo.toml:
//
//     [dev-dependencies]
//     cookie-conformance = "0.1"
//
//     [[test]]
//     name = "conformance"
//     harness = false
//
// `cargo test` then runs one trial per case and profile of the embedded corpus.
use cookie_conformance::reference_jar::{Config, Context, Jar, UnixTime};
use cookie_conformance::{Capabilities, Harness, Setup, Target, TargetError};

/// The jar under test. Here: the reference jar with one bug, it drops every `__Host-` cookie.
struct TinyJar(Jar);

impl Target for TinyJar {
    fn name(&self) -> String {
        "tiny-jar".into()
    }
    fn capabilities(&self) -> Capabilities {
        // What the jar can model; a case needing more is skipped, with the reason.
        Capabilities { virtual_clock: true, ..Capabilities::default() }
    }
    fn reset(&mut self, setup: &Setup) -> Result<(), TargetError> {
        self.0 = Jar::new(setup.config.clone()); // an empty jar, configured for the next case
        Ok(())
    }
    fn set_cookies(&mut self, url: &str, lines: &[Vec<u8>], ctx: &Context, now: UnixTime) -> Result<(), TargetError> {
        for line in lines.iter().filter(|line| !line.starts_with(b"__Host-")) {
            let _ = self.0.set_cookie(url, line, ctx, now);
        }
        Ok(())
    }
    fn cookie_header(&mut self, url: &str, ctx: &Context, now: UnixTime) -> Result<Option<Vec<u8>>, TargetError> {
        Ok(self.0.cookie_header(url, ctx, now))
    }
}

fn main() {
    // The known failures, each with its reason: listed, they are `xfail`; fixed, they `xpass`
    // and fail the run, so the list cannot go stale.
    Harness::new(|| TinyJar(Jar::new(Config::default())))
        .xfail_file("tests/xfail.yaml")
        .run()
}
