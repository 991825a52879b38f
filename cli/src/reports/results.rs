//! `results.json`: the multi-target results document, and how it is built from runs.
//!
//! # Schema (`format: "cookie-conformance-results"`, `schema_version: 1`)
//!
//! ```json
//! { "format": "cookie-conformance-results", "schema_version": 1,
//!   "generated_at": "2026-11-23T17:00:00Z",
//!   "tool": { "name": "cookie-conformance", "version": "0.1.0" },
//!   "trials": [ { "id": "domain::x [rfc6265bis]", "case": "domain::x", "name": "x",
//!                 "area": "domain", "profile": "rfc6265bis", "file": "cases/domain/x.yaml",
//!                 "line": 4, "spec": ["5.6.3"], "tags": [], "config": {}, "steps": [ ... ],
//!                 "reference": [["stored: a=b ..."], ["sends a=b"]] } ],
//!   "targets": [ { "id": "reference", "name": "reference-jar 0.1.0", "library": "reference-jar",
//!                  "version": "0.1.0", "configuration": null, "description": "...",
//!                  "available": true, "unavailable_reason": null, "capabilities": { ... },
//!                  "xfail_file": null,
//!                  "summary": { "passed": 1, ... }, "duration_ms": 12.5 } ],
//!   "results": [ { "trial": "domain::x [rfc6265bis]", "target": "reference", "outcome": "pass",
//!                  "reason": null, "detail": null, "step": null, "expected": null,
//!                  "actual": null, "order_only": false, "duration_us": 12 } ] }
//! ```
//!
//! * A *trial* is one (case, profile): the unit every target runs. `id` is `case [profile]`.
//!   `steps` are the case's steps in the case-file shape (cases/README.md); `reference` holds,
//!   per step, the reference jar's account (why each cookie was stored, rejected or left out,
//!   with the section): the same notes failure reports print.
//! * `results` has one record per trial × *available* target, trials in corpus order, targets
//!   in `targets` order. An unavailable target (it failed to start) has no records, and its
//!   `unavailable_reason` says why.
//! * `outcome` is `pass | fail | xfail | xpass | skip | error`; `reason` is the skip reason
//!   (the missing capability), the expected-failure reason, or the error; `detail` the full
//!   failure report; `step`/`expected`/`actual` the first failed expectation (as in
//!   `run --json`).
//!
//! Compatible additions (new optional fields) keep `schema_version`; anything else bumps it.
//! The JSON Schema is written beside the results as `results.schema.json`.

use std::collections::HashMap;
use std::time::Duration;

use reference_jar::Profile;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use cookie_conformance::case::Case;
use cookie_conformance::outcome::{self, CaseResult};

/// `format` of the document.
pub const FORMAT: &str = "cookie-conformance-results";
/// `schema_version` of the document; bumped on incompatible changes.
pub const SCHEMA_VERSION: u32 = 1;

/// The whole document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ResultsDoc {
    /// Always `cookie-conformance-results`.
    pub format: String,
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// When the report was generated (RFC 3339, UTC).
    pub generated_at: String,
    /// The program that wrote it.
    pub tool: Tool,
    /// Every (case, profile) run, in corpus order.
    pub trials: Vec<Trial>,
    /// The targets, in the order asked for.
    pub targets: Vec<TargetMeta>,
    /// One record per trial × available target.
    pub results: Vec<ResultRecord>,
}

/// The program that wrote a document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Tool {
    /// `cookie-conformance`.
    pub name: String,
    /// Its version.
    pub version: String,
}

/// One (case, profile).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Trial {
    /// `area::name [profile]`, unique in the document.
    pub id: String,
    /// `area::name`.
    pub case: String,
    /// The case's `name`.
    pub name: String,
    /// The spec area: the case's folder below `cases/`.
    pub area: String,
    /// The profile.
    pub profile: String,
    /// The case file.
    pub file: String,
    /// The case's line in it.
    pub line: u32,
    /// The sections it tests.
    pub spec: Vec<String>,
    /// Its tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// The attacks a target failing it is open to (`cases/README.md`, security classes).
    #[serde(default)]
    pub security: Vec<String>,
    /// The jar options it sets (the case file's `config`).
    #[serde(default)]
    pub config: serde_json::Value,
    /// The start of its virtual clock, when the case sets one (RFC 3339).
    #[serde(default)]
    pub now: Option<String>,
    /// Its steps, in the case-file shape.
    #[serde(default)]
    pub steps: Vec<serde_json::Value>,
    /// Per step, the reference jar's notes.
    #[serde(default)]
    pub reference: Vec<Vec<String>>,
}

