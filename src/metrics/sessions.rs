//! What kind of run each run was: race, workout, long, easy. From the data
//! (sustained near-threshold effort, interval structure, time in Z3,
//! duration against the athlete's recent runs), with the run's name as a
//! hint when it says so plainly.

use std::fmt;

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
/// Share of time in Z3 that makes a run a workout.
const Z3_WORKOUT_SHARE: f64 = 0.10;
/// Long: this many times the median duration of the trailing weeks' runs.
const LONG_FACTOR: f64 = 1.5;
/// Without enough history, a run this long is a long run.
const LONG_FALLBACK_S: f64 = 80.0 * 60.0;

/// What a run's name says, if it says it plainly.
fn from_name(name: &str) -> Option<SessionType> {
    let n = name.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| n.contains(w));
    if has(&["race", "parkrun", "marathon"]) {
        Some(SessionType::Race)
    } else if has(&["interval", "tempo", "threshold", "fartlek", "repeats", "workout", "track"]) {
        Some(SessionType::Workout)
    } else if has(&["long run"]) {
        Some(SessionType::Long)
    } else if has(&["easy", "recovery"]) {
        Some(SessionType::Easy)
    } else {
        None
    }
}

/// Everything the classifier looks at for one run.
#[derive(Debug, Clone, Copy, Default)]
pub struct Evidence<'a> {
    pub name: Option<&'a str>,
    pub duration_s: f64,
    pub best_20min_hr_bpm: Option<f64>,
    pub z3_s: Option<f64>,
    pub hr_s: f64,
    pub interval_repeats: usize,
    /// Median duration of the runs in the trailing 8 weeks, if enough.
    pub trailing_median_s: Option<f64>,
}

pub fn classify(e: &Evidence<'_>, lthr_bpm: Option<f64>) -> SessionType {
    if let Some(t) = e.name.and_then(from_name) {
        return t;
    }
    // 20 minutes at or above threshold is what a race asks for.
    if let (Some(best), Some(lthr)) = (e.best_20min_hr_bpm, lthr_bpm)
        && best >= lthr
    {
        return SessionType::Race;
    }
    let z3_share = e.z3_s.filter(|_| e.hr_s > 0.0).map_or(0.0, |z| z / e.hr_s);
    if e.interval_repeats >= MIN_REPEATS || z3_share >= Z3_WORKOUT_SHARE {
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
        let race = Evidence { best_20min_hr_bpm: Some(172.0), ..Evidence::default() };
        assert_eq!(classify(&race, Some(170.0)), SessionType::Race);
        let reps = Evidence { interval_repeats: 5, duration_s: 3000.0, ..Evidence::default() };
        assert_eq!(classify(&reps, Some(170.0)), SessionType::Workout);
        let long = Evidence { duration_s: 5400.0, trailing_median_s: Some(3000.0), ..Evidence::default() };
        assert_eq!(classify(&long, Some(170.0)), SessionType::Long);
        let easy = Evidence { duration_s: 3000.0, trailing_median_s: Some(3000.0), ..Evidence::default() };
        assert_eq!(classify(&easy, Some(170.0)), SessionType::Easy);
    }
}
