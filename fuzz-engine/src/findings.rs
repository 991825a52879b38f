//! The fuzzer's output: one minimized case per bucket, in the corpus format (with the reference
//! jar's answers as expectations and every target's answer in comments), and a `findings.md`
//! index with a section per bucket (the case, each target's answer, the spec section and the
//! reference jar's account of every step).

use std::fmt::Write as _;
use std::path::Path;

use reference_jar::Profile;

use super::emit::case_yaml;
use super::engine::{Answer, Finding, Level, Signature};
use super::scenario::{Features, Scenario, Step};
use cookie_conformance::case::Case;

/// A group of equivalent disagreements.
#[derive(Clone, Debug)]
pub struct Bucket {
    /// Its key.
    pub signature: Signature,
    /// How many scenarios fell into it.
    pub hits: u64,
    /// The index of the first scenario that did (regenerate it with the run's seed).
    pub first: u64,
    /// That scenario, as generated (after restriction to the targets' features).
    pub original: Scenario,
    /// The minimized scenario.
    pub minimized: Scenario,
    /// The finding on the minimized scenario.
    pub finding: Finding,
    /// The reference jar's answers on the minimized scenario.
    pub reference: Vec<Option<Vec<u8>>>,
    /// Every jar's answers on the minimized scenario.
    pub answers: Vec<(String, Vec<Answer>)>,
    /// The reference jar panicked: its message.
    pub panic: Option<String>,
    /// The raw input bytes of the first scenario (a cargo-fuzz seed).
    pub input: Vec<u8>,
}

impl Bucket {
    /// The file name of its case: `jar-1a2b3c4d.yaml`.
    pub fn file_name(&self) -> String {
        let level = match self.signature.level {
            Level::Jar => "jar",
            Level::Parse => "parse",
        };
        format!("{level}-{}.yaml", self.signature.id())
    }

    /// The bucket's case: the minimized scenario, the reference jar's answers as expectations.
    pub fn case(&self) -> Case {
        let mut labels = self.signature.labels.join(" ");
        if labels.len() > 100 {
            let mut cut = 100;
            while !labels.is_char_boundary(cut) {
                cut -= 1;
            }
            labels.truncate(cut);
            labels.push('…');
        }
        let name = format!("fuzz {}: {labels}", self.signature.id());
        let mut spec = self.finding.sections();
        if spec.is_empty() {
            spec.push("5".to_owned());
        }
        let mut tags = vec!["fuzz-found".to_owned()];
        for l in &self.signature.labels {
            let class = l.trim_start_matches(['+', '-']);
            let class = class.split('(').next().unwrap_or("").replace(':', "-");
            if !class.is_empty() && !tags.contains(&class) {
                tags.push(class);
            }
        }
        self.minimized.to_case(name, spec, tags, &self.reference)
    }

    /// The case as YAML with comments.
    pub fn case_yaml(&self, seed: u64, command: &str) -> String {
        self.yaml(format!("Found by `{command}` (scenario #{} of seed {seed}), then minimized.", self.first))
    }

    /// The case as YAML, with `provenance` among the header comments.
    pub fn yaml(&self, provenance: String) -> String {
        let case = self.case();
        let mut header = vec![
            format!("Bucket {}", self.signature),
            provenance,
            "The expectations are the reference jar's answers; other targets' answers follow each step.".to_owned(),
        ];
        if let Some(p) = &self.panic {
            header.push(format!("THE REFERENCE JAR PANICKED: {p}"));
        }
        let mut notes: Vec<Vec<String>> = vec![Vec::new(); case.steps.len()];
        let mut k = 0;
        for (i, step) in self.minimized.steps.iter().enumerate() {
            if let Step::Expect { .. } = step {
                for (key, answers) in &self.answers {
                    if let Some(a) = answers.get(k) {
                        notes[i].push(format!("{key}: {a}"));
                    }
                }
                k += 1;
            }
            if i == self.finding.step {
                let labels = self.finding.diffs.iter().flat_map(|(t, d)| d.iter().map(move |d| format!("{t}:{} [{}]", d.label(), d.section)));
                match self.signature.level {
                    Level::Jar => notes[i].push(format!("^ first disagreement: {}", labels.collect::<Vec<_>>().join(", "))),
                    Level::Parse => {
                        notes[i].push(format!("^ line #{} parses differently: {}", self.finding.line + 1, labels.collect::<Vec<_>>().join(", ")));
                        for (key, shown) in &self.finding.answers {
                            notes[i].push(format!("{key} parses: {shown}"));
                        }
                    }
                }
            }
        }
        case_yaml(&case, &header, &notes)
    }
}

