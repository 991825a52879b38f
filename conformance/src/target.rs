//! The [`Target`] trait: what a cookie jar implements to run the suite.
//!
//! A target is anything that behaves as a user agent's cookie jar: an in-process Rust jar, an
//! adapter over HTTP, a live client. It declares its [`Capabilities`]; a case that needs a
//! capability the target lacks is skipped with the reason, never failed.

use reference_jar::{Config, Context, Profile, UnixTime};
use serde::Serialize;

use crate::case::{CaseConfig, ConfigKey, SameSiteName, ThirdParty};

/// A cookie jar under test.
///
/// The runner calls [`Target::reset`] before every case (and every profile of a case), then the
/// steps in order. `now` is the case's virtual clock; a target without a virtual clock ignores
/// it (and cases that depend on time are skipped for it).
pub trait Target {
    /// A short name for reports (`reference-jar`, `cookie_store 0.22`).
    fn name(&self) -> String;

    /// What the target can model. Called once per run.
    fn capabilities(&self) -> Capabilities;

    /// Empties the jar and configures it for the next case.
    fn reset(&mut self, setup: &Setup) -> Result<(), TargetError>;

    /// Receives the `Set-Cookie` field values of a response from `url`, in order. With
    /// `ctx.api == Api::NonHttp` each entry is one `document.cookie = "..."` assignment instead.
    fn set_cookies(
        &mut self,
        url: &str,
        set_cookie_lines: &[Vec<u8>],
        ctx: &Context,
        now: UnixTime,
    ) -> Result<(), TargetError>;

    /// The `Cookie` header field value a request to `url` would carry (`None`: no header). With
    /// `ctx.api == Api::NonHttp`, what `document.cookie` returns (`None` and empty are equal).
    fn cookie_header(&mut self, url: &str, ctx: &Context, now: UnixTime) -> Result<Option<Vec<u8>>, TargetError>;

    /// Every cookie in the jar, for `stored` assertions; `Ok(None)` when the target cannot list
    /// them (then [`Capabilities::storage_dump`] must be false).
    fn dump(&mut self, now: UnixTime) -> Result<Option<Vec<StoredCookie>>, TargetError> {
        let _ = now;
        Ok(None)
    }
}

impl<T: Target + ?Sized> Target for Box<T> {
    fn name(&self) -> String {
        (**self).name()
    }
    fn capabilities(&self) -> Capabilities {
        (**self).capabilities()
    }
    fn reset(&mut self, setup: &Setup) -> Result<(), TargetError> {
        (**self).reset(setup)
    }
    fn set_cookies(&mut self, url: &str, lines: &[Vec<u8>], ctx: &Context, now: UnixTime) -> Result<(), TargetError> {
        (**self).set_cookies(url, lines, ctx, now)
    }
    fn cookie_header(&mut self, url: &str, ctx: &Context, now: UnixTime) -> Result<Option<Vec<u8>>, TargetError> {
        (**self).cookie_header(url, ctx, now)
    }
    fn dump(&mut self, now: UnixTime) -> Result<Option<Vec<StoredCookie>>, TargetError> {
        (**self).dump(now)
    }
}

/// What a target can model. `Capabilities::default()` is the plainest jar: no virtual clock,
/// HTTP only, every request same-site, RFC 6265bis defaults that cannot be changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Capabilities {
    /// Time is taken from the `now` arguments (cases with `now` or `advance` need this).
    pub virtual_clock: bool,
    /// `document.cookie`-style non-HTTP API (`context: { api: script }`).
    pub script_api: bool,
    /// Requests with a client's site for cookies, top-level navigations and methods (§5.2):
    /// `site`, `top_level`, `navigation`, `method` in a context.
    pub same_site_contexts: bool,
    /// CHIPS: the target honours `Partitioned` when configured with `chips: true`.
    pub partitioned: bool,
    /// Third-party policies the target can be set to besides `allow` (`third_party:`).
    pub third_party_policies: Vec<ThirdParty>,
    /// The profiles the target follows (it is told which in [`Setup::profile`]).
    #[serde(serialize_with = "profile_names")]
    pub profiles: Vec<Profile>,
    /// Other jar options the target applies from [`Setup::config`]: `lax_allowing_unsafe`,
    /// `trust_localhost`, `age_limit`, `max_cookies_per_domain`, `max_cookies_total`,
    /// `reject_public_suffixes`. Options not listed keep the spec's recommended defaults.
    pub configurable: Vec<ConfigKey>,
    /// [`Target::dump`] lists the stored cookies (`stored` assertions).
    pub storage_dump: bool,
    /// Without a virtual clock: the target sleeps through a case's `advance` steps when they
    /// add up to at most this many seconds (0: it never does), so such cases run on the real
    /// clock; cases that advance further are skipped.
    #[serde(skip_serializing_if = "is_zero")]
    pub sleeps_through_advance: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl Default for Capabilities {
    fn default() -> Self {
        Capabilities {
            virtual_clock: false,
            script_api: false,
            same_site_contexts: false,
            partitioned: false,
            third_party_policies: Vec::new(),
            profiles: vec![Profile::Rfc6265bis],
            configurable: Vec::new(),
            storage_dump: false,
            sleeps_through_advance: 0,
        }
    }
}

