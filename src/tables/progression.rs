//! `progression.csv` and the `year_over_year` section of summary.json: the
//! running totals of each year by local day, this year against last at the
//! same date, and pace at the target HR by quarter; read back for the
//! `progression` chart, the report and the terminal.

use chrono::NaiveDate;
use polars::prelude::*;
use serde::Deserialize;
use serde_json::{Value, json};

use super::columns::progression_col as col;
use super::readback::{dates, f64s};
use crate::dates::days_since_epoch;
use crate::metrics::Metrics;
use crate::metrics::progression::{Comparison, Progression, SeasonLevel, ToDate, YearDay, latest_season_change};
use crate::stats::round;

pub fn progression_frame(p: &Progression) -> PolarsResult<DataFrame> {
    let days = &p.days;
    let num = |f: &dyn Fn(&YearDay) -> f64, d: i32| days.iter().map(|y| round(f(y), d)).collect::<Vec<_>>();
    DataFrame::new_infer_height(vec![
        Column::new(col::YEAR.into(), days.iter().map(YearDay::year).collect::<Vec<_>>()),
        Column::new(col::DAY_OF_YEAR.into(), days.iter().map(YearDay::calendar_day).collect::<Vec<_>>()),
        Int32Chunked::from_vec(col::DATE.into(), days.iter().map(|d| days_since_epoch(d.date)).collect())
            .into_date()
            .into_column(),
        Column::new(col::RUNS.into(), days.iter().map(|d| d.runs).collect::<Vec<_>>()),
        Column::new(col::DISTANCE_M.into(), num(&|d| d.distance_m, 1)),
        Column::new(col::MOVING_TIME_S.into(), num(&|d| d.moving_time_s, 0)),
        Column::new(col::LOAD.into(), num(&|d| d.load, 1)),
    ])
}

/// progression.csv read back (an empty frame gives no days).
pub fn year_days(df: &DataFrame) -> PolarsResult<Vec<YearDay>> {
    if df.width() == 0 {
        return Ok(Vec::new());
    }
    let date = dates(df, col::DATE)?;
    let n = |name: &str| f64s(df, name);
    let (runs, distance, moving, load) = (n(col::RUNS)?, n(col::DISTANCE_M)?, n(col::MOVING_TIME_S)?, n(col::LOAD)?);
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // run counts from our own table
    let count = |v: Option<f64>| v.unwrap_or(0.0).max(0.0).round() as u32;
    Ok((0..df.height())
        .filter_map(|i| {
            Some(YearDay {
                date: date[i]?,
                runs: count(runs[i]),
                distance_m: distance[i].unwrap_or(0.0),
                moving_time_s: moving[i].unwrap_or(0.0),
                load: load[i].unwrap_or(0.0),
            })
        })
        .collect())
}

fn to_date_json(t: &ToDate) -> Value {
    json!({
        "from": t.from.to_string(),
        "to": t.totals.date.to_string(),
        "complete": t.complete(),
        "runs": t.totals.runs,
        "distance_m": round(t.totals.distance_m, 0),
        "moving_time_s": round(t.totals.moving_time_s, 0),
        "load": round(t.totals.load, 1),
    })
}

fn season_json(s: &SeasonLevel) -> Value {
    json!({
        "year": s.year,
        "quarter": s.quarter.0,
        "label": s.quarter.label(),
        "runs": s.level.runs,
        "pace_s_per_km": round(s.level.pace_s_per_km, 1),
        "band_s_per_km": round(s.level.band_s_per_km(), 1),
    })
}

pub fn progression_json(m: &Metrics) -> Value {
    let p = &m.progression;
    let c = p.comparison.as_ref();
    let change = latest_season_change(&p.seasons);
    json!({
        "as_of": c.map(|c| c.as_of.to_string()),
        "this_year": c.map(|c| to_date_json(&c.this_year)),
        "last_year_same_date": c.and_then(|c| c.last_year.as_ref().map(to_date_json)),
        "last_year_whole": c.and_then(|c| c.last_year_whole.as_ref().map(to_date_json)),
        "ahead_distance_m": c.and_then(Comparison::ahead_m).map(|d| round(d, 0)),
        "target_hr_bpm": m.target_hr_bpm,
        "seasons": p.seasons.iter().map(season_json).collect::<Vec<_>>(),
        "season_change": change.map(|ch| json!({
            "label": ch.now.quarter.label(),
            "year": ch.now.year,
            "faster_s_per_km": round(ch.faster_s_per_km, 1),
            "uncertainty_s_per_km": round(ch.uncertainty_s_per_km, 1),
            "clear": ch.clear(),
        })),
    })
}

/// The `year_over_year` section read back.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct YearOverYear {
    pub as_of: Option<NaiveDate>,
    pub this_year: Option<YearToDate>,
    pub last_year_same_date: Option<YearToDate>,
    pub last_year_whole: Option<YearToDate>,
    pub ahead_distance_m: Option<f64>,
    pub target_hr_bpm: Option<f64>,
    pub seasons: Vec<Season>,
    pub season_change: Option<SeasonChange>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct YearToDate {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub complete: bool,
    pub runs: u32,
    pub distance_m: f64,
    pub moving_time_s: f64,
    pub load: f64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Season {
    pub year: i32,
    pub quarter: u32,
    pub label: String,
    pub runs: u32,
    pub pace_s_per_km: f64,
    pub band_s_per_km: f64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct SeasonChange {
    pub label: String,
    pub year: i32,
    pub faster_s_per_km: f64,
    pub uncertainty_s_per_km: f64,
    pub clear: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::progression::{Entry, progression};

    #[test]
    fn progression_csv_reads_back_what_was_written() {
        let day = |m, d| NaiveDate::from_ymd_opt(2024, m, d).unwrap();
        let entries = [
            Entry { day: day(2, 28), run: true, distance_m: 10_000.0, moving_time_s: 3000.0, load: 70.0 },
            Entry { day: day(3, 2), run: true, distance_m: 5000.0, moving_time_s: 1500.0, load: 30.0 },
        ];
        let p = progression(&entries, &[]);
        let frame = progression_frame(&p).unwrap();
        assert_eq!(frame.height(), 4);
        let days = frame.column(col::DAY_OF_YEAR).unwrap().u32().unwrap().to_vec();
        assert_eq!(days, vec![Some(59), Some(60), Some(61), Some(62)]);
        assert_eq!(year_days(&frame).unwrap(), p.days);
    }
}
