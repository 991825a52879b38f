//! The HTTP adapter target against `serve` (the reference jar behind the protocol) and against
//! tiny misbehaving fake adapters.

use std::collections::HashMap;
use std::io::{BufReader, Write as _};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use cookie_conformance::case::Case;
use cookie_conformance::reference_jar::Profile;
#[path = "support/raw_http.rs"]
mod raw_http;
use raw_http::{read_request, write_response};
use cookie_conformance_cli::serve::Server;
use cookie_conformance_cli::targets::http::workers::{plain, run_parallel};
use cookie_conformance_cli::targets::http::{open_workers, plans, stored_fields, Adapter, Endpoint, HttpOptions, HttpTarget};
use cookie_conformance_cli::targets::ReferenceTarget;
use cookie_conformance::{Capabilities, CaseResult, Corpus, Outcome, Target};

/// Every trial of the corpus (each case under each of its profiles).
fn every_pair(corpus: &Corpus) -> Vec<(&Case, Profile)> {
    cookie_conformance::select::Selection { filter: None, tags: Vec::new(), profiles: Vec::new() }.pairs(corpus)
}

fn key(r: &CaseResult) -> (String, String, Outcome, Option<String>, Option<serde_json::Value>) {
    (r.case.clone(), r.profile.clone(), r.outcome, r.reason.clone(), r.actual.clone())
}

#[test]
fn the_whole_corpus_through_serve_equals_the_in_process_reference() {
    let corpus = Corpus::embedded().unwrap();
    let pairs = every_pair(&corpus);
    let caps = Capabilities::all();
    let mut reference = ReferenceTarget::new();
    let expected: Vec<CaseResult> =
        pairs.iter().map(|&(c, p)| cookie_conformance::run_case(&mut reference, &caps, c, p, None, false)).collect();
    assert!(expected.iter().all(|r| matches!(r.outcome, Outcome::Pass | Outcome::Skip)));

    let server = Server::bind(0).unwrap();
    let endpoint = Endpoint::Url(format!("http://127.0.0.1:{}", server.port()));
    server.spawn();
    let fields = Arc::new(stored_fields(&corpus));
    let plans = Arc::new(plans(&corpus));
    let passed = expected.iter().filter(|r| r.outcome == Outcome::Pass).count() as u64;
    // With plans, a whole case is one batch; without, one batch per `expect`.
    for with_plans in [true, false] {
        let mut workers: Vec<HttpTarget> = open_workers(&endpoint, 2, &HttpOptions::default())
            .unwrap()
            .into_iter()
            .map(|w| w.with_stored_fields(fields.clone()))
            .map(|w| if with_plans { w.with_plans(plans.clone()) } else { w })
            .collect();
        assert_eq!(workers[0].capabilities(), caps, "serve's /info declares every capability");
        assert!(workers[0].name().starts_with("reference (reference-jar "), "{}", workers[0].name());
        let got = run_parallel(&mut workers, &pairs, &plain(&caps), &|_| {});
        assert_eq!(got.len(), expected.len());
        for (g, e) in got.iter().zip(&expected) {
            assert_eq!(key(g), key(e), "{}", g.detail.as_deref().unwrap_or(""));
        }
        let requests: u64 = workers.iter().map(HttpTarget::requests).sum();
        let sessions = workers.len() as u64;
        if with_plans {
            assert_eq!(requests, passed + sessions, "one batch per trial, one POST /sessions per worker");
        } else {
            assert!(requests > passed + sessions && requests < passed * 2, "{requests} requests for {passed} trials");
        }
    }
}

