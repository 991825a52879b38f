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
use cookie_conformance::{targets, Corpus, Xfail};
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
            for t in targets::REGISTRY {
                println!("{:12} {}", t.name, t.description);
            }
            Ok(true)
        }
        Command::List(args) => list(args),
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
    for (case, profile) in selection(&args.select).pairs(&corpus) {
        let skip = caps.as_ref().and_then(|c| Needs::of(case, profile).unmet(profile, c));
        match skip {
            Some(why) => println!("[{profile}] {}  ({})  SKIP: {why}", case.full_name(), case.origin),
            None => println!("[{profile}] {}  ({})", case.full_name(), case.origin),
        }
    }
    Ok(true)
}

fn run(args: RunArgs) -> anyhow::Result<bool> {
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
    let mut target = build_target(&args.target)?;
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
    let started = Instant::now();
    let mut results: Vec<CaseResult> = Vec::with_capacity(pairs.len());
    for (case, profile) in pairs {
        let reason = xfail.reason(&case.name, profile);
        let r = cookie_conformance::run_case(&mut *target, &info.capabilities, case, profile, reason, false);
        if r.outcome.is_bad() || args.verbose {
            bar.suspend(|| print_result(&r, args.verbose));
        }
        bar.inc(1);
        results.push(r);
    }
    let run_time = started.elapsed();
    bar.finish_and_clear();

    let summary = Summary::of(&results);
    print_summary(&info.name, &corpus, &results, &summary, load_time, run_time);
    if let Some(path) = &args.json {
        Report::new(info, &results, run_time)
            .write(path)
            .with_context(|| format!("writing {}", path.display()))?;
        println!("results written to {}", path.display());
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
