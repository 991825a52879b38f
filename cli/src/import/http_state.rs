//! Importing the http-state parser corpus: the IETF http-state working group's tests for
//! RFC 6265 (Adam Barth's `http-state` repository, `tests/data/parser/`).
//!
//! Each test is two files:
//! - `NAME-test`: header lines the test server sent in a 302 response to
//!   `http://home.example.org:8888/cookie-parser?NAME`: `Set-Cookie:` lines, and sometimes a
//!   `Location:` line that sends the browser somewhere other than the default
//!   `/cookie-parser-result?NAME` (relative to the first URL);
//! - `NAME-expected`: the `Cookie:` line the browser must send to that result URL, or nothing
//!   (no Cookie header).
//!
//! Each test becomes one case: a `set` step at the first URL, an `expect` step at the result
//! URL, with the clock set to the corpus's era (its dates expire from 2019 to 2027, and some
//! tests rely on 2007 and 1980 being in the past), tagged `http-state` and `rfc6265` and
//! run under the `rfc6265` profile by default: the expectations are RFC 6265's.
//!
//! Why not `parser.json`, the corpus's JSON rendering: it splits the expected Cookie header
//! into name/value pairs on `=`, so a nameless cookie (`Cookie: foo`) cannot be told from a
//! cookie named `foo` with an empty value, and it loses the exact octets of the header.
//!
//! How a line becomes a field value, as the original test server (`testserver.py`) and a user
//! agent's HTTP parser did it: the server matched `(\S+):\s*(.*)` on each line and sent the
//! header again, so whitespace after the colon (Python's `\s`: SP, HTAB, LF, CR, VT, FF) is
//! dropped; the user agent then drops trailing SP/HTAB, which are not part of a field value
//! (RFC 9110 §5.5). Every other octet is kept, including control characters and octets that
//! are not UTF-8 (written `{ base64: ... }`).
//!
//! Malformed files are imported with a [`Warning`]: `0028-expected` holds two `Set-Cookie:`
//! lines instead of a `Cookie:` line (a copy of `0028-test`); it is read as "no Cookie
//! header", the expectation of `0026`, whose test differs from `0028` only in the whitespace
//! of its second line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use reference_jar::{Profile, UnixTime};

use super::yaml;
use cookie_conformance::clock::format_timestamp;
use super::{io, ImportError};

/// Where the original runner sent the browser first (the test name is appended).
pub const SET_URL: &str = "http://home.example.org:8888/cookie-parser?";
/// Where it read the Cookie header back, unless the test has a `Location:` line.
pub const RESULT_URL: &str = "http://home.example.org:8888/cookie-parser-result?";
/// The corpus's era, the default clock of imported cases: 2011-04-01T00:00:00Z (RFC 6265 was
/// published in April 2011). Any time between the corpus's past dates (2007-08-07) and its
/// first future one (2019-08-07) gives the same results.
pub const ERA: UnixTime = 1_301_616_000;

/// Something odd in the corpus that the import worked around.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// The file (its name, e.g. `0028-expected`).
    pub file: String,
    /// What was odd and what the import did.
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.file, self.message)
    }
}

/// One parser test, read and interpreted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParserTest {
    /// The test's name (`domain0001`, `disabled-path0029`).
    pub name: String,
    /// The `Set-Cookie` field values, in order.
    pub set_cookies: Vec<Vec<u8>>,
    /// The URL the cookies were set from.
    pub set_url: String,
    /// The URL the Cookie header was read at.
    pub result_url: String,
    /// The expected Cookie header value; `None`: no Cookie header.
    pub expected: Option<Vec<u8>>,
    /// Warnings about this test's files (also rendered as comments above the case).
    pub warnings: Vec<Warning>,
}

/// Python 2's `\s` for byte strings: what `testserver.py`'s `:\s*` skipped after the colon.
fn is_python_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// The lines of a file, split on LF (a CR before the LF is part of the line terminator).
fn lines(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    let body = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    let empty = bytes.is_empty();
    body.split(|&b| b == b'\n').filter(move |_| !empty).map(|l| l.strip_suffix(b"\r").unwrap_or(l))
}

