//! An athlete's history as sessions: which days they run, what each run is
//! for, when it starts in local time (EU summer time), how warm it is, how
//! fit they are that day, what the run is called and which file it lands in.

use std::f64::consts::PI;

use super::names;
use super::terrain::{Route, Shape};
use super::{Athlete, Day, FileFormat, Terrain};
use crate::athlete::{Rng, RunKind};

/// The athlete's courses, by use.
pub struct Routes {
    pub all: Vec<Route>,
    pub easy: Vec<usize>,
    pub long: Vec<usize>,
    pub track: Option<usize>,
    pub climb: Vec<usize>,
    /// Per race distance in `habits.race_km`.
    pub race: Vec<usize>,
}

/// One planned run.
#[derive(Clone, Debug)]
pub struct Session {
    pub start_unix_s: i64,
    pub utc_offset_s: i32,
    pub kind: RunKind,
    pub minutes: f64,
    pub race_m: Option<f64>,
    pub route: usize,
    pub temperature_c: f64,
    pub fitness: f64,
    pub treadmill: bool,
    pub with_hr: bool,
    /// A few 20-second strides at the end of an easy run.
    pub strides: bool,
    /// The heart rate the runner's easy pace corresponds to today.
    pub easy_hr_bpm: f64,
    pub name: String,
    pub named_kind: Option<RunKind>,
    pub format: FileFormat,
    /// Index of the workout's pattern (reps), or of the race's distance.
    pub variant: usize,
}

pub fn routes(rng: &mut Rng, a: &Athlete) -> Routes {
    let mut all = Vec::new();
    let mut add = |rng: &mut Rng, start: (f64, f64, f64), shape: Shape| {
        all.push(Route::build(rng, start, shape));
        all.len() - 1
    };
    let near = |rng: &mut Rng, km: f64| {
        let angle = rng.range(0.0, 2.0 * PI);
        let (dlat, dlon) = (km * 1000.0 * angle.sin() / 111_195.0, km * 1000.0 * angle.cos() / 78_000.0);
        (a.home.0 + dlat, a.home.1 + dlon, a.home.2 + rng.range(-20.0, 20.0))
    };
    let (hill_m, lights_m) = match a.terrain {
        Terrain::City => (5.0, 650.0),
        Terrain::Rolling => (30.0, 0.0),
        Terrain::Alpine => (45.0, 0.0),
        Terrain::Flat => (3.0, 0.0),
    };
    let lights_m = if a.name == "low_easy" { 900.0 } else { lights_m };
    let easy: Vec<usize> = (0..6)
        .map(|i| {
            let length_m = 4000.0 + 1200.0 * f64::from(i);
            let hill_m = hill_m * rng.range(0.5, 1.3);
            add(rng, a.home, Shape::Loop { length_m, hill_m, lights_every_m: lights_m })
        })
        .collect();
    let long: Vec<usize> = (0..2)
        .map(|_| {
            let start = near(rng, 1.5);
            let length_m = rng.range(11_000.0, 16_000.0);
            add(rng, start, Shape::Loop { length_m, hill_m, lights_every_m: 0.0 })
        })
        .collect();
    let track = (a.terrain != Terrain::Alpine).then(|| {
        let start = near(rng, 2.0);
        add(rng, start, Shape::Track)
    });
    let climb: Vec<usize> = if a.terrain == Terrain::Alpine {
        (0..4)
            .map(|i| {
                let start = near(rng, 4.0);
                // Mountain runs: 80-120 m of climb per km out.
                let length_m = 9000.0 + 2000.0 * f64::from(i);
                let gain_m = length_m * rng.range(0.08, 0.12);
                add(rng, start, Shape::Climb { length_m, gain_m })
            })
            .collect()
    } else {
        Vec::new()
    };
    let race: Vec<usize> = a
        .habits
        .race_km
        .iter()
        .map(|&km| {
            let km_away = rng.range(3.0, 25.0);
            let start = near(rng, km_away);
            let shape = if a.terrain == Terrain::Alpine && km > 15.0 {
                Shape::Climb { length_m: km * 500.0, gain_m: 900.0 }
            } else {
                Shape::Loop { length_m: (km * 1000.0).min(10_500.0), hill_m: hill_m * 0.5, lights_every_m: 0.0 }
            };
            add(rng, start, shape)
        })
        .collect();
    Routes { all, easy, long, track, climb, race }
}

