//! The cookie store: the storage model (§5.7) and the retrieval model (§5.8).
//!
//! The data structure is in `store.rs`: retrieval reads only the cookies of the request host
//! and its parent domains, and never scans unrelated domains.

use crate::config::{Config, Profile, ThirdPartyPolicy};
use crate::context::{Api, Context, SiteForCookies};
use crate::cookie::{Cookie, CookieFlags, SameSite};
use crate::domain::{domain_match, is_public_suffix};
use crate::path::{default_path, path_match};
use crate::reason::{Exclusion, Rejection};
use crate::request::{RequestUri, UriError};
use crate::set_cookie::{self, starts_with_ignore_case, Attribute, ParsedCookie};
use crate::site::Site;
use crate::store::Store;
use crate::{UnixTime, EARLIEST, LATEST};

/// What became of a set-cookie-string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetOutcome {
    /// The cookie was inserted (§5.7 step 24).
    Stored {
        /// It replaced a cookie with the same name, domain, host-only-flag and path (step 23).
        replaced: bool,
        /// It was already expired, so it was evicted at once (§5.7: "evict all expired
        /// cookies"): the net effect is a deletion of the cookie it replaced.
        expired: bool,
    },
    /// The cookie was ignored, for this reason.
    Rejected(Rejection),
}

/// Names a stored cookie in a [`Retrieval`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CookieRef {
    /// The cookie-name.
    pub name: Vec<u8>,
    /// The domain field.
    pub domain: String,
    /// The path field.
    pub path: Vec<u8>,
    /// The host-only-flag.
    pub host_only: bool,
}

impl CookieRef {
    fn of(cookie: &Cookie) -> CookieRef {
        CookieRef {
            name: cookie.name().to_vec(),
            domain: cookie.domain().to_owned(),
            path: cookie.path().to_vec(),
            host_only: cookie.host_only,
        }
    }
}

/// The result of a retrieval (§5.8.3), with the reason for every cookie left out.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Retrieval {
    /// The cookie-string, or `None` when no cookie is included (no Cookie header field is sent)
    /// or the host cannot be canonicalized (step 2).
    pub cookie_string: Option<Vec<u8>>,
    /// The included cookies, in cookie-string order.
    pub included: Vec<CookieRef>,
    /// Cookies of the candidate domains that were left out, each with its reason.
    pub excluded: Vec<(CookieRef, Exclusion)>,
}

/// A cookie jar implementing RFC 6265bis §5.6-§5.8 (or the profile it is configured with).
#[derive(Debug, Clone)]
pub struct Jar {
    config: Config,
    store: Store,
    next_seq: u64,
    /// Buffers reused by every retrieval (cleared each time; they only save allocations).
    scratch: Scratch,
}

/// An included cookie during retrieval: its sort keys (§5.8.3 step 4) and where its name and
/// value were copied in [`Scratch::bytes`].
#[derive(Debug, Clone)]
struct Included {
    path_len: usize,
    creation_time: UnixTime,
    creation_seq: u64,
    name: std::ops::Range<usize>,
    value: std::ops::Range<usize>,
}

#[derive(Debug, Clone, Default)]
struct Scratch {
    entries: Vec<Included>,
    bytes: Vec<u8>,
}

/// Whether a request to `uri` in `ctx` is "same-site" (§5.2; for non-HTTP APIs, §5.8.2: the
/// document's site for cookies is same-site with the top-level origin).
fn is_same_site(uri: &RequestUri, ctx: &Context) -> bool {
    match &ctx.site_for_cookies {
        // §5.2 criterion 2: a request without a client is same-site.
        SiteForCookies::NoClient => true,
        SiteForCookies::Opaque => false,
        SiteForCookies::Origin(origin) => Site::of_url(origin).is_some_and(|s| s == Site::of(uri)),
    }
}

