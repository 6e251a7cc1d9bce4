//! Ingest benchmarks on realistic files: one-hour runs at 1 Hz (~3,600
//! records, ~100 KB of FIT), generated deterministically by runlens-sim.
//!
//! - `read`: reading the bytes from disk, the floor for any parser;
//! - `parse`: runlens's FIT (fitparser), GPX and TCX parsers on one file;
//! - `ingest`: discover + parse + summaries over 100 files on 1 and 2 threads;
//! - `end_to_end`: the whole `analyze` (discover, parse, dedupe, tables) on
//!   1,000 files, the ingest target of the README's performance section.

use std::hint::black_box;
use std::path::Path;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use runlens::config::{Config, Inputs};
use runlens_sim::write::{gpx_string, tcx_string};

fn hour_run() -> runlens_sim::SimActivity {
    let plan = runlens_sim::Plan { fixed_minutes: Some(60.0), ..runlens_sim::Plan::new(42, 1) };
    runlens_sim::simulate(&plan).swap_remove(0)
}

fn folder(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    runlens_sim::bench::write_folder(dir.path(), n).expect("write bench files");
    dir
}

fn config(input: &Path, out: &Path, jobs: usize) -> Config {
    Config {
        inputs: Inputs::Paths(vec![input.to_path_buf()]),
        out_dir: out.to_path_buf(),
        jobs: Some(jobs),
        quiet: true,
        strict: false,
        progress: false,
        metrics: runlens::metrics::Settings::with_defaults(),
        since: None,
        until: None,
        run_sports: vec![
            runlens::parse::Sport::Running,
            runlens::parse::Sport::TrailRunning,
            runlens::parse::Sport::Treadmill,
        ],
        units: runlens::units::Units::Metric,
        color: false,
    }
}

fn parse(c: &mut Criterion) {
    let run = hour_run();
    let files = [
        ("fit", runlens_sim::write::fit_bytes(&run)),
        ("gpx", gpx_string(&run).into_bytes()),
        ("tcx", tcx_string(&run).into_bytes()),
    ];
    let dir = tempfile::tempdir().expect("temp dir");
    let mut group = c.benchmark_group("parse");
    for (name, bytes) in &files {
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        let path = dir.path().join(format!("run.{name}"));
        std::fs::write(&path, bytes).expect("write");
        group.bench_function(BenchmarkId::new("read", name), |b| {
            b.iter(|| std::fs::read(black_box(&path)).expect("read"));
        });
        group.bench_function(BenchmarkId::new("parse", name), |b| {
            b.iter(|| runlens::parse::parse_bytes("run", black_box(bytes)).expect("parses"));
        });
    }
    group.finish();
}

fn ingest(c: &mut Criterion) {
    let input = folder(100);
    let bytes: u64 =
        std::fs::read_dir(input.path()).expect("dir").map(|e| e.expect("entry").metadata().expect("meta").len()).sum();
    let mut group = c.benchmark_group("ingest_100_hour_runs");
    group.sample_size(10).throughput(Throughput::Bytes(bytes));
    for jobs in [1, 2] {
        group.bench_function(BenchmarkId::new("threads", jobs), |b| {
            let out = tempfile::tempdir().expect("temp dir");
            let cfg = config(input.path(), out.path(), jobs);
            b.iter(|| runlens::run(&cfg, &mut std::io::sink()).expect("runs"));
        });
    }
    group.finish();
}

fn end_to_end(c: &mut Criterion) {
    let input = folder(1000);
    let mut group = c.benchmark_group("end_to_end_1000_hour_runs");
    group.sample_size(10);
    group.bench_function("analyze", |b| {
        let out = tempfile::tempdir().expect("temp dir");
        let cfg = config(input.path(), out.path(), 2);
        b.iter(|| runlens::run(&cfg, &mut std::io::sink()).expect("runs"));
    });
    group.finish();
}

criterion_group!(benches, parse, ingest, end_to_end);
criterion_main!(benches);
