//! `summary.json` and the findings: the answers in plain sentences, with the
//! numbers behind them and where every threshold came from.

use serde_json::{Value, json};

use crate::frame::{round, utc_day};
use crate::metrics::Metrics;
use crate::metrics::thresholds::Threshold;
use crate::report::terminal::Counts;
use crate::units::Units;

/// "6:24/km" or "10:18/mi", from the value rounded as summary.json stores it
/// (0.1 s/km), so the sentence and the key figures built from summary.json
/// never differ.
fn pace(s_per_km: f64, units: Units) -> String {
    units.pace(round(s_per_km.max(0.0), 1))
}

/// Plain sentences a runner can act on, most important first, in the
/// units the runner reads.
pub fn findings(m: &Metrics, units: Units) -> Vec<String> {
    let pace = |s_per_km: f64| pace(s_per_km, units);
    let mut out = Vec::new();
    match (m.target_hr_bpm, m.trend) {
        (Some(target), Some(t)) => {
            let direction = if t.change_pct >= 0.0 { "faster" } else { "slower" };
            out.push(format!(
                "At {target:.0} bpm you ran {} in the first 4 weeks ({} to {}) and {} in the last 4 ({} to {}): {:.1} % {direction}.",
                pace(t.first.pace_s_per_km),
                utc_day(t.first.from_ms),
                utc_day(t.first.to_ms),
                pace(t.last.pace_s_per_km),
                utc_day(t.last.from_ms),
                utc_day(t.last.to_ms),
                t.change_pct.abs(),
            ));
        }
        (Some(target), None) => out.push(format!(
            "Not enough runs with steady stretches near {target:.0} bpm over at least 4 weeks to show a trend in pace at that heart rate yet."
        )),
        (None, _) => out.push(
            "No heart-rate data in the runs, and no thresholds given: pace at a fixed heart rate needs one or the other.".into(),
        ),
    }
    if let Some((gray, easy)) = recent_gray(m) {
        let share = 100.0 * f64::from(gray) / f64::from(easy);
        out.push(if gray == 0 {
            format!("All {easy} easy and long runs of the last 4 weeks stayed below LT1: easy days are easy.")
        } else {
            format!(
                "{gray} of {easy} easy and long runs in the last 4 weeks drifted into the gray zone ({share:.0} %): slow those down to keep easy days easy."
            )
        });
    }
    if let Some(&(from, to)) = m.rut_windows.last() {
        let ongoing = crate::metrics::consistency::weeks(&m.weekly).ok().and_then(|w| w.last().copied()) == Some(to);
        out.push(if ongoing {
            format!("You are in a rut: since the week of {from}, nearly all your runs follow the same three routes. Try a new loop.")
        } else {
            format!("From the week of {from} to the week of {to} nearly all your runs followed the same three routes (a rut); you have varied them since.")
        });
    }
    for s in &m.slumps {
        let target = m.target_hr_bpm.unwrap_or_default();
        out.push(format!(
            "From {} to {}, {:.1} % slower at {target:.0} bpm ({}) than your best 4 weeks ({}): your runs are slower even when they should be easy; consider more recovery.",
            s.start,
            s.end,
            s.slower_pct,
            pace(s.pace_s_per_km),
            pace(s.best_pace_s_per_km),
        ));
    }
    if let Some(h) = m.habits.filter(|h| h.runs >= 8) {
        let mut alike = Vec::new();
        if h.distance_cv < 0.10 {
            alike.push("the same distance");
        }
        if h.start_time_spread_h < 0.75 {
            alike.push("at the same time of day");
        }
        if h.cross_training_share == 0.0 {
            alike.push("with no other sport");
        }
        if alike.len() >= 2 {
            out.push(format!(
                "Your last 6 weeks of runs are all alike: {}. A change of stimulus helps progress.",
                alike.join(", ")
            ));
        }
    }
    // The latest two: older ones are history (all are in summary.json).
    for l in m.layoffs.iter().rev().take(2).rev() {
        let ramp = l.comeback_ratio.map_or(String::new(), |r| {
            format!(
                "; the first week back was {:.0} % of your usual weekly distance{}",
                100.0 * r,
                if r > 1.1 { ", a steep return" } else { "" }
            )
        });
        out.push(format!("Layoff of {} days from {} to {}{ramp}.", l.days, l.start, l.end));
    }
    if let Some(t) = &m.thresholds {
        let estimated: Vec<&str> = [("max HR", &t.max_hr), ("LTHR", &t.lthr), ("LT1", &t.lt1)]
            .into_iter()
            .filter(|(_, th)| th.source == crate::metrics::thresholds::Source::Estimate)
            .map(|(name, _)| name)
            .collect();
        if !estimated.is_empty() {
            out.push(format!(
                "{} estimated from your runs; pass --max-hr / --lthr / --lt1 if you know better values.",
                estimated.join(", ")
            ));
        }
    }
    out
}

/// (gray, easy) runs in the last 4 weeks of the weekly table.
fn recent_gray(m: &Metrics) -> Option<(u32, u32)> {
    let sum = |name: &str| -> Option<u32> {
        let c = m.weekly.column(name).ok()?.u32().ok()?.clone();
        let n = c.len();
        Some(c.slice(i64::try_from(n.saturating_sub(4)).ok()?, 4).iter().flatten().sum())
    };
    let (gray, easy) =
        (sum(crate::metrics::weekly::col::GRAY_EASY_RUNS)?, sum(crate::metrics::weekly::col::EASY_RUNS)?);
    (easy > 0).then_some((gray, easy))
}

fn threshold(t: &Threshold) -> Value {
    json!({ "bpm": t.bpm, "source": t.source.as_str(), "how": t.how })
}

pub fn summary_json(m: &Metrics, counts: &Counts, findings: &[String], units: crate::units::Units) -> Value {
    let thresholds = m.thresholds.map(|t| {
        json!({
            "max_hr": threshold(&t.max_hr),
            "lthr": threshold(&t.lthr),
            "lt1": threshold(&t.lt1),
            "resting_hr": t.resting_hr.as_ref().map(threshold),
        })
    });
    let period = |p: &crate::metrics::trend::Period| json!({ "from": utc_day(p.from_ms), "to": utc_day(p.to_ms), "runs": p.runs, "pace_s_per_km": round(p.pace_s_per_km, 1) });
    let runs_with_value = m.runs.iter().filter(|r| r.pace_at_hr_s_per_km.is_some()).count();
    json!({
        "thresholds": thresholds,
        "target_hr_bpm": m.target_hr_bpm,
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
            "slope_s_per_km_per_4_weeks": m.trend.and_then(|t| t.slope_s_per_km_per_4_weeks).map(|s| round(s, 1)),
        },
        "gray_zone": recent_gray(m).map(|(gray, easy)| json!({
            "last_4_weeks_easy_runs": easy,
            "last_4_weeks_gray_runs": gray,
            "share": round(f64::from(gray) / f64::from(easy), 3),
        })),
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
    })
}
