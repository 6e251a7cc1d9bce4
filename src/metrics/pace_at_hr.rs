//! Pace at a fixed heart rate, per run: the steady windows found in the
//! parallel stage (`features::kernel`), grade-adjusted speed fitted against
//! HR robustly (Theil-Sen), read off at the target only where the run
//! actually spent time near it.

use crate::features::kernel::{Settings, Window};
use crate::stats;

/// Why a run has no pace at the target HR: said in `activities.csv`, so an
/// empty cell is never a mystery. Carries the configured windows, so the
/// note quotes what was asked, not the defaults.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NoValue {
    NoSteadyStretch { skip_start_s: u32 },
    TooLittleNearTarget { min_near_target_s: u32, near_bpm: f64 },
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

/// Grade-adjusted speed at `target_bpm`, or why the run cannot honestly say.
pub fn speed_at_hr(windows: &[Window], target_bpm: f64, s: &Settings) -> Result<f64, NoValue> {
    if windows.is_empty() {
        return Err(NoValue::NoSteadyStretch { skip_start_s: s.skip_start_s });
    }
    let near = windows.iter().filter(|w| (w.hr_bpm - target_bpm).abs() <= s.near_bpm).count();
    if u32::try_from(near).unwrap_or(u32::MAX).saturating_mul(s.window_s) < s.min_near_target_s {
        return Err(NoValue::TooLittleNearTarget { min_near_target_s: s.min_near_target_s, near_bpm: s.near_bpm });
    }
    let lo = windows.iter().map(|w| w.hr_bpm).fold(f64::INFINITY, f64::min);
    let hi = windows.iter().map(|w| w.hr_bpm).fold(f64::NEG_INFINITY, f64::max);
    if !(lo..=hi).contains(&target_bpm) {
        return Err(NoValue::TargetOutsideRange);
    }
    let points: Vec<(f64, f64)> = windows.iter().map(|w| (w.hr_bpm, w.gap_speed_m_s)).collect();
    // Windows less than a beat apart say nothing about the slope.
    let (slope, intercept) = stats::theil_sen(&points, 1.0).ok_or(NoValue::NoRelation)?;
    Some(intercept + slope * target_bpm).filter(|v| slope > 0.0 && *v > 0.0).ok_or(NoValue::NoRelation)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::kernel::{kernel, testing::run};

    #[test]
    fn notes_quote_the_configured_windows_not_the_defaults() {
        let s = Settings { skip_start_s: 300, min_near_target_s: 120, near_bpm: 3.0, ..Settings::default() };
        let none = speed_at_hr(&[], 145.0, &s).unwrap_err().describe();
        assert_eq!(none, "no steady stretch with heart rate after the first 5 minutes");
        let far = [Window { hr_bpm: 120.0, gap_speed_m_s: 3.0 }];
        let little = speed_at_hr(&far, 145.0, &s).unwrap_err().describe();
        assert_eq!(little, "less than 2 minutes of steady running near the target heart rate (within 3 bpm)");
        let odd = Settings { skip_start_s: 90, ..s };
        assert!(speed_at_hr(&[], 145.0, &odd).unwrap_err().describe().ends_with("after the first 90 s"));
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
            speed_at_hr(&k.windows, 145.0, &s),
            Err(NoValue::TooLittleNearTarget { min_near_target_s: s.min_near_target_s, near_bpm: s.near_bpm })
        );
        let at = speed_at_hr(&k.windows, 136.0, &s).unwrap();
        assert!((at - 2.7).abs() < 1e-3, "{at}");
        assert!(k.decoupling_pct.unwrap().abs() < 1.0);
    }

    #[test]
    fn target_outside_observed_range_gives_nothing() {
        let c = run(|t| 2.8 + 0.3 * (f64::from(t) / 300.0).sin(), 3600);
        let k = kernel(&c, &Settings::default());
        assert!(speed_at_hr(&k.windows, 160.0, &Settings::default()).is_err());
        let at = speed_at_hr(&k.windows, 140.0, &Settings::default()).unwrap();
        assert!((at - 85.0 / 30.0).abs() < 0.02, "{at}");
    }
}
