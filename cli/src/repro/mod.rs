//! Native reproducers: a failing trial of a report as a standalone program in the target's
//! language that calls the library alone (no adapter, no runner), for a bug tracker.
//!
//! Each target contributes a template (an adapter through `repro:` in `adapters/targets.yaml`,
//! the built-in targets from `cli/repro/`). A template is an ordinary program of its language
//! that defines four calls, spelt in the language's style (`set_cookies`/`setCookies`,
//! `advance`, `expect_cookie`, `expect_stored`) on top of the library, prints what each
//! `expect` observed, and exits 1 while the jar diverges from the spec. Three markers are
//! replaced:
//!
//! - `@@header@@`: the case, the spec sections, the library and version the divergence was
//!   observed on, the observed and the expected Cookie header, the reference jar's account of
//!   each step, as comments of the language;
//! - `@@start@@`: the virtual clock's start, Unix seconds (templates of jars with a clock);
//! - `@@profile@@` and `@@config@@`: the trial's profile name and the case's jar options as a
//!   JSON object, for templates whose jar the suite configures per case (as its adapter does);
//! - `@@steps@@`: the calls ([`plan`]), indented as the marker is.
//!
//! `cookie-conformance repro --target T CASE` prints one; `report` writes one per failing cell
//! into `reports/repro/<target>/` and links it from the page ([`write_dir`]).

pub mod lang;
pub mod page;
pub mod plan;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use cookie_conformance::security::AttackClass;

use crate::reports::results::{OutcomeName, ResultRecord, ResultsDoc, TargetMeta, Trial};
use crate::targets_file::TargetsFile;
pub use lang::Lang;
pub use plan::{Call, Plan};

/// Why a reproducer could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReproError {
    /// The results document has no such target.
    #[error("no target `{0}` in the results (it has: {1})")]
    UnknownTarget(String, String),
    /// No trial of the results matches the name.
    #[error("no case matches `{0}` (give `area::name`, a trial id `area::name [profile]`, or a case name)")]
    UnknownCase(String),
    /// The name matches several cases.
    #[error("`{0}` matches several cases: {1}")]
    Ambiguous(String, String),
    /// The trial did not run on the target, or recorded no failing step.
    #[error("{0}")]
    NothingToReproduce(String),
    /// The trial's data in the results document does not read back.
    #[error("the trial's data in the results: {0}")]
    Trial(String),
    /// The case needs something the language's calls cannot express.
    #[error("not expressible: {0}")]
    Inexpressible(String),
    /// No template for the target.
    #[error("no reproducer template for `{0}` (adapters name theirs with `repro:` in adapters/targets.yaml)")]
    NoTemplate(String),
    /// A template that cannot be used.
    #[error("reproducer template {path}: {message}")]
    Template {
        /// The template file.
        path: String,
        /// What is wrong.
        message: String,
    },
}

/// A reproducer template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template {
    /// Its language (from the file extension).
    pub lang: Lang,
    /// The program with its markers.
    pub text: String,
    /// Where it comes from, for messages.
    pub origin: String,
}

/// The templates of the built-in targets: the in-process cookie_store target shares the
/// rust-cookie-store adapter's program; curl, wget, Chromium and Firefox are driven live.
const BUILTIN: &[(&str, &str, &str)] = &[
    ("cookie_store", "cli/repro/cookie_store.rs", include_str!("../../repro/cookie_store.rs")),
    ("curl", "cli/repro/curl.sh", include_str!("../../repro/curl.sh")),
    ("wget", "cli/repro/wget.sh", include_str!("../../repro/wget.sh")),
    // One page for both browsers: the steps are the same clicks, the set-up names each.
    ("chromium", "cli/repro/browser.html", include_str!("../../repro/browser.html")),
    ("firefox", "cli/repro/browser.html", include_str!("../../repro/browser.html")),
    ("webkit", "cli/repro/browser.html", include_str!("../../repro/browser.html")),
];

