//! Simulated running data for runlens: a physiology-driven runner, writers
//! for FIT, GPX and TCX, and Strava-style export zips. Used to build the
//! embedded demo export, test fixtures with known truth, and benchmarks.

// Simulation code turns seconds, metres and counts into floats and back all
// the time, on values far from any precision or range limit; and it is test
// support, whose panics (writing to memory) are bugs, not documented errors.
#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_possible_wrap,
    clippy::cast_sign_loss,
    clippy::missing_panics_doc
)]

pub mod athlete;
pub mod bench;
pub mod export;
pub mod fit;
pub mod fixtures;
pub mod realistic;
pub mod schedule;
pub mod squad;
pub mod write;

pub use athlete::{Physiology, Plan, RunKind, SimActivity, SimSport, simulate};

/// 2026-06-01T00:00:00Z, a Monday.
pub const DEMO_FIRST_MONDAY: i64 = 1_780_272_000;

/// The demo runner: 14 weeks of running and some riding, six weeks in a rut
/// (the same loop on the same weekday), a two-week layoff,
/// in a UTC+2 summer, recorded every 5 s like a watch's smart recording.
pub fn demo_plan() -> Plan {
    Plan {
        utc_offset_s: 7200,
        step_s: 5,
        layoff_weeks: vec![9, 10],
        with_rides: true,
        gray_share: 0.3,
        rut_weeks: 6,
        ..Plan::new(7, 14)
    }
}

/// The demo export: a Strava-style zip, mostly `.fit.gz`, some GPX and TCX,
/// and one run also saved as a GPX (a duplicate runlens must merge).
pub fn demo_export() -> Vec<u8> {
    let activities = simulate(&demo_plan());
    let kind = |i: usize| match i % 12 {
        5 => export::FileKind::Gpx,
        11 => export::FileKind::TcxGz,
        _ => export::FileKind::FitGz,
    };
    let mut zip = export::strava_zip(&activities, kind);
    zip.add("activities/duplicate-of-10000002.gpx", write::gpx_string(&activities[2]).as_bytes());
    zip.finish()
}
