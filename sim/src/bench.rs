//! Benchmark exports: N one-hour activities at 1 Hz (about 3,600 records and
//! ~100 KB of FIT each), the size of a real run file.

use std::io;
use std::path::Path;

use crate::athlete::{Plan, simulate};
use crate::write::fit_bytes;

/// `n` one-hour runs at 1 Hz as FIT bytes, deterministic.
pub fn hour_runs_fit(n: usize) -> Vec<Vec<u8>> {
    let plan = Plan { routes: 8, fixed_minutes: Some(60.0), ..Plan::new(42, n.div_ceil(4).max(1)) };
    simulate(&plan).iter().take(n).map(fit_bytes).collect()
}

/// Write `n` FIT files into `dir` (created).
pub fn write_folder(dir: &Path, n: usize) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for (i, bytes) in hour_runs_fit(n).iter().enumerate() {
        std::fs::write(dir.join(format!("run-{i:05}.fit")), bytes)?;
    }
    Ok(())
}