/// `Name: value` → (name, value) with the value cut as described in the module docs.
fn header(line: &[u8]) -> Option<(&[u8], &[u8])> {
    let colon = line.iter().position(|&b| b == b':')?;
    let (name, rest) = (&line[..colon], &line[colon + 1..]);
    if name.is_empty() || name.iter().any(|&b| is_python_space(b)) {
        return None;
    }
    let start = rest.iter().position(|&b| !is_python_space(b)).unwrap_or(rest.len());
    let mut value = &rest[start..];
    while let [head @ .., b' ' | b'\t'] = value {
        value = head;
    }
    Some((name, value))
}

fn show(b: &[u8]) -> String {
    cookie_conformance::bytes::escape(b)
}

/// Interprets one test from the contents of its two files. Never fails: oddities become
/// warnings.
pub fn parse_test(name: &str, test: &[u8], expected: &[u8]) -> ParserTest {
    let mut warnings = Vec::new();
    let mut warn = |file: &str, message: String| warnings.push(Warning { file: file.to_owned(), message });
    let test_file = format!("{name}-test");
    let expected_file = format!("{name}-expected");
    let set_url = format!("{SET_URL}{name}");

    let mut set_cookies = Vec::new();
    let mut location: Option<Vec<u8>> = None;
    for (i, line) in lines(test).enumerate() {
        match header(line) {
            Some((n, v)) if n.eq_ignore_ascii_case(b"set-cookie") => set_cookies.push(v.to_vec()),
            Some((n, v)) if n.eq_ignore_ascii_case(b"location") => {
                if location.is_some() {
                    warn(&test_file, format!("line {}: a second Location line (`{}`) is ignored; the first one is used", i + 1, show(v)));
                } else {
                    location = Some(v.to_vec());
                }
            }
            Some((n, _)) => warn(&test_file, format!("line {}: header `{}` has nothing to do with cookies; ignored", i + 1, show(n))),
            None => warn(&test_file, format!("line {}: `{}` is not a header line; ignored", i + 1, show(line))),
        }
    }

    let result_url = match location {
        None => format!("{RESULT_URL}{name}"),
        Some(loc) => resolve_location(&set_url, &loc).unwrap_or_else(|why| {
            warn(&test_file, format!("{why}; the default result URL is used"));
            format!("{RESULT_URL}{name}")
        }),
    };

    let mut cookie_lines = Vec::new();
    let mut other_lines = Vec::new();
    for line in lines(expected) {
        match line.strip_prefix(b"Cookie:") {
            Some(rest) => {
                let start = rest.iter().position(|&b| !is_python_space(b)).unwrap_or(rest.len());
                cookie_lines.push(rest[start..].to_vec());
            }
            None if line.iter().all(|&b| is_python_space(b)) => {}
            None => other_lines.push(line),
        }
    }
    if !other_lines.is_empty() {
        let shown: Vec<String> = other_lines.iter().map(|l| format!("`{}`", show(l))).collect();
        let read = if cookie_lines.is_empty() { "no Cookie header" } else { "its `Cookie:` line" };
        // testserver.py searched `Cookie:\s*(.*)` anywhere in the file, so it would have read
        // the rest of a `Set-Cookie:` line as the expected header: say what it would have got.
        let server = server_reading(expected)
            .map(|v| format!(" (the original test server's regex `Cookie:\\s*(.*)` would have expected `{}`)", show(&v)))
            .unwrap_or_default();
        warn(
            &expected_file,
            format!(
                "malformed: holds {} line(s) that are not a `Cookie:` line ({}); imported as {read}{server}",
                other_lines.len(),
                shown.join(", ")
            ),
        );
    }
    if cookie_lines.len() > 1 {
        warn(&expected_file, format!("{} `Cookie:` lines; the first is the expectation", cookie_lines.len()));
    }
    let expected = match cookie_lines.into_iter().next() {
        Some(v) if v.is_empty() => {
            warn(&expected_file, "an empty `Cookie:` line is read as \"no Cookie header\"".to_owned());
            None
        }
        other => other,
    };
    ParserTest { name: name.to_owned(), set_cookies, set_url, result_url, expected, warnings }
}

