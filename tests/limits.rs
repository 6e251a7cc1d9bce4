//! Hostile and absurd inputs, each with its limit: zip bombs (ratio and
//! depth), oversized files, XML entity bombs and absurd nesting, and
//! activities with impossible times, values and lap counts. None may crash
//! runlens, hang it, fill memory, or produce an absurd metric; each is
//! skipped with a reason or analyzed with the nonsense set aside.

mod support;

use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

use runlens_sim::export::ZipBuilder;
use runlens_sim::fit::{Base, FitWriter, fit_time, mesg};
use support::{column, read_csv, runlens};

/// Analyze `inputs`, expecting exit 0 or 1; returns (activities, skipped).
fn analyze(dir: &Path, inputs: &[&Path]) -> (Vec<Vec<String>>, Vec<Vec<String>>) {
    let out = dir.join("out");
    let assert = runlens().arg("analyze").args(inputs).arg("--quiet").arg("--out").arg(&out).assert();
    let output = assert.get_output();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(matches!(output.status.code(), Some(0 | 1)), "{stderr}");
    (read_csv(&out.join("activities.csv")), read_csv(&out.join("skipped.csv")))
}

fn reason(skipped: &[Vec<String>], file: &str) -> String {
    skipped
        .iter()
        .find(|r| r[0].ends_with(file))
        .map_or_else(|| panic!("{file} not skipped: {skipped:?}"), |r| r[1].clone())
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

#[test]
fn zip_bombs_stop_at_the_ratio_and_depth_limits() {
    let dir = tempfile::tempdir().unwrap();
    let zeros = vec![0u8; 64 << 20];
    let mut bomb = ZipBuilder::default();
    bomb.add("activities/bomb.fit", &zeros);
    std::fs::write(dir.path().join("bomb.zip"), bomb.finish()).unwrap();
    std::fs::write(dir.path().join("bomb.fit.gz"), gzip(&zeros)).unwrap();
    // Six zips deep: Garmin nests two.
    let mut deep = ZipBuilder::default();
    deep.add("run.fit", &runlens_sim::bench::hour_runs_fit(1)[0]);
    let mut bytes = deep.finish();
    for level in 0..6 {
        let mut outer = ZipBuilder::default();
        outer.add(&format!("level-{level}.zip"), &bytes);
        bytes = outer.finish();
    }
    std::fs::write(dir.path().join("deep.zip"), bytes).unwrap();
    // Beside an intact run: a run that analyzes nothing writes no skipped.csv.
    let mut inputs = ["bomb.zip", "bomb.fit.gz", "deep.zip"].map(|f| dir.path().join(f)).to_vec();
    inputs.push(support::fixtures().join("short-run.gpx"));
    let (_, skipped) = analyze(dir.path(), &inputs.iter().map(AsRef::as_ref).collect::<Vec<_>>());
    assert!(reason(&skipped, "bomb.zip!activities/bomb.fit").contains("zip bomb"));
    assert!(reason(&skipped, "bomb.fit.gz").contains("zip bomb"));
    assert!(reason(&skipped, "level-2.zip").contains("nested more than 4 levels"));
}

#[test]
fn a_file_larger_than_any_activity_is_refused_unread() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("huge.gpx");
    // Sparse: 300 MiB on paper, nothing on disk.
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(300 << 20).unwrap();
    let (_, skipped) = analyze(dir.path(), &[&big, &support::fixtures().join("short-run.gpx")]);
    assert!(reason(&skipped, "huge.gpx").contains("more than 256 MiB"), "{skipped:?}");
}

const GPX_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?>"#;

