//! JSON: one object whose keys are report names, each an array of row
//! objects keyed by column. Strings come from escaped log text (`\xHH` for
//! bytes that are not valid UTF-8), so the output is always valid JSON.

use std::io::Write;

use crate::report::{Cell, Table};

/// Write tables as one JSON object keyed by report name, each an array of row objects.
pub fn write_tables(tables: &[Table], out: &mut dyn Write) -> std::io::Result<()> {
    let mut s = String::from("{");
    for (i, t) in tables.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push_str("\n  ");
        push_str(&mut s, t.name);
        s.push_str(": [");
        for (j, row) in t.rows.iter().enumerate() {
            s.push_str(if j > 0 { ",\n    " } else { "\n    " });
            push_row(&mut s, &t.columns, row);
        }
        s.push_str(if t.rows.is_empty() { "]" } else { "\n  ]" });
    }
    s.push_str("\n}\n");
    out.write_all(s.as_bytes())
}

/// Append one row as a JSON object keyed by column.
pub fn push_row(s: &mut String, columns: &[&str], row: &[Cell]) {
    s.push('{');
    for (k, (c, v)) in columns.iter().zip(row).enumerate() {
        if k > 0 {
            s.push(',');
        }
        push_str(s, c);
        s.push(':');
        push_cell(s, v);
    }
    s.push('}');
}

fn push_cell(s: &mut String, c: &Cell) {
    match c {
        Cell::Int(n) => s.push_str(&n.to_string()),
        Cell::Pct(p) => s.push_str(&format!("{p:.2}")),
        Cell::Ms(us) => s.push_str(&crate::units::ms(*us)),
        Cell::Text(t) => push_str(s, t),
        Cell::Null => s.push_str("null"),
    }
}

/// Append `v` as a JSON string literal.
pub fn push_str(s: &mut String, v: &str) {
    s.push('"');
    for ch in v.chars() {
        match ch {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            c if (c as u32) < 0x20 => s.push_str(&format!("\\u{:04x}", c as u32)),
            c => s.push(c),
        }
    }
    s.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped() {
        let mut s = String::new();
        push_str(&mut s, "a\"b\\c\u{1}");
        assert_eq!(s, "\"a\\\"b\\\\c\\u0001\"");
    }
}
