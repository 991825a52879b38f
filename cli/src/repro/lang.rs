//! The languages reproducers are written in: how each writes a comment, a string, the octets of
//! a Set-Cookie line, and the four calls every template defines (`set_cookies`, `advance`,
//! `expect_cookie`, `expect_stored`, spelt in the language's style).
//!
//! Octets reach each library the way its HTTP client delivers header bytes: Python's
//! http.client, Node's HTTP parser and the JDK decode them as ISO-8859-1 (one character per
//! octet), Go and Rust keep the bytes. So a line is a bytes literal in Python, Go and Rust and a
//! string whose characters are the octets in JavaScript and Java.

use std::fmt::Write as _;
use std::path::Path;

use serde_json::Value;

use super::plan::{Call, StoredValue};
use super::ReproError;

/// A reproducer's language, chosen by its template's file extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    /// `.py`
    Python,
    /// `.js`
    JavaScript,
    /// `.go`
    Go,
    /// `.java` (run as a single source file: `java Repro.java`)
    Java,
    /// `.rs` (a Cargo project's `src/main.rs`)
    Rust,
    /// `.sh` (bash)
    Shell,
    /// `.rb`
    Ruby,
    /// `.php` (PHP's command-line interpreter)
    Php,
    /// `.html` (a page for a person driving a browser)
    Html,
}

impl Lang {
    /// The language of a template file, by its extension.
    pub fn of_path(path: &Path) -> Option<Lang> {
        Some(match path.extension()?.to_str()? {
            "py" => Lang::Python,
            "js" => Lang::JavaScript,
            "go" => Lang::Go,
            "java" => Lang::Java,
            "rs" => Lang::Rust,
            "sh" => Lang::Shell,
            "rb" => Lang::Ruby,
            "php" => Lang::Php,
            "html" => Lang::Html,
            _ => return None,
        })
    }

