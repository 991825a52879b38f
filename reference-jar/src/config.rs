//! Jar configuration: which specification the jar follows and the choices the specification
//! leaves to the user agent. Every default is the one the specification recommends; every
//! option names the section that grants the choice.

/// The specification a jar follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum Profile {
    /// RFC 6265 (2011): nameless cookies ignored, no prefixes, no SameSite, no rejection of
    /// control characters, no size limits, no Secure-origin rule, no lifetime cap.
    Rfc6265,
    /// draft-ietf-httpbis-rfc6265bis-22 (approved, in the RFC Editor queue). The default.
    #[default]
    Rfc6265bis,
    /// draft-ietf-httpbis-layered-cookies: 6265bis plus the `__Http-` and `__Host-Http-`
    /// prefixes.
    LayeredCookies,
}

impl Profile {
    /// Every profile, in a stable order.
    pub const ALL: [Profile; 3] = [Profile::Rfc6265, Profile::Rfc6265bis, Profile::LayeredCookies];

    /// The profile's name as written in cases and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Profile::Rfc6265 => "rfc6265",
            Profile::Rfc6265bis => "rfc6265bis",
            Profile::LayeredCookies => "layered-cookies",
        }
    }

    /// Parses [`Profile::name`].
    pub fn from_name(name: &str) -> Option<Profile> {
        Profile::ALL.into_iter().find(|p| p.name() == name)
    }

    /// Whether this profile has the 6265bis rules (control characters, size limits, prefixes,
    /// SameSite, Secure-origin, lifetime cap, nameless cookies).
    pub fn is_bis(self) -> bool {
        !matches!(self, Profile::Rfc6265)
    }
}

impl std::fmt::Display for Profile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What the jar does with cookies in a third-party context: a response or request whose site
/// differs from the top-level site (§7.1 "Third-Party Cookies" leaves the policy to the user
/// agent).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum ThirdPartyPolicy {
    /// Third-party cookies are set and sent like any other (the 6265bis algorithm as written).
    #[default]
    Allow,
    /// Third-party cookies are neither set nor sent (Safari ITP, Chrome with third-party cookies
    /// blocked). `Partitioned` cookies still work when CHIPS is on.
    Block,
    /// Every cookie in a third-party context is keyed by the top-level site, whether or not it
    /// says `Partitioned` (Firefox Total Cookie Protection).
    Partition,
}

/// The configuration of a [`crate::Jar`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Which specification to follow.
    pub profile: Profile,
    /// §5.7 step 9 and §5.8.3 step 3: reject cookies whose Domain is a public suffix (checked
    /// against the public suffix list compiled into the `psl` crate, ICANN and private sections).
    pub reject_public_suffixes: bool,
    /// CHIPS (draft-cutler-httpbis-partitioned-cookies): honour the `Partitioned` attribute and
    /// key such cookies by the top-level site. Not part of 6265bis, so off by default.
    pub chips: bool,
    /// Third-party cookie policy (§7.1, §7.2).
    pub third_party: ThirdPartyPolicy,
    /// §5.6.7.2 "Lax-allowing-unsafe": when `Some(age)`, cookies whose same-site-flag is
    /// "Default" are also sent on cross-site top-level navigations with unsafe methods while
    /// they are at most `age` seconds old (the spec suggests 2 minutes). Off by default.
    pub lax_allowing_unsafe: Option<i64>,
    /// §5.5: the cookie-age-limit in seconds (RECOMMENDED: 400 days).
    pub age_limit: i64,
    /// §5.7 "remove excess cookies": the per-domain bound (the spec's example is 50, and §6.1
    /// asks for at least 50).
    pub max_cookies_per_domain: usize,
    /// §5.7 "remove excess cookies": the total bound (the spec's example is 3000, and §6.1 asks
    /// for at least 3000).
    pub max_cookies_total: usize,
    /// §5.7 step 13 and §5.8.3: what counts as a "secure" connection is defined by the user
    /// agent. `https` and `wss` always are; when this is true, so are loopback hosts
    /// (`localhost`, `*.localhost`, `127.0.0.0/8`, `[::1]`), as browsers treat them as
    /// potentially trustworthy origins.
    pub trust_localhost: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            profile: Profile::Rfc6265bis,
            reject_public_suffixes: true,
            chips: false,
            third_party: ThirdPartyPolicy::Allow,
            lax_allowing_unsafe: None,
            age_limit: crate::DEFAULT_AGE_LIMIT,
            max_cookies_per_domain: 50,
            max_cookies_total: 3000,
            trust_localhost: true,
        }
    }
}

impl Config {
    /// The default configuration for a profile.
    pub fn for_profile(profile: Profile) -> Self {
        Config { profile, ..Config::default() }
    }
}