impl Capabilities {
    /// Everything: what the reference jar can do.
    pub fn all() -> Self {
        Capabilities {
            virtual_clock: true,
            script_api: true,
            same_site_contexts: true,
            partitioned: true,
            third_party_policies: vec![ThirdParty::Allow, ThirdParty::Block, ThirdParty::Partition],
            profiles: Profile::ALL.to_vec(),
            configurable: vec![
                ConfigKey::LaxAllowingUnsafe,
                ConfigKey::TrustLocalhost,
                ConfigKey::AgeLimit,
                ConfigKey::MaxCookiesPerDomain,
                ConfigKey::MaxCookiesTotal,
                ConfigKey::RejectPublicSuffixes,
            ],
            storage_dump: true,
            sleeps_through_advance: 0,
        }
    }
}

fn profile_names<S: serde::Serializer>(v: &[Profile], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(v.iter().map(|p| p.name()))
}

/// What [`Target::reset`] is told about the next case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Setup {
    /// The profile the case runs under.
    pub profile: Profile,
    /// The full jar configuration (the profile's defaults with the case's options applied).
    pub config: Config,
    /// The options the case wrote, as written (to tell "default" from "explicitly set").
    pub options: CaseConfig,
    /// The virtual clock's start.
    pub start: UnixTime,
    /// The case's full name, for targets that log.
    pub case: String,
}

/// A cookie as a target reports it from [`Target::dump`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StoredCookie {
    /// The cookie-name.
    pub name: Vec<u8>,
    /// The cookie-value.
    pub value: Vec<u8>,
    /// The domain (canonical host, no leading dot).
    pub domain: String,
    /// The path.
    pub path: Vec<u8>,
    /// The host-only-flag.
    pub host_only: bool,
    /// The secure-only-flag.
    pub secure: bool,
    /// The http-only-flag.
    pub http_only: bool,
    /// The same-site-flag.
    pub same_site: SameSiteName,
    /// The persistent-flag.
    pub persistent: bool,
    /// The expiry-time of a persistent cookie; `None` for a session cookie.
    pub expires: Option<UnixTime>,
    /// The CHIPS partition key, `None` when unpartitioned.
    pub partition_key: Option<String>,
}

impl From<&reference_jar::Cookie> for StoredCookie {
    fn from(c: &reference_jar::Cookie) -> Self {
        StoredCookie {
            name: c.name().to_vec(),
            value: c.value().to_vec(),
            domain: c.domain().to_owned(),
            path: c.path().to_vec(),
            host_only: c.host_only,
            secure: c.secure_only,
            http_only: c.http_only,
            same_site: c.same_site.into(),
            persistent: c.persistent,
            expires: c.persistent.then_some(c.expiry_time),
            partition_key: c.partition().map(str::to_owned),
        }
    }
}

/// A target misbehaved (the `error` outcome), or cannot run this case after all (`skip`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    /// The target discovered at run time that it cannot model something the case needs; the
    /// case is skipped with this reason.
    #[error("unsupported: {0}")]
    Unsupported(String),
    /// The target failed (an adapter crashed, answered garbage, timed out...).
    #[error("{0}")]
    Failed(String),
}

impl TargetError {
    /// A [`TargetError::Failed`] from anything printable.
    pub fn failed(message: impl std::fmt::Display) -> Self {
        TargetError::Failed(message.to_string())
    }
}
