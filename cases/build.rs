//! Embeds every case file of this package (`**/*.yaml` beside this script) into the crate.
//!
//! The corpus *is* this package's folder, so `cargo package` carries it without a manual step,
//! and a crate built from the registry embeds the same bytes as the workspace. A build that
//! finds no case file fails: an empty corpus would make every conformance run pass vacuously.
//!
//! `rerun-if-changed` on the folder makes cargo rescan it, so new case files are picked up
//! without touching this script.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let Some(manifest) = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from) else {
        panic!("cargo did not set CARGO_MANIFEST_DIR");
    };
    println!("cargo:rerun-if-changed={}", manifest.display());

    let mut files = Vec::new();
    collect(&manifest, &manifest, &mut files);
    files.sort();
    if files.is_empty() {
        panic!(
            "no case file (*.yaml) below {}: the cookie-conformance corpus is missing from this \
             package, and an empty corpus would pass every target",
            manifest.display()
        );
    }

    let Some(out) = std::env::var_os("OUT_DIR").map(PathBuf::from) else {
        panic!("cargo did not set OUT_DIR");
    };
    let mut code = String::from("/// Every case file, sorted by path.\npub static FILES: &[CaseFile] = &[\n");
    for (rel, abs) in &files {
        code.push_str(&format!("    CaseFile {{ path: {rel:?}, bytes: include_bytes!({abs:?}) }},\n"));
    }
    code.push_str("];\n");
    let target = out.join("embedded_cases.rs");
    let written = fs::File::create(&target).and_then(|mut f| f.write_all(code.as_bytes()));
    if let Err(e) = written {
        panic!("cannot write {}: {e}", target.display());
    }
}

/// Every `*.yaml` regular file below `dir`, as (`/`-separated path below `root`, absolute
/// path). Hidden entries, the crate's own `src/` and `target/`, and symbolic links are passed
/// over: a link could loop or name a device, and a packaged crate holds no links anyway.
fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => panic!("cannot read {}: {e}", dir.display()),
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let Ok(kind) = entry.file_type() else { continue };
        if name.starts_with('.') || (dir == root && (name == "src" || name == "target")) {
            continue;
        }
        if kind.is_dir() {
            collect(root, &path, out);
        } else if kind.is_file() && name.ends_with(".yaml") {
            let Ok(rel) = path.strip_prefix(root) else { continue };
            let rel = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/");
            out.push((rel, path.to_string_lossy().into_owned()));
        }
    }
}
