//! Typed errors below the CLI; `main` prints each once as `logstat: …`.

use std::path::PathBuf;

/// A problem with one input: printed as `logstat: <path>: <reason>`; the run
/// goes on with the other inputs and exits 1.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// Opening or reading failed.
    #[error("{}: {source}", crate::text::escape(path.as_bytes()))]
    Io {
        /// The input's name.
        path: String,
        /// What failed.
        source: std::io::Error,
    },
    /// A directory was named where a log was expected.
    #[error("{}: is a directory", crate::text::escape(path.as_bytes()))]
    Directory {
        /// The input's name.
        path: String,
    },
}

/// A problem with the command line: exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Writing the report failed (a closed pipe is not reported).
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// Creating or writing an output file failed.
    #[error("{}: {source}", crate::text::escape(path.as_os_str().as_encoded_bytes()))]
    File {
        /// The file.
        path: PathBuf,
        /// What failed.
        source: std::io::Error,
    },
    /// Writing to stdout failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}
