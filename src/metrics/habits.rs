//! Beyond routes, the other ways runs can all be alike: the same distance,
//! the same pace, the same time of day, and no other sport. Measured over
//! the last six weeks, like route variety.

use std::f64::consts::PI;

use chrono::Timelike;

use crate::features::Analyzed;
use crate::stats::cv;

const WINDOW_MS: i64 = 42 * 86_400_000;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Habits {
    pub runs: usize,
    /// Coefficient of variation of run distances.
    pub distance_cv: f64,
    /// Coefficient of variation of average paces.
    pub pace_cv: f64,
    /// Circular spread of local start times, hours.
    pub start_time_spread_h: f64,
    /// Share of moving time spent on other sports.
    pub cross_training_share: f64,
}

/// Spread of times of day on the 24-hour circle (23:30 and 00:30 are an
/// hour apart, not 23).
fn circular_spread_h(hours: &[f64]) -> f64 {
    let n = hours.len() as f64;
    let (s, c) = hours.iter().fold((0.0, 0.0), |(s, c), h| {
        let a = h / 24.0 * 2.0 * PI;
        (s + a.sin(), c + a.cos())
    });
    let r = ((s / n).powi(2) + (c / n).powi(2)).sqrt().clamp(1e-12, 1.0);
    (-2.0 * r.ln()).sqrt() * 24.0 / (2.0 * PI)
}

pub fn habits(items: &[Analyzed]) -> Option<Habits> {
    let last = items.iter().map(|a| a.activity.meta.start_ms).max()?;
    let recent: Vec<&Analyzed> = items.iter().filter(|a| a.activity.meta.start_ms > last - WINDOW_MS).collect();
    let runs: Vec<&&Analyzed> = recent.iter().filter(|a| a.counts_as_run).collect();
    if runs.len() < 2 {
        return None;
    }
    let distances: Vec<f64> = runs.iter().filter_map(|a| a.summary.distance_m).collect();
    let paces: Vec<f64> = runs.iter().filter_map(|a| a.summary.avg_pace_s_per_km).collect();
    let hours: Vec<f64> =
        runs.iter().map(|a| f64::from(a.local_start().num_seconds_from_midnight()) / 3600.0).collect();
    let moving =
        |f: &dyn Fn(&&Analyzed) -> bool| recent.iter().filter(|a| f(a)).map(|a| a.summary.moving_time_s).sum::<f64>();
    let total = moving(&|_| true);
    Some(Habits {
        runs: runs.len(),
        distance_cv: if distances.len() >= 2 { cv(&distances) } else { 0.0 },
        pace_cv: if paces.len() >= 2 { cv(&paces) } else { 0.0 },
        start_time_spread_h: circular_spread_h(&hours),
        cross_training_share: if total > 0.0 { moving(&|a| !a.counts_as_run) / total } else { 0.0 },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_of_day_wrap_around_midnight() {
        assert!(circular_spread_h(&[23.5, 0.5]) < 1.1);
        assert!(circular_spread_h(&[7.0, 7.0, 7.0]) < 0.01);
        assert!(circular_spread_h(&[6.0, 18.0]) > 6.0);
        assert!((cv(&[10.0, 10.0]) - 0.0).abs() < 1e-12);
    }
}