#[test]
fn xml_entity_bombs_and_absurd_nesting_are_refused_quickly() {
    let dir = tempfile::tempdir().unwrap();
    let mut laughs = String::from("<!DOCTYPE gpx [<!ENTITY l0 \"lol\">");
    for i in 1..10 {
        let refs = format!("&l{};", i - 1).repeat(10);
        write!(laughs, "<!ENTITY l{i} \"{refs}\">").unwrap();
    }
    laughs.push(']');
    laughs.push('>');
    let bomb = format!(
        "{GPX_HEAD}\n{laughs}\n<gpx version=\"1.1\"><trk><name>&l9;</name><trkseg><trkpt lat=\"1\" lon=\"1\"><time>2026-01-01T00:00:00Z</time></trkpt></trkseg></trk></gpx>"
    );
    std::fs::write(dir.path().join("laughs.gpx"), bomb).unwrap();
    let depth = 200_000;
    let nested = format!(
        "{GPX_HEAD}<gpx version=\"1.1\">{}{}</gpx>",
        "<extensions>".repeat(depth),
        "</extensions>".repeat(depth)
    );
    std::fs::write(dir.path().join("nested.gpx"), nested).unwrap();
    let started = std::time::Instant::now();
    let inputs = [dir.path().join("laughs.gpx"), dir.path().join("nested.gpx")];
    let (activities, skipped) = analyze(dir.path(), &inputs.iter().map(AsRef::as_ref).collect::<Vec<_>>());
    assert!(started.elapsed().as_secs() < 30, "took {:?}", started.elapsed());
    // Entities are never expanded: the name stays unresolved or the file is refused.
    let names = column(&activities, "name");
    assert!(names.iter().all(|n| n.len() < 1000), "an entity was expanded");
    assert!(skipped.len() + activities.len() - 2 == 2, "{skipped:?}");
    assert!(reason(&skipped, "nested.gpx").contains("no recorded points"));
}

/// One FIT run with every kind of nonsense a damaged watch writes.
fn absurd_fit() -> Vec<u8> {
    let start = fit_time(1_780_000_000);
    let mut w = FitWriter::new();
    w.define(0, mesg::FILE_ID, &[(0, Base::Enum)]);
    w.data(0, &[Some(4)]);
    w.define(
        1,
        mesg::RECORD,
        &[(253, Base::UInt32), (0, Base::SInt32), (1, Base::SInt32), (3, Base::UInt8), (6, Base::UInt16)],
    );
    let semis = |deg: f64| {
        #[allow(clippy::cast_possible_truncation)]
        let v = (deg * 2_147_483_648.0 / 180.0) as i64;
        Some(v)
    };
    for i in 0..1800 {
        // Repeated and backwards timestamps in the middle.
        let t = match i {
            600..=610 => start + 600,
            700 => start + 650,
            _ => start + i,
        };
        let lat = if i == 900 { semis(100.0) } else { semis(47.0 + f64::from(u16::try_from(i).unwrap()) * 1e-5) };
        w.data(1, &[Some(t), lat, semis(8.0), Some(140), Some(3000)]);
    }
    // A hundred years ahead and before: clock glitches.
    w.data(1, &[Some(start + 100 * 365 * 86_400), semis(47.0), semis(8.0), Some(150), Some(3000)]);
    w.data(1, &[Some(fit_time(1_000_000_000)), semis(47.0), semis(8.0), Some(150), Some(3000)]);
    w.define(2, mesg::LAP, &[(253, Base::UInt32), (2, Base::UInt32)]);
    for i in 0..1_000_000 {
        w.data(2, &[Some(start + 1799), Some(start + i % 1800)]);
    }
    // A session claiming a negative duration (it starts after its end).
    w.define(3, mesg::SESSION, &[(253, Base::UInt32), (2, Base::UInt32), (5, Base::Enum), (7, Base::UInt32)]);
    w.data(3, &[Some(start + 1799), Some(start + 5000), Some(1), Some(0xFFFF_FFF0)]);
    w.finish()
}

#[test]
fn impossible_times_values_and_a_million_laps_are_set_aside() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("absurd.fit");
    std::fs::write(&path, absurd_fit()).unwrap();
    let started = std::time::Instant::now();
    let (activities, skipped) = analyze(dir.path(), &[&path]);
    assert!(started.elapsed().as_secs() < 60, "took {:?}", started.elapsed());
    assert_eq!(activities.len(), 2, "analyzed: {skipped:?}");
    let num = |name: &str| column(&activities, name)[0].parse::<f64>().unwrap();
    // 30 minutes of records: the glitches 100 years away do not stretch it.
    assert!((1700.0..=1900.0).contains(&num("duration_s")), "{}", num("duration_s"));
    assert!(num("avg_hr_bpm") > 100.0 && num("avg_hr_bpm") < 200.0);
    assert!(num("distance_m") < 10_000.0, "{}", num("distance_m"));
    assert_eq!(column(&activities, "start_time_utc")[0], "2026-05-28T20:26:40Z");
}

