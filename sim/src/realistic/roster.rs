//! The six realistic athletes, each with its own physiology, habits,
//! devices and names (see the module doc of `realistic` for how each one
//! disagrees with runlens's model).

use super::names::{Language, Naming};
use super::{Athlete, Day, Drift, FileFormat, GradeCost, Habits, HrCurve, Recording, Sensor, Terrain};
use crate::athlete::Physiology;

const WEEK_S: i64 = 7 * 86_400;
/// Mondays, 00:00 UTC.
const MON_2024_06_03: i64 = 1_717_372_800;
const MON_2025_03_03: i64 = 1_740_960_000;
const MON_2025_06_02: i64 = 1_748_822_400;
const MON_2025_11_03: i64 = 1_762_128_000;
const HIGH_EASY_SLUMP_WEEK: i64 = 38;

fn body(rest: f64, max: f64, lthr_share: f64, lt1_share: f64) -> Physiology {
    let lthr = (max * lthr_share).round();
    Physiology {
        rest_hr_bpm: rest,
        // Unused by realistic runs (their curve is `HrCurve`); kept near the
        // curve's slope for anything reading it.
        hr_per_m_s: 30.0,
        max_hr_bpm: max,
        lthr_bpm: lthr,
        own_lt1_bpm: Some((lthr * lt1_share).round()),
    }
}

fn curve(p: &Physiology, v_lthr_m_s: f64, slope_bpm_per_m_s: f64, curvature: f64, deflection: f64) -> HrCurve {
    HrCurve { lthr_bpm: p.lthr_bpm, max_hr_bpm: p.max_hr_bpm, v_lthr_m_s, slope_bpm_per_m_s, curvature, deflection }
}

const DRIFT: Drift = Drift { base_bpm_per_h: 2.5, heat_bpm_per_h_per_c: 0.3, heat_offset_bpm_per_c: 0.15 };
const GRADE: GradeCost = GradeCost { up_linear: 4.5, up_quadratic: 7.0, down_linear: 3.0, down_quadratic: 16.0 };

/// A runner's usual week: Tuesday workout, easy days, Sunday long run.
const USUAL_WEEK: [(f64, Day); 7] = [
    (0.2, Day::Short),
    (0.8, Day::Workout),
    (0.75, Day::Easy),
    (0.55, Day::Easy),
    (0.25, Day::Short),
    (0.6, Day::Easy),
    (0.85, Day::Long),
];

const HABITS: Habits = Habits {
    days: USUAL_WEEK,
    easy_minutes: (30.0, 55.0),
    long_minutes: (75.0, 110.0),
    race_every_weeks: (6, 10),
    race_km: &[5.0, 10.0, 21.1],
    gray_share: 0.15,
    treadmill_share: 0.0,
    no_hr_share: 0.0,
    breaks: &[],
    morning_share: 0.5,
};

fn city() -> Athlete {
    let p = body(48.0, 191.0, 0.90, 0.84);
    Athlete {
        name: "city",
        seed: 101,
        first_monday_unix_s: MON_2025_03_03,
        weeks: 65,
        home: (46.519_6, 6.633_6, 420.0),
        standard_offset_s: 3600,
        curve: curve(&p, 4.1, 30.0, 0.35, 0.8),
        physiology: p,
        grade: GRADE,
        drift: DRIFT,
        hr_tau_s: 28.0,
        warm_up_hr_bpm: 8.0,
        easy_hr_share: 0.70,
        hill_effort: 0.5,
        hike_grade: 0.25,
        cadence_spm: 170.0,
        sensor: Sensor::Wrist,
        recording: Recording::Smart,
        auto_pause: true,
        terrain: Terrain::City,
        naming: Naming {
            languages: &[Language::English, Language::French],
            default_share: 0.55,
            misleading_share: 0.04,
            strava_defaults: true,
            city: "Lausanne",
        },
        formats: &[
            FileFormat::StravaFitGz,
            FileFormat::StravaFitGz,
            FileFormat::StravaFitGz,
            FileFormat::StravaFitGz,
            FileFormat::StravaFitGz,
            FileFormat::StravaGpx,
        ],
        habits: Habits { treadmill_share: 0.03, ..HABITS },
        climate: (11.0, 9.0),
        fitness: &[(0.0, 1.0), (26.0, 1.05), (65.0, 1.055)],
        slump_onset: None,
    }
}

