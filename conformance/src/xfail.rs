//! Expected failures: a YAML map from case name (optionally `name [profile]`) to the reason the
//! target fails it. A listed case that fails is `xfail`; one that passes is `xpass`, which fails
//! the run so the list cannot go stale silently. Names that match no case are an error.
//!
//! ```yaml
//! # tests/xfail.yaml
//! "leading dot in Domain is ignored": "we keep the leading dot (bug #12)"
//! "Max-Age wins over Expires [rfc6265]": "only under the old profile"
//! # The jar sends the right cookies in an order that varies from run to run (a hash map):
//! "two cookies are joined by a semicolon and a single space":
//!   { reason: "the order follows a HashMap", order_only: true }
//! ```
//!
//! An `order_only` entry tolerates less: a run that passes is a pass (not an xpass, since the
//! order may happen to be right), a run whose every difference is one of Cookie order only
//! (`order_only` in the results) is an xfail, and any other difference is a failure.

use std::fmt;
use std::path::Path;

use reference_jar::Profile;
use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_saphyr::Spanned;

use crate::load::Corpus;

/// One entry of an expected-failures file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct XfailEntry {
    /// The case name.
    pub name: String,
    /// Only under this profile; `None`: under every profile.
    pub profile: Option<Profile>,
    /// Why the target fails it.
    pub reason: String,
    /// The entry's line in the file.
    pub line: u32,
    /// Only differences in Cookie order are expected, and not in every run (see the module
    /// docs).
    pub order_only: bool,
}

/// A parsed expected-failures file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Xfail {
    /// Where it came from, for messages.
    pub source: String,
    /// The entries in file order.
    pub entries: Vec<XfailEntry>,
}

/// A problem with an expected-failures file.
#[derive(Debug, thiserror::Error)]
pub enum XfailError {
    /// The file cannot be read.
    #[error("cannot read expected-failures file {path}: {error}")]
    Io {
        /// The path.
        path: String,
        /// The cause (in the message, so not also a `source()` that reporters print again).
        error: std::io::Error,
    },
    /// The file is not a map of name to reason.
    #[error("{source_name}:{line}:{column}: {message}")]
    Syntax {
        /// The file.
        source_name: String,
        /// 1-based line.
        line: u32,
        /// 1-based column.
        column: u32,
        /// What is wrong.
        message: String,
    },
    /// Entries name cases that do not exist (or profiles they do not run under).
    #[error("stale expected-failures file {source_name}:\n{}", .problems.join("\n"))]
    Stale {
        /// The file.
        source_name: String,
        /// One line per stale entry, `file:line: ...`.
        problems: Vec<String>,
    },
}

/// The value of an entry: a reason, or `{ reason, order_only }`.
struct Value {
    reason: String,
    order_only: bool,
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Value;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a reason, or a map `{ reason: \"...\", order_only: true }`")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Value, E> {
                Ok(Value { reason: v.to_owned(), order_only: false })
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
                let (mut reason, mut order_only) = (None, None);
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "reason" if reason.is_none() => reason = Some(map.next_value::<String>()?),
                        "order_only" if order_only.is_none() => order_only = Some(map.next_value::<bool>()?),
                        "reason" | "order_only" => {
                            return Err(serde::de::Error::custom(format!("`{key}` is given twice")))
                        }
                        other => {
                            return Err(serde::de::Error::unknown_field(other, &["reason", "order_only"]))
                        }
                    }
                }
                let reason = reason.ok_or_else(|| serde::de::Error::missing_field("reason"))?;
                Ok(Value { reason, order_only: order_only.unwrap_or(false) })
            }
        }
        d.deserialize_any(V)
    }
}

struct Entries(Vec<(Spanned<String>, Value)>);

