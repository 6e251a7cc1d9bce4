//! Seconds at each heart rate of a run's clean series, in all and after the
//! warm-up: everything the zones need once the thresholds are known. A few
//! hundred bytes per run where the 1 Hz series it replaces was tens of
//! kilobytes, kept for every run of the history and in every cache entry.

use crate::clean::Clean;
use crate::stats::tally;

/// Seconds at one heart rate.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AtHr {
    /// As the clean series holds it (`f32`, the samples' own precision).
    pub hr_bpm: f32,
    pub seconds: u32,
    /// Of them, those from `warmup_s` on.
    pub after_warmup_s: u32,
}

/// The run's heart rates, each once, in rising order; empty without heart
/// rate. Missing readings (NaN) are in none.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct HrSeconds {
    pub by_hr: Vec<AtHr>,
}

impl HrSeconds {
    /// The clean series' heart rates, with the seconds before `warmup_s`
    /// (elapsed) told apart.
    pub fn of(clean: &Clean, warmup_s: u32) -> HrSeconds {
        let readings = clean.hr_bpm.iter().zip(&clean.elapsed_s).map(|(&hr, &t)| (hr, t >= warmup_s));
        let mut by_hr: Vec<AtHr> = Vec::new();
        for c in tally(readings) {
            match by_hr.last_mut() {
                // `==`, not the bits: -0 and 0 are one heart rate to every comparison.
                #[allow(clippy::float_cmp)]
                Some(last) if last.hr_bpm == c.value => {
                    last.seconds += c.count;
                    last.after_warmup_s += c.flagged;
                }
                _ => by_hr.push(AtHr { hr_bpm: c.value, seconds: c.count, after_warmup_s: c.flagged }),
            }
        }
        HrSeconds { by_hr }
    }

    pub fn has_hr(&self) -> bool {
        !self.by_hr.is_empty()
    }

    /// Seconds with heart rate in all.
    pub fn seconds(&self) -> u32 {
        self.by_hr.iter().map(|h| h.seconds).sum()
    }

    /// Whether the entries are what [`HrSeconds::of`] makes: finite, each
    /// heart rate once and rising, and no more after the warm-up than in all.
    pub fn is_consistent(&self) -> bool {
        self.by_hr.iter().all(|h| h.hr_bpm.is_finite() && h.after_warmup_s <= h.seconds && h.seconds > 0)
            && self.by_hr.windows(2).all(|w| w[0].hr_bpm < w[1].hr_bpm)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_heart_rate_once_with_its_seconds_before_and_after_the_warm_up() {
        let clean = Clean {
            elapsed_s: vec![0, 1, 2, 700, 701, 702],
            hr_bpm: vec![150.0, 120.0, 150.0, f32::NAN, 150.0, 120.5],
            ..Clean::default()
        };
        let h = HrSeconds::of(&clean, 600);
        let got: Vec<(f32, u32, u32)> = h.by_hr.iter().map(|a| (a.hr_bpm, a.seconds, a.after_warmup_s)).collect();
        assert_eq!(got, vec![(120.0, 1, 0), (120.5, 1, 1), (150.0, 3, 1)]);
        assert!(h.has_hr() && h.is_consistent());
        assert_eq!(h.seconds(), 5);
    }

    /// Self-consistency: the tally gives what a comparison sort of
    /// (reading, after the warm-up) pairs gives, with repeated, fractional,
    /// signed-zero and missing readings, and seconds out of order.
    #[test]
    fn seconds_at_each_rate_are_those_a_sort_of_the_readings_counts() {
        let by_comparison = |c: &Clean, warmup_s: u32| {
            let mut r: Vec<(f32, bool)> = c
                .hr_bpm
                .iter()
                .zip(&c.elapsed_s)
                .filter(|(h, _)| h.is_finite())
                .map(|(&h, &t)| (h, t >= warmup_s))
                .collect();
            r.sort_by(|a, b| a.0.total_cmp(&b.0));
            let mut out: Vec<(u32, u32, u32)> = Vec::new();
            for (h, after) in r {
                match out.last_mut() {
                    // As `of` groups them: by `==`.
                    #[allow(clippy::float_cmp)]
                    Some(last) if f32::from_bits(last.0) == h => {
                        (last.1, last.2) = (last.1 + 1, last.2 + u32::from(after));
                    }
                    _ => out.push((h.to_bits(), 1, u32::from(after))),
                }
            }
            out
        };
        let mut rng = crate::stats::test_rng::Rng(5);
        for n in [0, 1, 2, 50, 600] {
            let mut pick = |k: u32| rng.below(k);
            let hr_bpm: Vec<f32> = (0..n)
                .map(|_| match pick(12) {
                    0 => f32::NAN,
                    1 => -0.0,
                    2 => 0.0,
                    3 => 140.0 + f32::from(u16::try_from(pick(40)).unwrap()) / 4.0,
                    _ => 120.0 + f32::from(u16::try_from(pick(30)).unwrap()),
                })
                .collect();
            let elapsed_s: Vec<u32> = (0..n).map(|_| pick(1200)).collect();
            let clean = Clean { elapsed_s, hr_bpm, ..Clean::default() };
            let got: Vec<(u32, u32, u32)> = HrSeconds::of(&clean, 600)
                .by_hr
                .iter()
                .map(|a| (a.hr_bpm.to_bits(), a.seconds, a.after_warmup_s))
                .collect();
            assert_eq!(got, by_comparison(&clean, 600), "{n} readings");
        }
    }

    #[test]
    fn no_heart_rate_is_empty() {
        let clean = Clean { elapsed_s: vec![0, 1], hr_bpm: vec![f32::NAN; 2], ..Clean::default() };
        assert!(!HrSeconds::of(&clean, 600).has_hr());
    }
}
