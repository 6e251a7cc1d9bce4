//! The realistic simulated athletes (`runlens_sim::realistic`) through the
//! real binary: a printout of how close runlens gets to each athlete's
//! truth (pace-at-HR coverage and error, session types against the names,
//! trend periods, slump latency, thresholds), for before/after figures.
//! It asserts only that every history is read whole.

mod support;

use std::collections::HashMap;
use std::path::Path;

use runlens_sim::SimActivity;
use runlens_sim::realistic::{self, Athlete, duration_s, has_hr, is_run};
use support::{column, read_csv, runlens};

struct Outcome {
    activities: Vec<Vec<String>>,
    skipped: Vec<Vec<String>>,
    summary: serde_json::Value,
}

fn analyze(runs: &[SimActivity], dir: &Path) -> Outcome {
    let input = dir.join("history");
    realistic::write_history(runs, &input).unwrap();
    let out = dir.join("out");
    runlens().arg("analyze").arg(&input).arg("--quiet").arg("--out").arg(&out).assert().success();
    let summary = serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let skipped = read_csv(&out.join("skipped.csv"));
    Outcome { activities: read_csv(&out.join("activities.csv")), skipped, summary }
}

fn utc(unix_s: i64) -> String {
    chrono::DateTime::from_timestamp(unix_s, 0).unwrap().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    v.sort_by(f64::total_cmp);
    (!v.is_empty()).then(|| v[v.len() / 2])
}

/// Per simulated run, its row in activities.csv (matched by start).
fn rows<'a>(runs: &'a [SimActivity], o: &Outcome) -> Vec<(&'a SimActivity, HashMap<String, String>)> {
    let header = &o.activities[0];
    let by_start: HashMap<&str, &Vec<String>> = o.activities[1..]
        .iter()
        .map(|r| (r[header.iter().position(|h| h == "start_time_utc").unwrap()].as_str(), r))
        .collect();
    runs.iter()
        .filter_map(|run| {
            let row = by_start.get(utc(run.start_unix_s).as_str())?;
            Some((run, header.iter().cloned().zip(row.iter().cloned()).collect()))
        })
        .collect()
}

fn is_hard_type(session: &str) -> bool {
    matches!(session, "workout" | "race")
}

/// Why the eligible runs without a pace at HR have none, most common first.
fn print_reasons(eligible: &[&(&SimActivity, HashMap<String, String>)]) {
    let mut reasons: HashMap<String, usize> = HashMap::new();
    for (_, row) in eligible.iter().filter(|(_, row)| row["pace_at_hr_s_per_km"].is_empty()) {
        *reasons.entry(row["pace_at_hr_note"].clone()).or_default() += 1;
    }
    let mut reasons: Vec<_> = reasons.into_iter().collect();
    reasons.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    for (why, n) in reasons {
        println!("    without a value ({n}): {why}");
    }
}

