//! Slump detection on constructed histories whose truth is known: onset
//! latency, steady gains, single odd runs and the false-alarm rate of
//! noise alone over many seeds.
#![allow(
    clippy::cast_possible_wrap,
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss
)] // small, non-negative test counts and quantiles

use super::*;
use crate::stats::test_rng::Rng;

pub(super) fn day(n: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 5).unwrap() + Duration::days(n)
}

/// Runs on about four days a week for `days` days: the true pace of the day
/// times normal noise of `sd_pct`, and one run in 30 off by 10-20 % either way
/// (a bad GPS day, a hot day).
fn history(seed: u64, days: i64, sd_pct: f64, truth: impl Fn(i64) -> f64) -> Vec<Pace> {
    history_with(seed, days, sd_pct, truth, true)
}

/// [`history`], with or without its odd runs.
pub(super) fn history_with(seed: u64, days: i64, sd_pct: f64, truth: impl Fn(i64) -> f64, odd_runs: bool) -> Vec<Pace> {
    let mut rng = Rng(seed);
    let mut out = Vec::new();
    for d in 0..days {
        if rng.unit() < 4.0 / 7.0 {
            let mut pace = truth(d) * (1.0 + sd_pct / 100.0 * rng.normal());
            if odd_runs && rng.unit() < 1.0 / 30.0 {
                pace *= 1.0 + (0.1 + 0.1 * rng.unit()) * if rng.unit() < 0.5 { -1.0 } else { 1.0 };
            }
            out.push((day(d), pace));
        }
    }
    out
}

const SEEDS: u64 = 200;

#[test]
fn noise_alone_raises_at_most_one_false_alarm_a_year() {
    let mut alarms = 0;
    for seed in 0..SEEDS {
        for sd_pct in [1.5, 3.0] {
            alarms += slumps(&history(seed, 365, sd_pct, |_| 340.0)).len();
        }
    }
    let per_year = alarms as f64 / (2 * SEEDS) as f64;
    println!("noise only: {alarms} slumps in {} simulated years: {per_year:.3} a year", 2 * SEEDS);
    // Achieved 0.51 a year with the slide's bar at 2.5 (0.29 at 2.7, see
    // `Z_SLIDE`; 0.30 while three weeks of runs made a baseline, 0.40
    // while the slide also judged windows of a week, 0.04 before the slide
    // score); at most one false alarm a year is the goal, 0.7 the margin.
    assert!(per_year <= 0.7, "{per_year} false alarms a year");
}

/// Days from the true onset to the report, and the onset error, over seeds.
fn latencies(sd_pct: f64, truth: impl Fn(i64) -> f64 + Copy, onset: i64, days: i64) -> (Vec<i64>, Vec<i64>) {
    let (mut latency, mut onset_error) = (Vec::new(), Vec::new());
    for seed in 0..SEEDS {
        let found = slumps(&history(seed + 1000, days, sd_pct, truth));
        let Some(s) = found.iter().find(|s| s.end >= day(onset)) else {
            latency.push(i64::MAX);
            continue;
        };
        latency.push((s.detected - day(onset)).num_days());
        onset_error.push((s.start - day(onset)).num_days());
    }
    latency.sort_unstable();
    onset_error.sort_unstable();
    (latency, onset_error)
}

fn quantile(v: &[i64], q: f64) -> i64 {
    v[((v.len() - 1) as f64 * q).round() as usize]
}

#[test]
fn a_3_pct_loss_is_reported_within_4_weeks_of_its_onset_with_its_start() {
    let onset = 150;
    let step = |d: i64| if d < onset { 340.0 } else { 340.0 * 1.03 };
    for (sd_pct, latency_days) in [(1.5, 28), (2.0, 28)] {
        let (latency, onset_error) = latencies(sd_pct, step, onset, onset + 60);
        let (median, p90) = (quantile(&latency, 0.5), quantile(&latency, 0.9));
        let onset_median = quantile(&onset_error, 0.5);
        let onset_spread = quantile(&onset_error, 0.9) - quantile(&onset_error, 0.1);
        println!(
            "3 % step, noise {sd_pct} %: reported after {median} days (90 % within {p90}); onset error median {onset_median} days, 10-90 % spread {onset_spread}"
        );
        // Achieved at 1.5 % noise: median 8, 90 % within 14 days; at 2 %: 10
        // and 24 (9/16 and 11/24 with the slide's bar at 2.7; 7/14 and 9/27
        // while the slide also judged windows of a week, which made a laxer
        // step; 10/19 and 15/35 before the slide score).
        assert!(p90 <= latency_days + 14 && median <= latency_days, "noise {sd_pct} %: {median} / {p90} days");
        assert!(onset_median.abs() <= 7, "onset off by {onset_median} days");
    }
}

