//! Staleness and overload from the daily series: streaks of the same load
//! day after day (Foster's monotony at or above 2 for two weeks and more,
//! a rut of load rather than of routes), and the burnout cue the articles
//! describe: form deeply negative for three weeks and more while pace at
//! the target heart rate falls, judged on several runs on each side, never
//! on one.

use chrono::{Duration, NaiveDate};

use super::consistency::days_before;
use super::fitness::Day;
use crate::stats::median;

/// Foster: weekly monotony above 2 goes with illness and staleness.
pub const HIGH_MONOTONY: f64 = 2.0;
pub const MIN_STREAK_DAYS: usize = 14;
/// Form below this share of fitness (negative) counts as deeply tired.
pub const TIRED_FORM_SHARE: f64 = -0.2;
pub const MIN_TIRED_DAYS: usize = 21;
/// Pace at HR this much slower than in the 4 weeks before the stretch.
pub const SLOWER_PCT: f64 = 2.0;
const MIN_PACE_RUNS: usize = 3;
const PACE_BEFORE_DAYS: i64 = 28;

/// Consecutive days (start, end) that hold for at least `min` days.
fn stretches(days: &[Day], min: usize, holds: impl Fn(&Day) -> bool) -> Vec<(NaiveDate, NaiveDate)> {
    let mut out = Vec::new();
    let mut open: Option<(NaiveDate, usize)> = None;
    for (i, d) in days.iter().enumerate() {
        if holds(d) {
            open.get_or_insert((d.date, i));
        } else if let Some((start, from)) = open.take()
            && i - from >= min
        {
            out.push((start, days[i - 1].date));
        }
    }
    if let Some((start, from)) = open
        && days.len() - from >= min
    {
        out.push((start, days[days.len() - 1].date));
    }
    out
}

/// Stretches of at least two weeks of high monotony.
pub fn same_load_streaks(days: &[Day]) -> Vec<(NaiveDate, NaiveDate)> {
    stretches(days, MIN_STREAK_DAYS, |d| d.monotony.is_some_and(|m| m >= HIGH_MONOTONY))
}

/// Sustained negative form while pace at HR fell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Burnout {
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// Median pace at HR in the 4 weeks before and during the stretch.
    pub pace_before_s_per_km: f64,
    pub pace_during_s_per_km: f64,
    pub slower_pct: f64,
    pub runs_during: usize,
}

/// `paces`: (local day, pace at the target HR) of trusted runs, sorted.
pub fn burnout(days: &[Day], paces: &[(NaiveDate, f64)]) -> Vec<Burnout> {
    let tired = |d: &Day| d.fitness > 0.0 && d.form < TIRED_FORM_SHARE * d.fitness;
    stretches(days, MIN_TIRED_DAYS, tired)
        .into_iter()
        .filter_map(|(start, end)| {
            let before: Vec<f64> = days_before(paces, start, PACE_BEFORE_DAYS, |p| p.0).iter().map(|p| p.1).collect();
            let during_days = (end - start).num_days() + 1;
            let during: Vec<f64> =
                days_before(paces, end + Duration::days(1), during_days, |p| p.0).iter().map(|p| p.1).collect();
            if before.len() < MIN_PACE_RUNS || during.len() < MIN_PACE_RUNS {
                return None;
            }
            let (b, d) = (median(&mut before.clone())?, median(&mut during.clone())?);
            let slower_pct = 100.0 * (d - b) / b;
            (slower_pct >= SLOWER_PCT).then_some(Burnout {
                start,
                end,
                pace_before_s_per_km: b,
                pace_during_s_per_km: d,
                slower_pct,
                runs_during: during.len(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn days(form: impl Fn(usize) -> f64, monotony: impl Fn(usize) -> f64) -> Vec<Day> {
        let first = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        (0..70usize)
            .zip(0i64..)
            .map(|(i, n)| Day {
                date: first + Duration::days(n),
                load: 50.0,
                fitness: 50.0,
                fatigue: 50.0 - form(i),
                form: form(i),
                ramp: None,
                acwr: None,
                acwr_ewma: None,
                monotony: Some(monotony(i)),
                strain: None,
            })
            .collect()
    }

    #[test]
    fn two_weeks_of_the_same_load_is_a_streak_and_thirteen_days_not() {
        let d = days(|_| 0.0, |i| if (20..34).contains(&i) { 3.0 } else { 1.2 });
        assert_eq!(same_load_streaks(&d), vec![(d[20].date, d[33].date)]);
        let d = days(|_| 0.0, |i| if (20..33).contains(&i) { 3.0 } else { 1.2 });
        assert!(same_load_streaks(&d).is_empty());
    }

    #[test]
    fn tired_and_slower_is_burnout_tired_alone_is_not() {
        let d = days(|i| if (30..60).contains(&i) { -15.0 } else { 0.0 }, |_| 1.0);
        let day = |i: usize| d[i].date;
        let steady: Vec<(NaiveDate, f64)> = (0..70).step_by(3).map(|i| (day(i), 360.0)).collect();
        assert!(burnout(&d, &steady).is_empty(), "form alone is training, not burnout");
        let slowing: Vec<(NaiveDate, f64)> =
            (0..70).step_by(3).map(|i| (day(i), if i >= 30 { 372.0 } else { 360.0 })).collect();
        let b = burnout(&d, &slowing);
        assert_eq!(b.len(), 1);
        assert_eq!((b[0].start, b[0].end), (day(30), day(59)));
        assert!((b[0].slower_pct - 100.0 * 12.0 / 360.0).abs() < 1e-9);
        // One slow run is not a trend.
        let one: Vec<(NaiveDate, f64)> =
            (0..70).step_by(3).map(|i| (day(i), if i == 33 { 400.0 } else { 360.0 })).collect();
        assert!(burnout(&d, &one).is_empty());
    }
}
