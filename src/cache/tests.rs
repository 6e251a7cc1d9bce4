//! The cache against the parallel stage it stands in for: the same
//! `Ingested` warm as cold, whatever happened to the entries.

use std::fs;
use std::path::Path;

use super::*;
use crate::features::kernel::Settings as KernelSettings;

/// Fixture files (good and broken) and two hour runs, in `dir`.
fn inputs(dir: &Path) -> Vec<Source> {
    for (name, bytes) in runlens_sim::fixtures::all() {
        let path = dir.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }
    runlens_sim::bench::write_files(&dir.join("runs"), &runlens_sim::bench::hour_runs_fit(2)).unwrap();
    discover::discover(&[dir.to_path_buf()]).sources
}

fn run(sources: &[Source], pace: &KernelSettings, store: Option<&Store>) -> String {
    format!("{:?}", ingest(sources, &ProgressBar::hidden(), pace, store))
}

fn entries(root: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = fs::read_dir(dir::build_dir(root)).unwrap().map(|e| e.unwrap().path()).collect();
    out.sort();
    out
}

#[test]
fn a_warm_run_gives_what_a_run_without_cache_gives() {
    let (input, cache) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let sources = inputs(input.path());
    let pace = KernelSettings::default();
    let fresh = run(&sources, &pace, None);
    let cold = Store::open(cache.path(), &[], true);
    assert_eq!(run(&sources, &pace, Some(&cold)), fresh);
    assert_eq!(cold.stats().hits, 0);
    let warm = Store::open(cache.path(), &[], true);
    assert_eq!(run(&sources, &pace, Some(&warm)), fresh);
    // Every source but the unreadable zip (not an activity source) has an entry, failures included.
    assert_eq!(warm.stats(), Stats { hits: cold.stats().misses, misses: 0 });
    assert!(warm.stats().hits >= 8, "{:?}", warm.stats());
}

#[test]
fn damaged_or_foreign_entries_are_rebuilt_not_trusted() {
    let (input, cache) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let sources = inputs(input.path());
    let pace = KernelSettings::default();
    let fresh = run(&sources, &pace, None);
    run(&sources, &pace, Some(&Store::open(cache.path(), &[], true)));
    let good: Vec<Vec<u8>> = entries(cache.path()).iter().map(|p| fs::read(p).unwrap()).collect();
    let paths = entries(cache.path());
    // Truncate one, flip a bit in one, swap two (each under the other's name), empty one.
    let len = good[0].len();
    fs::write(&paths[0], &good[0][..len / 2]).unwrap();
    let mut flipped = good[1].clone();
    let at = flipped.len() / 3;
    flipped[at] ^= 0x04;
    fs::write(&paths[1], flipped).unwrap();
    fs::write(&paths[2], &good[3]).unwrap();
    fs::write(&paths[3], &good[2]).unwrap();
    fs::write(&paths[4], b"").unwrap();
    let store = Store::open(cache.path(), &[], true);
    assert_eq!(run(&sources, &pace, Some(&store)), fresh);
    assert_eq!(store.stats().misses, 5);
    let rebuilt: Vec<Vec<u8>> = entries(cache.path()).iter().map(|p| fs::read(p).unwrap()).collect();
    assert_eq!(rebuilt, good, "each damaged entry was written again");
}

#[test]
fn a_changed_pace_setting_never_serves_the_old_kernels() {
    let (input, cache) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let sources = inputs(input.path());
    let pace = KernelSettings::default();
    run(&sources, &pace, Some(&Store::open(cache.path(), &[], true)));
    let other = KernelSettings { skip_start_s: 120, window_s: 120, ..pace };
    let fresh = run(&sources, &other, None);
    assert_ne!(fresh, run(&sources, &pace, None), "the setting changes the kernels");
    let store = Store::open(cache.path(), &[], true);
    assert_eq!(run(&sources, &other, Some(&store)), fresh);
    assert_eq!(store.stats().hits, 0);
}

#[test]
fn an_activity_off_the_calendar_when_cached_is_analyzed_once_its_day_comes() {
    let (input, cache) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let sources = inputs(&input.path().join("x"));
    let source = sources.iter().find(|s| s.label.ends_with("run-00000.fit")).unwrap();
    let pace = KernelSettings::default();
    let start_ms = crate::parse::parse_bytes(&source.label, &source.read().unwrap()).unwrap()[0].meta.start_ms;
    let (before, after) = (start_ms - 5 * 86_400_000, start_ms + 86_400_000);
    let store = Store::open(cache.path(), &[], true);
    let early = store.ingest_one(source, &pace, before).unwrap();
    assert!(early.analyzed.is_empty() && early.off_calendar.len() == 1, "after tomorrow, seen from before");
    let later = store.ingest_one(source, &pace, after).unwrap();
    assert_eq!(later.analyzed.len(), 1);
    assert_eq!(store.stats(), Stats { hits: 0, misses: 2 });
    let fresh = features::analyze_file(source, source.read().unwrap(), &pace, after).unwrap();
    let fresh = fresh.on_calendar(&source.label, after).unwrap();
    assert_eq!(format!("{:?}", later.analyzed), format!("{:?}", fresh.analyzed));
}