/// A target of the report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TargetMeta {
    /// The name `--target`/`--targets` takes (`reference`, `cookie_store`).
    pub id: String,
    /// The name the target gives itself (`reference-jar 0.1.0`); the id when unavailable.
    pub name: String,
    /// The library under test (the name up to its version).
    pub library: String,
    /// The library's version, when the name carries one.
    pub version: Option<String>,
    /// How the library is set up, when the name says (what follows the version).
    #[serde(default)]
    pub configuration: Option<String>,
    /// One line on the target and how it is configured (the registry's description).
    pub description: String,
    /// Whether the target started; when not, it has no results.
    pub available: bool,
    /// Why it did not start.
    pub unavailable_reason: Option<String>,
    /// Its capabilities (`Capabilities` as in `run --json`); null when unavailable.
    pub capabilities: Option<serde_json::Value>,
    /// The expected-failures file applied, if any.
    #[serde(default)]
    pub xfail_file: Option<String>,
    /// The tally of its results.
    pub summary: Summary,
    /// Wall-clock time of its run, in milliseconds.
    pub duration_ms: f64,
}

/// How many results had each outcome (as `run --json`'s `summary`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Summary {
    /// `pass`
    pub passed: usize,
    /// `fail`
    pub failed: usize,
    /// `xfail`
    pub xfail: usize,
    /// `xpass`
    pub xpass: usize,
    /// `skip`
    pub skipped: usize,
    /// `error`
    pub error: usize,
}

impl From<outcome::Summary> for Summary {
    fn from(s: outcome::Summary) -> Self {
        Summary {
            passed: s.passed,
            failed: s.failed,
            xfail: s.xfail,
            xpass: s.xpass,
            skipped: s.skipped,
            error: s.error,
        }
    }
}

/// What became of a trial on a target (mirrors [`cookie_conformance::Outcome`], which only serializes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum OutcomeName {
    /// Every expectation held.
    Pass,
    /// An expectation did not hold.
    Fail,
    /// Failed, as the expected-failures file says.
    Xfail,
    /// Passed although listed as an expected failure.
    Xpass,
    /// The target lacks a capability the case needs.
    Skip,
    /// The target errored or panicked.
    Error,
}

impl OutcomeName {
    /// Every outcome, in display order.
    pub const ALL: [OutcomeName; 6] = [
        OutcomeName::Pass,
        OutcomeName::Fail,
        OutcomeName::Xfail,
        OutcomeName::Xpass,
        OutcomeName::Skip,
        OutcomeName::Error,
    ];

    /// The name in reports.
    pub fn name(self) -> &'static str {
        match self {
            OutcomeName::Pass => "pass",
            OutcomeName::Fail => "fail",
            OutcomeName::Xfail => "xfail",
            OutcomeName::Xpass => "xpass",
            OutcomeName::Skip => "skip",
            OutcomeName::Error => "error",
        }
    }

    /// Whether this outcome makes a run unsuccessful.
    pub fn is_bad(self) -> bool {
        matches!(self, OutcomeName::Fail | OutcomeName::Xpass | OutcomeName::Error)
    }
}

impl From<outcome::Outcome> for OutcomeName {
    fn from(o: outcome::Outcome) -> Self {
        match o {
            outcome::Outcome::Pass => OutcomeName::Pass,
            outcome::Outcome::Fail => OutcomeName::Fail,
            outcome::Outcome::Xfail => OutcomeName::Xfail,
            outcome::Outcome::Xpass => OutcomeName::Xpass,
            outcome::Outcome::Skip => OutcomeName::Skip,
            outcome::Outcome::Error => OutcomeName::Error,
        }
    }
}

impl Summary {
    /// Counts one outcome.
    pub fn add(&mut self, o: OutcomeName) {
        *match o {
            OutcomeName::Pass => &mut self.passed,
            OutcomeName::Fail => &mut self.failed,
            OutcomeName::Xfail => &mut self.xfail,
            OutcomeName::Xpass => &mut self.xpass,
            OutcomeName::Skip => &mut self.skipped,
            OutcomeName::Error => &mut self.error,
        } += 1;
    }

    /// The total.
    pub fn total(&self) -> usize {
        self.passed + self.failed + self.xfail + self.xpass + self.skipped + self.error
    }

