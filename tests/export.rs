//! A generated Strava/Garmin-style export zip, with a nested zip, gzipped
//! members, a duplicate and three broken files (a FIT with a flipped bit and
//! a cut FIT, both salvaged; a cut GPX, skipped): `activities.csv` and
//! `skipped.csv` must be exactly right.

mod support;

use runlens_sim::export::{FileKind, ZipBuilder, gzip, strava_zip};
use runlens_sim::write::{fit_bytes, gpx_string};
use runlens_sim::{Plan, simulate};
use support::{read_csv, runlens};

fn runs() -> Vec<runlens_sim::SimActivity> {
    simulate(&Plan { utc_offset_s: -4 * 3600, step_s: 5, routes: 3, race_every_weeks: None, ..Plan::new(11, 2) })
}

fn export_zip() -> Vec<u8> {
    let runs = runs();
    let kinds = [FileKind::FitGz, FileKind::Gpx, FileKind::TcxGz, FileKind::FitGz];
    let mut zip = strava_zip(&runs[..4], |i| kinds[i]);
    let fit = fit_bytes(&runs[4]);
    let mut bad_crc = fit_bytes(&runs[6]);
    let mid = bad_crc.len() / 2;
    bad_crc[mid] ^= 0x40;
    let mut nested = ZipBuilder::default();
    nested.add("garmin-4.fit", &fit);
    nested.add("garmin-5.fit", &fit_bytes(&runs[5]));
    nested.add("bad-crc.fit", &bad_crc);
    zip.add("DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip", &nested.finish());
    zip.add("activities/copy-of-first.gpx", gpx_string(&runs[0]).as_bytes());
    zip.add("activities/truncated.fit.gz", &gzip(&fit[..fit.len() / 3]));
    let gpx = gpx_string(&runs[7]);
    zip.add("activities/cut.gpx", &gpx.as_bytes()[..gpx.len() / 2]);
    zip.add("DI_CONNECT/DI-Connect-User/user_profile.json", b"{}");
    zip.finish()
}

#[test]
fn strava_export_with_nested_zip_duplicate_and_broken_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("export_123.zip"), export_zip()).unwrap();
    let assert =
        runlens().current_dir(dir.path()).args(["analyze", "export_123.zip", "--out", "out"]).assert().success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert!(
        stdout.contains("7 activities from 10 files: 2 duplicates merged, 1 skipped, 1 other file ignored"),
        "{stdout}"
    );
    let activities = std::fs::read_to_string(dir.path().join("out/activities.csv")).unwrap();
    insta::assert_snapshot!("export_activities", activities);
    let skipped = std::fs::read_to_string(dir.path().join("out/skipped.csv")).unwrap();
    insta::assert_snapshot!("export_skipped", skipped);
    // Every input accounted for: kept, merged, or skipped with a reason.
    assert_eq!(
        read_csv(&dir.path().join("out/activities.csv")).len() - 1
            + read_csv(&dir.path().join("out/skipped.csv")).len()
            - 1,
        10
    );
}
