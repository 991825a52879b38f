//! The cookie store's data structure (no spec logic lives here, only lookups).
//!
//! Cookies are grouped by their exact domain field, and within a domain found by the rest of
//! their identity (§5.7 step 23: name, host-only-flag, path; plus the CHIPS partition). So:
//! - replacement is one hash lookup for the domain, then a look through its few cookies or,
//!   for a large group, one more hash lookup: never a scan of the store;
//! - retrieval reads only the groups of the request host and its parent domains (§5.1.3
//!   domain-match can only hold for those), never unrelated domains, and of the parents only
//!   those holding a cookie that is not host-only (a small set says which, so the others are
//!   not even looked up: in a large store each lookup is a cache miss);
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

/// Whether `group` is the group of `domain` (groups are never empty in the table).
fn is_group_of(group: &DomainCookies, domain: &[u8]) -> bool {
    group.cookies.first().is_some_and(|c| c.domain_bytes() == domain)
}

/// A group holding at most this many cookies is searched by identity front to back; a larger
/// one gets a hash index.
const LINEAR_MAX: usize = 8;

/// The cookies sharing one domain field.
///
/// The cookies are kept in a plain vector, which retrieval reads front to back. The group
/// itself is small (the table of groups is read on every request, and in a large store its
/// entries would otherwise be cache misses of their own): the domain is read from the first
/// cookie, which retrieval reads anyway, and the identity index exists only for large groups.
#[derive(Debug, Clone)]
pub(crate) struct DomainCookies {
    /// Never empty while the group is in the store's table.
    cookies: Vec<Cookie>,
    /// Positions in `cookies`, hashed by the identity of the cookie there; only when the group
    /// holds more than [`LINEAR_MAX`] cookies.
    index: Option<Box<HashTable<u32>>>,
    /// No cookie of the group expires before this: lets expiry checks skip the group.
    earliest_expiry: UnixTime,
    /// How many of the cookies are not host-only: when none is, the group can only match
    /// requests to its own domain.
    domain_cookies: u32,
}

impl DomainCookies {
    /// A group holding `cookie`.
    fn new(hash: u64, cookie: Cookie, flag: bool) -> DomainCookies {
        let mut group = DomainCookies { cookies: Vec::new(), index: None, earliest_expiry: UnixTime::MAX, domain_cookies: 0 };
        group.add(hash, cookie, flag);
        group
    }

    /// The domain field of the group's cookies.
    pub fn domain(&self) -> &str {
        self.cookies.first().map_or("", Cookie::domain)
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
        match &self.index {
            Some(index) => index.find(hash, |&i| identity(&cookies[i as usize], flag) == *id).map(|&i| i as usize),
            None => cookies.iter().position(|c| identity(c, flag) == *id),
        }
    }

    /// Builds the identity index from scratch, or drops it when the group is small.
    fn reindex(&mut self, flag: bool) {
        if self.cookies.len() <= LINEAR_MAX {
            self.index = None;
            return;
        }
        let cookies = &self.cookies;
        let index = self.index.get_or_insert_with(Default::default);
        index.clear();
        for (i, c) in cookies.iter().enumerate() {
            index.insert_unique(identity(c, flag).hash_value(), position(i), |&i| identity(&cookies[i as usize], flag).hash_value());
        }
    }

    /// Appends a cookie whose identity is not in the group.
    fn add(&mut self, hash: u64, cookie: Cookie, flag: bool) {
        self.domain_cookies += u32::from(!cookie.host_only);
        self.earliest_expiry = self.earliest_expiry.min(cookie.expiry_time);
        let at = position(self.cookies.len());
        self.cookies.push(cookie);
        let cookies = &self.cookies;
        match &mut self.index {
            Some(index) => {
                index.insert_unique(hash, at, |&i| identity(&cookies[i as usize], flag).hash_value());
            }
            None if cookies.len() > LINEAR_MAX => self.reindex(flag),
            None => {}
        }
    }

