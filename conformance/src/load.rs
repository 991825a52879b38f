//! Loading the corpus: YAML files → [`Case`]s, each remembering its file and line.
//!
//! The parser is `serde-saphyr` (pure Rust, duplicate keys rejected, line/column and a snippet on
//! every error); `serde_path_to_error` adds the key path, so every error names
//! `file:line:column` and the key. All errors of all files are collected, not just the first.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde_saphyr::Spanned;

use crate::case::{Case, Origin, Step};

/// A loaded, checked corpus.
#[derive(Clone, Debug, Default)]
pub struct Corpus {
    cases: Vec<Case>,
    by_name: HashMap<String, usize>,
}

/// One problem in one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadIssue {
    /// The file as displayed.
    pub file: String,
    /// 1-based line (0 when unknown).
    pub line: u32,
    /// 1-based column (0 when unknown).
    pub column: u32,
    /// The key path (`[2].steps[1].set.cookies[0]`), when known.
    pub key: Option<String>,
    /// What is wrong.
    pub message: String,
    /// The offending lines with a caret, when available.
    pub snippet: Option<String>,
}

impl fmt::Display for LoadIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}", self.file, self.line, self.column, self.message)?;
        if let Some(key) = &self.key {
            write!(f, " (at key `{key}`)")?;
        }
        if let Some(snippet) = &self.snippet {
            write!(f, "\n{snippet}")?;
        }
        Ok(())
    }
}

/// The corpus did not load; every issue found is listed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct LoadError {
    /// The issues, in file order.
    pub issues: Vec<LoadIssue>,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.issues.len();
        writeln!(f, "the case corpus has {n} error{}:", if n == 1 { "" } else { "s" })?;
        for issue in &self.issues {
            writeln!(f, "{issue}")?;
        }
        Ok(())
    }
}

/// A source file: its displayed path, its area (folder below `cases/`), its bytes.
#[derive(Clone, Debug)]
pub struct SourceFile<'a> {
    /// Shown in messages (`cases/domain/leading-dot.yaml`).
    pub display: String,
    /// `domain`, or `a::b` for `cases/a/b/x.yaml`; empty for top-level files.
    pub area: String,
    /// The YAML text.
    pub bytes: std::borrow::Cow<'a, [u8]>,
}

impl Corpus {
    /// The corpus of the `cookie-conformance-cases` crate (`cases/**/*.yaml`, embedded when
    /// that crate was built).
    pub fn embedded() -> Result<Corpus, LoadError> {
        Corpus::from_sources(cookie_conformance_cases::FILES.iter().map(|file| SourceFile {
            display: format!("cases/{}", file.path),
            area: area_of(file.path),
            bytes: std::borrow::Cow::Borrowed(file.bytes),
        }))
    }

    /// Every `*.yaml` below `dir`, recursively (hidden entries skipped), in path order.
    pub fn from_dir(dir: &Path) -> Result<Corpus, LoadError> {
        let mut files = Vec::new();
        let mut issues = Vec::new();
        walk(dir, dir, &mut files, &mut issues);
        files.sort();
        let mut sources = Vec::with_capacity(files.len());
        for (rel, path) in files {
            match std::fs::read(&path) {
                Ok(bytes) => sources.push(SourceFile {
                    display: path.display().to_string(),
                    area: area_of(&rel),
                    bytes: std::borrow::Cow::Owned(bytes),
                }),
                Err(e) => issues.push(io_issue(&path, &e)),
            }
        }
        if sources.is_empty() && issues.is_empty() {
            issues.push(LoadIssue {
                file: dir.display().to_string(),
                line: 0,
                column: 0,
                key: None,
                message: "no *.yaml case files in this directory".to_owned(),
                snippet: None,
            });
        }
        match Corpus::from_sources(sources) {
            Ok(c) if issues.is_empty() => Ok(c),
            Ok(_) => Err(LoadError { issues }),
            Err(mut e) => {
                issues.append(&mut e.issues);
                Err(LoadError { issues })
            }
        }
    }

