//! The Web Platform Tests' cookie tables: the files of WPT's `cookies/` tree that call
//! `httpCookieTest(cookie, expected, name, defaultPath)` with literal data, as cases.
//!
//! What `httpCookieTest` does (WPT `cookies/resources/cookie-test.js`): the test page fetches
//! `/cookies/resources/cookie.py?set=...` from its own origin, whose response carries the
//! cookie string(s) as Set-Cookie fields, in order; then it compares what `document.cookie`
//! shows with `expected`, read in a document at the default path (`/cookies/resources/`) unless
//! `defaultPath` is false (then on the test page itself). A case here is that: one `set` from
//! `cookie.py` on `web-platform.test` (https for `.https.` files), one `expect` in the script
//! API at the right path. WPT's expectations are browsers' agreed behaviour, not the spec's
//! text: they are imported as they are, tagged `wpt`, for a jar to be measured against.
//!
//! The tables are JavaScript. This reads only literals: strings (with escapes), template
//! strings, arrays, objects, booleans, and the two expressions the size tests use,
//! `"a".repeat(N)` and `+`. Anything else (a helper call, a variable) makes that entry
//! *skipped*, with the reason; so are whole files that depend on server-side host templates
//! (`.sub.` files: `{{host}}`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{io, yaml, ImportError};

/// The host WPT serves its tests from.
pub const HOST: &str = "web-platform.test";

/// One imported test.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WptTest {
    /// The file below `cookies/` (`attributes/invalid.html`).
    pub file: String,
    /// The test's name in WPT.
    pub name: String,
    /// The Set-Cookie field values, in order, as the page's HTTP parser delivers them.
    pub cookies: Vec<String>,
    /// What `document.cookie` must show (`""`: nothing).
    pub expected: String,
    /// Read at the default path `/cookies/resources/` (WPT's default) or on the test page.
    pub default_path: bool,
    /// The origin is https (`.https.` in the file name).
    pub https: bool,
    /// The section the file's `<meta name=help>` link names, if any (`rfc6265 §5.2`).
    pub help: Option<String>,
    /// What the import changed, if anything (a line end inside a cookie string).
    pub note: Option<String>,
}

/// A test or file that was not imported, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// The file below `cookies/`.
    pub file: String,
    /// The test's name, or `(file)`.
    pub what: String,
    /// Why.
    pub why: String,
}

/// What a WPT tree gave.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WptImport {
    /// The imported tests, in file and table order.
    pub tests: Vec<WptTest>,
    /// What was left out.
    pub skipped: Vec<Skipped>,
    /// Files that call `httpCookieTest`.
    pub files: usize,
}

/// Largest file read: WPT's cookie test files are a few KiB.
const MAX_FILE: u64 = 1024 * 1024;

/// The `cookies/` folder of a WPT checkout: `dir` itself, or `dir/cookies`.
fn cookies_dir(dir: &Path) -> Result<PathBuf, ImportError> {
    for candidate in [dir.join("cookies"), dir.to_path_buf()] {
        if candidate.join("resources").is_dir() || candidate.file_name().is_some_and(|n| n == "cookies") && candidate.is_dir() {
            return Ok(candidate);
        }
    }
    Err(ImportError::NotWpt(dir.display().to_string()))
}

/// Reads every table-driven test of the tree at `dir`.
pub fn read_tree(dir: &Path) -> Result<WptImport, ImportError> {
    let root = cookies_dir(dir)?;
    let mut files = Vec::new();
    walk(&root, &root, &mut files, &mut std::collections::HashSet::new())?;
    files.sort();
    let mut out = WptImport::default();
    for (rel, path) in files {
        let bytes = match cookie_conformance::load::read_regular_file(&path, MAX_FILE) {
            Ok(bytes) => bytes,
            Err(cookie_conformance::load::FileRefused::Io(error)) => return Err(io(&path)(error)),
            // A FIFO, a device or a file far larger than any test: not a test page.
            Err(_) => continue,
        };
        let text = String::from_utf8_lossy(&bytes);
        if !text.contains("httpCookieTest(") {
            continue;
        }
        out.files += 1;
        if rel.contains(".sub.") {
            out.skipped.push(Skipped {
                file: rel.clone(),
                what: "(file)".to_owned(),
                why: "server-side host templates (`{{host}}`): its hosts are not literal".to_owned(),
            });
            continue;
        }
        read_file(&rel, &text, &mut out);
    }
    Ok(out)
}

