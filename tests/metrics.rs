//! Self-consistency checks: the metrics against the plan-based simulated
//! athlete, whose physiology uses runlens's own formulas (HR linear in
//! grade-adjusted speed, Minetti's grade cost, LT1 = 0.9 x LTHR): pace at the
//! target heart rate, its trend, and thresholds estimated from history. The
//! truth varies with the seed, so nothing passes by tuning to one case.
//! Accuracy against athletes that do not share those formulas is measured in
//! `tests/accuracy_*.rs` (`runlens_sim::realistic`).

mod support;

use std::collections::HashMap;
use std::path::Path;

use runlens_sim::write::fit_bytes;
use runlens_sim::{Plan, RunKind, SimActivity, simulate};
use support::{column, read_csv, runlens};

struct Outcome {
    activities: Vec<Vec<String>>,
    summary: serde_json::Value,
}

/// Write the plan's runs as FIT files, analyze them with the binary.
fn analyze(plan: &Plan, dir: &Path) -> (Vec<SimActivity>, Outcome) {
    let runs = simulate(plan);
    let input = dir.join("watch");
    std::fs::create_dir_all(&input).unwrap();
    for (i, run) in runs.iter().enumerate() {
        std::fs::write(input.join(format!("{i:03}.fit")), fit_bytes(run)).unwrap();
    }
    let out = dir.join("out");
    runlens().arg("analyze").arg(&input).arg("--quiet").arg("--out").arg(&out).assert().success();
    let summary = serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    (runs, Outcome { activities: read_csv(&out.join("activities.csv")), summary })
}

fn plan(seed: u64) -> Plan {
    // Vary the truth: fitness gain, thresholds, how often easy days go gray.
    let mut p = Plan { step_s: 2, gray_share: 0.15 + 0.05 * (seed % 3) as f64, ..Plan::new(seed, 12) };
    p.fitness_gain = 0.04 + 0.02 * (seed % 3) as f64;
    p.physiology.lthr_bpm = 166.0 + 2.0 * (seed % 4) as f64;
    p.physiology.hr_per_m_s = 28.0 + (seed % 5) as f64;
    p
}

