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
            match read_regular_file(&path, MAX_FILE_BYTES) {
                Ok(bytes) => sources.push(SourceFile {
                    display: path.display().to_string(),
                    area: area_of(&rel),
                    bytes: std::borrow::Cow::Owned(bytes),
                }),
                Err(FileRefused::TooLarge { .. }) => {
                    issues.push(file_issue(&path, &format!("larger than the {MAX_FILE_BYTES}-byte limit for a case file")));
                }
                Err(refused) => issues.push(file_issue(&path, &refused.to_string())),
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
        if sources.is_empty() {
            return Err(LoadError { issues });
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
                    column: case.origin.column,
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

/// Why [`read_regular_file`] returned no bytes.
#[derive(Debug, thiserror::Error)]
pub enum FileRefused {
    /// A FIFO, device or socket (after following links).
    #[error("not a regular file (a FIFO, device or socket): not read")]
    NotRegular,
    /// Over the limit (the read stops there).
    #[error("larger than the {limit}-byte limit")]
    TooLarge {
        /// The limit, in bytes.
        limit: u64,
    },
    /// The file could not be read.
    #[error("cannot read: {0}")]
    Io(#[from] std::io::Error),
}

/// The bytes of `path` when it is a regular file (links followed) of at most `limit` bytes. A
/// FIFO would block and a device never end, so neither is opened; the read is bounded even if
/// the file grew, or was swapped, since it was listed. For every file the suite reads from
/// other people's folders (cases, imported corpora).
pub fn read_regular_file(path: &Path, limit: u64) -> Result<Vec<u8>, FileRefused> {
    if !std::fs::metadata(path)?.is_file() {
        return Err(FileRefused::NotRegular);
    }
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut std::io::Read::take(std::fs::File::open(path)?, limit + 1), &mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(FileRefused::TooLarge { limit });
    }
    Ok(bytes)
}

/// The largest case file read (the corpus's biggest is under 100 KiB): a link to a device or
/// a runaway file is refused instead of read into memory.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Every `*.yaml` below `dir`. Symbolic links are followed, but a directory already walked
/// (a link back to an ancestor, or a second link to the same folder) is not walked again, so
/// loops end and nothing is loaded twice; entries that are not regular files (FIFOs, devices,
/// sockets) are reported, never opened.
fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>, issues: &mut Vec<LoadIssue>) {
    let mut seen = std::collections::HashSet::new();
    if let Ok(canonical) = std::fs::canonicalize(dir) {
        seen.insert(canonical);
    }
    walk_dir(root, dir, out, issues, &mut seen);
}

fn walk_dir(
    root: &Path,
    dir: &Path,
    out: &mut Vec<(String, PathBuf)>,
    issues: &mut Vec<LoadIssue>,
    seen: &mut std::collections::HashSet<PathBuf>,
) {
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
        // `metadata` follows links; a dangling link is an error only when it looks like a case.
        let meta = match std::fs::metadata(&path) {
            Ok(m) => m,
            Err(e) => {
                if name.ends_with(".yaml") {
                    issues.push(io_issue(&path, &e));
                }
                continue;
            }
        };
        if meta.is_dir() {
            let canonical = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
            if seen.insert(canonical) {
                walk_dir(root, &path, out, issues, seen);
            }
        } else if name.ends_with(".yaml") {
            // Read later by `read_regular_file`, which refuses FIFOs, devices and big files.
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

fn file_issue(path: &Path, message: &str) -> LoadIssue {
    LoadIssue { file: path.display().to_string(), line: 0, column: 0, key: None, message: message.to_owned(), snippet: None }
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
    let text = std::str::from_utf8(&source.bytes).map_err(|e| {
        let (line, column) = line_column(&source.bytes, e.valid_up_to());
        vec![issue(line, column, None, "not UTF-8: a case file is UTF-8 text; write other octets as { base64: ... }".to_owned())]
    })?;
    let spanned = match parse_cases(text) {
        Ok(spanned) => spanned,
        Err(failure) => {
            let (e, key_path) = *failure;
            let first = saphyr_issue(source, text, &e, key_path.as_deref());
            // The parser stops at the first error; the cases of a block list are parsed one by
            // one too, so that every broken case of the file is reported in one run.
            let each = issues_per_case(source, text);
            return Err(if each.len() > 1 { each } else { vec![first] });
        }
    };
    if spanned.is_empty() {
        // Empty, only comments, or `[]`: alike, and never what the author meant.
        return Err(vec![issue(1, 1, None, "the file holds no case: a case file is a list of cases".to_owned())]);
    }

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
        case.origin = Origin { file: source.display.clone(), line, column, area: source.area.clone() };
        cases.push(case);
    }
    if issues.is_empty() {
        Ok(cases)
    } else {
        Err(issues)
    }
}

/// The parser's first error in a file, with the key path it was at (boxed: it is large).
type ParseFailure = Box<(serde_saphyr::Error, Option<String>)>;

/// The cases of a file, or the parser's first error.
fn parse_cases(text: &str) -> Result<Vec<Spanned<Case>>, ParseFailure> {
    let mut key_path = None;
    let parsed = serde_saphyr::with_deserializer_from_str(text, |de| {
        serde_path_to_error::deserialize(de).map_err(|e| {
            key_path = Some(e.path().to_string());
            e.into_inner()
        })
    });
    parsed.map_err(|e| Box::new((e, key_path)))
}

/// Every case of a block list (`- name: ...` items at column 0, as the corpus writes them)
/// parsed on its own, with the errors of the broken ones. A broken item is parsed again behind
/// as many empty lines as precede it, so that its lines, columns and snippet are the file's
/// own (for the first [`DETAILED_ISSUES`]; later ones get the location without a snippet).
fn issues_per_case(source: &SourceFile<'_>, text: &str) -> Vec<LoadIssue> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let starts: Vec<usize> =
        lines.iter().enumerate().filter(|(_, l)| l.starts_with("- ") || l.trim_end() == "-").map(|(i, _)| i).collect();
    let mut issues = Vec::new();
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(lines.len());
        let item = lines[start..end].concat();
        let Err(failure) = parse_cases(&item) else { continue };
        let (e, key_path) = *failure;
        // The item is `[0]` of its own list and `[k]` of the file's.
        let renumber = |p: Option<String>| p.map(|p| p.strip_prefix("[0]").map_or_else(|| p.clone(), |rest| format!("[{k}]{rest}")));
        let offset = u32::try_from(start).unwrap_or(u32::MAX);
        if issues.len() < DETAILED_ISSUES {
            let padded = "\n".repeat(start) + &item;
            if let Err(failure) = parse_cases(&padded) {
                let (e, key_path) = *failure;
                issues.push(saphyr_issue(source, &padded, &e, renumber(key_path).as_deref()));
                continue;
            }
        }
        let mut issue = saphyr_issue(source, &item, &e, renumber(key_path).as_deref());
        issue.line = issue.line.saturating_add(offset);
        issue.snippet = None;
        issues.push(issue);
    }
    issues
}

/// Broken cases of one file reported with a snippet.
const DETAILED_ISSUES: usize = 20;

/// The 1-based line and column (in characters) of byte `offset` of `bytes`.
fn line_column(bytes: &[u8], offset: usize) -> (u32, u32) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[start..]).chars().count() + 1;
    (u32::try_from(line).unwrap_or(u32::MAX), u32::try_from(column).unwrap_or(u32::MAX))
}

