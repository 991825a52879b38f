//! The cookie store's data structure (no spec logic lives here, only lookups).
//!
//! Cookies are grouped by their exact domain field, and within a domain found by the rest of
//! their identity (§5.7 step 23: name, host-only-flag, path; plus the CHIPS partition). So:
//! - replacement is one hash lookup, whatever the number of cookies;
//! - retrieval reads only the groups of the request host and its parent domains (§5.1.3
//!   domain-match can only hold for those), never unrelated domains;
//! - "cookies sharing a domain field" (§5.7 eviction) is the size of one group;
//! - a second index from registrable domain to domains finds the subdomains of a domain, for
//!   §5.7 step 16's "or vice-versa".

use std::hash::BuildHasher;

use foldhash::fast::FixedState;
use hashbrown::{HashMap, HashTable};

use crate::bytes::SmallBytes;
use crate::cookie::Cookie;
use crate::domain::registrable_domain;
use crate::UnixTime;

/// A fixed hasher: deterministic across runs (the fuzzer checks that a seed replays exactly),
/// and fast on the short keys cookies have. The jar is an in-process oracle, not a server
/// exposed to hash flooding.
const HASHER: FixedState = FixedState::with_seed(0x6265_6269_7332_3230);

/// The part of a cookie's identity that distinguishes cookies of one domain, borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct CookieId<'a> {
    pub name: &'a [u8],
    pub path: &'a [u8],
    /// `false` for every cookie under RFC 6265, whose identity has no host-only-flag.
    pub host_only: bool,
    pub partition: Option<&'a str>,
}

impl CookieId<'_> {
    fn hash_value(&self) -> u64 {
        HASHER.hash_one(self)
    }
}

/// The hash of a domain in the store's domain table.
fn domain_hash(domain: &[u8]) -> u64 {
    HASHER.hash_one(domain)
}

/// The group of `domain` in `domains`, mutably (a function of the table alone, so that the
/// store's other fields stay usable while the group is borrowed).
fn group_mut<'a>(domains: &'a mut HashTable<DomainCookies>, domain: &str) -> Option<&'a mut DomainCookies> {
    domains.find_mut(domain_hash(domain.as_bytes()), |g| g.domain.as_bytes() == domain.as_bytes())
}

/// The cookies sharing one domain field.
///
/// The cookies are kept in a plain vector, which retrieval reads front to back (one pointer
/// from the group to contiguous records), and found by identity through a hash index of
/// positions in that vector.
#[derive(Debug, Clone)]
pub(crate) struct DomainCookies {
    /// The domain field, inline when short: a lookup compares it without another cache miss.
    domain: SmallBytes,
    cookies: Vec<Cookie>,
    /// Positions in `cookies`, hashed by the identity of the cookie there.
    index: HashTable<u32>,
    /// How many of the cookies are not host-only: when none is, the group can only match
    /// requests to its own domain, and retrieval for another host skips it unread.
    domain_cookies: usize,
    /// No cookie of the group expires before this: lets expiry checks skip the group.
    earliest_expiry: UnixTime,
}

impl DomainCookies {
    fn new(domain: &str) -> DomainCookies {
        DomainCookies {
            domain: SmallBytes::concat(&[domain.as_bytes()]),
            cookies: Vec::new(),
            index: HashTable::new(),
            domain_cookies: 0,
            earliest_expiry: UnixTime::MAX,
        }
    }

    /// The domain field of the group's cookies.
    pub fn domain(&self) -> &str {
        // Stored from a `&str`, so always UTF-8; the fallback is unreachable.
        std::str::from_utf8(self.domain.as_bytes()).unwrap_or_default()
    }

