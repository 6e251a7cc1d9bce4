//! One range check for every setting, whether it came from a flag or from
//! `runlens.toml`: neither may let through what the other refuses, and the
//! message names where the value was given and what is allowed.

use std::fmt;
use std::path::Path;

use chrono::NaiveDate;

use crate::error::Error;

/// The values a setting may take (inclusive).
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub min: f64,
    pub max: f64,
    pub unit: &'static str,
}

/// Heart rates a human can have.
pub const HR_BPM: Limit = Limit { min: 30.0, max: 240.0, unit: "bpm" };
pub const WEEKLY_RUNS: Limit = Limit { min: 1.0, max: 14.0, unit: "runs a week" };
/// Warm-up and cool-down left out of a run.
pub const SKIP_S: Limit = Limit { min: 0.0, max: 3600.0, unit: "s" };
/// A steady window: long enough to average, short enough to find.
pub const WINDOW_S: Limit = Limit { min: 10.0, max: 1800.0, unit: "s" };
pub const NEAR_TARGET_S: Limit = Limit { min: 0.0, max: 36_000.0, unit: "s" };
pub const SPEED_CV: Limit = Limit { min: 0.01, max: 1.0, unit: "(coefficient of variation)" };
pub const SHARE: Limit = Limit { min: 0.0, max: 1.0, unit: "(a share)" };
pub const NEAR_BPM: Limit = Limit { min: 1.0, max: 30.0, unit: "bpm" };
pub const DECOUPLING_PCT: Limit = Limit { min: 0.0, max: 100.0, unit: "%" };
/// A best-effort distance: a track rep to a long ultra.
pub const EFFORT_M: Limit = Limit { min: 100.0, max: 100_000.0, unit: "m" };

/// Where a value was given, so a message says what to fix.
#[derive(Debug, Clone, Copy)]
pub enum Given<'a> {
    Flag(&'static str),
    File { path: &'a Path, section: &'static str, key: &'static str },
}

impl fmt::Display for Given<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Given::Flag(flag) => f.write_str(flag),
            Given::File { path, section, key } => write!(f, "[{section}] {key} in {}", path.display()),
        }
    }
}

/// A value and where it was given.
pub type Sourced<'a> = Option<(f64, Given<'a>)>;

/// The flag's value, else the file's: both go through [`check`].
pub fn pick<'a>(flag: Option<f64>, flag_name: &'static str, file: Option<f64>, file_at: Given<'a>) -> Sourced<'a> {
    flag.map(|v| (v, Given::Flag(flag_name))).or_else(|| file.map(|v| (v, file_at)))
}

/// The value, if it lies in `limit` (NaN never does).
pub fn check(value: Sourced<'_>, limit: Limit) -> Result<Sourced<'_>, Error> {
    let Some((v, given)) = value else { return Ok(None) };
    if (limit.min..=limit.max).contains(&v) {
        return Ok(value);
    }
    Err(Error::Config(format!("{given} is {v}, out of range: use {} to {} {}", limit.min, limit.max, limit.unit)))
}

/// A whole-number setting after [`check`]: its limits keep it in `u32`.
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // checked limits: 0 ..= 36,000
pub fn whole(v: f64) -> u32 {
    v.round() as u32
}

/// A day as the flags give it (`2026-03-01`), or as a TOML file may: the
/// same text, or a TOML date literal.
pub fn day(value: Option<(&toml::Value, Given<'_>)>) -> Result<Option<NaiveDate>, Error> {
    let Some((value, given)) = value else { return Ok(None) };
    let date = match value {
        toml::Value::String(text) => NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok(),
        toml::Value::Datetime(dt) => match (dt.date, dt.time) {
            (Some(d), None) => NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day)),
            _ => None,
        },
        _ => None,
    };
    let shown = match value {
        toml::Value::String(text) => format!("{text:?}"),
        toml::Value::Datetime(dt) => dt.to_string(),
        other => format!("a {}", other.type_str()),
    };
    date.map(Some).ok_or_else(|| Error::Config(format!("{given} is {shown}, not a date like 2026-03-01")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_of_range_and_nan_name_where_they_were_given() {
        let file = Given::File { path: Path::new("athlete.toml"), section: "pace_at_hr", key: "window_s" };
        let err = check(Some((f64::NAN, file)), WINDOW_S).unwrap_err().to_string();
        assert!(err.contains("[pace_at_hr] window_s in athlete.toml is NaN, out of range: use 10 to 1800 s"), "{err}");
        let err = check(pick(Some(0.0), "--max-hr", Some(180.0), file), HR_BPM).unwrap_err().to_string();
        assert!(err.contains("--max-hr is 0, out of range: use 30 to 240 bpm"), "{err}");
        assert_eq!(check(pick(None, "--max-hr", Some(180.0), file), HR_BPM).unwrap().map(|v| v.0), Some(180.0));
    }

    #[test]
    fn toml_date_literals_and_strings_are_both_days() {
        let at = Given::File { path: Path::new("r.toml"), section: "analysis", key: "since" };
        let parsed: toml::Table =
            toml::from_str("a = 2026-01-01\nb = \"2026-01-01\"\nc = 2026-01-01T10:00:00").unwrap();
        let want = NaiveDate::from_ymd_opt(2026, 1, 1);
        assert_eq!(day(Some((&parsed["a"], at))).unwrap(), want);
        assert_eq!(day(Some((&parsed["b"], at))).unwrap(), want);
        let err = day(Some((&parsed["c"], at))).unwrap_err().to_string();
        assert!(err.contains("[analysis] since in r.toml is 2026-01-01T10:00:00, not a date"), "{err}");
    }
}
