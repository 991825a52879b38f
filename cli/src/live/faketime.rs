//! A virtual clock for live clients through libfaketime (Debian's `libfaketime`), in two forms:
//! - [`RunClock`], for command-line clients (curl, wget) run once per step;
//! - [`ClockFile`], for a browser that runs for the whole session: it reads the offset from a
//!   file at every clock read, and the file is rewritten when a case starts and when it advances.
//!
//! Each run of a command-line client is started with `LD_PRELOAD` of the library and
//! `FAKETIME=@<the step's now>`, so the client's own clock reads (`time()`, `gettimeofday`,
//! `clock_gettime(CLOCK_REALTIME)`) start at the case's time and run on from there. A run lasts
//! milliseconds, so every clock read of one step sees the step's `now` at second precision.
//! Nothing of the client is changed; cookies it writes to its jar file carry virtual times,
//! which the next run (started at the next step's `now`) reads back.
//!
//! The absolute form `@YYYY-MM-DD HH:MM:SS` (with `TZ=UTC`) is used, not `FAKETIME_FMT=%s`:
//! libfaketime cannot parse a negative `%s`, and cases may start before 1970. The monotonic
//! clock is left real (`FAKETIME_DONT_FAKE_MONOTONIC=1`) so that the client's timeouts work.

use std::path::{Path, PathBuf};
use std::process::Command;

use reference_jar::UnixTime;
use time::OffsetDateTime;

use cookie_conformance::target::{Capabilities, TargetError};

/// Where Debian and Ubuntu install the library (multiarch), then the upstream default.
const CANDIDATES: &[&str] = &[
    "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1",
    "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1",
    "/usr/local/lib/faketime/libfaketime.so.1",
];

/// The environment variable naming the library explicitly.
pub const ENV: &str = "COOKIE_CONFORMANCE_LIBFAKETIME";

/// libfaketime, found on this machine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Faketime {
    library: PathBuf,
}

impl Faketime {
    /// The library named by [`ENV`], else the first of the usual paths that exists; `None`
    /// (with the reason, for a target's description) when there is none.
    pub fn find() -> Result<Faketime, String> {
        if let Some(p) = std::env::var_os(ENV) {
            let library = PathBuf::from(p);
            return if library.is_file() {
                Ok(Faketime { library })
            } else {
                Err(format!("{ENV}={} is not a file", library.display()))
            };
        }
        CANDIDATES
            .iter()
            .map(Path::new)
            .find(|p| p.is_file())
            .map(|p| Faketime { library: p.to_owned() })
            .ok_or_else(|| "libfaketime is not installed (Debian: apt-get install libfaketime)".to_owned())
    }

    /// The library's path.
    pub fn library(&self) -> &Path {
        &self.library
    }

    /// The thread-safe build beside it (`libfaketimeMT.so.1`, same package), else the library:
    /// for multi-threaded programs. Measured with Chromium reading the clock file at every
    /// clock read: under the plain build, one cookie of 3000 set in one case got a creation
    /// time off the virtual clock in about half the runs; under the MT build, none in eight.
    pub fn multithreaded(&self) -> PathBuf {
        let mt = self.library.with_file_name("libfaketimeMT.so.1");
        if mt.is_file() { mt } else { self.library.clone() }
    }

    /// Makes `cmd` start with its real-time clock at `now`. `None` when `now` is outside the
    /// years libfaketime can be given (1..9999).
    pub fn apply(&self, cmd: &mut Command, now: UnixTime) -> Option<()> {
        let start = timestamp(now)?;
        cmd.env("LD_PRELOAD", &self.library)
            .env("FAKETIME", format!("@{start}"))
            .env("TZ", "UTC")
            .env("FAKETIME_DONT_FAKE_MONOTONIC", "1")
            .env_remove("FAKETIME_TIMESTAMP_FILE")
            .env_remove("FAKETIME_FMT");
        Some(())
    }
}

/// The clock of a long-running client (a browser) under libfaketime: the client reads the
/// offset `virtual - real` (`+N.NNNNNN` or `-N.NNNNNN` seconds) from the file named by
/// `FAKETIME_TIMESTAMP_FILE` at every clock read (`FAKETIME_NO_CACHE=1`), so writing the file
/// moves its clock at once, without a restart. The monotonic clock stays real so that timers
/// and timeouts work.
///
/// Within a case the clock only moves forward: it starts at the case's start and each `advance`
/// adds exactly its seconds to the offset, while real time runs on between steps. (Setting it
/// to each step's `now` instead would move it back by the time the previous step took, and
/// two cookies set in that order would get creation times in the other.)
#[derive(Debug)]
pub(crate) struct ClockFile {
    faketime: Faketime,
    path: PathBuf,
    /// `virtual - real`, in seconds.
    offset: f64,
    /// The case time the offset stands for.
    now: UnixTime,
}

