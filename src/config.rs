//! Validated settings for a run. Everything the pipeline needs is checked
//! here, before any file is read, so mistakes fail fast with a clear message.

use std::path::{Component, Path, PathBuf};

use crate::cli::AnalyzeArgs;
use crate::error::Error;
use crate::metrics::{self, thresholds::Known};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inputs {
    /// The demo export embedded in the binary.
    Demo,
    Paths(Vec<PathBuf>),
}

#[derive(Debug, Clone)]
pub struct Config {
    pub inputs: Inputs,
    pub out_dir: PathBuf,
    pub jobs: Option<usize>,
    pub quiet: bool,
    pub strict: bool,
    /// Draw a progress bar (only on a terminal, and not with --quiet).
    pub progress: bool,
    pub metrics: metrics::Settings,
}

impl Config {
    pub fn from_args(args: AnalyzeArgs, stderr_is_terminal: bool) -> Result<Config, Error> {
        let inputs = if args.inputs.is_empty() { Inputs::Demo } else { Inputs::Paths(args.inputs) };
        if let Inputs::Paths(paths) = &inputs {
            check_output_outside_inputs(&args.out, paths)?;
        }
        let flags = Known {
            max_hr_bpm: args.max_hr.map(f64::from),
            lthr_bpm: args.lthr.map(f64::from),
            lt1_bpm: args.lt1.map(f64::from),
            resting_hr_bpm: args.resting_hr.map(f64::from),
        };
        check_threshold_order(&flags)?;
        let metrics = metrics::Settings {
            flags,
            target_hr_bpm: args.target_hr.map(f64::from),
            weekly_target: args.weekly_target,
            ..metrics::Settings::with_defaults()
        };
        Ok(Config {
            inputs,
            out_dir: args.out,
            jobs: args.jobs.map(usize::from),
            quiet: args.quiet,
            strict: args.strict,
            progress: stderr_is_terminal && !args.quiet,
            metrics,
        })
    }
}

/// Resting < LT1 < LTHR < max: anything else is a typo worth catching.
fn check_threshold_order(k: &Known) -> Result<(), Error> {
    let named =
        [("--resting-hr", k.resting_hr_bpm), ("--lt1", k.lt1_bpm), ("--lthr", k.lthr_bpm), ("--max-hr", k.max_hr_bpm)];
    let given: Vec<(&str, f64)> = named.iter().filter_map(|(n, v)| Some((*n, (*v)?))).collect();
    for pair in given.windows(2) {
        let ((a, va), (b, vb)) = (pair[0], pair[1]);
        if va >= vb {
            return Err(Error::Config(format!("{a} {va:.0} must be below {b} {vb:.0}")));
        }
    }
    Ok(())
}

/// runlens never writes into the user's exports.
fn check_output_outside_inputs(out: &Path, inputs: &[PathBuf]) -> Result<(), Error> {
    let out_abs = absolute(out);
    for input in inputs.iter().filter(|p| p.is_dir()) {
        let input_abs = absolute(input);
        if out_abs.starts_with(&input_abs) {
            return Err(Error::OutputInsideInput { out: out.to_path_buf(), input: input.clone() });
        }
    }
    Ok(())
}

/// An absolute, normalized path that resolves symlinks in the part that
/// exists (the output folder may not exist yet).
fn absolute(path: &Path) -> PathBuf {
    let joined = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = joined.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name().map(ToOwned::to_owned), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = std::fs::canonicalize(&existing).unwrap_or(existing);
    for name in rest.into_iter().rev() {
        out.push(name);
    }
    out.components().filter(|c| !matches!(c, Component::CurDir)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(inputs: Vec<PathBuf>, out: PathBuf) -> AnalyzeArgs {
        AnalyzeArgs {
            inputs,
            out,
            jobs: None,
            quiet: false,
            strict: false,
            max_hr: None,
            lthr: None,
            lt1: None,
            resting_hr: None,
            target_hr: None,
            weekly_target: 3,
        }
    }

    #[test]
    fn refuses_output_inside_an_input_folder() {
        let dir = tempfile::tempdir().unwrap();
        let inside = args(vec![dir.path().to_path_buf()], dir.path().join("out/x"));
        assert!(matches!(Config::from_args(inside, false), Err(Error::OutputInsideInput { .. })));
        let beside = args(vec![dir.path().join("a")], dir.path().join("out"));
        assert!(Config::from_args(beside, false).is_ok());
    }

    #[test]
    fn threshold_flags_must_be_in_order() {
        let mut a = args(vec![], "o".into());
        (a.lthr, a.max_hr) = (Some(185), Some(180));
        let err = Config::from_args(a, false).unwrap_err().to_string();
        assert!(err.contains("--lthr 185 must be below --max-hr 180"), "{err}");
    }

    #[test]
    fn no_inputs_means_demo_and_quiet_hides_progress() {
        let mut a = args(vec![], "o".into());
        a.quiet = true;
        let c = Config::from_args(a, true).unwrap();
        assert_eq!(c.inputs, Inputs::Demo);
        assert!(!c.progress);
    }
}
