//! Writing a case as YAML in the corpus format (`cases/README.md`), with comments: a finding
//! prints as a file ready to drop into `cases/`. Strings are double-quoted with YAML escapes for
//! every invisible or ambiguous character (control characters, NBSP, U+2000, line separators),
//! and bytes that are not UTF-8 are written `{ base64: "..." }`.

use std::fmt::{self, Write as _};

use base64::Engine as _;

use cookie_conformance::case::{ApiName, Case, CaseContext, CookieExpectation, Site, Step};

use crate::scenario::Scenario;

/// A YAML scalar for bytes: a double-quoted string, or `{ base64: "..." }`.
pub fn yaml_bytes(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => yaml_str(text),
        Err(_) => format!("{{ base64: \"{}\" }}", base64::engine::general_purpose::STANDARD.encode(bytes)),
    }
}

/// A double-quoted YAML string. Printable ASCII and non-ASCII letters and digits stay as they
/// are; everything else is escaped so that a reader sees it.
pub fn yaml_str(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            ' '..='~' => out.push(c),
            c if !c.is_ascii() && c.is_alphanumeric() => out.push(c),
            c => {
                let n = c as u32;
                if n < 0x100 {
                    let _ = write!(out, "\\x{n:02x}");
                } else if n < 0x10000 {
                    let _ = write!(out, "\\u{n:04x}");
                } else {
                    let _ = write!(out, "\\U{n:08x}");
                }
            }
        }
    }
    out.push('"');
    out
}

fn context(c: &CaseContext) -> Option<String> {
    let mut parts = Vec::new();
    if c.api == ApiName::Script {
        parts.push("api: script".to_owned());
    }
    match &c.site {
        Some(Site::Opaque) => parts.push("site: opaque".to_owned()),
        Some(Site::Url(u)) => parts.push(format!("site: {}", yaml_str(&u.0))),
        None => {}
    }
    if c.navigation {
        parts.push("navigation: true".to_owned());
    }
    if let Some(m) = &c.method {
        parts.push(format!("method: {}", yaml_str(m)));
    }
    if let Some(t) = &c.top_level {
        parts.push(format!("top_level: {}", yaml_str(&t.0)));
    }
    (!parts.is_empty()).then(|| format!("{{ {} }}", parts.join(", ")))
}

fn list(items: impl IntoIterator<Item = String>) -> String {
    format!("[{}]", items.into_iter().collect::<Vec<_>>().join(", "))
}

/// The case as one YAML list item, with `header` as comment lines above it and, after step `i`,
/// the comment lines of `notes[i]` (each target's answer, say).
pub fn case_yaml(case: &Case, header: &[String], notes: &[Vec<String>]) -> String {
    let mut y = String::new();
    for h in header {
        for line in h.lines() {
            let _ = writeln!(y, "# {line}");
        }
    }
    let _ = writeln!(y, "- name: {}", yaml_str(&case.name));
    let _ = writeln!(y, "  spec: {}", list(case.spec.iter().map(|s| yaml_str(s))));
    if !case.tags.is_empty() {
        let _ = writeln!(y, "  tags: {}", list(case.tags.iter().map(|s| yaml_str(s))));
    }
    if !case.security.is_empty() {
        let _ = writeln!(y, "  security: {}", list(case.security.iter().map(|c| c.name().to_owned())));
    }
    let _ = writeln!(y, "  profiles: {}", list(case.profiles.iter().map(|p| p.name().to_owned())));
    if let Some(now) = case.now {
        let _ = writeln!(y, "  now: {now}");
    }
    let _ = writeln!(y, "  steps:");
    for (i, step) in case.steps.iter().enumerate() {
        match step {
            Step::Set(s) => {
                let ctx = context(&s.context).map(|c| format!(", context: {c}")).unwrap_or_default();
                let cookies = list(s.cookies.iter().map(|c| yaml_bytes(c)));
                let _ = writeln!(y, "    - set: {{ url: {}, cookies: {cookies}{ctx} }}", yaml_str(&s.url));
            }
            Step::Expect(e) => {
                let mut parts = Vec::new();
                if let Some(u) = &e.url {
                    parts.push(format!("url: {}", yaml_str(u)));
                }
                if let Some(c) = context(&e.context) {
                    parts.push(format!("context: {c}"));
                }
                let opt = |v: &Option<cookie_conformance::bytes::Bytes>| v.as_ref().map_or("null".to_owned(), |b| yaml_bytes(&b.0));
                match &e.cookie {
                    Some(CookieExpectation::Exactly(v)) => parts.push(format!("cookie: {}", opt(v))),
                    Some(CookieExpectation::AnyOf(vs)) => parts.push(format!("any_of: {}", list(vs.iter().map(opt)))),
                    None => {}
                }
                if let Some(n) = &e.note {
                    parts.push(format!("note: {}", yaml_str(n)));
                }
                let _ = writeln!(y, "    - expect: {{ {} }}", parts.join(", "));
            }
            Step::Advance(d) => {
                let _ = writeln!(y, "    - advance: {}", yaml_str(&d.to_string()));
            }
        }
        if let Some(lines) = notes.get(i) {
            for l in lines {
                let _ = writeln!(y, "      # {}", l.replace('\n', " "));
            }
        }
    }
    y
}

