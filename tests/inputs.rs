//! What a user feeds in or types must never double-count a run or destroy
//! a result: files named twice, copies under two names, a period with
//! nothing in it, Strava indexes that cannot be read, imperial units.

mod support;

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use support::{column, fixtures, read_csv, runlens};

/// Every file under `dir` with its bytes, by relative path.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                todo.push(path);
            } else {
                out.insert(path.strip_prefix(dir).unwrap().to_path_buf(), fs::read(&path).unwrap());
            }
        }
    }
    out
}

fn stderr_of(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
}

#[test]
fn a_typo_in_since_leaves_the_previous_report_untouched() {
    let dir = tempfile::tempdir().unwrap();
    runlens().current_dir(dir.path()).args(["analyze", "--quiet", "--out", "out"]).assert().success();
    let before = tree(&dir.path().join("out"));
    assert!(before.contains_key(Path::new("report.html")));
    let assert = runlens()
        .current_dir(dir.path())
        .args(["analyze", "--quiet", "--since", "2030-01-01", "--out", "out"])
        .assert();
    let stderr = stderr_of(&assert.code(1));
    assert!(stderr.contains("none of the 60 activities found (from 2026-"), "{stderr}");
    assert!(stderr.contains("falls on or after 2030-01-01"), "{stderr}");
    assert!(stderr.contains("change --since/--until"), "{stderr}");
    assert!(tree(&dir.path().join("out")) == before, "the previous output changed");
    let names: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names, ["out"], "nothing left beside it");
}

#[test]
fn a_run_that_analyzes_nothing_creates_no_output_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("results/out");
    let assert = runlens()
        .arg("analyze")
        .arg(fixtures().join("broken/empty.tcx"))
        .arg(fixtures().join("broken/settings.fit"))
        .arg("--out")
        .arg(&out)
        .assert()
        .code(1);
    let stderr = stderr_of(&assert);
    assert!(stderr.contains("2 files were skipped ("), "{stderr}");
    assert!(stderr.contains("empty.tcx: the file is empty; 1 other listed above"), "{stderr}");
    assert!(stderr.contains("nothing was written to"), "{stderr}");
    assert!(!dir.path().join("results").exists(), "an output folder of empty tables was made");
}

/// A folder holding one run, plus the analysis of it alone.
fn one_run_folder(dir: &Path) -> (PathBuf, Vec<Vec<String>>) {
    let input = dir.join("runs");
    fs::create_dir(&input).unwrap();
    fs::copy(fixtures().join("short-run.fit"), input.join("a.fit")).unwrap();
    let out = dir.join("alone");
    runlens().arg("analyze").arg(&input).arg("--quiet").arg("--out").arg(&out).assert().success();
    (input, read_csv(&out.join("activities.csv")))
}

#[test]
fn same_file_given_twice_is_counted_once() {
    let dir = tempfile::tempdir().unwrap();
    let (input, alone) = one_run_folder(dir.path());
    let out = dir.path().join("twice");
    runlens()
        .arg("analyze")
        .arg(&input)
        .arg(input.join("a.fit"))
        .arg("--quiet")
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let rows = read_csv(&out.join("activities.csv"));
    assert_eq!(rows, alone, "one row, as when the folder is given alone");
    assert!(column(&rows, "activity_id").iter().all(|id| !id.contains('~')));
    assert_eq!(read_csv(&out.join("skipped.csv")).len(), 1, "no entry for a name given twice");
}

#[test]
fn a_zip_named_twice_by_a_glob_is_counted_once() {
    let dir = tempfile::tempdir().unwrap();
    let zip = fixtures().join("demo/demo-export.zip");
    for (name, times) in [("once", 1), ("twice", 2)] {
        let mut cmd = runlens();
        cmd.arg("analyze");
        for _ in 0..times {
            cmd.arg(&zip);
        }
        cmd.arg("--quiet").arg("--out").arg(dir.path().join(name)).assert().success();
    }
    for table in ["activities.csv", "weekly.csv", "skipped.csv"] {
        let (once, twice) = (dir.path().join("once").join(table), dir.path().join("twice").join(table));
        assert!(fs::read(once).unwrap() == fs::read(twice).unwrap(), "{table} differs");
    }
}

