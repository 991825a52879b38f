//! End-to-end tests of the `cookie-conformance` binary on the fixture corpus in
//! tests/fixtures/ (pass, fail, order-only fail, xfail, xpass, stale xfail file, load errors).

use std::path::PathBuf;
use std::process::{Command, Output};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cookie-conformance")).args(args).output().expect("run the binary")
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

#[test]
fn run_on_fixtures_reports_every_outcome() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("out/results.json");
    std::fs::create_dir_all(json.parent().unwrap()).unwrap();
    let cases = fixtures().join("cases");
    let xfail = fixtures().join("xfail.yaml");
    let out = cli(&[
        "run",
        "--cases",
        cases.to_str().unwrap(),
        "--xfail",
        xfail.to_str().unwrap(),
        "--json",
        json.to_str().unwrap(),
    ]);
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(1), "{shown}");
    // The failure report: trace, diff, and the reference jar's reasons.
    assert!(shown.contains("FAIL basic::a wrong expectation fails [rfc6265bis]"), "{shown}");
    assert!(shown.contains("basic/cookies.yaml:10"), "{shown}");
    assert!(shown.contains("       Set-Cookie: \"a=1\""), "{shown}");
    assert!(shown.contains("-a=2\n         +a=1"), "{shown}");
    assert!(shown.contains("order only"), "{shown}");
    assert!(shown.contains("reference: sends \"b=2; a=1\""), "{shown}");
    assert!(shown.contains("FAILED: target reference-jar"), "{shown}");
    assert!(shown.contains("4 passed, 4 failed, 2 xfail, 0 xpass, 0 skipped, 0 error"), "{shown}");

    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["summary"]["failed"], 4);
    assert_eq!(v["summary"]["xfail"], 2);
    let results = v["results"].as_array().unwrap();
    assert_eq!(results.len(), 10);
    let order = results.iter().find(|r| r["case"] == "basic::the wrong order fails as order only").unwrap();
    assert_eq!(order["outcome"], "fail");
    assert_eq!(order["order_only"], true);
    assert_eq!(order["expected"], "a=1; b=2");
    assert_eq!(order["actual"], "b=2; a=1");
    assert_eq!(order["step"], 2);
    assert_eq!(order["line"], 16);
    let xf = results.iter().find(|r| r["case"] == "basic::a known failure").unwrap();
    assert_eq!(xf["outcome"], "xfail");
    assert!(xf["reason"].as_str().unwrap().contains("§5.7 step 13 says no"));
    assert!(xf["detail"].as_str().unwrap().contains("rejected"));
    let clock = results.iter().find(|r| r["case"] == "clock::a cookie expires with the virtual clock").unwrap();
    assert_eq!(clock["outcome"], "pass");
    assert!(clock["duration_us"].is_u64());
}

#[test]
fn filters_narrow_the_run_and_a_clean_run_exits_zero() {
    let cases = fixtures().join("cases");
    let out = cli(&["run", "--cases", cases.to_str().unwrap(), "--filter", "clock::", "--profile", "rfc6265bis"]);
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(0), "{shown}");
    assert!(shown.contains("2 passed, 0 failed"), "{shown}");
    let out = cli(&["run", "--cases", cases.to_str().unwrap(), "--tag", "fixture"]);
    assert!(text(&out).contains("2 passed, 0 failed"), "{}", text(&out));
}

#[test]
fn xpass_fails_the_run() {
    let cases = fixtures().join("cases");
    let xfail = fixtures().join("xfail-xpass.yaml");
    let out = cli(&["run", "--cases", cases.to_str().unwrap(), "--xfail", xfail.to_str().unwrap(), "--filter", "basic::a"]);
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(1), "{shown}");
    assert!(shown.contains("XPASS basic::a cookie comes back [layered-cookies]"), "{shown}");
    assert!(shown.contains("remove the entry"), "{shown}");
    assert!(shown.contains("1 passed, 2 failed, 2 xfail, 1 xpass, 0 skipped, 0 error"), "{shown}");
}

#[test]
fn stale_xfail_file_and_bad_cases_are_errors() {
    let cases = fixtures().join("cases");
    let stale = fixtures().join("xfail-stale.yaml");
    let out = cli(&["run", "--cases", cases.to_str().unwrap(), "--xfail", stale.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("xfail-stale.yaml:2: no case is named `a case that was renamed`"), "{}", text(&out));

    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("area")).unwrap();
    std::fs::write(dir.path().join("area/bad.yaml"), "- name: x\n  spec: [a]\n  stepz: []\n").unwrap();
    let out = cli(&["run", "--cases", dir.path().to_str().unwrap()]);
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(2), "{shown}");
    assert!(shown.contains("area/bad.yaml:3:3: unknown field `stepz`"), "{shown}");
}

#[test]
fn unknown_target_and_schema() {
    let out = cli(&["run", "--target", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("unknown target `nope` (known: reference"), "{}", text(&out));
    let out = cli(&["schema"]);
    assert!(out.status.success());
    let checked_in = std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../cases/schema.json")).unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), checked_in);
}

#[test]
fn bad_command_lines_fail_before_any_work_and_name_the_culprit() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("r");
    let out_dir = out_dir.to_str().unwrap();
    // An unknown target in a report.
    let out = cli(&["report", "--targets", "referenc", "--out", out_dir]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("unknown target `referenc`"), "{}", text(&out));
    // A missing expected-failures folder.
    let out = cli(&["report", "--targets", "reference", "--xfail-dir", "/nonexistent/xfail", "--out", out_dir]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("--xfail-dir /nonexistent/xfail"), "{}", text(&out));
    // A missing quirks folder.
    let out = cli(&["fuzz", "--quirks", "/nonexistent/quirks", "--max-scenarios", "1"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("--quirks /nonexistent/quirks"), "{}", text(&out));
    // Output paths are checked before the run, not after it.
    let out = cli(&["run", "--json", "/nonexistent/dir/x.json"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("--json /nonexistent/dir/x.json") && !text(&out).contains("trials from"), "{}", text(&out));
    let out = cli(&["run", "--html", dir.path().to_str().unwrap()]);
    assert!(text(&out).contains("is a folder") && !text(&out).contains("trials from"), "{}", text(&out));
    // A missing expected-failures file is named once.
    let out = cli(&["run", "--xfail", "/nonexistent/x.yaml"]);
    assert_eq!(text(&out).matches("No such file").count(), 1, "{}", text(&out));
}

#[test]
fn a_report_from_another_folder_keeps_the_expected_failures() {
    // The default xfail folder is the tool's own, wherever it runs from: cookie_store's known
    // failures in the domain area stay expected (without them the report exits 1).
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_cookie-conformance"))
        .args(["report", "--targets", "cookie_store", "--out", "r", "--filter", "domain::"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let results = std::fs::read_to_string(dir.path().join("r/results.json")).unwrap();
    assert!(results.contains("\"xfail\""), "no expected failure was applied");
}
