//! The training-load stage (`metrics::training`: per-run loads from the
//! parallel stage's histograms, the daily series, comebacks, phases,
//! streaks) on 10,000 simulated 45-minute runs: it should add well under
//! 50 ms to the metrics stage. The runs go through the real per-activity
//! stage and the rest of the metrics in setup, so only the load is timed.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use rayon::prelude::*;
use runlens::features::{self, Analyzed, kernel};
use runlens::metrics::{self, training};
use runlens::parse::Sport;
use runlens_sim::{Plan, simulate};

mod sim_activity;
use sim_activity::to_activity;

/// `n` runs (about 48 years of four a week, with layoffs), as the parallel
/// stage leaves them: the load reads only the histograms.
fn runs(n: usize) -> Vec<Analyzed> {
    let layoffs = (0..n / 4).filter(|w| w % 40 >= 38).collect();
    let plan = Plan { fixed_minutes: Some(45.0), step_s: 5, layoff_weeks: layoffs, ..Plan::new(9, n.div_ceil(4)) };
    let settings = kernel::Settings::default();
    let mut items: Vec<Analyzed> =
        simulate(&plan).par_iter().take(n).map(|s| features::analyze(to_activity(s), &settings)).collect();
    runlens::select::mark_runs(&mut items, &[Sport::Running]);
    items
}

fn load(c: &mut Criterion) {
    let mut group = c.benchmark_group("load_stage");
    group.sample_size(20);
    let settings = metrics::Settings::with_defaults();
    for n in [1000, 10_000] {
        let items = runs(n);
        let m = metrics::compute(&items, &settings);
        println!("{n} runs: {} days, {} layoffs", m.training.days.len(), m.layoffs.len());
        let inputs = training::Inputs {
            items: &items,
            thresholds: m.thresholds.as_ref(),
            sex: settings.sex,
            weekly: &m.weekly,
            layoffs: &m.layoffs,
        };
        group.bench_with_input(BenchmarkId::from_parameter(n), &inputs, |b, inputs| {
            let mut runs = m.runs.clone();
            b.iter(|| training::training(inputs, &mut runs));
        });
    }
    group.finish();
}

criterion_group!(benches, load);
criterion_main!(benches);
