//! GNU wget's cookie engine as a [`Target`], driven for real: the `wget` command line fetches
//! the case's URLs from a [`LoopbackServer`] that answers with the case's `Set-Cookie` lines and
//! records the `Cookie` header wget sends.
//!
//! - One `wget` process per step. The jar lives in a per-case cookie file (`--load-cookies
//!   FILE --save-cookies FILE --keep-session-cookies`, wget's Netscape format), so between
//!   steps wget's state goes through that file, as it does for a user running wget twice with
//!   the same jar (session cookies kept, as `--keep-session-cookies` is the only way to keep
//!   them across runs).
//! - wget has no `--connect-to`: it is given the loopback server as its HTTP and HTTPS proxy
//!   (`-e use_proxy=on -e http_proxy=... -e https_proxy=...`). An `http` URL is then sent in
//!   absolute form and an `https` one through a `CONNECT` tunnel; either way wget's cookie
//!   engine sees the case's URL (host, port, scheme) and the server records the request the
//!   origin would have seen. Certificate checks are off (`--no-check-certificate`).
//! - The clock: with libfaketime installed, each run starts its real-time clock at the step's
//!   `now` ([`Faketime`]), so cases with `now` and long `advance` steps run; without it, the
//!   real clock (short advances slept through).
//! - `--no-config` first: no wgetrc may change the engine's behaviour. `--no-hsts`: a user's
//!   HSTS database would turn `http` URLs into `https` ones. Both change nothing of the cookie
//!   engine. HTTP API only, every request same-site (wget has no notion of a site for
//!   cookies), RFC 6265bis profile only, no configurable options.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use reference_jar::{Api, Context, UnixTime};

use super::faketime::{remove_jar, RunClock};
use super::scheme;
use super::server::{unsendable, LoopbackServer, Received};
use super::TempDir;
use cookie_conformance::target::{Capabilities, Setup, Target, TargetError};

/// The longest a single wget run may take (it talks to a loopback server).
const WGET_TIMEOUT: Duration = Duration::from_secs(10);

/// The wget command line as a target (`--target wget`).
#[derive(Debug)]
pub struct WgetTarget {
    wget: PathBuf,
    version: String,
    server: LoopbackServer,
    dir: TempDir,
    clock: RunClock,
}

/// Why the wget target could not start.
#[derive(Debug, thiserror::Error)]
pub enum WgetError {
    /// `wget --version` did not run.
    #[error("cannot run `{0} --version` (is wget installed?): {1}")]
    NotFound(String, std::io::Error),
    /// `wget --version` printed something unexpected.
    #[error("`wget --version` printed no version: {0:?}")]
    Version(String),
    /// The loopback server did not start.
    #[error(transparent)]
    Server(#[from] super::server::ServerError),
    /// The temporary directory for the jar could not be made.
    #[error("creating a temporary directory for wget's cookie file: {0}")]
    TempDir(std::io::Error),
}

impl WgetTarget {
    /// Starts the loopback server and checks that `wget` (or `$WGET`) runs. libfaketime gives
    /// it a virtual clock when installed.
    pub fn new() -> Result<WgetTarget, WgetError> {
        let wget = PathBuf::from(std::env::var_os("WGET").unwrap_or_else(|| "wget".into()));
        let version = wget_version(&wget)?;
        let server = LoopbackServer::start()?;
        let dir = TempDir::new("wget").map_err(WgetError::TempDir)?;
        Ok(WgetTarget { wget, version, server, dir, clock: RunClock::find() })
    }

    /// `wget 1.21.3`, from `wget --version`.
    pub fn version(&self) -> &str {
        &self.version
    }

    fn jar(&self) -> PathBuf {
        self.dir.path.join("cookies.txt")
    }

    /// One wget run fetching `url` at `now`, answered with `set_cookie_lines`; the request as
    /// received.
    fn exchange(&mut self, url: &str, set_cookie_lines: &[Vec<u8>], now: UnixTime) -> Result<Received, TargetError> {
        if scheme(url).is_none() {
            return Err(TargetError::Unsupported(format!("wget target: only http and https URLs are served ({url})")));
        }
        let mut cmd = Command::new(&self.wget);
        cmd.args(wget_args(url, self.server.http_port(), &self.jar()));
        for var in ["http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "no_proxy", "NO_PROXY", "WGETRC", "SYSTEM_WGETRC"] {
            cmd.env_remove(var);
        }
        self.clock.prepare(&mut cmd, now)?;
        self.server.plan(vec![set_cookie_lines.to_vec()]);
        let output = cmd.output().map_err(|e| TargetError::failed(format!("running {}: {e}", self.wget.display())))?;
        let received = self.server.take();
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr).trim().to_owned();
            // Exit 1 before any request: wget refuses the URL itself ("Invalid host name",
            // "Unsupported scheme"): a limit of the command line, not of its cookie engine.
            if output.status.code() == Some(1) && received.is_empty() {
                return Err(TargetError::Unsupported(format!("wget refuses the URL {url:?}: {stderr}")));
            }
            return Err(TargetError::failed(format!("wget {url}: {} {stderr}", output.status)));
        }
        match <[Received; 1]>::try_from(received) {
            Ok([r]) => Ok(r),
            Err(v) => Err(TargetError::failed(format!("wget {url}: the server received {} requests, expected 1", v.len()))),
        }
    }
}

