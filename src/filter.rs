//! Filters applied to parsed records before aggregation: time range,
//! status, method, route, path and host. A record that fails any filter is
//! counted as `excluded` and nothing else.

use crate::input::glob::matches as glob;
use crate::parse::Record;
use crate::status::StatusSet;
use crate::zone::Zone;

/// A `--since`/`--until` value before the display zone and the log are known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TimeSpec {
    /// An instant (RFC 3339 with an offset or `Z`).
    Instant(i64),
    /// A wall-clock time without offset, read in the display zone.
    Wall(i64),
    /// Seconds before the reference (now, or the log's last line).
    Ago(i64),
}

/// What relative times count back from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RelativeTo {
    #[default]
    /// The current time.
    Now,
    /// The latest timestamp among the inputs' last lines.
    LastLine,
}

/// A `--since`/`--until` value that is not a time.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "'{}' is not a time: use RFC 3339 (2024-10-10T14:00:00+02:00), '2024-10-10 14:00' (display zone), \
     or a duration back from now (30m, 1h, 2d)",
    crate::text::escape(.0.as_bytes())
)]
pub struct TimeError(pub String);

impl TimeSpec {
    /// `2024-10-10T14:00:00+02:00`, `2024-10-10 14:00`, `2024-10-10`, or
    /// `30m`, `1h`, `2d` (before the reference time).
    pub fn parse(s: &str) -> Result<TimeSpec, TimeError> {
        let s = s.trim();
        if let Some(w) = crate::units::parse_width(s) {
            return Ok(TimeSpec::Ago(w));
        }
        if let Ok(t) = s.parse::<jiff::Timestamp>() {
            return Ok(TimeSpec::Instant(t.as_second()));
        }
        if let Ok(dt) = s.parse::<jiff::civil::DateTime>() {
            let days = crate::parse::time::days_from_civil(dt.year() as i64, dt.month() as u32, dt.day() as u32);
            let secs = dt.hour() as i64 * 3_600 + dt.minute() as i64 * 60 + dt.second() as i64;
            return Ok(TimeSpec::Wall(days * 86_400 + secs));
        }
        Err(TimeError(s.to_string()))
    }

    /// The instant, given the display zone and the reference for `Ago`.
    pub fn resolve(&self, zone: &Zone, reference: i64) -> i64 {
        match *self {
            TimeSpec::Instant(t) => t,
            TimeSpec::Wall(w) => zone.from_wall(w).0,
            TimeSpec::Ago(d) => reference - d,
        }
    }
}

/// A `--route`/`--path`/`--host` pattern: a glob when it holds `*`, `?` or
/// `[` (`*` matches any bytes, `/` included), a prefix otherwise.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern {
    /// The pattern as given.
    pub text: String,
    /// `text` in ASCII lower case, for host names.
    lower: Vec<u8>,
    glob: bool,
}

impl Pattern {
    /// A pattern: a glob when it has `*`, `?` or `[`, else a prefix.
    pub fn new(s: &str) -> Pattern {
        Pattern { text: s.to_string(), lower: s.to_ascii_lowercase().into_bytes(), glob: s.contains(['*', '?', '[']) }
    }

    /// Whether `v` matches (prefix or glob).
    pub fn matches(&self, v: &[u8]) -> bool {
        if self.glob { glob(self.text.as_bytes(), v) } else { v.starts_with(self.text.as_bytes()) }
    }

    /// Whole-value match for host names (a prefix makes no sense there),
    /// ignoring ASCII case.
    pub fn matches_host(&self, v: &[u8]) -> bool {
        // `%v:%p` logs `host:port`: the port is not part of the name.
        let v = match memchr::memrchr(b':', v) {
            Some(i) if i + 1 < v.len() && v[i + 1..].iter().all(u8::is_ascii_digit) && !v[..i].contains(&b':') => {
                &v[..i]
            }
            _ => v,
        };
        // Lower-cased on the stack: host names are at most 253 bytes; a
        // longer value is not one and matches nothing.
        let mut buf = [0u8; 256];
        let Some(low) = buf.get_mut(..v.len()) else { return false };
        low.copy_from_slice(v);
        low.make_ascii_lowercase();
        if self.glob { glob(&self.lower, low) } else { *low == self.lower[..] }
    }
}

/// The filters as given; [`FilterSpec::resolve`] fixes the time bounds.
#[derive(Clone, Debug, Default)]
pub struct FilterSpec {
    /// `--since`: keep lines at or after.
    pub since: Option<TimeSpec>,
    /// `--until`: keep lines before.
    pub until: Option<TimeSpec>,
    /// What durations in `since`/`until` count back from.
    pub relative_to: RelativeTo,
    /// `--status`: keep these statuses.
    pub status: Option<StatusSet>,
    /// Upper-case methods.
    pub methods: Vec<Vec<u8>>,
    /// `--route`: keep routes matching any.
    pub routes: Vec<Pattern>,
    /// `--path`: keep request paths matching any.
    pub paths: Vec<Pattern>,
    /// `--host`: keep virtual hosts matching any.
    pub hosts: Vec<Pattern>,
    /// `--bots`: keep all, only bots, or no bots.
    pub bots: Bots,
    /// `--client`: keep these addresses or networks.
    pub clients: Vec<Cidr>,
}

