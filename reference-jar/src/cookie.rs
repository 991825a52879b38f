//! The stored cookie, with every field of §5.7 ("The user agent stores the following fields
//! about each cookie"), plus the CHIPS partition key.

use crate::UnixTime;

/// The same-site-flag of a cookie (§5.6.7, §5.7 step 17).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SameSite {
    /// No recognised SameSite attribute: treated as "Lax" for cross-site retrieval (§5.8.3).
    #[default]
    Default,
    /// `SameSite=None`: sent in every context (requires Secure, §5.7 step 19).
    None,
    /// `SameSite=Strict`.
    Strict,
    /// `SameSite=Lax`.
    Lax,
}

impl SameSite {
    /// The enforcement's name as written in the specification.
    pub fn name(self) -> &'static str {
        match self {
            SameSite::Default => "Default",
            SameSite::None => "None",
            SameSite::Strict => "Strict",
            SameSite::Lax => "Lax",
        }
    }
}

/// A cookie in the store (§5.7).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Cookie {
    /// The cookie-name, as received (bytes; may be empty).
    pub name: Vec<u8>,
    /// The cookie-value, as received (bytes; may be empty).
    pub value: Vec<u8>,
    /// The expiry-time ([`crate::LATEST`] for a non-persistent cookie).
    pub expiry_time: UnixTime,
    /// The canonical domain: the request host for host-only cookies, else the Domain attribute.
    pub domain: String,
    /// The cookie path (bytes, as received or the default-path).
    pub path: Vec<u8>,
    /// The creation-time, kept across replacement (§5.7 step 23.3).
    pub creation_time: UnixTime,
    /// The last-access-time, updated by retrieval (§5.8.3 step 5).
    pub last_access_time: UnixTime,
    /// The persistent-flag: the cookie had Max-Age or Expires.
    pub persistent: bool,
    /// The host-only-flag: the cookie had no (usable) Domain attribute.
    pub host_only: bool,
    /// The secure-only-flag.
    pub secure_only: bool,
    /// The http-only-flag.
    pub http_only: bool,
    /// The same-site-flag.
    pub same_site: SameSite,
    /// CHIPS: the top-level site (`scheme://registrable-domain`) the cookie is partitioned by,
    /// or `None` for an unpartitioned cookie.
    pub partition_key: Option<String>,
    /// Tie-breaker for equal creation-times: the order in which cookies were first created.
    pub(crate) creation_seq: u64,
}

impl Cookie {
    /// Whether the cookie is expired at `now`: §5.7 says a cookie is expired if it "has an
    /// expiry date in the past", so a cookie whose expiry-time is exactly `now` is not yet
    /// expired. (Some user agents expire it at that instant; cases at that boundary say so.)
    pub fn is_expired(&self, now: UnixTime) -> bool {
        self.expiry_time < now
    }

    /// The name as text, with invalid UTF-8 replaced (for messages only).
    pub fn name_lossy(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.name)
    }

    /// The order of creation among cookies with equal creation-times.
    pub fn creation_order(&self) -> u64 {
        self.creation_seq
    }
}
