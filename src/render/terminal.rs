//! The terminal view: headings, aligned lines, bars, colour by status class.
//! Colour only when the caller decided so (a terminal, no NO_COLOR).

use std::io::Write;

use crate::report::{Block, Span, SparkLabel, Tone, View};
use crate::status::Class;

/// A terminal writer: styles, width and the views of reports.
pub struct Term<'w> {
    out: &'w mut dyn Write,
    color: bool,
    width: usize,
}

const RESET: &str = "\x1b[0m";
const CLASS_COLORS: [&str; 6] = ["\x1b[36m", "\x1b[32m", "\x1b[34m", "\x1b[33m", "\x1b[31m", "\x1b[35m"];

impl<'w> Term<'w> {
    /// A writer for `out`, with colour or not, `width` columns wide (clamped to 40–400).
    pub fn new(out: &'w mut dyn Write, color: bool, width: usize) -> Self {
        Term { out, color, width: width.clamp(40, 400) }
    }

    fn styled(&mut self, style: &str, s: &str) -> std::io::Result<()> {
        if self.color { writeln!(self.out, "{style}{s}{RESET}") } else { writeln!(self.out, "{s}") }
    }

    /// A bold heading line.
    pub fn heading(&mut self, s: &str) -> std::io::Result<()> {
        self.styled("\x1b[1m", s)
    }

    /// A plain line.
    pub fn line(&mut self, s: &str) -> std::io::Result<()> {
        writeln!(self.out, "{s}")
    }

    /// A dim line.
    pub fn dim(&mut self, s: &str) -> std::io::Result<()> {
        self.styled("\x1b[2m", s)
    }

    /// A warning line (yellow).
    pub fn warn(&mut self, s: &str) -> std::io::Result<()> {
        self.styled("\x1b[33m", s)
    }

    /// An empty line.
    pub fn blank(&mut self) -> std::io::Result<()> {
        writeln!(self.out)
    }

    /// A line coloured by status class (2xx plain).
    pub fn class_line(&mut self, s: &str, class: Class) -> std::io::Result<()> {
        let style = CLASS_COLORS[class.index()];
        if class == Class::Success { self.line(s) } else { self.styled(style, s) }
    }

    /// A line in a tone.
    fn toned(&mut self, tone: Tone, s: &str) -> std::io::Result<()> {
        match tone {
            Tone::Plain => self.line(s),
            Tone::Heading => self.heading(s),
            Tone::Dim => self.dim(s),
            Tone::Warn => self.warn(s),
            Tone::Class(c) => self.class_line(s, c),
        }
    }

    /// A horizontal bar for a fraction 0..=1, `width` cells wide.
    pub fn bar(&self, frac: f64, width: usize, class: Class) -> String {
        let cells = (frac.clamp(0.0, 1.0) * width as f64 * 8.0).round() as usize;
        let mut s: String = "█".repeat(cells / 8);
        if !cells.is_multiple_of(8) {
            s.push(['▏', '▎', '▍', '▌', '▋', '▊', '▉'][cells % 8 - 1]);
        }
        if self.color && !s.is_empty() { format!("{}{s}{RESET}", CLASS_COLORS[class.index()]) } else { s }
    }

    /// Write a report's view.
    pub fn view(&mut self, v: &View) -> std::io::Result<()> {
        for b in &v.blocks {
            match b {
                Block::Blank => self.blank()?,
                Block::Line { tone, spans } => {
                    let mut s = String::new();
                    for sp in spans {
                        match sp {
                            Span::Text(t) => s.push_str(t),
                            Span::Bar { frac, width, class } => s.push_str(&self.bar(*frac, *width, *class)),
                        }
                    }
                    self.toned(*tone, &s)?;
                }
                Block::Spark { values, label, tone } => {
                    let width = self.width.saturating_sub(12).max(20);
                    for (i, part) in values.chunks(width).enumerate() {
                        let end = match label {
                            SparkLabel::From(l) => format!("from {}", l.get(i * width).map_or("", String::as_str)),
                            SparkLabel::Fixed(l) => l.clone(),
                        };
                        self.toned(*tone, &format!("  {}  {end}", sparkline(part)))?;
                    }
                }
            }
        }
        Ok(())
    }
}

const SPARK: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// One sparkline character per value, scaled to the maximum.
pub fn sparkline(values: &[u64]) -> String {
    let max = values.iter().copied().max().unwrap_or(0);
    values.iter().map(|&v| if max == 0 || v == 0 { ' ' } else { SPARK[(v * 7).div_ceil(max) as usize] }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        let mut v = Vec::new();
        let t = Term::new(&mut v, false, 80);
        assert_eq!(t.bar(0.5, 4, Class::Success), "██");
        assert_eq!(sparkline(&[0, 1, 7]), " ▂█");
    }
}
