//! Training load per run: Banister's heart-rate TRIMP summed over the run's
//! clean seconds, scaled so that one hour at LTHR scores 100 (as
//! `GoldenCheetah`'s TRIMP(100) and Elevate's HRSS); runs without heart rate
//! get a pace-based load from grade-adjusted speed against threshold speed,
//! on the same scale, and say so. Resting HR comes from the flag, the
//! config or the watch, else a stated estimate.

use crate::features::Analyzed;
use crate::features::load::{LoadInputs, SPEED_BIN_M_S};
use crate::metrics::thresholds::{Threshold, Thresholds};
use crate::stats::theil_sen;

/// Banister's weighting constant: 1.92 (men, the usual default) or 1.67.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sex {
    #[default]
    Unknown,
    Male,
    Female,
}

impl Sex {
    pub fn parse(s: &str) -> Option<Sex> {
        match s.to_ascii_lowercase().as_str() {
            "female" | "f" | "woman" => Some(Sex::Female),
            "male" | "m" | "man" => Some(Sex::Male),
            _ => None,
        }
    }

    pub fn k(self) -> f64 {
        match self {
            Sex::Female => 1.67,
            Sex::Male | Sex::Unknown => 1.92,
        }
    }
}

/// Where a run's load came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoadSource {
    /// Heart-rate TRIMP.
    Hr,
    /// Grade-adjusted pace against threshold pace (no usable heart rate).
    Pace,
}