/// The loader's limit on YAML nodes per file (serde-saphyr's default budget).
pub const MAX_NODES_PER_FILE: usize = 250_000;

/// The parser's message in the words of a case author: no advice about library options they
/// cannot set, no internal debug text.
fn author_message(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("duplicate mapping key: ") {
        let key = rest.split(", set DuplicateKeyPolicy").next().unwrap_or(rest);
        return format!("duplicate key `{key}`: a key may appear once in a mapping");
    }
    if message.starts_with("multiple YAML documents detected") {
        return "a second YAML document (`---`): a case file is one list of cases; put the cases in that list, or in another file".to_owned();
    }
    if message.contains("budget breached") {
        return if message.contains("Nodes") {
            format!(
                "the file holds more than {MAX_NODES_PER_FILE} YAML nodes, the loader's limit per file (about 7,000 \
                 cases of a few steps each): split it into several files"
            )
        } else {
            "the file exceeds the loader's limits (nesting depth, aliases or size): split or simplify it".to_owned()
        };
    }
    message.to_owned()
}

/// Where a tab that YAML refuses really is: the parser reports the scalar before it, but the
/// culprit is the first tab in the indentation at or after that line.
fn tab_location(text: &str, line: u32) -> Option<(u32, u32)> {
    text.lines().enumerate().skip(line.saturating_sub(1) as usize).find_map(|(i, l)| {
        let indent: String = l.chars().take_while(|c| *c == ' ' || *c == '\t').collect();
        indent.find('\t').map(|col| (i as u32 + 1, col as u32 + 1))
    })
}

