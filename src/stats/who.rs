//! Who is calling: clients, agent families and categories, operating
//! systems, referrer hosts, virtual hosts, methods, daily visitors and
//! unique clients. Tables that hostile input can grow (clients, agents,
//! referrers, hosts, methods) are bounded like routes: past their limit the
//! lightest half is folded into an `(other …)` entry with an error bound.
//! Everything merges exactly and order-independently.

use std::collections::BTreeMap;

use hashbrown::HashMap;
use serde::{Deserialize, Serialize};

use super::distinct::{Distinct, mix};
use crate::agent::Category;

/// What one counted request tells about its caller.
pub struct Caller<'a> {
    /// Client address as logged.
    pub client: &'a [u8],
    /// Agent family.
    pub family: &'a str,
    /// Agent category.
    pub category: Category,
    /// Operating system (browsers).
    pub os: Option<&'static str>,
    /// Stable hash of the agent string (for visitors).
    pub ua_hash: u64,
    /// Referrer as logged.
    pub referrer: &'a [u8],
    /// Virtual host, when logged.
    pub host: &'a [u8],
    /// Method (empty when none).
    pub method: &'a [u8],
    /// Protocol.
    pub protocol: &'a [u8],
    /// Wall-clock day number in the display zone, when timed.
    pub day: Option<i64>,
    /// Unix time, when timed.
    pub time: Option<i64>,
    /// Status class index.
    pub class: usize,
    /// Whether the status is a failure.
    pub failed: bool,
    /// Status 404.
    pub not_found: bool,
    /// Hash of the route (for distinct 404 routes per client).
    pub route_hash: u64,
    /// Body bytes.
    pub bytes: u64,
}

/// What a client (address) did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientCounts {
    /// Requests.
    pub requests: u64,
    /// Requests per status class.
    pub class: [u64; 6],
    /// Body bytes.
    pub bytes: u64,
    /// Requests in the failure set.
    pub failures: u64,
    /// First request (Unix seconds).
    pub first: Option<i64>,
    /// Last request (Unix seconds).
    pub last: Option<i64>,
    /// 404 answers.
    pub not_found: u64,
    /// Bits set by the routes of 404 answers (a small distinct estimate).
    pub not_found_routes: u64,
    /// The last (day, agent) this client was counted as a visitor under:
    /// the same pair again needs no visitor count (scratch, not saved).
    #[serde(skip)]
    pub last_visit: u64,
}

impl ClientCounts {
    /// Add `o`.
    pub fn merge(&mut self, o: &ClientCounts) {
        self.requests += o.requests;
        self.class.iter_mut().zip(o.class).for_each(|(a, b)| *a += b);
        self.bytes = self.bytes.saturating_add(o.bytes);
        self.failures += o.failures;
        self.first = super::min_opt(self.first, o.first, i64::min);
        self.last = super::min_opt(self.last, o.last, i64::max);
        self.not_found += o.not_found;
        self.not_found_routes |= o.not_found_routes;
    }

    /// Distinct routes among this client's 404s, estimated from 64 bits
    /// (linear counting; exact for a few, saturating near 250).
    pub fn not_found_route_estimate(&self) -> u64 {
        let set = self.not_found_routes.count_ones() as f64;
        if set >= 64.0 { 250 } else { (-64.0 * (1.0 - set / 64.0).ln()).round() as u64 }
    }
}

/// What an agent family did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentCounts {
    /// The family's category.
    pub category: Category,
    /// Requests.
    pub requests: u64,
    /// Requests per status class.
    pub class: [u64; 6],
    /// Body bytes.
    pub bytes: u64,
    /// 404 answers.
    pub not_found: u64,
}

impl AgentCounts {
    fn new(category: Category) -> Self {
        AgentCounts { category, requests: 0, class: [0; 6], bytes: 0, not_found: 0 }
    }

