//! The metrics stage (thresholds, zones, pace at HR, sessions, gray zone,
//! routes, weekly tables, slumps) on N one-hour 1 Hz runs, N = 250, 1,000,
//! 4,000: it should cost well under 3 s for 1,000 and grow linearly.
//! Inputs go through the real per-activity stage (clean, kernels, route
//! signatures) in setup, so only `metrics::compute` is timed.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use rayon::prelude::*;
use runlens::features::{self, Analyzed, kernel};
use runlens::metrics;
use runlens::parse::Sport;
use runlens_sim::{Plan, simulate};

mod sim_activity;
use sim_activity::to_activity;

fn runs(n: usize) -> Vec<Analyzed> {
    let plan = Plan { fixed_minutes: Some(60.0), routes: 12, ..Plan::new(5, n.div_ceil(4)) };
    let settings = kernel::Settings::default();
    let mut items: Vec<Analyzed> =
        simulate(&plan).par_iter().take(n).map(|s| features::analyze(to_activity(s), &settings)).collect();
    runlens::select::mark_runs(&mut items, &[Sport::Running]);
    items
}

fn compute(c: &mut Criterion) {
    let mut group = c.benchmark_group("metrics_hour_runs");
    group.sample_size(10);
    let settings = metrics::Settings::with_defaults();
    for n in [250, 1000, 4000] {
        let items = runs(n);
        group.bench_with_input(BenchmarkId::from_parameter(n), &items, |b, items| {
            b.iter(|| metrics::compute(items, &settings));
        });
    }
    group.finish();
}

criterion_group!(benches, compute);
criterion_main!(benches);
