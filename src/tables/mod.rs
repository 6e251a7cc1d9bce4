//! The output contract: every file and column name, the writers that put
//! the tables and summary.json into the output folder atomically, and the
//! readers that load them back for the charts, the report and `runlens chart`.

pub mod activities;
pub mod columns;
pub mod daily;
pub mod efforts;
pub mod load_summary;
pub mod progression;
pub mod readback;
pub mod recovery_summary;
pub mod routes;
pub mod squad;
pub mod staging;
pub mod summary;
pub mod weekly;

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use polars::prelude::*;

use crate::discover::Skipped;
use crate::error::Error;
use columns::skipped_col;

pub const ACTIVITIES_CSV: &str = "activities.csv";
pub const ACTIVITIES_PARQUET: &str = "activities.parquet";
pub const SKIPPED_CSV: &str = "skipped.csv";
pub const SUMMARY_JSON: &str = "summary.json";
pub const WEEKLY_CSV: &str = "weekly.csv";
pub const DAILY_CSV: &str = "daily.csv";
pub const ROUTES_CSV: &str = "routes.csv";
pub const ROUTE_TRACKS_CSV: &str = "route_tracks.csv";
pub const ROUTE_CELLS_CSV: &str = "route_cells.csv";
pub const PROGRESSION_CSV: &str = "progression.csv";
pub const EFFORTS_CSV: &str = "efforts.csv";
const RFC3339_UTC: &str = "%Y-%m-%dT%H:%M:%SZ";

/// Every table of one run, in memory until it is written: what `analyze`
/// writes, what the charts read back and what the Python package returns.
pub struct RunTables {
    pub activities: DataFrame,
    pub weekly: DataFrame,
    pub daily: DataFrame,
    pub routes: DataFrame,
    pub tracks: DataFrame,
    pub cells: DataFrame,
    /// Empty for folders written before progression.csv existed.
    pub progression: DataFrame,
    /// Every run's best efforts (the charts read the records and curves
    /// from summary.json, so a read-back folder leaves this empty).
    pub efforts: DataFrame,
}

impl RunTables {
    /// Each table with the CSV file it is written to, in the order written.
    pub fn csv_files(&mut self) -> [(&'static str, &mut DataFrame); 8] {
        [
            (ACTIVITIES_CSV, &mut self.activities),
            (WEEKLY_CSV, &mut self.weekly),
            (DAILY_CSV, &mut self.daily),
            (ROUTES_CSV, &mut self.routes),
            (ROUTE_TRACKS_CSV, &mut self.tracks),
            (ROUTE_CELLS_CSV, &mut self.cells),
            (PROGRESSION_CSV, &mut self.progression),
            (EFFORTS_CSV, &mut self.efforts),
        ]
    }
}

/// Write every table as CSV, `activities.parquet` and `skipped.csv`.
pub fn write_tables(out_dir: &Path, tables: &mut RunTables, skipped: &[Skipped]) -> Result<(), Error> {
    fs::create_dir_all(out_dir).map_err(|source| Error::Write { path: out_dir.to_path_buf(), source })?;
    for (file, frame) in tables.csv_files() {
        write_csv(&out_dir.join(file), frame)?;
    }
    write_atomic(&out_dir.join(ACTIVITIES_PARQUET), |w| {
        ParquetWriter::new(w).finish(&mut tables.activities).map(|_| ()).map_err(io::Error::other)
    })?;
    let mut skipped_frame = skipped_frame(skipped).map_err(|source| Error::Table { table: "skipped", source })?;
    write_csv(&out_dir.join(SKIPPED_CSV), &mut skipped_frame)
}

pub fn write_summary(out_dir: &Path, summary: &serde_json::Value) -> Result<(), Error> {
    write_atomic(&out_dir.join(SUMMARY_JSON), |w| {
        serde_json::to_writer_pretty(&mut *w, summary).map_err(io::Error::other)?;
        w.write_all(b"\n")
    })
}

/// `skipped.csv` of an earlier run, for redrawing its report.
pub fn read_skipped(out_dir: &Path) -> Result<Vec<Skipped>, Error> {
    let path = out_dir.join(SKIPPED_CSV);
    let mut reader =
        csv::Reader::from_path(&path).map_err(|e| Error::NoOutput { reason: format!("{}: {e}", path.display()) })?;
    reader
        .records()
        .map(|r| {
            let r = r.map_err(|e| Error::NoOutput { reason: format!("{}: {e}", path.display()) })?;
            Ok(Skipped::new(r.get(0).unwrap_or_default(), r.get(1).unwrap_or_default()))
        })
        .collect()
}

/// `skipped.csv` as a frame, sorted.
pub fn skipped_frame(skipped: &[Skipped]) -> PolarsResult<DataFrame> {
    let mut rows = skipped.to_vec();
    rows.sort();
    DataFrame::new_infer_height(vec![
        Column::new(skipped_col::SOURCE.into(), rows.iter().map(|s| s.source.as_str()).collect::<Vec<_>>()),
        Column::new(skipped_col::REASON.into(), rows.iter().map(|s| s.reason.as_str()).collect::<Vec<_>>()),
    ])
}

fn write_csv(path: &Path, frame: &mut DataFrame) -> Result<(), Error> {
    write_atomic(path, |w| {
        CsvWriter::new(w)
            .include_header(true)
            .with_datetime_format(Some(RFC3339_UTC.into()))
            .finish(frame)
            .map_err(io::Error::other)
    })
}

/// Write through a temporary file in the same folder, then rename over the
/// target: readers never see a half-written table, and a failed run leaves
/// the previous one intact.
///
/// No `fsync` here: syncing each file as written (22 in a run with charts
/// and report) took 25 ms of a 0.36 s run on an idle disk (`strace -c`).
/// The staging folder syncs them, only when they are about to replace an
/// earlier result: in the background as they are finished, the rest at
/// `staging::Staging::commit`.
pub fn write_atomic(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<&mut fs::File>) -> io::Result<()>,
) -> Result<(), Error> {
    let fail = |source: io::Error| Error::Write { path: path.to_path_buf(), source };
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut builder = tempfile::Builder::new();
    builder.prefix(".runlens-").suffix(".tmp");
    // Outputs are ordinary files (rw-r--r-- under the usual umask), not the
    // owner-only mode temporary files get.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut tmp = builder.tempfile_in(dir).map_err(fail)?;
    {
        let mut w = BufWriter::new(tmp.as_file_mut());
        write(&mut w).map_err(fail)?;
        w.flush().map_err(fail)?;
    }
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        write_atomic(&path, |w| w.write_all(b"one")).unwrap();
        write_atomic(&path, |w| w.write_all(b"two")).unwrap();
        let failed = write_atomic(&path, |_| Err(io::Error::other("boom")));
        assert!(failed.is_err());
        assert_eq!(fs::read(&path).unwrap(), b"two");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