#[test]
fn identical_copies_under_two_names_are_counted_once_and_said_so() {
    let dir = tempfile::tempdir().unwrap();
    let (input, alone) = one_run_folder(dir.path());
    let downloads = dir.path().join("Downloads");
    fs::create_dir(&downloads).unwrap();
    // The same bytes gzipped: a copy all the same.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&fs::read(fixtures().join("short-run.fit")).unwrap()).unwrap();
    fs::write(downloads.join("export-copy.fit.gz"), gz.finish().unwrap()).unwrap();
    let out = dir.path().join("out");
    runlens().arg("analyze").arg(&input).arg(&downloads).arg("--quiet").arg("--out").arg(&out).assert().success();
    let rows = read_csv(&out.join("activities.csv"));
    assert_eq!(rows.len(), alone.len());
    // The first name in sort order stays ("Downloads" before "runs").
    let kept = downloads.join("export-copy.fit.gz").display().to_string();
    let copy = input.join("a.fit").display().to_string();
    assert_eq!(column(&rows, "source"), std::slice::from_ref(&kept));
    assert_eq!(column(&rows, "duplicate_of"), std::slice::from_ref(&copy));
    let skipped = read_csv(&out.join("skipped.csv"));
    assert_eq!(skipped[1..], [vec![copy, format!("the same bytes as {kept} (a copy of that file): counted once")]]);
}

#[test]
fn imperial_units_reach_the_findings() {
    let dir = tempfile::tempdir().unwrap();
    let assert =
        runlens().current_dir(dir.path()).args(["analyze", "--quiet", "--units", "imperial", "--out", "out"]).assert();
    let stdout = String::from_utf8_lossy(&assert.success().get_output().stdout).into_owned();
    let summary: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.path().join("out/summary.json")).unwrap()).unwrap();
    let findings = summary["findings"].as_array().unwrap();
    let pace = findings.iter().map(|f| f.as_str().unwrap()).find(|f| f.starts_with("At ")).expect("a pace finding");
    assert!(pace.contains("/mi") && !pace.contains("/km"), "{pace}");
    assert!(stdout.contains(pace), "{stdout}");
}

/// A zip with one run and the given `activities.csv`, stored uncompressed
/// so a test can damage its bytes.
fn strava_zip(csv: &[u8]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    w.start_file("activities.csv", stored).unwrap();
    w.write_all(csv).unwrap();
    w.start_file("activities/1.gpx", stored).unwrap();
    w.write_all(&fs::read(fixtures().join("short-run.gpx")).unwrap()).unwrap();
    w.finish().unwrap().into_inner()
}

#[test]
fn a_strava_index_that_cannot_be_read_is_reported_not_swallowed() {
    let dir = tempfile::tempdir().unwrap();
    let header = b"Activity ID,Activity Name,Activity Type,Filename\n".to_vec();
    // One zip whose index fails its checksum, one with an undecodable row.
    let mut damaged = strava_zip(&[header.clone(), b"1,Morning Run,Run,activities/1.gpx\n".to_vec()].concat());
    let at = damaged.windows(7).position(|w| w == b"Morning").unwrap();
    damaged[at] = b'X';
    fs::write(dir.path().join("b-damaged.zip"), damaged).unwrap();
    let row = [header, b"1,Evening Run,Run,activities/1.gpx\n2,\xff\xfe,Run,activities/2.gpx\n".to_vec()].concat();
    fs::write(dir.path().join("a-malformed.zip"), strava_zip(&row)).unwrap();
    let out = dir.path().join("out");
    let files = [dir.path().join("b-damaged.zip"), dir.path().join("a-malformed.zip")];
    runlens().arg("analyze").args(&files).arg("--quiet").arg("--out").arg(&out).assert().success();
    let skipped = read_csv(&out.join("skipped.csv"));
    let reason = |zip: &str| {
        let label = format!("{}!activities.csv", dir.path().join(zip).display());
        skipped.iter().find(|r| r[0] == label).map_or_else(|| panic!("{label}: {skipped:?}"), |r| r[1].clone())
    };
    assert!(reason("b-damaged.zip").starts_with("cannot read Strava's activity index"), "{}", reason("b-damaged.zip"));
    assert!(reason("a-malformed.zip").starts_with("1 row of Strava's activity index could not be read"));
    // The readable row still names its run (the other zip's run is a copy of it).
    let names = column(&read_csv(&out.join("activities.csv")), "name");
    assert!(names.contains(&"Evening Run".to_owned()), "{names:?}");
}
