//! What the data itself gets wrong, end to end: a bad GPS fix, a date off
//! the calendar, an indoor session with no motion channel. Each once made a
//! run's figures (or the whole report) wrong.

mod support;

use std::fmt::Write as _;
use std::path::Path;

use runlens_sim::write::gpx_string;
use runlens_sim::{Plan, simulate};
use support::{column, read_csv, runlens};

const M_PER_DEG: f64 = 111_195.0;

fn analyze(input: &Path, out: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    runlens().arg("analyze").arg(input).args(["--quiet", "--out"]).arg(out).args(extra).assert()
}

fn number(rows: &[Vec<String>], name: &str) -> Vec<f64> {
    column(rows, name).iter().map(|v| v.parse().unwrap_or(f64::NAN)).collect()
}

#[test]
fn a_bad_first_gps_fix_neither_adds_distance_nor_changes_the_route() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    let run = simulate(&Plan { fixed_minutes: Some(12.0), ..Plan::new(4, 1) }).swap_remove(0);
    std::fs::write(input.join("a-clean.gpx"), gpx_string(&run)).unwrap();
    // The identical twin a day later, as a phone records it: the first fix
    // 3 km off, and one lone fix 2 km off in the middle of the run.
    let mut twin = run.clone();
    twin.start_unix_s += 86_400;
    for s in &mut twin.samples {
        s.unix_s += 86_400;
    }
    assert!(run.samples.iter().all(|s| s.lat_deg.is_some()), "an outdoor run");
    let mid = twin.samples.len() / 2;
    for (i, km) in [(0, 3.0), (mid, 2.0)] {
        let lat = twin.samples[i].lat_deg.as_mut().unwrap();
        *lat += km * 1000.0 / M_PER_DEG;
    }
    std::fs::write(input.join("b-bad-fixes.gpx"), gpx_string(&twin)).unwrap();
    let out = dir.path().join("out");
    analyze(&input, &out, &[]).success();
    let rows = read_csv(&out.join("activities.csv"));
    let distance = number(&rows, "distance_m");
    assert!(distance[0] > 1000.0, "{distance:?}");
    assert!((distance[0] - distance[1]).abs() < 10.0, "the bad fixes add no distance: {distance:?}");
    // The simulated GPS is noisy enough for a few jumps of its own.
    let jumps = number(&rows, "gps_jumps");
    assert!(
        jumps[0] < 20.0 && (jumps[1] - jumps[0] - 2.0).abs() < 0.5,
        "the two bad fixes, not the good ones after them: {jumps:?}"
    );
    let routes = column(&rows, "route_id");
    assert!(!routes[0].is_empty() && routes[0] == routes[1], "{routes:?}");
}

/// The simulated run's GPX with every timestamp moved to `day`.
fn gpx_on(day: &str) -> String {
    let run = simulate(&Plan { fixed_minutes: Some(20.0), ..Plan::new(3, 1) }).swap_remove(0);
    let own = chrono::DateTime::from_timestamp(run.start_unix_s, 0).unwrap().format("%Y-%m-%d").to_string();
    gpx_string(&run).replace(&own, day)
}

#[test]
fn activities_dated_before_2000_or_after_tomorrow_are_skipped_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    // A unix epoch, .NET's DateTime.MinValue, a clock set centuries ahead
    // (far enough that the test never depends on today's date).
    for day in ["1970-01-01", "0001-01-01", "2200-01-01"] {
        std::fs::write(input.join(format!("{day}.gpx")), gpx_on(day)).unwrap();
    }
    std::fs::write(input.join("good.gpx"), gpx_on("2024-06-03")).unwrap();
    let out = dir.path().join("out");
    analyze(&input, &out, &[]).success();
    let activities = read_csv(&out.join("activities.csv"));
    assert_eq!(column(&activities, "source").len(), 1, "only the good run is analyzed");
    assert!(column(&activities, "source")[0].ends_with("good.gpx"));
    let weekly = read_csv(&out.join("weekly.csv"));
    assert_eq!(weekly.len(), 2, "header and the good run's week: {weekly:?}");
    let skipped = read_csv(&out.join("skipped.csv"));
    let reason = |file: &str| skipped.iter().find(|r| r[0].ends_with(file)).map(|r| r[1].clone()).unwrap_or_default();
    assert!(reason("1970-01-01.gpx").starts_with("dated 1970-01-01, before 2000"), "{skipped:?}");
    assert!(reason("0001-01-01.gpx").starts_with("dated 0001-01-01, before 2000"), "{skipped:?}");
    assert!(reason("2200-01-01.gpx").starts_with("dated 2200-01-01, after tomorrow"), "{skipped:?}");
}

