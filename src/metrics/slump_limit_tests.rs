//! How early any detector could report a slide, whatever its rules: an
//! oracle told the runs' noise and the slide's shape (3.5 % over six
//! weeks), given runs without odd days, still has to find the onset, to
//! learn the level before it from the runs, and to stay under one false
//! alarm a year. No rule that knows less, `slumps` included, can expect to
//! do better, so the goal of a slide reported within 4 weeks of its start
//! can be weighed against the noise.
#![allow(clippy::cast_precision_loss)] // day counts and seed counts

use crate::stats::test_rng::Rng;

const SLIDE_DAYS: i64 = 42;
const SLIDE_PCT: f64 = 3.5;
const LEVEL_S_PER_KM: f64 = 340.0;
const SD_PCT: f64 = 1.5;
const SEEDS: u64 = 400;

/// Runs on about four days a week, as `slump_tests`' histories, with
/// normal noise and no odd runs: (day, pace).
fn runs(seed: u64, days: i64, truth: impl Fn(i64) -> f64) -> Vec<(i64, f64)> {
    let mut rng = Rng(seed);
    let mut out = Vec::new();
    for d in 0..days {
        if rng.unit() < 4.0 / 7.0 {
            out.push((d, truth(d) * (1.0 + SD_PCT / 100.0 * rng.normal())));
        }
    }
    out
}

/// Days before an onset whose runs give the level (as `slumps`' baseline).
const BASE_DAYS: i64 = 63;

/// At each run, the best score over every onset in the six weeks before:
/// the runs since the onset weighed by how far the slide has gone at each
/// (the most powerful test for a slide of that shape from that day),
/// against the level of the nine weeks before the onset, in the true noise.
fn oracle_scores(runs: &[(i64, f64)]) -> Vec<(i64, f64)> {
    let mut out = Vec::with_capacity(runs.len());
    for (k, &(today, _)) in runs.iter().enumerate() {
        let mut best = f64::NEG_INFINITY;
        for onset in today - SLIDE_DAYS..today {
            let before: Vec<f64> =
                runs.iter().filter(|(day, _)| (onset - BASE_DAYS..=onset).contains(day)).map(|r| r.1).collect();
            if before.len() < 10 {
                continue;
            }
            let level = before.iter().sum::<f64>() / before.len() as f64;
            let (mut sum, mut weights, mut squares) = (0.0, 0.0, 0.0);
            for &(day, pace) in runs[..=k].iter().rev().take_while(|(day, _)| *day > onset) {
                let gone = ((day - onset) as f64 / SLIDE_DAYS as f64).min(1.0);
                sum += gone * (pace / level - 1.0) * 100.0 / SD_PCT;
                (weights, squares) = (weights + gone, squares + gone * gone);
            }
            // The level's own doubt moves every run of the sum together.
            let variance = squares + weights * weights / before.len() as f64;
            if squares > 0.0 {
                best = best.max(sum / variance.sqrt());
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

#[test]
fn no_detector_reports_90_pct_of_slides_within_4_weeks_at_one_false_alarm_a_year() {
    let noise: Vec<Vec<(i64, f64)>> =
        (0..SEEDS).map(|seed| oracle_scores(&runs(seed, 365, |_| LEVEL_S_PER_KM))).collect();
    let per_year = |bar: f64| noise.iter().map(|s| alarms(s, bar).len()).sum::<usize>() as f64 / SEEDS as f64;
    // The lowest bar (in steps of 0.05) that keeps noise to one alarm a year.
    let bar = (0..=60).map(|i| 2.0 + 0.05 * f64::from(i)).find(|&bar| per_year(bar) <= 1.0).unwrap();
    let onset = 150;
    let slide = |d: i64| LEVEL_S_PER_KM * (1.0 + SLIDE_PCT / 100.0 * ((d - onset).clamp(0, SLIDE_DAYS) as f64 / 42.0));
    let within = (0..SEEDS)
        .filter(|&seed| {
            let scores = oracle_scores(&runs(seed + 1000, onset + 90, slide));
            // Any score over the bar from the onset on counts, even one
            // noise raised, and an alarm just before does not hide it.
            scores.iter().any(|&(day, score)| (onset..=onset + 28).contains(&day) && score >= bar)
        })
        .count() as f64
        / SEEDS as f64;
    println!(
        "oracle: bar {bar:.2} ({:.2} false alarms a year); a 3.5 % slide over six weeks at 1.5 % noise reported within 28 days in {:.0} %",
        per_year(bar),
        100.0 * within
    );
    // Achieved: bar 2.90 (0.91 false alarms a year), 86 % within 28 days
    // (400 seeds, so about 2 points either way), against 67 % for `slumps`,
    // which also has to estimate the noise and to face odd runs (given the
    // same odd runs, 1 in 30 off by 10-20 %, clipped at 3 noise units,
    // with a plain mean for the level, this oracle fell to 57 %). Even the oracle stays under 90 %: a slide
    // reported within 4 weeks of its start, nearly always, is beyond what
    // 1.5 % noise allows at one false alarm a year. A 3 % step is
    // reported in 8 days (median; `slump_tests`).
    assert!(within < 0.9, "the oracle reached {within}");
    assert!(within >= 0.67, "the oracle ({within}) did worse than `slumps` (0.67): the oracle is wrong");
}
