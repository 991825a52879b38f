//! Running one case, under one profile, on one target: the virtual clock, the steps in order,
//! the comparison of every answer, and the outcome (pass, fail, xfail, xpass, skip, error).

use reference_jar::Profile;

use crate::case::{Case, CookieExpectation, Step};
use crate::compare::Verdict;
use crate::execution::{execute, End, StepRecord};
use crate::needs::Needs;
use crate::outcome::{CaseResult, Outcome};
use crate::target::{Capabilities, Target};
use crate::trace;
use crate::xfail::XfailEntry;

/// Runs one (case, profile) on `target` and classifies the result.
///
/// `caps` are the target's capabilities: a case needing one it lacks is skipped, unless
/// `force` (libtest's `--ignored`) asks to run it anyway. `xfail` is the expected-failure
/// reason for this (case, profile), if listed.
pub fn run_case(
    target: &mut dyn Target,
    caps: &Capabilities,
    case: &Case,
    profile: Profile,
    xfail: Option<&str>,
    force: bool,
) -> CaseResult {
    let entry = xfail.map(|reason| XfailEntry {
        name: case.name.clone(),
        profile: None,
        reason: reason.to_owned(),
        line: 0,
        order_only: false,
    });
    run_case_with(target, caps, case, profile, entry.as_ref(), force)
}

/// The result record of a trial that did not run (yet): outcome `skip`, with `reason`.
pub(crate) fn skipped(case: &Case, profile: Profile, reason: Option<String>) -> CaseResult {
    CaseResult {
        case: case.full_name(),
        file: case.origin.file.clone(),
        line: case.origin.line,
        profile: profile.name().to_owned(),
        outcome: Outcome::Skip,
        reason,
        detail: None,
        step: None,
        expected: None,
        actual: None,
        order_only: false,
        duration_us: 0,
    }
}

/// [`run_case`] with a whole expected-failures entry, which may tolerate Cookie-order
/// differences only (`order_only`): then a pass is a pass, a run whose every failing step
/// differs in order only is an xfail, and anything else is a failure.
pub fn run_case_with(
    target: &mut dyn Target,
    caps: &Capabilities,
    case: &Case,
    profile: Profile,
    xfail: Option<&XfailEntry>,
    force: bool,
) -> CaseResult {
    let mut result = skipped(case, profile, None);
    if !force {
        if let Some(why) = Needs::of(case, profile).unmet(profile, caps) {
            result.reason = Some(why);
            return result;
        }
    }
    let target_name = target.name();
    let exec = execute(target, case, profile);
    result.duration_us = exec.duration_us;
    let failure = exec.first_failure();
    let order_only_entry = xfail.filter(|e| e.order_only);
    let xfail = xfail.filter(|e| !e.order_only).map(|e| e.reason.as_str());
    let (outcome, reason) = match (&exec.end, failure.is_some(), order_only_entry) {
        (End::Completed, true, Some(e)) => {
            if exec.records.iter().filter(|r| r.failed()).all(StepRecord::failed_on_order_only) {
                (Outcome::Xfail, Some(e.reason.clone()))
            } else {
                (
                    Outcome::Fail,
                    Some(format!(
                        "listed as differing in Cookie order only (\"{}\"), but it differs in more than the order",
                        e.reason
                    )),
                )
            }
        }
        (End::Completed, false, Some(_)) => (Outcome::Pass, None),
        (End::Errored(msg), _, Some(_)) => (Outcome::Error, Some(msg.clone())),
        _ => classify(&exec.end, failure.is_some(), xfail),
    };
    result.outcome = outcome;
    result.reason = reason;
    if let Some(i) = failure {
        result.step = Some(i + 1);
        let (expected, actual, order_only) = expected_actual(&case.steps[i], &exec.records[i]);
        result.expected = expected;
        result.actual = actual;
        result.order_only = order_only;
    }
    if matches!(outcome, Outcome::Fail | Outcome::Xfail | Outcome::Error) {
        let notes = crate::explain::explain(case, profile);
        result.detail = Some(trace::render(case, profile, &target_name, &exec, &notes, outcome, result.reason.as_deref()));
    }
    result
}

/// The outcome of a plain (not order-only) expectation: `xfail` is the listed reason, if any.
fn classify(end: &End, failed: bool, xfail: Option<&str>) -> (Outcome, Option<String>) {
    match (end, failed, xfail) {
        (End::Unsupported(why), _, _) => (Outcome::Skip, Some(format!("unsupported by the target: {why}"))),
        (End::Errored(msg), _, Some(x)) => (Outcome::Xfail, Some(format!("{x} (the target errored: {msg})"))),
        (End::Errored(msg), _, None) => (Outcome::Error, Some(msg.clone())),
        (End::Completed, true, Some(x)) => (Outcome::Xfail, Some(x.to_owned())),
        (End::Completed, true, None) => (Outcome::Fail, None),
        (End::Completed, false, Some(x)) => (
            Outcome::Xpass,
            Some(format!("listed in the expected-failures file (\"{x}\") but passes: remove the entry")),
        ),
        (End::Completed, false, None) => (Outcome::Pass, None),
    }
}