#[test]
fn a_wrong_prediction_replays_the_case() {
    let corpus = Corpus::embedded().unwrap();
    let server = Server::bind(0).unwrap();
    let endpoint = Endpoint::Url(format!("http://127.0.0.1:{}", server.port()));
    server.spawn();
    let caps = Capabilities::all();
    let multi: Vec<&Case> = corpus.cases().iter().filter(|c| c.steps.len() >= 3).take(40).collect();
    // Every case is predicted with the steps of another one.
    let wrong: HashMap<String, Case> =
        multi.iter().zip(multi.iter().cycle().skip(1)).map(|(a, b)| (a.full_name(), (*b).clone())).collect();
    let mut t = HttpTarget::open(&endpoint, &HttpOptions::default()).unwrap().with_plans(Arc::new(wrong));
    let mut reference = ReferenceTarget::new();
    for case in multi.clone() {
        let want = cookie_conformance::run_case(&mut reference, &caps, case, Profile::Rfc6265bis, None, false);
        let got = cookie_conformance::run_case(&mut t, &caps, case, Profile::Rfc6265bis, None, false);
        assert_eq!(key(&got), key(&want), "{}", got.detail.as_deref().unwrap_or(""));
    }
    // A prediction right up to the first answer and wrong after it: the adapter's jar is
    // already ahead (it received `c=3`), so the case is replayed from its reset.
    let yaml = |third: &str, want: &str| {
        let text = format!("name: ahead\nspec: [\"5.8.3\"]\nsteps:\n  - set: {{ url: \"https://a.example/\", cookies: [\"a=1\"] }}\n  - expect: {{ url: \"https://a.example/\", cookie: \"a=1\" }}\n  - set: {{ url: \"https://a.example/\", cookies: [\"{third}\"] }}\n  - expect: {{ url: \"https://a.example/\", cookie: \"{want}\" }}\n");
        let mut c: Case = serde_saphyr::from_str(&text).unwrap();
        c.origin.area = "t".into();
        c
    };
    let (actual, predicted) = (yaml("b=2", "a=1; b=2"), yaml("c=3", "a=1; c=3"));
    let plans = HashMap::from([(actual.full_name(), predicted)]);
    let mut t = HttpTarget::open(&endpoint, &HttpOptions::default()).unwrap().with_plans(Arc::new(plans));
    let r = cookie_conformance::run_case(&mut t, &caps, &actual, Profile::Rfc6265bis, None, false);
    assert_eq!(r.outcome, Outcome::Pass, "{}", r.detail.as_deref().unwrap_or(""));
    assert_eq!(t.requests(), 3, "POST /sessions, the predicted batch, the replay");
}

/// How a fake adapter misbehaves on `batch`.
#[derive(Clone, Copy)]
enum Fault {
    /// Closes the connection without answering (a crash).
    Crash,
    /// Never answers.
    Hang,
    /// Answers 200 with HTML.
    Garbage,
    /// Answers 200 with JSON of the wrong shape.
    WrongShape,
    /// Answers 200 with a failing op's `unsupported` error.
    Unsupported,
    /// Answers 500 `internal`.
    Internal,
    /// Closes the connection on `POST /sessions` (a crash while opening a session).
    SessionCrash,
    /// Never answers `POST /sessions`.
    SessionHang,
    /// Answers the first two batches with an `unsupported` error, then dies: every later
    /// connection is closed at once.
    DiesAfterTwoBatches,
    /// Answers every batch with an `unsupported` error after 30 ms.
    Slow,
}

const INFO: &str = r#"{"protocol":"cookie-adapter/1","name":"fake","library":"fake","version":"0","parallel":true,"capabilities":{"virtual_clock":true,"script_api":true,"same_site_contexts":true,"partitioned":true,"third_party_policies":["allow","block","partition"],"profiles":["rfc6265","rfc6265bis","layered-cookies"],"configurable":["lax_allowing_unsafe","trust_localhost","age_limit","max_cookies_per_domain","max_cookies_total","reject_public_suffixes"],"storage_dump":true,"public_suffix_list":null}}"#;

fn fake_adapter(fault: Fault) -> String {
    fake_adapter_counting(fault).0
}

/// A fake adapter and its count of live sessions (created minus deleted).
fn fake_adapter_counting(fault: Fault) -> (String, Arc<AtomicI64>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let live = Arc::new(AtomicI64::new(0));
    let batches = Arc::new(AtomicI64::new(0));
    let counter = live.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (live, batches) = (counter.clone(), batches.clone());
            std::thread::spawn(move || serve_fake(stream, fault, &live, &batches));
        }
    });
    (format!("http://127.0.0.1:{port}"), live)
}

