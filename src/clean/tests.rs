//! Unit tests of the cleaning steps, on small hand-built activities.

use super::*;
use crate::parse::Point;

fn run(samples: Samples) -> Activity {
    let mut a = Activity { samples, ..Activity::default() };
    a.meta.sport = crate::parse::Sport::Running;
    a
}

fn samples(points: &[(i64, f64, f64, f64)]) -> Samples {
    let mut s = Samples::default();
    for &(t, d, alt, hr) in points {
        s.push(&Point {
            time_ms: t * 1000,
            distance_m: Some(d),
            altitude_m: Some(alt),
            hr_bpm: Some(hr),
            ..Point::default()
        });
    }
    s
}

#[test]
fn resamples_every_5_s_to_1_hz_and_leaves_pauses_out() {
    // 3 m/s for 60 s, a 2-minute pause, 3 m/s for 60 s again.
    let mut pts: Vec<_> = (0..=12).map(|i| (i * 5, i as f64 * 15.0, 100.0, 140.0)).collect();
    pts.extend((0..=12).map(|i| (180 + i * 5, 180.0 + i as f64 * 15.0, 100.0, 150.0)));
    let c = clean(&run(samples(&pts)));
    assert_eq!(c.len(), 120, "two 60-second stretches");
    assert_eq!(c.quality.paused_s, 120);
    assert!(c.speed_m_s.iter().filter(|v| v.is_finite()).all(|v| (v - 3.0).abs() < 1e-4));
    assert!(c.gap_speed_m_s.iter().filter(|v| v.is_finite()).all(|v| (v - 3.0).abs() < 1e-4), "flat: GAP = speed");
}

#[test]
fn a_gap_of_decades_is_paused_time_not_a_long_loop() {
    let mut pts: Vec<_> = (0..=10).map(|t| (t, t as f64 * 3.0, 100.0, 140.0)).collect();
    let far = 100 * 365 * 86_400; // a clock a century off
    pts.extend((0..=10).map(|t| (far + t, 30.0 + t as f64 * 3.0, 100.0, 140.0)));
    let c = clean(&run(samples(&pts)));
    assert_eq!(c.len(), 20);
    assert_eq!(c.quality.paused_s, u32::try_from(far - 10).unwrap());
}

#[test]
fn uphill_gap_is_faster_than_speed() {
    // 2.5 m/s up a steady 10 % grade.
    let pts: Vec<_> = (0..=120).map(|t| (t, t as f64 * 2.5, 100.0 + t as f64 * 0.25, 150.0)).collect();
    let c = clean(&run(samples(&pts)));
    let mid = c.len() / 2;
    let ratio = f64::from(c.gap_speed_m_s[mid] / c.speed_m_s[mid]);
    assert!((ratio - grade_cost_ratio(0.1)).abs() < 0.01, "{ratio}");
}

#[test]
fn hr_artifacts_are_removed_and_counted() {
    let mut pts: Vec<_> = (0..=30).map(|t| (t, t as f64 * 3.0, 100.0, 140.0)).collect();
    pts[10].3 = 0.0; // dropout reading
    pts[20].3 = 215.0; // spike
    let c = clean(&run(samples(&pts)));
    assert_eq!(c.quality.hr_artifacts, 2);
    assert!(c.hr_bpm[20].is_nan() && c.hr_bpm[10].is_nan());
}

#[test]
fn cadence_lock_is_an_artifact_brief_coincidence_is_not() {
    let mut s = samples(&(0..=120).map(|t| (t, t as f64 * 3.0, 100.0, 140.0)).collect::<Vec<_>>());
    s.cadence_rpm = vec![85.0; s.len()];
    // 40 s locked at 170 bpm = 2 x 85, then 10 s that merely touch it.
    for t in 20..60 {
        s.hr_bpm[t] = 170.0;
    }
    for t in 80..90 {
        s.hr_bpm[t] = 170.0 + (t % 2) as f64;
    }
    let c = clean(&run(s));
    assert!(c.hr_bpm[20..60].iter().all(|v| v.is_nan()));
    assert!(c.hr_bpm[80..90].iter().all(|v| v.is_finite()));
    assert_eq!(c.quality.hr_artifacts, 40);
}

