//! The JSON of the adapter protocol `cookie-adapter/1` (adapters/PROTOCOL.md), shared by the
//! HTTP client target and by `cookie-conformance serve`.
//!
//! Bytes (Set-Cookie lines, Cookie header values, dumped names, values and paths) travel as
//! standard base64 with padding (PROTOCOL.md §1 "Bytes"); URLs and domains as plain strings.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use reference_jar::{Api, Config, Context, Profile, SiteForCookies, ThirdPartyPolicy, UnixTime};
use serde::{Deserialize, Serialize};

use cookie_conformance::case::{ConfigKey, SameSiteName, ThirdParty};
use cookie_conformance::target::{Capabilities, StoredCookie};

/// The protocol this runner speaks (PROTOCOL.md §4 `protocol`).
pub const PROTOCOL: &str = "cookie-adapter/1";

/// Every [`ConfigKey`], to parse `configurable` names (the enum only serializes).
const CONFIG_KEYS: [ConfigKey; 8] = [
    ConfigKey::Chips,
    ConfigKey::ThirdParty,
    ConfigKey::LaxAllowingUnsafe,
    ConfigKey::TrustLocalhost,
    ConfigKey::AgeLimit,
    ConfigKey::MaxCookiesPerDomain,
    ConfigKey::MaxCookiesTotal,
    ConfigKey::RejectPublicSuffixes,
];

/// Base64 of bytes (PROTOCOL.md §1).
pub fn b64(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// Bytes of base64 (PROTOCOL.md §1); the error names what was malformed.
pub fn unb64(text: &str) -> Result<Vec<u8>, String> {
    STANDARD.decode(text).map_err(|e| format!("bad base64 {text:?}: {e}"))
}

/// `GET /info` (PROTOCOL.md §4).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Info {
    /// Exactly [`PROTOCOL`].
    pub protocol: String,
    /// The adapter's folder name.
    pub name: String,
    /// The jar under test.
    #[serde(default)]
    pub library: Option<String>,
    /// Its exact version.
    #[serde(default)]
    pub version: Option<String>,
    /// The language runtime.
    #[serde(default)]
    pub runtime: Option<String>,
    /// How the jar is built, one line.
    #[serde(default)]
    pub configuration: Option<String>,
    /// Requests on different sessions run in parallel in this one process.
    #[serde(default)]
    pub parallel: bool,
    /// What the adapter can model.
    pub capabilities: WireCapabilities,
}

impl Info {
    /// A report name: `node-tough-cookie (tough-cookie 6.1.0)`.
    pub fn display_name(&self) -> String {
        match (&self.library, &self.version) {
            (Some(l), Some(v)) => format!("{} ({l} {v})", self.name),
            (Some(l), None) => format!("{} ({l})", self.name),
            _ => self.name.clone(),
        }
    }

    /// Whether `protocol` has this runner's major version (PROTOCOL.md §4: version 1 grows only
    /// by optional fields, so any `cookie-adapter/1…` minor is accepted).
    pub fn protocol_ok(&self) -> bool {
        let major = |p: &str| p.strip_prefix("cookie-adapter/").map(|v| v.split('.').next().unwrap_or("").to_owned());
        major(&self.protocol).is_some() && major(&self.protocol) == major(PROTOCOL)
    }
}

/// `capabilities` of the info object: the runner's [`Capabilities`], field for field.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WireCapabilities {
    /// [`Capabilities::virtual_clock`].
    pub virtual_clock: bool,
    /// [`Capabilities::script_api`].
    pub script_api: bool,
    /// [`Capabilities::same_site_contexts`].
    pub same_site_contexts: bool,
    /// [`Capabilities::partitioned`].
    pub partitioned: bool,
    /// `allow`, `block`, `partition`.
    pub third_party_policies: Vec<String>,
    /// `rfc6265`, `rfc6265bis`, `layered-cookies`.
    pub profiles: Vec<String>,
    /// Case-file option names.
    pub configurable: Vec<String>,
    /// [`Capabilities::storage_dump`].
    pub storage_dump: bool,
    /// Where the public suffix list comes from (informative).
    pub public_suffix_list: Option<String>,
}

