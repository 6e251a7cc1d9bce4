//! Benchmarks over real device files (`RUNLENS_REALDATA`, by default
//! `../shared/realdata`; read in place, never copied into the repository):
//! every FIT, GPX and TCX file there that runlens parses (developer fields,
//! many message types, vendor extensions, multisport), the same files as
//! gzipped members of a Strava-style zip, and the end-to-end case,
//! 20 Garmin Connect GPX runs with heart rate and cadence (~26 MB).
//!
//! Each group reports MB/s of activity bytes (uncompressed) next to reading
//! the same bytes from disk, the floor for any parser, as `fit.rs` does for
//! simulated FIT. `ingest` adds cleaning and per-activity analysis on one
//! thread, so parse and the rest can be told apart.
//!
//! `RUNLENS_GPX_SET_DIR=DIR` writes the 20-run GPX set there (and keeps it),
//! to time `runlens analyze DIR` from outside.

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use runlens::discover::{Discovered, discover};

mod common;
#[path = "realdata/gpx_set.rs"]
mod gpx_set;

/// The input: 20 runs, 26 MB in all.
const SET_FILES: usize = 20;
const SET_BYTES_EACH: usize = 1_300_000;
const SET_SOURCE: &str = "gpx/georust-gpx__garmin-activity.gpx";

fn realdata() -> Option<PathBuf> {
    let dir = std::env::var_os("RUNLENS_REALDATA")
        .map_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/realdata"), PathBuf::from);
    if dir.join("MANIFEST.tsv").is_file() {
        return Some(dir);
    }
    eprintln!("skipped: no real device files at {} (set RUNLENS_REALDATA to the folder)", dir.display());
    None
}

/// The files of one format that runlens reads as activities, by name.
fn parsable(dir: &Path, format: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(dir.join(format))
        .expect("format folder")
        .map(|e| e.expect("entry").path())
        .map(|p| {
            let bytes = std::fs::read(&p).expect("read");
            (p, bytes)
        })
        .filter(|(p, b)| runlens::parse::parse_bytes(&p.to_string_lossy(), b).is_ok())
        .collect();
    files.sort();
    files
}

fn total(files: &[(PathBuf, Vec<u8>)]) -> u64 {
    files.iter().map(|(_, b)| b.len() as u64).sum()
}

fn parse_all(files: &[(PathBuf, Vec<u8>)]) -> usize {
    files.iter().map(|(_, b)| runlens::parse::parse_bytes("bench", black_box(b)).expect("parses").len()).sum()
}

fn read_all(paths: impl Iterator<Item = PathBuf>) -> usize {
    paths.map(|p| std::fs::read(black_box(&p)).expect("read").len()).sum()
}

/// Read, parse, clean and analyze every source on one thread.
fn ingest_one_thread(found: &Discovered) -> usize {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("pool");
    let hidden = runlens::features::progress_bar(found.sources.len(), false);
    let pace = runlens::features::kernel::Settings::default();
    pool.install(|| runlens::features::ingest(&found.sources, &hidden, &pace).analyzed.len())
}

/// Loose files per format: read, parse, and the parallel stage on one thread.
fn real_files(c: &mut Criterion) {
    let Some(dir) = realdata() else { return };
    for format in ["fit", "gpx", "tcx"] {
        let files = parsable(&dir, format);
        let input = tempfile::tempdir().expect("temp dir");
        for (path, _) in &files {
            std::os::unix::fs::symlink(path, input.path().join(path.file_name().expect("name"))).expect("link");
        }
        let found = discover(&[input.path().to_path_buf()]);
        let mut group = c.benchmark_group(format!("real_{format}_{}_files", files.len()));
        group.throughput(Throughput::Bytes(total(&files))).sample_size(10);
        group.bench_function("read_files", |b| b.iter(|| read_all(files.iter().map(|(p, _)| p.clone()))));
        group.bench_function("parse", |b| b.iter(|| parse_all(&files)));
        group.bench_function("ingest_1_thread", |b| b.iter(|| ingest_one_thread(&found)));
        group.finish();
    }
}

