//! The short summary printed on stdout after a run: what was found, the key
//! figures and findings, and where the report, charts and tables are.
//! Coloured only when asked or on a terminal without `NO_COLOR`.

mod figures;
mod race;
mod yoy_figures;

use std::io::{self, Write};
use std::path::Path;

use anstyle::{AnsiColor, Style};
use polars::prelude::*;

use crate::charts::Rendered;
use crate::tables::activities::counts_by;
use crate::tables::columns::activity_col;
use crate::tables::readback::Readback;
use crate::tables::summary::RunCounts;
use crate::units::Units;

use super::plural;

pub struct SummaryView<'a> {
    pub counts: &'a RunCounts,
    pub input: &'a Readback,
    pub activities: &'a DataFrame,
    pub charts: &'a [Rendered],
    pub out_dir: &'a Path,
    pub demo: bool,
    pub units: Units,
    pub color: bool,
}

impl SummaryView<'_> {
    pub fn print(&self, out: &mut dyn Write) -> io::Result<()> {
        let p = Paint(self.color);
        let c = self.counts;
        if self.demo {
            writeln!(out, "{}", p.dim("runlens analyzed its built-in demo export (a simulated runner)."))?;
        }
        writeln!(
            out,
            "{} from {}: {} merged, {} skipped, {} ignored",
            p.bold(&plural(c.activities, "activity", "activities")),
            plural(c.files_seen, "file", "files"),
            plural(c.duplicates, "duplicate", "duplicates"),
            c.unreadable,
            plural(c.ignored, "other file", "other files"),
        )?;
        if c.salvaged > 0 {
            let line = format!(
                "  {} salvaged from damaged files: partial or unverified, see the integrity column of activities.csv",
                plural(c.salvaged, "activity", "activities")
            );
            writeln!(out, "{}", p.yellow(&line))?;
        }
        if c.outside_period > 0 {
            writeln!(out, "  {} outside --since/--until left out", plural(c.outside_period, "activity", "activities"))?;
        }
        for (label, key) in [("by sport", activity_col::SPORT), ("by format", activity_col::FORMAT)] {
            if let Ok(line) = breakdown(self.activities, key, self.units) {
                writeln!(out, "  {label:<10} {line}")?;
            }
        }
        writeln!(out)?;
        writeln!(out, "{}", p.bold("Key figures"))?;
        for (name, value) in figures::key_figures(self.input, self.units, p) {
            writeln!(out, "  {name:<16} {value}")?;
        }
        writeln!(out)?;
        writeln!(out, "{}", p.bold("Findings"))?;
        for finding in &self.input.summary.findings {
            writeln!(out, "  - {finding}")?;
        }
        self.print_paths(out, p)
    }

    fn print_paths(&self, out: &mut dyn Write, p: Paint) -> io::Result<()> {
        let dir = self.out_dir.display();
        writeln!(out)?;
        writeln!(out, "{} {}", p.bold("report:"), p.cyan(&format!("{dir}/{}", super::html::REPORT_HTML)))?;
        let empty: Vec<&str> = self.charts.iter().filter(|c| c.no_data.is_some()).map(|c| c.kind.name()).collect();
        let note = if empty.is_empty() { String::new() } else { format!("; no data for {}", empty.join(", ")) };
        writeln!(out, "charts: {dir}/{}/ ({} PNGs{note})", crate::charts::CHARTS_DIR, self.charts.len())?;
        writeln!(
            out,
            "tables: {dir}/activities.csv, activities.parquet, weekly.csv, daily.csv, routes.csv, route_tracks.csv, route_cells.csv, progression.csv, skipped.csv, summary.json"
        )?;
        if self.counts.unreadable + self.counts.duplicates > 0 {
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

/// ANSI styling when enabled; plain text otherwise (pipes, files, `NO_COLOR`).
#[derive(Debug, Clone, Copy)]
pub struct Paint(pub bool);

impl Paint {
    fn wrap(self, style: Style, s: &str) -> String {
        if self.0 { format!("{style}{s}{style:#}") } else { s.to_owned() }
    }
    pub fn bold(self, s: &str) -> String {
        self.wrap(Style::new().bold(), s)
    }
    pub fn dim(self, s: &str) -> String {
        self.wrap(Style::new().dimmed(), s)
    }
    pub fn green(self, s: &str) -> String {
        self.wrap(AnsiColor::Green.on_default(), s)
    }
    pub fn red(self, s: &str) -> String {
        self.wrap(AnsiColor::Red.on_default(), s)
    }
    pub fn yellow(self, s: &str) -> String {
        self.wrap(AnsiColor::Yellow.on_default(), s)
    }
    pub fn cyan(self, s: &str) -> String {
        self.wrap(AnsiColor::Cyan.on_default(), s)
    }
}

/// "running 38 (402.1 km), cycling 4 (120.0 km)"
fn breakdown(frame: &DataFrame, key: &str, units: Units) -> PolarsResult<String> {
    let parts: Vec<String> = counts_by(frame, key)?
        .into_iter()
        .map(|(k, n, d)| format!("{k} {n} ({:.1} {})", units.distance(d), units.distance_unit()))
        .collect();
    Ok(parts.join(", "))
}
