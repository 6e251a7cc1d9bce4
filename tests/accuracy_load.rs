//! Training load on the realistic athletes (issue 11's simulator): every
//! run gets a load, marked by where it came from; the steady athlete's
//! season flags nothing; the Italian runner's ten-week break is found with
//! its dates, and the return at full volume is called steep.

mod support;

use std::path::Path;

use chrono::{DateTime, Duration, NaiveDate};
use runlens_sim::realistic::{self, Athlete};
use support::{column, read_csv, runlens};

fn athlete(name: &str) -> Athlete {
    realistic::athletes().into_iter().find(|a| a.name == name).unwrap()
}

/// The athlete's history through the binary: activities.csv and summary.json.
fn analyze(a: &Athlete, dir: &Path) -> (Vec<Vec<String>>, serde_json::Value) {
    let runs = realistic::simulate_athlete(a);
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    realistic::write_history(&runs, &input).unwrap();
    let out = dir.join("out");
    runlens().arg("analyze").arg(&input).args(["--quiet", "--out"]).arg(&out).assert().success();
    let summary = serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    (read_csv(&out.join("activities.csv")), summary)
}

fn monday_of_week(a: &Athlete, week: i64) -> NaiveDate {
    DateTime::from_timestamp(a.first_monday_unix_s, 0).unwrap().date_naive() + Duration::weeks(week)
}

#[test]
fn every_realistic_run_has_a_load_and_says_where_from() {
    for a in realistic::athletes() {
        let tmp = tempfile::tempdir().unwrap();
        let (rows, summary) = analyze(&a, tmp.path());
        let sources = column(&rows, "load_source");
        let by = |s: &str| sources.iter().filter(|x| *x == s).count();
        let truth_no_hr = realistic::simulate_athlete(&a).iter().filter(|r| !realistic::has_hr(r)).count();
        println!(
            "{}: {} runs, {} by HR, {} by pace (truth: {truth_no_hr} without HR)",
            a.name,
            rows.len() - 1,
            by("hr"),
            by("pace")
        );
        assert_eq!(by(""), 0, "{}: every run has a load", a.name);
        assert!(by("pace") >= truth_no_hr, "{}", a.name);
        let pace = summary["load"]["model"]["threshold_pace_s_per_km"].as_f64().unwrap();
        assert!((180.0..420.0).contains(&pace), "{}: threshold pace {pace}", a.name);
    }
}

#[test]
fn the_steady_realistic_season_flags_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, summary) = analyze(&athlete("steady"), tmp.path());
    let load = &summary["load"];
    assert!(load["comebacks"].as_array().unwrap().is_empty(), "{}", load["comebacks"]);
    assert!(load["same_load_streaks"].as_array().unwrap().is_empty());
    assert!(load["burnout"].as_array().unwrap().is_empty());
    let findings = summary["findings"].to_string();
    for text in ["ramping fast", "same load", "burnout", "came back at"] {
        assert!(!findings.contains(text), "{text}: {findings}");
    }
}

#[test]
fn the_italian_runners_ten_week_break_and_steep_return_are_found() {
    let a = athlete("italian");
    let tmp = tempfile::tempdir().unwrap();
    let (_, summary) = analyze(&a, tmp.path());
    let comebacks = summary["load"]["comebacks"].as_array().unwrap();
    assert_eq!(comebacks.len(), 1, "{comebacks:?}");
    let c = &comebacks[0];
    // The truth: no running in weeks 50 to 59.
    let day = |k: &str| c[k].as_str().unwrap().parse::<NaiveDate>().unwrap();
    let (start, end) = (day("layoff_start"), day("layoff_end"));
    println!("break {start} to {end}; truth weeks from {} to {}", monday_of_week(&a, 50), monday_of_week(&a, 60));
    assert!(start > monday_of_week(&a, 49) && start <= monday_of_week(&a, 50), "{start}");
    assert!(end >= monday_of_week(&a, 60) - Duration::days(1) && end < monday_of_week(&a, 61), "{end}");
    // Back at the old habits straight away: steep from week one.
    assert_eq!(c["steep"], true);
    assert_eq!(c["steep_week"], 1);
    assert!(summary["findings"].to_string().contains("starting near half"));
}