/// A scenario's `Debug` form is a runnable reproducer: the YAML case, with the reference jar's
/// answers as expectations (so `cargo fuzz fmt` prints a case ready for `cases/`). It lives here,
/// beside the YAML writer, so that the model ([`Scenario`]) depends on neither the engine nor
/// this module.
impl fmt::Debug for Scenario {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let answers = crate::engine::quiet(|| crate::engine::Engine::reference_only().run(self, false).reference);
        match answers {
            Ok(answers) => {
                let case = self.to_case("fuzz reproducer".to_owned(), vec!["5".to_owned()], vec!["fuzz-found".to_owned()], &answers);
                f.write_str(&case_yaml(&case, &[], &[]))
            }
            Err(panic) => {
                writeln!(f, "# THE REFERENCE JAR PANICKED: {panic}")?;
                f.debug_list().entries(&self.steps).finish()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::SplitMix64;
    use crate::scenario::Scenario;
    use cookie_conformance::load::{Corpus, SourceFile};
    use arbitrary::Unstructured;

    fn load(yaml: &str) -> Vec<Case> {
        let c = Corpus::from_sources([SourceFile {
            display: "t.yaml".into(),
            area: String::new(),
            bytes: std::borrow::Cow::Owned(yaml.as_bytes().to_vec()),
        }])
        .unwrap_or_else(|e| panic!("{e}\n{yaml}"));
        c.cases().to_vec()
    }

    #[test]
    fn strings_escape_what_is_invisible() {
        assert_eq!(yaml_str("a=b; c"), "\"a=b; c\"");
        assert_eq!(yaml_str("\u{a0}\u{2000}\u{1}\u{7f}é\"\\"), "\"\\xa0\\u2000\\x01\\x7fé\\\"\\\\\"");
        assert_eq!(yaml_bytes(b"\xff"), "{ base64: \"/w==\" }");
    }

    #[test]
    fn generated_cases_round_trip_through_the_loader() {
        for seed in 0..300u64 {
            let mut buf = [0u8; 1024];
            SplitMix64::new(seed).fill(&mut buf);
            let s = Scenario::generate(&mut Unstructured::new(&buf)).unwrap();
            let n = s.steps.iter().filter(|s| matches!(s, crate::scenario::Step::Expect { .. })).count();
            let answers: Vec<Option<Vec<u8>>> = (0..n).map(|i| (i % 2 == 1).then(|| b"a=\xc2\xa0\x01".to_vec())).collect();
            let case = s.to_case(format!("fuzz {seed}"), vec!["5.6".into()], vec!["fuzz-found".into()], &answers);
            let notes = vec![vec!["cookie_store: \"x\"".to_owned()]; case.steps.len()];
            let yaml = case_yaml(&case, &["a header".to_owned(), "two\nlines".to_owned()], &notes);
            let back = load(&yaml);
            assert_eq!(back.len(), 1);
            let mut back = back.into_iter().next().unwrap();
            back.origin = Default::default();
            assert_eq!(back, case, "{yaml}");
        }
    }
}
