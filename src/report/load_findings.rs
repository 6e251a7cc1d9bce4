//! The training-load findings: how each comeback went against "restart
//! small", a fast ramp now, days of the same load, and the burnout cue
//! (tired for weeks while slower at the same heart rate).

use crate::metrics::Metrics;
use crate::metrics::comeback::{Comeback, WEEKS_BACK, safe_ratio};
use crate::metrics::consistency::Layoff;
use crate::metrics::overload::HIGH_MONOTONY;
use crate::stats::round;
use crate::units::Units;

/// The latest 7 days at this multiple of the 28-day average is fast, when
/// both ratios say so: the coupled one alone jumps with one big day.
pub const FAST_ACWR: f64 = 1.5;

fn pct(r: f64) -> String {
    format!("{:.0} %", 100.0 * r)
}

fn ordinal(n: usize) -> &'static str {
    ["one", "two", "three", "four"].get(n.wrapping_sub(1)).copied().unwrap_or("four")
}

/// The sentence for a layoff whose comeback could be judged.
pub fn comeback(m: &Metrics, l: &Layoff) -> Option<String> {
    let c = m.training.comebacks.iter().find(|c| c.layoff_start == l.start)?;
    let head = format!("Layoff of {} days from {} to {}", l.days, l.start, l.end);
    if let Some(n) = c.steep_week {
        return Some(format!("{head}: {}; {}", steep(c, n), restart_small(c)));
    }
    let shares: Vec<String> = c.weeks.iter().map(|w| pct(w.load_ratio)).collect();
    Some(format!(
        "{head}: you restarted small ({} of your usual week's load in the weeks back), which keeps the risk of a setback down.",
        shares.join(", ")
    ))
}

fn steep(c: &Comeback, n: usize) -> String {
    let w = &c.weeks[n - 1];
    let distance = w.distance_ratio.map_or(String::new(), |d| format!(", {} of its distance", pct(d)));
    if n == 1 {
        format!("you came back at {} of your usual week in week one{distance}", pct(w.load_ratio))
    } else {
        format!(
            "week {} back jumped to {} of your usual week{distance} (week {}: {})",
            ordinal(n),
            pct(w.load_ratio),
            ordinal(n - 1),
            pct(c.weeks[n - 2].load_ratio)
        )
    }
}

fn restart_small(c: &Comeback) -> String {
    let path: Vec<String> =
        (1..=WEEKS_BACK).map(|n| format!("{:.0}", round(safe_ratio(n) * c.usual_week_load, 0))).collect();
    format!(
        "starting near half and adding about a tenth a week (a load of {} in weeks one to four, from your usual {:.0}) keeps the risk down.",
        path.join(", "),
        c.usual_week_load
    )
}

/// Ramp, monotony and burnout findings, most pressing first.
pub fn findings(m: &Metrics, units: Units) -> Vec<String> {
    let mut out = Vec::new();
    let t = &m.training;
    if let Some(d) = t.days.last()
        && let (Some(acwr), Some(ewma)) = (d.acwr, d.acwr_ewma)
        && acwr.min(ewma) >= FAST_ACWR
    {
        out.push(format!(
            "Your last 7 days carried {acwr:.1} x your 28-day average load ({ewma:.1} x by the exponential averages; fitness {:+.1} in a week): ramping fast; keep the next week no bigger.",
            d.ramp.unwrap_or(0.0)
        ));
    }
    for b in &t.burnout {
        out.push(format!(
            "From {} to {} you stayed deeply tired (form far below zero) while pace at {:.0} bpm fell {:.1} % ({} to {}, {} runs): the burnout pattern, not one bad day; take an easy week or two.",
            b.start,
            b.end,
            m.target_hr_bpm.unwrap_or_default(),
            b.slower_pct,
            units.pace(round(b.pace_before_s_per_km, 1)),
            units.pace(round(b.pace_during_s_per_km, 1)),
            b.runs_during,
        ));
    }
    for (a, b) in &t.same_load_streaks {
        out.push(format!(
            "From {a} to {b} you trained at the same load day after day (Foster's monotony of {HIGH_MONOTONY:.0} or more for {} days): alternate hard and easy days.",
            (*b - *a).num_days() + 1
        ));
    }
    out
}
