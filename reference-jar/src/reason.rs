//! Why a cookie was rejected (§5.6, §5.7) or left out of a cookie-string (§5.8.3), each reason
//! with the section and step that requires it.

/// Why a received cookie was ignored. [`Rejection::section`] names the rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum Rejection {
    /// The set-cookie-string holds a CTL other than HTAB.
    #[error("the set-cookie-string contains a control character")]
    ControlCharacter,
    /// Name plus value exceed 4096 octets.
    #[error("the cookie name and value together exceed 4096 octets")]
    NameValueTooLong,
    /// Both name and value are empty.
    #[error("the cookie name and value are both empty")]
    EmptyNameAndValue,
    /// RFC 6265 only: the name-value-pair lacks "=" or the name is empty.
    #[error("RFC 6265 ignores a cookie without a name")]
    NamelessIgnoredByRfc6265,
    /// The Domain attribute holds an octet outside CHAR (US-ASCII).
    #[error("the Domain attribute contains a non-ASCII octet")]
    DomainNotAscii,
    /// The request host cannot be canonicalized.
    #[error("the request host cannot be canonicalized")]
    HostNotCanonical,
    /// The Domain attribute is a public suffix other than the request host.
    #[error("the Domain attribute is a public suffix")]
    PublicSuffix,
    /// The request host does not domain-match the Domain attribute.
    #[error("the request host does not domain-match the Domain attribute")]
    DomainMismatch,
    /// A Secure cookie from a non-secure request-uri.
    #[error("a Secure cookie was set from a non-secure origin")]
    SecureFromInsecureOrigin,
    /// An HttpOnly cookie from a non-HTTP API.
    #[error("an HttpOnly cookie was set from a non-HTTP API")]
    HttpOnlyFromNonHttp,
    /// A non-secure cookie would overlay a stored Secure cookie ("leave secure cookies alone").
    #[error("a non-secure cookie from a non-secure origin would overlay a Secure cookie")]
    OverlaysSecureCookie,
    /// A non-HTTP API in a document whose site for cookies is cross-site with the top level.
    #[error("a SameSite cookie was set by script in a cross-site document")]
    SameSiteFromCrossSiteDocument,
    /// A cookie whose same-site-flag is not None, from a cross-site request that is not a
    /// top-level navigation.
    #[error("a SameSite cookie was set by a cross-site request that is not a top-level navigation")]
    SameSiteFromCrossSiteRequest,
    /// `SameSite=None` without Secure.
    #[error("SameSite=None requires the Secure attribute")]
    SameSiteNoneWithoutSecure,
    /// `__Secure-` prefix without Secure.
    #[error("a __Secure- cookie lacks the Secure attribute")]
    SecurePrefix,
    /// `__Host-` prefix without Secure, with a Domain, or without `Path=/`.
    #[error("a __Host- cookie lacks Secure, has a Domain attribute, or lacks Path=/")]
    HostPrefix,
    /// layered-cookies: `__Http-` prefix without Secure, or set from a non-HTTP API.
    #[error("a __Http- cookie lacks Secure or HttpOnly, or came from a non-HTTP API")]
    HttpPrefix,
    /// layered-cookies: `__Host-Http-` prefix without the `__Host-` and `__Http-` conditions.
    #[error("a __Host-Http- cookie fails the __Host- or __Http- conditions")]
    HostHttpPrefix,
    /// A nameless cookie whose value starts with a reserved prefix.
    #[error("a nameless cookie's value begins with a cookie name prefix")]
    NamelessWithPrefixValue,
    /// A non-HTTP API would replace an HttpOnly cookie.
    #[error("a non-HTTP API would replace an HttpOnly cookie")]
    OverwritesHttpOnly,
    /// The third-party policy blocks cookies in this context.
    #[error("third-party cookies are blocked by the jar's policy")]
    ThirdPartyBlocked,
    /// CHIPS: `Partitioned` without `Secure`.
    #[error("a Partitioned cookie lacks the Secure attribute")]
    PartitionedWithoutSecure,
    /// The request-uri cannot be parsed or has no host.
    #[error("the request URI is not a URL with a host")]
    BadRequestUri,
    /// layered-cookies: the Domain attribute is not a host (host parsing fails, e.g. empty).
    #[error("the Domain attribute is not a host")]
    DomainNotAHost,
}

