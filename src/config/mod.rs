//! Validated settings for a run: flags over `runlens.toml` over DESIGN.md's
//! defaults. Everything is checked here, before any file is read, so
//! mistakes fail fast with a clear message.

pub mod file;
mod validate;

use std::path::{Component, Path, PathBuf};

use chrono::NaiveDate;

use crate::cli::{AnalyzeArgs, ColorArg, UnitsArg};
use crate::error::Error;
use crate::metrics::{self, thresholds::Known};
use crate::parse::Sport;
use crate::units::Units;
use file::FileConfig;
use validate::{Given, Limit, Sourced, check, pick, whole};

const DEFAULT_CONFIG_FILE: &str = "runlens.toml";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inputs {
    /// The demo export embedded in the binary.
    Demo,
    Paths(Vec<PathBuf>),
}

// Independent on/off switches from independent flags; an enum would not
// make any combination clearer.
#[allow(clippy::struct_excessive_bools)]
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
    /// Local days to keep (inclusive); `None` is open-ended.
    pub since: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    /// The zone of activities whose file has neither an offset nor a
    /// position (`--utc-offset`); see `features::timezone` for the order of evidence.
    pub utc_offset: Option<crate::features::timezone::Setting>,
    /// Sports the metrics treat as runs.
    pub run_sports: Vec<Sport>,
    pub units: Units,
    /// Colour the terminal summary.
    pub color: bool,
    /// The per-file cache folder; `None` with `--no-cache` (see `cache`).
    pub cache: Option<PathBuf>,
}

/// What the terminal can show, detected once in `main`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Terminal {
    pub stdout: bool,
    pub stderr: bool,
    /// `NO_COLOR` is set to something (<https://no-color.org>).
    pub no_color: bool,
}

impl Terminal {
    pub fn detect() -> Terminal {
        use std::io::IsTerminal;
        Terminal {
            stdout: std::io::stdout().is_terminal(),
            stderr: std::io::stderr().is_terminal(),
            no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
        }
    }
}

impl From<UnitsArg> for Units {
    fn from(u: UnitsArg) -> Units {
        match u {
            UnitsArg::Metric => Units::Metric,
            UnitsArg::Imperial => Units::Imperial,
        }
    }
}

