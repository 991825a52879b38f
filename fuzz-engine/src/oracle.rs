//! The reference jar's account of a scenario: every Set-Cookie line with the name and value it
//! parses to and what became of it (stored, or rejected with its [`reference_jar::Rejection`]),
//! and every request with its [`Retrieval`] (the cookies left out, each with its
//! [`reference_jar::Exclusion`]) and the jar's contents at that moment. The classifier reads it
//! to say *why* a target's answer differs.

use reference_jar::set_cookie::{self, Attribute};
use reference_jar::{Config, Cookie, Jar, Profile, Retrieval, SetOutcome, UnixTime};

use super::scenario::{Ctx, Place, Scenario, Step};
use cookie_conformance::clock::DEFAULT_START;

/// Which attributes a line carries (as the reference parser sees them, bis or, for lines it
/// rejects outright, RFC 6265).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AttrSet {
    /// A Domain attribute.
    pub domain: bool,
    /// A Path attribute.
    pub path: bool,
    /// Secure.
    pub secure: bool,
    /// HttpOnly.
    pub http_only: bool,
    /// Expires or Max-Age.
    pub expiry: bool,
    /// SameSite.
    pub same_site: bool,
    /// Partitioned.
    pub partitioned: bool,
}

impl AttrSet {
    fn of(attributes: &[Attribute<'_>]) -> AttrSet {
        let mut s = AttrSet::default();
        for a in attributes {
            match a {
                Attribute::Domain(_) => s.domain = true,
                Attribute::Path(_) => s.path = true,
                Attribute::Secure => s.secure = true,
                Attribute::HttpOnly => s.http_only = true,
                Attribute::Expires(_) | Attribute::MaxAge(_) => s.expiry = true,
                Attribute::SameSite(_) => s.same_site = true,
                Attribute::Partitioned => s.partitioned = true,
                Attribute::Unknown { .. } => {}
            }
        }
        s
    }
}

/// One Set-Cookie line and its fate.
#[derive(Clone, Debug)]
pub struct LineRecord {
    /// The scenario step.
    pub step: usize,
    /// The line's index within the step.
    pub index: usize,
    /// The set-cookie-string.
    pub bytes: Vec<u8>,
    /// Name and value as §5.6 parses them, or (for a string §5.6 rejects whole, e.g. for a
    /// control character) as RFC 6265 §5.2 would: what a lenient jar would store.
    pub pair: Option<(Vec<u8>, Vec<u8>)>,
    /// The attributes.
    pub attrs: AttrSet,
    /// What the reference jar did with it.
    pub outcome: SetOutcome,
    /// Where it came from.
    pub at: Place,
    /// In which context.
    pub ctx: Ctx,
}

impl LineRecord {
    /// The cookie-pair as a Cookie header would carry it (a nameless cookie is its value alone,
    /// §5.8.3 step 6).
    pub fn serialized(&self) -> Option<Vec<u8>> {
        self.pair.as_ref().map(|(n, v)| serialize(n, v))
    }
}

/// The cookie-pair of a cookie-string (§5.8.3 step 6).
pub fn serialize(name: &[u8], value: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(name.len() + value.len() + 1);
    if !name.is_empty() {
        out.extend_from_slice(name);
        out.push(b'=');
    }
    out.extend_from_slice(value);
    out
}

/// One request and the reference jar's answer.
#[derive(Clone, Debug)]
pub struct ExpectRecord {
    /// The scenario step.
    pub step: usize,
    /// The retrieval with its exclusions.
    pub retrieval: Retrieval,
    /// The jar's unexpired cookies at that moment.
    pub jar: Vec<Cookie>,
    /// The request-uri.
    pub at: Place,
    /// The context.
    pub ctx: Ctx,
    /// The virtual time.
    pub now: UnixTime,
}

/// The reference jar's account of a whole scenario.
#[derive(Clone, Debug, Default)]
pub struct OracleTrace {
    /// Every line, in order.
    pub lines: Vec<LineRecord>,
    /// Every `expect` step, in order.
    pub expects: Vec<ExpectRecord>,
}

impl OracleTrace {
    /// The record of the line at `(step, index)`.
    pub fn line(&self, (step, index): (usize, usize)) -> Option<&LineRecord> {
        self.lines.iter().find(|l| (l.step, l.index) == (step, index))
    }