/// Measured pace at HR per simulated run, matched by start time.
fn measured(runs: &[SimActivity], o: &Outcome) -> Vec<(usize, Option<f64>, f64)> {
    let starts = column(&o.activities, "start_time_utc");
    let paces = column(&o.activities, "pace_at_hr_s_per_km");
    let targets = column(&o.activities, "pace_at_hr_target_bpm");
    let by_start: HashMap<&str, (Option<f64>, f64)> = starts
        .iter()
        .zip(paces.iter().zip(&targets))
        .map(|(s, (p, t))| (s.as_str(), (p.parse().ok(), t.parse().unwrap_or(f64::NAN))))
        .collect();
    runs.iter()
        .enumerate()
        .map(|(i, r)| {
            let start =
                chrono::DateTime::from_timestamp(r.start_unix_s, 0).unwrap().format("%Y-%m-%dT%H:%M:%SZ").to_string();
            let (pace, target) = by_start[start.as_str()];
            (i, pace, target)
        })
        .collect()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

#[test]
fn pace_at_target_hr_matches_the_truth_across_seeds() {
    for seed in [1, 2, 3] {
        let dir = tempfile::tempdir().unwrap();
        let (runs, o) = analyze(&plan(seed), dir.path());
        let rows = measured(&runs, &o);
        let mut errors = Vec::new();
        let (mut easy, mut covered) = (0usize, 0usize);
        for &(i, pace, target) in &rows {
            let run = &runs[i];
            if matches!(run.kind, RunKind::Easy | RunKind::Long) {
                easy += 1;
                covered += usize::from(pace.is_some());
            }
            if let Some(pace) = pace {
                let truth = 1000.0 / run.true_speed_at_hr(target);
                errors.push((pace - truth).abs() / truth);
            }
        }
        let mae = median(errors.clone());
        let coverage = covered as f64 / easy as f64;
        println!(
            "seed {seed}: median abs error {:.2} %, coverage of easy+long runs {:.0} % ({covered}/{easy})",
            100.0 * mae,
            100.0 * coverage
        );
        assert!(mae <= 0.03, "seed {seed}: median absolute error {mae}");
        assert!(coverage >= 0.6, "seed {seed}: coverage {coverage}");

        // The trend: measured change vs the change in the truth over the same periods.
        let pace = &o.summary["pace_at_hr"];
        let change = pace["change_pct"].as_f64().expect("a trend");
        let target = o.summary["target_hr_bpm"].as_f64().unwrap();
        let period = |p: &serde_json::Value| {
            let (from, to) = (p["from"].as_str().unwrap().to_owned(), p["to"].as_str().unwrap().to_owned());
            let truths: Vec<f64> = rows
                .iter()
                .filter(|(_, pace, _)| pace.is_some())
                .map(|&(i, _, _)| &runs[i])
                .filter(|r| {
                    let day =
                        chrono::DateTime::from_timestamp(r.start_unix_s, 0).unwrap().format("%Y-%m-%d").to_string();
                    day >= from && day <= to
                })
                .map(|r| 1000.0 / r.true_speed_at_hr(target))
                .collect();
            median(truths)
        };
        let (first, last) = (period(&pace["first_4_weeks"]), period(&pace["last_4_weeks"]));
        let true_change = 100.0 * (first - last) / first;
        println!("seed {seed}: pace at {target} bpm {change:.1} % faster, truth {true_change:.1} %");
        assert!(true_change > 0.0 && change > 0.0, "direction");
        assert!((change - true_change).abs() <= 0.3 * true_change, "seed {seed}: size {change} vs {true_change}");
    }
}

#[test]
fn thresholds_are_estimated_within_5_bpm_without_flags_or_watch_values() {
    for seed in [4, 5] {
        let dir = tempfile::tempdir().unwrap();
        let p = Plan { watch_zones: false, ..plan(seed) };
        let truth = p.physiology;
        let (_, o) = analyze(&p, dir.path());
        let t = &o.summary["thresholds"];
        for (name, want) in [("max_hr", truth.max_hr_bpm), ("lthr", truth.lthr_bpm), ("lt1", truth.lt1_bpm())] {
            assert_eq!(t[name]["source"], "estimate");
            let got = t[name]["bpm"].as_f64().unwrap();
            println!("seed {seed}: {name} estimated {got}, truth {want}");
            // This plan's LT1 is 0.90 x LTHR, the old estimator's own rule
            // (self-consistency). LT1 is now estimated at 0.85 x LTHR, the
            // middle of the 0.78-0.92 runners show, with that spread as its
            // stated uncertainty (about one standard error): 0.90 sits at the
            // edge of that range, so LT1 must lie within twice it.
            let tolerance = if name == "lt1" { 2.0 * t[name]["uncertainty_bpm"].as_f64().unwrap() } else { 5.0 };
            assert!((got - want).abs() <= tolerance, "seed {seed}: {name} {got} vs {want}");
        }
    }
}

#[test]
fn flags_override_and_runs_without_hr_have_no_hr_metrics() {
    let dir = tempfile::tempdir().unwrap();
    let mut run = simulate(&Plan { fixed_minutes: Some(30.0), ..Plan::new(9, 1) }).swap_remove(0);
    for s in &mut run.samples {
        s.hr_bpm = None;
    }
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::write(input.join("no-hr.fit"), fit_bytes(&run)).unwrap();
    let out = dir.path().join("out");
    runlens()
        .arg("analyze")
        .arg(&input)
        .args(["--quiet", "--lthr", "171", "--max-hr", "190", "--out"])
        .arg(&out)
        .assert()
        .success();
    let rows = read_csv(&out.join("activities.csv"));
    for name in ["avg_hr_bpm", "pace_at_hr_s_per_km", "z1_s", "z2_s", "z3_s", "pace_at_hr_target_bpm"] {
        assert_eq!(column(&rows, name), [""], "{name} must be empty, not zero");
    }
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["thresholds"]["lthr"]["source"], "flag");
    // LT1 from the given LTHR: 0.85 x 171 (the ratio was 0.90 before LT1
    // was estimated from the middle of what runners show, 0.78-0.92).
    assert_eq!(summary["thresholds"]["lt1"]["bpm"], 145.0);
}