impl Config {
    pub fn from_args(args: AnalyzeArgs, terminal: Terminal) -> Result<Config, Error> {
        let inputs = if args.inputs.is_empty() { Inputs::Demo } else { Inputs::Paths(args.inputs) };
        if let Inputs::Paths(paths) = &inputs {
            check_output_outside_inputs(&args.out, paths)?;
        }
        let cache = cache_dir(args.cache.clone(), args.no_cache, &inputs, |name| std::env::var_os(name))?;
        let path = args.config.clone().unwrap_or_else(|| PathBuf::from(DEFAULT_CONFIG_FILE));
        let file = file::load(&path, args.config.is_some())?.unwrap_or_default();
        let FileConfig { thresholds: ft, analysis: fa, pace_at_hr: fp, report: fr, efforts: fe } = file;
        let units = match (args.units, fr.units.as_deref()) {
            (Some(flag), _) => flag.into(),
            (None, Some(name)) => Units::parse(name).ok_or_else(|| {
                Error::Config(format!(
                    "[report] units = {name:?} in {} is not \"metric\" or \"imperial\"",
                    path.display()
                ))
            })?,
            (None, None) => Units::Metric,
        };
        let color = match args.color {
            ColorArg::Always => true,
            ColorArg::Never => false,
            ColorArg::Auto => terminal.stdout && !terminal.no_color,
        };
        let at = |section, key| Given::File { path: &path, section, key };
        let num = |v: Option<i64>| v.map(|v| v as f64);
        // Every value, from a flag or the file, passes the same range check.
        let hr = |flag: Option<u16>, name, file: Option<i64>, key| {
            check(pick(flag.map(f64::from), name, num(file), at("thresholds", key)), validate::HR_BPM)
        };
        let max_hr = hr(args.max_hr, "--max-hr", ft.max_hr, "max_hr")?;
        let lthr = hr(args.lthr, "--lthr", ft.lthr, "lthr")?;
        let lt1 = hr(args.lt1, "--lt1", ft.lt1, "lt1")?;
        let resting_hr = hr(args.resting_hr, "--resting-hr", ft.resting_hr, "resting_hr")?;
        let target_hr = hr(args.target_hr, "--target-hr", ft.target_hr, "target_hr")?;
        check_threshold_order(&[resting_hr, lt1, lthr, max_hr])?;
        let bpm = |v: Sourced<'_>| v.map(|v| v.0);
        let flags =
            Known { max_hr_bpm: bpm(max_hr), lthr_bpm: bpm(lthr), lt1_bpm: bpm(lt1), resting_hr_bpm: bpm(resting_hr) };
        let defaults = metrics::Settings::with_defaults();
        let (mut pace, max_decoupling_pct) = pace_settings(&fp, &path)?;
        pace.effort_distances = effort_distances(&args.effort_distances, fe.distances_m.as_deref(), &path)?;
        let weekly: Sourced<'_> = pick(
            args.weekly_target.map(f64::from),
            "--weekly-target",
            num(fa.weekly_target),
            at("analysis", "weekly_target"),
        );
        let metrics = metrics::Settings {
            flags,
            target_hr_bpm: bpm(target_hr),
            weekly_target: check(weekly, validate::WEEKLY_RUNS)?.map_or(defaults.weekly_target, |v| whole(v.0)),
            max_decoupling_pct,
            pace,
            sex: sex(ft.sex.as_deref(), &path)?,
        };
        let day = |flag: Option<String>, name, file: Option<toml::Value>, key| {
            let given = flag
                .map(|v| (toml::Value::String(v), Given::Flag(name)))
                .or_else(|| file.map(|v| (v, at("analysis", key))));
            validate::day(given.as_ref().map(|(v, g)| (v, *g)))
        };
        let since = day(args.since, "--since", fa.since, "since")?;
        let until = day(args.until, "--until", fa.until, "until")?;
        if let (Some(a), Some(b)) = (since, until)
            && a > b
        {
            return Err(Error::Config(format!("--since {a} is after --until {b}")));
        }
        let utc_offset = args
            .utc_offset
            .as_deref()
            .map(|v| (v, Given::Flag("--utc-offset")))
            .or_else(|| fa.utc_offset.as_deref().map(|v| (v, at("analysis", "utc_offset"))))
            .map(|(v, given)| {
                crate::features::timezone::Setting::parse(v).map_err(|e| Error::Config(format!("{given} {e}")))
            })
            .transpose()?;
        let sport_names = if args.sport.is_empty() { fa.sport.unwrap_or_default() } else { args.sport };
        let run_sports = parse_sports(&sport_names)?;
        Ok(Config {
            inputs,
            out_dir: args.out,
            jobs: args.jobs.map(usize::from),
            quiet: args.quiet,
            strict: args.strict,
            progress: terminal.stderr && !args.quiet,
            metrics,
            since,
            until,
            utc_offset,
            run_sports,
            units,
            color,
            cache,
        })
    }
}

/// `--cache DIR`, or the default folder (none without a home, or when it
/// lies inside an input folder, where its files would become inputs), or
/// none with `--no-cache`. A `--cache` inside an input is refused.
fn cache_dir(
    given: Option<PathBuf>,
    off: bool,
    inputs: &Inputs,
    env: impl Fn(&str) -> Option<std::ffi::OsString>,
) -> Result<Option<PathBuf>, Error> {
    if off {
        return Ok(None);
    }
    let inputs: &[PathBuf] = if let Inputs::Paths(paths) = inputs { paths } else { &[] };
    let inside = |dir: &Path| {
        let dir_abs = absolute(dir);
        inputs.iter().filter(|p| p.is_dir()).find(|input| dir_abs.starts_with(absolute(input))).cloned()
    };
    if let Some(dir) = given {
        if let Some(input) = inside(&dir) {
            return Err(Error::Config(format!(
                "--cache {} is inside the input {}: runlens never writes into your exports; pass a folder elsewhere",
                dir.display(),
                input.display()
            )));
        }
        return Ok(Some(dir));
    }
    Ok(crate::cache::dir::default_dir(env).filter(|dir| inside(dir).is_none()))
}

/// `[thresholds] sex`: picks the TRIMP constant; anything else is refused.
fn sex(value: Option<&str>, path: &Path) -> Result<metrics::load::Sex, Error> {
    value.map_or(Ok(metrics::load::Sex::Unknown), |v| {
        metrics::load::Sex::parse(v).ok_or_else(|| {
            Error::Config(format!("[thresholds] sex = {v:?} in {} is not \"female\" or \"male\"", path.display()))
        })
    })
}

