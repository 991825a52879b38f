//! The stored cookie, with every field of §5.7 ("The user agent stores the following fields
//! about each cookie"), plus the CHIPS partition key.

use crate::bytes::SmallBytes;
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
///
/// The cookie's byte strings (name, value, path, domain) are stored together, inline when
/// short: retrieval reads them for every candidate cookie, and one contiguous record instead of
/// four allocations keeps a large jar cache-friendly.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Cookie {
    /// name ++ value ++ path ++ domain.
    text: SmallBytes,
    name_len: u32,
    value_len: u32,
    path_len: u32,
    /// The expiry-time ([`crate::LATEST`] for a non-persistent cookie).
    pub expiry_time: UnixTime,
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
    pub partition_key: Option<Box<str>>,
    /// Tie-breaker for equal creation-times: the order in which cookies were first created.
    pub(crate) creation_seq: u64,
}

/// The fields of a new cookie other than its byte strings (§5.7 step 5 onwards).
#[derive(Debug, Clone)]
pub(crate) struct CookieFlags {
    pub expiry_time: UnixTime,
    pub now: UnixTime,
    pub persistent: bool,
    pub host_only: bool,
    pub secure_only: bool,
    pub http_only: bool,
    pub same_site: SameSite,
    pub partition_key: Option<String>,
    pub creation_seq: u64,
}

/// A length as stored: the parser bounds names, values and paths (§5.6: 4096 and 1024 bytes)
/// and hosts are far below 4 GiB, so this never saturates in practice; if it did, the cookie
/// would only lose bytes, never read out of bounds.
fn len32(bytes: &[u8]) -> u32 {
    u32::try_from(bytes.len()).unwrap_or(u32::MAX)
}

impl Cookie {
    /// A cookie created at `flags.now` (creation-time and last-access-time both `now`).
    pub(crate) fn new(name: &[u8], value: &[u8], path: &[u8], domain: &str, flags: CookieFlags) -> Cookie {
        fn clip(part: &[u8]) -> &[u8] {
            &part[..part.len().min(u32::MAX as usize)]
        }
        Cookie {
            text: SmallBytes::concat(&[clip(name), clip(value), clip(path), clip(domain.as_bytes())]),
            name_len: len32(name),
            value_len: len32(value),
            path_len: len32(path),
            expiry_time: flags.expiry_time,
            creation_time: flags.now,
            last_access_time: flags.now,
            persistent: flags.persistent,
            host_only: flags.host_only,
            secure_only: flags.secure_only,
            http_only: flags.http_only,
            same_site: flags.same_site,
            partition_key: flags.partition_key.map(String::into_boxed_str),
            creation_seq: flags.creation_seq,
        }
    }

    fn value_start(&self) -> usize {
        self.name_len as usize
    }

    fn path_start(&self) -> usize {
        self.value_start() + self.value_len as usize
    }

    fn domain_start(&self) -> usize {
        self.path_start() + self.path_len as usize
    }

    /// The cookie-name, as received (bytes; may be empty).
    pub fn name(&self) -> &[u8] {
        &self.text.as_bytes()[..self.value_start()]
    }

    /// The cookie-value, as received (bytes; may be empty).
    pub fn value(&self) -> &[u8] {
        &self.text.as_bytes()[self.value_start()..self.path_start()]
    }

    /// The cookie path (bytes, as received or the default-path).
    pub fn path(&self) -> &[u8] {
        &self.text.as_bytes()[self.path_start()..self.domain_start()]
    }

    /// The canonical domain: the request host for host-only cookies, else the Domain attribute.
    pub fn domain(&self) -> &str {
        // Stored from a `&str`, so always UTF-8; the fallback is unreachable.
        std::str::from_utf8(self.domain_bytes()).unwrap_or_default()
    }

    /// The domain's bytes, for comparisons (no UTF-8 check).
    pub(crate) fn domain_bytes(&self) -> &[u8] {
        &self.text.as_bytes()[self.domain_start()..]
    }

    /// The partition key as text.
    pub fn partition(&self) -> Option<&str> {
        self.partition_key.as_deref()
    }

    /// Whether the cookie is expired at `now`: §5.7 says a cookie is expired if it "has an
    /// expiry date in the past", so a cookie whose expiry-time is exactly `now` is not yet
    /// expired. (Some user agents expire it at that instant; cases at that boundary say so.)
    pub fn is_expired(&self, now: UnixTime) -> bool {
        self.expiry_time < now
    }

    /// The name as text, with invalid UTF-8 replaced (for messages only).
    pub fn name_lossy(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(self.name())
    }

    /// The order of creation among cookies with equal creation-times.
    pub fn creation_order(&self) -> u64 {
        self.creation_seq
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_strings_round_trip_through_the_shared_buffer() {
        let flags = CookieFlags {
            expiry_time: 9,
            now: 1,
            persistent: true,
            host_only: false,
            secure_only: true,
            http_only: false,
            same_site: SameSite::Lax,
            partition_key: Some("https://example.com".into()),
            creation_seq: 3,
        };
        let c = Cookie::new(b"sid", b"", b"/a/b", "example.com", flags.clone());
        assert_eq!((c.name(), c.value(), c.path(), c.domain()), (&b"sid"[..], &b""[..], &b"/a/b"[..], "example.com"));
        assert_eq!((c.creation_time, c.last_access_time, c.partition()), (1, 1, Some("https://example.com")));
        let nameless = Cookie::new(b"", b"v=1", b"/", "", flags);
        assert_eq!((nameless.name(), nameless.value(), nameless.path(), nameless.domain()), (&b""[..], &b"v=1"[..], &b"/"[..], ""));
    }
}