/// The first `Cookie:\s*(.*)` match anywhere in the file, as testserver.py read it.
fn server_reading(expected: &[u8]) -> Option<Vec<u8>> {
    let at = expected.windows(7).position(|w| w == b"Cookie:")?;
    let rest = &expected[at + 7..];
    let start = rest.iter().position(|&b| !is_python_space(b)).unwrap_or(rest.len());
    let rest = &rest[start..];
    Some(rest[..rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len())].to_vec())
}

/// A `Location:` value as the browser followed it: an absolute URL is kept as written (some
/// tests spell the host in mixed case on purpose); a relative one is resolved against the URL
/// of the response.
fn resolve_location(base: &str, location: &[u8]) -> Result<String, String> {
    let text = std::str::from_utf8(location).map_err(|_| format!("Location `{}` is not UTF-8", show(location)))?;
    if url::Url::parse(text).is_ok() {
        return Ok(text.to_owned());
    }
    let base = url::Url::parse(base).map_err(|e| format!("cannot parse `{base}`: {e}"))?;
    base.join(text).map(String::from).map_err(|e| format!("Location `{text}` does not resolve: {e}"))
}

/// The folder holding the `NAME-test` files: `dir`, or `dir/tests/data/parser`, or
/// `dir/data/parser`.
pub fn parser_dir(dir: &Path) -> Result<PathBuf, ImportError> {
    for candidate in [dir.to_path_buf(), dir.join("tests/data/parser"), dir.join("data/parser")] {
        let Ok(entries) = std::fs::read_dir(&candidate) else { continue };
        let has_tests = entries.flatten().any(|e| e.file_name().to_string_lossy().ends_with("-test"));
        if has_tests {
            return Ok(candidate);
        }
    }
    Err(ImportError::NoTests(dir.display().to_string()))
}

/// Reads every test of the corpus at `dir` (see [`parser_dir`]), in name order.
pub fn read_corpus(dir: &Path) -> Result<Vec<ParserTest>, ImportError> {
    let parser = parser_dir(dir)?;
    let mut names = Vec::new();
    for entry in std::fs::read_dir(&parser).map_err(io(&parser))? {
        let entry = entry.map_err(io(&parser))?;
        let file = entry.file_name().to_string_lossy().into_owned();
        if let Some(name) = file.strip_suffix("-test") {
            names.push(name.to_owned());
        }
    }
    names.sort();
    let mut tests = Vec::with_capacity(names.len());
    for name in names {
        let test_path = parser.join(format!("{name}-test"));
        let expected_path = parser.join(format!("{name}-expected"));
        let test = read_test_file(&test_path)?;
        if !expected_path.exists() {
            return Err(ImportError::MissingExpected(test_path.display().to_string()));
        }
        let expected = read_test_file(&expected_path)?;
        tests.push(parse_test(&name, &test, &expected));
    }
    Ok(tests)
}

/// The largest test or expected file read (the corpus's are a few hundred bytes).
const MAX_TEST_FILE: u64 = 1024 * 1024;

/// Reads one corpus file (see [`cookie_conformance::load::read_regular_file`]).
fn read_test_file(path: &Path) -> Result<Vec<u8>, ImportError> {
    use cookie_conformance::load::{read_regular_file, FileRefused};
    read_regular_file(path, MAX_TEST_FILE).map_err(|refused| match refused {
        FileRefused::Io(error) => ImportError::Io { path: path.display().to_string(), error },
        refused => ImportError::NotATestFile { path: path.display().to_string(), why: format!("{refused}: not an http-state test") },
    })
}

/// Cases per generated file: a file stays far below the loader's node budget
/// ([`cookie_conformance::load::MAX_NODES_PER_FILE`], about 7,000 such cases).
pub const CASES_PER_FILE: usize = 1000;

/// How to write the cases.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// The profiles the cases run under (default: rfc6265, whose expectations they are).
    pub profiles: Vec<Profile>,
    /// The clock (default [`ERA`]).
    pub now: UnixTime,
}

impl Default for Options {
    fn default() -> Self {
        Options { profiles: vec![Profile::Rfc6265], now: ERA }
    }
}

