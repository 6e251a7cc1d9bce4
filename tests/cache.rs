//! The per-file cache through the binary: every output file is the same
//! byte for byte cold, warm, after the entries were damaged and without
//! the cache; settings that shape the cached values are never served stale;
//! `--no-cache`, an unwritable folder, `runlens cache info|clear` and the
//! default location.

mod support;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use support::{fixtures, runlens};

/// Fixtures (good and broken), the demo export, a realistic athlete's
/// Strava-style history and a file of garbage, in one folder.
fn inputs(dir: &Path) -> PathBuf {
    let root = dir.join("inputs");
    for (name, bytes) in runlens_sim::fixtures::all() {
        let path = root.join("fixtures").join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }
    fs::copy(fixtures().join("demo/demo-export.zip"), root.join("demo-export.zip")).unwrap();
    let athlete = &runlens_sim::realistic::athletes()[0];
    let runs = runlens_sim::realistic::simulate_athlete(athlete);
    runlens_sim::realistic::write_history(&runs[..runs.len().min(60)], &root.join("strava")).unwrap();
    fs::write(root.join("garbage.fit"), b"\x0e\x10 not really a FIT file at all").unwrap();
    root
}

/// Every file under `dir` (relative path -> bytes).
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.insert(path.strip_prefix(dir).unwrap().to_path_buf(), fs::read(&path).unwrap());
            }
        }
    }
    out
}

/// `analyze` into `out` with `args`; the output tree.
fn analyze(input: &Path, out: &Path, args: &[&str]) -> BTreeMap<PathBuf, Vec<u8>> {
    runlens().arg("analyze").arg(input).arg("-o").arg(out).args(args).assert().success();
    tree(out)
}

fn same(a: &BTreeMap<PathBuf, Vec<u8>>, b: &BTreeMap<PathBuf, Vec<u8>>, what: &str) {
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>(), "{what}: other files");
    for (path, bytes) in a {
        assert!(b[path] == *bytes, "{what}: {} differs", path.display());
    }
}

/// The entry files (not the index of files seen, `cache/seen.rs`).
fn entries(cache: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for build in fs::read_dir(cache).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()) {
        let files = fs::read_dir(build).unwrap().map(|e| e.unwrap().path());
        out.extend(files.filter(|p| p.extension().is_some_and(|e| e == "entry")));
    }
    out.sort();
    out
}

#[test]
fn every_output_is_the_same_byte_for_byte_cold_warm_damaged_and_without_cache() {
    let tmp = tempfile::tempdir().unwrap();
    let input = inputs(tmp.path());
    let cache = tmp.path().join("cache");
    let cache_arg = ["--cache", cache.to_str().unwrap()];
    let plain = analyze(&input, &tmp.path().join("plain"), &["--no-cache"]);
    assert!(
        plain.keys().any(|p| p.ends_with("activities.parquet")) && plain.keys().any(|p| p.ends_with("report.html"))
    );
    let cold = analyze(&input, &tmp.path().join("cold"), &cache_arg);
    same(&plain, &cold, "cold");
    let stored = entries(&cache);
    assert!(stored.len() > 60, "an entry per file, failures included: {}", stored.len());
    let good: Vec<Vec<u8>> = stored.iter().map(|p| fs::read(p).unwrap()).collect();
    same(&plain, &analyze(&input, &tmp.path().join("warm"), &cache_arg), "warm");
    // Damage entries every way: truncated, a flipped bit, swapped, emptied.
    fs::write(&stored[0], &good[0][..good[0].len() / 2]).unwrap();
    let mut flipped = good[1].clone();
    let at = flipped.len() / 2;
    flipped[at] ^= 0x01;
    fs::write(&stored[1], flipped).unwrap();
    fs::write(&stored[2], &good[3]).unwrap();
    fs::write(&stored[3], &good[2]).unwrap();
    fs::write(&stored[4], b"").unwrap();
    same(&plain, &analyze(&input, &tmp.path().join("damaged"), &cache_arg), "damaged");
    let rebuilt: Vec<Vec<u8>> = stored.iter().map(|p| fs::read(p).unwrap()).collect();
    assert!(rebuilt == good, "damaged entries are written again");
}

