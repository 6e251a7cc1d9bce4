//! The race predictions in the terminal's key figures: one line per method,
//! extrapolations starred, and what pace at HR says has changed.

use super::Paint;
use std::fmt::Write as _;

use crate::features::efforts::same_distance;
use crate::metrics::predictions::{Method, TARGETS_M, distance_name};
use crate::tables::efforts::EffortsSummary;
use crate::tables::readback::Readback;
use crate::units::clock;

/// "race: VDOT": "5 km 19:22 · 10 km 40:08 · half marathon 1:28:51* (* extrapolated)".
pub fn rows(input: &Readback, p: Paint) -> Vec<(String, String)> {
    let Some(e) = &input.summary.efforts else { return Vec::new() };
    [(Method::Riegel, "race: Riegel"), (Method::Vdot, "race: VDOT"), (Method::PaceAtHr, "race: at HR")]
        .into_iter()
        .filter_map(|(m, name)| Some((name.to_owned(), line(e, m, p)?)))
        .collect()
}

fn line(e: &EffortsSummary, method: Method, p: Paint) -> Option<String> {
    let found: Vec<_> = TARGETS_M
        .iter()
        .filter_map(|&d| e.predictions.iter().find(|r| same_distance(r.distance_m, d) && r.method == method.as_str()))
        .collect();
    if found.is_empty() {
        return None;
    }
    let times: Vec<String> = found
        .iter()
        .map(|r| {
            format!(
                "{} {}{}",
                distance_name(r.distance_m),
                clock(r.time_s),
                if r.out_of_range.is_some() { "*" } else { "" }
            )
        })
        .collect();
    let mut text = times.join(" \u{b7} ");
    if found.iter().any(|r| r.out_of_range.is_some()) {
        text.push_str(&p.dim(" (* extrapolated)"));
    }
    // The change for the longest distance still in range: "about 1:40 faster
    // over the half marathon than on 2026-03-14".
    if let Some(r) = found.iter().rev().find(|r| r.out_of_range.is_none() && r.change_s.is_some_and(|c| c.abs() >= 1.0))
        && let (Some(c), Some(since)) = (r.change_s, r.since)
    {
        let word = if c < 0.0 {
            p.green(&format!("about {} faster", clock(-c)))
        } else {
            p.red(&format!("about {} slower", clock(c)))
        };
        let _ = write!(text, "; {} {word} than on {since}", distance_name(r.distance_m));
    }
    Some(text)
}
