//! # reference-jar: an executable RFC 6265bis
//!
//! The reference user-agent cookie jar of the cookie conformance suite. Every rule of
//! draft-ietf-httpbis-rfc6265bis-22 §5 ("User Agent Requirements") is implemented here with its
//! section number beside it, so that a rejected or excluded cookie can say *why*.
//!
//! Guarantees:
//! - no I/O and no wall clock: every operation takes the current time as a parameter
//!   ([`UnixTime`], seconds since 1970-01-01T00:00:00Z);
//! - no panics on any input bytes (checked by property tests and the fuzz targets);
//! - no `unsafe` code.
//!
//! The one public entry is [`Jar`]: [`Jar::set_cookie`] runs §5.6 (parsing) and §5.7 (storage),
//! [`Jar::cookie_header`] / [`Jar::cookie_string`] run §5.8 (retrieval), and
//! [`Jar::cookies`] inspects the store. The subcomponent algorithms of §5.1 are public in their
//! own modules ([`date`], [`host`], [`domain`], [`path`]) for targets and tests that need them.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod config;
pub mod context;
pub mod cookie;
pub mod date;
pub mod domain;
pub mod host;
pub mod path;
pub mod reason;
pub mod request;
pub mod set_cookie;
pub mod site;
mod bytes;
mod jar;
mod store;

pub use config::{Config, Profile, ThirdPartyPolicy};
pub use context::{Api, Context, SiteForCookies};
pub use cookie::{Cookie, SameSite};
pub use jar::{CookieRef, Jar, Retrieval, SetOutcome};
pub use reason::{Exclusion, Rejection};
pub use request::{RequestUri, UriError};

/// A point in time: whole seconds since 1970-01-01T00:00:00Z (UTC). Negative values are before
/// 1970; cookie-dates reach back to 1601 (§5.1.1 step 5).
pub type UnixTime = i64;

/// The earliest representable date (§5.6.2 step 7: a non-positive Max-Age expires the cookie at
/// "the earliest representable date and time").
pub const EARLIEST: UnixTime = i64::MIN;

/// The latest representable date (§5.7 step 6: a non-persistent cookie's expiry-time).
pub const LATEST: UnixTime = i64::MAX;

/// 400 days in seconds: the RECOMMENDED cookie-age-limit of §5.5.
pub const DEFAULT_AGE_LIMIT: i64 = 400 * 24 * 60 * 60;
