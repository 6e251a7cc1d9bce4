//! Per-run figures that need no thresholds, computed in the parallel stage
//! while the run's samples are hot: the steady 60-second windows after the
//! heart rate settled and before the finish, aerobic decoupling, the best
//! 30-second and 20-minute heart rates, the median HR, the interval
//! structure and the best efforts over distances (`efforts`).

use crate::clean::Clean;
use crate::stats::{finite_f64, mean_sd, median};

/// DESIGN.md defaults; `Settings` carries the configured values.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Settings {
    /// Heart rate lags effort: the first minutes say little. The most left
    /// out; each run's own cut is where its heart rate settled
    /// (`settle::settled_s`), often earlier.
    pub skip_start_s: u32,
    /// The finish is rarely steady. The most left out; a short run loses a
    /// tenth of its length at least a minute (see `end_cut_s`).
    pub skip_end_s: u32,
    pub window_s: u32,
    /// A window is steady when its 15-second mean speeds vary less than this (CV).
    pub max_speed_cv: f64,
    pub min_hr_coverage: f64,
    /// Minimum time in windows within `near_bpm` of the target.
    pub min_near_target_s: u32,
    pub near_bpm: f64,
    /// Distances each run's best efforts are searched for.
    pub effort_distances: super::efforts::Distances,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            skip_start_s: 600,
            skip_end_s: 300,
            window_s: 60,
            max_speed_cv: 0.08,
            min_hr_coverage: 0.9,
            min_near_target_s: 300,
            near_bpm: 5.0,
            effort_distances: super::efforts::Distances::default(),
        }
    }
}

/// One steady window's averages.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Window {
    /// Where the window starts, seconds from the start of the run.
    pub start_s: u32,
    pub hr_bpm: f64,
    pub gap_speed_m_s: f64,
    /// How much of the grade-adjusted speed is the grade's doing: mean
    /// |grade-adjusted - raw speed| over the mean raw speed (0 on the flat).
    pub grade_adjustment: f64,
}

/// Per-run figures that need no thresholds, computed in the parallel stage.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RunKernel {
    pub windows: Vec<Window>,
    /// Seconds left out at the start: where the heart rate settled, at most
    /// `Settings::skip_start_s`.
    pub settled_s: u32,
    pub best_30s_hr_bpm: Option<f64>,
    pub best_20min_hr_bpm: Option<f64>,
    /// First vs second half of the trimmed run, speed per beat, percent
    /// (positive: heart rate drifted up for the same pace).
    pub decoupling_pct: Option<f64>,
    /// Repeated fast stretches that heart rate confirms (see `intervals`).
    pub intervals: super::intervals::Intervals,
    /// Median heart rate over the moving seconds.
    pub median_hr_bpm: Option<f64>,
    /// The plausible heart rates (artifacts out, see `hr_artifacts`), each
    /// distinct value once with its seconds, ascending: time above any
    /// threshold without walking the series again (that walk was the
    /// largest share of the metrics at 10,000 runs).
    pub plausible_hr_bpm_seconds: Vec<(f32, u32)>,
    /// Fastest stretches over race distances and the mean-maximal speeds
    /// (not heart rate: `best_30s_hr_bpm` above is another kind of best).
    pub efforts: super::efforts::Efforts,
}

impl RunKernel {
    /// Seconds of plausible heart rate at or above `bpm`.
    pub fn plausible_seconds_at_or_above(&self, bpm: f64) -> u32 {
        let from = self.plausible_hr_bpm_seconds.partition_point(|&(v, _)| f64::from(v) < bpm);
        self.plausible_hr_bpm_seconds[from..].iter().map(|&(_, n)| n).sum()
    }
}

