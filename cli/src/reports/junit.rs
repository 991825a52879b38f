//! JUnit XML, one file per target (`junit-<target>.xml`), in the common ("Jenkins"/Ant) JUnit
//! schema that CI systems read: `<testsuites>` → one `<testsuite>` per spec area → one
//! `<testcase>` per trial. Failures and unexpected passes are `<failure>`, target errors
//! `<error>`, skips and expected failures `<skipped>` with the reason. A target that did not
//! start gets one `<testcase name="(target start)">` with an `<error>`, so CI shows why.

use std::fmt::Write as _;

use super::results::{OutcomeName, ResultsDoc, Summary, TargetMeta};

/// The file name for target `id` (characters other than `[A-Za-z0-9._-]` become `_`).
pub fn file_name(id: &str) -> String {
    let safe: String =
        id.chars().map(|c| if c.is_ascii_alphanumeric() || "._-".contains(c) { c } else { '_' }).collect();
    format!("junit-{safe}.xml")
}

/// The JUnit XML of target `target` in `doc`.
pub fn render(doc: &ResultsDoc, target: &TargetMeta) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let total = target.summary;
    let _ = writeln!(
        out,
        "<testsuites name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{:.3}\">",
        attr(&format!("cookie-conformance: {}", target.name)),
        if target.available { total.total() } else { 1 },
        total.failed + total.xpass,
        if target.available { total.error } else { 1 },
        total.skipped + total.xfail,
        target.duration_ms / 1000.0
    );
    if !target.available {
        let why = target.unavailable_reason.as_deref().unwrap_or("the target did not start");
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\" time=\"0\" timestamp=\"{}\">",
            attr(&target.id),
            attr(&timestamp(&doc.generated_at))
        );
        let _ = writeln!(out, "    <testcase name=\"(target start)\" classname=\"{}\" time=\"0\">", attr(&target.id));
        let _ = writeln!(out, "      <error message=\"{}\" type=\"unavailable\">{}</error>", attr(why), text(why));
        out.push_str("    </testcase>\n  </testsuite>\n</testsuites>\n");
        return out;
    }
    let trials: std::collections::HashMap<&str, &super::results::Trial> =
        doc.trials.iter().map(|t| (t.id.as_str(), t)).collect();
    for area in doc.areas() {
        let records: Vec<_> = doc
            .results_of(&target.id)
            .filter(|r| trials.get(r.trial.as_str()).is_some_and(|t| t.area == area))
            .collect();
        let mut s = Summary::default();
        for r in &records {
            s.add(r.outcome);
        }
        let time: u64 = records.iter().map(|r| r.duration_us).sum();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{}\" timestamp=\"{}\">",
            attr(area),
            s.total(),
            s.failed + s.xpass,
            s.error,
            s.skipped + s.xfail,
            secs(time),
            attr(&timestamp(&doc.generated_at))
        );
        for r in records {
            let Some(trial) = trials.get(r.trial.as_str()) else { continue };
            let name = format!("{} [{}]", trial.name, trial.profile);
            let _ = write!(
                out,
                "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\" line=\"{}\" time=\"{}\"",
                attr(&name),
                attr(&format!("{}.{}", target.id, trial.area)),
                attr(&trial.file),
                trial.line,
                secs(r.duration_us)
            );
            let reason = r.reason.as_deref().unwrap_or("");
            let body = r.detail.as_deref().unwrap_or(reason);
            match r.outcome {
                OutcomeName::Pass => out.push_str("/>\n"),
                OutcomeName::Fail => {
                    let order = if r.order_only { " (order only)" } else { "" };
                    let message = format!("expectation at step {} failed{order}", r.step.unwrap_or(0));
                    let _ = writeln!(
                        out,
                        ">\n      <failure message=\"{}\" type=\"fail\">{}</failure>\n    </testcase>",
                        attr(&message),
                        text(body)
                    );
                }
                OutcomeName::Xpass => {
                    let _ = writeln!(
                        out,
                        ">\n      <failure message=\"{}\" type=\"xpass\">{}</failure>\n    </testcase>",
                        attr(reason),
                        text(reason)
                    );
                }
                OutcomeName::Error => {
                    let _ = writeln!(
                        out,
                        ">\n      <error message=\"{}\" type=\"error\">{}</error>\n    </testcase>",
                        attr(reason),
                        text(body)
                    );
                }
                OutcomeName::Skip => {
                    let _ = writeln!(
                        out,
                        ">\n      <skipped message=\"{}\"/>\n    </testcase>",
                        attr(&format!("skipped: {reason}"))
                    );
                }
                OutcomeName::Xfail => {
                    let _ = writeln!(
                        out,
                        ">\n      <skipped message=\"{}\"/>\n    </testcase>",
                        attr(&format!("expected failure: {reason}"))
                    );
                }
            }
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

fn secs(us: u64) -> String {
    format!("{:.6}", us as f64 / 1e6)
}

/// JUnit's `timestamp` is an ISO 8601 date-time without a zone.
fn timestamp(rfc3339: &str) -> String {
    rfc3339.trim_end_matches('Z').to_owned()
}

/// A character XML 1.0 can carry (§2.2 Char); cookie cases are full of control characters.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

fn escape_into(s: &str, out: &mut String, in_attr: bool) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if in_attr => out.push_str("&quot;"),
            '\n' if in_attr => out.push_str("&#10;"),
            '\t' if in_attr => out.push_str("&#9;"),
            '\r' => out.push_str("&#13;"),
            c if xml_char(c) => out.push(c),
            // Not representable in XML 1.0 even as a reference: written as `\u{..}` text.
            c => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
        }
    }
}

