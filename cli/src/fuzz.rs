//! A fuzzing session: scenarios from a seeded generator, run on the engine by one or more
//! workers, new buckets minimized as they appear, everything written out at the end (also when
//! interrupted with Ctrl-C). With one worker and `--max-scenarios`, a seed always gives the
//! same buckets and the same minimized cases.

use std::collections::BTreeMap;
use std::io::{IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _};
use arbitrary::Unstructured;

use cookie_conformance_fuzz::engine::{Engine, JarTarget, Level, Outcome, ParserTarget, Signature, Timing};
use cookie_conformance_fuzz::findings::{Bucket, RunInfo};
use cookie_conformance_fuzz::minimize::{minimize, DEFAULT_BUDGET};
use cookie_conformance_fuzz::parse_level::CookieCrate;
use cookie_conformance_fuzz::quirks::Quirks;
use cookie_conformance_fuzz::rng::{mix, SplitMix64};
use cookie_conformance_fuzz::scenario::{Ctx, Scenario, Step};
use crate::targets;

/// How many generator bytes back one scenario.
pub const INPUT_LEN: usize = 1024;

/// `cookie-conformance fuzz`.
#[derive(clap::Args, Debug, Clone)]
pub struct FuzzArgs {
    /// Comma-separated columns: `reference` (the oracle, always present), registered jar
    /// targets (`cookie_store`, ...), and `cookie` (the cookie crate's parser, parse level).
    #[arg(long, value_delimiter = ',', default_value = "reference")]
    pub targets: Vec<String>,
    /// How long to fuzz (`60s`, `5m`, `1h`).
    #[arg(long, default_value = "60s", value_parser = parse_time)]
    pub time: Duration,
    /// The seed: the same seed runs the same scenarios.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Where to write `findings.md` and `cases/` (default: `fuzz-out`).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Stop after this many scenarios (with one job, the run is then deterministic).
    #[arg(long, value_name = "N")]
    pub max_scenarios: Option<u64>,
    /// Worker threads (each with its own targets). Buckets found are the same for a seed and
    /// `--max-scenarios`; which scenario represents a bucket may vary with more than one.
    #[arg(long, default_value_t = 1)]
    pub jobs: usize,
    /// The findings index (default `DIR/findings.md`).
    #[arg(long, value_name = "FILE")]
    pub findings: Option<PathBuf>,
    /// The folder of minimized cases (default `DIR/cases`).
    #[arg(long, value_name = "DIR")]
    pub cases_out: Option<PathBuf>,
    /// The folder of quirk files, `<target>.yaml` (default: the runner's `fuzz-quirks/`).
    #[arg(long, value_name = "DIR")]
    pub quirks: Option<PathBuf>,
    /// Property checks a minimization may spend per bucket.
    #[arg(long, default_value_t = DEFAULT_BUDGET)]
    pub minimize_budget: usize,
    /// Write each bucket's raw generator input here (seeds for the cargo-fuzz targets).
    #[arg(long, value_name = "DIR")]
    pub save_inputs: Option<PathBuf>,
    /// Measure scenarios per second (no bucketing, no minimization, nothing written).
    #[arg(long)]
    pub bench: bool,
}

/// Parses `90s`, `5m`, `1h`, `2h 30m` (the case format's durations).
pub fn parse_time(s: &str) -> Result<Duration, String> {
    let d = cookie_conformance::clock::parse_duration(s)?;
    Ok(Duration::from_secs(u64::try_from(d.seconds()).map_err(|_| "negative".to_owned())?))
}

/// The folder of the checked-in quirk files (`cli/fuzz-quirks/`), one `<target>.yaml` each.
pub fn quirk_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz-quirks")
}