/// A 20-minute GPX run; `extensions` goes inside its first point.
fn gpx_run(extensions: &str) -> String {
    let mut points = String::new();
    for i in 0..1200 {
        let ext = if i == 0 { extensions } else { "<extensions><hr>140</hr></extensions>" };
        let lat = 47.0 + f64::from(i) * 3e-5;
        write!(
            points,
            "<trkpt lat=\"{lat}\" lon=\"8.0\"><time>2026-03-01T07:{:02}:{:02}Z</time>{ext}</trkpt>",
            i / 60,
            i % 60
        )
        .unwrap();
    }
    format!("{GPX_HEAD}<gpx version=\"1.1\"><trk><type>running</type><trkseg>{points}</trkseg></trk></gpx>")
}

/// A 20-minute TCX run, its `<Activity>` wrapped in `open`...`close` and
/// `extensions` inside its first trackpoint.
fn tcx_run(open: &str, close: &str, extensions: &str) -> String {
    let mut points = String::new();
    for i in 0..1200 {
        let ext = if i == 0 { extensions } else { "" };
        let lat = 46.0 + f64::from(i) * 3e-5;
        write!(
            points,
            "<Trackpoint><Time>2026-03-02T07:{:02}:{:02}Z</Time><Position><LatitudeDegrees>{lat}</LatitudeDegrees>\
             <LongitudeDegrees>6.6</LongitudeDegrees></Position><HeartRateBpm><Value>140</Value></HeartRateBpm>{ext}</Trackpoint>",
            i / 60,
            i % 60
        )
        .unwrap();
    }
    format!(
        "{GPX_HEAD}<TrainingCenterDatabase><Activities>{open}<Activity Sport=\"Running\"><Id>2026-03-02T07:00:00Z</Id>\
         <Lap><TotalTimeSeconds>1200</TotalTimeSeconds><Track>{points}</Track></Lap></Activity>{close}</Activities></TrainingCenterDatabase>"
    )
}

const HOSTILE_DEPTH: usize = 100_000;

/// Analyze the good fixture beside `hostile`: the batch must finish, the
/// good file be analyzed, and the hostile one analyzed or skipped with a
/// reason. Returns whether the hostile file was analyzed.
fn good_file_survives_beside(name: &str, hostile: &str) -> bool {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.gpx");
    std::fs::copy(support::fixtures().join("short-run.gpx"), &good).unwrap();
    let bad = dir.path().join(name);
    std::fs::write(&bad, hostile).unwrap();
    let (activities, skipped) = analyze(dir.path(), &[&good, &bad]);
    let sources = column(&activities, "source");
    assert!(sources.iter().any(|s| s.ends_with("good.gpx")), "good file lost: {sources:?} {skipped:?}");
    let analyzed = sources.iter().any(|s| s.ends_with(name));
    assert!(analyzed || !reason(&skipped, name).is_empty(), "{name} neither analyzed nor skipped");
    analyzed
}

#[test]
fn a_gpx_nesting_100000_unknown_elements_in_extensions_does_not_abort_the_batch() {
    let nest =
        format!("<extensions>{}<hr>150</hr>{}</extensions>", "<v>".repeat(HOSTILE_DEPTH), "</v>".repeat(HOSTILE_DEPTH));
    assert!(good_file_survives_beside("deep-extensions.gpx", &gpx_run(&nest)));
}

#[test]
fn a_tcx_nesting_multisport_sessions_100000_deep_does_not_abort_the_batch() {
    let open = "<MultiSportSession><FirstSport>".repeat(HOSTILE_DEPTH / 2);
    let close = "</FirstSport></MultiSportSession>".repeat(HOSTILE_DEPTH / 2);
    assert!(good_file_survives_beside("deep-multisport.tcx", &tcx_run(&open, &close, "")));
}

#[test]
fn a_tcx_nesting_100000_unknown_elements_in_trackpoint_extensions_does_not_abort_the_batch() {
    let nest = format!(
        "<Extensions>{}<Speed>3</Speed>{}</Extensions>",
        "<TPX>".repeat(HOSTILE_DEPTH),
        "</TPX>".repeat(HOSTILE_DEPTH)
    );
    assert!(good_file_survives_beside("deep-extensions.tcx", &tcx_run("", "", &nest)));
}
