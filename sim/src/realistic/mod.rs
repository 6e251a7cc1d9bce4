//! Realistic simulated athletes whose truth is NOT built from runlens's own
//! formulas, so accuracy tests measure the estimators instead of echoing
//! them (issue 11). Where runlens assumes something, these athletes differ:
//!
//! - Heart rate is not linear in grade-adjusted speed: each athlete has a
//!   power-law curve with its own exponent and a flattening above LTHR
//!   ([`body::HrCurve`]); `true_speed_at_hr` reads that curve.
//! - LT1 is 0.78-0.88 x LTHR and LTHR 0.86-0.93 x max HR (runlens assumes
//!   0.90 and 0.95 x best 20 min); races run at 1.00-1.08 x LTHR; heart rate
//!   approaches max through a soft ceiling, never clamped, so the best 30 s
//!   of a history sit a few beats under the truth (or far under it for an
//!   athlete who never races all out), while wrist spikes can sit above it.
//! - Easy runs sit anywhere from 62 % to 78 % of max HR, not near LT1 - 10.
//! - Heart rate lags with an athlete-specific time constant plus a slow
//!   warm-up component, and drifts with heat (a per-day temperature from a
//!   seasonal climate) and with duration, accelerating after an hour.
//! - Wrist sensors lock onto the step rate for minutes early in runs, read
//!   high at the start, drop out and spike; chest straps read low while dry.
//! - GPS wanders with correlated noise and the first fix can be hundreds of
//!   metres off; traffic lights stop city runs (auto-paused on some
//!   watches); smart recording writes samples 1-8 s apart.
//! - Hills cost what [`body::GradeCost`] says (cheaper climbs, far smaller
//!   downhill savings than Minetti); steep climbs are hiked, technical
//!   descents are slow whatever the effort.
//! - Weeks are mostly easy runs, with short 10-20 minute runs, long runs,
//!   intervals, tempo and progression runs, and races now and then.
//!
//! The athletes ([`athletes`]); thresholds as (max HR, LTHR / max, LT1 /
//! LTHR), easy HR as a share of max, the curve's curvature (> 0: heart rate
//! climbs steeply at jogging speeds and flattens towards threshold):
//! - `city`: 15 months, Lausanne; 191, 0.90, 0.84; easy 0.70; +0.35. Strava
//!   export (FIT.gz and GPX, names in the CSV: English and French, mostly
//!   Strava or Garmin defaults such as "Lausanne Course à pied"), smart
//!   recording, wrist HR, auto-pause at traffic lights. Gains 5 % over six
//!   months, then a plateau; warm summers slow pace at HR by a few percent
//!   without any loss of fitness.
//! - `italian`: 2 years, Milan's hills; 178, 0.91, 0.81; easy 0.68; -0.15.
//!   GPX with Italian names and HR, smart recording, a track for intervals.
//!   Gains, a 10-week break that costs the gains, a comeback.
//! - `alpine`: 6 months, Chamonix; 188, 0.89, 0.86; easy 0.72; +0.25. Fenix
//!   FIT every second (no names) and Connect GPX (French names, defaults);
//!   2.5-3 h mountain runs at ~9 min/km with ~1,000 m of climbing at easy
//!   effort, hiking the steep steps; a mountain race. Gains, then a plateau.
//! - `low_easy`: 12 months, Berlin; 196, 0.86, 0.78; easy 0.62; +0.45. Chest
//!   strap (forgotten some days: no HR; dry at the start in the cold), TCX
//!   with German names and unnamed FIT.gz, treadmill runs in winter, traffic
//!   lights without auto-pause. Steady gains only (6 % over the year).
//! - `high_easy`: 12 months, Madrid; 184, 0.93, 0.88; easy 0.78; -0.2. Wrist
//!   HR with many artifacts, hot summers, GPX and TCX.gz with Spanish names.
//!   Gains, then a slump: 3.5 % slower at the same HR over six weeks from
//!   [`Athlete::slump_onset`], staying there.
//! - `steady`: 12 months, Lisbon; 182, 0.91, 0.82; easy 0.66; +0.1. Chest
//!   strap, GPX and FIT.gz, Dutch and Portuguese names, mild seasons, constant
//!   fitness: only noise, for false-alarm tests.

