//! The reproducers of the committed report, run for real: for each target below, the program
//! `report` writes for a failing cell is run with that language's runtime and the library the
//! adapter installed, and must exit 1 and print, at the failing step, the Cookie header the
//! report recorded (or, for a `stored` step, report the divergence). Rust's template is not run
//! here (a Cargo project per program); it was run by hand.
//!
//! Needs the adapters installed (`bash adapters/*/install.sh`), curl and wget; a missing runtime skips
//! that language with the reason printed, except under CI (`CI` set), where it fails. Slow
//! languages run a sample; `REPRO_ALL=1` runs every failing cell.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use cookie_conformance_cli::reports::results::{OutcomeName, ResultRecord, ResultsDoc};
use cookie_conformance_cli::repro::{write_dir, ReproError, Templates, Written};

/// Whether a reproducer is missing because a step cannot be written in the template's language
/// (`ReproError::Inexpressible`; the written map keeps each error's message).
fn inexpressible(why: &str) -> bool {
    why.starts_with(&ReproError::Inexpressible(String::new()).to_string())
}
use cookie_conformance_cli::targets_file::TargetsFile;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The committed report and its reproducers, written into a temporary folder.
fn written() -> (ResultsDoc, Written, tempfile::TempDir) {
    let bytes = std::fs::read(repo().join("reports/results.json")).expect("reports/results.json");
    let doc = ResultsDoc::from_json(&bytes).expect("the committed results read back");
    let targets = TargetsFile::load(&repo().join("adapters/targets.yaml")).expect("adapters/targets.yaml");
    let templates = Templates::discover(Some(&targets)).expect("templates");
    let dir = tempfile::tempdir().unwrap();
    let written = write_dir(&doc, &templates, dir.path()).expect("writing the reproducers");
    (doc, written, dir)
}

/// Octets as every template prints them: printable ASCII but `"` and `\` as is, the rest `\xNN`.
fn shown(v: Option<&[u8]>) -> String {
    match v {
        None => "(no Cookie header)".to_owned(),
        Some(b) => {
            let mut out = String::from("\"");
            for &c in b {
                if (0x20..0x7f).contains(&c) && c != b'"' && c != b'\\' {
                    out.push(c as char);
                } else {
                    out.push_str(&format!("\\x{c:02x}"));
                }
            }
            out + "\""
        }
    }
}

/// The recorded `actual` of a cookie step as the octets the target answered.
fn recorded(r: &ResultRecord) -> Option<Option<Vec<u8>>> {
    let v = r.actual.as_ref()?;
    if v.is_null() {
        return Some(None);
    }
    if v.is_array() {
        return None; // a `stored` step
    }
    let b: cookie_conformance::bytes::Bytes = serde_json::from_value(v.clone()).ok()?;
    Some(Some(b.0))
}