/// A finding on a scenario as a YAML case with every target's answer in comments (what the
/// cargo-fuzz targets print when they stop on a disagreement).
pub fn reproducer(s: &Scenario, out: &super::engine::Outcome, f: &Finding, answers: &[(String, Vec<Answer>)]) -> String {
    let b = Bucket {
        signature: f.signature.clone(),
        hits: 1,
        first: 0,
        original: s.clone(),
        minimized: s.clone(),
        finding: f.clone(),
        reference: out.reference.clone(),
        answers: answers.to_vec(),
        panic: out.reference_panic.clone(),
        input: Vec::new(),
    };
    b.yaml("Found by a cargo-fuzz target; `cargo fuzz tmin` minimizes the crash input.".to_owned())
}

/// The difference labels to let pass (`+parse:value`, `-parse:name(MissingPair)`), from the
/// `COOKIE_FUZZ_IGNORE` environment variable: comma-separated, or `@FILE` with one per line.
/// The cargo-fuzz differential targets use it to get past buckets already known.
pub fn ignored_labels() -> Vec<String> {
    let Ok(v) = std::env::var("COOKIE_FUZZ_IGNORE") else { return Vec::new() };
    let text = match v.strip_prefix('@') {
        Some(file) => std::fs::read_to_string(file).unwrap_or_default(),
        None => v.replace(',', "\n"),
    };
    text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(str::to_owned).collect()
}

/// What a run was, for the report's preamble.
#[derive(Clone, Debug)]
pub struct RunInfo {
    /// The seed.
    pub seed: u64,
    /// Scenarios run.
    pub scenarios: u64,
    /// Seconds.
    pub seconds: f64,
    /// (key, display name) of every column.
    pub columns: Vec<(String, String)>,
    /// What the scenarios were restricted to.
    pub features: Features,
    /// The command that reproduces the run.
    pub command: String,
    /// (target, quirk id, note, suppressed count).
    pub quirks: Vec<(String, String, String, u64)>,
    /// Scenarios on which some target differed, quirks included.
    pub raw_differences: u64,
    /// Whether the run was interrupted.
    pub interrupted: bool,
}

/// Writes `cases_dir/<bucket>.yaml` for every bucket and the index at `findings`. The index
/// links the cases relative to its own folder.
pub fn write(info: &RunInfo, buckets: &[Bucket], findings: &Path, cases_dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(cases_dir)?;
    if let Some(parent) = findings.parent() {
        std::fs::create_dir_all(parent)?;
    }
    // A folder reused from an earlier run keeps only this run's cases: a minimized case that
    // findings.md no longer lists would read as a current finding. Only files this writer made
    // (`jar-*.yaml`/`parse-*.yaml` starting with a bucket header) are removed.
    let current: std::collections::HashSet<String> = buckets.iter().map(Bucket::file_name).collect();
    for entry in std::fs::read_dir(cases_dir)?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours = (name.starts_with("jar-") || name.starts_with("parse-")) && name.ends_with(".yaml");
        if ours && !current.contains(&name) && entry.file_type().is_ok_and(|t| t.is_file()) {
            let head = std::fs::read(entry.path()).map(|b| b.starts_with(b"# Bucket ")).unwrap_or(false);
            if head {
                std::fs::remove_file(entry.path())?;
            }
        }
    }
    for b in buckets {
        std::fs::write(cases_dir.join(b.file_name()), b.case_yaml(info.seed, &info.command))?;
    }
    let rel = relative(findings.parent().unwrap_or(Path::new(".")), cases_dir);
    std::fs::write(findings, markdown(info, buckets, &rel))
}

fn relative(from: &Path, to: &Path) -> String {
    match (from.canonicalize(), to.canonicalize()) {
        (Ok(f), Ok(t)) => t.strip_prefix(&f).map(|p| p.display().to_string()).unwrap_or_else(|_| t.display().to_string()),
        _ => to.display().to_string(),
    }
}

