//! The fitness headline: pace at the target HR in the first versus the last
//! four weeks, and a robust slope per four weeks. Only a comparison a runner
//! can trust: two periods that never overlap, each of at least four
//! confident runs, each level robust (`level`), the change given with its
//! uncertainty. Otherwise no comparison, and the reason why.

use chrono::{Duration, NaiveDate};

use crate::metrics::level::{self, MIN_RUNS, Pace, WINDOW_DAYS};
use crate::stats::theil_sen_slope;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Period {
    /// First and last local day of the period (four weeks).
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub runs: usize,
    pub pace_s_per_km: f64,
    /// One standard error of `pace_s_per_km`.
    pub se_s_per_km: f64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Trend {
    pub first: Period,
    pub last: Period,
    /// Positive: faster at the same heart rate now.
    pub change_pct: f64,
    /// Two standard errors of `change_pct` (about 95 %).
    pub change_uncertainty_pct: f64,
    /// Seconds per km per 4 weeks; negative is getting faster.
    pub slope_s_per_km_per_4_weeks: Option<f64>,
}

/// Why there is no first-versus-last comparison.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NoTrend {
    NoRuns,
    /// Fewer than `MIN_RUNS` confident runs in any four weeks at one end.
    TooFewRuns {
        runs_at_best: usize,
    },
    /// The first and last four weeks with enough runs would share days.
    Overlap {
        span_days: i64,
    },
}

impl NoTrend {
    /// A sentence that ends the phrase "No first-versus-last comparison: ".
    pub fn describe(self) -> String {
        match self {
            NoTrend::NoRuns => "no run has a confident pace at the target heart rate yet".into(),
            NoTrend::TooFewRuns { runs_at_best } => format!(
                "no 4 weeks hold {MIN_RUNS} runs with a confident pace at the target heart rate (at most {runs_at_best})"
            ),
            NoTrend::Overlap { span_days } => format!(
                "the runs with a confident pace at the target heart rate span {span_days} days; the first and last 4 weeks would overlap (8 weeks needed)"
            ),
        }
    }
}

/// `sorted`: the confident runs (`level::trend_runs`).
pub fn trend(sorted: &[Pace]) -> Result<Trend, NoTrend> {
    let sd = level::noise_sd(sorted).ok_or(NoTrend::NoRuns)?;
    let window = Duration::days(WINDOW_DAYS - 1);
    let count = |from: NaiveDate, to: NaiveDate| sorted.iter().filter(|p| (from..=to).contains(&p.0)).count();
    // The earliest four weeks that start on a run and hold enough runs, and
    // the latest that end on one: a stray first or last run does not cost
    // the comparison.
    let first_from = sorted.iter().map(|p| p.0).find(|&d| count(d, d + window) >= MIN_RUNS);
    let last_to = sorted.iter().rev().map(|p| p.0).find(|&d| count(d - window, d) >= MIN_RUNS);
    let (Some(first_from), Some(last_to)) = (first_from, last_to) else {
        let runs_at_best = sorted.iter().map(|p| count(p.0, p.0 + window)).max().unwrap_or(0);
        return Err(NoTrend::TooFewRuns { runs_at_best });
    };
    if last_to - window <= first_from + window {
        let span_days = (sorted[sorted.len() - 1].0 - sorted[0].0).num_days() + 1;
        return Err(NoTrend::Overlap { span_days });
    }
    let period = |from: NaiveDate, to: NaiveDate| {
        let values: Vec<f64> = sorted.iter().filter(|p| (from..=to).contains(&p.0)).map(|p| p.1).collect();
        let l = level::level_of(&values, sd).ok_or(NoTrend::NoRuns)?;
        Ok(Period { from, to, runs: l.runs, pace_s_per_km: l.pace_s_per_km, se_s_per_km: l.se_s_per_km })
    };
    let first = period(first_from, first_from + window)?;
    let last = period(last_to - window, last_to)?;
    let se = first.se_s_per_km.hypot(last.se_s_per_km);
    Ok(Trend {
        first,
        last,
        change_pct: 100.0 * (first.pace_s_per_km - last.pace_s_per_km) / first.pace_s_per_km,
        change_uncertainty_pct: level::BAND_SE * 100.0 * se / first.pace_s_per_km,
        slope_s_per_km_per_4_weeks: slope_per_day(sorted).map(|s| s * 28.0),
    })
}