    fn merge(&mut self, o: &AgentCounts) {
        self.requests += o.requests;
        self.class.iter_mut().zip(o.class).for_each(|(a, b)| *a += b);
        self.bytes = self.bytes.saturating_add(o.bytes);
        self.not_found += o.not_found;
    }
}

/// Visitors and traffic of one day.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Day {
    /// Distinct (client, agent) pairs.
    pub visitors: Distinct,
    /// Requests.
    pub requests: u64,
    /// Body bytes.
    pub bytes: u64,
}

/// A bounded table: the heaviest entries exact, the rest folded.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table<K: std::hash::Hash + Eq, V> {
    /// Kept entries.
    pub map: HashMap<K, V>,
    /// Folded entries' sum.
    pub other: V,
    /// Entries folded so far.
    pub pruned: u64,
    /// Bound on how short a kept entry's count may be.
    pub error: u64,
}

/// How [`Table`] weighs and folds values.
pub trait Weigh: Default {
    /// The count entries are ranked by.
    fn weight(&self) -> u64;
    /// Add `o`.
    fn fold(&mut self, o: &Self);
}

impl Weigh for u64 {
    fn weight(&self) -> u64 {
        *self
    }
    fn fold(&mut self, o: &Self) {
        *self += o
    }
}

impl Weigh for ClientCounts {
    fn weight(&self) -> u64 {
        self.requests
    }
    fn fold(&mut self, o: &Self) {
        self.merge(o)
    }
}

impl Default for AgentCounts {
    fn default() -> Self {
        AgentCounts::new(Category::Unknown)
    }
}

impl Weigh for AgentCounts {
    fn weight(&self) -> u64 {
        self.requests
    }
    fn fold(&mut self, o: &Self) {
        self.merge(o)
    }
}

impl<K: std::hash::Hash + Eq + Ord + Clone, V: Weigh + Clone> Table<K, V> {
    /// Add `other`'s entries.
    pub fn merge(&mut self, other: Table<K, V>) {
        let mut from = other.map;
        if self.map.len() < from.len() {
            std::mem::swap(&mut self.map, &mut from);
        }
        for (k, v) in from {
            match self.map.entry(k) {
                hashbrown::hash_map::Entry::Occupied(mut e) => e.get_mut().fold(&v),
                hashbrown::hash_map::Entry::Vacant(e) => {
                    e.insert(v);
                }
            }
        }
        self.other.fold(&other.other);
        self.pruned += other.pruned;
        self.error += other.error;
    }

    /// Keep at most `cap` entries: when over, the `cap / 2` heaviest (ties
    /// by key) stay and the rest fold into `other`.
    pub fn bound(&mut self, cap: usize) {
        if self.map.len() <= cap {
            return;
        }
        let keep = (cap / 2).max(1);
        let mut all: Vec<(K, V)> = self.map.drain().collect();
        all.select_nth_unstable_by(keep, |a, b| b.1.weight().cmp(&a.1.weight()).then_with(|| a.0.cmp(&b.0)));
        let pruned = all.split_off(keep);
        let mut max = 0;
        for (_, v) in &pruned {
            self.other.fold(v);
            max = max.max(v.weight());
        }
        self.pruned += pruned.len() as u64;
        self.error += max;
        if self.map.capacity() > 4 * cap {
            self.map = HashMap::with_capacity(cap);
        }
        self.map.extend(all);
    }

    /// Entries sorted heaviest first, ties by key.
    pub fn sorted(&self) -> Vec<(&K, &V)> {
        let mut v: Vec<(&K, &V)> = self.map.iter().collect();
        v.sort_unstable_by(|a, b| b.1.weight().cmp(&a.1.weight()).then_with(|| a.0.cmp(b.0)));
        v
    }

    /// A plain, sorted form for state files.
    pub fn snap(&self) -> TableSnap<K, V> {
        let mut map: Vec<(K, V)> = self.map.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        map.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        TableSnap { map, other: self.other.clone(), pruned: self.pruned, error: self.error }
    }

