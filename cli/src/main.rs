//! `cookie-conformance`: run the case corpus against a target, print the JSON schema of case
//! files, list targets and trials.

use std::collections::BTreeMap;
use std::io::IsTerminal as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _};
use clap::{Args, Parser, Subcommand};
use cookie_conformance::needs::Needs;
use cookie_conformance::outcome::{CaseResult, Outcome, Summary};
use cookie_conformance::reference_jar::Profile;
use cookie_conformance::report::{Report, TargetInfo};
use cookie_conformance::select::Selection;
use cookie_conformance::{Corpus, Xfail};
use cookie_conformance_cli::targets;
use indicatif::{ProgressBar, ProgressStyle};

#[derive(Parser)]
#[command(name = "cookie-conformance", version, about = "Conformance suite for HTTP cookie jars (RFC 6265bis)")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the cases against a target; exit 0 only if nothing failed, errored or passed unexpectedly.
    Run(RunArgs),
    /// Print the JSON Schema of case files (checked in as cases/schema.json).
    Schema,
    /// List the targets `--target` accepts.
    Targets,
    /// List the selected trials (`area::name [profile]`) and, with --target, why any would be skipped.
    List(ListArgs),
    /// Convert another test corpus into case files (`import http-state DIR --out DIR`).
    Import(cookie_conformance_cli::import::ImportArgs),
    /// Run the cases against several targets; write reports/ (index.html, results.json, junit-*.xml, SUMMARY.md).
    Report(cookie_conformance_cli::reports::ReportArgs),
    /// Print a standalone program in the target's language that reproduces its divergence on a
    /// case with the library alone (from a results file; `report` writes one per failing cell).
    Repro(cookie_conformance_cli::repro::ReproArgs),
    /// Compare an adapter's answers with the real client it models, driven live over loopback
    /// (its `live:` program); every difference must be listed with its cause.
    Fidelity(cookie_conformance_cli::fidelity::FidelityArgs),
    /// Serve the reference jar over the adapter protocol (adapters/PROTOCOL.md) on 127.0.0.1.
    Serve(ServeArgs),
    /// Measure steps/s of targets on the corpus, with parallel sessions, in one run.
    Bench(BenchArgs),
    /// Differential fuzzing: scenarios on the reference jar and other targets; every bucket of
    /// disagreements is minimized into a YAML case (`--targets reference,cookie_store,cookie`).
    Fuzz(cookie_conformance_cli::fuzz::FuzzArgs),
}

#[derive(Args)]
struct ServeArgs {
    /// The port (0: any free port; the first stdout line says which: `LISTENING <port>`).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// The in-process jar to serve: `reference`, or `cookie_store` (the rust-cookie-store
    /// adapter: cookie_store as reqwest drives it).
    #[arg(long, default_value = "reference")]
    jar: String,
}

#[derive(Args)]
struct BenchArgs {
    /// Comma-separated targets: `reference`, `cookie_store`, `curl`, `wget`, `chromium`, `firefox` and `webkit`
    /// (the live clients: one worker each), adapter names from adapters/targets.yaml, `adapter:URL`, and
    /// `serve` (the reference jar behind an in-process `serve`).
    #[arg(long, value_delimiter = ',', default_value = "reference,serve")]
    targets: Vec<String>,
    /// Workers (sessions) per target.
    #[arg(long, default_value_t = 2)]
    jobs: usize,
    /// Minimum measuring time per target, in seconds (whole passes over the corpus).
    #[arg(long, default_value_t = 3.0)]
    seconds: f64,
    /// Run the install command of each adapter of adapters/targets.yaml first.
    #[arg(long)]
    install: bool,
    #[command(flatten)]
    select: SelectArgs,
}

#[derive(Args)]
struct SelectArgs {
    /// Load cases from this directory instead of the corpus embedded in the binary.
    #[arg(long, value_name = "DIR")]
    cases: Option<PathBuf>,
    /// Only cases whose `area::name` contains this.
    #[arg(long, value_name = "SUBSTR")]
    filter: Option<String>,
    /// Only cases with this tag (repeatable: any of them).
    #[arg(long = "tag", value_name = "T")]
    tags: Vec<String>,
    /// Only this profile (repeatable): rfc6265, rfc6265bis, layered-cookies.
    #[arg(long = "profile", value_name = "P", value_parser = parse_profile)]
    profiles: Vec<Profile>,
}

