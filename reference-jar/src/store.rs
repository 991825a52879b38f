//! The cookie store's data structure (no spec logic lives here, only lookups).
//!
//! Cookies are grouped by their exact domain field, and within a domain keyed by the rest of
//! their identity (§5.7 step 23: name, host-only-flag, path; plus the CHIPS partition). So:
//! - replacement is one hash lookup, whatever the number of cookies;
//! - retrieval reads only the groups of the request host and its parent domains (§5.1.3
//!   domain-match can only hold for those), never unrelated domains;
//! - "cookies sharing a domain field" (§5.7 eviction) is the size of one group;
//! - a second index from registrable domain to domains finds the subdomains of a domain, for
//!   §5.7 step 16's "or vice-versa".

use std::collections::HashMap;

use crate::cookie::Cookie;
use crate::domain::registrable_domain;
use crate::UnixTime;

/// The part of a cookie's identity that distinguishes cookies of one domain.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct CookieId {
    pub name: Vec<u8>,
    pub path: Vec<u8>,
    /// `false` for every cookie under RFC 6265, whose identity has no host-only-flag.
    pub host_only: bool,
    pub partition: Option<String>,
}

/// The cookies sharing one domain field.
#[derive(Debug, Clone)]
pub(crate) struct DomainCookies {
    pub cookies: HashMap<CookieId, Cookie>,
    /// No cookie of the group expires before this: lets expiry checks skip the group.
    earliest_expiry: UnixTime,
}

impl DomainCookies {
    fn new() -> DomainCookies {
        DomainCookies { cookies: HashMap::new(), earliest_expiry: UnixTime::MAX }
    }

    /// Removes the expired cookies; returns how many.
    fn evict_expired(&mut self, now: UnixTime) -> usize {
        if self.earliest_expiry >= now {
            return 0;
        }
        let before = self.cookies.len();
        self.cookies.retain(|_, c| !c.is_expired(now));
        self.earliest_expiry = self.cookies.values().map(|c| c.expiry_time).min().unwrap_or(UnixTime::MAX);
        before - self.cookies.len()
    }
}

/// The store.
#[derive(Debug, Clone, Default)]
pub(crate) struct Store {
    domains: HashMap<String, DomainCookies>,
    /// Registrable domain (or the domain itself when it has none) -> domains stored under it.
    sites: HashMap<String, Vec<String>>,
    len: usize,
    /// Whether the host-only-flag is part of a cookie's identity (6265bis §5.7 step 23; not in
    /// RFC 6265 §5.3 step 11).
    host_only_in_identity: bool,
}

/// The index key of a domain: its registrable domain, or itself.
fn site_key(domain: &str) -> &str {
    registrable_domain(domain).unwrap_or(domain)
}

/// `host`, then each parent domain after a ".", up to the last label. An IP address has no
/// parents: domain-match holds only for the identical string (§5.1.3).
pub(crate) fn self_and_parents(host: &str, is_ip: bool) -> impl Iterator<Item = &str> {
    let mut next = Some(host);
    std::iter::from_fn(move || {
        let current = next?;
        next = if is_ip {
            None
        } else {
            current.find('.').map(|dot| &current[dot + 1..]).filter(|rest| !rest.is_empty())
        };
        Some(current)
    })
}

impl Store {
    pub fn new(host_only_in_identity: bool) -> Store {
        Store { host_only_in_identity, ..Store::default() }
    }

