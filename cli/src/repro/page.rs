//! Reproducers for browsers: a page of numbered steps a person (or a browser engineer's own
//! harness) follows in a fresh profile, with the small server the template carries answering
//! each request with the case's Set-Cookie bytes and printing the Cookie header it receives.
//!
//! Each request is made the way the live browser targets make it (cli/src/live/browser.rs):
//! without a client from the address bar; from a page on the context's site by a link click
//! (a top-level GET navigation), a form submission (POST) or an `<img>` (a subresource);
//! `document.cookie` from the console of a page at the URL.

use base64::Engine as _;
use serde_json::Value;

use crate::reports::html::escape_text as html_escape;
use super::plan::{Call, Plan};
use super::{ReproError, Subject, Template};

/// The query parameter the template's server reads.
const PARAM: &str = "cookie-conformance";

/// The page for `subject`.
pub fn render(subject: &Subject<'_>, template: &Template, plan: &Plan) -> Result<String, ReproError> {
    let browser = html_escape(&format!(
        "{}{}",
        subject.target.library,
        subject.target.version.as_deref().map(|v| format!(" {v}")).unwrap_or_default()
    ));
    let mut steps = Vec::with_capacity(plan.calls.len());
    for call in &plan.calls {
        steps.push(match call {
            Call::Advance(s) if *s > 60 => format!("<li>Wait {s} seconds: add {s} to the clock file's offset (set-up).</li>"),
            Call::Advance(s) => format!("<li>Wait {s} seconds.</li>"),
            Call::Set { url, lines, context } => {
                if script(context) {
                    let assignments = lines
                        .iter()
                        .map(|l| match std::str::from_utf8(l) {
                            Ok(text) => Ok(format!("document.cookie = {}", serde_json::to_string(text).unwrap_or_default())),
                            Err(_) => Err(ReproError::Inexpressible("a document.cookie assignment that is not UTF-8".to_owned())),
                        })
                        .collect::<Result<Vec<_>, _>>()?;
                    format!(
                        "<li>Open {} and, in the DevTools console, run:<pre>{}</pre></li>",
                        link(&with_param(url, "blank", &[])),
                        html_escape(&assignments.join("\n"))
                    )
                } else {
                    let shown: String = lines
                        .iter()
                        .map(|l| format!("Set-Cookie: {}\n", cookie_conformance::bytes::escape(l)))
                        .collect();
                    format!(
                        "<li>{}<br>The server answers with:<pre>{}</pre></li>",
                        request(url, "set", lines, context)?,
                        html_escape(shown.trim_end())
                    )
                }
            }
            Call::ExpectCookie { step, url, alternatives, context } => {
                let expected = alternatives.iter().map(|a| cookie_conformance::compare::show_header(a.as_deref())).collect::<Vec<_>>().join(" or ");
                let observed = (subject.result.step == Some(*step)).then(|| super::show_value(subject.result.actual.as_ref()));
                let how = if script(context) {
                    format!(
                        "Open {} and, in the DevTools console, evaluate <code>document.cookie</code>.",
                        link(&with_param(url, "blank", &[]))
                    )
                } else {
                    format!("{}<br>The server prints the Cookie header it received.", request(url, "echo", &[], context)?)
                };
                format!(
                    "<li>{how}<br><b>Expected</b> (step {step}): <code>{}</code>{}</li>",
                    html_escape(&expected),
                    observed.map(|o| format!("<br><b>{browser} showed</b>: <code>{}</code>", html_escape(&o))).unwrap_or_default()
                )
            }
            Call::ExpectStored { step, cookies } => {
                let expected = if cookies.is_empty() {
                    "(no cookies)".to_owned()
                } else {
                    cookies.iter().map(|fields| show_fields(fields)).collect::<Vec<_>>().join("\n")
                };
                let observed = (subject.result.step == Some(*step)).then(|| match subject.result.actual.as_ref() {
                    Some(Value::Array(held)) if held.is_empty() => "(no cookies)".to_owned(),
                    Some(Value::Array(held)) => held.iter().map(|c| c.as_str().map_or_else(|| c.to_string(), str::to_owned)).collect::<Vec<_>>().join("\n"),
                    other => super::show_value(other),
                });
                format!(
                    "<li>Look at the stored cookies (DevTools: Application, Storage, Cookies; or the DevTools protocol's \
                     <code>Storage.getCookies</code>). <b>Expected</b> (step {step}), exactly these, with the fields given:<pre>{}</pre>{}</li>",
                    html_escape(&expected),
                    observed.map(|o| format!("<b>{browser} held</b>:<pre>{}</pre>", html_escape(&o))).unwrap_or_default()
                )
            }
        });
    }
    let header = html_escape(&subject.header(super::Lang::Html));
    Ok(super::fill(template, &header, subject.trial, plan.start, &steps))
}