#[test]
fn a_steady_loss_of_3_6_pct_over_six_weeks_is_reported_before_the_data_ends() {
    // The bug: 3 weeks of a rolling 4-week level 2 % below the best answered
    // so late that a season ending six weeks into such a slide had no slump.
    let onset = 140;
    let slide = |d: i64| 340.0 * (1.0 + 0.036 * ((d - onset).clamp(0, 42) as f64 / 42.0));
    let (latency, _) = latencies(1.5, slide, onset, onset + 42);
    let reported = latency.iter().filter(|&&l| l <= 42).count() as f64 / latency.len() as f64;
    let median = quantile(&latency, 0.5);
    println!(
        "3.6 % over 6 weeks, 1.5 % noise: {:.0} % reported by the end, median after {median} days",
        100.0 * reported
    );
    // Achieved: 98 % reported, median after 25 days (96 % and 27 days with
    // the slide's bar at 2.7; 97 % while three weeks of runs made a
    // baseline: one seed's real slide came 3 days after a false slump,
    // whose end now needs four weeks of level; 86 % and 33 days before the
    // slide score).
    assert!(reported >= 0.94 && median <= 27, "{reported} reported, median {median} days");
}

/// The bug: a slide was reported only once the last two weeks' level was
/// 2 % slower than before, which trails the slide by a week, and the
/// scan's mean shift counts the slide's first, barely slower runs as fully
/// as the last: a 3.5 % slide over six weeks was reported after 33 days
/// (median; 34 % within 28 days).
#[test]
fn a_slide_is_reported_by_the_line_it_follows_within_4_weeks() {
    let onset = 150;
    let slide = |d: i64| 340.0 * (1.0 + 0.035 * ((d - onset).clamp(0, 42) as f64 / 42.0));
    for (sd_pct, max_median, min_within_28) in [(1.5, 25, 0.63), (2.0, 31, 0.44)] {
        let (latency, onset_error) = latencies(sd_pct, slide, onset, onset + 90);
        let median = quantile(&latency, 0.5);
        let within = latency.iter().filter(|&&l| l <= 28).count() as f64 / latency.len() as f64;
        let onset_median = quantile(&onset_error, 0.5);
        println!(
            "3.5 % over 6 weeks, noise {sd_pct} %: reported after {median} days (median; 90 % within {}), {:.0} % within 28 days; onset error median {onset_median} days",
            quantile(&latency, 0.9),
            100.0 * within
        );
        // Achieved at 1.5 % noise: median 24 days, 67 % within 28, onset
        // +3 days; at 2 %: 29 days, 48 %, +5 days (26 days, 60 %
        // and 32 days, 42 % with the slide's bar at 2.7, see `Z_SLIDE`).
        // The goal (reported within 4 weeks) is NOT met for a third of
        // seeds: by day 28 a 3.5 % slide has reached 2.3 %, which at 1.5 %
        // noise puts its line about 3 standard errors out, near the bar.
        assert!(median <= max_median && within >= min_within_28, "noise {sd_pct} %: {median} days, {within}");
        assert!(onset_median.abs() <= 10, "onset off by {onset_median} days");
    }
}

