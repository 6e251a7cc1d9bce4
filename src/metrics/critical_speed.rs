//! Critical speed and D' from the recent 3-20 minute bests: the line
//! distance = CS x time + D' through them (Monod and Scherrer's model, as
//! runners use it). CS is the fastest pace held for a long time; D' the
//! distance that can be run above it. Said with its fit, and not said when
//! the bests cannot carry a line.

use crate::stats::linear_fit;

/// Durations of the mean-maximal curve the fit reads (3 to 20 minutes).
pub const FIT_FROM_S: u32 = 180;
pub const FIT_TO_S: u32 = 1200;
/// A line needs this many durations, the longest this many times the shortest.
const MIN_POINTS: usize = 3;
const MIN_SPAN_RATIO: f64 = 3.0;
/// All-out bests leave a reserve above CS of some tens to a few hundred
/// metres; outside this, the bests were not all out (or not one effort each).
const PLAUSIBLE_D_PRIME_M: std::ops::RangeInclusive<f64> = 20.0..=600.0;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CriticalSpeed {
    pub speed_m_s: f64,
    pub d_prime_m: f64,
    /// Share of the distances' variance the line explains.
    pub r2: f64,
    /// One standard error of `speed_m_s`.
    pub speed_se_m_s: f64,
    /// The (duration, distance) bests the line went through.
    pub points: usize,
    pub shortest_s: u32,
    pub longest_s: u32,
}

/// Why there is no critical speed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NoCriticalSpeed {
    /// Fewer than three 3-20 minute durations have a best.
    TooFewDurations { have: usize },
    /// The bests span too short a range of durations.
    NarrowSpan { shortest_s: u32, longest_s: u32 },
    /// The line leaves no plausible reserve: the bests were not all out.
    NotAllOut { d_prime_m: f64 },
}

impl NoCriticalSpeed {
    pub fn describe(self) -> String {
        match self {
            NoCriticalSpeed::TooFewDurations { have } => format!(
                "the last 12 weeks hold bests for {have} of the 3-20 minute durations; at least {MIN_POINTS} are needed (a run of 20 minutes or more gives them all)"
            ),
            NoCriticalSpeed::NarrowSpan { shortest_s, longest_s } => format!(
                "the recent bests span {shortest_s}-{longest_s} s; the longest must be {MIN_SPAN_RATIO:.0}x the shortest"
            ),
            NoCriticalSpeed::NotAllOut { d_prime_m } => format!(
                "the 3-20 minute bests lie on a line with D' = {d_prime_m:.0} m, outside {:.0}-{:.0} m: they are not all-out efforts (a hard 3-5 minute effort and a 12-20 minute one would give a value)",
                PLAUSIBLE_D_PRIME_M.start(),
                PLAUSIBLE_D_PRIME_M.end()
            ),
        }
    }
}

/// Critical speed from `curve`: (duration, best mean speed) pairs; only the
/// 3-20 minute ones are read.
pub fn critical_speed(curve: &[(u32, f64)]) -> Result<CriticalSpeed, NoCriticalSpeed> {
    let points: Vec<(f64, f64)> = curve
        .iter()
        .filter(|(t, v)| (FIT_FROM_S..=FIT_TO_S).contains(t) && v.is_finite() && *v > 0.0)
        .map(|&(t, v)| (f64::from(t), v * f64::from(t)))
        .collect();
    if points.len() < MIN_POINTS {
        return Err(NoCriticalSpeed::TooFewDurations { have: points.len() });
    }
    let in_range = || curve.iter().map(|p| p.0).filter(|t| (FIT_FROM_S..=FIT_TO_S).contains(t));
    let (shortest_s, longest_s) = (in_range().min().unwrap_or(0), in_range().max().unwrap_or(0));
    if f64::from(longest_s) < MIN_SPAN_RATIO * f64::from(shortest_s) {
        return Err(NoCriticalSpeed::NarrowSpan { shortest_s, longest_s });
    }
    let fit = linear_fit(&points).ok_or(NoCriticalSpeed::TooFewDurations { have: points.len() })?;
    if !PLAUSIBLE_D_PRIME_M.contains(&fit.intercept) {
        return Err(NoCriticalSpeed::NotAllOut { d_prime_m: fit.intercept });
    }
    Ok(CriticalSpeed {
        speed_m_s: fit.slope,
        d_prime_m: fit.intercept,
        r2: fit.r2,
        speed_se_m_s: fit.slope_se,
        points: points.len(),
        shortest_s,
        longest_s,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Exact points of CS 4.2 m/s and D' 180 m give both back, with a
    /// perfect fit; durations outside 3-20 minutes are not read.
    #[test]
    fn exact_distance_time_points_give_cs_and_d_prime() {
        let curve: Vec<(u32, f64)> =
            [60, 180, 300, 600, 720, 1200, 3600].iter().map(|&t| (t, 4.2 + 180.0 / f64::from(t))).collect();
        let mut skewed = curve.clone();
        skewed[0].1 = 9.0;
        skewed[6].1 = 1.0;
        for c in [curve, skewed] {
            let cs = critical_speed(&c).unwrap();
            assert!((cs.speed_m_s - 4.2).abs() < 1e-9 && (cs.d_prime_m - 180.0).abs() < 1e-6, "{cs:?}");
            assert!((cs.r2 - 1.0).abs() < 1e-12 && cs.points == 5 && (cs.shortest_s, cs.longest_s) == (180, 1200));
        }
    }

    #[test]
    fn too_few_or_too_close_durations_or_easy_bests_give_no_value_with_the_reason() {
        let at = |ts: &[u32], d_prime: f64| ts.iter().map(|&t| (t, 3.0 + d_prime / f64::from(t))).collect::<Vec<_>>();
        assert_eq!(critical_speed(&at(&[180, 300], 150.0)), Err(NoCriticalSpeed::TooFewDurations { have: 2 }));
        assert_eq!(
            critical_speed(&at(&[180, 240, 300], 150.0)),
            Err(NoCriticalSpeed::NarrowSpan { shortest_s: 180, longest_s: 300 })
        );
        // An easy run's bests: the same speed at every duration.
        let flat = critical_speed(&at(&[180, 300, 600, 1200], 0.0)).unwrap_err();
        assert!(matches!(flat, NoCriticalSpeed::NotAllOut { .. }) && flat.describe().contains("not all-out"));
    }
}