#[test]
fn a_changed_pace_setting_is_not_served_from_the_cache() {
    let tmp = tempfile::tempdir().unwrap();
    let input = inputs(tmp.path());
    let cache = tmp.path().join("cache");
    let cache_arg = ["--cache", cache.to_str().unwrap()];
    let settings = tmp.path().join("runlens.toml");
    fs::write(&settings, "[pace_at_hr]\nwindow_s = 120\nskip_start_s = 300\n").unwrap();
    let with_settings = ["--config", settings.to_str().unwrap()];
    let defaults = analyze(&input, &tmp.path().join("defaults"), &cache_arg);
    let plain = analyze(&input, &tmp.path().join("plain"), &[&with_settings[..], &["--no-cache"]].concat());
    let cached = analyze(&input, &tmp.path().join("cached"), &[&with_settings[..], &cache_arg].concat());
    same(&plain, &cached, "other pace settings");
    let activities = Path::new("activities.csv");
    assert_ne!(defaults[activities], cached[activities], "the setting changes the results");
}

#[test]
fn no_cache_writes_nothing_and_an_unwritable_cache_only_warns() {
    let tmp = tempfile::tempdir().unwrap();
    let input = fixtures();
    let home = tmp.path().join("home");
    let run = |args: &[&str], out: &str| {
        let assert = runlens()
            .env("XDG_CACHE_HOME", &home)
            .arg("analyze")
            .arg(&input)
            .arg("-o")
            .arg(tmp.path().join(out))
            .args(args)
            .assert()
            .success();
        String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
    };
    let plain = run(&["--no-cache"], "plain");
    assert!(!home.exists(), "--no-cache wrote a cache");
    // A file where the folder should be: nothing can be created under it.
    let blocker = tmp.path().join("blocker");
    fs::write(&blocker, b"").unwrap();
    let stderr = run(&["--cache", blocker.join("cache").to_str().unwrap()], "blocked");
    assert_eq!(stderr.matches("cannot write to the cache folder").count(), 1, "{stderr}");
    assert_eq!(stderr.replace(stderr.lines().find(|l| l.contains("cache folder")).unwrap(), "").trim(), plain.trim());
    same(&tree(&tmp.path().join("plain")), &tree(&tmp.path().join("blocked")), "unwritable cache");
    // The default folder: $XDG_CACHE_HOME/runlens.
    run(&[], "default");
    assert!(!entries(&home.join("runlens")).is_empty());
    assert!(home.join("runlens/CACHEDIR.TAG").is_file());
}

#[test]
fn cache_info_and_clear_count_and_remove_only_runlens_entries() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let cache_arg = ["--cache", cache.to_str().unwrap()];
    runlens().arg("analyze").arg(fixtures()).arg("-o").arg(tmp.path().join("out")).args(cache_arg).assert().success();
    fs::write(cache.join("notes.txt"), b"mine").unwrap();
    let n = entries(&cache).len();
    let info = runlens().args(["cache", "info"]).args(cache_arg).assert().success();
    let info = String::from_utf8_lossy(&info.get_output().stdout).into_owned();
    assert!(info.contains(&format!("{n} entries")), "{info}");
    let cleared = runlens().args(["cache", "clear"]).args(cache_arg).assert().success();
    let cleared = String::from_utf8_lossy(&cleared.get_output().stdout).into_owned();
    assert!(cleared.starts_with(&format!("removed {n} entries")), "{cleared}");
    let left: Vec<_> = fs::read_dir(&cache).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left, ["notes.txt"]);
    let info = runlens().args(["cache", "info"]).args(cache_arg).assert().success();
    assert!(String::from_utf8_lossy(&info.get_output().stdout).contains(": 0 entries"));
}

#[test]
fn without_a_home_nothing_is_cached_and_a_cache_inside_an_input_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    fs::create_dir(&input).unwrap();
    fs::copy(fixtures().join("short-run.fit"), input.join("short-run.fit")).unwrap();
    let out = tmp.path().join("out");
    runlens().env_remove("XDG_CACHE_HOME").arg("analyze").arg(&input).arg("-o").arg(&out).assert().success();
    let inside = input.join("cache");
    let refused = runlens().arg("analyze").arg(&input).arg("-o").arg(&out).arg("--cache").arg(&inside).assert().code(2);
    assert!(String::from_utf8_lossy(&refused.get_output().stderr).contains("inside the input"));
    assert!(!inside.exists());
    // The default folder inside an input (analyzing one's home) is not used.
    runlens().env("XDG_CACHE_HOME", &input).arg("analyze").arg(&input).arg("-o").arg(&out).assert().success();
    assert!(!input.join("runlens").exists());
    runlens().env_remove("XDG_CACHE_HOME").args(["cache", "info"]).assert().code(2);
}
