//! "Am I running my easy days too hard?" An easy or long run is a gray-zone
//! run when, after the warm-up, at least a fifth of it sat between LT1 and
//! LTHR, or its median heart rate reached LT1; severe from half. When LT1 is
//! an estimate with an uncertainty, a run is gray only when it is gray even
//! with LT1 at the top of its band; one that is gray only with LT1 lower is
//! "borderline" and said so, rather than flagged.

use crate::metrics::sessions::SessionType;

pub const GRAY_SHARE: f64 = 0.20;
pub const SEVERE_SHARE: f64 = 0.50;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Not an easy or long run: the question does not apply (false in tables).
    NotEasy,
    Fine,
    /// Gray with LT1 as estimated, fine with LT1 at the top of its
    /// uncertainty: not flagged (false in tables), counted and reported.
    Borderline,
    Gray,
    Severe,
}

impl Verdict {
    pub fn is_gray(self) -> bool {
        matches!(self, Verdict::Gray | Verdict::Severe)
    }
}

/// `shares`: Z2 share after the warm-up counted from LT1, and from LT1 plus
/// its uncertainty. `lt1`: LT1 and its uncertainty in bpm. `None` when the
/// run has no heart rate to judge by.
pub fn verdict(
    session: SessionType,
    (share, share_clear): (Option<f64>, Option<f64>),
    median_hr: Option<f64>,
    (lt1_bpm, uncertainty_bpm): (f64, f64),
) -> Option<Verdict> {
    if !session.is_easy_or_long() {
        return Some(Verdict::NotEasy);
    }
    let share = share?;
    let share_clear = share_clear.unwrap_or(share);
    let gray_at = |share: f64, lt1: f64| share >= GRAY_SHARE || median_hr.is_some_and(|m| m >= lt1);
    Some(if share_clear >= SEVERE_SHARE {
        Verdict::Severe
    } else if gray_at(share_clear, lt1_bpm + uncertainty_bpm) {
        Verdict::Gray
    } else if gray_at(share, lt1_bpm) {
        Verdict::Borderline
    } else {
        Verdict::Fine
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn easy_runs_are_judged_workouts_are_not() {
        let v = |s, share: Option<f64>, median| verdict(s, (share, share), median, (150.0, 0.0));
        assert_eq!(v(SessionType::Easy, Some(0.1), Some(140.0)), Some(Verdict::Fine));
        assert_eq!(v(SessionType::Easy, Some(0.25), Some(145.0)), Some(Verdict::Gray));
        assert_eq!(v(SessionType::Long, Some(0.05), Some(151.0)), Some(Verdict::Gray));
        assert_eq!(v(SessionType::Easy, Some(0.6), Some(155.0)), Some(Verdict::Severe));
        assert_eq!(v(SessionType::Workout, Some(0.6), Some(160.0)), Some(Verdict::NotEasy));
        assert_eq!(v(SessionType::Easy, None, None), None);
    }

    /// Found on real histories: with LT1 estimated too low, two thirds of a
    /// runner's easy runs were flagged gray. A run that is gray only within
    /// the estimate's uncertainty is borderline, not flagged.
    #[test]
    fn gray_only_within_the_lt1_uncertainty_is_borderline_not_flagged() {
        // Median 146 over an LT1 of 144 +- 8; 35 % above 144, 5 % above 152.
        let v = verdict(SessionType::Easy, (Some(0.35), Some(0.05)), Some(146.0), (144.0, 8.0));
        assert_eq!(v, Some(Verdict::Borderline));
        assert!(!v.unwrap().is_gray());
        // Clear of the band: gray whatever the estimate's error.
        let v = verdict(SessionType::Easy, (Some(0.7), Some(0.3)), Some(153.0), (144.0, 8.0));
        assert_eq!(v, Some(Verdict::Gray));
        // The same run with a known LT1 (no uncertainty) is gray.
        let v = verdict(SessionType::Easy, (Some(0.35), Some(0.35)), Some(146.0), (144.0, 0.0));
        assert_eq!(v, Some(Verdict::Gray));
    }
}