fn wget_version(wget: &Path) -> Result<String, WgetError> {
    let out = Command::new(wget).arg("--version").output().map_err(|e| WgetError::NotFound(wget.display().to_string(), e))?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    // First line: `GNU Wget 1.21.3 built on linux-gnu.`
    let mut words = text.split_whitespace();
    match (words.next(), words.next(), words.next()) {
        (Some("GNU"), Some("Wget"), Some(v)) => Ok(format!("wget {v}")),
        _ => Err(WgetError::Version(text.lines().next().unwrap_or("").to_owned())),
    }
}

/// The arguments of one run: `--no-config` first, the loopback server as both proxies, the
/// jar loaded (when it exists) and saved with session cookies.
fn wget_args(url: &str, proxy_port: u16, jar: &Path) -> Vec<std::ffi::OsString> {
    let proxy = format!("http://127.0.0.1:{proxy_port}/");
    let mut a: Vec<std::ffi::OsString> = vec![
        "--no-config".into(),
        "--no-verbose".into(),
        "--tries=1".into(),
        format!("--timeout={}", WGET_TIMEOUT.as_secs()).into(),
        "--max-redirect=0".into(),
        "--no-check-certificate".into(),
        "--no-hsts".into(),
        "--output-document=/dev/null".into(),
        "-e".into(),
        "use_proxy=on".into(),
        "-e".into(),
        format!("http_proxy={proxy}").into(),
        "-e".into(),
        format!("https_proxy={proxy}").into(),
        "-e".into(),
        "no_proxy=".into(),
    ];
    if jar.is_file() {
        a.push("--load-cookies".into());
        a.push(jar.into());
    }
    a.extend(["--save-cookies".into(), jar.into(), "--keep-session-cookies".into()]);
    a.push(url.into());
    a
}

impl Target for WgetTarget {
    fn name(&self) -> String {
        self.version.clone()
    }

    fn capabilities(&self) -> Capabilities {
        self.clock.capabilities()
    }

    fn reset(&mut self, setup: &Setup) -> Result<(), TargetError> {
        self.clock.reset(setup.start);
        remove_jar(&self.jar(), "wget's cookie file")
    }

    fn set_cookies(&mut self, url: &str, lines: &[Vec<u8>], ctx: &Context, now: UnixTime) -> Result<(), TargetError> {
        if ctx.api != Api::Http {
            return Err(TargetError::Unsupported("wget has no non-HTTP cookie API".to_owned()));
        }
        if let Some(why) = lines.iter().find_map(|l| unsendable(l)) {
            return Err(TargetError::Unsupported(why.to_owned()));
        }
        self.exchange(url, lines, now).map(|_| ())
    }

    fn cookie_header(&mut self, url: &str, ctx: &Context, now: UnixTime) -> Result<Option<Vec<u8>>, TargetError> {
        if ctx.api != Api::Http {
            return Err(TargetError::Unsupported("wget has no non-HTTP cookie API".to_owned()));
        }
        Ok(self.exchange(url, &[], now)?.cookie)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::Scheme;

    #[test]
    fn arguments_disable_wgetrc_and_hsts_and_proxy_every_host() {
        let dir = TempDir::new("wget-args").unwrap();
        let jar = dir.path.join("j");
        let a = wget_args("https://x.example/a", 8080, &jar);
        assert_eq!(a[0], "--no-config");
        assert!(a.iter().any(|x| x == "--no-hsts"));
        assert!(a.iter().any(|x| x == "https_proxy=http://127.0.0.1:8080/"));
        // No jar yet: nothing to load (wget would complain about a missing file).
        assert!(!a.iter().any(|x| x == "--load-cookies"));
        std::fs::write(&jar, "").unwrap();
        let a = wget_args("https://x.example/a", 8080, &jar);
        assert!(a.iter().any(|x| x == "--load-cookies"));
        assert_eq!(a.last().map(|x| x.as_os_str()), Some(std::ffi::OsStr::new("https://x.example/a")));
        assert_eq!(scheme("HTTPS://a"), Some(Scheme::Https));
        assert_eq!(scheme("ws://a"), None);
    }

    /// Needs wget on PATH; skipped (with a message) without it. Over the proxy, both schemes;
    /// with libfaketime, an expiry measured on the virtual clock.
    #[test]
    fn a_cookie_round_trips_through_wget() {
        let mut t = match WgetTarget::new() {
            Ok(t) => t,
            Err(e) => {
                eprintln!("skipped: {e}");
                return;
            }
        };
        let ctx = Context::http();
        let now = 1_700_000_000;
        let options = cookie_conformance::case::CaseConfig::default();
        let profile = reference_jar::Profile::Rfc6265bis;
        t.reset(&Setup { profile, config: options.jar_config(profile), options, start: now, case: "t".into() }).unwrap();
        t.set_cookies("https://www.example.com/", &[b"a=b; Max-Age=100".to_vec()], &ctx, now).unwrap();
        t.set_cookies("http://www.example.com/", &[b"c=d".to_vec()], &ctx, now).unwrap();
        assert_eq!(t.cookie_header("https://www.example.com/x", &ctx, now).unwrap(), Some(b"a=b; c=d".to_vec()));
        assert_eq!(t.cookie_header("https://other.example.com/", &ctx, now).unwrap(), None);
        if t.capabilities().virtual_clock {
            assert_eq!(t.cookie_header("http://www.example.com/", &ctx, now + 101).unwrap(), Some(b"c=d".to_vec()));
        }
    }
}