/// What to run (the library form of [`FuzzArgs`]).
#[derive(Clone, Debug)]
pub struct Options {
    /// Columns (see [`FuzzArgs::targets`]).
    pub targets: Vec<String>,
    /// Seed.
    pub seed: u64,
    /// Time budget.
    pub time: Duration,
    /// Scenario budget.
    pub max_scenarios: Option<u64>,
    /// Workers.
    pub jobs: usize,
    /// Minimization budget per bucket.
    pub minimize_budget: usize,
    /// Quirk files' folder.
    pub quirk_dir: PathBuf,
    /// Print a progress line on stderr.
    pub progress: bool,
}

impl Options {
    /// The options of a command line.
    pub fn of(args: &FuzzArgs) -> Options {
        Options {
            targets: args.targets.clone(),
            seed: args.seed,
            time: args.time,
            max_scenarios: args.max_scenarios,
            jobs: args.jobs.max(1),
            minimize_budget: args.minimize_budget,
            quirk_dir: args.quirks.clone().unwrap_or_else(quirk_dir),
            progress: true,
        }
    }

    /// The command line that reproduces a run of `scenarios` scenarios.
    pub fn command(&self, scenarios: u64) -> String {
        let jobs = if self.jobs > 1 { format!(" --jobs {}", self.jobs) } else { String::new() };
        format!(
            "cookie-conformance fuzz --targets {} --seed {} --max-scenarios {scenarios}{jobs}",
            self.targets.join(","),
            self.seed
        )
    }
}

/// Builds the engine for the columns `keys`.
pub fn build_engine(keys: &[String], quirk_dir: &Path) -> anyhow::Result<Engine> {
    let mut jars = Vec::new();
    let mut parsers = Vec::new();
    for key in keys {
        match key.as_str() {
            "reference" => {}
            "cookie" => parsers.push(ParserTarget::new(Box::new(CookieCrate), Quirks::load(quirk_dir, "cookie")?)),
            name => {
                let target = match targets::find(name) {
                    Some(entry) => (entry.build)().with_context(|| format!("starting target `{name}`"))?,
                    // An adapter of adapters/targets.yaml, or `adapter:http://...`: each job
                    // gets its own adapter session (scenarios are restricted to what it models).
                    None => match targets::http::cli_target(name) {
                        Some(target) => target?,
                        None => bail!(
                            "unknown fuzz target `{name}` (known: reference, cookie, {}, the adapters of adapters/targets.yaml, adapter:URL)",
                            targets::names().join(", ")
                        ),
                    },
                };
                jars.push(JarTarget::new(name, target, Quirks::load(quirk_dir, name)?));
            }
        }
    }
    Ok(Engine::new(jars, parsers))
}

/// Generates scenario `index` of a run seeded with `seed`, and its input bytes.
pub fn scenario_at(seed: u64, index: u64, buf: &mut [u8]) -> Option<Scenario> {
    SplitMix64::new(mix(seed, index)).fill(buf);
    Scenario::generate(&mut Unstructured::new(buf)).ok()
}

/// The result of a session.
#[derive(Debug)]
pub struct RunResult {
    /// Buckets, in the order their first scenario came.
    pub buckets: Vec<Bucket>,
    /// The run's description.
    pub info: RunInfo,
}

impl RunResult {
    /// Buckets where the reference jar panicked.
    pub fn reference_panics(&self) -> Vec<&Bucket> {
        self.buckets.iter().filter(|b| b.panic.is_some()).collect()
    }

    /// Every bucket signature, in order.
    pub fn signatures(&self) -> Vec<String> {
        self.buckets.iter().map(|b| b.signature.to_string()).collect()
    }
}

struct Slot {
    hits: u64,
    first: u64,
    bucket: Option<Bucket>,
}

struct Shared {
    seed: u64,
    deadline: Instant,
    max: Option<u64>,
    budget: usize,
    scenarios: AtomicU64,
    raw: AtomicU64,
    slots: Mutex<BTreeMap<Signature, Slot>>,
    buckets: AtomicUsize,
}

