//! The binary end to end: demo run, broken inputs, exit codes, determinism,
//! output safety, `inspect`.

mod support;

use std::fs;

use support::{column, fixtures, read_csv, runlens};

#[test]
fn no_input_analyzes_the_embedded_demo_export() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let assert = runlens().current_dir(dir.path()).args(["analyze", "--out", "out"]).assert().success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert!(stdout.contains("demo export"), "{stdout}");
    assert!(stdout.contains("to analyze your own data"), "{stdout}");
    assert!(
        stdout.contains("60 activities from 61 files: 1 duplicate merged, 0 skipped, 0 other files ignored"),
        "{stdout}"
    );

    let activities = read_csv(&out.join("activities.csv"));
    assert_eq!(activities.len(), 61, "header + 60 activities");
    let sports = column(&activities, "sport");
    assert_eq!(sports.iter().filter(|s| *s == "running").count(), 48);
    assert_eq!(sports.iter().filter(|s| *s == "cycling").count(), 12);
    let names = column(&activities, "name");
    assert!(names.iter().all(|n| !n.is_empty()), "names come from activities.csv");
    let dup = column(&activities, "duplicate_of");
    assert_eq!(
        dup.iter().filter(|d| !d.is_empty()).collect::<Vec<_>>(),
        ["demo-export.zip!activities/duplicate-of-10000002.gpx"]
    );
    let skipped = read_csv(&out.join("skipped.csv"));
    assert_eq!(skipped.len(), 2);
    assert!(skipped[1][1].contains("the same activity as demo-export.zip!activities/10000002.fit.gz"));
    assert!(out.join("activities.parquet").metadata().unwrap().len() > 1000);
    let leftovers: Vec<_> = fs::read_dir(&out)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left behind: {leftovers:?}");
}

#[test]
fn broken_files_are_skipped_with_reasons_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let assert = runlens()
        .arg("analyze")
        .arg(fixtures().join("short-run.fit"))
        .arg(fixtures().join("broken"))
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert_eq!(stderr.lines().filter(|l| l.starts_with("warning: ")).count(), 7, "{stderr}");
    let skipped = read_csv(&out.join("skipped.csv"));
    let reason = |file: &str| {
        skipped
            .iter()
            .find(|r| r[0].ends_with(file))
            .map_or_else(|| panic!("{file} not in skipped.csv"), |r| r[1].clone())
    };
    // Salvaged, then merged into the intact recording of the same run.
    assert!(reason("truncated.fit").contains("the same activity as") && reason("truncated.fit").contains("intact"));
    assert!(reason("bad-crc.fit").contains("short-run.fit (kept that intact recording)"));
    assert!(reason("cut-mid-tag.gpx").contains("broken XML"));
    assert_eq!(reason("empty.tcx"), "the file is empty");
    assert!(reason("not-a-zip.zip").contains("not a readable zip archive"));
    assert_eq!(reason("settings.fit"), "this is a FIT settings file, not an activity");
    assert!(reason("planned-route.gpx").contains("planned route"));
    let activities = read_csv(&out.join("activities.csv"));
    assert_eq!(column(&activities, "samples"), ["385"]);
}

#[test]
fn damaged_fit_files_are_salvaged_and_marked() {
    let dir = tempfile::tempdir().unwrap();
    for (file, samples, note) in [
        ("bad-crc.fit", "385", "unverified: the FIT checksum does not match"),
        ("truncated.fit", "231", "partial: it ends after 5436 of 9061 bytes (was the download complete?)"),
    ] {
        let out = dir.path().join(file);
        let assert = runlens()
            .arg("analyze")
            .arg(fixtures().join("broken").join(file))
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
        assert!(stderr.contains(note), "{stderr}");
        assert!(stdout.contains("1 activity salvaged from damaged files"), "{stdout}");
        let activities = read_csv(&out.join("activities.csv"));
        assert_eq!(column(&activities, "samples"), [samples]);
        assert!(column(&activities, "integrity")[0].starts_with(note.split(':').next().unwrap()));
    }
}

#[test]
fn strict_turns_unreadable_files_into_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let assert = runlens()
        .arg("analyze")
        .arg(fixtures().join("short-run.fit"))
        .arg(fixtures().join("broken/empty.tcx"))
        .args(["--strict", "--quiet", "--out"])
        .arg(dir.path().join("out"))
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("1 input file(s) could not be read and --strict is set"), "{stderr}");
    assert!(dir.path().join("out/activities.csv").exists(), "tables are still written");
}

#[test]
fn nothing_analyzable_is_exit_1_with_what_was_found() {
    let dir = tempfile::tempdir().unwrap();
    let broken = fixtures().join("broken");
    let assert = runlens()
        .arg("analyze")
        .args(
            ["cut-mid-tag.gpx", "empty.tcx", "not-a-zip.zip", "planned-route.gpx", "settings.fit"]
                .map(|f| broken.join(f)),
        )
        .args(["--quiet", "--out"])
        .arg(dir.path().join("out"))
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("no activity could be analyzed: 5 files were skipped ("), "{stderr}");
}

#[test]
fn output_inside_an_input_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(fixtures().join("short-run.fit"), dir.path().join("a.fit")).unwrap();
    let assert = runlens().arg("analyze").arg(dir.path()).arg("--out").arg(dir.path().join("out")).assert().code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("never writes into your exports"), "{stderr}");
    assert!(!dir.path().join("out").exists());
}

