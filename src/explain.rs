//! `logstat explain`: what the registry knows about codes and classes.

use std::io::Write;

use crate::report::{Cell, Table};
use crate::status::{self, Code, Query, REGISTRY};

fn yes(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

/// The facts shown for a code, as (label, value) rows.
fn facts(c: &Code) -> Vec<(&'static str, String)> {
    let mut v = vec![
        ("name", c.name.to_string()),
        ("class", format!("{} ({})", c.class(), status::class_meaning(c.class()).split(':').next().unwrap_or(""))),
        ("origin", c.origin.label().to_string()),
        ("meaning", c.meaning.to_string()),
        ("reference", c.reference.to_string()),
        ("retry", c.retry.label().to_string()),
        ("at fault", c.fault.label().to_string()),
        ("headers", if c.headers.is_empty() { "-".to_string() } else { c.headers.join(", ") }),
        ("cacheable by default", yes(c.cacheable_by_default()).to_string()),
    ];
    if let Some((permanent, method)) = c.redirect() {
        v.push(("permanent", yes(permanent).to_string()));
        v.push(("method preserved", method.to_string()));
    }
    if let Some(old) = c.formerly {
        v.push(("formerly", old.to_string()));
    }
    v
}

/// Text for one or more queries.
pub fn explain(queries: &[Query], out: &mut dyn Write) -> std::io::Result<()> {
    let codes: Vec<&Query> = queries.iter().filter(|q| matches!(q, Query::Code(_))).collect();
    if codes.len() >= 2 && codes.len() == queries.len() {
        return compare(queries, out);
    }
    for (i, q) in queries.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        match q {
            Query::Code(n) => match status::lookup(*n) {
                Some(c) => {
                    writeln!(out, "{}", c.label())?;
                    for (k, v) in facts(c) {
                        writeln!(out, "  {k:<21} {v}")?;
                    }
                }
                None => {
                    let class = status::class_name(*n);
                    writeln!(out, "{n} unregistered")?;
                    writeln!(
                        out,
                        "  not in logstat's registry (IANA, WebDAV, nginx, Cloudflare, AWS ELB, IIS, common unofficial codes)"
                    )?;
                    writeln!(out, "  class {class}: {}", status::class_meaning(class))?;
                }
            },
            Query::Class(class) => {
                let d = class.index() as u32 + 1;
                let class = class.name();
                writeln!(out, "{class}: {}", status::class_meaning(class))?;
                for c in REGISTRY.iter().filter(|c| c.code as u32 / 100 == d) {
                    let origin =
                        if c.origin.is_standard() { String::new() } else { format!(" ({})", c.origin.label()) };
                    writeln!(out, "  {} {}{origin}", c.code, c.name)?;
                }
            }
        }
    }
    Ok(())
}

/// Several codes side by side, then what differs.
fn compare(queries: &[Query], out: &mut dyn Write) -> std::io::Result<()> {
    let cols: Vec<(String, Vec<(&'static str, String)>)> = queries
        .iter()
        .map(|q| {
            let Query::Code(n) = q else { unreachable!("codes only") };
            match status::lookup(*n) {
                Some(c) => (n.to_string(), facts(c)),
                None => (
                    n.to_string(),
                    vec![("name", "unregistered".to_string()), ("class", status::class_name(*n).to_string())],
                ),
            }
        })
        .collect();
    let labels: Vec<&str> = [
        "name",
        "class",
        "origin",
        "permanent",
        "method preserved",
        "cacheable by default",
        "retry",
        "at fault",
        "headers",
        "reference",
    ]
    .into_iter()
    .filter(|l| cols.iter().any(|(_, f)| f.iter().any(|(k, _)| k == l)))
    .collect();
    let get =
        |f: &[(&str, String)], l: &str| f.iter().find(|(k, _)| *k == l).map_or("-".to_string(), |(_, v)| v.clone());
    let width = 36;
    write!(out, "{:<21}", "")?;
    for (n, _) in &cols {
        write!(out, " {n:<width$}")?;
    }
    writeln!(out)?;
    let mut differs = Vec::new();
    for l in &labels {
        write!(out, "{l:<21}")?;
        let vals: Vec<String> = cols.iter().map(|(_, f)| get(f, l)).collect();
        for v in &vals {
            let v: String =
                if v.chars().count() > width { v.chars().take(width - 1).chain(['…']).collect() } else { v.clone() };
            write!(out, " {v:<width$}")?;
        }
        writeln!(out)?;
        if *l != "name" && *l != "reference" && vals.windows(2).any(|w| w[0] != w[1]) {
            differs.push(*l);
        }
    }
    writeln!(out)?;
    if differs.is_empty() {
        writeln!(out, "differs in: nothing but the name")?;
    } else {
        writeln!(out, "differs in: {}", differs.join(", "))?;
    }
    Ok(())
}

/// The whole registry as a table (for `--list --format csv|json`).
pub fn registry_table() -> Table {
    let rows = REGISTRY
        .iter()
        .map(|c| {
            vec![
                Cell::Int(c.code as u64),
                Cell::text(c.name),
                Cell::text(c.class()),
                Cell::text(c.origin.label()),
                Cell::text(c.fault.label()),
                Cell::text(c.retry.label()),
                Cell::text(c.headers.join(" ")),
                Cell::text(c.reference),
                Cell::text(c.meaning),
                c.formerly.map_or(Cell::Null, Cell::text),
            ]
        })
        .collect();
    Table {
        name: "registry",
        columns: vec![
            "code",
            "name",
            "class",
            "origin",
            "fault",
            "retry",
            "headers",
            "reference",
            "meaning",
            "formerly",
        ],
        rows,
    }
}

/// The registry as terminal text.
pub fn list(out: &mut dyn Write) -> std::io::Result<()> {
    for c in REGISTRY {
        writeln!(out, "{:<58} {}", c.label(), c.reference)?;
    }
    Ok(())
}
