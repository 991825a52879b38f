//! The request-uri: the URL a response came from or a request goes to, reduced to what the
//! cookie algorithms read (scheme, canonicalized host, path).

use crate::host::{self, CanonicalHost, HostKind};

/// Why a URL cannot serve as a request-uri.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UriError {
    /// Not a URL.
    #[error("not a URL: {0}")]
    Syntax(#[from] url::ParseError),
    /// The URL has no host (e.g. `data:` or `file:` URLs).
    #[error("the URL has no host")]
    NoHost,
    /// The host fails §5.1.2 canonicalization.
    #[error("the host cannot be canonicalized: {0}")]
    Host(#[from] host::HostError),
}

/// A parsed request-uri.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestUri {
    /// The scheme, lowercase.
    pub scheme: String,
    /// The canonicalized host (§5.1.2).
    pub host: CanonicalHost,
    /// The path portion of the URI (no query, no fragment), as the URL serializes it.
    pub path: String,
}

impl RequestUri {
    /// Parses `url` (WHATWG URL syntax, as a user agent would) and canonicalizes its host.
    pub fn parse(url: &str) -> Result<RequestUri, UriError> {
        let parsed = url::Url::parse(url)?;
        let raw_host = match parsed.host() {
            Some(url::Host::Domain(d)) => d.to_owned(),
            Some(url::Host::Ipv4(a)) => a.to_string(),
            Some(url::Host::Ipv6(a)) => format!("[{a}]"),
            None => return Err(UriError::NoHost),
        };
        let host = host::canonicalize(&raw_host)?;
        // A URL with an opaque path ("foo:bar") has no path portion: §5.1.4 step 1 makes it
        // empty, and `Url::path` already returns the serialized path otherwise.
        let path = if parsed.cannot_be_a_base() { String::new() } else { parsed.path().to_owned() };
        Ok(RequestUri { scheme: parsed.scheme().to_owned(), host, path })
    }

    /// Whether the request-uri denotes a "secure" connection, which the spec leaves to the user
    /// agent (§5.7 step 13, §5.8.3 step 3): `https` and `wss`, and with `trust_localhost` the
    /// loopback hosts, as browsers treat them as potentially trustworthy.
    pub fn is_secure(&self, trust_localhost: bool) -> bool {
        matches!(self.scheme.as_str(), "https" | "wss") || (trust_localhost && self.host.is_loopback())
    }

    /// Whether the host is an IP address.
    pub fn is_ip(&self) -> bool {
        !matches!(self.host.kind, HostKind::Domain)
    }
}
