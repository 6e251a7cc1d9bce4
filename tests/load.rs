//! Training load through the binary, on simulated schedules whose truth is
//! known: a steady season flags nothing; a layoff followed by a too-steep
//! comeback, a sensible comeback, a taper before a race and weeks of the
//! same run every day are each found, with their dates. Also: loads by
//! pace without heart rate, the women's TRIMP constant, resting HR's
//! source, and outputs that do not depend on threads or the time zone.

mod support;

use std::path::{Path, PathBuf};

use chrono::{Duration, NaiveDate};
use runlens_sim::schedule::{self, Session, simulate_schedule};
use runlens_sim::write::fit_bytes;
use runlens_sim::{Plan, SimActivity};
use support::{column, read_csv, runlens};

/// The plan's first Monday, 2026-06-01, as a date.
fn day(n: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 1).unwrap() + Duration::days(n)
}

fn plan() -> Plan {
    Plan { step_s: 5, utc_offset_s: 7200, ..Plan::new(11, 1) }
}

struct Out {
    dir: PathBuf,
    summary: serde_json::Value,
}

impl Out {
    fn load(&self) -> &serde_json::Value {
        &self.summary["load"]
    }

    fn findings(&self) -> Vec<String> {
        self.summary["findings"].as_array().unwrap().iter().map(|f| f.as_str().unwrap().to_owned()).collect()
    }

    fn list(&self, key: &str) -> &Vec<serde_json::Value> {
        self.load()[key].as_array().unwrap()
    }
}

fn write(runs: &[SimActivity], input: &Path) {
    std::fs::create_dir_all(input).unwrap();
    for (i, run) in runs.iter().enumerate() {
        std::fs::write(input.join(format!("{i:03}.fit")), fit_bytes(run)).unwrap();
    }
}

fn analyze_dir(input: &Path, out: &Path, args: &[&str]) -> Out {
    runlens().arg("analyze").arg(input).args(["--quiet", "--out"]).arg(out).args(args).assert().success();
    let summary = serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    Out { dir: out.to_path_buf(), summary }
}

fn analyze(sessions: &[Session], tmp: &Path) -> Out {
    write(&simulate_schedule(&plan(), sessions), &tmp.join("watch"));
    analyze_dir(&tmp.join("watch"), &tmp.join("out"), &[])
}

fn has(findings: &[String], text: &str) -> bool {
    findings.iter().any(|f| f.contains(text))
}

#[test]
fn a_steady_season_flags_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let o = analyze(&schedule::steady_season(), tmp.path());
    assert!(o.list("comebacks").is_empty());
    assert!(o.list("same_load_streaks").is_empty());
    assert!(o.list("burnout").is_empty());
    let kinds: Vec<&str> = o.list("phases").iter().map(|p| p["kind"].as_str().unwrap()).collect();
    assert!(kinds.iter().all(|k| matches!(*k, "base" | "build")), "{kinds:?}");
    let f = o.findings();
    for text in ["ramping fast", "same load", "burnout", "Layoff"] {
        assert!(!has(&f, text), "{text}: {f:?}");
    }
    // Every run has a heart-rate load; daily.csv covers every day.
    let activities = read_csv(&o.dir.join("activities.csv"));
    assert!(column(&activities, "load_source").iter().all(|s| s == "hr"));
    let daily = read_csv(&o.dir.join("daily.csv"));
    let header = "date,load,fitness,fatigue,form,ramp,acwr,monotony,strain,acwr_ewma";
    assert_eq!(daily[0].join(","), header);
    assert_eq!(daily.len() - 1, 20 * 7);
    let acwr: Vec<f64> = column(&daily, "acwr").iter().filter_map(|v| v.parse().ok()).collect();
    let max = acwr.iter().copied().fold(0.0, f64::max);
    println!("steady season: {} days with ACWR, max {max:.2}", acwr.len());
    assert!(acwr.len() > 100 && max < 1.5, "{max}");
}