#[test]
fn gray_easy_runs_are_found_and_workouts_never_flagged() {
    for seed in [6, 7, 8] {
        let dir = tempfile::tempdir().unwrap();
        let (runs, o) = analyze(&Plan { gray_share: 0.3, ..plan(seed) }, dir.path());
        let starts = column(&o.activities, "start_time_utc");
        let gray = column(&o.activities, "gray_zone");
        let sessions = column(&o.activities, "session_type");
        let by_start: HashMap<&str, (&str, &str)> = starts
            .iter()
            .zip(gray.iter().zip(&sessions))
            .map(|(s, (g, t))| (s.as_str(), (g.as_str(), t.as_str())))
            .collect();
        let (mut tp, mut fp, mut fn_) = (0, 0, 0);
        let mut session_right = 0;
        for run in &runs {
            let start =
                chrono::DateTime::from_timestamp(run.start_unix_s, 0).unwrap().format("%Y-%m-%dT%H:%M:%SZ").to_string();
            let (flag, session) = by_start[start.as_str()];
            let truth_gray = run.kind == RunKind::GrayEasy;
            match (truth_gray, flag == "true") {
                (true, true) => tp += 1,
                (false, true) => fp += 1,
                (true, false) => fn_ += 1,
                (false, false) => {}
            }
            if matches!(run.kind, RunKind::Intervals | RunKind::Race) {
                assert_eq!(flag, "false", "seed {seed}: a {:?} flagged as a gray easy run", run.kind);
            }
            let expected = match run.kind {
                RunKind::Easy | RunKind::GrayEasy => "easy",
                RunKind::Long | RunKind::TrailLong => "long",
                RunKind::Intervals | RunKind::Tempo | RunKind::Progression => "workout",
                RunKind::Race => "race",
                RunKind::Ride => "",
            };
            session_right += usize::from(session == expected);
        }
        let precision = f64::from(tp) / f64::from((tp + fp).max(1));
        let recall = f64::from(tp) / f64::from((tp + fn_).max(1));
        let accuracy = session_right as f64 / runs.len() as f64;
        println!(
            "seed {seed}: gray precision {precision:.2}, recall {recall:.2} ({tp} found); session types {:.0} % right",
            100.0 * accuracy
        );
        assert!(tp + fn_ > 0, "the plan has gray runs");
        assert!(precision >= 0.9 && recall >= 0.9, "seed {seed}: precision {precision}, recall {recall}");
        assert!(accuracy >= 0.9, "seed {seed}: session types {accuracy}");
    }
}

#[test]
fn a_layoff_is_found_with_its_dates_and_weeks_stay_in_the_table() {
    let dir = tempfile::tempdir().unwrap();
    let p = Plan { layoff_weeks: vec![5, 6], utc_offset_s: 3600, ..plan(10) };
    let (runs, o) = analyze(&p, dir.path());
    let local_day = |r: &SimActivity| {
        chrono::DateTime::from_timestamp(r.start_unix_s + i64::from(r.utc_offset_s), 0).unwrap().date_naive()
    };
    // Weeks 5 and 6 of a plan starting Monday 2026-06-01.
    let layoff_monday = chrono::NaiveDate::from_ymd_opt(2026, 7, 6).unwrap();
    let last_before = runs.iter().map(local_day).filter(|d| *d < layoff_monday).max().unwrap();
    let first_after = runs.iter().map(local_day).filter(|d| *d >= layoff_monday).min().unwrap();
    let layoffs = o.summary["layoffs"].as_array().unwrap();
    assert_eq!(layoffs.len(), 1, "{layoffs:?}");
    assert_eq!(layoffs[0]["start"], (last_before + chrono::Duration::days(1)).to_string());
    assert_eq!(layoffs[0]["end"], (first_after - chrono::Duration::days(1)).to_string());
    assert_eq!(layoffs[0]["days"], (first_after - last_before).num_days() - 1);
    let weekly = read_csv(&dir.path().join("out/weekly.csv"));
    let runs_per_week = column(&weekly, "runs");
    assert_eq!(runs_per_week.len(), 12, "every week from first to last run");
    assert_eq!(&runs_per_week[5..7], ["0", "0"]);
    assert_eq!(column(&weekly, "streak_weeks")[7], "1", "the streak restarts after the layoff");
}

