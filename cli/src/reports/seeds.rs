//! The seeds' table: the third-party questions people ask of browsers (is a tracking pixel's
//! cookie stored, does it follow the user to another site, does `Partitioned` change that, does
//! a first-party script identifier survive), answered from live runs of the browser engines in
//! each third-party policy they can be set to, next to the reference jar's answer under the
//! same policy (`allow` models Chrome, `block` Safari's ITP, `partition` Firefox's Total Cookie
//! Protection).
//!
//! The questions are the cases tagged `seed-question:<id>` (`cases/chips/seed-table.yaml`), one
//! per policy. A case's last `expect` with a `cookie` is its question: "yes" when a cookie is
//! sent there. A target's answer is read from its result: a pass answers as the expectation; a
//! failure at that step answers with what the target sent; anything else is no answer.

use std::fmt::Write as _;

use super::results::{OutcomeName, ResultRecord, ResultsDoc, Trial};

/// The tag prefix naming a case's question.
pub const TAG: &str = "seed-question:";

/// The questions, in table order: (id in the tag, column heading).
pub const QUESTIONS: [(&str, &str); 6] = [
    ("pixel-stored", "pixel cookie stored (sent again from the same site)"),
    ("pixel-tracks", "pixel cookie sent from another top-level site"),
    ("partitioned-stored", "`Partitioned`: stored"),
    ("partitioned-tracks", "`Partitioned`: sent from another top-level site"),
    ("first-party-in-pixel", "tracker's first-party cookie sent on its pixel elsewhere"),
    ("script-identifier", "first-party `document.cookie` id sent after 8 days"),
];

/// The third-party policies, in table order.
pub const POLICIES: [&str; 3] = ["allow", "block", "partition"];

/// The profile the table reads (every browser target and the reference run it).
const PROFILE: &str = "rfc6265bis";

/// A browser engine the table asks: its target id, the policy it has as shipped (what its
/// target's `allow` lifts or keeps), the browser it stands for and the policy modelling that one.
pub struct Engine {
    /// The target's id.
    pub target: &'static str,
    /// The policy the engine applies as shipped.
    pub default_policy: &'static str,
    /// How the default was established.
    pub default_source: &'static str,
    /// The browser built on the engine.
    pub stands_for: &'static str,
    /// The reference jar's policy that models that browser.
    pub modelled_by: &'static str,
}

/// The engines, in row order.
pub const ENGINES: [Engine; 3] = [
    Engine {
        target: "chromium",
        default_policy: "block",
        default_source: "a fresh profile of Debian's Chromium blocks third-party cookies (`profile.cookie_controls_mode`)",
        stands_for: "Chrome",
        modelled_by: "allow",
    },
    Engine {
        target: "firefox",
        default_policy: "partition",
        default_source: "`network.cookie.cookieBehavior` 5 (Total Cookie Protection) is Firefox's default",
        stands_for: "Firefox",
        modelled_by: "partition",
    },
    Engine {
        target: "webkit",
        default_policy: "block",
        default_source: "WebKit blocks third-party cookies by default (`no-third-party`, MiniBrowser's default) and Safari adds \
                         Intelligent Tracking Prevention, as the target's `block` does (without ITP, measured, a tracker's \
                         first-party cookie still rides on its pixel)",
        stands_for: "Safari",
        modelled_by: "block",
    },
];

/// One answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// A cookie was sent.
    Yes,
    /// No cookie was sent.
    No,
    /// The trial was skipped (the reason).
    Skipped(String),
    /// No answer: an error, or a failure before the question's step.
    Unknown(String),
}

impl Answer {
    fn from_sent(sent: bool) -> Answer {
        if sent { Answer::Yes } else { Answer::No }
    }

    fn text(&self) -> &'static str {
        match self {
            Answer::Yes => "yes",
            Answer::No => "no",
            Answer::Skipped(_) => "skip",
            Answer::Unknown(_) => "?",
        }
    }

    fn known(&self) -> bool {
        matches!(self, Answer::Yes | Answer::No)
    }
}

/// The question a trial asks, and the 1-based step that asks it with whether the case expects a
/// cookie there.
fn question_of(t: &Trial) -> Option<(&str, usize, bool)> {
    let id = t.tags.iter().find_map(|tag| tag.strip_prefix(TAG))?;
    let (i, cookie) = t.steps.iter().enumerate().rev().find_map(|(i, s)| s.get("expect")?.get("cookie").map(|c| (i, c)))?;
    Some((id, i + 1, !cookie.is_null()))
}

/// The third-party policy a trial's case is configured with.
fn policy_of(t: &Trial) -> &str {
    t.config.get("third_party").and_then(|v| v.as_str()).unwrap_or("allow")
}