/// Every `*.html` and `*.js` test file below `dir`, except helpers (`resources/`, `support/`).
fn walk(
    root: &Path,
    dir: &Path,
    out: &mut Vec<(String, PathBuf)>,
    seen: &mut std::collections::HashSet<PathBuf>,
) -> Result<(), ImportError> {
    let canonical = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    if !seen.insert(canonical) {
        return Ok(());
    }
    let entries = std::fs::read_dir(dir).map_err(io(dir))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let Ok(meta) = std::fs::metadata(&path) else { continue };
        if meta.is_dir() {
            if !matches!(name.as_str(), "resources" | "support") && !name.starts_with('.') {
                walk(root, &path, out, seen)?;
            }
        } else if meta.is_file() && (name.ends_with(".html") || name.ends_with(".js")) {
            let rel = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            out.push((rel, path));
        }
    }
    Ok(())
}

/// The tests of one file: tables looped over with `httpCookieTest(test.cookie, ...)`, and
/// direct calls with literal arguments.
fn read_file(rel: &str, text: &str, out: &mut WptImport) {
    let https = rel.contains(".https.");
    let help = help_section(text);
    let mut tables_done: Vec<String> = Vec::new();
    let mut at = 0;
    while let Some(found) = text[at..].find("httpCookieTest(") {
        let call = at + found;
        at = call + "httpCookieTest(".len();
        // The definition in cookie-test.js, or a mention in a comment.
        if text[..call].ends_with("function ") || text[..call].trim_end().ends_with("//") {
            continue;
        }
        let args_start = at;
        let first = text[args_start..].trim_start();
        if let Some(var) = loop_variable(first) {
            // `for (const test of TABLE) { httpCookieTest(test.cookie, ...) }`
            let Some(table) = table_of(&text[..call], var) else {
                out.skipped.push(Skipped { file: rel.to_owned(), what: "(a loop)".to_owned(), why: format!("the table `{var}` loops over is not found") });
                continue;
            };
            if tables_done.contains(&table) {
                continue;
            }
            tables_done.push(table.clone());
            read_table(rel, text, &table, https, help.as_deref(), out);
            continue;
        }
        let mut js = Js::new(&text[args_start..]);
        let args = js.arguments();
        match args {
            Ok(args) => push_test(rel, &args, https, help.as_deref(), out),
            Err(why) => {
                out.skipped.push(Skipped { file: rel.to_owned(), what: format!("a call at byte {call}"), why });
            }
        }
    }
}

/// `test.cookie` → `test`.
fn loop_variable(args: &str) -> Option<&str> {
    let ident: String = args.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '$').collect();
    let rest = &args[ident.len()..];
    (!ident.is_empty() && rest.starts_with(".cookie")).then(|| &args[..ident.len()])
}

/// The table a `for (const VAR of TABLE)` before `before` loops over.
fn table_of(before: &str, var: &str) -> Option<String> {
    let pattern = format!("{var} of ");
    let pos = before.rfind(&pattern)?;
    let rest = &before[pos + pattern.len()..];
    let table: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '$').collect();
    (!table.is_empty()).then_some(table)
}

