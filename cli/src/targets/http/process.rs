//! An adapter process the runner started itself (PROTOCOL.md §2, §7.1, §7.4, §7.5): spawn with
//! `--port 0`, wait for `LISTENING <port>`, keep its stderr in a log, stop it politely then
//! firmly.

use std::fs::File;
use std::io::{BufRead as _, BufReader, Read as _};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A running adapter.
#[derive(Debug)]
pub struct AdapterProcess {
    child: Child,
    /// The port from its `LISTENING` line.
    pub port: u16,
    log: PathBuf,
}

/// Parses the first stdout line (PROTOCOL.md §2: exactly `LISTENING <port>`).
pub fn parse_listening(line: &str) -> Option<u16> {
    let port = line.trim_end_matches(['\r', '\n']).strip_prefix("LISTENING ")?;
    port.parse().ok().filter(|&p| p != 0)
}

impl AdapterProcess {
    /// Spawns `command --port 0` in `cwd` and waits up to `timeout` for its `LISTENING` line.
    pub fn start(command: &[String], cwd: &Path, label: &str, timeout: Duration) -> Result<AdapterProcess, String> {
        static SEQ: AtomicU64 = AtomicU64::new(0);
        let (program, args) = command.split_first().ok_or("empty start command")?;
        let safe: String = label.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
        let log = std::env::temp_dir().join(format!(
            "cookie-conformance-{safe}-{}-{}.log",
            std::process::id(),
            SEQ.fetch_add(1, Ordering::Relaxed)
        ));
        let log_file = File::create(&log).map_err(|e| format!("creating {}: {e}", log.display()))?;
        let mut child = Command::new(program)
            .args(args)
            .args(["--port", "0"])
            .current_dir(cwd)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log_file))
            .spawn()
            .map_err(|e| format!("spawning `{}` in {}: {e}", command.join(" "), cwd.display()))?;
        let Some(stdout) = child.stdout.take() else {
            let _ = child.kill();
            return Err("no stdout pipe".to_owned());
        };
        // The first line is read on a thread so that the wait is bounded; the thread then
        // drains stdout so that a chatty adapter never blocks on a full pipe.
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            let mut first = String::new();
            let read = reader.read_line(&mut first);
            let _ = tx.send(read.map(|_| first));
            let _ = std::io::copy(&mut reader.take(u64::MAX), &mut std::io::sink());
        });
        let mut me = AdapterProcess { child, port: 0, log };
        match rx.recv_timeout(timeout) {
            Ok(Ok(line)) => match parse_listening(&line) {
                Some(port) => {
                    me.port = port;
                    Ok(me)
                }
                None if line.is_empty() => Err(me.fail("exited without printing `LISTENING <port>`")),
                None => Err(me.fail(&format!("first stdout line is {line:?}, not `LISTENING <port>`"))),
            },
            Ok(Err(e)) => Err(me.fail(&format!("reading its stdout: {e}"))),
            Err(_) => Err(me.fail(&format!("no `LISTENING <port>` line within {} s", timeout.as_secs()))),
        }
    }

    fn fail(&mut self, why: &str) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        format!("{why}{}", self.log_tail_suffix())
    }

    /// The last lines of the adapter's stderr, as ` (stderr: ...)`, or empty.
    pub fn log_tail_suffix(&self) -> String {
        let tail = log_tail(&self.log, 5);
        if tail.is_empty() {
            String::new()
        } else {
            format!(" (adapter stderr: {tail})")
        }
    }

    /// Whether the process has exited.
    pub fn exited(&mut self) -> bool {
        !matches!(self.child.try_wait(), Ok(None))
    }

    /// PROTOCOL.md §7.5 after `POST /shutdown` was sent (or could not be): wait 2 s, then
    /// `SIGTERM`, 2 s more, then `SIGKILL`.
    pub fn stop(&mut self) {
        if self.wait_for(Duration::from_secs(2)) {
            return;
        }
        self.terminate();
    }

    /// `SIGTERM`, then `SIGKILL` after 2 s (PROTOCOL.md §7.4).
    pub fn terminate(&mut self) {
        terminate(&mut self.child, Duration::from_secs(2));
    }

    fn wait_for(&mut self, d: Duration) -> bool {
        let until = Instant::now() + d;
        while Instant::now() < until {
            if self.exited() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        self.exited()
    }
}

/// Stops `child` as a well-behaved program expects: `SIGTERM`, then `SIGKILL` if it has not
/// exited after `grace`; reaps it.
pub(crate) fn terminate(child: &mut Child, grace: Duration) {
    let exited = |c: &mut Child| !matches!(c.try_wait(), Ok(None));
    if exited(child) {
        return;
    }
    // No libc (the crate forbids unsafe code): `kill -TERM` is the portable way.
    let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).stderr(Stdio::null()).status();
    let until = Instant::now() + grace;
    while Instant::now() < until {
        if exited(child) {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
}

impl Drop for AdapterProcess {
    fn drop(&mut self) {
        if !self.exited() {
            self.terminate();
        }
        let _ = std::fs::remove_file(&self.log);
    }
}

/// The last `n` non-empty lines of a log, joined with ` | `, at most 600 characters.
fn log_tail(path: &Path, n: usize) -> String {
    let Ok(text) = std::fs::read(path) else { return String::new() };
    let text = String::from_utf8_lossy(&text);
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let joined = lines[lines.len().saturating_sub(n)..].join(" | ");
    let chars: Vec<char> = joined.chars().collect();
    if chars.len() > 600 {
        format!("…{}", chars[chars.len() - 600..].iter().collect::<String>())
    } else {
        joined
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str) -> Vec<String> {
        vec!["sh".into(), "-c".into(), script.into(), "sh".into()]
    }

    #[test]
    fn listening_line() {
        assert_eq!(parse_listening("LISTENING 8080\n"), Some(8080));
        assert_eq!(parse_listening("LISTENING 0"), None);
        assert_eq!(parse_listening("listening 1"), None);
        assert_eq!(parse_listening("LISTENING 80 x"), None);
    }

    #[test]
    fn start_reads_the_port_and_stop_ends_it() {
        let mut p = AdapterProcess::start(&sh("echo LISTENING 4242; exec sleep 30"), Path::new("."), "t", Duration::from_secs(5)).unwrap();
        assert_eq!(p.port, 4242);
        assert!(!p.exited());
        p.terminate();
        assert!(p.exited());
    }

    #[test]
    fn start_failures_carry_stderr() {
        let e = AdapterProcess::start(&sh("echo oops >&2; echo hello"), Path::new("."), "t", Duration::from_secs(5)).unwrap_err();
        assert!(e.contains("\"hello\\n\"") && e.contains("oops"), "{e}");
        let e = AdapterProcess::start(&sh("exit 3"), Path::new("."), "t", Duration::from_secs(5)).unwrap_err();
        assert!(e.contains("exited without"), "{e}");
        let e = AdapterProcess::start(&sh("exec sleep 30"), Path::new("."), "t", Duration::from_millis(300)).unwrap_err();
        assert!(e.contains("no `LISTENING"), "{e}");
    }
}