    /// From a state file's form.
    pub fn from_snap(s: TableSnap<K, V>) -> Self {
        Table { map: s.map.into_iter().collect(), other: s.other, pruned: s.pruned, error: s.error }
    }
}

/// A [`Table`] as saved.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableSnap<K, V> {
    /// Kept entries, sorted by key.
    pub map: Vec<(K, V)>,
    /// Folded entries' sum.
    pub other: V,
    /// Entries folded.
    pub pruned: u64,
    /// Error bound.
    pub error: u64,
}

/// Limits of the who tables.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Distinct clients kept (`--max-clients`).
    pub clients: usize,
}

/// Agents, referrer hosts, virtual hosts and method/protocol pairs kept.
pub const MAX_AGENTS: usize = 2_000;
/// Referrer hosts kept.
pub const MAX_REFERRERS: usize = 20_000;
/// Virtual hosts kept.
pub const MAX_HOSTS: usize = 5_000;
/// Method and protocol pairs kept.
pub const MAX_METHODS: usize = 500;

/// Who called, over a run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Who {
    /// Per client address.
    pub clients: Table<Box<[u8]>, ClientCounts>,
    /// Per agent family.
    pub agents: Table<Box<str>, AgentCounts>,
    /// Browser requests per operating system.
    pub os: BTreeMap<String, u64>,
    /// Per referrer host (lower-cased), for `http(s)://` referrers.
    pub referrers: Table<Box<[u8]>, u64>,
    /// Requests without an `http(s)://` referrer.
    pub no_referrer: u64,
    /// Per virtual host, when logged.
    pub hosts: Table<Box<[u8]>, u64>,
    /// Per method and protocol (`GET HTTP/1.1`).
    pub methods: Table<Box<[u8]>, u64>,
    /// Per day (display zone): visitors, requests, bytes.
    pub days: BTreeMap<i64, Day>,
    /// Distinct client addresses.
    pub unique_clients: Distinct,
    /// Requests from bots (see [`Category::is_bot`]).
    pub bots: u64,
    /// Whether callers were counted at all (reports show empty cells, not
    /// zeros, when not).
    pub tracked: bool,
    /// Scratch key for method/protocol (not part of the result).
    scratch: Vec<u8>,
}

impl Who {
    /// Count one request.
    #[inline]
    pub fn add(&mut self, c: &Caller) {
        self.tracked = true;
        let cl = match self.clients.map.get_mut(c.client) {
            Some(v) => v,
            None => {
                self.unique_clients.add(super::distinct::hash64(c.client));
                self.clients.map.entry(c.client.into()).or_default()
            }
        };
        cl.requests += 1;
        cl.class[c.class] += 1;
        cl.bytes = cl.bytes.saturating_add(c.bytes);
        cl.failures += c.failed as u64;
        if let Some(t) = c.time {
            cl.first = Some(cl.first.map_or(t, |f| f.min(t)));
            cl.last = Some(cl.last.map_or(t, |l| l.max(t)));
        }
        if c.not_found {
            cl.not_found += 1;
            cl.not_found_routes |= 1 << (c.route_hash & 63);
        }
        let ag = match self.agents.map.get_mut(c.family) {
            Some(a) => a,
            None => self.agents.map.entry(c.family.into()).or_insert_with(|| AgentCounts::new(c.category)),
        };
        ag.requests += 1;
        ag.class[c.class] += 1;
        ag.bytes = ag.bytes.saturating_add(c.bytes);
        ag.not_found += c.not_found as u64;
        self.bots += c.category.is_bot() as u64;
        if let Some(os) = c.os
            && c.category == Category::Browser
        {
            match self.os.get_mut(os) {
                Some(n) => *n += 1,
                None => {
                    self.os.insert(os.to_string(), 1);
                }
            }
        }
        match referrer_host(c.referrer) {
            Some(h) if h.iter().any(u8::is_ascii_uppercase) => {
                let mut key = std::mem::take(&mut self.scratch);
                key.clear();
                key.extend(h.iter().map(u8::to_ascii_lowercase));
                bump(&mut self.referrers, &key);
                self.scratch = key;
            }
            Some(h) => bump(&mut self.referrers, h),
            None => self.no_referrer += 1,
        }
        if !c.host.is_empty() {
            bump(&mut self.hosts, c.host);
        }
        self.scratch.clear();
        self.scratch.extend_from_slice(if c.method.is_empty() { b"(none)" } else { c.method });
        self.scratch.push(b' ');
        self.scratch.extend_from_slice(c.protocol);
        let key = std::mem::take(&mut self.scratch);
        bump(&mut self.methods, &key);
        self.scratch = key;
        if let Some(d) = c.day {
            let visit = mix(c.ua_hash ^ (d as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)) | 1;
            let new_visit = cl.last_visit != visit;
            cl.last_visit = visit;
            let day = match self.days.get_mut(&d) {
                Some(day) => day,
                None => self.days.entry(d).or_default(),
            };
            if new_visit {
                day.visitors.add(mix(super::distinct::hash64(c.client) ^ c.ua_hash));
            }
            day.requests += 1;
            day.bytes = day.bytes.saturating_add(c.bytes);
        }
    }

