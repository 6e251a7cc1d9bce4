//! Pace at a fixed heart rate, per run: the steady windows found in the
//! parallel stage (`features::kernel`, after the heart rate settled) near
//! the target, each moved along the athlete's own speed-per-beat slope to
//! the target, their median read off, with an uncertainty from their spread
//! and from how far the target lies from the heart rates the run held.

use crate::features::kernel::{RunKernel, Settings, Window};
use crate::stats;

/// Why a run has no pace at the target HR: said in `activities.csv`, so an
/// empty cell is never a mystery. Carries the configured windows, so the
/// note quotes what was asked, not the defaults.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NoValue {
    /// `skip_start_s`: this run's warm-up cut (where its heart rate settled).
    NoSteadyStretch {
        skip_start_s: u32,
    },
    TooLittleNearTarget {
        min_near_target_s: u32,
        near_bpm: f64,
    },
    TargetOutsideRange,
    NoRelation,
}

impl NoValue {
    pub fn describe(self) -> String {
        match self {
            NoValue::NoSteadyStretch { skip_start_s: 0 } => "no steady stretch with heart rate".into(),
            NoValue::NoSteadyStretch { skip_start_s } => {
                format!("no steady stretch with heart rate after the first {}", span(skip_start_s))
            }
            NoValue::TooLittleNearTarget { min_near_target_s, near_bpm } => format!(
                "less than {} of steady running near the target heart rate (within {near_bpm} bpm)",
                span(min_near_target_s)
            ),
            NoValue::TargetOutsideRange => "the target heart rate is outside the range this run covered".into(),
            NoValue::NoRelation => "speed did not rise with heart rate in this run".into(),
        }
    }
}

/// "10 minutes", "1 minute", "90 s".
fn span(seconds: u32) -> String {
    match (seconds / 60, seconds % 60) {
        (1, 0) => "1 minute".into(),
        (m, 0) if m > 1 => format!("{m} minutes"),
        _ => format!("{seconds} s"),
    }
}

/// How far past the highest or lowest steady heart rate of a run the target
/// may lie: a couple of beats along a known slope is a small step; further
/// is a guess.
const EXTRAPOLATE_BPM: f64 = 2.0;
/// A run says something about the slope around the target when its steady
/// windows within `SLOPE_SPAN_BPM` of it spread over at least this much.
const MIN_SLOPE_SPREAD_BPM: f64 = 8.0;
const SLOPE_SPAN_BPM: f64 = 12.0;
/// A heart rate at a fixed effort varies from day to day by about this
/// much (sleep, hydration, caffeine): no single run can tell its pace at a
/// heart rate closer than this allows.
const DAY_TO_DAY_BPM: f64 = 2.0;
/// Grade-cost models differ between runners and surfaces by about this
/// share of the adjustment they make (Minetti's curve is one runner's lab
/// treadmill): hilly windows carry that doubt.
const GRADE_MODEL_DOUBT: f64 = 0.3;
/// Neighbouring windows of one run are not independent (the heart rate
/// carries over): about this many windows make one independent reading.
const WINDOWS_PER_READING: f64 = 2.0;

/// The athlete's speed per beat around the target, from the runs that
/// spread widely there: a steady easy run holds its heart rate within a few
/// beats, and a slope from so narrow a range is noise.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Slope {
    /// Grade-adjusted speed per beat, m/s per bpm (median over runs).
    pub m_s_per_bpm: f64,
    /// How much one day's slope differs from that (robust spread).
    pub sd_m_s_per_bpm: f64,
}

/// Pace at the target with how sure it is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    pub speed_m_s: f64,
    /// One standard error, seconds per km.
    pub uncertainty_s_per_km: f64,
}

impl Estimate {
    pub fn pace_s_per_km(self) -> f64 {
        1000.0 / self.speed_m_s
    }
}

/// Whether a run held the heart rate near the target long enough to read
/// its pace there, and the target lies within reach of what it covered.
pub fn holds(windows: &[Window], target_bpm: f64, s: &Settings) -> Result<(), NoValue> {
    HeldHrs::of(windows).holds(target_bpm, s)
}

/// A run's steady-window heart rates (bpm), sorted once so that many targets can
/// be asked of it (choosing the target asks every beat of every run: on
/// 10,000 runs a scan per question took most of a second).
#[derive(Debug, Clone)]
pub struct HeldHrs {
    sorted: Vec<f64>,
    lowest: f64,
    highest: f64,
}

