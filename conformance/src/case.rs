//! The case model: the serde types of the YAML format described in `cases/README.md`, and their
//! translation into the reference jar's [`reference_jar::Context`] and [`reference_jar::Config`].
//!
//! Every struct denies unknown fields, so a misspelt key is a load error rather than a silently
//! ignored assertion.

use std::borrow::Cow;
use std::fmt;

use reference_jar::{Api, Config, Profile, SiteForCookies, ThirdPartyPolicy};
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};

use crate::bytes::Bytes;
use crate::clock::{Duration, Timestamp};

/// One case: a named sequence of steps with expectations.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// Unique across the corpus; says what is tested.
    pub name: String,
    /// The sections the case tests: of rfc6265bis-22 ("5.6.3", "5.7 step 10"), or of another
    /// draft ("chips 2", "layered 4.4").
    pub spec: Vec<String>,
    /// Free-form tags; `seed`, `seed-question:<id>` (a question of the seeds' table),
    /// `fuzz-found` and `http-state` are special.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// The attacks a target failing this case is open to ([`crate::security`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub security: Vec<crate::security::AttackClass>,
    /// The profiles the case holds for. Default: rfc6265bis and layered-cookies.
    #[serde(default = "default_profiles", with = "profile_list")]
    #[schemars(with = "Vec<ProfileName>")]
    pub profiles: Vec<Profile>,
    /// Jar options the case needs; a target that cannot be configured so skips the case.
    #[serde(default, skip_serializing_if = "CaseConfig::is_empty")]
    pub config: CaseConfig,
    /// The start of the virtual clock (default 2026-01-01T00:00:00Z).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub now: Option<Timestamp>,
    /// What happens, in order.
    pub steps: Vec<Step>,
    /// Where the case was loaded from (not part of the YAML).
    #[serde(skip)]
    pub origin: Origin,
}

/// Where a case comes from, for messages such as `cases/domain/leading-dot.yaml:4`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Origin {
    /// The file as displayed (`cases/domain/leading-dot.yaml`).
    pub file: String,
    /// The 1-based line of the case's first key.
    pub line: u32,
    /// The 1-based column of the case's first key (0: unknown).
    pub column: u32,
    /// The area: the folder below `cases/` (`domain`), `::`-joined when nested.
    pub area: String,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

impl Case {
    /// The trial name: `area::name` (`domain::leading dot in Domain is ignored`).
    pub fn full_name(&self) -> String {
        if self.origin.area.is_empty() {
            self.name.clone()
        } else {
            format!("{}::{}", self.origin.area, self.name)
        }
    }

    /// The virtual clock's start.
    pub fn start(&self) -> reference_jar::UnixTime {
        self.now.map_or(crate::clock::DEFAULT_START, |t| t.0)
    }
}

fn default_profiles() -> Vec<Profile> {
    vec![Profile::Rfc6265bis, Profile::LayeredCookies]
}

/// A step of a case: `set`, `expect` or `advance`.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// A response from `url` carried these Set-Cookie field values (or, with
    /// `context: { api: script }`, these `document.cookie` assignments).
    Set(SetStep),
    /// A request to `url` carries exactly this cookie-string; and/or the jar holds exactly these
    /// cookies.
    Expect(ExpectStep),
    /// Moves the virtual clock forward.
    Advance(Duration),
}

/// `set`: Set-Cookie lines received from `url`.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SetStep {
    /// The request URL the response answers.
    pub url: String,
    /// The Set-Cookie field values, applied in order (or `document.cookie` assignments).
    #[serde(with = "crate::bytes::list")]
    #[schemars(with = "Vec<Bytes>")]
    pub cookies: Vec<Vec<u8>>,
    /// The request's context (default: HTTP, no client, GET).
    #[serde(default, skip_serializing_if = "CaseContext::is_default")]
    pub context: CaseContext,
}

