#![allow(clippy::cast_possible_wrap)] // seconds of a constructed run

use super::*;
use crate::parse::Point;

const REST_BPM: f64 = 110.0;
const END_BPM: f64 = 175.0;
const TAU_S: f64 = 40.0;
/// Warm-up 300 s at 2.5 m/s, an effort of 240 s at 4 m/s, then 200 s after it.
const STOP_S: usize = 540;

/// Speed and heart rate per second: `after_m_s` once the effort ends, the
/// heart rate falling from 175 bpm towards 110 with a 40 s time constant.
fn run(after_m_s: f64) -> (Vec<f64>, Vec<f64>) {
    let (mut speed, mut hr) = (Vec::new(), Vec::new());
    for t in 0..STOP_S + 200 {
        let (v, h) = if t < 300 {
            (2.5, 130.0)
        } else if t < STOP_S {
            // Rising to the end value and holding it for the last 30 s.
            (4.0, (130.0 + (t - 300) as f64 * 0.3).min(END_BPM))
        } else {
            (after_m_s, REST_BPM + (END_BPM - REST_BPM) * (-((t - STOP_S) as f64) / TAU_S).exp())
        };
        speed.push(v);
        hr.push(h);
    }
    (speed, hr)
}

fn samples(speed: &[f64], hr: &[f64]) -> Samples {
    let mut s = Samples::default();
    for (t, (v, h)) in speed.iter().zip(hr).enumerate() {
        s.push(&Point {
            time_ms: 1_780_000_000_000 + t as i64 * 1000,
            speed_m_s: Some(*v),
            hr_bpm: h.is_finite().then_some(*h),
            ..Point::default()
        });
    }
    s
}

/// The drop the constructed curve holds `s` seconds after the stop.
fn true_drop(s: f64) -> f64 {
    (END_BPM - REST_BPM) * (1.0 - (-s / TAU_S).exp())
}

#[test]
fn a_known_drop_is_read_60_and_120_seconds_after_the_stop() {
    let (speed, hr) = run(0.0);
    let r = recovery(&samples(&speed, &hr)).expect("an eligible effort");
    assert!((r.end_hr_bpm - END_BPM).abs() < 0.5, "{r:?}");
    // The 5-s speed mean puts the end a second before the stop.
    assert!((r.drop_60s_bpm - true_drop(59.0)).abs() < 0.5, "{r:?} vs {}", true_drop(59.0));
    assert!((r.drop_120s_bpm.unwrap() - true_drop(119.0)).abs() < 0.5, "{r:?} vs {}", true_drop(119.0));
    assert_eq!(r.end_offset_s as usize, STOP_S - 1);
}

#[test]
fn slowing_to_an_easy_jog_counts_as_stopping() {
    let (speed, hr) = run(2.0);
    assert!(recovery(&samples(&speed, &hr)).is_some());
}

#[test]
fn a_two_minute_jog_between_reps_gives_the_60_s_value_only() {
    let (mut speed, hr) = run(0.0);
    for v in &mut speed[STOP_S + 100..] {
        *v = 4.0;
    }
    let r = recovery(&samples(&speed, &hr)).expect("the 60-s value");
    assert!((r.drop_60s_bpm - true_drop(59.0)).abs() < 0.5, "{r:?}");
    assert_eq!(r.drop_120s_bpm, None);
}

#[test]
fn running_on_is_no_recovery() {
    let (speed, hr) = run(3.5);
    assert_eq!(recovery(&samples(&speed, &hr)), None);
}

#[test]
fn a_dropout_after_the_effort_is_no_recovery() {
    let (speed, mut hr) = run(0.0);
    for v in &mut hr[STOP_S + 30..STOP_S + 50] {
        *v = f64::NAN;
    }
    assert_eq!(recovery(&samples(&speed, &hr)), None);
}

#[test]
fn an_artifact_after_the_effort_is_no_recovery() {
    let (speed, mut hr) = run(0.0);
    hr[STOP_S + 40] += 30.0;
    assert_eq!(recovery(&samples(&speed, &hr)), None);
    // A heart rate climbing back above the end value is no recovery either.
    let (speed, mut hr) = run(0.0);
    for v in &mut hr[STOP_S + 60..STOP_S + 130] {
        *v = END_BPM + 10.0;
    }
    assert_eq!(recovery(&samples(&speed, &hr)), None);
}