fn attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(s, &mut out, true);
    out
}

fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(s, &mut out, false);
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::reports::results::tests::sample;
    use quick_xml::events::Event;

    /// The element tree of a JUnit file: (name, attributes, children, text).
    #[derive(Debug, Default)]
    pub(crate) struct El {
        name: String,
        attrs: Vec<(String, String)>,
        children: Vec<El>,
        text: String,
    }

    impl El {
        fn attr(&self, k: &str) -> Option<&str> {
            self.attrs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str())
        }
        fn num(&self, k: &str) -> usize {
            self.attr(k).unwrap_or_else(|| panic!("<{}> lacks {k}", self.name)).parse().unwrap()
        }
    }

    /// Parses with quick-xml, failing on any well-formedness error.
    pub(crate) fn parse(xml: &str) -> El {
        let mut reader = quick_xml::Reader::from_str(xml);
        reader.config_mut().check_end_names = true;
        let mut stack = vec![El::default()];
        let element = |e: &quick_xml::events::BytesStart| El {
            name: e.name().0.to_owned(),
            attrs: e
                .attributes()
                .map(|a| {
                    let a = a.expect("well-formed attribute");
                    let v =
                        a.normalized_value(quick_xml::XmlVersion::Implicit1_0).expect("escaped attribute").into_owned();
                    (a.key.0.to_owned(), v)
                })
                .collect(),
            ..El::default()
        };
        loop {
            match reader.read_event().expect("well-formed XML") {
                Event::Start(e) => stack.push(element(&e)),
                Event::Empty(e) => stack.last_mut().unwrap().children.push(element(&e)),
                Event::End(_) => {
                    let done = stack.pop().unwrap();
                    stack.last_mut().unwrap().children.push(done);
                }
                Event::Text(t) => {
                    stack.last_mut().unwrap().text.push_str(&t.xml10_content());
                }
                Event::GeneralRef(r) => {
                    let name: &str = r.as_ref();
                    if let Some(c) = r.resolve_char_ref().expect("valid character reference") {
                        stack.last_mut().unwrap().text.push(c);
                        continue;
                    }
                    let s = match name {
                        "amp" => "&".to_owned(),
                        "lt" => "<".to_owned(),
                        "gt" => ">".to_owned(),
                        "quot" => "\"".to_owned(),
                        "apos" => "'".to_owned(),
                        n => panic!("unknown entity {n}"),
                    };
                    stack.last_mut().unwrap().text.push_str(&s);
                }
                Event::Eof => break,
                _ => {}
            }
        }
        assert_eq!(stack.len(), 1, "unclosed elements");
        let mut root = stack.pop().unwrap();
        assert_eq!(root.children.len(), 1, "one root element");
        root.children.pop().unwrap()
    }

    /// The structure the common JUnit XML schema requires: testsuites > testsuite (name, tests,
    /// failures, errors, skipped, time) > testcase (name, classname, time) > at most one of
    /// failure / error / skipped; counts agree with the children.
    pub(crate) fn check_structure(root: &El) -> (usize, usize, usize, usize) {
        assert_eq!(root.name, "testsuites");
        let mut totals = (0, 0, 0, 0);
        for suite in &root.children {
            assert_eq!(suite.name, "testsuite");
            assert!(suite.attr("name").is_some_and(|n| !n.is_empty()));
            let (mut t, mut f, mut e, mut s) = (0, 0, 0, 0);
            for case in &suite.children {
                assert_eq!(case.name, "testcase");
                assert!(case.attr("name").is_some() && case.attr("classname").is_some());
                case.attr("time").unwrap().parse::<f64>().unwrap();
                assert!(case.children.len() <= 1, "{case:?}");
                t += 1;
                for child in &case.children {
                    match child.name.as_str() {
                        "failure" => f += 1,
                        "error" => e += 1,
                        "skipped" => s += 1,
                        other => panic!("unexpected <{other}>"),
                    }
                    if child.name != "skipped" {
                        assert!(child.attr("message").is_some() && child.attr("type").is_some());
                    }
                }
            }
            assert_eq!(
                (suite.num("tests"), suite.num("failures"), suite.num("errors"), suite.num("skipped")),
                (t, f, e, s)
            );
            suite.attr("time").unwrap().parse::<f64>().unwrap();
            totals = (totals.0 + t, totals.1 + f, totals.2 + e, totals.3 + s);
        }
        assert_eq!((root.num("tests"), root.num("failures"), root.num("errors"), root.num("skipped")), totals);
        totals
    }

    #[test]
    fn every_outcome_maps_to_valid_junit() {
        let doc = sample();
        let a = parse(&render(&doc, &doc.targets[0]));
        assert_eq!(check_structure(&a), (3, 1, 0, 1));
        let b = parse(&render(&doc, &doc.targets[1]));
        assert_eq!(check_structure(&b), (3, 1, 1, 1));
        let cases = &b.children[0].children;
        assert_eq!(cases[0].attr("name"), Some("one [rfc6265bis]"));
        assert_eq!(cases[0].attr("classname"), Some("b.d"));
        let skipped = &cases[0].children[0];
        assert_eq!(skipped.name, "skipped");
        // Markup and control characters in reasons survive as text.
        assert!(skipped.attr("message").unwrap().starts_with("expected failure: why </testcase> & \\u{1} ]]>"));
        assert_eq!(cases[1].children[0].attr("type"), Some("xpass"));
        assert_eq!(cases[2].children[0].name, "error");
        let fail = &a.children[0].children[1].children[0];
        assert_eq!(fail.name, "failure");
        assert_eq!(fail.attr("message"), Some("expectation at step 2 failed (order only)"));
        assert_eq!(fail.text, "FAIL\n  step 2");
    }

    #[test]
    fn an_unavailable_target_is_one_error() {
        let doc = sample();
        let root = parse(&render(&doc, &doc.targets[2]));
        assert_eq!(check_structure(&root), (1, 0, 1, 0));
        assert_eq!(root.children[0].children[0].children[0].attr("message"), Some("no such adapter"));
    }

    #[test]
    fn file_names_are_safe() {
        assert_eq!(file_name("cookie_store"), "junit-cookie_store.xml");
        assert_eq!(file_name("a/b c"), "junit-a_b_c.xml");
    }
}
