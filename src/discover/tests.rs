//! Discovery end to end: folders, gzip, nested zips and the Strava index.

use super::*;
use archive::zip_bytes;
use std::io::Write;

const GPX: &[u8] =
    br#"<gpx><trk><trkseg><trkpt lat="1" lon="2"><time>2024-01-01T00:00:00Z</time></trkpt></trkseg></trk></gpx>"#;

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

#[test]
fn folders_gz_nested_zips_and_strava_index() {
    let dir = tempfile::tempdir().unwrap();
    let inner = zip_bytes(&[("deep.gpx", GPX)]);
    let csv = b"Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,Distance,Max Heart Rate,Relative Effort,Commute,Activity Private Note,Activity Gear,Filename\n1,x,Lunch Run,Run,,1,1,1,,false,,,activities/1.gpx.gz\n";
    let gzipped = gz(GPX);
    let outer = zip_bytes(&[
        ("activities.csv", csv),
        ("activities/1.gpx.gz", &gzipped),
        ("activities/photo.jpg", b"\xff\xd8"),
        ("DI_CONNECT/UploadedFiles.zip", &inner),
        ("activities/noext", GPX),
    ]);
    std::fs::write(dir.path().join("export.zip"), outer).unwrap();
    std::fs::create_dir(dir.path().join("watch")).unwrap();
    std::fs::write(dir.path().join("watch/b.gpx"), GPX).unwrap();
    std::fs::write(dir.path().join("watch/notes.txt"), "hello").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.path(), dir.path().join("watch/loop")).unwrap();

    let found = discover(&[dir.path().to_path_buf(), dir.path().join("missing.fit")]);
    let root = dir.path().display().to_string();
    let labels: Vec<String> = found.sources.iter().map(|s| s.label.strip_prefix(&root).unwrap().to_owned()).collect();
    assert_eq!(
        labels,
        [
            "/export.zip!DI_CONNECT/UploadedFiles.zip!deep.gpx",
            "/export.zip!activities/1.gpx.gz",
            "/export.zip!activities/noext",
            "/watch/b.gpx",
        ]
    );
    assert_eq!(found.ignored, 2);
    assert_eq!(found.skipped.len(), 1);
    assert!(found.skipped[0].reason.contains("no such file"));
    let strava = found.sources[1].strava.as_ref().unwrap();
    assert_eq!(strava.name.as_deref(), Some("Lunch Run"));
    for source in &found.sources {
        assert_eq!(source.read().unwrap(), GPX, "{}", source.label);
    }
}

#[test]
fn reasons_are_one_line() {
    let s = Skipped::new("a.gpx", "broken XML: expected `</hr>`, found `</hr.\n      <cad>`");
    assert_eq!(s.reason, "broken XML: expected `</hr>`, found `</hr. <cad>`");
    assert!(Skipped::new("a", "x".repeat(1000)).reason.len() <= MAX_REASON_CHARS + 3);
}

#[test]
fn damaged_gzip_is_a_reason_not_a_crash() {
    let mut bytes = gz(GPX);
    bytes.truncate(bytes.len() / 2);
    assert!(matches!(gunzip(bytes, None), Err(ParseError::Gzip(_))));
}
