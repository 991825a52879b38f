//! Atomic file output: every report file is written to a temporary file in the destination's
//! own directory (so the rename cannot cross file systems) and renamed over the destination, so
//! a reader — or a CI job that uploads `reports/` — never sees a half-written file, and a failed
//! write leaves the previous file as it was. A process killed mid-write (SIGKILL) leaves its
//! temporary file behind; the next write to the same destination removes it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Distinguishes temporary files of concurrent writes within one process.
static COUNTER: AtomicU64 = AtomicU64::new(0);

/// Writes what `fill` produces to `path` atomically; on any error (from `fill`, the disk or the
/// rename) the temporary file is removed and `path` is untouched.
pub fn write_with(path: &Path, fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "report".into());
    sweep_orphans(dir, &name);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let tmp: PathBuf = dir.join(format!(".{name}.{}.{n}.tmp", std::process::id()));
    let result = (|| {
        let file = std::fs::File::create(&tmp)?;
        let mut w = std::io::BufWriter::new(file);
        fill(&mut w)?;
        let file = w.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Writes `bytes` to `path` atomically.
pub fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_with(path, |w| w.write_all(bytes))
}

/// Removes the temporary files `.NAME.PID.N.tmp` in `dir` left by processes that no longer run
/// (killed mid-write). Where processes cannot be looked up (no `/proc`), nothing is removed.
fn sweep_orphans(dir: &Path, name: &str) {
    let proc_fs = Path::new("/proc/self");
    if !proc_fs.exists() {
        return;
    }
    let prefix = format!(".{name}.");
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = file.strip_prefix(&prefix).and_then(|r| r.strip_suffix(".tmp")) else { continue };
        let Some(pid) = rest.split('.').next().and_then(|p| p.parse::<u32>().ok()) else { continue };
        if pid != std::process::id() && !Path::new("/proc").join(pid.to_string()).exists() {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Checks, before any work, that `path` can be written atomically: its folder exists and
/// takes a new file, and `path` is not a folder. The error names the path.
pub fn check_writable(path: &Path) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let fail = |why: String| std::io::Error::other(format!("cannot write {}: {why}", path.display()));
    if path.is_dir() {
        return Err(fail("it is a folder".to_owned()));
    }
    if !dir.is_dir() {
        return Err(fail(format!("no folder {}", dir.display())));
    }
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let probe = dir.join(format!(".cookie-conformance-probe.{}.{n}.tmp", std::process::id()));
    match std::fs::File::create(&probe) {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            Ok(())
        }
        Err(e) => Err(fail(format!("{} does not take new files ({e})", dir.display()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporaries_of_dead_processes_are_swept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("results.json");
        // PID 0 is never a process; u32::MAX is beyond any PID limit.
        for orphan in [".results.json.4294967295.0.tmp", ".results.json.4294967294.3.tmp"] {
            std::fs::write(dir.path().join(orphan), "half").unwrap();
        }
        std::fs::write(dir.path().join(".other.json.4294967295.0.tmp"), "not ours").unwrap();
        write(&path, b"{}").unwrap();
        let mut left: Vec<String> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        left.sort();
        if Path::new("/proc/self").exists() {
            assert_eq!(left, [".other.json.4294967295.0.tmp", "results.json"]);
        }
    }

    #[test]
    fn unwritable_destinations_are_named_before_any_work() {
        let dir = tempfile::tempdir().unwrap();
        assert!(check_writable(&dir.path().join("x.json")).is_ok());
        let e = check_writable(&dir.path().join("missing/x.json")).unwrap_err().to_string();
        assert!(e.contains("missing/x.json") && e.contains("no folder"), "{e}");
        let e = check_writable(dir.path()).unwrap_err().to_string();
        assert!(e.contains("is a folder"), "{e}");
        if Path::new("/proc/version").exists() {
            let e = check_writable(Path::new("/proc/version")).unwrap_err().to_string();
            assert!(e.contains("/proc/version"), "{e}");
        }
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "no probe left behind");
    }

    #[test]
    fn replaces_the_whole_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.txt");
        std::fs::write(&path, "old").unwrap();
        write(&path, b"new contents").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new contents");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_failed_write_leaves_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.txt");
        std::fs::write(&path, "old").unwrap();
        // The producer fails half-way, after writing part of the new contents.
        let err = write_with(&path, |w| {
            w.write_all(b"half of the ")?;
            Err(std::io::Error::other("disk full"))
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "disk full");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "temporary file left behind");
    }

    #[test]
    fn a_failed_rename_leaves_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        // A non-empty directory where the file should go: the rename fails.
        let path = dir.path().join("taken");
        std::fs::create_dir(&path).unwrap();
        std::fs::write(path.join("keep"), "old").unwrap();
        assert!(write(&path, b"new").is_err());
        assert_eq!(std::fs::read_to_string(path.join("keep")).unwrap(), "old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "temporary file left behind");
    }
}