impl WireCapabilities {
    /// The wire form of `caps`.
    pub fn from_caps(caps: &Capabilities, public_suffix_list: Option<String>) -> Self {
        WireCapabilities {
            virtual_clock: caps.virtual_clock,
            script_api: caps.script_api,
            same_site_contexts: caps.same_site_contexts,
            partitioned: caps.partitioned,
            third_party_policies: caps.third_party_policies.iter().map(|t| third_party_name(*t).to_owned()).collect(),
            profiles: caps.profiles.iter().map(|p| p.name().to_owned()).collect(),
            configurable: caps.configurable.iter().map(|k| k.name().to_owned()).collect(),
            storage_dump: caps.storage_dump,
            public_suffix_list,
        }
    }

    /// The runner's capabilities, and a note for every name it does not know (ignored).
    pub fn to_caps(&self) -> (Capabilities, Vec<String>) {
        let mut unknown = Vec::new();
        let mut third_party_policies = vec![ThirdParty::Allow];
        for name in &self.third_party_policies {
            match parse_third_party(name) {
                Some(ThirdParty::Allow) => {}
                Some(t) => third_party_policies.push(t),
                None => unknown.push(format!("unknown third-party policy `{name}`")),
            }
        }
        let mut profiles = Vec::new();
        for name in &self.profiles {
            match Profile::from_name(name) {
                Some(p) => profiles.push(p),
                None => unknown.push(format!("unknown profile `{name}`")),
            }
        }
        let mut configurable = Vec::new();
        for name in &self.configurable {
            match CONFIG_KEYS.iter().find(|k| k.name() == name) {
                Some(k) => configurable.push(*k),
                None => unknown.push(format!("unknown option `{name}`")),
            }
        }
        let caps = Capabilities {
            virtual_clock: self.virtual_clock,
            script_api: self.script_api,
            same_site_contexts: self.same_site_contexts,
            partitioned: self.partitioned,
            third_party_policies,
            profiles,
            configurable,
            storage_dump: self.storage_dump,
            // Adapters take `now` or the real time; none sleeps (the protocol has no such field).
            sleeps_through_advance: 0,
        };
        (caps, unknown)
    }
}

fn third_party_name(t: ThirdParty) -> &'static str {
    match t {
        ThirdParty::Allow => "allow",
        ThirdParty::Block => "block",
        ThirdParty::Partition => "partition",
    }
}

fn parse_third_party(name: &str) -> Option<ThirdParty> {
    match name {
        "allow" => Some(ThirdParty::Allow),
        "block" => Some(ThirdParty::Block),
        "partition" => Some(ThirdParty::Partition),
        _ => None,
    }
}

/// `config` of a reset (PROTOCOL.md §5.1): the reference jar's [`Config`] without the profile;
/// durations in seconds. Every field is optional on input (missing: the profile's default).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireConfig {
    /// CHIPS.
    #[serde(default)]
    pub chips: Option<bool>,
    /// `allow`, `block`, `partition`.
    #[serde(default)]
    pub third_party: Option<String>,
    /// Seconds, `null` when off (which is also the default).
    #[serde(default)]
    pub lax_allowing_unsafe: Option<i64>,
    /// Seconds.
    #[serde(default)]
    pub age_limit: Option<i64>,
    /// Per-domain bound.
    #[serde(default)]
    pub max_cookies_per_domain: Option<u64>,
    /// Total bound.
    #[serde(default)]
    pub max_cookies_total: Option<u64>,
    /// §5.7 step 9.
    #[serde(default)]
    pub reject_public_suffixes: Option<bool>,
    /// Loopback hosts count as secure.
    #[serde(default)]
    pub trust_localhost: Option<bool>,
}

impl WireConfig {
    /// The complete wire form of `config` (the runner always sends every key).
    pub fn from_config(c: &Config) -> Self {
        WireConfig {
            chips: Some(c.chips),
            third_party: Some(
                match c.third_party {
                    ThirdPartyPolicy::Allow => "allow",
                    ThirdPartyPolicy::Block => "block",
                    ThirdPartyPolicy::Partition => "partition",
                }
                .to_owned(),
            ),
            lax_allowing_unsafe: c.lax_allowing_unsafe,
            age_limit: Some(c.age_limit),
            max_cookies_per_domain: Some(c.max_cookies_per_domain as u64),
            max_cookies_total: Some(c.max_cookies_total as u64),
            reject_public_suffixes: Some(c.reject_public_suffixes),
            trust_localhost: Some(c.trust_localhost),
        }
    }