pub mod body;
mod calendar;
mod files;
pub mod names;
mod roster;
mod run;
mod sensors;
pub mod terrain;
#[cfg(test)]
mod tests;

pub use body::{Drift, GradeCost, HrCurve};
pub use files::write_history;
pub use roster::athletes;

use crate::athlete::{Physiology, RunKind, SimActivity, SimSport};
use names::Naming;

/// How a run was recorded: the sensor, the watch's sampling, the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sensor {
    Wrist,
    Chest,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Recording {
    EverySecond,
    /// Garmin's smart recording: 1-8 s between samples.
    Smart,
}

/// The file a run ends up in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileFormat {
    /// In a Strava export folder: `activities/<id>.fit.gz`, named in `activities.csv`.
    StravaFitGz,
    /// In a Strava export folder: `activities/<id>.gpx`, named in `activities.csv`.
    StravaGpx,
    Fit,
    FitGz,
    Gpx,
    Tcx,
    TcxGz,
}

/// The terrain an athlete lives on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Terrain {
    /// Flat loops with traffic lights.
    City,
    /// Rolling hills, a track.
    Rolling,
    /// Valley loops and mountain climbs.
    Alpine,
    /// Flat without lights (parks, canals).
    Flat,
}

/// A week's habits: per weekday (Monday first) the chance of running and
/// what that day usually is.
#[derive(Clone, Copy, Debug)]
pub struct Habits {
    pub days: [(f64, Day); 7],
    pub easy_minutes: (f64, f64),
    pub long_minutes: (f64, f64),
    /// Races every this many weeks (range).
    pub race_every_weeks: (u32, u32),
    pub race_km: &'static [f64],
    /// Easy days run too hard.
    pub gray_share: f64,
    pub treadmill_share: f64,
    /// Runs without heart rate (strap forgotten).
    pub no_hr_share: f64,
    /// Weeks without running (injury, holidays): [from, to).
    pub breaks: &'static [(usize, usize)],
    /// Share of weekday runs in the morning (the rest in the evening).
    pub morning_share: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Day {
    Easy,
    Short,
    Workout,
    Long,
}

/// One realistic athlete: who they are and how their history is made.
#[derive(Clone, Debug)]
pub struct Athlete {
    pub name: &'static str,
    pub seed: u64,
    pub first_monday_unix_s: i64,
    pub weeks: usize,
    /// (lat, lon, altitude m).
    pub home: (f64, f64, f64),
    /// Standard time's offset; summer time adds an hour (EU rules).
    pub standard_offset_s: i32,
    pub physiology: Physiology,
    pub curve: HrCurve,
    pub grade: GradeCost,
    pub drift: Drift,
    /// Heart rate's response time (s), and the slow warm-up component (bpm).
    pub hr_tau_s: f64,
    pub warm_up_hr_bpm: f64,
    /// Easy runs' heart rate as a share of max.
    pub easy_hr_share: f64,
    /// How much of a hill's cost the runner pays in effort (0: keeps the
    /// pace, 1: keeps the effort).
    pub hill_effort: f64,
    /// Grades above this are hiked.
    pub hike_grade: f64,
    pub cadence_spm: f64,
    pub sensor: Sensor,
    pub recording: Recording,
    pub auto_pause: bool,
    pub terrain: Terrain,
    pub naming: Naming,
    /// The file format of the i-th run (cycled).
    pub formats: &'static [FileFormat],
    pub habits: Habits,
    /// Mean temperature and the seasonal swing (°C).
    pub climate: (f64, f64),
    /// Fitness (speed multiplier at a given HR) at week knots.
    pub fitness: &'static [(f64, f64)],
    /// The day (unix s, midnight UTC) pace at the same HR starts to worsen.
    pub slump_onset: Option<i64>,
}

impl Athlete {
    /// The athlete's fitness trend at `unix_s` (speed multiplier at a given
    /// heart rate; runs add a day-to-day noise of ~1 %): the truth a trend or
    /// slump is measured against.
    pub fn fitness_at(&self, unix_s: i64) -> f64 {
        calendar::fitness_at(self, (unix_s - self.first_monday_unix_s) as f64 / (7.0 * 86_400.0))
    }

