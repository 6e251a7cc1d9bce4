//! Session types and thresholds on the realistic simulated athletes
//! (`runlens_sim::realistic`), through the real binary: agreement with what
//! the runs' names say plainly, how many truly easy or long runs get typed
//! workout or race, and the threshold estimates against the physiology.
//! Tolerances are about 1.5x what was achieved; the achieved figure stands
//! beside each assert.

mod support;

use std::collections::HashMap;
use std::path::Path;

use runlens_sim::SimActivity;
use runlens_sim::realistic::{self, Athlete};
use support::{read_csv, runlens};

struct Outcome {
    activities: Vec<Vec<String>>,
    summary: serde_json::Value,
}

/// Analyze the history written in `dir`, with `flags` (the true thresholds
/// for the reference verdicts).
fn analyze(dir: &Path, out: &str, flags: &[String]) -> Outcome {
    let input = dir.join("history");
    let out = dir.join(out);
    runlens().arg("analyze").arg(&input).args(flags).arg("--quiet").arg("--out").arg(&out).assert().success();
    let summary = serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    Outcome { activities: read_csv(&out.join("activities.csv")), summary }
}

fn utc(unix_s: i64) -> String {
    chrono::DateTime::from_timestamp(unix_s, 0).unwrap().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Per simulated run, its session type and gray-zone flag (matched by start).
fn typed<'a>(runs: &'a [SimActivity], o: &Outcome) -> Vec<(&'a SimActivity, String, String)> {
    let header = &o.activities[0];
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (start, session, gray) = (at("start_time_utc"), at("session_type"), at("gray_zone"));
    let by_start: HashMap<&str, &Vec<String>> = o.activities[1..].iter().map(|r| (r[start].as_str(), r)).collect();
    runs.iter()
        .filter_map(|run| {
            let row = by_start.get(utc(run.start_unix_s).as_str())?;
            Some((run, row[session].clone(), row[gray].clone()))
        })
        .collect()
}

fn is_hard_type(session: &str) -> bool {
    matches!(session, "workout" | "race")
}

/// The figures for one athlete.
struct Figures {
    named: usize,
    agree_pct: f64,
    typed_hard_pct: f64,
    true_hard_pct: f64,
    /// Truly easy or long runs typed workout or race.
    easy_typed_hard_pct: f64,
    /// Easy and long runs flagged gray that the true thresholds find fine.
    false_gray_pct: f64,
    /// Easy and long runs gray with the true thresholds that are flagged
    /// (the rest are borderline or fine: activities.csv does not tell which).
    gray_said_pct: f64,
    /// (estimate - truth, stated uncertainty) for max HR, LTHR, LT1.
    errors: [(f64, f64); 3],
}

fn figures(a: &Athlete, runs: &[SimActivity], o: &Outcome, reference: &Outcome) -> Figures {
    let rows = typed(runs, o);
    let pct = |n: usize, d: usize| 100.0 * n as f64 / d.max(1) as f64;
    let named: Vec<_> = rows.iter().filter(|(r, _, _)| r.named_kind.is_some()).collect();
    let agree = named.iter().filter(|(r, s, _)| r.named_kind.unwrap().is_easy_or_long() != is_hard_type(s)).count();
    let typed_hard = rows.iter().filter(|(_, s, _)| is_hard_type(s)).count();
    let true_hard = rows.iter().filter(|(r, _, _)| !r.kind.is_easy_or_long()).count();
    let easy: Vec<_> = rows.iter().filter(|(r, _, _)| r.kind.is_easy_or_long()).collect();
    let easy_hard = easy.iter().filter(|(_, s, _)| is_hard_type(s)).count();
    for (r, s, _) in easy.iter().filter(|(_, s, _)| is_hard_type(s)).take(6) {
        println!("  {}: {:?} {:?} {:.0} min typed {s}", a.name, r.kind, r.name, realistic::duration_s(r) / 60.0);
    }
    // Verdicts with the estimates against verdicts with the true thresholds.
    let true_gray: HashMap<i64, bool> =
        typed(runs, reference).into_iter().map(|(r, _, g)| (r.start_unix_s, g == "true")).collect();
    let judged: Vec<_> = rows.iter().filter(|(_, s, _)| matches!(s.as_str(), "easy" | "long")).collect();
    let fine: Vec<_> = judged.iter().filter(|(r, _, _)| !true_gray[&r.start_unix_s]).collect();
    let false_gray = fine.iter().filter(|(_, _, g)| g == "true").count();
    let gray: Vec<_> = judged.iter().filter(|(r, _, _)| true_gray[&r.start_unix_s]).collect();
    let said = gray.iter().filter(|(_, _, g)| g == "true").count();
    let t = &o.summary["thresholds"];
    let p = a.physiology;
    let err =
        |key: &str, truth: f64| (t[key]["bpm"].as_f64().unwrap() - truth, t[key]["uncertainty_bpm"].as_f64().unwrap());
    Figures {
        named: named.len(),
        agree_pct: pct(agree, named.len()),
        typed_hard_pct: pct(typed_hard, rows.len()),
        true_hard_pct: pct(true_hard, rows.len()),
        easy_typed_hard_pct: pct(easy_hard, easy.len()),
        false_gray_pct: pct(false_gray, fine.len()),
        gray_said_pct: pct(said, gray.len()),
        errors: [err("max_hr", p.max_hr_bpm), err("lthr", p.lthr_bpm), err("lt1", p.lt1_bpm())],
    }
}

