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
    /// How an estimate was made, for the report ("0.96 x best 20-min HR").
    pub how: &'static str,
    /// How far off the value may be (about one standard error), whole bpm;
    /// 0 for values the user or the watch gave.
    pub uncertainty_bpm: f64,
    /// Why it is that uncertain, for the report.
    pub uncertainty_why: &'static str,
}

impl Threshold {
    pub fn given(bpm: f64, source: Source, how: &'static str) -> Threshold {
        Threshold { bpm, source, how, uncertainty_bpm: 0.0, uncertainty_why: "taken as given" }
    }

    pub fn estimate(bpm: f64, how: &'static str, uncertainty_bpm: f64, uncertainty_why: &'static str) -> Threshold {
        Threshold {
            bpm: bpm.round(),
            source: Source::Estimate,
            how,
            uncertainty_bpm: uncertainty_bpm.round(),
            uncertainty_why,
        }
    }
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

/// One run's best efforts (sensor artifacts left out, see
/// `features::hr_artifacts`).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Effort {
    pub best_30s_hr_bpm: f64,
    pub best_20min_hr_bpm: Option<f64>,
}

/// What the history says: every run's best efforts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    pub efforts: Vec<Effort>,
}

/// A 20-minute effort below this share of max HR is not a hard effort: LTHR
/// then comes from max HR instead.
const HARD_EFFORT_SHARE: f64 = 0.85;
/// A single run's best 30 s this far above every other run's, without a
/// hard 20 minutes around it, is a sensor reading no other run confirms.
const LONE_PEAK_BPM: f64 = 8.0;
/// Races are run at 1.00-1.08 x LTHR depending on their length (about 1.04
/// for the 30-40 minute races most runners run): LTHR = best 20 min / 1.04.
const LTHR_PER_BEST_20MIN: f64 = 0.96;
/// LT1 sits at 0.78-0.92 x LTHR from one runner to the next; the middle of
/// that range, and its spread in bpm for an LTHR near 170.
const LT1_PER_LTHR: f64 = 0.85;
const LT1_RATIO_SPREAD_BPM: f64 = 7.0;

/// The estimated maximum: the highest best 30 s that is not a lone peak.
fn max_hr_estimate(h: &History) -> Option<Threshold> {
    let mut by_peak: Vec<&Effort> = h.efforts.iter().filter(|e| e.best_30s_hr_bpm.is_finite()).collect();
    by_peak.sort_by(|a, b| b.best_30s_hr_bpm.total_cmp(&a.best_30s_hr_bpm));
    let top = by_peak.first()?;
    let hard = |e: &Effort| e.best_20min_hr_bpm.is_some_and(|b| b >= HARD_EFFORT_SHARE * e.best_30s_hr_bpm);
    let lone = by_peak.get(1).is_some_and(|next| top.best_30s_hr_bpm - next.best_30s_hr_bpm > LONE_PEAK_BPM);
    let (peak, how) = if lone && !hard(top) {
        (by_peak[1].best_30s_hr_bpm, "highest 30-second mean HR in your runs, leaving out one run's lone peak")
    } else {
        (top.best_30s_hr_bpm, "highest 30-second mean HR in your runs")
    };
    let max_20 = h.efforts.iter().filter_map(|e| e.best_20min_hr_bpm).reduce(f64::max);
    let any_hard = max_20.is_some_and(|b| b >= HARD_EFFORT_SHARE * peak);
    let close = by_peak.iter().filter(|e| e.best_30s_hr_bpm >= peak - 5.0 && e.best_30s_hr_bpm <= peak).count();
    Some(match (any_hard, close >= 2) {
        (true, true) => Threshold::estimate(
            peak,
            how,
            6.0,
            "several runs reach within 5 bpm of it, but a history's best 30 seconds sit some bpm under the true maximum unless a run was all out",
        ),
        (true, false) => Threshold::estimate(
            peak,
            how,
            7.0,
            "one hard effort reaches it; the true maximum is likely a few bpm higher",
        ),
        (false, _) => {
            Threshold::estimate(peak, how, 12.0, "no all-out effort in your runs: the true maximum is likely higher")
        }
    })
}