/// `--bots`: which callers to keep, by agent category.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Bots {
    /// Everyone.
    #[default]
    Include,
    /// Only crawlers, AI crawlers, monitors, tools and scanners.
    Only,
    /// Everyone else: browsers and unknown agents.
    Exclude,
}

/// An address or network (`192.0.2.7`, `10.0.0.0/8`, `2001:db8::/32`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cidr {
    /// The text as given.
    pub text: String,
    net: std::net::IpAddr,
    bits: u8,
}

/// A `--client` value that is not an address or network.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("--client: '{}' is not an IP address or network (192.0.2.7, 10.0.0.0/8, 2001:db8::/32)", crate::text::escape(.0.as_bytes()))]
pub struct CidrError(pub String);

impl Cidr {
    /// Parse `ADDR` or `ADDR/BITS`.
    pub fn parse(s: &str) -> Result<Cidr, CidrError> {
        let bad = || CidrError(s.to_string());
        let (a, b) = match s.split_once('/') {
            Some((a, b)) => (a, Some(b)),
            None => (s, None),
        };
        let net: std::net::IpAddr = a.trim().parse().map_err(|_| bad())?;
        let max = if net.is_ipv4() { 32 } else { 128 };
        let bits = match b {
            Some(b) => b.trim().parse::<u8>().ok().filter(|n| *n <= max).ok_or_else(bad)?,
            None => max,
        };
        Ok(Cidr { text: s.to_string(), net, bits })
    }

    /// Whether a logged client address (IPv4, IPv6, or IPv4-mapped) is in it.
    pub fn contains(&self, client: &[u8]) -> bool {
        let Some(ip) = std::str::from_utf8(client).ok().and_then(|t| t.parse::<std::net::IpAddr>().ok()) else {
            return false;
        };
        let ip = match ip {
            std::net::IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, std::net::IpAddr::V4),
            v4 => v4,
        };
        let mask = |bits: u8, width: u32| if bits == 0 { 0u128 } else { u128::MAX << (width - bits as u32) };
        match (self.net, ip) {
            (std::net::IpAddr::V4(n), std::net::IpAddr::V4(a)) => {
                let m = mask(self.bits, 32) as u32;
                u32::from(n) & m == u32::from(a) & m
            }
            (std::net::IpAddr::V6(n), std::net::IpAddr::V6(a)) => {
                let m = mask(self.bits, 128);
                u128::from(n) & m == u128::from(a) & m
            }
            _ => false,
        }
    }
}

impl FilterSpec {
    /// Whether no filter is set.
    pub fn is_empty(&self) -> bool {
        self.since.is_none()
            && self.until.is_none()
            && self.status.is_none()
            && self.methods.is_empty()
            && self.routes.is_empty()
            && self.paths.is_empty()
            && self.hosts.is_empty()
            && self.bots == Bots::Include
            && self.clients.is_empty()
    }

    /// A short text of the filters as given (`""` when none), for state files
    /// and messages.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        let t = |t: &TimeSpec| match t {
            TimeSpec::Instant(i) => format!("@{i}"),
            TimeSpec::Wall(w) => format!("wall {w}"),
            TimeSpec::Ago(d) => format!("{d}s ago"),
        };
        if let Some(x) = &self.since {
            parts.push(format!("--since {}", t(x)));
        }
        if let Some(x) = &self.until {
            parts.push(format!("--until {}", t(x)));
        }
        if self.needs_last_line() {
            parts.push("--relative-to last-line".into());
        }
        if let Some(s) = &self.status {
            parts.push(format!("--status {}", s.spec));
        }
        if !self.methods.is_empty() {
            let m: Vec<String> = self.methods.iter().map(|m| String::from_utf8_lossy(m).into_owned()).collect();
            parts.push(format!("--method {}", m.join(",")));
        }
        for (opt, v) in [("--route", &self.routes), ("--path", &self.paths), ("--host", &self.hosts)] {
            for p in v {
                parts.push(format!("{opt} {}", p.text));
            }
        }
        match self.bots {
            Bots::Include => {}
            Bots::Only => parts.push("--bots only".into()),
            Bots::Exclude => parts.push("--bots exclude".into()),
        }
        for c in &self.clients {
            parts.push(format!("--client {}", c.text));
        }
        parts.join(" ")
    }

    /// Whether a relative time needs the log's last line.
    pub fn needs_last_line(&self) -> bool {
        self.relative_to == RelativeTo::LastLine
            && [&self.since, &self.until].iter().any(|t| matches!(t, Some(TimeSpec::Ago(_))))
    }

    /// Fix time bounds in `zone`, counting relative ones back from `reference`.
    pub fn resolve(&self, zone: &Zone, reference: i64) -> Filter {
        Filter {
            active: !self.is_empty(),
            since: self.since.as_ref().map(|t| t.resolve(zone, reference)),
            until: self.until.as_ref().map(|t| t.resolve(zone, reference)),
            rules: self.clone(),
        }
    }
}