/// The JSON `expected`/`actual` of a failed step.
fn expected_actual(step: &Step, record: &StepRecord) -> (Option<serde_json::Value>, Option<serde_json::Value>, bool) {
    let Step::Expect(expect) = step else { return (None, None, false) };
    if let (Some(verdict), Some(header)) = (record.verdict, &record.header) {
        if verdict != Verdict::Match {
            let expected = match &expect.cookie {
                Some(CookieExpectation::Exactly(one)) => serde_json::to_value(one).ok(),
                Some(CookieExpectation::AnyOf(many)) => serde_json::to_value(many).ok(),
                None => None,
            };
            let actual = serde_json::to_value(header.as_ref().map(|b| crate::bytes::Bytes(b.clone()))).ok();
            return (expected, actual, verdict == Verdict::OrderOnly);
        }
    }
    let expected = expect.stored.as_ref().and_then(|s| serde_json::to_value(s).ok());
    let actual = record.dump.as_ref().and_then(|d| serde_json::to_value(d.iter().map(crate::compare::describe).collect::<Vec<_>>()).ok());
    (expected, actual, false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::ReferenceTarget;
    use crate::target::{Setup, TargetError};
    use reference_jar::UnixTime;
    use reference_jar::Context;

    fn case(yaml: &str) -> Case {
        let mut c: Case = serde_saphyr::from_str(yaml).unwrap();
        c.origin.file = "cases/t/x.yaml".into();
        c.origin.line = 1;
        c.origin.area = "t".into();
        c
    }

    const TWO: &str = "name: two\nspec: [\"5.8.3\"]\nsteps:\n  - set: { url: \"https://a.example/\", cookies: [\"a=1\", \"b=2\"] }\n  - expect: { url: \"https://a.example/\", cookie: \"a=1; b=2\" }\n";

    fn run(t: &mut dyn Target, c: &Case, xfail: Option<&str>) -> CaseResult {
        let caps = t.capabilities();
        run_case(t, &caps, c, Profile::Rfc6265bis, xfail, false)
    }

    #[test]
    fn reference_passes_and_xfail_turns_into_xpass() {
        let c = case(TWO);
        let r = run(&mut ReferenceTarget::new(), &c, None);
        assert_eq!(r.outcome, Outcome::Pass, "{:?}", r.detail);
        let r = run(&mut ReferenceTarget::new(), &c, Some("we think it fails"));
        assert_eq!(r.outcome, Outcome::Xpass);
        assert!(r.reason.unwrap().contains("remove the entry"));
    }

    /// The reference jar, answering its cookie-pairs in reverse order.
    struct Reversed(ReferenceTarget);
    impl Target for Reversed {
        fn name(&self) -> String {
            "reversed".into()
        }
        fn capabilities(&self) -> Capabilities {
            Capabilities::all()
        }
        fn reset(&mut self, s: &Setup) -> Result<(), TargetError> {
            self.0.reset(s)
        }
        fn set_cookies(&mut self, u: &str, l: &[Vec<u8>], c: &Context, n: UnixTime) -> Result<(), TargetError> {
            self.0.set_cookies(u, l, c, n)
        }
        fn cookie_header(&mut self, u: &str, c: &Context, n: UnixTime) -> Result<Option<Vec<u8>>, TargetError> {
            Ok(self.0.cookie_header(u, c, n)?.map(|h| {
                let mut p = crate::compare::pairs(&h);
                p.reverse();
                p.join(&b"; "[..])
            }))
        }
    }

    #[test]
    fn order_only_failure_is_flagged() {
        let r = run(&mut Reversed(ReferenceTarget::new()), &case(TWO), None);
        assert_eq!(r.outcome, Outcome::Fail);
        assert!(r.order_only);
        assert_eq!(r.step, Some(2));
        assert_eq!(r.expected, Some(serde_json::json!("a=1; b=2")));
        assert_eq!(r.actual, Some(serde_json::json!("b=2; a=1")));
        let detail = r.detail.unwrap();
        assert!(detail.contains("order only"), "{detail}");
        let r = run(&mut Reversed(ReferenceTarget::new()), &case(TWO), Some("known"));
        assert_eq!(r.outcome, Outcome::Xfail);
        assert_eq!(r.reason.as_deref(), Some("known"));
    }

    fn order_entry(reason: &str) -> XfailEntry {
        XfailEntry { name: "two".into(), profile: None, reason: reason.into(), line: 1, order_only: true }
    }

    #[test]
    fn order_only_entry_tolerates_order_and_nothing_else() {
        let caps = Capabilities::all();
        let entry = order_entry("hash map order");
        let mut reversed = Reversed(ReferenceTarget::new());
        let r = run_case_with(&mut reversed, &caps, &case(TWO), Profile::Rfc6265bis, Some(&entry), false);
        assert_eq!(r.outcome, Outcome::Xfail);
        assert_eq!(r.reason.as_deref(), Some("hash map order"));
        assert!(r.order_only);
        // The right order is a pass, not an xpass: the order may come out right by chance.
        let r = run_case_with(&mut ReferenceTarget::new(), &caps, &case(TWO), Profile::Rfc6265bis, Some(&entry), false);
        assert_eq!(r.outcome, Outcome::Pass);
        assert_eq!(r.reason, None);
        // A difference beyond the order is a failure, even after an order-only step.
        let worse = case(&format!("{TWO}  - expect: {{ url: \"https://a.example/\", cookie: \"a=1\" }}\n"));
        let r = run_case_with(&mut reversed, &caps, &worse, Profile::Rfc6265bis, Some(&entry), false);
        assert_eq!(r.outcome, Outcome::Fail);
        assert!(r.reason.unwrap().contains("more than the order"));
    }

    struct Panicky;
    impl Target for Panicky {
        fn name(&self) -> String {
            "panicky".into()
        }
        fn capabilities(&self) -> Capabilities {
            Capabilities::default()
        }
        fn reset(&mut self, _: &Setup) -> Result<(), TargetError> {
            Ok(())
        }
        fn set_cookies(&mut self, _: &str, _: &[Vec<u8>], _: &Context, _: UnixTime) -> Result<(), TargetError> {
            panic!("boom")
        }
        fn cookie_header(&mut self, _: &str, _: &Context, _: UnixTime) -> Result<Option<Vec<u8>>, TargetError> {
            Err(TargetError::failed("adapter went away"))
        }
    }

    #[test]
    fn panics_and_target_errors_are_errors() {
        let r = run(&mut Panicky, &case(TWO), None);
        assert_eq!(r.outcome, Outcome::Error);
        let reason = r.reason.unwrap();
        assert!(reason.contains("panicked: boom at "), "{reason}");
        let detail = r.detail.unwrap();
        assert!(detail.contains("ERROR"), "{detail}");
        let only_expect = case("name: e\nspec: [a]\nsteps:\n  - expect: { url: \"https://a/\", cookie: null }\n");
        let r = run(&mut Panicky, &only_expect, None);
        assert_eq!(r.outcome, Outcome::Error);
        assert!(r.reason.unwrap().contains("adapter went away"));
    }

    #[test]
    fn missing_capability_is_a_skip_unless_forced() {
        let c = case(&TWO.replace("steps:", "now: 2026-02-01T00:00:00Z\nsteps:"));
        let mut t = Panicky;
        let r = run_case(&mut t, &Capabilities::default(), &c, Profile::Rfc6265bis, None, false);
        assert_eq!(r.outcome, Outcome::Skip);
        assert_eq!(r.reason.as_deref(), Some("target lacks a virtual clock (`now`, `advance`, or an Expires date after the start)"));
        let r = run_case(&mut t, &Capabilities::default(), &c, Profile::Rfc6265bis, None, true);
        assert_eq!(r.outcome, Outcome::Error);
    }

    #[test]
    fn virtual_clock_and_stored() {
        let c = case("name: clock\nspec: [\"5.6.2\"]\nnow: 2026-03-01T00:00:00Z\nsteps:\n  - set: { url: \"https://a.example/\", cookies: [\"a=1; Max-Age=60\"] }\n  - expect: { stored: [{ name: a, persistent: true, expires: 2026-03-01T00:01:00Z }] }\n  - advance: 61s\n  - expect: { url: \"https://a.example/\", cookie: null }\n  - expect: { stored: [] }\n");
        let r = run(&mut ReferenceTarget::new(), &c, None);
        assert_eq!(r.outcome, Outcome::Pass, "{}", r.detail.unwrap_or_default());
        let wrong = case(&c_yaml_wrong_stored());
        let r = run(&mut ReferenceTarget::new(), &wrong, None);
        assert_eq!(r.outcome, Outcome::Fail);
        assert_eq!(r.step, Some(2));
        assert!(r.detail.unwrap().contains("no stored cookie matches expected entry #1"));
    }

    fn c_yaml_wrong_stored() -> String {
        "name: wrong\nspec: [\"5.7\"]\nsteps:\n  - set: { url: \"https://a.example/\", cookies: [\"a=1\"] }\n  - expect: { stored: [{ name: a, secure: true }] }\n".to_owned()
    }
}
