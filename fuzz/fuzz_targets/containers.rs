//! Zip and gzip containers (nested zips, Strava's activities.csv) through
//! discovery and reading every member: nothing may panic or escape, and
//! every member is either read or refused with a reason.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(dir) = tempfile::tempdir() else { return };
    let path = dir.path().join(if data.starts_with(b"\x1f\x8b") { "export.fit.gz" } else { "export.zip" });
    if std::fs::write(&path, data).is_err() {
        return;
    }
    let found = runlens::discover::discover(&[path]);
    for source in &found.sources {
        if let Ok(bytes) = source.read() {
            let _ = runlens::parse::parse_bytes(&source.label, &bytes);
        }
    }
});