/// The `findings.md` text.
pub fn markdown(info: &RunInfo, buckets: &[Bucket], cases_rel: &str) -> String {
    let mut m = String::new();
    let _ = writeln!(m, "# Fuzz findings\n");
    let rate = if info.seconds > 0.0 { info.scenarios as f64 / info.seconds } else { 0.0 };
    let _ = writeln!(
        m,
        "Seed {}, {} scenarios in {:.1} s ({:.0}/s){}; {} scenarios showed a difference before quirks were applied.\n",
        info.seed,
        info.scenarios,
        info.seconds,
        rate,
        if info.interrupted { ", interrupted" } else { "" },
        info.raw_differences
    );
    let _ = writeln!(m, "Reproduce: `{}`\n", info.command);
    let _ = writeln!(m, "Columns:");
    for (k, n) in &info.columns {
        let _ = writeln!(m, "- `{k}`: {n}");
    }
    let f = info.features;
    let _ = writeln!(
        m,
        "\nScenarios were restricted to what every jar can model: virtual clock {}, same-site contexts {}, script API {}.\n",
        yes(f.clock),
        yes(f.contexts),
        yes(f.script)
    );
    let _ = writeln!(
        m,
        "Each bucket groups scenarios with the same signature: the verdict grid (equal letters, equal answers; \
         the reference is `A`) and the classified differences (`+class`: the target sends a cookie the reference \
         does not; `-class`: it leaves out one the reference sends; in parentheses the reference jar's reason). \
         Every case below is minimized, its expectations are the reference jar's answers, and it runs with \
         `cookie-conformance run --cases DIR`.\n"
    );
    let _ = writeln!(m, "## Buckets\n");
    if buckets.is_empty() {
        let _ = writeln!(m, "None: every target agreed with the reference jar, quirks aside.\n");
    } else {
        let _ = writeln!(m, "| # | level | grid | differences | hits | case |");
        let _ = writeln!(m, "|---|---|---|---|---|---|");
        for (i, b) in buckets.iter().enumerate() {
            let level = match b.signature.level {
                Level::Jar => "jar",
                Level::Parse => "parse",
            };
            let _ = writeln!(
                m,
                "| [{}](#{}) | {level} | `{}` | `{}` | {} | [{}]({cases_rel}/{}) |",
                i + 1,
                anchor(i + 1, b),
                b.signature.grid,
                b.signature.labels.join(" "),
                b.hits,
                b.file_name(),
                b.file_name()
            );
        }
        let _ = writeln!(m);
    }
    let _ = writeln!(m, "## Quirks (declared differences, suppressed)\n");
    if info.quirks.is_empty() {
        let _ = writeln!(m, "No quirk list applies to these targets.\n");
    } else {
        let _ = writeln!(m, "| target | quirk | note | differences suppressed |");
        let _ = writeln!(m, "|---|---|---|---|");
        for (t, id, note, n) in &info.quirks {
            let _ = writeln!(m, "| `{t}` | `{id}` | {} | {n} |", note.replace('|', "\\|").replace('\n', " "));
        }
        let _ = writeln!(m);
    }
    for (i, b) in buckets.iter().enumerate() {
        let _ = writeln!(m, "## {}. {}\n", i + 1, b.signature.labels.join(" "));
        let _ = writeln!(m, "<a id=\"{}\"></a>", anchor(i + 1, b));
        let _ = writeln!(m, "- signature: `{}`", b.signature);
        let _ = writeln!(m, "- hits: {} (first: scenario #{})", b.hits, b.first);
        let _ = writeln!(m, "- spec: {}", b.finding.sections().join(", "));
        if let Some(p) = &b.panic {
            let _ = writeln!(m, "- **the reference jar panicked**: {p}");
        }
        let _ = writeln!(m, "- answers at the first disagreement (step {}):", b.finding.step + 1);
        for (k, a) in &b.finding.answers {
            let _ = writeln!(m, "  - `{k}`: {}", a.replace('|', "\\|"));
        }
        let _ = writeln!(m, "- differences:");
        for (t, ds) in &b.finding.diffs {
            for d in ds {
                let pair = if d.pair.is_empty() { String::new() } else { format!(" cookie `{}`", cookie_conformance::bytes::escape(&d.pair)) };
                let line = d.line.as_ref().map(|l| format!(" from `{}`", cookie_conformance::bytes::escape(l))).unwrap_or_default();
                let _ = writeln!(m, "  - `{t}`: `{}` [§{}]{pair}{line}", d.label(), d.section);
            }
        }
        let case = b.case();
        let notes = cookie_conformance::explain::explain(&case, Profile::Rfc6265bis);
        let _ = writeln!(m, "- the reference jar's account:");
        for (s, lines) in notes.iter().enumerate() {
            for l in lines {
                let _ = writeln!(m, "  - step {}: {}", s + 1, l.replace('\n', " "));
            }
        }
        let _ = writeln!(m, "\n```yaml\n{}```\n", b.case_yaml(info.seed, &info.command));
    }
    m
}

fn yes(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

fn anchor(i: usize, b: &Bucket) -> String {
    format!("bucket-{i}-{}", b.signature.id())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reused_folder_keeps_only_this_runs_cases() {
        let dir = tempfile::tempdir().unwrap();
        let cases = dir.path().join("cases");
        std::fs::create_dir(&cases).unwrap();
        std::fs::write(cases.join("jar-deadbeef.yaml"), "# Bucket jar | old\n- name: x\n").unwrap();
        std::fs::write(cases.join("jar-mine.yaml"), "# my own notes\n").unwrap();
        let info = RunInfo {
            seed: 1,
            scenarios: 0,
            seconds: 0.0,
            columns: Vec::new(),
            features: Features::ALL,
            command: "cookie-conformance fuzz".to_owned(),
            quirks: Vec::new(),
            raw_differences: 0,
            interrupted: false,
        };
        write(&info, &[], &dir.path().join("findings.md"), &cases).unwrap();
        let mut left: Vec<String> = std::fs::read_dir(&cases).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        left.sort();
        assert_eq!(left, ["jar-mine.yaml"]);
    }
}
