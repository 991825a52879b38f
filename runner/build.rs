//! Bundles the case corpus (`../cases/**/*.yaml`) into the crate, so that a project that adds
//! `cookie-conformance` as a dev-dependency gets the corpus without a checkout of this repository.
//!
//! A packaged crate carries its own copy in `cases/` (copied there before `cargo package`); in
//! the workspace the corpus lives next to the crate. `rerun-if-changed` on a directory makes
//! cargo rescan it, so new case files are picked up without touching the build script (which
//! `include_dir!` cannot promise on stable Rust).

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let inside = manifest.join("cases");
    let beside = manifest.join("../cases");
    let root = if inside.is_dir() { inside } else { beside };
    println!("cargo:rerun-if-changed={}", root.display());

    let mut files = Vec::new();
    if root.is_dir() {
        collect(&root, &root, &mut files);
    } else {
        println!("cargo:warning=no case corpus at {}: the embedded corpus is empty", root.display());
    }
    files.sort();

    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("embedded_cases.rs");
    let mut code = String::from("/// `(path below cases/, contents)` of every case file, sorted by path.\n");
    code.push_str("pub(crate) static FILES: &[(&str, &[u8])] = &[\n");
    for (rel, abs) in &files {
        code.push_str(&format!("    ({rel:?}, include_bytes!({abs:?})),\n"));
    }
    code.push_str("];\n");
    let mut f = fs::File::create(&out).expect("write embedded_cases.rs");
    f.write_all(code.as_bytes()).expect("write embedded_cases.rs");
}

/// Every `*.yaml` below `dir` (skipping hidden entries), as (`/`-separated relative path,
/// absolute path).
fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            collect(root, &path, out);
        } else if name.ends_with(".yaml") {
            let rel = path
                .strip_prefix(root)
                .map(|p| p.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/"))
                .unwrap_or(name);
            let abs = fs::canonicalize(&path).unwrap_or(path);
            out.push((rel, abs.to_string_lossy().into_owned()));
        }
    }
}
