//! The report model: what every report produces and every output renders.
//! A [`Table`] of typed cells for machines (CSV, JSON, and the HTML page's
//! tables) and a [`View`] for people: lines of text with a tone, bars and
//! sparklines described as data. Nothing here knows any output.

use crate::status::Class;

/// One value in a table.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// A count.
    Int(u64),
    /// A percentage, shown with two decimals.
    Pct(f64),
    /// Microseconds, shown as milliseconds with three decimals.
    Ms(u64),
    /// Already-escaped text.
    Text(String),
    /// No value (an empty CSV field, JSON `null`).
    Null,
}

impl Cell {
    /// A text cell.
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    /// Escaped text from log bytes.
    pub fn bytes(b: &[u8]) -> Cell {
        Cell::Text(crate::text::escape(b))
    }

    /// The cell as text (CSV and the terminal show it so).
    pub fn render(&self) -> String {
        match self {
            Cell::Int(n) => n.to_string(),
            Cell::Pct(p) => format!("{p:.2}"),
            Cell::Ms(us) => crate::units::ms(*us),
            Cell::Text(s) => s.clone(),
            Cell::Null => String::new(),
        }
    }
}

/// A report's data: named columns (the CSV contract) and rows of cells.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// The report's name (`routes`), used for file names and JSON keys.
    pub name: &'static str,
    /// Column names, in contract order.
    pub columns: Vec<&'static str>,
    /// Rows, each with one cell per column.
    pub rows: Vec<Vec<Cell>>,
}

/// How a line of a [`View`] is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    /// Plain text.
    Plain,
    /// A section heading.
    Heading,
    /// Secondary text (column heads, "… more" notes).
    Dim,
    /// Something the reader should not miss (pruned routes, gaps).
    Warn,
    /// Coloured by a status class (2xx shown plain).
    Class(Class),
}

/// A piece of a line.
#[derive(Clone, Debug, PartialEq)]
pub enum Span {
    /// Already-escaped text.
    Text(String),
    /// A horizontal bar for a fraction 0..=1, `width` cells wide, coloured
    /// by `class`.
    Bar {
        /// The fraction filled.
        frac: f64,
        /// Cells for the whole bar.
        width: usize,
        /// Colour.
        class: Class,
    },
}

/// One block of a [`View`].
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// A line of spans.
    Line {
        /// How it is shown.
        tone: Tone,
        /// Its pieces, in order.
        spans: Vec<Span>,
    },
    /// An empty line.
    Blank,
    /// A series as sparklines (one character per value, scaled to the
    /// maximum), wrapped to the output's width; each wrapped row ends with
    /// its label.
    Spark {
        /// The values, in time order.
        values: Vec<u64>,
        /// The label after each row.
        label: SparkLabel,
        /// How the rows are shown.
        tone: Tone,
    },
}

/// What follows each row of a [`Block::Spark`].
#[derive(Clone, Debug, PartialEq)]
pub enum SparkLabel {
    /// `from <label of the row's first value>` (one label per value).
    From(Vec<String>),
    /// The same text after every row.
    Fixed(String),
}

/// A report for people: blocks in reading order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct View {
    /// The blocks, in order.
    pub blocks: Vec<Block>,
}

impl View {
    fn push(&mut self, tone: Tone, s: &str) {
        self.blocks.push(Block::Line { tone, spans: vec![Span::Text(s.to_string())] });
    }

    /// A heading.
    pub fn heading(&mut self, s: &str) {
        self.push(Tone::Heading, s)
    }

    /// A plain line.
    pub fn line(&mut self, s: &str) {
        self.push(Tone::Plain, s)
    }

    /// A secondary line.
    pub fn dim(&mut self, s: &str) {
        self.push(Tone::Dim, s)
    }

    /// A warning line.
    pub fn warn(&mut self, s: &str) {
        self.push(Tone::Warn, s)
    }

    /// A line coloured by status class.
    pub fn class_line(&mut self, s: &str, class: Class) {
        self.push(Tone::Class(class), s)
    }

    /// A plain line of several spans.
    pub fn spans(&mut self, spans: Vec<Span>) {
        self.blocks.push(Block::Line { tone: Tone::Plain, spans });
    }

    /// An empty line.
    pub fn blank(&mut self) {
        self.blocks.push(Block::Blank);
    }

    /// A sparkline series.
    pub fn spark(&mut self, values: Vec<u64>, label: SparkLabel, tone: Tone) {
        self.blocks.push(Block::Spark { values, label, tone });
    }
}
