//! Pace at the target heart rate on the realistic simulated athletes
//! (`runlens_sim::realistic`), whose physiology disagrees with runlens's
//! estimators: how many runs get a value, how far it is from the truth
//! (`true_speed_at_hr` at the target), whether the per-run uncertainty and
//! the low-confidence flag mean something, and how the target was chosen.
//! Tolerances are about 1.5x what was achieved; the achieved figure sits in
//! a comment beside each assert and is printed.

mod support;

use std::collections::HashMap;
use std::path::Path;

use runlens_sim::realistic::{self, duration_s, has_hr, is_run};
use runlens_sim::{RunKind, SimActivity};
use support::{read_csv, runlens};

struct Outcome {
    activities: Vec<Vec<String>>,
    summary: serde_json::Value,
    report: String,
}

fn analyze(runs: &[SimActivity], dir: &Path) -> Outcome {
    let input = dir.join("history");
    realistic::write_history(runs, &input).unwrap();
    let out = dir.join("out");
    runlens().arg("analyze").arg(&input).arg("--quiet").arg("--out").arg(&out).assert().success();
    let summary = serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    Outcome { activities: read_csv(&out.join("activities.csv")), summary, report }
}

fn utc(unix_s: i64) -> String {
    chrono::DateTime::from_timestamp(unix_s, 0).unwrap().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    if v.is_empty() { f64::NAN } else { v[v.len() / 2] }
}

/// One measured run: its truth and its row.
struct Run<'a> {
    sim: &'a SimActivity,
    row: HashMap<String, String>,
}

impl Run<'_> {
    fn num(&self, key: &str) -> Option<f64> {
        self.row[key].parse().ok()
    }

    /// Non-race runs of 20 minutes or more with heart rate: the measure.
    fn eligible(&self) -> bool {
        is_run(self.sim) && has_hr(self.sim) && duration_s(self.sim) >= 1200.0 && self.sim.kind != RunKind::Race
    }

    /// Signed error in percent of the true pace at the run's target.
    fn error_pct(&self) -> Option<f64> {
        let (pace, target) = (self.num("pace_at_hr_s_per_km")?, self.num("pace_at_hr_target_bpm")?);
        let truth = 1000.0 / self.sim.true_speed_at_hr(target);
        Some(100.0 * (pace - truth) / truth)
    }

    fn low_confidence(&self) -> bool {
        self.row["pace_at_hr_low_confidence"] == "true"
    }
}

fn matched<'a>(runs: &'a [SimActivity], o: &Outcome) -> Vec<Run<'a>> {
    let header = &o.activities[0];
    let start = header.iter().position(|h| h == "start_time_utc").unwrap();
    let by_start: HashMap<&str, &Vec<String>> = o.activities[1..].iter().map(|r| (r[start].as_str(), r)).collect();
    runs.iter()
        .filter_map(|sim| {
            let row = by_start.get(utc(sim.start_unix_s).as_str())?;
            Some(Run { sim, row: header.iter().cloned().zip(row.iter().cloned()).collect() })
        })
        .collect()
}

/// What one athlete's history gave.
#[derive(Debug, Default)]
struct Figures {
    coverage: f64,
    /// Median |error| over every valued eligible run, percent.
    error_pct: f64,
    /// Median signed error (positive: measured slower than the truth).
    bias_pct: f64,
    /// The same over the runs not marked low-confidence.
    confident_error_pct: f64,
    /// Median |error| of the runs marked low-confidence.
    shaky_error_pct: f64,
    low_confidence_share: f64,
    /// Share of valued runs whose error is within 2 x their uncertainty.
    within_2_uncertainties: f64,
    /// Runs of 13-20 minutes with heart rate that got a value.
    short_coverage: f64,
}

fn figures(runs: &[Run]) -> Figures {
    let eligible: Vec<&Run> = runs.iter().filter(|r| r.eligible()).collect();
    let valued: Vec<&&Run> = eligible.iter().filter(|r| r.error_pct().is_some()).collect();
    let abs = |rs: &mut dyn Iterator<Item = &&&Run>| median(rs.filter_map(|r| r.error_pct()).map(f64::abs).collect());
    let within = valued
        .iter()
        .filter(|r| {
            let pace = r.num("pace_at_hr_s_per_km").unwrap();
            let err_s = r.error_pct().unwrap().abs() / 100.0 * pace;
            err_s <= 2.0 * r.num("pace_at_hr_uncertainty_s_per_km").unwrap()
        })
        .count();
    let short: Vec<&Run> = runs
        .iter()
        .filter(|r| is_run(r.sim) && has_hr(r.sim) && (780.0..1200.0).contains(&duration_s(r.sim)))
        .collect();
    let share = |n: usize, d: usize| n as f64 / d.max(1) as f64;
    Figures {
        coverage: share(valued.len(), eligible.len()),
        error_pct: abs(&mut valued.iter()),
        bias_pct: median(valued.iter().filter_map(|r| r.error_pct()).collect()),
        confident_error_pct: abs(&mut valued.iter().filter(|r| !r.low_confidence())),
        shaky_error_pct: abs(&mut valued.iter().filter(|r| r.low_confidence())),
        low_confidence_share: share(valued.iter().filter(|r| r.low_confidence()).count(), valued.len()),
        within_2_uncertainties: share(within, valued.len()),
        short_coverage: share(short.iter().filter(|r| r.num("pace_at_hr_s_per_km").is_some()).count(), short.len()),
    }
}