/// The same files gzipped as members of a Strava-style export zip (stored,
/// as Strava stores its `.gz` members): reading the zip, inflating the
/// members, and inflating plus parsing.
fn strava_gz(c: &mut Criterion) {
    let Some(dir) = realdata() else { return };
    for format in ["fit", "gpx", "tcx"] {
        let files = parsable(&dir, format);
        let mut zip = runlens_sim::export::ZipBuilder::default();
        for (i, (_, bytes)) in files.iter().enumerate() {
            zip.add(&format!("activities/{i}.{format}.gz"), &runlens_sim::export::gzip(bytes));
        }
        let input = tempfile::tempdir().expect("temp dir");
        let zip_path = input.path().join("export.zip");
        std::fs::write(&zip_path, zip.finish()).expect("write zip");
        let found = discover(std::slice::from_ref(&zip_path));
        assert_eq!(found.sources.len(), files.len(), "every member found");
        let mut group = c.benchmark_group(format!("strava_{format}_gz_{}_members", files.len()));
        group.throughput(Throughput::Bytes(total(&files))).sample_size(10);
        group.bench_function("read_zip", |b| b.iter(|| read_all(std::iter::once(zip_path.clone()))));
        group.bench_function("inflate", |b| {
            b.iter(|| found.sources.iter().map(|s| s.read().expect("inflates").len()).sum::<usize>());
        });
        group.bench_function("inflate_parse", |b| {
            b.iter(|| {
                let parse = |s: &runlens::discover::Source| {
                    runlens::parse::parse_bytes(&s.label, &s.read().expect("inflates")).expect("parses").len()
                };
                found.sources.iter().map(parse).sum::<usize>()
            });
        });
        group.finish();
    }
}

/// The end-to-end case: `analyze` of 20 Garmin GPX runs with heart
/// rate and cadence on two threads, loose and as a Strava zip of `.gpx.gz`.
fn garmin_gpx_runs(c: &mut Criterion) {
    let Some(dir) = realdata() else { return };
    let source = std::fs::read_to_string(dir.join(SET_SOURCE)).expect("source GPX");
    let files = gpx_set::garmin_runs(&source, SET_FILES, SET_BYTES_EACH);
    let kept = std::env::var_os("RUNLENS_GPX_SET_DIR").map(PathBuf::from);
    let temp = tempfile::tempdir().expect("temp dir");
    let input = kept.unwrap_or_else(|| temp.path().join("runs"));
    std::fs::create_dir_all(&input).expect("set folder");
    let mut zip = runlens_sim::export::ZipBuilder::default();
    for (i, bytes) in files.iter().enumerate() {
        std::fs::write(input.join(format!("run{i:02}.gpx")), bytes).expect("write run");
        zip.add(&format!("activities/{i}.gpx.gz"), &runlens_sim::export::gzip(bytes));
    }
    let zip_path = temp.path().join("export.zip");
    std::fs::write(&zip_path, zip.finish()).expect("write zip");
    let bytes: u64 = files.iter().map(|f| f.len() as u64).sum();
    let mut group = c.benchmark_group("garmin_gpx_20_runs");
    group.throughput(Throughput::Bytes(bytes)).sample_size(10);
    let paths: Vec<PathBuf> = (0..files.len()).map(|i| input.join(format!("run{i:02}.gpx"))).collect();
    group.bench_function("read_files", |b| b.iter(|| read_all(paths.iter().cloned())));
    group.bench_function("parse", |b| {
        b.iter(|| {
            files
                .iter()
                .map(|f| runlens::parse::parse_bytes("run.gpx", black_box(f)).expect("parses").len())
                .sum::<usize>()
        });
    });
    // Each run replaces the one before (its files are synced before the
    // old result goes), as a re-run does.
    for (name, path) in [("folder", &input), ("strava_zip", &zip_path)] {
        let out = tempfile::tempdir().expect("temp dir");
        let cfg = common::config(path, out.path(), 2);
        group.bench_function(BenchmarkId::new("analyze_2_threads", name), |b| {
            b.iter(|| runlens::run(&cfg, &mut std::io::sink()).expect("runs"));
        });
    }
    // A first run: nothing to replace.
    group.bench_function(BenchmarkId::new("analyze_2_threads", "folder_first_run"), |b| {
        b.iter_batched(
            || tempfile::tempdir().expect("temp dir"),
            |out| {
                let cfg = common::config(&input, &out.path().join("out"), 2);
                runlens::run(&cfg, &mut std::io::sink()).expect("runs");
                out
            },
            criterion::BatchSize::PerIteration,
        );
    });
    group.finish();
}

criterion_group!(benches, real_files, strava_gz, garmin_gpx_runs);
criterion_main!(benches);