/// What an `expect` step says the cookie-string is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CookieExpectation {
    /// Exactly this cookie-string; `None`: no Cookie header at all.
    Exactly(Option<Bytes>),
    /// Any one of these (the spec lets the user agent choose); `None`: no Cookie header.
    AnyOf(Vec<Option<Bytes>>),
}

impl CookieExpectation {
    /// The acceptable answers.
    pub fn alternatives(&self) -> &[Option<Bytes>] {
        match self {
            CookieExpectation::Exactly(one) => std::slice::from_ref(one),
            CookieExpectation::AnyOf(many) => many,
        }
    }
}

/// `expect`: a cookie-string for a request to `url`, and/or the stored cookies.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(try_from = "RawExpect", into = "RawExpect")]
pub struct ExpectStep {
    /// The request URL (with `cookie`/`any_of`).
    pub url: Option<String>,
    /// The request's context.
    pub context: CaseContext,
    /// The expected cookie-string(s).
    pub cookie: Option<CookieExpectation>,
    /// Why several answers are allowed (with `any_of`).
    pub note: Option<String>,
    /// The exact list of stored cookies (only the fields given are compared).
    pub stored: Option<Vec<StoredSpec>>,
}

/// The YAML shape of `expect`, checked by [`ExpectStep`]'s `TryFrom`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "ExpectStep")]
struct RawExpect {
    /// The request URL (required with `cookie` or `any_of`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    /// The request's context (default: HTTP, no client, GET).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    context: Option<CaseContext>,
    /// The whole cookie-string the request carries, in the order §5.8.3 step 4 recommends;
    /// null: no Cookie header at all. For `api: script`, what `document.cookie` returns (null
    /// and "" are the same there).
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<Bytes>")]
    cookie: Option<Option<Bytes>>,
    /// Instead of `cookie` when the spec lets the user agent choose: every acceptable
    /// cookie-string (null: no Cookie header). Requires `note`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    any_of: Option<Vec<Option<Bytes>>>,
    /// Why the spec allows several answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    /// Storage-level assertion for targets that can dump their jar: the exact list of stored
    /// cookies (only the fields given are compared; the number of cookies always is).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    stored: Option<Vec<StoredSpec>>,
}

/// Deserializes a field that may be `null` into `Some(None)`, so that "absent" and "null" differ.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

impl TryFrom<RawExpect> for ExpectStep {
    type Error = String;

    fn try_from(raw: RawExpect) -> Result<Self, String> {
        let cookie = match (raw.cookie, raw.any_of) {
            (Some(_), Some(_)) => {
                return Err("`expect` has both `cookie` and `any_of`: give one".to_owned())
            }
            (Some(one), None) => Some(CookieExpectation::Exactly(one)),
            (None, Some(many)) => {
                if many.len() < 2 {
                    return Err("`any_of` needs at least two alternatives (else use `cookie`)".to_owned());
                }
                if raw.note.as_deref().is_none_or(|n| n.trim().is_empty()) {
                    return Err("`any_of` needs a `note` saying why the spec allows several answers".to_owned());
                }
                Some(CookieExpectation::AnyOf(many))
            }
            (None, None) => None,
        };
        match (&raw.url, &cookie) {
            (Some(_), None) => {
                return Err("`expect` has a `url` but neither `cookie` nor `any_of`".to_owned())
            }
            (None, Some(_)) => return Err("`cookie`/`any_of` need a `url`".to_owned()),
            (None, None) if raw.stored.is_none() => {
                return Err("`expect` needs `url` with `cookie` (or `any_of`), or `stored`".to_owned())
            }
            _ => {}
        }
        if raw.url.is_none() && raw.context.is_some() {
            return Err("`context` needs a `url`".to_owned());
        }
        Ok(ExpectStep {
            url: raw.url,
            context: raw.context.unwrap_or_default(),
            cookie,
            note: raw.note,
            stored: raw.stored,
        })
    }
}