fn script(ctx: &Option<Value>) -> bool {
    ctx.as_ref().and_then(|c| c.get("api")).and_then(Value::as_str) == Some("script")
}

/// How to make a request to `url` in `ctx`, answered in `mode` (`set` with `lines`, `echo`).
fn request(url: &str, mode: &str, lines: &[Vec<u8>], ctx: &Option<Value>) -> Result<String, ReproError> {
    let target = with_param(url, mode, lines);
    let Some(ctx) = ctx else {
        return Ok(format!("Open {} from the address bar.", link(&target)));
    };
    let site = ctx.get("site_for_cookies").and_then(Value::as_str);
    let navigation = ctx.get("top_level_navigation").and_then(Value::as_bool).unwrap_or(false);
    let method = ctx.get("method").and_then(Value::as_str).unwrap_or("GET");
    let Some(site) = site.filter(|s| *s != "opaque") else {
        return Err(ReproError::Inexpressible("a request from a document in a cross-site frame".to_owned()));
    };
    let (kind, what) = match (navigation, method) {
        (true, "GET") => ("link", "click the link (a top-level GET navigation)"),
        (true, "POST") => ("form", "submit the form (a top-level POST navigation)"),
        (false, "GET") => ("img", "it loads an image from the URL (a subresource request)"),
        _ => return Err(ReproError::Inexpressible(format!("a {method} request that the page cannot make"))),
    };
    let origin = url::Url::parse(site).map(|u| u.origin().ascii_serialization()).unwrap_or_else(|_| site.to_owned());
    let page = format!(
        "{origin}/?{PARAM}=page&kind={kind}&to={}",
        url::form_urlencoded::byte_serialize(target.as_bytes()).collect::<String>()
    );
    Ok(format!("Open {} (a page on {}); {what} to <code>{}</code>.", link(&page), html_escape(&origin), html_escape(&target)))
}

/// `url` with the server's parameters added to its query (the path, which decides the cookie's
/// default-path, is unchanged).
fn with_param(url: &str, mode: &str, lines: &[Vec<u8>]) -> String {
    let (base, fragment) = url.split_once('#').map_or((url, ""), |(b, f)| (b, f));
    let mut query = format!("{PARAM}={mode}");
    for l in lines {
        query.push_str("&c=");
        query.push_str(&base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(l));
    }
    let sep = if base.contains('?') { '&' } else { '?' };
    let fragment = if fragment.is_empty() { String::new() } else { format!("#{fragment}") };
    format!("{base}{sep}{query}{fragment}")
}

fn link(url: &str) -> String {
    let u = html_escape(url);
    format!("<a href=\"{u}\">{u}</a>")
}

/// A `stored` entry's given fields: `name="a" domain=example.com host_only=true`.
fn show_fields(fields: &[(&'static str, super::plan::StoredValue)]) -> String {
    use super::plan::StoredValue;
    fields
        .iter()
        .map(|(k, v)| match v {
            StoredValue::Octets(b) => format!("{k}=\"{}\"", cookie_conformance::bytes::escape(b)),
            StoredValue::Text(t) => format!("{k}={t}"),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

