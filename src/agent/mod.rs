//! Who is calling: a user agent's family (`Chrome`, `Googlebot`, `GPTBot`,
//! `curl`, …), its category (browser, search crawler, AI crawler, monitor,
//! tool, scanner, unknown) and, for browsers, the operating system.
//!
//! Two sources: logstat's family table (`families.rs`: named crawlers, AI
//! crawlers, monitors, tools and scanners from their operators' own
//! documentation and the crawler-user-agents list, and the browser
//! families), tried first; then the `isbot` crate's pattern list (MIT,
//! 300+ patterns tested against 12 k bot and 180 k browser agents) for bots
//! the table does not name, which are counted as crawlers under their first
//! product token. Classification runs once per distinct agent string
//! (callers cache it); it never runs per line.

mod families;

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// What kind of caller an agent is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Category {
    /// A person's browser.
    Browser,
    /// A search engine's or link-preview crawler.
    Crawler,
    /// A crawler gathering data for AI models or AI answers.
    AiCrawler,
    /// An uptime monitor or health check.
    Monitor,
    /// An HTTP library, command-line tool or feed reader.
    Tool,
    /// A vulnerability or port scanner.
    Scanner,
    /// Not recognised, empty or `-`.
    Unknown,
}

impl Category {
    /// Every category, in report order.
    pub const ALL: [Category; 7] = [
        Category::Browser,
        Category::Crawler,
        Category::AiCrawler,
        Category::Monitor,
        Category::Tool,
        Category::Scanner,
        Category::Unknown,
    ];

    /// The category's name in reports (`ai-crawler`).
    pub fn name(self) -> &'static str {
        match self {
            Category::Browser => "browser",
            Category::Crawler => "crawler",
            Category::AiCrawler => "ai-crawler",
            Category::Monitor => "monitor",
            Category::Tool => "tool",
            Category::Scanner => "scanner",
            Category::Unknown => "unknown",
        }
    }

    /// Automated traffic: crawlers, AI crawlers, monitors, tools and
    /// scanners (`--bots`, `bot_requests`). Browsers and unknown agents are
    /// not counted as bots.
    pub fn is_bot(self) -> bool {
        !matches!(self, Category::Browser | Category::Unknown)
    }

    /// The category of a name (`ai-crawler`).
    pub fn parse(s: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.name() == s)
    }
}

/// A classified user agent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Agent {
    /// The family (`Chrome`, `Googlebot`), at most [`MAX_FAMILY`] bytes.
    pub family: Box<str>,
    /// Its category.
    pub category: Category,
    /// The operating system, for browsers.
    pub os: Option<&'static str>,
}

/// Longest family name kept (families of unnamed bots come from the agent
/// string itself).
pub const MAX_FAMILY: usize = 40;

/// A W3C log's user agent with its spaces encoded (IIS writes `+`,
/// CloudFront `%20`), decoded (`None`: not encoded, use it as it is). Only
/// agents without a space are touched: a real agent with spaces is never
/// encoded.
pub fn decode_w3c(ua: &[u8]) -> Option<Vec<u8>> {
    if memchr::memchr(b' ', ua).is_some()
        || (memchr::memmem::find(ua, b"%20").is_none() && memchr::memchr(b'+', ua).is_none())
    {
        return None;
    }
    let mut out = Vec::with_capacity(ua.len());
    let mut i = 0;
    while i < ua.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match ua[i] {
            b'%' => match (ua.get(i + 1).and_then(|&b| hex(b)), ua.get(i + 2).and_then(|&b| hex(b))) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    Some(out)
}

/// Classify a user-agent string (W3C-encoded spaces decoded first).
pub fn classify(ua: &[u8]) -> Agent {
    match decode_w3c(ua.trim_ascii()) {
        Some(d) => classify_plain(&d),
        None => classify_plain(ua),
    }
}

fn classify_plain(ua: &[u8]) -> Agent {
    let ua = ua.trim_ascii();
    if ua.is_empty() || ua == b"-" {
        return Agent { family: "-".into(), category: Category::Unknown, os: None };
    }
    if let Some((family, category)) = families::named(ua) {
        let os = (category == Category::Browser).then(|| families::os(ua));
        return Agent { family: family.into(), category, os };
    }
    let text = String::from_utf8_lossy(ua);
    let family = product_token(&text);
    if bots().is_bot(&text) {
        return Agent { family, category: Category::Crawler, os: None };
    }
    if ua.starts_with(b"Mozilla/") {
        // A browser-shaped agent that matched no family.
        return Agent { family: "Other browser".into(), category: Category::Unknown, os: Some(families::os(ua)) };
    }
    Agent { family, category: Category::Unknown, os: None }
}

fn bots() -> &'static isbot::Bots {
    static BOTS: OnceLock<isbot::Bots> = OnceLock::new();
    BOTS.get_or_init(isbot::Bots::default)
}

