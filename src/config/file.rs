//! The optional `runlens.toml`: every threshold and window length as a key,
//! so a coach can keep one file per athlete. Flags override it; unknown keys
//! are refused by name, so a typo never silently falls back to a default.
//! Numbers are read wide (a negative window, a heart rate of 300) so the
//! range check the flags share can say what is allowed.

use std::path::Path;

use serde::Deserialize;

use crate::error::Error;

#[derive(Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    #[serde(default)]
    pub thresholds: Thresholds,
    #[serde(default)]
    pub analysis: Analysis,
    #[serde(default)]
    pub pace_at_hr: PaceAtHr,
    #[serde(default)]
    pub report: Report,
    #[serde(default)]
    pub efforts: Efforts,
}

#[derive(Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Efforts {
    /// Distances searched for best efforts besides the standard ones (m).
    pub distances_m: Option<Vec<f64>>,
}

#[derive(Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// "metric" or "imperial".
    pub units: Option<String>,
}

#[derive(Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    pub max_hr: Option<i64>,
    pub lthr: Option<i64>,
    pub lt1: Option<i64>,
    pub resting_hr: Option<i64>,
    pub target_hr: Option<i64>,
    /// "female" or "male": Banister's TRIMP constant (1.67 or 1.92).
    pub sex: Option<String>,
}

#[derive(Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Analysis {
    pub weekly_target: Option<i64>,
    pub sport: Option<Vec<String>>,
    /// A TOML date literal or the same as a string.
    pub since: Option<toml::Value>,
    pub until: Option<toml::Value>,
    /// "+02:00" or "Europe/Paris", like `--utc-offset`.
    pub utc_offset: Option<String>,
}

#[derive(Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PaceAtHr {
    pub skip_start_s: Option<i64>,
    pub skip_end_s: Option<i64>,
    pub window_s: Option<i64>,
    pub max_speed_cv: Option<f64>,
    pub min_hr_coverage: Option<f64>,
    pub min_near_target_s: Option<i64>,
    pub near_bpm: Option<f64>,
    pub max_decoupling_pct: Option<f64>,
}

/// Read a config file; `Ok(None)` when an implicit `runlens.toml` is absent.
pub fn load(path: &Path, explicit: bool) -> Result<Option<FileConfig>, Error> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => return Ok(None),
        Err(source) => return Err(Error::Read { path: path.to_path_buf(), source }),
    };
    toml::from_str(&text).map(Some).map_err(|e| Error::Config(format!("{}: {}", path.display(), e.message())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_sections_and_refuses_unknown_keys() {
        let c: FileConfig = toml::from_str("[thresholds]\nlthr = 168\n[analysis]\nsport = ['running']\n").unwrap();
        assert_eq!(c.thresholds.lthr, Some(168));
        assert_eq!(c.analysis.sport.as_deref(), Some(&["running".to_owned()][..]));
        let err = toml::from_str::<FileConfig>("[thresholds]\nlthrr = 168\n").unwrap_err();
        assert!(err.message().contains("lthrr"), "{}", err.message());
    }
}