impl ClockFile {
    /// A clock file at `path` (written at once, with the real time).
    pub(crate) fn new(faketime: Faketime, path: PathBuf) -> std::io::Result<ClockFile> {
        let file = ClockFile { faketime, path, offset: 0.0, now: 0 };
        file.write(0.0)?;
        Ok(file)
    }

    /// The environment that puts a process on this clock. Measured (Chromium 156, WebKitGTK
    /// 2.50, Firefox 153): with `FAKETIME_NO_CACHE` the next request after a write already sees
    /// the new time; `FAKETIME_CACHE_DURATION=0` still caches until the real second ticks over.
    /// The monotonic fix off: with it, Chromium takes about a minute to start.
    pub(crate) fn env(&self) -> Vec<(&'static str, std::ffi::OsString)> {
        vec![
            ("LD_PRELOAD", self.faketime.multithreaded().into_os_string()),
            ("FAKETIME_TIMESTAMP_FILE", self.path.as_os_str().to_owned()),
            ("FAKETIME_NO_CACHE", "1".into()),
            ("FAKETIME_DONT_FAKE_MONOTONIC", "1".into()),
            ("FAKETIME_FORCE_MONOTONIC_FIX", "0".into()),
        ]
    }

    /// Starts a case's clock at `start`: the offset to the real time to the microsecond
    /// (libfaketime takes fractional seconds), so that the clock reads `start` when written.
    /// Whole seconds would start it anywhere in that second, and a 60-second Max-Age could
    /// then outlive a 61-second advance.
    pub(crate) fn start(&mut self, start: UnixTime) -> Result<(), TargetError> {
        let real = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64());
        self.offset = start as f64 - real;
        self.now = start;
        self.write(self.offset).map_err(|e| self.write_error(&e))
    }

    /// Moves the clock forward by the case's advance to `now` (nothing when `now` is not later).
    pub(crate) fn advance_to(&mut self, now: UnixTime) -> Result<(), TargetError> {
        if now <= self.now {
            return Ok(());
        }
        self.offset += (now - self.now) as f64;
        self.now = now;
        self.write(self.offset).map_err(|e| self.write_error(&e))
    }

    fn write_error(&self, e: &std::io::Error) -> TargetError {
        TargetError::failed(format!("writing the clock file {}: {e}", self.path.display()))
    }

    /// Replaces the file whole: libfaketime ends a process that reads a malformed file.
    fn write(&self, offset: f64) -> std::io::Result<()> {
        cookie_conformance::atomic::write(&self.path, format!("{offset:+.6}\n").as_bytes())
    }
}

/// A browser's clock: libfaketime's [`ClockFile`] when the library is installed, else the real
/// clock, slept through short advances.
#[derive(Debug)]
pub(crate) enum BrowserClock {
    Virtual(ClockFile),
    Real(super::RealClock),
}

impl BrowserClock {
    /// A clock file in `dir` when libfaketime is installed.
    pub(crate) fn find(dir: &Path) -> std::io::Result<BrowserClock> {
        Ok(match Faketime::find() {
            Ok(ft) => BrowserClock::Virtual(ClockFile::new(ft, dir.join("clock"))?),
            Err(_) => BrowserClock::Real(super::RealClock::default()),
        })
    }

    /// The environment the browser is started with (none on the real clock).
    pub(crate) fn env(&self) -> Vec<(&'static str, std::ffi::OsString)> {
        match self {
            BrowserClock::Virtual(f) => f.env(),
            BrowserClock::Real(_) => Vec::new(),
        }
    }

    pub(crate) fn is_virtual(&self) -> bool {
        matches!(self, BrowserClock::Virtual(_))
    }

    /// For [`Capabilities::sleeps_through_advance`].
    pub(crate) fn sleeps_through_advance(&self) -> u64 {
        if self.is_virtual() { 0 } else { super::MAX_SLEEP_SECONDS }
    }

    /// A new case starts at `start`.
    pub(crate) fn reset(&mut self, start: UnixTime) -> Result<(), TargetError> {
        match self {
            BrowserClock::Virtual(f) => f.start(start),
            BrowserClock::Real(r) => {
                r.reset(start);
                Ok(())
            }
        }
    }

    /// A step at `now`.
    pub(crate) fn at(&mut self, now: UnixTime) -> Result<(), TargetError> {
        match self {
            BrowserClock::Virtual(f) => f.advance_to(now),
            BrowserClock::Real(r) => {
                r.catch_up(now);
                Ok(())
            }
        }
    }
}