    /// The file extension of a reproducer.
    pub fn extension(self) -> &'static str {
        match self {
            Lang::Python => "py",
            Lang::JavaScript => "js",
            Lang::Go => "go",
            Lang::Java => "java",
            Lang::Rust => "rs",
            Lang::Shell => "sh",
            Lang::Ruby => "rb",
            Lang::Php => "php",
            Lang::Html => "html",
        }
    }

    /// The language's name, for people.
    pub fn name(self) -> &'static str {
        match self {
            Lang::Python => "Python",
            Lang::JavaScript => "JavaScript",
            Lang::Go => "Go",
            Lang::Java => "Java",
            Lang::Rust => "Rust",
            Lang::Shell => "shell",
            Lang::Ruby => "Ruby",
            Lang::Php => "PHP",
            Lang::Html => "HTML",
        }
    }

    /// `text` as a block of line comments (HTML: escaped text, the template puts it in a comment
    /// or a `<pre>`).
    pub fn comment(self, text: &str) -> String {
        let prefix = match self {
            Lang::Python | Lang::Shell | Lang::Ruby => "#",
            Lang::JavaScript | Lang::Go | Lang::Java | Lang::Rust | Lang::Php => "//",
            Lang::Html => return crate::reports::html::escape_text(text),
        };
        text.lines()
            .map(visible)
            // Java decodes `\u` escapes before anything else, comments included: `\\u` is not one.
            .map(|l| if self == Lang::Java { l.replace("\\u", "\\\\u") } else { l })
            // PHP leaves PHP mode at `?>`, even inside a line comment.
            .map(|l| if self == Lang::Php { l.replace("?>", "? >") } else { l })
            .map(|l| if l.is_empty() { prefix.to_owned() } else { format!("{prefix} {l}") })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// A string literal holding `s` (a URL, a field name).
    pub fn text(self, s: &str) -> String {
        let mut out = String::with_capacity(s.len() + 2);
        let quote = if self == Lang::JavaScript { '\'' } else { '"' };
        if self == Lang::Shell {
            out.push_str("$'");
        } else {
            out.push(quote);
        }
        for c in s.chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                c if c == quote || (self == Lang::Shell && c == '\'') || self.interpolates(c) => {
                    out.push('\\');
                    out.push(c);
                }
                ' '..='~' => out.push(c),
                c if self == Lang::Java && (c as u32) < 0x100 => write!(out, "\\{:03o}", c as u32).unwrap_or(()),
                c => self.unicode_escape(&mut out, c),
            }
        }
        out.push(if self == Lang::Shell { '\'' } else { quote });
        out
    }

    fn unicode_escape(self, out: &mut String, c: char) {
        let n = c as u32;
        match self {
            Lang::Rust | Lang::Ruby | Lang::Php => write!(out, "\\u{{{n:x}}}").unwrap_or(()),
            Lang::Python | Lang::Shell if n > 0xffff => write!(out, "\\U{n:08x}").unwrap_or(()),
            Lang::Go if n > 0xffff => write!(out, "\\U{n:08x}").unwrap_or(()),
            Lang::Python | Lang::Shell | Lang::Go => write!(out, "\\u{n:04x}").unwrap_or(()),
            // JavaScript and Java strings are UTF-16.
            Lang::JavaScript | Lang::Java | Lang::Html => {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    write!(out, "\\u{u:04x}").unwrap_or(());
                }
            }
        }
    }

    /// Whether `c` starts an interpolation inside a double-quoted literal (Ruby's `#{`, PHP's
    /// `$name`), so it must be escaped there.
    fn interpolates(self, c: char) -> bool {
        matches!((self, c), (Lang::Ruby, '#') | (Lang::Php, '$'))
    }

    /// The octets of a header field value as the language's HTTP client hands them to the jar:
    /// a bytes literal (Python, Go, Rust, bash, a binary string in Ruby and PHP) or a string of
    /// ISO-8859-1 characters (JavaScript, Java).
    pub fn octets(self, bytes: &[u8]) -> Result<String, ReproError> {
        if self == Lang::Shell && bytes.contains(&0) {
            return Err(ReproError::Inexpressible("a NUL octet cannot be passed in a shell argument".to_owned()));
        }
        let (open, close) = match self {
            Lang::Python => ("b\"", "\""),
            Lang::Rust => ("&b\"", "\"[..]"),
            Lang::Go | Lang::Java | Lang::Php => ("\"", "\""),
            Lang::Ruby => ("\"", "\".b"),
            Lang::JavaScript => ("'", "'"),
            Lang::Shell => ("$'", "'"),
            Lang::Html => return Ok(crate::reports::html::escape_text(&cookie_conformance::bytes::escape(bytes))),
        };
        let quote = if self == Lang::JavaScript || self == Lang::Shell { b'\'' } else { b'"' };
        let mut out = String::from(open);
        for &b in bytes {
            match b {
                b'\\' => out.push_str("\\\\"),
                b if b == quote || self.interpolates(b as char) => {
                    out.push('\\');
                    out.push(b as char);
                }
                0x20..=0x7e => out.push(b as char),
                // Octal, not `\\u00NN`: Java decodes unicode escapes before lexing, so `\\u000a`
                // would end the line inside the literal.
                b if self == Lang::Java => write!(out, "\\{b:03o}").unwrap_or(()),
                b => write!(out, "\\x{b:02x}").unwrap_or(()),
            }
        }
        out.push_str(close);
        Ok(out)
    }

    /// A stored cookie's field as the template's dump shows it: a string (ISO-8859-1 characters
    /// for names, values and paths, as the octets were delivered; Rust's jar keeps UTF-8).
    fn stored_value(self, v: &StoredValue) -> Result<String, ReproError> {
        Ok(match v {
            StoredValue::Octets(b) => match self {
                Lang::Python => {
                    // A str literal whose code points are the octets.
                    let lit = self.octets(b)?;
                    lit[1..].to_owned()
                }
                Lang::Rust => self.text(&String::from_utf8_lossy(b)),
                _ => self.octets(b)?,
            },
            StoredValue::Text(s) => self.text(s),
        })
    }

    /// One call of the template's API as a statement.
    pub fn call(self, call: &Call) -> Result<String, ReproError> {
        let no_context = |ctx: &Option<Value>| -> Result<(), ReproError> {
            match ctx {
                Some(_) if !matches!(self, Lang::Python | Lang::JavaScript | Lang::Html) => Err(ReproError::Inexpressible(
                    format!("a request context (same-site, method or script API) in a {} reproducer", self.name()),
                )),
                _ => Ok(()),
            }
        };
        match call {
            Call::Set { url, lines, context } => {
                no_context(context)?;
                let lines = lines.iter().map(|l| self.octets(l)).collect::<Result<Vec<_>, _>>()?;
                let url = self.text(url);
                Ok(match self {
                    Lang::Python => format!("set_cookies({url}, [{}]{})", lines.join(", "), self.context_arg(context)),
                    Lang::JavaScript => format!("setCookies({url}, [{}]{});", lines.join(", "), self.context_arg(context)),
                    Lang::Go => format!("setCookies({url}{})", lines.iter().map(|l| format!(", {l}")).collect::<String>()),
                    Lang::Java => format!("setCookies({url}{});", lines.iter().map(|l| format!(", {l}")).collect::<String>()),
                    Lang::Rust => format!("r.set_cookies({url}, &[{}]);", lines.join(", ")),
                    Lang::Shell => format!("set_cookies {url} {}", lines.join(" ")),
                    Lang::Ruby => format!("set_cookies({url}, [{}])", lines.join(", ")),
                    Lang::Php => format!("set_cookies({url}, [{}]);", lines.join(", ")),
                    Lang::Html => unreachable_html(),
                })
            }
            Call::Advance(seconds) => Ok(match self {
                Lang::Python | Lang::Go | Lang::Ruby => format!("advance({seconds})"),
                Lang::JavaScript | Lang::Java | Lang::Php => format!("advance({seconds});"),
                Lang::Rust => format!("r.advance({seconds});"),
                Lang::Shell => format!("advance {seconds}"),
                Lang::Html => unreachable_html(),
            }),
            Call::ExpectCookie { step, url, alternatives, context } => {
                no_context(context)?;
                let url = self.text(url);
                let alts = alternatives
                    .iter()
                    .map(|a| match a {
                        Some(b) => match self {
                            Lang::Go => Ok(format!("some({})", self.octets(b)?)),
                            Lang::Rust => Ok(format!("Some({})", self.octets(b)?)),
                            _ => self.octets(b),
                        },
                        None => Ok(match self {
                            Lang::Python => "None",
                            Lang::JavaScript | Lang::Java | Lang::Php => "null",
                            Lang::Ruby => "nil",
                            Lang::Go => "none",
                            Lang::Rust => "None",
                            Lang::Shell => "@none",
                            Lang::Html => "",
                        }
                        .to_owned()),
                    })
                    .collect::<Result<Vec<_>, ReproError>>()?;
                Ok(match self {
                    Lang::Python => format!("expect_cookie({step}, {url}, [{}]{})", alts.join(", "), self.context_arg(context)),
                    Lang::JavaScript => format!("expectCookie({step}, {url}, [{}]{});", alts.join(", "), self.context_arg(context)),
                    Lang::Go => format!("expectCookie({step}, {url}, {})", alts.join(", ")),
                    Lang::Java => format!("expectCookie({step}, {url}, new String[] {{{}}});", alts.join(", ")),
                    Lang::Rust => format!("r.expect_cookie({step}, {url}, &[{}]);", alts.join(", ")),
                    Lang::Shell => format!("expect_cookie {step} {url} {}", alts.join(" ")),
                    Lang::Ruby => format!("expect_cookie({step}, {url}, [{}])", alts.join(", ")),
                    Lang::Php => format!("expect_cookie({step}, {url}, [{}]);", alts.join(", ")),
                    Lang::Html => unreachable_html(),
                })
            }
            Call::ExpectStored { step, cookies } => {
                if matches!(self, Lang::Go | Lang::Shell | Lang::Html) {
                    return Err(ReproError::Inexpressible(format!("a `stored` expectation in a {} reproducer", self.name())));
                }
                let mut specs = Vec::with_capacity(cookies.len());
                for fields in cookies {
                    let mut parts = Vec::with_capacity(fields.len());
                    for (name, value) in fields {
                        let (k, v) = (self.text(name), self.stored_value(value)?);
                        parts.push(match self {
                            Lang::Python => format!("{k}: {v}"),
                            Lang::JavaScript => format!("{name}: {v}"),
                            Lang::Java => format!("Map.entry({k}, {v})"),
                            Lang::Ruby | Lang::Php => format!("{k} => {v}"),
                            _ => format!("({k}, {v})"),
                        });
                    }
                    specs.push(match self {
                        Lang::Python | Lang::JavaScript | Lang::Ruby => format!("{{{}}}", parts.join(", ")),
                        Lang::Java => format!("Map.ofEntries({})", parts.join(", ")),
                        Lang::Php => format!("[{}]", parts.join(", ")),
                        _ => format!("&[{}][..]", parts.join(", ")),
                    });
                }
                Ok(match self {
                    Lang::Python | Lang::Ruby => format!("expect_stored({step}, [{}])", specs.join(", ")),
                    Lang::Php => format!("expect_stored({step}, [{}]);", specs.join(", ")),
                    Lang::JavaScript => format!("expectStored({step}, [{}]);", specs.join(", ")),
                    Lang::Java => format!("expectStored({step}, List.of({}));", specs.join(", ")),
                    _ => format!("r.expect_stored({step}, &[{}]);", specs.join(", ")),
                })
            }
        }
    }

    /// `, context=...` / `, {...}` after a call's arguments when the request has a context.
    fn context_arg(self, ctx: &Option<Value>) -> String {
        match (ctx, self) {
            (None, _) => String::new(),
            (Some(v), Lang::Python) => format!(", context={}", python_literal(v)),
            (Some(v), _) => format!(", {}", serde_json::to_string(v).unwrap_or_default()),
        }
    }
}

