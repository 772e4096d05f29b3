//! The HTML report: one self-contained page (inline CSS, SVG charts drawn
//! here, a few lines of inline JavaScript for sorting and filtering tables),
//! no request to any network (a Content-Security-Policy forbids it), light
//! and dark by the system setting, readable without JavaScript. It renders
//! the report model's tables and nothing else.

use std::fmt::Write as _;
use std::io::Write;

use crate::report::{Cell, Table};

/// Rows of a table shown in the page (the rest are noted).
pub const MAX_ROWS: usize = 500;
/// Bars in a time chart (adjacent windows are summed past it).
const MAX_BARS: usize = 360;

const CSS: &str = r#"
:root{--bg:#fff;--fg:#1b1f24;--mute:#57606a;--line:#d0d7de;--card:#f6f8fa;--c1:#1f77b4;--c2:#2da44e;--c3:#0969da;--c4:#bf8700;--c5:#cf222e;--c6:#8250df}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--mute:#8d96a0;--line:#30363d;--card:#161b22;--c2:#3fb950;--c3:#58a6ff;--c4:#d29922;--c5:#f85149;--c6:#a371f7}}
*{box-sizing:border-box}body{margin:0;padding:1rem;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:1200px;margin:auto}
h1{font-size:1.4rem;margin:.2rem 0}h2{font-size:1.1rem;margin:1.6rem 0 .5rem;border-bottom:1px solid var(--line);padding-bottom:.2rem}
.figs{display:flex;flex-wrap:wrap;gap:.5rem}.fig{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:.4rem .7rem;min-width:8rem}
.fig b{display:block;font-size:1.2rem}.fig span{color:var(--mute);font-size:.85rem}.mute{color:var(--mute)}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}th,td{padding:.25rem .5rem;border-bottom:1px solid var(--line);text-align:right;white-space:nowrap}
th:first-child,td:first-child{text-align:left;white-space:normal;overflow-wrap:anywhere;min-width:6rem}th button{all:unset;cursor:pointer;font-weight:600}th button:focus{outline:2px solid var(--c3)}
.scroll{overflow-x:auto}ul.findings{padding-left:1.2rem}li.critical{color:var(--c5)}li.warn{color:var(--c4)}
svg{width:100%;height:auto;display:block}svg text{fill:var(--mute);font-size:11px}.legend span{display:inline-block;margin-right:1rem}.legend i{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:-1px}
input[type=search]{padding:.3rem .5rem;border:1px solid var(--line);border-radius:4px;background:var(--bg);color:var(--fg);width:min(100%,24rem);margin:.3rem 0}
details summary{cursor:pointer}
"#;

const JS: &str = r#"
function cellValue(td){var v=td.getAttribute('data-v');if(v!==null)return parseFloat(v);return td.textContent.toLowerCase();}
function sortTable(id,col,asc){var t=document.getElementById(id);if(!t)return;var b=t.tBodies[0];var rows=Array.prototype.slice.call(b.rows);
rows.sort(function(x,y){var a=cellValue(x.cells[col]),c=cellValue(y.cells[col]);if(a<c)return asc?-1:1;if(a>c)return asc?1:-1;return 0;});
rows.forEach(function(r){b.appendChild(r);});t.setAttribute('data-sorted',col+(asc?':asc':':desc'));
Array.prototype.forEach.call(t.tHead.rows[0].cells,function(th,i){th.setAttribute('aria-sort',i===col?(asc?'ascending':'descending'):'none');});}
document.querySelectorAll('table.sortable').forEach(function(t){Array.prototype.forEach.call(t.tHead.rows[0].cells,function(th,i){var btn=th.querySelector('button');if(!btn)return;
btn.addEventListener('click',function(){var cur=t.getAttribute('data-sorted');sortTable(t.id,i,cur===i+':desc');});});});
document.querySelectorAll('input[data-filter]').forEach(function(inp){inp.addEventListener('input',function(){var q=inp.value.toLowerCase();
var t=document.getElementById(inp.getAttribute('data-filter'));Array.prototype.forEach.call(t.tBodies[0].rows,function(r){r.hidden=q!==''&&r.cells[0].textContent.toLowerCase().indexOf(q)<0;});});});
var m=location.hash.match(/^#sort=([\w-]+):(\d+):(asc|desc)$/);if(m)sortTable(m[1],parseInt(m[2],10),m[3]==='asc');
document.documentElement.setAttribute('data-ready','1');
"#;

/// HTML-escape text (already free of control characters).
fn esc(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

fn find<'a>(tables: &'a [Table], name: &str) -> Option<&'a Table> {
    tables.iter().find(|t| t.name == name)
}