fn read_table(rel: &str, text: &str, table: &str, https: bool, help: Option<&str>, out: &mut WptImport) {
    let Some(start) = [format!("const {table} ="), format!("let {table} ="), format!("var {table} =")]
        .iter()
        .find_map(|p| text.find(p.as_str()).map(|i| i + p.len()))
    else {
        out.skipped.push(Skipped { file: rel.to_owned(), what: format!("table `{table}`"), why: "its definition is not a literal in this file".to_owned() });
        return;
    };
    let mut js = Js::new(&text[start..]);
    js.ws();
    if !js.eat('[') {
        out.skipped.push(Skipped { file: rel.to_owned(), what: format!("table `{table}`"), why: "not an array literal".to_owned() });
        return;
    }
    loop {
        js.ws();
        if js.eat(']') || js.done() {
            break;
        }
        let entry_start = js.i;
        match js.value() {
            Ok(Val::Obj(fields)) => {
                let get = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
                let args = vec![
                    get("cookie").unwrap_or(Val::Undefined),
                    get("expected").unwrap_or(Val::Undefined),
                    get("name").unwrap_or(Val::Undefined),
                    get("defaultPath").unwrap_or(Val::Undefined),
                ];
                push_test(rel, &args, https, help, out);
            }
            Ok(_) => out.skipped.push(Skipped { file: rel.to_owned(), what: format!("an entry of `{table}`"), why: "not an object".to_owned() }),
            Err(why) => {
                js.i = entry_start;
                let name = js.peek_name().unwrap_or_else(|| format!("an entry of `{table}`"));
                out.skipped.push(Skipped { file: rel.to_owned(), what: name, why });
                if !js.skip_value() {
                    break;
                }
            }
        }
        js.ws();
        if !js.eat(',') {
            js.ws();
            js.eat(']');
            break;
        }
    }
}

/// One test from its arguments `(cookie, expected, name, defaultPath)`.
fn push_test(rel: &str, args: &[Val], https: bool, help: Option<&str>, out: &mut WptImport) {
    let name = match args.get(2) {
        Some(Val::Str(s)) => s.clone(),
        _ => {
            out.skipped.push(Skipped { file: rel.to_owned(), what: "(unnamed)".to_owned(), why: "no literal name".to_owned() });
            return;
        }
    };
    let skip = |why: &str, out: &mut WptImport| out.skipped.push(Skipped { file: rel.to_owned(), what: name.clone(), why: why.to_owned() });
    let cookies = match args.first() {
        Some(Val::Str(s)) => vec![s.clone()],
        Some(Val::Arr(items)) if items.iter().all(|v| matches!(v, Val::Str(_))) => {
            items.iter().filter_map(|v| if let Val::Str(s) = v { Some(s.clone()) } else { None }).collect()
        }
        _ => return skip("the cookie is not a string or a list of strings", out),
    };
    let expected = match args.get(1) {
        Some(Val::Str(s)) => s.clone(),
        _ => return skip("the expected value is not a string", out),
    };
    let default_path = match args.get(3) {
        None | Some(Val::Undefined) => true,
        Some(Val::Bool(b)) => *b,
        _ => return skip("defaultPath is not a boolean", out),
    };
    // An HTTP/1.1 field value ends at CR or LF: the page's parser delivers what precedes it
    // (the rest is a malformed header line, ignored).
    let mut note = None;
    let cookies: Vec<String> = cookies
        .into_iter()
        .map(|c| match c.find(['\r', '\n']) {
            Some(cut) => {
                note = Some("a line end inside the cookie string: the field value ends there (HTTP/1.1 framing)".to_owned());
                c[..cut].to_owned()
            }
            None => c,
        })
        .collect();
    out.tests.push(WptTest {
        file: rel.to_owned(),
        name,
        cookies,
        expected,
        default_path,
        https,
        help: help.map(str::to_owned),
        note,
    });
}

/// `<meta name=help href="...rfc6265#section-5.2">` → `rfc6265 §5.2`.
fn help_section(text: &str) -> Option<String> {
    let at = text.find("name=help")?;
    let href = &text[at..text[at..].find('>').map_or(text.len(), |e| at + e)];
    let doc = if href.contains("rfc6265bis") { "rfc6265bis" } else if href.contains("6265") { "rfc6265" } else { return None };
    let section: String = href.split("#section-").nth(1)?.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
    (!section.is_empty()).then(|| format!("{doc} §{section}"))
}

/// A JavaScript literal value.
#[derive(Clone, Debug, PartialEq)]
enum Val {
    Str(String),
    Bool(bool),
    Num(f64),
    Arr(Vec<Val>),
    Obj(Vec<(String, Val)>),
    Undefined,
}

