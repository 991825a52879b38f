// Reproducer: limits::50 cookies for one domain are all kept [rfc6265bis] on rust-cookie-store
//
// Library:  cookie_store 0.22.1
// Target:   cookie_store (Rust; the jar behind reqwest's cookie::Jar) 0.22.1 (workspace Cargo.lock), as reqwest 0.13 blocking Client with its cookie Jar (cookie_provider) drives it, through its adapter (checked against that client by `fidelity`)
// Case:     cases/limits/capacity-and-eviction.yaml:11 (cookie-conformance corpus)
// Spec:     RFC 6265bis-22 §6.1  https://datatracker.ietf.org/doc/html/draft-ietf-httpbis-rfc6265bis-22#section-6.1
//           RFC 6265bis-22 §5.7  https://datatracker.ietf.org/doc/html/draft-ietf-httpbis-rfc6265bis-22#section-5.7
//
// Recorded on cookie_store 0.22.1 (2026-12-07T04:30:01Z): xfail, at step 2
//   observed: Cookie: "c10=10; c01=1; c48=48; c42=42; c47=47; c11=11; c25=25; c28=28; c32=32; c14=14; c20=20; c18=18; c33=33; c13=13; c41=41; c23=23; c16=16; c17=17; c34=34; c09=9; c21=21; c27=27; c19=19; c05=5; c06=6; c29=29; c30=30; c35=35; c36=36; c37=37; c00=0; c08=8; c39=39; c40=40; c44=44; c03=3; c07=7; c46=46; c02=2; c04=4; c15=15; c43=43; c24=24; c12=12; c38=38; c31=31; c49=49; c45=45; c22=22; c26=26"
//   expected: Cookie: "c00=0; c01=1; c02=2; c03=3; c04=4; c05=5; c06=6; c07=7; c08=8; c09=9; c10=10; c11=11; c12=12; c13=13; c14=14; c15=15; c16=16; c17=17; c18=18; c19=19; c20=20; c21=21; c22=22; c23=23; c24=24; c25=25; c26=26; c27=27; c28=28; c29=29; c30=30; c31=31; c32=32; c33=33; c34=34; c35=35; c36=36; c37=37; c38=38; c39=39; c40=40; c41=41; c42=42; c43=43; c44=44; c45=45; c46=46; c47=47; c48=48; c49=49"
// Known divergence (expected-failures file): right cookies, order varies: cookie_store keeps cookies in HashMaps (domain -> path -> name, std RandomState) and reqwest joins them in iteration order, not by path length and creation-time (§5.8.3 step 4, a SHOULD)
// Only the order of the cookie-pairs differs (§5.8.3 step 4 is a SHOULD).
//
// What the spec says happens, step by step (the reference jar's account):
//   1. #1 stored: c00=0 domain=example.com path=/ host-only same-site=Default session
//      #2 stored: c01=1 domain=example.com path=/ host-only same-site=Default session
//      #3 stored: c02=2 domain=example.com path=/ host-only same-site=Default session
//      #4 stored: c03=3 domain=example.com path=/ host-only same-site=Default session
//      #5 stored: c04=4 domain=example.com path=/ host-only same-site=Default session
//      #6 stored: c05=5 domain=example.com path=/ host-only same-site=Default session
//      #7 stored: c06=6 domain=example.com path=/ host-only same-site=Default session
//      #8 stored: c07=7 domain=example.com path=/ host-only same-site=Default session
//      #9 stored: c08=8 domain=example.com path=/ host-only same-site=Default session
//      #10 stored: c09=9 domain=example.com path=/ host-only same-site=Default session
//      #11 stored: c10=10 domain=example.com path=/ host-only same-site=Default session
//      #12 stored: c11=11 domain=example.com path=/ host-only same-site=Default session
//      #13 stored: c12=12 domain=example.com path=/ host-only same-site=Default session
//      #14 stored: c13=13 domain=example.com path=/ host-only same-site=Default session
//      #15 stored: c14=14 domain=example.com path=/ host-only same-site=Default session
//      #16 stored: c15=15 domain=example.com path=/ host-only same-site=Default session
//      #17 stored: c16=16 domain=example.com path=/ host-only same-site=Default session
//      #18 stored: c17=17 domain=example.com path=/ host-only same-site=Default session
//      #19 stored: c18=18 domain=example.com path=/ host-only same-site=Default session
//      #20 stored: c19=19 domain=example.com path=/ host-only same-site=Default session
//      #21 stored: c20=20 domain=example.com path=/ host-only same-site=Default session
//      #22 stored: c21=21 domain=example.com path=/ host-only same-site=Default session
//      #23 stored: c22=22 domain=example.com path=/ host-only same-site=Default session
//      #24 stored: c23=23 domain=example.com path=/ host-only same-site=Default session
//      #25 stored: c24=24 domain=example.com path=/ host-only same-site=Default session
//      #26 stored: c25=25 domain=example.com path=/ host-only same-site=Default session
//      #27 stored: c26=26 domain=example.com path=/ host-only same-site=Default session
//      #28 stored: c27=27 domain=example.com path=/ host-only same-site=Default session
//      #29 stored: c28=28 domain=example.com path=/ host-only same-site=Default session
//      #30 stored: c29=29 domain=example.com path=/ host-only same-site=Default session
//      #31 stored: c30=30 domain=example.com path=/ host-only same-site=Default session
//      #32 stored: c31=31 domain=example.com path=/ host-only same-site=Default session
//      #33 stored: c32=32 domain=example.com path=/ host-only same-site=Default session
//      #34 stored: c33=33 domain=example.com path=/ host-only same-site=Default session
//      #35 stored: c34=34 domain=example.com path=/ host-only same-site=Default session
//      #36 stored: c35=35 domain=example.com path=/ host-only same-site=Default session
//      #37 stored: c36=36 domain=example.com path=/ host-only same-site=Default session
//      #38 stored: c37=37 domain=example.com path=/ host-only same-site=Default session
//      #39 stored: c38=38 domain=example.com path=/ host-only same-site=Default session
//      #40 stored: c39=39 domain=example.com path=/ host-only same-site=Default session
//      #41 stored: c40=40 domain=example.com path=/ host-only same-site=Default session
//      #42 stored: c41=41 domain=example.com path=/ host-only same-site=Default session
//      #43 stored: c42=42 domain=example.com path=/ host-only same-site=Default session
//      #44 stored: c43=43 domain=example.com path=/ host-only same-site=Default session
//      #45 stored: c44=44 domain=example.com path=/ host-only same-site=Default session
//      #46 stored: c45=45 domain=example.com path=/ host-only same-site=Default session
//      #47 stored: c46=46 domain=example.com path=/ host-only same-site=Default session
//      #48 stored: c47=47 domain=example.com path=/ host-only same-site=Default session
//      #49 stored: c48=48 domain=example.com path=/ host-only same-site=Default session
//      #50 stored: c49=49 domain=example.com path=/ host-only same-site=Default session
//   2. sends "c00=0; c01=1; c02=2; c03=3; c04=4; c05=5; c06=6; c07=7; c08=8; c09=9; c10=10; c11=11; c12=12; c13=13; c14=14; c15=15; c16=16; c17=17; c18=18; c19=19; c20=20; c21=21; c22=22; c23=23; c24=24; c25=25; c26=26; c27=27; c28=28; c29=29; c30=30; c31=31; c32=32; c33=33; c34=34; c35=35; c36=36; c37=37; c38=38; c39=39; c40=40; c41=41; c42=42; c43=43; c44=44; c45=45; c46=46; c47=47; c48=48; c49=49"
//
// It prints each request's Cookie header next to what the spec expects, and exits 1 while
// the jar diverges from the spec, 0 once it follows it.
// Generated by: cookie-conformance repro --target rust-cookie-store 'limits::50 cookies for one domain are all kept [rfc6265bis]'
//
// Run: a Cargo project with this file as src/main.rs and these dependencies, then `cargo run`
// (Debian: apt install publicsuffix, for the list below):
//
//   [dependencies]
//   cookie_store = { version = "=0.22.1", features = ["public_suffix"] }
//   cookie = "0.18"
//   publicsuffix = "2"
//   url = "2"
//
// The store is driven as reqwest 0.13's cookie::Jar drives it: each Set-Cookie value that is
// UTF-8 is parsed with cookie::Cookie::parse (failures dropped) and the cookies go to
// store_response_cookies(cookies, &url); the Cookie header is get_request_values(&url) joined
// with "; ", dropped when it is not a valid header value (reqwest cannot send it). The store
// has Debian's public suffix list (PSL_FILE overrides), as reqwest users enable it. cookie_store
// reads the system clock itself: advancing the clock means sleeping.

