//! `pyrunlens.analyze`: the CLI's own argument parsing and validation turn
//! the Python settings into a `Config`, then `runlens::analyze` builds the
//! very frames `runlens analyze` writes, kept in memory.

use std::path::PathBuf;

use polars::prelude::{Column, DataFrame};
use runlens::cli::AnalyzeArgs;
use runlens::config::{Config, Terminal};
use runlens::error::Error;
use runlens::tables;

/// Table names (the CLI's file names without extension) and their frames.
pub struct Tables {
    pub tables: Vec<(&'static str, DataFrame)>,
    pub summary_json: String,
}

/// The findings table's only column: one sentence per row, in report order.
pub const FINDING: &str = "finding";

/// `argv` is the CLI's `analyze` arguments (inputs and flags, without the
/// program and subcommand names).
pub fn analyze(argv: &[String]) -> Result<Tables, String> {
    let mut options = AnalyzeArgs::parse_from(argv)?;
    // Nothing is written: the root is inside no input folder, so the check
    // that output stays out of the inputs never objects.
    options.out = PathBuf::from("/");
    let config = Config::from_args(options, Terminal::default()).map_err(|e| message(&e))?;
    let a = runlens::analyze(&config).map_err(|e| message(&e))?;
    let table = |name: &'static str| move |e: polars::error::PolarsError| format!("cannot build the {name} table: {e}");
    let skipped = tables::skipped_frame(&a.skipped).map_err(table("skipped"))?;
    let findings =
        DataFrame::new_infer_height(vec![Column::new(FINDING.into(), a.findings)]).map_err(table("findings"))?;
    let summary_json = serde_json::to_string(&a.summary).map_err(|e| format!("cannot write the summary: {e}"))?;
    let mut run_tables = a.tables;
    let mut tables: Vec<(&'static str, DataFrame)> =
        run_tables.csv_files().into_iter().map(|(file, frame)| (stem(file), std::mem::take(frame))).collect();
    tables.push((stem(tables::SKIPPED_CSV), skipped));
    tables.push((FINDING_TABLE, findings));
    Ok(Tables { tables, summary_json })
}

const FINDING_TABLE: &str = "findings";

/// `activities.csv` -> `activities`.
fn stem(file: &'static str) -> &'static str {
    file.rsplit_once('.').map_or(file, |(stem, _)| stem)
}

/// The error as the CLI says it, without the output folder it never wrote.
fn message(e: &Error) -> String {
    match e {
        Error::NoActivities { found, .. } => format!("no activity could be analyzed: {found}"),
        other => other.to_string(),
    }
}