/// A reader of JavaScript literals (see the module docs for what it accepts).
struct Js<'a> {
    s: &'a str,
    i: usize,
}

impl<'a> Js<'a> {
    fn new(s: &'a str) -> Self {
        Js { s, i: 0 }
    }

    fn rest(&self) -> &'a str {
        &self.s[self.i..]
    }

    fn done(&self) -> bool {
        self.i >= self.s.len()
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.i += c.len_utf8();
            true
        } else {
            false
        }
    }

    /// Skips white space and comments.
    fn ws(&mut self) {
        loop {
            let rest = self.rest();
            let trimmed = rest.trim_start();
            self.i += rest.len() - trimmed.len();
            if trimmed.starts_with("//") {
                self.i += trimmed.find('\n').unwrap_or(trimmed.len());
            } else if trimmed.starts_with("/*") {
                self.i += trimmed.find("*/").map_or(trimmed.len(), |e| e + 2);
            } else {
                return;
            }
        }
    }

    /// `(a, b, c)` after the opening parenthesis.
    fn arguments(&mut self) -> Result<Vec<Val>, String> {
        let mut args = Vec::new();
        loop {
            self.ws();
            if self.eat(')') {
                return Ok(args);
            }
            args.push(self.value()?);
            self.ws();
            if !self.eat(',') {
                self.ws();
                return if self.eat(')') { Ok(args) } else { Err("an argument is not a literal".to_owned()) };
            }
        }
    }

    /// A value: a primary with `.repeat(N)` and `+` concatenation of strings.
    fn value(&mut self) -> Result<Val, String> {
        let mut v = self.primary()?;
        loop {
            self.ws();
            if self.rest().starts_with(".repeat(") {
                self.i += ".repeat(".len();
                self.ws();
                let Val::Num(n) = self.primary()? else { return Err("computed value (repeat of a non-number)".to_owned()) };
                self.ws();
                if !self.eat(')') {
                    return Err("computed value".to_owned());
                }
                let Val::Str(s) = v else { return Err("computed value (repeat of a non-string)".to_owned()) };
                if !(0.0..=100_000.0).contains(&n) {
                    return Err("computed value (repeat count out of range)".to_owned());
                }
                v = Val::Str(s.repeat(n as usize));
            } else if self.peek() == Some('+') {
                self.i += 1;
                self.ws();
                let (Val::Str(a), Val::Str(b)) = (v, self.primary()?) else { return Err("computed value (+ of non-strings)".to_owned()) };
                v = Val::Str(a + &b);
            } else {
                return Ok(v);
            }
        }
    }

    fn primary(&mut self) -> Result<Val, String> {
        self.ws();
        let computed = || Err("computed value (not a literal)".to_owned());
        match self.peek() {
            Some(q @ ('"' | '\'')) => {
                self.i += 1;
                self.string(q).map(Val::Str)
            }
            Some('`') => {
                self.i += 1;
                self.template().map(Val::Str)
            }
            Some('[') => {
                self.i += 1;
                let mut items = Vec::new();
                loop {
                    self.ws();
                    if self.eat(']') {
                        return Ok(Val::Arr(items));
                    }
                    items.push(self.value()?);
                    self.ws();
                    if !self.eat(',') {
                        self.ws();
                        return if self.eat(']') { Ok(Val::Arr(items)) } else { computed() };
                    }
                }
            }
            Some('{') => {
                self.i += 1;
                let mut fields = Vec::new();
                loop {
                    self.ws();
                    if self.eat('}') {
                        return Ok(Val::Obj(fields));
                    }
                    let key = match self.peek() {
                        Some(q @ ('"' | '\'')) => {
                            self.i += 1;
                            self.string(q)?
                        }
                        _ => self.ident(),
                    };
                    if key.is_empty() {
                        return computed();
                    }
                    self.ws();
                    if !self.eat(':') {
                        return computed();
                    }
                    fields.push((key, self.value()?));
                    self.ws();
                    if !self.eat(',') {
                        self.ws();
                        return if self.eat('}') { Ok(Val::Obj(fields)) } else { computed() };
                    }
                }
            }
            Some(c) if c.is_ascii_digit() => {
                let n: String = self.rest().chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
                self.i += n.len();
                n.parse().map(Val::Num).map_err(|_| "a malformed number".to_owned())
            }
            _ => match self.ident().as_str() {
                "true" => Ok(Val::Bool(true)),
                "false" => Ok(Val::Bool(false)),
                "undefined" | "null" => Ok(Val::Undefined),
                _ => computed(),
            },
        }
    }

    fn ident(&mut self) -> String {
        let id: String = self.rest().chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '$').collect();
        self.i += id.len();
        id
    }

    /// A quoted string after its opening quote.
    fn string(&mut self, quote: char) -> Result<String, String> {
        let mut out = String::new();
        loop {
            let Some(c) = self.peek() else { return Err("an unterminated string".to_owned()) };
            self.i += c.len_utf8();
            match c {
                c if c == quote => return Ok(out),
                '\\' => self.escape(&mut out)?,
                '\n' => return Err("a line break in a string".to_owned()),
                c => out.push(c),
            }
        }
    }

    /// A template string after its backquote; `${...}` holds a [`Js::value`].
    fn template(&mut self) -> Result<String, String> {
        let mut out = String::new();
        loop {
            let Some(c) = self.peek() else { return Err("an unterminated template".to_owned()) };
            if self.rest().starts_with("${") {
                self.i += 2;
                let Val::Str(s) = self.value()? else { return Err("computed value (a non-string in a template)".to_owned()) };
                self.ws();
                if !self.eat('}') {
                    return Err("computed value".to_owned());
                }
                out.push_str(&s);
                continue;
            }
            self.i += c.len_utf8();
            match c {
                '`' => return Ok(out),
                '\\' => self.escape(&mut out)?,
                c => out.push(c),
            }
        }
    }

    /// The escape after a backslash (ECMAScript's SingleEscapeCharacter, `\x`, `\u`, `\0`).
    fn escape(&mut self, out: &mut String) -> Result<(), String> {
        let Some(c) = self.peek() else { return Err("an unterminated escape".to_owned()) };
        self.i += c.len_utf8();
        let hex = |js: &mut Js<'_>, n: usize| -> Result<u32, String> {
            let digits: String = js.rest().chars().take(n).collect();
            js.i += digits.len();
            u32::from_str_radix(&digits, 16).map_err(|_| "a malformed escape".to_owned())
        };
        match c {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'v' => out.push('\u{b}'),
            '0' => out.push('\0'),
            'x' => out.push(char::from_u32(hex(self, 2)?).ok_or("a malformed escape")?),
            'u' if self.eat('{') => {
                let digits: String = self.rest().chars().take_while(|c| *c != '}').collect();
                self.i += digits.len();
                self.eat('}');
                let v = u32::from_str_radix(&digits, 16).map_err(|_| "a malformed escape".to_owned())?;
                out.push(char::from_u32(v).ok_or("a malformed escape")?);
            }
            'u' => {
                let v = hex(self, 4)?;
                // A surrogate pair is two \u escapes.
                if (0xD800..0xDC00).contains(&v) && self.rest().starts_with("\\u") {
                    self.i += 2;
                    let low = hex(self, 4)?;
                    let c = char::from_u32(0x10000 + ((v - 0xD800) << 10) + (low.wrapping_sub(0xDC00) & 0x3FF));
                    out.push(c.ok_or("a malformed surrogate pair")?);
                } else {
                    out.push(char::from_u32(v).ok_or("a lone surrogate")?);
                }
            }
            '\n' => {}
            c => out.push(c),
        }
        Ok(())
    }

    /// The `name:` of the entry starting here, when it is a literal (for skip messages).
    fn peek_name(&self) -> Option<String> {
        let rest = self.rest();
        let end = rest.find("\n      }").or_else(|| rest.find('}'))?.min(4096);
        let body = &rest[..end.min(rest.len())];
        let at = body.find("name:")?;
        let mut js = Js::new(&body[at + 5..]);
        match js.primary() {
            Ok(Val::Str(s)) => Some(s),
            _ => None,
        }
    }

    /// Skips one value of any shape (balanced brackets, strings); false at the end of input.
    fn skip_value(&mut self) -> bool {
        let mut depth = 0i32;
        while let Some(c) = self.peek() {
            match c {
                '"' | '\'' | '`' => {
                    self.i += 1;
                    let _ = if c == '`' { self.template().map(|_| ()) } else { self.string(c).map(|_| ()) };
                    continue;
                }
                '[' | '{' | '(' => depth += 1,
                ']' | '}' | ')' if depth == 0 => return true,
                ']' | '}' | ')' => depth -= 1,
                ',' if depth == 0 => return true,
                _ => {}
            }
            self.i += c.len_utf8();
        }
        false
    }
}