/// What `r` answers to the question asked at `step`, where the case expects `expected`.
fn answer(r: &ResultRecord, step: usize, expected: bool) -> Answer {
    match r.outcome {
        OutcomeName::Pass | OutcomeName::Xpass => Answer::from_sent(expected),
        // What the target sent there: a header, or none (`null`, which results.json drops).
        OutcomeName::Fail | OutcomeName::Xfail if r.step == Some(step) => Answer::from_sent(r.actual.as_ref().is_some_and(|v| !v.is_null())),
        OutcomeName::Fail | OutcomeName::Xfail => {
            Answer::Unknown(format!("step {} failed before the question", r.step.map_or_else(|| "?".to_owned(), |s| s.to_string())))
        }
        OutcomeName::Skip => Answer::Skipped(r.reason.clone().unwrap_or_default()),
        OutcomeName::Error => Answer::Unknown(format!("error: {}", r.reason.clone().unwrap_or_default())),
    }
}

/// A row: a target under a policy, one answer per question.
pub struct Row {
    /// The target's id.
    pub target: String,
    /// The row's heading: the target's name and the policy.
    pub label: String,
    /// The third-party policy the target was set to.
    pub policy: &'static str,
    /// One answer per question of [`QUESTIONS`].
    pub answers: Vec<Answer>,
    /// The xfail reason (or skip reason) per question, where there is one.
    pub reasons: Vec<Option<String>>,
}

/// The rows: per policy, the reference then each engine with results.
pub fn rows(doc: &ResultsDoc) -> Vec<Row> {
    // (question index, policy) → (trial id, step, expected)
    let mut asked: Vec<(usize, &str, &str, usize, bool)> = Vec::new();
    for t in doc.trials.iter().filter(|t| t.profile == PROFILE) {
        if let Some((id, step, expected)) = question_of(t) {
            if let Some(q) = QUESTIONS.iter().position(|(qid, _)| *qid == id) {
                asked.push((q, policy_of(t), t.id.as_str(), step, expected));
            }
        }
    }
    if asked.is_empty() {
        return Vec::new();
    }
    let mut targets: Vec<(&str, String)> = Vec::new();
    if let Some(r) = doc.targets.iter().find(|t| t.id == "reference" && t.available) {
        targets.push(("reference", r.name.clone()));
    }
    for e in &ENGINES {
        if let Some(t) = doc.targets.iter().find(|t| t.id == e.target && t.available) {
            targets.push((e.target, t.name.clone()));
        }
    }
    let mut out = Vec::new();
    for policy in POLICIES {
        for (id, name) in &targets {
            let mut answers = Vec::new();
            let mut reasons = Vec::new();
            let mut ran = false;
            for q in 0..QUESTIONS.len() {
                let Some(&(_, _, trial, step, expected)) = asked.iter().find(|a| a.0 == q && a.1 == policy) else {
                    answers.push(Answer::Unknown("no case asks this under this policy".to_owned()));
                    reasons.push(None);
                    continue;
                };
                match doc.results.iter().find(|r| r.target == *id && r.trial == trial) {
                    Some(r) => {
                        ran |= r.outcome != OutcomeName::Skip;
                        answers.push(answer(r, step, expected));
                        reasons.push(r.reason.clone().filter(|_| r.outcome != OutcomeName::Pass));
                    }
                    None => {
                        answers.push(Answer::Unknown("not run".to_owned()));
                        reasons.push(None);
                    }
                }
            }
            if *id != "reference" && !ran {
                // An engine that cannot be set to this policy gets no row.
                continue;
            }
            let default = ENGINES.iter().any(|e| e.target == *id && e.default_policy == policy);
            let label = match (*id, default) {
                ("reference", _) => format!("reference jar, `{policy}`"),
                (_, true) => format!("{name}, `{policy}` **(its default)**"),
                (_, false) => format!("{name}, `{policy}`"),
            };
            out.push(Row { target: (*id).to_owned(), label, policy, answers, reasons });
        }
    }
    out
}