impl Template {
    /// Checks `text` as a template of `origin`'s language.
    pub fn new(origin: &str, text: String) -> Result<Template, ReproError> {
        let bad = |message: String| ReproError::Template { path: origin.to_owned(), message };
        let lang = Lang::of_path(Path::new(origin))
            .ok_or_else(|| bad("unknown language (extensions: py, js, go, java, rs, sh, rb, php, html)".to_owned()))?;
        if !text.contains("@@steps@@") {
            return Err(bad("no `@@steps@@` marker".to_owned()));
        }
        let mut rest = text.as_str();
        while let Some(at) = rest.find("@@") {
            let after = &rest[at + 2..];
            let Some(end) = after.find("@@") else { break };
            let marker = &after[..end];
            if marker.chars().all(|c| c.is_ascii_lowercase()) && !marker.is_empty() {
                if !matches!(marker, "header" | "start" | "steps" | "profile" | "config") {
                    return Err(bad(format!("unknown marker `@@{marker}@@` (known: header, start, steps, profile, config)")));
                }
                rest = &after[end + 2..];
            } else {
                rest = after;
            }
        }
        Ok(Template { lang, text, origin: origin.to_owned() })
    }

    /// Reads a template file.
    pub fn load(path: &Path) -> Result<Template, ReproError> {
        let shown = path.display().to_string();
        let bytes = cookie_conformance::load::read_regular_file(path, 1 << 20)
            .map_err(|e| ReproError::Template { path: shown.clone(), message: e.to_string() })?;
        let text = String::from_utf8(bytes)
            .map_err(|_| ReproError::Template { path: shown.clone(), message: "not UTF-8".to_owned() })?;
        Template::new(&shown, text)
    }
}

/// The templates by target id.
#[derive(Clone, Debug, Default)]
pub struct Templates {
    by_target: HashMap<String, Template>,
}

impl Templates {
    /// The built-in targets' templates, and those the adapters of `targets` name.
    pub fn discover(targets: Option<&TargetsFile>) -> Result<Templates, ReproError> {
        let mut by_target = HashMap::new();
        for (id, origin, text) in BUILTIN {
            by_target.insert((*id).to_owned(), Template::new(origin, (*text).to_owned())?);
        }
        for a in targets.map(|t| t.adapters.as_slice()).unwrap_or_default() {
            if let (Some(file), Some(t)) = (&a.repro, targets) {
                by_target.insert(a.name.clone(), Template::load(&t.dir.join(file))?);
            }
        }
        Ok(Templates { by_target })
    }

    /// The template of target `id`.
    pub fn get(&self, id: &str) -> Option<&Template> {
        self.by_target.get(id)
    }
}

/// A trial on a target, as recorded in a results document.
#[derive(Clone, Copy, Debug)]
pub struct Subject<'a> {
    /// The target.
    pub target: &'a TargetMeta,
    /// The trial (the case's steps).
    pub trial: &'a Trial,
    /// What the target did.
    pub result: &'a ResultRecord,
    /// When the results were recorded.
    pub recorded_at: &'a str,
}

