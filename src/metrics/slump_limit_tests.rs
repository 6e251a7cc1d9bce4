//! How early a slide can be reported at all: an oracle told the true level
//! before the slide, the runs' noise and the slide's shape (3.5 % over six
//! weeks), given runs without odd days, still has to find the onset and to
//! stay under one false alarm a year. It scores each candidate onset with
//! the most powerful test for that onset (the matched filter), so what it
//! reaches is a generous bound for `slumps`, which learns the level and
//! the noise from the runs; both are run on the same series here.

use super::tests::{day, history_with};
use super::{Pace, slumps};

const SLIDE_DAYS: i64 = 42;
const SLIDE_PCT: f64 = 3.5;
const LEVEL_S_PER_KM: f64 = 340.0;
const SD_PCT: f64 = 1.5;
const SEEDS: u64 = 400;
const ONSET: i64 = 150;
const REPORTED_WITHIN_DAYS: i64 = 28;

/// `slump_tests`' history without its odd runs.
fn runs(seed: u64, days: i64, truth: impl Fn(i64) -> f64) -> Vec<Pace> {
    history_with(seed, days, SD_PCT, truth, false)
}

fn slide(day: i64) -> f64 {
    LEVEL_S_PER_KM * (1.0 + SLIDE_PCT / 100.0 * ((day - ONSET).clamp(0, SLIDE_DAYS) as f64 / SLIDE_DAYS as f64))
}

/// At each run, the best score over every onset in the six weeks before:
/// the runs since the onset, each weighed by how far the slide has gone on
/// its day, against the true level in units of the true noise. Days are
/// counted from the history's first.
fn oracle_scores(runs: &[Pace]) -> Vec<(i64, f64)> {
    let runs: Vec<(i64, f64)> = runs.iter().map(|&(date, pace)| ((date - day(0)).num_days(), pace)).collect();
    let mut out = Vec::with_capacity(runs.len());
    for (k, &(today, _)) in runs.iter().enumerate() {
        let mut best = f64::NEG_INFINITY;
        for onset in today - SLIDE_DAYS..today {
            let (mut sum, mut squares) = (0.0, 0.0);
            for &(day, pace) in runs[..=k].iter().rev().take_while(|(day, _)| *day > onset) {
                let gone = ((day - onset) as f64 / SLIDE_DAYS as f64).min(1.0);
                sum += gone * (pace / LEVEL_S_PER_KM - 1.0) * 100.0 / SD_PCT;
                squares += gone * gone;
            }
            if squares > 0.0 {
                best = best.max(sum / squares.sqrt());
            }
        }
        out.push((today, best));
    }
    out
}

/// The days an alarm at `bar` is raised, one a slide's length at most
/// (later crossings are the same alarm).
fn alarms(scores: &[(i64, f64)], bar: f64) -> Vec<i64> {
    let mut out: Vec<i64> = Vec::new();
    for &(day, score) in scores {
        if score >= bar && out.last().is_none_or(|&last| day - last >= SLIDE_DAYS) {
            out.push(day);
        }
    }
    out
}

/// Whether `slumps`, given the same runs, reports a slump going on at the
/// onset by `REPORTED_WITHIN_DAYS` after it.
fn slumps_reports_in_time(runs: &[Pace]) -> bool {
    slumps(runs).iter().any(|s| s.end >= day(ONSET) && s.detected <= day(ONSET + REPORTED_WITHIN_DAYS))
}

#[test]
fn even_an_oracle_reports_barely_90_pct_of_slides_within_4_weeks_at_one_false_alarm_a_year() {
    let noise: Vec<Vec<(i64, f64)>> =
        (0..SEEDS).map(|seed| oracle_scores(&runs(seed, 365, |_| LEVEL_S_PER_KM))).collect();
    let per_year = |bar: f64| noise.iter().map(|s| alarms(s, bar).len()).sum::<usize>() as f64 / SEEDS as f64;
    // The lowest bar (in steps of 0.05) that keeps noise to one alarm a year.
    let bar = (0..=60).map(|i| 2.0 + 0.05 * f64::from(i)).find(|&bar| per_year(bar) <= 1.0).unwrap();
    let (mut oracle, mut ours) = (0, 0);
    for seed in 0..SEEDS {
        let runs = runs(seed + 1000, ONSET + 90, slide);
        // Any score over the bar from the onset on counts, even one noise
        // raised, and an alarm just before does not hide it.
        let window = ONSET..=ONSET + REPORTED_WITHIN_DAYS;
        oracle += usize::from(oracle_scores(&runs).iter().any(|&(day, score)| window.contains(&day) && score >= bar));
        ours += usize::from(slumps_reports_in_time(&runs));
    }
    let (oracle, ours) = (oracle as f64 / SEEDS as f64, ours as f64 / SEEDS as f64);
    println!(
        "3.5 % slide over six weeks, 1.5 % noise, reported within 28 days: oracle {:.1} % (bar {bar:.2}, {:.2} false alarms a year), slumps {:.1} %",
        100.0 * oracle,
        per_year(bar),
        100.0 * ours
    );
    // Achieved: the oracle 89 % (400 seeds: about 1.6 points either way)
    // at 0.93 false alarms a year; `slumps` 75 % on the same runs, at 0.51
    // false alarms a year (`slump_tests`; 67 % there, with odd runs). Even
    // knowing the level, the noise and the shape, 90 % of slides reported
    // within 4 weeks of their start is at the edge of what 1.5 % noise
    // allows; a 3 % step is reported in 8 days (median, `slump_tests`).
    assert!(oracle < 0.93, "the oracle reached {oracle}");
    assert!(oracle >= ours, "slumps ({ours}) did better than the oracle ({oracle}): the oracle is wrong");
    assert!(ours >= 0.7, "slumps reported {ours} of slides within 28 days");
}