/// Runs `command` (at most `limit`), returning its exit code and standard output.
fn run(mut command: Command, limit: Duration) -> Result<(Option<i32>, String), String> {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {command:?}: {e}"))?;
    let started = Instant::now();
    loop {
        if child.try_wait().map_err(|e| e.to_string())?.is_some() {
            break;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            return Err(format!("{command:?} ran over {limit:?}"));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.stderr.is_empty() && out.status.code() != Some(1) {
        return Err(format!("{}\n{}", stdout, String::from_utf8_lossy(&out.stderr)));
    }
    Ok((out.status.code(), stdout))
}

/// A language's runtime, or why it is missing (a failure under CI).
fn available(what: &str, probe: &mut Command) -> bool {
    let ok = probe.stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok_and(|s| s.success());
    if !ok {
        assert!(std::env::var_os("CI").is_none(), "{what} is not installed (CI must install every adapter)");
        eprintln!("skipped: {what} is not installed (bash adapters/*/install.sh)");
    }
    ok
}

/// Every `every`th failing cell of `target` (every one with `REPRO_ALL` set), run by
/// `command(path)` on two threads; checks each.
fn check_target(target: &str, every: usize, command: &(dyn Fn(&Path) -> Command + Sync)) {
    let every = if std::env::var_os("REPRO_ALL").is_some() { 1 } else { every };
    let (doc, written, dir) = written();
    let cells: Vec<&ResultRecord> = doc
        .results
        .iter()
        .filter(|r| r.target == target && matches!(r.outcome, OutcomeName::Fail | OutcomeName::Xfail))
        .step_by(every)
        .collect();
    assert!(!cells.is_empty(), "the committed report has no failing cell for {target}");
    let check = |r: &ResultRecord| -> Option<String> {
        let path = match written.get(&(r.trial.clone(), r.target.clone())) {
            Some(Ok(p)) => dir.path().join(p),
            // A step the language cannot write (a NUL octet in a shell argument): no program to
            // run; the coverage test below accounts for these cells.
            Some(Err(why)) if inexpressible(why) => return None,
            Some(Err(why)) => return Some(format!("{}: no reproducer: {why}", r.trial)),
            None => return Some(format!("{}: no reproducer written", r.trial)),
        };
        let (code, out) = match run(command(&path), Duration::from_secs(60)) {
            Ok(x) => x,
            Err(e) => return Some(format!("{}: {e}", r.trial)),
        };
        // A cell recorded without a failing step (the library errored): the program must still
        // show a divergence, wherever it meets it.
        let Some(step) = r.step else {
            return (code != Some(1) || !out.contains("DIVERGES"))
                .then(|| format!("{}: exit {code:?}, no divergence shown for a cell that errored:\n{out}", r.trial));
        };
        let block: Vec<&str> = out
            .split("\nstep ")
            .map(|b| b.trim_start_matches("step "))
            .filter(|b| b.starts_with(&format!("{step}:")))
            .collect();
        let Some(block) = block.last() else {
            return Some(format!("{}: no output for step {step}:\n{out}", r.trial));
        };
        // An order-only divergence of a jar whose order changes from run to run (a hash map
        // inside) may not show in one run: then the same pairs in the expected order will do.
        let intermittent = r.order_only && code == Some(0) && block.contains("\n  ok");
        if !intermittent && (code != Some(1) || !block.contains("DIVERGES")) {
            return Some(format!("{}: exit {code:?}, the divergence does not show:\n{out}", r.trial));
        }
        let actual = recorded(r)?;
        let want = format!("  observed: {}", shown(actual.as_deref()));
        // An order-only divergence is recorded with one order; jars whose order varies from run
        // to run (a hash map inside) may show another: the same pairs are enough.
        let pairs = |line: &str| {
            let mut p: Vec<String> = line.trim_start_matches("  observed: ").trim_matches('"').split("; ").map(str::to_owned).collect();
            p.sort();
            p
        };
        let matches = |l: &str| l == want || (r.order_only && l.starts_with("  observed: ") && pairs(l) == pairs(&want));
        (!block.lines().any(matches))
            .then(|| format!("{}: the report recorded\n{want}\nthe reproducer printed:\n{out}", r.trial))
    };
    let halves: Vec<Vec<&ResultRecord>> = vec![
        cells.iter().copied().step_by(2).collect(),
        cells.iter().copied().skip(1).step_by(2).collect(),
    ];
    let problems: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = halves.iter().map(|half| s.spawn(|| half.iter().filter_map(|r| check(r)).collect::<Vec<_>>())).collect();
        handles.into_iter().flat_map(|h| h.join().expect("a checking thread panicked")).collect()
    });
    assert!(problems.is_empty(), "{} of {} {target} reproducers:\n{}", problems.len(), cells.len(), problems.join("\n\n"));
    eprintln!("{target}: {} reproducers show the recorded behaviour", cells.len());
}

#[test]
fn python_http_cookiejar_reproducers_show_the_recorded_behaviour() {
    if !available("python3", Command::new("python3").arg("--version")) {
        return;
    }
    check_target("python-http-cookiejar", 1, &|p| {
        let mut c = Command::new("python3");
        c.arg(p);
        c
    });
}

#[test]
fn python_aiohttp_reproducers_show_the_recorded_behaviour() {
    let python = repo().join("adapters/python-aiohttp/.venv/bin/python");
    if !available("aiohttp (adapters/python-aiohttp)", Command::new(&python).args(["-c", "import aiohttp"])) {
        return;
    }
    check_target("python-aiohttp", 5, &|p| {
        let mut c = Command::new(&python);
        c.arg(p);
        c
    });
}

#[test]
fn node_tough_cookie_reproducers_show_the_recorded_behaviour() {
    let modules = repo().join("adapters/node-tough-cookie/node_modules");
    if !available("tough-cookie (adapters/node-tough-cookie)", Command::new("node").env("NODE_PATH", &modules).args(["-e", "require('tough-cookie')"])) {
        return;
    }
    // got's path and the API configuration: two templates over the same library.
    for target in ["node-tough-cookie", "node-tough-cookie-api"] {
        check_target(target, 1, &|p| {
            let mut c = Command::new("node");
            c.env("NODE_PATH", &modules).arg(p);
            c
        });
    }
}

#[test]
fn go_cookiejar_reproducers_show_the_recorded_behaviour() {
    if !available("go (adapters/go-cookiejar)", Command::new("go").arg("version")) {
        return;
    }
    let cache = std::env::temp_dir().join("cookie-conformance-go-build");
    check_target("go-cookiejar", 12, &|p| {
        let mut c = Command::new("go");
        c.env("GO111MODULE", "off").env("GOPATH", "/usr/share/gocode").env("GOFLAGS", "").env("GOCACHE", &cache).arg("run").arg(p);
        c
    });
}

#[test]
fn java_cookiemanager_reproducers_show_the_recorded_behaviour() {
    let java = "/usr/lib/jvm/java-17-openjdk-amd64/bin/java";
    if !available("OpenJDK 17 (adapters/java-cookiemanager)", Command::new(java).arg("-version")) {
        return;
    }
    check_target("java-cookiemanager", 15, &|p| {
        let mut c = Command::new(java);
        c.arg(p);
        c
    });
}

#[test]
fn curl_reproducers_show_the_recorded_behaviour() {
    if !available("curl", Command::new("curl").arg("--version")) || !available("openssl", Command::new("openssl").arg("version")) {
        return;
    }
    check_target("curl", 6, &|p| {
        let mut c = Command::new("bash");
        c.arg(p);
        c
    });
}

