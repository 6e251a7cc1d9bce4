//! "Are your runs slower even when they should be easy?" A slump is three or
//! more consecutive weeks whose 4-week pace at the target heart rate is
//! worse than the athlete's best 4-week level so far by more than the
//! run-to-run noise allows (two robust standard errors) and by at least 2 %.
//! Never from one run.

use chrono::{Duration, NaiveDate};

use crate::stats::median;

const WINDOW_DAYS: i64 = 28;
const MIN_WINDOW_RUNS: usize = 3;
const MIN_WEEKS: usize = 3;
/// Noise bands alone flag 0.2 % in very steady data: statistically real,
/// meaningless to a runner. A slump must also be at least this much slower.
const MIN_SLOWER_PCT: f64 = 2.0;
const STANDARD_ERRORS: f64 = 2.0;
/// Normal-consistent MAD, and the efficiency cost of a median over a mean.
const MAD_TO_SD: f64 = 1.4826;
const MEDIAN_SE_FACTOR: f64 = 1.2533;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Slump {
    /// Monday of the first slow week, and the Sunday of the last.
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub weeks: usize,
    pub best_pace_s_per_km: f64,
    pub pace_s_per_km: f64,
    pub slower_pct: f64,
}

/// `runs`: (local day, pace at target HR), any order; `weeks`: Mondays.
pub fn slumps(runs: &[(NaiveDate, f64)], weeks: &[NaiveDate]) -> Vec<Slump> {
    let mut sorted = runs.to_vec();
    sorted.sort_by_key(|r| r.0);
    let runs = sorted.as_slice();
    let levels: Vec<Option<(f64, usize)>> = weeks
        .iter()
        .map(|&monday| {
            let end = monday + Duration::days(7);
            let mut window: Vec<f64> =
                super::consistency::days_before(runs, end, WINDOW_DAYS, |r| r.0).iter().map(|r| r.1).collect();
            let n = window.len();
            (n >= MIN_WINDOW_RUNS).then(|| median(&mut window).map(|m| (m, n))).flatten()
        })
        .collect();
    let Some(sd) = noise_sd(runs, weeks, &levels) else { return Vec::new() };
    let mut out = Vec::new();
    let mut best: Option<f64> = None;
    let mut slow: Vec<(usize, f64, f64)> = Vec::new(); // (week, level, best)
    for (w, level) in levels.iter().enumerate() {
        let Some((pace, n)) = *level else {
            close(&mut slow, weeks, &mut out);
            continue;
        };
        let se = MEDIAN_SE_FACTOR * sd / (n as f64).sqrt();
        match best {
            Some(b) if pace > b + STANDARD_ERRORS * se && pace > b * (1.0 + MIN_SLOWER_PCT / 100.0) => {
                slow.push((w, pace, b));
            }
            _ => close(&mut slow, weeks, &mut out),
        }
        // The best level is what the athlete has shown, slow weeks included.
        best = Some(best.map_or(pace, |b: f64| b.min(pace)));
    }
    close(&mut slow, weeks, &mut out);
    out
}

fn close(slow: &mut Vec<(usize, f64, f64)>, weeks: &[NaiveDate], out: &mut Vec<Slump>) {
    if slow.len() >= MIN_WEEKS {
        let (first, last) = (slow[0], slow[slow.len() - 1]);
        out.push(Slump {
            start: weeks[first.0],
            end: weeks[last.0] + Duration::days(6),
            weeks: slow.len(),
            best_pace_s_per_km: last.2,
            pace_s_per_km: last.1,
            slower_pct: 100.0 * (last.1 - last.2) / last.2,
        });
    }
    slow.clear();
}

/// Run-to-run noise: robust spread of each run around its week's level.
fn noise_sd(runs: &[(NaiveDate, f64)], weeks: &[NaiveDate], levels: &[Option<(f64, usize)>]) -> Option<f64> {
    let mut residuals: Vec<f64> = runs
        .iter()
        .filter_map(|&(day, pace)| {
            let w = weeks.partition_point(|&m| m <= day).checked_sub(1)?;
            Some((pace - levels[w]?.0).abs())
        })
        .collect();
    median(&mut residuals).map(|mad| (MAD_TO_SD * mad).max(0.5))
}

#[cfg(test)]
#[allow(clippy::cast_possible_wrap)] // a few weeks of test days
mod tests {
    use super::*;

    fn weeks(n: usize) -> Vec<NaiveDate> {
        let first = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        (0..n).map(|w| first + Duration::days(7 * w as i64)).collect()
    }

    /// Four runs a week with a weekly pace and +-3 s/km noise.
    fn runs(pace_by_week: impl Fn(usize) -> f64, n: usize) -> Vec<(NaiveDate, f64)> {
        let noise = [-3.0, 1.0, 3.0, -1.0];
        let mut out = Vec::new();
        for (w, monday) in weeks(n).into_iter().enumerate() {
            for (k, jitter) in noise.iter().enumerate() {
                out.push((monday + Duration::days(2 * k as i64), pace_by_week(w) + jitter));
            }
        }
        out
    }

    #[test]
    fn steady_improvement_is_no_slump() {
        assert!(slumps(&runs(|w| 360.0 - w as f64, 16), &weeks(16)).is_empty());
    }

    #[test]
    fn weeks_of_slower_running_are_a_slump_with_dates() {
        let pace = |w: usize| if w < 9 { 360.0 - 2.0 * w as f64 } else { 342.0 + 5.0 * (w - 8) as f64 };
        let found = slumps(&runs(pace, 16), &weeks(16));
        assert_eq!(found.len(), 1, "{found:?}");
        let s = found[0];
        assert!(s.start >= NaiveDate::from_ymd_opt(2026, 8, 3).unwrap(), "{s:?}");
        assert_eq!(s.end, NaiveDate::from_ymd_opt(2026, 9, 20).unwrap());
        assert!(s.slower_pct > 3.0);
    }

    #[test]
    fn one_slow_run_is_never_a_slump() {
        let mut r = runs(|_| 350.0, 12);
        r[30].1 = 450.0;
        assert!(slumps(&r, &weeks(12)).is_empty());
    }
}