impl From<ExpectStep> for RawExpect {
    fn from(e: ExpectStep) -> Self {
        let (cookie, any_of) = match e.cookie {
            Some(CookieExpectation::Exactly(one)) => (Some(one), None),
            Some(CookieExpectation::AnyOf(many)) => (None, Some(many)),
            None => (None, None),
        };
        RawExpect {
            url: e.url,
            context: (!e.context.is_default()).then_some(e.context),
            cookie,
            any_of,
            note: e.note,
            stored: e.stored,
        }
    }
}

/// A stored cookie as a case expects it. Fields left out are not compared.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StoredSpec {
    /// The cookie-name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<Bytes>,
    /// The cookie-value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Bytes>,
    /// The domain (canonical host).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// The path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<Bytes>,
    /// The host-only-flag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_only: Option<bool>,
    /// The secure-only-flag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secure: Option<bool>,
    /// The http-only-flag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_only: Option<bool>,
    /// The same-site-flag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub same_site: Option<SameSiteName>,
    /// The persistent-flag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persistent: Option<bool>,
    /// The expiry-time of a persistent cookie.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<Timestamp>,
    /// The CHIPS partition key (`https://top.example`), or null for an unpartitioned cookie.
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<String>")]
    pub partition_key: Option<Option<String>>,
}

/// A same-site-flag as written in `stored` (§5.7 step 17).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SameSiteName {
    /// No (recognised) SameSite attribute.
    #[serde(alias = "Default")]
    Default,
    /// `SameSite=None`.
    #[serde(alias = "None")]
    None,
    /// `SameSite=Strict`.
    #[serde(alias = "Strict")]
    Strict,
    /// `SameSite=Lax`.
    #[serde(alias = "Lax")]
    Lax,
}

impl From<reference_jar::SameSite> for SameSiteName {
    fn from(s: reference_jar::SameSite) -> Self {
        match s {
            reference_jar::SameSite::Default => SameSiteName::Default,
            reference_jar::SameSite::None => SameSiteName::None,
            reference_jar::SameSite::Strict => SameSiteName::Strict,
            reference_jar::SameSite::Lax => SameSiteName::Lax,
        }
    }
}

/// The context of a request or script call (§5.2).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseContext {
    /// `http` (default) or `script` (a non-HTTP API such as document.cookie, §5.8.2).
    #[serde(default, skip_serializing_if = "ApiName::is_http")]
    pub api: ApiName,
    /// The client's site for cookies (§5.2): a URL, or `opaque` for a document nested in a
    /// cross-site frame. Omitted: the request has no client and is same-site (§5.2 criterion 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<Site>,
    /// The request navigates a top-level traversable (default false).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub navigation: bool,
    /// The request method (default GET).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// The top-level document's URL when `site` does not show it; keys CHIPS partitions and
    /// decides "third-party". Default: `site`, or the request URL itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<String>")]
    pub top_level: Option<CheckedUrl>,
}

impl CaseContext {
    fn is_default(&self) -> bool {
        *self == CaseContext::default()
    }

    /// The reference jar's context for this case context.
    pub fn to_reference(&self) -> reference_jar::Context {
        reference_jar::Context {
            api: match self.api {
                ApiName::Http => Api::Http,
                ApiName::Script => Api::NonHttp,
            },
            site_for_cookies: match &self.site {
                None => SiteForCookies::NoClient,
                Some(Site::Opaque) => SiteForCookies::Opaque,
                Some(Site::Url(u)) => SiteForCookies::Origin(u.0.clone()),
            },
            top_level_navigation: self.navigation,
            method: self.method.clone().unwrap_or_else(|| "GET".to_owned()),
            top_level: self.top_level.as_ref().map(|u| u.0.clone()),
        }
    }

    /// Whether the context says anything beyond "HTTP, no client, GET": the parts only a target
    /// with same-site contexts can model.
    pub fn needs_same_site(&self) -> bool {
        self.site.is_some()
            || self.top_level.is_some()
            || self.navigation
            || self.method.as_deref().is_some_and(|m| m != "GET")
    }
}

