//! The family table: one row per family, `(needle, family, category)`,
//! tried in order (first match wins), matched as a case-sensitive substring
//! of the agent. Named bots come first (scanners, AI crawlers, monitors,
//! search and preview crawlers, tools), browsers last, most specific first
//! (Edge and Opera also say Chrome; Chrome also says Safari).
//!
//! Sources: the operators' published agent strings (OpenAI, Anthropic,
//! Common Crawl, Perplexity, ByteDance, Amazon, Apple, Meta, Google, Bing,
//! Yandex, Baidu, DuckDuckGo), the crawler-user-agents list (MIT,
//! github.com/monperrus/crawler-user-agents) for the crawler, monitor and
//! scanner names, and the browsers' own tokens. To update: add a row here
//! with a test in `agent/mod.rs`; unnamed bots are still caught by the
//! `isbot` list (update with `cargo update -p isbot`).

use super::Category::{self, *};

#[rustfmt::skip]
static NAMED: &[(&str, &str, Category)] = &[
    // Scanners.
    ("zgrab", "zgrab", Scanner),
    ("masscan", "masscan", Scanner),
    ("Nmap Scripting Engine", "Nmap", Scanner),
    ("sqlmap", "sqlmap", Scanner),
    ("Nikto", "Nikto", Scanner),
    ("Nuclei", "Nuclei", Scanner),
    ("WPScan", "WPScan", Scanner),
    ("gobuster", "gobuster", Scanner),
    ("DirBuster", "DirBuster", Scanner),
    ("CensysInspect", "CensysInspect", Scanner),
    ("Expanse", "Expanse", Scanner),
    ("InternetMeasurement", "InternetMeasurement", Scanner),
    ("l9explore", "l9explore", Scanner),
    ("l9tcpid", "l9tcpid", Scanner),
    ("ZmEu", "ZmEu", Scanner),
    ("Morfeus", "Morfeus", Scanner),
    ("Go-http-client/1.1 (scan", "scanner", Scanner),
    ("fuzz", "fuzzer", Scanner),
    ("Palo Alto Networks", "Palo Alto Cortex Xpanse", Scanner),
    ("NetSystemsResearch", "NetSystemsResearch", Scanner),
    ("Odin", "Odin", Scanner),
    ("ModatScanner", "ModatScanner", Scanner),
    // AI crawlers and AI assistants fetching pages.
    ("GPTBot", "GPTBot", AiCrawler),
    ("ChatGPT-User", "ChatGPT-User", AiCrawler),
    ("OAI-SearchBot", "OAI-SearchBot", AiCrawler),
    ("ClaudeBot", "ClaudeBot", AiCrawler),
    ("Claude-User", "Claude-User", AiCrawler),
    ("Claude-SearchBot", "Claude-SearchBot", AiCrawler),
    ("anthropic-ai", "anthropic-ai", AiCrawler),
    ("CCBot", "CCBot", AiCrawler),
    ("PerplexityBot", "PerplexityBot", AiCrawler),
    ("Perplexity-User", "Perplexity-User", AiCrawler),
    ("Bytespider", "Bytespider", AiCrawler),
    ("Amazonbot", "Amazonbot", AiCrawler),
    ("Applebot-Extended", "Applebot-Extended", AiCrawler),
    ("meta-externalagent", "meta-externalagent", AiCrawler),
    ("meta-externalfetcher", "meta-externalfetcher", AiCrawler),
    ("FacebookBot", "FacebookBot", AiCrawler),
    ("cohere-ai", "cohere-ai", AiCrawler),
    ("Diffbot", "Diffbot", AiCrawler),
    ("YouBot", "YouBot", AiCrawler),
    ("AI2Bot", "AI2Bot", AiCrawler),
    ("Timpibot", "Timpibot", AiCrawler),
    ("ImagesiftBot", "ImagesiftBot", AiCrawler),
    ("DuckAssistBot", "DuckAssistBot", AiCrawler),
    ("Kangaroo Bot", "Kangaroo Bot", AiCrawler),
    ("omgili", "omgili", AiCrawler),
    ("PanguBot", "PanguBot", AiCrawler),
    ("Google-CloudVertexBot", "Google-CloudVertexBot", AiCrawler),
    // Monitors and health checks.
    ("Uptime-Kuma", "Uptime-Kuma", Monitor),
    ("UptimeRobot", "UptimeRobot", Monitor),
    ("Pingdom", "Pingdom", Monitor),
    ("StatusCake", "StatusCake", Monitor),
    ("Site24x7", "Site24x7", Monitor),
    ("ELB-HealthChecker", "ELB-HealthChecker", Monitor),
    ("kube-probe", "kube-probe", Monitor),
    ("GoogleHC", "GoogleHC", Monitor),
    ("Amazon-Route53-Health-Check", "Route53-Health-Check", Monitor),
    ("Better Uptime", "Better Uptime", Monitor),
    ("Datadog", "Datadog", Monitor),
    ("NewRelicPinger", "NewRelicPinger", Monitor),
    ("Checkly", "Checkly", Monitor),
    ("Zabbix", "Zabbix", Monitor),
    ("check_http", "Nagios check_http", Monitor),
    ("Blackbox Exporter", "Prometheus Blackbox", Monitor),
    ("HetrixTools", "HetrixTools", Monitor),
    ("Freshping", "Freshping", Monitor),
    ("Cloudflare-Healthchecks", "Cloudflare-Healthchecks", Monitor),
    ("Consul Health Check", "Consul", Monitor),
    ("Pulsetic", "Pulsetic", Monitor),
    // Search engines, SEO and link-preview crawlers.
    ("Googlebot", "Googlebot", Crawler),
    ("Google-InspectionTool", "Google-InspectionTool", Crawler),
    ("Storebot-Google", "Storebot-Google", Crawler),
    ("AdsBot-Google", "AdsBot-Google", Crawler),
    ("Mediapartners-Google", "Mediapartners-Google", Crawler),
    ("APIs-Google", "APIs-Google", Crawler),
    ("bingbot", "bingbot", Crawler),
    ("BingPreview", "BingPreview", Crawler),
    ("msnbot", "msnbot", Crawler),
    ("YandexBot", "YandexBot", Crawler),
    ("YandexImages", "YandexImages", Crawler),
    ("Baiduspider", "Baiduspider", Crawler),
    ("DuckDuckBot", "DuckDuckBot", Crawler),
    ("Applebot", "Applebot", Crawler),
    ("Sogou", "Sogou", Crawler),
    ("Exabot", "Exabot", Crawler),
    ("SeznamBot", "SeznamBot", Crawler),
    ("PetalBot", "PetalBot", Crawler),
    ("Qwantbot", "Qwantbot", Crawler),
    ("Qwantify", "Qwantify", Crawler),
    ("yacybot", "yacybot", Crawler),
    ("Slurp", "Yahoo Slurp", Crawler),
    ("AhrefsBot", "AhrefsBot", Crawler),
    ("SemrushBot", "SemrushBot", Crawler),
    ("MJ12bot", "MJ12bot", Crawler),
    ("DotBot", "DotBot", Crawler),
    ("BLEXBot", "BLEXBot", Crawler),
    ("DataForSeoBot", "DataForSeoBot", Crawler),
    ("serpstatbot", "serpstatbot", Crawler),
    ("SeekportBot", "SeekportBot", Crawler),
    ("MojeekBot", "MojeekBot", Crawler),
    ("coccocbot", "coccocbot", Crawler),
    ("ia_archiver", "ia_archiver", Crawler),
    ("archive.org_bot", "archive.org_bot", Crawler),
    ("facebookexternalhit", "facebookexternalhit", Crawler),
    ("Twitterbot", "Twitterbot", Crawler),
    ("LinkedInBot", "LinkedInBot", Crawler),
    ("Slackbot", "Slackbot", Crawler),
    ("Discordbot", "Discordbot", Crawler),
    ("TelegramBot", "TelegramBot", Crawler),
    ("WhatsApp", "WhatsApp", Crawler),
    ("Pinterestbot", "Pinterestbot", Crawler),
    ("redditbot", "redditbot", Crawler),
    ("SkypeUriPreview", "SkypeUriPreview", Crawler),
    // HTTP libraries, command-line tools and feed readers.
    ("curl/", "curl", Tool),
    ("Wget/", "Wget", Tool),
    ("python-requests/", "python-requests", Tool),
    ("python-httpx/", "python-httpx", Tool),
    ("Python-urllib/", "Python-urllib", Tool),
    ("aiohttp/", "aiohttp", Tool),
    ("Scrapy/", "Scrapy", Tool),
    ("Go-http-client/", "Go-http-client", Tool),
    ("okhttp/", "okhttp", Tool),
    ("axios/", "axios", Tool),
    ("node-fetch", "node-fetch", Tool),
    ("undici", "undici", Tool),
    ("Java/", "Java", Tool),
    ("Apache-HttpClient/", "Apache-HttpClient", Tool),
    ("libwww-perl/", "libwww-perl", Tool),
    ("PHP/", "PHP", Tool),
    ("GuzzleHttp/", "Guzzle", Tool),
    ("Ruby", "Ruby", Tool),
    ("PostmanRuntime/", "Postman", Tool),
    ("insomnia/", "Insomnia", Tool),
    ("HTTPie/", "HTTPie", Tool),
    ("Dalvik/", "Dalvik", Tool),
    ("WinHttp", "WinHttp", Tool),
    ("Feedly", "Feedly", Tool),
    ("UniversalFeedParser", "UniversalFeedParser", Tool),
    ("FeedBurner", "FeedBurner", Tool),
    ("Feedfetcher-Google", "Feedfetcher-Google", Tool),
    ("NetNewsWire", "NetNewsWire", Tool),
    ("Miniflux", "Miniflux", Tool),
    ("Feedbin", "Feedbin", Tool),
    ("NewsBlur", "NewsBlur", Tool),
    ("Inoreader", "Inoreader", Tool),
    ("FreshRSS", "FreshRSS", Tool),
    ("Tiny Tiny RSS", "Tiny Tiny RSS", Tool),
    ("lua-resty-http", "lua-resty-http", Tool),
    ("reqwest", "reqwest", Tool),
    ("Lynx/", "Lynx", Tool),
];

