//! Heart-rate recovery after a hard effort, from the raw samples (the clean
//! series leaves stopped seconds out, and stopping is what recovery is
//! measured over): how far the heart rate fell 60 s and 120 s after the
//! effort ended. Only where the reading can be trusted; see [`recovery`]
//! for the rules.

use crate::parse::fixes::SharedFixes;
use crate::parse::{Channel, Samples};

/// The effort: at least this long at a steady, running speed.
pub const EFFORT_S: usize = 180;
/// Slower than this is not a running effort (m/s, about 8:20/km).
const MIN_EFFORT_SPEED_M_S: f64 = 2.0;
/// The effort ends where the speed falls to this share of the effort's
/// mean, and stays there: stopped, walking or jogging easy.
pub const EASY_SHARE: f64 = 0.7;
/// Hard: the heart rate at the end is at least this share of the run's
/// highest 30-second heart rate.
pub const HARD_SHARE: f64 = 0.85;
/// Samples further apart than this leave a hole: a dropout.
const MAX_GAP_S: i64 = 10;
/// A beat rate jumping this much from one second to the next is an artifact.
const MAX_STEP_BPM: f64 = 15.0;
/// A heart rate climbing this far above the end value while stopped is not
/// a recovery (a sensor artifact, or the runner set off again).
const MAX_RISE_BPM: f64 = 5.0;
/// The end value: the mean of the effort's last seconds.
const END_S: usize = 5;
/// The values at 60 s and 120 s: the mean of this many seconds either side.
const READ_S: usize = 2;
/// Easy running must last this long after the end for the 60-s value; the
/// 120-s value needs it to last 120 s more (intervals with 2-minute jogs
/// give only the first).
const AFTER_60_S: usize = 60 + READ_S;
const AFTER_120_S: usize = 120 + READ_S;
/// Speed is averaged over this many seconds either side (GPS jitter).
const SPEED_HALF_S: usize = 2;
const PEAK_S: usize = 30;

/// One recovery reading.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Recovery {
    /// Mean heart rate over the effort's last 5 s.
    pub end_hr_bpm: f64,
    pub drop_60s_bpm: f64,
    /// `None` when the easy stretch after the effort is shorter than 122 s.
    pub drop_120s_bpm: Option<f64>,
    /// Seconds from the first sample to the end of the effort.
    pub end_offset_s: u32,
}

/// The recovery after the run's hardest eligible effort (the highest end
/// heart rate), or `None`. Eligible, all of:
/// - the effort: `EFFORT_S` seconds or more at a mean of at least 2 m/s,
///   never slower than `EASY_SHARE` of that mean;
/// - it ends where the speed (5-s mean) falls below `EASY_SHARE` of the
///   effort's mean and stays below for the 62 s after (122 s for the
///   120-s value): stopped or easy;
/// - hard: the end heart rate is at least `HARD_SHARE` of the run's
///   highest 30-s heart rate;
/// - heart rate and speed present every second from 5 s before the end to
///   62 s after (122 s) (no sample gap over 10 s: no dropout);
/// - artifact-free: no jump over 15 bpm between seconds, and never more
///   than 5 bpm above the end value after the first 10 s.
pub fn recovery(s: &Samples) -> Option<Recovery> {
    recovery_with(s, &SharedFixes::new(s))
}

/// [`recovery`], with the distances between fixes shared with other stages.
pub fn recovery_with(s: &Samples, fixes: &SharedFixes<'_>) -> Option<Recovery> {
    let grid = Grid::of(s, fixes)?;
    let peak = best_mean(&grid.hr_bpm, PEAK_S)?;
    let n = grid.hr_bpm.len();
    let mut best: Option<Recovery> = None;
    let sums = prefix_sums(&grid.speed_m_s);
    for t in EFFORT_S..n.saturating_sub(AFTER_60_S + 1) {
        let effort_m_s = (sums[t] - sums[t - EFFORT_S]) / EFFORT_S as f64;
        let easy = EASY_SHARE * effort_m_s;
        // The first second below easy after one above it: a candidate end.
        if !(effort_m_s >= MIN_EFFORT_SPEED_M_S && grid.speed_m_s[t - 1] > easy && grid.speed_m_s[t] <= easy) {
            continue;
        }
        if let Some(r) = reading(&grid, t, easy, peak)
            && best.is_none_or(|b| r.end_hr_bpm > b.end_hr_bpm)
        {
            best = Some(r);
        }
    }
    best
}

