//! Line parsing: a compiled [`LogFormat`] applied to one line of bytes.
//!
//! Nothing here allocates: a [`Record`] borrows from the line, numbers are
//! parsed once, and a line that does not fit is a [`Malformed`] with a reason.

mod aws;
mod clf;
pub mod detect;
pub mod find;
mod haproxy;
pub mod json;
pub mod record;
pub mod request;
pub mod route;
pub mod time;
mod w3c;

use memchr::memchr;

use crate::format::{CLF_START_OPS, COMBINED_OPS, End, Field, LogFormat, Op, Syntax, Unit};
pub use record::Record;
use time::parse_clf;

/// Why a line was not parsed. Order is the order reports list them in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reason {
    /// An empty or whitespace-only line.
    Blank,
    /// A quoted field never closed.
    UnclosedQuote,
    /// No timestamp where the format has one.
    MissingTimestamp,
    /// A timestamp that cannot be read.
    BadTimestamp,
    /// A status that is not a number or `-`.
    BadStatus,
    /// A size that is not a number or `-`.
    BadBytes,
    /// The line does not have the format's shape.
    Mismatch,
    /// Longer than the line limit (16 MiB).
    TooLong,
    /// A W3C directive (`#Fields:`, `#Version:`): a header line, not a request.
    Directive,
}

impl Reason {
    /// Every reason, in report order.
    pub const ALL: [Reason; 9] = [
        Reason::Blank,
        Reason::UnclosedQuote,
        Reason::MissingTimestamp,
        Reason::BadTimestamp,
        Reason::BadStatus,
        Reason::BadBytes,
        Reason::Mismatch,
        Reason::TooLong,
        Reason::Directive,
    ];

    /// The reason's name in reports (`unclosed-quote`).
    pub fn name(self) -> &'static str {
        match self {
            Reason::Blank => "blank",
            Reason::UnclosedQuote => "unclosed-quote",
            Reason::MissingTimestamp => "missing-timestamp",
            Reason::BadTimestamp => "bad-timestamp",
            Reason::BadStatus => "bad-status",
            Reason::BadBytes => "bad-bytes",
            Reason::Mismatch => "format-mismatch",
            Reason::TooLong => "too-long",
            Reason::Directive => "directive",
        }
    }

    /// Index into per-reason counters.
    pub fn index(self) -> usize {
        self as usize
    }
}

/// A line that does not fit the format: why, and the field where it failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Malformed {
    /// Why the line was refused.
    pub reason: Reason,
    /// The field being read, when known.
    pub field: Option<Field>,
}

fn bad(reason: Reason, field: Option<Field>) -> Malformed {
    Malformed { reason, field }
}

/// Strip one trailing `\r` (CRLF files).
#[inline]
pub fn trim_cr(line: &[u8]) -> &[u8] {
    match line.last() {
        Some(b'\r') => &line[..line.len() - 1],
        _ => line,
    }
}

/// Parse one line (without its `\n`) with `fmt`.
pub fn parse_line<'a>(fmt: &LogFormat, line: &'a [u8]) -> Result<Record<'a>, Malformed> {
    let mut rec = Record::empty();
    parse_into(fmt, line, &mut rec)?;
    Ok(rec)
}

/// [`parse_line`] into `rec`, which must be [`Record::empty`]: the line
/// loop keeps the record in its own frame instead of moving a returned one
/// (the copy was 4% of a run). On an error `rec` holds a partial record.
pub fn parse_into<'a>(fmt: &LogFormat, line: &'a [u8], rec: &mut Record<'a>) -> Result<(), Malformed> {
    let line = trim_cr(line);
    // Only lines that start with white space can be blank: no full scan.
    if line.first().is_none_or(|&b| b == b' ' || b == b'\t') && line.iter().all(|&b| b == b' ' || b == b'\t') {
        return Err(bad(Reason::Blank, None));
    }
    if !matches!(fmt.syntax, Syntax::Template) {
        *rec = parse_special(fmt, line)?;
        return Ok(());
    }
    if !fmt.method_known {
        rec.method = Some(b"-");
    }
    let (pos, skip) = match fmt.clf_start.then(|| clf::prefix::<false>(line, rec)).flatten() {
        Some(p) if fmt.combined_start => match clf::agent_tail::<false>(line, p, rec) {
            Some(p) => (p, COMBINED_OPS),
            None => (p, CLF_START_OPS),
        },
        Some(p) => (p, CLF_START_OPS),
        None if !fmt.head.is_empty() => (parse_head(fmt, line, rec)?, 0),
        None => (tag_before_bracket(fmt, line), 0),
    };
    parse_rest(fmt, line, pos, skip, rec)
}