pub fn kernel(c: &Clean, s: &Settings) -> RunKernel {
    // The best efforts set max HR and LTHR: not from sensor artifacts.
    let efforts = Clean { hr_bpm: super::hr_artifacts::plausible_hr(c), ..c.clone() };
    let settled_s = super::settle::settled_s(c, s.skip_start_s);
    let range = trimmed(c, settled_s, s);
    RunKernel {
        windows: steady_windows(c, range.clone(), s),
        settled_s,
        best_30s_hr_bpm: best_mean_hr(&efforts, 30),
        best_20min_hr_bpm: best_mean_hr(&efforts, 1200),
        decoupling_pct: decoupling_pct(c, range, s),
        intervals: super::intervals::intervals(c),
        median_hr_bpm: median(&mut finite_f64(&c.hr_bpm)),
        plausible_hr_bpm_seconds: value_seconds(&efforts.hr_bpm),
        efforts: super::efforts::efforts(c, &s.effort_distances),
    }
}

/// The finite values of a 1 Hz series, each once with its count, ascending.
fn value_seconds(series: &[f32]) -> Vec<(f32, u32)> {
    crate::stats::tally(series.iter().map(|&v| (v, false))).into_iter().map(|c| (c.value, c.count)).collect()
}

/// Indices of the trimmed part of the run: from `start_s` (where the heart
/// rate settled) to the end cut.
fn trimmed(c: &Clean, start_s: u32, s: &Settings) -> std::ops::Range<usize> {
    let Some(&last) = c.elapsed_s.last() else { return 0..0 };
    let start = c.elapsed_s.partition_point(|&t| t < start_s);
    let cut = end_cut_s(last, s);
    let end = c.elapsed_s.partition_point(|&t| t.saturating_add(cut) <= last);
    start..end.max(start)
}

/// The finish left out of a run lasting `last_s`: a tenth of it, at least a
/// minute, at most the configured `skip_end_s`. Five minutes off a
/// 15-minute run would leave too little; a final sprint rarely lasts longer.
fn end_cut_s(last_s: u32, s: &Settings) -> u32 {
    (last_s / 10).max(60).min(s.skip_end_s)
}

fn steady_windows(c: &Clean, range: std::ops::Range<usize>, s: &Settings) -> Vec<Window> {
    let mut out = Vec::new();
    let mut i = range.start;
    while i < range.end {
        let t0 = c.elapsed_s[i];
        // At least one sample per step: a window end that saturates at the
        // top of the u32 range must not stall the walk.
        let j = (i + c.elapsed_s[i..range.end].partition_point(|&t| t < t0.saturating_add(s.window_s))).max(i + 1);
        if let Some(w) = window(c, i..j, s) {
            out.push(w);
        }
        i = j;
    }
    out
}

/// Speed is averaged over this many seconds before a window's steadiness
/// is judged. A block's mean speed is the distance covered over it, so a
/// position error of a few metres shifts it by that error over the block's
/// length: over 10 s (about 30 m at an easy pace) a 2-3 m wander of a
/// phone or wrist GPS alone moves it by 8-10 %, the whole steadiness
/// budget, and half of the windows of a perfectly even run were rejected.
/// 15 s (about 45 m, four blocks a minute) still shows a 15-second surge.
const STEADY_BLOCK_S: usize = 15;

fn window(c: &Clean, r: std::ops::Range<usize>, s: &Settings) -> Option<Window> {
    let n = r.len();
    // Mostly contiguous seconds: a window across a stop is not steady.
    if (n as f64) < 0.9 * f64::from(s.window_s) {
        return None;
    }
    let hr = finite_f64(&c.hr_bpm[r.clone()]);
    if (hr.len() as f64) < s.min_hr_coverage * n as f64 {
        return None;
    }
    let speed = finite_f64(&c.speed_m_s[r.clone()]);
    let gap = finite_f64(&c.gap_speed_m_s[r.clone()]);
    // Steadiness of the running, not of the GPS: second-to-second speed
    // from a watch's positions scatters by 10-20 % at an even pace, which
    // a 15-second average (the distance covered) mostly cancels.
    let blocks: Vec<f64> = speed.chunks(STEADY_BLOCK_S).map(|b| b.iter().sum::<f64>() / b.len() as f64).collect();
    let (mean_v, sd_v) = mean_sd(&blocks)?;
    if mean_v <= 0.0 || sd_v / mean_v >= s.max_speed_cv {
        return None;
    }
    let mut adjusted = Vec::with_capacity(n);
    adjusted.extend(
        c.speed_m_s[r.clone()]
            .iter()
            .zip(&c.gap_speed_m_s[r.clone()])
            .filter(|(v, g)| v.is_finite() && g.is_finite())
            .map(|(&v, &g)| f64::from((g - v).abs())),
    );
    Some(Window {
        start_s: c.elapsed_s[r.start],
        hr_bpm: mean_sd(&hr)?.0,
        gap_speed_m_s: mean_sd(&gap)?.0,
        grade_adjustment: mean_sd(&adjusted).map_or(0.0, |a| a.0 / mean_v),
    })
}