/// Resolved filters, checked per record.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// Whether any filter is set (the hot path skips `keep` otherwise).
    pub active: bool,
    /// Keep records at or after this instant (Unix seconds).
    pub since: Option<i64>,
    /// Keep records before this instant.
    pub until: Option<i64>,
    /// The status, method, route, path and host rules (its times unused).
    rules: FilterSpec,
}

impl Filter {
    /// Whether `rec` (with its normalised route and its agent's category)
    /// is kept. A record without a time fails a time bound; one without a
    /// method fails `--method`.
    pub fn keep(&self, rec: &Record, route: &[u8], category: crate::agent::Category) -> bool {
        if self.since.is_some() || self.until.is_some() {
            let Some(t) = rec.time else { return false };
            if self.since.is_some_and(|s| t.unix < s) || self.until.is_some_and(|u| t.unix >= u) {
                return false;
            }
        }
        let r = &self.rules;
        if let Some(st) = &r.status
            && !st.contains(rec.status)
        {
            return false;
        }
        if !r.methods.is_empty() && !rec.method.is_some_and(|m| r.methods.iter().any(|x| x == m)) {
            return false;
        }
        if !r.routes.is_empty() && !r.routes.iter().any(|p| p.matches(route)) {
            return false;
        }
        if !r.paths.is_empty() {
            let path = rec.target.split(|&b| b == b'?').next().unwrap_or(b"");
            if !r.paths.iter().any(|p| p.matches(path)) {
                return false;
            }
        }
        if !r.hosts.is_empty() && !r.hosts.iter().any(|p| p.matches_host(rec.vhost)) {
            return false;
        }
        match r.bots {
            Bots::Include => {}
            Bots::Only if !category.is_bot() => return false,
            Bots::Exclude if category.is_bot() => return false,
            _ => {}
        }
        if !r.clients.is_empty() && !r.clients.iter().any(|c| c.contains(rec.client)) {
            return false;
        }
        true
    }

    /// Whether a `--host` filter is set (the format must log a host).
    pub fn wants_host(&self) -> bool {
        !self.rules.hosts.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidrs() {
        let c = Cidr::parse("10.0.0.0/8").unwrap();
        assert!(c.contains(b"10.1.2.3") && !c.contains(b"11.0.0.1") && !c.contains(b"-"));
        assert!(c.contains(b"::ffff:10.9.9.9"));
        let one = Cidr::parse("192.0.2.7").unwrap();
        assert!(one.contains(b"192.0.2.7") && !one.contains(b"192.0.2.8"));
        let v6 = Cidr::parse("2001:db8::/32").unwrap();
        assert!(v6.contains(b"2001:db8:1::5") && !v6.contains(b"2001:db9::1"));
        assert!(Cidr::parse("0.0.0.0/0").unwrap().contains(b"8.8.8.8"));
        for bad in ["10.0.0.0/33", "x", "10.0.0.0/", "/8", "é"] {
            assert!(Cidr::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn globs() {
        assert!(glob(b"/api/*", b"/api/v1/users"));
        assert!(glob(b"*.php", b"/wp/x.php"));
        assert!(!glob(b"*.php", b"/wp/x.php5"));
        assert!(glob(b"/u/?", b"/u/1"));
        assert!(!glob(b"/u/?", b"/u/12"));
        assert!(glob(b"*a*b*", b"xxaxxbxx"));
        assert!(glob(b"/v[12]/*", b"/v2/x") && !glob(b"/v[12]/*", b"/v3/x"));
        // Many stars against a long near-miss stay fast.
        let long = vec![b'a'; 10_000];
        assert!(!glob(b"*a*a*a*a*a*a*a*a*b", &long));
        assert!(glob(b"", b""));
        assert!(!glob(b"", b"x"));
        assert!(Pattern::new("/api").matches(b"/api/v1"));
        assert!(Pattern::new("*.example.com").matches_host(b"WWW.Example.com"));
        assert!(!Pattern::new("example.com").matches_host(b"www.example.com"));
        assert!(Pattern::new("example.com").matches_host(b"example.com:443"));
    }

    #[test]
    fn times() {
        assert_eq!(TimeSpec::parse("1h"), Ok(TimeSpec::Ago(3_600)));
        assert_eq!(TimeSpec::parse("2024-10-10T14:00:00Z"), Ok(TimeSpec::Instant(1_728_568_800)));
        assert_eq!(TimeSpec::parse("2024-10-10T16:00:00+02:00"), Ok(TimeSpec::Instant(1_728_568_800)));
        assert_eq!(TimeSpec::parse("2024-10-10 14:00"), Ok(TimeSpec::Wall(1_728_568_800)));
        let z = Zone::Fixed(7_200);
        assert_eq!(TimeSpec::parse("2024-10-10 16:00").unwrap().resolve(&z, 0), 1_728_568_800);
        assert!(TimeSpec::parse("yesterday").is_err());
    }
}
