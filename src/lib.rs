//! runlens: batch analysis of runners' watch exports.
//!
//! [`run`] is the whole pipeline, in order: discover sources, parse them in
//! parallel, drop duplicate recordings, compute the metrics, write the
//! tables, draw the charts, write the report, print the summary. A file
//! that cannot be read is reported and skipped; it never stops the batch.

// The pipeline's rooms, in the order data flows through them; a module
// never imports a later one (tests/layering.rs holds that).
pub mod charts;
pub mod clean;
pub mod discover;
pub mod features;
pub mod metrics;
pub mod parse;
pub mod report;
pub mod select;
pub mod tables;

// Shared by every stage.
pub mod dates;
pub mod error;
pub mod geo;
pub mod stats;
pub mod units;
pub mod xml;

// The front door: command line, settings, the demo and `runlens inspect`.
pub mod cli;
pub mod config;
pub mod demo;
pub mod inspect;

use std::io::Write;
use std::path::Path;

use charts::Kind;
use config::{Config, Inputs};
use discover::Skipped;
use error::Error;
use polars::prelude::DataFrame;
use report::terminal::SummaryView;
use select::Selection;
use tables::readback::Readback;
use tables::summary::RunCounts;
use units::Units;

/// Analyze the configured inputs, write the tables, charts and report into
/// the output folder and print the summary to `out`. Warnings go to stderr.
pub fn run(config: &Config, out: &mut dyn Write) -> Result<RunCounts, Error> {
    // Everything is written into a staging folder swapped in at the end.
    let staging = tables::staging::Staging::new(&config.out_dir)?;
    let found = match &config.inputs {
        Inputs::Demo => demo::discover(),
        Inputs::Paths(paths) => discover::discover(paths),
    };
    let progress = features::progress_bar(found.sources.len(), config.progress);
    let mut ingested = with_jobs(config.jobs, || features::ingest(&found.sources, &progress, &config.metrics.pace));
    // Offsets for the files that neither record one nor have a position: from
    // the setting or the athlete's other activities (needs the whole batch).
    features::timezone::fill_missing(ingested.analyzed.iter_mut().map(|a| &mut a.activity.meta), config.utc_offset);
    let files_seen = found.sources.len() + found.skipped.len();
    let unreadable: Vec<Skipped> = found.skipped.into_iter().chain(ingested.skipped).collect();
    warn(&unreadable, config.quiet);

    warn_salvaged(&ingested.analyzed, config.quiet);
    let (kept, duplicates) = select::dedupe::dedupe(ingested.analyzed);
    let selection = Selection { since: config.since, until: config.until, run_sports: &config.run_sports };
    let (kept, outside_period) = select::select(kept, &selection);
    let metrics = metrics::compute(&kept, &config.metrics);
    let counts = RunCounts {
        files_seen,
        activities: kept.len(),
        salvaged: kept.iter().filter(|a| a.activity.meta.integrity.is_some()).count(),
        duplicates: duplicates.len(),
        unreadable: unreadable.len(),
        ignored: found.ignored,
        outside_period,
    };
    let mut skipped: Vec<Skipped> = unreadable.into_iter().chain(duplicates).collect();
    skipped.sort();
    let findings = report::findings::findings(&metrics);
    let summary = tables::summary::summary_json(&metrics, &counts, &findings, config.units);
    let dir = staging.path();
    let (activities, input) = write_tables(dir, &kept, &metrics, &summary, &skipped)?;
    if kept.is_empty() {
        // The run is complete, with nothing to chart: skipped.csv says why.
        staging.commit()?;
        return Err(Error::NoActivities { found: describe_nothing(&counts) });
    }
    let charts = with_jobs(config.jobs, || charts::write_charts(dir, &Kind::ALL, &input, config.units))?;
    report::html::write_report(dir, &input, &skipped, config.units)?;
    staging.commit()?;

    let view = SummaryView {
        counts: &counts,
        input: &input,
        activities: &activities,
        charts: &charts,
        out_dir: &config.out_dir,
        demo: config.inputs == Inputs::Demo,
        units: config.units,
        color: config.color,
    };
    view.print(out).map_err(|source| Error::Write { path: "stdout".into(), source })?;
    if config.strict && counts.unreadable > 0 {
        return Err(Error::Strict { count: counts.unreadable });
    }
    Ok(counts)
}

