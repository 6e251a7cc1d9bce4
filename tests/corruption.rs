//! Damaged inputs mixed with intact ones, in one run: no panic, every input
//! either analyzed or skipped with a reason, intact files' figures the same
//! as when analyzed alone, and no half-written output. Variants are made
//! deterministically from the fixtures and (when present) the real files.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use support::{column, fixtures, read_csv, runlens};

/// xorshift: the same variants on every run and machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self, below: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        usize::try_from(self.0 % below as u64).unwrap()
    }
}

/// Intact inputs: small fixtures and real files of every format.
fn intact_files() -> Vec<PathBuf> {
    let mut files = vec![fixtures().join("short-run.fit"), fixtures().join("short-run.gpx")];
    if let Some(dir) = support::realdata("corruption: real files among the intact inputs") {
        for name in [
            "fit/fitparse__2013-02-06-12-11-14.fit",
            "fit/garmin-js-sdk__Activity.fit",
            "fit/fitparse__activity-large-fenxi2-multisport.fit",
            "gpx/togeojson-tmcw__run.gpx",
            "gpx/gpxpy__korita-zbevnica.gpx",
            "tcx/goldencheetah__10kUNLP2014-Garmin15.tcx",
            "tcx/togeojson-tmcw__sample.tcx",
            "fit/fitdecode__garmin-fr935-cr.fit",
            "fit/fitparse__Activity.fit",
            "gpx/gpxpy__cerknicko-jezero.gpx",
        ] {
            files.push(dir.join(name));
        }
    }
    files.retain(|f| f.exists());
    files
}

/// Damaged variants of `bytes`: truncations at many offsets, bit flips,
/// zeroed, duplicated and swapped blocks, a broken FIT header and CRC, XML
/// cut mid-tag, a wrong declared encoding, CRLF, BOM.
fn variants(bytes: &[u8], rng: &mut Rng) -> Vec<(&'static str, Vec<u8>)> {
    let n = bytes.len();
    let mut out = Vec::new();
    for _ in 0..8 {
        out.push(("cut", bytes[..rng.next(n)].to_vec()));
    }
    // Mid-tag: just after a '<'.
    let tags: Vec<usize> = bytes.iter().enumerate().filter(|(_, b)| **b == b'<').map(|(i, _)| i).collect();
    for _ in 0..2 {
        if !tags.is_empty() {
            out.push(("midtag", bytes[..(tags[rng.next(tags.len())] + 2).min(n)].to_vec()));
        }
    }
    for _ in 0..8 {
        let mut b = bytes.to_vec();
        for _ in 0..=rng.next(8) {
            let i = rng.next(n);
            b[i] ^= 1 << rng.next(8);
        }
        out.push(("flip", b));
    }
    let mut zeroed = bytes.to_vec();
    let at = rng.next(n);
    zeroed[at..(at + 256).min(n)].fill(0);
    out.push(("zero", zeroed));
    let at = rng.next(n);
    let mut doubled = bytes[..at].to_vec();
    doubled.extend_from_slice(&bytes[at.saturating_sub(512)..]);
    out.push(("dup", doubled));
    let mut header = bytes.to_vec();
    header.swap(0, 8.min(n - 1));
    out.push(("header", header));
    let mut size = bytes.to_vec();
    size.swap(4, 7.min(n - 1));
    out.push(("size", size));
    let mut crc = bytes.to_vec();
    crc.swap(n - 1, n - 2);
    out.push(("crc", crc));
    let mut swapped = bytes.to_vec();
    let (a, b) = (rng.next(n), rng.next(n));
    let len = 64.min(n - a.max(b));
    for k in 0..len {
        swapped.swap(a + k, b + k);
    }
    out.push(("swap", swapped));
    out.push(("utf16", String::from_utf8_lossy(bytes).replacen("UTF-8", "UTF-16", 1).into_bytes()));
    out.push(("latin1", bytes.iter().map(|&c| if c == b'e' { 0xE9 } else { c }).collect()));
    out.push(("crlf", String::from_utf8_lossy(bytes).replace('\n', "\r\n").into_bytes()));
    out.push(("bom", [b"\xEF\xBB\xBF".as_slice(), bytes].concat()));
    out
}

fn analyze(input: &Path, out: &Path) -> (Vec<Vec<String>>, Vec<Vec<String>>, String) {
    let assert = runlens().arg("analyze").arg(input).arg("--quiet").arg("--out").arg(out).assert();
    let output = assert.get_output().clone();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(output.status.code().is_some_and(|c| c == 0 || c == 1), "exit {:?}: {stderr}", output.status);
    (read_csv(&out.join("activities.csv")), read_csv(&out.join("skipped.csv")), stderr)
}

