//! Synthetic access logs for benches, tests and the sample log: realistic
//! combined lines (routes with ids, UUIDs and hashes; a status mix with 444,
//! 499 and 5xx; odd but valid probes) from a seeded generator, so the same
//! seed always gives the same bytes. Addresses come from the documentation
//! ranges (RFC 5737, RFC 3849), never from real traffic.

use std::fmt::Write as _;

/// xorshift64*: small, fast, deterministic.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    pub fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len() as u64) as usize]
    }
}

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// (status, weight per 10,000)
const STATUS_MIX: [(u16, u64); 14] = [
    (200, 7_600),
    (304, 600),
    (301, 250),
    (302, 200),
    (206, 50),
    (404, 600),
    (403, 200),
    (400, 100),
    (429, 60),
    (499, 80),
    (444, 40),
    (500, 120),
    (502, 60),
    (503, 40),
];

const UAS: [&str; 5] = [
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
    "curl/8.5.0",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "python-requests/2.31.0",
];

pub struct Generator {
    rng: Rng,
    /// Unix seconds of the next line.
    pub now: i64,
    /// Seconds the clock advances per line, in thousandths.
    step_millis: u64,
    acc_millis: u64,
    /// Offset written in the log, seconds.
    pub offset: i32,
    /// Append ` $request_time $upstream_response_time` (nginx timed variant).
    pub timings: bool,
    /// Real-shaped traffic (see [`Generator::real_shaped`]).
    real: bool,
}

/// Browser user agents as real logs carry them (100–250 bytes).
const BROWSER_UAS: [&str; 10] = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Safari/537.36 Edg/119.0.2151.97",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0",
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1.2 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 13; SM-A536B Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/119.0.6045.193 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/442.0.0.33.113;]",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 OPR/105.0.0.0",
    "Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko",
    "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/120.0.6099.119 Mobile/15E148 Safari/604.1",
];

/// Crawlers, monitors, tools and scanners as real logs show them.
const OTHER_UAS: [&str; 10] = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ClaudeBot/1.0; +claudebot@anthropic.com)",
    "Uptime-Kuma/1.23.3",
    "python-requests/2.31.0",
    "curl/8.5.0",
    "Mozilla/5.0 zgrab/0.x",
    "ELB-HealthChecker/2.0",
    "-",
];

/// Words for article slugs and page names: 160² slugs give tens of
/// thousands of distinct routes, drawn with a heavy head.
const WORDS: [&str; 40] = [
    "news",
    "report",
    "guide",
    "policy",
    "budget",
    "annual",
    "meeting",
    "notice",
    "order",
    "decree",
    "health",
    "school",
    "energy",
    "water",
    "transport",
    "tax",
    "trade",
    "court",
    "law",
    "grant",
    "census",
    "election",
    "tender",
    "project",
    "press",
    "release",
    "event",
    "program",
    "review",
    "summary",
    "plan",
    "service",
    "permit",
    "license",
    "archive",
    "minutes",
    "agenda",
    "statement",
    "update",
    "faq",
];

impl Generator {
    /// `lines_per_day` sets how fast the clock moves.
    pub fn new(seed: u64, start_unix: i64, lines_per_day: u64) -> Generator {
        Generator {
            rng: Rng::new(seed),
            now: start_unix,
            step_millis: 86_400_000 / lines_per_day.max(1),
            acc_millis: 0,
            offset: 0,
            timings: false,
            real: false,
        }
    }

    /// Traffic shaped like a real public site's two weeks (as the logs in
    /// `shared/real-logs` show it): long browser user agents, internal and
    /// search referrers, crawlers, monitors and scanners, and 20–50 k
    /// distinct routes with a heavy head (assets, home, popular articles)
    /// and a long tail (article slugs, scanner probes).
    pub fn real_shaped(seed: u64, start_unix: i64, lines_per_day: u64) -> Generator {
        Generator { real: true, ..Generator::new(seed, start_unix, lines_per_day) }
    }