fn serve_fake(stream: TcpStream, fault: Fault, live: &AtomicI64, batches: &AtomicI64) {
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    while let Ok(req) = read_request(&mut reader) {
        if matches!(fault, Fault::DiesAfterTwoBatches) && batches.load(Ordering::SeqCst) >= 2 {
            return;
        }
        let (status, body): (u16, String) = match (req.method.as_str(), req.path.as_str()) {
            (_, "/info") => (200, INFO.to_owned()),
            ("POST", "/sessions") => match fault {
                Fault::SessionCrash => return,
                Fault::SessionHang => {
                    std::thread::sleep(Duration::from_secs(30));
                    return;
                }
                _ => (200, format!(r#"{{"id":"s{}"}}"#, live.fetch_add(1, Ordering::SeqCst))),
            },
            ("DELETE", p) if p.starts_with("/sessions/") => {
                live.fetch_sub(1, Ordering::SeqCst);
                (200, "{}".to_owned())
            }
            (_, p) if p.ends_with("/batch") => {
                batches.fetch_add(1, Ordering::SeqCst);
                match fault {
                    Fault::Crash => return,
                    Fault::Hang => {
                        std::thread::sleep(Duration::from_secs(30));
                        return;
                    }
                    Fault::Garbage => (200, "<html>oops</html>".to_owned()),
                    Fault::WrongShape => (200, r#"{"results": 5}"#.to_owned()),
                    Fault::Slow => {
                        std::thread::sleep(Duration::from_millis(30));
                        (200, r#"{"results":[{"error":"no such profile here","kind":"unsupported"}]}"#.to_owned())
                    }
                    Fault::Unsupported | Fault::DiesAfterTwoBatches => {
                        (200, r#"{"results":[{"error":"no such profile here","kind":"unsupported"}]}"#.to_owned())
                    }
                    Fault::Internal => (500, r#"{"error":"NullPointerException","kind":"internal"}"#.to_owned()),
                    Fault::SessionCrash | Fault::SessionHang => (500, r#"{"error":"unreachable","kind":"internal"}"#.to_owned()),
                }
            }
            _ => (404, r#"{"error":"no","kind":"not_found"}"#.to_owned()),
        };
        if write_response(&mut writer, status, body.as_bytes(), true).is_err() {
            return;
        }
        let _ = writer.flush();
    }
}

/// Runs the first `n` plain cases on a target at `url`.
fn run_first(url: &str, n: usize, options: HttpOptions) -> Vec<CaseResult> {
    let corpus = Corpus::embedded().unwrap();
    let mut t = HttpTarget::open(&Endpoint::Url(url.to_owned()), &options).unwrap();
    let caps = t.capabilities();
    corpus
        .cases()
        .iter()
        .filter(|c| c.steps.len() >= 2)
        .take(n)
        .map(|c| cookie_conformance::run_case(&mut t, &caps, c, Profile::Rfc6265bis, None, false))
        .collect()
}

fn quick() -> HttpOptions {
    HttpOptions { request_timeout: Duration::from_millis(400), per_op: Duration::from_millis(1), connect_retries: 0, ..HttpOptions::default() }
}

fn assert_errors(results: &[CaseResult], first: &str) {
    assert_eq!(results.len(), 6, "the run goes on");
    for r in results {
        assert_eq!(r.outcome, Outcome::Error, "{r:?}");
    }
    let reason = results[0].reason.as_deref().unwrap();
    assert!(reason.contains(first), "{reason}");
    // PROTOCOL.md §7.4: after 3 reconnections without a completed case, the target gives up.
    let last = results[5].reason.as_deref().unwrap();
    assert!(last.contains("adapter keeps failing"), "{last}");
}

#[test]
fn a_crashing_adapter_errors_every_case_and_the_run_goes_on() {
    let results = run_first(&fake_adapter(Fault::Crash), 6, quick());
    assert_errors(&results, "/batch");
}

#[test]
fn a_hanging_adapter_times_out() {
    let results = run_first(&fake_adapter(Fault::Hang), 6, quick());
    assert_errors(&results, "timed out after");
}

#[test]
fn an_adapter_failing_to_open_sessions_is_given_up_on() {
    // A crash or a hang on `POST /sessions` counts towards giving up like one on a batch.
    let results = run_first(&fake_adapter(Fault::SessionCrash), 6, quick());
    assert_errors(&results, "POST /sessions");
    let started = std::time::Instant::now();
    let results = run_first(&fake_adapter(Fault::SessionHang), 6, quick());
    assert_errors(&results, "timed out after");
    // Four timeouts of 400 ms, then every case fails at once.
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
}

#[test]
fn an_adapter_that_dies_mid_run_is_given_up_on_quickly() {
    let started = std::time::Instant::now();
    let results = run_first(&fake_adapter(Fault::DiesAfterTwoBatches), 40, quick());
    assert_eq!(results.len(), 40);
    assert!(results[..2].iter().all(|r| r.outcome == Outcome::Skip), "{:?}", &results[..2]);
    assert!(results[2..].iter().all(|r| r.outcome == Outcome::Error));
    assert!(results[39].reason.as_deref().unwrap().contains("adapter keeps failing"), "{:?}", results[39]);
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
}

#[test]
fn failed_cases_leave_no_session_behind() {
    // Every case's batch crashes the connection: each new case opens a new session, and the
    // runner deletes the old one (the adapter is at a URL, so it lives on).
    let (url, live) = fake_adapter_counting(Fault::Crash);
    let results = run_first(&url, 6, quick());
    assert!(results.iter().all(|r| r.outcome == Outcome::Error));
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(live.load(Ordering::SeqCst), 0, "sessions left on the adapter");
    // And a run that ends normally deletes its session when the target is dropped.
    let (url, live) = fake_adapter_counting(Fault::Unsupported);
    run_first(&url, 3, quick());
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(live.load(Ordering::SeqCst), 0, "sessions left on the adapter");
}

#[test]
fn ctrl_c_stops_a_run_and_deletes_its_sessions() {
    let (url, live) = fake_adapter_counting(Fault::Slow);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_cookie-conformance"))
        .args(["run", "--target", &format!("adapter:{url}"), "--jobs", "2"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Let it open its sessions and run some cases.
    let started = std::time::Instant::now();
    while live.load(Ordering::SeqCst) < 2 && started.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(300));
    assert!(live.load(Ordering::SeqCst) >= 2, "the run opened its sessions");
    let killed = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(std::time::Instant::now() < deadline, "the run did not stop after Ctrl-C");
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert_eq!(status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("interrupted after"), "{stderr}");
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(live.load(Ordering::SeqCst), 0, "sessions left on the adapter: {stderr}");
}

#[test]
fn garbage_answers_are_errors() {
    let results = run_first(&fake_adapter(Fault::Garbage), 6, quick());
    assert_errors(&results, "body is not JSON");
    let results = run_first(&fake_adapter(Fault::WrongShape), 6, quick());
    assert_errors(&results, "no `results` array");
    // The answer is quoted as it came, not as the runner left it.
    assert!(results[0].reason.as_deref().unwrap().contains(r#"{\"results\":5}"#), "{:?}", results[0].reason);
}

#[test]
fn unsupported_skips_and_internal_errors_without_giving_up() {
    let results = run_first(&fake_adapter(Fault::Unsupported), 6, quick());
    for r in &results {
        assert_eq!(r.outcome, Outcome::Skip, "{r:?}");
        assert!(r.reason.as_deref().unwrap().contains("no such profile here"));
    }
    let results = run_first(&fake_adapter(Fault::Internal), 6, quick());
    for r in &results {
        assert_eq!(r.outcome, Outcome::Error, "{r:?}");
        let reason = r.reason.as_deref().unwrap();
        assert!(reason.contains("500") && reason.contains("NullPointerException"), "{reason}");
    }
}

#[test]
fn a_dead_or_foreign_url_fails_to_open() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let e = Adapter::open(Endpoint::Url(format!("http://127.0.0.1:{port}")), quick()).unwrap_err();
    assert!(e.contains("/info"), "{e}");
    let e = Adapter::open(Endpoint::Url(format!("{}/nothing", fake_adapter(Fault::Crash))), quick()).unwrap_err();
    assert!(e.contains("404") || e.contains("info"), "{e}");
}

#[test]
fn a_runner_started_adapter_is_restarted_after_a_crash() {
    // The managed adapter is `cookie-conformance serve` itself; the test makes it "crash" by
    // shutting it down behind the runner's back.
    let exe = env!("CARGO_BIN_EXE_cookie-conformance").to_owned();
    let endpoint = Endpoint::Named { name: "serve".into(), command: vec![exe, "serve".into()], cwd: ".".into() };
    let mut t = HttpTarget::open(&endpoint, &HttpOptions::default()).unwrap();
    let caps = t.capabilities();
    let corpus = Corpus::embedded().unwrap();
    let cases: Vec<&Case> = corpus.cases().iter().filter(|c| c.steps.len() >= 2).take(3).collect();
    let run = |t: &mut HttpTarget, c: &Case| cookie_conformance::run_case(t, &caps, c, Profile::Rfc6265bis, None, false);
    assert_eq!(run(&mut t, cases[0]).outcome, Outcome::Pass);
    let base = t.adapter().base_url();
    let client = cookie_conformance_cli::targets::http::client_builder().build().unwrap();
    let _ = client.post(format!("{base}/shutdown")).send();
    std::thread::sleep(Duration::from_millis(200));
    let r = run(&mut t, cases[1]);
    assert_eq!(r.outcome, Outcome::Error, "{r:?}");
    let r = run(&mut t, cases[2]);
    assert_eq!(r.outcome, Outcome::Pass, "{r:?}");
    assert_ne!(t.adapter().base_url(), base, "a new process on a new port");
}
