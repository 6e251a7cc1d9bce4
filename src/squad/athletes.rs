//! Who is in the squad: the athletes of an `--athletes DIR` folder (each
//! sub-folder or zip directly in it), checked so that every athlete gets a
//! folder of its own in the output whatever their names.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::tables::squad::{MAX_KEY_BYTES, athlete_key};

/// The settings file an athlete's sub-folder may hold.
pub const SETTINGS_FILE: &str = "runlens.toml";

/// Threshold values given for one athlete (roster columns), in bpm.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Thresholds {
    pub lthr_bpm: Option<u16>,
    pub lt1_bpm: Option<u16>,
    pub max_hr_bpm: Option<u16>,
    pub resting_hr_bpm: Option<u16>,
    pub target_hr_bpm: Option<u16>,
}

/// One athlete as found, before their settings are validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    pub inputs: Vec<PathBuf>,
    /// Their own `runlens.toml`, over the squad-wide settings file.
    pub settings: Option<PathBuf>,
    pub thresholds: Thresholds,
    /// Where the athlete was named, for messages ("roster.csv line 3").
    pub origin: String,
}

/// The athletes in `dir`, sorted by name. Hidden entries are passed over;
/// loose files are named on stderr and ignored (an athlete is a folder or
/// a zip).
pub fn from_dir(dir: &Path, quiet: bool) -> Result<Vec<Entry>, Error> {
    if !dir.is_dir() {
        return Err(Error::Config(format!(
            "--athletes {} is not a folder: give the folder holding one sub-folder or zip per athlete",
            dir.display()
        )));
    }
    let read = |source| Error::Read { path: dir.to_path_buf(), source };
    let mut paths: Vec<PathBuf> =
        fs::read_dir(dir).map_err(read)?.map(|e| e.map(|e| e.path())).collect::<Result<_, _>>().map_err(read)?;
    paths.sort();
    let mut found = Vec::new();
    for path in paths {
        let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if file_name.starts_with('.') {
            continue;
        }
        let name = if path.is_dir() {
            file_name.clone()
        } else if let Some(stem) = zip_stem(&file_name) {
            stem.to_owned()
        } else {
            if !quiet {
                eprintln!(
                    "warning: {}: not an athlete (each athlete is a sub-folder or a .zip in {}); ignored",
                    path.display(),
                    dir.display()
                );
            }
            continue;
        };
        let settings = Some(path.join(SETTINGS_FILE)).filter(|p| p.is_file());
        found.push(Entry {
            name,
            inputs: vec![path.clone()],
            settings,
            thresholds: Thresholds::default(),
            origin: path.display().to_string(),
        });
    }
    if found.is_empty() {
        return Err(Error::Config(format!(
            "--athletes {} holds no athlete: put one sub-folder or zip per athlete in it",
            dir.display()
        )));
    }
    found.sort_by(|a, b| a.name.cmp(&b.name));
    check_names(&found)?;
    Ok(found)
}

/// `Ann.zip` -> `Ann` (any case of `.zip`).
fn zip_stem(file_name: &str) -> Option<&str> {
    let cut = file_name.len().checked_sub(4)?;
    let (stem, ext) = (file_name.get(..cut)?, file_name.get(cut..)?);
    (ext.eq_ignore_ascii_case(".zip") && !stem.is_empty()).then_some(stem)
}

/// Every athlete needs a folder of their own: names must be non-empty,
/// short enough for a folder name, and distinct even on a filesystem that
/// ignores case (macOS, Windows).
pub fn check_names(found: &[Entry]) -> Result<(), Error> {
    let mut seen: BTreeMap<String, &Entry> = BTreeMap::new();
    for e in found {
        if e.name.trim().is_empty() {
            return Err(Error::Config(format!("{}: the athlete's name is empty", e.origin)));
        }
        let key = athlete_key(&e.name);
        if key.len() > MAX_KEY_BYTES {
            return Err(Error::Config(format!(
                "{}: the athlete's name {:?} is too long for a folder name; shorten it",
                e.origin, e.name
            )));
        }
        if let Some(first) = seen.insert(key.to_lowercase(), e) {
            return Err(Error::Config(format!(
                "{}: athlete {:?} has the same name as {:?} ({}), ignoring case: each athlete needs a name of their own",
                e.origin, e.name, first.name, first.origin
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sub_folders_and_zips_are_athletes_and_loose_files_are_not() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("Ann Lee")).unwrap();
        fs::write(dir.path().join("Ann Lee").join(SETTINGS_FILE), "").unwrap();
        fs::write(dir.path().join("bob.ZIP"), "").unwrap();
        fs::write(dir.path().join("stray.fit"), "").unwrap();
        fs::create_dir_all(dir.path().join(".git")).unwrap();
        let found = from_dir(dir.path(), true).unwrap();
        let names: Vec<&str> = found.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["Ann Lee", "bob"]);
        assert!(found[0].settings.is_some() && found[1].settings.is_none());
    }

    #[test]
    fn names_differing_only_in_case_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("ann")).unwrap();
        fs::write(dir.path().join("Ann.zip"), "").unwrap();
        let err = from_dir(dir.path(), true).unwrap_err().to_string();
        assert!(err.contains("same name"), "{err}");
        let empty = tempfile::tempdir().unwrap();
        assert!(from_dir(empty.path(), true).unwrap_err().to_string().contains("holds no athlete"));
    }
}