    /// Replays `scenario` on a fresh reference jar with `config`, recording everything.
    pub fn replay(scenario: &Scenario, config: &Config) -> OracleTrace {
        let mut jar = Jar::new(config.clone());
        let mut now = DEFAULT_START;
        let mut trace = OracleTrace::default();
        for (step, s) in scenario.steps.iter().enumerate() {
            match s {
                Step::Advance(secs) => now = now.saturating_add(i64::from(*secs)),
                Step::Set { at, ctx, lines } => {
                    let context = ctx.to_reference(*at);
                    for (index, line) in lines.iter().enumerate() {
                        let bytes = line.bytes();
                        let outcome = jar.set_cookie(at.url(), &bytes, &context, now);
                        let (pair, attrs) = lenient_parse(&bytes, config.profile);
                        trace.lines.push(LineRecord { step, index, bytes, pair, attrs, outcome, at: *at, ctx: *ctx });
                    }
                }
                Step::Expect { at, ctx } => {
                    let retrieval = jar.retrieve(at.url(), &ctx.to_reference(*at), now);
                    let snapshot = jar.cookies(now).into_iter().cloned().collect();
                    trace.expects.push(ExpectRecord { step, retrieval, jar: snapshot, at: *at, ctx: *ctx, now });
                }
            }
        }
        trace
    }

    /// The record of the `expect` at scenario step `step`.
    pub fn expect_at(&self, step: usize) -> Option<&ExpectRecord> {
        self.expects.iter().find(|e| e.step == step)
    }
}

/// §5.6 with the jar's profile, or RFC 6265 §5.2 when §5.6 rejects the string whole.
type Pair = (Vec<u8>, Vec<u8>);

fn lenient_parse(bytes: &[u8], profile: Profile) -> (Option<Pair>, AttrSet) {
    match set_cookie::parse(bytes, profile).or_else(|_| set_cookie::parse(bytes, Profile::Rfc6265)) {
        Ok(p) => (Some((p.name.to_vec(), p.value.to_vec())), AttrSet::of(&p.attributes)),
        Err(_) => (None, AttrSet::default()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Line;
    use reference_jar::Rejection;

    #[test]
    fn records_lines_and_retrievals() {
        let at = Place::SIMPLEST;
        let s = Scenario {
            steps: vec![
                Step::Set {
                    at,
                    ctx: Ctx::default(),
                    lines: vec![Line::literal(b"a=1; Domain=com"), Line::literal(b"b=\x01"), Line::literal(b"c=3; Path=/x")],
                },
                Step::Expect { at, ctx: Ctx::default() },
            ],
        };
        let t = OracleTrace::replay(&s, &Config::default());
        assert_eq!(t.lines.len(), 3);
        assert_eq!(t.lines[0].outcome, SetOutcome::Rejected(Rejection::PublicSuffix));
        assert!(t.lines[0].attrs.domain);
        // Rejected by §5.6 step 1, yet the pair a lenient parser would see is known.
        assert_eq!(t.lines[1].outcome, SetOutcome::Rejected(Rejection::ControlCharacter));
        assert_eq!(t.lines[1].serialized(), Some(b"b=\x01".to_vec()));
        let e = &t.expects[0];
        assert_eq!(e.retrieval.cookie_string, None);
        assert_eq!(e.retrieval.excluded.len(), 1);
        assert_eq!(e.jar.len(), 1);
        assert_eq!(serialize(b"", b"v"), b"v");
    }
}
