//! Pace at a fixed heart rate, per run: steady 60-second windows after the
//! HR lag and before the finish, grade-adjusted speed fitted against HR
//! robustly (Theil-Sen), read off at the target only where the run actually
//! spent time near it. Plus aerobic decoupling and the run's best efforts.

use crate::clean::Clean;

/// DESIGN.md defaults; `Settings` carries the configured values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// Heart rate lags effort: the first minutes say little.
    pub skip_start_s: u32,
    /// The finish is rarely steady.
    pub skip_end_s: u32,
    pub window_s: u32,
    /// A window is steady when its speed varies less than this (CV).
    pub max_speed_cv: f64,
    pub min_hr_coverage: f64,
    /// Minimum time in windows within `near_bpm` of the target.
    pub min_near_target_s: u32,
    pub near_bpm: f64,
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
        }
    }
}

/// One steady window's averages.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Window {
    pub hr_bpm: f64,
    pub gap_speed_m_s: f64,
}

/// Per-run figures that need no thresholds, computed in the parallel stage.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunKernel {
    pub windows: Vec<Window>,
    pub best_30s_hr_bpm: Option<f64>,
    pub best_20min_hr_bpm: Option<f64>,
    /// First vs second half of the trimmed run, speed per beat, percent
    /// (positive: heart rate drifted up for the same pace).
    pub decoupling_pct: Option<f64>,
    /// Repeated fast stretches (see `sessions::interval_repeats`).
    pub interval_repeats: usize,
    /// Median heart rate over the moving seconds.
    pub median_hr_bpm: Option<f64>,
}

pub fn kernel(c: &Clean, s: &Settings) -> RunKernel {
    RunKernel {
        windows: steady_windows(c, s),
        best_30s_hr_bpm: best_mean_hr(c, 30),
        best_20min_hr_bpm: best_mean_hr(c, 1200),
        decoupling_pct: decoupling_pct(c, s),
        interval_repeats: super::sessions::interval_repeats(c),
        median_hr_bpm: median(
            &mut c.hr_bpm.iter().filter(|v| v.is_finite()).map(|&v| f64::from(v)).collect::<Vec<_>>(),
        ),
    }
}

/// Indices of the trimmed part of the run.
fn trimmed(c: &Clean, s: &Settings) -> std::ops::Range<usize> {
    let Some(&last) = c.elapsed_s.last() else { return 0..0 };
    let start = c.elapsed_s.partition_point(|&t| t < s.skip_start_s);
    let end = c.elapsed_s.partition_point(|&t| t.saturating_add(s.skip_end_s) <= last);
    start..end.max(start)
}

