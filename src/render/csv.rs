//! CSV (RFC 4180, via the `csv` crate), one table per file or stream.
//!
//! Cells that a spreadsheet would run as a formula — text starting with `=`,
//! `+`, `-`, `@`, tab or carriage return that is not a lone `-` or a number —
//! get a leading `'` unless `--raw-csv` is given (OWASP's advice for CSV
//! injection). Log text is already escaped, so no cell holds control bytes.

use std::io::Write;

use crate::report::{Cell, Table};

/// Write a table as CSV with a header; `raw` leaves formula-looking cells as they are.
pub fn write_table(table: &Table, out: &mut dyn Write, raw: bool) -> std::io::Result<()> {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(out);
    w.write_record(&table.columns).map_err(io_error)?;
    let mut row = Vec::new();
    for r in &table.rows {
        row.clear();
        row.extend(r.iter().map(|c| cell(c, raw)));
        w.write_record(&row).map_err(io_error)?;
    }
    w.flush()?;
    Ok(())
}

/// The I/O error inside a CSV error, with its kind kept (a closed pipe must
/// stay `BrokenPipe`, which exits 0), or the CSV error itself.
fn io_error(e: csv::Error) -> std::io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => io,
        other => std::io::Error::other(format!("{other:?}")),
    }
}

fn cell(c: &Cell, raw: bool) -> String {
    match c {
        Cell::Text(s) if !raw => neutralize(s),
        c => c.render(),
    }
}

/// Whether a spreadsheet would evaluate this text as a formula.
pub fn is_formula(s: &str) -> bool {
    let risky = matches!(s.as_bytes().first(), Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r'));
    risky && s != "-" && s.parse::<f64>().is_err()
}

/// Prefix `'` to text a spreadsheet would evaluate.
pub fn neutralize(s: &str) -> String {
    if is_formula(s) { format!("'{s}") } else { s.to_string() }
}

/// Append one CSV field (quoted when needed) to `out`.
pub fn push_field(out: &mut Vec<u8>, s: &str) {
    if s.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        out.push(b'"');
        for b in s.bytes() {
            if b == b'"' {
                out.push(b'"');
            }
            out.push(b);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(s.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injection_is_neutralized() {
        assert_eq!(neutralize("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralize("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralize("-"), "-");
        assert_eq!(neutralize("-12.5"), "-12.5");
        assert_eq!(neutralize("/ok"), "/ok");
    }

    #[test]
    fn quoting() {
        let mut v = Vec::new();
        push_field(&mut v, "a,\"b\"");
        assert_eq!(v, b"\"a,\"\"b\"\"\"");
    }
}
