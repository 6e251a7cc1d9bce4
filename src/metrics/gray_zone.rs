//! "Am I running my easy days too hard?" An easy or long run is a gray-zone
//! run when, after the warm-up, at least a fifth of it sat between LT1 and
//! LTHR, or its median heart rate reached LT1; severe from half.

use crate::metrics::sessions::SessionType;

pub const GRAY_SHARE: f64 = 0.20;
pub const SEVERE_SHARE: f64 = 0.50;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Not an easy or long run: the question does not apply (false in tables).
    NotEasy,
    Fine,
    Gray,
    Severe,
}

impl Verdict {
    pub fn is_gray(self) -> bool {
        matches!(self, Verdict::Gray | Verdict::Severe)
    }
}

/// `None` when the run has no heart rate to judge by.
pub fn verdict(
    session: SessionType,
    z2_share_after_warmup: Option<f64>,
    median_hr: Option<f64>,
    lt1: f64,
) -> Option<Verdict> {
    if !session.is_easy_or_long() {
        return Some(Verdict::NotEasy);
    }
    let share = z2_share_after_warmup?;
    let median_high = median_hr.is_some_and(|m| m >= lt1);
    Some(if share >= SEVERE_SHARE {
        Verdict::Severe
    } else if share >= GRAY_SHARE || median_high {
        Verdict::Gray
    } else {
        Verdict::Fine
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn easy_runs_are_judged_workouts_are_not() {
        let v = |s, share, median| verdict(s, share, median, 150.0);
        assert_eq!(v(SessionType::Easy, Some(0.1), Some(140.0)), Some(Verdict::Fine));
        assert_eq!(v(SessionType::Easy, Some(0.25), Some(145.0)), Some(Verdict::Gray));
        assert_eq!(v(SessionType::Long, Some(0.05), Some(151.0)), Some(Verdict::Gray));
        assert_eq!(v(SessionType::Easy, Some(0.6), Some(155.0)), Some(Verdict::Severe));
        assert_eq!(v(SessionType::Workout, Some(0.6), Some(160.0)), Some(Verdict::NotEasy));
        assert_eq!(v(SessionType::Easy, None, None), None);
    }
}