#[test]
fn steady_gains_are_never_a_slump() {
    let mut found = Vec::new();
    for seed in 0..SEEDS / 4 {
        // 6 % faster over a season of 34 weeks, with the usual noise and odd runs.
        let gains = |d: i64| 360.0 * (1.0 - 0.06 * d as f64 / 240.0);
        found.extend(slumps(&history(seed, 240, 2.0, gains)));
    }
    println!("steady gains: {} slumps in {} seasons: {found:?}", found.len(), SEEDS / 4);
    // Achieved: none in 50 seasons (1 while a baseline of three weeks
    // counted as a level: seed 34, a step score of 3.8 in the fourth week
    // of the season; 2 while the slide also judged windows of a week).
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn one_slow_run_is_never_a_slump() {
    let mut runs: Vec<Pace> =
        (0..120).step_by(2).map(|d| (day(d), 350.0 + if d % 4 == 0 { 3.0 } else { -3.0 })).collect();
    runs[40].1 = 450.0;
    assert!(slumps(&runs).is_empty());
}

#[test]
fn a_slump_ends_when_the_pace_comes_back_and_says_how_sure_it_is() {
    let truth = |d: i64| if (100..160).contains(&d) { 340.0 * 1.05 } else { 340.0 };
    let found = slumps(&history(7, 260, 1.5, truth));
    assert_eq!(found.len(), 1, "{found:?}");
    let s = found[0];
    assert!((s.start - day(100)).num_days().abs() <= 7, "{s:?}");
    assert!((s.end - day(160)).num_days().abs() <= 14, "{s:?}");
    assert!((s.slower_pct - 5.0).abs() < 1.5, "{s:?}");
    assert!(s.uncertainty_pct > 0.0 && s.uncertainty_pct < 2.0, "{s:?}");
    assert_eq!(s.confidence, Confidence::High);
}

#[test]
fn a_layoff_is_no_baseline_for_a_slump() {
    // Slower after a three-month break: that is coming back, not a slump.
    let truth = |d: i64| if d < 100 { 340.0 } else { 360.0 };
    let runs: Vec<Pace> =
        history(3, 220, 1.5, truth).into_iter().filter(|p| !(day(90)..day(180)).contains(&p.0)).collect();
    assert!(slumps(&runs).is_empty());
}

/// The bug: the slide's line judged windows of a week too, where a line
/// from the onset is a step by another name, against a lower bar than the
/// step's: five slow runs in one week of a season of steady gains (noise:
/// a step score of 3.0, under the step's 3.6) made a slump.
#[test]
fn a_week_of_slow_runs_is_judged_as_a_step_not_as_a_slide() {
    let base = level::Level { pace_s_per_km: 358.9, se_s_per_km: 1.6, runs: 17 };
    let after: Vec<Pace> =
        [(0, 351.0), (2, 366.0), (3, 376.0), (5, 368.0), (7, 366.0), (8, 375.0)].map(|(d, p)| (day(d), p)).to_vec();
    let (slide_z, _) = slide_score(&after, base, 6.63);
    assert!(slide_z >= Z_SLIDE, "the constructed week must pass the slide's bar: {slide_z}");
    assert_eq!(alarm_score(&after, &after, base, 6.63, |step| step), None);
}

/// The bug: a baseline of ten runs over the first three weeks of a
/// history counted as a level, so a week of slow runs in the fourth made a
/// slump (in a season of steady gains, noise did: five of six runs 3-6 %
/// slower, a step score of 3.8). A level spans four weeks, as the rolling
/// level's does.
#[test]
fn three_weeks_of_runs_are_no_level_to_slump_from() {
    let steady = |d: i64| 340.0 + if d % 4 == 0 { 4.0 } else { -4.0 };
    let mut runs: Vec<Pace> = (0..22).step_by(2).map(|d| (day(d), steady(d))).collect();
    runs.extend((22..30).map(|d| (day(d), 1.05 * steady(d))));
    runs.extend((30..120).step_by(2).map(|d| (day(d), steady(d))));
    assert!(slumps(&runs).is_empty(), "{:?}", slumps(&runs));
}

/// The scan at 10,000 runs (about 48 years of four runs a week, a slow
/// seasonal swing of 3 %): ignored by default, as timing on a shared
/// machine is noisy. Run with `cargo test --release --lib
/// slumps_at_10000_runs -- --ignored --nocapture`.
#[test]
#[ignore = "a timing, not a check: run on a quiet machine"]
fn slumps_at_10000_runs_take_under_50_ms() {
    let runs = history(5, 17_500, 2.0, |d| 340.0 * (1.0 + 0.03 * (d as f64 / 200.0).sin()));
    let started = std::time::Instant::now();
    let found = slumps(&runs);
    let took = started.elapsed();
    println!("{} runs: {} slumps in {took:?}", runs.len(), found.len());
    // Measured on the busy 2-core machine: 33-220 ms, against 0.72-0.91 s
    // back to back before the scan kept its baselines and skipped what
    // cannot alarm (about 0.45 s then on a quieter moment).
    assert!(took.as_millis() < 250, "{took:?}");
}