/// The case name of a test.
pub fn case_name(test: &str) -> String {
    format!("http-state parser {test}")
}

/// The file a test goes to: its name without digits and without a `disabled-`/`optional-`
/// mark (`domain`, `chromium`), or `basic` for the numbered tests `0001`...
pub fn group(test: &str) -> String {
    let bare = test.strip_prefix("disabled-").or_else(|| test.strip_prefix("optional-")).unwrap_or(test);
    let letters: String = bare.chars().take_while(|c| !c.is_ascii_digit()).collect();
    if letters.is_empty() {
        "basic".to_owned()
    } else {
        letters
    }
}

/// The RFC 6265 sections a test exercises: parsing (§5.2), storage (§5.3) and the Cookie header
/// (§5.4) always, and the section of each attribute it uses.
pub fn sections(test: &ParserTest) -> Vec<String> {
    let mut out = vec!["5.2", "5.3", "5.4"];
    for line in &test.set_cookies {
        for attr in line.split(|&b| b == b';').skip(1) {
            let name = attr.split(|&b| b == b'=').next().unwrap_or_default();
            let name = name.trim_ascii().to_ascii_lowercase();
            let add: &[&str] = match name.as_slice() {
                b"expires" => &["5.1.1", "5.2.1"],
                b"max-age" => &["5.2.2"],
                b"domain" => &["5.1.3", "5.2.3"],
                b"path" => &["5.1.4", "5.2.4"],
                b"secure" => &["5.2.5"],
                b"httponly" => &["5.2.6"],
                _ => &[],
            };
            out.extend_from_slice(add);
        }
    }
    out.sort_by_key(|s| s.split('.').map(|n| n.parse::<u32>().unwrap_or(0)).collect::<Vec<_>>());
    out.dedup();
    out.into_iter().map(|s| format!("rfc6265 {s}")).collect()
}

fn tags(test: &ParserTest) -> Vec<&'static str> {
    let mut tags = vec!["http-state", "rfc6265"];
    if test.name.starts_with("disabled-") {
        tags.push("http-state-disabled");
    }
    if test.name.starts_with("optional-") {
        tags.push("http-state-optional");
    }
    tags
}

/// One test as a case (YAML text, a list item, indented for a case file).
pub fn render_case(test: &ParserTest, options: &Options) -> String {
    let mut out = String::new();
    for w in &test.warnings {
        out.push_str(&format!("# warning: {w}\n"));
    }
    let spec: Vec<String> = sections(test).iter().map(|s| yaml::quote(s)).collect();
    let profiles: Vec<&str> = options.profiles.iter().map(|p| p.name()).collect();
    out.push_str(&format!("- name: {}\n", yaml::quote(&case_name(&test.name))));
    out.push_str(&format!("  spec: [{}]\n", spec.join(", ")));
    out.push_str(&format!("  tags: [{}]\n", tags(test).join(", ")));
    out.push_str(&format!("  profiles: [{}]\n", profiles.join(", ")));
    out.push_str(&format!("  now: {}\n", format_timestamp(options.now)));
    out.push_str("  steps:\n");
    out.push_str("    - set:\n");
    out.push_str(&format!("        url: {}\n", yaml::quote(&test.set_url)));
    if test.set_cookies.is_empty() {
        out.push_str("        cookies: []\n");
    } else {
        out.push_str("        cookies:\n");
        for c in &test.set_cookies {
            out.push_str(&format!("          - {}\n", yaml::bytes(c)));
        }
    }
    let cookie = test.expected.as_deref().map_or_else(|| "null".to_owned(), yaml::bytes);
    out.push_str(&format!("    - expect: {{ url: {}, cookie: {cookie} }}\n", yaml::quote(&test.result_url)));
    out
}

/// A case file holding `tests`.
pub fn render_file(tests: &[&ParserTest], options: &Options) -> String {
    let mut out = String::from(
        "# Generated by `cookie-conformance import http-state` from the http-state parser corpus\n\
         # (IETF http-state working group, tests/data/parser/NAME-test and NAME-expected).\n\
         # The expectations are RFC 6265's (2011); regenerate rather than edit.\n",
    );
    for test in tests {
        out.push('\n');
        out.push_str(&render_case(test, options));
    }
    out
}

