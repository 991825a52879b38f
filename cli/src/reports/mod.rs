//! Reports over several targets: `cookie-conformance report` runs the corpus on each target and
//! writes, atomically, into `reports/` (or `--out DIR`):
//!
//! * `index.html` ([`html`]): one self-contained page, the matrix of trials × targets;
//! * `results.json` ([`results`]): the versioned results document, with `results.schema.json`;
//! * `junit-<target>.xml` ([`junit`]): one JUnit XML file per target, for CI;
//! * `SUMMARY.md` ([`summary`]): the pass-rate table a README embeds, with the seeds' table of
//!   third-party answers from the browsers ([`seeds`]);
//! * `CHANGES.md` ([`changes`]), with `--baseline OLD.json`: what changed since that run.
//!
//! Targets are resolved by name through the same function as `run --target`, so whatever that
//! knows (in-process targets, adapters) a report can include; a target that fails to start is
//! listed as unavailable with the reason instead of stopping the report.

pub mod attacks;
pub mod changes;
pub mod coverage;
pub mod html;
pub mod junit;
pub mod results;
pub mod seeds;
pub mod summary;

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context as _;
use reference_jar::Profile;

use cookie_conformance::case::Case;
use cookie_conformance::load::Corpus;
use cookie_conformance::outcome::CaseResult;
use cookie_conformance::select::Selection;
use cookie_conformance::target::Target;
use cookie_conformance::xfail::Xfail;

pub use results::{CompletedRun, ResultsDoc, TargetRun, Trial};

/// Builds a target by its `--target` name (errors: unknown, or it could not start).
pub type Resolve<'a> = &'a dyn Fn(&str) -> anyhow::Result<Box<dyn Target>>;

/// `cookie-conformance report`.
#[derive(Clone, Debug, clap::Args)]
pub struct ReportArgs {
    /// Targets to run, comma-separated (default: every registered target).
    #[arg(long, value_name = "A,B,C", value_delimiter = ',')]
    pub targets: Vec<String>,
    /// Output directory.
    #[arg(long, value_name = "DIR", default_value = "reports")]
    pub out: PathBuf,
    /// A previous results.json: print what changed and write CHANGES.md.
    #[arg(long, value_name = "OLD.json")]
    pub baseline: Option<PathBuf>,
    /// Expected-failure files: `DIR/<target>.yaml` is applied to that target when it exists
    /// (default: the `xfail/` folder of this tool's sources, cli/xfail).
    #[arg(long, value_name = "DIR")]
    pub xfail_dir: Option<PathBuf>,
    /// Load cases from this directory instead of the corpus embedded in the binary.
    #[arg(long, value_name = "DIR")]
    pub cases: Option<PathBuf>,
    /// Only cases whose `area::name` contains this.
    #[arg(long, value_name = "SUBSTR")]
    pub filter: Option<String>,
    /// Only cases with this tag (repeatable: any of them).
    #[arg(long = "tag", value_name = "T")]
    pub tags: Vec<String>,
    /// Only this profile (repeatable): rfc6265, rfc6265bis, layered-cookies.
    #[arg(long = "profile", value_name = "P", value_parser = parse_profile)]
    pub profiles: Vec<Profile>,
}

fn parse_profile(s: &str) -> Result<Profile, String> {
    Profile::from_name(s).ok_or_else(|| format!("unknown profile `{s}`"))
}

/// Runs every selected trial on the target `id` (built by `resolve`), or records why it did not
/// start.
pub fn run_target(
    id: &str,
    description: &str,
    pairs: &[(&Case, Profile)],
    resolve: Resolve<'_>,
    xfail: Option<(&Xfail, String)>,
) -> TargetRun {
    let (xfail, xfail_file) = match xfail {
        Some((x, file)) => (Some(x), Some(file)),
        None => (None, None),
    };
    let outcome = match resolve(id) {
        Err(e) => Err(format!("{e:#}")),
        Ok(mut target) => {
            let name = target.name();
            let capabilities = target.capabilities();
            let started = Instant::now();
            let results: Vec<CaseResult> = pairs
                .iter()
                .take_while(|_| !crate::interrupt::requested())
                .map(|&(case, profile)| {
                    let entry = xfail.and_then(|x| x.entry(&case.name, profile));
                    cookie_conformance::run::run_case_with(&mut *target, &capabilities, case, profile, entry, false)
                })
                .collect();
            Ok(CompletedRun { name, capabilities, results, duration: started.elapsed() })
        }
    };
    TargetRun { id: id.to_owned(), description: description.to_owned(), xfail_file, outcome }
}

/// The trials of a selection.
pub fn trials(pairs: &[(&Case, Profile)]) -> Vec<Trial> {
    pairs.iter().map(|&(c, p)| Trial::of(c, p)).collect()
}

/// The current time, RFC 3339 UTC, whole seconds.
pub fn now_rfc3339() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    cookie_conformance::clock::format_timestamp(i64::try_from(secs).unwrap_or(0))
}