#![allow(dead_code)] // a reproducer uses the calls its case needs

use cookie_store::{CookieDomain, CookieExpiration, CookieStore, RawCookie};

/// The case's jar options (JSON); only `reject_public_suffixes` changes this store.
const CONFIG: &str = r#"{}"#;

struct Repro {
    store: CookieStore,
    diverged: Vec<usize>,
}

impl Repro {
    fn new() -> Repro {
        let list = if CONFIG.replace(' ', "").contains("\"reject_public_suffixes\":false") {
            None
        } else {
            let path = std::env::var("PSL_FILE").unwrap_or_else(|_| "/usr/share/publicsuffix/public_suffix_list.dat".into());
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading the public suffix list {path}: {e}"));
            Some(text.parse::<publicsuffix::List>().expect("the public suffix list parses"))
        };
        Repro { store: CookieStore::new_with_public_suffix(list), diverged: Vec::new() }
    }

    fn set_cookies(&mut self, url: &str, lines: &[&[u8]]) {
        let url = url::Url::parse(url).expect("the URL parses");
        let cookies: Vec<RawCookie<'static>> = lines
            .iter()
            .filter_map(|line| std::str::from_utf8(line).ok())
            .filter_map(|text| RawCookie::parse(text).ok().map(RawCookie::into_owned))
            .collect();
        self.store.store_response_cookies(cookies.into_iter(), &url);
    }