fn italian() -> Athlete {
    let p = body(52.0, 178.0, 0.91, 0.81);
    Athlete {
        name: "italian",
        seed: 202,
        first_monday_unix_s: MON_2024_06_03,
        weeks: 104,
        home: (45.464_2, 9.19, 120.0),
        standard_offset_s: 3600,
        curve: curve(&p, 3.75, 38.0, -0.15, 0.5),
        physiology: p,
        grade: GradeCost { up_linear: 5.0, up_quadratic: 4.0, down_linear: 2.5, down_quadratic: 14.0 },
        drift: Drift { base_bpm_per_h: 3.5, ..DRIFT },
        hr_tau_s: 35.0,
        warm_up_hr_bpm: 6.0,
        easy_hr_share: 0.68,
        hill_effort: 0.6,
        hike_grade: 0.22,
        cadence_spm: 164.0,
        sensor: Sensor::Wrist,
        recording: Recording::Smart,
        auto_pause: false,
        terrain: Terrain::Rolling,
        naming: Naming {
            languages: &[Language::Italian],
            default_share: 0.1,
            misleading_share: 0.03,
            strava_defaults: false,
            city: "Milano",
        },
        formats: &[FileFormat::Gpx],
        habits: Habits {
            days: [
                (0.0, Day::Easy),
                (0.75, Day::Workout),
                (0.3, Day::Short),
                (0.7, Day::Easy),
                (0.0, Day::Easy),
                (0.55, Day::Easy),
                (0.85, Day::Long),
            ],
            breaks: &[(50, 60)],
            gray_share: 0.2,
            ..HABITS
        },
        climate: (13.5, 10.0),
        fitness: &[(0.0, 1.0), (30.0, 1.06), (50.0, 1.07), (60.0, 1.0), (80.0, 1.05), (104.0, 1.065)],
        slump_onset: None,
    }
}

fn alpine() -> Athlete {
    let p = body(45.0, 188.0, 0.89, 0.86);
    Athlete {
        name: "alpine",
        seed: 303,
        first_monday_unix_s: MON_2025_11_03,
        weeks: 26,
        home: (45.923_7, 6.869_4, 1035.0),
        standard_offset_s: 3600,
        curve: curve(&p, 3.55, 28.0, 0.25, 1.0),
        physiology: p,
        grade: GradeCost { up_linear: 4.0, up_quadratic: 9.0, down_linear: 2.8, down_quadratic: 15.0 },
        drift: DRIFT,
        hr_tau_s: 22.0,
        warm_up_hr_bpm: 10.0,
        easy_hr_share: 0.72,
        hill_effort: 0.7,
        hike_grade: 0.17,
        cadence_spm: 168.0,
        sensor: Sensor::Wrist,
        recording: Recording::EverySecond,
        auto_pause: false,
        terrain: Terrain::Alpine,
        naming: Naming {
            languages: &[Language::French],
            default_share: 0.5,
            misleading_share: 0.02,
            strava_defaults: false,
            city: "Chamonix",
        },
        formats: &[FileFormat::Fit, FileFormat::Fit, FileFormat::Gpx],
        habits: Habits {
            days: [
                (0.35, Day::Short),
                (0.7, Day::Workout),
                (0.7, Day::Easy),
                (0.6, Day::Short),
                (0.3, Day::Easy),
                (0.6, Day::Easy),
                (0.9, Day::Long),
            ],
            long_minutes: (80.0, 120.0),
            race_every_weeks: (8, 12),
            race_km: &[10.0, 23.0],
            gray_share: 0.1,
            ..HABITS
        },
        climate: (6.0, 9.0),
        fitness: &[(0.0, 1.0), (14.0, 1.04), (26.0, 1.045)],
        slump_onset: None,
    }
}

