//! `efforts.csv` (every run's best efforts) and the `efforts` section of
//! summary.json: records with their run and day, the record timeline, the
//! pace curves, critical speed and the race predictions; and that section's
//! shape read back for the chart, the report and the terminal.

use polars::prelude::*;
use serde::{Deserialize, Serialize};

use super::columns::effort_col as col;
use crate::features::Analyzed;
use crate::metrics::Metrics;
use crate::metrics::efforts::{CurvePoint, Record, Season};
use crate::stats::round;

/// One row per run and distance, runs in start order, distances shortest first.
pub fn efforts_frame(items: &[Analyzed]) -> PolarsResult<DataFrame> {
    let ids = super::activities::activity_ids(items);
    let rows: Vec<(&String, &crate::features::efforts::Effort)> = items
        .iter()
        .zip(&ids)
        .filter(|(a, _)| a.counts_as_run)
        .flat_map(|(a, id)| a.kernel.efforts.best.iter().map(move |e| (id, e)))
        .collect();
    let num = |f: &dyn Fn(&crate::features::efforts::Effort) -> f64| {
        rows.iter().map(|(_, e)| round(f(e), 1)).collect::<Vec<_>>()
    };
    DataFrame::new_infer_height(vec![
        Column::new(col::ACTIVITY_ID.into(), rows.iter().map(|(id, _)| id.as_str()).collect::<Vec<_>>()),
        Column::new(col::DISTANCE_M.into(), num(&|e| e.distance_m)),
        Column::new(col::TIME_S.into(), num(&|e| e.time_s)),
        Column::new(col::GAP_TIME_S.into(), num(&|e| e.gap_time_s)),
        Column::new(col::START_OFFSET_S.into(), rows.iter().map(|(_, e)| e.start_offset_s).collect::<Vec<_>>()),
    ])
}

/// A record (or one of the timeline) as summary.json says it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordRow {
    pub distance_m: f64,
    pub time_s: f64,
    pub gap_time_s: f64,
    pub activity_id: String,
    pub date: chrono::NaiveDate,
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CurveRow {
    pub duration_s: u32,
    pub pace_s_per_km: f64,
    pub activity_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeasonRow {
    pub label: String,
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
    pub curve: Vec<CurveRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriticalSpeedRow {
    pub speed_m_s: f64,
    pub pace_s_per_km: f64,
    pub d_prime_m: f64,
    pub r2: f64,
    pub speed_se_m_s: f64,
    pub points: usize,
    pub shortest_s: u32,
    pub longest_s: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PredictionRow {
    pub distance_m: f64,
    /// `riegel`, `vdot` or `pace_at_hr`.
    pub method: String,
    pub time_s: f64,
    pub rests_on: String,
    pub out_of_range: Option<String>,
    pub change_s: Option<f64>,
    pub since: Option<chrono::NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unavailable {
    pub method: String,
    pub why: String,
}

/// The `efforts` section of summary.json.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EffortsSummary {
    pub records: Vec<RecordRow>,
    /// Every effort that was a record when it was run, in time order.
    pub record_timeline: Vec<RecordRow>,
    pub pace_curve_all_time: Vec<CurveRow>,
    pub pace_curve_this_season: Option<SeasonRow>,
    pub pace_curve_last_season: Option<SeasonRow>,
    pub pace_curve_years: Vec<SeasonRow>,
    pub critical_speed: Option<CriticalSpeedRow>,
    pub no_critical_speed: Option<String>,
    pub riegel_exponent: Option<f64>,
    pub riegel_exponent_why: Option<String>,
    pub predictions: Vec<PredictionRow>,
    pub predictions_unavailable: Vec<Unavailable>,
}

/// The section from the metrics, with activity ids and names from `items`.
pub fn efforts_summary(items: &[Analyzed], m: &Metrics) -> EffortsSummary {
    let ids = super::activities::activity_ids(items);
    let e = &m.efforts;
    let record = |r: &Record| RecordRow {
        distance_m: round(r.effort.distance_m, 1),
        time_s: round(r.effort.time_s, 1),
        gap_time_s: round(r.effort.gap_time_s, 1),
        activity_id: ids[r.run].clone(),
        date: r.day,
        name: items[r.run].activity.meta.name.clone(),
    };
    let curve = |c: &[CurvePoint]| {
        // JSON has no infinity: a duration with no distance has no pace.
        c.iter()
            .filter(|p| p.speed_m_s.is_finite() && p.speed_m_s > 0.0)
            .map(|p| CurveRow {
                duration_s: p.duration_s,
                pace_s_per_km: round(1000.0 / p.speed_m_s, 1),
                activity_id: ids[p.run].clone(),
            })
            .collect::<Vec<_>>()
    };
    let season = |s: &Season| SeasonRow { label: s.label.clone(), from: s.from, to: s.to, curve: curve(&s.curve) };
    let p = &e.predictions;
    EffortsSummary {
        records: e.records.iter().filter(|r| finite(r)).map(record).collect(),
        record_timeline: e.timeline.iter().filter(|r| finite(r)).map(record).collect(),
        pace_curve_all_time: curve(&e.all_time),
        pace_curve_this_season: e.this_season.as_ref().map(season),
        pace_curve_last_season: e.last_season.as_ref().map(season),
        pace_curve_years: e.years.iter().map(season).collect(),
        critical_speed: e.critical_speed.as_ref().ok().filter(|cs| cs.speed_m_s > 0.0 && cs.r2.is_finite()).map(|cs| {
            CriticalSpeedRow {
                speed_m_s: round(cs.speed_m_s, 3),
                pace_s_per_km: round(1000.0 / cs.speed_m_s, 1),
                d_prime_m: round(cs.d_prime_m, 0),
                r2: round(cs.r2, 4),
                speed_se_m_s: round(cs.speed_se_m_s, 3),
                points: cs.points,
                shortest_s: cs.shortest_s,
                longest_s: cs.longest_s,
            }
        }),
        no_critical_speed: e.critical_speed.as_ref().err().map(|why| why.describe()),
        riegel_exponent: p.riegel_exponent.as_ref().map(|(k, _)| round(*k, 3)),
        riegel_exponent_why: p.riegel_exponent.as_ref().map(|(_, why)| why.clone()),
        predictions: p
            .predictions
            .iter()
            .filter(|p| p.time_s.is_finite())
            .map(|p| PredictionRow {
                distance_m: p.distance_m,
                method: p.method.as_str().to_owned(),
                time_s: round(p.time_s, 0),
                rests_on: p.rests_on.clone(),
                out_of_range: p.out_of_range.clone(),
                change_s: p.change_s.map(|c| round(c, 0)),
                since: p.since,
            })
            .collect(),
        predictions_unavailable: p
            .unavailable
            .iter()
            .map(|(m, why)| Unavailable { method: m.as_str().to_owned(), why: why.clone() })
            .collect(),
    }
}

/// A record JSON can hold (damaged files can give no time).
fn finite(r: &Record) -> bool {
    r.effort.time_s.is_finite() && r.effort.gap_time_s.is_finite()
}

/// Put the section into summary.json's object.
pub fn add_to_summary(summary: &mut serde_json::Value, items: &[Analyzed], m: &Metrics) {
    if let (Some(object), Ok(section)) = (summary.as_object_mut(), serde_json::to_value(efforts_summary(items, m))) {
        object.insert("efforts".into(), section);
    }
}
