//! `cookie-conformance fidelity --target ADAPTER`: is the adapter's verdict the real client's?
//!
//! Every case the live client can run ([`crate::live::driven`]: no request contexts; a virtual
//! clock when its program can show the library one, else short advances only) runs twice, on the adapter (the library
//! driven through the adapter protocol) and on the client it models (the library inside its own
//! HTTP client, over real sockets), and the two answers are compared: the outcome, and for a
//! failure the step and what the target answered there. Every difference is either listed, with
//! its cause, in a known-differences file (`cli/fidelity/<adapter>.yaml`, the format of an
//! expected-failures file: case name → cause), or the command fails; so does a listed case that
//! no longer differs. An `order_only` entry is for a jar whose Cookie order varies from run to
//! run (a hash map): the two answers may then differ in the order of the cookies alone (a pass
//! against a Cookie-order-only failure, or two orders), and agreeing is no staleness.

use std::path::PathBuf;

use anyhow::Context as _;
use reference_jar::Profile;

use cookie_conformance::needs::Needs;
use cookie_conformance::outcome::{CaseResult, Outcome};
use cookie_conformance::{Corpus, Xfail};

/// `cookie-conformance fidelity`.
#[derive(Clone, Debug, clap::Args)]
pub struct FidelityArgs {
    /// The adapter (of adapters/targets.yaml, with a `live:` client).
    #[arg(long)]
    pub target: String,
    /// Known differences: case name → cause (default: the tool's cli/fidelity/<adapter>.yaml
    /// when it exists).
    #[arg(long, value_name = "FILE")]
    pub known: Option<PathBuf>,
    /// Only cases whose `area::name` contains this.
    #[arg(long, value_name = "SUBSTR")]
    pub filter: Option<String>,
}

/// What a target answered, for comparing: the outcome and, for a failure, where and what.
fn answer(r: &CaseResult) -> (Outcome, Option<usize>, Option<serde_json::Value>, Option<&str>) {
    match r.outcome {
        Outcome::Fail => (Outcome::Fail, r.step, r.actual.clone(), None),
        // Two errors are the same answer only with the same message.
        Outcome::Error => (Outcome::Error, None, None, r.reason.as_deref()),
        o => (o, None, None, None),
    }
}

/// The two answers differ in the order of Cookie pairs alone: each is a pass or a failure in
/// order only, or both fail at the same step with the same pairs in other orders.
fn same_but_for_order(a: &CaseResult, b: &CaseResult) -> bool {
    let right_but_for_order = |r: &CaseResult| r.outcome == Outcome::Pass || (r.outcome == Outcome::Fail && r.order_only);
    if right_but_for_order(a) && right_but_for_order(b) {
        return true;
    }
    let pairs = |r: &CaseResult| match &r.actual {
        Some(serde_json::Value::String(s)) => {
            let mut p: Vec<&str> = s.split("; ").collect();
            p.sort_unstable();
            Some(p.join("; "))
        }
        _ => None,
    };
    a.outcome == Outcome::Fail && b.outcome == Outcome::Fail && a.step == b.step && pairs(a).is_some() && pairs(a) == pairs(b)
}

fn show(r: &CaseResult) -> String {
    match r.outcome {
        Outcome::Fail => format!(
            "fail at step {}: {}",
            r.step.map_or("?".to_owned(), |s| s.to_string()),
            r.actual.as_ref().map_or("(nothing)".to_owned(), |a| a.to_string())
        ),
        Outcome::Pass => "pass".to_owned(),
        Outcome::Skip => format!("refused: {}", r.reason.as_deref().unwrap_or("")),
        o => format!("{}: {}", o.name(), r.reason.as_deref().unwrap_or("")),
    }
}