#[test]
fn wget_reproducers_show_the_recorded_behaviour() {
    if !available("wget", Command::new("wget").arg("--version")) || !available("openssl", Command::new("openssl").arg("version")) {
        return;
    }
    check_target("wget", 6, &|p| {
        let mut c = Command::new("bash");
        c.arg(p);
        c
    });
}

#[test]
fn python_libsoup_reproducers_show_the_recorded_behaviour() {
    // Debian's python3, which has PyGObject (the python3 on PATH may be another).
    let python = "/usr/bin/python3";
    if !available("libsoup 3 (adapters/python-libsoup)", Command::new(python).args(["-c", "import ctypes; ctypes.CDLL('libsoup-3.0.so.0')"])) {
        return;
    }
    check_target("python-libsoup", 4, &|p| {
        let mut c = Command::new(python);
        c.arg(p);
        c
    });
}

#[test]
fn ruby_http_cookie_reproducers_show_the_recorded_behaviour() {
    if !available("mechanize (adapters/ruby-http-cookie)", Command::new("ruby").args(["-e", "require 'mechanize'"])) {
        return;
    }
    check_target("ruby-http-cookie", 4, &|p| {
        let mut c = Command::new("ruby");
        c.arg(p);
        c
    });
}

#[test]
fn php_guzzle_reproducers_show_the_recorded_behaviour() {
    if !available("Guzzle with uopz (adapters/php-guzzle)", Command::new("php").args(["-r", "exit(extension_loaded('uopz') && is_file('/usr/share/php/GuzzleHttp/autoload.php') ? 0 : 1);"])) {
        return;
    }
    check_target("php-guzzle", 4, &|p| {
        let mut c = Command::new("php");
        c.arg(p);
        c
    });
}

/// Java reproducers of an adapter whose `classpath` file (one line, `:`-separated) names the
/// library's jars.
fn java_with_classpath(adapter: &str, every: usize) {
    let java = "/usr/lib/jvm/java-17-openjdk-amd64/bin/java";
    let classpath = std::fs::read_to_string(repo().join("adapters").join(adapter).join("classpath")).unwrap_or_default();
    let classpath = classpath.trim().to_owned();
    let jars_present = !classpath.is_empty() && classpath.split(':').all(|j| Path::new(j).is_file());
    if !available(&format!("OpenJDK 17 and the jars of adapters/{adapter}"), Command::new(if jars_present { java } else { "false" }).arg("-version")) {
        return;
    }
    check_target(adapter, every, &|p| {
        let mut c = Command::new(java);
        c.arg("-cp").arg(&classpath).arg(p);
        c
    });
}

#[test]
fn java_httpclient5_reproducers_show_the_recorded_behaviour() {
    java_with_classpath("java-httpclient5", 20);
}

#[test]
fn java_okhttp_reproducers_show_the_recorded_behaviour() {
    java_with_classpath("java-okhttp", 20);
}

/// The browser reproducer's server, the one program of the page that is not run above, is
/// valid Python.
#[test]
fn the_browser_page_carries_a_server_that_compiles() {
    if !available("python3", Command::new("python3").arg("--version")) {
        return;
    }
    let page = std::fs::read_to_string(repo().join("cli/repro/browser.html")).unwrap();
    let start = page.find("<script type=\"text/plain\" id=\"server\">").expect("the server's script element");
    let body = &page[start..];
    let body = &body[body.find('>').unwrap() + 1..body.find("</script>").unwrap()];
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("server.py");
    std::fs::write(&path, body).unwrap();
    let (code, out) = run(
        {
            let mut c = Command::new("python3");
            c.args(["-m", "py_compile"]).arg(&path);
            c
        },
        Duration::from_secs(30),
    )
    .unwrap();
    assert_eq!(code, Some(0), "{out}");
}

/// "A reproducer link in every failing cell": every failing cell of the committed report gets a
/// program (every target has a template), or, where a step cannot be written in the template's
/// language (a NUL octet in a shell argument, a request from a cross-site frame on the browser
/// page), the page says so; no cell lacks one for another reason.
#[test]
fn every_failing_cell_of_the_committed_report_has_a_reproducer() {
    let (doc, written, _dir) = written();
    let failing = doc.results.iter().filter(|r| matches!(r.outcome, OutcomeName::Fail | OutcomeName::Xfail)).count();
    let mut unwritable = 0;
    let missing: Vec<String> = written
        .iter()
        .filter_map(|((trial, target), w)| match w {
            Ok(_) => None,
            Err(why) if inexpressible(why) => {
                unwritable += 1;
                None
            }
            Err(why) => Some(format!("{target} {trial}: {why}")),
        })
        .collect();
    eprintln!("{failing} failing cells: {} reproducers, {unwritable} with a step their language cannot express", failing - unwritable);
    assert_eq!(written.len(), failing, "one entry per failing cell");
    assert!(missing.is_empty(), "{} failing cells without a reproducer:\n{}", missing.len(), missing.join("\n"));
}