    fn advance(&mut self, seconds: u64) {
        std::thread::sleep(std::time::Duration::from_secs(seconds));
    }

    fn expect_cookie(&mut self, step: usize, url: &str, expected: &[Option<&[u8]>]) {
        let parsed = url::Url::parse(url).expect("the URL parses");
        let header = self
            .store
            .get_request_values(&parsed)
            .map(|(name, value)| format!("{name}={value}"))
            .collect::<Vec<_>>()
            .join("; ");
        // reqwest drops a header that http::HeaderValue refuses.
        let valid = header.bytes().all(|b| (b >= 0x20 && b != 0x7f) || b == b'\t');
        let observed = (!header.is_empty() && valid).then_some(header.as_bytes());
        let ok = expected.contains(&observed);
        println!("step {step}: GET {url}");
        println!("  observed: {}", shown(observed));
        println!("  expected: {}", expected.iter().map(|e| shown(*e)).collect::<Vec<_>>().join(" or "));
        println!("{}", if ok { "  ok" } else { "  DIVERGES from the spec" });
        if !ok {
            self.diverged.push(step);
        }
    }

    fn dump(&self) -> Vec<Vec<(&'static str, String)>> {
        self.store
            .iter_unexpired()
            .map(|c| {
                let (domain, host_only) = match &c.domain {
                    CookieDomain::HostOnly(h) => (h.clone(), true),
                    CookieDomain::Suffix(s) => (s.clone(), false),
                    CookieDomain::NotPresent | CookieDomain::Empty => (String::new(), false),
                };
                let expires = match c.expires {
                    CookieExpiration::AtUtc(t) => t.unix_timestamp().to_string(),
                    CookieExpiration::SessionEnd => "null".to_owned(),
                };
                let same_site = match c.same_site() {
                    Some(cookie::SameSite::None) => "none",
                    Some(cookie::SameSite::Strict) => "strict",
                    Some(cookie::SameSite::Lax) => "lax",
                    None => "default",
                };
                vec![
                    ("name", c.name().to_owned()),
                    ("value", c.value().to_owned()),
                    ("domain", domain),
                    ("path", String::from(&c.path)),
                    ("host_only", host_only.to_string()),
                    ("secure", c.secure().unwrap_or(false).to_string()),
                    ("http_only", c.http_only().unwrap_or(false).to_string()),
                    ("same_site", same_site.to_owned()),
                    ("persistent", c.is_persistent().to_string()),
                    ("expires", expires),
                    ("partition_key", "null".to_owned()),
                ]
            })
            .collect()
    }

