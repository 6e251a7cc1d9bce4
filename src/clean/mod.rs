//! Cleaning: one activity's samples onto a 1 Hz grid of moving seconds, with
//! pauses, heart-rate artifacts and GPS jumps excluded and counted (never
//! smoothed into the result), and grade-adjusted speed beside raw speed.
//! Plain Rust, run per activity inside the parallel stage.

use crate::geo::grade_cost_ratio;
use crate::parse::fixes::{self, Fix};
use crate::parse::summary::{PLAUSIBLE_HR_BPM, in_pause};
use crate::parse::{Activity, Channel, Samples};

/// Samples further apart than this are a pause, not a second to fill in.
const MAX_INTERPOLATION_GAP_S: f64 = 10.0;
/// Slower than this is standing (walking breaks count as moving).
const MOVING_SPEED_M_S: f64 = 0.5;
/// A beat rate this far from its 11-second median is a sensor spike.
const HR_SPIKE_BPM: f64 = 25.0;
/// Optical sensors can lock onto the step rate: HR within this of the
/// cadence (steps per minute) for this long is the arm swinging, not the heart.
const CADENCE_LOCK_BPM: f64 = 2.0;
const CADENCE_LOCK_S: usize = 30;
/// Grade is measured over at least this much distance (Minetti's model
/// wants the slope of the terrain, not of altimeter noise).
const GRADE_BASE_M: f64 = 50.0;
/// Speed is a centered difference over this many seconds each side.
const SPEED_HALF_WINDOW_S: usize = 2;

/// What was excluded, per activity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Quality {
    pub paused_s: u32,
    pub stopped_s: u32,
    pub hr_artifacts: u32,
    pub gps_jumps: u32,
}

/// Moving seconds of one activity, 1 Hz. NaN marks a missing value.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Clean {
    /// Seconds since the activity's first sample.
    pub elapsed_s: Vec<u32>,
    pub speed_m_s: Vec<f32>,
    pub gap_speed_m_s: Vec<f32>,
    pub hr_bpm: Vec<f32>,
    pub quality: Quality,
}

impl Clean {
    pub fn len(&self) -> usize {
        self.elapsed_s.len()
    }

    fn reserve(&mut self, n: usize) {
        self.elapsed_s.reserve(n);
        self.speed_m_s.reserve(n);
        self.gap_speed_m_s.reserve(n);
        self.hr_bpm.reserve(n);
    }

    pub fn is_empty(&self) -> bool {
        self.elapsed_s.is_empty()
    }

    pub fn has_hr(&self) -> bool {
        self.hr_bpm.iter().any(|v| v.is_finite())
    }
}

/// Clean one activity's (time-ordered) samples.
pub fn clean(activity: &Activity) -> Clean {
    clean_with_fixes(activity, &fixes::SharedFixes::new(&activity.samples))
}

/// [`clean`], with the activity's fixes shared with other stages.
pub fn clean_with_fixes(activity: &Activity, fixes: &fixes::SharedFixes<'_>) -> Clean {
    let s = &activity.samples;
    let mut quality = Quality::default();
    let distance = cumulative_distance_m(s, fixes, &mut quality);
    let mut hr = hr_without_artifacts(&s.hr_bpm, &mut quality);
    // A pedal cadence near half the heart rate is a coincidence, not a lock.
    if activity.meta.sport.is_run() {
        remove_cadence_lock(&mut hr, &s.cadence_rpm, &mut quality);
    }
    let grid = resample(s, &activity.meta.pauses, &distance, &hr, &mut quality);
    let speed = centered_speed(&grid.distance_m, &grid.elapsed_s);
    let grade = grade(&grid.distance_m, &grid.altitude_m);
    let mut out = Clean { quality, ..Clean::default() };
    out.reserve(grid.elapsed_s.len());
    for i in 0..grid.elapsed_s.len() {
        let v = speed[i];
        if v.is_finite() && v < MOVING_SPEED_M_S {
            out.quality.stopped_s += 1;
            continue;
        }
        out.elapsed_s.push(grid.elapsed_s[i]);
        out.speed_m_s.push(compact(v));
        out.gap_speed_m_s.push(compact(v * grade_cost_ratio(grade[i])));
        out.hr_bpm.push(compact(grid.hr_bpm[i]));
    }
    out
}

/// The 1 Hz channels are speeds and heart rates: f32's seven significant
/// digits are plenty, and halve the memory of ten years of seconds.
#[allow(clippy::cast_possible_truncation)]
fn compact(v: f64) -> f32 {
    v as f32
}