/// Parse the line at the start of `data`, which runs on past it (the rest
/// of a chunk), into `rec` ([`Record::empty`]): the line's length without
/// its `\n`, and what [`parse_into`] gives for that line (with lines over
/// [`MAX_LINE_BYTES`] bytes refused as too long, whatever they hold).
///
/// The CLF family's start is read straight from `data`, finding the line's
/// end on the way (`clf`), so a line's bytes are read once rather than once
/// for its end and again for its fields (the search for `\n` alone was ~10%
/// of a one-thread run). Anything else finds the end first and goes to
/// [`parse_into`], which the fast path agrees with on every line it takes
/// (`tests::parse_next_agrees`).
#[inline]
pub fn parse_next<'a>(fmt: &LogFormat, data: &'a [u8], rec: &mut Record<'a>) -> (usize, Result<(), Malformed>) {
    if fmt.clf_start
        && fmt.method_known
        && matches!(fmt.syntax, Syntax::Template)
        && let Some(done) = parse_open(fmt, data, rec)
    {
        return done;
    }
    *rec = Record::empty();
    let len = find::find1(data, b'\n').unwrap_or(data.len());
    let line = &data[..len];
    if len > MAX_LINE_BYTES {
        return (len, Err(bad(Reason::TooLong, None)));
    }
    (len, parse_into(fmt, line, rec))
}

/// The fast path of [`parse_next`]: `None` when the CLF start does not fit
/// (`rec` may then hold part of the line).
#[inline(always)]
fn parse_open<'a>(fmt: &LogFormat, data: &'a [u8], rec: &mut Record<'a>) -> Option<(usize, Result<(), Malformed>)> {
    let p = clf::prefix::<true>(data, rec)?;
    let (pos, skip) = match fmt.combined_start.then(|| clf::agent_tail::<true>(data, p, rec)).flatten() {
        Some(p) => (p, COMBINED_OPS),
        None => (p, CLF_START_OPS),
    };
    // What is left of the line: nothing, or a few fields after the agent.
    let len = pos + find::find1(&data[pos..], b'\n').unwrap_or(data.len() - pos);
    if len > MAX_LINE_BYTES {
        *rec = Record::empty();
        return Some((len, Err(bad(Reason::TooLong, None))));
    }
    // `pos` is inside the line or at its end (before a trimmed `\r`).
    let line = trim_cr(&data[..len]);
    if fmt.timed_tail && skip == COMBINED_OPS && timed_tail(&line[pos..], rec).is_some() {
        rec.rest = &line[line.len()..];
        return Some((len, Ok(())));
    }
    Some((len, parse_rest(fmt, line, pos, skip, rec)))
}

/// ` $request_time $upstream_response_time` to the end of the line, each a
/// lone time in seconds or `-`; `None` (fields untouched) for anything
/// else — an upstream list, a bad value — which the template reads.
#[inline(always)]
fn timed_tail(rest: &[u8], rec: &mut Record<'_>) -> Option<()> {
    let r = rest.strip_prefix(b" ")?;
    let sp = r.iter().position(|&b| b == b' ')?;
    let request = parse_duration(&r[..sp], Unit::Seconds)?;
    let upstream = parse_duration(&r[sp + 1..], Unit::Seconds)?;
    (rec.request_time_us, rec.upstream_time_us) = (request, upstream);
    Some(())
}