    /// Trials that ran (not skipped).
    pub fn ran(&self) -> usize {
        self.total() - self.skipped
    }
}

/// One trial on one target.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ResultRecord {
    /// [`Trial::id`].
    pub trial: String,
    /// [`TargetMeta::id`].
    pub target: String,
    /// What happened.
    pub outcome: OutcomeName,
    /// Skip reason (the missing capability), expected-failure reason, or error message.
    #[serde(default)]
    pub reason: Option<String>,
    /// The full failure report: step trace, diff, the reference jar's reasons.
    #[serde(default)]
    pub detail: Option<String>,
    /// The 1-based step of the first failed expectation.
    #[serde(default)]
    pub step: Option<usize>,
    /// What that step expected (a cookie-string, null, a list for `any_of`, or `stored` entries).
    #[serde(default)]
    pub expected: Option<serde_json::Value>,
    /// What the target answered there.
    #[serde(default)]
    pub actual: Option<serde_json::Value>,
    /// The only difference is the order of the cookie-pairs (§5.8.3 step 4 is a SHOULD).
    #[serde(default)]
    pub order_only: bool,
    /// Time spent in the target, in microseconds.
    pub duration_us: u64,
}

impl ResultRecord {
    /// The record of `r` on target `target`.
    pub fn new(trial: String, target: &str, r: &CaseResult) -> Self {
        ResultRecord {
            trial,
            target: target.to_owned(),
            outcome: r.outcome.into(),
            reason: r.reason.clone(),
            detail: r.detail.clone(),
            step: r.step,
            expected: r.expected.clone(),
            actual: r.actual.clone(),
            order_only: r.order_only,
            duration_us: r.duration_us,
        }
    }
}

/// The id of a (case, profile) trial.
pub fn trial_id(case: &str, profile: &str) -> String {
    format!("{case} [{profile}]")
}

impl Trial {
    /// The trial of `case` under `profile`, with the reference jar's account of it.
    pub fn of(case: &Case, profile: Profile) -> Self {
        let full = case.full_name();
        Trial {
            id: trial_id(&full, profile.name()),
            case: full,
            name: case.name.clone(),
            area: case.origin.area.clone(),
            profile: profile.name().to_owned(),
            file: case.origin.file.clone(),
            line: case.origin.line,
            spec: case.spec.clone(),
            tags: case.tags.clone(),
            security: case.security.iter().map(|c| c.name().to_owned()).collect(),
            config: serde_json::to_value(&case.config).unwrap_or(serde_json::Value::Null),
            now: case.now.map(|t| cookie_conformance::clock::format_timestamp(t.0)),
            steps: case.steps.iter().map(|s| serde_json::to_value(s).unwrap_or(serde_json::Value::Null)).collect(),
            reference: reference_notes(case, profile),
        }
    }
}

/// Above this many Set-Cookie lines in a case, the reference jar's account is left out:
/// `explain` compares jar snapshots around every line (quadratic in the jar's size), which
/// takes seconds on the limits cases that fill a jar with thousands of cookies.
pub const EXPLAIN_MAX_LINES: usize = 200;

fn reference_notes(case: &Case, profile: Profile) -> Vec<Vec<String>> {
    let lines: usize =
        case.steps.iter().map(|s| if let cookie_conformance::case::Step::Set(set) = s { set.cookies.len() } else { 0 }).sum();
    if lines > EXPLAIN_MAX_LINES {
        let mut notes = vec![Vec::new(); case.steps.len()];
        if let Some(first) = notes.first_mut() {
            first.push(format!("(the reference jar's account is not included: {lines} Set-Cookie lines; run the case with `cookie-conformance run --filter` to see it)"));
        }
        return notes;
    }
    cookie_conformance::explain::explain(case, profile)
}

/// What running one target produced.
#[derive(Clone, Debug)]
pub struct TargetRun {
    /// The `--target` name.
    pub id: String,
    /// The registry's description.
    pub description: String,
    /// The expected-failures file applied.
    pub xfail_file: Option<String>,
    /// The results, or why the target did not start.
    pub outcome: Result<CompletedRun, String>,
}

/// A target that ran.
#[derive(Clone, Debug)]
pub struct CompletedRun {
    /// [`cookie_conformance::Target::name`].
    pub name: String,
    /// [`cookie_conformance::Target::capabilities`].
    pub capabilities: cookie_conformance::Capabilities,
    /// One result per trial, in the order of the trials.
    pub results: Vec<CaseResult>,
    /// Wall-clock time.
    pub duration: Duration,
}

