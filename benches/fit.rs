//! The FIT fast path against fitparser (the reference), rustyfit (its
//! streaming API, the fastest Rust decoder we know) and reading the bytes,
//! on the same 100 one-hour 1 Hz runs (~3,600 records, ~83 KB each) from
//! runlens-sim. Targets: fast >= 30x fitparser, and within 20x of the time
//! to read the files.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use runlens::parse::fit;

fn fit(c: &mut Criterion) {
    let files = runlens_sim::bench::hour_runs_fit(100);
    let dir = tempfile::tempdir().expect("temp dir");
    runlens_sim::bench::write_files(dir.path(), &files).expect("write");
    let mut paths: Vec<_> = std::fs::read_dir(dir.path()).expect("dir").map(|e| e.expect("entry").path()).collect();
    paths.sort();
    let bytes: u64 = files.iter().map(|f| f.len() as u64).sum();
    let mut group = c.benchmark_group("fit_100_hour_runs");
    group.throughput(Throughput::Bytes(bytes)).sample_size(20);
    group.bench_function("read_files", |b| {
        b.iter(|| paths.iter().map(|p| std::fs::read(black_box(p)).expect("read").len()).sum::<usize>());
    });
    group.bench_function(BenchmarkId::new("decode", "fast"), |b| {
        b.iter(|| files.iter().map(|f| fit::parse_with(black_box(f)).expect("parses").0.len()).sum::<usize>());
    });
    group.bench_function(BenchmarkId::new("decode", "fitparser"), |b| {
        b.iter(|| files.iter().map(|f| fit::parse_reference(black_box(f)).expect("parses").len()).sum::<usize>());
    });
    // The crate alone, without building activities: the fairest floor for it.
    group.bench_function(BenchmarkId::new("decode", "fitparser_from_bytes_only"), |b| {
        b.iter(|| files.iter().map(|f| fitparser::from_bytes(black_box(f)).expect("parses").len()).sum::<usize>());
    });
    // Every message streamed with borrowed data, heart rates summed so the
    // work is not optimized away: less than the fast path does.
    group.bench_function(BenchmarkId::new("decode", "rustyfit_stream"), |b| {
        b.iter(|| files.iter().map(|f| rustyfit_heart_rates(black_box(f))).sum::<u64>());
    });
    group.finish();
}

fn rustyfit_heart_rates(bytes: &[u8]) -> u64 {
    use rustyfit::proto::Value;
    use rustyfit::{Decoder, DecoderEvent, StreamingIterator};
    let mut decoder = Decoder::new();
    let mut stream = decoder.stream(bytes);
    let mut sum = 0;
    while let Some(event) = stream.next() {
        if let DecoderEvent::Message(m) = event.expect("decodes") {
            sum += m
                .fields
                .iter()
                .filter(|f| f.num == 3)
                .map(|f| if let Value::Uint8(v) = f.value { u64::from(v) } else { 0 })
                .sum::<u64>();
        }
    }
    sum
}

criterion_group!(benches, fit);
criterion_main!(benches);