impl fmt::Display for CaseContext {
    /// A short rendering for step traces: `http, no client, GET`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.api {
            ApiName::Http => "http",
            ApiName::Script => "script",
        })?;
        match &self.site {
            None => f.write_str(", no client")?,
            Some(Site::Opaque) => f.write_str(", site opaque")?,
            Some(Site::Url(u)) => write!(f, ", site {}", u.0)?,
        }
        if let Some(top) = &self.top_level {
            write!(f, ", top-level {}", top.0)?;
        }
        if self.navigation {
            f.write_str(", top-level navigation")?;
        }
        write!(f, ", {}", self.method.as_deref().unwrap_or("GET"))
    }
}

/// `api:` of a context.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ApiName {
    /// Set-Cookie / Cookie header fields.
    #[default]
    Http,
    /// A non-HTTP API such as `document.cookie`.
    Script,
}

impl ApiName {
    fn is_http(&self) -> bool {
        *self == ApiName::Http
    }
}

/// A site for cookies: a URL, or `opaque`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Site {
    /// An opaque origin: every request from it is cross-site (§5.2.1).
    Opaque,
    /// The origin of this URL.
    Url(CheckedUrl),
}

impl<'de> Deserialize<'de> for Site {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        if text == "opaque" {
            Ok(Site::Opaque)
        } else {
            CheckedUrl::parse(text).map(Site::Url).map_err(de::Error::custom)
        }
    }
}

impl Serialize for Site {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Site::Opaque => s.serialize_str("opaque"),
            Site::Url(u) => s.serialize_str(&u.0),
        }
    }
}

impl JsonSchema for Site {
    fn schema_name() -> Cow<'static, str> {
        "Site".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A site for cookies: a URL with a host (only scheme and host matter), or \"opaque\".",
            "type": "string"
        })
    }
}

/// A URL that parses (WHATWG) and has a host: `site` and `top_level` are checked at load time
/// because a typo there would silently turn a same-site case into a cross-site one. Request
/// URLs are not checked: cases may test what a jar does with odd ones.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedUrl(pub String);

impl CheckedUrl {
    fn parse(text: String) -> Result<CheckedUrl, String> {
        match url::Url::parse(&text) {
            Ok(u) if u.host().is_some() => Ok(CheckedUrl(text)),
            Ok(_) => Err(format!("`{text}` is not a URL with a host")),
            Err(e) => Err(format!("`{text}` is not a URL: {e}")),
        }
    }
}

impl<'de> Deserialize<'de> for CheckedUrl {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        CheckedUrl::parse(String::deserialize(d)?).map_err(de::Error::custom)
    }
}

impl Serialize for CheckedUrl {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// Jar options a case needs (`config:`). Absent keys keep the profile's defaults.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseConfig {
    /// Honour the `Partitioned` attribute (CHIPS).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chips: Option<bool>,
    /// Third-party cookie policy (§7.1): allow (default), block, partition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub third_party: Option<ThirdParty>,
    /// §5.6.7.2 Lax-allowing-unsafe: the age below which a Default same-site cookie is still sent
    /// on unsafe cross-site top-level navigations. Default: off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lax_allowing_unsafe: Option<Duration>,
    /// Treat loopback hosts as secure (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trust_localhost: Option<bool>,
    /// §5.5 cookie-age-limit (default 400d).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_limit: Option<Duration>,
    /// §5.7 per-domain cookie bound (default 50).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_cookies_per_domain: Option<usize>,
    /// §5.7 total cookie bound (default 3000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_cookies_total: Option<usize>,
    /// §5.7 step 9: reject Domain attributes that are public suffixes (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reject_public_suffixes: Option<bool>,
}

/// A jar option that a case may set, for capability checks and messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConfigKey {
    /// `chips`
    Chips,
    /// `third_party`
    ThirdParty,
    /// `lax_allowing_unsafe`
    LaxAllowingUnsafe,
    /// `trust_localhost`
    TrustLocalhost,
    /// `age_limit`
    AgeLimit,
    /// `max_cookies_per_domain`
    MaxCookiesPerDomain,
    /// `max_cookies_total`
    MaxCookiesTotal,
    /// `reject_public_suffixes`
    RejectPublicSuffixes,
}