/// Installs the Ctrl-C handler (once): the first Ctrl-C stops the workers, whose findings are
/// then written; a second one exits at once.
pub fn install_interrupt_handler() {
    crate::interrupt::install("writing what was found so far");
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Runs a session.
pub fn run(opts: &Options) -> anyhow::Result<RunResult> {
    crate::interrupt::clear();
    // Build one engine up front: it checks the target names and gives the columns.
    let probe = build_engine(&opts.targets, &opts.quirk_dir)?;
    let features = probe.features;
    let columns: Vec<(String, String)> = probe.names().into_iter().collect();
    drop(probe);
    let started = Instant::now();
    let shared = Shared {
        seed: opts.seed,
        deadline: started + opts.time,
        max: opts.max_scenarios,
        budget: opts.minimize_budget,
        scenarios: AtomicU64::new(0),
        raw: AtomicU64::new(0),
        slots: Mutex::new(BTreeMap::new()),
        buckets: AtomicUsize::new(0),
    };
    let done = AtomicUsize::new(0);
    let tallies: Mutex<BTreeMap<(String, String), (String, u64)>> = Mutex::new(BTreeMap::new());
    let errors: Mutex<Vec<String>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for w in 0..opts.jobs {
            let (shared, done, tallies, errors) = (&shared, &done, &tallies, &errors);
            scope.spawn(move || {
                match build_engine(&opts.targets, &opts.quirk_dir) {
                    Ok(mut engine) => {
                        worker(&mut engine, w as u64, opts.jobs as u64, shared);
                        let mut t = lock(tallies);
                        for (target, id, note, n) in engine.quirk_tallies() {
                            t.entry((target, id)).or_insert((note, 0)).1 += n;
                        }
                    }
                    Err(e) => lock(errors).push(format!("{e:#}")),
                }
                done.fetch_add(1, Ordering::SeqCst);
            });
        }
        let tty = opts.progress && std::io::stderr().is_terminal();
        let mut last_line = Instant::now();
        while done.load(Ordering::SeqCst) < opts.jobs {
            std::thread::sleep(Duration::from_millis(200));
            if opts.progress && (tty || last_line.elapsed() >= Duration::from_secs(10)) {
                last_line = Instant::now();
                let n = shared.scenarios.load(Ordering::Relaxed);
                let secs = started.elapsed().as_secs_f64();
                let line = format!(
                    "{n} scenarios, {:.0}/s, {} buckets, {:.0}s",
                    n as f64 / secs.max(1e-9),
                    shared.buckets.load(Ordering::Relaxed),
                    secs
                );
                if tty {
                    eprint!("\r{line}   ");
                } else {
                    eprintln!("{line}");
                }
                let _ = std::io::stderr().flush();
            }
        }
        if tty {
            eprintln!();
        }
    });
    if let Some(e) = lock(&errors).first() {
        bail!("{e}");
    }
    let seconds = started.elapsed().as_secs_f64();
    let scenarios = shared.scenarios.load(Ordering::SeqCst);
    let mut buckets: Vec<Bucket> = std::mem::take(&mut *lock(&shared.slots))
        .into_values()
        .filter_map(|s| {
            s.bucket.map(|mut b| {
                b.hits = s.hits;
                b.first = s.first;
                b
            })
        })
        .collect();
    buckets.sort_by_key(|b| (b.first, b.signature.level));
    let quirks = std::mem::take(&mut *lock(&tallies)).into_iter().map(|((t, id), (note, n))| (t, id, note, n)).collect();
    let info = RunInfo {
        seed: opts.seed,
        scenarios,
        seconds,
        columns,
        features,
        command: opts.command(scenarios),
        quirks,
        raw_differences: shared.raw.load(Ordering::SeqCst),
        interrupted: crate::interrupt::requested(),
    };
    Ok(RunResult { buckets, info })
}

