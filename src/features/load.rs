//! What training load needs from a run's seconds, gathered in the parallel
//! stage: load is a per-second sum whose weights depend on thresholds known
//! only after the whole history is read, so each run keeps a compact
//! histogram of its heart rate (seconds per whole bpm) and the sums a
//! pace-based load needs; `metrics::load` finishes the sums.

use crate::clean::Clean;

/// Heart rates are binned from here (the cleaning drops anything below).
pub const HR_FLOOR_BPM: u16 = 30;
/// Grade-adjusted speeds are binned this finely (m/s) up to the cap.
pub const SPEED_BIN_M_S: f64 = 0.1;
const SPEED_CAP_M_S: f64 = 12.0;
/// Speeds are averaged over this many seconds first (as normalized graded
/// pace does): load follows sustained effort, and second-to-second GPS
/// noise would otherwise add load (speed enters squared or steeper).
const SMOOTH_S: usize = 30;
/// A best 20-minute grade-adjusted speed needs this many seconds.
const BEST_SPAN_S: usize = 1200;

/// Per-run inputs for the load: nothing here depends on a threshold.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LoadInputs {
    /// Heart rate of the first bin of `hr_seconds`.
    pub hr_first_bpm: u16,
    /// Seconds spent at each whole bpm from `hr_first_bpm` up (rounded to
    /// the nearest; the TRIMP weight is smooth, so the sum moves < 0.1 %).
    pub hr_seconds: Vec<u32>,
    /// Moving seconds (the 1 Hz clean grid).
    pub moving_s: u32,
    /// Sum over the seconds with a grade-adjusted speed of speed squared
    /// (m²/s²): a pace-based load is this over the threshold speed squared.
    pub gap_speed_sq_sum: f64,
    /// Seconds with a grade-adjusted speed.
    pub gap_s: u32,
    /// Seconds per grade-adjusted speed bin of [`SPEED_BIN_M_S`], from 0
    /// (bin i holds speeds nearest i x the bin width).
    pub gap_speed_seconds: Vec<u32>,
    /// Highest 20-minute mean grade-adjusted speed, m/s.
    pub best_20min_gap_speed_m_s: Option<f64>,
}

impl LoadInputs {
    /// Seconds with heart rate.
    pub fn hr_s(&self) -> u32 {
        self.hr_seconds.iter().sum()
    }

    /// (bpm, seconds) of every non-empty bin.
    pub fn hr_bins(&self) -> impl Iterator<Item = (f64, u32)> + '_ {
        let first = f64::from(self.hr_first_bpm);
        self.hr_seconds.iter().enumerate().filter(|(_, s)| **s > 0).map(move |(i, &s)| (first + i as f64, s))
    }
}

/// Gather one run's load inputs from its clean seconds.
pub fn load_inputs(c: &Clean) -> LoadInputs {
    let (hr_first_bpm, hr_seconds) = hr_histogram(&c.hr_bpm);
    let gap = rolling_mean(&c.gap_speed_m_s, SMOOTH_S);
    LoadInputs {
        hr_first_bpm,
        hr_seconds,
        moving_s: u32::try_from(c.len()).unwrap_or(u32::MAX),
        gap_speed_sq_sum: gap.iter().map(|v| v * v).sum(),
        gap_s: u32::try_from(gap.len()).unwrap_or(u32::MAX),
        gap_speed_seconds: speed_histogram(&gap),
        best_20min_gap_speed_m_s: best_mean(&c.gap_speed_m_s, BEST_SPAN_S),
    }
}

#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // clean HR lies in 30..=250 bpm
fn hr_histogram(hr_bpm: &[f32]) -> (u16, Vec<u32>) {
    // Reserved at once: a filtered collect grows, and copies, a run's
    // seconds a dozen times.
    let mut bins: Vec<u16> = Vec::with_capacity(hr_bpm.len());
    bins.extend(hr_bpm.iter().filter(|v| v.is_finite()).map(|&v| v.round().max(f32::from(HR_FLOOR_BPM)) as u16));
    let (Some(&lo), Some(&hi)) = (bins.iter().min(), bins.iter().max()) else {
        return (HR_FLOOR_BPM, Vec::new());
    };
    let mut seconds = vec![0u32; usize::from(hi - lo) + 1];
    for b in bins {
        seconds[usize::from(b - lo)] += 1;
    }
    (lo, seconds)
}