impl ConfigKey {
    /// The key as written in YAML.
    pub fn name(self) -> &'static str {
        match self {
            ConfigKey::Chips => "chips",
            ConfigKey::ThirdParty => "third_party",
            ConfigKey::LaxAllowingUnsafe => "lax_allowing_unsafe",
            ConfigKey::TrustLocalhost => "trust_localhost",
            ConfigKey::AgeLimit => "age_limit",
            ConfigKey::MaxCookiesPerDomain => "max_cookies_per_domain",
            ConfigKey::MaxCookiesTotal => "max_cookies_total",
            ConfigKey::RejectPublicSuffixes => "reject_public_suffixes",
        }
    }
}

impl CaseConfig {
    fn is_empty(&self) -> bool {
        *self == CaseConfig::default()
    }

    /// The reference jar configuration: the profile's defaults with this case's options.
    pub fn jar_config(&self, profile: Profile) -> Config {
        let mut c = Config::for_profile(profile);
        if let Some(v) = self.chips {
            c.chips = v;
        }
        if let Some(v) = self.third_party {
            c.third_party = v.into();
        }
        if let Some(v) = self.lax_allowing_unsafe {
            c.lax_allowing_unsafe = Some(v.seconds());
        }
        if let Some(v) = self.trust_localhost {
            c.trust_localhost = v;
        }
        if let Some(v) = self.age_limit {
            c.age_limit = v.seconds();
        }
        if let Some(v) = self.max_cookies_per_domain {
            c.max_cookies_per_domain = v;
        }
        if let Some(v) = self.max_cookies_total {
            c.max_cookies_total = v;
        }
        if let Some(v) = self.reject_public_suffixes {
            c.reject_public_suffixes = v;
        }
        c
    }

    /// The options this case sets to something other than the profile's default: what a target
    /// must be able to configure to run the case. (A target that cannot be configured is
    /// assumed to behave as the defaults, which are the spec's recommendations.)
    pub fn non_default_keys(&self, profile: Profile) -> Vec<ConfigKey> {
        let d = Config::for_profile(profile);
        let c = self.jar_config(profile);
        let mut keys = Vec::new();
        let mut check = |differs: bool, key| {
            if differs {
                keys.push(key);
            }
        };
        check(c.chips != d.chips, ConfigKey::Chips);
        check(c.third_party != d.third_party, ConfigKey::ThirdParty);
        check(c.lax_allowing_unsafe != d.lax_allowing_unsafe, ConfigKey::LaxAllowingUnsafe);
        check(c.trust_localhost != d.trust_localhost, ConfigKey::TrustLocalhost);
        check(c.age_limit != d.age_limit, ConfigKey::AgeLimit);
        check(c.max_cookies_per_domain != d.max_cookies_per_domain, ConfigKey::MaxCookiesPerDomain);
        check(c.max_cookies_total != d.max_cookies_total, ConfigKey::MaxCookiesTotal);
        check(c.reject_public_suffixes != d.reject_public_suffixes, ConfigKey::RejectPublicSuffixes);
        keys
    }
}

/// `third_party:` (§7.1 leaves the policy to the user agent).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ThirdParty {
    /// Set and send third-party cookies like any other.
    Allow,
    /// Neither set nor send them.
    Block,
    /// Key every third-party cookie by the top-level site.
    Partition,
}

impl From<ThirdParty> for ThirdPartyPolicy {
    fn from(t: ThirdParty) -> Self {
        match t {
            ThirdParty::Allow => ThirdPartyPolicy::Allow,
            ThirdParty::Block => ThirdPartyPolicy::Block,
            ThirdParty::Partition => ThirdPartyPolicy::Partition,
        }
    }
}