fn low_easy() -> Athlete {
    let p = body(42.0, 196.0, 0.862, 0.781);
    Athlete {
        name: "low_easy",
        seed: 404,
        first_monday_unix_s: MON_2025_06_02,
        weeks: 52,
        home: (52.52, 13.405, 40.0),
        standard_offset_s: 3600,
        curve: curve(&p, 4.3, 26.0, 0.45, 0.7),
        physiology: p,
        grade: GRADE,
        drift: Drift { base_bpm_per_h: 1.5, heat_bpm_per_h_per_c: 0.25, heat_offset_bpm_per_c: 0.1 },
        hr_tau_s: 40.0,
        warm_up_hr_bpm: 5.0,
        easy_hr_share: 0.62,
        hill_effort: 0.4,
        hike_grade: 0.25,
        cadence_spm: 176.0,
        sensor: Sensor::Chest,
        recording: Recording::Smart,
        auto_pause: false,
        terrain: Terrain::City,
        naming: Naming {
            languages: &[Language::German],
            default_share: 0.25,
            misleading_share: 0.03,
            strava_defaults: false,
            city: "Berlin",
        },
        formats: &[FileFormat::Tcx, FileFormat::Tcx, FileFormat::FitGz],
        habits: Habits {
            days: [
                (0.3, Day::Short),
                (0.8, Day::Workout),
                (0.8, Day::Easy),
                (0.4, Day::Workout),
                (0.0, Day::Easy),
                (0.75, Day::Easy),
                (0.9, Day::Long),
            ],
            treadmill_share: 0.05,
            no_hr_share: 0.05,
            gray_share: 0.05,
            morning_share: 0.7,
            ..HABITS
        },
        climate: (10.0, 10.0),
        fitness: &[(0.0, 1.0), (52.0, 1.06)],
        slump_onset: None,
    }
}

fn high_easy() -> Athlete {
    let p = body(62.0, 184.0, 0.929, 0.877);
    Athlete {
        name: "high_easy",
        seed: 505,
        first_monday_unix_s: MON_2025_06_02,
        weeks: 52,
        home: (40.416_8, -3.703_8, 660.0),
        standard_offset_s: 3600,
        curve: curve(&p, 3.6, 40.0, -0.2, 0.4),
        physiology: p,
        grade: GradeCost { up_linear: 4.8, up_quadratic: 6.0, down_linear: 3.2, down_quadratic: 18.0 },
        drift: Drift { base_bpm_per_h: 3.0, heat_bpm_per_h_per_c: 0.35, heat_offset_bpm_per_c: 0.2 },
        hr_tau_s: 25.0,
        warm_up_hr_bpm: 9.0,
        easy_hr_share: 0.78,
        hill_effort: 0.5,
        hike_grade: 0.22,
        cadence_spm: 172.0,
        sensor: Sensor::Wrist,
        recording: Recording::Smart,
        auto_pause: false,
        terrain: Terrain::Rolling,
        naming: Naming {
            languages: &[Language::Spanish],
            default_share: 0.3,
            misleading_share: 0.04,
            strava_defaults: false,
            city: "Madrid",
        },
        formats: &[FileFormat::Gpx, FileFormat::Gpx, FileFormat::TcxGz],
        habits: Habits { gray_share: 0.2, ..HABITS },
        climate: (15.0, 10.0),
        fitness: &[
            (0.0, 1.0),
            (20.0, 1.04),
            (HIGH_EASY_SLUMP_WEEK as f64, 1.05),
            (HIGH_EASY_SLUMP_WEEK as f64 + 6.0, 1.05 * 0.965),
            (52.0, 1.05 * 0.965),
        ],
        slump_onset: Some(MON_2025_06_02 + HIGH_EASY_SLUMP_WEEK * WEEK_S),
    }
}

fn steady() -> Athlete {
    let p = body(50.0, 182.0, 0.907, 0.824);
    Athlete {
        name: "steady",
        seed: 606,
        first_monday_unix_s: MON_2025_06_02,
        weeks: 52,
        home: (38.722_3, -9.139_3, 50.0),
        standard_offset_s: 0,
        curve: curve(&p, 3.9, 33.0, 0.1, 0.6),
        physiology: p,
        grade: GRADE,
        drift: Drift { base_bpm_per_h: 2.0, ..DRIFT },
        hr_tau_s: 30.0,
        warm_up_hr_bpm: 7.0,
        easy_hr_share: 0.66,
        hill_effort: 0.5,
        hike_grade: 0.25,
        cadence_spm: 166.0,
        sensor: Sensor::Chest,
        recording: Recording::Smart,
        auto_pause: false,
        terrain: Terrain::Flat,
        naming: Naming {
            languages: &[Language::Dutch, Language::Portuguese],
            default_share: 0.3,
            misleading_share: 0.03,
            strava_defaults: false,
            city: "Lisboa",
        },
        formats: &[FileFormat::Gpx, FileFormat::FitGz],
        habits: HABITS,
        // Lisbon's mild seasons: little heat to confound the flat fitness.
        climate: (17.0, 5.0),
        fitness: &[(0.0, 1.0), (52.0, 1.0)],
        slump_onset: None,
    }
}

/// The realistic athletes, deterministic.
pub fn athletes() -> Vec<Athlete> {
    vec![city(), italian(), alpine(), low_easy(), high_easy(), steady()]
}
