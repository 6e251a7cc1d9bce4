//! The per-file cache end to end (`runlens::run` with every chart and the
//! report) on an export of N one-hour 1 Hz runs, all of them dated on the
//! calendar (two simulated schedules 12 hours apart, so N = 10,000 fits in
//! 2002-2026): `cold` starts from an empty cache each time (parsing,
//! analyzing and storing every file), `warm_10_new` from a cache holding
//! N - 10 of the files, with 10 runs it has never seen (new ones each
//! iteration, as a re-downloaded export brings). N = 1,000; also 10,000
//! when `RUNLENS_BENCH_10K=1`. Target at 10,000: warm under 1.5 s.
//! `RUNLENS_CACHE_BENCH_DIR=DIR` only writes each export to `DIR/N` (to
//! time or profile `runlens analyze` on it from outside).

use std::cell::Cell;
use std::path::Path;

use criterion::{BatchSize, BenchmarkId, Criterion, criterion_group, criterion_main};
use runlens_sim::{DEMO_FIRST_MONDAY, Plan, simulate, write::fit_bytes};

mod common;

const WEEK_S: i64 = 7 * 86_400;

/// `n` one-hour runs from two schedules of four runs a week, the second
/// 12 hours after the first, ending where the demo begins.
fn export(n: usize) -> Vec<Vec<u8>> {
    let weeks = n.div_ceil(8).max(1);
    let plan = |seed, shift_s| Plan {
        routes: 8,
        fixed_minutes: Some(60.0),
        first_monday_unix_s: DEMO_FIRST_MONDAY - i64::try_from(weeks).expect("weeks") * WEEK_S + shift_s,
        ..Plan::new(seed, weeks)
    };
    let (a, b) = (simulate(&plan(42, 0)), simulate(&plan(43, 12 * 3600)));
    a.iter().zip(&b).flat_map(|(x, y)| [fit_bytes(x), fit_bytes(y)]).take(n).collect()
}

/// Ten runs never seen before (`seed` makes them new), after the export.
fn write_new(dir: &Path, seed: u64) {
    let plan =
        Plan { routes: 8, fixed_minutes: Some(60.0), first_monday_unix_s: DEMO_FIRST_MONDAY, ..Plan::new(seed, 3) };
    let runs: Vec<Vec<u8>> = simulate(&plan).iter().take(10).map(fit_bytes).collect();
    let _ = std::fs::remove_dir_all(dir);
    runlens_sim::bench::write_files(dir, &runs).expect("write new runs");
}

fn cache(c: &mut Criterion) {
    let mut sizes = vec![1000];
    if std::env::var_os("RUNLENS_BENCH_10K").is_some() {
        sizes.push(10_000);
    }
    let mut group = c.benchmark_group("cache_hour_runs");
    group.sample_size(10);
    for n in sizes {
        let input = tempfile::tempdir().expect("temp dir");
        runlens_sim::bench::write_files(&input.path().join("export"), &export(n - 10)).expect("write");
        write_new(&input.path().join("new"), 1);
        if let Some(keep) = std::env::var_os("RUNLENS_CACHE_BENCH_DIR") {
            let keep = Path::new(&keep).join(n.to_string());
            let _ = std::fs::remove_dir_all(&keep);
            std::fs::rename(input.path().join("export"), &keep).expect("keep the export (same file system)");
            continue;
        }
        let out = tempfile::tempdir().expect("temp dir");
        let mut cfg = common::config(input.path(), out.path(), 2);
        group.bench_function(BenchmarkId::new("cold", n), |b| {
            b.iter_batched(
                || tempfile::tempdir().expect("temp dir"),
                |cache| {
                    cfg.cache = Some(cache.path().to_path_buf());
                    runlens::run(&cfg, &mut std::io::sink()).expect("runs");
                    cache
                },
                BatchSize::PerIteration,
            );
        });
        let cache = tempfile::tempdir().expect("temp dir");
        cfg.cache = Some(cache.path().to_path_buf());
        runlens::run(&cfg, &mut std::io::sink()).expect("warms the cache");
        let seed = Cell::new(100);
        group.bench_function(BenchmarkId::new("warm_10_new", n), |b| {
            b.iter_batched(
                || {
                    seed.set(seed.get() + 1);
                    write_new(&input.path().join("new"), seed.get());
                },
                |()| runlens::run(&cfg, &mut std::io::sink()).expect("runs"),
                BatchSize::PerIteration,
            );
        });
    }
    group.finish();
}

criterion_group!(benches, cache);
criterion_main!(benches);
