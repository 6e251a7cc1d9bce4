//! Benchmark exports: N one-hour activities at 1 Hz (about 3,600 records and
//! ~100 KB of FIT each), the size of a real run file.

use std::io;
use std::path::Path;

use crate::athlete::{Plan, simulate};
use crate::write::fit_bytes;

/// `n` one-hour runs at 1 Hz as FIT bytes, deterministic.
pub fn hour_runs_fit(n: usize) -> Vec<Vec<u8>> {
    runs_fit(n, 60.0, 1)
}

/// Monday 2000-01-03: runlens skips activities dated before 2000.
const FIRST_MONDAY_OF_2000: i64 = 946_857_600;

/// `n` runs of `minutes` each, recorded every `step_s` seconds, as FIT
/// bytes: four a week, so 3,000 runs span about fourteen years. They end
/// where the demo begins, in the past (runlens skips activities dated after
/// tomorrow), starting no earlier than 2000.
pub fn runs_fit(n: usize, minutes: f64, step_s: i64) -> Vec<Vec<u8>> {
    let weeks = n.div_ceil(4).max(1);
    let first_monday = (crate::DEMO_FIRST_MONDAY - weeks as i64 * 7 * 86_400).max(FIRST_MONDAY_OF_2000);
    let plan = Plan {
        routes: 8,
        fixed_minutes: Some(minutes),
        step_s,
        first_monday_unix_s: first_monday,
        ..Plan::new(42, weeks)
    };
    simulate(&plan).iter().take(n).map(fit_bytes).collect()
}

/// Write `n` one-hour FIT files into `dir` (created).
pub fn write_folder(dir: &Path, n: usize) -> io::Result<()> {
    write_files(dir, &hour_runs_fit(n))
}

/// Write FIT files into `dir` (created) as `run-00000.fit`, ...
pub fn write_files(dir: &Path, files: &[Vec<u8>]) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for (i, bytes) in files.iter().enumerate() {
        std::fs::write(dir.join(format!("run-{i:05}.fit")), bytes)?;
    }
    Ok(())
}