#[test]
fn damaged_files_never_crash_or_disturb_intact_ones() {
    let dir = tempfile::tempdir().unwrap();
    let mixed = dir.path().join("mixed");
    std::fs::create_dir_all(&mixed).unwrap();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut inputs = BTreeSet::new();
    let intact = intact_files();
    for (i, file) in intact.iter().enumerate() {
        let bytes = std::fs::read(file).unwrap();
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        // "a-" sorts the intact copy first: it wins ties among duplicates.
        let keep = mixed.join(format!("a-{i:02}-{name}"));
        std::fs::write(&keep, &bytes).unwrap();
        inputs.insert(keep.display().to_string());
        for (j, (kind, damaged)) in variants(&bytes, &mut rng).into_iter().enumerate() {
            let path = mixed.join(format!("z-{i:02}-{j:02}-{kind}-{name}"));
            std::fs::write(&path, damaged).unwrap();
            inputs.insert(path.display().to_string());
        }
    }
    let out = dir.path().join("out");
    let (activities, skipped, _) = analyze(&mixed, &out);

    // Every input accounted for, each skip with a reason.
    let analyzed: BTreeSet<String> = column(&activities, "source").into_iter().collect();
    let skipped_sources: BTreeSet<String> = column(&skipped, "source").into_iter().collect();
    let missing: Vec<&String> =
        inputs.iter().filter(|f| !analyzed.contains(*f) && !skipped_sources.contains(*f)).collect();
    assert!(missing.is_empty(), "not accounted for: {missing:?}");
    assert!(column(&skipped, "reason").iter().all(|r| !r.is_empty() && !r.contains('\n')));
    let salvaged = column(&activities, "integrity").iter().filter(|v| !v.is_empty()).count();
    let damaged = |source: &String| source.contains("/z-");
    let merged: BTreeSet<&String> = skipped[1..]
        .iter()
        .filter(|r| damaged(&r[0]) && r[1].starts_with("the same activity as"))
        .map(|r| &r[0])
        .collect();
    let refused: BTreeSet<&String> = skipped[1..]
        .iter()
        .filter(|r| damaged(&r[0]) && !r[1].starts_with("the same activity as"))
        .map(|r| &r[0])
        .collect();
    let kept: BTreeSet<&String> = analyzed.iter().filter(|s| damaged(s)).collect();
    println!(
        "{} inputs, {} intact: of {} damaged variants, {} read (kept {}, {salvaged} of them marked partial/unverified; merged into the intact recording {}), {} skipped with a reason",
        inputs.len(),
        intact.len(),
        inputs.len() - intact.len(),
        kept.len() + merged.len(),
        kept.len(),
        merged.len(),
        refused.len(),
    );

    // Intact files: the same figures as when analyzed alone.
    let figures = ["samples", "duration_s", "distance_m", "avg_hr_bpm", "max_hr_bpm", "moving_time_s"];
    let by_source = |rows: &[Vec<String>]| -> BTreeMap<String, Vec<String>> {
        let sources = column(rows, "source");
        let cols: Vec<Vec<String>> = figures.iter().map(|f| column(rows, f)).collect();
        sources.into_iter().enumerate().map(|(r, s)| (s, cols.iter().map(|c| c[r].clone()).collect())).collect()
    };
    let mixed_rows = by_source(&activities);
    for (i, file) in intact.iter().enumerate() {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let alone_dir = dir.path().join(format!("alone-{i}"));
        std::fs::create_dir_all(&alone_dir).unwrap();
        let copy = alone_dir.join(format!("a-{i:02}-{name}"));
        std::fs::copy(file, &copy).unwrap();
        let (alone, _, _) = analyze(&alone_dir, &dir.path().join(format!("alone-out-{i}")));
        let alone_rows = by_source(&alone);
        let source = mixed.join(format!("a-{i:02}-{name}")).display().to_string();
        let Some(in_mixed) = mixed_rows.get(&source) else {
            // Only legitimate absence: the same run as another intact file.
            let reason = skipped.iter().find(|r| r[0] == source).map(|r| r[1].clone()).unwrap_or_default();
            assert!(reason.contains("the same activity as") && reason.contains("/a-"), "{name}: {reason}");
            continue;
        };
        assert_eq!(Some(in_mixed), alone_rows.values().next(), "{name}: figures differ when damaged files are present");
    }

    // Nothing half-written in the output folder.
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
