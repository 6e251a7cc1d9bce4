//! runlens: batch analysis of runners' watch exports.
//!
//! [`run`] is the whole pipeline, in order: discover sources; parse, clean
//! and reduce each to its per-activity features in parallel; give each its
//! local time; drop copies and duplicate recordings and keep the period;
//! compute the metrics; write the tables, draw the charts, write the
//! report, print the summary. A file that cannot be read is reported and
//! skipped; it never stops the batch.

// The pipeline's rooms, in the order data flows through them; a module
// never imports a later one (tests/layering.rs holds that).
pub mod cache;
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

// Above the front door: many athletes, each through `run`.
pub mod squad;

use std::io::Write;
use std::path::Path;

use charts::Kind;
use config::{Config, Inputs};
use discover::Skipped;
use error::Error;
use report::terminal::SummaryView;
use select::Selection;
use tables::readback::Readback;
use tables::summary::RunCounts;
use units::Units;

/// One run's results in memory: the tables `run` writes (the Python
/// binding returns them as they are), the findings and `summary.json`.
pub struct Analysis {
    pub counts: RunCounts,
    pub tables: tables::RunTables,
    /// Unreadable files and duplicates, sorted: `skipped.csv`.
    pub skipped: Vec<Skipped>,
    pub findings: Vec<String>,
    pub summary: serde_json::Value,
}