/// Distance along the activity at each sample, from the first channel
/// that covers most of it: the device's distance, the track with GPS jumps
/// left out, the speed. Without any (a treadmill without foot pod, a trainer
/// ride) it is NaN: nothing says the athlete stood still, so every second
/// not paused is moving.
fn cumulative_distance_m(s: &Samples, fixes: &fixes::SharedFixes<'_>, quality: &mut Quality) -> Vec<f64> {
    let covers = |n: usize| n * 2 > s.len();
    if covers(s.count(Channel::Distance)) {
        return monotonic(&s.distance_m);
    }
    if covers(s.count(Channel::Position)) {
        quality.gps_jumps = u32::try_from(fixes.get().iter().filter(|f| **f == Fix::Jump).count()).unwrap_or(u32::MAX);
        return track_distance_m(fixes);
    }
    if covers(s.count(Channel::Speed)) {
        return integrated_speed_m(s);
    }
    vec![f64::NAN; s.len()]
}

/// A reset or dropout does not run the distance backwards.
fn monotonic(distance_m: &[f64]) -> Vec<f64> {
    let mut last = 0.0f64;
    distance_m
        .iter()
        .map(|&d| {
            if d.is_finite() && d >= last {
                last = d;
            }
            last
        })
        .collect()
}

/// The steps between kept fixes, added up (see [`fixes::classify_fixes`]).
fn track_distance_m(fixes: &fixes::SharedFixes<'_>) -> Vec<f64> {
    let mut total = 0.0;
    fixes
        .kept_steps_m()
        .iter()
        .map(|step| {
            total += step;
            total
        })
        .collect()
}

/// Speed over time, within stretches short enough to be moving time.
fn integrated_speed_m(s: &Samples) -> Vec<f64> {
    let mut total = 0.0;
    let mut out = Vec::with_capacity(s.len());
    for i in 0..s.len() {
        if i > 0 {
            let dt_s = (s.time_ms[i] - s.time_ms[i - 1]) as f64 / 1000.0;
            let ends = [s.speed_m_s[i - 1], s.speed_m_s[i]];
            let (sum, n) = ends.iter().filter(|v| v.is_finite()).fold((0.0, 0.0), |(sum, n), v| (sum + v, n + 1.0));
            if n > 0.0 && dt_s <= MAX_INTERPOLATION_GAP_S {
                total += sum / n * dt_s;
            }
        }
        out.push(total);
    }
    out
}

/// Out-of-range values and spikes become NaN, counted.
fn hr_without_artifacts(hr: &[f64], quality: &mut Quality) -> Vec<f64> {
    let mut out: Vec<f64> = hr
        .iter()
        .map(|&v| {
            if v.is_nan() || PLAUSIBLE_HR_BPM.contains(&v) {
                v
            } else {
                quality.hr_artifacts += 1;
                f64::NAN
            }
        })
        .collect();
    let mut window = Vec::with_capacity(11);
    let original = out.clone();
    for i in 0..out.len() {
        if original[i].is_nan() {
            continue;
        }
        let around = &original[i.saturating_sub(5)..(i + 6).min(original.len())];
        // A window whose values all lie within the spike limit of each other
        // holds no spike (the sample is one of them): skip the sort, which
        // was the parallel stage's largest single cost.
        let (lo, hi) =
            around.iter().filter(|v| v.is_finite()).fold((f64::MAX, f64::MIN), |(lo, hi), &v| (lo.min(v), hi.max(v)));
        if hi - lo <= HR_SPIKE_BPM {
            continue;
        }
        window.clear();
        window.extend(around.iter().filter(|v| v.is_finite()));
        window.sort_by(f64::total_cmp);
        let median = window[window.len() / 2];
        if (original[i] - median).abs() > HR_SPIKE_BPM {
            quality.hr_artifacts += 1;
            out[i] = f64::NAN;
        }
    }
    out
}

/// HR that equals the step rate (2 x cadence in strides per minute) for a
/// sustained stretch is cadence lock: removed and counted as artifacts.
fn remove_cadence_lock(hr: &mut [f64], cadence_rpm: &[f64], quality: &mut Quality) {
    let locked: Vec<bool> = hr
        .iter()
        .zip(cadence_rpm)
        .map(|(&h, &c)| h.is_finite() && c > 0.0 && (h - 2.0 * c).abs() <= CADENCE_LOCK_BPM)
        .collect();
    let mut i = 0;
    while i < locked.len() {
        let run = locked[i..].iter().take_while(|l| **l).count();
        if run >= CADENCE_LOCK_S {
            for v in &mut hr[i..i + run] {
                *v = f64::NAN;
            }
            quality.hr_artifacts += u32::try_from(run).unwrap_or(u32::MAX);
        }
        i += run.max(1);
    }
}

struct Grid {
    elapsed_s: Vec<u32>,
    distance_m: Vec<f64>,
    altitude_m: Vec<f64>,
    hr_bpm: Vec<f64>,
}