/// Every athlete's history, simulated and analyzed once.
fn all_athletes() -> Vec<(&'static str, Vec<SimActivity>, Outcome)> {
    realistic::athletes()
        .into_iter()
        .map(|a| {
            let runs = realistic::simulate_athlete(&a);
            let dir = tempfile::tempdir().unwrap();
            let o = analyze(&runs, dir.path());
            (a.name, runs, o)
        })
        .collect()
}

fn print(name: &str, target: &serde_json::Value, f: &Figures) {
    println!(
        "{name:10} target {target} bpm: coverage {:.0} %, median |error| {:.2} % (bias {:+.2} %; confident {:.2} %, low-confidence {:.2} % on {:.0} % of values), within 2 uncertainties {:.0} %, 13-20 min runs {:.0} %",
        100.0 * f.coverage,
        f.error_pct,
        f.bias_pct,
        f.confident_error_pct,
        f.shaky_error_pct,
        100.0 * f.low_confidence_share,
        100.0 * f.within_2_uncertainties,
        100.0 * f.short_coverage,
    );
}

#[test]
fn pace_at_hr_on_realistic_athletes() {
    let athletes = all_athletes();
    let mut pooled = Vec::new();
    for (name, runs, o) in &athletes {
        let matched = matched(runs, o);
        let f = figures(&matched);
        print(name, &o.summary["target_hr_bpm"], &f);
        // The target came from the history, and the report says how.
        let target = &o.summary["target_hr"];
        assert_eq!(target["source"], "history", "{name}: {target}");
        let how = target["how"].as_str().unwrap();
        assert!(how.starts_with("the heart rate most of your steady runs hold ("), "{name}: {how}");
        assert!(o.report.contains(how), "{name}: the report does not say how the target was chosen");
        // Achieved: 80 % (alpine, high_easy) .. 93 % (low_easy); 5 % .. 36 %
        // in session 4, 72 % .. 93 % with 10-second steadiness blocks. The
        // goal is 75 % on each athlete.
        assert!(f.coverage >= 0.75, "{name}: coverage {}", f.coverage);
        // Achieved: 1.21 city, 2.14 italian, 5.10 alpine (grade costs that
        // are not Minetti's), 1.35 low_easy, 2.71 high_easy, 1.32 steady.
        let achieved = match *name {
            "city" => 1.21,
            "italian" => 2.14,
            "alpine" => 5.10,
            "low_easy" => 1.35,
            "high_easy" => 2.71,
            _ => 1.32,
        };
        assert!(f.error_pct <= 1.5 * achieved, "{name}: median |error| {} %", f.error_pct);
        // Achieved: 85 % (alpine) .. 100 % (high_easy): the stated
        // uncertainty is about one standard error.
        assert!(f.within_2_uncertainties >= 0.75, "{name}: {} within 2 uncertainties", f.within_2_uncertainties);
        pooled.extend(matched);
    }
    let all = figures(&pooled);
    print("all", &serde_json::Value::Null, &all);
    // Achieved: 85 % of the non-race runs of 20 minutes or more with heart
    // rate (80 % with 10-second steadiness blocks; the goal is 75 %).
    assert!(all.coverage >= 0.8, "coverage over all athletes {}", all.coverage);
    // Achieved: 1.69 % over all athletes (1.75 % with 10-second blocks).
    assert!(all.error_pct <= 2.5, "median |error| over all athletes {} %", all.error_pct);
    // The flag means something: marked values are further off (achieved
    // 2.77 % against 1.60 %: 1.7x), and most values are not marked (14 %).
    assert!(all.shaky_error_pct >= 1.2 * all.confident_error_pct, "{all:?}");
    assert!(all.low_confidence_share <= 0.2, "{all:?}");
}

/// The old 10-minute warm-up cut and 5-minute finish cut left nothing of a
/// 13-20 minute run; now runs that settled early keep their steady minutes.
#[test]
fn short_runs_whose_heart_rate_settled_get_a_value() {
    let a = realistic::athletes().into_iter().find(|a| a.name == "steady").unwrap();
    let runs = realistic::simulate_athlete(&a);
    let dir = tempfile::tempdir().unwrap();
    let o = analyze(&runs, dir.path());
    let f = figures(&matched(&runs, &o));
    println!("steady: {:.0} % of 13-20 minute runs with heart rate have a value", 100.0 * f.short_coverage);
    // Achieved: 69 % of the steady athlete's 13-20 minute runs (62 % with
    // 10-second steadiness blocks).
    assert!(f.short_coverage >= 0.5, "{f:?}");
}