/// Turns a serde-saphyr error into an issue: location, key path, message, snippet.
fn saphyr_issue(source: &SourceFile<'_>, text: &str, e: &serde_saphyr::Error, key_path: Option<&str>) -> LoadIssue {
    let (mut line, mut column) = e.location().map_or((0, 0), |l| (l.line() as u32, l.column() as u32));
    let plain = e.without_snippet().to_string();
    let suffix = format!(" at line {line}, column {column}");
    let raw = plain.strip_suffix(&suffix).unwrap_or(&plain);
    let mut message = author_message(raw);
    let mut relocated = false;
    if message.contains("found a tab") || message.contains("tabs disallowed") {
        if let Some((l, c)) = tab_location(text, line) {
            (line, column, relocated) = (l, c, true);
            message = "a tab in the indentation: YAML indents with spaces only".to_owned();
        }
    }
    // The rendered form is "error: ...", " --> file:l:c", then the snippet lines.
    let rendered = e.render_with_options(serde_saphyr::render_options! { source_name: Some(&source.display) });
    let snippet: Vec<&str> = rendered
        .lines()
        .skip_while(|l| !l.trim_start().starts_with("-->"))
        .skip(1)
        .collect();
    // The snippet repeats the parser's words and points where it did: keep it in step.
    let snippet = (!snippet.is_empty() && !relocated).then(|| snippet.join("\n").replace(raw, &message));
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
        assert_eq!(i.message, "duplicate key `name`: a key may appear once in a mapping");
        assert_eq!(i.key.as_deref(), Some("[1]"));
        // The snippet says the same, with no advice about parser options.
        assert!(!i.to_string().contains("DuplicateKeyPolicy"), "{i}");
    }

    #[test]
    fn every_broken_case_of_a_file_is_reported() {
        let text = GOOD.replace("cookies: [a=b]", "cookies: a=b").replace("cookie: null", "cookie: 42").replace("- name: second", "- name: second\n  bogus: 1");
        let e = load(&text).unwrap_err();
        assert_eq!(e.issues.len(), 2, "{e}");
        assert_eq!((e.issues[0].line, e.issues[0].key.as_deref()), (5, Some("[0].steps[0].set.cookies")), "{e}");
        assert_eq!(e.issues[1].key.as_deref().map(|k| k.starts_with("[1]")), Some(true), "{e}");
        assert!(e.issues[1].line >= 9, "{e}");
    }

    #[test]
    fn author_facing_messages() {
        let i = one_issue(&format!("{GOOD}---\n{GOOD}"));
        assert!(i.message.starts_with("a second YAML document"), "{}", i.message);
        assert!(!i.to_string().contains("from_str_multiple"), "{i}");
        // A tab indenting line 3 is reported there, not where the parser noticed it.
        let i = one_issue("- name: x\n  spec: [a]\n\tsteps: []\n");
        assert_eq!((i.line, i.column), (3, 1), "{i}");
        assert!(i.message.contains("tab in the indentation"), "{i}");
        // Invalid UTF-8 is located by line and column, not by byte offset.
        let mut bytes = b"- name: x\n  spec: [a]\n  steps:\n    - expect: { cookie: \"".to_vec();
        bytes.extend_from_slice(b"\xff\" }\n");
        let e = Corpus::from_sources([SourceFile { display: "x.yaml".into(), area: "t".into(), bytes: bytes.into() }]).unwrap_err();
        assert_eq!((e.issues[0].line, e.issues[0].column), (4, 26), "{e}");
        // Empty, comment-only and `[]` files are the same mistake.
        for text in ["", "  \n", "# only a comment\n", "# nothing\n[]\n"] {
            let i = one_issue(text);
            assert_eq!((i.line, i.message.as_str()), (1, "the file holds no case: a case file is a list of cases"), "{text:?}");
        }
        // The node budget, in words.
        let case = "- name: \"c{}\"\n  spec: [a, b, c]\n  tags: [a, b, c, d]\n  steps:\n    - set: { url: \"https://a.example/\", cookies: [a=b, c=d, e=f] }\n    - expect: { url: \"https://a.example/\", cookie: null }\n";
        let big: String = (0..12_000).map(|i| case.replace("{}", &i.to_string())).collect();
        let i = one_issue(&big);
        assert!(i.message.contains("more than 250000 YAML nodes") && i.message.contains("split it"), "{}", i.message);
        assert!(!i.to_string().contains("budget breached"), "{i}");
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
        assert!(shown.starts_with("cases/b/two.yaml:1:3:"), "{shown}");
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
        assert!(e.issues[2].message.contains("holds no case"));
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

    /// A corpus folder with one good file at `domain/x.yaml`.
    #[cfg(unix)]
    fn folder() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("domain")).unwrap();
        std::fs::write(dir.path().join("domain/x.yaml"), GOOD).unwrap();
        dir
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loops_end_and_nothing_loads_twice() {
        use std::os::unix::fs::symlink;
        let dir = folder();
        // Two links back to the root and one more to the same area: a loop, and no duplicate.
        symlink(dir.path(), dir.path().join("domain/again")).unwrap();
        symlink("..", dir.path().join("domain/up")).unwrap();
        symlink(dir.path().join("domain"), dir.path().join("also-domain")).unwrap();
        let c = Corpus::from_dir(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.cases().len(), 2);
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_fifos_are_reported_not_read() {
        use std::os::unix::fs::symlink;
        let dir = folder();
        symlink("/dev/zero", dir.path().join("domain/zero.yaml")).unwrap();
        let made_fifo = std::process::Command::new("mkfifo")
            .arg(dir.path().join("domain/pipe.yaml"))
            .status()
            .is_ok_and(|s| s.success());
        let e = Corpus::from_dir(dir.path()).unwrap_err();
        let text = e.to_string();
        assert!(text.contains("zero.yaml") && text.contains("not a regular file"), "{text}");
        if made_fifo {
            assert!(text.contains("pipe.yaml"), "{text}");
            assert_eq!(e.issues.len(), 2, "{text}");
        }
    }

    #[test]
    fn oversized_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("a")).unwrap();
        let f = std::fs::File::create(dir.path().join("a/big.yaml")).unwrap();
        f.set_len(MAX_FILE_BYTES + 1).unwrap();
        let text = Corpus::from_dir(dir.path()).unwrap_err().to_string();
        assert!(text.contains("big.yaml") && text.contains("limit for a case file"), "{text}");
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