    /// The jar configuration for `profile` with these values applied.
    pub fn to_config(&self, profile: Profile) -> Result<Config, String> {
        let mut c = Config::for_profile(profile);
        if let Some(v) = self.chips {
            c.chips = v;
        }
        if let Some(t) = &self.third_party {
            c.third_party = parse_third_party(t).ok_or_else(|| format!("unknown third_party `{t}`"))?.into();
        }
        c.lax_allowing_unsafe = self.lax_allowing_unsafe;
        if let Some(v) = self.age_limit {
            c.age_limit = v;
        }
        if let Some(v) = self.max_cookies_per_domain {
            c.max_cookies_per_domain = usize::try_from(v).unwrap_or(usize::MAX);
        }
        if let Some(v) = self.max_cookies_total {
            c.max_cookies_total = usize::try_from(v).unwrap_or(usize::MAX);
        }
        if let Some(v) = self.reject_public_suffixes {
            c.reject_public_suffixes = v;
        }
        if let Some(v) = self.trust_localhost {
            c.trust_localhost = v;
        }
        Ok(c)
    }
}

/// A request context (PROTOCOL.md §5.6). Every field is optional; missing ones are
/// `Context::http()`'s.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireContext {
    /// `http` or `script`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api: Option<String>,
    /// `null`, `"opaque"` or a URL.
    #[serde(default)]
    pub site_for_cookies: Option<String>,
    /// Top-level navigation.
    #[serde(default)]
    pub top_level_navigation: bool,
    /// Request method (case-sensitive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// URL of the top-level document when the site for cookies does not show it.
    #[serde(default)]
    pub top_level: Option<String>,
    /// Derived: the request is same-site by §5.2 as the reference jar computes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub same_site: Option<bool>,
}

impl WireContext {
    /// The wire form of `ctx` for a request to `url`, with the derived `same_site`.
    pub fn from_context(ctx: &Context, url: &str) -> Self {
        use reference_jar::site::Site;
        let (site_for_cookies, same_site) = match &ctx.site_for_cookies {
            SiteForCookies::NoClient => (None, true),
            // §5.2.1: a document in a cross-site frame has an opaque site for cookies.
            SiteForCookies::Opaque => (Some("opaque".to_owned()), false),
            SiteForCookies::Origin(o) => {
                let same = match (Site::of_url(o), Site::of_url(url)) {
                    (Some(a), Some(b)) => a == b,
                    _ => false,
                };
                (Some(o.clone()), same)
            }
        };
        WireContext {
            api: Some(if ctx.api == Api::NonHttp { "script" } else { "http" }.to_owned()),
            site_for_cookies,
            top_level_navigation: ctx.top_level_navigation,
            method: Some(ctx.method.clone()),
            top_level: ctx.top_level.clone(),
            same_site: Some(same_site),
        }
    }

    /// The reference jar's context.
    pub fn to_context(&self) -> Result<Context, String> {
        let api = match self.api.as_deref() {
            None | Some("http") => Api::Http,
            Some("script") => Api::NonHttp,
            Some(other) => return Err(format!("unknown api `{other}`")),
        };
        let site_for_cookies = match self.site_for_cookies.as_deref() {
            None => SiteForCookies::NoClient,
            Some("opaque") => SiteForCookies::Opaque,
            Some(url) => SiteForCookies::Origin(url.to_owned()),
        };
        Ok(Context {
            api,
            site_for_cookies,
            top_level_navigation: self.top_level_navigation,
            method: self.method.clone().unwrap_or_else(|| "GET".to_owned()),
            top_level: self.top_level.clone(),
        })
    }
}

/// One operation (PROTOCOL.md §5); in a batch, tagged by `op`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "lowercase")]
pub enum Op {
    /// §5.1.
    Reset(ResetOp),
    /// §5.2.
    Set(SetOp),
    /// §5.3.
    Get(GetOp),
    /// §5.4.
    Dump(DumpOp),
}

impl Op {
    /// The op's name as on the wire.
    pub fn name(&self) -> &'static str {
        match self {
            Op::Reset(_) => "reset",
            Op::Set(_) => "set",
            Op::Get(_) => "get",
            Op::Dump(_) => "dump",
        }
    }
}

/// §5.1 `reset`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResetOp {
    /// A profile name.
    pub profile: String,
    /// The jar configuration.
    #[serde(default)]
    pub config: WireConfig,
    /// The case's start time.
    #[serde(default)]
    pub now: UnixTime,
}

/// §5.2 `set`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetOp {
    /// The response's URL.
    pub url: String,
    /// The request context.
    #[serde(default)]
    pub context: WireContext,
    /// Unix seconds.
    pub now: UnixTime,
    /// Base64 Set-Cookie field values.
    pub set_cookie: Vec<String>,
}

