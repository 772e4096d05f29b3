//! The terminal view: headings, aligned lines, bars, colour by status class.
//! Colour only when the caller decided so (a terminal, no NO_COLOR).

use std::io::Write;

pub struct Term<'w> {
    out: &'w mut dyn Write,
    color: bool,
    width: usize,
}

const RESET: &str = "\x1b[0m";
const CLASS_COLORS: [&str; 6] = ["\x1b[36m", "\x1b[32m", "\x1b[34m", "\x1b[33m", "\x1b[31m", "\x1b[35m"];

impl<'w> Term<'w> {
    pub fn new(out: &'w mut dyn Write, color: bool, width: usize) -> Self {
        Term { out, color, width: width.clamp(40, 400) }
    }

    pub fn width(&self) -> usize {
        self.width
    }

    fn styled(&mut self, style: &str, s: &str) -> std::io::Result<()> {
        if self.color { writeln!(self.out, "{style}{s}{RESET}") } else { writeln!(self.out, "{s}") }
    }

    pub fn heading(&mut self, s: &str) -> std::io::Result<()> {
        self.styled("\x1b[1m", s)
    }

    pub fn line(&mut self, s: &str) -> std::io::Result<()> {
        writeln!(self.out, "{s}")
    }

    pub fn dim(&mut self, s: &str) -> std::io::Result<()> {
        self.styled("\x1b[2m", s)
    }

    pub fn warn(&mut self, s: &str) -> std::io::Result<()> {
        self.styled("\x1b[33m", s)
    }

    pub fn blank(&mut self) -> std::io::Result<()> {
        writeln!(self.out)
    }

    /// A line coloured by status class index (0 = 1xx … 5 = other).
    pub fn class_line(&mut self, s: &str, class: usize) -> std::io::Result<()> {
        let style = CLASS_COLORS[class.min(5)];
        if class == 1 { self.line(s) } else { self.styled(style, s) }
    }

    /// A horizontal bar for a fraction 0..=1, `width` cells wide.
    pub fn bar(&self, frac: f64, width: usize, class: usize) -> String {
        let cells = (frac.clamp(0.0, 1.0) * width as f64 * 8.0).round() as usize;
        let mut s: String = "█".repeat(cells / 8);
        if !cells.is_multiple_of(8) {
            s.push(['▏', '▎', '▍', '▌', '▋', '▊', '▉'][cells % 8 - 1]);
        }
        if self.color && !s.is_empty() { format!("{}{s}{RESET}", CLASS_COLORS[class.min(5)]) } else { s }
    }

    /// `s` cut to `max` characters with an ellipsis.
    pub fn clip(&self, s: &str, max: usize) -> String {
        if s.chars().count() <= max { s.to_string() } else { s.chars().take(max - 1).chain(['…']).collect() }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(1_234_567), "1,234,567");
        let mut v = Vec::new();
        let t = Term::new(&mut v, false, 80);
        assert_eq!(t.bar(0.5, 4, 1), "██");
        assert_eq!(t.clip("abcdef", 4), "abc…");
    }
}
