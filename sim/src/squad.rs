//! A coach's squad for squad mode's tests and scale measurements: N
//! athletes, each a folder of M FIT runs, deterministic and varied (body,
//! gray easy runs, fitness trend, layoffs, who stopped running weeks ago,
//! some with their thresholds in a `runlens.toml`).

use std::io;
use std::path::Path;

use crate::athlete::{Physiology, Plan, simulate};
use crate::write::fit_bytes;

/// Runs a week in the plan without rides.
const RUNS_PER_WEEK: usize = 4;
const WEEK_S: i64 = 7 * 86_400;

/// The plan of athlete `i` of a squad, for `runs` runs. Seconds between
/// samples: 5, a watch's smart recording.
pub fn plan(i: usize, runs: usize) -> Plan {
    // Spread the athletes' traits with co-prime strides so they mix.
    let step = |stride: usize, levels: usize| ((i * stride) % levels) as f64 / (levels - 1) as f64;
    let lthr_bpm = 160.0 + 20.0 * step(7, 11);
    let physiology = Physiology {
        rest_hr_bpm: 45.0 + 15.0 * step(3, 6),
        hr_per_m_s: 28.0 + 4.0 * step(5, 5),
        max_hr_bpm: lthr_bpm + 15.0 + 7.0 * step(3, 4),
        lthr_bpm,
        own_lt1_bpm: None,
    };
    let layoff = i % 4 == 1;
    let weeks = runs.div_ceil(RUNS_PER_WEEK) + if layoff { 3 } else { 0 };
    // Every fifth athlete stopped running a few weeks before the others.
    let stopped_weeks = if i % 5 == 3 { 4 } else { 0 };
    let last_monday = crate::DEMO_FIRST_MONDAY - stopped_weeks * WEEK_S;
    Plan {
        physiology,
        step_s: 5,
        routes: 3 + i % 6,
        gray_share: 0.6 * step(3, 7),
        fitness_gain: -0.04 + 0.14 * step(9, 8),
        layoff_weeks: if layoff { vec![weeks - 10, weeks - 9, weeks - 8] } else { vec![] },
        first_monday_unix_s: last_monday - weeks as i64 * WEEK_S,
        ..Plan::new(1000 + i as u64, weeks)
    }
}

/// The athlete's name: `athlete-007`.
pub fn name(i: usize) -> String {
    format!("athlete-{i:03}")
}

/// Write `athletes` athletes of `runs` runs each into `dir/athlete-NNN/`
/// (`run-00000.fit`, ...); every third athlete also gets a `runlens.toml`
/// with their true LTHR and maximum heart rate.
pub fn write_squad(dir: &Path, athletes: usize, runs: usize) -> io::Result<()> {
    for i in 0..athletes {
        let plan = plan(i, runs);
        let folder = dir.join(name(i));
        let files: Vec<Vec<u8>> = simulate(&plan).iter().take(runs).map(fit_bytes).collect();
        crate::bench::write_files(&folder, &files)?;
        if i % 3 == 0 {
            let body = plan.physiology;
            let toml = format!("[thresholds]\nlthr = {:.0}\nmax_hr = {:.0}\n", body.lthr_bpm, body.max_hr_bpm);
            std::fs::write(folder.join("runlens.toml"), toml)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn athletes_differ_and_have_the_runs_asked_for() {
        let (a, b) = (plan(0, 40), plan(1, 40));
        assert_ne!(a.physiology, b.physiology);
        assert_eq!(simulate(&b).len().min(40), 40);
        assert!(b.layoff_weeks.len() == 3 && a.layoff_weeks.is_empty());
    }
}