impl Grid {
    fn reserve(&mut self, n: usize) {
        self.elapsed_s.reserve(n);
        self.distance_m.reserve(n);
        self.altitude_m.reserve(n);
        self.hr_bpm.reserve(n);
    }
}

/// Linear interpolation onto whole seconds. Second `t` stands for the
/// interval [t, t+1): it exists when that interval lies between two samples
/// at most a few seconds apart; inside a longer gap it is a paused second.
/// Walks sample pairs, not seconds, so a gap of years costs nothing. Time
/// the device's timer was stopped is paused whatever was recorded in it.
fn resample(samples: &Samples, pauses: &[(i64, i64)], distance: &[f64], hr: &[f64], quality: &mut Quality) -> Grid {
    let mut grid = Grid { elapsed_s: Vec::new(), distance_m: Vec::new(), altitude_m: Vec::new(), hr_bpm: Vec::new() };
    let Some(&t0) = samples.time_ms.first() else { return grid };
    // The first whole second at or after `t`, counted from the first sample.
    let second_at = |t: i64| (t - t0 + 999).div_euclid(1000);
    // The seconds between a sample and the next, and whether they span a
    // gap too long to fill.
    let pair = |j: usize| {
        let (ta, tb) = (samples.time_ms[j], samples.time_ms[j + 1]);
        (second_at(ta)..second_at(tb), (tb - ta) as f64 / 1000.0 > MAX_INTERPOLATION_GAP_S)
    };
    let pairs = 0..samples.len().saturating_sub(1);
    // Sized once: grown second by second, the four series of a few hours
    // were copied a dozen times each. Exact but for paused pairs (looking
    // each up in the pauses twice would cost more than the room).
    let room_s: i64 = pairs.clone().map(pair).filter(|(_, gap)| !gap).map(|(s, _)| (s.end - s.start).max(0)).sum();
    grid.reserve(usize::try_from(room_s).unwrap_or(0));
    for j in pairs {
        let (seconds, gap) = pair(j);
        if gap || in_pause(pauses, samples.time_ms[j], samples.time_ms[j + 1]) {
            let gap_s = u32::try_from(seconds.end - seconds.start).unwrap_or(u32::MAX);
            quality.paused_s = quality.paused_s.saturating_add(gap_s);
            continue;
        }
        let (k, ta, tb) = (j + 1, samples.time_ms[j], samples.time_ms[j + 1]);
        for sec in seconds {
            let w = (t0 + sec * 1000 - ta) as f64 / (tb - ta) as f64;
            let lerp = |a: f64, b: f64| a + (b - a) * w;
            grid.elapsed_s.push(u32::try_from(sec).unwrap_or(u32::MAX));
            grid.distance_m.push(lerp(distance[j], distance[k]));
            grid.altitude_m.push(lerp(samples.altitude_m[j], samples.altitude_m[k]));
            // A reading next to a missing one is still a reading.
            let (ha, hb) = (hr[j], hr[k]);
            grid.hr_bpm.push(if ha.is_nan() || hb.is_nan() { if w < 0.5 { ha } else { hb } } else { lerp(ha, hb) });
        }
    }
    grid
}

/// Speed from distance over a few seconds each side, within contiguous time.
fn centered_speed(distance: &[f64], elapsed: &[u32]) -> Vec<f64> {
    let n = distance.len();
    (0..n)
        .map(|i| {
            let a = i.saturating_sub(SPEED_HALF_WINDOW_S);
            let b = (i + SPEED_HALF_WINDOW_S).min(n.saturating_sub(1));
            let dt = f64::from(elapsed[b]) - f64::from(elapsed[a]);
            // Across a pause the difference is not a speed.
            if dt <= 0.0 || dt > (2 * SPEED_HALF_WINDOW_S) as f64 + 0.5 {
                return f64::NAN;
            }
            (distance[b] - distance[a]) / dt
        })
        .collect()
}

/// Grade at each second: altitude change over at least `GRADE_BASE_M` of
/// distance centered on it; 0 where altitude is unknown or we stand still.
fn grade(distance: &[f64], altitude: &[f64]) -> Vec<f64> {
    let n = distance.len();
    let (mut lo, mut hi) = (0, 0);
    (0..n)
        .map(|i| {
            let half = GRADE_BASE_M / 2.0;
            while lo < i && distance[i] - distance[lo + 1] >= half {
                lo += 1;
            }
            hi = hi.max(i);
            while hi + 1 < n && distance[hi] - distance[i] < half {
                hi += 1;
            }
            let run = distance[hi] - distance[lo];
            let rise = altitude[hi] - altitude[lo];
            if run >= GRADE_BASE_M * 0.8 && rise.is_finite() { rise / run } else { 0.0 }
        })
        .collect()
}

#[cfg(test)]
mod tests;