/// UTC offset with EU summer time (last Sunday of March to last Sunday of
/// October, 01:00 UTC).
pub fn utc_offset_s(unix_s: i64, standard_s: i32) -> i32 {
    use chrono::{Datelike, NaiveDate};
    let Some(dt) = chrono::DateTime::from_timestamp(unix_s, 0) else { return standard_s };
    let last_sunday = |month: u32| {
        let last = NaiveDate::from_ymd_opt(dt.year(), month, 31).expect("March and October have 31 days");
        let back = i64::from(last.weekday().num_days_from_sunday());
        (last - chrono::Duration::days(back)).and_hms_opt(1, 0, 0).expect("valid").and_utc().timestamp()
    };
    if (last_sunday(3)..last_sunday(10)).contains(&unix_s) { standard_s + 3600 } else { standard_s }
}

/// Fitness at `week` (fractional), from the athlete's knots.
pub fn fitness_at(a: &Athlete, week: f64) -> f64 {
    let k = a.fitness;
    if week <= k[0].0 {
        return k[0].1;
    }
    for w in k.windows(2) {
        if week <= w[1].0 {
            let f = (week - w[0].0) / (w[1].0 - w[0].0);
            return w[0].1 + (w[1].1 - w[0].1) * f;
        }
    }
    k[k.len() - 1].1
}

fn temperature_c(rng: &mut Rng, a: &Athlete, unix_s: i64, local_hour: u32) -> f64 {
    let day_of_year = (unix_s.rem_euclid(365 * 86_400 + 21_600) / 86_400) as f64;
    let season = -(2.0 * PI * (day_of_year - 15.0) / 365.25).cos();
    let hour = match local_hour {
        0..=9 => -2.5,
        10..=16 => 3.0,
        _ => 1.0,
    };
    a.climate.0 + a.climate.1 * season + hour + rng.noise(2.5)
}

