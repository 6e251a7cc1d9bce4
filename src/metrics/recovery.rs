//! Heart-rate recovery across the history: the drop 60 s after each run's
//! hardest eligible effort (`features::recovery`), or the watch's own
//! recovery heart rate where the samples give too few readings, its recent
//! level against the weeks before. A recovery that falls clearly is a
//! fatigue cue. Levels are robust (`level`): one odd reading moves them by
//! less than the run-to-run noise.

use chrono::{Duration, NaiveDate};

use super::level::{self, BAND_SE, Pace};
use crate::features::Analyzed;

/// The recent stretch: the last six weeks of readings.
pub const RECENT_DAYS: i64 = 42;
/// Compared with the twelve weeks before it.
pub const BEFORE_DAYS: i64 = 84;
/// Fewer readings than this on either side make no comparison.
pub const MIN_READINGS: usize = 4;
/// A fall smaller than this (bpm) is not worth a finding, however sure.
pub const MIN_FALL_BPM: f64 = 3.0;

/// Where the readings came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The drop 60 s after a hard effort, read from the samples.
    Samples,
    /// The watch's `recovery_hr` events, as written.
    Watch,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Samples => "samples",
            Source::Watch => "watch",
        }
    }
}

/// A stretch of readings and their robust level.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stretch {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub readings: usize,
    /// Robust level of the readings (`level::level_of`; bpm).
    pub drop_bpm: f64,
    /// One standard error of it.
    pub se_bpm: f64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RecoveryTrend {
    pub source: Source,
    pub before: Stretch,
    pub recent: Stretch,
    /// Recent minus before (bpm): negative is a slower recovery.
    pub change_bpm: f64,
    /// Two standard errors of the change (about 95 %).
    pub uncertainty_bpm: f64,
}

impl RecoveryTrend {
    /// A fall beyond its uncertainty and big enough to matter: a fatigue cue.
    pub fn falling(&self) -> bool {
        -self.change_bpm > self.uncertainty_bpm && -self.change_bpm >= MIN_FALL_BPM
    }

    /// How sure the fall is: "high" beyond three standard errors, else "moderate".
    pub fn confidence(&self) -> &'static str {
        if -self.change_bpm > 1.5 * self.uncertainty_bpm { "high" } else { "moderate" }
    }
}

/// Each run's readings: from the samples, and from the watch.
fn readings(items: &[Analyzed]) -> (Vec<Pace>, Vec<Pace>) {
    let runs = items.iter().filter(|a| a.counts_as_run);
    let mut samples: Vec<Pace> = runs.clone().filter_map(|a| Some((a.local_day(), a.recovery?.drop_60s_bpm))).collect();
    let mut watch: Vec<Pace> = runs.filter_map(|a| Some((a.local_day(), a.activity.meta.recovery_hr_bpm?))).collect();
    for v in [&mut samples, &mut watch] {
        v.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    }
    (samples, watch)
}

/// The recent level against the one before, from the samples' readings,
/// else the watch's; `None` without enough of either.
pub fn trend(items: &[Analyzed]) -> Option<RecoveryTrend> {
    let (samples, watch) = readings(items);
    compare(&samples, Source::Samples).or_else(|| compare(&watch, Source::Watch))
}

/// The last `RECENT_DAYS` of `sorted` readings against the `BEFORE_DAYS` before.
pub fn compare(sorted: &[Pace], source: Source) -> Option<RecoveryTrend> {
    let last = sorted.last()?.0;
    let recent_from = last - Duration::days(RECENT_DAYS - 1);
    let before_from = recent_from - Duration::days(BEFORE_DAYS);
    let recent: Vec<Pace> = sorted.iter().filter(|p| p.0 >= recent_from).copied().collect();
    let before: Vec<Pace> = sorted.iter().filter(|p| (before_from..recent_from).contains(&p.0)).copied().collect();
    if recent.len() < MIN_READINGS || before.len() < MIN_READINGS {
        return None;
    }
    let sd = level::noise_sd(sorted)?;
    let stretch = |v: &[Pace]| -> Option<Stretch> {
        let values: Vec<f64> = v.iter().map(|p| p.1).collect();
        // The level's fields say s/km; here they hold bpm.
        let l = level::level_of(&values, sd)?;
        Some(Stretch {
            from: v.first()?.0,
            to: v.last()?.0,
            readings: l.runs,
            drop_bpm: l.pace_s_per_km,
            se_bpm: l.se_s_per_km,
        })
    };
    let (before, recent) = (stretch(&before)?, stretch(&recent)?);
    Some(RecoveryTrend {
        source,
        change_bpm: recent.drop_bpm - before.drop_bpm,
        uncertainty_bpm: BAND_SE * recent.se_bpm.hypot(before.se_bpm),
        before,
        recent,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn readings(days: i64, value: impl Fn(i64) -> f64) -> Vec<Pace> {
        let d0 = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
        (0..days).step_by(4).map(|d| (d0 + Duration::days(d), value(d))).collect()
    }

    #[test]
    fn a_clear_fall_is_a_cue_and_a_steady_recovery_is_not() {
        let wobble = |d: i64| if d % 8 == 0 { 2.0 } else { -2.0 };
        let falling = compare(&readings(126, |d| if d < 84 { 50.0 } else { 40.0 } + wobble(d)), Source::Samples);
        let t = falling.unwrap();
        assert!((t.change_bpm + 10.0).abs() < 1.5, "{t:?}");
        assert!(t.falling());
        assert_eq!(t.confidence(), "high");
        let steady = compare(&readings(126, |d| 50.0 + wobble(d)), Source::Samples).unwrap();
        assert!(!steady.falling(), "{steady:?}");
        assert_eq!(compare(&readings(20, |_| 50.0), Source::Samples), None, "too few readings");
    }
}
