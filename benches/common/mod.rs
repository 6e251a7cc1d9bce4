//! What the benches share: an `analyze` configuration like the CLI's
//! defaults, quiet, with a fixed number of threads.

use std::path::Path;

use runlens::config::{Config, Inputs};
use runlens::parse::Sport;

pub fn config(input: &Path, out: &Path, jobs: usize) -> Config {
    Config {
        inputs: Inputs::Paths(vec![input.to_path_buf()]),
        out_dir: out.to_path_buf(),
        jobs: Some(jobs),
        quiet: true,
        strict: false,
        progress: false,
        metrics: runlens::metrics::Settings::with_defaults(),
        since: None,
        until: None,
        utc_offset: None,
        run_sports: vec![Sport::Running, Sport::TrailRunning, Sport::Treadmill],
        units: runlens::units::Units::Metric,
        color: false,
        cache: None,
    }
}