/// Writes index.html, results.json (+ schema), junit-*.xml, SUMMARY.md and a reproducer per
/// failing cell (`repro/`, from `templates`) into `dir`; returns the paths written.
pub fn write_all(doc: &ResultsDoc, dir: &Path, templates: &crate::repro::Templates) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let repro = crate::repro::write_dir(doc, templates, dir)?;
    let mut written = Vec::new();
    let mut put = |name: &str, bytes: &[u8]| -> std::io::Result<()> {
        let path = dir.join(name);
        cookie_conformance::atomic::write(&path, bytes)?;
        written.push(path);
        Ok(())
    };
    put("results.json", &doc.to_json())?;
    put("results.schema.json", results::json_schema().as_bytes())?;
    put("index.html", html::render(doc, &repro).as_bytes())?;
    put("SUMMARY.md", summary::render(doc).as_bytes())?;
    for t in &doc.targets {
        put(&junit::file_name(&t.id), junit::render(doc, t).as_bytes())?;
    }
    written.push(dir.join("repro"));
    Ok(written)
}

/// Runs `cookie-conformance report`. `default_targets` is the list when `--targets` is not
/// given; `describe` gives a target's one-line description.
pub fn main(
    args: ReportArgs,
    default_targets: &[String],
    describe: &dyn Fn(&str) -> String,
    resolve: Resolve<'_>,
) -> anyhow::Result<bool> {
    let ids: Vec<String> = if args.targets.is_empty() { default_targets.to_vec() } else { args.targets.clone() };
    let unknown: Vec<&String> =
        ids.iter().filter(|id| !default_targets.contains(id) && !id.starts_with(crate::targets::http::URL_PREFIX)).collect();
    if !unknown.is_empty() {
        let unknown = unknown.iter().map(|id| format!("`{id}`")).collect::<Vec<_>>().join(", ");
        anyhow::bail!("unknown target {unknown} (known: {}, adapter:URL)", default_targets.join(", "));
    }
    // Relative to the tool's sources, not to wherever it is run from: a report made from
    // another folder must not silently lose every expected failure.
    let xfail_dir = match &args.xfail_dir {
        Some(dir) if dir.is_dir() => dir.clone(),
        Some(dir) => anyhow::bail!("--xfail-dir {}: no such folder", dir.display()),
        None => default_xfail_dir(),
    };
    if !xfail_dir.is_dir() {
        anyhow::bail!("no expected-failures folder at {} (pass --xfail-dir DIR)", xfail_dir.display());
    }
    std::fs::create_dir_all(&args.out).with_context(|| format!("--out {}", args.out.display()))?;
    cookie_conformance::atomic::check_writable(&args.out.join("results.json")).with_context(|| format!("--out {}", args.out.display()))?;
    crate::interrupt::install("stopping after the trial under way; no report is written");
    let corpus = match &args.cases {
        Some(dir) => Corpus::from_dir(dir).with_context(|| format!("loading cases from {}", dir.display()))?,
        None => Corpus::embedded().context("loading the embedded case corpus")?,
    };
    let selection = Selection { filter: args.filter.clone(), tags: args.tags.clone(), profiles: args.profiles.clone() };
    let pairs = selection.pairs(&corpus);
    let baseline = match &args.baseline {
        Some(path) => {
            let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
            Some(ResultsDoc::from_json(&bytes).with_context(|| format!("reading {}", path.display()))?)
        }
        None => None,
    };
    let mut runs = Vec::with_capacity(ids.len());
    for id in &ids {
        let xfail_path = xfail_dir.join(format!("{id}.yaml"));
        let xfail = if xfail_path.is_file() {
            let x = Xfail::load(&xfail_path)?;
            x.check(&corpus)?;
            Some(x)
        } else {
            None
        };
        eprint!("{id}: ");
        let run = run_target(
            id,
            &describe(id),
            &pairs,
            resolve,
            xfail.as_ref().map(|x| (x, shown_path(&xfail_path))),
        );
        match &run.outcome {
            Ok(done) => {
                eprintln!("{} in {:.0} ms", cookie_conformance::Summary::of(&done.results), done.duration.as_secs_f64() * 1000.0)
            }
            Err(why) => eprintln!("unavailable: {why}"),
        }
        runs.push(run);
        if crate::interrupt::requested() {
            anyhow::bail!("interrupted during `{id}`; no report written");
        }
    }
    // Exit status: unexpected results anywhere, or a target named on the command line that
    // could not run, fail the command (the files are written all the same).
    let clean = runs.iter().all(|run| match &run.outcome {
        Ok(done) => cookie_conformance::Summary::of(&done.results).is_success(),
        Err(_) => args.targets.is_empty(),
    });
    let doc = ResultsDoc::build(trials(&pairs), &runs, now_rfc3339());
    let targets_file = crate::targets_file::TargetsFile::load(&crate::targets_file::TargetsFile::default_path()).ok();
    let templates = crate::repro::Templates::discover(targets_file.as_ref())?;
    let written = write_all(&doc, &args.out, &templates).with_context(|| format!("writing into {}", args.out.display()))?;
    print!("{}", summary::render(&doc));
    if let Some(old) = &baseline {
        let changes = changes::Changes::between(old, &doc);
        let md = changes.render(old, &doc);
        let path = args.out.join("CHANGES.md");
        cookie_conformance::atomic::write(&path, md.as_bytes()).with_context(|| format!("writing {}", path.display()))?;
        println!("\n{md}");
        println!("changes written to {}", path.display());
    }
    for p in written {
        println!("wrote {}", p.display());
    }
    Ok(clean)
}