#[test]
fn a_cache_folder_that_cannot_be_written_only_costs_the_cache() {
    let (input, blocker) = (tempfile::tempdir().unwrap(), tempfile::NamedTempFile::new().unwrap());
    let sources = inputs(input.path());
    let pace = KernelSettings::default();
    // A file where the folder should be: nothing can be created under it.
    let store = Store::open(&blocker.path().join("cache"), &[], true);
    assert_eq!(run(&sources, &pace, Some(&store)), run(&sources, &pace, None));
    assert_eq!(store.stats().hits, 0);
}

#[test]
fn runs_sharing_a_cache_at_once_leave_only_whole_entries() {
    let (input, cache) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let sources = inputs(input.path());
    let pace = KernelSettings::default();
    let fresh = run(&sources, &pace, None);
    let results: Vec<String> = std::thread::scope(|scope| {
        let runs: Vec<_> =
            (0..4).map(|_| scope.spawn(|| run(&sources, &pace, Some(&Store::open(cache.path(), &[], true))))).collect();
        runs.into_iter().map(|r| r.join().unwrap()).collect()
    });
    assert!(results.iter().all(|r| *r == fresh));
    let paths = entries(cache.path());
    assert!(paths.iter().all(|p| p.extension().is_some_and(|e| e == "entry")), "no temporary file left: {paths:?}");
    let store = Store::open(cache.path(), &[], true);
    assert_eq!(run(&sources, &pace, Some(&store)), fresh);
    assert_eq!(store.stats().misses, 0);
}

#[test]
fn files_the_last_run_saw_are_not_read_again_and_a_rewritten_one_is() {
    let (input, cache) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let sources = inputs(input.path());
    let roots = [input.path().to_path_buf()];
    let pace = KernelSettings::default();
    let fresh = run(&sources, &pace, None);
    // Files younger than the racy margin are never recorded: let them settle.
    std::thread::sleep(std::time::Duration::from_millis(3200));
    let cold = Store::open(cache.path(), &roots, true);
    assert_eq!(run(&sources, &pace, Some(&cold)), fresh);
    cold.finish();
    let run0 = input.path().join("runs/run-00000.fit");
    let warm = Store::open(cache.path(), &roots, true);
    assert_eq!(run(&sources, &pace, Some(&warm)), fresh);
    assert_eq!(warm.stats().misses, 0);
    // Other bytes of the same size, the modification time restored (as an
    // export unzipped again restores it): read again, and their own result served.
    let mtime = fs::metadata(&run0).unwrap().modified().unwrap();
    let mut bytes = fs::read(&run0).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x55;
    fs::write(&run0, &bytes).unwrap();
    fs::File::options().write(true).open(&run0).unwrap().set_modified(mtime).unwrap();
    let rewritten = run(&sources, &pace, None);
    assert_ne!(rewritten, fresh);
    let after = Store::open(cache.path(), &roots, true);
    assert_eq!(run(&sources, &pace, Some(&after)), rewritten);
}

#[test]
fn a_file_rewritten_after_the_index_saw_it_is_stored_under_its_new_bytes() {
    // The bug: a file the index knew, read on a miss, was analyzed as it
    // is now but stored under the content the index said, a key that the
    // old bytes would later find.
    let (input, cache) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let sources = inputs(input.path());
    let source = sources.iter().find(|s| s.label.ends_with("run-00000.fit")).unwrap();
    let path = source.path().unwrap();
    let roots = [input.path().to_path_buf()];
    let pace = KernelSettings::default();
    let store = Store::open(cache.path(), &roots, true);
    // The index holds other bytes for this file, as if it changed after its stat.
    let a_minute_on = features::now_ms() * 1_000_000 + 60_000_000_000;
    store.seen.learn_at(path, seen::Stat::of(path).unwrap(), Content::of_bytes(b"the old bytes"), a_minute_on);
    store.finish();
    let store = Store::open(cache.path(), &roots, true);
    let now_ms = features::now_ms();
    assert!(store.ingest_one(source, &pace, now_ms).is_ok());
    assert_eq!(store.stats().misses, 1);
    // Without the index the file is hashed: its entry is found.
    let plain = Store::open(cache.path(), &[], true);
    assert!(plain.ingest_one(source, &pace, now_ms).is_ok());
    assert_eq!(plain.stats(), Stats { hits: 1, misses: 0 });
}
