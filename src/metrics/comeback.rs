//! The comeback after each layoff, judged by weekly load and distance
//! against the level before it, not by an acute:chronic ratio (which is
//! meaningless while chronic load is near zero, exactly then).
//!
//! The safe path, "restart small": the first week back near half the usual
//! week, then about a tenth of the usual week more each week (week n:
//! 0.5 + 0.1 (n - 1)). A comeback is steep when a week back is more than a
//! quarter of the usual week above that path, or when it both rises above
//! the path and is more than 1.5 x the week before.

use chrono::{Duration, NaiveDate};

use super::consistency::{Layoff, days_before};
use super::fitness::Day;

pub const SAFE_START: f64 = 0.5;
pub const SAFE_STEP: f64 = 0.1;
pub const STEEP_MARGIN: f64 = 0.25;
pub const MAX_WEEK_OVER_WEEK: f64 = 1.5;
pub const WEEKS_BACK: usize = 4;
const WEEKS_BACK_I64: i64 = 4;
/// Below this usual weekly load there is no level to come back to.
const MIN_USUAL_WEEK_LOAD: f64 = 50.0;
const BEFORE_DAYS: i64 = 28;

/// One week back after a layoff (the last may be shorter: the data end).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WeekBack {
    pub start: NaiveDate,
    pub days: u32,
    pub load: f64,
    pub distance_m: f64,
    /// Load / the usual week's load.
    pub load_ratio: f64,
    /// Distance / the usual week's distance (`None` without distance before).
    pub distance_ratio: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Comeback {
    pub layoff_start: NaiveDate,
    pub layoff_end: NaiveDate,
    /// Mean weekly load and distance of the 4 weeks before the layoff.
    pub usual_week_load: f64,
    pub usual_week_distance_m: f64,
    pub weeks: Vec<WeekBack>,
    /// Largest 7-day fitness ramp in the weeks back.
    pub max_ramp: Option<f64>,
    /// The first week back (1-based) steeper than the safe path.
    pub steep_week: Option<usize>,
}

impl Comeback {
    pub fn is_steep(&self) -> bool {
        self.steep_week.is_some()
    }
}

/// The safe share of the usual week in week `n` back (1-based).
pub fn safe_ratio(n: usize) -> f64 {
    SAFE_START + SAFE_STEP * (n as f64 - 1.0)
}

/// One comeback per layoff with a usual level to compare with. `days` is
/// the daily series; `distances` the runs' (local day, metres), sorted.
pub fn comebacks(layoffs: &[Layoff], days: &[Day], distances: &[(NaiveDate, f64)]) -> Vec<Comeback> {
    let Some(last_day) = days.last().map(|d| d.date) else { return Vec::new() };
    let load_in = |from: NaiveDate, to: NaiveDate| days_before(days, to, (to - from).num_days(), |d| d.date);
    let distance_in = |from: NaiveDate, to: NaiveDate| {
        days_before(distances, to, (to - from).num_days(), |d| d.0).iter().map(|d| d.1).sum::<f64>()
    };
    layoffs
        .iter()
        .filter_map(|l| {
            let before_from = l.start - Duration::days(BEFORE_DAYS);
            let usual_week_load = load_in(before_from, l.start).iter().map(|d| d.load).sum::<f64>() / 4.0;
            if usual_week_load < MIN_USUAL_WEEK_LOAD {
                return None;
            }
            let usual_week_distance_m = distance_in(before_from, l.start) / 4.0;
            let back = l.end + Duration::days(1);
            let weeks: Vec<WeekBack> = (0..WEEKS_BACK_I64)
                .map(|n| back + Duration::weeks(n))
                .take_while(|start| *start <= last_day)
                .map(|start| {
                    let end = (start + Duration::days(7)).min(last_day + Duration::days(1));
                    let load = load_in(start, end).iter().map(|d| d.load).sum::<f64>();
                    let distance_m = distance_in(start, end);
                    WeekBack {
                        start,
                        days: u32::try_from((end - start).num_days()).unwrap_or(7),
                        load,
                        distance_m,
                        load_ratio: load / usual_week_load,
                        distance_ratio: (usual_week_distance_m > 0.0).then(|| distance_m / usual_week_distance_m),
                    }
                })
                .collect();
            let until = back + Duration::weeks(WEEKS_BACK_I64);
            let max_ramp = load_in(back, until).iter().filter_map(|d| d.ramp).reduce(f64::max);
            Some(Comeback {
                layoff_start: l.start,
                layoff_end: l.end,
                usual_week_load,
                usual_week_distance_m,
                steep_week: steep_week(&weeks),
                weeks,
                max_ramp,
            })
        })
        .collect()
}

fn steep_week(weeks: &[WeekBack]) -> Option<usize> {
    weeks.iter().enumerate().find_map(|(i, w)| {
        let safe = safe_ratio(i + 1);
        let jump = i > 0 && w.load > MAX_WEEK_OVER_WEEK * weeks[i - 1].load && w.load_ratio > safe;
        (w.load_ratio > safe + STEEP_MARGIN || jump).then_some(i + 1)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::fitness::daily;

    fn day(i: i64) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 2).unwrap() + Duration::days(i)
    }

    /// Four weeks of 4 x 50 (usual week 200, 40 km), 3 weeks off, then
    /// four weeks at the given shares of the usual week.
    fn history(shares: [f64; 4]) -> Vec<Comeback> {
        let mut loads = Vec::new();
        let mut km = Vec::new();
        for w in 0..4 {
            for d in [0, 2, 4, 6] {
                loads.push((day(w * 7 + d), 50.0));
                km.push((day(w * 7 + d), 10_000.0));
            }
        }
        for (w, share) in (0i64..).zip(shares) {
            for d in [0, 2, 4, 6] {
                let i = 49 + w * 7 + d;
                loads.push((day(i), 50.0 * share));
                km.push((day(i), 10_000.0 * share));
            }
        }
        let (days, _) = daily(&loads);
        let layoff = Layoff { start: day(28), end: day(48), days: 21, comeback_ratio: None };
        comebacks(&[layoff], &days, &km)
    }

    #[test]
    fn straight_back_to_the_old_week_is_steep() {
        let c = &history([1.2, 1.2, 1.2, 1.2])[0];
        // The 28 days before the layoff hold 16 runs of 50: 200 a week.
        assert!((c.usual_week_load - 200.0).abs() < 1e-9, "{}", c.usual_week_load);
        assert!((c.usual_week_distance_m - 40_000.0).abs() < 1e-9);
        assert!((c.weeks[0].distance_ratio.unwrap() - 1.2).abs() < 1e-9);
        assert!((c.weeks[0].load - 240.0).abs() < 1e-9);
        assert_eq!(c.steep_week, Some(1));
        assert!(c.max_ramp.unwrap() > 0.0);
    }

    #[test]
    fn restarting_small_is_not_steep() {
        let c = &history([0.45, 0.55, 0.65, 0.75])[0];
        assert_eq!(c.weeks.len(), 4);
        assert_eq!(c.steep_week, None, "{:?}", c.weeks);
    }

    #[test]
    fn doubling_a_small_first_week_above_the_path_is_steep() {
        // 0.35 then 0.75: under the path plus margin (0.85), but over twice the week before.
        let c = &history([0.35, 0.75, 0.75, 0.75])[0];
        assert_eq!(c.steep_week, Some(2), "{:?}", c.weeks);
    }
}
