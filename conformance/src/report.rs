//! The JSON results file: one document per run, written atomically (temporary file + rename) so
//! a reader never sees half a report.

use std::io::Write as _;
use std::path::Path;

use serde::Serialize;

use crate::outcome::{CaseResult, Summary};
use crate::target::Capabilities;

/// The version of the JSON layout below; bumped on incompatible changes.
pub const SCHEMA_VERSION: u32 = 1;

/// The target a report is about.
#[derive(Clone, Debug, Serialize)]
pub struct TargetInfo {
    /// [`crate::Target::name`].
    pub name: String,
    /// [`crate::Target::capabilities`].
    pub capabilities: Capabilities,
}

/// A whole run.
#[derive(Clone, Debug, Serialize)]
pub struct Report<'a> {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The target.
    pub target: TargetInfo,
    /// The tally.
    pub summary: Summary,
    /// Wall-clock time of the run, in milliseconds.
    pub duration_ms: f64,
    /// One record per (case, profile), in corpus order.
    pub results: &'a [CaseResult],
}

impl<'a> Report<'a> {
    /// A report over `results`.
    pub fn new(target: TargetInfo, results: &'a [CaseResult], duration: std::time::Duration) -> Self {
        Report {
            schema_version: SCHEMA_VERSION,
            target,
            summary: Summary::of(results),
            duration_ms: duration.as_secs_f64() * 1000.0,
            results,
        }
    }

    /// Writes the report to `path` atomically.
    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        let json = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        write_atomic(path, &json)
    }
}

/// Writes `bytes` and a final newline to `path` atomically ([`crate::atomic`]).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    crate::atomic::write_with(path, |w| {
        w.write_all(bytes)?;
        w.write_all(b"\n")
    })
}

/// Appends one JSON object per result to `path` (JSON Lines), in a single write so that
/// concurrent test processes (cargo-nextest runs each trial in its own) do not interleave.
pub fn append_lines(path: &Path, target: &str, results: &[CaseResult]) -> std::io::Result<()> {
    #[derive(Serialize)]
    struct Line<'a> {
        schema_version: u32,
        target: &'a str,
        #[serde(flatten)]
        result: &'a CaseResult,
    }
    let mut buf = Vec::new();
    for result in results {
        serde_json::to_writer(&mut buf, &Line { schema_version: SCHEMA_VERSION, target, result })
            .map_err(std::io::Error::other)?;
        buf.push(b'\n');
    }
    let mut f = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
    f.write_all(&buf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::Outcome;

    fn result(outcome: Outcome) -> CaseResult {
        CaseResult {
            case: "t::x".into(),
            file: "cases/t/x.yaml".into(),
            line: 3,
            profile: "rfc6265bis".into(),
            outcome,
            reason: None,
            detail: None,
            step: None,
            expected: None,
            actual: None,
            order_only: false,
            duration_us: 7,
        }
    }

    #[test]
    fn writes_a_whole_document_atomically() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.json");
        std::fs::write(&path, "old").unwrap();
        let results = [result(Outcome::Pass), result(Outcome::Xfail)];
        let info = TargetInfo { name: "t".into(), capabilities: Capabilities::default() };
        Report::new(info, &results, std::time::Duration::from_millis(3)).write(&path).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(v["schema_version"], 1);
        assert_eq!(v["summary"]["passed"], 1);
        assert_eq!(v["summary"]["xfail"], 1);
        assert_eq!(v["results"][1]["outcome"], "xfail");
        assert_eq!(v["results"][0]["line"], 3);
        assert_eq!(v["target"]["capabilities"]["virtual_clock"], false);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "temporary file left behind");
    }

    #[test]
    fn appends_json_lines() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.jsonl");
        append_lines(&path, "t", &[result(Outcome::Pass)]).unwrap();
        append_lines(&path, "t", &[result(Outcome::Skip)]).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[1]["outcome"], "skip");
        assert_eq!(lines[1]["target"], "t");
    }
}