#[test]
fn a_too_steep_comeback_is_found_with_its_dates() {
    let tmp = tempfile::tempdir().unwrap();
    let o = analyze(&schedule::steep_comeback(), tmp.path());
    let c = o.list("comebacks");
    assert_eq!(c.len(), 1, "{c:?}");
    // Last run before: Sunday of week 7 (day 55); back on Monday of week 11 (day 77).
    assert_eq!(c[0]["layoff_start"], day(56).to_string());
    assert_eq!(c[0]["layoff_end"], day(76).to_string());
    assert_eq!(c[0]["steep"], true);
    assert_eq!(c[0]["steep_week"], 1);
    let ratio = c[0]["weeks"][0]["load_ratio"].as_f64().unwrap();
    println!("steep comeback: week one at {ratio:.2} of the usual week");
    assert!((1.1..1.6).contains(&ratio), "{ratio}"); // achieved 1.3
    let f = o.findings();
    assert!(has(&f, "you came back at") && has(&f, "starting near half"), "{f:?}");
    assert!(has(&f, &format!("from {} to {}", day(56), day(76))), "{f:?}");
    // No ratio over almost nothing on the day back (chronic under the floor).
    let daily = read_csv(&o.dir.join("daily.csv"));
    let dates = column(&daily, "date");
    let back = dates.iter().position(|d| *d == day(77).to_string()).unwrap();
    assert_eq!(column(&daily, "acwr")[back], "");
    assert_eq!(column(&daily, "acwr_ewma")[back], "");
}

#[test]
fn a_sensible_comeback_is_not_flagged() {
    let tmp = tempfile::tempdir().unwrap();
    let o = analyze(&schedule::sensible_comeback(), tmp.path());
    let c = o.list("comebacks");
    assert_eq!(c.len(), 1, "{c:?}");
    assert_eq!(c[0]["layoff_start"], day(56).to_string());
    assert_eq!(c[0]["steep"], false, "{c:?}");
    let ratios: Vec<f64> =
        c[0]["weeks"].as_array().unwrap().iter().map(|w| w["load_ratio"].as_f64().unwrap()).collect();
    println!("sensible comeback: weeks back at {ratios:?} of the usual week");
    assert!(has(&o.findings(), "you restarted small"), "{:?}", o.findings());
}

#[test]
fn a_taper_before_a_race_is_found_with_its_dates() {
    let tmp = tempfile::tempdir().unwrap();
    let o = analyze(&schedule::taper(), tmp.path());
    let phases = o.list("phases");
    let taper: Vec<&serde_json::Value> = phases.iter().filter(|p| p["kind"] == "taper").collect();
    assert_eq!(taper.len(), 1, "{phases:?}");
    // Weeks 10 and 11 (from Monday day 70 to the Sunday after the race).
    assert_eq!(taper[0]["start"], day(70).to_string(), "{phases:?}");
    assert_eq!(taper[0]["end"], day(83).to_string(), "{phases:?}");
    let before: Vec<&str> = phases
        .iter()
        .filter(|p| p["end"].as_str().unwrap() < day(70).to_string().as_str())
        .map(|p| p["kind"].as_str().unwrap())
        .collect();
    assert!(before.iter().all(|k| matches!(*k, "base" | "build")), "{phases:?}");
}

#[test]
fn weeks_of_the_same_run_every_day_are_a_same_load_streak() {
    let tmp = tempfile::tempdir().unwrap();
    let o = analyze(&schedule::identical_days(), tmp.path());
    let streaks = o.list("same_load_streaks");
    assert_eq!(streaks.len(), 1, "{streaks:?}");
    // Daily runs from day 56 to 83: monotony needs 7 of them to rise.
    let (start, end) = (streaks[0]["start"].as_str().unwrap(), streaks[0]["end"].as_str().unwrap());
    println!("same-load streak {start} to {end}");
    assert!(start >= day(58).to_string().as_str() && start <= day(63).to_string().as_str(), "{start}");
    assert!(end >= day(83).to_string().as_str() && end <= day(87).to_string().as_str(), "{end}");
    assert!(has(&o.findings(), "same load day after day"), "{:?}", o.findings());
}

