//! One FIT file's messages gathered (chained files included) and split into
//! activities: one per session, so a triathlon's run leg is a run. Both
//! decoders feed the same `FitFile`, so they cannot disagree on anything but
//! the decoding itself.

use super::{Event, FIT_EPOCH_UNIX_S, FIT_RELATIVE_LIMIT_S, Record, SEMICIRCLE_TO_DEG, Session};
use crate::error::ParseError;
use crate::parse::summary::PLAUSIBLE_TEMPERATURE_C;
use crate::parse::{Activity, ActivityMeta, OffsetSource, Point, Samples, Sport, WatchThresholds};

/// Records decoded as columns, and how many were left out and why.
#[derive(Debug, Default)]
pub struct DecodedRecords {
    pub samples: Samples,
    /// Without a timestamp; timed from device power-on; out of range when
    /// salvaging.
    pub untimed: usize,
    pub relative: usize,
    pub implausible: usize,
}

#[derive(Debug, Default)]
pub struct FitFile {
    file_types: Vec<String>,
    /// Records kept, as columns from the start: no copy on the way out.
    samples: Samples,
    relative_points: usize,
    untimed_points: usize,
    glitched_points: usize,
    sessions: Vec<Session>,
    /// Lap start times, to count each session's laps.
    lap_starts: Vec<i64>,
    pauses: Vec<(i64, i64)>,
    pause_started: Option<i64>,
    /// Recovery heart rates the watch wrote: (time, bpm).
    recovery_hr: Vec<(i64, f64)>,
    utc_offset_s: Option<i32>,
    device: Option<String>,
    thresholds: WatchThresholds,
    sport_message: Option<(String, Option<String>, Option<String>)>,
    /// Salvaging a damaged file: drop records with implausible values.
    check_ranges: bool,
    implausible_points: usize,
}

impl FitFile {
    pub fn with_capacity(records: usize) -> FitFile {
        let mut samples = Samples::default();
        samples.reserve(records);
        FitFile { samples, ..FitFile::default() }
    }

    pub fn check_ranges(&mut self) {
        self.check_ranges = true;
    }

    pub fn checks_ranges(&self) -> bool {
        self.check_ranges
    }

    /// Records kept so far.
    pub fn records(&self) -> usize {
        self.samples.len()
    }

    pub fn file_id(&mut self, file_type: Option<String>, device: impl FnOnce() -> Option<String>) {
        if let Some(kind) = file_type {
            self.file_types.push(kind);
        }
        if self.device.is_none() {
            self.device = device();
        }
    }

    pub fn record(&mut self, r: &Record) {
        let Some(time_ms) = r.time_ms else {
            self.untimed_points += 1;
            return;
        };
        if time_ms < (FIT_EPOCH_UNIX_S + FIT_RELATIVE_LIMIT_S) * 1000 {
            self.relative_points += 1;
            return;
        }
        let position = r.lat_semicircles.zip(r.lon_semicircles);
        let point = Point {
            time_ms,
            lat_deg: position.map(|p| p.0 * SEMICIRCLE_TO_DEG),
            lon_deg: position.map(|p| p.1 * SEMICIRCLE_TO_DEG),
            altitude_m: r.enhanced_altitude_m.or(r.altitude_m),
            distance_m: r.distance_m,
            speed_m_s: r.enhanced_speed_m_s.or(r.speed_m_s),
            // 0 bpm (a dropout) stays in: cleaning counts it as an artifact.
            hr_bpm: r.hr_bpm,
            cadence_rpm: r.cadence_rpm.map(|c| c + r.fractional_cadence_rpm.unwrap_or(0.0)),
            power_w: r.power_w,
            temperature_c: r.temperature_c,
        };
        if self.check_ranges && !plausible(&point) {
            self.implausible_points += 1;
            return;
        }
        self.samples.push(&point);
    }

    /// All records at once, as the fast decoder reads them.
    pub fn set_records(&mut self, r: DecodedRecords) {
        debug_assert!(self.samples.is_empty(), "records come from one decoder");
        self.samples = r.samples;
        self.untimed_points += r.untimed;
        self.relative_points += r.relative;
        self.implausible_points += r.implausible;
    }

