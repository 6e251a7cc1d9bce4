//! The interval structure of a run, counted in the parallel stage: how many
//! times grade-adjusted speed rose well above the run's own median for a
//! minute or more. Session typing (metrics) reads it.

use crate::clean::Clean;
use crate::stats::median;

/// Block length for the interval detector.
const BLOCK_S: usize = 30;
/// A block this much faster than the run's median is a "fast" block.
const FAST_RATIO: f64 = 1.15;
const MIN_FAST_BLOCKS: usize = 2;

/// Count slow-to-fast transitions of 30-second blocks of grade-adjusted
/// speed (each fast stretch at least a minute): the signature of intervals.
pub fn interval_repeats(c: &Clean) -> usize {
    let blocks: Vec<f64> = c
        .gap_speed_m_s
        .chunks(BLOCK_S)
        .filter(|b| b.len() == BLOCK_S)
        .map(|b| {
            let v: Vec<f64> = b.iter().filter(|v| v.is_finite()).map(|&v| f64::from(v)).collect();
            if v.is_empty() { f64::NAN } else { v.iter().sum::<f64>() / v.len() as f64 }
        })
        .collect();
    let mut sorted: Vec<f64> = blocks.iter().copied().filter(|v| v.is_finite()).collect();
    let Some(median) = median(&mut sorted) else { return 0 };
    let fast: Vec<bool> = blocks.iter().map(|&v| v > FAST_RATIO * median).collect();
    let mut repeats = 0;
    let mut i = 0;
    while i < fast.len() {
        if fast[i] && (i == 0 || !fast[i - 1]) {
            let run = fast[i..].iter().take_while(|f| **f).count();
            repeats += usize::from(run >= MIN_FAST_BLOCKS);
            i += run;
        } else {
            i += 1;
        }
    }
    repeats
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_repeated_fast_stretches() {
        let mut c = Clean::default();
        for t in 0..3000u32 {
            let fast = t >= 600 && (t - 600) % 300 < 180 && t < 600 + 6 * 300;
            let v = if fast { 4.5f32 } else { 3.0 };
            c.elapsed_s.push(t);
            c.speed_m_s.push(v);
            c.gap_speed_m_s.push(v);
            c.hr_bpm.push(150.0);
        }
        assert_eq!(interval_repeats(&c), 6);
    }
}
