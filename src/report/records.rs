//! records: one row per parsed line (CSV) or one JSON object per line
//! (JSON Lines), streamed in file order.

use crate::parse::Record;
use crate::render::{csv::push_field, json::push_str};
use crate::stats::{CLASSES, class_index, route};
use crate::text::escape_into;
use crate::zone::Zone;

/// Columns, in contract order; new columns go at the end.
pub const COLUMNS: [&str; 16] = [
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

    /// Append one record. `scratch` is reused between calls.
    pub fn write(&self, out: &mut Vec<u8>, scratch: &mut String, file: &str, line: u64, r: &Record, zone: &Zone) {
        let mut route_buf = Vec::new();
        let route: &[u8] = match r.method {
            Some(_) => {
                route::normalize(r.target, &mut route_buf);
                &route_buf
            }
            None => route::NO_ROUTE,
        };
        let time = r.time.map(|t| zone.rfc3339(t.unix));
        let status = r.status.map(|s| s.to_string());
        let text: [(&str, Field); 16] = [
            ("file", Field::Str(file)),
            ("line", Field::Num(line)),
            ("time", time.as_deref().map_or(Field::Null, Field::Str)),
            ("ip", Field::Bytes(r.client)),
            ("user", Field::Bytes(r.user)),
            ("method", Field::Str(r.method.map_or("(none)", |m| std::str::from_utf8(m).unwrap_or("(none)")))),
            ("path", Field::Bytes(r.target)),
            ("protocol", Field::Bytes(r.protocol)),
            ("status", status.as_deref().map_or(Field::Dash, Field::Raw)),
            ("class", Field::Str(CLASSES[class_index(r.status)])),
            ("route", Field::Bytes(route)),
            ("bytes", Field::Num(r.bytes)),
            ("referrer", Field::Bytes(r.referrer)),
            ("user_agent", Field::Bytes(r.user_agent)),
            ("ident", Field::Bytes(r.ident)),
            ("request", Field::Bytes(r.request)),
        ];
        match self {
            RecordWriter::Csv { raw } => {
                for (i, (_, f)) in text.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    scratch.clear();
                    f.text(scratch);
                    if *raw || !matches!(f, Field::Bytes(_) | Field::Str(_)) {
                        push_field(out, scratch);
                    } else {
                        push_field(out, &crate::render::csv::neutralize(scratch));
                    }
                }
                out.push(b'\n');
            }
            RecordWriter::Json => {
                let mut s = std::mem::take(scratch);
                s.clear();
                s.push('{');
                let mut tmp = String::new();
                for (i, (k, f)) in text.iter().enumerate() {
                    if i > 0 {
                        s.push(',');
                    }
                    push_str(&mut s, k);
                    s.push(':');
                    match f {
                        Field::Num(n) => s.push_str(&n.to_string()),
                        Field::Raw(v) => s.push_str(v),
                        Field::Null | Field::Dash if *k == "status" => s.push_str("null"),
                        Field::Null => s.push_str("null"),
                        _ => {
                            tmp.clear();
                            f.text(&mut tmp);
                            push_str(&mut s, &tmp);
                        }
                    }
                }
                s.push_str("}\n");
                out.extend_from_slice(s.as_bytes());
                *scratch = s;
            }
        }
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
            Field::Num(n) => out.push_str(&n.to_string()),
            Field::Dash => out.push('-'),
            Field::Null => {}
        }
    }
}