    pub fn session(&mut self, s: Session) {
        self.sessions.push(s);
    }

    pub fn lap(&mut self, start_ms: Option<i64>) {
        if let Some(t) = start_ms {
            self.lap_starts.push(t);
        }
    }

    /// Timer stop..start pairs become pauses.
    pub fn event(&mut self, event: Event, time_ms: Option<i64>) {
        let Some(t) = time_ms else { return };
        match event {
            Event::TimerStop => {
                self.pause_started.get_or_insert(t);
            }
            Event::TimerStart => {
                if let Some(from) = self.pause_started.take() {
                    self.pauses.push((from, t));
                }
            }
            // Beyond any heart rate: not a value the watch meant.
            Event::RecoveryHr { bpm } if bpm <= 250 => self.recovery_hr.push((t, f64::from(bpm))),
            Event::RecoveryHr { .. } | Event::Other => {}
        }
    }

    /// Local wall clock minus UTC, from the activity message's two stamps.
    pub fn activity(&mut self, offset_s: i64) {
        // Real offsets are whole quarter hours within +-14 h; the two stamps
        // may be written a second apart, so round to the quarter hour.
        if offset_s.abs() <= 14 * 3600 {
            let quarter_hours = (offset_s + offset_s.signum() * 450) / 900;
            self.utc_offset_s = i32::try_from(quarter_hours * 900).ok();
        }
    }

    pub fn sport(&mut self, sport: String, sub_sport: Option<String>, name: Option<String>) {
        self.sport_message = Some((sport, sub_sport, name));
    }

    pub fn zones_target(&mut self, max_hr_bpm: Option<f64>, lthr_bpm: Option<f64>) {
        let t = &mut self.thresholds;
        t.max_hr_bpm = positive(max_hr_bpm).or(t.max_hr_bpm);
        t.lthr_bpm = positive(lthr_bpm).or(t.lthr_bpm);
    }

    pub fn user_profile(&mut self, resting_hr_bpm: Option<f64>, default_max_hr_bpm: Option<f64>) {
        let t = &mut self.thresholds;
        t.resting_hr_bpm = positive(resting_hr_bpm).or(t.resting_hr_bpm);
        t.max_hr_bpm = t.max_hr_bpm.or(positive(default_max_hr_bpm));
    }

    pub fn into_activities(mut self) -> Result<Vec<Activity>, ParseError> {
        if !self.file_types.is_empty() && !self.file_types.iter().any(|t| t == "activity") {
            return Err(ParseError::NotAnActivity { kind: self.file_types.swap_remove(0) });
        }
        if self.samples.is_empty() {
            return Err(if self.relative_points > 0 {
                ParseError::RelativeTimestamps
            } else {
                ParseError::NoPoints { what: "this FIT file" }
            });
        }
        self.sessions.sort_by_key(|s| s.start_ms);
        let groups = self.split_points_by_session();
        if groups.iter().all(Samples::is_empty) {
            return Err(ParseError::NoPoints { what: "this FIT file" });
        }
        let dropped = self.relative_points + self.untimed_points + self.glitched_points + self.implausible_points;
        let mut activities = Vec::new();
        for (i, samples) in groups.into_iter().enumerate() {
            if samples.is_empty() {
                continue;
            }
            let session = self.sessions.get(i);
            let mut activity = Activity { meta: self.meta_for(session, &samples), samples };
            if activities.is_empty() {
                activity.meta.dropped_points = dropped;
            }
            activities.push(activity);
        }
        Ok(activities)
    }

    /// One group of records per session: each goes to the last session that
    /// started at or before it (earlier records to the first session).
    fn split_points_by_session(&mut self) -> Vec<Samples> {
        self.drop_clock_glitches();
        let starts: Vec<i64> = self.sessions.iter().map(|s| s.start_ms.unwrap_or(i64::MIN)).collect();
        let samples = std::mem::take(&mut self.samples);
        if starts.len() <= 1 {
            return vec![samples];
        }
        let session_of: Vec<usize> =
            samples.time_ms.iter().map(|&t| starts.partition_point(|&s| s <= t).saturating_sub(1)).collect();
        (0..starts.len()).map(|g| samples.filter(|i| session_of[i] == g)).collect()
    }

