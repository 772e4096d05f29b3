//! Typed errors below the CLI; `main` prints each once as `logstat: …`.

use std::path::PathBuf;

/// A problem with one input: printed as `logstat: <path>: <reason>`; the run
/// goes on with the other inputs and exits 1.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{}: {source}", crate::text::escape(path.as_bytes()))]
    Io { path: String, source: std::io::Error },
    #[error("{}: is a directory", crate::text::escape(path.as_bytes()))]
    Directory { path: String },
}

/// A problem with the command line: exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Writing the report failed (a closed pipe is not reported).
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("{}: {source}", crate::text::escape(path.as_os_str().as_encoded_bytes()))]
    File { path: PathBuf, source: std::io::Error },
    #[error(transparent)]
    Io(#[from] std::io::Error),
}
