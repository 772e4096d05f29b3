//! Helpers for integration tests that drive the real binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub fn logstat() -> Command {
    let mut c = Command::cargo_bin("logstat").expect("binary");
    c.env_remove("NO_COLOR").env("COLUMNS", "100");
    c
}

/// A temporary directory holding the logs a test writes.
pub struct Env {
    pub dir: tempfile::TempDir,
}

impl Env {
    pub fn new() -> Env {
        Env { dir: tempfile::tempdir().expect("tempdir") }
    }

    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, bytes).expect("write");
        p
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

/// Run and return stdout as a string, asserting the exit code.
pub fn stdout_of(cmd: &mut Command, code: i32) -> String {
    let out = cmd.output().expect("run");
    assert_eq!(
        out.status.code(),
        Some(code),
        "stderr: {}\nstdout: {}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// `metric -> value` from a summary CSV.
pub fn summary(csv: &str) -> std::collections::HashMap<String, String> {
    csv.lines().skip(1).filter_map(|l| l.split_once(',')).map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// Parse CSV text into rows of fields.
pub fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
    r.records().map(|x| x.expect("csv").iter().map(str::to_string).collect()).collect()
}

/// ../shared/real-logs, when present.
pub fn real_logs() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/real-logs");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("skipping: ../shared/real-logs is absent");
        None
    }
}

pub const T: &str = "[10/Oct/2023:13:55:36 +0000]";

/// A combined line with the given request, status and bytes.
pub fn line(req: &str, status: &str, bytes: &str) -> String {
    format!("192.0.2.1 - - {T} \"{req}\" {status} {bytes} \"-\" \"test-agent\"\n")
}