fn run_all() -> Vec<(Athlete, Figures)> {
    realistic::athletes()
        .into_iter()
        .map(|a| {
            let runs = realistic::simulate_athlete(&a);
            let dir = tempfile::tempdir().unwrap();
            realistic::write_history(&runs, &dir.path().join("history")).unwrap();
            let o = analyze(dir.path(), "estimated", &[]);
            let p = a.physiology;
            let truth = [("--max-hr", p.max_hr_bpm), ("--lthr", p.lthr_bpm), ("--lt1", p.lt1_bpm())];
            let flags: Vec<String> = truth.iter().flat_map(|(f, v)| [(*f).to_owned(), format!("{}", v.round())]).collect();
            let reference = analyze(dir.path(), "true-thresholds", &flags);
            let f = figures(&a, &runs, &o, &reference);
            let [max, lthr, lt1] = f.errors;
            println!(
                "{}: {:.0} % of {} named runs agree; typed workout/race {:.0} % (truth {:.0} %); easy/long typed hard {:.1} %; gray flags the true thresholds would not raise {:.0} %, true gray flagged {:.0} %; max {:+.0} (+-{}), LTHR {:+.0} (+-{}), LT1 {:+.0} (+-{})",
                a.name,
                f.agree_pct,
                f.named,
                f.typed_hard_pct,
                f.true_hard_pct,
                f.easy_typed_hard_pct,
                f.false_gray_pct,
                f.gray_said_pct,
                max.0,
                max.1,
                lthr.0,
                lthr.1,
                lt1.0,
                lt1.1
            );
            (a, f)
        })
        .collect()
}

/// One pass over every athlete (the histories take most of the time), all
/// figures checked from it.
#[test]
fn session_types_and_thresholds_on_realistic_athletes() {
    let all = run_all();
    let mut failures = Vec::new();
    let mut check = |ok: bool, what: String| {
        if !ok {
            failures.push(what);
        }
    };
    for (a, f) in &all {
        // Achieved: 100 % for every athlete (the goal is 90 %).
        check(f.agree_pct >= 90.0, format!("{}: {:.0} % of named runs agree", a.name, f.agree_pct));
        // Achieved: at most 3.2 % (alpine) of truly easy or long runs typed hard.
        check(
            f.easy_typed_hard_pct <= 5.0,
            format!("{}: {:.1} % of easy/long typed hard", a.name, f.easy_typed_hard_pct),
        );
        // Achieved: the workout/race share within 6 points of the truth.
        check(
            (f.typed_hard_pct - f.true_hard_pct).abs() <= 9.0,
            format!("{}: typed hard {:.0} % vs truth {:.0} %", a.name, f.typed_hard_pct, f.true_hard_pct),
        );
        let [max, lthr, lt1] = f.errors;
        // Achieved: |max HR error| <= 9 bpm (low_easy, who never runs all out).
        check(max.0.abs() <= 13.0, format!("{}: max HR off by {:+.0}", a.name, max.0));
        // Achieved: |LTHR error| <= 6 bpm.
        check(lthr.0.abs() <= 9.0, format!("{}: LTHR off by {:+.0}", a.name, lthr.0));
        // Achieved: |LT1 error| <= 9 bpm.
        check(lt1.0.abs() <= 13.0, format!("{}: LT1 off by {:+.0}", a.name, lt1.0));
        // The stated uncertainty covers the error (about two standard errors).
        for (name, (error, uncertainty)) in [("max HR", max), ("LTHR", lthr), ("LT1", lt1)] {
            check(
                error.abs() <= 2.0 * uncertainty + 1.0,
                format!("{}: {name} off by {error:+.0}, stated +-{uncertainty}", a.name),
            );
        }
        // Achieved: at most 1 % of the easy runs the true thresholds find fine
        // are flagged gray (the borderline verdict keeps the rest unflagged).
        check(f.false_gray_pct <= 3.0, format!("{}: {:.0} % false gray flags", a.name, f.false_gray_pct));
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