/// §5.3 `get`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetOp {
    /// The request's URL.
    pub url: String,
    /// The request context.
    #[serde(default)]
    pub context: WireContext,
    /// Unix seconds.
    pub now: UnixTime,
}

/// §5.4 `dump`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DumpOp {
    /// Unix seconds.
    pub now: UnixTime,
}

/// §5.5 `batch` request body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Batch {
    /// The operations, in order.
    pub ops: Vec<Op>,
}

/// §6: the error kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// 400.
    BadRequest,
    /// 404.
    NotFound,
    /// 422: the case is skipped.
    Unsupported,
    /// 500.
    Internal,
}

impl ErrorKind {
    /// The HTTP status of this kind.
    pub fn status(self) -> u16 {
        match self {
            ErrorKind::BadRequest => 400,
            ErrorKind::NotFound => 404,
            ErrorKind::Unsupported => 422,
            ErrorKind::Internal => 500,
        }
    }
}

/// §6: an error object.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireError {
    /// Human-readable message.
    pub error: String,
    /// The kind; absent or unknown kinds are treated as `internal` by the runner.
    #[serde(default)]
    pub kind: Option<ErrorKind>,
}

/// §5.4: a stored cookie. Fields a library does not expose are `null`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WireCookie {
    /// Base64 name.
    pub name: Option<String>,
    /// Base64 value.
    pub value: Option<String>,
    /// Lower-case host or domain, no leading dot.
    pub domain: Option<String>,
    /// Base64 path.
    pub path: Option<String>,
    /// host-only-flag.
    pub host_only: Option<bool>,
    /// secure-only-flag.
    pub secure: Option<bool>,
    /// http-only-flag.
    pub http_only: Option<bool>,
    /// `default`, `none`, `strict`, `lax`.
    pub same_site: Option<String>,
    /// persistent-flag.
    pub persistent: Option<bool>,
    /// Unix seconds for a persistent cookie, `null` for a session cookie.
    pub expires: Option<UnixTime>,
    /// CHIPS partition, `null` when unpartitioned.
    pub partition_key: Option<String>,
}

impl WireCookie {
    /// The wire form of a stored cookie.
    pub fn from_stored(c: &StoredCookie) -> Self {
        WireCookie {
            name: Some(b64(&c.name)),
            value: Some(b64(&c.value)),
            domain: Some(c.domain.clone()),
            path: Some(b64(&c.path)),
            host_only: Some(c.host_only),
            secure: Some(c.secure),
            http_only: Some(c.http_only),
            same_site: Some(same_site_name(c.same_site).to_owned()),
            persistent: Some(c.persistent),
            expires: c.expires,
            partition_key: c.partition_key.clone(),
        }
    }

    /// The fields that are `null` because the library does not expose them (`partition_key`
    /// and a session cookie's `expires` are legitimately `null`).
    pub fn unknown_fields(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        let mut check = |missing: bool, name: &'static str| {
            if missing {
                out.push(name);
            }
        };
        check(self.name.is_none(), "name");
        check(self.value.is_none(), "value");
        check(self.domain.is_none(), "domain");
        check(self.path.is_none(), "path");
        check(self.host_only.is_none(), "host_only");
        check(self.secure.is_none(), "secure");
        check(self.http_only.is_none(), "http_only");
        check(self.same_site.is_none(), "same_site");
        check(self.persistent.is_none(), "persistent");
        check(self.expires.is_none() && self.persistent != Some(false), "expires");
        out
    }

    /// A [`StoredCookie`], with neutral values for unknown fields (the caller decides whether
    /// the case may look at them; see [`WireCookie::unknown_fields`]).
    pub fn to_stored(&self) -> Result<StoredCookie, String> {
        let bytes = |f: &Option<String>| f.as_deref().map(unb64).transpose().map(Option::unwrap_or_default);
        let same_site = match self.same_site.as_deref() {
            None | Some("default") => SameSiteName::Default,
            Some("none") => SameSiteName::None,
            Some("strict") => SameSiteName::Strict,
            Some("lax") => SameSiteName::Lax,
            Some(other) => return Err(format!("unknown same_site `{other}`")),
        };
        Ok(StoredCookie {
            name: bytes(&self.name)?,
            value: bytes(&self.value)?,
            domain: self.domain.clone().unwrap_or_default(),
            path: bytes(&self.path)?,
            host_only: self.host_only.unwrap_or(false),
            secure: self.secure.unwrap_or(false),
            http_only: self.http_only.unwrap_or(false),
            same_site,
            persistent: self.persistent.unwrap_or(self.expires.is_some()),
            expires: self.expires,
            partition_key: self.partition_key.clone(),
        })
    }
}