/// Highest mean HR over `span_s` consecutive seconds with HR.
fn best_mean_hr(c: &Clean, span_s: u32) -> Option<f64> {
    let n = span_s as usize;
    let mut best: Option<f64> = None;
    let (mut sum, mut count, mut start) = (0.0, 0usize, 0usize);
    for i in 0..c.len() {
        // Restart the run of seconds at a gap or a missing value.
        let contiguous = i > 0 && c.elapsed_s[i - 1].checked_add(1) == Some(c.elapsed_s[i]);
        let hr = c.hr_bpm[i];
        if !contiguous || hr.is_nan() {
            (sum, count, start) = (0.0, 0, i);
            if hr.is_nan() {
                start = i + 1;
                continue;
            }
        }
        sum += f64::from(hr);
        count += 1;
        if count > n {
            sum -= f64::from(c.hr_bpm[start]);
            start += 1;
            count -= 1;
        }
        if count == n {
            best = Some(best.map_or(sum / n as f64, |b: f64| b.max(sum / n as f64)));
        }
    }
    best
}

fn decoupling_pct(c: &Clean, range: std::ops::Range<usize>, s: &Settings) -> Option<f64> {
    if range.len() < 2 * s.window_s as usize {
        return None;
    }
    let mid = range.start + range.len() / 2;
    let ratio = |part: std::ops::Range<usize>| {
        let (mut speed, mut beats, mut n) = (0.0, 0.0, 0.0);
        for i in part {
            let (gv, hr) = (c.gap_speed_m_s[i], c.hr_bpm[i]);
            if gv.is_finite() && hr.is_finite() {
                speed += f64::from(gv);
                beats += f64::from(hr);
                n += 1.0;
            }
        }
        (n > 0.0 && beats > 0.0).then(|| speed / beats)
    };
    let (first, second) = (ratio(range.start..mid)?, ratio(mid..range.end)?);
    Some(100.0 * (first - second) / first)
}

#[cfg(test)]
pub mod testing {
    use crate::clean::Clean;

    /// A run whose HR follows speed exactly: hr = 55 + 30 v.
    #[allow(clippy::cast_possible_truncation)] // test speeds and heart rates fit f32
    pub fn run(speeds: impl Fn(u32) -> f64, seconds: u32) -> Clean {
        let mut c = Clean::default();
        for t in 0..seconds {
            let v = speeds(t);
            c.elapsed_s.push(t);
            c.speed_m_s.push(v as f32);
            c.gap_speed_m_s.push(v as f32);
            c.hr_bpm.push((55.0 + 30.0 * v) as f32);
        }
        c
    }
}

#[cfg(test)]
mod tests {
    use super::testing::run;
    use super::*;

    #[test]
    fn the_tally_of_plausible_heart_rates_counts_what_the_series_holds() {
        let mut c = run(|_| 3.0, 1800);
        for (i, hr) in c.hr_bpm.iter_mut().enumerate() {
            // A ramp with repeats, a spike and gaps.
            *hr = if i % 97 == 0 { f32::NAN } else { 120.0 + (i % 60) as f32 * 0.5 };
        }
        c.hr_bpm[900] = 230.0;
        let k = kernel(&c, &Settings::default());
        let hr = super::super::hr_artifacts::plausible_hr(&c);
        for bpm in [0.0, 120.0, 135.25, 149.5, 149.6, 229.0, 300.0] {
            let direct = hr.iter().filter(|v| v.is_finite() && f64::from(**v) >= bpm).count();
            assert_eq!(k.plausible_seconds_at_or_above(bpm) as usize, direct, "at {bpm}");
        }
        assert!(k.plausible_hr_bpm_seconds.windows(2).all(|w| w[0].0 < w[1].0));
    }

