//! Sites, for "same-site" (§5.2) and for CHIPS partition keys.
//!
//! §5.2 defers to HTML's "same site", which is schemeful: two origins are same site when their
//! schemes are equal and their hosts' registrable domains are equal (or, for hosts without a
//! registrable domain such as IP addresses and public suffixes, the hosts are equal).

use crate::domain::registrable_domain;
use crate::request::RequestUri;

/// A schemeful site, serialized as `scheme://registrable-domain` (or `scheme://host`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Site(String);

impl Site {
    /// The site of a request-uri.
    pub fn of(uri: &RequestUri) -> Site {
        let host = uri.host.name.as_str();
        let registrable = if uri.is_ip() { None } else { registrable_domain(host) };
        Site(format!("{}://{}", uri.scheme, registrable.unwrap_or(host)))
    }

    /// The site of a URL, or `None` when it is not a URL with a canonicalizable host (an opaque
    /// origin, which is same site with nothing).
    pub fn of_url(url: &str) -> Option<Site> {
        RequestUri::parse(url).ok().map(|u| Site::of(&u))
    }

    /// The serialization, `scheme://domain`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Site {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