#[test]
fn an_easy_effort_is_not_hard_enough() {
    // The same stop after an effort at 140 bpm, in a run that peaked at 175.
    let (speed, mut hr) = run(0.0);
    for v in &mut hr[300..STOP_S] {
        *v = 140.0;
    }
    for v in &mut hr[100..140] {
        *v = END_BPM;
    }
    for v in &mut hr[STOP_S..] {
        *v -= END_BPM - 140.0;
    }
    assert_eq!(recovery(&samples(&speed, &hr)), None);
}

#[test]
fn a_short_effort_is_no_recovery() {
    let (mut speed, hr) = run(0.0);
    for v in &mut speed[..STOP_S - 120] {
        *v = 1.0;
    }
    assert_eq!(recovery(&samples(&speed, &hr)), None);
}

#[test]
fn sparse_recording_every_5_seconds_still_reads() {
    let (speed, hr) = run(0.0);
    let keep: Vec<usize> = (0..speed.len()).step_by(5).collect();
    let pick = |v: &[f64]| keep.iter().map(|&i| v[i]).collect::<Vec<_>>();
    let mut s = Samples::default();
    for (&i, (v, h)) in keep.iter().zip(pick(&speed).iter().zip(pick(&hr))) {
        s.push(&Point { time_ms: i as i64 * 1000, speed_m_s: Some(*v), hr_bpm: Some(h), ..Point::default() });
    }
    let r = recovery(&s).expect("readable at 5 s");
    assert!((r.drop_60s_bpm - true_drop(60.0)).abs() < 3.0, "{r:?}");
}

#[test]
fn a_gpx_track_without_speed_or_distance_still_reads() {
    let (speed, hr) = run(0.0);
    let mut s = Samples::default();
    let mut north_m = 0.0;
    for (t, (v, h)) in speed.iter().zip(&hr).enumerate() {
        north_m += v;
        s.push(&Point {
            time_ms: t as i64 * 1000,
            lat_deg: Some(46.5 + north_m / crate::geo::M_PER_DEG),
            lon_deg: Some(6.6),
            hr_bpm: Some(*h),
            ..Point::default()
        });
    }
    let r = recovery(&s).expect("readable from the track");
    assert!((r.drop_60s_bpm - true_drop(59.0)).abs() < 1.0, "{r:?}");
}

/// Self-consistency: the windows summed side by side give, to the bit,
/// the best mean of one window at a time, with missing seconds anywhere
/// and series shorter than, as long as and longer than the lanes.
#[test]
fn best_mean_side_by_side_is_that_of_one_window_at_a_time() {
    let one_at_a_time =
        |v: &[f64], window: usize| v.windows(window).map(mean).filter(|m| m.is_finite()).max_by(f64::total_cmp);
    let mut rng = crate::stats::test_rng::Rng(7);
    for len in [0, 1, 3, 4, 5, 29, 30, 31, 33, 34, 35, 100, 257] {
        let v: Vec<f64> =
            (0..len).map(|_| if rng.below(40) == 0 { f64::NAN } else { 120.0 + 60.0 * rng.unit() }).collect();
        for window in [1, 2, 5, 30] {
            let (got, want) = (best_mean(&v, window), one_at_a_time(&v, window));
            assert_eq!(got.map(f64::to_bits), want.map(f64::to_bits), "{len} seconds, window {window}");
        }
    }
    // Sums that start from -0 as `mean`'s does: a lane started at +0 would
    // give +0 here.
    for v in [vec![-0.0; 9], vec![-3.5, -0.0, -1.25, -7.0, -0.0, -2.0]] {
        for window in [1, 2, 5] {
            let (got, want) = (best_mean(&v, window), one_at_a_time(&v, window));
            assert_eq!(got.map(f64::to_bits), want.map(f64::to_bits), "{v:?}, window {window}");
        }
    }
    assert_eq!(best_mean(&[150.0; 5], 0), None, "no window");
}