/// A TCX with time and heart rate only, as a treadmill without a foot pod
/// or a trainer ride records: 20 minutes ramping 140 -> 160 bpm, two
/// seconds at 135 bpm between two pauses, 8 minutes at 155 bpm.
fn indoor_tcx() -> String {
    let mut points: Vec<(i64, f64)> = (0..1200).map(|t| (t, 140.0 + 20.0 * t as f64 / 1200.0)).collect();
    points.extend([(1250, 135.0), (1251, 135.0)]);
    points.extend((1320..1800).map(|t| (t, 155.0)));
    let mut s = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"><Activities>
<Activity Sport="Running"><Id>2024-06-03T07:00:00Z</Id><Lap StartTime="2024-06-03T07:00:00Z"><Track>
"#,
    );
    for (t, hr) in points {
        let time = chrono::DateTime::from_timestamp(1_717_398_000 + t, 0).unwrap().format("%Y-%m-%dT%H:%M:%SZ");
        let _ = writeln!(
            s,
            "<Trackpoint><Time>{time}</Time><HeartRateBpm><Value>{hr:.0}</Value></HeartRateBpm></Trackpoint>"
        );
    }
    s.push_str("</Track></Lap></Activity></Activities></TrainingCenterDatabase>\n");
    s
}

#[test]
fn indoor_sessions_without_speed_or_distance_are_moving_not_standing() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("treadmill.tcx");
    std::fs::write(&input, indoor_tcx()).unwrap();
    let out = dir.path().join("out");
    analyze(&input, &out, &["--max-hr", "190", "--lthr", "170"]).success();
    let rows = read_csv(&out.join("activities.csv"));
    let avg = number(&rows, "avg_hr_bpm")[0];
    // 1,200 s averaging 150, 2 s at 135 and 480 s at 155 (the pauses out).
    let want = (1200.0 * 150.0 + 2.0 * 135.0 + 480.0 * 155.0) / 1682.0;
    assert!((avg - want).abs() < 1.0, "average HR {avg}, want {want:.1}");
    let zones: f64 = ["z1_s", "z2_s", "z3_s"].iter().map(|z| number(&rows, z)[0]).sum();
    assert!((zones - 1679.0).abs() < 2.0, "every second not paused is in a zone: {zones}");
    assert_eq!(column(&rows, "paused_s"), ["120"], "the two gaps are paused");
}

/// `RUNLENS_REALDATA`'s folder; skipping is loud, and fails in CI.
fn realdata() -> Option<std::path::PathBuf> {
    let dir = std::env::var_os("RUNLENS_REALDATA").map(std::path::PathBuf::from);
    match dir.filter(|d| d.join("reference.csv").exists()) {
        Some(dir) => Some(dir),
        None if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("CI=true but RUNLENS_REALDATA does not point at the real-data folder")
        }
        None => {
            eprintln!("skipped: set RUNLENS_REALDATA to the real-data folder to run this test");
            None
        }
    }
}

#[test]
fn a_real_trainer_ride_without_speed_averages_all_its_heart_rate() {
    let Some(dir) = realdata() else { return };
    // GoldenCheetah's TCX of an indoor ride: heart rate and cadence only.
    // Its peers (python-tcxparser, etree) average 149.46 bpm; runlens once
    // said 122.75, from the few seconds it did not take for standing.
    let file = dir.join("tcx/goldencheetah__2020-02-05_17-25-14_Training-with-Notes.tcx");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    analyze(&file, &out, &[]).success();
    let rows = read_csv(&out.join("activities.csv"));
    let avg = number(&rows, "avg_hr_bpm")[0];
    assert!((avg - 149.46).abs() < 1.0, "average HR {avg}");
}
