//! Squad mode (`runlens analyze --athletes DIR` or `--roster roster.csv`):
//! a coach's athletes, each through the single-athlete pipeline (`run`)
//! with their own settings, one at a time so memory is that of one
//! athlete, then an overview of who needs attention first and one
//! hive-partitioned Parquet dataset for the whole squad. An athlete's
//! broken files, bad settings or even a crash only ever touch their own row.

pub mod athletes;
pub mod attention;
pub mod dataset;
pub mod roster;
pub mod row;
pub mod write;

use std::io::Write;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use crate::cli::AnalyzeArgs;
use crate::config::{Config, Terminal, absolute, check_output_outside_inputs};
use crate::error::Error;
use crate::tables::squad::{SQUAD_CSV, SQUAD_HTML, athlete_dir, athlete_key};
use crate::tables::staging::{Staging, check_output};
use athletes::Entry;
use row::{Row, Status};

/// One athlete, ready to run.
#[derive(Debug)]
pub struct Athlete {
    pub name: String,
    /// Folder and partition name (`tables::squad::athlete_key`).
    pub key: String,
    /// Their settings, or why they are invalid (that athlete fails alone).
    pub config: Result<Config, String>,
}

/// A validated squad run.
#[derive(Debug)]
pub struct Squad {
    pub out_dir: PathBuf,
    pub athletes: Vec<Athlete>,
    pub quiet: bool,
    pub strict: bool,
}

impl Squad {
    /// Check the squad's arguments and every athlete's settings before any
    /// export is read. A roster's mistakes stop the command (the coach
    /// fixes the line); an athlete's own `runlens.toml` only fails them.
    pub fn from_args(args: AnalyzeArgs, terminal: Terminal) -> Result<Squad, Error> {
        refuse_per_athlete_flags(&args)?;
        let (entries, roster) = match (&args.athletes, &args.roster) {
            (Some(dir), None) => (athletes::from_dir(dir, args.quiet)?, None),
            (None, Some(path)) => (roster::read(path)?, Some(path.clone())),
            _ => return Err(Error::Config("give either --athletes DIR or --roster CSV, not both".into())),
        };
        let mut inputs: Vec<PathBuf> = entries.iter().flat_map(|e| e.inputs.iter().cloned()).collect();
        inputs.extend(args.athletes.iter().cloned());
        check_output_outside_inputs(&args.out, &inputs)?;
        inputs.extend(roster.iter().cloned());
        check_inputs_outside_output(&args.out, &inputs)?;
        // Warnings name the files; progress bars would interleave.
        let terminal = Terminal { stderr: false, ..terminal };
        let mut squad = Vec::with_capacity(entries.len());
        for entry in entries {
            let key = athlete_key(&entry.name);
            let config = Config::from_args(athlete_args(&args, &entry, &key), terminal);
            let config = match (config, &roster) {
                (Ok(c), _) => Ok(c),
                (Err(e), Some(_)) => return Err(Error::Config(format!("{}: {e}", entry.origin))),
                (Err(e), None) => Err(e.to_string()),
            };
            squad.push(Athlete { name: entry.name, key, config });
        }
        Ok(Squad { out_dir: args.out, athletes: squad, quiet: args.quiet, strict: args.strict })
    }
}

/// Threshold flags describe one body; a squad has many.
fn refuse_per_athlete_flags(args: &AnalyzeArgs) -> Result<(), Error> {
    let given = [
        ("--max-hr", args.max_hr),
        ("--lthr", args.lthr),
        ("--lt1", args.lt1),
        ("--resting-hr", args.resting_hr),
        ("--target-hr", args.target_hr),
    ];
    match given.iter().find(|(_, v)| v.is_some()) {
        Some((flag, _)) => Err(Error::Config(format!(
            "{flag} is one athlete's threshold: in squad mode give it per athlete (a roster column, or [thresholds] in the runlens.toml of the athlete's folder)"
        ))),
        None => Ok(()),
    }
}

/// Replacing the output folder must never delete an export or the roster.
fn check_inputs_outside_output(out: &Path, inputs: &[PathBuf]) -> Result<(), Error> {
    let out_abs = absolute(out);
    match inputs.iter().find(|i| absolute(i).starts_with(&out_abs)) {
        Some(input) => Err(Error::Config(format!(
            "the input {} is inside --out {}, which a squad run replaces whole: pass --out with a folder elsewhere",
            input.display(),
            out.display()
        ))),
        None => Ok(()),
    }
}

/// The single-athlete arguments for `entry`: the squad's flags, their
/// inputs, their folder under `athletes/`, their settings file (over the
/// squad's) and their roster thresholds (over any file).
fn athlete_args(args: &AnalyzeArgs, entry: &Entry, key: &str) -> AnalyzeArgs {
    let t = entry.thresholds;
    AnalyzeArgs {
        inputs: entry.inputs.clone(),
        athletes: None,
        roster: None,
        out: athlete_dir(&args.out, key),
        config: entry.settings.clone().or_else(|| args.config.clone()),
        max_hr: t.max_hr_bpm,
        lthr: t.lthr_bpm,
        lt1: t.lt1_bpm,
        resting_hr: t.resting_hr_bpm,
        target_hr: t.target_hr_bpm,
        strict: false,
        ..args.clone()
    }
}

