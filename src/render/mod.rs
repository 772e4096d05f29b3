//! Output formats. Every machine format renders any [`Table`](crate::report::Table);
//! the terminal has its own views per report.

pub mod csv;
pub mod html;
pub mod json;
pub mod parquet;
pub mod records;
pub mod terminal;