/// The case files for `tests`: (file name, YAML text), one file per [`group`].
pub fn render(tests: &[ParserTest], options: &Options) -> Vec<(String, String)> {
    let mut groups: BTreeMap<String, Vec<&ParserTest>> = BTreeMap::new();
    for t in tests {
        groups.entry(group(&t.name)).or_default().push(t);
    }
    let mut files = Vec::new();
    for (g, ts) in groups {
        if ts.len() <= CASES_PER_FILE {
            files.push((format!("{g}.yaml"), render_file(&ts, options)));
        } else {
            // A large group is split (`domain-1.yaml`, `domain-2.yaml`, ...) so that every file
            // loads back.
            for (i, chunk) in ts.chunks(CASES_PER_FILE).enumerate() {
                files.push((format!("{g}-{}.yaml", i + 1), render_file(chunk, options)));
            }
        }
    }
    files
}

/// Loads the generated files back and checks that every case is there with the exact bytes,
/// URLs and expectation of its test: the importer writes YAML by hand, so it proves it.
pub fn check_round_trip(files: &[(String, String)], tests: &[ParserTest]) -> Result<(), ImportError> {
    use cookie_conformance::case::{CookieExpectation, Step};
    let corpus = super::load_generated(files)?;
    if corpus.len() != tests.len() {
        return Err(ImportError::RoundTrip(format!("{} cases for {} tests", corpus.len(), tests.len())));
    }
    for t in tests {
        let name = case_name(&t.name);
        let case = corpus.get(&name).ok_or_else(|| ImportError::RoundTrip(format!("`{name}` is missing")))?;
        let ok = match case.steps.as_slice() {
            [Step::Set(set), Step::Expect(expect)] => {
                set.url == t.set_url
                    && set.cookies == t.set_cookies
                    && expect.url.as_deref() == Some(t.result_url.as_str())
                    && expect.cookie
                        == Some(CookieExpectation::Exactly(t.expected.clone().map(cookie_conformance::bytes::Bytes)))
            }
            _ => false,
        };
        if !ok {
            return Err(ImportError::RoundTrip(format!("`{name}` does not read back as its test")));
        }
    }
    Ok(())
}

