//! Each athlete's partitions of the squad's hive Parquet datasets:
//! activities (their activities.parquet, byte for byte), weekly and daily
//! (their CSVs with one fixed type per known column, so that every
//! athlete's file has the same schema and the folder reads as one table).

use std::fs;
use std::path::Path;

use polars::prelude::*;

use crate::error::Error;
use crate::tables::columns::{day_col, week_col};
use crate::tables::squad::{ACTIVITIES_DATASET, DAILY_DATASET, WEEKLY_DATASET, partition_file};
use crate::tables::{ACTIVITIES_PARQUET, DAILY_CSV, WEEKLY_CSV};

/// Write the athlete's partitions (only tables with rows get one).
pub fn write_partitions(athlete_out: &Path, squad_out: &Path, key: &str) -> Result<(), Error> {
    let target = partition_file(squad_out, ACTIVITIES_DATASET, key);
    create_parent(&target)?;
    fs::copy(athlete_out.join(ACTIVITIES_PARQUET), &target).map_err(|source| Error::Write { path: target, source })?;
    csv_partition(&athlete_out.join(WEEKLY_CSV), &partition_file(squad_out, WEEKLY_DATASET, key), week_type)?;
    csv_partition(&athlete_out.join(DAILY_CSV), &partition_file(squad_out, DAILY_DATASET, key), day_type)
}

fn create_parent(path: &Path) -> Result<(), Error> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(|source| Error::Write { path: dir.to_path_buf(), source })
}

/// The type of a known `weekly.csv` column; `None` keeps what was read.
fn week_type(name: &str) -> Option<DataType> {
    use week_col as c;
    Some(match name {
        c::WEEK_START => DataType::Date,
        c::RUT => DataType::Boolean,
        c::RUNS | c::EASY_RUNS | c::GRAY_EASY_RUNS | c::STREAK_WEEKS | c::DISTINCT_ROUTES => DataType::Int64,
        c::DISTANCE_M
        | c::MOVING_TIME_S
        | c::Z1_S
        | c::Z2_S
        | c::Z3_S
        | c::PACE_AT_HR_S_PER_KM
        | c::PACE_AT_HR_BAND_S_PER_KM
        | c::TOP3_SHARE
        | c::EFFECTIVE_ROUTES
        | c::NEW_ROUTE_SHARE
        | c::LOAD => DataType::Float64,
        _ => return None,
    })
}

/// The type of a known `daily.csv` column; `None` keeps what was read.
fn day_type(name: &str) -> Option<DataType> {
    use day_col as c;
    Some(match name {
        c::DATE => DataType::Date,
        c::LOAD | c::FITNESS | c::FATIGUE | c::FORM | c::RAMP | c::ACWR | c::MONOTONY | c::STRAIN | c::ACWR_EWMA => {
            DataType::Float64
        }
        _ => return None,
    })
}

/// `csv` as a Parquet partition at `target`, columns typed by `types`.
fn csv_partition(csv: &Path, target: &Path, types: fn(&str) -> Option<DataType>) -> Result<(), Error> {
    let table = |source| Error::Table { table: "squad dataset", source };
    let file = fs::File::open(csv).map_err(|source| Error::Read { path: csv.to_path_buf(), source })?;
    // Dates parsed by the reader: casting text to a date is deprecated.
    let read = CsvReadOptions::default()
        .with_infer_schema_length(None)
        .map_parse_options(|o| o.with_try_parse_dates(true))
        .into_reader_with_file_handle(file)
        .finish()
        .map_err(table)?;
    if read.height() == 0 {
        return Ok(());
    }
    let columns = read
        .columns()
        .iter()
        .map(|c| match types(c.name()) {
            Some(dtype) => c.cast(&dtype),
            None => Ok(c.clone()),
        })
        .collect::<PolarsResult<Vec<Column>>>()
        .map_err(table)?;
    let mut frame = DataFrame::new_infer_height(columns).map_err(table)?;
    create_parent(target)?;
    let write = |source| Error::Write { path: target.to_path_buf(), source };
    let out = fs::File::create(target).map_err(write)?;
    ParquetWriter::new(out).finish(&mut frame).map_err(table)?;
    Ok(())
}