#[derive(Args)]
struct RunArgs {
    /// The target to run (see `cookie-conformance targets`).
    #[arg(long, default_value = "reference")]
    target: String,
    #[command(flatten)]
    select: SelectArgs,
    /// Expected failures: YAML map of case name (or `name [profile]`) to reason.
    #[arg(long, value_name = "FILE")]
    xfail: Option<PathBuf>,
    /// Write the results as JSON to this file (atomically).
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// Print every trial's outcome, and the report of expected failures too.
    #[arg(long, short)]
    verbose: bool,
    /// Also write the results as JUnit XML to this file (atomically).
    #[arg(long, value_name = "FILE")]
    junit: Option<PathBuf>,
    /// Also write the results as a self-contained HTML report to this file (atomically).
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    /// Worker threads (sessions) for adapter targets; 0: one per core, at most 2. In-process
    /// targets always run on one thread.
    #[arg(long, default_value_t = 0)]
    jobs: usize,
    /// For an adapter of adapters/targets.yaml: run its install command first.
    #[arg(long)]
    install: bool,
}

#[derive(Args)]
struct ListArgs {
    /// Show why this target would skip trials.
    #[arg(long)]
    target: Option<String>,
    #[command(flatten)]
    select: SelectArgs,
}

fn parse_profile(s: &str) -> Result<Profile, String> {
    Profile::from_name(s).ok_or_else(|| {
        format!("unknown profile `{s}` (expected one of {})", Profile::ALL.map(Profile::name).join(", "))
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => run(args),
        Command::Schema => {
            print!("{}", cookie_conformance::schema::case_file_schema());
            Ok(true)
        }
        Command::Targets => {
            let mut out = String::new();
            for t in targets::REGISTRY {
                out.push_str(&format!("{:22} {}\n", t.name, t.description));
            }
            let path = cookie_conformance_cli::targets_file::TargetsFile::default_path();
            if let Ok(file) = cookie_conformance_cli::targets_file::TargetsFile::load(&path) {
                for a in &file.adapters {
                    let lib = a.library.as_deref().unwrap_or("");
                    out.push_str(&format!("{:22} adapter ({}): {lib}\n", a.name, path.display()));
                    if let Some(client) = a.live.as_ref().and(a.live_client.as_deref()) {
                        out.push_str(&format!("{:22} live: {client} over loopback (`fidelity --target {}`)\n", format!("{}-live", a.name), a.name));
                    }
                }
            }
            out.push_str(&format!("{:22} an adapter already running at URL (adapters/PROTOCOL.md)\n", "adapter:URL"));
            print_out(&out)
        }
        Command::List(args) => list(args),
        Command::Import(args) => cookie_conformance_cli::import::main(args),
        Command::Report(args) => {
            // Every registered target, then every adapter of adapters/targets.yaml.
            let mut defaults: Vec<String> = targets::names().into_iter().map(str::to_owned).collect();
            let mut adapters = std::collections::HashMap::new();
            let path = cookie_conformance_cli::targets_file::TargetsFile::default_path();
            if let Ok(file) = cookie_conformance_cli::targets_file::TargetsFile::load(&path) {
                for a in &file.adapters {
                    let lib = [a.library.as_deref(), a.version.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" ");
                    let described = match a.live_client.as_deref() {
                        // The client whose path the adapter reproduces, checked by `fidelity`.
                        Some(client) => format!("{lib}, as {client} drives it, through its adapter (checked against that client by `fidelity`)"),
                        None => format!("{lib}, through its adapter (adapters/targets.yaml)"),
                    };
                    adapters.insert(a.name.clone(), described);
                    defaults.push(a.name.clone());
                }
            }
            let describe = |id: &str| match targets::find(id) {
                Some(t) => t.description.to_owned(),
                None => adapters.get(id).cloned().unwrap_or_default(),
            };
            cookie_conformance_cli::reports::main(args, &defaults, &describe, &build_target)
        }
        Command::Repro(args) => cookie_conformance_cli::repro::main(args),
        Command::Fidelity(args) => cookie_conformance_cli::fidelity::main(args, &build_target),
        Command::Serve(args) => match cookie_conformance_cli::serve::ServedJar::from_name(&args.jar) {
            Some(jar) => cookie_conformance_cli::serve::main(args.port, jar).map(|()| true).context("serve"),
            None => Err(anyhow::anyhow!("serve: unknown jar `{}` (known: reference, cookie_store)", args.jar)),
        },
        Command::Bench(args) => bench(args),
        Command::Fuzz(args) => cookie_conformance_cli::fuzz::main(args),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn load(args: &SelectArgs) -> anyhow::Result<Corpus> {
    match &args.cases {
        Some(dir) => Corpus::from_dir(dir).with_context(|| format!("loading cases from {}", dir.display())),
        None => Corpus::embedded().context("loading the embedded case corpus"),
    }
}

fn selection(args: &SelectArgs) -> Selection {
    Selection { filter: args.filter.clone(), tags: args.tags.clone(), profiles: args.profiles.clone() }
}

fn build_target(name: &str) -> anyhow::Result<Box<dyn cookie_conformance::Target>> {
    if let Some((file, adapter)) = cookie_conformance_cli::live::driven::live_adapter(name) {
        return Ok(Box::new(cookie_conformance_cli::live::driven::DrivenClient::start(&file, &adapter)?));
    }
    if targets::find(name).is_none() {
        if let Some(http) = targets::http::cli_target(name) {
            return http;
        }
    }
    let Some(entry) = targets::find(name) else {
        bail!("unknown target `{name}` (known: {})", targets::names().join(", "));
    };
    (entry.build)().with_context(|| format!("starting target `{name}`"))
}

fn list(args: ListArgs) -> anyhow::Result<bool> {
    let corpus = load(&args.select)?;
    let caps = match &args.target {
        Some(name) => Some(build_target(name)?.capabilities()),
        None => None,
    };
    let mut out = String::new();
    for (case, profile) in selection(&args.select).pairs(&corpus) {
        let skip = caps.as_ref().and_then(|c| Needs::of(case, profile).unmet(profile, c));
        match skip {
            Some(why) => out.push_str(&format!("[{profile}] {}  ({})  SKIP: {why}\n", case.full_name(), case.origin)),
            None => out.push_str(&format!("[{profile}] {}  ({})\n", case.full_name(), case.origin)),
        }
    }
    print_out(&out)
}

/// Writes a listing to stdout; a reader that stops early (`| head`) is not an error.
fn print_out(text: &str) -> anyhow::Result<bool> {
    use std::io::Write as _;
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e).context("writing to stdout"),
        _ => Ok(true),
    }
}

fn run(args: RunArgs) -> anyhow::Result<bool> {
    // Output paths first: a typo must not cost a whole run.
    for (flag, path) in [("--json", &args.json), ("--junit", &args.junit), ("--html", &args.html)] {
        if let Some(path) = path {
            cookie_conformance::atomic::check_writable(path).with_context(|| format!("{flag} {}", path.display()))?;
        }
    }
    let load_started = Instant::now();
    let corpus = load(&args.select)?;
    let xfail = match &args.xfail {
        Some(path) => {
            let x = Xfail::load(path)?;
            x.check(&corpus)?;
            x
        }
        None => Xfail::default(),
    };
    let load_time = load_started.elapsed();
    if args.install && targets::find(&args.target).is_none() {
        targets::http::install(&args.target)?;
    }
    // Adapter targets run on several sessions at once; `target` is then one more session.
    let mut http_workers = match targets::find(&args.target) {
        Some(_) => None,
        None => targets::http::cli_workers(&args.target, args.jobs, &corpus)?,
    };
    let mut target = match &http_workers {
        Some(w) => targets::http::another_session(&w[0])?,
        None => build_target(&args.target)?,
    };
    let info = TargetInfo { name: target.name(), capabilities: target.capabilities() };
    let pairs = selection(&args.select).pairs(&corpus);
    if pairs.is_empty() {
        eprintln!("warning: the selection matches no case");
    }

    let bar = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(pairs.len() as u64);
        if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}") {
            bar.set_style(style);
        }
        bar
    } else {
        ProgressBar::hidden()
    };
    cookie_conformance_cli::interrupt::install("stopping after the trials under way; sessions are deleted, adapters stopped");
    let started = Instant::now();
    let mut results: Vec<CaseResult> = Vec::with_capacity(pairs.len());
    let sequential = match http_workers.as_mut().filter(|w| w.len() > 1) {
        Some(workers) => {
            let run_one = |t: &mut targets::http::HttpTarget, case: &cookie_conformance::Case, profile: Profile| {
                let entry = xfail.entry(&case.name, profile);
                cookie_conformance::run::run_case_with(t, &info.capabilities, case, profile, entry, false)
            };
            let on_result = |r: &CaseResult| {
                if r.outcome.is_bad() || args.verbose {
                    bar.suspend(|| print_result(r, args.verbose));
                }
                bar.inc(1);
            };
            results = targets::http::workers::run_parallel(workers, &pairs, &run_one, &on_result);
            Vec::new()
        }
        None => pairs.clone(),
    };
    for (case, profile) in sequential {
        if cookie_conformance_cli::interrupt::requested() {
            break;
        }
        let entry = xfail.entry(&case.name, profile);
        let r = cookie_conformance::run::run_case_with(&mut *target, &info.capabilities, case, profile, entry, false);
        if r.outcome.is_bad() || args.verbose {
            bar.suspend(|| print_result(&r, args.verbose));
        }
        bar.inc(1);
        results.push(r);
    }
    let run_time = started.elapsed();
    bar.finish_and_clear();
    if cookie_conformance_cli::interrupt::requested() {
        // Targets are dropped on the way out: adapter sessions deleted, adapters stopped.
        bail!("interrupted after {} of {} trials; no report written", results.len(), pairs.len());
    }

    let summary = Summary::of(&results);
    print_summary(&info.name, &corpus, &results, &summary, load_time, run_time);
    if let Some(path) = &args.json {
        Report::new(info, &results, run_time)
            .write(path)
            .with_context(|| format!("writing {}", path.display()))?;
        println!("results written to {}", path.display());
    }
    if args.junit.is_some() || args.html.is_some() {
        let description = targets::find(&args.target).map(|t| t.description).unwrap_or_default();
        let name = target.name();
        let caps = target.capabilities();
        let pairs = selection(&args.select).pairs(&corpus);
        cookie_conformance_cli::reports::write_single(
            &pairs, &args.target, description, name, caps, &results, run_time, args.html.as_deref(), args.junit.as_deref(),
        )
        .context("writing the --html/--junit report")?;
    }
    Ok(summary.is_success())
}

