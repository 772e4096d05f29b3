//! findings: what the numbers say, in a few lines an operator can act on.
//!
//! Each rule fires only when its numbers clear a threshold, so a clean log
//! has no findings. Shares are of parsed requests unless a line says
//! otherwise; "top routes" are at most three, each with ≥ 10% of the code.
//!
//! | finding | fires when | severity |
//! |---|---|---|
//! | `server-errors` | 5xx ≥ 10 requests and ≥ 1% | warn; critical at ≥ 5% |
//! | `server-errors-route` | top routes of those 5xx | as above |
//! | `clients-gave-up` | 499 ≥ 10 and ≥ 0.5% (top route named) | warn |
//! | `rate-limited` | 429 ≥ 10 and ≥ 0.1% (top route named) | info; warn at ≥ 1% |
//! | `overloaded` | 503 ≥ 10 and ≥ 0.1% (top route named) | warn |
//! | `auth-mix` | a route with 401+403 ≥ 20, each ≥ 10% of the two | info |
//! | `not-found-hotspot` | 404 ≥ 20 and ≥ 5%: top routes, marked scanner-like or broken link | info |
//! | `post-redirect` | POST answered 301/302 ≥ 5 times on a route | warn |
//! | `dropped-by-policy` | any 444 (top route named) | info |
//! | `unregistered-codes` | any status outside the registry | info |
//! | `malformed-lines` | malformed ≥ 1% of lines | warn |

use super::{Cell, Ctx, Table, View};
use crate::stats::RouteCounts;
use crate::status::{Class, POST_REDIRECT};
use crate::units::percent;
use crate::units::thousands;

#[derive(Clone, Debug, PartialEq)]
/// Something worth attention, found in the aggregate.
pub struct Finding {
    /// What kind of finding (`5xx-burst`, `scanner`, …).
    pub finding: &'static str,
    /// `critical`, `warn` or `info`.
    pub severity: &'static str,
    /// The status code concerned, if any.
    pub code: String,
    /// The route concerned, if any (escaped).
    pub route: String,
    /// Requests concerned.
    pub count: u64,
    /// Percent (of parsed requests, or of the code's total for route lines).
    pub share: f64,
    /// What was found, in words, with the code's meaning.
    pub detail: String,
}

/// Routes by how many of a count they hold: at most three, each ≥ 10% of `total`.
fn top_routes<'a>(ctx: &'a Ctx, total: u64, f: impl Fn(&RouteCounts) -> u64) -> Vec<(String, u64, &'a RouteCounts)> {
    let mut v: Vec<(&[u8], u64, &RouteCounts)> = ctx
        .run
        .stats
        .routes
        .iter()
        .map(|(k, rc)| (k, f(rc), rc))
        .filter(|(_, n, _)| *n > 0 && *n * 10 >= total)
        .collect();
    v.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    v.into_iter().take(3).map(|(r, n, rc)| (crate::text::escape(r), n, rc)).collect()
}

fn looks_like_scanner(route: &str) -> bool {
    const PROBES: [&str; 12] = [
        ".php",
        ".env",
        "wp-",
        "/admin",
        ".git",
        "cgi-bin",
        ".asp",
        "phpmyadmin",
        "/.well-known/",
        "xmlrpc",
        "/vendor/",
        ".sql",
    ];
    let r = route.to_ascii_lowercase();
    PROBES.iter().any(|p| r.contains(p))
}

