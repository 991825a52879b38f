//! Per-target quirk lists: known, declared differences from the reference jar that the fuzzer
//! should not report again and again (as http-garden does). One YAML file per target under
//! `cli/fuzz-quirks/` (the tool's `fuzz_quirk_dir`) (`cookie_store.yaml`, `cookie.yaml`, ...):
//!
//! ```yaml
//! quirks:
//!   - id: header-order
//!     class: order                  # a class name as in signatures (see `Class::name`)
//!     note: "cookie_store sends cookies in hash-map order; §5.8.3 step 4's order is a SHOULD"
//!   - id: localhost-is-not-secure
//!     class: secure
//!     direction: "-"                # optional: "+" the target sends more, "-" it sends less
//!     reason: SecureFromInsecureOrigin   # optional: the reference jar's reason code
//!     line_contains: "Secure"       # optional: the Set-Cookie line contains this
//!     host: localhost               # optional: the request host contains this
//!     note: "..."
//!   - id: not-utf8
//!     class: "*"                    # any class
//!     non_utf8_line: true           # optional: only where some Set-Cookie line is not UTF-8
//!     note: "..."
//! ```
//! A difference is suppressed when a quirk matches it on every field the quirk gives. The
//! report lists every quirk with the number of differences it suppressed.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::classify::Diff;

/// One declared difference.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quirk {
    /// A short identifier.
    pub id: String,
    /// The class it suppresses (`order`, `parse:value`, `domain`, ...).
    pub class: String,
    /// `+` or `-`, when only one direction is meant.
    #[serde(default)]
    pub direction: Option<String>,
    /// The reason code in the signature (`PublicSuffix`, `NotStored`, ...).
    #[serde(default)]
    pub reason: Option<String>,
    /// A substring of the Set-Cookie line.
    #[serde(default)]
    pub line_contains: Option<String>,
    /// A substring of the request host.
    #[serde(default)]
    pub host: Option<String>,
    /// `true`: only in scenarios where some Set-Cookie line so far is not UTF-8 (for targets
    /// whose API takes `&str` and so never sees such a line).
    #[serde(default)]
    pub non_utf8_line: Option<bool>,
    /// Why the difference is known and accepted.
    pub note: String,
}

impl Quirk {
    /// Whether the quirk covers `d`, observed in `at`.
    pub fn matches(&self, d: &Diff, at: &Where<'_>) -> bool {
        let host = at.host;
        (self.class == "*" || self.class == d.class.name())
            && self.non_utf8_line.is_none_or(|want| want == at.non_utf8_line)
            && self.direction.as_deref().is_none_or(|s| s == d.direction.sign())
            && self.reason.as_deref().is_none_or(|r| d.reason.as_deref() == Some(r))
            && self.line_contains.as_deref().is_none_or(|needle| {
                d.line.as_deref().is_some_and(|l| l.windows(needle.len().max(1)).any(|w| w == needle.as_bytes()))
            })
            && self.host.as_deref().is_none_or(|h| host.to_ascii_lowercase().contains(&h.to_ascii_lowercase()))
    }
}

/// The quirks of one target.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quirks {
    /// The list.
    #[serde(default)]
    pub quirks: Vec<Quirk>,
    /// Where it was read from (not in the YAML).
    #[serde(skip)]
    pub file: Option<PathBuf>,
}

/// A quirk file does not parse.
#[derive(Debug, thiserror::Error)]
#[error("quirk file {file}: {message}")]
pub struct QuirkError {
    /// The file.
    pub file: String,
    /// What is wrong.
    pub message: String,
}

impl Quirks {
    /// Parses a quirk file's text.
    pub fn parse(text: &str, file: &str) -> Result<Quirks, QuirkError> {
        serde_saphyr::from_str::<Quirks>(text).map_err(|e| QuirkError { file: file.to_owned(), message: e.to_string() })
    }

    /// The quirks of target `key` from `dir/<key>.yaml`; none when the file does not exist.
    pub fn load(dir: &Path, key: &str) -> Result<Quirks, QuirkError> {
        let path = dir.join(format!("{key}.yaml"));
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                let mut q = Quirks::parse(&text, &path.display().to_string())?;
                q.file = Some(path);
                Ok(q)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Quirks::default()),
            Err(e) => Err(QuirkError { file: path.display().to_string(), message: e.to_string() }),
        }
    }

    /// The index of the first quirk covering `d`.
    pub fn find(&self, d: &Diff, at: &Where<'_>) -> Option<usize> {
        self.quirks.iter().position(|q| q.matches(d, at))
    }
}

/// Where a difference was observed.
#[derive(Clone, Copy, Debug)]
pub struct Where<'a> {
    /// The request host.
    pub host: &'a str,
    /// Some Set-Cookie line so far is not UTF-8.
    pub non_utf8_line: bool,
}

impl<'a> Where<'a> {
    /// At `host`, all lines UTF-8.
    pub fn host(host: &'a str) -> Self {
        Where { host, non_utf8_line: false }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::{Class, Direction};

    fn d(class: Class, direction: Direction, reason: Option<&str>, line: &[u8]) -> Diff {
        Diff {
            direction,
            class,
            reason: reason.map(str::to_owned),
            section: String::new(),
            pair: Vec::new(),
            line: Some(line.to_vec()),
            origin: None,
        }
    }

    #[test]
    fn parse_and_match() {
        let q = Quirks::parse(
            "quirks:\n  - id: order\n    class: order\n    note: unspecified\n  - id: lh\n    class: secure\n    direction: \"-\"\n    reason: NotSent\n    line_contains: Secure\n    host: localhost\n    note: x\n",
            "t.yaml",
        )
        .unwrap();
        assert_eq!(q.find(&d(Class::Order, Direction::Neither, None, b""), &Where::host("example.com")), Some(0));
        let sec = d(Class::Secure, Direction::Missing, Some("NotSent"), b"a=1; Secure");
        assert_eq!(q.find(&sec, &Where::host("LOCALHOST")), Some(1));
        assert_eq!(q.find(&sec, &Where::host("example.com")), None);
        let plus = d(Class::Secure, Direction::Extra, Some("NotSent"), b"a=1; Secure");
        assert_eq!(q.find(&plus, &Where::host("localhost")), None);
        let any = Quirks::parse("quirks:\n  - id: u\n    class: \"*\"\n    non_utf8_line: true\n    note: x\n", "t").unwrap();
        assert_eq!(any.find(&plus, &Where::host("a")), None);
        assert_eq!(any.find(&plus, &Where { host: "a", non_utf8_line: true }), Some(0));
    }

    #[test]
    fn unknown_keys_are_errors_and_missing_files_are_empty() {
        assert!(Quirks::parse("quirks:\n  - id: x\n    class: order\n    note: n\n    extra: 1\n", "t").is_err());
        let q = Quirks::load(Path::new("/nonexistent-dir"), "nothing").unwrap();
        assert!(q.quirks.is_empty());
    }

}
