//! Shared helpers for integration tests: the real binary in a clean
//! environment, and small readers for its CSV outputs.
#![allow(dead_code)] // each test binary uses a different subset

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// `runlens` with a cleaned environment and UTC, so results cannot depend on
/// the machine running the tests. Its default cache is [`test_cache`], never
/// the user's: every test also runs through the cache, warm whenever an
/// earlier test (or run) saw the same file, so a cache that changed a result
/// would fail them.
pub fn runlens() -> Command {
    let mut cmd = Command::cargo_bin("runlens").expect("binary built");
    cmd.env_clear().env("TZ", "UTC").env("NO_COLOR", "1").env("XDG_CACHE_HOME", test_cache());
    cmd
}

/// The cache folder the tests share, in the build's own temporary folder.
pub fn test_cache() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("cache-home")
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

/// Whether the tests run in CI, where a check that cannot run must fail.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// The real device files (`$RUNLENS_REALDATA`, with its `reference.csv`).
/// Missing: the test fails in CI (`CI=true`), and elsewhere says on the
/// terminal that it skipped, even when the harness captures test output.
pub fn realdata(test: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("RUNLENS_REALDATA").map(PathBuf::from).filter(|d| d.join("reference.csv").is_file());
    if dir.is_none() {
        let why = "RUNLENS_REALDATA is not set or holds no reference.csv";
        assert!(!in_ci(), "{test}: {why}, and CI is set: the real-data checks must run in CI");
        // Straight to stderr: libtest captures eprintln!, which would hide the skip.
        let _ = std::io::Write::write_all(&mut std::io::stderr(), format!("SKIPPED {test}: {why}\n").as_bytes());
    }
    dir
}
