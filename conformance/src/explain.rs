//! The reference jar's account of a case: replays the steps on a fresh reference jar and records,
//! per step, why each cookie was stored, rejected (with its [`reference_jar::Rejection::section`]) or left out
//! of a cookie-string (with its [`reference_jar::Exclusion::section`]). Failure reports print it beside the
//! target's answers, so a report says *why* as well as *what*.

use reference_jar::{Cookie, Jar, Profile, SetOutcome};

use crate::bytes::escape;
use crate::case::{Case, Step};
use crate::compare::{describe, show_header, show_stored};
use crate::target::StoredCookie;

/// For each step of the case, the reference jar's notes (one line each).
pub fn explain(case: &Case, profile: Profile) -> Vec<Vec<String>> {
    let mut jar = Jar::new(case.config.jar_config(profile));
    let mut now = case.start();
    let mut notes = Vec::with_capacity(case.steps.len());
    for step in &case.steps {
        let mut lines = Vec::new();
        match step {
            Step::Advance(d) => now = now.saturating_add(d.seconds()),
            Step::Set(set) => {
                let ctx = set.context.to_reference();
                for (i, line) in set.cookies.iter().enumerate() {
                    // Which cookie was stored and which were evicted comes from comparing
                    // snapshots: linear in the jar's size, so big jars (limit and eviction
                    // cases) only get the outcome line.
                    let detailed = jar.len() <= DETAILED_JAR_SIZE;
                    let before = if detailed { snapshot(&jar, now) } else { Vec::new() };
                    let outcome = jar.set_cookie(&set.url, line, &ctx, now);
                    let after = if detailed { snapshot(&jar, now) } else { Vec::new() };
                    let which = if set.cookies.len() > 1 { format!("#{} ", i + 1) } else { String::new() };
                    match outcome {
                        SetOutcome::Rejected(r) => {
                            lines.push(format!("{which}rejected: {r} [{}]", r.section()));
                        }
                        SetOutcome::Stored { replaced, expired, .. } => {
                            let verb = match (replaced, expired) {
                                (true, true) => "deleted (replaced by an expired cookie)",
                                (false, true) => "ignored (already expired)",
                                (true, false) => "stored, replacing an older cookie:",
                                (false, false) => "stored:",
                            };
                            let new: Vec<&Cookie> = after.iter().filter(|c| !before.contains(c)).collect();
                            let shown = new.first().map(|c| describe(&StoredCookie::from(*c))).unwrap_or_default();
                            lines.push(format!("{which}{verb} {shown}").trim_end().to_owned());
                            for gone in before.iter().filter(|b| !after.iter().any(|a| same_identity(a, b))) {
                                if !(replaced && new.iter().any(|n| same_identity(n, gone))) {
                                    lines.push(format!("    evicted: {}", describe(&StoredCookie::from(gone))));
                                }
                            }
                        }
                    }
                }
            }
            Step::Expect(expect) => {
                if let Some(url) = &expect.url {
                    let r = jar.retrieve(url, &expect.context.to_reference(), now);
                    lines.push(format!("sends {}", show_header(r.cookie_string.as_deref())));
                    for (c, why) in &r.excluded {
                        lines.push(format!(
                            "    left out {} (domain={} path={}): {why} [{}]",
                            escape(&c.name),
                            c.domain,
                            escape(&c.path),
                            why.section()
                        ));
                    }
                }
                if expect.stored.is_some() {
                    let held: Vec<StoredCookie> = jar.cookies(now).into_iter().map(StoredCookie::from).collect();
                    lines.push(format!("holds:\n{}", show_stored(&held)));
                }
            }
        }
        notes.push(lines);
    }
    notes
}

/// Up to this many stored cookies, notes name the stored and evicted cookies.
const DETAILED_JAR_SIZE: usize = 200;

fn snapshot(jar: &Jar, now: reference_jar::UnixTime) -> Vec<Cookie> {
    jar.cookies(now).into_iter().cloned().collect()
}

/// §5.7 step 23: a cookie is replaced by one with the same name, domain, host-only-flag and path
/// (and, with CHIPS, partition).
fn same_identity(a: &Cookie, b: &Cookie) -> bool {
    a.name() == b.name()
        && a.domain() == b.domain()
        && a.host_only == b.host_only
        && a.path() == b.path()
        && a.partition_key == b.partition_key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explains_storage_rejection_and_exclusion() {
        let case: Case = serde_saphyr::from_str(
            "name: x\nspec: [a]\nsteps:\n  - set: { url: \"http://a.example/dir/\", cookies: [\"a=1; Path=/dir\", \"b=2; Secure\"] }\n  - expect: { url: \"http://a.example/\", cookie: null }\n",
        )
        .unwrap();
        let notes = explain(&case, Profile::Rfc6265bis);
        assert_eq!(notes.len(), 2);
        assert!(notes[0][0].starts_with("#1 stored: a=1 domain=a.example path=/dir host-only"), "{:?}", notes[0]);
        assert!(notes[0][1].starts_with("#2 rejected:"), "{:?}", notes[0]);
        assert!(notes[0][1].contains("§5.7 step 13"), "{:?}", notes[0]);
        assert_eq!(notes[1][0], "sends (no Cookie header)");
        assert!(notes[1][1].contains("left out a") && notes[1][1].contains("path-match"), "{:?}", notes[1]);
    }
}