/// For each second with a value: the sum of the trailing run of up to `span`
/// seconds with values, and how many that is (a gap restarts the run).
fn trailing_sums(v: &[f32], span: usize) -> impl Iterator<Item = (f64, usize)> + '_ {
    let (mut sum, mut run) = (0.0f64, 0usize);
    v.iter().enumerate().filter_map(move |(i, x)| {
        if !x.is_finite() {
            (sum, run) = (0.0, 0);
            return None;
        }
        sum += f64::from(*x);
        run += 1;
        if run > span {
            sum -= f64::from(v[i - span]);
            run = span;
        }
        Some((sum, run))
    })
}

/// The trailing mean over up to `span` seconds, for each second with a
/// value (a gap restarts the mean).
fn rolling_mean(v: &[f32], span: usize) -> Vec<f64> {
    trailing_sums(v, span).map(|(sum, run)| sum / run as f64).collect()
}

#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // clamped to 0..=120 bins
fn speed_histogram(gap_m_s: &[f64]) -> Vec<u32> {
    let bin = |v: f64| (v.clamp(0.0, SPEED_CAP_M_S) / SPEED_BIN_M_S).round() as usize;
    let Some(top) = gap_m_s.iter().map(|&v| bin(v)).max() else { return Vec::new() };
    let mut seconds = vec![0u32; top + 1];
    for &v in gap_m_s {
        seconds[bin(v)] += 1;
    }
    seconds
}

/// Highest mean over `span` consecutive seconds that all have a value.
fn best_mean(v: &[f32], span: usize) -> Option<f64> {
    trailing_sums(v, span).filter(|&(_, run)| run == span).map(|(sum, _)| sum).reduce(f64::max).map(|s| s / span as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_counts_seconds_per_whole_bpm() {
        let c = Clean {
            elapsed_s: (0..5).collect(),
            hr_bpm: vec![140.4, 139.6, f32::NAN, 142.0, 140.0],
            speed_m_s: vec![3.0; 5],
            gap_speed_m_s: vec![3.0, 3.0, 3.0, f32::NAN, 4.0],
            ..Clean::default()
        };
        let l = load_inputs(&c);
        assert_eq!((l.hr_first_bpm, l.hr_seconds.clone()), (140, vec![3, 0, 1]));
        assert_eq!((l.hr_s(), l.moving_s, l.gap_s), (4, 5, 4));
        assert!((l.gap_speed_sq_sum - 43.0).abs() < 1e-9);
        assert_eq!((l.gap_speed_seconds.len(), l.gap_speed_seconds[30], l.gap_speed_seconds[40]), (41, 3, 1));
        assert_eq!(l.hr_bins().collect::<Vec<_>>(), vec![(140.0, 3), (142.0, 1)]);
        assert_eq!(l.best_20min_gap_speed_m_s, None, "five seconds are no 20 minutes");
    }

    #[test]
    fn speeds_are_smoothed_over_half_a_minute() {
        assert_eq!(rolling_mean(&[1.0, 3.0, f32::NAN, 4.0, 2.0], 2), vec![1.0, 2.0, 4.0, 3.0]);
        let noisy: Vec<f32> = (0..120).map(|i| if i % 2 == 0 { 2.0 } else { 4.0 }).collect();
        let l = load_inputs(&Clean { elapsed_s: (0..120).collect(), gap_speed_m_s: noisy, ..Clean::default() });
        // Alternating 2 and 4 m/s is 3 m/s: 9 (m/s)^2 a second, not 10.
        assert!((l.gap_speed_sq_sum / 120.0 - 9.0).abs() < 0.2, "{}", l.gap_speed_sq_sum);
    }

    #[test]
    fn best_mean_skips_gaps() {
        let v = [1.0, 2.0, f32::NAN, 3.0, 5.0, 4.0];
        assert_eq!(best_mean(&v, 2), Some(4.5));
        assert_eq!(best_mean(&v, 4), None);
    }
}
