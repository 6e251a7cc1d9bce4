//! One athlete's line of the overview, read back from the output folder
//! `run` wrote for them (summary.json and activities.parquet, the public
//! contract), so the squad never recomputes or second-guesses a metric.

use std::fs::File;
use std::path::Path;

use chrono::{DateTime, Duration, NaiveDate};
use polars::prelude::*;
use serde::Deserialize;

use crate::tables::columns::activity_col;
use crate::tables::load_summary::LoadSummary;
use crate::tables::readback::Span;
use crate::tables::{ACTIVITIES_PARQUET, SUMMARY_JSON};

/// How an athlete's analysis ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Ok,
    /// Nothing could be analyzed; why, in `run`'s words.
    NoRuns(String),
    /// The analysis stopped (bad settings, a write error, a crash); why.
    Failed(String),
}

impl Status {
    pub fn as_str(&self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::NoRuns(_) => "no_runs",
            Status::Failed(_) => "failed",
        }
    }
}

/// What squad.csv says about one athlete.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub name: String,
    pub key: String,
    pub status: Status,
    pub activities: usize,
    pub last_activity: Option<NaiveDate>,
    /// Filled in once every athlete is read (`attention::rank`).
    pub days_since_last: Option<i64>,
    pub pace_change_pct: Option<f64>,
    pub pace_change_uncertainty_pct: Option<f64>,
    pub easy_runs_4_weeks: Option<u32>,
    pub gray_runs_4_weeks: Option<u32>,
    pub gray_share_4_weeks: Option<f64>,
    pub routes: usize,
    pub rut_weeks: i64,
    pub in_rut: bool,
    pub layoff_start: Option<NaiveDate>,
    pub layoff_days: Option<i64>,
    pub comeback_ratio: Option<f64>,
    pub comeback_steep: Option<bool>,
    pub acwr: Option<f64>,
    pub ramp: Option<f64>,
    pub files_seen: usize,
    pub unreadable: usize,
    pub salvaged: usize,
    pub hr_share: Option<f64>,
    pub score: f64,
    pub reasons: Vec<String>,
    pub rank: usize,
}

impl Row {
    /// A row with nothing measured (an athlete with no runs or a failure).
    pub fn empty(name: &str, key: &str, status: Status) -> Row {
        Row {
            name: name.to_owned(),
            key: key.to_owned(),
            status,
            activities: 0,
            last_activity: None,
            days_since_last: None,
            pace_change_pct: None,
            pace_change_uncertainty_pct: None,
            easy_runs_4_weeks: None,
            gray_runs_4_weeks: None,
            gray_share_4_weeks: None,
            routes: 0,
            rut_weeks: 0,
            in_rut: false,
            layoff_start: None,
            layoff_days: None,
            comeback_ratio: None,
            comeback_steep: None,
            acwr: None,
            ramp: None,
            files_seen: 0,
            unreadable: 0,
            salvaged: 0,
            hr_share: None,
            score: 0.0,
            reasons: Vec::new(),
            rank: 0,
        }
    }
}

