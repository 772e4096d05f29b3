//! logstat: access-log analytics. The binary is a thin layer over this
//! library; benches and tests use the pieces directly.
//!
//! input → chunk → parse → stats → report → render (see DESIGN notes in README).

pub mod app;
pub mod cli;
pub mod config;
pub mod engine;
pub mod error;
pub mod explain;
pub mod filter;
pub mod format;
pub mod input;
pub mod parse;
pub mod progress;
pub mod render;
pub mod report;
pub mod state;
pub mod stats;
pub mod status;
pub mod synth;
pub mod text;
pub mod threshold;
pub mod units;
pub mod zone;
