//! What the charts and the report draw from: the output tables, read back
//! into plain rows. Built the same way from the frames of a run in memory and from
//! an output folder on disk, so `runlens chart` redraws exactly what
//! `analyze` drew.

use std::path::Path;

use chrono::{NaiveDate, NaiveDateTime};
use polars::prelude::*;
use serde::Deserialize;

use super::columns::{activity_col as col, cell_col, route_col, track_col, week_col};

/// One activity, as the charts need it.
#[derive(Debug, Clone, PartialEq)]
pub struct Activity {
    /// Start in the athlete's local time (UTC when the file has no offset).
    pub local_start: NaiveDateTime,
    pub moving_time_s: f64,
    pub distance_m: Option<f64>,
    /// Counted as a run (it has a session type).
    pub session_type: Option<String>,
    pub pace_at_hr_s_per_km: Option<f64>,
    pub low_confidence: bool,
    pub z2_share: Option<f64>,
    pub gray_zone: Option<bool>,
}

impl Activity {
    pub fn day(&self) -> NaiveDate {
        self.local_start.date()
    }

    pub fn is_easy_or_long(&self) -> bool {
        matches!(self.session_type.as_deref(), Some("easy" | "long"))
    }
}

/// One row of weekly.csv.
#[derive(Debug, Clone, PartialEq)]
pub struct Week {
    pub start: NaiveDate,
    pub runs: u32,
    pub distance_m: f64,
    pub moving_time_s: f64,
    pub z1_s: f64,
    pub z2_s: f64,
    pub z3_s: f64,
    pub easy_runs: u32,
    pub gray_easy_runs: u32,
    pub distinct_routes: Option<u32>,
    pub top3_share: Option<f64>,
    pub rut: bool,
    pub pace_at_hr_s_per_km: Option<f64>,
    /// Half-width of the band around the rolling level.
    pub pace_at_hr_band_s_per_km: Option<f64>,
    pub streak_weeks: u32,
    /// Training load (empty in folders written before it existed).
    pub load: Option<f64>,
}

/// A route with the course of its first run.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    pub id: String,
    pub runs: u32,
    pub distance_m: f64,
    pub first_run: Option<NaiveDate>,
    pub last_run: Option<NaiveDate>,
    pub track: Vec<(f64, f64)>,
    /// The name the runner gives it, when they give one.
    pub name: Option<String>,
}

/// A ~50 m cell some runs went through (`route_cells.csv`).
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// The cell's middle.
    pub lat: f64,
    pub lon: f64,
    pub runs: u32,
    pub first_run: NaiveDate,
}