    /// Add `o`.
    pub fn merge(&mut self, o: Who) {
        self.clients.merge(o.clients);
        self.agents.merge(o.agents);
        for (k, v) in o.os {
            *self.os.entry(k).or_default() += v;
        }
        self.referrers.merge(o.referrers);
        self.no_referrer += o.no_referrer;
        self.hosts.merge(o.hosts);
        self.methods.merge(o.methods);
        for (d, v) in o.days {
            let day = self.days.entry(d).or_default();
            day.visitors.merge(&v.visitors);
            day.requests += v.requests;
            day.bytes = day.bytes.saturating_add(v.bytes);
        }
        self.unique_clients.merge(&o.unique_clients);
        self.bots += o.bots;
        self.tracked |= o.tracked;
    }

    /// Apply the bounds.
    pub fn bound(&mut self, l: Limits) {
        self.clients.bound(l.clients);
        self.agents.bound(MAX_AGENTS);
        self.referrers.bound(MAX_REFERRERS);
        self.hosts.bound(MAX_HOSTS);
        self.methods.bound(MAX_METHODS);
    }

    /// Whether a bound has ever acted.
    pub fn pruned(&self) -> bool {
        self.clients.pruned + self.agents.pruned + self.referrers.pruned + self.hosts.pruned + self.methods.pruned > 0
    }

    /// Whether any table holds more than its bound (entries held by
    /// several workers counted once each: an upper bound).
    pub fn over(tables: &[&Who], l: Limits) -> bool {
        let sum = |f: fn(&Who) -> usize| tables.iter().map(|w| f(w)).sum::<usize>();
        sum(|w| w.clients.map.len()) > l.clients
            || sum(|w| w.agents.map.len()) > MAX_AGENTS
            || sum(|w| w.referrers.map.len()) > MAX_REFERRERS
            || sum(|w| w.hosts.map.len()) > MAX_HOSTS
            || sum(|w| w.methods.map.len()) > MAX_METHODS
    }

    /// The plain form for state files.
    pub fn snap(&self) -> WhoSnap {
        WhoSnap {
            clients: self.clients.snap(),
            agents: self.agents.snap(),
            os: self.os.iter().map(|(k, v)| (k.clone(), *v)).collect(),
            referrers: self.referrers.snap(),
            no_referrer: self.no_referrer,
            hosts: self.hosts.snap(),
            methods: self.methods.snap(),
            days: self.days.iter().map(|(k, v)| (*k, v.clone())).collect(),
            unique_clients: self.unique_clients.clone(),
            bots: self.bots,
            tracked: self.tracked,
        }
    }

