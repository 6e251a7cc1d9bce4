//! The findings: the answers in plain sentences a runner can act on, most
//! important first. Printed, and stored in summary.json.

use crate::metrics::Metrics;
use crate::metrics::{consistency, weekly};
use crate::stats::round;
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
    out.push(trend_sentence(m, units));
    if let Some((gray, easy)) = weekly::recent_gray(&m.weekly) {
        let share = 100.0 * f64::from(gray) / f64::from(easy);
        out.push(if gray == 0 {
            format!("All {easy} easy and long runs of the last 4 weeks stayed below LT1: easy days are easy.")
        } else {
            format!(
                "{gray} of {easy} easy and long runs in the last 4 weeks drifted into the gray zone ({share:.0} %): slow those down to keep easy days easy."
            )
        });
    }
    out.extend(borderline(m));
    if let Some(&(from, to)) = m.rut_windows.last() {
        let ongoing = consistency::weeks(&m.weekly).last().copied() == Some(to);
        out.push(if ongoing {
            format!("You are in a rut: since the week of {from}, nearly all your runs follow the same three routes. Try a new loop.")
        } else {
            format!("From the week of {from} to the week of {to} nearly all your runs followed the same three routes (a rut); you have varied them since.")
        });
    }
    for s in &m.slumps {
        let target = m.target_hr_bpm.unwrap_or_default();
        out.push(format!(
            "Since {} ({} runs to {}) you ran {} at {target:.0} bpm against {} in the 9 weeks before: {:.1} % slower (\u{b1} {:.1} %, {} confidence, clear from {}). Your runs are slower even when they should be easy; consider more recovery.",
            s.start,
            s.runs,
            s.end,
            pace(s.pace_s_per_km),
            pace(s.best_pace_s_per_km),
            s.slower_pct,
            s.uncertainty_pct,
            s.confidence.as_str(),
            s.detected,
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
    out.extend(super::load_findings::findings(m, units));
    out.extend(super::progression_findings::findings(m, units));
    out.extend(super::recovery_findings::finding(m));
    for l in m.layoffs.iter().rev().take(2).rev() {
        if let Some(sentence) = super::load_findings::comeback(m, l) {
            out.push(sentence);
            continue;
        }
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

/// The headline: first versus last four weeks with its uncertainty, or why
/// there is none.
fn trend_sentence(m: &Metrics, units: Units) -> String {
    let pace = |s_per_km: f64| pace(s_per_km, units);
    match (m.target_hr_bpm, m.trend) {
        (Some(target), Some(t)) => {
            let direction = if t.change_pct >= 0.0 { "faster" } else { "slower" };
            let verdict = if t.change_pct.abs() <= t.change_uncertainty_pct {
                ", within the noise: no clear change"
            } else {
                ""
            };
            format!(
                "At {target:.0} bpm you ran {} in the first 4 weeks ({} to {}, {} runs) and {} in the last 4 ({} to {}, {} runs): {:.1} % {direction} (\u{b1} {:.1} %){verdict}.",
                pace(t.first.pace_s_per_km),
                t.first.from,
                t.first.to,
                t.first.runs,
                pace(t.last.pace_s_per_km),
                t.last.from,
                t.last.to,
                t.last.runs,
                t.change_pct.abs(),
                t.change_uncertainty_pct,
            )
        }
        (Some(target), None) => format!(
            "No first-versus-last comparison of pace at {target:.0} bpm yet: {}.",
            m.no_trend.map_or_else(|| "not enough runs".into(), crate::metrics::trend::NoTrend::describe)
        ),
        (None, _) => {
            "No heart-rate data in the runs, and no thresholds given: pace at a fixed heart rate needs one or the other.".into()
        }
    }
}

/// Easy runs gray only if the estimated LT1 is too low are not flagged;
/// say how many and how to settle it.
fn borderline(m: &Metrics) -> Option<String> {
    let t = m.thresholds?;
    let n = m.runs.iter().filter(|r| r.gray_zone == Some(crate::metrics::gray_zone::Verdict::Borderline)).count();
    (n > 0).then(|| {
        format!(
            "{n} easy or long {} above the estimated LT1 ({:.0} bpm) but within its uncertainty (+-{:.0} bpm: {}): gray only if the estimate is too low, so not flagged. Pass --lt1 if you know yours.",
            if n == 1 { "run sat" } else { "runs sat" },
            t.lt1.bpm,
            t.lt1.uncertainty_bpm,
            t.lt1.uncertainty_why
        )
    })
}
