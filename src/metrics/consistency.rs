//! Consistency: every ISO week with its runs (empty weeks included), the
//! streak of weeks meeting the weekly target, layoffs (10 days or more
//! without a run) and how steep the comeback was.

use chrono::{Duration, NaiveDate};

use super::weekly::{self, Week};
use crate::dates;
use crate::features::Analyzed;
use crate::metrics::RunMetrics;
use crate::metrics::routes::{self, Route};

pub const LAYOFF_DAYS: i64 = 10;
/// Below this weekly distance before a layoff there is no "usual volume" to
/// compare the comeback with.
const MIN_BASE_WEEKLY_M: f64 = 5000.0;

/// Days without a run, and the comeback after them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Layoff {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub days: i64,
    /// Distance in the first 7 days back / mean weekly distance of the 4
    /// weeks before (1.0: straight back to the old volume).
    pub comeback_ratio: Option<f64>,
}

/// The entries (sorted by day) in the `days` days before `end`.
pub fn days_before<T>(sorted: &[T], end: NaiveDate, days: i64, day: impl Fn(&T) -> NaiveDate) -> &[T] {
    let from = end - Duration::days(days);
    let a = sorted.partition_point(|x| day(x) < from);
    let b = sorted.partition_point(|x| day(x) < end);
    &sorted[a..b.max(a)]
}

/// The Mondays of the weekly table.
pub fn weeks(weekly: &[Week]) -> Vec<NaiveDate> {
    weekly.iter().map(|w| w.start).collect()
}

pub fn layoffs(items: &[Analyzed]) -> Vec<Layoff> {
    let mut runs: Vec<(NaiveDate, f64)> = items
        .iter()
        .filter(|a| a.counts_as_run)
        .map(|a| (a.local_day(), a.summary.distance_m.unwrap_or(0.0)))
        .collect();
    runs.sort_by_key(|r| r.0);
    let volume = |from: NaiveDate, to: NaiveDate| {
        days_before(&runs, to, (to - from).num_days(), |r| r.0).iter().map(|r| r.1).sum::<f64>()
    };
    runs.windows(2)
        .filter_map(|w| {
            let (last, next) = (w[0].0, w[1].0);
            let days = (next - last).num_days() - 1;
            (days >= LAYOFF_DAYS).then(|| {
                let before = volume(last - Duration::days(27), last + Duration::days(1)) / 4.0;
                let after = volume(next, next + Duration::days(7));
                Layoff {
                    start: last + Duration::days(1),
                    end: next - Duration::days(1),
                    days,
                    comeback_ratio: (before >= MIN_BASE_WEEKLY_M).then(|| after / before),
                }
            })
        })
        .collect()
}

/// The weekly table: the weekly sums, every week from the first to the
/// last run, the streak, and the pace-at-HR trend value at each week's end.
pub fn weekly_table(items: &[Analyzed], runs: &[RunMetrics], routes: &[Route], weekly_target: u32) -> Vec<Week> {
    let by_week = weekly::weekly_sums(items, runs);
    let (Some(&first), Some(&last)) = (by_week.keys().next(), by_week.keys().next_back()) else {
        return Vec::new();
    };
    // Confident runs only, as every trend: a drifting run is no evidence of fitness.
    let paces = super::level::trend_runs(items, runs);
    let noise_sd = super::level::noise_sd(&paces);
    let mut on_routes: Vec<(NaiveDate, usize, usize)> =
        items.iter().zip(runs).enumerate().filter_map(|(i, (a, r))| Some((a.local_day(), i, r.route?))).collect();
    // Sorted by day, so each week's window is found by binary search rather
    // than a scan of the whole history: linear in weeks plus runs.
    on_routes.sort_by_key(|r| r.0);
    let first_runs: Vec<usize> = routes.iter().map(|r| r.runs[0]).collect();
    let mut table = Vec::new();
    let mut streak = 0u32;
    for w in (first..=last).step_by(7) {
        let sums = by_week.get(&w).copied().unwrap_or_default();
        streak = if sums.runs >= weekly_target { streak + 1 } else { 0 };
        let start = dates::date_of(w);
        let week_end = start + Duration::days(7);
        let level = noise_sd.and_then(|sd| super::level::rolling(&paces, week_end, sd));
        let in_window: Vec<(usize, usize)> =
            days_before(&on_routes, week_end, routes::WINDOW_DAYS, |r| r.0).iter().map(|&(_, i, r)| (i, r)).collect();
        table.push(Week {
            start,
            sums,
            pace_at_hr_s_per_km: level.map(|l| l.pace_s_per_km),
            pace_at_hr_band_s_per_km: level.map(|l| l.band_s_per_km()),
            streak_weeks: streak,
            variety: routes::variety(&in_window, &first_runs),
        });
    }
    table
}

/// Consecutive rut weeks as (first, last) week starts.
pub fn rut_windows(weekly: &[Week]) -> Vec<(NaiveDate, NaiveDate)> {
    let mut out: Vec<(NaiveDate, NaiveDate)> = Vec::new();
    let mut open: Option<(NaiveDate, NaiveDate)> = None;
    for w in weekly {
        if w.is_rut() {
            open = Some(open.map_or((w.start, w.start), |(a, _)| (a, w.start)));
        } else {
            out.extend(open.take());
        }
    }
    out.extend(open);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::kernel::RunKernel;
    use crate::parse::{Activity, Summary};

    /// A run on day `day` of 2026 (UTC).
    fn run(day: i64) -> Analyzed {
        let mut activity = Activity::default();
        activity.meta.start_ms = (1_767_225_600 + day * 86_400 + 7 * 3600) * 1000;
        Analyzed {
            activity,
            summary: Summary { duration_s: 3600.0, moving_time_s: 3600.0, ..Summary::default() },
            hr_seconds: crate::features::hr_seconds::HrSeconds::default(),
            quality: crate::clean::Quality::default(),
            kernel: RunKernel::default(),
            load: crate::features::load::LoadInputs::default(),
            recovery: None,
            route: None,
            counts_as_run: true,
            channels: 1,
            duplicates: Vec::new(),
        }
    }

    #[test]
    fn weekly_pace_at_hr_leaves_low_confidence_runs_out() {
        // The bug: the weekly trend value was the median of every run with a
        // value, drifting ones included, although they are documented as left out.
        let items: Vec<Analyzed> = (0..56).step_by(2).map(run).collect();
        let runs: Vec<RunMetrics> = (0..items.len())
            .map(|i| {
                // Every other run drifted and reads 60 s/km faster than the rest.
                let drifted = i % 2 == 0;
                RunMetrics {
                    pace_at_hr_s_per_km: Some(if drifted {
                        280.0
                    } else if i % 4 == 1 {
                        341.0
                    } else {
                        339.0
                    }),
                    low_confidence: drifted,
                    ..RunMetrics::default()
                }
            })
            .collect();
        let table = weekly_table(&items, &runs, &[], 3);
        let paces: Vec<f64> = table.iter().filter_map(|w| w.pace_at_hr_s_per_km).collect();
        assert!(!paces.is_empty());
        assert!(paces.iter().all(|p| (p - 340.0).abs() < 3.0), "{paces:?}");
        assert!(table.iter().filter_map(|w| w.pace_at_hr_band_s_per_km).all(|b| b > 0.0));
    }
}