/// Lines longer than this are counted malformed (`too-long`) without being
/// parsed, on every input path, so no line can make logstat buffer without
/// bound. Real access-log lines are far shorter (nginx caps headers at a few KiB).
pub const MAX_LINE_BYTES: usize = 16 << 20;

/// The format's ops from number `skip` on, from byte `pos` of `line`.
#[inline(always)]
fn parse_rest<'a>(
    fmt: &LogFormat,
    line: &'a [u8],
    mut pos: usize,
    skip: usize,
    rec: &mut Record<'a>,
) -> Result<(), Malformed> {
    let mut ops = fmt.ops()[skip..].iter();
    while let Some(op) = ops.next() {
        match op {
            Op::Lit(l) => {
                if !starts_with(&line[pos..], l) {
                    match bare_dash(line, pos, l, &mut ops, rec) {
                        Some(p) => {
                            pos = p;
                            continue;
                        }
                        None => return Err(bad(Reason::Mismatch, None).or_field(fmt, op)),
                    }
                }
                pos += l.len();
            }
            Op::Field(fd, end) => {
                let stop = match end {
                    End::Quote(next) => {
                        closing_quote(line, pos, next.as_deref()).ok_or(bad(Reason::UnclosedQuote, Some(*fd)))?
                    }
                    End::Bracket => {
                        pos + find::find1(&line[pos..], b']').ok_or(bad(Reason::BadTimestamp, Some(*fd)))?
                    }
                    End::Byte(b) => find::find1(&line[pos..], *b).map_or(line.len(), |e| pos + e),
                    End::List => list_end(line, pos),
                };
                set_field(rec, *fd, &line[pos..stop])?;
                pos = stop;
            }
        }
    }
    if pos < line.len() && line[pos] != b' ' && line[pos] != b'\t' {
        return Err(bad(Reason::Mismatch, fmt.last_field()));
    }
    rec.rest = &line[pos..];
    Ok(())
}

/// The formats with a grammar of their own.
#[inline(never)]
fn parse_special<'a>(fmt: &LogFormat, line: &'a [u8]) -> Result<Record<'a>, Malformed> {
    match &fmt.syntax {
        Syntax::Json(k) => json::parse(k, line),
        Syntax::W3c(c) => w3c::parse(c, line),
        Syntax::Alb => aws::parse(line, false),
        Syntax::Elb => aws::parse(line, true),
        Syntax::Haproxy => haproxy::parse(line),
        Syntax::Template => unreachable!("templates are parsed by parse_line"),
    }
}

/// Where a headless template starting with `[` begins: after one tag
/// before the bracketed time (Ambassador's `ACCESS [2024-…`), else 0.
#[cold]
fn tag_before_bracket(fmt: &LogFormat, line: &[u8]) -> usize {
    if line.first() != Some(&b'[')
        && matches!(fmt.ops().first(), Some(Op::Lit(l)) if l.first() == Some(&b'['))
        && let Some(sp) = line.iter().take(32).position(|&b| b == b' ')
        && line.get(sp + 1) == Some(&b'[')
    {
        return sp + 1;
    }
    0
}

/// An empty quoted field written as a bare `-` (Traefik writes its empty
/// referrer so): literal `l` without its closing quote, `-`, and the next
/// literal without its opening one. Consumes the field and that literal
/// from `ops`; returns the position after them.
#[cold]
fn bare_dash<'a>(
    line: &'a [u8],
    pos: usize,
    l: &[u8],
    ops: &mut std::slice::Iter<'_, Op>,
    rec: &mut Record<'a>,
) -> Option<usize> {
    let open = l.strip_suffix(b"\"")?;
    let dash = pos + open.len();
    if !starts_with(&line[pos..], open) || line.get(dash) != Some(&b'-') {
        return None;
    }
    let mut ahead = ops.clone();
    let (Some(Op::Field(fd, End::Quote(_))), Some(Op::Lit(next))) = (ahead.next(), ahead.next()) else {
        return None;
    };
    let close = next.strip_prefix(b"\"")?;
    if !starts_with(&line[dash + 1..], close) {
        return None;
    }
    set_field(rec, *fd, &line[dash..dash + 1]).ok()?;
    *ops = ahead;
    Some(dash + 1 + close.len())
}