    /// A word index with a heavy head: small indices far more often.
    fn skewed(&mut self, n: u64) -> u64 {
        let a = self.rng.below(n);
        self.rng.below(a + 1)
    }

    fn real_target(&mut self, out: &mut String) {
        match self.rng.below(20) {
            0..=6 => {
                let a =
                    ["/assets/js/jquery.js", "/assets/css/main.css", "/assets/images/main-logo.png", "/favicon.ico"];
                out.push_str(self.rng.pick(&a));
            }
            7 | 8 => out.push('/'),
            9..=12 => {
                let (a, b) = (self.skewed(WORDS.len() as u64), self.skewed(WORDS.len() as u64));
                let (c, d) = (self.rng.below(2), self.rng.below(10));
                let _ = write!(out, "/{}/{}-{}-{c}", WORDS[a as usize], WORDS[b as usize], WORDS[d as usize]);
            }
            13 | 14 => {
                let w = WORDS[self.skewed(WORDS.len() as u64) as usize];
                let _ = write!(out, "/laws/{}/show?lang={}", self.rng.below(5_000), w);
            }
            15 => {
                let _ = write!(out, "/uploads/{}/{:08x}.pdf", 2018 + self.rng.below(7), self.rng.next_u64() as u32);
            }
            16 => {
                let a = ["/wp-login.php", "/.env", "/xmlrpc.php", "/.git/config", "/phpmyadmin/index.php"];
                out.push_str(self.rng.pick(&a));
            }
            17 => {
                // Scanner probes: many distinct names.
                let w = WORDS[self.rng.below(WORDS.len() as u64) as usize];
                let _ = write!(out, "/wp-content/plugins/{w}-{}/readme.txt", WORDS[self.rng.below(40) as usize]);
            }
            _ => {
                let w = WORDS[self.skewed(WORDS.len() as u64) as usize];
                let _ = write!(out, "/search?q={w}&page={}", self.rng.below(20));
            }
        }
    }

    fn real_referrer(&mut self, out: &mut String) {
        match self.rng.below(10) {
            0..=3 => out.push('-'),
            4..=7 => {
                out.push_str("https://www.example.gov/");
                let w = WORDS[self.skewed(WORDS.len() as u64) as usize];
                let _ = write!(out, "{w}/{}", self.rng.below(300));
            }
            8 => out.push_str("https://www.google.com/"),
            _ => out.push_str(self.rng.pick(&[
                "https://yandex.ru/",
                "https://www.bing.com/",
                "android-app://com.google.android.gm/",
            ])),
        }
    }

    fn status(&mut self) -> u16 {
        let mut r = self.rng.below(10_000);
        for (s, w) in STATUS_MIX {
            if r < w {
                return s;
            }
            r -= w;
        }
        200
    }

    fn target(&mut self, out: &mut String) {
        let r = &mut self.rng;
        match r.below(12) {
            0 => out.push('/'),
            1 => {
                let _ = write!(out, "/users/{}", r.below(100_000));
            }
            2 => {
                let _ = write!(out, "/users/{}/orders?page={}", r.below(100_000), r.below(9));
            }
            3 => {
                let _ = write!(
                    out,
                    "/api/v1/items/{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
                    r.next_u64() as u32,
                    r.next_u64() as u16,
                    r.next_u64() as u16,
                    r.next_u64() as u16,
                    r.next_u64() & 0xffff_ffff_ffff
                );
            }
            4 => {
                let _ = write!(out, "/static/app.{:08x}.js", r.next_u64() as u32);
            }
            5 => out.push_str(r.pick(&["/static/site.css", "/favicon.ico", "/robots.txt", "/login", "/search?q=logs"])),
            6 => {
                let _ = write!(
                    out,
                    "/blog/{}/{}",
                    2015 + r.below(10),
                    r.pick(&["hello-world", "release-notes", "tuning-nginx"])
                );
            }
            7 => {
                let _ = write!(out, "/download/{:016x}", r.next_u64());
            }
            8 => {
                let _ = write!(out, "/api/v1/search?q=term{}&limit=20", r.below(1000));
            }
            9 => out.push_str(r.pick(&["/wp-login.php", "/.env", "/admin/config.php", "/%D9%85%D8%AF/x"])),
            _ => {
                let _ = write!(out, "/products/{}", r.below(5_000));
            }
        }
    }