#[test]
fn gps_jumps_do_not_add_distance() {
    let mut s = Samples::default();
    for t in 0..=20 {
        let lat = if t == 10 { 1.0 } else { t as f64 * 3.0 / 111_195.0 };
        s.push(&Point { time_ms: t * 1000, lat_deg: Some(lat), lon_deg: Some(0.0), ..Point::default() });
    }
    let c = clean(&run(s));
    assert_eq!(c.quality.gps_jumps, 1);
    assert!(c.speed_m_s.iter().filter(|v| v.is_finite()).all(|v| *v < 7.0));
}

fn hr_only(times_s: impl Iterator<Item = i64>) -> Samples {
    let mut s = Samples::default();
    for t in times_s {
        s.push(&Point { time_ms: t * 1000, hr_bpm: Some(150.0), ..Point::default() });
    }
    s
}

#[test]
fn without_speed_distance_or_position_every_second_not_paused_is_moving() {
    let c = clean(&run(hr_only((0..=60).chain(180..=240))));
    assert_eq!(c.len(), 120, "two minutes of moving, not standing");
    assert_eq!((c.quality.stopped_s, c.quality.paused_s), (0, 120));
    assert!(c.hr_bpm.iter().all(|v| (*v - 150.0).abs() < 1e-3));
}

#[test]
fn a_speed_channel_alone_is_enough_to_see_standing() {
    let mut s = hr_only(0..=120);
    s.speed_m_s = (0..=120).map(|t| if t < 60 { 3.0 } else { 0.0 }).collect();
    let c = clean(&run(s));
    assert!((58..=62).contains(&c.len()), "{}", c.len());
    assert!(c.quality.stopped_s >= 58);
}

#[test]
fn timer_pauses_are_paused_even_when_samples_go_on() {
    let mut a = run(hr_only(0..=120));
    a.meta.pauses = vec![(30_000, 90_000)];
    let c = clean(&a);
    assert_eq!((c.len(), c.quality.paused_s), (60, 60));
}

#[test]
fn a_first_fix_3_km_off_is_one_jump_and_adds_no_distance() {
    let mut s = Samples::default();
    for t in 0..=300 {
        let north_m = if t == 0 { -3000.0 } else { t as f64 * 3.0 };
        s.push(&Point {
            time_ms: t * 1000,
            lat_deg: Some(46.5 + north_m / 111_195.0),
            lon_deg: Some(6.6),
            hr_bpm: Some(150.0),
            ..Point::default()
        });
    }
    let c = clean(&run(s));
    assert_eq!(c.quality.gps_jumps, 1);
    // The second before the first kept fix has no distance; after it, 3 m/s.
    assert!(c.speed_m_s[3..].iter().filter(|v| v.is_finite()).all(|v| (*v - 3.0).abs() < 0.01));
}

/// The grid is sized before it is filled: the count of seconds ahead is
/// the loop's own, plus only the seconds of pairs inside a timer pause
/// (left to the loop). A drift between the two would show as room missing
/// (the grid grown) or room to spare.
#[test]
fn the_grid_is_sized_for_its_seconds_before_it_is_filled() {
    // Seconds 0-3, a repeated time, half-second steps, a 30-s gap, then
    // seconds 35-41 with a timer pause over 37-39.
    let times_ms = [0, 1000, 2000, 3000, 3000, 3500, 4500, 34_500, 35_500, 36_500, 37_500, 38_500, 39_500, 40_500];
    let mut s = Samples::default();
    for &t in &times_ms {
        s.push(&Point { time_ms: t, hr_bpm: Some(140.0), ..Point::default() });
    }
    let zeros = vec![0.0; s.len()];
    let mut quality = Quality::default();
    let grid = resample(&s, &[(37_000, 39_000)], &zeros, &s.hr_bpm, &mut quality);
    // The two pairs whose middle is in the pause (36.5-37.5, 37.5-38.5)
    // would fill two seconds.
    let paused_pairs_s = 2;
    assert_eq!(grid.elapsed_s.capacity(), grid.elapsed_s.len() + paused_pairs_s);
    assert_eq!(grid.hr_bpm.capacity(), grid.elapsed_s.capacity());
    assert_eq!(grid.elapsed_s, [0, 1, 2, 3, 4, 35, 36, 39, 40]);
}