fn print_result(r: &CaseResult, verbose: bool) {
    match r.outcome {
        Outcome::Fail | Outcome::Error => {
            println!("{}", r.detail.as_deref().or(r.reason.as_deref()).unwrap_or(""));
        }
        Outcome::Xpass => {
            println!("XPASS {} [{}] ({}:{}): {}\n", r.case, r.profile, r.file, r.line, r.reason.as_deref().unwrap_or(""));
        }
        Outcome::Xfail if verbose => {
            println!("{}", r.detail.as_deref().unwrap_or(""));
        }
        _ if verbose => {
            let why = r.reason.as_deref().map(|w| format!(": {w}")).unwrap_or_default();
            println!("{:5} {} [{}]{why}", r.outcome.name(), r.case, r.profile);
        }
        _ => {}
    }
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn print_summary(target: &str, corpus: &Corpus, results: &[CaseResult], s: &Summary, load: Duration, run: Duration) {
    let mut skipped: BTreeMap<&str, usize> = BTreeMap::new();
    for r in results.iter().filter(|r| r.outcome == Outcome::Skip) {
        *skipped.entry(r.reason.as_deref().unwrap_or("")).or_default() += 1;
    }
    if !skipped.is_empty() {
        println!("skipped:");
        for (why, n) in &skipped {
            println!("  {n:5}  {why}");
        }
    }
    let bad: Vec<&CaseResult> = results.iter().filter(|r| r.outcome.is_bad()).collect();
    if !bad.is_empty() {
        println!("not passing:");
        for r in &bad {
            let order = if r.order_only { " (order only)" } else { "" };
            println!("  {:5} {} [{}]  {}:{}{order}", r.outcome.name(), r.case, r.profile, r.file, r.line);
        }
    }
    let verdict = if s.is_success() { "ok" } else { "FAILED" };
    println!(
        "{verdict}: target {target}: {} trials from a corpus of {} cases in {} (loading {})",
        s.total(),
        corpus.len(),
        ms(run),
        ms(load)
    );
    println!("{s}");
}

/// `bench`: every target measured with `--jobs` workers, then the table.
fn bench(args: BenchArgs) -> anyhow::Result<bool> {
    use cookie_conformance_cli::bench::{measure, render};
    use cookie_conformance_cli::targets::http::{open_workers, Endpoint, HttpOptions};
    let corpus = load(&args.select)?;
    let pairs = selection(&args.select).pairs(&corpus);
    let min_time = Duration::from_secs_f64(args.seconds.max(0.0));
    let jobs = args.jobs.max(1);
    let mut measurements = Vec::new();
    let mut serve_port = None;
    for name in &args.targets {
        eprintln!("bench: {name} ...");
        // In-process targets are built by type: a `Box<dyn Target>` cannot move to a thread.
        let m = if name == "reference" {
            let mut workers: Vec<_> = (0..jobs).map(|_| targets::ReferenceTarget::new()).collect();
            measure(name, &mut workers, &pairs, min_time)
        } else if name == "cookie_store" {
            let mut workers = Vec::new();
            for _ in 0..jobs {
                workers.push(targets::CookieStoreTarget::new()?);
            }
            measure(name, &mut workers, &pairs, min_time)
        } else if ["chromium", "firefox", "webkit", "curl", "wget"].contains(&name.as_str()) {
            // Live clients: one worker (Chromium binds ports 80 and 443).
            let mut workers: Vec<Box<dyn cookie_conformance::Target + Send>> = vec![match name.as_str() {
                "chromium" => Box::new(cookie_conformance_cli::live::ChromiumTarget::new()?),
                "firefox" => Box::new(cookie_conformance_cli::live::FirefoxTarget::new()?),
                "webkit" => Box::new(cookie_conformance_cli::live::WebkitTarget::new()?),
                "curl" => Box::new(cookie_conformance_cli::live::CurlTarget::new()?),
                _ => Box::new(cookie_conformance_cli::live::WgetTarget::new()?),
            }];
            measure(name, &mut workers, &pairs, min_time)
        } else if targets::find(name).is_some() {
            bail!("bench cannot run the in-process target `{name}` on worker threads");
        } else {
            let endpoint = if name == "serve" {
                let port = match serve_port {
                    Some(p) => p,
                    None => {
                        let server = cookie_conformance_cli::serve::Server::bind(0).context("binding serve")?;
                        let p = server.port();
                        server.spawn();
                        serve_port = Some(p);
                        p
                    }
                };
                Endpoint::Url(format!("http://127.0.0.1:{port}"))
            } else {
                let endpoint = Endpoint::resolve_default(name).with_context(|| format!("unknown target `{name}`"))?;
                if args.install && matches!(endpoint, Endpoint::Named { .. }) {
                    targets::http::install(name)?;
                }
                endpoint
            };
            let mut workers = open_workers(&endpoint, jobs, &HttpOptions::default())
                .map_err(|e| anyhow::anyhow!("target `{name}` did not start: {e}"))?;
            let fields = std::sync::Arc::new(targets::http::stored_fields(&corpus));
            let plans = std::sync::Arc::new(targets::http::plans(&corpus));
            workers = workers.into_iter().map(|w| w.with_stored_fields(fields.clone()).with_plans(plans.clone())).collect();
            measure(name, &mut workers, &pairs, min_time)
        };
        eprintln!("bench: {name}: {:.0} steps/s", m.steps_per_second());
        measurements.push(m);
    }
    print!("{}", render(&measurements));
    Ok(true)
}
