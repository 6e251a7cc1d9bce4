//! The fitness trend: pace at the target HR in the first versus the last
//! four weeks of the period, and a robust slope per four weeks. Medians and
//! Theil-Sen, so one bad run moves nothing.

use chrono::NaiveDate;

use crate::dates;
use crate::features::Analyzed;
use crate::metrics::RunMetrics;
use crate::stats::{median, theil_sen_slope};

const WINDOW_MS: i64 = 28 * 86_400_000;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Period {
    pub from_ms: i64,
    pub to_ms: i64,
    /// The offset of the run the period is measured from (the first run for
    /// the first period, the last for the last): its days are that run's.
    pub utc_offset_s: Option<i32>,
    pub runs: usize,
    pub pace_s_per_km: f64,
}

impl Period {
    /// The first day of the period, in local time.
    pub fn from_day(&self) -> NaiveDate {
        dates::local_time(self.from_ms, self.utc_offset_s).date()
    }

    /// The last day of the period, in local time.
    pub fn to_day(&self) -> NaiveDate {
        dates::local_time(self.to_ms, self.utc_offset_s).date()
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Trend {
    pub first: Period,
    pub last: Period,
    /// Positive: faster at the same heart rate now.
    pub change_pct: f64,
    /// Seconds per km per 4 weeks; negative is getting faster.
    pub slope_s_per_km_per_4_weeks: Option<f64>,
}

/// `None` until there are values in two distinct four-week periods.
pub fn trend(items: &[Analyzed], runs: &[RunMetrics]) -> Option<Trend> {
    let (points, offsets): (Vec<(i64, f64)>, Vec<Option<i32>>) = items
        .iter()
        .zip(runs)
        .filter(|(_, r)| !r.low_confidence)
        .filter_map(|(a, r)| {
            let meta = &a.activity.meta;
            Some(((meta.start_ms, r.pace_at_hr_s_per_km?), meta.utc_offset_s))
        })
        .unzip();
    let (&(t0, _), &(t1, _)) = (points.first()?, points.last()?);
    if t1 - t0 < WINDOW_MS {
        return None;
    }
    let period = |from: i64, to: i64, utc_offset_s: Option<i32>| {
        let mut v: Vec<f64> = points.iter().filter(|(t, _)| (from..=to).contains(t)).map(|p| p.1).collect();
        Some(Period { from_ms: from, to_ms: to, utc_offset_s, runs: v.len(), pace_s_per_km: median(&mut v)? })
    };
    let first = period(t0, t0 + WINDOW_MS - 1, offsets[0])?;
    let last = period(t1 - WINDOW_MS + 1, t1, offsets[offsets.len() - 1])?;
    Some(Trend {
        first,
        last,
        change_pct: 100.0 * (first.pace_s_per_km - last.pace_s_per_km) / first.pace_s_per_km,
        slope_s_per_km_per_4_weeks: slope_per_ms(&points).map(|s| s * WINDOW_MS as f64),
    })
}

/// Theil-Sen over at most `MAX_SLOPE_POINTS` evenly spread runs: all pairs
/// of ten years of runs would cost memory for no gain in robustness.
fn slope_per_ms(points: &[(i64, f64)]) -> Option<f64> {
    const MAX_SLOPE_POINTS: usize = 400;
    let stride = points.len().div_ceil(MAX_SLOPE_POINTS).max(1);
    // Epoch milliseconds are far below 2^53: exact as f64, and two runs a
    // millisecond or more apart are distinct points.
    let points: Vec<(f64, f64)> = points.iter().step_by(stride).map(|&(t, v)| (t as f64, v)).collect();
    theil_sen_slope(&points, 1.0)
}