    /// Back from a state file; `None` when a value cannot hold.
    pub fn from_snap(s: WhoSnap) -> Option<Who> {
        if !s.unique_clients.is_valid() || !s.days.iter().all(|(_, d)| d.visitors.is_valid()) {
            return None;
        }
        Some(Who {
            clients: Table::from_snap(s.clients),
            agents: Table::from_snap(s.agents),
            os: s.os.into_iter().collect(),
            referrers: Table::from_snap(s.referrers),
            no_referrer: s.no_referrer,
            hosts: Table::from_snap(s.hosts),
            methods: Table::from_snap(s.methods),
            days: s.days.into_iter().collect(),
            unique_clients: s.unique_clients,
            bots: s.bots,
            tracked: s.tracked,
            scratch: Vec::new(),
        })
    }
}

/// [`Who`] as saved in a state file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WhoSnap {
    /// Clients.
    pub clients: TableSnap<Box<[u8]>, ClientCounts>,
    /// Agent families.
    pub agents: TableSnap<Box<str>, AgentCounts>,
    /// Browser requests per OS.
    pub os: Vec<(String, u64)>,
    /// Referrer hosts.
    pub referrers: TableSnap<Box<[u8]>, u64>,
    /// Requests without an http(s) referrer.
    pub no_referrer: u64,
    /// Virtual hosts.
    pub hosts: TableSnap<Box<[u8]>, u64>,
    /// Methods and protocols.
    pub methods: TableSnap<Box<[u8]>, u64>,
    /// Days.
    pub days: Vec<(i64, Day)>,
    /// Distinct clients.
    pub unique_clients: Distinct,
    /// Bot requests.
    pub bots: u64,
    /// Whether callers were counted.
    pub tracked: bool,
}

#[inline]
fn bump(t: &mut Table<Box<[u8]>, u64>, k: &[u8]) {
    match t.map.get_mut(k) {
        Some(n) => *n += 1,
        None => {
            t.map.insert(k.into(), 1);
        }
    }
}

/// The host of an `http://` or `https://` referrer, without user info or
/// port (`https://user@Example.com:8080/x` → `Example.com`; the caller
/// lower-cases it).
#[inline]
pub fn referrer_host(r: &[u8]) -> Option<&[u8]> {
    let rest = if r.len() > 8 && r[..8].eq_ignore_ascii_case(b"https://") {
        &r[8..]
    } else if r.len() > 7 && r[..7].eq_ignore_ascii_case(b"http://") {
        &r[7..]
    } else {
        return None;
    };
    let end = rest.iter().position(|&b| matches!(b, b'/' | b'?' | b'#')).unwrap_or(rest.len());
    let mut host = &rest[..end];
    if let Some(at) = memchr::memrchr(b'@', host) {
        host = &host[at + 1..];
    }
    if let Some(colon) = memchr::memrchr(b':', host)
        && !host.ends_with(b"]")
    {
        host = &host[..colon];
    }
    (!host.is_empty()).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn referrer_hosts() {
        assert_eq!(referrer_host(b"https://www.example.com/a?b"), Some(&b"www.example.com"[..]));
        assert_eq!(referrer_host(b"http://user@Example.com:8080/"), Some(&b"Example.com"[..]));
        assert_eq!(referrer_host(b"-"), None);
        assert_eq!(referrer_host(b"android-app://x"), None);
        assert_eq!(referrer_host(b"https://"), None);
        assert_eq!(referrer_host(b"http://[2001:db8::1]/"), Some(&b"[2001:db8::1]"[..]));
    }

    #[test]
    fn tables_bound_and_merge() {
        let mut t: Table<Box<[u8]>, u64> = Table::default();
        for i in 0..100u64 {
            t.map.insert(format!("k{i}").into_bytes().into(), i);
        }
        t.bound(10);
        assert_eq!(t.map.len(), 5);
        assert_eq!(t.map.values().sum::<u64>() + t.other, (0..100u64).sum::<u64>());
        assert_eq!(t.error, 94);
    }
}