impl HeldHrs {
    pub fn of(windows: &[Window]) -> HeldHrs {
        let mut sorted: Vec<f64> = windows.iter().map(|w| w.hr_bpm).filter(|v| v.is_finite()).collect();
        sorted.sort_by(f64::total_cmp);
        HeldHrs {
            sorted,
            lowest: windows.iter().map(|w| w.hr_bpm).fold(f64::INFINITY, f64::min),
            highest: windows.iter().map(|w| w.hr_bpm).fold(f64::NEG_INFINITY, f64::max),
        }
    }

    /// Windows within `near_bpm` of the target: exactly those with
    /// `|hr - target| <= near_bpm`, as the difference grows with `hr`.
    pub fn near(&self, target_bpm: f64, near_bpm: f64) -> usize {
        let from = self.sorted.partition_point(|h| h - target_bpm < -near_bpm);
        let to = self.sorted.partition_point(|h| h - target_bpm <= near_bpm);
        to.saturating_sub(from)
    }

    /// [`holds`] for these windows.
    pub fn holds(&self, target_bpm: f64, s: &Settings) -> Result<(), NoValue> {
        let near = self.near(target_bpm, s.near_bpm);
        if u32::try_from(near).unwrap_or(u32::MAX).saturating_mul(s.window_s) < s.min_near_target_s {
            return Err(NoValue::TooLittleNearTarget { min_near_target_s: s.min_near_target_s, near_bpm: s.near_bpm });
        }
        if !(self.lowest - EXTRAPOLATE_BPM..=self.highest + EXTRAPOLATE_BPM).contains(&target_bpm) {
            return Err(NoValue::TargetOutsideRange);
        }
        Ok(())
    }
}

/// The speed-per-beat slope around `target_bpm` over the runs given (their
/// steady windows); `None` when no run spreads enough there.
pub fn history_slope<'a>(runs: impl Iterator<Item = &'a [Window]>, target_bpm: f64) -> Option<Slope> {
    let mut slopes: Vec<f64> = runs.filter_map(|w| local_slope(w, target_bpm)).filter(|b| *b > 0.0).collect();
    let centre = stats::median(&mut slopes)?;
    let sd = stats::robust_sd(&slopes, centre)?;
    Some(Slope { m_s_per_bpm: centre, sd_m_s_per_bpm: sd })
}

/// Theil-Sen slope of the windows within `SLOPE_SPAN_BPM` of the target,
/// when they spread enough to tell.
fn local_slope(windows: &[Window], target_bpm: f64) -> Option<f64> {
    let points: Vec<(f64, f64)> = windows
        .iter()
        .filter(|w| (w.hr_bpm - target_bpm).abs() <= SLOPE_SPAN_BPM)
        .map(|w| (w.hr_bpm, w.gap_speed_m_s))
        .collect();
    let lo = points.iter().map(|p| p.0).fold(f64::INFINITY, f64::min);
    let hi = points.iter().map(|p| p.0).fold(f64::NEG_INFINITY, f64::max);
    if hi - lo < MIN_SLOPE_SPREAD_BPM {
        return None;
    }
    // Windows less than a beat apart say nothing about the slope.
    stats::theil_sen_slope(&points, 1.0)
}

/// Grade-adjusted speed at `target_bpm`, or why the run cannot honestly
/// say. `slope` is the athlete's (from [`history_slope`]); without one the
/// run's own windows give it, as a fit over all of them.
pub fn speed_at_hr(run: &RunKernel, target_bpm: f64, s: &Settings, slope: Option<Slope>) -> Result<Estimate, NoValue> {
    let windows = &run.windows;
    if windows.is_empty() {
        return Err(NoValue::NoSteadyStretch { skip_start_s: run.settled_s });
    }
    holds(windows, target_bpm, s)?;
    let slope = match slope {
        Some(slope) => slope,
        None => own_slope(windows).ok_or(NoValue::NoRelation)?,
    };
    let b = slope.m_s_per_bpm;
    // Each near window, moved along the slope to the target.
    let near: Vec<&Window> = windows.iter().filter(|w| (w.hr_bpm - target_bpm).abs() <= s.near_bpm).collect();
    let mut at_target: Vec<f64> = near.iter().map(|w| w.gap_speed_m_s + b * (target_bpm - w.hr_bpm)).collect();
    let speed = stats::median(&mut at_target).filter(|v| *v > 0.0 && b > 0.0).ok_or(NoValue::NoRelation)?;
    let mut hrs: Vec<f64> = near.iter().map(|w| w.hr_bpm).collect();
    let reach_bpm = (target_bpm - stats::median(&mut hrs).unwrap_or(target_bpm)).abs();
    let spread_m_s = stats::robust_sd(&at_target, speed).unwrap_or(0.0);
    let readings = (at_target.len() as f64 / WINDOWS_PER_READING).max(1.0);
    // The spread of the readings, the slope's own doubt over the beats the
    // readings were moved, the day's form and the grade model.
    let mut adjustments: Vec<f64> = near.iter().map(|w| w.grade_adjustment).collect();
    let grade_doubt = GRADE_MODEL_DOUBT * stats::median(&mut adjustments).unwrap_or(0.0) * speed;
    let standard_error_m_s = (spread_m_s.powi(2) / readings
        + (slope.sd_m_s_per_bpm * reach_bpm).powi(2)
        + (b * DAY_TO_DAY_BPM).powi(2)
        + grade_doubt.powi(2))
    .sqrt();
    Ok(Estimate { speed_m_s: speed, uncertainty_s_per_km: 1000.0 * standard_error_m_s / speed.powi(2) })
}