/// Every finding, most severe first.
pub fn findings(ctx: &Ctx) -> Vec<Finding> {
    let s = &ctx.run.stats;
    let parsed = s.requests();
    let mut out = Vec::new();
    let mut push = |finding, severity, code: &str, route: String, count, share, detail: String| {
        out.push(Finding { finding, severity, code: code.to_string(), route, count, share, detail })
    };

    let e5 = s.in_class(Class::ServerError);
    let p5 = percent(e5, parsed);
    if e5 >= 10 && p5 >= 1.0 {
        let sev = if p5 >= 5.0 { "critical" } else { "warn" };
        push(
            "server-errors",
            sev,
            "5xx",
            String::new(),
            e5,
            p5,
            format!("{p5:.1}% of requests failed on the server side"),
        );
        for (r, n, rc) in top_routes(ctx, e5, |rc| rc.counts.in_class(Class::ServerError)) {
            let own = percent(n, rc.counts.requests);
            let detail = format!(
                "{} of the 5xx; {own:.1}% of this route's {} requests",
                pct(n, e5),
                thousands(rc.counts.requests)
            );
            push("server-errors-route", sev, "5xx", r, n, percent(n, e5), detail);
        }
    }

    let code_total = |code: u32| s.status.get(code as usize).copied().unwrap_or(0);
    let top_for = |code: u32, total: u64| {
        top_routes(ctx, total, |rc| rc.code(code)).into_iter().next().map(|(r, n, _)| (r, n)).unwrap_or_default()
    };

    let n499 = code_total(499);
    if n499 >= 10 && percent(n499, parsed) >= 0.5 {
        let (r, n) = top_for(499, n499);
        push(
            "clients-gave-up",
            "warn",
            "499",
            r,
            n499,
            percent(n499, parsed),
            format!(
                "clients closed the connection before the answer (usually a slow upstream); {} on the top route",
                thousands(n)
            ),
        );
    }
    for (code, name, what) in [
        (429u32, "rate-limited", "requests were rate limited"),
        (503, "overloaded", "requests met an unavailable or overloaded service"),
    ] {
        let n = code_total(code);
        let p = percent(n, parsed);
        if n >= 10 && p >= 0.1 {
            let sev = if code == 503 || p >= 1.0 { "warn" } else { "info" };
            let (r, rn) = top_for(code, n);
            push(
                name,
                sev,
                &code.to_string(),
                r,
                n,
                p,
                format!("{p:.2}% of {what}; {} on the top route", thousands(rn)),
            );
        }
    }

    let mut auth: Vec<(String, u64, u64)> = s
        .routes
        .iter()
        .map(|(k, rc)| (k, rc.code(401), rc.code(403)))
        .filter(|(_, a, b)| a + b >= 20 && a * 10 >= a + b && b * 10 >= a + b)
        .map(|(k, a, b)| (crate::text::escape(k), a, b))
        .collect();
    auth.sort_by(|x, y| (y.1 + y.2).cmp(&(x.1 + x.2)).then(x.0.cmp(&y.0)));
    for (r, a, b) in auth.into_iter().take(3) {
        push(
            "auth-mix",
            "info",
            "401/403",
            r,
            a + b,
            percent(a, a + b),
            format!(
                "{} unauthenticated (401) and {} forbidden (403): missing credentials and missing permissions on one route",
                thousands(a),
                thousands(b)
            ),
        );
    }

    let n404 = code_total(404);
    if n404 >= 20 && percent(n404, parsed) >= 5.0 {
        for (r, n, _) in top_routes(ctx, n404, |rc| rc.code(404)) {
            let kind = if looks_like_scanner(&r) { "scanner-like probe" } else { "possibly a broken link" };
            push(
                "not-found-hotspot",
                "info",
                "404",
                r,
                n,
                percent(n, n404),
                format!("{} of all 404s; {kind}", pct(n, n404)),
            );
        }
    }

    let mut posts: Vec<(String, u64)> = s
        .routes
        .iter()
        .filter(|(_, rc)| rc.notable[POST_REDIRECT] >= 5)
        .map(|(k, rc)| (crate::text::escape(k), rc.notable[POST_REDIRECT]))
        .collect();
    posts.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
    for (r, n) in posts.into_iter().take(3) {
        push(
            "post-redirect",
            "warn",
            "301/302",
            r,
            n,
            percent(n, parsed),
            format!(
                "{} POST requests answered with 301/302: clients may repeat them as GET and drop the body; 307/308 keep the method",
                thousands(n)
            ),
        );
    }

    let n444 = code_total(444);
    if n444 > 0 {
        let (r, rn) = top_for(444, n444);
        push(
            "dropped-by-policy",
            "info",
            "444",
            r,
            n444,
            percent(n444, parsed),
            format!(
                "nginx closed these connections without answering (return 444); {} on the top route",
                thousands(rn)
            ),
        );
    }

    let unregistered: Vec<(Option<u32>, u64)> = s
        .status_counts()
        .into_iter()
        .filter(|(c, _)| matches!(c, Some(c) if crate::status::lookup(*c).is_none()))
        .collect();
    if !unregistered.is_empty() {
        let n: u64 = unregistered.iter().map(|x| x.1).sum();
        let codes: Vec<String> = unregistered.iter().map(|(c, _)| c.map_or("-".into(), |c| c.to_string())).collect();
        push(
            "unregistered-codes",
            "info",
            &codes.join(" "),
            String::new(),
            n,
            percent(n, parsed),
            "status codes that no registry or vendor defines; check the application that sets them".to_string(),
        );
    }

    // W3C header lines are counted as `directive`, not as lines gone wrong.
    let bad = s.malformed_total() - s.malformed[crate::parse::Reason::Directive.index()];
    if bad > 0 && percent(bad, s.lines) >= 1.0 {
        push(
            "malformed-lines",
            "warn",
            "",
            String::new(),
            bad,
            percent(bad, s.lines),
            format!("{:.1}% of lines did not fit the format (see --report malformed)", percent(bad, s.lines)),
        );
    }

    // Who called (when counted).
    let w = &s.who;
    if w.tracked {
        // Scanners: clients with many 404s across many distinct routes.
        let mut scanners: Vec<(&Box<[u8]>, &crate::stats::who::ClientCounts)> =
            w.clients.map.iter().filter(|(_, c)| c.not_found >= 20 && c.not_found_route_estimate() >= 10).collect();
        scanners.sort_by(|a, b| b.1.not_found.cmp(&a.1.not_found).then(a.0.cmp(b.0)));
        for (k, c) in scanners.into_iter().take(3) {
            push(
                "scanner",
                "warn",
                "404",
                String::new(),
                c.not_found,
                percent(c.not_found, code_total(404)),
                format!(
                    "client {} got {} 404s across {} distinct routes (estimated): probing for files that do not exist",
                    crate::text::escape(k),
                    thousands(c.not_found),
                    match c.not_found_route_estimate() {
                        250.. => "250 or more".to_string(),
                        n => format!("about {n}"),
                    }
                ),
            );
        }
        // AI crawlers' share of requests and bytes.
        let cats = super::agents::by_category(ctx);
        let (ai, ai_bytes) =
            cats.iter().find(|c| c.0 == crate::agent::Category::AiCrawler).map_or((0, 0), |c| (c.1, c.2));
        if ai > 0 && percent(ai, parsed) >= 1.0 {
            let sev = if percent(ai, parsed) >= 10.0 { "warn" } else { "info" };
            push(
                "ai-crawlers",
                sev,
                "",
                String::new(),
                ai,
                percent(ai, parsed),
                format!(
                    "AI crawlers made {:.1}% of requests and took {:.1}% of the bytes sent (see --report agents)",
                    percent(ai, parsed),
                    percent(ai_bytes, s.bytes)
                ),
            );
        }
        // Search crawlers meeting errors.
        for (name, a) in w.agents.sorted() {
            if a.category != crate::agent::Category::Crawler || a.requests < 20 {
                continue;
            }
            let e5 = a.class[Class::ServerError.index()];
            if (e5 >= 5 && percent(e5, a.requests) >= 1.0)
                || (a.not_found >= 20 && percent(a.not_found, a.requests) >= 10.0)
            {
                push(
                    "crawler-errors",
                    "warn",
                    if e5 >= 5 { "5xx" } else { "404" },
                    String::new(),
                    e5 + a.not_found,
                    percent(e5 + a.not_found, a.requests),
                    format!(
                        "{} got {} 5xx and {} 404 of its {} requests: pages may drop from search results",
                        crate::text::escape(name.as_bytes()),
                        thousands(e5),
                        thousands(a.not_found),
                        thousands(a.requests)
                    ),
                );
            }
        }
    }
    out
}