/// The first product token of an agent (`Foo-Bot/1.2 (+http…)` → `Foo-Bot`),
/// or for `Mozilla/5.0 (compatible; XBot/1.0; …)` the token naming the bot.
fn product_token(ua: &str) -> Box<str> {
    let inner = ua
        .strip_prefix("Mozilla/5.0 (compatible; ")
        .or_else(|| ua.strip_prefix("Mozilla/5.0 (compatible;"))
        .unwrap_or(ua)
        .trim_start();
    let tok: String = inner
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ' '))
        .collect::<String>()
        .split(' ')
        .next()
        .unwrap_or("")
        .chars()
        .take(MAX_FAMILY)
        .collect();
    if tok.is_empty() { "Other".into() } else { tok.into() }
}

#[cfg(test)]
mod tests {

    #[test]
    fn w3c_encoded_agents_are_decoded() {
        let iis = super::classify(b"Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64)+AppleWebKit/537.36+(KHTML,+like+Gecko)+Chrome/120.0+Safari/537.36");
        let cf = super::classify(b"Mozilla/5.0%20(compatible;%20Googlebot/2.1;%20+http://www.google.com/bot.html)");
        assert_eq!(iis.category, super::Category::Browser);
        assert_eq!(
            cf.category,
            super::classify(b"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)").category
        );
        assert_eq!(super::decode_w3c(b"curl/8.5.0"), None);
        assert_eq!(super::decode_w3c(b"a%20b%2"), Some(b"a b%2".to_vec()));
    }

    use super::*;

    fn c(ua: &str) -> (String, &'static str, Option<&'static str>) {
        let a = classify(ua.as_bytes());
        (a.family.to_string(), a.category.name(), a.os)
    }

    #[test]
    fn families_and_categories() {
        let chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
        assert_eq!(c(chrome), ("Chrome".into(), "browser", Some("Windows")));
        let edge = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0";
        assert_eq!(c(edge).0, "Edge");
        let safari = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
        assert_eq!(c(safari), ("Safari".into(), "browser", Some("iOS")));
        assert_eq!(c("Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0").0, "Firefox");
        assert_eq!(c("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)").1, "crawler");
        assert_eq!(
            c("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)"),
            ("GPTBot".into(), "ai-crawler", None)
        );
        assert_eq!(c("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ClaudeBot/1.0; +claudebot@anthropic.com)").0, "ClaudeBot");
        assert_eq!(c("curl/8.5.0"), ("curl".into(), "tool", None));
        assert_eq!(c("python-requests/2.31.0").1, "tool");
        assert_eq!(
            c("UniversalFeedParser/4.2-pre-314-svn +http://feedparser.org/"),
            ("UniversalFeedParser".into(), "tool", None)
        );
        assert_eq!(c("Uptime-Kuma/1.23.0").1, "monitor");
        assert_eq!(c("ELB-HealthChecker/2.0"), ("ELB-HealthChecker".into(), "monitor", None));
        assert_eq!(c("Mozilla/5.0 zgrab/0.x"), ("zgrab".into(), "scanner", None));
        assert_eq!(c("-"), ("-".into(), "unknown", None));
        assert_eq!(c(""), ("-".into(), "unknown", None));
        // Unnamed bots: isbot's list, under their product token.
        assert_eq!(
            c("Mozilla/5.0 (compatible; FooCrawler/1.0; +http://foo.example/)"),
            ("FooCrawler".into(), "crawler", None)
        );
        assert_eq!(c("SomethingElse/1.0"), ("SomethingElse".into(), "unknown", None));
    }
}
