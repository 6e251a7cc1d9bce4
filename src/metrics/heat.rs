//! Hot days raise the heart rate at any pace, so pace at the target HR
//! reads slower in summer with no fitness lost, and a warm month could pass
//! for a slump. This learns from the athlete's own runs what each degree
//! above some temperature costs (s/km) and takes it out of pace at HR, only
//! when the history shows it clearly. Each run is compared with its
//! neighbours of the same fortnight, whose fitness is the same and whose
//! weather is not, so a season's gains or losses do not pass for heat.

use chrono::NaiveDate;

use crate::features::Analyzed;
use crate::metrics::RunMetrics;
use crate::stats::{HUBER_K, robust_sd};

/// Runs are compared with the others of these days either side.
const WINDOW_DAYS: i64 = 14;
/// Fewer neighbours than this make no comparison.
const MIN_NEIGHBOURS: usize = 4;
/// A history with fewer runs carrying a temperature learns nothing.
const MIN_RUNS: usize = 30;
/// Nor one with fewer runs above the threshold than this.
const MIN_HOT_RUNS: usize = 10;
/// The thresholds tried (°C): where heat starts to cost is learned too.
const THRESHOLDS_C: std::ops::RangeInclusive<i32> = 0..=28;
/// The cost is applied only this many standard errors clear of zero (it
/// is the best of many thresholds, so more than the usual two).
const MIN_Z: f64 = 4.0;

/// What heat costs this athlete, and whether it is taken out of pace at HR.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Heat {
    /// Heat costs nothing below this (°C).
    pub threshold_c: f64,
    /// Slower per degree above the threshold (s/km per °C).
    pub s_per_km_per_c: f64,
    /// One standard error of that.
    pub uncertainty_s_per_km_per_c: f64,
    /// Runs with a temperature and a confident pace at HR the fit used,
    /// and how many of them were above the threshold.
    pub runs: usize,
    pub hot_runs: usize,
    /// Whether pace at HR was corrected (the cost is clearly above zero).
    pub applied: bool,
}

impl Heat {
    /// What the heat of `temperature_c` adds to pace at HR (s/km).
    pub fn cost_s_per_km(&self, temperature_c: f64) -> f64 {
        self.s_per_km_per_c * (temperature_c - self.threshold_c).max(0.0)
    }

    /// How the cost was found, in a sentence for summary.json.
    pub fn how(&self) -> String {
        let fit = format!(
            "a robust fit over {} runs with a temperature ({} above {:.0} °C) of each run's pace at the target HR against its neighbours' within {WINDOW_DAYS} days",
            self.runs, self.hot_runs, self.threshold_c
        );
        if self.applied {
            format!("{fit}: pace at HR is corrected by this much per degree above the threshold")
        } else {
            format!("{fit}: not clearly above zero, so pace at HR is not corrected")
        }
    }
}

/// Learns the heat cost from the confident runs with a temperature and,
/// when it is clear, takes it out of every run's pace at HR.
pub fn correct(items: &[Analyzed], runs: &mut [RunMetrics]) -> Option<Heat> {
    let fit_runs: Vec<HeatRun> = items
        .iter()
        .zip(runs.iter())
        .filter(|(_, r)| !r.low_confidence)
        .filter_map(|(a, r)| Some((a.local_day(), r.pace_at_hr_s_per_km?, a.summary.temperature_c?)))
        .collect();
    let heat = learn(&fit_runs)?;
    // Never further than the fit saw: a hotter day's cost is a guess.
    let hottest_c = fit_runs.iter().map(|r| r.2).fold(f64::NEG_INFINITY, f64::max);
    if heat.applied {
        for (a, r) in items.iter().zip(runs.iter_mut()) {
            if let (Some(pace), Some(t)) = (r.pace_at_hr_s_per_km.as_mut(), a.summary.temperature_c) {
                *pace -= heat.cost_s_per_km(t.min(hottest_c));
            }
        }
    }
    Some(heat)
}

/// One run for the fit: its day, pace at HR (s/km) and temperature (°C).
pub type HeatRun = (NaiveDate, f64, f64);