/// The `[pace_at_hr]` keys (no flags), range-checked, over the defaults;
/// with the decoupling limit.
fn pace_settings(fp: &file::PaceAtHr, path: &Path) -> Result<(crate::features::kernel::Settings, f64), Error> {
    let num = |v: Option<i64>| v.map(|v| v as f64);
    let defaults = metrics::Settings::with_defaults();
    let d = defaults.pace;
    let pace_key = |v: Option<f64>, key, limit: Limit| -> Result<Option<f64>, Error> {
        let at = Given::File { path, section: "pace_at_hr", key };
        Ok(check(v.map(|v| (v, at)), limit)?.map(|v| v.0))
    };
    let secs = |v: Option<i64>, key, limit, default: u32| -> Result<u32, Error> {
        Ok(pace_key(num(v), key, limit)?.map_or(default, whole))
    };
    let pace = crate::features::kernel::Settings {
        skip_start_s: secs(fp.skip_start_s, "skip_start_s", validate::SKIP_S, d.skip_start_s)?,
        skip_end_s: secs(fp.skip_end_s, "skip_end_s", validate::SKIP_S, d.skip_end_s)?,
        window_s: secs(fp.window_s, "window_s", validate::WINDOW_S, d.window_s)?,
        max_speed_cv: pace_key(fp.max_speed_cv, "max_speed_cv", validate::SPEED_CV)?.unwrap_or(d.max_speed_cv),
        min_hr_coverage: pace_key(fp.min_hr_coverage, "min_hr_coverage", validate::SHARE)?.unwrap_or(d.min_hr_coverage),
        min_near_target_s: secs(
            fp.min_near_target_s,
            "min_near_target_s",
            validate::NEAR_TARGET_S,
            d.min_near_target_s,
        )?,
        near_bpm: pace_key(fp.near_bpm, "near_bpm", validate::NEAR_BPM)?.unwrap_or(d.near_bpm),
        effort_distances: d.effort_distances,
    };
    let decoupling = pace_key(fp.max_decoupling_pct, "max_decoupling_pct", validate::DECOUPLING_PCT)?
        .unwrap_or(defaults.max_decoupling_pct);
    Ok((pace, decoupling))
}

/// `--effort-distances` over `[efforts] distances_m`, each range-checked.
fn effort_distances(
    flag: &[f64],
    file: Option<&[f64]>,
    path: &Path,
) -> Result<crate::features::efforts::Distances, Error> {
    let (values, given) = match file {
        Some(v) if flag.is_empty() => (v, Given::File { path, section: "efforts", key: "distances_m" }),
        _ => (flag, Given::Flag("--effort-distances")),
    };
    for &v in values {
        check(Some((v, given)), validate::EFFORT_M)?;
    }
    crate::features::efforts::Distances::with_extra(values).ok_or_else(|| {
        Error::Config(format!(
            "{given} lists {} distances; at most {} besides the standard ones",
            values.len(),
            crate::features::efforts::MAX_EXTRA_DISTANCES
        ))
    })
}

fn parse_sports(names: &[String]) -> Result<Vec<Sport>, Error> {
    if names.is_empty() {
        return Ok(vec![Sport::Running, Sport::TrailRunning, Sport::Treadmill]);
    }
    names
        .iter()
        .map(|n| {
            Sport::ALL.into_iter().find(|s| s.as_str() == n.trim()).ok_or_else(|| {
                let valid: Vec<&str> = Sport::ALL.iter().map(|s| s.as_str()).collect();
                Error::Config(format!("--sport {n:?} is not one of {}", valid.join(", ")))
            })
        })
        .collect()
}