/// A target's name split into library, version and configuration:
/// `cookie_store 0.22.1 (as reqwest's Jar)` → (`cookie_store`, `0.22.1`, `as reqwest's Jar`).
/// The version is the first word after the first that starts with a digit (or `v`/`go` and a
/// digit); what follows it is the configuration. Adapters call themselves
/// `id (library version)`: then the parenthesized part is read.
pub fn split_name(name: &str) -> (String, Option<String>, Option<String>) {
    let name = name.trim();
    if let Some(inner) = parenthesized_tail(name) {
        let inside = split_name(inner);
        if inside.1.is_some() {
            return inside;
        }
    }
    let words: Vec<&str> = name.split_whitespace().collect();
    let is_version = |w: &str| {
        let digits = w.strip_prefix('v').or_else(|| w.strip_prefix("go")).unwrap_or(w);
        digits.starts_with(|c: char| c.is_ascii_digit())
    };
    match words.iter().skip(1).position(|w| is_version(w)) {
        Some(k) => {
            let k = k + 1;
            let v = words[k];
            let version = v.strip_prefix('v').unwrap_or(v).trim_end_matches([',', ';', ':']).to_owned();
            let rest = words[k + 1..].join(" ");
            let rest = rest.strip_prefix('(').and_then(|r| r.strip_suffix(')')).unwrap_or(&rest).trim().to_owned();
            (words[..k].join(" "), Some(version), (!rest.is_empty()).then_some(rest))
        }
        None => (words.join(" "), None, None),
    }
}

/// `x (inner)` → `inner`, where the final `)` closes the parenthesis after `x `.
fn parenthesized_tail(name: &str) -> Option<&str> {
    let body = name.strip_suffix(')')?;
    let mut depth = 0usize;
    for (i, c) in body.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' if depth == 0 => {
                return (i > 0 && body[..i].ends_with(' ')).then(|| &body[i + 1..]);
            }
            '(' => depth -= 1,
            _ => {}
        }
    }
    None
}

impl ResultsDoc {
    /// The document for `trials` run on `runs`; `generated_at` is an RFC 3339 time.
    pub fn build(trials: Vec<Trial>, runs: &[TargetRun], generated_at: String) -> Self {
        let mut targets = Vec::with_capacity(runs.len());
        let mut results = Vec::with_capacity(trials.len() * runs.len());
        for run in runs {
            match &run.outcome {
                Ok(done) => {
                    let (library, version, configuration) = split_name(&done.name);
                    let mut summary = Summary::default();
                    for (trial, r) in trials.iter().zip(&done.results) {
                        summary.add(r.outcome.into());
                        results.push(ResultRecord::new(trial.id.clone(), &run.id, r));
                    }
                    targets.push(TargetMeta {
                        id: run.id.clone(),
                        name: done.name.clone(),
                        library,
                        version,
                        configuration,
                        description: run.description.clone(),
                        available: true,
                        unavailable_reason: None,
                        capabilities: serde_json::to_value(&done.capabilities).ok(),
                        xfail_file: run.xfail_file.clone(),
                        summary,
                        duration_ms: done.duration.as_secs_f64() * 1000.0,
                    });
                }
                Err(why) => targets.push(TargetMeta {
                    id: run.id.clone(),
                    name: run.id.clone(),
                    library: run.id.clone(),
                    version: None,
                    configuration: None,
                    description: run.description.clone(),
                    available: false,
                    unavailable_reason: Some(why.clone()),
                    capabilities: None,
                    xfail_file: run.xfail_file.clone(),
                    summary: Summary::default(),
                    duration_ms: 0.0,
                }),
            }
        }
        ResultsDoc {
            format: FORMAT.to_owned(),
            schema_version: SCHEMA_VERSION,
            generated_at,
            tool: Tool { name: env!("CARGO_PKG_NAME").to_owned(), version: env!("CARGO_PKG_VERSION").to_owned() },
            trials,
            targets,
            results,
        }
    }

