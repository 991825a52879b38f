//! `adapters/targets.yaml`: how to install and start each adapter (PROTOCOL.md §2, §7.1).
//!
//! The `capabilities` written there are a summary for people; the runner takes the real ones
//! from the adapter's `GET /info`.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::targets::http::wire::WireCapabilities;

/// The environment variable that overrides where `targets.yaml` is looked for.
pub const ENV: &str = "COOKIE_CONFORMANCE_TARGETS";

/// Why `targets.yaml` could not be used.
#[derive(Debug, thiserror::Error)]
pub enum TargetsFileError {
    /// Not readable.
    #[error("reading {path}: {error}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error (in the message, so not also a `source()`).
        error: std::io::Error,
    },
    /// Not the expected YAML.
    #[error("parsing {path}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// The parser's message.
        message: String,
    },
    /// A field with an impossible value.
    #[error("{path}: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

/// A command and the folder it runs in.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommandSpec {
    /// Program and arguments (no shell).
    pub command: Vec<String>,
    /// Working directory, relative to the folder holding `targets.yaml`.
    #[serde(default)]
    pub cwd: Option<String>,
}

/// One adapter entry.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct AdapterEntry {
    /// The adapter's folder name, and its `--target` name.
    pub name: String,
    /// The jar under test (informative).
    #[serde(default)]
    pub library: Option<String>,
    /// Its version (informative).
    #[serde(default)]
    pub version: Option<String>,
    /// The idempotent install command.
    #[serde(default)]
    pub install: Option<CommandSpec>,
    /// The start command; `--port 0` is appended.
    pub start: CommandSpec,
    /// The reproducer template, relative to the folder holding `targets.yaml`
    /// ([`crate::repro`]).
    #[serde(default)]
    pub repro: Option<String>,
    /// The real client the adapter models, as a program driven live
    /// ([`crate::live::driven`]): `--target <name>-live`, `cookie-conformance fidelity`.
    #[serde(default)]
    pub live: Option<CommandSpec>,
    /// That client, for people ("urllib.request with HTTPCookieProcessor").
    #[serde(default)]
    pub live_client: Option<String>,
    /// Summary of `/info`'s `parallel`.
    #[serde(default)]
    pub parallel: bool,
    /// Summary of `/info`'s capabilities.
    #[serde(default)]
    pub capabilities: Option<WireCapabilities>,
}

#[derive(Deserialize)]
struct Raw {
    protocol: String,
    #[serde(default)]
    adapters: Vec<AdapterEntry>,
}

/// A loaded `targets.yaml`.
#[derive(Clone, Debug, PartialEq)]
pub struct TargetsFile {
    /// The folder holding the file (commands' `cwd` are relative to it).
    pub dir: PathBuf,
    /// `protocol:` (`cookie-adapter/1`).
    pub protocol: String,
    /// The adapters, in file order.
    pub adapters: Vec<AdapterEntry>,
}

impl TargetsFile {
    /// Parses `text` as if read from `path`.
    pub fn parse(text: &str, path: &Path) -> Result<TargetsFile, TargetsFileError> {
        let raw: Raw = serde_saphyr::from_str(text)
            .map_err(|e| TargetsFileError::Parse { path: path.to_owned(), message: e.to_string() })?;
        let invalid = |message: String| TargetsFileError::Invalid { path: path.to_owned(), message };
        for a in &raw.adapters {
            if a.start.command.is_empty() {
                return Err(invalid(format!("adapter `{}` has an empty start command", a.name)));
            }
            if raw.adapters.iter().filter(|b| b.name == a.name).count() > 1 {
                return Err(invalid(format!("adapter `{}` is listed twice", a.name)));
            }
        }
        let dir = path.parent().map(Path::to_owned).unwrap_or_else(|| PathBuf::from("."));
        Ok(TargetsFile { dir, protocol: raw.protocol, adapters: raw.adapters })
    }

    /// Reads and parses `path`.
    pub fn load(path: &Path) -> Result<TargetsFile, TargetsFileError> {
        let text = std::fs::read_to_string(path)
            .map_err(|error| TargetsFileError::Read { path: path.to_owned(), error })?;
        TargetsFile::parse(&text, path)
    }

    /// Where `targets.yaml` is: `$COOKIE_CONFORMANCE_TARGETS`, else `adapters/targets.yaml` in
    /// the current directory or one of its parents, else the one next to this crate's sources.
    pub fn default_path() -> PathBuf {
        if let Some(p) = std::env::var_os(ENV) {
            return PathBuf::from(p);
        }
        if let Ok(cwd) = std::env::current_dir() {
            for dir in cwd.ancestors() {
                let candidate = dir.join("adapters").join("targets.yaml");
                if candidate.is_file() {
                    return candidate;
                }
            }
        }
        Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("adapters").join("targets.yaml")
    }

    /// The entry called `name`.
    pub fn find(&self, name: &str) -> Option<&AdapterEntry> {
        self.adapters.iter().find(|a| a.name == name)
    }

    /// The folder a command runs in.
    pub fn cwd_of(&self, cmd: &CommandSpec) -> PathBuf {
        match &cmd.cwd {
            Some(c) => self.dir.join(c),
            None => self.dir.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "protocol: cookie-adapter/1\nadapters:\n  - name: go-cookiejar\n    library: net/http/cookiejar\n    install: { command: [bash, install.sh], cwd: go-cookiejar }\n    start: { command: [bash, run.sh], cwd: go-cookiejar }\n    parallel: true\n    capabilities:\n      virtual_clock: false   # a comment\n      profiles: [rfc6265, rfc6265bis]\n      configurable: [reject_public_suffixes]\n      public_suffix_list: null\n";

    #[test]
    fn parses_entries_and_resolves_cwd() {
        let f = TargetsFile::parse(SAMPLE, Path::new("/x/adapters/targets.yaml")).unwrap();
        assert_eq!(f.protocol, "cookie-adapter/1");
        let a = f.find("go-cookiejar").unwrap();
        assert!(a.parallel);
        assert_eq!(a.start.command, ["bash", "run.sh"]);
        assert_eq!(f.cwd_of(&a.start), Path::new("/x/adapters/go-cookiejar"));
        let caps = a.capabilities.as_ref().unwrap();
        assert_eq!(caps.configurable, ["reject_public_suffixes"]);
        assert!(f.find("nope").is_none());
    }

    #[test]
    fn rejects_bad_files() {
        let p = Path::new("t.yaml");
        assert!(matches!(TargetsFile::parse("adapters: 3", p), Err(TargetsFileError::Parse { .. })));
        let empty = SAMPLE.replace("command: [bash, run.sh]", "command: []");
        assert!(matches!(TargetsFile::parse(&empty, p), Err(TargetsFileError::Invalid { .. })));
        let twice = format!("{SAMPLE}{}", &SAMPLE[SAMPLE.find("  - name").unwrap()..]);
        assert!(matches!(TargetsFile::parse(&twice, p), Err(TargetsFileError::Invalid { .. })));
    }

    #[test]
    fn the_checked_in_file_parses() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../adapters/targets.yaml");
        if path.is_file() {
            let f = TargetsFile::load(&path).unwrap();
            assert!(!f.adapters.is_empty());
            assert_eq!(f.protocol, crate::targets::http::wire::PROTOCOL);
        }
    }
}
