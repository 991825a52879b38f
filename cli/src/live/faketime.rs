//! A virtual clock for command-line clients (curl, wget) through libfaketime (Debian's
//! `libfaketime`): each run of the client is started with `LD_PRELOAD` of the library and
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

    /// Makes `cmd` start with its real-time clock at `now`. `None` when `now` is outside the
    /// years libfaketime can be given (1..9999).
    pub fn apply(&self, cmd: &mut Command, now: UnixTime) -> Option<()> {
        let start = timestamp(now)?;
        cmd.env("LD_PRELOAD", &self.library)
            .env("FAKETIME", format!("@{start}"))
            .env("TZ", "UTC")
            .env("FAKETIME_DONT_FAKE_MONOTONIC", "1")
            // No shared-memory segment: each run is independent, and a killed run would leave
            // /dev/shm/faketime_* behind.
            .env("FAKETIME_DISABLE_SHM", "1")
            .env_remove("FAKETIME_TIMESTAMP_FILE")
            .env_remove("FAKETIME_FMT");
        Some(())
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