/// The top-level site of the request's context, when known: it keys CHIPS partitions and
/// decides whether the request is third-party (§7.1).
///
/// A top-level navigation fetches the primary resource itself: the document it creates is the
/// top-level document, so its own site is the top-level site, whoever initiated it.
fn top_level_site(uri: &RequestUri, ctx: &Context) -> Option<Site> {
    if ctx.top_level_navigation {
        return Some(Site::of(uri));
    }
    if let Some(top) = &ctx.top_level {
        return Site::of_url(top);
    }
    match &ctx.site_for_cookies {
        SiteForCookies::NoClient => Some(Site::of(uri)),
        SiteForCookies::Origin(origin) => Site::of_url(origin),
        SiteForCookies::Opaque => None,
    }
}

/// The partition and third-party facts of one request.
struct Party {
    /// The request's site differs from the top-level site (or the top-level site is unknown).
    third_party: bool,
    /// The top-level site, the partition key of cookies set or read in this context.
    top_level: Option<Site>,
}

impl Party {
    fn of(uri: &RequestUri, ctx: &Context) -> Party {
        let top_level = top_level_site(uri, ctx);
        let third_party = top_level.as_ref().is_none_or(|top| *top != Site::of(uri));
        Party { third_party, top_level }
    }
}

/// The attributes of §5.7 steps 6-17 after "last attribute wins".
#[derive(Default)]
struct Effective<'a> {
    max_age: Option<i64>,
    expires: Option<UnixTime>,
    domain: Option<&'a [u8]>,
    path: Option<Option<&'a [u8]>>,
    secure: bool,
    http_only: bool,
    same_site: Option<SameSite>,
    partitioned: bool,
}