fn steady_windows(c: &Clean, s: &Settings) -> Vec<Window> {
    let range = trimmed(c, s);
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

fn window(c: &Clean, r: std::ops::Range<usize>, s: &Settings) -> Option<Window> {
    let n = r.len();
    // Mostly contiguous seconds: a window across a stop is not steady.
    if (n as f64) < 0.9 * f64::from(s.window_s) {
        return None;
    }
    let hr: Vec<f64> = c.hr_bpm[r.clone()].iter().filter(|v| v.is_finite()).map(|&v| f64::from(v)).collect();
    if (hr.len() as f64) < s.min_hr_coverage * n as f64 {
        return None;
    }
    let speed: Vec<f64> = c.speed_m_s[r.clone()].iter().filter(|v| v.is_finite()).map(|&v| f64::from(v)).collect();
    let gap: Vec<f64> = c.gap_speed_m_s[r].iter().filter(|v| v.is_finite()).map(|&v| f64::from(v)).collect();
    let (mean_v, sd_v) = mean_sd(&speed)?;
    if mean_v <= 0.0 || sd_v / mean_v >= s.max_speed_cv {
        return None;
    }
    Some(Window { hr_bpm: mean_sd(&hr)?.0, gap_speed_m_s: mean_sd(&gap)?.0 })
}

fn mean_sd(v: &[f64]) -> Option<(f64, f64)> {
    if v.is_empty() {
        return None;
    }
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
    Some((mean, var.sqrt()))
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

fn decoupling_pct(c: &Clean, s: &Settings) -> Option<f64> {
    let range = trimmed(c, s);
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

/// Why a run has no pace at the target HR: said in `activities.csv`, so an
/// empty cell is never a mystery. Carries the configured windows, so the
/// note quotes what was asked, not the defaults.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NoValue {
    NoSteadyStretch { skip_start_s: u32 },
    TooLittleNearTarget { min_near_target_s: u32, near_bpm: f64 },
    TargetOutsideRange,
    NoRelation,
}

impl NoValue {
    pub fn describe(self) -> String {
        match self {
            NoValue::NoSteadyStretch { skip_start_s: 0 } => "no steady stretch with heart rate".into(),
            NoValue::NoSteadyStretch { skip_start_s } => {
                format!("no steady stretch with heart rate after the first {}", span(skip_start_s))
            }
            NoValue::TooLittleNearTarget { min_near_target_s, near_bpm } => format!(
                "less than {} of steady running near the target heart rate (within {near_bpm} bpm)",
                span(min_near_target_s)
            ),
            NoValue::TargetOutsideRange => "the target heart rate is outside the range this run covered".into(),
            NoValue::NoRelation => "speed did not rise with heart rate in this run".into(),
        }
    }
}

/// "10 minutes", "1 minute", "90 s".
fn span(seconds: u32) -> String {
    match (seconds / 60, seconds % 60) {
        (1, 0) => "1 minute".into(),
        (m, 0) if m > 1 => format!("{m} minutes"),
        _ => format!("{seconds} s"),
    }
}

/// Grade-adjusted speed at `target_bpm`, or why the run cannot honestly say.
pub fn speed_at_hr(windows: &[Window], target_bpm: f64, s: &Settings) -> Result<f64, NoValue> {
    if windows.is_empty() {
        return Err(NoValue::NoSteadyStretch { skip_start_s: s.skip_start_s });
    }
    let near = windows.iter().filter(|w| (w.hr_bpm - target_bpm).abs() <= s.near_bpm).count();
    if u32::try_from(near).unwrap_or(u32::MAX).saturating_mul(s.window_s) < s.min_near_target_s {
        return Err(NoValue::TooLittleNearTarget { min_near_target_s: s.min_near_target_s, near_bpm: s.near_bpm });
    }
    let lo = windows.iter().map(|w| w.hr_bpm).fold(f64::INFINITY, f64::min);
    let hi = windows.iter().map(|w| w.hr_bpm).fold(f64::NEG_INFINITY, f64::max);
    if !(lo..=hi).contains(&target_bpm) {
        return Err(NoValue::TargetOutsideRange);
    }
    let (slope, intercept) = theil_sen(windows).ok_or(NoValue::NoRelation)?;
    Some(intercept + slope * target_bpm).filter(|v| slope > 0.0 && *v > 0.0).ok_or(NoValue::NoRelation)
}

/// Median of pairwise slopes, then median intercept: robust to the odd
/// window that caught a hill or a gust.
fn theil_sen(windows: &[Window]) -> Option<(f64, f64)> {
    let mut slopes = Vec::with_capacity(windows.len() * windows.len() / 2);
    for (i, a) in windows.iter().enumerate() {
        for b in &windows[i + 1..] {
            let dh = b.hr_bpm - a.hr_bpm;
            if dh.abs() >= 1.0 {
                slopes.push((b.gap_speed_m_s - a.gap_speed_m_s) / dh);
            }
        }
    }
    let slope = median(&mut slopes)?;
    let mut intercepts: Vec<f64> = windows.iter().map(|w| w.gap_speed_m_s - slope * w.hr_bpm).collect();
    Some((slope, median(&mut intercepts)?))
}

pub fn median(v: &mut [f64]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    Some(if v.len().is_multiple_of(2) { f64::midpoint(v[m - 1], v[m]) } else { v[m] })
}

#[cfg(test)]
#[allow(clippy::cast_possible_truncation)] // test speeds and heart rates fit f32
mod tests {
    use super::*;

    /// A run whose HR follows speed exactly: hr = 55 + 30 v.
    fn run(speeds: impl Fn(u32) -> f64, seconds: u32) -> Clean {
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

    #[test]
    fn notes_quote_the_configured_windows_not_the_defaults() {
        let s = Settings { skip_start_s: 300, min_near_target_s: 120, near_bpm: 3.0, ..Settings::default() };
        let none = speed_at_hr(&[], 145.0, &s).unwrap_err().describe();
        assert_eq!(none, "no steady stretch with heart rate after the first 5 minutes");
        let far = [Window { hr_bpm: 120.0, gap_speed_m_s: 3.0 }];
        let little = speed_at_hr(&far, 145.0, &s).unwrap_err().describe();
        assert_eq!(little, "less than 2 minutes of steady running near the target heart rate (within 3 bpm)");
        let odd = Settings { skip_start_s: 90, ..s };
        assert!(speed_at_hr(&[], 145.0, &odd).unwrap_err().describe().ends_with("after the first 90 s"));
    }

    #[test]
    fn reads_speed_at_target_from_steady_windows() {
        // Speed steps between 2.7 and 3.3 m/s every 4 minutes: HR 136..154.
        let c = run(|t| if (t / 240) % 2 == 0 { 2.7 } else { 3.3 }, 3600);
        let s = Settings::default();
        let k = kernel(&c, &s);
        assert!(k.windows.len() > 30);
        // Target 145 lies between the two levels but no window is near it.
        assert_eq!(
            speed_at_hr(&k.windows, 145.0, &s),
            Err(NoValue::TooLittleNearTarget { min_near_target_s: s.min_near_target_s, near_bpm: s.near_bpm })
        );
        let at = speed_at_hr(&k.windows, 136.0, &s).unwrap();
        assert!((at - 2.7).abs() < 1e-3, "{at}");
        assert!(k.decoupling_pct.unwrap().abs() < 1.0);
    }

    #[test]
    fn target_outside_observed_range_gives_nothing() {
        let c = run(|t| 2.8 + 0.3 * (f64::from(t) / 300.0).sin(), 3600);
        let k = kernel(&c, &Settings::default());
        assert!(speed_at_hr(&k.windows, 160.0, &Settings::default()).is_err());
        let at = speed_at_hr(&k.windows, 140.0, &Settings::default()).unwrap();
        assert!((at - 85.0 / 30.0).abs() < 0.02, "{at}");
    }

    #[test]
    fn best_efforts_and_gaps() {
        let mut c = run(|t| if (600..900).contains(&t) { 4.0 } else { 2.5 }, 2400);
        assert!((kernel(&c, &Settings::default()).best_30s_hr_bpm.unwrap() - 175.0).abs() < 1e-3);
        // A missing reading breaks the run of seconds, it is not a zero.
        c.hr_bpm[700] = f32::NAN;
        assert!((best_mean_hr(&c, 30).unwrap() - 175.0).abs() < 1e-3);
        assert_eq!(best_mean_hr(&c, 3000), None);
    }
}