fn unreachable_html() -> String {
    // Html pages are written by `super::html`, never through `call`.
    String::new()
}

/// `line` with the characters a comment should not carry raw written `<U+XXXX>`: controls,
/// and invisible format characters (a byte order mark is a syntax error inside a Go file;
/// bidirectional controls could make a reproducer read otherwise than it runs).
fn visible(line: &str) -> String {
    let invisible = |c: char| {
        c.is_control()
            || matches!(c as u32, 0xad | 0x600..=0x605 | 0x61c | 0x6dd | 0x70f | 0x180e | 0x200b..=0x200f
                | 0x202a..=0x202e | 0x2060..=0x2064 | 0x2066..=0x206f | 0xfeff | 0xfff9..=0xfffb)
    };
    line.chars().map(|c| if invisible(c) { format!("<U+{:04X}>", c as u32) } else { c.to_string() }).collect()
}

/// A JSON value as a Python literal.
fn python_literal(v: &Value) -> String {
    match v {
        Value::Null => "None".to_owned(),
        Value::Bool(true) => "True".to_owned(),
        Value::Bool(false) => "False".to_owned(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => Lang::Python.text(s),
        Value::Array(a) => format!("[{}]", a.iter().map(python_literal).collect::<Vec<_>>().join(", ")),
        Value::Object(o) => format!(
            "{{{}}}",
            o.iter().map(|(k, v)| format!("{}: {}", Lang::Python.text(k), python_literal(v))).collect::<Vec<_>>().join(", ")
        ),
    }
}


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn octets_are_literals_each_language_reads_back_exactly() {
        let line = b"a=\"x\\y'\x00\x7f\xff";
        assert_eq!(Lang::Python.octets(line).unwrap(), r#"b"a=\"x\\y'\x00\x7f\xff""#);
        assert_eq!(Lang::JavaScript.octets(line).unwrap(), r#"'a="x\\y\'\x00\x7f\xff'"#);
        assert_eq!(Lang::Go.octets(line).unwrap(), r#""a=\"x\\y'\x00\x7f\xff""#);
        assert_eq!(Lang::Java.octets(line).unwrap(), r#""a=\"x\\y'\000\177\377""#);
        assert_eq!(Lang::Java.octets(b"a\r\n1").unwrap(), r#""a\015\0121""#);
        assert_eq!(Lang::Rust.octets(line).unwrap(), r#"&b"a=\"x\\y'\x00\x7f\xff"[..]"#);
        assert!(matches!(Lang::Shell.octets(line), Err(ReproError::Inexpressible(_))));
        assert_eq!(Lang::Shell.octets(b"a='1'\x7f").unwrap(), r"$'a=\'1\'\x7f'");
        // Ruby interpolates `#{`, PHP `$name`, inside double quotes.
        assert_eq!(Lang::Ruby.octets(b"a=#{x}\"\xff").unwrap(), r#""a=\#{x}\"\xff".b"#);
        assert_eq!(Lang::Php.octets(b"a=$x\\\x00").unwrap(), r#""a=\$x\\\x00""#);
    }

    #[test]
    fn text_escapes_non_ascii_per_language() {
        assert_eq!(Lang::Python.text("https://ü.example/"), r#""https://\u00fc.example/""#);
        assert_eq!(Lang::Rust.text("ü"), r#""\u{fc}""#);
        assert_eq!(Lang::Java.text("😀"), r#""\ud83d\ude00""#);
        assert_eq!(Lang::Go.text("😀"), r#""\U0001f600""#);
        assert_eq!(Lang::JavaScript.text("it's"), r"'it\'s'");
        assert_eq!(Lang::Ruby.text("#{ü}"), r#""\#{\u{fc}}""#);
        assert_eq!(Lang::Php.text("$ü"), r#""\$\u{fc}""#);
    }

    #[test]
    fn comments_and_languages() {
        assert_eq!(Lang::Go.comment("a\n\nb"), "// a\n//\n// b");
        assert_eq!(Lang::Shell.comment("x"), "# x");
        assert_eq!(Lang::Html.comment("<a> & b"), "&lt;a&gt; &amp; b");
        assert_eq!(Lang::Go.comment("\u{feff}a\u{202e}b"), "// <U+FEFF>a<U+202E>b");
        // Java reads `\u` as a unicode escape even in a comment.
        assert_eq!(Lang::Java.comment(r"a\u{1}"), r"// a\\u{1}");
        assert_eq!(Lang::of_path(Path::new("adapters/x/repro.py")), Some(Lang::Python));
        assert_eq!(Lang::of_path(Path::new("repro.txt")), None);
        assert_eq!(Lang::Php.comment("a=?>b"), "// a=? >b");
        assert_eq!(Lang::Ruby.comment("x"), "# x");
    }

    #[test]
    fn calls_in_each_language() {
        let set = Call::Set { url: "https://e.com/".into(), lines: vec![b"a=1".to_vec(), b"b=2".to_vec()], context: None };
        assert_eq!(Lang::Python.call(&set).unwrap(), r#"set_cookies("https://e.com/", [b"a=1", b"b=2"])"#);
        assert_eq!(Lang::Go.call(&set).unwrap(), r#"setCookies("https://e.com/", "a=1", "b=2")"#);
        assert_eq!(Lang::Shell.call(&set).unwrap(), r"set_cookies $'https://e.com/' $'a=1' $'b=2'");
        let expect = Call::ExpectCookie {
            step: 3,
            url: "https://e.com/".into(),
            alternatives: vec![Some(b"a=1".to_vec()), None],
            context: Some(serde_json::json!({"method": "POST", "same_site": false})),
        };
        assert_eq!(
            Lang::Python.call(&expect).unwrap(),
            r#"expect_cookie(3, "https://e.com/", [b"a=1", None], context={"method": "POST", "same_site": False})"#
        );
        assert_eq!(
            Lang::JavaScript.call(&expect).unwrap(),
            r#"expectCookie(3, 'https://e.com/', ['a=1', null], {"method":"POST","same_site":false});"#
        );
        assert!(matches!(Lang::Go.call(&expect), Err(ReproError::Inexpressible(_))));
        let stored = Call::ExpectStored {
            step: 2,
            cookies: vec![vec![("name", StoredValue::Octets(b"\xff".to_vec())), ("secure", StoredValue::Text("true".into()))]],
        };
        assert_eq!(Lang::Python.call(&stored).unwrap(), r#"expect_stored(2, [{"name": "\xff", "secure": "true"}])"#);
        assert_eq!(
            Lang::Java.call(&stored).unwrap(),
            r#"expectStored(2, List.of(Map.ofEntries(Map.entry("name", "\377"), Map.entry("secure", "true"))));"#
        );
        assert_eq!(Lang::Rust.call(&stored).unwrap(), r#"r.expect_stored(2, &[&[("name", "\u{fffd}"), ("secure", "true")][..]]);"#);
        assert!(matches!(Lang::Go.call(&stored), Err(ReproError::Inexpressible(_))));
        assert_eq!(Lang::Ruby.call(&stored).unwrap(), r#"expect_stored(2, [{"name" => "\xff".b, "secure" => "true"}])"#);
        assert_eq!(Lang::Php.call(&stored).unwrap(), r#"expect_stored(2, [["name" => "\xff", "secure" => "true"]]);"#);
        let none = Call::ExpectCookie { step: 1, url: "http://e.com/".into(), alternatives: vec![None], context: None };
        assert_eq!(Lang::Ruby.call(&none).unwrap(), r#"expect_cookie(1, "http://e.com/", [nil])"#);
        assert_eq!(Lang::Php.call(&none).unwrap(), r#"expect_cookie(1, "http://e.com/", [null]);"#);
        assert_eq!(Lang::Php.call(&set).unwrap(), r#"set_cookies("https://e.com/", ["a=1", "b=2"]);"#);
    }
}
