//! Per-activity figures (duration, distance, HR, pace) reduced in plain Rust
//! inside the parallel stage, so the tables only assemble rows.

use super::fixes;
use super::{Activity, Format, Samples};

/// A gap longer than this between two samples is a pause (auto-pause, a stop
/// at a light with the watch paused), not moving time.
const PAUSE_GAP_S: f64 = 30.0;
/// Slower than this (m/s, 1.8 km/h) is standing, not moving.
const MOVING_SPEED_M_S: f64 = 0.5;
/// Altitude changes smaller than this are noise, not climbing.
const ELEVATION_HYSTERESIS_M: f64 = 2.0;
/// Below this distance a pace is meaningless.
const MIN_PACE_DISTANCE_M: f64 = 10.0;
/// Heart rates outside this range are sensor artifacts, never averaged in.
pub const PLAUSIBLE_HR_BPM: std::ops::RangeInclusive<f64> = 30.0..=250.0;

/// Temperatures (°C) any thermometer on a runner can read.
pub const PLAUSIBLE_TEMPERATURE_C: std::ops::RangeInclusive<f64> = -60.0..=70.0;

/// The ingest columns of `activities.csv` for one activity.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Summary {
    pub duration_s: f64,
    pub moving_time_s: f64,
    pub samples: usize,
    pub distance_m: Option<f64>,
    pub elevation_gain_m: Option<f64>,
    pub avg_hr_bpm: Option<f64>,
    pub max_hr_bpm: Option<f64>,
    pub avg_pace_s_per_km: Option<f64>,
    /// The median of the device's thermometer (°C): the run's heat, for
    /// the heat correction of pace at HR. `None` when nothing recorded it.
    pub temperature_c: Option<f64>,
}

impl Summary {
    pub fn of(activity: &Activity) -> Summary {
        Summary::with_fixes(activity, &fixes::SharedFixes::new(&activity.samples))
    }

    /// [`Summary::of`], with the activity's fixes shared with other stages.
    pub fn with_fixes(activity: &Activity, fixes: &fixes::SharedFixes<'_>) -> Summary {
        let s = &activity.samples;
        let meta = &activity.meta;
        let span_s = match (s.time_ms.first(), s.time_ms.last()) {
            (Some(a), Some(b)) => ms_to_s(b - a),
            _ => 0.0,
        };
        // The device's elapsed time, but never shorter than the samples it
        // covers (a broken session total would make zone times exceed it).
        // A device total far beyond the samples (a damaged or garbage
        // session) is not believed: no recording stops an hour early.
        let believable = |d: &f64| d.is_finite() && *d <= span_s + 3600.0;
        let duration_s = meta.elapsed_s.filter(believable).map_or(span_s, |d| d.max(span_s));
        let moving_time_s = moving_time_s(s, &meta.pauses, fixes);
        let distance_m = distance_m(activity, fixes);
        let elevation_gain_m =
            meta.total_ascent_m.filter(|d| d.is_finite()).or_else(|| elevation_gain_m(&s.altitude_m));
        let (avg_hr_bpm, max_hr_bpm) = mean_and_max(&s.hr_bpm, PLAUSIBLE_HR_BPM);
        let avg_pace_s_per_km = distance_m
            .filter(|&d| d >= MIN_PACE_DISTANCE_M && moving_time_s > 0.0)
            .map(|d| moving_time_s / (d / 1000.0));
        // GPX and TCX readings are not range-checked when parsed (a kelvin
        // or Fahrenheit value would pass for Celsius otherwise).
        let mut temperatures: Vec<f64> =
            s.temperature_c.iter().copied().filter(|t| PLAUSIBLE_TEMPERATURE_C.contains(t)).collect();
        Summary {
            duration_s,
            moving_time_s,
            samples: s.len(),
            distance_m,
            elevation_gain_m,
            avg_hr_bpm,
            max_hr_bpm,
            avg_pace_s_per_km,
            temperature_c: crate::stats::median(&mut temperatures),
        }
    }
}

fn ms_to_s(ms: i64) -> f64 {
    ms as f64 / 1000.0
}

/// The device's total when it has one. A GPX total is only the file's
/// segments measured point to point, jumps included: the jump-filtered
/// track is used instead, unless the segments are shorter (the track then
/// crossed a gap between segments, which is no distance either).
fn distance_m(activity: &Activity, fixes: &fixes::SharedFixes<'_>) -> Option<f64> {
    let total = activity.meta.total_distance_m.filter(|d| d.is_finite() && *d > 0.0);
    let recorded = recorded_distance_m(&activity.samples, fixes);
    match (activity.meta.format, total, recorded) {
        (Some(Format::Gpx), Some(file), Some(track)) => Some(file.min(track)),
        _ => total.or(recorded),
    }
}

/// Distance from the recorded distance channel if it has one, else from the
/// track. The watch's own distance (wheel sensor, foot pod, filtered GPS) is
/// better than a recount when it exists.
fn recorded_distance_m(s: &Samples, fixes: &fixes::SharedFixes<'_>) -> Option<f64> {
    let first = s.distance_m.iter().find(|v| v.is_finite());
    let max = s.distance_m.iter().copied().filter(|v| v.is_finite()).reduce(f64::max);
    match (first, max) {
        (Some(a), Some(b)) if b > *a => Some(b - a),
        _ => fixes.track_length_m(),
    }
}