/// The parts of summary.json the overview shows.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Brief {
    counts: Counts,
    pace_at_hr: Pace,
    gray_zone: Option<Gray>,
    routes: usize,
    rut_windows: Vec<Span>,
    layoffs: Vec<Layoff>,
    load: Option<LoadSummary>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Counts {
    files_seen: usize,
    activities: usize,
    skipped: usize,
    salvaged: usize,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Pace {
    change_pct: Option<f64>,
    change_uncertainty_pct: Option<f64>,
}

#[derive(Debug, Deserialize)]
struct Gray {
    last_4_weeks_easy_runs: u32,
    last_4_weeks_gray_runs: u32,
    share: f64,
}

#[derive(Debug, Deserialize)]
struct Layoff {
    start: NaiveDate,
    days: i64,
    comeback_ratio: Option<f64>,
}

/// The row of an athlete whose output is in `dir`; `run_sports` are the
/// sport names that count as runs (for the heart-rate share).
pub fn read(dir: &Path, name: &str, key: &str, run_sports: &[&str]) -> Result<Row, String> {
    let summary_path = dir.join(SUMMARY_JSON);
    let text = std::fs::read_to_string(&summary_path).map_err(|e| format!("{}: {e}", summary_path.display()))?;
    let brief: Brief = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", summary_path.display()))?;
    let parquet = dir.join(ACTIVITIES_PARQUET);
    let facts = activity_facts(&parquet, run_sports).map_err(|e| format!("{}: {e}", parquet.display()))?;
    let mut row = Row::empty(name, key, Status::Ok);
    row.activities = brief.counts.activities;
    row.last_activity = facts.last_day;
    row.hr_share = facts.hr_share;
    row.pace_change_pct = brief.pace_at_hr.change_pct;
    row.pace_change_uncertainty_pct = brief.pace_at_hr.change_uncertainty_pct;
    if let Some(g) = brief.gray_zone {
        (row.easy_runs_4_weeks, row.gray_runs_4_weeks) =
            (Some(g.last_4_weeks_easy_runs), Some(g.last_4_weeks_gray_runs));
        row.gray_share_4_weeks = Some(g.share);
    }
    row.routes = brief.routes;
    row.rut_weeks = brief.rut_windows.iter().map(|w| ((w.end - w.start).num_days() + 1) / 7).sum();
    // A rut window that reaches the athlete's last week or the one before.
    row.in_rut = facts.last_day.is_some_and(|day| brief.rut_windows.iter().any(|w| w.end + Duration::days(7) >= day));
    if let Some(l) = brief.layoffs.iter().max_by_key(|l| l.start) {
        (row.layoff_start, row.layoff_days, row.comeback_ratio) = (Some(l.start), Some(l.days), l.comeback_ratio);
        row.comeback_steep = brief
            .load
            .as_ref()
            .and_then(|load| load.comebacks.iter().find(|c| c.layoff_start == Some(l.start)))
            .map(|c| c.steep);
    }
    let latest = brief.load.as_ref().and_then(|l| l.latest.as_ref());
    (row.acwr, row.ramp) = (latest.and_then(|l| l.acwr), latest.and_then(|l| l.ramp));
    (row.files_seen, row.unreadable, row.salvaged) =
        (brief.counts.files_seen, brief.counts.skipped, brief.counts.salvaged);
    Ok(row)
}

struct Facts {
    /// Local day of the latest activity.
    last_day: Option<NaiveDate>,
    hr_share: Option<f64>,
}

/// The latest local day and the share of runs with heart rate, from
/// activities.parquet (three columns of it).
fn activity_facts(path: &Path, run_sports: &[&str]) -> PolarsResult<Facts> {
    let file = File::open(path).map_err(|e| PolarsError::IO { error: e.into(), msg: None })?;
    let columns =
        [activity_col::SPORT, activity_col::START_TIME_UTC, activity_col::UTC_OFFSET_S, activity_col::AVG_HR_BPM];
    let frame = ParquetReader::new(file).with_columns(Some(columns.iter().map(|c| (*c).into()).collect())).finish()?;
    let sport = frame.column(activity_col::SPORT)?.str()?.clone();
    let start = frame.column(activity_col::START_TIME_UTC)?.cast(&DataType::Int64)?;
    let offset = frame.column(activity_col::UTC_OFFSET_S)?.cast(&DataType::Int64)?;
    let hr = frame.column(activity_col::AVG_HR_BPM)?.cast(&DataType::Float64)?;
    let (start, offset, hr) = (start.i64()?, offset.i64()?, hr.f64()?);
    let mut last_ms: Option<i64> = None;
    let (mut runs, mut with_hr) = (0usize, 0usize);
    for i in 0..frame.height() {
        if let Some(ms) = start.get(i) {
            let local = ms + offset.get(i).unwrap_or(0) * 1000;
            last_ms = Some(last_ms.map_or(local, |m| m.max(local)));
        }
        if sport.get(i).is_some_and(|s| run_sports.contains(&s)) {
            runs += 1;
            with_hr += usize::from(hr.get(i).is_some());
        }
    }
    Ok(Facts {
        last_day: last_ms.and_then(DateTime::from_timestamp_millis).map(|t| t.date_naive()),
        hr_share: (runs > 0).then(|| with_hr as f64 / runs as f64),
    })
}
