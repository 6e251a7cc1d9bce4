//! runlens: batch analysis of runners' watch exports.
//!
//! [`run`] is the whole pipeline, in order: discover sources, parse them in
//! parallel, drop duplicate recordings, build the polars frame, write the
//! tables, print the summary. A file that cannot be read is reported and
//! skipped; it never stops the batch.

pub mod clean;
pub mod cli;
pub mod config;
pub mod dedupe;
pub mod demo;
pub mod discover;
pub mod error;
pub mod frame;
pub mod ingest;
pub mod inspect;
pub mod metrics;
pub mod parse;
pub mod report;

use std::io::Write;

use config::{Config, Inputs};
use discover::Skipped;
use error::Error;
use report::terminal::{Counts, SummaryView};

/// Analyze the configured inputs, write the tables into the output folder
/// and print the summary to `out`. Warnings go to stderr.
pub fn run(config: &Config, out: &mut dyn Write) -> Result<Counts, Error> {
    let found = match &config.inputs {
        Inputs::Demo => demo::discover(),
        Inputs::Paths(paths) => discover::discover(paths),
    };
    let progress = ingest::progress_bar(found.sources.len(), config.progress);
    let ingested = with_jobs(config.jobs, || ingest::ingest(&found.sources, &progress, &config.metrics.pace));
    let files_seen = found.sources.len() + found.skipped.len();
    let unreadable: Vec<Skipped> = found.skipped.into_iter().chain(ingested.skipped).collect();
    warn(&unreadable, config.quiet);

    let (kept, duplicates) = dedupe::dedupe(ingested.analyzed);
    let (kept, outside_period) = select(kept, config);
    let mut metrics =
        metrics::compute(&kept, &config.metrics).map_err(|source| Error::Table { table: "metrics", source })?;
    let counts = Counts {
        files_seen,
        activities: kept.len(),
        duplicates: duplicates.len(),
        unreadable: unreadable.len(),
        ignored: found.ignored,
        outside_period,
    };
    let skipped: Vec<Skipped> = unreadable.into_iter().chain(duplicates).collect();
    let findings = report::summary::findings(&metrics);
    let activities = write_outputs(&config.out_dir, &kept, &mut metrics, &counts, &skipped, &findings)?;

    if kept.is_empty() {
        return Err(Error::NoActivities { found: describe_nothing(&counts) });
    }
    let demo = config.inputs == Inputs::Demo;
    let view = SummaryView {
        counts: &counts,
        metrics: &metrics,
        findings: &findings,
        activities: &activities,
        out_dir: &config.out_dir,
        demo,
    };
    view.print(out).map_err(|source| Error::Write { path: "stdout".into(), source })?;
    if config.strict && counts.unreadable > 0 {
        return Err(Error::Strict { count: counts.unreadable });
    }
    Ok(counts)
}

/// One line per file that could not be read, naming it and saying why.
fn warn(unreadable: &[Skipped], quiet: bool) {
    if !quiet {
        for s in unreadable {
            eprintln!("warning: {}: {}", s.source, s.reason);
        }
    }
}

/// Every table and `summary.json`; returns the activities frame for the
/// terminal summary.
fn write_outputs(
    out_dir: &std::path::Path,
    kept: &[ingest::Analyzed],
    metrics: &mut metrics::Metrics,
    counts: &Counts,
    skipped: &[Skipped],
    findings: &[String],
) -> Result<polars::prelude::DataFrame, Error> {
    let table = |table: &'static str| move |source| Error::Table { table, source };
    let mut activities = frame::activities_frame(kept, metrics).map_err(table("activities"))?;
    let mut routes = frame::routes_frame(kept, metrics).map_err(table("routes"))?;
    let tables =
        report::Tables { activities: &mut activities, weekly: &mut metrics.weekly, routes: &mut routes, skipped };
    report::write_tables(out_dir, tables)?;
    report::write_summary(out_dir, &report::summary::summary_json(metrics, counts, findings))?;
    Ok(activities)
}

fn describe_nothing(c: &Counts) -> String {
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

/// Keep the configured period and mark the configured sports as runs.
/// Returns the kept activities and how many fell outside the period.
fn select(items: Vec<ingest::Analyzed>, config: &Config) -> (Vec<ingest::Analyzed>, usize) {
    let before = items.len();
    let kept: Vec<ingest::Analyzed> = items
        .into_iter()
        .filter(|a| {
            let day = metrics::consistency::local_day(a);
            config.since.is_none_or(|s| day >= s) && config.until.is_none_or(|u| day <= u)
        })
        .map(|mut a| {
            a.counts_as_run = config.run_sports.contains(&a.activity.meta.sport);
            a
        })
        .collect();
    let outside = before - kept.len();
    (kept, outside)
}

/// Run `f` on a pool of `jobs` threads, or on rayon's global pool.
fn with_jobs<T: Send>(jobs: Option<usize>, f: impl FnOnce() -> T + Send) -> T {
    match jobs.and_then(|n| rayon::ThreadPoolBuilder::new().num_threads(n).build().ok()) {
        Some(pool) => pool.install(f),
        None => f(),
    }
}