/// A case name unique within the import: `wpt FILE: NAME`, numbered when a file repeats a name.
fn case_names(tests: &[WptTest]) -> Vec<String> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    tests
        .iter()
        .map(|t| {
            let base = format!("wpt {}: {}", t.file, t.name.trim());
            let n = seen.entry(base.clone()).or_default();
            *n += 1;
            if *n == 1 { base } else { format!("{base} ({n})") }
        })
        .collect()
}

/// The page a test reads `document.cookie` in.
fn read_url(t: &WptTest) -> String {
    let scheme = if t.https { "https" } else { "http" };
    if t.default_path {
        format!("{scheme}://{HOST}/cookies/resources/echo-cookie.html")
    } else {
        let page = t.file.strip_suffix(".js").map_or_else(|| t.file.clone(), |p| format!("{p}.html"));
        format!("{scheme}://{HOST}/cookies/{page}")
    }
}

/// The case files: one per WPT file (`attributes-invalid.yaml`), `(file name, YAML)`.
pub fn render(tests: &[WptTest]) -> Vec<(String, String)> {
    let names = case_names(tests);
    let mut files: BTreeMap<String, String> = BTreeMap::new();
    for (t, name) in tests.iter().zip(&names) {
        let file = format!("{}.yaml", t.file.trim_end_matches(".html").trim_end_matches(".js").replace(['/', '.'], "-"));
        let text = files.entry(file).or_insert_with(|| {
            format!(
                "# Imported by `cookie-conformance import wpt` from WPT's cookies/{} (web-platform-tests/wpt).\n\
                 # Expectations are WPT's, what document.cookie shows in browsers; regenerate rather than edit.\n",
                t.file
            )
        });
        let scheme = if t.https { "https" } else { "http" };
        let spec = t.help.clone().unwrap_or_else(|| "wpt".to_owned());
        text.push_str(&format!("\n- name: {}\n", yaml::quote(name)));
        text.push_str(&format!("  spec: [{}]\n", yaml::quote(&spec)));
        text.push_str("  tags: [wpt]\n");
        text.push_str("  profiles: [rfc6265bis]\n");
        text.push_str("  steps:\n");
        text.push_str(&format!("    - set:\n        url: \"{scheme}://{HOST}/cookies/resources/cookie.py\"\n        cookies:\n"));
        for c in &t.cookies {
            text.push_str(&format!("          - {}\n", yaml::quote(c)));
        }
        if let Some(note) = &t.note {
            text.push_str(&format!("      # {note}\n"));
        }
        text.push_str(&format!(
            "    - expect: {{ url: {}, context: {{ api: script }}, cookie: {} }}\n",
            yaml::quote(&read_url(t)),
            yaml::quote(&t.expected)
        ));
    }
    files.into_iter().collect()
}

