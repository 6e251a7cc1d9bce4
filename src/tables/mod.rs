//! The output contract: every file and column name, the writers that put
//! the tables and summary.json into the output folder atomically, and the
//! readers that load them back for the charts, the report and `runlens chart`.

pub mod activities;
pub mod columns;
pub mod daily;
pub mod efforts;
pub mod load_summary;
pub mod readback;
pub mod routes;
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
const RFC3339_UTC: &str = "%Y-%m-%dT%H:%M:%SZ";

/// The tables of one run, in memory until they are written.
pub struct Tables<'a> {
    pub activities: &'a mut DataFrame,
    pub weekly: &'a mut DataFrame,
    pub daily: &'a mut DataFrame,
    pub routes: &'a mut DataFrame,
    pub tracks: &'a mut DataFrame,
    pub cells: &'a mut DataFrame,
    pub skipped: &'a [Skipped],
}

/// Write `activities.csv`/`.parquet`, `weekly.csv`, `daily.csv`, `routes.csv`,
/// `route_tracks.csv`, `route_cells.csv`, `skipped.csv`.
pub fn write_tables(out_dir: &Path, t: Tables<'_>) -> Result<(), Error> {
    let Tables { activities, weekly, daily, routes, tracks, cells, skipped } = t;
    fs::create_dir_all(out_dir).map_err(|source| Error::Write { path: out_dir.to_path_buf(), source })?;
    write_csv(&out_dir.join(ACTIVITIES_CSV), activities)?;
    write_csv(&out_dir.join(WEEKLY_CSV), weekly)?;
    write_csv(&out_dir.join(DAILY_CSV), daily)?;
    write_csv(&out_dir.join(ROUTES_CSV), routes)?;
    write_csv(&out_dir.join(ROUTE_TRACKS_CSV), tracks)?;
    write_csv(&out_dir.join(ROUTE_CELLS_CSV), cells)?;
    write_atomic(&out_dir.join(ACTIVITIES_PARQUET), |w| {
        ParquetWriter::new(w).finish(activities).map(|_| ()).map_err(io::Error::other)
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

fn skipped_frame(skipped: &[Skipped]) -> PolarsResult<DataFrame> {
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
    tmp.as_file().sync_all().map_err(fail)?;
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