/// Writes the case files into `out` (created if needed), after [`check_round_trip`]. Returns
/// the paths written.
pub fn write(tests: &[ParserTest], options: &Options, out: &Path) -> Result<Vec<PathBuf>, ImportError> {
    let files = render(tests, options);
    check_round_trip(&files, tests)?;
    super::write_files(&files, out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use cookie_conformance::load::Corpus;

    fn fixtures() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/http-state")
    }

    #[test]
    fn a_plain_test() {
        let t = parse_test("0001", b"Set-Cookie: foo=bar\n", b"Cookie: foo=bar\n");
        assert_eq!(t.set_cookies, vec![b"foo=bar".to_vec()]);
        assert_eq!(t.set_url, "http://home.example.org:8888/cookie-parser?0001");
        assert_eq!(t.result_url, "http://home.example.org:8888/cookie-parser-result?0001");
        assert_eq!(t.expected.as_deref(), Some(&b"foo=bar"[..]));
        assert!(t.warnings.is_empty());
    }

    #[test]
    fn whitespace_around_values_as_the_server_and_a_browser_cut_it() {
        // Leading: testserver.py's `:\s*` (VT and FF too). Trailing: SP/HTAB are not part of
        // a field value. Inside: kept.
        let t = parse_test("w", b"Set-Cookie: \t\x0b a = b ;\tpath=/ \t\nSet-Cookie:    \nSet-Cookie:\n", b"");
        assert_eq!(t.set_cookies, vec![b"a = b ;\tpath=/".to_vec(), Vec::new(), Vec::new()]);
        assert_eq!(t.expected, None);
        // A CR inside a line is kept (it is what the test is about); CR LF ends a line.
        let t = parse_test("cr", b"Set-Cookie: A=B\rC\r\n", b"Cookie: A=B\r\n");
        assert_eq!(t.set_cookies, vec![b"A=B\rC".to_vec()]);
        assert_eq!(t.expected.as_deref(), Some(&b"A=B"[..]));
    }

    #[test]
    fn locations() {
        let t = parse_test("p", b"Set-Cookie: a=b\nLocation: /cookie-parser-result/f%6Fo//x?p\n", b"Cookie: a=b");
        assert_eq!(t.result_url, "http://home.example.org:8888/cookie-parser-result/f%6Fo//x?p");
        let t = parse_test("d", b"Set-Cookie: a=b\nLocation: http://hoMe.eXample.org:8888/cookie-parser-result?d\n", b"");
        assert_eq!(t.result_url, "http://hoMe.eXample.org:8888/cookie-parser-result?d", "kept as written");
        let t = parse_test("two", b"Location: /x?1\nLocation: /y?2\n", b"");
        assert_eq!(t.result_url, "http://home.example.org:8888/x?1");
        assert!(t.warnings[0].message.contains("second Location"), "{:?}", t.warnings);
    }

    #[test]
    fn malformed_expected_file_like_0028() {
        let t = parse_test("0028", b"Set-Cookie: foo\nSet-Cookie: \t\n", b"Set-Cookie: foo\nSet-Cookie: \t\n");
        assert_eq!(t.expected, None);
        assert_eq!(t.warnings.len(), 1);
        let w = t.warnings[0].to_string();
        assert!(w.starts_with("0028-expected: malformed: holds 2 line(s)"), "{w}");
        assert!(w.contains("imported as no Cookie header"), "{w}");
        assert!(w.contains("would have expected `foo`"), "{w}");
    }

    #[test]
    fn odd_lines_are_warnings() {
        let t = parse_test("x", b"X-Other: 1\nnot a header\n", b"Cookie: a\nCookie: b\n");
        assert_eq!(t.set_cookies, Vec::<Vec<u8>>::new());
        assert_eq!(t.expected.as_deref(), Some(&b"a"[..]));
        let text: Vec<String> = t.warnings.iter().map(ToString::to_string).collect();
        assert!(text[0].contains("`X-Other` has nothing to do with cookies"), "{text:?}");
        assert!(text[1].contains("`not a header` is not a header line"), "{text:?}");
        assert!(text[2].contains("2 `Cookie:` lines"), "{text:?}");
    }

    #[test]
    fn sections_follow_the_attributes() {
        let t = parse_test("s", b"Set-Cookie: a=b; Expires=x; PATH=/; secure\nSet-Cookie: c=d;  domain =x; max-age=1; HttpOnly\n", b"");
        assert_eq!(
            sections(&t),
            ["5.1.1", "5.1.3", "5.1.4", "5.2", "5.2.1", "5.2.2", "5.2.3", "5.2.4", "5.2.5", "5.2.6", "5.3", "5.4"]
                .map(|s| format!("rfc6265 {s}"))
        );
        assert_eq!(sections(&parse_test("n", b"Set-Cookie: a=b\n", b"")), ["rfc6265 5.2", "rfc6265 5.3", "rfc6265 5.4"]);
    }

    #[test]
    fn groups() {
        assert_eq!(group("0001"), "basic");
        assert_eq!(group("domain0012"), "domain");
        assert_eq!(group("disabled-chromium0020"), "chromium");
        assert_eq!(group("optional-domain0030"), "domain");
    }

    #[test]
    fn rendered_case() {
        let t = parse_test("0001", b"Set-Cookie: foo=bar\n", b"Cookie: foo=bar\n");
        assert_eq!(
            render_case(&t, &Options::default()),
            "- name: \"http-state parser 0001\"\n  spec: [\"rfc6265 5.2\", \"rfc6265 5.3\", \"rfc6265 5.4\"]\n  tags: [http-state, rfc6265]\n  profiles: [rfc6265]\n  now: 2011-04-01T00:00:00Z\n  steps:\n    - set:\n        url: \"http://home.example.org:8888/cookie-parser?0001\"\n        cookies:\n          - \"foo=bar\"\n    - expect: { url: \"http://home.example.org:8888/cookie-parser-result?0001\", cookie: \"foo=bar\" }\n"
        );
    }

    #[test]
    fn fixture_corpus_imports_and_round_trips() {
        let tests = read_corpus(&fixtures()).unwrap();
        let names: Vec<&str> = tests.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["0001", "0002", "0003", "charset0001", "disabled-name0001", "domain0001", "path0001"]);
        let latin1 = &tests[3];
        assert_eq!(latin1.set_cookies, vec![b"caf\xe9=cr\xe8me".to_vec()]);
        let files = render(&tests, &Options::default());
        let text: String = files.iter().map(|(_, t)| t.as_str()).collect();
        assert!(text.contains("{ base64: "), "non-UTF-8 bytes are written as base64");
        assert!(text.contains("# warning: 0003-expected: malformed"), "{text}");
        assert!(text.contains("tags: [http-state, rfc6265, http-state-disabled]"));
        check_round_trip(&files, &tests).unwrap();
        assert_eq!(files.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(), ["basic.yaml", "charset.yaml", "domain.yaml", "name.yaml", "path.yaml"]);
    }

    #[test]
    fn fixture_cases_pass_on_the_reference_jar_under_rfc6265() {
        let dir = tempfile::tempdir().unwrap();
        let tests = read_corpus(&fixtures()).unwrap();
        let written = write(&tests, &Options::default(), dir.path()).unwrap();
        assert_eq!(written.len(), 5);
        let corpus = Corpus::from_dir(dir.path()).unwrap();
        let mut target = crate::targets::ReferenceTarget::new();
        let caps = cookie_conformance::target::Capabilities::all();
        for case in corpus.cases() {
            assert_eq!(case.profiles, vec![Profile::Rfc6265]);
            let r = cookie_conformance::run::run_case(&mut target, &caps, case, Profile::Rfc6265, None, false);
            assert_eq!(r.outcome, cookie_conformance::outcome::Outcome::Pass, "{}", r.detail.unwrap_or_default());
        }
        let other = Options { profiles: vec![Profile::Rfc6265bis], ..Options::default() };
        let text: String = render(&tests, &other).iter().map(|(_, t)| t.as_str()).collect();
        assert!(text.contains("profiles: [rfc6265bis]"));
    }

    #[test]
    fn errors() {
        let dir = tempfile::tempdir().unwrap();
        let err = read_corpus(dir.path()).unwrap_err().to_string();
        assert!(err.contains("no http-state parser tests"), "{err}");
        std::fs::write(dir.path().join("x0001-test"), "Set-Cookie: a=b\n").unwrap();
        let err = read_corpus(dir.path()).unwrap_err().to_string();
        assert!(err.contains("x0001-test: the matching `-expected` file is missing"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_fifos_are_not_read() {
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink("/dev/zero", dir.path().join("z0001-test")).unwrap();
        std::fs::write(dir.path().join("z0001-expected"), "").unwrap();
        let err = read_corpus(dir.path()).unwrap_err().to_string();
        assert!(err.contains("z0001-test") && err.contains("not a regular file"), "{err}");
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("p0001-test"), "Set-Cookie: a=b\n").unwrap();
        let made = std::process::Command::new("mkfifo").arg(dir.path().join("p0001-expected")).status().is_ok_and(|s| s.success());
        if made {
            let err = read_corpus(dir.path()).unwrap_err().to_string();
            assert!(err.contains("p0001-expected") && err.contains("not a regular file"), "{err}");
        }
    }

    #[test]
    fn a_large_group_is_split_into_files_that_load_back() {
        let tests: Vec<ParserTest> = (0..12_000)
            .map(|i| parse_test(&format!("domain{i:05}"), b"Set-Cookie: a=b; Domain=home.example.org\n", b"Cookie: a=b\n"))
            .collect();
        let files = render(&tests, &Options::default());
        assert_eq!(files.len(), 12);
        assert_eq!((files[0].0.as_str(), files[11].0.as_str()), ("domain-1.yaml", "domain-12.yaml"));
        check_round_trip(&files, &tests).unwrap();
    }
}
