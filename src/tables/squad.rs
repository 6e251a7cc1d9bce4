//! The squad output's layout, spelled once: where each athlete's output and
//! partition go, and the one rule that turns an athlete's name into a
//! folder name and hive partition value any filesystem and query engine
//! accepts (the Python writer of the same dataset follows it too).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Marks a squad output folder (as `summary.json` marks one athlete's).
pub const SQUAD_CSV: &str = "squad.csv";
pub const SQUAD_HTML: &str = "squad.html";
/// `OUT/athletes/<key>/`: exactly what `runlens analyze` writes for one athlete.
pub const ATHLETES_DIR: &str = "athletes";
/// `OUT/parquet/<table>/athlete=<key>/part-0.parquet`: one hive-partitioned
/// dataset per table for the whole squad.
pub const PARQUET_DIR: &str = "parquet";
pub const ACTIVITIES_DATASET: &str = "activities";
pub const WEEKLY_DATASET: &str = "weekly";
pub const DAILY_DATASET: &str = "daily";
/// The hive partition column.
pub const PARTITION_KEY: &str = "athlete";
pub const PART_FILE: &str = "part-0.parquet";
/// Longest key kept: far below the 255 bytes filesystems allow per name.
pub const MAX_KEY_BYTES: usize = 180;

/// The athlete's name as a folder name and hive value: ASCII letters,
/// digits, `-`, `_` and `.` stay; every other byte of the UTF-8 name
/// (spaces, `/`, `=`, `%`, accents, ...) becomes `%XX` (upper-case hex), as
/// Hive escapes partition values, so Spark, Trino, polars and `DuckDB` read
/// back the name itself. A leading `.` is encoded too: no hidden folders,
/// no `.` or `..`.
pub fn athlete_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len());
    for (i, b) in name.bytes().enumerate() {
        let keep = b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || (b == b'.' && i > 0);
        if keep {
            key.push(char::from(b));
        } else {
            let _ = write!(key, "%{b:02X}");
        }
    }
    key
}

/// The name a key stands for (the inverse of `athlete_key`); `None` for a
/// string `athlete_key` never writes.
pub fn athlete_name(key: &str) -> Option<String> {
    let bytes = key.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = key.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// `OUT/athletes/<key>`.
pub fn athlete_dir(out_dir: &Path, key: &str) -> PathBuf {
    out_dir.join(ATHLETES_DIR).join(key)
}

/// `OUT/parquet/<dataset>/athlete=<key>/part-0.parquet`.
pub fn partition_file(out_dir: &Path, dataset: &str, key: &str) -> PathBuf {
    out_dir.join(PARQUET_DIR).join(dataset).join(format!("{PARTITION_KEY}={key}")).join(PART_FILE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_names_become_safe_keys_and_come_back() {
        let cases = [
            ("ann", "ann"),
            ("Ann Lee", "Ann%20Lee"),
            ("a/b", "a%2Fb"),
            ("x=1", "x%3D1"),
            ("Zoë", "Zo%C3%AB"),
            ("50%", "50%25"),
            ("..", "%2E."),
            (".hidden", "%2Ehidden"),
            ("a\\b:c", "a%5Cb%3Ac"),
        ];
        for (name, key) in cases {
            assert_eq!(athlete_key(name), key, "{name}");
            assert_eq!(athlete_name(key).as_deref(), Some(name));
            let folder = athlete_dir(Path::new("out"), key);
            assert_eq!(folder.components().count(), 3, "{name} stays one folder");
        }
        assert_eq!(athlete_name("%zz"), None);
    }
}
