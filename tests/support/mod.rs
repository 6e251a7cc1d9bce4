//! Shared helpers for integration tests: the real binary in a clean
//! environment, and small readers for its CSV outputs.
#![allow(dead_code)] // each test binary uses a different subset

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// `runlens` with a cleaned environment and UTC, so results cannot depend on
/// the machine running the tests.
pub fn runlens() -> Command {
    let mut cmd = Command::cargo_bin("runlens").expect("binary built");
    cmd.env_clear().env("TZ", "UTC").env("NO_COLOR", "1");
    cmd
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// Rows of a CSV file as string vectors (header first).
pub fn read_csv(path: &Path) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_path(path).expect("csv exists");
    reader.records().map(|r| r.expect("valid csv").iter().map(str::to_owned).collect()).collect()
}

/// The values of one column (by header name), header excluded.
pub fn column(rows: &[Vec<String>], name: &str) -> Vec<String> {
    let i = rows[0].iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"));
    rows[1..].iter().map(|r| r[i].clone()).collect()
}