impl LoadSource {
    pub fn as_str(self) -> &'static str {
        match self {
            LoadSource::Hr => "hr",
            LoadSource::Pace => "pace",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunLoad {
    pub load: f64,
    pub source: LoadSource,
}

/// Threshold speed for pace-based loads, and how it was found.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ThresholdSpeed {
    pub m_s: f64,
    pub how: &'static str,
}

/// What every run's load is computed with, reported in summary.json.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Model {
    /// `None` without heart-rate thresholds: only pace-based loads then.
    pub hr: Option<HrModel>,
    pub threshold_speed: Option<ThresholdSpeed>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HrModel {
    pub resting: Threshold,
    pub max_hr_bpm: f64,
    pub lthr_bpm: f64,
    pub k: f64,
}

/// A typical adult resting heart rate, for when none is known: TRIMP moves
/// little with it (LTHR anchors the scale), but it is said.
pub const RESTING_HR_ESTIMATE_BPM: f64 = 60.0;
/// A run whose heart rate covers less of its moving time than this is
/// loaded by pace instead (a strap that dropped out).
const MIN_HR_COVERAGE: f64 = 0.8;
const MIN_SECONDS: u32 = 60;
/// Threshold speed from steady windows needs this many and this HR spread.
const MIN_WINDOWS: usize = 20;
const MIN_WINDOW_SPREAD_BPM: f64 = 10.0;
const MAX_FIT_POINTS: usize = 400;

/// Resting HR as given (flag, config, the watch's user profile), else the
/// stated estimate.
pub fn resting_hr(t: &Thresholds) -> Threshold {
    t.resting_hr.unwrap_or(Threshold::estimate(
        RESTING_HR_ESTIMATE_BPM.min(t.lt1.bpm - 20.0),
        "a typical adult resting HR (not measured): set resting_hr in runlens.toml or --resting-hr",
        10.0,
        "runners' resting heart rates span about 40 to 70 bpm",
    ))
}

/// Banister's weight of one minute at `hr_bpm` (the 0.64 factor cancels in
/// the scaling to LTHR = 100, so it is left out).
pub fn trimp_weight(hr_bpm: f64, m: &HrModel) -> f64 {
    let x = ((hr_bpm - m.resting.bpm) / (m.max_hr_bpm - m.resting.bpm)).max(0.0);
    x * (m.k * x).exp()
}

/// TRIMP of the run's seconds, 100 = one hour at LTHR; seconds without
/// heart rate count at the run's own mean weight. `None` when heart rate
/// covers too little of the run.
pub fn hr_load(l: &LoadInputs, m: &HrModel, weights: &[f64]) -> Option<f64> {
    let hr_s = l.hr_s();
    if hr_s < MIN_SECONDS || f64::from(hr_s) < MIN_HR_COVERAGE * f64::from(l.moving_s) {
        return None;
    }
    let first = usize::from(l.hr_first_bpm.saturating_sub(crate::features::load::HR_FLOOR_BPM));
    let sum: f64 = l
        .hr_seconds
        .iter()
        .enumerate()
        .map(|(i, &s)| {
            f64::from(s) * weights.get(first + i).copied().unwrap_or_else(|| *weights.last().unwrap_or(&0.0))
        })
        .sum();
    let scaled = sum * f64::from(l.moving_s.max(hr_s)) / f64::from(hr_s);
    Some(100.0 * scaled / (3600.0 * trimp_weight(m.lthr_bpm, m)))
}

/// The weight of every whole bpm from the histogram floor to 250.
pub fn weight_table(m: &HrModel) -> Vec<f64> {
    (crate::features::load::HR_FLOOR_BPM..=250).map(|b| trimp_weight(f64::from(b), m)).collect()
}

/// A run's load from its grade-adjusted speed, 100 = one hour at threshold
/// speed. With a heart-rate model each second counts as the TRIMP of the
/// heart rate that speed would take if heart rate rose in a straight line
/// from resting at a standstill to LTHR at threshold speed (close to true
/// in the aerobic range), so pace and heart-rate loads agree on easy days
/// too; without one, intensity squared (as running TSS). `None` without
/// enough seconds of speed.
pub fn pace_load(l: &LoadInputs, threshold_m_s: f64, hr: Option<&HrModel>) -> Option<f64> {
    if l.gap_s < MIN_SECONDS || f64::from(l.gap_s) < 0.5 * f64::from(l.moving_s) || threshold_m_s <= 0.0 {
        return None;
    }
    let sum = match hr {
        Some(m) => {
            let at = |v: f64| trimp_weight(m.resting.bpm + (m.lthr_bpm - m.resting.bpm) * v / threshold_m_s, m);
            let seconds = l.gap_speed_seconds.iter().enumerate();
            seconds.map(|(i, &s)| f64::from(s) * at(i as f64 * SPEED_BIN_M_S)).sum::<f64>() / at(threshold_m_s)
        }
        None => l.gap_speed_sq_sum / (threshold_m_s * threshold_m_s),
    };
    let scaled = sum * f64::from(l.moving_s.max(l.gap_s)) / f64::from(l.gap_s);
    Some(100.0 * scaled / 3600.0)
}

/// Grade-adjusted speed at LTHR from the steady windows of all runs (a
/// robust line of speed on heart rate), else 0.95 x the best 20-minute
/// grade-adjusted speed of any run.
pub fn threshold_speed(items: &[Analyzed], lthr_bpm: Option<f64>) -> Option<ThresholdSpeed> {
    let runs = || items.iter().filter(|a| a.counts_as_run);
    let from_windows = lthr_bpm.and_then(|lthr| {
        let total: usize = runs().map(|a| a.kernel.windows.len()).sum();
        if total < MIN_WINDOWS {
            return None;
        }
        // An even sample of the windows, taken without gathering them all:
        // years of runs hold hundreds of thousands.
        let stride = total.div_ceil(MAX_FIT_POINTS).max(1);
        let sample: Vec<(f64, f64)> =
            runs().flat_map(|a| a.kernel.windows.iter().map(|w| (w.hr_bpm, w.gap_speed_m_s))).step_by(stride).collect();
        // The 5th to 95th percentile of window heart rates: a line through
        // one heart rate says nothing about another.
        let mut hrs: Vec<f64> = sample.iter().map(|p| p.0).collect();
        hrs.sort_by(f64::total_cmp);
        let tail = hrs.len() / 20;
        if hrs[hrs.len() - 1 - tail] - hrs[tail] < MIN_WINDOW_SPREAD_BPM {
            return None;
        }
        let (slope, intercept) = theil_sen(&sample, 1.0)?;
        let m_s = intercept + slope * lthr;
        (slope > 0.0 && m_s.is_finite() && m_s > 0.0).then_some(ThresholdSpeed {
            m_s,
            how: "grade-adjusted speed at LTHR, from a robust line through your steady stretches",
        })
    });
    from_windows.or_else(|| {
        let best = runs().filter_map(|a| a.load.best_20min_gap_speed_m_s).reduce(f64::max)?;
        Some(ThresholdSpeed { m_s: 0.95 * best, how: "0.95 x your best 20-minute grade-adjusted speed" })
    })
}

/// The model for this history, from the thresholds and the runs.
pub fn model(items: &[Analyzed], t: Option<&Thresholds>, sex: Sex) -> Model {
    let hr = t.map(|t| HrModel { resting: resting_hr(t), max_hr_bpm: t.max_hr.bpm, lthr_bpm: t.lthr.bpm, k: sex.k() });
    Model { hr, threshold_speed: threshold_speed(items, t.map(|t| t.lthr.bpm)) }
}

/// Every activity's load: heart rate when it has enough, else pace for runs.
/// Other sports without heart rate have none (a threshold running pace
/// says nothing about a ride).
pub fn run_loads(items: &[Analyzed], m: &Model) -> Vec<Option<RunLoad>> {
    let weights = m.hr.as_ref().map(weight_table).unwrap_or_default();
    items
        .iter()
        .map(|a| {
            let hr = m.hr.as_ref().and_then(|h| hr_load(&a.load, h, &weights));
            let by_hr = hr.map(|load| RunLoad { load, source: LoadSource::Hr });
            by_hr.or_else(|| {
                let speed = m.threshold_speed.filter(|_| a.counts_as_run)?;
                pace_load(&a.load, speed.m_s, m.hr.as_ref()).map(|load| RunLoad { load, source: LoadSource::Pace })
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::thresholds::Source;

    fn model(resting: f64) -> HrModel {
        HrModel { resting: Threshold::given(resting, Source::Flag, ""), max_hr_bpm: 190.0, lthr_bpm: 170.0, k: 1.92 }
    }

    fn inputs(bins: &[(u16, u32)], moving_s: u32) -> LoadInputs {
        let first = bins[0].0;
        let mut hr_seconds = vec![0; usize::from(bins[bins.len() - 1].0 - first) + 1];
        for &(b, s) in bins {
            hr_seconds[usize::from(b - first)] = s;
        }
        LoadInputs { hr_first_bpm: first, hr_seconds, moving_s, ..LoadInputs::default() }
    }

    #[test]
    fn trimp_by_hand() {
        let m = model(50.0);
        // HRr at LTHR = 120/140 = 0.857143; weight = 0.857143 e^(1.92 x 0.857143) = 4.44404.
        assert!((trimp_weight(170.0, &m) - 4.444_04).abs() < 1e-5);
        // One hour at LTHR is 100 by construction.
        let w = weight_table(&m);
        assert!((hr_load(&inputs(&[(170, 3600)], 3600), &m, &w).unwrap() - 100.0).abs() < 1e-9);
        // 30 min at 120 bpm: HRr = 0.5, weight 0.5 e^0.96 = 1.30585;
        // 30 x 1.30585 / (60 x 4.44404) x 100 = 14.692.
        let easy = hr_load(&inputs(&[(120, 1800)], 1800), &m, &w).unwrap();
        assert!((easy - 14.692).abs() < 0.001, "{easy}");
        // Half of a run without heart rate counts at the run's own rate.
        assert!(hr_load(&inputs(&[(120, 1800)], 3600), &m, &w).is_none(), "50 % coverage is too little");
        let gaps = hr_load(&inputs(&[(120, 1800)], 2000), &m, &w).unwrap();
        assert!((gaps - easy * 2000.0 / 1800.0).abs() < 1e-9);
        // Women's constant weights high rates less steeply.
        let f = HrModel { k: Sex::Female.k(), ..m };
        let hard = |m: &HrModel| hr_load(&inputs(&[(185, 600)], 600), m, &weight_table(m)).unwrap();
        assert!(hard(&f) < hard(&m));
    }

    #[test]
    fn below_resting_weighs_nothing() {
        assert!(trimp_weight(45.0, &model(50.0)).abs() < 1e-12);
    }

    #[test]
    fn pace_load_by_hand() {
        let mut l = LoadInputs { moving_s: 3600, gap_s: 3600, gap_speed_sq_sum: 3600.0 * 9.0, ..LoadInputs::default() };
        l.gap_speed_seconds = vec![0; 31];
        l.gap_speed_seconds[30] = 3600;
        // Without a heart-rate model: intensity squared. An hour at
        // threshold speed: 100; at 3/4 of it: 56.25.
        assert!((pace_load(&l, 3.0, None).unwrap() - 100.0).abs() < 1e-9);
        assert!((pace_load(&l, 4.0, None).unwrap() - 56.25).abs() < 1e-9);
        // With one: an hour at threshold speed is an hour at LTHR (100);
        // at 3/4 of it, the TRIMP of 50 + 0.75 x 120 = 140 bpm:
        // HRr 90/140 = 0.642857, weight 0.642857 e^1.234286 = 2.20881, / 4.44404 = 49.703.
        let m = model(50.0);
        assert!((pace_load(&l, 3.0, Some(&m)).unwrap() - 100.0).abs() < 1e-9);
        let easy = pace_load(&l, 4.0, Some(&m)).unwrap();
        assert!((easy - 49.703).abs() < 1e-3, "{easy}");
        assert!(pace_load(&LoadInputs::default(), 3.0, None).is_none());
    }
}
