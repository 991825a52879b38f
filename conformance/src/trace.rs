//! The failure report: every step with its URL, context and lines, what the target answered,
//! a diff at each failed expectation, and the reference jar's reasons beside each step.

use std::fmt::Write as _;

use reference_jar::Profile;

use crate::bytes::escape;
use crate::case::{ApiName, Case, CookieExpectation, Step};
use crate::clock::format_timestamp;
use crate::compare::{diff, show_header, show_stored, Verdict};
use crate::outcome::Outcome;
use crate::execution::{End, Execution};

/// Renders the report of a failed, expected-to-fail or errored execution.
pub(crate) fn render(
    case: &Case,
    profile: Profile,
    target: &str,
    exec: &Execution,
    notes: &[Vec<String>],
    outcome: Outcome,
    reason: Option<&str>,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} {} [{profile}]", outcome.name().to_uppercase(), case.full_name());
    let _ = writeln!(out, "  at {}    spec: {}", case.origin, case.spec.join(", "));
    let _ = writeln!(out, "  target: {target}    clock starts {}", format_timestamp(case.start()));
    if let Ok(config) = serde_json::to_string(&case.config) {
        if config != "{}" {
            let _ = writeln!(out, "  config: {config}");
        }
    }
    if let Some(reason) = reason {
        let _ = writeln!(out, "  reason: {reason}");
    }
    out.push('\n');
    for (i, step) in case.steps.iter().enumerate() {
        let record = exec.records.get(i);
        let errored_here = record.is_some() && i + 1 == exec.records.len() && matches!(exec.end, End::Errored(_));
        let n = i + 1;
        match step {
            Step::Advance(d) => {
                let when = record.map(|r| format!(" → {}", format_timestamp(r.now))).unwrap_or_default();
                let _ = writeln!(out, "  {n}. advance {d}{when}");
            }
            Step::Set(set) => {
                let _ = writeln!(out, "  {n}. set {}  ({})", set.url, set.context);
                let label = match set.context.api {
                    ApiName::Http => "Set-Cookie:",
                    ApiName::Script => "document.cookie =",
                };
                for line in &set.cookies {
                    let _ = writeln!(out, "       {label} \"{}\"", escape(line));
                }
            }
            Step::Expect(expect) => {
                match &expect.url {
                    Some(url) => {
                        let _ = writeln!(out, "  {n}. expect {url}  ({})", expect.context);
                    }
                    None => {
                        let _ = writeln!(out, "  {n}. expect stored cookies");
                    }
                }
                if let Some(expected) = &expect.cookie {
                    let shown = match expected {
                        CookieExpectation::Exactly(one) => show_header(one.as_ref().map(|b| b.as_slice())),
                        CookieExpectation::AnyOf(many) => format!(
                            "any of {}",
                            many.iter().map(|b| show_header(b.as_ref().map(|b| b.as_slice()))).collect::<Vec<_>>().join(" | ")
                        ),
                    };
                    let _ = writeln!(out, "       expected: {shown}");
                    if let Some(note) = &expect.note {
                        let _ = writeln!(out, "       note:     {note}");
                    }
                }
                if let Some(r) = record {
                    if let (Some(actual), Some(verdict)) = (&r.header, r.verdict) {
                        let mark = match verdict {
                            Verdict::Match => "ok",
                            Verdict::OrderOnly => {
                                "✗ order only: the same cookies in another order (§5.8.3 step 4 is a SHOULD; still a failure)"
                            }
                            Verdict::Mismatch => "✗ MISMATCH",
                        };
                        let _ = writeln!(out, "       actual:   {}   {mark}", show_header(actual.as_deref()));
                        if verdict != Verdict::Match {
                            if let Some(CookieExpectation::Exactly(one)) = &expect.cookie {
                                let _ = writeln!(out, "       diff (-expected +actual):");
                                for line in diff(one.as_ref().map(|b| b.as_slice()), actual.as_deref()).lines() {
                                    let _ = writeln!(out, "         {line}");
                                }
                            }
                        }
                    }
                    if let Some(stored) = &expect.stored {
                        let _ = writeln!(out, "       expected stored: {}", serde_json::to_string(stored).unwrap_or_default());
                        match (&r.stored_mismatch, &r.dump) {
                            (Some(why), _) => {
                                let _ = writeln!(out, "       ✗ STORED MISMATCH: {}", why.replace('\n', "\n       "));
                            }
                            (None, Some(dump)) => {
                                let _ = writeln!(out, "       stored ok:\n{}", indent(&show_stored(dump), "   "));
                            }
                            (None, None) => {}
                        }
                    }
                }
            }
        }
        match (record, errored_here, &exec.end) {
            (None, _, _) => {
                let _ = writeln!(out, "       (not run)");
            }
            (Some(_), true, End::Errored(msg)) => {
                let _ = writeln!(out, "       ✗ ERROR: {msg}");
            }
            _ => {}
        }
        // The reference jar's account: the first line labelled, the rest aligned under it.
        for (k, note) in notes.get(i).into_iter().flatten().enumerate() {
            let label = if k == 0 { "reference:" } else { "          " };
            let _ = writeln!(out, "       {label} {}", note.trim_start().replace('\n', "\n                  "));
        }
    }
    out
}

fn indent(text: &str, by: &str) -> String {
    text.lines().map(|l| format!("{by}{l}")).collect::<Vec<_>>().join("\n")
}
