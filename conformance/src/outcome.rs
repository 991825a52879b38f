//! Outcomes of running a case on a target, one record per (case, profile), and the tally.

use serde::Serialize;

/// What became of one (case, profile) on one target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// Every expectation held.
    Pass,
    /// An expectation did not hold.
    Fail,
    /// It failed, and the expected-failures file says it would (with a reason).
    Xfail,
    /// It passed although the expected-failures file says it fails: the file is stale.
    Xpass,
    /// The target lacks a capability the case needs (with the reason).
    Skip,
    /// The target misbehaved: returned an error or panicked.
    Error,
}

impl Outcome {
    /// Whether this outcome makes a run unsuccessful.
    pub fn is_bad(self) -> bool {
        matches!(self, Outcome::Fail | Outcome::Xpass | Outcome::Error)
    }

    /// The name used in reports.
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::Xfail => "xfail",
            Outcome::Xpass => "xpass",
            Outcome::Skip => "skip",
            Outcome::Error => "error",
        }
    }
}

/// The record of one (case, profile) run.
#[derive(Clone, Debug, Serialize)]
pub struct CaseResult {
    /// The trial name, `area::name`.
    pub case: String,
    /// The case file.
    pub file: String,
    /// The case's line in it.
    pub line: u32,
    /// The profile it ran under.
    pub profile: String,
    /// What happened.
    pub outcome: Outcome,
    /// Skip reason, xfail reason, or error message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The full failure report: step trace, diff, the reference jar's reasons.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The 1-based step of the first failed expectation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<usize>,
    /// What that step expected (a cookie-string, null, a list for `any_of`, or `stored` entries).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<serde_json::Value>,
    /// What the target answered there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actual: Option<serde_json::Value>,
    /// The only difference is the order of the cookie-pairs (§5.8.3 step 4 is a SHOULD).
    pub order_only: bool,
    /// Time spent in the target, in microseconds.
    pub duration_us: u64,
}

/// How many results had each outcome.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
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

impl Summary {
    /// Tallies results.
    pub fn of<'a>(results: impl IntoIterator<Item = &'a CaseResult>) -> Summary {
        let mut s = Summary::default();
        for r in results {
            s.add(r.outcome);
        }
        s
    }

    /// Counts one outcome.
    pub fn add(&mut self, o: Outcome) {
        *match o {
            Outcome::Pass => &mut self.passed,
            Outcome::Fail => &mut self.failed,
            Outcome::Xfail => &mut self.xfail,
            Outcome::Xpass => &mut self.xpass,
            Outcome::Skip => &mut self.skipped,
            Outcome::Error => &mut self.error,
        } += 1;
    }

    /// Whether nothing failed, errored or passed unexpectedly.
    pub fn is_success(&self) -> bool {
        self.failed == 0 && self.xpass == 0 && self.error == 0
    }

    /// The total.
    pub fn total(&self) -> usize {
        self.passed + self.failed + self.xfail + self.xpass + self.skipped + self.error
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} passed, {} failed, {} xfail, {} xpass, {} skipped, {} error",
            self.passed, self.failed, self.xfail, self.xpass, self.skipped, self.error
        )
    }
}
