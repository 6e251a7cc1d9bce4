//! What kind of run each run was: race, workout, long, easy. From the data
//! (sustained near-threshold effort, interval structure, time in Z3,
//! duration against the athlete's recent runs), with the run's name as a
//! hint when it says so plainly.

use std::fmt;

use super::names;
use crate::features::hr_seconds::HrSeconds;
use crate::features::intervals::Intervals;
use crate::features::kernel::RunKernel;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SessionType {
    Race,
    Workout,
    Long,
    Easy,
    /// Not a run, or too little data to say.
    Other,
}

impl SessionType {
    pub fn as_str(self) -> &'static str {
        match self {
            SessionType::Race => "race",
            SessionType::Workout => "workout",
            SessionType::Long => "long",
            SessionType::Easy => "easy",
            SessionType::Other => "other",
        }
    }

    /// Only these can be "easy days run too hard".
    pub fn is_easy_or_long(self) -> bool {
        matches!(self, SessionType::Easy | SessionType::Long)
    }
}

impl fmt::Display for SessionType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

const MIN_REPEATS: usize = 3;
/// A best 20 minutes at this share of LTHR or above is a race.
const RACE_SHARE_OF_LTHR: f64 = 0.98;
/// Share of time in Z3 that makes a run a workout.
const Z3_WORKOUT_SHARE: f64 = 0.10;
/// And at least this long: a short run's minute above LTHR is a sensor
/// reading or a hill, not a session.
const Z3_WORKOUT_MIN_S: f64 = 300.0;
/// Long: this many times the median duration of the trailing weeks' runs.
const LONG_FACTOR: f64 = 1.5;
/// Without enough history, a run this long is a long run.
const LONG_FALLBACK_S: f64 = 80.0 * 60.0;

/// Everything the classifier looks at for one run.
#[derive(Debug, Clone, Copy, Default)]
pub struct Evidence<'a> {
    pub name: Option<&'a str>,
    pub duration_s: f64,
    pub best_20min_hr_bpm: Option<f64>,
    pub z3_s: Option<f64>,
    pub hr_s: f64,
    pub intervals: Intervals,
    /// Median duration of the runs in the trailing 8 weeks, if enough.
    pub trailing_median_s: Option<f64>,
}

/// Repeated fast stretches make a workout when their heart rate reached the
/// upper half of the gray zone: a climb at easy effort does not get there.
fn is_intervals(i: &Intervals, thresholds: Option<(f64, f64)>) -> bool {
    let hard_enough = match (i.peak_hr_bpm, thresholds) {
        (Some(peak), Some((lt1, lthr))) => peak >= f64::midpoint(lt1, lthr),
        _ => true,
    };
    i.repeats >= MIN_REPEATS && hard_enough
}

/// Seconds at or above `lthr_bpm`, counted on heart rate with sensor
/// artifacts left out (`features::hr_artifacts`, tallied by the kernel);
/// `None` without heart rate.
pub fn plausible_seconds_above(hr: &HrSeconds, kernel: &RunKernel, lthr_bpm: f64) -> Option<f64> {
    hr.has_hr().then(|| f64::from(kernel.plausible_seconds_at_or_above(lthr_bpm)))
}

/// `thresholds`: LT1 and LTHR in bpm, when known.
pub fn classify(e: &Evidence<'_>, thresholds: Option<(f64, f64)>) -> SessionType {
    // The athlete's own words win when they say plainly what the run was.
    if let Some(t) = e.name.and_then(names::kind_from_name) {
        return t;
    }
    // 20 minutes at threshold is what a race asks for (races run at
    // 100-108 % of LTHR; LTHR is estimated from the middle of that range).
    if let (Some(best), Some((_, lthr))) = (e.best_20min_hr_bpm, thresholds)
        && best >= RACE_SHARE_OF_LTHR * lthr
    {
        return SessionType::Race;
    }
    let z3_s = e.z3_s.filter(|_| e.hr_s > 0.0).unwrap_or(0.0);
    let z3_hard = z3_s >= Z3_WORKOUT_MIN_S && z3_s >= Z3_WORKOUT_SHARE * e.hr_s;
    if is_intervals(&e.intervals, thresholds) || z3_hard {
        return SessionType::Workout;
    }
    let long_from = e.trailing_median_s.map_or(LONG_FALLBACK_S, |m| LONG_FACTOR * m);
    if e.duration_s >= long_from { SessionType::Long } else { SessionType::Easy }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_help_and_data_decides_otherwise() {
        let e = Evidence { name: Some("Sunday Long Run"), duration_s: 1000.0, ..Evidence::default() };
        assert_eq!(classify(&e, None), SessionType::Long);
        let t = Some((153.0, 170.0));
        let race = Evidence { best_20min_hr_bpm: Some(172.0), ..Evidence::default() };
        assert_eq!(classify(&race, t), SessionType::Race);
        let intervals = Intervals { repeats: 5, peak_hr_bpm: Some(172.0) };
        let reps = Evidence { intervals, duration_s: 3000.0, ..Evidence::default() };
        assert_eq!(classify(&reps, t), SessionType::Workout);
        let long = Evidence { duration_s: 5400.0, trailing_median_s: Some(3000.0), ..Evidence::default() };
        assert_eq!(classify(&long, t), SessionType::Long);
        let easy = Evidence { duration_s: 3000.0, trailing_median_s: Some(3000.0), ..Evidence::default() };
        assert_eq!(classify(&easy, t), SessionType::Easy);
    }

    /// Found on real mountain histories: a long run whose climbs raised heart
    /// rate a little, repeatedly, was typed workout.
    #[test]
    fn repeated_climbs_at_easy_effort_are_not_a_workout() {
        let t = Some((153.0, 170.0));
        let intervals = Intervals { repeats: 6, peak_hr_bpm: Some(152.0) };
        let hilly = Evidence { intervals, duration_s: 9000.0, trailing_median_s: Some(3000.0), ..Evidence::default() };
        assert_eq!(classify(&hilly, t), SessionType::Long);
    }

    /// Found on a real history: "Going to the race" (an easy jog) was typed
    /// race because "race" was found as a substring.
    #[test]
    fn a_jog_going_to_the_race_is_not_a_race() {
        let e = Evidence { name: Some("Going to the race"), duration_s: 1500.0, ..Evidence::default() };
        assert_eq!(classify(&e, Some((153.0, 170.0))), SessionType::Easy);
    }
}
