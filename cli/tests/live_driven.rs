//! The live client of an adapter (cli/src/live/driven.rs), driven for real: urllib with
//! HTTPCookieProcessor (adapters/python-http-cookiejar/live.py) over the loopback server, and a
//! program that breaks the protocol.

use std::path::Path;

use cookie_conformance::reference_jar::Context;
use cookie_conformance::target::{Setup, Target, TargetError};
use cookie_conformance_cli::live::driven::DrivenClient;
use cookie_conformance_cli::targets_file::TargetsFile;

fn setup() -> Setup {
    let profile = cookie_conformance::reference_jar::Profile::Rfc6265bis;
    let options = cookie_conformance::case::CaseConfig::default();
    Setup { profile, config: options.jar_config(profile), options, start: 1_767_225_600, case: "t".into() }
}

#[test]
fn urllib_round_trips_a_cookie_over_real_sockets() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../adapters/targets.yaml");
    let file = TargetsFile::load(&path).unwrap();
    let mut client = match DrivenClient::start(&file, "python-http-cookiejar") {
        Ok(c) => c,
        Err(e) => {
            assert!(std::env::var_os("CI").is_none(), "python3 is needed under CI: {e:#}");
            eprintln!("skipped: {e:#}");
            return;
        }
    };
    assert!(client.name().starts_with("python-http-cookiejar-live (urllib.request with HTTPCookieProcessor"));
    assert!(client.capabilities().virtual_clock, "live.py shows http.cookiejar the case's clock");
    let ctx = Context::http();
    client.reset(&setup()).unwrap();
    client.set_cookies("https://www.example.com/", &[b"a=b; Max-Age=60".to_vec()], &ctx, 1_767_225_600).unwrap();
    fn client_header(c: &mut DrivenClient, url: &str, t: i64) -> Option<Vec<u8>> {
        c.cookie_header(url, &Context::http(), t).unwrap()
    }
    assert_eq!(client_header(&mut client, "https://www.example.com/x", 1_767_225_600 + 59), Some(b"a=b".to_vec()));
    // The virtual clock reaches the library: a minute later the cookie has expired.
    assert_eq!(client_header(&mut client, "https://www.example.com/x", 1_767_225_600 + 61), None);
    assert_eq!(client_header(&mut client, "http://other.example/", 1_767_225_600), None);
    // A URL urllib cannot fetch is unsupported, not an error.
    assert!(matches!(client.cookie_header("ftp://www.example.com/", &ctx, 1_767_225_600), Err(TargetError::Unsupported(_))));
    // reset: a new jar.
    client.reset(&setup()).unwrap();
    client.set_cookies("https://www.example.com/", &[b"c=d".to_vec()], &ctx, 1_767_225_600).unwrap();
    assert_eq!(client_header(&mut client, "https://www.example.com/", 1_767_225_600), Some(b"c=d".to_vec()));
}

#[test]
fn a_program_that_breaks_the_protocol_fails_the_step() {
    let dir = tempfile::tempdir().unwrap();
    // Answers the first reset, then garbage.
    std::fs::write(dir.path().join("bad.py"), "import sys\nprint('{\"ok\": true}', flush=True)\nfor line in sys.stdin:\n    print('not json', flush=True)\n").unwrap();
    let yaml = "protocol: cookie-adapter/1\nadapters:\n  - name: bad\n    start: { command: [true] }\n    live: { command: [python3, bad.py] }\n    live_client: a broken client\n";
    let file = TargetsFile::parse(yaml, &dir.path().join("targets.yaml")).unwrap();
    let mut client = match DrivenClient::start(&file, "bad") {
        Ok(c) => c,
        Err(e) => {
            assert!(std::env::var_os("CI").is_none(), "python3 is needed under CI: {e:#}");
            eprintln!("skipped: {e:#}");
            return;
        }
    };
    assert!(!client.capabilities().virtual_clock, "no `virtual_clock: true` in its hello");
    match client.cookie_header("https://a.example/", &Context::http(), 0) {
        Err(TargetError::Failed(m)) => assert!(m.contains("not json"), "{m}"),
        other => panic!("expected a failure, got {other:?}"),
    }
}
