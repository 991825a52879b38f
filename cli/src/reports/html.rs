//! `index.html`: one self-contained page (inline CSS, JS and SVG; no network) with the matrix of
//! trials × targets, per-target summary bars, a per-area pass-rate chart, filters, and a detail
//! panel per cell (steps, expected vs actual Cookie header with a character diff, the reference
//! jar's account, the skip reason).
//!
//! The rows are rendered by the page's script from JSON embedded in a
//! `<script type="application/json">` element, compacted for ~2000 trials × 8 targets: the
//! outcomes are one letter per cell, steps are stored once per case, repeated skip reasons once
//! per document, and details only for cells that are not plain passes.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::{json, Value};

use super::results::{OutcomeName, ResultsDoc};

/// The page template; `/*DATA*/` is replaced with the JSON.
const TEMPLATE: &str = include_str!("report.html");

fn letter(o: OutcomeName) -> char {
    match o {
        OutcomeName::Pass => 'p',
        OutcomeName::Fail => 'f',
        OutcomeName::Xfail => 'x',
        OutcomeName::Xpass => 'X',
        OutcomeName::Skip => 's',
        OutcomeName::Error => 'e',
    }
}

#[derive(Serialize)]
struct PageCase<'a> {
    name: &'a str,
    area: &'a str,
    file: &'a str,
    line: u32,
    spec: &'a [String],
    tags: &'a [String],
    security: &'a [String],
    config: &'a Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    now: Option<&'a str>,
    steps: &'a [Value],
}

#[derive(Serialize)]
struct PageTrial<'a> {
    id: &'a str,
    c: usize,
    p: &'a str,
    /// The reference jar's notes; `null` when equal to the previous trial's (same case).
    #[serde(rename = "ref")]
    reference: Option<&'a [Vec<String>]>,
}

/// The page's data.
fn page_data(doc: &ResultsDoc, repro: &crate::repro::Written) -> Value {
    let mut cases: Vec<PageCase> = Vec::new();
    let mut case_index: HashMap<&str, usize> = HashMap::new();
    let mut trials = Vec::with_capacity(doc.trials.len());
    let mut previous: Option<(usize, &[Vec<String>])> = None;
    for t in &doc.trials {
        let c = *case_index.entry(&t.case).or_insert_with(|| {
            cases.push(PageCase {
                name: &t.name,
                area: &t.area,
                file: &t.file,
                line: t.line,
                spec: &t.spec,
                tags: &t.tags,
                security: &t.security,
                config: &t.config,
                now: t.now.as_deref(),
                steps: &t.steps,
            });
            cases.len() - 1
        });
        let same = previous.is_some_and(|(pc, r)| pc == c && r == t.reference.as_slice());
        trials.push(PageTrial { id: &t.id, c, p: &t.profile, reference: if same { None } else { Some(&t.reference) } });
        previous = Some((c, &t.reference));
    }
    let trial_pos: HashMap<&str, usize> = doc.trials.iter().enumerate().map(|(i, t)| (t.id.as_str(), i)).collect();
    let target_pos = doc.target_positions();
    let mut cells: Vec<Vec<char>> = vec![vec!['.'; doc.targets.len()]; doc.trials.len()];
    let mut reasons: Vec<&str> = Vec::new();
    let mut reason_index: HashMap<&str, usize> = HashMap::new();
    let mut info = serde_json::Map::new();
    for r in &doc.results {
        let (Some(&i), Some(&j)) = (trial_pos.get(r.trial.as_str()), target_pos.get(r.target.as_str())) else {
            continue;
        };
        cells[i][j] = letter(r.outcome);
        if r.outcome == OutcomeName::Pass {
            continue;
        }
        let mut o = serde_json::Map::new();
        if let Some(reason) = &r.reason {
            let k = *reason_index.entry(reason).or_insert_with(|| {
                reasons.push(reason);
                reasons.len() - 1
            });
            o.insert("r".into(), k.into());
        }
        if r.outcome != OutcomeName::Skip {
            o.insert("us".into(), r.duration_us.into());
        }
        if let Some(d) = &r.detail {
            o.insert("d".into(), d.as_str().into());
        }
        if let Some(s) = r.step {
            o.insert("s".into(), s.into());
            o.insert("e".into(), r.expected.clone().unwrap_or(Value::Null));
            o.insert("a".into(), r.actual.clone().unwrap_or(Value::Null));
        }
        if r.order_only {
            o.insert("o".into(), true.into());
        }
        // The failing cell's reproducer (a path next to the page), or why there is none.
        match repro.get(&(r.trial.clone(), r.target.clone())) {
            Some(Ok(path)) => {
                o.insert("rp".into(), path.as_str().into());
            }
            Some(Err(why)) => {
                o.insert("rx".into(), why.as_str().into());
            }
            None => {}
        }
        info.insert(format!("{i}:{j}"), Value::Object(o));
    }
    json!({
        "generated_at": doc.generated_at,
        "tool": doc.tool,
        "targets": doc.targets,
        "cases": cases,
        "trials": trials,
        "cells": cells.into_iter().map(|c| c.into_iter().collect::<String>()).collect::<Vec<_>>(),
        "reasons": reasons,
        "info": info,
        "attacks": super::attacks::rows(doc),
        "coverage": {
            "floor": super::coverage::FLOOR,
            "profile": super::coverage::HEADLINE_PROFILE,
            "headlines": super::coverage::profile_headlines(doc),
            "sections": super::coverage::section_rows(doc, super::coverage::HEADLINE_PROFILE),
        },
    })
}