/// Time spent moving: intervals shorter than a pause gap whose speed (from the
/// distance channel, the speed channel or the track, whichever exists) is at
/// least walking-slow. With no motion data at all, every short interval
/// counts. Time the device's timer was stopped never does.
fn moving_time_s(s: &Samples, pauses: &[(i64, i64)], fixes: &fixes::SharedFixes<'_>) -> f64 {
    let mut total = 0.0;
    for i in 1..s.len() {
        let dt = ms_to_s(s.time_ms[i] - s.time_ms[i - 1]);
        if dt <= 0.0 || dt > PAUSE_GAP_S || in_pause(pauses, s.time_ms[i - 1], s.time_ms[i]) {
            continue;
        }
        if interval_speed_m_s(s, fixes, i, dt).is_none_or(|v| v >= MOVING_SPEED_M_S) {
            total += dt;
        }
    }
    total
}

/// Whether the interval between two samples lies in a timer pause (FIT
/// timer stop..start, epoch ms).
pub fn in_pause(pauses: &[(i64, i64)], from_ms: i64, to_ms: i64) -> bool {
    let mid = from_ms + (to_ms - from_ms) / 2;
    pauses.iter().any(|&(stopped_ms, resumed_ms)| stopped_ms <= mid && mid < resumed_ms)
}

fn interval_speed_m_s(s: &Samples, fixes: &fixes::SharedFixes<'_>, i: usize, dt: f64) -> Option<f64> {
    let delta = s.distance_m[i] - s.distance_m[i - 1];
    if delta.is_finite() {
        return Some(delta / dt);
    }
    if s.speed_m_s[i].is_finite() {
        return Some(s.speed_m_s[i]);
    }
    // Both samples have a position: the step from the one before is this one's.
    let (a, b) = ((s.lat_deg[i - 1], s.lon_deg[i - 1]), (s.lat_deg[i], s.lon_deg[i]));
    if a.0.is_finite() && a.1.is_finite() && b.0.is_finite() && b.1.is_finite() {
        return Some(fixes.steps_m()[i] / dt);
    }
    None
}

/// Total climb with a hysteresis band, so altimeter and GPS noise do not
/// add up to phantom metres.
pub fn elevation_gain_m(altitude_m: &[f64]) -> Option<f64> {
    let mut values = altitude_m.iter().copied().filter(|v| v.is_finite());
    let mut anchor = values.next()?;
    let mut gain = 0.0;
    for v in values {
        if v - anchor >= ELEVATION_HYSTERESIS_M {
            gain += v - anchor;
            anchor = v;
        } else if anchor - v >= ELEVATION_HYSTERESIS_M {
            anchor = v;
        }
    }
    Some(gain)
}

pub fn mean_and_max(values: &[f64], range: std::ops::RangeInclusive<f64>) -> (Option<f64>, Option<f64>) {
    let (mut sum, mut n, mut max) = (0.0, 0usize, f64::NEG_INFINITY);
    for &v in values.iter().filter(|v| range.contains(v)) {
        sum += v;
        n += 1;
        max = max.max(v);
    }
    if n == 0 { (None, None) } else { (Some(sum / n as f64), Some(max)) }
}

#[cfg(test)]
#[allow(clippy::float_cmp)] // small integer-valued inputs: sums and maxima are exact
mod tests {
    use super::*;
    use crate::parse::Point;

    fn run(points: &[(i64, f64, f64)]) -> Activity {
        let mut a = Activity::default();
        for &(t, d, hr) in points {
            a.samples.push(&Point { time_ms: t * 1000, distance_m: Some(d), hr_bpm: Some(hr), ..Point::default() });
        }
        a
    }

    #[test]
    fn pauses_and_standing_are_not_moving_time() {
        // 0..10 s running, 10..70 s paused (gap), 70..80 s running, 80..90 s standing
        let a = run(&[(0, 0.0, 120.0), (10, 30.0, 130.0), (70, 30.0, 140.0), (80, 60.0, 150.0), (90, 60.0, 150.0)]);
        let s = Summary::of(&a);
        assert!((s.moving_time_s - 20.0).abs() < 1e-9);
        assert!((s.duration_s - 90.0).abs() < 1e-9);
        assert_eq!(s.distance_m, Some(60.0));
        assert_eq!(s.max_hr_bpm, Some(150.0));
        assert!((s.avg_hr_bpm.unwrap() - 138.0).abs() < 1e-9);
        // 20 s for 60 m: 333.3 s/km
        assert!((s.avg_pace_s_per_km.unwrap() - 1000.0 / 3.0).abs() < 1e-6);
    }

    #[test]
    fn no_hr_is_empty_not_zero() {
        let mut a = run(&[(0, 0.0, 0.0)]);
        a.samples.hr_bpm = vec![f64::NAN];
        let s = Summary::of(&a);
        assert_eq!((s.avg_hr_bpm, s.max_hr_bpm), (None, None));
    }

    #[test]
    fn elevation_gain_ignores_noise_below_hysteresis() {
        let noisy = [100.0, 101.0, 100.0, 101.5, 100.2, 105.0, 104.0, 110.0];
        assert_eq!(elevation_gain_m(&noisy), Some(10.0));
        assert_eq!(elevation_gain_m(&[f64::NAN]), None);
    }
}