/// Loads the generated files back and checks every case: the importer writes YAML by hand, so
/// it proves it.
pub fn check_round_trip(files: &[(String, String)], tests: &[WptTest]) -> Result<(), ImportError> {
    use cookie_conformance::case::{CookieExpectation, Step};
    let corpus = super::load_generated(files)?;
    for (t, name) in tests.iter().zip(case_names(tests)) {
        let case = corpus.get(&name).ok_or_else(|| ImportError::RoundTrip(format!("`{name}` is missing")))?;
        let ok = match case.steps.as_slice() {
            [Step::Set(set), Step::Expect(expect)] => {
                set.cookies.iter().map(|c| c.as_slice()).eq(t.cookies.iter().map(|c| c.as_bytes()))
                    && expect.url.as_deref() == Some(read_url(t).as_str())
                    && expect.cookie
                        == Some(CookieExpectation::Exactly(Some(cookie_conformance::bytes::Bytes(t.expected.as_bytes().to_vec()))))
            }
            _ => false,
        };
        if !ok {
            return Err(ImportError::RoundTrip(format!("`{name}` does not read back as its test")));
        }
    }
    if corpus.len() != tests.len() {
        return Err(ImportError::RoundTrip(format!("{} cases for {} tests", corpus.len(), tests.len())));
    }
    Ok(())
}