impl Rejection {
    /// The rule that requires this rejection, as "§section step n" of 6265bis-22 (or the named
    /// draft for the profiles and options outside it).
    pub fn section(self) -> &'static str {
        use Rejection::*;
        match self {
            ControlCharacter => "§5.6 step 1",
            NameValueTooLong => "§5.6 step 5",
            EmptyNameAndValue => "§5.7 step 2",
            NamelessIgnoredByRfc6265 => "RFC 6265 §5.2 steps 2 and 5",
            DomainNotAscii => "§5.7 step 8",
            HostNotCanonical => "§5.7 step 9.2",
            PublicSuffix => "§5.7 step 9",
            DomainMismatch => "§5.7 step 10",
            SecureFromInsecureOrigin => "§5.7 step 13",
            HttpOnlyFromNonHttp => "§5.7 step 15",
            OverlaysSecureCookie => "§5.7 step 16",
            SameSiteFromCrossSiteDocument => "§5.7 step 18.1",
            SameSiteFromCrossSiteRequest => "§5.7 step 18.4",
            SameSiteNoneWithoutSecure => "§5.7 step 19",
            SecurePrefix => "§5.7 step 20",
            HostPrefix => "§5.7 step 21",
            HttpPrefix => "layered-cookies §4.4.2 (__Http-)",
            HostHttpPrefix => "layered-cookies §4.4.2 (__Host-Http-)",
            NamelessWithPrefixValue => "§5.7 step 22",
            OverwritesHttpOnly => "§5.7 step 23.2",
            ThirdPartyBlocked => "§7.1 (third-party cookie policy)",
            PartitionedWithoutSecure => "CHIPS (draft-cutler-httpbis-partitioned-cookies)",
            BadRequestUri => "§5.1.2 (request-host)",
            DomainNotAHost => "layered-cookies Parse a Cookie (Domain: host parsing)",
        }
    }

    /// A stable identifier (the variant's name), for reports and expected-failure files.
    pub fn code(self) -> &'static str {
        use Rejection::*;
        match self {
            ControlCharacter => "ControlCharacter",
            NameValueTooLong => "NameValueTooLong",
            EmptyNameAndValue => "EmptyNameAndValue",
            NamelessIgnoredByRfc6265 => "NamelessIgnoredByRfc6265",
            DomainNotAscii => "DomainNotAscii",
            HostNotCanonical => "HostNotCanonical",
            PublicSuffix => "PublicSuffix",
            DomainMismatch => "DomainMismatch",
            SecureFromInsecureOrigin => "SecureFromInsecureOrigin",
            HttpOnlyFromNonHttp => "HttpOnlyFromNonHttp",
            OverlaysSecureCookie => "OverlaysSecureCookie",
            SameSiteFromCrossSiteDocument => "SameSiteFromCrossSiteDocument",
            SameSiteFromCrossSiteRequest => "SameSiteFromCrossSiteRequest",
            SameSiteNoneWithoutSecure => "SameSiteNoneWithoutSecure",
            SecurePrefix => "SecurePrefix",
            HostPrefix => "HostPrefix",
            HttpPrefix => "HttpPrefix",
            HostHttpPrefix => "HostHttpPrefix",
            NamelessWithPrefixValue => "NamelessWithPrefixValue",
            OverwritesHttpOnly => "OverwritesHttpOnly",
            ThirdPartyBlocked => "ThirdPartyBlocked",
            PartitionedWithoutSecure => "PartitionedWithoutSecure",
            BadRequestUri => "BadRequestUri",
            DomainNotAHost => "DomainNotAHost",
        }
    }
}

/// Why a stored cookie was left out of a cookie-string (§5.8.3 step 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum Exclusion {
    /// Host-only cookie, and the retrieval host is not identical to its domain.
    #[error("host-only cookie for another host")]
    HostOnlyMismatch,
    /// The retrieval host does not domain-match the cookie's domain.
    #[error("the request host does not domain-match the cookie's domain")]
    DomainMismatch,
    /// The cookie's domain has become a public suffix.
    #[error("the cookie's domain is a public suffix")]
    PublicSuffixDomain,
    /// The retrieval path does not path-match the cookie's path.
    #[error("the request path does not path-match the cookie's path")]
    PathMismatch,
    /// Secure cookie, non-secure retrieval.
    #[error("Secure cookie on a non-secure connection")]
    SecureOnly,
    /// HttpOnly cookie, non-HTTP retrieval.
    #[error("HttpOnly cookie and a non-HTTP API")]
    HttpOnly,
    /// Cross-site retrieval and the cookie's same-site-flag forbids it.
    #[error("SameSite={0} cookie on a cross-site request")]
    SameSite(&'static str),
    /// The cookie is partitioned by another top-level site (CHIPS).
    #[error("partitioned by another top-level site")]
    PartitionMismatch,
    /// The third-party policy blocks cookies in this context.
    #[error("third-party cookies are blocked by the jar's policy")]
    ThirdPartyBlocked,
}

impl Exclusion {
    /// The rule that requires this exclusion.
    pub fn section(self) -> &'static str {
        use Exclusion::*;
        match self {
            HostOnlyMismatch | DomainMismatch => "§5.8.3 step 3 (domain)",
            PublicSuffixDomain => "§5.8.3 step 3 (public suffix)",
            PathMismatch => "§5.8.3 step 3 (path-match)",
            SecureOnly => "§5.8.3 step 3 (secure-only)",
            HttpOnly => "§5.8.3 step 3 (http-only)",
            SameSite(_) => "§5.8.3 step 3 (same-site)",
            PartitionMismatch => "CHIPS (partition key)",
            ThirdPartyBlocked => "§7.1 (third-party cookie policy)",
        }
    }
}
