//! What kind of run each run was: race, workout, long, easy. From the data
//! (sustained near-threshold effort, interval structure, time in Z3,
//! duration against the athlete's recent runs), with the run's name as a
//! hint when it says so plainly.

use std::fmt;

use crate::clean::Clean;

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

/// Block length for the interval detector.
const BLOCK_S: usize = 30;
/// A block this much faster than the run's median is a "fast" block.
const FAST_RATIO: f64 = 1.15;
const MIN_REPEATS: usize = 3;
/// Share of time in Z3 that makes a run a workout.
const Z3_WORKOUT_SHARE: f64 = 0.10;
/// Long: this many times the median duration of the trailing weeks' runs.
const LONG_FACTOR: f64 = 1.5;
/// Without enough history, a run this long is a long run.
const LONG_FALLBACK_S: f64 = 80.0 * 60.0;

/// Count slow-to-fast transitions of 30-second blocks of grade-adjusted
/// speed (each fast stretch at least a minute): the signature of intervals.
pub fn interval_repeats(c: &Clean) -> usize {
    let blocks: Vec<f64> = c
        .gap_speed_m_s
        .chunks(BLOCK_S)
        .filter(|b| b.len() == BLOCK_S)
        .map(|b| {
            let v: Vec<f64> = b.iter().filter(|v| v.is_finite()).map(|&v| f64::from(v)).collect();
            if v.is_empty() { f64::NAN } else { v.iter().sum::<f64>() / v.len() as f64 }
        })
        .collect();
    let mut sorted: Vec<f64> = blocks.iter().copied().filter(|v| v.is_finite()).collect();
    let Some(median) = super::pace_at_hr::median(&mut sorted) else { return 0 };
    let fast: Vec<bool> = blocks.iter().map(|&v| v > FAST_RATIO * median).collect();
    let mut repeats = 0;
    let mut i = 0;
    while i < fast.len() {
        if fast[i] && (i == 0 || !fast[i - 1]) {
            let run = fast[i..].iter().take_while(|f| **f).count();
            repeats += usize::from(run >= 2);
            i += run;
        } else {
            i += 1;
        }
    }
    repeats
}

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

    #[test]
    fn detects_repeated_fast_stretches() {
        let mut c = Clean::default();
        for t in 0..3000u32 {
            let fast = t >= 600 && (t - 600) % 300 < 180 && t < 600 + 6 * 300;
            let v = if fast { 4.5f32 } else { 3.0 };
            c.elapsed_s.push(t);
            c.speed_m_s.push(v);
            c.gap_speed_m_s.push(v);
            c.hr_bpm.push(150.0);
        }
        assert_eq!(interval_repeats(&c), 6);
    }
}