/// The section for SUMMARY.md (empty when the results hold no seed question).
pub fn render(doc: &ResultsDoc) -> String {
    let rows = rows(doc);
    if rows.is_empty() {
        return String::new();
    }
    let mut out = String::new();
    let _ = writeln!(out, "## The seeds' table (third-party cookies in browsers)\n");
    let _ = writeln!(
        out,
        "Answered by live runs of each browser engine set to each third-party policy it supports, next to the reference \
         jar under the same policy (`allow` models Chrome, `block` Safari's ITP, `partition` Firefox's Total Cookie \
         Protection). The questions are the cases tagged `seed-question:*` in `cases/chips/seed-table.yaml` \
         ({PROFILE}); \"yes\" means a cookie was sent at the question's step. **Bold**: the engine answers otherwise than \
         the reference jar under the same policy. `skip`: the trial did not run (reasons below).\n"
    );
    let heads: Vec<&str> = QUESTIONS.iter().map(|(_, h)| *h).collect();
    let _ = writeln!(out, "| browser, policy | {} |", heads.join(" | "));
    let _ = writeln!(out, "|---|{}", ":---:|".repeat(QUESTIONS.len()));
    for row in &rows {
        let reference = rows.iter().find(|r| r.target == "reference" && r.policy == row.policy);
        let cells: Vec<String> = row
            .answers
            .iter()
            .enumerate()
            .map(|(q, a)| {
                let differs = row.target != "reference"
                    && a.known()
                    && reference.and_then(|r| r.answers.get(q)).is_some_and(|ra| ra.known() && ra != a);
                if differs { format!("**{}**", a.text()) } else { a.text().to_owned() }
            })
            .collect();
        let _ = writeln!(out, "| {} | {} |", row.label, cells.join(" | "));
    }
    out.push('\n');
    render_findings(&rows, &mut out);
    render_skips(&rows, &mut out);
    out
}

/// Each engine in its default configuration against the policy that models the browser it
/// stands for, then every other disagreement with its reason.
fn render_findings(rows: &[Row], out: &mut String) {
    let _ = writeln!(out, "Each engine as shipped, against the policy that models its browser:\n");
    for e in &ENGINES {
        let Some(engine) = rows.iter().find(|r| r.target == e.target && r.policy == e.default_policy) else {
            continue;
        };
        let Some(model) = rows.iter().find(|r| r.target == "reference" && r.policy == e.modelled_by) else {
            continue;
        };
        let differing: Vec<String> = QUESTIONS
            .iter()
            .enumerate()
            .filter(|&(q, _)| engine.answers[q].known() && model.answers[q].known() && engine.answers[q] != model.answers[q])
            .map(|(q, (_, head))| format!("{head}: {} (model: {})", engine.answers[q].text(), model.answers[q].text()))
            .collect();
        let answered = QUESTIONS.iter().enumerate().filter(|&(q, _)| engine.answers[q].known() && model.answers[q].known()).count();
        let verdict = if differing.is_empty() {
            format!("agrees on all {answered} questions it answered")
        } else {
            format!("**differs** on {} of {answered}: {}", differing.len(), differing.join("; "))
        };
        let _ = writeln!(
            out,
            "- {} (stands for {}; default `{}`: {}) against `{}`: {verdict}.",
            engine.label.split(',').next().unwrap_or(e.target),
            e.stands_for,
            e.default_policy,
            e.default_source,
            e.modelled_by,
        );
    }
    let mut listed = Vec::new();
    for row in rows.iter().filter(|r| r.target != "reference") {
        let Some(reference) = rows.iter().find(|r| r.target == "reference" && r.policy == row.policy) else { continue };
        for (q, a) in row.answers.iter().enumerate() {
            if a.known() && reference.answers[q].known() && *a != reference.answers[q] {
                let why = row.reasons[q].as_deref().map(|r| format!(": {r}")).unwrap_or_default();
                listed.push(format!("- {}: {} → {} (reference: {}){why}", row.label, QUESTIONS[q].1, a.text(), reference.answers[q].text()));
            }
        }
    }
    if !listed.is_empty() {
        let _ = writeln!(out, "\nWhere an engine answers otherwise than the reference under the same policy:\n");
        for l in listed {
            let _ = writeln!(out, "{l}");
        }
    }
    out.push('\n');
}