impl<'a> Effective<'a> {
    fn of(attributes: &[Attribute<'a>]) -> Effective<'a> {
        let mut e = Effective::default();
        for attribute in attributes {
            match *attribute {
                Attribute::MaxAge(delta) => e.max_age = Some(delta),
                Attribute::Expires(time) => e.expires = Some(time),
                Attribute::Domain(value) => e.domain = Some(value),
                Attribute::Path(value) => e.path = Some(value),
                Attribute::Secure => e.secure = true,
                Attribute::HttpOnly => e.http_only = true,
                Attribute::SameSite(enforcement) => e.same_site = Some(enforcement),
                Attribute::Partitioned => e.partitioned = true,
                Attribute::Unknown { .. } => {}
            }
        }
        e
    }
}

impl Jar {
    /// An empty jar.
    pub fn new(config: Config) -> Jar {
        let store = Store::new(config.profile.is_bis());
        Jar { config, store, next_seq: 0, scratch: Scratch::default() }
    }

    /// The jar's configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// How many cookies are stored (expired ones included until they are evicted).
    pub fn len(&self) -> usize {
        self.store.len()
    }

    /// Whether the store is empty.
    pub fn is_empty(&self) -> bool {
        self.store.len() == 0
    }

    /// Removes every cookie.
    pub fn clear(&mut self) {
        self.store.clear();
    }

    /// Every unexpired cookie, in no particular order (the inspection API).
    pub fn cookies(&self, now: UnixTime) -> Vec<&Cookie> {
        self.store.iter().filter(|c| !c.is_expired(now)).collect()
    }

    /// §5.7: "evict all expired cookies". The jar also does this lazily as it reads domains.
    pub fn evict_expired(&mut self, now: UnixTime) {
        self.store.evict_all_expired(now);
    }

    /// §5.7: when "the current session is over", remove every non-persistent cookie.
    pub fn end_session(&mut self) {
        self.store.retain(|c| c.persistent);
    }

    /// Receives a Set-Cookie field value (or, with `ctx.api == Api::NonHttp`, a
    /// `document.cookie` assignment) from `url` at `now`: §5.6 parsing, then the §5.7 storage
    /// model.
    pub fn set_cookie(&mut self, url: &str, set_cookie_string: &[u8], ctx: &Context, now: UnixTime) -> SetOutcome {
        let uri = match RequestUri::parse(url) {
            Ok(uri) => uri,
            // §5.7 step 9.2 (and step 10's use of request-host-canonical).
            Err(UriError::Host(_)) => return SetOutcome::Rejected(Rejection::HostNotCanonical),
            Err(_) => return SetOutcome::Rejected(Rejection::BadRequestUri),
        };
        self.set_cookie_at(&uri, set_cookie_string, ctx, now)
    }

    /// [`Jar::set_cookie`] for an already parsed request-uri (when one response carries many
    /// Set-Cookie lines, or a caller has the URL parsed anyway).
    pub fn set_cookie_at(&mut self, uri: &RequestUri, set_cookie_string: &[u8], ctx: &Context, now: UnixTime) -> SetOutcome {
        match set_cookie::parse(set_cookie_string, self.config.profile) {
            Ok(parsed) => match self.receive(uri, &parsed, ctx, now) {
                Ok(outcome) => outcome,
                Err(rejection) => SetOutcome::Rejected(rejection),
            },
            Err(rejection) => SetOutcome::Rejected(rejection),
        }
    }

    /// The storage model, §5.7 steps 1-24, for a parsed cookie.
    fn receive(&mut self, uri: &RequestUri, parsed: &ParsedCookie<'_>, ctx: &Context, now: UnixTime) -> Result<SetOutcome, Rejection> {
        let profile = self.config.profile;
        let bis = profile.is_bis();
        let layered = profile == Profile::LayeredCookies;
        let (name, value) = (parsed.name, parsed.value);
        // Step 1: this jar ignores no cookie by policy here (third-party policy is below).
        // Step 2: a cookie with neither name nor value is ignored.
        if bis && name.is_empty() && value.is_empty() {
            return Err(Rejection::EmptyNameAndValue);
        }
        // Steps 3-4 repeat §5.6 steps 1 and 5 for cookies from non-HTTP APIs; `parse` has
        // applied them to every set-cookie-string already.
        let attributes = Effective::of(&parsed.attributes);
        let secure_connection = uri.is_secure(self.config.trust_localhost);

        // Step 6: expiry from the last Max-Age, else the last Expires, else a session cookie.
        // §5.5, §5.6.1 steps 3-4 and §5.6.2 steps 5-7: both are capped at the age limit.
        let limit = self.config.age_limit;
        let (persistent, expiry_time) = if let Some(delta) = attributes.max_age {
            let delta = if bis { delta.min(limit) } else { delta };
            (true, if delta <= 0 { EARLIEST } else { now.saturating_add(delta) })
        } else if let Some(expires) = attributes.expires {
            (true, if bis { expires.min(now.saturating_add(limit)) } else { expires })
        } else {
            (false, LATEST)
        };

        // Step 7: the domain-attribute, lower-cased (§5.6.3 step 3).
        let host = uri.host.name.as_str();
        let mut domain_attribute: String = match attributes.domain {
            None => String::new(),
            Some(raw) => {
                // Step 8: a domain-attribute outside CHAR (US-ASCII) is ignored entirely.
                if !raw.is_ascii() {
                    return Err(if bis { Rejection::DomainNotAscii } else { Rejection::DomainMismatch });
                }
                let lower: String = raw.iter().map(|b| char::from(b.to_ascii_lowercase())).collect();
                if layered {
                    // layered-cookies "Parse a Cookie": the value is host-parsed; failure
                    // (for instance an empty value) fails the cookie.
                    match url::Host::parse(&lower) {
                        Ok(url::Host::Domain(d)) => d,
                        Ok(url::Host::Ipv4(a)) => a.to_string(),
                        Ok(url::Host::Ipv6(a)) => format!("[{a}]"),
                        Err(_) => return Err(Rejection::DomainNotAHost),
                    }
                } else {
                    lower
                }
            }
        };
        // Step 9: a public suffix is only accepted as the request host itself, as host-only.
        if self.config.reject_public_suffixes && !domain_attribute.is_empty() && is_public_suffix(&domain_attribute) {
            if domain_attribute == host {
                domain_attribute.clear();
            } else {
                return Err(Rejection::PublicSuffix);
            }
        }
        // Step 10: the request host must domain-match the domain-attribute.
        let (host_only, domain) = if domain_attribute.is_empty() {
            (true, host)
        } else if domain_match(host, &domain_attribute) {
            (false, domain_attribute.as_str())
        } else {
            return Err(Rejection::DomainMismatch);
        };
        // Step 11: the last Path attribute, else the default-path (§5.1.4). A Path attribute
        // whose value was empty or did not start with "/" carries the default-path (§5.6.4).
        let has_path_attribute = attributes.path.is_some();
        let path = match attributes.path.flatten() {
            Some(path) => path,
            None => default_path(uri.path.as_bytes()),
        };
        // Step 12.
        let secure_only = attributes.secure;
        // Step 13: Secure cookies only from secure request-uris.
        if bis && secure_only && !secure_connection {
            return Err(Rejection::SecureFromInsecureOrigin);
        }
        // Step 14.
        let http_only = attributes.http_only;
        // Step 15: non-HTTP APIs cannot set HttpOnly cookies.
        if ctx.api == Api::NonHttp && http_only {
            return Err(Rejection::HttpOnlyFromNonHttp);
        }

        // CHIPS and the third-party policy (§7.1; not part of the 6265bis algorithm, applied
        // here as the user agent's cookie policy of §5.7 step 1).
        let chips_partitioned = self.config.chips && attributes.partitioned;
        let party = if chips_partitioned || self.config.third_party != ThirdPartyPolicy::Allow {
            Party::of(uri, ctx)
        } else {
            // Neither partitions nor the policy can apply: skip the site computations.
            Party { third_party: false, top_level: None }
        };
        if chips_partitioned && !secure_only {
            return Err(Rejection::PartitionedWithoutSecure);
        }
        let partition_key = if chips_partitioned
            || (party.third_party && self.config.third_party == ThirdPartyPolicy::Partition)
        {
            match &party.top_level {
                Some(site) => Some(site.as_str().to_owned()),
                None => return Err(Rejection::ThirdPartyBlocked),
            }
        } else {
            None
        };
        if party.third_party && partition_key.is_none() && self.config.third_party == ThirdPartyPolicy::Block {
            return Err(Rejection::ThirdPartyBlocked);
        }

        // Step 16: "leave secure cookies alone".
        if bis && !secure_only && !secure_connection && self.overlays_secure_cookie(name, domain, path, partition_key.as_deref(), now) {
            return Err(Rejection::OverlaysSecureCookie);
        }

        // Step 17: the last SameSite attribute, else "Default". (RFC 6265 has no SameSite.)
        let same_site = attributes.same_site.unwrap_or(SameSite::Default);
        if bis {
            // Step 18: cross-site contexts may only create SameSite=None cookies, except
            // top-level navigations.
            if same_site != SameSite::None {
                let same_site_request = is_same_site(uri, ctx);
                if ctx.api == Api::NonHttp && !same_site_request {
                    return Err(Rejection::SameSiteFromCrossSiteDocument);
                }
                if !same_site_request && !ctx.top_level_navigation {
                    return Err(Rejection::SameSiteFromCrossSiteRequest);
                }
            }
            // Step 19: SameSite=None requires Secure.
            if same_site == SameSite::None && !secure_only {
                return Err(Rejection::SameSiteNoneWithoutSecure);
            }
            // Step 20: "__Secure-", case-insensitively (§5.4).
            if starts_with_ignore_case(name, b"__secure-") && !secure_only {
                return Err(Rejection::SecurePrefix);
            }
            // Step 21: "__Host-": Secure, host-only, and an explicit Path of "/".
            let host_prefix_ok = secure_only && host_only && has_path_attribute && path == b"/";
            if starts_with_ignore_case(name, b"__host-") && !host_prefix_ok {
                return Err(Rejection::HostPrefix);
            }
            if layered {
                // layered-cookies "Store a Cookie": "Http-prefix compatible". The draft's
                // user-agent text reads "http-only is false", contradicting its own server
                // section ("set with a Secure attribute, and an HttpOnly attribute") and the
                // prefix's purpose; this jar follows the server section.
                let http_prefix_ok = secure_only && http_only;
                if starts_with_ignore_case(name, b"__http-") && !http_prefix_ok {
                    return Err(Rejection::HttpPrefix);
                }
                if starts_with_ignore_case(name, b"__host-http-") && !(host_prefix_ok && http_prefix_ok) {
                    return Err(Rejection::HostHttpPrefix);
                }
            }
            // Step 22: a nameless cookie must not look like a prefixed one once serialized.
            if name.is_empty() {
                let reserved: &[&[u8]] = if layered {
                    &[b"__secure-", b"__host-", b"__http-"]
                } else {
                    &[b"__secure-", b"__host-"]
                };
                if reserved.iter().any(|prefix| starts_with_ignore_case(value, prefix)) {
                    return Err(Rejection::NamelessWithPrefixValue);
                }
            }
        }

        // Step 5: the new cookie, created and last accessed now.
        let flags = CookieFlags {
            expiry_time,
            now,
            persistent,
            host_only,
            secure_only,
            http_only,
            same_site,
            partition_key,
            creation_seq: self.next_seq,
        };
        let cookie = Cookie::new(name, value, path, domain, flags);
        self.next_seq += 1;

        // Step 23: replace the cookie with the same name, domain, host-only-flag and path
        // (RFC 6265: name, domain and path), keeping its creation-time. An expired cookie is
        // no longer in the store (§5.7: expired cookies are evicted "at any time" they exist),
        // so it is neither replaced nor consulted.
        let expired = cookie.is_expired(now);
        let non_http = ctx.api == Api::NonHttp;
        // Step 23.2: a non-HTTP API cannot replace an HttpOnly cookie.
        let per_domain = self.config.max_cookies_per_domain;
        let Ok((replaced, crowded)) = self.store.upsert(cookie, now, per_domain, |old| !(non_http && old.http_only)) else {
            return Err(Rejection::OverwritesHttpOnly);
        };
        self.remove_excess(crowded.as_deref(), now);
        Ok(SetOutcome::Stored { replaced, expired })
    }

    /// §5.7 step 16 criteria 1-4: a stored Secure cookie with this name whose domain
    /// domain-matches the new domain or vice versa, and whose path the new path path-matches.
    /// Only cookies of the same partition are compared (CHIPS keeps partitions apart).
    fn overlays_secure_cookie(&self, name: &[u8], domain: &str, path: &[u8], partition: Option<&str>, now: UnixTime) -> bool {
        let matches = |existing: &Cookie| {
            !existing.is_expired(now)
                && existing.name() == name
                && existing.secure_only
                && (domain_match(existing.domain(), domain) || domain_match(domain, existing.domain()))
                && path_match(path, existing.path())
                && existing.partition() == partition
        };
        let is_ip = domain.starts_with('[') || domain.parse::<std::net::Ipv4Addr>().is_ok();
        self.store.related(domain, is_ip).into_iter().any(|group| group.iter().any(matches))
    }

    /// §5.7 "remove excess cookies", in the priority order the spec gives: expired cookies,
    /// then non-secure cookies of a domain over its bound, then any cookie of that domain, then
    /// any cookie; ties go to the earliest last-access-time (then the earliest created).
    fn remove_excess(&mut self, crowded_domain: Option<&str>, now: UnixTime) {
        if let Some(domain) = crowded_domain {
            self.store.evict_expired_in(domain, now);
            self.store.trim_domain(domain, self.config.max_cookies_per_domain);
        }
        if self.store.len() > self.config.max_cookies_total {
            self.store.evict_all_expired(now);
            self.store.trim_total(self.config.max_cookies_total);
        }
    }

    /// The retrieval algorithm (§5.8.3) for a request to `url` in `ctx` at `now`, with the
    /// reason for every candidate cookie left out.
    pub fn retrieve(&mut self, url: &str, ctx: &Context, now: UnixTime) -> Retrieval {
        // Steps 1-2: canonicalize the host, or abort.
        match RequestUri::parse(url) {
            Ok(uri) => self.retrieve_inner(&uri, ctx, now, true),
            Err(_) => Retrieval::default(),
        }
    }

    /// The Cookie header field value (or the non-HTTP API's cookie-string) for a request to
    /// `url` in `ctx` at `now`; `None` when no cookie is included.
    pub fn cookie_header(&mut self, url: &str, ctx: &Context, now: UnixTime) -> Option<Vec<u8>> {
        // Steps 1-2: canonicalize the host, or abort.
        let uri = RequestUri::parse(url).ok()?;
        self.retrieve_inner(&uri, ctx, now, false).cookie_string
    }

    /// [`Jar::cookie_header`] for an already parsed request-uri.
    pub fn cookie_header_at(&mut self, uri: &RequestUri, ctx: &Context, now: UnixTime) -> Option<Vec<u8>> {
        self.retrieve_inner(uri, ctx, now, false).cookie_string
    }

    fn retrieve_inner(&mut self, uri: &RequestUri, ctx: &Context, now: UnixTime, explain: bool) -> Retrieval {
        let mut retrieval = Retrieval::default();
        let bis = self.config.profile.is_bis();
        let secure_connection = uri.is_secure(self.config.trust_localhost);
        let same_site_request = is_same_site(uri, ctx);
        // Partitioned cookies exist only with CHIPS or the partitioning policy.
        let party = if self.config.chips || self.config.third_party != ThirdPartyPolicy::Allow {
            Party::of(uri, ctx)
        } else {
            Party { third_party: false, top_level: None }
        };
        let request_partition = party.top_level.as_ref().map(Site::as_str);
        let host = uri.host.name.as_str();
        let path = uri.path.as_bytes();
        let config = &self.config;

        // Step 3: the cookie-list, from the cookies of the host and its parent domains only.
        let request = Request {
            path,
            secure_connection,
            same_site_request,
            ctx,
            third_party: party.third_party,
            partition: request_partition,
            bis,
            config,
            now,
        };
        // One pass over the candidates: the included cookies' sort keys, and their name and
        // value copied into one scratch buffer (no per-cookie allocation, no second lookup).
        let Scratch { mut entries, mut bytes } = std::mem::take(&mut self.scratch);
        entries.clear();
        bytes.clear();
        let mut refs: Vec<(u64, CookieRef)> = Vec::new();
        // §5.7: expired cookies are evicted whenever they exist; this is where we see them.
        // A parent's group of host-only cookies only holds cookies step 3's host-only condition
        // excludes: only an explanation needs to read it.
        self.store.visit_evicting_expired(host, uri.is_ip(), explain, now, |domain, group| {
            let facts = DomainFacts::new(host, domain);
            for cookie in group.iter_mut() {
                match exclusion(cookie, &facts, &request) {
                    None => {
                        // Step 5: update the last-access-time.
                        cookie.last_access_time = now;
                        let name = bytes.len()..bytes.len() + cookie.name().len();
                        bytes.extend_from_slice(cookie.name());
                        let value = bytes.len()..bytes.len() + cookie.value().len();
                        bytes.extend_from_slice(cookie.value());
                        entries.push(Included {
                            path_len: cookie.path().len(),
                            creation_time: cookie.creation_time,
                            creation_seq: cookie.creation_seq,
                            name,
                            value,
                        });
                        if explain {
                            refs.push((cookie.creation_seq, CookieRef::of(cookie)));
                        }
                    }
                    Some(reason) if explain => retrieval.excluded.push((CookieRef::of(cookie), reason)),
                    Some(_) => {}
                }
            }
        });
        if entries.is_empty() {
            self.scratch = Scratch { entries, bytes };
            return retrieval;
        }
        // Step 4: longer paths first, then earlier creation-times (then creation order).
        entries.sort_unstable_by(|a, b| {
            b.path_len
                .cmp(&a.path_len)
                .then(a.creation_time.cmp(&b.creation_time))
                .then(a.creation_seq.cmp(&b.creation_seq))
        });
        // Step 6: serialize. (RFC 6265 always wrote "name=value"; its cookies have names.)
        let mut out = Vec::with_capacity(bytes.len() + 3 * entries.len());
        for (i, entry) in entries.iter().enumerate() {
            if i > 0 {
                out.extend_from_slice(b"; ");
            }
            if !entry.name.is_empty() || !bis {
                out.extend_from_slice(&bytes[entry.name.clone()]);
                out.push(b'=');
            }
            out.extend_from_slice(&bytes[entry.value.clone()]);
        }
        if explain {
            retrieval.included = entries
                .iter()
                .filter_map(|e| refs.iter().position(|(seq, _)| *seq == e.creation_seq))
                .map(|i| refs[i].1.clone())
                .collect();
        }
        retrieval.cookie_string = Some(out);
        self.scratch = Scratch { entries, bytes };
        retrieval
    }
}

/// The facts about one retrieval that the per-cookie test reads.
struct Request<'a> {
    path: &'a [u8],
    secure_connection: bool,
    same_site_request: bool,
    ctx: &'a Context,
    third_party: bool,
    partition: Option<&'a str>,
    bis: bool,
    config: &'a Config,
    now: UnixTime,
}

/// §5.8.3 step 3 for one cookie: `None` when it belongs in the cookie-list.
/// The domain conditions of §5.8.3 step 3, which depend only on the cookie's domain field and
/// so are decided once for all the cookies sharing it.
struct DomainFacts<'a> {
    domain: &'a str,
    /// The retrieval host is identical to the domain.
    is_host: bool,
    /// The retrieval host domain-matches the domain.
    domain_matches: bool,
    /// The domain is a public suffix (computed on first use: a PSL lookup).
    public_suffix: std::cell::OnceCell<bool>,
}

