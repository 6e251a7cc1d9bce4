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
    Some(keep_order(Thresholds { max_hr, lthr, lt1, resting_hr }))
}

/// What the user typed beats what the watch wrote, which beats an estimate.
fn trust(t: &Threshold) -> u8 {
    match t.source {
        Source::Flag => 2,
        Source::Watch => 1,
        Source::Estimate => 0,
    }
}

fn moved(bpm: f64, how: &'static str) -> Threshold {
    Threshold { bpm, source: Source::Estimate, how }
}

/// Zones need LT1 < LTHR < max HR. Values from different places can break
/// that (`--lt1 160` over an LTHR estimated at 155 would leave Z2 empty):
/// rather than stop after the whole export was read, the less trusted value
/// of a clashing pair is set again from the other with the usual ratios (on
/// a tie the lower one moves, as estimates derive downwards from max HR),
/// and its `how` says what it replaced.
fn keep_order(mut t: Thresholds) -> Thresholds {
    const MAX_FROM_LTHR: &str = "LTHR / 0.90, replacing a max HR that was not above LTHR";
    if t.lthr.bpm >= t.max_hr.bpm {
        if trust(&t.max_hr) < trust(&t.lthr) {
            t.max_hr = moved((t.lthr.bpm / 0.90).round(), MAX_FROM_LTHR);
        } else {
            t.lthr = moved((0.90 * t.max_hr.bpm).round(), "0.90 x max HR, replacing an LTHR that was not below max HR");
        }
    }
    if t.lt1.bpm >= t.lthr.bpm {
        if trust(&t.lthr) < trust(&t.lt1) {
            let mut lthr = moved((t.lt1.bpm / 0.90).round(), "LT1 / 0.90, replacing an LTHR that was not above LT1");
            if lthr.bpm >= t.max_hr.bpm {
                if trust(&t.max_hr) < trust(&t.lt1) {
                    t.max_hr = moved((lthr.bpm / 0.90).round(), MAX_FROM_LTHR);
                } else {
                    lthr = moved(
                        f64::midpoint(t.lt1.bpm, t.max_hr.bpm).floor(),
                        "midway between LT1 and max HR, replacing an LTHR that was not between them",
                    );
                }
            }
            t.lthr = lthr;
        } else {
            t.lt1 = moved((0.90 * t.lthr.bpm).round(), "0.90 x LTHR, replacing an LT1 that was not below LTHR");
        }
    }
    t
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
    fn lt1_flag_over_an_estimated_lthr_raises_the_estimate_not_empties_z2() {
        let history = History { best_30s_hr_bpm: Some(180.0), best_20min_hr_bpm: Some(163.0) };
        let flags = Known { lt1_bpm: Some(160.0), ..Known::default() };
        let t = resolve(&flags, &Known::default(), &history).unwrap();
        assert_eq!((t.lt1.bpm, t.lt1.source), (160.0, Source::Flag));
        assert_eq!((t.lthr.bpm, t.lthr.source), (178.0, Source::Estimate), "{}", t.lthr.how);
        assert!(t.lthr.how.contains("replacing an LTHR that was not above LT1"));
        assert!(t.lt1.bpm < t.lthr.bpm && t.lthr.bpm < t.max_hr.bpm, "{t:?}");
    }

    #[test]
    fn thresholds_stay_in_order_whatever_comes_from_where() {
        let history = History { best_30s_hr_bpm: Some(180.0), best_20min_hr_bpm: Some(176.0) };
        let cases = [
            // A max HR flag below the estimated LTHR lowers LTHR and LT1.
            (Known { max_hr_bpm: Some(165.0), ..Known::default() }, Known::default()),
            // The user's LTHR over the watch's max HR raises max HR.
            (
                Known { lthr_bpm: Some(178.0), ..Known::default() },
                Known { max_hr_bpm: Some(175.0), ..Known::default() },
            ),
            // LT1 and max HR given close together: LTHR fits between them.
            (Known { lt1_bpm: Some(170.0), max_hr_bpm: Some(180.0), ..Known::default() }, Known::default()),
            // The watch's LTHR above the user's max HR yields to the flag.
            (
                Known { max_hr_bpm: Some(170.0), ..Known::default() },
                Known { lthr_bpm: Some(172.0), ..Known::default() },
            ),
        ];
        for (flags, watch) in cases {
            let t = resolve(&flags, &watch, &history).unwrap();
            assert!(t.lt1.bpm < t.lthr.bpm && t.lthr.bpm < t.max_hr.bpm, "{flags:?} {watch:?}: {t:?}");
            for (flag, th) in [(flags.max_hr_bpm, t.max_hr), (flags.lthr_bpm, t.lthr), (flags.lt1_bpm, t.lt1)] {
                assert!(flag.is_none_or(|bpm| bpm == th.bpm), "a flag is never moved: {t:?}");
            }
        }
    }

    #[test]
    fn target_is_lt1_minus_10_rounded_to_5() {
        assert_eq!(default_target_hr(153.0), 145.0);
        assert_eq!(default_target_hr(151.0), 140.0);
    }
}
