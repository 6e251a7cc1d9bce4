//! Errors: per-file problems that skip one input (`ParseError`) and run-level
//! failures that stop the command (`Error`). Messages say what is wrong and,
//! where the user can act, what to do.

use std::io;
use std::path::PathBuf;

/// Why one input could not be analyzed. Reported in `skipped.csv` and on
/// stderr next to the file's name; never fatal for the batch.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is cut short ({detail}): was the download or copy complete?")]
    Truncated { detail: String },
    #[error("the FIT checksum does not match: the file is damaged; export it again from the watch or Garmin Connect")]
    BadChecksum,
    #[error("named .fit but has no FIT header: the file is damaged or not a FIT file")]
    NotFit,
    #[error("this is a FIT {kind} file, not an activity")]
    NotAnActivity { kind: String },
    #[error("FIT decoding failed: {detail}")]
    Fit { detail: String },
    #[error("the FIT decoder crashed on this file ({detail}); the file is probably damaged")]
    DecoderPanic { detail: String },
    #[error(
        "the timestamps count from when the device was switched on (its clock was not set), so the activity cannot be dated"
    )]
    RelativeTimestamps,
    #[error("broken XML: {detail}")]
    BrokenXml { detail: String },
    #[error("an XML file with root <{root}>, which is neither GPX nor TCX")]
    UnknownXml { root: String },
    #[error("not a FIT, GPX or TCX file")]
    UnknownFormat,
    #[error("{what} has no timestamps: it is a planned route or course, not a recorded activity")]
    NoTimestamps { what: &'static str },
    #[error(
        "dated {date}, {why}: the device's clock was wrong (not set, reset, or a placeholder date); fix the date in the file to have it analyzed"
    )]
    OffCalendar { date: String, why: &'static str },
    #[error("{what} has no recorded points")]
    NoPoints { what: &'static str },
    #[error("damaged gzip data: {0}")]
    Gzip(io::Error),
    #[error("unpacks to more than {limit_mib} MiB, more than any activity file: refusing it")]
    TooLarge { limit_mib: u64 },
    #[error(
        "unpacks to more than {ratio} times its packed size, which only a zip bomb does: refusing it (if it is a real export, unpack it yourself and point runlens at the folder)"
    )]
    ZipBomb { ratio: u64 },
    #[error("cannot read the file: {0}")]
    Read(io::Error),
    #[error("cannot read this archive member: {0}")]
    Zip(String),
}

/// Failures that stop a command. Each carries the path it concerns.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {reason}")]
    Unreadable { path: PathBuf, reason: String },
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: io::Error },
    #[error(
        "the output folder {out} is inside the input {input}: runlens never writes into your exports; pass --out with a folder elsewhere"
    )]
    OutputInsideInput { out: PathBuf, input: PathBuf },
    #[error("cannot write {path}: {source}")]
    Write { path: PathBuf, source: io::Error },
    #[error("cannot build the {table} table: {source}")]
    Table { table: &'static str, source: polars::error::PolarsError },
    #[error("no activity could be analyzed: {found}; nothing was written to {}", out.display())]
    NoActivities { found: String, out: PathBuf },
    #[error("{count} input file(s) could not be read and --strict is set (see skipped.csv)")]
    Strict { count: usize },
    #[error("{path}: {source}")]
    Inspect { path: PathBuf, source: ParseError },
    #[error("invalid option: {0}")]
    Config(String),
    #[error("cannot draw {path}: {reason}")]
    Chart { path: PathBuf, reason: String },
    #[error(
        "{reason}; runlens chart redraws from the output folder of an earlier `runlens analyze` (pass it with --out)"
    )]
    NoOutput { reason: String },
}

impl Error {
    /// Process exit codes: 2 for usage errors only (a bad option, setting
    /// or path on the command line, which the user fixes by typing something
    /// else), 1 for everything that went wrong while running: nothing to
    /// analyze, --strict, a full disk, a table or chart that failed.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::OutputInsideInput { .. }
            | Error::Config(_)
            | Error::NoOutput { .. }
            | Error::Read { .. }
            | Error::Unreadable { .. } => 2,
            Error::NoActivities { .. }
            | Error::Strict { .. }
            | Error::Inspect { .. }
            | Error::Write { .. }
            | Error::Table { .. }
            | Error::Chart { .. } => 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disk_table_and_chart_failures_exit_1_and_only_usage_errors_exit_2() {
        let disk_full = Error::Write { path: "out".into(), source: io::Error::other("No space left on device") };
        let table = Error::Table { table: "weekly", source: polars::error::PolarsError::NoData("empty".into()) };
        let chart = Error::Chart { path: "out/charts/volume.png".into(), reason: "drawing".into() };
        for err in [disk_full, table, chart] {
            assert_eq!(err.exit_code(), 1, "{err}");
        }
        let usage = [
            Error::Config("--lt1 must be below --lthr".into()),
            Error::OutputInsideInput { out: "in/out".into(), input: "in".into() },
            Error::NoOutput { reason: "no summary.json".into() },
        ];
        for err in usage {
            assert_eq!(err.exit_code(), 2, "{err}");
        }
    }
}