    pub fn len(&self) -> usize {
        self.cookies.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Cookie> {
        self.cookies.iter()
    }

    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut Cookie> {
        self.cookies.iter_mut()
    }

    /// Whether any cookie of the group is not host-only (and so may match other hosts).
    pub fn has_domain_cookies(&self) -> bool {
        self.domain_cookies > 0
    }

    /// The position of the cookie with identity `id` (whose hash is `hash`).
    fn find(&self, hash: u64, id: &CookieId<'_>, flag: bool) -> Option<usize> {
        let cookies = &self.cookies;
        self.index.find(hash, |&i| identity(&cookies[i as usize], flag) == *id).map(|&i| i as usize)
    }

    /// Appends a cookie whose identity is not in the group.
    fn add(&mut self, hash: u64, cookie: Cookie, flag: bool) {
        self.domain_cookies += usize::from(!cookie.host_only);
        self.earliest_expiry = self.earliest_expiry.min(cookie.expiry_time);
        // A group holds far fewer than 2^32 cookies (the jar's limits are per domain).
        let position = u32::try_from(self.cookies.len()).unwrap_or(u32::MAX);
        self.cookies.push(cookie);
        let cookies = &self.cookies;
        self.index.insert_unique(hash, position, |&i| identity(&cookies[i as usize], flag).hash_value());
    }

    /// Removes the cookie at `position`; the last cookie takes its place.
    fn remove_at(&mut self, position: usize, flag: bool) -> Cookie {
        let last = self.cookies.len() - 1;
        let cookies = &self.cookies;
        let slot = |i: usize| (identity(&cookies[i], flag).hash_value(), u32::try_from(i).unwrap_or(u32::MAX));
        let (hash, at) = slot(position);
        if let Ok(entry) = self.index.find_entry(hash, |&i| i == at) {
            entry.remove();
        }
        if position != last {
            let (moved_hash, moved_at) = slot(last);
            if let Some(i) = self.index.find_mut(moved_hash, |&i| i == moved_at) {
                *i = at;
            }
        }
        let old = self.cookies.swap_remove(position);
        self.domain_cookies -= usize::from(!old.host_only);
        old
    }

    /// Keeps the cookies for which `keep` holds; returns how many were removed.
    fn retain(&mut self, mut keep: impl FnMut(&Cookie) -> bool, flag: bool) -> usize {
        let before = self.cookies.len();
        self.cookies.retain(|c| keep(c));
        if self.cookies.len() != before {
            self.domain_cookies = self.cookies.iter().filter(|c| !c.host_only).count();
            self.index.clear();
            let cookies = &self.cookies;
            for (i, c) in cookies.iter().enumerate() {
                let position = u32::try_from(i).unwrap_or(u32::MAX);
                self.index.insert_unique(identity(c, flag).hash_value(), position, |&i| identity(&cookies[i as usize], flag).hash_value());
            }
        }
        before - self.cookies.len()
    }

    /// Removes the expired cookies; returns how many.
    fn evict_expired(&mut self, now: UnixTime, flag: bool) -> usize {
        if self.earliest_expiry >= now {
            return 0;
        }
        let removed = self.retain(|c| !c.is_expired(now), flag);
        self.earliest_expiry = self.cookies.iter().map(|c| c.expiry_time).min().unwrap_or(UnixTime::MAX);
        removed
    }
}

/// The store.
#[derive(Debug, Clone)]
pub(crate) struct Store {
    /// The groups, found by their domain.
    domains: HashTable<DomainCookies>,
    /// Registrable domain (or the domain itself when it has none) -> domains stored under it.
    sites: HashMap<String, Vec<String>, FixedState>,
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

/// The identity of a stored cookie.
fn identity(cookie: &Cookie, host_only_in_identity: bool) -> CookieId<'_> {
    CookieId {
        name: cookie.name(),
        path: cookie.path(),
        host_only: host_only_in_identity && cookie.host_only,
        partition: cookie.partition(),
    }
}

impl Store {
    pub fn new(host_only_in_identity: bool) -> Store {
        Store { domains: HashTable::new(), sites: HashMap::with_hasher(HASHER), len: 0, host_only_in_identity }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn clear(&mut self) {
        *self = Store::new(self.host_only_in_identity);
    }

    pub fn iter(&self) -> impl Iterator<Item = &Cookie> {
        self.domains.iter().flat_map(DomainCookies::iter)
    }

    /// The group of `domain`.
    fn group(&self, domain: &str) -> Option<&DomainCookies> {
        self.domains.find(domain_hash(domain.as_bytes()), |g| g.domain.as_bytes() == domain.as_bytes())
    }

    /// The number of cookies whose domain field is `domain`.
    pub fn count_in(&self, domain: &str) -> usize {
        self.group(domain).map_or(0, DomainCookies::len)
    }

    /// Evicts the expired cookies of one domain.
    pub fn evict_expired_in(&mut self, domain: &str, now: UnixTime) {
        if let Some(group) = group_mut(&mut self.domains, domain) {
            let removed = group.evict_expired(now, self.host_only_in_identity);
            if removed > 0 {
                self.len -= removed;
                if group.cookies.is_empty() {
                    self.drop_domain(domain);
                }
            }
        }
    }

    /// Calls `visit` with the group of each of `domains` that holds cookies, after evicting
    /// its expired ones (one hash lookup per domain).
    pub fn visit_evicting_expired<'d>(
        &mut self,
        domains: impl Iterator<Item = &'d str>,
        now: UnixTime,
        mut visit: impl FnMut(&'d str, &mut DomainCookies),
    ) {
        let mut emptied = Vec::new();
        for domain in domains {
            let Some(group) = group_mut(&mut self.domains, domain) else { continue };
            let removed = group.evict_expired(now, self.host_only_in_identity);
            if removed > 0 {
                self.len -= removed;
                if group.cookies.is_empty() {
                    emptied.push(domain);
                    continue;
                }
            }
            visit(domain, group);
        }
        for domain in emptied {
            self.drop_domain(domain);
        }
    }

    /// Evicts every expired cookie.
    pub fn evict_all_expired(&mut self, now: UnixTime) {
        let mut emptied = Vec::new();
        for group in self.domains.iter_mut() {
            self.len -= group.evict_expired(now, self.host_only_in_identity);
            if group.cookies.is_empty() {
                emptied.push(group.domain().to_owned());
            }
        }
        for domain in emptied {
            self.drop_domain(&domain);
        }
    }

    /// Keeps only the cookies for which `keep` holds.
    pub fn retain(&mut self, mut keep: impl FnMut(&Cookie) -> bool) {
        let mut emptied = Vec::new();
        for group in self.domains.iter_mut() {
            self.len -= group.retain(&mut keep, self.host_only_in_identity);
            if group.cookies.is_empty() {
                emptied.push(group.domain().to_owned());
            }
        }
        for domain in emptied {
            self.drop_domain(&domain);
        }
    }

    /// Stores `cookie`, the first of its domain: a new group, indexed by its site.
    fn insert_first_of_domain(&mut self, cookie: Cookie) {
        let domain = cookie.domain();
        self.sites.entry(site_key(domain).to_owned()).or_default().push(domain.to_owned());
        let mut group = DomainCookies::new(domain);
        group.add(identity(&cookie, self.host_only_in_identity).hash_value(), cookie, self.host_only_in_identity);
        self.domains.insert_unique(domain_hash(group.domain.as_bytes()), group, |g| domain_hash(g.domain.as_bytes()));
        self.len += 1;
    }

    /// §5.7 steps 23-24 in one lookup: evicts the expired cookies of the new cookie's domain,
    /// finds the cookie with its identity (which `may_replace` can veto, leaving the store as
    /// it was), gives the new cookie the old one's creation-time, removes the old one, and
    /// inserts the new one unless it is already expired. Returns whether a cookie was
    /// replaced, and the domain when it now holds more than `per_domain_limit` cookies.
    pub fn upsert(
        &mut self,
        mut cookie: Cookie,
        now: UnixTime,
        per_domain_limit: usize,
        may_replace: impl FnOnce(&Cookie) -> bool,
    ) -> Result<(bool, Option<String>), ()> {
        let flag = self.host_only_in_identity;
        let expired = cookie.is_expired(now);
        let Some(group) = group_mut(&mut self.domains, cookie.domain()) else {
            let over = (!expired && per_domain_limit == 0).then(|| cookie.domain().to_owned());
            if !expired {
                self.insert_first_of_domain(cookie);
            }
            return Ok((false, over));
        };
        let evicted = group.evict_expired(now, flag);
        // Only an expired cookie can leave its group empty (it deletes the last cookie).
        let domain_if_expired = expired.then(|| cookie.domain().to_owned());
        let hash = identity(&cookie, flag).hash_value();
        let mut replaced = false;
        if let Some(at) = group.find(hash, &identity(&cookie, flag), flag) {
            let old = &group.cookies[at];
            if !may_replace(old) {
                self.len -= evicted;
                return Err(());
            }
            cookie.creation_time = old.creation_time;
            cookie.creation_seq = old.creation_seq;
            group.remove_at(at, flag);
            replaced = true;
        }
        let count = group.cookies.len() + usize::from(!expired);
        let over = (count > per_domain_limit).then(|| cookie.domain().to_owned());
        if !expired {
            group.add(hash, cookie, flag);
        }
        self.len = self.len + usize::from(!expired) - usize::from(replaced) - evicted;
        if count == 0 {
            if let Some(domain) = domain_if_expired {
                self.drop_domain(&domain);
            }
        }
        Ok((replaced, over))
    }

    /// Removes the cookie with this domain and identity.
    pub fn remove(&mut self, domain: &str, id: &CookieId<'_>) -> Option<Cookie> {
        let flag = self.host_only_in_identity;
        let group = group_mut(&mut self.domains, domain)?;
        let at = group.find(id.hash_value(), id, flag)?;
        let old = group.remove_at(at, flag);
        self.len -= 1;
        if group.cookies.is_empty() {
            self.drop_domain(domain);
        }
        Some(old)
    }

    fn drop_domain(&mut self, domain: &str) {
        if let Ok(entry) = self.domains.find_entry(domain_hash(domain.as_bytes()), |g| g.domain.as_bytes() == domain.as_bytes()) {
            entry.remove();
        }
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
        let mut out: Vec<&DomainCookies> = self_and_parents(domain, is_ip).filter_map(|d| self.group(d)).collect();
        if is_ip {
            return out;
        }
        let dotted = format!(".{domain}");
        let lists: Vec<&Vec<String>> = if registrable_domain(domain).is_some() {
            self.sites.get(site_key(domain)).into_iter().collect()
        } else {
            self.sites.iter().filter(|(key, _)| *key == domain || key.ends_with(&dotted)).map(|(_, list)| list).collect()
        };
        let subdomains = lists.into_iter().flatten().filter(|d| d.ends_with(&dotted));
        out.extend(subdomains.filter_map(|d| self.group(d)));
        out
    }

    /// Removes the cookie that `pick_from` chooses; whether there was one.
    fn evict_one(&mut self, pick_from: impl FnOnce(&Store) -> Option<&Cookie>) -> bool {
        let Some(victim) = pick_from(self).map(|c| (c.domain().to_owned(), c.name().to_vec(), c.path().to_vec(), c.host_only, c.partition_key.clone())) else {
            return false;
        };
        let (domain, name, path, host_only, partition) = victim;
        let id = CookieId { name: &name, path: &path, host_only: self.host_only_in_identity && host_only, partition: partition.as_deref() };
        self.remove(&domain, &id).is_some()
    }

    /// Removes cookies of `domain` until it holds at most `limit`: non-secure ones first, each
    /// time the least recently accessed (§5.7 "remove excess cookies", priorities 2-3).
    pub fn trim_domain(&mut self, domain: &str, limit: usize) {
        while self.count_in(domain) > limit {
            let removed = self.evict_one(|store| {
                store.group(domain)?.iter().min_by_key(|c| (c.secure_only, c.last_access_time, c.creation_order()))
            });
            if !removed {
                break;
            }
        }
    }

    /// Removes cookies until the store holds at most `limit`, least recently accessed first
    /// (§5.7 "remove excess cookies", priority 4).
    pub fn trim_total(&mut self, limit: usize) {
        while self.len > limit {
            let removed = self.evict_one(|store| store.iter().min_by_key(|c| (c.last_access_time, c.creation_order())));
            if !removed {
                break;
            }
        }
    }
}
