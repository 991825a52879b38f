//! curl's cookie engine as a [`Target`], driven for real: the `curl` command line fetches the
//! case's URLs from a [`LoopbackServer`] that answers with the case's `Set-Cookie` lines and
//! records the `Cookie` header curl sends.
//!
//! - One `curl` process per step. The jar lives in a per-case cookie file (`--cookie FILE
//!   --cookie-jar FILE`, curl's Netscape format), so between steps curl's state goes through
//!   that file, as it does for a user running curl twice with the same jar.
//! - `--connect-to ::127.0.0.1:PORT` sends every host name to the loopback server while curl's
//!   cookie engine sees the case's URL (host, port, scheme). `https` URLs go to the TLS listener
//!   (self-signed certificate, `--insecure`).
//! - The clock: with libfaketime installed, each run starts its real-time clock at the step's
//!   `now` ([`Faketime`]), so cases with `now` and long `advance` steps run; the jar file
//!   carries virtual expiry times from run to run. Without it, the real clock (short advances
//!   slept through, the rest skipped).
//! - HTTP API only, every request same-site (curl has no notion of a site for cookies), RFC
//!   6265bis profile only, no configurable options.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use reference_jar::{Api, Context, UnixTime};

use super::faketime::{remove_jar, RunClock};
use super::{scheme, Scheme};
use super::server::{unsendable, LoopbackServer, Received};
use super::TempDir;
use cookie_conformance::target::{Capabilities, Setup, Target, TargetError};

/// The longest a single curl run may take (it talks to a loopback server).
const CURL_TIMEOUT: Duration = Duration::from_secs(10);

/// The curl command line as a target (`--target curl`).
#[derive(Debug)]
pub struct CurlTarget {
    curl: PathBuf,
    version: String,
    server: LoopbackServer,
    dir: TempDir,
    clock: RunClock,
}

/// Why the curl target could not start.
#[derive(Debug, thiserror::Error)]
pub enum CurlError {
    /// `curl --version` did not run.
    #[error("cannot run `{0} --version` (is curl installed?): {1}")]
    NotFound(String, std::io::Error),
    /// `curl --version` printed something unexpected.
    #[error("`curl --version` printed no version: {0:?}")]
    Version(String),
    /// The loopback server did not start.
    #[error(transparent)]
    Server(#[from] super::server::ServerError),
    /// The temporary directory for the jar could not be made.
    #[error("creating a temporary directory for curl's cookie file: {0}")]
    TempDir(std::io::Error),
}

impl CurlTarget {
    /// Starts the loopback server and checks that `curl` (or `$CURL`) runs. libfaketime gives
    /// it a virtual clock when installed.
    pub fn new() -> Result<CurlTarget, CurlError> {
        let curl = PathBuf::from(std::env::var_os("CURL").unwrap_or_else(|| "curl".into()));
        let version = curl_version(&curl)?;
        let server = LoopbackServer::start()?;
        let dir = TempDir::new("curl").map_err(CurlError::TempDir)?;
        Ok(CurlTarget { curl, version, server, dir, clock: RunClock::find() })
    }

    /// `curl 7.88.1`, from `curl --version`.
    pub fn version(&self) -> &str {
        &self.version
    }

    fn jar(&self) -> PathBuf {
        self.dir.path.join("cookies.txt")
    }

