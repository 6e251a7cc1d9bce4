//! Settings end to end: `runlens.toml` is held to the flags' limits, its
//! dates may be TOML dates, and thresholds from different places never
//! leave a zone empty.

mod support;

use runlens_sim::write::fit_bytes;
use runlens_sim::{Plan, simulate};
use support::{column, read_csv, runlens};

/// `runlens analyze` of the demo export in a folder holding `toml` as its
/// runlens.toml.
fn with_settings(toml: &str, extra: &[&str]) -> (assert_cmd::assert::Assert, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("runlens.toml"), toml).unwrap();
    let assert = runlens().current_dir(dir.path()).args(["analyze", "--quiet", "--out", "out"]).args(extra).assert();
    (assert, dir)
}

fn stderr(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
}

#[test]
fn settings_file_values_out_of_range_are_refused_like_the_flags() {
    let cases = [
        ("[thresholds]\nmax_hr = 0\n", "[thresholds] max_hr in runlens.toml is 0, out of range: use 30 to 240 bpm"),
        ("[analysis]\nweekly_target = 0\n", "[analysis] weekly_target in runlens.toml is 0, out of range: use 1 to 14"),
        (
            "[pace_at_hr]\nwindow_s = -5\n",
            "[pace_at_hr] window_s in runlens.toml is -5, out of range: use 10 to 1800 s",
        ),
        ("[pace_at_hr]\nskip_start_s = -60\n", "[pace_at_hr] skip_start_s in runlens.toml is -60, out of range"),
        ("[pace_at_hr]\nmax_speed_cv = nan\n", "[pace_at_hr] max_speed_cv in runlens.toml is NaN, out of range"),
        (
            "[pace_at_hr]\nmax_decoupling_pct = -1.0\n",
            "[pace_at_hr] max_decoupling_pct in runlens.toml is -1, out of range",
        ),
    ];
    for (toml, want) in cases {
        let (assert, _dir) = with_settings(toml, &[]);
        let err = stderr(&assert.code(2));
        assert!(err.contains(want), "{toml}: {err}");
    }
    // The flags go through the same check, with the same message.
    let (assert, _dir) = with_settings("", &["--max-hr", "0"]);
    let err = stderr(&assert.code(2));
    assert!(err.contains("--max-hr is 0, out of range: use 30 to 240 bpm"), "{err}");
    let (assert, _dir) = with_settings("", &["--weekly-target", "15"]);
    assert!(stderr(&assert.code(2)).contains("--weekly-target is 15, out of range: use 1 to 14"));
    // And the order check names where each value came from.
    let (assert, _dir) = with_settings("[thresholds]\nlthr = 185\n", &["--max-hr", "180"]);
    let err = stderr(&assert.code(2));
    assert!(err.contains("[thresholds] lthr in runlens.toml 185 must be below --max-hr 180"), "{err}");
}

#[test]
fn a_toml_date_literal_works_like_the_date_string() {
    let activities = |since: &str| {
        let (assert, dir) = with_settings(&format!("[analysis]\nsince = {since}\n"), &[]);
        assert.success();
        column(&read_csv(&dir.path().join("out/activities.csv")), "start_time_utc")
    };
    let literal = activities("2026-07-01");
    assert!(!literal.is_empty() && literal.iter().all(|t| t.as_str() >= "2026-06-30"), "{literal:?}");
    assert_eq!(literal, activities("\"2026-07-01\""));
}

#[test]
fn an_lt1_flag_above_the_estimated_lthr_does_not_empty_z2() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("watch");
    std::fs::create_dir_all(&input).unwrap();
    // No zones in the files: LTHR is estimated from the runs.
    for (i, run) in simulate(&Plan { watch_zones: false, ..Plan::new(11, 3) }).iter().enumerate() {
        std::fs::write(input.join(format!("{i:02}.fit")), fit_bytes(run)).unwrap();
    }
    let analyze = |extra: &[&str]| {
        let out = dir.path().join("out");
        runlens().arg("analyze").arg(&input).args(["--quiet", "--out"]).arg(&out).args(extra).assert().success();
        let summary: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
        let z2: f64 =
            column(&read_csv(&out.join("activities.csv")), "z2_s").iter().filter_map(|v| v.parse::<f64>().ok()).sum();
        (summary["thresholds"].clone(), z2)
    };
    let (estimated, _) = analyze(&[]);
    assert_eq!(estimated["lthr"]["source"], "estimate");
    let lthr = estimated["lthr"]["bpm"].as_f64().unwrap();
    let lt1 = format!("{}", lthr + 5.0);
    let (t, z2) = analyze(&["--lt1", &lt1]);
    assert_eq!(t["lt1"]["bpm"].as_f64(), Some(lthr + 5.0));
    let new_lthr = t["lthr"]["bpm"].as_f64().unwrap();
    assert!(new_lthr > lthr + 5.0 && new_lthr < t["max_hr"]["bpm"].as_f64().unwrap(), "{t}");
    assert!(t["lthr"]["how"].as_str().unwrap().contains("replacing an LTHR that was not above LT1"), "{t}");
    assert!(z2 > 0.0, "Z2 is LT1..LTHR, not empty");
}
