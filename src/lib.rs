#![warn(missing_docs)]
//! logstat: access-log analytics. The binary is a thin layer over this
//! library; benches and tests use the pieces directly.
//!
//! input → format → parse → filter → stats → engine → report → render (see
//! "Architecture" in README.md; `tests/architecture.rs` keeps it one-way).

pub mod agent;
#[doc(hidden)]
pub mod app;
#[doc(hidden)]
pub mod cli;
#[doc(hidden)]
pub mod config;
pub mod engine;
pub mod error;
pub(crate) mod explain;
pub mod filter;
pub mod format;
pub mod input;
pub(crate) mod live;
pub mod parse;
pub(crate) mod phases;
pub(crate) mod progress;
pub mod render;
pub mod report;
pub mod state;
pub mod stats;
pub mod status;
#[doc(hidden)]
pub mod synth;
pub mod text;
pub(crate) mod threshold;
pub mod units;
pub mod zone;