    /// Reads a document, refusing other formats and newer schema versions.
    pub fn from_json(bytes: &[u8]) -> Result<Self, ReadError> {
        let v: serde_json::Value = serde_json::from_slice(bytes)?;
        if v.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
            return Err(ReadError::Format);
        }
        match v.get("schema_version").and_then(|s| s.as_u64()) {
            Some(n) if n == u64::from(SCHEMA_VERSION) => {}
            other => return Err(ReadError::Version(other)),
        }
        Ok(serde_json::from_value(v)?)
    }

    /// Pretty JSON with a trailing newline.
    pub fn to_json(&self) -> Vec<u8> {
        let mut out = serde_json::to_vec_pretty(self).unwrap_or_default();
        out.push(b'\n');
        out
    }

    /// The areas, in order of first appearance.
    pub fn areas(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for t in &self.trials {
            if out.last() != Some(&t.area.as_str()) && !out.contains(&t.area.as_str()) {
                out.push(&t.area);
            }
        }
        out
    }

    /// Each target's index in [`ResultsDoc::targets`], by id (to place a record's column).
    pub fn target_positions(&self) -> HashMap<&str, usize> {
        self.targets.iter().enumerate().map(|(j, t)| (t.id.as_str(), j)).collect()
    }

    /// The records of target `id`, in trial order.
    pub fn results_of<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a ResultRecord> + 'a {
        self.results.iter().filter(move |r| r.target == id)
    }
}

/// A results document could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// Not JSON, or not the expected shape.
    #[error("not a results document: {0}")]
    Json(#[from] serde_json::Error),
    /// Some other JSON document (e.g. `run --json` output).
    #[error("not a `{FORMAT}` document (write one with `cookie-conformance report`)")]
    Format,
    /// A schema version this program does not read.
    #[error("unsupported schema_version {0:?} (this program reads {SCHEMA_VERSION})")]
    Version(Option<u64>),
}

