//! The fast FIT decoder against the reference (fitparser) on every FIT file
//! we have: the real device files in ../shared/realdata, the fixtures, the
//! demo export and generated runs. Where both decode a file, every value the
//! fast decoder extracts must be identical (bit for bit, missing as missing);
//! where the reference fails, the fast decoder must not invent an activity.

use std::io::Read;
use std::path::{Path, PathBuf};

use runlens::parse::Activity;
use runlens::parse::fit::{self, Decoder};

/// Every FIT file to compare, by name.
fn corpus() -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    if let Some(dir) = std::env::var_os("RUNLENS_REALDATA").map(|d| PathBuf::from(d).join("fit")) {
        let mut paths: Vec<PathBuf> =
            std::fs::read_dir(&dir).into_iter().flatten().flatten().map(|e| e.path()).collect();
        paths.sort();
        files.extend(paths.into_iter().map(|p| (p.display().to_string(), std::fs::read(&p).unwrap())));
    }
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    for name in ["short-run.fit", "broken/bad-crc.fit", "broken/truncated.fit", "broken/settings.fit"] {
        files.push((name.into(), std::fs::read(fixtures.join(name)).unwrap()));
    }
    let demo = std::fs::read(fixtures.join("demo/demo-export.zip")).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(demo)).unwrap();
    for i in 0..zip.len() {
        let name = zip.name_for_index(i).unwrap().unwrap().into_owned();
        if name.ends_with(".fit.gz") {
            let mut member = zip.by_index(i).unwrap();
            let mut gz = Vec::new();
            member.read_to_end(&mut gz).unwrap();
            let mut bytes = Vec::new();
            flate2::read::GzDecoder::new(&gz[..]).read_to_end(&mut bytes).unwrap();
            files.push((name, bytes));
        }
    }
    for (i, bytes) in runlens_sim::bench::hour_runs_fit(3).into_iter().enumerate() {
        files.push((format!("generated-{i}.fit"), bytes));
    }
    files
}

/// Equal as values: NaN (missing) equals NaN, everything else bit for bit.
fn same(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan()))
}

fn assert_identical(name: &str, fast: &[Activity], reference: &[Activity]) {
    assert_eq!(fast.len(), reference.len(), "{name}: activity count");
    for (f, r) in fast.iter().zip(reference) {
        assert_eq!(f.meta, r.meta, "{name}: activity metadata");
        let (fs, rs) = (&f.samples, &r.samples);
        assert_eq!(fs.time_ms, rs.time_ms, "{name}: timestamps");
        let channels: [(&str, &[f64], &[f64]); 9] = [
            ("lat", &fs.lat_deg, &rs.lat_deg),
            ("lon", &fs.lon_deg, &rs.lon_deg),
            ("altitude", &fs.altitude_m, &rs.altitude_m),
            ("distance", &fs.distance_m, &rs.distance_m),
            ("speed", &fs.speed_m_s, &rs.speed_m_s),
            ("heart rate", &fs.hr_bpm, &rs.hr_bpm),
            ("cadence", &fs.cadence_rpm, &rs.cadence_rpm),
            ("power", &fs.power_w, &rs.power_w),
            ("temperature", &fs.temperature_c, &rs.temperature_c),
        ];
        for (channel, a, b) in channels {
            assert!(same(a, b), "{name}: {channel} differs");
        }
    }
}

#[test]
fn fast_decoder_matches_fitparser_on_every_file() {
    let files = corpus();
    assert!(files.len() >= 40, "the corpus is missing files: {}", files.len());
    let (mut compared, mut fallbacks, mut records) = (0, Vec::new(), 0);
    let mut both_failed_or_salvaged = (0, 0);
    for (name, bytes) in &files {
        let reference = fit::parse_reference(bytes);
        match (fit::parse_with(bytes), reference) {
            (Ok((fast, Decoder::Fast)), Ok(reference)) => {
                assert_identical(name, &fast, &reference);
                records += fast.iter().map(|a| a.samples.len()).sum::<usize>();
                compared += 1;
            }
            (Ok((_, Decoder::Reference)), Ok(_)) => {
                let why = fit::fast::decode(bytes).err();
                fallbacks.push(format!("{} ({why:?})", name.rsplit('/').next().unwrap_or(name)));
            }
            // Salvaged from damage, and saying so; never passed off as intact.
            (Ok((salvaged, _)), Err(e)) => {
                assert!(
                    salvaged.iter().all(|a| a.meta.integrity.is_some()),
                    "{name}: read a file fitparser rejects ({e}) as intact"
                );
                both_failed_or_salvaged.0 += 1;
            }
            (Err(_), Err(_)) => both_failed_or_salvaged.1 += 1,
            (Err(e), Ok(_)) => panic!("{name}: fitparser reads it, runlens fails: {e}"),
        }
    }
    let (salvaged, unreadable) = both_failed_or_salvaged;
    eprintln!(
        "FIT decoders: {} files, {compared} identical ({records} records), {} fell back to fitparser {fallbacks:?}; of those fitparser rejects, {salvaged} salvaged (marked), {unreadable} unreadable by both",
        files.len(),
        fallbacks.len(),
    );
    assert!(compared * 10 >= files.len() * 6, "the fast path should read most files");
}
