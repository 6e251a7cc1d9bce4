//! Heart-rate recovery through the binary on simulated athletes whose
//! recovery is known: the simulator's heart rate falls after each effort
//! with a time constant it reports per run. One athlete's recovery slows
//! over 18 weeks (25 s to 60 s): the fatigue cue must be found, and the
//! fall it reports must match the simulator's; a steady athlete's must not.

mod support;

use std::path::Path;

use chrono::{DateTime, NaiveDate};
use runlens_sim::write::fit_bytes;
use runlens_sim::{Plan, RunKind, SimActivity, simulate};
use support::{column, read_csv, runlens};

const WEEKS: usize = 18;

fn plan(tau_s: (f64, f64)) -> Plan {
    Plan { step_s: 2, race_every_weeks: None, hr_recovery_tau_s: tau_s, ..Plan::new(21, WEEKS) }
}

fn analyze(runs: &[SimActivity], dir: &Path) -> (serde_json::Value, Vec<Vec<String>>) {
    let input = dir.join("watch");
    std::fs::create_dir_all(&input).unwrap();
    for (i, run) in runs.iter().enumerate() {
        std::fs::write(input.join(format!("{i:03}.fit")), fit_bytes(run)).unwrap();
    }
    let out = dir.join("out");
    runlens().arg("analyze").arg(&input).args(["--quiet", "--out"]).arg(&out).assert().success();
    let summary = serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    (summary, read_csv(&out.join("activities.csv")))
}

/// The drop 60 s after an intervals session's hardest rep as the simulator
/// makes it: from the rep's steady heart rate (the maximum for the all-out
/// sixth rep, reached when the session lasts past it, else 1.06 x LTHR)
/// towards the jog's (LT1 - 25 bpm), with the run's own time constant.
fn true_drop_60s_bpm(run: &SimActivity) -> f64 {
    const SIXTH_REP_END_S: i64 = 720 + 5 * 300 + 180;
    let body = run.physiology;
    let all_out = run.end_unix_s() - run.start_unix_s >= SIXTH_REP_END_S + 62;
    let end_bpm = if all_out { body.max_hr_bpm } else { (1.06 * body.lthr_bpm).min(body.max_hr_bpm) };
    (end_bpm - (body.lt1_bpm() - 25.0)) * (1.0 - (-60.0 / run.hr_recovery_tau_s).exp())
}

fn day(v: &serde_json::Value) -> NaiveDate {
    v.as_str().unwrap().parse().unwrap()
}

/// The simulator's mean drop over the intervals sessions of a stretch the summary names.
fn true_mean(runs: &[SimActivity], stretch: &serde_json::Value) -> f64 {
    let (from, to) = (day(&stretch["from"]), day(&stretch["to"]));
    let drops: Vec<f64> = runs
        .iter()
        .filter(|r| r.kind == RunKind::Intervals)
        .filter(|r| (from..=to).contains(&DateTime::from_timestamp(r.start_unix_s, 0).unwrap().date_naive()))
        .map(true_drop_60s_bpm)
        .collect();
    drops.iter().sum::<f64>() / drops.len() as f64
}

fn findings(summary: &serde_json::Value) -> Vec<String> {
    summary["findings"].as_array().unwrap().iter().map(|f| f.as_str().unwrap().to_owned()).collect()
}

#[test]
fn a_slowing_recovery_is_a_fatigue_cue_of_the_size_the_simulator_made() {
    let runs = simulate(&plan((25.0, 60.0)));
    let dir = tempfile::tempdir().unwrap();
    let (summary, activities) = analyze(&runs, dir.path());
    let r = &summary["hr_recovery"];
    assert_eq!(r["source"], "samples", "{r}");
    assert_eq!(r["falling"], true, "{r}");
    let reported = r["change_bpm"].as_f64().unwrap();
    let truth = true_mean(&runs, &r["recent"]) - true_mean(&runs, &r["before"]);
    println!("recovery change: reported {reported:.1} bpm, simulator {truth:.1} bpm");
    // Achieved: reported -6.2 bpm against the simulator's -7.1 bpm.
    assert!((reported - truth).abs() < 0.3 * truth.abs() + 1.0, "reported {reported}, truth {truth}");
    let finding = findings(&summary).into_iter().find(|f| f.contains("heart-rate recovery has slowed"));
    assert!(finding.is_some_and(|f| f.contains("confidence")), "{:?}", findings(&summary));
    // Every intervals session has a reading; no easy or long run has one.
    let intervals: Vec<String> = runs
        .iter()
        .filter(|r| r.kind == RunKind::Intervals)
        .map(|r| DateTime::from_timestamp(r.start_unix_s, 0).unwrap().format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .collect();
    let drops = column(&activities, "hr_recovery_60s_drop_bpm");
    for (drop, start) in drops.iter().zip(column(&activities, "start_time_utc")) {
        assert_eq!(!drop.is_empty(), intervals.contains(&start), "{start}: {drop:?}");
    }
}

#[test]
fn a_steady_recovery_raises_no_cue() {
    let runs = simulate(&plan((25.0, 25.0)));
    let dir = tempfile::tempdir().unwrap();
    let (summary, _) = analyze(&runs, dir.path());
    let r = &summary["hr_recovery"];
    assert_eq!(r["falling"], false, "{r}");
    // Achieved: a change of well under a bpm.
    assert!(r["change_bpm"].as_f64().unwrap().abs() < 3.0, "{r}");
    assert!(!findings(&summary).iter().any(|f| f.contains("recovery has slowed")));
}