/// The figures for one athlete, printed on one block.
fn report(a: &Athlete, runs: &[SimActivity], o: &Outcome) {
    let rows = rows(runs, o);
    let eligible: Vec<_> = rows
        .iter()
        .filter(|(r, _)| is_run(r) && has_hr(r) && duration_s(r) >= 1200.0 && r.kind != runlens_sim::RunKind::Race)
        .collect();
    let valued: Vec<_> = eligible.iter().filter(|(_, row)| !row["pace_at_hr_s_per_km"].is_empty()).collect();
    let errors: Vec<f64> = valued
        .iter()
        .map(|(run, row)| {
            let measured: f64 = row["pace_at_hr_s_per_km"].parse().unwrap();
            let target: f64 = row["pace_at_hr_target_bpm"].parse().unwrap();
            let truth = 1000.0 / run.true_speed_at_hr(target);
            100.0 * (measured - truth).abs() / truth
        })
        .collect();
    let named: Vec<_> = rows.iter().filter(|(r, _)| r.named_kind.is_some()).collect();
    let agree = named
        .iter()
        .filter(|(r, row)| {
            r.named_kind.is_some_and(runlens_sim::RunKind::is_easy_or_long) != is_hard_type(&row["session_type"])
        })
        .count();
    let truth_agree =
        rows.iter().filter(|(r, row)| r.kind.is_easy_or_long() != is_hard_type(&row["session_type"])).count();
    let typed_hard = rows.iter().filter(|(_, row)| is_hard_type(&row["session_type"])).count();
    let truly_hard = rows.iter().filter(|(r, _)| !r.kind.is_easy_or_long()).count();
    let pct = |n: usize, d: usize| 100.0 * n as f64 / d.max(1) as f64;
    println!("== {} ({} runs simulated, {} rows matched)", a.name, runs.len(), rows.len());
    println!(
        "  pace at HR: {}/{} eligible runs valued ({:.0} %), median |error| {:.1} % (target {} bpm)",
        valued.len(),
        eligible.len(),
        pct(valued.len(), eligible.len()),
        median(errors).unwrap_or(f64::NAN),
        o.summary["target_hr_bpm"]
    );
    print_reasons(&eligible);
    println!(
        "  session types: {:.0} % of {} named runs agree with their names (easy/long vs workout/race); {:.0} % agree with the truth; typed workout/race {:.0} % (truth {:.0} %)",
        pct(agree, named.len()),
        named.len(),
        pct(truth_agree, rows.len()),
        pct(typed_hard, rows.len()),
        pct(truly_hard, rows.len())
    );
    let pace = &o.summary["pace_at_hr"];
    let (first, last) = (&pace["first_4_weeks"], &pace["last_4_weeks"]);
    if first.is_null() {
        println!("  trend: none");
    } else {
        let overlap = first["to"].as_str() >= last["from"].as_str();
        println!(
            "  trend: first {}..{} ({} runs) vs last {}..{} ({} runs), change {} %{}{}",
            first["from"],
            first["to"],
            first["runs"],
            last["from"],
            last["to"],
            last["runs"],
            pace["change_pct"],
            if overlap { ", PERIODS OVERLAP" } else { "" },
            if first["runs"].as_u64() < Some(4) || last["runs"].as_u64() < Some(4) {
                ", A PERIOD HOLDS < 4 RUNS"
            } else {
                ""
            },
        );
    }
    let slumps = o.summary["slumps"].as_array().cloned().unwrap_or_default();
    let onset = a.slump_onset.map(|s| chrono::DateTime::from_timestamp(s, 0).unwrap().date_naive());
    let years = a.weeks as f64 / 52.0;
    for s in &slumps {
        let start = chrono::NaiveDate::parse_from_str(s["start"].as_str().unwrap(), "%Y-%m-%d").unwrap();
        let from_onset = onset.map_or_else(
            || " (FALSE ALARM: no true slump)".to_owned(),
            |o| format!(", starts {} days from the true onset {o}", (start - o).num_days()),
        );
        println!("  slump: {} .. {} ({} % slower){from_onset}", s["start"], s["end"], s["slower_pct"]);
    }
    match (onset, slumps.is_empty()) {
        (Some(o), true) => println!("  slump: NONE reported (true onset {o})"),
        (None, true) => println!("  slump: none, none true ({years:.1} years)"),
        (None, false) => println!("  slump: {} false alarms in {years:.1} years", slumps.len()),
        (Some(_), false) => {}
    }
    let t = &o.summary["thresholds"];
    let p = a.physiology;
    let err = |key: &str, truth: f64| t[key]["bpm"].as_f64().map_or("-".into(), |v| format!("{:+.0}", v - truth));
    println!(
        "  thresholds (estimate - truth): max {} (truth {}), LTHR {} (truth {}), LT1 {} (truth {})",
        err("max_hr", p.max_hr_bpm),
        p.max_hr_bpm,
        err("lthr", p.lthr_bpm),
        p.lthr_bpm,
        err("lt1", p.lt1_bpm()),
        p.lt1_bpm()
    );
}

#[test]
fn realistic_athletes_report() {
    for a in realistic::athletes() {
        let runs = realistic::simulate_athlete(&a);
        let dir = tempfile::tempdir().unwrap();
        let o = analyze(&runs, dir.path());
        report(&a, &runs, &o);
        assert!(o.skipped.len() <= 1, "{}: files skipped: {:?}", a.name, o.skipped);
        let analyzed = column(&o.activities, "activity_id").len();
        assert!(analyzed >= 100, "{}: {analyzed} runs read", a.name);
        assert_eq!(analyzed, runs.len(), "{}: every simulated run is read", a.name);
    }
}