fn worker(engine: &mut Engine, first: u64, stride: u64, shared: &Shared) {
    let features = engine.features;
    let mut buf = vec![0u8; INPUT_LEN];
    let mut index = first;
    // Counted locally and published every 32 scenarios: a shared counter bumped by every
    // scenario would bounce its cache line between the workers.
    let mut since_check = 0u64;
    loop {
        if shared.max.is_some_and(|m| index >= m) || crate::interrupt::requested() {
            break;
        }
        if since_check >= 32 {
            shared.scenarios.fetch_add(since_check, Ordering::Relaxed);
            since_check = 0;
            if Instant::now() >= shared.deadline {
                break;
            }
        }
        since_check += 1;
        if let Some(mut s) = scenario_at(shared.seed, index, &mut buf) {
            s.restrict(features);
            let out = engine.run(&s, true);
            if out.raw_difference {
                shared.raw.fetch_add(1, Ordering::Relaxed);
            }
            if let Some(msg) = &out.reference_panic {
                let sig = Signature { level: Level::Jar, grid: "reference=PANIC".to_owned(), labels: vec![msg.clone()] };
                record(engine, shared, sig, None, &s, index, &buf);
            }
            let found: Vec<(Signature, Level)> =
                out.jar.iter().chain(&out.parse).map(|f| (f.signature.clone(), f.signature.level)).collect();
            for (sig, level) in found {
                record(engine, shared, sig, Some(level), &s, index, &buf);
            }
        }
        index += stride;
    }
    shared.scenarios.fetch_add(since_check, Ordering::Relaxed);
}

/// Counts a hit; for a new signature, minimizes the scenario and stores the bucket.
fn record(engine: &mut Engine, shared: &Shared, sig: Signature, level: Option<Level>, s: &Scenario, index: u64, input: &[u8]) {
    {
        let mut slots = lock(&shared.slots);
        if let Some(slot) = slots.get_mut(&sig) {
            slot.hits += 1;
            slot.first = slot.first.min(index);
            return;
        }
        slots.insert(sig.clone(), Slot { hits: 1, first: index, bucket: None });
    }
    shared.buckets.fetch_add(1, Ordering::Relaxed);
    let bucket = make_bucket(engine, &sig, level, s, index, input, shared.budget);
    if let Some(slot) = lock(&shared.slots).get_mut(&sig) {
        slot.bucket = Some(bucket);
    }
}

/// Whether `s` still falls into `sig` (`level` None: the reference jar panics with that message).
fn same_bucket(engine: &mut Engine, sig: &Signature, level: Option<Level>, s: &Scenario) -> bool {
    let out = engine.run(s, false);
    match level {
        None => out.reference_panic.as_deref() == sig.labels.first().map(String::as_str),
        Some(_) => out.find(sig).is_some(),
    }
}

fn make_bucket(engine: &mut Engine, sig: &Signature, level: Option<Level>, s: &Scenario, index: u64, input: &[u8], budget: usize) -> Bucket {
    // A parse-level finding is about one line: start from that line alone.
    let mut start = s.clone();
    if level == Some(Level::Parse) {
        if let Some(f) = engine.run(s, false).find(sig).cloned() {
            if let Some(Step::Set { at, ctx, lines }) = s.steps.get(f.step) {
                if let Some(line) = lines.get(f.line) {
                    let alone = Scenario {
                        steps: vec![
                            Step::Set { at: *at, ctx: *ctx, lines: vec![line.clone()] },
                            Step::Expect { at: *at, ctx: Ctx::default() },
                        ],
                    };
                    if same_bucket(engine, sig, level, &alone) {
                        start = alone;
                    }
                }
            }
        }
    }
    let mut minimized = minimize(&start, budget, |c| same_bucket(engine, sig, level, c));
    // A case must assert something: a parse-level case reads the cookie back where it was set.
    if !minimized.steps.iter().any(|s| matches!(s, Step::Expect { .. })) {
        if let Some(Step::Set { at, .. }) = minimized.steps.last() {
            let at = *at;
            minimized.steps.push(Step::Expect { at, ctx: Ctx::default() });
        }
    }
    let out: Outcome = engine.run(&minimized, false);
    let answers = engine.last_answers();
    let finding = level
        .and_then(|_| out.find(sig).cloned())
        .unwrap_or_else(|| cookie_conformance_fuzz::engine::Finding {
        signature: sig.clone(),
        step: minimized.steps.len().saturating_sub(1),
        line: 0,
        diffs: Vec::new(),
        answers: vec![("reference".to_owned(), format!("panicked: {}", out.reference_panic.clone().unwrap_or_default()))],
    });
    Bucket {
        signature: sig.clone(),
        hits: 1,
        first: index,
        original: s.clone(),
        minimized,
        finding,
        reference: out.reference,
        answers,
        panic: out.reference_panic,
        input: input.to_vec(),
    }
}