impl Malformed {
    /// Name the field a literal guards (the one after it, else before it).
    fn or_field(mut self, fmt: &LogFormat, op: &Op) -> Malformed {
        self.field = fmt.field_near(op);
        self
    }
}

/// A client address without its port (`1.2.3.4:80`, `[::1]:80`).
fn strip_port(v: &[u8]) -> &[u8] {
    if let Some(rest) = v.strip_prefix(b"[") {
        return match memchr::memchr(b']', rest) {
            Some(e) => &rest[..e],
            None => v,
        };
    }
    match memchr::memrchr(b':', v) {
        Some(c) if memchr::memchr(b':', &v[..c]).is_none() && v[c + 1..].iter().all(u8::is_ascii_digit) => &v[..c],
        _ => v,
    }
}

/// `a.starts_with(b)` for the short literals of a format, without a call
/// into libc's memcmp.
#[inline(always)]
fn starts_with(a: &[u8], b: &[u8]) -> bool {
    a.len() >= b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

/// The space-separated fields before `[time]`, matched from the right.
fn parse_head<'a>(fmt: &LogFormat, line: &'a [u8], rec: &mut Record<'a>) -> Result<usize, Malformed> {
    // The time bracket: the first '[' followed by a digit.
    let mut br = None;
    let mut from = 0;
    while let Some(p) = find::find1(&line[from..], b'[') {
        let p = from + p;
        if line.get(p + 1).is_some_and(u8::is_ascii_digit) {
            br = Some(p);
            break;
        }
        from = p + 1;
    }
    let br = br.ok_or(bad(Reason::MissingTimestamp, Some(Field::TimeLocal)))?;
    if br == 0 || line[br - 1] != b' ' {
        return Err(bad(Reason::Mismatch, fmt.head.last().copied()));
    }
    let mut end = br - 1;
    for (k, fd) in fmt.head.iter().enumerate().rev() {
        let start = match line[..end].iter().rposition(|&c| c == b' ') {
            Some(sp) => sp + 1,
            None if k == 0 => 0,
            None => return Err(bad(Reason::Mismatch, Some(*fd))),
        };
        let tok = &line[start..end];
        if *fd == Field::VhostPort && memchr(b':', tok).is_none() {
            return Err(bad(Reason::Mismatch, Some(*fd)));
        }
        set_field(rec, *fd, tok)?;
        if k > 0 {
            end = start - 1;
        }
    }
    Ok(br)
}

/// The end of a quoted field: the first unescaped `"` after which the line
/// continues as the format says (the next literal, or space/end of line).
/// Backslash escapes the next byte (Apache's `\"` and `\\`); nginx writes
/// `"` as `\x22`, so both styles end at the same place. Trying later quotes
/// when the first does not fit recovers fields with raw, unescaped quotes.
fn closing_quote(line: &[u8], i: usize, next: Option<&[u8]>) -> Option<usize> {
    quote_end::<false>(line, i, next)
}

/// [`closing_quote`]; with `OPEN`, `line` runs on past the line's end (the
/// rest of a chunk, see [`parse_next`]): the search stops at a `\n` with
/// `None`, and so does a field that fits nowhere (where `closing_quote`
/// gives the first quote, which its callers in `clf` refuse anyway).
#[inline(always)]
pub(super) fn quote_end<const OPEN: bool>(line: &[u8], mut i: usize, next: Option<&[u8]>) -> Option<usize> {
    let mut first = None;
    loop {
        let found =
            if OPEN { find::find3(&line[i..], b'"', b'\\', b'\n') } else { find::find2(&line[i..], b'"', b'\\') };
        let Some(off) = found else { break };
        let j = i + off;
        match line[j] {
            b'"' => {}
            b'\\' => {
                if OPEN && line.get(j + 1) == Some(&b'\n') {
                    return None;
                }
                i = j + 2;
                if i > line.len() {
                    break;
                }
                continue;
            }
            _ => return None,
        }
        first.get_or_insert(j);
        let fits = match next {
            Some(l) => {
                starts_with(&line[j..], l) && (l.len() > 1 || ends_at::<OPEN>(line, j + 1) || line[j + 1] == b' ')
            }
            None => true,
        };
        if fits {
            return Some(j);
        }
        i = j + 1;
    }
    if OPEN { None } else { first }
}