/// The clock of a client run once per step (curl, wget): libfaketime when installed, else the
/// real clock, slept through short advances ([`super::RealClock`]).
#[derive(Debug)]
pub(crate) struct RunClock {
    faketime: Option<Faketime>,
    real: super::RealClock,
}

impl RunClock {
    /// libfaketime if it is installed.
    pub(crate) fn find() -> RunClock {
        RunClock { faketime: Faketime::find().ok(), real: super::RealClock::default() }
    }

    /// A command-line client's capabilities with this clock: HTTP API only, no same-site
    /// contexts, rfc6265bis.
    pub(crate) fn capabilities(&self) -> Capabilities {
        match self.faketime {
            Some(_) => Capabilities { virtual_clock: true, ..Capabilities::default() },
            None => Capabilities { sleeps_through_advance: super::MAX_SLEEP_SECONDS, ..Capabilities::default() },
        }
    }

    /// A new case starts at `start`.
    pub(crate) fn reset(&mut self, start: UnixTime) {
        self.real.reset(start);
    }

    /// Makes `cmd` run at `now`: under libfaketime, or after sleeping until then.
    pub(crate) fn prepare(&mut self, cmd: &mut Command, now: UnixTime) -> Result<(), TargetError> {
        match &self.faketime {
            Some(ft) => ft.apply(cmd, now).ok_or_else(|| TargetError::Unsupported(format!("libfaketime cannot be set to the time {now}"))),
            None => {
                self.real.catch_up(now);
                Ok(())
            }
        }
    }
}

/// Removes a client's cookie file before a case (`what` names it in the error).
pub(crate) fn remove_jar(path: &Path, what: &str) -> Result<(), TargetError> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(TargetError::failed(format!("removing {what}: {e}"))),
    }
}

/// `now` as `YYYY-MM-DD HH:MM:SS` (UTC), if it is in years 1..=9999.
fn timestamp(now: UnixTime) -> Option<String> {
    let t = OffsetDateTime::from_unix_timestamp(now).ok()?;
    if t.year() < 1 {
        return None;
    }
    Some(format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_utc_and_cover_negative_times() {
        assert_eq!(timestamp(0).as_deref(), Some("1970-01-01 00:00:00"));
        assert_eq!(timestamp(-100_000).as_deref(), Some("1969-12-30 20:13:20"));
        assert_eq!(timestamp(4_102_444_800).as_deref(), Some("2100-01-01 00:00:00"));
        assert_eq!(timestamp(i64::MAX), None);
    }

    /// Needs libfaketime: a process started on a clock file reads the offset written last.
    #[test]
    fn a_clock_file_moves_a_running_clock() {
        let ft = match Faketime::find() {
            Ok(ft) => ft,
            Err(why) => {
                eprintln!("skipped: {why}");
                return;
            }
        };
        let dir = tempfile::tempdir().unwrap();
        let mut clock = ClockFile::new(ft, dir.path().join("clock")).unwrap();
        for now in [2_000_000_000, 800_000_000] {
            clock.start(now).unwrap();
            assert!(std::fs::read_to_string(dir.path().join("clock")).unwrap().starts_with(if now > 1_900_000_000 { '+' } else { '-' }));
            let mut cmd = Command::new("date");
            cmd.arg("+%s.%N").envs(clock.env());
            let seen: f64 = String::from_utf8_lossy(&cmd.output().unwrap().stdout).trim().parse().unwrap();
            // To the fraction: the clock starts at `now` itself, not somewhere in its second.
            assert!((now as f64..now as f64 + 1.0).contains(&seen), "{now}: {seen}");
        }
        // An advance moves it by exactly that much; an earlier `now` does not move it back.
        clock.advance_to(800_086_400).unwrap();
        clock.advance_to(800_000_000).unwrap();
        let mut cmd = Command::new("date");
        cmd.arg("+%s").envs(clock.env());
        let seen: i64 = String::from_utf8_lossy(&cmd.output().unwrap().stdout).trim().parse().unwrap();
        assert!((800_086_400..800_086_402).contains(&seen), "{seen}");
    }

    /// Needs libfaketime (skipped, with a message, without it): `date` sees the given time.
    #[test]
    fn a_command_sees_the_virtual_time() {
        let ft = match Faketime::find() {
            Ok(ft) => ft,
            Err(why) => {
                eprintln!("skipped: {why}");
                return;
            }
        };
        for now in [1_000_000_000, -100_000] {
            let mut cmd = Command::new("date");
            cmd.arg("+%s");
            ft.apply(&mut cmd, now).unwrap();
            let out = cmd.output().unwrap();
            let seen: i64 = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap();
            assert!((now..now + 2).contains(&seen), "{now}: {seen}");
        }
    }
}