/// A run is as unsure as this many times the history's median uncertainty
/// before its value is called low-confidence: each athlete's terrain,
/// sensor and curve set their own usual doubt, and the flag marks the runs
/// that stand out from it (grade-adjusted trail runs, a run drifting in
/// the heat, windows scattered by a restless pace).
const SHAKY_TIMES_MEDIAN: f64 = 2.0;

/// The uncertainty above which a run's value is low-confidence, from the
/// uncertainties of every run with a value; `None` without any.
pub fn shaky_above_s_per_km(uncertainties: impl Iterator<Item = f64>) -> Option<f64> {
    let mut all: Vec<f64> = uncertainties.collect();
    stats::median(&mut all).map(|m| SHAKY_TIMES_MEDIAN * m)
}

/// The slope of a fit over all the run's steady windows (a run seen alone):
/// its spread is unknown, so it carries a quarter of itself as doubt.
fn own_slope(windows: &[Window]) -> Option<Slope> {
    let points: Vec<(f64, f64)> = windows.iter().map(|w| (w.hr_bpm, w.gap_speed_m_s)).collect();
    let b = stats::theil_sen_slope(&points, 1.0).filter(|b| *b > 0.0)?;
    Some(Slope { m_s_per_bpm: b, sd_m_s_per_bpm: 0.25 * b })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::kernel::{kernel, testing::run};

    fn windows(pairs: &[(f64, f64)]) -> RunKernel {
        let windows = pairs
            .iter()
            .zip(0u32..)
            .map(|(&(hr_bpm, gap_speed_m_s), i)| Window {
                start_s: 600 + 60 * i,
                hr_bpm,
                gap_speed_m_s,
                grade_adjustment: 0.0,
            })
            .collect();
        RunKernel { windows, settled_s: 600, ..RunKernel::default() }
    }

    #[test]
    fn notes_quote_the_configured_windows_and_the_runs_own_cut() {
        let s = Settings { min_near_target_s: 120, near_bpm: 3.0, ..Settings::default() };
        let settled = RunKernel { settled_s: 300, ..RunKernel::default() };
        let none = speed_at_hr(&settled, 145.0, &s, None).unwrap_err().describe();
        assert_eq!(none, "no steady stretch with heart rate after the first 5 minutes");
        let little = speed_at_hr(&windows(&[(120.0, 3.0)]), 145.0, &s, None).unwrap_err().describe();
        assert_eq!(little, "less than 2 minutes of steady running near the target heart rate (within 3 bpm)");
        let odd = RunKernel { settled_s: 90, ..RunKernel::default() };
        assert!(speed_at_hr(&odd, 145.0, &s, None).unwrap_err().describe().ends_with("after the first 90 s"));
    }

    #[test]
    fn reads_speed_at_target_from_steady_windows() {
        // Speed steps between 2.7 and 3.3 m/s every 4 minutes: HR 136..154.
        let c = run(|t| if (t / 240) % 2 == 0 { 2.7 } else { 3.3 }, 3600);
        let s = Settings::default();
        let k = kernel(&c, &s);
        assert!(k.windows.len() > 30);
        // Target 145 lies between the two levels but no window is near it.
        assert_eq!(
            speed_at_hr(&k, 145.0, &s, None),
            Err(NoValue::TooLittleNearTarget { min_near_target_s: s.min_near_target_s, near_bpm: s.near_bpm })
        );
        let at = speed_at_hr(&k, 136.0, &s, None).unwrap();
        assert!((at.speed_m_s - 2.7).abs() < 1e-3, "{at:?}");
        assert!(k.decoupling_pct.unwrap().abs() < 1.0);
    }

    #[test]
    fn target_outside_observed_range_gives_nothing() {
        let c = run(|t| 2.8 + 0.3 * (f64::from(t) / 300.0).sin(), 3600);
        let k = kernel(&c, &Settings::default());
        assert!(speed_at_hr(&k, 160.0, &Settings::default(), None).is_err());
        let at = speed_at_hr(&k, 140.0, &Settings::default(), None).unwrap();
        assert!((at.speed_m_s - 85.0 / 30.0).abs() < 0.02, "{at:?}");
    }

    /// A steady easy run holds 140-143 bpm: its own slope is noise (here it
    /// even points down), so the athlete's slope carries it to 144.
    #[test]
    fn a_run_holding_a_narrow_range_borrows_the_athletes_slope() {
        let k = windows(&[(140.0, 3.02), (141.0, 3.00), (142.0, 2.99), (143.0, 2.97), (141.5, 3.00), (142.5, 2.98)]);
        let s = Settings::default();
        assert_eq!(speed_at_hr(&k, 144.0, &s, None), Err(NoValue::NoRelation));
        let slope = Slope { m_s_per_bpm: 0.03, sd_m_s_per_bpm: 0.006 };
        let at = speed_at_hr(&k, 144.0, &s, Some(slope)).unwrap();
        // Median of (v + 0.03 (144 - hr)): 3.0625 m/s.
        assert!((at.speed_m_s - 3.0625).abs() < 1e-9, "{at:?}");
        // Readings spread by 0.05 m/s, 2.25 beats up a slope known within
        // 0.006 m/s per beat (3 s/km together), and a day's form of 2 beats
        // along the slope (6.4 s/km): about 7 s/km.
        assert!((6.0..8.5).contains(&at.uncertainty_s_per_km), "{at:?}");
        // Two beats past the highest window is the limit.
        assert_eq!(speed_at_hr(&k, 145.5, &s, Some(slope)), Err(NoValue::TargetOutsideRange));
    }

    #[test]
    fn scattered_windows_are_less_certain_than_tight_ones() {
        let s = Settings::default();
        let slope = Some(Slope { m_s_per_bpm: 0.03, sd_m_s_per_bpm: 0.005 });
        let tight: Vec<(f64, f64)> = (0..10).map(|i| (142.0 + f64::from(i % 2), 3.0)).collect();
        let loose: Vec<(f64, f64)> = (0..10).map(|i| (142.0 + f64::from(i % 2), 2.8 + 0.04 * f64::from(i))).collect();
        let (a, b) = (
            speed_at_hr(&windows(&tight), 142.5, &s, slope).unwrap(),
            speed_at_hr(&windows(&loose), 142.5, &s, slope).unwrap(),
        );
        // The day's form (6.7 s/km here) is in both; the scatter adds to it.
        assert!(b.uncertainty_s_per_km > a.uncertainty_s_per_km + 2.0, "{a:?} {b:?}");
    }

    #[test]
    fn a_run_twice_as_unsure_as_usual_is_shaky() {
        assert_eq!(shaky_above_s_per_km([2.0, 3.0, 4.0, 10.0, 2.5].into_iter()), Some(6.0));
        assert_eq!(shaky_above_s_per_km(std::iter::empty()), None);
    }

    #[test]
    fn the_athletes_slope_comes_from_runs_that_spread_around_the_target() {
        // Two runs over 130-150 bpm at 0.03 and 0.04 m/s per beat, one
        // narrow run whose slope would say anything.
        let wide = |b: f64| (0..20).map(|i| (130.0 + f64::from(i), 3.0 + b * f64::from(i))).collect::<Vec<_>>();
        let (a, c) = (windows(&wide(0.03)), windows(&wide(0.04)));
        let narrow = windows(&[(140.0, 3.0), (141.0, 2.0), (142.0, 4.0)]);
        let runs = [a.windows.as_slice(), narrow.windows.as_slice(), c.windows.as_slice()];
        let slope = history_slope(runs.into_iter(), 140.0).unwrap();
        assert!((slope.m_s_per_bpm - 0.035).abs() < 1e-9, "{slope:?}");
        assert!(history_slope([narrow.windows.as_slice()].into_iter(), 140.0).is_none());
    }
}