    /// The true all-out time (s) over `distance_m` on `unix_s` on the flat,
    /// from this athlete's own physiology as the simulator races it: the
    /// heart rate a race that long is held at (the middle of its range,
    /// see `run::race_hr_share`), the speed the athlete's heart-rate curve
    /// gives there at the day's fitness, the last 400 m kicked. Neither
    /// Riegel's law nor VDOT: the truth race predictions are measured
    /// against. `None` beyond the half marathon (the athletes' races end
    /// there, so the simulator says nothing about a marathon).
    pub fn true_race_time_s(&self, distance_m: f64, unix_s: i64) -> Option<f64> {
        if !(400.0..=22_000.0).contains(&distance_m) {
            return None;
        }
        let (lo, hi) = run::race_hr_share(distance_m);
        let hr = f64::midpoint(lo, hi) * self.physiology.lthr_bpm * run::RACE_HR_SCALE;
        let speed_m_s = self.curve.speed_m_s(hr) * self.fitness_at(unix_s);
        Some((distance_m - 400.0) / speed_m_s + 400.0 / (speed_m_s * run::RACE_KICK))
    }

    /// The day after the last week of the history (unix s).
    pub fn end_unix_s(&self) -> i64 {
        self.first_monday_unix_s + self.weeks as i64 * 7 * 86_400
    }
}

/// The rest of a realistic run's truth, beside [`SimActivity`]'s fields.
#[derive(Clone, Debug)]
pub struct RunTruth {
    pub athlete: &'static str,
    pub curve: HrCurve,
    pub temperature_c: f64,
    pub format: FileFormat,
    /// Timer stops (auto-pause at lights): (from, to) unix s.
    pub pauses: Vec<(i64, i64)>,
    /// Seconds of traffic-light stops.
    pub stopped_s: u32,
    /// Seconds of heart rate locked onto cadence, read high at the start,
    /// missing.
    pub cadence_lock_s: u32,
    pub start_spike_s: u32,
    pub dropout_s: u32,
    /// How far off the first GPS fix was (m; 0 when it was fine).
    pub first_fix_error_m: f64,
    pub climb_m: f64,
    /// The index file's activity id (Strava exports).
    pub id: u64,
    /// The day's form (sleep, hydration): added to heart rate all run long.
    pub day_hr_offset_bpm: f64,
    /// How heart rate drifted (with `temperature_c`, see [`Drift::bpm`]).
    pub drift: Drift,
}

/// Whether the activity is a run (every realistic activity is).
pub fn is_run(a: &SimActivity) -> bool {
    a.sport != SimSport::Ride
}

/// Elapsed seconds, first sample to last.
pub fn duration_s(a: &SimActivity) -> f64 {
    (a.end_unix_s() - a.start_unix_s) as f64
}

/// Whether any sample carries heart rate.
pub fn has_hr(a: &SimActivity) -> bool {
    a.samples.iter().any(|s| s.hr_bpm.is_some())
}

/// Every run of `athlete`'s history, sorted by start. Deterministic.
pub fn simulate_athlete(athlete: &Athlete) -> Vec<SimActivity> {
    let mut rng = crate::athlete::Rng::new(athlete.seed);
    let routes = calendar::routes(&mut rng, athlete);
    let sessions = calendar::sessions(&mut rng, athlete, &routes);
    let mut out: Vec<SimActivity> =
        sessions.iter().enumerate().map(|(i, s)| run::simulate(&mut rng, athlete, &routes, s, i)).collect();
    out.sort_by_key(|a| a.start_unix_s);
    out
}

/// Whether `kind` counts as easy/long (else workout/race) for agreement.
pub fn easy_or_long(kind: RunKind) -> bool {
    kind.is_easy_or_long()
}