impl<'a> Subject<'a> {
    /// The trial of `doc` that `case` names (a trial id, `area::name` or a case name) on
    /// `target`; of several profiles, the first that failed.
    pub fn find(doc: &'a ResultsDoc, target: &str, case: &str) -> Result<Subject<'a>, ReproError> {
        let meta = doc.targets.iter().find(|t| t.id == target).ok_or_else(|| {
            ReproError::UnknownTarget(target.to_owned(), doc.targets.iter().map(|t| t.id.as_str()).collect::<Vec<_>>().join(", "))
        })?;
        let mut matching: Vec<&Trial> = doc.trials.iter().filter(|t| t.id == case).collect();
        if matching.is_empty() {
            matching = doc.trials.iter().filter(|t| t.case == case).collect();
        }
        if matching.is_empty() {
            matching = doc.trials.iter().filter(|t| t.name == case).collect();
        }
        let mut cases: Vec<&str> = matching.iter().map(|t| t.case.as_str()).collect();
        cases.dedup();
        match cases.len() {
            0 => return Err(ReproError::UnknownCase(case.to_owned())),
            1 => {}
            _ => return Err(ReproError::Ambiguous(case.to_owned(), cases.join(", "))),
        }
        let results: HashMap<&str, &ResultRecord> =
            doc.results.iter().filter(|r| r.target == target).map(|r| (r.trial.as_str(), r)).collect();
        let pick = matching
            .iter()
            .filter_map(|t| results.get(t.id.as_str()).map(|r| (*t, *r)))
            .min_by_key(|(_, r)| !matches!(r.outcome, OutcomeName::Fail | OutcomeName::Xfail));
        let Some((trial, result)) = pick else {
            return Err(ReproError::NothingToReproduce(format!("`{target}` has no result for `{}`", cases[0])));
        };
        Ok(Subject { target: meta, trial, result, recorded_at: &doc.generated_at })
    }

    /// The reproducer, from `template`.
    pub fn render(&self, template: &Template) -> Result<String, ReproError> {
        let (trial, result) = (self.trial, self.result);
        let step = match (result.outcome, result.step) {
            (OutcomeName::Skip, _) => {
                return Err(ReproError::NothingToReproduce(format!(
                    "`{}` skipped `{}`: {}",
                    self.target.id,
                    trial.id,
                    result.reason.as_deref().unwrap_or("no reason recorded")
                )))
            }
            (_, Some(step)) => step,
            // A pass (or an error) recorded no failing step: reproduce the whole case.
            (_, None) => trial.steps.len(),
        };
        let plan = Plan::of(trial, step)?;
        if template.lang == Lang::Html {
            return page::render(self, template, &plan);
        }
        let mut steps = Vec::with_capacity(plan.calls.len());
        for call in &plan.calls {
            steps.push(template.lang.call(call)?);
        }
        Ok(fill(template, &template.lang.comment(&self.header(template.lang)), self.trial, plan.start, &steps))
    }

    /// The header, in plain text.
    pub fn header(&self, lang: Lang) -> String {
        let (t, trial, r) = (self.target, self.trial, self.result);
        let mut h = format!("Reproducer: {} on {}\n\n", trial.id, t.id);
        let version = t.version.as_deref().map(|v| format!(" {v}")).unwrap_or_default();
        h += &format!("Library:  {}{version}\n", t.library);
        h += &format!("Target:   {}\n", t.description);
        h += &format!("Case:     {}:{} (cookie-conformance corpus)\n", trial.file, trial.line);
        for (k, s) in trial.spec.iter().enumerate() {
            h += if k == 0 { "Spec:     " } else { "          " };
            h += &spec_reference(s);
            h += "\n";
        }
        for (k, class) in trial.security.iter().enumerate() {
            let summary = AttackClass::ALL.iter().find(|a| a.name() == class).map(|a| a.summary()).unwrap_or_default();
            h += if k == 0 { "Security: " } else { "          " };
            h += &format!("{class}: {summary}\n");
        }
        h += &format!("\nRecorded on {}{version} ({}): {}", t.library, self.recorded_at, r.outcome.name());
        if let Some(step) = r.step {
            h += &format!(", at step {step}\n");
            h += &format!("  observed: {}\n", show_value(r.actual.as_ref()));
            h += &format!("  expected: {}\n", show_value(r.expected.as_ref()));
        } else {
            h += "\n";
        }
        if r.outcome == OutcomeName::Xfail {
            if let Some(reason) = &r.reason {
                h += &format!("Known divergence (expected-failures file): {reason}\n");
            }
        }
        if r.order_only {
            h += "Only the order of the cookie-pairs differs (§5.8.3 step 4 is a SHOULD).\n";
        }
        let last = r.step.unwrap_or(trial.steps.len());
        if trial.reference.iter().take(last).any(|notes| !notes.is_empty()) {
            h += "\nWhat the spec says happens, step by step (the reference jar's account):\n";
            for (k, notes) in trial.reference.iter().take(last).enumerate() {
                for (n, note) in notes.iter().enumerate() {
                    h += &if n == 0 { format!("  {}. {note}\n", k + 1) } else { format!("     {note}\n") };
                }
            }
        }
        h += if lang == Lang::Html {
            "\nFollow the steps below in a fresh browser profile, with the server below running.\n"
        } else {
            "\nIt prints each request's Cookie header next to what the spec expects, and exits 1 while\n\
             the jar diverges from the spec, 0 once it follows it.\n"
        };
        h += &format!("Generated by: cookie-conformance repro --target {} {}\n", t.id, shell_word(&trial.id));
        h
    }
}

/// The template with its markers replaced.
fn fill(template: &Template, header: &str, trial: &Trial, start: i64, steps: &[String]) -> String {
    let config = serde_json::to_string(&trial.config).unwrap_or_else(|_| "{}".to_owned());
    let config = if config == "null" { "{}".to_owned() } else { config };
    let mut out = String::with_capacity(template.text.len() + 512 * steps.len());
    for line in template.text.split_inclusive('\n') {
        if let Some(at) = line.find("@@steps@@") {
            let indent = &line[..at];
            for s in steps {
                out.push_str(indent);
                out.push_str(s);
                out.push('\n');
            }
            continue;
        }
        out.push_str(
            &line
                .replace("@@header@@", header)
                .replace("@@start@@", &start.to_string())
                .replace("@@profile@@", &trial.profile)
                .replace("@@config@@", &config),
        );
    }
    out
}

/// `5.6 step 1` as `RFC 6265bis-22 §5.6 step 1 <url>`; other drafts' sections as given.
fn spec_reference(section: &str) -> String {
    let number: String = section.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
    let number = number.trim_end_matches('.');
    if number.is_empty() {
        return section.to_owned();
    }
    format!(
        "RFC 6265bis-22 §{section}  https://datatracker.ietf.org/doc/html/draft-ietf-httpbis-rfc6265bis-22#section-{number}"
    )
}

/// A recorded `expected`/`actual` for people: a Cookie header, no header, or stored cookies.
fn show_value(v: Option<&serde_json::Value>) -> String {
    use serde_json::Value;
    use cookie_conformance::compare::show_header;
    match v {
        None | Some(Value::Null) => show_header(None),
        Some(Value::String(s)) => format!("Cookie: {}", show_header(Some(s.as_bytes()))),
        Some(other) => match serde_json::from_value::<cookie_conformance::bytes::Bytes>(other.clone()) {
            Ok(b) if other.get("base64").is_some() => format!("Cookie: {}", show_header(Some(&b.0))),
            _ => serde_json::to_string(other).unwrap_or_default(),
        },
    }
}

/// `s` as one word of a POSIX shell command line.
fn shell_word(s: &str) -> String {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_./:".contains(c)) {
        return s.to_owned();
    }
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// A file name for a trial: its `area::name`, lowercased, runs of other characters as `-`,
/// cut at 80 characters; the profile when not rfc6265bis.
pub fn file_stem(trial: &Trial) -> String {
    let mut out = String::new();
    for c in trial.case.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let mut stem: String = out.trim_matches('-').chars().take(80).collect();
    stem = stem.trim_end_matches('-').to_owned();
    if trial.profile != "rfc6265bis" {
        stem = format!("{stem}--{}", trial.profile);
    }
    stem
}

/// The reproducers of a report: a path (relative to the report folder) or why there is none,
/// per (trial id, target id) that failed.
pub type Written = BTreeMap<(String, String), Result<String, String>>;

/// Writes a reproducer for every failing cell (fail, xfail) of `doc` into `dir/repro/<target>/`,
/// replacing that folder whole (a rename, so a reader never sees half of it).
pub fn write_dir(doc: &ResultsDoc, templates: &Templates, dir: &Path) -> std::io::Result<Written> {
    let mut written = Written::new();
    let final_dir = dir.join("repro");
    let staging = dir.join(format!(".repro.tmp-{}", std::process::id()));
    if staging.exists() {
        std::fs::remove_dir_all(&staging)?;
    }
    std::fs::create_dir_all(&staging)?;
    let result = stage(doc, templates, &staging, &mut written);
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    // Swap the folders: the old one out of the way, the new one in, the old one removed.
    let old = dir.join(".repro.old");
    if old.exists() {
        std::fs::remove_dir_all(&old)?;
    }
    if final_dir.exists() {
        std::fs::rename(&final_dir, &old)?;
    }
    std::fs::rename(&staging, &final_dir)?;
    if old.exists() {
        std::fs::remove_dir_all(&old)?;
    }
    Ok(written)
}

fn stage(doc: &ResultsDoc, templates: &Templates, staging: &Path, written: &mut Written) -> std::io::Result<()> {
    let trials: HashMap<&str, &Trial> = doc.trials.iter().map(|t| (t.id.as_str(), t)).collect();
    let mut used: HashMap<PathBuf, usize> = HashMap::new();
    for r in &doc.results {
        if !matches!(r.outcome, OutcomeName::Fail | OutcomeName::Xfail) {
            continue;
        }
        let (Some(trial), Some(target)) = (trials.get(r.trial.as_str()), doc.targets.iter().find(|t| t.id == r.target)) else {
            continue;
        };
        let key = (r.trial.clone(), r.target.clone());
        let Some(template) = templates.get(&r.target) else {
            written.insert(key, Err(ReproError::NoTemplate(r.target.clone()).to_string()));
            continue;
        };
        let subject = Subject { target, trial, result: r, recorded_at: &doc.generated_at };
        match subject.render(template) {
            Ok(text) => {
                let mut rel = PathBuf::from(&r.target).join(format!("{}.{}", file_stem(trial), template.lang.extension()));
                let n = used.entry(rel.clone()).or_insert(0);
                *n += 1;
                if *n > 1 {
                    rel = PathBuf::from(&r.target).join(format!("{}-{n}.{}", file_stem(trial), template.lang.extension()));
                }
                let path = staging.join(&rel);
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                std::fs::write(&path, text)?;
                let shown = Path::new("repro").join(&rel).to_string_lossy().replace('\\', "/");
                written.insert(key, Ok(shown));
            }
            Err(e) => {
                written.insert(key, Err(e.to_string()));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;

/// `cookie-conformance repro`.
#[derive(Clone, Debug, clap::Args)]
pub struct ReproArgs {
    /// The target whose divergence to reproduce (an id of the results: `go-cookiejar`, `curl`).
    #[arg(long)]
    pub target: String,
    /// The case: `area::name`, a trial id `area::name [profile]`, or the case's name.
    pub case: String,
    /// The results to take the recorded behaviour from (default: reports/results.json here, else
    /// the one committed with this tool's sources).
    #[arg(long, value_name = "FILE")]
    pub results: Option<PathBuf>,
    /// Write the program to this file (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// Runs `cookie-conformance repro`.
pub fn main(args: ReproArgs) -> anyhow::Result<bool> {
    use anyhow::Context as _;
    let path = match &args.results {
        Some(p) => p.clone(),
        None => {
            let here = PathBuf::from("reports/results.json");
            if here.is_file() {
                here
            } else {
                PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../reports/results.json")
            }
        }
    };
    let bytes = cookie_conformance::load::read_regular_file(&path, 1 << 30)
        .map_err(|e| anyhow::anyhow!("{e}"))
        .with_context(|| format!("reading {}", path.display()))?;
    let doc = ResultsDoc::from_json(&bytes).with_context(|| format!("reading {}", path.display()))?;
    let targets_path = TargetsFile::default_path();
    let targets = TargetsFile::load(&targets_path).ok();
    let templates = Templates::discover(targets.as_ref())?;
    let subject = Subject::find(&doc, &args.target, &args.case)?;
    let template = templates.get(&args.target).ok_or_else(|| ReproError::NoTemplate(args.target.clone()))?;
    let text = subject.render(template)?;
    match &args.out {
        Some(out) => cookie_conformance::atomic::write(out, text.as_bytes()).with_context(|| format!("writing {}", out.display()))?,
        None => print!("{text}"),
    }
    Ok(true)
}