pub fn sessions(rng: &mut Rng, a: &Athlete, routes: &Routes) -> Vec<Session> {
    let h = &a.habits;
    let mut out = Vec::new();
    let mut next_race = rng.range(f64::from(h.race_every_weeks.0), f64::from(h.race_every_weeks.1)) as usize;
    let mut workouts = 0usize;
    for week in 0..a.weeks {
        if h.breaks.iter().any(|&(from, to)| (from..to).contains(&week)) {
            next_race = next_race.max(week + 3);
            continue;
        }
        let race_week = week == next_race && !h.race_km.is_empty();
        if race_week {
            next_race = week + rng.range(f64::from(h.race_every_weeks.0), f64::from(h.race_every_weeks.1)) as usize;
        }
        for (weekday, &(p, day)) in h.days.iter().enumerate() {
            let draw = rng.unit();
            let race_day = race_week && day == Day::Long;
            if draw >= p && !race_day {
                continue;
            }
            let day = if race_week && day == Day::Workout { Day::Easy } else { day };
            let progress = week as f64 / a.weeks as f64;
            let (kind, minutes) = match day {
                _ if race_day => (RunKind::Race, 0.0),
                Day::Easy if rng.unit() < h.gray_share => {
                    (RunKind::GrayEasy, rng.range(h.easy_minutes.0, h.easy_minutes.1))
                }
                Day::Easy => (RunKind::Easy, rng.range(h.easy_minutes.0, h.easy_minutes.1)),
                Day::Short => (RunKind::Easy, rng.range(10.0, 20.0)),
                Day::Workout => {
                    workouts += 1;
                    let kind =
                        [RunKind::Intervals, RunKind::Tempo, RunKind::Intervals, RunKind::Progression][workouts % 4];
                    (kind, rng.range(50.0, 70.0))
                }
                Day::Long => {
                    let kind = if a.terrain == Terrain::Alpine && rng.unit() < 0.75 {
                        RunKind::TrailLong
                    } else {
                        RunKind::Long
                    };
                    let minutes = rng.range(h.long_minutes.0, h.long_minutes.1) * (0.85 + 0.25 * progress);
                    (kind, if kind == RunKind::TrailLong { minutes * 2.0 } else { minutes })
                }
            };
            out.push(session(rng, a, routes, week, weekday, kind, minutes, out.len()));
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn session(
    rng: &mut Rng,
    a: &Athlete,
    routes: &Routes,
    week: usize,
    weekday: usize,
    kind: RunKind,
    minutes: f64,
    index: usize,
) -> Session {
    let h = &a.habits;
    let day_unix = a.first_monday_unix_s + (week * 7 + weekday) as i64 * 86_400;
    let weekend = weekday >= 5;
    let local_s = match kind {
        RunKind::Race => rng.range(8.5, 9.5) * 3600.0,
        _ if weekend => rng.range(7.5, 10.5) * 3600.0,
        _ if rng.unit() < h.morning_share => rng.range(6.0, 7.8) * 3600.0,
        _ if rng.unit() < 0.15 => rng.range(12.0, 13.0) * 3600.0,
        _ => rng.range(17.3, 20.0) * 3600.0,
    } as i64;
    let offset = utc_offset_s(day_unix + 43_200, a.standard_offset_s);
    let start_unix_s = day_unix + local_s - i64::from(offset);
    let local_hour = (local_s / 3600) as u32;
    let temperature_c = temperature_c(rng, a, day_unix, local_hour);
    let in_winter = temperature_c < 3.0;
    let treadmill = kind != RunKind::Race
        && kind != RunKind::TrailLong
        && rng.unit() < h.treadmill_share * if in_winter { 4.0 } else { 0.5 };
    let with_hr = rng.unit() >= h.no_hr_share;
    let pick = |rng: &mut Rng, v: &[usize]| v[(rng.next_u64() % v.len() as u64) as usize];
    let variant = (rng.next_u64() % 4) as usize;
    let (route, race_m, variant) = match kind {
        RunKind::Race => {
            let i = (rng.next_u64() % routes.race.len() as u64) as usize;
            (routes.race[i], Some(h.race_km[i] * 1000.0), i)
        }
        RunKind::TrailLong => (pick(rng, &routes.climb), None, variant),
        RunKind::Long => (pick(rng, &routes.long), None, variant),
        RunKind::Intervals if routes.track.is_some() && rng.unit() < 0.6 => (routes.track.unwrap_or(0), None, variant),
        RunKind::Progression | RunKind::Tempo if rng.unit() < 0.5 => (pick(rng, &routes.long), None, variant),
        _ => (pick(rng, &routes.easy), None, variant),
    };
    let body = a.physiology;
    let easy_hr_bpm = match kind {
        RunKind::GrayEasy => rng.range(body.lt1_bpm() + 2.0, body.lthr_bpm - 5.0),
        _ => a.easy_hr_share * body.max_hr_bpm + rng.noise(2.5),
    };
    let trail = a.terrain == Terrain::Alpine;
    let format = format_for(a.formats[index % a.formats.len()], treadmill);
    let (name, named_kind) = match format {
        FileFormat::Fit | FileFormat::FitGz => (String::new(), None),
        _ => {
            let trail = trail && kind != RunKind::Intervals;
            let occasion = names::Occasion { kind, hour: local_hour, trail, race_km: race_m.map(|m| m / 1000.0) };
            names::name(rng, &a.naming, occasion)
        }
    };
    Session {
        start_unix_s,
        utc_offset_s: offset,
        kind,
        minutes,
        race_m,
        route,
        temperature_c,
        fitness: fitness_at(a, week as f64 + weekday as f64 / 7.0) * (1.0 + rng.noise(0.008)),
        treadmill,
        with_hr,
        strides: kind == RunKind::Easy && rng.unit() < 0.12,
        easy_hr_bpm,
        name,
        named_kind,
        format,
        variant,
    }
}

/// A treadmill run has no track for a GPX.
fn format_for(format: FileFormat, treadmill: bool) -> FileFormat {
    match format {
        FileFormat::Gpx if treadmill => FileFormat::Tcx,
        FileFormat::StravaGpx if treadmill => FileFormat::StravaFitGz,
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summer_time_follows_eu_rules() {
        // 2025-03-30 00:30 UTC is still winter; 01:30 is summer.
        assert_eq!(utc_offset_s(1_743_294_600, 3600), 3600);
        assert_eq!(utc_offset_s(1_743_298_200, 3600), 7200);
        assert_eq!(utc_offset_s(1_752_000_000, 0), 3600);
        assert_eq!(utc_offset_s(1_765_000_000, 0), 0);
    }
}
