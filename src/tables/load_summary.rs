//! The `load` section of summary.json: how loads were computed (resting HR
//! and threshold pace with their sources), the latest fitness, form and
//! ramp, the ACWR floor, comebacks, phases, same-load streaks and burnout
//! cues; and its shape read back for the charts, the report and the
//! terminal.

use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{Value, json};

use super::readback::Span;
use crate::metrics::Metrics;
use crate::metrics::comeback::safe_ratio;
use crate::metrics::fitness::{self, Day};
use crate::metrics::load::LoadSource;
use crate::stats::{round, round_opt};

pub fn load_json(m: &Metrics) -> Value {
    let t = &m.training;
    let count = |s: Option<LoadSource>| m.runs.iter().filter(|r| r.load.map(|l| l.source) == s).count();
    let model = t.model.map(|model| {
        json!({
            "scale": "100 = one hour at LTHR",
            "resting_hr": model.hr.map(|h| json!({ "bpm": h.resting.bpm, "source": h.resting.source.as_str(), "how": h.resting.how })),
            "k": model.hr.map(|h| h.k),
            "threshold_pace_s_per_km": model.threshold_speed.map(|s| round(1000.0 / s.m_s, 1)),
            "threshold_pace_how": model.threshold_speed.map(|s| s.how),
        })
    });
    json!({
        "model": model,
        "fitness_days": fitness::FITNESS_DAYS,
        "fatigue_days": fitness::FATIGUE_DAYS,
        "acwr_floor": round(t.acwr_floor, 1),
        "activities_by_source": { "hr": count(Some(LoadSource::Hr)), "pace": count(Some(LoadSource::Pace)), "none": count(None) },
        "latest": t.days.last().map(latest),
        "comebacks": t.comebacks.iter().map(|c| json!({
            "layoff_start": c.layoff_start.to_string(),
            "layoff_end": c.layoff_end.to_string(),
            "usual_week_load": round(c.usual_week_load, 1),
            "usual_week_distance_m": round(c.usual_week_distance_m, 0),
            "weeks": c.weeks.iter().enumerate().map(|(i, w)| json!({
                "start": w.start.to_string(),
                "days": w.days,
                "load": round(w.load, 1),
                "distance_m": round(w.distance_m, 0),
                "load_ratio": round(w.load_ratio, 2),
                "distance_ratio": round_opt(w.distance_ratio, 2),
                "safe_ratio": round(safe_ratio(i + 1), 2),
            })).collect::<Vec<_>>(),
            "max_ramp": round_opt(c.max_ramp, 1),
            "steep": c.is_steep(),
            "steep_week": c.steep_week,
        })).collect::<Vec<_>>(),
        "phases": t.phases.iter().map(|p| json!({
            "kind": p.kind.as_str(), "start": p.start.to_string(), "end": p.end.to_string(), "weeks": p.weeks,
        })).collect::<Vec<_>>(),
        "same_load_streaks": t.same_load_streaks.iter().map(|(a, b)| json!({ "start": a.to_string(), "end": b.to_string() })).collect::<Vec<_>>(),
        "burnout": t.burnout.iter().map(|b| json!({
            "start": b.start.to_string(),
            "end": b.end.to_string(),
            "pace_before_s_per_km": round(b.pace_before_s_per_km, 1),
            "pace_during_s_per_km": round(b.pace_during_s_per_km, 1),
            "slower_pct": round(b.slower_pct, 1),
            "runs_during": b.runs_during,
        })).collect::<Vec<_>>(),
    })
}

fn latest(d: &Day) -> Value {
    json!({
        "date": d.date.to_string(),
        "fitness": round(d.fitness, 1),
        "fatigue": round(d.fatigue, 1),
        "form": round(d.form, 1),
        "ramp": round_opt(d.ramp, 1),
        "acwr": round_opt(d.acwr, 2),
        "acwr_ewma": round_opt(d.acwr_ewma, 2),
        "monotony": round_opt(d.monotony, 2),
    })
}

/// The section as read back.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct LoadSummary {
    pub acwr_floor: f64,
    pub latest: Option<Latest>,
    pub comebacks: Vec<ComebackRow>,
    pub phases: Vec<PhaseRow>,
    pub same_load_streaks: Vec<Span>,
    pub burnout: Vec<Span>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Latest {
    pub date: Option<NaiveDate>,
    pub fitness: f64,
    pub fatigue: f64,
    pub form: f64,
    pub ramp: Option<f64>,
    pub acwr: Option<f64>,
    pub acwr_ewma: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct ComebackRow {
    pub layoff_start: Option<NaiveDate>,
    pub layoff_end: Option<NaiveDate>,
    pub usual_week_load: f64,
    pub weeks: Vec<WeekBackRow>,
    pub max_ramp: Option<f64>,
    pub steep: bool,
    pub steep_week: Option<usize>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct WeekBackRow {
    pub start: Option<NaiveDate>,
    pub load: f64,
    pub load_ratio: f64,
    pub distance_ratio: Option<f64>,
    pub safe_ratio: f64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PhaseRow {
    pub kind: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub weeks: u32,
}