impl From<ThirdPartyPolicy> for ThirdParty {
    fn from(t: ThirdPartyPolicy) -> Self {
        match t {
            ThirdPartyPolicy::Allow => ThirdParty::Allow,
            ThirdPartyPolicy::Block => ThirdParty::Block,
            ThirdPartyPolicy::Partition => ThirdParty::Partition,
        }
    }
}

/// A profile name as written in YAML (schema only; the model uses [`Profile`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ProfileName {
    /// RFC 6265 (2011).
    Rfc6265,
    /// draft-ietf-httpbis-rfc6265bis-22.
    Rfc6265bis,
    /// draft-ietf-httpbis-layered-cookies.
    LayeredCookies,
}

/// `#[serde(with)]` for a list of [`Profile`]s written by name.
mod profile_list {
    use super::*;

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Profile>, D::Error> {
        let names = Vec::<String>::deserialize(d)?;
        let mut out: Vec<Profile> = Vec::with_capacity(names.len());
        for name in names {
            let p = Profile::from_name(&name).ok_or_else(|| {
                de::Error::custom(format!(
                    "unknown profile `{name}`, expected one of {}",
                    Profile::ALL.map(Profile::name).join(", ")
                ))
            })?;
            if out.contains(&p) {
                return Err(de::Error::custom(format!("profile `{name}` is listed twice")));
            }
            out.push(p);
        }
        if out.is_empty() {
            return Err(de::Error::custom("`profiles` is empty: omit it for the default"));
        }
        Ok(out)
    }