    /// Parses and checks the given files: every file must parse, every case must be well formed,
    /// and case names must be unique across all of them.
    pub fn from_sources<'a>(sources: impl IntoIterator<Item = SourceFile<'a>>) -> Result<Corpus, LoadError> {
        let mut issues = Vec::new();
        let mut cases = Vec::new();
        for source in sources {
            match parse_file(&source) {
                Ok(mut parsed) => cases.append(&mut parsed),
                Err(mut e) => issues.append(&mut e),
            }
        }
        if cases.is_empty() && issues.is_empty() {
            // A run over no case passes every target: never let that happen silently.
            issues.push(LoadIssue {
                file: "(corpus)".to_owned(),
                line: 0,
                column: 0,
                key: None,
                message: "the corpus holds no case: every run over it would pass vacuously".to_owned(),
                snippet: None,
            });
        }
        let mut by_name: HashMap<String, usize> = HashMap::with_capacity(cases.len());
        for (i, case) in cases.iter().enumerate() {
            if let Some(&first) = by_name.get(&case.name) {
                issues.push(LoadIssue {
                    file: case.origin.file.clone(),
                    line: case.origin.line,
                    column: 0,
                    key: Some("name".to_owned()),
                    message: format!(
                        "duplicate case name `{}`: also at {}",
                        case.name, cases[first].origin
                    ),
                    snippet: None,
                });
            } else {
                by_name.insert(case.name.clone(), i);
            }
        }
        if issues.is_empty() {
            Ok(Corpus { cases, by_name })
        } else {
            Err(LoadError { issues })
        }
    }

    /// Every case, in file order then position in the file.
    pub fn cases(&self) -> &[Case] {
        &self.cases
    }

    /// The case with this name.
    pub fn get(&self, name: &str) -> Option<&Case> {
        self.by_name.get(name).map(|&i| &self.cases[i])
    }

    /// The number of cases.
    pub fn len(&self) -> usize {
        self.cases.len()
    }

    /// Whether there are no cases.
    pub fn is_empty(&self) -> bool {
        self.cases.is_empty()
    }
}

/// `a/b/x.yaml` → `a::b`.
fn area_of(rel: &str) -> String {
    match rel.rsplit_once('/') {
        Some((dir, _)) => dir.replace('/', "::"),
        None => String::new(),
    }
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>, issues: &mut Vec<LoadIssue>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            issues.push(io_issue(dir, &e));
            return;
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            walk(root, &path, out, issues);
        } else if name.ends_with(".yaml") {
            let rel = path
                .strip_prefix(root)
                .map(|p| {
                    p.components()
                        .map(|c| c.as_os_str().to_string_lossy().into_owned())
                        .collect::<Vec<_>>()
                        .join("/")
                })
                .unwrap_or(name);
            out.push((rel, path));
        }
    }
}

fn io_issue(path: &Path, e: &std::io::Error) -> LoadIssue {
    LoadIssue {
        file: path.display().to_string(),
        line: 0,
        column: 0,
        key: None,
        message: format!("cannot read: {e}"),
        snippet: None,
    }
}

/// Parses one file into its cases (with origins) and checks each case's shape.
fn parse_file(source: &SourceFile<'_>) -> Result<Vec<Case>, Vec<LoadIssue>> {
    let issue = |line, column, key: Option<String>, message: String| LoadIssue {
        file: source.display.clone(),
        line,
        column,
        key,
        message,
        snippet: None,
    };
    let text = std::str::from_utf8(&source.bytes)
        .map_err(|e| vec![issue(0, 0, None, format!("not UTF-8 ({e}); write non-UTF-8 octets as {{ base64: ... }}"))])?;
    if text.trim().is_empty() {
        return Err(vec![issue(1, 1, None, "empty file: a case file is a list of cases".to_owned())]);
    }
    let mut key_path = None;
    let parsed: Result<Vec<Spanned<Case>>, serde_saphyr::Error> =
        serde_saphyr::with_deserializer_from_str(text, |de| {
            serde_path_to_error::deserialize(de).map_err(|e| {
                key_path = Some(e.path().to_string());
                e.into_inner()
            })
        });
    let spanned = parsed.map_err(|e| vec![saphyr_issue(source, &e, key_path.as_deref())])?;

    let mut issues = Vec::new();
    let mut cases = Vec::with_capacity(spanned.len());
    for (i, s) in spanned.into_iter().enumerate() {
        let (line, column) = (s.referenced.line() as u32, s.referenced.column() as u32);
        let mut case = s.value;
        let mut problem = |msg: String| issues.push(issue(line, column, Some(format!("[{i}]")), msg));
        if case.name.trim().is_empty() {
            problem("the case has an empty `name`".to_owned());
        }
        if case.spec.is_empty() || case.spec.iter().any(|s| s.trim().is_empty()) {
            problem(format!("case `{}` must cite at least one section in `spec`", case.name));
        }
        if !case.steps.iter().any(|s| matches!(s, Step::Expect(_))) {
            problem(format!("case `{}` has no `expect` step: it asserts nothing", case.name));
        }
        case.origin = Origin { file: source.display.clone(), line, area: source.area.clone() };
        cases.push(case);
    }
    if issues.is_empty() {
        Ok(cases)
    } else {
        Err(issues)
    }
}