    fn expect_stored(&mut self, step: usize, expected: &[&[(&str, &str)]]) {
        let stored = self.dump();
        // Each expected entry (only the fields it gives) must match a different stored cookie.
        let mut free: Vec<&Vec<(&str, String)>> = stored.iter().collect();
        let mut ok = expected.len() == stored.len();
        for spec in expected {
            let fits = |c: &&Vec<(&str, String)>| spec.iter().all(|(k, v)| c.iter().any(|(ck, cv)| ck == k && cv == v));
            match free.iter().position(fits) {
                Some(i) => {
                    free.remove(i);
                }
                None => ok = false,
            }
        }
        println!("step {step}: the jar holds {} cookie(s)", stored.len());
        for c in &stored {
            println!("  stored:   {c:?}");
        }
        for spec in expected {
            println!("  expected: {spec:?}");
        }
        println!("{}", if ok { "  ok" } else { "  DIVERGES from the spec" });
        if !ok {
            self.diverged.push(step);
        }
    }
}

/// Octets for people and for machines: printable ASCII as is, the rest as \xNN.
fn shown(v: Option<&[u8]>) -> String {
    match v {
        None => "(no Cookie header)".to_owned(),
        Some(bytes) => {
            let mut out = String::from("\"");
            for &b in bytes {
                if (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\' {
                    out.push(b as char);
                } else {
                    out.push_str(&format!("\\x{b:02x}"));
                }
            }
            out + "\""
        }
    }
}

fn main() {
    let mut r = Repro::new();
    r.set_cookies("https://example.com/", &[&b"c00=0"[..], &b"c01=1"[..], &b"c02=2"[..], &b"c03=3"[..], &b"c04=4"[..], &b"c05=5"[..], &b"c06=6"[..], &b"c07=7"[..], &b"c08=8"[..], &b"c09=9"[..], &b"c10=10"[..], &b"c11=11"[..], &b"c12=12"[..], &b"c13=13"[..], &b"c14=14"[..], &b"c15=15"[..], &b"c16=16"[..], &b"c17=17"[..], &b"c18=18"[..], &b"c19=19"[..], &b"c20=20"[..], &b"c21=21"[..], &b"c22=22"[..], &b"c23=23"[..], &b"c24=24"[..], &b"c25=25"[..], &b"c26=26"[..], &b"c27=27"[..], &b"c28=28"[..], &b"c29=29"[..], &b"c30=30"[..], &b"c31=31"[..], &b"c32=32"[..], &b"c33=33"[..], &b"c34=34"[..], &b"c35=35"[..], &b"c36=36"[..], &b"c37=37"[..], &b"c38=38"[..], &b"c39=39"[..], &b"c40=40"[..], &b"c41=41"[..], &b"c42=42"[..], &b"c43=43"[..], &b"c44=44"[..], &b"c45=45"[..], &b"c46=46"[..], &b"c47=47"[..], &b"c48=48"[..], &b"c49=49"[..]]);
    r.expect_cookie(2, "https://example.com/", &[Some(&b"c00=0; c01=1; c02=2; c03=3; c04=4; c05=5; c06=6; c07=7; c08=8; c09=9; c10=10; c11=11; c12=12; c13=13; c14=14; c15=15; c16=16; c17=17; c18=18; c19=19; c20=20; c21=21; c22=22; c23=23; c24=24; c25=25; c26=26; c27=27; c28=28; c29=29; c30=30; c31=31; c32=32; c33=33; c34=34; c35=35; c36=36; c37=37; c38=38; c39=39; c40=40; c41=41; c42=42; c43=43; c44=44; c45=45; c46=46; c47=47; c48=48; c49=49"[..])]);
    std::process::exit(if r.diverged.is_empty() { 0 } else { 1 });
}