/// `cookie-conformance fuzz`: runs the session (or the benchmark) and writes the findings.
/// Returns false when the reference jar panicked.
pub fn main(args: FuzzArgs) -> anyhow::Result<bool> {
    if let Some(dir) = &args.quirks {
        if !dir.is_dir() {
            anyhow::bail!("--quirks {}: no such folder", dir.display());
        }
    }
    install_interrupt_handler();
    let opts = Options::of(&args);
    if args.bench {
        return bench(&opts).map(|()| true);
    }
    let out = args.out.clone().unwrap_or_else(|| PathBuf::from("fuzz-out"));
    let findings = args.findings.clone().unwrap_or_else(|| out.join("findings.md"));
    let cases = args.cases_out.clone().unwrap_or_else(|| out.join("cases"));
    // Where the findings go is checked before the fuzzing, not after it.
    for dir in [findings.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")), cases.as_path()] {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    cookie_conformance::atomic::check_writable(&findings)?;
    cookie_conformance::atomic::check_writable(&cases.join("probe.yaml"))?;
    let result = run(&opts)?;
    cookie_conformance_fuzz::findings::write(&result.info, &result.buckets, &findings, &cases)
        .with_context(|| format!("writing {}", findings.display()))?;
    if let Some(dir) = &args.save_inputs {
        std::fs::create_dir_all(dir)?;
        for b in &result.buckets {
            std::fs::write(dir.join(b.signature.id()), &b.input)?;
        }
    }
    let info = &result.info;
    println!(
        "{} scenarios in {:.1}s ({:.0}/s); {} buckets ({} jar, {} parse); findings: {}; cases: {}",
        info.scenarios,
        info.seconds,
        info.scenarios as f64 / info.seconds.max(1e-9),
        result.buckets.len(),
        result.buckets.iter().filter(|b| b.signature.level == Level::Jar).count(),
        result.buckets.iter().filter(|b| b.signature.level == Level::Parse).count(),
        findings.display(),
        cases.display()
    );
    for b in &result.buckets {
        println!("  {:>7}  {}  {}", b.hits, b.file_name(), b.signature);
    }
    let panics = result.reference_panics();
    for b in &panics {
        eprintln!("THE REFERENCE JAR PANICKED: {}", b.panic.as_deref().unwrap_or(""));
    }
    Ok(panics.is_empty())
}

/// Scenarios per second on the selected columns, with where the time goes.
pub fn bench(opts: &Options) -> anyhow::Result<()> {
    let started = Instant::now();
    let deadline = started + opts.time;
    let results: Vec<anyhow::Result<(u64, Duration, Timing, u64)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..opts.jobs)
            .map(|w| {
                scope.spawn(move || -> anyhow::Result<(u64, Duration, Timing, u64)> {
                    let mut engine = build_engine(&opts.targets, &opts.quirk_dir)?;
                    engine.timing = Some(Timing::default());
                    let features = engine.features;
                    let mut buf = vec![0u8; INPUT_LEN];
                    let mut generation = Duration::ZERO;
                    let (mut n, mut diffs) = (0u64, 0u64);
                    let mut index = w as u64;
                    while opts.max_scenarios.is_none_or(|m| index < m) && !crate::interrupt::requested() {
                        if n % 64 == 0 && Instant::now() >= deadline {
                            break;
                        }
                        let t = Instant::now();
                        let s = scenario_at(opts.seed, index, &mut buf).map(|mut s| {
                            s.restrict(features);
                            s
                        });
                        generation += t.elapsed();
                        if let Some(s) = s {
                            if engine.run(&s, true).raw_difference {
                                diffs += 1;
                            }
                        }
                        n += 1;
                        index += opts.jobs as u64;
                    }
                    Ok((n, generation, engine.timing.unwrap_or_default(), diffs))
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or_else(|_| Err(anyhow::anyhow!("a bench worker panicked")))).collect()
    });
    let secs = started.elapsed().as_secs_f64();
    let (mut n, mut generation, mut timing, mut diffs) = (0u64, Duration::ZERO, Timing::default(), 0u64);
    for r in results {
        let (rn, rg, rt, rd) = r?;
        n += rn;
        generation += rg;
        diffs += rd;
        timing.oracle += rt.oracle;
        timing.jars += rt.jars;
        timing.compare += rt.compare;
        timing.parsers += rt.parsers;
    }
    let per = |ns: u128| if n == 0 { 0.0 } else { ns as f64 / n as f64 / 1000.0 };
    println!(
        "bench: targets {} | {} jobs | {n} scenarios in {secs:.2}s = {:.0} scenarios/s",
        opts.targets.join(","),
        opts.jobs,
        n as f64 / secs.max(1e-9)
    );
    println!(
        "per scenario (µs, summed over jobs): generate {:.2} | reference jar {:.2} | jars {:.2} | compare+classify {:.2} | parsers {:.2}",
        per(generation.as_nanos()),
        per(timing.oracle),
        per(timing.jars),
        per(timing.compare),
        per(timing.parsers)
    );
    println!("scenarios with some difference (quirks included): {diffs} ({:.1}%)", 100.0 * diffs as f64 / n.max(1) as f64);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checked_in_quirk_files_parse() {
        let dir = quirk_dir();
        let mut parsed = 0;
        for e in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())).flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if let Some(key) = name.strip_suffix(".yaml") {
                Quirks::load(&dir, key).unwrap_or_else(|e| panic!("{e}"));
                parsed += 1;
            }
        }
        assert!(parsed >= 4, "expected the four checked-in quirk files in {}", dir.display());
    }

    fn opts(targets: &[&str], n: u64) -> Options {
        Options {
            targets: targets.iter().map(|s| (*s).to_owned()).collect(),
            seed: 7,
            time: Duration::from_secs(60),
            max_scenarios: Some(n),
            jobs: 1,
            minimize_budget: 300,
            quirk_dir: quirk_dir(),
            progress: false,
        }
    }

    #[test]
    fn reference_alone_finds_nothing_and_never_panics() {
        let r = run(&opts(&["reference"], 2000)).unwrap();
        assert_eq!(r.info.scenarios, 2000);
        assert!(r.buckets.is_empty(), "{:?}", r.signatures());
    }

    #[test]
    fn unknown_targets_are_refused() {
        let err = run(&opts(&["nope"], 1)).unwrap_err().to_string();
        assert!(err.contains("unknown fuzz target `nope`"), "{err}");
    }

    #[test]
    fn parse_level_run_is_deterministic_and_minimizes() {
        let a = run(&opts(&["reference", "cookie"], 300)).unwrap();
        let b = run(&opts(&["reference", "cookie"], 300)).unwrap();
        assert_eq!(a.signatures(), b.signatures());
        assert!(!a.buckets.is_empty());
        for (x, y) in a.buckets.iter().zip(&b.buckets) {
            assert_eq!(x.minimized, y.minimized);
            assert_eq!(x.hits, y.hits);
            // Minimized parse cases hold one line.
            assert_eq!(x.minimized.line_count(), 1, "{:?}", x.minimized);
        }
    }

    #[test]
    fn time_strings() {
        assert_eq!(parse_time("60s"), Ok(Duration::from_secs(60)));
        assert_eq!(parse_time("2m"), Ok(Duration::from_secs(120)));
        assert!(parse_time("x").is_err());
    }
}
