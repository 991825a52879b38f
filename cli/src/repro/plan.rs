//! A failing trial as the calls a reproducer makes: the case's steps up to the one that failed,
//! in the order and with the request contexts the runner used ([`cookie_conformance::run`]),
//! each `expect` kept as a check so that every lookup the runner made (some jars change state
//! on a lookup: last-access times, expiry purges) happens in the reproducer too.

use reference_jar::UnixTime;
use serde_json::Value;

use cookie_conformance::case::{CaseContext, CookieExpectation, Step, StoredSpec};
use cookie_conformance::clock::{parse_timestamp, DEFAULT_START};

use super::ReproError;
use crate::reports::results::Trial;
use crate::targets::http::wire::WireContext;

/// One call of a reproducer.
#[derive(Clone, Debug, PartialEq)]
pub enum Call {
    /// A response from `url` carrying these Set-Cookie field values.
    Set {
        /// The request URL.
        url: String,
        /// The field values, in order.
        lines: Vec<Vec<u8>>,
        /// The request's context as the adapter protocol carries it, when not the default
        /// (HTTP, no client, GET).
        context: Option<Value>,
    },
    /// The clock moves forward by this many seconds.
    Advance(i64),
    /// A request to `url`: its Cookie header should be one of `alternatives` (`None`: no
    /// header).
    ExpectCookie {
        /// The case's 1-based step.
        step: usize,
        /// The request URL.
        url: String,
        /// The acceptable answers.
        alternatives: Vec<Option<Vec<u8>>>,
        /// As for [`Call::Set`].
        context: Option<Value>,
    },
    /// The jar should hold exactly these cookies (only the fields given are compared).
    ExpectStored {
        /// The case's 1-based step.
        step: usize,
        /// Per cookie, its given fields.
        cookies: Vec<Vec<(&'static str, StoredValue)>>,
    },
}

/// A stored-cookie field's expected value, as the template's dump writes it.
#[derive(Clone, Debug, PartialEq)]
pub enum StoredValue {
    /// Octets (name, value, path).
    Octets(Vec<u8>),
    /// Text: a domain, `true`/`false`, a SameSite keyword, Unix seconds, `null`.
    Text(String),
}

/// The calls of a trial, and its clock.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    /// The virtual clock's start (Unix seconds).
    pub start: UnixTime,
    /// The calls, up to and including the failing step's.
    pub calls: Vec<Call>,
}

impl Plan {
    /// The calls of `trial` up to `last_step` (1-based).
    pub fn of(trial: &Trial, last_step: usize) -> Result<Plan, ReproError> {
        let start = match &trial.now {
            Some(text) => parse_timestamp(text).map_err(|e| ReproError::Trial(format!("`now`: {e}")))?.0,
            None => DEFAULT_START,
        };
        if last_step == 0 || last_step > trial.steps.len() {
            return Err(ReproError::Trial(format!("step {last_step} of {} steps", trial.steps.len())));
        }
        let mut calls = Vec::new();
        for (i, raw) in trial.steps.iter().take(last_step).enumerate() {
            let step: Step =
                serde_json::from_value(raw.clone()).map_err(|e| ReproError::Trial(format!("step {}: {e}", i + 1)))?;
            match step {
                Step::Advance(d) => calls.push(Call::Advance(d.seconds())),
                Step::Set(s) => {
                    let context = context_of(&s.context, &s.url);
                    calls.push(Call::Set { url: s.url, lines: s.cookies, context });
                }
                Step::Expect(e) => {
                    if let (Some(url), Some(cookie)) = (&e.url, &e.cookie) {
                        let alternatives = match cookie {
                            CookieExpectation::Exactly(one) => vec![one.clone().map(|b| b.0)],
                            CookieExpectation::AnyOf(many) => many.iter().map(|o| o.clone().map(|b| b.0)).collect(),
                        };
                        let context = context_of(&e.context, url);
                        calls.push(Call::ExpectCookie { step: i + 1, url: url.clone(), alternatives, context });
                    }
                    if let Some(stored) = &e.stored {
                        calls.push(Call::ExpectStored { step: i + 1, cookies: stored.iter().map(fields).collect() });
                    }
                }
            }
        }
        Ok(Plan { start, calls })
    }
}

/// The adapter protocol's context (with the runner's same-site verdict), or `None` for the
/// default context.
fn context_of(ctx: &CaseContext, url: &str) -> Option<Value> {
    if *ctx == CaseContext::default() {
        return None;
    }
    serde_json::to_value(WireContext::from_context(&ctx.to_reference(), url)).ok()
}

/// The fields a `stored` entry gives, in the dump's order.
fn fields(s: &StoredSpec) -> Vec<(&'static str, StoredValue)> {
    let text = |v: String| StoredValue::Text(v);
    let flag = |b: bool| text(b.to_string());
    let mut out = Vec::new();
    if let Some(v) = &s.name {
        out.push(("name", StoredValue::Octets(v.0.clone())));
    }
    if let Some(v) = &s.value {
        out.push(("value", StoredValue::Octets(v.0.clone())));
    }
    if let Some(v) = &s.domain {
        out.push(("domain", text(v.clone())));
    }
    if let Some(v) = &s.path {
        out.push(("path", StoredValue::Octets(v.0.clone())));
    }
    for (name, v) in [("host_only", s.host_only), ("secure", s.secure), ("http_only", s.http_only)] {
        if let Some(b) = v {
            out.push((name, flag(b)));
        }
    }
    if let Some(v) = s.same_site {
        let keyword = serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
        out.push(("same_site", text(keyword)));
    }
    if let Some(b) = s.persistent {
        out.push(("persistent", flag(b)));
    }
    if let Some(t) = s.expires {
        out.push(("expires", text(t.0.to_string())));
    }
    if let Some(p) = &s.partition_key {
        out.push(("partition_key", text(p.clone().unwrap_or_else(|| "null".to_owned()))));
    }
    out
}
