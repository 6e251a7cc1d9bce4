//! The fast FIT decoder against the reference (fitparser) on every FIT file
//! we have: the real device files in ../shared/realdata, the fixtures, the
//! demo export and generated runs. Where both decode a file, every value the
//! fast decoder extracts must be identical (bit for bit, missing as missing);
//! where the reference fails, the fast decoder must not invent an activity.

mod support;

use std::io::Read;
use std::path::{Path, PathBuf};

use runlens::parse::Activity;
use runlens::parse::fit::{self, Decoder};

/// What the README says this test holds: the fast decoder and fitparser
/// give identical values on this many files of a corpus this large (the
/// real device files, the fixtures, the demo export, generated runs).
const README_CORPUS_FILES: usize = 165;
const README_IDENTICAL_FILES: usize = 135;

/// Every FIT file to compare, by name, and whether the real files are in.
fn corpus() -> (Vec<(String, Vec<u8>)>, bool) {
    let mut files = Vec::new();
    let realdata = support::realdata("fast_decoder_matches_fitparser_on_every_file");
    if let Some(dir) = realdata.as_ref().map(|d| d.join("fit")) {
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
    (files, realdata.is_some())
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
    let (files, with_realdata) = corpus();
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
    if with_realdata {
        assert_eq!(files.len(), README_CORPUS_FILES, "the README's corpus");
        assert!(
            compared >= README_IDENTICAL_FILES,
            "{compared} identical files, the README says {README_IDENTICAL_FILES}"
        );
    }
}

/// The fast decoder reads records a column at a time per run of one
/// definition: runs broken by other local types, by other messages, by an
/// untimed record and by a redefinition mid-file must come out in file
/// order with every value where fitparser puts it.
#[test]
fn interleaved_and_redefined_record_types_decode_as_fitparser_does() {
    use runlens_sim::fit::{Base, FitWriter, fit_time, mesg};
    let t0 = fit_time(1_700_000_000);
    let mut w = FitWriter::new();
    w.define(0, mesg::FILE_ID, &[(0, Base::Enum)]);
    w.data(0, &[Some(4)]);
    // Local 0: position, distance, altitude; local 1: speed and cadence.
    w.define(
        0,
        mesg::RECORD,
        &[
            (253, Base::UInt32),
            (0, Base::SInt32),
            (1, Base::SInt32),
            (5, Base::UInt32),
            (2, Base::UInt16),
            (3, Base::UInt8),
        ],
    );
    w.define(1, mesg::RECORD, &[(3, Base::UInt8), (253, Base::UInt32), (6, Base::UInt16), (4, Base::UInt8)]);
    w.define(2, mesg::EVENT, &[(253, Base::UInt32), (0, Base::Enum), (1, Base::Enum)]);
    let lat = |i: i64| Some(560_000_000 + i * 1_000);
    for i in 0..40 {
        let t = Some(t0 + i);
        match i % 5 {
            0 | 1 => w.data(0, &[t, lat(i), Some(150_000_000), Some(i * 300), Some(2_600 + i), Some(120 + i)]),
            2 => w.data(1, &[Some(130), t, Some(2_900 + i), if i == 17 { None } else { Some(85) }]),
            3 => w.data(2, &[t, Some(0), Some(0)]),
            _ => w.data(0, &[if i == 24 { None } else { t }, None, None, Some(i * 300), None, Some(140)]),
        }
    }
    // Redefined mid-file: other order, enhanced fields. (Not beside their
    // plain twins: fitparser expands a plain altitude into enhanced_altitude
    // and then reports either value from record to record.)
    w.define(0, mesg::RECORD, &[(3, Base::UInt8), (78, Base::UInt32), (253, Base::UInt32), (73, Base::UInt32)]);
    for i in 40..60 {
        w.data(0, &[Some(150), if i % 3 == 0 { None } else { Some(13_000 + i) }, Some(t0 + i), Some(3_100)]);
        if i % 7 == 0 {
            w.data(1, &[Some(151), Some(t0 + i), Some(3_000), Some(86)]);
        }
    }
    w.define(3, mesg::SESSION, &[(253, Base::UInt32), (2, Base::UInt32), (5, Base::Enum), (7, Base::UInt32)]);
    w.data(3, &[Some(t0 + 60), Some(t0), Some(1), Some(60_000)]);
    let bytes = w.finish();

    let (fast, decoder) = fit::parse_with(&bytes).expect("the fast decoder reads it");
    assert_eq!(decoder, Decoder::Fast);
    let reference = fit::parse_reference(&bytes).expect("fitparser reads it");
    assert_identical("interleaved", &fast, &reference);
    let s = &fast[0].samples;
    // 40 messages, 8 of them events, one record untimed; then 20 + 3.
    assert_eq!(s.len(), 40 - 8 - 1 + 23, "every timed record");
    assert!(s.time_ms.is_sorted(), "file order kept across runs");
    assert_eq!(fast[0].meta.dropped_points, 1, "the untimed record is counted");
}

/// Found comparing two builds' outputs: fitparser lists a record's fields in
/// hash order, and this watch writes `altitude` (expanded by fitparser into
/// `enhanced_altitude`) beside its own `enhanced_altitude`, so the reference
/// decoder took either one, differently on every run: the walk's elevation
/// gain came out anywhere from 26.6 to 31.6 m.
#[test]
fn fitparser_fallback_reads_the_same_altitude_on_every_run() {
    let Some(dir) = support::realdata("fitparser_fallback_reads_the_same_altitude_on_every_run") else { return };
    let bytes = std::fs::read(dir.join("fit/goldencheetah__FR55-CoreTemp-Walk.fit")).expect("the FR55 walk is there");
    let altitudes = || -> Vec<u64> {
        let activities = fit::parse_reference(&bytes).expect("fitparser reads it");
        activities.iter().flat_map(|a| a.samples.altitude_m.iter().map(|v| v.to_bits())).collect()
    };
    let first = altitudes();
    assert!(first.iter().any(|&v| !f64::from_bits(v).is_nan()), "the walk has altitudes");
    // Each decode hashes with new keys: twenty decodes would all but surely
    // disagree somewhere if the choice still followed hash order.
    for run in 1..20 {
        assert!(altitudes() == first, "decode {run} read other altitudes than the first");
    }
}

/// Issue 14: watches that watch the heart rate for two minutes after the
/// stop write it as a `recovery_hr` event (event 21, value in `data`); both
/// decoders read it, and the fast decoder still reads the file itself.
#[test]
fn recovery_hr_events_are_read_by_both_decoders() {
    use runlens_sim::{Plan, simulate, write::fit_bytes};
    let mut run = simulate(&Plan { fixed_minutes: Some(8.0), ..Plan::new(5, 1) }).swap_remove(0);
    let plain = fit_bytes(&run);
    run.recovery_hr_event_bpm = Some(38.0);
    let bytes = fit_bytes(&run);
    let (fast, decoder) = fit::parse_with(&bytes).expect("the fast decoder reads it");
    assert_eq!(decoder, Decoder::Fast);
    let reference = fit::parse_reference(&bytes).expect("fitparser reads it");
    assert_identical("recovery_hr", &fast, &reference);
    assert_eq!(fast[0].meta.recovery_hr_bpm, Some(38.0));
    assert_eq!(reference[0].meta.recovery_hr_bpm, Some(38.0));
    // Without the event: none, from either.
    assert_eq!(fit::parse(&plain).unwrap()[0].meta.recovery_hr_bpm, None);
    assert_eq!(fit::parse_reference(&plain).unwrap()[0].meta.recovery_hr_bpm, None);
}
