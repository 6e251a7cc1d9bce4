//! Local time: each activity's days are where it was recorded (its FIT
//! offset, else the zone at its first position, else the setting, else a
//! FIT of the same weeks), and the machine's own time zone changes nothing.

mod support;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use runlens::parse::fit::{self, Decoder};
use runlens_sim::fit::{Base, FitWriter, fit_time, mesg};
use support::{column, read_csv, runlens};

/// Sunday 2025-07-06 18:00 in Los Angeles (PDT, -07:00): Monday 01:00 UTC.
const LA_SUNDAY_18H: i64 = 1_751_850_000;
/// Sunday 2025-07-06 20:00 in Los Angeles: Monday 03:00 UTC.
const LA_SUNDAY_20H: i64 = 1_751_857_200;
/// Sunday 2025-07-06 23:30 in Los Angeles: Monday 06:30 UTC.
const LA_SUNDAY_23H30: i64 = 1_751_869_800;
/// Saturday 2025-07-05 08:00 in Los Angeles.
const LA_SATURDAY_8H: i64 = 1_751_727_600;
const LA: (f64, f64) = (34.0522, -118.2437);
const PDT_S: i32 = -7 * 3600;
/// The Monday of the week of Sunday 2025-07-06.
const SUNDAYS_WEEK: &str = "2025-06-30";

/// A GPX run at `at` (lat, lon), heading north at 3 m/s, a point every 10 s.
fn gpx(start_unix_s: i64, at: (f64, f64), minutes: i64) -> String {
    let mut points = String::new();
    for i in 0..=minutes * 6 {
        let time = chrono::DateTime::from_timestamp(start_unix_s + i * 10, 0).unwrap().to_rfc3339();
        let lat = at.0 + i as f64 * 30.0 / 111_195.0;
        let _ = writeln!(
            points,
            "<trkpt lat=\"{lat:.6}\" lon=\"{:.6}\"><time>{time}</time><extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>140</gpxtpx:hr></gpxtpx:TrackPointExtension></extensions></trkpt>",
            at.1
        );
    }
    format!(
        "<?xml version=\"1.0\"?>\n<gpx version=\"1.1\" creator=\"test\" xmlns=\"http://www.topografix.com/GPX/1/1\" xmlns:gpxtpx=\"http://www.garmin.com/xmlschemas/TrackPointExtension/v1\"><trk><type>running</type><trkseg>\n{points}</trkseg></trk></gpx>\n"
    )
}

/// A TCX run with distance and heart rate but no positions (a treadmill, a
/// watch without GPS).
fn tcx_without_positions(start_unix_s: i64, minutes: i64) -> String {
    let time = |s: i64| chrono::DateTime::from_timestamp(s, 0).unwrap().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let mut points = String::new();
    for i in 0..=minutes * 6 {
        let _ = writeln!(
            points,
            "<Trackpoint><Time>{}</Time><DistanceMeters>{}</DistanceMeters><HeartRateBpm><Value>140</Value></HeartRateBpm></Trackpoint>",
            time(start_unix_s + i * 10),
            i * 30
        );
    }
    let start = time(start_unix_s);
    format!(
        "<?xml version=\"1.0\"?>\n<TrainingCenterDatabase xmlns=\"http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2\"><Activities><Activity Sport=\"Running\"><Id>{start}</Id><Lap StartTime=\"{start}\"><Track>\n{points}</Track></Lap></Activity></Activities></TrainingCenterDatabase>\n"
    )
}

/// A FIT run whose activity message says the watch's clock was `offset_s`
/// ahead of UTC. With `packed_speed`, its records carry an old device's
/// compressed speed/distance field, which the fast decoder leaves to
/// fitparser.
fn fit_run(start_unix_s: i64, offset_s: i32, minutes: i64, packed_speed: bool) -> Vec<u8> {
    let t0 = fit_time(start_unix_s);
    let end = t0 + minutes * 60;
    let mut w = FitWriter::new();
    w.define(0, mesg::FILE_ID, &[(0, Base::Enum)]);
    w.data(0, &[Some(4)]);
    let mut fields = vec![(253, Base::UInt32), (0, Base::SInt32), (1, Base::SInt32), (3, Base::UInt8)];
    if packed_speed {
        fields.push((8, Base::Bytes(3)));
    }
    w.define(1, mesg::RECORD, &fields);
    // Degrees within +-180 fit a semicircle count (i32) exactly after rounding.
    #[allow(clippy::cast_possible_truncation)]
    let semicircles = |deg: f64| Some((deg * 2_147_483_648.0 / 180.0).round() as i64);
    let speed_cm_s = 300;
    for i in 0..=minutes * 6 {
        let mut values = vec![Some(t0 + i * 10), semicircles(LA.0 + i as f64 * 0.00027), semicircles(LA.1), Some(140)];
        if packed_speed {
            // Speed 3.00 m/s (12 bits, cm/s) and distance (12 bits, 1/16 m, rolling over).
            values.push(Some(speed_cm_s | (((i * 30 * 16) % 4096) << 12)));
        }
        w.data(1, &values);
    }
    w.define(2, mesg::SESSION, &[(253, Base::UInt32), (2, Base::UInt32), (5, Base::Enum), (7, Base::UInt32)]);
    w.data(2, &[Some(end), Some(t0), Some(1), Some(minutes * 60_000)]);
    w.define(3, mesg::ACTIVITY, &[(253, Base::UInt32), (5, Base::UInt32)]);
    w.data(3, &[Some(end), Some(end + i64::from(offset_s))]);
    w.finish()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    std::fs::write(dir.join(name), bytes).unwrap();
}