/// The athlete's heat cost from `runs` (confident runs with a temperature,
/// any order); `None` when too few runs say anything.
pub fn learn(runs: &[HeatRun]) -> Option<Heat> {
    if runs.len() < MIN_RUNS {
        return None;
    }
    let mut sorted = runs.to_vec();
    sorted.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let windows = neighbour_windows(&sorted);
    let paces: Vec<f64> = sorted.iter().map(|r| r.1).collect();
    let pace_off = demeaned(&paces, &windows);
    let scale = residual_sd(&pace_off.iter().flatten().copied().collect::<Vec<_>>())?;
    let mut best: Option<(f64, Heat)> = None;
    for threshold in THRESHOLDS_C {
        let threshold_c = f64::from(threshold);
        let hot_runs = sorted.iter().filter(|r| r.2 > threshold_c).count();
        if hot_runs < MIN_HOT_RUNS {
            continue;
        }
        let excess: Vec<f64> = sorted.iter().map(|r| (r.2 - threshold_c).max(0.0)).collect();
        let excess_off = demeaned(&excess, &windows);
        let points: Vec<(f64, f64)> =
            excess_off.iter().zip(&pace_off).filter_map(|(x, y)| Some(((*x)?, (*y)?))).collect();
        let Some((slope, se, loss)) = huber_slope(&points, scale) else { continue };
        let heat = Heat {
            threshold_c,
            s_per_km_per_c: slope,
            uncertainty_s_per_km_per_c: se,
            runs: sorted.len(),
            hot_runs,
            applied: slope > 0.0 && slope >= MIN_Z * se,
        };
        if best.as_ref().is_none_or(|b| loss < b.0) {
            best = Some((loss, heat));
        }
    }
    best.map(|b| b.1)
}

/// For each run, the range of runs within `WINDOW_DAYS` of it (itself
/// included), by two pointers over the sorted days.
fn neighbour_windows(sorted: &[HeatRun]) -> Vec<(usize, usize)> {
    let (mut lo, mut hi) = (0, 0);
    sorted
        .iter()
        .map(|r| {
            while (r.0 - sorted[lo].0).num_days() > WINDOW_DAYS {
                lo += 1;
            }
            while hi < sorted.len() && (sorted[hi].0 - r.0).num_days() <= WINDOW_DAYS {
                hi += 1;
            }
            (lo, hi)
        })
        .collect()
}

/// Each value less the mean of its window (prefix sums), `None` where the
/// window holds too few runs.
fn demeaned(values: &[f64], windows: &[(usize, usize)]) -> Vec<Option<f64>> {
    let mut prefix = Vec::with_capacity(values.len() + 1);
    prefix.push(0.0);
    for v in values {
        prefix.push(prefix[prefix.len() - 1] + v);
    }
    values
        .iter()
        .zip(windows)
        .map(|(v, &(lo, hi))| {
            #[allow(clippy::cast_precision_loss)] // run counts are small
            let n = (hi - lo) as f64;
            (hi - lo >= MIN_NEIGHBOURS).then(|| v - (prefix[hi] - prefix[lo]) / n)
        })
        .collect()
}

/// The spread of residuals about zero; `None` when they do not spread.
fn residual_sd(values: &[f64]) -> Option<f64> {
    robust_sd(values, 0.0).filter(|s| *s > 0.0)
}

/// The Huber line through the origin of `points` (x, y) on the fixed
/// `scale`: its slope, the slope's standard error and the loss (for
/// choosing the threshold, comparable as the scale is shared).
fn huber_slope(points: &[(f64, f64)], scale: f64) -> Option<(f64, f64, f64)> {
    let weight = |r: f64| if r.abs() <= HUBER_K { 1.0 } else { HUBER_K / r.abs() };
    let (mut sxy, mut sxx) = (0.0, 0.0);
    for (x, y) in points {
        sxy += x * y;
        sxx += x * x;
    }
    if sxx <= 0.0 {
        return None;
    }
    let mut slope = sxy / sxx;
    for _ in 0..50 {
        let (mut sxy, mut sxx) = (0.0, 0.0);
        for (x, y) in points {
            let w = weight((y - slope * x) / scale);
            sxy += w * x * y;
            sxx += w * x * x;
        }
        let next = sxy / sxx;
        let settled = (next - slope).abs() < 1e-9 * (1.0 + slope.abs());
        slope = next;
        if settled {
            break;
        }
    }
    let residuals: Vec<f64> = points.iter().map(|(x, y)| y - slope * x).collect();
    let sd = residual_sd(&residuals)?;
    let plain_sxx: f64 = points.iter().map(|p| p.0 * p.0).sum();
    let se = crate::metrics::level::HUBER_SE_FACTOR * sd / plain_sxx.sqrt();
    let loss = residuals
        .iter()
        .map(|r| {
            let u = (r / scale).abs();
            if u <= HUBER_K { 0.5 * u * u } else { HUBER_K * u - 0.5 * HUBER_K * HUBER_K }
        })
        .sum();
    Some((slope, se, loss))
}

#[cfg(test)]
#[path = "heat_tests.rs"]
mod tests;