    pub fn serialize<S: Serializer>(v: &[Profile], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(v.iter().map(|p| p.name()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(yaml: &str) -> Result<Case, String> {
        serde_saphyr::from_str::<Case>(yaml).map_err(|e| e.to_string())
    }

    const MINIMAL: &str = "name: x\nspec: [\"5.6.3\"]\nsteps:\n  - set: { url: \"https://a.example/\", cookies: [a=b] }\n  - expect: { url: \"https://a.example/\", cookie: a=b }\n";

    #[test]
    fn minimal_case_and_defaults() {
        let c = case(MINIMAL).unwrap();
        assert_eq!(c.profiles, vec![Profile::Rfc6265bis, Profile::LayeredCookies]);
        assert_eq!(c.start(), crate::clock::DEFAULT_START);
        assert_eq!(c.steps.len(), 2);
        let Step::Expect(e) = &c.steps[1] else { panic!("not an expect") };
        assert_eq!(e.cookie, Some(CookieExpectation::Exactly(Some(Bytes::from("a=b")))));
        assert_eq!(e.context.to_reference(), reference_jar::Context::http());
    }

    #[test]
    fn null_cookie_differs_from_absent() {
        let c = case("name: x\nspec: [a]\nsteps:\n  - expect: { url: \"https://a/\", cookie: null }\n").unwrap();
        let Step::Expect(e) = &c.steps[0] else { panic!() };
        assert_eq!(e.cookie, Some(CookieExpectation::Exactly(None)));
        let err = case("name: x\nspec: [a]\nsteps:\n  - expect: { url: \"https://a/\" }\n").unwrap_err();
        assert!(err.contains("neither `cookie` nor `any_of`"), "{err}");
    }

    #[test]
    fn expect_shape_rules() {
        let err = case("name: x\nspec: [a]\nsteps:\n  - expect: { url: \"https://a/\", cookie: a, any_of: [a, b], note: n }\n").unwrap_err();
        assert!(err.contains("both"), "{err}");
        let err = case("name: x\nspec: [a]\nsteps:\n  - expect: { url: \"https://a/\", any_of: [a, b] }\n").unwrap_err();
        assert!(err.contains("note"), "{err}");
        let err = case("name: x\nspec: [a]\nsteps:\n  - expect: { cookie: a }\n").unwrap_err();
        assert!(err.contains("need a `url`"), "{err}");
        let err = case("name: x\nspec: [a]\nsteps:\n  - expect: {}\n").unwrap_err();
        assert!(err.contains("or `stored`"), "{err}");
        let c = case("name: x\nspec: [a]\nsteps:\n  - expect: { url: \"https://a/\", any_of: [a, null], note: n }\n  - expect: { stored: [] }\n").unwrap();
        let Step::Expect(e) = &c.steps[0] else { panic!() };
        assert_eq!(e.cookie.as_ref().unwrap().alternatives(), &[Some(Bytes::from("a")), None]);
    }

    #[test]
    fn context_conversion() {
        let c = case("name: x\nspec: [a]\nsteps:\n  - expect:\n      url: \"https://a/\"\n      cookie: null\n      context: { api: script, site: opaque, navigation: true, method: POST, top_level: \"https://top.example/\" }\n").unwrap();
        let Step::Expect(e) = &c.steps[0] else { panic!() };
        let ctx = e.context.to_reference();
        assert_eq!(ctx.api, Api::NonHttp);
        assert_eq!(ctx.site_for_cookies, SiteForCookies::Opaque);
        assert!(ctx.top_level_navigation);
        assert_eq!(ctx.method, "POST");
        assert_eq!(ctx.top_level.as_deref(), Some("https://top.example/"));
        assert!(e.context.needs_same_site());
        assert_eq!(
            e.context.to_string(),
            "script, site opaque, top-level https://top.example/, top-level navigation, POST"
        );
    }

    #[test]
    fn bad_site_is_a_load_error() {
        let err = case("name: x\nspec: [a]\nsteps:\n  - expect: { url: \"https://a/\", cookie: null, context: { site: \"a.example\" } }\n").unwrap_err();
        assert!(err.contains("not a URL"), "{err}");
    }

    #[test]
    fn profiles_are_checked() {
        let err = case(&MINIMAL.replace("steps:", "profiles: [rfc6265, rfc9999]\nsteps:")).unwrap_err();
        assert!(err.contains("unknown profile `rfc9999`"), "{err}");
        let err = case(&MINIMAL.replace("steps:", "profiles: [rfc6265, rfc6265]\nsteps:")).unwrap_err();
        assert!(err.contains("twice"), "{err}");
    }

    #[test]
    fn config_to_jar_config_and_non_defaults() {
        let c = case(&MINIMAL.replace(
            "steps:",
            "config: { chips: true, third_party: block, lax_allowing_unsafe: 2m, age_limit: 400d, max_cookies_total: 10 }\nsteps:",
        ))
        .unwrap();
        let jc = c.config.jar_config(Profile::Rfc6265bis);
        assert!(jc.chips);
        assert_eq!(jc.third_party, ThirdPartyPolicy::Block);
        assert_eq!(jc.lax_allowing_unsafe, Some(120));
        assert_eq!(jc.max_cookies_total, 10);
        // age_limit 400d is the default: it needs no configurability.
        assert_eq!(
            c.config.non_default_keys(Profile::Rfc6265bis),
            vec![ConfigKey::Chips, ConfigKey::ThirdParty, ConfigKey::LaxAllowingUnsafe, ConfigKey::MaxCookiesTotal]
        );
    }

    #[test]
    fn stored_spec() {
        let c = case("name: x\nspec: [a]\nsteps:\n  - expect:\n      stored:\n        - { name: a, same_site: Lax, partition_key: null, expires: 2026-01-02T00:00:00Z }\n").unwrap();
        let Step::Expect(e) = &c.steps[0] else { panic!() };
        let s = &e.stored.as_ref().unwrap()[0];
        assert_eq!(s.same_site, Some(SameSiteName::Lax));
        assert_eq!(s.partition_key, Some(None));
        assert_eq!(s.expires, Some(Timestamp(crate::clock::DEFAULT_START + 86_400)));
        assert_eq!(s.value, None);
    }

    #[test]
    fn case_round_trips_through_serialize() {
        let c = case(MINIMAL).unwrap();
        let json = serde_json::to_string(&c).unwrap();
        let back: Case = serde_json::from_str(&json).unwrap();
        assert_eq!(back, c);
    }
}