/// Whether the line ends at `i` (`i <= line.len()`): at the end of `line`,
/// or with `OPEN` (`line` runs on into the next line) at a `\n` or at the
/// `\r` of `\r\n` (one `\r` is trimmed, as [`trim_cr`]).
#[inline(always)]
pub(super) fn ends_at<const OPEN: bool>(line: &[u8], i: usize) -> bool {
    i == line.len()
        || OPEN
            && match line[i] {
                b'\n' => true,
                b'\r' => line.get(i + 1).is_none_or(|&c| c == b'\n'),
                _ => false,
            }
}

#[inline(always)]
fn set_field<'a>(rec: &mut Record<'a>, fd: Field, v: &'a [u8]) -> Result<(), Malformed> {
    match fd {
        Field::VhostPort => rec.vhost = v,
        Field::Client => rec.client = v,
        Field::Ident => rec.ident = v,
        Field::User => rec.user = v,
        Field::TimeLocal => {
            rec.time = Some(parse_clf(v).map_err(|_| bad(Reason::BadTimestamp, Some(fd)))?);
        }
        Field::Request => {
            rec.request = v;
            let (m, t, p) = request::split(v);
            rec.method = m;
            rec.target = t;
            rec.protocol = p;
        }
        Field::Status => rec.status = parse_status(v).ok_or(bad(Reason::BadStatus, Some(fd)))?,
        Field::Bytes => rec.bytes = parse_bytes(v).ok_or(bad(Reason::BadBytes, Some(fd)))?,
        Field::RequestLength => {
            rec.request_length =
                if v == b"-" { None } else { Some(parse_bytes(v).ok_or(bad(Reason::BadBytes, Some(fd)))?) }
        }
        Field::Referer => rec.referrer = v,
        Field::UserAgent => rec.user_agent = v,
        Field::Host => rec.vhost = v,
        Field::Method => rec.method = (!v.is_empty() && v.iter().all(u8::is_ascii_uppercase)).then_some(v),
        Field::Target => rec.target = v,
        Field::Protocol => rec.protocol = v,
        Field::TimeIso8601 => {
            rec.time = Some(time::parse_iso8601(v).ok_or(bad(Reason::BadTimestamp, Some(fd)))?);
        }
        Field::Msec => rec.time = Some(time::parse_msec(v).ok_or(bad(Reason::BadTimestamp, Some(fd)))?),
        Field::Duration(unit) => {
            rec.request_time_us = parse_duration(v, unit).ok_or(bad(Reason::Mismatch, Some(fd)))?
        }
        Field::UpstreamTime => rec.upstream_time_us = parse_upstream(v).ok_or(bad(Reason::Mismatch, Some(fd)))?,
        Field::Flags => rec.flags = v,
        Field::Opaque | Field::OpaqueList => {}
    }
    Ok(())
}

/// The end of a list value: tokens joined by `, ` or ` : `.
fn list_end(line: &[u8], pos: usize) -> usize {
    let token_end = |p: usize| line[p..].iter().position(|&b| b == b' ' || b == b',').map_or(line.len(), |e| p + e);
    let mut end = token_end(pos);
    loop {
        let rest = &line[end..];
        let sep = if rest.starts_with(b", ") {
            2
        } else if rest.starts_with(b" : ") {
            3
        } else {
            return end;
        };
        let next = end + sep;
        if next >= line.len() || line[next] == b' ' {
            return end;
        }
        end = token_end(next);
    }
}