fn pct(n: u64, of: u64) -> String {
    format!("{:.1}%", percent(n, of))
}

/// The table: one row per finding.
pub fn table(ctx: &Ctx) -> Table {
    let rows = findings(ctx)
        .into_iter()
        .map(|f| {
            vec![
                Cell::text(f.finding),
                Cell::text(f.severity),
                Cell::Text(f.code),
                Cell::Text(f.route),
                Cell::Int(f.count),
                Cell::Pct(f.share),
                Cell::Text(f.detail),
            ]
        })
        .collect();
    Table { name: "findings", columns: vec!["finding", "severity", "code", "route", "count", "share", "detail"], rows }
}

/// The view: one line per finding, coloured by severity.
pub fn show(ctx: &Ctx, t: &mut View) {
    let fs = findings(ctx);
    if fs.is_empty() {
        return;
    }
    t.heading("Findings");
    for f in fs {
        let class = match f.severity {
            "critical" => Class::ServerError,
            "warn" => Class::ClientError,
            _ => Class::Success,
        };
        let route = if f.route.is_empty() { String::new() } else { format!(" {}", crate::text::clip(&f.route, 60)) };
        let code = if f.code.is_empty() { String::new() } else { format!(" {}", f.code) };
        t.class_line(&format!("  {:<8} {}{code}{route}: {}", f.severity, f.finding, f.detail), class);
    }
    t.blank();
}
