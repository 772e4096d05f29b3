//! records: one row per counted line, with typed fields; the outputs
//! (`render::records`) encode them as CSV or JSON Lines, streamed in file
//! order.

use crate::parse::Record;
use crate::parse::time::rfc3339_into;
use crate::status::{CLASS_NAMES as CLASSES, class_index};
use crate::text::escape_into;
use crate::zone::Zone;
use std::fmt::Write as _;

/// Columns, in contract order; new columns go at the end.
pub const COLUMNS: [&str; 21] = [
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
    "host",
    "upstream_status",
    "flags",
];

/// The typed fields of one record, in [`COLUMNS`] order, borrowing from
/// the record and from `sc` (reused between calls, so building a record's
/// fields allocates nothing once its buffers have grown).
pub fn fields<'a>(
    sc: &'a mut Scratch,
    file: &'a str,
    line: u64,
    r: &'a Record,
    route: &'a [u8],
    zone: &Zone,
) -> [(&'static str, Field<'a>); 21] {
    let Scratch { time, status, rt, ut, ups } = sc;
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
    ups.clear();
    if let Some(s) = r.upstream_status {
        let _ = write!(ups, "{s}");
    }
    [
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
        ("host", Field::Bytes(r.vhost)),
        ("upstream_status", if ups.is_empty() { Field::Null } else { Field::Raw(ups) }),
        ("flags", Field::Bytes(r.flags)),
    ]
}

/// Buffers reused from one record to the next.
#[derive(Default)]
pub struct Scratch {
    time: String,
    status: String,
    rt: String,
    ut: String,
    ups: String,
}

/// Microseconds as seconds with three decimals (`0.120`), as nginx logs them.
fn seconds(us: Option<u64>, out: &mut String) {
    out.clear();
    if let Some(us) = us {
        let _ = write!(out, "{}.{:03}", us / 1_000_000, us % 1_000_000 / 1_000);
    }
}

/// One field of a record, typed for the outputs.
pub enum Field<'a> {
    /// Text logstat made (file name, method, class, time).
    Str(&'a str),
    /// Bytes from the log (escaped when written).
    Bytes(&'a [u8]),
    /// A count.
    Num(u64),
    /// Text written as is in both formats (digits).
    Raw(&'a str),
    /// `-` in CSV, `null` in JSON.
    Dash,
    /// No value: empty in CSV, `null` in JSON.
    Null,
}

impl Field<'_> {
    /// The field as escaped text (`-` for a dash, nothing for null).
    pub fn text(&self, out: &mut String) {
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