impl<'de> Deserialize<'de> for Entries {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Entries;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map from case name (optionally `name [profile]`) to the reason it fails")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries, A::Error> {
                let mut out = Vec::new();
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    let value: Value = map.next_value()?;
                    out.push((key, value));
                }
                Ok(Entries(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// `name [profile]` → (`name`, profile) when the brackets hold a known profile name.
fn split_profile(key: &str) -> (String, Option<Profile>) {
    if let Some(open) = key.strip_suffix(']').and_then(|k| k.rfind(" [").map(|i| (k, i))) {
        let (k, i) = open;
        if let Some(p) = Profile::from_name(&k[i + 2..]) {
            return (k[..i].to_owned(), Some(p));
        }
    }
    (key.to_owned(), None)
}

impl Xfail {
    /// Parses the text of an expected-failures file.
    pub fn parse(text: &str, source_name: &str) -> Result<Xfail, XfailError> {
        // An empty file, or one with only comments, lists nothing.
        let blank = text.lines().all(|l| {
            let l = l.trim();
            l.is_empty() || l.starts_with('#') || l == "---"
        });
        let entries: Entries = if blank {
            Entries(Vec::new())
        } else {
            serde_saphyr::from_str(text).map_err(|e| {
                let (line, column) = e.location().map_or((0, 0), |l| (l.line() as u32, l.column() as u32));
                let message = e.without_snippet().to_string();
                let message = message.strip_suffix(&format!(" at line {line}, column {column}")).unwrap_or(&message).to_owned();
                XfailError::Syntax { source_name: source_name.to_owned(), line, column, message }
            })?
        };
        let entries = entries
            .0
            .into_iter()
            .map(|(key, value)| {
                let (name, profile) = split_profile(&key.value);
                XfailEntry {
                    name,
                    profile,
                    reason: value.reason,
                    line: key.referenced.line() as u32,
                    order_only: value.order_only,
                }
            })
            .collect();
        Ok(Xfail { source: source_name.to_owned(), entries })
    }

    /// Reads and parses a file.
    pub fn load(path: &Path) -> Result<Xfail, XfailError> {
        let text = std::fs::read_to_string(path)
            .map_err(|error| XfailError::Io { path: path.display().to_string(), error })?;
        Xfail::parse(&text, &path.display().to_string())
    }

    /// Every entry must name a case of the corpus, and a profile the case runs under.
    pub fn check(&self, corpus: &Corpus) -> Result<(), XfailError> {
        let mut problems = Vec::new();
        for e in &self.entries {
            match corpus.get(&e.name) {
                None => problems.push(format!("{}:{}: no case is named `{}`", self.source, e.line, e.name)),
                Some(case) => {
                    if let Some(p) = e.profile {
                        if !case.profiles.contains(&p) {
                            problems.push(format!(
                                "{}:{}: case `{}` does not run under profile {p} (it runs under {})",
                                self.source,
                                e.line,
                                e.name,
                                case.profiles.iter().map(|p| p.name()).collect::<Vec<_>>().join(", ")
                            ));
                        }
                    }
                }
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(XfailError::Stale { source_name: self.source.clone(), problems })
        }
    }

    /// The reason `name` is expected to fail under `profile`: a profile-specific entry wins.
    pub fn reason(&self, name: &str, profile: Profile) -> Option<&str> {
        self.entry(name, profile).map(|e| e.reason.as_str())
    }

    /// The entry for `name` under `profile`: a profile-specific entry wins.
    pub fn entry(&self, name: &str, profile: Profile) -> Option<&XfailEntry> {
        let mut general = None;
        for e in self.entries.iter().filter(|e| e.name == name) {
            match e.profile {
                Some(p) if p == profile => return Some(e),
                None => general = Some(e),
                Some(_) => {}
            }
        }
        general
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::SourceFile;

    fn corpus() -> Corpus {
        let text = "- name: alpha\n  spec: [a]\n  steps:\n    - expect: { stored: [] }\n- name: beta [x]\n  spec: [a]\n  profiles: [rfc6265]\n  steps:\n    - expect: { stored: [] }\n";
        Corpus::from_sources([SourceFile { display: "t.yaml".into(), area: "t".into(), bytes: text.as_bytes().into() }]).unwrap()
    }

    #[test]
    fn names_profiles_and_reasons() {
        let x = Xfail::parse("# comment\nalpha: general\n\"alpha [layered-cookies]\": only layered\n\"beta [x]\": odd name\n", "xf.yaml").unwrap();
        assert_eq!(x.entries.len(), 3);
        assert_eq!(x.entries[1].line, 3);
        assert_eq!(x.reason("alpha", Profile::Rfc6265bis), Some("general"));
        assert_eq!(x.reason("alpha", Profile::LayeredCookies), Some("only layered"));
        // `[x]` is not a profile: it is part of the name.
        assert_eq!(x.reason("beta [x]", Profile::Rfc6265), Some("odd name"));
        assert_eq!(x.reason("gamma", Profile::Rfc6265), None);
        x.check(&corpus()).unwrap();
    }

    #[test]
    fn stale_entries_are_errors() {
        let x = Xfail::parse("alpha: ok\ngone: reason\n\"alpha [rfc6265]\": wrong profile\n", "xf.yaml").unwrap();
        let err = x.check(&corpus()).unwrap_err().to_string();
        assert!(err.contains("xf.yaml:2: no case is named `gone`"), "{err}");
        assert!(err.contains("xf.yaml:3: case `alpha` does not run under profile rfc6265"), "{err}");
    }

    #[test]
    fn order_only_entries() {
        let x = Xfail::parse(
            "alpha: plain\n\"beta [x]\": { reason: hash map order, order_only: true }\n\"alpha [rfc6265bis]\": { reason: r }\n",
            "xf.yaml",
        )
        .unwrap();
        assert!(!x.entries[0].order_only);
        assert!(x.entries[1].order_only);
        assert_eq!(x.entries[1].reason, "hash map order");
        assert_eq!(x.entries[1].line, 2);
        assert!(!x.entries[2].order_only);
        assert_eq!(x.entry("beta [x]", Profile::Rfc6265).map(|e| e.order_only), Some(true));
        x.check(&corpus()).unwrap();
        let err = Xfail::parse("alpha: { order_only: true }\n", "m.yaml").unwrap_err().to_string();
        assert!(err.contains("reason"), "{err}");
        let err = Xfail::parse("alpha: { reason: r, order: true }\n", "u.yaml").unwrap_err().to_string();
        assert!(err.contains("order"), "{err}");
    }

    #[test]
    fn syntax_errors_and_empty_files() {
        assert!(Xfail::parse("", "e.yaml").unwrap().entries.is_empty());
        assert!(Xfail::parse("# nothing yet\n", "e.yaml").unwrap().entries.is_empty());
        let err = Xfail::parse("a: x\na: y\n", "d.yaml").unwrap_err().to_string();
        assert!(err.starts_with("d.yaml:2:1: duplicate mapping key"), "{err}");
        let err = Xfail::parse("- a\n", "l.yaml").unwrap_err().to_string();
        assert!(err.starts_with("l.yaml:1:"), "{err}");
    }
}