/// A duration in `unit`, as microseconds; `-` is none.
#[inline]
fn parse_duration(v: &[u8], unit: Unit) -> Option<Option<u64>> {
    // nginx writes its times in seconds with three decimals (`0.754`):
    // read those without the general loop's branches per digit.
    let n = v.len();
    if unit == Unit::Seconds && (5..=16).contains(&n) && v[n - 4] == b'.' {
        let d = |b: u8| b.wrapping_sub(b'0') as u64;
        let (a, b, c) = (d(v[n - 3]), d(v[n - 2]), d(v[n - 1]));
        let mut ok = a.max(b).max(c) < 10;
        let mut whole = 0u64;
        for &x in &v[..n - 4] {
            ok &= d(x) < 10;
            whole = whole.wrapping_mul(10).wrapping_add(d(x));
        }
        if ok {
            return Some(Some(whole * 1_000_000 + (a * 100 + b * 10 + c) * 1_000));
        }
    }
    parse_duration_any(v, unit)
}

/// [`parse_duration`] for any number of decimals.
fn parse_duration_any(v: &[u8], unit: Unit) -> Option<Option<u64>> {
    if v == b"-" {
        return Some(None);
    }
    // Digits of the unit's fraction that reach microseconds.
    let places = match unit {
        Unit::Seconds => 6,
        Unit::Millis => 3,
        Unit::Micros => 0,
    };
    let mut whole = 0u64;
    let mut i = 0;
    while i < v.len() && v[i].is_ascii_digit() {
        whole = whole * 10 + (v[i] - b'0') as u64;
        i += 1;
    }
    if i == 0 || i > 12 {
        return None;
    }
    let mut f = 0u64;
    let mut taken = 0;
    if i < v.len() {
        if v[i] != b'.' {
            return None;
        }
        for &d in &v[i + 1..] {
            if !d.is_ascii_digit() {
                return None;
            }
            if taken < places {
                f = f * 10 + (d - b'0') as u64;
                taken += 1;
            }
        }
    }
    const POW10: [u64; 7] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000];
    Some(Some(whole * POW10[places] + f * POW10[places - taken]))
}

/// Sum of an upstream time list (`0.002, 0.118 : 0.010`); `-` entries are
/// skipped; all `-` is none.
fn parse_upstream(v: &[u8]) -> Option<Option<u64>> {
    // Most lines hold one upstream: a lone token (or `-`) parses as itself,
    // and anything parse_duration refuses holds a separator or is bad.
    if let Some(one) = parse_duration(v, Unit::Seconds) {
        return Some(one);
    }
    let mut sum = None::<u64>;
    for tok in v.split(|&b| b == b',' || b == b':' || b == b' ').filter(|t| !t.is_empty()) {
        if let Some(us) = parse_duration(tok, Unit::Seconds)? {
            sum = Some(sum.unwrap_or(0).saturating_add(us));
        }
    }
    Some(sum)
}

/// `-` is no status (Apache, aborted requests); otherwise 1–9 digits.
fn parse_status(v: &[u8]) -> Option<Option<u32>> {
    if v == b"-" {
        return Some(None);
    }
    if v.is_empty() || v.len() > 9 || !v.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(Some(v.iter().fold(0u32, |n, &d| n * 10 + (d - b'0') as u32)))
}

/// `-` is 0 bytes; otherwise digits (saturating at u64::MAX).
fn parse_bytes(v: &[u8]) -> Option<u64> {
    if v == b"-" {
        return Some(0);
    }
    if v.is_empty() || !v.iter().all(u8::is_ascii_digit) {
        return None;
    }
    if v.len() <= 19 {
        // 19 digits fit in a u64: no need to saturate.
        return Some(v.iter().fold(0u64, |n, &d| n * 10 + (d - b'0') as u64));
    }
    Some(v.iter().fold(0u64, |n, &d| n.saturating_mul(10).saturating_add((d - b'0') as u64)))
}

#[cfg(test)]
mod tests;
