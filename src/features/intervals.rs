//! The interval structure of a run, counted in the parallel stage: how many
//! times grade-adjusted speed rose well above the run's own median for a
//! minute or more AND heart rate answered (rose above the run's own easy
//! level, a little later than the speed). Speed alone is not enough: on
//! hills and trails grade-adjusted speed swings with the terrain while the
//! effort stays easy. Session typing (metrics) reads it.

use crate::clean::Clean;
use crate::stats::median;

/// Block length for the interval detector.
const BLOCK_S: usize = 30;
/// A block this much faster than the run's median is a "fast" block.
const FAST_RATIO: f64 = 1.15;
const MIN_FAST_BLOCKS: usize = 2;
/// Heart rate lags effort: a stretch's heart rate is read this many blocks
/// later than its speed.
const LAG_BLOCKS: usize = 1;
/// A fast stretch's heart rate must rise this far above the run's easy
/// level (the median of its slow blocks) to count as effort.
const MIN_HR_RISE_BPM: f64 = 10.0;
/// The first blocks are the warm-up: heart rate climbs there whatever the pace.
const WARMUP_BLOCKS: usize = 10;

/// Repeated fast stretches that heart rate confirms, with the heart rate
/// they reached (metrics compare it with the thresholds).
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Intervals {
    pub repeats: usize,
    /// Median over the counted stretches of the highest lagged 30-second HR.
    pub peak_hr_bpm: Option<f64>,
}

/// One 30-second block's means (NaN when the block has no value).
#[derive(Debug, Clone, Copy)]
struct Block {
    gap_m_s: f64,
    hr_bpm: f64,
}

fn mean_finite(v: &[f32]) -> f64 {
    let (sum, n) = v.iter().filter(|v| v.is_finite()).fold((0.0, 0u32), |(s, n), &v| (s + f64::from(v), n + 1));
    if n == 0 { f64::NAN } else { sum / f64::from(n) }
}

fn blocks(c: &Clean) -> Vec<Block> {
    c.gap_speed_m_s
        .chunks_exact(BLOCK_S)
        .zip(c.hr_bpm.chunks_exact(BLOCK_S))
        .map(|(gap, hr)| Block { gap_m_s: mean_finite(gap), hr_bpm: mean_finite(hr) })
        .collect()
}

/// Count slow-to-fast transitions of 30-second blocks of grade-adjusted
/// speed (each fast stretch at least a minute) whose heart rate rose well
/// above the run's easy level: the signature of intervals. A run without
/// heart rate is judged on speed alone.
pub fn intervals(c: &Clean) -> Intervals {
    let blocks = blocks(c);
    let mut speeds: Vec<f64> = blocks.iter().map(|b| b.gap_m_s).filter(|v| v.is_finite()).collect();
    let Some(median_speed) = median(&mut speeds) else { return Intervals::default() };
    let fast: Vec<bool> = blocks.iter().map(|b| b.gap_m_s > FAST_RATIO * median_speed).collect();
    let mut slow_hr: Vec<f64> = blocks
        .iter()
        .zip(&fast)
        .skip(WARMUP_BLOCKS)
        .filter(|(b, f)| !**f && b.hr_bpm.is_finite())
        .map(|(b, _)| b.hr_bpm)
        .collect();
    let easy_hr = median(&mut slow_hr);
    let mut peaks = Vec::new();
    let mut i = 0;
    while i < fast.len() {
        if !(fast[i] && (i == 0 || !fast[i - 1])) {
            i += 1;
            continue;
        }
        let len = fast[i..].iter().take_while(|f| **f).count();
        if len >= MIN_FAST_BLOCKS {
            // Heart rate over the stretch, shifted by the lag.
            let lagged = &blocks[(i + LAG_BLOCKS).min(blocks.len())..(i + len + LAG_BLOCKS).min(blocks.len())];
            let peak = lagged.iter().map(|b| b.hr_bpm).filter(|v| v.is_finite()).reduce(f64::max);
            match (easy_hr, peak) {
                (Some(easy), Some(peak)) if peak >= easy + MIN_HR_RISE_BPM => peaks.push(peak),
                (Some(_), Some(_)) => {}
                // No heart rate to confirm: speed decides, as before.
                _ => peaks.push(f64::NAN),
            }
        }
        i += len;
    }
    let mut confirmed: Vec<f64> = peaks.iter().copied().filter(|p| p.is_finite()).collect();
    Intervals { repeats: peaks.len(), peak_hr_bpm: median(&mut confirmed) }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `hr_of(t, v)` gives the heart rate at second `t` running at `v`.
    #[allow(clippy::cast_possible_truncation)] // test values fit f32
    fn run(speed: impl Fn(u32) -> f64, hr_of: impl Fn(u32, f64) -> f64, seconds: u32) -> Clean {
        let mut c = Clean::default();
        for t in 0..seconds {
            let v = speed(t);
            c.elapsed_s.push(t);
            c.speed_m_s.push(v as f32);
            c.gap_speed_m_s.push(v as f32);
            c.hr_bpm.push(hr_of(t, v) as f32);
        }
        c
    }

    fn reps(t: u32) -> bool {
        t >= 600 && (t - 600) % 300 < 180 && t < 600 + 6 * 300
    }

    #[test]
    fn detects_repeated_fast_stretches() {
        // Heart rate follows the reps, 40 s late.
        let c =
            run(|t| if reps(t) { 4.5 } else { 3.0 }, |t, _| if t >= 40 && reps(t - 40) { 172.0 } else { 140.0 }, 3000);
        let i = intervals(&c);
        assert_eq!(i.repeats, 6);
        assert_eq!(i.peak_hr_bpm, Some(172.0));
    }

    /// Found on real mountain histories: long runs at 8-9 min/km with no
    /// time above threshold were typed "workout", because grade-adjusted
    /// speed swinging with the terrain counted as repeated fast stretches.
    #[test]
    fn hilly_easy_run_is_not_intervals() {
        // Grade-adjusted speed swings by a third with the terrain every five
        // minutes; heart rate barely moves (an easy effort held by feel).
        let c = run(|t| if reps(t) { 2.6 } else { 2.0 }, |t, _| 135.0 + 4.0 * (f64::from(t) / 300.0).sin(), 3000);
        assert_eq!(intervals(&c).repeats, 0);
    }

    #[test]
    fn without_heart_rate_speed_decides() {
        let c = run(|t| if reps(t) { 4.5 } else { 3.0 }, |_, _| f64::NAN, 3000);
        assert_eq!(intervals(&c), Intervals { repeats: 6, peak_hr_bpm: None });
    }
}