/// Redraw `kinds` and the report from an output folder's tables (`runlens
/// chart`), in the units given or those of the run that wrote the folder.
pub fn redraw(out_dir: &Path, kinds: &[Kind], units: Option<Units>, out: &mut dyn Write) -> Result<(), Error> {
    let input = Readback::load(out_dir).map_err(|reason| Error::NoOutput { reason })?;
    let units = units.or_else(|| input.summary.units.as_deref().and_then(Units::parse)).unwrap_or_default();
    let skipped = tables::read_skipped(out_dir)?;
    let drawn = charts::write_charts(out_dir, kinds, &input, units)?;
    report::html::write_report(out_dir, &input, &skipped, units)?;
    let write = |source| Error::Write { path: "stdout".into(), source };
    for chart in &drawn {
        let note = chart.no_data.as_ref().map_or(String::new(), |why| format!(" (no data: {why})"));
        writeln!(out, "{}{note}", chart.path.display()).map_err(write)?;
    }
    writeln!(out, "{}", out_dir.join(report::html::REPORT_HTML).display()).map_err(write)
}

/// One line per file that could not be read, naming it and saying why.
fn warn(unreadable: &[Skipped], quiet: bool) {
    if !quiet {
        for s in unreadable {
            eprintln!("warning: {}: {}", s.source, s.reason);
        }
    }
}

/// One line per activity kept from a damaged file, saying what was kept.
fn warn_salvaged(items: &[features::Analyzed], quiet: bool) {
    if !quiet {
        for a in items {
            if let Some(note) = &a.activity.meta.integrity {
                eprintln!("warning: {}: {note}", a.activity.meta.source);
            }
        }
    }
}

/// Every table and `summary.json`; returns the activities frame for the
/// terminal summary and what the charts draw, read from the same frames.
fn write_tables(
    out_dir: &Path,
    kept: &[features::Analyzed],
    metrics: &metrics::Metrics,
    summary: &serde_json::Value,
    skipped: &[Skipped],
) -> Result<(DataFrame, Readback), Error> {
    let table = |table: &'static str| move |source| Error::Table { table, source };
    let mut activities = tables::activities::activities_frame(kept, metrics).map_err(table("activities"))?;
    let mut weekly = tables::weekly::weekly_frame(&metrics.weekly).map_err(table("weekly"))?;
    let mut routes = tables::routes::routes_frame(kept, metrics).map_err(table("routes"))?;
    let mut tracks = tables::routes::tracks_frame(metrics).map_err(table("route tracks"))?;
    let frames = tables::Tables {
        activities: &mut activities,
        weekly: &mut weekly,
        routes: &mut routes,
        tracks: &mut tracks,
        skipped,
    };
    tables::write_tables(out_dir, frames)?;
    tables::write_summary(out_dir, summary)?;
    let frames = tables::readback::Frames {
        activities: &activities,
        weekly: &weekly,
        routes: &routes,
        tracks: &tracks,
        summary,
    };
    let input = Readback::from_frames(&frames).map_err(table("charts"))?;
    Ok((activities, input))
}

fn describe_nothing(c: &RunCounts) -> String {
    if c.files_seen == 0 {
        format!(
            "no FIT, GPX or TCX files were found ({} other files ignored); point runlens at an export zip or a folder of activity files",
            c.ignored
        )
    } else if c.outside_period > 0 {
        format!("none of the {} activities falls between --since and --until", c.outside_period)
    } else {
        format!("all {} files were skipped; skipped.csv says why for each", c.files_seen)
    }
}

/// Run `f` on a pool of `jobs` threads, or on rayon's global pool.
fn with_jobs<T: Send>(jobs: Option<usize>, f: impl FnOnce() -> T + Send) -> T {
    match jobs.and_then(|n| rayon::ThreadPoolBuilder::new().num_threads(n).build().ok()) {
        Some(pool) => pool.install(f),
        None => f(),
    }
}