    /// One curl run fetching `url` at `now`, answered with `set_cookie_lines`; the request as
    /// received.
    fn exchange(&mut self, url: &str, set_cookie_lines: &[Vec<u8>], now: UnixTime) -> Result<Received, TargetError> {
        let port = match scheme(url) {
            Some(Scheme::Http) => self.server.http_port(),
            Some(Scheme::Https) => self.server.https_port(),
            None => return Err(TargetError::Unsupported(format!("curl target: only http and https URLs are served ({url})"))),
        };
        let jar = self.jar();
        let mut cmd = Command::new(&self.curl);
        cmd.args(curl_args(url, port, &jar));
        for var in ["http_proxy", "https_proxy", "HTTPS_PROXY", "ALL_PROXY", "all_proxy", "CURL_HOME"] {
            cmd.env_remove(var);
        }
        self.clock.prepare(&mut cmd, now)?;
        self.server.plan(vec![set_cookie_lines.to_vec()]);
        let output = cmd.output().map_err(|e| TargetError::failed(format!("running {}: {e}", self.curl.display())))?;
        let received = self.server.take();
        if output.status.success() {
            restore_creation_order(&jar).map_err(|e| TargetError::failed(format!("rewriting curl's cookie file: {e}")))?;
        }
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr).trim().to_owned();
            // Exit 3: "URL malformed". curl refusing the URL before any request is a limit of
            // the command line, not of its cookie engine.
            if output.status.code() == Some(3) {
                return Err(TargetError::Unsupported(format!("curl refuses the URL {url:?}: {stderr}")));
            }
            // Exit 8 on a NUL byte: curl's HTTP parser drops the whole response, so its cookie
            // engine never sees the line under test.
            if output.status.code() == Some(8) && set_cookie_lines.iter().any(|l| l.contains(&0)) {
                return Err(TargetError::Unsupported(
                    "curl refuses a response whose header holds a NUL byte (exit 8): its cookie engine never sees the line".to_owned(),
                ));
            }
            return Err(TargetError::failed(format!("curl {url}: {} {stderr}", output.status)));
        }
        match <[Received; 1]>::try_from(received) {
            Ok([r]) => Ok(r),
            Err(v) => Err(TargetError::failed(format!("curl {url}: the server received {} requests, expected 1", v.len()))),
        }
    }
}

/// Reverses the cookie lines of the jar file curl just wrote, so that the next curl process
/// gives them the creation order they had in this one.
///
/// curl (7.88) writes the jar newest cookie first, and gives the cookies it loads increasing
/// creation times in file order; without this every round trip through the file would reverse
/// the creation order, and the Cookie header order (§5.8.3 step 4) of a case with several
/// steps would measure the harness, not curl. With it, a run of one process per step sees the
/// same order as one curl process doing every step.
fn restore_creation_order(jar: &Path) -> std::io::Result<()> {
    let text = match std::fs::read(jar) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    let mut header: Vec<&[u8]> = Vec::new();
    let mut cookies: Vec<&[u8]> = Vec::new();
    for line in text.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        // `#HttpOnly_` marks an HttpOnly cookie line; other `#` lines are comments.
        if line.starts_with(b"#") && !line.starts_with(b"#HttpOnly_") {
            header.push(line);
        } else {
            cookies.push(line);
        }
    }
    cookies.reverse();
    let mut out = Vec::with_capacity(text.len() + 1);
    for line in header.into_iter().chain(cookies) {
        out.extend_from_slice(line);
        out.push(b'\n');
    }
    std::fs::write(jar, out)
}

fn curl_version(curl: &Path) -> Result<String, CurlError> {
    let out = Command::new(curl).arg("--version").output().map_err(|e| CurlError::NotFound(curl.display().to_string(), e))?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    // First line: `curl 7.88.1 (x86_64-pc-linux-gnu) libcurl/7.88.1 ...`.
    let mut words = text.split_whitespace();
    match (words.next(), words.next()) {
        (Some("curl"), Some(v)) => Ok(format!("curl {v}")),
        _ => Err(CurlError::Version(text.lines().next().unwrap_or("").to_owned())),
    }
}