/// The reading at a candidate end `t`, if every rule holds.
fn reading(g: &Grid, t: usize, easy_m_s: f64, peak_bpm: f64) -> Option<Recovery> {
    let effort = &g.speed_m_s[t - EFFORT_S..t];
    if !effort.iter().all(|v| *v > easy_m_s) {
        return None;
    }
    let end_hr_bpm = mean(&g.hr_bpm[t - END_S..t]);
    if !(end_hr_bpm >= HARD_SHARE * peak_bpm && clean_after(g, t, AFTER_60_S, easy_m_s, end_hr_bpm)) {
        return None;
    }
    let at = |s: usize| mean(&g.hr_bpm[t + s - READ_S..=t + s + READ_S]);
    let long_enough = t + AFTER_120_S < g.hr_bpm.len() && clean_after(g, t, AFTER_120_S, easy_m_s, end_hr_bpm);
    Some(Recovery {
        end_hr_bpm,
        drop_60s_bpm: end_hr_bpm - at(60),
        drop_120s_bpm: long_enough.then(|| end_hr_bpm - at(120)),
        end_offset_s: u32::try_from(t).unwrap_or(u32::MAX),
    })
}

/// Easy, with heart rate present and artifact-free, from 5 s before `t`
/// to `after_s` after it.
fn clean_after(g: &Grid, t: usize, after_s: usize, easy_m_s: f64, end_hr_bpm: f64) -> bool {
    let hr = &g.hr_bpm[t - END_S..=t + after_s];
    g.speed_m_s[t..=t + after_s].iter().all(|v| *v <= easy_m_s)
        && hr.iter().all(|v| v.is_finite())
        && hr.windows(2).all(|w| (w[1] - w[0]).abs() <= MAX_STEP_BPM)
        && g.hr_bpm[t + 10..=t + after_s].iter().all(|v| *v <= end_hr_bpm + MAX_RISE_BPM)
}

/// Heart rate and speed on a 1 Hz grid from the first sample, NaN where
/// samples are more than `MAX_GAP_S` apart (or missing).
struct Grid {
    hr_bpm: Vec<f64>,
    /// 5-s centred mean.
    speed_m_s: Vec<f64>,
}

impl Grid {
    fn of(s: &Samples, fixes: &SharedFixes<'_>) -> Option<Grid> {
        let (first, last) = (*s.time_ms.first()?, *s.time_ms.last()?);
        let n = usize::try_from((last - first) / 1000 + 1).ok()?;
        // A day of seconds is plenty for any effort; longer is a broken clock.
        if n > 86_400 * 2 || s.count(Channel::HeartRate) == 0 {
            return None;
        }
        let secs: Vec<i64> = s.time_ms.iter().map(|t| (t - first) / 1000).collect();
        let hr_bpm = on_grid(&secs, &s.hr_bpm, n, |v| v > 0.0);
        let raw_speed = if s.count(Channel::Speed) * 2 > s.len() {
            on_grid(&secs, &s.speed_m_s, n, |v| v >= 0.0)
        } else {
            // GPX and TCX without a speed: from the distance, else the track.
            let distance_m =
                if s.count(Channel::Distance) * 2 > s.len() { s.distance_m.clone() } else { track_m(fixes.steps_m()) };
            let along_m = on_grid(&secs, &distance_m, n, |v| v >= 0.0);
            (0..n)
                .map(|i| {
                    let (from, to) = (i.saturating_sub(SPEED_HALF_S), (i + SPEED_HALF_S).min(n - 1));
                    if to > from { (along_m[to] - along_m[from]) / (to - from) as f64 } else { f64::NAN }
                })
                .collect()
        };
        let speed_m_s =
            (0..n).map(|i| mean(&raw_speed[i.saturating_sub(SPEED_HALF_S)..=(i + SPEED_HALF_S).min(n - 1)])).collect();
        Some(Grid { hr_bpm, speed_m_s })
    }
}

