//! The realistic athletes' own properties: they disagree with runlens's
//! rules (LT1 and LTHR ratios, linear HR, clamped max), carry the artifacts
//! they promise, and stay within plausible bounds.

use super::*;
use crate::athlete::RunKind;

/// Every athlete's history, simulated once for all tests.
fn all() -> &'static [(Athlete, Vec<SimActivity>)] {
    static ALL: std::sync::OnceLock<Vec<(Athlete, Vec<SimActivity>)>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        athletes()
            .into_iter()
            .map(|a| {
                let runs = simulate_athlete(&a);
                (a, runs)
            })
            .collect()
    })
}

fn truth(r: &SimActivity) -> &RunTruth {
    r.realistic.as_deref().expect("realistic runs carry their truth")
}

fn hr(r: &SimActivity) -> Vec<f64> {
    r.samples.iter().filter_map(|s| s.hr_bpm).collect()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

#[test]
fn heart_rate_is_not_linear_in_speed() {
    for a in athletes() {
        let c = a.curve;
        let easy = c.speed_m_s(a.easy_hr_share * a.physiology.max_hr_bpm);
        let chord = f64::midpoint(c.hr_bpm(easy), c.lthr_bpm);
        let off = c.hr_bpm(f64::midpoint(easy, c.v_lthr_m_s)) - chord;
        assert!(off.abs() > 1.0 || c.curvature.abs() > 0.05, "{}: {off}", a.name);
        // Different athletes, different shapes.
        assert!(c.curvature != 0.0);
    }
    let shapes: Vec<f64> = athletes().iter().map(|a| a.curve.curvature).collect();
    assert!(shapes.iter().any(|&k| k > 0.2) && shapes.iter().any(|&k| k < -0.1), "{shapes:?}");
}

#[test]
fn easy_heart_rate_spans_sixty_to_eighty_percent_of_max() {
    let shares: Vec<f64> = all()
        .iter()
        .map(|(a, runs)| {
            let easy: Vec<f64> = runs
                .iter()
                .filter(|r| r.kind == RunKind::Easy && has_hr(r) && duration_s(r) > 1800.0)
                .map(|r| median(hr(r)))
                .collect();
            median(easy) / a.physiology.max_hr_bpm
        })
        .collect();
    for s in &shares {
        assert!((0.58..=0.81).contains(s), "{shares:?}");
    }
    assert!(shares.iter().any(|&s| s < 0.64) && shares.iter().any(|&s| s > 0.76), "{shares:?}");
}

#[test]
fn races_run_at_one_to_one_point_oh_eight_lthr_and_never_at_a_clamped_max() {
    for (a, runs) in all() {
        let lthr = a.physiology.lthr_bpm;
        let races: Vec<f64> = runs
            .iter()
            .filter(|r| r.kind == RunKind::Race && has_hr(r) && duration_s(r) < 4200.0)
            .map(|r| {
                let v = hr(r);
                median(v[v.len() / 2..].to_vec()) / lthr
            })
            .collect();
        // Long mountain races run below threshold.
        assert!(!races.is_empty() || a.name == "alpine", "{}", a.name);
        let inside = races.iter().filter(|s| (0.98..=1.1).contains(*s)).count();
        assert!(inside * 10 >= races.len() * 7, "{}: {races:?}", a.name);
        // Without artifacts no 30 readings in a row sit at max HR.
        for r in runs.iter().filter(|r| truth(r).start_spike_s == 0 && truth(r).cadence_lock_s == 0) {
            let v = hr(r);
            for w in v.windows(30) {
                assert!(median(w.to_vec()) < a.physiology.max_hr_bpm, "{}: {}", a.name, r.start_unix_s);
            }
        }
    }
}

#[test]
fn artifacts_are_present() {
    let runs: Vec<&SimActivity> = all().iter().flat_map(|(_, r)| r).collect();
    let count = |f: &dyn Fn(&SimActivity) -> bool| runs.iter().filter(|r| f(r)).count();
    assert!(count(&|r| truth(r).cadence_lock_s > 0) > 30);
    assert!(count(&|r| truth(r).start_spike_s > 0) > 50);
    assert!(count(&|r| truth(r).dropout_s > 0) > 30);
    assert!(count(&|r| truth(r).first_fix_error_m > 100.0) > 100);
    assert!(count(&|r| !truth(r).pauses.is_empty()) > 30, "auto-pause at lights");
    assert!(count(&|r| truth(r).stopped_s > 0 && truth(r).pauses.is_empty()) > 30, "stops recorded");
    assert!(count(&|r| !has_hr(r)) > 3);
    assert!(count(&|r| r.sport == crate::athlete::SimSport::Treadmill) > 3);
    // A locked sensor reads the step rate: twice the cadence in strides.
    let locked = runs.iter().find(|r| truth(r).cadence_lock_s >= 60).expect("a run with cadence lock");
    let at_step_rate =
        locked.samples.iter().filter(|s| s.hr_bpm.is_some_and(|h| (h - 2.0 * s.cadence_rpm).abs() <= 3.0)).count();
    assert!(at_step_rate >= 10, "{at_step_rate}");
}

#[test]
fn smart_recording_is_irregular_and_runs_are_short_or_long() {
    for (a, runs) in all() {
        let steps: Vec<i64> =
            runs.iter().flat_map(|r| r.samples.windows(2).map(|w| w[1].unix_s - w[0].unix_s)).collect();
        let max_step = steps.iter().filter(|&&d| d <= 8).max().copied().unwrap_or(0);
        match a.recording {
            Recording::Smart => assert!(max_step == 8 && steps.contains(&1), "{}", a.name),
            Recording::EverySecond => assert_eq!(max_step, 1, "{}", a.name),
        }
        let short = runs.iter().filter(|r| (600.0..1260.0).contains(&duration_s(r))).count();
        assert!(short >= 5, "{}: {short} short runs", a.name);
    }
    let (_, alpine) = all().iter().find(|(a, _)| a.name == "alpine").unwrap();
    let mountain: Vec<&SimActivity> = alpine.iter().filter(|r| r.kind == RunKind::TrailLong).collect();
    assert!(mountain.len() >= 10);
    let paces: Vec<f64> = mountain.iter().map(|r| duration_s(r) / (r.distance_m() / 1000.0)).collect();
    for (r, pace_s_per_km) in mountain.iter().zip(&paces) {
        assert!(truth(r).climb_m > 600.0 && duration_s(r) > 5400.0, "{}", truth(r).climb_m);
        assert!((400.0..=620.0).contains(pace_s_per_km), "{pace_s_per_km}");
    }
    // 8-9 min/km in the middle.
    let middle = median(paces);
    assert!((470.0..=560.0).contains(&middle), "{middle}");
}

#[test]
fn names_say_plainly_or_nothing() {
    let runs: Vec<&SimActivity> = all().iter().flat_map(|(_, r)| r).collect();
    for plain in
        ["Corsa facile", "Lockerer Dauerlauf", "Footing", "Rodaje suave", "Duurloop", "Corrida leve", "Long Run"]
    {
        assert!(
            runs.iter().any(|r| r.name == plain && matches!(r.named_kind, Some(RunKind::Easy | RunKind::Long))),
            "{plain}"
        );
    }
    for default in ["Evening Run", "Morning Run", "Milano Corsa"] {
        let r = runs.iter().find(|r| r.name == default).unwrap_or_else(|| panic!("{default}"));
        assert_eq!(r.named_kind, None);
    }
    let misleading = runs
        .iter()
        .filter(|r| {
            r.named_kind.is_none() && r.kind.is_easy_or_long() && {
                let n = r.name.to_lowercase();
                ["race", "gara", "course", "carrera", "corrida", "wettkampf", "wedstrijd", "prova"]
                    .iter()
                    .any(|w| n.contains(w))
            }
        })
        .count();
    assert!(misleading >= 5, "{misleading}");
}

#[test]
fn fitness_slumps_for_one_athlete_and_stays_flat_for_another() {
    const WEEK: i64 = 7 * 86_400;
    let (a, runs) = all().iter().find(|(a, _)| a.slump_onset.is_some()).unwrap();
    let onset = a.slump_onset.unwrap();
    let level = |from: i64, to: i64| {
        let v: Vec<f64> =
            runs.iter().filter(|r| (from..to).contains(&r.start_unix_s)).map(|r| r.true_speed_at_hr(140.0)).collect();
        v.iter().sum::<f64>() / v.len() as f64
    };
    let before = level(onset - 2 * WEEK, onset);
    let after = level(onset + 6 * WEEK, onset + 8 * WEEK);
    let loss = 1.0 - after / before;
    assert!((0.025..0.045).contains(&loss), "{loss}");
    let (_, steady) = all().iter().find(|(a, _)| a.name == "steady").unwrap();
    assert!(steady.iter().all(|r| (r.fitness - 1.0).abs() < 0.03));
}

#[test]
fn histories_are_deterministic_and_sorted() {
    let a = &athletes()[2];
    let (x, y) = (simulate_athlete(a), simulate_athlete(a));
    assert_eq!(x.len(), y.len());
    assert!(x.windows(2).all(|w| w[0].start_unix_s <= w[1].start_unix_s));
    assert!(x.iter().zip(&y).all(|(p, q)| p.samples == q.samples && p.name == q.name));
}

#[test]
fn thresholds_break_the_ninety_percent_rules() {
    for a in athletes() {
        let p = a.physiology;
        let lt1_share = p.lt1_bpm() / p.lthr_bpm;
        let lthr_share = p.lthr_bpm / p.max_hr_bpm;
        assert!((0.78..=0.88).contains(&lt1_share), "{}: {lt1_share}", a.name);
        assert!((0.86..=0.93).contains(&lthr_share), "{}: {lthr_share}", a.name);
        assert!((lt1_share - 0.9).abs() > 0.015, "{}", a.name);
    }
}

#[test]
#[ignore = "a printout for tuning"]
fn print_athletes() {
    for (a, runs) in all() {
        let n = runs.len();
        let samples: usize = runs.iter().map(|r| r.samples.len()).sum();
        let mut kinds = std::collections::BTreeMap::new();
        for r in runs {
            *kinds.entry(format!("{:?}", r.kind)).or_insert(0) += 1;
        }
        let easy: Vec<&SimActivity> = runs.iter().filter(|r| r.kind == RunKind::Easy && has_hr(r)).collect();
        let pace = |r: &SimActivity| duration_s(r) / (r.distance_m() / 1000.0);
        let mean_pace = easy.iter().map(|r| pace(r)).sum::<f64>() / easy.len() as f64;
        let easy_hr: Vec<f64> = easy.iter().flat_map(|r| r.samples.iter().filter_map(|s| s.hr_bpm)).collect();
        let mean_hr = easy_hr.iter().sum::<f64>() / easy_hr.len() as f64;
        let max_hr = runs.iter().flat_map(|r| r.samples.iter().filter_map(|s| s.hr_bpm)).fold(0.0, f64::max);
        let named = runs.iter().filter(|r| r.named_kind.is_some()).count();
        println!(
            "{}: {n} runs, {samples} samples, {kinds:?}, easy pace {:.0} s/km hr {mean_hr:.0} ({:.2} of max), max read {max_hr}, named {named}",
            a.name,
            mean_pace,
            mean_hr / a.physiology.max_hr_bpm
        );
        for r in runs.iter().filter(|r| r.kind == RunKind::TrailLong).take(3) {
            let t = r.realistic.as_ref().unwrap();
            let v = hr(r);
            println!(
                "  trail avg hr {:.0} max {:.0} {:.0} min {:.1} km climb {:.0} m pace {:.0}",
                v.iter().sum::<f64>() / v.len().max(1) as f64,
                v.iter().copied().fold(0.0, f64::max),
                duration_s(r) / 60.0,
                r.distance_m() / 1000.0,
                t.climb_m,
                pace(r)
            );
        }
        for r in runs.iter().filter(|r| r.kind == RunKind::Race).take(4) {
            let hr: Vec<f64> = r.samples.iter().filter_map(|s| s.hr_bpm).collect();
            println!(
                "  race {:.1} km pace {:.0} avg hr {:.0} ({:.3} lthr) {}",
                r.distance_m() / 1000.0,
                pace(r),
                hr.iter().sum::<f64>() / hr.len().max(1) as f64,
                hr.iter().sum::<f64>() / hr.len().max(1) as f64 / a.physiology.lthr_bpm,
                r.name
            );
        }
    }
}