    /// Found by fuzzing (fuzz target `gpx`): samples at the far end of the
    /// u32 second range made `t + skip_end_s` overflow.
    #[test]
    fn times_at_the_end_of_the_second_range_do_not_overflow() {
        let mut c = run(|_| 3.0, 600);
        for t in &mut c.elapsed_s[300..] {
            *t += u32::MAX - 600;
        }
        // The very top of the range too: a window end there saturates.
        *c.elapsed_s.last_mut().unwrap() = u32::MAX;
        let k = kernel(&c, &Settings::default());
        assert!(k.windows.len() < 600);
    }

    /// A fixed 10-minute warm-up cut and a 5-minute finish cut left a
    /// 15-minute run nothing; its heart rate had settled after 4 minutes.
    #[test]
    fn a_15_minute_run_keeps_the_steady_minutes_after_its_heart_rate_settled() {
        let c = crate::features::settle::testing::lagging_start(100.0, 142.0, 240, 900);
        let k = kernel(&c, &Settings::default());
        assert!((180..=270).contains(&k.settled_s), "settled at {} s", k.settled_s);
        // From the settle to 90 s before the end: at least 9 minutes.
        assert!(k.windows.len() >= 9, "{} windows", k.windows.len());
        assert!(k.windows.iter().all(|w| w.start_s >= k.settled_s && (w.hr_bpm - 142.0).abs() < 2.0), "{k:?}");
    }

    /// 10-second blocks judged the GPS, not the running: an even 3 m/s
    /// recorded with a 2.5 m position wander (correlated over about ten
    /// seconds, as a phone's or watch's fixes are) lost 60 % of its windows.
    #[test]
    fn an_even_pace_recorded_with_a_few_metres_of_gps_wander_is_steady() {
        let mut state: u64 = 12_345;
        let mut uniform = move || {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        // AR(1) position error: sd 2.5 m, 0.9 carried from second to second.
        let mut error_m = vec![0.0];
        for _ in 0..3600 {
            let normal = (0..12).map(|_| uniform()).sum::<f64>() - 6.0;
            let last = error_m[error_m.len() - 1];
            error_m.push(0.9 * last + (1.0f64 - 0.81).sqrt() * 2.5 * normal);
        }
        let c = run(|t| 3.0 + error_m[t as usize + 1] - error_m[t as usize], 3600);
        // The recorded speed carries the wander; the heart rate does not.
        let c = Clean { hr_bpm: vec![145.0; c.len()], ..c };
        let k = kernel(&c, &Settings::default());
        // Windows from the 3-minute settle to 5 minutes before the end: 52.
        // Achieved 35 (67 %); 10-second blocks kept 21 (40 %).
        assert!(k.windows.len() >= 30, "{} of 52 windows steady", k.windows.len());
    }

    #[test]
    fn best_efforts_and_gaps() {
        // Heart rate climbs and falls over a minute, as a heart does (a 45 bpm
        // step in one second is a sensor artifact, left out of best efforts).
        let mut c = run(
            |t| match t {
                600..660 => 2.5 + 1.5 * f64::from(t - 600) / 60.0,
                660..900 => 4.0,
                900..960 => 4.0 - 1.5 * f64::from(t - 900) / 60.0,
                _ => 2.5,
            },
            2400,
        );
        assert!((kernel(&c, &Settings::default()).best_30s_hr_bpm.unwrap() - 175.0).abs() < 1e-3);
        // A missing reading breaks the run of seconds, it is not a zero.
        c.hr_bpm[700] = f32::NAN;
        assert!((best_mean_hr(&c, 30).unwrap() - 175.0).abs() < 1e-3);
        assert_eq!(best_mean_hr(&c, 3000), None);
    }
}