    /// Removes the cookie at `at`; the last cookie takes its place.
    fn remove_at(&mut self, at: usize, flag: bool) -> Cookie {
        if let Some(index) = &mut self.index {
            let last = self.cookies.len() - 1;
            let cookies = &self.cookies;
            let slot = |i: usize| (identity(&cookies[i], flag).hash_value(), position(i));
            let (hash, removed) = slot(at);
            if let Ok(entry) = index.find_entry(hash, |&i| i == removed) {
                entry.remove();
            }
            if at != last {
                let (moved_hash, moved) = slot(last);
                if let Some(i) = index.find_mut(moved_hash, |&i| i == moved) {
                    *i = removed;
                }
            }
        }
        let old = self.cookies.swap_remove(at);
        self.domain_cookies -= u32::from(!old.host_only);
        old
    }

    /// Keeps the cookies for which `keep` holds; returns how many were removed.
    fn retain(&mut self, mut keep: impl FnMut(&Cookie) -> bool, flag: bool) -> usize {
        let before = self.cookies.len();
        self.cookies.retain(|c| keep(c));
        if self.cookies.len() != before {
            self.domain_cookies = self.cookies.iter().map(|c| u32::from(!c.host_only)).sum();
            self.earliest_expiry = self.cookies.iter().map(|c| c.expiry_time).min().unwrap_or(UnixTime::MAX);
            self.reindex(flag);
        }
        before - self.cookies.len()
    }

    /// Removes the expired cookies; returns how many.
    fn evict_expired(&mut self, now: UnixTime, flag: bool) -> usize {
        if self.earliest_expiry >= now {
            return 0;
        }
        self.retain(|c| !c.is_expired(now), flag)
    }
}

/// A number of cookies as a signed change of the store's count.
fn count(n: usize) -> isize {
    isize::try_from(n).unwrap_or(isize::MAX)
}

