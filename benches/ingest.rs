//! Ingest benchmarks on realistic files: one-hour runs at 1 Hz (~3,600
//! records, ~100 KB of FIT), generated deterministically by runlens-sim.
//!
//! - `read`: reading the bytes from disk, the floor for any parser;
//! - `parse`: runlens's FIT, GPX and TCX parsers on one file;
//! - `discover`: finding 1,000 files in a folder, and in a zip of them;
//! - `parallel_stage`: read, parse and per-activity analysis of 100 files on
//!   a pool of 1 and 2 threads (the parallel scaling, target >= 1.8x);
//! - `ingest`: the whole `analyze` on 100 files on 1 and 2 threads.
//!
//! `fit.rs` compares the FIT decoders, `e2e.rs` times whole exports.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use runlens_sim::write::{gpx_string, tcx_string};

mod common;

fn hour_run() -> runlens_sim::SimActivity {
    let plan = runlens_sim::Plan { fixed_minutes: Some(60.0), ..runlens_sim::Plan::new(42, 1) };
    runlens_sim::simulate(&plan).swap_remove(0)
}

fn folder(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    runlens_sim::bench::write_folder(dir.path(), n).expect("write bench files");
    dir
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

fn discover(c: &mut Criterion) {
    let input = folder(1000);
    let zip_dir = tempfile::tempdir().expect("temp dir");
    let zip_path = zip_dir.path().join("export.zip");
    let mut zip = runlens_sim::export::ZipBuilder::default();
    for (i, bytes) in runlens_sim::bench::hour_runs_fit(1000).iter().enumerate() {
        zip.add(&format!("activities/{i}.fit"), bytes);
    }
    std::fs::write(&zip_path, zip.finish()).expect("write zip");
    let mut group = c.benchmark_group("discover_1000_files");
    group.bench_function("folder", |b| {
        b.iter(|| runlens::discover::discover(&[input.path().to_path_buf()]).sources.len());
    });
    group.bench_function("zip", |b| {
        b.iter(|| runlens::discover::discover(std::slice::from_ref(&zip_path)).sources.len());
    });
    group.finish();
}

/// The parallel stage alone (read, parse, per-activity analysis) on a pool
/// of 1 and 2 threads: what rayon buys on two cores.
fn parallel_stage(c: &mut Criterion) {
    let input = folder(100);
    let found = runlens::discover::discover(&[input.path().to_path_buf()]);
    let hidden = runlens::features::progress_bar(found.sources.len(), false);
    let pace = runlens::features::kernel::Settings::default();
    let mut group = c.benchmark_group("parallel_stage_100_hour_runs");
    group.sample_size(10);
    for jobs in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).build().expect("pool");
        group.bench_function(BenchmarkId::new("threads", jobs), |b| {
            b.iter(|| pool.install(|| runlens::features::ingest(&found.sources, &hidden, &pace).analyzed.len()));
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
            let cfg = common::config(input.path(), out.path(), jobs);
            b.iter(|| runlens::run(&cfg, &mut std::io::sink()).expect("runs"));
        });
    }
    group.finish();
}

criterion_group!(benches, parse, discover, parallel_stage, ingest);
criterion_main!(benches);
