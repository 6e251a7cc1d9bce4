//! The short summary printed on stdout after a run: what was found, what was
//! kept, what was skipped, and where the tables are.

use std::io::{self, Write};
use std::path::Path;

use polars::prelude::*;

use crate::frame::{self, col};

/// Counts for the summary, gathered by `run`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Counts {
    pub files_seen: usize,
    pub activities: usize,
    pub duplicates: usize,
    pub unreadable: usize,
    pub ignored: usize,
    /// Left out by --since/--until.
    pub outside_period: usize,
}

pub struct SummaryView<'a> {
    pub counts: &'a Counts,
    pub metrics: &'a crate::metrics::Metrics,
    pub findings: &'a [String],
    pub activities: &'a DataFrame,
    pub out_dir: &'a Path,
    pub demo: bool,
}

impl SummaryView<'_> {
    pub fn print(&self, out: &mut dyn Write) -> io::Result<()> {
        let c = self.counts;
        if self.demo {
            writeln!(out, "runlens analyzed its built-in demo export (a simulated runner).")?;
        }
        writeln!(
            out,
            "{} from {}: {} merged, {} skipped, {} ignored",
            plural(c.activities, "activity", "activities"),
            plural(c.files_seen, "file", "files"),
            plural(c.duplicates, "duplicate", "duplicates"),
            c.unreadable,
            plural(c.ignored, "other file", "other files"),
        )?;
        if c.outside_period > 0 {
            writeln!(out, "  {} outside --since/--until left out", plural(c.outside_period, "activity", "activities"))?;
        }
        for (label, key) in [("by sport", col::SPORT), ("by format", col::FORMAT)] {
            if let Ok(line) = breakdown(self.activities, key) {
                writeln!(out, "  {label:<10} {line}")?;
            }
        }
        if let Some(t) = &self.metrics.thresholds {
            writeln!(
                out,
                "  thresholds max HR {:.0} ({}), LTHR {:.0} ({}), LT1 {:.0} ({})",
                t.max_hr.bpm, t.max_hr.source, t.lthr.bpm, t.lthr.source, t.lt1.bpm, t.lt1.source
            )?;
        }
        for finding in self.findings {
            writeln!(out, "- {finding}")?;
        }
        let dir = self.out_dir.display();
        writeln!(
            out,
            "tables: {dir}/activities.csv, activities.parquet, weekly.csv, routes.csv, skipped.csv, summary.json"
        )?;
        if c.unreadable + c.duplicates > 0 {
            writeln!(out, "{dir}/skipped.csv says why each file not analyzed was left out")?;
        }
        if self.demo {
            writeln!(
                out,
                "to analyze your own data: runlens analyze ~/Downloads/export_12345678.zip (or a folder of FIT/GPX/TCX files)"
            )?;
        }
        Ok(())
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// "running 38 (402.1 km), cycling 4 (120.0 km)"
fn breakdown(frame: &DataFrame, key: &str) -> PolarsResult<String> {
    let counts = frame::counts_by(frame, key)?;
    let keys = counts.column(key)?.str()?.clone();
    let n = counts.column(col::COUNT)?.cast(&DataType::UInt64)?;
    let n = n.u64()?;
    let dist = counts.column(col::DISTANCE_M)?.f64()?.clone();
    let parts: Vec<String> = (0..counts.height())
        .map(|i| {
            let km = dist.get(i).unwrap_or(0.0) / 1000.0;
            format!("{} {} ({km:.1} km)", keys.get(i).unwrap_or("?"), n.get(i).unwrap_or(0))
        })
        .collect();
    Ok(parts.join(", "))
}
