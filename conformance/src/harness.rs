//! The libtest-mimic harness: one trial per (case, profile), so an implementer runs the suite
//! with `cargo test` from a `harness = false` test target of ten lines:
//!
//! ```no_run
//! // tests/conformance.rs   (Cargo.toml: [[test]] name = "conformance", harness = false)
//! # use cookie_conformance::ReferenceTarget as MyJar;
//! fn main() {
//!     cookie_conformance::Harness::new(MyJar::default)
//!         .xfail_file("tests/xfail.yaml")
//!         .run()
//! }
//! ```
//!
//! Trials are named `area::case name` with the profile as their kind, so `cargo test -- domain`,
//! `--exact`, `--list` and `--skip` work as usual. A case the target lacks a capability for is
//! an *ignored* trial (`--ignored` runs it anyway, ignoring the capability check); the reasons
//! are summed up after the run. An expected failure is reported as ignored with its reason at
//! run time. Because some runners (cargo-nextest) show ignored trials as passing, set
//! `COOKIE_CONFORMANCE_JSON=path.json` to also get the full per-trial results (`path.jsonl`
//! appends one line per trial instead, for runners that start one process per trial).
//! `COOKIE_CONFORMANCE_CASES=dir` runs the cases in `dir` instead of the embedded corpus.
//!
//! Nothing passes vacuously: an empty corpus (or cases directory) is an error, and so is a
//! filter aimed at the corpus (its first `::` segment names an area, as in `domain::` or
//! `prefixes::__Host`) that selects no trial. Any other filter that selects nothing is taken
//! to be meant for another test binary of the package (`cargo test NAME` passes NAME to all
//! of them): the harness says so on stderr and runs nothing.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use libtest_mimic::{Arguments, Completion, Conclusion, Failed, FormatSetting, Trial};

use crate::load::{Corpus, LoadError};
use crate::needs::Needs;
use crate::outcome::{CaseResult, Outcome};
use crate::report::{append_lines, Report, TargetInfo};
use crate::run::run_case_with;
use crate::target::Target;
use crate::xfail::{Xfail, XfailError};

/// Why the harness could not run.
#[derive(Debug, thiserror::Error)]
pub enum HarnessError {
    /// The corpus (embedded or from a directory) did not load, or is empty.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The expected-failures file is unreadable, malformed or stale.
    #[error(transparent)]
    Xfail(#[from] XfailError),
    /// A filter names an area of the corpus but selects none of its trials.
    #[error(
        "the filter {filters} selects none of the {trials} trials of the corpus, although it names \
         the area `{area}`: check the spelling (`-- --list` prints every trial name)"
    )]
    NothingSelected {
        /// The filters, quoted.
        filters: String,
        /// The corpus's trial count.
        trials: usize,
        /// The area the filter names.
        area: String,
    },
}

/// Environment variable: where to write the JSON results.
pub const JSON_ENV: &str = "COOKIE_CONFORMANCE_JSON";
/// Environment variable: a directory of cases to run instead of the embedded corpus.
pub const CASES_ENV: &str = "COOKIE_CONFORMANCE_CASES";

enum XfailSource {
    None,
    File(PathBuf),
    Text { text: String, name: String },
}

/// Builds and runs the conformance trials for a target.
pub struct Harness<F> {
    factory: Arc<F>,
    xfail: XfailSource,
    cases_dir: Option<PathBuf>,
}