/// Analyze the configured inputs, write the tables, charts and report into
/// the output folder and print the summary to `out`. Warnings go to stderr.
pub fn run(config: &Config, out: &mut dyn Write) -> Result<RunCounts, Error> {
    // A bad --out is refused before the work; the folder itself is only
    // touched once there is a result to put in it.
    tables::staging::check_replaceable(&config.out_dir)?;
    let pool = pool(config.jobs);
    let mut analysis = analyze_in(config, pool.as_ref())?;
    // Everything is written into a staging folder swapped in at the end.
    let mut staging = tables::staging::Staging::new(&config.out_dir)?;
    let input = write_tables(staging.path(), &mut analysis)?;
    staging.sync_written_so_far();
    let dir = staging.path();
    // Each chart is put on disk as it is finished, while the others are drawn.
    let written = |path: &Path| staging.sync_later(path);
    let charts = with_pool(pool.as_ref(), || charts::write_charts(dir, &Kind::ALL, &input, config.units, &written))?;
    report::html::write_report(dir, &input, &analysis.skipped, config.units)?;
    staging.commit()?;

    let counts = analysis.counts;
    let view = SummaryView {
        counts: &counts,
        input: &input,
        activities: &analysis.tables.activities,
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

/// The tables, findings and summary of a run, in memory: what `run` writes,
/// without touching the output folder.
pub fn analyze(config: &Config) -> Result<Analysis, Error> {
    analyze_in(config, pool(config.jobs).as_ref())
}

fn analyze_in(config: &Config, pool: Option<&rayon::ThreadPool>) -> Result<Analysis, Error> {
    let found = match &config.inputs {
        Inputs::Demo => demo::discover(),
        Inputs::Paths(paths) => discover::discover(paths),
    };
    let progress = features::progress_bar(found.sources.len(), config.progress);
    let input_paths = match &config.inputs {
        Inputs::Demo => &[][..],
        Inputs::Paths(paths) => paths.as_slice(),
    };
    let store = config.cache.as_deref().map(|dir| cache::Store::open(dir, input_paths, config.quiet));
    let pace = &config.metrics.pace;
    let mut ingested = with_pool(pool, || cache::ingest(&found.sources, &progress, pace, store.as_ref()));
    if let Some(store) = store {
        store.finish();
    }
    // Offsets for the files that neither record one nor have a position: from
    // the setting or the athlete's other activities (needs the whole batch).
    features::timezone::fill_missing(ingested.analyzed.iter_mut().map(|a| &mut a.activity.meta), config.utc_offset);
    let files_seen = found.sources.len() + found.skipped.len() + found.duplicates.len();
    let mut unreadable: Vec<Skipped> = found.skipped.into_iter().chain(ingested.skipped).collect();
    unreadable.sort();
    warn(&unreadable, config.quiet);

    warn_salvaged(&ingested.analyzed, config.quiet);
    let same_bytes = |a: &features::Parsed, b: &features::Parsed| features::same_bytes(&found.sources, a, b);
    let (analyzed, copies) = select::dedupe::identical_files(ingested.analyzed, &ingested.files, same_bytes);
    let (kept, recordings) = select::dedupe::dedupe(analyzed);
    let duplicates: Vec<Skipped> = found.duplicates.into_iter().chain(copies).chain(recordings).collect();
    let span = select::day_span(&kept);
    let selection = Selection { since: config.since, until: config.until, run_sports: &config.run_sports };
    let (kept, outside_period) = select::select(kept, &selection);
    let counts = RunCounts {
        files_seen,
        activities: kept.len(),
        salvaged: kept.iter().filter(|a| a.activity.meta.integrity.is_some()).count(),
        duplicates: duplicates.len(),
        unreadable: unreadable.len(),
        ignored: found.ignored,
        outside_period,
    };
    if kept.is_empty() {
        // Nothing is written: the previous output, if any, stays as it was.
        let nothing = report::nothing::Nothing {
            counts: &counts,
            since: config.since,
            until: config.until,
            span,
            unreadable: &unreadable,
            warned: !config.quiet,
        };
        return Err(Error::NoActivities { found: nothing.describe(), out: config.out_dir.clone() });
    }
    let metrics = metrics::compute(&kept, &config.metrics);
    let mut skipped: Vec<Skipped> = unreadable.into_iter().chain(duplicates).collect();
    skipped.sort();
    let findings = report::findings::findings(&metrics, config.units);
    let mut summary = tables::summary::summary_json(&metrics, &counts, &findings, config.units);
    tables::efforts::add_to_summary(&mut summary, &kept, &metrics);
    let tables = run_tables(&kept, &metrics)?;
    Ok(Analysis { counts, tables, skipped, findings, summary })
}

/// Redraw `kinds` and the report from an output folder's tables (`runlens
/// chart`), in the units given or those of the run that wrote the folder.
pub fn redraw(out_dir: &Path, kinds: &[Kind], units: Option<Units>, out: &mut dyn Write) -> Result<(), Error> {
    let input = Readback::load(out_dir).map_err(|reason| Error::NoOutput { reason })?;
    let units = units.or_else(|| input.summary.units.as_deref().and_then(Units::parse)).unwrap_or_default();
    let skipped = tables::read_skipped(out_dir)?;
    let drawn = charts::write_charts(out_dir, kinds, &input, units, &|_| {})?;
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

/// Every table of the run, built from the kept activities and the metrics.
fn run_tables(kept: &[features::Analyzed], metrics: &metrics::Metrics) -> Result<tables::RunTables, Error> {
    let table = |table: &'static str| move |source| Error::Table { table, source };
    Ok(tables::RunTables {
        activities: tables::activities::activities_frame(kept, metrics).map_err(table("activities"))?,
        weekly: tables::weekly::weekly_frame(&metrics.weekly).map_err(table("weekly"))?,
        daily: tables::daily::daily_frame(&metrics.training.days).map_err(table("daily"))?,
        routes: tables::routes::routes_frame(kept, metrics).map_err(table("routes"))?,
        tracks: tables::routes::tracks_frame(metrics).map_err(table("route tracks"))?,
        cells: tables::routes::cells_frame(kept).map_err(table("route cells"))?,
        progression: tables::progression::progression_frame(&metrics.progression).map_err(table("progression"))?,
        efforts: tables::efforts::efforts_frame(kept).map_err(table("efforts"))?,
    })
}

/// Every table and `summary.json`; returns what the charts draw, read from
/// the same frames.
fn write_tables(out_dir: &Path, a: &mut Analysis) -> Result<Readback, Error> {
    tables::write_tables(out_dir, &mut a.tables, &a.skipped)?;
    tables::write_summary(out_dir, &a.summary)?;
    Readback::from_tables(&a.tables, &a.summary).map_err(|source| Error::Table { table: "charts", source })
}

/// A pool of `jobs` threads, or none for rayon's global pool (also when
/// the threads asked for cannot be started, which is said).
fn pool(jobs: Option<usize>) -> Option<rayon::ThreadPool> {
    let n = jobs?;
    rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .build()
        .inspect_err(|e| eprintln!("warning: cannot start {n} threads for --jobs ({e}); using the default pool"))
        .ok()
}

/// Run `f` on `pool`, or on rayon's global pool.
fn with_pool<T: Send>(pool: Option<&rayon::ThreadPool>, f: impl FnOnce() -> T + Send) -> T {
    match pool {
        Some(pool) => pool.install(f),
        None => f(),
    }
}
