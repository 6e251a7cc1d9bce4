//! Inputs the fuzzers (fuzz/) found crashing runlens, rebuilt here from
//! what made them crash, each named after what it was. The binary must
//! analyze or skip them, never panic.

mod support;

use std::fmt::Write as _;

use support::{column, read_csv, runlens};

fn gpx(points: &[(&str, f64)]) -> String {
    let mut body = String::new();
    for (time, lat) in points {
        write!(
            body,
            "<trkpt lat=\"{lat}\" lon=\"8.0\"><time>{time}</time><extensions><hr>140</hr></extensions></trkpt>"
        )
        .unwrap();
    }
    format!(
        "<?xml version=\"1.0\"?>\n<gpx version=\"1.1\"><trk><type>running</type><trkseg>{body}</trkseg></trk></gpx>\n"
    )
}

/// fuzz target `gpx` (and `fit`): a track whose times span more than a
/// century overflowed the seconds counter of the pace-at-HR windows. Now the
/// far-off points are clock glitches, dropped and counted, for every format.
#[test]
fn a_track_spanning_a_century_is_a_clock_glitch_not_an_overflow() {
    let dir = tempfile::tempdir().unwrap();
    let mut points: Vec<(String, f64)> = (0..1200)
        .map(|i| (format!("2026-06-01T07:{:02}:{:02}Z", i / 60, i % 60), 47.0 + f64::from(i) * 1e-5))
        .collect();
    points.push(("1900-01-01T00:00:00Z".into(), 47.0));
    points.push(("2160-01-01T00:00:00Z".into(), 47.0));
    let refs: Vec<(&str, f64)> = points.iter().map(|(t, l)| (t.as_str(), *l)).collect();
    let path = dir.path().join("century.gpx");
    std::fs::write(&path, gpx(&refs)).unwrap();
    let out = dir.path().join("out");
    let assert = runlens().arg("analyze").arg(&path).arg("--out").arg(&out).assert().success();
    assert!(!String::from_utf8_lossy(&assert.get_output().stderr).contains("panicked"));
    let activities = read_csv(&out.join("activities.csv"));
    assert_eq!(column(&activities, "samples"), ["1200"]);
    assert_eq!(column(&activities, "start_time_utc"), ["2026-06-01T07:00:00Z"]);
    let duration: f64 = column(&activities, "duration_s")[0].parse().unwrap();
    assert!(duration < 1300.0, "{duration}");
}
