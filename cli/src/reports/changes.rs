//! `report --baseline OLD.json`: what changed between two `results.json` documents — per target,
//! new failures, fixes and other outcome changes; new and removed trials; new and removed
//! targets — printed and written to `CHANGES.md`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use super::results::{OutcomeName, ResultsDoc};

/// One trial whose outcome on a target changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// The target id.
    pub target: String,
    /// The trial id.
    pub trial: String,
    /// Before (`None`: the trial or target is new).
    pub before: Option<OutcomeName>,
    /// After.
    pub after: OutcomeName,
}

/// The differences between two runs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// Was passing (or skipped, xfail...) or absent; now fails, errors or passes unexpectedly.
    pub new_failures: Vec<Change>,
    /// Was failing or erroring; now passes (or is an expected failure).
    pub fixes: Vec<Change>,
    /// Any other outcome change (e.g. pass → skip).
    pub other: Vec<Change>,
    /// Trials in the new run only.
    pub new_trials: Vec<String>,
    /// Trials in the old run only.
    pub removed_trials: Vec<String>,
    /// Targets with results in the new run only.
    pub new_targets: Vec<String>,
    /// Targets with results in the old run only.
    pub removed_targets: Vec<String>,
}

impl Changes {
    /// Compares `old` with `new`.
    pub fn between(old: &ResultsDoc, new: &ResultsDoc) -> Self {
        let index = |d: &ResultsDoc| -> BTreeMap<(String, String), OutcomeName> {
            d.results.iter().map(|r| ((r.target.clone(), r.trial.clone()), r.outcome)).collect()
        };
        let ran = |d: &ResultsDoc| -> BTreeSet<String> {
            d.targets.iter().filter(|t| t.available).map(|t| t.id.clone()).collect()
        };
        let before = index(old);
        let (old_targets, new_targets) = (ran(old), ran(new));
        let old_trials: BTreeSet<&str> = old.trials.iter().map(|t| t.id.as_str()).collect();
        let new_trials: BTreeSet<&str> = new.trials.iter().map(|t| t.id.as_str()).collect();
        let mut c = Changes {
            new_trials: new
                .trials
                .iter()
                .filter(|t| !old_trials.contains(t.id.as_str()))
                .map(|t| t.id.clone())
                .collect(),
            removed_trials: old
                .trials
                .iter()
                .filter(|t| !new_trials.contains(t.id.as_str()))
                .map(|t| t.id.clone())
                .collect(),
            new_targets: new_targets.difference(&old_targets).cloned().collect(),
            removed_targets: old_targets.difference(&new_targets).cloned().collect(),
            ..Changes::default()
        };
        // In new-run order, so that the lists read like the report.
        for r in &new.results {
            if !old_targets.contains(&r.target) {
                continue;
            }
            let was = before.get(&(r.target.clone(), r.trial.clone())).copied();
            if was == Some(r.outcome) {
                continue;
            }
            let change = Change { target: r.target.clone(), trial: r.trial.clone(), before: was, after: r.outcome };
            let was_bad = was.is_some_and(OutcomeName::is_bad);
            if r.outcome.is_bad() && !was_bad {
                c.new_failures.push(change);
            } else if was_bad && matches!(r.outcome, OutcomeName::Pass | OutcomeName::Xfail) {
                c.fixes.push(change);
            } else if was.is_some() {
                c.other.push(change);
            }
        }
        c
    }

    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        *self == Changes::default()
    }

    /// The Markdown (also what `report --baseline` prints).
    pub fn render(&self, old: &ResultsDoc, new: &ResultsDoc) -> String {
        let mut out = String::from("# Changes since the baseline\n\n");
        let _ = writeln!(out, "Baseline generated at {}; this run at {}.\n", old.generated_at, new.generated_at);
        if self.is_empty() {
            out.push_str("No changes.\n");
            return out;
        }
        let _ = writeln!(
            out,
            "new failures: {}, fixed: {}, other outcome changes: {}, new trials: {}, removed trials: {}.\n",
            self.new_failures.len(),
            self.fixes.len(),
            self.other.len(),
            self.new_trials.len(),
            self.removed_trials.len()
        );
        let list = |out: &mut String, title: &str, items: &[Change]| {
            if items.is_empty() {
                return;
            }
            let _ = writeln!(out, "## {title} ({})\n", items.len());
            for c in items {
                let was = c.before.map_or("(new)", OutcomeName::name);
                let _ = writeln!(out, "- `{}` {} → **{}**: {}", c.target, was, c.after.name(), c.trial);
            }
            out.push('\n');
        };
        list(&mut out, "New failures", &self.new_failures);
        list(&mut out, "Fixes", &self.fixes);
        list(&mut out, "Other outcome changes", &self.other);
        let names = |out: &mut String, title: &str, items: &[String]| {
            if items.is_empty() {
                return;
            }
            let _ = writeln!(out, "## {title} ({})\n", items.len());
            for i in items {
                let _ = writeln!(out, "- {i}");
            }
            out.push('\n');
        };
        names(&mut out, "New trials", &self.new_trials);
        names(&mut out, "Removed trials", &self.removed_trials);
        names(&mut out, "New targets", &self.new_targets);
        names(&mut out, "Targets no longer reported", &self.removed_targets);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reports::results::tests::sample;

    #[test]
    fn classifies_failures_fixes_and_new_or_removed_trials() {
        let old = sample();
        let mut new = sample();
        // a: pass → fail; a: fail → pass; trial `two` renamed.
        new.results[0].outcome = OutcomeName::Fail;
        new.results[1].outcome = OutcomeName::Pass;
        new.results[5].outcome = OutcomeName::Skip;
        let renamed = "d::renamed [rfc6265bis]".to_owned();
        new.trials[2].id = renamed.clone();
        new.results[2].trial = renamed.clone();
        new.results[5].trial = renamed.clone();
        let c = Changes::between(&old, &new);
        assert_eq!(c.new_failures.len(), 1);
        assert_eq!(c.new_failures[0].before, Some(OutcomeName::Pass));
        assert_eq!(c.fixes.len(), 1);
        assert_eq!(c.fixes[0].trial, "d::one [layered-cookies]");
        assert_eq!(c.new_trials, [renamed]);
        assert_eq!(c.removed_trials, ["d::two <&> \"q\" [rfc6265bis]"]);
        // Results of a renamed trial have no "before": not an outcome change.
        assert!(c.other.is_empty(), "{:?}", c.other);
        let md = c.render(&old, &new);
        assert!(md.contains("## New failures (1)\n\n- `a` pass → **fail**: d::one [rfc6265bis]"), "{md}");
        assert!(Changes::between(&old, &old).is_empty());
        assert!(Changes::between(&old, &old).render(&old, &old).contains("No changes."));
    }
}