/// Analyze every athlete into a staging folder, then write the overview
/// and swap the whole squad output in.
pub fn run(squad: &Squad, out: &mut dyn Write) -> Result<(), Error> {
    check_output(&squad.out_dir, SQUAD_CSV)?;
    let staging = Staging::marked(&squad.out_dir, SQUAD_CSV)?;
    let total = squad.athletes.len();
    let mut rows = Vec::with_capacity(total);
    for (i, athlete) in squad.athletes.iter().enumerate() {
        let row = analyze(athlete, staging.path());
        if !squad.quiet {
            let note = match &row.status {
                Status::Ok => format!("{} activities", row.activities),
                other => other.as_str().replace('_', " "),
            };
            eprintln!("[{}/{total}] {}: {note}", i + 1, athlete.name);
        }
        rows.push(row);
    }
    attention::rank(&mut rows);
    write::squad_csv(staging.path(), &rows)?;
    write::squad_html(staging.path(), &rows)?;
    staging.commit()?;
    print_summary(squad, &rows, out).map_err(|source| Error::Write { path: "stdout".into(), source })?;
    let troubled = rows.iter().filter(|r| r.status != Status::Ok || r.unreadable > 0).count();
    if squad.strict && troubled > 0 {
        return Err(Error::Strict { count: troubled });
    }
    Ok(())
}

/// One athlete through `run`, into `squad_out/athletes/<key>`, and their row.
fn analyze(athlete: &Athlete, squad_out: &Path) -> Row {
    let failed = |why: String| Row::empty(&athlete.name, &athlete.key, Status::Failed(why));
    let config = match &athlete.config {
        Ok(c) => Config { out_dir: athlete_dir(squad_out, &athlete.key), ..c.clone() },
        Err(why) => return failed(why.clone()),
    };
    // A panic in one athlete's analysis is that athlete's failure alone.
    let outcome = catch_unwind(AssertUnwindSafe(|| crate::run(&config, &mut std::io::sink())));
    match outcome {
        Ok(Ok(_)) => {}
        Ok(Err(Error::NoActivities { found, .. })) => {
            return Row::empty(&athlete.name, &athlete.key, Status::NoRuns(found));
        }
        Ok(Err(e)) => return failed(e.to_string()),
        Err(_) => {
            return failed("runlens crashed on this athlete's data (see the message above); please report it".into());
        }
    }
    let sports: Vec<&str> = config.run_sports.iter().map(|s| s.as_str()).collect();
    let row = row::read(&config.out_dir, &athlete.name, &athlete.key, &sports).map_err(failed);
    let row = match row {
        Ok(row) => row,
        Err(row) => return row,
    };
    match dataset::write_partitions(&config.out_dir, squad_out, &athlete.key) {
        Ok(()) => row,
        Err(e) => failed(e.to_string()),
    }
}

/// The overview's files and the athletes needing attention most.
fn print_summary(squad: &Squad, rows: &[Row], out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "{} athletes analyzed into {}", rows.len(), squad.out_dir.display())?;
    for row in rows.iter().filter(|r| r.score > 0.0).take(5) {
        writeln!(out, "  {:>3}. {} ({:.1}): {}", row.rank, row.name, row.score, attention::reason(row))?;
    }
    writeln!(out, "{}", squad.out_dir.join(SQUAD_CSV).display())?;
    writeln!(out, "{}", squad.out_dir.join(SQUAD_HTML).display())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Inputs;

    #[test]
    fn squad_wide_threshold_flags_are_refused_and_roster_thresholds_apply() {
        // Parsed as the command line would be, so new flags need no edit here.
        let args = AnalyzeArgs::parse_from(["-q", "-o", "o", "--max-hr", "190"]).unwrap();
        let err = refuse_per_athlete_flags(&args).unwrap_err().to_string();
        assert!(err.contains("--max-hr is one athlete's threshold"), "{err}");
        let entry = Entry {
            name: "Ann".into(),
            inputs: vec!["ann".into()],
            settings: None,
            thresholds: athletes::Thresholds { lthr_bpm: Some(170), ..Default::default() },
            origin: String::new(),
        };
        let one = athlete_args(&AnalyzeArgs { max_hr: None, ..args }, &entry, "Ann");
        assert_eq!(one.lthr, Some(170));
        assert_eq!(one.out, PathBuf::from("o/athletes/Ann"));
        let config = Config::from_args(one, Terminal::default()).unwrap();
        assert_eq!(config.inputs, Inputs::Paths(vec!["ann".into()]));
    }
}