    /// Append one combined line (with `\n`) to `out`.
    pub fn line(&mut self, out: &mut String) {
        let t = self.now + self.offset as i64;
        let (y, mo, d) = crate::parse::time::civil_from_days(t.div_euclid(86_400));
        let sod = t.rem_euclid(86_400);
        let ip = self.rng.below(5);
        match ip {
            0 => {
                let _ = write!(out, "2001:db8::{:x}", self.rng.below(0xffff));
            }
            1 | 2 => {
                let _ = write!(out, "198.51.100.{}", self.rng.below(255));
            }
            _ => {
                let _ = write!(out, "203.0.113.{}", self.rng.below(255));
            }
        }
        let sign = if self.offset < 0 { '-' } else { '+' };
        let o = self.offset.unsigned_abs();
        let _ = write!(
            out,
            " - - [{d:02}/{}/{y:04}:{:02}:{:02}:{:02} {sign}{:02}{:02}] \"",
            MONTHS[mo as usize - 1],
            sod / 3600,
            sod % 3600 / 60,
            sod % 60,
            o / 3600,
            o % 3600 / 60
        );
        let status = self.status();
        match self.rng.below(400) {
            0 => out.push_str("\\x16\\x03\\x01\\x00\\xA5\\x01\\x00\\x00\\xA1\\x03\\x03"),
            1 => out.push('-'),
            2 => out.push_str("PRI * HTTP/2.0"),
            _ => {
                out.push_str(self.rng.pick(&["GET", "GET", "GET", "GET", "POST", "HEAD", "PUT", "DELETE"]));
                out.push(' ');
                if self.real {
                    self.real_target(out);
                } else {
                    self.target(out);
                }
                out.push_str(" HTTP/1.1");
            }
        }
        let bytes = if status == 304 || status == 444 { 0 } else { self.rng.below(60_000) };
        let _ = write!(out, "\" {status} {bytes} \"");
        if self.real {
            self.real_referrer(out);
            out.push_str("\" \"");
            let ua = if self.rng.below(10) < 7 { self.rng.pick(&BROWSER_UAS) } else { self.rng.pick(&OTHER_UAS) };
            out.push_str(ua);
        } else {
            if self.rng.below(3) == 0 {
                out.push_str("https://www.example.com/");
            } else {
                out.push('-');
            }
            out.push_str("\" \"");
            out.push_str(self.rng.pick(&UAS));
        }
        out.push('"');
        if self.timings {
            let rt = self.rng.below(2_000) as f64 / 1000.0 + if status >= 500 { 1.0 } else { 0.0 };
            let _ = write!(out, " {rt:.3} {:.3}", rt * 0.9);
        }
        out.push('\n');
        self.acc_millis += self.step_millis;
        self.now += (self.acc_millis / 1000) as i64;
        self.acc_millis %= 1000;
    }

    /// About `bytes` bytes of whole lines.
    pub fn fill(&mut self, bytes: usize) -> String {
        let mut s = String::with_capacity(bytes + 512);
        while s.len() < bytes {
            self.line(&mut s);
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::presets::preset;
    use crate::parse::parse_line;

    #[test]
    fn deterministic_and_parseable() {
        let a = Generator::new(7, 1_700_000_000, 100_000).fill(200_000);
        let b = Generator::new(7, 1_700_000_000, 100_000).fill(200_000);
        assert_eq!(a, b);
        let f = preset("combined").unwrap();
        for line in a.lines() {
            assert!(parse_line(&f, line.as_bytes()).is_ok(), "{line}");
        }
    }
}