/// Runs `cookie-conformance fidelity`; `build` makes a target by name.
pub fn main(args: FidelityArgs, build: &dyn Fn(&str) -> anyhow::Result<Box<dyn cookie_conformance::Target>>) -> anyhow::Result<bool> {
    let live_name = format!("{}{}", args.target, crate::live::driven::SUFFIX);
    let known_path = args.known.clone().unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fidelity").join(format!("{}.yaml", args.target))
    });
    let corpus = Corpus::embedded().context("loading the embedded case corpus")?;
    let known = if known_path.is_file() {
        let k = Xfail::load(&known_path)?;
        k.check(&corpus)?;
        Some(k)
    } else if args.known.is_some() {
        anyhow::bail!("--known {}: no such file", known_path.display());
    } else {
        None
    };
    let mut live = build(&live_name).with_context(|| format!("starting `{live_name}`"))?;
    let mut adapter = build(&args.target).with_context(|| format!("starting `{}`", args.target))?;
    let (live_caps, adapter_caps) = (live.capabilities(), adapter.capabilities());
    println!("fidelity of `{}` ({}) against {}", args.target, adapter.name(), live.name());
    let profile = Profile::Rfc6265bis;
    let (mut compared, mut same, mut skipped) = (0, 0, 0);
    let mut unexpected = Vec::new();
    let mut explained = Vec::new();
    let mut stale = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for case in corpus.cases() {
        if !case.profiles.contains(&profile) || args.filter.as_ref().is_some_and(|f| !case.full_name().contains(f.as_str())) {
            continue;
        }
        let needs = Needs::of(case, profile);
        if needs.unmet(profile, &live_caps).is_some() || needs.unmet(profile, &adapter_caps).is_some() {
            skipped += 1;
            continue;
        }
        let real = cookie_conformance::run::run_case_with(&mut *live, &live_caps, case, profile, None, false);
        let modelled = cookie_conformance::run::run_case_with(&mut *adapter, &adapter_caps, case, profile, None, false);
        // Both refuse the case (a URL neither client requests): nothing to compare. The real
        // client alone refusing it (its parser rejects the response) while the adapter answers is
        // a difference: the adapter then judges bytes no user of the client meets.
        if real.outcome == Outcome::Skip && modelled.outcome == Outcome::Skip {
            skipped += 1;
            continue;
        }
        compared += 1;
        seen.insert(case.name.as_str());
        let entry = known.as_ref().and_then(|k| k.entry(&case.name, profile));
        let order_tolerated = entry.is_some_and(|e| e.order_only) && same_but_for_order(&real, &modelled);
        if answer(&real) == answer(&modelled) || order_tolerated {
            same += 1;
            if let Some(e) = entry.filter(|e| !e.order_only) {
                stale.push(format!("{}: listed ({}) but the answers agree", case.full_name(), e.reason));
            }
            continue;
        }
        let line = format!("{}\n    live client: {}\n    adapter:     {}", case.full_name(), show(&real), show(&modelled));
        match entry {
            Some(e) => explained.push(format!("{line}\n    cause:       {}", e.reason)),
            None => unexpected.push(line),
        }
    }
    if compared == 0 {
        anyhow::bail!("no case could be compared: the live client or the adapter ran nothing");
    }
    // A listed difference whose case was not compared at all (filtered out aside) explains
    // nothing any more.
    for e in known.iter().flat_map(|k| k.entries.iter()) {
        let filtered = args.filter.as_ref().is_some_and(|f| corpus.get(&e.name).is_none_or(|c| !c.full_name().contains(f.as_str())));
        if !filtered && !seen.contains(e.name.as_str()) {
            stale.push(format!("{}: listed ({}) but not compared (one side cannot run it)", e.name, e.reason));
        }
    }
    for e in &explained {
        println!("known difference: {e}");
    }
    for u in &unexpected {
        println!("DIFFERENCE: {u}");
    }
    for s in &stale {
        println!("STALE: {s}");
    }
    println!(
        "{compared} cases compared ({skipped} not run by both): {same} identical, {} known differences, {} unexplained, {} stale entries",
        explained.len(),
        unexpected.len(),
        stale.len()
    );
    Ok(unexpected.is_empty() && stale.is_empty())
}
