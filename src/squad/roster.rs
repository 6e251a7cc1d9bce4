//! `--roster roster.csv`: the squad as a coach keeps it, one athlete per
//! line with their exports and thresholds. Every mistake is reported with
//! the line and the athlete it concerns, before any export is read.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::athletes::{Entry, Thresholds, check_names};
use crate::error::Error;

pub const ATHLETE: &str = "athlete";
/// One or more paths separated by `;`, relative to the roster's folder.
pub const INPUT: &str = "input";
pub const LTHR: &str = "lthr";
pub const LT1: &str = "lt1";
pub const MAX_HR: &str = "max_hr";
pub const RESTING_HR: &str = "resting_hr";
pub const TARGET_HR: &str = "target_hr";
const THRESHOLDS: [&str; 5] = [LTHR, LT1, MAX_HR, RESTING_HR, TARGET_HR];

/// The roster's athletes, in its order.
pub fn read(path: &Path) -> Result<Vec<Entry>, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read { path: path.to_path_buf(), source })?;
    let base = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    parse(&text, path, &base)
}

/// The roster in `text`, its relative paths taken from `base`.
pub fn parse(text: &str, path: &Path, base: &Path) -> Result<Vec<Entry>, Error> {
    let fail = |line: u64, what: String| Error::Config(format!("{} line {line}: {what}", path.display()));
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers: Vec<String> =
        reader.headers().map_err(|e| fail(1, e.to_string()))?.iter().map(str::to_lowercase).collect();
    let columns = columns(&headers).map_err(|what| fail(1, what))?;
    let mut found = Vec::new();
    let mut lines: BTreeMap<String, u64> = BTreeMap::new();
    for record in reader.records() {
        let record = record.map_err(|e| fail(e.position().map_or(0, csv::Position::line), e.to_string()))?;
        let line = record.position().map_or(0, csv::Position::line);
        let cell = |column: &str| columns.get(column).and_then(|&i| record.get(i)).unwrap_or_default();
        let name = cell(ATHLETE).to_owned();
        if name.is_empty() {
            return Err(fail(line, format!("the {ATHLETE} column is empty: every line names one athlete")));
        }
        let at = |what: String| fail(line, format!("({name}) {what}"));
        if let Some(first) = lines.insert(name.clone(), line) {
            return Err(at(format!(
                "the athlete is already on line {first}: one line per athlete, their inputs separated by ';'"
            )));
        }
        let inputs = inputs(cell(INPUT), base).map_err(at)?;
        let bpm = |column: &str| -> Result<Option<u16>, Error> {
            let value = cell(column);
            if value.is_empty() {
                return Ok(None);
            }
            value.parse::<u16>().map(Some).map_err(|_| {
                at(format!(
                    "{column} {value:?} is not a whole number of beats per minute (leave it empty to estimate it)"
                ))
            })
        };
        let thresholds = Thresholds {
            lthr_bpm: bpm(LTHR)?,
            lt1_bpm: bpm(LT1)?,
            max_hr_bpm: bpm(MAX_HR)?,
            resting_hr_bpm: bpm(RESTING_HR)?,
            target_hr_bpm: bpm(TARGET_HR)?,
        };
        let origin = format!("{} line {line} ({name})", path.display());
        found.push(Entry { name, inputs, settings: None, thresholds, origin });
    }
    if found.is_empty() {
        return Err(fail(1, "no athlete: add one line per athlete under the header".into()));
    }
    check_names(&found)?;
    Ok(found)
}

/// Column positions by name; the two required ones present, no unknown one
/// (a misspelt threshold would otherwise be silently estimated).
fn columns(headers: &[String]) -> Result<BTreeMap<&str, usize>, String> {
    let known: Vec<&str> = [ATHLETE, INPUT].into_iter().chain(THRESHOLDS).collect();
    let mut columns = BTreeMap::new();
    for (i, h) in headers.iter().enumerate() {
        let Some(&name) = known.iter().find(|k| *k == h) else {
            return Err(format!("unknown column {h:?}: the columns are {}", known.join(", ")));
        };
        if columns.insert(name, i).is_some() {
            return Err(format!("the column {name:?} appears twice"));
        }
    }
    for required in [ATHLETE, INPUT] {
        if !columns.contains_key(required) {
            return Err(format!("no {required:?} column: the header needs at least {ATHLETE},{INPUT}"));
        }
    }
    Ok(columns)
}

/// `a.zip;b/` -> existing paths, relative ones taken from the roster's folder.
fn inputs(cell: &str, base: &Path) -> Result<Vec<PathBuf>, String> {
    let parts: Vec<&str> = cell.split(';').map(str::trim).filter(|p| !p.is_empty()).collect();
    if parts.is_empty() {
        return Err(format!("the {INPUT} column is empty: give the athlete's export (a zip, folder or file)"));
    }
    parts
        .into_iter()
        .map(|p| {
            let path = base.join(p);
            if path.exists() {
                Ok(path)
            } else {
                Err(format!(
                    "the input {p:?} does not exist (relative paths start at the roster's folder, {})",
                    base.display()
                ))
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_in(dir: &Path, text: &str) -> Result<Vec<Entry>, String> {
        parse(text, Path::new("roster.csv"), dir).map_err(|e| e.to_string())
    }

    #[test]
    fn rows_give_names_paths_and_thresholds() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("a")).unwrap();
        std::fs::write(dir.path().join("b.zip"), "").unwrap();
        let text = "Athlete, input ,LTHR,max_hr\nAnn Lee,a;b.zip,168,\nBob,b.zip,,190\n";
        let found = parse_in(dir.path(), text).unwrap();
        assert_eq!(found[0].inputs, [dir.path().join("a"), dir.path().join("b.zip")]);
        assert_eq!(found[0].thresholds.lthr_bpm, Some(168));
        assert_eq!(found[1].thresholds, Thresholds { max_hr_bpm: Some(190), ..Thresholds::default() });
        assert_eq!(found[1].origin, "roster.csv line 3 (Bob)");
    }

    #[test]
    fn mistakes_name_the_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("a")).unwrap();
        let err = |text: &str| parse_in(dir.path(), text).unwrap_err();
        assert!(err("athlete,input,lthr\nAnn,a,fast\n").contains("line 2: (Ann) lthr \"fast\" is not a whole number"));
        assert!(
            err("athlete,input\nAnn,missing.zip\n").contains("line 2: (Ann) the input \"missing.zip\" does not exist")
        );
        assert!(err("athlete,input,ltrh\nAnn,a,160\n").contains("line 1: unknown column \"ltrh\""));
        assert!(err("athlete\nAnn\n").contains("no \"input\" column"));
        assert!(err("athlete,input\nAnn,a\nAnn,a\n").contains("line 3: (Ann) the athlete is already on line 2"));
        assert!(err("athlete,input\n,a\n").contains("line 2: the athlete column is empty"));
        assert!(err("athlete,input\n").contains("no athlete"));
    }
}