    /// The identity key of a cookie in this store.
    pub fn id_of(&self, cookie: &Cookie) -> CookieId {
        CookieId {
            name: cookie.name.clone(),
            path: cookie.path.clone(),
            host_only: self.host_only_in_identity && cookie.host_only,
            partition: cookie.partition_key.clone(),
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn clear(&mut self) {
        *self = Store::new(self.host_only_in_identity);
    }

    pub fn iter(&self) -> impl Iterator<Item = &Cookie> {
        self.domains.values().flat_map(|d| d.cookies.values())
    }

    pub fn domain(&self, domain: &str) -> Option<&DomainCookies> {
        self.domains.get(domain)
    }

    pub fn domain_mut(&mut self, domain: &str) -> Option<&mut DomainCookies> {
        self.domains.get_mut(domain)
    }

    /// The number of cookies whose domain field is `domain`.
    pub fn count_in(&self, domain: &str) -> usize {
        self.domains.get(domain).map_or(0, |d| d.cookies.len())
    }

    /// Evicts the expired cookies of one domain.
    pub fn evict_expired_in(&mut self, domain: &str, now: UnixTime) {
        if let Some(group) = self.domains.get_mut(domain) {
            let removed = group.evict_expired(now);
            self.len -= removed;
            if group.cookies.is_empty() {
                self.drop_domain(domain);
            }
        }
    }

    /// Evicts every expired cookie.
    pub fn evict_all_expired(&mut self, now: UnixTime) {
        let mut emptied = Vec::new();
        for (domain, group) in &mut self.domains {
            self.len -= group.evict_expired(now);
            if group.cookies.is_empty() {
                emptied.push(domain.clone());
            }
        }
        for domain in emptied {
            self.drop_domain(&domain);
        }
    }

    /// Keeps only the cookies for which `keep` holds.
    pub fn retain(&mut self, mut keep: impl FnMut(&Cookie) -> bool) {
        let mut emptied = Vec::new();
        for (domain, group) in &mut self.domains {
            let before = group.cookies.len();
            group.cookies.retain(|_, c| keep(c));
            self.len -= before - group.cookies.len();
            if group.cookies.is_empty() {
                emptied.push(domain.clone());
            }
        }
        for domain in emptied {
            self.drop_domain(&domain);
        }
    }

    pub fn get(&self, domain: &str, id: &CookieId) -> Option<&Cookie> {
        self.domains.get(domain)?.cookies.get(id)
    }

    /// Inserts `cookie` under `id`; returns the cookie it replaced.
    pub fn insert(&mut self, id: CookieId, cookie: Cookie) -> Option<Cookie> {
        let group = match self.domains.get_mut(&cookie.domain) {
            Some(group) => group,
            None => {
                let key = site_key(&cookie.domain).to_owned();
                self.sites.entry(key).or_default().push(cookie.domain.clone());
                self.domains.entry(cookie.domain.clone()).or_insert_with(DomainCookies::new)
            }
        };
        group.earliest_expiry = group.earliest_expiry.min(cookie.expiry_time);
        let old = group.cookies.insert(id, cookie);
        if old.is_none() {
            self.len += 1;
        }
        old
    }

    pub fn remove(&mut self, domain: &str, id: &CookieId) -> Option<Cookie> {
        let group = self.domains.get_mut(domain)?;
        let old = group.cookies.remove(id)?;
        self.len -= 1;
        if group.cookies.is_empty() {
            self.drop_domain(domain);
        }
        Some(old)
    }

    fn drop_domain(&mut self, domain: &str) {
        self.domains.remove(domain);
        let key = site_key(domain);
        if let Some(list) = self.sites.get_mut(key) {
            list.retain(|d| d != domain);
            if list.is_empty() {
                self.sites.remove(key);
            }
        }
    }

    /// The groups whose domain may domain-match `domain` or be domain-matched by it: its
    /// parents, itself, and its subdomains (all under one registrable domain, or, for a domain
    /// without one, under any key that ends with it).
    pub fn related(&self, domain: &str, is_ip: bool) -> Vec<&DomainCookies> {
        let mut out: Vec<&DomainCookies> = self_and_parents(domain, is_ip).filter_map(|d| self.domains.get(d)).collect();
        if is_ip {
            return out;
        }
        let dotted = format!(".{domain}");
        let subdomains = |list: &Vec<String>| -> Vec<String> { list.iter().filter(|d| d.ends_with(&dotted)).cloned().collect() };
        let mut found: Vec<String> = Vec::new();
        if registrable_domain(domain).is_some() {
            if let Some(list) = self.sites.get(site_key(domain)) {
                found = subdomains(list);
            }
        } else {
            for (key, list) in &self.sites {
                if key == domain || key.ends_with(&dotted) {
                    found.extend(subdomains(list));
                }
            }
        }
        out.extend(found.iter().filter_map(|d| self.domains.get(d.as_str())));
        out
    }

    /// The cookie whose removal §5.7's eviction order picks among `candidates`.
    fn least_recently_accessed<'a>(&self, candidates: impl Iterator<Item = &'a Cookie>, secure_last: bool) -> Option<(String, CookieId)> {
        candidates
            .min_by_key(|c| (secure_last && c.secure_only, c.last_access_time, c.creation_order()))
            .map(|c| (c.domain.clone(), self.id_of(c)))
    }

    /// Removes cookies of `domain` until it holds at most `limit`: non-secure ones first, each
    /// time the least recently accessed (§5.7 "remove excess cookies", priorities 2-3).
    pub fn trim_domain(&mut self, domain: &str, limit: usize) {
        while self.count_in(domain) > limit {
            let victim = self.domains.get(domain).and_then(|g| self.least_recently_accessed(g.cookies.values(), true));
            let Some((domain, id)) = victim else { break };
            self.remove(&domain, &id);
        }
    }

    /// Removes cookies until the store holds at most `limit`, least recently accessed first
    /// (§5.7 "remove excess cookies", priority 4).
    pub fn trim_total(&mut self, limit: usize) {
        while self.len > limit {
            let Some((domain, id)) = self.least_recently_accessed(self.iter(), false) else { break };
            self.remove(&domain, &id);
        }
    }
}