/// Run `analyze` on `input` with `TZ=zone` and `extra` flags; the output folder.
fn analyze_in_zone(input: &Path, out: &Path, zone: &str, extra: &[&str]) {
    runlens().env("TZ", zone).arg("analyze").arg(input).arg("-o").arg(out).arg("-q").args(extra).assert().success();
}

/// Every file under `dir`, by relative path, with its bytes.
fn all_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let name = path.strip_prefix(dir).unwrap().display().to_string();
                files.insert(name, std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

/// (`start_time_utc`, `utc_offset_s`, `utc_offset_source`) per activity row.
fn offsets(out: &Path) -> Vec<(String, String, String)> {
    let rows = read_csv(&out.join("activities.csv"));
    let (start, offset, source) =
        (column(&rows, "start_time_utc"), column(&rows, "utc_offset_s"), column(&rows, "utc_offset_source"));
    start.into_iter().zip(offset).zip(source).map(|((a, b), c)| (a, b, c)).collect()
}

/// (`week_start`, `runs`) of every week with a run.
fn weeks_with_runs(out: &Path) -> Vec<(String, String)> {
    let rows = read_csv(&out.join("weekly.csv"));
    column(&rows, "week_start").into_iter().zip(column(&rows, "runs")).filter(|(_, runs)| runs != "0").collect()
}

/// A FIT file that goes through fitparser: the watch's offset must come out
/// as the file says, in whatever zone the tests run (CI runs them in
/// `America/New_York` and `Australia/Lord_Howe` too).
#[test]
fn fitparser_fallback_reads_the_watch_offset_whatever_the_host_zone() {
    let bytes = fit_run(LA_SUNDAY_23H30, PDT_S, 20, true);
    let (activities, decoder) = fit::parse_with(&bytes).expect("fitparser reads it");
    assert_eq!(decoder, Decoder::Reference, "the packed speed field must send the file to fitparser");
    assert_eq!(activities[0].meta.utc_offset_s, Some(PDT_S));
    assert_eq!(fit::parse(&fit_run(LA_SUNDAY_23H30, PDT_S, 20, false)).unwrap()[0].meta.utc_offset_s, Some(PDT_S));
}

/// The same analysis on machines in five zones (one a POSIX rule, which
/// needs no tz database) writes the same bytes into every output file.
/// Nothing in the outputs is wall-clock time of the run itself.
#[test]
fn host_time_zone_never_leaks_into_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("exports");
    std::fs::create_dir(&input).unwrap();
    write(&input, "fallback.fit", &fit_run(LA_SUNDAY_23H30, PDT_S, 30, true));
    write(&input, "fast.fit", &fit_run(LA_SATURDAY_8H, PDT_S, 40, false));
    write(&input, "la.gpx", gpx(LA_SUNDAY_18H, LA, 30).as_bytes());
    write(&input, "treadmill.tcx", tcx_without_positions(LA_SUNDAY_20H, 25).as_bytes());
    let zones = ["UTC", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "EST5EDT,M3.2.0,M11.1.0"];
    let mut reference: Option<BTreeMap<String, Vec<u8>>> = None;
    for (i, zone) in zones.iter().enumerate() {
        let out = dir.path().join(format!("out-{i}"));
        analyze_in_zone(&input, &out, zone, &[]);
        let files = all_files(&out);
        assert!(files.contains_key("activities.csv") && files.contains_key("report.html"), "{zone}: {files:?}");
        match &reference {
            None => reference = Some(files),
            Some(utc) => {
                assert_eq!(utc.keys().collect::<Vec<_>>(), files.keys().collect::<Vec<_>>(), "{zone}: file list");
                for (name, bytes) in &files {
                    assert!(utc[name] == *bytes, "{name} differs with TZ={zone} from TZ=UTC");
                }
            }
        }
    }
}

#[test]
fn sunday_evening_gpx_in_los_angeles_counts_in_sundays_week() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("la.gpx");
    write(dir.path(), "la.gpx", gpx(LA_SUNDAY_18H, LA, 30).as_bytes());
    let out = dir.path().join("out");
    analyze_in_zone(&input, &out, "UTC", &[]);
    assert_eq!(
        offsets(&out),
        [("2025-07-07T01:00:00Z".to_owned(), PDT_S.to_string(), "position".to_owned())],
        "the zone at the first position, with its summer rules"
    );
    assert_eq!(weeks_with_runs(&out), [(SUNDAYS_WEEK.to_owned(), "1".to_owned())]);
    let routes = read_csv(&out.join("routes.csv"));
    assert_eq!(column(&routes, "first_run"), ["2025-07-06"], "routes.csv dates are local days");
}