/// Distance along the track at each sample (NaN where a sample has no
/// position).
fn track_m(steps_m: &[f64]) -> Vec<f64> {
    let mut total = 0.0;
    steps_m
        .iter()
        .map(|&step| {
            if step.is_nan() {
                return f64::NAN;
            }
            total += step;
            total
        })
        .collect()
}

/// A channel interpolated onto whole seconds between valid samples no more
/// than `MAX_GAP_S` apart; NaN elsewhere.
fn on_grid(secs: &[i64], values: &[f64], n: usize, valid: impl Fn(f64) -> bool) -> Vec<f64> {
    let mut out = vec![f64::NAN; n];
    let mut points: Vec<(i64, f64)> = Vec::with_capacity(secs.len());
    points.extend(secs.iter().zip(values).filter(|(_, v)| v.is_finite() && valid(**v)).map(|(t, v)| (*t, *v)));
    for w in points.windows(2) {
        let ((t0, v0), (t1, v1)) = (w[0], w[1]);
        if t1 - t0 > MAX_GAP_S || t1 <= t0 {
            continue;
        }
        for t in t0..=t1 {
            let f = (t - t0) as f64 / (t1 - t0) as f64;
            out[usize::try_from(t).unwrap_or(0)] = v0 + (v1 - v0) * f;
        }
    }
    if let [(t, v)] = points[..] {
        out[usize::try_from(t).unwrap_or(0)] = v;
    }
    out
}

/// Running sums with NaN counted as 0 (a NaN-holding window is caught by
/// the per-second checks).
fn prefix_sums(v: &[f64]) -> Vec<f64> {
    let mut out = Vec::with_capacity(v.len() + 1);
    let mut total = 0.0;
    out.push(total);
    for x in v {
        total += if x.is_finite() { *x } else { 0.0 };
        out.push(total);
    }
    out
}

/// Mean of `v`; NaN if any value is missing.
fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len().max(1) as f64
}

/// The highest mean over `window` (> 0) consecutive seconds with no missing
/// value. Each window is summed in order, as [`mean`] sums it, but `LANES`
/// windows side by side, so their additions need not wait on one another
/// and the compiler vectorises across them. Each lane's sum is the one
/// window's own, so the result is exactly that of one window at a time.
fn best_mean(v: &[f64], window: usize) -> Option<f64> {
    const LANES: usize = 4;
    if window == 0 {
        return None;
    }
    let starts = (v.len() + 1).checked_sub(window)?;
    let mut best: Option<f64> = None;
    let mut consider = |m: f64| {
        if m.is_finite() && best.is_none_or(|b| m.total_cmp(&b).is_ge()) {
            best = Some(m);
        }
    };
    let mut at = 0;
    while at + LANES <= starts {
        let span = &v[at..at + LANES - 1 + window];
        let mut sums = [-0.0; LANES];
        for j in 0..window {
            let lanes: &[f64; LANES] = span[j..j + LANES].try_into().expect("LANES long");
            for (sum, x) in sums.iter_mut().zip(lanes) {
                *sum += x;
            }
        }
        for sum in sums {
            consider(sum / window as f64);
        }
        at += LANES;
    }
    for start in at..starts {
        consider(mean(&v[start..start + window]));
    }
    best
}

#[cfg(test)]
#[path = "recovery_tests.rs"]
mod tests;
