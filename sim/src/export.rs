//! Bulk exports as Strava and Garmin produce them: a zip with
//! `activities.csv` and `activities/<id>.fit.gz|.gpx|.tcx.gz`, or a folder
//! of loose files.

use std::fmt::Write as _;
use std::io::{Cursor, Write};

use chrono::DateTime;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use crate::athlete::{SimActivity, SimSport};
use crate::write::{fit_bytes, gpx_string, tcx_string};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    FitGz,
    Gpx,
    TcxGz,
}

impl FileKind {
    pub fn extension(self) -> &'static str {
        match self {
            FileKind::FitGz => "fit.gz",
            FileKind::Gpx => "gpx",
            FileKind::TcxGz => "tcx.gz",
        }
    }

    pub fn bytes(self, a: &SimActivity) -> Vec<u8> {
        match self {
            FileKind::FitGz => gzip(&fit_bytes(a)),
            FileKind::Gpx => gpx_string(a).into_bytes(),
            FileKind::TcxGz => gzip(tcx_string(a).as_bytes()),
        }
    }
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
    e.write_all(bytes).expect("writing to memory");
    e.finish().expect("writing to memory")
}

fn strava_type(sport: SimSport) -> &'static str {
    match sport {
        SimSport::Run | SimSport::Treadmill => "Run",
        SimSport::TrailRun => "Trail Run",
        SimSport::Ride => "Ride",
    }
}

/// Strava's `activities.csv`, with its repeated column names.
pub fn activities_csv(rows: &[(u64, &SimActivity, String)]) -> String {
    let mut csv = String::from(
        "Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,Distance,Max Heart Rate,Relative Effort,Commute,Activity Private Note,Activity Gear,Filename,Athlete Weight,Bike Weight,Elapsed Time,Moving Time,Distance\n",
    );
    for (id, a, file) in rows {
        let date = DateTime::from_timestamp(a.start_unix_s, 0).unwrap_or_default().format("%b %-d, %Y, %-I:%M:%S %p");
        let elapsed = a.end_unix_s() - a.start_unix_s;
        let km = a.distance_m() / 1000.0;
        let max_hr = a.samples.iter().filter_map(|s| s.hr_bpm).fold(0.0, f64::max);
        let _ = writeln!(
            csv,
            "{id},\"{date}\",{},{},,{elapsed},{km:.2},{max_hr:.0},,false,,,{file},,,{elapsed}.0,{elapsed}.0,{:.1}",
            a.name,
            strava_type(a.sport),
            a.distance_m()
        );
    }
    csv
}

/// A zip builder with fixed timestamps, so the same input gives the same bytes.
pub struct ZipBuilder(ZipWriter<Cursor<Vec<u8>>>);

impl Default for ZipBuilder {
    fn default() -> Self {
        ZipBuilder(ZipWriter::new(Cursor::new(Vec::new())))
    }
}

impl ZipBuilder {
    pub fn add(&mut self, name: &str, bytes: &[u8]) {
        // Already-compressed members are stored, as real exports do.
        let compressed = std::path::Path::new(name)
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("gz") || e.eq_ignore_ascii_case("zip"));
        let method = if compressed { CompressionMethod::Stored } else { CompressionMethod::Deflated };
        let options = SimpleFileOptions::default().compression_method(method);
        self.0.start_file(name, options).expect("zip in memory");
        self.0.write_all(bytes).expect("zip in memory");
    }

    pub fn finish(self) -> Vec<u8> {
        self.0.finish().expect("zip in memory").into_inner()
    }
}

/// A Strava export zip of `activities`, each written as `kind(i)`.
pub fn strava_zip(activities: &[SimActivity], kind: impl Fn(usize) -> FileKind) -> ZipBuilder {
    let mut zip = ZipBuilder::default();
    let mut rows = Vec::new();
    let mut files = Vec::new();
    for (i, a) in activities.iter().enumerate() {
        let id = 10_000_000 + i as u64;
        let k = kind(i);
        let file = format!("activities/{id}.{}", k.extension());
        files.push((file.clone(), k.bytes(a)));
        rows.push((id, a, file));
    }
    zip.add("activities.csv", activities_csv(&rows).as_bytes());
    for (name, bytes) in files {
        zip.add(&name, &bytes);
    }
    zip
}
