//! `cookie-conformance bench`: throughput of targets on the case corpus, in steps per second,
//! with several workers (sessions) per target, all measured in the same run.
//!
//! A *step* is a `set` or `expect` step of a case (what reaches the jar; `advance` only moves
//! the runner's clock). Only the trials a target can run count (skipped ones are left out).
//! Every target runs the corpus in whole passes until at least the requested time has passed.
//! Trials a real-clock target would sleep through (`advance` steps) are left out too: their
//! time is the sleep, not the target. Besides steps/s, the table gives milliseconds per trial
//! and per step, the measure that matters for live clients such as Chromium.

use std::time::{Duration, Instant};

use reference_jar::Profile;

use cookie_conformance::case::{Case, Step};
use cookie_conformance::needs::Needs;
use cookie_conformance::outcome::Outcome;
use cookie_conformance::target::Target;
use crate::targets::http::workers::{plain, run_parallel};

/// One target's measurement.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Measurement {
    /// The name asked for.
    pub target: String,
    /// The target's own name.
    pub name: String,
    /// Worker threads (sessions).
    pub workers: usize,
    /// Trials run (every pass).
    pub trials: u64,
    /// Steps run.
    pub steps: u64,
    /// Passes over the runnable trials.
    pub passes: u64,
    /// Trials of the first pass that errored.
    pub errors: u64,
    /// Wall time.
    pub elapsed: Duration,
    /// Mean milliseconds of the two-step trials (one `set`, one `expect`) of the first pass:
    /// a plain "set a cookie, read it back" case, the measure given for live clients.
    pub two_step_ms: Option<f64>,
}

impl Measurement {
    /// Steps per second.
    pub fn steps_per_second(&self) -> f64 {
        self.steps as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// Milliseconds per trial (a case under one profile), all workers together.
    pub fn ms_per_trial(&self) -> f64 {
        self.elapsed.as_secs_f64() * 1000.0 / (self.trials.max(1) as f64) * self.workers.max(1) as f64
    }

    /// Milliseconds per step, per worker.
    pub fn ms_per_step(&self) -> f64 {
        self.elapsed.as_secs_f64() * 1000.0 / (self.steps.max(1) as f64) * self.workers.max(1) as f64
    }
}

fn steps_of(case: &Case) -> u64 {
    case.steps.iter().filter(|s| !matches!(s, Step::Advance(_))).count() as u64
}

/// Runs the runnable trials of `pairs` on `workers` (one thread each) in whole passes until
/// `min_time` has passed.
pub fn measure<T: Target + Send>(label: &str, workers: &mut [T], pairs: &[(&Case, Profile)], min_time: Duration) -> Measurement {
    let Some(first) = workers.first() else {
        return Measurement { target: label.to_owned(), ..Measurement::default() };
    };
    let caps = first.capabilities();
    let name = first.name();
    let runnable: Vec<(&Case, Profile)> = pairs
        .iter()
        .copied()
        .filter(|(c, p)| {
            let needs = Needs::of(c, *p);
            needs.unmet(*p, &caps).is_none() && (caps.virtual_clock || needs.advance == 0)
        })
        .collect();
    let per_pass: u64 = runnable.iter().map(|(c, _)| steps_of(c)).sum();
    let started = Instant::now();
    let (mut passes, mut errors) = (0u64, 0u64);
    let two_step: std::collections::HashSet<(String, String)> = runnable
        .iter()
        .filter(|(c, _)| steps_of(c) == 2)
        .map(|(c, p)| (c.full_name(), p.name().to_owned()))
        .collect();
    let mut two_step_ms = None;
    loop {
        let results = run_parallel(workers, &runnable, &plain(&caps), &|_| {});
        if passes == 0 {
            errors = results.iter().filter(|r| r.outcome == Outcome::Error).count() as u64;
            let times: Vec<u64> = results
                .iter()
                .filter(|r| two_step.contains(&(r.case.clone(), r.profile.clone())))
                .map(|r| r.duration_us)
                .collect();
            if !times.is_empty() {
                two_step_ms = Some(times.iter().sum::<u64>() as f64 / times.len() as f64 / 1000.0);
            }
        }
        passes += 1;
        if started.elapsed() >= min_time || runnable.is_empty() {
            break;
        }
    }
    let elapsed = started.elapsed();
    Measurement {
        target: label.to_owned(),
        name,
        workers: workers.len(),
        trials: passes * runnable.len() as u64,
        steps: passes * per_pass,
        passes,
        errors,
        elapsed,
        two_step_ms,
    }
}

/// The table `bench` prints: steps/s per target and the ratio to the fastest.
pub fn render(ms: &[Measurement]) -> String {
    let fastest = ms.iter().map(Measurement::steps_per_second).fold(0.0_f64, f64::max);
    let mut out = format!(
        "{:<24} {:>7} {:>9} {:>11} {:>7} {:>8} {:>12} {:>9} {:>10} {:>9} {:>10}\n",
        "target", "workers", "trials", "steps", "passes", "errors", "steps/s", "vs best", "ms/trial", "ms/step", "ms/2-step"
    );
    for m in ms {
        let sps = m.steps_per_second();
        let ratio = if sps > 0.0 { fastest / sps } else { f64::INFINITY };
        out.push_str(&format!(
            "{:<24} {:>7} {:>9} {:>11} {:>7} {:>8} {:>12.0} {:>8.1}x {:>10.3} {:>9.3} {:>10}\n",
            m.target,
            m.workers,
            m.trials,
            m.steps,
            m.passes,
            m.errors,
            sps,
            ratio,
            m.ms_per_trial(),
            m.ms_per_step(),
            m.two_step_ms.map_or("-".to_owned(), |ms| format!("{ms:.3}"))
        ));
    }
    out.push_str("(ms/trial and ms/step are per worker: a session's latency; ms/2-step: the mean time of one set-then-expect trial)\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::targets::ReferenceTarget;
    use cookie_conformance::Corpus;

    #[test]
    fn measures_whole_passes() {
        let corpus = Corpus::embedded().unwrap();
        // Ten two-step cases (one set, one expect) and ten others.
        let (two, other): (Vec<&Case>, Vec<&Case>) = corpus.cases().iter().partition(|c| steps_of(c) == 2);
        let pairs: Vec<(&Case, Profile)> =
            two.into_iter().take(10).chain(other.into_iter().take(10)).map(|c| (c, Profile::Rfc6265bis)).collect();
        let mut w = vec![ReferenceTarget::new(), ReferenceTarget::new()];
        let m = measure("reference", &mut w, &pairs, Duration::ZERO);
        assert_eq!((m.passes, m.trials, m.workers, m.errors), (1, 20, 2, 0));
        assert!(m.steps >= 20 && m.steps_per_second() > 0.0);
        let table = render(&[m.clone(), Measurement { target: "slow".into(), elapsed: m.elapsed * 4, ..m.clone() }]);
        assert!(table.contains("1.0x") && table.contains("4.0x"), "{table}");
        assert!(m.two_step_ms.is_some_and(|ms| ms >= 0.0), "{:?}", m.two_step_ms);
        let none = measure("reference", &mut w, &pairs[10..], Duration::ZERO);
        assert_eq!(none.two_step_ms, None, "no two-step trial, no figure");
    }
}