impl<'a> DomainFacts<'a> {
    fn new(host: &str, domain: &'a str) -> DomainFacts<'a> {
        DomainFacts {
            domain,
            is_host: host == domain,
            domain_matches: domain_match(host, domain),
            public_suffix: std::cell::OnceCell::new(),
        }
    }
}

fn exclusion(cookie: &Cookie, facts: &DomainFacts<'_>, r: &Request<'_>) -> Option<Exclusion> {
    debug_assert_eq!(cookie.domain(), facts.domain);
    // Host-only cookies need an identical host; others a domain-match and, for user agents
    // rejecting public suffixes, a domain that is not (or no longer) a public suffix.
    if cookie.host_only {
        if !facts.is_host {
            return Some(Exclusion::HostOnlyMismatch);
        }
    } else {
        if !facts.domain_matches {
            return Some(Exclusion::DomainMismatch);
        }
        if r.config.reject_public_suffixes && *facts.public_suffix.get_or_init(|| is_public_suffix(facts.domain)) {
            return Some(Exclusion::PublicSuffixDomain);
        }
    }
    if !path_match(r.path, cookie.path()) {
        return Some(Exclusion::PathMismatch);
    }
    if cookie.secure_only && !r.secure_connection {
        return Some(Exclusion::SecureOnly);
    }
    if cookie.http_only && r.ctx.api == Api::NonHttp {
        return Some(Exclusion::HttpOnly);
    }
    // CHIPS and the third-party policy (§7.1).
    match (cookie.partition(), r.partition) {
        (Some(key), Some(partition)) if key == partition => {}
        (Some(_), _) => return Some(Exclusion::PartitionMismatch),
        (None, _) => {
            if r.third_party && r.config.third_party != ThirdPartyPolicy::Allow {
                return Some(Exclusion::ThirdPartyBlocked);
            }
        }
    }
    // SameSite: a cross-site retrieval only carries None cookies, and Lax/Default ones on a
    // top-level navigation with a safe method (§5.6.7.2 may waive "safe" for young Default
    // cookies).
    if r.bis && cookie.same_site != SameSite::None && !r.same_site_request {
        let lax_like = matches!(cookie.same_site, SameSite::Lax | SameSite::Default);
        let method_ok = r.ctx.is_safe_method()
            || (cookie.same_site == SameSite::Default
                && r.config.lax_allowing_unsafe.is_some_and(|age| r.now.saturating_sub(cookie.creation_time) <= age));
        let allowed = r.ctx.api == Api::Http && lax_like && method_ok && r.ctx.top_level_navigation;
        if !allowed {
            return Some(Exclusion::SameSite(cookie.same_site.name()));
        }
    }
    None
}

#[cfg(test)]
mod tests;