/// The arguments of one run. `-q` first: no `.curlrc` may change the engine's behaviour.
fn curl_args(url: &str, port: u16, jar: &Path) -> Vec<std::ffi::OsString> {
    let mut a: Vec<std::ffi::OsString> = vec![
        "-q".into(),
        "--silent".into(),
        "--show-error".into(),
        // No URL globbing: `[` and `{` in a case's URL are literal.
        "--globoff".into(),
        "--http1.1".into(),
        "--insecure".into(),
        "--noproxy".into(),
        "*".into(),
        "--max-time".into(),
        CURL_TIMEOUT.as_secs().to_string().into(),
        "--output".into(),
        "/dev/null".into(),
        "--cookie".into(),
        jar.into(),
        "--cookie-jar".into(),
        jar.into(),
        "--connect-to".into(),
        format!("::127.0.0.1:{port}").into(),
    ];
    a.push(url.into());
    a
}

impl Target for CurlTarget {
    fn name(&self) -> String {
        self.version.clone()
    }

    fn capabilities(&self) -> Capabilities {
        self.clock.capabilities()
    }

    fn reset(&mut self, setup: &Setup) -> Result<(), TargetError> {
        self.clock.reset(setup.start);
        remove_jar(&self.jar(), "curl's cookie file")
    }

    fn set_cookies(&mut self, url: &str, lines: &[Vec<u8>], ctx: &Context, now: UnixTime) -> Result<(), TargetError> {
        if ctx.api != Api::Http {
            return Err(TargetError::Unsupported("curl has no non-HTTP cookie API".to_owned()));
        }
        if let Some(why) = lines.iter().find_map(|l| unsendable(l)) {
            return Err(TargetError::Unsupported(why.to_owned()));
        }
        self.exchange(url, lines, now).map(|_| ())
    }

    fn cookie_header(&mut self, url: &str, ctx: &Context, now: UnixTime) -> Result<Option<Vec<u8>>, TargetError> {
        if ctx.api != Api::Http {
            return Err(TargetError::Unsupported("curl has no non-HTTP cookie API".to_owned()));
        }
        Ok(self.exchange(url, &[], now)?.cookie)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_disable_curlrc_and_globbing_and_map_every_host() {
        let a = curl_args("https://x.example/[a]", 4443, Path::new("/tmp/j"));
        assert_eq!(a[0], "-q");
        assert!(a.iter().any(|x| x == "--globoff"));
        assert!(a.iter().any(|x| x == "::127.0.0.1:4443"));
        assert_eq!(a.last().map(|x| x.as_os_str()), Some(std::ffi::OsStr::new("https://x.example/[a]")));
    }

    #[test]
    fn the_jar_file_is_rewritten_oldest_cookie_first() {
        let dir = TempDir::new("curl-test").unwrap();
        let jar = dir.path.join("j");
        std::fs::write(&jar, "# Netscape HTTP Cookie File\n\nx\tFALSE\t/\tFALSE\t0\tc\t3\n#HttpOnly_x\tFALSE\t/\tFALSE\t0\tb\t2\nx\tFALSE\t/\tFALSE\t0\ta\t1\n").unwrap();
        restore_creation_order(&jar).unwrap();
        assert_eq!(
            std::fs::read_to_string(&jar).unwrap(),
            "# Netscape HTTP Cookie File\nx\tFALSE\t/\tFALSE\t0\ta\t1\n#HttpOnly_x\tFALSE\t/\tFALSE\t0\tb\t2\nx\tFALSE\t/\tFALSE\t0\tc\t3\n"
        );
        restore_creation_order(&dir.path.join("absent")).unwrap();
    }

    /// Needs curl on PATH; skipped (with a message) without it.
    #[test]
    fn a_cookie_round_trips_through_curl() {
        let mut t = match CurlTarget::new() {
            Ok(t) => t,
            Err(e) => {
                eprintln!("skipped: {e}");
                return;
            }
        };
        let ctx = Context::http();
        t.set_cookies("https://www.example.com/", &[b"a=b".to_vec()], &ctx, 0).unwrap();
        assert_eq!(t.cookie_header("https://www.example.com/x", &ctx, 0).unwrap(), Some(b"a=b".to_vec()));
        assert_eq!(t.cookie_header("https://other.example.com/", &ctx, 0).unwrap(), None);
    }
}