/// Adjusted Rand index of two labelings of the same items.
fn adjusted_rand_index(a: &[String], b: &[String]) -> f64 {
    let choose2 = |n: usize| (n * n.saturating_sub(1) / 2) as f64;
    let mut table: HashMap<(&str, &str), usize> = HashMap::new();
    let (mut rows, mut cols): (HashMap<&str, usize>, HashMap<&str, usize>) = (HashMap::new(), HashMap::new());
    for (x, y) in a.iter().zip(b) {
        *table.entry((x, y)).or_default() += 1;
        *rows.entry(x).or_default() += 1;
        *cols.entry(y).or_default() += 1;
    }
    let index: f64 = table.values().map(|&n| choose2(n)).sum();
    let (sum_a, sum_b): (f64, f64) =
        (rows.values().map(|&n| choose2(n)).sum(), cols.values().map(|&n| choose2(n)).sum());
    let expected = sum_a * sum_b / choose2(a.len());
    let max = f64::midpoint(sum_a, sum_b);
    (index - expected) / (max - expected)
}

#[test]
fn routes_match_the_true_courses_and_the_rut_is_flagged_only_while_it_lasts() {
    for seed in [11, 12] {
        let dir = tempfile::tempdir().unwrap();
        let p = Plan { weeks: 18, rut_weeks: 7, routes: 8, race_every_weeks: None, ..plan(seed) };
        let (runs, o) = analyze(&p, dir.path());
        let starts = column(&o.activities, "start_time_utc");
        let route_ids = column(&o.activities, "route_id");
        let by_start: HashMap<&str, &str> =
            starts.iter().map(String::as_str).zip(route_ids.iter().map(String::as_str)).collect();
        let (mut truth, mut found) = (Vec::new(), Vec::new());
        for run in &runs {
            let start =
                chrono::DateTime::from_timestamp(run.start_unix_s, 0).unwrap().format("%Y-%m-%dT%H:%M:%SZ").to_string();
            truth.push(format!("{}x{}", run.route, run.laps));
            found.push(by_start[start.as_str()].to_owned());
        }
        assert!(found.iter().all(|r| !r.is_empty()), "every outdoor GPS run has a route");
        let ari = adjusted_rand_index(&truth, &found);
        if std::env::var_os("RUNLENS_DEBUG_ROUTES").is_some() {
            let mut pairs: Vec<(String, String)> = truth.iter().cloned().zip(found.iter().cloned()).collect();
            pairs.sort();
            println!("{pairs:?}");
        }
        let distinct_truth = truth.iter().collect::<std::collections::BTreeSet<_>>().len();
        let distinct_found = found.iter().collect::<std::collections::BTreeSet<_>>().len();
        println!("seed {seed}: ARI {ari:.3} ({distinct_found} routes found, {distinct_truth} true)");
        assert!(ari >= 0.9, "seed {seed}: ARI {ari}");

        let weekly = read_csv(&dir.path().join("out/weekly.csv"));
        let rut = column(&weekly, "rut");
        println!("seed {seed}: rut by week {rut:?}");
        assert!(rut[3..7].iter().any(|r| r == "true"), "seed {seed}: the rut period is flagged");
        // Six weeks after variety returns, the window holds only varied runs.
        assert!(rut[13..].iter().all(|r| r == "false"), "seed {seed}: no rut once variety is back");
        let windows = o.summary["rut_windows"].as_array().unwrap();
        assert!(!windows.is_empty() && windows[0]["start"].as_str().unwrap() < "2026-07-20");
    }
}

#[test]
fn a_slump_is_reported_with_dates_and_none_while_fitness_only_rises() {
    let dir = tempfile::tempdir().unwrap();
    let (_, rising) = analyze(&plan(13), dir.path());
    assert_eq!(
        rising.summary["slumps"].as_array().unwrap().len(),
        0,
        "fitness only rises: {}",
        rising.summary["slumps"]
    );

    let dir = tempfile::tempdir().unwrap();
    // Fitness rises for 9 weeks, then falls 8 % by week 16.
    let p = Plan { weeks: 16, fitness_drop: Some((9, 0.08)), ..plan(13) };
    let (_, o) = analyze(&p, dir.path());
    let slumps = o.summary["slumps"].as_array().unwrap();
    println!("slumps: {slumps:?}");
    assert_eq!(slumps.len(), 1);
    let start = slumps[0]["start"].as_str().unwrap();
    // Week 9 starts on 2026-08-03; the 4-week level needs a few weeks to show it.
    assert!(("2026-08-03".."2026-09-08").contains(&start), "{start}");
    assert!(slumps[0]["slower_pct"].as_f64().unwrap() > 2.0);
    assert!(o.summary["findings"].to_string().contains("slower even when they should be easy"));
}