/// Text for HTML element content or a double-quoted attribute value (`&`, `"`, `<`, `>`
/// escaped); used by the live Chromium target's pages and the browser reproducers too.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// The whole page.
pub fn render(doc: &ResultsDoc, repro: &crate::repro::Written) -> String {
    let data = page_data(doc, repro);
    let json = serde_json::to_string(&data).unwrap_or_else(|_| "{}".to_owned());
    // Inside <script>, `</script>` or `<!--` in a string would end or confuse the element;
    // `\u003c` is the same string to JSON.parse.
    let json = json.replace('<', "\\u003c");
    TEMPLATE.replacen("/*DATA*/", &json, 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reports::results::tests::sample;

    #[test]
    fn text_is_escaped_for_content_and_attributes() {
        assert_eq!(escape_text("/a?b=1&c=\"<>"), "/a?b=1&amp;c=&quot;&lt;&gt;");
    }

    #[test]
    fn embeds_the_data_safely() {
        let html = render(&sample(), &crate::repro::Written::new());
        assert!(!html.contains("/*DATA*/"));
        assert!(!html.contains("</testcase>"), "markup in data must be escaped");
        let start = html.find("<script type=\"application/json\" id=\"data\">").unwrap();
        let rest = &html[start..];
        let body = &rest[rest.find('>').unwrap() + 1..rest.find("</script>").unwrap()];
        let data: Value = serde_json::from_str(body).unwrap();
        assert_eq!(data["cells"], json!(["px.", "fX.", "se."]));
        assert_eq!(data["cases"].as_array().unwrap().len(), 2);
        assert_eq!(data["trials"][1]["c"], 0);
        assert_eq!(data["info"]["1:0"]["o"], true);
        assert_eq!(data["info"]["1:0"]["e"], "a=1; b=2");
        assert_eq!(data["targets"][2]["unavailable_reason"], "no such adapter");
        assert_eq!(data["coverage"]["profile"], "rfc6265bis");
        assert_eq!(data["attacks"].as_array().map(Vec::len), Some(12));
        assert!(data["cases"][0]["security"].is_array());
        assert_eq!(data["coverage"]["headlines"][0]["targets"][0]["tally"]["total"], 2);
        assert!(data["coverage"]["sections"].as_array().is_some_and(|s| !s.is_empty()));
        // No external resources: the page must work offline.
        for needle in ["http://", "https://", "src=\"", "<link"] {
            let outside_data = html.replace(body, "");
            assert!(!outside_data.contains(needle), "{needle} in the page");
        }
    }

    /// The reference jar answering its cookie-pairs in reverse order: fails every case that
    /// expects two or more cookies (order-only failures), passes the others.
    struct Reversed(crate::targets::ReferenceTarget);

    impl cookie_conformance::Target for Reversed {
        fn name(&self) -> String {
            "reversed-jar 9.9 (pairs in reverse order)".into()
        }
        fn capabilities(&self) -> cookie_conformance::Capabilities {
            cookie_conformance::Capabilities { virtual_clock: true, ..cookie_conformance::Capabilities::default() }
        }
        fn reset(&mut self, s: &cookie_conformance::Setup) -> Result<(), cookie_conformance::TargetError> {
            self.0.reset(s)
        }
        fn set_cookies(
            &mut self,
            u: &str,
            l: &[Vec<u8>],
            c: &reference_jar::Context,
            n: reference_jar::UnixTime,
        ) -> Result<(), cookie_conformance::TargetError> {
            self.0.set_cookies(u, l, c, n)
        }
        fn cookie_header(
            &mut self,
            u: &str,
            c: &reference_jar::Context,
            n: reference_jar::UnixTime,
        ) -> Result<Option<Vec<u8>>, cookie_conformance::TargetError> {
            Ok(self.0.cookie_header(u, c, n)?.map(|h| {
                let mut p = cookie_conformance::compare::pairs(&h);
                p.reverse();
                p.join(&b"; "[..])
            }))
        }
    }

    /// The embedded corpus on the reference jar, a jar that fails some cases and one that does
    /// not start: every kind of cell, at full size.
    fn full_doc() -> ResultsDoc {
        use crate::reports::{run_target, trials};
        let corpus = cookie_conformance::Corpus::embedded().unwrap();
        let mut pairs = cookie_conformance::select::Selection::default().pairs(&corpus);
        // Failing cases are explained by the reference jar, which is slow (quadratic) on the
        // few limits cases with thousands of Set-Cookie lines: leave those out here.
        pairs.retain(|(c, _)| {
            let lines: usize =
                c.steps.iter().map(|s| if let cookie_conformance::case::Step::Set(set) = s { set.cookies.len() } else { 0 }).sum();
            lines <= crate::reports::results::EXPLAIN_MAX_LINES
        });
        let resolve = |id: &str| -> anyhow::Result<Box<dyn cookie_conformance::Target>> {
            match id {
                "reference" => Ok(Box::new(crate::targets::ReferenceTarget::new())),
                "reversed" => Ok(Box::new(Reversed(crate::targets::ReferenceTarget::new()))),
                _ => anyhow::bail!("adapter `{id}` is not installed"),
            }
        };
        let runs: Vec<_> = ["reference", "reversed", "missing"]
            .iter()
            .map(|id| run_target(id, "test target", &pairs, &resolve, None))
            .collect();
        ResultsDoc::build(trials(&pairs), &runs, "2026-11-23T00:00:00Z".into())
    }

    const CHROMIUM: &str = "/usr/bin/chromium";

    /// Loads `url` in headless Chromium; returns (DOM after the scripts ran, Chromium's log).
    fn chromium(url: &str) -> (String, String) {
        let profile = tempfile::tempdir().unwrap();
        let mut child = std::process::Command::new(CHROMIUM)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--enable-logging=stderr",
                "--v=0",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .args(["--dump-dom", url])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("start chromium");
        let (mut out, mut err) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
        let err_reader = std::thread::spawn(move || {
            let mut s = String::new();
            let _ = std::io::Read::read_to_string(&mut err, &mut s);
            s
        });
        let watchdog_pid = child.id();
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let watchdog = std::thread::spawn(move || {
            if rx.recv_timeout(std::time::Duration::from_secs(120)).is_err() {
                // Chromium hung: kill it (by its own pid) so the test fails instead of hanging.
                let _ = std::process::Command::new("kill").arg(watchdog_pid.to_string()).status();
            }
        });
        let mut dom = String::new();
        let _ = std::io::Read::read_to_string(&mut out, &mut dom);
        let _ = child.wait();
        let _ = tx.send(());
        let _ = watchdog.join();
        (dom, err_reader.join().unwrap_or_default())
    }

    /// How often `needle` occurs in the DOM beyond the page's own script text.
    fn rendered(dom: &str, needle: &str) -> usize {
        dom.matches(needle).count().saturating_sub(TEMPLATE.matches(needle).count())
    }

    /// Console messages (errors, uncaught exceptions) in Chromium's log.
    fn console_lines(log: &str) -> Vec<&str> {
        log.lines().filter(|l| l.contains(":CONSOLE")).collect()
    }

    #[test]
    fn renders_in_headless_chromium_without_console_errors() {
        if !std::path::Path::new(CHROMIUM).exists() {
            eprintln!("skipping: {CHROMIUM} is not installed (apt-get install -y chromium)");
            return;
        }
        let started = std::time::Instant::now();
        let doc = full_doc();
        eprintln!("report built in {:?}", started.elapsed());
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("index.html");
        std::fs::write(&path, render(&doc, &crate::repro::Written::new())).unwrap();
        let url = format!("file://{}", path.display());

        let (dom, log) = chromium(&url);
        assert!(console_lines(&log).is_empty(), "console messages: {:?}", console_lines(&log));
        let trials = doc.trials.len();
        assert!(
            dom.contains(&format!("data-rendered=\"{trials}\"")),
            "matrix not rendered ({} bytes of DOM)",
            dom.len()
        );
        // One row per trial, three cells each; the unavailable target's cells are blank.
        assert_eq!(rendered(&dom, "<tr data-i="), trials);
        assert_eq!(rendered(&dom, "class=\"c none\""), trials);
        assert!(rendered(&dom, "class=\"c fail\"") > 0, "the reversed jar's failures are shown");
        assert!(dom.contains("unavailable: adapter `missing` is not installed"));
        assert!(dom.contains("<svg id=\"chart\"") && dom.contains("class=\"arealabel\""), "area chart drawn");

        // A deep link opens the detail panel of a failed cell, with the diff and the steps.
        let failed = doc
            .results
            .iter()
            .find(|r| {
                r.target == "reversed"
                    && r.outcome == super::OutcomeName::Fail
                    && r.order_only
                    && r.expected.as_ref().is_some_and(serde_json::Value::is_string)
            })
            .expect("an order-only failure");
        let hash: String = format!("{}@reversed", failed.trial)
            .bytes()
            .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
            .collect();
        let (dom, log) = chromium(&format!("{url}#{hash}"));
        assert!(console_lines(&log).is_empty(), "console messages: {:?}", console_lines(&log));
        assert!(dom.contains("id=\"panel\" aria-live=\"polite\" class=\"open\""), "detail panel not open");
        assert_eq!(rendered(&dom, "class=\"status fail\""), 1);
        assert_eq!(rendered(&dom, "<b>Order only:</b>"), 1);
        assert!(rendered(&dom, "<ins>") > 0 && rendered(&dom, "<del>") > 0, "character diff shown");
        assert!(rendered(&dom, "class=\"ref mono\"") > 0, "the reference jar's account is shown");
    }
}