/// Writes the case files into `out` (created if needed), after [`check_round_trip`].
pub fn write(tests: &[WptTest], out: &Path) -> Result<Vec<PathBuf>, ImportError> {
    let files = render(tests);
    check_round_trip(&files, tests)?;
    super::write_files(&files, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixtures() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/wpt")
    }

    #[test]
    fn js_literals() {
        let mut js = Js::new(r#"{ a: "x\ty", 'b': ['p', `q${"z".repeat(3)}`], c: false, /* c */ d: "s" + 't' }"#);
        let Val::Obj(fields) = js.value().unwrap() else { panic!() };
        assert_eq!(fields[0], ("a".into(), Val::Str("x\ty".into())));
        assert_eq!(fields[1].1, Val::Arr(vec![Val::Str("p".into()), Val::Str("qzzz".into())]));
        assert_eq!(fields[2].1, Val::Bool(false));
        assert_eq!(fields[3].1, Val::Str("st".into()));
        assert!(Js::new("helper(1)").value().is_err());
        assert_eq!(Js::new(r#""\u00e9\x41\uD83D\uDE00""#).value().unwrap(), Val::Str("éA😀".into()));
    }

    #[test]
    fn a_tree_of_tables_and_calls_imports_and_round_trips() {
        let import = read_tree(&fixtures()).unwrap();
        assert_eq!(import.files, 3, "{import:?}");
        let names: Vec<&str> = import.tests.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            names,
            ["plain pair", "two headers, one skipped", "kept on the page", "long value", "a line end cuts the field", "direct call"]
        );
        let long = &import.tests[3];
        assert_eq!(long.cookies[0].len(), 2 + 100);
        assert_eq!(import.tests[4].cookies, ["k=1"]);
        assert!(import.tests[4].note.is_some());
        assert!(!import.tests[2].default_path);
        assert!(import.tests[5].https);
        assert_eq!(import.tests[0].help.as_deref(), Some("rfc6265 §5.2"));
        let whys: Vec<&str> = import.skipped.iter().map(|s| s.why.as_str()).collect();
        assert_eq!(import.skipped.len(), 2, "{whys:?}");
        assert!(whys.iter().any(|w| w.starts_with("computed value")), "{whys:?}");
        assert!(whys.iter().any(|w| w.contains("host templates")), "{whys:?}");
        let files = render(&import.tests);
        check_round_trip(&files, &import.tests).unwrap();
        assert_eq!(files.len(), 2);
    }

    #[test]
    fn a_folder_that_is_not_wpt_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let e = read_tree(dir.path()).unwrap_err().to_string();
        assert!(e.contains("neither WPT's cookies/ folder"), "{e}");
    }

    #[test]
    fn imported_cases_run_on_the_reference_jar() {
        let import = read_tree(&fixtures()).unwrap();
        let corpus = crate::import::load_generated(&render(&import.tests)).unwrap();
        let mut target = crate::targets::ReferenceTarget::new();
        let caps = cookie_conformance::Target::capabilities(&target);
        for case in corpus.cases() {
            let r = cookie_conformance::run_case(&mut target, &caps, case, reference_jar::Profile::Rfc6265bis, None, false);
            assert_eq!(r.outcome, cookie_conformance::Outcome::Pass, "{}: {:?}", case.name, r.detail);
        }
    }
}