/// Resting < LT1 < LTHR < max: anything else is a typo worth catching.
fn check_threshold_order(given: &[Sourced<'_>]) -> Result<(), Error> {
    let given: Vec<(f64, Given<'_>)> = given.iter().filter_map(|v| *v).collect();
    for pair in given.windows(2) {
        let ((va, a), (vb, b)) = (pair[0], pair[1]);
        if va >= vb {
            return Err(Error::Config(format!("{a} {va:.0} must be below {b} {vb:.0}")));
        }
    }
    Ok(())
}

/// runlens never writes into the user's exports.
pub fn check_output_outside_inputs(out: &Path, inputs: &[PathBuf]) -> Result<(), Error> {
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
pub fn absolute(path: &Path) -> PathBuf {
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
            athletes: None,
            roster: None,
            out,
            jobs: None,
            quiet: false,
            strict: false,
            max_hr: None,
            lthr: None,
            lt1: None,
            resting_hr: None,
            target_hr: None,
            weekly_target: None,
            since: None,
            until: None,
            utc_offset: None,
            sport: vec![],
            config: None,
            effort_distances: vec![],
            units: None,
            color: ColorArg::Auto,
            cache: None,
            no_cache: false,
        }
    }

    #[test]
    fn effort_distances_come_from_the_flag_over_the_file_and_are_range_checked() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("athlete.toml");
        std::fs::write(&file, "[efforts]\ndistances_m = [3000, 15000]\n").unwrap();
        let mut a = args(vec![], "o".into());
        a.config = Some(file.clone());
        let c = Config::from_args(a, Terminal::default()).unwrap();
        assert!(c.metrics.pace.effort_distances.all_m().contains(&15_000.0));
        let mut a = args(vec![], "o".into());
        (a.config, a.effort_distances) = (Some(file.clone()), vec![50.0]);
        let err = Config::from_args(a, Terminal::default()).unwrap_err().to_string();
        assert!(err.contains("--effort-distances") && err.contains("100 to 100000 m"), "{err}");
        std::fs::write(&file, "[efforts]\ndistances_m = [1, 2, 3, 4, 5, 6, 7, 8, 9]\n").unwrap();
        let mut a = args(vec![], "o".into());
        a.config = Some(file);
        let err = Config::from_args(a, Terminal::default()).unwrap_err().to_string();
        assert!(err.contains("[efforts] distances_m in"), "{err}");
    }

    #[test]
    fn refuses_output_inside_an_input_folder() {
        let dir = tempfile::tempdir().unwrap();
        let inside = args(vec![dir.path().to_path_buf()], dir.path().join("out/x"));
        assert!(matches!(Config::from_args(inside, Terminal::default()), Err(Error::OutputInsideInput { .. })));
        let beside = args(vec![dir.path().join("a")], dir.path().join("out"));
        assert!(Config::from_args(beside, Terminal::default()).is_ok());
    }

    #[test]
    fn threshold_flags_must_be_in_order() {
        let mut a = args(vec![], "o".into());
        (a.lthr, a.max_hr) = (Some(185), Some(180));
        let err = Config::from_args(a, Terminal::default()).unwrap_err().to_string();
        assert!(err.contains("--lthr 185 must be below --max-hr 180"), "{err}");
    }

    #[test]
    fn file_values_apply_and_flags_win() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("athlete.toml");
        std::fs::write(
            &path,
            "[thresholds]\nlthr = 168\nmax_hr = 190\n[analysis]\nweekly_target = 4\nsport = ['running']\n",
        )
        .unwrap();
        let mut a = args(vec![], "o".into());
        (a.config, a.max_hr) = (Some(path.clone()), Some(192));
        let c = Config::from_args(a, Terminal::default()).unwrap();
        assert_eq!(c.metrics.flags.lthr_bpm, Some(168.0));
        assert_eq!(c.metrics.flags.max_hr_bpm, Some(192.0));
        assert_eq!(c.metrics.weekly_target, 4);
        assert_eq!(c.run_sports, [Sport::Running]);
        let mut bad = args(vec![], "o".into());
        bad.sport = vec!["jogging".into()];
        let err = Config::from_args(bad, Terminal::default()).unwrap_err().to_string();
        assert!(err.contains("\"jogging\" is not one of running"), "{err}");
        let mut missing = args(vec![], "o".into());
        missing.config = Some(dir.path().join("nope.toml"));
        assert!(Config::from_args(missing, Terminal::default()).is_err(), "an explicit config must exist");
    }

    #[test]
    fn no_inputs_means_demo_and_quiet_hides_progress() {
        let mut a = args(vec![], "o".into());
        a.quiet = true;
        let c = Config::from_args(a, Terminal { stdout: true, stderr: true, no_color: false }).unwrap();
        assert_eq!(c.inputs, Inputs::Demo);
        assert!(!c.progress);
    }

    #[test]
    fn colour_only_on_a_terminal_without_no_color() {
        let tty = Terminal { stdout: true, stderr: true, no_color: false };
        let color = |c: ColorArg, t: Terminal| {
            let mut a = args(vec![], "o".into());
            a.color = c;
            Config::from_args(a, t).unwrap().color
        };
        assert!(color(ColorArg::Auto, tty));
        assert!(!color(ColorArg::Auto, Terminal { no_color: true, ..tty }));
        assert!(!color(ColorArg::Auto, Terminal::default()));
        assert!(color(ColorArg::Always, Terminal::default()));
        assert!(!color(ColorArg::Never, tty));
    }

    #[test]
    fn units_from_flag_or_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.toml");
        std::fs::write(&path, "[report]\nunits = \"imperial\"\n").unwrap();
        let mut a = args(vec![], "o".into());
        a.config = Some(path.clone());
        assert_eq!(Config::from_args(a, Terminal::default()).unwrap().units, Units::Imperial);
        let mut b = args(vec![], "o".into());
        (b.config, b.units) = (Some(path), Some(UnitsArg::Metric));
        assert_eq!(Config::from_args(b, Terminal::default()).unwrap().units, Units::Metric);
    }
}
