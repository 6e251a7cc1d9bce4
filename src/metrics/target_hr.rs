//! The heart rate pace is read at, chosen once for the whole history so
//! every run is compared at the same effort. By default it is the heart
//! rate the most runs held steadily long enough to read a pace there: a
//! rule of thumb from thresholds (LT1 - 10) sat below where many runners
//! run easy, and left two runs in three without a value.

use crate::features::kernel::{Settings, Window};
use crate::metrics::pace_at_hr::HeldHrs;
use crate::metrics::thresholds;

/// Where the target came from; said in summary.json and the report.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Source {
    /// `--target-hr` or `target_hr` in runlens.toml.
    Given,
    /// The heart rate `runs_holding` of the `runs` with heart rate held.
    History { runs_holding: usize, runs: usize },
    /// No run held any heart rate long enough: LT1 - 10, rounded to 5.
    Lt1,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Target {
    pub bpm: f64,
    pub source: Source,
}

impl Target {
    pub fn source_str(&self) -> &'static str {
        match self.source {
            Source::Given => "setting",
            Source::History { .. } => "history",
            Source::Lt1 => "lt1",
        }
    }

    /// How it was chosen, in the runner's words.
    pub fn how(&self) -> String {
        match self.source {
            Source::Given => "set by you (--target-hr or target_hr in runlens.toml)".into(),
            Source::History { runs_holding, runs } => {
                format!("the heart rate most of your steady runs hold ({runs_holding} of {runs} runs with heart rate)")
            }
            Source::Lt1 => {
                "LT1 - 10 bpm, rounded to 5 (no run held a steady heart rate long enough to choose from)".into()
            }
        }
    }
}

/// The target: the one given, else the heart rate the most of `runs`
/// (each run's steady windows) hold, else from LT1. `None` without any of
/// them (no heart rate anywhere).
pub fn choose(given: Option<f64>, runs: &[&[Window]], s: &Settings, lt1_bpm: Option<f64>) -> Option<Target> {
    if let Some(bpm) = given {
        return Some(Target { bpm, source: Source::Given });
    }
    if let Some((bpm, runs_holding)) = most_held(runs, s) {
        return Some(Target { bpm, source: Source::History { runs_holding, runs: runs.len() } });
    }
    lt1_bpm.map(|lt1| Target { bpm: thresholds::default_target_hr(lt1), source: Source::Lt1 })
}

/// The whole-beat heart rate the most runs hold (see `pace_at_hr::holds`),
/// with how many. Where several tie, the one they hold longest: warm-ups and
/// recoveries of workouts also pass through low heart rates, but the easy
/// runs sit at their own. `None` when no run holds any.
fn most_held(runs: &[&[Window]], s: &Settings) -> Option<(f64, usize)> {
    let hrs = runs.iter().flat_map(|w| w.iter().map(|w| w.hr_bpm)).filter(|v| v.is_finite());
    let (lo, hi) = hrs.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if lo > hi {
        return None;
    }
    let held: Vec<HeldHrs> = runs.iter().map(|w| HeldHrs::of(w)).collect();
    let mut best: Option<(f64, usize, usize)> = None;
    // Heart rates are 30-240 bpm: the casts are exact.
    #[allow(clippy::cast_possible_truncation)]
    for bpm in (lo.ceil() as i64..=hi.floor() as i64).map(|b| b as f64) {
        let (holding, near) = held
            .iter()
            .filter(|h| h.holds(bpm, s).is_ok())
            .fold((0, 0), |(n, m), h| (n + 1, m + h.near(bpm, s.near_bpm)));
        if holding > 0 && best.is_none_or(|(_, n, m)| (holding, near) > (n, m)) {
            best = Some((bpm, holding, near));
        }
    }
    best.map(|(bpm, n, _)| (bpm, n))
}

#[cfg(test)]
#[allow(clippy::float_cmp)] // whole-beat targets
mod tests {
    use super::*;

    /// `minutes` of steady windows around `hr_bpm` (two beats either way).
    fn held(hr_bpm: f64, minutes: u32) -> Vec<Window> {
        (0..minutes)
            .map(|i| Window {
                start_s: 300 + 60 * i,
                hr_bpm: hr_bpm + f64::from(i % 3) * 2.0 - 2.0,
                gap_speed_m_s: 3.0,
                grade_adjustment: 0.0,
            })
            .collect()
    }

    #[test]
    fn the_target_is_the_heart_rate_most_runs_hold() {
        // Five easy runs around 140-146, two tempo runs at 165, one short
        // run holding 138 for only three minutes.
        let runs = [
            held(140.0, 30),
            held(142.0, 40),
            held(143.0, 20),
            held(146.0, 30),
            held(144.0, 25),
            held(165.0, 20),
            held(166.0, 20),
            held(138.0, 3),
        ];
        let refs: Vec<&[Window]> = runs.iter().map(Vec::as_slice).collect();
        let t = choose(None, &refs, &Settings::default(), Some(150.0)).unwrap();
        // Each easy run holds from 4 beats below its level to 4 above
        // (within 2 of its range): 142, 143 and 144 are held by all five,
        // and the most minutes lie within 5 beats of 143.
        assert_eq!(t.bpm, 143.0);
        assert_eq!(t.source, Source::History { runs_holding: 5, runs: 8 });
        assert_eq!(t.how(), "the heart rate most of your steady runs hold (5 of 8 runs with heart rate)");
    }

    #[test]
    fn a_given_target_wins_and_lt1_is_the_last_resort() {
        let runs = [held(142.0, 30)];
        let refs: Vec<&[Window]> = runs.iter().map(Vec::as_slice).collect();
        let given = choose(Some(150.0), &refs, &Settings::default(), Some(150.0)).unwrap();
        assert_eq!((given.bpm, given.source_str()), (150.0, "setting"));
        // Runs too short to hold anything for five minutes: LT1 - 10.
        let short = [held(142.0, 3)];
        let refs: Vec<&[Window]> = short.iter().map(Vec::as_slice).collect();
        let fallback = choose(None, &refs, &Settings::default(), Some(153.0)).unwrap();
        assert_eq!((fallback.bpm, fallback.source), (145.0, Source::Lt1));
        assert_eq!(choose(None, &[], &Settings::default(), None), None);
    }
}