/// Turns a serde-saphyr error into an issue: location, key path, message, snippet.
fn saphyr_issue(source: &SourceFile<'_>, e: &serde_saphyr::Error, key_path: Option<&str>) -> LoadIssue {
    let (line, column) = e.location().map_or((0, 0), |l| (l.line() as u32, l.column() as u32));
    let plain = e.without_snippet().to_string();
    let suffix = format!(" at line {line}, column {column}");
    let message = plain.strip_suffix(&suffix).unwrap_or(&plain).to_owned();
    // The rendered form is "error: ...", " --> file:l:c", then the snippet lines.
    let rendered = e.render_with_options(serde_saphyr::render_options! { source_name: Some(&source.display) });
    let snippet: Vec<&str> = rendered
        .lines()
        .skip_while(|l| !l.trim_start().starts_with("-->"))
        .skip(1)
        .collect();
    let snippet = (!snippet.is_empty()).then(|| snippet.join("\n"));
    LoadIssue {
        file: source.display.clone(),
        line,
        column,
        key: key_path.map(clean_key_path).filter(|k| !k.is_empty()),
        message,
        snippet,
    }
}

/// `[0].value.steps[1].set.?` → `[0].steps[1].set`: drops the `Spanned` wrapper's field and the
/// `?` that stands for a key the deserializer had not read yet.
fn clean_key_path(path: &str) -> String {
    let path = path.replacen("].value", "]", 1);
    let path = path.strip_suffix(".?").unwrap_or(&path);
    if path == "?" { String::new() } else { path.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Corpus, LoadError> {
        Corpus::from_sources([SourceFile {
            display: "cases/t/x.yaml".to_owned(),
            area: "t".to_owned(),
            bytes: std::borrow::Cow::Borrowed(text.as_bytes()),
        }])
    }

    fn one_issue(text: &str) -> LoadIssue {
        let mut e = load(text).unwrap_err();
        assert_eq!(e.issues.len(), 1, "{e}");
        e.issues.remove(0)
    }

    const GOOD: &str = "\
# a comment
- name: first
  spec: [\"5.6.3\"]
  steps:
    - set: { url: \"https://a.example/\", cookies: [a=b] }
    - expect: { url: \"https://a.example/\", cookie: a=b }

- name: second
  spec: [\"5.4\"]
  steps:
    - expect: { url: \"https://a.example/\", cookie: null }
";

    #[test]
    fn cases_keep_file_line_and_area() {
        let c = load(GOOD).unwrap();
        assert_eq!(c.len(), 2);
        assert_eq!(c.cases()[0].origin.to_string(), "cases/t/x.yaml:2");
        assert_eq!(c.cases()[1].origin.to_string(), "cases/t/x.yaml:8");
        assert_eq!(c.cases()[1].full_name(), "t::second");
        assert!(c.get("second").is_some());
    }

    #[test]
    fn unknown_key_names_file_line_column_and_key() {
        let i = one_issue(&GOOD.replace("  spec: [\"5.4\"]", "  spec: [\"5.4\"]\n  tagz: [x]"));
        assert_eq!((i.file.as_str(), i.line, i.column), ("cases/t/x.yaml", 10, 3));
        assert_eq!(i.key.as_deref(), Some("[1].tagz"));
        assert!(i.message.contains("unknown field `tagz`"), "{}", i.message);
        let shown = i.to_string();
        assert!(shown.starts_with("cases/t/x.yaml:10:3: unknown field `tagz`"), "{shown}");
        assert!(shown.contains("tagz: [x]"), "snippet missing: {shown}");
    }

    #[test]
    fn duplicate_key() {
        let i = one_issue(&GOOD.replace("- name: second", "- name: second\n  name: third"));
        assert_eq!((i.line, i.column), (9, 3));
        assert!(i.message.contains("duplicate mapping key: name"), "{}", i.message);
        assert_eq!(i.key.as_deref(), Some("[1]"));
    }

    #[test]
    fn bad_type() {
        let i = one_issue(&GOOD.replace("cookies: [a=b]", "cookies: a=b"));
        assert_eq!(i.line, 5);
        assert_eq!(i.key.as_deref(), Some("[0].steps[0].set.cookies"));
        let i = one_issue(&GOOD.replace("cookie: null", "cookie: 42"));
        assert_eq!(i.key.as_deref(), Some("[1].steps[0].expect.cookie"));
        assert!(i.message.contains("quote it"), "{}", i.message);
    }

    #[test]
    fn bad_duration() {
        let i = one_issue(&GOOD.replace("    - expect: { url: \"https://a.example/\", cookie: null }", "    - advance: 5q\n    - expect: { url: \"https://a.example/\", cookie: null }"));
        assert_eq!((i.line, i.column), (11, 16));
        assert_eq!(i.key.as_deref(), Some("[1].steps[0].advance"));
        assert!(i.message.contains("invalid duration `5q`"), "{}", i.message);
    }

    #[test]
    fn bad_base64() {
        let i = one_issue(&GOOD.replace("cookies: [a=b]", "cookies: [{ base64: \"%%\" }]"));
        assert_eq!(i.line, 5);
        assert_eq!(i.key.as_deref(), Some("[0].steps[0].set.cookies[0]"));
        assert!(i.message.contains("invalid base64"), "{}", i.message);
    }

    #[test]
    fn bad_expect_shape_is_located() {
        let i = one_issue(&GOOD.replace("cookie: null", "cookie: a, any_of: [a, b], note: x"));
        assert!(i.line >= 11, "{i}");
        assert_eq!(i.key.as_deref(), Some("[1].steps[0].expect"));
        assert!(i.message.contains("both"), "{}", i.message);
    }

    #[test]
    fn case_level_checks() {
        let i = one_issue(&GOOD.replace("spec: [\"5.4\"]", "spec: []"));
        assert_eq!(i.line, 8);
        assert!(i.message.contains("cite"), "{i}");
        let i = one_issue(&GOOD.replace("    - expect: { url: \"https://a.example/\", cookie: null }", "    - advance: 1s"));
        assert!(i.message.contains("asserts nothing"), "{i}");
    }

    #[test]
    fn duplicate_names_across_files_name_both_places() {
        let other = "- name: first\n  spec: [x]\n  steps:\n    - expect: { stored: [] }\n";
        let e = Corpus::from_sources([
            SourceFile { display: "cases/a/one.yaml".into(), area: "a".into(), bytes: GOOD.as_bytes().into() },
            SourceFile { display: "cases/b/two.yaml".into(), area: "b".into(), bytes: other.as_bytes().into() },
        ])
        .unwrap_err();
        assert_eq!(e.issues.len(), 1);
        let shown = e.issues[0].to_string();
        assert!(shown.starts_with("cases/b/two.yaml:1:"), "{shown}");
        assert!(shown.contains("also at cases/a/one.yaml:2"), "{shown}");
    }

    #[test]
    fn errors_of_all_files_are_collected() {
        let e = Corpus::from_sources([
            SourceFile { display: "a.yaml".into(), area: String::new(), bytes: b"- name: [\n".as_slice().into() },
            SourceFile { display: "b.yaml".into(), area: String::new(), bytes: b"\xff".as_slice().into() },
            SourceFile { display: "c.yaml".into(), area: String::new(), bytes: b"  \n".as_slice().into() },
        ])
        .unwrap_err();
        assert_eq!(e.issues.len(), 3, "{e}");
        assert!(e.issues[1].message.contains("not UTF-8"));
        assert!(e.issues[2].message.contains("empty file"));
    }

    #[test]
    fn from_dir_walks_areas() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("domain/sub")).unwrap();
        std::fs::write(dir.path().join("domain/sub/x.yaml"), GOOD).unwrap();
        std::fs::write(dir.path().join("domain/notes.md"), "ignored").unwrap();
        let c = Corpus::from_dir(dir.path()).unwrap();
        assert_eq!(c.cases()[0].full_name(), "domain::sub::first");
        assert!(c.cases()[0].origin.file.ends_with("domain/sub/x.yaml"));
        let empty = tempfile::tempdir().unwrap();
        assert!(Corpus::from_dir(empty.path()).unwrap_err().to_string().contains("no *.yaml"));
    }

    #[test]
    fn embedded_corpus_loads() {
        // Whatever the corpus holds at build time must load: a broken case file fails here.
        if let Err(e) = Corpus::embedded() {
            panic!("{e}");
        }
    }

    #[test]
    fn key_path_cleanup() {
        assert_eq!(clean_key_path("[0].value.steps[1].set.?"), "[0].steps[1].set");
        assert_eq!(clean_key_path("?"), "");
    }
}