/// A position in a group (a group holds far fewer than 2^32 cookies: the jar's limits are per
/// domain, and memory runs out long before).
fn position(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// Keeps `shared` in step with `group` after a change to its cookies: the group's domain is in
/// `shared` exactly when the group holds a cookie that is not host-only. `before` is what
/// [`DomainCookies::has_domain_cookies`] said before the change; `domain` is the group's.
fn sync_shared(shared: &mut HashTable<SmallBytes>, domain: &str, group: &DomainCookies, before: bool) {
    let now = group.has_domain_cookies();
    if now == before {
        return;
    }
    let domain = domain.as_bytes();
    let hash = domain_hash(domain);
    match shared.find_entry(hash, |d| d.as_bytes() == domain) {
        Ok(present) if !now => {
            present.remove();
        }
        Err(absent) if now => {
            absent.into_table().insert_unique(hash, SmallBytes::concat(&[domain]), |d| domain_hash(d.as_bytes()));
        }
        _ => {}
    }
}

/// The store.
#[derive(Debug, Clone)]
pub(crate) struct Store {
    /// The groups, found by their domain.
    domains: HashTable<DomainCookies>,
    /// The domains whose group holds a cookie that is not host-only: the only groups a request
    /// to another host (a subdomain) can receive cookies from.
    shared: HashTable<SmallBytes>,
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
fn self_and_parents(host: &str, is_ip: bool) -> impl Iterator<Item = &str> {
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
        Store { domains: HashTable::new(), shared: HashTable::new(), sites: HashMap::with_hasher(HASHER), len: 0, host_only_in_identity }
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
        self.domains.find(domain_hash(domain.as_bytes()), |g| is_group_of(g, domain.as_bytes()))
    }

    /// The number of cookies whose domain field is `domain`.
    pub fn count_in(&self, domain: &str) -> usize {
        self.group(domain).map_or(0, DomainCookies::len)
    }

    /// Forgets `domain` in the indexes beside the table, once its group has left the table.
    fn forget_domain(&mut self, domain: &str) {
        if let Ok(entry) = self.shared.find_entry(domain_hash(domain.as_bytes()), |d| d.as_bytes() == domain.as_bytes()) {
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

    /// Applies `change` to the group of `domain` (if there is one), keeping the store's count
    /// and indexes in step; a group left empty leaves the table. Returns what `change` did.
    fn change_group<R>(&mut self, domain: &str, change: impl FnOnce(&mut DomainCookies, bool) -> (R, isize)) -> Option<R> {
        let flag = self.host_only_in_identity;
        let Ok(mut entry) = self.domains.find_entry(domain_hash(domain.as_bytes()), |g| is_group_of(g, domain.as_bytes())) else {
            return None;
        };
        let group = entry.get_mut();
        let before = group.has_domain_cookies();
        let (result, delta) = change(group, flag);
        self.len = self.len.saturating_add_signed(delta);
        if group.cookies.is_empty() {
            let _ = entry.remove();
            self.forget_domain(domain);
        } else {
            sync_shared(&mut self.shared, domain, group, before);
        }
        Some(result)
    }

    /// Evicts the expired cookies of one domain.
    pub fn evict_expired_in(&mut self, domain: &str, now: UnixTime) {
        self.change_group(domain, |group, flag| ((), -count(group.evict_expired(now, flag))));
    }

    /// Calls `visit` with the groups a request to `host` can receive cookies from (§5.8.3 step
    /// 3's domain condition), after evicting their expired cookies: the host's own group, and
    /// the groups of its parent domains that hold a cookie that is not host-only. With
    /// `every_parent`, the other parents' groups too (an explanation lists their cookies as
    /// excluded). `visit` must not change a cookie's identity or host-only-flag.
    pub fn visit_evicting_expired<'d>(
        &mut self,
        host: &'d str,
        is_ip: bool,
        every_parent: bool,
        now: UnixTime,
        mut visit: impl FnMut(&'d str, &mut DomainCookies),
    ) {
        for (i, domain) in self_and_parents(host, is_ip).enumerate() {
            let hash = domain_hash(domain.as_bytes());
            if i > 0 && !every_parent && self.shared.find(hash, |d| d.as_bytes() == domain.as_bytes()).is_none() {
                continue;
            }
            let Some(group) = self.domains.find_mut(hash, |g| is_group_of(g, domain.as_bytes())) else { continue };
            if group.earliest_expiry >= now {
                visit(domain, group);
                continue;
            }
            // Eviction may empty the group, which then leaves the table: look it up again.
            self.evict_expired_in(domain, now);
            if let Some(group) = self.domains.find_mut(hash, |g| is_group_of(g, domain.as_bytes())) {
                visit(domain, group);
            }
        }
    }

    /// Evicts every expired cookie.
    pub fn evict_all_expired(&mut self, now: UnixTime) {
        self.retain_groups(|group, flag| group.evict_expired(now, flag));
    }

    /// Keeps only the cookies for which `keep` holds.
    pub fn retain(&mut self, mut keep: impl FnMut(&Cookie) -> bool) {
        self.retain_groups(|group, flag| group.retain(&mut keep, flag));
    }

    /// Applies `remove` (which returns how many cookies it removed) to every group; the groups
    /// it empties leave the table.
    fn retain_groups(&mut self, mut remove: impl FnMut(&mut DomainCookies, bool) -> usize) {
        let flag = self.host_only_in_identity;
        let mut emptied = Vec::new();
        let (shared, len) = (&mut self.shared, &mut self.len);
        self.domains.retain(|group| {
            let before = group.has_domain_cookies();
            // The domain, read before the change can empty the group.
            let domain = SmallBytes::concat(&[group.domain().as_bytes()]);
            let removed = remove(group, flag);
            *len -= removed;
            let domain = std::str::from_utf8(domain.as_bytes()).unwrap_or_default();
            if group.cookies.is_empty() {
                emptied.push(domain.to_owned());
                false
            } else {
                sync_shared(shared, domain, group, before);
                true
            }
        });
        for domain in emptied {
            self.forget_domain(&domain);
        }
    }

    /// Stores `cookie`, the first of its domain: a new group, indexed by its site.
    fn insert_first_of_domain(&mut self, cookie: Cookie) {
        let flag = self.host_only_in_identity;
        let domain = cookie.domain().to_owned();
        self.sites.entry(site_key(&domain).to_owned()).or_default().push(domain.clone());
        let group = DomainCookies::new(identity(&cookie, flag).hash_value(), cookie, flag);
        sync_shared(&mut self.shared, &domain, &group, false);
        self.domains.insert_unique(domain_hash(domain.as_bytes()), group, |g| domain_hash(g.domain().as_bytes()));
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
        let found = self.domains.find_entry(domain_hash(cookie.domain_bytes()), |g| is_group_of(g, cookie.domain_bytes()));
        let Ok(mut entry) = found else {
            let over = (!expired && per_domain_limit == 0).then(|| cookie.domain().to_owned());
            if !expired {
                self.insert_first_of_domain(cookie);
            }
            return Ok((false, over));
        };
        let group = entry.get_mut();
        let before = group.has_domain_cookies();
        let evicted = group.evict_expired(now, flag);
        let hash = identity(&cookie, flag).hash_value();
        let mut replaced = false;
        if let Some(at) = group.find(hash, &identity(&cookie, flag), flag) {
            let old = &group.cookies[at];
            if !may_replace(old) {
                // The group still holds `old`, so it is not empty.
                self.len -= evicted;
                sync_shared(&mut self.shared, cookie.domain(), group, before);
                return Err(());
            }
            cookie.creation_time = old.creation_time;
            cookie.creation_seq = old.creation_seq;
            group.remove_at(at, flag);
            replaced = true;
        }
        self.len = self.len + usize::from(!expired) - usize::from(replaced) - evicted;
        if !expired {
            group.add(hash, cookie, flag);
        } else if group.cookies.is_empty() {
            // The expired cookie deleted the last one of its domain.
            let _ = entry.remove();
            self.forget_domain(cookie.domain());
            return Ok((replaced, None));
        }
        sync_shared(&mut self.shared, group.domain(), group, before);
        let over = (group.cookies.len() > per_domain_limit).then(|| group.domain().to_owned());
        Ok((replaced, over))
    }

    /// Removes the cookie with this domain and identity.
    pub fn remove(&mut self, domain: &str, id: &CookieId<'_>) -> Option<Cookie> {
        self.change_group(domain, |group, flag| match group.find(id.hash_value(), id, flag) {
            Some(at) => (Some(group.remove_at(at, flag)), -1),
            None => (None, 0),
        })
        .flatten()
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

#[cfg(test)]
impl Store {
    /// Panics unless every index agrees with the groups: no group is empty or misplaced, the
    /// count, the set of domains with domain cookies, the sites index, and each group's
    /// counters and identity index.
    pub(crate) fn assert_consistent(&self) {
        let flag = self.host_only_in_identity;
        let mut total = 0;
        for group in self.domains.iter() {
            assert!(!group.cookies.is_empty(), "an empty group stayed in the table");
            let domain = group.domain();
            assert!(group.cookies.iter().all(|c| c.domain() == domain), "{domain}: a cookie of another domain");
            assert!(self.group(domain).is_some_and(|found| std::ptr::eq(found, group)), "{domain}: group not found");
            total += group.len();
            let domain_cookies = group.cookies.iter().filter(|c| !c.host_only).count();
            assert_eq!(group.domain_cookies as usize, domain_cookies, "{domain}: domain cookie count");
            let shared = self.shared.find(domain_hash(domain.as_bytes()), |d| d.as_bytes() == domain.as_bytes()).is_some();
            assert_eq!(shared, domain_cookies > 0, "{domain}: the shared set disagrees");
            assert!(group.cookies.iter().all(|c| c.expiry_time >= group.earliest_expiry), "{domain}: earliest expiry");
            assert!(group.len() <= LINEAR_MAX || group.index.is_some(), "{domain}: a large group without index");
            if let Some(index) = &group.index {
                assert_eq!(index.len(), group.len(), "{domain}: index size");
            }
            for (i, c) in group.cookies.iter().enumerate() {
                let id = identity(c, flag);
                assert_eq!(group.find(id.hash_value(), &id, flag), Some(i), "{domain}: cookie {i} not found by identity");
            }
            assert!(self.sites.get(site_key(domain)).is_some_and(|l| l.iter().any(|d| d == domain)), "{domain}: not in sites");
        }
        assert_eq!(total, self.len, "the store's count");
        assert_eq!(self.shared.len(), self.domains.iter().filter(|g| g.has_domain_cookies()).count(), "shared set size");
        assert_eq!(self.sites.values().map(Vec::len).sum::<usize>(), self.domains.len(), "sites index size");
    }
}