#[test]
fn runs_without_heart_rate_get_a_pace_load_marked_as_such() {
    let tmp = tempfile::tempdir().unwrap();
    let mut runs = simulate_schedule(&plan(), &schedule::steady(0, 6));
    let input = tmp.path().join("watch");
    write(&runs, &input);
    // The last two weeks again without heart rate (no sensor worn).
    let mut hr_free = Vec::new();
    for (i, run) in runs.iter_mut().enumerate().skip(16) {
        let with_hr = run.clone();
        for s in &mut run.samples {
            s.hr_bpm = None;
        }
        std::fs::write(input.join(format!("{i:03}.fit")), fit_bytes(run)).unwrap();
        hr_free.push(with_hr);
    }
    let o = analyze_dir(&input, &tmp.path().join("out"), &[]);
    let a = read_csv(&o.dir.join("activities.csv"));
    let (sources, loads) = (column(&a, "load_source"), column(&a, "load"));
    assert_eq!(sources.iter().filter(|s| *s == "pace").count(), 8, "{sources:?}");
    // The same run's pace load against what its heart rate would have said.
    write(&hr_free, &tmp.path().join("hr"));
    let with_hr = analyze_dir(&tmp.path().join("hr"), &tmp.path().join("out-hr"), &[]);
    let hr_loads = column(&read_csv(&with_hr.dir.join("activities.csv")), "load");
    let pace_sum: f64 = loads[16..].iter().map(|l| l.parse::<f64>().unwrap()).sum();
    let hr_sum: f64 = hr_loads.iter().map(|l| l.parse::<f64>().unwrap()).sum();
    println!("two weeks by pace {pace_sum:.0}, by heart rate {hr_sum:.0}");
    // Achieved: 1.12 (pace runs a little high: no heart-rate lag at the start).
    assert!((0.85..1.35).contains(&(pace_sum / hr_sum)), "{pace_sum} vs {hr_sum}");
    assert!(o.load()["model"]["threshold_pace_s_per_km"].as_f64().is_some());
}

#[test]
fn womens_constant_and_resting_hr_flag_change_the_load_and_say_so() {
    let tmp = tempfile::tempdir().unwrap();
    write(&simulate_schedule(&plan(), &schedule::steady(0, 2)), &tmp.path().join("watch"));
    let input = tmp.path().join("watch");
    let default = analyze_dir(&input, &tmp.path().join("a"), &[]);
    assert_eq!(default.load()["model"]["resting_hr"]["source"], "estimate");
    assert_eq!(default.load()["model"]["k"], 1.92);
    let config = tmp.path().join("runlens.toml");
    std::fs::write(&config, "[thresholds]\nsex = \"female\"\n").unwrap();
    let female =
        analyze_dir(&input, &tmp.path().join("b"), &["--config", config.to_str().unwrap(), "--resting-hr", "50"]);
    assert_eq!(female.load()["model"]["k"], 1.67);
    assert_eq!(female.load()["model"]["resting_hr"]["source"], "flag");
    let total = |o: &Out| -> f64 {
        column(&read_csv(&o.dir.join("activities.csv")), "load").iter().map(|l| l.parse::<f64>().unwrap()).sum()
    };
    assert!((total(&default) - total(&female)).abs() > 1.0);
    std::fs::write(&config, "[thresholds]\nsex = \"x\"\n").unwrap();
    let refused = runlens()
        .arg("analyze")
        .arg(&input)
        .args(["--quiet", "--config", config.to_str().unwrap(), "--out"])
        .arg(tmp.path().join("c"))
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&refused.get_output().stderr).to_string();
    assert!(stderr.contains("sex") && stderr.contains("female"), "{stderr}");
}

#[test]
fn load_outputs_do_not_depend_on_threads_or_time_zone() {
    let tmp = tempfile::tempdir().unwrap();
    write(&simulate_schedule(&plan(), &schedule::steep_comeback()), &tmp.path().join("watch"));
    let input = tmp.path().join("watch");
    let a = analyze_dir(&input, &tmp.path().join("a"), &["--jobs", "1"]);
    let b = tmp.path().join("b");
    runlens()
        .env("TZ", "America/New_York")
        .arg("analyze")
        .arg(&input)
        .args(["--quiet", "--jobs", "2", "--out"])
        .arg(&b)
        .assert()
        .success();
    for file in ["daily.csv", "activities.csv", "summary.json"] {
        assert_eq!(std::fs::read(a.dir.join(file)).unwrap(), std::fs::read(b.join(file)).unwrap(), "{file}");
    }
}