/// The JSON Schema of `results.json`, pretty-printed with a trailing newline.
pub fn json_schema() -> String {
    let mut schema =
        schemars::generate::SchemaSettings::draft2020_12().into_generator().into_root_schema_for::<ResultsDoc>();
    schema.insert("title".into(), "Cookie conformance results".into());
    schema.insert(
        "description".into(),
        "Results of the cookie conformance suite on several targets (results.json). Generated by \
         `cookie-conformance report`; see reports/README.md."
            .into(),
    );
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use cookie_conformance::load::{Corpus, SourceFile};
    use cookie_conformance::outcome::Outcome;

    pub(crate) const CASES: &str = "- name: one\n  spec: [\"5.6.3\"]\n  tags: [domain]\n  steps:\n    - set: { url: \"https://a.example/\", cookies: [\"a=1; Domain=.a.example\"] }\n    - expect: { url: \"https://b.a.example/\", cookie: \"a=1\" }\n- name: two <&> \"q\"\n  spec: [\"5.8.3\"]\n  profiles: [rfc6265bis]\n  now: 2026-02-01T00:00:00Z\n  steps:\n    - set: { url: \"https://a.example/\", cookies: [\"a=1\", \"b=2\\x01\"] }\n    - expect: { url: \"https://a.example/\", cookie: \"a=1; b=2\\x01\" }\n";

    pub(crate) fn corpus() -> Corpus {
        Corpus::from_sources([SourceFile {
            display: "cases/d/x.yaml".into(),
            area: "d".into(),
            bytes: CASES.as_bytes().into(),
        }])
        .unwrap()
    }

    fn result(case: &str, outcome: Outcome) -> CaseResult {
        CaseResult {
            case: case.into(),
            file: "cases/d/x.yaml".into(),
            line: 1,
            profile: "rfc6265bis".into(),
            outcome,
            reason: (outcome != Outcome::Pass).then(|| "why </testcase> & \u{1} ]]>".to_owned()),
            detail: (outcome == Outcome::Fail).then(|| "FAIL\n  step 2".to_owned()),
            step: (outcome == Outcome::Fail).then_some(2),
            expected: (outcome == Outcome::Fail).then(|| serde_json::json!("a=1; b=2")),
            actual: (outcome == Outcome::Fail).then(|| serde_json::json!("b=2; a=1")),
            order_only: outcome == Outcome::Fail,
            duration_us: 5,
        }
    }

    /// A document with every outcome, an unavailable target and awkward characters.
    pub(crate) fn sample() -> ResultsDoc {
        let corpus = corpus();
        let trials: Vec<Trial> =
            cookie_conformance::select::Selection::default().pairs(&corpus).into_iter().map(|(c, p)| Trial::of(c, p)).collect();
        assert_eq!(trials.len(), 3);
        let outcomes =
            |o: [Outcome; 3]| -> Vec<CaseResult> { trials.iter().zip(o).map(|(t, o)| result(&t.case, o)).collect() };
        let run = |id: &str, o: [Outcome; 3]| TargetRun {
            id: id.into(),
            description: format!("{id} jar"),
            xfail_file: None,
            outcome: Ok(CompletedRun {
                name: format!("{id} 1.2.3"),
                capabilities: cookie_conformance::Capabilities::default(),
                results: outcomes(o),
                duration: Duration::from_millis(2),
            }),
        };
        let runs = vec![
            run("a", [Outcome::Pass, Outcome::Fail, Outcome::Skip]),
            run("b", [Outcome::Xfail, Outcome::Xpass, Outcome::Error]),
            TargetRun {
                id: "down".into(),
                description: "gone".into(),
                xfail_file: None,
                outcome: Err("no such adapter".into()),
            },
        ];
        ResultsDoc::build(trials, &runs, "2026-11-23T00:00:00Z".into())
    }

    #[test]
    fn round_trips_through_json() {
        let doc = sample();
        let json = doc.to_json();
        let back = ResultsDoc::from_json(&json).unwrap();
        assert_eq!(back, doc);
        assert_eq!(back.results.len(), 6);
        assert_eq!(back.targets[0].library, "a");
        assert_eq!(back.targets[0].version.as_deref(), Some("1.2.3"));
        assert_eq!(back.targets[0].summary.failed, 1);
        assert!(!back.targets[2].available);
        assert_eq!(back.trials[0].id, "d::one [rfc6265bis]");
        assert_eq!(back.trials[0].reference.len(), 2, "one list of notes per step");
        assert!(back.trials[0].reference[1][0].starts_with("sends "), "{:?}", back.trials[0].reference);
        assert_eq!(back.areas(), ["d"]);
    }

    #[test]
    fn refuses_other_documents() {
        assert!(matches!(ResultsDoc::from_json(b"{\"schema_version\":1,\"results\":[]}"), Err(ReadError::Format)));
        let mut v: serde_json::Value = serde_json::from_slice(&sample().to_json()).unwrap();
        v["schema_version"] = 99.into();
        assert!(matches!(ResultsDoc::from_json(v.to_string().as_bytes()), Err(ReadError::Version(Some(99)))));
    }

    /// The document validates against its own schema's required keys (a light check: every
    /// property the schema requires at the top level and in a result is present).
    #[test]
    fn schema_names_the_document_fields() {
        let schema: serde_json::Value = serde_json::from_str(&json_schema()).unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&sample().to_json()).unwrap();
        let required = schema["required"].as_array().unwrap();
        for key in required {
            assert!(doc.get(key.as_str().unwrap()).is_some(), "missing {key}");
        }
        let record = &schema["$defs"]["ResultRecord"];
        for key in record["required"].as_array().unwrap() {
            for r in doc["results"].as_array().unwrap() {
                assert!(r.get(key.as_str().unwrap()).is_some(), "result missing {key}");
            }
        }
        let outcomes = &schema["$defs"]["OutcomeName"];
        assert!(outcomes.to_string().contains("xpass"), "{outcomes}");
    }

    #[test]
    fn splits_library_and_version() {
        let s = |a: &str, b: Option<&str>, c: Option<&str>| (a.to_owned(), b.map(str::to_owned), c.map(str::to_owned));
        assert_eq!(split_name("cookie_store 0.22.1"), s("cookie_store", Some("0.22.1"), None));
        assert_eq!(split_name("tough-cookie v5.0.0"), s("tough-cookie", Some("5.0.0"), None));
        assert_eq!(split_name("http.cookiejar (CPython)"), s("http.cookiejar (CPython)", None, None));
        assert_eq!(
            split_name("cookie_store 0.22.1 (as reqwest's Jar, with a public suffix list)"),
            s("cookie_store", Some("0.22.1"), Some("as reqwest's Jar, with a public suffix list"))
        );
        assert_eq!(split_name("3proxy"), s("3proxy", None, None));
        assert_eq!(
            split_name("python-http-cookiejar (http.cookiejar (CPython standard library) 3.11.7)"),
            s("http.cookiejar (CPython standard library)", Some("3.11.7"), None)
        );
        assert_eq!(
            split_name("go-cookiejar (net/http/cookiejar (Go standard library) go1.19.8)"),
            s("net/http/cookiejar (Go standard library)", Some("go1.19.8"), None)
        );
        assert_eq!(split_name("odd (unbalanced"), s("odd (unbalanced", None, None));
    }
}
