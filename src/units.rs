//! Units people read and type: counts with separators, byte sizes,
//! milliseconds, percentages and time widths (`5m`, `1h`). A leaf module:
//! it imports nothing from the crate, and every stage may use it.

/// `n` as a percentage of `of` (0 when `of` is 0).
pub fn percent(n: u64, of: u64) -> f64 {
    if of == 0 { 0.0 } else { n as f64 * 100.0 / of as f64 }
}

/// `1234567` → `1,234,567`.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// `1234567` → `1.2 MB` (decimal units).
pub fn human_bytes(b: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut v = b as f64;
    let mut u = 0;
    while v >= 1000.0 && u < UNITS.len() - 1 {
        v /= 1000.0;
        u += 1;
    }
    if u == 0 { format!("{b} B") } else { format!("{v:.1} {}", UNITS[u]) }
}

/// Microseconds as milliseconds for people: three significant digits or
/// more (`1011711` → `1012`, `12345` → `12.3`, `1234` → `1.23`).
pub fn ms_short(us: u64) -> String {
    let v = us as f64 / 1000.0;
    match us {
        100_000.. => format!("{v:.0}"),
        10_000.. => format!("{v:.1}"),
        _ => format!("{v:.2}"),
    }
}

/// Microseconds as milliseconds with three decimals (`1234` → `1.234`).
pub fn ms(us: u64) -> String {
    format!("{}.{:03}", us / 1000, us % 1000)
}

/// The longest width or duration accepted: 366 days.
pub const MAX_WIDTH: i64 = 366 * 86_400;

/// Parse `30s`, `1m`, `5m`, `1h`, `1d`: N followed by s, m, h or d, at most
/// [`MAX_WIDTH`]. Used by `--window` (run and merge) and by the durations of
/// `--since`/`--until`.
pub fn parse_width(s: &str) -> Option<i64> {
    // The unit is the last character, which may be any character at all.
    let unit_at = s.char_indices().last()?.0;
    let (num, unit) = s.split_at(unit_at);
    let n: i64 = num.parse().ok().filter(|n| *n > 0)?;
    let mul = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3_600,
        "d" => 86_400,
        _ => return None,
    };
    n.checked_mul(mul).filter(|w| *w <= MAX_WIDTH)
}

/// `900` → `15m`: a width as the largest whole unit.
pub fn width_text(w: i64) -> String {
    match w {
        w if w % 86_400 == 0 => format!("{}d", w / 86_400),
        w if w % 3_600 == 0 => format!("{}h", w / 3_600),
        w if w % 60 == 0 => format!("{}m", w / 60),
        w => format!("{w}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(human_bytes(999), "999 B");
        assert_eq!(human_bytes(1_234_567), "1.2 MB");
        assert_eq!(ms(0), "0.000");
        assert_eq!(ms(1_234_567), "1234.567");
        assert_eq!(ms_short(12_345), "12.3");
        assert_eq!(percent(1, 0), 0.0);
        assert_eq!(percent(1, 4), 25.0);
    }

    #[test]
    fn widths() {
        assert_eq!(parse_width("5m"), Some(300));
        assert_eq!(parse_width("1d"), Some(86_400));
        assert_eq!(parse_width("90s"), Some(90));
        assert_eq!(parse_width("366d"), Some(MAX_WIDTH));
        assert_eq!(parse_width("367d"), None);
        assert_eq!(parse_width("0m"), None);
        assert_eq!(parse_width("m"), None);
        assert_eq!(parse_width("5x"), None);
        assert_eq!(parse_width("5µ"), None);
        assert_eq!(parse_width("é"), None);
        assert_eq!(parse_width(""), None);
        assert_eq!(width_text(900), "15m");
    }
}