#[test]
fn output_is_identical_whatever_the_parallelism() {
    let dir = tempfile::tempdir().unwrap();
    for jobs in ["1", "2"] {
        runlens()
            .current_dir(dir.path())
            .args(["analyze", "--quiet", "--jobs", jobs, "--out", jobs])
            .assert()
            .success();
    }
    for table in ["activities.csv", "skipped.csv", "report.html", "charts/pace_at_hr.png", "charts/route_map.png"] {
        let one = fs::read(dir.path().join("1").join(table)).unwrap();
        let two = fs::read(dir.path().join("2").join(table)).unwrap();
        assert!(one == two, "{table} differs between --jobs 1 and --jobs 2");
    }
}

#[test]
fn inspect_shows_channels_and_explains_failures() {
    let assert = runlens().arg("inspect").arg(fixtures().join("short-run.fit")).assert().success();
    // Compare with runs of spaces folded: the layout may change, the facts not.
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).split_whitespace().collect::<Vec<_>>().join(" ");
    for fact in [
        "sport running",
        "local start 2026-06-02 07:18:14 +01:00",
        "samples 385 (0 dropped",
        "heart rate 385 (100.0 %)",
        "power 0 ( 0.0 %)",
        "watch HR max 188.0 bpm / threshold 170.0 bpm",
        "excluded 0 s paused, 0 s standing, 0 HR artifacts, 0 GPS jumps",
    ] {
        assert!(stdout.contains(fact), "{fact:?} not in {stdout}");
    }

    let assert = runlens().arg("inspect").arg(fixtures().join("broken/truncated.fit")).assert().success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert!(stdout.contains("integrity    partial: it ends after 5436 of 9061 bytes"), "{stdout}");

    let assert = runlens().arg("inspect").arg(fixtures().join("broken/empty.tcx")).assert().code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("empty.tcx") && stderr.contains("the file is empty"), "{stderr}");

    let assert = runlens().arg("inspect").arg("no-such-run.fit").assert().code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert_eq!(stderr.trim(), "runlens: no-such-run.fit: no such file or folder");
}

#[test]
fn period_and_sport_selection() {
    let dir = tempfile::tempdir().unwrap();
    let assert = runlens()
        .current_dir(dir.path())
        .args([
            "analyze",
            "--quiet",
            "--since",
            "2026-07-01",
            "--until",
            "2026-07-31",
            "--sport",
            "cycling",
            "--out",
            "out",
        ])
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert!(stdout.contains("outside --since/--until left out"), "{stdout}");
    let rows = read_csv(&dir.path().join("out/activities.csv"));
    let starts = column(&rows, "start_time_utc");
    assert!(starts.iter().all(|s| s.as_str() >= "2026-06-30" && s.as_str() < "2026-08-01"), "{starts:?}");
    // Rides counted as the "runs": they get session types, runs do not.
    for (sport, session) in column(&rows, "sport").iter().zip(column(&rows, "session_type")) {
        assert_eq!(sport == "cycling", !session.is_empty(), "{sport} {session}");
    }
}

#[test]
fn a_config_file_in_the_current_folder_is_used_and_typos_are_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("runlens.toml"), "[thresholds]\nlthr = 172\nmax_hr = 191\n").unwrap();
    runlens().current_dir(dir.path()).args(["analyze", "--quiet", "--out", "out"]).assert().success();
    let summary = std::fs::read_to_string(dir.path().join("out/summary.json")).unwrap();
    assert!(summary.contains("\"bpm\": 172.0"), "{summary}");
    std::fs::write(dir.path().join("runlens.toml"), "[thresholds]\nlthrr = 172\n").unwrap();
    let assert = runlens().current_dir(dir.path()).args(["analyze", "--quiet", "--out", "out"]).assert().code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("runlens.toml") && stderr.contains("lthrr"), "{stderr}");
}

#[test]
fn a_killed_run_leaves_the_previous_output_intact() {
    let dir = tempfile::tempdir().unwrap();
    runlens().current_dir(dir.path()).args(["analyze", "--quiet", "--out", "out"]).assert().success();
    let before = fs::read(dir.path().join("out/activities.csv")).unwrap();
    let input = dir.path().join("many");
    runlens_sim::bench::write_folder(&input, 200).unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("runlens"))
        .current_dir(dir.path())
        .env_clear()
        .env("TZ", "UTC")
        .args(["analyze", "--quiet", "many", "--out", "out"])
        .spawn()
        .unwrap();
    // Killed while it writes its staging folder: a fixed delay was flaky,
    // since on an idle machine the run finished (and replaced the output)
    // before the kill came.
    let writing = || {
        fs::read_dir(dir.path())
            .unwrap()
            .any(|e| e.unwrap().file_name().to_string_lossy().starts_with(".out.runlens-staging-"))
    };
    let started = std::time::Instant::now();
    while !writing() && child.try_wait().unwrap().is_none() && started.elapsed().as_secs() < 60 {
        std::thread::sleep(std::time::Duration::from_micros(200));
    }
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(!status.success(), "the run was killed before it finished (it took {:?})", started.elapsed());
    assert_eq!(fs::read(dir.path().join("out/activities.csv")).unwrap(), before, "previous result untouched");
    // The next run cleans up after the killed one and replaces the folder whole.
    runlens().current_dir(dir.path()).args(["analyze", "--quiet", "many", "--out", "out"]).assert().success();
    let names: Vec<String> =
        fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(names.iter().all(|n| n == "out" || n == "many"), "{names:?}");
    assert_eq!(read_csv(&dir.path().join("out/activities.csv")).len(), 201);
}

#[test]
fn a_folder_of_other_files_is_never_used_as_output() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    let assert = runlens().arg("analyze").arg("--out").arg(dir.path()).assert().code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("not a runlens output: pick a new or empty folder"), "{stderr}");
    assert_eq!(fs::read_to_string(dir.path().join("notes.txt")).unwrap(), "mine");
}
