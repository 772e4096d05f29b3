//! records: one row per parsed line (CSV) or one JSON object per line
//! (JSON Lines), streamed in file order.

use crate::parse::Record;
use crate::parse::time::rfc3339_into;
use crate::render::{csv::push_field, json::push_str};
use crate::stats::route;
use crate::status::{CLASS_NAMES as CLASSES, class_index};
use crate::text::escape_into;
use crate::zone::Zone;
use std::fmt::Write as _;

/// Columns, in contract order; new columns go at the end.
pub const COLUMNS: [&str; 18] = [
    "file",
    "line",
    "time",
    "ip",
    "user",
    "method",
    "path",
    "protocol",
    "status",
    "class",
    "route",
    "bytes",
    "referrer",
    "user_agent",
    "ident",
    "request",
    "request_time",
    "upstream_time",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordWriter {
    Csv { raw: bool },
    Json,
}

impl RecordWriter {
    pub fn header(&self) -> Vec<u8> {
        match self {
            RecordWriter::Csv { .. } => format!("{}\n", COLUMNS.join(",")).into_bytes(),
            RecordWriter::Json => Vec::new(),
        }
    }

    /// Append one record. `sc` is reused between calls, so writing a record
    /// allocates nothing once its buffers have grown.
    pub fn write(&self, out: &mut Vec<u8>, sc: &mut Scratch, file: &str, line: u64, r: &Record, zone: &Zone) {
        let Scratch { route: route_buf, time, status, cell, json, rt, ut } = sc;
        let route: &[u8] = match r.method {
            Some(_) => {
                route::normalize(r.target, route_buf);
                route_buf
            }
            None => route::NO_ROUTE,
        };
        time.clear();
        if let Some(t) = r.time {
            rfc3339_into(t.unix, zone.offset_at(t.unix), time);
        }
        status.clear();
        if let Some(s) = r.status {
            let _ = write!(status, "{s}");
        }
        seconds(r.request_time_us, rt);
        seconds(r.upstream_time_us, ut);
        let fields: [(&str, Field); 18] = [
            ("file", Field::Str(file)),
            ("line", Field::Num(line)),
            ("time", if time.is_empty() { Field::Null } else { Field::Str(time) }),
            ("ip", Field::Bytes(r.client)),
            ("user", Field::Bytes(r.user)),
            ("method", Field::Str(r.method.map_or("(none)", |m| std::str::from_utf8(m).unwrap_or("(none)")))),
            ("path", Field::Bytes(r.target)),
            ("protocol", Field::Bytes(r.protocol)),
            ("status", if status.is_empty() { Field::Dash } else { Field::Raw(status) }),
            ("class", Field::Str(CLASSES[class_index(r.status)])),
            ("route", Field::Bytes(route)),
            ("bytes", Field::Num(r.bytes)),
            ("referrer", Field::Bytes(r.referrer)),
            ("user_agent", Field::Bytes(r.user_agent)),
            ("ident", Field::Bytes(r.ident)),
            ("request", Field::Bytes(r.request)),
            ("request_time", if rt.is_empty() { Field::Dash } else { Field::Raw(rt) }),
            ("upstream_time", if ut.is_empty() { Field::Dash } else { Field::Raw(ut) }),
        ];
        match self {
            RecordWriter::Csv { raw } => {
                for (i, (_, f)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    cell.clear();
                    f.text(cell);
                    if !*raw && matches!(f, Field::Bytes(_) | Field::Str(_)) && crate::render::csv::is_formula(cell) {
                        cell.insert(0, '\'');
                    }
                    push_field(out, cell);
                }
                out.push(b'\n');
            }
            RecordWriter::Json => {
                json.clear();
                json.push('{');
                for (i, (k, f)) in fields.iter().enumerate() {
                    if i > 0 {
                        json.push(',');
                    }
                    push_str(json, k);
                    json.push(':');
                    match f {
                        Field::Num(n) => {
                            let _ = write!(json, "{n}");
                        }
                        Field::Raw(v) => json.push_str(v),
                        Field::Null | Field::Dash => json.push_str("null"),
                        _ => {
                            cell.clear();
                            f.text(cell);
                            push_str(json, cell);
                        }
                    }
                }
                json.push_str("}\n");
                out.extend_from_slice(json.as_bytes());
            }
        }
    }
}

/// Buffers reused from one record to the next.
#[derive(Default)]
pub struct Scratch {
    route: Vec<u8>,
    time: String,
    status: String,
    cell: String,
    json: String,
    rt: String,
    ut: String,
}

/// Microseconds as seconds with three decimals (`0.120`), as nginx logs them.
fn seconds(us: Option<u64>, out: &mut String) {
    out.clear();
    if let Some(us) = us {
        let _ = write!(out, "{}.{:03}", us / 1_000_000, us % 1_000_000 / 1_000);
    }
}

enum Field<'a> {
    Str(&'a str),
    Bytes(&'a [u8]),
    Num(u64),
    /// Text written as is in both formats (digits).
    Raw(&'a str),
    /// `-` in CSV, `null` in JSON.
    Dash,
    Null,
}

impl Field<'_> {
    fn text(&self, out: &mut String) {
        match self {
            Field::Str(s) | Field::Raw(s) => escape_into(s.as_bytes(), out),
            Field::Bytes(b) => escape_into(b, out),
            Field::Num(n) => {
                let _ = write!(out, "{n}");
            }
            Field::Dash => out.push('-'),
            Field::Null => {}
        }
    }
}