/// Browser families, most specific first; only for `Mozilla/` or `Opera/`
/// agents.
#[rustfmt::skip]
static BROWSERS: &[(&str, &str)] = &[
    ("Edg/", "Edge"),
    ("EdgA/", "Edge"),
    ("EdgiOS/", "Edge"),
    ("Edge/", "Edge"),
    ("OPR/", "Opera"),
    ("Opera", "Opera"),
    ("SamsungBrowser/", "Samsung Internet"),
    ("YaBrowser/", "Yandex Browser"),
    ("Vivaldi/", "Vivaldi"),
    ("UCBrowser/", "UC Browser"),
    ("Firefox/", "Firefox"),
    ("FxiOS/", "Firefox"),
    ("CriOS/", "Chrome"),
    ("Chrome/", "Chrome"),
    ("Chromium/", "Chrome"),
    ("Version/", "Safari"),
    ("MSIE ", "Internet Explorer"),
    ("Trident/", "Internet Explorer"),
];

#[rustfmt::skip]
static OS: &[(&str, &str)] = &[
    ("Windows", "Windows"),
    ("Android", "Android"),
    ("iPhone", "iOS"),
    ("iPad", "iOS"),
    ("iPod", "iOS"),
    ("CrOS", "ChromeOS"),
    ("Macintosh", "macOS"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
    ("BSD", "BSD"),
];

fn has(ua: &[u8], needle: &str) -> bool {
    memchr::memmem::find(ua, needle.as_bytes()).is_some()
}

/// The family and category of an agent the table names.
pub fn named(ua: &[u8]) -> Option<(&'static str, Category)> {
    if let Some((_, f, c)) = NAMED.iter().find(|(n, _, _)| has(ua, n)) {
        return Some((f, *c));
    }
    if ua.starts_with(b"Mozilla/") || ua.starts_with(b"Opera/") {
        // A bot that names itself in a browser-shaped agent is not a browser.
        let bot_words = ["bot", "Bot", "crawl", "Crawl", "spider", "Spider", "headless", "Headless"];
        if bot_words.iter().any(|w| has(ua, w)) {
            return None;
        }
        return BROWSERS.iter().find(|(n, _)| has(ua, n)).map(|(_, f)| (*f, Browser));
    }
    None
}

/// The operating system a browser agent names (`Other` when none).
pub fn os(ua: &[u8]) -> &'static str {
    OS.iter().find(|(n, _)| has(ua, n)).map_or("Other", |(_, o)| o)
}