fn lthr_estimate(h: &History, max: &Threshold) -> Threshold {
    let best_20 = h.efforts.iter().filter_map(|e| e.best_20min_hr_bpm).reduce(f64::max);
    match best_20.filter(|&b| b >= HARD_EFFORT_SHARE * max.bpm) {
        Some(best) => Threshold::estimate(
            LTHR_PER_BEST_20MIN * best,
            "0.96 x best 20-minute mean HR",
            5.0,
            "races and hard tempo runs sit at 100-108 % of LTHR depending on their length",
        ),
        None => Threshold::estimate(
            0.90 * max.bpm,
            "0.90 x max HR (no hard 20-minute effort found)",
            (0.9 * max.uncertainty_bpm).hypot(8.0),
            "no hard 20-minute effort: LTHR sits at 85-95 % of max HR from one runner to the next",
        ),
    }
}

/// Resolve every threshold; `None` when there is no HR data and no flag.
pub fn resolve(flags: &Known, watch: &Known, history: &History) -> Option<Thresholds> {
    let pick = |flag: Option<f64>, watch: Option<f64>| {
        flag.map(|bpm| Threshold::given(bpm, Source::Flag, "given with a flag"))
            .or_else(|| watch.map(|bpm| Threshold::given(bpm, Source::Watch, "from the watch's files")))
    };
    let max_hr = pick(flags.max_hr_bpm, watch.max_hr_bpm).or_else(|| max_hr_estimate(history));
    let lthr = pick(flags.lthr_bpm, watch.lthr_bpm).or_else(|| Some(lthr_estimate(history, &max_hr?)))?;
    let lt1 = pick(flags.lt1_bpm, watch.lt1_bpm).unwrap_or_else(|| {
        Threshold::estimate(
            LT1_PER_LTHR * lthr.bpm,
            "0.85 x LTHR",
            (LT1_PER_LTHR * lthr.uncertainty_bpm).hypot(LT1_RATIO_SPREAD_BPM),
            "LT1 sits at 78-92 % of LTHR from one runner to the next",
        )
    });
    let max_hr = max_hr.unwrap_or_else(|| {
        Threshold::estimate(
            lthr.bpm / 0.90,
            "LTHR / 0.90",
            8.0,
            "max HR sits at 105-118 % of LTHR from one runner to the next",
        )
    });
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
    Threshold::estimate(bpm, how, 10.0, "set from another threshold by a ratio that varies between runners")
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
            let mut lthr =
                moved((t.lt1.bpm / LT1_PER_LTHR).round(), "LT1 / 0.85, replacing an LTHR that was not above LT1");
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
            t.lt1 = moved((LT1_PER_LTHR * t.lthr.bpm).round(), "0.85 x LTHR, replacing an LT1 that was not below LTHR");
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

    fn history(runs: &[(f64, Option<f64>)]) -> History {
        History {
            efforts: runs.iter().map(|&(b30, b20)| Effort { best_30s_hr_bpm: b30, best_20min_hr_bpm: b20 }).collect(),
        }
    }

    #[test]
    fn flags_beat_watch_beats_estimate() {
        let history = history(&[(186.4, Some(178.0))]);
        let t = resolve(&Known::default(), &Known::default(), &history).unwrap();
        assert_eq!((t.max_hr.bpm, t.max_hr.source), (186.0, Source::Estimate));
        assert_eq!(t.lthr.bpm, 171.0);
        assert_eq!(t.lt1.bpm, 145.0);
        let watch = Known { lthr_bpm: Some(172.0), ..Known::default() };
        let flags = Known { max_hr_bpm: Some(190.0), ..Known::default() };
        let t = resolve(&flags, &watch, &history).unwrap();
        assert_eq!((t.max_hr.bpm, t.max_hr.source), (190.0, Source::Flag));
        assert_eq!((t.lthr.bpm, t.lthr.source), (172.0, Source::Watch));
        assert_eq!((t.lt1.bpm, t.lt1.source), (146.0, Source::Estimate));
    }

    /// Found on real wrist-HR histories: one run's sensor artifact set max
    /// HR for the whole history, and LTHR and LT1 with it.
    #[test]
    fn one_runs_lone_peak_does_not_set_max_hr() {
        let runs = [(195.0, Some(150.0)), (183.0, Some(172.0)), (181.0, Some(170.0)), (160.0, Some(145.0))];
        let t = resolve(&Known::default(), &Known::default(), &history(&runs)).unwrap();
        assert_eq!(t.max_hr.bpm, 183.0, "{}", t.max_hr.how);
        assert!(t.max_hr.how.contains("lone peak"));
        assert_eq!(t.max_hr.uncertainty_bpm, 6.0, "two runs within 5 bpm, with hard efforts");
        // A lone peak inside a hard 20 minutes is a race: it stands.
        let race = [(190.0, Some(175.0)), (170.0, Some(150.0))];
        assert_eq!(resolve(&Known::default(), &Known::default(), &history(&race)).unwrap().max_hr.bpm, 190.0);
    }

    /// The brief: a history without all-out efforts gives thresholds that
    /// say how unsure they are, so verdicts built on them can say so.
    #[test]
    fn without_all_out_efforts_the_estimates_say_they_are_shaky() {
        let easy_only = [(165.0, Some(140.0)), (163.0, Some(138.0)), (160.0, Some(137.0))];
        let t = resolve(&Known::default(), &Known::default(), &history(&easy_only)).unwrap();
        assert!(t.max_hr.uncertainty_bpm >= 10.0 && t.max_hr.uncertainty_why.contains("likely higher"), "{t:?}");
        assert!(t.lthr.uncertainty_bpm >= 12.0, "{t:?}");
        assert!(t.lt1.uncertainty_bpm >= 12.0, "{t:?}");
        let raced = [(186.0, Some(177.0)), (184.0, Some(175.0)), (160.0, Some(140.0))];
        let t = resolve(&Known::default(), &Known::default(), &history(&raced)).unwrap();
        assert_eq!((t.max_hr.uncertainty_bpm, t.lthr.uncertainty_bpm, t.lt1.uncertainty_bpm), (6.0, 5.0, 8.0));
        let flags = Known { lt1_bpm: Some(150.0), ..Known::default() };
        assert_eq!(resolve(&flags, &Known::default(), &history(&raced)).unwrap().lt1.uncertainty_bpm, 0.0);
    }

    #[test]
    fn without_hard_efforts_lthr_comes_from_max_hr() {
        let history = history(&[(180.0, Some(140.0))]);
        let t = resolve(&Known::default(), &Known::default(), &history).unwrap();
        assert_eq!(t.lthr.bpm, 162.0);
        assert!(t.lthr.how.contains("no hard"));
        assert!(resolve(&Known::default(), &Known::default(), &History::default()).is_none());
    }

    #[test]
    fn lt1_flag_over_an_estimated_lthr_raises_the_estimate_not_empties_z2() {
        let history = history(&[(180.0, Some(163.0))]);
        let flags = Known { lt1_bpm: Some(160.0), ..Known::default() };
        let t = resolve(&flags, &Known::default(), &history).unwrap();
        assert_eq!((t.lt1.bpm, t.lt1.source), (160.0, Source::Flag));
        // 160 / 0.85: the same ratio LT1 is estimated with (it was 0.90 here
        // while estimates used 0.85, a merge leftover).
        assert_eq!((t.lthr.bpm, t.lthr.source), (188.0, Source::Estimate), "{}", t.lthr.how);
        assert!(t.lthr.how.contains("replacing an LTHR that was not above LT1"));
        assert!(t.lt1.bpm < t.lthr.bpm && t.lthr.bpm < t.max_hr.bpm, "{t:?}");
    }

    #[test]
    fn thresholds_stay_in_order_whatever_comes_from_where() {
        let history = history(&[(180.0, Some(176.0))]);
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