fn same_site_name(s: SameSiteName) -> &'static str {
    match s {
        SameSiteName::Default => "default",
        SameSiteName::None => "none",
        SameSiteName::Strict => "strict",
        SameSiteName::Lax => "lax",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capabilities_round_trip() {
        let all = Capabilities::all();
        let wire = WireCapabilities::from_caps(&all, None);
        assert_eq!(wire.profiles, ["rfc6265", "rfc6265bis", "layered-cookies"]);
        let (back, unknown) = wire.to_caps();
        assert!(unknown.is_empty(), "{unknown:?}");
        assert_eq!(back, all);
        let odd = WireCapabilities { profiles: vec!["rfc9999".into()], configurable: vec!["x".into()], ..Default::default() };
        let (caps, unknown) = odd.to_caps();
        assert!(caps.profiles.is_empty());
        assert_eq!(caps.third_party_policies, [ThirdParty::Allow]);
        assert_eq!(unknown.len(), 2);
    }

    #[test]
    fn config_round_trip_and_defaults() {
        let mut c = Config::for_profile(Profile::Rfc6265);
        c.third_party = ThirdPartyPolicy::Partition;
        c.lax_allowing_unsafe = Some(120);
        c.max_cookies_total = 7;
        assert_eq!(WireConfig::from_config(&c).to_config(Profile::Rfc6265), Ok(c));
        assert_eq!(WireConfig::default().to_config(Profile::Rfc6265bis), Ok(Config::default()));
        let bad = WireConfig { third_party: Some("sometimes".into()), ..Default::default() };
        assert!(bad.to_config(Profile::Rfc6265bis).is_err());
    }

    #[test]
    fn context_same_site_is_derived_schemefully() {
        let cross = Context::from_site("https://other.example/");
        let w = WireContext::from_context(&cross, "https://www.example.com/");
        assert_eq!(w.same_site, Some(false));
        let same = Context::from_site("https://a.example.com/");
        assert_eq!(WireContext::from_context(&same, "https://b.example.com/").same_site, Some(true));
        let schemes = Context::from_site("http://a.example.com/");
        assert_eq!(WireContext::from_context(&schemes, "https://a.example.com/").same_site, Some(false));
        assert_eq!(WireContext::from_context(&Context::http(), "https://x/").same_site, Some(true));
        let json = serde_json::to_value(WireContext::from_context(&Context::script(), "https://x/")).unwrap();
        assert_eq!(json["api"], "script");
        let back: WireContext = serde_json::from_value(json).unwrap();
        assert_eq!(back.to_context(), Ok(Context::script()));
        let empty: WireContext = serde_json::from_str("{}").unwrap();
        assert_eq!(empty.to_context(), Ok(Context::http()));
    }

    #[test]
    fn ops_are_tagged_and_ignore_unknown_fields() {
        let op: Op = serde_json::from_str(r#"{"op":"set","url":"https://a/","now":5,"set_cookie":["YT1i"],"extra":1}"#).unwrap();
        let Op::Set(set) = &op else { panic!("{op:?}") };
        assert_eq!(unb64(&set.set_cookie[0]).unwrap(), b"a=b");
        assert_eq!(serde_json::to_value(&op).unwrap()["op"], "set");
        assert!(serde_json::from_str::<Op>(r#"{"op":"get","now":1}"#).is_err());
    }

    #[test]
    fn dumped_cookie_unknown_fields() {
        let java = WireCookie {
            name: Some(b64(b"a")),
            value: Some(b64(b"1")),
            domain: Some("a.example".into()),
            path: Some(b64(b"/")),
            secure: Some(true),
            http_only: Some(false),
            persistent: Some(true),
            ..Default::default()
        };
        assert_eq!(java.unknown_fields(), ["host_only", "same_site", "expires"]);
        let stored = java.to_stored().unwrap();
        assert_eq!(stored.name, b"a");
        let session = WireCookie { persistent: Some(false), ..java.clone() };
        assert!(!session.unknown_fields().contains(&"expires"));
        assert!(WireCookie { name: Some("!!".into()), ..java }.to_stored().is_err());
    }
}
