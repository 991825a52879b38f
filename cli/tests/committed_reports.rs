//! The committed reports are generated, not edited: `reports/SUMMARY.md` is what
//! `reports/results.json` renders, and the README's copy of the seeds' table is SUMMARY.md's.
//! After `cookie-conformance report`, copy the tables into the README (its sections say which).

use std::path::{Path, PathBuf};

use cookie_conformance_cli::reports::{results::ResultsDoc, summary};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(path: &str) -> String {
    std::fs::read_to_string(repo().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn summary_is_rendered_from_the_committed_results() {
    let doc = ResultsDoc::from_json(read("reports/results.json").as_bytes()).expect("reports/results.json reads back");
    let rendered = summary::render(&doc);
    assert!(rendered == read("reports/SUMMARY.md"), "reports/SUMMARY.md is not what reports/results.json renders: run `cookie-conformance report`");
}

#[test]
fn readme_carries_the_seeds_table_of_the_summary() {
    let summary = read("reports/SUMMARY.md");
    let start = summary.find("## The seeds' table").expect("SUMMARY.md has the seeds' table");
    let section = &summary[start..];
    let body = section.split_once("\n\n").map_or("", |(_, b)| b);
    let body = &body[..body.find("\n## ").map_or(body.len(), |e| e + 1)];
    let readme = read("README.md");
    let (_, rest) = readme.split_once("<!-- seeds-table:start -->\n").expect("README has the seeds-table markers");
    let (copied, _) = rest.split_once("<!-- seeds-table:end -->").expect("README has the seeds-table end marker");
    assert!(!body.trim().is_empty(), "an empty seeds' table in SUMMARY.md");
    assert_eq!(copied.trim_end(), body.trim_end(), "README's seeds' table differs from SUMMARY.md's");
}