/// The distinct reasons behind `skip` and `?` cells.
fn render_skips(rows: &[Row], out: &mut String) {
    let mut seen: Vec<(String, Vec<String>)> = Vec::new();
    for row in rows {
        for (q, a) in row.answers.iter().enumerate() {
            let why = match a {
                Answer::Skipped(w) | Answer::Unknown(w) => w.clone(),
                _ => continue,
            };
            let at = format!("{} / {}", row.label.replace(" **(its default)**", ""), QUESTIONS[q].0);
            match seen.iter_mut().find(|(w, _)| *w == why) {
                Some((_, at_list)) => at_list.push(at),
                None => seen.push((why, vec![at])),
            }
        }
    }
    if seen.is_empty() {
        return;
    }
    let _ = writeln!(out, "Cells without an answer:\n");
    for (why, at) in seen {
        let _ = writeln!(out, "- {} cell{}: {why}", at.len(), if at.len() == 1 { "" } else { "s" });
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reports::results::{Summary, TargetMeta, Tool};
    use serde_json::json;

    fn trial(q: &str, policy: Option<&str>, expected: Option<&str>) -> Trial {
        let id = format!("chips::{q} {policy:?} [rfc6265bis]");
        Trial {
            id: id.clone(),
            case: id.clone(),
            name: id,
            area: "chips".into(),
            profile: PROFILE.into(),
            file: "cases/chips/seed-table.yaml".into(),
            line: 1,
            spec: vec![],
            tags: vec!["seed".into(), format!("{TAG}{q}")],
            security: vec![],
            config: policy.map_or(json!({}), |p| json!({ "third_party": p })),
            now: None,
            steps: vec![
                json!({"set": {"url": "https://t.example/", "cookies": ["a=1"]}}),
                json!({"expect": {"url": "https://t.example/", "cookie": "a=1"}}),
                json!({"expect": {"url": "https://t.example/", "cookie": expected}}),
            ],
            reference: vec![],
        }
    }

    fn target(id: &str, name: &str) -> TargetMeta {
        TargetMeta {
            id: id.into(),
            name: name.into(),
            library: name.into(),
            version: None,
            configuration: None,
            description: String::new(),
            available: true,
            unavailable_reason: None,
            capabilities: None,
            xfail_file: None,
            summary: Summary::default(),
            duration_ms: 0.0,
        }
    }

    fn result(trial: &Trial, target: &str, outcome: OutcomeName, step: Option<usize>, actual: Option<serde_json::Value>) -> ResultRecord {
        ResultRecord {
            trial: trial.id.clone(),
            target: target.into(),
            outcome,
            reason: (outcome == OutcomeName::Xfail).then(|| "because".to_owned()),
            detail: None,
            step,
            expected: None,
            actual,
            order_only: false,
            duration_us: 0,
        }
    }

    #[test]
    fn answers_come_from_the_question_step_of_each_result() {
        let stored_allow = trial("pixel-stored", None, Some("uid=42"));
        let stored_block = trial("pixel-stored", Some("block"), None);
        let tracks_allow = trial("pixel-tracks", None, Some("uid=42"));
        let doc = ResultsDoc {
            format: String::new(),
            schema_version: 1,
            generated_at: String::new(),
            tool: Tool { name: String::new(), version: String::new() },
            trials: vec![stored_allow.clone(), stored_block.clone(), tracks_allow.clone()],
            targets: vec![target("reference", "reference-jar"), target("chromium", "Chromium 1"), target("webkit", "WebKitGTK 2")],
            results: vec![
                result(&stored_allow, "reference", OutcomeName::Pass, None, None),
                result(&stored_block, "reference", OutcomeName::Pass, None, None),
                result(&tracks_allow, "reference", OutcomeName::Pass, None, None),
                result(&stored_allow, "chromium", OutcomeName::Pass, None, None),
                // Blocked, yet the cookie came back at the question's step: a disagreement.
                result(&stored_block, "chromium", OutcomeName::Xfail, Some(3), Some(json!("uid=42"))),
                // A failure before the question answers nothing.
                result(&tracks_allow, "chromium", OutcomeName::Fail, Some(2), Some(json!(null))),
                result(&stored_allow, "webkit", OutcomeName::Skip, None, None),
                result(&stored_block, "webkit", OutcomeName::Pass, None, None),
                result(&tracks_allow, "webkit", OutcomeName::Skip, None, None),
            ],
        };
        let rows = rows(&doc);
        let find = |t: &str, p: &str| rows.iter().find(|r| r.target == t && r.policy == p).map(|r| r.answers[..2].to_vec());
        assert_eq!(find("reference", "allow"), Some(vec![Answer::Yes, Answer::Yes]));
        assert_eq!(find("reference", "block").map(|a| a[0].clone()), Some(Answer::No));
        assert_eq!(find("chromium", "block").map(|a| a[0].clone()), Some(Answer::Yes));
        assert!(matches!(find("chromium", "allow").map(|a| a[1].clone()), Some(Answer::Unknown(_))));
        // WebKit skipped everything under allow: no row; under block it answered.
        assert_eq!(find("webkit", "allow"), None);
        assert_eq!(find("webkit", "block").map(|a| a[0].clone()), Some(Answer::No));
        let md = render(&doc);
        assert!(md.contains("| Chromium 1, `block` **(its default)** | **yes** |"), "{md}");
        assert!(md.contains("pixel cookie stored (sent again from the same site) → yes (reference: no): because"), "{md}");
        assert!(md.contains("WebKitGTK 2 (stands for Safari; default `block`"), "{md}");
        assert!(md.contains("step 2 failed before the question"), "{md}");
    }

    #[test]
    fn no_seed_questions_no_section() {
        let doc = ResultsDoc {
            format: String::new(),
            schema_version: 1,
            generated_at: String::new(),
            tool: Tool { name: String::new(), version: String::new() },
            trials: vec![],
            targets: vec![],
            results: vec![],
        };
        assert_eq!(render(&doc), "");
    }
}