impl<T, F> Harness<F>
where
    T: Target + 'static,
    F: Fn() -> T + Send + Sync + 'static,
{
    /// A harness creating a fresh target with `factory` for every trial.
    pub fn new(factory: F) -> Self {
        Harness { factory: Arc::new(factory), xfail: XfailSource::None, cases_dir: None }
    }

    /// Reads expected failures from this YAML file (relative paths are relative to the
    /// package root, where `cargo test` runs test binaries).
    pub fn xfail_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.xfail = XfailSource::File(path.into());
        self
    }

    /// Expected failures given as text (e.g. `include_str!("xfail.yaml")`).
    pub fn xfail_str(mut self, text: impl Into<String>, name: impl Into<String>) -> Self {
        self.xfail = XfailSource::Text { text: text.into(), name: name.into() };
        self
    }

    /// Runs the cases below `dir` instead of the corpus embedded in this crate.
    pub fn cases_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.cases_dir = Some(dir.into());
        self
    }

    fn load(&self) -> Result<(Corpus, Xfail), HarnessError> {
        let dir = std::env::var_os(CASES_ENV).map(PathBuf::from).or_else(|| self.cases_dir.clone());
        let corpus = match dir {
            Some(d) => Corpus::from_dir(&d)?,
            None => Corpus::embedded()?,
        };
        let xfail = match &self.xfail {
            XfailSource::None => Xfail::default(),
            XfailSource::File(p) => Xfail::load(p)?,
            XfailSource::Text { text, name } => Xfail::parse(text, name)?,
        };
        xfail.check(&corpus)?;
        Ok((corpus, xfail))
    }

    /// Parses the command line, runs the trials, writes the JSON results if
    /// `COOKIE_CONFORMANCE_JSON` is set, and exits with libtest's exit code.
    pub fn run(self) -> ! {
        let args = Arguments::from_args();
        let run = match self.run_with(&args) {
            Ok(run) => run,
            Err(e) => {
                eprintln!("error: {e}");
                std::process::exit(101);
            }
        };
        if !args.list {
            if !run.skipped.is_empty() && !matches!(args.format, Some(FormatSetting::Json)) {
                println!("skipped trials (target `{}`):", run.target.name);
                for (reason, n) in &run.skipped {
                    println!("  {n:5}  {reason}");
                }
                println!();
            }
            if let Some(path) = std::env::var_os(JSON_ENV).map(PathBuf::from) {
                let written = if path.extension().is_some_and(|e| e == "jsonl") {
                    append_lines(&path, &run.target.name, &run.results)
                } else {
                    Report::new(run.target.clone(), &run.results, run.duration).write(&path)
                };
                if let Err(e) = written {
                    eprintln!("error: cannot write {}: {e}", path.display());
                    std::process::exit(101);
                }
            }
        }
        run.conclusion.exit()
    }

    /// Runs the trials selected by `args` and returns what happened, without exiting.
    pub fn run_with(self, args: &Arguments) -> Result<HarnessRun, HarnessError> {
        let (corpus, xfail) = self.load()?;
        let probe = (self.factory)();
        let info = TargetInfo { name: probe.name(), capabilities: probe.capabilities() };
        drop(probe);

        let corpus = Arc::new(corpus);
        let pairs: Vec<(usize, reference_jar::Profile)> = corpus
            .cases()
            .iter()
            .enumerate()
            .flat_map(|(i, c)| c.profiles.iter().map(move |&p| (i, p)))
            .collect();
        let slots: Arc<Mutex<Vec<Option<CaseResult>>>> = Arc::new(Mutex::new(vec![None; pairs.len()]));
        let mut skips: Vec<Option<String>> = Vec::with_capacity(pairs.len());
        let mut trials = Vec::with_capacity(pairs.len());
        for (slot, &(index, profile)) in pairs.iter().enumerate() {
            let case = &corpus.cases()[index];
            let skip = Needs::of(case, profile).unmet(profile, &info.capabilities);
            let entry = xfail.entry(&case.name, profile).cloned();
            let (corpus, factory, slots, caps) =
                (corpus.clone(), self.factory.clone(), slots.clone(), info.capabilities.clone());
            // A trial with a skip reason only runs under `--ignored`/`--include-ignored`:
            // then it runs regardless of the capability check.
            let force = skip.is_some();
            let trial = Trial::ignorable_test(case.full_name(), move || {
                let case = &corpus.cases()[index];
                let mut target = factory();
                let result = run_case_with(&mut target, &caps, case, profile, entry.as_ref(), force);
                let verdict = verdict(&result);
                if let Ok(mut s) = slots.lock() {
                    s[slot] = Some(result);
                }
                verdict
            })
            .with_kind(profile.name())
            .with_ignored_flag(force);
            skips.push(skip);
            trials.push(trial);
        }

        // Trials libtest ignores without calling them: they are recorded as skipped.
        let ignored: Vec<bool> = trials.iter().map(|t| !args.is_filtered_out(t) && args.is_ignored(t)).collect();
        if !trials.is_empty() && trials.iter().all(|t| args.is_filtered_out(t)) {
            check_filters(args, &corpus, trials.len())?;
        }
        let started = std::time::Instant::now();
        let conclusion = libtest_mimic::run(args, trials);
        let duration = started.elapsed();

        let mut results = Vec::new();
        let mut skipped: BTreeMap<String, usize> = BTreeMap::new();
        let mut filled = slots.lock().map(|mut s| std::mem::take(&mut *s)).unwrap_or_default();
        if !args.list {
            for (slot, &(index, profile)) in pairs.iter().enumerate() {
                if let Some(r) = filled.get_mut(slot).and_then(Option::take) {
                    if r.outcome == Outcome::Skip {
                        *skipped.entry(r.reason.clone().unwrap_or_default()).or_default() += 1;
                    }
                    results.push(r);
                } else if ignored[slot] {
                    let case = &corpus.cases()[index];
                    let reason = skips[slot].clone().unwrap_or_else(|| "ignored".to_owned());
                    *skipped.entry(reason.clone()).or_default() += 1;
                    results.push(crate::run::skipped(case, profile, Some(reason)));
                }
            }
        }
        Ok(HarnessRun { conclusion, results, target: info, skipped, duration })
    }
}