/// A path as committed reports show it: relative to the repository when it is inside (no
/// machine's absolute paths in `reports/`).
fn shown_path(path: &Path) -> String {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap_or(Path::new("/"));
    path.strip_prefix(repo).unwrap_or(path).display().to_string()
}

/// `cli/xfail` of the sources this binary was built from.
pub fn default_xfail_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("xfail")
}

/// For `run --html FILE` / `--junit FILE`: writes the page and/or JUnit file of a single
/// target's run.
#[allow(clippy::too_many_arguments)]
pub fn write_single(
    pairs: &[(&Case, Profile)],
    id: &str,
    description: &str,
    name: String,
    capabilities: cookie_conformance::Capabilities,
    results: &[CaseResult],
    duration: std::time::Duration,
    html_path: Option<&Path>,
    junit_path: Option<&Path>,
) -> std::io::Result<()> {
    let run = TargetRun {
        id: id.to_owned(),
        description: description.to_owned(),
        xfail_file: None,
        outcome: Ok(CompletedRun { name, capabilities, results: results.to_vec(), duration }),
    };
    let doc = ResultsDoc::build(trials(pairs), std::slice::from_ref(&run), now_rfc3339());
    if let Some(p) = html_path {
        // A single run's page has no reproducer folder next to it: no links.
        cookie_conformance::atomic::write(p, html::render(&doc, &crate::repro::Written::new()).as_bytes())?;
    }
    if let (Some(p), Some(t)) = (junit_path, doc.targets.first()) {
        cookie_conformance::atomic::write(p, junit::render(&doc, t).as_bytes())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::targets::ReferenceTarget;

    fn resolve(id: &str) -> anyhow::Result<Box<dyn Target>> {
        match id {
            "reference" => Ok(Box::new(ReferenceTarget::new())),
            other => anyhow::bail!("unknown target `{other}`"),
        }
    }

    #[test]
    fn a_target_that_does_not_start_is_listed_not_fatal() {
        let corpus = results::tests::corpus();
        let pairs = Selection::default().pairs(&corpus);
        let runs = vec![
            run_target("reference", "ref", &pairs, &resolve, None),
            run_target("nope", "", &pairs, &resolve, None),
        ];
        let doc = ResultsDoc::build(trials(&pairs), &runs, now_rfc3339());
        assert_eq!(doc.results.len(), 3);
        // The fixture's second case expects a cookie with a control character, which §5.7
        // rejects: a real failure, with a detail full of characters XML cannot carry.
        let outcomes: Vec<_> = doc.results.iter().map(|r| r.outcome.name()).collect();
        assert_eq!(outcomes, ["pass", "pass", "fail"]);
        assert!(doc.results[2].detail.as_deref().unwrap().contains("reference:"));
        assert_eq!(doc.targets[1].unavailable_reason.as_deref(), Some("unknown target `nope`"));
        let dir = tempfile::tempdir().unwrap();
        let templates = crate::repro::Templates::discover(None).unwrap();
        let written = write_all(&doc, dir.path(), &templates).unwrap();
        let names: Vec<String> =
            written.iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
        assert_eq!(
            names,
            [
                "results.json",
                "results.schema.json",
                "index.html",
                "SUMMARY.md",
                "junit-reference.xml",
                "junit-nope.xml",
                "repro"
            ]
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 7, "temporary files left behind");
        // The reference jar has no reproducer template: the failing cell says so on the page.
        let html = std::fs::read_to_string(dir.path().join("index.html")).unwrap();
        assert!(html.contains("no reproducer template for `reference`"));
        let back = ResultsDoc::from_json(&std::fs::read(dir.path().join("results.json")).unwrap()).unwrap();
        assert_eq!(back, doc);
        // The JUnit files as written are well-formed and consistent, including the failure
        // whose report carries a control character.
        let xml = std::fs::read_to_string(dir.path().join("junit-reference.xml")).unwrap();
        assert_eq!(junit::tests::check_structure(&junit::tests::parse(&xml)), (3, 1, 0, 0));
        let xml = std::fs::read_to_string(dir.path().join("junit-nope.xml")).unwrap();
        assert_eq!(junit::tests::check_structure(&junit::tests::parse(&xml)), (1, 0, 1, 0));
    }
}
