//! Heart-rate thresholds with provenance, in DESIGN.md's order of
//! precedence: the user's flags, then what the watch wrote into the files,
//! then estimates from the athlete's own history.

use std::fmt;

/// Where a threshold came from; reported beside every value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Flag,
    Watch,
    Estimate,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Flag => "flag",
            Source::Watch => "watch",
            Source::Estimate => "estimate",
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Threshold {
    pub bpm: f64,
    pub source: Source,
    /// How an estimate was made, for the report ("0.95 x best 20-min HR").
    pub how: &'static str,
}

/// The thresholds a run uses: zones are Z1 < LT1 <= Z2 < LTHR <= Z3.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    pub max_hr: Threshold,
    pub lthr: Threshold,
    pub lt1: Threshold,
    pub resting_hr: Option<Threshold>,
}

/// Values supplied from outside the data: flags, then the watch's.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Known {
    pub max_hr_bpm: Option<f64>,
    pub lthr_bpm: Option<f64>,
    pub lt1_bpm: Option<f64>,
    pub resting_hr_bpm: Option<f64>,
}

/// What the history says: the best efforts found in the runs.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct History {
    /// Highest 30-second mean HR of any run (after artifact removal).
    pub best_30s_hr_bpm: Option<f64>,
    /// Highest 20-minute mean HR of any run.
    pub best_20min_hr_bpm: Option<f64>,
}

/// A 20-minute effort below this share of max HR is not a hard effort: LTHR
/// then comes from max HR instead.
const HARD_EFFORT_SHARE: f64 = 0.85;

/// Resolve every threshold; `None` when there is no HR data and no flag.
pub fn resolve(flags: &Known, watch: &Known, history: &History) -> Option<Thresholds> {
    let pick = |flag: Option<f64>, watch: Option<f64>| {
        flag.map(|bpm| Threshold { bpm, source: Source::Flag, how: "given with a flag" })
            .or_else(|| watch.map(|bpm| Threshold { bpm, source: Source::Watch, how: "from the watch's files" }))
    };
    let max_hr = pick(flags.max_hr_bpm, watch.max_hr_bpm).or_else(|| {
        history.best_30s_hr_bpm.map(|bpm| Threshold {
            bpm: bpm.round(),
            source: Source::Estimate,
            how: "highest 30-second mean HR in your runs",
        })
    });
    let lthr = pick(flags.lthr_bpm, watch.lthr_bpm).or_else(|| {
        let max = max_hr?.bpm;
        Some(match history.best_20min_hr_bpm.filter(|&b| b >= HARD_EFFORT_SHARE * max) {
            Some(best) => {
                Threshold { bpm: (0.95 * best).round(), source: Source::Estimate, how: "0.95 x best 20-minute mean HR" }
            }
            None => Threshold {
                bpm: (0.90 * max).round(),
                source: Source::Estimate,
                how: "0.90 x max HR (no hard 20-minute effort found)",
            },
        })
    })?;
    let lt1 = pick(flags.lt1_bpm, watch.lt1_bpm).unwrap_or(Threshold {
        bpm: (0.90 * lthr.bpm).round(),
        source: Source::Estimate,
        how: "0.90 x LTHR",
    });
    let max_hr =
        max_hr.unwrap_or(Threshold { bpm: (lthr.bpm / 0.90).round(), source: Source::Estimate, how: "LTHR / 0.90" });
    let resting_hr = pick(flags.resting_hr_bpm, watch.resting_hr_bpm);
    Some(Thresholds { max_hr, lthr, lt1, resting_hr })
}

/// The default target HR for pace at a fixed HR: LT1 - 10, rounded to 5:
/// easy enough to appear in most easy runs.
pub fn default_target_hr(lt1_bpm: f64) -> f64 {
    ((lt1_bpm - 10.0) / 5.0).round() * 5.0
}

#[cfg(test)]
#[allow(clippy::float_cmp)] // whole-bpm values, rounded
mod tests {
    use super::*;

    #[test]
    fn flags_beat_watch_beats_estimate() {
        let history = History { best_30s_hr_bpm: Some(186.4), best_20min_hr_bpm: Some(178.0) };
        let t = resolve(&Known::default(), &Known::default(), &history).unwrap();
        assert_eq!((t.max_hr.bpm, t.max_hr.source), (186.0, Source::Estimate));
        assert_eq!(t.lthr.bpm, 169.0);
        assert_eq!(t.lt1.bpm, 152.0);
        let watch = Known { lthr_bpm: Some(172.0), ..Known::default() };
        let flags = Known { max_hr_bpm: Some(190.0), ..Known::default() };
        let t = resolve(&flags, &watch, &history).unwrap();
        assert_eq!((t.max_hr.bpm, t.max_hr.source), (190.0, Source::Flag));
        assert_eq!((t.lthr.bpm, t.lthr.source), (172.0, Source::Watch));
        assert_eq!((t.lt1.bpm, t.lt1.source), (155.0, Source::Estimate));
    }

    #[test]
    fn without_hard_efforts_lthr_comes_from_max_hr() {
        let history = History { best_30s_hr_bpm: Some(180.0), best_20min_hr_bpm: Some(140.0) };
        let t = resolve(&Known::default(), &Known::default(), &history).unwrap();
        assert_eq!(t.lthr.bpm, 162.0);
        assert!(t.lthr.how.contains("no hard"));
        assert!(resolve(&Known::default(), &Known::default(), &History::default()).is_none());
    }

    #[test]
    fn target_is_lt1_minus_10_rounded_to_5() {
        assert_eq!(default_target_hr(153.0), 145.0);
        assert_eq!(default_target_hr(151.0), 140.0);
    }
}