/// Called when the command line's filters select no trial: an error when a filter names an
/// area of the corpus (a typo in a case name), a note otherwise (the filter is meant for
/// another test binary of the same package).
fn check_filters(args: &Arguments, corpus: &Corpus, trials: usize) -> Result<(), HarnessError> {
    let filters: Vec<&str> = args.filter.iter().map(String::as_str).chain(args.skip.iter().map(String::as_str)).collect();
    let aimed = args.filter.iter().find_map(|f| {
        let area = f.split("::").next().unwrap_or_default();
        (f.contains("::") && corpus.cases().iter().any(|c| c.origin.area.split("::").next() == Some(area))).then(|| area.to_owned())
    });
    if let Some(area) = aimed {
        let filters = filters.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ");
        return Err(HarnessError::NothingSelected { filters, trials, area });
    }
    eprintln!(
        "note: cookie-conformance: the filters select none of the {trials} conformance trials; \
         none ran (a filter naming an area, like `domain::`, selects trials)"
    );
    Ok(())
}

/// What [`Harness::run_with`] observed.
pub struct HarnessRun {
    /// libtest's tally (its exit code decides `cargo test`'s verdict).
    pub conclusion: Conclusion,
    /// One record per trial that was selected (run, or ignored because of a missing
    /// capability), in corpus order.
    pub results: Vec<CaseResult>,
    /// The target.
    pub target: TargetInfo,
    /// Skip reasons with their counts.
    pub skipped: BTreeMap<String, usize>,
    /// Wall-clock time of the trials.
    pub duration: std::time::Duration,
}

