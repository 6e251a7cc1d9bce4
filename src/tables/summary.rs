//! `summary.json`: thresholds with where each came from, the target heart
//! rate, the counts of the run, the trend, gray share, ruts, layoffs,
//! slumps, variety and the findings, for scripts and for `runlens chart`.

use serde_json::{Value, json};

use crate::metrics::Metrics;
use crate::metrics::thresholds::Threshold;
use crate::metrics::trend::Period;
use crate::metrics::weekly;
use crate::stats::round;
use crate::units::Units;

/// What a run read, kept, merged and left out, gathered by `run`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RunCounts {
    pub files_seen: usize,
    pub activities: usize,
    pub duplicates: usize,
    pub unreadable: usize,
    pub ignored: usize,
    /// Left out by --since/--until.
    pub outside_period: usize,
    /// Kept from damaged files (partial or unverified).
    pub salvaged: usize,
}

fn threshold(t: &Threshold) -> Value {
    json!({
        "bpm": t.bpm,
        "source": t.source.as_str(),
        "how": t.how,
        "uncertainty_bpm": t.uncertainty_bpm,
        "uncertainty_why": t.uncertainty_why,
    })
}

/// How the easy and long runs were judged over the whole history, borderline
/// runs (gray only within LT1's uncertainty) apart.
fn gray_verdicts(m: &Metrics) -> Option<Value> {
    use crate::metrics::gray_zone::Verdict;
    let t = m.thresholds?;
    let count = |v: Verdict| m.runs.iter().filter(|r| r.gray_zone == Some(v)).count();
    Some(json!({
        "fine": count(Verdict::Fine),
        "borderline": count(Verdict::Borderline),
        "gray": count(Verdict::Gray),
        "severe": count(Verdict::Severe),
        "lt1_bpm": t.lt1.bpm,
        "lt1_uncertainty_bpm": t.lt1.uncertainty_bpm,
    }))
}

pub fn summary_json(m: &Metrics, counts: &RunCounts, findings: &[String], units: Units) -> Value {
    let thresholds = m.thresholds.map(|t| {
        json!({
            "max_hr": threshold(&t.max_hr),
            "lthr": threshold(&t.lthr),
            "lt1": threshold(&t.lt1),
            "resting_hr": t.resting_hr.as_ref().map(threshold),
        })
    });
    let period = |p: &Period| json!({ "from": p.from.to_string(), "to": p.to.to_string(), "runs": p.runs, "pace_s_per_km": round(p.pace_s_per_km, 1) });
    let runs_with_value = m.runs.iter().filter(|r| r.pace_at_hr_s_per_km.is_some()).count();
    json!({
        "thresholds": thresholds,
        "target_hr_bpm": m.target_hr_bpm,
        "target_hr": m.target_hr.map(|t| json!({ "bpm": t.bpm, "source": t.source_str(), "how": t.how() })),
        "counts": {
            "files_seen": counts.files_seen,
            "activities": counts.activities,
            "duplicates_merged": counts.duplicates,
            "skipped": counts.unreadable,
            "ignored": counts.ignored,
            "outside_period": counts.outside_period,
            "salvaged": counts.salvaged,
        },
        "pace_at_hr": {
            "runs_with_value": runs_with_value,
            "first_4_weeks": m.trend.as_ref().map(|t| period(&t.first)),
            "last_4_weeks": m.trend.as_ref().map(|t| period(&t.last)),
            "change_pct": m.trend.map(|t| round(t.change_pct, 1)),
            "change_uncertainty_pct": m.trend.map(|t| round(t.change_uncertainty_pct, 1)),
            "no_comparison": m.no_trend.map(crate::metrics::trend::NoTrend::describe),
            "slope_s_per_km_per_4_weeks": m.trend.and_then(|t| t.slope_s_per_km_per_4_weeks).map(|s| round(s, 1)),
            "heat": m.heat.map(|h| json!({
                "threshold_c": h.threshold_c,
                "s_per_km_per_c": round(h.s_per_km_per_c, 2),
                "uncertainty_s_per_km_per_c": round(h.uncertainty_s_per_km_per_c, 2),
                "runs": h.runs,
                "hot_runs": h.hot_runs,
                "applied": h.applied,
                "how": h.how(),
            })),
        },
        "gray_zone": weekly::recent_gray(&m.weekly).map(|(gray, easy)| json!({
            "last_4_weeks_easy_runs": easy,
            "last_4_weeks_gray_runs": gray,
            "share": round(f64::from(gray) / f64::from(easy), 3),
        })),
        "gray_zone_verdicts": gray_verdicts(m),
        "weekly_target": m.weekly_target,
        "routes": m.routes.len(),
        "rut_windows": m.rut_windows.iter().map(|(a, b)| json!({ "start": a.to_string(), "end": (*b + chrono::Duration::days(6)).to_string() })).collect::<Vec<_>>(),
        "layoffs": m.layoffs.iter().map(|l| json!({
            "start": l.start.to_string(),
            "end": l.end.to_string(),
            "days": l.days,
            "comeback_ratio": l.comeback_ratio.map(|r| round(r, 2)),
        })).collect::<Vec<_>>(),
        "slumps": m.slumps.iter().map(|s| json!({
            "start": s.start.to_string(),
            "end": s.end.to_string(),
            "weeks": s.weeks,
            "pace_s_per_km": round(s.pace_s_per_km, 1),
            "best_pace_s_per_km": round(s.best_pace_s_per_km, 1),
            "slower_pct": round(s.slower_pct, 1),
            "slower_uncertainty_pct": round(s.uncertainty_pct, 1),
            "runs": s.runs,
            "detected": s.detected.to_string(),
            "confidence": s.confidence.as_str(),
        })).collect::<Vec<_>>(),
        "variety_last_6_weeks": m.habits.map(|h| json!({
            "runs": h.runs,
            "distance_cv": round(h.distance_cv, 3),
            "pace_cv": round(h.pace_cv, 3),
            "start_time_spread_h": round(h.start_time_spread_h, 2),
            "cross_training_share": round(h.cross_training_share, 3),
        })),
        "findings": findings,
        "units": units.to_string(),
        "load": super::load_summary::load_json(m),
        "year_over_year": super::progression::progression_json(m),
        "hr_recovery": super::recovery_summary::recovery_json(m),
    })
}
