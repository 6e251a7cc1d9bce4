//! End to end: `runlens analyze` as a library call (discover, parse,
//! per-activity analysis, metrics, tables, all charts, report) on generated
//! exports of N one-hour 1 Hz runs, N = 100 and 1,000; N = 10,000 (about
//! 1 GB of FIT) when `RUNLENS_BENCH_10K=1`, since generating and timing it
//! takes minutes. Targets: 1,000 runs under 3 s on 2 cores, 10,000 under
//! 20 s, time linear in N.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

mod common;

fn e2e(c: &mut Criterion) {
    let mut sizes = vec![100, 1000];
    if std::env::var_os("RUNLENS_BENCH_10K").is_some() {
        sizes.push(10_000);
    }
    let mut group = c.benchmark_group("end_to_end_hour_runs");
    group.sample_size(10);
    for n in sizes {
        let input = tempfile::tempdir().expect("temp dir");
        runlens_sim::bench::write_folder(input.path(), n).expect("write");
        group.throughput(Throughput::Elements(n as u64));
        group.bench_function(BenchmarkId::from_parameter(n), |b| {
            let out = tempfile::tempdir().expect("temp dir");
            let cfg = common::config(input.path(), out.path(), 2);
            b.iter(|| runlens::run(&cfg, &mut std::io::sink()).expect("runs"));
        });
    }
    group.finish();
}

criterion_group!(benches, e2e);
criterion_main!(benches);