    /// Sessions' own times cannot decide what is a glitch: summary-first
    /// files write them early and some understate the span.
    fn drop_clock_glitches(&mut self) {
        self.glitched_points += self.samples.drop_clock_glitches(crate::parse::FIT_CLOCK_GLITCH_MS);
    }

    fn meta_for(&self, session: Option<&Session>, samples: &Samples) -> ActivityMeta {
        let (first_ms, last_ms) = samples.time_range().unwrap_or_default();
        let (sport, sub_sport, name) = match (session, &self.sport_message) {
            (Some(s), _) if !s.sport.is_empty() => (s.sport.clone(), s.sub_sport.clone(), None),
            (_, Some((sport, sub, name))) => (sport.clone(), sub.clone(), name.clone()),
            _ => (String::new(), None, None),
        };
        let start_ms = session.and_then(|s| s.start_ms).filter(|&s| s <= last_ms).unwrap_or(first_ms);
        ActivityMeta {
            sport: Sport::normalize(&sport, sub_sport.as_deref()),
            sport_raw: match &sub_sport {
                Some(sub) if sub != "generic" => format!("{sport}/{sub}"),
                _ => sport,
            },
            start_ms,
            utc_offset_s: self.utc_offset_s,
            utc_offset_source: if self.utc_offset_s.is_some() { OffsetSource::Device } else { OffsetSource::Unknown },
            elapsed_s: session.and_then(|s| s.elapsed_s),
            timer_s: session.and_then(|s| s.timer_s),
            total_distance_m: session.and_then(|s| s.distance_m),
            total_ascent_m: session.and_then(|s| s.ascent_m),
            device: self.device.clone(),
            name,
            pauses: self.pauses.iter().copied().filter(|&(a, _)| a >= first_ms && a <= last_ms).collect(),
            laps: self.lap_starts.iter().filter(|&&t| t >= start_ms && t <= last_ms).count(),
            thresholds: self.thresholds,
            recovery_hr_bpm: self.recovery_hr_for(start_ms, last_ms),
            ..ActivityMeta::default()
        }
    }
}

impl FitFile {
    /// The last recovery heart rate written from the activity's start to
    /// a few minutes after its last record (watches write it once the
    /// heart rate was watched for two minutes after the stop).
    fn recovery_hr_for(&self, start_ms: i64, last_ms: i64) -> Option<f64> {
        const AFTER_MS: i64 = 15 * 60 * 1000;
        self.recovery_hr.iter().rfind(|(t, _)| (start_ms..=last_ms + AFTER_MS).contains(t)).map(|e| e.1)
    }
}

/// Values a damaged record can hold only through corruption: positions off
/// the globe, a heart rate or speed no human reaches, altitudes outside the
/// Earth's surface, power or temperature beyond any sensor's range.
pub fn plausible(p: &Point) -> bool {
    let within = |v: Option<f64>, lo: f64, hi: f64| v.is_none_or(|v| (lo..=hi).contains(&v));
    within(p.lat_deg, -90.0, 90.0)
        && within(p.lon_deg, -180.0, 180.0)
        && within(p.altitude_m, -500.0, 9000.0)
        && within(p.distance_m, 0.0, 5_000_000.0)
        && within(p.speed_m_s, 0.0, 50.0)
        && within(p.hr_bpm, 0.0, 250.0)
        && within(p.cadence_rpm, 0.0, 300.0)
        && within(p.power_w, 0.0, 3000.0)
        && within(p.temperature_c, *PLAUSIBLE_TEMPERATURE_C.start(), *PLAUSIBLE_TEMPERATURE_C.end())
}

fn positive(v: Option<f64>) -> Option<f64> {
    v.filter(|v| *v > 0.0)
}