/// Theil-Sen over at most `MAX_SLOPE_POINTS` evenly spread runs: all pairs
/// of ten years of runs would cost memory for no gain in robustness.
fn slope_per_day(points: &[Pace]) -> Option<f64> {
    const MAX_SLOPE_POINTS: usize = 400;
    let stride = points.len().div_ceil(MAX_SLOPE_POINTS).max(1);
    let day0 = points.first()?.0;
    #[allow(clippy::cast_precision_loss)] // days: far below 2^53
    let points: Vec<(f64, f64)> =
        points.iter().step_by(stride).map(|&(d, v)| ((d - day0).num_days() as f64, v)).collect();
    theil_sen_slope(&points, 1.0)
}

#[cfg(test)]
#[allow(clippy::cast_possible_wrap, clippy::cast_precision_loss)] // small test counts
mod tests {
    use super::*;

    fn day(n: i64) -> NaiveDate {
        NaiveDate::from_ymd_opt(2023, 12, 27).unwrap() + Duration::days(n)
    }

    /// A run every `every` days for `days` days, getting 0.5 s/km faster a day,
    /// with a few s/km of noise cycling run by run.
    fn runs(days: i64, every: usize) -> Vec<Pace> {
        (0..days)
            .step_by(every)
            .enumerate()
            .map(|(i, d)| (day(d), 360.0 - 0.5 * d as f64 + [3.0, -1.0, -3.0, 1.0][i % 4]))
            .collect()
    }

    #[test]
    fn first_and_last_periods_never_overlap() {
        // The bug: a history of 31 days gave 2023-12-27..2024-01-24 against
        // 2023-12-30..2024-01-27, a comparison of runs with themselves.
        let short = runs(32, 1);
        assert_eq!(trend(&short), Err(NoTrend::Overlap { span_days: 32 }));
        // Eight weeks is enough, and the periods are apart.
        let t = trend(&runs(57, 1)).unwrap();
        assert!(t.last.from > t.first.to, "{t:?}");
        assert_eq!((t.first.from, t.first.to), (day(0), day(27)));
        assert_eq!((t.last.from, t.last.to), (day(29), day(56)));
    }

    #[test]
    fn a_period_of_one_run_is_no_period() {
        // The bug: first and last "4 weeks" built from one run each.
        let sparse: Vec<Pace> = (0..10).map(|w| (day(30 * w), 350.0)).collect();
        assert_eq!(trend(&sparse), Err(NoTrend::TooFewRuns { runs_at_best: 1 }));
        assert!(NoTrend::TooFewRuns { runs_at_best: 1 }.describe().contains("at most 1"));
        assert_eq!(trend(&[]), Err(NoTrend::NoRuns));
    }

    #[test]
    fn stray_runs_at_either_end_do_not_cost_the_comparison() {
        let mut r = runs(120, 2);
        r.insert(0, (day(-40), 300.0));
        r.push((day(170), 300.0));
        let t = trend(&r).unwrap();
        assert_eq!(t.first.from, day(0));
        assert_eq!(t.last.to, day(118));
        assert!(t.first.runs >= MIN_RUNS && t.last.runs >= MIN_RUNS);
    }

    #[test]
    fn change_and_its_uncertainty_follow_the_levels() {
        let t = trend(&runs(112, 2)).unwrap();
        // 84 days between the period centres at 0.5 s/km a day.
        let expected = 100.0 * 42.0 / t.first.pace_s_per_km;
        assert!((t.change_pct - expected).abs() < 0.5, "{t:?}");
        println!("change {:.2} % +- {:.2} %", t.change_pct, t.change_uncertainty_pct);
        assert!(t.change_uncertainty_pct > 0.3 && t.change_uncertainty_pct < 2.0, "{t:?}");
        let slope = t.slope_s_per_km_per_4_weeks.unwrap();
        assert!((slope + 14.0).abs() < 0.5, "{slope}");
    }
}
