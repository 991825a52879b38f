//! Importers: other cookie test corpora converted into cases of this suite's format
//! (`cases/README.md`), so that any target can run them. `cookie-conformance import SOURCE`.
//!
//! - [`http_state`]: the IETF http-state working group's parser corpus (RFC 6265 era).
//! - [`wpt`]: the Web Platform Tests' table-driven cookie tests (`httpCookieTest`).

pub mod http_state;
pub mod wpt;
pub mod yaml;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use cookie_conformance::load::{Corpus, SourceFile};
use reference_jar::Profile;

/// A problem with the input.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// A file or directory cannot be read or written.
    #[error("{path}: {error}")]
    Io {
        /// The path.
        path: String,
        /// The cause (in the message, so not also a `source()`).
        error: std::io::Error,
    },
    /// The directory holds no parser tests.
    #[error(
        "{0}: no http-state parser tests here (`NAME-test` files), nor in `tests/data/parser` or \
         `data/parser` below it"
    )]
    NoTests(String),
    /// A test file that is not a regular file (a FIFO, a device) or is too large to be one.
    #[error("{path}: {why}")]
    NotATestFile {
        /// The path.
        path: String,
        /// What it is instead.
        why: String,
    },
    /// The folder is not WPT's `cookies/` nor a checkout holding it.
    #[error("{0}: neither WPT's cookies/ folder nor a checkout holding one (no cookies/resources/)")]
    NotWpt(String),
    /// A `NAME-test` file without its `NAME-expected`.
    #[error("{0}: the matching `-expected` file is missing")]
    MissingExpected(String),
    /// The generated YAML does not load back as the same cases (a bug in the importer).
    #[error("the generated cases do not load back correctly: {0}")]
    RoundTrip(String),
}

/// An I/O error as an [`ImportError::Io`] naming `path`.
fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ImportError + '_ {
    move |error| ImportError::Io { path: path.display().to_string(), error }
}

/// The generated case files `(file name, YAML)` loaded as a corpus: how each importer proves
/// that what it wrote by hand reads back.
pub fn load_generated(files: &[(String, String)]) -> Result<Corpus, ImportError> {
    Corpus::from_sources(files.iter().map(|(name, text)| SourceFile {
        display: name.clone(),
        area: String::new(),
        bytes: std::borrow::Cow::Borrowed(text.as_bytes()),
    }))
    .map_err(|e| ImportError::RoundTrip(e.to_string()))
}

/// Writes the case files into `out` (created if needed); the paths written.
pub fn write_files(files: &[(String, String)], out: &Path) -> Result<Vec<PathBuf>, ImportError> {
    std::fs::create_dir_all(out).map_err(io(out))?;
    let mut written = Vec::with_capacity(files.len());
    for (name, text) in files {
        let path = out.join(name);
        std::fs::write(&path, text).map_err(io(&path))?;
        written.push(path);
    }
    Ok(written)
}

/// `cookie-conformance import`: the corpus to convert.
#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// The source corpus.
    #[command(subcommand)]
    pub source: Source,
}

/// The corpora `import` knows.
#[derive(clap::Subcommand, Debug)]
pub enum Source {
    /// The http-state parser corpus (tests/data/parser/NAME-test and NAME-expected, not
    /// parser.json): one case per test, tagged http-state and rfc6265, clock in 2011.
    HttpState(HttpStateArgs),
    /// WPT's cookies/ tree (a checkout of web-platform-tests/wpt, or its cookies/ folder): one
    /// case per `httpCookieTest` with literal data, tagged wpt, expectations as document.cookie
    /// shows them; prints what was imported and what was skipped, and why.
    Wpt(WptArgs),
}

/// `import wpt DIR [--out DIR]`.
#[derive(clap::Args, Debug)]
pub struct WptArgs {
    /// A WPT checkout, or its cookies/ folder.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Write one case file per WPT file into this directory (created if needed); without it,
    /// the cases go to standard output.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// `import http-state DIR [--out DIR] [--profile P]... [--now TIME]`.
#[derive(clap::Args, Debug)]
pub struct HttpStateArgs {
    /// The corpus: its root, or the folder holding the NAME-test files.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Write one case file per test group into this directory (created if needed); without
    /// it, all cases go to standard output as one file.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// The profiles the cases run under (repeatable). Default: rfc6265, whose expectations
    /// they are; give rfc6265bis to measure how far 6265bis moved from them.
    #[arg(long = "profile", value_name = "P", value_parser = parse_profile)]
    pub profiles: Vec<Profile>,
    /// The clock of the cases (RFC 3339). Default: 2011-04-01T00:00:00Z, the corpus's era.
    #[arg(long, value_name = "TIME", value_parser = parse_now)]
    pub now: Option<i64>,
}

fn parse_profile(s: &str) -> Result<Profile, String> {
    Profile::from_name(s).ok_or_else(|| {
        format!("unknown profile `{s}` (expected one of {})", Profile::ALL.map(Profile::name).join(", "))
    })
}

fn parse_now(s: &str) -> Result<i64, String> {
    cookie_conformance::clock::parse_timestamp(s).map(|t| t.0)
}

/// Runs `import`: warnings go to standard error; returns whether it succeeded.
pub fn main(args: ImportArgs) -> anyhow::Result<bool> {
    match args.source {
        Source::HttpState(a) => {
            let tests = http_state::read_corpus(&a.dir)?;
            let mut options = http_state::Options::default();
            if !a.profiles.is_empty() {
                options.profiles = a.profiles;
            }
            if let Some(now) = a.now {
                options.now = now;
            }
            for w in tests.iter().flat_map(|t| &t.warnings) {
                eprintln!("warning: {w}");
            }
            match &a.out {
                Some(out) => {
                    let written = http_state::write(&tests, &options, out)
                        .with_context(|| format!("writing cases into {}", out.display()))?;
                    eprintln!("{} http-state tests imported into {} files in {}", tests.len(), written.len(), out.display());
                }
                None => {
                    let files = http_state::render(&tests, &options);
                    http_state::check_round_trip(&files, &tests)?;
                    let all: Vec<&http_state::ParserTest> = tests.iter().collect();
                    print!("{}", http_state::render_file(&all, &options));
                }
            }
            Ok(true)
        }
        Source::Wpt(a) => {
            let import = wpt::read_tree(&a.dir)?;
            let mut why: BTreeMap<&str, usize> = BTreeMap::new();
            for s in &import.skipped {
                *why.entry(s.why.as_str()).or_default() += 1;
            }
            match &a.out {
                Some(out) => {
                    let written = wpt::write(&import.tests, out).with_context(|| format!("writing cases into {}", out.display()))?;
                    eprintln!(
                        "{} WPT tests from {} files imported into {} case files in {}; {} skipped",
                        import.tests.len(),
                        import.files,
                        written.len(),
                        out.display(),
                        import.skipped.len()
                    );
                }
                None => {
                    let files = wpt::render(&import.tests);
                    wpt::check_round_trip(&files, &import.tests)?;
                    for (_, text) in files {
                        print!("{text}");
                    }
                    eprintln!("{} WPT tests from {} files imported; {} skipped", import.tests.len(), import.files, import.skipped.len());
                }
            }
            for (reason, n) in why {
                eprintln!("  {n:4}  skipped: {reason}");
            }
            for s in &import.skipped {
                eprintln!("        {}: {}: {}", s.file, s.what, s.why);
            }
            Ok(!import.tests.is_empty())
        }
    }
}
