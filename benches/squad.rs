//! Squad mode as a library call (`runlens analyze --athletes DIR`): 10
//! simulated athletes of 100 runs each, every athlete's full output, the
//! overview and the hive dataset. The 10/30/100-athlete x 500-run scale
//! figures (time linear in athletes, peak RSS) come from
//! `benches/squad_scale.sh`, which runs the real binary under
//! `/usr/bin/time -v`.

use clap::Parser;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use runlens::cli::{Cli, Command};
use runlens::config::Terminal;

const ATHLETES: usize = 10;
const RUNS: usize = 100;

fn squad(c: &mut Criterion) {
    let input = tempfile::tempdir().expect("temp dir");
    runlens_sim::squad::write_squad(input.path(), ATHLETES, RUNS).expect("write squad");
    let out = tempfile::tempdir().expect("temp dir");
    let out_dir = out.path().join("squad");
    let command_line = ["runlens", "analyze", "-q", "--athletes", input.path().to_str().expect("utf-8"), "--out"];
    let cli = Cli::parse_from(command_line.into_iter().chain([out_dir.to_str().expect("utf-8")]));
    let Command::Analyze(args) = cli.command else { unreachable!("an analyze command line") };
    let plan = runlens::squad::Squad::from_args(args, Terminal::default()).expect("valid squad");
    let mut group = c.benchmark_group("squad");
    group.sample_size(10);
    group.throughput(Throughput::Elements((ATHLETES * RUNS) as u64));
    group.bench_function(format!("{ATHLETES}_athletes_x_{RUNS}_runs"), |b| {
        b.iter(|| runlens::squad::run(&plan, &mut std::io::sink()).expect("runs"));
    });
    group.finish();
}

criterion_group!(benches, squad);
criterion_main!(benches);