fn col(t: &Table, name: &str) -> Option<usize> {
    t.columns.iter().position(|c| *c == name)
}

fn num(c: &Cell) -> Option<f64> {
    match c {
        Cell::Int(n) => Some(*n as f64),
        Cell::Pct(p) => Some(*p),
        Cell::Ms(us) => Some(*us as f64 / 1000.0),
        Cell::Text(t) => t.parse().ok(),
        Cell::Null => None,
    }
}

/// `summary` value of a metric.
fn metric<'a>(t: &'a Table, name: &str) -> Option<&'a Cell> {
    t.rows.iter().find(|r| matches!(&r[0], Cell::Text(n) if n == name)).map(|r| &r[1])
}

/// One table, sortable, with `id`.
fn table(out: &mut String, t: &Table, id: &str, caption: &str, filter: bool) {
    if filter {
        let _ = write!(
            out,
            r#"<label class="mute">Filter <input type="search" data-filter="{id}" aria-label="filter {id}"></label>"#
        );
    }
    let _ = write!(
        out,
        r#"<div class="scroll"><table class="sortable" id="{id}"><caption class="mute" style="text-align:left">"#
    );
    esc(caption, out);
    out.push_str("</caption><thead><tr>");
    for c in &t.columns {
        out.push_str(r#"<th scope="col" aria-sort="none"><button type="button">"#);
        esc(c, out);
        out.push_str("</button></th>");
    }
    out.push_str("</tr></thead><tbody>");
    for r in t.rows.iter().take(MAX_ROWS) {
        out.push_str("<tr>");
        for c in r {
            match num(c).filter(|_| !matches!(c, Cell::Text(_))) {
                Some(v) => {
                    let _ = write!(out, r#"<td data-v="{v}">"#);
                }
                None => out.push_str("<td>"),
            }
            esc(&c.render(), out);
            out.push_str("</td>");
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></div>");
    if t.rows.len() > MAX_ROWS {
        let _ = write!(out, r#"<p class="mute">… {} more rows (CSV or JSON has all)</p>"#, t.rows.len() - MAX_ROWS);
    }
}

/// Open a chart's `<svg>` (`w` × `h` plot, `left` for the axis labels,
/// `bottom` for the time labels) with grid lines at 0, ½ and all of `max`.
fn open_chart(out: &mut String, title: &str, (w, h, left, bottom): (f64, f64, f64, f64), max: f64) {
    let _ = write!(
        out,
        r#"<figure><svg viewBox="0 -10 {w} {}" role="img" aria-label="{title}"><title>{title}</title>"#,
        h + bottom + 10.0
    );
    for frac in [0.0, 0.5, 1.0] {
        let y = h - frac * h;
        let _ = write!(
            out,
            r#"<line x1="{left}" x2="{w}" y1="{y:.1}" y2="{y:.1}" stroke="currentColor" opacity=".15"/><text x="{}" y="{:.1}" text-anchor="end">{:.0}</text>"#,
            left - 4.0,
            y + 4.0,
            max * frac
        );
    }
}

/// A stacked bar chart of `series` (one value per class) over `labels`.
fn stacked(out: &mut String, title: &str, labels: &[String], series: &[(&str, &str, Vec<f64>)]) {
    let n = labels.len();
    if n == 0 {
        return;
    }
    // Sum adjacent windows past MAX_BARS.
    let per = n.div_ceil(MAX_BARS);
    let bars = n.div_ceil(per);
    let sum = |v: &[f64], b: usize| v[b * per..((b + 1) * per).min(n)].iter().sum::<f64>();
    let totals: Vec<f64> = (0..bars).map(|b| series.iter().map(|s| sum(&s.2, b)).sum()).collect();
    let max = totals.iter().cloned().fold(0.0, f64::max).max(1.0);
    let (w, h, left, bottom) = (900.0, 220.0, 50.0, 20.0);
    let bw = (w - left) / bars as f64;
    open_chart(out, title, (w, h, left, bottom), max);
    for b in 0..bars {
        let mut y = h;
        for (_, color, v) in series {
            let val = sum(v, b);
            if val <= 0.0 {
                continue;
            }
            // Small counts stay visible: at least one pixel.
            let bh = (val / max * h).max(1.0);
            y -= bh;
            let _ = write!(
                out,
                r#"<rect x="{:.2}" y="{y:.2}" width="{:.2}" height="{bh:.2}" fill="var({color})"/>"#,
                left + b as f64 * bw,
                (bw - 0.5).max(0.5)
            );
        }
    }
    let _ = write!(out, r#"<text x="{left}" y="{}">"#, h + 15.0);
    esc(&labels[0], out);
    let _ = write!(out, r#"</text><text x="{w}" y="{}" text-anchor="end">"#, h + 15.0);
    esc(&labels[n - 1], out);
    out.push_str("</text></svg><figcaption class=\"legend\">");
    for (name, color, _) in series {
        let _ = write!(out, r#"<span><i style="background:var({color})"></i>"#);
        esc(name, out);
        out.push_str("</span>");
    }
    if per > 1 {
        let _ = write!(out, r#"<span class="mute">each bar sums {per} windows</span>"#);
    }
    out.push_str("</figcaption></figure>");
}

/// Lines over time (latency percentiles).
fn lines(out: &mut String, title: &str, labels: &[String], series: &[(&str, &str, Vec<Option<f64>>)]) {
    let n = labels.len();
    let max = series.iter().flat_map(|s| s.2.iter().flatten()).cloned().fold(0.0, f64::max);
    if n < 2 || max <= 0.0 {
        return;
    }
    let (w, h, left, bottom) = (900.0, 200.0, 50.0, 20.0);
    let x = |i: usize| left + i as f64 * (w - left) / (n - 1) as f64;
    open_chart(out, title, (w, h, left, bottom), max);
    for (_, color, v) in series {
        let pts: Vec<String> = v
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.map(|p| format!("{:.1},{:.1}", x(i), h - p / max * h)))
            .collect();
        let _ = write!(
            out,
            r#"<polyline fill="none" stroke="var({color})" stroke-width="1.5" points="{}"/>"#,
            pts.join(" ")
        );
    }
    out.push_str("</svg><figcaption class=\"legend\">");
    for (name, color, _) in series {
        let _ = write!(out, r#"<span><i style="background:var({color})"></i>"#);
        esc(name, out);
        out.push_str(" ms</span>");
    }
    out.push_str("</figcaption></figure>");
}

/// Write the page for `title` (the inputs) from the report tables.
pub fn write_page(title: &str, tables: &[Table], out: &mut dyn Write) -> std::io::Result<()> {
    let mut s = String::with_capacity(64 << 10);
    s.push_str("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">");
    s.push_str(r#"<meta name="viewport" content="width=device-width,initial-scale=1">"#);
    s.push_str(r#"<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">"#);
    s.push_str(r#"<meta name="color-scheme" content="light dark"><title>logstat — "#);
    esc(title, &mut s);
    let _ = write!(s, "</title><style>{CSS}</style></head><body><header><h1>logstat — ");
    esc(title, &mut s);
    s.push_str("</h1>");
    if let Some(sum) = find(tables, "summary") {
        let v = |k: &str| metric(sum, k).map(|c| c.render()).unwrap_or_default();
        let _ = write!(s, r#"<p class="mute">"#);
        esc(&format!("{} → {} ({})", v("first_time"), v("last_time"), v("time_zone")), &mut s);
        s.push_str("</p><div class=\"figs\">");
        for (k, label) in [
            ("lines", "lines"),
            ("parsed", "parsed"),
            ("malformed", "malformed"),
            ("requests", "requests"),
            ("failure_rate", "failure rate %"),
            ("request_time_p50_ms", "p50 ms"),
            ("request_time_p99_ms", "p99 ms"),
            ("unique_clients", "unique clients"),
            ("bot_percent", "bots %"),
        ] {
            let val = v(k);
            if val.is_empty() {
                continue;
            }
            let _ = write!(s, r#"<div class="fig" data-metric="{k}"><b>"#);
            esc(&val, &mut s);
            let _ = write!(s, "</b><span>{label}</span></div>");
        }
        s.push_str("</div>");
    }
    s.push_str("</header><main>");
    if let Some(f) = find(tables, "findings").filter(|f| !f.rows.is_empty()) {
        s.push_str("<section><h2>Findings</h2><ul class=\"findings\">");
        let (sev, code, route, detail, finding) =
            (col(f, "severity"), col(f, "code"), col(f, "route"), col(f, "detail"), col(f, "finding"));
        for r in &f.rows {
            let get = |i: Option<usize>| i.map(|i| r[i].render()).unwrap_or_default();
            let class = get(sev);
            let _ = write!(
                s,
                r#"<li class="{}"><b>"#,
                if class == "critical" || class == "warn" { class.as_str() } else { "info" }
            );
            esc(&get(finding), &mut s);
            s.push_str("</b> ");
            let c = get(code);
            if let Some(meaning) = c.parse::<u32>().ok().and_then(crate::status::lookup) {
                let _ = write!(s, r#"<abbr title=""#);
                esc(
                    &format!("{} — {} (at fault: {})", meaning.label(), meaning.meaning, meaning.fault.label()),
                    &mut s,
                );
                s.push_str("\">");
                esc(&c, &mut s);
                s.push_str("</abbr> ");
            } else if !c.is_empty() {
                esc(&c, &mut s);
                s.push(' ');
            }
            esc(&get(route), &mut s);
            s.push_str(": ");
            esc(&get(detail), &mut s);
            s.push_str("</li>");
        }
        s.push_str("</ul></section>");
    }
    if let Some(w) = find(tables, "windows") {
        let labels: Vec<String> = w.rows.iter().map(|r| r[0].render()).collect();
        let series_of = |name: &str| -> Vec<f64> {
            col(w, name).map_or_else(Vec::new, |i| w.rows.iter().map(|r| num(&r[i]).unwrap_or(0.0)).collect())
        };
        s.push_str("<section><h2>Requests over time</h2>");
        stacked(
            &mut s,
            "requests per window by status class",
            &labels,
            &[
                ("2xx", "--c2", series_of("2xx")),
                ("3xx", "--c3", series_of("3xx")),
                ("1xx", "--c1", series_of("1xx")),
                ("other", "--c6", series_of("other")),
                ("4xx", "--c4", series_of("4xx")),
                ("5xx", "--c5", series_of("5xx")),
            ],
        );
        let lat = |name: &str| -> Vec<Option<f64>> {
            col(w, name).map_or_else(Vec::new, |i| w.rows.iter().map(|r| num(&r[i])).collect())
        };
        let (p50, p90, p99) = (lat("p50_ms"), lat("p90_ms"), lat("p99_ms"));
        if p50.iter().any(Option::is_some) {
            s.push_str("<h2>Latency over time</h2>");
            lines(
                &mut s,
                "latency percentiles per window",
                &labels,
                &[("p50", "--c2", p50), ("p90", "--c4", p90), ("p99", "--c5", p99)],
            );
        }
        s.push_str("<details><summary>Windows table</summary>");
        table(&mut s, w, "windows", "requests per window", false);
        s.push_str("</details></section>");
    }
    for (name, heading, filter) in [
        ("class", "Status classes", false),
        ("status", "Status codes", false),
        ("routes", "Routes", true),
        ("clients", "Top clients", true),
        ("agents", "Agents and bots", true),
        ("referrers", "Referrer hosts", true),
        ("visitors", "Visitors per day", false),
        ("latency", "Latency (ms)", false),
        ("malformed", "Malformed lines", false),
        ("files", "Inputs", false),
    ] {
        if let Some(t) = find(tables, name) {
            let _ = write!(s, "<section><h2>{heading}</h2>");
            table(&mut s, t, name, heading, filter);
            s.push_str("</section>");
        }
    }
    let _ = writeln!(
        s,
        "</main><footer class=\"mute\"><p>logstat {}</p></footer><script>{JS}</script></body></html>",
        env!("CARGO_PKG_VERSION")
    );
    out.write_all(s.as_bytes())
}