/// `--since`/`--until` name local days: Sunday's run is Sunday's.
#[test]
fn since_and_until_select_a_gpx_by_its_local_day() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("la.gpx");
    write(dir.path(), "la.gpx", gpx(LA_SUNDAY_18H, LA, 30).as_bytes());
    let out = dir.path().join("out");
    analyze_in_zone(&input, &out, "UTC", &["--since", "2025-07-06", "--until", "2025-07-06"]);
    assert_eq!(offsets(&out).len(), 1);
}

/// Sydney leaves daylight saving time on 2025-04-06 at 03:00 (+11:00 to
/// +10:00): a January run is +11:00, and one at 23:30 that Sunday is +10:00,
/// still Sunday (with January's offset it would be Monday, the next week).
#[test]
fn sydney_gpx_offsets_follow_daylight_saving_time() {
    const SYDNEY: (f64, f64) = (-33.8688, 151.2093);
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("sydney");
    std::fs::create_dir(&input).unwrap();
    write(&input, "january.gpx", gpx(1_736_625_600, SYDNEY, 30).as_bytes());
    write(&input, "april.gpx", gpx(1_743_946_200, SYDNEY, 20).as_bytes());
    let out = dir.path().join("out");
    analyze_in_zone(&input, &out, "UTC", &[]);
    let offsets: Vec<(String, String)> = offsets(&out).into_iter().map(|(_, o, s)| (o, s)).collect();
    assert_eq!(offsets, [("39600".to_owned(), "position".to_owned()), ("36000".to_owned(), "position".to_owned())]);
    let weeks = weeks_with_runs(&out);
    assert_eq!(weeks, [("2025-01-06".to_owned(), "1".to_owned()), ("2025-03-31".to_owned(), "1".to_owned())]);
}

/// A TCX without positions takes the offset of the athlete's FIT run the
/// day before: Sunday 20:00 in Los Angeles is Sunday, not UTC's Monday.
#[test]
fn position_less_tcx_takes_the_offset_of_a_fit_the_same_week() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("exports");
    std::fs::create_dir(&input).unwrap();
    write(&input, "saturday.fit", &fit_run(LA_SATURDAY_8H, PDT_S, 40, false));
    write(&input, "treadmill.tcx", tcx_without_positions(LA_SUNDAY_20H, 25).as_bytes());
    let out = dir.path().join("out");
    analyze_in_zone(&input, &out, "UTC", &[]);
    let sources: Vec<(String, String)> = offsets(&out).into_iter().map(|(_, o, s)| (o, s)).collect();
    assert_eq!(sources, [(PDT_S.to_string(), "device".to_owned()), (PDT_S.to_string(), "nearby".to_owned())]);
    assert_eq!(weeks_with_runs(&out), [(SUNDAYS_WEEK.to_owned(), "2".to_owned())]);
}

/// A lone position-less file goes by `--utc-offset` (or `[analysis]
/// utc_offset`, which also takes a zone name); a bad value is a usage error.
#[test]
fn utc_offset_setting_places_a_position_less_file() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("treadmill.tcx");
    write(dir.path(), "treadmill.tcx", tcx_without_positions(LA_SUNDAY_20H, 25).as_bytes());
    let out = dir.path().join("out");
    analyze_in_zone(&input, &out, "UTC", &[]);
    assert_eq!(offsets(&out)[0].2, "none", "nothing to go by: UTC");
    assert_eq!(weeks_with_runs(&out)[0].0, "2025-07-07");

    analyze_in_zone(&input, &out, "UTC", &["--utc-offset", "-07:00"]);
    assert_eq!(offsets(&out)[0].1, PDT_S.to_string());
    assert_eq!(offsets(&out)[0].2, "setting");
    assert_eq!(weeks_with_runs(&out), [(SUNDAYS_WEEK.to_owned(), "1".to_owned())]);

    let config = dir.path().join("runlens.toml");
    std::fs::write(&config, "[analysis]\nutc_offset = \"America/Los_Angeles\"\n").unwrap();
    analyze_in_zone(&input, &out, "UTC", &["--config", config.to_str().unwrap()]);
    assert_eq!((offsets(&out)[0].1.as_str(), offsets(&out)[0].2.as_str()), ("-25200", "setting"));

    let bad = runlens().arg("analyze").arg(&input).arg("-o").arg(&out).args(["--utc-offset", "+25:00"]).assert();
    let stderr = String::from_utf8_lossy(&bad.get_output().stderr).into_owned();
    bad.code(2);
    assert!(stderr.contains("+25:00") && stderr.contains("Europe/Paris"), "{stderr}");

    // A bad value in the file is named where it was given, not as the flag.
    std::fs::write(&config, "[analysis]\nutc_offset = \"Mars/Olympus\"\n").unwrap();
    let bad = runlens().arg("analyze").arg(&input).arg("-o").arg(&out).arg("--config").arg(&config).assert();
    let stderr = String::from_utf8_lossy(&bad.get_output().stderr).into_owned();
    bad.code(2);
    assert!(stderr.contains("[analysis] utc_offset in") && !stderr.contains("--utc-offset"), "{stderr}");
}
