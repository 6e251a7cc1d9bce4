//! Rendering every chart (in parallel, PNG-encoded and written) for a
//! ten-year-plus history: 3,000 runs, four a week. The history goes through
//! the real pipeline once in setup; only the charts are timed. Target: under
//! 100 ms for all of them (issue 18; ten charts now).

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use runlens::charts::{self, Kind};
use runlens::tables::readback::Readback;
use runlens::units::Units;

mod common;

fn charts(c: &mut Criterion) {
    let input_dir = tempfile::tempdir().expect("temp dir");
    // Short runs keep setup quick; charts depend on the number of runs and
    // weeks, not on samples per run.
    runlens_sim::bench::write_files(input_dir.path(), &runlens_sim::bench::runs_fit(3000, 30.0, 5)).expect("write");
    let out = tempfile::tempdir().expect("temp dir");
    runlens::run(&common::config(input_dir.path(), out.path(), 2), &mut std::io::sink()).expect("analyze");
    let input = Readback::load(out.path()).expect("tables");
    eprintln!(
        "history: {} activities over {} weeks, {} routes",
        input.activities.len(),
        input.weeks.len(),
        input.routes.len()
    );
    let mut group = c.benchmark_group("charts_3000_runs");
    group.sample_size(10);
    group.bench_function("all_charts_parallel", |b| {
        b.iter(|| charts::write_charts(out.path(), &Kind::ALL, &input, Units::Metric, &|_| {}).expect("charts"));
    });
    for kind in Kind::ALL {
        group.bench_function(BenchmarkId::new("render", kind.name()), |b| {
            b.iter(|| charts::render(kind, &input, Units::Metric).expect("chart"));
        });
    }
    group.finish();
}

criterion_group!(benches, charts);
criterion_main!(benches);