/// The parts of summary.json the charts annotate with.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct SummaryFile {
    pub target_hr_bpm: Option<f64>,
    /// How the target was chosen (absent in folders written before it was said).
    pub target_hr: Option<TargetHr>,
    pub weekly_target: u32,
    pub thresholds: Option<Thresholds>,
    pub pace_at_hr: PaceAtHr,
    pub rut_windows: Vec<Span>,
    pub layoffs: Vec<Span>,
    pub findings: Vec<String>,
    pub counts: SummaryCounts,
    /// The units the analyze run was asked for.
    pub units: Option<String>,
    pub load: Option<super::load_summary::LoadSummary>,
    /// Absent in folders written before year over year existed.
    pub year_over_year: Option<super::progression::YearOverYear>,
    /// Absent in folders written before heart-rate recovery existed.
    pub hr_recovery: Option<super::recovery_summary::HrRecovery>,
    /// Records, pace curves and predictions (absent in older folders).
    pub efforts: Option<super::efforts::EffortsSummary>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct SummaryCounts {
    pub files_seen: usize,
    pub activities: usize,
    pub duplicates_merged: usize,
    pub skipped: usize,
    pub ignored: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Thresholds {
    pub max_hr: Threshold,
    pub lthr: Threshold,
    pub lt1: Threshold,
    pub resting_hr: Option<Threshold>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct TargetHr {
    pub source: String,
    pub how: String,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Threshold {
    pub bpm: f64,
    pub source: String,
    pub how: String,
    /// Absent in summaries written before uncertainties were reported.
    #[serde(default)]
    pub uncertainty_bpm: f64,
    #[serde(default)]
    pub uncertainty_why: String,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct PaceAtHr {
    pub first_4_weeks: Option<Period>,
    pub last_4_weeks: Option<Period>,
    pub change_pct: Option<f64>,
    /// About 95 % (two standard errors) of `change_pct`.
    pub change_uncertainty_pct: Option<f64>,
    /// Why there is no first-versus-last comparison.
    pub no_comparison: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub runs: u32,
    pub pace_s_per_km: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct Span {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// Everything the charts draw.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Readback {
    /// In start order.
    pub activities: Vec<Activity>,
    /// Every week from the first run to the last.
    pub weeks: Vec<Week>,
    /// Most run first.
    pub routes: Vec<Route>,
    /// daily.csv: every day from the first load to the last.
    pub days: Vec<super::daily::DayRow>,
    /// Every cell any run went through.
    pub cells: Vec<Cell>,
    pub summary: SummaryFile,
    /// progression.csv: running totals of each year by local day.
    pub progression: Vec<crate::metrics::progression::YearDay>,
}

impl Readback {
    /// What the charts and report draw, from a run's tables and summary.
    pub fn from_tables(f: &super::RunTables, summary: &serde_json::Value) -> PolarsResult<Readback> {
        let summary = SummaryFile::deserialize(summary)
            .map_err(|e| PolarsError::ComputeError(format!("summary.json: {e}").into()))?;
        Ok(Readback {
            activities: activities(&f.activities)?,
            weeks: weeks(&f.weekly)?,
            routes: routes(&f.routes, &f.tracks)?,
            days: super::daily::days(&f.daily)?,
            cells: cells(&f.cells)?,
            summary,
            progression: super::progression::year_days(&f.progression)?,
        })
    }

    /// Read an output folder written by `runlens analyze`.
    pub fn load(dir: &Path) -> Result<Readback, String> {
        let read = |name: &str| -> Result<DataFrame, String> {
            let path = dir.join(name);
            let file = std::fs::File::open(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let frame = if name.ends_with(".parquet") {
                ParquetReader::new(file).finish()
            } else {
                CsvReadOptions::default().with_infer_schema_length(None).into_reader_with_file_handle(file).finish()
            };
            frame.map_err(|e| format!("{}: {e}", path.display()))
        };
        let summary_path = dir.join(super::SUMMARY_JSON);
        let summary: serde_json::Value = std::fs::read(&summary_path)
            .map_err(|e| format!("cannot read {}: {e}", summary_path.display()))
            .and_then(|b| serde_json::from_slice(&b).map_err(|e| format!("{}: {e}", summary_path.display())))?;
        let (activities, weekly) = (read(super::ACTIVITIES_PARQUET)?, read(super::WEEKLY_CSV)?);
        let (routes, tracks) = (read(super::ROUTES_CSV)?, read(super::ROUTE_TRACKS_CSV)?);
        // Folders written before daily.csv existed still redraw.
        let daily = if dir.join(super::DAILY_CSV).exists() { read(super::DAILY_CSV)? } else { DataFrame::empty() };
        // Folders written before the route map drew every run have no cells.
        let cells = if dir.join(super::ROUTE_CELLS_CSV).exists() {
            read(super::ROUTE_CELLS_CSV)?
        } else {
            DataFrame::empty_with_schema(&Schema::from_iter([
                Field::new(cell_col::LAT.into(), DataType::Float64),
                Field::new(cell_col::LON.into(), DataType::Float64),
                Field::new(cell_col::RUNS.into(), DataType::Float64),
                Field::new(cell_col::FIRST_RUN.into(), DataType::String),
            ]))
        };
        // Folders written before year over year existed have no progression.csv.
        let progression =
            if dir.join(super::PROGRESSION_CSV).exists() { read(super::PROGRESSION_CSV)? } else { DataFrame::empty() };
        let efforts = DataFrame::empty();
        let tables = super::RunTables { activities, weekly, daily, routes, tracks, cells, progression, efforts };
        Readback::from_tables(&tables, &summary).map_err(|e| format!("{}: {e}", dir.display()))
    }

    pub fn runs(&self) -> impl Iterator<Item = &Activity> {
        self.activities.iter().filter(|a| a.session_type.is_some())
    }
}

fn activities(df: &DataFrame) -> PolarsResult<Vec<Activity>> {
    let start_ms = i64s(df, col::START_TIME_UTC)?;
    let offset_s = i64s(df, col::UTC_OFFSET_S)?;
    let moving = f64s(df, col::MOVING_TIME_S)?;
    let distance = f64s(df, col::DISTANCE_M)?;
    let session = strs(df, col::SESSION_TYPE)?;
    let pace = f64s(df, col::PACE_AT_HR_S_PER_KM)?;
    let low = bools(df, col::LOW_CONFIDENCE)?;
    let share = f64s(df, col::Z2_SHARE)?;
    let gray = bools(df, col::GRAY_ZONE)?;
    Ok((0..df.height())
        .map(|i| {
            let offset_s = offset_s[i].and_then(|o| i32::try_from(o).ok());
            Activity {
                local_start: crate::dates::local_time(start_ms[i].unwrap_or(0), offset_s),
                moving_time_s: moving[i].unwrap_or(0.0),
                distance_m: distance[i],
                session_type: session[i].clone(),
                pace_at_hr_s_per_km: pace[i],
                low_confidence: low[i].unwrap_or(false),
                z2_share: share[i],
                gray_zone: gray[i],
            }
        })
        .collect())
}

fn weeks(df: &DataFrame) -> PolarsResult<Vec<Week>> {
    let start = dates(df, week_col::WEEK_START)?;
    let n = |name: &str| f64s(df, name);
    let (runs, distance, moving) = (n(week_col::RUNS)?, n(week_col::DISTANCE_M)?, n(week_col::MOVING_TIME_S)?);
    let (z1, z2, z3) = (n(week_col::Z1_S)?, n(week_col::Z2_S)?, n(week_col::Z3_S)?);
    let (easy, gray) = (n(week_col::EASY_RUNS)?, n(week_col::GRAY_EASY_RUNS)?);
    let (routes, top3) = (n(week_col::DISTINCT_ROUTES)?, n(week_col::TOP3_SHARE)?);
    let (pace, streak) = (n(week_col::PACE_AT_HR_S_PER_KM)?, n(week_col::STREAK_WEEKS)?);
    let rut = bools(df, week_col::RUT)?;
    // Absent from folders written before the band existed.
    let band = if df.column(week_col::PACE_AT_HR_BAND_S_PER_KM).is_ok() {
        n(week_col::PACE_AT_HR_BAND_S_PER_KM)?
    } else {
        vec![None; df.height()]
    };
    let load = if df.column(week_col::LOAD).is_ok() { n(week_col::LOAD)? } else { vec![None; df.height()] };
    let count = |v: Option<f64>| count(v.unwrap_or(0.0));
    Ok((0..df.height())
        .filter_map(|i| {
            Some(Week {
                start: start[i]?,
                runs: count(runs[i]),
                distance_m: distance[i].unwrap_or(0.0),
                moving_time_s: moving[i].unwrap_or(0.0),
                z1_s: z1[i].unwrap_or(0.0),
                z2_s: z2[i].unwrap_or(0.0),
                z3_s: z3[i].unwrap_or(0.0),
                easy_runs: count(easy[i]),
                gray_easy_runs: count(gray[i]),
                distinct_routes: routes[i].map(|v| count(Some(v))),
                top3_share: top3[i],
                rut: rut[i].unwrap_or(false),
                pace_at_hr_s_per_km: pace[i],
                pace_at_hr_band_s_per_km: band[i],
                streak_weeks: count(streak[i]),
                load: load[i],
            })
        })
        .collect())
}

fn routes(df: &DataFrame, tracks: &DataFrame) -> PolarsResult<Vec<Route>> {
    let ids = strs(df, route_col::ROUTE_ID)?;
    let runs = f64s(df, route_col::RUNS)?;
    let distance = f64s(df, route_col::DISTANCE_M)?;
    let (first, last) = (dates(df, route_col::FIRST_RUN)?, dates(df, route_col::LAST_RUN)?);
    // Older folders have no name column.
    let names = if df.column(route_col::NAME).is_ok() { strs(df, route_col::NAME)? } else { vec![None; df.height()] };
    let (track_ids, lats, lons) =
        (strs(tracks, track_col::ROUTE_ID)?, f64s(tracks, track_col::LAT)?, f64s(tracks, track_col::LON)?);
    let mut points: std::collections::HashMap<&str, Vec<(f64, f64)>> = std::collections::HashMap::new();
    for i in 0..tracks.height() {
        if let (Some(id), Some(lat), Some(lon)) = (track_ids[i].as_deref(), lats[i], lons[i]) {
            points.entry(id).or_default().push((lat, lon));
        }
    }
    Ok((0..df.height())
        .filter_map(|i| {
            let id = ids[i].clone()?;
            Some(Route {
                track: points.get(id.as_str()).cloned().unwrap_or_default(),
                id,
                runs: count(runs[i].unwrap_or(0.0)),
                distance_m: distance[i].unwrap_or(0.0),
                first_run: first[i],
                last_run: last[i],
                name: names[i].clone(),
            })
        })
        .collect())
}

fn cells(df: &DataFrame) -> PolarsResult<Vec<Cell>> {
    let (lat, lon, runs) = (f64s(df, cell_col::LAT)?, f64s(df, cell_col::LON)?, f64s(df, cell_col::RUNS)?);
    let first = dates(df, cell_col::FIRST_RUN)?;
    Ok((0..df.height())
        .filter_map(|i| Some(Cell { lat: lat[i]?, lon: lon[i]?, runs: count(runs[i]?).max(1), first_run: first[i]? }))
        .collect())
}

#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // counts from our own tables: small, >= 0
fn count(v: f64) -> u32 {
    v.max(0.0).round() as u32
}

/// A numeric column as f64 whatever its stored type (CSV reads ints as i64).
pub(super) fn f64s(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<f64>>> {
    let c = df.column(name)?;
    if c.dtype() == &DataType::Null {
        return Ok(vec![None; c.len()]);
    }
    Ok(c.cast(&DataType::Float64)?.f64()?.iter().map(|v| v.filter(|x| x.is_finite())).collect())
}

fn i64s(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<i64>>> {
    let c = df.column(name)?;
    let c = match c.dtype() {
        DataType::Datetime(unit, _) => {
            let per_ms = match unit {
                TimeUnit::Milliseconds => 1,
                TimeUnit::Microseconds => 1_000,
                TimeUnit::Nanoseconds => 1_000_000,
            };
            let raw = c.cast(&DataType::Int64)?;
            return Ok(raw.i64()?.iter().map(|v| v.map(|x| x.div_euclid(per_ms))).collect());
        }
        DataType::String => {
            // CSV: RFC 3339 UTC, as the tables write it.
            return Ok(c
                .str()?
                .iter()
                .map(|v| chrono::DateTime::parse_from_rfc3339(v?).ok().map(|t| t.timestamp_millis()))
                .collect());
        }
        DataType::Null => return Ok(vec![None; c.len()]),
        _ => c.cast(&DataType::Int64)?,
    };
    Ok(c.i64()?.iter().collect())
}

fn strs(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<String>>> {
    let c = df.column(name)?;
    if c.dtype() == &DataType::Null {
        return Ok(vec![None; c.len()]);
    }
    Ok(c.cast(&DataType::String)?.str()?.iter().map(|v| v.filter(|s| !s.is_empty()).map(str::to_owned)).collect())
}

fn bools(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<bool>>> {
    let c = df.column(name)?;
    match c.dtype() {
        DataType::Boolean => Ok(c.bool()?.iter().collect()),
        DataType::Null => Ok(vec![None; c.len()]),
        _ => Ok(strs(df, name)?.into_iter().map(|v| v.map(|s| s.eq_ignore_ascii_case("true"))).collect()),
    }
}

pub(super) fn dates(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<NaiveDate>>> {
    let c = df.column(name)?;
    if c.dtype() == &DataType::Date {
        let days = c.date()?.physical().clone();
        return Ok(days.iter().map(|d| d.map(crate::dates::date_of)).collect());
    }
    Ok(strs(df, name)?.into_iter().map(|v| v.and_then(|s| s.parse().ok())).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_read_back_from_csv_types() {
        let df = df![
            "d" => ["2026-03-02", ""],
            "b" => ["true", "false"],
            "n" => [Some(3i64), None],
            "t" => ["2026-03-02T07:00:00Z", "x"],
        ]
        .unwrap();
        assert_eq!(dates(&df, "d").unwrap(), vec![NaiveDate::from_ymd_opt(2026, 3, 2), None]);
        assert_eq!(bools(&df, "b").unwrap(), vec![Some(true), Some(false)]);
        assert_eq!(f64s(&df, "n").unwrap(), vec![Some(3.0), None]);
        assert_eq!(i64s(&df, "t").unwrap(), vec![Some(1_772_434_800_000), None]);
    }
}