/// How libtest sees a result.
fn verdict(r: &CaseResult) -> Result<Completion, Failed> {
    match r.outcome {
        Outcome::Pass => Ok(Completion::Completed),
        Outcome::Xfail => Ok(Completion::ignored_with(format!("xfail: {}", r.reason.as_deref().unwrap_or("")))),
        Outcome::Skip => Ok(Completion::ignored_with(r.reason.as_deref().unwrap_or("skipped"))),
        Outcome::Xpass => Err(Failed::from(format!("XPASS: {}", r.reason.as_deref().unwrap_or("")))),
        Outcome::Fail | Outcome::Error => Err(Failed::from(
            r.detail.clone().or_else(|| r.reason.clone()).unwrap_or_else(|| r.outcome.name().to_owned()),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::target::{Capabilities, Setup, TargetError};
    use crate::reference::ReferenceTarget;
    use reference_jar::{Context, UnixTime};

    /// The reference jar, declaring only the plainest capabilities.
    struct Plain(ReferenceTarget);
    impl Target for Plain {
        fn name(&self) -> String {
            "plain".into()
        }
        fn capabilities(&self) -> Capabilities {
            Capabilities { profiles: Profile::ALL.to_vec(), ..Capabilities::default() }
        }
        fn reset(&mut self, s: &Setup) -> Result<(), TargetError> {
            self.0.reset(s)
        }
        fn set_cookies(&mut self, u: &str, l: &[Vec<u8>], c: &Context, n: UnixTime) -> Result<(), TargetError> {
            self.0.set_cookies(u, l, c, n)
        }
        fn cookie_header(&mut self, u: &str, c: &Context, n: UnixTime) -> Result<Option<Vec<u8>>, TargetError> {
            self.0.cookie_header(u, c, n)
        }
        fn dump(&mut self, n: UnixTime) -> Result<Option<Vec<crate::StoredCookie>>, TargetError> {
            self.0.dump(n)
        }
    }
    use reference_jar::Profile;

    fn harness() -> Harness<impl Fn() -> Plain + Send + Sync + 'static> {
        let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
        Harness::new(|| Plain(ReferenceTarget::new()))
            .cases_dir(format!("{fixtures}/harness-cases"))
            .xfail_file(format!("{fixtures}/xfail.yaml"))
    }

    fn args(extra: &[&str]) -> Arguments {
        let mut argv = vec!["conformance", "--test-threads", "2", "--format", "terse"];
        argv.extend_from_slice(extra);
        Arguments::from_iter(argv)
    }

    fn outcomes(run: &HarnessRun) -> Vec<String> {
        run.results.iter().map(|r| format!("{} [{}] {}", r.case, r.profile, r.outcome.name())).collect()
    }

    #[test]
    fn trials_pass_xfail_and_skip() {
        let run = harness().run_with(&args(&[])).unwrap();
        assert!(!run.conclusion.has_failed());
        assert_eq!(run.conclusion.num_passed, 2);
        // 2 xfail (runtime-ignored) + 2 skipped (statically ignored).
        assert_eq!(run.conclusion.num_ignored, 4);
        assert_eq!(
            outcomes(&run),
            [
                "basic::a cookie comes back [rfc6265bis] pass",
                "basic::a cookie comes back [layered-cookies] pass",
                "basic::a known failure [rfc6265bis] xfail",
                "basic::a known failure [layered-cookies] xfail",
                "basic::a cookie expires with the virtual clock [rfc6265bis] skip",
                "basic::script sees non-HttpOnly cookies only [rfc6265bis] skip",
            ]
        );
        assert_eq!(run.skipped.len(), 2);
        assert!(run.skipped.contains_key("target lacks a virtual clock (`now`, `advance`, or an Expires date after the start), a storage dump (`stored`)"));
    }

    #[test]
    fn ignored_runs_the_skipped_trials_anyway() {
        let run = harness().run_with(&args(&["--ignored"])).unwrap();
        assert_eq!(
            outcomes(&run),
            [
                "basic::a cookie expires with the virtual clock [rfc6265bis] pass",
                "basic::script sees non-HttpOnly cookies only [rfc6265bis] pass",
            ]
        );
    }

    #[test]
    fn filter_and_exact_select_trials() {
        let run = harness().run_with(&args(&["known"])).unwrap();
        assert_eq!(run.results.len(), 2);
        let run = harness().run_with(&args(&["--exact", "[layered-cookies] basic::a cookie comes back"])).unwrap();
        assert_eq!(outcomes(&run), ["basic::a cookie comes back [layered-cookies] pass"]);
    }

    #[test]
    fn a_filter_naming_an_area_must_select_something() {
        let err = harness().run_with(&args(&["basic::no such case"])).err().unwrap();
        assert!(err.to_string().contains("names the area `basic`"), "{err}");
        // A filter meant for another test binary of the package selects nothing, quietly.
        let run = harness().run_with(&args(&["parser_unit_test"])).unwrap();
        assert!(run.results.is_empty() && !run.conclusion.has_failed());
        let run = harness().run_with(&args(&["elsewhere::x"])).unwrap();
        assert!(run.results.is_empty());
    }

    #[test]
    fn an_empty_corpus_is_an_error() {
        let empty = tempfile::tempdir().unwrap();
        let err = Harness::new(|| Plain(ReferenceTarget::new())).cases_dir(empty.path()).run_with(&args(&[])).err().unwrap();
        assert!(err.to_string().contains("no *.yaml case files"), "{err}");
        let comments_only = tempfile::tempdir().unwrap();
        std::fs::create_dir(comments_only.path().join("a")).unwrap();
        std::fs::write(comments_only.path().join("a/x.yaml"), "# nothing yet\n[]\n").unwrap();
        let err = Harness::new(|| Plain(ReferenceTarget::new())).cases_dir(comments_only.path()).run_with(&args(&[])).err().unwrap();
        assert!(err.to_string().contains("holds no case"), "{err}");
    }

    #[test]
    fn stale_xfail_file_is_an_error() {
        let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
        let err = Harness::new(|| Plain(ReferenceTarget::new()))
            .cases_dir(format!("{fixtures}/harness-cases"))
            .xfail_file(format!("{fixtures}/xfail-stale.yaml"))
            .run_with(&args(&[]))
            .err()
            .unwrap();
        assert!(format!("{err:#}").contains("no case is named `a case that was renamed`"), "{err:#}");
    }
}
